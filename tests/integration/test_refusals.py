"""Refusals, each with the right status or completion code (issue 2, "Must show" item 4).

Cipher suite 0; wrong password; unknown user (RMCP+ status 0x0D and a RAKP 2 without HMAC);
null user name; Chassis Control from a USER-privilege session (0xD4); IPMI 1.5 auth type none
(and straight password); a replayed packet; a session used after Close Session.

Client-visible behaviour is checked with ipmitool (with -v, which prints the RAKP status text);
the wire-level facts with the stdlib RMCP+/1.5 client in rmcpplus.py (cipher suite 2). The last
test starts a second daemon with suite 0 and auth types none/straight enabled in its config, as
a positive control: the same requests are accepted there, so the refusals above come from the
policy and not from a broken code path.
"""

import struct

import harness as H
import rmcpplus as R
from harness import check, check_eq, expect_fail, expect_ok, fail

USER_UID, USER_NAME, USER_PW = 6, "uma", "Uma-user-pw-06"
NO_REPLY_WAIT = 1.0  # seconds to wait for a reply that must NOT come


def D():
    d = H.shared_daemon(__name__, config=H.FAST_CONFIG)
    if not getattr(d, "_refusals_setup", False):
        # a USER-privilege user, created by the admin through ipmitool
        for cmd in (("user", "set", "name", USER_UID, USER_NAME),
                    ("user", "set", "password", USER_UID, USER_PW, 16),
                    ("channel", "setaccess", 1, USER_UID, "callin=on", "ipmi=on", "link=on",
                     "privilege=2"),
                    ("user", "enable", USER_UID)):
            expect_ok(d.ipmitool(*cmd, cipher=17), "setup: " + " ".join(map(str, cmd)))
        d._refusals_setup = True
    return d


def rp(suite=2):
    d = D()
    return R.RmcpPlus(d.host, d.port, suite=suite)


def admin_session(suite=2):
    c = rp(suite)
    try:
        c.login("admin", D().admin_password, priv=4)
    except R.ProtocolError as e:
        c.close_socket()
        fail("wire-level admin login (suite %d) failed: %s\n%s" % (suite, e, D().log_tail()))
    return c


# ------------------------------------------------------------------------------------------

def test_cipher_suites_offered_presession():
    """The unauthenticated RMCP+ Get Channel Cipher Suites (what ipmitool sends with no -C)
    is answered and lists exactly the default suites -- not 0."""
    d = D()
    c = R._Udp(d.host, d.port)
    try:
        records = b""
        for index in range(64):
            msg = R.ipmi_request(0x06, 0x54, bytes([0x0E, 0x00, 0x80 | index]), rq_seq=index & 0x3F)
            c.send(R.session_packet(0, 0, msg))
            pkt = c.recv(5.0)
            check(pkt is not None, "no reply to pre-session Get Channel Cipher Suites (index %d)" % index)
            check(pkt[4] == 0x06 and pkt[5] == 0x00, "reply must be unauthenticated RMCP+ (%s)" % pkt.hex())
            sid, seq, plen = struct.unpack("<IIH", pkt[6:16])
            check_eq((sid, seq), (0, 0), "reply session ID / sequence")
            rsp = R.parse_ipmi_response(pkt[16:16 + plen])
            check_eq(rsp["cc"], 0, "completion code (index %d)" % index)
            check_eq(rsp["data"][0], 1, "channel number in the reply")
            block = rsp["data"][1:]
            records += block
            if len(block) < 16:
                break
        suites = {}
        i = 0
        while i < len(records):
            check(records[i] == 0xC0, "unexpected record start 0x%02x in %s" % (records[i], records.hex()))
            sid_, a, g, k = records[i + 1:i + 5]
            suites[sid_] = (a & 0x3F, g & 0x3F, k & 0x3F)
            i += 5
        check_eq(suites, {1: (1, 0, 0), 2: (1, 1, 0), 3: (1, 1, 1), 15: (3, 0, 0), 16: (3, 4, 0),
                          17: (3, 4, 1)}, "cipher suite records %s" % records.hex())
    finally:
        c.close()


