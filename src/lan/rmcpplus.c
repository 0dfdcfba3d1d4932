/* RMCP+ (IPMI 2.0 §13.3, §13.17-13.31): the session-setup payloads (Open Session, RAKP 1-4),
 * sessionless IPMI requests in RMCP+ form, and authenticated/encrypted in-session packets.
 * Layouts: rmcp-and-sessions.md §6-§8. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "lan/lan.h"
#include "lan/rmcpp_wire.h"

enum {
	PAYLOAD_IPMI = 0x00,
	PAYLOAD_SOL = 0x01,
	PAYLOAD_OEM = 0x02,
	PAYLOAD_OPEN_SESSION_RQ = 0x10,
	PAYLOAD_OPEN_SESSION_RS = 0x11,
	PAYLOAD_RAKP1 = 0x12,
	PAYLOAD_RAKP2 = 0x13,
	PAYLOAD_RAKP3 = 0x14,
	PAYLOAD_RAKP4 = 0x15,
};

/* RMCP+ status codes (rmcp-and-sessions.md §9). */
enum {
	RMCPP_OK = 0x00,
	RMCPP_NO_RESOURCES = 0x01,
	RMCPP_INVALID_SID = 0x02,
	RMCPP_INVALID_ROLE = 0x09,
	RMCPP_UNAUTHORIZED_ROLE = 0x0A,
	RMCPP_INVALID_NAME_LEN = 0x0C,
	RMCPP_UNAUTHORIZED_NAME = 0x0D,
	RMCPP_INVALID_ICV = 0x0F,
	RMCPP_NO_CIPHER_MATCH = 0x11,
	RMCPP_ILLEGAL_PARAM = 0x12,
};

#define RMCPP_HDR_END 16 /* RMCP header (4) + session header (12) */

static const char *const priv_names[] = { "NONE", "CALLBACK", "USER", "OPERATOR",
					  "ADMINISTRATOR", "OEM" };

static const char *priv_name(uint8_t p)
{
	return p < 6 ? priv_names[p] : "NO ACCESS";
}

/* Printable copy of an untrusted user name for the log. */
static const char *name_for_log(const uint8_t *name, size_t len, char out[static 68])
{
	size_t o = 0;
	for (size_t i = 0; i < len && i < 16; i++) {
		if (isprint(name[i]) && name[i] != '\\')
			out[o++] = (char)name[i];
		else
			o += (size_t)snprintf(out + o, 5, "\\x%02x", name[i]);
	}
	out[o] = '\0';
	return out;
}

/* ---- sending ---- */

/* Session-setup payloads and sessionless replies: session ID 0, sequence 0, no trailer. */
static void send_clear(struct lan_ctx *ctx, uint8_t ptype, const uint8_t *payload, size_t len)
{
	uint8_t out[LAN_MAX_PACKET];
	struct wbuf w = wbuf_init(out, sizeof(out));
	rmcpp_put_header(&w, ptype, 0, 0);
	wbuf_u16le(&w, (uint16_t)len);
	wbuf_bytes(&w, payload, len);
	if (!w.err)
		lan_send(ctx->srv, ctx->peer, ctx->peer_len, out, w.len);
}

static const uint8_t *integ_key(const struct session *s, size_t *ret_len)
{
	if (s->integ_alg == RMCP_INTEG_MD5_128) {
		*ret_len = sizeof(s->rakp.kuid); /* MD5-128 is keyed with the password */
		return s->rakp.kuid;
	}
	*ret_len = s->key_len;
	return s->k1;
}

/* In-session payload: encrypt if the session has confidentiality, then add the integrity
 * trailer (§6.1: pad so that auth type .. next header is a multiple of 4, then the MAC). */
static void send_session(struct lan_ctx *ctx, struct session *s, uint8_t ptype,
			 const uint8_t *payload, size_t len)
{
	uint8_t out[LAN_MAX_PACKET];
	struct wbuf w = wbuf_init(out, sizeof(out));
	size_t klen;
	const uint8_t *key = integ_key(s, &klen);
	if (rmcpp_seal(&w, ptype, s->console_sid, session_next_out_seq(s), payload, len,
		       s->conf_alg != RMCP_CONF_NONE, s->k2, s->integ_alg, key, klen) == 0)
		lan_send(ctx->srv, ctx->peer, ctx->peer_len, out, w.len);
}

