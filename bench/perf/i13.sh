#!/usr/bin/env bash
# i13.sh [ROUNDS] [OUT] — the figures of issues 13 and 14 (docs/performance.md, "Issue 13 and 14
# figures"): S4, S2fixed at 300 msg/s (30 k deliveries/s) and the cold connect storm, for the Go
# original and for two (or three) builds of Huddle side by side, the targets alternating within
# every round (the order rotates from round to round) so that the shared machine's load hits all
# alike. What bench/compare.sh does for one jar, for several:
#   go     the Go original, bench/target/seed-server (built from /work/shared/seed when missing)
#   base   BASE_APP/quarkus-run.jar on JDK 17   (default /tmp/base/target/quarkus-app)
#   head   HEAD_APP/quarkus-run.jar on JDK 17   (default target/quarkus-app)
#   c1     head with -XX:TieredStopAtLevel=1 (C1 only, no C2): what the JIT's share costs a storm
#   aot    AOT_APP/quarkus-run.jar on JDK 25 with AOT_APP/app.aot, -XX:AOTMode=on (storm only)
#          (default /tmp/aothead/target/quarkus-app, built with -Daot)
#   image  AOT_APP as the JVM image runs it (Dockerfile.jvm's JAVA_OPTS in a pod of the Deployment's
#          768 MiB limit): -XX:AOTCache=app.aot -XX:AOTMode=on -XX:MaxRAM=768m
#          -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError, JDK 25
#   native NATIVE_BIN with the image's settings -Xms192m -Xmx256m -Xmn96m
#          -XX:+CollectYoungGenerationSeparately (default target/huddle-1.0.0-SNAPSHOT-runner;
#          storm phases only, and only when STORM_TARGETS names it)
# Every run: a fresh server exec'd under taskset -c 0 (Huddle: its own copy of a template database
# migrated once by that build, QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=1, -Xmx1g, as in the issue-6
# figures), ready = first 200 of /q/health/ready (Go: GET /api/v1/ws/getRooms), 3 s idle, then the
# bench under taskset -c 1. /proc/loadavg is recorded before and after each run, and the server's
# RSS (VmRSS) after the 3 s idle; OUT/<phase>.<target>.<round>.threads is the server's CPU per
# thread name at ready (bench/perf/threadcpu.sh), where its start-up went.
#   PHASES="S4 S2 storm"  S4 = --preset S4; S2 = --preset S2fixed --rate 300 --warmup 30s --measure 20s;
#                         storm = --preset storm (the bench runs 32 handshakes in flight against Go);
#                         warm = the storm three times in a row on one server (the third is kept;
#                         the second and third reuse the first's users through --user-cache);
#                         c1000 = 1000 clients into 10 rooms, 4 handshakes in flight (Go too), cold
#                         (warm and c1000 run go, head and aot)
#                         S2max = --preset S2fixed at its 675 msg/s (67.5 k deliveries/s), same windows as S2
#                         S3 = --preset S3: 2000 idle connections held 15 s, RSS (and on HotSpot the live
#                         heap after a full GC) per connection (go, head, native; STORM_TARGETS overrides)
#   STORM_TARGETS="go head aot native"  overrides the targets of storm, warm, c1000 and S3
#   LATENCY_TARGETS="go base head image"  overrides the targets of S4 and S2
#   PROFILE=cpu|wall      also async-profiler (500 µs, per thread) on HotSpot servers over the kept bench
#                         run: OUT/<name>.<event>.txt, collapsed stacks. Every Huddle run (native too)
#                         writes OUT/<name>.threads.before and .after: CPU per thread name around it.
# OUT/<phase>.<target>.<round>.{json,txt,log}; OUT/runs.tsv one line per run; bench/perf/i13sum.sh OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
set -a; . bench/load-limits.env; set +a
root=$(pwd)
rounds=${1:-3}
out=${2:-/tmp/perf/i13}
phases=${PHASES:-"S4 S2 storm"}
base_app=${BASE_APP:-/tmp/base/target/quarkus-app}
head_app=${HEAD_APP:-$root/target/quarkus-app}
aot_app=${AOT_APP:-/tmp/aothead/target/quarkus-app}
native_bin=${NATIVE_BIN:-$root/target/huddle-1.0.0-SNAPSHOT-runner}
jdk17=${JDK17:-java}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
port=18080 mport=19080 go_url=http://127.0.0.1:18090
. bench/perf/common.sh
db=huddle_i13
profile=${PROFILE:-}
if [ -n "$profile" ]; then # async-profiler 4.1 from Maven Central, as bench/perf/profile.sh fetches it
  ap_jar=~/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar
  [ -f "$ap_jar" ] || mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1
  ap_lib=/tmp/async-profiler-4.1/linux-x64/libasyncProfiler.so
  [ -f "$ap_lib" ] || (mkdir -p /tmp/async-profiler-4.1 && cd /tmp/async-profiler-4.1 && unzip -q -o "$ap_jar")
