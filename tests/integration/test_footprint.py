"""The HTTPS front end is loaded only when HTTPS is configured (src/web/module.c).

softbmcd without http.listen / --http must not map libwebsockets, libssl, jansson or the web
module at all (that is the memory it saves, bench/RESULTS.md); with --http it loads the module
from next to the binary and serves Redfish; and a softbmcd that cannot find the module refuses
to start with a line that names it, instead of running without the HTTPS it was asked for.
"""

import os
import shutil
import subprocess
import tempfile

import harness as H
from harness import check, expect_ok, fail
from rfcurl import curl, expect_status

WEB_ONLY = ("softbmc-web.so", "libwebsockets", "libssl.so", "libjansson")


def mapped_files(pid):
    with open("/proc/%d/maps" % pid) as f:
        return {line.split()[-1] for line in f if "/" in line}


def test_ipmi_only_daemon_maps_no_web_library():
    d = H.shared_daemon(__name__, "ipmi", config=H.FAST_CONFIG)
    expect_ok(d.ipmitool("mc", "info", cipher=17), "ipmitool mc info")
    maps = mapped_files(d.proc.pid)
    found = sorted(m for m in maps if any(w in m for w in WEB_ONLY))
    check(not found, "an IPMI-only softbmcd maps the web libraries: %s" % found)
    check(any("libcrypto" in m for m in maps), "libcrypto mapped (the test reads the right maps)")


def test_https_daemon_loads_the_module_and_serves_redfish():
    d = H.shared_daemon(__name__, "https", config=H.FAST_CONFIG, http=True)
    expect_status(curl(d, "GET", "/redfish/v1/Systems/1"), 200, "GET Systems/1 over HTTPS")
    maps = mapped_files(d.proc.pid)
    module = [m for m in maps if m.endswith("/softbmc-web.so")]
    check(module, "softbmcd --http has not mapped softbmc-web.so")
    want = os.path.join(os.path.dirname(os.path.realpath(d.binary)), "softbmc-web.so")
    check(os.path.realpath(module[0]) == want,
          "the module came from %s, not from next to the binary (%s)" % (module[0], want))
    expect_ok(d.ipmitool("mc", "info", cipher=17), "ipmitool next to HTTPS")


def test_missing_module_stops_the_start_and_names_it():
    tmp = tempfile.mkdtemp(prefix="softbmc-it-nomodule-", dir="/tmp")
    try:
        lone = os.path.join(tmp, "softbmcd")
        shutil.copy2(H.daemon_binary(), lone)  # no softbmc-web.so next to this copy
        state = os.path.join(tmp, "state")
        argv = [lone, "--state-dir", state, "--listen", "127.0.0.1:%d" % H.free_udp_port(),
                "--http", "127.0.0.1:%d" % H.free_tcp_port("127.0.0.1"), "--log-level", "info"]
        if os.geteuid() == 0:
            argv += ["--user", "root"]  # the copy's state dir needs no hand-over here
        env = dict(os.environ, SOFTBMC_ADMIN_PASSWORD=H.ADMIN_PASSWORD)
        try:
            p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            fail("softbmcd without its web module kept running with --http")
        check(p.returncode != 0, "softbmcd started without its web module:\n" + p.stderr)
        check("cannot load the HTTPS module softbmc-web.so" in p.stderr,
              "the log does not name the missing module:\n" + p.stderr)
        check(" ready" not in p.stderr, "softbmcd said ready without HTTPS:\n" + p.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
