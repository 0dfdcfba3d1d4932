/* The IPMI side of the LAN transport: running a request through the dispatcher with the
 * session's privilege and retransmission cache, and the session-management commands that only
 * make sense on a LAN channel (IPMI 2.0 §22.13-22.20, §22.15 cipher suites). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "ipmi/msg.h"
#include "lan/lan.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Cipher suites this BMC implements (IPMI 2.0 table 22-20), in listing order. */
const struct cipher_suite lan_cipher_suites[] = {
	{ 0, RAKP_AUTH_NONE, RMCP_INTEG_NONE, RMCP_CONF_NONE },
	{ 1, RAKP_AUTH_HMAC_SHA1, RMCP_INTEG_NONE, RMCP_CONF_NONE },
	{ 2, RAKP_AUTH_HMAC_SHA1, RMCP_INTEG_HMAC_SHA1_96, RMCP_CONF_NONE },
	{ 3, RAKP_AUTH_HMAC_SHA1, RMCP_INTEG_HMAC_SHA1_96, RMCP_CONF_AES_CBC_128 },
	{ 6, RAKP_AUTH_HMAC_MD5, RMCP_INTEG_NONE, RMCP_CONF_NONE },
	{ 7, RAKP_AUTH_HMAC_MD5, RMCP_INTEG_HMAC_MD5_128, RMCP_CONF_NONE },
	{ 8, RAKP_AUTH_HMAC_MD5, RMCP_INTEG_HMAC_MD5_128, RMCP_CONF_AES_CBC_128 },
	{ 11, RAKP_AUTH_HMAC_MD5, RMCP_INTEG_MD5_128, RMCP_CONF_NONE },
	{ 12, RAKP_AUTH_HMAC_MD5, RMCP_INTEG_MD5_128, RMCP_CONF_AES_CBC_128 },
	{ 15, RAKP_AUTH_HMAC_SHA256, RMCP_INTEG_NONE, RMCP_CONF_NONE },
	{ 16, RAKP_AUTH_HMAC_SHA256, RMCP_INTEG_HMAC_SHA256_128, RMCP_CONF_NONE },
	{ 17, RAKP_AUTH_HMAC_SHA256, RMCP_INTEG_HMAC_SHA256_128, RMCP_CONF_AES_CBC_128 },
};
const size_t lan_cipher_suites_n = ARRAY_SIZE(lan_cipher_suites);

static bool suite_enabled(const struct bmc *bmc, uint8_t id)
{
	return id < 32 && (bmc->lan_sec.cipher_suites_enabled >> id & 1);
}

const struct cipher_suite *lan_cipher_suite_match(const struct bmc *bmc, uint8_t auth,
						  uint8_t integ, uint8_t conf)
{
	for (size_t i = 0; i < lan_cipher_suites_n; i++) {
		const struct cipher_suite *cs = &lan_cipher_suites[i];
		if (cs->auth == auth && cs->integ == integ && cs->conf == conf &&
		    suite_enabled(bmc, cs->id))
			return cs;
	}
	return NULL;
}

/* ---- running a request ---- */

static bool cache_hit(const struct session *s, const struct ipmi_msg_hdr *h, const uint8_t *data,
		      size_t len)
{
	return s && s->cache_valid && s->cache_rq_seq == h->rq_seq && s->cache_netfn == h->netfn &&
	       s->cache_cmd == h->cmd && s->cache_req_len == len &&
	       memcmp(s->cache_req, data, len) == 0;
}

static void cache_store(struct session *s, const struct ipmi_msg_hdr *h, const uint8_t *data,
			size_t len, const struct wbuf *out)
{
	if (!s || len > sizeof(s->cache_req) || out->len > sizeof(s->cache_rsp)) {
		if (s)
			s->cache_valid = false;
		return;
	}
	s->cache_valid = true;
	s->cache_rq_seq = h->rq_seq;
	s->cache_netfn = h->netfn;
	s->cache_cmd = h->cmd;
	s->cache_req_len = (uint16_t)len;
	memcpy(s->cache_req, data, len);
	s->cache_rsp_len = (uint16_t)out->len;
	memcpy(s->cache_rsp, out->p, out->len);
}

