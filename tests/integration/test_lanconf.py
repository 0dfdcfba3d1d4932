"""LAN configuration parameters of channel 1, cipher suite privileges, channel access and the
bad password lockout (issue 3, "Must show" items 1, 2, 5 and 6 for the LAN configuration).

ipmitool (`-I lanplus -C 17` and `-C 3`): `lan print 1` with every `lan set 1` of the issue read
back (ipsrc static/dhcp, ipaddr, netmask, defgw ipaddr, vlan id N/off, access off/on,
cipher_privs, bad_pass_thresh); the lockout (N wrong passwords, then the right one refused until
the lockout interval has passed); cipher suite 3 limited to USER refuses an ADMINISTRATOR
login while -C 17 still works. Bad input (netmask 255.0.255.0, VLAN 5000, a gateway outside the
subnet, ...) is sent with `ipmitool raw` so that the exact completion code is visible (ipmitool
`lan set` retries 0xCC for a minute), and through FreeIPMI `ipmi-config --commit`, with the state
read back unchanged. FreeIPMI `ipmi-config --checkout` of Lan_Conf, Lan_Conf_Auth,
Lan_Conf_User_Security and Lan_Conf_Misc agrees with `lan print`, and a `--commit` of a static
configuration reads back. A second daemon shows that everything survives a restart.

ipmitool with a wrong password gives up after RAKP 2 (it checks the BMC's HMAC) and never sends
RAKP 3; the BMC counts such an abandoned handshake when the half-open timeout reaps it, so the
daemons here run with `half_open_timeout: 2` and the tests wait for the lockout in the daemon's
log (bounded) before they assert that the right password is refused.
"""

import os
import re
import signal
import subprocess
import time

import harness as H
import rmcpplus as R
from harness import check, check_eq, expect_fail, expect_ok, fail, poll_until

CONFIG = """\
lan:
  session_timeout: 60
  half_open_timeout: 2
"""
LOCK_UID, LOCK_USER, LOCK_PW = 7, "locky", "Locky-pw-0007"


def D():
    d = H.shared_daemon(__name__, config=CONFIG)
    if not getattr(d, "_lanconf_setup", False):
        for cmd in (("user", "set", "name", LOCK_UID, LOCK_USER),
                    ("user", "set", "password", LOCK_UID, LOCK_PW, 16),
                    ("channel", "setaccess", 1, LOCK_UID, "callin=on", "ipmi=on", "link=on",
                     "privilege=4"),
                    ("user", "enable", LOCK_UID)):
            expect_ok(d.ipmitool(*cmd, cipher=17), "setup: " + " ".join(map(str, cmd)))
        d._lanconf_setup = True
    return d


def ipmi(*cmd, d=None, **kw):
    kw.setdefault("cipher", 17)
    if kw.get("interface") == "lan":
        kw.pop("cipher")
    return (d or D()).ipmitool(*cmd, **kw)


def ok(*cmd, **kw):
    return expect_ok(ipmi(*cmd, **kw), " ".join(str(c) for c in cmd))


def lan_print(**kw):
    """`lan print 1` as a dict of 'Name : value' lines (first occurrence of each name)."""
    r = ok("lan", "print", 1, **kw)
    fields = {}
    for line in r.out.split("\n"):
        m = re.match(r"^(\S.*?)\s*: (.*?)\s*$", line)
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2)
    fields["_result"] = r
    return fields


def expect_field(fields, name, want, what):
    check_eq(fields.get(name), want, "%s: lan print '%s'" % (what, name), fields["_result"])


def raw_cc(*data, **kw):
    """`ipmitool raw` of a Transport request; returns (completion code, response bytes)."""
    r = ipmi("raw", *["0x%02x" % b for b in data], **kw)
    if r.ok:
        return 0, r.hex_bytes()
    m = re.search(r"rsp=0x([0-9a-fA-F]{2})", r.text)
    if not m:
        fail("raw request failed without a completion code", r)
    return int(m.group(1), 16), b""


def set_param(param, *data, **kw):
    return raw_cc(0x0C, 0x01, 0x01, param, *data, **kw)


