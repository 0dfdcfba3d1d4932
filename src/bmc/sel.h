/* System Event Log (IPMI 2.0 §31): the persistent SEL in the store, its capacity and overflow
 * flag, record IDs, reservations, and the SEL clock. Events the model raises reach it through
 * bmc_event_log (bmc/event.h); Add SEL Entry and the event path share bmc_sel_add.
 *
 * Errors: -ENOENT no such record (or the SEL is empty), -ENOSPC the SEL is full (nothing was
 * logged; the overflow flag is set), -ESTALE the reservation was cancelled or is not the
 * current one, -EINVAL a value out of range; anything else is a store failure. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/timeutil.h"

struct bmc;

#define BMC_SEL_RECORD_LEN 16
#define BMC_SEL_CAPACITY_DEFAULT 1024
/* Record IDs are 1..0xFFFE (0x0000 and 0xFFFF are the "first"/"last" aliases), so with at
 * most this many entries a free ID always exists. */
#define BMC_SEL_CAPACITY_MAX 0xFFFE
#define BMC_SEL_ID_FIRST 0x0000
#define BMC_SEL_ID_LAST 0xFFFF
/* Timestamps in Get SEL Info before the first add / erase (IPMI 2.0 §31.2). */
#define BMC_SEL_TIME_NONE 0xFFFFFFFFu
/* Get/Set SEL Time UTC Offset: minutes east of UTC, or "unspecified" (IPMI 2.0 §31.11a). */
#define BMC_SEL_UTC_OFFSET_UNSPECIFIED 0x7FFF
#define BMC_SEL_UTC_OFFSET_MAX 1440

struct bmc_sel {
	/* Entries the SEL holds; set from the configuration before bmc_init (0 = default). */
	uint32_t capacity;
	bool loaded;
	int64_t clock_offset;    /* SEL clock minus the BMC's wall clock, seconds (persistent) */
	int16_t utc_offset;      /* minutes (persistent) */
	uint16_t reservation;    /* the last reservation ID handed out (never 0) */
	bool reservation_valid;  /* cancelled by any change to the SEL and by a new Reserve */
};

/* What Get SEL Info and Get SEL Allocation Info report. */
struct bmc_sel_info {
	uint32_t entries;
	uint32_t capacity;
	uint32_t last_add;   /* SEL clock; BMC_SEL_TIME_NONE if nothing was ever added */
	uint32_t last_erase; /* last delete or clear; BMC_SEL_TIME_NONE if never */
	bool overflow;       /* an entry was dropped for lack of space since the last clear */
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis) and logs the
 * "BMC started" event. The event path loads the SEL itself if an event comes first (a power
 * restore at start is reported by the chassis before this runs). */
int bmc_sel_init(struct bmc *bmc);

int bmc_sel_info(struct bmc *bmc, struct bmc_sel_info *ret);

/* Reserve SEL: a new reservation ID, cancelling the previous one. */
uint16_t bmc_sel_reserve(struct bmc *bmc);
/* Is this the current, uncancelled reservation? */
bool bmc_sel_reservation_ok(const struct bmc *bmc, uint16_t reservation);

/* The record with this ID (or BMC_SEL_ID_FIRST / BMC_SEL_ID_LAST) and the ID of the next one
 * (BMC_SEL_ID_LAST after the newest). */
int bmc_sel_get(struct bmc *bmc, uint16_t id, uint8_t ret_record[static BMC_SEL_RECORD_LEN],
		uint16_t *ret_next);
/* Appends a record (IPMI 2.0 §31.6): the SEL assigns the record ID (bytes 0-1) and, for
 * record types below 0xE0 (system event and timestamped OEM records), the timestamp (bytes
 * 3-6) from the SEL clock. Persisted before it returns; cancels the reservation. */
int bmc_sel_add(struct bmc *bmc, const uint8_t record[static BMC_SEL_RECORD_LEN],
		uint16_t *ret_id);
/* Delete SEL Entry with a reservation; id may be an alias. Returns the deleted record's ID. */
int bmc_sel_delete(struct bmc *bmc, uint16_t reservation, uint16_t id, uint16_t *ret_id);
/* Clear SEL with a reservation: erases everything, clears the overflow flag, and logs the
 * "log area reset/cleared" event as the new first entry. */
int bmc_sel_clear(struct bmc *bmc, uint16_t reservation);

/* The SEL clock (IPMI 2.0 §31.10): seconds since 1970-01-01 UTC, the BMC's clock plus the
 * offset that Set SEL Time stores. */
uint32_t bmc_sel_time(const struct bmc *bmc);
int bmc_sel_set_time(struct bmc *bmc, uint32_t seconds);
/* -EINVAL unless -1440..1440 or BMC_SEL_UTC_OFFSET_UNSPECIFIED. */
int bmc_sel_set_utc_offset(struct bmc *bmc, int16_t minutes);
