#!/usr/bin/env bash
# threadcpu.sh PID — CPU time (user+sys, ms) of a running process's threads, summed per thread name
# with trailing digits dropped ("C2 CompilerThread0" and "…1" are one line), largest first. Run it before and
# after a load to see which threads spent the CPU (bench/perf/i13.sh's start breakdown, the warm
# storm profile): the JIT compilers, the event loop, the worker pool, the GC.
set -euo pipefail
pid=$1
tick=$(getconf CLK_TCK)
for t in /proc/"$pid"/task/*; do
  # comm may hold spaces: fields 14 and 15 (utime, stime) are counted from the closing parenthesis.
  stat=$(cat "$t/stat" 2>/dev/null) || continue
  name=$(sed 's/[ #-]*[0-9]*$//' "$t/comm" 2>/dev/null)
  rest=${stat##*) }
  set -- $rest
  echo "$name	$(( (${12} + ${13}) * 1000 / tick ))"
done | awk -F'\t' '{ms[$1] += $2; n[$1]++} END {for (k in ms) printf "%s\t%d\t%d\n", k, ms[k], n[k]}' | sort -t$'\t' -k2,2nr