def test_open_session_answers_real_privilege_and_random_ids():
    ids = set()
    for _ in range(3):
        c = rp()
        try:
            o = c.open_session(priv=0)
            check_eq(o["status"], 0, "Open Session status")
            check(o["max_priv"] != 0, "Open Session with privilege 0 must be answered with the real "
                                      "maximum level, got 0")
            check_eq(o["console_sid"], c.console_sid, "console session ID echoed")
            check(o["managed_sid"] != 0, "managed session ID must be non-zero")
            check_eq(o["algs"], (1, 1, 0), "algorithms echoed")
            ids.add(o["managed_sid"])
        finally:
            c.close_socket()
    check_eq(len(ids), 3, "three Open Sessions must get three different session IDs %s" % ids)


def test_cipher_suite_0_refused():
    r = D().ipmitool("mc", "info", cipher=0)
    expect_fail(r, "ipmitool -C 0",
                r"Error in open session response message : (no matching cipher suite|"
                r"invalid authentication algorithm)")
    c = rp()
    try:
        o = c.open_session(priv=0, auth=0, integ=0, conf=0)
        check(o["status"] in (R.ST_NO_CIPHER_SUITE_MATCH, R.ST_INVALID_AUTH_ALG),
              "Open Session proposing suite 0 (none/none/none): status 0x%02x, want 0x11 (or 0x04)"
              % o["status"])
        # a mixed triple that is no enabled suite (SHA1 auth, SHA256 integrity) is refused too
        o = c.open_session(priv=0, auth=1, integ=4, conf=0)
        check(o["status"] != 0, "Open Session proposing SHA1/HMAC-SHA256-128/none must be refused")
    finally:
        c.close_socket()


def test_wrong_password_refused():
    d = D()
    r = d.ipmitool("mc", "info", password="not-the-password", cipher=17, verbose=1)
    expect_fail(r, "lanplus with a wrong password", r"RAKP 2 HMAC is invalid")
    r = d.ipmitool("mc", "info", password="not-the-password", interface="lan")
    expect_fail(r, "IPMI 1.5 with a wrong password")

    c = rp()
    try:
        o = c.open_session(priv=0)
        check_eq(o["status"], 0, "Open Session")
        r2 = c.rakp1("admin", role=0x14)
        check_eq(r2["status"], 0, "RAKP 2 status for a known user")
        check_eq(len(r2["payload"]), 60, "RAKP 2 length with an HMAC-SHA1 code (40 + 20)")
        check(r2["code"] == c.rakp2_code_for(d.admin_password),
              "the BMC's RAKP 2 code must verify with the real password")
        check(r2["code"] != c.rakp2_code_for("not-the-password"), "sanity")
        r4 = c.rakp3("not-the-password")
        check_eq(r4["status"], R.ST_INVALID_ICV,
                 "RAKP 4 status for a RAKP 3 keyed with a wrong password (0x0F)")
        # the session was discarded: a request keyed with what we derived gets no answer
        _, rsp = c.request(0x06, 0x01, timeout=NO_REPLY_WAIT)
        check(rsp is None, "a session whose RAKP 3 failed must not answer requests")
    finally:
        c.close_socket()


def _expect_rakp2_refusal(name, what):
    c = rp()
    try:
        o = c.open_session(priv=0)
        check_eq(o["status"], 0, "Open Session")
        r2 = c.rakp1(name, role=0x14)
        check_eq(r2["status"], R.ST_UNAUTHORIZED_NAME, "%s: RAKP 2 status (want 0x0D)" % what)
        check_eq(r2["payload_len"], 8, "%s: RAKP 2 payload length field" % what)
        check_eq(len(r2["payload"]), 8, "%s: RAKP 2 must be 8 bytes, no random/GUID/HMAC (%s)"
                 % (what, r2["payload"].hex()))
        check_eq(r2["console_sid"], c.console_sid, "%s: console session ID in RAKP 2" % what)
    finally:
        c.close_socket()


