/* Unit tests of the LAN configuration model (bmc/lanconf.c) and its Transport netFn handlers
 * (ipmi/transport.c): every parameter's layout, validation with the state left unchanged
 * (netmask, addresses, gateway, VLAN, destinations, cipher privileges, auth enables), the
 * DHCP lease and the static switch, "set in progress" with commit and rollback, persistence
 * across a restart, and the bad password lockout with injected monotonic times. The BMC runs
 * on a store in a temporary directory with a fixed system GUID. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "ipmi/ipmi.h"
#include "store/store.h"

#define SUITES_DEFAULT (1u << 1 | 1u << 2 | 1u << 3 | 1u << 15 | 1u << 16 | 1u << 17)
#define SEC (USEC_PER_SEC)

struct fixture {
	char dir[64];
	struct store *store;
	struct bmc bmc;
};

/* A BMC (re)started on the fixture's store: only what was persisted survives. */
static void bmc_restart(struct fixture *fx)
{
	memset(&fx->bmc, 0, sizeof(fx->bmc));
	snprintf(fx->bmc.name, sizeof(fx->bmc.name), "test");
	fx->bmc.store = fx->store;
	for (int i = 0; i < 16; i++)
		fx->bmc.system_guid[i] = (uint8_t)(0xA0 + i);
	fx->bmc.lan_sec = (struct bmc_lan_security){
		.cipher_suites_enabled = SUITES_DEFAULT,
		.auth_md5_enabled = true,
	};
	assert_true(bmc_users_load(&fx->bmc.users, fx->store) > 0);
	assert_int_equal(bmc_lanconf_init(&fx->bmc), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	bool first = false;

	assert_non_null(fx);
	log_set_level(LOG_ERR);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_lanconf.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(store_open(fx->dir, &fx->store, &first), 0);
	assert_int_equal(bmc_users_create_default(&fx->bmc.users, fx->store, "secret-pw"), 0);
	bmc_restart(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char path[512];
	struct dirent *e;

	store_close(fx->store);
	DIR *d = opendir(fx->dir);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", fx->dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- helpers --------------------------------------------------------------------------------- */

/* Runs one request through the transport table the way the dispatcher does. */
static void run(struct bmc *bmc, uint8_t cmd, const uint8_t *data, size_t len,
		struct ipmi_rsp *rsp)
{
	struct ipmi_req req = { .netfn = IPMI_NETFN_TRANSPORT, .cmd = cmd, .data = data,
				.len = len, .channel = IPMI_CHANNEL_LAN, .priv = IPMI_PRIV_ADMIN,
				.user_id = 2, .in_session = true };
	memset(rsp, 0, sizeof(*rsp));
	for (size_t i = 0; i < ipmi_transport_cmds_n; i++) {
		const struct ipmi_cmd *row = &ipmi_transport_cmds[i];
		if (row->netfn != req.netfn || row->cmd != cmd)
			continue;
		size_t max = row->max_len ? row->max_len : IPMI_MAX_REQ_DATA;
		if (len < row->min_len || len > max)
			rsp->cc = IPMI_CC_REQ_LEN_INVALID;
		else
			row->handler(bmc, &req, rsp);
		return;
	}
	rsp->cc = IPMI_CC_INVALID_CMD;
}

/* Set LAN Configuration Parameters on channel 1: returns the completion code. */
#define SET(fx, param, ...) \
	({ \
		const uint8_t d_[] = { 0x01, param, __VA_ARGS__ }; \
		struct ipmi_rsp r_; \
		run(&(fx)->bmc, 0x01, d_, sizeof(d_), &r_); \
		r_.cc; \
	})

/* Get on channel 1 with a set selector: checks cc 0 and revision, returns the data length. */
static size_t get_sel(struct fixture *fx, uint8_t param, uint8_t sel, uint8_t *out)
{
	const uint8_t d[] = { 0x01, param, sel, 0x00 };
	struct ipmi_rsp rsp;
	run(&fx->bmc, 0x02, d, sizeof(d), &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_true(rsp.len >= 1);
	assert_int_equal(rsp.data[0], 0x11);
	memcpy(out, rsp.data + 1, rsp.len - 1);
	return rsp.len - 1;
}

static size_t get(struct fixture *fx, uint8_t param, uint8_t *out)
{
	return get_sel(fx, param, 0, out);
}

static uint8_t get_cc(struct fixture *fx, uint8_t b1, uint8_t param, uint8_t sel)
{
	const uint8_t d[] = { b1, param, sel, 0x00 };
	struct ipmi_rsp rsp;
	run(&fx->bmc, 0x02, d, sizeof(d), &rsp);
	return rsp.cc;
}

#define EXPECT_PARAM(fx, param, ...) \
	do { \
		const uint8_t want_[] = { __VA_ARGS__ }; \
		uint8_t got_[32]; \
		assert_int_equal(get(fx, param, got_), sizeof(want_)); \
		assert_memory_equal(got_, want_, sizeof(want_)); \
	} while (0)

/* Switches to static 192.168.10.20/24, gateway 192.168.10.1. */
static void go_static(struct fixture *fx)
{
	assert_int_equal(SET(fx, 4, 0x01), 0);
	assert_int_equal(SET(fx, 6, 255, 255, 255, 0), 0);
	assert_int_equal(SET(fx, 3, 192, 168, 10, 20), 0);
	assert_int_equal(SET(fx, 12, 192, 168, 10, 1), 0);
}

/* ---- layouts and defaults -------------------------------------------------------------------- */

static void t_layouts(void **state)
{
	struct fixture *fx = *state;
	/* Data lengths of parameters 0-26. */
	static const uint8_t lens[27] = { 1, 1, 5, 4, 1, 6, 4, 3, 2, 2, 1, 1, 4, 6, 4, 6, 18,
					  1, 4, 13, 2, 1, 1, 7, 9, 4, 6 };
	uint8_t out[32];
	for (uint8_t p = 0; p < 27; p++)
		assert_int_equal(get(fx, p, out), lens[p]);
	assert_int_equal(get_cc(fx, 0x01, 27, 0), 0x80);
	assert_int_equal(get_cc(fx, 0x01, 50, 0), 0x80);
	assert_int_equal(get_cc(fx, 0x01, 0xC0, 0), 0x80);
	assert_int_equal(get_cc(fx, 0x02, 3, 0), IPMI_CC_INVALID_FIELD); /* no channel 2 */
	assert_int_equal(get_cc(fx, 0x0E, 3, 0), 0);                     /* this channel */

	/* Revision only: just 0x11, even for an unsupported parameter. */
	const uint8_t d[] = { 0x81, 0x1B, 0x00, 0x00 };
	struct ipmi_rsp rsp;
	run(&fx->bmc, 0x02, d, sizeof(d), &rsp);
	assert_int_equal(rsp.cc, 0);
	assert_int_equal(rsp.len, 1);
	assert_int_equal(rsp.data[0], 0x11);

	EXPECT_PARAM(fx, 0, 0x00);
	EXPECT_PARAM(fx, 1, 0x04);                         /* MD5 only */
	EXPECT_PARAM(fx, 2, 0x04, 0x04, 0x04, 0x04, 0x04);
	EXPECT_PARAM(fx, 4, 0x02);                         /* DHCP */
	EXPECT_PARAM(fx, 7, 0x40, 0x40, 0x10);
	EXPECT_PARAM(fx, 8, 0x6F, 0x02);                   /* 623 until lan/ reports its port */
	EXPECT_PARAM(fx, 9, 0x98, 0x02);                   /* 664 */
	EXPECT_PARAM(fx, 16, 'p', 'u', 'b', 'l', 'i', 'c', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	EXPECT_PARAM(fx, 17, 4);
	EXPECT_PARAM(fx, 20, 0x00, 0x00);
	EXPECT_PARAM(fx, 22, 6);
	EXPECT_PARAM(fx, 23, 0, 1, 2, 3, 15, 16, 17);
	/* By suite ID: 1-3 ADMINISTRATOR, 15 ADMINISTRATOR, the rest unused. */
	EXPECT_PARAM(fx, 24, 0, 0x40, 0x44, 0, 0, 0, 0, 0, 0x40);
	EXPECT_PARAM(fx, 26, 0x00, 5, 6, 0, 6, 0);
	bmc_lanconf_set_rmcp_port(&fx->bmc, 40623);
	EXPECT_PARAM(fx, 8, 40623 & 0xFF, 40623 >> 8);
}

static void t_mac_and_lease(void **state)
{
	struct fixture *fx = *state;
	uint8_t mac[6], ip[4], mask[4], gw[4];

	get(fx, 5, mac);
	assert_int_equal(mac[0] & 0x03, 0x02); /* locally administered, unicast */
	get(fx, 3, ip);
	get(fx, 6, mask);
	get(fx, 12, gw);
	assert_int_equal(ip[0], 10);
	assert_true(ip[3] >= 2 && ip[3] <= 253);
	assert_memory_equal(mask, ((uint8_t[]){ 255, 255, 255, 0 }), 4);
	assert_memory_equal(gw, ((uint8_t[]){ 10, ip[1], ip[2], 1 }), 4);

	/* Stable for the same GUID (a restart), different for another one. */
	bmc_restart(fx);
	uint8_t again[6], ip2[4];
	get(fx, 5, again);
	get(fx, 3, ip2);
	assert_memory_equal(mac, again, 6);
	assert_memory_equal(ip, ip2, 4);
	fx->bmc.system_guid[0] ^= 0xFF;
	assert_int_equal(bmc_lanconf_init(&fx->bmc), 0);
	get(fx, 5, again);
	assert_memory_not_equal(mac, again, 6);

	/* Read-only: MAC, support, port, counts, entries. */
	assert_int_equal(SET(fx, 5, 2, 0, 0, 0, 0, 1), 0x82);
	assert_int_equal(SET(fx, 1, 0x04), 0x82);
	assert_int_equal(SET(fx, 8, 0x6F, 0x02), 0x82);
	assert_int_equal(SET(fx, 17, 4), 0x82);
	assert_int_equal(SET(fx, 22, 6), 0x82);
	assert_int_equal(SET(fx, 23, 0, 1, 2, 3, 15, 16, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0x82);
	assert_int_equal(SET(fx, 9, 0x98, 0x02), 0x82);
	assert_int_equal(SET(fx, 27, 0), 0x80);
}

/* ---- addresses --------------------------------------------------------------------------------- */

static void t_dhcp_and_static(void **state)
{
	struct fixture *fx = *state;
	uint8_t lease_ip[4], ip[4];

	get(fx, 3, lease_ip);
	/* While DHCP provides them, address, mask and gateway are not writable. */
	assert_int_equal(SET(fx, 3, 192, 168, 10, 20), IPMI_CC_NOT_IN_STATE);
	assert_int_equal(SET(fx, 6, 255, 255, 0, 0), IPMI_CC_NOT_IN_STATE);
	assert_int_equal(SET(fx, 12, 10, 0, 0, 1), IPMI_CC_NOT_IN_STATE);
	assert_int_equal(SET(fx, 13, 2, 0, 0, 0, 0, 1), IPMI_CC_NOT_IN_STATE);
	assert_int_equal(SET(fx, 4, 0x03), IPMI_CC_INVALID_FIELD); /* BIOS: not modelled */
	assert_int_equal(SET(fx, 4, 0x00), IPMI_CC_INVALID_FIELD);

	/* The first switch to static keeps the lease's address. */
	assert_int_equal(SET(fx, 4, 0x01), 0);
	EXPECT_PARAM(fx, 4, 0x01);
	get(fx, 3, ip);
	assert_memory_equal(ip, lease_ip, 4);

	go_static(fx);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 20);
	EXPECT_PARAM(fx, 6, 255, 255, 255, 0);
	EXPECT_PARAM(fx, 12, 192, 168, 10, 1);
	/* Back to DHCP: the lease is reported, the static values are kept for later. */
	assert_int_equal(SET(fx, 4, 0x02), 0);
	get(fx, 3, ip);
	assert_memory_equal(ip, lease_ip, 4);
	assert_int_equal(SET(fx, 4, 0x01), 0);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 20);
	EXPECT_PARAM(fx, 12, 192, 168, 10, 1);
}

static void t_address_validation(void **state)
{
	struct fixture *fx = *state;
	const uint8_t cc = IPMI_CC_INVALID_FIELD;

	go_static(fx);
	/* Netmasks must be contiguous (and not empty). */
	assert_int_equal(SET(fx, 6, 255, 0, 255, 0), cc);
	assert_int_equal(SET(fx, 6, 255, 255, 255, 1), cc);
	assert_int_equal(SET(fx, 6, 0, 0, 0, 0), cc);
	assert_int_equal(SET(fx, 6, 0, 255, 255, 255), cc);
	EXPECT_PARAM(fx, 6, 255, 255, 255, 0);
	/* Static address: no 0.0.0.0, broadcast, network address, loopback or multicast. */
	assert_int_equal(SET(fx, 3, 0, 0, 0, 0), cc);
	assert_int_equal(SET(fx, 3, 255, 255, 255, 255), cc);
	assert_int_equal(SET(fx, 3, 192, 168, 10, 255), cc);
	assert_int_equal(SET(fx, 3, 192, 168, 10, 0), cc);
	assert_int_equal(SET(fx, 3, 127, 0, 0, 5), cc);
	assert_int_equal(SET(fx, 3, 224, 0, 0, 5), cc);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 20);
	/* A mask that would make the address a broadcast address. */
	assert_int_equal(SET(fx, 3, 192, 168, 10, 127), 0);
	assert_int_equal(SET(fx, 6, 255, 255, 255, 128), cc);
	assert_int_equal(SET(fx, 6, 255, 255, 255, 192), cc);
	assert_int_equal(SET(fx, 6, 255, 255, 0, 0), 0);
	/* The gateway must be a host of the subnet, not the BMC itself. */
	assert_int_equal(SET(fx, 12, 10, 1, 1, 1), cc);
	assert_int_equal(SET(fx, 12, 192, 168, 10, 127), cc);
	assert_int_equal(SET(fx, 12, 192, 168, 255, 255), cc);
	EXPECT_PARAM(fx, 12, 192, 168, 10, 1);
	assert_int_equal(SET(fx, 12, 192, 168, 200, 1), 0);
	assert_int_equal(SET(fx, 12, 0, 0, 0, 0), 0); /* no gateway */
	/* Backup gateway: same rule; MACs must be unicast. */
	assert_int_equal(SET(fx, 14, 172, 16, 0, 1), cc);
	assert_int_equal(SET(fx, 14, 192, 168, 0, 2), 0);
	assert_int_equal(SET(fx, 13, 0x01, 0, 0x5E, 0, 0, 1), cc);
	assert_int_equal(SET(fx, 13, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55), 0);
	assert_int_equal(SET(fx, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), cc);
	/* Wrong lengths and channels. */
	assert_int_equal(SET(fx, 3, 192, 168, 10, 30, 0), IPMI_CC_REQ_LEN_INVALID);
	assert_int_equal(SET(fx, 3, 192, 168, 10), IPMI_CC_REQ_LEN_INVALID);
	const uint8_t other_channel[] = { 0x02, 3, 192, 168, 10, 30 };
	struct ipmi_rsp rsp;
	run(&fx->bmc, 0x01, other_channel, sizeof(other_channel), &rsp);
	assert_int_equal(rsp.cc, cc);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 127);
}

static void t_other_validation(void **state)
{
	struct fixture *fx = *state;
	const uint8_t cc = IPMI_CC_INVALID_FIELD;

	/* VLAN: bit 15 enable, 12-bit ID 1-4094. 5000 does not fit 12 bits: 0x1388 sets a
	 * reserved bit, and 4095 is reserved. */
	assert_int_equal(SET(fx, 20, 0x88, 0x93), cc);
	assert_int_equal(SET(fx, 20, 0xFF, 0x8F), cc);
	assert_int_equal(SET(fx, 20, 0x00, 0x80), cc); /* enabled with ID 0 */
	EXPECT_PARAM(fx, 20, 0x00, 0x00);
	assert_int_equal(SET(fx, 20, 100, 0x80), 0);
	EXPECT_PARAM(fx, 20, 100, 0x80);
	assert_int_equal(SET(fx, 20, 100, 0x00), 0); /* "vlan id off" keeps the ID */
	EXPECT_PARAM(fx, 20, 100, 0x00);
	assert_int_equal(SET(fx, 21, 8), cc);
	assert_int_equal(SET(fx, 21, 5), 0);
	/* IPv4 header: TTL 0 and reserved bits refused. */
	assert_int_equal(SET(fx, 7, 0, 0x40, 0x10), cc);
	assert_int_equal(SET(fx, 7, 64, 0x41, 0x10), cc);
	assert_int_equal(SET(fx, 7, 32, 0x00, 0x08), 0);
	EXPECT_PARAM(fx, 7, 32, 0x00, 0x08);
	assert_int_equal(SET(fx, 10, 0x04), cc);
	assert_int_equal(SET(fx, 10, 0x03), 0);
	assert_int_equal(SET(fx, 11, 0x09), 0);
	EXPECT_PARAM(fx, 11, 0x09);
	/* Community string: printable, NUL-padded. */
	assert_int_equal(SET(fx, 16, 'a', 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), cc);
	assert_int_equal(SET(fx, 16, 'a', 0, 'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), cc);
	assert_int_equal(SET(fx, 16, 'p', 'r', 'i', 'v', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
	EXPECT_PARAM(fx, 16, 'p', 'r', 'i', 'v', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	/* Auth type enables: only supported types (MD5 here). */
	assert_int_equal(SET(fx, 2, 0x04, 0x04, 0x04, 0x05, 0x04), cc);
	assert_int_equal(SET(fx, 2, 0x04, 0x04, 0x04, 0x14, 0x04), cc);
	assert_int_equal(SET(fx, 2, 0x00, 0x04, 0x04, 0x00, 0x04), 0);
	EXPECT_PARAM(fx, 2, 0x00, 0x04, 0x04, 0x00, 0x04);
	assert_int_equal(bmc_lanconf_auth_enabled(&fx->bmc, IPMI_PRIV_ADMIN), 0);
	assert_int_equal(bmc_lanconf_auth_enabled(&fx->bmc, IPMI_PRIV_USER), 0x04);
	/* Bad password threshold: byte 1 bits 7:1 reserved. */
	assert_int_equal(SET(fx, 26, 0x02, 3, 1, 0, 1, 0), cc);
	assert_int_equal(SET(fx, 26, 0x01, 3, 1, 0, 2, 0), 0);
	EXPECT_PARAM(fx, 26, 0x01, 3, 1, 0, 2, 0);
}

static void t_destinations(void **state)
{
	struct fixture *fx = *state;
	const uint8_t cc = IPMI_CC_INVALID_FIELD;
	uint8_t out[16];

	assert_int_equal(get_cc(fx, 0x01, 18, 5), IPMI_CC_PARAM_OUT_OF_RANGE);
	assert_int_equal(SET(fx, 18, 5, 0x00, 3, 3), cc);
	assert_int_equal(SET(fx, 18, 2, 0x03, 3, 3), cc); /* reserved type */
	assert_int_equal(SET(fx, 18, 2, 0x80, 5, 2), 0);
	assert_int_equal(get_sel(fx, 18, 2, out), 4);
	assert_memory_equal(out, ((uint8_t[]){ 2, 0x80, 5, 2 }), 4);
	assert_int_equal(SET(fx, 19, 2, 0x10, 0, 10, 0, 0, 9, 0, 1, 2, 3, 4, 5), cc); /* format 1 */
	assert_int_equal(SET(fx, 19, 2, 0x00, 0, 224, 0, 0, 9, 0, 1, 2, 3, 4, 5), cc);
	assert_int_equal(SET(fx, 19, 2, 0x00, 1, 10, 0, 0, 9, 0, 1, 2, 3, 4, 5), 0);
	assert_int_equal(get_sel(fx, 19, 2, out), 13);
	assert_memory_equal(out, ((uint8_t[]){ 2, 0x00, 1, 10, 0, 0, 9, 0, 1, 2, 3, 4, 5 }), 13);
	assert_int_equal(SET(fx, 25, 2, 0x10, 0x00, 0x00), cc); /* VLAN ID 0 */
	assert_int_equal(SET(fx, 25, 2, 0x10, 0x64, 0x20), 0);  /* ID 100, priority 1 */
	assert_int_equal(get_sel(fx, 25, 2, out), 4);
	assert_memory_equal(out, ((uint8_t[]){ 2, 0x10, 0x64, 0x20 }), 4);
	/* Destination 0 is volatile: gone after a restart, 2 is kept. */
	assert_int_equal(SET(fx, 18, 0, 0x80, 7, 1), 0);
	bmc_restart(fx);
	assert_int_equal(get_sel(fx, 18, 0, out), 4);
	assert_memory_equal(out, ((uint8_t[]){ 0, 0x00, 3, 3 }), 4);
	assert_int_equal(get_sel(fx, 19, 2, out), 13);
	assert_int_equal(out[3], 10);
}

/* ---- set in progress ------------------------------------------------------------------------- */

static void t_commit_and_rollback(void **state)
{
	struct fixture *fx = *state;

	go_static(fx);
	assert_int_equal(SET(fx, 0, 0x01), 0);
	EXPECT_PARAM(fx, 0, 0x01);
	assert_int_equal(SET(fx, 0, 0x01), 0x81); /* not in "set complete" */
	assert_int_equal(SET(fx, 3, 192, 168, 10, 30), 0);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 30); /* reads see the pending value */
	/* The model in effect still has the old one. */
	assert_memory_equal(fx->bmc.lanconf.cur.v4.ip, ((uint8_t[]){ 192, 168, 10, 20 }), 4);
	/* "Set complete" without commit rolls back. */
	assert_int_equal(SET(fx, 0, 0x00), 0);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 20);

	/* ipmitool's sequence: lock, write, read back, commit, unlock. */
	assert_int_equal(SET(fx, 0, 0x01), 0);
	assert_int_equal(SET(fx, 3, 192, 168, 10, 40), 0);
	assert_int_equal(SET(fx, 20, 10, 0x80), 0);
	assert_int_equal(SET(fx, 6, 255, 0, 255, 0), IPMI_CC_INVALID_FIELD); /* checked at once */
	EXPECT_PARAM(fx, 3, 192, 168, 10, 40);
	assert_int_equal(SET(fx, 0, 0x02), 0);
	EXPECT_PARAM(fx, 0, 0x00);
	assert_int_equal(SET(fx, 0, 0x00), 0);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 40);
	EXPECT_PARAM(fx, 20, 10, 0x80);
	EXPECT_PARAM(fx, 6, 255, 255, 255, 0);
	/* Committed means persisted. */
	bmc_restart(fx);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 40);
	EXPECT_PARAM(fx, 20, 10, 0x80);

	/* Reserved values; commit with nothing pending; state is volatile. */
	assert_int_equal(SET(fx, 0, 0x03), IPMI_CC_INVALID_FIELD);
	assert_int_equal(SET(fx, 0, 0x05), IPMI_CC_INVALID_FIELD);
	assert_int_equal(SET(fx, 0, 0x02), 0);
	assert_int_equal(SET(fx, 0, 0x01), 0);
	assert_int_equal(SET(fx, 4, 0x02), 0);
	bmc_restart(fx);
	EXPECT_PARAM(fx, 0, 0x00);
	EXPECT_PARAM(fx, 4, 0x01); /* the uncommitted switch to DHCP is gone */
}

static void t_persistence(void **state)
{
	struct fixture *fx = *state;

	go_static(fx);
	assert_int_equal(SET(fx, 14, 192, 168, 10, 2), 0);
	assert_int_equal(SET(fx, 15, 0x02, 1, 2, 3, 4, 5), 0);
	assert_int_equal(SET(fx, 20, 0xF4, 0x81), 0); /* 500 */
	assert_int_equal(SET(fx, 21, 3), 0);
	assert_int_equal(SET(fx, 24, 0, 0x20, 0x0F, 0, 0, 0, 0, 0, 0x30), 0);
	assert_int_equal(SET(fx, 26, 0x00, 7, 2, 0, 3, 0), 0);
	assert_int_equal(SET(fx, 2, 0x04, 0x04, 0x04, 0x04, 0x00), 0);
	bmc_restart(fx);
	EXPECT_PARAM(fx, 4, 0x01);
	EXPECT_PARAM(fx, 3, 192, 168, 10, 20);
	EXPECT_PARAM(fx, 6, 255, 255, 255, 0);
	EXPECT_PARAM(fx, 12, 192, 168, 10, 1);
	EXPECT_PARAM(fx, 14, 192, 168, 10, 2);
	EXPECT_PARAM(fx, 15, 0x02, 1, 2, 3, 4, 5);
	EXPECT_PARAM(fx, 20, 0xF4, 0x81);
	EXPECT_PARAM(fx, 21, 3);
	EXPECT_PARAM(fx, 24, 0, 0x20, 0x0F, 0, 0, 0, 0, 0, 0x30);
	EXPECT_PARAM(fx, 26, 0x00, 7, 2, 0, 3, 0);
	EXPECT_PARAM(fx, 2, 0x04, 0x04, 0x04, 0x04, 0x00);

	/* A suite enabled in the configuration later starts at ADMINISTRATOR; one that was
	 * enabled and set to unused stays unused. */
	assert_int_equal(SET(fx, 24, 0, 0x40, 0x04, 0, 0, 0, 0, 0, 0x40), 0); /* 3: unused */
	fx->bmc.lan_sec.cipher_suites_enabled |= 1u << 6;
	assert_int_equal(bmc_lanconf_init(&fx->bmc), 0);
	EXPECT_PARAM(fx, 24, 0, 0x40, 0x04, 0x00, 0x04, 0, 0, 0, 0x40);
	EXPECT_PARAM(fx, 23, 0, 1, 2, 3, 6, 15, 16, 17);

	/* An unreadable blob falls back to the defaults. */
	assert_int_equal(store_set(fx->store, "lanconf.1", "\x07garbage", 8), 0);
	bmc_restart(fx);
	EXPECT_PARAM(fx, 4, 0x02);
}

/* ---- cipher suite privileges ------------------------------------------------------------------ */

static void t_cipher_privs(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;

	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 3), IPMI_PRIV_ADMIN);
	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 17), IPMI_PRIV_ADMIN);
	/* ipmitool "cipher_privs XaauXXXXXXXXXXX": suite 3 USER, 1-2 ADMINISTRATOR, rest unused. */
	assert_int_equal(SET(fx, 24, 0x00, 0x40, 0x24, 0, 0, 0, 0, 0, 0), 0);
	EXPECT_PARAM(fx, 24, 0x00, 0x40, 0x24, 0, 0, 0, 0, 0, 0);
	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 3), IPMI_PRIV_USER);
	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 2), IPMI_PRIV_ADMIN);
	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 15), 0);        /* unused: refused */
	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 17), IPMI_PRIV_ADMIN); /* no nibble */
	/* 0xF (no access) refuses too; 6-14 are reserved; byte 1 is reserved. */
	assert_int_equal(SET(fx, 24, 0x00, 0xF0, 0x44, 0, 0, 0, 0, 0, 0), 0);
	assert_int_equal(bmc_lanconf_cipher_priv(bmc, 1), 0);
	assert_int_equal(SET(fx, 24, 0x00, 0x60, 0x44, 0, 0, 0, 0, 0, 0), IPMI_CC_INVALID_FIELD);
	assert_int_equal(SET(fx, 24, 0x01, 0x40, 0x44, 0, 0, 0, 0, 0, 0), IPMI_CC_INVALID_FIELD);
	assert_int_equal(SET(fx, 24, 0x00, 0x40, 0x44, 0, 0, 0, 0, 0), IPMI_CC_REQ_LEN_INVALID);
	EXPECT_PARAM(fx, 24, 0x00, 0xF0, 0x44, 0, 0, 0, 0, 0, 0);
}

