/* System Event Log (IPMI 2.0 §31): persistent SEL in the store, reservations, the one event path.
 * PLACEHOLDER: the owner of this module replaces this file. */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

struct bmc_sel {
	int placeholder_;
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_sel_init(struct bmc *bmc);
