"""Persistence across restarts and crashes (issue 2, "Must show" item 5), and secrets at rest.

* Settings made through ipmitool (user name/password/privilege/enable, user channel access,
  channel access, boot device, power restore policy) read back unchanged after SIGTERM + restart.
* kill -9 right after ipmitool reports a user change: the change is there after restart.
* No plaintext password in the database files; initial-admin-password (when generated) and
  secret.key are mode 0600; the generated password is random, printed once, and works.

Each test owns its daemon(s): they stop and restart the process.
"""

import os
import re
import stat

import harness as H
from harness import check, check_eq, expect_ok, fail

C17 = dict(cipher=17)


def ok(d, *cmd, **kw):
    kw.setdefault("cipher", 17)
    return expect_ok(d.ipmitool(*cmd, **kw), " ".join(map(str, cmd)))


def user_row(d, uid):
    r = ok(d, "user", "list", 1)
    for line in r.out.split("\n"):
        if re.match(r"^%d\s" % uid, line):
            return line.rstrip()
    fail("user %d not in user list" % uid, r)


def snapshot(d):
    """Everything this module sets, as ipmitool prints it."""
    s = {}
    s["user list"] = ok(d, "user", "list", 1).out
    for uid in (3, 4):
        s["getaccess %d" % uid] = ok(d, "channel", "getaccess", 1, uid).out
    s["bootparam 5"] = ok(d, "chassis", "bootparam", "get", 5).out
    s["policy"] = ok(d, "chassis", "status").field("Power Restore Policy")
    ci = ok(d, "channel", "info", 1).out
    s["channel info"] = "\n".join(l for l in ci.split("\n") if "Active Session Count" not in l)
    s["guid"] = ok(d, "mc", "guid").field("System GUID")
    return s


def login_ok(d, user, pw, what, **kw):
    kw.setdefault("cipher", 17)
    r = d.ipmitool("chassis", "power", "status", user=user, password=pw, **kw)
    if not r.ok:
        fail("%s: login as %s should succeed" % (what, user), r)


def login_refused(d, user, pw, what, **kw):
    kw.setdefault("cipher", 17)
    r = d.ipmitool("chassis", "power", "status", user=user, password=pw, **kw)
    H.expect_fail(r, "%s: login as %s" % (what, user))


def _other(current, choices):
    return [c for c in choices if c != current][0]


