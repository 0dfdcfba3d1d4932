"""The HTTPS server and the Redfish service, with curl (issue 5, "Must show" 3 and 4).

One daemon with --http on a free port. curl shows: the service root and $metadata without
credentials, 401 without credentials (Redfish error body), HTTP Basic and X-Auth-Token
sessions (create, use, delete), the cookie + CSRF token of the web console, 403 for a ReadOnly
user's POST, 413 for an oversized body, 400 with a MalformedJSON body for malformed or too
deeply nested JSON, 404/405/409/412, 503 when the sessions are used up (a second daemon with
http.max_sessions: 2), failed web logins locking the user out of IPMI too, accounts created
and changed over Redfish working with ipmitool and the reverse, the LAN configuration and
power written on one side and read on the other, and ipmitool answering while HTTPS is busy.
The generated certificate names the host and loopback addresses and its key is mode 0600.
"""

import json
import os
import re
import stat
import threading

import harness as H
import rmcpplus as RP
from harness import check, check_eq, expect_ok, fail, poll_until
from rfcurl import curl, expect_error, expect_status, login

R = "/redfish/v1"


def D():
    return H.shared_daemon(__name__, config=H.FAST_CONFIG, http=True)


def ipmi(*cmd, **kw):
    kw.setdefault("cipher", 17)
    return D().ipmitool(*cmd, **kw)


# ---------------------------------------------------------------------------- service basics

def test_service_root_without_credentials():
    d = D()
    r = expect_status(curl(d, "GET", R + "/", auth=None), 200, "GET service root")
    check(r.json and r.json.get("RedfishVersion") and re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", r.json.get("UUID", "")),
        "service root lacks RedfishVersion or a UUID\n" + r.report())
    check_eq(r.json["@odata.id"], R, "service root @odata.id")
    check_eq(r.headers.get("odata-version"), "4.0", "OData-Version header")
    m = expect_status(curl(d, "GET", R + "/$metadata", auth=None), 200, "GET $metadata")
    check("edmx:Edmx" in m.text and "ServiceRoot.v1_15_0" in m.text and
          "http://redfish.dmtf.org/schemas/v1/ComputerSystem_v1.xml" in m.text,
          "$metadata is not the CSDL document expected\n" + m.report())
    # a server that closes after answering "Connection: close" must say so (RFC 9112 §9.6);
    # urllib3 (sushy) otherwise reuses the dead connection for its next POST
    c = expect_status(curl(d, "GET", R + "/", auth=None, headers=["Connection: close"]), 200,
                      "GET with Connection: close")
    check_eq(c.headers.get("connection"), "close", "Connection header of the response")
    o = expect_status(curl(d, "GET", R + "/odata", auth=None), 200, "GET odata")
    check(any(v.get("url") == R + "/Systems" for v in o.json["value"]), o.report())


def test_401_without_credentials():
    d = D()
    r = curl(d, "GET", R + "/Systems/1", auth=None)
    expect_error(r, 401, "NoValidSession", "GET Systems/1 without credentials")
    check("basic" in r.headers.get("www-authenticate", "").lower(),
          "401 without a WWW-Authenticate: Basic challenge\n" + r.report())
    expect_error(curl(d, "GET", R + "/Systems/1", password="wrong-password"), 401,
                 "NoValidSession", "GET with a wrong password")
    expect_error(curl(d, "GET", R + "/Systems/1", token="0" * 32), 401, "NoValidSession",
                 "GET with an unknown X-Auth-Token")


