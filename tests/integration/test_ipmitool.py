"""ipmitool against softbmcd (issue 2, "Must show" item 1).

The full command set runs on `-I lanplus -C 17`. To keep the suite fast, the other three ways
in -- `-I lanplus -C 3`, `-I lanplus` with no -C (ipmitool asks for the cipher suites and picks
17) and `-I lan` (IPMI 1.5, MD5) -- run a representative subset: mc info, chassis status, power
on/off with read-back, user list and session info active (test_iface_*).

Output formats are ipmitool 1.8.19's (lib/ipmi_mc.c, ipmi_chassis.c, ipmi_user.c,
ipmi_channel.c, ipmi_session.c). One daemon serves the whole module (short soft-off and cycle
delays); every test sets up the state it relies on. Power state is read back in bounded polls.
"""

import re

import harness as H
from harness import check, check_eq, expect_fail, expect_ok, fail, poll_until

C17 = dict(cipher=17)
IFACES = {
    "c17": dict(interface="lanplus", cipher=17),
    "c3": dict(interface="lanplus", cipher=3),
    "noC": dict(interface="lanplus"),
    "lan": dict(interface="lan"),
}


def D():
    return H.shared_daemon(__name__, config=H.FAST_CONFIG)


def ipmi(*cmd, **kw):
    kw.setdefault("cipher", 17)
    if kw.get("interface") == "lan":
        kw.pop("cipher")
    return D().ipmitool(*cmd, **kw)


def ok(*cmd, **kw):
    return expect_ok(ipmi(*cmd, **kw), " ".join(str(c) for c in cmd))


def meson_version():
    with open(H.REPO + "/meson.build") as f:
        m = re.search(r"version\s*:\s*'(\d+)\.(\d+)", f.read())
    return int(m.group(1)), int(m.group(2))


def power(want, **kw):
    """Switch power on/off through ipmitool and read it back (bounded poll)."""
    d = D()
    kw.setdefault("cipher", 17)
    r = ok("chassis", "power", want, **kw)
    check(("Chassis Power Control: %s" % ("Up/On" if want == "on" else "Down/Off")) in r.out,
          "unexpected confirmation for power %s" % want, r)
    d.wait_power(want, **_iface(kw))


def _iface(kw):
    return {k: v for k, v in kw.items() if k in ("interface", "cipher", "user", "password", "priv")}


def status_byte(idx):
    """Byte idx (0-based after the completion code) of Get Chassis Status via raw."""
    r = ok("raw", "0x00", "0x01")
    b = r.hex_bytes()
    check(len(b) >= 3, "Get Chassis Status returned %d data bytes, want >= 3" % len(b), r)
    return b[idx]


def user_rows(res):
    """`user list` rows by fixed columns (%-4d%-17s%-8s%-11s%-11s%s) -> {id: dict}."""
    rows = {}
    for line in res.out.split("\n"):
        m = re.match(r"^(\d+)\s", line)
        if not m or len(line) < 52:
            continue
        rows[int(m.group(1))] = {
            "name": line[4:21].strip(), "callin": line[21:29].strip(), "link": line[29:40].strip(),
            "ipmi": line[40:51].strip(), "priv": line[51:].strip(),
        }
    return rows


def login(user, password, **kw):
    """A fresh session as `user`, running `mc info`; returns the Result."""
    return D().ipmitool("mc", "info", user=user, password=password, **kw)


def login_ok(user, password, what, **kw):
    r = login(user, password, **kw)
    if not r.ok or "IPMI Version" not in r.out:
        fail("%s: login as %s should succeed" % (what, user), r)


def login_refused(user, password, what, **kw):
    r = login(user, password, **kw)
    expect_fail(r, "%s: login as %s" % (what, user))
    # a refusal must come from the BMC, not from ipmitool's own argument checks
    check("longer than" not in r.text, "%s: ipmitool refused locally; test is invalid" % what, r)
    return r


def make_user(uid, name, password, priv=4, form=None):
    ok("user", "set", "name", uid, name)
    args = ["user", "set", "password", uid, password] + ([str(form)] if form else [])
    r = ok(*args)
    check("Set User Password command successful (user %d)" % uid in r.out, "no confirmation", r)
    r = ok("channel", "setaccess", 1, uid, "callin=on", "ipmi=on", "link=on", "privilege=%d" % priv)
    check("Set User Access (channel 1 id %d) successful." % uid in r.out, "no confirmation", r)
    ok("user", "enable", uid)


