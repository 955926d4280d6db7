#!/usr/bin/env bash
# issue 6: S2fixed at 675 msg/s and at 300 msg/s (30 k deliveries/s); JAVA=... for another JDK
cd "$(dirname "$0")/../.."
out=/tmp/perf/s2; mkdir -p $out
tag=${TAG:-jdk17}
pid=$(/tmp/perf/start.sh s2-$tag 19084 huddle_perf_c 0 ${JAVA:-java})
for run in ${RUNS:-1 2}; do
  for rate in ${RATES:-675 300}; do
    taskset -c 1 java -jar bench/target/huddle-bench.jar --preset S2fixed --rate $rate --url http://127.0.0.1:19084 --health-url http://127.0.0.1:20084/q/health/ready --server-pid $pid \
      --warmup 30s --measure 20s --user-cache $out/users.json --json $out/$tag-r$rate-$run.json > $out/$tag-r$rate-$run.txt 2>&1
    echo "$tag rate $rate run $run rc=$? $(grep -m1 -A0 '  latency ' $out/$tag-r$rate-$run.txt)"
  done
done
/tmp/perf/stop.sh s2-$tag
echo ALLDONE
