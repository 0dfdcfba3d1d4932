"""The simulated server (issue 4, "Must show" items 1-5): physics, faults, profiles, scenarios.

Real clients read the result: ipmitool (sensor get, sel elist, chassis status, dcmi power
reading), FreeIPMI ipmi-sensors; faults and load go in through the `softbmc` CLI over the
control socket. Simulated time is driven two ways, both independent of the machine's speed:
  * paused daemons (platform.sim.speed 0) advanced by `softbmc step N`, for exact observations;
  * accelerated daemons (--sim-speed N) observed with bounded polling.
Every SEL check reads `ipmitool sel elist`, where the threshold events carry their reading and
threshold (event data 2 and 3).
"""

import os
import re
import shutil
import socket
import stat
import tempfile

import harness as H
from harness import check, check_eq, expect_fail, expect_ok, fail, poll_until

PAUSED = H.FAST_CONFIG.replace("speed: 10", "speed: 0")
PROFILES = os.path.join(H.REPO, "config", "profiles")


def paused():
    return H.shared_daemon(__name__, "paused", config=PAUSED)


def ok(d, *cmd, **kw):
    kw.setdefault("cipher", 17)
    return expect_ok(d.ipmitool(*cmd, **kw), "ipmitool " + " ".join(str(c) for c in cmd))


def cli(d, *args):
    return expect_ok(d.softbmc(*args), "softbmc " + " ".join(str(a) for a in args))


def power(d, want):
    if d.power_state(cipher=17) != want:
        ok(d, "chassis", "power", want)
        d.wait_power(want, cipher=17)


def reading(d, name):
    """`ipmitool sensor get NAME` -> (value, status, result)."""
    r = ok(d, "sensor", "get", name)
    m = re.match(r"^(-?\d+(?:\.\d+)?)", r.field("Sensor Reading") or "")
    if not m:
        fail("%s: no reading" % name, r)
    return float(m.group(1)), r.field("Status"), r


def status(d):
    """`softbmc status` -> {key: value} with inputs as floats under "input NAME"."""
    r = cli(d, "status")
    out = {}
    for line in r.out.strip().split("\n"):
        k, _, v = line.partition(" ")
        if k == "input":
            name, _, val = v.partition(" ")
            out["input " + name] = float(val)
        else:
            out[k] = v
    return out


def sel_events(d):
    """`ipmitool sel elist` rows without the ID, date and time columns."""
    r = ok(d, "sel", "elist")
    rows = []
    for line in r.out.strip().split("\n"):
        cols = [c.strip() for c in line.split("|")]
        if len(cols) >= 5:
            rows.append(" | ".join(cols[3:]))
    return rows


def sel_index(rows, pattern, what, start=0):
    rx = re.compile(pattern)
    for i in range(start, len(rows)):
        if rx.search(rows[i]):
            return i
    fail("%s: no SEL entry matching /%s/ after entry %d in:\n%s"
         % (what, pattern, start, "\n".join("  " + r for r in rows)))


def clear_sel(d):
    """Clears the SEL; events logged right after (a poll that was due) may follow the reset."""
    ok(d, "sel", "clear")
    def cleared():
        rows = sel_events(d)
        return not rows or "Log area reset" in rows[0]
    poll_until(cleared, timeout=15, desc="SEL cleared")


# --------------------------------------------------------------------------------------------
# 1. power on: temperatures rise from ambient, fans spin up, power climbs; power off: reverse

