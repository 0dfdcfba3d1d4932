"""Prometheus' ipmi_exporter against softbmcd (issue 3, "Must show" item 4).

Debian's prometheus-ipmi-exporter 1.6.1 runs in remote (multi-target) mode: it is started as a
child process on 127.0.0.1 and a free high TCP port with a `modules:` config, and scraped with
GET /ipmi?target=127.0.0.1:PORT&module=NAME. For each scrape it runs the FreeIPMI tools with the
target passed through verbatim as `-h 127.0.0.1:PORT` (bmc-info, ipmimonitoring, ipmi-chassis
--get-chassis-status, ipmi-dcmi --get-system-power-statistics, ipmi-sel --info), so a non-623
port needs nothing special. The metric names checked are the ones 1.6.1 really emits
(`ipmi_sel_logs_count`, `ipmi_dcmi_power_consumption_watts`; its metrics.md names differ).

Every value is compared with what ipmitool reads from the same daemon. The simulated server's
readings carry a small noise that changes at most once a second, so each comparison brackets the
scrape between two ipmitool reads taken well under a second apart and only uses samples where
both reads agree: the exporter then saw the same raw count, and its value must equal ipmitool's
within half a count (the resolution M * 10^R of each sensor is read from its SDR with FreeIPMI's
`ipmi-sensors -vv`), i.e. the only allowed difference is the clients' decimal rounding.

One daemon serves the module; each test starts (and stops by PID) its own exporter and sets the
power state it relies on.
"""

import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import harness as H
from harness import check, check_eq, expect_ok, fail, poll_until

EXPORTER = "/usr/bin/prometheus-ipmi-exporter"
COLLECTORS = ["bmc", "ipmi", "chassis", "dcmi", "sel"]
BRACKET_MAX_S = 0.9  # the readings step at most once a second
BRACKET_TRIES = 15

# exporter metric family per unit, as ipmi-sensors -vv prints the unit of a threshold sensor
FAMILY_OF_UNIT = {"C": "ipmi_temperature_celsius", "RPM": "ipmi_fan_speed_rpm",
                  "V": "ipmi_voltage_volts", "A": "ipmi_current_amperes",
                  "W": "ipmi_power_watts"}
REQUIRED_FAMILIES = ["ipmi_temperature_celsius", "ipmi_fan_speed_rpm", "ipmi_voltage_volts"]


def D():
    # The simulated server paused (speed 0): readings hold still, so exporter and ipmitool
    # reads can be compared count for count; `softbmc step` warms it up after power-on.
    return H.shared_daemon(__name__, config=H.FAST_CONFIG.replace("speed: 10", "speed: 0"))


def ok(*cmd, **kw):
    kw.setdefault("cipher", 17)
    return expect_ok(D().ipmitool(*cmd, **kw), "ipmitool " + " ".join(str(c) for c in cmd))


def power(want):
    d = D()
    if d.power_state(cipher=17) != want:
        ok("chassis", "power", want)
        d.wait_power(want, cipher=17)
        # five simulated minutes: the paused server reaches its steady state
        expect_ok(d.softbmc("step", 300), "softbmc step 300")


# --------------------------------------------------------------------------------------------
# the exporter: a child process on 127.0.0.1 and a free TCP port, stopped by PID

def free_tcp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def module_config(user, password, privilege="user", timeout_ms=10000, collectors=COLLECTORS):
    """One module of the exporter's YAML config (JSON strings are YAML double-quoted scalars)."""
    return ("    user: %s\n    pass: %s\n    driver: \"LAN_2_0\"\n    privilege: %s\n"
            "    timeout: %d\n    collectors: [%s]\n"
            % (json.dumps(user), json.dumps(password), json.dumps(privilege), timeout_ms,
               ", ".join(collectors)))


