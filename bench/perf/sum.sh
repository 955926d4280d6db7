#!/usr/bin/env bash
# sum.sh FILE.json... : one line per step
for f in "$@"; do
  jq -r --arg f "$(basename $f .json)" '.steps[] | [$f, .rate, .deliveriesPerSecond, .lossPct, .latencyMs.p50, .latencyMs.p99, .latencyMs["p99.9"], (.ackLatencyMs.p50 // "-"), (.ackLatencyMs.p99 // "-"), .serverCpuPct, .serverMicrosPerDelivery, (.serverRssKibPeak/1024|floor), .generatorCpuPct, (.otherCpuSeconds*100/.measureSeconds|floor)] | @tsv' "$f"
done
