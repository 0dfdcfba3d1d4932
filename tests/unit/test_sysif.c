/* Unit tests of the in-band path: the ipmi-bmc-extern framing (platform/qemu/vmcodec.c) against
 * the bytes captured between QEMU 7.2 and ipmi_sim (shared/reference/qemu-extern.md), its
 * receive rules (what is dropped), and the system interface transport (ipmi/sysif.c): response
 * header, privilege, message flags set by a watchdog pre-timeout and cleared by the host, the
 * interrupt enable and attention signals the platform is given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bmc/bmc.h"
#include "ipmi/ipmi.h"
#include "ipmi/sysif.h"
#include "platform/qemu/vmcodec.h"

#include "fixture.h"

/* ---- framing ---------------------------------------------------------------------------- */

/* Feeds bytes; returns the kind of the last frame that ended (VM_FRAME_NONE if none) and
 * copies it out. */
static enum vm_frame feed_all(struct vm_decoder *d, const uint8_t *p, size_t n, uint8_t *out,
			      size_t *out_len)
{
	enum vm_frame last = VM_FRAME_NONE;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *f;
		size_t len;
		enum vm_frame k = vm_decoder_feed(d, p[i], &f, &len);
		if (k == VM_FRAME_NONE)
			continue;
		last = k;
		if (k == VM_FRAME_MSG || k == VM_FRAME_CMD) {
			memcpy(out, f, len);
			*out_len = len;
		}
	}
	return last;
}

/* The captured Get Device ID exchange: the request decodes, the response encodes to the
 * captured bytes (checksum 0x7a). */
static void t_capture_get_device_id(void **state)
{
	(void)state;
	static const uint8_t req_wire[] = { 0x00, 0x18, 0x01, 0xe7, 0xa0 };
	static const uint8_t rsp[] = { 0x00, 0x1c, 0x01, 0x00, 0x00, 0x03, 0x09, 0x08, 0x02, 0x9f,
				       0x91, 0x12, 0x00, 0x02, 0x0f, 0x00, 0x00, 0x00, 0x00 };
	struct vm_decoder d;
	uint8_t frame[VM_FRAME_MAX], wire[VM_WIRE_MAX];
	size_t len = 0;

	vm_decoder_init(&d);
	assert_int_equal(feed_all(&d, req_wire, sizeof(req_wire), frame, &len), VM_FRAME_MSG);
	assert_int_equal(len, 3);
	assert_memory_equal(frame, req_wire, 3);

	size_t n = vm_encode_msg(wire, sizeof(wire), rsp, sizeof(rsp));
	assert_int_equal(n, sizeof(rsp) + 2);
	assert_memory_equal(wire, rsp, sizeof(rsp));
	assert_int_equal(wire[n - 2], 0x7a);
	assert_int_equal(wire[n - 1], VM_MSG_END);
}

/* Captured: ipmi_sim's Get BMC Global Enables response whose checksum is 0xA0 went out as
 * 08 1c 2f 00 0d aa b0 a0; and it decodes back. */
static void t_capture_escaped_checksum(void **state)
{
	(void)state;
	static const uint8_t msg[] = { 0x08, 0x1c, 0x2f, 0x00, 0x0d };
	static const uint8_t want[] = { 0x08, 0x1c, 0x2f, 0x00, 0x0d, 0xaa, 0xb0, 0xa0 };
	uint8_t wire[VM_WIRE_MAX], frame[VM_FRAME_MAX];
	size_t len = 0;
	struct vm_decoder d;

	size_t n = vm_encode_msg(wire, sizeof(wire), msg, sizeof(msg));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(wire, want, sizeof(want));
	vm_decoder_init(&d);
	assert_int_equal(feed_all(&d, wire, n, frame, &len), VM_FRAME_MSG);
	assert_int_equal(len, sizeof(msg));
	assert_memory_equal(frame, msg, sizeof(msg));
}

