#!/usr/bin/env bash
# i13sum.sh OUT — the tables of bench/perf/i13.sh: per phase and target every run's value, the
# median, and the median's ratio to Go's median of the same runs; then the load averages per run.
# Only runs that passed count in the value rows (a failed run is in "passed" and in runs.tsv).
set -euo pipefail
out=${1:-/tmp/perf/i13}
vals() { # phase target jq -> one value per run, in round order
  local f
  for f in $(ls "$out/$1.$2".*.json 2>/dev/null | sort -t. -k3n); do
    if [ "${ALL:-}" ]; then jq -r "($3) // empty" "$f" 2>/dev/null || true
    else jq -r "if .passed then (($3) // empty) else empty end" "$f" 2>/dev/null || true; fi
  done
}
median() { sort -g | awk 'NF {v[++n] = $1} END { if (!n) { print "-"; exit }
  print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }
row() { # phase label jq targets...
  local ph=$1 label=$2 q=$3; shift 3
  local go_m="" t m all
  printf '| %s |' "$label"
  for t in "$@"; do
    all=$(vals "$ph" "$t" "$q" | awk '{printf "%s%s", (NR > 1 ? " / " : ""), ($1 >= 1000 || $1 <= -1000) ? sprintf("%.0f", $1) : sprintf("%.3g", $1)}')
    m=$(vals "$ph" "$t" "$q" | median)
    [ "$t" = go ] && go_m=$m
    if [ "$m" = - ]; then printf ' - |'; continue; fi
    printf ' **%s** (%s)' "$(awk -v v="$m" 'BEGIN {printf ((v >= 1000) ? "%.0f" : "%.3g"), v}')" "$all"
    [ "$t" != go ] && printf ' · %s' "$(awk -v a="$m" -v b="$go_m" 'BEGIN { if (b == "" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')"
    printf ' |'
  done
  echo
}
for ph in S4 S2 S2max S3 storm warm c1000; do
  ls "$out/$ph".*.json >/dev/null 2>&1 || continue
  # the targets that ran (STORM_TARGETS and LATENCY_TARGETS choose them)
  ts=(go base head c1 aot image native); kept=()
  for t in "${ts[@]}"; do ls "$out/$ph.$t".*.json >/dev/null 2>&1 && kept+=("$t"); done; ts=("${kept[@]}")
  echo; echo "### $ph (median (runs) · ratio to go)"
  printf '| |'; for t in "${ts[@]}"; do printf ' %s |' "$t"; done; echo
  printf '|---|'; for t in "${ts[@]}"; do printf -- '---|'; done; echo
  printf '| passed |'; for t in "${ts[@]}"; do
    printf ' %s/%s |' "$(ALL=1 vals "$ph" "$t" 'if .passed then 1 else empty end' | wc -l)" "$(ls "$out/$ph.$t".*.json 2>/dev/null | wc -l)"; done; echo
  case $ph in
    S4|S2|S2max)
      row "$ph" 'deliveries/s' '.steps[-1].deliveriesPerSecond' "${ts[@]}"
      row "$ph" 'loss (%)' '.steps[-1].lossPct' "${ts[@]}"
      row "$ph" 'p50 (ms)' '.steps[-1].latencyMs.p50' "${ts[@]}"
      row "$ph" 'p99 (ms)' '.steps[-1].latencyMs.p99' "${ts[@]}"
      row "$ph" 'p99.9 (ms)' '.steps[-1].latencyMs["p99.9"]' "${ts[@]}"
      row "$ph" 'server CPU per delivery (us)' '.steps[-1].serverMicrosPerDelivery' "${ts[@]}"
      row "$ph" 'server CPU (% of a core)' '.steps[-1].serverCpuPct' "${ts[@]}"
      row "$ph" 'others (% of a core)' 'if .steps[-1].otherCpuSeconds >= 0 then .steps[-1].otherCpuSeconds * 100 / .steps[-1].measureSeconds else empty end' "${ts[@]}"
      ;;
    S3)
      row "$ph" 'connected' '.setup.connected' "${ts[@]}"
      row "$ph" 'RSS before connecting (MiB)' '.setup.serverRssKibBeforeConnect / 1024' "${ts[@]}"
      row "$ph" 'RSS with the connections (MiB)' '.setup.serverRssKibAfterConnect / 1024' "${ts[@]}"
      row "$ph" 'RSS growth per connection (KiB)' '(.setup.serverRssKibAfterConnect - .setup.serverRssKibBeforeConnect) / .setup.connected' "${ts[@]}"
      row "$ph" 'RSS growth per connection after the hold (KiB)' '(.setup.serverRssKibAfterHold - .setup.serverRssKibBeforeConnect) / .setup.connected' "${ts[@]}"
      row "$ph" 'live heap per connection after a full GC (KiB)' 'if .setup.serverHeapKibAfterHold > 0 then (.setup.serverHeapKibAfterHold - .setup.serverHeapKibBeforeConnect) / .setup.connected else empty end' "${ts[@]}"
      ;;
    storm|warm|c1000)
      row "$ph" 'handshakes in flight' '.config.connectParallel' "${ts[@]}"
      row "$ph" 'connected' '.setup.connected' "${ts[@]}"
      row "$ph" 'connect all (s)' '.setup.connectSeconds' "${ts[@]}"
      row "$ph" 'handshake p50 (ms)' '.setup.handshakeMs.p50' "${ts[@]}"
      row "$ph" 'handshake p99 (ms)' '.setup.handshakeMs.p99' "${ts[@]}"
      row "$ph" 'errors (not connected)' '.config.clients - .setup.connected' "${ts[@]}"
      row "$ph" 'server CPU per handshake (ms)' 'if .setup.connected > 0 then .setup.serverCpuSecondsForConnect * 1000 / .setup.connected else empty end' "${ts[@]}"
      ;;
  esac
