/* RMCP/ASF presence ping → pong (ASF 2.0 §3.2.4; rmcp-and-sessions.md §1.1). */
#include "lan/lan.h"

#define ASF_IANA 4542
#define ASF_TYPE_PING 0x80
#define ASF_TYPE_PONG 0x40

void asf_handle(struct lan_ctx *ctx, const uint8_t *pkt, size_t len)
{
	struct rbuf r = rbuf_init(pkt, len);
	rbuf_skip(&r, 4); /* RMCP header, checked by the caller */
	uint32_t iana = rbuf_u32be(&r);
	uint8_t type = rbuf_u8(&r);
	uint8_t tag = rbuf_u8(&r);
	rbuf_skip(&r, 2); /* reserved, data length (0): a ping is 12 bytes */
	/* Only a whole ping is answered: the 28-byte pong is then at most 2.33 times the
	 * request (docs/security.md, amplification). */
	if (r.err || iana != ASF_IANA || type != ASF_TYPE_PING)
		return;

	uint8_t out[28];
	struct wbuf w = wbuf_init(out, sizeof(out));
	wbuf_u8(&w, RMCP_VERSION);
	wbuf_u8(&w, 0);
	wbuf_u8(&w, RMCP_SEQ_NO_ACK);
	wbuf_u8(&w, RMCP_CLASS_ASF);
	wbuf_u32be(&w, ASF_IANA);
	wbuf_u8(&w, ASF_TYPE_PONG);
	wbuf_u8(&w, tag);
	wbuf_u8(&w, 0);
	wbuf_u8(&w, 16);         /* data length */
	wbuf_u32be(&w, ASF_IANA); /* OEM IANA */
	wbuf_u32be(&w, 0);       /* OEM defined */
	wbuf_u8(&w, 0x81);       /* IPMI supported, ASF 1.0 */
	wbuf_u8(&w, 0x00);       /* no RMCP security extensions */
	wbuf_zero(&w, 6);
	if (!w.err)
		lan_send(ctx->srv, ctx->peer, ctx->peer_len, out, w.len);
}
