#!/usr/bin/env bash
# Where softbmcd's and ipmi_sim's memory is, after the same load (bench/README.md, "Memory").
#
# Starts, one after the other, on free loopback ports with fresh state: softbmcd as
# configured by default (IPMI only: no http.listen), softbmcd with HTTPS (--http, the way
# `make run` starts it), and ipmi_sim. Each gets the same short load (closed-loop Get Device ID
# and Get Sensor Reading with 4 and 63 sessions, 16 concurrent session setups, 16 sessions with
# 8 requests in flight; on cipher suites 3 and 17 where the server has them); the HTTPS one
# also answers Redfish GETs over TLS before and after, and is measured on its second start (the
# first creates the TLS key and certificate, a one-off). Then /proc/PID/status and /proc/PID/smaps
# are read (bench/smaps.py) and printed as Markdown. Every server is stopped by PID.
#
# Environment: MEM_SECONDS (seconds per load run, default 1), BENCH_OUT (where mem.jsonl goes),
# MEM_BUILD (another build directory to measure, e.g. of an older commit; default build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${MEM_SECONDS:-1}
user=admin
password=bench-$RANDOM$RANDOM
py=/usr/bin/python3

build=${MEM_BUILD:-build-bench}
scripts/deps.sh bench
if [ -z "${MEM_BUILD:-}" ]; then
  [ -f build-bench/build.ninja ] ||
    meson setup build-bench -Dbuildtype=release -Dwerror=false -Dtests=disabled >/dev/null
  ninja -C build-bench >/dev/null
fi
loadgen=$build/bench_loadgen

work=$(mktemp -d /tmp/softbmc-mem.XXXXXX)
chmod 755 "$work" # started as root, softbmcd runs as an unprivileged user: it must reach its state dir
out=${BENCH_OUT:-$work}
mkdir -p "$out"
snaps=$out/mem.jsonl
: >"$snaps"
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work/state"
}
trap cleanup EXIT

free_port() {
  $py -c 'import socket, sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}

# As root, softbmcd gives up root for 'softbmc' if that user exists, else 'nobody'. A machine
# without a 'softbmc' user answers that lookup through every NSS module (libnss_systemd here,
# about 320 kB resident); an installed softbmcd finds its user in /etc/passwd. Naming the user
# does the same lookup an install does.
sb_user=()
[ "$(id -u)" = 0 ] && sb_user=(--user nobody)

# start_softbmcd fresh|again ARGS...: a fresh state dir, or the one the last run left.
start_softbmcd() {
  if [ "$1" = fresh ]; then
    rm -rf "$work/state"
    mkdir -m 700 "$work/state"
  fi
  shift
  printf 'lan:\n  max_sessions: 63\n  rate_limit: 0\n' >"$work/softbmc.yaml"
  SOFTBMC_ADMIN_PASSWORD=$password "$build/softbmcd" --state-dir "$work/state" \
    --listen "127.0.0.1:$port" --config "$work/softbmc.yaml" --log-level warn "${sb_user[@]}" \
    "$@" >"$work/server.log" 2>&1 &
  pid=$!
}

start_ipmi_sim() {
  rm -rf "$work/state"
  mkdir -p "$work/state"
  bench/ipmi_sim_lan_conf.sh "$port" "$user" "$password" >"$work/lan.conf"
  bench/ipmi_sim_sensors.sh >"$work/bench.emu"
  ipmi_sim -c "$work/lan.conf" -f "$work/bench.emu" -s "$work/state" -n >"$work/server.log" 2>&1 &
  pid=$!
}

stop_server() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

lg() { $loadgen --port "$port" --pid "$pid" --user "$user" --password "$password" "$@"; }

wait_ready() {
  for _ in $(seq 50); do
    lg --cipher "$1" --seconds 0.05 --warmup 0 >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "mem: the BMC on port $port did not answer" >&2
  return 1
}

# N Redfish GETs over HTTPS (Basic auth, one TLS connection each); bounded: 10 s per request.
redfish_gets() {
  $py - "$1" "$2" "$user" "$password" <<'EOF'
import base64, http.client, ssl, sys, time
port, n, user, pw = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl._create_unverified_context()
auth = "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()
deadline = time.monotonic() + 20
while True:  # the server creates its certificate on first start
    try:
        http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx).connect()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("mem: HTTPS did not come up")
        time.sleep(0.2)
for path in ["/redfish/v1/Systems/1", "/redfish/v1/Chassis/1/Thermal", "/"] * (n // 3):
    c = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    c.request("GET", path, headers={"Authorization": auth})
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"mem: GET {path}: {r.status}")
    c.close()
EOF
}

# The same load for every server; ciphers: the suites it has (ipmi_sim: 3 only).
load() {
  local c cmd n
  for c in "$@"; do
    for cmd in devid sensor:1; do
      for n in 4 63; do
        lg --cipher "$c" --cmd "$cmd" --sessions "$n" --seconds "$secs" --warmup 0.2 >/dev/null ||
          echo "mem: $c $cmd $n reported errors" >&2
      done
    done
    lg --mode setup --cipher "$c" --sessions 16 --seconds "$secs" --warmup 0.2 >/dev/null ||
      echo "mem: setups on $c reported errors" >&2
  done
  lg --cipher "${@: -1}" --sessions 16 --outstanding 8 --seconds "$secs" --warmup 0.2 >/dev/null ||
    echo "mem: 16x8 reported errors" >&2
}

port=$(free_port SOCK_DGRAM)
start_softbmcd fresh
wait_ready 17
load 3 17
$py bench/smaps.py snap "$pid" "softbmcd, IPMI only (default)" "$snaps"
stop_server

# The first start creates the TLS key and certificate (a one-off peak); measure a restart.
port=$(free_port SOCK_DGRAM)
https_port=$(free_port SOCK_STREAM)
start_softbmcd fresh --http "127.0.0.1:$https_port"
wait_ready 17
redfish_gets "$https_port" 3
stop_server
start_softbmcd again --http "127.0.0.1:$https_port"
wait_ready 17
redfish_gets "$https_port" 30
load 3 17
redfish_gets "$https_port" 30
$py bench/smaps.py snap "$pid" "softbmcd with HTTPS (--http)" "$snaps"
stop_server

port=$(free_port SOCK_DGRAM)
start_ipmi_sim
wait_ready 3
load 3
$py bench/smaps.py snap "$pid" "ipmi_sim" "$snaps"
stop_server

$py bench/smaps.py report "$snaps"
echo
echo "raw snapshots: $snaps"
