#!/usr/bin/env bash
# cluster-storm.sh [ROUNDS] [OUT] — issue 14's cluster figure: the cold connect storm (--preset
# storm, 2000 clients over 20 rooms) against one Huddle node and against two nodes behind one Redis
# (HUDDLE_BROKER=redis, one database), beside the Go original, alternating within every round.
#   go       the Go original (bench/target/seed-server), 32 handshakes in flight as always
#   jvm1     one node, HEAD_APP/quarkus-run.jar on JDK 17, -Xmx1g, memory broker
#   jvm2     two such nodes, Redis broker; client i connects to node i mod 2
#   native1  one node of NATIVE_BIN with the image's GC settings, memory broker
#   native2  two such nodes, Redis broker
# Every Huddle node is pinned to CPU 0 (two nodes share it: the figure is the cost of being a
# cluster, not of having twice the CPU), one event loop each; the bench runs on CPU 1. A fresh
# database per run (a copy of a template the first jvm1 start migrates), a fresh Redis key prefix.
# OUT/<target>.<round>.{json,txt}, OUT/runs.tsv; then bench/perf/i13sum.sh-like medians.
#   TARGETS="go jvm1 jvm2 native1 native2"
set -euo pipefail
cd "$(dirname "$0")/../.."
set -a; . bench/load-limits.env; set +a
root=$(pwd)
rounds=${1:-3}
out=${2:-/tmp/perf/cluster}
targets=(${TARGETS:-go jvm1 jvm2 native1 native2})
head_app=${HEAD_APP:-$root/target/quarkus-app}
native_bin=${NATIVE_BIN:-$root/target/huddle-1.0.0-SNAPSHOT-runner}
. bench/perf/common.sh
db=huddle_cstorm

pids=()
stop_all() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pids=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_ready() { # URL PID
  for _ in $(seq 1 12000); do
    kill -0 "$2" 2>/dev/null || return 1
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)" = 200 ] && return 0
    sleep 0.01
  done
  return 1
}

# node KIND N DATABASE BROKER PREFIX LOG: starts node N (0 or 1) of KIND (jvm or native)
node() {
  local kind=$1 n=$2 d=$3 broker=$4 prefix=$5 log=$6 cmd
  cmd=(env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$d" QUARKUS_DATASOURCE_USERNAME=postgres
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$out/privateKey.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$out/publicKey.pem"
    QUARKUS_HTTP_PORT=$((18080 + n)) QUARKUS_MANAGEMENT_PORT=$((19080 + n)) QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=1
    HUDDLE_BROKER="$broker" QUARKUS_REDIS_HOSTS=redis://127.0.0.1:6379 HUDDLE_CLUSTER_KEY_PREFIX="$prefix" taskset -c 0)
  if [ "$kind" = native ]; then
    cmd+=("$native_bin" "${native_opts[@]}")
    (cd "$(dirname "$native_bin")" && exec "${cmd[@]}") >"$log" 2>&1 &
  else
    cmd+=(java -Xmx1g -jar quarkus-run.jar)
    (cd "$head_app" && exec "${cmd[@]}") >"$log" 2>&1 &
  fi
  pids+=($!)
  wait_ready "http://127.0.0.1:$((19080 + n))/q/health/ready" "$!"
}

sql -c "drop database if exists ${db}_tpl" -c "create database ${db}_tpl"
node jvm 0 ${db}_tpl memory prime "$out/prime.log" || { tail -20 "$out/prime.log"; exit 2; }
stop_all

[ -f "$out/runs.tsv" ] || printf 'round\ttarget\tstart_utc\tload_before\tload_after\tbench_rc\tresult\n' >"$out/runs.tsv"
for r in $(seq 1 "$rounds"); do
  n=${#targets[@]}
  for i in $(seq 0 $((n - 1))); do
    t=${targets[$(((i + r - 1) % n))]}
    name=$t.$r
    load_before=$(cut -d' ' -f1-3 /proc/loadavg); start_utc=$(date -u +%H:%M:%S)
    rc=0 started=yes
    if [ "$t" = go ]; then
      env GIN_MODE=release taskset -c 0 "$go_server" >"$out/$name.log" 2>&1 &
      pids+=($!)
      wait_ready http://127.0.0.1:18090/api/v1/ws/getRooms "$!" || started=""
      b=(--target go --url http://127.0.0.1:18090 --server-pid "${pids[0]}")
    else
      sql -c "drop database if exists ${db}_run" -c "create database ${db}_run template ${db}_tpl"
      kind=${t%[12]} count=${t#$kind} broker=memory prefix=cstorm$r$$
      [ "$count" = 2 ] && broker=redis
      urls="" spids=""
      for k in $(seq 0 $((count - 1))); do
        node "$kind" "$k" ${db}_run "$broker" "$prefix" "$out/$name.node$k.log" || started=""
        urls+="${urls:+,}http://127.0.0.1:$((18080 + k))"
        spids+="${spids:+,}${pids[$k]}"
      done
      b=(--url "$urls" --health-url http://127.0.0.1:19080/q/health/ready --server-pid "$spids")
    fi
    if [ -n "$started" ]; then
      sleep 3
      taskset -c 1 java -jar "$bench_jar" --preset storm "${b[@]}" --json "$out/$name.json" >"$out/$name.txt" 2>&1 || rc=$?
    else
      rc=start
    fi
    stop_all
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    res=$(grep -m1 '^RESULT' "$out/$name.txt" 2>/dev/null || echo "no result")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$start_utc" "$load_before" "$load_after" "$rc" "$res" | tee -a "$out/runs.tsv"
  done
done
sql -c "drop database if exists ${db}_run" || true

# Medians per target (passed runs) and the ratio to Go's.
median() { sort -g | awk 'NF {v[++n] = $1} END { if (!n) { print "-"; exit }
  print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }
vals() { for f in "$out/$1".*.json; do [ -f "$f" ] && jq -r "if .passed then ($2) else empty end" "$f"; done; }
echo; echo '| target | passed | connect all (s) | ×Go | handshake p99 (ms) | server CPU per handshake (ms) |'
echo '|---|---|---|---|---|---|'
go_m=$(vals go '.setup.connectSeconds' | median)
for t in "${targets[@]}"; do
  m=$(vals "$t" '.setup.connectSeconds' | median)
  printf '| %s | %s/%s | %s | %s | %s | %s |\n' "$t" "$(vals "$t" 1 | wc -l)" "$(ls "$out/$t".*.json 2>/dev/null | wc -l)" \
    "$m" "$(awk -v a="$m" -v b="$go_m" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')" \
    "$(vals "$t" '.setup.handshakeMs.p99' | median)" \
    "$(vals "$t" 'if .setup.connected > 0 then .setup.serverCpuSecondsForConnect * 1000 / .setup.connected else empty end' | median)"
done
