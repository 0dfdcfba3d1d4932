/* Sensors and the SDR repository (IPMI 2.0 §33-§36, §43): threshold and discrete sensors read from the platform, thresholds/hysteresis/event enables, SDR records.
 * PLACEHOLDER: the owner of this module replaces this file. */
#pragma once
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

struct bmc_sensors {
	int placeholder_;
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_sensors_init(struct bmc *bmc);
/* Advances time-driven state; called from bmc_tick every 100 ms. */
void bmc_sensors_tick(struct bmc *bmc, usec_t now);
