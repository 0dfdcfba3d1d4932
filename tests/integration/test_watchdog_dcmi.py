"""The watchdog timer and DCMI against softbmcd (issue 3, "Must show" items 1 and 2).

ipmitool (`-I lanplus -C 17` and `-C 3`): `mc watchdog get/reset/off`, Reset before any Set
refused with 0x80, a Reset that restarts the countdown, a 2 s watchdog with the power-cycle
action that expires (the server power-cycles, the restart cause is "watchdog expired", the
SMS/OS expiration flag is set and the SEL holds the Watchdog 2 event), the pre-timeout
interrupt logged; `dcmi discover`, `dcmi power reading`, `dcmi get_temp_reading` (checked
against `dcmi sensors`, i.e. the SDR), `dcmi power get_limit/set_limit/activate/deactivate`,
`dcmi asset_tag/set_asset_tag`, `dcmi get_mc_id_string/set_mc_id_string`.
FreeIPMI (no -W flags): `ipmi-dcmi --get-system-power-statistics`, the capability info, power
limit, asset tag and ID string read back across the two clients; the watchdog through
`ipmi-raw` (bmc-watchdog itself only speaks in-band drivers: test_qemu.py runs it in a guest).
A restart at the end shows what persists (DCMI settings) and what does not (the watchdog).

Output formats are ipmitool 1.8.19-4+deb12u2's (lib/ipmi_mc.c, lib/ipmi_dcmi.c) and FreeIPMI
1.6.10's (ipmi-dcmi). One daemon serves the module; every test sets up what it relies on and
waits for time-driven things in bounded polls.
"""

import re

import harness as H
from harness import check, check_eq, expect_fail, fail, poll_until

SUITES = (17, 3)


D, ipmi, ok = H.module_clients(__name__, config=H.FAST_CONFIG)


def fi(tool, *args, cipher=17):
    r = D().freeipmi(tool, *args, cipher=cipher)
    if not r.ok:
        fail("%s (cipher suite %s) failed" % (tool, cipher), r)
    check(not any(a.startswith("-W") or a.startswith("--workaround") for a in r.argv),
          "test must not use workaround flags")
    return r


def power_on():
    if D().power_state() != "on":
        r = ok("chassis", "power", "on")
        check("Up/On" in r.out, "power on confirmation", r)
        D().wait_power("on")


# ------------------------------------------------------------------------------------------
# watchdog

def wdt_get(cipher=17):
    """`mc watchdog get` -> dict of its fields (countdowns as floats)."""
    r = ok("mc", "watchdog", "get", cipher=cipher)
    g = {}
    for name in ("Watchdog Timer Use", "Watchdog Timer Is", "Watchdog Timer Logging",
                 "Watchdog Timer Action", "Pre-timeout interrupt", "Pre-timeout interval",
                 "Timer Expiration Flags", "Initial Countdown", "Present Countdown"):
        v = r.field(name)
        if v is None:
            fail("`mc watchdog get`: no %r line" % name, r)
        g[name] = v.strip()  # field() keeps all but one space of ipmitool's column padding
    for name in ("Initial Countdown", "Present Countdown"):
        m = re.fullmatch(r"([\d.]+) sec", g[name])
        check(m, "%s is not 'N.N sec'" % name, r)
        g[name] = float(m.group(1))
    g["_result"] = r
    return g


def wdt_set_raw(*data, cipher=17):
    """Set Watchdog Timer (App 0x24) with these 6 bytes."""
    r = ok("raw", "0x06", "0x24", *["0x%02x" % b for b in data], cipher=cipher)
    check_eq(r.hex_bytes(), b"", "Set Watchdog Timer answers no data", r)