def get_param(param, sel=0, **kw):
    cc, b = raw_cc(0x0C, 0x02, 0x01, param, sel, 0x00, **kw)
    if cc:
        fail("Get LAN Configuration Parameter %d: completion code 0x%02x" % (param, cc))
    check_eq(b[0], 0x11, "parameter revision of %d" % param)
    return b[1:]


def daemon_log(d):
    """The daemon's log. Read through /proc from the running daemon's stderr first: another
    run of run.py that starts meanwhile deletes older logs from .tmp by name."""
    if d.proc is not None:
        try:
            with open("/proc/%d/fd/2" % d.proc.pid, errors="replace") as f:
                return f.read()
        except OSError:
            pass
    return d.log_text()


def locked_out(d, user):
    """Whether the BMC treats `user` as locked out, asked without side effects: Open Session,
    then a RAKP 1 for the OEM role, above the user's ADMINISTRATOR limit. An unlocked user
    gets "unauthorized role" (0x0A), a locked one "unauthorized name" (0x0D); neither gets a
    RAKP 2, so the probe is not a login attempt and counts for nothing."""
    c = R.RmcpPlus(d.host, d.port, suite=2)
    try:
        if c.open_session(0)["status"] != R.ST_OK:
            fail("probe: Open Session refused\n" + d.log_tail())
        st = c.rakp1(user, role=0x10 | 5)["status"]
    finally:
        c.close_socket()
    if st not in (R.ST_UNAUTHORIZED_ROLE, R.ST_UNAUTHORIZED_NAME):
        fail("probe: unexpected RAKP 2 status 0x%02x for %s" % (st, user))
    return st == R.ST_UNAUTHORIZED_NAME


FAST_FAIL = ("-N", "1", "-R", "1")  # IPMI 1.5: a refused Activate Session is a silent drop


def restore_defaults(d=None):
    """Back to the defaults that other tests of this module expect."""
    kw = {"d": d} if d else {}
    ok("lan", "set", 1, "cipher_privs", "XaaaXXXXXXXXXXX", **kw)
    ok("lan", "set", 1, "bad_pass_thresh", 5, 0, 6, 6, **kw)


# ------------------------------------------------------------------------------------------
# lan print

def check_default_print(f, what):
    expect_field(f, "Set in Progress", "Set Complete", what)
    expect_field(f, "Auth Type Support", "MD5", what)
    expect_field(f, "Auth Type Enable", "Callback : MD5", what)
    expect_field(f, "RMCP+ Cipher Suites", "1,2,3,15,16,17", what)
    expect_field(f, "Cipher Suite Priv Max", "XaaaXXXXXXXXXXX", what)
    expect_field(f, "Bad Password Threshold", "5", what)
    expect_field(f, "Attempt Count Reset Int.", "60", what)
    expect_field(f, "User Lockout Interval", "60", what)
    expect_field(f, "SNMP Community String", "public", what)
    expect_field(f, "IP Header", "TTL=0x40 Flags=0x40 Precedence=0x00 TOS=0x10", what)
    mac = f.get("MAC Address", "")
    check(re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", mac) and int(mac[:2], 16) & 0x03 == 0x02,
          "%s: MAC must be a locally administered unicast address" % what, f["_result"])


def test_lan_print_defaults_c17_and_c3():
    d = D()
    for cipher in (17, 3):
        what = "-C %d" % cipher
        f = lan_print(cipher=cipher)
        check_default_print(f, what)
        expect_field(f, "IP Address Source", "DHCP Address", what)
        ip = f.get("IP Address", "")
        check(re.fullmatch(r"10\.\d+\.\d+\.\d+", ip), "%s: simulated DHCP lease 10.x" % what,
              f["_result"])
        expect_field(f, "Subnet Mask", "255.255.255.0", what)
        expect_field(f, "Default Gateway IP", ".".join(ip.split(".")[:3] + ["1"]), what)
    # parameter 8: the port the daemon really listens on; 9: the standard secure port (664)
    b = get_param(8)
    check_eq(b[0] | b[1] << 8, d.port, "primary RMCP port (parameter 8)")
    b = get_param(9)
    check_eq(b[0] | b[1] << 8, 664, "secondary RMCP port (parameter 9)")
    check_eq(set_param(8, 0x6F, 0x02)[0], 0x82, "primary RMCP port is read-only")
    check_eq(set_param(9, 0x98, 0x02)[0], 0x82, "secondary RMCP port is read-only")
    check_eq(raw_cc(0x0C, 0x02, 0x01, 27, 0, 0)[0], 0x80, "parameter 27: unsupported")