# ------------------------------------------------------------------------------------------
# mc

def test_mc_info():
    r = ok("mc", "info")
    check_eq(r.field("IPMI Version"), "2.0", "IPMI Version", r)
    check_eq(r.field("Device Available"), "yes", "Device Available", r)
    fw = r.field("Firmware Revision")
    check(fw is not None and re.fullmatch(r"\d+\.\d\d", fw), "Firmware Revision %r" % fw, r)
    major, minor = meson_version()
    fmaj, fmin = fw.split(".")
    # firmware revision from the build (meson project version X.Y.Z): major X, minor Y as
    # BCD ("0.01") -- or as a decimal fraction ("0.10" for 0.1)
    check(int(fmaj) == major and (int(fmin) == minor or float(fw) == float("%d.%d" % (major, minor))),
          "Firmware Revision %s does not match the build version %d.%d" % (fw, major, minor), r)
    mid = r.field("Manufacturer ID")
    check(mid is not None and mid.isdigit(), "Manufacturer ID %r" % mid, r)
    pid = r.field("Product ID")
    check(pid is not None and re.match(r"\d+ \(0x[0-9a-f]{4}\)", pid), "Product ID %r" % pid, r)
    # stable: a second session reports the same identity
    r2 = ok("mc", "info")
    for f in ("Manufacturer ID", "Product ID", "Firmware Revision", "Device ID"):
        check_eq(r2.field(f), r.field(f), "%s differs between two calls" % f, r2)


def test_raw_get_device_id():
    r = ok("raw", "0x06", "0x01")
    b = r.hex_bytes()
    check(len(b) >= 11, "Get Device ID returned %d data bytes, want >= 11" % len(b), r)
    check_eq(b[4], 0x02, "IPMI version byte (BCD 2.0)", r)
    check_eq(b[2] & 0x80, 0, "device available bit (0 = normal operation)", r)
    info = ok("mc", "info")
    mid = b[6] | b[7] << 8 | (b[8] & 0x0F) << 16
    check_eq(str(mid), info.field("Manufacturer ID"), "raw manufacturer ID vs mc info", r)


def test_mc_guid():
    r = ok("mc", "guid")
    g = r.field("System GUID")
    check(g is not None and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", g),
          "System GUID line missing or malformed: %r" % g, r)
    check(g != "00000000-0000-0000-0000-000000000000", "all-zero GUID", r)
    r2 = ok("mc", "guid")
    check_eq(r2.field("System GUID"), g, "GUID not stable between calls", r2)
    raw = ok("raw", "0x06", "0x08").hex_bytes()
    check_eq(len(raw), 16, "Get Device GUID length")
    sysg = ok("raw", "0x06", "0x37").hex_bytes()
    check_eq(len(sysg), 16, "Get System GUID length")


def test_mc_selftest():
    r = ok("mc", "selftest")
    check("Selftest: passed" in r.out, "self test did not pass", r)


def test_mc_reset_warm():
    power("on")
    before_users = user_rows(ok("user", "list", 1))
    r = ok("mc", "reset", "warm")
    check("Sent warm reset command to MC" in r.out, "no confirmation", r)
    # the BMC restarts its logic: a later command works (bounded poll, new session each time)
    poll_until(lambda: ipmi("mc", "info").ok, timeout=20, desc="mc info after warm reset")
    check_eq(D().power_state(cipher=17), "on", "host power must not change on a BMC warm reset")
    check_eq(user_rows(ok("user", "list", 1)), before_users, "user table after warm reset")


# ------------------------------------------------------------------------------------------
# chassis

def test_chassis_status():
    r = ok("chassis", "status")
    check(r.field("System Power") in ("on", "off"), "System Power line", r)
    check(r.field("Power Restore Policy") in ("always-off", "previous", "always-on"),
          "Power Restore Policy must be a supported policy, not unknown", r)
    for f in ("Power Overload", "Main Power Fault", "Chassis Intrusion", "Cooling/Fan Fault"):
        check(r.field(f) is not None, "%s line missing" % f, r)


