/* Transport netFn (0x0C/0x0D) command handlers: Set/Get LAN Configuration Parameters (IPMI 2.0
 * §23.1, §23.2, table 23-4; commands.md §5.1). One table row per parameter carries its data
 * length and the functions that encode and decode its bytes; the values, their rules, "set in
 * progress" and persistence belong to the model in bmc/lanconf.c.
 *
 * Parameter 24 (cipher suite privilege levels) is indexed by cipher suite ID (nibble n = suite
 * n), not by the position of the suite in parameter 23: that is how ipmitool (`lan print`,
 * `lan set cipher_privs`) and FreeIPMI (`Maximum_Privilege_Cipher_Suite_Id_N`, "NOT A BUG: index
 * at [id]") read and write it, so both show and set the right suite. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_SET_LAN_CONFIG = 0x01,
	IPMI_CMD_GET_LAN_CONFIG = 0x02,
};

/* Command-specific completion codes (IPMI 2.0 §23.1). */
enum {
	CC_PARAM_UNSUPPORTED = 0x80,
	CC_SET_IN_PROGRESS = 0x81,
	CC_PARAM_READ_ONLY = 0x82,
};

#define LAN_PARAM_REVISION 0x11   /* present revision 1, oldest compatible 1 */
#define GET_REVISION_ONLY 0x80
#define LAN_PARAM_MAX_LEN 18      /* the community string */
#define SELECTOR_MASK 0x0F

struct lan_param {
	uint8_t len; /* data length of Set (and of Get, except parameter 23) */
	/* Encodes the value for Get; sel = the request's set selector (destinations). */
	void (*get)(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
		    struct wbuf *w);
	/* Decodes Set data into p; -EINVAL for reserved bits or a bad selector. NULL = RO. */
	int (*set)(struct bmc_lan_params *p, struct rbuf *r);
	bool selector; /* Get uses the set selector: a destination 0..BMC_LAN_DESTINATIONS */
};

/* ---- encoders and decoders, in parameter order ----------------------------------------------- */

static void get_set_in_progress(const struct bmc *bmc, const struct bmc_lan_params *p,
				uint8_t sel, struct wbuf *w)
{
	wbuf_u8(w, bmc_lanconf_set_state(bmc));
}

static void get_auth_support(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			     struct wbuf *w)
{
	wbuf_u8(w, bmc_lanconf_auth_support(bmc));
}

static void get_auth_enables(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			     struct wbuf *w)
{
	uint8_t support = bmc_lanconf_auth_support(bmc);
	for (int i = 0; i < BMC_LAN_PRIV_LEVELS; i++)
		wbuf_u8(w, p->auth_enables[i] & support);
}

static int set_auth_enables(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->auth_enables, sizeof(p->auth_enables));
	return 0;
}

static void get_ip_address(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			   struct wbuf *w)
{
	struct bmc_lan_ipv4 net;
	bmc_lanconf_ipv4(bmc, p, &net);
	wbuf_bytes(w, net.ip, 4);
}

static int set_ip_address(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->v4.ip, 4);
	return 0;
}

static void get_ip_source(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			  struct wbuf *w)
{
	wbuf_u8(w, p->ip_source);
}

static int set_ip_source(struct bmc_lan_params *p, struct rbuf *r)
{
	uint8_t v = rbuf_u8(r);
	p->ip_source = v & 0x0F;
	return (v & 0xF0) ? -EINVAL : 0;
}

static void get_mac(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
		    struct wbuf *w)
{
	wbuf_bytes(w, bmc->lanconf.mac, 6);
}

static void get_netmask(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			struct wbuf *w)
{
	struct bmc_lan_ipv4 net;
	bmc_lanconf_ipv4(bmc, p, &net);
	wbuf_bytes(w, net.netmask, 4);
}

static int set_netmask(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->v4.netmask, 4);
	return 0;
}

static void get_ipv4_header(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			    struct wbuf *w)
{
	wbuf_bytes(w, p->ipv4_header, 3);
}