/* Captured connect: QEMU sends VERSION 1 and CAPABILITIES 0x3f; ours encode the same way. */
static void t_capture_commands(void **state)
{
	(void)state;
	static const uint8_t wire_in[] = { 0xff, 0x01, 0xa1, 0x08, 0x3f, 0xa1 };
	struct vm_decoder d;
	uint8_t frame[VM_FRAME_MAX], out[8];
	size_t len = 0;

	vm_decoder_init(&d);
	assert_int_equal(feed_all(&d, wire_in, 3, frame, &len), VM_FRAME_CMD);
	assert_int_equal(len, 2);
	assert_int_equal(frame[0], VM_CMD_VERSION);
	assert_int_equal(feed_all(&d, wire_in + 3, 3, frame, &len), VM_FRAME_CMD);
	assert_int_equal(frame[0], VM_CMD_CAPABILITIES);
	assert_int_equal(frame[1], 0x3f);

	uint8_t v = 1;
	assert_int_equal(vm_encode_cmd(out, sizeof(out), VM_CMD_VERSION, &v, 1), 3);
	assert_memory_equal(out, wire_in, 3);
	assert_int_equal(vm_encode_cmd(out, sizeof(out), VM_CMD_NOATTN, NULL, 0), 2);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xa1);
	/* An opcode that is itself a framing byte is escaped too (never sent, but consistent). */
	assert_int_equal(vm_encode_cmd(out, 2, VM_CMD_POWEROFF, NULL, 0), 2);
	assert_int_equal(vm_encode_cmd(out, 1, VM_CMD_POWEROFF, NULL, 0), 0);
}

/* What QEMU's receiver drops, ours drops: a bad checksum, a message shorter than seq + netFn +
 * cmd + checksum, a terminator right after an escape, an overflow; an empty frame is nothing.
 * After each, the next good frame decodes. */
static void t_receive_rules(void **state)
{
	(void)state;
	static const uint8_t good[] = { 0x05, 0x18, 0x01, 0xe2, 0xa0 };
	static const uint8_t bad_sum[] = { 0x05, 0x18, 0x01, 0xe3, 0xa0 };
	static const uint8_t too_short[] = { 0x18, 0x01, 0xe7, 0xa0 };
	static const uint8_t dangling[] = { 0x05, 0x18, 0xaa, 0xa0 };
	static const uint8_t empty[] = { 0xa0, 0xa1 };
	struct vm_decoder d;
	uint8_t frame[VM_FRAME_MAX], big[VM_FRAME_MAX + 10];
	size_t len = 0;

	vm_decoder_init(&d);
	assert_int_equal(feed_all(&d, bad_sum, sizeof(bad_sum), frame, &len), VM_FRAME_DROPPED);
	assert_int_equal(feed_all(&d, too_short, sizeof(too_short), frame, &len), VM_FRAME_DROPPED);
	assert_int_equal(feed_all(&d, dangling, sizeof(dangling), frame, &len), VM_FRAME_DROPPED);
	assert_int_equal(feed_all(&d, empty, sizeof(empty), frame, &len), VM_FRAME_NONE);
	memset(big, 0x11, sizeof(big));
	big[sizeof(big) - 1] = VM_MSG_END;
	assert_int_equal(feed_all(&d, big, sizeof(big), frame, &len), VM_FRAME_DROPPED);
	assert_int_equal(feed_all(&d, good, sizeof(good), frame, &len), VM_FRAME_MSG);
	assert_int_equal(len, 3);
	assert_int_equal(frame[0], 0x05);
	/* The longest frame QEMU sends (302 bytes unescaped) still fits. */
	uint8_t longest[VM_FRAME_MAX - 1], wire[VM_WIRE_MAX];
	memset(longest, 0xa0, sizeof(longest)); /* every byte escaped */
	size_t n = vm_encode_msg(wire, sizeof(wire), longest, sizeof(longest));
	assert_true(n > 0);
	assert_int_equal(feed_all(&d, wire, n, frame, &len), VM_FRAME_MSG);
	assert_int_equal(len, sizeof(longest));
	assert_int_equal(vm_encode_msg(wire, sizeof(wire), longest, sizeof(longest) + 1), 0);
	assert_int_equal(vm_encode_msg(wire, 10, longest, sizeof(longest)), 0);
}

/* ---- the system interface ---------------------------------------------------------------- */

struct signal_platform {
	struct test_platform fake; /* first: the fake's ops see a struct test_platform */
	unsigned n_signals;
	bool irq, attn;
};

static struct platform_ops signal_ops;

static void record_signal(struct platform *p, bool irq_enabled, bool attention)
{
	struct signal_platform *sp = (struct signal_platform *)p;
	sp->n_signals++;
	sp->irq = irq_enabled;
	sp->attn = attention;
}