class Exporter:
    """`with Exporter({name: module_config(...)}) as e: e.scrape(name)`."""

    serial = 0

    def __init__(self, modules):
        self.dir = tempfile.mkdtemp(prefix="softbmc-ipmiexp-", dir="/tmp")
        os.chmod(self.dir, 0o700)  # config holds a password; FreeIPMI wants a private HOME
        self.config = os.path.join(self.dir, "ipmi.yml")
        with open(self.config, "w") as f:
            f.write("modules:\n")
            for name, body in modules.items():
                f.write("  %s:\n%s" % (name, body))
        os.makedirs(H.TMP, exist_ok=True)
        Exporter.serial += 1  # NAME-PID-N.log: run.py removes the logs of earlier runs
        self.log_path = os.path.join(H.TMP, "ipmi_exporter-%d-%d.log" % (os.getpid(),
                                                                         Exporter.serial))
        self.proc = None
        self.port = None

    def __enter__(self):
        if not os.access(EXPORTER, os.X_OK):
            fail("%s is not installed (Debian prometheus-ipmi-exporter; scripts/deps.sh test)"
                 % EXPORTER)
        try:
            for _ in range(3):
                if self._start():
                    return self
            fail("the exporter could not listen on a free port after 3 attempts\n"
                 + self.log_tail())
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
        return False

    def _start(self):
        """Start on a fresh port; True once it accepts connections, False if the port was
        taken meanwhile."""
        self.port = free_tcp_port()
        env = dict(os.environ, HOME=self.dir, TMPDIR=self.dir)  # SDR cache, per-call configs
        argv = [EXPORTER, "--config.file=" + self.config,
                "--web.listen-address=127.0.0.1:%d" % self.port, "--log.level=debug"]
        with open(self.log_path, "w") as log:
            log.write("===== %s\n" % " ".join(argv))
            log.flush()
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         env=env, cwd=self.dir)
        deadline = time.monotonic() + 15
        while True:
            rc = self.proc.poll()
            if rc is not None:
                self.proc = None
                if re.search(r"address already in use", self.log_text(), re.I):
                    return False
                fail("the exporter exited with code %s at start\n%s" % (rc, self.log_tail()))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                # and it is the exporter that listens there, not someone who took the port
                if re.search(r'msg="Listening on" address=127\.0\.0\.1:%d\b' % self.port,
                             self.log_text()):
                    return True
            except OSError:
                pass
            if time.monotonic() >= deadline:
                fail("the exporter did not accept connections on 127.0.0.1:%d within 15 s\n%s"
                     % (self.port, self.log_tail()))
            time.sleep(0.05)

    def stop(self):
        if self.proc is not None:
            pid = self.proc.pid
            try:
                os.kill(pid, signal.SIGTERM)
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self.proc.wait(10)
            except ProcessLookupError:
                pass
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, n=25):
        lines = self.log_text().rstrip("\n").split("\n")[-n:]
        return "  exporter log (%s), last %d lines:\n%s" % (
            self.log_path, len(lines), "".join("    # %s\n" % l[:400] for l in lines))

    def scrape(self, module, expect_up=True):
        """GET /ipmi for the daemon under test; with expect_up, every collector must be up."""
        d = D()
        q = urllib.parse.urlencode({"target": "127.0.0.1:%d" % d.port, "module": module})
        url = "http://127.0.0.1:%d/ipmi?%s" % (self.port, q)
        try:
            with urllib.request.urlopen(url, timeout=60) as resp:
                status, body = resp.status, resp.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as e:
            fail("GET %s failed: %s\n%s" % (url, e, self.log_tail()))
        if status != 200:
            fail("GET %s: HTTP %d\n%s" % (url, status, self.log_tail()))
        m = Metrics(body, self)
        if expect_up:
            for c in COLLECTORS:
                m.check_value("ipmi_up", 1, collector=c)
        return m


