"""FRU inventory device 0 against softbmcd (issue 3, "Must show" items 1-3, 5 and 6 for FRU).

The daemon starts on a fresh state dir with a `fru:` config section, so FRU 0 is built from it:
  * ipmitool (`-I lanplus`, -C 17 and -C 3) `fru print` shows every configured field, the
    chassis serial derived from the system GUID (read back with raw Get System GUID);
  * FreeIPMI `ipmi-fru` (no -W flags) and pyghmi `Command.get_inventory()` show the same;
  * `fru read 0 FILE`, an edit of the product serial and asset tag made here (the product area
    re-encoded, its length and checksum recomputed: the area grows by one 8-byte block), then
    `fru write 0 FILE`: `fru print` shows the change, `fru read` returns the file byte for
    byte, and both survive a daemon restart;
  * `fru edit` (ipmitool's field editor) changes one field the same way;
  * refusals over `ipmitool raw`: a write past the end (0xC9), writes that complete the product
    area or the header with a bad checksum (0xCC), Write FRU Data at User privilege (0xD4),
    an unknown FRU device (0xCB) -- the stored image is unchanged, also after a restart.

One daemon serves the module; tests run in order (the print tests before the edits).
"""

import os
import re
import tempfile

import harness as H
from harness import check, check_eq, expect_fail, expect_ok, fail

FRU_SIZE = 1024

CONFIG = H.FAST_CONFIG + """\
fru:
  chassis:
    type: 0x11
    part_number: CH-PN-001
  board:
    mfg_date: "2024-01-02 03:04"
    manufacturer: ACME Boards
    product_name: BOARD X1
    serial: BSN-12345
    part_number: PN-BRD
  product:
    manufacturer: ACME
    name: Widget Server
    part_number: WS-100
    version: "2.1"
    serial: SN123456
    asset_tag: ASSET-9
"""

# ipmitool 1.8.19 `fru print` names (lib/ipmi_fru.c) -> expected value
IPMITOOL_FIELDS = {
    "Chassis Type": "Main Server Chassis",
    "Chassis Part Number": "CH-PN-001",
    "Board Mfg": "ACME Boards",
    "Board Product": "BOARD X1",
    "Board Serial": "BSN-12345",
    "Board Part Number": "PN-BRD",
    "Product Manufacturer": "ACME",
    "Product Name": "Widget Server",
    "Product Part Number": "WS-100",
    "Product Version": "2.1",
    "Product Serial": "SN123456",
    "Product Asset Tag": "ASSET-9",
}

# FreeIPMI 1.6 ipmi-fru names -> the same values
FREEIPMI_FIELDS = {
    "FRU Chassis Type": "Main Server Chassis",
    "FRU Chassis Part Number": "CH-PN-001",
    "FRU Board Manufacturing Date/Time": "01/02/24 - 03:04:00",
    "FRU Board Manufacturer": "ACME Boards",
    "FRU Board Product Name": "BOARD X1",
    "FRU Board Serial Number": "BSN-12345",
    "FRU Board Part Number": "PN-BRD",
    "FRU Product Manufacturer Name": "ACME",
    "FRU Product Name": "Widget Server",
    "FRU Product Part/Model Number": "WS-100",
    "FRU Product Version": "2.1",
    "FRU Product Serial Number": "SN123456",
    "FRU Product Asset Tag": "ASSET-9",
}


def D():
    return H.shared_daemon(__name__, config=CONFIG)


def ipmi(*cmd, cipher=17, **kw):
    return D().ipmitool(*cmd, cipher=cipher, **kw)


def ok(*cmd, **kw):
    return expect_ok(ipmi(*cmd, **kw), " ".join(str(c) for c in cmd))


def tmpfile(tag):
    fd, path = tempfile.mkstemp(prefix="softbmc-fru-%s-" % tag, suffix=".bin", dir=H.TMP)
    os.close(fd)
    return path