def test_unknown_user_refused():
    r = D().ipmitool("mc", "info", user="nosuchuser", password="whatever-pw", cipher=17, verbose=1)
    expect_fail(r, "unknown user", r"RAKP 2 message indicates an error : unauthorized name")
    _expect_rakp2_refusal("nosuchuser", "unknown user")
    # IPMI 1.5: Get Session Challenge for an unknown name -> 0x81
    d = D()
    v = R.V15(d.host, d.port)
    try:
        ch = v.challenge(R.AT_MD5, "nosuchuser")
        check(ch is not None, "no reply to Get Session Challenge")
        check_eq(ch["cc"], 0x81, "Get Session Challenge for an unknown user (0x81 invalid user name)")
    finally:
        v.close_socket()


def test_null_user_name_refused():
    r = D().ipmitool("mc", "info", user="", password="whatever-pw", cipher=17, verbose=1)
    expect_fail(r, "null user name", r"RAKP 2 message indicates an error : unauthorized name")
    _expect_rakp2_refusal(b"", "null user name")
    d = D()
    v = R.V15(d.host, d.port)
    try:
        ch = v.challenge(R.AT_MD5, b"")
        check(ch is not None, "no reply to Get Session Challenge")
        check(ch["cc"] in (0x81, 0x82), "Get Session Challenge for the null user: cc 0x%02x, "
                                        "want 0x82 (null user name not enabled) or 0x81" % ch["cc"])
    finally:
        v.close_socket()


def test_user_privilege_chassis_control_d4():
    d = D()
    before = d.power_state(cipher=17)
    r = d.ipmitool("chassis", "power", "on" if before == "off" else "off",
                   user=USER_NAME, password=USER_PW, cipher=17, priv="USER")
    expect_fail(r, "Chassis Control from a USER-privilege user",
                r"Set Chassis Power Control to (Up/On|Down/Off) failed: Insufficient privilege level")
    # the administrator in a USER-level session is refused the same way
    r = d.ipmitool("chassis", "power", "on" if before == "off" else "off", cipher=17, priv="USER")
    expect_fail(r, "Chassis Control from an ADMIN user in a USER session",
                r"failed: Insufficient privilege level")
    check_eq(d.power_state(cipher=17), before, "power state must not change")
    # a USER-level command works for the same user
    expect_ok(d.ipmitool("chassis", "status", user=USER_NAME, password=USER_PW, cipher=17, priv="USER"),
              "chassis status at USER privilege")

    c = rp()
    try:
        c.login(USER_NAME, USER_PW, priv=2)
        r = c.call(0x00, 0x02, bytes([0x01]))
        check_eq(r["cc"], 0xD4, "Chassis Control power up at USER privilege")
        r = c.set_session_priv(0x04)
        check_eq(r["cc"], 0x81, "Set Session Privilege Level above the user's limit (0x81)")
        r = c.set_session_priv(0x03)
        check_eq(r["cc"], 0x81, "Set Session Privilege Level OPERATOR above a USER limit (0x81)")
        r = c.set_session_priv(0x00)
        check_eq((r["cc"], r["data"][:1]), (0, b"\x02"), "Set Session Privilege Level 0 reports USER")
        r = c.call(0x00, 0x01)
        check_eq(r["cc"], 0, "Get Chassis Status at USER privilege")
    except R.ProtocolError as e:
        fail("wire-level USER session: %s\n%s" % (e, d.log_tail()))
    finally:
        c.close_socket()
    # a USER-limit user asking for an ADMINISTRATOR role in RAKP 1 gets no session
    r = d.ipmitool("mc", "info", user=USER_NAME, password=USER_PW, cipher=17, priv="ADMINISTRATOR")
    expect_fail(r, "USER-limit user asking for ADMINISTRATOR")


