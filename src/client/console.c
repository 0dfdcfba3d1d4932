/* The remote-console side of an RMCP+ session; see console.h. Layouts: rmcp-and-sessions.md
 * §6-§8 (the same tables lan/rmcpplus.c implements for the BMC side). Every received byte is
 * read through the bounded reader; every MAC and key comes from lan/crypto.c. */
#include "client/console.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/buf.h"
#include "ipmi/msg.h"
#include "lan/rmcpp_wire.h"

enum {
	PAYLOAD_IPMI = 0x00,
	PAYLOAD_OPEN_SESSION_RQ = 0x10,
	PAYLOAD_OPEN_SESSION_RS = 0x11,
	PAYLOAD_RAKP1 = 0x12,
	PAYLOAD_RAKP2 = 0x13,
	PAYLOAD_RAKP3 = 0x14,
	PAYLOAD_RAKP4 = 0x15,
};

/* RMCP+ status codes (rmcp-and-sessions.md §9) the console itself reports. */
#define RMCPP_INVALID_ICV 0x0F
#define RMCPP_ILLEGAL_PARAM 0x12

#define CONSOLE_RQ_ADDR 0x81 /* remote console software ID (IPMI 2.0 §5.5) */

/* The two suites a console needs for the benchmark: {id, auth, integrity, confidentiality}. */
static const struct {
	uint8_t id;
	enum rakp_auth_alg auth;
	enum rmcp_integ_alg integ;
	enum rmcp_conf_alg conf;
} console_suites[] = {
	{ 3, RAKP_AUTH_HMAC_SHA1, RMCP_INTEG_HMAC_SHA1_96, RMCP_CONF_AES_CBC_128 },
	{ 17, RAKP_AUTH_HMAC_SHA256, RMCP_INTEG_HMAC_SHA256_128, RMCP_CONF_AES_CBC_128 },
};

int console_session_init(struct console_session *cs, const struct console_config *cfg)
{
	size_t ulen = cfg->user ? strlen(cfg->user) : 0;
	size_t i;

	for (i = 0; i < sizeof(console_suites) / sizeof(console_suites[0]); i++) {
		if (console_suites[i].id == cfg->cipher_suite)
			break;
	}
	if (i == sizeof(console_suites) / sizeof(console_suites[0]) || ulen > 16 ||
	    cfg->password_len > sizeof(cs->rakp.kuid))
		return -EINVAL;
	memset(cs, 0, sizeof(*cs));
	cs->auth_alg = console_suites[i].auth;
	cs->integ_alg = console_suites[i].integ;
	cs->conf_alg = console_suites[i].conf;
	cs->rakp.auth = cs->auth_alg;
	cs->rakp.role = cfg->role;
	cs->rakp.name_len = (uint8_t)ulen;
	memcpy(cs->rakp.name, cfg->user, ulen);
	memcpy(cs->rakp.kuid, cfg->password, cfg->password_len);
	while (cs->rakp.console_sid == 0) {
		if (RAND_bytes((uint8_t *)&cs->rakp.console_sid, 4) != 1)
			return -EIO;
	}
	if (RAND_bytes(&cs->tag, 1) != 1)
		return -EIO;
	return 0;
}

void console_session_wipe(struct console_session *cs)
{
	if (cs)
		OPENSSL_cleanse(cs, sizeof(*cs));
}

/* ---- sending ---- */

/* Setup payloads go out with session ID 0, sequence 0 and no trailer (§6). */
static int send_clear(uint8_t ptype, const uint8_t *payload, size_t len, uint8_t *out,
		      size_t cap)
{
	struct wbuf w = wbuf_init(out, cap);

	rmcpp_put_header(&w, ptype, 0, 0);
	wbuf_u16le(&w, (uint16_t)len);
	wbuf_bytes(&w, payload, len);
	return w.err ? -ENOBUFS : (int)w.len;
}

static void put_alg_payload(struct wbuf *w, uint8_t type, uint8_t alg)
{
	wbuf_bytes(w, (uint8_t[]){ type, 0, 0, 8, alg, 0, 0, 0 }, 8);
}

