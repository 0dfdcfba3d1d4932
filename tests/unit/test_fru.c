/* Unit tests of FRU device 0 (bmc/fru.c) and its Storage handlers (ipmi/storage_fru.c):
 * the image built for a known config byte for byte (against records.md §10.8, verified with
 * ipmi-fru), decoding (8-bit, 6-bit, the verified example with its multirecord), image checks,
 * persistence and first-start-only building, Get Info / Read with their completion codes,
 * checked writes (chunked like ipmitool, refused when they complete a bad area or run past the
 * end, staging dropped), and the `fru:` config section with its file:line:field errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bmc/bmc.h"
#include "config.h"
#include "core/log.h"
#include "ipmi/ipmi.h"
#include "store/store.h"

#include "fixture.h"

/* records.md §10.8 [verified with ipmi-fru --fru-file]: 6-bit board product name, one OEM
 * multirecord. */
static const uint8_t verified_example[] = {
	0x01, 0x00, 0x01, 0x04, 0x09, 0x10, 0x00, 0xe1,
	0x01, 0x03, 0x17, 0xc9, 0x43, 0x48, 0x2d, 0x50, 0x4e, 0x2d, 0x30, 0x30, 0x31, 0xc8, 0x43,
	0x48, 0x53, 0x4e, 0x30, 0x30, 0x30, 0x31, 0xc1, 0x92,
	0x01, 0x05, 0x19, 0x38, 0xbd, 0xe0, 0xc4, 0x41, 0x43, 0x4d, 0x45, 0x86, 0xe2, 0x1b, 0xca,
	0x24, 0x80, 0x47, 0xc9, 0x42, 0x53, 0x4e, 0x2d, 0x31, 0x32, 0x33, 0x34, 0x35, 0xc6, 0x50,
	0x4e, 0x2d, 0x42, 0x52, 0x44, 0xc0, 0xc1, 0x00, 0x00, 0x38,
	0x01, 0x07, 0x19, 0xc4, 0x41, 0x43, 0x4d, 0x45, 0xcd, 0x57, 0x69, 0x64, 0x67, 0x65, 0x74,
	0x20, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0xc6, 0x57, 0x53, 0x2d, 0x31, 0x30, 0x30, 0xc3,
	0x31, 0x2e, 0x30, 0xc8, 0x53, 0x4e, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0xc7, 0x41, 0x53,
	0x53, 0x45, 0x54, 0x2d, 0x39, 0xc0, 0xc1, 0x00, 0x00, 0x00, 0xf1,
	0xc0, 0x82, 0x05, 0x43, 0x76, 0x57, 0x01, 0x00, 0xaa, 0xbb,
};

/* What softbmc builds for the same info (8-bit board product name, no multirecord): the
 * chassis and product areas are the verified ones byte for byte; the board area differs only
 * in the name's encoding (8-bit "BOARD X1" is one byte longer, so no padding byte); the header
 * names no multirecord area. */
static const uint8_t built_example[128] = {
	0x01, 0x00, 0x01, 0x04, 0x09, 0x00, 0x00, 0xf1,
	0x01, 0x03, 0x17, 0xc9, 0x43, 0x48, 0x2d, 0x50, 0x4e, 0x2d, 0x30, 0x30, 0x31, 0xc8, 0x43,
	0x48, 0x53, 0x4e, 0x30, 0x30, 0x30, 0x31, 0xc1, 0x92,
	0x01, 0x05, 0x19, 0x38, 0xbd, 0xe0, 0xc4, 0x41, 0x43, 0x4d, 0x45, 0xc8, 0x42, 0x4f, 0x41,
	0x52, 0x44, 0x20, 0x58, 0x31, 0xc9, 0x42, 0x53, 0x4e, 0x2d, 0x31, 0x32, 0x33, 0x34, 0x35,
	0xc6, 0x50, 0x4e, 0x2d, 0x42, 0x52, 0x44, 0xc0, 0xc1, 0x97,
	0x01, 0x07, 0x19, 0xc4, 0x41, 0x43, 0x4d, 0x45, 0xcd, 0x57, 0x69, 0x64, 0x67, 0x65, 0x74,
	0x20, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0xc6, 0x57, 0x53, 0x2d, 0x31, 0x30, 0x30, 0xc3,
	0x31, 0x2e, 0x30, 0xc8, 0x53, 0x4e, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0xc7, 0x41, 0x53,
	0x53, 0x45, 0x54, 0x2d, 0x39, 0xc0, 0xc1, 0x00, 0x00, 0x00, 0xf1,
};

#define PRODUCT_AREA 72 /* offset of the product area in built_example */

