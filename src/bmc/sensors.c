/* Sensors (IPMI 2.0 §35, §36): the runtime side of every sensor of the profile — the reading
 * polled from the platform once a second, the thresholds, hysteresis and event enables in force,
 * and the evaluation that turns a threshold crossing or a discrete state change into exactly
 * one assertion (and later one deassertion) event on the one event path.
 *
 * Threshold events (IPMI 2.0 §29.7, §36.3): a lower threshold asserts its going-low offset when
 * the reading is at or below it and deasserts once the reading rises above threshold +
 * positive-going hysteresis; an upper threshold asserts its going-high offset at or above it
 * and deasserts below threshold − negative-going hysteresis. Event data 1 = 0x50 | offset
 * (trigger reading in data 2, the threshold in data 3). Discrete sensors log each offset that
 * changes (sensor-specific offsets, data 2/3 unspecified = 0xFF); the first state read after
 * start is the baseline, not an event. Sensors of the BMC's own (bmc/event.h) only report their
 * state: the modules that own them log their events.
 *
 * Host-powered sensors read "unavailable" while the server is off, and their event state is
 * frozen until power returns. Thresholds, hysteresis and event enables written by clients are
 * persisted as versioned blobs:
 *   sensor.N.thresholds  version, factor signature (6), raw LNC LCR LNR UNC UCR UNR
 *   sensor.N.hysteresis  version, factor signature (6), positive, negative
 *   sensor.N.events      version, flags (bit 7 events, bit 6 scanning), assertion and
 *                        deassertion enables (u16le each)
 * The factor signature (M, B, exponents, format) discards raw values stored under another
 * profile's reading factors. */
#include "bmc/sensors.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "bmc/event.h"
#include "bmc/sdr.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define BLOB_VERSION 1
#define EVENT_RECEIVER_BMC 0x20
#define EVENT_RECEIVER_DISABLED 0xFF
#define EVENT_DATA_UNSPECIFIED 0xFF
/* Threshold event data 1 (IPMI 2.0 table 29-6): bits 7:6 = 01 trigger reading in byte 2,
 * bits 5:4 = 01 trigger threshold in byte 3. */
#define EVENT_DATA1_THRESHOLD 0x50

/* ---- the default sensor set: a 1U two-socket compute server ----------------------------- */

#define THR(x) (1u << BMC_THR_##x)
#define THRESHOLD .event_type = BMC_EVENT_TYPE_THRESHOLD
#define DISCRETE .event_type = BMC_EVENT_TYPE_SENSOR_SPECIFIC

/* °C, 1 °C per count, two's complement (−128…127 °C). */
#define TEMP .sensor_type = 0x01, .unit = 1, .format = BMC_FORMAT_TWOS_COMPLEMENT, .m = 1, \
	     .hyst_pos = 2, .hyst_neg = 2
/* RPM, 100 RPM per count (0…25500). */
#define FAN(n) .name = "FAN" #n, .input = "fan.fan" #n ".rpm", .number = 0x0F + (n), \
	       .sensor_type = 0x04, .entity_id = 0x1D, .entity_instance = (n), \
	       .host_powered = true, THRESHOLD, .unit = 18, .m = 100, .hyst_pos = 1, .hyst_neg = 1, \
	       .readable = THR(LNC) | THR(LCR) | THR(LNR), .settable = THR(LNC) | THR(LCR), \
	       .thresholds = { [BMC_THR_LNC] = 1000, [BMC_THR_LCR] = 700, [BMC_THR_LNR] = 400 }
#define VOLT .sensor_type = 0x02, .unit = 4, .hyst_pos = 2, .hyst_neg = 2
/* Amps, 0.04 A per count (0…10.2 A). */
#define AMPS .sensor_type = 0x03, .unit = 5, .m = 4, .r_exp = -2, .hyst_pos = 2, .hyst_neg = 2
/* Watts: "other units-based sensor" (clients label type 0x0B in watts as power). */
#define WATTS .sensor_type = 0x0B, .unit = 6, .m = 4, .hyst_pos = 2, .hyst_neg = 2
#define UPPER2 .readable = THR(UNC) | THR(UCR), .settable = THR(UNC) | THR(UCR)
#define BOTH4 .readable = THR(LNC) | THR(LCR) | THR(UNC) | THR(UCR), \
	      .settable = THR(LNC) | THR(LCR) | THR(UNC) | THR(UCR)
#define CPU_TEMP(n) .name = "CPU" #n " Temp", .input = "temp.cpu" #n, .number = 0x01 + (n), \
		    TEMP, THRESHOLD, .entity_id = 0x03, .entity_instance = (n), \
		    .host_powered = true, .readable = THR(UNC) | THR(UCR) | THR(UNR), \
		    .settable = THR(UNC) | THR(UCR), \
		    .thresholds = { [BMC_THR_UNC] = 85, [BMC_THR_UCR] = 90, [BMC_THR_UNR] = 100 }
#define PSU_DEF(n) .entity_id = 0x0A, .entity_instance = (n), THRESHOLD, UPPER2

