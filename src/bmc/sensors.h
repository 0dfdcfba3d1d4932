/* Sensors (IPMI 2.0 §35, §36): threshold and discrete sensors whose inputs come from the
 * platform, their thresholds, hysteresis, event enables and re-arm, and the threshold/state
 * evaluation that turns crossings into events on the one event path (bmc/event.h).
 *
 * A sensor is a definition (struct bmc_sensor_def: what it measures, its reading factors and
 * default thresholds — pure data, a row of a table that a later profile loader fills from
 * YAML) plus runtime state (struct bmc_sensor: the last reading, the thresholds in force, the
 * enables and what is asserted). The SDR repository (bmc/sdr.h) is built from the same
 * definitions. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;
struct bmc_event;

/* Thresholds in the order of the Get/Set Sensor Thresholds commands (IPMI 2.0 §35.8): bit n of
 * every threshold mask is threshold n. (The SDR stores them in the reverse order.) */
enum bmc_threshold {
	BMC_THR_LNC,
	BMC_THR_LCR,
	BMC_THR_LNR,
	BMC_THR_UNC,
	BMC_THR_UCR,
	BMC_THR_UNR,
	BMC_THR_MAX,
};

/* Event/reading type codes (records.md §4). */
#define BMC_EVENT_TYPE_THRESHOLD       0x01
#define BMC_EVENT_TYPE_SENSOR_SPECIFIC 0x6F

/* Analog data formats (SDR units 1 bits 7:6). */
enum bmc_sensor_format {
	BMC_FORMAT_UNSIGNED = 0,
	BMC_FORMAT_ONES_COMPLEMENT = 1,
	BMC_FORMAT_TWOS_COMPLEMENT = 2,
};

/* One sensor as a profile describes it. Threshold sensors have event_type 0x01 and use the
 * analog fields; discrete sensors use `states`. */
struct bmc_sensor_def {
	const char *name;        /* SDR ID string, at most 16 characters */
	const char *input;       /* platform input ("temp.cpu1"), or "bmc.*" for the BMC's own */
	uint8_t number;
	uint8_t sensor_type;     /* records.md §3.1 */
	uint8_t event_type;      /* BMC_EVENT_TYPE_* */
	uint8_t entity_id;
	uint8_t entity_instance;
	bool host_powered;       /* reading unavailable while the host is off (as vendors do) */
	bool bmc_events;         /* events logged by the BMC module that owns it, not by polling */
	/* Threshold sensors: y = (M x + B 10^Bexp) 10^Rexp in `unit` (records.md §2.2). */
	uint8_t unit;            /* base unit code, records.md §3.2 */
	uint8_t format;          /* enum bmc_sensor_format */
	int16_t m, b;            /* 10-bit two's complement */
	int8_t b_exp, r_exp;     /* 4-bit two's complement */
	uint8_t readable;        /* thresholds that exist (bit n = enum bmc_threshold n) */
	uint8_t settable;        /* subset of readable that clients may change */
	double thresholds[BMC_THR_MAX]; /* defaults in `unit` (only the readable ones count) */
	double nominal, normal_min, normal_max; /* reported when normal_max > normal_min */
	uint8_t hyst_pos, hyst_neg; /* default hysteresis, raw counts */
	/* Discrete sensors: offsets the sensor can assert (reading and event masks). */
	uint16_t states;
};

/* Runtime state of one sensor. */
struct bmc_sensor {
	const struct bmc_sensor_def *def;
	uint8_t raw;             /* last reading (threshold sensors) */
	bool available;          /* the last poll produced a reading */
	bool seen;               /* discrete: a first state was read (it is not an event) */
	uint8_t thr[BMC_THR_MAX]; /* thresholds in force, raw */
	uint8_t hyst_pos, hyst_neg;
	bool events_enabled;
	bool scanning_enabled;
	uint16_t assert_enabled;  /* event offsets enabled for assertion events */
	uint16_t deassert_enabled;
	uint16_t state;           /* Get Sensor Reading: threshold comparison bits (enum
				   * bmc_threshold) or discrete state bits */
	uint16_t asserted;        /* event offsets asserted (thresholds: with hysteresis) */
	uint16_t assert_status;   /* Get Sensor Event Status (since the last re-arm) */
	uint16_t deassert_status;
};

#define BMC_SENSORS_MAX 64
#define BMC_SENSOR_POLL_INTERVAL USEC_PER_SEC

