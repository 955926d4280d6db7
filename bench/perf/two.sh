#!/usr/bin/env bash
# issue 5: 1 room x 500 clients, 5 senders; 1 node (memory broker) vs 2 nodes (redis broker), ramp 20 -> 100 msg/s
cd "$(dirname "$0")/../.."
out=/tmp/perf/two; mkdir -p $out
B="--rooms 1 --clients 500 --users 50 --senders 5 --rate 20 --ramp --ramp-factor 5 --ramp-max-steps 2 --ramp-retries 0 --p99-limit-ms 60000 --loss-limit-pct 100 --warmup 20s --step-warmup 20s --step-measure 20s --measure 20s --drain 5s --size 100"
for run in 1 2; do
  # one node
  pid=$(/tmp/perf/start.sh one 19081 huddle_perf_c 0)
  taskset -c 1 java -jar bench/target/huddle-bench.jar --url http://127.0.0.1:19081 --health-url http://127.0.0.1:20081/q/health/ready --server-pid $pid $B \
    --user-cache $out/users-one.json --json $out/one-$run.json > $out/one-$run.txt 2>&1
  echo "one run $run rc=$?"; /tmp/perf/stop.sh one
  # two nodes
  export HUDDLE_BROKER=redis QUARKUS_REDIS_HOSTS=redis://127.0.0.1:6379 HUDDLE_CLUSTER_KEY_PREFIX=huddle_perf_$run$$
  p1=$(/tmp/perf/start.sh n1 19082 huddle_perf_c 0)
  p2=$(/tmp/perf/start.sh n2 19083 huddle_perf_c 0)
  unset HUDDLE_BROKER QUARKUS_REDIS_HOSTS HUDDLE_CLUSTER_KEY_PREFIX
  taskset -c 1 java -jar bench/target/huddle-bench.jar --url http://127.0.0.1:19082,http://127.0.0.1:19083 --health-url http://127.0.0.1:20082/q/health/ready --server-pid $p1,$p2 $B \
    --user-cache $out/users-two.json --json $out/two-$run.json > $out/two-$run.txt 2>&1
  echo "two run $run rc=$?"
  for n in n1 n2; do curl -s http://127.0.0.1:$([ $n = n1 ] && echo 20082 || echo 20083)/q/metrics | grep -E '^huddle_(messages_delivered_total|connections_open|messages_gap_filled_total|cluster_publish_failures_total|cluster_redis_errors_total)' > $out/two-$run-$n.metrics; done
  /tmp/perf/stop.sh n1; /tmp/perf/stop.sh n2
done
echo ALLDONE
