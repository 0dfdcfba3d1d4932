/* The IPMI user table (IPMI 2.0 §22.26-22.30): names, passwords (16- or 20-byte form),
 * enable state, and per-channel access. One table serves IPMI and (later) the web. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BMC_MAX_USERS      16 /* user IDs 1..16; ID 1 is the null-named user */
#define BMC_USER_NAME_LEN  16
#define BMC_PASSWORD_MAX   20
#define BMC_NUM_CHANNELS   16

/* Privilege levels (IPMI 2.0 §6.8); the same values as IPMI_PRIV_* in ipmi/ipmi.h, which
 * bmc/ does not include (it sits below ipmi/). */
enum bmc_priv {
	BMC_PRIV_CALLBACK = 0x1,
	BMC_PRIV_USER = 0x2,
	BMC_PRIV_OPERATOR = 0x3,
	BMC_PRIV_ADMIN = 0x4,
	BMC_PRIV_OEM = 0x5,
	BMC_PRIV_NO_ACCESS = 0xF,
};

enum bmc_user_enable {
	BMC_USER_ENABLE_UNSPECIFIED = 0,
	BMC_USER_ENABLED = 1,
	BMC_USER_DISABLED = 2,
};

struct bmc_user_access {
	uint8_t priv_limit;   /* IPMI_PRIV_*; 0xF = no access */
	bool ipmi_messaging;
	bool link_auth;
	bool callback_only;
	uint8_t session_limit;
	uint8_t payload_std;  /* IPMI 2.0 §24.6: standard payloads 1-7 enabled (bit n = type n) */
	uint8_t payload_oem;  /* OEM payloads 0-7 (bit n = OEM payload n) */
};

struct bmc_user {
	char name[BMC_USER_NAME_LEN + 1]; /* NUL-terminated; "" = null name */
	uint8_t password[BMC_PASSWORD_MAX]; /* NUL-padded; secret */
	uint8_t pw_size;  /* 0 = never set, 16 or 20: the form it was set in */
	uint8_t enable;   /* enum bmc_user_enable */
	struct bmc_user_access access[BMC_NUM_CHANNELS];
};

struct bmc;
struct store;

struct bmc_users {
	struct bmc_user user[BMC_MAX_USERS + 1]; /* index = user ID; [0] unused */
};

/* Loads the table from the store: rows present are read, absent IDs are empty (no name,
 * disabled, no access). Returns the number of rows found (0: nothing stored yet, call
 * bmc_users_create_default) or a negative errno (-EBADMSG for a malformed row). */
int bmc_users_load(struct bmc_users *u, struct store *s);
/* First start: user 1 null/disabled, user 2 'admin' with admin_password (16-byte form if
 * it has at most 16 characters, else 20-byte form; -EINVAL if longer than 20), ADMINISTRATOR
 * on the LAN channel and the system interface; users 3..16 empty. Writes all 16 rows in
 * one transaction. */
int bmc_users_create_default(struct bmc_users *u, struct store *s, const char *admin_password);
/* Persists one user (in its own transaction, before the caller replies). */
int bmc_user_save(const struct bmc_users *u, struct store *s, uint8_t id);

static inline struct bmc_user *bmc_user_get(struct bmc_users *u, uint8_t id)
{
	return (id >= 1 && id <= BMC_MAX_USERS) ? &u->user[id] : NULL;
}

bool bmc_user_is_enabled(const struct bmc_user *user);
/* Finds an enabled user by name (len bytes, not NUL-terminated; len 0 = null user).
 * Returns the ID or 0. */
uint8_t bmc_user_find(const struct bmc_users *u, const uint8_t *name, size_t len);
/* The user's privilege limit on a channel, or IPMI_PRIV_NO_ACCESS if the user may not
 * use IPMI messaging there (or is not enabled). */
uint8_t bmc_user_channel_priv(const struct bmc_user *user, uint8_t channel);
/* Counts for Get User Access. */
unsigned bmc_users_count_enabled(const struct bmc_users *u);
/* Sets a password of form 16 or 20 bytes (len ≤ size; anything else is a caller bug and
 * leaves the user unchanged). The old password is wiped. */
void bmc_user_set_password(struct bmc_user *user, const uint8_t *pw, size_t len, uint8_t size);
/* Constant-time password test against a NUL-padded buffer of `size` bytes (≤ 20). Compares
 * contents only; whether `size` is the form the password was set in is the caller's check
 * (Set User Password "test" answers 0x81 for that). */
bool bmc_user_password_matches(const struct bmc_user *user, const uint8_t *pw, uint8_t size);