static int set_ipv4_header(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->ipv4_header, 3);
	return 0;
}

/* The port the daemon really listens on: the modelled network never moves the socket, so the
 * parameter is read-only. */
static void get_primary_port(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			     struct wbuf *w)
{
	uint16_t port = bmc->lanconf.rmcp_port;
	wbuf_u16le(w, port ? port : BMC_LAN_DEFAULT_RMCP_PORT);
}

/* ASF's secure RMCP port (IPMI 2.0 table 23-4: 664). The daemon does not serve secure RMCP;
 * the parameter reports the standard value, read-only like the primary port. */
static void get_secondary_port(const struct bmc *bmc, const struct bmc_lan_params *p,
			       uint8_t sel, struct wbuf *w)
{
	wbuf_u16le(w, BMC_LAN_SECURE_RMCP_PORT);
}

static void get_arp_control(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			    struct wbuf *w)
{
	wbuf_u8(w, p->arp_control);
}

static int set_arp_control(struct bmc_lan_params *p, struct rbuf *r)
{
	p->arp_control = rbuf_u8(r);
	return 0;
}

static void get_garp_interval(const struct bmc *bmc, const struct bmc_lan_params *p,
			      uint8_t sel, struct wbuf *w)
{
	wbuf_u8(w, p->garp_interval);
}

static int set_garp_interval(struct bmc_lan_params *p, struct rbuf *r)
{
	p->garp_interval = rbuf_u8(r);
	return 0;
}

static void get_gateway(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			struct wbuf *w)
{
	struct bmc_lan_ipv4 net;
	bmc_lanconf_ipv4(bmc, p, &net);
	wbuf_bytes(w, net.gateway, 4);
}

static int set_gateway(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->v4.gateway, 4);
	return 0;
}

static void get_gateway_mac(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			    struct wbuf *w)
{
	struct bmc_lan_ipv4 net;
	bmc_lanconf_ipv4(bmc, p, &net);
	wbuf_bytes(w, net.gateway_mac, 6);
}

static int set_gateway_mac(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->v4.gateway_mac, 6);
	return 0;
}

static void get_backup_gateway(const struct bmc *bmc, const struct bmc_lan_params *p,
			       uint8_t sel, struct wbuf *w)
{
	wbuf_bytes(w, p->backup_gateway, 4);
}

static int set_backup_gateway(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->backup_gateway, 4);
	return 0;
}

static void get_backup_gateway_mac(const struct bmc *bmc, const struct bmc_lan_params *p,
				   uint8_t sel, struct wbuf *w)
{
	wbuf_bytes(w, p->backup_gateway_mac, 6);
}

static int set_backup_gateway_mac(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->backup_gateway_mac, 6);
	return 0;
}

static void get_community(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			  struct wbuf *w)
{
	wbuf_bytes(w, p->community, sizeof(p->community));
}

static int set_community(struct bmc_lan_params *p, struct rbuf *r)
{
	rbuf_copy(r, p->community, sizeof(p->community));
	return 0;
}

static void get_dest_count(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			   struct wbuf *w)
{
	wbuf_u8(w, BMC_LAN_DESTINATIONS);
}

/* Byte 1 of parameters 18, 19 and 25: bits 3:0 destination selector, 7:4 reserved. */
static struct bmc_lan_dest *dest_select(struct bmc_lan_params *p, struct rbuf *r)
{
	uint8_t sel = rbuf_u8(r);
	if (sel > BMC_LAN_DESTINATIONS)
		return NULL;
	return &p->dest[sel];
}

static void get_dest_type(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			  struct wbuf *w)
{
	const struct bmc_lan_dest *d = &p->dest[sel];
	wbuf_u8(w, sel);
	wbuf_u8(w, d->type);
	wbuf_u8(w, d->ack_timeout);
	wbuf_u8(w, d->retries);
}