const struct bmc_sensor_def bmc_sensor_default_defs[] = {
	{ .name = "Inlet Temp", .input = "temp.inlet", .number = 0x01, TEMP, THRESHOLD,
	  .entity_id = 0x37, .entity_instance = 1, BOTH4,
	  .thresholds = { [BMC_THR_LNC] = 5, [BMC_THR_LCR] = 0, [BMC_THR_UNC] = 40,
			  [BMC_THR_UCR] = 45 },
	  .nominal = 23, .normal_min = 10, .normal_max = 35 },
	{ CPU_TEMP(1) },
	{ CPU_TEMP(2) },
	{ .name = "DIMM Temp", .input = "temp.dimm", .number = 0x04, TEMP, THRESHOLD,
	  .entity_id = 0x20, .entity_instance = 1, .host_powered = true, UPPER2,
	  .thresholds = { [BMC_THR_UNC] = 80, [BMC_THR_UCR] = 85 } },
	{ .name = "PCH Temp", .input = "temp.pch", .number = 0x05, TEMP, THRESHOLD,
	  .entity_id = 0x07, .entity_instance = 1, .host_powered = true, UPPER2,
	  .thresholds = { [BMC_THR_UNC] = 80, [BMC_THR_UCR] = 90 } },
	{ .name = "Exhaust Temp", .input = "temp.exhaust", .number = 0x06, TEMP, THRESHOLD,
	  .entity_id = 0x07, .entity_instance = 2, UPPER2,
	  .thresholds = { [BMC_THR_UNC] = 65, [BMC_THR_UCR] = 70 } },
	{ .name = "VRM Temp", .input = "temp.vrm", .number = 0x07, TEMP, THRESHOLD,
	  .entity_id = 0x14, .entity_instance = 1, .host_powered = true, UPPER2,
	  .thresholds = { [BMC_THR_UNC] = 95, [BMC_THR_UCR] = 100 } },
	{ FAN(1) }, { FAN(2) }, { FAN(3) }, { FAN(4) }, { FAN(5) }, { FAN(6) },
	/* 12 V: 0.06 V per count, so 12.0 / ±5 % / ±10 % fall on exact counts. */
	{ .name = "12V", .input = "volt.12v", .number = 0x20, VOLT, THRESHOLD, .m = 6, .r_exp = -2,
	  .entity_id = 0x07, .entity_instance = 1, .host_powered = true, BOTH4,
	  .thresholds = { [BMC_THR_LNC] = 11.4, [BMC_THR_LCR] = 10.8, [BMC_THR_UNC] = 12.6,
			  [BMC_THR_UCR] = 13.2 },
	  .nominal = 12, .normal_min = 11.4, .normal_max = 12.6 },
	/* 5 V: 0.025 V per count. */
	{ .name = "5V", .input = "volt.5v", .number = 0x21, VOLT, THRESHOLD, .m = 25, .r_exp = -3,
	  .entity_id = 0x07, .entity_instance = 1, .host_powered = true, BOTH4,
	  .thresholds = { [BMC_THR_LNC] = 4.75, [BMC_THR_LCR] = 4.5, [BMC_THR_UNC] = 5.25,
			  [BMC_THR_UCR] = 5.5 },
	  .nominal = 5, .normal_min = 4.75, .normal_max = 5.25 },
	/* 3.3 V: 0.015 V per count. */
	{ .name = "3.3V", .input = "volt.3v3", .number = 0x22, VOLT, THRESHOLD, .m = 15,
	  .r_exp = -3, .entity_id = 0x07, .entity_instance = 1, .host_powered = true, BOTH4,
	  .thresholds = { [BMC_THR_LNC] = 3.135, [BMC_THR_LCR] = 2.97, [BMC_THR_UNC] = 3.465,
			  [BMC_THR_UCR] = 3.63 },
	  .nominal = 3.3, .normal_min = 3.135, .normal_max = 3.465 },
	/* The CMOS battery: standby, thresholds fixed by the vendor. */
	{ .name = "VBAT", .input = "volt.vbat", .number = 0x23, VOLT, THRESHOLD, .m = 2,
	  .r_exp = -2, .entity_id = 0x07, .entity_instance = 1, .readable = THR(LNC) | THR(LCR),
	  .thresholds = { [BMC_THR_LNC] = 2.6, [BMC_THR_LCR] = 2.4 } },
	{ .name = "PSU1 Current", .input = "current.psu1.in", .number = 0x28, AMPS, PSU_DEF(1),
	  .thresholds = { [BMC_THR_UNC] = 9, [BMC_THR_UCR] = 10 } },
	{ .name = "PSU2 Current", .input = "current.psu2.in", .number = 0x29, AMPS, PSU_DEF(2),
	  .thresholds = { [BMC_THR_UNC] = 9, [BMC_THR_UCR] = 10 } },
	{ .name = "PSU1 Input Power", .input = "power.psu1.in", .number = 0x30, WATTS, PSU_DEF(1),
	  .thresholds = { [BMC_THR_UNC] = 720, [BMC_THR_UCR] = 800 } },
	{ .name = "PSU2 Input Power", .input = "power.psu2.in", .number = 0x31, WATTS, PSU_DEF(2),
	  .thresholds = { [BMC_THR_UNC] = 720, [BMC_THR_UCR] = 800 } },
	{ .name = "Total Power", .input = "power.total", .number = 0x32, WATTS, THRESHOLD,
	  .entity_id = 0x17, .entity_instance = 1, UPPER2,
	  .thresholds = { [BMC_THR_UNC] = 900, [BMC_THR_UCR] = 1000 } },
	/* Power supply: presence, failure, predictive failure, input lost. */
	{ .name = "PSU1 Status", .input = "psu.psu1.state", .number = 0x40, .sensor_type = 0x08,
	  DISCRETE, .entity_id = 0x0A, .entity_instance = 1, .states = 0x000F },
	{ .name = "PSU2 Status", .input = "psu.psu2.state", .number = 0x41, .sensor_type = 0x08,
	  DISCRETE, .entity_id = 0x0A, .entity_instance = 2, .states = 0x000F },
	/* Power supply redundancy (event type 0x0B): fully redundant, redundancy lost. */
	{ .name = "PSU Redundancy", .input = "psu.redundancy", .number = 0x48,
	  .sensor_type = 0x09, .event_type = 0x0B, .entity_id = 0x0A, .entity_instance = 3,
	  .states = 0x0003 },
	/* Processor: IERR, thermal trip, presence, throttled. */
	{ .name = "CPU1 Status", .input = "cpu.cpu1.state", .number = 0x42, .sensor_type = 0x07,
	  DISCRETE, .entity_id = 0x03, .entity_instance = 1, .states = 0x0483 },
	{ .name = "CPU2 Status", .input = "cpu.cpu2.state", .number = 0x43, .sensor_type = 0x07,
	  DISCRETE, .entity_id = 0x03, .entity_instance = 2, .states = 0x0483 },
	/* Memory: correctable ECC, uncorrectable ECC, presence. */
	{ .name = "Memory Status", .input = "memory.state", .number = 0x44, .sensor_type = 0x0C,
	  DISCRETE, .entity_id = 0x20, .entity_instance = 1, .states = 0x0043 },
	/* ID strings hold 16 characters: the vendors' short form of "Chassis Intrusion". */
	{ .name = "Chassis Intru", .input = "chassis.intrusion", .number = 0x45,
	  .sensor_type = 0x05, DISCRETE, .entity_id = 0x17, .entity_instance = 1,
	  .states = 0x0001 },
	/* Drive slot: presence, fault, predictive failure. */
	{ .name = "Drive 0", .input = "drive.0.state", .number = 0x46, .sensor_type = 0x0D,
	  DISCRETE, .entity_id = 0x04, .entity_instance = 1, .states = 0x0007 },
	{ .name = "Drive 1", .input = "drive.1.state", .number = 0x47, .sensor_type = 0x0D,
	  DISCRETE, .entity_id = 0x04, .entity_instance = 2, .states = 0x0007 },
	/* The BMC's own sensors (bmc/event.h): their modules log the events. */
	{ .name = "Power Unit", .input = "bmc.power_unit", .number = BMC_SENSOR_POWER_UNIT,
	  .sensor_type = 0x09, DISCRETE, .entity_id = 0x15, .entity_instance = 1,
	  .bmc_events = true, .states = 0x0013 },
	{ .name = "Watchdog", .input = "bmc.watchdog", .number = BMC_SENSOR_WATCHDOG,
	  .sensor_type = 0x23, DISCRETE, .entity_id = 0x2E, .entity_instance = 1,
	  .bmc_events = true, .states = 0x010F },
	{ .name = "Event Log", .input = "bmc.event_log", .number = BMC_SENSOR_EVENT_LOG,
	  .sensor_type = 0x10, DISCRETE, .entity_id = 0x2E, .entity_instance = 1,
	  .bmc_events = true, .states = 0x0034 },
	{ .name = "System Event", .input = "bmc.system_event", .number = BMC_SENSOR_SYSTEM_EVENT,
	  .sensor_type = 0x12, DISCRETE, .entity_id = 0x2E, .entity_instance = 1,
	  .bmc_events = true, .states = 0x003F },
	{ .name = "System Boot", .input = "bmc.system_boot", .number = BMC_SENSOR_SYSTEM_BOOT,
	  .sensor_type = 0x1D, DISCRETE, .entity_id = 0x2E, .entity_instance = 1,
	  .bmc_events = true, .states = 0x00FF },
};
const size_t bmc_sensor_default_defs_n =
	sizeof(bmc_sensor_default_defs) / sizeof(bmc_sensor_default_defs[0]);

