#!/usr/bin/env bash
# native-rss.sh [RUNS] [OUT] — where the native executable's idle RSS goes, and what the heap
# settings change: for each setting below, RUNS fresh starts (pinned to CPU 0, an already-migrated
# database, 3 s idle after ready), each printing start to ready, Quarkus' "started in", VmRSS and
# its split (smaps_rollup: file-backed clean pages of the executable vs anonymous memory), then the
# executable's mappings of the last start with their resident size (.text, the image heap's
# read-only and writable parts) against their size in the file.
#   NATIVE_BIN (default target/huddle-1.0.0-SNAPSHOT-runner)
#   SETTINGS   ";"-separated option lists (default: the shipped ones, none, and two smaller young
#              generations)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${1:-3}
out=${2:-/tmp/perf/native-rss}
bin=${NATIVE_BIN:-$root/target/huddle-1.0.0-SNAPSHOT-runner}
settings=${SETTINGS:-"-Xms192m -Xmx256m -Xmn96m -XX:+CollectYoungGenerationSeparately;;-Xms192m -Xmx256m -Xmn32m -XX:+CollectYoungGenerationSeparately;-Xms192m -Xmx256m -Xmn16m -XX:+CollectYoungGenerationSeparately"}
. bench/perf/common.sh
db=huddle_native_rss
sql -c "drop database if exists $db" -c "create database $db"
port=18080 mport=19080
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT
one() { # LABEL OPTS...: start, measure, and leave the server running in $pid
  local label=$1 t0 ms; shift
  t0=$(date +%s%N)
  env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" QUARKUS_DATASOURCE_USERNAME=postgres \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$out/privateKey.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$out/publicKey.pem" \
    QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=1 \
    taskset -c 0 "$bin" "$@" >"$out/$label.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/q/health/ready" || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { tail -5 "$out/$label.log"; exit 2; }; sleep 0.005
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  sleep 3
  printf '%s\tready %s ms\t%s\t%s\n' "$label" "$ms" "$(grep -o 'started in [0-9.]*s' "$out/$label.log" || echo '-')" \
    "$(awk '/^(Rss|Private_Clean|Shared_Clean|Anonymous):/ {printf "%s %.1f MiB  ", $1, $2 / 1024}' "/proc/$pid/smaps_rollup")"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
one prime; stop # migrates the database
IFS=';' read -r -a opts <<<"$settings"
for r in $(seq 1 "$runs"); do
  for k in "${!opts[@]}"; do
    # shellcheck disable=SC2086
    one "run$r.set$k" ${opts[$k]}
    echo "	options: ${opts[$k]:-none (the defaults of the executable)}"
    if [ "$r" = "$runs" ] && [ "$k" = 0 ]; then
      echo "mappings of $bin (resident / size, MiB), options ${opts[0]}:"
      gawk -v bin="$bin" '/^[0-9a-f]+-[0-9a-f]+ / {m = $6; perm = $2; off = $3; split($1, a, "-")
          sz = (strtonum("0x" a[2]) - strtonum("0x" a[1])) / 1048576}
        /^Rss:/ { if (m == bin) printf "  %s at file offset 0x%s: %6.1f of %6.1f MiB resident\n", perm, off, $2 / 1024, sz
                  else if (m == "" && $2 > 1024) anon += $2 }
        END { printf "  anonymous mappings with over 1 MiB resident: %.1f MiB\n", anon / 1024 }' "/proc/$pid/smaps"
      readelf -S -W "$bin" | gawk '$2 ~ /^\.(text|rodata|data|svm_heap)$/ {printf "  section %-9s %6.1f MiB in the file\n", $2, strtonum("0x" $6) / 1048576}'
    fi
    stop
  done
done
sql -c "drop database if exists $db"
