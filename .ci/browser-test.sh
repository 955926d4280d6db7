#!/usr/bin/env bash
# The web client's browser test: builds Huddle, starts it on a free port with a throwaway database
# and key pair, runs the client's unit tests and then the Chromium scenario
# (src/test/browser/chat.browser-test.mjs), stopping and starting the server when the scenario asks
# for it, and always cleans up. Installs what is missing (Debian's chromium, the npm modules).
#
#   .ci/browser-test.sh                        # run it
#   .ci/browser-test.sh --update-screenshots   # also copy the screenshots to docs/screenshots/
#   HUDDLE_SKIP_BUILD=1 .ci/browser-test.sh    # reuse target/quarkus-app
#
# Needs: a JDK 17+, Node.js 20+, PostgreSQL on 127.0.0.1:5432 (user postgres, trust), openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TEST_DIR="$ROOT/src/test/browser"
OUT="$ROOT/target/browser-test"
UPDATE_SCREENSHOTS=false
[[ "${1:-}" == "--update-screenshots" ]] && UPDATE_SCREENSHOTS=true

PGHOST=127.0.0.1
PGPORT=5432
export PGHOST PGPORT PGUSER=postgres
DB="huddle_browser_$(date +%s)_$$"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/huddle-browser.XXXXXX")
CONTROL="$WORK/control"
SERVER_PID=""
TEST_PID=""
DB_CREATED=false
STARTED_AT=$(date +%s)

log() { printf '[browser-test %3ss] %s\n' "$(($(date +%s) - STARTED_AT))" "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  local rc=$?
  if [[ -n "$TEST_PID" ]] && kill -0 "$TEST_PID" 2>/dev/null; then kill "$TEST_PID" 2>/dev/null || true; fi
  stop_server
  if [[ $rc -ne 0 && -f "$OUT/server.log" ]]; then
    echo "---- last lines of the server log ($OUT/server.log) ----"
    tail -n 40 "$OUT/server.log"
  fi
  if $DB_CREATED; then psql -q -d postgres -c "drop database if exists \"$DB\" with (force)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
  log "done (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- what the test needs ----------------------------------------------------------------------
if ! command -v node >/dev/null || [[ $(node -p 'process.versions.node.split(".")[0]') -lt 20 ]]; then
  echo "Node.js 20 or newer is required (playwright-core needs it)." >&2
  exit 1
fi
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ ! -x "$CHROMIUM_PATH" ]]; then
  log "installing Debian's chromium"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v psql >/dev/null; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
fi
if ! pg_isready -q; then
  log "PostgreSQL is down; starting it"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 50); do pg_isready -q && break; sleep 0.2; done
fi
# The lock file pins the modules; reinstall only when it changed since the last install.
if [[ ! -f "$TEST_DIR/node_modules/.package-lock.json" \
      || "$TEST_DIR/package-lock.json" -nt "$TEST_DIR/node_modules/.package-lock.json" ]]; then
  log "npm ci"
  (cd "$TEST_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [[ "${HUDDLE_SKIP_BUILD:-}" != "1" ]]; then
  log "building the jar"
  ./mvnw -B -q package -DskipTests
fi

# ---- a throwaway server ----------------------------------------------------------------------
mkdir -p "$OUT" "$CONTROL"
rm -rf "$OUT/screenshots"
: >"$OUT/server.log"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/private.pem" 2>/dev/null
openssl pkey -in "$WORK/private.pem" -pubout -out "$WORK/public.pem"
psql -q -d postgres -c "create database \"$DB\""
DB_CREATED=true
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=${HUDDLE_BROWSER_PORT:-$(free_port)}
# Health and metrics are on the management interface, a port of its own.
MANAGEMENT_PORT=${HUDDLE_BROWSER_MANAGEMENT_PORT:-$(free_port)}
while [[ "$MANAGEMENT_PORT" == "$PORT" ]]; do MANAGEMENT_PORT=$(free_port); done

start_server() {
  # The prod profile, as deployed, except: plain http, so the cookie must not be Secure (Chromium
  # drops a Secure cookie set over http://127.0.0.1); and a tiny catch-up limit, so a reconnect
  # after the restart gets a truncated history and the client must page the rest over REST.
  QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_HTTP_PORT="$PORT" \
  QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME=postgres \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$WORK/private.pem" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$WORK/public.pem" \
  HUDDLE_TOKEN_COOKIE_SECURE=false \
  HUDDLE_HISTORY_CATCH_UP_LIMIT=3 \
  QUARKUS_SHUTDOWN_DELAY=1s \
  QUARKUS_SHUTDOWN_TIMEOUT=3s \
    java -jar target/quarkus-app/quarkus-run.jar >>"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "Huddle exited during start-up" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "Huddle was not ready within 60 s" >&2
  return 1
}

log "starting Huddle on port $PORT (management $MANAGEMENT_PORT) with database $DB"
start_server
log "Huddle is up (pid $SERVER_PID)"

# ---- the tests -----------------------------------------------------------------------------
log "unit tests of the client's protocol logic"
(cd "$TEST_DIR" && node --test --test-timeout=10000 --test-reporter=dot unit/)

log "browser scenario"
(cd "$TEST_DIR" && HUDDLE_URL="http://127.0.0.1:$PORT/" \
  HUDDLE_MANAGEMENT_URL="http://127.0.0.1:$MANAGEMENT_PORT/" HUDDLE_CONTROL_DIR="$CONTROL" \
  HUDDLE_SCREENSHOT_DIR="$OUT/screenshots" CHROMIUM_PATH="$CHROMIUM_PATH" HUDDLE_HISTORY_CATCH_UP_LIMIT=3 \
  exec node chat.browser-test.mjs) &
TEST_PID=$!

# Serve the scenario's stop/start requests until it ends (see serverControl in lib/support.mjs).
while kill -0 "$TEST_PID" 2>/dev/null; do
  if [[ -f "$CONTROL/request" ]]; then
    command=$(cat "$CONTROL/request")
    rm -f "$CONTROL/request"
    case "$command" in
      stop)
        log "stopping Huddle (pid $SERVER_PID) as the scenario asks"
        stop_server
        echo ok >"$CONTROL/done-stop"
        ;;
      start)
        log "starting Huddle again on port $PORT (management $MANAGEMENT_PORT), same database"
        if start_server; then echo ok >"$CONTROL/done-start"; else echo failed >"$CONTROL/done-start"; fi
        log "Huddle is up again (pid $SERVER_PID)"
        ;;
      *) echo "unknown command" >"$CONTROL/done-$command" ;;
    esac
  fi
  sleep 0.1
done
if wait "$TEST_PID"; then TEST_RC=0; else TEST_RC=$?; fi
TEST_PID=""
[[ $TEST_RC -eq 0 ]] || exit "$TEST_RC"

if $UPDATE_SCREENSHOTS; then
  mkdir -p docs/screenshots
  cp "$OUT"/screenshots/{login,room,room-mobile}.png docs/screenshots/
  log "screenshots copied to docs/screenshots/"
fi
log "all browser tests passed"