/* ---- lockout ---------------------------------------------------------------------------------- */

static void set_threshold(struct fixture *fx, uint8_t n, uint16_t reset, uint16_t lockout)
{
	assert_int_equal(SET(fx, 26, 0x00, n, (uint8_t)reset, (uint8_t)(reset >> 8),
			     (uint8_t)lockout, (uint8_t)(lockout >> 8)), 0);
}

static void t_lockout(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	usec_t t = 1000 * SEC, left = 0;
	unsigned n = 0;

	set_threshold(fx, 3, 6, 1); /* 3 failures within 60 s lock for 10 s */
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t, t, &n), BMC_LOCKOUT_COUNTED);
	assert_int_equal(n, 1);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + SEC, t + SEC, &n), BMC_LOCKOUT_COUNTED);
	assert_false(bmc_lanconf_user_locked(bmc, 2, t + SEC, NULL));
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + 2 * SEC, t + 2 * SEC, &n),
			 BMC_LOCKOUT_LOCKED);
	assert_int_equal(n, 3);
	/* Locked for the lockout interval from the third failure, whatever the password. */
	assert_true(bmc_lanconf_user_locked(bmc, 2, t + 2 * SEC, &left));
	assert_int_equal(left, 10 * SEC);
	assert_true(bmc_lanconf_user_locked(bmc, 2, t + 12 * SEC - 1, &left));
	assert_int_equal(left, 1);
	assert_false(bmc_lanconf_user_locked(bmc, 3, t + 5 * SEC, NULL)); /* other users: no */
	/* A failure that began before the lock ended is not counted again. */
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + 3 * SEC, t + 4 * SEC, NULL),
			 BMC_LOCKOUT_IGNORED);
	assert_false(bmc_lanconf_user_locked(bmc, 2, t + 12 * SEC, NULL));
	/* After the lock, counting starts over. */
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + 13 * SEC, t + 13 * SEC, &n),
			 BMC_LOCKOUT_COUNTED);
	assert_int_equal(n, 1);
}

