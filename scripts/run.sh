#!/usr/bin/env bash
# `make run`: start softbmcd in the foreground on the simulated server and say how to connect.
set -euo pipefail
bin=$1 state=$2 listen=$3 http=${4:-}
host=${listen%:*} port=${listen##*:}
# Started as root, softbmcd drops to an unprivileged user once its ports are bound, so that user
# must be able to reach the state dir: a checkout inside /root is closed to it. Then the state
# goes to /var/lib/softbmc instead.
if [ "$(id -u)" -eq 0 ] && [ "$state" = run-state ]; then
  mkdir -p "$state"
  user=nobody
  id softbmc >/dev/null 2>&1 && user=softbmc
  if ! runuser -u "$user" -- test -x "$(cd "$(dirname "$state")" && pwd)" 2>/dev/null; then
    echo "softbmc: user $user cannot enter $(pwd); keeping the state in /var/lib/softbmc instead"
    rmdir run-state 2>/dev/null || true
    state=/var/lib/softbmc
  fi
fi
mkdir -p "$state" && chmod 700 "$state"
pwfile="$state/initial-admin-password"
cat <<EOM
softbmc: starting the BMC of a simulated server
  state dir : $state   (delete it to start from scratch)
  IPMI LAN  : $listen (UDP)
EOM
if [ -n "$http" ]; then
  echo "  HTTPS     : https://$http/  (Redfish: https://$http/redfish/v1; self-signed certificate"
  echo "              in $state/https.crt, e.g. curl --cacert $state/https.crt -u admin:<password> ...)"
fi
if [ -f "$pwfile" ]; then
  echo "  admin password (from first start, in $pwfile): $(cat "$pwfile")"
fi
cat <<EOM
  connect   : ipmitool -I lanplus -H $host -p $port -U admin -P <password> mc info
              bmc-info -h $host:$port -u admin -p <password> -D LAN_2_0
  faults    : $(dirname "$bin")/softbmc --state-dir $state fault fan FAN3 fail   (docs/simulation.md)
  stop      : Ctrl-C
EOM
exec "$bin" --state-dir "$state" --listen "$listen" ${http:+--http "$http"}
