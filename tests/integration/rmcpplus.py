"""A minimal RMCP+ (IPMI 2.0) and IPMI 1.5 LAN client, stdlib only, for wire-level tests.

RMCP+: cipher suite 2 (RAKP-HMAC-SHA1, HMAC-SHA1-96, no confidentiality) by default, and
suite 16 (RAKP-HMAC-SHA256, HMAC-SHA256-128, no confidentiality) -- AES is not in the stdlib,
so suites 3 and 17 are left to ipmitool/FreeIPMI. Layouts and formulas follow
../shared/reference/rmcp-and-sessions.md sections 2, 6, 7, 8 and 14; the section-14 vectors are
checked at import time (self_test()), so a wrong key derivation here cannot pass silently.

IPMI 1.5: enough to read the authentication capabilities, ask for a challenge and activate a
session (MD5 or a forged auth type), for the refusal tests.

Everything receives with timeouts; "no reply" is returned as None, never waited for forever.
"""

import hashlib
import hmac
import os
import socket
import struct
import time

RMCP_HDR = b"\x06\x00\xff\x07"

# payload types
PT_IPMI = 0x00
PT_OPEN_REQ, PT_OPEN_RSP = 0x10, 0x11
PT_RAKP1, PT_RAKP2, PT_RAKP3, PT_RAKP4 = 0x12, 0x13, 0x14, 0x15

# auth algorithm -> hash; integrity algorithm -> (hash, truncated length)
AUTH_HASH = {1: "sha1", 2: "md5", 3: "sha256"}
INTEG = {1: ("sha1", 12), 2: ("md5", 16), 4: ("sha256", 16)}
SUITES = {2: (1, 1, 0), 16: (3, 4, 0)}  # suite -> (auth, integrity, confidentiality)

# RMCP+ status codes (§9)
ST_OK = 0x00
ST_INVALID_AUTH_ALG = 0x04
ST_UNAUTHORIZED_ROLE = 0x0A
ST_UNAUTHORIZED_NAME = 0x0D
ST_INVALID_ICV = 0x0F
ST_NO_CIPHER_SUITE_MATCH = 0x11


class ProtocolError(AssertionError):
    pass


def checksum(b):
    return (-sum(b)) & 0xFF


def ipmi_request(netfn, cmd, data=b"", rq_seq=1, rs_addr=0x20, rq_addr=0x81, rs_lun=0):
    """IPMI LAN message (§2): rsAddr netFn/LUN chk1 rqAddr rqSeq/LUN cmd data chk2."""
    h = bytes([rs_addr, ((netfn & 0x3F) << 2) | (rs_lun & 3)])
    body = bytes([rq_addr, (rq_seq & 0x3F) << 2, cmd]) + bytes(data)
    return h + bytes([checksum(h)]) + body + bytes([checksum(body)])


def parse_ipmi_response(msg):
    """Parse and validate a response IPMI message; return a dict."""
    if len(msg) < 8:
        raise ProtocolError("IPMI response too short (%d bytes): %s" % (len(msg), msg.hex()))
    if checksum(msg[0:2]) != msg[2]:
        raise ProtocolError("bad checksum 1 in response %s" % msg.hex())
    if checksum(msg[3:-1]) != msg[-1]:
        raise ProtocolError("bad checksum 2 in response %s" % msg.hex())
    return {
        "rq_addr": msg[0], "netfn": msg[1] >> 2, "rq_lun": msg[1] & 3,
        "rs_addr": msg[3], "rq_seq": msg[4] >> 2, "rs_lun": msg[4] & 3,
        "cmd": msg[5], "cc": msg[6], "data": bytes(msg[7:-1]), "raw": bytes(msg),
    }


# --------------------------------------------------------------------------------------------
# RAKP formulas (§8), generic over the hash

def _h(alg, key, data):
    return hmac.new(key, data, alg).digest()


def rakp2_code(alg, kuid, sidm, sidc, rm, rc, guid, role, name):
    return _h(alg, kuid, struct.pack("<II", sidm, sidc) + rm + rc + guid
              + bytes([role, len(name)]) + name)


def rakp3_code(alg, kuid, rc, sidm, role, name):
    return _h(alg, kuid, rc + struct.pack("<I", sidm) + bytes([role, len(name)]) + name)


