/* The IPMI user table (IPMI 2.0 §22.26-22.30): sixteen user IDs with a name, a password in
 * the 16- or 20-byte form, an enable state and per-channel access. Each user is one store row
 * "user.N" (a small versioned blob, no secrets) plus the password sealed under
 * "user.N.password"; both are written in one transaction. Passwords stay in the fixed buffer
 * of struct bmc_user, are compared in constant time and wiped when replaced. */
#include "bmc/users.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bmc/channel.h"
#include "core/buf.h"
#include "store/store.h"

/* Row layout, version 2: version, name[16], pw_size, enable, then for channels 0..15:
 * priv_limit, flags (Get User Access byte 5 bits 6:4), session_limit, payload_std,
 * payload_oem. */
#define USER_ROW_VERSION 2
#define USER_ROW_LEN     (1 + BMC_USER_NAME_LEN + 1 + 1 + 5 * BMC_NUM_CHANNELS)

#define ACCESS_CALLBACK_ONLY 0x40
#define ACCESS_LINK_AUTH     0x20
#define ACCESS_IPMI_MSG      0x10

/* Keys are "user.N" and "user.N.password", N = 1..16. */
#define USER_KEY_MAX 32

static void user_key(char key[static USER_KEY_MAX], uint8_t id, bool password)
{
	snprintf(key, USER_KEY_MAX, "user.%u%s", id, password ? ".password" : "");
}

static void user_init_empty(struct bmc_user *user)
{
	OPENSSL_cleanse(user->password, sizeof(user->password));
	memset(user, 0, sizeof(*user));
	user->enable = BMC_USER_DISABLED;
	for (unsigned ch = 0; ch < BMC_NUM_CHANNELS; ch++)
		user->access[ch].priv_limit = BMC_PRIV_NO_ACCESS;
}

static void users_init_empty(struct bmc_users *u)
{
	for (unsigned id = 0; id <= BMC_MAX_USERS; id++)
		user_init_empty(&u->user[id]);
}

/* ---- row encoding ---- */

static uint8_t access_flags(const struct bmc_user_access *a)
{
	return (uint8_t)((a->callback_only ? ACCESS_CALLBACK_ONLY : 0) |
			 (a->link_auth ? ACCESS_LINK_AUTH : 0) |
			 (a->ipmi_messaging ? ACCESS_IPMI_MSG : 0));
}

static size_t user_encode(const struct bmc_user *user, uint8_t *out, size_t cap)
{
	struct wbuf w = wbuf_init(out, cap);
	uint8_t name[BMC_USER_NAME_LEN] = { 0 };

	memcpy(name, user->name, strnlen(user->name, BMC_USER_NAME_LEN));
	wbuf_u8(&w, USER_ROW_VERSION);
	wbuf_bytes(&w, name, sizeof(name));
	wbuf_u8(&w, user->pw_size);
	wbuf_u8(&w, user->enable);
	for (unsigned ch = 0; ch < BMC_NUM_CHANNELS; ch++) {
		wbuf_u8(&w, user->access[ch].priv_limit);
		wbuf_u8(&w, access_flags(&user->access[ch]));
		wbuf_u8(&w, user->access[ch].session_limit);
		wbuf_u8(&w, user->access[ch].payload_std);
		wbuf_u8(&w, user->access[ch].payload_oem);
	}
	return w.err ? 0 : w.len;
}

