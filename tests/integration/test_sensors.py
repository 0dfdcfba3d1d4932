"""Sensors and the SDR repository against softbmcd (issue 3, "Must show" items 1-3, 5, 6).

ipmitool (-I lanplus, -C 17 and -C 3): sdr list / elist / type Temperature / info, sensor list,
sensor get, sensor thresh read back within one LSB and after a restart, refused threshold
writes (out of order, not settable, discrete sensor) that leave the thresholds unchanged, a
threshold crossing that logs exactly one assertion and one deassertion in the SEL, and Get SDR
with an offset past the record (raw). FreeIPMI ipmi-sensors (plain, --sdr-cache-recreate,
--output-sensor-state; no -W flags, SDR cache in a temporary directory) and pyghmi
get_sensor_data() read the same sensors and values.

The simulated server reads ambient-like values while off (host sensors "no reading", as vendors
show them) and a light load while on; readings carry a small deterministic noise, so values are
checked against ranges, and values read by two clients against each other within a few counts.
One daemon serves the module; tests that change thresholds put the defaults back.
"""

import json
import re
import shutil
import tempfile

import harness as H
from harness import check, check_eq, expect_fail, fail, poll_until

# The default profile (src/bmc/sensors.c), in SDR order.
TEMPS = ["Inlet Temp", "CPU1 Temp", "CPU2 Temp", "DIMM Temp", "PCH Temp", "Exhaust Temp",
         "VRM Temp"]
FANS = ["FAN%d" % i for i in range(1, 7)]
ANALOG = TEMPS + FANS + ["12V", "5V", "3.3V", "VBAT", "PSU1 Current", "PSU2 Current",
                         "PSU1 Input Power", "PSU2 Input Power", "Total Power"]
DISCRETE = ["PSU1 Status", "PSU2 Status", "PSU Redundancy", "CPU1 Status", "CPU2 Status", "Memory Status",
            "Chassis Intru", "Drive 0", "Drive 1", "Power Unit", "Watchdog", "Event Log",
            "System Event", "System Boot"]
NAMES = ANALOG + DISCRETE
HOST_POWERED = ["CPU1 Temp", "CPU2 Temp", "DIMM Temp", "PCH Temp", "VRM Temp"] + FANS + ["12V", "5V", "3.3V"]
SDR_RECORDS = len(NAMES) + 2  # + FRU Device Locator + MC Device Locator

# Plausible ranges of the simulated server with the host on (value, unit as ipmitool prints).
RANGES_ON = {
    "Inlet Temp": (20, 26), "CPU1 Temp": (40, 55), "CPU2 Temp": (38, 52), "FAN1": (6800, 7400),
    "12V": (11.8, 12.3), "3.3V": (3.2, 3.4), "VBAT": (2.9, 3.2), "Total Power": (150, 220),
}


D, ipmi, ok = H.module_clients(__name__, config=H.FAST_CONFIG)


def power(want):
    d = D()
    if d.power_state(cipher=17) != want:
        ok("chassis", "power", want)
        d.wait_power(want, cipher=17)


def bar_rows(res, ncols):
    """Rows of ipmitool's '|'-separated tables -> {name: [columns after the name]}."""
    rows = {}
    for line in res.out.split("\n"):
        cols = [c.strip() for c in line.split("|")]
        if len(cols) == ncols and cols[0]:
            rows[cols[0]] = cols[1:]
    return rows


def number(text, what, res):
    m = re.match(r"^(-?\d+(?:\.\d+)?)", text or "")
    if not m:
        fail("%s: no number in %r" % (what, text), res)
    return float(m.group(1))


def wait_host_readings(**kw):
    """After power-on, poll until the host sensors have readings and the simulated server has
    warmed up (CPU1 rises from ambient to ~47 degrees C; 10 simulated seconds per second)."""
    def ready():
        r = ipmi("sdr", "type", "Temperature", **kw)
        rows = bar_rows(r, 5)
        reading = rows.get("CPU1 Temp", ["", "", "", ""])[3]
        m = re.match(r"(\d+) degrees C", reading)
        return r if r.ok and m and int(m.group(1)) >= 42 else None
    return poll_until(ready, timeout=30, desc="CPU1 Temp warm (>= 42) after power-on")


