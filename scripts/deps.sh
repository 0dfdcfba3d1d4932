#!/usr/bin/env bash
# Installs every missing build and test dependency of softbmc on Debian 12 (run as root).
# Usage: scripts/deps.sh [build|test|fuzz|all]   (default: all; test includes fuzz)
set -euo pipefail

build_pkgs=(build-essential pkg-config meson ninja-build
  libssl-dev libsqlite3-dev libuv1-dev libjansson-dev libcyaml-dev libyaml-dev libwebsockets-dev
  libcmocka-dev)
test_pkgs=(ipmitool freeipmi-tools python3 python3-pyghmi procps prometheus-ipmi-exporter)
# libFuzzer targets (make fuzz, and the smoke run in make test): clang and its runtime
fuzz_pkgs=(clang libclang-rt-14-dev)

case "${1:-all}" in
  build) want=("${build_pkgs[@]}") ;;
  fuzz) want=("${build_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  test|all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|fuzz|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
