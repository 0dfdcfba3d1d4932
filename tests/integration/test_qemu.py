"""A QEMU virtual machine as the managed server (platform.type qemu): the in-band path.

softbmcd starts QEMU (Debian qemu-system-x86 7.2) on power-on with its ipmi-bmc-extern device
wired to the daemon; the guest is tests/qemu/build-guest.sh's Debian 12 kernel + initramfs with
the Linux IPMI driver (ipmi_si finds the KCS interface through ACPI, ipmi_devintf makes
/dev/ipmi0) and the real in-band clients: FreeIPMI's bmc-watchdog, ipmi-sensors, bmc-info and
ipmitool over /dev/ipmi0, as a host OS (TrueNAS, say) runs them. The tests drive the guest's
shell on its serial console (guest.py) and check every in-band result against the same BMC
over LAN (ipmitool -I lanplus), both ways:

- issue 3's last "Must show" item: `bmc-watchdog --get` reads the watchdog a LAN client set,
  and a watchdog set in-band reads back over LAN;
- in-band ipmitool / FreeIPMI see the same device, sensors and SEL as LAN clients, and an
  in-band user configuration lets that user log in over LAN;
- chassis control from LAN reaches the VM: diag (an NMI the guest kernel reports), hard reset
  (a new boot id), soft off (the ACPI power button; the guest's acpid powers off), power cycle
  and off (QEMU's process ends); the guest powering itself off shows as power off;
- a watchdog pre-timeout with a messaging interrupt raises SMS_ATN: the guest's driver reads
  and clears the message flags;
- the guest's own reboot reaches the BMC (QEMU's QMP RESET event): SEL event, volatile System
  Info cleared;
- stopping the daemon ends QEMU;
- the IPMI boot device override reaches QEMU's firmware (a second VM, no guest kernel: SeaBIOS's
  debug console says where it booted from).
"""

import atexit
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import tempfile

import guest as G
import harness as H
import rmcpplus as R
from harness import check, check_eq, expect_ok, fail, poll_until

_state = {}
_qemu_pids = set()


def _kill_leftover_qemu():
    for pid in _qemu_pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


atexit.register(_kill_leftover_qemu)