def test_power_on_off_status():
    power("off")
    r = ok("chassis", "status")
    check_eq(r.field("System Power"), "off", "chassis status after power off", r)
    power("on")
    r = ok("chassis", "status")
    check_eq(r.field("System Power"), "on", "chassis status after power on", r)
    check("command" in (r.field("Last Power Event") or ""), "Last Power Event should say command", r)
    r = ok("chassis", "restart_cause")
    check_eq(r.field("System restart cause"), "chassis power control command", "restart cause", r)
    # power on while on is harmless
    ok("chassis", "power", "on")
    D().wait_power("on", cipher=17)


def test_power_cycle():
    power("on")
    r = ok("chassis", "power", "cycle")
    check("Chassis Power Control: Cycle" in r.out, "no confirmation", r)
    # off for the configured interval (3 s), then on again
    D().wait_power("off", cipher=17)
    D().wait_power("on", cipher=17)


def test_power_reset_keeps_power_on():
    power("on")
    r = ok("chassis", "power", "reset")
    check("Chassis Power Control: Reset" in r.out, "no confirmation", r)
    for _ in range(3):
        check_eq(D().power_state(cipher=17), "on", "power state after reset")


def test_power_soft():
    power("on")
    r = ok("chassis", "power", "soft")
    check("Chassis Power Control: Soft" in r.out, "no confirmation", r)
    D().wait_power("off", cipher=17)


def test_power_cycle_reset_soft_while_off_d5():
    power("off")
    for op in ("cycle", "reset", "soft"):
        r = ipmi("chassis", "power", op)
        expect_fail(r, "chassis power %s while off" % op, "Command not supported in present state")
    check_eq(D().power_state(cipher=17), "off", "power after refused controls")


def test_chassis_identify():
    r = ok("chassis", "identify", 15)
    check("Chassis identify interval: 15 seconds" in r.out, "confirmation", r)
    b = status_byte(2)
    check_eq(b & 0x40, 0x40, "identify-state-supported bit (byte 4 bit 6) after identify 15")
    check_eq((b >> 4) & 3, 1, "identify state after 'identify 15' (01 = timed on)")
    r = ok("chassis", "identify", "force")
    check("Chassis identify interval: indefinite" in r.out, "confirmation", r)
    check_eq((status_byte(2) >> 4) & 3, 2, "identify state after 'identify force' (10 = indefinite)")
    r = ok("chassis", "identify", 0)
    check("Chassis identify interval: off" in r.out, "confirmation", r)
    check_eq((status_byte(2) >> 4) & 3, 0, "identify state after 'identify 0'")


def test_chassis_identify_interval_expires():
    ok("chassis", "identify", 1)
    poll_until(lambda: (status_byte(2) >> 4) & 3 == 0, timeout=15,
               desc="identify state back to off after a 1 s interval")


BOOTDEVS = {"pxe": "Force PXE", "disk": "Force Boot from default Hard-Drive",
            "bios": "Force Boot into BIOS Setup"}


def test_chassis_bootdev():
    for dev, text in BOOTDEVS.items():
        r = ok("chassis", "bootdev", dev)
        check("Set Boot Device to %s" % dev in r.out, "confirmation", r)
        # ipmitool prints errors of the set-in-progress/ack steps without failing: none allowed
        check("Error" not in r.text and "failed" not in r.text, "errors while setting bootdev", r)
        g = ok("chassis", "bootparam", "get", 5)
        check("Boot parameter 5 is valid/unlocked" in g.out or "Boot Flags" in g.out, "param 5 output", g)
        check("- Boot Flag Valid" in g.out, "boot flags not valid after bootdev %s" % dev, g)
        check(re.search(r"Boot Device Selector : %s\s*$" % re.escape(text), g.out, re.M),
              "boot device not %r after bootdev %s" % (text, dev), g)


def test_bootdev_applies_at_next_power_on_and_clears():
    power("off")
    ok("chassis", "bootdev", "pxe")
    g = ok("chassis", "bootparam", "get", 5)
    check("- Boot Flag Valid" in g.out, "flags valid before power on", g)
    power("on")
    # a one-time boot device is consumed by the power-on
    poll_until(lambda: "- Boot Flag Invalid" in ok("chassis", "bootparam", "get", 5).out,
               timeout=15, desc="boot flags cleared after the power-on that used them")