def test_watchdog_reset_before_set_refused():
    """IPMI 2.0 §27.5: the daemon starts with an uninitialised timer (0x80)."""
    for c in SUITES:
        g = wdt_get(cipher=c)
        check_eq(g["Watchdog Timer Is"], "Stopped", "fresh timer state", g["_result"])
        check_eq(g["Initial Countdown"], 0.0, "fresh initial countdown", g["_result"])
        r = ipmi("mc", "watchdog", "reset", cipher=c)
        expect_fail(r, "mc watchdog reset before any set",
                    "Attempt to reset uninitialized watchdog")
    r = ipmi("raw", "0x06", "0x22")
    expect_fail(r, "raw Reset Watchdog Timer before any set", r"rsp=0x80\b")
    check_eq(wdt_get()["Watchdog Timer Is"], "Stopped", "still stopped after refused resets")


def test_watchdog_set_get_reset_off():
    for c in SUITES:
        # SMS/OS, no action, no pre-timeout, clear the SMS/OS flag, 60.0 s
        wdt_set_raw(0x04, 0x00, 0x00, 0x10, 0x58, 0x02, cipher=c)
        g = wdt_get(cipher=c)
        res = g["_result"]
        check_eq(g["Watchdog Timer Use"], "SMS/OS (0x04)", "timer use", res)
        check_eq(g["Watchdog Timer Is"], "Stopped", "Set leaves the timer stopped", res)
        check_eq(g["Watchdog Timer Logging"], "On", "logging", res)
        check_eq(g["Watchdog Timer Action"], "No action (0x00)", "action", res)
        check_eq(g["Initial Countdown"], 60.0, "initial countdown", res)
        check_eq(g["Present Countdown"], 60.0, "present countdown of a stopped timer", res)
        r = ok("mc", "watchdog", "reset", cipher=c)
        check("countdown restarted" in r.out, "reset confirmation", r)
        g = wdt_get(cipher=c)
        check_eq(g["Watchdog Timer Use"], "SMS/OS (0x44)", "running bit in timer use", g["_result"])
        check_eq(g["Watchdog Timer Is"], "Started/Running", "after reset", g["_result"])
        check(50.0 < g["Present Countdown"] <= 60.0, "present countdown just after reset",
              g["_result"])
        r = ok("mc", "watchdog", "off", cipher=c)
        check("Watchdog Timer Shutoff successful -- timer stopped" in r.out, "off confirmation", r)
        g = wdt_get(cipher=c)
        check_eq(g["Watchdog Timer Is"], "Stopped", "after off", g["_result"])
        check_eq(g["Watchdog Timer Action"], "No action (0x00)", "off sets no action", g["_result"])
        check_eq(g["Initial Countdown"], 300.0, "off's 5 minute countdown", g["_result"])


def test_watchdog_reset_restarts_countdown():
    wdt_set_raw(0x04, 0x00, 0x00, 0x00, 0xE8, 0x03)  # 100.0 s, no action
    ok("mc", "watchdog", "reset")
    # let it count down by more than a second (bounded poll on the BMC's own countdown)
    low = poll_until(lambda: (lambda g: g["Present Countdown"] <= 98.5 and g)(wdt_get()),
                     timeout=10, desc="the countdown to pass 98.5 s")
    check_eq(low["Watchdog Timer Is"], "Started/Running", "running while counting", low["_result"])
    ok("mc", "watchdog", "reset")
    g = wdt_get()
    check(g["Present Countdown"] > low["Present Countdown"] + 1.0,
          "Reset must restart the countdown from 100.0 s (was %.1f, now %.1f)"
          % (low["Present Countdown"], g["Present Countdown"]), g["_result"])
    ok("mc", "watchdog", "off")


def sel_elist():
    return ok("sel", "elist")