/* ---- Open Session ---- */

static void open_session_error(struct lan_ctx *ctx, uint8_t tag, uint8_t status, uint32_t csid)
{
	uint8_t p[8];
	struct wbuf w = wbuf_init(p, sizeof(p));
	wbuf_u8(&w, tag);
	wbuf_u8(&w, status);
	wbuf_u8(&w, 0);
	wbuf_u8(&w, 0);
	wbuf_u32le(&w, csid);
	send_clear(ctx, PAYLOAD_OPEN_SESSION_RS, p, w.len);
}

/* One algorithm payload of the Open Session request: type, 2 reserved, length 8, algorithm,
 * 3 reserved. Returns the algorithm, or -1 if malformed. */
static int read_alg_payload(struct rbuf *r, uint8_t want_type)
{
	uint8_t type = rbuf_u8(r);
	rbuf_skip(r, 2);
	uint8_t len = rbuf_u8(r);
	uint8_t alg = rbuf_u8(r) & 0x3F;
	rbuf_skip(r, 3);
	if (r->err || type != want_type || len != 8)
		return -1;
	return alg;
}

static void put_alg_payload(struct wbuf *w, uint8_t type, uint8_t alg)
{
	wbuf_bytes(w, (uint8_t[]){ type, 0, 0, 8, alg, 0, 0, 0 }, 8);
}

/* Which cipher suite and privilege limit an Open Session gets, or the RMCP+ status refusing
 * it: the channel must not be disabled (IPMI 2.0 §22.22), the algorithms must be an enabled
 * suite that LAN parameter 24 does not mark unused, and the requested maximum privilege must
 * fit under the channel's and the suite's limits. */
static uint8_t open_session_policy(struct lan_ctx *ctx, uint8_t a, uint8_t i, uint8_t c,
				   uint8_t priv, const struct cipher_suite **ret_cs,
				   uint8_t *ret_limit)
{
	struct bmc *bmc = ctx->srv->bmc;
	char peer[80];
	lan_peer_str(ctx->peer, peer, sizeof(peer));
	if (bmc->lan_channel.volatile_.access_mode == BMC_ACCESS_DISABLED) {
		log_warn("LAN channel 1 is disabled (channel access mode): open session from %s "
			 "refused", peer);
		return RMCPP_NO_RESOURCES;
	}
	const struct cipher_suite *cs = lan_cipher_suite_match(bmc, a, i, c);
	uint8_t cs_limit = cs ? bmc_lanconf_cipher_priv(bmc, cs->id) : 0;
	if (!cs || !cs_limit) {
		log_warn("open session from %s: algorithms %d/%d/%d are not an enabled cipher suite%s, "
			 "refused", peer, a, i, c, cs ? " (disabled by its privilege level)" : "");
		return RMCPP_NO_CIPHER_MATCH;
	}
	/* A requested maximum of 0 means "the highest level available": answer the real level,
	 * the lower of the channel's limit and the cipher suite's. */
	uint8_t limit = bmc->lan_channel.volatile_.priv_limit;
	if (cs_limit < limit)
		limit = cs_limit;
	if (priv > IPMI_PRIV_OEM)
		return RMCPP_INVALID_ROLE;
	if (priv > limit) {
		log_warn("open session from %s: privilege %s exceeds %s, the limit of cipher suite %u "
			 "and the channel, refused", peer, priv_name(priv), priv_name(limit), cs->id);
		return RMCPP_UNAUTHORIZED_ROLE;
	}
	*ret_cs = cs;
	*ret_limit = limit;
	return RMCPP_OK;
}

