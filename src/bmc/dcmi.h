/* DCMI 1.5 state: power limit, asset tag, management controller ID string, power statistics.
 * PLACEHOLDER: the owner of this module replaces this file. */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

struct bmc_dcmi {
	int placeholder_;
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_dcmi_init(struct bmc *bmc);