fi

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
trap stop_server EXIT
trap 'exit 130' INT TERM
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start TARGET DATABASE LOG: sets server_pid, ready_ms, cmd
start() {
  local t=$1 d=$2 log=$3 url app java opts
  for p in 18090 $port $mport; do
    for _ in $(seq 1 100); do port_busy $p || break; sleep 0.1; done
    port_busy $p && { echo "i13: port $p busy" >&2; exit 2; }
  done
  case $t in
    go) url=$go_url/api/v1/ws/getRooms
        cmd="env GIN_MODE=release taskset -c 0 $go_server" ;;
    base|head|c1|aot|image|native)
        url=http://127.0.0.1:$mport/q/health/ready
        case $t in
          base) app=$base_app java=$jdk17 opts="-Xmx1g" ;;
          head) app=$head_app java=$jdk17 opts="-Xmx1g" ;;
          c1) app=$head_app java=$jdk17 opts="-Xmx1g -XX:TieredStopAtLevel=1" ;;
          aot) app=$aot_app java=$jdk25 opts="-XX:AOTCache=app.aot -XX:AOTMode=on -Xlog:aot=info -Xmx1g" ;;
          image) app=$aot_app java=$jdk25
                 opts="-XX:AOTCache=app.aot -XX:AOTMode=on -XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" ;;
          native) app=$(dirname "$native_bin") java=$native_bin opts="${native_opts[*]}" ;;
        esac
        cmd="env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$d QUARKUS_DATASOURCE_USERNAME=postgres"
        cmd+=" SMALLRYE_JWT_SIGN_KEY_LOCATION=$out/privateKey.pem MP_JWT_VERIFY_PUBLICKEY_LOCATION=$out/publicKey.pem"
        cmd+=" QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=1"
        if [ "$t" = native ]; then cmd+=" taskset -c 0 $java $opts"
        else cmd+=" taskset -c 0 $java $opts -jar quarkus-run.jar"; fi
        cd "$app" ;;
  esac
  local t0; t0=$(date +%s%N)
  # shellcheck disable=SC2086
  $cmd >"$log" 2>&1 &
  server_pid=$!
  cd "$root"
  ready_ms=""
  for _ in $(seq 1 12000); do
    kill -0 "$server_pid" 2>/dev/null || return 1
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ]; then
      ready_ms=$(( ($(date +%s%N) - t0) / 1000000 )); return 0
    fi
    sleep 0.01
  done
  return 1
}

fresh_db() { # TARGET: a copy of that build's migrated template
  local tpl=${db}_tpl_$1; case $1 in c1|aot|image|native) tpl=${db}_tpl_head ;; esac
  sql -c "drop database if exists ${db}_run"
  for _ in $(seq 1 20); do sql -c "create database ${db}_run template $tpl" 2>/dev/null && return 0; sleep 0.5; done
  sql -c "create database ${db}_run template $tpl"
}

# Prime: each build migrates its template once; every server starts once, unmeasured.
storm_targets=${STORM_TARGETS:-}
latency_targets=${LATENCY_TARGETS:-go base head}
all_targets=$latency_targets; case " $phases " in *" storm "*|*" warm "*|*" c1000 "*|*" S3 "*) all_targets+=" ${storm_targets:-aot}" ;; esac
case " $phases " in *" S4 "*|*" S2 "*|*" S2max "*) ;; *) [ -n "$storm_targets" ] && all_targets=$storm_targets ;; esac
case " $all_targets " in *" head "*) all_targets="head ${all_targets/head/}" ;; esac # head migrates the template the others copy
prime_done=" "
for t in $all_targets; do
  case $prime_done in *" $t "*) continue ;; esac; prime_done+="$t "
  d=""
  if [ "$t" = base ] || [ "$t" = head ]; then sql -c "drop database if exists ${db}_tpl_$t" -c "create database ${db}_tpl_$t"; d=${db}_tpl_$t; fi
  case $t in c1|aot|image|native) d=${db}_tpl_head # head migrates it; without head, the first of these
    [ "$(psql -qAt -h 127.0.0.1 -U postgres -d postgres -c "select 1 from pg_database where datname = '$d'")" = 1 ] \
      || sql -c "create database $d" ;; esac
  start "$t" "$d" "$out/prime.$t.log" || { tail -20 "$out/prime.$t.log"; echo "i13: $t did not start" >&2; exit 2; }
  echo "i13: prime $t ready in $ready_ms ms"
  stop_server
