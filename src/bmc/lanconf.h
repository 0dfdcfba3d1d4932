/* LAN configuration parameters of channel 1 (IPMI 2.0 §23.1-23.2): addresses, VLAN, cipher suite privileges, bad password threshold and lockout.
 * PLACEHOLDER: the owner of this module replaces this file. */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

struct bmc_lanconf {
	int placeholder_;
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_lanconf_init(struct bmc *bmc);