/* §7.1: tag, privilege 0 (the highest the suite allows), console session ID, algorithms. */
int console_open_session(struct console_session *cs, uint8_t *out, size_t cap)
{
	uint8_t p[32];
	struct wbuf w = wbuf_init(p, sizeof(p));

	wbuf_bytes(&w, (uint8_t[]){ cs->tag, 0, 0, 0 }, 4);
	wbuf_u32le(&w, cs->rakp.console_sid);
	put_alg_payload(&w, 0, (uint8_t)cs->auth_alg);
	put_alg_payload(&w, 1, (uint8_t)cs->integ_alg);
	put_alg_payload(&w, 2, (uint8_t)cs->conf_alg);
	cs->state = CONSOLE_OPEN_SENT;
	return send_clear(PAYLOAD_OPEN_SESSION_RQ, p, w.len, out, cap);
}

/* §7.3: tag, BMC session ID, Rm, role, name. */
static int rakp1_build(struct console_session *cs, uint8_t *out, size_t cap)
{
	uint8_t p[28 + 16];
	struct wbuf w = wbuf_init(p, sizeof(p));

	if (RAND_bytes(cs->rakp.rm, sizeof(cs->rakp.rm)) != 1)
		return -EIO;
	wbuf_bytes(&w, (uint8_t[]){ cs->tag, 0, 0, 0 }, 4);
	wbuf_u32le(&w, cs->rakp.bmc_sid);
	wbuf_bytes(&w, cs->rakp.rm, sizeof(cs->rakp.rm));
	wbuf_bytes(&w, (uint8_t[]){ cs->rakp.role, 0, 0, cs->rakp.name_len }, 4);
	wbuf_bytes(&w, cs->rakp.name, cs->rakp.name_len);
	return send_clear(PAYLOAD_RAKP1, p, w.len, out, cap);
}

/* §7.5: tag, status, BMC session ID, the RAKP 3 auth code. A non-zero status tells the BMC
 * that RAKP 2 did not verify (no auth code then), so it frees the session at once. */
static int rakp3_build(struct console_session *cs, uint8_t status, uint8_t *out, size_t cap)
{
	uint8_t p[8 + RAKP_MAX_DIGEST], code[RAKP_MAX_DIGEST];
	struct wbuf w = wbuf_init(p, sizeof(p));
	size_t clen = status ? 0 : rakp3_auth_code(&cs->rakp, code);

	wbuf_bytes(&w, (uint8_t[]){ cs->tag, status, 0, 0 }, 4);
	wbuf_u32le(&w, cs->rakp.bmc_sid);
	wbuf_bytes(&w, code, clen);
	return send_clear(PAYLOAD_RAKP3, p, w.len, out, cap);
}

int console_request(struct console_session *cs, uint8_t netfn, uint8_t cmd,
		    const uint8_t *data, size_t len, uint8_t *out, size_t cap,
		    uint8_t *ret_rq_seq)
{
	uint8_t msg[300];
	struct wbuf m = wbuf_init(msg, sizeof(msg)), w = wbuf_init(out, cap);
	uint8_t rq_seq = (uint8_t)((cs->rq_seq + 1) & 0x3F);
	struct ipmi_msg_hdr hdr = { .rs_addr = IPMI_BMC_SLAVE_ADDR, .netfn = netfn,
				    .rq_addr = CONSOLE_RQ_ADDR, .rq_seq = rq_seq, .cmd = cmd };

	if (cs->state != CONSOLE_ACTIVE)
		return -EINVAL;
	ipmi_msg_build_req(&m, &hdr, data, len);
	if (m.err)
		return -ENOBUFS;
	if (++cs->out_seq == 0)
		cs->out_seq = 1; /* §11.1: sequence 0 is never valid in a session */
	if (rmcpp_seal(&w, PAYLOAD_IPMI, cs->rakp.bmc_sid, cs->out_seq, msg, m.len, true, cs->k2,
		       cs->integ_alg, cs->k1, cs->key_len) < 0)
		return -ENOBUFS;
	cs->rq_seq = rq_seq;
	*ret_rq_seq = rq_seq;
	return (int)w.len;
}

/* ---- receiving ---- */

struct rmcpp_packet {
	uint8_t ptype;   /* the whole payload-type byte */
	uint32_t sid;
	uint32_t seq;
	const uint8_t *payload;
	size_t len;
	size_t payload_end; /* offset of the first byte after the payload */
};

static bool packet_parse(const uint8_t *pkt, size_t len, struct rmcpp_packet *ret)
{
	struct rbuf r = rbuf_init(pkt, len);
	struct rmcpp_packet p;
	uint8_t hdr[5];

	rbuf_copy(&r, hdr, sizeof(hdr));
	p.ptype = rbuf_u8(&r);
	p.sid = rbuf_u32le(&r);
	p.seq = rbuf_u32le(&r);
	p.len = rbuf_u16le(&r);
	p.payload = rbuf_take(&r, p.len);
	if (r.err || hdr[0] != 0x06 || hdr[3] != 0x07 || (hdr[4] & 0x0F) != 0x06)
		return false;
	p.payload_end = r.off;
	*ret = p;
	return true;
}

