/* The SDR repository (IPMI 2.0 §33, §43; records.md §1-§8): one Full Sensor Record per
 * threshold sensor, one Compact Sensor Record per discrete sensor, then a FRU Device Locator
 * for FRU 0 and the BMC's Management Controller Device Locator. Records are encoded on demand
 * from the sensor definitions (record ID n = the n-th record, from 1), so the repository is a
 * pure function of the profile: it holds the default thresholds (the ones in force are read
 * with Get Sensor Thresholds, as on real BMCs) and its "most recent addition" timestamp is
 * derived from its bytes — stable across restarts, different when the profile changes, so
 * clients' SDR caches (FreeIPMI, pyghmi) stay valid exactly as long as they should. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bmc;
struct bmc_sensor_def;

#define BMC_SDR_VERSION 0x51
#define BMC_SDR_MAX_RECORD 64      /* full record with a 16-character ID string */
#define BMC_SDR_ID_FIRST 0x0000    /* Get SDR aliases */
#define BMC_SDR_ID_LAST 0xFFFF

enum {
	BMC_SDR_TYPE_FULL = 0x01,
	BMC_SDR_TYPE_COMPACT = 0x02,
	BMC_SDR_TYPE_FRU_LOCATOR = 0x11,
	BMC_SDR_TYPE_MC_LOCATOR = 0x12,
};

/* Record encoders (exposed for tests): write the record with the given ID into out and return
 * its length (header included). */
size_t bmc_sdr_encode_full(const struct bmc_sensor_def *d, uint16_t record_id,
			   uint8_t out[static BMC_SDR_MAX_RECORD]);
size_t bmc_sdr_encode_compact(const struct bmc_sensor_def *d, uint16_t record_id,
			      uint8_t out[static BMC_SDR_MAX_RECORD]);

/* The 6 reading-factor bytes of a full record (offsets 24-29: M, tolerance, B, accuracy,
 * direction, exponents), also returned by Get Sensor Reading Factors. */
void bmc_sdr_factors(const struct bmc_sensor_def *d, uint8_t out[static 6]);

/* Computes the repository timestamp; called by bmc_sensors_init once the sensors exist. */
void bmc_sdr_init(struct bmc *bmc);
/* Number of records. */
uint16_t bmc_sdr_count(const struct bmc *bmc);
/* Most recent addition (= erase) timestamp, seconds since 1970. */
uint32_t bmc_sdr_timestamp(const struct bmc *bmc);
/* Record `id` (BMC_SDR_ID_FIRST / _LAST aliases allowed) into out; returns its length and the
 * ID of the record after it (0xFFFF after the last) or -ENOENT. */
int bmc_sdr_get(const struct bmc *bmc, uint16_t id, uint8_t out[static BMC_SDR_MAX_RECORD],
		size_t *ret_len, uint16_t *ret_next);
/* Reserve SDR Repository: a new non-zero ID that cancels the previous one. */
uint16_t bmc_sdr_reserve(struct bmc *bmc);
bool bmc_sdr_reservation_ok(const struct bmc *bmc, uint16_t id);
