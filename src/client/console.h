/* The remote-console side of an RMCP+ session (IPMI 2.0 §13.17-13.31): Open Session, RAKP 1-4
 * as the console, then authenticated and encrypted IPMI requests and their responses. It
 * reuses lan/'s crypto (the same RAKP, key-derivation, integrity and AES functions the BMC
 * side uses) and ipmi/'s message framing.
 *
 * No sockets and no timers here: the caller owns the transport. It asks for the bytes of the
 * next datagram to send (console_open_session, console_request) and feeds every datagram it
 * receives to console_input, which advances the handshake or decodes a response. One
 * struct console_session per session; many can be driven from one thread. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lan/crypto.h"

#define CONSOLE_MAX_PACKET 1024
#define CONSOLE_MAX_RSP_DATA 272

enum console_state {
	CONSOLE_IDLE = 0,
	CONSOLE_OPEN_SENT,   /* Open Session Request sent, waiting for the response */
	CONSOLE_RAKP1_SENT,  /* waiting for RAKP 2 */
	CONSOLE_RAKP3_SENT,  /* waiting for RAKP 4 */
	CONSOLE_ACTIVE,
	CONSOLE_FAILED,
	CONSOLE_STATE_MAX,
};

struct console_config {
	const char *user;           /* at most 16 bytes */
	const uint8_t *password;    /* Kuid, at most 20 bytes */
	size_t password_len;
	uint8_t cipher_suite;       /* 3 (SHA1 / SHA1-96 / AES) or 17 (SHA256 / SHA256-128 / AES) */
	uint8_t role;               /* RAKP 1 role: privilege, 0x10 = name-only lookup */
};

struct console_session {
	enum console_state state;
	uint8_t status;             /* the RMCP+ status that failed the handshake, if any */
	uint8_t tag;                /* message tag of the setup exchange */
	enum rakp_auth_alg auth_alg;
	enum rmcp_integ_alg integ_alg;
	enum rmcp_conf_alg conf_alg;
	struct rakp_params rakp;    /* secret: holds Kuid */
	uint8_t sik[RAKP_MAX_DIGEST];
	uint8_t k1[RAKP_MAX_DIGEST];
	uint8_t k2[RAKP_MAX_DIGEST];
	size_t key_len;
	uint32_t out_seq;           /* last session sequence number sent */
	uint8_t rq_seq;             /* last IPMI rqSeq used (6 bits) */
};

/* A decoded IPMI response. data points into buf. */
struct console_response {
	uint8_t netfn;              /* the response netFn (request netFn | 1) */
	uint8_t cmd;
	uint8_t rq_seq;
	uint8_t cc;                 /* completion code */
	const uint8_t *data;        /* bytes after the completion code */
	size_t len;
	uint8_t buf[CONSOLE_MAX_PACKET];
};

enum console_event {
	CONSOLE_EV_IGNORED = 0,     /* not for this session, malformed, or failed its MAC */
	CONSOLE_EV_SEND,            /* the handshake advanced: send the packet written to out */
	CONSOLE_EV_ACTIVE,          /* RAKP 4 verified: the session is active */
	CONSOLE_EV_RESPONSE,        /* an in-session IPMI response, decoded into ret_rsp */
	CONSOLE_EV_FAILED,          /* the BMC refused (see status) or RAKP 2/4 did not verify */
	CONSOLE_EV_MAX,
};

/* Prepares a session (fresh random console session ID). Returns 0, or -EINVAL for an
 * unsupported cipher suite or an over-long name or password. */
int console_session_init(struct console_session *cs, const struct console_config *cfg);
/* Wipes the session's keys. NULL-safe. */
void console_session_wipe(struct console_session *cs);

/* Writes the Open Session Request datagram. Returns its length, or -ENOBUFS. */
int console_open_session(struct console_session *cs, uint8_t *out, size_t cap);

/* Feeds one received datagram. For CONSOLE_EV_SEND, the next datagram is in out and its
 * length in *ret_out_len; for CONSOLE_EV_RESPONSE, *ret_rsp holds the response. For
 * CONSOLE_EV_FAILED, a non-zero *ret_out_len means one last datagram to send (a RAKP 3 that
 * tells the BMC its RAKP 2 did not verify). *ret_out_len is 0 otherwise. */
enum console_event console_input(struct console_session *cs, const uint8_t *pkt, size_t len,
				 uint8_t *out, size_t cap, size_t *ret_out_len,
				 struct console_response *ret_rsp);

/* Writes an in-session IPMI request datagram (the session must be active) with the next rqSeq,
 * returned in *ret_rq_seq. Returns its length, or -EINVAL / -ENOBUFS / -EIO. */
int console_request(struct console_session *cs, uint8_t netfn, uint8_t cmd,
		    const uint8_t *data, size_t len, uint8_t *out, size_t cap,
		    uint8_t *ret_rq_seq);