static int set_dest_type(struct bmc_lan_params *p, struct rbuf *r)
{
	struct bmc_lan_dest *d = dest_select(p, r);
	if (!d)
		return -EINVAL;
	d->type = rbuf_u8(r);
	d->ack_timeout = rbuf_u8(r);
	d->retries = rbuf_u8(r);
	return 0;
}

static void get_dest_address(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			     struct wbuf *w)
{
	const struct bmc_lan_dest *d = &p->dest[sel];
	wbuf_u8(w, sel);
	wbuf_u8(w, (uint8_t)(d->addr_format << 4));
	wbuf_u8(w, d->gateway_sel);
	wbuf_bytes(w, d->ip, 4);
	wbuf_bytes(w, d->mac, 6);
}

static int set_dest_address(struct bmc_lan_params *p, struct rbuf *r)
{
	struct bmc_lan_dest *d = dest_select(p, r);
	if (!d)
		return -EINVAL;
	uint8_t format = rbuf_u8(r);
	d->addr_format = format >> 4;
	d->gateway_sel = rbuf_u8(r);
	rbuf_copy(r, d->ip, 4);
	rbuf_copy(r, d->mac, 6);
	return (format & 0x0F) ? -EINVAL : 0;
}

static void get_vlan_id(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			struct wbuf *w)
{
	wbuf_u16le(w, p->vlan);
}

static int set_vlan_id(struct bmc_lan_params *p, struct rbuf *r)
{
	p->vlan = rbuf_u16le(r);
	return 0;
}

static void get_vlan_priority(const struct bmc *bmc, const struct bmc_lan_params *p,
			      uint8_t sel, struct wbuf *w)
{
	wbuf_u8(w, p->vlan_priority);
}

static int set_vlan_priority(struct bmc_lan_params *p, struct rbuf *r)
{
	p->vlan_priority = rbuf_u8(r);
	return 0;
}

/* Parameters 22 and 23: the enabled suites, ascending (the order Get Channel Cipher Suites
 * lists them in). */
static unsigned enabled_suites(const struct bmc *bmc, uint8_t ids[static 32])
{
	unsigned n = 0;
	for (unsigned id = 0; id < 32 && n < 16; id++) {
		if (bmc->lan_sec.cipher_suites_enabled >> id & 1)
			ids[n++] = (uint8_t)id;
	}
	return n;
}

static void get_cipher_support(const struct bmc *bmc, const struct bmc_lan_params *p,
			       uint8_t sel, struct wbuf *w)
{
	uint8_t ids[32];
	wbuf_u8(w, (uint8_t)enabled_suites(bmc, ids));
}

static void get_cipher_entries(const struct bmc *bmc, const struct bmc_lan_params *p,
			       uint8_t sel, struct wbuf *w)
{
	uint8_t ids[32];
	unsigned n = enabled_suites(bmc, ids);
	wbuf_u8(w, 0); /* reserved */
	wbuf_bytes(w, ids, n);
}

/* Two nibbles per byte, the lower-numbered suite in bits 3:0. */
static void get_cipher_privs(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			     struct wbuf *w)
{
	wbuf_u8(w, 0); /* reserved */
	for (int i = 0; i < BMC_LAN_CIPHER_PRIV_SLOTS; i += 2)
		wbuf_u8(w, (uint8_t)(p->cipher_priv[i] | p->cipher_priv[i + 1] << 4));
}

static int set_cipher_privs(struct bmc_lan_params *p, struct rbuf *r)
{
	bool reserved = rbuf_u8(r) != 0;
	for (int i = 0; i < BMC_LAN_CIPHER_PRIV_SLOTS; i += 2) {
		uint8_t b = rbuf_u8(r);
		p->cipher_priv[i] = b & 0x0F;
		p->cipher_priv[i + 1] = b >> 4;
	}
	return reserved ? -EINVAL : 0;
}

