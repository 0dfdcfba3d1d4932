#!/usr/bin/python3
"""Seed corpus of fuzz_web from real HTTPS clients (used by capture_web.sh).

  capture_web.py proxy LISTEN_PORT DAEMON_PORT CERT KEY OUT.jsonl PIDFILE
      A recording HTTPS proxy on 127.0.0.1 (TLS with CERT/KEY, the daemon's own certificate):
      every request is forwarded to softbmcd on DAEMON_PORT and appended to OUT.jsonl with its
      response (method, target, headers, body; status, headers, body). HTTP/1.1 keep-alive.
      Runs until SIGTERM. Stdlib only.

  capture_web.py corpus CAPTURE_DIR CORPUS_DIR
      Turns each capture (one .jsonl per client run) into fuzz_web inputs (see the comment at
      the top of fuzz_web.c): up to 32 requests per input in its text format, the headers the
      service reads kept (requests for the console's static files left out), session tokens and CSRF tokens replaced by the target's markers (the
      latest session a captured request opened -> @LAST/@LCSRF, an earlier one -> @TOKEN/@CSRF).
      The daemon ran with the fuzz targets' admin password, so Basic credentials stay as they
      are. Files are named by content hash, so re-running is idempotent.
"""

import hashlib
import http.client
import http.server
import json
import os
import signal
import ssl
import sys
import threading

KEPT = ("authorization", "x-auth-token", "cookie", "x-csrf-token", "if-match", "content-type")
HOP = ("connection", "keep-alive", "transfer-encoding", "content-length")


def proxy(listen_port, daemon_port, cert, key, out_path, pidfile):
    lock = threading.Lock()
    out = open(out_path, "a")
    ctx_up = ssl.create_default_context()
    ctx_up.check_hostname = False
    ctx_up.verify_mode = ssl.CERT_NONE

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def forward(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            up = getattr(self, "up", None)
            if up is None:
                up = self.up = http.client.HTTPSConnection("127.0.0.1", daemon_port,
                                                           context=ctx_up, timeout=30)
            hdrs = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            up.request(self.command, self.path, body=body or None, headers=hdrs)
            r = up.getresponse()
            data = r.read()
            rh = [(k, v) for k, v in r.getheaders() if k.lower() not in HOP]
            with lock:
                out.write(json.dumps({
                    "method": self.command, "target": self.path,
                    "headers": list(self.headers.items()), "body": body.hex(),
                    "status": r.status, "rheaders": rh, "rbody": data.hex()}) + "\n")
                out.flush()
            self.send_response(r.status)
            for k, v in rh:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            if r.getheader("Connection", "").lower() == "close":
                self.up.close()
                self.up = None

        do_GET = do_HEAD = do_POST = do_PATCH = do_PUT = do_DELETE = do_OPTIONS = forward

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", listen_port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    with open(pidfile + ".tmp", "w") as f:  # written once listening: the caller waits for it
        f.write(str(os.getpid()))
    os.rename(pidfile + ".tmp", pidfile)
    srv.serve_forever(poll_interval=0.2)


# ---------------------------------------------------------------------------------- corpus

def session_of(ex):
    """(token, csrf) a response hands out, or (None, None)."""
    tok = next((v for k, v in ex["rheaders"] if k.lower() == "x-auth-token"), None)
    csrf = None
    try:
        csrf = json.loads(bytes.fromhex(ex["rbody"]))["Oem"]["Softbmc"]["CsrfToken"]
    except (ValueError, KeyError, TypeError):
        pass
    return tok, csrf


def as_text(ex, subst):
    def sub(s):
        for old, new in subst:
            s = s.replace(old, new)
        return s
    lines = ["%s %s" % (ex["method"], ex["target"])]
    for k, v in ex["headers"]:
        if k.lower() in KEPT:
            lines.append("%s: %s" % (k, sub(v)))
    body = bytes.fromhex(ex["body"])
    try:
        body = sub(body.decode()).encode()
    except UnicodeDecodeError:
        pass
    return ("\n".join(lines) + "\n\n").encode() + body


def corpus(cap_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(cap_dir)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(cap_dir, name)) as f:
            exchanges = [json.loads(line) for line in f if line.strip()]
        older, last, texts = [], None, []
        for ex in exchanges:
            if not ex["target"].startswith("/redfish"):
                continue  # the console's static files: not the Redfish request path
            subst = []
            if last:
                subst += [(last[0], "@LAST")] + ([(last[1], "@LCSRF")] if last[1] else [])
            for t, c in older:
                subst += [(t, "@TOKEN")] + ([(c, "@CSRF")] if c else [])
            texts.append(as_text(ex, subst))
            tok, csrf = session_of(ex)
            if tok:
                if last:
                    older.append(last)
                last = (tok, csrf)
        for i in range(0, len(texts), 32):
            data = b"\n--\n".join(texts[i:i + 32])
            with open(os.path.join(out_dir, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    if len(sys.argv) == 8 and sys.argv[1] == "proxy":
        proxy(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6],
              sys.argv[7])
    elif len(sys.argv) == 4 and sys.argv[1] == "corpus":
        corpus(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
