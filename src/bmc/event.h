/* The model's one event path (IPMI 2.0 §29, §31.6.1): every event — a threshold crossed, a
 * discrete state asserted, power changed, the watchdog expired, the SEL cleared — goes through
 * bmc_event_log, which writes a system event record to the SEL (and, in a later issue, runs PEF
 * and alerting), so every front end sees the same thing. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct bmc;

/* BMC-owned discrete sensors with fixed numbers (their SDRs are part of every profile). */
enum bmc_internal_sensor {
	BMC_SENSOR_POWER_UNIT = 0xE0,   /* sensor type 0x09 Power Unit */
	BMC_SENSOR_WATCHDOG = 0xE1,     /* sensor type 0x23 Watchdog 2 */
	BMC_SENSOR_EVENT_LOG = 0xE2,    /* sensor type 0x10 Event Logging Disabled */
	BMC_SENSOR_SYSTEM_EVENT = 0xE3, /* sensor type 0x12 System Event */
	BMC_SENSOR_SYSTEM_BOOT = 0xE4,  /* sensor type 0x1D System Boot / Restart Initiated */
};

struct bmc_event {
	uint8_t sensor_type;   /* records.md §3.1 */
	uint8_t sensor_num;
	uint8_t event_type;    /* event/reading type code, bits 6:0 (records.md §4) */
	bool deassertion;      /* event direction: SEL byte 13 bit 7 */
	uint8_t data[3];       /* event data 1-3 (data[0] carries the offset in bits 3:0) */
};

/* Logs the event as a SEL system event record (generator 0x20 = BMC, EvM rev 0x04) stamped
 * with the SEL clock. Returns the SEL record ID (≥ 0) or a negative errno (e.g. -ENOSPC when
 * the SEL is full and logging stopped). */
int bmc_event_log(struct bmc *bmc, const struct bmc_event *ev);
