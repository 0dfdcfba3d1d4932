/* Unit tests of the DCMI model (bmc/dcmi.c) and its Group Extension handlers (ipmi/dcmi.c),
 * run through the dispatcher: the group ID rule (0xC1 without it), capability parameters, the
 * power statistics ring fed from a fake platform's power input at injected times (minimum,
 * maximum, average, period, rolling periods, no catching up after a late tick), the power limit
 * (Get's 0x80 that keeps its data, range errors, activation, the exception action, persistence),
 * asset tag and MC ID string chunking, and the entity-instance selection of the temperature
 * commands. */
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
#include "core/log.h"
#include "ipmi/ipmi.h"
#include "store/store.h"

#include "fixture.h"

struct fake_platform {
	struct platform base;
	bool on;
	double watts; /* < 0: no reading */
};

struct fixture {
	char dir[64];
	struct store *store;
	struct fake_platform plat;
	struct bmc bmc;
};

static int fake_power(struct platform *p, enum platform_power_action a)
{
	struct fake_platform *f = (struct fake_platform *)p;
	bool on = a == PLATFORM_POWER_ON ? true : a == PLATFORM_POWER_OFF ? false : f->on;

	if (on != f->on) {
		f->on = on;
		bmc_chassis_power_changed(f->base.cb.arg, on);
	}
	return 0;
}

static bool fake_power_is_on(const struct platform *p)
{
	return ((const struct fake_platform *)p)->on;
}

static int fake_sensor_read(struct platform *p, const char *input, double *ret)
{
	const struct fake_platform *f = (const struct fake_platform *)p;

	if (strcmp(input, "power.total") != 0)
		return -ENOENT;
	if (f->watts < 0)
		return -ENODATA;
	*ret = f->watts;
	return 0;
}

static void fake_free(struct platform *p)
{
	(void)p;
}

static const struct platform_ops fake_ops = {
	.name = "fake",
	.power = fake_power,
	.power_is_on = fake_power_is_on,
	.free = fake_free,
	.sensor_read = fake_sensor_read,
};

/* A BMC (re)started on the fixture's store: only what was persisted survives. */
static void bmc_restart(struct fixture *fx)
{
	test_bmc_wire(&fx->bmc, fx->store, &fx->plat.base, &fake_ops);
	fx->bmc.global_enables = 0x0C;
	assert_int_equal(bmc_chassis_init(&fx->bmc), 0);
	assert_int_equal(bmc_dcmi_init(&fx->bmc), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_dcmi", &fx->store);
	fx->plat.watts = 200;
	bmc_restart(fx);
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

/* ---- helpers -------------------------------------------------------------------------- */

#define T0 (1000 * USEC_PER_SEC)
#define MS(x) ((usec_t)(x) * USEC_PER_MSEC)

static void run(struct bmc *bmc, uint8_t cmd, const uint8_t *data, size_t len,
		struct ipmi_rsp *rsp)
{
	struct ipmi_req req = { .netfn = IPMI_NETFN_GROUP, .cmd = cmd, .data = data, .len = len,
				.channel = IPMI_CHANNEL_LAN, .priv = IPMI_PRIV_ADMIN,
				.in_session = true };
	memset(rsp, 0, sizeof(*rsp));
	ipmi_dispatch(bmc, &req, rsp);
}

#define RUN(fx, cmd, rsp, ...) \
	do { \
		const uint8_t d_[] = { __VA_ARGS__ }; \
		run(&(fx)->bmc, cmd, d_, sizeof(d_), rsp); \
	} while (0)

static uint16_t u16_at(const struct ipmi_rsp *rsp, size_t i)
{
	return (uint16_t)(rsp->data[i] | rsp->data[i + 1] << 8);
}

static uint32_t u32_at(const struct ipmi_rsp *rsp, size_t i)
{
	return u16_at(rsp, i) | (uint32_t)u16_at(rsp, i + 2) << 16;
}

/* One sample per call: the tick at T0 + s seconds with this power. */
static void sample_at(struct fixture *fx, unsigned s, double watts)
{
	fx->plat.watts = watts;
	bmc_dcmi_tick(&fx->bmc, T0 + s * USEC_PER_SEC);
}

/* ---- group ID, capabilities ----------------------------------------------------------- */

static void t_group_id(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x01, &rsp, 0x00, 0x01); /* not DCMI */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_CMD);
	RUN(fx, 0x01, &rsp); /* no group ID at all */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_CMD);
	RUN(fx, 0x3E, &rsp, 0x00, 0x02); /* ipmitool's PICMG probe */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_CMD);
	RUN(fx, 0x02, &rsp, 0xDC, 0x01); /* DCMI but too short */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	RUN(fx, 0x02, &rsp, 0xDC, 0x01, 0x00, 0x00, 0x00); /* too long */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(rsp.len, 0);
}