static void open_session(struct lan_ctx *ctx, const uint8_t *payload, size_t len)
{
	struct rbuf r = rbuf_init(payload, len);
	uint8_t tag = rbuf_u8(&r);
	uint8_t priv = rbuf_u8(&r) & 0x0F;
	rbuf_skip(&r, 2);
	uint32_t csid = rbuf_u32le(&r);
	if (r.err)
		return;
	int a = read_alg_payload(&r, 0), i = read_alg_payload(&r, 1), c = read_alg_payload(&r, 2);
	if (csid == 0) {
		open_session_error(ctx, tag, RMCPP_INVALID_SID, csid);
		return;
	}
	if (a < 0 || i < 0 || c < 0) {
		open_session_error(ctx, tag, RMCPP_ILLEGAL_PARAM, csid);
		return;
	}
	const struct cipher_suite *cs = NULL;
	uint8_t limit = 0;
	uint8_t status = open_session_policy(ctx, (uint8_t)a, (uint8_t)i, (uint8_t)c, priv, &cs,
					     &limit);
	if (status != RMCPP_OK) {
		open_session_error(ctx, tag, status, csid);
		return;
	}
	struct session *s = session_alloc(&ctx->srv->sessions, ctx->peer, ctx->peer_len);
	if (!s) {
		open_session_error(ctx, tag, RMCPP_NO_RESOURCES, csid);
		return;
	}
	s->console_sid = csid;
	s->cipher_suite = cs->id;
	s->auth_alg = cs->auth;
	s->integ_alg = cs->integ;
	s->conf_alg = cs->conf;
	s->max_priv = priv ? priv : limit;

	uint8_t p[36];
	struct wbuf w = wbuf_init(p, sizeof(p));
	wbuf_u8(&w, tag);
	wbuf_u8(&w, RMCPP_OK);
	wbuf_u8(&w, s->max_priv);
	wbuf_u8(&w, 0);
	wbuf_u32le(&w, csid);
	wbuf_u32le(&w, s->bmc_sid);
	put_alg_payload(&w, 0, cs->auth);
	put_alg_payload(&w, 1, cs->integ);
	put_alg_payload(&w, 2, cs->conf);
	send_clear(ctx, PAYLOAD_OPEN_SESSION_RS, p, w.len);
}

/* ---- RAKP ---- */

static void send_rakp_error(struct lan_ctx *ctx, uint8_t ptype, uint8_t tag, uint8_t status,
			    uint32_t csid)
{
	uint8_t p[8] = { tag, status, 0, 0, (uint8_t)csid, (uint8_t)(csid >> 8),
			 (uint8_t)(csid >> 16), (uint8_t)(csid >> 24) };
	send_clear(ctx, ptype, p, sizeof(p));
}

static bool same_peer(const struct session *s, const struct lan_ctx *ctx)
{
	return s->peer_len == ctx->peer_len && memcmp(&s->peer, ctx->peer, ctx->peer_len) == 0;
}

/* Finds the user RAKP 1 names: by name only (role bit 4) or by name and privilege. */
static uint8_t rakp_find_user(const struct bmc *bmc, const uint8_t *name, size_t len,
			      uint8_t role)
{
	if (role & 0x10)
		return bmc_user_find(&bmc->users, name, len);
	uint8_t want = role & 0x0F;
	for (uint8_t id = 1; id <= BMC_MAX_USERS; id++) {
		const struct bmc_user *u = &bmc->users.user[id];
		if (bmc_user_is_enabled(u) && strlen(u->name) == len &&
		    memcmp(u->name, name, len) == 0 &&
		    bmc_user_channel_priv(u, IPMI_CHANNEL_LAN) == want)
			return id;
	}
	return 0;
}

/* Checks RAKP 1's user and role; returns an RMCP+ status. */
static uint8_t rakp1_authorize(struct lan_ctx *ctx, struct session *s, const uint8_t *name,
			       size_t len, uint8_t role)
{
	struct bmc *bmc = ctx->srv->bmc;
	char peer[80], shown[68];
	uint8_t priv = role & 0x0F;
	if ((role & 0xE0) || priv < IPMI_PRIV_CALLBACK || priv > IPMI_PRIV_OEM)
		return RMCPP_INVALID_ROLE;
	uint8_t uid = rakp_find_user(bmc, name, len, role);
	const struct bmc_user *u = bmc_user_get(&bmc->users, uid);
	if (!u || !u->pw_size || bmc_user_channel_priv(u, IPMI_CHANNEL_LAN) == IPMI_PRIV_NO_ACCESS) {
		log_warn("RAKP 1 from %s: unknown or disabled user '%s', refused",
			 lan_peer_str(ctx->peer, peer, sizeof(peer)), name_for_log(name, len, shown));
		return RMCPP_UNAUTHORIZED_NAME;
	}
	/* LAN parameter 26: a locked-out user is treated as an unauthorized name, before any
	 * RAKP 2 auth code (which could be attacked offline) goes out. */
	if (lan_login_locked(bmc, uid, ctx->peer))
		return RMCPP_UNAUTHORIZED_NAME;
	uint8_t limit = bmc_user_channel_priv(u, IPMI_CHANNEL_LAN);
	if (limit > s->max_priv)
		limit = s->max_priv;
	if (priv > limit) {
		log_warn("user %s from %s: requested privilege %s exceeds the limit %s, refused",
			 u->name, lan_peer_str(ctx->peer, peer, sizeof(peer)), priv_name(priv),
			 priv_name(limit));
		return RMCPP_UNAUTHORIZED_ROLE;
	}
	s->user_id = uid;
	s->max_priv = priv;
	memcpy(s->rakp.kuid, u->password, sizeof(s->rakp.kuid));
	return RMCPP_OK;
}

