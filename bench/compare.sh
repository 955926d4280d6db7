#!/usr/bin/env bash
# Huddle against the Go server it replaced, side by side. For every run and preset, each target in
# turn (the order rotates from run to run): a FRESH server pinned to CPU 0 from its exec on, its
# start-to-ready time and idle RSS, then the bench pinned to CPU 1 against it, then the server is
# stopped. Targets:
#   go      the Go original (built by bench/build-seed.sh when missing; 127.0.0.1:18090)
#   jvm     Huddle's jar, target/quarkus-app/quarkus-run.jar
#   native  Huddle's native executable, target/huddle-1.0.0-SNAPSHOT-runner
# Huddle runs on a throwaway PostgreSQL database per run (a copy of a template migrated once) and
# a key pair generated into OUT. One raw JSON per run (the bench's report plus a "compare" object),
# the bench's text and the server's log go to OUT; a table of medians and ratios to Go at the end.
#
#   bench/compare.sh [RUNS] [OUT]           defaults: 1 run, bench/target/compare/<date-time>
#   PRESETS="smoke storm" bench/compare.sh  presets (default: S2fixed S4 S3 storm)
#   TARGETS="go jvm"                        targets (default: go, and jvm/native when built)
#
# Per target (words split on spaces):
#   GO_SERVER=bench/target/seed-server  GO_ENV="GIN_MODE=release"  GO_ARGS=
#   JVM_JAR=target/quarkus-app/quarkus-run.jar  JAVA=java  JVM_OPTS="-Xmx1g"  JVM_ENV=
#   (BENCH_JAVA=java runs the bench, whatever JAVA runs the server)
#   NATIVE_BIN=target/huddle-1.0.0-SNAPSHOT-runner  NATIVE_ARGS="-Xmn16m"  NATIVE_ENV=
#   GO_BENCH_ARGS= HUDDLE_BENCH_ARGS= BENCH_ARGS=   extra bench flags: Go only, Huddle only, all
# e.g. GC settings: JVM_OPTS="-XX:+UseParallelGC" NATIVE_ARGS="-Xmn16m" GO_ENV="GIN_MODE=release GOGC=200"
# Elsewhere:
#   PORT=18080  MANAGEMENT_PORT=19080 (Huddle's health and metrics; its management interface)
#   HEALTH_URL=http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready  SERVER_CPU=0 BENCH_CPU=1  IDLE_WAIT=3 (s
#   after ready before reading VmRSS)  READY_TIMEOUT=120 (s)  POLL=0.01 (s between readiness polls)
#   PG="-h 127.0.0.1 -p 5432 -U postgres"
#   REPEAT=1 (bench runs per server; the last one is kept: REPEAT=3 gives a warm server's figure)
#
# "Start to ready": from just before the exec to the first 200 of HEALTH_URL (Huddle, an already
# migrated database) or of GET /api/v1/ws/getRooms (Go, which has no health endpoint), polled
# every POLL seconds from CPU 1. Needs a JDK 17+, openssl, curl, taskset, jq, psql and the local
# PostgreSQL (user postgres, trust). Only loopback addresses are used; every bench run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
# The load tool is one address and sends far faster than a person: the per-sender limits are off.
set -a; . bench/load-limits.env; set +a
root=$(pwd)

