/* LAN configuration of channel 1 (IPMI 2.0 §23.1-23.2, table 23-4) and the bad password
 * lockout it configures.
 *
 * The management network is modelled, not real: the daemon's UDP socket never moves. A static
 * configuration is validated the way a real BMC's network stack would need it (contiguous
 * netmask, a unicast host address that is neither the network nor the broadcast address, a
 * gateway inside the subnet, VLAN 1-4094). DHCP mode reports a lease that is derived from the
 * system GUID, so it is stable for one state dir; while DHCP is on, the lease-provided
 * parameters (address, netmask, default gateway and its MAC) are not writable (0xD5), so a
 * client never reads back something else than it wrote. The MAC is a locally administered
 * address derived from the GUID as well.
 *
 * "Set in progress" (parameter 0) works as the spec's optional lock with rollback: writes made
 * while it is set are validated at once but only take effect (and are persisted) on "commit
 * write"; "set complete" without a commit discards them. Reads during that time see the
 * pending values, so ipmitool can verify what it wrote before it commits. Outside it, every
 * write takes effect and is persisted before the reply.
 *
 * Persistent state: store key "lanconf.1", a versioned blob (first byte BLOB_VERSION) with
 * every writable parameter except the volatile alert destination 0, and the set of enabled
 * cipher suites at the time it was written (a suite enabled later in the configuration starts
 * at ADMINISTRATOR instead of "unused").
 *
 * The lockout state (failure counts, lock deadlines) is runtime only and computed lazily from
 * the monotonic time the callers pass in: no timers. */
#include "bmc/lanconf.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define BLOB_VERSION 1
#define STORE_KEY "lanconf.1"
#define TEN_SECONDS (10 * USEC_PER_SEC)

#define PRIV_ADMIN 0x4
#define PRIV_OEM 0x5
#define PRIV_NO_ACCESS 0xF

/* Parameters the lease provides while the IP address source is DHCP. */
#define LEASE_PARAMS ((1u << BMC_LANP_IP_ADDRESS) | (1u << BMC_LANP_SUBNET_MASK) | \
		      (1u << BMC_LANP_DEFAULT_GATEWAY) | (1u << BMC_LANP_DEFAULT_GATEWAY_MAC))
#define READ_ONLY_PARAMS ((1u << BMC_LANP_AUTH_SUPPORT) | (1u << BMC_LANP_MAC_ADDRESS) | \
			  (1u << BMC_LANP_PRIMARY_RMCP_PORT) | \
			  (1u << BMC_LANP_SECONDARY_RMCP_PORT) | (1u << BMC_LANP_DEST_COUNT) | \
			  (1u << BMC_LANP_CIPHER_SUPPORT) | (1u << BMC_LANP_CIPHER_ENTRIES))

static const char *const param_names[BMC_LANP_MAX] = {
	"set in progress", "auth type support", "auth type enables", "IP address",
	"IP address source", "MAC address", "subnet mask", "IPv4 header parameters",
	"primary RMCP port", "secondary RMCP port", "BMC-generated ARP control",
	"gratuitous ARP interval", "default gateway", "default gateway MAC", "backup gateway",
	"backup gateway MAC", "community string", "number of destinations", "destination type",
	"destination addresses", "802.1q VLAN ID", "VLAN priority", "cipher suite entry support",
	"cipher suite entries", "cipher suite privilege levels", "destination VLAN tags",
	"bad password threshold",
};

const char *bmc_lanconf_param_name(uint8_t param)
{
	return param < BMC_LANP_MAX ? param_names[param] : "unknown parameter";
}

/* ---- addresses ---------------------------------------------------------------------------- */