/* ---- reading conversion (records.md §2.2) ------------------------------------------------ */

/* 10^e for the small exponents of the SDR, exact for e ≥ 0. */
static double pow10i(int e)
{
	double r = 1.0;
	for (int i = 0; i < e; i++)
		r *= 10.0;
	for (int i = 0; i > e; i--)
		r /= 10.0;
	return r;
}

static long round_half_away(double x)
{
	return x < 0 ? (long)(x - 0.5) : (long)(x + 0.5);
}

int bmc_sensor_raw_int(const struct bmc_sensor_def *d, uint8_t raw)
{
	switch (d->format) {
	case BMC_FORMAT_TWOS_COMPLEMENT:
		return (int8_t)raw;
	case BMC_FORMAT_ONES_COMPLEMENT:
		return raw & 0x80 ? -(int)(uint8_t)~raw : raw;
	default:
		return raw;
	}
}

/* The raw byte of an integer in the format's range (clamped). */
static uint8_t int_to_raw(const struct bmc_sensor_def *d, long x)
{
	long lo = 0, hi = 255;

	if (d->format == BMC_FORMAT_TWOS_COMPLEMENT) {
		lo = -128;
		hi = 127;
	} else if (d->format == BMC_FORMAT_ONES_COMPLEMENT) {
		lo = -127;
		hi = 127;
	}
	x = x < lo ? lo : x > hi ? hi : x;
	if (x >= 0)
		return (uint8_t)x;
	return d->format == BMC_FORMAT_ONES_COMPLEMENT ? (uint8_t)~(uint8_t)-x : (uint8_t)x;
}

