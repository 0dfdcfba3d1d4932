#!/usr/bin/env bash
# `make bench`: softbmcd against OpenIPMI's ipmi_sim, same load generator, same loopback.
#
# Builds a release build (build-bench/), starts both BMCs on free high loopback ports with
# fresh state, runs bench_loadgen against each (closed loop: Get Device ID and Get Sensor
# Reading with 1, 4, 16, 63 sessions; session setups; three open-loop runs at half the peak),
# then the same loops against bare UDP echo servers (the floor: what this machine's loopback
# costs a server that does nothing), prints the figures and softbmcd/ipmi_sim ratios, then
# where each server's memory is (bench/mem.sh). Every server is stopped by PID on exit.
# Not a test: nothing here passes or fails on a figure.
#
# Environment: BENCH_SECONDS (measured seconds per run, default 5), BENCH_WARMUP (default 1),
# BENCH_RATE_RUNS (how many times the half-of-peak open loop runs, default 3),
# BENCH_SPIN (1, the default: the open-loop generator polls instead of sleeping; 0: it sleeps
# until the next request is due, as before 2026-11-21; see bench/README.md),
# BENCH_OUT (directory for the raw result lines, default a fresh temp dir),
# BENCH_SOFTBMC_YAML (extra YAML appended to softbmcd's generated config, e.g. to raise a
# rate limit: see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${BENCH_SECONDS:-5}
warmup=${BENCH_WARMUP:-1}
rate_runs=${BENCH_RATE_RUNS:-3}
spin=()
[ "${BENCH_SPIN:-1}" = 1 ] && spin=(--spin)
user=admin
password=bench-$RANDOM$RANDOM
py=/usr/bin/python3

scripts/deps.sh bench
[ -f build-bench/build.ninja ] ||
  meson setup build-bench -Dbuildtype=release -Dwerror=false -Dtests=disabled >/dev/null
ninja -C build-bench softbmcd softbmc-web.so bench_loadgen bench_udp_echo >/dev/null
loadgen=build-bench/bench_loadgen

work=$(mktemp -d /tmp/softbmc-bench.XXXXXX)
chmod 755 "$work" # started as root, softbmcd runs as an unprivileged user: it must reach its state dir
out=${BENCH_OUT:-$work}
mkdir -p "$out"
results=$out/results.txt
: >"$results"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work/sb-state" "$work/sim-state"
}
trap cleanup EXIT

free_port() {
  $py -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- softbmcd: its own release build, fresh state dir, a known admin password ----
sb_port=$(free_port)
mkdir -m 700 "$work/sb-state"
# The load generator opens every session from one address: the per-source limit on sessionless
# traffic (a defence, docs/security.md) is off here, as ipmi_sim has none.
cat >"$work/softbmc.yaml" <<EOF
lan:
  max_sessions: 63
  rate_limit: 0
EOF
[ -n "${BENCH_SOFTBMC_YAML:-}" ] && printf '%s\n' "$BENCH_SOFTBMC_YAML" >>"$work/softbmc.yaml"
# As root softbmcd gives up root for 'softbmc' if that user exists, else 'nobody'; on a machine
# without a 'softbmc' user that lookup loads every NSS module (libnss_systemd: 320 kB), which
# an installed softbmcd, finding its user in /etc/passwd, does not. Name the user it ends up as.
sb_user=()
[ "$(id -u)" = 0 ] && sb_user=(--user nobody)
SOFTBMC_ADMIN_PASSWORD=$password build-bench/softbmcd --state-dir "$work/sb-state" \
  --listen "127.0.0.1:$sb_port" --config "$work/softbmc.yaml" --log-level warn "${sb_user[@]}" \
  >"$work/softbmcd.log" 2>&1 &
sb_pid=$!
pids+=("$sb_pid")

# ---- ipmi_sim: one BMC (MC 0x20), LAN channel 1, the same user, a comparable sensor set ----
sim_port=$(free_port)
mkdir -p "$work/sim-state"
bench/ipmi_sim_lan_conf.sh "$sim_port" "$user" "$password" >"$work/lan.conf"
bench/ipmi_sim_sensors.sh >"$work/bench.emu"
ipmi_sim -c "$work/lan.conf" -f "$work/bench.emu" -s "$work/sim-state" -n \
  >"$work/ipmi_sim.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")