def test_lan_print_all_parameters_answered():
    """Parameters 0-26 each answer, with their lengths."""
    want_len = {0: 1, 1: 1, 2: 5, 3: 4, 4: 1, 5: 6, 6: 4, 7: 3, 8: 2, 9: 2, 10: 1, 11: 1, 12: 4,
                13: 6, 14: 4, 15: 6, 16: 18, 17: 1, 18: 4, 19: 13, 20: 2, 21: 1, 22: 1,
                23: 7, 24: 9, 25: 4, 26: 6}
    for p, n in want_len.items():
        check_eq(len(get_param(p)), n, "data length of parameter %d" % p)
    check_eq(get_param(17)[0], 4, "number of destinations")
    check_eq(list(get_param(23)), [0, 1, 2, 3, 15, 16, 17], "cipher suite entries")


# ------------------------------------------------------------------------------------------
# lan set, read back with lan print

def lan_set_sequence(cipher, net):
    what = "-C %d" % cipher
    ip, mask, gw = net + ".10", "255.255.255.0", net + ".1"
    ok("lan", "set", 1, "ipsrc", "static", cipher=cipher)
    f = lan_print(cipher=cipher)
    expect_field(f, "IP Address Source", "Static Address", what)
    for args, field, value in ((("ipaddr", ip), "IP Address", ip),
                               (("netmask", mask), "Subnet Mask", mask),
                               (("defgw", "ipaddr", gw), "Default Gateway IP", gw),
                               (("vlan", "id", 100), "802.1q VLAN ID", "100"),
                               (("vlan", "id", "off"), "802.1q VLAN ID", "Disabled")):
        ok("lan", "set", 1, *args, cipher=cipher)
        expect_field(lan_print(cipher=cipher), field, value, "%s after lan set %s"
                     % (what, " ".join(map(str, args))))
    ok("lan", "set", 1, "ipsrc", "dhcp", cipher=cipher)
    f = lan_print(cipher=cipher)
    expect_field(f, "IP Address Source", "DHCP Address", what)
    check(f.get("IP Address", "").startswith("10."), "%s: DHCP reports the lease again" % what,
          f["_result"])
    # the static values were kept
    ok("lan", "set", 1, "ipsrc", "static", cipher=cipher)
    f = lan_print(cipher=cipher)
    expect_field(f, "IP Address", ip, what + " static again")
    expect_field(f, "Default Gateway IP", gw, what + " static again")
    ok("lan", "set", 1, "ipsrc", "dhcp", cipher=cipher)


def test_lan_set_readback_c17():
    lan_set_sequence(17, "192.168.71")


def test_lan_set_readback_c3():
    lan_set_sequence(3, "192.168.73")


def test_lan_set_misc_readback():
    """snmp, arp, auth, vlan priority, backup gateway: other writable parameters."""
    ok("lan", "set", 1, "snmp", "s3cret-comm")
    ok("lan", "set", 1, "arp", "generate", "on")
    ok("lan", "set", 1, "vlan", "priority", 5)
    ok("lan", "set", 1, "bakgw", "macaddr", "00:11:22:33:44:55")
    f = lan_print()
    expect_field(f, "SNMP Community String", "s3cret-comm", "snmp")
    expect_field(f, "BMC ARP Control", "ARP Responses Enabled, Gratuitous ARP Enabled", "arp")
    expect_field(f, "802.1q VLAN Priority", "5", "vlan priority")
    expect_field(f, "Backup Gateway MAC", "00:11:22:33:44:55", "bakgw macaddr")
    ok("lan", "set", 1, "snmp", "public")
    ok("lan", "set", 1, "arp", "generate", "off")