int lan_run_ipmi(struct lan_ctx *ctx, const uint8_t *msg, size_t len, struct wbuf *out)
{
	struct ipmi_msg_hdr h;
	const uint8_t *data;
	size_t dlen;
	if (ipmi_msg_parse_req(msg, len, &h, &data, &dlen) < 0 || (h.netfn & 1))
		return -1;
	struct session *s = ctx->session;
	if (s && s->state == SESSION_ACTIVE && cache_hit(s, &h, data, dlen)) {
		/* A retransmission (same rqSeq, command and data): answer from the cache instead
		 * of running the command twice (rmcp-and-sessions.md §2). */
		wbuf_bytes(out, s->cache_rsp, s->cache_rsp_len);
		return out->err ? -1 : 0;
	}
	bool active = s && s->state == SESSION_ACTIVE;
	struct ipmi_req req = {
		.netfn = h.netfn,
		.cmd = h.cmd,
		.lun = h.rs_lun,
		.data = data,
		.len = dlen,
		.channel = IPMI_CHANNEL_LAN,
		.rq_addr = h.rq_addr,
		.rq_lun = h.rq_lun,
		.priv = active ? s->priv : IPMI_PRIV_NONE,
		.user_id = active ? s->user_id : 0,
		.in_session = active,
		.transport = &lan_transport,
		.transport_ctx = ctx,
	};
	struct ipmi_rsp rsp;
	ipmi_dispatch(ctx->srv->bmc, &req, &rsp);
	ipmi_msg_build_rsp(out, &h, rsp.cc, rsp.data, rsp.len);
	if (out->err)
		return -1;
	if (active && !s->close_after_reply)
		cache_store(s, &h, data, dlen, out);
	return 0;
}

void lan_after_reply(struct lan_ctx *ctx)
{
	struct lan_server *srv = ctx->srv;
	struct bmc *bmc = srv->bmc;
	if (ctx->session && ctx->session->close_after_reply) {
		log_info("session %08x (user %u): closed", ctx->session->bmc_sid,
			 ctx->session->user_id);
		session_free(ctx->session);
		ctx->session = NULL;
	}
	if (bmc->reset_requested) {
		if (bmc_reset(bmc, bmc->reset_requested == BMC_RESET_COLD) < 0)
			log_err("%s: reset failed to reload state", bmc->name);
		lan_sessions_after_cold_reset(srv); /* a cold one ends every session */
	}
}

/* ---- bad password lockout (LAN parameter 26) ---- */

static const char *user_name_of(struct bmc *bmc, uint8_t uid, char buf[static 8])
{
	const struct bmc_user *u = bmc_user_get(&bmc->users, uid);
	if (u && u->name[0])
		return u->name;
	snprintf(buf, 8, "%u", uid);
	return buf;
}

static unsigned usec_to_s(usec_t t)
{
	return (unsigned)((t + USEC_PER_SEC - 1) / USEC_PER_SEC);
}

bool lan_login_locked(struct bmc *bmc, uint8_t uid, const struct sockaddr *peer)
{
	usec_t left = 0;
	if (!bmc_lanconf_user_locked(bmc, uid, now_monotonic(), &left))
		return false;
	char name[8], where[80];
	log_warn("user %s from %s: locked out after repeated bad passwords (%u s left), login "
		 "refused", user_name_of(bmc, uid, name), lan_peer_str(peer, where, sizeof(where)),
		 usec_to_s(left));
	return true;
}

void lan_login_failed(struct bmc *bmc, uint8_t uid, usec_t began, const struct sockaddr *peer,
		      const char *why)
{
	const struct bmc_lan_bad_password *bp = &bmc->lanconf.cur.bad_password;
	unsigned n = 0;
	enum bmc_lockout_result res = bmc_lanconf_login_failed(bmc, uid, began, now_monotonic(), &n);
	char name[8], where[80];
	const char *who = user_name_of(bmc, uid, name);
	lan_peer_str(peer, where, sizeof(where));
	switch (res) {
	case BMC_LOCKOUT_COUNTED:
		log_warn("user %s from %s: %s (failed login %u of %u)", who, where, why, n,
			 bp->threshold);
		break;
	case BMC_LOCKOUT_LOCKED:
		log_warn("user %s from %s: %s; %u consecutive failed logins: user locked out for "
			 "%u s", who, where, why, n, bp->lockout_interval * 10u);
		break;
	case BMC_LOCKOUT_DISABLED:
		log_warn("user %s from %s: %s; %u consecutive failed logins: user disabled until "
			 "an administrator enables it", who, where, why, bp->threshold);
		break;
	default:
		log_warn("user %s from %s: %s", who, where, why);
		break;
	}
}

