#!/usr/bin/env bash
# The figures of docs/performance.md "Native executable (2026-12-01)": the Go original, the JVM
# jar and the native executable side by side, a fresh server per run, server on CPU 0 from its
# start, generator on CPU 1 (bench/compare.sh does each run). Needs the jar and the binary built
# (./mvnw package -DskipTests; ./mvnw package -Dnative -DskipTests), jq, psql, the local PostgreSQL.
#   bench/perf/native.sh [OUT] [PHASES...]     phases: gc gc2 side start warm (default: all)
#   RUNS=2 (per figure)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench/target/native-$(date +%Y%m%d-%H%M%S)}
shift || true
phases=${*:-gc gc2 side start warm}
runs=${RUNS:-2}
mkdir -p "$out"
# The native settings the image ships with (src/main/docker/Dockerfile.native CMD); see "gc".
shipped=${SHIPPED_NATIVE_ARGS:--Xms192m -Xmx256m -Xmn96m -XX:+CollectYoungGenerationSeparately}

for phase in $phases; do
  case $phase in
  gc)
    # The native serial GC: default sizing (max heap 80 % of RAM, young generation up to 10 % of
    # it) against bounded young generations, S4 (the latency tail) and idle RSS.
    i=0
    for args in "" "-Xmn16m" "-Xmn64m" "$shipped"; do
      i=$((i + 1))
      PRESETS=S4 TARGETS=native NATIVE_ARGS="$args" bench/compare.sh "$runs" "$out/gc-$i"
      printf '%s\n' "${args:-(defaults)}" >"$out/gc-$i/native-args.txt"
    done
    ;;
  gc2)
    # The shipped settings against the defaults, alternately, with the serial GC's log: the
    # young generation the defaults shrink to, and the full collections that make the tail.
    for run in $(seq 1 "$runs"); do
      for args in "" "$shipped"; do
        name=$([ -z "$args" ] && echo defaults || echo shipped)
        PRESETS=S4 TARGETS=native NATIVE_ARGS="$args -XX:+PrintGC" \
          bench/compare.sh 1 "$out/gc2-$name-$run"
      done
    done
    ;;
  side)
    NATIVE_ARGS="$shipped" PRESETS="storm S3 S4 S2fixed" TARGETS="go jvm native" \
      bench/compare.sh "$runs" "$out/side"
    ;;
  start)
    # Start to ready and idle RSS on two CPUs (the side-by-side runs pin to one).
    NATIVE_ARGS="$shipped" PRESETS=smoke TARGETS="go jvm native" SERVER_CPU=0,1 \
      bench/compare.sh "$runs" "$out/start-2cpu"
    ;;
  warm)
    # A warm server: three storms in a row against one server; the third is the warm figure.
    NATIVE_ARGS="$shipped" PRESETS=storm TARGETS="go jvm native" REPEAT=3 \
      bench/compare.sh "$runs" "$out/warm"
    ;;
  *) echo "unknown phase $phase" >&2; exit 2 ;;
  esac
done
echo "native.sh: reports in $out"