def test_session_create_use_delete():
    d = D()
    tok, loc, _ = login(d)
    check(loc.startswith(R + "/SessionService/Sessions/"), "Location " + loc)
    r = expect_status(curl(d, "GET", R + "/Systems/1", token=tok), 200, "GET with the token")
    check(r.json["PowerState"] in ("On", "Off"), r.report())
    s = expect_status(curl(d, "GET", loc, token=tok), 200, "GET own session")
    check_eq(s.json["UserName"], "admin", "session UserName")
    coll = expect_status(curl(d, "GET", R + "/SessionService/Sessions", token=tok), 200, "list")
    check(any(m["@odata.id"] == loc for m in coll.json["Members"]), coll.report())
    expect_status(curl(d, "DELETE", loc, token=tok), 204, "DELETE the session")
    expect_error(curl(d, "GET", R + "/Systems/1", token=tok), 401, "NoValidSession",
                 "the deleted session's token")
    expect_error(curl(d, "POST", R + "/SessionService/Sessions", auth=None,
                      body={"UserName": "admin", "Password": "not-it"}), 401,
                 "NoValidSession", "session login with a wrong password")


def test_console_cookie_needs_csrf_token():
    d = D()
    r = curl(d, "POST", R + "/SessionService/Sessions", auth=None,
             body={"UserName": "admin", "Password": d.admin_password})
    expect_status(r, 201, "login")
    cookie = r.headers.get("set-cookie", "")
    for attr in ("HttpOnly", "Secure", "SameSite=Strict"):
        check(attr in cookie, "session cookie lacks %s: %r" % (attr, cookie))
    pair = cookie.split(";")[0]
    csrf = r.json["Oem"]["Softbmc"]["CsrfToken"]
    expect_status(curl(d, "GET", R + "/Chassis/1", cookie=pair), 200, "GET with the cookie")
    body = {"LocationIndicatorActive": False}
    expect_error(curl(d, "PATCH", R + "/Chassis/1", cookie=pair, body=body), 403,
                 "InsufficientPrivilege", "PATCH with the cookie but no CSRF token")
    expect_error(curl(d, "PATCH", R + "/Chassis/1", cookie=pair, body=body,
                      headers=["X-CSRF-Token: " + "0" * 32]), 403, "InsufficientPrivilege",
                 "PATCH with a wrong CSRF token")
    expect_status(curl(d, "PATCH", R + "/Chassis/1", cookie=pair, body=body,
                       headers=["X-CSRF-Token: " + csrf]), 200, "PATCH with cookie + CSRF")
    expect_status(curl(d, "DELETE", r.headers["location"], cookie=pair,
                       headers=["X-CSRF-Token: " + csrf]), 204, "logout")


# ---------------------------------------------------------------------------- errors and limits

def test_readonly_post_is_403():
    d = D()
    r = curl(d, "POST", R + "/AccountService/Accounts",
             body={"UserName": "viewer", "Password": "View-pw-01", "RoleId": "ReadOnly"})
    expect_status(r, 201, "create a ReadOnly account")
    expect_status(curl(d, "GET", R + "/Systems/1", auth="viewer", password="View-pw-01"), 200,
                  "ReadOnly GET")
    expect_error(curl(d, "POST", R + "/Systems/1/Actions/ComputerSystem.Reset", auth="viewer",
                      password="View-pw-01", body={"ResetType": "On"}), 403,
                 "InsufficientPrivilege", "ReadOnly POST of a reset")
    expect_error(curl(d, "PATCH", R + "/Managers/1/EthernetInterfaces/1", auth="viewer",
                      password="View-pw-01", body={"VLAN": {"VLANEnable": False}}), 403,
                 "InsufficientPrivilege", "ReadOnly PATCH of the network")
    # ConfigureSelf: the own password may change, the role may not
    uid = r.json["Id"]
    expect_error(curl(d, "PATCH", R + "/AccountService/Accounts/" + uid, auth="viewer",
                      password="View-pw-01", body={"RoleId": "Administrator"}), 403,
                 "InsufficientPrivilege", "ReadOnly raising its own role")


def test_oversized_body_is_413():
    d = D()
    path = os.path.join(H.TMP, "big-body.json")
    with open(path, "w") as f:
        f.write('{"UserName": "' + "x" * 200000 + '"}')
    try:
        r = curl(d, "POST", R + "/AccountService/Accounts", data_file=path)
    finally:
        os.unlink(path)
    expect_status(r, 413, "200 kB body")
    check(r.json and "error" in r.json, "413 without a Redfish error body\n" + r.report())
    expect_status(curl(d, "GET", R + "/Systems/1"), 200, "the service after a 413")
    # headers past the 8 KiB limit: refused (libwebsockets drops the connection), no answer
    h = curl(d, "GET", R + "/Systems/1", headers=["X-Big: " + "a" * 20000])
    check(h.status in (0, 431), "a 20 kB header was not refused\n" + h.report())
    expect_status(curl(d, "GET", R + "/Systems/1", headers=["X-Small: " + "a" * 2000]), 200,
                  "a 2 kB header is fine")