static void rakp1(struct lan_ctx *ctx, const uint8_t *payload, size_t len)
{
	struct bmc *bmc = ctx->srv->bmc;
	struct rbuf r = rbuf_init(payload, len);
	uint8_t tag = rbuf_u8(&r);
	rbuf_skip(&r, 3);
	uint32_t sid = rbuf_u32le(&r);
	if (r.err)
		return;
	struct session *s = session_find(&ctx->srv->sessions, sid);
	if (!s || s->v15 || (s->state != SESSION_OPENED && s->state != SESSION_RAKP2_SENT) ||
	    !same_peer(s, ctx)) {
		send_rakp_error(ctx, PAYLOAD_RAKP2, tag, RMCPP_INVALID_SID, 0);
		return;
	}
	uint8_t rm[16];
	rbuf_copy(&r, rm, sizeof(rm));
	uint8_t role = rbuf_u8(&r);
	rbuf_skip(&r, 2);
	uint8_t ulen = rbuf_u8(&r);
	const uint8_t *name = ulen <= 16 ? rbuf_take(&r, ulen) : NULL;
	uint8_t status = (r.err || !name) ? RMCPP_INVALID_NAME_LEN
					  : rakp1_authorize(ctx, s, name, ulen, role);
	if (status != RMCPP_OK) {
		/* No auth code is computed for a refused name (nothing to learn from it). */
		send_rakp_error(ctx, PAYLOAD_RAKP2, tag, status, s->console_sid);
		session_free(s);
		return;
	}
	struct rakp_params *p = &s->rakp;
	p->auth = s->auth_alg;
	p->console_sid = s->console_sid;
	p->bmc_sid = s->bmc_sid;
	memcpy(p->rm, rm, 16);
	if (s->state == SESSION_OPENED && RAND_bytes(p->rc, sizeof(p->rc)) != 1) {
		session_free(s);
		return;
	}
	memcpy(p->guid, bmc->system_guid, 16);
	p->role = role;
	p->name_len = ulen;
	memset(p->name, 0, sizeof(p->name));
	memcpy(p->name, name, ulen);

	uint8_t out[40 + RAKP_MAX_DIGEST];
	struct wbuf w = wbuf_init(out, sizeof(out));
	wbuf_bytes(&w, (uint8_t[]){ tag, RMCPP_OK, 0, 0 }, 4);
	wbuf_u32le(&w, s->console_sid);
	wbuf_bytes(&w, p->rc, 16);
	wbuf_bytes(&w, p->guid, 16);
	uint8_t code[RAKP_MAX_DIGEST];
	size_t clen = rakp2_auth_code(p, code);
	wbuf_bytes(&w, code, clen);
	s->state = SESSION_RAKP2_SENT;
	s->last_activity = now_monotonic();
	send_clear(ctx, PAYLOAD_RAKP2, out, w.len);
}

static void rakp_derive_keys(struct session *s)
{
	s->key_len = rakp_sik(&s->rakp, s->sik);
	if (s->auth_alg == RAKP_AUTH_NONE) {
		/* No keys with RAKP-none; nothing is integrity-protected or encrypted. */
		memset(s->k1, 0x01, sizeof(s->k1));
		memset(s->k2, 0x02, sizeof(s->k2));
		return;
	}
	rakp_kn(s->auth_alg, s->sik, 1, s->k1);
	rakp_kn(s->auth_alg, s->sik, 2, s->k2);
}

