/* The System Event Log (IPMI 2.0 §31): records live in the store's `sel` table (store/
 * sel_store.c), one transaction per change, written before the change is acknowledged, so an
 * acknowledged entry survives a kill -9. Everything else the SEL must remember is a versioned
 * blob in the key-value table:
 *   sel.state   next record ID (u16), overflow flag (u8), last add and last erase timestamps
 *               (u32 each, SEL clock) -- written in the same transaction as the records
 *   sel.clock   SEL clock offset from the BMC's wall clock (s64 seconds), UTC offset (s16)
 *
 * Record IDs count up from 1 to 0xFFFE and wrap, skipping IDs still in use; they are not
 * reused after a delete or a clear until the counter comes round, so a client's stale ID does
 * not silently name a newer record. When the SEL holds `capacity` entries it stops logging
 * (IPMI 2.0 §31.6: Add SEL Entry answers "out of space") and sets the overflow flag that Get
 * SEL Info reports, until a Clear SEL.
 *
 * Reservations (§31.4) are volatile: a new Reserve SEL, an add, a delete and a clear cancel
 * the current one. */
#include "bmc/sel.h"

#include <errno.h>
#include <string.h>

#include "bmc/bmc.h"
#include "bmc/event.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define BLOB_VERSION 1
#define KEY_STATE "sel.state"
#define KEY_CLOCK "sel.clock"

/* SEL record layout (IPMI 2.0 §32.1, records.md §9). */
#define REC_OFF_TYPE 2
#define REC_OFF_TIMESTAMP 3
/* Record types 0xE0-0xFF are OEM records without a timestamp (§32.3); the SEL stamps the
 * rest: system event records (0x02) and timestamped OEM records (0xC0-0xDF). */
#define REC_TYPE_FIRST_UNSTAMPED 0xE0

#define SEL_ID_MAX 0xFFFE

struct sel_state {
	uint16_t next_id;
	bool overflow;
	uint32_t last_add;
	uint32_t last_erase;
};

static const struct sel_state state_initial = {
	.next_id = 1,
	.last_add = BMC_SEL_TIME_NONE,
	.last_erase = BMC_SEL_TIME_NONE,
};

/* ---- persistence ---------------------------------------------------------------------- */

/* A missing blob is the initial state; an unreadable one too, with a warning. A wrong next
 * ID costs nothing: IDs in use are skipped. */
static int state_load(struct bmc *bmc, struct sel_state *ret)
{
	uint8_t buf[32];
	struct rbuf rb;
	struct sel_state st = state_initial;
	int r = store_get_blob(bmc->store, BLOB_VERSION, KEY_STATE, buf, sizeof(buf), &rb);
	if (r == 0) {
		st.next_id = rbuf_u16le(&rb);
		st.overflow = rbuf_u8(&rb) != 0;
		st.last_add = rbuf_u32le(&rb);
		st.last_erase = rbuf_u32le(&rb);
		if (rb.err)
			r = -EBADMSG;
	}
	if (r == -EBADMSG)
		log_warn("%s: %s in the store is unreadable, starting from the initial SEL state",
			 bmc->name, KEY_STATE);
	if (r == -ENOENT || r == -EBADMSG) {
		st = state_initial;
		r = 0;
	}
	if (r == 0)
		*ret = st;
	return r;
}

static int state_save(struct bmc *bmc, const struct sel_state *st)
{
	uint8_t buf[12];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u16le(&w, st->next_id);
	wbuf_u8(&w, st->overflow);
	wbuf_u32le(&w, st->last_add);
	wbuf_u32le(&w, st->last_erase);
	return store_set_blob(bmc->store, KEY_STATE, &w);
}

static int clock_save(struct bmc *bmc, int64_t offset, int16_t utc_offset)
{
	uint8_t buf[11];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	uint64_t u = (uint64_t)offset;
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u32le(&w, (uint32_t)u);
	wbuf_u32le(&w, (uint32_t)(u >> 32));
	wbuf_u16le(&w, (uint16_t)utc_offset);
	return store_set_blob(bmc->store, KEY_CLOCK, &w);
}