def test_watchdog_expiry_power_cycles_and_logs():
    power_on()
    r = ok("chassis", "restart_cause")
    check(r.field("System restart cause") != "watchdog expired",
          "restart cause is already 'watchdog expired' before the test", r)
    before = len(re.findall(r"Watchdog", sel_elist().out))
    # SMS/OS, log; no pre-timeout, power cycle; clear the SMS/OS flag; 2.0 s
    wdt_set_raw(0x04, 0x03, 0x00, 0x10, 0x14, 0x00)
    g = wdt_get()
    check_eq(g["Timer Expiration Flags"], "None (0x00)", "flags cleared by the set", g["_result"])
    check_eq(g["Watchdog Timer Action"], "Power Cycle (0x03)", "action", g["_result"])
    ok("mc", "watchdog", "reset")

    def cycled():
        c = ok("chassis", "restart_cause").field("System restart cause")
        return c == "watchdog expired" and D().power_state() == "on"
    poll_until(cycled, timeout=25, desc="the watchdog power cycle to complete (restart cause "
               "'watchdog expired', power on again)")
    g = wdt_get()
    res = g["_result"]
    check_eq(g["Watchdog Timer Is"], "Stopped", "timer stops on expiry", res)
    check_eq(g["Timer Expiration Flags"], "(0x10)", "SMS/OS expiration flag", res)
    check(re.search(r"^\s+\* SMS/OS\s*$", res.out, re.M), "flag listed as SMS/OS", res)
    check_eq(g["Present Countdown"], 0.0, "present countdown after expiry", res)
    el = sel_elist()
    check(len(re.findall(r"Watchdog", el.out)) > before, "no new Watchdog entry in the SEL", el)
    check(re.search(r"Watchdog.*\| Power cycle\s*\| Asserted", el.out),
          "SEL: no Watchdog 2 'Power cycle' event", el)
    # the flag stays until a Set clears it
    wdt_set_raw(0x04, 0x00, 0x00, 0x00, 0x58, 0x02)
    check_eq(wdt_get()["Timer Expiration Flags"], "(0x10)", "flag kept by a set without mask")
    wdt_set_raw(0x04, 0x00, 0x00, 0x10, 0x58, 0x02)
    check_eq(wdt_get()["Timer Expiration Flags"], "None (0x00)", "flag cleared by the mask")


def test_watchdog_pretimeout_interrupt_logged():
    """No action, NMI pre-timeout 1 s before a 2 s expiry: both events reach the SEL."""
    before = sel_elist().out
    n_int = len(re.findall(r"Watchdog.*\| Timer interrupt", before))
    n_exp = len(re.findall(r"Watchdog.*\| Timer expired", before))
    wdt_set_raw(0x04, 0x20, 0x01, 0x10, 0x14, 0x00)
    g = wdt_get()
    check_eq(g["Pre-timeout interrupt"], "NMI/Diagnostic", "pre-timeout interrupt", g["_result"])
    check_eq(g["Pre-timeout interval"], "1 seconds", "pre-timeout interval", g["_result"])
    ok("mc", "watchdog", "reset")
    poll_until(lambda: wdt_get()["Watchdog Timer Is"] == "Stopped", timeout=15,
               desc="the 2 s watchdog to expire")
    el = sel_elist()
    check_eq(len(re.findall(r"Watchdog.*\| Timer interrupt", el.out)), n_int + 1,
             "Watchdog 'Timer interrupt' events", el)
    check_eq(len(re.findall(r"Watchdog.*\| Timer expired", el.out)), n_exp + 1,
             "Watchdog 'Timer expired' events", el)


def test_freeipmi_watchdog_raw():
    """FreeIPMI reads back what ipmitool set (Get Watchdog Timer through ipmi-raw)."""
    wdt_set_raw(0x83, 0x12, 0x05, 0x3E, 0x2C, 0x01)  # OS load, don't log; SMI, power down; 30 s
    for c in SUITES:
        r = fi("ipmi-raw", "0x00", "0x06", "0x25", cipher=c)
        check_eq(r.hex_bytes(), bytes([0x25, 0x00, 0x03 | 0x80, 0x12, 0x05, 0x00, 0x2C, 0x01,
                                       0x2C, 0x01]), "ipmi-raw Get Watchdog Timer", r)
    ok("mc", "watchdog", "off")


# ------------------------------------------------------------------------------------------
# DCMI

def test_dcmi_group_id_required():
    r = ipmi("raw", "0x2c", "0x01", "0x00", "0x01")
    expect_fail(r, "group extension request without 0xDC", r"rsp=0xc1\b")
    r = ok("raw", "0x2c", "0x01", "0xdc", "0x01")
    check_eq(r.hex_bytes()[:4], bytes([0xDC, 0x01, 0x05, 0x02]), "DCMI 1.5, revision 2", r)


