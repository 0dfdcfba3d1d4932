/* Unit tests for lan/ratelimit.c (per-source token buckets) and the session table's eviction
 * order under pressure (lan/session.c): pure logic, no sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "lan/ratelimit.h"
#include "lan/session.h"

#define T0 (1000 * USEC_PER_SEC)

static struct sockaddr_in v4(const char *addr, uint16_t port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port) };
	assert_int_equal(inet_pton(AF_INET, addr, &in.sin_addr), 1);
	return in;
}

static struct sockaddr_in6 v6(const char *addr, uint16_t port)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	assert_int_equal(inet_pton(AF_INET6, addr, &in6.sin6_addr), 1);
	return in6;
}

static enum ratelimit_verdict charge(struct ratelimit *rl, const void *sa, usec_t now)
{
	uint32_t dropped = 0;
	return ratelimit_charge(rl, (const struct sockaddr *)sa, now, &dropped);
}

/* Counts how many of n packets at the same instant pass. */
static unsigned passes(struct ratelimit *rl, const void *sa, usec_t now, unsigned n)
{
	unsigned ok = 0;
	for (unsigned i = 0; i < n; i++)
		ok += charge(rl, sa, now) == RATELIMIT_PASS;
	return ok;
}

static struct ratelimit rl; /* 28 KiB: not on the stack */

/* A new source gets its burst at once, then `rate` per second. */
static void t_burst_then_rate(void **state)
{
	struct sockaddr_in a = v4("192.0.2.1", 623);
	ratelimit_init(&rl, 10, 20);
	assert_int_equal(passes(&rl, &a, T0, 100), 20);
	assert_int_equal(passes(&rl, &a, T0 + USEC_PER_SEC / 2, 100), 5);
	assert_int_equal(passes(&rl, &a, T0 + 3 * USEC_PER_SEC / 2, 100), 10);
	/* a long pause refills to the burst, not beyond */
	assert_int_equal(passes(&rl, &a, T0 + 3600 * USEC_PER_SEC, 100), 20);
}

/* One bucket per address whatever the port; other addresses are not affected. */
static void t_address_not_port(void **state)
{
	ratelimit_init(&rl, 1, 5);
	unsigned ok = 0;
	for (uint16_t port = 1000; port < 1100; port++) {
		struct sockaddr_in a = v4("192.0.2.7", port);
		ok += charge(&rl, &a, T0) == RATELIMIT_PASS;
	}
	assert_int_equal(ok, 5);
	struct sockaddr_in b = v4("192.0.2.8", 1000);
	assert_int_equal(passes(&rl, &b, T0, 10), 5);
}

/* IPv6 sources are keyed by their /64: a host cannot escape by changing its address. */
static void t_ipv6_prefix(void **state)
{
	ratelimit_init(&rl, 1, 3);
	struct sockaddr_in6 a = v6("2001:db8:1:2::1", 623), b = v6("2001:db8:1:2:ffff::9", 623);
	struct sockaddr_in6 c = v6("2001:db8:1:3::1", 623);
	assert_int_equal(passes(&rl, &a, T0, 2), 2);
	assert_int_equal(passes(&rl, &b, T0, 5), 1);
	assert_int_equal(passes(&rl, &c, T0, 5), 3);
}

/* Rate 0 turns the limit off. */
static void t_off(void **state)
{
	struct sockaddr_in a = v4("192.0.2.1", 623);
	ratelimit_init(&rl, 0, 1);
	assert_int_equal(passes(&rl, &a, T0, 10000), 10000);
	assert_int_equal(ratelimit_entries(&rl), 0);
}

/* The first drop is reported, then at most once per interval, with the count since. */
static void t_reports(void **state)
{
	struct sockaddr_in a = v4("192.0.2.1", 623);
	uint32_t dropped = 0;
	ratelimit_init(&rl, 1, 1);
	assert_int_equal(charge(&rl, &a, T0), RATELIMIT_PASS);
	assert_int_equal(ratelimit_charge(&rl, (struct sockaddr *)&a, T0, &dropped),
			 RATELIMIT_DROP_REPORT);
	assert_int_equal(dropped, 1);
	for (int i = 0; i < 9; i++)
		assert_int_equal(charge(&rl, &a, T0 + 1), RATELIMIT_DROP);
	usec_t later = T0 + RATELIMIT_REPORT_INTERVAL + 1;
	assert_int_equal(charge(&rl, &a, later), RATELIMIT_PASS); /* refilled */
	assert_int_equal(ratelimit_charge(&rl, (struct sockaddr *)&a, later, &dropped),
			 RATELIMIT_DROP_REPORT);
	assert_int_equal(dropped, 10);
}