static void rakp3(struct lan_ctx *ctx, const uint8_t *payload, size_t len)
{
	struct bmc *bmc = ctx->srv->bmc;
	struct rbuf r = rbuf_init(payload, len);
	uint8_t tag = rbuf_u8(&r);
	uint8_t status = rbuf_u8(&r);
	rbuf_skip(&r, 2);
	uint32_t sid = rbuf_u32le(&r);
	if (r.err)
		return;
	struct session *s = session_find(&ctx->srv->sessions, sid);
	bool resend = s && s->state == SESSION_ACTIVE && !s->v15 && !s->got_packet;
	if (!s || s->v15 || !(s->state == SESSION_RAKP2_SENT || resend) || !same_peer(s, ctx)) {
		send_rakp_error(ctx, PAYLOAD_RAKP4, tag, RMCPP_INVALID_SID, 0);
		return;
	}
	const struct bmc_user *u = bmc_user_get(&bmc->users, s->user_id);
	char peer[80];
	lan_peer_str(ctx->peer, peer, sizeof(peer));
	if (status != RMCPP_OK) {
		char why[80];
		snprintf(why, sizeof(why), "console rejected RAKP 2 (status 0x%02x), session dropped",
			 status);
		if (resend)
			log_warn("user %s from %s: %s", u ? u->name : "?", peer, why);
		else
			lan_login_failed(bmc, s->user_id, s->last_activity, ctx->peer, why);
		session_free(s);
		return;
	}
	uint8_t expect[RAKP_MAX_DIGEST];
	size_t elen = rakp3_auth_code(&s->rakp, expect);
	size_t got = rbuf_left(&r);
	const uint8_t *code = rbuf_take(&r, got);
	if (got != elen || (elen && CRYPTO_memcmp(code, expect, elen) != 0)) {
		lan_login_failed(bmc, s->user_id, s->last_activity, ctx->peer,
				 "RAKP 3 auth code mismatch (wrong password?), session dropped");
		send_rakp_error(ctx, PAYLOAD_RAKP4, tag, RMCPP_INVALID_ICV, s->console_sid);
		session_free(s);
		return;
	}
	rakp_derive_keys(s);
	uint8_t out[8 + RAKP_MAX_DIGEST];
	struct wbuf w = wbuf_init(out, sizeof(out));
	wbuf_bytes(&w, (uint8_t[]){ tag, RMCPP_OK, 0, 0 }, 4);
	wbuf_u32le(&w, s->console_sid);
	uint8_t icv[RAKP_MAX_DIGEST];
	wbuf_bytes(&w, icv, rakp4_icv(&s->rakp, s->sik, icv));
	if (!resend) {
		s->state = SESSION_ACTIVE;
		s->priv = s->max_priv < IPMI_PRIV_USER ? s->max_priv : IPMI_PRIV_USER;
		/* ipmitool's first in-session number is its count of packets so far (3-6), so
		 * the window starts at 0 and looks well ahead (§11.1). */
		seqwin_init(&s->in_win, 0, 64, 16);
		s->out_seq = 0;
		log_info("user %s from %s: session %08x opened (cipher suite %u, max privilege %s)",
			 u ? u->name : "?", peer, s->bmc_sid, s->cipher_suite, priv_name(s->max_priv));
		bmc_lanconf_login_succeeded(bmc, s->user_id, now_monotonic());
	}
	s->last_activity = now_monotonic();
	send_clear(ctx, PAYLOAD_RAKP4, out, w.len);
}

/* ---- IPMI payloads ---- */

static void sessionless_ipmi(struct lan_ctx *ctx, const uint8_t *payload, size_t len)
{
	uint8_t msg[300];
	struct wbuf w = wbuf_init(msg, sizeof(msg));
	if (lan_run_ipmi(ctx, payload, len, &w) == 0)
		send_clear(ctx, PAYLOAD_IPMI, msg, w.len);
}

/* Verifies the integrity trailer (§6.1): pad of 0xFF, pad length, next header 0x07, MAC over
 * everything from the auth type byte through next header. */
static bool trailer_ok(const struct session *s, const uint8_t *pkt, size_t len, size_t payload_end)
{
	size_t ilen = rmcp_integ_len(s->integ_alg);
	if (len < payload_end + 2 + ilen)
		return false;
	size_t mac_at = len - ilen;
	uint8_t pad = pkt[mac_at - 2];
	if (pkt[mac_at - 1] != RMCPP_NEXT_HEADER || pad > 3 || payload_end + pad + 2 != mac_at)
		return false;
	for (size_t i = 0; i < pad; i++) {
		if (pkt[payload_end + i] != 0xFF)
			return false;
	}
	size_t klen;
	const uint8_t *key = integ_key(s, &klen);
	return rmcp_integ_check(s->integ_alg, key, klen, pkt + 4, mac_at - 4, pkt + mac_at);
}