double bmc_sensor_from_raw(const struct bmc_sensor_def *d, uint8_t raw)
{
	double x = bmc_sensor_raw_int(d, raw);
	return ((double)d->m * x + (double)d->b * pow10i(d->b_exp)) * pow10i(d->r_exp);
}

uint8_t bmc_sensor_to_raw(const struct bmc_sensor_def *d, double value)
{
	if (d->m == 0)
		return 0;
	double x = (value / pow10i(d->r_exp) - (double)d->b * pow10i(d->b_exp)) / (double)d->m;
	return int_to_raw(d, round_half_away(x));
}

double bmc_sensor_lsb(const struct bmc_sensor_def *d)
{
	double m = d->m < 0 ? -(double)d->m : (double)d->m;
	return m * pow10i(d->r_exp);
}

uint16_t bmc_sensor_event_mask(const struct bmc_sensor_def *d)
{
	uint16_t mask = 0;

	if (!bmc_sensor_is_threshold(d))
		return d->states & 0x7FFF;
	/* Offsets (records.md §4): lower threshold n going low = 2n, upper going high = 2n + 1. */
	for (int i = 0; i < BMC_THR_MAX; i++) {
		if (d->readable & (1u << i))
			mask |= (uint16_t)(1u << (i < BMC_THR_UNC ? 2 * i : 2 * i + 1));
	}
	return mask;
}

/* ---- lookup ------------------------------------------------------------------------------- */

struct bmc_sensor *bmc_sensor_find(struct bmc *bmc, uint8_t number)
{
	for (size_t i = 0; i < bmc->sensors.n; i++) {
		if (bmc->sensors.s[i].def->number == number)
			return &bmc->sensors.s[i];
	}
	return NULL;
}

static struct bmc_sensor *find_kind(struct bmc *bmc, uint8_t number, bool threshold, int *ret_err)
{
	struct bmc_sensor *s = bmc_sensor_find(bmc, number);

	if (!s)
		*ret_err = -ENOENT;
	else if (threshold && !bmc_sensor_is_threshold(s->def))
		*ret_err = -EOPNOTSUPP;
	else
		return s;
	return NULL;
}

/* ---- persistence -------------------------------------------------------------------------- */

static void key_of(char *key, size_t cap, const struct bmc_sensor *s, const char *what)
{
	snprintf(key, cap, "sensor.%u.%s", s->def->number, what);
}

static void put_signature(struct wbuf *w, const struct bmc_sensor_def *d)
{
	wbuf_u16le(w, (uint16_t)d->m);
	wbuf_u16le(w, (uint16_t)d->b);
	wbuf_u8(w, (uint8_t)((d->r_exp & 0x0F) << 4 | (d->b_exp & 0x0F)));
	wbuf_u8(w, d->format);
}

static bool signature_matches(struct rbuf *r, const struct bmc_sensor_def *d)
{
	uint8_t want[6], got[6];
	struct wbuf w = wbuf_init(want, sizeof(want));

	put_signature(&w, d);
	rbuf_copy(r, got, sizeof(got));
	return !r->err && memcmp(want, got, sizeof(want)) == 0;
}

static int blob_save(struct bmc *bmc, const struct bmc_sensor *s, const char *what,
		     const struct wbuf *w)
{
	char key[40];

	if (w->err)
		return -EOVERFLOW;
	key_of(key, sizeof(key), s, what);
	return store_set(bmc->store, key, w->p, w->len);
}

static int save_thresholds(struct bmc *bmc, const struct bmc_sensor *s)
{
	uint8_t buf[16];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u8(&w, BLOB_VERSION);
	put_signature(&w, s->def);
	wbuf_bytes(&w, s->thr, BMC_THR_MAX);
	return blob_save(bmc, s, "thresholds", &w);
}

