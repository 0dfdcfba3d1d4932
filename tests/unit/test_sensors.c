/* Unit tests of the sensor model (bmc/sensors.c), the SDR repository (bmc/sdr.c) and their IPMI
 * handlers (ipmi/sensor_event.c, ipmi/storage_sdr.c): reading-factor round trips for every
 * threshold sensor of the default table, threshold events with hysteresis, discrete state
 * events, threshold/hysteresis/enable writes (validation, persistence across a restart), the
 * full record of records.md §2.3 byte for byte, Get SDR chaining and partial reads, and the
 * completion codes of bad requests. The BMC runs on a store in a temporary directory and a
 * fake platform whose sensor inputs the tests set; events are captured instead of logged. */
#include <errno.h>
#include <math.h>
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
#include "bmc/sdr.h"
#include "core/log.h"
#include "ipmi/ipmi.h"
#include "platform/sim/sim.h"
#include "store/store.h"

#include "fixture.h"

#define MAX_INPUTS 8
#define MAX_EVENTS 32

struct fake_input {
	const char *name;
	double value;
	int err;
};

struct fake_platform {
	struct platform base;
	bool on;
	struct fake_input inputs[MAX_INPUTS];
};

struct fixture {
	char dir[64];
	struct store *store;
	struct fake_platform plat;
	struct bmc bmc;
	const struct bmc_sensor_def *defs; /* NULL = the default table */
	size_t n_defs;
	struct bmc_event events[MAX_EVENTS];
	size_t n_events;
};

static struct fixture *current; /* the fixture whose events the hook records */

static int capture_event(struct bmc *bmc, const struct bmc_event *ev)
{
	(void)bmc;
	assert_true(current->n_events < MAX_EVENTS);
	current->events[current->n_events++] = *ev;
	return (int)current->n_events;
}

static int fake_power(struct platform *p, enum platform_power_action a)
{
	(void)p;
	(void)a;
	return -EINVAL;
}

static bool fake_power_is_on(const struct platform *p)
{
	return ((const struct fake_platform *)p)->on;
}

static void fake_free(struct platform *p)
{
	(void)p;
}

static int fake_sensor_read(struct platform *p, const char *input, double *ret_value)
{
	struct fake_platform *f = (struct fake_platform *)p;

	for (size_t i = 0; i < MAX_INPUTS && f->inputs[i].name; i++) {
		if (strcmp(f->inputs[i].name, input) != 0)
			continue;
		if (f->inputs[i].err)
			return f->inputs[i].err;
		*ret_value = f->inputs[i].value;
		return 0;
	}
	return -ENOENT;
}

static const struct platform_ops fake_ops = {
	.name = "fake",
	.power = fake_power,
	.power_is_on = fake_power_is_on,
	.free = fake_free,
	.sensor_read = fake_sensor_read,
};

static void set_input(struct fixture *fx, const char *name, double value)
{
	for (size_t i = 0; i < MAX_INPUTS; i++) {
		struct fake_input *in = &fx->plat.inputs[i];
		if (!in->name || strcmp(in->name, name) == 0) {
			*in = (struct fake_input){ .name = name, .value = value };
			return;
		}
	}
	fail_msg("too many fake inputs");
}

