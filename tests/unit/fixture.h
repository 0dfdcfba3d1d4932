/* Set-up shared by the unit tests that run a BMC model: a store in a fresh temporary directory,
 * removed with everything in it afterwards; a struct bmc wired to that store and to a platform,
 * as bmc_init wires them; and a fake platform that carries out every power action at once,
 * reports each change through the BMC's callbacks and counts what it was asked to do. Each test
 * keeps its own fixture struct (its tests name the fields directly) and builds it from these
 * pieces; a test whose platform behaves differently keeps its own ops and passes them in. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "bmc/bmc.h"
#include "config.h"
#include "store/store.h"

/* The fake platform. Power goes off and on synchronously; a cycle reports off then on; a reset
 * reports a reset; anything but off and on is refused with -EAGAIN while off. */
struct test_platform {
	struct platform base;
	bool on;
	unsigned n_off, n_cycle, n_reset, n_diag;
};

extern const struct platform_ops test_platform_ops;

/* Creates /tmp/<name>.XXXXXX into dir; fails the test if it cannot. */
void test_tmpdir_new(char *dir, size_t size, const char *name);

/* Removes dir and everything under it; a missing dir is not an error. */
void test_tmpdir_remove(const char *dir);

/* Writes text to path (created or truncated); fails the test if it cannot. */
void test_write_file(const char *path, const char *text);

/* Quiets the log to errors, creates /tmp/<name>.XXXXXX into dir and opens a store in it. */
void test_env_setup(char *dir, size_t size, const char *name, struct store **ret_store);

/* Closes the store and removes its directory. */
void test_env_teardown(struct store *store, const char *dir);

/* Clears bmc and wires it to store and, unless plat is NULL, to plat running ops, with the
 * platform's callbacks pointing at bmc. The caller then sets its own fields and runs the
 * modules' init functions. */
void test_bmc_wire(struct bmc *bmc, struct store *store, struct platform *plat,
		   const struct platform_ops *ops);

/* A configuration file in a fresh temporary directory, loaded over the defaults (the config
 * tests of test_config.c and test_fru.c). */
struct test_cfg {
	char dir[64];
	char path[128];
	char err[512];
	struct softbmc_config cfg;
};

/* cmocka setup/teardown: *state is a struct test_cfg with the defaults loaded. */
int test_cfg_setup(void **state);
int test_cfg_teardown(void **state);
/* Writes yaml to the file and loads it over f->cfg; returns config_load's result. */
int test_cfg_load(struct test_cfg *f, const char *yaml);
/* The load fails with -EINVAL, leaves the configuration alone, and the message names the file
 * and contains where, field (unless NULL) and what. */
void test_cfg_refused(struct test_cfg *f, const char *yaml, const char *where, const char *field,
		      const char *what);