def test_chassis_bootparam_0_to_7():
    for p in range(8):
        r = ok("chassis", "bootparam", "get", p)
        check("Boot parameter version: 1" in r.out, "boot parameter %d version" % p, r)
        check(re.search(r"^Boot parameter %d is (valid/unlocked|invalid/locked)" % p, r.out, re.M),
              "boot parameter %d header" % p, r)


def test_chassis_policy():
    r = ok("chassis", "policy", "list")
    for p in ("always-off", "always-on", "previous"):
        check(p in r.out, "policy %s not listed as supported" % p, r)
    for p in ("always-on", "previous", "always-off"):
        r = ok("chassis", "policy", p)
        check("Set chassis power restore policy to %s" % p in r.out, "confirmation", r)
        s = ok("chassis", "status")
        check_eq(s.field("Power Restore Policy"), p, "policy read back", s)


def test_chassis_restart_cause_and_poh():
    r = ok("chassis", "restart_cause")
    check(r.field("System restart cause") is not None, "restart cause line", r)
    r = ok("chassis", "poh")
    check(re.search(r"POH Counter\s*: \d+ days, \d+ hours", r.out), "POH line", r)


# ------------------------------------------------------------------------------------------
# users

def test_user_list():
    r = ok("user", "list", 1)
    rows = user_rows(r)
    check(len(rows) == 16 and sorted(rows) == list(range(1, 17)), "user IDs 1..16 expected", r)
    check_eq(rows[2]["name"], "admin", "user 2 name", r)
    check_eq(rows[2]["priv"], "ADMINISTRATOR", "user 2 privilege", r)
    check_eq(rows[2]["ipmi"], "true", "user 2 IPMI messaging", r)
    check_eq(rows[1]["name"], "", "user 1 is the null user", r)


def test_user_set_name_password_priv_enable_disable():
    uid, name, pw = 3, "carol", "Carol-pw-0016"
    make_user(uid, name, pw)
    rows = user_rows(ok("user", "list", 1))
    check_eq(rows[uid]["name"], name, "name read back")
    check_eq(rows[uid]["priv"], "ADMINISTRATOR", "privilege read back")
    login_ok(name, pw, "new admin user, lanplus -C 17", cipher=17)
    login_ok(name, pw, "new admin user, IPMI 1.5", interface="lan")
    login_refused(name, pw + "x", "wrong password", cipher=17)

    # user priv: USER limit -> a USER session works, ADMINISTRATOR refused, control gets 0xD4
    r = ok("user", "priv", uid, 2, 1)
    check("Set Privilege Level command successful (user %d)" % uid in r.out, "confirmation", r)
    check_eq(user_rows(ok("user", "list", 1))[uid]["priv"], "USER", "privilege read back")
    r = D().ipmitool("chassis", "status", user=name, password=pw, cipher=17, priv="USER")
    expect_ok(r, "chassis status as a USER-privilege user")
    login_refused(name, pw, "USER-limit user asking for ADMINISTRATOR", cipher=17)
    r = D().ipmitool("chassis", "power", "on", user=name, password=pw, cipher=17, priv="USER")
    expect_fail(r, "Chassis Control at USER privilege", "Insufficient privilege level")
    ok("user", "priv", uid, 4, 1)
    login_ok(name, pw, "after user priv back to ADMINISTRATOR", cipher=17)

    # user disable / enable
    ok("user", "disable", uid)
    g = ok("channel", "getaccess", 1, uid)
    check_eq(g.field("Enable Status"), "disabled", "enable status after disable", g)
    login_refused(name, pw, "disabled user, lanplus", cipher=17)
    login_refused(name, pw, "disabled user, IPMI 1.5", interface="lan")
    ok("user", "enable", uid)
    g = ok("channel", "getaccess", 1, uid)
    check_eq(g.field("Enable Status"), "enabled", "enable status after enable", g)
    login_ok(name, pw, "re-enabled user", cipher=17)

    # rename: the old name no longer logs in, the new one does
    ok("user", "set", "name", uid, "carol2")
    login_refused(name, pw, "old name after rename", cipher=17)
    login_ok("carol2", pw, "new name after rename", cipher=17)