def test_bad_input_refused_state_unchanged():
    ok("lan", "set", 1, "ipsrc", "static")
    ok("lan", "set", 1, "ipaddr", "192.168.80.10")
    ok("lan", "set", 1, "netmask", "255.255.255.0")
    ok("lan", "set", 1, "defgw", "ipaddr", "192.168.80.1")
    ok("lan", "set", 1, "vlan", "id", 200)
    before = lan_print()
    cases = [
        ("netmask 255.0.255.0", 6, (255, 0, 255, 0), 0xCC),
        ("netmask 0.0.0.0", 6, (0, 0, 0, 0), 0xCC),
        ("VLAN 5000 (0x1388 overflows the 12-bit ID)", 20, (0x88, 0x93), 0xCC),
        ("VLAN 4095 (reserved)", 20, (0xFF, 0x8F), 0xCC),
        ("gateway outside the subnet", 12, (10, 9, 9, 1), 0xCC),
        ("IP address 0.0.0.0", 3, (0, 0, 0, 0), 0xCC),
        ("broadcast IP address", 3, (192, 168, 80, 255), 0xCC),
        ("network IP address", 3, (192, 168, 80, 0), 0xCC),
        ("IP source BIOS", 4, (3,), 0xCC),
        ("MAC address (read-only)", 5, (2, 0, 0, 0, 0, 1), 0x82),
        ("IP address, wrong length", 3, (192, 168, 80, 11, 0), 0xC7),
        ("cipher privilege nibble 6", 24, (0, 0x60, 0x44, 0, 0, 0, 0, 0, 0x40), 0xCC),
    ]
    for what, param, data, want in cases:
        cc, _ = set_param(param, *data)
        check_eq(cc, want, "completion code for %s" % what)
    after = lan_print()
    for name in ("IP Address Source", "IP Address", "Subnet Mask", "Default Gateway IP",
                 "802.1q VLAN ID", "MAC Address", "Cipher Suite Priv Max"):
        check_eq(after.get(name), before.get(name), "'%s' unchanged after refused writes" % name,
                 after["_result"])
    expect_field(after, "802.1q VLAN ID", "200", "after refusals")
    # while DHCP provides them, address parameters are not writable (0xD5)
    ok("lan", "set", 1, "vlan", "id", "off")
    ok("lan", "set", 1, "ipsrc", "dhcp")
    check_eq(set_param(3, 192, 168, 80, 20)[0], 0xD5, "IP address write in DHCP mode")


# ------------------------------------------------------------------------------------------
# cipher suite privilege levels

def session_priv(**kw):
    r = ok("session", "info", "active", **kw)
    m = re.search(r"privilege level\s*: (\S+)", r.out)
    if not m:
        fail("no privilege level in session info", r)
    return m.group(1)


def test_cipher_privs_limit_suite_3():
    d = D()
    try:
        ok("lan", "set", 1, "cipher_privs", "XaauXXXXXXXXXXX")
        expect_field(lan_print(), "Cipher Suite Priv Max", "XaauXXXXXXXXXXX", "cipher_privs")
        r = ipmi("mc", "info", cipher=3, priv="ADMINISTRATOR", verbose=1)
        expect_fail(r, "-C 3 -L ADMINISTRATOR with suite 3 limited to USER",
                    r"unauthorized role|Unable to establish")
        check_eq(session_priv(cipher=3, priv="USER"), "USER", "-C 3 session privilege")
        check_eq(session_priv(cipher=17), "ADMINISTRATOR", "-C 17 is not limited")
        check_eq(session_priv(cipher=2), "ADMINISTRATOR", "-C 2 is not limited")
        # unused ('X'): suite 3 is not offered at all any more
        ok("lan", "set", 1, "cipher_privs", "XaaXXXXXXXXXXXX")
        r = ipmi("mc", "info", cipher=3, priv="USER", verbose=1)
        expect_fail(r, "-C 3 with suite 3 marked unused", r"no matching cipher suite|Unable")
        check("disabled by its privilege level" in daemon_log(d),
              "the daemon log names the reason\n" + d.log_tail())
        ok("mc", "info", cipher=17)
    finally:
        ok("lan", "set", 1, "cipher_privs", "XaaaXXXXXXXXXXX")
    check_eq(session_priv(cipher=3), "ADMINISTRATOR", "-C 3 back at ADMINISTRATOR")