static int save_hysteresis(struct bmc *bmc, const struct bmc_sensor *s)
{
	uint8_t buf[16];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u8(&w, BLOB_VERSION);
	put_signature(&w, s->def);
	wbuf_u8(&w, s->hyst_pos);
	wbuf_u8(&w, s->hyst_neg);
	return blob_save(bmc, s, "hysteresis", &w);
}

static int save_events(struct bmc *bmc, const struct bmc_sensor *s)
{
	uint8_t buf[8];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u8(&w, (uint8_t)((s->events_enabled ? 0x80 : 0) | (s->scanning_enabled ? 0x40 : 0)));
	wbuf_u16le(&w, s->assert_enabled);
	wbuf_u16le(&w, s->deassert_enabled);
	return blob_save(bmc, s, "events", &w);
}

/* A reader past the version byte; -ENOENT if absent, -EBADMSG if not ours. */
static int blob_load(struct bmc *bmc, const struct bmc_sensor *s, const char *what,
		     uint8_t *buf, size_t cap, struct rbuf *ret)
{
	char key[40];
	size_t len = 0;

	key_of(key, sizeof(key), s, what);
	int r = store_get(bmc->store, key, buf, cap, &len);
	if (r < 0)
		return r;
	if (len > cap)
		return -EBADMSG;
	*ret = rbuf_init(buf, len);
	if (rbuf_u8(ret) != BLOB_VERSION || ret->err)
		return -EBADMSG;
	return 0;
}

static int load_thresholds(struct bmc *bmc, struct bmc_sensor *s)
{
	uint8_t buf[16], thr[BMC_THR_MAX];
	struct rbuf r;
	int e = blob_load(bmc, s, "thresholds", buf, sizeof(buf), &r);

	if (e < 0)
		return e;
	if (!signature_matches(&r, s->def))
		return -EBADMSG;
	rbuf_copy(&r, thr, sizeof(thr));
	if (r.err || rbuf_left(&r) != 0)
		return -EBADMSG;
	memcpy(s->thr, thr, sizeof(thr));
	return 0;
}

static int load_hysteresis(struct bmc *bmc, struct bmc_sensor *s)
{
	uint8_t buf[16];
	struct rbuf r;
	int e = blob_load(bmc, s, "hysteresis", buf, sizeof(buf), &r);

	if (e < 0)
		return e;
	if (!signature_matches(&r, s->def))
		return -EBADMSG;
	uint8_t pos = rbuf_u8(&r), neg = rbuf_u8(&r);
	if (r.err || rbuf_left(&r) != 0)
		return -EBADMSG;
	s->hyst_pos = pos;
	s->hyst_neg = neg;
	return 0;
}

static int load_events(struct bmc *bmc, struct bmc_sensor *s)
{
	uint8_t buf[8];
	struct rbuf r;
	int e = blob_load(bmc, s, "events", buf, sizeof(buf), &r);

	if (e < 0)
		return e;
	uint8_t flags = rbuf_u8(&r);
	uint16_t as = rbuf_u16le(&r), de = rbuf_u16le(&r);
	if (r.err || rbuf_left(&r) != 0)
		return -EBADMSG;
	uint16_t supported = bmc_sensor_event_mask(s->def);
	s->events_enabled = flags & 0x80;
	s->scanning_enabled = flags & 0x40;
	s->assert_enabled = as & supported;
	s->deassert_enabled = de & supported;
	return 0;
}

static void load_one(struct bmc *bmc, struct bmc_sensor *s, const char *what,
		     int (*load)(struct bmc *, struct bmc_sensor *))
{
	int r = load(bmc, s);

	if (r < 0 && r != -ENOENT)
		log_warn("%s: sensor %u (%s): stored %s unusable (%s), using the defaults",
			 bmc->name, s->def->number, s->def->name, what, strerror(-r));
}

/* ---- init --------------------------------------------------------------------------------- */

static void sensor_defaults(struct bmc_sensor *s, const struct bmc_sensor_def *d)
{
	uint16_t supported = bmc_sensor_event_mask(d);

	*s = (struct bmc_sensor){ .def = d, .events_enabled = true, .scanning_enabled = true,
				  .assert_enabled = supported, .deassert_enabled = supported };
	if (!bmc_sensor_is_threshold(d))
		return;
	for (int i = 0; i < BMC_THR_MAX; i++) {
		if (d->readable & (1u << i))
			s->thr[i] = bmc_sensor_to_raw(d, d->thresholds[i]);
	}
	s->hyst_pos = d->hyst_pos;
	s->hyst_neg = d->hyst_neg;
}