static void t_capabilities(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x01, &rsp, 0xDC, 0x01);
	assert_int_equal(rsp.cc, 0);
	const uint8_t p1[] = { 0xDC, 0x01, 0x05, 0x02, 0x0F, 0x01, 0x08 };
	assert_int_equal(rsp.len, sizeof(p1));
	assert_memory_equal(rsp.data, p1, sizeof(p1));
	RUN(fx, 0x01, &rsp, 0xDC, 0x02);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 9);
	assert_int_equal(u16_at(&rsp, 4) & 0x0FFF, BMC_SEL_CAPACITY_DEFAULT);
	assert_int_equal(u16_at(&rsp, 4) & 0x8000, 0); /* no automatic rollover */
	assert_int_equal(rsp.data[6], 0x05);
	RUN(fx, 0x01, &rsp, 0xDC, 0x03);
	const uint8_t p3[] = { 0xDC, 0x01, 0x05, 0x02, 0x40, 0x00 };
	assert_int_equal(rsp.len, sizeof(p3));
	assert_memory_equal(rsp.data, p3, sizeof(p3));
	RUN(fx, 0x01, &rsp, 0xDC, 0x04);
	const uint8_t p4[] = { 0xDC, 0x01, 0x05, 0x02, 0x01, 0xFF, 0xFF };
	assert_int_equal(rsp.len, sizeof(p4));
	assert_memory_equal(rsp.data, p4, sizeof(p4));
	RUN(fx, 0x01, &rsp, 0xDC, 0x05);
	const uint8_t p5[] = { 0xDC, 0x01, 0x05, 0x02, 0x05, 0x05, 0x0F, 0x1E, 0x41, 0x43 };
	assert_int_equal(rsp.len, sizeof(p5));
	assert_memory_equal(rsp.data, p5, sizeof(p5));
	RUN(fx, 0x01, &rsp, 0xDC, 0x06);
	assert_int_equal(rsp.cc, 0x80);
	assert_int_equal(rsp.len, 0);
}

/* ---- power statistics ----------------------------------------------------------------- */

static void t_power_stats(void **state)
{
	struct fixture *fx = *state;
	struct bmc_dcmi_power_stats s;
	struct ipmi_rsp rsp;

	/* before any sample: the reading alone */
	bmc_dcmi_power_stats(&fx->bmc, 0, &s);
	assert_true(s.valid);
	assert_int_equal(s.current, 200);
	assert_int_equal(s.minimum, 200);
	assert_int_equal(s.maximum, 200);
	assert_int_equal(s.period_ms, 0);
	sample_at(fx, 0, 200.4);
	sample_at(fx, 1, 299.6);
	fx->plat.watts = 999; /* not a sample time: ignored */
	bmc_dcmi_tick(&fx->bmc, T0 + MS(1500));
	sample_at(fx, 2, 251);
	fx->plat.watts = 260;
	bmc_dcmi_power_stats(&fx->bmc, 0, &s);
	assert_int_equal(s.current, 260);
	assert_int_equal(s.minimum, 200);
	assert_int_equal(s.maximum, 300);
	assert_int_equal(s.average, 250); /* (200 + 300 + 251) / 3 = 250.3 */
	assert_int_equal(s.period_ms, 3000);
	/* the wire format */
	RUN(fx, 0x02, &rsp, 0xDC, 0x01, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 18);
	assert_int_equal(rsp.data[0], 0xDC);
	assert_int_equal(u16_at(&rsp, 1), 260);
	assert_int_equal(u16_at(&rsp, 3), 200);
	assert_int_equal(u16_at(&rsp, 5), 300);
	assert_int_equal(u16_at(&rsp, 7), 250);
	assert_int_equal(u32_at(&rsp, 13), 3000);
	assert_int_equal(rsp.data[17], 0x40);
	/* enhanced statistics over 5 s = the newest 5 samples */
	for (unsigned i = 3; i < 10; i++)
		sample_at(fx, i, 100 + i);
	RUN(fx, 0x02, &rsp, 0xDC, 0x02, 0x05, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(u16_at(&rsp, 3), 105);
	assert_int_equal(u16_at(&rsp, 5), 109);
	assert_int_equal(u16_at(&rsp, 7), 107);
	assert_int_equal(u32_at(&rsp, 13), 5000);
	RUN(fx, 0x02, &rsp, 0xDC, 0x02, 0x06, 0x00); /* not an advertised period */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x02, &rsp, 0xDC, 0x03, 0x00, 0x00); /* unknown mode */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
}