/* ---- session-management commands ---- */

static uint8_t req_channel(const struct ipmi_req *req, uint8_t ch)
{
	ch &= 0x0F;
	return ch == IPMI_CHANNEL_CURRENT ? req->channel : ch;
}

static bool any_named_user(const struct bmc *bmc)
{
	for (uint8_t id = 2; id <= BMC_MAX_USERS; id++) {
		const struct bmc_user *u = &bmc->users.user[id];
		if (u->name[0] && bmc_user_is_enabled(u))
			return true;
	}
	return false;
}

static struct lan_ctx *lan_ctx_of(const struct ipmi_req *req)
{
	return req->transport_ctx;
}

/* IPMI 2.0 §22.22: access mode "disabled" keeps new sessions out; sessions already open keep
 * working, so that the administrator who switched it off can switch it on again. */
static bool channel_disabled(const struct bmc *bmc, const struct lan_ctx *ctx)
{
	if (bmc->lan_channel.volatile_.access_mode != BMC_ACCESS_DISABLED)
		return false;
	char peer[80];
	log_warn("LAN channel 1 is disabled (channel access mode): new session from %s refused",
		 lan_peer_str(ctx->peer, peer, sizeof(peer)));
	return true;
}

/* Get Channel Authentication Capabilities (0x38), rmcp-and-sessions.md §5.1. */
static void cmd_get_channel_auth_caps(struct bmc *bmc, const struct ipmi_req *req,
				      struct ipmi_rsp *rsp)
{
	bool v2 = req->data[0] & 0x80;
	uint8_t ch = req_channel(req, req->data[0]);
	uint8_t priv = req->data[1] & 0x0F;
	if (ch != IPMI_CHANNEL_LAN || priv < IPMI_PRIV_CALLBACK || priv > IPMI_PRIV_OEM ||
	    (req->data[0] & 0x70) || priv > bmc->lan_channel.volatile_.priv_limit) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (!req->in_session && channel_disabled(bmc, lan_ctx_of(req))) {
		ipmi_rsp_cc(rsp, IPMI_CC_DISABLED);
		return;
	}
	/* LAN parameter 2: the IPMI 1.5 auth types enabled for the requested level. */
	uint8_t types = (uint8_t)((v2 ? 0x80 : 0) | bmc_lanconf_auth_enabled(bmc, priv));
	const struct bmc_user *null_user = &bmc->users.user[1];
	bool null_enabled = bmc_user_is_enabled(null_user) && null_user->pw_size;
	uint8_t status = (uint8_t)((any_named_user(bmc) ? 0x04 : 0) | (null_enabled ? 0x02 : 0));
	ipmi_rsp_u8(rsp, ch);
	ipmi_rsp_u8(rsp, types);
	ipmi_rsp_u8(rsp, status);
	ipmi_rsp_u8(rsp, v2 ? 0x03 : 0x00); /* IPMI 2.0 and 1.5 connections */
	ipmi_rsp_bytes(rsp, (uint8_t[4]){ 0, 0, 0, 0 }, 4);
}

/* Get Channel Cipher Suites (0x54), rmcp-and-sessions.md §10.1. */
static void cmd_get_channel_cipher_suites(struct bmc *bmc, const struct ipmi_req *req,
					  struct ipmi_rsp *rsp)
{
	uint8_t ch = req_channel(req, req->data[0]);
	uint8_t payload = req->data[1] & 0x3F;
	bool by_suite = req->data[2] & 0x80;
	unsigned index = req->data[2] & 0x3F;
	if (ch != IPMI_CHANNEL_LAN || payload > 1) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	uint8_t list[128];
	struct wbuf w = wbuf_init(list, sizeof(list));
	uint8_t seen = 0; /* list-by-algorithm mode: each tagged algorithm once */
	uint8_t algs[24];
	for (size_t i = 0; i < lan_cipher_suites_n; i++) {
		const struct cipher_suite *cs = &lan_cipher_suites[i];
		if (!suite_enabled(bmc, cs->id))
			continue;
		uint8_t tagged[3] = { cs->auth, (uint8_t)(0x40 | cs->integ), (uint8_t)(0x80 | cs->conf) };
		if (by_suite) {
			wbuf_u8(&w, 0xC0);
			wbuf_u8(&w, cs->id);
			wbuf_bytes(&w, tagged, 3);
			continue;
		}
		for (int k = 0; k < 3; k++) {
			if (!memchr(algs, tagged[k], seen) && seen < sizeof(algs)) {
				algs[seen++] = tagged[k];
				wbuf_u8(&w, tagged[k]);
			}
		}
	}
	ipmi_rsp_u8(rsp, ch);
	size_t off = (size_t)index * 16;
	if (off < w.len)
		ipmi_rsp_bytes(rsp, list + off, w.len - off < 16 ? w.len - off : 16);
}