# ------------------------------------------------------------------------------------------
# bad password threshold and lockout

def test_bad_pass_thresh_lockout_lanplus():
    d = D()
    try:
        ok("lan", "set", 1, "bad_pass_thresh", 3, 0, 1, 1)  # 3 failures, 10 s, 10 s
        f = lan_print()
        expect_field(f, "Bad Password Threshold", "3", "bad_pass_thresh")
        expect_field(f, "Invalid password disable", "no", "bad_pass_thresh")
        expect_field(f, "Attempt Count Reset Int.", "10", "bad_pass_thresh")
        expect_field(f, "User Lockout Interval", "10", "bad_pass_thresh")
        ok("mc", "info", user=LOCK_USER, password=LOCK_PW)  # works, and resets any count
        check(not locked_out(d, LOCK_USER), "not locked out before the wrong passwords")

        since = len(daemon_log(d))
        for i in range(3):
            r = ipmi("mc", "info", user=LOCK_USER, password="wrong-pw-%d" % i)
            expect_fail(r, "wrong password %d" % (i + 1))
        # the abandoned handshakes are counted when the half-open timeout (2 s) reaps them
        poll_until(lambda: locked_out(d, LOCK_USER), timeout=15,
                   desc="the BMC to lock %s out" % LOCK_USER)
        locked_at = time.monotonic()
        check(re.search(r"user locky from 127\.0\.0\.1:\d+: .*3 consecutive failed logins: "
                        r"user locked out for 10 s", daemon_log(d)[since:]),
              "the lockout is logged with user and source\n" + d.log_tail())

        # now even the right password is refused, on both suites (unauthorized name) ...
        r = ipmi("mc", "info", user=LOCK_USER, password=LOCK_PW, verbose=1)
        expect_fail(r, "right password during the lockout (-C 17)", r"unauthorized name")
        r = ipmi("mc", "info", user=LOCK_USER, password=LOCK_PW, cipher=3)
        expect_fail(r, "right password during the lockout (-C 3)")
        check(re.search(r"user locky from 127\.0\.0\.1:\d+: locked out .* login refused",
                        daemon_log(d)[since:]), "the refusal is logged with user and source\n"
              + d.log_tail())
        # ... other users are not affected
        ok("mc", "info")

        # ... until the lockout interval has passed
        def logs_in():
            r = ipmi("mc", "info", user=LOCK_USER, password=LOCK_PW)
            return r if r.ok else None
        poll_until(logs_in, timeout=25, interval=1.0, desc="the lockout to end")
        waited = time.monotonic() - locked_at
        check(waited >= 8.0, "the lockout ended after %.1fs, expected about 10s" % waited)
    finally:
        restore_defaults()


def test_bad_pass_thresh_ipmi15_success_resets_count():
    """IPMI 1.5 Activate Session failures are counted at once; a success resets the count."""
    d = D()

    def bad():
        expect_fail(ipmi("mc", "info", user=LOCK_USER, password="bad-pw", interface="lan",
                         extra=FAST_FAIL), "IPMI 1.5 wrong password")
    # a lockout left by an earlier test that failed half-way ends first
    poll_until(lambda: not locked_out(d, LOCK_USER), timeout=25, interval=1.0,
               desc="no lockout of %s to begin with" % LOCK_USER)
    try:
        ok("lan", "set", 1, "bad_pass_thresh", 3, 0, 6, 1)
        bad()
        bad()
        ok("mc", "info", user=LOCK_USER, password=LOCK_PW, interface="lan")  # resets
        bad()
        bad()
        check(not locked_out(d, LOCK_USER), "2 + success + 2 must not lock out\n" + d.log_tail())
        # the third in a row does
        bad()
        check(locked_out(d, LOCK_USER), "3 IPMI 1.5 failures lock out\n" + d.log_tail())
        expect_fail(ipmi("mc", "info", user=LOCK_USER, password=LOCK_PW, interface="lan",
                         extra=FAST_FAIL), "IPMI 1.5 right password during the lockout")
        expect_fail(ipmi("mc", "info", user=LOCK_USER, password=LOCK_PW, cipher=17),
                    "RMCP+ right password during the lockout")
        poll_until(lambda: ipmi("mc", "info", user=LOCK_USER, password=LOCK_PW).ok,
                   timeout=25, interval=1.0, desc="the lockout to end")
    finally:
        restore_defaults()