/* A BMC (re)started on the fixture's store: what survives is only what was persisted. */
static void bmc_restart(struct fixture *fx)
{
	test_bmc_wire(&fx->bmc, fx->store, &fx->plat.base, &fake_ops);
	fx->bmc.sensors.defs = fx->defs;
	fx->bmc.sensors.n_defs = fx->n_defs;
	fx->bmc.sensors.log_event = capture_event;
	current = fx;
	assert_int_equal(bmc_sensors_init(&fx->bmc), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_sensors", &fx->store);
	fx->plat.on = true;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	test_env_teardown(fx->store, fx->dir);
	free(fx);
	return 0;
}

/* Runs one request through the dispatcher as an administrator on LAN. */
static struct ipmi_rsp call(struct bmc *bmc, uint8_t netfn, uint8_t cmd, const uint8_t *data,
			    size_t len)
{
	struct ipmi_req req = { .netfn = netfn, .cmd = cmd, .data = data, .len = len,
				.channel = IPMI_CHANNEL_LAN, .priv = IPMI_PRIV_ADMIN,
				.user_id = 2, .in_session = true };
	struct ipmi_rsp rsp;

	memset(&rsp, 0xAA, sizeof(rsp));
	ipmi_dispatch(bmc, &req, &rsp);
	return rsp;
}

#define CALL(bmc, netfn, cmd, ...) \
	call((bmc), (netfn), (cmd), (const uint8_t[]){ __VA_ARGS__ }, \
	     sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* ---- a small profile for the event tests ------------------------------------------------ */

#define THR(x) (1u << BMC_THR_##x)

static const struct bmc_sensor_def test_defs[] = {
	{ .name = "Test Temp", .input = "temp.test", .number = 0x01, .sensor_type = 0x01,
	  .event_type = BMC_EVENT_TYPE_THRESHOLD, .entity_id = 0x03, .entity_instance = 1,
	  .unit = 1, .format = BMC_FORMAT_TWOS_COMPLEMENT, .m = 1,
	  .readable = THR(LNC) | THR(UNC) | THR(UCR), .settable = THR(LNC) | THR(UNC) | THR(UCR),
	  .thresholds = { [BMC_THR_LNC] = 10, [BMC_THR_UNC] = 80, [BMC_THR_UCR] = 90 },
	  .hyst_pos = 1, .hyst_neg = 2 },
	{ .name = "Host Fan", .input = "fan.test", .number = 0x02, .sensor_type = 0x04,
	  .event_type = BMC_EVENT_TYPE_THRESHOLD, .entity_id = 0x1D, .entity_instance = 1,
	  .host_powered = true, .unit = 18, .m = 100, .readable = THR(LCR), .settable = THR(LCR),
	  .thresholds = { [BMC_THR_LCR] = 1000 }, .hyst_pos = 1, .hyst_neg = 1 },
	{ .name = "Test Intrusion", .input = "intrusion.test", .number = 0x03, .sensor_type = 0x05,
	  .event_type = BMC_EVENT_TYPE_SENSOR_SPECIFIC, .entity_id = 0x17, .entity_instance = 1,
	  .states = 0x0001 },
	{ .name = "Test PSU", .input = "psu.test", .number = 0x04, .sensor_type = 0x08,
	  .event_type = BMC_EVENT_TYPE_SENSOR_SPECIFIC, .entity_id = 0x0A, .entity_instance = 1,
	  .states = 0x000F },
};

static void start_test_profile(struct fixture *fx)
{
	fx->defs = test_defs;
	fx->n_defs = sizeof(test_defs) / sizeof(test_defs[0]);
	set_input(fx, "temp.test", 70);
	set_input(fx, "fan.test", 5000);
	set_input(fx, "intrusion.test", 0);
	set_input(fx, "psu.test", 0x01);
	bmc_restart(fx);
	assert_int_equal(fx->n_events, 0);
}

/* Sets the input, polls, and checks the events that came out: n events. */
static void step(struct fixture *fx, const char *input, double value, size_t n)
{
	fx->n_events = 0;
	set_input(fx, input, value);
	bmc_sensors_poll(&fx->bmc);
	assert_int_equal(fx->n_events, n);
}

static void expect_event(const struct fixture *fx, size_t i, uint8_t num, bool deassert,
			 uint8_t d1, uint8_t d2, uint8_t d3)
{
	const struct bmc_event *ev = &fx->events[i];

	assert_int_equal(ev->sensor_num, num);
	assert_int_equal(ev->deassertion, deassert);
	assert_int_equal(ev->data[0], d1);
	assert_int_equal(ev->data[1], d2);
	assert_int_equal(ev->data[2], d3);
}

/* ---- conversions -------------------------------------------------------------------------- */

/* Every threshold sensor of the default table: raw → value → raw is the identity over the
 * whole raw range, value → raw → value is within half a count, and the default thresholds
 * and normal readings sit within half a count of a raw value. */
static void test_factors_round_trip(void **state)
{
	(void)state;
	size_t checked = 0;

	for (size_t i = 0; i < bmc_sensor_default_defs_n; i++) {
		const struct bmc_sensor_def *d = &bmc_sensor_default_defs[i];
		if (!bmc_sensor_is_threshold(d))
			continue;
		double lsb = bmc_sensor_lsb(d);
		assert_true(lsb > 0);
		for (int r = 0; r < 256; r++) {
			if (d->format == BMC_FORMAT_ONES_COMPLEMENT && r == 0xFF)
				continue; /* −0 */
			assert_int_equal(bmc_sensor_to_raw(d, bmc_sensor_from_raw(d, (uint8_t)r)), r);
		}
		double lo = bmc_sensor_from_raw(d, d->format ? 0x80 : 0x00);
		double hi = bmc_sensor_from_raw(d, d->format ? 0x7F : 0xFF);
		for (double v = lo; v <= hi; v += lsb / 7)
			assert_true(fabs(bmc_sensor_from_raw(d, bmc_sensor_to_raw(d, v)) - v) <=
				    lsb / 2 + 1e-9);
		for (int t = 0; t < BMC_THR_MAX; t++) {
			if (!(d->readable & (1u << t)))
				continue;
			double back = bmc_sensor_from_raw(d, bmc_sensor_to_raw(d, d->thresholds[t]));
			assert_true(fabs(back - d->thresholds[t]) <= lsb / 2 + 1e-9);
		}
		checked++;
	}
	assert_true(checked >= 15);
}

static void test_conversion_formats(void **state)
{
	(void)state;
	struct bmc_sensor_def d = { .m = 5, .b = -400, .r_exp = -1,
				    .event_type = BMC_EVENT_TYPE_THRESHOLD };

	/* records.md §2.2 last row: y = (5x − 400) / 10. */
	assert_true(fabs(bmc_sensor_from_raw(&d, 100) - 10.0) < 1e-9);
	assert_int_equal(bmc_sensor_to_raw(&d, 10.0), 100);
	assert_int_equal(bmc_sensor_to_raw(&d, -50.0), 0);   /* clamped */
	d = (struct bmc_sensor_def){ .m = 1, .format = BMC_FORMAT_TWOS_COMPLEMENT };
	assert_int_equal(bmc_sensor_to_raw(&d, -5), 0xFB);
	assert_true(bmc_sensor_from_raw(&d, 0xFB) == -5.0);
	assert_int_equal(bmc_sensor_to_raw(&d, 300), 0x7F);
	d.format = BMC_FORMAT_ONES_COMPLEMENT;
	assert_int_equal(bmc_sensor_to_raw(&d, -5), 0xFA);
	assert_true(bmc_sensor_from_raw(&d, 0xFA) == -5.0);
}

/* The default table: unique numbers, names that fit an ID string, the BMC's own sensors. */
static void test_default_table(void **state)
{
	(void)state;
	static const uint8_t internal[] = { BMC_SENSOR_POWER_UNIT, BMC_SENSOR_WATCHDOG,
					    BMC_SENSOR_EVENT_LOG, BMC_SENSOR_SYSTEM_EVENT,
					    BMC_SENSOR_SYSTEM_BOOT };

	for (size_t i = 0; i < bmc_sensor_default_defs_n; i++) {
		const struct bmc_sensor_def *d = &bmc_sensor_default_defs[i];
		assert_true(strlen(d->name) <= 16);
		assert_true(d->number != 0xFF);
		for (size_t j = i + 1; j < bmc_sensor_default_defs_n; j++)
			assert_int_not_equal(d->number, bmc_sensor_default_defs[j].number);
	}
	for (size_t k = 0; k < sizeof(internal); k++) {
		bool found = false;
		for (size_t i = 0; i < bmc_sensor_default_defs_n; i++)
			found |= bmc_sensor_default_defs[i].number == internal[k];
		assert_true(found);
	}
}

/* ---- threshold events --------------------------------------------------------------------- */

static void test_threshold_hysteresis(void **state)
{
	struct fixture *fx = *state;

	start_test_profile(fx);
	step(fx, "temp.test", 79, 0);
	step(fx, "temp.test", 80, 1); /* at UNC: UNC going high (offset 7) */
	expect_event(fx, 0, 0x01, false, 0x57, 80, 80);
	step(fx, "temp.test", 85, 0);
	step(fx, "temp.test", 79, 0); /* below UNC but within the 2-count hysteresis */
	step(fx, "temp.test", 78, 0);
	step(fx, "temp.test", 77, 1); /* below UNC − hysteresis: one deassertion */
	expect_event(fx, 0, 0x01, true, 0x57, 77, 80);
	step(fx, "temp.test", 77, 0);
	step(fx, "temp.test", 95, 2); /* both upper thresholds at once, in order */
	expect_event(fx, 0, 0x01, false, 0x57, 95, 80);
	expect_event(fx, 1, 0x01, false, 0x59, 95, 90);
	step(fx, "temp.test", 88, 0);
	step(fx, "temp.test", 87, 1); /* UCR − 2 > 87: UCR going high deasserts */
	expect_event(fx, 0, 0x01, true, 0x59, 87, 90);
	step(fx, "temp.test", 50, 1);
	expect_event(fx, 0, 0x01, true, 0x57, 50, 80);
	/* Lower threshold: at or below asserts going low (offset 0); the way back needs
	 * threshold + positive-going hysteresis (1 count; the negative-going one is 2). */
	step(fx, "temp.test", 10, 1);
	expect_event(fx, 0, 0x01, false, 0x50, 10, 10);
	step(fx, "temp.test", 11, 0);
	step(fx, "temp.test", 12, 1);
	expect_event(fx, 0, 0x01, true, 0x50, 12, 10);
	assert_int_equal(fx->events[0].event_type, BMC_EVENT_TYPE_THRESHOLD);
	assert_int_equal(fx->events[0].sensor_type, 0x01);
}

static void test_threshold_reading_and_status(void **state)
{
	struct fixture *fx = *state;
	struct bmc_sensor_reading rd;

	start_test_profile(fx);
	step(fx, "temp.test", 92, 2);
	assert_int_equal(bmc_sensor_get_reading(&fx->bmc, 0x01, &rd), 0);
	assert_int_equal(rd.raw, 92);
	assert_false(rd.unavailable);
	assert_int_equal(rd.state, THR(UNC) | THR(UCR));
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2D, 0x01);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 3);
	assert_int_equal(rsp.data[0], 92);
	assert_int_equal(rsp.data[1], 0xC0);
	assert_int_equal(rsp.data[2], 0xC0 | THR(UNC) | THR(UCR));
	/* Get Sensor Event Status: UNC and UCR going high asserted. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2B, 0x01);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 5);
	assert_int_equal(rsp.data[1] | rsp.data[2] << 8, (1 << 7) | (1 << 9));
	assert_int_equal(rsp.data[3] | rsp.data[4] << 8, 0);
	/* Re-arm all: the conditions still present are logged again at the next poll. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2A, 0x01, 0x00);
	assert_int_equal(rsp.cc, 0);
	step(fx, "temp.test", 92, 2);
}

static void test_event_enables(void **state)
{
	struct fixture *fx = *state;

	start_test_profile(fx);
	/* Disable the UNC going-high assertion (bit 7) only: UCR still logs. */
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x28, 0x01, 0xE0, 0x80, 0x00);
	assert_int_equal(rsp.cc, 0);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x29, 0x01);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 5);
	assert_int_equal(rsp.data[0], 0xC0);
	assert_int_equal(rsp.data[1] | rsp.data[2] << 8, (1 << 0) | (1 << 9)); /* LNC low, UCR */
	step(fx, "temp.test", 95, 1);
	expect_event(fx, 0, 0x01, false, 0x59, 95, 90);
	/* All event messages off: state still tracked, nothing logged. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x28, 0x01, 0x40);
	assert_int_equal(rsp.cc, 0);
	step(fx, "temp.test", 50, 0);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2D, 0x01);
	assert_int_equal(rsp.data[1], 0x40);
	/* Reserved operation 11b → 0xCC; the enables persist across a restart. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x28, 0x01, 0xF0, 0xFF, 0xFF);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	bmc_restart(fx);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x29, 0x01);
	assert_int_equal(rsp.data[0], 0x40);
	assert_int_equal(rsp.data[1] | rsp.data[2] << 8, (1 << 0) | (1 << 9));
	/* Event receiver disabled (0xFF): no events even when enabled. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x28, 0x01, 0xD0, 0xFF, 0x0F, 0xFF, 0x0F);
	assert_int_equal(rsp.cc, 0);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x00, 0xFF, 0x00);
	assert_int_equal(rsp.cc, 0);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x01);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(rsp.data[0], 0xFF);
	step(fx, "temp.test", 95, 0);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x00, 0x20, 0x00);
	step(fx, "temp.test", 50, 2); /* deassertions of UNC and UCR */
}

