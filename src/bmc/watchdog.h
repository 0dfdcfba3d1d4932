/* BMC watchdog timer (IPMI 2.0 §27): countdown in 100 ms units evaluated from the monotonic
 * clock, pre-timeout interrupt, timeout actions carried out on the platform through the chassis
 * model, timer-use expiration flags, and the Watchdog 2 sensor event on expiry.
 *
 * The timer is volatile: it starts uninitialised at BMC start (a Reset before any Set is refused)
 * just as a real BMC's timer does after the BMC itself was reset. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "bmc/event.h"
#include "core/timeutil.h"

struct bmc;

/* Timer use, Set Watchdog Timer byte 1 bits 2:0 (IPMI 2.0 table 27-7). 0, 6, 7 reserved. */
enum bmc_wdt_use {
	BMC_WDT_USE_RESERVED = 0,
	BMC_WDT_USE_BIOS_FRB2 = 1,
	BMC_WDT_USE_BIOS_POST = 2,
	BMC_WDT_USE_OS_LOAD = 3,
	BMC_WDT_USE_SMS_OS = 4,
	BMC_WDT_USE_OEM = 5,
	BMC_WDT_USE_MAX,
};

/* Timeout action, byte 2 bits 2:0. */
enum bmc_wdt_action {
	BMC_WDT_ACTION_NONE = 0,
	BMC_WDT_ACTION_HARD_RESET = 1,
	BMC_WDT_ACTION_POWER_DOWN = 2,
	BMC_WDT_ACTION_POWER_CYCLE = 3,
	BMC_WDT_ACTION_MAX,
};

/* Pre-timeout interrupt, byte 2 bits 6:4. */
enum bmc_wdt_interrupt {
	BMC_WDT_INT_NONE = 0,
	BMC_WDT_INT_SMI = 1,
	BMC_WDT_INT_NMI = 2,
	BMC_WDT_INT_MESSAGING = 3,
	BMC_WDT_INT_MAX,
};

/* Watchdog 2 sensor offsets (IPMI 2.0 table 42-3, sensor type 0x23). */
enum {
	BMC_WDT_OFFSET_EXPIRED = 0x0,
	BMC_WDT_OFFSET_HARD_RESET = 0x1,
	BMC_WDT_OFFSET_POWER_DOWN = 0x2,
	BMC_WDT_OFFSET_POWER_CYCLE = 0x3,
	BMC_WDT_OFFSET_TIMER_INTERRUPT = 0x8,
};

/* Expiration flag bits: bit n = timer use n (bits 5:1). */
#define BMC_WDT_FLAGS_MASK 0x3E

/* What Set Watchdog Timer asks for (IPMI 2.0 §27.6), already decoded. */
struct bmc_watchdog_config {
	uint8_t timer_use;      /* enum bmc_wdt_use */
	bool dont_log;
	bool dont_stop;
	uint8_t interrupt;      /* enum bmc_wdt_interrupt */
	uint8_t action;         /* enum bmc_wdt_action */
	uint8_t pretimeout_sec;
	uint8_t clear_flags;    /* expiration flags to clear (BMC_WDT_FLAGS_MASK bits) */
	uint16_t countdown;     /* initial countdown, 100 ms units */
};

struct bmc_watchdog {
	struct bmc_watchdog_config cfg; /* the last Set (dont_stop and clear_flags unused) */
	bool initialized;       /* a Set was accepted since BMC start */
	bool running;
	bool pretimeout_fired;  /* the pre-timeout interrupt of this countdown happened */
	uint8_t expired_flags;  /* BMC_WDT_FLAGS_MASK bits */
	usec_t deadline;        /* monotonic time of expiry while running */
	uint16_t stopped_count; /* present countdown while stopped (100 ms units) */
	bool host_on;           /* power state seen at the last tick (stop on power-down) */
};

/* Starts the model stopped and uninitialised (called by bmc_init after the chassis). */
int bmc_watchdog_init(struct bmc *bmc);
/* Advances time-driven state: pre-timeout, expiry and its action. Called from bmc_tick every
 * 100 ms; everything is evaluated from `now` (monotonic), not from the number of calls. */
void bmc_watchdog_tick(struct bmc *bmc, usec_t now);

/* Set Watchdog Timer. Returns 0 or -EINVAL (reserved timer use, action or interrupt). */
int bmc_watchdog_set(struct bmc *bmc, const struct bmc_watchdog_config *cfg, usec_t now);
/* Reset Watchdog Timer: (re)starts the countdown from the initial value. Returns 0 or -EPERM
 * if no Set has configured the timer since BMC start (IPMI completion code 0x80). */
int bmc_watchdog_reset(struct bmc *bmc, usec_t now);
/* Present countdown in 100 ms units (rounded up while running). */
uint16_t bmc_watchdog_present_countdown(const struct bmc *bmc, usec_t now);

/* The Watchdog 2 sensor event for an offset (IPMI 2.0 §42.2 table 42-3): event data 1 = 0xC0 |
 * offset, data 2 = interrupt type << 4 | timer use, data 3 = 0xFF. */
struct bmc_event bmc_watchdog_event(uint8_t offset, uint8_t interrupt, uint8_t timer_use);
