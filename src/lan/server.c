/* The UDP server of one BMC's LAN channel on the libuv loop: receives datagrams, routes them by
 * RMCP class and session format, sends replies, and sweeps idle sessions once a second.
 *
 * Under load the socket is read in batches (libuv's recvmmsg mode) and the replies to one batch
 * go out together with one sendmmsg when the batch ends; a lone datagram is answered at once
 * either way, as the batch it came in ends with it. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "lan/lan.h"

#define LAN_RCVBUF (2 << 20) /* the kernel doubles it for its bookkeeping */
/* libuv's recvmmsg mode reads one datagram into each 64 KiB chunk of the receive buffer. */
#define LAN_RX_CHUNK (64 * 1024)

/* One loop thread: one receive buffer for every server is enough (each batch is handled
 * before the next read). Only the pages datagrams land in become resident: one per chunk. */
static char rx_buf[LAN_BATCH * LAN_RX_CHUNK] __attribute__((aligned(4096)));

const char *lan_peer_str(const struct sockaddr *peer, char *buf, size_t cap)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (peer->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)peer;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(buf, cap, "%s:%u", host, port);
	} else if (peer->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)peer;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(buf, cap, "[%s]:%u", host, port);
	} else {
		snprintf(buf, cap, "?");
	}
	return buf;
}

/* The address alone: the rate limit keys sources by address, not port. */
static const char *host_str(const struct sockaddr *peer, char *buf, size_t cap)
{
	const void *a = peer->sa_family == AF_INET6 ?
				(const void *)&((const struct sockaddr_in6 *)peer)->sin6_addr :
				(const void *)&((const struct sockaddr_in *)peer)->sin_addr;
	if (!inet_ntop(peer->sa_family, a, buf, (socklen_t)cap))
		snprintf(buf, cap, "?");
	return buf;
}

/* Sends the queued replies with as few sendmmsg calls as the kernel allows. A datagram the
 * kernel refuses (EAGAIN: the send buffer is full) is dropped, as a single send would drop it:
 * UDP is best effort and the console retransmits. */
static void txq_flush(struct lan_server *srv)
{
	struct lan_txq *q = &srv->txq;
	uv_os_fd_t fd;
	unsigned sent = 0;
	q->batching = false;
	if (q->n == 0)
		return;
	if (uv_fileno((const uv_handle_t *)&srv->udp, &fd) != 0)
		sent = q->n; /* the socket is closing: nothing to send on */
	while (sent < q->n) {
		int r = sendmmsg(fd, q->msg + sent, q->n - sent, 0);
		if (r > 0) {
			sent += (unsigned)r;
		} else if (r == 0 || errno != EINTR) {
			log_debug("udp send failed: %s", strerror(errno));
			sent++;
		}
	}
	q->n = 0;
	q->used = 0;
}

static void txq_add(struct lan_server *srv, const struct sockaddr *peer, socklen_t peer_len,
		    const uint8_t *p, size_t n)
{
	struct lan_txq *q = &srv->txq;
	if (q->n == LAN_BATCH || q->used + n > sizeof(q->data)) {
		txq_flush(srv);
		q->batching = true;
	}
	if (peer_len > sizeof(q->peer[0]))
		peer_len = sizeof(q->peer[0]);
	uint8_t *at = q->data + q->used;
	memcpy(at, p, n);
	memcpy(&q->peer[q->n], peer, peer_len);
	q->iov[q->n] = (struct iovec){ .iov_base = at, .iov_len = n };
	q->msg[q->n].msg_hdr = (struct msghdr){
		.msg_name = &q->peer[q->n],
		.msg_namelen = peer_len,
		.msg_iov = &q->iov[q->n],
		.msg_iovlen = 1,
	};
	q->n++;
	q->used += n;
}

void lan_send(struct lan_server *srv, const struct sockaddr *peer, socklen_t peer_len,
	      const uint8_t *p, size_t n)
{
	srv->bmc->lan_stats.ip_tx++;
	if (srv->send_hook) {
		srv->send_hook(srv->send_hook_arg, peer, p, n);
		return;
	}
	if (srv->txq.batching && n <= LAN_MAX_PACKET) {
		txq_add(srv, peer, peer_len, p, n);
		return;
	}
	uv_buf_t b = uv_buf_init((char *)p, (unsigned)n);
	int r = uv_udp_try_send(&srv->udp, &b, 1, peer);
	if (r < 0)
		log_debug("udp send failed: %s", uv_strerror(r));
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	buf->base = rx_buf;
	buf->len = sizeof(rx_buf);
}

