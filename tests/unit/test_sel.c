/* Unit tests of the System Event Log (bmc/sel.c, bmc/event.c, store/sel_store.c) and its IPMI
 * handlers (ipmi/storage_sel.c) against a real store in a temporary directory: the "BMC
 * started" entry, add/get with record IDs and timestamps, first/last aliases and the next-ID
 * chain, partial reads and their reservation, delete and clear with reservations (cancelled
 * by a new Reserve and by every change), the "SEL cleared" entry, overflow at capacity, IDs not
 * reused and wrapping past 0xFFFE, the SEL clock and UTC offset, persistence across a restart,
 * the event path inside a caller's transaction, logging disabled, and the power events the
 * chassis model logs (with a fake platform that reports every power change synchronously). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bmc/bmc.h"
#include "bmc/event.h"
#include "core/log.h"
#include "ipmi/ipmi.h"
#include "store/store.h"

#include "fixture.h"

#define SMALL_CAPACITY 4

struct fixture {
	char dir[64];
	struct store *store;
	struct test_platform plat;
	struct bmc bmc;
	uint32_t capacity;
};

/* A BMC (re)started on the fixture's store, as bmc_init wires the chassis and the SEL. */
static void bmc_restart(struct fixture *fx)
{
	test_bmc_wire(&fx->bmc, fx->store, &fx->plat.base, &test_platform_ops);
	fx->bmc.global_enables = 0x0C;
	fx->bmc.sel.capacity = fx->capacity;
	assert_int_equal(bmc_chassis_init(&fx->bmc), 0);
	assert_int_equal(bmc_sel_init(&fx->bmc), 0);
}

static int setup_with(void **state, uint32_t capacity)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_sel", &fx->store);
	fx->capacity = capacity;
	bmc_restart(fx);
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, 0);
}

