"""RMCP+ session-layer behaviour from issue 2 beyond the refusals: the retransmission cache,
the idle timeout and the session cap. Wire level, with the stdlib client (cipher suite 2).

The daemon here runs with session_timeout 10 s (the minimum) and max_sessions 4.
"""

import time

import harness as H
import rmcpplus as R
from harness import check, check_eq, expect_ok, fail

CONFIG = """\
lan:
  session_timeout: 10
  max_sessions: 4
platform:
  sim:
    soft_off_delay_ms: 1500
    cycle_off_interval_ms: 5000
"""
NO_REPLY_WAIT = 1.0


def D(key="default"):
    return H.shared_daemon(__name__, key, config=CONFIG)


def session(d=None):
    d = d or D()
    c = R.RmcpPlus(d.host, d.port, suite=2)
    try:
        c.login("admin", d.admin_password, priv=4)
    except R.ProtocolError as e:
        c.close_socket()
        fail("wire-level admin login failed: %s\n%s" % (e, d.log_tail()))
    return c


def test_retransmitted_request_gets_cached_response():
    """ipmitool retransmits with the same rqSeq and a new session sequence number: the BMC must
    answer from its cache, not run the command again. A power cycle shows the difference: run a
    second time while the power is off it would fail with 0xD5."""
    d = D()
    expect_ok(d.ipmitool("chassis", "power", "on", cipher=17), "power on")
    d.wait_power("on", cipher=17)
    c = session()
    try:
        _, r = c.request(0x00, 0x02, bytes([0x02]))  # Chassis Control: power cycle
        check(r is not None and r["cc"] == 0, "power cycle: %s" % (r and r["raw"].hex()))
        rq = c.rq_seq
        # the same request again (same rqSeq), as a retransmission: new session sequence number
        _, r2 = c.request(0x00, 0x02, bytes([0x02]), rq_seq=rq)
        check(r2 is not None, "no answer to a retransmitted request")
        check_eq(r2["cc"], 0, "retransmitted power cycle must get the cached response (0xD5 means "
                              "it ran again while the power was off)")
        check_eq(r2["rq_seq"], rq, "cached response rqSeq")
        check(r2["session_seq"] > r["session_seq"],
              "the cached response must be re-sent with a new session sequence number (%d, then %d)"
              % (r["session_seq"], r2["session_seq"]))
        check_eq(c.close_session()["cc"], 0, "Close Session")
    finally:
        c.close_socket()
    d.wait_power("on", cipher=17, timeout=20)


def test_session_cap_and_close_frees_a_slot():
    d = D("cap")  # its own daemon: no sessions left over from other tests
    sessions = []
    try:
        for i in range(4):
            sessions.append(session(d))
        # a fifth active session does not fit
        extra = R.RmcpPlus(d.host, d.port, suite=2)
        try:
            refused = False
            try:
                extra.login("admin", d.admin_password, priv=4)
            except R.ProtocolError:
                refused = True
            check(refused, "a 5th session must be refused with max_sessions 4")
        finally:
            extra.close_socket()
        # the four are all alive
        for c in sessions:
            check_eq(c.call(0x06, 0x01)["cc"], 0, "Get Device ID in an existing session")
        # closing one frees a slot
        check_eq(sessions[0].close_session()["cc"], 0, "Close Session")
        sessions[0].close_socket()
        sessions.pop(0)
        sessions.append(session(d))
    finally:
        for c in sessions:
            try:
                c.close_session()
            except R.ProtocolError:
                pass
            c.close_socket()


def test_idle_session_times_out():
    """session_timeout 10: a session idle for 13 s is gone, one kept busy every 2 s lives on."""
    idle = session()
    busy = session()
    try:
        deadline = time.monotonic() + 13
        while time.monotonic() < deadline:
            check_eq(busy.call(0x06, 0x01)["cc"], 0, "keep-alive in the busy session")
            time.sleep(2)
        _, r = idle.request(0x06, 0x01, timeout=NO_REPLY_WAIT)
        check(r is None, "a session idle for 13 s (timeout 10 s) must be closed, got %s"
              % (r and r["raw"].hex()))
        check_eq(busy.call(0x06, 0x01)["cc"], 0, "the busy session must still be alive")
        check_eq(busy.close_session()["cc"], 0, "Close Session")
    finally:
        idle.close_socket()
        busy.close_socket()
