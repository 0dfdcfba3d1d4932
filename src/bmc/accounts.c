/* Password logins with the shared lockout, and account changes over the IPMI user table.
 * IPMI's RAKP proves the password with an HMAC instead and calls the lockout functions of
 * bmc/lanconf.c itself; both paths count toward the same per-user failure count. */
#include "bmc/accounts.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bmc/bmc.h"

void bmc_login_password(struct bmc *bmc, const char *name, const char *password, uint8_t channel,
			usec_t now, struct bmc_login *ret)
{
	*ret = (struct bmc_login){ .result = BMC_LOGIN_BAD };
	size_t nlen = strnlen(name, BMC_USER_NAME_LEN + 1);
	size_t plen = strnlen(password, BMC_PASSWORD_MAX + 1);
	uint8_t uid = nlen ? bmc_user_find(&bmc->users, (const uint8_t *)name, nlen) : 0;
	struct bmc_user *u = bmc_user_get(&bmc->users, uid);
	if (!u || nlen > BMC_USER_NAME_LEN) {
		/* Same work as a known user, so the timing does not tell names apart. */
		struct bmc_user dummy = { .pw_size = 20 };
		(void)bmc_user_password_matches(&dummy, (const uint8_t *)"", 0);
		return;
	}
	ret->uid = uid;
	if (bmc_lanconf_user_locked(bmc, uid, now, NULL)) {
		ret->result = BMC_LOGIN_LOCKED;
		return;
	}
	bool match = u->pw_size && plen <= u->pw_size &&
		     bmc_user_password_matches(u, (const uint8_t *)password, (uint8_t)plen);
	if (!match) {
		ret->lockout = bmc_lanconf_login_failed(bmc, uid, now, now, &ret->failures);
		return;
	}
	bmc_lanconf_login_succeeded(bmc, uid, now);
	ret->priv = bmc_user_channel_priv(u, channel);
	ret->result = ret->priv == BMC_PRIV_NO_ACCESS ? BMC_LOGIN_NO_ACCESS : BMC_LOGIN_OK;
}

/* ---- accounts ------------------------------------------------------------------------------ */

bool bmc_account_name_ok(const char *name)
{
	size_t n = strnlen(name, BMC_USER_NAME_LEN + 1);
	if (n == 0 || n > BMC_USER_NAME_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch <= ' ' || ch >= 0x7F || ch == ':')
			return false;
	}
	return true;
}

bool bmc_account_exists(const struct bmc *bmc, uint8_t uid)
{
	return uid >= 2 && uid <= BMC_MAX_USERS && bmc->users.user[uid].name[0] != '\0';
}

/* Saves user uid, or restores `before` if the store refuses. */
static int commit_user(struct bmc *bmc, uint8_t uid, const struct bmc_user *before)
{
	int r = bmc_user_save(&bmc->users, bmc->store, uid);
	if (r < 0)
		bmc->users.user[uid] = *before;
	return r;
}

static int name_taken(const struct bmc *bmc, const char *name, uint8_t except)
{
	for (uint8_t id = 1; id <= BMC_MAX_USERS; id++) {
		if (id != except && strcmp(bmc->users.user[id].name, name) == 0)
			return -EEXIST;
	}
	return 0;
}

static bool priv_ok(uint8_t priv)
{
	return priv >= BMC_PRIV_USER && priv <= BMC_PRIV_ADMIN;
}

static void grant(struct bmc_user *u, uint8_t channel, uint8_t priv)
{
	struct bmc_user_access *a = &u->access[channel];
	a->priv_limit = priv;
	a->ipmi_messaging = true;
	a->link_auth = true;
	a->callback_only = false;
}

