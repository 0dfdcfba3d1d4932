#!/usr/bin/python3
"""Run softbmc's integration tests: real clients against the real daemon.

    /usr/bin/python3 tests/integration/run.py [FILTER ...]

Discovers tests/integration/test_*.py and runs every top-level function named test_* in the
order it is defined. A FILTER is a substring of "module.test_name"; with several, a test runs
if any matches. Daemons shared by a module's tests (harness.shared_daemon) are stopped after
the module's last test and their clean exit (code 0, so no ASan leak report) is reported as
one more result, "<module>.<daemon KEY>: clean SIGTERM exit".

Prints PASS/FAIL/SKIP per test (a failure with its reason and the daemon log tail) and, as the
last line, exactly "N passed, N failed". Exit code 0 only if nothing failed.
Environment: SOFTBMCD (daemon binary), TEST_TIMEOUT (seconds per test, default 300).
"""

import glob
import importlib
import inspect
import os
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402


class _TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise _TestTimeout()


def _tests_of(mod):
    fns = [(name, fn) for name, fn in vars(mod).items()
           if name.startswith("test_") and inspect.isfunction(fn) and fn.__module__ == mod.__name__]
    fns.sort(key=lambda t: t[1].__code__.co_firstlineno)
    return fns


def _daemon_tails():
    out = []
    for d in list(harness._live):
        out.append(d.log_tail(30))
    return "\n".join(out)


def main(argv):
    filters = [a for a in argv if not a.startswith("-")]
    per_test = float(os.environ.get("TEST_TIMEOUT", "300"))
    print("softbmc integration tests; daemon: %s" % harness.daemon_binary(), flush=True)
    # daemon logs of earlier runs (NAME-PID-N.log); run.sh's own output log is kept
    for old in glob.glob(os.path.join(harness.TMP, "*-[0-9]*-[0-9]*.log")):
        try:
            os.unlink(old)
        except OSError:
            pass
    passed = failed = skipped = 0
    t_all = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGTERM, lambda s, f: sys.exit(143))  # run atexit cleanup on `timeout`

    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        modname = os.path.splitext(os.path.basename(path))[0]
        try:
            mod = importlib.import_module(modname)
        except Exception:
            print("FAIL %s (import)\n%s" % (modname, _indent(traceback.format_exc())), flush=True)
            failed += 1
            continue
        tests = [(n, f) for n, f in _tests_of(mod)
                 if not filters or any(x in "%s.%s" % (modname, n) for x in filters)]
        if not tests:
            continue
        for name, fn in tests:
            full = "%s.%s" % (modname, name)
            t0 = time.monotonic()
            err = None
            skip = None
            signal.setitimer(signal.ITIMER_REAL, per_test)
            try:
                fn()
            except harness.Skip as e:
                skip = str(e)
            except _TestTimeout:
                err = "test exceeded TEST_TIMEOUT=%.0fs" % per_test
            except harness.TestFailure as e:
                err = str(e)
            except Exception:
                err = "exception:\n" + _indent(traceback.format_exc())
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            dt = time.monotonic() - t0
            dead = harness.dead_daemons()
            if dead:
                extra = "\n".join("softbmcd %s died during the test with exit code %s\n%s"
                                  % (d.name, d.last_exit, d.log_tail(60)) for d in dead)
                err = (err + "\n" if err else "") + extra
                skip = None
            if skip is not None and err is None:
                skipped += 1
                print("SKIP %s (%s)" % (full, skip), flush=True)
            elif err is None:
                passed += 1
                print("PASS %s (%.1fs)" % (full, dt), flush=True)
            else:
                failed += 1
                tails = "" if dead or "daemon log (" in err else _daemon_tails()
                print("FAIL %s (%.1fs)\n%s\n%s" % (full, dt, _indent(err, "  "), tails), flush=True)
        for key, err in harness.stop_shared(modname):
            full = "%s.<daemon %s>: clean SIGTERM exit" % (modname, key)
            if err is None:
                passed += 1
                print("PASS %s" % full, flush=True)
            else:
                failed += 1
                print("FAIL %s\n%s" % (full, _indent(err, "  ")), flush=True)
        # daemons a test created itself and did not clean up
        for d in list(harness._live):
            d.cleanup()

    print("integration: %d passed, %d failed, %d skipped in %.0fs"
          % (passed, failed, skipped, time.monotonic() - t_all), flush=True)
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


def _indent(s, pre="    "):
    return "\n".join(pre + l for l in s.rstrip("\n").split("\n"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
