#!/usr/bin/env bash
# Regenerates tests/fuzz/corpus/web/ from real HTTPS clients: starts softbmcd with --http on a
# free loopback port (admin password: the fuzz targets' own, so Basic credentials replay), runs
# curl (the requests of tests/integration/test_redfish.py), redfishtool, python3-sushy and the
# web console in headless Chromium (tests/web/console.mjs) through a recording HTTPS proxy
# (capture_web.py proxy), then converts the captures (capture_web.py corpus). Hand-written
# inputs in corpus/web (named *.txt) are kept as they are.
#
#   tests/fuzz/capture_web.sh       (needs build/softbmcd or SOFTBMCD=..., curl, redfishtool,
#                                    python3-sushy; the console part needs tests/web/node_modules)
#
# Environment: SOFTBMCD (default build/softbmcd), KEEP=1 keeps the capture dir.
# Every process started here is stopped by its PID; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."

SOFTBMCD=${SOFTBMCD:-build/softbmcd}
PY=/usr/bin/python3
PW='fuzz-Pa55word' # FUZZ_ADMIN_PASSWORD in fuzz_env.h
[ -x "$SOFTBMCD" ] || { echo "capture: no $SOFTBMCD (run make build)" >&2; exit 1; }

work=$(mktemp -d /tmp/softbmc-capture-web.XXXXXX)
cap="$work/cap"
mkdir -p "$cap" "$work/state"
chmod 711 "$work" # started as root, the daemon drops to an unprivileged user
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "capture: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

http_port=$(free_port)
SOFTBMC_ADMIN_PASSWORD="$PW" "$SOFTBMCD" --state-dir "$work/state" \
  --listen "127.0.0.1:$(free_port)" --http "127.0.0.1:$http_port" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do grep -qs ' ready$' "$work/daemon.log" && break; sleep 0.1; done
grep -q ' ready$' "$work/daemon.log" || { echo "capture: softbmcd did not start" >&2; exit 1; }
crt="$work/state/https.crt" key="$work/state/https.key"

# capture NAME COMMAND...: runs COMMAND with @PORT@ replaced by a recording proxy's port.
capture() {
  local name=$1; shift
  local port pidfile args=()
  port=$(free_port)
  pidfile="$work/proxy.pid"
  rm -f "$pidfile"
  "$PY" tests/fuzz/capture_web.py proxy "$port" "$http_port" "$crt" "$key" "$cap/$name.jsonl" \
    "$pidfile" &
  local proxy_pid=$!
  for _ in $(seq 100); do [ -s "$pidfile" ] && break; sleep 0.1; done
  [ -s "$pidfile" ] || { echo "capture: the proxy did not come up" >&2; exit 1; }
  for a in "$@"; do args+=("${a//@PORT@/$port}"); done
  timeout 120 "${args[@]}" >"$work/$name.out" 2>&1 || echo "capture: '$name' failed (kept going)" >&2
  kill "$proxy_pid"
  wait "$proxy_pid" 2>/dev/null || true
}

# curl: one script of requests per capture (one connection each; what test_redfish.py sends)
curl_script() { # NAME, then lines "METHOD PATH [AUTH] [BODY]" on stdin; AUTH: basic|none|token
  local name=$1
  cat >"$work/$name.sh" <<'EOF'
#!/usr/bin/env bash
port=$1; pw=$2; base="https://127.0.0.1:$port"; tok=""; csrf=""
while read -r m p a b; do
  opts=(-sk -o "$RESP" -D "$HDRS" -X "$m" "$base$p")
  case "$a" in
    basic) opts+=(-u "admin:$pw") ;;
    token) opts+=(-H "X-Auth-Token: $tok") ;;
    cookie) opts+=(-H "Cookie: softbmc_session=$tok" -H "X-CSRF-Token: $csrf") ;;
    etag) opts+=(-u "admin:$pw" -H "If-Match: $etag") ;;
  esac
  [ -n "$b" ] && opts+=(-H "Content-Type: application/json" -d "${b//@PW@/$pw}")
  curl "${opts[@]}" || true
  t=$(sed -nE 's/^[Xx]-[Aa]uth-[Tt]oken: *([0-9a-f]+).*/\1/p' "$HDRS")
  [ -n "$t" ] && tok=$t && csrf=$(sed -nE 's/.*"CsrfToken": *"([0-9a-f]+)".*/\1/p' "$RESP")
  e=$(sed -nE 's/^[Ee][Tt]ag: *(.*)\r$/\1/p' "$HDRS")
  if [ -n "$e" ]; then etag=$e; fi