int bmc_account_create(struct bmc *bmc, const char *name, const char *password, uint8_t priv,
		       bool enabled, uint8_t *ret_uid)
{
	size_t plen = strnlen(password, BMC_PASSWORD_MAX + 1);
	if (!bmc_account_name_ok(name) || plen < 1 || plen > BMC_PASSWORD_MAX || !priv_ok(priv))
		return -EINVAL;
	if (name_taken(bmc, name, 0) < 0)
		return -EEXIST;
	uint8_t uid = 0;
	for (uint8_t id = 3; id <= BMC_MAX_USERS && !uid; id++) {
		if (!bmc_account_exists(bmc, id))
			uid = id;
	}
	if (!uid)
		return -ENOSPC;
	struct bmc_user *u = &bmc->users.user[uid];
	struct bmc_user before = *u;
	memset(u->access, 0, sizeof(u->access));
	for (unsigned ch = 0; ch < BMC_NUM_CHANNELS; ch++)
		u->access[ch].priv_limit = BMC_PRIV_NO_ACCESS;
	snprintf(u->name, sizeof(u->name), "%s", name);
	bmc_user_set_password(u, (const uint8_t *)password, plen, plen <= 16 ? 16 : 20);
	u->enable = enabled ? BMC_USER_ENABLED : BMC_USER_DISABLED;
	grant(u, BMC_CHANNEL_LAN, priv);
	int r = commit_user(bmc, uid, &before);
	OPENSSL_cleanse(&before, sizeof(before));
	if (r == 0)
		*ret_uid = uid;
	return r;
}

static struct bmc_user *account(struct bmc *bmc, uint8_t uid, int *ret_err)
{
	*ret_err = uid == 1 ? -EPERM : -ENOENT;
	return bmc_account_exists(bmc, uid) ? &bmc->users.user[uid] : NULL;
}

int bmc_account_set_name(struct bmc *bmc, uint8_t uid, const char *name)
{
	int r;
	struct bmc_user *u = account(bmc, uid, &r);
	if (!u)
		return r;
	if (!bmc_account_name_ok(name))
		return -EINVAL;
	if (name_taken(bmc, name, uid) < 0)
		return -EEXIST;
	struct bmc_user before = *u;
	snprintf(u->name, sizeof(u->name), "%s", name);
	r = commit_user(bmc, uid, &before);
	OPENSSL_cleanse(&before, sizeof(before));
	return r;
}

int bmc_account_set_password(struct bmc *bmc, uint8_t uid, const char *password)
{
	int r;
	struct bmc_user *u = account(bmc, uid, &r);
	if (!u)
		return r;
	size_t plen = strnlen(password, BMC_PASSWORD_MAX + 1);
	if (plen < 1 || plen > BMC_PASSWORD_MAX)
		return -EINVAL;
	struct bmc_user before = *u;
	bmc_user_set_password(u, (const uint8_t *)password, plen, plen <= 16 ? 16 : 20);
	r = commit_user(bmc, uid, &before);
	OPENSSL_cleanse(&before, sizeof(before));
	return r;
}

int bmc_account_set_priv(struct bmc *bmc, uint8_t uid, uint8_t channel, uint8_t priv)
{
	int r;
	struct bmc_user *u = account(bmc, uid, &r);
	if (!u)
		return r;
	if (!priv_ok(priv) || channel >= BMC_NUM_CHANNELS)
		return -EINVAL;
	struct bmc_user before = *u;
	grant(u, channel, priv);
	r = commit_user(bmc, uid, &before);
	OPENSSL_cleanse(&before, sizeof(before));
	return r;
}

int bmc_account_set_enabled(struct bmc *bmc, uint8_t uid, bool enabled)
{
	int r;
	struct bmc_user *u = account(bmc, uid, &r);
	if (!u)
		return r;
	struct bmc_user before = *u;
	u->enable = enabled ? BMC_USER_ENABLED : BMC_USER_DISABLED;
	r = commit_user(bmc, uid, &before);
	OPENSSL_cleanse(&before, sizeof(before));
	return r;
}

int bmc_account_delete(struct bmc *bmc, uint8_t uid)
{
	int r;
	struct bmc_user *u = account(bmc, uid, &r);
	if (!u)
		return r;
	struct bmc_user before = *u;
	OPENSSL_cleanse(u, sizeof(*u));
	u->enable = BMC_USER_DISABLED;
	for (unsigned ch = 0; ch < BMC_NUM_CHANNELS; ch++)
		u->access[ch].priv_limit = BMC_PRIV_NO_ACCESS;
	r = commit_user(bmc, uid, &before);
	OPENSSL_cleanse(&before, sizeof(before));
	return r;
}
