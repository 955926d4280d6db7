#!/usr/bin/env bash
# every 5 s: time, xact_commit of huddle_perf_a, huddle_messages_received_total from the server on port 19080 (management port 20080)
while true; do
  x=$(psql -tA -h 127.0.0.1 -U postgres -c "select xact_commit from pg_stat_database where datname='huddle_perf_a'")
  m=$(curl -s --max-time 2 http://127.0.0.1:20080/q/metrics | grep -E '^huddle_messages_received_total' | awk '{print $2}')
  echo "$(date +%s) $x ${m:-NA}"
  sleep 5
done
