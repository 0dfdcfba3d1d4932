/* Chassis state of the managed server (IPMI 2.0 §28): power (through the platform), power
 * restore policy, restart cause, identify light, system boot options, power-on hours. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"
#include "platform/platform.h"

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

/* IPMI 2.0 §28.12: boot flags are cleared if no restart by Chassis Control follows in 60 s. */
#define BMC_BOOT_FLAGS_TIMEOUT (60 * USEC_PER_SEC)

struct bmc_chassis {
	uint8_t restore_policy;      /* enum bmc_restore_policy (persistent) */
	bool last_power_state;       /* for "restore previous" (persistent) */
	uint8_t restart_cause;       /* enum bmc_restart_cause (persistent) */
	uint8_t restart_channel;     /* (persistent) */
	uint8_t last_power_event;    /* Get Chassis Status byte 3 (persistent) */
	bool identify_force;
	usec_t identify_until;       /* monotonic; 0 = off */
	struct bmc_boot_options boot; /* persistent except params 0 and 4 (volatile per spec) */
	usec_t boot_flags_expire_at; /* monotonic; 0 = no 60 s countdown running */
	usec_t poh_usec;             /* powered-on time of finished on-periods (persistent) */
	usec_t powered_on_since;     /* monotonic; 0 while off */
	/* The restart we asked the platform for, consumed when it reports power-on or reset;
	 * a report without one is a restart from the server's side (cause unknown). */
	bool restart_pending;
	uint8_t pending_cause;
	uint8_t pending_channel;
	/* A graceful restart (Redfish GracefulRestart): power on again once the OS has shut
	 * down after the soft-off, unless another power action comes first. */
	bool on_after_soft_off;
	uint8_t on_after_channel;
	usec_t on_after_deadline;    /* monotonic: give up if the OS has not shut down by then */
};

/* Loads persisted chassis state and applies the power restore policy at BMC start (unless the
 * server is already on, e.g. after a BMC reset). The platform callbacks must already route to
 * this bmc: a power-on may be reported before this returns. */
int bmc_chassis_init(struct bmc *bmc);
/* Called by the platform (through the bmc) when power changes. */
void bmc_chassis_power_changed(struct bmc *bmc, bool on);
/* Called by the platform (through the bmc) just before it powers itself off for a fault: sets
 * Get Chassis Status "last power event" (AC failed, or power fault for a thermal trip). */
void bmc_chassis_power_fault(struct bmc *bmc, enum platform_power_fault why);
/* Called by the platform (through the bmc) when the server was reset with power staying on. */
void bmc_chassis_reset_happened(struct bmc *bmc);
/* The boot device the boot flags (parameter 5) ask for the restart about to happen, as the
 * restart's pending cause and parameter 3 decide (the flags themselves change only when the
 * restart is reported); *persistent = the persistent bit. */
enum platform_boot_device bmc_chassis_boot_device(struct bmc *bmc, bool *persistent);
/* Chassis Control: action 0-5 as in the IPMI command; channel = where it came from.
 * Returns an IPMI completion code (0xCC unknown action, 0xD5 not possible in this state). */
uint8_t bmc_chassis_control(struct bmc *bmc, uint8_t action, uint8_t channel);
/* The same for other initiators (watchdog, PEF, policy) with their restart cause.
 * Returns 0, -EINVAL (unknown action) or -EAGAIN (not possible in the present state). */
int bmc_chassis_power_action(struct bmc *bmc, enum platform_power_action action,
			     enum bmc_restart_cause cause, uint8_t channel);
bool bmc_chassis_power_is_on(const struct bmc *bmc);
/* Soft-off (ACPI), then power-on once the server is off (within 10 minutes). -EAGAIN if off. */
int bmc_chassis_graceful_restart(struct bmc *bmc, uint8_t channel);
/* Time-driven chassis state (the graceful restart); called from bmc_tick. */
void bmc_chassis_tick(struct bmc *bmc, usec_t now);
/* policy 0-2 (enum bmc_restore_policy); persisted before returning. 0 or -EINVAL/-errno. */
int bmc_chassis_set_restore_policy(struct bmc *bmc, uint8_t policy);
/* Current identify state: 0 off, 1 temporary on, 2 indefinite on. */
uint8_t bmc_chassis_identify_state(const struct bmc *bmc);
/* seconds 0 = off; force = on until turned off (seconds ignored). */
void bmc_chassis_identify(struct bmc *bmc, uint8_t seconds, bool force);
uint64_t bmc_chassis_poh_minutes(const struct bmc *bmc);
/* Persists the power-on-hours counter (at shutdown, BMC reset, or periodically). */
int bmc_chassis_save(struct bmc *bmc);

/* System boot option parameters (IPMI 2.0 §28.12, §28.13, table 28-14), numbers 0-7, as the
 * parameter data bytes of Set/Get System Boot Options. Errors:
 *  -EOPNOTSUPP parameter not supported (IPMI 0x80)
 *  -EBUSY      "set in progress" while not in "set complete" (0x81)
 *  -EMSGSIZE   wrong data length for the parameter (0xC7)
 *  -EINVAL     invalid value (0xCC); -ERANGE set selector out of range (0xCC)
 *  other       store failure
 * Set: invalid = request byte 1 bit 7 (mark parameter invalid/locked). Persisted before
 * returning. Get: writes the data to buf (cap >= BMC_BOOT_PARAM_MAX_LEN), its length to
 * *ret_len and the parameter's invalid mark to *ret_invalid. */
#define BMC_BOOT_PARAM_MAX_LEN 17
int bmc_chassis_boot_param_set(struct bmc *bmc, uint8_t param, bool invalid, const uint8_t *data,
			       size_t len);
int bmc_chassis_boot_param_get(struct bmc *bmc, uint8_t param, uint8_t set_selector, uint8_t *buf,
			       size_t cap, size_t *ret_len, bool *ret_invalid);
