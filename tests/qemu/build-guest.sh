#!/usr/bin/env bash
# Builds the tiny Linux guest that softbmc's in-band tests boot under QEMU.
# Usage: tests/qemu/build-guest.sh OUTDIR
# Produces OUTDIR/vmlinuz (Debian 12's linux-image-amd64 kernel) and OUTDIR/initrd.img (gzip'd
# cpio newc: busybox, the ipmi_msghandler/ipmi_devintf/ipmi_si modules, FreeIPMI and ipmitool
# copied from this host with their libraries). Does nothing when OUTDIR is up to date with this
# script, the kernel package and the host packages it copies from. See docs/qemu-guest.md.
# Environment: GUEST_KERNEL_PKG (default: what linux-image-amd64 depends on),
#              GUEST_CACHE (where the kernel .deb is kept; default OUTDIR/cache).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
outdir=$(mkdir -p "$1" && cd "$1" && pwd)
cache=${GUEST_CACHE:-$outdir/cache}
mkdir -p "$cache"
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
init_script="$(dirname "$script")/guest-init.sh"

# The tools copied from the host, and the modules the guest loads (their dependencies are added).
guest_tools=(/usr/sbin/bmc-watchdog /usr/sbin/ipmi-sensors /usr/sbin/ipmi-sel /usr/sbin/bmc-info
  /usr/sbin/ipmi-raw /usr/sbin/ipmi-chassis /usr/sbin/ipmi-fru /usr/bin/ipmitool)
guest_modules=(ipmi_msghandler ipmi_devintf ipmi_si button evdev) # button+evdev: ACPI power button
host_pkgs=(busybox-static freeipmi-bmc-watchdog freeipmi-tools freeipmi-common libfreeipmi17
  ipmitool libc6)

log() { echo "build-guest: $*" >&2; }
die() { log "$*"; exit 1; }

for t in "${guest_tools[@]}" /bin/busybox; do
  [ -x "$t" ] || die "$t is missing (run scripts/deps.sh test)"
done

# ---- the kernel package: the one Debian's linux-image-amd64 depends on ----
kernel_pkg_name() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
apt_refresh() {
  if [ "$(id -u)" -ne 0 ]; then
    return 1
  fi
  log "apt-get update"
  apt-get update -qq >&2
}
kpkg=${GUEST_KERNEL_PKG:-$(kernel_pkg_name)}
if [ -z "$kpkg" ]; then
  apt_refresh || true
  kpkg=$(kernel_pkg_name)
fi
[ -n "$kpkg" ] || die "cannot resolve linux-image-amd64 with apt-cache (apt-get update?)"
kver=$(apt-cache show --no-all-versions "$kpkg" 2>/dev/null | awk '/^Version:/ { print $2; exit }')
[ -n "$kver" ] || die "apt-cache knows no version of $kpkg"

# ---- up to date? ----
host_versions=$(dpkg-query -W -f='${Package}=${Version}\n' "${host_pkgs[@]}" 2>/dev/null || true)
stamp=$( { cat "$script" "$init_script" | sha256sum; echo "$kpkg=$kver"; echo "$host_versions"; } |
  sha256sum | cut -d' ' -f1)
if [ -f "$outdir/vmlinuz" ] && [ -f "$outdir/initrd.img" ] &&
   [ "$(cat "$outdir/.stamp" 2>/dev/null)" = "$stamp" ]; then
  log "$outdir is up to date"
  exit 0
fi

# ---- fetch the .deb (kept in the cache; never installed) ----
deb_glob="$cache/${kpkg}_*.deb"
deb=""
for f in $deb_glob; do
  case "$f" in
    *"_${kver//:/%3a}_amd64.deb") deb=$f ;;
    *) [ -e "$f" ] && rm -f "$f" ;; # an older kernel: drop it
  esac
done
if [ -z "$deb" ]; then
  log "apt-get download $kpkg=$kver"
  if ! (cd "$cache" && apt-get download -q "$kpkg=$kver" >&2); then
    apt_refresh || die "apt-get download $kpkg failed"
    kver=$(apt-cache show --no-all-versions "$kpkg" | awk '/^Version:/ { print $2; exit }')
    (cd "$cache" && apt-get download -q "$kpkg=$kver" >&2) || die "apt-get download $kpkg failed"
  fi
  deb="$cache/${kpkg}_${kver//:/%3a}_amd64.deb"
  [ -f "$deb" ] || die "apt-get download did not write $deb"
fi
log "kernel: $(basename "$deb")"