static int setup_small(void **state)
{
	return setup_with(state, SMALL_CAPACITY);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	test_env_teardown(fx->store, fx->dir);
	free(fx);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------------- */

static uint16_t u16le(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t sel_entries(struct fixture *fx)
{
	struct bmc_sel_info info;
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	return info.entries;
}

/* A system event record as a client would send it (ID and timestamp to be replaced). */
static void make_record(uint8_t rec[BMC_SEL_RECORD_LEN], uint8_t type, uint8_t tag)
{
	memset(rec, 0xEE, BMC_SEL_RECORD_LEN);
	rec[2] = type;
	rec[7] = 0x41;
	rec[8] = 0x00;
	rec[9] = 0x04;
	rec[10] = 0x01;
	rec[11] = tag;
	rec[12] = 0x01;
	rec[13] = 0x57;
	rec[14] = 0x5A;
	rec[15] = tag;
}

static uint16_t add_tagged(struct fixture *fx, uint8_t tag)
{
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t id = 0;
	make_record(rec, 0x02, tag);
	assert_int_equal(bmc_sel_add(&fx->bmc, rec, &id), 0);
	return id;
}

/* Checks a record the BMC logged for one of its own sensors. */
static void assert_internal_event(const uint8_t *rec, uint8_t sensor_type, uint8_t sensor_num,
				  uint8_t offset, bool deassertion)
{
	assert_int_equal(rec[2], 0x02);
	assert_int_equal(rec[7], 0x20);
	assert_int_equal(rec[8], 0x00);
	assert_int_equal(rec[9], 0x04);
	assert_int_equal(rec[10], sensor_type);
	assert_int_equal(rec[11], sensor_num);
	assert_int_equal(rec[12], (deassertion ? 0x80 : 0x00) | 0x6F);
	assert_int_equal(rec[13], offset);
	assert_int_equal(rec[14], 0xFF);
	assert_int_equal(rec[15], 0xFF);
}

static void get_record(struct fixture *fx, uint16_t id, uint8_t rec[BMC_SEL_RECORD_LEN],
		       uint16_t *next)
{
	uint16_t n = 0;
	assert_int_equal(bmc_sel_get(&fx->bmc, id, rec, &n), 0);
	if (next)
		*next = n;
}

/* Runs one request through the real dispatcher at a privilege level. */
static void call_priv(struct fixture *fx, uint8_t priv, uint8_t cmd, const uint8_t *data,
		      size_t len, struct ipmi_rsp *rsp)
{
	struct ipmi_req req = { .netfn = IPMI_NETFN_STORAGE, .cmd = cmd, .data = data, .len = len,
				.channel = IPMI_CHANNEL_LAN, .priv = priv, .in_session = true };
	memset(rsp, 0, sizeof(*rsp));
	ipmi_dispatch(&fx->bmc, &req, rsp);
}

#define CALL(fx, cmd, rsp, ...) \
	do { \
		const uint8_t d_[] = { __VA_ARGS__ }; \
		call_priv(fx, IPMI_PRIV_ADMIN, cmd, d_, sizeof(d_), rsp); \
	} while (0)
#define CALL0(fx, cmd, rsp) call_priv(fx, IPMI_PRIV_ADMIN, cmd, NULL, 0, rsp)

static uint16_t reserve(struct fixture *fx)
{
	struct ipmi_rsp rsp;
	CALL0(fx, 0x42, &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	assert_int_not_equal(u16le(rsp.data), 0);
	return u16le(rsp.data);
}

/* ---- the model -------------------------------------------------------------------------- */

/* Every BMC start logs "BMC started" (System Event, OEM system boot) as a timestamped record. */
static void t_started_event(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t next = 0;
	uint32_t now = bmc_sel_time(&fx->bmc);

	assert_int_equal(sel_entries(fx), 1);
	get_record(fx, BMC_SEL_ID_FIRST, rec, &next);
	assert_int_equal(u16le(rec), 1);
	assert_int_equal(next, 0xFFFF);
	assert_internal_event(rec, 0x12, BMC_SENSOR_SYSTEM_EVENT, BMC_EV_OEM_SYSTEM_BOOT, false);
	assert_true(u32le(rec + 3) <= now && u32le(rec + 3) + 5 >= now);
}

/* Add assigns ascending IDs and stamps types below 0xE0; 0xE0-0xFF records stay as sent. */
static void t_add_get(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN], sent[BMC_SEL_RECORD_LEN], got[BMC_SEL_RECORD_LEN];
	uint16_t a, b, c, next;

	a = add_tagged(fx, 0xA1);
	make_record(sent, 0xC5, 0xB2);  /* timestamped OEM */
	assert_int_equal(bmc_sel_add(&fx->bmc, sent, &b), 0);
	make_record(rec, 0xE7, 0xC3);   /* non-timestamped OEM */
	assert_int_equal(bmc_sel_add(&fx->bmc, rec, &c), 0);
	assert_int_equal(a, 2);
	assert_int_equal(b, 3);
	assert_int_equal(c, 4);
	assert_int_equal(sel_entries(fx), 4);

	get_record(fx, a, got, &next);
	assert_int_equal(next, b);
	assert_int_equal(u16le(got), a);
	assert_int_equal(got[11], 0xA1);
	uint32_t ts = u32le(got + 3);
	assert_true(ts != 0xEEEEEEEE && ts + 5 >= bmc_sel_time(&fx->bmc));
	get_record(fx, b, got, &next);
	assert_int_equal(next, c);
	assert_int_not_equal(u32le(got + 3), 0xEEEEEEEE);
	assert_memory_equal(got + 7, sent + 7, 9);
	get_record(fx, BMC_SEL_ID_LAST, got, &next);
	assert_int_equal(next, 0xFFFF);
	assert_int_equal(u16le(got), c);
	memcpy(rec, got, 2);
	assert_memory_equal(got, rec, BMC_SEL_RECORD_LEN); /* bytes 2-15 exactly as sent */
	assert_int_equal(bmc_sel_get(&fx->bmc, 0x1234, got, &next), -ENOENT);
}

/* Delete: reservation required, cancelled by its own use, by a new Reserve, and by an add. */
static void t_delete_reservations(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t a = add_tagged(fx, 1), b = add_tagged(fx, 2), c = add_tagged(fx, 3), id = 0;
	struct bmc_sel_info info;

	assert_int_equal(bmc_sel_delete(&fx->bmc, 0, a, &id), -ESTALE);
	uint16_t r1 = bmc_sel_reserve(&fx->bmc);
	uint16_t r2 = bmc_sel_reserve(&fx->bmc);
	assert_int_not_equal(r1, r2);
	assert_int_equal(bmc_sel_delete(&fx->bmc, r1, a, &id), -ESTALE);
	assert_int_equal(bmc_sel_delete(&fx->bmc, r2, a, &id), 0);
	assert_int_equal(id, a);
	assert_int_equal(bmc_sel_delete(&fx->bmc, r2, b, &id), -ESTALE); /* used up */
	uint16_t r3 = bmc_sel_reserve(&fx->bmc);
	assert_int_equal(bmc_sel_delete(&fx->bmc, r3, a, &id), -ENOENT);
	assert_int_equal(bmc_sel_delete(&fx->bmc, r3, BMC_SEL_ID_LAST, &id), 0);
	assert_int_equal(id, c);
	uint16_t r4 = bmc_sel_reserve(&fx->bmc);
	(void)add_tagged(fx, 4);
	assert_int_equal(bmc_sel_delete(&fx->bmc, r4, b, &id), -ESTALE); /* the add cancelled it */
	assert_int_equal(sel_entries(fx), 3);
	assert_int_equal(bmc_sel_get(&fx->bmc, a, rec, &id), -ENOENT);
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	assert_int_not_equal(info.last_erase, BMC_SEL_TIME_NONE);
	assert_true(info.last_erase + 5 >= bmc_sel_time(&fx->bmc));
}

/* Clear: reservation checked; afterwards the only entry is "log area reset/cleared". */
static void t_clear(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t next = 0;
	struct bmc_sel_info info;

	for (int i = 0; i < 5; i++)
		(void)add_tagged(fx, (uint8_t)i);
	uint16_t stale = bmc_sel_reserve(&fx->bmc);
	(void)bmc_sel_reserve(&fx->bmc);
	assert_int_equal(bmc_sel_clear(&fx->bmc, stale), -ESTALE);
	assert_int_equal(sel_entries(fx), 6);
	assert_int_equal(bmc_sel_clear(&fx->bmc, fx->bmc.sel.reservation), 0);
	assert_false(bmc_sel_reservation_ok(&fx->bmc, fx->bmc.sel.reservation));
	assert_int_equal(sel_entries(fx), 1);
	get_record(fx, BMC_SEL_ID_FIRST, rec, &next);
	assert_int_equal(next, 0xFFFF);
	assert_internal_event(rec, 0x10, BMC_SENSOR_EVENT_LOG, BMC_EV_LOG_CLEARED, false);
	assert_int_equal(u16le(rec), 7); /* IDs continue after a clear */
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	assert_int_not_equal(info.last_erase, BMC_SEL_TIME_NONE);
	assert_false(info.overflow);
}

/* At capacity the SEL stops logging, refuses adds and sets the overflow flag until a clear. */
static void t_overflow(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	struct bmc_sel_info info;
	uint16_t id = 0;

	for (int i = 1; i < SMALL_CAPACITY; i++)
		(void)add_tagged(fx, (uint8_t)i);
	assert_int_equal(sel_entries(fx), SMALL_CAPACITY);
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	assert_false(info.overflow);
	uint32_t last_add = info.last_add;

	make_record(rec, 0x02, 0x99);
	assert_int_equal(bmc_sel_add(&fx->bmc, rec, &id), -ENOSPC);
	bmc_event_internal(&fx->bmc, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_OFF, false);
	const struct bmc_event ev = { 0x09, 0xE0, 0x6F, false, { 0, 0xFF, 0xFF }, 0, 0 };
	assert_int_equal(bmc_event_log(&fx->bmc, &ev), -ENOSPC);
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	assert_true(info.overflow);
	assert_int_equal(info.entries, SMALL_CAPACITY);
	assert_int_equal(info.last_add, last_add);

	/* Room again after a delete, but the flag says events were dropped. */
	assert_int_equal(bmc_sel_delete(&fx->bmc, bmc_sel_reserve(&fx->bmc), 2, &id), 0);
	assert_int_equal(bmc_sel_add(&fx->bmc, rec, &id), 0);
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	assert_true(info.overflow);
	assert_int_equal(bmc_sel_clear(&fx->bmc, bmc_sel_reserve(&fx->bmc)), 0);
	assert_int_equal(bmc_sel_info(&fx->bmc, &info), 0);
	assert_false(info.overflow);
	assert_int_equal(info.entries, 1);
}

/* IDs are not reused after a delete; past 0xFFFE they wrap to 1, skipping IDs in use. */
static void t_ids(void **state)
{
	struct fixture *fx = *state;
	uint16_t id = 0;
	uint16_t a = add_tagged(fx, 1);
	assert_int_equal(bmc_sel_delete(&fx->bmc, bmc_sel_reserve(&fx->bmc), a, &id), 0);
	assert_int_equal(add_tagged(fx, 2), a + 1);

	/* sel.state blob: version 1, next ID, overflow, last add, last erase. */
	const uint8_t st[] = { 1, 0xFD, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	assert_int_equal(store_set(fx->store, "sel.state", st, sizeof(st)), 0);
	assert_int_equal(add_tagged(fx, 3), 0xFFFD);
	assert_int_equal(add_tagged(fx, 4), 0xFFFE);
	assert_int_equal(add_tagged(fx, 5), 2); /* 1 is "BMC started", still there */
	assert_int_equal(add_tagged(fx, 6), 4); /* 3 is taken too */

	/* The walk follows append order, not ID order. */
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t next = 0;
	get_record(fx, 3, rec, &next);
	assert_int_equal(next, 0xFFFD);
	get_record(fx, 0xFFFE, rec, &next);
	assert_int_equal(next, 2);
	get_record(fx, BMC_SEL_ID_LAST, rec, &next);
	assert_int_equal(u16le(rec), 4);
	assert_int_equal(next, 0xFFFF);
}

/* Set SEL Time moves the SEL clock; records are stamped with it. */
static void t_clock(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	const uint32_t t = 1700000000;

	assert_int_equal(bmc_sel_set_time(&fx->bmc, t), 0);
	uint32_t now = bmc_sel_time(&fx->bmc);
	assert_true(now >= t && now <= t + 2);
	uint16_t id = add_tagged(fx, 1);
	get_record(fx, id, rec, NULL);
	assert_true(u32le(rec + 3) >= t && u32le(rec + 3) <= t + 2);
	assert_int_equal(fx->bmc.sel.utc_offset, BMC_SEL_UTC_OFFSET_UNSPECIFIED);
	assert_int_equal(bmc_sel_set_utc_offset(&fx->bmc, -300), 0);
	assert_int_equal(bmc_sel_set_utc_offset(&fx->bmc, 1441), -EINVAL);
	assert_int_equal(fx->bmc.sel.utc_offset, -300);
}

/* Records, the counter, the timestamps, the clock and the flag survive a restart. */
static void t_persistence(void **state)
{
	struct fixture *fx = *state;
	struct bmc_sel_info before, after;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	bool first = true;
	const uint32_t t = 1600000000;

	uint16_t a = add_tagged(fx, 0x11), b = add_tagged(fx, 0x22);
	assert_int_equal(bmc_sel_set_time(&fx->bmc, t), 0);
	assert_int_equal(bmc_sel_set_utc_offset(&fx->bmc, 60), 0);
	assert_int_equal(bmc_sel_info(&fx->bmc, &before), 0);

	store_close(fx->store);
	assert_int_equal(store_open(fx->dir, &fx->store, &first), 0);
	assert_false(first);
	bmc_restart(fx);
	assert_int_equal(bmc_sel_info(&fx->bmc, &after), 0);
	assert_int_equal(after.entries, before.entries + 1); /* "BMC started" again */
	assert_int_equal(after.last_erase, before.last_erase);
	get_record(fx, a, rec, NULL);
	assert_int_equal(rec[11], 0x11);
	get_record(fx, b, rec, NULL);
	assert_int_equal(rec[11], 0x22);
	assert_true(bmc_sel_time(&fx->bmc) >= t && bmc_sel_time(&fx->bmc) <= t + 5);
	assert_int_equal(fx->bmc.sel.utc_offset, 60);
	get_record(fx, BMC_SEL_ID_LAST, rec, NULL);
	assert_int_equal(u16le(rec), b + 1);
	assert_internal_event(rec, 0x12, BMC_SENSOR_SYSTEM_EVENT, BMC_EV_OEM_SYSTEM_BOOT, false);
}

/* The event path joins a caller's open transaction: a rollback takes the entry with it. */
static void t_event_in_caller_transaction(void **state)
{
	struct fixture *fx = *state;
	const struct bmc_event ev = { 0x01, 0x30, 0x01, false, { 0x59, 0x5B, 0x5A }, 0, 0 };
	uint8_t rec[BMC_SEL_RECORD_LEN];

	assert_int_equal(store_begin(fx->store), 0);
	int id = bmc_event_log(&fx->bmc, &ev);
	assert_true(id > 0);
	store_rollback(fx->store);
	assert_int_equal(sel_entries(fx), 1);

	assert_int_equal(store_begin(fx->store), 0);
	id = bmc_event_log(&fx->bmc, &ev);
	assert_true(id > 0);
	assert_int_equal(store_commit(fx->store), 0);
	get_record(fx, (uint16_t)id, rec, NULL);
	const uint8_t tail[] = { 0x20, 0x00, 0x04, 0x01, 0x30, 0x01, 0x59, 0x5B, 0x5A };
	assert_memory_equal(rec + 7, tail, sizeof(tail));

	fx->bmc.global_enables = 0x04; /* System Event Logging off */
	assert_int_equal(bmc_event_log(&fx->bmc, &ev), -EPERM);
	assert_int_equal(sel_entries(fx), 2);
}

/* Power on/off/cycle/reset through the chassis model are logged as the spec's events. */
static void t_power_events(void **state)
{
	struct fixture *fx = *state;
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t id = 2, next = 0;
	static const struct {
		uint8_t type, num, offset;
		bool deassert;
	} want[] = {
		{ 0x09, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_OFF, true },        /* on */
		{ 0x1D, BMC_SENSOR_SYSTEM_BOOT, BMC_EV_BOOT_POWER_UP, false },
		{ 0x09, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_OFF, false },       /* cycle: off */
		{ 0x09, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_OFF, true },        /* cycle: on */
		{ 0x1D, BMC_SENSOR_SYSTEM_BOOT, BMC_EV_BOOT_POWER_UP, false },
		{ 0x09, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_CYCLE, false },
		{ 0x1D, BMC_SENSOR_SYSTEM_BOOT, BMC_EV_BOOT_HARD_RESET, false }, /* reset */
		{ 0x09, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_OFF, false },       /* off */
	};

	assert_int_equal(bmc_chassis_control(&fx->bmc, 1, IPMI_CHANNEL_LAN), 0);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 2, IPMI_CHANNEL_LAN), 0);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 3, IPMI_CHANNEL_LAN), 0);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 0, IPMI_CHANNEL_LAN), 0);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 2, IPMI_CHANNEL_LAN), IPMI_CC_NOT_IN_STATE);
	assert_int_equal(sel_entries(fx), 1 + sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++, id = next) {
		get_record(fx, id, rec, &next);
		assert_internal_event(rec, want[i].type, want[i].num, want[i].offset,
				      want[i].deassert);
	}
	assert_int_equal(next, 0xFFFF);
}

