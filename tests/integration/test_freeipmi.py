"""FreeIPMI tools against softbmcd (issue 2, "Must show" item 2).

IPMI 2.0 (-D LAN_2_0) with cipher suites 3 and 17 and NO -W workaround flags: bmc-info,
ipmi-chassis --get-chassis-status, ipmipower --stat/--on/--off/--cycle (read back),
ipmi-config --checkout of the User and Lan_Channel sections, and a --commit of a user change
that reads back through ipmi-config and through ipmitool (and logs in). bmc-device
--get/--set-acpi-power-state against the server's power; --get-lan-statistics after
`ipmitool lan stats clear`.
"""

import re

import harness as H
from harness import check, check_eq, expect_ok, fail, poll_until

SUITES = (3, 17)


def D():
    return H.shared_daemon(__name__, config=H.FAST_CONFIG)


def fi(tool, *args, cipher=17, **kw):
    r = D().freeipmi(tool, *args, cipher=cipher, **kw)
    if not r.ok:
        fail("%s (cipher suite %s) failed" % (tool, cipher), r)
    for bad in ("-W", "--workaround"):
        check(bad not in r.argv, "test must not use workaround flags")
    return r


def checkout(section, cipher=17, **kw):
    """ipmi-config --checkout --section=SECTION -> {key: value} (comments skipped)."""
    r = D().freeipmi("ipmi-config", "--checkout", "--section=%s" % section, cipher=cipher, **kw)
    if not r.ok:
        # ipmi-config exits 1 when any key could not be read; -vv names the keys
        v = D().freeipmi("ipmi-config", "--checkout", "--section=%s" % section, "-vv",
                         cipher=cipher, **kw)
        fail("ipmi-config --checkout --section=%s (cipher suite %s) failed; the same with -vv "
             "names the keys it could not read:\n%s" % (section, cipher, v.report()), r)
    check(re.search(r"^Section %s\s*$" % re.escape(section), r.out, re.M | re.I),
          "no 'Section %s' in checkout" % section, r)
    kv = {}
    inside = False
    for line in r.out.split("\n"):
        s = line.strip()
        if re.match(r"^Section\s", s):
            inside = s.split()[1].lower() == section.lower()
            continue
        if s == "EndSection":
            inside = False
            continue
        if not inside or not s or s.startswith("#"):
            continue
        parts = s.split(None, 1)
        kv[parts[0]] = parts[1].strip() if len(parts) > 1 else ""
    return kv, r


def stat(cipher):
    r = fi("ipmipower", "--stat", cipher=cipher)
    m = re.search(r":\s*(on|off)\s*$", r.out.strip(), re.M)
    if not m:
        fail("ipmipower --stat printed no on/off state", r)
    return m.group(1)


def ipmipower(op, cipher):
    r = fi("ipmipower", "--" + op, cipher=cipher)
    check(re.search(r":\s*ok\s*$", r.out.strip(), re.M), "ipmipower --%s did not report ok" % op, r)
    return r


def test_bmc_info():
    for cs in SUITES:
        r = fi("bmc-info", cipher=cs)
        check(re.search(r"^IPMI Version\s*:\s*2\.0\s*$", r.out, re.M), "IPMI Version 2.0 (suite %d)" % cs, r)
        check(re.search(r"^Firmware Revision\s*:\s*\d+\.\d+", r.out, re.M), "Firmware Revision", r)
        check(re.search(r"^Manufacturer ID\s*:\s*\S", r.out, re.M), "Manufacturer ID", r)
        check(re.search(r"^Device Available\s*:\s*yes", r.out, re.M | re.I), "Device Available", r)


def test_ipmi_chassis_status():
    for cs in SUITES:
        r = fi("ipmi-chassis", "--get-chassis-status", cipher=cs)
        m = re.search(r"^System Power\s*:\s*(on|off)\s*$", r.out, re.M)
        check(m, "System Power line (suite %d)" % cs, r)
        check_eq(m.group(1), D().power_state(cipher=17), "ipmi-chassis vs ipmitool power state", r)
        check(re.search(r"^Power restore policy\s*:\s*(Always off|Always on|Restore power)", r.out,
                        re.M | re.I), "Power restore policy line", r)