/* The ring keeps BMC_DCMI_POWER_SAMPLES; a late tick takes one sample, not a backlog. */
static void t_power_ring(void **state)
{
	struct fixture *fx = *state;
	struct bmc_dcmi_power_stats s;

	for (unsigned i = 0; i < BMC_DCMI_POWER_SAMPLES + 20; i++)
		sample_at(fx, i, i < 20 ? 50 : 400 + i % 7);
	bmc_dcmi_power_stats(&fx->bmc, 0, &s);
	assert_int_equal(s.period_ms, BMC_DCMI_POWER_SAMPLES * 1000);
	assert_int_equal(s.minimum, 400); /* the 50 W samples fell out */
	assert_int_equal(s.maximum, 406);
	unsigned n = fx->bmc.dcmi.n_samples;
	bmc_dcmi_tick(&fx->bmc, T0 + (BMC_DCMI_POWER_SAMPLES + 60) * USEC_PER_SEC);
	assert_int_equal(fx->bmc.dcmi.n_samples, n);
	assert_int_equal(fx->bmc.dcmi.next_sample_at,
			 T0 + (BMC_DCMI_POWER_SAMPLES + 61) * USEC_PER_SEC);
	/* no reading: no sample, and the reply says measurement not active */
	fx->plat.watts = -1;
	struct ipmi_rsp rsp;
	RUN(fx, 0x02, &rsp, 0xDC, 0x01, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[17], 0x00);
}

/* ---- power limit ---------------------------------------------------------------------- */

