/* System Info Parameters: the model (bmc/sysinfo.h). Persistent state, one versioned blob per
 * non-volatile parameter, written before the function that changed it returns:
 *   sysinfo.N   the parameter's BMC_SYSINFO_SETS blocks of BMC_SYSINFO_BLOCK bytes */
#include "bmc/sysinfo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define BLOB_VERSION 1
#define STRING_BYTES (BMC_SYSINFO_SETS * BMC_SYSINFO_BLOCK)

/* Cleared on power down or reset (table 22-16a: parameters 4, 5 and 7). */
static bool is_volatile(uint8_t param)
{
	return param == BMC_SYSINFO_OS_NAME || param == BMC_SYSINFO_OS_VERSION ||
	       param == BMC_SYSINFO_HYPERVISOR_URL;
}

bool bmc_sysinfo_is_string(uint8_t param)
{
	return param > BMC_SYSINFO_SET_IN_PROGRESS && param < BMC_SYSINFO_MAX;
}

static void store_key(uint8_t param, char key[static 16])
{
	snprintf(key, 16, "sysinfo.%u", param);
}

static int save(struct bmc *bmc, uint8_t param, const uint8_t blocks[static STRING_BYTES])
{
	uint8_t buf[1 + STRING_BYTES];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	char key[16];

	store_key(param, key);
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_bytes(&w, blocks, STRING_BYTES);
	return store_set_blob(bmc->store, key, &w);
}

static int load(struct bmc *bmc, uint8_t param)
{
	uint8_t buf[1 + STRING_BYTES];
	struct rbuf rb;
	char key[16];

	store_key(param, key);
	int r = store_get_blob(bmc->store, BLOB_VERSION, key, buf, sizeof(buf), &rb);
	if (r == 0 && rbuf_left(&rb) != STRING_BYTES)
		r = -EBADMSG;
	if (r == 0)
		rbuf_copy(&rb, bmc->sysinfo.block[param], STRING_BYTES);
	if (r == -EBADMSG)
		log_warn("%s: %s in the store is unreadable, starting it empty", bmc->name, key);
	return r == -ENOENT || r == -EBADMSG ? 0 : r;
}

int bmc_sysinfo_init(struct bmc *bmc)
{
	memset(&bmc->sysinfo, 0, sizeof(bmc->sysinfo));
	for (uint8_t p = 1; p < BMC_SYSINFO_MAX; p++) {
		if (is_volatile(p))
			continue;
		int r = load(bmc, p);
		if (r < 0)
			return r;
	}
	return 0;
}

int bmc_sysinfo_get_block(const struct bmc *bmc, uint8_t param, uint8_t set,
			  uint8_t out[static BMC_SYSINFO_BLOCK])
{
	if (!bmc_sysinfo_is_string(param))
		return -ENOENT;
	if (set >= BMC_SYSINFO_SETS)
		return -ERANGE;
	memcpy(out, bmc->sysinfo.block[param][set], BMC_SYSINFO_BLOCK);
	return 0;
}

int bmc_sysinfo_set_block(struct bmc *bmc, uint8_t param, uint8_t set,
			  const uint8_t data[static BMC_SYSINFO_BLOCK])
{
	if (!bmc_sysinfo_is_string(param))
		return -ENOENT;
	if (set >= BMC_SYSINFO_SETS)
		return -ERANGE;
	/* Set 0, byte 1: bits 7:4 reserved, 3:0 the encoding. */
	if (set == 0 && (data[0] & 0xF0 || (data[0] & 0x0F) > BMC_SYSINFO_UCS2))
		return -EINVAL;
	if (is_volatile(param)) {
		memcpy(bmc->sysinfo.block[param][set], data, BMC_SYSINFO_BLOCK);
		return 0;
	}
	uint8_t next[STRING_BYTES];
	memcpy(next, bmc->sysinfo.block[param], STRING_BYTES);
	memcpy(next + (size_t)set * BMC_SYSINFO_BLOCK, data, BMC_SYSINFO_BLOCK);
	int r = save(bmc, param, next);
	if (r == 0)
		memcpy(bmc->sysinfo.block[param], next, STRING_BYTES);
	return r;
}

int bmc_sysinfo_set_in_progress(struct bmc *bmc, uint8_t state)
{
	switch (state) {
	case BMC_SYSINFO_SET_LOCKED:
		if (bmc->sysinfo.set_state == BMC_SYSINFO_SET_LOCKED)
			return -EBUSY;
		bmc->sysinfo.set_state = BMC_SYSINFO_SET_LOCKED;
		return 0;
	case BMC_SYSINFO_SET_COMPLETE:
	case BMC_SYSINFO_COMMIT_WRITE: /* every block is written as it comes: nothing to commit */
		bmc->sysinfo.set_state = BMC_SYSINFO_SET_COMPLETE;
		return 0;
	default:
		return -EINVAL;
	}
}

size_t bmc_sysinfo_string(const struct bmc *bmc, uint8_t param, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	out[0] = '\0';
	if (!bmc_sysinfo_is_string(param))
		return 0;
	const uint8_t *b = bmc->sysinfo.block[param][0];
	size_t len = b[1]; /* the string starts at byte 2 of set 0 and runs on through the sets */
	if (len > cap - 1)
		len = cap - 1;
	memcpy(out, b + 2, len);
	out[len] = '\0';
	return len;
}

uint8_t bmc_sysinfo_encoding(const struct bmc *bmc, uint8_t param)
{
	return bmc_sysinfo_is_string(param) ? bmc->sysinfo.block[param][0][0] & 0x0F : 0;
}

void bmc_sysinfo_host_restarted(struct bmc *bmc)
{
	for (uint8_t p = 1; p < BMC_SYSINFO_MAX; p++) {
		if (is_volatile(p))
			memset(bmc->sysinfo.block[p], 0, sizeof(bmc->sysinfo.block[p]));
	}
}
