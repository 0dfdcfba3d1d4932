/* User accounts as the web sees them: password logins that count toward the same bad-password
 * lockout as IPMI (LAN parameter 26, bmc/lanconf.h), and account changes (create, password,
 * privilege, enable, delete) over the one IPMI user table (bmc/users.h). Transport-agnostic:
 * any front end that logs users in with a password uses this. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bmc/lanconf.h"
#include "core/timeutil.h"

struct bmc;

enum bmc_login_result {
	BMC_LOGIN_OK = 0,
	BMC_LOGIN_BAD,        /* unknown or disabled user, or wrong password */
	BMC_LOGIN_LOCKED,     /* the bad-password lockout holds this user */
	BMC_LOGIN_NO_ACCESS,  /* right password, but no privilege on the channel */
};

struct bmc_login {
	enum bmc_login_result result;
	uint8_t uid;                  /* 0 if the name is unknown */
	uint8_t priv;                 /* the user's privilege limit on the channel */
	enum bmc_lockout_result lockout; /* for BMC_LOGIN_BAD with a known user */
	unsigned failures;            /* consecutive failures after this one */
};

/* Checks name and password (NUL-terminated; at most BMC_PASSWORD_MAX bytes) for `channel`.
 * A wrong password for a known user counts toward the lockout; a success resets the count. */
void bmc_login_password(struct bmc *bmc, const char *name, const char *password, uint8_t channel,
			usec_t now, struct bmc_login *ret);

/* Account changes. Each persists the user before returning and leaves it unchanged on error.
 * Errors: -EINVAL bad value, -ENOENT no such user, -EEXIST name taken, -ENOSPC table full,
 * -EPERM not for this user (ID 1, the null user), other = store failure. */
bool bmc_account_name_ok(const char *name);
int bmc_account_create(struct bmc *bmc, const char *name, const char *password, uint8_t priv,
		       bool enabled, uint8_t *ret_uid);
int bmc_account_set_name(struct bmc *bmc, uint8_t uid, const char *name);
/* 1..20 bytes; the 16-byte form if it fits, else the 20-byte form. */
int bmc_account_set_password(struct bmc *bmc, uint8_t uid, const char *password);
/* The privilege limit on `channel` (BMC_PRIV_USER..BMC_PRIV_ADMIN), IPMI messaging on. */
int bmc_account_set_priv(struct bmc *bmc, uint8_t uid, uint8_t channel, uint8_t priv);
int bmc_account_set_enabled(struct bmc *bmc, uint8_t uid, bool enabled);
int bmc_account_delete(struct bmc *bmc, uint8_t uid);
/* A user ID that holds an account (a name is set; ID 1 is never one). */
bool bmc_account_exists(const struct bmc *bmc, uint8_t uid);
