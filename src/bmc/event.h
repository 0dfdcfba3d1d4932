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
	/* Who generated it (SEL bytes 8-9): a slave address or software ID (bit 0 set), and the
	 * channel (bits 7:4) and LUN (bits 1:0). generator_id 0 = the BMC itself. */
	uint8_t generator_id;
	uint8_t generator_channel_lun;
};

/* Logs the event as a SEL system event record (generator 0x20 = BMC, EvM rev 0x04) stamped
 * with the SEL clock. Returns the SEL record ID (≥ 0) or a negative errno (e.g. -ENOSPC when
 * the SEL is full and logging stopped, -EPERM while System Event Logging is disabled by Set
 * BMC Global Enables bit 3, IPMI 2.0 §22.1). Runs inside the caller's store transaction if one
 * is open; the record is written through bmc_sel_add, the path Add SEL Entry takes. */
int bmc_event_log(struct bmc *bmc, const struct bmc_event *ev);

/* Sensor-specific offsets (event/reading type 0x6F, IPMI 2.0 table 42-3) of the events the BMC
 * logs for its own sensors above. */
enum bmc_event_offset {
	BMC_EV_POWER_OFF = 0x0,        /* Power Unit: power off / power down */
	BMC_EV_POWER_CYCLE = 0x1,      /* Power Unit: power cycle */
	BMC_EV_LOG_CLEARED = 0x2,      /* Event Logging Disabled: log area reset/cleared */
	BMC_EV_OEM_SYSTEM_BOOT = 0x1,  /* System Event: OEM system boot event ("BMC started") */
	BMC_EV_BOOT_POWER_UP = 0x0,    /* System Boot/Restart Initiated: initiated by power up */
	BMC_EV_BOOT_HARD_RESET = 0x1,  /* System Boot/Restart Initiated: initiated by hard reset */
};

/* Logs a sensor-specific (0x6F) event of one of the BMC's own sensors (the sensor type follows
 * from the number), event data 2 and 3 unspecified. A failure (SEL full, logging disabled, a
 * store error) goes to the operator log, not to the caller: what caused the event happened
 * anyway, and a full SEL must not stop a power-on. */
void bmc_event_internal(struct bmc *bmc, enum bmc_internal_sensor sensor, uint8_t offset,
			bool deassertion);
