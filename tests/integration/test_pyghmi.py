"""pyghmi (Debian python3-pyghmi) against softbmcd (issue 2, "Must show" item 3).

pyghmi.ipmi.command.Command(bmc, userid, password, port): get_power, set_power(..., wait=N),
get_bootdev, set_bootdev. pyghmi keeps a process-wide socket and background threads, so each
scenario runs in its own /usr/bin/python3 child with a hard timeout; the child prints one JSON
line per step and the test asserts on them (and cross-checks with ipmitool).
"""

import json

import harness as H
from harness import check, check_eq, fail

SCRIPT = r'''
import json, sys
from pyghmi.ipmi import command
host, port, user, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
steps = sys.argv[5:]
def out(**kw):
    print(json.dumps(kw), flush=True)
try:
    c = command.Command(bmc=host, userid=user, password=pw, port=port)
    out(step="login", ok=True)
    for s in steps:
        op, _, arg = s.partition("=")
        if op == "get_power":
            out(step=s, result=c.get_power())
        elif op == "set_power":
            out(step=s, result=c.set_power(arg, wait=30))
        elif op == "get_bootdev":
            out(step=s, result=c.get_bootdev())
        elif op == "set_bootdev":
            out(step=s, result=c.set_bootdev(arg))
    c.ipmi_session.logout()
    out(step="logout", ok=True)
except Exception as e:
    out(step="error", error="%s: %s" % (type(e).__name__, e))
    sys.exit(3)
'''


def D():
    return H.shared_daemon(__name__, config=H.FAST_CONFIG)


def pyghmi(*steps, user="admin", password=None):
    d = D()
    pw = d.admin_password if password is None else password
    r = H.run(["/usr/bin/python3", "-c", SCRIPT, d.host, str(d.port), user, pw] + list(steps),
              timeout=150)
    res = {}
    for line in r.out.split("\n"):
        if line.startswith("{"):
            j = json.loads(line)
            res[j["step"]] = j
    if not r.ok or "error" in res or "logout" not in res:
        fail("pyghmi run failed: %s" % (res.get("error", {}).get("error")), r)
    return res, r


def test_pyghmi_get_set_power():
    res, r = pyghmi("set_power=on", "get_power", "set_power=off", "get_power=after-off",
                    "set_power=on", "get_power=after-on")
    check_eq(res["get_power"]["result"], {"powerstate": "on"}, "get_power after set_power on", r)
    check_eq(res["set_power=off"]["result"], {"powerstate": "off"}, "set_power off (wait)", r)
    check_eq(res["get_power=after-off"]["result"], {"powerstate": "off"}, "get_power after off", r)
    check_eq(res["get_power=after-on"]["result"], {"powerstate": "on"}, "get_power after on", r)
    check_eq(D().power_state(cipher=17), "on", "ipmitool agrees with pyghmi")


def test_pyghmi_get_set_bootdev():
    res, r = pyghmi("set_bootdev=network", "get_bootdev", "set_bootdev=hd", "get_bootdev=after-hd",
                    "set_bootdev=setup", "get_bootdev=after-setup")
    check_eq(res["set_bootdev=network"]["result"], {"bootdev": "network"}, "set_bootdev network", r)
    got = res["get_bootdev"]["result"]
    check_eq(got.get("bootdev"), "network", "get_bootdev after set_bootdev network", r)
    check_eq(got.get("persistent"), False, "set_bootdev default is next boot only", r)
    check_eq(res["get_bootdev=after-hd"]["result"].get("bootdev"), "hd", "get_bootdev after hd", r)
    check_eq(res["get_bootdev=after-setup"]["result"].get("bootdev"), "setup", "get_bootdev after setup", r)
    g = H.expect_ok(D().ipmitool("chassis", "bootparam", "get", 5, cipher=17), "bootparam get 5")
    check("Force Boot into BIOS Setup" in g.out, "ipmitool agrees with pyghmi's last bootdev", g)


def test_pyghmi_wrong_password_refused():
    d = D()
    r = H.run(["/usr/bin/python3", "-c", SCRIPT, d.host, str(d.port), "admin", "wrong-password",
               "get_power"], timeout=150)
    check(not r.ok and '"step": "error"' in r.out and '"step": "login"' not in r.out,
          "pyghmi login with a wrong password must fail", r)