int bmc_sensors_init(struct bmc *bmc)
{
	struct bmc_sensors *ss = &bmc->sensors;

	if (!ss->defs) {
		ss->defs = bmc_sensor_default_defs;
		ss->n_defs = bmc_sensor_default_defs_n;
	}
	if (ss->n_defs > BMC_SENSORS_MAX)
		return -E2BIG;
	if (!ss->log_event)
		ss->log_event = bmc_event_log;
	ss->event_receiver = EVENT_RECEIVER_BMC;
	ss->event_receiver_lun = 0;
	ss->n = ss->n_defs;
	for (size_t i = 0; i < ss->n; i++) {
		struct bmc_sensor *s = &ss->s[i];
		sensor_defaults(s, &ss->defs[i]);
		if (bmc_sensor_is_threshold(s->def)) {
			load_one(bmc, s, "thresholds", load_thresholds);
			load_one(bmc, s, "hysteresis", load_hysteresis);
		}
		load_one(bmc, s, "event enables", load_events);
	}
	bmc_sdr_init(bmc);
	bmc_sensors_poll(bmc);
	ss->next_poll = now_monotonic() + BMC_SENSOR_POLL_INTERVAL;
	return 0;
}

/* ---- polling and evaluation --------------------------------------------------------------- */

static bool host_on(struct bmc *bmc)
{
	return bmc_chassis_power_is_on(bmc);
}

/* The BMC's own inputs ("bmc.*"): states it knows without asking the platform. */
static int bmc_input_read(struct bmc *bmc, const char *name, double *ret_value)
{
	if (strcmp(name, "bmc.power_unit") == 0) {
		*ret_value = host_on(bmc) ? 0 : 0x01; /* offset 0: power off / down */
		return 0;
	}
	if (strncmp(name, "bmc.", 4) == 0) {
		*ret_value = 0; /* event-driven sensors: nothing asserted at rest */
		return 0;
	}
	return -ENOENT;
}

static int input_read(struct bmc *bmc, const struct bmc_sensor_def *d, double *ret_value)
{
	if (d->host_powered && !host_on(bmc))
		return -ENODATA;
	if (strncmp(d->input, "bmc.", 4) == 0)
		return bmc_input_read(bmc, d->input, ret_value);
	return platform_sensor_read(bmc->platform, d->input, ret_value);
}

/* data1_flags: event data 1 bits 7:4, what bytes 2 and 3 hold (IPMI 2.0 table 29-6). */
static void emit(struct bmc *bmc, struct bmc_sensor *s, uint8_t offset, bool assert,
		 uint8_t data1_flags, uint8_t data2, uint8_t data3)
{
	const struct bmc_sensor_def *d = s->def;
	uint16_t bit = (uint16_t)(1u << offset);

	if (assert) {
		s->assert_status |= bit;
		s->deassert_status &= (uint16_t)~bit;
	} else {
		s->deassert_status |= bit;
		s->assert_status &= (uint16_t)~bit;
	}
	if (d->bmc_events || !s->events_enabled ||
	    bmc->sensors.event_receiver == EVENT_RECEIVER_DISABLED ||
	    !((assert ? s->assert_enabled : s->deassert_enabled) & bit))
		return;
	struct bmc_event ev = {
		.sensor_type = d->sensor_type,
		.sensor_num = d->number,
		.event_type = d->event_type,
		.deassertion = !assert,
		.data = { (uint8_t)(data1_flags | offset), data2, data3 },
	};
	int r = bmc->sensors.log_event(bmc, &ev);
	if (r < 0 && r != -ENOSPC && r != -EPERM) /* SEL full, or logging disabled: by design */
		log_warn("%s: sensor %s: event offset %u %s not logged: %s", bmc->name, d->name,
			 offset, assert ? "assertion" : "deassertion", strerror(-r));
}

/* Direct comparison (Get Sensor Reading byte 4): at or below a lower, at or above an upper. */
static uint16_t threshold_comparison(const struct bmc_sensor *s)
{
	const struct bmc_sensor_def *d = s->def;
	int v = bmc_sensor_raw_int(d, s->raw);
	uint16_t bits = 0;

	for (int i = 0; i < BMC_THR_MAX; i++) {
		int t = bmc_sensor_raw_int(d, s->thr[i]);
		if ((d->readable & (1u << i)) && (i < BMC_THR_UNC ? v <= t : v >= t))
			bits |= (uint16_t)(1u << i);
	}
	return bits;
}

/* Whether threshold i's event stays or becomes asserted at reading v (hysteresis applied to
 * the way back, IPMI 2.0 §36.3). */
static bool threshold_asserted(const struct bmc_sensor *s, int i, int v, bool was)
{
	int t = bmc_sensor_raw_int(s->def, s->thr[i]);

	if (i < BMC_THR_UNC)
		return was ? v <= t + s->hyst_pos : v <= t;
	return was ? v >= t - s->hyst_neg : v >= t;
}

static void threshold_evaluate(struct bmc *bmc, struct bmc_sensor *s)
{
	const struct bmc_sensor_def *d = s->def;
	int v = bmc_sensor_raw_int(d, s->raw);

	s->state = threshold_comparison(s);
	for (int i = 0; i < BMC_THR_MAX; i++) {
		if (!(d->readable & (1u << i)))
			continue;
		uint8_t offset = (uint8_t)(i < BMC_THR_UNC ? 2 * i : 2 * i + 1);
		uint16_t bit = (uint16_t)(1u << offset);
		bool was = s->asserted & bit;
		bool now = threshold_asserted(s, i, v, was);
		if (now == was)
			continue;
		s->asserted ^= bit;
		emit(bmc, s, offset, now, EVENT_DATA1_THRESHOLD, s->raw, s->thr[i]);
	}
}