/* ---- the IPMI commands ------------------------------------------------------------------ */

static void t_cmd_info(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	CALL0(fx, 0x40, &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 14);
	assert_int_equal(rsp.data[0], 0x51);
	assert_int_equal(u16le(rsp.data + 1), 1);
	assert_int_equal(u16le(rsp.data + 3), (SMALL_CAPACITY - 1) * 16);
	assert_int_not_equal(u32le(rsp.data + 5), 0xFFFFFFFF);
	assert_int_equal(u32le(rsp.data + 9), 0xFFFFFFFF);
	assert_int_equal(rsp.data[13], 0x0B);
	CALL(fx, 0x40, &rsp, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);

	CALL0(fx, 0x41, &rsp);
	assert_int_equal(rsp.cc, 0);
	const uint8_t alloc[] = { SMALL_CAPACITY, 0, 16, 0, SMALL_CAPACITY - 1, 0,
				  SMALL_CAPACITY - 1, 0, 1 };
	assert_int_equal(rsp.len, sizeof(alloc));
	assert_memory_equal(rsp.data, alloc, sizeof(alloc));

	/* Full: out of space (0xC4) and the overflow bit. */
	for (int i = 1; i < SMALL_CAPACITY; i++)
		(void)add_tagged(fx, 0);
	CALL(fx, 0x44, &rsp, 0, 0, 2, 0, 0, 0, 0, 0x41, 0, 4, 1, 1, 1, 0x57, 0x5A, 0x5C);
	assert_int_equal(rsp.cc, IPMI_CC_OUT_OF_SPACE);
	CALL0(fx, 0x40, &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(u16le(rsp.data + 1), SMALL_CAPACITY);
	assert_int_equal(u16le(rsp.data + 3), 0);
	assert_int_equal(rsp.data[13], 0x8B);
}

static void t_cmd_entry(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	CALL(fx, 0x44, &rsp, 0xAA, 0xBB, 2, 9, 9, 9, 9, 0x41, 0, 4, 1, 0x30, 1, 0x57, 0x5A, 0x5C);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	uint16_t id = u16le(rsp.data);
	assert_int_equal(id, 2);

	/* Whole record, reservation 0: next ID 0xFFFF, bytes as stored. */
	CALL(fx, 0x43, &rsp, 0, 0, 2, 0, 0, 0xFF);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 18);
	assert_int_equal(u16le(rsp.data), 0xFFFF);
	assert_int_equal(u16le(rsp.data + 2), 2);
	assert_int_equal(rsp.data[4], 0x02);
	assert_int_not_equal(u32le(rsp.data + 5), 0x09090909);
	const uint8_t tail[] = { 0x41, 0, 4, 1, 0x30, 1, 0x57, 0x5A, 0x5C };
	assert_memory_equal(rsp.data + 9, tail, sizeof(tail));
	/* First record's next is the added one. */
	CALL(fx, 0x43, &rsp, 0, 0, 0, 0, 0, 0xFF);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(u16le(rsp.data), 2);
	assert_int_equal(u16le(rsp.data + 2), 1);

	/* Partial read: a reservation is required at offset != 0. */
	CALL(fx, 0x43, &rsp, 0, 0, 2, 0, 7, 4);
	assert_int_equal(rsp.cc, IPMI_CC_RESERVATION);
	uint16_t r = reserve(fx);
	CALL(fx, 0x43, &rsp, (uint8_t)r, (uint8_t)(r >> 8), 2, 0, 7, 4);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 6);
	assert_memory_equal(rsp.data + 2, tail, 4);
	CALL(fx, 0x43, &rsp, (uint8_t)r, (uint8_t)(r >> 8), 2, 0, 12, 0xFF); /* to the end */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2 + 4);
	assert_memory_equal(rsp.data + 2, tail + 5, 4);
	CALL(fx, 0x43, &rsp, (uint8_t)r, (uint8_t)(r >> 8), 2, 0, 16, 1);
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);

	/* Missing record, short request, too little privilege. */
	CALL(fx, 0x43, &rsp, 0, 0, 0x34, 0x12, 0, 0xFF);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	CALL(fx, 0x43, &rsp, 0, 0, 0, 0, 0);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	const uint8_t add[16] = { 0, 0, 2 };
	call_priv(fx, IPMI_PRIV_USER, 0x44, add, sizeof(add), &rsp);
	assert_int_equal(rsp.cc, IPMI_CC_INSUFFICIENT_PRIV);
	assert_int_equal(sel_entries(fx), 2);
}

