"""The QEMU test guest: build it, make its QEMU arguments, drive its serial console.

Stdlib only; run by Debian's /usr/bin/python3. The guest is a Debian 12 kernel plus an
initramfs with busybox, the Linux IPMI driver (ipmi_si finds QEMU's KCS interface through ACPI)
and the in-band IPMI clients: FreeIPMI (bmc-watchdog, ipmi-sensors, ipmi-sel, bmc-info,
ipmi-raw, ipmi-chassis, ipmi-fru) and ipmitool. tests/qemu/build-guest.sh builds it;
docs/qemu-guest.md describes it.

    paths = build_image(outdir)                   # {"kernel": ..., "initrd": ...}
    argv = [QEMU] + qemu_args(outdir, "/tmp/x/serial.sock") + <IPMI device args>
    con = GuestConsole("/tmp/x/serial.sock")      # once QEMU runs
    con.wait_ready(timeout=120)
    code, out = con.run("bmc-watchdog --get", timeout=30)
    con.close()

Every wait here is bounded by a deadline and ends as soon as what it waits for has arrived;
nothing depends on a sleep. A timeout raises GuestTimeout with the console's last output.
"""

import fcntl
import os
import re
import secrets
import select
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD_SCRIPT = os.path.join(REPO, "tests", "qemu", "build-guest.sh")
DEFAULT_IMAGE_DIR = os.path.join(REPO, "build-guest")

QEMU = "qemu-system-x86_64"
# quiet + loglevel: the console carries the shell the tests drive, not kernel chatter.
# panic=-1: a kernel panic reboots at once instead of hanging the test until its timeout.
KERNEL_CMDLINE = "console=ttyS0,115200 quiet loglevel=1 panic=-1 rdinit=/init"

READY_LINE = "softbmc-guest: ready"
NO_IPMI_LINE = "softbmc-guest: no /dev/ipmi0"

_KVM_GET_API_VERSION = 0xAE00


class GuestTimeout(TimeoutError):
    """A bounded wait on the guest ran out; the message carries the console's last output."""