static void route(struct lan_server *srv, const uint8_t *pkt, size_t len,
		  const struct sockaddr *peer)
{
	struct lan_ctx ctx = {
		.srv = srv,
		.peer = peer,
		.peer_len = peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							 : sizeof(struct sockaddr_in),
	};
	if (len < 5 || len > LAN_MAX_PACKET || pkt[0] != RMCP_VERSION)
		return;
	uint8_t cls = pkt[3];
	if (cls & 0x80)
		return; /* an RMCP ACK: nothing to do */
	if (cls == RMCP_CLASS_ASF) {
		asf_handle(&ctx, pkt, len);
	} else if (cls == RMCP_CLASS_IPMI && pkt[2] == RMCP_SEQ_NO_ACK) {
		if ((pkt[4] & 0x0F) == 0x06)
			rmcpplus_handle(&ctx, pkt, len);
		else
			v15_handle(&ctx, pkt, len);
	}
}

/* Does the packet name an existing session? Everything else (ASF, session ID 0, an unknown
 * session ID, anything malformed) is unauthenticated traffic and pays the per-source rate
 * limit before it is parsed (docs/security.md). */
static bool names_session(struct lan_server *srv, const uint8_t *pkt, size_t len)
{
	if (len < 13 || pkt[3] != RMCP_CLASS_IPMI)
		return false;
	size_t at = (pkt[4] & 0x0F) == 0x06 ? 6 : 9; /* RMCP+ or IPMI 1.5 session ID offset */
	uint32_t sid = (uint32_t)pkt[at] | (uint32_t)pkt[at + 1] << 8 |
		       (uint32_t)pkt[at + 2] << 16 | (uint32_t)pkt[at + 3] << 24;
	return session_find(&srv->sessions, sid) != NULL;
}

static bool rate_limited(struct lan_server *srv, const uint8_t *pkt, size_t len,
			 const struct sockaddr *peer)
{
	uint32_t dropped = 0;
	if (names_session(srv, pkt, len))
		return false;
	switch (ratelimit_charge(&srv->ratelimit, peer, now_monotonic(), &dropped)) {
	case RATELIMIT_PASS:
		return false;
	case RATELIMIT_DROP_REPORT: {
		char where[80];
		log_warn("rate limit: %s sends more than %u unauthenticated packets/s (burst %u): "
			 "%u dropped", host_str(peer, where, sizeof(where)), srv->rate_limit,
			 srv->rate_limit_burst, dropped);
		return true;
	}
	default:
		return true;
	}
}

/* Channel Info reports the active sessions; the count changes only while a packet is handled. */
static void update_active_sessions(struct lan_server *srv)
{
	srv->bmc->active_sessions[IPMI_CHANNEL_LAN] = (uint8_t)session_count_active(&srv->sessions);
}

/* The per-source rate limit comes first, before any parsing, so the fuzz targets that call
 * lan_server_handle_packet go through it too. */
void lan_sessions_after_cold_reset(struct lan_server *srv)
{
	unsigned n = 0;
	if (srv->cold_resets_seen == srv->bmc->cold_resets)
		return;
	srv->cold_resets_seen = srv->bmc->cold_resets;
	for (unsigned i = 0; i < srv->sessions.n_slots; i++) {
		n += srv->sessions.slot[i].state != SESSION_FREE;
		session_free(&srv->sessions.slot[i]);
	}
	srv->count_stale = true;
	if (n)
		log_info("ipmi lan: BMC cold reset: %u session%s closed", n, n == 1 ? "" : "s");
}

static void handle_packet(struct lan_server *srv, const uint8_t *pkt, size_t len,
			  const struct sockaddr *peer)
{
	struct bmc_lan_stats *st = &srv->bmc->lan_stats;
	st->ip_rx++;
	st->udp_rx++;
	if (len >= 5 && pkt[0] == RMCP_VERSION &&
	    ((pkt[3] & 0x7F) == RMCP_CLASS_ASF || (pkt[3] & 0x7F) == RMCP_CLASS_IPMI))
		st->rmcp_rx++;
	lan_sessions_after_cold_reset(srv); /* a reset asked for elsewhere */
	if (rate_limited(srv, pkt, len, peer))
		return;
	route(srv, pkt, len, peer);
}

/* In recvmmsg mode libuv calls this once per datagram (UV_UDP_MMSG_CHUNK), then once with
 * UV_UDP_MMSG_FREE when the batch is done; with nread 0 and no peer when the socket is empty.
 * Every call that is not a chunk ends a batch: the queued replies go out and the session count
 * is brought up to date. No reply of a batch is sent before the batch ends, so no request that
 * depends on one (e.g. a Get Channel Info after an Activate Session) can be in the same batch:
 * counting once per batch is as exact as counting after every packet. */
static void on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *peer,
		    unsigned flags)
{
	struct lan_server *srv = h->data;
	bool chunk = flags & UV_UDP_MMSG_CHUNK;
	if (nread > 0 && peer && !(flags & UV_UDP_PARTIAL)) {
		srv->txq.batching = chunk;
		handle_packet(srv, (const uint8_t *)buf->base, (size_t)nread, peer);
		srv->count_stale = true;
	}
	if (chunk)
		return;
	txq_flush(srv);
	if (srv->count_stale) {
		srv->count_stale = false;
		update_active_sessions(srv);
	}
}

