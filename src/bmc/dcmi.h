/* DCMI 1.5 state of the BMC: power statistics sampled from the power sensor, the power limit
 * (with its exception action), the asset tag and the management controller identifier string.
 * The power limit, asset tag and ID string persist in the store ("dcmi.*"). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

#define BMC_DCMI_ASSET_TAG_MAX 63 /* bytes (DCMI 1.5 §6.4.2: offsets 0-62) */
#define BMC_DCMI_MC_ID_MAX 63     /* characters; 64 bytes with the terminating NUL */
#define BMC_DCMI_CHUNK_MAX 16     /* bytes per Get/Set Asset Tag / MC ID String request */
#define BMC_DCMI_POWER_SAMPLES 180 /* one sample a second: statistics over 3 minutes */
#define BMC_DCMI_SAMPLE_INTERVAL USEC_PER_SEC

/* Power limit exception actions (DCMI 1.5 table 6-15). */
enum {
	BMC_DCMI_EXCEPTION_NONE = 0x00,
	BMC_DCMI_EXCEPTION_POWER_OFF = 0x01, /* hard power off the system and log */
	BMC_DCMI_EXCEPTION_LOG = 0x11,       /* log the event only */
};

/* Accepted ranges of Set Power Limit (errors DCMI 0x84, 0x85, 0x89). */
#define BMC_DCMI_LIMIT_MIN_W 50
#define BMC_DCMI_LIMIT_MAX_W 5000
#define BMC_DCMI_CORRECTION_MIN_MS 1000 /* we sample once a second */
#define BMC_DCMI_CORRECTION_MAX_MS 600000
#define BMC_DCMI_SAMPLING_MIN_S 1
#define BMC_DCMI_SAMPLING_MAX_S 3600

struct bmc_dcmi_power_limit {
	uint8_t exception_action;
	uint16_t limit_watts;
	uint32_t correction_ms;
	uint16_t sampling_sec;  /* management application statistics sampling period */
	bool active;
};

/* Power statistics over a period (Get Power Reading, DCMI 1.5 §6.6.1). */
struct bmc_dcmi_power_stats {
	bool valid;             /* "power measurement active": a reading is available */
	uint16_t current;       /* watts, read now */
	uint16_t minimum, maximum, average; /* over the samples of the period */
	uint32_t period_ms;     /* time the samples cover */
};

struct bmc_dcmi {
	struct bmc_dcmi_power_limit limit;      /* persistent */
	uint8_t asset_tag[BMC_DCMI_ASSET_TAG_MAX]; /* persistent */
	uint8_t asset_tag_len;
	char mc_id[BMC_DCMI_MC_ID_MAX + 1];     /* NUL-terminated; persistent */
	/* Power samples, one a second, newest at samples[(head + n - 1) % N]. */
	uint16_t samples[BMC_DCMI_POWER_SAMPLES];
	uint16_t head, n_samples;
	usec_t next_sample_at;  /* monotonic; 0 = at the next tick */
	usec_t over_limit_since; /* monotonic; 0 = not above an active limit */
	bool exception_taken;   /* the exception action of this excursion happened */
};

/* DCMI temperature entities (DCMI 1.5 §6.7) and the IPMI entity IDs the sensors carry. */
enum {
	BMC_DCMI_ENTITY_INLET = 0x40,     /* IPMI 0x37 air inlet */
	BMC_DCMI_ENTITY_CPU = 0x41,       /* IPMI 0x03 processor */
	BMC_DCMI_ENTITY_BASEBOARD = 0x42, /* IPMI 0x07 system board */
};
#define BMC_DCMI_TEMPS_MAX 32 /* temperature sensors per entity this model reports */
#define BMC_DCMI_SETS_MAX 8   /* record IDs / temperature sets per response */

/* One temperature sensor of a DCMI entity. */
struct bmc_dcmi_temp {
	uint8_t entity_instance;
	int16_t celsius;
	bool valid;             /* the sensor has a reading now */
	uint8_t sensor_num;
	uint16_t record_id;     /* its SDR record */
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). */
int bmc_dcmi_init(struct bmc *bmc);
/* Samples the power once a second and watches an active power limit (called from bmc_tick). */
void bmc_dcmi_tick(struct bmc *bmc, usec_t now);

/* Statistics over the last `period_sec` seconds of samples (0 = every sample kept). */
void bmc_dcmi_power_stats(struct bmc *bmc, uint32_t period_sec, struct bmc_dcmi_power_stats *ret);

/* The temperature sensors of a DCMI entity (0x40-0x42, or the IPMI IDs 0x37, 0x03, 0x07) that
 * have an SDR record, sorted by entity instance. Returns how many (at most cap), or -EINVAL for
 * another entity. */
int bmc_dcmi_temperatures(struct bmc *bmc, uint8_t entity_id, struct bmc_dcmi_temp *out,
			  size_t cap);
/* Which of n sorted sensors a request asks for (DCMI 1.5 §6.7.1): entity instance != 0 selects
 * that instance alone; 0 selects up to BMC_DCMI_SETS_MAX starting at instance number `start`
 * (0 counts as 1). Stores the first index in *ret_first and returns the count (maybe 0). */
size_t bmc_dcmi_temp_select(const struct bmc_dcmi_temp *t, size_t n, uint8_t instance,
			    uint8_t start, size_t *ret_first);

/* Set Power Limit; persisted before returning. Errors: -EINVAL exception action, -ERANGE
 * limit, -ETIME correction time, -EDOM sampling period, or a store error. The limit keeps its
 * activation state. */
int bmc_dcmi_power_limit_set(struct bmc *bmc, const struct bmc_dcmi_power_limit *limit);
/* Activate / deactivate the power limit; persisted before returning. */
int bmc_dcmi_power_limit_activate(struct bmc *bmc, bool active);

/* Asset tag and MC ID string in chunks (DCMI 1.5 §6.4.2-§6.4.6). Reads copy up to count
 * (<= BMC_DCMI_CHUNK_MAX) bytes from offset into buf and return the number copied (0 past the
 * end) with the total length in *ret_total; -ERANGE if count is too big. Writes replace
 * everything from offset on with the data (the new length is offset + len, or up to a NUL for
 * the ID string), persist it and return the total length written (offset + len); -ERANGE if
 * offset is past the present end, len > BMC_DCMI_CHUNK_MAX or the result is too long. */
int bmc_dcmi_asset_tag_read(struct bmc *bmc, uint8_t offset, uint8_t count, uint8_t *buf,
			    uint8_t *ret_total);
int bmc_dcmi_asset_tag_write(struct bmc *bmc, uint8_t offset, const uint8_t *data, uint8_t len);
int bmc_dcmi_mc_id_read(struct bmc *bmc, uint8_t offset, uint8_t count, uint8_t *buf,
			uint8_t *ret_total);
int bmc_dcmi_mc_id_write(struct bmc *bmc, uint8_t offset, const uint8_t *data, uint8_t len);