def sik(alg, kg_or_kuid, rm, rc, role, name):
    return _h(alg, kg_or_kuid, rm + rc + bytes([role, len(name)]) + name)


def k_n(alg, sik_, n):
    return _h(alg, sik_, bytes([n]) * 20)


def rakp4_icv(alg, sik_, rm, sidc, guid, trunc):
    return _h(alg, sik_, rm + struct.pack("<I", sidc) + guid)[:trunc]


def session_packet(sid, seq, payload, k1=None, integ=None, payload_type=PT_IPMI):
    """An in-session RMCP+ packet (§6): authenticated (trailer) iff k1 is given."""
    if k1 is None:
        return (RMCP_HDR + bytes([0x06, payload_type]) + struct.pack("<IIH", sid, seq, len(payload))
                + payload)
    alg, trunc = INTEG[integ]
    body = bytes([0x06, 0x40 | payload_type]) + struct.pack("<IIH", sid, seq, len(payload)) + payload
    pad = (4 - (len(body) + 2) % 4) % 4
    body += b"\xff" * pad + bytes([pad, 0x07])
    return RMCP_HDR + body + _h(alg, k1, body)[:trunc]


def self_test():
    """§14 vectors: fails loudly at import if the formulas above are wrong."""
    rm = bytes(range(0x00, 0x10))
    rc = bytes(range(0x10, 0x20))
    guid = bytes(range(0x20, 0x30))
    sidm, sidc, role, name, kuid = 0xA0A2A3A4, 0x12345678, 0x14, b"admin", b"password"
    vectors = {
        "sha1": ("9508518bfb43673d0eb84d935ac25439b06a7ab8", "4ab420258775814f120682c8ab9275c29997effd",
                 "122c77c4b11ccd93251cbae6c34a9cb6310da154", "e4472be78f9a81fa68297aab696a7be8c97fc9f8",
                 "2b6552012a2517cb3b5713901d757a6efc7d8301", "5aca955789109a61974ad7a1", 12),
        "md5": ("b330890a24314f1ac3ca4365b1767b27", "05d70649d70a064a032338a34225ad04",
                "f5aecc7e7958555f1a0cff5b39dbdb36", "1a850f03ec7c1413d660cf08648e0be2",
                "a9861046f4b96cf599fad35133e1445c", "03d7d8cf9b41da64d2b538c83b077a32", 16),
        "sha256": ("79b07cf99f6fd074691206ca7d16d7dd4f3839265fb50a773376369454929e88",
                   "72a845290e0504673b2177d93a8dd844954778f3fe6b0476b2e7055a21663586",
                   "e5935f7199865ad961063477b0662684e2ce9b1da8f2b8d41c5ce127d37e9bcf",
                   "dc4fe73d075306f6897115dd63257385e845c10404fa1d73991790c6a101bec2",
                   "2a4f969ea6dfa83066f36674fdc2fea289fa1a21da90303e9b5269b54ec5adb5",
                   "f9794eeba255f475851d0dc1957efda9", 16),
    }
    for alg, (r2, r3, s, k1, k2, icv, trunc) in vectors.items():
        got_sik = sik(alg, kuid, rm, rc, role, name)
        assert rakp2_code(alg, kuid, sidm, sidc, rm, rc, guid, role, name).hex() == r2, alg + " RAKP2"
        assert rakp3_code(alg, kuid, rc, sidm, role, name).hex() == r3, alg + " RAKP3"
        assert got_sik.hex() == s, alg + " SIK"
        assert k_n(alg, got_sik, 1).hex() == k1, alg + " K1"
        assert k_n(alg, got_sik, 2).hex() == k2, alg + " K2"
        assert rakp4_icv(alg, got_sik, rm, sidc, guid, trunc).hex() == icv, alg + " RAKP4 ICV"
        # a password zero-padded to 20 bytes gives the same HMACs (§8)
        assert rakp3_code(alg, kuid.ljust(20, b"\0"), rc, sidm, role, name).hex() == r3
    # cipher suite 2 packet vector
    k1 = bytes.fromhex(vectors["sha1"][3])
    pkt = session_packet(0x12345678, 1, ipmi_request(6, 0x01, rq_seq=5), k1=k1, integ=1)
    want = bytes.fromhex("0600ff07" "0640785634120100" "0000" "0700" "2018c88114016a"
                         "ffffff0307" "e07be52cbbbdf1e42696a67e")
    assert pkt == want, "suite-2 packet vector: got %s" % pkt.hex()


