/* Chassis state of the managed server (IPMI 2.0 §28): power (through the platform), power
 * restore policy, restart cause, identify light, system boot options, power-on hours. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

enum bmc_restore_policy {
	BMC_RESTORE_ALWAYS_OFF = 0,
	BMC_RESTORE_PREVIOUS = 1,
	BMC_RESTORE_ALWAYS_ON = 2,
};

/* Get System Restart Cause values (IPMI 2.0 table 28-11). */
enum bmc_restart_cause {
	BMC_RESTART_UNKNOWN = 0x0,
	BMC_RESTART_CHASSIS_CTRL = 0x1,
	BMC_RESTART_RESET_BUTTON = 0x2,
	BMC_RESTART_POWER_BUTTON = 0x3,
	BMC_RESTART_WATCHDOG = 0x4,
	BMC_RESTART_OEM = 0x5,
	BMC_RESTART_POLICY_ALWAYS_ON = 0x6,
	BMC_RESTART_POLICY_PREVIOUS = 0x7,
	BMC_RESTART_PEF_RESET = 0x8,
	BMC_RESTART_PEF_CYCLE = 0x9,
	BMC_RESTART_SOFT_RESET = 0xA,
	BMC_RESTART_RTC_WAKEUP = 0xB,
};

#define BMC_BOOT_MAILBOX_BLOCKS 5

struct bmc_boot_options {
	uint8_t set_in_progress;     /* param 0 */
	uint8_t service_partition;   /* param 1 */
	uint8_t service_scan;        /* param 2 */
	uint8_t valid_bit_clearing;  /* param 3 */
	uint8_t ack[2];              /* param 4 */
	uint8_t flags[5];            /* param 5 */
	uint8_t initiator_info[9];   /* param 6 */
	uint8_t mailbox[BMC_BOOT_MAILBOX_BLOCKS][16]; /* param 7 */
	uint8_t invalid_mask;        /* bit n: parameter n marked invalid */
};

struct bmc_chassis {
	uint8_t restore_policy;      /* enum bmc_restore_policy (persistent) */
	bool last_power_state;       /* for "restore previous" (persistent) */
	uint8_t restart_cause;
	uint8_t restart_channel;
	uint8_t last_power_event;    /* Get Chassis Status byte 3 */
	bool identify_force;
	usec_t identify_until;       /* monotonic; 0 = off */
	struct bmc_boot_options boot; /* persistent */
	uint64_t poh_minutes;        /* accumulated, persistent */
	usec_t powered_on_since;     /* monotonic; 0 while off */
};

/* Loads persisted chassis state and applies the power restore policy at BMC start. */
int bmc_chassis_init(struct bmc *bmc);
/* Called by the platform (through the bmc) when power changes. */
void bmc_chassis_power_changed(struct bmc *bmc, bool on);
/* Chassis Control: action 0-5 as in the IPMI command; channel = where it came from.
 * Returns an IPMI completion code. */
uint8_t bmc_chassis_control(struct bmc *bmc, uint8_t action, uint8_t channel);
/* Current identify state: 0 off, 1 temporary on, 2 indefinite on. */
uint8_t bmc_chassis_identify_state(const struct bmc *bmc);
void bmc_chassis_identify(struct bmc *bmc, uint8_t seconds, bool force);
uint64_t bmc_chassis_poh_minutes(const struct bmc *bmc);
int bmc_chassis_save(struct bmc *bmc);