done
# head / base in the same round (both passed): the paired view, which the Go medians do not disturb.
one() { [ -f "$out/$1.json" ] && jq -r "if .passed then (($2) // empty) else empty end" "$out/$1.json" 2>/dev/null || true; }
for ph in S4 S2 storm; do
  ls "$out/$ph".*.json >/dev/null 2>&1 || continue
  case $ph in
    storm) qs=('.setup.connectSeconds' '.setup.handshakeMs.p99') labels=('connect all' 'handshake p99') ;;
    *) qs=('.steps[-1].latencyMs.p50' '.steps[-1].latencyMs.p99' '.steps[-1].latencyMs["p99.9"]' '.steps[-1].serverMicrosPerDelivery')
       labels=(p50 p99 p99.9 'us/delivery') ;;
  esac
  echo; echo "### $ph: head / base per round"
  ls "$out/$ph".base.*.json >/dev/null 2>&1 || continue
  for r in $(ls "$out/$ph".base.*.json | sed 's/.*\.\([0-9]*\)\.json/\1/' | sort -n); do
    printf 'round %s:' "$r"
    for k in "${!qs[@]}"; do
      a=$(one "$ph.head.$r" "${qs[$k]}"); b=$(one "$ph.base.$r" "${qs[$k]}")
      printf ' %s %s' "${labels[$k]}" "$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }')"
      [ "$ph" = storm ] && printf ' (aot/base %s)' "$(awk -v a="$(one "$ph.aot.$r" "${qs[$k]}")" -v b="$b" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }')"
    done
    echo
  done
done
# Start to ready (ms, one CPU) and RSS 3 s after ready (MiB), every run of a target, any phase.
echo; echo "### start to ready and idle RSS (median (runs) over all phases)"
echo '| target | runs | start to ready (ms) | idle RSS (MiB) |'; echo '|---|---|---|---|'
for t in go base head c1 aot image native; do
  n=$(awk -F'\t' -v t="$t" 'NR > 1 && $3 == t' "$out/runs.tsv" | wc -l); [ "$n" -gt 0 ] || continue
  r=$(awk -F'\t' -v t="$t" 'NR > 1 && $3 == t && $7 != "-" {print $7}' "$out/runs.tsv" | median)
  m=$(awk -F'\t' -v t="$t" 'NR > 1 && $3 == t && NF >= 10 && $10 != "-" {printf "%.1f\n", $10 / 1024}' "$out/runs.tsv" | median)
  printf '| %s | %s | %s | %s |\n' "$t" "$n" "$r" "$m"
done
echo; echo "### runs"; cat "$out/runs.tsv"
# Where the CPU went, per thread group (bench/perf/threadcpu.sh): at ready (the start), and over
# the kept bench run of the warm storm (.threads.after - .threads.before); medians of the runs.
group() { # thread name -> group
  awk -F'\t' '{n = $1; g = "other"
    if (n ~ /^C2 Compiler/) g = "C2"; else if (n ~ /^C1 Compiler/) g = "C1"
    else if (n ~ /eventloo|ntloop/) g = "event loop"; else if (n ~ /xecutor-thread|cutor-thread/) g = "workers"
    else if (n ~ /^(java|huddle-1\.0\.0-SN|main)$/) g = "main"
    else if (n ~ /^(VM Thread|GC Thread|G1 |VM Periodic)/) g = "VM and GC"
    s[g] += $2} END {for (k in s) print k "\t" s[k]}'
}
threads_table() { # title mode(at|diff) phases... ; at: per target over all those phases' runs
  local title=$1 mode=$2; shift 2
  echo; echo "### $title (ms of CPU, median of the runs)"
  echo '| phase | target | runs | main | C2 | C1 | event loop | workers | VM and GC | other | all |'
  echo '|---|---|---|---|---|---|---|---|---|---|---|'
  local ph t f g files tmp
  for ph in "$@"; do for t in base head c1 aot image native; do
    if [ "$mode" = at ]; then files=$(ls "$out"/*."$t".*.threads 2>/dev/null | grep -v '/pre' || true)
    else files=$(ls "$out/$ph.$t".*.threads 2>/dev/null || true); fi
    [ -n "$files" ] || continue
    tmp=$(mktemp)
    for f in $files; do
      if [ "$mode" = at ]; then group <"$f"
      else [ -f "$f.after" ] || continue
        join -t$'\t' -a2 -e0 -o 0,1.2,2.2 <(sort "$f.before") <(sort "$f.after") | awk -F'\t' '{print $1 "\t" ($3 - $2)}' | group
      fi | awk -F'\t' -v r="$f" '{print r "\t" $0}' >>"$tmp"
    done
    printf '| %s | %s | %s |' "$ph" "$t" "$(cut -f1 "$tmp" | sort -u | wc -l)"
    for g in main C2 C1 'event loop' workers 'VM and GC' other all; do
      if [ "$g" = all ]; then awk -F'\t' '{s[$1] += $3} END {for (k in s) print s[k]}' "$tmp"
      else awk -F'\t' -v g="$g" '$2 == g {print $3}' "$tmp"; fi | median | awk '{printf " %s |", $1}'
    done
    echo; rm -f "$tmp"
  done; [ "$mode" = at ] && break; done
}
# At ready: every run of a target, whatever its phase. Around the kept run: the warm storm only
# (the cold storms' kept runs also sign their 200 users up: bcrypt on the workers).
ls "$out"/*.threads >/dev/null 2>&1 && threads_table 'start: CPU per thread group at ready, all phases' at all
ls "$out"/warm.*.threads.after >/dev/null 2>&1 && threads_table 'the warm storm (the third, users cached): CPU per thread group over the bench run' diff warm
exit 0
