/* The LAN session table; see session.h. */
#include "lan/session.h"

#include <netinet/in.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/log.h"

void session_table_init(struct session_table *t, unsigned n_slots, usec_t idle_timeout,
			usec_t half_open_timeout)
{
	memset(t, 0, sizeof(*t));
	if (n_slots < 1)
		n_slots = 1;
	if (n_slots > SESSION_MAX_SLOTS)
		n_slots = SESSION_MAX_SLOTS;
	t->n_slots = n_slots;
	t->idle_timeout = idle_timeout;
	t->half_open_timeout = half_open_timeout;
}

static bool sid_in_use(const struct session_table *t, uint32_t sid)
{
	for (unsigned i = 0; i < t->n_slots; i++) {
		if (t->slot[i].state != SESSION_FREE && t->slot[i].bmc_sid == sid)
			return true;
	}
	return false;
}

/* A random, non-zero session ID not in use (IPMI 2.0 §13.14 asks for unpredictable IDs). */
static uint32_t sid_generate(const struct session_table *t)
{
	for (;;) {
		uint32_t sid = 0;
		if (RAND_bytes((uint8_t *)&sid, sizeof(sid)) != 1)
			continue;
		if (sid != 0 && !sid_in_use(t, sid))
			return sid;
	}
}

static bool half_open(const struct session *s)
{
	return s->state != SESSION_FREE && s->state != SESSION_ACTIVE;
}

/* Same source address, whatever the port. */
static bool same_host(const struct session *a, const struct session *b)
{
	if (a->peer.ss_family != b->peer.ss_family)
		return false;
	if (a->peer.ss_family == AF_INET)
		return ((const struct sockaddr_in *)&a->peer)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)&b->peer)->sin_addr.s_addr;
	if (a->peer.ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)&a->peer)->sin6_addr,
			      &((const struct sockaddr_in6 *)&b->peer)->sin6_addr, 16) == 0;
	return true;
}

static unsigned half_open_of_host(const struct session_table *t, const struct session *s)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->n_slots; i++)
		n += half_open(&t->slot[i]) && same_host(&t->slot[i], s);
	return n;
}

/* The half-open session to give up when the table is full: the oldest of the source address
 * that holds the most half-open sessions, so that a flood from one address evicts its own
 * handshakes before anyone else's. NULL if every slot holds an active session. */
static struct session *eviction_victim(struct session_table *t)
{
	struct session *best = NULL;
	unsigned best_n = 0;
	for (unsigned i = 0; i < t->n_slots; i++) {
		struct session *s = &t->slot[i];
		if (!half_open(s))
			continue;
		unsigned n = half_open_of_host(t, s);
		if (!best || n > best_n || (n == best_n && s->created < best->created)) {
			best = s;
			best_n = n;
		}
	}
	return best;
}

struct session *session_alloc(struct session_table *t, const struct sockaddr *peer,
			      socklen_t peer_len)
{
	struct session *s = NULL;
	for (unsigned i = 0; i < t->n_slots && !s; i++) {
		if (t->slot[i].state == SESSION_FREE)
			s = &t->slot[i];
	}
	if (!s) {
		s = eviction_victim(t);
		if (!s)
			return NULL;
		log_debug("session table full: dropping the oldest unfinished handshake of the "
			  "source with the most");
		session_free(s);
	}
	uint8_t handle = (uint8_t)(s - t->slot + 1);
	memset(s, 0, sizeof(*s));
	s->handle = handle;
	s->bmc_sid = sid_generate(t);
	if (peer_len > sizeof(s->peer))
		peer_len = sizeof(s->peer);
	memcpy(&s->peer, peer, peer_len);
	s->peer_len = peer_len;
	s->created = s->last_activity = now_monotonic();
	s->state = SESSION_OPENED;
	return s;
}

void session_free(struct session *s)
{
	uint8_t handle = s->handle;
	OPENSSL_cleanse(s, sizeof(*s));
	s->state = SESSION_FREE;
	s->handle = handle;
}

struct session *session_find(struct session_table *t, uint32_t bmc_sid)
{
	if (bmc_sid == 0)
		return NULL;
	for (unsigned i = 0; i < t->n_slots; i++) {
		if (t->slot[i].state != SESSION_FREE && t->slot[i].bmc_sid == bmc_sid)
			return &t->slot[i];
	}
	return NULL;
}

struct session *session_by_handle(struct session_table *t, uint8_t handle)
{
	if (handle < 1 || handle > t->n_slots)
		return NULL;
	struct session *s = &t->slot[handle - 1];
	return s->state == SESSION_ACTIVE ? s : NULL;
}

struct session *session_nth_active(struct session_table *t, unsigned n)
{
	for (unsigned i = 0; i < t->n_slots; i++) {
		if (t->slot[i].state == SESSION_ACTIVE && --n == 0)
			return &t->slot[i];
	}
	return NULL;
}

unsigned session_count_active(const struct session_table *t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->n_slots; i++)
		n += t->slot[i].state == SESSION_ACTIVE;
	return n;
}

unsigned session_sweep(struct session_table *t, usec_t now)
{
	unsigned freed = 0;
	for (unsigned i = 0; i < t->n_slots; i++) {
		struct session *s = &t->slot[i];
		if (s->state == SESSION_FREE)
			continue;
		usec_t limit = s->state == SESSION_ACTIVE ? t->idle_timeout : t->half_open_timeout;
		if (now - s->last_activity < limit)
			continue;
		if (s->state == SESSION_ACTIVE)
			log_info("session %08x (user %u): idle timeout, closed", s->bmc_sid, s->user_id);
		session_free(s);
		freed++;
	}
	return freed;
}

uint32_t session_next_out_seq(struct session *s)
{
	if (++s->out_seq == 0)
		s->out_seq = 1;
	return s->out_seq;
}