def test_malformed_json_is_400():
    d = D()
    for body, what in (('{"UserName": ', "truncated JSON"), ("[1, 2]", "an array"),
                       ('{"a": 1, "a": 2}', "duplicate keys"),
                       ('{"a":' * 40 + "1" + "}" * 40, "JSON nested 40 deep")):
        expect_error(curl(d, "POST", R + "/AccountService/Accounts", body=body), 400,
                     "MalformedJSON", what)
    expect_error(curl(d, "PATCH", R + "/Systems/1", body={"NoSuchProperty": 1}), 400,
                 "PropertyUnknown", "PATCH of an unknown property")
    expect_error(curl(d, "PATCH", R + "/Systems/1", body={"PowerState": "Off"}), 400,
                 "PropertyNotWritable", "PATCH of PowerState")
    expect_error(curl(d, "POST", R + "/Systems/1/Actions/ComputerSystem.Reset",
                      body={"ResetType": "Explode"}), 400, "ActionParameterValueNotInList",
                 "reset type not in the list")


def test_404_405_409_412():
    d = D()
    expect_error(curl(d, "GET", R + "/Systems/2"), 404, "ResourceNotFound", "Systems/2")
    r = expect_error(curl(d, "DELETE", R + "/Systems/1"), 405, "OperationNotAllowed",
                     "DELETE Systems/1")
    check("GET" in r.headers.get("allow", ""), "405 without Allow\n" + r.report())
    body = {"UserName": "dupe", "Password": "Dupe-pw-01", "RoleId": "Operator"}
    expect_status(curl(d, "POST", R + "/AccountService/Accounts", body=body), 201, "create")
    expect_error(curl(d, "POST", R + "/AccountService/Accounts", body=body), 409,
                 "ResourceAlreadyExists", "create the same user name again")
    cur = expect_status(curl(d, "GET", R + "/Chassis/1"), 200, "GET Chassis/1")
    etag = cur.headers.get("etag")
    check(etag and cur.json.get("@odata.etag") == etag, "ETag header and @odata.etag\n"
          + cur.report())
    expect_error(curl(d, "PATCH", R + "/Chassis/1", body={"LocationIndicatorActive": False},
                      headers=['If-Match: W/"0000000000000000"']), 412, "PreconditionFailed",
                 "PATCH with a stale If-Match")
    expect_status(curl(d, "PATCH", R + "/Chassis/1", body={"LocationIndicatorActive": False},
                       headers=["If-Match: " + etag]), 200, "PATCH with the current If-Match")


def test_session_limit_is_503():
    d = H.shared_daemon(__name__, key="few-sessions", http=True,
                        config="http:\n  max_sessions: 2\n")
    toks = [login(d)[0] for _ in range(2)]
    r = curl(d, "POST", R + "/SessionService/Sessions", auth=None,
             body={"UserName": "admin", "Password": d.admin_password})
    expect_error(r, 503, "SessionLimitExceeded", "a third session with max_sessions 2")
    expect_status(curl(d, "GET", R + "/Systems/1"), 200, "Basic still works when full")
    expect_status(curl(d, "DELETE", R + "/SessionService/Sessions/1", token=toks[0]), 204,
                  "free one")
    login(d)