static void example_info(struct bmc_fru_info *info)
{
	static const char *const text[BMC_FRU_FIELD_MAX] = {
		"CH-PN-001", "CHSN0001",
		"ACME", "BOARD X1", "BSN-12345", "PN-BRD",
		"ACME", "Widget Server", "WS-100", "1.0", "SN123456", "ASSET-9",
	};
	memset(info, 0, sizeof(*info));
	info->chassis_type = 0x17;
	info->board_mfg_minutes = 14728504; /* 2024-01-02 03:04 UTC */
	for (int i = 0; i < BMC_FRU_FIELD_MAX; i++)
		snprintf(info->field[i], sizeof(info->field[i]), "%s", text[i]);
}

static void assert_info_equal(const struct bmc_fru_info *a, const struct bmc_fru_info *b)
{
	assert_int_equal(a->chassis_type, b->chassis_type);
	assert_int_equal(a->board_mfg_minutes, b->board_mfg_minutes);
	for (int i = 0; i < BMC_FRU_FIELD_MAX; i++)
		assert_string_equal(a->field[i], b->field[i]);
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* ---- the image: building, decoding, checking ------------------------------------------- */

static void t_build_known_image(void **state)
{
	struct bmc_fru_info info;
	uint8_t img[BMC_FRU_SIZE];
	uint8_t zeros[BMC_FRU_SIZE] = { 0 };

	example_info(&info);
	memset(img, 0xEE, sizeof(img));
	assert_int_equal(bmc_fru_build(&info, img, sizeof(img)), sizeof(built_example));
	assert_memory_equal(img, built_example, sizeof(built_example));
	assert_memory_equal(img + sizeof(built_example), zeros, sizeof(img) - sizeof(built_example));
	/* every checksum is a zero checksum, every area a multiple of 8 bytes */
	assert_int_equal(sum8(img, 8), 0);
	assert_int_equal(sum8(img + 8, 24), 0);
	assert_int_equal(sum8(img + 32, 40), 0);
	assert_int_equal(sum8(img + PRODUCT_AREA, 56), 0);
	assert_int_equal(bmc_fru_image_check(img, sizeof(img)), 0);

	struct bmc_fru_info back;
	assert_int_equal(bmc_fru_decode(img, sizeof(img), &back), 0);
	assert_info_equal(&back, &info);

	/* it does not fit a smaller device */
	assert_int_equal(bmc_fru_build(&info, img, 120), -EMSGSIZE);
}

static void t_decode_verified_example(void **state)
{
	struct bmc_fru_info want, got;

	example_info(&want);
	assert_int_equal(bmc_fru_image_check(verified_example, sizeof(verified_example)), 0);
	assert_int_equal(bmc_fru_decode(verified_example, sizeof(verified_example), &got), 0);
	assert_info_equal(&got, &want); /* including the 6-bit "BOARD X1" */
}

static void t_field_limits(void **state)
{
	struct bmc_fru_info info, back;
	uint8_t img[BMC_FRU_SIZE];

	example_info(&info);
	/* one character: 0xC1 is the end marker, so it is stored with a space */
	snprintf(info.field[BMC_FRU_PRODUCT_VERSION], BMC_FRU_TEXT_CAP, "2");
	snprintf(info.field[BMC_FRU_PRODUCT_ASSET_TAG], BMC_FRU_TEXT_CAP, "%s", "");
	assert_true(bmc_fru_build(&info, img, sizeof(img)) > 0);
	const uint8_t version[] = { 0xc2, '2', ' ', 0xc8 };
	assert_memory_equal(img + PRODUCT_AREA + 29, version, sizeof(version));
	assert_int_equal(bmc_fru_decode(img, sizeof(img), &back), 0);
	assert_string_equal(back.field[BMC_FRU_PRODUCT_VERSION], "2 ");
	assert_string_equal(back.field[BMC_FRU_PRODUCT_ASSET_TAG], "");

	/* every field at 63 bytes still fits the device; 64 does not fit a field */
	for (int i = 0; i < BMC_FRU_FIELD_MAX; i++) {
		memset(info.field[i], 'A' + i, BMC_FRU_STRING_MAX);
		info.field[i][BMC_FRU_STRING_MAX] = '\0';
	}
	int used = bmc_fru_build(&info, img, sizeof(img));
	assert_true(used > 0 && used <= BMC_FRU_SIZE);
	assert_int_equal(bmc_fru_decode(img, sizeof(img), &back), 0);
	assert_info_equal(&back, &info);
	memset(info.field[BMC_FRU_BOARD_SERIAL], 'x', BMC_FRU_STRING_MAX + 1);
	info.field[BMC_FRU_BOARD_SERIAL][BMC_FRU_STRING_MAX + 1] = '\0';
	assert_int_equal(bmc_fru_build(&info, img, sizeof(img)), -EINVAL);
}

static void t_mfg_minutes(void **state)
{
	uint32_t m = 0;

	assert_int_equal(bmc_fru_mfg_minutes(1704164640, &m), 0); /* 2024-01-02 03:04:00 UTC */
	assert_int_equal(m, 14728504);
	assert_int_equal(bmc_fru_mfg_minutes(BMC_FRU_EPOCH + 60, &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(bmc_fru_mfg_minutes(BMC_FRU_EPOCH + 59, &m), -ERANGE);
	assert_int_equal(bmc_fru_mfg_minutes(1827087300, &m), 0); /* 2027-11-24 20:15 */
	assert_int_equal(m, 0xFFFFFF);
	assert_int_equal(bmc_fru_mfg_minutes(1827087360, &m), -ERANGE);
}

static void t_resolve_defaults(void **state)
{
	struct bmc_fru_config cfg;
	struct bmc_fru_info info;
	uint8_t guid[16];

	for (int i = 0; i < 16; i++)
		guid[i] = (uint8_t)(0xA0 + i); /* wire order: the UUID starts with guid[15] */
	bmc_fru_config_defaults(&cfg);
	bmc_fru_config_resolve(&cfg, guid, 1704164640ULL * USEC_PER_SEC + 5, &info);
	assert_int_equal(info.chassis_type, 0x17);
	assert_int_equal(info.board_mfg_minutes, 14728504);
	assert_string_equal(info.field[BMC_FRU_CHASSIS_SERIAL], "CHAFAEADACAB");
	assert_string_equal(info.field[BMC_FRU_BOARD_SERIAL], "BDAFAEADACAB");
	assert_string_equal(info.field[BMC_FRU_PRODUCT_SERIAL], "SBAFAEADACAB");
	assert_string_equal(info.field[BMC_FRU_PRODUCT_MANUFACTURER], "softbmc");
	assert_string_equal(info.field[BMC_FRU_PRODUCT_NAME], "Simulated 1U Server");
	/* a clock outside what 3 bytes of minutes can say: unspecified */
	bmc_fru_config_resolve(&cfg, guid, 2000000000ULL * USEC_PER_SEC, &info);
	assert_int_equal(info.board_mfg_minutes, 0);
}

/* Corrupts one byte of a copy of built_example (fixing the header checksum when asked). */
static int check_mutated(size_t off, uint8_t val)
{
	uint8_t img[sizeof(built_example)];
	memcpy(img, built_example, sizeof(img));
	img[off] = val;
	return bmc_fru_image_check(img, sizeof(img));
}

static int check_header(uint8_t chassis, uint8_t board, uint8_t product, uint8_t multi)
{
	uint8_t img[sizeof(built_example)];
	memcpy(img, built_example, sizeof(img));
	img[2] = chassis;
	img[3] = board;
	img[4] = product;
	img[5] = multi;
	img[7] = (uint8_t)-sum8(img, 7);
	return bmc_fru_image_check(img, sizeof(img));
}

static void t_image_check(void **state)
{
	assert_int_equal(check_mutated(0, 0x01), 0);
	assert_int_equal(check_mutated(7, 0xf2), -EBADMSG);       /* header checksum */
	assert_int_equal(check_mutated(0, 0x02), -EBADMSG);       /* header version */
	assert_int_equal(check_mutated(8, 0x02), -EBADMSG);       /* chassis area version */
	assert_int_equal(check_mutated(31, 0x93), -EBADMSG);      /* chassis checksum */
	assert_int_equal(check_mutated(80, 'x'), -EBADMSG);       /* product data vs checksum */
	assert_int_equal(check_header(1, 4, 9, 0), 0);
	assert_int_equal(check_header(1, 4, 16, 0), -EBADMSG);    /* product past the end */
	assert_int_equal(check_header(1, 3, 9, 0), -EBADMSG);     /* board inside chassis */
	assert_int_equal(check_header(1, 4, 4, 0), -EBADMSG);     /* two areas at one offset */
	assert_int_equal(check_header(1, 0, 9, 0), 0);            /* an area may be absent */

	/* a chassis area without its end marker (0xC1 replaced, checksum fixed) */
	uint8_t img[sizeof(built_example)];
	memcpy(img, built_example, sizeof(img));
	img[30] = 0x00;
	img[31] = (uint8_t)(img[31] + 0xC1);
	assert_int_equal(sum8(img + 8, 24), 0);
	assert_int_equal(bmc_fru_image_check(img, sizeof(img)), -EBADMSG);

	/* the verified multirecord, then with a wrong data checksum or a truncated image */
	uint8_t mr[sizeof(verified_example)];
	memcpy(mr, verified_example, sizeof(mr));
	mr[sizeof(mr) - 1] ^= 1;
	assert_int_equal(bmc_fru_image_check(mr, sizeof(mr)), -EBADMSG);
	assert_int_equal(bmc_fru_image_check(verified_example, sizeof(verified_example) - 1),
			 -EBADMSG);
	assert_int_equal(bmc_fru_image_check(verified_example, 7), -EBADMSG);
}

/* ---- the device on a store ------------------------------------------------------------- */

struct fixture {
	char dir[64];
	struct store *store;
	struct bmc bmc;
	struct bmc_fru_config cfg;
};

static void bmc_restart(struct fixture *fx)
{
	test_bmc_wire(&fx->bmc, fx->store, NULL, NULL);
	for (int i = 0; i < 16; i++)
		fx->bmc.system_guid[i] = (uint8_t)(0x10 * i + 1);
	fx->bmc.fru.config = &fx->cfg;
	assert_int_equal(bmc_fru_init(&fx->bmc), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_fru", &fx->store);
	/* the example's info as the configuration */
	bmc_fru_config_defaults(&fx->cfg);
	example_info(&fx->cfg.info);
	fx->cfg.mfg_date_at_first_start = false;
	fx->cfg.serial_from_guid = 0;
	bmc_restart(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	test_env_teardown(fx->store, fx->dir);
	free(fx);
	return 0;
}

/* Runs one request through the FRU table the way the dispatcher does (length, privilege). */
static void run(struct bmc *bmc, uint8_t cmd, uint8_t priv, const uint8_t *data, size_t len,
		struct ipmi_rsp *rsp)
{
	struct ipmi_req req = { .netfn = IPMI_NETFN_STORAGE, .cmd = cmd, .data = data, .len = len,
				.channel = IPMI_CHANNEL_LAN, .priv = priv };
	memset(rsp, 0, sizeof(*rsp));
	for (size_t i = 0; i < ipmi_fru_cmds_n; i++) {
		const struct ipmi_cmd *row = &ipmi_fru_cmds[i];
		if (row->netfn != req.netfn || row->cmd != cmd)
			continue;
		size_t max = row->max_len ? row->max_len : IPMI_MAX_REQ_DATA;
		if (priv < row->priv)
			rsp->cc = IPMI_CC_INSUFFICIENT_PRIV;
		else if (len < row->min_len || len > max)
			rsp->cc = IPMI_CC_REQ_LEN_INVALID;
		else
			row->handler(bmc, &req, rsp);
		if (rsp->cc)
			rsp->len = 0;
		return;
	}
	rsp->cc = IPMI_CC_INVALID_CMD;
}

#define RUN(fx, cmd, priv, rsp, ...) \
	do { \
		const uint8_t d_[] = { __VA_ARGS__ }; \
		run(&(fx)->bmc, cmd, priv, d_, sizeof(d_), rsp); \
	} while (0)

/* Write FRU Data of len bytes at offset (the handler's request layout). */
static uint8_t write_at(struct fixture *fx, uint16_t offset, const uint8_t *data, size_t len,
			uint8_t priv)
{
	uint8_t req[IPMI_MAX_REQ_DATA];
	struct ipmi_rsp rsp;

	assert_true(len + 3 <= sizeof(req));
	req[0] = 0;
	req[1] = (uint8_t)offset;
	req[2] = (uint8_t)(offset >> 8);
	memcpy(req + 3, data, len);
	run(&fx->bmc, 0x12, priv, req, len + 3, &rsp);
	if (rsp.cc == 0) {
		assert_int_equal(rsp.len, 1);
		assert_int_equal(rsp.data[0], len);
	}
	return rsp.cc;
}

/* The whole device through Read FRU Data in chunks of `chunk` bytes. */
static void read_all(struct fixture *fx, uint8_t *out, size_t size, uint8_t chunk)
{
	struct ipmi_rsp rsp;

	for (size_t off = 0; off < size;) {
		RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0, (uint8_t)off, (uint8_t)(off >> 8), chunk);
		assert_int_equal(rsp.cc, 0);
		assert_true(rsp.data[0] > 0);
		assert_int_equal(rsp.len, 1 + rsp.data[0]);
		memcpy(out + off, rsp.data + 1, rsp.data[0]);
		off += rsp.data[0];
	}
}

/* Writes img in pieces the way ipmitool does (chunk bytes, split at area boundaries). */
static void write_chunked(struct fixture *fx, const uint8_t *img, size_t len, size_t chunk)
{
	static const size_t bounds[] = { 8, 32, 72 };
	size_t b = 0;

	for (size_t off = 0; off < len;) {
		size_t n = len - off < chunk ? len - off : chunk;
		while (b < 3 && bounds[b] <= off)
			b++;
		if (b < 3 && off + n > bounds[b])
			n = bounds[b] - off;
		assert_int_equal(write_at(fx, (uint16_t)off, img + off, n, IPMI_PRIV_OPERATOR), 0);
		off += n;
	}
}

static void assert_device_is(struct fixture *fx, const uint8_t *want, size_t len)
{
	uint8_t got[BMC_FRU_SIZE];
	read_all(fx, got, BMC_FRU_SIZE, 24);
	assert_memory_equal(got, want, len);
}

static void t_built_at_first_start_only(void **state)
{
	struct fixture *fx = *state;
	uint8_t want[BMC_FRU_SIZE] = { 0 };

	memcpy(want, built_example, sizeof(built_example));
	assert_int_equal(fx->bmc.fru.size, BMC_FRU_SIZE);
	assert_memory_equal(fx->bmc.fru.image, want, BMC_FRU_SIZE);
	/* a later start does not read the config again */
	snprintf(fx->cfg.info.field[BMC_FRU_PRODUCT_NAME], BMC_FRU_TEXT_CAP, "Other");
	bmc_restart(fx);
	assert_memory_equal(fx->bmc.fru.image, want, BMC_FRU_SIZE);
	/* with no stored image (a new state), the config is read; derived serials and the
	 * first-start date are resolved then */
	assert_int_equal(store_delete(fx->store, "fru.0"), 0);
	fx->cfg.serial_from_guid = 1u << BMC_FRU_PRODUCT_SERIAL;
	fx->cfg.mfg_date_at_first_start = true;
	bmc_restart(fx);
	struct bmc_fru_info info;
	assert_int_equal(bmc_fru_inventory(&fx->bmc, &info), 0);
	assert_string_equal(info.field[BMC_FRU_PRODUCT_NAME], "Other");
	assert_string_equal(info.field[BMC_FRU_PRODUCT_SERIAL], "SBF1E1D1C1B1");
	uint32_t now_minutes = 0; /* now, not the configured 2024 date (0 after 2027-11-24) */
	(void)bmc_fru_mfg_minutes((int64_t)(now_realtime() / USEC_PER_SEC), &now_minutes);
	assert_true(info.board_mfg_minutes + 1 >= now_minutes &&
		    info.board_mfg_minutes <= now_minutes);
	/* an unreadable stored image is replaced by one built from the config */
	const uint8_t junk[] = { 1, 2, 3 };
	assert_int_equal(store_set(fx->store, "fru.0", junk, sizeof(junk)), 0);
	bmc_restart(fx);
	assert_int_equal(bmc_fru_image_check(fx->bmc.fru.image, fx->bmc.fru.size), 0);
}

static void t_info_and_read(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x10, IPMI_PRIV_USER, &rsp, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 3);
	assert_int_equal(rsp.data[0], BMC_FRU_SIZE & 0xFF);
	assert_int_equal(rsp.data[1], BMC_FRU_SIZE >> 8);
	assert_int_equal(rsp.data[2], 0x00); /* by bytes */
	RUN(fx, 0x10, IPMI_PRIV_USER, &rsp, 0x01);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	RUN(fx, 0x10, IPMI_PRIV_USER, &rsp, 0x00, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	RUN(fx, 0x10, IPMI_PRIV_CALLBACK, &rsp, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_INSUFFICIENT_PRIV);

	/* the header, then a slice of the chassis area */
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, 0x00, 0x00, 8);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 9);
	assert_int_equal(rsp.data[0], 8);
	assert_memory_equal(rsp.data + 1, built_example, 8);
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, 0x0B, 0x00, 4);
	assert_int_equal(rsp.cc, 0);
	assert_memory_equal(rsp.data, "\x04\xc9" "CH-", 5);
	/* the largest count fits a response; a read is clamped at the end of the device */
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, 0x00, 0x00, 255);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[0], 255);
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, 0xF0, 0x03, 100);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[0], 16);
	assert_int_equal(rsp.len, 17);
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, 0x00, 0x04, 1); /* offset 1024 */
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x02, 0x00, 0x00, 1);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, 0x00, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	/* pyghmi reads 224 bytes at a time, FreeIPMI 16, ipmitool ~24: all the same bytes */
	uint8_t a[BMC_FRU_SIZE], b[BMC_FRU_SIZE];
	read_all(fx, a, sizeof(a), 224);
	read_all(fx, b, sizeof(b), 16);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(a, built_example, sizeof(built_example));
}

