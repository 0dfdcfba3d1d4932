/* Unit tests of the chassis model (bmc/chassis.c) and its IPMI handlers (ipmi/chassis.c):
 * system boot option parameters (ipmitool's bootdev sequence, set-in-progress, lengths,
 * invalid marks, mailbox, the 60 s expiry, consumption at restart, param 3 rules,
 * persistence), restart cause and restore policy, identify and POH computed from time. The
 * BMC runs on a store in a temporary directory and a fake platform that reports every power
 * change synchronously; time is moved by shifting the model's timestamps back. */
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

/* A BMC (re)started on the fixture's store: what survives is only what was persisted. */
static void bmc_restart(struct fixture *fx)
{
	test_bmc_wire(&fx->bmc, fx->store, &fx->plat.base, &test_platform_ops);
	assert_int_equal(bmc_chassis_init(&fx->bmc), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	test_env_setup(fx->dir, sizeof(fx->dir), "test_chassis", &fx->store);
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

static int set_param(struct bmc *bmc, uint8_t param, const uint8_t *data, size_t len)
{
	return bmc_chassis_boot_param_set(bmc, param, false, data, len);
}

static size_t get_param(struct bmc *bmc, uint8_t param, uint8_t set_selector, uint8_t *out)
{
	size_t len = 0;
	bool invalid = true;
	assert_int_equal(bmc_chassis_boot_param_get(bmc, param, set_selector, out,
						    BMC_BOOT_PARAM_MAX_LEN, &len, &invalid), 0);
	return len;
}

static uint8_t boot_flags_byte1(struct bmc *bmc)
{
	uint8_t out[BMC_BOOT_PARAM_MAX_LEN];
	assert_int_equal(get_param(bmc, 5, 0, out), 5);
	return out[0];
}

/* Runs one request through the chassis table the way the dispatcher does. */
static void run(struct bmc *bmc, uint8_t cmd, const uint8_t *data, size_t len,
		struct ipmi_rsp *rsp)
{
	struct ipmi_req req = { .netfn = IPMI_NETFN_CHASSIS, .cmd = cmd, .data = data, .len = len,
				.channel = IPMI_CHANNEL_LAN, .priv = IPMI_PRIV_ADMIN };
	memset(rsp, 0, sizeof(*rsp));
	for (size_t i = 0; i < ipmi_chassis_cmds_n; i++) {
		const struct ipmi_cmd *row = &ipmi_chassis_cmds[i];
		if (row->netfn != req.netfn || row->cmd != cmd)
			continue;
		size_t max = row->max_len ? row->max_len : IPMI_MAX_REQ_DATA;
		if (len < row->min_len || len > max)
			rsp->cc = IPMI_CC_REQ_LEN_INVALID;
		else
			row->handler(bmc, &req, rsp);
		return;
	}
	rsp->cc = IPMI_CC_INVALID_CMD;
}

#define RUN(fx, cmd, rsp, ...) \
	do { \
		const uint8_t d_[] = { __VA_ARGS__ }; \
		run(&(fx)->bmc, cmd, d_, sizeof(d_), rsp); \
	} while (0)

static const uint8_t pxe_once[5] = { 0x80, 0x04, 0x00, 0x00, 0x00 };
static const uint8_t pxe_persistent[5] = { 0xC0, 0x04, 0x00, 0x00, 0x00 };

/* ---- boot options --------------------------------------------------------------------- */

/* ipmitool chassis bootdev pxe: 0=01, 4=01 01, 5=80 04 00 00 00, 0=02, 0=00. */
static void t_bootdev_sequence(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x08, &rsp, 0x00, 0x01);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x08, &rsp, 0x04, 0x01, 0x01);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x08, &rsp, 0x05, 0x80, 0x04, 0x00, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x08, &rsp, 0x00, 0x02);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x08, &rsp, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0);

	/* chassis bootparam get 5 */
	RUN(fx, 0x09, &rsp, 0x05, 0x00, 0x00);
	const uint8_t want5[] = { 0x01, 0x05, 0x80, 0x04, 0x00, 0x00, 0x00 };
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, sizeof(want5));
	assert_memory_equal(rsp.data, want5, sizeof(want5));
	RUN(fx, 0x09, &rsp, 0x04, 0x00, 0x00);
	const uint8_t want4[] = { 0x01, 0x04, 0x00, 0x01 };
	assert_int_equal(rsp.len, sizeof(want4));
	assert_memory_equal(rsp.data, want4, sizeof(want4));
	RUN(fx, 0x09, &rsp, 0x00, 0x00, 0x00);
	const uint8_t want0[] = { 0x01, 0x00, 0x00 };
	assert_int_equal(rsp.len, sizeof(want0));
	assert_memory_equal(rsp.data, want0, sizeof(want0));
}