def test_failed_web_logins_lock_ipmi_too():
    d = D()
    expect_status(curl(d, "POST", R + "/AccountService/Accounts", body={
        "UserName": "locky", "Password": "Locky-pw-01", "RoleId": "Operator"}), 201, "create")
    # lockout after 3 failures for 60 s (LAN parameter 26), shown as AccountService properties
    expect_status(curl(d, "PATCH", R + "/AccountService", body={
        "AccountLockoutThreshold": 3, "AccountLockoutDuration": 60}), 200, "set lockout")
    lan = expect_ok(ipmi("lan", "print", "1"), "lan print")
    check(re.search(r"Bad Password Threshold\s*:\s*3", lan.out), "IPMI sees threshold 3\n"
          + lan.report())
    expect_ok(ipmi("chassis", "power", "status", user="locky", password="Locky-pw-01",
                   priv="OPERATOR"), "locky over IPMI before")
    for _ in range(3):
        expect_error(curl(d, "GET", R + "/Systems/1", auth="locky", password="wrong"), 401,
                     "NoValidSession", "wrong password")
    expect_error(curl(d, "GET", R + "/Systems/1", auth="locky", password="Locky-pw-01"), 401,
                 "NoValidSession", "the right password while locked out")
    H.expect_fail(ipmi("chassis", "power", "status", user="locky", password="Locky-pw-01",
                       priv="OPERATOR"), "IPMI login of the locked-out user")
    acc = expect_status(curl(d, "GET", R + "/AccountService/Accounts"), 200, "accounts")
    for m in acc.json["Members"]:
        a = curl(d, "GET", m["@odata.id"]).json
        if a["UserName"] == "locky":
            check(a["Locked"] is True, "account shows Locked\n" + json.dumps(a))
    expect_status(curl(d, "PATCH", R + "/AccountService", body={"AccountLockoutThreshold": 0}),
                  200, "lockout off again")


# ---------------------------------------------------------------------------- one model

def account_id(d, name):
    acc = expect_status(curl(d, "GET", R + "/AccountService/Accounts"), 200, "accounts")
    for m in acc.json["Members"]:
        a = curl(d, "GET", m["@odata.id"]).json
        if a["UserName"] == name:
            return a["Id"]
    fail("no account %s" % name)


def test_accounts_are_the_ipmi_users():
    d = D()
    r = curl(d, "POST", R + "/AccountService/Accounts",
             body={"UserName": "oper", "Password": "Oper-pw-0001", "RoleId": "Operator"})
    expect_status(r, 201, "create an Operator")
    uid = r.json["Id"]
    check(r.headers.get("location", "").endswith("/Accounts/" + uid), r.report())
    # the same user logs in with ipmitool at OPERATOR
    expect_ok(ipmi("chassis", "power", "status", user="oper", password="Oper-pw-0001",
                   priv="OPERATOR"), "ipmitool as the Redfish-created user")
    ul = expect_ok(ipmi("user", "list", "1"), "user list")
    check(re.search(r"^%s\s+oper\s+.*OPERATOR" % uid, ul.out, re.M), ul.report())
    # a 20-character password (MaxPasswordLength) works for both
    pw20 = "Twenty-chars-pw-0020"
    expect_status(curl(d, "PATCH", R + "/AccountService/Accounts/" + uid,
                       body={"Password": pw20}), 200, "20-character password")
    expect_ok(ipmi("chassis", "power", "status", user="oper", password=pw20, priv="OPERATOR"),
              "ipmitool with the 20-character password")
    expect_error(curl(d, "PATCH", R + "/AccountService/Accounts/" + uid,
                      body={"Password": "x" * 21}), 400, "PropertyValueFormatError",
                 "a 21-character password")
    # IPMI changes the privilege: Redfish shows the role
    expect_ok(ipmi("channel", "setaccess", 1, uid, "privilege=2"), "setaccess USER")
    a = expect_status(curl(d, "GET", R + "/AccountService/Accounts/" + uid), 200, "GET")
    check_eq(a.json["RoleId"], "ReadOnly", "role after IPMI privilege=2")
    expect_ok(ipmi("user", "disable", uid), "IPMI user disable")
    check_eq(curl(d, "GET", R + "/AccountService/Accounts/" + uid).json["Enabled"], False,
             "Enabled after IPMI disable")
    expect_status(curl(d, "PATCH", R + "/AccountService/Accounts/" + uid,
                       body={"Enabled": True, "RoleId": "Administrator"}), 200, "PATCH")
    expect_ok(ipmi("mc", "info", user="oper", password=pw20, priv="ADMINISTRATOR"),
              "ipmitool at ADMINISTRATOR after the Redfish role change")
    expect_status(curl(d, "DELETE", R + "/AccountService/Accounts/" + uid), 204, "DELETE")
    H.expect_fail(ipmi("mc", "info", user="oper", password=pw20), "deleted user over IPMI")
    roles = expect_status(curl(d, "GET", R + "/AccountService/Roles"), 200, "roles")
    check_eq(sorted(m["@odata.id"].rsplit("/", 1)[1] for m in roles.json["Members"]),
             ["Administrator", "Operator", "ReadOnly"], "roles")
    svc = curl(d, "GET", R + "/AccountService").json
    check_eq(svc["MaxPasswordLength"], 20, "MaxPasswordLength")


