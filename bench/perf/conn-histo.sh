#!/usr/bin/env bash
# conn-histo.sh [OUT] — what one idle WebSocket connection keeps on the JVM's heap: starts the jar
# (JDK 17, -Xmx1g, one event loop, pinned to CPU 0, a fresh database), runs the bench's S3 preset
# (2000 idle connections over 20 rooms) with a 60 s hold, and takes `jmap -histo:live` (a full GC
# first) on the idle server before the bench, and again while the 2000 are held; prints the classes
# whose live bytes grew most, per connection (the 200 users and 20 rooms the bench creates count
# in the growth too, a tenth of a user per connection).
#   HEAD_APP (default target/quarkus-app)  CLIENTS (default 2000)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out=${1:-/tmp/perf/conn-histo}
app=${HEAD_APP:-$root/target/quarkus-app}
clients=${CLIENTS:-2000}
set -a; . bench/load-limits.env; set +a
. bench/perf/common.sh
db=huddle_conn_histo
sql -c "drop database if exists $db" -c "create database $db"
(cd "$app" && exec env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" QUARKUS_DATASOURCE_USERNAME=postgres \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$out/privateKey.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$out/publicKey.pem" \
  QUARKUS_HTTP_PORT=18080 QUARKUS_MANAGEMENT_PORT=19080 QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=1 \
  taskset -c 0 java -Xmx1g -jar quarkus-run.jar) >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:19080/q/health/ready || true)" = 200 ]; do
  kill -0 $pid 2>/dev/null || { tail -5 "$out/server.log"; exit 2; }; sleep 0.1
done
jmap -histo:live $pid >"$out/before.histo"
taskset -c 1 java -jar "$bench_jar" --preset S3 --clients "$clients" --hold 60s --url http://127.0.0.1:18080 \
  --health-url http://127.0.0.1:19080/q/health/ready --server-pid $pid >"$out/bench.txt" 2>&1 &
bench=$!
until grep -q 'connections open' "$out/bench.txt" 2>/dev/null; do sleep 0.2; done
sleep 5
jmap -histo:live $pid >"$out/held.histo"
wait $bench || true
grep -m1 'connections open' "$out/bench.txt"
# "num: instances bytes class" -> the growth per connection, largest first
parse() { awk '$1 ~ /^[0-9]+:$/ {print $4 "\t" $2 "\t" $3}' "$1" | sort; }
join -t$'\t' -a2 -e0 -o 0,1.2,1.3,2.2,2.3 <(parse "$out/before.histo") <(parse "$out/held.histo") |
  awk -F'\t' -v n="$clients" '{db = $5 - $3; di = $4 - $2; tot += db; if (db > 0) printf "%9.0f B %7.2f objects  %s\n", db / n, di / n, $1}
    END {printf "%9.0f B per connection in all\n", tot / n > "/dev/stderr"}' | sort -nr | head -40
