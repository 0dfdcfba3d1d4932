/* Unit tests for lan/seqwin.c: the inbound sequence-number window (notes §11). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lan/seqwin.h"

/* Checks and, if accepted, commits: what the session layer does after authentication. */
static bool take(struct seqwin *w, uint32_t seq)
{
	if (!seqwin_check(w, seq))
		return false;
	seqwin_commit(w, seq);
	return true;
}

/* Before the first commit only (start, start + ahead] passes. */
static void t_initial(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 15, 16);
	assert_false(seqwin_check(&w, 0));
	for (uint32_t s = 1; s <= 15; s++)
		assert_true(seqwin_check(&w, s));
	assert_false(seqwin_check(&w, 16));
	assert_false(seqwin_check(&w, UINT32_MAX));

	seqwin_init(&w, 1000, 15, 16);
	assert_false(seqwin_check(&w, 999));
	assert_false(seqwin_check(&w, 1000));
	assert_true(seqwin_check(&w, 1001));
	assert_true(seqwin_check(&w, 1015));
	assert_false(seqwin_check(&w, 1016));
}

/* ipmitool's first in-session number is 3-6 (notes §11.1); the numbers it skipped stay open
 * but nothing at or before the start does. */
static void t_first_jump(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 15, 16);
	assert_true(take(&w, 5));
	assert_false(seqwin_check(&w, 5));
	assert_true(seqwin_check(&w, 4));
	assert_true(seqwin_check(&w, 1));
	assert_false(seqwin_check(&w, 0));
}

static void t_in_order(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 15, 16);
	for (uint32_t s = 1; s <= 200; s++) {
		assert_true(take(&w, s));
		assert_int_equal(w.highest, s);
	}
	assert_false(seqwin_check(&w, 200));
	assert_false(seqwin_check(&w, 199));
	assert_true(seqwin_check(&w, 201));
}

static void t_reorder(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 15, 16);
	assert_true(take(&w, 1));
	assert_true(take(&w, 3));
	assert_true(take(&w, 2));
	assert_int_equal(w.highest, 3);
	assert_false(seqwin_check(&w, 2));
	assert_true(take(&w, 7));
	assert_true(take(&w, 5));
	assert_true(take(&w, 6));
	assert_true(take(&w, 4));
	assert_int_equal(w.highest, 7);
	for (uint32_t s = 1; s <= 7; s++)
		assert_false(seqwin_check(&w, s));
}

static void t_replay(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 15, 16);
	for (uint32_t s = 1; s <= 10; s++)
		assert_true(take(&w, s));
	/* The highest itself. */
	assert_false(seqwin_check(&w, 10));
	/* An older one that was seen. */
	assert_false(seqwin_check(&w, 6));
	/* A check that fails, then a commit that should not have happened, changes nothing. */
	seqwin_commit(&w, 6);
	assert_int_equal(w.highest, 10);
}

static void t_too_old(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 79, 15, 16);
	assert_true(take(&w, 80));
	for (uint32_t s = 81; s <= 100; s += 5)
		assert_true(take(&w, s));
	/* highest 96: 16 behind is out, 15 behind unseen is in. */
	assert_int_equal(w.highest, 96);
	assert_false(seqwin_check(&w, 80));
	assert_true(seqwin_check(&w, 82));
	assert_false(seqwin_check(&w, 81));
	assert_true(take(&w, 82));
	assert_false(seqwin_check(&w, 82));
	assert_false(seqwin_check(&w, 1));
}

static void t_too_far_ahead(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 90, 15, 16);
	assert_true(take(&w, 100));
	assert_true(seqwin_check(&w, 115));
	assert_false(seqwin_check(&w, 116));
	assert_false(seqwin_check(&w, 100 + 0x80000000u));
	assert_true(take(&w, 115));
	assert_true(seqwin_check(&w, 130));
	assert_false(seqwin_check(&w, 131));
}

static void t_zero(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 15, 16);
	assert_false(seqwin_check(&w, 0));
	seqwin_commit(&w, 0);
	assert_int_equal(w.highest, 0);
	assert_true(take(&w, 3));
	assert_false(seqwin_check(&w, 0));
	seqwin_init(&w, 0xFFFFFFF8u, 15, 16);
	assert_false(seqwin_check(&w, 0));
}

/* 0 is skipped: ...FFFFFFFE, FFFFFFFF, 1, 2 are consecutive in both directions. */
static void t_wrap(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0xFFFFFFF0u, 15, 16);
	assert_true(take(&w, 0xFFFFFFFDu));
	assert_true(take(&w, 1));
	assert_int_equal(w.highest, 1);
	/* FFFFFFFE and FFFFFFFF were skipped and are still open; FFFFFFFD was seen. */
	assert_true(take(&w, 0xFFFFFFFEu));
	assert_true(take(&w, 0xFFFFFFFFu));
	assert_false(seqwin_check(&w, 0xFFFFFFFDu));
	assert_false(seqwin_check(&w, 0xFFFFFFFFu));
	assert_int_equal(w.highest, 1);

	/* Ahead distance across the wrap does not count 0. */
	seqwin_init(&w, 0xFFFFFFF0u, 15, 16);
	assert_true(take(&w, 0xFFFFFFFFu));
	assert_true(seqwin_check(&w, 15));
	assert_false(seqwin_check(&w, 16));

	/* Behind distance across the wrap does not count 0: from 5, FFFFFFF5 is 15 back. */
	seqwin_init(&w, 0xFFFFFFF0u, 15, 16);
	assert_true(take(&w, 0xFFFFFFFAu));
	assert_true(take(&w, 5));
	assert_true(seqwin_check(&w, 0xFFFFFFF5u));
	assert_false(seqwin_check(&w, 0xFFFFFFF4u));
	assert_false(seqwin_check(&w, 0xFFFFFFFAu));
	assert_true(seqwin_check(&w, 0xFFFFFFFBu));
}

/* A jump of a whole bitmap or more clears it; behind is clamped to the bitmap. */
static void t_big_jump(void **state)
{
	struct seqwin w;

	seqwin_init(&w, 0, 40, 100);
	assert_int_equal(w.behind, SEQWIN_BITS);
	assert_true(take(&w, 40));
	assert_true(seqwin_check(&w, 39));
	assert_true(seqwin_check(&w, 9));
	assert_false(seqwin_check(&w, 8));
	assert_false(seqwin_check(&w, 40));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_initial),
		cmocka_unit_test(t_first_jump),
		cmocka_unit_test(t_in_order),
		cmocka_unit_test(t_reorder),
		cmocka_unit_test(t_replay),
		cmocka_unit_test(t_too_old),
		cmocka_unit_test(t_too_far_ahead),
		cmocka_unit_test(t_zero),
		cmocka_unit_test(t_wrap),
		cmocka_unit_test(t_big_jump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