/* A discrete event, with the extension bytes the platform gives for this offset (bits 7:6 = 11
 * sensor-specific data in byte 2, bits 5:4 = 11 in byte 3). */
static void discrete_emit(struct bmc *bmc, struct bmc_sensor *s, uint8_t off, bool assert)
{
	uint8_t d2 = EVENT_DATA_UNSPECIFIED, d3 = EVENT_DATA_UNSPECIFIED, flags = 0;

	if (platform_sensor_event_data(bmc->platform, s->def->input, off, &d2, &d3) == 0)
		flags = (uint8_t)((d2 != EVENT_DATA_UNSPECIFIED ? 0xC0 : 0) |
				  (d3 != EVENT_DATA_UNSPECIFIED ? 0x30 : 0));
	else
		d2 = d3 = EVENT_DATA_UNSPECIFIED;
	emit(bmc, s, off, assert, flags, d2, d3);
}

static void discrete_evaluate(struct bmc *bmc, struct bmc_sensor *s, uint16_t state)
{
	s->state = state & s->def->states;
	if (!s->seen) {
		s->seen = true; /* the baseline */
		s->asserted = s->state;
		s->assert_status = s->state;
		return;
	}
	uint16_t changed = s->state ^ s->asserted;
	for (uint8_t off = 0; off < 15; off++) {
		uint16_t bit = (uint16_t)(1u << off);
		if (!(changed & bit))
			continue;
		s->asserted ^= bit;
		discrete_emit(bmc, s, off, s->state & bit);
	}
}

static void sensor_poll(struct bmc *bmc, struct bmc_sensor *s)
{
	const struct bmc_sensor_def *d = s->def;
	double v = 0;

	if (!s->scanning_enabled)
		return;
	if (input_read(bmc, d, &v) < 0) {
		s->available = false; /* event state frozen until the reading returns */
		return;
	}
	s->available = true;
	if (bmc_sensor_is_threshold(d)) {
		s->raw = bmc_sensor_to_raw(d, v);
		threshold_evaluate(bmc, s);
	} else {
		discrete_evaluate(bmc, s, v < 0 ? 0 : (uint16_t)v);
	}
}

void bmc_sensors_poll(struct bmc *bmc)
{
	bmc->sensors.polled_power_on = host_on(bmc);
	for (size_t i = 0; i < bmc->sensors.n; i++)
		sensor_poll(bmc, &bmc->sensors.s[i]);
}

void bmc_sensors_tick(struct bmc *bmc, usec_t now)
{
	struct bmc_sensors *ss = &bmc->sensors;

	if (now < ss->next_poll && host_on(bmc) == ss->polled_power_on)
		return;
	ss->next_poll = now + BMC_SENSOR_POLL_INTERVAL;
	bmc_sensors_poll(bmc);
}

/* ---- the operations behind the Sensor/Event commands --------------------------------------- */

int bmc_sensor_get_reading(struct bmc *bmc, uint8_t number, struct bmc_sensor_reading *ret)
{
	const struct bmc_sensor *s = bmc_sensor_find(bmc, number);

	if (!s)
		return -ENOENT;
	*ret = (struct bmc_sensor_reading){
		.raw = s->available ? s->raw : 0,
		.unavailable = !s->available,
		.events_enabled = s->events_enabled,
		.scanning_enabled = s->scanning_enabled,
		.state = s->available ? s->state : 0,
	};
	return 0;
}

/* LNR ≤ LCR ≤ LNC ≤ UNC ≤ UCR ≤ UNR among the thresholds that exist. */
static bool thresholds_ordered(const struct bmc_sensor_def *d, const uint8_t thr[BMC_THR_MAX])
{
	static const enum bmc_threshold order[] = { BMC_THR_LNR, BMC_THR_LCR, BMC_THR_LNC,
						     BMC_THR_UNC, BMC_THR_UCR, BMC_THR_UNR };
	bool have_prev = false;
	int prev = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(d->readable & (1u << order[i])))
			continue;
		int v = bmc_sensor_raw_int(d, thr[order[i]]);
		if (have_prev && v < prev)
			return false;
		prev = v;
		have_prev = true;
	}
	return true;
}

int bmc_sensor_set_thresholds(struct bmc *bmc, uint8_t number, uint8_t mask,
			      const uint8_t raw[static BMC_THR_MAX])
{
	int err = 0;
	struct bmc_sensor *s = find_kind(bmc, number, true, &err);
	uint8_t old[BMC_THR_MAX], next[BMC_THR_MAX];

	if (!s)
		return err;
	if (mask & ~((1u << BMC_THR_MAX) - 1))
		return -EINVAL;
	if (mask & ~s->def->settable)
		return -EPERM;
	memcpy(old, s->thr, sizeof(old));
	memcpy(next, s->thr, sizeof(next));
	for (int i = 0; i < BMC_THR_MAX; i++) {
		if (mask & (1u << i))
			next[i] = raw[i];
	}
	if (!thresholds_ordered(s->def, next))
		return -EINVAL;
	if (mask == 0)
		return 0;
	memcpy(s->thr, next, sizeof(next));
	if (save_thresholds(bmc, s) < 0) {
		memcpy(s->thr, old, sizeof(old));
		return -EIO;
	}
	if (s->available)
		s->state = threshold_comparison(s); /* events follow at the next poll */
	return 0;
}