def test_settings_survive_sigterm_restart():
    d = H.Daemon(name="persist-restart", config=H.FAST_CONFIG)
    try:
        d.start()
        # users: 3 = OPERATOR with a 16-byte password, 4 = disabled, 20-byte password
        ok(d, "user", "set", "name", 3, "pat")
        ok(d, "user", "set", "password", 3, "Pat-pw-000003", 16)
        ok(d, "channel", "setaccess", 1, 3, "callin=on", "ipmi=on", "link=on", "privilege=3")
        ok(d, "user", "enable", 3)
        ok(d, "user", "set", "name", 4, "quinn")
        ok(d, "user", "set", "password", 4, "Quinn-pw-twenty-20b!", 20)
        ok(d, "channel", "setaccess", 1, 4, "ipmi=on", "privilege=2")
        ok(d, "user", "disable", 4)
        # boot device, persistent so that no power-on may consume it
        ok(d, "chassis", "power", "off")
        d.wait_power("off", cipher=17)
        ok(d, "chassis", "bootdev", "bios", "options=persistent")
        # power restore policy: something other than the current one, never powering on at start
        cur = ok(d, "chassis", "status").field("Power Restore Policy")
        policy = _other(cur, ["previous", "always-off"])
        ok(d, "chassis", "policy", policy)
        # channel access (Set Channel Access): flip PEF alerting, non-volatile and volatile
        ci = ok(d, "channel", "info", 1)
        alerts = re.findall(r"Alerting\s*:\s*(enabled|disabled)", ci.out)
        check_eq(len(alerts), 2, "volatile and non-volatile Alerting lines", ci)
        alert_on = alerts[1] == "enabled"  # the non-volatile setting
        bit = 0x20 if alert_on else 0x00  # bit 5 = 1: alerting disabled
        ok(d, "raw", "0x06", "0x40", "0x01", "0x%02x" % (0x40 | bit | 0x02), "0x44")
        ok(d, "raw", "0x06", "0x40", "0x01", "0x%02x" % (0x80 | bit | 0x02), "0x84")
        ci2 = ok(d, "channel", "info", 1)
        want_alert = "disabled" if alert_on else "enabled"
        check_eq(re.findall(r"Alerting\s*:\s*(enabled|disabled)", ci2.out), [want_alert] * 2,
                 "Set Channel Access (volatile and non-volatile alerting) read back", ci2)

        before = snapshot(d)
        check("pat" in before["user list"] and "quinn" in before["user list"], "setup", None)
        check("- Options apply to all future boots" in before["bootparam 5"]
              and "Force Boot into BIOS Setup" in before["bootparam 5"], "bootdev setup: %s"
              % before["bootparam 5"])
        check_eq(before["policy"], policy, "policy setup")

        d.restart()  # SIGTERM: exit code 0 asserted, same state dir
        after = snapshot(d)
        for k in before:
            if before[k] != after[k]:
                fail("after SIGTERM and restart, %r changed:\n--- before\n%s\n--- after\n%s\n%s"
                     % (k, before[k], after[k], d.log_tail()))
        login_ok(d, "pat", "Pat-pw-000003", "restored 16-byte password, lanplus", priv="OPERATOR")
        login_ok(d, "pat", "Pat-pw-000003", "restored 16-byte password, IPMI 1.5",
                 interface="lan", cipher=None, priv="OPERATOR")
        login_refused(d, "quinn", "Quinn-pw-twenty-20b!", "restored disabled user", priv="USER")
        ok(d, "user", "enable", 4)
        login_ok(d, "quinn", "Quinn-pw-twenty-20b!", "restored 20-byte password", priv="USER")
        login_ok(d, "admin", d.admin_password, "admin after restart")
        d.stop()
    finally:
        d.cleanup()


def test_user_change_survives_kill9():
    d = H.Daemon(name="persist-kill9", config=H.FAST_CONFIG)
    try:
        d.start()
        ok(d, "user", "set", "name", 5, "rory")
        ok(d, "user", "set", "password", 5, "Rory-pw-first", 16)
        ok(d, "channel", "setaccess", 1, 5, "ipmi=on", "privilege=4")
        ok(d, "user", "enable", 5)
        login_ok(d, "rory", "Rory-pw-first", "before crash")

        # each change: ipmitool acknowledges it, then SIGKILL at once, then restart
        ok(d, "user", "set", "name", 6, "sasha")
        d.kill9()
        d.start_again()
        row = user_row(d, 6)
        check_eq(row[4:21].strip(), "sasha", "user 6 name after kill -9")

        ok(d, "user", "set", "password", 5, "Rory-pw-second", 16)
        d.kill9()
        d.start_again()
        login_ok(d, "rory", "Rory-pw-second", "new password after kill -9")
        login_refused(d, "rory", "Rory-pw-first", "old password after kill -9")

        ok(d, "user", "priv", 5, 2, 1)
        d.kill9()
        d.start_again()
        check_eq(user_row(d, 5)[51:].strip(), "USER", "user 5 privilege after kill -9")

        ok(d, "user", "disable", 5)
        d.kill9()
        d.start_again()
        login_refused(d, "rory", "Rory-pw-second", "disabled user after kill -9", priv="USER")
        d.stop()
    finally:
        d.cleanup()


def _state_files(d):
    """Regular files of the state dir (not the control socket, which holds no data)."""
    out = []
    for root, _, files in os.walk(d.state_dir):
        for f in files:
            if os.path.isfile(os.path.join(root, f)):
                out.append(os.path.join(root, f))
    return out