/* The product area of built_example with serial "SN123456" -> "SN654321" and asset tag
 * "ASSET-9" -> "RACK-12-U07" (longer: the area grows by one block), checksums recomputed. */
static size_t modified_image(uint8_t img[static BMC_FRU_SIZE])
{
	struct bmc_fru_info info;
	example_info(&info);
	snprintf(info.field[BMC_FRU_PRODUCT_SERIAL], BMC_FRU_TEXT_CAP, "SN654321");
	snprintf(info.field[BMC_FRU_PRODUCT_ASSET_TAG], BMC_FRU_TEXT_CAP, "RACK-12-U07");
	int used = bmc_fru_build(&info, img, BMC_FRU_SIZE);
	assert_int_equal(used, sizeof(built_example) + 8);
	assert_memory_equal(img, built_example, PRODUCT_AREA); /* same layout before it */
	return (size_t)used;
}

static void t_write_chunked_image(void **state)
{
	struct fixture *fx = *state;
	uint8_t img[BMC_FRU_SIZE];

	modified_image(img);
	/* ipmitool over lanplus: 22-byte pieces, split at the old image's area boundaries; the
	 * product area is checked when the piece carrying its checksum arrives */
	write_chunked(fx, img, BMC_FRU_SIZE, 22);
	assert_false(fx->bmc.fru.staging);
	assert_memory_equal(fx->bmc.fru.image, img, BMC_FRU_SIZE);
	assert_device_is(fx, img, BMC_FRU_SIZE);
	struct bmc_fru_info info;
	assert_int_equal(bmc_fru_inventory(&fx->bmc, &info), 0);
	assert_string_equal(info.field[BMC_FRU_PRODUCT_SERIAL], "SN654321");
	assert_string_equal(info.field[BMC_FRU_PRODUCT_ASSET_TAG], "RACK-12-U07");
	/* persisted before the replies: a restart serves the written image */
	bmc_restart(fx);
	assert_memory_equal(fx->bmc.fru.image, img, BMC_FRU_SIZE);

	/* a whole new layout (the verified example with its multirecord) in 16-byte pieces */
	uint8_t other[BMC_FRU_SIZE] = { 0 };
	memcpy(other, verified_example, sizeof(verified_example));
	write_chunked(fx, other, BMC_FRU_SIZE, 16);
	bmc_restart(fx);
	assert_memory_equal(fx->bmc.fru.image, other, BMC_FRU_SIZE);
	/* Write FRU Data needs Operator */
	assert_int_equal(write_at(fx, 0, other, 8, IPMI_PRIV_USER), IPMI_CC_INSUFFICIENT_PRIV);
}

