#!/usr/bin/python3
"""Boots the test guest against OpenIPMI's ipmi_sim (no softbmcd) and runs in-band clients.

    /usr/bin/python3 tests/qemu/try-ipmi-sim.py [--accel tcg|kvm:tcg] [--keep] [CMD ...]

Builds the guest (tests/qemu/build-guest.sh build-guest), starts ipmi_sim with a KCS system
interface on a free 127.0.0.1 port speaking QEMU's "VM" protocol, starts QEMU with
guest.qemu_args() plus the ipmi-bmc-extern/isa-ipmi-kcs device arguments, waits for the guest's
shell, runs each CMD (default: `bmc-watchdog --get` and `ipmitool mc info`) and prints its exit
code and output. Stops QEMU and ipmi_sim by PID. A developer tool, not part of `make test`.
Logs (ipmi_sim, QEMU, console transcript) stay in the printed work directory with --keep.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

import guest  # noqa: E402

DEFAULT_CMDS = ["bmc-watchdog --get", "ipmitool mc info"]


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("ipmi_sim exited with %d" % proc.returncode)
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                local, state = fields[1], fields[3]
                if state == "0A" and int(local.split(":")[1], 16) == port:  # 0A: LISTEN
                    return
        time.sleep(0.05)
    raise RuntimeError("ipmi_sim does not listen on port %d" % port)


def stop(proc, name):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        print("%s (pid %d) ignored SIGTERM; SIGKILL" % (name, proc.pid))
        proc.kill()
        proc.wait(10)


def start_ipmi_sim(work, port):
    conf = os.path.join(work, "lan.conf")
    with open(conf, "w") as f:
        f.write('name "softbmc-try"\n'
                "set_working_mc 0x20\n"
                "  serial kcs 127.0.0.1 %d codec VM\n" % port)
    emu = os.path.join(work, "sim.emu")
    with open(emu, "w") as f:
        subprocess.run([os.path.join(REPO, "bench", "ipmi_sim_sensors.sh")], stdout=f,
                       check=True, timeout=30)
    state = os.path.join(work, "sim-state")
    os.makedirs(state, exist_ok=True)
    log = open(os.path.join(work, "ipmi_sim.log"), "w")
    proc = subprocess.Popen(["ipmi_sim", "-c", conf, "-f", emu, "-s", state, "-n"],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    wait_listening(port, proc)
    return proc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accel", default=None, help="QEMU accelerators, e.g. tcg or kvm:tcg")
    ap.add_argument("--image-dir", default=guest.DEFAULT_IMAGE_DIR)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("cmds", nargs="*", default=DEFAULT_CMDS)
    opts = ap.parse_args()

    paths = guest.build_image(opts.image_dir)
    work = tempfile.mkdtemp(prefix="softbmc-try-ipmi-sim-")
    sim = qemu = con = None
    failed = False
    try:
        port = free_tcp_port()
        sim = start_ipmi_sim(work, port)
        serial = os.path.join(work, "serial.sock")
        accel = opts.accel or guest.default_accel(opts.image_dir)
        argv = ([guest.QEMU] + guest.qemu_args(opts.image_dir, serial, accel=accel)
                + guest.ipmi_extern_args(port))
        print("kernel %s, initrd %s" % (paths["kernel"], paths["initrd"]))
        print("ipmi_sim pid %d on 127.0.0.1:%d" % (sim.pid, port))
        print("qemu:", " ".join(argv))
        t0 = time.monotonic()
        qemu = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=open(os.path.join(work, "qemu.log"), "w"),
                                stderr=subprocess.STDOUT)
        con = guest.GuestConsole(serial, log_path=os.path.join(work, "console.log"))
        has_ipmi = con.wait_ready(timeout=180)
        print("guest ready after %.1f s (accel %s), /dev/ipmi0: %s"
              % (time.monotonic() - t0, accel, "yes" if has_ipmi else "NO"))
        failed = not has_ipmi
        for cmd in opts.cmds:
            code, out = con.run(cmd, timeout=120)
            print("\n$ %s   (exit %d)\n%s" % (cmd, code, out.rstrip("\n")))
            failed = failed or code != 0
    finally:
        if con is not None:
            con.close()
        stop(qemu, "qemu")
        stop(sim, "ipmi_sim")
        if opts.keep or failed:
            print("\nlogs kept in", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
