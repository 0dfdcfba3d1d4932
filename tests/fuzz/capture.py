#!/usr/bin/python3
"""Seed corpora for the fuzz targets from real client traffic (used by capture_corpus.sh).

  capture.py proxy LISTEN_PORT BMC_PORT OUT.jsonl PIDFILE
      A recording UDP proxy on 127.0.0.1: every datagram between a client and the BMC is
      forwarded and appended to OUT.jsonl as {"c": client port, "dir": "rq"|"rs", "hex": ...}.
      Each client socket gets its own upstream socket, so sessions stay apart. Runs until
      SIGTERM. Stdlib only.

  capture.py corpus CAPTURE_DIR CORPUS_DIR
      Turns the captures (one .jsonl per client run, named after it) into the input formats of
      tests/fuzz/fuzz_*.c (see the comment at the top of each target): raw datagrams for asf,
      v15 and rmcpplus; the clear IPMI requests of IPMI 1.5 and RMCP+ suite 2 sessions,
      replayed inside a session the target opens itself (the captured ones used the session
      keys of the capture); the requests alone for ipmi; FRU images and writes for fru; SEL
      records for sel. Files are named by content hash, so re-running is idempotent.
"""

import hashlib
import json
import os
import selectors
import signal
import socket
import struct
import sys

# ---------------------------------------------------------------------------------- proxy


def proxy(listen_port, bmc_port, out_path, pidfile):
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", listen_port))
    with open(pidfile + ".tmp", "w") as f:  # written once bound: the caller waits for it
        f.write(str(os.getpid()))
    os.rename(pidfile + ".tmp", pidfile)
    sel = selectors.DefaultSelector()
    sel.register(front, selectors.EVENT_READ, None)
    upstream = {}  # client addr -> socket
    out = open(out_path, "a")
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))

    def record(client, direction, data):
        out.write(json.dumps({"c": client[1], "dir": direction, "hex": data.hex()}) + "\n")
        out.flush()

    while not stop:
        for key, _ in sel.select(timeout=0.2):
            if key.data is None:
                data, client = front.recvfrom(65535)
                up = upstream.get(client)
                if up is None:
                    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    up.connect(("127.0.0.1", bmc_port))
                    upstream[client] = up
                    sel.register(up, selectors.EVENT_READ, client)
                record(client, "rq", data)
                up.send(data)
            else:
                client = key.data
                try:
                    data = key.fileobj.recv(65535)
                except OSError:
                    continue
                record(client, "rs", data)
                front.sendto(data, client)
    out.close()


# ---------------------------------------------------------------------------------- parsing


def parse(d):
    """A datagram as a dict: kind asf/v15/rmcpp, and the clear IPMI message if any."""
    if len(d) < 5 or d[0] != 0x06:
        return None
    if d[3] == 0x06:
        return {"kind": "asf"}
    if d[3] != 0x07:
        return None
    if d[4] == 0x06:
        if len(d) < 16:
            return None
        ptype = d[5]
        (sid,) = struct.unpack_from("<I", d, 6)
        (plen,) = struct.unpack_from("<H", d, 14)
        payload = d[16:16 + plen]
        msg = payload if (ptype & 0x3F) == 0 and not ptype & 0x80 else None
        return {"kind": "rmcpp", "ptype": ptype & 0x3F, "sid": sid, "msg": msg,
                "payload": payload}
    authtype = d[4] & 0x0F
    off = 13 + (16 if authtype else 0)
    if len(d) <= off:
        return None
    (sid,) = struct.unpack_from("<I", d, 9)
    mlen = d[off]
    return {"kind": "v15", "sid": sid, "msg": d[off + 1:off + 1 + mlen], "authtype": authtype}


def request_parts(msg):
    """(netfn, cmd, data) of a request message, or None."""
    if not msg or len(msg) < 7:
        return None
    return msg[1] >> 2, msg[5], msg[6:-1]