# ------------------------------------------------------------------------------------------
# auth type enables (parameter 2) gate IPMI 1.5

def test_auth_enables_gate_ipmi15():
    try:
        check_eq(set_param(2, 0x04, 0x04, 0x04, 0x00, 0x04)[0], 0, "disable MD5 for ADMIN")
        f = lan_print()
        expect_field(f, "Auth Type Enable", "Callback : MD5", "param 2")
        check(re.search(r"^\s*: Admin\s*:\s*$", f["_result"].out, re.M),
              "Admin line must be empty", f["_result"])
        expect_fail(ipmi("mc", "info", interface="lan", priv="ADMINISTRATOR"),
                    "IPMI 1.5 ADMINISTRATOR login with MD5 disabled for ADMIN")
        r = ok("mc", "info", interface="lan", priv="OPERATOR")
        check("IPMI Version" in r.out, "IPMI 1.5 OPERATOR login still works", r)
        ok("lan", "set", 1, "auth", "ADMIN", "MD5")
        expect_field(lan_print(), "Auth Type Enable", "Callback : MD5", "restored")
        ok("mc", "info", interface="lan", priv="ADMINISTRATOR")
    finally:
        set_param(2, 0x04, 0x04, 0x04, 0x04, 0x04)


# ------------------------------------------------------------------------------------------
# channel access: access off refuses new sessions, the open one switches it back on

def test_access_off_on():
    d = D()
    argv = [H.IPMITOOL, "-I", "lanplus", "-H", d.host, "-p", str(d.port), "-U", "admin",
            "-P", d.admin_password, "-C", "17", "-N", "2", "-R", "2", "shell"]
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    out = ""
    try:
        p.stdin.write(b"lan set 1 access off\n")
        p.stdin.flush()

        def refused():
            r = ipmi("mc", "info", cipher=17)
            return r if not r.ok else None
        r = poll_until(refused, timeout=20, desc="a new session to be refused after access off")
        expect_fail(r, "new lanplus session while the channel is disabled")
        expect_fail(ipmi("mc", "info", interface="lan"), "new IPMI 1.5 session, channel disabled")
        check("LAN channel 1 is disabled" in daemon_log(d), "refusal logged\n" + d.log_tail())
    finally:
        # the shell's session still works: switch access back on through it (also when a
        # check above failed, so that the module's other tests can log in)
        try:
            out = p.communicate(input=b"lan set 1 access on\nexit\n", timeout=30)[0]
            out = out.decode(errors="replace")
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)
    check_eq(out.count("Set Channel Access for channel 1 was successful."), 2,
             "both access changes confirmed by the shell session:\n" + out)
    r = ok("channel", "info", 1)
    check_eq(len(re.findall(r"Access Mode\s*: always available", r.out)), 2,
             "volatile and non-volatile access mode back on", r)


# ------------------------------------------------------------------------------------------
# FreeIPMI ipmi-config

SECTIONS = ("Lan_Conf", "Lan_Conf_Auth", "Lan_Conf_User_Security", "Lan_Conf_Misc")


def checkout(d=None, sections=SECTIONS, verbose=True):
    """ipmi-config --checkout of the sections; exit code 0 required.

    Lan_Conf_Auth is checked out with -vv: without it, FreeIPMI turns every auth type key
    that parameter 1 does not list as supported (MD2, OEM; none and straight password unless
    configured) into a non-fatal error and exits 1 (ipmi-config-category-core-lan-conf-auth-
    section.c, _authentication_level_checkout), on any BMC that does not claim all five types.
    """
    d = d or D()
    args = ["--checkout"] + (["-vv"] if verbose else [])
    for s in sections:
        args += ["-S", s]
    r = expect_ok(d.freeipmi("ipmi-config", *args), "ipmi-config --checkout")
    kv, section = {}, None
    for line in r.out.split("\n"):
        m = re.match(r"^Section (\S+)", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"^\s+(\w+)\s+(\S.*?)\s*$", line)
        if m and section and not line.lstrip().startswith("#"):
            kv[(section, m.group(1))] = m.group(2)
    kv["_result"] = r
    return kv