static void get_dest_vlan(const struct bmc *bmc, const struct bmc_lan_params *p, uint8_t sel,
			  struct wbuf *w)
{
	const struct bmc_lan_dest *d = &p->dest[sel];
	wbuf_u8(w, sel);
	wbuf_u8(w, (uint8_t)(d->vlan_format << 4));
	wbuf_u16le(w, d->vlan_tci);
}

static int set_dest_vlan(struct bmc_lan_params *p, struct rbuf *r)
{
	struct bmc_lan_dest *d = dest_select(p, r);
	if (!d)
		return -EINVAL;
	uint8_t format = rbuf_u8(r);
	d->vlan_format = format >> 4;
	d->vlan_tci = rbuf_u16le(r);
	return (format & 0x0F) ? -EINVAL : 0;
}

static void get_bad_password(const struct bmc *bmc, const struct bmc_lan_params *p,
			     uint8_t sel, struct wbuf *w)
{
	const struct bmc_lan_bad_password *b = &p->bad_password;
	wbuf_u8(w, b->event_on_disable ? 0x01 : 0x00);
	wbuf_u8(w, b->threshold);
	wbuf_u16le(w, b->reset_interval);
	wbuf_u16le(w, b->lockout_interval);
}

static int set_bad_password(struct bmc_lan_params *p, struct rbuf *r)
{
	struct bmc_lan_bad_password *b = &p->bad_password;
	uint8_t flags = rbuf_u8(r);
	b->event_on_disable = flags & 0x01;
	b->threshold = rbuf_u8(r);
	b->reset_interval = rbuf_u16le(r);
	b->lockout_interval = rbuf_u16le(r);
	return (flags & 0xFE) ? -EINVAL : 0;
}

static const struct lan_param lan_params[BMC_LANP_MAX] = {
	[BMC_LANP_SET_IN_PROGRESS] = { 1, get_set_in_progress, NULL, false },
	[BMC_LANP_AUTH_SUPPORT] = { 1, get_auth_support, NULL, false },
	[BMC_LANP_AUTH_ENABLES] = { 5, get_auth_enables, set_auth_enables, false },
	[BMC_LANP_IP_ADDRESS] = { 4, get_ip_address, set_ip_address, false },
	[BMC_LANP_IP_SOURCE] = { 1, get_ip_source, set_ip_source, false },
	[BMC_LANP_MAC_ADDRESS] = { 6, get_mac, NULL, false },
	[BMC_LANP_SUBNET_MASK] = { 4, get_netmask, set_netmask, false },
	[BMC_LANP_IPV4_HEADER] = { 3, get_ipv4_header, set_ipv4_header, false },
	[BMC_LANP_PRIMARY_RMCP_PORT] = { 2, get_primary_port, NULL, false },
	[BMC_LANP_SECONDARY_RMCP_PORT] = { 2, get_secondary_port, NULL, false },
	[BMC_LANP_ARP_CONTROL] = { 1, get_arp_control, set_arp_control, false },
	[BMC_LANP_GARP_INTERVAL] = { 1, get_garp_interval, set_garp_interval, false },
	[BMC_LANP_DEFAULT_GATEWAY] = { 4, get_gateway, set_gateway, false },
	[BMC_LANP_DEFAULT_GATEWAY_MAC] = { 6, get_gateway_mac, set_gateway_mac, false },
	[BMC_LANP_BACKUP_GATEWAY] = { 4, get_backup_gateway, set_backup_gateway, false },
	[BMC_LANP_BACKUP_GATEWAY_MAC] = { 6, get_backup_gateway_mac, set_backup_gateway_mac, false },
	[BMC_LANP_COMMUNITY] = { BMC_LAN_COMMUNITY_LEN, get_community, set_community, false },
	[BMC_LANP_DEST_COUNT] = { 1, get_dest_count, NULL, false },
	[BMC_LANP_DEST_TYPE] = { 4, get_dest_type, set_dest_type, true },
	[BMC_LANP_DEST_ADDRESS] = { 13, get_dest_address, set_dest_address, true },
	[BMC_LANP_VLAN_ID] = { 2, get_vlan_id, set_vlan_id, false },
	[BMC_LANP_VLAN_PRIORITY] = { 1, get_vlan_priority, set_vlan_priority, false },
	[BMC_LANP_CIPHER_SUPPORT] = { 1, get_cipher_support, NULL, false },
	[BMC_LANP_CIPHER_ENTRIES] = { 17, get_cipher_entries, NULL, false },
	[BMC_LANP_CIPHER_PRIVS] = { 9, get_cipher_privs, set_cipher_privs, false },
	[BMC_LANP_DEST_VLAN] = { 4, get_dest_vlan, set_dest_vlan, true },
	[BMC_LANP_BAD_PASSWORD] = { 6, get_bad_password, set_bad_password, false },
};