def test_ipmipower_stat_on_off_cycle():
    d = D()
    for cs in SUITES:
        ipmipower("off", cs)
        poll_until(lambda: stat(cs) == "off", desc="ipmipower --stat off (suite %d)" % cs)
        check_eq(d.power_state(cipher=17), "off", "ipmitool sees the ipmipower --off")
        ipmipower("on", cs)
        poll_until(lambda: stat(cs) == "on", desc="ipmipower --stat on (suite %d)" % cs)
        check_eq(d.power_state(cipher=17), "on", "ipmitool sees the ipmipower --on")
        ipmipower("cycle", cs)
        # off for the configured 3 s interval, then on again
        poll_until(lambda: stat(cs) == "off", desc="power off during cycle (suite %d)" % cs)
        poll_until(lambda: stat(cs) == "on", desc="power back on after cycle (suite %d)" % cs)


def acpi_state(cipher=17):
    """bmc-device --get-acpi-power-state as (system, device)."""
    r = fi("bmc-device", "--get-acpi-power-state", cipher=cipher)
    sys_ = re.search(r"^ACPI System Power State\s*:\s*(\S+)", r.out, re.M)
    dev = re.search(r"^ACPI Device Power State\s*:\s*(\S+)", r.out, re.M)
    check(sys_ and dev, "two ACPI power state lines", r)
    return sys_.group(1), dev.group(1)


def test_acpi_power_state():
    """Set/Get ACPI Power State (IPMI 2.0 §20.6-20.7): follows the server's power, keeps what
    system software sets (bmc-device), refuses reserved states (0xCC)."""
    d = D()
    expect_ok(d.ipmitool("chassis", "power", "on", cipher=17), "power on")
    d.wait_power("on")
    check_eq(acpi_state(), ("S0/G0", "D0"), "a running server: working")
    fi("bmc-device", "--set-acpi-power-state", "--set-acpi-system-power-state=S1",
       "--set-acpi-device-power-state=D2", cipher=3)
    check_eq(acpi_state(cipher=3), ("S1", "D2"), "what bmc-device set")
    r = expect_ok(d.ipmitool("raw", "0x06", "0x07", cipher=17), "Get ACPI Power State")
    check_eq(list(r.hex_bytes()), [0x01, 0x02], "the raw bytes", r)
    for data in (("0x8b", "0x00"), ("0x00", "0x85"), ("0xa9", "0x80")):
        r = d.ipmitool("raw", "0x06", "0x06", *data, cipher=17)
        check(not r.ok and "rsp=0xcc" in r.err, "reserved state %s refused with 0xCC" % (data,), r)
    expect_ok(d.ipmitool("raw", "0x06", "0x06", "0xff", "0xff", cipher=17), "7Fh: no change")
    check_eq(acpi_state(), ("S1", "D2"), "unchanged by refusals and 'no change'")
    expect_ok(d.ipmitool("chassis", "power", "off", cipher=17), "power off")
    d.wait_power("off")
    check_eq(acpi_state(), ("S5/G2", "D3"), "a server powered off: soft off")