def test_network_one_model():
    d = D()
    r = curl(d, "PATCH", R + "/Managers/1/EthernetInterfaces/1", body={
        "DHCPv4": {"DHCPEnabled": False},
        "IPv4StaticAddresses": [{"Address": "192.168.50.20", "SubnetMask": "255.255.255.0",
                                 "Gateway": "192.168.50.1"}],
        "VLAN": {"VLANEnable": True, "VLANId": 42}})
    expect_status(r, 200, "PATCH the LAN configuration")
    lan = expect_ok(ipmi("lan", "print", "1"), "lan print")
    for field, want in (("IP Address Source", "Static Address"), ("IP Address", "192.168.50.20"),
                        ("Subnet Mask", "255.255.255.0"), ("Default Gateway IP", "192.168.50.1"),
                        ("802.1q VLAN ID", "42")):
        check_eq(lan.field(field), want, "lan print %s" % field, lan)
    expect_ok(ipmi("lan", "set", 1, "ipaddr", "192.168.50.33"), "lan set ipaddr")
    expect_ok(ipmi("lan", "set", 1, "vlan", "id", "off"), "lan set vlan off")
    e = expect_status(curl(d, "GET", R + "/Managers/1/EthernetInterfaces/1"), 200, "GET")
    check_eq(e.json["IPv4StaticAddresses"][0]["Address"], "192.168.50.33", "address from IPMI")
    check_eq(e.json["VLAN"]["VLANEnable"], False, "VLAN off from IPMI")
    # invalid: nothing changes
    expect_error(curl(d, "PATCH", R + "/Managers/1/EthernetInterfaces/1", body={
        "IPv4StaticAddresses": [{"Gateway": "10.9.9.1"}]}), 400, "PropertyValueConflict",
        "a gateway outside the subnet")
    expect_error(curl(d, "PATCH", R + "/Managers/1/EthernetInterfaces/1", body={
        "VLAN": {"VLANId": 5000}}), 400, "PropertyValueOutOfRange", "VLAN 5000")
    check_eq(expect_ok(ipmi("lan", "print", "1")).field("Default Gateway IP"), "192.168.50.1",
             "gateway unchanged after the refused PATCH")
    expect_status(curl(d, "PATCH", R + "/Managers/1/EthernetInterfaces/1",
                       body={"DHCPv4": {"DHCPEnabled": True}}), 200, "back to DHCP")
    check_eq(expect_ok(ipmi("lan", "print", "1")).field("IP Address Source"), "DHCP Address",
             "DHCP from Redfish")


def power(d):
    return curl(d, "GET", R + "/Systems/1").json["PowerState"]


def reset(d, kind):
    return expect_status(curl(d, "POST", R + "/Systems/1/Actions/ComputerSystem.Reset",
                              body={"ResetType": kind}), 204, "Reset " + kind)