int bmc_sensor_set_hysteresis(struct bmc *bmc, uint8_t number, uint8_t pos, uint8_t neg)
{
	int err = 0;
	struct bmc_sensor *s = find_kind(bmc, number, true, &err);

	if (!s)
		return err;
	uint8_t old_pos = s->hyst_pos, old_neg = s->hyst_neg;
	s->hyst_pos = pos;
	s->hyst_neg = neg;
	if (save_hysteresis(bmc, s) < 0) {
		s->hyst_pos = old_pos;
		s->hyst_neg = old_neg;
		return -EIO;
	}
	return 0;
}

static uint16_t apply_op(uint16_t cur, enum bmc_enables_op op, uint16_t mask)
{
	if (op == BMC_ENABLES_SELECT)
		return cur | mask;
	if (op == BMC_ENABLES_DESELECT)
		return cur & (uint16_t)~mask;
	return cur;
}

int bmc_sensor_set_event_enable(struct bmc *bmc, uint8_t number, bool events, bool scanning,
				enum bmc_enables_op op, uint16_t assert_mask,
				uint16_t deassert_mask)
{
	struct bmc_sensor *s = bmc_sensor_find(bmc, number);

	if (!s)
		return -ENOENT;
	if (op != BMC_ENABLES_KEEP && op != BMC_ENABLES_SELECT && op != BMC_ENABLES_DESELECT)
		return -EINVAL;
	struct bmc_sensor old = *s;
	uint16_t supported = bmc_sensor_event_mask(s->def);
	s->events_enabled = events;
	s->scanning_enabled = scanning;
	s->assert_enabled = apply_op(s->assert_enabled, op, assert_mask & supported);
	s->deassert_enabled = apply_op(s->deassert_enabled, op, deassert_mask & supported);
	if (save_events(bmc, s) < 0) {
		*s = old;
		return -EIO;
	}
	return 0;
}

int bmc_sensor_rearm(struct bmc *bmc, uint8_t number, bool selective, uint16_t assert_mask,
		     uint16_t deassert_mask)
{
	struct bmc_sensor *s = bmc_sensor_find(bmc, number);

	if (!s)
		return -ENOENT;
	uint16_t mask = selective ? (uint16_t)(assert_mask | deassert_mask) : 0xFFFF;
	s->asserted &= (uint16_t)~mask;
	s->assert_status &= (uint16_t)~mask;
	s->deassert_status &= (uint16_t)~mask;
	return 0;
}

/* ---- DCMI ---------------------------------------------------------------------------------- */

int bmc_sensors_power_watts(struct bmc *bmc, double *ret_watts)
{
	double w = 0;

	if (platform_sensor_read(bmc->platform, "power.total", &w) < 0)
		return -ENODATA;
	*ret_watts = w;
	return 0;
}

uint8_t bmc_sensors_chassis_faults(struct bmc *bmc)
{
	uint8_t bits = 0;

	for (size_t i = 0; i < bmc->sensors.n; i++) {
		const struct bmc_sensor *s = &bmc->sensors.s[i];
		const struct bmc_sensor_def *d = s->def;
		if (!s->available)
			continue;
		if (d->sensor_type == 0x05 && !bmc_sensor_is_threshold(d) && (s->state & 0x01))
			bits |= BMC_CHASSIS_INTRUSION;  /* offset 0: general chassis intrusion */
		if (d->sensor_type == 0x0D && !bmc_sensor_is_threshold(d) && (s->state & 0x02))
			bits |= BMC_CHASSIS_DRIVE_FAULT; /* offset 1: drive fault */
		if (d->sensor_type == 0x04 && bmc_sensor_is_threshold(d) &&
		    (s->state & (1u << BMC_THR_LCR | 1u << BMC_THR_LNR)))
			bits |= BMC_CHASSIS_FAN_FAULT;   /* a fan at or below lower critical */
	}
	return bits;
}

size_t bmc_sensors_temperatures(struct bmc *bmc, uint8_t entity_id, struct bmc_temp_reading *out,
				size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < bmc->sensors.n && n < cap; i++) {
		const struct bmc_sensor *s = &bmc->sensors.s[i];
		const struct bmc_sensor_def *d = s->def;
		if (d->sensor_type != 0x01 || !bmc_sensor_is_threshold(d) || d->entity_id != entity_id)
			continue;
		out[n++] = (struct bmc_temp_reading){
			.entity_id = d->entity_id,
			.entity_instance = d->entity_instance,
			.celsius = (int16_t)round_half_away(bmc_sensor_from_raw(d, s->raw)),
			.valid = s->available && s->scanning_enabled,
			.sensor_num = d->number,
		};
	}
	return n;
}
