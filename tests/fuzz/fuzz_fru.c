/* Fuzz target: FRU data written by users (bmc/fru.c): the image checker and decoder, and the
 * staged, checked writes of Write FRU Data into the live model.
 *
 * Input: one option byte, then
 *   option even   the rest is a whole FRU image: checked, decoded if valid, then written to
 *                 FRU 0 from offset 0 in 16-byte chunks (as ipmitool "fru write" does); a
 *                 valid image must be accepted and read back unchanged
 *   option odd    records [kind][len lo][len hi][bytes]: bytes[0..1] offset (little endian),
 *                 the rest written there to FRU device (kind % 2) (1 does not exist)
 * Either way the inventory is decoded at the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_env_init(&env, false);
	return 0;
}

static void whole_image(const uint8_t *img, size_t len)
{
	struct bmc_fru_info info;
	uint8_t *copy = malloc(len ? len : 1); /* exactly len bytes: ASan sees any over-read */
	memcpy(copy, img, len);
	bool valid = bmc_fru_image_check(copy, len) == 0;
	if (valid && bmc_fru_decode(copy, len, &info) < 0)
		abort(); /* a checked image always decodes */
	free(copy);
	if (len > BMC_FRU_SIZE)
		return;
	int failed = 0;
	for (size_t off = 0; off < len && !failed; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		failed = bmc_fru_write(&env.bmc, 0, (uint16_t)off, img + off, n) < 0;
	}
	if (!valid || failed || len < (size_t)env.bmc.fru.size)
		return;
	/* A valid image that fills the device was committed whole: it reads back the same. */
	uint8_t back[BMC_FRU_SIZE];
	int n = bmc_fru_read(&env.bmc, 0, 0, back, len);
	if (n != (int)env.bmc.fru.size || memcmp(back, img, (size_t)n) != 0)
		abort();
}

static void writes(const uint8_t *data, size_t size)
{
	struct fuzz_reader r = { .p = data, .len = size };
	uint8_t kind;
	const uint8_t *p;
	size_t n;
	for (unsigned i = 0; i < 64 && fuzz_next_record(&r, &kind, &p, &n); i++) {
		if (n < 2)
			continue;
		uint16_t off = (uint16_t)(p[0] | p[1] << 8);
		size_t len = n - 2 > 255 ? 255 : n - 2;
		(void)bmc_fru_write(&env.bmc, kind % 2, off, p + 2, len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_env_begin(&env, 0);
	if (data[0] % 2 == 0)
		whole_image(data + 1, size - 1);
	else
		writes(data + 1, size - 1);
	struct bmc_fru_info info;
	(void)bmc_fru_inventory(&env.bmc, &info);
	fuzz_env_end(&env);
	return 0;
}
