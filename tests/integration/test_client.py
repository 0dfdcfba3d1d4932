"""The remote-console library (src/client/console.c) against the real daemon, driven by
bench_loadgen: Open Session, RAKP 1-4 as the console with cipher suites 3 and 17, then
authenticated and encrypted Get Device ID / Get Sensor Reading requests, and full session
setup cycles ending in Close Session. The load generator exits 0 only if every session opened
and every request was answered with completion code 0 (no errors, no timeouts), so these
tests prove the library, not a speed: nothing here depends on a figure or on timing.
"""

import os

import harness as H
from harness import check, check_eq, fail

# rate_limit 0: the setup test opens sessions back to back from one address; the per-source
# limit on sessionless traffic (a defence with its own tests in test_defences.py) is off here.
CONFIG = """\
lan:
  max_sessions: 16
  rate_limit: 0
"""


def D():
    return H.shared_daemon(__name__, config=CONFIG, log_level="info")


def loadgen_binary():
    d = os.path.dirname(H.daemon_binary())
    path = os.path.join(d, "bench_loadgen")
    if not os.path.exists(path):
        raise H.Skip("no %s (build the tree first)" % path)
    return path


def loadgen(d, *args, password=None):
    argv = [loadgen_binary(), "--port", str(d.port), "--user", "admin",
            "--password", password if password is not None else d.admin_password,
            "--seconds", "0.5", "--warmup", "0.1"] + list(args)
    return H.run(argv, timeout=30)


def fields(res):
    line = res.out.strip().splitlines()[-1] if res.out.strip() else ""
    return dict(p.split("=", 1) for p in line.split() if "=" in p)


def expect_clean(res, what):
    f = fields(res)
    if res.rc != 0 or not f:
        fail("%s: bench_loadgen failed" % what, res)
    for k in ("errors", "timeouts", "refused"):
        check_eq(f.get(k), "0", "%s: %s" % (what, k), res)
    check(int(f.get("ok", "0")) > 0, "%s: no request was answered" % what, res)
    return f


def test_requests_over_cipher_17_and_3():
    d = D()
    for cipher in ("17", "3"):
        for cmd in ("devid", "sensor:1"):
            expect_clean(loadgen(d, "--cipher", cipher, "--cmd", cmd, "--sessions", "4"),
                         "cipher %s %s" % (cipher, cmd))


def test_session_setup_cycles_close_their_sessions():
    """Setup cycles (Open Session .. RAKP 4, Close Session) with more cycles than the daemon has
    slots: if Close Session did not free them, Open Session would be refused."""
    d = D()
    f = expect_clean(loadgen(d, "--mode", "setup", "--sessions", "4"), "setup cycles")
    check(int(f["ok"]) > 16, "only %s setups in 0.5 s: the 16 slots were not freed" % f["ok"])
    expect_clean(loadgen(d, "--sessions", "16"), "16 sessions after the setup cycles")


def test_wrong_password_is_refused():
    """The console checks RAKP 2's auth code: with a wrong password it refuses to go on, tells
    the BMC so in RAKP 3 (status 0x0F), and the load generator reports failure."""
    d = D()
    res = loadgen(d, "--sessions", "1", password="not-the-password")
    check(res.rc != 0, "bench_loadgen succeeded with a wrong password", res)
    check("could not open" in res.err, "expected a refused session", res)
    H.poll_until(lambda: "console rejected RAKP 2 (status 0x0f)" in d.log_text(), timeout=5,
                 desc="the daemon logging the console's RAKP 3 refusal")