static void test_host_powered_unavailable(void **state)
{
	struct fixture *fx = *state;
	struct bmc_sensor_reading rd;

	start_test_profile(fx);
	step(fx, "fan.test", 900, 1); /* LCR going low */
	expect_event(fx, 0, 0x02, false, 0x52, 9, 10);
	fx->plat.on = false;
	step(fx, "fan.test", 0, 0); /* off: no reading, no event, state frozen */
	assert_int_equal(bmc_sensor_get_reading(&fx->bmc, 0x02, &rd), 0);
	assert_true(rd.unavailable);
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2D, 0x02);
	assert_int_equal(rsp.data[1], 0xE0);
	fx->plat.on = true;
	step(fx, "fan.test", 900, 0); /* still asserted: not logged twice */
	step(fx, "fan.test", 5000, 1);
	expect_event(fx, 0, 0x02, true, 0x52, 50, 10);
	/* An input the platform has no value for reads unavailable too. */
	assert_string_equal(fx->plat.inputs[0].name, "temp.test");
	fx->plat.inputs[0].err = -ENODATA;
	bmc_sensors_poll(&fx->bmc);
	assert_int_equal(bmc_sensor_get_reading(&fx->bmc, 0x01, &rd), 0);
	assert_true(rd.unavailable);
}