self_test()


# --------------------------------------------------------------------------------------------
# transport

class _Udp:
    def __init__(self, host, port, src=None):
        """src: the local address to send from (e.g. "127.0.0.2"); default the loopback."""
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.addr = (host, port)
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.bind((src or ("::1" if fam == socket.AF_INET6 else "127.0.0.1"), 0))
        self.sent = []  # every datagram sent, for replays

    def send(self, dgram):
        self.sent.append(dgram)
        self.sock.sendto(dgram, self.addr)

    def recv(self, timeout):
        """One datagram from the BMC within timeout seconds, else None."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, src = self.sock.recvfrom(65536)
            except socket.timeout:
                return None
            if src[0] == self.addr[0] and src[1] == self.addr[1]:
                return data

    def drain(self):
        """Discard anything already queued (nothing should be; returns what was dropped)."""
        got = []
        while True:
            d = self.recv(0.05)
            if d is None:
                return got
            got.append(d)

    def close(self):
        self.sock.close()


# --------------------------------------------------------------------------------------------
# RMCP+

class RmcpPlus:
    """One RMCP+ session to a BMC. `reply_timeout` bounds waits for replies that must come."""

    def __init__(self, host, port, suite=2, reply_timeout=5.0, src=None):
        if suite not in SUITES:
            raise ValueError("this client speaks cipher suites %s" % sorted(SUITES))
        self.udp = _Udp(host, port, src)
        self.suite = suite
        self.auth, self.integ, self.conf = SUITES[suite]
        self.reply_timeout = reply_timeout
        self.console_sid = struct.unpack("<I", os.urandom(4))[0] | 1
        self.managed_sid = None
        self.k1 = None
        self.seq = 0           # last session sequence number used
        self.rq_seq = 0
        self.bmc_seqs = []     # session sequence numbers of the BMC's in-session packets
        self.tag = 0

    def close_socket(self):
        self.udp.close()

    # ---- setup payloads (session ID 0, sequence 0, no trailer)

    def _setup(self, ptype, payload, want_type):
        self.udp.send(session_packet(0, 0, payload, payload_type=ptype))
        d = self.udp.recv(self.reply_timeout)
        if d is None:
            raise ProtocolError("no reply to payload type 0x%02x within %.1fs" % (ptype, self.reply_timeout))
        return self._parse_setup(d, want_type)

    @staticmethod
    def _parse_setup(d, want_type):
        if len(d) < 16 or d[:4] != RMCP_HDR or d[4] != 0x06:
            raise ProtocolError("not an RMCP+ packet: %s" % d.hex())
        ptype = d[5]
        if ptype != want_type:
            raise ProtocolError("expected payload type 0x%02x, got 0x%02x: %s" % (want_type, ptype, d.hex()))
        sid, seq, plen = struct.unpack("<IIH", d[6:16])
        payload = d[16:]
        if sid != 0 or seq != 0:
            raise ProtocolError("setup reply must have session ID 0 and sequence 0, got %08x/%d" % (sid, seq))
        if plen != len(payload):
            raise ProtocolError("payload length field %d but %d payload bytes follow: %s"
                                % (plen, len(payload), d.hex()))
        return {"payload": payload, "payload_len": plen, "status": payload[1] if len(payload) > 1 else None}

    def open_session(self, priv=0, auth=None, integ=None, conf=None):
        auth = self.auth if auth is None else auth
        integ = self.integ if integ is None else integ
        conf = self.conf if conf is None else conf
        self.tag = (self.tag + 1) & 0xFF
        p = (bytes([self.tag, priv & 0x0F, 0, 0]) + struct.pack("<I", self.console_sid)
             + bytes([0, 0, 0, 8, auth, 0, 0, 0]) + bytes([1, 0, 0, 8, integ, 0, 0, 0])
             + bytes([2, 0, 0, 8, conf, 0, 0, 0]))
        r = self._setup(PT_OPEN_REQ, p, PT_OPEN_RSP)
        pl = r["payload"]
        if len(pl) < 8:
            raise ProtocolError("Open Session Response shorter than 8 bytes: %s" % pl.hex())
        if pl[0] != self.tag:
            raise ProtocolError("Open Session Response tag %d, sent %d" % (pl[0], self.tag))
        r["max_priv"] = pl[2] & 0x0F
        r["console_sid"] = struct.unpack("<I", pl[4:8])[0]
        if r["status"] == ST_OK:
            if len(pl) < 36:
                raise ProtocolError("successful Open Session Response shorter than 36 bytes: %s" % pl.hex())
            self.managed_sid = struct.unpack("<I", pl[8:12])[0]
            r["managed_sid"] = self.managed_sid
            r["algs"] = (pl[16] & 0x3F, pl[24] & 0x3F, pl[32] & 0x3F)
        return r

    def rakp1(self, name, role=0x14, rm=None):
        self.name = name.encode() if isinstance(name, str) else bytes(name)
        self.role = role
        self.rm = rm or os.urandom(16)
        self.tag = (self.tag + 1) & 0xFF
        p = (bytes([self.tag, 0, 0, 0]) + struct.pack("<I", self.managed_sid) + self.rm
             + bytes([role, 0, 0, len(self.name)]) + self.name)
        r = self._setup(PT_RAKP1, p, PT_RAKP2)
        pl = r["payload"]
        if len(pl) < 8:
            raise ProtocolError("RAKP 2 shorter than 8 bytes: %s" % pl.hex())
        if pl[0] != self.tag:
            raise ProtocolError("RAKP 2 tag %d, sent %d" % (pl[0], self.tag))
        r["console_sid"] = struct.unpack("<I", pl[4:8])[0]
        if r["status"] == ST_OK:
            self.rc, self.guid, r["code"] = pl[8:24], pl[24:40], pl[40:]
        return r

    def rakp2_code_for(self, password):
        return rakp2_code(AUTH_HASH[self.auth], _pw(password), self.console_sid, self.managed_sid,
                          self.rm, self.rc, self.guid, self.role, self.name)

    def rakp3(self, password, status=0):
        """Send RAKP 3 keyed with `password`; derive SIK/K1 from it; return RAKP 4."""
        alg = AUTH_HASH[self.auth]
        kuid = _pw(password)
        code = rakp3_code(alg, kuid, self.rc, self.console_sid, self.role, self.name)
        self.tag = (self.tag + 1) & 0xFF
        p = bytes([self.tag, status, 0, 0]) + struct.pack("<I", self.managed_sid) + code
        r = self._setup(PT_RAKP3, p, PT_RAKP4)
        pl = r["payload"]
        if len(pl) < 8:
            raise ProtocolError("RAKP 4 shorter than 8 bytes: %s" % pl.hex())
        r["console_sid"] = struct.unpack("<I", pl[4:8])[0]
        self.sik = sik(alg, kuid, self.rm, self.rc, self.role, self.name)
        self.k1 = k_n(alg, self.sik, 1)
        r["icv"] = pl[8:]
        r["icv_expected"] = rakp4_icv(alg, self.sik, self.rm, self.managed_sid, self.guid,
                                      INTEG[self.integ][1])
        return r

    def login(self, user, password, priv=4):
        """Full handshake (name-only lookup, role = priv); raises ProtocolError on any refusal."""
        o = self.open_session(0)
        if o["status"] != ST_OK:
            raise ProtocolError("Open Session refused, status 0x%02x" % o["status"])
        r2 = self.rakp1(user, role=0x10 | priv)
        if r2["status"] != ST_OK:
            raise ProtocolError("RAKP 2 status 0x%02x" % r2["status"])
        if r2["code"] != self.rakp2_code_for(password):
            raise ProtocolError("RAKP 2 key exchange auth code does not verify: got %s want %s"
                                % (r2["code"].hex(), self.rakp2_code_for(password).hex()))
        r4 = self.rakp3(password)
        if r4["status"] != ST_OK:
            raise ProtocolError("RAKP 4 status 0x%02x" % r4["status"])
        if r4["icv"] != r4["icv_expected"]:
            raise ProtocolError("RAKP 4 ICV does not verify: got %s want %s"
                                % (r4["icv"].hex(), r4["icv_expected"].hex()))
        self.seq = 0
        if priv > 2:
            # a session starts at USER; raise it the way ipmitool does after RAKP 4
            r = self.set_session_priv(priv)
            if r["cc"] != 0 or (r["data"][:1] or b"\0")[0] & 0x0F != priv:
                raise ProtocolError("Set Session Privilege Level %d: cc 0x%02x data %s"
                                    % (priv, r["cc"], r["data"].hex()))
        return self

    # ---- in-session IPMI messages

    def build(self, netfn, cmd, data=b"", seq=None, rq_seq=None):
        """Build (not send) an authenticated in-session request; advances the counters."""
        if seq is None:
            seq = self.seq + 1
        self.seq = max(self.seq, seq)
        if rq_seq is None:
            self.rq_seq = (self.rq_seq + 1) & 0x3F
            rq_seq = self.rq_seq
        msg = ipmi_request(netfn, cmd, data, rq_seq=rq_seq)
        return session_packet(self.managed_sid, seq, msg, k1=self.k1, integ=self.integ)

    def send(self, dgram):
        self.udp.send(dgram)

    def recv_response(self, timeout=None):
        """The next in-session response, verified; None if nothing arrives within timeout."""
        d = self.udp.recv(self.reply_timeout if timeout is None else timeout)
        if d is None:
            return None
        return self.parse_session(d)

    def parse_session(self, d):
        if len(d) < 16 or d[:4] != RMCP_HDR or d[4] != 0x06:
            raise ProtocolError("not an RMCP+ packet: %s" % d.hex())
        ptype = d[5]
        if ptype != 0x40 | PT_IPMI:
            raise ProtocolError("in-session reply payload type byte 0x%02x (want 0x40): %s" % (ptype, d.hex()))
        sid, seq, plen = struct.unpack("<IIH", d[6:16])
        if sid != self.console_sid:
            raise ProtocolError("reply session ID %08x, want the console's %08x" % (sid, self.console_sid))
        if seq == 0:
            raise ProtocolError("in-session reply with sequence number 0")
        alg, trunc = INTEG[self.integ]
        payload = d[16:16 + plen]
        rest = d[16 + plen:]
        if len(payload) != plen or len(rest) < 2 + trunc:
            raise ProtocolError("truncated in-session reply: %s" % d.hex())
        padlen = rest[-trunc - 2]
        if rest[-trunc - 1] != 0x07:
            raise ProtocolError("next-header byte 0x%02x (want 0x07): %s" % (rest[-trunc - 1], d.hex()))
        if padlen > 3 or rest[:padlen] != b"\xff" * padlen or len(rest) != padlen + 2 + trunc:
            raise ProtocolError("bad integrity pad: %s" % d.hex())
        if (len(d) - 4 - trunc) % 4 != 0:
            raise ProtocolError("integrity-covered length not a multiple of 4: %s" % d.hex())
        mac = _h(alg, self.k1, d[4:len(d) - trunc])[:trunc]
        if not hmac.compare_digest(mac, d[len(d) - trunc:]):
            raise ProtocolError("reply integrity code does not verify: %s" % d.hex())
        self.bmc_seqs.append(seq)
        r = parse_ipmi_response(payload)
        r["session_seq"] = seq
        return r

    def request(self, netfn, cmd, data=b"", seq=None, rq_seq=None, timeout=None):
        """Send one request; return (datagram sent, verified response or None)."""
        dgram = self.build(netfn, cmd, data, seq=seq, rq_seq=rq_seq)
        self.send(dgram)
        return dgram, self.recv_response(timeout)

    def call(self, netfn, cmd, data=b""):
        """Request that must be answered with the matching response; returns it."""
        _, r = self.request(netfn, cmd, data)
        if r is None:
            raise ProtocolError("no reply to netfn 0x%02x cmd 0x%02x within %.1fs"
                                % (netfn, cmd, self.reply_timeout))
        if r["netfn"] != netfn + 1 or r["cmd"] != cmd or r["rq_seq"] != self.rq_seq:
            raise ProtocolError("reply does not match request (netfn %02x cmd %02x rqSeq %d): %s"
                                % (r["netfn"], r["cmd"], r["rq_seq"], r["raw"].hex()))
        return r

    def set_session_priv(self, priv):
        return self.call(0x06, 0x3B, bytes([priv]))

    def close_session(self):
        return self.call(0x06, 0x3C, struct.pack("<I", self.managed_sid))


def _pw(password):
    return password.encode() if isinstance(password, str) else bytes(password)


# --------------------------------------------------------------------------------------------
# IPMI 1.5

AT_NONE, AT_MD2, AT_MD5, AT_STRAIGHT = 0, 1, 2, 4


def v15_packet(authtype, seq, sid, msg, password=None):
    hdr = bytes([authtype]) + struct.pack("<II", seq, sid)
    if authtype == AT_MD5:
        p16 = _pw(password).ljust(16, b"\0")
        code = hashlib.md5(p16 + struct.pack("<I", sid) + msg + struct.pack("<I", seq) + p16).digest()
        hdr += code
    elif authtype == AT_STRAIGHT:
        hdr += _pw(password).ljust(16, b"\0")
    elif authtype != AT_NONE:
        raise ValueError("auth type %d not built here" % authtype)
    return RMCP_HDR + hdr + bytes([len(msg)]) + msg


def v15_parse(d):
    if len(d) < 14 or d[:4] != RMCP_HDR:
        raise ProtocolError("not an RMCP IPMI packet: %s" % d.hex())
    at = d[4] & 0x0F
    seq, sid = struct.unpack("<II", d[5:13])
    off = 13
    code = None
    if at != AT_NONE:
        code = d[off:off + 16]
        off += 16
    n = d[off]
    msg = d[off + 1:off + 1 + n]
    if len(msg) != n:
        raise ProtocolError("IPMI 1.5 message truncated: %s" % d.hex())
    r = parse_ipmi_response(msg)
    r.update({"authtype": at, "session_seq": seq, "sid": sid, "authcode": code})
    return r


class V15:
    def __init__(self, host, port, reply_timeout=5.0):
        self.udp = _Udp(host, port)
        self.reply_timeout = reply_timeout
        self.rq_seq = 0

    def close_socket(self):
        self.udp.close()

    def _msg(self, cmd, data):
        self.rq_seq = (self.rq_seq + 1) & 0x3F
        return ipmi_request(0x06, cmd, data, rq_seq=self.rq_seq)

    def sessionless(self, cmd, data, timeout=None):
        """A pre-session App request (auth type none, seq 0, session 0); the reply or None."""
        self.udp.send(v15_packet(AT_NONE, 0, 0, self._msg(cmd, data)))
        d = self.udp.recv(self.reply_timeout if timeout is None else timeout)
        return None if d is None else v15_parse(d)

    def auth_caps(self, priv=4, v20=False):
        return self.sessionless(0x38, bytes([0x0E | (0x80 if v20 else 0), priv]))

    def challenge(self, authtype, user):
        return self.sessionless(0x39, bytes([authtype]) + _pw(user).ljust(16, b"\0"))

    def activate(self, temp_sid, challenge, authtype, priv=4, password=None, header_authtype=None,
                 outbound_seq=0x1234, timeout=None):
        """Activate Session; header_authtype lets a test forge the packet's auth type."""
        hat = authtype if header_authtype is None else header_authtype
        msg = self._msg(0x3A, bytes([authtype, priv]) + challenge + struct.pack("<I", outbound_seq))
        self.udp.send(v15_packet(hat, 0, temp_sid, msg, password))
        d = self.udp.recv(self.reply_timeout if timeout is None else timeout)
        return None if d is None else v15_parse(d)

    def in_session(self, authtype, sid, seq, cmd, data, password=None, netfn=0x06, timeout=None):
        self.rq_seq = (self.rq_seq + 1) & 0x3F
        msg = ipmi_request(netfn, cmd, data, rq_seq=self.rq_seq)
        self.udp.send(v15_packet(authtype, seq, sid, msg, password))
        d = self.udp.recv(self.reply_timeout if timeout is None else timeout)
        return None if d is None else v15_parse(d)
