/* IPMI 1.5 session packets (IPMI 2.0 §13.6, §22.15-22.17; rmcp-and-sessions.md §3, §11.2):
 * pre-session requests, Activate Session on a challenged temporary session, and authenticated
 * in-session requests with MD5 (or, if configured, straight password / none). */
#include <string.h>

#include <openssl/crypto.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "ipmi/msg.h"
#include "lan/lan.h"

#define V15_AUTH_NONE 0
#define V15_AUTH_MD5 2
#define V15_AUTH_STRAIGHT 4

struct v15_pkt {
	uint8_t authtype;
	uint32_t seq;
	uint32_t sid;
	const uint8_t *auth;  /* 16 bytes, or NULL for auth type none */
	const uint8_t *msg;
	size_t msg_len;
};

static int v15_parse(const uint8_t *pkt, size_t len, struct v15_pkt *p)
{
	struct rbuf r = rbuf_init(pkt, len);
	rbuf_skip(&r, 4);
	p->authtype = rbuf_u8(&r) & 0x0F;
	p->seq = rbuf_u32le(&r);
	p->sid = rbuf_u32le(&r);
	p->auth = p->authtype != V15_AUTH_NONE ? rbuf_take(&r, 16) : NULL;
	p->msg_len = rbuf_u8(&r);
	p->msg = rbuf_take(&r, p->msg_len); /* trailing legacy pad bytes are ignored */
	return r.err ? -1 : 0;
}

static bool v15_auth_ok(const struct session *s, const struct v15_pkt *p)
{
	if (p->authtype != s->authtype)
		return false;
	if (p->authtype == V15_AUTH_NONE)
		return true;
	uint8_t code[16];
	if (ipmi15_auth_code(p->authtype, s->password16, p->sid, p->seq, p->msg, p->msg_len,
			     code) < 0)
		return false;
	bool ok = CRYPTO_memcmp(code, p->auth, 16) == 0;
	OPENSSL_cleanse(code, sizeof(code));
	return ok;
}

static void v15_send(struct lan_ctx *ctx, struct session *s, uint32_t seq, const uint8_t *msg,
		     size_t msg_len)
{
	uint8_t out[LAN_MAX_PACKET];
	struct wbuf w = wbuf_init(out, sizeof(out));
	uint8_t authtype = s ? s->authtype : V15_AUTH_NONE;
	uint32_t sid = s ? s->bmc_sid : 0;
	wbuf_bytes(&w, (uint8_t[]){ RMCP_VERSION, 0, RMCP_SEQ_NO_ACK, RMCP_CLASS_IPMI }, 4);
	wbuf_u8(&w, authtype);
	wbuf_u32le(&w, seq);
	wbuf_u32le(&w, sid);
	if (authtype != V15_AUTH_NONE) {
		uint8_t *code = wbuf_reserve(&w, 16);
		if (code && ipmi15_auth_code(authtype, s->password16, sid, seq, msg, msg_len, code) < 0)
			return;
	}
	if (msg_len > 255)
		return;
	wbuf_u8(&w, (uint8_t)msg_len);
	wbuf_bytes(&w, msg, msg_len);
	if (!w.err)
		lan_send(ctx->srv, ctx->peer, ctx->peer_len, out, w.len);
}

/* Loads the user's password for a temporary session; a password set in the 20-byte form cannot
 * be used over IPMI 1.5 (it does not fit the 16-byte auth code key). */
static bool v15_load_password(struct bmc *bmc, struct session *s)
{
	const struct bmc_user *u = bmc_user_get(&bmc->users, s->user_id);
	if (!u || !bmc_user_is_enabled(u))
		return false;
	if (s->authtype != V15_AUTH_NONE && u->pw_size != 16)
		return false;
	memcpy(s->password16, u->password, 16);
	return true;
}

static bool is_activate_session(const struct v15_pkt *p)
{
	/* netFn App request (0x06 << 2) and cmd 0x3A at message offsets 1 and 5. */
	return p->msg_len >= 7 && (p->msg[1] >> 2) == IPMI_NETFN_APP && p->msg[5] == 0x3A;
}

static void v15_activate(struct lan_ctx *ctx, struct session *s, const struct v15_pkt *p)
{
	struct bmc *bmc = ctx->srv->bmc;
	char peer[80];
	/* Nothing authenticated yet: no key to sign an error reply with (§3.2), so every
	 * refusal here is a silent drop. */
	bool usable = p->seq == 0 && is_activate_session(p) && p->authtype == s->authtype &&
		      v15_load_password(bmc, s);
	if (usable && lan_login_locked(bmc, s->user_id, ctx->peer)) {
		session_free(s);
		return;
	}
	if (usable && !v15_auth_ok(s, p)) {
		/* LAN parameter 26: a wrong password counts toward the lockout. */
		lan_login_failed(bmc, s->user_id, now_monotonic(), ctx->peer,
				 "IPMI 1.5 Activate Session failed authentication (wrong password?), "
				 "dropped");
		session_free(s);
		return;
	}
	if (!usable) {
		log_warn("user %u from %s: IPMI 1.5 Activate Session failed authentication, dropped",
			 s->user_id, lan_peer_str(ctx->peer, peer, sizeof(peer)));
		session_free(s);
		return;
	}
	ctx->session = s;
	uint8_t msg[300];
	struct wbuf w = wbuf_init(msg, sizeof(msg));
	if (lan_run_ipmi(ctx, p->msg, p->msg_len, &w) < 0) {
		session_free(s);
		return;
	}
	if (ctx->activated) {
		bmc_lanconf_login_succeeded(bmc, s->user_id, now_monotonic());
		v15_send(ctx, s, session_next_out_seq(s), msg, w.len);
	} else {
		v15_send(ctx, s, 0, msg, w.len);
		session_free(s);
	}
}

static void v15_in_session(struct lan_ctx *ctx, struct session *s, const struct v15_pkt *p)
{
	if (!seqwin_check(&s->in_win, p->seq) || !v15_auth_ok(s, p))
		return; /* replayed, out of window, or not authentic: drop silently */
	seqwin_commit(&s->in_win, p->seq);
	s->last_activity = now_monotonic();
	ctx->session = s;
	uint8_t msg[300];
	struct wbuf w = wbuf_init(msg, sizeof(msg));
	if (lan_run_ipmi(ctx, p->msg, p->msg_len, &w) < 0)
		return;
	v15_send(ctx, s, session_next_out_seq(s), msg, w.len);
	lan_after_reply(ctx);
}

void v15_handle(struct lan_ctx *ctx, const uint8_t *pkt, size_t len)
{
	struct v15_pkt p;
	if (v15_parse(pkt, len, &p) < 0)
		return;
	ctx->v15_authtype = p.authtype;
	if (p.sid == 0) {
		if (p.authtype != V15_AUTH_NONE || p.seq != 0)
			return;
		uint8_t msg[300];
		struct wbuf w = wbuf_init(msg, sizeof(msg));
		if (lan_run_ipmi(ctx, p.msg, p.msg_len, &w) == 0)
			v15_send(ctx, NULL, 0, msg, w.len);
		return;
	}
	struct session *s = session_find(&ctx->srv->sessions, p.sid);
	if (!s || !s->v15)
		return;
	if (s->state == SESSION_CHALLENGED)
		v15_activate(ctx, s, &p);
	else if (s->state == SESSION_ACTIVE)
		v15_in_session(ctx, s, &p);
}
