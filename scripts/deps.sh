#!/usr/bin/env bash
# Installs every missing build and test dependency of softbmc on Debian 12 (run as root).
# Usage: scripts/deps.sh [build|test|fuzz|bench|all]   (default: all; test includes fuzz; bench is not in all)
set -euo pipefail

build_pkgs=(build-essential pkg-config meson ninja-build
  libssl-dev libsqlite3-dev libuv1-dev libjansson-dev libcyaml-dev libyaml-dev libwebsockets-dev
  libcmocka-dev)
test_pkgs=(ipmitool freeipmi-tools python3 python3-pyghmi procps prometheus-ipmi-exporter
  curl openssl python3-sushy python3-sushy-cli redfishtool chromium)
# the QEMU test guest (tests/qemu/build-guest.sh; the kernel .deb is fetched there, not installed)
# ipxe-qemu: the NIC boot ROM test_qemu's boot-device test PXE-boots (a Depends of qemu-system-x86)
test_pkgs+=(qemu-system-x86 ipxe-qemu busybox-static freeipmi-bmc-watchdog)
# libFuzzer targets (make fuzz, and the smoke run in make test): clang and its runtime
fuzz_pkgs=(clang libclang-rt-14-dev)
bench_pkgs=(openipmi python3) # `make bench`: OpenIPMI's ipmi_sim is the reference BMC

case "${1:-all}" in
  build) want=("${build_pkgs[@]}") ;;
  fuzz) want=("${build_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  test|all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|fuzz|bench|all]" >&2; exit 2 ;;
esac

# The web console test drives Chromium with playwright-core from the npm registry; Node.js
# comes with the machine, else from Debian.
if { [ "${1:-all}" = test ] || [ "${1:-all}" = all ]; } && ! command -v npm >/dev/null; then
  want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -ne 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing packages: ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm packages of the tests, exactly as tests/web/package-lock.json pins them
web="$(dirname "$0")/../tests/web"
if { [ "${1:-all}" = test ] || [ "${1:-all}" = all ]; } &&
   [ ! -f "$web/node_modules/playwright-core/package.json" ]; then
  echo "deps: npm ci in tests/web (playwright-core)" >&2
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
