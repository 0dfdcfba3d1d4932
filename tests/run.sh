#!/usr/bin/env bash
# `make test`: every test suite of softbmc, run after the Makefile has built build/ and build-asan/.
#
#   1. unit tests: every executable build-asan/test_* (cmocka), with TAP output; "ok"/"not ok"
#      lines are counted; a binary that crashes, times out or exits non-zero without reporting
#      a failure counts as one failure, and so does a binary that reports nothing at all.
#   2. integration tests: tests/integration/run.py (real ipmitool, FreeIPMI and pyghmi against
#      build-asan/softbmcd under ASan/UBSan; a leak or UB report fails the daemon's clean-exit
#      check).
#   3. fuzz smoke: every libFuzzer target in build-fuzz/ for FUZZ_SMOKE_SECONDS (default 5)
#      over its corpus (tests/fuzz/run.sh); each target is one PASS or FAIL. Skipped only
#      when there are integration filter arguments.
#
# The last line of output is always "N passed, N failed" (the totals); the exit code is 0 only
# if nothing failed. Every suite runs under `timeout`, so this never hangs.
#
# Environment: ASAN_BUILD (default build-asan), UNIT_TIMEOUT (s, per binary, default 300),
# INTEGRATION_TIMEOUT (s, whole suite, default 1200), and any filter arguments are passed to
# run.py (e.g. tests/run.sh test_refusals).
set -uo pipefail
cd "$(dirname "$0")/.."

ASAN_BUILD=${ASAN_BUILD:-build-asan}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}
INTEGRATION_TIMEOUT=${INTEGRATION_TIMEOUT:-1200}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
PY=/usr/bin/python3   # Debian's python (python3-pyghmi lives there), not a pyenv shim

logdir=tests/integration/.tmp
mkdir -p "$logdir"

total_pass=0
total_fail=0
summary=()

# ---------------------------------------------------------------------------- unit tests
unit_pass=0
unit_fail=0
nbin=0
for bin in "$ASAN_BUILD"/test_*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  nbin=$((nbin + 1))
  name=$(basename "$bin")
  out=$(CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 10 "$UNIT_TIMEOUT" "$bin" 2>&1)
  rc=$?
  ok=$(grep -cE '^ok [0-9]+' <<<"$out")
  nok=$(grep -cE '^not ok [0-9]+' <<<"$out")
  extra=""
  if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
    nok=1
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      extra=" (timed out after ${UNIT_TIMEOUT}s)"
    else
      extra=" (exit code $rc without a reported failure: crash, sanitizer report or leak)"
    fi
  elif [ $((ok + nok)) -eq 0 ]; then
    nok=1
    extra=" (no TAP results at all)"
  fi
  unit_pass=$((unit_pass + ok))
  unit_fail=$((unit_fail + nok))
  if [ "$nok" -ne 0 ]; then
    echo "FAIL unit $name: $ok ok, $nok not ok$extra"
    # the failing lines and the sanitizer/cmocka diagnostics around them
    sed 's/^/    | /' <<<"$out" | grep -vE '^    \| ok [0-9]+' | tail -n 60
  else
    echo "PASS unit $name: $ok ok"
  fi
done
if [ "$nbin" -eq 0 ]; then
  echo "FAIL unit: no test binaries in $ASAN_BUILD/ (was it built with cmocka?)"
  unit_fail=$((unit_fail + 1))
fi
summary+=("unit tests ($nbin binaries): $unit_pass passed, $unit_fail failed")
total_pass=$((total_pass + unit_pass))
total_fail=$((total_fail + unit_fail))

# ---------------------------------------------------------------------------- integration tests
ilog="$logdir/integration-output.log"
SOFTBMCD="$ASAN_BUILD/softbmcd" timeout -k 15 "$INTEGRATION_TIMEOUT" \
  "$PY" tests/integration/run.py "$@" 2>&1 | tee "$ilog"
rc=${PIPESTATUS[0]}
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$ilog" | tail -n 1)
if [ -n "$last" ]; then
  ip=$(sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$last")
  if_=$(sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$last")
  if [ "$rc" -ne 0 ] && [ "$if_" -eq 0 ]; then
    echo "FAIL integration: run.py exited with code $rc after reporting no failure"
    if_=1
  fi
else
  ip=0
  if_=1
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "FAIL integration: timed out after ${INTEGRATION_TIMEOUT}s"
  else
    echo "FAIL integration: run.py exited with code $rc without a summary line"
  fi
fi
summary+=("integration tests: $ip passed, $if_ failed (log: $ilog)")
total_pass=$((total_pass + ip))
total_fail=$((total_fail + if_))

# ---------------------------------------------------------------------------- fuzz smoke
if [ $# -eq 0 ]; then
  flog="$logdir/fuzz-smoke.log"
  FUZZ_SECONDS=${FUZZ_SMOKE_SECONDS:-5} tests/fuzz/run.sh 2>&1 | tee "$flog"
  fp=$(grep -cE '^PASS fuzz ' "$flog")
  ff=$(grep -cE '^FAIL fuzz' "$flog")
  summary+=("fuzz smoke (${FUZZ_SMOKE_SECONDS:-5}s per target): $fp passed, $ff failed (log: $flog)")
  total_pass=$((total_pass + fp))
  total_fail=$((total_fail + ff))
fi

# ---------------------------------------------------------------------------- totals
echo
echo "== summary"
for s in "${summary[@]}"; do
  echo "  $s"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
