"""The daemon contract's IPv6 listen address: softbmcd --listen [::1]:PORT.

ipmitool (-H ::1, lanplus and lan), FreeIPMI (-h [::1]:PORT) and the stdlib RMCP+ client log in
and read the power state. Skipped only if this machine has no IPv6 loopback.
"""

import socket

import harness as H
import rmcpplus as R
from harness import check, check_eq, expect_ok, fail


def D():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::1", 0))
        s.close()
    except OSError as e:
        raise H.Skip("no IPv6 loopback on this machine: %s" % e)
    return H.shared_daemon(__name__, host="::1", config=H.FAST_CONFIG)


def test_ipv6_ipmitool_lanplus_and_lan():
    d = D()
    r = expect_ok(d.ipmitool("mc", "info", cipher=17), "ipmitool -I lanplus -H ::1 mc info")
    check_eq(r.field("IPMI Version"), "2.0", "IPMI Version", r)
    expect_ok(d.ipmitool("chassis", "power", "on", cipher=17), "power on over IPv6")
    d.wait_power("on", cipher=17)
    r = expect_ok(d.ipmitool("chassis", "status", interface="lan"), "ipmitool -I lan -H ::1")
    check_eq(r.field("System Power"), "on", "System Power over IPv6 / IPMI 1.5", r)


def test_ipv6_freeipmi():
    d = D()
    check(d.listen.startswith("[::1]:"), "listen address %s" % d.listen)
    r = d.freeipmi("ipmi-chassis", "--get-chassis-status", cipher=17)
    if not r.ok or "System Power" not in r.out:
        fail("ipmi-chassis -h %s failed" % d.listen, r)


def test_ipv6_wire_session():
    d = D()
    c = R.RmcpPlus("::1", d.port, suite=2)
    try:
        c.login("admin", d.admin_password, priv=4)
        r = c.call(0x06, 0x01)
        check_eq(r["cc"], 0, "Get Device ID over IPv6")
        check_eq(c.close_session()["cc"], 0, "Close Session over IPv6")
    except R.ProtocolError as e:
        fail("wire-level IPv6 session: %s\n%s" % (e, d.log_tail()))
    finally:
        c.close_socket()