def sensor_get(name, **kw):
    return ok("sensor", "get", name, **kw)


def threshold_of(name, field, **kw):
    r = sensor_get(name, **kw)
    return number(r.field(field), "%s %s" % (name, field), r), r


# --------------------------------------------------------------------------------------------
# ipmitool: the SDR repository and readings

def test_sdr_list_host_off():
    power("off")
    r = ok("sdr", "list")
    rows = bar_rows(r, 3)
    check_eq(list(rows), NAMES, "sdr list names in SDR order", r)
    for name in HOST_POWERED:
        check_eq(rows[name], ["no reading", "ns"], "%s while the host is off" % name, r)
    inlet = rows["Inlet Temp"]
    check(re.match(r"^\d+ degrees C$", inlet[0]) and inlet[1] == "ok", "Inlet Temp reading", r)
    check(20 <= number(inlet[0], "Inlet Temp", r) <= 26, "Inlet Temp near ambient", r)
    check_eq(rows["PSU1 Status"], ["0x01", "ok"], "PSU1 Status state bits", r)
    e = ok("sdr", "elist")
    erows = bar_rows(e, 5)
    check_eq(erows["Power Unit"], ["E0h", "ok", "21.1", "Power off/down"], "Power Unit (off)", e)
    check_eq(erows["PSU1 Status"], ["40h", "ok", "10.1", "Presence detected"], "PSU1 Status", e)
    # host sensors: no reading, thresholds still listed; `sensor get` reports the absence
    s = ok("sensor", "list")
    check_eq(bar_rows(s, 10)["CPU1 Temp"], ["na", "degrees C", "na", "na", "na", "na", "85.000",
                                            "90.000", "100.000"], "CPU1 Temp while off", s)
    expect_fail(ipmi("sensor", "get", "CPU1 Temp"), "sensor get while the host is off",
                r"Unable to read sensor")


def test_sdr_host_on_c17_c3():
    power("on")
    for cipher in (17, 3):
        wait_host_readings(cipher=cipher)
        r = ok("sdr", "list", cipher=cipher)
        rows = bar_rows(r, 3)
        check_eq(list(rows), NAMES, "sdr list names (-C %d)" % cipher, r)
        for name, (lo, hi) in RANGES_ON.items():
            v = number(rows[name][0], name, r)
            check(lo <= v <= hi, "%s = %s, expected %s..%s (-C %d)" % (name, v, lo, hi, cipher), r)
            check_eq(rows[name][1], "ok", "%s status" % name, r)
        e = ok("sdr", "elist", cipher=cipher)
        erows = bar_rows(e, 5)
        check_eq(erows["CPU1 Temp"][:3], ["02h", "ok", "3.1"], "CPU1 Temp number/entity", e)
        check_eq(erows["FAN3"][:3], ["12h", "ok", "29.3"], "FAN3 number/entity", e)
        check_eq(erows["CPU1 Status"][3], "Presence detected", "CPU1 Status state", e)
        t = ok("sdr", "type", "Temperature", cipher=cipher)
        check_eq(list(bar_rows(t, 5)), TEMPS, "sdr type Temperature (-C %d)" % cipher, t)
        i = ok("sdr", "info", cipher=cipher)
        check_eq(i.field("SDR Version"), "0x51", "sdr info version", i)
        check_eq(i.field("Record Count"), str(SDR_RECORDS), "sdr info record count", i)