def test_power_on_warm_up_then_off():
    d = paused()
    power(d, "off")
    cli(d, "step", 600)  # cold: everything at ambient
    inlet, _, _ = reading(d, "Inlet Temp")
    ex0, _, _ = reading(d, "Exhaust Temp")
    p0, _, _ = reading(d, "Total Power")
    check(abs(ex0 - inlet) <= 2, "exhaust %s at ambient %s while off" % (ex0, inlet))
    check(p0 <= 24, "standby power %s W while off" % p0)
    clear_sel(d)
    power(d, "on")
    cli(d, "step", 3)
    cpu1, st, r = reading(d, "CPU1 Temp")
    check(inlet < cpu1 < 35, "CPU1 %s: starts rising from ambient %s" % (cpu1, inlet), r)
    fan1, _, r = reading(d, "FAN1")
    check(2000 < fan1 < 7400, "FAN1 %s RPM: spinning up" % fan1, r)
    cli(d, "step", 30)
    cpu2, _, r = reading(d, "CPU1 Temp")
    check(cpu2 > cpu1 + 5, "CPU1 keeps rising (%s -> %s)" % (cpu1, cpu2), r)
    cli(d, "step", 300)
    cpu3, st, r = reading(d, "CPU1 Temp")
    check(42 <= cpu3 <= 52 and st == "ok", "CPU1 %s at its idle steady state" % cpu3, r)
    fan3, _, r = reading(d, "FAN1")
    check(6800 <= fan3 <= 7400, "FAN1 %s RPM at the controller's floor" % fan3, r)
    p3, _, r = reading(d, "Total Power")
    check(150 <= p3 <= 220 and p3 > p0 + 100, "Total Power %s W with the host on" % p3, r)
    ex3, _, r = reading(d, "Exhaust Temp")
    check(ex3 > ex0 + 5, "exhaust warmed (%s -> %s)" % (ex0, ex3), r)
    rows = sel_events(d)
    check(not [e for e in rows if "FAN" in e or "going" in e],
          "a normal power-on logs no threshold events (fans spinning up are not '0 RPM'): %s"
          % rows)
    dcmi = ok(d, "dcmi", "power", "reading")
    m = re.search(r"Instantaneous power reading:\s+(\d+) Watts", dcmi.out)
    check(m and abs(int(m.group(1)) - p3) <= 12, "DCMI power reading near %s W" % p3, dcmi)
    # FreeIPMI sees the same warm server
    cache = tempfile.mkdtemp(prefix="softbmc-sdrcache-", dir="/tmp")
    try:
        fi = d.freeipmi("ipmi-sensors", "--sdr-cache-directory=%s" % cache,
                        "--sensor-types=Temperature,Fan", cipher=17)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    rows = {}
    for line in fi.out.split("\n")[1:]:
        cols = [c.strip() for c in line.split("|")]
        if len(cols) >= 5:
            rows[cols[1]] = cols[3]
    check(fi.ok and abs(float(rows.get("CPU1 Temp", "nan")) - cpu3) <= 2,
          "ipmi-sensors CPU1 Temp near %s" % cpu3, fi)
    check(abs(float(rows.get("FAN1", "nan")) - fan3) <= 200, "ipmi-sensors FAN1 near %s" % fan3,
          fi)
    # power off: fans stop, power drops to standby, temperatures decay to ambient
    power(d, "off")
    cli(d, "step", 10)
    s = status(d)
    check(s["input fan.fan1.rpm"] < 200, "fans stopped after power-off: %s" % s)
    check(s["input temp.cpu1"] < cpu3 - 3, "CPU1 cooling: %s" % s["input temp.cpu1"])
    p4, _, r = reading(d, "Total Power")
    check(p4 <= 24, "standby power %s W after power-off" % p4, r)
    g = d.ipmitool("sensor", "get", "CPU1 Temp", cipher=17)
    check(not g.ok or "Unable to read" in g.text or "na" in (g.field("Sensor Reading") or "na"),
          "CPU1 Temp has no reading while off", g)
    cli(d, "step", 900)
    s = status(d)
    check(abs(s["input temp.cpu1"] - inlet) <= 2, "CPU1 back at ambient: %s" % s)
    ex5, _, r = reading(d, "Exhaust Temp")
    check(abs(ex5 - inlet) <= 2, "exhaust back at ambient (%s)" % ex5, r)


# --------------------------------------------------------------------------------------------
# 2. a failed fan; two failed fans at full load overheat the CPU; clearing deasserts

FAST_SIM = H.FAST_CONFIG.replace("speed: 10", "speed: 30")


