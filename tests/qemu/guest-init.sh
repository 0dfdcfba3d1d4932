#!/bin/sh
# /init of softbmc's QEMU test guest (tests/qemu/build-guest.sh puts it in the initramfs).
# Mounts the pseudo file systems, loads the IPMI modules, waits (bounded) for /dev/ipmi0, says
# "softbmc-guest: ready" (or "softbmc-guest: no /dev/ipmi0") on the console, then keeps a root
# shell on ttyS0 forever. PID 1 must never exit: that would panic the kernel.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=vt100

mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /dev/pts /run/lock
mount -t devpts devpts /dev/pts
hostname -F /etc/hostname
# Only emergencies from the kernel on the console: the test driver reads it.
echo 1 >/proc/sys/kernel/printk

si=yes
while read -r m; do
  if ! insmod "/lib/modules/$m.ko" 2>/dev/null; then
    echo "softbmc-guest: insmod $m failed"
    [ "$m" = ipmi_si ] && si=no # no system interface found: no /dev/ipmi0 will come
  fi
done </etc/softbmc-guest/modules

# ipmi_si finds QEMU's KCS interface through ACPI (IPI0001); ipmi_devintf then makes /dev/ipmi0.
i=0
while [ $si = yes ] && [ ! -c /dev/ipmi0 ] && [ $i -lt 200 ]; do
  sleep 0.1
  i=$((i + 1))
done

acpid -c /etc/acpi -l /dev/null 2>/dev/null || echo "softbmc-guest: acpid failed"

if [ -c /dev/ipmi0 ]; then
  echo "softbmc-guest: ready"
else
  echo "softbmc-guest: no /dev/ipmi0"
fi

tty=/dev/ttyS0
[ -c $tty ] || tty=/dev/console
# Wide columns so the shell's line editor never wraps long commands sent by the test driver.
stty -F $tty cols 4096 rows 50 2>/dev/null
while :; do
  # setsid -c: the shell gets the serial line as its controlling tty (Ctrl-C, job control)
  setsid -c sh -l <>$tty >&0 2>&0
  echo "softbmc-guest: shell exited, respawning"
  sleep 0.2
done
