"""System Info Parameters (IPMI 2.0 §22.14a-b, Set/Get System Info Parameters 0x58/0x59).

ipmitool 1.8.19 `mc setsysinfo/getsysinfo` (system_name, primary_os_name, os_name; it writes at
most 62 characters in four 16-byte sets) and FreeIPMI 1.6.10 `bmc-info --get-system-info`
(reads every parameter 1-7, following a string's length through up to 17 sets) read each
other's writes. A 255-byte string written set by set with `ipmitool raw` comes back whole
through bmc-info (ipmitool itself cannot read one: it takes the length byte as a signed char). Bad requests get their completion codes (0x80, 0x81, 0xC7, 0xC9, 0xCC,
0xD4 for a User-privilege writer). The OS name is volatile: a reset or a power-off clears it,
the system name stays; after a daemon restart the non-volatile ones are still there.
"""

import harness as H
from harness import check, check_eq, expect_ok, fail

SYSTEM_NAME = "node-17.rack4.example.org, the second rack row"  # 46 bytes: 3 sets


D, ipmi, ok = H.module_clients(__name__, config=H.FAST_CONFIG)


def raw(*data, **kw):
    return ipmi("raw", *["0x%02x" % b for b in data], **kw)


def raw_cc(cc, *data, **kw):
    """A raw request that must fail with completion code cc (ipmitool prints rsp=0xNN)."""
    r = raw(*data, **kw)
    check(not r.ok, "0x%02x %s accepted, expected cc 0x%02x" % (data[1], data[2:4], cc), r)
    check("rsp=0x%02x" % cc in r.err, "expected completion code 0x%02x" % cc, r)


def getsysinfo(name, **kw):
    r = ok("mc", "getsysinfo", name, **kw)
    return r.out.rstrip("\n")


