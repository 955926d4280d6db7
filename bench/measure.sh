#!/usr/bin/env bash
# Measures the figures in docs/performance.md. For each run: a fresh server pinned to CPU 0, then
# each preset with the generator pinned to CPU 1; a JSON and a text report per preset and run in
# OUT, and a table of medians at the end (needs jq).
#
#   bench/measure.sh [RUNS] [OUT]          defaults: 2 runs, bench/target/figures
#   PRESETS="S4 S2fixed" bench/measure.sh  other presets (default: S3 storm S2fixed S4 S5)
#   PORT=18080 DB=huddle_bench             the server's port and (throwaway) database
#   MANAGEMENT_PORT=19080                  its management interface (health, metrics)
#
# Needs a JDK 17+, openssl, curl, taskset, jq and the local PostgreSQL (127.0.0.1:5432, user
# postgres, trust). Every run is bounded: each bench stops by itself (see --max-run).
set -euo pipefail
cd "$(dirname "$0")/.."
# The load tool is one address and sends far faster than a person: the per-sender limits are off.
set -a; . bench/load-limits.env; set +a

runs=${1:-2}
out=${2:-bench/target/figures}
presets=${PRESETS:-"S3 storm S2fixed S4 S5"}
port=${PORT:-18080}
management_port=${MANAGEMENT_PORT:-19080}
db=${DB:-huddle_bench}
server_cpu=${SERVER_CPU:-0}
bench_cpu=${BENCH_CPU:-1}
mkdir -p "$out"
out_abs=$(cd "$out" && pwd)

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q -f bench/pom.xml package

# One key pair and one database for all runs, so that the user cache (and its tokens) stays valid
# across server restarts and no run pays for bcrypt twice.
if [ ! -f "$out/privateKey.pem" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/privateKey.pem" 2>/dev/null
  openssl pkey -in "$out/privateKey.pem" -pubout -out "$out/publicKey.pem"
fi
export PGOPTIONS="--client-min-messages=warning"
psql -q -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 \
  -c "drop database if exists $db" -c "create database $db" >/dev/null
rm -f "$out/users.json"

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

for run in $(seq 1 "$runs"); do
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$out_abs/privateKey.pem" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$out_abs/publicKey.pem" \
    QUARKUS_HTTP_PORT="$port" \
    QUARKUS_MANAGEMENT_PORT="$management_port" \
    taskset -c "$server_cpu" java -jar target/quarkus-app/quarkus-run.jar >"$out/server-$run.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$management_port/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  echo "run $run: server pid $server_pid on CPU $server_cpu"
  for p in $presets; do
    rc=0
    taskset -c "$bench_cpu" java -jar bench/target/huddle-bench.jar --preset "$p" \
      --url "http://127.0.0.1:$port" --health-url "http://127.0.0.1:$management_port/q/health/ready" \
      --server-pid "$server_pid" \
      --user-cache "$out/users.json" --json "$out/$p-$run.json" >"$out/$p-$run.txt" 2>&1 || rc=$?
    echo "run $run: $p exit $rc ($(grep -m1 '^RESULT' "$out/$p-$run.txt" || echo 'no result'))"
  done
  stop_server
done

command -v jq >/dev/null || { echo "no jq: see $out/*.json"; exit 0; }

# Median of the numbers on stdin (one per line).
median() { sort -n | awk '{v[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
figure() { # preset jq-expression label
  local files=("$out/$1"-*.json)
  [ -e "${files[0]}" ] || return 0
  local values
  values=$(for f in "${files[@]}"; do jq -r "$2" "$f"; done)
  printf '%-8s %-34s median %10s   runs: %s\n' "$1" "$3" "$(echo "$values" | median)" "$(echo $values)"
}
echo
echo "medians over $runs run(s), in $out"
for p in $presets; do
  case $p in
    S3|S3prime|storm)
      figure "$p" '.setup.connectSeconds' 'connect all (s)'
      figure "$p" '.setup.handshakeMs.p50' 'handshake p50 (ms)'
      figure "$p" '.setup.handshakeMs.p99' 'handshake p99 (ms)'
      figure "$p" '.setup.serverCpuSecondsForConnect * 1000 / .setup.connected' 'server CPU per handshake (ms)'
      figure "$p" '.setup.serverRssKibPerConnection // empty' 'RSS growth per connection (KiB)'
      figure "$p" '.setup.serverHeapKibPerConnection // empty' 'live heap per connection (KiB)'
      ;;
    *)
      figure "$p" '.steps[-1].deliveriesPerSecond' 'deliveries/s'
      figure "$p" '.steps[-1].lossPct' 'loss (%)'
      figure "$p" '.steps[-1].latencyMs.p50' 'latency p50 (ms)'
      figure "$p" '.steps[-1].latencyMs.p90' 'latency p90 (ms)'
      figure "$p" '.steps[-1].latencyMs.p99' 'latency p99 (ms)'
      figure "$p" '.steps[-1].latencyMs["p99.9"]' 'latency p99.9 (ms)'
      figure "$p" '.steps[-1].latencyMs.max' 'latency max (ms)'
      figure "$p" '.steps[-1].serverCpuPct' 'server CPU (% of a core)'
      figure "$p" '.steps[-1].serverMicrosPerDelivery' 'server CPU per delivery (us)'
      figure "$p" '.steps[-1].serverRssKibPeak / 1024' 'server RSS peak (MiB)'
      figure "$p" '.steps[-1].generatorCpuPct' 'generator CPU (% of a core)'
      figure "$p" '.steps[-1].otherCpuSeconds * 100 / .steps[-1].measureSeconds' 'other processes (% of a core)'
      ;;
  esac
done
