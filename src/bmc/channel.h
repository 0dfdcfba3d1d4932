/* Channel access settings (IPMI 2.0 §22.22-22.24) for the channels this BMC has. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct store;

/* Channel numbers this BMC has (IPMI 2.0 §6.3); same values as IPMI_CHANNEL_* in ipmi/. */
enum {
	BMC_CHANNEL_LAN = 0x1,
	BMC_CHANNEL_SYSTEM = 0xF,
};

/* Access modes (IPMI 2.0 §22.22, Set Channel Access byte 2 bits 2:0). */
enum bmc_channel_access_mode {
	BMC_ACCESS_DISABLED = 0,
	BMC_ACCESS_PRE_BOOT = 1,
	BMC_ACCESS_ALWAYS = 2,
	BMC_ACCESS_SHARED = 3,
};

struct bmc_channel_access {
	uint8_t access_mode; /* 0 disabled, 1 pre-boot, 2 always, 3 shared */
	bool pef_alerting_disabled;
	bool per_msg_auth_disabled;
	bool user_level_auth_disabled;
	uint8_t priv_limit;
};

struct bmc_channel {
	struct bmc_channel_access volatile_; /* present settings */
	struct bmc_channel_access nonvolatile;
};

/* Defaults: always available, PEF alerting, per-message and user-level authentication
 * enabled, privilege limit ADMINISTRATOR. */
void bmc_channel_init_default(struct bmc_channel *ch);
/* Loads "channel.N" (defaults if absent). At BMC start the volatile settings are reset to the
 * non-volatile ones (IPMI 2.0 §22.22), so after a load volatile_ == nonvolatile.
 * Returns 0 or a negative errno (-EBADMSG for a malformed row; ch is then the defaults). */
int bmc_channel_load(struct bmc_channel *ch, struct store *s, uint8_t number);
/* Persists both setting sets in one transaction. */
int bmc_channel_save(const struct bmc_channel *ch, struct store *s, uint8_t number);
