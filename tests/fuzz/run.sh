#!/usr/bin/env bash
# Runs every libFuzzer target in build-fuzz/ for FUZZ_SECONDS seconds each over its committed
# corpus (tests/fuzz/corpus/TARGET/, read only: new inputs go to a scratch dir) with its
# dictionary if there is one (tests/fuzz/TARGET.dict), one after the other. Prints one line
# per target, "PASS fuzz TARGET: ..." or "FAIL fuzz TARGET: ...", then the log tail of any
# failure; exits 0 only if every target ran its time without a crash, leak,
# timeout or sanitizer report.
#
#   make fuzz                        60 s per target (FUZZ_SECONDS)
#   FUZZ_SECONDS=5 tests/fuzz/run.sh the smoke check tests/run.sh runs
#   tests/fuzz/run.sh rmcpplus ipmi  only these targets
#
# Environment: FUZZ_BUILD (default build-fuzz), FUZZ_SECONDS (default 60), FUZZ_OUT (scratch
# corpora, crash artifacts and logs; default tests/fuzz/.out, git-ignored; a crashing input is
# kept as FUZZ_OUT/TARGET/crash-*), FUZZ_ARGS (extra libFuzzer flags).
set -uo pipefail
cd "$(dirname "$0")/../.."

FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_OUT=${FUZZ_OUT:-tests/fuzz/.out}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$FUZZ_BUILD"/fuzz_*; do
    [ -f "$bin" ] && [ -x "$bin" ] && targets+=("$(basename "$bin" | sed 's/^fuzz_//')")
  done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "FAIL fuzz: no targets in $FUZZ_BUILD/ (make build-fuzz: CC=clang meson setup $FUZZ_BUILD -Dfuzz=true)"
  exit 1
fi

# the targets' state dirs (fuzz_env.c): one scratch dir for the run, removed at the end even
# if a crash kept a target from cleaning up after itself
shm=/dev/shm
[ -d "$shm" ] || shm=${TMPDIR:-/tmp}
FUZZ_TMPDIR=$(mktemp -d "$shm/softbmc-fuzz-run.XXXXXX")
export FUZZ_TMPDIR
trap 'rm -rf "$FUZZ_TMPDIR"' EXIT

failed=0
for t in "${targets[@]}"; do
  bin="$FUZZ_BUILD/fuzz_$t"
  out="$FUZZ_OUT/$t"
  rm -rf "$out" && mkdir -p "$out/corpus"
  log="$out/fuzz.log"
  if [ ! -x "$bin" ]; then
    echo "FAIL fuzz $t: no $bin"
    failed=$((failed + 1))
    continue
  fi
  seeds=()
  [ -d "tests/fuzz/corpus/$t" ] && seeds=("tests/fuzz/corpus/$t")
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
  # -timeout: one input taking over 10 s is a hang; the outer timeout is a last resort.
  # shellcheck disable=SC2086
  timeout -k 10 $((FUZZ_SECONDS + 120)) "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$out/" "${dict[@]}" ${FUZZ_ARGS:-} \
    "$out/corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -n 1)
  speed=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  report=$(grep -cE '^==[0-9]+==ERROR|runtime error:|^SUMMARY: |deadly signal' "$log")
  if [ "$rc" -eq 0 ] && [ "$report" -eq 0 ] && [ -n "$runs" ]; then
    echo "PASS fuzz $t: ${runs} runs in ${FUZZ_SECONDS}s (${speed:-?}/s, ${cov:-cov: ?})"
  else
    why="exit code $rc"
    [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && why="timed out"
    [ "$report" -ne 0 ] && why="$why, sanitizer/libFuzzer report"
    echo "FAIL fuzz $t: $why; log $log; input kept in $out/"
    grep -vE '^#[0-9]+|^\s+NEW_FUNC|^INFO:' "$log" | tail -n 40 | sed 's/^/    | /'
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ]
