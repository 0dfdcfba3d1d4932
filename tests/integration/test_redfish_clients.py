"""Real Redfish clients against softbmcd (issue 5, "Must show" 2): python3-sushy (Ironic's
library, which logs in with a Redfish session), redfishtool and sushy-cli (`sushycli`) read
the system and its power state, reset it On / ForceOff / ForceRestart, and set a one-time PXE
boot that `ipmitool chassis bootparam get 5` then reports. The clients verify TLS against the
daemon's own generated certificate (its subject alternative names include 127.0.0.1)."""

import json
import os
import re
import shutil

import harness as H
from harness import check, check_eq, expect_ok, fail, poll_until

HERE = os.path.dirname(os.path.abspath(__file__))


def D():
    return H.shared_daemon(__name__, config=H.FAST_CONFIG, http=True)


def need(tool):
    if not shutil.which(tool):
        raise H.Skip("%s is not installed (scripts/deps.sh test)" % tool)


def ca(d):
    return os.path.join(d.state_dir, "https.crt")


def sushy(d, action):
    try:
        import sushy as _  # noqa: F401
    except ImportError:
        raise H.Skip("python3-sushy is not installed (scripts/deps.sh test)")
    r = H.run(["/usr/bin/python3", os.path.join(HERE, "sushy_client.py"), d.http_url, "admin",
               d.admin_password, ca(d), action], env={"REQUESTS_CA_BUNDLE": ca(d)})
    expect_ok(r, "sushy " + action)
    return json.loads(r.out.strip().splitlines()[-1])


def redfishtool(d, *args):
    need("redfishtool")
    return H.run(["redfishtool", "-r", "127.0.0.1:%d" % d.http_port, "-u", "admin", "-p",
                  d.admin_password, "-S", "Always", "-T", "20"] + list(args))


def ipmi_power(d):
    return d.power_state(cipher=17)


def test_sushy_reads_the_system():
    d = D()
    s = sushy(d, "read")
    check_eq(s["system"], "/redfish/v1/Systems/1", "system path")
    check(s["power"] in ("PowerState.ON", "PowerState.OFF", "on", "off"), repr(s))
    check_eq(s["power"].lower().endswith(ipmi_power(d)), True, "sushy power vs ipmitool")
    fru = expect_ok(d.ipmitool("fru", "print", "0", cipher=17), "fru print")
    check_eq(s["serial"], fru.field("Product Serial"), "serial number")
    for t in ("ResetType.ON", "ResetType.FORCE_OFF", "ResetType.FORCE_RESTART"):
        check(t in s["allowed"] or t.split(".")[1].lower() in " ".join(s["allowed"]).lower(),
              "allowed resets %r" % s["allowed"])
    check(s["managers"] == ["1"] and s["redfish_version"], repr(s))


def test_sushy_power_on_off_restart():
    d = D()
    sushy(d, "reset:On")
    d.wait_power("on", cipher=17)
    check(sushy(d, "read")["power"].upper().endswith("ON"), "sushy sees On")
    sushy(d, "reset:ForceOff")
    d.wait_power("off", cipher=17)
    check(sushy(d, "read")["power"].upper().endswith("OFF"), "sushy sees Off")
    sushy(d, "reset:On")
    d.wait_power("on", cipher=17)
    resets = d.log_since_start().count("power: hard reset")
    sushy(d, "reset:ForceRestart")
    poll_until(lambda: d.log_since_start().count("power: hard reset") > resets, timeout=15,
               desc="a hard reset of the simulated server")
    check_eq(ipmi_power(d), "on", "power after ForceRestart")
    res = expect_ok(d.ipmitool("chassis", "restart_cause", cipher=17), "restart cause")
    check("chassis power control command" in res.out.lower(),
          "restart cause after ForceRestart\n" + res.report())


def test_sushy_one_time_pxe_boot_is_ipmi_parameter_5():
    d = D()
    s = sushy(d, "boot:pxe-once")
    check_eq((s["boot_target"].lower().endswith("pxe"), s["boot_enabled"].lower().endswith(
        "once")), (True, True), "sushy boot after set: %r" % s)
    b = expect_ok(d.ipmitool("chassis", "bootparam", "get", "5", cipher=17), "bootparam get 5")
    check("Force PXE" in b.out and "Boot Flag Valid" in b.out and
          "Options apply to only next boot" in b.out, "ipmitool sees a one-time PXE boot\n"
          + b.report())


def test_redfishtool():
    d = D()
    r = expect_ok(redfishtool(d, "Systems", "-1", "get"), "redfishtool Systems get")
    j = json.loads(r.out)
    check_eq(j["Id"], "1", "system Id")
    expect_ok(redfishtool(d, "Systems", "-1", "reset", "ForceOff"), "redfishtool reset ForceOff")
    d.wait_power("off", cipher=17)
    p = expect_ok(redfishtool(d, "-P", "PowerState", "Systems", "-1", "get"), "PowerState")
    check("Off" in p.out, p.report())
    expect_ok(redfishtool(d, "Systems", "-1", "reset", "On"), "redfishtool reset On")
    d.wait_power("on", cipher=17)
    expect_ok(redfishtool(d, "Systems", "-1", "reset", "ForceRestart"),
              "redfishtool reset ForceRestart")
    expect_ok(redfishtool(d, "Systems", "-1", "setBootOverride", "Once", "Pxe"),
              "redfishtool setBootOverride Once Pxe")
    b = expect_ok(d.ipmitool("chassis", "bootparam", "get", "5", cipher=17), "bootparam get 5")
    check("Force PXE" in b.out and "Boot Flag Valid" in b.out, b.report())
    m = expect_ok(redfishtool(d, "Managers", "-1", "get"), "redfishtool Managers get")
    check_eq(json.loads(m.out)["ManagerType"], "BMC", "ManagerType")
    a = expect_ok(redfishtool(d, "AccountService", "Accounts"), "redfishtool accounts")
    check("Accounts" in a.out, a.report())
    s = expect_ok(redfishtool(d, "-A", "Session", "Chassis", "-1", "get"),
                  "redfishtool with a Redfish session")
    check_eq(json.loads(s.out)["Id"], "1", "chassis Id")


def test_sushycli_lists_the_system():
    d = D()
    need("sushycli")
    r = H.run(["sushycli", "system", "list", "-f", "json", "--username", "admin", "--password",
               d.admin_password, "--service-endpoint", d.http_url + "/redfish/v1",
               "--tls-certificates", ca(d)], env={"REQUESTS_CA_BUNDLE": ca(d),
                                                  "HOME": H.TMP})
    expect_ok(r, "sushycli system list")
    rows = json.loads(r.out)
    check(any(row.get("System ID") == "/redfish/v1/Systems/1" for row in rows), r.report())
