"""The web console in a real browser (issue 5, "Must show" 1 and 4).

Debian's headless Chromium, driven by playwright-core (npm, tests/web/package.json) through
tests/web/console.mjs, one step per run; between steps ipmitool checks that the console's
action reached the one model: powering the server off and on, a static address and a VLAN
(`lan print 1`), a user created in the console logging in with ipmitool, the SEL it lists,
the identify light (`chassis status` raw byte 3, bits 5:4), the next-boot device (boot
parameter 5). The pages' own validation stops a bad netmask and VLAN before anything is sent.

SCREENSHOTS=DIR keeps the screenshots of each page (docs/images/ holds the committed ones).
"""

import json
import os
import shutil
import tempfile

import harness as H
from harness import check, check_eq, expect_ok, fail, poll_until

WEB = os.path.join(H.REPO, "tests", "web")
NODE = shutil.which("node") or "/usr/bin/node"
SHOTS = os.environ.get("SCREENSHOTS") or tempfile.mkdtemp(prefix="softbmc-ui-shots-", dir="/tmp")


def D():
    return H.shared_daemon(__name__, config=H.FAST_CONFIG, http=True)


def ipmi(*cmd, **kw):
    kw.setdefault("cipher", 17)
    return D().ipmitool(*cmd, **kw)