work=$(mktemp -d "$outdir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
kx="$work/kernel" # the parts of the kernel package we extract
root="$work/root" # the initramfs tree
mkdir -p "$kx" "$root"

# The package has no modules.dep (depmod makes it at install time): resolve names through the
# package listing and each module's own "depends=" field, extracting only what is needed.
dpkg-deb --fsys-tarfile "$deb" | tar -t >"$work/listing"
kdir=$(grep -m1 -E '^\./lib/modules/[^/]+/$' "$work/listing" | cut -d/ -f4)
[ -n "$kdir" ] || die "no lib/modules/VERSION in $deb"
vmlinuz_path=$(grep -m1 -E '^\./boot/vmlinuz-' "$work/listing")
module_path() { # NAME -> path in the package (file names use either _ or -)
  local re
  re=$(printf '%s' "$1" | sed 's/[_-]/[_-]/g')
  grep -m1 -E "^\./lib/modules/$kdir/kernel/.*/${re}\.ko(\.xz|\.zst|\.gz)?$" "$work/listing" || true
}
module_ko() { # path in package -> an uncompressed .ko under $kx
  local p=$1
  case "$p" in
    *.ko.xz) xz -dc "$kx/$p" >"$kx/${p%.xz}" ;;
    *.ko.zst) zstd -q -dc "$kx/$p" >"$kx/${p%.zst}" ;;
    *.ko.gz) gzip -dc "$kx/$p" >"$kx/${p%.gz}" ;;
  esac
  echo "$kx/${p%.ko*}.ko"
}
order=()    # load order: dependencies first
declare -A seen=()
todo=("${guest_modules[@]}")
extract=("$vmlinuz_path")
resolved=""
for _round in 1 2 3 4 5 6; do
  want=()
  for m in "${todo[@]}"; do
    m=${m//-/_}
    [ -n "${seen[$m]:-}" ] && continue
    p=$(module_path "$m")
    [ -n "$p" ] || die "module $m is not in $kpkg"
    seen[$m]=$p
    want+=("$p")
  done
  if [ ${#want[@]} -eq 0 ]; then
    resolved=yes
    break
  fi
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kx" "${extract[@]}" "${want[@]}"
  extract=()
  todo=()
  for p in "${want[@]}"; do
    deps=$(tr '\0' '\n' <"$(module_ko "$p")" | sed -n 's/^depends=//p' | head -n1)
    IFS=, read -r -a more <<<"$deps"
    todo+=("${more[@]}")
  done
done
[ -n "$resolved" ] || die "module dependencies nest too deep"

# Load order: a module after everything it depends on (depth-first).
declare -A placed=()
place() {
  local m=$1 d deps
  [ -n "${placed[$m]:-}" ] && return 0
  placed[$m]=1
  deps=$(tr '\0' '\n' <"$(module_ko "${seen[$m]}")" | sed -n 's/^depends=//p' | head -n1)
  IFS=, read -r -a ds <<<"$deps"
  for d in "${ds[@]}"; do
    [ -n "$d" ] && place "${d//-/_}"
  done
  order+=("$m")
}
for m in "${guest_modules[@]}"; do
  place "$m"
done
log "modules: ${order[*]}"

# ---- the initramfs tree ----
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib/modules,lib64,etc/softbmc-guest} \
  "$root"/{proc,sys,dev,run,tmp,root}
mkdir -p "$root"/var/{log/freeipmi,cache,lib/freeipmi} "$root"/usr/share/misc
ln -s ../run "$root/var/run"
chmod 1777 "$root/tmp"
chmod 700 "$root/root"

cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
  [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

copy_file() { # host path -> same path in the tree, symlinks resolved
  mkdir -p "$root$(dirname "$1")"
  cp -L "$1" "$root$1"
}
for t in "${guest_tools[@]}"; do
  rm -f "$root$t" # a busybox applet of the same name, if any
  copy_file "$t"
  # shared libraries and the loader, as the host's loader resolves them
  ldd "$t" | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }' | while read -r lib; do
    [ -e "$root$lib" ] || copy_file "$lib"
  done
done
# FreeIPMI: its built-in defaults (in-band: probe /dev/ipmi0 first), not this host's settings.
mkdir -p "$root/etc/freeipmi"
echo "# softbmc test guest: FreeIPMI defaults" >"$root/etc/freeipmi/freeipmi.conf"
# ipmitool names manufacturers from the IANA enterprise numbers (a warning without it)
[ -f /usr/share/misc/enterprise-numbers.txt ] && copy_file /usr/share/misc/enterprise-numbers.txt

for m in "${order[@]}"; do
  cp "$(module_ko "${seen[$m]}")" "$root/lib/modules/$m.ko"
  echo "$m" >>"$root/etc/softbmc-guest/modules"
done
cp "$kx/$vmlinuz_path" "$work/vmlinuz"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo softbmc-guest >"$root/etc/hostname"
cat >"$root/etc/profile" <<'EOF'
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=${TERM:-vt100}
PS1='guest# '
EOF
# The ACPI power button (a BMC's "soft off") powers the guest off: busybox acpid runs
# /etc/acpi/PWRF/00000080 on a power button event read from /dev/input/event*.
mkdir -p "$root/etc/acpi/PWRF"
cat >"$root/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo "softbmc-guest: power button, powering off" >/dev/console
sync
poweroff -f
EOF
chmod 755 "$root/etc/acpi/PWRF/00000080"
install -m 755 "$init_script" "$root/init"
# The kernel opens /dev/console before /init runs; devtmpfs is mounted only by /init.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
  /bin/busybox cpio -o -H newc -R 0:0 2>/dev/null | gzip -6n) >"$work/initrd.img"

mv -f "$work/vmlinuz" "$outdir/vmlinuz"
mv -f "$work/initrd.img" "$outdir/initrd.img"
echo "$stamp" >"$outdir/.stamp"
log "done: $outdir/vmlinuz ($(stat -c %s "$outdir/vmlinuz") bytes)," \
  "$outdir/initrd.img ($(stat -c %s "$outdir/initrd.img") bytes)"