/* ---- discrete sensors --------------------------------------------------------------------- */

static void test_discrete_events(void **state)
{
	struct fixture *fx = *state;

	start_test_profile(fx); /* the first state (PSU present) is the baseline, not an event */
	step(fx, "intrusion.test", 1, 1);
	assert_int_equal(fx->events[0].event_type, BMC_EVENT_TYPE_SENSOR_SPECIFIC);
	assert_int_equal(fx->events[0].sensor_type, 0x05);
	expect_event(fx, 0, 0x03, false, 0x00, 0xFF, 0xFF);
	step(fx, "intrusion.test", 1, 0);
	step(fx, "psu.test", 0x03, 1); /* failure detected (offset 1) */
	expect_event(fx, 0, 0x04, false, 0x01, 0xFF, 0xFF);
	step(fx, "psu.test", 0x01, 1);
	expect_event(fx, 0, 0x04, true, 0x01, 0xFF, 0xFF);
	step(fx, "intrusion.test", 0, 1);
	expect_event(fx, 0, 0x03, true, 0x00, 0xFF, 0xFF);
	/* Offsets the sensor does not have are not reported. */
	step(fx, "psu.test", 0x101, 0);
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2D, 0x04);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 4);
	assert_int_equal(rsp.data[1], 0xC0);
	assert_int_equal(rsp.data[2], 0x01);
	assert_int_equal(rsp.data[3], 0x80);
}

