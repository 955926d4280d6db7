#!/usr/bin/env bash
# aot.sh [RUNS] — start-to-ready and idle RSS of the packaged JVM server, three ways, alternately:
#   jdk17   the jar on JDK 17 (the default JDK of the machine)
#   jdk25   the same jar on JDK 25 without a cache
#   aot     the same jar on JDK 25 with the Leyden AOT cache (target/quarkus-app/app.aot)
#   aotc1   aot with -XX:TieredStopAtLevel=1 (C1 only: no C2 compiles competing with the start)
# VARIANTS="jdk17 jdk25 aot" chooses (the default); APP (default target/quarkus-app) and KEYS (the
# directory of privateKey.pem and publicKey.pem, default /tmp/perf) point elsewhere. At ready,
# OUT/VARIANT-CPUS.RUN.threads holds the server's CPU per thread (bench/perf/threadcpu.sh).
# each pinned to one CPU (taskset -c 0) and to two (-c 0,1), with the JVM image's flags
# (src/main/docker/Dockerfile.jvm) and -XX:MaxRAM=768m, the memory limit of the Kubernetes pod:
# inside the container the JVM sizes its heap from that limit (initial 1/64, max 75 %), and on
# this 24 GiB machine it would otherwise start with a 384 MiB heap. Start to ready = from fork to the first 200 of
# /q/health/ready (polled every 20 ms); RSS = VmRSS 5 s after ready, no client connected.
#
# Needs: a build with the cache,
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw verify -Daot -DskipUTs
# a key pair in /tmp/perf/{privateKey,publicKey}.pem and PostgreSQL on 127.0.0.1:5432 (trust).
# The database huddle_perf_aot is migrated by a first, unmeasured start, so every measured start
# finds the schema current, as a new pod of a running deployment does.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
app=${APP:-target/quarkus-app}
keys=${KEYS:-/tmp/perf}
[[ -f $app/app.aot ]] || { echo "no $app/app.aot: build with -Daot first" >&2; exit 2; }
flags="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
db=huddle_perf_aot
port=18400
mport=19400
out=/tmp/perf/aot
mkdir -p "$out"
psql -qAt -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"

# start CPUS VARIANT -> prints "ms rss_mib"
start() {
  local cpus=$1 variant=$2 java opts
  case $variant in
    jdk17) java=$jdk17 opts="" ;;
    jdk25) java=$jdk25 opts="" ;;
    aot) java=$jdk25 opts="-XX:AOTCache=app.aot -XX:AOTMode=on" ;;
    aotc1) java=$jdk25 opts="-XX:AOTCache=app.aot -XX:AOTMode=on -XX:TieredStopAtLevel=1" ;;
  esac
  local t0 t1 pid
  t0=$(date +%s%N)
  (cd $app && exec env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/privateKey.pem" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/publicKey.pem" \
    QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport \
    taskset -c "$cpus" "$java" $flags $opts -XX:MaxRAM=${MAXRAM:-768m} -jar quarkus-run.jar) \
    > "$out/$variant-$cpus.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null "http://127.0.0.1:$mport/q/health/ready"; then break; fi
    kill -0 $pid 2>/dev/null || { echo "server $variant exited, see $out/$variant-$cpus.log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  bench/perf/threadcpu.sh $pid >"$out/$variant-$cpus.${run:-0}.threads" 2>/dev/null || true
  sleep 5
  local rss
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  kill $pid
  wait $pid 2>/dev/null || true
  echo "$(((t1 - t0) / 1000000)) $rss"
}

start 0 jdk17 > /dev/null # migrates the database
echo "run cpus variant start_ms rss_mib load1"
for run in $(seq 1 "$runs"); do
  for cpus in 0 0,1; do
    for variant in ${VARIANTS:-jdk17 jdk25 aot}; do
      read -r ms rss < <(start $cpus $variant)
      echo "$run $cpus $variant $ms $rss $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