/* ---- handlers --------------------------------------------------------------------------------- */

static const struct lan_param *param_row(uint8_t param)
{
	return param < BMC_LANP_MAX && lan_params[param].get ? &lan_params[param] : NULL;
}

/* Byte 1 bits 3:0: the channel, 0xE = the one the request came in on. Only channel 1. */
static bool lan_channel_ok(const struct ipmi_req *req, uint8_t b)
{
	uint8_t ch = b & 0x0F;
	if (ch == IPMI_CHANNEL_CURRENT)
		ch = req->channel;
	return ch == IPMI_CHANNEL_LAN;
}

/* The one place model errors become completion codes (see bmc/lanconf.h). */
static uint8_t lanconf_cc(int r)
{
	switch (r) {
	case -EINVAL:
		return IPMI_CC_INVALID_FIELD;
	case -EROFS:
		return CC_PARAM_READ_ONLY;
	case -EOPNOTSUPP:
		return CC_PARAM_UNSUPPORTED;
	case -EBUSY:
		return CC_SET_IN_PROGRESS;
	case -EAGAIN:
		return IPMI_CC_NOT_IN_STATE;
	case -EMSGSIZE:
		return IPMI_CC_REQ_LEN_INVALID;
	default:
		return IPMI_CC_UNSPECIFIED;
	}
}

static void log_set(const struct ipmi_req *req, uint8_t param, const uint8_t *data, size_t len)
{
	char hex[3 * LAN_PARAM_MAX_LEN + 1] = "";
	for (size_t i = 0; i < len && i < LAN_PARAM_MAX_LEN; i++)
		snprintf(hex + 3 * i, 4, " %02x", data[i]);
	log_info("LAN channel 1: %s (parameter %u) set to%s by user %u on channel %u",
		 bmc_lanconf_param_name(param), param, hex, req->user_id, req->channel);
}

/* Decodes one parameter's data into a copy of what reads see and hands it to the model. */
static int lan_param_write(struct bmc *bmc, uint8_t param, const uint8_t *data, size_t len)
{
	const struct lan_param *row = param_row(param);
	if (!row)
		return -EOPNOTSUPP;
	if (param == BMC_LANP_SET_IN_PROGRESS) {
		if (len != 1)
			return -EMSGSIZE;
		return (data[0] & 0xFC) ? -EINVAL : bmc_lanconf_set_in_progress(bmc, data[0]);
	}
	if (!row->set)
		return -EROFS;
	if (len != row->len)
		return -EMSGSIZE;
	struct bmc_lan_params next = *bmc_lanconf_view(bmc);
	struct rbuf r = rbuf_init(data, len);
	int rc = row->set(&next, &r);
	if (rc == 0 && r.err)
		rc = -EMSGSIZE;
	return rc < 0 ? rc : bmc_lanconf_update(bmc, param, &next);
}