done
true
EOF
  chmod +x "$work/$name.sh"
  cat >"$work/$name.in"
  capture "$name" env RESP="$work/resp" HDRS="$work/hdrs" bash -c \
    "\"$work/$name.sh\" @PORT@ '$PW' <'$work/$name.in'"
}

curl_script curl-basics <<'EOF'
GET /redfish/v1/ none
GET /redfish/v1/$metadata none
GET /redfish/v1/odata none
GET /redfish none
GET /redfish/v1/Systems/1 none
GET /redfish/v1/Systems/1 basic
GET /redfish/v1/Systems basic
GET /redfish/v1/Chassis basic
GET /redfish/v1/Chassis/1 basic
GET /redfish/v1/Chassis/1/Thermal basic
GET /redfish/v1/Chassis/1/Power basic
GET /redfish/v1/Chassis/1/ThermalSubsystem basic
GET /redfish/v1/Chassis/1/PowerSubsystem basic
GET /redfish/v1/Chassis/1/Sensors basic
GET /redfish/v1/Managers basic
GET /redfish/v1/Managers/1 basic
GET /redfish/v1/Managers/1/EthernetInterfaces basic
GET /redfish/v1/Managers/1/EthernetInterfaces/1 basic
GET /redfish/v1/Managers/1/NetworkProtocol basic
GET /redfish/v1/Managers/1/LogServices basic
GET /redfish/v1/Managers/1/LogServices/SEL basic
GET /redfish/v1/Managers/1/LogServices/SEL/Entries basic
GET /redfish/v1/AccountService/Roles basic
GET /redfish/v1/AccountService/Roles/Operator basic
DELETE /redfish/v1/Systems/1 basic
GET /redfish/v1/Systems/2 basic
OPTIONS /redfish/v1/Systems/1 basic
HEAD /redfish/v1/Systems/1 basic
EOF

curl_script curl-sessions <<'EOF'
POST /redfish/v1/SessionService/Sessions none {"UserName":"admin","Password":"@PW@"}
GET /redfish/v1/Systems/1 token
GET /redfish/v1/SessionService token
GET /redfish/v1/SessionService/Sessions token
GET /redfish/v1/SessionService/Sessions/1 token
PATCH /redfish/v1/SessionService token {"SessionTimeout":900}
POST /redfish/v1/SessionService/Sessions none {"UserName":"admin","Password":"wrong"}
POST /redfish/v1/SessionService/Sessions none {"UserName":"admin"}
POST /redfish/v1/SessionService/Sessions none {"UserName":"admin","Password":"@PW@"}
GET /redfish/v1/Chassis/1 cookie
PATCH /redfish/v1/Chassis/1 cookie {"LocationIndicatorActive":true}
DELETE /redfish/v1/SessionService/Sessions/2 cookie
DELETE /redfish/v1/SessionService/Sessions/1 basic
EOF