void lan_server_handle_packet(struct lan_server *srv, const uint8_t *pkt, size_t len,
			      const struct sockaddr *peer)
{
	handle_packet(srv, pkt, len, peer);
	update_active_sessions(srv);
}

static void on_sweep(uv_timer_t *t)
{
	struct lan_server *srv = t->data;
	lan_sessions_after_cold_reset(srv);
	rmcpplus_reap_abandoned(srv, now_monotonic());
	session_sweep(&srv->sessions, now_monotonic());
	update_active_sessions(srv);
}

/* "127.0.0.1:623", "[::1]:623" or "::1:623" is not accepted (ambiguous): IPv6 needs brackets. */
static int parse_listen(const char *s, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return -EINVAL;
	size_t hlen = (size_t)(colon - s);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (host[0] == '[') {
		if (hlen < 3 || host[hlen - 1] != ']')
			return -EINVAL;
		host[hlen - 1] = '\0';
		return uv_ip6_addr(host + 1, (int)port, (struct sockaddr_in6 *)ss) ? -EINVAL : 0;
	}
	return uv_ip4_addr(host, (int)port, (struct sockaddr_in *)ss) ? -EINVAL : 0;
}

/* LAN parameter 8 reports the port the socket really has (e.g. after binding port 0). */
static void report_port(struct lan_server *srv)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	if (uv_udp_getsockname(&srv->udp, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET)
		bmc_lanconf_set_rmcp_port(srv->bmc, ntohs(((struct sockaddr_in *)&ss)->sin_port));
	else if (ss.ss_family == AF_INET6)
		bmc_lanconf_set_rmcp_port(srv->bmc, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
}

/* Room for legitimate packets while a flood is read and dropped: SO_RCVBUFFORCE while still
 * root (beyond net.core.rmem_max), else SO_RCVBUF, which the kernel caps at rmem_max. */
static void set_rcvbuf(struct lan_server *srv)
{
	int size = LAN_RCVBUF;
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)&srv->udp, &fd) == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) == 0)
		return;
	uv_recv_buffer_size((uv_handle_t *)&srv->udp, &size);
}

int lan_server_new(uv_loop_t *loop, struct bmc *bmc, const char *listen,
		   const struct lan_options *opt, struct lan_server **ret)
{
	struct sockaddr_storage ss = { 0 };
	if (parse_listen(listen, &ss) < 0)
		return -EINVAL;
	struct lan_server *srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->loop = loop;
	srv->bmc = bmc;
	srv->cold_resets_seen = bmc->cold_resets;
	snprintf(srv->listen_str, sizeof(srv->listen_str), "%s", listen);
	session_table_init(&srv->sessions, opt->max_sessions, opt->idle_timeout,
			   opt->half_open_timeout);
	bmc->max_sessions = (uint8_t)srv->sessions.n_slots;
	ratelimit_init(&srv->ratelimit, opt->rate_limit, opt->rate_limit_burst);
	srv->rate_limit = opt->rate_limit;
	srv->rate_limit_burst = opt->rate_limit_burst;

	/* AF_UNSPEC: the socket is made by the bind, for the address's family. */
	int r = uv_udp_init_ex(loop, &srv->udp, AF_UNSPEC | UV_UDP_RECVMMSG);
	if (r == 0) {
		srv->open_handles++;
		srv->udp.data = srv;
		r = uv_udp_bind(&srv->udp, (const struct sockaddr *)&ss, 0);
	}
	if (r == 0) {
		set_rcvbuf(srv);
		r = uv_udp_recv_start(&srv->udp, on_alloc, on_recv);
	}
	if (r < 0) {
		log_err("ipmi lan: cannot listen on %s: %s", listen, uv_strerror(r));
		lan_server_close(srv, NULL, NULL);
		return r;
	}
	report_port(srv);
	uv_timer_init(loop, &srv->sweep);
	srv->open_handles++;
	srv->sweep.data = srv;
	uv_timer_start(&srv->sweep, on_sweep, 1000, 1000);
	*ret = srv;
	return 0;
}

static void on_handle_closed(uv_handle_t *h)
{
	struct lan_server *srv = h->data;
	if (--srv->open_handles > 0)
		return;
	void (*cb)(void *) = srv->on_closed;
	void *arg = srv->on_closed_arg;
	for (unsigned i = 0; i < srv->sessions.n_slots; i++)
		session_free(&srv->sessions.slot[i]);
	free(srv);
	if (cb)
		cb(arg);
}

void lan_server_close(struct lan_server *srv, void (*on_closed)(void *arg), void *arg)
{
	if (!srv)
		return;
	srv->on_closed = on_closed;
	srv->on_closed_arg = arg;
	srv->udp.data = srv;
	srv->sweep.data = srv;
	bool udp_open = srv->open_handles > 0;
	bool timer_open = srv->open_handles > 1;
	if (udp_open)
		uv_close((uv_handle_t *)&srv->udp, on_handle_closed);
	if (timer_open)
		uv_close((uv_handle_t *)&srv->sweep, on_handle_closed);
	if (!udp_open)
		free(srv);
}
