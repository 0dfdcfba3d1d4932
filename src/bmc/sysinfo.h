/* System Info Parameters (IPMI 2.0 §22.14a-b, table 22-16a): strings the host's firmware and
 * operating system (or an operator) leave with the BMC: the system firmware version, the system
 * name, the primary and the running OS name, the OS version, the BMC URL and the base OS or
 * hypervisor URL. Each is kept as the 16-byte blocks it is written in (set selectors 0-16: the
 * first block starts with the encoding and the string length, one byte, so a string holds at
 * most 255 bytes). The firmware version, system name, primary OS name and BMC URL persist in the
 * store ("sysinfo.N"); the running OS name, OS version and hypervisor URL are volatile and
 * cleared when the server powers down or resets, as the table asks. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bmc;

/* Parameter selectors (table 22-16a). */
enum bmc_sysinfo_param {
	BMC_SYSINFO_SET_IN_PROGRESS = 0,
	BMC_SYSINFO_FIRMWARE_VERSION = 1,
	BMC_SYSINFO_SYSTEM_NAME = 2,
	BMC_SYSINFO_PRIMARY_OS_NAME = 3,
	BMC_SYSINFO_OS_NAME = 4,        /* volatile */
	BMC_SYSINFO_OS_VERSION = 5,     /* volatile */
	BMC_SYSINFO_BMC_URL = 6,
	BMC_SYSINFO_HYPERVISOR_URL = 7, /* volatile */
	BMC_SYSINFO_MAX
};

/* Parameter 0, bits 1:0. */
enum bmc_sysinfo_set_state {
	BMC_SYSINFO_SET_COMPLETE = 0,
	BMC_SYSINFO_SET_LOCKED = 1, /* "set in progress" */
	BMC_SYSINFO_COMMIT_WRITE = 2,
};

/* Set 0, byte 1, bits 3:0: the string's encoding. */
enum bmc_sysinfo_encoding {
	BMC_SYSINFO_ASCII_LATIN1 = 0,
	BMC_SYSINFO_UTF8 = 1,
	BMC_SYSINFO_UCS2 = 2,
};

#define BMC_SYSINFO_BLOCK 16
/* 14 bytes in set 0, 16 in each of the others: ceil((255 - 14) / 16) + 1 sets. */
#define BMC_SYSINFO_SETS 17
#define BMC_SYSINFO_REVISION 0x11 /* parameter revision answered by Get */

struct bmc_sysinfo {
	uint8_t set_state; /* enum bmc_sysinfo_set_state */
	/* [param][set selector][byte], params 1..7 (index 0 unused). */
	uint8_t block[BMC_SYSINFO_MAX][BMC_SYSINFO_SETS][BMC_SYSINFO_BLOCK];
};

/* Loads the persistent strings (all empty on a first start). */
int bmc_sysinfo_init(struct bmc *bmc);

/* True for the string parameters 1..7. */
bool bmc_sysinfo_is_string(uint8_t param);

/* One block of a string parameter: -ENOENT for a parameter that is not a string, -ERANGE for a
 * set selector past the last one. */
int bmc_sysinfo_get_block(const struct bmc *bmc, uint8_t param, uint8_t set,
			  uint8_t out[static BMC_SYSINFO_BLOCK]);
/* Writes one block (persisting it for the non-volatile parameters): -ENOENT, -ERANGE as above,
 * -EINVAL for set 0 with a reserved encoding (bits 7:4 set, or an encoding above 2), or -errno
 * from the store (the block is then not changed). */
int bmc_sysinfo_set_block(struct bmc *bmc, uint8_t param, uint8_t set,
			  const uint8_t data[static BMC_SYSINFO_BLOCK]);

/* Parameter 0: -EBUSY when "set in progress" is asked for while it already is (completion code
 * 0x81), -EINVAL for the reserved value 3. */
int bmc_sysinfo_set_in_progress(struct bmc *bmc, uint8_t state);

/* The string of a parameter (as many bytes as its length says, at most cap - 1, NUL-terminated;
 * its encoding is not converted). Returns the length copied, 0 for an unset string. */
size_t bmc_sysinfo_string(const struct bmc *bmc, uint8_t param, char *out, size_t cap);

/* Set 0's encoding of a string parameter (enum bmc_sysinfo_encoding). */
uint8_t bmc_sysinfo_encoding(const struct bmc *bmc, uint8_t param);

/* The server powered down or was reset: the volatile strings are cleared. */
void bmc_sysinfo_host_restarted(struct bmc *bmc);