/* ---- threshold writes ----------------------------------------------------------------------- */

static void get_thresholds(struct fixture *fx, uint8_t num, uint8_t out[7])
{
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x27, num);

	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 7);
	memcpy(out, rsp.data, 7);
}

static void test_set_thresholds(void **state)
{
	struct fixture *fx = *state;
	uint8_t before[7], after[7];

	bmc_restart(fx); /* the default profile */
	get_thresholds(fx, 0x02, before); /* CPU1 Temp: UNC 85, UCR 90, UNR 100 */
	const uint8_t want[7] = { 0x38, 0, 0, 0, 85, 90, 100 };
	assert_memory_equal(before, want, 7);
	/* UCR 93: accepted and read back. */
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x02, 0x10, 0, 0, 0, 0, 93, 0);
	assert_int_equal(rsp.cc, 0);
	get_thresholds(fx, 0x02, after);
	assert_int_equal(after[5], 93);
	/* Out of order (UNC above UCR) → 0xCC, nothing changes. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x02, 0x18, 0, 0, 0, 94, 92, 0);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x02, 0x08, 0, 0, 0, 94, 0, 0);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	/* UNR exists but is not settable; LNC does not exist → 0xCC. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x02, 0x20, 0, 0, 0, 0, 0, 99);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x02, 0x01, 5, 0, 0, 0, 0, 0);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	/* Discrete sensor → 0xCD; no such sensor → 0xCB. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x40, 0x10, 0, 0, 0, 0, 1, 0);
	assert_int_equal(rsp.cc, IPMI_CC_ILLEGAL_FOR_SENSOR);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x27, 0x40);
	assert_int_equal(rsp.cc, IPMI_CC_ILLEGAL_FOR_SENSOR);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x99, 0x10, 0, 0, 0, 0, 1, 0);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x2D, 0x99);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	get_thresholds(fx, 0x02, before);
	assert_memory_equal(before, after, 7);
	/* Hysteresis: set, read back; discrete → 0xCD. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x24, 0x02, 0xFF, 3, 4);
	assert_int_equal(rsp.cc, 0);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x24, 0x40, 0xFF, 3, 4);
	assert_int_equal(rsp.cc, IPMI_CC_ILLEGAL_FOR_SENSOR);
	/* Everything written survives a restart. */
	bmc_restart(fx);
	get_thresholds(fx, 0x02, before);
	assert_memory_equal(before, after, 7);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x25, 0x02, 0xFF);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(rsp.data[0], 3);
	assert_int_equal(rsp.data[1], 4);
}