static void t_write_refused(void **state)
{
	struct fixture *fx = *state;
	uint8_t img[BMC_FRU_SIZE];
	uint8_t before[BMC_FRU_SIZE];
	struct ipmi_rsp rsp;

	memcpy(before, fx->bmc.fru.image, BMC_FRU_SIZE);
	modified_image(img);

	/* past the end of the device: nothing written */
	const uint8_t two[2] = { 0x11, 0x22 };
	assert_int_equal(write_at(fx, 1023, two, 2, IPMI_PRIV_OPERATOR), IPMI_CC_PARAM_OUT_OF_RANGE);
	assert_int_equal(write_at(fx, 1024, two, 1, IPMI_PRIV_OPERATOR), IPMI_CC_PARAM_OUT_OF_RANGE);
	assert_int_equal(write_at(fx, 0xFFFF, two, 1, IPMI_PRIV_OPERATOR),
			 IPMI_CC_PARAM_OUT_OF_RANGE);
	/* the last byte (unused space: the image stays consistent, so it is committed) */
	assert_int_equal(write_at(fx, 1023, two, 1, IPMI_PRIV_OPERATOR), 0);
	assert_int_equal(fx->bmc.fru.image[1023], 0x11);
	assert_int_equal(write_at(fx, 1023, before + 1023, 1, IPMI_PRIV_OPERATOR), 0);
	assert_memory_equal(fx->bmc.fru.image, before, BMC_FRU_SIZE);

	/* the product area written whole with a wrong checksum: refused, nothing changes */
	uint8_t bad[64];
	memcpy(bad, img + PRODUCT_AREA, 64);
	bad[63] ^= 0x5A;
	assert_int_equal(write_at(fx, PRODUCT_AREA, bad, 64, IPMI_PRIV_OPERATOR),
			 IPMI_CC_INVALID_FIELD);
	assert_memory_equal(fx->bmc.fru.image, before, BMC_FRU_SIZE);
	assert_false(fx->bmc.fru.staging);
	/* one byte: the checksum alone, wrong */
	const uint8_t cks = 0x00;
	assert_int_equal(write_at(fx, PRODUCT_AREA + 55, &cks, 1, IPMI_PRIV_OPERATOR),
			 IPMI_CC_INVALID_FIELD);
	/* the same area in order, the last piece with a wrong checksum: the earlier pieces were
	 * staged, the last is refused, and the stage is dropped */
	assert_int_equal(write_at(fx, PRODUCT_AREA, img + PRODUCT_AREA, 40, IPMI_PRIV_OPERATOR), 0);
	assert_true(fx->bmc.fru.staging);
	RUN(fx, 0x11, IPMI_PRIV_USER, &rsp, 0x00, PRODUCT_AREA + 36, 0x00, 8);
	assert_memory_equal(rsp.data + 1, before + PRODUCT_AREA + 36, 8); /* reads: committed */
	assert_int_equal(write_at(fx, PRODUCT_AREA + 40, bad + 40, 24, IPMI_PRIV_OPERATOR),
			 IPMI_CC_INVALID_FIELD);
	assert_false(fx->bmc.fru.staging);
	/* a header with a wrong checksum, or naming an area past the end */
	uint8_t hdr[8];
	memcpy(hdr, before, 8);
	hdr[7] ^= 1;
	assert_int_equal(write_at(fx, 0, hdr, 8, IPMI_PRIV_OPERATOR), IPMI_CC_INVALID_FIELD);
	memcpy(hdr, before, 8);
	hdr[4] = 200;
	hdr[7] = (uint8_t)-sum8(hdr, 7);
	assert_int_equal(write_at(fx, 0, hdr, 8, IPMI_PRIV_OPERATOR), IPMI_CC_INVALID_FIELD);
	/* an area length running past the device */
	const uint8_t len_byte = 0xF0;
	assert_int_equal(write_at(fx, PRODUCT_AREA + 1, &len_byte, 1, IPMI_PRIV_OPERATOR),
			 IPMI_CC_INVALID_FIELD);
	/* unknown FRU device */
	uint8_t req[4] = { 0x01, 0x00, 0x00, 0x01 };
	run(&fx->bmc, 0x12, IPMI_PRIV_OPERATOR, req, sizeof(req), &rsp);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	run(&fx->bmc, 0x12, IPMI_PRIV_OPERATOR, req, 3, &rsp); /* no data */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);

	assert_memory_equal(fx->bmc.fru.image, before, BMC_FRU_SIZE);
	bmc_restart(fx);
	assert_memory_equal(fx->bmc.fru.image, before, BMC_FRU_SIZE);
}

