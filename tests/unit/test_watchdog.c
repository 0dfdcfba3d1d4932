/* Unit tests of the watchdog timer (bmc/watchdog.c) and its App netFn handlers
 * (ipmi/watchdog.c): Set/Get round trip, Reset before Set, the countdown evaluated from
 * injected monotonic times, expiry with each action carried out on a fake platform (restart
 * cause "watchdog"), expiration flags and their clearing, "don't log", "don't stop", the
 * pre-timeout interrupt, the stop on power-down, and the Watchdog 2 events in the SEL. The BMC
 * runs on a store in a temporary directory; the fake platform reports power changes
 * synchronously and counts what it was asked to do. */
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

struct fixture {
	char dir[64];
	struct store *store;
	struct test_platform plat;
	struct bmc bmc;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_watchdog", &fx->store);
	test_bmc_wire(&fx->bmc, fx->store, &fx->plat.base, &test_platform_ops);
	fx->bmc.global_enables = 0x0C; /* SEL logging on */
	assert_int_equal(bmc_chassis_init(&fx->bmc), 0);
	assert_int_equal(bmc_sel_init(&fx->bmc), 0);
	assert_int_equal(bmc_watchdog_init(&fx->bmc), 0);
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

#define T0 (1000 * USEC_PER_SEC) /* an arbitrary monotonic start time */
#define MS(x) ((usec_t)(x) * USEC_PER_MSEC)

static void run(struct bmc *bmc, uint8_t cmd, const uint8_t *data, size_t len,
		struct ipmi_rsp *rsp)
{
	struct ipmi_req req = { .netfn = IPMI_NETFN_APP, .cmd = cmd, .data = data, .len = len,
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

static void power_on(struct fixture *fx)
{
	assert_int_equal(bmc_chassis_power_action(&fx->bmc, PLATFORM_POWER_ON,
						  BMC_RESTART_CHASSIS_CTRL, 1), 0);
	assert_true(fx->plat.on);
	bmc_watchdog_tick(&fx->bmc, T0 - USEC_PER_SEC); /* the watchdog sees the power state */
}

static struct bmc_watchdog_config cfg_of(uint8_t use, uint8_t action, uint16_t countdown)
{
	return (struct bmc_watchdog_config){ .timer_use = use, .action = action,
					     .countdown = countdown };
}

/* The newest Watchdog 2 record in the SEL (other sensors' events, such as the power events
 * an action causes, may follow it); false if there is none. */
static bool last_watchdog_record(struct bmc *bmc, uint8_t rec[static BMC_SEL_RECORD_LEN])
{
	uint8_t r[BMC_SEL_RECORD_LEN];
	uint16_t id = BMC_SEL_ID_FIRST, next = 0;
	bool found = false;

	while (id != BMC_SEL_ID_LAST && bmc_sel_get(bmc, id, r, &next) == 0) {
		if (r[10] == 0x23 && r[11] == BMC_SENSOR_WATCHDOG) {
			memcpy(rec, r, BMC_SEL_RECORD_LEN);
			found = true;
		}
		id = next;
	}
	return found;
}

static unsigned watchdog_records(struct bmc *bmc)
{
	uint8_t r[BMC_SEL_RECORD_LEN];
	uint16_t id = BMC_SEL_ID_FIRST, next = 0;
	unsigned n = 0;

	while (id != BMC_SEL_ID_LAST && bmc_sel_get(bmc, id, r, &next) == 0) {
		n += r[10] == 0x23 && r[11] == BMC_SENSOR_WATCHDOG;
		id = next;
	}
	return n;
}

/* The newest Watchdog 2 record must be a system event with these event data bytes. */
static void assert_last_event(struct bmc *bmc, uint8_t d1, uint8_t d2)
{
	uint8_t rec[BMC_SEL_RECORD_LEN];

	assert_true(last_watchdog_record(bmc, rec));
	assert_int_equal(rec[2], 0x02);   /* system event record */
	assert_int_equal(rec[7], 0x20);   /* generator: the BMC */
	assert_int_equal(rec[12], 0x6F);  /* assertion, sensor-specific */
	assert_int_equal(rec[13], d1);
	assert_int_equal(rec[14], d2);
	assert_int_equal(rec[15], 0xFF);
}

/* ---- tests ---------------------------------------------------------------------------- */

static void t_event_encoding(void **state)
{
	struct bmc_event ev = bmc_watchdog_event(BMC_WDT_OFFSET_POWER_CYCLE, BMC_WDT_INT_NMI,
						 BMC_WDT_USE_SMS_OS);

	(void)state;
	assert_int_equal(ev.sensor_type, 0x23);
	assert_int_equal(ev.sensor_num, 0xE1);
	assert_int_equal(ev.event_type, 0x6F);
	assert_false(ev.deassertion);
	assert_int_equal(ev.data[0], 0xC3);
	assert_int_equal(ev.data[1], 0x24);
	assert_int_equal(ev.data[2], 0xFF);
	ev = bmc_watchdog_event(BMC_WDT_OFFSET_TIMER_INTERRUPT, BMC_WDT_INT_NONE,
				BMC_WDT_USE_BIOS_FRB2);
	assert_int_equal(ev.data[0], 0xC8);
	assert_int_equal(ev.data[1], 0x01);
}

/* IPMI 2.0 §27.5: Reset before any Set is "attempt to start un-initialized watchdog". */
static void t_reset_uninitialized(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x22, &rsp);
	assert_int_equal(rsp.cc, 0x80);
	assert_int_equal(rsp.len, 0);
	assert_int_equal(bmc_watchdog_reset(&fx->bmc, T0), -EPERM);
	assert_false(fx->bmc.watchdog.running);
	/* Get works and reports a stopped, unconfigured timer. */
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 8);
	assert_int_equal(rsp.data[0] & 0x40, 0);
}

static void t_set_get_roundtrip(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	/* SMS/OS, don't log; SMI pre-timeout, power cycle; 2 s; clear nothing; 10.0 s. */
	RUN(fx, 0x24, &rsp, 0x84, 0x13, 0x02, 0x00, 0x64, 0x00);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 0);
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.cc, 0);
	const uint8_t want[] = { 0x84, 0x13, 0x02, 0x00, 0x64, 0x00, 0x64, 0x00 };
	assert_int_equal(rsp.len, sizeof(want));
	assert_memory_equal(rsp.data, want, sizeof(want));
	/* Now Reset starts it: Get shows bit 6 "running". */
	RUN(fx, 0x22, &rsp);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.data[0], 0xC4);
	/* Extra request bytes on the no-data commands are a length error. */
	RUN(fx, 0x22, &rsp, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	RUN(fx, 0x25, &rsp, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
}

static void t_invalid_set(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x24, &rsp, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00); /* use 0: reserved */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x24, &rsp, 0x06, 0x00, 0x00, 0x00, 0x0A, 0x00); /* use 6: reserved */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x24, &rsp, 0x04, 0x04, 0x00, 0x00, 0x0A, 0x00); /* action 4 */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x24, &rsp, 0x04, 0x40, 0x00, 0x00, 0x0A, 0x00); /* interrupt 4 */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x24, &rsp, 0x04, 0x00, 0x00, 0x00, 0x0A); /* 5 bytes */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	/* None of these configured the timer. */
	assert_false(fx->bmc.watchdog.initialized);
	RUN(fx, 0x22, &rsp);
	assert_int_equal(rsp.cc, 0x80);
}