/* The common head of Open Session Response and RAKP 2/4: tag, status, 2 bytes, console SID.
 * Marks the session failed on a refusal. Returns false if the reply is not ours. */
static bool setup_head_ok(struct console_session *cs, struct rbuf *r, bool *ret_refused)
{
	uint8_t tag = rbuf_u8(r), status = rbuf_u8(r);
	uint32_t csid;

	rbuf_skip(r, 2);
	csid = rbuf_u32le(r);
	*ret_refused = false;
	if (r->err || tag != cs->tag)
		return false;
	if (status != 0) {
		cs->status = status;
		cs->state = CONSOLE_FAILED;
		*ret_refused = true;
		return true;
	}
	return csid == cs->rakp.console_sid;
}

static enum console_event fail(struct console_session *cs, uint8_t status)
{
	cs->status = status;
	cs->state = CONSOLE_FAILED;
	return CONSOLE_EV_FAILED;
}

static enum console_event send_built(int n, size_t *ret_out_len)
{
	if (n < 0)
		return CONSOLE_EV_IGNORED;
	*ret_out_len = (size_t)n;
	return CONSOLE_EV_SEND;
}

/* §7.2: the BMC's session ID; the algorithms must be the ones asked for. */
static enum console_event on_open_session_rs(struct console_session *cs, struct rbuf *r,
					     uint8_t *out, size_t cap, size_t *ret_out_len)
{
	bool refused;
	uint8_t algs[24];

	if (!setup_head_ok(cs, r, &refused))
		return CONSOLE_EV_IGNORED;
	if (refused)
		return CONSOLE_EV_FAILED;
	cs->rakp.bmc_sid = rbuf_u32le(r);
	rbuf_copy(r, algs, sizeof(algs));
	if (r->err || cs->rakp.bmc_sid == 0 || (algs[4] & 0x3F) != cs->auth_alg ||
	    (algs[12] & 0x3F) != cs->integ_alg || (algs[20] & 0x3F) != cs->conf_alg)
		return fail(cs, RMCPP_ILLEGAL_PARAM);
	cs->state = CONSOLE_RAKP1_SENT;
	return send_built(rakp1_build(cs, out, cap), ret_out_len);
}

/* §7.4: Rc, GUID and the BMC's proof that it knows Kuid; then the keys (§8). */
static enum console_event on_rakp2(struct console_session *cs, struct rbuf *r, uint8_t *out,
				   size_t cap, size_t *ret_out_len)
{
	uint8_t expect[RAKP_MAX_DIGEST];
	size_t elen;
	const uint8_t *code;
	bool refused;

	if (!setup_head_ok(cs, r, &refused))
		return CONSOLE_EV_IGNORED;
	if (refused)
		return CONSOLE_EV_FAILED;
	rbuf_copy(r, cs->rakp.rc, sizeof(cs->rakp.rc));
	rbuf_copy(r, cs->rakp.guid, sizeof(cs->rakp.guid));
	elen = rakp2_auth_code(&cs->rakp, expect);
	code = rbuf_take(r, elen);
	if (r->err || !code || rbuf_left(r) != 0 || CRYPTO_memcmp(code, expect, elen) != 0) {
		/* Wrong password, or not the BMC we think: say so in RAKP 3. */
		int n = rakp3_build(cs, RMCPP_INVALID_ICV, out, cap);
		*ret_out_len = n > 0 ? (size_t)n : 0;
		return fail(cs, RMCPP_INVALID_ICV);
	}
	cs->key_len = rakp_sik(&cs->rakp, cs->sik);
	rakp_kn(cs->auth_alg, cs->sik, 1, cs->k1);
	rakp_kn(cs->auth_alg, cs->sik, 2, cs->k2);
	cs->state = CONSOLE_RAKP3_SENT;
	return send_built(rakp3_build(cs, 0, out, cap), ret_out_len);
}

/* §7.6: the ICV proves the BMC derived the same SIK. */
static enum console_event on_rakp4(struct console_session *cs, struct rbuf *r)
{
	uint8_t expect[RAKP_MAX_DIGEST];
	size_t elen;
	const uint8_t *icv;
	bool refused;

