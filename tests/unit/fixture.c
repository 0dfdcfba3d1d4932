/* Shared unit-test set-up: temporary directories, a store in one, a BMC wired to it and a fake
 * platform. See fixture.h. */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"
#include "fixture.h"

/* ---- the fake platform ---------------------------------------------------------------- */

static void fake_power_changed(struct test_platform *f, bool on)
{
	f->on = on;
	bmc_chassis_power_changed(f->base.cb.arg, on);
}

static int fake_power(struct platform *p, enum platform_power_action a)
{
	struct test_platform *f = (struct test_platform *)p;

	if (a != PLATFORM_POWER_OFF && a != PLATFORM_POWER_ON && !f->on)
		return -EAGAIN;
	switch (a) {
	case PLATFORM_POWER_OFF:
		f->n_off++;
		if (f->on)
			fake_power_changed(f, false);
		return 0;
	case PLATFORM_POWER_SOFT:
		if (f->on)
			fake_power_changed(f, false);
		return 0;
	case PLATFORM_POWER_ON:
		if (!f->on)
			fake_power_changed(f, true);
		return 0;
	case PLATFORM_POWER_CYCLE:
		f->n_cycle++;
		fake_power_changed(f, false);
		fake_power_changed(f, true);
		return 0;
	case PLATFORM_POWER_RESET:
		f->n_reset++;
		bmc_chassis_reset_happened(f->base.cb.arg);
		return 0;
	case PLATFORM_POWER_DIAG:
		f->n_diag++;
		return 0;
	default:
		return -EINVAL;
	}
}

static bool fake_power_is_on(const struct platform *p)
{
	return ((const struct test_platform *)p)->on;
}

static void fake_free(struct platform *p)
{
	(void)p;
}

const struct platform_ops test_platform_ops = {
	.name = "fake",
	.power = fake_power,
	.power_is_on = fake_power_is_on,
	.free = fake_free,
};

/* ---- temporary directories and files -------------------------------------------------- */

void test_tmpdir_new(char *dir, size_t size, const char *name)
{
	int n = snprintf(dir, size, "/tmp/%s.XXXXXX", name);

	assert_true(n > 0 && (size_t)n < size);
	assert_non_null(mkdtemp(dir));
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

void test_tmpdir_remove(const char *dir)
{
	/* depth first, so a directory is empty by the time it is removed; links not followed */
	(void)nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void test_write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* ---- a store and a BMC ---------------------------------------------------------------- */

void test_env_setup(char *dir, size_t size, const char *name, struct store **ret_store)
{
	bool first = false;

	log_set_level(LOG_ERR);
	test_tmpdir_new(dir, size, name);
	assert_int_equal(store_open(dir, ret_store, &first), 0);
}

void test_env_teardown(struct store *store, const char *dir)
{
	store_close(store);
	test_tmpdir_remove(dir);
}

void test_bmc_wire(struct bmc *bmc, struct store *store, struct platform *plat,
		   const struct platform_ops *ops)
{
	memset(bmc, 0, sizeof(*bmc));
	snprintf(bmc->name, sizeof(bmc->name), "test");
	bmc->store = store;
	if (!plat)
		return;
	bmc->platform = plat;
	plat->ops = ops;
	plat->cb = (struct platform_callbacks){ .arg = bmc };
}

/* ---- configuration files -------------------------------------------------------------- */

int test_cfg_setup(void **state)
{
	struct test_cfg *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	test_tmpdir_new(f->dir, sizeof(f->dir), "softbmc-config");
	snprintf(f->path, sizeof(f->path), "%s/softbmc.yaml", f->dir);
	config_defaults(&f->cfg);
	*state = f;
	return 0;
}

int test_cfg_teardown(void **state)
{
	struct test_cfg *f = *state;
	test_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

int test_cfg_load(struct test_cfg *f, const char *yaml)
{
	test_write_file(f->path, yaml);
	f->err[0] = '\0';
	return config_load(f->path, &f->cfg, f->err, sizeof(f->err));
}

void test_cfg_refused(struct test_cfg *f, const char *yaml, const char *where, const char *field,
		      const char *what)
{
	struct softbmc_config before = f->cfg;
	assert_int_equal(test_cfg_load(f, yaml), -EINVAL);
	assert_memory_equal(&before, &f->cfg, sizeof(before));
	print_message("# %s\n", f->err);
	assert_non_null(strstr(f->err, "softbmc.yaml"));
	assert_non_null(strstr(f->err, where));
	if (field)
		assert_non_null(strstr(f->err, field));
	assert_non_null(strstr(f->err, what));
}