def test_fan_failures_overheat_and_recover():
    d = H.shared_daemon(__name__, "fast", config=FAST_SIM)
    power(d, "on")
    poll_until(lambda: reading(d, "CPU1 Temp")[0] >= 42, timeout=30, desc="CPU1 warm")
    fan1, _, _ = reading(d, "FAN1")
    clear_sel(d)
    cli(d, "fault", "fan", "FAN3", "fail")

    def fan3_failed():
        v, st, r = reading(d, "FAN3")
        return (v, st, r) if v == 0 and st and "Lower" in st else None
    v, st, r = poll_until(fan3_failed, timeout=20, desc="FAN3 at 0 RPM, lower critical")
    check(st in ("Lower Critical", "Lower Non-Recoverable"), "FAN3 status %r" % st, r)
    up = poll_until(lambda: reading(d, "FAN1")[0] > fan1 + 5000, timeout=20,
                    desc="the other fans speed up")
    check(up, "FAN1 faster")
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Cooling/Fan Fault"), "true", "chassis status with FAN3 failed", cs)
    cli(d, "fault", "fan", "FAN4", "fail")
    cli(d, "load", 100)
    poll_until(lambda: any(re.search(r"CPU1 Temp \| Upper Critical going high \| Asserted", e)
                           for e in sel_events(d)), timeout=60, desc="CPU1 upper critical")
    rows = sel_events(d)
    i = sel_index(rows, r"FAN3 \| Lower Non-critical going low +\| Asserted \| Reading 0 <", "FAN3")
    i = sel_index(rows, r"FAN3 \| Lower Critical going low +\| Asserted \| Reading 0 < "
                  r"Threshold 700 RPM", "FAN3 LCR", i)
    j = sel_index(rows, r"FAN4 \| Lower Critical going low +\| Asserted", "FAN4 LCR", i)
    k = sel_index(rows, r"CPU1 Temp \| Upper Non-critical going high \| Asserted \| "
                  r"Reading (8[5-9]|9\d) > Threshold 85 degrees C", "CPU1 UNC after FAN4", j)
    sel_index(rows, r"CPU1 Temp \| Upper Critical going high \| Asserted \| "
              r"Reading (9\d) > Threshold 90 degrees C", "CPU1 UCR after UNC", k)
    hot, st, r = reading(d, "CPU1 Temp")
    check(hot >= 88, "CPU1 hot (%s)" % hot, r)
    cli(d, "fault", "clear", "all")
    cli(d, "load", 5)
    poll_until(lambda: any(re.search(r"CPU1 Temp \| Upper Non-critical going high \| "
                                     r"Deasserted", e) for e in sel_events(d)),
               timeout=60, desc="CPU1 UNC deasserted after clearing")
    rows = sel_events(d)
    a = sel_index(rows, r"FAN3 \| Lower Critical going low +\| Deasserted", "FAN3 LCR deassert", k)
    sel_index(rows, r"FAN4 \| Lower Critical going low +\| Deasserted", "FAN4 LCR deassert", k)
    b = sel_index(rows, r"CPU1 Temp \| Upper Critical going high \| Deasserted \| Reading \d+ < "
                  r"Threshold 90", "CPU1 UCR deassert", k)
    sel_index(rows, r"CPU1 Temp \| Upper Non-critical going high \| Deasserted", "UNC deassert", b)
    check(a > k, "deassertions follow the assertions")
    v, st, r = reading(d, "FAN3")
    check(v > 1000 and st == "ok", "FAN3 spinning again", r)
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Cooling/Fan Fault"), "false", "chassis status after the repair", cs)


# --------------------------------------------------------------------------------------------
# 3. thermal trip: the server powers off; chassis status and the SEL say why

def test_thermal_trip_powers_off():
    d = H.shared_daemon(__name__, "fast", config=FAST_SIM)
    power(d, "on")
    clear_sel(d)
    cli(d, "fault", "cpu", "CPU1", "thermal-trip")
    d.wait_power("off", cipher=17)
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("System Power"), "off", "chassis status", cs)
    check_eq(cs.field("Last Power Event"), "fault", "last power event", cs)
    rows = sel_events(d)
    t = sel_index(rows, r"CPU1 Status \| Thermal Trip \| Asserted", "thermal trip event")
    sel_index(rows, r"Power Unit \| Power off/down \| Asserted", "power off after the trip", t)
    # power on again: the latch clears (a deassertion), last power event: command
    power(d, "on")
    poll_until(lambda: any("CPU1 Status | Thermal Trip | Deasserted" in e
                           for e in sel_events(d)), timeout=20, desc="thermal trip deasserted")
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Last Power Event"), "command", "last power event after power on", cs)


