/* The LAN session table: IPMI 1.5 and RMCP+ sessions of one BMC, their keys, sequence windows,
 * timeouts and the slot cap. Half-open handshakes are reaped first, those of the source holding
 * the most of them before anyone else's, so that a flood of Open Session requests cannot lock
 * out an administrator; an active session is never evicted by
 * unauthenticated traffic. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/timeutil.h"
#include "ipmi/ipmi.h"
#include "lan/crypto.h"
#include "lan/seqwin.h"

enum session_state {
	SESSION_FREE = 0,
	SESSION_OPENED,      /* RMCP+: Open Session answered, waiting for RAKP 1 */
	SESSION_RAKP2_SENT,  /* RMCP+: waiting for RAKP 3 */
	SESSION_CHALLENGED,  /* IPMI 1.5: Get Session Challenge answered, waiting for Activate */
	SESSION_ACTIVE,
};

#define SESSION_MAX_SLOTS 63
#define SESSION_CACHE_MAX 320

struct session {
	enum session_state state;
	bool v15;                 /* IPMI 1.5 session (else RMCP+) */
	uint8_t handle;           /* 1..slots, for Get Session Info */
	uint32_t bmc_sid;         /* managed system session ID (ours, random, non-zero) */
	uint32_t console_sid;     /* remote console session ID (RMCP+) */
	struct sockaddr_storage peer;
	socklen_t peer_len;
	usec_t created;
	usec_t last_activity;

	uint8_t user_id;
	uint8_t max_priv;
	uint8_t priv;             /* current privilege */

	/* RMCP+ */
	uint8_t cipher_suite;
	enum rakp_auth_alg auth_alg;
	enum rmcp_integ_alg integ_alg;
	enum rmcp_conf_alg conf_alg;
	struct rakp_params rakp;  /* secret: holds Kuid */
	uint8_t sik[RAKP_MAX_DIGEST];
	uint8_t k1[RAKP_MAX_DIGEST];
	uint8_t k2[RAKP_MAX_DIGEST];
	size_t key_len;
	bool got_packet;          /* an authenticated in-session packet arrived */

	/* IPMI 1.5 */
	uint8_t authtype;
	uint8_t challenge[16];
	uint8_t password16[16];   /* secret */

	/* Sequence numbers. */
	struct seqwin in_win;
	uint32_t out_seq;         /* last number used outbound */

	/* Retransmission cache: the last request and its response message. */
	bool cache_valid;
	uint8_t cache_rq_seq, cache_netfn, cache_cmd;
	uint16_t cache_req_len;   /* up to IPMI_MAX_REQ_DATA (256): not a uint8_t */
	uint8_t cache_req[IPMI_MAX_REQ_DATA];
	uint16_t cache_rsp_len;
	uint8_t cache_rsp[SESSION_CACHE_MAX];

	bool close_after_reply;
};

struct session_table {
	struct session slot[SESSION_MAX_SLOTS];
	unsigned n_slots;          /* the configured cap (≤ SESSION_MAX_SLOTS) */
	usec_t idle_timeout;
	usec_t half_open_timeout;
};

void session_table_init(struct session_table *t, unsigned n_slots, usec_t idle_timeout,
			usec_t half_open_timeout);
/* Allocates a slot. If the table is full, evicts a half-open session: the oldest of the source
 * address holding the most half-open sessions (a flood evicts its own handshakes first).
 * Returns NULL if every slot holds an active session. The session gets a fresh random ID. */
struct session *session_alloc(struct session_table *t, const struct sockaddr *peer,
			      socklen_t peer_len);
/* Wipes the session's secrets and frees the slot. */
void session_free(struct session *s);
struct session *session_find(struct session_table *t, uint32_t bmc_sid);
struct session *session_by_handle(struct session_table *t, uint8_t handle);
/* The nth (1-based) active session, for Get Session Info. */
struct session *session_nth_active(struct session_table *t, unsigned n);
unsigned session_count_active(const struct session_table *t);
/* Reaps idle active sessions and expired handshakes; returns how many were freed. */
unsigned session_sweep(struct session_table *t, usec_t now);
/* Next outbound sequence number (skips 0 on wrap). */
uint32_t session_next_out_seq(struct session *s);