/* Decodes a row into *ret (password untouched). -EBADMSG for anything malformed. */
static int user_decode(const uint8_t *row, size_t len, struct bmc_user *ret)
{
	struct rbuf r = rbuf_init(row, len);
	struct bmc_user user = { 0 };

	if (len != USER_ROW_LEN || rbuf_u8(&r) != USER_ROW_VERSION)
		return -EBADMSG;
	rbuf_copy(&r, user.name, BMC_USER_NAME_LEN);
	user.name[BMC_USER_NAME_LEN] = '\0';
	user.pw_size = rbuf_u8(&r);
	user.enable = rbuf_u8(&r);
	for (unsigned ch = 0; ch < BMC_NUM_CHANNELS; ch++) {
		struct bmc_user_access *a = &user.access[ch];
		uint8_t flags;

		a->priv_limit = rbuf_u8(&r) & 0x0F;
		flags = rbuf_u8(&r);
		a->callback_only = flags & ACCESS_CALLBACK_ONLY;
		a->link_auth = flags & ACCESS_LINK_AUTH;
		a->ipmi_messaging = flags & ACCESS_IPMI_MSG;
		a->session_limit = rbuf_u8(&r) & 0x0F;
		a->payload_std = rbuf_u8(&r) & 0xFE;
		a->payload_oem = rbuf_u8(&r);
	}
	if (r.err || (user.pw_size != 0 && user.pw_size != 16 && user.pw_size != 20) ||
	    user.enable > BMC_USER_DISABLED)
		return -EBADMSG;
	memcpy(ret->name, user.name, sizeof(ret->name));
	ret->pw_size = user.pw_size;
	ret->enable = user.enable;
	memcpy(ret->access, user.access, sizeof(ret->access));
	return 0;
}

/* ---- load / save ---- */

static int user_load_password(struct bmc_user *user, struct store *s, uint8_t id)
{
	char key[USER_KEY_MAX];
	uint8_t pw[BMC_PASSWORD_MAX];
	size_t len = 0;
	int r;

	user_key(key, id, true);
	r = store_get_secret(s, key, pw, sizeof(pw), &len);
	if (r == -ENOENT && user->pw_size == 0)
		return 0; /* never had a password */
	if (r >= 0 && len != sizeof(pw))
		r = -EBADMSG;
	if (r >= 0)
		memcpy(user->password, pw, sizeof(pw));
	OPENSSL_cleanse(pw, sizeof(pw));
	return r < 0 ? r : 0;
}