def test_overheating_trips_by_itself():
    """Three failed fans at full load: the physics carries CPU1 past its non-recoverable
    threshold to its trip point; the protection powers the server off."""
    d = paused()
    power(d, "on")
    cli(d, "step", 300)
    clear_sel(d)
    for fan in ("FAN1", "FAN2", "FAN3"):
        cli(d, "fault", "fan", fan, "fail")
    cli(d, "load", 100)
    cli(d, "step", 600)
    check_eq(d.power_state(cipher=17), "off", "power after overheating")
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Last Power Event"), "fault", "last power event", cs)
    rows = sel_events(d)
    u = sel_index(rows, r"CPU1 Temp \| Upper Non-recoverable going high \| Asserted \| "
                  r"Reading 1\d\d > Threshold 100 degrees C", "CPU1 UNR")
    t = sel_index(rows, r"CPU1 Status \| Thermal Trip \| Asserted", "thermal trip", u)
    sel_index(rows, r"Power Unit \| Power off/down \| Asserted", "power off", t)
    s = status(d)
    check("CPU1=thermal-trip" in s["faults"] and s["power"] == "off", "status: %s" % s)
    cli(d, "fault", "clear", "all")
    cli(d, "load", 5)


# --------------------------------------------------------------------------------------------
# 4. storage profile: AC loss on one PSU

def storage_config(speed=0):
    with open(os.path.join(PROFILES, "storage-2u.yaml")) as f:
        text = f.read()
    check("    speed: 1\n" in text, "storage-2u.yaml sets platform.sim.speed")
    return text.replace("    speed: 1\n", "    speed: %d\n    soft_off_delay_ms: 1500\n" % speed
                        ).replace("    soft_off_delay_ms: 3000\n", "")


def test_storage_profile_psu_ac_lost():
    d = H.shared_daemon(__name__, "storage", config=storage_config())
    names = [l.split("|")[0].strip() for l in ok(d, "sdr", "list").out.strip().split("\n")]
    for n in ["Drive %d" % i for i in range(12)] + ["HDD Temp", "PSU Redundancy", "FAN4"]:
        check(n in names, "storage profile sensor %s in sdr list %s" % (n, names))
    check("FAN5" not in names, "storage-2u has 4 fans")
    fru = ok(d, "fru", "print", "0")
    check("Simulated 2U Storage Server" in fru.out, "FRU product name from the profile", fru)
    power(d, "on")
    cli(d, "load", 60)
    cli(d, "step", 300)
    p1, _, _ = reading(d, "PSU1 Input Power")
    p2, _, _ = reading(d, "PSU2 Input Power")
    total, _, _ = reading(d, "Total Power")
    check(abs(p1 - p2) <= 12 and p1 > 100, "the PSUs share the load (%s, %s)" % (p1, p2))
    clear_sel(d)
    cli(d, "fault", "psu", "PSU2", "ac-lost")
    cli(d, "step", 3)
    rows = sel_events(d)
    sel_index(rows, r"PSU2 Status \| Power Supply AC lost \| Asserted", "PSU2 AC lost")
    sel_index(rows, r"PSU Redundancy \| Redundancy Lost \| Asserted", "redundancy lost")
    check_eq(reading(d, "PSU2 Input Power")[0], 0.0, "PSU2 input power after AC loss")
    q1, st, r = reading(d, "PSU1 Input Power")
    check(abs(q1 - total) <= 0.05 * total + 8, "PSU1 carries it all: %s W vs total before %s W"
          % (q1, total), r)
    check_eq(d.power_state(cipher=17), "on", "the server stays on with one PSU")
    s = status(d)
    out, eff, inp = s["input power.psu1.out"], float(s["efficiency.psu1"]), s["input power.psu1.in"]
    check(0.85 <= eff <= 0.95, "PSU1 efficiency %s" % eff)
    check(abs(inp - out / eff) <= 0.02 * inp, "input %s = output %s / efficiency %s"
          % (inp, out, eff))
    check(abs(inp - q1) <= 4 + 0.02 * inp, "status and the sensor agree (%s, %s)" % (inp, q1))
    check(abs(s["input current.psu1.in"] - inp / 230) < 0.01, "PSU1 current = input / 230 V")
    # a drive fault in bay 5 and a removal in bay 7
    cli(d, "fault", "drive", "5", "fault")
    cli(d, "fault", "drive", "7", "removed")
    cli(d, "step", 2)
    rows = sel_events(d)
    sel_index(rows, r"Drive 5 \| Drive Fault \| Asserted", "drive fault")
    sel_index(rows, r"Drive 7 \| Drive Present \| Deasserted", "drive removal")
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Drive Fault"), "true", "chassis status with a drive fault", cs)
    cli(d, "fault", "clear", "all")
    cli(d, "step", 3)
    rows = sel_events(d)
    sel_index(rows, r"PSU Redundancy \| Redundancy Lost \| Deasserted", "redundancy regained")
    # a failed PSU (AC present): failure asserted, redundancy lost again
    cli(d, "fault", "psu", "PSU1", "fail")
    cli(d, "step", 2)
    rows = sel_events(d)
    sel_index(rows, r"PSU1 Status \| Failure detected \| Asserted", "PSU1 failure")
    check_eq(reading(d, "PSU1 Input Power")[0], 0.0, "a failed PSU draws nothing")
    cli(d, "fault", "clear", "PSU1")
    cli(d, "step", 2)
    # AC lost on both: the server loses power, and cannot be powered on until AC returns
    cli(d, "fault", "psu", "PSU1", "ac-lost")
    cli(d, "fault", "psu", "PSU2", "ac-lost")
    d.wait_power("off", cipher=17)
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Last Power Event"), "ac-failed", "last power event after losing AC", cs)
    expect_fail(d.ipmitool("chassis", "power", "on", cipher=17), "power on without AC")
    cli(d, "fault", "clear", "all")
    power(d, "on")


