/* Unit tests of the System Info Parameters model (bmc/sysinfo.c): blocks written and read back
 * by set selector, the string a parameter's set-0 length describes across sets, the checks
 * (parameters, set selectors, encodings), the set-in-progress states, the volatile strings
 * cleared by a host restart, and what a new BMC on the same store loads (the non-volatile
 * strings; an unreadable blob is started empty). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bmc/bmc.h"
#include "bmc/sysinfo.h"
#include "core/buf.h"
#include "store/store.h"

#include "fixture.h"

struct fixture {
	char dir[64];
	struct store *store;
	struct bmc bmc;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	test_env_setup(f->dir, sizeof(f->dir), "softbmc-test-sysinfo", &f->store);
	test_bmc_wire(&f->bmc, f->store, NULL, NULL);
	assert_int_equal(bmc_sysinfo_init(&f->bmc), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	test_env_teardown(f->store, f->dir);
	test_free(f);
	return 0;
}

/* Writes s as the spec lays a string out: encoding, length and 14 bytes, then 16 a set. */
static void put_string(struct bmc *bmc, uint8_t param, const char *s)
{
	size_t len = strlen(s), pos = 0;
	uint8_t b[BMC_SYSINFO_BLOCK];
	for (uint8_t set = 0; set == 0 || pos < len; set++) {
		memset(b, 0, sizeof(b));
		size_t off = set == 0 ? 2 : 0, n = len - pos;
		if (n > sizeof(b) - off)
			n = sizeof(b) - off;
		if (set == 0) {
			b[0] = 0x00;
			b[1] = (uint8_t)len;
		}
		memcpy(b + off, s + pos, n);
		pos += n;
		assert_int_equal(bmc_sysinfo_set_block(bmc, param, set, b), 0);
	}
}

static void test_string_across_sets(void **state)
{
	struct fixture *f = *state;
	const char *name = "node-17.rack4.example.org, the second rack row"; /* 46: three sets */
	char out[300];
	uint8_t b[BMC_SYSINFO_BLOCK];

	put_string(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, name);
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, out, sizeof(out)),
			 strlen(name));
	assert_string_equal(out, name);
	assert_int_equal(bmc_sysinfo_get_block(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, 1, b), 0);
	assert_memory_equal(b, name + 14, 16);
	/* a short buffer gets what fits, terminated */
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, out, 5), 4);
	assert_string_equal(out, "node");
	/* unset strings and parameter 0 are empty */
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_BMC_URL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(bmc_sysinfo_string(&f->bmc, 0, out, sizeof(out)), 0);

	/* the longest string the one-byte length allows, through all 17 sets */
	char longest[256];
	for (int i = 0; i < 255; i++)
		longest[i] = (char)('a' + i % 26);
	longest[255] = '\0';
	put_string(&f->bmc, BMC_SYSINFO_PRIMARY_OS_NAME, longest);
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_PRIMARY_OS_NAME, out,
					    sizeof(out)), 255);
	assert_string_equal(out, longest);
}

static void test_checks(void **state)
{
	struct fixture *f = *state;
	uint8_t b[BMC_SYSINFO_BLOCK] = { 0 };

	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, 0, 0, b), -ENOENT);
	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, BMC_SYSINFO_MAX, 0, b), -ENOENT);
	assert_int_equal(bmc_sysinfo_get_block(&f->bmc, 0xC0, 0, b), -ENOENT);
	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, 2, BMC_SYSINFO_SETS, b), -ERANGE);
	assert_int_equal(bmc_sysinfo_get_block(&f->bmc, 2, BMC_SYSINFO_SETS, b), -ERANGE);
	b[0] = 0x03; /* encodings 0-2 only */
	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, 2, 0, b), -EINVAL);
	b[0] = 0x10; /* reserved bits */
	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, 2, 0, b), -EINVAL);
	b[0] = 0x10; /* only set 0 starts with the encoding */
	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, 2, 1, b), 0);
	b[0] = 0x01; /* UTF-8 */
	b[1] = 0;
	assert_int_equal(bmc_sysinfo_set_block(&f->bmc, 2, 0, b), 0);
}