static void t_set_in_progress(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x08, &rsp, 0x00, 0x01);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x08, &rsp, 0x00, 0x01); /* again while not "set complete" */
	assert_int_equal(rsp.cc, 0x81);
	RUN(fx, 0x08, &rsp, 0x00, 0x02); /* commit write */
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x08, &rsp, 0x00, 0x01);
	assert_int_equal(rsp.cc, 0x81);
	RUN(fx, 0x08, &rsp, 0x00, 0x03); /* reserved */
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x08, &rsp, 0x00, 0x00);
	RUN(fx, 0x08, &rsp, 0x00, 0x01);
	assert_int_equal(rsp.cc, 0);
	/* A power down returns to "set complete". */
	assert_int_equal(bmc_chassis_control(&fx->bmc, 1, 1), 0);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 0, 1), 0);
	RUN(fx, 0x09, &rsp, 0x00, 0x00, 0x00);
	assert_int_equal(rsp.data[2], 0x00);
}

static void t_param_errors(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x08, &rsp, 0x05, 0x80, 0x04, 0x00, 0x00); /* 4 bytes for a 5-byte parameter */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	RUN(fx, 0x08, &rsp, 0x00);                          /* no data */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	RUN(fx, 0x08, &rsp, 0x08, 0x00);                    /* unsupported parameter */
	assert_int_equal(rsp.cc, 0x80);
	RUN(fx, 0x08, &rsp, 0x60, 0x00);                    /* OEM parameter 96 */
	assert_int_equal(rsp.cc, 0x80);
	RUN(fx, 0x09, &rsp, 0x08, 0x00, 0x00);
	assert_int_equal(rsp.cc, 0x80);
	RUN(fx, 0x09, &rsp, 0x05);                          /* Get needs 3 bytes */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x00); /* nothing was written */
}

static void t_invalid_mark(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x08, &rsp, 0x81, 0x07); /* param 1, marked invalid */
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x09, &rsp, 0x01, 0x00, 0x00);
	const uint8_t want[] = { 0x01, 0x81, 0x07 };
	assert_int_equal(rsp.len, sizeof(want));
	assert_memory_equal(rsp.data, want, sizeof(want));
	RUN(fx, 0x08, &rsp, 0x01, 0x07);
	RUN(fx, 0x09, &rsp, 0x01, 0x00, 0x00);
	assert_int_equal(rsp.data[1], 0x01);
}

static void t_mailbox(void **state)
{
	struct fixture *fx = *state;
	uint8_t block[17] = { 2 };
	uint8_t out[BMC_BOOT_PARAM_MAX_LEN];

	for (int i = 1; i < 17; i++)
		block[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(set_param(&fx->bmc, 7, block, sizeof(block)), 0);
	assert_int_equal(get_param(&fx->bmc, 7, 2, out), 17);
	assert_memory_equal(out, block, 17);
	assert_int_equal(get_param(&fx->bmc, 7, 0, out), 17);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);

	block[0] = BMC_BOOT_MAILBOX_BLOCKS;
	assert_int_equal(set_param(&fx->bmc, 7, block, sizeof(block)), -ERANGE);
	assert_int_equal(set_param(&fx->bmc, 7, block, 16), -EMSGSIZE);
	struct ipmi_rsp rsp;
	RUN(fx, 0x09, &rsp, 0x07, BMC_BOOT_MAILBOX_BLOCKS, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
}

/* IPMI 2.0 §28.12: cleared 60 s after being set without a Chassis Control restart. */
static void t_flags_expire(void **state)
{
	struct fixture *fx = *state;
	struct bmc_chassis *c = &fx->bmc.chassis;

	assert_int_equal(set_param(&fx->bmc, 5, pxe_once, 5), 0);
	assert_true(c->boot_flags_expire_at > now_monotonic() + 50 * USEC_PER_SEC);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x80);
	c->boot_flags_expire_at = now_monotonic() - 1;
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x00);
	assert_int_equal(c->boot_flags_expire_at, 0);

	/* Param 3 bit 3: don't clear on the timeout. */
	const uint8_t keep_timeout = 0x08;
	assert_int_equal(set_param(&fx->bmc, 3, &keep_timeout, 1), 0);
	assert_int_equal(set_param(&fx->bmc, 5, pxe_once, 5), 0);
	c->boot_flags_expire_at = now_monotonic() - 1;
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x80);

	/* Expiry also applies across a BMC restart (the deadline is stored as wall-clock). */
	const uint8_t clear_all = 0x00;
	assert_int_equal(set_param(&fx->bmc, 3, &clear_all, 1), 0);
	assert_int_equal(set_param(&fx->bmc, 5, pxe_once, 5), 0);
	bmc_restart(fx);
	assert_true(c->boot_flags_expire_at != 0);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x80);
}