static int clock_load(struct bmc *bmc)
{
	uint8_t buf[32];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, KEY_CLOCK, buf, sizeof(buf), &rb);
	if (r == 0) {
		uint64_t lo = rbuf_u32le(&rb);
		uint64_t u = lo | (uint64_t)rbuf_u32le(&rb) << 32;
		int16_t utc = (int16_t)rbuf_u16le(&rb);
		if (rb.err)
			return -EBADMSG;
		bmc->sel.clock_offset = (int64_t)u;
		bmc->sel.utc_offset = utc;
	}
	return r;
}

/* ---- loading ---------------------------------------------------------------------------- */

static uint32_t sel_capacity(const struct bmc *bmc)
{
	uint32_t c = bmc->sel.capacity;
	if (c == 0)
		return BMC_SEL_CAPACITY_DEFAULT;
	return c > BMC_SEL_CAPACITY_MAX ? BMC_SEL_CAPACITY_MAX : c;
}

static int sel_load(struct bmc *bmc)
{
	struct bmc_sel *sel = &bmc->sel;

	sel->clock_offset = 0;
	sel->utc_offset = BMC_SEL_UTC_OFFSET_UNSPECIFIED;
	int r = clock_load(bmc);
	if (r == -EBADMSG)
		log_warn("%s: %s in the store is unreadable, the SEL clock follows the BMC clock",
			 bmc->name, KEY_CLOCK);
	if (r < 0 && r != -ENOENT && r != -EBADMSG)
		return r;
	/* Reservation IDs differ across restarts, so one from before a restart is not valid. */
	sel->reservation = (uint16_t)(now_monotonic() / USEC_PER_MSEC);
	sel->reservation_valid = false;
	sel->loaded = true;
	return 0;
}

/* "BMC started": System Event offset 1, "OEM System Boot Event" (IPMI 2.0 table 42-3). Of the
 * System Event offsets it is the one meant for a controller announcing its own boot; 0
 * (system reconfigured), 2 (undetermined hardware failure), 3 (auxiliary log entry), 4 (PEF
 * action) and 5 (timestamp clock synch) describe other happenings. Event data 2 and 3 carry
 * no OEM code (0xFF). */
static void log_bmc_started(struct bmc *bmc)
{
	bmc_event_internal(bmc, BMC_SENSOR_SYSTEM_EVENT, BMC_EV_OEM_SYSTEM_BOOT, false);
}

int bmc_sel_init(struct bmc *bmc)
{
	if (bmc->sel.loaded)
		return 0;
	int r = sel_load(bmc);
	if (r < 0)
		return r;
	log_bmc_started(bmc);
	return 0;
}

/* The SEL may be used before bmc_sel_init (an event during the chassis' start). */
static int sel_ready(struct bmc *bmc)
{
	return bmc->sel.loaded ? 0 : bmc_sel_init(bmc);
}

/* ---- the SEL clock (IPMI 2.0 §31.10) ---------------------------------------------------- */

