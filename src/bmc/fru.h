/* FRU inventory device 0 (IPMI 2.0 §34; Platform Management FRU Information Storage Definition
 * v1.0, records.md §10): the image built from config at first start, checked writes, persistence
 * of the whole image under the store key "fru.0", and a decoded view of its info areas. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

#define BMC_FRU_DEVICE_ID   0
/* Bytes of the inventory area (Get FRU Inventory Area Info): room for the largest image the
 * config can describe (every field 63 bytes: 808 bytes) and for edits that lengthen fields. */
#define BMC_FRU_SIZE        1024
#define BMC_FRU_STRING_MAX  63        /* type/length byte bits 5:0 */
#define BMC_FRU_TEXT_CAP    128       /* a decoded field: 63 bytes of BCD or binary as hex */
#define BMC_FRU_MINUTES_MAX 0xFFFFFF  /* board mfg date: 3 bytes of minutes */
#define BMC_FRU_EPOCH       820454400 /* 1996-01-01 00:00:00 UTC in Unix seconds */
#define BMC_FRU_CHASSIS_TYPE_MAX 0x24 /* SMBIOS 3.x chassis types 0x01..0x24 */

/* The text fields of the three info areas, in the order each area carries them. */
enum bmc_fru_field {
	BMC_FRU_CHASSIS_PART_NUMBER,
	BMC_FRU_CHASSIS_SERIAL,
	BMC_FRU_BOARD_MANUFACTURER,
	BMC_FRU_BOARD_PRODUCT_NAME,
	BMC_FRU_BOARD_SERIAL,
	BMC_FRU_BOARD_PART_NUMBER,
	BMC_FRU_PRODUCT_MANUFACTURER,
	BMC_FRU_PRODUCT_NAME,
	BMC_FRU_PRODUCT_PART_NUMBER,
	BMC_FRU_PRODUCT_VERSION,
	BMC_FRU_PRODUCT_SERIAL,
	BMC_FRU_PRODUCT_ASSET_TAG,
	BMC_FRU_FIELD_MAX
};

/* What the chassis, board and product info areas say. Built into an image (8-bit ASCII
 * fields) or decoded from one (8-bit and 6-bit ASCII as text, BCD plus as its characters,
 * binary as upper-case hex; custom fields are not part of this view). */
struct bmc_fru_info {
	uint8_t chassis_type;        /* SMBIOS enumeration; 0 = no chassis area */
	uint32_t board_mfg_minutes;  /* minutes since 1996-01-01 00:00 UTC; 0 = unspecified */
	char field[BMC_FRU_FIELD_MAX][BMC_FRU_TEXT_CAP];
};

/* The `fru:` section of the configuration: the info, and what is decided at first start. */
struct bmc_fru_config {
	struct bmc_fru_info info;
	bool mfg_date_at_first_start;   /* board_mfg_minutes := the time of the first start */
	uint32_t serial_from_guid;      /* bit n: field n := derived from the system GUID */
};

struct bmc_fru {
	/* Set by the daemon before bmc_init (NULL = defaults); read only when no image is
	 * stored yet. */
	const struct bmc_fru_config *config;
	uint16_t size;                  /* bytes of the device (the stored image's length) */
	uint8_t image[BMC_FRU_SIZE];    /* committed: what reads return and the store holds */
	/* A chunked write in progress (see bmc_fru_write). */
	uint8_t staged[BMC_FRU_SIZE];
	bool staging;
	usec_t staged_at;               /* monotonic time of the last accepted write */
};

/* An incomplete staged image is dropped after this long without a write. */
#define BMC_FRU_STAGING_TIMEOUT (30 * USEC_PER_SEC)

void bmc_fru_config_defaults(struct bmc_fru_config *cfg);
/* The info the config describes for a BMC with this system GUID (IPMI wire order) first
 * started at now_rt (realtime). */
void bmc_fru_config_resolve(const struct bmc_fru_config *cfg, const uint8_t system_guid[static 16],
			    usec_t now_rt, struct bmc_fru_info *ret);
/* Unix seconds -> board manufacturing minutes; -ERANGE before 1996-01-01 00:01 or past
 * the 3-byte counter (2027-11-24 20:15 UTC). */
int bmc_fru_mfg_minutes(int64_t unix_seconds, uint32_t *ret);

/* Builds an image: common header, chassis, board and product info areas (8-bit ASCII
 * fields, end marker 0xC1, padding to 8-byte multiples, zero checksums), then zeros up to
 * size. Returns the bytes used, -EINVAL for a field longer than BMC_FRU_STRING_MAX, or
 * -EMSGSIZE if it does not fit. */
int bmc_fru_build(const struct bmc_fru_info *info, uint8_t *buf, size_t size);
/* Checks a whole image: header (version 1, checksum, offsets inside), every info area
 * (version, length, checksum, mandatory fields and end marker inside), every multirecord
 * (header and data checksums, inside), no two areas overlapping. 0 or -EBADMSG. */
int bmc_fru_image_check(const uint8_t *img, size_t len);
/* Decodes the info areas of a checked image. 0 or -EBADMSG. */
int bmc_fru_decode(const uint8_t *img, size_t len, struct bmc_fru_info *ret);

/* Loads "fru.0", or builds the image from the config and stores it (first start). Called by
 * bmc_init after the GUIDs are loaded. */
int bmc_fru_init(struct bmc *bmc);
/* The size of FRU device fru_id in bytes, or -ENXIO if there is no such device. */
int bmc_fru_area_size(const struct bmc *bmc, uint8_t fru_id);
/* Read FRU Data: copies up to count bytes at offset (fewer at the end of the device).
 * Returns the count copied, -ENXIO (no such device) or -ERANGE (offset past the end). */
int bmc_fru_read(const struct bmc *bmc, uint8_t fru_id, uint16_t offset, uint8_t *buf,
		 size_t count);
/* Write FRU Data (see fru.c for how chunked writes are staged and committed). Returns the
 * count written, or -ENXIO (no such device), -ERANGE (past the end of the device), -EBADMSG
 * (the write completes the header, an info area or a multirecord that is then invalid; nothing
 * changes), or a store error (nothing changes). */
int bmc_fru_write(struct bmc *bmc, uint8_t fru_id, uint16_t offset, const uint8_t *data,
		  size_t len);
/* The decoded info areas of the committed image. 0 or -EBADMSG. */
int bmc_fru_inventory(const struct bmc *bmc, struct bmc_fru_info *ret);
/* Changes one text field of FRU 0 (printable ASCII, at most BMC_FRU_STRING_MAX bytes): the
 * image is rebuilt from the decoded info areas (custom fields and multirecords are not kept)
 * and committed like a Write FRU Data of the whole device. -EINVAL bad text, -EBUSY an IPMI
 * chunked write is in progress, -EMSGSIZE it does not fit, or a store error. */
int bmc_fru_set_field(struct bmc *bmc, enum bmc_fru_field field, const char *text);