static void t_cmd_delete_clear(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;
	uint16_t a = add_tagged(fx, 1);

	/* Reserve twice, delete with the first: cancelled (0xC5), nothing deleted. */
	uint16_t r1 = reserve(fx);
	uint16_t r2 = reserve(fx);
	CALL(fx, 0x46, &rsp, (uint8_t)r1, (uint8_t)(r1 >> 8), (uint8_t)a, (uint8_t)(a >> 8));
	assert_int_equal(rsp.cc, IPMI_CC_RESERVATION);
	assert_int_equal(sel_entries(fx), 2);
	CALL(fx, 0x46, &rsp, (uint8_t)r2, (uint8_t)(r2 >> 8), (uint8_t)a, (uint8_t)(a >> 8));
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(u16le(rsp.data), a);
	uint16_t r3 = reserve(fx);
	CALL(fx, 0x46, &rsp, (uint8_t)r3, (uint8_t)(r3 >> 8), (uint8_t)a, (uint8_t)(a >> 8));
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);

	/* Clear: wrong "CLR" 0xCC, stale reservation 0xC5, then initiate and status. */
	CALL(fx, 0x47, &rsp, (uint8_t)r3, (uint8_t)(r3 >> 8), 'C', 'L', 'X', 0xAA);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	CALL(fx, 0x47, &rsp, (uint8_t)r3, (uint8_t)(r3 >> 8), 'C', 'L', 'R', 0x55);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	CALL(fx, 0x47, &rsp, (uint8_t)r1, (uint8_t)(r1 >> 8), 'C', 'L', 'R', 0xAA);
	assert_int_equal(rsp.cc, IPMI_CC_RESERVATION);
	assert_int_equal(sel_entries(fx), 1);
	(void)add_tagged(fx, 2);
	uint16_t r4 = reserve(fx);
	CALL(fx, 0x47, &rsp, (uint8_t)r4, (uint8_t)(r4 >> 8), 'C', 'L', 'R', 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[0], 0x01);
	assert_int_equal(sel_entries(fx), 2); /* status only */
	CALL(fx, 0x47, &rsp, (uint8_t)r4, (uint8_t)(r4 >> 8), 'C', 'L', 'R', 0xAA);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 1);
	assert_int_equal(rsp.data[0] & 0x0F, 0x01);
	assert_int_equal(sel_entries(fx), 1);
}

