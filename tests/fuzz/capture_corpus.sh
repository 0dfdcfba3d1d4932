#!/usr/bin/env bash
# Regenerates the seed corpora in tests/fuzz/corpus/ from real client traffic: starts softbmcd
# on a free loopback port, runs ipmitool (lanplus -C 17, -C 3, -C 2, lan) and FreeIPMI (LAN_2_0
# -I 17/3/2, LAN, rmcpping) through a recording UDP proxy (capture.py proxy), then converts the
# captures into each target's input format (capture.py corpus). The config corpus is the example
# configuration plus small hand-written variants in corpus/config (kept as they are).
#
#   tests/fuzz/capture_corpus.sh          (needs build/softbmcd, ipmitool, freeipmi-tools)
#
# Environment: SOFTBMCD (default build/softbmcd), KEEP=1 keeps the capture dir.
# Every process started here is stopped by its PID; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."

SOFTBMCD=${SOFTBMCD:-build/softbmcd}
PY=/usr/bin/python3
PW='Fuzz-Capture-1'
CORPUS=tests/fuzz/corpus
[ -x "$SOFTBMCD" ] || { echo "capture: no $SOFTBMCD (run make build)" >&2; exit 1; }

work=$(mktemp -d /tmp/softbmc-capture.XXXXXX)
cap="$work/cap"
mkdir -p "$cap" "$work/state"
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "capture: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  "$PY" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # file, what
  for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "capture: $2 did not come up" >&2
  exit 1
}

bmc_port=$(free_port)
SOFTBMC_ADMIN_PASSWORD="$PW" "$SOFTBMCD" --state-dir "$work/state" \
  --listen "127.0.0.1:$bmc_port" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do grep -q ' ready$' "$work/daemon.log" && break; sleep 0.1; done
grep -q ' ready$' "$work/daemon.log" || { echo "capture: softbmcd did not start" >&2; exit 1; }

# capture NAME COMMAND...: runs COMMAND with @PORT@ replaced by a recording proxy's port.
capture() {
  local name=$1; shift
  local port pidfile args=()
  port=$(free_port)
  pidfile="$work/proxy.pid"
  rm -f "$pidfile"
  "$PY" tests/fuzz/capture.py proxy "$port" "$bmc_port" "$cap/$name.jsonl" "$pidfile" &
  local proxy_pid=$!
  wait_for "$pidfile" "the proxy"
  for a in "$@"; do args+=("${a//@PORT@/$port}"); done
  timeout 60 "${args[@]}" >"$work/$name.out" 2>&1 || echo "capture: '$*' failed (kept going)" >&2
  kill "$proxy_pid"
  wait "$proxy_pid" 2>/dev/null || true
}

it() { # ipmitool interface+suite name, then its arguments
  local iface=$1 suite=$2; shift 2
  local s=(); [ -n "$suite" ] && s=(-C "$suite")
  capture "ipmitool-$iface${suite:+-C$suite}-$(echo "$*" | tr ' /' '__')" \
    ipmitool -I "$iface" -H 127.0.0.1 -p @PORT@ -U admin -P "$PW" "${s[@]}" -R 1 -N 2 "$@"
}

freeipmi() { # FreeIPMI tool, driver, suite, then its arguments
  local tool=$1 drv=$2 suite=$3; shift 3
  local s=(); [ -n "$suite" ] && s=(-I "$suite")
  capture "$tool-$drv${suite:+-I$suite}-$(echo "$*" | tr ' /=' '___')" \
    "$tool" -h 127.0.0.1:@PORT@ -u admin -p "$PW" -D "$drv" "${s[@]}" "$@"
}

# ipmitool over RMCP+ with encryption (raw datagrams: the rmcpplus and asf corpora)
for c in 17 3; do
  it lanplus $c mc info
  it lanplus $c chassis status
  it lanplus $c sel list