def test_freeipmi_checkout_matches_lan_print():
    plain = checkout(sections=("Lan_Conf", "Lan_Conf_User_Security", "Lan_Conf_Misc"),
                     verbose=False)
    kv = checkout()
    for key, value in plain.items():
        if key != "_result":
            check_eq(kv.get(key), value, "%s:%s the same with and without -vv" % key)
    f = lan_print()
    res = kv["_result"]
    for s in SECTIONS:
        check("Section %s" % s in res.out, "section %s present" % s, res)
    src = {"DHCP Address": "Use_DHCP", "Static Address": "Static"}[f["IP Address Source"]]
    check_eq(kv.get(("Lan_Conf", "IP_Address_Source")), src, "IP_Address_Source", res)
    check_eq(kv.get(("Lan_Conf", "IP_Address")), f["IP Address"], "IP_Address", res)
    check_eq(kv.get(("Lan_Conf", "Subnet_Mask")), f["Subnet Mask"], "Subnet_Mask", res)
    check_eq(kv.get(("Lan_Conf", "MAC_Address"), "").lower(), f["MAC Address"], "MAC", res)
    check_eq(kv.get(("Lan_Conf", "Default_Gateway_IP_Address")), f["Default Gateway IP"],
             "Default_Gateway_IP_Address", res)
    for level in ("Callback", "User", "Operator", "Admin", "OEM"):
        for auth, want in (("None", "No"), ("MD2", "No"), ("MD5", "Yes"),
                           ("Straight_Password", "No"), ("OEM_Proprietary", "No")):
            check_eq(kv.get(("Lan_Conf_Auth", "%s_Enable_Auth_Type_%s" % (level, auth))), want,
                     "Lan_Conf_Auth %s %s" % (level, auth), res)
    check_eq(kv.get(("Lan_Conf", "Vlan_Id_Enable")), "No", "Vlan_Id_Enable", res)
    check_eq(kv.get(("Lan_Conf_User_Security", "Bad_Password_Threshold")), "5", "threshold", res)
    check_eq(kv.get(("Lan_Conf_User_Security", "Attempt_Count_Reset_Interval")), "6", "reset", res)
    check_eq(kv.get(("Lan_Conf_User_Security", "User_Lockout_Interval")), "6", "lockout", res)
    check_eq(kv.get(("Lan_Conf_User_Security", "Enable_Event_Message_When_User_Disabled")), "No",
             "event flag", res)
    check_eq(kv.get(("Lan_Conf_Misc", "Enable_ARP_Response")), "Yes", "ARP response", res)
    check_eq(kv.get(("Lan_Conf_Misc", "Gratuitous_ARP_Interval")), "4", "GARP interval", res)