# --------------------------------------------------------------------------------------------
# the GPU profile, and a scenario loaded through the CLI

GPU_SCENARIO = """\
scenario:
  - at: 0
    do: load 100
  - at: 10
    do: fault fan FAN8 degraded
  - at: 200
    do: pause
"""


def test_gpu_profile_and_cli_scenario():
    with open(os.path.join(PROFILES, "gpu-4x.yaml")) as f:
        cfg = f.read().replace("    speed: 1\n", "    speed: 0\n")
    d = H.Daemon(name="gpu", config=cfg)
    path = os.path.join(H.TMP, "gpu-scenario-%d.yaml" % os.getpid())
    with open(path, "w") as f:
        f.write(GPU_SCENARIO)
    try:
        d.start()
        power(d, "on")
        cli(d, "step", 300)
        idle = {n: reading(d, n)[0] for n in ("GPU1 Temp", "GPU1 Power", "Total Power")}
        check(30 <= idle["GPU1 Temp"] <= 45 and 40 <= idle["GPU1 Power"] <= 80,
              "GPU1 idle: %s" % idle)
        cli(d, "scenario", path)
        cli(d, "resume")
        cli(d, "speed", 100)
        poll_until(lambda: status(d).get("paused") == "yes", timeout=30,
                   desc="the scenario's pause")
        s = status(d)
        check(s["load"] == "100.0" and "FAN8=degraded" in s["faults"], "scenario applied: %s" % s)
        busy = {n: reading(d, n)[0] for n in ("GPU1 Temp", "GPU1 Power", "Total Power")}
        check(busy["GPU1 Power"] >= 290 and busy["GPU1 Temp"] > idle["GPU1 Temp"] + 15,
              "GPU1 under load: %s (idle %s)" % (busy, idle))
        check(busy["Total Power"] > 1500, "4 GPUs at full load draw > 1.5 kW: %s" % busy)
        v, st, r = reading(d, "FAN8")
        check(700 < v < 1000 and st == "Lower Non-Critical", "FAN8 degraded: %s %s" % (v, st), r)
        sel_index(sel_events(d), r"FAN8 \| Lower Non-critical going low +\| Asserted", "FAN8 LNC")
        bad = os.path.join(H.TMP, "bad-scenario-%d.yaml" % os.getpid())
        with open(bad, "w") as f:
            f.write("scenario:\n  - at: 5\n    do: load 10\n  - at: 2\n    do: load 20\n")
        r = d.softbmc("scenario", bad)
        expect_fail(r, "a scenario going back in time", r"bad-scenario-\d+\.yaml:4: "
                    r"scenario\[1\]\.at: 2 is earlier")
        d.stop()
    finally:
        d.cleanup()
        for p in (path, os.path.join(H.TMP, "bad-scenario-%d.yaml" % os.getpid())):
            if os.path.exists(p):
                os.unlink(p)


