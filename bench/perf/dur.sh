#!/usr/bin/env bash
# durability: persistence on/off x senders 1/10/100 x 2 runs
cd "$(dirname "$0")/../.."
out=/tmp/perf/dur; mkdir -p $out
for mode in on off; do
  if [ $mode = off ]; then export HUDDLE_HISTORY_ENABLED=false; db=huddle_perf_b; else unset HUDDLE_HISTORY_ENABLED; db=huddle_perf_a; fi
  pid=$(/tmp/perf/start.sh dur-$mode 19080 $db 0)
  echo "mode $mode pid $pid"
  for run in 1 2; do
    for s in 1 10 100; do
      clients=20; rooms=1; [ $s -gt 20 ] && { clients=$s; rooms=$((s/20)); }
      rate=$((s*10))
      taskset -c 1 java -jar bench/target/huddle-bench.jar --url http://127.0.0.1:19080 --health-url http://127.0.0.1:20080/q/health/ready --server-pid $pid \
        --rooms $rooms --clients $clients --users $clients --senders $s --rate $rate --size 100 \
        --warmup 20s --measure 20s --drain 3s --user-cache $out/users-$db.json --json $out/$mode-s$s-$run.json > $out/$mode-s$s-$run.txt 2>&1
      echo "$mode s=$s run $run rc=$? $(grep -m1 'ack latency' $out/$mode-s$s-$run.txt)"
      curl -s http://127.0.0.1:20080/q/metrics | grep -E '^huddle_messages_(received|delivered)_total' > $out/$mode-s$s-$run.metrics
    done
  done
  /tmp/perf/stop.sh dur-$mode
done
echo ALLDONE
