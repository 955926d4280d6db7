#!/usr/bin/env bash
# The issue-6 campaign behind docs/performance.md (2026-12-01): every preset on the current server,
# the server pinned to CPU 0 with one event loop and a fixed heap, the generator on CPU 1, one
# fresh server per group. Needs a built server and bench, and /tmp/perf/{privateKey,publicKey}.pem.
#   bench/perf/issue6.sh [GROUPS...]   groups: s2 jdk25 idle lat ramp1 ramp2 overload (default all)
# Reports: /tmp/perf/i6/<tag>.txt and .json; a one-line summary per run on stdout.
cd "$(dirname "$0")/../.."
out=/tmp/perf/i6; mkdir -p $out
export QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=${QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE:-1}
export JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
port=19180

fresh_db() { psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $1" -c "create database $1" >/dev/null 2>&1; rm -f $out/users-$1.json; }
start() { # name db [java]
  port=$((port+1)); pid=$(bench/perf/start.sh "$1" $port "$2" 0 "${3:-java}")
  echo "# $1: pid $pid port $port $(grep -o 'started in [0-9.]*s' /tmp/perf/$1.log)"
}
bench() { # tag db args...
  local tag=$1 db=$2; shift 2
  taskset -c 1 java -jar bench/target/huddle-bench.jar --url http://127.0.0.1:$port --health-url http://127.0.0.1:$((port + 1000))/q/health/ready --server-pid $pid \
    --user-cache $out/users-$db.json --json $out/$tag.json "$@" > $out/$tag.txt 2>&1
  echo "$tag rc=$? | $(grep -E '^ +[0-9]+ ' $out/$tag.txt | tail -1 | tr -s ' ') | $(grep -o 'other processes took at least [0-9.]* %' $out/$tag.txt | tail -1)"
}
metrics() { curl -s http://127.0.0.1:$((port + 1000))/q/metrics | grep -E '^huddle_(messages_(stored|write_batches|write_resend_batches|rejected)|slow_consumer)' | tr '\n' ' '; echo; }

groups=${*:-s2 jdk25 idle lat ramp1 ramp2 overload}
for g in $groups; do
  case $g in
    s2) fresh_db huddle_i6_s2; start i6-s2 huddle_i6_s2
        for run in 1 2; do for rate in 675 300; do
          bench s2-r$rate-$run huddle_i6_s2 --preset S2fixed --rate $rate --warmup 30s --measure 20s
        done; done; metrics; bench/perf/stop.sh i6-s2 ;;
    jdk25) fresh_db huddle_i6_25; start i6-25 huddle_i6_25 $jdk25
        for run in 1 2; do bench s2-jdk25-$run huddle_i6_25 --preset S2fixed --warmup 30s --measure 20s; done
        metrics; bench/perf/stop.sh i6-25 ;;
    idle) for run in 1 2; do fresh_db huddle_i6_idle; start i6-idle huddle_i6_idle
          bench s3-$run huddle_i6_idle --preset S3
          bench storm-$run huddle_i6_idle --preset storm
          bench s3prime-$run huddle_i6_idle --preset S3prime
          bench/perf/stop.sh i6-idle; done ;;
    lat) fresh_db huddle_i6_lat; start i6-lat huddle_i6_lat
        for run in 1 2; do bench s4-$run huddle_i6_lat --preset S4; done
        for run in 1 2; do bench s5-$run huddle_i6_lat --preset S5; done
        metrics; bench/perf/stop.sh i6-lat ;;
    ramp1) fresh_db huddle_i6_r1; start i6-r1 huddle_i6_r1
        bench s1-ramp huddle_i6_r1 --preset S1 --warmup 30s; metrics; bench/perf/stop.sh i6-r1 ;;
    ramp2) fresh_db huddle_i6_r2; start i6-r2 huddle_i6_r2
        bench s2-ramp huddle_i6_r2 --preset S2 --warmup 30s; metrics; bench/perf/stop.sh i6-r2 ;;
    overload) fresh_db huddle_i6_ov; start i6-ov huddle_i6_ov
        # (a) S2's shape at 2x 67.5 k deliveries/s and (b) a writer overload (many small rooms,
        # 8000 msg/s into the group commit), each with a probe beside it: readiness and a log-in
        # every second (status, seconds) and the server's RSS.
        for shape in a b; do
          if [ $shape = a ]; then args="--preset S2fixed --rate 1350 --warmup 20s --measure 20s --drain 20s"
          else args="--rooms 50 --clients 200 --users 100 --senders 200 --rate 8000 --warmup 20s --measure 20s --drain 20s"; fi
          (sleep 30; for i in $(seq 1 20); do
             u=$(jq -r '.users[0].email' $out/users-huddle_i6_ov.json); pw=$(jq -r '.users[0].password' $out/users-huddle_i6_ov.json)
             h=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 http://127.0.0.1:$((port + 1000))/q/health/ready)
             l=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -H 'Content-Type: application/json' \
                 -d "{\"email\":\"$u\",\"password\":\"$pw\"}" http://127.0.0.1:$port/api/v1/user/login)
             echo "probe $i health $h login $l rss_kib $(awk '/VmRSS/{print $2}' /proc/$pid/status)"; sleep 1; done) > $out/ov-$shape-probe.txt &
          bench ov-$shape huddle_i6_ov $args
          wait; cat $out/ov-$shape-probe.txt; metrics
        done
        psql -h 127.0.0.1 -U postgres -d huddle_i6_ov -Atc "select count(*) from messages" | sed 's/^/stored rows: /'
        bench/perf/stop.sh i6-ov ;;
  esac
done
echo ALLDONE