static void test_reading_factors(void **state)
{
	struct fixture *fx = *state;

	bmc_restart(fx);
	/* 12V: M = 6, Rexp = −2. */
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x23, 0x20, 200);
	assert_int_equal(rsp.cc, 0);
	const uint8_t want[7] = { 200, 0x06, 0x00, 0x00, 0x00, 0x00, 0xE0 };
	assert_int_equal(rsp.len, 7);
	assert_memory_equal(rsp.data, want, 7);
	rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x23, 0x40, 0);
	assert_int_equal(rsp.cc, IPMI_CC_ILLEGAL_FOR_SENSOR);
}

/* ---- SDR ---------------------------------------------------------------------------------- */

/* records.md §2.3, verified with libfreeipmi. */
static void test_full_record_example(void **state)
{
	(void)state;
	static const uint8_t example[] = {
		0x01, 0x00, 0x51, 0x01, 0x33, 0x20, 0x00, 0x01, 0x03, 0x01, 0x7f, 0x68, 0x01, 0x01,
		0x80, 0x0a, 0x80, 0x7a, 0x38, 0x38, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x5f, 0x5a, 0x55, 0x00, 0x00, 0x00,
		0x02, 0x02, 0x00, 0x00, 0x00, 0xc8, 0x43, 0x50, 0x55, 0x20, 0x54, 0x65, 0x6d, 0x70,
	};
	const struct bmc_sensor_def d = {
		.name = "CPU Temp", .number = 0x01, .sensor_type = 0x01,
		.event_type = BMC_EVENT_TYPE_THRESHOLD, .entity_id = 0x03, .entity_instance = 1,
		.unit = 1, .format = BMC_FORMAT_UNSIGNED, .m = 1,
		.readable = THR(UNC) | THR(UCR) | THR(UNR), .settable = THR(UNC) | THR(UCR) | THR(UNR),
		.thresholds = { [BMC_THR_UNC] = 85, [BMC_THR_UCR] = 90, [BMC_THR_UNR] = 95 },
		.hyst_pos = 2, .hyst_neg = 2,
	};
	uint8_t rec[BMC_SDR_MAX_RECORD];

	assert_int_equal(bmc_sdr_encode_full(&d, 1, rec), sizeof(example));
	assert_memory_equal(rec, example, sizeof(example));
}

static void test_compact_record(void **state)
{
	(void)state;
	uint8_t rec[BMC_SDR_MAX_RECORD];
	const struct bmc_sensor_def *d = &test_defs[3]; /* Test PSU */
	size_t n = bmc_sdr_encode_compact(d, 7, rec);

	assert_int_equal(n, 32 + strlen("Test PSU"));
	assert_int_equal(rec[0], 7);
	assert_int_equal(rec[3], BMC_SDR_TYPE_COMPACT);
	assert_int_equal(rec[4], n - 5);
	assert_int_equal(rec[5], 0x20);
	assert_int_equal(rec[7], 0x04);
	assert_int_equal(rec[12], 0x08);
	assert_int_equal(rec[13], 0x6F);
	assert_int_equal(rec[14] | rec[15] << 8, 0x000F); /* assertion mask */
	assert_int_equal(rec[18] | rec[19] << 8, 0x000F); /* reading mask */
	assert_int_equal(rec[20], 0xC0);
	assert_int_equal(rec[31], 0xC0 | 8);
	assert_memory_equal(rec + 32, "Test PSU", 8);
}

/* Get SDR reads every record (0 = first, next IDs chain to 0xFFFF), and 5-byte header reads
 * followed by small chunks at non-zero offsets give the same bytes as whole-record reads. */
static void test_get_sdr_walk(void **state)
{
	struct fixture *fx = *state;

	bmc_restart(fx);
	struct ipmi_rsp info = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x20);
	assert_int_equal(info.cc, 0);
	assert_int_equal(info.len, 14);
	assert_int_equal(info.data[0], 0x51);
	uint16_t count = (uint16_t)(info.data[1] | info.data[2] << 8);
	assert_int_equal(count, bmc_sensor_default_defs_n + 2);
	struct ipmi_rsp rsv = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x22);
	assert_int_equal(rsv.len, 2);
	uint8_t r0 = rsv.data[0], r1 = rsv.data[1];
	assert_true(r0 || r1);

	uint16_t id = 0, seen = 0;
	bool mc_locator = false, fru_locator = false;
	while (id != 0xFFFF) {
		struct ipmi_rsp whole = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, 0, 0, (uint8_t)id,
					     (uint8_t)(id >> 8), 0, 0xFF);
		assert_int_equal(whole.cc, 0);
		size_t len = whole.len - 2;
		assert_int_equal(whole.data[2 + 4], len - 5);
		uint8_t buf[64];
		struct ipmi_rsp hdr = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1, (uint8_t)id,
					   (uint8_t)(id >> 8), 0, 5);
		assert_int_equal(hdr.cc, 0);
		memcpy(buf, hdr.data + 2, 5);
		for (size_t off = 5; off < len; off += 7) {
			uint8_t n = (uint8_t)(len - off < 7 ? len - off : 7);
			struct ipmi_rsp part = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1,
						    (uint8_t)id, (uint8_t)(id >> 8), (uint8_t)off, n);
			assert_int_equal(part.cc, 0);
			assert_int_equal(part.len, 2 + n);
			memcpy(buf + off, part.data + 2, n);
		}
		assert_memory_equal(buf, whole.data + 2, len);
		mc_locator |= whole.data[2 + 3] == BMC_SDR_TYPE_MC_LOCATOR;
		fru_locator |= whole.data[2 + 3] == BMC_SDR_TYPE_FRU_LOCATOR;
		id = (uint16_t)(whole.data[0] | whole.data[1] << 8);
		seen++;
	}
	assert_int_equal(seen, count);
	assert_true(mc_locator);
	assert_true(fru_locator);
}