def test_power_and_identify_one_model():
    d = D()
    reset(d, "On")
    d.wait_power("on", cipher=17)
    reset(d, "ForceOff")
    d.wait_power("off", cipher=17)
    check_eq(power(d), "Off", "PowerState after ForceOff")
    expect_ok(ipmi("chassis", "power", "on"), "ipmitool power on")
    poll_until(lambda: power(d) == "On", timeout=15, desc="Redfish PowerState On")
    reset(d, "GracefulShutdown")
    d.wait_power("off", timeout=20, cipher=17)
    expect_error(curl(d, "POST", R + "/Systems/1/Actions/ComputerSystem.Reset",
                      body={"ResetType": "ForceRestart"}), 409, "ActionNotSupported",
                 "ForceRestart while off")
    reset(d, "On")
    d.wait_power("on", timeout=20, cipher=17)
    reset(d, "PowerCycle")
    poll_until(lambda: "power: off" in d.log_since_start().split("Reset PowerCycle")[-1] or
               "cycle" in d.log_since_start().split("Reset PowerCycle")[-1],
               timeout=20, desc="the power cycle")
    d.wait_power("on", timeout=20, cipher=17)
    reset(d, "GracefulRestart")
    poll_until(lambda: "power: off" in d.log_since_start().split("GracefulRestart")[-1],
               timeout=20, desc="the graceful restart's soft-off")
    d.wait_power("on", timeout=20, cipher=17)
    # identify: Redfish on -> IPMI Get Chassis Status byte 4 (bits 5:4 = 2 indefinite)
    expect_status(curl(d, "PATCH", R + "/Chassis/1", body={"LocationIndicatorActive": True}),
                  200, "identify on")
    st = expect_ok(ipmi("raw", "0x00", "0x01"), "Get Chassis Status").hex_bytes()
    check_eq((st[2] >> 4) & 3, 2, "IPMI identify state (misc chassis state bits 5:4)", None)
    expect_ok(ipmi("chassis", "identify", "0"), "IPMI identify off")
    ch = curl(d, "GET", R + "/Chassis/1").json
    check_eq((ch["LocationIndicatorActive"], ch["IndicatorLED"]), (False, "Off"),
             "Redfish identify after IPMI off")


def test_boot_override_is_parameter_5():
    d = D()
    expect_status(curl(d, "PATCH", R + "/Systems/1", body={"Boot": {
        "BootSourceOverrideEnabled": "Once", "BootSourceOverrideTarget": "Pxe",
        "BootSourceOverrideMode": "UEFI"}}), 200, "PATCH Boot")
    b = expect_ok(ipmi("chassis", "bootparam", "get", "5"), "bootparam get 5")
    check("Force PXE" in b.out and "Boot Flag Valid" in b.out and "BIOS EFI boot" in b.out and
          "Options apply to only next boot" in b.out, "param 5 after Redfish\n" + b.report())
    expect_ok(ipmi("chassis", "bootdev", "disk", "options=persistent"), "bootdev disk")
    boot = curl(d, "GET", R + "/Systems/1").json["Boot"]
    check_eq((boot["BootSourceOverrideEnabled"], boot["BootSourceOverrideTarget"],
              boot["BootSourceOverrideMode"]), ("Continuous", "Hdd", "Legacy"),
             "Redfish Boot after ipmitool bootdev disk persistent")
    expect_status(curl(d, "PATCH", R + "/Systems/1", body={"Boot": {
        "BootSourceOverrideEnabled": "Disabled"}}), 200, "override off")
    check("Boot Flag Invalid" in expect_ok(ipmi("chassis", "bootparam", "get", "5")).out,
          "valid bit cleared")


