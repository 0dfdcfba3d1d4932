"""Integration-test harness for softbmcd: start/stop the real daemon, run real clients.

Stdlib only; run by Debian's /usr/bin/python3 (tests/integration/run.py).

What it gives a test module:
  * Daemon            -- one softbmcd process on 127.0.0.1 (or ::1) and a free high UDP port,
                         with a fresh state dir under /tmp, its stderr in a log file.
  * shared_daemon()   -- one Daemon per module and key, started lazily, stopped (and its exit
                         code checked) by run.py after the module's last test.
  * Daemon.ipmitool() / Daemon.freeipmi() -- run a client with timeouts, return a Result.
  * expect_ok / expect_fail / check / poll_until -- assertions that print the command, its exit
                         code and output when they fail.

Every process started here is stopped by PID (SIGTERM, then SIGKILL after a timeout) from
stop(), kill9() or the atexit hook; nothing is ever killed by name.
"""

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
TMP = os.path.join(HERE, ".tmp")  # logs; git-ignored

ADMIN_PASSWORD = "Itest-Adm1n-pw"  # 14 chars: usable with IPMI 1.5 and 2.0
IPMITOOL = "ipmitool"
CLIENT_TIMEOUT = 60  # seconds, hard cap for one client run

# Short platform delays for tests; power state is still always polled in bounded loops. The
# simulated server runs 10 simulated seconds per real second, so after a power-on its
# temperatures reach their steady state within seconds (tests still poll for it).
FAST_CONFIG = """\
lan:
  session_timeout: 60
platform:
  sim:
    soft_off_delay_ms: 1500
    cycle_off_interval_ms: 3000
    speed: 10
"""


class TestFailure(AssertionError):
    """An assertion failed; the message already contains the evidence."""


class Skip(Exception):
    """The test cannot run on this machine (reported as SKIP, never as PASS)."""


# --------------------------------------------------------------------------------------------
# small utilities

def daemon_binary():
    env = os.environ.get("SOFTBMCD")
    if env:
        return env if os.path.isabs(env) else os.path.join(REPO, env)
    asan = os.path.join(REPO, "build-asan", "softbmcd")
    if os.path.exists(asan):
        return asan
    return os.path.join(REPO, "build", "softbmcd")


def softbmc_binary():
    """The `softbmc` CLI next to the daemon binary."""
    return os.path.join(os.path.dirname(daemon_binary()), "softbmc")