static void t_staging_expires(void **state)
{
	struct fixture *fx = *state;
	uint8_t img[BMC_FRU_SIZE];
	uint8_t before[BMC_FRU_SIZE];

	memcpy(before, fx->bmc.fru.image, BMC_FRU_SIZE);
	modified_image(img);
	/* half an update, then nothing for longer than the staging timeout */
	assert_int_equal(write_at(fx, PRODUCT_AREA, img + PRODUCT_AREA, 20, IPMI_PRIV_OPERATOR), 0);
	assert_true(fx->bmc.fru.staging);
	fx->bmc.fru.staged_at -= BMC_FRU_STAGING_TIMEOUT + USEC_PER_SEC;
	/* the rest alone does not complete an image any more: the area it ends is invalid */
	assert_int_equal(write_at(fx, PRODUCT_AREA + 20, img + PRODUCT_AREA + 20, 44,
				  IPMI_PRIV_OPERATOR), IPMI_CC_INVALID_FIELD);
	assert_memory_equal(fx->bmc.fru.image, before, BMC_FRU_SIZE);
	/* a multirecord whose data checksum is wrong, written in order: refused at its end */
	uint8_t mr[BMC_FRU_SIZE] = { 0 };
	memcpy(mr, verified_example, sizeof(verified_example));
	mr[sizeof(verified_example) - 1] ^= 1;
	assert_int_equal(write_at(fx, 0, mr, 128, IPMI_PRIV_OPERATOR), 0);
	assert_true(fx->bmc.fru.staging);
	assert_int_equal(write_at(fx, 128, mr + 128, 10, IPMI_PRIV_OPERATOR),
			 IPMI_CC_INVALID_FIELD);
	assert_memory_equal(fx->bmc.fru.image, before, BMC_FRU_SIZE);
}