def test_fru_and_sel_one_model():
    d = D()
    expect_status(curl(d, "PATCH", R + "/Systems/1", body={"AssetTag": "RACK-07-U12"}), 200,
                  "PATCH AssetTag")
    fru = expect_ok(ipmi("fru", "print", "0"), "fru print")
    check_eq(fru.field("Product Asset Tag"), "RACK-07-U12", "asset tag over IPMI", fru)
    sysj = curl(d, "GET", R + "/Systems/1").json
    check_eq(sysj["SerialNumber"], fru.field("Product Serial"), "SerialNumber = FRU")
    check_eq(sysj["Manufacturer"], fru.field("Product Manufacturer"), "Manufacturer = FRU")
    # SEL: an entry added over IPMI shows in Redfish; ClearLog empties it for IPMI
    expect_ok(ipmi("raw", "0x0a", "0x44", "0x00", "0x00", "0x02", "0x00", "0x00", "0x00",
                   "0x00", "0x41", "0x00", "0x04", "0x01", "0x37", "0x01", "0x09", "0xff",
                   "0xff"), "Add SEL Entry (temperature 0x37 upper critical going high)")
    e = expect_status(curl(d, "GET", R + "/Managers/1/LogServices/SEL/Entries"), 200, "entries")
    last = e.json["Members"][-1]
    check_eq((last["SensorType"], last["SensorNumber"], last["Severity"], last["EntryType"]),
             ("Temperature", 0x37, "Critical", "SEL"), "the added entry", None)
    check(last["EntryCode"] == "Upper Critical - going high", json.dumps(last))
    expect_status(curl(d, "POST", R + "/Managers/1/LogServices/SEL/Actions/LogService.ClearLog",
                       body={}), 204, "ClearLog")
    info = expect_ok(ipmi("sel", "info"), "sel info")
    check_eq(info.field("Entries"), "1", "SEL entries after ClearLog (the 'cleared' event)",
             info)


def test_system_info_parameters_are_hostname_and_bios_version():
    d = D()
    expect_ok(ipmi("mc", "setsysinfo", "system_name", "rf-node-9"), "setsysinfo system_name")
    # System Firmware Version (parameter 1), set 0: Latin-1, 12 bytes, "BIOS 2.4.1 \xe9"
    fw = b"BIOS 2.4.1 \xe9"
    block = bytes([0x00, len(fw)]) + fw + bytes(14 - len(fw))
    expect_ok(ipmi("raw", "0x06", "0x58", "0x01", "0x00", *["0x%02x" % b for b in block]),
              "Set System Info Parameters: firmware version")
    sysj = expect_status(curl(d, "GET", R + "/Systems/1"), 200, "GET Systems/1").json
    check_eq(sysj.get("HostName"), "rf-node-9", "HostName = IPMI system name")
    check_eq(sysj.get("BiosVersion"), "BIOS 2.4.1 \u00e9", "BiosVersion = firmware version")


def test_thermal_power_sensors_match_ipmi():
    d = D()
    reset(d, "On")
    d.wait_power("on", cipher=17)
    th = poll_until(lambda: (lambda j: j if all(t["ReadingCelsius"] is not None
                                               for t in j["Temperatures"]) else None)(
        curl(d, "GET", R + "/Chassis/1/Thermal").json), timeout=15, desc="temperatures")
    sdr = expect_ok(ipmi("sdr", "type", "Temperature"), "sdr type Temperature")
    for t in th["Temperatures"]:
        m = re.search(r"^%s\s*\|\s*%02Xh.*\|\s*(-?\d+) degrees C" % (re.escape(t["Name"]),
                      t["SensorNumber"]), sdr.out, re.M)
        check(m, "IPMI has %s\n%s" % (t["Name"], sdr.report()))
        check(abs(int(m.group(1)) - t["ReadingCelsius"]) <= 3,
              "%s: Redfish %s vs IPMI %s" % (t["Name"], t["ReadingCelsius"], m.group(1)))
        check(t["PhysicalContext"] and "UpperThresholdCritical" in t, json.dumps(t))
    pw = curl(d, "GET", R + "/Chassis/1/Power").json
    check(pw["PowerControl"][0]["PowerConsumedWatts"] is not None and pw["Voltages"],
          json.dumps(pw)[:800])
    sens = expect_status(curl(d, "GET", R + "/Chassis/1/Sensors"), 200, "Sensors")
    check(sens.json["Members@odata.count"] >= len(th["Temperatures"]), sens.report())
    one = expect_status(curl(d, "GET", sens.json["Members"][0]["@odata.id"]), 200, "a sensor")
    check(one.json["ReadingUnits"] and "Thresholds" in one.json, one.report())