runs=${1:-1}
out=${2:-bench/target/compare/$(date +%Y%m%d-%H%M%S)}
presets=${PRESETS:-"S2fixed S4 S3 storm"}
port=${PORT:-18080}
management_port=${MANAGEMENT_PORT:-19080}
health_url=${HEALTH_URL:-http://127.0.0.1:$management_port/q/health/ready}
go_url=http://127.0.0.1:18090
server_cpu=${SERVER_CPU:-0}
bench_cpu=${BENCH_CPU:-1}
idle_wait=${IDLE_WAIT:-3}
repeat=${REPEAT:-1}
ready_timeout=${READY_TIMEOUT:-120}
poll=${POLL:-0.01}
go_server=${GO_SERVER:-bench/target/seed-server}
jvm_jar=${JVM_JAR:-target/quarkus-app/quarkus-run.jar}
native_bin=${NATIVE_BIN:-target/huddle-1.0.0-SNAPSHOT-runner}
java=${JAVA:-java}
bench_java=${BENCH_JAVA:-java}
read -r -a pg <<<"${PG:--h 127.0.0.1 -p 5432 -U postgres}"
read -r -a go_env <<<"${GO_ENV:-GIN_MODE=release}"
read -r -a go_args <<<"${GO_ARGS:-}"
read -r -a jvm_env <<<"${JVM_ENV:-}"
read -r -a jvm_opts <<<"${JVM_OPTS:-}"
read -r -a native_env <<<"${NATIVE_ENV:-}"
read -r -a native_args <<<"${NATIVE_ARGS:-}"
read -r -a bench_args <<<"${BENCH_ARGS:-}"
read -r -a go_bench_args <<<"${GO_BENCH_ARGS:-}"
read -r -a huddle_bench_args <<<"${HUDDLE_BENCH_ARGS:-}"

die() { echo "compare: $*" >&2; exit 2; }
say() { echo "compare: $*"; }
for tool in jq psql openssl curl taskset "$java" "$bench_java"; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not $runs"
loopback='^http://(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost|\[::1\])(:[0-9]+)?(/|$)'
[[ $health_url =~ $loopback ]] || die "HEALTH_URL must be on this machine (loopback), not $health_url"

# --- what to run, and building what is missing -------------------------------------------------
if [ -n "${TARGETS:-}" ]; then
  read -r -a targets <<<"$TARGETS"
else
  targets=(go)
  [ -f "$jvm_jar" ] && targets+=(jvm) || say "no $jvm_jar: the JVM target is left out"
  [ -x "$native_bin" ] && targets+=(native) || say "no $native_bin: the native target is left out"
fi
for t in "${targets[@]}"; do
  case $t in
    go)
      if [ ! -x "$go_server" ]; then
        say "building the Go server into $go_server"
        mkdir -p "$(dirname "$go_server")"
        bash "$root/bench/build-seed.sh" "$root/$go_server" || die "the Go build failed (bench/build-seed.sh)"
      fi
      ;;
    jvm)
      if [ ! -f "$jvm_jar" ]; then
        say "building the server jar"
        ./mvnw -B -q package -DskipTests
      fi
      ;;
    native)
      [ -x "$native_bin" ] || die "no native executable $native_bin (./mvnw package -Dnative -DskipTests)"
      ;;
    *) die "unknown target $t (go, jvm, native)" ;;
  esac