def test_user_password_16_and_20_byte_forms():
    uid, name = 4, "dave"
    short = "Dave-pw-11c"           # fits 16 bytes, so ipmitool -I lan will try it
    make_user(uid, name, short, form=20)
    login_ok(name, short, "20-byte form, lanplus -C 17", cipher=17)
    login_ok(name, short, "20-byte form, lanplus -C 3", cipher=3)
    # a password stored in the 20-byte form must not work over IPMI 1.5
    login_refused(name, short, "20-byte form over IPMI 1.5", interface="lan")
    r = ok("user", "test", uid, 20, short)
    check("Success" in r.out, "user test 20", r)
    r = ipmi("user", "test", uid, 16, short)
    check("Failure: wrong password size" in r.out, "user test 16 on a 20-byte password", r)

    # the same password in the 16-byte form works over 1.5 too
    ok("user", "set", "password", uid, short, 16)
    login_ok(name, short, "16-byte form, IPMI 1.5", interface="lan")
    login_ok(name, short, "16-byte form, lanplus", cipher=17)
    r = ipmi("user", "test", uid, 16, short + "x")
    check("Failure: password incorrect" in r.out, "user test with a wrong password", r)

    # a full 20-character password: every byte counts (no truncation to 16)
    full = "Twenty-char-pw-20b!!"
    check_eq(len(full), 20, "test setup")
    ok("user", "set", "password", uid, full, 20)
    login_ok(name, full, "20-character password", cipher=17)
    login_refused(name, full[:16], "first 16 characters of a 20-character password", cipher=17)


def test_user_password_over_length_rejected():
    uid, name, pw = 5, "erin", "Erin-pw-0005"
    make_user(uid, name, pw)
    # Set User Password, 16-byte form (byte 1 bit 7 = 0), operation "set", 17 password bytes
    r = ipmi("raw", "0x06", "0x47", "0x%02x" % uid, "0x02", *(["0x41"] * 17))
    expect_fail(r, "16-byte-form Set User Password with 17 password bytes", r"rsp=0x[0-9a-f]{2}")
    # 20-byte form (bit 7 = 1) with 21 bytes
    r = ipmi("raw", "0x06", "0x47", "0x%02x" % (0x80 | uid), "0x02", *(["0x42"] * 21))
    expect_fail(r, "20-byte-form Set User Password with 21 password bytes", r"rsp=0x[0-9a-f]{2}")
    # nothing was stored: the old password still works, a truncated new one does not
    login_ok(name, pw, "after rejected over-length passwords", cipher=17)
    login_refused(name, "A" * 16, "truncated over-length password", cipher=17)


def test_user_summary():
    r = ok("user", "summary", 1)
    check_eq(r.field("Maximum IDs"), "16", "maximum user IDs", r)
    n = r.field("Enabled User Count")
    check(n is not None and n.isdigit() and int(n) >= 1, "enabled user count (admin at least)", r)


# ------------------------------------------------------------------------------------------
# channel, session, raw

def test_channel_info():
    r = ok("channel", "info")
    check("Channel 0x1 info:" in r.out, "channel number", r)
    check_eq(r.field("Channel Medium Type"), "802.3 LAN", "medium", r)
    check_eq(r.field("Channel Protocol Type"), "IPMB-1.0", "protocol", r)
    check_eq(r.field("Session Support"), "multi-session", "session support", r)
    n = r.field("Active Session Count")
    check(n is not None and n.isdigit() and int(n) >= 1, "our own session must count", r)
    check_eq(r.field("Protocol Vendor ID"), "7154", "vendor (IPMI IANA)", r)
    check("Volatile(active) Settings" in r.out and "Non-Volatile Settings" in r.out,
          "both channel access settings", r)
    check(r.field("Access Mode") == "always available", "LAN channel access mode", r)
    r1 = ok("channel", "info", 1)
    check("Channel 0x1 info:" in r1.out, "channel info 1", r1)