static void t_lockout_reset_and_success(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	usec_t t = 5000 * SEC;
	unsigned n = 0;

	set_threshold(fx, 3, 1, 1); /* the count is forgotten 10 s after the last failure */
	bmc_lanconf_login_failed(bmc, 2, t, t, &n);
	bmc_lanconf_login_failed(bmc, 2, t + 9 * SEC, t + 9 * SEC, &n);
	assert_int_equal(n, 2);
	bmc_lanconf_login_failed(bmc, 2, t + 19 * SEC, t + 19 * SEC, &n);
	assert_int_equal(n, 1); /* 10 s after the previous one: started over */
	assert_false(bmc_lanconf_user_locked(bmc, 2, t + 19 * SEC, NULL));

	/* A successful login resets the count. */
	bmc_lanconf_login_failed(bmc, 2, t + 20 * SEC, t + 20 * SEC, &n);
	assert_int_equal(n, 2);
	bmc_lanconf_login_succeeded(bmc, 2, t + 21 * SEC);
	bmc_lanconf_login_failed(bmc, 2, t + 22 * SEC, t + 22 * SEC, &n);
	assert_int_equal(n, 1);
	/* An attempt that began before the success (an abandoned handshake found later) is not
	 * counted. */
	bmc_lanconf_login_succeeded(bmc, 2, t + 30 * SEC);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + 29 * SEC, t + 35 * SEC, &n),
			 BMC_LOCKOUT_IGNORED);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + 31 * SEC, t + 35 * SEC, &n),
			 BMC_LOCKOUT_COUNTED);
	assert_int_equal(n, 1);

	/* Reset interval 0: the count is kept however long ago. */
	set_threshold(fx, 2, 0, 1);
	bmc_lanconf_login_failed(bmc, 2, t + 3000 * SEC, t + 3000 * SEC, &n);
	assert_int_equal(n, 2);
	assert_true(bmc_lanconf_user_locked(bmc, 2, t + 3000 * SEC, NULL));

	/* Threshold 0: nothing is counted, and an existing lock does not apply. */
	set_threshold(fx, 0, 1, 1);
	assert_false(bmc_lanconf_user_locked(bmc, 2, t + 3001 * SEC, NULL));
	assert_int_equal(bmc_lanconf_login_failed(bmc, 3, t + 3002 * SEC, t + 3002 * SEC, NULL),
			 BMC_LOCKOUT_IGNORED);
	/* Unknown user IDs are ignored. */
	set_threshold(fx, 1, 1, 1);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 0, t, t, NULL), BMC_LOCKOUT_IGNORED);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 17, t, t, NULL), BMC_LOCKOUT_IGNORED);
}