uint32_t bmc_sel_time(const struct bmc *bmc)
{
	int64_t t = (int64_t)(now_realtime() / USEC_PER_SEC) + bmc->sel.clock_offset;
	if (t < 0)
		return 0;
	return t > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

int bmc_sel_set_time(struct bmc *bmc, uint32_t seconds)
{
	int r = sel_ready(bmc);
	if (r < 0)
		return r;
	int64_t offset = (int64_t)seconds - (int64_t)(now_realtime() / USEC_PER_SEC);
	r = clock_save(bmc, offset, bmc->sel.utc_offset);
	if (r < 0)
		return r;
	bmc->sel.clock_offset = offset;
	log_info("%s: SEL clock set to %u (%+lld s from the BMC clock)", bmc->name, seconds,
		 (long long)offset);
	return 0;
}

int bmc_sel_set_utc_offset(struct bmc *bmc, int16_t minutes)
{
	if (minutes != BMC_SEL_UTC_OFFSET_UNSPECIFIED &&
	    (minutes < -BMC_SEL_UTC_OFFSET_MAX || minutes > BMC_SEL_UTC_OFFSET_MAX))
		return -EINVAL;
	int r = sel_ready(bmc);
	if (r < 0)
		return r;
	r = clock_save(bmc, bmc->sel.clock_offset, minutes);
	if (r == 0)
		bmc->sel.utc_offset = minutes;
	return r;
}

/* ---- reservations (IPMI 2.0 §31.4) ------------------------------------------------------ */

uint16_t bmc_sel_reserve(struct bmc *bmc)
{
	struct bmc_sel *sel = &bmc->sel;

	sel->reservation++;
	if (sel->reservation == 0)
		sel->reservation = 1; /* 0 is not a reservation ID */
	sel->reservation_valid = true;
	return sel->reservation;
}

bool bmc_sel_reservation_ok(const struct bmc *bmc, uint16_t reservation)
{
	return bmc->sel.reservation_valid && reservation != 0 &&
	       reservation == bmc->sel.reservation;
}

/* ---- reading ------------------------------------------------------------------------------ */

int bmc_sel_info(struct bmc *bmc, struct bmc_sel_info *ret)
{
	struct sel_state st;
	uint32_t count = 0;
	int r = sel_ready(bmc);
	if (r == 0)
		r = state_load(bmc, &st);
	if (r == 0)
		r = store_sel_count(bmc->store, &count);
	if (r < 0)
		return r;
	*ret = (struct bmc_sel_info){
		.entries = count,
		.capacity = sel_capacity(bmc),
		.last_add = st.last_add,
		.last_erase = st.last_erase,
		.overflow = st.overflow,
	};
	return 0;
}

/* Record ID aliases: 0x0000 the first (oldest) record, 0xFFFF the last (newest). */
static int id_resolve(struct bmc *bmc, uint16_t id, uint16_t *ret)
{
	if (id == BMC_SEL_ID_FIRST)
		return store_sel_first(bmc->store, ret);
	if (id == BMC_SEL_ID_LAST)
		return store_sel_last(bmc->store, ret);
	*ret = id;
	return 0;
}

int bmc_sel_get(struct bmc *bmc, uint16_t id, uint8_t ret_record[static BMC_SEL_RECORD_LEN],
		uint16_t *ret_next)
{
	uint16_t real, next = 0;
	int r = sel_ready(bmc);
	if (r == 0)
		r = id_resolve(bmc, id, &real);
	if (r == 0)
		r = store_sel_read(bmc->store, real, ret_record, &next);
	if (r == 0)
		*ret_next = next ? next : BMC_SEL_ID_LAST;
	return r;
}

/* ---- changing ----------------------------------------------------------------------------- */

static uint16_t id_after(uint16_t id)
{
	return id >= SEL_ID_MAX ? 1 : (uint16_t)(id + 1);
}

/* The next free ID from the counter on. count < capacity <= 0xFFFE guarantees one. */
static int id_allocate(struct bmc *bmc, uint16_t from, uint16_t *ret)
{
	uint16_t id = from >= 1 && from <= SEL_ID_MAX ? from : 1;
	for (uint32_t tries = 0; tries < SEL_ID_MAX; tries++, id = id_after(id)) {
		int r = store_sel_exists(bmc->store, id);
		if (r < 0)
			return r;
		if (r == 0) {
			*ret = id;
			return 0;
		}
	}
	return -ENOSPC;
}

/* Full: log nothing more (§31.6 "out of space") and remember that something was dropped. */
static int room_check(struct bmc *bmc, struct sel_state *st)
{
	uint32_t count = 0;
	int r = store_sel_count(bmc->store, &count);
	if (r < 0 || count < sel_capacity(bmc))
		return r;
	if (!st->overflow) {
		st->overflow = true;
		log_warn("%s: SEL full (%u entries): logging stopped, overflow flag set until the "
			 "SEL is cleared", bmc->name, count);
		r = state_save(bmc, st);
	}
	return r < 0 ? r : -ENOSPC;
}

static int record_append(struct bmc *bmc, struct sel_state *st,
			 const uint8_t record[static BMC_SEL_RECORD_LEN], uint16_t id)
{
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint32_t now = bmc_sel_time(bmc);

	memcpy(rec, record, sizeof(rec));
	struct wbuf wid = wbuf_init(rec, 2);
	wbuf_u16le(&wid, id);
	if (rec[REC_OFF_TYPE] < REC_TYPE_FIRST_UNSTAMPED) {
		struct wbuf wts = wbuf_init(rec + REC_OFF_TIMESTAMP, 4);
		wbuf_u32le(&wts, now);
	}
	st->next_id = id_after(id);
	st->last_add = now;
	int r = state_save(bmc, st);
	if (r == 0)
		r = store_sel_append(bmc->store, id, rec);
	return r;
}

int bmc_sel_add(struct bmc *bmc, const uint8_t record[static BMC_SEL_RECORD_LEN],
		uint16_t *ret_id)
{
	struct sel_state st;
	uint16_t id = 0;
	int r = sel_ready(bmc);
	if (r < 0)
		return r;
	r = store_sel_begin(bmc->store);
	if (r < 0)
		return r;
	r = state_load(bmc, &st);
	if (r == 0)
		r = room_check(bmc, &st);
	if (r == 0)
		r = id_allocate(bmc, st.next_id, &id);
	if (r == 0)
		r = record_append(bmc, &st, record, id);
	/* A full SEL keeps the overflow flag it just set. */
	int e = store_sel_end(bmc->store, r == 0 || r == -ENOSPC);
	if (r == 0 && e < 0)
		r = e;
	if (r < 0)
		return r;
	bmc->sel.reservation_valid = false;
	*ret_id = id;
	return 0;
}

static int erase_stamp(struct bmc *bmc, bool clear_overflow)
{
	struct sel_state st;
	int r = state_load(bmc, &st);
	if (r < 0)
		return r;
	st.last_erase = bmc_sel_time(bmc);
	if (clear_overflow)
		st.overflow = false;
	return state_save(bmc, &st);
}

int bmc_sel_delete(struct bmc *bmc, uint16_t reservation, uint16_t id, uint16_t *ret_id)
{
	uint16_t real = 0;
	if (!bmc_sel_reservation_ok(bmc, reservation))
		return -ESTALE;
	int r = sel_ready(bmc);
	if (r == 0)
		r = store_sel_begin(bmc->store);
	if (r < 0)
		return r;
	r = id_resolve(bmc, id, &real);
	if (r == 0)
		r = store_sel_delete(bmc->store, real);
	if (r == 0)
		r = erase_stamp(bmc, false);
	int e = store_sel_end(bmc->store, r == 0);
	if (r == 0 && e < 0)
		r = e;
	if (r < 0)
		return r;
	bmc->sel.reservation_valid = false;
	log_info("%s: SEL entry %u deleted", bmc->name, real);
	*ret_id = real;
	return 0;
}

/* The "SEL cleared" event goes in the clear's transaction: the SEL is never seen empty of it. */
int bmc_sel_clear(struct bmc *bmc, uint16_t reservation)
{
	uint32_t count = 0;
	if (!bmc_sel_reservation_ok(bmc, reservation))
		return -ESTALE;
	int r = sel_ready(bmc);
	if (r == 0)
		r = store_sel_begin(bmc->store);
	if (r < 0)
		return r;
	r = store_sel_count(bmc->store, &count);
	if (r == 0)
		r = store_sel_clear(bmc->store);
	if (r == 0)
		r = erase_stamp(bmc, true);
	if (r == 0)
		bmc_event_internal(bmc, BMC_SENSOR_EVENT_LOG, BMC_EV_LOG_CLEARED, false);
	int e = store_sel_end(bmc->store, r == 0);
	if (r == 0 && e < 0)
		r = e;
	if (r < 0)
		return r;
	bmc->sel.reservation_valid = false;
	log_info("%s: SEL cleared (%u entries erased)", bmc->name, count);
	return 0;
}
