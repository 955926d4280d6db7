#!/usr/bin/env bash
# Checks Huddle's deployment artifacts offline: no Docker engine and no cluster are needed, and
# nothing is downloaded but Debian packages, npm packages and Maven artifacts.
#   - the Dockerfiles (syntax, non-root numeric USER, EXPOSE 8080 and 9000),
#   - docker-compose.yml, also with the native profile (docker-compose v1 `config`),
#   - the Kustomize targets overlays/jvm, overlays/native and dev, rendered with kubectl and every
#     object validated against the Kubernetes API schemas (.ci/k8s-validate), and what they expose:
#     probes on the management port, which no Service or Ingress reaches (check-exposure.js),
#   - the validators themselves, on known-broken inputs they must reject.
# (The native executable itself is built and tested by .ci/run.)
# Run from anywhere as root on Debian 12 (it installs what is missing). Stops at the first
# failing check.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
created=()
created_dirs=()
cleanup() {
  local f
  for f in ${created[@]+"${created[@]}"}; do
    rm -f "$f"
  done
  for f in ${created_dirs[@]+"${created_dirs[@]}"}; do
    rmdir "$f" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

checks=0
step() { printf '==> %s\n' "$*"; }
pass() {
  checks=$((checks + 1))
  printf '    ok: %s\n' "$*"
}
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}

# Creates a placeholder file when the real one is absent (rendering needs the file, not a real
# key); the exit trap removes exactly the files created here, never an existing one.
placeholder() {
  local file=$1
  if [[ ! -e $file ]]; then
    if [[ ! -d $(dirname "$file") ]]; then
      mkdir -p "$(dirname "$file")"
      created_dirs+=("$(dirname "$file")")
    fi
    printf 'placeholder-for-ci-%s' "$(basename "$file")" >"$file"
    created+=("$file")
  fi
}

export DEBIAN_FRONTEND=noninteractive
# Installs Debian packages; refreshes the package lists only if the first attempt fails.
apt_install() {
  [[ $(id -u) -eq 0 ]] || fail "$* missing and not root: install it (apt-get install $*)"
  if ! apt-get install -y --no-install-recommends "$@" >"$work/apt.log" 2>&1; then
    apt-get update >>"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; fail "apt-get update"; }
    apt-get install -y --no-install-recommends "$@" >>"$work/apt.log" 2>&1 ||
      { tail -20 "$work/apt.log"; fail "apt-get install $*"; }
  fi
}

step "tools"
command -v docker-compose >/dev/null || apt_install docker-compose
command -v kubectl >/dev/null || apt_install kubernetes-client
command -v npm >/dev/null || apt_install nodejs npm
kubectl_version=$(kubectl version --client 2>/dev/null || true)
kustomize_major=$(sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p' <<<"$kubectl_version")
if [[ ${kustomize_major:-0} -ge 4 ]]; then
  render_mode="kubectl kustomize (kustomize v$kustomize_major)"
else
  # kubectl <= 1.20 (Debian 12's kubernetes-client) embeds kustomize v2: render a copy of
  # kubernetes/ rewritten into v2's spelling of the same fields (see kustomize-compat.js).
  render_mode="kubectl kustomize (kustomize v2, through kustomize-compat.js)"
fi
pass "docker-compose $(docker-compose version --short), node $(node --version), $render_mode"

step "validator dependencies (npm ci)"
(cd .ci/k8s-validate && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) ||
  { cat "$work/npm.log"; fail "npm ci in .ci/k8s-validate"; }
pass "$(cd .ci/k8s-validate && node -p 'const p=require("./package.json").dependencies; Object.entries(p).map(([n,v])=>n+"@"+v).join(", ")')"

step "validators reject known-broken inputs"
node .ci/k8s-validate/validate.js --expect-invalid .ci/k8s-validate/broken/*.yaml ||
  fail "the manifest validator accepted a broken manifest"
node .ci/k8s-validate/lint-dockerfiles.js --expect-invalid .ci/k8s-validate/broken/Dockerfile.* ||
  fail "the Dockerfile check accepted a broken Dockerfile"
node .ci/k8s-validate/check-exposure.js --expect-invalid .ci/k8s-validate/broken/exposure/*.yaml ||
  fail "the exposure check accepted a manifest that probes or exposes the wrong port"
pass "every broken manifest and Dockerfile was rejected for its stated reason"

step "Dockerfiles"
node .ci/k8s-validate/lint-dockerfiles.js src/main/docker/Dockerfile.jvm \
  src/main/docker/Dockerfile.native src/main/docker/Dockerfile.native-multistage ||
  fail "Dockerfile check"
pass "Dockerfile.jvm, Dockerfile.native, Dockerfile.native-multistage"

step "docker-compose.yml"
docker-compose -f docker-compose.yml config -q || fail "docker-compose config"
docker-compose -f docker-compose.yml --profile native config -q || fail "docker-compose --profile native config"
docker-compose -f docker-compose.yml config >"$work/compose.yml"
node .ci/k8s-validate/check-compose.js "$work/compose.yml" || fail "docker-compose.yml content"
pass "parses (default and native profile); healthy-wait, env, secrets and profiles as required; management port 9000 on 127.0.0.1 only, healthcheck on it"

step "Kubernetes manifests"
placeholder kubernetes/base/secrets/db-password
placeholder kubernetes/base/secrets/privateKey.pem
placeholder kubernetes/base/secrets/publicKey.pem
kustomize_root=kubernetes
if [[ ${kustomize_major:-0} -lt 4 ]]; then
  kustomize_root=$work/kubernetes-v2
  node .ci/k8s-validate/kustomize-compat.js kubernetes "$kustomize_root"
fi
render() { # target, expected image of the huddle container
  local out
  out="$work/rendered-$(tr / - <<<"$1").yaml"
  kubectl kustomize "$kustomize_root/$1" >"$out" 2>"$work/kustomize.log" ||
    { cat "$work/kustomize.log"; fail "kubectl kustomize kubernetes/$1"; }
  grep -q "image: $2\$" "$out" || fail "kubernetes/$1 does not run image $2"
  pass "kubernetes/$1 renders ($(grep -c '^kind:' "$out") objects, image $2)"
}
render overlays/jvm ghcr.io/example/huddle/huddle-jvm:1.0.0-SNAPSHOT
render overlays/native ghcr.io/example/huddle/huddle-native:1.0.0-SNAPSHOT
render dev huddle-jvm:dev
node .ci/k8s-validate/validate.js "$work"/rendered-overlays-jvm.yaml \
  "$work"/rendered-overlays-native.yaml "$work"/rendered-dev.yaml kubernetes/base/secret.example.yaml ||
  fail "Kubernetes schema validation"
pass "every rendered object (and secret.example.yaml) matches the Kubernetes 1.27 API schemas"
node .ci/k8s-validate/check-exposure.js "$work"/rendered-overlays-jvm.yaml \
  "$work"/rendered-overlays-native.yaml "$work"/rendered-dev.yaml ||
  fail "Kubernetes exposure check"
pass "probes on the management port (9000); no Service or Ingress exposes it"

printf 'check-deploy: all %d checks passed in %d s\n' "$checks" "$SECONDS"