/* An auth type this BMC implements (none, MD5, straight password) that LAN parameter 2 enables
 * for some privilege level; Activate Session checks the level the session asks for. */
static bool v15_auth_type_enabled(const struct bmc *bmc, uint8_t authtype)
{
	uint8_t enabled = 0;
	if (authtype != 0 && authtype != 2 && authtype != 4)
		return false;
	for (uint8_t priv = IPMI_PRIV_CALLBACK; priv <= IPMI_PRIV_OEM; priv++)
		enabled |= bmc_lanconf_auth_enabled(bmc, priv);
	return enabled >> authtype & 1;
}

/* Get Session Challenge (0x39), IPMI 1.5 only (§3.2 of the notes). */
static void cmd_get_session_challenge(struct bmc *bmc, const struct ipmi_req *req,
				      struct ipmi_rsp *rsp)
{
	struct lan_ctx *ctx = lan_ctx_of(req);
	uint8_t authtype = req->data[0] & 0x0F;
	if (ctx->rmcpplus || !v15_auth_type_enabled(bmc, authtype)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (channel_disabled(bmc, ctx)) {
		ipmi_rsp_cc(rsp, IPMI_CC_DISABLED);
		return;
	}
	const uint8_t *name = req->data + 1;
	size_t nlen = strnlen((const char *)name, BMC_USER_NAME_LEN);
	uint8_t uid = bmc_user_find(&bmc->users, name, nlen);
	/* A locked-out user is answered like an unknown name (no challenge to work on). */
	if (!uid || lan_login_locked(bmc, uid, ctx->peer)) {
		ipmi_rsp_cc(rsp, nlen ? 0x81 : 0x82); /* invalid user name / null user disabled */
		return;
	}
	struct session *s = session_alloc(&ctx->srv->sessions, ctx->peer, ctx->peer_len);
	if (!s) {
		ipmi_rsp_cc(rsp, IPMI_CC_NODE_BUSY);
		return;
	}
	s->v15 = true;
	s->state = SESSION_CHALLENGED;
	s->authtype = authtype;
	s->user_id = uid;
	if (RAND_bytes(s->challenge, sizeof(s->challenge)) != 1) {
		session_free(s);
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
		return;
	}
	uint8_t sid[4] = { (uint8_t)s->bmc_sid, (uint8_t)(s->bmc_sid >> 8),
			   (uint8_t)(s->bmc_sid >> 16), (uint8_t)(s->bmc_sid >> 24) };
	ipmi_rsp_bytes(rsp, sid, 4);
	ipmi_rsp_bytes(rsp, s->challenge, 16);
}

/* LAN parameter 2: the session's auth type must be enabled for the privilege it asks for. */
static bool activation_auth_enabled(const struct bmc *bmc, const struct lan_ctx *ctx,
				    const struct bmc_user *u, uint8_t authtype, uint8_t max_priv)
{
	if (bmc_lanconf_auth_enabled(bmc, max_priv) >> authtype & 1)
		return true;
	char peer[80];
	log_warn("user %s from %s: IPMI 1.5 auth type %u is not enabled for privilege %u (LAN "
		 "parameter 2), activation refused", u->name,
		 lan_peer_str(ctx->peer, peer, sizeof(peer)), authtype, max_priv);
	return false;
}

/* Activate Session (0x3A). The packet's auth code was verified by v15.c against the user of the
 * temporary session before this runs. */
static void cmd_activate_session(struct bmc *bmc, const struct ipmi_req *req,
				 struct ipmi_rsp *rsp)
{
	struct lan_ctx *ctx = lan_ctx_of(req);
	struct session *s = ctx->session;
	if (ctx->rmcpplus || !s || s->state != SESSION_CHALLENGED) {
		ipmi_rsp_cc(rsp, IPMI_CC_NOT_IN_STATE);
		return;
	}
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t authtype = rbuf_u8(&r) & 0x0F;
	uint8_t max_priv = rbuf_u8(&r) & 0x0F;
	const uint8_t *challenge = rbuf_take(&r, 16);
	uint32_t out_seq = rbuf_u32le(&r);
	if (r.err || authtype != s->authtype || CRYPTO_memcmp(challenge, s->challenge, 16) != 0) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	const struct bmc_user *u = bmc_user_get(&bmc->users, s->user_id);
	uint8_t limit = u ? bmc_user_channel_priv(u, IPMI_CHANNEL_LAN) : IPMI_PRIV_NO_ACCESS;
	bool no_access = limit == IPMI_PRIV_NO_ACCESS; /* not to be capped into a level below */
	if (limit > bmc->lan_channel.volatile_.priv_limit)
		limit = bmc->lan_channel.volatile_.priv_limit;
	if (no_access || max_priv < IPMI_PRIV_CALLBACK || max_priv > IPMI_PRIV_OEM ||
	    max_priv > limit) {
		ipmi_rsp_cc(rsp, 0x86); /* requested privilege exceeds limit */
		return;
	}
	if (!activation_auth_enabled(bmc, ctx, u, authtype, max_priv)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (out_seq == 0) {
		ipmi_rsp_cc(rsp, 0x84);
		return;
	}
	uint32_t in_seq;
	do {
		if (RAND_bytes((uint8_t *)&in_seq, sizeof(in_seq)) != 1)
			in_seq = 1;
		in_seq &= 0x7FFFFFFF;
	} while (in_seq < 2);
	s->state = SESSION_ACTIVE;
	s->max_priv = max_priv;
	s->priv = max_priv < IPMI_PRIV_USER ? max_priv : IPMI_PRIV_USER;
	s->out_seq = out_seq - 1; /* the response itself carries out_seq */
	seqwin_init(&s->in_win, in_seq - 1, 16, 16);
	ctx->activated = true;

	char peer[80];
	log_info("user %s from %s: IPMI 1.5 session %08x activated (max privilege %u)",
		 u->name, lan_peer_str(ctx->peer, peer, sizeof(peer)), s->bmc_sid, max_priv);
	ipmi_rsp_u8(rsp, authtype);
	uint8_t sid[4] = { (uint8_t)s->bmc_sid, (uint8_t)(s->bmc_sid >> 8),
			   (uint8_t)(s->bmc_sid >> 16), (uint8_t)(s->bmc_sid >> 24) };
	ipmi_rsp_bytes(rsp, sid, 4);
	uint8_t seq[4] = { (uint8_t)in_seq, (uint8_t)(in_seq >> 8), (uint8_t)(in_seq >> 16),
			   (uint8_t)(in_seq >> 24) };
	ipmi_rsp_bytes(rsp, seq, 4);
	ipmi_rsp_u8(rsp, max_priv);
}

/* Set Session Privilege Level (0x3B), §5.3 of the notes. */
static void cmd_set_session_priv(struct bmc *bmc, const struct ipmi_req *req,
				 struct ipmi_rsp *rsp)
{
	struct session *s = lan_ctx_of(req)->session;
	uint8_t want = req->data[0] & 0x0F;
	if (!s) {
		ipmi_rsp_cc(rsp, IPMI_CC_NOT_IN_STATE);
		return;
	}
	if (want != 0) {
		if (want < IPMI_PRIV_USER || want > IPMI_PRIV_OEM) {
			ipmi_rsp_cc(rsp, 0x80); /* level not available for this user */
			return;
		}
		const struct bmc_user *u = bmc_user_get(&bmc->users, s->user_id);
		uint8_t limit = u ? bmc_user_channel_priv(u, req->channel) : IPMI_PRIV_NO_ACCESS;
		if (want > s->max_priv || want > limit ||
		    want > bmc->lan_channel.volatile_.priv_limit) {
			ipmi_rsp_cc(rsp, 0x81); /* exceeds the user's or channel's limit */
			return;
		}
		s->priv = want;
	}
	ipmi_rsp_u8(rsp, s->priv);
}

/* Close Session (0x3C), §5.4 of the notes. */
static void cmd_close_session(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct lan_ctx *ctx = lan_ctx_of(req);
	struct rbuf r = rbuf_init(req->data, req->len);
	uint32_t sid = rbuf_u32le(&r);
	struct session *target;
	if (sid == 0) {
		if (req->len < 5) {
			ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
			return;
		}
		target = session_by_handle(&ctx->srv->sessions, rbuf_u8(&r));
		if (!target) {
			ipmi_rsp_cc(rsp, 0x88);
			return;
		}
	} else {
		target = session_find(&ctx->srv->sessions, sid);
		if (!target || target->state != SESSION_ACTIVE) {
			ipmi_rsp_cc(rsp, 0x87);
			return;
		}
	}
	if (target == ctx->session) {
		target->close_after_reply = true;
		return;
	}
	if (req->priv < IPMI_PRIV_ADMIN) {
		ipmi_rsp_cc(rsp, IPMI_CC_INSUFFICIENT_PRIV);
		return;
	}
	log_info("session %08x (user %u): closed by user %u", target->bmc_sid, target->user_id,
		 req->user_id);
	session_free(target);
}

static void session_info_lan(struct ipmi_rsp *rsp, const struct session *s)
{
	uint8_t ip[4] = { 0 };
	uint16_t port = 0;
	if (s->peer.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&s->peer;
		memcpy(ip, &in->sin_addr, 4);
		port = ntohs(in->sin_port);
	} else if (s->peer.ss_family == AF_INET6) {
		port = ntohs(((const struct sockaddr_in6 *)&s->peer)->sin6_port);
	}
	ipmi_rsp_bytes(rsp, ip, 4);              /* MS byte first */
	ipmi_rsp_bytes(rsp, (uint8_t[6]){ 0 }, 6); /* MAC: not known on loopback/UDP */
	ipmi_rsp_u8(rsp, (uint8_t)port);         /* LS byte first */
	ipmi_rsp_u8(rsp, (uint8_t)(port >> 8));
}

/* Get Session Info (0x3D), §5.5 of the notes. */
static void cmd_get_session_info(struct bmc *bmc, const struct ipmi_req *req,
				 struct ipmi_rsp *rsp)
{
	struct lan_ctx *ctx = lan_ctx_of(req);
	struct session_table *t = &ctx->srv->sessions;
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t index = rbuf_u8(&r);
	struct session *s;
	if (index == 0) {
		s = ctx->session;
	} else if (index == 0xFE) {
		s = session_by_handle(t, rbuf_u8(&r));
	} else if (index == 0xFF) {
		s = session_find(t, rbuf_u32le(&r));
		if (s && s->state != SESSION_ACTIVE)
			s = NULL;
	} else {
		s = index <= t->n_slots ? session_nth_active(t, index) : NULL;
		if (index > t->n_slots) {
			ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
			return;
		}
	}
	if (r.err) {
		ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
		return;
	}
	ipmi_rsp_u8(rsp, s ? s->handle : 0);
	ipmi_rsp_u8(rsp, (uint8_t)t->n_slots);
	ipmi_rsp_u8(rsp, (uint8_t)session_count_active(t));
	if (!s)
		return; /* an empty slot: bytes 2-4 only */
	ipmi_rsp_u8(rsp, s->user_id);
	ipmi_rsp_u8(rsp, s->priv);
	ipmi_rsp_u8(rsp, (uint8_t)((s->v15 ? 0x00 : 0x10) | IPMI_CHANNEL_LAN));
	session_info_lan(rsp, s);
}

static const struct ipmi_cmd lan_cmds[] = {
	{ IPMI_NETFN_APP, 0x38, 2, 2, IPMI_PRIV_NONE, cmd_get_channel_auth_caps },
	{ IPMI_NETFN_APP, 0x39, 17, 17, IPMI_PRIV_NONE, cmd_get_session_challenge },
	{ IPMI_NETFN_APP, 0x3A, 22, 22, IPMI_PRIV_NONE, cmd_activate_session },
	{ IPMI_NETFN_APP, 0x3B, 1, 1, IPMI_PRIV_USER, cmd_set_session_priv },
	{ IPMI_NETFN_APP, 0x3C, 4, 5, IPMI_PRIV_CALLBACK, cmd_close_session },
	{ IPMI_NETFN_APP, 0x3D, 1, 5, IPMI_PRIV_USER, cmd_get_session_info },
	{ IPMI_NETFN_APP, 0x54, 3, 3, IPMI_PRIV_NONE, cmd_get_channel_cipher_suites },
};

const struct ipmi_transport lan_transport = {
	.name = "lan",
	.cmds = lan_cmds,
	.n_cmds = ARRAY_SIZE(lan_cmds),
};
