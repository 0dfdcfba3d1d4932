/* Inbound session sequence-number window (IPMI 2.0 §6.12.13, RFC 6479 style): a packet is
 * accepted if its number is ahead of the highest seen by at most `ahead`, or behind it by less
 * than `behind` and not yet seen. Checked before, committed only after authentication. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define SEQWIN_BITS 32

struct seqwin {
	uint32_t highest;   /* highest accepted number; 0 = none yet */
	uint32_t seen;      /* bit i: (highest - i) was seen; bit 0 = highest */
	uint32_t ahead;     /* how far ahead a number may jump (e.g. 15) */
	uint32_t behind;    /* how far behind a number may be (≤ SEQWIN_BITS, e.g. 16) */
};

void seqwin_init(struct seqwin *w, uint32_t start, uint32_t ahead, uint32_t behind);
/* Would seq be accepted? (No state change.) Sequence 0 is never valid. */
bool seqwin_check(const struct seqwin *w, uint32_t seq);
/* Records seq as seen; call only after seqwin_check passed and the packet authenticated. */
void seqwin_commit(struct seqwin *w, uint32_t seq);