struct bmc_sensors {
	/* The profile's table, set before bmc_sensors_init (which expects this struct zeroed
	 * otherwise, as bmc_init's callers provide it); NULL = bmc_sensor_default_defs. */
	const struct bmc_sensor_def *defs;
	size_t n_defs;
	struct bmc_sensor s[BMC_SENSORS_MAX];
	size_t n;
	usec_t next_poll;
	bool polled_power_on;    /* host power at the last poll (a change polls at once) */
	uint8_t event_receiver;  /* Set Event Receiver: slave address, 0xFF = events disabled */
	uint8_t event_receiver_lun;
	/* SDR repository (bmc/sdr.h) */
	uint16_t sdr_reservation; /* 0 = none taken yet */
	uint32_t sdr_timestamp;   /* "most recent addition", derived from the records */
	/* The event path; bmc_event_log unless a test puts its own here. */
	int (*log_event)(struct bmc *bmc, const struct bmc_event *ev);
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_sensors_init(struct bmc *bmc);
/* Advances time-driven state; called from bmc_tick every 100 ms. Polls the platform once a
 * second (and at once when host power changed) and evaluates thresholds and states. */
void bmc_sensors_tick(struct bmc *bmc, usec_t now);
/* Reads every sensor and evaluates it now (the tick calls this). */
void bmc_sensors_poll(struct bmc *bmc);

/* Total input power of the server in watts, as the platform reports it; -ENODATA if unknown. */
int bmc_sensors_power_watts(struct bmc *bmc, double *ret_watts);

/* Get Chassis Status byte 4 bits the sensors know (IPMI 2.0 table 28-3): bit 0 chassis
 * intrusion active, bit 2 drive fault, bit 3 cooling/fan fault detected. */
#define BMC_CHASSIS_INTRUSION 0x01
#define BMC_CHASSIS_DRIVE_FAULT 0x04
#define BMC_CHASSIS_FAN_FAULT 0x08
uint8_t bmc_sensors_chassis_faults(struct bmc *bmc);

/* DCMI Get Temperature Readings: temperature sensors of a DCMI entity (0x37 air inlet, 0x03
 * processor, 0x07 system board — DCMI's 0x40/0x41/0x42 map to these), in SDR order. */
struct bmc_temp_reading {
	uint8_t entity_id;
	uint8_t entity_instance;
	int16_t celsius;
	bool valid;
	uint8_t sensor_num;
};
size_t bmc_sensors_temperatures(struct bmc *bmc, uint8_t entity_id, struct bmc_temp_reading *out,
				size_t cap);

/* The default sensor set of a 1U two-socket compute server (the BMC-internal sensors of
 * bmc/event.h included). */
extern const struct bmc_sensor_def bmc_sensor_default_defs[];
extern const size_t bmc_sensor_default_defs_n;

/* ---- reading conversion (records.md §2.2; linear sensors) ----------------------------- */

static inline bool bmc_sensor_is_threshold(const struct bmc_sensor_def *d)
{
	return d->event_type == BMC_EVENT_TYPE_THRESHOLD;
}

/* The raw byte as a number in the sensor's analog format. */
int bmc_sensor_raw_int(const struct bmc_sensor_def *d, uint8_t raw);
/* Raw → value in the sensor's unit. */
double bmc_sensor_from_raw(const struct bmc_sensor_def *d, uint8_t raw);
/* Value → the nearest raw byte, clamped to the format's range. */
uint8_t bmc_sensor_to_raw(const struct bmc_sensor_def *d, double value);
/* The value of one raw count (M 10^Rexp): what "exact to one LSB" means. */
double bmc_sensor_lsb(const struct bmc_sensor_def *d);
/* Event offsets a threshold sensor supports (records.md §2.1 offsets 14-17): going-low for
 * each lower threshold, going-high for each upper one. Discrete: its states. */
uint16_t bmc_sensor_event_mask(const struct bmc_sensor_def *d);

/* ---- the operations behind the Sensor/Event commands ------------------------------------
 * Errors: -ENOENT no such sensor (0xCB), -EOPNOTSUPP not for this kind of sensor (0xCD),
 * -EINVAL invalid values (0xCC), -EPERM a threshold that is not settable (0xCC), -EIO the
 * store failed (state unchanged). */

struct bmc_sensor *bmc_sensor_find(struct bmc *bmc, uint8_t number);

struct bmc_sensor_reading {
	uint8_t raw;
	bool unavailable;        /* no reading now (host off, input missing) */
	bool events_enabled;
	bool scanning_enabled;
	uint16_t state;          /* threshold: comparison bits (enum bmc_threshold); discrete:
				  * asserted offsets */
};
int bmc_sensor_get_reading(struct bmc *bmc, uint8_t number, struct bmc_sensor_reading *ret);

/* Sets the thresholds selected by mask (bit n = enum bmc_threshold n) to raw[n]; the result
 * must stay ordered (LNR ≤ LCR ≤ LNC ≤ UNC ≤ UCR ≤ UNR among those that exist). Persisted. */
int bmc_sensor_set_thresholds(struct bmc *bmc, uint8_t number, uint8_t mask,
			      const uint8_t raw[static BMC_THR_MAX]);
int bmc_sensor_set_hysteresis(struct bmc *bmc, uint8_t number, uint8_t pos, uint8_t neg);

/* Set Sensor Event Enable (IPMI 2.0 §35.10): the two global flags, and masks to enable
 * (op = BMC_ENABLES_SELECT) or disable (BMC_ENABLES_DESELECT) or leave (BMC_ENABLES_KEEP).
 * Bits for events the sensor does not support are ignored. Persisted. */
enum bmc_enables_op {
	BMC_ENABLES_KEEP = 0,
	BMC_ENABLES_SELECT = 1,
	BMC_ENABLES_DESELECT = 2,
};
int bmc_sensor_set_event_enable(struct bmc *bmc, uint8_t number, bool events, bool scanning,
				enum bmc_enables_op op, uint16_t assert_mask,
				uint16_t deassert_mask);
/* Re-arm (IPMI 2.0 §35.12): forgets the selected asserted events (all if !selective), so
 * conditions still present are evaluated — and logged — again. */
int bmc_sensor_rearm(struct bmc *bmc, uint8_t number, bool selective, uint16_t assert_mask,
		     uint16_t deassert_mask);