def _run_user():
    """The user test daemons drop to (harness: started as root, default user)."""
    for name in ("softbmc", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise H.Skip("no unprivileged user to run QEMU as")


def _setup():
    """Builds the guest, copies it where the daemon's user can read it, starts the daemon."""
    if "daemon" in _state:
        return _state
    if not shutil.which(G.QEMU):
        fail("%s is not installed (scripts/deps.sh installs qemu-system-x86)" % G.QEMU)
    image = G.build_image()
    work = tempfile.mkdtemp(prefix="softbmc-it-qemu-", dir="/tmp")
    user = _run_user()
    for k in ("kernel", "initrd"):
        shutil.copy(image[k], os.path.join(work, os.path.basename(image[k])))
        os.chmod(os.path.join(work, os.path.basename(image[k])), 0o644)
    os.chown(work, user.pw_uid, user.pw_gid)
    os.chmod(work, 0o755)
    serial = os.path.join(work, "serial.sock")
    # KVM where it runs this guest (not under some nested virtualisation), else TCG.
    accel = G.default_accel(os.path.dirname(image["kernel"]))
    argv = [G.QEMU] + G.qemu_args(work, serial, accel=accel)
    config = ("platform:\n"
              "  type: qemu\n"
              "  qemu:\n"
              "    command: %s\n"  # a JSON string is a YAML double-quoted scalar
              "    kill_wait: 5\n"
              "  sim:\n"
              "    cycle_off_interval_ms: 1000\n"
              "    speed: 10\n" % json.dumps(" ".join(shlex.quote(a) for a in argv)))
    d = H.Daemon("qemu", config=config)
    _state.update(daemon=d, work=work, serial=serial)
    d.start()
    return _state


def D():
    return _setup()["daemon"]


def lan(*cmd, **kw):
    kw.setdefault("cipher", 17)
    return D().ipmitool(*cmd, **kw)


def lan_ok(*cmd, **kw):
    return expect_ok(lan(*cmd, **kw), "ipmitool -I lanplus " + " ".join(str(c) for c in cmd))


def qemu_pid_of(d):
    """A daemon's running QEMU's PID from its -pidfile (in the state dir), or None."""
    try:
        with open(os.path.join(d.state_dir, "qemu.pid")) as f:
            pid = int(f.read().strip() or 0)
    except (FileNotFoundError, ValueError):
        return None
    return pid if pid and os.path.exists("/proc/%d" % pid) else None


def qemu_pid():
    return qemu_pid_of(D())


def _track(pid):
    """Remembers a QEMU to kill at exit should a test leave it behind."""
    if pid:
        _qemu_pids.add(pid)


def console(fresh=False):
    """A console on the running guest whose shell answers (connects again after a reboot)."""
    con = _state.get("console")
    if con is not None and fresh:
        con.close()
        con = None
    if con is None:
        con = G.GuestConsole(_state["serial"], connect_timeout=60.0,
                             log_path=os.path.join(H.TMP, "qemu-guest-console.log"))
        _state["console"] = con
        has_ipmi = con.wait_ready(timeout=180.0)
        check(has_ipmi, "the guest has /dev/ipmi0 (ipmi_si found the KCS interface)")
    return con


def guest(cmd, timeout=60.0, expect=0):
    code, out = console().run(cmd, timeout=timeout)
    if expect is not None and code != expect:
        fail("in the guest: `%s` exited %d (expected %d)\n%s" % (cmd, code, expect, out))
    return out


def vm_on():
    """Powers the VM on over LAN if it is off and waits for its shell."""
    if D().power_state() != "on":
        r = lan_ok("chassis", "power", "on")
        check("Up/On" in r.out, "power on confirmation", r)
        D().wait_power("on")
        console(fresh=True)
    pid = poll_until(qemu_pid, timeout=30.0, desc="QEMU's pid file")
    _qemu_pids.add(pid)
    return pid


def boot_id():
    return guest("cat /proc/sys/kernel/random/boot_id").strip()


# ------------------------------------------------------------------------------------------


def test_power_on_starts_qemu_and_the_guest_finds_the_bmc():
    check_eq(D().power_state(), "off", "a QEMU VM starts powered off")
    check(qemu_pid() is None, "no QEMU before power on")
    pid = vm_on()
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        cmdline = f.read().split(b"\0")
    check(b"ipmi-bmc-extern,chardev=softbmc-ipmi,id=softbmc-bmc" in cmdline,
          "softbmcd added the ipmi-bmc-extern device: %r" % cmdline)
    check(b"isa-ipmi-kcs,bmc=softbmc-bmc" in cmdline, "and the KCS interface")
    out = guest("ls -l /dev/ipmi0; cat /proc/ipmi/0/type 2>/dev/null || true")
    check("ipmi0" in out, "the guest has /dev/ipmi0", out)
    poll_until(lambda: re.search(r"qemu: ipmi-bmc-extern connected \(capabilities 0x3f\)",
                                 D().log_text()), timeout=10.0,
               desc="the daemon logging QEMU's connection with its capabilities")


def test_bmc_watchdog_get_inband():
    """Issue 3, Must show 2: FreeIPMI's `bmc-watchdog --get` (in-band only) against softbmcd.
    The watchdog is set over LAN and read in-band, then set in-band and read over LAN."""
    vm_on()
    # SMS/OS, no action, no pre-timeout, 60.0 s; don't log bit clear (Set Watchdog Timer).
    lan_ok("raw", "0x06", "0x24", "0x04", "0x00", "0x00", "0x10", "0x58", "0x02")
    out = guest("bmc-watchdog --get")
    check(re.search(r"Timer Use:\s*SMS/OS", out), "bmc-watchdog: timer use SMS/OS\n" + out)
    check(re.search(r"Initial Countdown:\s*60 ", out), "bmc-watchdog: initial countdown 60\n" + out)
    check(re.search(r"Timer:\s*Stopped", out), "bmc-watchdog: stopped\n" + out)
    # In-band: OS load, hard reset, 300 s; then LAN reads what the host set.
    # FreeIPMI's numbering: timer use 3 = OS load, stop timer 0 = stop, timeout action 1 = hard
    # reset.
    guest("bmc-watchdog --set --timer-use=3 --stop-timer=0 --timeout-action=1 "
          "--initial-countdown=300")
    r = lan_ok("mc", "watchdog", "get")
    check(re.search(r"Watchdog Timer Use:\s*OS Load", r.out), "LAN sees the in-band timer use", r)
    check(re.search(r"Watchdog Timer Action:\s*Hard Reset", r.out), "LAN sees the action", r)
    check(re.search(r"Initial Countdown:\s*300(\.0)? sec", r.out), "LAN sees the countdown", r)
    out = guest("bmc-watchdog --get")
    check(re.search(r"Timer Use:\s*OS LOAD", out, re.I), "bmc-watchdog reads its own set\n" + out)
    lan_ok("mc", "watchdog", "off")


def test_inband_clients_see_the_same_bmc():
    vm_on()
    inband = guest("ipmitool mc info")
    outband = lan_ok("mc", "info").out
    for field in ("Device ID", "Firmware Revision", "IPMI Version", "Manufacturer ID",
                  "Product ID"):
        a = re.search(r"%s\s*:\s*(.*)" % re.escape(field), inband)
        b = re.search(r"%s\s*:\s*(.*)" % re.escape(field), outband)
        check(a and b and a.group(1).strip() == b.group(1).strip(),
              "mc info %s in-band %r == LAN %r" % (field, a and a.group(1), b and b.group(1)))
    # The SDR: the same sensor names through FreeIPMI in-band as through ipmitool over LAN.
    names_in = set(re.findall(r"^\s*\d+\s*\|\s*([^|]+?)\s*\|", guest("ipmi-sensors --no-header-output"),
                              re.M))
    names_lan = {l.split("|")[0].strip() for l in lan_ok("sdr", "list", "full").out.splitlines()
                 if "|" in l}
    check(names_lan and names_lan <= names_in,
          "every full sensor is seen in-band too: LAN %s, in-band %s" % (sorted(names_lan),
                                                                        sorted(names_in)))
    # The SEL: an entry added over LAN is read in-band.
    before = int(re.search(r"Entries\s*:\s*(\d+)", lan_ok("sel", "info").out).group(1))
    lan_ok("raw", "0x0a", "0x44", "0x00", "0x00", "0x02", "0x00", "0x00", "0x00", "0x00",
           "0x41", "0x00", "0x04", "0x12", "0x33", "0x6f", "0x02", "0xff", "0xff")
    out = guest("ipmitool sel info")
    check_eq(int(re.search(r"Entries\s*:\s*(\d+)", out).group(1)), before + 1,
             "SEL entries in-band after a LAN add")
    # A Platform Event Message from the host (ipmitool's sample event 1: temperature upper
    # critical going high, sent with ipmitool's software ID 0x41): over LAN the newest SEL
    # record is that event, generated by the host software, not by the BMC (0x0020).
    guest("ipmitool event 1")
    last = lan_ok("sel", "list").out.strip().splitlines()[-1]
    check("Temperature" in last and "Upper Critical going high" in last,
          "the newest SEL entry is the host's event: %r" % last)
    r = lan_ok("sel", "get", "0x" + last.split("|")[0].strip())
    check_eq(r.field("Generator ID"), "0041", "the SEL record's generator is the host software", r)


def test_inband_user_setup_logs_in_over_lan():
    """What a host OS does to provision its BMC (TrueNAS, an installer): create a user over
    /dev/ipmi0, then log in with it over LAN."""
    vm_on()
    guest("ipmitool user set name 6 inbandop && ipmitool user set password 6 'In-band-pw1' && "
          "ipmitool channel setaccess 1 6 link=on ipmi=on callin=on privilege=3 && "
          "ipmitool user enable 6")
    r = D().ipmitool("chassis", "power", "status", user="inbandop", password="In-band-pw1",
                     cipher=17, priv="OPERATOR")
    expect_ok(r, "LAN login as the user made in-band")
    check("Chassis Power is on" in r.out, "the in-band user reads power state over LAN", r)
    out = guest("ipmitool lan print 1")
    check(re.search(r"IP Address Source\s*:", out), "in-band lan print works\n" + out)


def test_inband_cold_reset_ends_lan_sessions():
    """`ipmitool mc reset cold` from the host restarts the BMC logic: every LAN session ends
    (an open one gets no answer any more), and new logins work at once."""
    vm_on()
    d = D()
    c = R.RmcpPlus(d.host, d.port, suite=2).login("admin", d.admin_password)
    try:
        check(c.call(0x06, 0x01) is not None, "Get Device ID in the open LAN session")
        out = guest("ipmitool mc reset cold")
        check("Sent cold reset command to MC" in out, "in-band cold reset answered\n" + out)
        _, r = c.request(0x06, 0x01, timeout=2.0)
        check(r is None, "the LAN session opened before the cold reset is gone: %r" % (r,))
    finally:
        c.close_socket()
    lan_ok("mc", "info")
    poll_until(lambda: re.search(r"BMC cold reset: \d+ sessions? closed", d.log_text()),
               timeout=5.0, desc="the daemon logging the sessions it closed")
    # The host's driver keeps working: in-band requests are answered after the reset.
    check("Device ID" in guest("ipmitool mc info"), "in-band mc info after the cold reset")


def test_watchdog_pretimeout_raises_attention():
    """A messaging pre-timeout sets the message flag; QEMU raises SMS_ATN; the guest's ipmi_si
    driver reads the flags (Get Message Flags) and clears them (Clear Message Flags)."""
    vm_on()
    mark = len(D().log_text())
    # SMS/OS, no action, pre-timeout messaging 2 s, countdown 4.0 s; then start it.
    lan_ok("raw", "0x06", "0x24", "0x04", "0x30", "0x02", "0x10", "0x28", "0x00")
    lan_ok("mc", "watchdog", "reset")

    def acknowledged():
        return re.search(r"system interface: the host cleared the watchdog pre-timeout flag",
                         D().log_text()[mark:])
    poll_until(acknowledged, timeout=30.0, desc="the guest driver clearing the pre-timeout flag")
    lan_ok("mc", "watchdog", "off")


def test_chassis_control_reaches_the_vm():
    pid = vm_on()
    # diag: an NMI the guest kernel notices.
    guest("dmesg -c >/dev/null")
    lan_ok("chassis", "power", "diag")
    poll_until(lambda: re.search(r"NMI", guest("dmesg")), timeout=20.0,
               desc="the guest kernel reporting the NMI")
    # hard reset: the same QEMU process, a new boot.
    first = boot_id()
    lan_ok("chassis", "power", "reset")
    console(fresh=True)
    check(boot_id() != first, "the guest booted again after chassis power reset")
    check_eq(qemu_pid(), pid, "a reset keeps the QEMU process")
    # soft: the ACPI power button; acpid in the guest powers it off.
    lan_ok("chassis", "power", "soft")
    D().wait_power("off", timeout=60.0)
    check(qemu_pid() is None, "QEMU ended after the guest's soft shutdown")
    # power cycle: a new QEMU after the off interval.
    pid = vm_on()
    lan_ok("chassis", "power", "cycle")
    poll_until(lambda: qemu_pid() not in (None, pid), timeout=30.0,
               desc="a new QEMU process after power cycle")
    _track(qemu_pid())
    D().wait_power("on")
    console(fresh=True)
    # power off: QEMU goes.
    lan_ok("chassis", "power", "off")
    D().wait_power("off")
    poll_until(lambda: qemu_pid() is None, timeout=20.0, desc="QEMU gone after power off")


def _reset_events():
    return len(re.findall(r"System Boot Initiated.*\|\s*Initiated by hard reset\s*\|\s*Asserted",
                          lan_ok("sel", "elist").out))


def test_guest_reboot_is_seen():
    """The guest rebooting itself (QEMU's QMP RESET event, which the BMC did not ask for): one
    System Boot "hard reset" event in the SEL and the running OS's name (System Info parameter
    4, volatile) cleared, as for a reset the BMC makes; that one is counted once, not twice."""
    pid = vm_on()
    lan_ok("mc", "setsysinfo", "os_name", "guest-os-before-reboot")
    before = _reset_events()
    first = boot_id()
    console().send("reboot -f\n")
    poll_until(lambda: _reset_events() > before, timeout=30.0,
               desc="a System Boot (hard reset) event for the guest's reboot")
    console(fresh=True)
    check(boot_id() != first, "the guest booted again after its own reboot")
    check_eq(qemu_pid(), pid, "a guest reboot keeps the QEMU process")
    check_eq(_reset_events(), before + 1, "one event for the reboot (SeaBIOS resets the machine "
             "a second time on the way: the same restart)")
    r = lan_ok("mc", "getsysinfo", "os_name")
    check_eq(r.out.strip(), "", "the OS name after the guest's reboot", r)
    second = boot_id()
    lan_ok("chassis", "power", "reset")
    console(fresh=True)
    check(boot_id() != second, "the guest booted again after chassis power reset")
    check_eq(_reset_events(), before + 2, "a BMC reset is one more event, not two (QMP and the "
             "BMC both saw it)")


def _power_off_events():
    return len(re.findall(r"Power Unit.*\|\s*Power off/down\s*\|\s*Asserted",
                          lan_ok("sel", "elist").out))


def test_guest_poweroff_is_power_off():
    vm_on()
    before = _power_off_events()
    console().send("poweroff -f\n")
    D().wait_power("off", timeout=30.0)
    poll_until(lambda: qemu_pid() is None, timeout=20.0, desc="QEMU gone after the guest's poweroff")
    check_eq(_power_off_events(), before + 1, "one more Power Unit power-off event in the SEL")


def test_daemon_stop_ends_qemu():
    pid = vm_on()
    d = D()
    d.stop()
    poll_until(lambda: not os.path.exists("/proc/%d" % pid) or
               open("/proc/%d/stat" % pid).read().split()[2] == "Z",
               timeout=20.0, desc="QEMU ended with the daemon")
    con = _state.pop("console", None)
    if con:
        con.close()
    d.cleanup()
    shutil.rmtree(_state["work"], ignore_errors=True)
    _state.clear()


# ------------------------------------------------------------------------------------------
# the boot device: IPMI boot flags (and so Redfish BootSourceOverride) reach QEMU's firmware

def _first_boot_line(path, timeout=60.0):
    """SeaBIOS's first "Booting from ..." line in its debug console output (the file QEMU
    writes with -debugcon; a new QEMU truncates it)."""
    def line():
        try:
            with open(path, "rb") as f:
                m = re.search(rb"Booting from [^\r\n]*", f.read())
        except FileNotFoundError:
            return None
        return m.group(0).decode() if m else None
    return poll_until(line, timeout=timeout, desc="SeaBIOS booting (%s)" % path)


def test_boot_device_reaches_seabios():
    """`chassis bootdev pxe` (next boot only, then persistent) before a power on / cycle makes
    QEMU's SeaBIOS boot from the network ROM first; without an override it tries the disk
    first. No guest kernel: the firmware's own debug console says where it booted from."""
    if not shutil.which(G.QEMU):
        fail("%s is not installed (scripts/deps.sh installs qemu-system-x86)" % G.QEMU)
    user = _run_user()
    work = tempfile.mkdtemp(prefix="softbmc-it-qemu-boot-", dir="/tmp")
    os.chown(work, user.pw_uid, user.pw_gid)
    os.chmod(work, 0o755)
    log = os.path.join(work, "debugcon.log")
    argv = [G.QEMU, "-display", "none", "-nodefaults", "-m", "64", "-accel", "tcg",
            "-debugcon", "file:" + log, "-global", "isa-debugcon.iobase=0x402",
            "-nic", "user,model=e1000", "-serial", "none"]
    config = ("platform:\n"
              "  type: qemu\n"
              "  qemu:\n"
              "    command: %s\n"
              "    kill_wait: 5\n"
              "  sim:\n"
              "    cycle_off_interval_ms: 1000\n" % json.dumps(" ".join(argv)))
    d = H.Daemon("qemu-boot", config=config)
    d.start()
    try:
        def ok(*cmd):
            return expect_ok(d.ipmitool(*cmd, cipher=17), "ipmitool " + " ".join(cmd))

        def restart(action):
            if os.path.exists(log):
                os.unlink(log)  # the old QEMU may still write to it: a new file shows the new boot
            ok("chassis", "power", action)
            return _first_boot_line(log)

        ok("chassis", "bootdev", "pxe")
        check_eq(restart("on"), "Booting from ROM...", "next boot only PXE: the NIC's ROM first")
        _track(qemu_pid_of(d))
        r = ok("chassis", "bootparam", "get", "5")
        check("Boot Flag Invalid" in r.out, "the one-time override is used up", r)
        check_eq(restart("cycle"), "Booting from Hard Disk...", "no override: the disk first")
        _track(qemu_pid_of(d))
        ok("chassis", "bootdev", "pxe", "options=persistent")
        check_eq(restart("cycle"), "Booting from ROM...", "persistent PXE")
        check_eq(restart("cycle"), "Booting from ROM...", "persistent PXE, the boot after")
        _track(qemu_pid_of(d))
        r = ok("chassis", "bootparam", "get", "5")
        check("Boot Flag Valid" in r.out and "Options apply to all future boots" in r.out,
              "the persistent override stays", r)
        ok("chassis", "power", "off")
        d.wait_power("off", timeout=30.0)
    finally:
        d.stop()
        d.cleanup()
        shutil.rmtree(work, ignore_errors=True)