/* ---- the fru: config section ----------------------------------------------------------- */


static void assert_config_equal(const struct bmc_fru_config *a, const struct bmc_fru_config *b)
{
	assert_info_equal(&a->info, &b->info);
	assert_int_equal(a->mfg_date_at_first_start, b->mfg_date_at_first_start);
	assert_int_equal(a->serial_from_guid, b->serial_from_guid);
}

static void t_config_defaults_and_example(void **state)
{
	struct test_cfg *f = *state;
	struct bmc_fru_config d;
	char path[512];

	bmc_fru_config_defaults(&d);
	assert_config_equal(&f->cfg.fru, &d);
	assert_int_equal(d.info.chassis_type, 0x17);
	assert_true(d.mfg_date_at_first_start);
	assert_string_equal(d.info.field[BMC_FRU_PRODUCT_NAME], "Simulated 1U Server");
	/* the shipped example says the defaults */
	snprintf(path, sizeof(path), "%s/config/softbmc.yaml", SOURCE_ROOT);
	f->cfg.fru.info.chassis_type = 1; /* proves the section was read */
	assert_int_equal(config_load(path, &f->cfg, f->err, sizeof(f->err)), 0);
	assert_config_equal(&f->cfg.fru, &d);
}

static void t_config_full(void **state)
{
	struct test_cfg *f = *state;

	assert_int_equal(test_cfg_load(f,
		"fru:\n"
		"  chassis:\n"
		"    type: 0x11\n"
		"    part_number: CH-PN-001\n"
		"    serial: CHSN0001\n"
		"  board:\n"
		"    mfg_date: 2024-01-02 03:04\n"
		"    manufacturer: ACME\n"
		"    product_name: BOARD X1\n"
		"    serial: BSN-12345\n"
		"    part_number: PN-BRD\n"
		"  product:\n"
		"    manufacturer: ACME\n"
		"    name: \"Widget Server\"\n"
		"    part_number: WS-100\n"
		"    version: \"1.0\"\n"
		"    serial: SN123456\n"
		"    asset_tag: ASSET-9\n"), 0);
	struct bmc_fru_info want;
	example_info(&want);
	want.chassis_type = 0x11;
	assert_info_equal(&f->cfg.fru.info, &want);
	assert_false(f->cfg.fru.mfg_date_at_first_start);
	assert_int_equal(f->cfg.fru.serial_from_guid, 0);

	/* partial: only the product serial given, the other serials stay derived */
	config_defaults(&f->cfg);
	assert_int_equal(test_cfg_load(f, "fru:\n  product:\n    serial: X-1\n    asset_tag: \"\"\n"
				      "  board:\n    mfg_date: unspecified\n"), 0);
	assert_string_equal(f->cfg.fru.info.field[BMC_FRU_PRODUCT_SERIAL], "X-1");
	assert_int_equal(f->cfg.fru.serial_from_guid,
			 1u << BMC_FRU_CHASSIS_SERIAL | 1u << BMC_FRU_BOARD_SERIAL);
	assert_int_equal(f->cfg.fru.info.board_mfg_minutes, 0);
	assert_false(f->cfg.fru.mfg_date_at_first_start);
	assert_string_equal(f->cfg.fru.info.field[BMC_FRU_PRODUCT_NAME], "Simulated 1U Server");
	/* the T form of the date */
	assert_int_equal(test_cfg_load(f, "fru:\n  board:\n    mfg_date: \"2024-01-02T03:04\"\n"), 0);
	assert_int_equal(f->cfg.fru.info.board_mfg_minutes, 14728504);
	assert_int_equal(test_cfg_load(f, "fru:\n"), 0); /* an empty section */
}

