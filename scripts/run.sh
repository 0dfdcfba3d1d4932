#!/usr/bin/env bash
# `make run`: start softbmcd in the foreground on the simulated server and say how to connect.
set -euo pipefail
bin=$1 state=$2 listen=$3
host=${listen%:*} port=${listen##*:}
pwfile="$state/initial-admin-password"
cat <<EOM
softbmc: starting the BMC of a simulated server
  state dir : $state   (delete it to start from scratch)
  IPMI LAN  : $listen (UDP)
EOM
if [ -f "$pwfile" ]; then
  echo "  admin password (from first start, in $pwfile): $(cat "$pwfile")"
fi
cat <<EOM
  connect   : ipmitool -I lanplus -H $host -p $port -U admin -P <password> mc info
              bmc-info -h $host:$port -u admin -p <password> -D LAN_2_0
  faults    : $(dirname "$bin")/softbmc --state-dir $state fault fan FAN3 fail   (docs/simulation.md)
  stop      : Ctrl-C
EOM
exec "$bin" --state-dir "$state" --listen "$listen"
