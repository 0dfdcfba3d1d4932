/* Unit tests for core/buf.c: the bounded reader and writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

static const uint8_t bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
				 0x0b, 0x0c };

static void t_read_ints(void **state)
{
	struct rbuf r = rbuf_init(bytes, sizeof(bytes));

	assert_int_equal(rbuf_u8(&r), 0x01);
	assert_int_equal(rbuf_u16le(&r), 0x0302);
	assert_int_equal(rbuf_u16be(&r), 0x0405);
	assert_int_equal(rbuf_u32le(&r), 0x09080706);
	assert_int_equal(rbuf_left(&r), 3);
	r = rbuf_init(bytes, sizeof(bytes));
	assert_int_equal(rbuf_u32be(&r), 0x01020304);
	assert_int_equal(rbuf_u32le(&r), 0x08070605);
	assert_false(r.err);
}

/* Once a read runs past the end, every later read yields zeros, even ones that would fit. */
static void t_read_sticky(void **state)
{
	struct rbuf r = rbuf_init(bytes, 3);
	uint8_t dst[4] = { 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(rbuf_u16le(&r), 0x0201);
	assert_int_equal(rbuf_u16be(&r), 0);
	assert_true(r.err);
	assert_int_equal(rbuf_left(&r), 0);
	assert_int_equal(rbuf_u8(&r), 0);
	assert_int_equal(rbuf_u32le(&r), 0);
	assert_int_equal(rbuf_u32be(&r), 0);
	assert_null(rbuf_take(&r, 0));
	rbuf_copy(&r, dst, sizeof(dst));
	assert_memory_equal(dst, "\0\0\0\0", 4);
	assert_true(r.err);
}

static void t_take_copy_skip(void **state)
{
	struct rbuf r = rbuf_init(bytes, sizeof(bytes));
	uint8_t dst[3];
	const uint8_t *p;

	rbuf_skip(&r, 2);
	p = rbuf_take(&r, 2);
	assert_ptr_equal(p, bytes + 2);
	rbuf_copy(&r, dst, sizeof(dst));
	assert_memory_equal(dst, bytes + 4, 3);
	assert_int_equal(rbuf_left(&r), 5);
	assert_non_null(rbuf_take(&r, 5));
	assert_int_equal(rbuf_left(&r), 0);
	assert_false(r.err);
	assert_null(rbuf_take(&r, 1));
	assert_true(r.err);

	/* A huge length cannot wrap the bounds check. */
	r = rbuf_init(bytes, sizeof(bytes));
	rbuf_skip(&r, 1);
	assert_null(rbuf_take(&r, SIZE_MAX));
	assert_true(r.err);
}

static void t_sub(void **state)
{
	struct rbuf r = rbuf_init(bytes, sizeof(bytes)), s;

	rbuf_skip(&r, 1);
	s = rbuf_sub(&r, 4);
	assert_int_equal(rbuf_left(&r), 7);
	assert_int_equal(rbuf_u8(&r), 0x06);
	assert_int_equal(rbuf_left(&s), 4);
	assert_int_equal(rbuf_u32be(&s), 0x02030405);
	/* Running off the sub-reader marks only the sub-reader. */
	assert_int_equal(rbuf_u8(&s), 0);
	assert_true(s.err);
	assert_false(r.err);
	assert_int_equal(rbuf_u8(&r), 0x07);

	/* A sub-reader longer than what is left fails both. */
	s = rbuf_sub(&r, 6);
	assert_true(s.err);
	assert_true(r.err);
	assert_int_equal(rbuf_u8(&s), 0);
	assert_int_equal(rbuf_left(&s), 0);
}

static void t_write_ints(void **state)
{
	const uint8_t want[] = { 0xaa, 0x02, 0x01, 0x01, 0x02, 0x04, 0x03, 0x02, 0x01,
				 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x10, 0x20 };
	uint8_t buf[32], *p;
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u8(&w, 0xaa);
	wbuf_u16le(&w, 0x0102);
	wbuf_u16be(&w, 0x0102);
	wbuf_u32le(&w, 0x01020304);
	wbuf_u32be(&w, 0x01020304);
	wbuf_zero(&w, 2);
	p = wbuf_reserve(&w, 1);
	wbuf_bytes(&w, "\x20", 1);
	assert_non_null(p);
	*p = 0x10;
	assert_false(w.err);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* A write past capacity writes nothing, marks the error, and later writes are dropped. */
static void t_write_overflow(void **state)
{
	uint8_t buf[8] = { 0 };
	struct wbuf w = wbuf_init(buf, 6);

	wbuf_u32le(&w, 0x11111111);
	wbuf_u32le(&w, 0x22222222);
	assert_true(w.err);
	assert_int_equal(w.len, 4);
	assert_int_equal(buf[4], 0);
	wbuf_u8(&w, 0x33);
	wbuf_u16be(&w, 0x3333);
	wbuf_bytes(&w, "\x33", 1);
	assert_null(wbuf_reserve(&w, 0));
	assert_int_equal(w.len, 4);
	assert_memory_equal(buf + 4, "\0\0\0\0", 4);

	w = wbuf_init(buf, 6);
	wbuf_zero(&w, 6);
	assert_false(w.err);
	assert_null(wbuf_reserve(&w, SIZE_MAX));
	assert_true(w.err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_read_ints),
		cmocka_unit_test(t_read_sticky),
		cmocka_unit_test(t_take_copy_skip),
		cmocka_unit_test(t_sub),
		cmocka_unit_test(t_write_ints),
		cmocka_unit_test(t_write_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