static void t_cmd_time(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	CALL(fx, 0x49, &rsp, 0x00, 0xF1, 0x53, 0x65); /* 0x6553F100 = 1700000000 */
	assert_int_equal(rsp.cc, 0);
	CALL0(fx, 0x48, &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 4);
	assert_true(u32le(rsp.data) >= 1700000000u && u32le(rsp.data) <= 1700000002u);
	const uint8_t set[4] = { 0 };
	call_priv(fx, IPMI_PRIV_USER, 0x49, set, sizeof(set), &rsp);
	assert_int_equal(rsp.cc, IPMI_CC_INSUFFICIENT_PRIV);

	CALL0(fx, 0x5C, &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(u16le(rsp.data), 0x7FFF);
	CALL(fx, 0x5D, &rsp, 0x88, 0xFF); /* -120 */
	assert_int_equal(rsp.cc, 0);
	CALL(fx, 0x5D, &rsp, 0xA1, 0x05); /* 1441 */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	CALL0(fx, 0x5C, &rsp);
	assert_int_equal(u16le(rsp.data), 0xFF88);
	CALL(fx, 0x45, &rsp, 0, 0, 0, 0, 0, 0); /* Partial Add: not supported */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_CMD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_started_event, setup, teardown),
		cmocka_unit_test_setup_teardown(t_add_get, setup, teardown),
		cmocka_unit_test_setup_teardown(t_delete_reservations, setup, teardown),
		cmocka_unit_test_setup_teardown(t_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(t_overflow, setup_small, teardown),
		cmocka_unit_test_setup_teardown(t_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(t_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(t_persistence, setup, teardown),
		cmocka_unit_test_setup_teardown(t_event_in_caller_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(t_power_events, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cmd_info, setup_small, teardown),
		cmocka_unit_test_setup_teardown(t_cmd_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cmd_delete_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cmd_time, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