static void t_config_refused(void **state)
{
	struct test_cfg *f = *state;

	test_cfg_refused(f, "fru:\n  product:\n    name: ok\n    serial: "
		   "0123456789012345678901234567890123456789012345678901234567890123\n",
		"softbmc.yaml:4:", "fru.product.serial", "64 bytes long; a FRU field holds at most 63");
	test_cfg_refused(f, "fru:\n  board:\n    manufacturer: \"caf\xc3\xa9\"\n", "softbmc.yaml:3:",
		"fru.board.manufacturer", "(0xc3) that is not printable ASCII");
	test_cfg_refused(f, "fru:\n  board:\n    manufacturer: \"a\\tb\"\n", "softbmc.yaml:3:",
		"fru.board.manufacturer", "(0x09)");
	test_cfg_refused(f, "fru:\n  chassis:\n    type: 0x25\n", "softbmc.yaml:3:", "fru.chassis.type",
		"0x25 is out of range (0x1..0x24)");
	test_cfg_refused(f, "fru:\n  chassis:\n    type: rack\n", "softbmc.yaml:3:", "fru.chassis.type",
		"'rack' is not a whole number");
	test_cfg_refused(f, "fru:\n  board:\n    mfg_date: 2024-02-30 10:00\n", "softbmc.yaml:3:",
		"fru.board.mfg_date", "is not a date and time written YYYY-MM-DD HH:MM");
	test_cfg_refused(f, "fru:\n  board:\n    mfg_date: 2024-1-2 3:04\n", "softbmc.yaml:3:",
		"fru.board.mfg_date", "is not a date and time");
	test_cfg_refused(f, "fru:\n  board:\n    mfg_date: 1995-12-31 23:59\n", "softbmc.yaml:3:",
		"fru.board.mfg_date", "out of range (1996-01-01 00:01 .. 2027-11-24 20:15 UTC)");
	test_cfg_refused(f, "fru:\n  board:\n    mfg_date: 2030-01-01 00:00\n", "softbmc.yaml:3:",
		"fru.board.mfg_date", "out of range");
	test_cfg_refused(f, "fru:\n  product:\n    serail: X\n", "softbmc.yaml:3:", "fru.product.serail",
		"unknown key");
	test_cfg_refused(f, "fru:\n  product: [a]\n", "softbmc.yaml:2:", "fru.product",
		"expected a mapping");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_build_known_image),
		cmocka_unit_test(t_decode_verified_example),
		cmocka_unit_test(t_field_limits),
		cmocka_unit_test(t_mfg_minutes),
		cmocka_unit_test(t_resolve_defaults),
		cmocka_unit_test(t_image_check),
		cmocka_unit_test_setup_teardown(t_built_at_first_start_only, setup, teardown),
		cmocka_unit_test_setup_teardown(t_info_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(t_write_chunked_image, setup, teardown),
		cmocka_unit_test_setup_teardown(t_write_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(t_staging_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(t_config_defaults_and_example,
						test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_config_full, test_cfg_setup, test_cfg_teardown),
		cmocka_unit_test_setup_teardown(t_config_refused, test_cfg_setup, test_cfg_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
