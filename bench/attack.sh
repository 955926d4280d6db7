#!/usr/bin/env bash
# The hardening issue's "Done means" check and a short soak (docs/reliability.md): start the packaged
# server with the SHIPPED limits (bench/load-limits.env is not sourced), let one abusive account and
# one abusive address (127.0.0.2) run every attack of io.huddle.bench.Attack at once, and measure
# with the load tool, from 127.0.0.1, another user in another room: ack latency, loss, and whether
# every acknowledged message is in the database. The server's RSS and open descriptors are sampled
# every 5 s. `--baseline` runs the same without the attacks.
#
#   bench/attack.sh [--baseline]          # reports in $OUT (default /tmp/huddle-attack/<mode>)
#
# Settings (environment): MEASURE=270s WARMUP=30s (victim window; the attacks run from LEAD
# seconds before the victim starts until it ends), LEAD=15, VICTIM_ARGS, ATTACK_ARGS (extra flags),
# SERVER_CPU=0 CLIENT_CPU=1 (the server is pinned from its start; victim and attacker share the
# other CPU, the attacker under SCHED_IDLE (chrt -i 0: it runs only when the victim does not), so
# that the victim's own timing is not the attacker's doing).
# Needs a JDK 17+, jq, psql, openssl, curl, taskset, and the local PostgreSQL (127.0.0.1:5432,
# user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=attack
[ "${1:-}" = "--baseline" ] && mode=baseline
measure=${MEASURE:-270s}
warmup=${WARMUP:-30s}
lead=${LEAD:-15}
# Attack (c) tries the one email for about half of the attack, then a new email each time.
secs() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) print d / 1000; else if (d ~ /m$/) print d * 60; else print d + 0 }'; }
one_email_for="$(awk -v a="$(secs "$measure")" -v b="$(secs "$warmup")" -v l="$lead" 'BEGIN {printf "%d", (a + b + l + 17) / 2}')s"
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
out=${OUT:-/tmp/huddle-attack/$mode}
read -r -a victim_args <<<"${VICTIM_ARGS:-}"
read -r -a attack_args <<<"${ATTACK_ARGS:-}"
say() { echo "attack.sh: $*"; }
die() { echo "attack.sh: $*" >&2; exit 2; }
for tool in java jq psql openssl curl taskset; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done

jar=target/quarkus-app/quarkus-run.jar
bench_jar=bench/target/huddle-bench.jar
[ -f "$jar" ] || { say "building the server"; ./mvnw -B -q package -DskipTests; }
if [ ! -f "$bench_jar" ] || [ -n "$(find bench/src bench/pom.xml -newer "$bench_jar" -print -quit)" ]; then
  say "building the bench"
  ./mvnw -B -q -f bench/pom.xml package