def fru_print(cipher=17):
    """`fru print` (FRU 0 first, as "Builtin FRU Device (ID 0)", then any FRU locators of
    the SDR) with dates in UTC (-Z); Result.field() finds FRU 0's lines first."""
    r = ok("fru", "print", cipher=cipher, extra=("-Z",))
    check(r.out.lstrip().startswith("FRU Device Description : Builtin FRU Device (ID 0)"),
          "fru print does not start with FRU 0", r)
    return r


def check_fields(res, want, what):
    for name, value in want.items():
        check_eq(res.field(name), value, "%s: %s" % (what, name), res)


def derived_chassis_serial():
    """'CH' + the first 5 bytes of the system UUID: Get System GUID is in IPMI wire order
    (byte-reversed), so those are the last 5 bytes of the response, reversed."""
    r = ok("raw", "0x06", "0x37")
    g = r.hex_bytes()
    check_eq(len(g), 16, "Get System GUID length", r)
    return "CH" + "".join("%02X" % b for b in reversed(g[11:16]))


def fru_read(cipher=17):
    path = tmpfile("read")
    r = ok("fru", "read", "0", path, cipher=cipher)
    with open(path, "rb") as f:
        data = f.read()
    os.unlink(path)
    check_eq(len(data), FRU_SIZE, "fru read 0 FILE: file size", r)
    return data


def zero_sum(b):
    return sum(b) & 0xFF == 0


# --------------------------------------------------------------------------------------------
# A small FRU image editor (records.md §10): replace text fields of the product info area,
# re-encode it (8-bit ASCII type/length bytes, 0xC1 end marker, padding to a multiple of 8,
# zero checksum) and put it back. The product area must be the last area in the image.

def product_area(img):
    start = img[4] * 8
    check(start and img[start] == 0x01, "image has no product area at %d" % start)
    return start, img[start + 1] * 8


def product_fields(img):
    start, length = product_area(img)
    check(zero_sum(img[start:start + length]), "product area checksum is bad in the read image")
    i = start + 3
    fields = []
    while img[i] != 0xC1:
        n = img[i] & 0x3F
        fields.append((img[i], bytes(img[i + 1:i + 1 + n])))
        i += 1 + n
    return fields


def with_product_fields(img, changes):
    """A copy of img with product fields replaced ({index: text}); 4 = serial, 5 = asset tag."""
    img = bytearray(img)
    start, length = product_area(img)
    fields = product_fields(img)
    for idx, text in changes.items():
        fields[idx] = (0xC0 | len(text), text.encode("ascii"))
    area = bytearray([0x01, 0x00, img[start + 2]])
    for tl, data in fields:
        area.append(tl)
        area += data
    area.append(0xC1)
    while (len(area) + 1) % 8:
        area.append(0x00)
    area[1] = (len(area) + 1) // 8
    area.append((-sum(area)) & 0xFF)
    check(zero_sum(area), "editor bug: area checksum")
    others = [img[k] * 8 for k in (1, 2, 3, 5) if img[k] * 8 > start]
    check(not others and start + len(area) <= len(img), "edited product area does not fit")
    img[start:start + length] = bytes(length)  # the old area's tail becomes unused space
    img[start:start + len(area)] = area
    return bytes(img)


def raw_write(offset, data, cipher=3, **kw):
    args = ["raw", "0x0a", "0x12", "0x00", "0x%02x" % (offset & 0xFF), "0x%02x" % (offset >> 8)]
    args += ["0x%02x" % b for b in data]
    return ipmi(*args, cipher=cipher, **kw)


def expect_cc(res, cc, what):
    expect_fail(res, what, r"rsp=0x%02x" % cc)


# --------------------------------------------------------------------------------------------