def test_sensor_list_and_get():
    power("on")
    wait_host_readings()
    for cipher in (17, 3):
        r = ok("sensor", "list", cipher=cipher)
        rows = bar_rows(r, 10)
        check_eq(list(rows), NAMES, "sensor list names (-C %d)" % cipher, r)
        # reading | unit | status | lnr | lcr | lnc | unc | ucr | unr
        check_eq(rows["CPU1 Temp"][1:], ["degrees C", "ok", "na", "na", "na", "85.000", "90.000",
                                         "100.000"], "CPU1 Temp thresholds", r)
        check_eq(rows["FAN1"][1:], ["RPM", "ok", "400.000", "700.000", "1000.000", "na", "na",
                                    "na"], "FAN1 thresholds", r)
        check_eq(rows["12V"][1:], ["Volts", "ok", "na", "10.800", "11.400", "12.600", "13.200",
                                   "na"], "12V thresholds", r)
        check_eq(rows["Total Power"][1:3], ["Watts", "ok"], "Total Power unit", r)
        g = sensor_get("CPU1 Temp", cipher=cipher)
        m = re.match(r"^(\d+) \(\+/- 0\) degrees C$", g.field("Sensor Reading") or "")
        check(m and 40 <= int(m.group(1)) <= 55, "CPU1 Temp reading", g)
        check_eq(g.field("Status"), "ok", "CPU1 Temp status", g)
        check_eq(g.field("Upper Critical"), "90.000", "CPU1 Temp UCR", g)
        check_eq(g.field("Positive Hysteresis"), "2.000", "CPU1 Temp hysteresis", g)
        check_eq(g.field("Assertions Enabled"), "unc+ ucr+ unr+", "CPU1 Temp enables", g)


# --------------------------------------------------------------------------------------------
# thresholds: set, refuse, persist

def test_thresholds_set_refused_and_persisted():
    d = D()
    power("on")  # ipmitool's `sensor get` shows thresholds only with a reading
    wait_host_readings()
    r = ok("sensor", "thresh", "CPU1 Temp", "ucr", "95")
    check("Upper Critical threshold to 95.000" in r.out, "ipmitool confirmation", r)
    v, g = threshold_of("CPU1 Temp", "Upper Critical")
    check(abs(v - 95) <= 1.0, "CPU1 Temp UCR read back %s, want 95 within one LSB (1)" % v, g)
    ok("sensor", "thresh", "12V", "unc", "12.55")
    v12, g = threshold_of("12V", "Upper Non-Critical", cipher=3)
    check(abs(v12 - 12.55) <= 0.06, "12V UNC read back %s, want 12.55 within 0.06 V" % v12, g)

    def thresholds(name):  # the threshold lines only: the reading itself has noise
        return [l for l in sensor_get(name).out.splitlines()
                if re.search(r"(Lower|Upper) (Non-)?(Critical|Recoverable)", l)]
    before = {n: thresholds(n) for n in ("CPU1 Temp", "VBAT")}
    # UNC 96 above UCR 95 in one Set Sensor Thresholds (mask UNC|UCR) -> 0xCC
    expect_fail(ipmi("raw", "0x04", "0x26", "0x02", "0x18", "0", "0", "0", "96", "95", "0"),
                "out-of-order thresholds", r"rsp=0xcc")
    # UNR of CPU1 Temp exists but is not settable -> 0xCC (ipmitool's own checks pass it)
    expect_fail(ipmi("sensor", "thresh", "CPU1 Temp", "unr", "105"), "UNR not settable",
                r"Invalid data field in request")
    # VBAT thresholds are readable only
    expect_fail(ipmi("sensor", "thresh", "VBAT", "lcr", "2.2"), "VBAT not settable",
                r"Invalid data field in request")
    # a discrete sensor (PSU1 Status, 0x40) -> 0xCD; no sensor 0x99 -> 0xCB
    expect_fail(ipmi("raw", "0x04", "0x26", "0x40", "0x10", "0", "0", "0", "0", "1", "0"),
                "thresholds of a discrete sensor", r"rsp=0xcd")
    expect_fail(ipmi("raw", "0x04", "0x27", "0x99"), "no such sensor", r"rsp=0xcb")
    for n, out in before.items():
        check(out, "%s shows thresholds" % n)
        check_eq(thresholds(n), out, "%s thresholds unchanged after refused writes" % n)

    d.restart()
    power("on")  # the restore policy is always-off
    wait_host_readings()
    for cipher in (17, 3):
        v, g = threshold_of("CPU1 Temp", "Upper Critical", cipher=cipher)
        check_eq(v, 95.0, "CPU1 Temp UCR after restart (-C %d)" % cipher, g)
        check_eq(g.field("Upper Non-Critical"), "85.000", "CPU1 Temp UNC after restart", g)
        check_eq(g.field("Upper Non-Recoverable"), "100.000", "CPU1 Temp UNR after restart", g)
        v, g = threshold_of("12V", "Upper Non-Critical", cipher=cipher)
        check_eq(v, v12, "12V UNC after restart (-C %d)" % cipher, g)
    ok("sensor", "thresh", "CPU1 Temp", "ucr", "90")
    ok("sensor", "thresh", "12V", "unc", "12.6")
    check_eq(threshold_of("12V", "Upper Non-Critical")[0], 12.6, "12V UNC back to the default")


