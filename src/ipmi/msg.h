/* IPMI LAN message framing (IPMI 2.0 §13.8): rsAddr/netFn/checksum header, rq fields, data,
 * trailing checksum. Shared by IPMI 1.5 sessions and RMCP+ payload type 0. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define IPMI_BMC_SLAVE_ADDR 0x20

struct ipmi_msg_hdr {
	uint8_t rs_addr;
	uint8_t netfn;
	uint8_t rs_lun;
	uint8_t rq_addr;
	uint8_t rq_seq;
	uint8_t rq_lun;
	uint8_t cmd;
};

/* 8-bit two's complement checksum: sum of data plus result is 0 mod 256. */
uint8_t ipmi_checksum(const uint8_t *p, size_t n);

/* Parses a request message; returns 0 and fills hdr, data and len, or -EBADMSG on a short
 * message or bad checksum. Trailing bytes past checksum 2 (legacy pad) must be excluded by the
 * caller via len. */
int ipmi_msg_parse_req(const uint8_t *msg, size_t len, struct ipmi_msg_hdr *ret_hdr,
		       const uint8_t **ret_data, size_t *ret_len);

/* Writes a response message to w for request header rq with completion code and data. */
void ipmi_msg_build_rsp(struct wbuf *w, const struct ipmi_msg_hdr *rq, uint8_t cc,
			const uint8_t *data, size_t len);

/* Writes a request message (used by the client side and tests). */
void ipmi_msg_build_req(struct wbuf *w, const struct ipmi_msg_hdr *hdr, const uint8_t *data,
			size_t len);
