"""Regression tests for bugs found while fuzzing (issue 6; docs/testing.md "Fuzzing"), at the
wire level with the stdlib client (cipher suite 2). Each test says what was wrong.
"""

import harness as H
import rmcpplus as R
from harness import check_eq, fail


def D():
    return H.shared_daemon(__name__)


def session(d):
    c = R.RmcpPlus(d.host, d.port, suite=2)
    try:
        c.login("admin", d.admin_password, priv=4)
    except R.ProtocolError as e:
        c.close_socket()
        fail("wire-level admin login failed: %s\n%s" % (e, d.log_tail()))
    return c


def test_retransmission_cache_tells_256_data_bytes_from_none():
    """The retransmission cache kept the request's data length in a uint8_t: a request with
    256 data bytes was cached as 0 bytes long, so the next request with the same rqSeq, netFn
    and command but no data at all was taken for a retransmission and got the cached response.
    Write FRU Data shows it: 256 bytes (offset 1024, past the end) is 0xC9; no data at all must
    be 0xC7 (request length invalid), not that 0xC9 again."""
    d = D()
    c = session(d)
    try:
        _, r = c.request(0x0A, 0x12, bytes([0, 0x00, 0x04]) + bytes(253))
        check_eq(r and r["cc"], 0xC9, "Write FRU Data at offset 1024 with 253 bytes")
        _, r2 = c.request(0x0A, 0x12, b"", rq_seq=c.rq_seq)
        check_eq(r2 and r2["cc"], 0xC7, "Write FRU Data without data, same rqSeq (not a "
                                        "retransmission of the 256-byte request)")
        # and a real retransmission of the 256-byte request is still answered from the cache
        _, r3 = c.request(0x0A, 0x12, bytes([0, 0x00, 0x04]) + bytes(253))
        _, r4 = c.request(0x0A, 0x12, bytes([0, 0x00, 0x04]) + bytes(253), rq_seq=c.rq_seq)
        check_eq(r4 and r4["raw"], r3 and r3["raw"], "retransmitted 256-byte request")
        check_eq(c.close_session()["cc"], 0, "Close Session")
    finally:
        c.close_socket()