done
bench_jar=bench/target/huddle-bench.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find bench/src bench/pom.xml -newer "$bench_jar" -print -quit)" ]; then
  say "building the bench"
  ./mvnw -B -q -f bench/pom.xml package
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
huddle=""
for t in "${targets[@]}"; do [ "$t" = go ] || huddle=yes; done
if [ -n "$huddle" ] && [ ! -f "$out/privateKey.pem" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/privateKey.pem" 2>/dev/null
  openssl pkey -in "$out/privateKey.pem" -pubout -out "$out/publicKey.pem"
fi

# From here on this script and everything it starts (curl, psql, the bench) share the bench's CPU;
# each server is put on its own CPU by taskset at its exec.
taskset -cp "$bench_cpu" $$ >/dev/null

# --- servers -------------------------------------------------------------------------------------
export PGOPTIONS="--client-min-messages=warning"
db_prefix="huddle_cmp_$$"
template_db="${db_prefix}_tpl"
run_db="${db_prefix}_run"
sql() { psql -q "${pg[@]}" -v ON_ERROR_STOP=1 -d postgres "$@" >/dev/null; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  if [ -n "$huddle" ]; then
    sql -c "drop database if exists $run_db" -c "drop database if exists $template_db" || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ns() { date +%s%N; }

# start_server TARGET DB LOG: sets server_pid, ready_ms ("" when it never answered) and server_cmd.
start_server() {
  local target=$1 db=$2 log=$3 listen url
  case $target in go) listen=18090; url=$go_url/api/v1/ws/getRooms ;; *) listen=$port; url=$health_url ;; esac
  for _ in $(seq 1 100); do port_busy "$listen" || break; sleep 0.1; done
  port_busy "$listen" && die "something already listens on 127.0.0.1:$listen"
  if [ "$target" != go ]; then
    for _ in $(seq 1 100); do port_busy "$management_port" || break; sleep 0.1; done
    port_busy "$management_port" && die "something already listens on 127.0.0.1:$management_port"
  fi
  local huddle_env=(
    "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$db"
    QUARKUS_DATASOURCE_USERNAME=postgres
    "SMALLRYE_JWT_SIGN_KEY_LOCATION=$out/privateKey.pem"
    "MP_JWT_VERIFY_PUBLICKEY_LOCATION=$out/publicKey.pem"
    "QUARKUS_HTTP_PORT=$port"
    "QUARKUS_MANAGEMENT_PORT=$management_port")
  local cmd
  case $target in
    go) cmd=(env "${go_env[@]}" taskset -c "$server_cpu" "$root/$go_server" "${go_args[@]}") ;;
    jvm) cmd=(env "${huddle_env[@]}" "${jvm_env[@]}" taskset -c "$server_cpu" "$java" "${jvm_opts[@]}" -jar "$jvm_jar") ;;
    native) cmd=(env "${huddle_env[@]}" "${native_env[@]}" taskset -c "$server_cpu" "$native_bin" "${native_args[@]}") ;;
  esac
  server_cmd="${cmd[*]}"
  local t0 code
  t0=$(now_ns)
  "${cmd[@]}" >"$log" 2>&1 &
  server_pid=$!
  ready_ms=""
  local deadline=$((t0 + ready_timeout * 1000000000))
  while [ "$(now_ns)" -lt "$deadline" ] && kill -0 "$server_pid" 2>/dev/null; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    if [ "$code" = 200 ]; then
      ready_ms=$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN {printf "%.1f", (b - a) / 1e6}')
      return 0
    fi
    sleep "$poll"
  done
  return 1
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }

new_db() { # a migrated, empty database for one Huddle run
  sql -c "drop database if exists $run_db"
  # The last server's backends may still be on their way out of the template: retry a little.
  for _ in $(seq 1 20); do
    sql -c "create database $run_db template $template_db" 2>/dev/null && return 0
    sleep 0.5
  done
  sql -c "create database $run_db template $template_db"
}

# Every server once, unmeasured: migrates the template database and warms the page cache, so the
# first measured start is not the only one that reads its executable from disk.
if [ -n "$huddle" ]; then
  sql -c "drop database if exists $template_db" -c "create database $template_db"
fi
for t in "${targets[@]}"; do
  start_server "$t" "$template_db" "$out/server-prime.$t.log" \
    || { tail -20 "$out/server-prime.$t.log" >&2; die "the $t server did not become ready"; }
  say "prime start of $t: ready in ${ready_ms} ms"
  stop_server
done