def test_dcmi_discover():
    for c in SUITES:
        r = ok("dcmi", "discover", cipher=c)
        for s in ("Identification support available", "SEL logging available",
                  "Chassis power available", "Temperature monitor available",
                  "Power management available", "Out-of-band primary LAN channel available",
                  "Slave address of device: 20h (BMC)",
                  "Primary LAN channel number: 1 is available",
                  "Secondary LAN channel is not available for OOB",
                  "No serial channel is available"):
            check(s in r.out, "`dcmi discover`: %r missing" % s, r)
        m = re.search(r"^\s*(\d+) SEL entries", r.out, re.M)
        check(m and int(m.group(1)) > 0, "`dcmi discover`: SEL entries", r)
        for s in ("inlet", "cpu", "baseboard"):
            check(re.search(r"^\s+%s\s*$" % s, r.out, re.M), "temperature attribute %s" % s, r)
    r = fi("ipmi-dcmi", "--get-dcmi-capability-info")
    check_eq(r.field("DCMI Specification Conformance"), "1.5", "ipmi-dcmi conformance", r)
    check_eq(r.field("Power Management / Monitoring Support"), "Available", "power mgmt", r)
    check_eq(r.field("Asset Tag"), "Available", "asset tag support", r)
    check_eq(r.field("Primary LAN Out-of-band Channel Number"), "1", "primary LAN channel", r)
    periods = re.findall(r"Available Rolling Average Time Period\s*: (.*)", r.out)
    check_eq(periods, ["5 Seconds", "15 Seconds", "30 Seconds", "1 Minutes", "3 Minutes"],
             "rolling average periods", r)


def ipmitool_power_reading(cipher=17):
    r = ok("dcmi", "power", "reading", cipher=cipher)
    v = {}
    for key, rx in (("current", r"Instantaneous power reading:\s+(\d+) Watts"),
                    ("min", r"Minimum during sampling period:\s+(\d+) Watts"),
                    ("max", r"Maximum during sampling period:\s+(\d+) Watts"),
                    ("avg", r"Average power reading over sample period:\s+(\d+) Watts"),
                    ("period", r"Sampling period:\s+(\d+) Seconds"),
                    ("state", r"Power reading state is:\s+(\w+)")):
        m = re.search(rx, r.out)
        check(m, "`dcmi power reading`: no match for %s" % rx, r)
        v[key] = m.group(1) if key == "state" else int(m.group(1))
    v["_result"] = r
    return v


def test_dcmi_power_reading():
    power_on()
    for c in SUITES:
        v = ipmitool_power_reading(c)
        res = v["_result"]
        check_eq(v["state"], "activated", "power measurement state", res)
        check(0 < v["min"] <= v["avg"] <= v["max"], "min <= average <= max", res)
        check(v["current"] > 0, "current power", res)
    # the statistics period grows as the BMC keeps sampling (one sample a second)
    p0 = ipmitool_power_reading()["period"]
    poll_until(lambda: ipmitool_power_reading()["period"] >= p0 + 2, timeout=15,
               desc="the statistics period to grow by 2 s")
    for c in SUITES:
        r = fi("ipmi-dcmi", "--get-system-power-statistics", cipher=c)
        vals = {}
        for key, name in (("current", "Current Power"),
                          ("min", "Minimum Power over sampling duration"),
                          ("max", "Maximum Power over sampling duration"),
                          ("avg", "Average Power over sampling duration")):
            m = re.fullmatch(r"(\d+) [Ww]atts", r.field(name) or "")
            check(m, "ipmi-dcmi: %s" % name, r)
            vals[key] = int(m.group(1))
        check(0 < vals["min"] <= vals["avg"] <= vals["max"], "ipmi-dcmi min <= avg <= max", r)
        m = re.fullmatch(r"(\d+) milliseconds", r.field("Statistics reporting time period") or "")
        check(m and int(m.group(1)) >= 1000 and int(m.group(1)) % 1000 == 0,
              "statistics period in whole seconds of samples", r)
        check_eq(r.field("Power Measurement"), "Active", "ipmi-dcmi power measurement", r)
        check(re.fullmatch(r"\d\d/\d\d/\d{4} - \d\d:\d\d:\d\d", r.field("Time Stamp") or ""),
              "ipmi-dcmi time stamp", r)


