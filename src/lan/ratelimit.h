/* Per-source token-bucket rate limit for the LAN channel's unauthenticated traffic (ASF ping,
 * sessionless IPMI requests, Open Session, RAKP 1/3, IPMI 1.5 challenge): each source address
 * earns `rate` packets per second up to a burst of `burst`; a packet that finds its bucket empty
 * is dropped before any parsing or crypto. Sources are keyed by address, not port (IPv4 by
 * address, IPv6 by its /64 prefix, as one host can pick any port or any address in its /64).
 *
 * The table is bounded: RATELIMIT_SETS sets of RATELIMIT_WAYS entries, indexed by a hash keyed
 * with a random secret (so a remote cannot aim many addresses at one set); a new source evicts
 * the least recently seen entry of its set. A flooding source is always the most recently seen
 * in its set, so it keeps its (empty) bucket. Pure logic: the caller passes the time and logs. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/timeutil.h"

#define RATELIMIT_WAYS 4
#define RATELIMIT_SETS 128
#define RATELIMIT_REPORT_INTERVAL (10 * USEC_PER_SEC)

struct ratelimit_entry {
	uint8_t addr[16];     /* IPv4 as ::ffff:a.b.c.d; IPv6 /64 prefix, rest zero */
	uint64_t stamp;       /* when last charged, in charges (LRU order); 0: slot unused */
	usec_t last_seen;     /* when the bucket was last refilled */
	usec_t tokens;        /* credit in microseconds; one packet costs `cost` */
	usec_t reported;      /* when the last drop report for this source was due */
	uint32_t dropped;     /* drops since the last report */
};

struct ratelimit {
	usec_t cost;          /* microseconds of credit per packet (1 s / rate); 0: limit off */
	usec_t max_tokens;    /* cost * burst */
	uint64_t key[2];      /* hash secret */
	uint64_t clock;       /* charges so far: the LRU clock */
	struct ratelimit_entry set[RATELIMIT_SETS][RATELIMIT_WAYS];
};

enum ratelimit_verdict {
	RATELIMIT_PASS,
	RATELIMIT_DROP,
	RATELIMIT_DROP_REPORT, /* dropped, and a report to the operator is due (the first drop,
				* then at most once per RATELIMIT_REPORT_INTERVAL per source) */
};

/* rate: packets per second per source (0 turns the limit off); burst: bucket size (≥ 1). */
void ratelimit_init(struct ratelimit *rl, uint32_t rate, uint32_t burst);
/* Charges one packet from `peer` at time `now`. On RATELIMIT_DROP_REPORT, *ret_dropped is the
 * number of packets dropped from this source since the previous report (this one included). */
enum ratelimit_verdict ratelimit_charge(struct ratelimit *rl, const struct sockaddr *peer,
					usec_t now, uint32_t *ret_dropped);
/* How many entries are in use (for tests: the table never grows beyond its size). */
unsigned ratelimit_entries(const struct ratelimit *rl);