static void t_power_limit(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x03, &rsp, 0xDC, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0x80); /* no active limit, but the data is there */
	assert_int_equal(rsp.len, 14);
	assert_int_equal(rsp.data[0], 0xDC);
	uint16_t old_limit = u16_at(&rsp, 4);
	/* ipmitool set_limit limit 300: the Get data back with the limit changed */
	RUN(fx, 0x04, &rsp, 0xDC, 0, 0, 0, 0x00, 0x2C, 0x01, 0xE8, 0x03, 0, 0, 0, 0, 0x05, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 1);
	RUN(fx, 0x03, &rsp, 0xDC, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0x80);
	assert_int_equal(u16_at(&rsp, 4), 300);
	assert_int_equal(u32_at(&rsp, 6), 1000);
	assert_int_equal(u16_at(&rsp, 12), 5);
	RUN(fx, 0x05, &rsp, 0xDC, 0x01, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x03, &rsp, 0xDC, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(u16_at(&rsp, 4), 300);
	/* out of range: each its own code, nothing changes */
	RUN(fx, 0x04, &rsp, 0xDC, 0, 0, 0, 0x00, 0x05, 0x00, 0xE8, 0x03, 0, 0, 0, 0, 0x05, 0x00);
	assert_int_equal(rsp.cc, 0x84);
	RUN(fx, 0x04, &rsp, 0xDC, 0, 0, 0, 0x00, 0x2C, 0x01, 0x0A, 0x00, 0, 0, 0, 0, 0x05, 0x00);
	assert_int_equal(rsp.cc, 0x85);
	RUN(fx, 0x04, &rsp, 0xDC, 0, 0, 0, 0x00, 0x2C, 0x01, 0xE8, 0x03, 0, 0, 0, 0, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0x89);
	RUN(fx, 0x04, &rsp, 0xDC, 0, 0, 0, 0x05, 0x2C, 0x01, 0xE8, 0x03, 0, 0, 0, 0, 0x05, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x05, &rsp, 0xDC, 0x02, 0x00, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	/* survives a restart, active */
	bmc_restart(fx);
	RUN(fx, 0x03, &rsp, 0xDC, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(u16_at(&rsp, 4), 300);
	assert_int_equal(u32_at(&rsp, 6), 1000);
	RUN(fx, 0x05, &rsp, 0xDC, 0x00, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	bmc_restart(fx);
	RUN(fx, 0x03, &rsp, 0xDC, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0x80);
	assert_int_equal(u16_at(&rsp, 4), 300);
	assert_true(old_limit != 300);
}

/* Above an active limit for the correction time: the exception action, once. */
static void t_power_limit_exception(void **state)
{
	struct fixture *fx = *state;
	struct bmc_dcmi_power_limit l = { .exception_action = BMC_DCMI_EXCEPTION_POWER_OFF,
					  .limit_watts = 100, .correction_ms = 2000,
					  .sampling_sec = 1 };

	assert_int_equal(fake_power(&fx->plat.base, PLATFORM_POWER_ON), 0);
	assert_int_equal(bmc_dcmi_power_limit_set(&fx->bmc, &l), 0);
	sample_at(fx, 0, 150); /* not active yet */
	sample_at(fx, 1, 150);
	sample_at(fx, 2, 150);
	assert_true(fx->plat.on);
	assert_int_equal(bmc_dcmi_power_limit_activate(&fx->bmc, true), 0);
	sample_at(fx, 3, 150);
	sample_at(fx, 4, 90); /* back under: the excursion ends */
	sample_at(fx, 5, 150);
	sample_at(fx, 6, 150);
	assert_true(fx->plat.on);
	sample_at(fx, 7, 150);
	assert_false(fx->plat.on);
}

/* ---- asset tag, MC ID string ---------------------------------------------------------- */

static void t_asset_tag(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x06, &rsp, 0xDC, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(rsp.data[1], 0);
	RUN(fx, 0x08, &rsp, 0xDC, 0, 16, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B',
	    'C', 'D', 'E', 'F');
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	assert_int_equal(rsp.data[1], 16);
	RUN(fx, 0x08, &rsp, 0xDC, 16, 4, 'G', 'H', 'I', 'J');
	assert_int_equal(rsp.data[1], 20);
	RUN(fx, 0x06, &rsp, 0xDC, 0, 0); /* ipmitool's length probe */
	assert_int_equal(rsp.len, 2);
	assert_int_equal(rsp.data[1], 20);
	RUN(fx, 0x06, &rsp, 0xDC, 16, 16);
	assert_int_equal(rsp.len, 6);
	assert_memory_equal(rsp.data + 2, "GHIJ", 4);
	RUN(fx, 0x06, &rsp, 0xDC, 30, 16); /* past the end: no bytes */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 2);
	RUN(fx, 0x06, &rsp, 0xDC, 0, 17);
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);
	/* refused: a hole, too long, too much at once, a count that is not the data length */
	RUN(fx, 0x08, &rsp, 0xDC, 21, 1, 'x');
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);
	RUN(fx, 0x08, &rsp, 0xDC, 0, 17, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	RUN(fx, 0x08, &rsp, 0xDC, 0, 3, 'a', 'b');
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	for (unsigned off = 20; off < 62; off += 14) {
		uint8_t req[3 + 14] = { 0xDC, (uint8_t)off, 14 };
		memset(req + 3, 'z', 14);
		run(&fx->bmc, 0x08, req, sizeof(req), &rsp);
		assert_int_equal(rsp.cc, 0);
	}
	RUN(fx, 0x08, &rsp, 0xDC, 62, 2, 'y', 'y'); /* 64 bytes */
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);
	RUN(fx, 0x06, &rsp, 0xDC, 0, 0);
	assert_int_equal(rsp.data[1], 62);
	/* a shorter tag written from 0 replaces the whole tag, and it persists */
	RUN(fx, 0x08, &rsp, 0xDC, 0, 5, 'R', 'A', 'C', 'K', '7');
	assert_int_equal(rsp.data[1], 5);
	bmc_restart(fx);
	RUN(fx, 0x06, &rsp, 0xDC, 0, 16);
	assert_int_equal(rsp.len, 7);
	assert_int_equal(rsp.data[1], 5);
	assert_memory_equal(rsp.data + 2, "RACK7", 5);
}