def system_info():
    """bmc-info --get-system-info as {label: value}."""
    r = D().freeipmi("bmc-info", "--get-system-info")
    if not r.ok:
        fail("bmc-info --get-system-info failed", r)
    out = {}
    for line in r.out.split("\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    out["_result"] = r
    return out


def set_string_raw(param, s):
    """Writes s (ASCII) to a string parameter the way the spec lays it out, set by set."""
    data = s.encode()
    blocks = [bytes([0x00, len(data)]) + data[:14]]
    rest = data[14:]
    while rest:
        blocks.append(rest[:16])
        rest = rest[16:]
    for set_sel, b in enumerate(blocks):
        b = b + bytes(16 - len(b))
        expect_ok(raw(0x06, 0x58, param, set_sel, *b), "set param %d set %d" % (param, set_sel))


def power(action):
    r = ok("chassis", "power", action)
    return r


def test_system_name_between_ipmitool_and_freeipmi():
    r = ok("mc", "setsysinfo", "system_name", SYSTEM_NAME)
    check_eq(getsysinfo("system_name"), SYSTEM_NAME, "ipmitool C17 reads it back", r)
    check_eq(getsysinfo("system_name", cipher=3), SYSTEM_NAME, "ipmitool C3 reads it back", r)
    info = system_info()
    check_eq(info.get("System Name"), SYSTEM_NAME, "bmc-info System Name", info["_result"])
    # what the wire holds: revision 0x11, set 0, encoding ASCII, the length, 14 characters
    r = expect_ok(raw(0x06, 0x59, 0x00, 0x02, 0x00, 0x00), "get system name set 0")
    check_eq(list(r.hex_bytes()[:4]), [0x11, 0x00, 0x00, len(SYSTEM_NAME)], "set 0 header", r)
    check_eq(r.hex_bytes()[4:18].decode(), SYSTEM_NAME[:14], "set 0 string bytes", r)
    # revision only
    r = expect_ok(raw(0x06, 0x59, 0x80, 0x02, 0x00, 0x00), "revision only")
    check_eq(list(r.hex_bytes()), [0x11], "revision-only answer", r)


def test_freeipmi_reads_a_255_byte_string_written_in_17_sets():
    s = "".join(chr(ord("a") + i % 26) for i in range(255))
    set_string_raw(0x03, s)  # primary operating system name
    info = system_info()
    check_eq(info.get("Primary Operating System Name"), s, "bmc-info, 255 characters",
             info["_result"])
    # ipmitool writes at most four sets: the first 62 characters of a longer string (and
    # declares 62 bytes for any string of 47 or more: it pads with NULs, which both clients
    # stop at)
    long_name = "Debian-GNU/Linux-12-(bookworm)-on-a-rack-server-with-a-long-name-indeed"
    ok("mc", "setsysinfo", "primary_os_name", long_name)
    check_eq(getsysinfo("primary_os_name"), long_name[:62], "ipmitool's 62 characters")
    info = system_info()
    check_eq(info.get("Primary Operating System Name"), long_name[:62],
             "bmc-info reads ipmitool's 62 characters", info["_result"])
    set_string_raw(0x03, s)


def test_refusals():
    raw_cc(0x80, 0x06, 0x59, 0x00, 0x08, 0x00, 0x00)  # no parameter 8
    raw_cc(0x80, 0x06, 0x59, 0x00, 0xC0, 0x00, 0x00)  # no OEM parameters
    raw_cc(0x80, 0x06, 0x58, 0x08, 0x00)
    raw_cc(0xC9, 0x06, 0x59, 0x00, 0x02, 17, 0x00)  # set selectors 0-16
    raw_cc(0xC9, 0x06, 0x58, 0x02, 17, *bytes(16))
    raw_cc(0xC7, 0x06, 0x58, 0x02, 0x00, *bytes(15))  # a short block
    raw_cc(0xC7, 0x06, 0x59, 0x00, 0x02, 0x00)  # Get needs four bytes
    raw_cc(0xCC, 0x06, 0x59, 0x01, 0x02, 0x00, 0x00)  # reserved bits of byte 1
    raw_cc(0xCC, 0x06, 0x58, 0x02, 0x00, 0x03, *bytes(15))  # encoding 3 is reserved
    raw_cc(0xCC, 0x06, 0x58, 0x00, 0x03)  # set state 3 is reserved
    # set in progress: a second lock is refused with 0x81, set complete releases it
    expect_ok(raw(0x06, 0x58, 0x00, 0x01), "lock")
    r = expect_ok(raw(0x06, 0x59, 0x00, 0x00, 0x00, 0x00), "get set-in-progress")
    check_eq(list(r.hex_bytes()), [0x11, 0x01], "set in progress", r)
    raw_cc(0x81, 0x06, 0x58, 0x00, 0x01)
    expect_ok(raw(0x06, 0x58, 0x00, 0x00), "set complete")
    r = expect_ok(raw(0x06, 0x59, 0x00, 0x00, 0x00, 0x00), "get set-in-progress")
    check_eq(list(r.hex_bytes()), [0x11, 0x00], "set complete", r)
    # the refused writes changed nothing
    check_eq(getsysinfo("system_name"), SYSTEM_NAME, "system name after the refusals")


def test_user_privilege_reads_but_cannot_write():
    ok("user", "set", "name", 6, "viewer")
    ok("user", "set", "password", 6, "viewer-pw-1")
    ok("channel", "setaccess", 1, 6, "callin=on", "ipmi=on", "link=on", "privilege=2")
    ok("user", "enable", 6)
    as_user = dict(user="viewer", password="viewer-pw-1", priv="USER")
    r = ipmi("mc", "getsysinfo", "system_name", **as_user)
    expect_ok(r, "getsysinfo as a User")
    check_eq(r.out.rstrip("\n"), SYSTEM_NAME, "system name read by a User", r)
    r = raw(0x06, 0x58, 0x02, 0x00, 0x00, 0x01, ord("x"), *bytes(13), **as_user)
    check(not r.ok and "rsp=0xd4" in r.err, "Set as a User: insufficient privilege (0xD4)", r)
    check_eq(getsysinfo("system_name"), SYSTEM_NAME, "system name after the refused write")


def test_os_name_is_cleared_by_reset_and_power_off():
    if D().power_state() != "on":
        power("on")
        D().wait_power("on")
    ok("mc", "setsysinfo", "os_name", "Debian GNU/Linux 12 (bookworm)")
    check_eq(getsysinfo("os_name"), "Debian GNU/Linux 12 (bookworm)", "os_name set")
    power("reset")
    H.poll_until(lambda: getsysinfo("os_name") == "", timeout=10,
                 desc="the OS name cleared by the reset")
    check_eq(getsysinfo("system_name"), SYSTEM_NAME, "system name kept over the reset")
    ok("mc", "setsysinfo", "os_name", "Debian GNU/Linux 12 (bookworm)")
    power("off")
    D().wait_power("off")
    check_eq(getsysinfo("os_name"), "", "the OS name after power off")
    check_eq(getsysinfo("system_name"), SYSTEM_NAME, "system name kept over power off")
    info = system_info()
    check_eq(info.get("Operating System Name"), "", "bmc-info after power off", info["_result"])


def test_restart_keeps_the_non_volatile_strings():
    ok("mc", "setsysinfo", "os_name", "volatile-os")
    url = "https://bmc17.example.org:8443/"
    set_string_raw(0x06, url)  # BMC URL
    D().restart()
    check_eq(getsysinfo("system_name"), SYSTEM_NAME, "system name after restart")
    info = system_info()
    check_eq(info.get("System Name"), SYSTEM_NAME, "bmc-info System Name", info["_result"])
    check_eq(info.get("BMC URL"), url, "bmc-info BMC URL", info["_result"])
    check_eq(len(info.get("Primary Operating System Name", "")), 255,
             "the 255-byte primary OS name", info["_result"])
    check_eq(info.get("Operating System Name"), "", "the volatile OS name", info["_result"])
