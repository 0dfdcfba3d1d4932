/* BMC watchdog timer (IPMI 2.0 §27): countdown, pre-timeout, actions on the platform, expiration flags.
 * PLACEHOLDER: the owner of this module replaces this file. */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

struct bmc_watchdog {
	int placeholder_;
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_watchdog_init(struct bmc *bmc);
/* Advances time-driven state; called from bmc_tick every 100 ms. */
void bmc_watchdog_tick(struct bmc *bmc, usec_t now);