def lan_stats():
    """bmc-device --get-lan-statistics as {label: int}."""
    r = fi("bmc-device", "--get-lan-statistics")
    out = {}
    for line in r.out.split("\n"):
        m = re.match(r"^(.+?)\s*:\s*(\d+)\s*$", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    check_eq(len(out), 9, "nine counters", r)
    return out


def test_lan_statistics():
    """Get IP/UDP/RMCP Statistics (IPMI 2.0 §23.4): cleared by `ipmitool lan stats clear`, then
    counting what reaches the RMCP port (bmc-device reads them; each of its sessions is a few
    datagrams each way); the counters the BMC cannot see stay 0; reserved bits get 0xCC."""
    d = D()
    expect_ok(d.ipmitool("lan", "stats", "clear", "1", cipher=17), "lan stats clear")
    first = lan_stats()
    check(0 < first["IP Packets Received"] < 100, "a handful of datagrams since the clear: %r"
          % first)
    check_eq(first["UDP Packets Received"], first["IP Packets Received"], "UDP = IP received")
    check_eq(first["Valid RMCP Packets Received"], first["IP Packets Received"],
             "every datagram was RMCP")
    check(0 < first["IP Packets Transmitted"] <= first["IP Packets Received"],
          "replies sent: %r" % first)
    for k in ("Received IP Header Errors", "Received IP Address Errors",
              "Fragmented IP Packets Received", "UDP Proxy Packets Received",
              "UDP Proxy Packets Dropped"):
        check_eq(first[k], 0, k)
    second = lan_stats()
    check(second["IP Packets Received"] > first["IP Packets Received"], "counting on: %r"
          % second)
    r = expect_ok(d.ipmitool("lan", "stats", "get", "1", cipher=17), "lan stats get")
    check("RMCP Rx Valid" in r.out, "ipmitool prints the counters", r)
    for data in (("0x21", "0x00"), ("0x01", "0x02"), ("0x02", "0x00")):
        r = d.ipmitool("raw", "0x0c", "0x04", *data, cipher=17)
        check(not r.ok and "rsp=0xcc" in r.err, "%s refused with 0xCC" % (data,), r)


def test_ipmi_config_checkout_user2():
    for cs in SUITES:
        kv, r = checkout("User2", cipher=cs)
        check_eq(kv.get("Username"), "admin", "User2:Username", r)
        check_eq(kv.get("Enable_User"), "Yes", "User2:Enable_User", r)
        check_eq(kv.get("Lan_Enable_IPMI_Msgs"), "Yes", "User2:Lan_Enable_IPMI_Msgs", r)
        check_eq(kv.get("Lan_Privilege_Limit"), "Administrator", "User2:Lan_Privilege_Limit", r)


def test_ipmi_config_checkout_lan_channel():
    for cs in SUITES:
        kv, r = checkout("Lan_Channel", cipher=cs)
        for mode in ("Volatile", "Non_Volatile"):
            check_eq(kv.get(mode + "_Access_Mode"), "Always_Available", mode + "_Access_Mode", r)
            check_eq(kv.get(mode + "_Channel_Privilege_Limit"), "Administrator",
                     mode + "_Channel_Privilege_Limit", r)
            check(kv.get(mode + "_Enable_User_Level_Auth") in ("Yes", "No"),
                  mode + "_Enable_User_Level_Auth", r)
            check(kv.get(mode + "_Enable_Per_Message_Auth") in ("Yes", "No"),
                  mode + "_Enable_Per_Message_Auth", r)


def test_ipmi_config_commit_user_reads_back():
    d = D()
    pw = "Frank-pw-017"
    r = fi("ipmi-config", "--commit",
           "-e", "User3:Username=frank",
           "-e", "User3:Password=%s" % pw,
           "-e", "User3:Enable_User=Yes",
           "-e", "User3:Lan_Enable_IPMI_Msgs=Yes",
           "-e", "User3:Lan_Privilege_Limit=Operator", cipher=17)
    check("error" not in r.text.lower(), "commit reported an error", r)
    # ... and through ipmitool
    r = expect_ok(d.ipmitool("user", "list", 1, cipher=17), "ipmitool user list")
    row = [l for l in r.out.split("\n") if re.match(r"^3\s", l)]
    check(row and row[0][4:21].strip() == "frank", "ipmitool user list: user 3 should be frank", r)
    check(row[0][51:].strip() == "OPERATOR", "ipmitool user list: user 3 should be OPERATOR", r)
    check(row[0][40:51].strip() == "true", "ipmitool user list: user 3 IPMI messaging", r)
    # ... and the new user can log in at OPERATOR (FreeIPMI and ipmitool) but not as ADMIN
    fi("ipmipower", "--stat", user="frank", password=pw, cipher=17)
    r = d.ipmitool("chassis", "power", "status", user="frank", password=pw, cipher=17, priv="OPERATOR")
    expect_ok(r, "ipmitool as frank at OPERATOR")
    r = d.freeipmi("bmc-info", user="frank", password=pw, cipher=3, priv="ADMIN")
    H.expect_fail(r, "bmc-info as frank asking for ADMIN")

    for cs in SUITES:
        kv, r = checkout("User3", cipher=cs)
        check_eq(kv.get("Username"), "frank", "User3:Username after commit", r)
        check_eq(kv.get("Enable_User"), "Yes", "User3:Enable_User after commit", r)
        check_eq(kv.get("Lan_Enable_IPMI_Msgs"), "Yes", "User3:Lan_Enable_IPMI_Msgs after commit", r)
        check_eq(kv.get("Lan_Privilege_Limit"), "Operator", "User3:Lan_Privilege_Limit after commit", r)
    # a second change over suite 3 reads back too
    fi("ipmi-config", "--commit", "-e", "User3:Lan_Privilege_Limit=User", cipher=3)
    kv, r = checkout("User3", cipher=17)
    check_eq(kv.get("Lan_Privilege_Limit"), "User", "User3:Lan_Privilege_Limit after 2nd commit", r)