def test_manager_and_protocols():
    d = D()
    m = expect_status(curl(d, "GET", R + "/Managers/1"), 200, "Managers/1")
    mc = expect_ok(ipmi("mc", "info"), "mc info")
    check_eq(m.json["ManagerType"], "BMC", "ManagerType")
    ipmi_rev = [int(x) for x in mc.field("Firmware Revision").split(".")]  # "0.01"
    check_eq([int(x) for x in m.json["FirmwareVersion"].split(".")[:2]], ipmi_rev,
             "FirmwareVersion major.minor vs mc info", mc)
    n = curl(d, "GET", R + "/Managers/1/NetworkProtocol").json
    check_eq((n["HTTPS"]["Port"], n["IPMI"]["Port"]), (d.http_port, d.port), "ports")
    expect_status(curl(d, "POST", R + "/Managers/1/Actions/Manager.Reset",
                       body={"ResetType": "GracefulRestart"}), 204, "Manager.Reset")
    expect_ok(ipmi("mc", "info"), "IPMI after the BMC reset")


def test_cold_reset_ends_sessions_on_every_transport():
    """A cold reset of the BMC ends every session whoever asked for it: Redfish ForceRestart
    ends an open IPMI LAN session, and an IPMI Cold Reset (ipmitool mc reset cold) ends an
    open Redfish session. New logins work at once on both."""
    d = D()
    c = RP.RmcpPlus(d.host, d.port, suite=2).login("admin", d.admin_password)
    try:
        check(c.call(0x06, 0x01) is not None, "Get Device ID in the open LAN session")
        tok, _, _ = login(d)
        expect_status(curl(d, "POST", R + "/Managers/1/Actions/Manager.Reset", token=tok,
                           body={"ResetType": "ForceRestart"}), 204, "Manager.Reset ForceRestart")
        _, r = c.request(0x06, 0x01, timeout=2.0)
        check(r is None, "the LAN session is gone after a Redfish cold reset: %r" % (r,))
        expect_error(curl(d, "GET", R + "/Systems/1", token=tok), 401, "NoValidSession",
                     "the Redfish session is gone too")
    finally:
        c.close_socket()
    tok, _, _ = login(d)
    expect_status(curl(d, "GET", R + "/Systems/1", token=tok), 200, "a new Redfish session")
    r = expect_ok(ipmi("mc", "reset", "cold"), "ipmitool mc reset cold")
    check("cold reset" in r.out, "cold reset sent", r)
    expect_error(curl(d, "GET", R + "/Systems/1", token=tok), 401, "NoValidSession",
                 "the Redfish session made before an IPMI cold reset")
    expect_ok(ipmi("mc", "info"), "IPMI after the cold reset")


def test_ipmi_answers_while_https_is_busy():
    d = D()
    stop = threading.Event()
    counts = {"ok": 0, "bad": 0}

    def hammer():
        while not stop.is_set():
            r = curl(d, "GET", R + "/Chassis/1/Thermal", timeout=10)
            counts["ok" if r.status == 200 else "bad"] += 1

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(3):
            expect_ok(ipmi("mc", "info"), "ipmitool while HTTPS is busy")
            expect_ok(ipmi("sdr", "list"), "ipmitool sdr while HTTPS is busy")
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    check(counts["ok"] > 0 and counts["bad"] == 0, "HTTPS requests meanwhile: %r" % counts)


def test_certificate():
    d = D()
    key = os.path.join(d.state_dir, "https.key")
    check_eq(stat.S_IMODE(os.stat(key).st_mode), 0o600, "https.key mode")
    r = expect_ok(H.run(["openssl", "x509", "-in", os.path.join(d.state_dir, "https.crt"),
                         "-noout", "-text"]), "openssl x509")
    for want in ("DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
                 "DNS:" + os.uname().nodename):
        check(want in r.out, "certificate lacks %s\n%s" % (want, r.report()))
    s = H.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % d.http_port,
               "-servername", "localhost"], input_text="", timeout=20)
    check("BEGIN CERTIFICATE" in s.out, "the server presents the certificate\n" + s.report())
