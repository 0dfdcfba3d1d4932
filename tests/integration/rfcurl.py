"""curl as the Redfish client of the integration tests (a real client, not a mock).

curl(d, method, path, ...) runs `curl -k` against the daemon's HTTPS port and returns a
Resp with the status, the response headers (lower-case names) and the body (text and JSON).
"""

import json
import os
import tempfile

import harness as H


class Resp:
    def __init__(self, result, status, headers, body):
        self.result = result
        self.status = status
        self.headers = headers
        self.text = body
        try:
            self.json = json.loads(body) if body.strip() else None
        except ValueError:
            self.json = None

    def report(self):
        return "%s  status %s\n  headers %s\n  body: %s" % (
            self.result.report(), self.status, self.headers, self.text[:1500])

    def message_ids(self):
        """MessageIds of a Redfish error body (without the registry prefix)."""
        err = (self.json or {}).get("error", {})
        return [m.get("MessageId", "").split(".")[-1]
                for m in err.get("@Message.ExtendedInfo", [])]


def curl(d, method, path, auth="admin", password=None, token=None, body=None, data_file=None,
         headers=(), cookie=None, timeout=30):
    """auth: a user name for HTTP Basic (password defaults to the admin password), or None."""
    hdr_file = tempfile.NamedTemporaryFile(prefix="rf-hdr-", dir="/tmp", delete=False)
    hdr_file.close()
    argv = ["curl", "-sk", "--max-time", str(timeout), "-X", method, "-D", hdr_file.name,
            "-w", "\n%{http_code}"]
    if auth is not None and token is None and cookie is None:
        argv += ["-u", "%s:%s" % (auth, password if password is not None else d.admin_password)]
    if token is not None:
        argv += ["-H", "X-Auth-Token: " + token]
    if cookie is not None:
        argv += ["-b", cookie]
    for h in headers:
        argv += ["-H", h]
    if body is not None:
        argv += ["-H", "Content-Type: application/json",
                 "--data-binary", body if isinstance(body, str) else json.dumps(body)]
    if data_file is not None:
        argv += ["-H", "Content-Type: application/json", "--data-binary", "@" + data_file]
    argv.append(d.http_url + path)
    res = H.run(argv, timeout=timeout + 10)
    try:
        with open(hdr_file.name, errors="replace") as f:
            raw = f.read()
    finally:
        os.unlink(hdr_file.name)
    headers_out = {}
    for line in raw.splitlines():
        if ":" in line and not line.startswith("HTTP/"):
            k, v = line.split(":", 1)
            headers_out[k.strip().lower()] = v.strip()
    out, _, code = res.out.rpartition("\n")
    status = int(code) if code.strip().isdigit() else 0
    return Resp(res, status, headers_out, out)


def expect_status(r, status, what):
    if r.status != status:
        H.fail("%s: expected HTTP %d\n%s" % (what, status, r.report()))
    return r


def expect_error(r, status, message_id, what):
    expect_status(r, status, what)
    if message_id not in r.message_ids():
        H.fail("%s: expected a Redfish error body with %s\n%s" % (what, message_id, r.report()))
    if "error" not in (r.json or {}) or "code" not in r.json["error"]:
        H.fail("%s: error body lacks error.code\n%s" % (what, r.report()))
    return r


def login(d, user="admin", password=None):
    """A Redfish session: (token, session path, csrf token)."""
    r = curl(d, "POST", "/redfish/v1/SessionService/Sessions", auth=None,
             body={"UserName": user, "Password": password or d.admin_password})
    expect_status(r, 201, "session login as %s" % user)
    tok = r.headers.get("x-auth-token")
    loc = r.headers.get("location")
    H.check(tok and loc, "session login: X-Auth-Token and Location headers expected\n"
            + r.report())
    return tok, loc, r.json["Oem"]["Softbmc"]["CsrfToken"]