# --------------------------------------------------------------------------------------------
# discrete faults, the CLI's errors, the control socket

def test_discrete_faults_and_cli_errors():
    d = paused()
    power(d, "on")
    clear_sel(d)
    cli(d, "fault", "intrusion")
    cli(d, "fault", "memory", "DIMM_A1", "uncorrectable")
    cli(d, "fault", "memory", "DIMM_B2", "correctable")
    cli(d, "step", 1)
    rows = sel_events(d)
    sel_index(rows, r"Chassis Intru \| General Chassis intrusion \| Asserted", "intrusion")
    sel_index(rows, r"Memory Status \| Uncorrectable ECC \| Asserted", "uncorrectable ECC")
    sel_index(rows, r"Memory Status \| Correctable ECC \| Asserted", "correctable ECC")
    cs = ok(d, "chassis", "status")
    check_eq(cs.field("Chassis Intrusion"), "active", "chassis status with the cover open", cs)
    # the ECC events name their DIMM: event data 3 = its index (DIMM_A1 0, ..., DIMM_B2 3)
    fi = d.freeipmi("ipmi-sel", cipher=17)
    check(fi.ok and re.search(r"Memory Status .*Uncorrectable memory error ; Event Data3 = 00h",
                              fi.out), "ipmi-sel: uncorrectable ECC on DIMM 0", fi)
    check(re.search(r"Memory Status .*Correctable memory error ; Event Data3 = 03h", fi.out),
          "ipmi-sel: correctable ECC on DIMM 3 (DIMM_B2)", fi)
    cli(d, "fault", "clear", "all")
    cli(d, "step", 1)
    sel_index(sel_events(d), r"Chassis Intru \| General Chassis intrusion \| Deasserted",
              "intrusion cleared")
    # a hot room: the inlet crosses its upper non-critical threshold (40), and back
    cli(d, "ambient", 42)
    cli(d, "step", 2)
    sel_index(sel_events(d), r"Inlet Temp \| Upper Non-critical going high \| Asserted \| "
              r"Reading 4[1-3] > Threshold 40 degrees C", "inlet UNC")
    cli(d, "ambient", 23)
    cli(d, "step", 2)
    sel_index(sel_events(d), r"Inlet Temp \| Upper Non-critical going high \| Deasserted",
              "inlet UNC deasserted")
    # an erratic fan: its tachometer jumps from one second to the next
    cli(d, "fault", "fan", "FAN2", "erratic")
    seen = set()
    for _ in range(5):
        cli(d, "step", 1)
        seen.add(round(status(d)["input fan.fan2.rpm"], -2))
    check(len(seen) >= 3, "FAN2 erratic: readings %s" % sorted(seen))
    cli(d, "fault", "clear", "FAN2")
    for args, pat in ((("fault", "fan", "FAN9", "fail"), r"no fan named 'FAN9'.*FAN1, FAN2"),
                      (("fault", "psu", "PSU7", "ac-lost"), r"no psu named 'PSU7'"),
                      (("fault", "memory", "DIMM_Z1", "correctable"), r"no memory named"),
                      (("fault", "drive", "9", "fault"), r"no drive named '9'.*bays 0\.\.1"),
                      (("fault", "fan", "FAN1", "melted"), r"unknown fault mode 'melted'"),
                      (("load", "150"), r"usage: load"),
                      (("fault", "clear", "GPU9"), r"nothing named 'GPU9'"),
                      (("frobnicate",), r"unknown command")):
        r = d.softbmc(*args)
        expect_fail(r, "softbmc " + " ".join(args), pat)
        check_eq(r.rc, 1, "exit code of a refused command", r)
    sock = os.path.join(d.state_dir, "control.sock")
    mode = stat.S_IMODE(os.stat(sock).st_mode)
    check_eq(oct(mode), oct(0o600), "control socket mode")
    r = H.run([H.softbmc_binary(), "--state-dir", "/nonexistent-softbmc", "status"])
    check_eq(r.rc, 3, "no daemon: exit code 3", r)
    # the control socket's line limit (1024 bytes), straight over the socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.settimeout(10)
        c.connect(sock)
        c.sendall(b"x" * 2000 + b"\n")
        answer = b""
        while True:
            chunk = c.recv(4096)
            if not chunk:
                break
            answer += chunk
    check_eq(answer, b"error: command line too long\n", "an over-long control line")
    cli(d, "status")  # and the daemon still answers