/* A Chassis Control restart consumes a next-boot-only override; a persistent one stays. */
static void t_flags_consumed_at_restart(void **state)
{
	struct fixture *fx = *state;
	struct bmc_chassis *c = &fx->bmc.chassis;
	struct ipmi_rsp rsp;

	assert_int_equal(set_param(&fx->bmc, 5, pxe_once, 5), 0);
	RUN(fx, 0x02, &rsp, 0x01); /* power on */
	assert_int_equal(rsp.cc, 0);
	assert_true(fx->plat.on);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x00);
	assert_int_equal(c->boot_flags_expire_at, 0);
	assert_int_equal(c->restart_cause, BMC_RESTART_CHASSIS_CTRL);
	assert_int_equal(c->restart_channel, IPMI_CHANNEL_LAN);

	assert_int_equal(set_param(&fx->bmc, 5, pxe_persistent, 5), 0);
	RUN(fx, 0x02, &rsp, 0x02); /* power cycle */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0xC0);
	RUN(fx, 0x02, &rsp, 0x03); /* hard reset */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0xC0);
	assert_int_equal(c->boot_flags_expire_at, 0); /* no countdown after the restart */
}

/* What a platform whose firmware does not read the boot flags is told before it starts: the
 * device, once or persistent, only if the pending restart's cause keeps the flags. */
static void t_boot_device(void **state)
{
	struct fixture *fx = *state;
	struct bmc_chassis *c = &fx->bmc.chassis;
	const uint8_t keep_power_button = 0x01;
	static const struct {
		uint8_t selector;
		enum platform_boot_device want;
	} map[] = {
		{ 0x00, PLATFORM_BOOT_DEFAULT }, { 0x04, PLATFORM_BOOT_PXE },
		{ 0x08, PLATFORM_BOOT_DISK }, { 0x0C, PLATFORM_BOOT_DISK },
		{ 0x10, PLATFORM_BOOT_DEFAULT }, { 0x14, PLATFORM_BOOT_CDROM },
		{ 0x18, PLATFORM_BOOT_BIOS_SETUP }, { 0x1C, PLATFORM_BOOT_FLOPPY },
		{ 0x20, PLATFORM_BOOT_CDROM }, { 0x2C, PLATFORM_BOOT_DISK },
		{ 0x3C, PLATFORM_BOOT_FLOPPY },
	};
	bool persistent = true;

	/* no valid flags: the machine's own order */
	assert_int_equal(bmc_chassis_boot_device(&fx->bmc, &persistent), PLATFORM_BOOT_DEFAULT);
	assert_false(persistent);
	c->restart_pending = true;
	c->pending_cause = BMC_RESTART_CHASSIS_CTRL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const uint8_t flags[5] = { 0x80, map[i].selector, 0, 0, 0 };
		assert_int_equal(set_param(&fx->bmc, 5, flags, 5), 0);
		assert_int_equal(bmc_chassis_boot_device(&fx->bmc, &persistent), map[i].want);
		assert_false(persistent);
	}
	assert_int_equal(set_param(&fx->bmc, 5, pxe_persistent, 5), 0);
	assert_int_equal(bmc_chassis_boot_device(&fx->bmc, &persistent), PLATFORM_BOOT_PXE);
	assert_true(persistent);
	/* asking changes nothing: the flags are consumed when the restart is reported */
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0xC0);
	/* a power-button start clears them unless parameter 3 keeps them */
	c->pending_cause = BMC_RESTART_POWER_BUTTON;
	assert_int_equal(bmc_chassis_boot_device(&fx->bmc, &persistent), PLATFORM_BOOT_DEFAULT);
	assert_int_equal(set_param(&fx->bmc, 3, &keep_power_button, 1), 0);
	assert_int_equal(bmc_chassis_boot_device(&fx->bmc, &persistent), PLATFORM_BOOT_PXE);
	/* no restart pending (e.g. QEMU started by the power restore policy): cause unknown */
	c->restart_pending = false;
	assert_int_equal(bmc_chassis_boot_device(&fx->bmc, &persistent), PLATFORM_BOOT_DEFAULT);
}