	if (!setup_head_ok(cs, r, &refused))
		return CONSOLE_EV_IGNORED;
	if (refused)
		return CONSOLE_EV_FAILED;
	elen = rakp4_icv(&cs->rakp, cs->sik, expect);
	icv = rbuf_take(r, elen);
	if (r->err || !icv || elen == 0 || CRYPTO_memcmp(icv, expect, elen) != 0)
		return fail(cs, RMCPP_INVALID_ICV);
	cs->state = CONSOLE_ACTIVE;
	return CONSOLE_EV_ACTIVE;
}

static enum console_event on_setup(struct console_session *cs, const struct rmcpp_packet *p,
				   uint8_t *out, size_t cap, size_t *ret_out_len)
{
	struct rbuf r = rbuf_init(p->payload, p->len);
	uint8_t type = p->ptype & 0x3F;

	if (p->sid != 0 || (p->ptype & (RMCPP_PTYPE_ENCRYPTED | RMCPP_PTYPE_AUTHENTICATED)))
		return CONSOLE_EV_IGNORED;
	if (cs->state == CONSOLE_OPEN_SENT && type == PAYLOAD_OPEN_SESSION_RS)
		return on_open_session_rs(cs, &r, out, cap, ret_out_len);
	if (cs->state == CONSOLE_RAKP1_SENT && type == PAYLOAD_RAKP2)
		return on_rakp2(cs, &r, out, cap, ret_out_len);
	if (cs->state == CONSOLE_RAKP3_SENT && type == PAYLOAD_RAKP4)
		return on_rakp4(cs, &r);
	return CONSOLE_EV_IGNORED;
}

/* §6.1 receive side: pad of 0xFF, pad length, next header, then a MAC that must verify. */
static bool trailer_ok(const struct console_session *cs, const uint8_t *pkt, size_t len,
		       size_t payload_end)
{
	size_t ilen = rmcp_integ_len(cs->integ_alg), mac_at;
	uint8_t pad;

	if (len < payload_end + 2 + ilen)
		return false;
	mac_at = len - ilen;
	pad = pkt[mac_at - 2];
	if (pkt[mac_at - 1] != RMCPP_NEXT_HEADER || pad > 3 || payload_end + pad + 2 != mac_at)
		return false;
	return rmcp_integ_check(cs->integ_alg, cs->k1, cs->key_len, pkt + RMCPP_RMCP_HEADER_LEN,
				mac_at - RMCPP_RMCP_HEADER_LEN, pkt + mac_at);
}

static enum console_event on_response(struct console_session *cs, const uint8_t *pkt,
				      size_t len, const struct rmcpp_packet *p,
				      struct console_response *rsp)
{
	struct ipmi_msg_hdr hdr;
	const uint8_t *data;
	size_t dlen;
	int n;

	if ((p->ptype & 0x3F) != PAYLOAD_IPMI || p->sid != cs->rakp.console_sid ||
	    !(p->ptype & RMCPP_PTYPE_AUTHENTICATED) || !(p->ptype & RMCPP_PTYPE_ENCRYPTED) ||
	    !trailer_ok(cs, pkt, len, p->payload_end))
		return CONSOLE_EV_IGNORED;
	n = rmcp_aes_decrypt(cs->k2, p->payload, p->len, rsp->buf, sizeof(rsp->buf));
	/* A response has the request's framing with the roles swapped (§2), so the request
	 * parser reads it: its data starts with the completion code. */
	if (n < 0 || ipmi_msg_parse_req(rsp->buf, (size_t)n, &hdr, &data, &dlen) < 0 || dlen < 1)
		return CONSOLE_EV_IGNORED;
	rsp->netfn = hdr.netfn;
	rsp->cmd = hdr.cmd;
	rsp->rq_seq = hdr.rq_seq;
	rsp->cc = data[0];
	rsp->data = data + 1;
	rsp->len = dlen - 1;
	return CONSOLE_EV_RESPONSE;
}

enum console_event console_input(struct console_session *cs, const uint8_t *pkt, size_t len,
				 uint8_t *out, size_t cap, size_t *ret_out_len,
				 struct console_response *ret_rsp)
{
	struct rmcpp_packet p;

	*ret_out_len = 0;
	if (!packet_parse(pkt, len, &p))
		return CONSOLE_EV_IGNORED;
	if (cs->state == CONSOLE_ACTIVE)
		return ret_rsp ? on_response(cs, pkt, len, &p, ret_rsp) : CONSOLE_EV_IGNORED;
	return on_setup(cs, &p, out, cap, ret_out_len);
}
