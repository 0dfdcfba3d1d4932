/* The RMCP+ packet framing both ends of a session write (rmcp-and-sessions.md §6.1): the
 * RMCP and session headers, and an in-session packet sealed with AES-CBC-128 and the
 * integrity trailer. Used by the BMC (lan/rmcpplus.c), the console library (client/) and the
 * fuzz targets' console, so all three build the same bytes. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "lan/crypto.h"

#define RMCPP_PTYPE_ENCRYPTED     0x80
#define RMCPP_PTYPE_AUTHENTICATED 0x40
#define RMCPP_NEXT_HEADER         0x07
#define RMCPP_RMCP_HEADER_LEN     4   /* the integrity code covers what follows it */

/* RMCP header (ASF class IPMI) and the IPMI 2.0 session header up to the payload length. */
void rmcpp_put_header(struct wbuf *w, uint8_t ptype, uint32_t sid, uint32_t seq);

/* Writes one in-session packet at the start of the empty writer w: the headers with the
 * encrypted/authenticated bits set as asked, the payload (AES-CBC-128 under k2 when encrypt),
 * and, unless integ is RMCP_INTEG_NONE, the pad, pad length, next header and the integrity
 * code under ikey. Returns 0, or -1 with w->err set (no room, or a crypto failure). */
int rmcpp_seal(struct wbuf *w, uint8_t ptype, uint32_t sid, uint32_t seq,
	       const uint8_t *payload, size_t len, bool encrypt, const uint8_t k2[static 16],
	       enum rmcp_integ_alg integ, const uint8_t *ikey, size_t ikey_len);