def response_parts(msg):
    """(netfn, cmd, cc, data) of a response message, or None."""
    if not msg or len(msg) < 8:
        return None
    return msg[1] >> 2, msg[5], msg[6], msg[7:-1]


def rec(kind, data):
    return bytes([kind]) + struct.pack("<H", len(data)) + bytes(data)


# Get Session Challenge and Activate Session belong to the handshake the target runs itself;
# everything else (Set Session Privilege Level first of all) is replayed.
SESSION_CMDS = {0x39, 0x3A}

# ---------------------------------------------------------------------------------- corpus


class Corpus:
    def __init__(self, root):
        self.root = root
        self.n = {}
        self.once = set()
        self.requests = []  # every distinct clear request of every run, in order

    def first(self, key):
        """True the first time key is seen (one seed of a sort per suite, not per run)."""
        if key in self.once:
            return False
        self.once.add(key)
        return True

    def add(self, target, data, limit=60):
        if not data or self.n.get(target, 0) >= limit:
            return
        d = os.path.join(self.root, target)
        os.makedirs(d, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()[:16]
        path = os.path.join(d, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.n[target] = self.n.get(target, 0) + 1


def load(path):
    """Client runs in one capture: {client port: [(dir, bytes)]} in order."""
    runs = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            runs.setdefault(r["c"], []).append((r["dir"], bytes.fromhex(r["hex"])))
    return runs


SUITE_OPT = {17: 0, 3: 1, 0: 2, 1: 3, 2: 4, 15: 5, 16: 6}  # fuzz_rmcpplus.c option bits 3-5


def suite_of(name):
    for s in (17, 16, 15, 3, 2, 1):
        if "-C%d" % s in name or "-I%d" % s in name:
            return s
    return 17


def one_run(corpus, name, packets):
    rq = [(p, parse(p)) for d, p in packets if d == "rq"]
    rs = [(p, parse(p)) for d, p in packets if d == "rs"]
    rq = [(p, x) for p, x in rq if x]
    reqs = []  # (netfn, cmd, data) of clear requests, handshake commands left out
    for _, x in rq:
        parts = request_parts(x.get("msg"))
        if parts and not (parts[0] == 6 and parts[1] in SESSION_CMDS):
            reqs.append(parts)

    # asf: the ASF pings, and the first datagram of each run (sessionless requests)
    for p, x in rq:
        if x["kind"] == "asf":
            corpus.add("asf", p)
    if rq:
        corpus.add("asf", rq[0][0])

    if any(x["kind"] == "v15" for _, x in rq):
        if corpus.first(("v15-raw", name.split("-")[0])):  # once per client program
            corpus.add("v15", b"\x00" + b"".join(rec(0, p) for p, _ in rq[:30]))
        # a few in-session datagrams with the session ID patched into a fresh MD5 session
        # (kind 1); the requests themselves are replayed by all_requests()
        ins = [p for p, x in rq if x["kind"] == "v15" and x["sid"]]
        if ins and corpus.first("v15-ins"):
            corpus.add("v15", b"\x02" + b"".join(rec(1, p) for p in ins[:8]))

    if any(x["kind"] == "rmcpp" for _, x in rq):
        opt = SUITE_OPT[suite_of(name)] << 3
        if corpus.first(("rmcpp-raw", name.split("-")[0], opt)):  # per program and suite
            corpus.add("rmcpplus", bytes([opt]) + b"".join(rec(0, p) for p, _ in rq[:30]))
        setup = {x["ptype"]: p for p, x in rq if x["kind"] == "rmcpp" and x["ptype"] >= 0x10}
        if 0x12 in setup and corpus.first(("rakp1", opt)):  # after our own Open Session
            corpus.add("rmcpplus", bytes([opt | 2]) + rec(1, setup[0x12]))
        if 0x14 in setup and corpus.first(("rakp3", opt)):  # after our RAKP 1/2 (bad code)
            corpus.add("rmcpplus", bytes([opt | 4]) + rec(1, setup[0x14]))
        ins = [p for p, x in rq if x["kind"] == "rmcpp" and x["sid"]]
        if ins and corpus.first(("rmcpp-ins", opt)):
            corpus.add("rmcpplus", bytes([opt | 6]) + b"".join(rec(1, p) for p in ins[:8]))

    for r in reqs:
        if r not in corpus.requests:
            corpus.requests.append(r)
    # ipmi: whole framed messages (kind 0xFD) of some runs
    msgs = [x["msg"] for _, x in rq if request_parts(x.get("msg"))]
    if msgs and corpus.first(("framed", len(msgs) // 8)):
        corpus.add("ipmi", b"".join(rec(0xFD, m) for m in msgs[:48]))

    # fru: Write FRU Data requests (storage 0x12: id, offset lo, hi, data) as write records
    writes = [d for n, c, d in reqs if n == 0x0A and c == 0x12 and len(d) >= 3]
    if writes:
        corpus.add("fru", b"\x01" + b"".join(rec(d[0], d[1:]) for d in writes[:60]))
    # sel: records the BMC served (Get SEL Entry 0x43 responses: next ID, 16 bytes) re-added
    sel = []
    for _, x in rs:
        parts = response_parts(x.get("msg")) if x else None
        if parts and parts[0] == 0x0B and parts[1] == 0x43 and parts[2] == 0 and len(parts[3]) >= 18:
            sel.append(parts[3][2:18])
    if sel:
        body = b"".join(rec(0, r) for r in sel[:40])
        corpus.add("sel", body + rec(1, b"\x00\x00") + rec(2, b"\xff\xff") + rec(1, b"\xff\xff"))
        corpus.add("sel", b"".join(rec(0, r) for r in sel[:8]) + rec(3, b"") + rec(0, sel[0]))


SET_PRIV_ADMIN = (0x06, 0x3B, b"\x04")


def all_requests(corpus):
    """Every distinct request seen, in chunks: for ipmi as ADMINISTRATOR in a session (how
    0x24, kind 0xFF: netFn/cmd given); for v15 and rmcpplus framed by the target (kind 3) in
    its own MD5 / suite 17 and 3 session, after Set Session Privilege Level (ADMINISTRATOR)."""
    reqs = [r for r in corpus.requests if r != SET_PRIV_ADMIN]
    for i in range(0, len(reqs), 40):
        corpus.add("ipmi", b"".join(rec(0xFF, bytes([0x24, n, c]) + d) for n, c, d in reqs[i:i + 40]))
    for i in range(0, len(reqs), 24):
        chunk = [SET_PRIV_ADMIN] + reqs[i:i + 24]
        body = b"".join(rec(3, bytes([n, c]) + d) for n, c, d in chunk)
        corpus.add("v15", b"\x02" + body)
        corpus.add("rmcpplus", bytes([(SUITE_OPT[17] << 3) | 6]) + body)
        corpus.add("rmcpplus", bytes([(SUITE_OPT[3] << 3) | 6]) + body)


def corpus_main(cap_dir, out_dir):
    corpus = Corpus(out_dir)
    # the suite-2 runs first: their requests are readable and the most varied
    for fn in sorted(os.listdir(cap_dir), key=lambda f: ("-C2-" not in f and "-I2" not in f, f)):
        path = os.path.join(cap_dir, fn)
        if fn.endswith(".jsonl"):
            for _, packets in sorted(load(path).items()):
                one_run(corpus, fn, packets)
        elif fn.endswith(".fru"):  # an image read with "ipmitool fru read"
            with open(path, "rb") as f:
                img = f.read()
            corpus.add("fru", b"\x00" + img)
            corpus.add("fru", b"\x01" + rec(0, b"\x00\x00" + img[:64]))
    all_requests(corpus)
    for t, n in sorted(corpus.n.items()):
        print("corpus %-9s %d new" % (t, n))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "proxy":
        proxy(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif len(sys.argv) == 4 and sys.argv[1] == "corpus":
        corpus_main(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