static void t_lockout_disables(void **state)
{
	struct fixture *fx = *state;
	struct bmc *bmc = &fx->bmc;
	usec_t t = 100 * SEC;

	/* Lockout interval 0: the user is disabled (persisted) until an admin enables it. */
	set_threshold(fx, 2, 1, 0);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t, t, NULL), BMC_LOCKOUT_COUNTED);
	assert_int_equal(bmc_lanconf_login_failed(bmc, 2, t + SEC, t + SEC, NULL),
			 BMC_LOCKOUT_DISABLED);
	assert_false(bmc_user_is_enabled(bmc_user_get(&bmc->users, 2)));
	assert_int_equal(bmc_user_find(&bmc->users, (const uint8_t *)"admin", 5), 0);
	bmc_restart(fx);
	assert_false(bmc_user_is_enabled(bmc_user_get(&fx->bmc.users, 2)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_layouts, setup, teardown),
		cmocka_unit_test_setup_teardown(t_mac_and_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(t_dhcp_and_static, setup, teardown),
		cmocka_unit_test_setup_teardown(t_address_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(t_other_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(t_destinations, setup, teardown),
		cmocka_unit_test_setup_teardown(t_commit_and_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(t_persistence, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cipher_privs, setup, teardown),
		cmocka_unit_test_setup_teardown(t_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(t_lockout_reset_and_success, setup, teardown),
		cmocka_unit_test_setup_teardown(t_lockout_disables, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