struct fixture {
	char dir[64];
	struct store *store;
	struct signal_platform plat;
	struct bmc bmc;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	signal_ops = test_platform_ops;
	signal_ops.sysif_signal = record_signal;
	test_env_setup(fx->dir, sizeof(fx->dir), "test_sysif", &fx->store);
	test_bmc_wire(&fx->bmc, fx->store, &fx->plat.fake.base, &signal_ops);
	fx->bmc.global_enables = BMC_GLOBAL_ENABLE_SEL | BMC_GLOBAL_ENABLE_EVENT_BUFFER;
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

/* Sends netFn/cmd/data in-band; returns the response length. */
static size_t sysif(struct fixture *fx, uint8_t netfn, uint8_t cmd, const uint8_t *data,
		    size_t len, uint8_t *rsp, size_t cap)
{
	uint8_t req[2 + 300];
	req[0] = (uint8_t)(netfn << 2);
	req[1] = cmd;
	memcpy(req + 2, data, len);
	return ipmi_sysif_handle(&fx->bmc, req, len + 2, rsp, cap);
}

#define SYSIF(fx, netfn, cmd, rsp, ...) \
	({ const uint8_t d_[] = { __VA_ARGS__ }; \
	   sysif(fx, netfn, cmd, d_, sizeof(d_), rsp, sizeof(rsp)); })

static void t_response_header(void **state)
{
	struct fixture *fx = *state;
	uint8_t rsp[300];
	uint8_t none[1] = { 0 };

	size_t n = sysif(fx, IPMI_NETFN_APP, 0x01, none, 0, rsp, sizeof(rsp)); /* Get Device ID */
	assert_true(n >= 3 + 11);
	assert_int_equal(rsp[0], 0x1C);
	assert_int_equal(rsp[1], 0x01);
	assert_int_equal(rsp[2], IPMI_CC_OK);
	/* The system interface is Administrator: a user can be renamed in-band. */
	n = SYSIF(fx, IPMI_NETFN_APP, 0x45, rsp, 3, 'o', 'p', 's', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		  0, 0, 0);
	assert_int_equal(n, 3);
	assert_int_equal(rsp[2], IPMI_CC_OK);
	/* An odd (response) netFn, an unknown command, an over-long request. */
	n = sysif(fx, 0x07, 0x01, none, 0, rsp, sizeof(rsp));
	assert_int_equal(rsp[2], IPMI_CC_INVALID_CMD);
	n = sysif(fx, IPMI_NETFN_APP, 0xEE, none, 0, rsp, sizeof(rsp));
	assert_int_equal(rsp[2], IPMI_CC_INVALID_CMD);
	uint8_t longdata[IPMI_MAX_REQ_DATA + 1] = { 0 };
	n = sysif(fx, IPMI_NETFN_APP, 0x01, longdata, sizeof(longdata), rsp, sizeof(rsp));
	assert_int_equal(n, 3);
	assert_int_equal(rsp[2], IPMI_CC_REQ_LEN_EXCEEDED);
	/* Too short to be a request, or no room for an answer: nothing. */
	assert_int_equal(ipmi_sysif_handle(&fx->bmc, rsp, 1, rsp, sizeof(rsp)), 0);
	assert_int_equal(sysif(fx, IPMI_NETFN_APP, 0x01, none, 0, rsp, 3), 0);
	/* The queues are empty. */
	n = sysif(fx, IPMI_NETFN_APP, 0x33, none, 0, rsp, sizeof(rsp));
	assert_int_equal(rsp[2], 0x80);
	n = sysif(fx, IPMI_NETFN_APP, 0x35, none, 0, rsp, sizeof(rsp));
	assert_int_equal(rsp[2], 0x80);
}

/* Set BMC Global Enables in-band changes the interrupt enable the platform is told; over LAN
 * it is refused and nothing is signalled. */
static void t_global_enables_signal(void **state)
{
	struct fixture *fx = *state;
	uint8_t rsp[16];

	SYSIF(fx, IPMI_NETFN_APP, 0x2E, rsp, 0x0D);
	assert_int_equal(rsp[2], IPMI_CC_OK);
	assert_int_equal(fx->bmc.global_enables, 0x0D);
	assert_int_equal(fx->plat.n_signals, 1);
	assert_true(fx->plat.irq);
	assert_false(fx->plat.attn);
	SYSIF(fx, IPMI_NETFN_APP, 0x2F, rsp);
	assert_int_equal(rsp[3], 0x0D);
	SYSIF(fx, IPMI_NETFN_APP, 0x2E, rsp, 0x0C);
	assert_false(fx->plat.irq);
	SYSIF(fx, IPMI_NETFN_APP, 0x2E, rsp, 0x1C); /* reserved bit 4 */
	assert_int_equal(rsp[2], IPMI_CC_INVALID_FIELD);

	unsigned before = fx->plat.n_signals;
	const uint8_t v = 0x0D;
	struct ipmi_req req = { .netfn = IPMI_NETFN_APP, .cmd = 0x2E, .data = &v, .len = 1,
				.channel = IPMI_CHANNEL_LAN, .priv = IPMI_PRIV_ADMIN,
				.in_session = true };
	struct ipmi_rsp r;
	ipmi_dispatch(&fx->bmc, &req, &r);
	assert_int_equal(r.cc, IPMI_CC_INSUFFICIENT_PRIV);
	assert_int_equal(fx->plat.n_signals, before);
	assert_int_equal(fx->bmc.global_enables, 0x0C);
}

/* A watchdog with a messaging pre-timeout interrupt sets the pre-timeout message flag: the
 * host sees attention, reads the flags, clears them, and attention drops. */
static void t_pretimeout_message_flag(void **state)
{
	struct fixture *fx = *state;
	uint8_t rsp[16];
	const usec_t t0 = 1000 * USEC_PER_SEC;

	SYSIF(fx, IPMI_NETFN_APP, 0x2E, rsp, 0x0D); /* the driver enables interrupts */
	SYSIF(fx, IPMI_NETFN_APP, 0x31, rsp);
	assert_int_equal(rsp[2], IPMI_CC_OK);
	assert_int_equal(rsp[3], 0x00);

	struct bmc_watchdog_config c = { .timer_use = BMC_WDT_USE_SMS_OS,
					 .action = BMC_WDT_ACTION_NONE, .countdown = 50,
					 .interrupt = BMC_WDT_INT_MESSAGING, .pretimeout_sec = 2 };
	assert_int_equal(bmc_watchdog_set(&fx->bmc, &c, t0), 0);
	assert_int_equal(bmc_watchdog_reset(&fx->bmc, t0), 0);
	bmc_watchdog_tick(&fx->bmc, t0 + 2900 * USEC_PER_MSEC);
	assert_false(fx->plat.attn);
	bmc_watchdog_tick(&fx->bmc, t0 + 3000 * USEC_PER_MSEC);
	assert_true(fx->plat.attn);
	assert_true(fx->plat.irq);
	assert_int_equal(fx->plat.fake.n_diag, 0);

	SYSIF(fx, IPMI_NETFN_APP, 0x31, rsp);
	assert_int_equal(rsp[3], BMC_MSG_FLAG_WATCHDOG_PRETIMEOUT);
	SYSIF(fx, IPMI_NETFN_APP, 0x30, rsp, 0x10); /* reserved bit */
	assert_int_equal(rsp[2], IPMI_CC_INVALID_FIELD);
	assert_true(fx->plat.attn);
	SYSIF(fx, IPMI_NETFN_APP, 0x30, rsp, 0x08);
	assert_int_equal(rsp[2], IPMI_CC_OK);
	assert_false(fx->plat.attn);
	SYSIF(fx, IPMI_NETFN_APP, 0x31, rsp);
	assert_int_equal(rsp[3], 0x00);
}

/* An NMI pre-timeout is the platform's diagnostic interrupt (the server must be on). */
static void t_pretimeout_nmi(void **state)
{
	struct fixture *fx = *state;
	const usec_t t0 = 1000 * USEC_PER_SEC;
	struct bmc_watchdog_config c = { .timer_use = BMC_WDT_USE_SMS_OS,
					 .action = BMC_WDT_ACTION_NONE, .countdown = 50,
					 .interrupt = BMC_WDT_INT_NMI, .pretimeout_sec = 2 };

	assert_int_equal(bmc_chassis_power_action(&fx->bmc, PLATFORM_POWER_ON,
						  BMC_RESTART_CHASSIS_CTRL, 1), 0);
	bmc_watchdog_tick(&fx->bmc, t0 - USEC_PER_SEC);

	assert_int_equal(bmc_watchdog_set(&fx->bmc, &c, t0), 0);
	assert_int_equal(bmc_watchdog_reset(&fx->bmc, t0), 0);
	bmc_watchdog_tick(&fx->bmc, t0 + 3000 * USEC_PER_MSEC);
	assert_int_equal(fx->plat.fake.n_diag, 1);
	assert_false(fx->plat.attn);
	assert_int_equal(fx->bmc.msg_flags, 0);
}

/* The newest SEL record. */
static void last_sel_record(struct bmc *bmc, uint8_t rec[static BMC_SEL_RECORD_LEN])
{
	uint16_t id = BMC_SEL_ID_FIRST, next = 0;
	uint8_t r[BMC_SEL_RECORD_LEN];
	bool found = false;
	while (id != BMC_SEL_ID_LAST && bmc_sel_get(bmc, id, r, &next) == 0) {
		memcpy(rec, r, BMC_SEL_RECORD_LEN);
		found = true;
		id = next;
	}
	assert_true(found);
}

/* A Platform Event Message names its generator in the SEL (§32.1): in-band the host's
 * software ID with channel 0; over LAN the console's software ID, channel 1. */
static void t_platform_event_generator(void **state)
{
	struct fixture *fx = *state;
	uint8_t rsp[16], rec[BMC_SEL_RECORD_LEN];

	SYSIF(fx, IPMI_NETFN_SENSOR, 0x02, rsp, 0x41, 0x04, 0x20, 0x01, 0x6F, 0x01, 0xFF, 0xFF);
	assert_int_equal(rsp[2], IPMI_CC_OK);
	last_sel_record(&fx->bmc, rec);
	assert_int_equal(rec[7], 0x41);
	assert_int_equal(rec[8], 0x00);
	assert_int_equal(rec[10], 0x20);

	const uint8_t ev[] = { 0x04, 0x01, 0x30, 0x01, 0x57, 0x5A, 0x5C };
	struct ipmi_req req = { .netfn = IPMI_NETFN_SENSOR, .cmd = 0x02, .data = ev,
				.len = sizeof(ev), .channel = IPMI_CHANNEL_LAN, .rq_addr = 0x81,
				.priv = IPMI_PRIV_OPERATOR, .in_session = true };
	struct ipmi_rsp r;
	ipmi_dispatch(&fx->bmc, &req, &r);
	assert_int_equal(r.cc, IPMI_CC_OK);
	last_sel_record(&fx->bmc, rec);
	assert_int_equal(rec[7], 0x81);
	assert_int_equal(rec[8], 0x10);
	assert_int_equal(rec[11], 0x30);
}

/* A Cold Reset over the system interface: answered first, then the BMC logic restarts; the
 * SEL and SDR reservations made before it are cancelled and the message flags cleared (the
 * host is told: no attention); the global enables stay as the host set them. */
static void t_cold_reset_cancels_reservations(void **state)
{
	struct fixture *fx = *state;
	uint8_t rsp[16];

	SYSIF(fx, IPMI_NETFN_APP, 0x2E, rsp, 0x0D);
	assert_true(fx->plat.irq);
	SYSIF(fx, IPMI_NETFN_STORAGE, 0x42, rsp); /* Reserve SEL */
	assert_int_equal(rsp[2], IPMI_CC_OK);
	uint8_t sel_lo = rsp[3], sel_hi = rsp[4];
	SYSIF(fx, IPMI_NETFN_STORAGE, 0x22, rsp); /* Reserve SDR Repository */
	assert_int_equal(rsp[2], IPMI_CC_OK);
	uint8_t sdr_lo = rsp[3], sdr_hi = rsp[4];
	/* Still good before the reset: a Get SDR with the reservation and offset 0 works. */
	SYSIF(fx, IPMI_NETFN_STORAGE, 0x23, rsp, sdr_lo, sdr_hi, 0, 0, 0, 5);
	assert_int_equal(rsp[2], IPMI_CC_OK);

	bmc_msg_flags_set(&fx->bmc, BMC_MSG_FLAG_WATCHDOG_PRETIMEOUT);
	assert_true(fx->plat.attn);
	SYSIF(fx, IPMI_NETFN_APP, 0x02, rsp); /* Cold Reset */
	assert_int_equal(rsp[2], IPMI_CC_OK);
	assert_int_equal(fx->bmc.reset_requested, 0);
	assert_false(fx->plat.attn);
	assert_int_equal(fx->bmc.msg_flags, 0);
	assert_true(fx->plat.irq);
	assert_int_equal(fx->bmc.global_enables, 0x0D);

	SYSIF(fx, IPMI_NETFN_STORAGE, 0x47, rsp, sel_lo, sel_hi, 'C', 'L', 'R', 0xAA);
	assert_int_equal(rsp[2], IPMI_CC_RESERVATION);
	SYSIF(fx, IPMI_NETFN_STORAGE, 0x23, rsp, sdr_lo, sdr_hi, 0, 0, 5, 5);
	assert_int_equal(rsp[2], IPMI_CC_RESERVATION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_capture_get_device_id),
		cmocka_unit_test(t_capture_escaped_checksum),
		cmocka_unit_test(t_capture_commands),
		cmocka_unit_test(t_receive_rules),
		cmocka_unit_test_setup_teardown(t_response_header, setup, teardown),
		cmocka_unit_test_setup_teardown(t_global_enables_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(t_pretimeout_message_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(t_pretimeout_nmi, setup, teardown),
		cmocka_unit_test_setup_teardown(t_platform_event_generator, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cold_reset_cancels_reservations, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