def test_freeipmi_commit_static_config():
    d = D()
    r = d.freeipmi("ipmi-config", "--commit",
                   "-e", "Lan_Conf:IP_Address_Source=Static",
                   "-e", "Lan_Conf:IP_Address=172.20.5.40",
                   "-e", "Lan_Conf:Subnet_Mask=255.255.0.0",
                   "-e", "Lan_Conf:Default_Gateway_IP_Address=172.20.0.1",
                   "-e", "Lan_Conf_User_Security:Bad_Password_Threshold=7")
    expect_ok(r, "ipmi-config --commit of a static configuration")
    kv = checkout()
    for key, want in ((("Lan_Conf", "IP_Address_Source"), "Static"),
                      (("Lan_Conf", "IP_Address"), "172.20.5.40"),
                      (("Lan_Conf", "Subnet_Mask"), "255.255.0.0"),
                      (("Lan_Conf", "Default_Gateway_IP_Address"), "172.20.0.1"),
                      (("Lan_Conf_User_Security", "Bad_Password_Threshold"), "7")):
        check_eq(kv.get(key), want, "checkout %s:%s after commit" % key, kv["_result"])
    f = lan_print()
    expect_field(f, "IP Address Source", "Static Address", "FreeIPMI commit")
    expect_field(f, "IP Address", "172.20.5.40", "FreeIPMI commit")
    expect_field(f, "Subnet Mask", "255.255.0.0", "FreeIPMI commit")
    expect_field(f, "Default Gateway IP", "172.20.0.1", "FreeIPMI commit")

    # refused commits leave the state as it was
    for key, what in (("Lan_Conf:Subnet_Mask=255.0.255.0", "non-contiguous netmask"),
                      ("Lan_Conf:Default_Gateway_IP_Address=10.1.1.1", "gateway outside"),
                      ("Lan_Conf:MAC_Address=02:00:00:00:00:01", "read-only MAC")):
        r = d.freeipmi("ipmi-config", "--commit", "-e", key)
        expect_fail(r, "ipmi-config --commit %s (%s)" % (key, what), r"ERROR: Failed to commit")
    kv = checkout()
    check_eq(kv.get(("Lan_Conf", "Subnet_Mask")), "255.255.0.0", "mask unchanged", kv["_result"])
    check_eq(kv.get(("Lan_Conf", "Default_Gateway_IP_Address")), "172.20.0.1", "gw unchanged",
             kv["_result"])
    expect_ok(d.freeipmi("ipmi-config", "--commit", "-e", "Lan_Conf:IP_Address_Source=Use_DHCP",
                         "-e", "Lan_Conf_User_Security:Bad_Password_Threshold=5"),
              "ipmi-config back to DHCP")


# ------------------------------------------------------------------------------------------
# persistence across a restart (own daemon)

def test_persistence_across_restart():
    d = H.Daemon(name="lanconf-persist", config=CONFIG)
    try:
        d.start()
        lease = lan_print(d=d)
        for args in (("ipsrc", "static"), ("ipaddr", "10.44.0.7"), ("netmask", "255.255.0.0"),
                     ("defgw", "ipaddr", "10.44.0.1"), ("bakgw", "ipaddr", "10.44.0.2"),
                     ("vlan", "id", 300), ("vlan", "priority", 2), ("snmp", "persisted"),
                     ("cipher_privs", "XaouXXXXXXXXXXX"), ("bad_pass_thresh", 4, 1, 3, 2)):
            ok("lan", "set", 1, *args, d=d)
        before = lan_print(d=d)
        fi_before = checkout(d)
        d.restart()
        after = lan_print(d=d)
        for name in ("IP Address Source", "IP Address", "Subnet Mask", "MAC Address",
                     "Default Gateway IP", "Backup Gateway IP", "802.1q VLAN ID",
                     "802.1q VLAN Priority", "SNMP Community String", "Cipher Suite Priv Max",
                     "Bad Password Threshold", "Invalid password disable",
                     "Attempt Count Reset Int.", "User Lockout Interval", "Auth Type Enable"):
            check_eq(after.get(name), before.get(name), "'%s' after restart" % name,
                     after["_result"])
        expect_field(after, "IP Address", "10.44.0.7", "restart")
        expect_field(after, "802.1q VLAN ID", "300", "restart")
        expect_field(after, "Cipher Suite Priv Max", "XaouXXXXXXXXXXX", "restart")
        fi_after = checkout(d)
        for key in [k for k in fi_before if k != "_result"]:
            check_eq(fi_after.get(key), fi_before[key], "ipmi-config %s:%s after restart" % key)
        # the simulated lease is the same after a restart (stable per state dir)
        ok("lan", "set", 1, "ipsrc", "dhcp", d=d)
        d.restart()
        f = lan_print(d=d)
        expect_field(f, "IP Address", lease["IP Address"], "DHCP lease after restart")
        expect_field(f, "MAC Address", lease["MAC Address"], "MAC after restart")
        d.stop()
    finally:
        d.cleanup()