def free_udp_port(host="127.0.0.1"):
    """A currently free high UDP port on host (bind port 0, read it back, release it)."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def free_tcp_port(host="127.0.0.1"):
    """A currently free high TCP port on host (for --http)."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def poll_until(fn, timeout=15.0, interval=0.2, desc="condition"):
    """Call fn() until it returns a truthy value; return that value.

    Raises TestFailure after `timeout` seconds, quoting the last value (or exception) seen.
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
            if last:
                return last
        except TestFailure as e:
            last = e
        if time.monotonic() >= deadline:
            raise TestFailure("timed out after %.1fs waiting for %s; last: %s"
                              % (timeout, desc, _describe(last)))
        time.sleep(interval)


def _describe(v):
    if isinstance(v, Result):
        return "\n" + v.report()
    return repr(v)


def fail(msg, result=None):
    if result is not None:
        msg = "%s\n%s" % (msg, result.report())
    raise TestFailure(msg)


def check(cond, msg, result=None):
    if not cond:
        fail(msg, result)


def check_eq(actual, expected, msg="", result=None):
    if actual != expected:
        fail("%sexpected %r, got %r" % (msg + ": " if msg else "", expected, actual), result)


# --------------------------------------------------------------------------------------------
# client runs

class Result:
    """One finished client run."""

    def __init__(self, argv, rc, out, err, elapsed, timed_out=False):
        self.argv = argv
        self.rc = rc
        self.out = out
        self.err = err
        self.elapsed = elapsed
        self.timed_out = timed_out

    @property
    def text(self):
        return self.out + self.err

    @property
    def ok(self):
        return self.rc == 0 and not self.timed_out

    def report(self):
        cmd = " ".join(_shquote(a) for a in self.argv)
        s = "  $ %s\n  exit code: %s%s (%.1fs)\n" % (
            cmd, self.rc, " (TIMED OUT)" if self.timed_out else "", self.elapsed)
        if self.out.strip():
            s += "  stdout:\n" + _indent(self.out)
        if self.err.strip():
            s += "  stderr:\n" + _indent(self.err)
        return s

    def field(self, name):
        """Value of a 'Name   : value' line (ipmitool/FreeIPMI style), or None."""
        rx = re.compile(r"^\s*" + re.escape(name) + r"\s*:\s?(.*?)\s*$", re.M)
        m = rx.search(self.out)
        return m.group(1) if m else None

    def hex_bytes(self):
        """Bytes of `ipmitool raw` output (hex pairs, possibly over several lines)."""
        return bytes(int(x, 16) for x in re.findall(r"\b[0-9a-fA-F]{2}\b", self.out))


def _indent(s, pre="    | "):
    lines = s.rstrip("\n").split("\n")
    if len(lines) > 80:
        lines = lines[:40] + ["... (%d lines cut) ..." % (len(lines) - 80)] + lines[-40:]
    return "".join(pre + l + "\n" for l in lines)


def _shquote(a):
    if a and re.fullmatch(r"[A-Za-z0-9_./:=@%+,\[\]-]+", a):
        return a
    return "'" + a.replace("'", "'\\''") + "'"


def run(argv, timeout=CLIENT_TIMEOUT, env=None, input_text=None):
    """Run argv (no shell), capture output, never hang longer than timeout."""
    t0 = time.monotonic()
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.Popen(argv, stdin=subprocess.PIPE if input_text is not None else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                         start_new_session=True)
    try:
        out, err = p.communicate(input=input_text.encode() if input_text is not None else None,
                                 timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        # the client (not the daemon) hung: kill it and its process group by PID
        _killpg(p)
        out, err = p.communicate()
        timed_out = True
    except BaseException:
        _killpg(p)  # e.g. the per-test timeout fired: never leave a client behind
        p.communicate()
        raise
    return Result(argv, p.returncode, out.decode(errors="replace"),
                  err.decode(errors="replace"), time.monotonic() - t0, timed_out)


def _killpg(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def expect_ok(res, what=None):
    if not res.ok:
        fail("%s failed" % (what or "command"), res)
    return res


def ipmitool_c17(daemon, *cmd, **kw):
    """ipmitool against daemon over cipher suite 17 unless cipher= says otherwise."""
    kw.setdefault("cipher", 17)
    return daemon.ipmitool(*cmd, **kw)


def ipmitool_ok(daemon, *cmd, **kw):
    """ipmitool_c17 that must succeed."""
    return expect_ok(ipmitool_c17(daemon, *cmd, **kw), "ipmitool " + " ".join(map(str, cmd)))


def module_clients(module, **daemon_kw):
    """A test module's shared daemon and its ipmitool helpers, as (D, ipmi, ok):
    D() the daemon (shared_daemon(module, **daemon_kw)), ipmi(...) ipmitool_c17 against it,
    ok(...) ipmitool_ok against it."""
    def D():
        return shared_daemon(module, **daemon_kw)

    def ipmi(*cmd, **kw):
        return ipmitool_c17(D(), *cmd, **kw)

    def ok(*cmd, **kw):
        return ipmitool_ok(D(), *cmd, **kw)

    return D, ipmi, ok


def expect_fail(res, what=None, pattern=None):
    """The command must fail (non-zero exit, not a client-side timeout of our own cap);
    if pattern is given, the combined output must match it (regex, case-insensitive)."""
    if res.timed_out:
        fail("%s: expected a refusal, but the client hung until our %ds cap"
             % (what or "command", CLIENT_TIMEOUT), res)
    if res.rc == 0:
        fail("%s: expected a refusal, but it succeeded" % (what or "command"), res)
    if pattern and not re.search(pattern, res.text, re.I | re.M):
        fail("%s: refused, but output does not match /%s/" % (what or "command", pattern), res)
    return res


def expect_in(res, needle, what=None):
    if needle not in res.out:
        fail("%s: %r not in output" % (what or "command", needle), res)
    return res


# --------------------------------------------------------------------------------------------
# the daemon

_serial = 0
_live = []  # every Daemon that may have a running process; cleaned up at exit


class Daemon:
    def __init__(self, name="softbmcd", config=None, admin_password=ADMIN_PASSWORD,
                 host="127.0.0.1", log_level="debug", extra_env=None, http=False,
                 extra_args=()):
        """admin_password=None starts without SOFTBMC_ADMIN_PASSWORD (random password).
        http=True also serves HTTPS (--http) on a free TCP port: see http_url."""
        self.name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        self.binary = daemon_binary()
        self.host = host
        self.port = None
        self.config_text = config
        self.admin_password = admin_password
        self.log_level = log_level
        self.extra_env = extra_env or {}
        self.http = http
        self.http_port = None
        self.extra_args = list(extra_args)
        self.state_dir = tempfile.mkdtemp(prefix="softbmc-it-%s-" % self.name, dir="/tmp")
        os.chmod(self.state_dir, 0o700)
        os.makedirs(TMP, exist_ok=True)
        global _serial
        _serial += 1
        self.log_path = os.path.join(TMP, "%s-%d-%d.log" % (self.name, os.getpid(), _serial))
        with open(self.log_path, "w"):
            pass
        self.config_path = None
        if config is not None:
            self.config_path = os.path.join(self.state_dir, "..", os.path.basename(self.state_dir) + ".yaml")
            self.config_path = os.path.abspath(self.config_path)
            with open(self.config_path, "w") as f:
                f.write(config)
        self.proc = None
        self.last_exit = None
        self.start_offset = 0  # log offset where the current run's output starts
        _live.append(self)

    # ---- lifecycle

    @property
    def listen(self):
        return ("[%s]:%d" % (self.host, self.port)) if ":" in self.host else "%s:%d" % (self.host, self.port)

    def argv(self):
        a = [self.binary, "--state-dir", self.state_dir, "--listen", self.listen]
        if self.config_path:
            a += ["--config", self.config_path]
        if self.log_level:
            a += ["--log-level", self.log_level]
        if self.http:
            h = "[%s]" % self.host if ":" in self.host else self.host
            a += ["--http", "%s:%d" % (h, self.http_port)]
        return a + self.extra_args

    @property
    def http_url(self):
        h = "[%s]" % self.host if ":" in self.host else self.host
        return "https://%s:%d" % (h, self.http_port)

    def start(self, timeout=30.0):
        if not os.path.exists(self.binary):
            raise TestFailure("daemon binary %s does not exist (build it, or set SOFTBMCD)" % self.binary)
        for attempt in range(3):
            if self.port is None or attempt > 0:
                self.port = free_udp_port(self.host)
            if self.http and (self.http_port is None or attempt > 0):
                self.http_port = free_tcp_port(self.host)
            env = dict(os.environ)
            env.pop("SOFTBMC_ADMIN_PASSWORD", None)
            if self.admin_password is not None:
                env["SOFTBMC_ADMIN_PASSWORD"] = self.admin_password
            env.update(self.extra_env)
            with open(self.log_path, "a") as log:
                log.write("\n===== harness: start %s\n" % " ".join(self.argv()))
                log.flush()
                self.start_offset = log.tell()
                self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=log, env=env, cwd=REPO)
            try:
                self._wait_ready(timeout)
                return self
            except _PortBusy:
                self._reap()
                continue
        raise TestFailure("could not bind a free port after 3 attempts\n" + self.log_tail())

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            text = self.log_since_start()
            for line in text.split("\n"):
                if line.rstrip().endswith(" ready"):
                    return
            rc = self.proc.poll()
            if rc is not None:
                self.last_exit = rc
                self.proc = None
                if re.search(r"address already in use|EADDRINUSE", text, re.I):
                    raise _PortBusy()
                raise TestFailure("softbmcd exited with code %s before logging ' ready'\n%s"
                                  % (rc, self.log_tail()))
            if time.monotonic() >= deadline:
                pid = self.proc.pid
                self._reap()
                raise TestFailure("softbmcd (pid %d) did not log a line ending with ' ready' "
                                  "within %.0fs\n%s" % (pid, timeout, self.log_tail()))
            time.sleep(0.05)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20.0, expect_code=0):
        """SIGTERM by PID, wait, and assert the exit code (0: clean, no ASan leak report)."""
        if self.proc is None:
            raise TestFailure("stop(): daemon is not running (last exit %s)\n%s"
                              % (self.last_exit, self.log_tail()))
        rc = self.proc.poll()
        if rc is not None:
            self.proc = None
            self.last_exit = rc
            raise TestFailure("softbmcd had already exited with code %s before SIGTERM\n%s"
                              % (rc, self.log_tail()))
        pid = self.proc.pid
        os.kill(pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            self.proc.wait(10)
            self.proc = None
            raise TestFailure("softbmcd (pid %d) did not exit within %.0fs of SIGTERM; killed\n%s"
                              % (pid, timeout, self.log_tail()))
        self.proc = None
        self.last_exit = rc
        if expect_code is not None and rc != expect_code:
            raise TestFailure("softbmcd exited with code %s after SIGTERM (expected %s)\n%s"
                              % (rc, expect_code, self.log_tail(60)))
        return rc

    def kill9(self):
        if not self.running():
            raise TestFailure("kill9(): daemon is not running\n" + self.log_tail())
        pid = self.proc.pid
        os.kill(pid, signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None
        self.last_exit = -9
        with open(self.log_path, "a") as log:
            log.write("\n===== harness: SIGKILL pid %d\n" % pid)

    def restart(self, timeout=30.0):
        """Clean stop (exit code 0 asserted) if running, then start again on the same state dir
        (and the same port unless the daemon reports it busy)."""
        if self.running():
            self.stop()
        return self.start(timeout)

    def start_again(self, timeout=30.0):
        """Start after kill9()/stop() on the same state dir."""
        if self.running():
            raise TestFailure("start_again(): daemon already running")
        return self.start(timeout)

    def _reap(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    os.kill(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    pass
            self.last_exit = self.proc.returncode
            self.proc = None

    def cleanup(self, remove_state=True):
        self._reap()
        if remove_state and not os.environ.get("SOFTBMC_KEEP_STATE"):
            shutil.rmtree(self.state_dir, ignore_errors=True)
            if self.config_path:
                try:
                    os.unlink(self.config_path)
                except FileNotFoundError:
                    pass
        if self in _live:
            _live.remove(self)

    # ---- logs

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_since_start(self):
        try:
            with open(self.log_path, errors="replace") as f:
                f.seek(self.start_offset)
                return f.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, n=40):
        lines = self.log_text().rstrip("\n").split("\n")
        return "  daemon log (%s), last %d lines:\n%s" % (
            self.log_path, min(n, len(lines)), _indent("\n".join(lines[-n:]), "    # "))

    # ---- clients

    def ipmitool(self, *cmd, user="admin", password=None, interface="lanplus", cipher=None,
                 priv=None, authtype=None, verbose=0, timeout=CLIENT_TIMEOUT, extra=()):
        """ipmitool against this daemon. password=None means the admin password;
        password=False passes no -P at all."""
        if password is None:
            password = self.admin_password
        a = [IPMITOOL, "-I", interface, "-H", self.host, "-p", str(self.port),
             "-N", "2", "-R", "2"]
        if user is not None:
            a += ["-U", user]
        if password is not False:
            a += ["-P", password]
        if cipher is not None:
            a += ["-C", str(cipher)]
        if priv is not None:
            a += ["-L", priv]
        if authtype is not None:
            a += ["-A", authtype]
        a += ["-v"] * verbose
        a += list(extra)
        a += [str(c) for c in cmd]
        return run(a, timeout=timeout)

    def freeipmi(self, tool, *args, user="admin", password=None, cipher=17, driver="LAN_2_0",
                 priv=None, session_timeout_ms=15000, timeout=CLIENT_TIMEOUT):
        """A FreeIPMI tool (bmc-info, ipmi-chassis, ipmipower, ipmi-config, ...), no -W flags."""
        if password is None:
            password = self.admin_password
        a = [tool, "-h", self.listen, "-u", user, "-p", password, "-D", driver]
        if driver == "LAN_2_0" and cipher is not None:
            a += ["-I", str(cipher)]
        if priv is not None:
            a += ["-l", priv]
        a += ["--session-timeout=%d" % session_timeout_ms, "--retransmission-timeout=1000"]
        a += [str(x) for x in args]
        return run(a, timeout=timeout, env={"HOME": TMP})

    def softbmc(self, *args, timeout=CLIENT_TIMEOUT):
        """The softbmc CLI against this daemon's control socket."""
        return run([softbmc_binary(), "--state-dir", self.state_dir] + [str(a) for a in args],
                   timeout=timeout)

    # ---- convenience over ipmitool

    def power_state(self, **kw):
        r = self.ipmitool("chassis", "power", "status", **kw)
        m = re.search(r"Chassis Power is (on|off)", r.out)
        if not r.ok or not m:
            fail("chassis power status did not answer", r)
        return m.group(1)

    def wait_power(self, want, timeout=15.0, **kw):
        return poll_until(lambda: self.power_state(**kw) == want, timeout=timeout,
                          desc="chassis power %s" % want)


