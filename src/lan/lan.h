/* IPMI over LAN for one BMC: the UDP socket on the libuv loop, RMCP/ASF, IPMI 1.5 and RMCP+
 * packet handling, the session table. Internal pieces share this header; the daemon uses only
 * lan_server_new / lan_server_close. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <uv.h>

#include "core/buf.h"
#include "lan/ratelimit.h"
#include "lan/session.h"

struct bmc;

#define LAN_MAX_PACKET 1024
/* Datagrams read by one recvmmsg, and replies sent by one sendmmsg (libuv reads at most 20). */
#define LAN_BATCH 16

/* Replies produced while one batch of received datagrams is handled: queued here and sent
 * with one sendmmsg when the batch ends (server.c), so that under load a request costs well
 * under one receive and one send system call. Reply bytes are packed back to back. */
struct lan_txq {
	bool batching;             /* a received batch is being handled: lan_send queues */
	unsigned n;
	size_t used;               /* bytes of data[] in use */
	struct mmsghdr msg[LAN_BATCH];
	struct iovec iov[LAN_BATCH];
	struct sockaddr_in6 peer[LAN_BATCH]; /* big enough for IPv4 and IPv6 peers */
	uint8_t data[LAN_BATCH * LAN_MAX_PACKET];
};

struct lan_options {
	unsigned max_sessions;
	usec_t idle_timeout;
	usec_t half_open_timeout;
	uint32_t rate_limit;       /* unauthenticated packets/s per source; 0: off */
	uint32_t rate_limit_burst;
};

struct lan_server {
	uv_loop_t *loop;
	struct bmc *bmc;
	uv_udp_t udp;
	uv_timer_t sweep;
	struct session_table sessions;
	struct ratelimit ratelimit; /* unauthenticated traffic per source (ratelimit.h) */
	uint32_t rate_limit, rate_limit_burst;
	char listen_str[80];
	unsigned open_handles;
	void (*on_closed)(void *arg);
	void *on_closed_arg;
	/* Where replies go instead of the socket when set (fuzz targets, tests). */
	void (*send_hook)(void *arg, const struct sockaddr *peer, const uint8_t *p, size_t n);
	void *send_hook_arg;
	struct lan_txq txq;
	bool count_stale; /* packets were handled since the active sessions were last counted */
	uint32_t cold_resets_seen; /* bmc->cold_resets when the sessions were last ended */
};

/* After a cold reset of the BMC, whoever asked for it: ends every LAN session (once). */
void lan_sessions_after_cold_reset(struct lan_server *srv);

/* The packet being handled. */
struct lan_ctx {
	struct lan_server *srv;
	const struct sockaddr *peer;
	socklen_t peer_len;
	struct session *session; /* the session the packet belongs to, or NULL */
	bool rmcpplus;           /* the request came in RMCP+ format */
	uint8_t v15_authtype;    /* IPMI 1.5 request: its auth type */
	/* IPMI 1.5 Activate Session: the response goes out under the temporary session. */
	bool activated;
};

/* Binds addr ("127.0.0.1:623", "[::1]:6230") and starts serving. Returns 0 or -errno. */
int lan_server_new(uv_loop_t *loop, struct bmc *bmc, const char *listen,
		   const struct lan_options *opt, struct lan_server **ret);
/* Handles one received datagram from peer: what the socket's receive callback does, callable
 * without a socket (fuzz targets feed packets through it). Replies go to lan_send. */
void lan_server_handle_packet(struct lan_server *srv, const uint8_t *pkt, size_t len,
			      const struct sockaddr *peer);
/* Closes the socket and timers; on_closed runs (from the loop) once all handles are closed,
 * after which the server memory is freed. NULL-safe. */
void lan_server_close(struct lan_server *srv, void (*on_closed)(void *arg), void *arg);

/* Internal: send one datagram back to the peer (best effort, UDP). */
void lan_send(struct lan_server *srv, const struct sockaddr *peer, socklen_t peer_len,
	      const uint8_t *p, size_t n);
/* Internal: formats a peer address for log lines. */
const char *lan_peer_str(const struct sockaddr *peer, char *buf, size_t cap);

/* Internal: per-format handlers; `pkt` holds the whole datagram. */
void asf_handle(struct lan_ctx *ctx, const uint8_t *pkt, size_t len);
void v15_handle(struct lan_ctx *ctx, const uint8_t *pkt, size_t len);
void rmcpplus_handle(struct lan_ctx *ctx, const uint8_t *pkt, size_t len);

/* Internal: runs one IPMI request message (§2 framing) and writes the response message to out.
 * Uses and fills the session's retransmission cache. Returns 0 to send, -1 to drop. */
int lan_run_ipmi(struct lan_ctx *ctx, const uint8_t *msg, size_t len, struct wbuf *out);
/* Internal: after a reply has been sent (Close Session, Cold/Warm Reset). */
void lan_after_reply(struct lan_ctx *ctx);

/* The LAN transport's own commands (session management), for the dispatcher. */
extern const struct ipmi_transport lan_transport;

/* Internal: the bad password lockout (LAN parameter 26), lan_cmds.c. lan_login_locked logs
 * and returns true if user `uid` may not log in now; lan_login_failed counts a failed login
 * that began at `began` (monotonic) and logs why, with the lockout it caused. */
bool lan_login_locked(struct bmc *bmc, uint8_t uid, const struct sockaddr *peer);
void lan_login_failed(struct bmc *bmc, uint8_t uid, usec_t began, const struct sockaddr *peer,
		      const char *why);
/* Internal: RMCP+ handshakes that got a RAKP 2 and no RAKP 3 within the half-open timeout
 * count as failed logins (ipmitool checks the RAKP 2 HMAC and gives up silently when the
 * password is wrong). Called by the sweep timer before session_sweep. */
void rmcpplus_reap_abandoned(struct lan_server *srv, usec_t now);

/* Enabled cipher suites: their algorithm triples. */
struct cipher_suite {
	uint8_t id;
	uint8_t auth, integ, conf;
};
/* Returns the suite with exactly this triple if it is enabled, else NULL. */
const struct cipher_suite *lan_cipher_suite_match(const struct bmc *bmc, uint8_t auth,
						  uint8_t integ, uint8_t conf);
/* All suites this implementation supports, in listing order. */
extern const struct cipher_suite lan_cipher_suites[];
extern const size_t lan_cipher_suites_n;

#define RMCP_VERSION 0x06
#define RMCP_SEQ_NO_ACK 0xFF
#define RMCP_CLASS_ASF 0x06
#define RMCP_CLASS_IPMI 0x07
