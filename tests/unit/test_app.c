/* Unit tests for the App netFn handlers (ipmi/app.c) over the user table and channel settings
 * (bmc/users.c, bmc/channel.c), with a real store in a temporary directory. Handlers are run
 * through their rows in ipmi_app_cmds with the dispatcher's length check reproduced here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bmc/bmc.h"
#include "ipmi/ipmi.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	struct store *store;
	struct bmc *bmc;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	bool first = false;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/softbmc-test-app-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(store_open(f->dir, &f->store, &first), 0);
	assert_true(first);
	f->bmc = calloc(1, sizeof(*f->bmc));
	assert_non_null(f->bmc);
	f->bmc->store = f->store;
	f->bmc->active_sessions[IPMI_CHANNEL_LAN] = 2;
	assert_int_equal(bmc_users_create_default(&f->bmc->users, f->store, "adminpw"), 0);
	bmc_channel_init_default(&f->bmc->lan_channel);
	*state = f;
	return 0;
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->store);
	rm_dir(f->dir);
	free(f->bmc);
	free(f);
	return 0;
}

/* Runs one App command as the dispatcher would after its privilege check. */
static uint8_t call_on(struct bmc *bmc, uint8_t channel, uint8_t cmd, const uint8_t *data,
		       size_t len, struct ipmi_rsp *rsp)
{
	const struct ipmi_cmd *row = NULL;
	struct ipmi_req req = {
		.netfn = IPMI_NETFN_APP, .cmd = cmd, .data = data, .len = len,
		.channel = channel, .priv = IPMI_PRIV_ADMIN, .user_id = 2,
		.in_session = channel != IPMI_CHANNEL_SYSTEM,
	};

	for (size_t i = 0; i < ipmi_app_cmds_n; i++) {
		if (ipmi_app_cmds[i].cmd == cmd)
			row = &ipmi_app_cmds[i];
	}
	assert_non_null(row);
	assert_int_equal(row->netfn, IPMI_NETFN_APP);
	memset(rsp, 0xA5, sizeof(*rsp));
	rsp->cc = IPMI_CC_OK;
	rsp->len = 0;
	if (len < row->min_len || len > (row->max_len ? row->max_len : IPMI_MAX_REQ_DATA))
		rsp->cc = IPMI_CC_REQ_LEN_INVALID;
	else
		row->handler(bmc, &req, rsp);
	return rsp->cc;
}

static uint8_t call(struct bmc *bmc, uint8_t cmd, const uint8_t *data, size_t len,
		    struct ipmi_rsp *rsp)
{
	return call_on(bmc, IPMI_CHANNEL_LAN, cmd, data, len, rsp);
}

static uint8_t set_name(struct bmc *bmc, uint8_t id, const char *name)
{
	uint8_t req[17] = { id };
	struct ipmi_rsp rsp;

	memcpy(req + 1, name, strlen(name));
	return call(bmc, 0x45, req, sizeof(req), &rsp);
}

/* Set User Password with the 16- or 20-byte form and `len` request bytes in total. */
static uint8_t password_op(struct bmc *bmc, uint8_t id, uint8_t op, uint8_t form,
			   const char *pw, size_t len)
{
	uint8_t req[22] = { (uint8_t)(id | (form == 20 ? 0x80 : 0)), op };
	struct ipmi_rsp rsp;

	if (pw)
		memcpy(req + 2, pw, strlen(pw));
	return call(bmc, 0x47, req, len, &rsp);
}

static void get_user_access(struct bmc *bmc, uint8_t ch, uint8_t id, uint8_t out[4])
{
	const uint8_t req[2] = { ch, id };
	struct ipmi_rsp rsp;

	assert_int_equal(call(bmc, 0x44, req, sizeof(req), &rsp), 0);
	assert_int_equal(rsp.len, 4);
	memcpy(out, rsp.data, 4);
}

