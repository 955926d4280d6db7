#!/usr/bin/env bash
# start.sh NAME PORT DB CPU [JAVA] -- extra env as VAR=VAL args before; prints pid
# Health and metrics are on the management port: PORT + 1000.
name=$1 port=$2 db=$3 cpu=$4 java=${5:-java}
mport=$((port + 1000))
cd "$(dirname "$0")/../.."
# The load tool is one address and sends far faster than a person: the per-sender limits are off.
set -a; . bench/load-limits.env; set +a
env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" QUARKUS_DATASOURCE_USERNAME=postgres \
  SMALLRYE_JWT_SIGN_KEY_LOCATION=/tmp/perf/privateKey.pem MP_JWT_VERIFY_PUBLICKEY_LOCATION=/tmp/perf/publicKey.pem \
  QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$mport taskset -c $cpu $java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > /tmp/perf/$name.log 2>&1 &
pid=$!
echo $pid > /tmp/perf/$name.pid
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$mport/q/health/ready >/dev/null 2>&1 && break; sleep 0.5; done
echo $pid