/* The table is bounded, and a flooding source keeps its empty bucket however many other
 * sources come and go, as long as it sends at least as often as they do (it is then always
 * among the most recently seen of its set). */
static void t_bounded_flooder_kept(void **state)
{
	struct sockaddr_in flooder = v4("198.51.100.1", 623);
	ratelimit_init(&rl, 1, 2);
	assert_int_equal(passes(&rl, &flooder, T0, 10), 2);
	for (uint32_t i = 0; i < 100000; i++) {
		struct sockaddr_in other = { .sin_family = AF_INET,
					     .sin_addr.s_addr = htonl(0x0A000000 + i) };
		usec_t now = T0 + i / 1000; /* less than a token's worth of time passes */
		(void)charge(&rl, &other, now);
		assert_int_equal(charge(&rl, &flooder, now), RATELIMIT_DROP);
	}
	assert_true(ratelimit_entries(&rl) <= RATELIMIT_SETS * RATELIMIT_WAYS);
}

/* ---- the session table under pressure ---- */

static struct session_table tab;

static struct session *open_from(const char *addr)
{
	struct sockaddr_in a = v4(addr, 5000);
	return session_alloc(&tab, (struct sockaddr *)&a, sizeof(a));
}

/* Half-open sessions are evicted oldest first; active sessions never. */
static void t_session_eviction(void **state)
{
	session_table_init(&tab, 4, 60 * USEC_PER_SEC, 5 * USEC_PER_SEC);
	struct session *active = open_from("192.0.2.1");
	assert_non_null(active);
	active->state = SESSION_ACTIVE;
	uint32_t active_sid = active->bmc_sid;
	uint32_t sids[20];
	for (int i = 0; i < 20; i++) {
		struct session *s = open_from("198.51.100.1");
		assert_non_null(s);
		s->created = T0 + (usec_t)i; /* a strict order, whatever the clock's resolution */
		sids[i] = s->bmc_sid;
	}
	assert_ptr_equal(session_find(&tab, active_sid), active);
	assert_int_equal(active->state, SESSION_ACTIVE);
	for (int i = 0; i < 17; i++)
		assert_null(session_find(&tab, sids[i]));
	for (int i = 17; i < 20; i++)
		assert_non_null(session_find(&tab, sids[i]));
	/* a table of active sessions only refuses instead of evicting */
	for (unsigned i = 0; i < tab.n_slots; i++)
		tab.slot[i].state = SESSION_ACTIVE;
	assert_null(open_from("198.51.100.1"));
	for (unsigned i = 0; i < tab.n_slots; i++)
		session_free(&tab.slot[i]);
}

/* A flood from one address evicts its own handshakes, not an older one from elsewhere. */
static void t_session_eviction_per_source(void **state)
{
	session_table_init(&tab, 8, 60 * USEC_PER_SEC, 5 * USEC_PER_SEC);
	struct session *admin = open_from("192.0.2.1");
	assert_non_null(admin);
	admin->created = T0;
	uint32_t admin_sid = admin->bmc_sid;
	uint32_t last = 0;
	for (int i = 0; i < 100; i++) {
		struct session *s = open_from("198.51.100.1");
		assert_non_null(s);
		s->created = T0 + 1 + (usec_t)i;
		last = s->bmc_sid;
	}
	assert_ptr_equal(session_find(&tab, admin_sid), admin);
	assert_non_null(session_find(&tab, last));
	/* with equal shares, the oldest goes */
	session_table_init(&tab, 2, 60 * USEC_PER_SEC, 5 * USEC_PER_SEC);
	struct session *a = open_from("192.0.2.1"), *b = open_from("192.0.2.2");
	a->created = T0;
	b->created = T0 + 1;
	uint32_t b_sid = b->bmc_sid;
	uint32_t a_sid = a->bmc_sid;
	assert_non_null(open_from("192.0.2.3"));
	assert_null(session_find(&tab, a_sid));
	assert_non_null(session_find(&tab, b_sid));
	for (unsigned i = 0; i < tab.n_slots; i++)
		session_free(&tab.slot[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_burst_then_rate),
		cmocka_unit_test(t_address_not_port),
		cmocka_unit_test(t_ipv6_prefix),
		cmocka_unit_test(t_off),
		cmocka_unit_test(t_reports),
		cmocka_unit_test(t_bounded_flooder_kept),
		cmocka_unit_test(t_session_eviction),
		cmocka_unit_test(t_session_eviction_per_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
