#!/usr/bin/env bash
pid=$(cat /tmp/perf/$1.pid); kill $pid 2>/dev/null; for _ in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done; kill -9 $pid 2>/dev/null; true