def sel_matching(rx):
    r = ok("sel", "elist")
    return r if rx.search(r.out) else None


def test_threshold_crossing_logs_one_assertion_and_one_deassertion():
    power("on")
    wait_host_readings()
    ok("sel", "clear")
    poll_until(lambda: "Log area reset/cleared" in ok("sel", "elist").out, timeout=10,
               desc="SEL cleared")
    # CPU1 Temp reads ~47 degrees: an upper non-critical threshold of 30 is crossed at once
    ok("sensor", "thresh", "CPU1 Temp", "unc", "30")
    rx_assert = re.compile(r"CPU1 Temp \| Upper Non-critical going high \| Asserted \| "
                           r"Reading (\d+) > Threshold 30 degrees C")
    sel = poll_until(lambda: sel_matching(rx_assert), timeout=15, desc="UNC assertion in the SEL")
    g = sensor_get("CPU1 Temp")
    check_eq(g.field("Status"), "Upper Non-Critical", "comparison status", g)
    st = ok("raw", "0x04", "0x2b", "0x02").hex_bytes()  # Get Sensor Event Status
    check(len(st) >= 3 and st[1] & 0x80, "event status: UNC going high asserted", sel)
    ok("sensor", "thresh", "CPU1 Temp", "unc", "85")
    rx_deassert = re.compile(r"CPU1 Temp \| Upper Non-critical going high \| Deasserted \| "
                             r"Reading \d+ < Threshold 85 degrees C")
    sel = poll_until(lambda: sel_matching(rx_deassert), timeout=15,
                     desc="UNC deassertion in the SEL")
    check_eq(len(rx_assert.findall(sel.out)), 1, "exactly one assertion", sel)
    check_eq(len(rx_deassert.findall(sel.out)), 1, "exactly one deassertion", sel)
    check_eq(sensor_get("CPU1 Temp").field("Status"), "ok", "CPU1 Temp back to ok")


def test_get_sdr_offset_past_record():
    rsv = ok("raw", "0x0a", "0x22").hex_bytes()
    check_eq(len(rsv), 2, "Reserve SDR Repository returns a reservation ID")
    r0, r1 = "0x%02x" % rsv[0], "0x%02x" % rsv[1]
    hdr = ok("raw", "0x0a", "0x23", r0, r1, "0x01", "0x00", "0x00", "0x05").hex_bytes()
    check_eq(len(hdr), 7, "next record ID + 5 header bytes")
    length = 5 + hdr[2 + 4]
    check_eq(length, 48 + len("Inlet Temp"), "record 1 is Inlet Temp's full record")
    tail = ok("raw", "0x0a", "0x23", r0, r1, "0x01", "0x00", "0x%02x" % (length - 4), "0x10")
    check_eq(tail.hex_bytes()[2:], b"Temp", "a count past the end is cut at the end", tail)
    expect_fail(ipmi("raw", "0x0a", "0x23", r0, r1, "0x01", "0x00", "0x%02x" % (length + 1),
                     "0x01"), "Get SDR at an offset past the record", r"rsp=0xc9")
    ok("raw", "0x0a", "0x22")  # a new reservation cancels the old one
    expect_fail(ipmi("raw", "0x0a", "0x23", r0, r1, "0x01", "0x00", "0x05", "0x04"),
                "Get SDR with a cancelled reservation", r"rsp=0xc5")
    expect_fail(ipmi("raw", "0x0a", "0x23", "0", "0", "0x00", "0x10", "0", "0xff"),
                "Get SDR of a missing record", r"rsp=0xcb")


# --------------------------------------------------------------------------------------------
# FreeIPMI and pyghmi

def fi_rows(res):
    """ipmi-sensors table -> {name: {column: value}}."""
    lines = [l for l in res.out.split("\n") if "|" in l]
    if not lines:
        fail("ipmi-sensors printed no table", res)
    head = [c.strip() for c in lines[0].split("|")]
    rows = {}
    for line in lines[1:]:
        cols = [c.strip() for c in line.split("|")]
        if len(cols) == len(head):
            rows[cols[1]] = dict(zip(head, cols))
    return rows