static void t_defaults(void **state)
{
	struct fixture *f = *state;
	struct bmc_users *u = &f->bmc->users;
	uint8_t acc[4];

	assert_string_equal(u->user[2].name, "admin");
	assert_int_equal(u->user[2].pw_size, 16);
	assert_int_equal(bmc_user_find(u, (const uint8_t *)"admin", 5), 2);
	assert_int_equal(bmc_user_find(u, (const uint8_t *)"admi", 4), 0);
	assert_int_equal(bmc_user_find(u, NULL, 0), 0); /* null user disabled */
	assert_int_equal(bmc_user_channel_priv(&u->user[2], 1), IPMI_PRIV_ADMIN);
	assert_int_equal(bmc_user_channel_priv(&u->user[2], 0xF), IPMI_PRIV_ADMIN);
	assert_int_equal(bmc_user_channel_priv(&u->user[2], 2), IPMI_PRIV_NO_ACCESS);
	assert_int_equal(bmc_user_channel_priv(&u->user[1], 1), IPMI_PRIV_NO_ACCESS);
	/* an empty name finds the null user once it is enabled, and nobody else */
	u->user[1].enable = BMC_USER_ENABLED;
	u->user[4].enable = BMC_USER_ENABLED;
	assert_int_equal(bmc_user_find(u, NULL, 0), 1);
	u->user[1].enable = BMC_USER_DISABLED;
	assert_int_equal(bmc_user_find(u, NULL, 0), 0);
	u->user[4].enable = BMC_USER_DISABLED;
	assert_int_equal(bmc_user_find(u, (const uint8_t *)"admin\0", 6), 0);
	assert_int_equal(bmc_user_find(u, (const uint8_t *)"admin-with-a-long-name", 22), 0);
	get_user_access(f->bmc, 1, 2, acc);
	assert_int_equal(acc[0], 16);
	assert_int_equal(acc[1], 0x40 | 1);
	assert_int_equal(acc[2], 1);
	assert_int_equal(acc[3], 0x30 | 0x4);
	get_user_access(f->bmc, 1, 5, acc);
	assert_int_equal(acc[1], 0x80 | 1);
	assert_int_equal(acc[3], 0x0F);
	get_user_access(f->bmc, 0xF, 2, acc);
	assert_int_equal(acc[3], 0x30 | 0x4);
	{
		const uint8_t bad_ch[2] = { 2, 2 }, bad_id[2] = { 1, 0 };
		struct ipmi_rsp rsp;
		assert_int_equal(call(f->bmc, 0x44, bad_ch, 2, &rsp), IPMI_CC_INVALID_FIELD);
		assert_int_equal(call(f->bmc, 0x44, bad_id, 2, &rsp), IPMI_CC_INVALID_FIELD);
	}
}

static void t_user_name(void **state)
{
	struct fixture *f = *state;
	const uint8_t get3 = 3, get0 = 0, get17 = 17, get1 = 1;
	uint8_t expect[16] = "operator";
	struct ipmi_rsp rsp;

	assert_int_equal(set_name(f->bmc, 3, "operator"), 0);
	assert_int_equal(call(f->bmc, 0x46, &get3, 1, &rsp), 0);
	assert_int_equal(rsp.len, 16);
	assert_memory_equal(rsp.data, expect, 16);
	assert_int_equal(call(f->bmc, 0x46, &get1, 1, &rsp), 0);
	memset(expect, 0, sizeof(expect));
	assert_memory_equal(rsp.data, expect, 16);
	/* out-of-range IDs, the fixed null name, duplicates, junk after the NUL */
	assert_int_equal(call(f->bmc, 0x46, &get0, 1, &rsp), IPMI_CC_INVALID_FIELD);
	assert_int_equal(call(f->bmc, 0x46, &get17, 1, &rsp), IPMI_CC_INVALID_FIELD);
	assert_int_equal(set_name(f->bmc, 1, "anon"), IPMI_CC_INVALID_FIELD);
	assert_int_equal(set_name(f->bmc, 17, "x"), IPMI_CC_INVALID_FIELD);
	assert_int_equal(set_name(f->bmc, 4, "operator"), IPMI_CC_INVALID_FIELD);
	assert_int_equal(set_name(f->bmc, 4, "admin"), IPMI_CC_INVALID_FIELD);
	assert_int_equal(set_name(f->bmc, 3, "operator"), 0); /* its own name again */
	{
		uint8_t req[17] = { 4, 'a', 'b', 0, 'c' };
		assert_int_equal(call(f->bmc, 0x45, req, sizeof(req), &rsp), IPMI_CC_INVALID_FIELD);
		assert_int_equal(call(f->bmc, 0x45, req, 16, &rsp), IPMI_CC_REQ_LEN_INVALID);
	}
	assert_string_equal(f->bmc->users.user[4].name, "");
}