static void test_set_in_progress(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->bmc.sysinfo.set_state, BMC_SYSINFO_SET_COMPLETE);
	assert_int_equal(bmc_sysinfo_set_in_progress(&f->bmc, BMC_SYSINFO_SET_LOCKED), 0);
	assert_int_equal(bmc_sysinfo_set_in_progress(&f->bmc, BMC_SYSINFO_SET_LOCKED), -EBUSY);
	assert_int_equal(f->bmc.sysinfo.set_state, BMC_SYSINFO_SET_LOCKED);
	assert_int_equal(bmc_sysinfo_set_in_progress(&f->bmc, BMC_SYSINFO_COMMIT_WRITE), 0);
	assert_int_equal(f->bmc.sysinfo.set_state, BMC_SYSINFO_SET_COMPLETE);
	assert_int_equal(bmc_sysinfo_set_in_progress(&f->bmc, 3), -EINVAL);
	assert_int_equal(bmc_sysinfo_set_in_progress(&f->bmc, BMC_SYSINFO_SET_LOCKED), 0);
	assert_int_equal(bmc_sysinfo_set_in_progress(&f->bmc, BMC_SYSINFO_SET_COMPLETE), 0);
}

static void test_volatile_and_persistent(void **state)
{
	struct fixture *f = *state;
	char out[64];

	put_string(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, "node-17");
	put_string(&f->bmc, BMC_SYSINFO_OS_NAME, "Debian GNU/Linux 12");
	put_string(&f->bmc, BMC_SYSINFO_OS_VERSION, "12.8");
	put_string(&f->bmc, BMC_SYSINFO_HYPERVISOR_URL, "https://host/");
	put_string(&f->bmc, BMC_SYSINFO_BMC_URL, "https://bmc:8443/");

	/* a new BMC on the same store: the non-volatile strings only */
	struct bmc *again = test_calloc(1, sizeof(*again));
	test_bmc_wire(again, f->store, NULL, NULL);
	assert_int_equal(bmc_sysinfo_init(again), 0);
	bmc_sysinfo_string(again, BMC_SYSINFO_SYSTEM_NAME, out, sizeof(out));
	assert_string_equal(out, "node-17");
	bmc_sysinfo_string(again, BMC_SYSINFO_BMC_URL, out, sizeof(out));
	assert_string_equal(out, "https://bmc:8443/");
	assert_int_equal(bmc_sysinfo_string(again, BMC_SYSINFO_OS_NAME, out, sizeof(out)), 0);
	test_free(again);

	/* the server restarts: the volatile ones are gone, the others stay */
	bmc_sysinfo_host_restarted(&f->bmc);
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_OS_NAME, out, sizeof(out)), 0);
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_OS_VERSION, out, sizeof(out)), 0);
	assert_int_equal(
		bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_HYPERVISOR_URL, out, sizeof(out)), 0);
	bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, out, sizeof(out));
	assert_string_equal(out, "node-17");
}

static void test_unreadable_blob_starts_empty(void **state)
{
	struct fixture *f = *state;
	uint8_t junk[8] = { 1, 2, 3 };
	struct wbuf w = wbuf_init(junk, sizeof(junk));
	char out[16];

	w.len = sizeof(junk); /* version 1, but not the size of 17 blocks */
	assert_int_equal(store_set_blob(f->store, "sysinfo.2", &w), 0);
	assert_int_equal(bmc_sysinfo_init(&f->bmc), 0);
	assert_int_equal(bmc_sysinfo_string(&f->bmc, BMC_SYSINFO_SYSTEM_NAME, out, sizeof(out)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_string_across_sets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_in_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_volatile_and_persistent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_blob_starts_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
