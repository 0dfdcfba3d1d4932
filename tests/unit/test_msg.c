/* Unit tests for ipmi/msg.c: LAN message framing (rmcp-and-sessions.md §2). Expected bytes
 * for responses were computed by hand and checked with python3 ((-sum(b)) & 0xff). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "ipmi/msg.h"

/* Get Device ID: rsAddr 20, netFn 6 << 2, chk1, rqAddr 81, rqSeq 5 << 2, cmd 01, chk2. */
static const uint8_t get_device_id[] = { 0x20, 0x18, 0xc8, 0x81, 0x14, 0x01, 0x6a };

static void t_checksum(void **state)
{
	const uint8_t a[] = { 0x20, 0x18 };
	const uint8_t b[] = { 0x81, 0x14, 0x01 };

	assert_int_equal(ipmi_checksum(a, sizeof(a)), 0xc8);
	assert_int_equal(ipmi_checksum(b, sizeof(b)), 0x6a);
	assert_int_equal(ipmi_checksum(a, 0), 0x00);
	/* Each checksummed run sums to 0, so a whole valid message does too. */
	assert_int_equal(ipmi_checksum(get_device_id, sizeof(get_device_id)), 0x00);
}

static void t_parse_get_device_id(void **state)
{
	struct ipmi_msg_hdr h;
	const uint8_t *data = NULL;
	size_t len = 99;

	assert_int_equal(ipmi_msg_parse_req(get_device_id, sizeof(get_device_id), &h, &data,
					    &len), 0);
	assert_int_equal(h.rs_addr, 0x20);
	assert_int_equal(h.netfn, 6);
	assert_int_equal(h.rs_lun, 0);
	assert_int_equal(h.rq_addr, 0x81);
	assert_int_equal(h.rq_seq, 5);
	assert_int_equal(h.rq_lun, 0);
	assert_int_equal(h.cmd, 1);
	assert_int_equal(len, 0);
	assert_non_null(data);
}

/* Get Channel Authentication Capabilities, rqSeq 2, data 8e 04. */
static void t_parse_with_data(void **state)
{
	const uint8_t msg[] = { 0x20, 0x18, 0xc8, 0x81, 0x08, 0x38, 0x8e, 0x04, 0xad };
	struct ipmi_msg_hdr h;
	const uint8_t *data;
	size_t len;

	assert_int_equal(ipmi_msg_parse_req(msg, sizeof(msg), &h, &data, &len), 0);
	assert_int_equal(h.netfn, 6);
	assert_int_equal(h.rq_seq, 2);
	assert_int_equal(h.cmd, 0x38);
	assert_int_equal(len, 2);
	assert_ptr_equal(data, msg + 6);
}

/* Rejects msg, leaving the outputs untouched. */
static void assert_rejected(const uint8_t *msg, size_t n)
{
	struct ipmi_msg_hdr h;
	const uint8_t *data = (const uint8_t *)"x";
	size_t len = 99;

	memset(&h, 0xa5, sizeof(h));
	assert_int_equal(ipmi_msg_parse_req(msg, n, &h, &data, &len), -EBADMSG);
	assert_int_equal(h.cmd, 0xa5);
	assert_int_equal(h.netfn, 0xa5);
	assert_string_equal((const char *)data, "x");
	assert_int_equal(len, 99);
}

static void t_parse_bad(void **state)
{
	uint8_t m[sizeof(get_device_id)];

	memcpy(m, get_device_id, sizeof(m));
	m[2] = 0xc9;
	assert_rejected(m, sizeof(m));
	memcpy(m, get_device_id, sizeof(m));
	m[6] = 0x6b;
	assert_rejected(m, sizeof(m));
	memcpy(m, get_device_id, sizeof(m));
	m[5] = 0x02;
	assert_rejected(m, sizeof(m));
	/* Short: a trailing byte less, or nothing at all. */
	assert_rejected(get_device_id, 6);
	assert_rejected(get_device_id, 0);
	assert_rejected(NULL, 0);
}

static void t_build_req(void **state)
{
	const struct ipmi_msg_hdr h = {
		.rs_addr = 0x20, .netfn = 6, .rq_addr = 0x81, .rq_seq = 5, .cmd = 1,
	};
	const uint8_t data[] = { 0x8e, 0x04 };
	const uint8_t want2[] = { 0x20, 0x18, 0xc8, 0x81, 0x08, 0x38, 0x8e, 0x04, 0xad };
	struct ipmi_msg_hdr h2 = h;
	uint8_t buf[32];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	ipmi_msg_build_req(&w, &h, NULL, 0);
	assert_false(w.err);
	assert_int_equal(w.len, sizeof(get_device_id));
	assert_memory_equal(buf, get_device_id, sizeof(get_device_id));

	h2.rq_seq = 2;
	h2.cmd = 0x38;
	w = wbuf_init(buf, sizeof(buf));
	ipmi_msg_build_req(&w, &h2, data, sizeof(data));
	assert_int_equal(w.len, sizeof(want2));
	assert_memory_equal(buf, want2, sizeof(want2));
}

/* Notes §2: rqAddr, netFn|1 / rqLUN, chk1, 20, rqSeq / rsLUN, cmd, cc, data, chk2. */
static void t_build_rsp(void **state)
{
	const uint8_t data[] = { 0x20, 0x01, 0x00, 0x00, 0x02, 0x00 };
	const uint8_t want[] = {
		0x81, 0x1c, 0x63, 0x20, 0x14, 0x01, 0x00,
		0x20, 0x01, 0x00, 0x00, 0x02, 0x00, 0xa8,
	};
	struct ipmi_msg_hdr rq;
	const uint8_t *rq_data;
	size_t rq_len;
	uint8_t buf[32];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	assert_int_equal(ipmi_msg_parse_req(get_device_id, sizeof(get_device_id), &rq, &rq_data,
					    &rq_len), 0);
	ipmi_msg_build_rsp(&w, &rq, 0x00, data, sizeof(data));
	assert_false(w.err);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* LUNs are echoed in the right places: rqLUN next to netFn, rsLUN next to rqSeq. */
static void t_build_rsp_luns(void **state)
{
	const struct ipmi_msg_hdr rq = {
		.rs_addr = 0x20, .netfn = 6, .rs_lun = 1, .rq_addr = 0x81, .rq_seq = 5,
		.rq_lun = 2, .cmd = 1,
	};
	const uint8_t want[] = { 0x81, 0x1e, 0x61, 0x20, 0x15, 0x01, 0xc1, 0x09 };
	uint8_t buf[16];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	ipmi_msg_build_rsp(&w, &rq, 0xc1, NULL, 0);
	assert_false(w.err);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void t_build_overflow(void **state)
{
	const struct ipmi_msg_hdr rq = { .netfn = 6, .rq_addr = 0x81, .cmd = 1 };
	uint8_t buf[7];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	ipmi_msg_build_rsp(&w, &rq, 0x00, NULL, 0);
	assert_true(w.err);
	w = wbuf_init(buf, sizeof(buf));
	ipmi_msg_build_req(&w, &rq, NULL, 0);
	assert_false(w.err);
	assert_int_equal(w.len, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_checksum),
		cmocka_unit_test(t_parse_get_device_id),
		cmocka_unit_test(t_parse_with_data),
		cmocka_unit_test(t_parse_bad),
		cmocka_unit_test(t_build_req),
		cmocka_unit_test(t_build_rsp),
		cmocka_unit_test(t_build_rsp_luns),
		cmocka_unit_test(t_build_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