# A server is up once a session can be opened, or a datagram echoed (bounded: 50 tries).
wait_ready() {
  local port=$1
  shift
  for _ in $(seq 50); do
    if $loadgen --port "$port" --user "$user" --password "$password" "$@" \
         --seconds 0.05 --warmup 0 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "bench: the BMC on port $port did not answer" >&2
  return 1
}
wait_ready "$sb_port" --cipher 17
wait_ready "$sim_port" --cipher 3

# run NAME PORT PID ARGS...: one loadgen run, its result line appended to results.txt.
run() {
  local name=$1 port=$2 pid=$3
  shift 3
  local line
  if ! line=$($loadgen --port "$port" --pid "$pid" --user "$user" --password "$password" \
                --seconds "$secs" --warmup "$warmup" --label "$name" "$@"); then
    echo "bench: $name $* reported errors (kept in the figures)" >&2
  fi
  [ -n "$line" ] && echo "$line" | tee -a "$results" >&2
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

bench_server() {
  local name=$1 port=$2 pid=$3
  shift 3
  local ciphers=("$@") c cmd n
  for c in "${ciphers[@]}"; do
    for cmd in devid sensor:1; do
      for n in 1 4 16 63; do
        run "$name" "$port" "$pid" --mode req --cipher "$c" --cmd "$cmd" --sessions "$n"
      done
    done
    for n in 1 4 16; do
      run "$name" "$port" "$pid" --mode setup --cipher "$c" --sessions "$n"
    done
  done
  # Peak: 16 sessions with 8 requests in flight each, on the strongest suite this server has.
  # Then p99 at half of the peak: an open loop at half the best closed-loop Get Device ID rate.
  c=${ciphers[-1]}
  run "$name" "$port" "$pid" --mode req --cipher "$c" --cmd devid --sessions 16 --outstanding 8
  local peak
  peak=$(grep "label=$name mode=req cipher=$c " "$results" | grep "cmd=devid" |
         sed -n 's/.* ops_per_s=\([0-9]*\).*/\1/p' | sort -n | tail -1)
  # Three times: one 5 s window's p99 is at the mercy of the shared machine's scheduling; the
  # report shows every run and judges the target on the median (bench/RESULTS.md).
  local i
  for i in $(seq "$rate_runs"); do
    run "$name" "$port" "$pid" --mode rate --cipher "$c" --cmd devid --sessions 16 \
        --outstanding 8 --rate $((peak / 2)) "${spin[@]}"
  done
}

echo "bench: softbmcd pid $sb_pid port $sb_port; ipmi_sim pid $sim_pid port $sim_port;" \
     "${secs}s per run" >&2
bench_server softbmcd "$sb_port" "$sb_pid" 3 17
bench_server ipmi_sim "$sim_port" "$sim_pid" 3

# The floor under both: servers that only echo datagrams, one recvfrom/sendto per datagram
# (udp_echo) and batched with recvmmsg/sendmmsg like softbmcd (udp_echo_batch). The same
# closed loops, then the same open loop at each BMC's half-of-peak rate.
for kind in udp_echo udp_echo_batch; do
  echo_port=$(free_port)
  if [ "$kind" = udp_echo ]; then
    build-bench/bench_udp_echo "$echo_port" &
  else
    build-bench/bench_udp_echo "$echo_port" --batch &
  fi
  echo_pid=$!
  pids+=("$echo_pid")
  wait_ready "$echo_port" --mode echo
  for n in 1 4 16 63; do
    run "$kind" "$echo_port" "$echo_pid" --mode echo --sessions "$n"
  done
  [ "$kind" = udp_echo_batch ] || continue
  for rate in $(sed -n 's/.* mode=rate .* rate=\([0-9]*\) .*/\1/p' "$results" | sort -un); do
    for i in $(seq "$rate_runs"); do
      run "$kind" "$echo_port" "$echo_pid" --mode echo --sessions 16 --outstanding 8 \
          --rate "$rate" "${spin[@]}"
    done
  done
done

echo
$py bench/report.py "$results"
echo
echo "raw result lines: $results"

# Where the memory is, IPMI-only and with HTTPS, against ipmi_sim (its own servers and load).
echo
echo "## Memory by mapping (bench/mem.sh)"
echo
BENCH_OUT=$out bench/mem.sh
