#!/usr/bin/env bash
# profile.sh PID SECONDS OUT [EVENT] -- async-profiler 4.1 from Maven Central on a running server:
# EVENT cpu (default; with kernel stacks) or wall; writes collapsed stacks (one line per stack) to OUT.
set -euo pipefail
pid=$1 secs=$2 out=$3 event=${4:-cpu}
jar=~/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar
[ -f "$jar" ] || mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1
lib=/tmp/async-profiler-4.1/linux-x64/libasyncProfiler.so
[ -f "$lib" ] || (mkdir -p /tmp/async-profiler-4.1 && cd /tmp/async-profiler-4.1 && unzip -q -o "$jar")
here=$(cd "$(dirname "$0")" && pwd)
java "$here/Attach.java" "$pid" "$lib" "start,event=$event,interval=500us,threads,file=$out"
sleep "$secs"
java "$here/Attach.java" "$pid" "$lib" "stop,file=$out,collapsed"
