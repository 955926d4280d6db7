#!/usr/bin/env bash
# build-seed.sh OUT — builds the Go original (../shared/seed) into OUT, for the bench's --target go.
# The seed's build.sh installs Go, gin, jwt, pq and x/crypto when missing; the hub also needs
# gorilla's websocket package, which it does not check for (about 15 s of apt on this machine).
set -euo pipefail
out=$1
if [ ! -d /usr/share/gocode/src/github.com/gorilla/websocket ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    golang-github-gorilla-websocket-dev >/dev/null
fi
sh "$(cd "$(dirname "$0")/../.." && pwd)/shared/seed/build.sh" "$out"
