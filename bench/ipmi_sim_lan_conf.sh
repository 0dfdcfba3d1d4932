#!/usr/bin/env bash
# Prints the ipmi_sim configuration (lan.conf) the benchmark runs it with: one LAN channel on
# 127.0.0.1:PORT, MD5 for every privilege, user 2 USER/PASSWORD as administrator.
#   bench/ipmi_sim_lan_conf.sh PORT USER PASSWORD > lan.conf
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 PORT USER PASSWORD" >&2; exit 2; }
cat <<EOC
name "softbmc-bench"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $1
    priv_limit admin
    allowed_auths_callback md5
    allowed_auths_user md5
    allowed_auths_operator md5
    allowed_auths_admin md5
    guid a123456789abcdefa123456789abcdef
  endlan
  user 2 true "$2" "$3" admin 63 md5
EOC