/* Returns 1 if the row was present, 0 if not, or a negative errno. */
static int user_load(struct bmc_user *user, struct store *s, uint8_t id)
{
	char key[USER_KEY_MAX];
	uint8_t row[USER_ROW_LEN + 1];
	size_t len = 0;
	int r;

	user_key(key, id, false);
	r = store_get(s, key, row, sizeof(row), &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (len > sizeof(row))
		return -EBADMSG;
	r = user_decode(row, len, user);
	if (r < 0)
		return r;
	r = user_load_password(user, s, id);
	return r < 0 ? r : 1;
}

int bmc_users_load(struct bmc_users *u, struct store *s)
{
	int found = 0;

	users_init_empty(u);
	for (uint8_t id = 1; id <= BMC_MAX_USERS; id++) {
		int r = user_load(&u->user[id], s, id);
		if (r < 0) {
			users_init_empty(u);
			return r;
		}
		found += r;
	}
	return found;
}

static int user_write(const struct bmc_user *user, struct store *s, uint8_t id)
{
	char key[USER_KEY_MAX];
	uint8_t row[USER_ROW_LEN];
	size_t len = user_encode(user, row, sizeof(row));
	int r;

	if (len != USER_ROW_LEN)
		return -EINVAL;
	user_key(key, id, false);
	r = store_set(s, key, row, len);
	if (r < 0)
		return r;
	/* Always the full 20-byte buffer, sealed: the store never sees the password's length. */
	user_key(key, id, true);
	return store_set_secret(s, key, user->password, sizeof(user->password));
}

int bmc_user_save(const struct bmc_users *u, struct store *s, uint8_t id)
{
	int r;

	if (id < 1 || id > BMC_MAX_USERS)
		return -EINVAL;
	r = store_begin(s);
	if (r < 0)
		return r;
	r = user_write(&u->user[id], s, id);
	if (r < 0) {
		store_rollback(s);
		return r;
	}
	return store_commit(s);
}

/* ---- first start ---- */

static void user_grant(struct bmc_user *user, uint8_t channel, uint8_t priv)
{
	struct bmc_user_access *a = &user->access[channel];

	a->priv_limit = priv;
	a->ipmi_messaging = true;
	a->link_auth = true;
	a->callback_only = false;
	a->session_limit = 0;
	a->payload_std = 0x02; /* SOL (payload type 1) */
}

static void users_fill_default(struct bmc_users *u, const char *admin_password, size_t pw_len)
{
	struct bmc_user *admin = &u->user[2];

	users_init_empty(u);
	/* User 1: the null user, disabled, no password, no access. */
	strcpy(admin->name, "admin");
	bmc_user_set_password(admin, (const uint8_t *)admin_password, pw_len, pw_len <= 16 ? 16 : 20);
	admin->enable = BMC_USER_ENABLED;
	user_grant(admin, BMC_CHANNEL_LAN, BMC_PRIV_ADMIN);
	user_grant(admin, BMC_CHANNEL_SYSTEM, BMC_PRIV_ADMIN);
}

int bmc_users_create_default(struct bmc_users *u, struct store *s, const char *admin_password)
{
	size_t pw_len;
	int r;

	if (!admin_password)
		return -EINVAL;
	pw_len = strlen(admin_password);
	if (pw_len > BMC_PASSWORD_MAX)
		return -EINVAL;
	users_fill_default(u, admin_password, pw_len);
	r = store_begin(s);
	if (r < 0)
		return r;
	for (uint8_t id = 1; id <= BMC_MAX_USERS && r >= 0; id++)
		r = bmc_user_save(u, s, id);
	if (r < 0) {
		store_rollback(s);
		users_init_empty(u);
		return r;
	}
	return store_commit(s);
}

/* ---- queries ---- */

bool bmc_user_is_enabled(const struct bmc_user *user)
{
	return user->enable == BMC_USER_ENABLED;
}

uint8_t bmc_user_find(const struct bmc_users *u, const uint8_t *name, size_t len)
{
	if (len > BMC_USER_NAME_LEN)
		return 0;
	/* A zero-length name is the null user (ID 1) and nobody else. */
	if (len == 0)
		return bmc_user_is_enabled(&u->user[1]) && u->user[1].name[0] == '\0' ? 1 : 0;
	for (uint8_t id = 1; id <= BMC_MAX_USERS; id++) {
		const struct bmc_user *user = &u->user[id];

		if (bmc_user_is_enabled(user) && strlen(user->name) == len &&
		    memcmp(user->name, name, len) == 0)
			return id;
	}
	return 0;
}

uint8_t bmc_user_channel_priv(const struct bmc_user *user, uint8_t channel)
{
	const struct bmc_user_access *a;

	if (channel >= BMC_NUM_CHANNELS || !bmc_user_is_enabled(user))
		return BMC_PRIV_NO_ACCESS;
	a = &user->access[channel];
	return a->ipmi_messaging ? a->priv_limit : BMC_PRIV_NO_ACCESS;
}

unsigned bmc_users_count_enabled(const struct bmc_users *u)
{
	unsigned n = 0;

	for (unsigned id = 1; id <= BMC_MAX_USERS; id++)
		n += bmc_user_is_enabled(&u->user[id]);
	return n;
}

/* ---- passwords ---- */

void bmc_user_set_password(struct bmc_user *user, const uint8_t *pw, size_t len, uint8_t size)
{
	if ((size != 16 && size != 20) || len > size)
		return; /* caller bug: never truncate a password */
	OPENSSL_cleanse(user->password, sizeof(user->password));
	if (len)
		memcpy(user->password, pw, len);
	user->pw_size = size;
}

bool bmc_user_password_matches(const struct bmc_user *user, const uint8_t *pw, uint8_t size)
{
	uint8_t candidate[BMC_PASSWORD_MAX] = { 0 };
	bool match;

	if (size > BMC_PASSWORD_MAX)
		return false;
	if (size)
		memcpy(candidate, pw, size);
	/* Always the whole buffer: the time taken says nothing about where a mismatch is. */
	match = CRYPTO_memcmp(candidate, user->password, sizeof(candidate)) == 0;
	OPENSSL_cleanse(candidate, sizeof(candidate));
	return match;
}