def test_freeipmi_ipmi_sensors():
    power("on")
    wait_host_readings()
    cache = tempfile.mkdtemp(prefix="softbmc-sdrcache-", dir="/tmp")
    try:
        d = D()
        base = ("--sdr-cache-directory=%s" % cache,)
        for cipher, extra in ((17, ()), (17, ("--sdr-cache-recreate",)),
                              (3, ("--output-sensor-state",))):
            r = d.freeipmi("ipmi-sensors", *(base + extra), cipher=cipher)
            if not r.ok:
                fail("ipmi-sensors %s (-I %d) failed" % (" ".join(extra), cipher), r)
            check("-W" not in r.argv, "no workaround flags")
            rows = fi_rows(r)
            check_eq(list(rows), NAMES, "ipmi-sensors names (%s)" % " ".join(extra), r)
            cpu = rows["CPU1 Temp"]
            check_eq(cpu["Units"], "C", "CPU1 Temp units", r)
            check(40 <= float(cpu["Reading"]) <= 55, "CPU1 Temp reading", r)
            check_eq(rows["FAN2"]["Units"], "RPM", "FAN2 units", r)
            check(6800 <= float(rows["FAN2"]["Reading"]) <= 7700, "FAN2 reading", r)
            check_eq(rows["12V"]["Units"], "V", "12V units", r)
            check_eq(rows["Total Power"]["Units"], "W", "Total Power units", r)
            check_eq(rows["PSU1 Status"]["Event"], "'Presence detected'", "PSU1 Status event", r)
            if "--output-sensor-state" in extra:
                for name in ANALOG:
                    check_eq(rows[name]["State"], "Nominal", "%s state" % name, r)
                check_eq(rows["Chassis Intru"]["State"], "Nominal", "intrusion state", r)
        # the cache written above was used and is still valid: no recreate needed
        r = d.freeipmi("ipmi-sensors", *base, "--sensor-types=Temperature", cipher=17)
        check(r.ok and list(fi_rows(r)) == TEMPS, "ipmi-sensors --sensor-types=Temperature", r)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


PYGHMI = r'''
import json, sys
from pyghmi.ipmi import command
host, port, user, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = command.Command(bmc=host, userid=user, password=pw, port=port)
out = []
for s in c.get_sensor_data():
    out.append(dict(name=s.name, value=s.value, units=s.units, states=s.states,
                    unavailable=bool(s.unavailable), type=s.type))
c.ipmi_session.logout()
print(json.dumps(out), flush=True)
'''


def test_pyghmi_get_sensor_data():
    power("on")
    wait_host_readings()
    d = D()
    r = H.run(["/usr/bin/python3", "-c", PYGHMI, d.host, str(d.port), "admin",
               d.admin_password], timeout=150)
    if not r.ok:
        fail("pyghmi get_sensor_data failed", r)
    try:
        sensors = {s["name"]: s for s in json.loads(r.out.strip().split("\n")[-1])}
    except ValueError:
        fail("pyghmi printed no JSON", r)
    check_eq(sorted(sensors), sorted(NAMES), "pyghmi sensor names", r)
    for name in ANALOG:
        s = sensors[name]
        check(not s["unavailable"] and isinstance(s["value"], (int, float)),
              "%s has a value" % name, r)
    for name, (lo, hi) in RANGES_ON.items():
        check(lo <= sensors[name]["value"] <= hi, "%s value %s in %s..%s"
              % (name, sensors[name]["value"], lo, hi), r)
    check_eq(sensors["CPU1 Temp"]["units"], "°C", "CPU1 Temp units", r)
    check_eq(sensors["FAN1"]["units"], "RPM", "FAN1 units", r)
    check_eq(sensors["PSU1 Status"]["states"], ["Present"], "PSU1 Status states", r)
    # the same reading through ipmitool, within the sensor noise (a few counts)
    g = sensor_get("Inlet Temp")
    v = number(g.field("Sensor Reading"), "Inlet Temp", g)
    check(abs(v - sensors["Inlet Temp"]["value"]) <= 1, "pyghmi and ipmitool agree", g)
