#!/usr/bin/env bash
# The JVM image's AOT cache, for real: builds target/quarkus-app with the Leyden AOT cache on
# JDK 25 (-Daot: recorded while PackagedServerIT, the @QuarkusIntegrationTest suite, exercises the
# packaged jar), checks that src/main/docker/Dockerfile.jvm runs the very JDK build that recorded
# it, then starts a copy of the directory elsewhere (as the image's /deployments) with
# -XX:AOTMode=on, which refuses to start when the cache cannot be used, and waits for readiness.
#
# Needs: Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64 (JDK25=... for another path), PostgreSQL
# on 127.0.0.1:5432 (user postgres, trust), openssl, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
started=$SECONDS

# HUDDLE_SKIP_BUILD=1: check the cache already in target/quarkus-app.
if [[ -z ${HUDDLE_SKIP_BUILD:-} ]]; then
  JAVA_HOME=$jdk25 ./mvnw -B verify -Daot -DskipUTs -Dspotless.check.skip=true -Dit.test=PackagedServerIT
fi
app=target/quarkus-app
[[ -s $app/app.aot ]] || { echo "aot-check: $app/app.aot was not created" >&2; exit 1; }

# The image's FROM tag (eclipse-temurin:25.0.3_9-...) must name the build JDK (Temurin-25.0.3+9).
built=$(sed -n 's/^IMPLEMENTOR_VERSION="Temurin-\(.*\)"$/\1/p' "$jdk25/release" | tr '+' '_')
image=$(sed -n 's/^FROM eclipse-temurin:\([^-]*\)-.*$/\1/p' src/main/docker/Dockerfile.jvm)
if [[ -z $built || $built != "$image" ]]; then
  echo "aot-check: the cache was recorded on Temurin '$built' but Dockerfile.jvm runs '$image'" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/huddle-aot.XXXXXX")
db="huddle_aot_$(date +%s)_$$"
pid=""
cleanup() {
  # Under set -e, a failing command here would become the script's status (wait answers 143
  # for the server it just stopped): nothing in the clean-up may fail.
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  psql -qAt -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# -a: the JVM checks the jars' modification times against the cache's; Docker's COPY keeps them.
cp -a "$app" "$work/deployments"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.pem" 2>/dev/null
openssl pkey -in "$work/private.pem" -pubout -out "$work/public.pem"
psql -qAt -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
t0=$(date +%s%N)
(cd "$work/deployments" && exec env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
  QUARKUS_DATASOURCE_USERNAME=postgres SMALLRYE_JWT_SIGN_KEY_LOCATION="$work/private.pem" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$work/public.pem" QUARKUS_HTTP_PORT=$port \
  QUARKUS_MANAGEMENT_PORT=$mport \
  "$jdk25/bin/java" -XX:AOTCache=app.aot -XX:AOTMode=on -XX:+UseSerialGC -jar quarkus-run.jar) \
  > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 1500); do
  curl -sf -o /dev/null "http://127.0.0.1:$mport/q/health/ready" && break
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/server.log" >&2
    echo "aot-check: the server did not start with -XX:AOTMode=on (cache unusable?)" >&2
    exit 1
  fi
  sleep 0.04
done
curl -sf -o /dev/null "http://127.0.0.1:$mport/q/health/ready" ||
  { cat "$work/server.log" >&2; echo "aot-check: not ready within 60 s" >&2; exit 1; }
ready_ms=$((($(date +%s%N) - t0) / 1000000))
if grep -qi 'aot.*\(error\|mismatch\|unable\|disabled\)' "$work/server.log"; then
  grep -i 'aot' "$work/server.log" >&2
  echo "aot-check: the JVM reported a problem with the cache" >&2
  exit 1
fi
echo "aot-check: app.aot $(du -m "$app/app.aot" | cut -f1) MB, recorded on Temurin $built" \
  "(Dockerfile.jvm's), used from another directory: ready in $ready_ms ms" \
  "(load $(cut -d' ' -f1 /proc/loadavg)); aot-check took $((SECONDS - started)) s"
