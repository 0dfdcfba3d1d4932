/* Fuzz target: SEL entries added by users and the SEL's bookkeeping (bmc/sel.c, the sel table
 * in store/sel_store.c) on a live model with a 64-entry SEL.
 *
 * Input: records [kind][len lo][len hi][bytes] (fuzz_env.h):
 *   kind % 5 == 0   Add SEL Entry: the 16-byte record (zero-filled if shorter)
 *   kind % 5 == 1   Get SEL Entry: bytes[0..1] record ID
 *   kind % 5 == 2   Reserve SEL, then Delete SEL Entry bytes[0..1] with that reservation
 *   kind % 5 == 3   Clear SEL (with a fresh reservation, or bytes[0..1] as the reservation)
 *   kind % 5 == 4   Set SEL Time bytes[0..3] and UTC offset bytes[4..5]
 * At the end the SEL is walked from first to last: every record must be reachable, the walk
 * must end, and the count must match Get SEL Info. */
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

static uint16_t u16_at(const uint8_t *p, size_t n)
{
	return n >= 2 ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static void one_record(uint8_t kind, const uint8_t *p, size_t n)
{
	struct bmc *bmc = &env.bmc;
	uint8_t rec[BMC_SEL_RECORD_LEN] = { 0 };
	uint16_t id, next;
	switch (kind % 5) {
	case 0:
		memcpy(rec, p, n < sizeof(rec) ? n : sizeof(rec));
		(void)bmc_sel_add(bmc, rec, &id);
		break;
	case 1:
		(void)bmc_sel_get(bmc, u16_at(p, n), rec, &next);
		break;
	case 2:
		(void)bmc_sel_delete(bmc, bmc_sel_reserve(bmc), u16_at(p, n), &id);
		break;
	case 3:
		(void)bmc_sel_clear(bmc, n >= 2 ? u16_at(p, n) : bmc_sel_reserve(bmc));
		break;
	default:
		if (n >= 4)
			(void)bmc_sel_set_time(bmc, (uint32_t)p[0] | (uint32_t)p[1] << 8 |
						    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		if (n >= 6)
			(void)bmc_sel_set_utc_offset(bmc, (int16_t)u16_at(p + 4, 2));
		break;
	}
}

static void walk(void)
{
	struct bmc_sel_info info;
	if (bmc_sel_info(&env.bmc, &info) < 0)
		abort();
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t id = BMC_SEL_ID_FIRST, next;
	uint32_t seen = 0;
	while (seen <= info.entries && bmc_sel_get(&env.bmc, id, rec, &next) == 0) {
		seen++;
		if (next == BMC_SEL_ID_LAST)
			break;
		id = next;
	}
	if (seen != info.entries || info.entries > info.capacity)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_env_begin(&env, 0);
	struct fuzz_reader r = { .p = data, .len = size };
	uint8_t kind;
	const uint8_t *p;
	size_t n;
	for (unsigned i = 0; i < 128 && fuzz_next_record(&r, &kind, &p, &n); i++)
		one_record(kind, p, n);
	walk();
	fuzz_env_end(&env);
	return 0;
}