static void in_session(struct lan_ctx *ctx, struct session *s, uint8_t ptype_byte, uint32_t seq,
		       const uint8_t *pkt, size_t len, const uint8_t *payload, size_t plen)
{
	bool enc = ptype_byte & RMCPP_PTYPE_ENCRYPTED, auth = ptype_byte & RMCPP_PTYPE_AUTHENTICATED;
	if (enc != (s->conf_alg != RMCP_CONF_NONE) || auth != (s->integ_alg != RMCP_INTEG_NONE))
		return;
	if (!same_peer(s, ctx) || !seqwin_check(&s->in_win, seq))
		return; /* replayed or out of window: dropped silently */
	size_t payload_end = (size_t)(payload - pkt) + plen;
	if (auth && !trailer_ok(s, pkt, len, payload_end))
		return;
	uint8_t plain[LAN_MAX_PACKET];
	if (enc) {
		int n = rmcp_aes_decrypt(s->k2, payload, plen, plain, sizeof(plain));
		if (n < 0)
			return;
		payload = plain;
		plen = (size_t)n;
	}
	seqwin_commit(&s->in_win, seq);
	s->last_activity = now_monotonic();
	s->got_packet = true;
	ctx->session = s;
	if ((ptype_byte & 0x3F) != PAYLOAD_IPMI)
		return; /* SOL and OEM payloads are not served yet */
	uint8_t msg[300];
	struct wbuf w = wbuf_init(msg, sizeof(msg));
	if (lan_run_ipmi(ctx, payload, plen, &w) < 0)
		return;
	send_session(ctx, s, PAYLOAD_IPMI, msg, w.len);
	lan_after_reply(ctx);
}

void rmcpplus_reap_abandoned(struct lan_server *srv, usec_t now)
{
	struct session_table *t = &srv->sessions;
	for (unsigned i = 0; i < t->n_slots; i++) {
		struct session *s = &t->slot[i];
		if (s->state != SESSION_RAKP2_SENT || now - s->last_activity < t->half_open_timeout)
			continue;
		lan_login_failed(srv->bmc, s->user_id, s->last_activity,
				 (const struct sockaddr *)&s->peer,
				 "no RAKP 3 after RAKP 2 (the console could not verify it: wrong "
				 "password?), handshake dropped");
		session_free(s);
	}
}

void rmcpplus_handle(struct lan_ctx *ctx, const uint8_t *pkt, size_t len)
{
	struct rbuf r = rbuf_init(pkt, len);
	rbuf_skip(&r, 5); /* RMCP header, auth type 0x06 */
	uint8_t ptype_byte = rbuf_u8(&r);
	uint8_t ptype = ptype_byte & 0x3F;
	if (ptype == PAYLOAD_OEM)
		return;
	uint32_t sid = rbuf_u32le(&r);
	uint32_t seq = rbuf_u32le(&r);
	uint16_t plen = rbuf_u16le(&r);
	const uint8_t *payload = rbuf_take(&r, plen);
	if (r.err)
		return;
	ctx->rmcpplus = true;
	if (sid == 0) {
		if (ptype_byte & (RMCPP_PTYPE_ENCRYPTED | RMCPP_PTYPE_AUTHENTICATED) || seq != 0)
			return;
		switch (ptype) {
		case PAYLOAD_OPEN_SESSION_RQ: open_session(ctx, payload, plen); break;
		case PAYLOAD_RAKP1: rakp1(ctx, payload, plen); break;
		case PAYLOAD_RAKP3: rakp3(ctx, payload, plen); break;
		case PAYLOAD_IPMI: sessionless_ipmi(ctx, payload, plen); break;
		default: break;
		}
		return;
	}
	struct session *s = session_find(&ctx->srv->sessions, sid);
	if (s && !s->v15 && s->state == SESSION_ACTIVE)
		in_session(ctx, s, ptype_byte, seq, pkt, len, payload, plen);
}