/* Restarts not caused by Chassis Control clear the flags unless param 3 says otherwise. */
static void t_flags_clearing_rules(void **state)
{
	struct fixture *fx = *state;
	const uint8_t keep_power_button = 0x01;

	assert_int_equal(set_param(&fx->bmc, 5, pxe_persistent, 5), 0);
	assert_int_equal(bmc_chassis_power_action(&fx->bmc, PLATFORM_POWER_ON,
						  BMC_RESTART_POWER_BUTTON, 0), 0);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x40);
	assert_int_equal(fx->bmc.chassis.restart_cause, BMC_RESTART_POWER_BUTTON);

	assert_int_equal(bmc_chassis_control(&fx->bmc, 0, 1), 0);
	assert_int_equal(set_param(&fx->bmc, 3, &keep_power_button, 1), 0);
	assert_int_equal(set_param(&fx->bmc, 5, pxe_persistent, 5), 0);
	assert_int_equal(bmc_chassis_power_action(&fx->bmc, PLATFORM_POWER_ON,
						  BMC_RESTART_POWER_BUTTON, 0), 0);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0xC0);

	/* A reset the server did on its own (no command pending): cause unknown, cleared. */
	fx->bmc.chassis.boot.flags[0] = 0xC0;
	bmc_chassis_reset_happened(&fx->bmc);
	assert_int_equal(fx->bmc.chassis.restart_cause, BMC_RESTART_UNKNOWN);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0x40);
}

static void t_boot_persistence(void **state)
{
	struct fixture *fx = *state;
	const uint8_t sp = 0x42, ack[2] = { 0x01, 0x01 }, sip = 0x01;
	uint8_t out[BMC_BOOT_PARAM_MAX_LEN];

	assert_int_equal(set_param(&fx->bmc, 1, &sp, 1), 0);
	assert_int_equal(set_param(&fx->bmc, 4, ack, 2), 0);
	assert_int_equal(set_param(&fx->bmc, 0, &sip, 1), 0);
	assert_int_equal(set_param(&fx->bmc, 5, pxe_persistent, 5), 0);
	bmc_restart(fx);
	assert_int_equal(get_param(&fx->bmc, 1, 0, out), 1);
	assert_int_equal(out[0], 0x42);
	assert_int_equal(boot_flags_byte1(&fx->bmc), 0xC0);
	/* Params 0 and 4 are volatile (reset with the BMC). */
	assert_int_equal(get_param(&fx->bmc, 0, 0, out), 1);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(get_param(&fx->bmc, 4, 0, out), 2);
	assert_int_equal(out[1], 0x00);
}

/* ---- power, policy, restart cause ------------------------------------------------------ */

static void t_control(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x02, &rsp, 0x06);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);
	RUN(fx, 0x02, &rsp, 0x02); /* cycle while off */
	assert_int_equal(rsp.cc, IPMI_CC_NOT_IN_STATE);
	RUN(fx, 0x02, &rsp, 0x03); /* reset while off */
	assert_int_equal(rsp.cc, IPMI_CC_NOT_IN_STATE);
	RUN(fx, 0x02, &rsp);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);

	RUN(fx, 0x01, &rsp);
	assert_int_equal(rsp.len, 4);
	assert_int_equal(rsp.data[0] & 0x01, 0);
	RUN(fx, 0x02, &rsp, 0x01);
	assert_int_equal(rsp.cc, 0);
	RUN(fx, 0x01, &rsp);
	assert_int_equal(rsp.data[0] & 0x01, 1);
	assert_int_equal(rsp.data[1], 0x10); /* last power-on via IPMI */
	RUN(fx, 0x07, &rsp);
	const uint8_t cause[] = { 0x01, IPMI_CHANNEL_LAN };
	assert_int_equal(rsp.len, 2);
	assert_memory_equal(rsp.data, cause, 2);
	RUN(fx, 0x01, &rsp, 0x00); /* Get Chassis Status takes no data */
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
}