def test_no_plaintext_password_at_rest():
    d = H.Daemon(name="persist-secrets", config=H.FAST_CONFIG)
    try:
        d.start()
        secrets = {"admin": d.admin_password, "u3": "Plain-Check-16pw", "u4": "Plain-Check-20-bytes"}
        ok(d, "user", "set", "name", 3, "tess")
        ok(d, "user", "set", "password", 3, secrets["u3"], 16)
        ok(d, "user", "set", "name", 4, "uri")
        ok(d, "user", "set", "password", 4, secrets["u4"], 20)
        files = _state_files(d)
        check(any(os.path.basename(f) == "softbmc.db" for f in files),
              "no softbmc.db in the state dir: %s" % files)
        check(any(os.path.basename(f) == "secret.key" for f in files),
              "no secret.key in the state dir: %s" % files)

        def scan(when):
            for path in _state_files(d):
                if os.path.basename(path) == "initial-admin-password":
                    continue
                with open(path, "rb") as f:
                    blob = f.read()
                for who, pw in secrets.items():
                    for form, needle in (("plain", pw.encode()), ("hex", pw.encode().hex().encode()),
                                         ("HEX", pw.encode().hex().upper().encode()),
                                         ("utf-16", pw.encode("utf-16-le"))):
                        if needle in blob:
                            fail("%s: the %s password of %s is in %s (%s form)"
                                 % (when, who, who, path, form))
        scan("while running")
        d.stop()
        scan("after shutdown")
        st = os.stat(os.path.join(d.state_dir, "secret.key"))
        check_eq(stat.S_IMODE(st.st_mode), 0o600, "secret.key mode")
    finally:
        d.cleanup()


def test_generated_admin_password():
    """No SOFTBMC_ADMIN_PASSWORD: a random 16-char password, printed once, file mode 0600."""
    a = H.Daemon(name="persist-genpw-a", admin_password=None)
    b = H.Daemon(name="persist-genpw-b", admin_password=None)
    try:
        a.start()
        path = os.path.join(a.state_dir, "initial-admin-password")
        check(os.path.exists(path), "initial-admin-password not written\n" + a.log_tail())
        check_eq(stat.S_IMODE(os.stat(path).st_mode), 0o600, "initial-admin-password mode")
        check_eq(stat.S_IMODE(os.stat(os.path.join(a.state_dir, "secret.key")).st_mode), 0o600,
                 "secret.key mode")
        with open(path) as f:
            pw = f.read().strip()
        check(len(pw) == 16 and pw.isprintable() and " " not in pw,
              "generated password must be 16 printable characters, got %r" % pw)
        check(pw in a.log_since_start(), "the generated password must be printed at first start\n"
              + a.log_tail())
        a.admin_password = pw
        login_ok(a, "admin", pw, "generated admin password, lanplus")
        login_ok(a, "admin", pw, "generated admin password, IPMI 1.5", interface="lan", cipher=None)
        a.restart()
        check(pw not in a.log_since_start(), "the password must be printed only at first start\n"
              + a.log_tail())
        login_ok(a, "admin", pw, "generated admin password after restart")
        a.stop()

        b.start()
        with open(os.path.join(b.state_dir, "initial-admin-password")) as f:
            pw_b = f.read().strip()
        check(pw_b != pw, "two fresh state dirs must get different admin passwords")
        b.stop()
    finally:
        a.cleanup()
        b.cleanup()


def test_env_password_no_generated_file():
    """With SOFTBMC_ADMIN_PASSWORD the given password works and no password file is written."""
    d = H.Daemon(name="persist-envpw", admin_password="Env-Given-pw-01")
    try:
        d.start()
        check(not os.path.exists(os.path.join(d.state_dir, "initial-admin-password")),
              "initial-admin-password written although SOFTBMC_ADMIN_PASSWORD was set")
        login_ok(d, "admin", "Env-Given-pw-01", "admin with the env password")
        check("Env-Given-pw-01" not in d.log_text(), "the admin password must not be logged")
        # a later start with another env value does not reset an existing admin
        d.stop()
        d.admin_password = "Other-env-pw-02"
        d.start()
        login_ok(d, "admin", "Env-Given-pw-01", "existing admin keeps its password on restart")
        d.stop()
    finally:
        d.cleanup()