static void test_get_sdr_errors(void **state)
{
	struct fixture *fx = *state;

	bmc_restart(fx);
	struct ipmi_rsp rsv = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x22);
	uint8_t r0 = rsv.data[0], r1 = rsv.data[1];
	/* Record 1 is "Inlet Temp": 48 + 10 bytes. */
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1, 1, 0, 58, 1);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2); /* offset == length: nothing left */
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1, 1, 0, 59, 1);
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1, 1, 0, 50, 20);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2 + 8); /* a count past the end is cut */
	/* Stale reservation at a non-zero offset → 0xC5; at offset 0 it is not needed. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x22);
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1, 1, 0, 5, 4);
	assert_int_equal(rsp.cc, IPMI_CC_RESERVATION);
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, 0, 0, 1, 0, 5, 4);
	assert_int_equal(rsp.cc, IPMI_CC_RESERVATION);
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, r0, r1, 1, 0, 0, 5);
	assert_int_equal(rsp.cc, 0);
	/* Missing record → 0xCB; bad length → 0xC7; last-record alias. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, 0, 0, 0x00, 0x10, 0, 0xFF);
	assert_int_equal(rsp.cc, IPMI_CC_NOT_PRESENT);
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, 0, 0, 1, 0, 0);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x23, 0, 0, 0xFF, 0xFF, 0, 0xFF);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[0] | rsp.data[1] << 8, 0xFFFF);
	assert_int_equal(rsp.data[2 + 3], BMC_SDR_TYPE_MC_LOCATOR);
	/* Get SDR Repository Time: the SEL clock, 4 bytes. */
	rsp = CALL(&fx->bmc, IPMI_NETFN_STORAGE, 0x28);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 4);
	uint32_t t = (uint32_t)(rsp.data[0] | rsp.data[1] << 8 | rsp.data[2] << 16 |
				(uint32_t)rsp.data[3] << 24);
	assert_true(t - bmc_sel_time(&fx->bmc) + 1 <= 2);
}

/* The repository timestamp is a function of the records: stable across restarts. */
static void test_sdr_timestamp_stable(void **state)
{
	struct fixture *fx = *state;

	bmc_restart(fx);
	uint32_t t1 = bmc_sdr_timestamp(&fx->bmc);
	struct ipmi_rsp rsp = CALL(&fx->bmc, IPMI_NETFN_SENSOR, 0x26, 0x02, 0x10, 0, 0, 0, 0, 91, 0);
	assert_int_equal(rsp.cc, 0);
	bmc_restart(fx);
	assert_int_equal(bmc_sdr_timestamp(&fx->bmc), t1);
	assert_true(t1 >= 1704067200u);
	fx->defs = test_defs;
	fx->n_defs = sizeof(test_defs) / sizeof(test_defs[0]);
	bmc_restart(fx);
	assert_int_not_equal(bmc_sdr_timestamp(&fx->bmc), t1);
}

/* ---- DCMI helpers ------------------------------------------------------------------------- */