class Metrics:
    """A parsed Prometheus text exposition: {family: [(labels, value)]}."""

    LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$")
    LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

    def __init__(self, text, exporter):
        self.text = text
        self.exporter = exporter
        self.series = {}
        for line in text.split("\n"):
            if not line or line.startswith("#"):
                continue
            mm = self.LINE.match(line)
            if not mm:
                self.fail("unparsable exposition line %r" % line)
            labels = dict((k, v.replace('\\"', '"').replace("\\\\", "\\"))
                          for k, v in self.LABEL.findall(mm.group(2) or ""))
            self.series.setdefault(mm.group(1), []).append((labels, float(mm.group(3))))

    def fail(self, msg):
        ipmi = [l for l in self.text.split("\n") if l.startswith("ipmi_")]
        fail("%s\n  scrape (ipmi_* lines):\n%s%s" % (
            msg, "".join("    | %s\n" % l for l in ipmi[:120]), self.exporter.log_tail()))

    def get(self, family, **labels):
        """The value of the one series of `family` with these labels (None if absent)."""
        hits = [v for l, v in self.series.get(family, [])
                if all(l.get(k) == x for k, x in labels.items())]
        if len(hits) > 1:
            self.fail("%s%r: %d series, expected one" % (family, labels, len(hits)))
        return hits[0] if hits else None

    def check_value(self, family, want, **labels):
        got = self.get(family, **labels)
        if got != want:
            self.fail("%s%r = %r, expected %r" % (family, labels, got, want))

    def by_name(self, family):
        """{name label: (id label, value)}"""
        return {l.get("name"): (l.get("id"), v) for l, v in self.series.get(family, [])}


def bracket(read_ref, scrape, what):
    """(reference, scrape) where two reference reads around the scrape agree and are less than
    BRACKET_MAX_S apart: the readings then did not change during the scrape."""
    seen = []
    for _ in range(BRACKET_TRIES):
        t0 = time.monotonic()
        a = read_ref()
        m = scrape()
        b = read_ref()
        dt = time.monotonic() - t0
        if a == b and dt < BRACKET_MAX_S:
            return a, m
        seen.append("%.2fs%s" % (dt, "" if a == b else " (changed)"))
    fail("%s: no stable sample in %d tries (%s)" % (what, BRACKET_TRIES, ", ".join(seen)))


# --------------------------------------------------------------------------------------------
# reference readings

def sdr_threshold_sensors():
    """Threshold sensors from the SDR via `ipmi-sensors -vv` (private cache, recreated):
    {name: {"id": record ID, "unit": unit, "lsb": |M| * 10^R}}."""
    cache = tempfile.mkdtemp(prefix="softbmc-sdrcache-", dir="/tmp")
    try:
        r = D().freeipmi("ipmi-sensors", "-vv", "--sdr-cache-directory=%s" % cache,
                         "--sdr-cache-recreate", cipher=17)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if not r.ok:
        fail("ipmi-sensors -vv failed", r)
    out = {}
    for block in re.split(r"\n\s*\n", r.out):
        f = dict(re.findall(r"^([^:\n]+): (.*)$", block, re.M))
        if f.get("Record Type", "").startswith("Full Sensor Record") and \
                f.get("Event/Reading Type Code") == "1h":
            unit = re.fullmatch(r"-?[\d.]+ (\S+)", f.get("Sensor Max. Reading", ""))
            check(unit and "M" in f and "R Exponent" in f,
                  "ipmi-sensors -vv: no unit/M/R Exponent for %r" % f.get("ID String"), r)
            out[f["ID String"]] = {"id": f["Record ID"], "unit": unit.group(1),
                                   "lsb": abs(int(f["M"])) * 10.0 ** int(f["R Exponent"])}
    return out


