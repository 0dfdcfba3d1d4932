#include "lan/rmcpp_wire.h"

#include "lan/lan.h"

void rmcpp_put_header(struct wbuf *w, uint8_t ptype, uint32_t sid, uint32_t seq)
{
	wbuf_bytes(w, (uint8_t[]){ RMCP_VERSION, 0, RMCP_SEQ_NO_ACK, RMCP_CLASS_IPMI, 0x06 }, 5);
	wbuf_u8(w, ptype);
	wbuf_u32le(w, sid);
	wbuf_u32le(w, seq);
}

int rmcpp_seal(struct wbuf *w, uint8_t ptype, uint32_t sid, uint32_t seq,
	       const uint8_t *payload, size_t len, bool encrypt, const uint8_t k2[static 16],
	       enum rmcp_integ_alg integ, const uint8_t *ikey, size_t ikey_len)
{
	bool auth = integ != RMCP_INTEG_NONE;
	rmcpp_put_header(w, (uint8_t)(ptype | (encrypt ? RMCPP_PTYPE_ENCRYPTED : 0) |
				      (auth ? RMCPP_PTYPE_AUTHENTICATED : 0)), sid, seq);
	uint8_t *plen = wbuf_reserve(w, 2);
	size_t n = len;
	if (plen && encrypt) {
		int r = rmcp_aes_encrypt(k2, payload, len, w->p + w->len, w->cap - w->len);
		if (r < 0 || !wbuf_reserve(w, (size_t)r))
			w->err = true;
		else
			n = (size_t)r;
	} else {
		wbuf_bytes(w, payload, len);
	}
	if (!plen || w->err) {
		w->err = true;
		return -1;
	}
	plen[0] = (uint8_t)n;
	plen[1] = (uint8_t)(n >> 8);
	if (!auth)
		return 0;
	size_t pad = (4 - (12 + n + 2) % 4) % 4; /* auth type .. next header: a multiple of 4 */
	for (size_t i = 0; i < pad; i++)
		wbuf_u8(w, 0xFF);
	wbuf_u8(w, (uint8_t)pad);
	wbuf_u8(w, RMCPP_NEXT_HEADER);
	uint8_t code[RAKP_MAX_DIGEST];
	size_t clen = w->err ? 0 : rmcp_integ_code(integ, ikey, ikey_len, w->p + RMCPP_RMCP_HEADER_LEN,
						   w->len - RMCPP_RMCP_HEADER_LEN, code);
	if (clen == 0) {
		w->err = true;
		return -1;
	}
	wbuf_bytes(w, code, clen);
	return w->err ? -1 : 0;
}