static void t_mc_id_string(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x09, &rsp, 0xDC, 0, 1); /* ipmitool's first read */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[1], 7);
	assert_int_equal(rsp.data[2], 's');
	/* ipmitool set_mc_id_string: strlen + 1 bytes (with the NUL) in chunks of 16 */
	const char *id = "rack4-node17-bmc-a";
	RUN(fx, 0x0A, &rsp, 0xDC, 0, 16, 'r', 'a', 'c', 'k', '4', '-', 'n', 'o', 'd', 'e', '1', '7',
	    '-', 'b', 'm', 'c');
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[1], 16);
	RUN(fx, 0x0A, &rsp, 0xDC, 16, 3, '-', 'a', 0);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[1], 19);
	assert_string_equal(fx->bmc.dcmi.mc_id, id);
	RUN(fx, 0x09, &rsp, 0xDC, 16, 16);
	assert_int_equal(rsp.data[1], 18);
	assert_int_equal(rsp.len, 4);
	assert_memory_equal(rsp.data + 2, "-a", 2);
	/* a NUL mid-chunk ends the string there */
	RUN(fx, 0x0A, &rsp, 0xDC, 0, 4, 'a', 'b', 0, 'c');
	assert_int_equal(rsp.cc, 0);
	assert_string_equal(fx->bmc.dcmi.mc_id, "ab");
	bmc_restart(fx);
	assert_string_equal(fx->bmc.dcmi.mc_id, "ab");
	/* 63 characters fit, 64 do not */
	for (unsigned off = 0; off < 48; off += 16) {
		uint8_t req[3 + 16] = { 0xDC, (uint8_t)off, 16 };
		memset(req + 3, 'm', 16);
		run(&fx->bmc, 0x0A, req, sizeof(req), &rsp);
		assert_int_equal(rsp.cc, 0);
	}
	uint8_t last[3 + 16] = { 0xDC, 48, 16 };
	memset(last + 3, 'm', 16);
	run(&fx->bmc, 0x0A, last, sizeof(last), &rsp); /* 64 characters, no NUL */
	assert_int_equal(rsp.cc, IPMI_CC_PARAM_OUT_OF_RANGE);
	last[3 + 15] = 0; /* 63 and the NUL */
	run(&fx->bmc, 0x0A, last, sizeof(last), &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(strlen(fx->bmc.dcmi.mc_id), 63);
}

/* ---- temperature selection ------------------------------------------------------------ */

static void t_temp_select(void **state)
{
	struct bmc_dcmi_temp t[10];
	size_t first = 99;

	(void)state;
	for (unsigned i = 0; i < 10; i++)
		t[i] = (struct bmc_dcmi_temp){ .entity_instance = (uint8_t)(i + 1), .valid = true };
	assert_int_equal(bmc_dcmi_temp_select(t, 10, 0, 0, &first), 8);
	assert_int_equal(first, 0);
	assert_int_equal(bmc_dcmi_temp_select(t, 10, 0, 1, &first), 8);
	assert_int_equal(first, 0);
	assert_int_equal(bmc_dcmi_temp_select(t, 10, 0, 9, &first), 2);
	assert_int_equal(first, 8);
	assert_int_equal(bmc_dcmi_temp_select(t, 10, 8, 0, &first), 1); /* ipmitool 1.8.19 */
	assert_int_equal(first, 7);
	assert_int_equal(bmc_dcmi_temp_select(t, 10, 11, 0, &first), 0);
	assert_int_equal(bmc_dcmi_temp_select(t, 10, 0, 11, &first), 0);
	assert_int_equal(bmc_dcmi_temp_select(t, 0, 0, 0, &first), 0);
}

/* Without temperature sensors the answers are empty, never errors; other entities are. */
static void t_temp_commands(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x10, &rsp, 0xDC, 0x01, 0x40, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 3);
	RUN(fx, 0x10, &rsp, 0xDC, 0x01, 0x41, 0x08, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.data[2], 0);
	RUN(fx, 0x07, &rsp, 0xDC, 0x01, 0x42, 0x00, 0x01);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 3);
	RUN(fx, 0x10, &rsp, 0xDC, 0x01, 0x99, 0x00, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x10, &rsp, 0xDC, 0x02, 0x40, 0x00, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_group_id, setup, teardown),
		cmocka_unit_test_setup_teardown(t_capabilities, setup, teardown),
		cmocka_unit_test_setup_teardown(t_power_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(t_power_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(t_power_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(t_power_limit_exception, setup, teardown),
		cmocka_unit_test_setup_teardown(t_asset_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(t_mc_id_string, setup, teardown),
		cmocka_unit_test(t_temp_select),
		cmocka_unit_test_setup_teardown(t_temp_commands, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