class _PortBusy(Exception):
    pass


# --------------------------------------------------------------------------------------------
# one daemon per module (and key), stopped by run.py after the module's tests

_shared = {}


def shared_daemon(module, key="default", **kwargs):
    """The module's shared daemon for `key`, started on first use."""
    k = (module, key)
    d = _shared.get(k)
    if d is not None and d.running():
        return d
    if d is not None:
        raise TestFailure("the shared daemon %s/%s is no longer running (exit code %s)\n%s"
                          % (module, key, d.last_exit, d.log_tail()))
    d = Daemon(name="%s-%s" % (module.split(".")[-1], key), **kwargs)
    try:
        d.start()
    except BaseException:
        d.cleanup()  # the test reports why; the next test tries a fresh start
        raise
    _shared[k] = d
    return d


def shared_daemons(module):
    return [(k[1], d) for k, d in _shared.items() if k[0] == module]


def stop_shared(module):
    """Stop the module's shared daemons; return [(key, error or None)]."""
    out = []
    for k in [k for k in _shared if k[0] == module]:
        d = _shared.pop(k)
        err = None
        try:
            if d.proc is not None:
                d.stop()
            else:
                err = "daemon was not running at the end of the module (last exit %s)\n%s" % (
                    d.last_exit, d.log_tail())
        except TestFailure as e:
            err = str(e)
        d.cleanup(remove_state=True)
        out.append((k[1], err))
    return out


def dead_daemons():
    """Daemons that should be running but have exited: [(daemon, exit code)]."""
    dead = []
    for d in list(_live):
        if d.proc is not None and d.proc.poll() is not None:
            d.last_exit = d.proc.returncode
            d.proc = None
            dead.append(d)
    return dead


@atexit.register
def _cleanup_all():
    for d in list(_live):
        d.cleanup(remove_state=True)