static void t_password(void **state)
{
	struct fixture *f = *state;
	struct bmc_user *user = &f->bmc->users.user[3];

	assert_int_equal(password_op(f->bmc, 3, 2, 16, "hunter2", 18), 0);
	assert_int_equal(user->pw_size, 16);
	assert_int_equal(password_op(f->bmc, 3, 3, 16, "hunter2", 18), 0);
	assert_int_equal(password_op(f->bmc, 3, 3, 16, "hunter3", 18), 0x80);
	assert_int_equal(password_op(f->bmc, 3, 3, 20, "hunter2", 22), 0x81);
	/* set and test lengths must match the size bit: never truncate */
	assert_int_equal(password_op(f->bmc, 3, 2, 16, "hunter2", 22), IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(password_op(f->bmc, 3, 2, 20, "hunter2", 18), IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(password_op(f->bmc, 3, 3, 16, "hunter2", 2), IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(password_op(f->bmc, 3, 2, 16, "hunter2", 17), IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(password_op(f->bmc, 0, 2, 16, "x", 18), IPMI_CC_INVALID_FIELD);
	assert_int_equal(password_op(f->bmc, 17, 2, 16, "x", 18), IPMI_CC_INVALID_FIELD);
	assert_int_equal(password_op(f->bmc, 3, 3, 16, "hunter2", 18), 0); /* unchanged */
	/* the 20-byte form: 16-byte test now says wrong size */
	assert_int_equal(password_op(f->bmc, 3, 2, 20, "a-twenty-byte-secret", 22), 0);
	assert_int_equal(user->pw_size, 20);
	assert_int_equal(password_op(f->bmc, 3, 3, 20, "a-twenty-byte-secret", 22), 0);
	assert_int_equal(password_op(f->bmc, 3, 3, 16, "a-twenty-byte-se", 18), 0x81);
	assert_int_equal(password_op(f->bmc, 3, 2, 16, "hunter2", 18), 0);
}

static void t_enable_disable(void **state)
{
	struct fixture *f = *state;
	uint8_t acc[4];

	assert_int_equal(password_op(f->bmc, 3, 1, 16, NULL, 2), 0);
	get_user_access(f->bmc, 1, 3, acc);
	assert_int_equal(acc[1], 0x40 | 2);
	assert_int_equal(bmc_users_count_enabled(&f->bmc->users), 2);
	assert_int_equal(password_op(f->bmc, 3, 0, 16, NULL, 18), 0);
	get_user_access(f->bmc, 1, 3, acc);
	assert_int_equal(acc[1], 0x80 | 1);
	assert_int_equal(password_op(f->bmc, 3, 1, 20, NULL, 22), 0);
	get_user_access(f->bmc, 1, 3, acc);
	assert_int_equal(acc[1], 0x40 | 2);
	assert_int_equal(password_op(f->bmc, 3, 1, 16, NULL, 5), IPMI_CC_REQ_LEN_INVALID);
}

static void t_user_access(void **state)
{
	struct fixture *f = *state;
	struct bmc_user *user = &f->bmc->users.user[3];
	struct ipmi_rsp rsp;
	uint8_t acc[4];

	{
		/* channel 0xE = this channel (LAN), messaging on, operator, session limit 2 */
		const uint8_t req[4] = { 0x90 | 0xE, 3, 0x3, 2 };
		assert_int_equal(call(f->bmc, 0x43, req, sizeof(req), &rsp), 0);
	}
	get_user_access(f->bmc, 1, 3, acc);
	assert_int_equal(acc[3], 0x10 | 0x3);
	assert_int_equal(user->access[1].session_limit, 2);
	assert_int_equal(bmc_user_channel_priv(user, 1), IPMI_PRIV_OPERATOR);
	get_user_access(f->bmc, 0xE, 3, acc);
	assert_int_equal(acc[3], 0x10 | 0x3);
	{
		/* bit 7 clear: flags untouched, only the privilege changes */
		const uint8_t req[3] = { 0x1, 3, 0x2 };
		assert_int_equal(call(f->bmc, 0x43, req, sizeof(req), &rsp), 0);
	}
	get_user_access(f->bmc, 1, 3, acc);
	assert_int_equal(acc[3], 0x10 | 0x2);
	assert_int_equal(user->access[1].session_limit, 2);
	{
		const uint8_t bad_priv0[3] = { 0x1, 3, 0x0 }, bad_priv6[3] = { 0x1, 3, 0x6 };
		const uint8_t bad_user[3] = { 0x1, 0, 0x2 }, bad_ch[3] = { 0x5, 3, 0x2 };
		assert_int_equal(call(f->bmc, 0x43, bad_priv0, 3, &rsp), IPMI_CC_INVALID_FIELD);
		assert_int_equal(call(f->bmc, 0x43, bad_priv6, 3, &rsp), IPMI_CC_INVALID_FIELD);
		assert_int_equal(call(f->bmc, 0x43, bad_user, 3, &rsp), IPMI_CC_INVALID_FIELD);
		assert_int_equal(call(f->bmc, 0x43, bad_ch, 3, &rsp), IPMI_CC_INVALID_FIELD);
	}
	{
		/* messaging off: no access on the channel whatever the limit says */
		const uint8_t req[3] = { 0x80 | 0x1, 3, 0x4 };
		assert_int_equal(call(f->bmc, 0x43, req, sizeof(req), &rsp), 0);
		assert_int_equal(bmc_user_channel_priv(user, 1), IPMI_PRIV_NO_ACCESS);
	}
	{
		const uint8_t req[3] = { 0x90 | 0x1, 3, 0x3 };
		assert_int_equal(call(f->bmc, 0x43, req, sizeof(req), &rsp), 0);
	}
}

/* Reads a whole file into a malloc'd buffer (NULL if absent). */
static uint8_t *slurp(const char *path, size_t *ret_len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!fp)
		return NULL;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	*ret_len = len;
	return buf;
}

/* Whether the database (main file or write-ahead log) contains `needle` in the clear. */
static bool db_contains(const char *dir, const char *needle)
{
	static const char *const files[] = { "softbmc.db", "softbmc.db-wal" };
	bool found = false;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		size_t len = 0;
		uint8_t *buf;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		buf = slurp(path, &len);
		if (buf && memmem(buf, len, needle, strlen(needle)))
			found = true;
		free(buf);
	}
	return found;
}

static void t_persistence(void **state)
{
	struct fixture *f = *state;
	struct bmc_users *fresh = calloc(1, sizeof(*fresh));
	const struct bmc_user *user;

	assert_non_null(fresh);
	assert_int_equal(bmc_users_load(fresh, f->store), BMC_MAX_USERS);
	user = &fresh->user[3];
	assert_string_equal(user->name, "operator");
	assert_int_equal(user->pw_size, 16);
	assert_true(bmc_user_password_matches(user, (const uint8_t *)"hunter2", 7));
	assert_false(bmc_user_password_matches(user, (const uint8_t *)"hunter", 6));
	assert_true(bmc_user_is_enabled(user));
	assert_int_equal(user->access[1].priv_limit, IPMI_PRIV_OPERATOR);
	assert_true(user->access[1].ipmi_messaging);
	assert_int_equal(user->access[1].session_limit, 2);
	assert_memory_equal(fresh, &f->bmc->users, sizeof(*fresh));
	assert_int_equal(bmc_user_find(fresh, (const uint8_t *)"operator", 8), 3);
	assert_true(bmc_user_password_matches(&fresh->user[2], (const uint8_t *)"adminpw", 7));
	/* the database holds sealed passwords only */
	assert_true(db_contains(f->dir, "operator")); /* names are not secret: the probe works */
	assert_false(db_contains(f->dir, "hunter2"));
	assert_false(db_contains(f->dir, "adminpw"));
	free(fresh);
}

static void t_corrupt_row(void **state)
{
	struct fixture *f = *state;
	struct bmc_users *fresh = calloc(1, sizeof(*fresh));
	const uint8_t junk[5] = { 1, 2, 3, 4, 5 };

	assert_non_null(fresh);
	assert_int_equal(store_set(f->store, "user.5", junk, sizeof(junk)), 0);
	assert_int_equal(bmc_users_load(fresh, f->store), -EBADMSG);
	assert_int_equal(bmc_user_find(fresh, (const uint8_t *)"admin", 5), 0);
	assert_int_equal(bmc_user_save(&f->bmc->users, f->store, 5), 0);
	assert_int_equal(bmc_users_load(fresh, f->store), BMC_MAX_USERS);
	assert_int_equal(bmc_user_save(&f->bmc->users, f->store, 0), -EINVAL);
	assert_int_equal(bmc_user_save(&f->bmc->users, f->store, 17), -EINVAL);
	free(fresh);
}

static void t_channel_info(void **state)
{
	struct fixture *f = *state;
	static const uint8_t lan[9] = { 0x01, 0x04, 0x01, 0x82, 0xF2, 0x1B, 0x00, 0x00, 0x00 };
	static const uint8_t sys[9] = { 0x0F, 0x0C, 0x05, 0x00, 0xF2, 0x1B, 0x00, 0x00, 0x00 };
	const uint8_t ch1 = 1, chE = 0xE, ch2 = 2, chF = 0xF;
	struct ipmi_rsp rsp;

	assert_int_equal(call(f->bmc, 0x42, &ch1, 1, &rsp), 0);
	assert_int_equal(rsp.len, 9);
	assert_memory_equal(rsp.data, lan, 9);
	assert_int_equal(call(f->bmc, 0x42, &chE, 1, &rsp), 0);
	assert_int_equal(rsp.len, 9);
	assert_memory_equal(rsp.data, lan, 9);
	assert_int_equal(call_on(f->bmc, IPMI_CHANNEL_SYSTEM, 0x42, &chE, 1, &rsp), 0);
	assert_memory_equal(rsp.data, sys, 9);
	assert_int_equal(call(f->bmc, 0x42, &chF, 1, &rsp), 0);
	assert_memory_equal(rsp.data, sys, 9);
	assert_int_equal(call(f->bmc, 0x42, &ch2, 1, &rsp), IPMI_CC_INVALID_FIELD);
	assert_int_equal(rsp.len, 0);
}

static void t_channel_access(void **state)
{
	struct fixture *f = *state;
	struct bmc_channel loaded;
	struct ipmi_rsp rsp;

	{
		const uint8_t nv[2] = { 1, 0x40 }, v[2] = { 1, 0x80 }, bad[2] = { 1, 0xC0 };
		assert_int_equal(call(f->bmc, 0x41, nv, 2, &rsp), 0);
		assert_int_equal(rsp.len, 2);
		assert_int_equal(rsp.data[0], 0x02);
		assert_int_equal(rsp.data[1], 0x04);
		assert_int_equal(call(f->bmc, 0x41, v, 2, &rsp), 0);
		assert_int_equal(call(f->bmc, 0x41, bad, 2, &rsp), IPMI_CC_INVALID_FIELD);
	}
	{
		/* non-volatile: PEF alerting off, always available; privilege limit operator */
		const uint8_t req[3] = { 1, 0x40 | 0x20 | 0x2, 0x40 | 0x3 };
		const uint8_t get[2] = { 1, 0x40 }, getv[2] = { 1, 0x80 };
		assert_int_equal(call(f->bmc, 0x40, req, 3, &rsp), 0);
		assert_int_equal(call(f->bmc, 0x41, get, 2, &rsp), 0);
		assert_int_equal(rsp.data[0], 0x22);
		assert_int_equal(rsp.data[1], 0x03);
		assert_int_equal(call(f->bmc, 0x41, getv, 2, &rsp), 0);
		assert_int_equal(rsp.data[0], 0x02); /* volatile untouched */
		assert_int_equal(rsp.data[1], 0x04);
	}
	{
		const uint8_t preboot[3] = { 1, 0x80 | 0x1, 0 }, sysif[3] = { 0xF, 0x80 | 0x2, 0 };
		const uint8_t ch2[3] = { 2, 0x80 | 0x2, 0 }, priv0[3] = { 1, 0, 0x80 };
		assert_int_equal(call(f->bmc, 0x40, preboot, 3, &rsp), 0x83);
		assert_int_equal(call(f->bmc, 0x40, sysif, 3, &rsp), 0x82);
		assert_int_equal(call(f->bmc, 0x40, ch2, 3, &rsp), IPMI_CC_INVALID_FIELD);
		assert_int_equal(call(f->bmc, 0x40, priv0, 3, &rsp), IPMI_CC_INVALID_FIELD);
	}
	assert_int_equal(bmc_channel_load(&loaded, f->store, 1), 0);
	assert_true(loaded.nonvolatile.pef_alerting_disabled);
	assert_int_equal(loaded.nonvolatile.priv_limit, IPMI_PRIV_OPERATOR);
	assert_memory_equal(&loaded.volatile_, &loaded.nonvolatile, sizeof(loaded.volatile_));
}

static void t_device(void **state)
{
	struct fixture *f = *state;
	struct bmc *bmc = f->bmc;
	const uint8_t enables = 0x0C;
	struct ipmi_rsp rsp;

	bmc->identity = (struct bmc_identity){ .device_id = 0x20, .device_rev = 1, .fw_major = 0,
		.fw_minor = 0x10, .manufacturer_id = 0xABCDE, .product_id = 0x1234,
		.aux_fw = { 1, 2, 3, 4 } };
	assert_int_equal(call(bmc, 0x01, NULL, 0, &rsp), 0);
	assert_int_equal(rsp.len, 15);
	{
		static const uint8_t expect[15] = { 0x20, 0x01, 0x00, 0x10, 0x02, 0xBF, 0xDE, 0xBC,
						    0x0A, 0x34, 0x12, 1, 2, 3, 4 };
		assert_memory_equal(rsp.data, expect, 15);
	}
	assert_int_equal(call(bmc, 0x04, NULL, 0, &rsp), 0);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(rsp.data[0], 0x55);
	memset(bmc->system_guid, 0x5A, 16);
	assert_int_equal(call(bmc, 0x37, NULL, 0, &rsp), 0);
	assert_int_equal(rsp.len, 16);
	assert_memory_equal(rsp.data, bmc->system_guid, 16);
	assert_int_equal(call(bmc, 0x2E, &enables, 1, &rsp), IPMI_CC_INSUFFICIENT_PRIV);
	assert_int_equal(call_on(bmc, IPMI_CHANNEL_SYSTEM, 0x2E, &enables, 1, &rsp), 0);
	assert_int_equal(call(bmc, 0x2F, NULL, 0, &rsp), 0);
	assert_int_equal(rsp.data[0], 0x0C);
	assert_int_equal(call(bmc, 0x03, NULL, 0, &rsp), 0);
	assert_int_equal(bmc->reset_requested, BMC_RESET_WARM);
	assert_int_equal(call(bmc, 0x02, NULL, 0, &rsp), 0);
	assert_int_equal(bmc->reset_requested, BMC_RESET_COLD);
}

int main(void)
{
	/* One fixture for the group: later tests build on the users earlier ones set up. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_defaults),
		cmocka_unit_test(t_user_name),
		cmocka_unit_test(t_password),
		cmocka_unit_test(t_enable_disable),
		cmocka_unit_test(t_user_access),
		cmocka_unit_test(t_persistence),
		cmocka_unit_test(t_corrupt_row),
		cmocka_unit_test(t_channel_info),
		cmocka_unit_test(t_channel_access),
		cmocka_unit_test(t_device),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