/* IPMI 2.0 §23.1: byte 1 channel, byte 2 parameter, bytes 3.. the data. */
static void set_lan_config(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t channel = rbuf_u8(&r);
	uint8_t param = rbuf_u8(&r);
	size_t len = rbuf_left(&r);
	const uint8_t *data = rbuf_take(&r, len);

	if ((channel & 0xF0) || !lan_channel_ok(req, channel)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	int rc = lan_param_write(bmc, param, data, len);
	if (rc < 0) {
		log_info("LAN channel 1: set %s (parameter %u) by user %u refused: %s",
			 bmc_lanconf_param_name(param), param, req->user_id, strerror(-rc));
		ipmi_rsp_cc(rsp, lanconf_cc(rc));
		return;
	}
	if (param != BMC_LANP_SET_IN_PROGRESS) /* the lock dance around every ipmitool write */
		log_set(req, param, data, len);
}

/* IPMI 2.0 §23.2: byte 1 bit 7 revision only, bits 3:0 channel; byte 2 parameter; byte 3 set
 * selector; byte 4 block selector (unused). Reply: revision, then the data. */
static void get_lan_config(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t channel = rbuf_u8(&r);
	uint8_t param = rbuf_u8(&r);
	uint8_t sel = rbuf_u8(&r);
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));

	if ((channel & 0x70) || !lan_channel_ok(req, channel)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	wbuf_u8(&w, LAN_PARAM_REVISION);
	const struct lan_param *row = param_row(param);
	if (!(channel & GET_REVISION_ONLY)) {
		if (!row) {
			ipmi_rsp_cc(rsp, CC_PARAM_UNSUPPORTED);
			return;
		}
		if (row->selector && (sel & SELECTOR_MASK) > BMC_LAN_DESTINATIONS) {
			ipmi_rsp_cc(rsp, IPMI_CC_PARAM_OUT_OF_RANGE);
			return;
		}
		row->get(bmc, bmc_lanconf_view(bmc), sel & SELECTOR_MASK, &w);
	}
	if (w.err) {
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
		return;
	}
	rsp->len = w.len;
}

/* Get IP/UDP/RMCP Statistics (§23.4): byte 1 the channel (bits 7:4 reserved), byte 2 bit 0 = clear
 * every counter after reading them (bits 7:1 reserved). Nine 16-bit counters, LS byte first;
 * the ones the BMC cannot see (header/address errors, fragments, UDP proxy) are 0. */
static void get_ip_udp_rmcp_stats(struct bmc *bmc, const struct ipmi_req *req,
				  struct ipmi_rsp *rsp)
{
	uint8_t channel = req->data[0], flags = req->data[1];
	struct bmc_lan_stats *st = &bmc->lan_stats;
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));

	if ((channel & 0xF0) || (flags & 0xFE) || !lan_channel_ok(req, channel & 0x0F)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	wbuf_u16le(&w, st->ip_rx);
	wbuf_u16le(&w, 0); /* IP header errors */
	wbuf_u16le(&w, 0); /* IP address errors */
	wbuf_u16le(&w, 0); /* fragmented IP packets received */
	wbuf_u16le(&w, st->ip_tx);
	wbuf_u16le(&w, st->udp_rx);
	wbuf_u16le(&w, st->rmcp_rx);
	wbuf_u16le(&w, 0); /* UDP proxy packets received */
	wbuf_u16le(&w, 0); /* UDP proxy packets dropped */
	if (flags & 0x01)
		*st = (struct bmc_lan_stats){ 0 };
	rsp->len = w.len;
}

const struct ipmi_cmd ipmi_transport_cmds[] = {
	{ IPMI_NETFN_TRANSPORT, IPMI_CMD_SET_LAN_CONFIG, 2, 2 + LAN_PARAM_MAX_LEN, IPMI_PRIV_ADMIN,
	  set_lan_config },
	{ IPMI_NETFN_TRANSPORT, IPMI_CMD_GET_LAN_CONFIG, 4, 4, IPMI_PRIV_OPERATOR, get_lan_config },
	{ IPMI_NETFN_TRANSPORT, 0x04, 2, 2, IPMI_PRIV_USER, get_ip_udp_rmcp_stats },
};

const size_t ipmi_transport_cmds_n = sizeof(ipmi_transport_cmds) / sizeof(ipmi_transport_cmds[0]);