def ipmitool_readings(names):
    """`ipmitool sensor get` of all names in one run: sorted ((name, value or None), ...)."""
    r = D().ipmitool("sensor", "get", *names, cipher=17)
    got = {}
    for block in re.split(r"^(?=Sensor ID\s*:)", r.out, flags=re.M):
        m = re.match(r"Sensor ID\s*:\s*(.+?) \(0x[0-9a-f]+\)\s*$", block, re.M)
        if not m:
            continue
        v = re.search(r"^\s*Sensor Reading\s*:\s*(-?\d+(?:\.\d+)?) \(\+/- [\d.]+\) ", block,
                      re.M)
        if v:
            got[m.group(1)] = float(v.group(1))
        elif re.search(r"Sensor Reading\s*:\s*Unable to read sensor", block):
            got[m.group(1)] = None
    if sorted(got) != sorted(names):
        fail("ipmitool sensor get: readings for %s, asked for %s" % (sorted(got), sorted(names)),
             r)
    return tuple(sorted(got.items()))


def dcmi_reading():
    r = ok("dcmi", "power", "reading")
    m = re.fullmatch(r"(\d+) Watts", (r.field("Instantaneous power reading") or "").strip())
    check(m, "dcmi power reading: no instantaneous reading", r)
    return int(m.group(1))


def sel_info():
    r = ok("sel", "info")
    entries = r.field("Entries")
    free = re.fullmatch(r"(\d+) bytes", r.field("Free Space") or "")
    check(entries is not None and entries.isdigit() and free, "sel info: Entries/Free Space", r)
    return int(entries), int(free.group(1))


def wait_host_readings():
    """After power-on the BMC polls its sensors once a second: wait until CPU1 Temp reads."""
    def ready():
        r = D().ipmitool("sensor", "reading", "CPU1 Temp", cipher=17)
        return r.ok and re.search(r"^CPU1 Temp\s*\|\s*\d+", r.out, re.M)
    poll_until(ready, timeout=15, desc="CPU1 Temp reading after power-on")


def admin_module(**kw):
    d = D()
    return {"softbmc": module_config("admin", d.admin_password, **kw)}


def compare_sensors(exp, state):
    """Every threshold sensor of the SDR against ipmitool, bracketed around one scrape."""
    sdr = sdr_threshold_sensors()
    for unit in ("C", "RPM", "V"):
        check(any(s["unit"] == unit for s in sdr.values()),
              "the SDR has no threshold sensor in %s: %s" % (unit, sorted(sdr)))
    names = sorted(n for n, s in sdr.items() if s["unit"] in FAMILY_OF_UNIT)
    ref, m = bracket(lambda: ipmitool_readings(names), lambda: exp.scrape("softbmc"),
                     "sensor readings (%s)" % state)
    compared = 0
    for name, want in ref:
        s = sdr[name]
        family = FAMILY_OF_UNIT[s["unit"]]
        got = m.by_name(family).get(name)
        if want is None:
            # no reading (host off): nothing numeric may be exported for it
            if got is not None and not math.isnan(got[1]):
                m.fail("%s: ipmitool has no reading (host %s) but %s = %r"
                       % (name, state, family, got[1]))
            continue
        if got is None:
            m.fail("%s (%s, record %s) missing from %s; ipmitool reads %r"
                   % (name, s["unit"], s["id"], family, want))
        if got[0] != s["id"]:
            m.fail("%s: id label %r, SDR record ID %s" % (name, got[0], s["id"]))
        if not abs(got[1] - want) <= s["lsb"] / 2 + 1e-9:
            m.fail("%s: exporter %r, ipmitool %r (one count = %g %s; same raw count expected)"
                   % (name, got[1], want, s["lsb"], s["unit"]))
        compared += 1
    return compared, m


# --------------------------------------------------------------------------------------------

def test_collectors_up_on_non_default_port():
    power("on")
    mc = ok("mc", "info")
    with Exporter(admin_module()) as exp:
        m = exp.scrape("softbmc")  # asserts ipmi_up == 1 for bmc, ipmi, chassis, dcmi, sel
        info = m.series.get("ipmi_bmc_info", [])
        if len(info) != 1:
            m.fail("ipmi_bmc_info: %d series, expected one" % len(info))
        labels, value = info[0]
        check_eq(value, 1.0, "ipmi_bmc_info value")
        check_eq(labels.get("firmware_revision"), mc.field("Firmware Revision"),
                 "ipmi_bmc_info firmware_revision vs ipmitool mc info", mc)
        mfr = re.search(r"\((\d+)\)$", labels.get("manufacturer_id", ""))
        check(mfr and mfr.group(1) == mc.field("Manufacturer ID"),
              "ipmi_bmc_info manufacturer_id %r vs mc info Manufacturer ID"
              % labels.get("manufacturer_id"), mc)
        for family in REQUIRED_FAMILIES + ["ipmi_chassis_power_state", "ipmi_sel_logs_count",
                                           "ipmi_dcmi_power_consumption_watts"]:
            if not m.series.get(family):
                m.fail("no %s series" % family)


