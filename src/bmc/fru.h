/* FRU inventory device 0 (IPMI 2.0 §34, FRU spec v1.0): the image built from config, checked writes, persistence.
 * PLACEHOLDER: the owner of this module replaces this file. */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

struct bmc_fru {
	int placeholder_;
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_fru_init(struct bmc *bmc);