/* The countdown follows the injected clock, whatever the number of ticks. */
static void t_countdown(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_SMS_OS, BMC_WDT_ACTION_NONE, 50);

	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(3000)), 50); /* stopped */
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0), 50);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(1050)), 40);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(4950)), 1);
	bmc_watchdog_tick(bmc, T0 + MS(4990));
	assert_true(bmc->watchdog.running);
	/* A Reset restarts from the initial countdown. */
	assert_int_equal(bmc_watchdog_reset(bmc, T0 + MS(4990)), 0);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(4990)), 50);
	bmc_watchdog_tick(bmc, T0 + MS(9980));
	assert_true(bmc->watchdog.running);
	bmc_watchdog_tick(bmc, T0 + MS(9990)); /* one tick, long after: still expires */
	assert_false(bmc->watchdog.running);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(10000)), 0);
	assert_int_equal(bmc->watchdog.expired_flags, 1u << BMC_WDT_USE_SMS_OS);
}

/* §27.7: power cycle on expiry, restart cause watchdog, flag set, event in the SEL. */
static void t_expiry_power_cycle(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct ipmi_rsp rsp;

	power_on(fx);
	unsigned before = watchdog_records(bmc);
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_SMS_OS, BMC_WDT_ACTION_POWER_CYCLE, 20);
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0 + MS(1900));
	assert_int_equal(fx->plat.n_cycle, 0);
	bmc_watchdog_tick(bmc, T0 + MS(2000));
	assert_int_equal(fx->plat.n_cycle, 1);
	assert_true(fx->plat.on);
	assert_int_equal(bmc->chassis.restart_cause, BMC_RESTART_WATCHDOG);
	assert_false(bmc->watchdog.running);
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.data[0], 0x04);
	assert_int_equal(rsp.data[3], 0x10); /* SMS/OS expired */
	assert_int_equal(rsp.data[6] | rsp.data[7] << 8, 0);
	assert_int_equal(watchdog_records(bmc), before + 1);
	assert_last_event(bmc, 0xC3, 0x04);
	/* later ticks do nothing more */
	bmc_watchdog_tick(bmc, T0 + MS(10000));
	assert_int_equal(fx->plat.n_cycle, 1);
}