def test_fru_print_configured_fields():
    want = dict(IPMITOOL_FIELDS)
    want["Chassis Serial"] = derived_chassis_serial()
    for cipher in (17, 3):
        r = fru_print(cipher)
        check_fields(r, want, "fru print (cipher suite %d)" % cipher)
        date = r.field("Board Mfg Date") or ""
        check(re.search(r"Jan\s+0?2 03:04:00 2024", date),
              "Board Mfg Date is not 2024-01-02 03:04 UTC: %r" % date, r)
    info = ok("raw", "0x0a", "0x10", "0x00").hex_bytes()
    check_eq(list(info), [FRU_SIZE & 0xFF, FRU_SIZE >> 8, 0x00],
             "Get FRU Inventory Area Info (size LS first, byte access)")


def freeipmi_fru(cipher=17):
    """ipmi-fru with TZ=UTC (no -W flags)."""
    d = D()
    argv = ["ipmi-fru", "-h", d.listen, "-u", "admin", "-p", d.admin_password, "-D", "LAN_2_0",
            "-I", str(cipher), "--session-timeout=15000", "--retransmission-timeout=1000"]
    r = H.run(argv, env={"HOME": H.TMP, "TZ": "UTC"})
    if not r.ok:
        fail("ipmi-fru (cipher suite %d) failed" % cipher, r)
    check(not re.search(r"checksum invalid|FRU.*(error|invalid)", r.text, re.I),
          "ipmi-fru reports a problem with the image", r)
    return r


def test_ipmi_fru_same_fields():
    want = dict(FREEIPMI_FIELDS)
    want["FRU Chassis Serial Number"] = derived_chassis_serial()
    for cipher in (17, 3):
        r = freeipmi_fru(cipher)
        check_fields(r, want, "ipmi-fru (cipher suite %d)" % cipher)


PYGHMI_SCRIPT = r'''
import json, sys
from pyghmi.ipmi import command
host, port, user, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = command.Command(bmc=host, userid=user, password=pw, port=port)
name, info = next(iter(c.get_inventory()))
print(json.dumps({"name": name, "info": {k: v for k, v in info.items()
                                         if isinstance(v, (str, int, type(None)))}}))
c.ipmi_session.logout()
'''


def test_pyghmi_inventory():
    d = D()
    r = H.run(["/usr/bin/python3", "-c", PYGHMI_SCRIPT, d.host, str(d.port), "admin",
               d.admin_password], timeout=120)
    line = [l for l in r.out.split("\n") if l.startswith("{")]
    if not r.ok or not line:
        fail("pyghmi get_inventory failed", r)
    import json
    j = json.loads(line[0])
    check_eq(j["name"], "System", "first inventory item", r)
    want = {
        "Chassis type": "Main Server Chassis",
        "Chassis part number": "CH-PN-001",
        "Chassis serial number": derived_chassis_serial(),
        "Board manufacture date": "2024-01-02T03:04",
        "Board manufacturer": "ACME Boards",
        "Board product name": "BOARD X1",
        "Board serial number": "BSN-12345",
        "Board model": "PN-BRD",
        "Manufacturer": "ACME",
        "Product name": "Widget Server",
        "Model": "WS-100",
        "Hardware Version": "2.1",
        "Serial Number": "SN123456",
        "Asset Number": "ASSET-9",
    }
    for k, v in want.items():
        check_eq(j["info"].get(k), v, "pyghmi System inventory: %s" % k, r)


