#!/usr/bin/env bash
# Collects the scrapes behind docs/screenshots/dashboard.png from a real run, then renders them:
# two Huddle nodes with the Redis broker (their own throwaway redis-server, database and key pair),
# scraped every second by docs/grafana/scrape.sh while
#   1. huddle-bench runs an S4-like load over both nodes (4 rooms x 20 clients, 500 msg/s, 5 s
#      warm-up + 40 s measured, 50 users); once it sends, BadFrames sends refused frames for ~20 s
#      and, 15 s in, Redis is stopped for 8 s and started again (publish failures, Redis errors,
#      gap fill);
#   2. huddle-bench S5 (one client stops reading: slow-consumer eviction), 5 s + 15 s.
# About 2 minutes of load on 2 cores. Run from anywhere:
#
#   docs/grafana/screenshot-run.sh [OUT_DIR]        default bench/target/dashboard-run
#
#   PORT_A=28480 PORT_B=28481 REDIS_PORT=28479 DB=huddle_dashboard   ports and throwaway database
#   MANAGEMENT_PORTS=28482,28483 the nodes' management interfaces (QUARKUS_MANAGEMENT_PORT), where
#                                the metrics are scraped and health is probed
#   METRICS_PATH=/q/metrics      path of the metrics (and HEALTH_PATH=/q/health/ready)
#   RENDER=0                     only collect; render later with docs/grafana/render.mjs
#
# Needs a JDK 17+, openssl, curl, psql, redis-server, node 18+ and (for the PNG) chromium, plus
# the local PostgreSQL (127.0.0.1:5432, user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/../.."
# The load tool is one address and sends far faster than a person: the per-sender limits are off.
set -a; . bench/load-limits.env; set +a
root=$(pwd)

out=${1:-bench/target/dashboard-run}
port_a=${PORT_A:-28480}
port_b=${PORT_B:-28481}
redis_port=${REDIS_PORT:-28479}
db=${DB:-huddle_dashboard}
metrics_path=${METRICS_PATH:-/q/metrics}
health_path=${HEALTH_PATH:-/q/health/ready}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/scrapes"

IFS=, read -r -a mgmt <<<"${MANAGEMENT_PORTS:-28482,28483}"
for p in "$port_a" "$port_b" "$redis_port" "${mgmt[0]}" "${mgmt[1]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "screenshot-run: port $p is in use; set PORT_A, PORT_B, REDIS_PORT, MANAGEMENT_PORTS" >&2
    exit 1
  fi
done

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
if [ ! -f bench/target/huddle-bench.jar ]; then
  ./mvnw -B -q -f bench/pom.xml package
fi

pids=()
scraper=""
cleanup() {
  [ -n "$scraper" ] && kill "$scraper" 2>/dev/null && wait "$scraper" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Graceful shutdown takes up to quarkus.shutdown.delay (5 s) + timeout (10 s).
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_redis() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --logfile "$out/redis.log"
}

export PGOPTIONS="--client-min-messages=warning"
psql -q -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 \
  -c "drop database if exists $db" -c "create database $db" >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/privateKey.pem" 2>/dev/null
openssl pkey -in "$out/privateKey.pem" -pubout -out "$out/publicKey.pem"
rm -f "$out/users.json"
start_redis

ports=("$port_a" "$port_b")
metrics_urls=()
health_urls=()
for i in 0 1; do
  env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$out/privateKey.pem" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$out/publicKey.pem" \
    QUARKUS_HTTP_PORT="${ports[$i]}" \
    QUARKUS_MANAGEMENT_PORT="${mgmt[$i]}" \
    HUDDLE_BROKER=redis \
    QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$redis_port" \
    java -jar target/quarkus-app/quarkus-run.jar >"$out/server-$i.log" 2>&1 &
  pids+=($!)
  metrics_urls+=("http://127.0.0.1:${mgmt[$i]}$metrics_path")
  health_urls[$i]="http://127.0.0.1:${mgmt[$i]}$health_path"
done
for i in 0 1; do
  ok=""
  for _ in $(seq 1 120); do
    if curl -sf "${health_urls[$i]}" >/dev/null 2>&1; then ok=yes; break; fi
    sleep 0.5
  done
  if [ -z "$ok" ]; then
    echo "screenshot-run: node $i is not ready; its log:" >&2
    tail -40 "$out/server-$i.log" >&2
    exit 1
  fi
done
echo "screenshot-run: nodes ready on ports ${ports[*]} (management ${mgmt[*]}), scraping ${metrics_urls[*]}"

"$root/docs/grafana/scrape.sh" "$out/scrapes" "${metrics_urls[@]}" 2>"$out/scrape.log" &
scraper=$!
sleep 5 # an idle baseline

urls="http://127.0.0.1:$port_a,http://127.0.0.1:$port_b"
server_pids="${pids[0]},${pids[1]}"
rc=0
java -jar bench/target/huddle-bench.jar --preset S4 --rooms 4 --clients 80 --users 50 \
  --senders 12 --rate 500 --warmup 5 --measure 40 --drain 5 --url "$urls" \
  --health-url "${health_urls[0]}" --server-pid "$server_pids" --user-cache "$out/users.json" --json "$out/S4.json" \
  >"$out/S4.txt" 2>"$out/S4.log" &
bench=$!
# Once the bench starts sending (warm-up): refused frames on node A, and 15 s later an 8 s Redis
# outage.
until grep -q '\] step [0-9]*: .* msg/s, warm-up' "$out/S4.log" 2>/dev/null \
  || ! kill -0 "$bench" 2>/dev/null; do
  sleep 0.5
done
java docs/grafana/BadFrames.java "http://127.0.0.1:$port_a" 20 1000 >"$out/badframes.log" 2>&1 &
badframes=$!
sleep 15
echo "screenshot-run: stopping Redis for 8 s"
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
sleep 8
start_redis
echo "screenshot-run: Redis started again"
wait "$bench" || rc=$?
wait "$badframes" || true
echo "screenshot-run: S4-like run exit $rc ($(grep -m1 '^RESULT' "$out/S4.txt" || echo 'no result'))"

rc=0
java -jar bench/target/huddle-bench.jar --preset S5 --warmup 5 --measure 15 --drain 5 \
  --url "$urls" --health-url "${health_urls[0]}" --server-pid "$server_pids" \
  --user-cache "$out/users.json" --json "$out/S5.json" >"$out/S5.txt" 2>"$out/S5.log" || rc=$?
echo "screenshot-run: S5 exit $rc ($(grep -m1 '^RESULT' "$out/S5.txt" || echo 'no result'))"
sleep 5 # the tail: back to idle

kill "$scraper" 2>/dev/null || true
wait "$scraper" 2>/dev/null || true
scraper=""
echo "screenshot-run: $(wc -l <"$out/scrapes/index.tsv") scrapes in $out/scrapes"

if [ "${RENDER:-1}" != 0 ]; then
  node docs/grafana/render.mjs --dashboard docs/grafana/huddle-dashboard.json \
    --scrapes "$out/scrapes" --html "$out/dashboard.html" --png docs/screenshots/dashboard.png
fi