static void test_dcmi_helpers(void **state)
{
	struct fixture *fx = *state;
	struct bmc_temp_reading t[8];
	double w = 0;

	set_input(fx, "temp.cpu1", 47.4);
	set_input(fx, "temp.cpu2", 43.6);
	set_input(fx, "power.total", 183.5);
	bmc_restart(fx);
	assert_int_equal(bmc_sensors_temperatures(&fx->bmc, 0x03, t, 8), 2);
	assert_int_equal(t[0].sensor_num, 0x02);
	assert_int_equal(t[0].celsius, 47);
	assert_true(t[0].valid);
	assert_int_equal(t[1].entity_instance, 2);
	assert_int_equal(t[1].celsius, 44);
	assert_int_equal(bmc_sensors_temperatures(&fx->bmc, 0x03, t, 1), 1);
	assert_int_equal(bmc_sensors_power_watts(&fx->bmc, &w), 0);
	assert_true(fabs(w - 183.5) < 1e-9);
	fx->plat.on = false;
	bmc_sensors_poll(&fx->bmc);
	assert_int_equal(bmc_sensors_temperatures(&fx->bmc, 0x03, t, 8), 2);
	assert_false(t[0].valid);
	fx->plat.base.ops = &(const struct platform_ops){ .power_is_on = fake_power_is_on };
	assert_int_equal(bmc_sensors_power_watts(&fx->bmc, &w), -ENODATA);
	fx->plat.base.ops = &fake_ops;
}

/* ---- the simulated server's inputs -------------------------------------------------------- */

static void on_power(void *arg, bool on)
{
	(void)arg;
	(void)on;
}

static void test_sim_inputs(void **state)
{
	(void)state;
	uv_loop_t loop;
	double v = -1, psu1 = 0, psu2 = 0, total = 0;

	assert_int_equal(uv_loop_init(&loop), 0);
	struct platform *p = platform_sim_new(&loop, NULL, (struct platform_callbacks){
							      .power_changed = on_power });
	assert_non_null(p);
	/* Off: standby only. */
	assert_int_equal(platform_sensor_read(p, "fan.fan1.rpm", &v), 0);
	assert_true(v == 0);
	assert_int_equal(platform_sensor_read(p, "volt.12v", &v), 0);
	assert_true(v == 0);
	assert_int_equal(platform_sensor_read(p, "temp.cpu1", &v), 0);
	assert_true(v > 15 && v < 30);
	assert_int_equal(platform_sensor_read(p, "volt.vbat", &v), 0);
	assert_true(v > 2.9 && v < 3.2);
	assert_int_equal(platform_sensor_read(p, "psu.psu1.state", &v), 0);
	assert_true(v == 0x01);
	assert_int_equal(platform_sensor_read(p, "no.such.input", &v), -ENOENT);
	/* On: fans have no reading in the instant of power-on; five simulated minutes later a
	 * light load; the total is the sum of the supplies. */
	assert_int_equal(platform_power(p, PLATFORM_POWER_ON), 0);
	assert_int_equal(platform_sensor_read(p, "fan.fan1.rpm", &v), -ENODATA);
	char reply[256];
	assert_int_equal(platform_sim_command(p, "step 300", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "ok\ntime 300\n");
	assert_int_equal(platform_sensor_read(p, "fan.fan1.rpm", &v), 0);
	assert_true(v > 6500 && v < 8000);
	assert_int_equal(platform_sensor_read(p, "volt.12v", &v), 0);
	assert_true(fabs(v - 12.0) < 0.2);
	assert_int_equal(platform_sensor_read(p, "temp.cpu1", &v), 0);
	assert_true(v > 40 && v < 55);
	assert_int_equal(platform_sensor_read(p, "power.psu1.in", &psu1), 0);
	assert_int_equal(platform_sensor_read(p, "power.psu2.in", &psu2), 0);
	assert_int_equal(platform_sensor_read(p, "power.total", &total), 0);
	assert_true(fabs(total - (psu1 + psu2)) < 1e-9);
	assert_int_equal(platform_sensor_read(p, "current.psu1.in", &v), 0);
	assert_true(fabs(v - psu1 / 230.0) < 1e-9);
	/* Deterministic: the same second reads the same value. */
	double a = 0, b = 0;
	assert_int_equal(platform_sensor_read(p, "temp.inlet", &a), 0);
	assert_int_equal(platform_sensor_read(p, "temp.inlet", &b), 0);
	assert_true(a == b);
	platform_free(p);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factors_round_trip),
		cmocka_unit_test(test_conversion_formats),
		cmocka_unit_test(test_default_table),
		cmocka_unit_test_setup_teardown(test_threshold_hysteresis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threshold_reading_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_enables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_powered_unavailable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discrete_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_thresholds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reading_factors, setup, teardown),
		cmocka_unit_test(test_full_record_example),
		cmocka_unit_test(test_compact_record),
		cmocka_unit_test_setup_teardown(test_get_sdr_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_sdr_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdr_timestamp_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dcmi_helpers, setup, teardown),
		cmocka_unit_test(test_sim_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
