/* Inbound session sequence-number window; see seqwin.h.
 *
 * RFC 6479 style with a single 32-bit word: bit i of `seen` stands for the number i steps
 * behind `highest`. Numbers live in a circle of 2^32 - 1 values because 0 is never used
 * (notes §11.1: senders skip 0 on wrap), so ...FFFFFFFE, FFFFFFFF, 1, 2... are consecutive
 * and every distance below is measured along that circle. The window starts with every bit
 * set: `start` and everything before it count as seen, so until the first commit only
 * (start, start + ahead] is accepted. */
#include "lan/seqwin.h"

/* Steps forward from `from` to `to` on the circle without 0 (both non-zero, except that
 * `from` may be 0 before the first commit, which then behaves as the number before 1). */
static uint32_t seq_dist(uint32_t from, uint32_t to)
{
	uint32_t d = to - from;

	/* Going forward crossed the wrap, passing the unused 0. */
	if (d != 0 && to < from)
		d--;
	return d;
}

void seqwin_init(struct seqwin *w, uint32_t start, uint32_t ahead, uint32_t behind)
{
	*w = (struct seqwin){
		.highest = start,
		.seen = UINT32_MAX,
		.ahead = ahead,
		.behind = behind < SEQWIN_BITS ? behind : SEQWIN_BITS,
	};
}

/* Ahead of highest by 1..ahead steps. */
static bool seqwin_is_ahead(const struct seqwin *w, uint32_t seq, uint32_t *ret_d)
{
	uint32_t d = seq_dist(w->highest, seq);

	if (d == 0 || d > w->ahead)
		return false;
	*ret_d = d;
	return true;
}

/* Behind (or equal to) highest by 0..behind-1 steps. */
static bool seqwin_is_behind(const struct seqwin *w, uint32_t seq, uint32_t *ret_d)
{
	uint32_t d = seq_dist(seq, w->highest);

	if (d >= w->behind || d >= SEQWIN_BITS)
		return false;
	*ret_d = d;
	return true;
}

bool seqwin_check(const struct seqwin *w, uint32_t seq)
{
	uint32_t d;

	if (seq == 0)
		return false;
	if (seqwin_is_ahead(w, seq, &d))
		return true;
	if (seqwin_is_behind(w, seq, &d))
		return !(w->seen & (UINT32_C(1) << d));
	return false;
}

void seqwin_commit(struct seqwin *w, uint32_t seq)
{
	uint32_t d;

	if (seq == 0)
		return;
	if (seqwin_is_ahead(w, seq, &d)) {
		w->seen = d >= SEQWIN_BITS ? 0 : w->seen << d;
		w->seen |= 1;
		w->highest = seq;
	} else if (seqwin_is_behind(w, seq, &d)) {
		w->seen |= UINT32_C(1) << d;
	}
}