def test_fru_read_modify_write_survives_restart():
    d = D()
    before = fru_read()
    check_eq(before[0], 0x01, "common header version")
    check(zero_sum(before[:8]), "common header checksum")
    start, length = product_area(before)
    new = with_product_fields(before, {4: "SN-EDITED-0042", 5: "RACK-12-U07-SLOT3"})
    check(product_area(new)[1] > length, "test edit should grow the product area")
    path = tmpfile("write")
    with open(path, "wb") as f:
        f.write(new)
    r = ok("fru", "write", "0", path)
    os.unlink(path)
    check("Size to Write    : %d bytes" % FRU_SIZE in r.out, "fru write did not write it all", r)

    def shows_edit(cipher):
        p = fru_print(cipher)
        check_eq(p.field("Product Serial"), "SN-EDITED-0042", "Product Serial after edit", p)
        check_eq(p.field("Product Asset Tag"), "RACK-12-U07-SLOT3", "Asset Tag after edit", p)
        check_eq(p.field("Product Name"), "Widget Server", "Product Name kept", p)
        check_eq(p.field("Board Serial"), "BSN-12345", "Board Serial kept", p)

    shows_edit(17)
    shows_edit(3)
    check_eq(fru_read(cipher=3), new, "fru read after fru write returns the written image")
    d.restart()
    shows_edit(17)
    check_eq(fru_read(), new, "fru read after a restart")
    r = freeipmi_fru()
    check_eq(r.field("FRU Product Serial Number"), "SN-EDITED-0042", "ipmi-fru after restart", r)
    check_eq(r.field("FRU Product Asset Tag"), "RACK-12-U07-SLOT3", "ipmi-fru after restart", r)


def test_fru_edit_field():
    # ipmitool `fru edit 0 field p 1 NAME`: product field 1 (name), same length, rewritten in
    # place by ipmitool and written back in pieces
    ok("fru", "edit", "0", "field", "p", "1", "Gadget Server")
    p = fru_print()
    check_eq(p.field("Product Name"), "Gadget Server", "Product Name after fru edit", p)
    check_eq(p.field("Product Serial"), "SN-EDITED-0042", "Product Serial kept by fru edit", p)
    img = fru_read()
    start, length = product_area(img)
    check(zero_sum(img[start:start + length]), "product area checksum after fru edit")


def test_fru_bad_writes_refused():
    d = D()
    before = fru_read()
    start, length = product_area(before)
    cks = start + length - 1

    # past the end of the device: 2 bytes at 1023, 1 byte at 1024
    expect_cc(raw_write(FRU_SIZE - 1, [0x11, 0x22]), 0xC9, "write past the end")
    expect_cc(raw_write(FRU_SIZE, [0x11]), 0xC9, "write at the end")
    # the last 16 bytes of the product area with a wrong checksum
    tail = bytearray(before[cks - 15:cks + 1])
    tail[-1] ^= 0x5A
    expect_cc(raw_write(cks - 15, tail), 0xCC, "product area tail with a bad checksum")
    # a changed serial character with the old checksum: completes the area, so refused
    serial_at = before.index(b"SN-EDITED-0042")
    chunk = bytearray(before[serial_at:cks + 1])
    chunk[0] = ord("X")
    check(len(chunk) <= 40, "test assumes a short product tail (%d)" % len(chunk))
    expect_cc(raw_write(serial_at, chunk, cipher=17), 0xCC, "serial changed, checksum not")
    # the checksum byte alone, wrong
    expect_cc(raw_write(cks, [before[cks] ^ 0xFF]), 0xCC, "checksum byte alone")
    # a common header with a bad checksum
    hdr = bytearray(before[:8])
    hdr[7] ^= 0x01
    expect_cc(raw_write(0, hdr), 0xCC, "common header with a bad checksum")
    # Write FRU Data needs Operator; an unknown FRU device
    expect_cc(raw_write(cks, [before[cks]], priv="USER"), 0xD4, "write at User privilege")
    expect_cc(ipmi("raw", "0x0a", "0x12", "0x01", "0x00", "0x00", "0x01", cipher=3), 0xCB,
              "write to FRU device 1")
    expect_cc(ipmi("raw", "0x0a", "0x11", "0x00", "0x00", "0x04", "0x01"), 0xC9,
              "read at offset 1024")

    check_eq(fru_read(), before, "stored image after refused writes")
    d.restart()
    check_eq(fru_read(), before, "stored image after refused writes and a restart")
    p = fru_print()
    check_eq(p.field("Product Serial"), "SN-EDITED-0042", "Product Serial after refusals", p)