def build_image(outdir=DEFAULT_IMAGE_DIR, timeout=900):
    """Runs tests/qemu/build-guest.sh OUTDIR (a no-op when up to date); returns the paths.

    The first build downloads the kernel .deb (about 70 MB) from the Debian archive."""
    proc = subprocess.run(["bash", BUILD_SCRIPT, outdir], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError("build-guest.sh failed (exit %d):\n%s"
                           % (proc.returncode, proc.stdout.decode(errors="replace")))
    paths = {"kernel": os.path.join(outdir, "vmlinuz"),
             "initrd": os.path.join(outdir, "initrd.img")}
    for p in paths.values():
        if not os.path.isfile(p):
            raise RuntimeError("build-guest.sh did not produce " + p)
    return paths


def kvm_usable():
    """True if this process can open /dev/kvm and talk to it (else QEMU falls back to TCG)."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return fcntl.ioctl(fd, _KVM_GET_API_VERSION) == 12
    except OSError:
        return False
    finally:
        os.close(fd)


def kvm_boots(image_dir=DEFAULT_IMAGE_DIR, timeout=20.0):
    """True if the guest, under KVM alone, gets as far as its /init within `timeout` seconds.

    /dev/kvm can open and still not run this guest: under nested virtualisation (a Firecracker
    VM on AMD EPYC, where this was written) the kernel hangs in its decompressor and QEMU never
    falls back. The answer is cached in IMAGE_DIR per host kernel and image."""
    try:
        with open(os.path.join(image_dir, ".stamp")) as f:
            stamp = f.read().strip()
    except OSError:
        stamp = "none"
    cache = os.path.join(image_dir, ".kvm-boots-%s-%s" % (os.uname().release, stamp[:16]))
    try:
        with open(cache) as f:
            return f.read().strip() == "yes"
    except OSError:
        pass
    serial = os.path.join(image_dir, ".kvm-probe-serial.log")
    if os.path.exists(serial):
        os.unlink(serial)
    argv = [QEMU, "-accel", "kvm", "-machine", "pc", "-m", "128", "-nodefaults",
            "-no-user-config", "-display", "none", "-no-reboot",
            "-kernel", os.path.join(image_dir, "vmlinuz"),
            "-initrd", os.path.join(image_dir, "initrd.img"),
            "-append", KERNEL_CMDLINE, "-serial", "file:" + serial]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    ok = False
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with open(serial, "rb") as f:
                    if b"softbmc-guest:" in f.read():
                        ok = True
                        break
            except OSError:
                pass
            time.sleep(0.1)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if os.path.exists(serial):
            os.unlink(serial)
    with open(cache, "w") as f:
        f.write("yes\n" if ok else "no\n")
    return ok


def default_accel(image_dir=DEFAULT_IMAGE_DIR):
    """The accelerators for qemu_args, as QEMU's -accel list joined by ':'.

    $SOFTBMC_QEMU_ACCEL if set (e.g. "tcg"); else "kvm:tcg" (KVM, TCG if QEMU cannot open
    /dev/kvm) when KVM boots the guest here, else "tcg"."""
    env = os.environ.get("SOFTBMC_QEMU_ACCEL")
    if env:
        return env
    if kvm_usable() and kvm_boots(image_dir):
        return "kvm:tcg"
    return "tcg"


def qemu_args(image_dir, serial_sock, mem_mb=256, extra_cmdline="", accel=None):
    """QEMU arguments (without the binary and without the IPMI devices) booting the guest with
    its console on a unix socket that QEMU listens on (GuestConsole connects to it).

    `accel` ("kvm:tcg", "tcg", ...; default: default_accel()) becomes one -accel per name:
    with `-accel kvm -accel tcg` QEMU uses KVM when it can open /dev/kvm, else TCG (so a QEMU
    run as an unprivileged user outside group kvm silently gets TCG). No -no-reboot: a reset
    (from the guest or from the BMC) must reboot the guest, not end QEMU."""
    cmdline = KERNEL_CMDLINE + (" " + extra_cmdline if extra_cmdline else "")
    accels = []
    for a in (accel or default_accel(image_dir)).split(":"):
        accels += ["-accel", a]
    return accels + [
        "-machine", "pc",
        "-smp", "1",
        "-m", str(mem_mb),
        "-nodefaults", "-no-user-config", "-display", "none",
        "-kernel", os.path.abspath(os.path.join(image_dir, "vmlinuz")),
        "-initrd", os.path.abspath(os.path.join(image_dir, "initrd.img")),
        "-append", cmdline,
        "-chardev", "socket,id=ser0,path=%s,server=on,wait=off" % serial_sock,
        "-serial", "chardev:ser0",
    ]


def ipmi_extern_args(port, host="127.0.0.1"):
    """The IPMI device arguments for a BMC listening on host:port with QEMU's "VM" protocol
    (ipmi-bmc-extern, KCS at 0xca2). softbmcd adds its own; these are for other BMCs, such as
    OpenIPMI's ipmi_sim in tests/qemu/try-ipmi-sim.py."""
    return [
        "-chardev", "socket,id=ipmi0,host=%s,port=%d,reconnect=1" % (host, port),
        "-device", "ipmi-bmc-extern,chardev=ipmi0,id=bmc0",
        "-device", "isa-ipmi-kcs,bmc=bmc0",
    ]


class GuestConsole:
    """The guest's serial console (ttyS0) through QEMU's unix socket chardev."""

    def __init__(self, path, connect_timeout=30.0, log_path=None):
        self.path = path
        self.transcript = bytearray()  # everything received, for error messages
        self._buf = bytearray()  # received and not yet consumed by a wait
        self._log = open(log_path, "ab") if log_path else None
        self.sock = self._connect(connect_timeout)

    def _connect(self, timeout):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.path)
                s.setblocking(False)
                return s
            except OSError as e:  # QEMU not listening yet
                last = e
                s.close()
            time.sleep(0.05)
        raise GuestTimeout("cannot connect to the guest console %s within %.0f s: %s"
                           % (self.path, timeout, last))

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- low level ----

    def send(self, text):
        data = text.encode() if isinstance(text, str) else bytes(text)
        deadline = time.monotonic() + 10.0
        while data:
            if time.monotonic() > deadline:
                raise GuestTimeout("the guest console does not take input")
            _, w, _ = select.select([], [self.sock], [], 0.5)
            if w:
                n = self.sock.send(data)
                data = data[n:]

    def _pump(self, wait):
        """Reads what has arrived, waiting at most `wait` seconds for the first byte."""
        r, _, _ = select.select([self.sock], [], [], max(0.0, wait))
        if not r:
            return
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        if not data:
            raise EOFError("the guest console closed (QEMU exited?)\n" + self.tail())
        self.transcript += data
        self._buf += data
        if self._log is not None:
            self._log.write(data)
            self._log.flush()

    def tail(self, n=2000):
        return self.transcript[-n:].decode(errors="replace")

    def expect(self, regex, timeout, on_idle=None, idle_every=1.0):
        """Waits until `regex` (bytes) matches the unconsumed output; consumes up to the end of
        the match and returns the match. `on_idle` is called at once and then every
        `idle_every` seconds while waiting (e.g. to poke the shell)."""
        pat = re.compile(regex)
        deadline = time.monotonic() + timeout
        next_idle = time.monotonic()
        while True:
            m = pat.search(bytes(self._buf))  # a copy: the match must outlive the del below
            if m:
                del self._buf[:m.end()]
                return m
            now = time.monotonic()
            if now >= deadline:
                raise GuestTimeout("no %r on the guest console within %.0f s; last output:\n%s"
                                   % (regex, timeout, self.tail()))
            if on_idle is not None and now >= next_idle:
                on_idle()
                next_idle = now + idle_every
            self._pump(min(deadline, next_idle if on_idle else deadline) - now)

    # ---- what the tests use ----

    def wait_ready(self, timeout=120.0):
        """Waits until the guest's shell answers. Works whether or not the boot messages were
        seen (the console may be connected after the ready line went by): sends
        `echo RDY$((40+2))` every second and waits for the shell's `RDY42` (the echo of the
        input shows `$((40+2))`, never 42). Returns True if the guest has /dev/ipmi0."""
        self.expect(rb"(?m)^RDY42\r?$", timeout, on_idle=lambda: self.send("echo RDY$((40+2))\n"))
        code, _ = self.run("test -c /dev/ipmi0", timeout=min(30.0, timeout))
        return code == 0

    def run(self, cmd, timeout=60.0):
        """Runs `cmd` (a shell command line, newlines allowed) in the guest's shell, stdin from
        /dev/null, stderr into stdout. Returns (exit_code, output) with output's line ends as
        "\\n". The output is framed by markers that appear only when the shell prints them:
        the echoed input carries them split by quotes ("SBG-B-""<token>")."""
        tok = secrets.token_hex(8)
        begin, end = "SBG-B-" + tok, "SBG-E-" + tok
        self.send('echo "SBG-B-""%s"; (\n%s\n) </dev/null 2>&1; echo "SBG-E-""%s $?"\n'
                  % (tok, cmd, tok))
        deadline = time.monotonic() + timeout
        try:
            self.expect(re.escape(begin.encode()) + rb"\r?\n", timeout)
            m = self.expect(rb"(?s)(.*?)" + re.escape(end.encode()) + rb" (\d+)\r?\n",
                            max(0.0, deadline - time.monotonic()))
        except GuestTimeout:
            self.send("\x03")  # interrupt the command so the shell can take the next one
            raise
        out = m.group(1).decode(errors="replace").replace("\r\n", "\n").replace("\r", "")
        return int(m.group(2)), out