static void t_restore_policy(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	RUN(fx, 0x06, &rsp, 0x03); /* list */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 1);
	assert_int_equal(rsp.data[0], 0x07);
	RUN(fx, 0x06, &rsp, 0x04);
	assert_int_equal(rsp.cc, IPMI_CC_INVALID_FIELD);

	/* always-on: powers on at BMC start, cause 6. */
	RUN(fx, 0x06, &rsp, 0x02);
	assert_int_equal(rsp.cc, 0);
	bmc_restart(fx);
	assert_true(fx->plat.on);
	assert_int_equal(fx->bmc.chassis.restart_cause, BMC_RESTART_POLICY_ALWAYS_ON);
	RUN(fx, 0x01, &rsp);
	assert_int_equal(rsp.data[0], 0x41); /* on, policy always-on */
	assert_int_equal(rsp.data[1], 0x00); /* not via IPMI */

	/* previous: on if it was on at "AC loss" (the fake loses power silently). */
	RUN(fx, 0x06, &rsp, 0x01);
	fx->plat.on = false;
	bmc_restart(fx);
	assert_true(fx->plat.on);
	assert_int_equal(fx->bmc.chassis.restart_cause, BMC_RESTART_POLICY_PREVIOUS);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 0, 1), 0);
	bmc_restart(fx);
	assert_false(fx->plat.on);

	/* always-off stays off even if it was on. */
	RUN(fx, 0x06, &rsp, 0x00);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 1, 1), 0);
	fx->plat.on = false;
	bmc_restart(fx);
	assert_false(fx->plat.on);
}

/* ---- identify, POH -------------------------------------------------------------------- */

static void t_identify(void **state)
{
	struct fixture *fx = *state;
	struct ipmi_rsp rsp;

	assert_int_equal(bmc_chassis_identify_state(&fx->bmc), 0);
	RUN(fx, 0x04, &rsp); /* no data: 15 s */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(bmc_chassis_identify_state(&fx->bmc), 1);
	assert_true(fx->bmc.chassis.identify_until > now_monotonic() + 14 * USEC_PER_SEC);
	RUN(fx, 0x01, &rsp);
	assert_int_equal(rsp.data[2], 0x50); /* supported | temporary on */
	fx->bmc.chassis.identify_until = now_monotonic() - 1;
	assert_int_equal(bmc_chassis_identify_state(&fx->bmc), 0);

	RUN(fx, 0x04, &rsp, 0x00, 0x01); /* ipmitool chassis identify force */
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(bmc_chassis_identify_state(&fx->bmc), 2);
	RUN(fx, 0x01, &rsp);
	assert_int_equal(rsp.data[2], 0x60);
	RUN(fx, 0x04, &rsp, 0x00); /* off */
	assert_int_equal(bmc_chassis_identify_state(&fx->bmc), 0);
	RUN(fx, 0x04, &rsp, 0x05, 0x00, 0x00);
	assert_int_equal(rsp.cc, IPMI_CC_REQ_LEN_INVALID);
}

static void t_poh(void **state)
{
	struct fixture *fx = *state;
	struct bmc_chassis *c = &fx->bmc.chassis;
	struct ipmi_rsp rsp;

	assert_int_equal(bmc_chassis_poh_minutes(&fx->bmc), 0);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 1, 1), 0);
	c->powered_on_since -= 150 * USEC_PER_SEC;
	assert_int_equal(bmc_chassis_poh_minutes(&fx->bmc), 2);
	assert_int_equal(bmc_chassis_control(&fx->bmc, 0, 1), 0); /* accumulated and persisted */
	assert_int_equal(bmc_chassis_poh_minutes(&fx->bmc), 2);
	bmc_restart(fx);
	assert_int_equal(bmc_chassis_poh_minutes(&fx->bmc), 2);

	RUN(fx, 0x0F, &rsp);
	const uint8_t want[] = { 0x01, 0x02, 0x00, 0x00, 0x00 };
	assert_int_equal(rsp.len, sizeof(want));
	assert_memory_equal(rsp.data, want, sizeof(want));

	/* bmc_chassis_save folds the running period in. */
	assert_int_equal(bmc_chassis_control(&fx->bmc, 1, 1), 0);
	c->powered_on_since -= 60 * USEC_PER_SEC;
	assert_int_equal(bmc_chassis_save(&fx->bmc), 0);
	fx->plat.on = false;
	bmc_restart(fx);
	assert_int_equal(bmc_chassis_poh_minutes(&fx->bmc), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_bootdev_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(t_set_in_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(t_param_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(t_invalid_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(t_mailbox, setup, teardown),
		cmocka_unit_test_setup_teardown(t_flags_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(t_flags_consumed_at_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(t_flags_clearing_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(t_boot_device, setup, teardown),
		cmocka_unit_test_setup_teardown(t_boot_persistence, setup, teardown),
		cmocka_unit_test_setup_teardown(t_control, setup, teardown),
		cmocka_unit_test_setup_teardown(t_restore_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(t_identify, setup, teardown),
		cmocka_unit_test_setup_teardown(t_poh, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
