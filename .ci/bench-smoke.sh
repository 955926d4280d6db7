#!/usr/bin/env bash
# Load-generator smoke test: start the packaged server on a throwaway database and key pair, run
# `huddle-bench --preset smoke` against it, and fail when the bench finds loss, duplicates,
# reordering, error frames or connections that did not open. Run from anywhere:
#   .ci/bench-smoke.sh            # the JVM jar (target/quarkus-app), built when missing
#   .ci/bench-smoke.sh --native   # the native executable (target/*-runner), which must exist
#   .ci/bench-smoke.sh --go       # the Go original (../shared/seed), built from Debian packages:
#                                 # the load tool's --target go mode against the unmodified seed
# Needs a JDK 17+, openssl, curl, and the local PostgreSQL (127.0.0.1:5432, user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
# The load tool is one address and sends far faster than a person: the per-sender limits are off.
set -a; . bench/load-limits.env; set +a

t0=$(date +%s)
if [ "${1:-}" = "--go" ]; then
  seed=bench/target/seed-server
  bash bench/build-seed.sh "$PWD/$seed"
  ./mvnw -B -q -f bench/pom.xml package
  t1=$(date +%s)
  (exec 3<>/dev/tcp/127.0.0.1/18090) 2>/dev/null && { echo "bench-smoke: port 18090 is busy" >&2; exit 1; }
  GIN_MODE=release "$seed" >"$seed.log" 2>&1 &
  go_pid=$!
  trap 'kill "$go_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    curl -sf http://127.0.0.1:18090/api/v1/ws/getRooms >/dev/null 2>&1 && break
    kill -0 "$go_pid" 2>/dev/null || { cat "$seed.log" >&2; exit 1; }
    sleep 0.1
  done
  t2=$(date +%s)
  rc=0
  java -jar bench/target/huddle-bench.jar --preset smoke --target go --url http://127.0.0.1:18090 \
    --server-pid "$go_pid" || rc=$?
  echo "bench-smoke: Go original: build $((t1 - t0)) s, start $((t2 - t1)) s, bench $(($(date +%s) - t2)) s"
  [ "$rc" -eq 0 ] || { echo "bench-smoke: FAILED against the Go original (exit code $rc)" >&2; exit "$rc"; }
  echo "bench-smoke: passed (Go original)"
  exit 0
fi
if [ "${1:-}" = "--native" ]; then
  server=(target/huddle-1.0.0-SNAPSHOT-runner)
  [ -x "${server[0]}" ] || { echo "bench-smoke: ${server[0]} missing (./mvnw package -Dnative)" >&2; exit 1; }
else
  server=(java -jar target/quarkus-app/quarkus-run.jar)
  if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "bench-smoke: building the server"
    ./mvnw -B -q package -DskipTests
  fi
fi
echo "bench-smoke: building the bench"
./mvnw -B -q -f bench/pom.xml package
t1=$(date +%s)

work=$(mktemp -d)
db="huddle_bench_smoke_$$"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

PGOPTIONS="--client-min-messages=warning" psql -q -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 \
  -c "drop database if exists $db" -c "create database $db" >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/privateKey.pem" 2>/dev/null
openssl pkey -in "$work/privateKey.pem" -pubout -out "$work/publicKey.pem"

# Free ports, one that nothing answers on, for HTTP and for the management interface (health).
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if [ "$candidate" != "${1:-}" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "bench-smoke: no free port found" >&2
  return 1
}
port=$(free_port)
management_port=$(free_port "$port")
health_url="http://127.0.0.1:$management_port/q/health/ready"

QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
  QUARKUS_DATASOURCE_USERNAME=postgres \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$work/privateKey.pem" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$work/publicKey.pem" \
  QUARKUS_HTTP_PORT="$port" \
  QUARKUS_MANAGEMENT_PORT="$management_port" \
  "${server[@]}" >"$work/server.log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 120); do
  if curl -sf "$health_url" >/dev/null 2>&1; then
    ready=yes
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "bench-smoke: the server did not become ready on port $port; its log:" >&2
  tail -50 "$work/server.log" >&2
  exit 1
fi
t2=$(date +%s)
echo "bench-smoke: server pid $server_pid ready on port $port (management $management_port) after $((t2 - t1)) s"

rc=0
java -jar bench/target/huddle-bench.jar --preset smoke --url "http://127.0.0.1:$port" \
  --health-url "$health_url" --server-pid "$server_pid" || rc=$?
t3=$(date +%s)
echo "bench-smoke: build $((t1 - t0)) s, server start $((t2 - t1)) s, bench $((t3 - t2)) s"
if [ "$rc" -ne 0 ]; then
  echo "bench-smoke: FAILED (huddle-bench exit code $rc); server log tail:" >&2
  tail -30 "$work/server.log" >&2
  exit "$rc"
fi
echo "bench-smoke: passed"