done
# suite 2 (integrity, no encryption): the requests are readable, so they seed the in-session
# records of rmcpplus and the ipmi corpus
for cmd in "mc info" "mc guid" "mc getenables" "mc selftest" "mc watchdog get" \
  "chassis status" "chassis poh" "chassis restart_cause" "chassis bootparam get 5" \
  "chassis bootdev pxe" "chassis identify 1" "chassis policy list" \
  "sdr list full" "sdr info" "sdr elist" "sel info" "sel list" "sel time get" \
  "fru print 0" "user list 1" "user summary 1" "channel info 1" "channel getaccess 1 2" \
  "channel getciphers ipmi 1" "lan print 1" "session info all" \
  "dcmi discover" "dcmi power reading" "dcmi get_temp_reading" "dcmi get_mc_id_string" \
  "dcmi asset_tag" "sensor list" "raw 0x06 0x01" "raw 0x0a 0x10 0x00" \
  "raw 0x0a 0x11 0x00 0x00 0x00 0x20" "raw 0x0a 0x40" "raw 0x0a 0x42" \
  "fru edit 0 field b 0 FuzzBoardMaker" "fru edit 0 field p 1 FuzzProduct" \
  "sel clear" "chassis power status" "chassis power on" "chassis power off" \
  "lan set 1 ipsrc static" "lan set 1 ipaddr 10.0.0.5" "lan set 1 netmask 255.255.255.0" \
  "lan set 1 defgw ipaddr 10.0.0.1" "lan set 1 auth ADMIN MD5" "lan set 1 arp respond on" \
  "user set name 3 fuzzuser" "user set password 3 Fuzz-user-3 16" "user priv 3 3 1" \
  "user enable 3" "channel setaccess 1 3 ipmi=on privilege=3" "user disable 3" \
  "sensor thresh Inlet+Temp unc 41" "sensor thresh FAN1 lnc 400" \
  "event 1" "event 2" "mc setenables system_event_log=on" "raw 0x0a 0x49 0x00 0x00 0x80 0x67" \
  "raw 0x06 0x24 0x04 0x01 0x00 0x10 0x2c 0x01" "mc watchdog reset" "mc watchdog off" \
  "chassis policy always-off" "chassis bootparam set bootflag force_pxe" \
  "chassis identify 5" "dcmi power set_limit limit 300" "dcmi power activate" \
  "dcmi power deactivate" "dcmi set_asset_tag FUZZTAG" "dcmi set_mc_id_string fuzz-bmc" \
  "sol info 1" "mc reset warm"; do
  read -ra words <<<"$cmd"
  it lanplus 2 "${words[@]//+/ }"    # "+" stands for a space inside one argument
done
it lan "" mc info
it lan "" chassis status
it lan "" user list 1
it lan "" sel list
it lan "" sdr list
capture ipmitool-fru-read ipmitool -I lanplus -H 127.0.0.1 -p @PORT@ -U admin -P "$PW" -C 17 \
  fru read 0 "$cap/fru0.fru"
# the same image written back (a real, valid chunked FRU write)
capture ipmitool-lanplus-C2-fru-write ipmitool -I lanplus -H 127.0.0.1 -p @PORT@ -U admin \
  -P "$PW" -C 2 fru write 0 "$cap/fru0.fru"

# FreeIPMI
for c in 17 3 2; do
  freeipmi bmc-info LAN_2_0 $c
  freeipmi ipmi-chassis LAN_2_0 $c --get-chassis-status
done
freeipmi ipmi-sensors LAN_2_0 2
freeipmi ipmi-sel LAN_2_0 2
freeipmi ipmi-fru LAN_2_0 2
freeipmi ipmi-dcmi LAN_2_0 2 --get-system-power-statistics
freeipmi ipmi-config LAN_2_0 2 --checkout --section=Lan_Conf
freeipmi ipmi-config LAN_2_0 2 --checkout --section=User2
freeipmi ipmi-config LAN_2_0 2 --commit --key-pair=Lan_Conf:IP_Address=10.0.0.6
freeipmi ipmi-config LAN_2_0 2 --commit --key-pair=User4:Username=fuzz4
freeipmi ipmi-sel LAN_2_0 2 --clear
freeipmi bmc-info LAN ""
freeipmi ipmi-chassis LAN "" --get-chassis-status
# ASF presence ping (rmcpping has no port option; the same 12 bytes it sends)
capture asf-ping "$PY" -c "import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2); s.sendto(bytes.fromhex(\"06 00 ff 06 00 00 11 be 80 17 00 00\"), (\"127.0.0.1\", int(sys.argv[1]))); s.recv(64)" @PORT@

rm -rf "${CORPUS:?}"/{asf,v15,rmcpplus,ipmi,fru,sel}
"$PY" tests/fuzz/capture.py corpus "$cap" "$CORPUS"
# config: the example configuration (the hand-written variants stay as they are)
mkdir -p "$CORPUS/config"
cp config/softbmc.yaml "$CORPUS/config/softbmc.yaml"