def temp_readings(cipher=17):
    """`dcmi get_temp_reading` -> [(entity hex, instance, celsius)]."""
    r = ok("dcmi", "get_temp_reading", cipher=cipher)
    rows = re.findall(r"^.*\((4[0-2])h\)\s+(\d+)\s+([+-]\d+) C\s*$", r.out, re.M)
    return [(e, int(i), int(t)) for e, i, t in rows], r


def test_dcmi_get_temp_reading_matches_sensors():
    power_on()
    # every temperature sensor has a reading once the server is on
    rows, r = poll_until(lambda: (lambda t: len(t[0]) >= 3 and t)(temp_readings()), timeout=15,
                         desc="temperature readings of at least 3 sensors")
    s = ok("dcmi", "sensors")
    sensors = {}
    for ent, body in (("40", r"Inlet"), ("41", r"CPU"), ("42", r"Baseboard")):
        m = re.search(r"^%s: (\d+) temperature sensors? found:\n((?:Record ID.*\n?)*)" % body,
                      s.out, re.M)
        check(m, "`dcmi sensors`: no %s section" % body, s)
        recs = re.findall(r"Record ID 0x[0-9a-f]{4}: .*\|\s*(-?\d+) degrees C\s*\|", m.group(2))
        check_eq(len(recs), int(m.group(1)), "%s: record IDs listed = instances" % body, s)
        sensors[ent] = [int(x) for x in recs]
    for c in SUITES:
        rows, r = temp_readings(c)
        for ent, temps in sensors.items():
            got = sorted(t for e, _, t in rows if e == ent)
            check_eq(len(got), len(temps), "entity %sh: readings vs SDR sensors" % ent, r)
            for a, b in zip(got, sorted(temps)):
                check(abs(a - b) <= 2, "entity %sh: %d C vs sensor %d C" % (ent, a, b), r)
        insts = [(e, i) for e, i, _ in rows]
        check_eq(len(insts), len(set(insts)), "no instance reported twice", r)


def power_limit(cipher=17):
    r = ok("dcmi", "power", "get_limit", cipher=cipher)
    v = {"_result": r}
    for k, name in (("state", "Current Limit State"), ("action", "Exception actions"),
                    ("limit", "Power Limit"), ("correction", "Correction time"),
                    ("sampling", "Sampling period")):
        val = r.field(name)
        check(val is not None, "`dcmi power get_limit`: no %s" % name, r)
        v[k] = val.strip()
    return v


def test_dcmi_power_limit():
    ok("dcmi", "power", "deactivate")
    for c in SUITES:
        v = power_limit(c)
        check_eq(v["state"], "No Active Power Limit", "not active", v["_result"])
    r = ok("dcmi", "power", "set_limit", "limit", "300")
    v = power_limit()
    check_eq(v["limit"], "300 Watts", "limit read back", v["_result"])
    check_eq(v["state"], "No Active Power Limit", "set does not activate", v["_result"])
    r = ok("dcmi", "power", "set_limit", "correction", "6000", cipher=3)
    v = power_limit(3)
    check_eq(v["correction"], "6000 milliseconds", "correction time read back", v["_result"])
    check_eq(v["limit"], "300 Watts", "limit kept by a correction change", v["_result"])
    r = ok("dcmi", "power", "activate")
    check("Power limit successfully activated" in r.out, "activate confirmation", r)
    for c in SUITES:
        v = power_limit(c)
        check_eq(v["state"], "Power Limit Active", "active", v["_result"])
        check_eq(v["limit"], "300 Watts", "active limit", v["_result"])
    f = fi("ipmi-dcmi", "--get-power-limit")
    check_eq(f.field("Power Limit Requested"), "300 watts", "ipmi-dcmi power limit", f)
    check_eq(f.field("Correction time limit"), "6000 milliseconds", "ipmi-dcmi correction", f)
    # out of range: refused with DCMI 0x84, nothing changes
    expect_fail(ipmi("dcmi", "power", "set_limit", "limit", "20"), "set_limit 20 W",
                r"limit out of range \(84\)")
    check_eq(power_limit()["limit"], "300 Watts", "limit unchanged after a refused set")
    r = ok("dcmi", "power", "deactivate")
    check("Power limit successfully deactivated" in r.out, "deactivate confirmation", r)
    v = power_limit()
    check_eq(v["state"], "No Active Power Limit", "deactivated", v["_result"])
    check_eq(v["limit"], "300 Watts", "limit kept while inactive", v["_result"])