fi

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
db="huddle_attack_$$"
export PGOPTIONS="--client-min-messages=warning"
psql_db() { psql -q -X -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 "$@"; }
server_pid="" attack_pid="" sampler_pid=""
stop() { # pid: TERM, then KILL after 20 s
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$attack_pid"
  stop "$sampler_pid"
  stop "$server_pid"
  psql_db -d postgres -c "drop database if exists $db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql_db -d postgres -c "drop database if exists $db" -c "create database $db" >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/privateKey.pem" 2>/dev/null
openssl pkey -in "$out/privateKey.pem" -pubout -out "$out/publicKey.pem"
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if [ "$candidate" != "${1:-}" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  die "no free port found"
}
port=$(free_port)
management_port=$(free_port "$port")
url="http://127.0.0.1:$port"
health_url="http://127.0.0.1:$management_port/q/health/ready"

# Shipped defaults: only the database, the key pair and the ports are given.
env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
  QUARKUS_DATASOURCE_USERNAME=postgres \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$out/privateKey.pem" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$out/publicKey.pem" \
  QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$management_port" \
  taskset -c "$server_cpu" java -jar "$jar" >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "$health_url" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { tail -30 "$out/server.log" >&2; die "the server exited"; }
  sleep 0.5
done
curl -sf "$health_url" >/dev/null || die "the server did not become ready"
say "$mode: server pid $server_pid on $url (management $management_port, CPU $server_cpu); reports in $out"

# Every 5 s: seconds since start, RSS, peak RSS, open descriptors, threads, CPU seconds so far,
# whether /q/health/ready answered 200, and the server's established TCP connections on its port.
tick=$(getconf CLK_TCK)
t_start=$(date +%s)
(
  echo -e "t_s\trss_mib\thwm_mib\tfds\tthreads\tcpu_s\tready\ttcp_estab"
  while kill -0 "$server_pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status" 2>/dev/null || echo -)
    hwm=$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status" 2>/dev/null || echo -)
    thr=$(awk '/^Threads:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo -)
    fds=$(ls "/proc/$server_pid/fd" 2>/dev/null | wc -l)
    cpu=$(awk -v t="$tick" '{printf "%.1f", ($14 + $15) / t}' "/proc/$server_pid/stat" 2>/dev/null || echo -)
    ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$health_url" 2>/dev/null || true)
    estab=$(ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l || echo -)
    echo -e "$(($(date +%s) - t_start))\t$rss\t$hwm\t$fds\t$thr\t$cpu\t$ready\t$estab"
    sleep 5
  done
) >"$out/samples.tsv" &
sampler_pid=$!

if [ "$mode" = attack ]; then
  taskset -c "$client_cpu" chrt -i 0 java -cp "$bench_jar" io.huddle.bench.Attack --url "$url" \
    --from 127.0.0.2 --duration 30m --one-email-for "$one_email_for" --json "$out/attack.json" "${attack_args[@]}" \
    >"$out/attack.txt" 2>"$out/attack.log" &
  attack_pid=$!
  sleep "$lead"
  kill -0 "$attack_pid" 2>/dev/null || { cat "$out/attack.log" >&2; die "the attack driver exited"; }
  say "attacks running for $lead s; starting the victim"
fi

# The victim: 10 users (10 sign-ups fit the shipped 20 per address per hour), one room, 2 senders
# at 10 msg/s each (under the 20/s per socket and 30/s per user), 10 receivers.
victim_rc=0
taskset -c "$client_cpu" java -jar "$bench_jar" --preset S4 --users 10 --clients 10 --senders 2 \
  --rate 20 --warmup "$warmup" --measure "$measure" --drain 10s --p99-limit-ms 100 \
  --loss-limit-pct 0 --url "$url" --health-url "$health_url" --server-pid "$server_pid" \
  --json "$out/victim.json" --acked "$out/acked.tsv" "${victim_args[@]}" \
  >"$out/victim.txt" 2>"$out/victim.log" || victim_rc=$?
say "victim finished (exit $victim_rc)"
curl -s "http://127.0.0.1:$management_port/q/metrics" >"$out/metrics.txt" || true
stop "$attack_pid"
attack_pid=""

# Every acknowledged message must be in the database, in the room and at the seq its ack named.
acked_check=$(
  psql_db -d "$db" -At -F ' ' <<SQL
create temp table acked (client_id text, room_id text, seq bigint);
\copy acked from '$out/acked.tsv'
select count(*),
       count(m.id),
       count(*) filter (where m.id is null),
       count(*) filter (where m.id is not null and m.seq <> a.seq)
from acked a
left join messages m on m.room_id = a.room_id and m.client_id = a.client_id;
SQL
)
read -r acked stored missing wrong_seq <<<"$acked_check"
sleep 5 # one more sample after the load
stop "$sampler_pid"
sampler_pid=""
stop "$server_pid"
server_pid=""

v=$out/victim.json
{
  echo "mode: $mode (warm-up $warmup, measured $measure; attacks from $lead s before the victim)"
  if [ -s "$v" ]; then
    jq -r '.steps[-1] as $s |
      "victim ack latency   p50 \($s.ackLatencyMs.p50) ms, p99 \($s.ackLatencyMs.p99) ms, p99.9 \($s.ackLatencyMs["p99.9"]) ms, max \($s.ackLatencyMs.max) ms (\($s.acks) acks in the window)",
      "victim delivery      p50 \($s.latencyMs.p50) ms, p99 \($s.latencyMs.p99) ms, max \($s.latencyMs.max) ms",
      "victim deliveries    sent \($s.sent), expected \($s.expected), received \($s.received), lost \($s.lost) (\($s.lossPct) %)",
      "victim frames        error \(.frames.error), closed by server \(.sockets.closedByServer), duplicates \(.order.duplicates), out-of-order \(.order.outOfOrder), seq missing \(.order.serverSeqMissing)",
      "victim server CPU    \($s.serverCpuPct | floor) % of a core in the window; RSS peak \(($s.serverRssKibPeak / 1024) | floor) MiB"' "$v"
  else
    echo "victim: no JSON report (exit $victim_rc); see $out/victim.log"
  fi
  echo "victim RESULT        $(grep -m1 '^RESULT' "$out/victim.txt" 2>/dev/null || echo none) (exit $victim_rc)"
  echo "acked vs database    $acked acked (whole run), $stored stored, $missing missing, $wrong_seq at another seq"
  echo "server samples       (t_s rss_mib hwm_mib fds threads cpu_s ready tcp_estab), every 30 s:"
  awk -F'\t' 'NR == 1 || (NR - 2) % 6 == 0 {print "  " $0}' "$out/samples.tsv"
  awk -F'\t' 'NR > 1 && $2 != "-" {
      if (!n++ || $2 > rmax) rmax = $2; if (n == 1 || $4 > fmax) fmax = $4; if (n == 1 || $4 < fmin) fmin = $4
      if ($7 != 200) notready++ }
    END {printf "  RSS max %s MiB, fds %d..%d, health not 200 in %d of %d samples\n", rmax, fmin, fmax, notready, n}' \
    "$out/samples.tsv"
  echo "server log           $(wc -l <"$out/server.log") lines, $(grep -c 'Connection already closed' "$out/server.log" || true) of them 'Connection already closed', $(grep -c ' ERROR ' "$out/server.log" || true) ERROR, $(du -h "$out/server.log" | cut -f1)"
  echo "rate limited (server counter huddle_rate_limited_total):"
  grep '^huddle_rate_limited_total' "$out/metrics.txt" 2>/dev/null | sed 's/^/  /' || echo "  none"
  if [ "$mode" = attack ]; then
    echo "attack driver:"
    sed 's/^/  /' "$out/attack.txt"
  fi
} | tee "$out/summary.txt"