curl_script curl-writes <<'EOF'
GET /redfish/v1/Chassis/1 basic
PATCH /redfish/v1/Chassis/1 etag {"LocationIndicatorActive":false}
PATCH /redfish/v1/Chassis/1 basic {"IndicatorLED":"Blinking"}
PATCH /redfish/v1/Systems/1 basic {"NoSuchProperty":1}
PATCH /redfish/v1/Systems/1 basic {"PowerState":"Off"}
PATCH /redfish/v1/Systems/1 basic {"Boot":{"BootSourceOverrideTarget":"Pxe","BootSourceOverrideEnabled":"Once"}}
POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset basic {"ResetType":"On"}
POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset basic {"ResetType":"ForceRestart"}
POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset basic {"ResetType":"Explode"}
POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset basic {}
POST /redfish/v1/AccountService/Accounts basic {"UserName":"viewer","Password":"View-pw-01","RoleId":"ReadOnly"}
POST /redfish/v1/AccountService/Accounts basic {"UserName":"viewer","Password":"View-pw-01","RoleId":"ReadOnly"}
POST /redfish/v1/AccountService/Accounts basic {"UserName":"bad","Password":"x",
POST /redfish/v1/AccountService/Accounts basic [[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]
GET /redfish/v1/AccountService/Accounts basic
GET /redfish/v1/AccountService/Accounts/3 basic
PATCH /redfish/v1/AccountService/Accounts/3 basic {"Password":"N3w-pass-word","RoleId":"Operator"}
PATCH /redfish/v1/AccountService/Accounts/3 basic {"Enabled":false}
PATCH /redfish/v1/AccountService/Accounts/3 basic {"Locked":false,"Enabled":true}
GET /redfish/v1/AccountService basic
PATCH /redfish/v1/AccountService basic {"AccountLockoutThreshold":3,"AccountLockoutDuration":60,"AccountLockoutCounterResetAfter":30}
DELETE /redfish/v1/AccountService/Accounts/3 basic
PATCH /redfish/v1/Managers/1/EthernetInterfaces/1 basic {"DHCPv4":{"DHCPEnabled":false},"IPv4StaticAddresses":[{"Address":"10.0.0.5","SubnetMask":"255.255.255.0","Gateway":"10.0.0.1"}],"VLAN":{"VLANEnable":true,"VLANId":42}}
PATCH /redfish/v1/Managers/1/EthernetInterfaces/1 basic {"IPv4StaticAddresses":[{"Address":"300.0.0.5"}]}
GET /redfish/v1/Managers/1/LogServices/SEL/Entries/1 basic
POST /redfish/v1/Managers/1/LogServices/SEL/Actions/LogService.ClearLog basic {}
POST /redfish/v1/Managers/1/Actions/Manager.Reset basic {"ResetType":"GracefulRestart"}
EOF

# redfishtool (DMTF's CLI; Redfish sessions with -S Always)
rft() {
  capture "redfishtool-$(echo "$*" | tr ' /' '__')" redfishtool -r 127.0.0.1:@PORT@ -u admin \
    -p "$PW" -S Always -T 20 "$@"
}
rft Systems -1 get
rft Systems -1 reset ForceOff
rft -P PowerState Systems -1 get
rft Systems -1 reset On
rft Chassis -1 get
rft Chassis -1 Thermal
rft Chassis -1 Power
rft Managers -1 get
rft Managers -1 EthernetInterfaces
rft AccountService get
rft AccountService Accounts
rft SessionService Sessions
rft Systems -1 setBootOverride Once Pxe
rft raw GET /redfish/v1/Managers/1/LogServices/SEL/Entries

# python3-sushy (OpenStack Ironic's library: a Redfish session, then reads and actions)
for a in read reset:On reset:ForceOff boot:pxe-once; do
  capture "sushy-$a" env REQUESTS_CA_BUNDLE="$crt" "$PY" tests/integration/sushy_client.py "https://127.0.0.1:@PORT@" admin \
    "$PW" "$crt" "$a"
done

# the web console in headless Chromium (a cookie session with the CSRF token)
if [ -d tests/web/node_modules/playwright-core ]; then
  for s in dashboard sensors events inventory "boot Pxe Once" "identify on 15"; do
    # shellcheck disable=SC2086
    capture "console-${s// /-}" node tests/web/console.mjs "https://127.0.0.1:@PORT@/" admin \
      "$PW" $s
  done
fi

"$PY" tests/fuzz/capture_web.py corpus "$cap" tests/fuzz/corpus/web
echo "capture: $(find "$cap" -name '*.jsonl' | wc -l) captures, $(cat "$cap"/*.jsonl | wc -l) requests"