static void t_expiry_reset_and_power_down(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;

	power_on(fx);
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_OS_LOAD, BMC_WDT_ACTION_HARD_RESET, 10);
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0 + MS(1000));
	assert_int_equal(fx->plat.n_reset, 1);
	assert_int_equal(bmc->chassis.restart_cause, BMC_RESTART_WATCHDOG);
	assert_last_event(bmc, 0xC1, 0x03);
	c = cfg_of(BMC_WDT_USE_BIOS_POST, BMC_WDT_ACTION_POWER_DOWN, 10);
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0 + MS(2000)), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0 + MS(2000)), 0);
	bmc_watchdog_tick(bmc, T0 + MS(3000));
	assert_false(fx->plat.on);
	assert_last_event(bmc, 0xC2, 0x02);
	assert_int_equal(bmc->watchdog.expired_flags, (1u << 3) | (1u << 2));
}

/* A hard reset of a server that is off cannot happen: only "timer expired" is logged. */
static void t_expiry_while_off(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_SMS_OS, BMC_WDT_ACTION_HARD_RESET, 10);

	assert_false(fx->plat.on);
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0 + MS(1000));
	assert_false(bmc->watchdog.running);
	assert_int_equal(fx->plat.n_reset, 0);
	assert_int_equal(bmc->watchdog.expired_flags, 0x10);
	assert_last_event(bmc, 0xC0, 0x04);
}

/* Set's byte 4 clears exactly the flags it names. */
static void t_flags_cleared_by_set(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct ipmi_rsp rsp;
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_BIOS_FRB2, BMC_WDT_ACTION_NONE, 0);

	/* countdown 0 expires at the next tick (§27: the action occurs immediately) */
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0);
	assert_false(bmc->watchdog.running);
	c.timer_use = BMC_WDT_USE_OEM;
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0 + 1);
	assert_int_equal(bmc->watchdog.expired_flags, 0x22);
	RUN(fx, 0x24, &rsp, 0x04, 0x00, 0x00, 0x02, 0x0A, 0x00); /* clear FRB2 only */
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.data[3], 0x20);
	RUN(fx, 0x24, &rsp, 0x04, 0x00, 0x00, 0x3E, 0x0A, 0x00); /* clear all */
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.data[3], 0x00);
}

/* "Don't log": no SEL entry, and the bit clears after the timeout. */
static void t_dont_log(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct ipmi_rsp rsp;

	RUN(fx, 0x24, &rsp, 0x84, 0x00, 0x00, 0x00, 0x05, 0x00);
	assert_int_equal(rsp.cc, 0);
	unsigned before = watchdog_records(bmc);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0 + MS(500));
	assert_false(bmc->watchdog.running);
	assert_int_equal(watchdog_records(bmc), before);
	assert_int_equal(bmc->watchdog.expired_flags, 0x10);
	RUN(fx, 0x25, &rsp);
	assert_int_equal(rsp.data[0], 0x04);
}

