/* Per-source token buckets for unauthenticated LAN traffic; see ratelimit.h. */
#include "lan/ratelimit.h"

#include <netinet/in.h>
#include <string.h>

#include <openssl/rand.h>

void ratelimit_init(struct ratelimit *rl, uint32_t rate, uint32_t burst)
{
	memset(rl, 0, sizeof(*rl));
	if (rate == 0)
		return; /* off: every packet passes */
	if (burst < 1)
		burst = 1;
	rl->cost = USEC_PER_SEC / rate;
	if (rl->cost == 0)
		rl->cost = 1;
	rl->max_tokens = rl->cost * burst;
	if (RAND_bytes((uint8_t *)rl->key, sizeof(rl->key)) != 1) {
		/* Not fatal: a fixed key only makes the sets easier to aim at. */
		rl->key[0] = 0x9e3779b97f4a7c15ULL;
		rl->key[1] = (uint64_t)now_monotonic();
	}
}

/* The bucket key of a peer: IPv4 mapped into IPv6, IPv6 cut to its /64. */
static bool source_key(const struct sockaddr *peer, uint8_t out[static 16])
{
	memset(out, 0, 16);
	if (peer->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)peer;
		out[10] = out[11] = 0xFF;
		memcpy(out + 12, &in->sin_addr, 4);
		return true;
	}
	if (peer->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)peer;
		memcpy(out, &in6->sin6_addr, 8);
		return true;
	}
	return false;
}

/* splitmix64's finaliser over the two address words, keyed: spreads sources over the sets. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static unsigned set_index(const struct ratelimit *rl, const uint8_t addr[static 16])
{
	uint64_t w0, w1;
	memcpy(&w0, addr, 8);
	memcpy(&w1, addr + 8, 8);
	uint64_t h = mix64(w0 ^ rl->key[0]);
	h = mix64(h ^ w1 ^ rl->key[1]);
	return (unsigned)(h % RATELIMIT_SETS);
}

/* The entry of addr in its set, or a fresh one in place of the least recently seen. */
static struct ratelimit_entry *entry_get(struct ratelimit *rl, const uint8_t addr[static 16],
					 usec_t now)
{
	struct ratelimit_entry *set = rl->set[set_index(rl, addr)];
	struct ratelimit_entry *victim = &set[0];
	for (unsigned i = 0; i < RATELIMIT_WAYS; i++) {
		struct ratelimit_entry *e = &set[i];
		if (e->stamp && memcmp(e->addr, addr, 16) == 0)
			return e;
		if (e->stamp < victim->stamp)
			victim = e;
	}
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->addr, addr, 16);
	victim->last_seen = now;
	victim->tokens = rl->max_tokens; /* a new source starts with a full bucket */
	return victim;
}

enum ratelimit_verdict ratelimit_charge(struct ratelimit *rl, const struct sockaddr *peer,
					usec_t now, uint32_t *ret_dropped)
{
	uint8_t addr[16];
	if (rl->cost == 0 || !source_key(peer, addr))
		return RATELIMIT_PASS;
	struct ratelimit_entry *e = entry_get(rl, addr, now);
	e->stamp = ++rl->clock;
	if (now > e->last_seen) {
		usec_t earned = now - e->last_seen;
		e->tokens = earned >= rl->max_tokens - e->tokens ? rl->max_tokens
								 : e->tokens + earned;
		e->last_seen = now;
	}
	if (e->tokens >= rl->cost) {
		e->tokens -= rl->cost;
		return RATELIMIT_PASS;
	}
	e->dropped++;
	if (e->reported && now - e->reported < RATELIMIT_REPORT_INTERVAL)
		return RATELIMIT_DROP;
	e->reported = now ? now : 1;
	if (ret_dropped)
		*ret_dropped = e->dropped;
	e->dropped = 0;
	return RATELIMIT_DROP_REPORT;
}

unsigned ratelimit_entries(const struct ratelimit *rl)
{
	unsigned n = 0;
	for (unsigned s = 0; s < RATELIMIT_SETS; s++) {
		for (unsigned i = 0; i < RATELIMIT_WAYS; i++)
			n += rl->set[s][i].stamp != 0;
	}
	return n;
}
