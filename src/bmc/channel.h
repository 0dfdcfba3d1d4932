/* Channel access settings (IPMI 2.0 §22.22-22.24) for the channels this BMC has. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct store;

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

int bmc_channel_load(struct bmc_channel *ch, struct store *s, uint8_t number);
int bmc_channel_save(const struct bmc_channel *ch, struct store *s, uint8_t number);