def ipmitool_asset_tag(cipher=17):
    r = ok("dcmi", "asset_tag", cipher=cipher)
    m = re.search(r"^ Asset tag: (.*)$", r.out, re.M)
    check(m, "`dcmi asset_tag` line", r)
    return m.group(1), r


def test_dcmi_asset_tag():
    tag = "SBMC-ASSET-0123456789-XYZ"  # 25 bytes: two chunks
    r = ok("dcmi", "set_asset_tag", tag)
    for c in SUITES:
        got, r = ipmitool_asset_tag(c)
        check_eq(got, tag, "asset tag read back (cipher %d)" % c, r)
    f = fi("ipmi-dcmi", "--get-asset-tag")
    check_eq(f.out.strip(), tag, "ipmi-dcmi reads the tag ipmitool set", f)
    fi("ipmi-dcmi", "--set-asset-tag=RACK7-U12")
    got, r = ipmitool_asset_tag()
    check_eq(got, "RACK7-U12", "a shorter tag replaces the longer one", r)


def ipmitool_mc_id(cipher=17):
    r = ok("dcmi", "get_mc_id_string", cipher=cipher)
    m = re.search(r"Get Management Controller Identifier String: (.*)$", r.out, re.M)
    check(m, "`dcmi get_mc_id_string` line", r)
    return m.group(1), r


def test_dcmi_mc_id_string():
    got, r = ipmitool_mc_id()
    check(got != "", "a default ID string", r)
    ident = "rack4-node17-softbmc-a"  # 22 characters + NUL: two chunks
    ok("dcmi", "set_mc_id_string", ident)
    for c in SUITES:
        got, r = ipmitool_mc_id(c)
        check_eq(got, ident, "MC ID string read back (cipher %d)" % c, r)
    f = fi("ipmi-dcmi", "--get-management-controller-identifier-string")
    check_eq(f.out.strip(), ident, "ipmi-dcmi reads the ID string", f)
    fi("ipmi-dcmi", "--set-management-controller-identifier-string=bmc-7")
    got, r = ipmitool_mc_id()
    check_eq(got, "bmc-7", "the ID string FreeIPMI set", r)


def test_restart_keeps_dcmi_not_watchdog():
    ok("dcmi", "set_asset_tag", "PERSIST-TAG-42")
    ok("dcmi", "set_mc_id_string", "persist-id")
    ok("dcmi", "power", "set_limit", "limit", "450")
    ok("dcmi", "power", "activate")
    wdt_set_raw(0x04, 0x00, 0x00, 0x10, 0x58, 0x02)
    ok("mc", "watchdog", "reset")
    D().restart()
    got, r = ipmitool_asset_tag()
    check_eq(got, "PERSIST-TAG-42", "asset tag after restart", r)
    got, r = ipmitool_mc_id()
    check_eq(got, "persist-id", "MC ID string after restart", r)
    v = power_limit()
    check_eq((v["state"], v["limit"]), ("Power Limit Active", "450 Watts"),
             "power limit after restart", v["_result"])
    ok("dcmi", "power", "deactivate")
    # the watchdog timer is not persisted: a restarted BMC has an uninitialised timer
    g = wdt_get()
    check_eq(g["Watchdog Timer Is"], "Stopped", "watchdog after restart", g["_result"])
    expect_fail(ipmi("mc", "watchdog", "reset"), "mc watchdog reset after restart",
                "Attempt to reset uninitialized watchdog")