def test_invalid_profile_refused():
    bad = storage_config().replace("max_rpm: 12200", "max_rpm: fast")
    d = H.Daemon(name="bad-profile", config=bad)
    d.port = H.free_udp_port()
    try:
        r = H.run(d.argv(), timeout=30, env={"SOFTBMC_ADMIN_PASSWORD": H.ADMIN_PASSWORD})
        check_eq(r.rc, 2, "softbmcd exit code for an invalid profile", r)
        line = next(i + 1 for i, l in enumerate(bad.split("\n")) if "max_rpm: fast" in l)
        check(re.search(r"%s:%d: platform\.sim\.fans\[1\]\.max_rpm: 'fast' is not a number"
                        % (re.escape(d.config_path), line), r.err),
              "error names file, line %d and field" % line, r)
    finally:
        d.cleanup()


# --------------------------------------------------------------------------------------------
# 5. determinism: the same seed and scenario give the same SEL and sensor trace

SCENARIO = """\
scenario:
  - at: 0
    do: power on
  - at: 120
    do: load 100
  - at: 150
    do: fault fan FAN2 fail
  - at: 160
    do: fault fan FAN5 erratic
  - at: 170
    do: fault fan FAN6 fail
  - at: 200
    do: fault memory DIMM_C1 correctable
  - at: 300
    do: pause
  - at: 400
    do: fault clear all
  - at: 420
    do: load 20
  - at: 600
    do: pause
"""


def scenario_run(seed, tag):
    path = os.path.join(H.TMP, "scenario-%d.yaml" % os.getpid())
    with open(path, "w") as f:
        f.write(SCENARIO)
    d = H.Daemon(name="determinism-%s" % tag, config=H.FAST_CONFIG,
                 extra_args=["--sim-seed", str(seed), "--sim-speed", "150", "--scenario", path])
    try:
        d.start()
        trace = []
        for t in (300, 600):  # the scenario pauses twice: a trace of two full samples
            poll_until(lambda: status(d).get("paused") == "yes", timeout=60,
                       desc="the scenario's pause at %d s" % t)
            s = cli(d, "status").out
            check("time %d\n" % t in s, "paused at simulated time %d" % t, s)
            trace.append(s)
            cli(d, "resume")
        sel = sel_events(d)
        d.stop()
        return "".join(trace), sel
    finally:
        d.cleanup()


def test_determinism_same_seed_same_trace():
    s1, sel1 = scenario_run(42, "a")
    s2, sel2 = scenario_run(42, "b")
    check(len(sel1) >= 10, "the scenario produced events: %s" % sel1)
    sel_index(sel1, r"CPU1 Temp \| Upper Non-critical going high \| Asserted", "scenario UNC")
    sel_index(sel1, r"Memory Status \| Correctable ECC \| Asserted", "scenario ECC")
    if sel1 != sel2:
        fail("same seed, different SEL:\n%s\n---\n%s" % ("\n".join(sel1), "\n".join(sel2)))
    if s1 != s2:
        fail("same seed, different status:\n%s\n---\n%s" % (s1, s2))
    s3, _ = scenario_run(43, "c")
    check(s3 != s1, "another seed gives another sensor trace (the comparison can fail)")