def test_ipmi15_auth_none_and_straight_refused():
    d = D()
    r = d.ipmitool("mc", "info", interface="lan", authtype="NONE", password=False)
    expect_fail(r, "ipmitool -I lan -A NONE", r"Authentication type NONE not supported")
    r = d.ipmitool("mc", "info", interface="lan", authtype="PASSWORD")
    expect_fail(r, "ipmitool -I lan -A PASSWORD", r"Authentication type PASSWORD not supported")

    v = R.V15(d.host, d.port)
    try:
        caps = v.auth_caps(priv=4)
        check(caps is not None and caps["cc"] == 0, "Get Channel Authentication Capabilities (1.5)")
        types = caps["data"][1]
        check_eq(types & 0x01, 0, "auth type none advertised")
        check_eq(types & 0x10, 0, "straight password advertised")
        check_eq(types & 0x04, 0x04, "MD5 must be advertised")
        for at, name in ((R.AT_NONE, "none"), (R.AT_STRAIGHT, "straight password")):
            ch = v.challenge(at, "admin")
            check(ch is not None, "no reply to Get Session Challenge (%s)" % name)
            check(ch["cc"] != 0, "Get Session Challenge with auth type %s must be refused" % name)

        # forge it: an MD5 challenge, then an Activate Session claiming auth type none
        ch = v.challenge(R.AT_MD5, "admin")
        check(ch is not None and ch["cc"] == 0, "MD5 Get Session Challenge for admin")
        temp_sid = struct.unpack("<I", ch["data"][0:4])[0]
        challenge = ch["data"][4:20]
        a = v.activate(temp_sid, challenge, R.AT_NONE, priv=4, header_authtype=R.AT_NONE,
                       timeout=NO_REPLY_WAIT)
        check(a is None or a["cc"] != 0,
              "Activate Session with auth type none must not succeed (got %s)"
              % (a and a["raw"].hex()))
        # ... and a straight-password Activate Session (password in clear) neither
        ch = v.challenge(R.AT_MD5, "admin")
        temp_sid = struct.unpack("<I", ch["data"][0:4])[0]
        a = v.activate(temp_sid, ch["data"][4:20], R.AT_STRAIGHT, priv=4, password=d.admin_password,
                       timeout=NO_REPLY_WAIT)
        check(a is None or a["cc"] != 0, "Activate Session with straight password must not succeed")

        # control: the same code path with MD5 works, so the refusals above are policy
        _md5_activate_and_close(v, d.admin_password)
    finally:
        v.close_socket()


def _md5_activate_and_close(v, password, user="admin"):
    ch = v.challenge(R.AT_MD5, user)
    check(ch is not None and ch["cc"] == 0, "MD5 Get Session Challenge")
    temp_sid = struct.unpack("<I", ch["data"][0:4])[0]
    a = v.activate(temp_sid, ch["data"][4:20], R.AT_MD5, priv=4, password=password, outbound_seq=0x100)
    check(a is not None, "no reply to a correct MD5 Activate Session")
    check_eq(a["cc"], 0, "MD5 Activate Session")
    check_eq(a["authtype"], R.AT_MD5, "Activate Session response auth type")
    check_eq(a["sid"], temp_sid, "Activate Session response uses the temporary session ID")
    sid = struct.unpack("<I", a["data"][1:5])[0]
    inbound = struct.unpack("<I", a["data"][5:9])[0]
    check(sid != 0 and inbound != 0, "session ID and inbound sequence must be non-zero")
    c = v.in_session(R.AT_MD5, sid, inbound, 0x3C, struct.pack("<I", sid), password=password)
    check(c is not None and c["cc"] == 0, "Close Session of the MD5 session")


def test_replayed_packet_dropped():
    c = admin_session()
    try:
        dgram, r = c.request(0x06, 0x01)
        check(r is not None and r["cc"] == 0 and len(r["data"]) >= 11,
              "Get Device ID in the session (seq %d)" % c.seq)
        seq_n = c.seq
        c.send(dgram)  # the identical datagram again
        again = c.recv_response(timeout=NO_REPLY_WAIT)
        check(again is None, "a replayed packet (same session sequence %d) must be dropped, got %s"
              % (seq_n, again and again["raw"].hex()))
        _, r = c.request(0x06, 0x01, seq=seq_n + 1)
        check(r is not None and r["cc"] == 0, "the session must still answer sequence %d" % (seq_n + 1))
        check(len(set(c.bmc_seqs)) == len(c.bmc_seqs) and c.bmc_seqs == sorted(c.bmc_seqs),
              "BMC sequence numbers must increase and never repeat: %s" % c.bmc_seqs)
        # a number far ahead of the window is dropped too (and does not move the window)
        far = c.build(0x06, 0x01, seq=seq_n + 0x10000)
        c.send(far)
        r = c.recv_response(timeout=NO_REPLY_WAIT)
        check(r is None, "a sequence number far outside the window must be dropped")
        _, r = c.request(0x06, 0x01, seq=seq_n + 2)
        check(r is not None and r["cc"] == 0, "session still alive at sequence %d" % (seq_n + 2))
    except R.ProtocolError as e:
        fail("wire-level error: %s\n%s" % (e, D().log_tail()))
    finally:
        c.close_socket()