def test_wrong_password_every_collector_down():
    """The up == 1 checks are meaningful: a wrong password puts every collector down and
    exports no readings."""
    d = D()
    with Exporter({"badpw": module_config("admin", d.admin_password + "x", timeout_ms=5000)}) \
            as exp:
        m = exp.scrape("badpw", expect_up=False)
        for c in COLLECTORS:
            m.check_value("ipmi_up", 0, collector=c)
        for family in REQUIRED_FAMILIES + ["ipmi_chassis_power_state", "ipmi_sel_logs_count"]:
            if m.series.get(family):
                m.fail("%s exported despite the refused login" % family)


def test_sensor_values_match_ipmitool_host_on():
    power("on")
    wait_host_readings()
    with Exporter(admin_module()) as exp:
        n, m = compare_sensors(exp, "on")
        for family in REQUIRED_FAMILIES:
            if not m.series.get(family):
                m.fail("no %s series with the host on" % family)
        check(n >= 10, "only %d sensors compared" % n)


def test_dcmi_power_matches_ipmitool():
    power("on")
    with Exporter(admin_module()) as exp:
        want, m = bracket(dcmi_reading, lambda: exp.scrape("softbmc"), "DCMI power reading")
        check(want > 0, "dcmi power reading with the host on is %d W" % want)
        m.check_value("ipmi_dcmi_power_consumption_watts", float(want))


def test_sel_count_matches_ipmitool():
    power("on")
    with Exporter(admin_module()) as exp:
        def compare(what):
            (entries, free), m = bracket(sel_info, lambda: exp.scrape("softbmc"), what)
            m.check_value("ipmi_sel_logs_count", float(entries))
            m.check_value("ipmi_sel_free_space_bytes", float(free))
            return entries
        before = compare("SEL info")
        path = os.path.join(exp.dir, "events.sel")
        with open(path, "w") as f:  # `sel add` file: EvM rev, type, number, dir|type, data 1-3
            f.write("0x04 0x01 0x76 0x01 0x57 0x5a 0x5c\n0x04 0x02 0x76 0x81 0x52 0x10 0x20\n")
        ok("sel", "add", path)
        after = compare("SEL info after sel add")
        check(after >= before + 2, "SEL entries %d after adding 2 to %d" % (after, before))
        ok("sel", "clear")
        poll_until(lambda: sel_info()[0] < after, timeout=15, desc="the SEL to be cleared")
        cleared = compare("SEL info after sel clear")
        check(cleared < after, "SEL entries %d after clear (were %d)" % (cleared, after))


def test_power_state_and_host_sensors_off_then_on():
    with Exporter(admin_module()) as exp:
        power("on")
        exp.scrape("softbmc").check_value("ipmi_chassis_power_state", 1.0)
        power("off")
        exp.scrape("softbmc").check_value("ipmi_chassis_power_state", 0.0)
        # host-powered sensors read nothing while off (ipmitool: "Unable to read sensor"),
        # standby ones still match; the DCMI reading follows the standby load
        compare_sensors(exp, "off")
        want, m = bracket(dcmi_reading, lambda: exp.scrape("softbmc"), "DCMI power (off)")
        m.check_value("ipmi_dcmi_power_consumption_watts", float(want))
        power("on")
        exp.scrape("softbmc").check_value("ipmi_chassis_power_state", 1.0)