def test_channel_authcap_and_mc_getenables():
    r = ok("channel", "authcap", 1, 4)
    check_eq(r.field("Channel number"), "1", "channel", r)
    check_eq(r.field("IPMI v1.5  auth types"), "MD5", "IPMI 1.5 auth types by default", r)
    check_eq(r.field("Channel supports IPMI v1.5"), "yes", "1.5 support", r)
    check_eq(r.field("Channel supports IPMI v2.0"), "yes", "2.0 support", r)
    check_eq(r.field("Non-null user names exist"), "yes", "non-null users", r)
    check_eq(r.field("Anonymous login enabled"), "no", "anonymous login", r)
    check_eq(r.field("KG status"), "default (all zeroes)", "K_g", r)
    r = ok("mc", "getenables")
    check(r.field("System Event Logging") in ("enabled", "disabled"), "Get BMC Global Enables", r)


def test_channel_getaccess():
    r = ok("channel", "getaccess", 1, 2)
    check_eq(r.field("User ID"), "2", "user id", r)
    check_eq(r.field("User Name"), "admin", "user name", r)
    check_eq(r.field("IPMI Messaging"), "enabled", "IPMI messaging", r)
    check_eq(r.field("Privilege Level"), "ADMINISTRATOR", "privilege", r)
    check_eq(r.field("Enable Status"), "enabled", "enable status", r)
    mx = r.field("Maximum User IDs")
    check_eq(mx, "16", "maximum user IDs", r)


def test_channel_getciphers():
    r = ok("channel", "getciphers", "ipmi", 1)
    rows = {}
    for line in r.out.split("\n"):
        m = re.match(r"^(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$", line)
        if m:
            rows[int(m.group(1))] = (m.group(3), m.group(4), m.group(5))
    want = {
        1: ("hmac_sha1", "none", "none"),
        2: ("hmac_sha1", "hmac_sha1_96", "none"),
        3: ("hmac_sha1", "hmac_sha1_96", "aes_cbc_128"),
        15: ("hmac_sha256", "none", "none"),
        16: ("hmac_sha256", "sha256_128", "none"),
        17: ("hmac_sha256", "sha256_128", "aes_cbc_128"),
    }
    check_eq(rows, want, "default cipher suites (0 must not be listed)", r)


def test_session_info_active():
    r = ok("session", "info", "active")
    check_eq(r.field("user id"), "2", "user id", r)
    check_eq(r.field("privilege level"), "ADMINISTRATOR", "privilege", r)
    check_eq(r.field("session type"), "IPMIv2/RMCP+", "session type", r)
    check_eq(r.field("channel number"), "0x01", "channel", r)
    check_eq(r.field("console ip"), "127.0.0.1", "console ip", r)
    n = r.field("active sessions")
    check(n is not None and int(n) >= 1, "active sessions", r)
    slots = r.field("slot count")
    check(slots is not None and int(slots) >= 1, "slot count", r)


# ------------------------------------------------------------------------------------------
# the subset over the other ways in

def _iface_subset(key):
    kw = IFACES[key]
    d = D()
    r = expect_ok(d.ipmitool("mc", "info", **kw), "%s: mc info" % key)
    check_eq(r.field("IPMI Version"), "2.0", "%s: IPMI Version" % key, r)
    r = expect_ok(d.ipmitool("chassis", "status", **kw), "%s: chassis status" % key)
    check(r.field("System Power") in ("on", "off"), "%s: System Power" % key, r)
    for want in ("off", "on", "off"):
        r = expect_ok(d.ipmitool("chassis", "power", want, **kw), "%s: power %s" % (key, want))
        d.wait_power(want, **kw)
    rows = user_rows(expect_ok(d.ipmitool("user", "list", 1, **kw), "%s: user list" % key))
    check_eq(rows.get(2, {}).get("name"), "admin", "%s: user 2 in user list" % key)
    r = expect_ok(d.ipmitool("session", "info", "active", **kw), "%s: session info" % key)
    check_eq(r.field("user id"), "2", "%s: session user" % key, r)
    check_eq(r.field("session type"), "IPMIv1.5" if key == "lan" else "IPMIv2/RMCP+",
             "%s: session type" % key, r)
    check_eq(r.field("privilege level"), "ADMINISTRATOR", "%s: session privilege" % key, r)


def test_iface_lanplus_c17():
    _iface_subset("c17")


def test_iface_lanplus_c3():
    _iface_subset("c3")


def test_iface_lanplus_default_cipher():
    _iface_subset("noC")


def test_iface_lan_ipmi15_md5():
    _iface_subset("lan")