static uint32_t be32(const uint8_t a[static 4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static bool is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* Ones then zeros, at least one one (0.0.0.0 is no mask). */
static bool netmask_ok(const uint8_t mask[static 4])
{
	uint32_t m = be32(mask);
	uint32_t host = ~m;
	return m != 0 && (host & (host + 1)) == 0;
}

/* A unicast host address: not 0.0.0.0, 0/8, loopback, multicast, reserved or broadcast, and
 * (if a mask is known and leaves hosts) neither the network nor the broadcast address. */
static bool host_ok(const uint8_t ip[static 4], const uint8_t mask[static 4])
{
	uint32_t a = be32(ip), m = be32(mask);
	if (ip[0] == 0 || ip[0] == 127 || ip[0] >= 224)
		return false;
	if (m == 0 || !netmask_ok(mask) || (~m) < 3)
		return true; /* /31 and /32 have no network or broadcast address */
	uint32_t host = a & ~m;
	return host != 0 && host != ~m;
}

/* 0.0.0.0 = no gateway; else a host of the subnet other than the BMC itself. */
static bool gateway_ok(const uint8_t gw[static 4], const struct bmc_lan_ipv4 *net)
{
	if (is_zero(gw, 4))
		return true;
	uint32_t m = be32(net->netmask);
	return host_ok(gw, net->netmask) && (be32(gw) & m) == (be32(net->ip) & m) &&
	       be32(gw) != be32(net->ip);
}

/* All-zero = not set; otherwise unicast (I/G bit clear). */
static bool mac_ok(const uint8_t mac[static 6])
{
	return is_zero(mac, 6) || !(mac[0] & 0x01);
}

/* SHA-256 of a label and the system GUID: stable per state dir, unrelated across labels. */
static void guid_hash(const struct bmc *bmc, const char *label, uint8_t out[static 32])
{
	uint8_t in[64];
	size_t n = strlen(label);
	unsigned len = 0;
	memcpy(in, label, n);
	memcpy(in + n, bmc->system_guid, 16);
	if (EVP_Digest(in, n + 16, out, &len, EVP_sha256(), NULL) != 1)
		memcpy(out, in, 32); /* cannot happen with the default provider; still stable */
}

/* A locally administered unicast MAC (IEEE 802: I/G bit 0, U/L bit 1). */
static void mac_local(uint8_t mac[static 6], const uint8_t h[static 6])
{
	memcpy(mac, h, 6);
	mac[0] = (uint8_t)((mac[0] & 0xFC) | 0x02);
}

/* The simulated lease: 10.a.b.c/24 with the gateway at .1, c in 2..253. */
static void lease_derive(struct bmc *bmc)
{
	struct bmc_lanconf *lc = &bmc->lanconf;
	uint8_t h[32];
	guid_hash(bmc, "softbmc mac", h);
	mac_local(lc->mac, h);
	guid_hash(bmc, "softbmc dhcp lease", h);
	struct bmc_lan_ipv4 *l = &lc->lease;
	memcpy(l->ip, (uint8_t[]){ 10, h[0], h[1], (uint8_t)(2 + h[2] % 252) }, 4);
	memcpy(l->netmask, (uint8_t[]){ 255, 255, 255, 0 }, 4);
	memcpy(l->gateway, (uint8_t[]){ 10, h[0], h[1], 1 }, 4);
	mac_local(l->gateway_mac, h + 3);
}

void bmc_lanconf_ipv4(const struct bmc *bmc, const struct bmc_lan_params *p,
		      struct bmc_lan_ipv4 *ret)
{
	*ret = p->ip_source == BMC_LAN_IPSRC_DHCP ? bmc->lanconf.lease : p->v4;
}

/* ---- defaults ------------------------------------------------------------------------------ */

uint8_t bmc_lanconf_auth_support(const struct bmc *bmc)
{
	const struct bmc_lan_security *sec = &bmc->lan_sec;
	return (uint8_t)((sec->auth_none_enabled ? BMC_AUTH_BIT_NONE : 0) |
			 (sec->auth_md5_enabled ? BMC_AUTH_BIT_MD5 : 0) |
			 (sec->auth_straight_enabled ? BMC_AUTH_BIT_STRAIGHT : 0));
}

static bool suite_enabled(const struct bmc *bmc, unsigned id)
{
	return id < 32 && (bmc->lan_sec.cipher_suites_enabled >> id & 1);
}

static void params_default(const struct bmc *bmc, struct bmc_lan_params *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < BMC_LAN_PRIV_LEVELS; i++)
		p->auth_enables[i] = bmc_lanconf_auth_support(bmc);
	p->ip_source = BMC_LAN_IPSRC_DHCP;
	/* IPMI 2.0 table 23-4 defaults: TTL 64, don't fragment, precedence 0 / TOS 1000b. */
	memcpy(p->ipv4_header, (uint8_t[]){ 0x40, 0x40, 0x10 }, 3);
	p->arp_control = 0x02;  /* answer ARPs, no gratuitous ARPs */
	p->garp_interval = 0x04; /* 2 s */
	memcpy(p->community, "public", 6);
	for (int d = 0; d <= BMC_LAN_DESTINATIONS; d++) {
		p->dest[d].ack_timeout = 3;
		p->dest[d].retries = 3;
	}
	for (unsigned id = 0; id < BMC_LAN_CIPHER_PRIV_SLOTS; id++)
		p->cipher_priv[id] = suite_enabled(bmc, id) ? PRIV_ADMIN : 0;
	/* 5 consecutive failures lock a user out for 60 s; the count is forgotten 60 s after
	 * the last failure. */
	p->bad_password = (struct bmc_lan_bad_password){
		.threshold = 5, .reset_interval = 6, .lockout_interval = 6,
	};
}

/* ---- persistence --------------------------------------------------------------------------- */

static void put_dest(struct wbuf *w, const struct bmc_lan_dest *d)
{
	wbuf_u8(w, d->type);
	wbuf_u8(w, d->ack_timeout);
	wbuf_u8(w, d->retries);
	wbuf_u8(w, d->addr_format);
	wbuf_u8(w, d->gateway_sel);
	wbuf_bytes(w, d->ip, 4);
	wbuf_bytes(w, d->mac, 6);
	wbuf_u8(w, d->vlan_format);
	wbuf_u16le(w, d->vlan_tci);
}

static void get_dest(struct rbuf *r, struct bmc_lan_dest *d)
{
	d->type = rbuf_u8(r);
	d->ack_timeout = rbuf_u8(r);
	d->retries = rbuf_u8(r);
	d->addr_format = rbuf_u8(r);
	d->gateway_sel = rbuf_u8(r);
	rbuf_copy(r, d->ip, 4);
	rbuf_copy(r, d->mac, 6);
	d->vlan_format = rbuf_u8(r);
	d->vlan_tci = rbuf_u16le(r);
}

static void put_params(struct wbuf *w, const struct bmc *bmc, const struct bmc_lan_params *p)
{
	wbuf_u8(w, BLOB_VERSION);
	wbuf_u32le(w, bmc->lan_sec.cipher_suites_enabled);
	wbuf_bytes(w, p->auth_enables, sizeof(p->auth_enables));
	wbuf_u8(w, p->ip_source);
	wbuf_bytes(w, &p->v4, sizeof(p->v4)); /* four byte arrays, no padding */
	wbuf_bytes(w, p->ipv4_header, 3);
	wbuf_u8(w, p->arp_control);
	wbuf_u8(w, p->garp_interval);
	wbuf_bytes(w, p->backup_gateway, 4);
	wbuf_bytes(w, p->backup_gateway_mac, 6);
	wbuf_bytes(w, p->community, sizeof(p->community));
	wbuf_u8(w, BMC_LAN_DESTINATIONS);
	for (int d = 1; d <= BMC_LAN_DESTINATIONS; d++)
		put_dest(w, &p->dest[d]);
	wbuf_u16le(w, p->vlan);
	wbuf_u8(w, p->vlan_priority);
	wbuf_bytes(w, p->cipher_priv, sizeof(p->cipher_priv));
	wbuf_u8(w, p->bad_password.event_on_disable);
	wbuf_u8(w, p->bad_password.threshold);
	wbuf_u16le(w, p->bad_password.reset_interval);
	wbuf_u16le(w, p->bad_password.lockout_interval);
}

static int params_save(struct bmc *bmc, const struct bmc_lan_params *p)
{
	uint8_t buf[256];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	put_params(&w, bmc, p);
	if (w.err)
		return -EOVERFLOW;
	return store_set(bmc->store, STORE_KEY, buf, w.len);
}

/* Decodes a blob over the defaults in p; -EBADMSG if it is not one of ours. */
static int params_decode(struct bmc *bmc, struct rbuf *r, struct bmc_lan_params *p)
{
	if (rbuf_u8(r) != BLOB_VERSION)
		return -EBADMSG;
	uint32_t suites_then = rbuf_u32le(r);
	rbuf_copy(r, p->auth_enables, sizeof(p->auth_enables));
	p->ip_source = rbuf_u8(r);
	rbuf_copy(r, &p->v4, sizeof(p->v4));
	rbuf_copy(r, p->ipv4_header, 3);
	p->arp_control = rbuf_u8(r);
	p->garp_interval = rbuf_u8(r);
	rbuf_copy(r, p->backup_gateway, 4);
	rbuf_copy(r, p->backup_gateway_mac, 6);
	rbuf_copy(r, p->community, sizeof(p->community));
	uint8_t n = rbuf_u8(r);
	for (int d = 1; d <= n; d++) {
		struct bmc_lan_dest dummy;
		get_dest(r, d <= BMC_LAN_DESTINATIONS ? &p->dest[d] : &dummy);
	}
	p->vlan = rbuf_u16le(r);
	p->vlan_priority = rbuf_u8(r);
	rbuf_copy(r, p->cipher_priv, sizeof(p->cipher_priv));
	p->bad_password.event_on_disable = rbuf_u8(r) & 1;
	p->bad_password.threshold = rbuf_u8(r);
	p->bad_password.reset_interval = rbuf_u16le(r);
	p->bad_password.lockout_interval = rbuf_u16le(r);
	if (r->err || (p->ip_source != BMC_LAN_IPSRC_STATIC && p->ip_source != BMC_LAN_IPSRC_DHCP))
		return -EBADMSG;
	/* Suites enabled in the configuration since: ADMINISTRATOR, not "unused". */
	for (unsigned id = 0; id < BMC_LAN_CIPHER_PRIV_SLOTS; id++) {
		if (suite_enabled(bmc, id) && !(suites_then >> id & 1) && !p->cipher_priv[id])
			p->cipher_priv[id] = PRIV_ADMIN;
	}
	return 0;
}

static int params_load(struct bmc *bmc, struct bmc_lan_params *p)
{
	uint8_t buf[512];
	size_t len = 0;
	int r = store_get(bmc->store, STORE_KEY, buf, sizeof(buf), &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	struct bmc_lan_params loaded = *p;
	struct rbuf rb = rbuf_init(buf, len < sizeof(buf) ? len : sizeof(buf));
	if (len > sizeof(buf) || params_decode(bmc, &rb, &loaded) < 0) {
		log_warn("%s: %s in the store is unreadable, using the default LAN configuration",
			 bmc->name, STORE_KEY);
		return 0;
	}
	*p = loaded;
	return 0;
}

int bmc_lanconf_init(struct bmc *bmc)
{
	struct bmc_lanconf *lc = &bmc->lanconf;
	uint16_t port = lc->rmcp_port;
	memset(lc, 0, sizeof(*lc));
	lc->rmcp_port = port;
	lease_derive(bmc);
	params_default(bmc, &lc->cur);
	int r = params_load(bmc, &lc->cur);
	lc->pending = lc->cur;
	return r;
}

void bmc_lanconf_set_rmcp_port(struct bmc *bmc, uint16_t port)
{
	bmc->lanconf.rmcp_port = port;
}

/* ---- validation ---------------------------------------------------------------------------- */

static bool vlan_id_ok(uint16_t id)
{
	return id >= 1 && id <= 4094;
}

static bool dest_ok(const struct bmc_lan_dest *d)
{
	uint8_t kind = d->type & 0x07;
	if ((d->type & 0x78) || (kind != 0 && kind != 6 && kind != 7) || d->retries > 7)
		return false;
	if (d->addr_format != 0 || d->gateway_sel > 1 || !mac_ok(d->mac))
		return false;
	if (!is_zero(d->ip, 4) && !host_ok(d->ip, (const uint8_t[4]){ 0 }))
		return false;
	if (d->vlan_format > 1 || (d->vlan_tci & 0x1000))
		return false;
	return d->vlan_format == 0 || vlan_id_ok(d->vlan_tci & 0x0FFF);
}

static bool community_ok(const uint8_t c[static BMC_LAN_COMMUNITY_LEN])
{
	size_t i = 0;
	while (i < BMC_LAN_COMMUNITY_LEN && c[i] >= 0x20 && c[i] < 0x7F)
		i++;
	return is_zero(c + i, BMC_LAN_COMMUNITY_LEN - i);
}

static bool cipher_privs_ok(const uint8_t priv[static BMC_LAN_CIPHER_PRIV_SLOTS])
{
	for (int i = 0; i < BMC_LAN_CIPHER_PRIV_SLOTS; i++) {
		if (priv[i] > PRIV_OEM && priv[i] != PRIV_NO_ACCESS)
			return false;
	}
	return true;
}

static bool auth_enables_ok(const struct bmc *bmc, const struct bmc_lan_params *p)
{
	uint8_t support = bmc_lanconf_auth_support(bmc);
	for (int i = 0; i < BMC_LAN_PRIV_LEVELS; i++) {
		if (p->auth_enables[i] & ~support)
			return false;
	}
	return true;
}

/* Addressing parameters: the new value, against the rest of the new configuration. */
static bool address_ok(const struct bmc *bmc, uint8_t param, const struct bmc_lan_params *p)
{
	struct bmc_lan_ipv4 net;
	switch (param) {
	case BMC_LANP_IP_ADDRESS:
		return !is_zero(p->v4.ip, 4) && host_ok(p->v4.ip, p->v4.netmask);
	case BMC_LANP_IP_SOURCE:
		return p->ip_source == BMC_LAN_IPSRC_STATIC || p->ip_source == BMC_LAN_IPSRC_DHCP;
	case BMC_LANP_SUBNET_MASK:
		return netmask_ok(p->v4.netmask) &&
		       (is_zero(p->v4.ip, 4) || host_ok(p->v4.ip, p->v4.netmask));
	case BMC_LANP_DEFAULT_GATEWAY:
		return gateway_ok(p->v4.gateway, &p->v4);
	case BMC_LANP_BACKUP_GATEWAY:
		bmc_lanconf_ipv4(bmc, p, &net);
		return gateway_ok(p->backup_gateway, &net);
	case BMC_LANP_DEFAULT_GATEWAY_MAC:
		return mac_ok(p->v4.gateway_mac);
	case BMC_LANP_BACKUP_GATEWAY_MAC:
		return mac_ok(p->backup_gateway_mac);
	}
	return true;
}

/* Returns 0 or the negative errno bmc_lanconf_update documents. */
static int param_check(const struct bmc *bmc, uint8_t param, const struct bmc_lan_params *old,
		       const struct bmc_lan_params *p)
{
	if (param >= BMC_LANP_MAX)
		return -EOPNOTSUPP;
	if (param == BMC_LANP_SET_IN_PROGRESS || (READ_ONLY_PARAMS >> param & 1))
		return -EROFS;
	if ((LEASE_PARAMS >> param & 1) && old->ip_source == BMC_LAN_IPSRC_DHCP)
		return -EAGAIN;
	bool ok = address_ok(bmc, param, p);
	switch (param) {
	case BMC_LANP_AUTH_ENABLES:
		ok = auth_enables_ok(bmc, p);
		break;
	case BMC_LANP_IPV4_HEADER:
		ok = p->ipv4_header[0] != 0 && !(p->ipv4_header[1] & 0x1F) &&
		     !(p->ipv4_header[2] & 0x01);
		break;
	case BMC_LANP_ARP_CONTROL:
		ok = !(p->arp_control & ~0x03);
		break;
	case BMC_LANP_COMMUNITY:
		ok = community_ok(p->community);
		break;
	case BMC_LANP_DEST_TYPE:
	case BMC_LANP_DEST_ADDRESS:
	case BMC_LANP_DEST_VLAN:
		for (int d = 0; d <= BMC_LAN_DESTINATIONS && ok; d++)
			ok = dest_ok(&p->dest[d]);
		break;
	case BMC_LANP_VLAN_ID:
		ok = !(p->vlan & 0x7000) && (p->vlan & 0x0FFF) != 0x0FFF &&
		     (!(p->vlan & 0x8000) || vlan_id_ok(p->vlan & 0x0FFF));
		break;
	case BMC_LANP_VLAN_PRIORITY:
		ok = p->vlan_priority <= 7;
		break;
	case BMC_LANP_CIPHER_PRIVS:
		ok = cipher_privs_ok(p->cipher_priv);
		break;
	}
	return ok ? 0 : -EINVAL;
}

/* ---- writes -------------------------------------------------------------------------------- */

const struct bmc_lan_params *bmc_lanconf_view(const struct bmc *bmc)
{
	const struct bmc_lanconf *lc = &bmc->lanconf;
	return lc->set_state == BMC_LAN_SET_IN_PROGRESS ? &lc->pending : &lc->cur;
}

uint8_t bmc_lanconf_set_state(const struct bmc *bmc)
{
	return bmc->lanconf.set_state;
}

/* DHCP -> static with no static address yet: keep the lease's addresses, as a real BMC keeps
 * the address it had, so the switch alone does not take the BMC off the network. */
static void adopt_lease(const struct bmc *bmc, const struct bmc_lan_params *old,
			struct bmc_lan_params *p)
{
	if (old->ip_source == BMC_LAN_IPSRC_DHCP && p->ip_source == BMC_LAN_IPSRC_STATIC &&
	    is_zero(p->v4.ip, 4))
		p->v4 = bmc->lanconf.lease;
}

int bmc_lanconf_update(struct bmc *bmc, uint8_t param, const struct bmc_lan_params *next)
{
	struct bmc_lanconf *lc = &bmc->lanconf;
	const struct bmc_lan_params *old = bmc_lanconf_view(bmc);
	struct bmc_lan_params p = *next;
	int r = param_check(bmc, param, old, &p);
	if (r < 0)
		return r;
	adopt_lease(bmc, old, &p);
	if (lc->set_state == BMC_LAN_SET_IN_PROGRESS) {
		lc->pending = p;
		lc->pending_mask |= 1u << param;
		return 0;
	}
	r = params_save(bmc, &p);
	if (r < 0)
		return r;
	lc->cur = p;
	return 0;
}

static int commit(struct bmc *bmc)
{
	struct bmc_lanconf *lc = &bmc->lanconf;
	if (lc->set_state != BMC_LAN_SET_IN_PROGRESS || !lc->pending_mask) {
		lc->set_state = BMC_LAN_SET_COMPLETE;
		return 0;
	}
	int r = params_save(bmc, &lc->pending);
	if (r < 0)
		return r;
	lc->cur = lc->pending;
	log_info("%s: LAN configuration of channel 1 committed (parameters mask 0x%07x)",
		 bmc->name, lc->pending_mask);
	lc->pending_mask = 0;
	lc->set_state = BMC_LAN_SET_COMPLETE;
	return 0;
}

int bmc_lanconf_set_in_progress(struct bmc *bmc, uint8_t state)
{
	struct bmc_lanconf *lc = &bmc->lanconf;
	switch (state) {
	case BMC_LAN_SET_IN_PROGRESS:
		if (lc->set_state != BMC_LAN_SET_COMPLETE)
			return -EBUSY;
		lc->pending = lc->cur;
		lc->pending_mask = 0;
		lc->set_state = BMC_LAN_SET_IN_PROGRESS;
		return 0;
	case BMC_LAN_COMMIT_WRITE:
		return commit(bmc);
	case BMC_LAN_SET_COMPLETE:
		if (lc->set_state == BMC_LAN_SET_IN_PROGRESS && lc->pending_mask)
			log_info("%s: LAN configuration: set complete without commit, pending "
				 "writes discarded (parameters mask 0x%07x)", bmc->name,
				 lc->pending_mask);
		lc->pending_mask = 0;
		lc->pending = lc->cur;
		lc->set_state = BMC_LAN_SET_COMPLETE;
		return 0;
	}
	return -EINVAL;
}

/* ---- what the transport enforces ----------------------------------------------------------- */

uint8_t bmc_lanconf_auth_enabled(const struct bmc *bmc, uint8_t priv)
{
	if (priv < 1 || priv > BMC_LAN_PRIV_LEVELS)
		return 0;
	return bmc->lanconf.cur.auth_enables[priv - 1] & bmc_lanconf_auth_support(bmc);
}

uint8_t bmc_lanconf_cipher_priv(const struct bmc *bmc, uint8_t suite)
{
	if (suite >= BMC_LAN_CIPHER_PRIV_SLOTS)
		return PRIV_ADMIN;
	uint8_t p = bmc->lanconf.cur.cipher_priv[suite];
	return p == PRIV_NO_ACCESS ? 0 : p;
}

/* ---- bad password lockout ------------------------------------------------------------------ */

static struct bmc_lan_lockout *lockout_of(struct bmc *bmc, uint8_t uid)
{
	return uid >= 1 && uid <= BMC_MAX_USERS ? &bmc->lanconf.lockout[uid] : NULL;
}

/* An expired lock is forgotten together with the count that caused it. */
static void lockout_expire(struct bmc_lan_lockout *lo, usec_t now)
{
	if (lo->locked_until && now >= lo->locked_until) {
		lo->locked_until = 0;
		lo->failures = 0;
	}
}

bool bmc_lanconf_user_locked(struct bmc *bmc, uint8_t uid, usec_t now, usec_t *ret_left)
{
	struct bmc_lan_lockout *lo = lockout_of(bmc, uid);
	if (!lo)
		return false;
	lockout_expire(lo, now);
	if (!lo->locked_until || !bmc->lanconf.cur.bad_password.threshold)
		return false;
	if (ret_left)
		*ret_left = lo->locked_until - now;
	return true;
}

/* Lockout interval 0 (IPMI 2.0 errata, parameter 26): the user stays disabled until an
 * administrator enables it again (Set User Password, operation "enable"). */
static enum bmc_lockout_result lockout_disable_user(struct bmc *bmc, uint8_t uid)
{
	struct bmc_user *u = bmc_user_get(&bmc->users, uid);
	if (!u)
		return BMC_LOCKOUT_IGNORED;
	u->enable = BMC_USER_DISABLED;
	int r = bmc_user_save(&bmc->users, bmc->store, uid);
	if (r < 0)
		log_err("%s: user %u disabled after bad passwords, but the store refused it: %s",
			bmc->name, uid, strerror(-r));
	return BMC_LOCKOUT_DISABLED;
}

enum bmc_lockout_result bmc_lanconf_login_failed(struct bmc *bmc, uint8_t uid, usec_t began,
						  usec_t now, unsigned *ret_failures)
{
	const struct bmc_lan_bad_password *bp = &bmc->lanconf.cur.bad_password;
	struct bmc_lan_lockout *lo = lockout_of(bmc, uid);
	if (ret_failures)
		*ret_failures = 0;
	if (!lo || !bp->threshold || began < lo->last_success)
		return BMC_LOCKOUT_IGNORED;
	lockout_expire(lo, now);
	if (lo->locked_until)
		return BMC_LOCKOUT_IGNORED; /* already locked: an attempt that began before */
	if (bp->reset_interval && lo->failures &&
	    now - lo->last_failure >= (usec_t)bp->reset_interval * TEN_SECONDS)
		lo->failures = 0;
	if (lo->failures < UINT8_MAX)
		lo->failures++;
	lo->last_failure = now;
	if (ret_failures)
		*ret_failures = lo->failures;
	if (lo->failures < bp->threshold)
		return BMC_LOCKOUT_COUNTED;
	if (!bp->lockout_interval) {
		lo->failures = 0;
		return lockout_disable_user(bmc, uid);
	}
	lo->locked_until = now + (usec_t)bp->lockout_interval * TEN_SECONDS;
	return BMC_LOCKOUT_LOCKED;
}

void bmc_lanconf_login_succeeded(struct bmc *bmc, uint8_t uid, usec_t now)
{
	struct bmc_lan_lockout *lo = lockout_of(bmc, uid);
	if (!lo)
		return;
	lo->failures = 0;
	lo->last_success = now;
}