def browser(step, *args, user="admin", password=None):
    """Runs one console step in Chromium; returns what the page showed (a dict)."""
    if not os.path.exists(os.path.join(WEB, "node_modules", "playwright-core")):
        fail("playwright-core is not installed in tests/web (scripts/deps.sh test does it)")
    d = D()
    argv = [NODE, os.path.join(WEB, "console.mjs"), d.http_url + "/", user,
            password or H.ADMIN_PASSWORD, step] + [str(a) for a in args]
    r = H.run(argv, timeout=150, env=dict(os.environ, SHOTS=SHOTS))
    expect_ok(r, "console step %s" % step)
    try:
        return json.loads(r.out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        fail("console step %s printed no JSON" % step, r)


def identify_state():
    """Chassis status byte 3 bits 5:4: 0 off, 1 on for an interval, 2 on until turned off.
    (ipmitool 1.8.19's `chassis status` does not print them, so the raw reply is read; FreeIPMI's
    `ipmi-chassis --get-chassis-status` prints them and must agree.)"""
    r = expect_ok(ipmi("raw", "0x00", "0x01"), "chassis status")
    state = (int(r.out.split()[2], 16) >> 4) & 3
    f = expect_ok(D().freeipmi("ipmi-chassis", "--get-chassis-status"), "ipmi-chassis")
    want = {0: "off", 1: "Timed on", 2: "Indefinite on"}[state]
    check_eq(f.field("Chassis Identify state"), want, "FreeIPMI's identify state", f)
    return state


# ---------------------------------------------------------------------------------- tests

def test_login_and_live_readings():
    ipmi("chassis", "power", "on")
    D().wait_power("on")
    out = browser("dashboard")
    check_eq(out["user"], "admin (Administrator)", "who is logged in")
    check_eq(out["power"], "On", "dashboard power state")
    check(out["refreshes"] >= 2, "the dashboard did not fetch readings again by itself: %s" % out)
    check("W" in out["readings"] and "°C" in out["readings"],
          "key readings lack a power or temperature value: %r" % out["readings"])


def test_wrong_password_is_refused():
    out = browser("badlogin", password="not-the-password")
    check("Wrong user name or password" in out["error"], "login error shown: %r" % out)


def test_power_off_and_on():
    d = D()
    out = browser("power", "ForceOff", "Off")
    check_eq(out["power"], "Off", "console power state after Power off")
    d.wait_power("off")
    out = browser("power", "On", "On")
    check_eq(out["power"], "On", "console power state after Power on")
    d.wait_power("on")


def test_sensor_page_lists_what_ipmi_reports():
    D().wait_power("on")
    out = browser("sensors")
    names = {r["name"] for r in out["rows"]}
    sdr = expect_ok(ipmi("sdr", "type", "Temperature"), "sdr type Temperature")
    temps = [l.split("|")[0].strip() for l in sdr.out.splitlines() if "|" in l]
    check(temps, "ipmitool lists no temperature sensor", sdr)
    missing = [t for t in temps if t not in names]
    check(not missing, "temperature sensors missing from the console: %s (console: %s)" %
          (missing, sorted(names)))


def test_static_address_and_vlan_reach_ipmi():
    out = browser("network", "invalid", "192.168.50.10", "255.0.255.0", "192.168.50.1", "5000")
    check_eq(out["patches"], 0, "a PATCH went out despite invalid input")
    check(any("netmask" in e for e in out["errors"]) and any("VLAN" in e for e in out["errors"]),
          "validation messages shown: %s" % out["errors"])
    out = browser("network", "static", "192.168.50.10", "255.255.255.0", "192.168.50.1", "100")
    check_eq(out["patches"], 1, "PATCH requests sent")
    lan = expect_ok(ipmi("lan", "print", "1"), "lan print 1")
    check_eq(lan.field("IP Address Source"), "Static Address", "IP source", lan)
    check_eq(lan.field("IP Address"), "192.168.50.10", "IP address", lan)
    check_eq(lan.field("Subnet Mask"), "255.255.255.0", "netmask", lan)
    check_eq(lan.field("Default Gateway IP"), "192.168.50.1", "gateway", lan)
    check_eq(lan.field("802.1q VLAN ID"), "100", "VLAN", lan)
    # and VLAN off again from the console
    browser("network", "static", "192.168.50.10", "255.255.255.0", "192.168.50.1", "off")
    lan = expect_ok(ipmi("lan", "print", "1"), "lan print 1")
    check_eq(lan.field("802.1q VLAN ID"), "Disabled", "VLAN after switching it off", lan)


def test_user_created_in_console_logs_in_with_ipmitool():
    out = browser("adduser", "uiop", "Ui-op-pass-42", "Operator")
    check("uiop" in out["users"], "new user listed: %s" % out)
    r = D().ipmitool("chassis", "power", "status", user="uiop", password="Ui-op-pass-42",
                     cipher=17, priv="OPERATOR")
    expect_ok(r, "ipmitool as the console-created operator")
    check("Chassis Power is" in r.out, "power status output", r)
    # an operator may not reach ADMINISTRATOR
    H.expect_fail(D().ipmitool("mc", "info", user="uiop", password="Ui-op-pass-42",
                               cipher=17, priv="ADMINISTRATOR"), "operator asking for admin")


def test_event_log_matches_the_sel():
    sel = expect_ok(ipmi("sel", "list"), "sel list")
    n = len([l for l in sel.out.splitlines() if "|" in l])
    check(n > 0, "the SEL is empty; power changes should have logged events", sel)
    out = browser("events")
    check_eq(out["count"], "%d of %d entries" % (n, n), "console entry count vs ipmitool")
    ids = [int(r["id"]) for r in out["rows"]]
    check(ids == sorted(ids, reverse=True), "entries are not newest first: %s" % ids)


def test_identify_light():
    browser("identify", "on", "60")
    check_eq(identify_state(), 1, "identify on for an interval (chassis status)")
    browser("identify", "off")
    check_eq(identify_state(), 0, "identify off (chassis status)")
    browser("identify", "on", "0")
    check_eq(identify_state(), 2, "identify on until turned off (chassis status)")
    browser("identify", "off")
    check_eq(identify_state(), 0, "identify off again")


def test_next_boot_device_is_ipmi_boot_parameter_5():
    browser("boot", "Pxe", "Once")
    r = expect_ok(ipmi("chassis", "bootparam", "get", "5"), "bootparam get 5")
    check("Force PXE" in r.out, "boot device after the console set PXE", r)


def test_inventory_and_phone_width():
    expect_ok(ipmi("mc", "setsysinfo", "system_name", "web-node-3"), "setsysinfo system_name")
    out = browser("inventory")
    fru = expect_ok(ipmi("fru", "print", "0"), "fru print 0")
    serial = fru.field("Product Serial")
    check(serial and serial in out["system"], "product serial %r not in the inventory page: %r" %
          (serial, out["system"]), fru)
    check("web-node-3" in out["system"], "the IPMI system name (System Info parameter 2) not "
          "in the inventory page: %r" % out["system"])
    out = browser("narrow")
    check_eq(out["overflow"], False, "the sensors page scrolls sideways at phone width")