# --- the runs ------------------------------------------------------------------------------------
n=${#targets[@]}
for run in $(seq 1 "$runs"); do
  for p in $presets; do
    for i in $(seq 0 $((n - 1))); do
      t=${targets[$(((i + run - 1) % n))]}
      name="$p.$t.$run"
      log="$out/server-$name.log"
      db=""
      if [ "$t" != go ]; then
        new_db
        db=$run_db
      fi
      idle_rss=""
      bench_rc=""
      error=""
      if start_server "$t" "$db" "$log"; then
        sleep "$idle_wait"
        idle_rss=$(rss_kib "$server_pid")
        args=(--preset "$p" --server-pid "$server_pid" --json "$out/$name.bench.json")
        if [ "$t" = go ]; then
          args+=(--target go --url "$go_url" "${go_bench_args[@]}")
        else
          args+=(--url "http://127.0.0.1:$port" --health-url "$health_url" "${huddle_bench_args[@]}")
        fi
        # REPEAT=k runs the bench k times against this one server and keeps the last run (a warm
        # server's figure); the earlier runs' text goes to $name.repeatN.txt.
        for r in $(seq 2 "$repeat"); do
          taskset -c "$bench_cpu" "$bench_java" -jar "$bench_jar" "${args[@]}" "${bench_args[@]}" \
            >"$out/$name.repeat$((r - 1)).txt" 2>&1 || true
        done
        rm -f "$out/$name.bench.json"
        bench_rc=0
        taskset -c "$bench_cpu" "$bench_java" -jar "$bench_jar" "${args[@]}" "${bench_args[@]}" \
          >"$out/$name.txt" 2>&1 || bench_rc=$?
      else
        error="the server did not answer 200 within $ready_timeout s"
      fi
      pid=$server_pid
      stop_server
      compare=$(jq -n --arg target "$t" --arg preset "$p" --argjson run "$run" --arg cmd "$server_cmd" \
        --arg pid "$pid" --arg ready "$ready_ms" --arg rss "$idle_rss" --arg rc "$bench_rc" \
        --arg error "$error" --argjson idleWait "$idle_wait" \
        --arg serverCpu "$server_cpu" --arg benchCpu "$bench_cpu" \
        '{target: $target, preset: $preset, run: $run, serverCommand: $cmd,
          serverPid: ($pid | tonumber? // null), serverCpu: $serverCpu, benchCpu: $benchCpu,
          startToReadyMs: ($ready | tonumber? // null), idleWaitSeconds: $idleWait,
          idleRssKib: ($rss | tonumber? // null), benchExit: ($rc | tonumber? // null),
          error: (if $error == "" then null else $error end)}')
      if [ -s "$out/$name.bench.json" ]; then
        jq --argjson c "$compare" '{compare: $c} + .' "$out/$name.bench.json" >"$out/$name.json"
        rm -f "$out/$name.bench.json"
      else
        echo "{\"compare\": $compare}" | jq . >"$out/$name.json"
      fi
      result=$(grep -m1 '^RESULT' "$out/$name.txt" 2>/dev/null || echo "${error:-no result}")
      say "run $run $p $t: ready ${ready_ms:--} ms, idle RSS $(awk -v k="${idle_rss:-0}" 'BEGIN {printf "%.1f", k / 1024}') MiB, bench exit ${bench_rc:--} ($result)"
    done
  done
done

# --- the table -----------------------------------------------------------------------------------
values() { # preset target jq-expression: one number per run
  local f
  for f in "$out/$1.$2".*.json; do
    [ -e "$f" ] && jq -r "($3) // empty" "$f" 2>/dev/null || true
  done
}
median() {
  sort -g | awk 'NF {v[++n] = $1} END {
    if (!n) { print "-"; exit }
    print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
fmt() {
  awk -v v="$1" 'BEGIN {
    if (v == "-") { print "-"; exit }
    a = v < 0 ? -v : v
    if (v == int(v)) printf "%d\n", v; else if (a >= 1000) printf "%.0f\n", v; else if (a >= 10) printf "%.1f\n", v
    else if (a >= 0.1) printf "%.2f\n", v; else printf "%.4f\n", v }'
}
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'
}
has_go=""
for t in "${targets[@]}"; do [ "$t" = go ] && has_go=yes; done
ordered=()
[ -n "$has_go" ] && ordered=(go)
for t in "${targets[@]}"; do [ "$t" = go ] || ordered+=("$t"); done

header() {
  printf '%-8s %-34s' preset "median of $runs run(s)"
  for t in "${ordered[@]}"; do
    printf ' %10s' "$t"
    [ "$t" != go ] && [ -n "$has_go" ] && printf ' %9s' "$t/go"
  done
  echo
}
row() { # preset label jq-expression
  local t m go_m=""
  printf '%-8s %-34s' "$1" "$2"
  for t in "${ordered[@]}"; do
    m=$(values "$1" "$t" "$3" | median)
    printf ' %10s' "$(fmt "$m")"
    if [ "$t" = go ]; then
      go_m=$m
    elif [ -n "$has_go" ]; then
      printf ' %9s' "$(ratio "$m" "$go_m")"
    fi
  done
  echo
}
passed_row() {
  local t f k total
  printf '%-8s %-34s' "$1" "passed (runs)"
  for t in "${ordered[@]}"; do
    k=0 total=0
    for f in "$out/$1.$t".*.json; do
      [ -e "$f" ] || continue
      total=$((total + 1))
      [ "$(jq -r '.passed // false' "$f")" = true ] && k=$((k + 1))
    done
    printf ' %10s' "$k/$total"
    [ "$t" != go ] && [ -n "$has_go" ] && printf ' %9s' ""
  done
  echo
}
{
  echo
  echo "medians per target${has_go:+; ratio = target / go} (server pinned to CPU $server_cpu, bench to CPU $bench_cpu); raw JSON in $out"
  header
  for p in $presets; do
    passed_row "$p"
    row "$p" 'start to ready (ms)' '.compare.startToReadyMs'
    row "$p" "idle RSS ${idle_wait} s after ready (MiB)" '.compare.idleRssKib / 1024'
    idle=$(cat "$out/$p".*.json 2>/dev/null | jq -rs 'map(.config.senders // empty) | if length > 0 and all(. == 0) then "yes" else "" end')
    if [ -n "$idle" ]; then
      row "$p" 'handshakes in flight' '.config.connectParallel'
      row "$p" 'connections open' '.setup.connected'
      row "$p" 'connect all (s)' '.setup.connectSeconds'
      row "$p" 'handshake p50 (ms)' '.setup.handshakeMs.p50'
      row "$p" 'handshake p99 (ms)' '.setup.handshakeMs.p99'
      row "$p" 'server CPU per handshake (ms)' 'if .setup.connected > 0 then .setup.serverCpuSecondsForConnect * 1000 / .setup.connected else empty end'
      row "$p" 'RSS growth per connection (KiB)' '.setup.serverRssKibPerConnection'
      row "$p" 'RSS after the hold (MiB)' '.setup.serverRssKibAfterHold / 1024'
      row "$p" 'live heap per connection (KiB)' '.setup.serverHeapKibPerConnection'
      row "$p" 'probe: open conns missing it' '.setup.probeMissing'
    else
      row "$p" 'deliveries/s' '.steps[-1].deliveriesPerSecond'
      row "$p" 'loss (%)' '.steps[-1].lossPct'
      row "$p" 'latency p50 (ms)' '.steps[-1].latencyMs.p50'
      row "$p" 'latency p90 (ms)' '.steps[-1].latencyMs.p90'
      row "$p" 'latency p99 (ms)' '.steps[-1].latencyMs.p99'
      row "$p" 'latency p99.9 (ms)' '.steps[-1].latencyMs["p99.9"]'
      row "$p" 'latency max (ms)' '.steps[-1].latencyMs.max'
      row "$p" 'server CPU (% of a core)' '.steps[-1].serverCpuPct'
      row "$p" 'server CPU per delivery (us)' '.steps[-1].serverMicrosPerDelivery'
      row "$p" 'server RSS peak (MiB)' '.steps[-1].serverRssKibPeak / 1024'
      row "$p" 'generator CPU (% of a core)' '.steps[-1].generatorCpuPct'
      row "$p" 'other processes (% of a core)' 'if .steps[-1].otherCpuSeconds >= 0 then .steps[-1].otherCpuSeconds * 100 / .steps[-1].measureSeconds else empty end'
    fi
  done
} | tee "$out/summary.txt"
