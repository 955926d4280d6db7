#!/usr/bin/env bash
# Scrapes Prometheus text endpoints once per interval into a directory, the way Prometheus would,
# so that docs/grafana/render.mjs can draw the dashboard from a real run without a Prometheus.
#
#   docs/grafana/scrape.sh OUT_DIR URL [URL...]
#     URL       the full metrics URL of each node, on its management interface, e.g.
#               http://127.0.0.1:9000/q/metrics (the HTTP port 8080 does not serve metrics)
#   SCRAPE_INTERVAL=1     seconds between scrape rounds (integer)
#   SCRAPE_DURATION=0     stop after this many seconds (0: until SIGINT/SIGTERM)
#   SCRAPE_TIMEOUT=2      per-request timeout in seconds
#
# OUT_DIR gets one file per scrape (NNNNNN-K.prom: round N, target K) and index.tsv with one line
# per scrape: epoch milliseconds at the start of the round, instance (host:port of the URL),
# file name, HTTP status (000 when the request failed; the file is then empty). All targets of a
# round are scraped in parallel; a round that overruns the interval delays the next one.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
out=$1
shift
interval=${SCRAPE_INTERVAL:-1}
duration=${SCRAPE_DURATION:-0}
timeout=${SCRAPE_TIMEOUT:-2}
mkdir -p "$out"
: >"$out/index.tsv"

urls=("$@")
instances=()
for url in "$@"; do
  # scheme://host:port/path -> host:port (the label Prometheus would give the target)
  hostport=${url#*://}
  hostport=${hostport%%/*}
  instances+=("$hostport")
done

stop=""
trap 'stop=yes' INT TERM

start_ms=$(date +%s%3N)
round=0
while [ -z "$stop" ]; do
  now_ms=$(date +%s%3N)
  if [ "$duration" -gt 0 ] && [ $((now_ms - start_ms)) -ge $((duration * 1000)) ]; then
    break
  fi
  name=$(printf '%06d' "$round")
  pids=()
  for k in "${!instances[@]}"; do
    file="$name-$k.prom"
    (
      code=$(curl -s -m "$timeout" -o "$out/$file.part" -w '%{http_code}' "${urls[$k]}" || true)
      [ -n "$code" ] || code=000
      if [ "$code" != 200 ]; then : >"$out/$file.part"; fi
      mv "$out/$file.part" "$out/$file"
      printf '%s\t%s\t%s\t%s\n' "$now_ms" "${instances[$k]}" "$file" "$code" >"$out/$file.idx"
    ) &
    pids+=($!)
  done
  wait "${pids[@]}" 2>/dev/null || true
  for k in "${!instances[@]}"; do
    cat "$out/$name-$k.prom.idx" >>"$out/index.tsv" 2>/dev/null || true
    rm -f "$out/$name-$k.prom.idx"
  done
  round=$((round + 1))
  # Sleep until the next tick of the fixed schedule (start + round * interval).
  next_ms=$((start_ms + round * interval * 1000))
  now_ms=$(date +%s%3N)
  wait_ms=$((next_ms - now_ms))
  if [ "$wait_ms" -gt 0 ] && [ -z "$stop" ]; then
    sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))" || true
  fi
done
echo "scrape: $round rounds of ${#instances[@]} target(s) in $out" >&2
