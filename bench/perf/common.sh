# Sourced by i13.sh and cluster-storm.sh after they set root (the repository) and out (the report
# directory): what every side-by-side run needs before its first server starts. Sets go_server,
# bench_jar, native_opts and sql(); builds the Go original and the bench when missing, makes a
# key pair in OUT, pins this shell (and so the bench) to CPU 1.
go_server=$root/bench/target/seed-server
bench_jar=$root/bench/target/huddle-bench.jar
# The native image's GC settings (Dockerfile.native's CMD, Compose, the Kubernetes native overlay).
native_opts=(-Xms192m -Xmx256m -Xmn96m -XX:+CollectYoungGenerationSeparately)
mkdir -p "$out"; out=$(cd "$out" && pwd)
[ -x "$go_server" ] || bash "$root/bench/build-seed.sh" "$go_server"
[ -f "$bench_jar" ] || ./mvnw -B -q -f bench/pom.xml package
if [ ! -f "$out/privateKey.pem" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/privateKey.pem" 2>/dev/null
  openssl pkey -in "$out/privateKey.pem" -pubout -out "$out/publicKey.pem"
fi
taskset -cp 1 $$ >/dev/null
export PGOPTIONS="--client-min-messages=warning"
sql() { psql -q -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -d postgres "$@" >/dev/null; }
