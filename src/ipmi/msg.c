/* IPMI LAN message framing; see msg.h and notes §2.
 *
 * A message is two checksummed runs: [rsAddr, netFn/LUN | chk1] and
 * [rqAddr, rqSeq/LUN, cmd, (cc,) data... | chk2]. The parser takes each run as a sub-reader
 * and checks that its bytes, checksum included, sum to 0 mod 256; the builders sum the bytes
 * they write and append the complement. */
#include "ipmi/msg.h"

#include <errno.h>

#define IPMI_MSG_MIN_LEN 7      /* notes §2: 3-byte header, rqAddr, rqSeq, cmd, chk2 */

static uint8_t sum8(uint8_t acc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		acc = (uint8_t)(acc + p[i]);
	return acc;
}

/* Notes §2: two's complement of the byte sum. */
uint8_t ipmi_checksum(const uint8_t *p, size_t n)
{
	return (uint8_t)-sum8(0, p, n);
}

/* A run whose bytes including its trailing checksum sum to 0. */
static bool run_ok(struct rbuf run)
{
	const uint8_t *p = rbuf_take(&run, run.len);

	return p && sum8(0, p, run.len) == 0;
}

/* A 6-bit field (netFn or rqSeq) in bits 7:2 with a LUN in bits 1:0. */
static uint8_t pack6_2(uint8_t hi, uint8_t lun)
{
	return (uint8_t)((hi & 0x3f) << 2 | (lun & 0x03));
}

int ipmi_msg_parse_req(const uint8_t *msg, size_t len, struct ipmi_msg_hdr *ret_hdr,
		       const uint8_t **ret_data, size_t *ret_len)
{
	struct rbuf r = rbuf_init(msg, len), h1, h2;
	struct ipmi_msg_hdr hdr;
	const uint8_t *data;
	size_t data_len;
	uint8_t b;

	if (!msg || len < IPMI_MSG_MIN_LEN)
		return -EBADMSG;
	h1 = rbuf_sub(&r, 3);
	h2 = rbuf_sub(&r, rbuf_left(&r));
	if (r.err || !run_ok(h1) || !run_ok(h2))
		return -EBADMSG;
	hdr.rs_addr = rbuf_u8(&h1);
	b = rbuf_u8(&h1);
	hdr.netfn = b >> 2;
	hdr.rs_lun = b & 0x03;
	hdr.rq_addr = rbuf_u8(&h2);
	b = rbuf_u8(&h2);
	hdr.rq_seq = b >> 2;
	hdr.rq_lun = b & 0x03;
	hdr.cmd = rbuf_u8(&h2);
	data_len = rbuf_left(&h2) - 1;
	data = rbuf_take(&h2, data_len);
	if (h1.err || h2.err || !data)
		return -EBADMSG;
	*ret_hdr = hdr;
	*ret_data = data;
	*ret_len = data_len;
	return 0;
}

/* Writes the first run: address, netFn/LUN, checksum 1. */
static void put_head(struct wbuf *w, uint8_t addr, uint8_t netfn_lun)
{
	uint8_t h[2] = { addr, netfn_lun };

	wbuf_bytes(w, h, sizeof(h));
	wbuf_u8(w, ipmi_checksum(h, sizeof(h)));
}

/* Writes the second run: the fixed bytes, the data, checksum 2 over both. */
static void put_body(struct wbuf *w, const uint8_t *fixed, size_t fixed_len,
		     const uint8_t *data, size_t len)
{
	uint8_t sum = sum8(0, fixed, fixed_len);

	if (len)
		sum = sum8(sum, data, len);
	wbuf_bytes(w, fixed, fixed_len);
	wbuf_bytes(w, data, len);
	wbuf_u8(w, (uint8_t)-sum);
}

/* Notes §2 response: rqAddr, netFn+1/rqLUN, chk1, rsAddr 0x20, rqSeq/rsLUN, cmd, cc, data,
 * chk2. */
void ipmi_msg_build_rsp(struct wbuf *w, const struct ipmi_msg_hdr *rq, uint8_t cc,
			const uint8_t *data, size_t len)
{
	uint8_t fixed[4] = {
		IPMI_BMC_SLAVE_ADDR, pack6_2(rq->rq_seq, rq->rs_lun), rq->cmd, cc,
	};

	put_head(w, rq->rq_addr, pack6_2(rq->netfn | 1, rq->rq_lun));
	put_body(w, fixed, sizeof(fixed), data, len);
}

/* Notes §2 request: rsAddr, netFn/rsLUN, chk1, rqAddr, rqSeq/rqLUN, cmd, data, chk2. */
void ipmi_msg_build_req(struct wbuf *w, const struct ipmi_msg_hdr *hdr, const uint8_t *data,
			size_t len)
{
	uint8_t fixed[3] = {
		hdr->rq_addr, pack6_2(hdr->rq_seq, hdr->rq_lun), hdr->cmd,
	};

	put_head(w, hdr->rs_addr, pack6_2(hdr->netfn, hdr->rs_lun));
	put_body(w, fixed, sizeof(fixed), data, len);
}