def test_session_used_after_close_gets_no_answer():
    c = admin_session()
    try:
        _, r = c.request(0x06, 0x01)
        check(r is not None and r["cc"] == 0, "Get Device ID before Close Session")
        r = c.close_session()
        check_eq(r["cc"], 0, "Close Session completion code")
        _, r = c.request(0x06, 0x01, timeout=NO_REPLY_WAIT)
        check(r is None, "a request on a closed session must get no answer, got %s" % (r and r["raw"].hex()))
    except R.ProtocolError as e:
        fail("wire-level error: %s\n%s" % (e, D().log_tail()))
    finally:
        c.close_socket()


def test_wire_suite16_session_works():
    """The SHA-256 suite without encryption through the same stdlib client (control for the
    key derivation at 256 bits)."""
    c = admin_session(suite=16)
    try:
        r = c.call(0x06, 0x01)
        check_eq(r["cc"], 0, "Get Device ID over suite 16")
        check_eq(c.close_session()["cc"], 0, "Close Session over suite 16")
    finally:
        c.close_socket()


def test_open_session_flood_does_not_lock_out_admin():
    """More half-open handshakes than the session cap (default 32), then the administrator
    logs in at once: half-open sessions are reaped first."""
    d = D()
    u = R._Udp(d.host, d.port)
    try:
        for i in range(80):
            p = (bytes([i & 0xFF, 0, 0, 0]) + struct.pack("<I", 0x1000 + i)
                 + bytes([0, 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 8, 4, 0, 0, 0, 2, 0, 0, 8, 1, 0, 0, 0]))
            u.send(R.session_packet(0, 0, p, payload_type=R.PT_OPEN_REQ))
        got = 0
        while u.recv(1.0) is not None:
            got += 1
        check(got > 0, "no Open Session Responses to the flood")
    finally:
        u.close()
    expect_ok(d.ipmitool("mc", "info", cipher=17), "admin login right after an Open Session flood")


# ------------------------------------------------------------------------------------------

def test_enabled_by_config_positive_control():
    """With suite 0 and IPMI 1.5 none/straight enabled in the config, the same clients get in."""
    cfg = H.FAST_CONFIG.replace("lan:\n", "lan:\n  cipher_suites: [0, 1, 2, 3, 15, 16, 17]\n"
                                "  ipmi15_auth_types: [md5, none, straight]\n", 1)
    d = H.Daemon(name="refusals-enabled", config=cfg)
    try:
        d.start()
        r = d.ipmitool("mc", "info", cipher=0)
        expect_ok(r, "ipmitool -C 0 with suite 0 enabled")
        r = d.ipmitool("channel", "getciphers", "ipmi", 1, cipher=17)
        expect_ok(r, "channel getciphers")
        check(any(l.split()[:1] == ["0"] for l in r.out.split("\n")), "suite 0 listed when enabled", r)
        r = d.ipmitool("mc", "info", interface="lan", authtype="PASSWORD")
        expect_ok(r, "ipmitool -I lan -A PASSWORD with straight enabled")
        r = d.ipmitool("mc", "info", interface="lan", authtype="NONE", password=False)
        expect_ok(r, "ipmitool -I lan -A NONE with none enabled")
        v = R.V15(d.host, d.port)
        try:
            caps = v.auth_caps(priv=4)
            check(caps is not None and caps["cc"] == 0, "auth caps")
            check_eq(caps["data"][1] & 0x15, 0x15, "none, MD5 and straight advertised when enabled")
        finally:
            v.close_socket()
        d.stop()
    finally:
        d.cleanup()