/* §27.6 byte 1 bit 6. */
static void t_dont_stop(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_SMS_OS, BMC_WDT_ACTION_NONE, 100);

	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	c.countdown = 300;
	c.dont_stop = true;
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0 + MS(5000)), 0);
	assert_true(bmc->watchdog.running);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(5000)), 300);
	bmc_watchdog_tick(bmc, T0 + MS(10000)); /* the old deadline passes */
	assert_true(bmc->watchdog.running);
	c.dont_stop = false;
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0 + MS(11000)), 0);
	assert_false(bmc->watchdog.running);
	bmc_watchdog_tick(bmc, T0 + MS(60000));
	assert_int_equal(bmc->watchdog.expired_flags, 0);
	c.dont_stop = true; /* a stopped timer stays stopped */
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0 + MS(61000)), 0);
	assert_false(bmc->watchdog.running);
	assert_int_equal(bmc_watchdog_present_countdown(bmc, T0 + MS(61000)), 300);
}

/* The pre-timeout interrupt fires pre-timeout seconds before expiry, once, and is logged. */
static void t_pretimeout(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_SMS_OS, BMC_WDT_ACTION_NONE, 50);

	c.interrupt = BMC_WDT_INT_NMI;
	c.pretimeout_sec = 2;
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	unsigned before = watchdog_records(bmc);
	bmc_watchdog_tick(bmc, T0 + MS(2900));
	assert_int_equal(watchdog_records(bmc), before);
	bmc_watchdog_tick(bmc, T0 + MS(3000));
	assert_int_equal(watchdog_records(bmc), before + 1);
	assert_last_event(bmc, 0xC8, 0x24);
	bmc_watchdog_tick(bmc, T0 + MS(4000));
	assert_int_equal(watchdog_records(bmc), before + 1);
	assert_true(bmc->watchdog.running);
	bmc_watchdog_tick(bmc, T0 + MS(5000));
	assert_false(bmc->watchdog.running);
	assert_int_equal(watchdog_records(bmc), before + 2);
	assert_last_event(bmc, 0xC0, 0x24);
}

/* §27: the timer stops when the system powers down. */
static void t_power_down_stops(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	struct bmc_watchdog_config c = cfg_of(BMC_WDT_USE_SMS_OS, BMC_WDT_ACTION_HARD_RESET, 100);

	power_on(fx);
	assert_int_equal(bmc_watchdog_set(bmc, &c, T0), 0);
	assert_int_equal(bmc_watchdog_reset(bmc, T0), 0);
	bmc_watchdog_tick(bmc, T0 + MS(1000));
	assert_true(bmc->watchdog.running);
	assert_int_equal(bmc_chassis_power_action(bmc, PLATFORM_POWER_OFF,
						  BMC_RESTART_CHASSIS_CTRL, 1), 0);
	bmc_watchdog_tick(bmc, T0 + MS(2000));
	assert_false(bmc->watchdog.running);
	bmc_watchdog_tick(bmc, T0 + MS(20000));
	assert_int_equal(bmc->watchdog.expired_flags, 0);
	assert_int_equal(fx->plat.n_reset, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_event_encoding),
		cmocka_unit_test_setup_teardown(t_reset_uninitialized, setup, teardown),
		cmocka_unit_test_setup_teardown(t_set_get_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(t_invalid_set, setup, teardown),
		cmocka_unit_test_setup_teardown(t_countdown, setup, teardown),
		cmocka_unit_test_setup_teardown(t_expiry_power_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(t_expiry_reset_and_power_down, setup, teardown),
		cmocka_unit_test_setup_teardown(t_expiry_while_off, setup, teardown),
		cmocka_unit_test_setup_teardown(t_flags_cleared_by_set, setup, teardown),
		cmocka_unit_test_setup_teardown(t_dont_log, setup, teardown),
		cmocka_unit_test_setup_teardown(t_dont_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(t_pretimeout, setup, teardown),
		cmocka_unit_test_setup_teardown(t_power_down_stops, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