done

[ -f "$out/runs.tsv" ] || printf 'round\tphase\ttarget\tstart_utc\tload_before\tload_after\tready_ms\tbench_rc\tresult\tidle_rss_kb\n' >"$out/runs.tsv"
for r in $(seq 1 "$rounds"); do
  for ph in $phases; do
    case $ph in
      S4) read -r -a targets <<<"$latency_targets"; args=(--preset S4) ;;
      S2) read -r -a targets <<<"$latency_targets"; args=(--preset S2fixed --rate 300 --warmup 30s --measure 20s) ;;
      S2max) read -r -a targets <<<"$latency_targets"; args=(--preset S2fixed --warmup 30s --measure 20s) ;;
      S3) targets=(go head native) args=(--preset S3) ;;
      storm) targets=(go base head aot) args=(--preset storm) ;;
      warm) targets=(go head aot) args=(--preset storm) ;;
      c1000) targets=(go head aot) args=(--preset storm --clients 1000 --rooms 10 --connect-parallel 4) ;;
    esac
    case $ph in storm|warm|c1000|S3) [ -n "$storm_targets" ] && read -r -a targets <<<"$storm_targets" ;; esac
    n=${#targets[@]}
    for i in $(seq 0 $((n - 1))); do
      t=${targets[$(((i + r - 1) % n))]}
      name=$ph.$t.$r
      d=""; [ "$t" != go ] && { fresh_db "$t"; d=${db}_run; }
      load_before=$(cut -d' ' -f1-3 /proc/loadavg); start_utc=$(date -u +%H:%M:%S)
      rc="" rss_kb=""
      if start "$t" "$d" "$out/$name.log"; then
        bench/perf/threadcpu.sh "$server_pid" >"$out/$name.threads" 2>/dev/null || true # CPU per thread at ready
        sleep 3
        rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true)
        b=(--server-pid "$server_pid")
        if [ "$t" = go ]; then b+=(--target go --url "$go_url")
        else b+=(--url "http://127.0.0.1:$port" --health-url "http://127.0.0.1:$mport/q/health/ready"); fi
        rc=0
        if [ "$ph" = warm ]; then
          # Two storms unmeasured, then the kept one, all on this server (fresh users only once).
          rm -f "$out/$name.users"; [ "$t" != go ] && b+=(--user-cache "$out/$name.users")
          for k in 1 2; do
            taskset -c 1 java -jar "$bench_jar" "${args[@]}" "${b[@]}" --json "$out/pre$k.$name.json" \
              >"$out/pre$k.$name.txt" 2>&1 || true
          done
        fi
        if [ "$t" != go ]; then
          bench/perf/threadcpu.sh "$server_pid" >"$out/$name.threads.before" 2>/dev/null || true
          case $t in native) ;; *) [ -n "$profile" ] && java bench/perf/Attach.java "$server_pid" "$ap_lib" \
            "start,event=$profile,interval=500us,threads,file=$out/$name.$profile.txt" >/dev/null ;; esac
        fi
        taskset -c 1 java -jar "$bench_jar" "${args[@]}" "${b[@]}" --json "$out/$name.json" >"$out/$name.txt" 2>&1 || rc=$?
        if [ "$t" != go ]; then
          case $t in native) ;; *) [ -n "$profile" ] && java bench/perf/Attach.java "$server_pid" "$ap_lib" \
            "stop,file=$out/$name.$profile.txt,collapsed" >/dev/null ;; esac
          bench/perf/threadcpu.sh "$server_pid" >"$out/$name.threads.after" 2>/dev/null || true
        fi
      fi
      stop_server
      load_after=$(cut -d' ' -f1-3 /proc/loadavg)
      res=$(grep -m1 '^RESULT' "$out/$name.txt" 2>/dev/null || echo "no result")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$ph" "$t" "$start_utc" "$load_before" "$load_after" \
        "${ready_ms:--}" "${rc:--}" "$res" "${rss_kb:--}" | tee -a "$out/runs.tsv"
    done
  done
done
sql -c "drop database if exists ${db}_run" || true
