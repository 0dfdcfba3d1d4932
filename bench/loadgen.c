/* bench_loadgen: an RMCP+ load generator for one BMC, on one thread.
 *
 * It keeps many sessions in flight at once with the project's own remote-console library
 * (src/client/console.h), one connected UDP socket per session, on an epoll loop, and measures
 * one thing per run:
 *   --mode req    closed loop: every session keeps --outstanding requests in flight;
 *                 requests/s and latency percentiles
 *   --mode rate   open loop: --rate requests/s spread over the sessions at fixed intervals;
 *                 latency is counted from the time a request was due, not when it went out
 *                 (so a stalled server is not hidden by a stalled generator); due requests
 *                 are sent between received datagrams too, not only between waits, so a
 *                 burst of replies does not make the generator itself send late
 *   --mode setup  --sessions concurrent cycles of Open Session, RAKP 1-4, Close Session;
 *                 setups/s and the Open-to-RAKP-4 latency
 *   --mode echo   closed loop of bare 64-byte datagrams against bench/udp_echo: what the
 *                 kernel's loopback UDP costs per request/response pair, the floor under any
 *                 BMC's figures on this machine; with --rate, the same open loop as --mode
 *                 rate: the latency this machine gives a server that does no work at all
 * With --pid it reads the server's CPU time (utime + stime, /proc/PID/stat) before and after
 * the measured interval and its VmRSS, VmHWM and RssAnon (/proc/PID/status) at the end.
 *
 * Output: one line of key=value pairs on stdout (bench/run.sh reads it). Exit status 0 when
 * the run completed with no errors, 1 when anything failed (refused session, bad completion
 * code, timeouts), 2 for usage errors. Never part of the test suite's timing. */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client/console.h"

#define MAX_SESSIONS 256
#define MAX_OUTSTANDING 16 /* well inside the BMCs' inbound sequence windows (±16) */
#define HIST_MAX_US 1000000 /* latencies at or above 1 s land in the last bucket */
#define TIMEOUT_NS 1000000000LL

enum mode { MODE_REQ, MODE_RATE, MODE_SETUP, MODE_ECHO };

struct opts {
	const char *host;
	int port;
	const char *user;
	const char *password;
	int pid;
	enum mode mode;
	int cipher;
	int sessions;
	int outstanding;
	double rate;
	double seconds;
	double warmup;
	uint8_t netfn, cmd, data[4];
	size_t data_len;
	const char *cmd_name;
	const char *label;
	bool spin; /* poll with a zero timeout instead of sleeping (never idles its vCPU) */
};

struct slot {
	bool busy;
	int64_t due; /* when the request was sent (req) or due (rate), ns */
};

enum sess_phase { PH_SETUP, PH_ACTIVE, PH_CLOSING, PH_DEAD };

struct sess {
	int fd;
	enum sess_phase phase;
	struct console_session cs;
	struct slot slot[64]; /* by rqSeq */
	int in_flight;
	int64_t started;      /* setup: when Open Session went out */
	int64_t last_sent;
	uint8_t echo_seq;     /* open-loop echo: the next slot (6 bits, like an rqSeq) */
};

struct stats {
	uint64_t ok, errors, timeouts, backlog, refused;
	uint32_t *hist; /* microsecond buckets */
	uint64_t hist_n;
};

struct run {
	struct opts o;
	int ep;
	struct sockaddr_in addr;
	struct sess *s;
	int n;
	bool measuring;
	struct stats st;
	uint64_t active;
	struct console_response rsp;
	unsigned rr; /* round robin for the open loop */
	/* The open loop's schedule: request k is due at sched_t0 + k / rate. */
	int64_t sched_t0, next_due;
	uint64_t sched_k;
	bool stopping; /* the run is over: close sessions, start nothing new */
	/* When the datagram being handled reached its socket (the kernel's receive timestamp,
	 * SO_TIMESTAMPNS, on CLOCK_MONOTONIC): latency ends there, not when this thread got to
	 * it, so a burst of replies queued behind the generator's own decryption is not counted
	 * against the server. real_to_mono converts the kernel's CLOCK_REALTIME stamp. */
	int64_t rx_ns, real_to_mono;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_loadgen: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* ---- the server's /proc figures ---- */

/* utime + stime of the whole process, in microseconds. */
static int64_t proc_cpu_us(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the command name may hold spaces */
	unsigned long ut = 0, st = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (int64_t)(ut + st) * 1000000 / sysconf(_SC_CLK_TCK);
}

static long proc_status_kb(int pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	size_t klen = strlen(key);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			v = strtol(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static int64_t self_cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_usec;
}

/* ---- statistics ---- */

static void record(struct run *r, int64_t latency_ns)
{
	if (!r->measuring)
		return;
	int64_t us = latency_ns / 1000;
	if (us >= HIST_MAX_US)
		us = HIST_MAX_US - 1;
	if (us < 0)
		us = 0;
	r->st.hist[us]++;
	r->st.hist_n++;
	r->st.ok++;
}

static double percentile(const struct stats *st, double q)
{
	if (st->hist_n == 0)
		return 0;
	uint64_t want = (uint64_t)(q * (double)st->hist_n), seen = 0;
	if (want >= st->hist_n)
		want = st->hist_n - 1;
	for (int i = 0; i < HIST_MAX_US; i++) {
		seen += st->hist[i];
		if (seen > want)
			return i;
	}
	return HIST_MAX_US;
}

/* ---- sending ---- */

static void send_pkt(struct run *r, struct sess *s, const uint8_t *p, size_t n)
{
	s->last_sent = now_ns();
	if (send(s->fd, p, n, 0) < 0 && r->measuring)
		r->st.errors++; /* ECONNREFUSED: the server is gone */
}

static void start_setup(struct run *r, struct sess *s)
{
	struct console_config cfg = {
		.user = r->o.user,
		.password = (const uint8_t *)r->o.password,
		.password_len = strlen(r->o.password),
		.cipher_suite = (uint8_t)r->o.cipher,
		.role = 0x14, /* administrator, name-only lookup */
	};
	uint8_t out[CONSOLE_MAX_PACKET];
	console_session_wipe(&s->cs);
	if (console_session_init(&s->cs, &cfg) < 0) {
		fprintf(stderr, "bench_loadgen: bad user, password or cipher suite\n");
		exit(2);
	}
	int n = console_open_session(&s->cs, out, sizeof(out));
	if (n < 0)
		exit(2);
	s->phase = PH_SETUP;
	s->started = now_ns();
	memset(s->slot, 0, sizeof(s->slot));
	s->in_flight = 0;
	send_pkt(r, s, out, (size_t)n);
}

/* Sends one request on s; `due` is when it was meant to go (the open loop's schedule). */
static bool send_request(struct run *r, struct sess *s, int64_t due)
{
	uint8_t out[CONSOLE_MAX_PACKET], rq_seq;
	int n = console_request(&s->cs, r->o.netfn, r->o.cmd, r->o.data, r->o.data_len, out,
				sizeof(out), &rq_seq);
	if (n < 0)
		return false;
	if (s->slot[rq_seq].busy && r->measuring)
		r->st.timeouts++; /* 64 requests later and still unanswered */
	s->slot[rq_seq] = (struct slot){ .busy = true, .due = due };
	s->in_flight++;
	send_pkt(r, s, out, (size_t)n);
	return true;
}

static void send_close(struct run *r, struct sess *s)
{
	uint8_t out[CONSOLE_MAX_PACKET], rq_seq, sid[4];
	uint32_t id = s->cs.rakp.bmc_sid;
	for (int i = 0; i < 4; i++)
		sid[i] = (uint8_t)(id >> (8 * i));
	int n = console_request(&s->cs, 0x06, 0x3C, sid, sizeof(sid), out, sizeof(out), &rq_seq);
	if (n < 0)
		return;
	s->phase = PH_CLOSING;
	send_pkt(r, s, out, (size_t)n);
}

/* ---- receiving ---- */

static void on_active(struct run *r, struct sess *s)
{
	r->active++;
	if (r->o.mode == MODE_SETUP || r->stopping) {
		record(r, r->rx_ns - s->started);
		send_close(r, s);
		return;
	}
	s->phase = PH_ACTIVE;
	if (r->o.mode == MODE_REQ) {
		for (int i = 0; i < r->o.outstanding; i++)
			send_request(r, s, now_ns());
	}
}

static void on_response(struct run *r, struct sess *s, const struct console_response *rsp)
{
	if (s->phase == PH_CLOSING) {
		if (r->stopping)
			s->phase = PH_DEAD;
		else
			start_setup(r, s); /* Close Session answered: next cycle */
		return;
	}
	if (r->stopping)
		return;
	struct slot *sl = &s->slot[rsp->rq_seq & 0x3F];
	if (!sl->busy || rsp->cmd != r->o.cmd)
		return; /* late answer to a request already counted as timed out */
	sl->busy = false;
	s->in_flight--;
	if (rsp->cc != 0) {
		if (r->measuring)
			r->st.errors++;
	} else {
		record(r, r->rx_ns - sl->due);
	}
	if (r->o.mode == MODE_REQ)
		send_request(r, s, now_ns());
}

static const uint8_t echo_pkt[64] = { 0x06, 0x00, 0xFF, 0x07 };

static void echo_send(struct run *r, struct sess *s)
{
	s->slot[0] = (struct slot){ .busy = true, .due = now_ns() };
	send_pkt(r, s, echo_pkt, sizeof(echo_pkt));
}

/* The open-loop echo: byte 4 of the datagram carries its slot, like an rqSeq. */
static bool echo_send_seq(struct run *r, struct sess *s, int64_t due)
{
	uint8_t pkt[sizeof(echo_pkt)];
	uint8_t seq = s->echo_seq++ & 0x3F;
	if (s->slot[seq].busy && r->measuring)
		r->st.timeouts++;
	memcpy(pkt, echo_pkt, sizeof(pkt));
	pkt[4] = seq;
	s->slot[seq] = (struct slot){ .busy = true, .due = due };
	s->in_flight++;
	send_pkt(r, s, pkt, sizeof(pkt));
	return true;
}

/* An echoed datagram of the open loop: the latency of its slot. */
static void echo_answered(struct run *r, struct sess *s, const uint8_t *pkt, ssize_t n)
{
	struct slot *sl = &s->slot[n > 4 ? pkt[4] & 0x3F : 0];
	if (!sl->busy)
		return;
	sl->busy = false;
	s->in_flight--;
	record(r, r->rx_ns - sl->due);
}

/* One datagram per readiness event: epoll is level-triggered, so another queued datagram
 * reports the socket again, and no recv is wasted on EAGAIN. */
static void on_readable(struct run *r, struct sess *s)
{
	uint8_t pkt[2048], out[CONSOLE_MAX_PACKET];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct timespec))];
	} ctl;
	struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	ssize_t n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return;
	r->rx_ns = now_ns();
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			int64_t t = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec - r->real_to_mono;
			if (t < r->rx_ns)
				r->rx_ns = t;
		}
	}
	if (r->o.mode == MODE_ECHO && r->o.rate > 0) {
		echo_answered(r, s, pkt, n);
		return;
	}
	if (r->o.mode == MODE_ECHO) {
		record(r, r->rx_ns - s->slot[0].due);
		if (!r->stopping)
			echo_send(r, s);
		return;
	}
	size_t out_len = 0;
	enum console_event ev = console_input(&s->cs, pkt, (size_t)n, out, sizeof(out), &out_len,
					      &r->rsp);
	switch (ev) {
	case CONSOLE_EV_SEND: send_pkt(r, s, out, out_len); break;
	case CONSOLE_EV_ACTIVE: on_active(r, s); break;
	case CONSOLE_EV_RESPONSE: on_response(r, s, &r->rsp); break;
	case CONSOLE_EV_FAILED:
		if (out_len)
			send_pkt(r, s, out, out_len);
		fprintf(stderr, "bench_loadgen: session refused, RMCP+ status 0x%02x\n",
			s->cs.status);
		r->st.refused++;
		s->phase = PH_DEAD;
		break;
	default: break;
	}
}

/* Requests unanswered for a second are counted and forgotten; a stuck handshake restarts. */
static void sweep_timeouts(struct run *r, int64_t now)
{
	for (int i = 0; i < r->n; i++) {
		struct sess *s = &r->s[i];
		if (r->o.mode == MODE_ECHO && r->o.rate <= 0) {
			if (now - s->last_sent > TIMEOUT_NS) {
				if (r->measuring)
					r->st.timeouts++;
				echo_send(r, s);
			}
			continue;
		}
		if (s->phase == PH_SETUP || s->phase == PH_CLOSING) {
			if (now - s->last_sent > TIMEOUT_NS && !r->stopping) {
				if (r->measuring)
					r->st.timeouts++;
				start_setup(r, s);
			}
			continue;
		}
		if (s->phase != PH_ACTIVE)
			continue;
		for (int q = 0; q < 64; q++) {
			if (!s->slot[q].busy || now - s->slot[q].due < TIMEOUT_NS)
				continue;
			s->slot[q].busy = false;
			s->in_flight--;
			if (r->measuring)
				r->st.timeouts++;
			if (r->o.mode == MODE_REQ)
				send_request(r, s, now);
		}
	}
}

/* ---- the open loop ---- */

/* --mode rate, or --mode echo with a --rate: requests go out on a schedule. */
static bool open_loop(const struct run *r)
{
	return r->o.mode == MODE_RATE || (r->o.mode == MODE_ECHO && r->o.rate > 0);
}

/* Sends every request that is due by `now`. Called before each wait and after each datagram
 * received, so a burst of replies to handle does not hold back the requests due meanwhile (a
 * late send would be charged to the server: latency counts from the due time). */
static void send_due(struct run *r, int64_t now)
{
	while (r->next_due <= now) {
		struct sess *s = NULL;
		for (int k = 0; k < r->n && !s; k++) {
			struct sess *c = &r->s[(r->rr + (unsigned)k) % (unsigned)r->n];
			if (c->phase == PH_ACTIVE && c->in_flight < r->o.outstanding)
				s = c;
		}
		r->rr++;
		bool sent = s && (r->o.mode == MODE_ECHO ? echo_send_seq(r, s, r->next_due) :
						   send_request(r, s, r->next_due));
		if (!sent) {
			if (r->measuring)
				r->st.backlog++; /* every session already has its window full */
		}
		r->sched_k++;
		r->next_due = r->sched_t0 + (int64_t)((double)r->sched_k * 1e9 / r->o.rate);
	}
}

/* ---- setup and the loop ---- */

static void open_sockets(struct run *r)
{
	r->ep = epoll_create1(0);
	if (r->ep < 0)
		die("epoll_create1");
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	r->real_to_mono = (int64_t)real.tv_sec * 1000000000LL + real.tv_nsec - now_ns();
	for (int i = 0; i < r->n; i++) {
		struct sess *s = &r->s[i];
		s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (s->fd < 0)
			die("socket");
		if (connect(s->fd, (struct sockaddr *)&r->addr, sizeof(r->addr)) < 0)
			die("connect");
		int on = 1;
		if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0)
			die("SO_TIMESTAMPNS");
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
		if (epoll_ctl(r->ep, EPOLL_CTL_ADD, s->fd, &ev) < 0)
			die("epoll_ctl");
	}
}

static void wait_events(struct run *r, int64_t until)
{
	struct epoll_event evs[64];
	int64_t left = until - now_ns();
	if (left < 0)
		left = 0;
	if (left > 100000000)
		left = 100000000;
	if (r->o.spin)
		left = 0;
	struct timespec ts = { .tv_sec = left / 1000000000, .tv_nsec = left % 1000000000 };
	int n = epoll_pwait2(r->ep, evs, 64, &ts, NULL);
	for (int i = 0; i < n; i++) {
		on_readable(r, evs[i].data.ptr);
		if (open_loop(r) && !r->stopping)
			send_due(r, now_ns());
	}
}

/* Opens every session (not measured); for the setup benchmark, just starts the cycles. */
static bool establish(struct run *r)
{
	if (r->o.mode == MODE_ECHO) {
		for (int i = 0; i < r->n; i++) {
			if (r->o.rate > 0)
				r->s[i].phase = PH_ACTIVE; /* the open loop sends on its schedule */
			else
				echo_send(r, &r->s[i]);
		}
		return true;
	}
	for (int i = 0; i < r->n; i++)
		start_setup(r, &r->s[i]);
	if (r->o.mode == MODE_SETUP)
		return true;
	int64_t deadline = now_ns() + 10 * TIMEOUT_NS;
	while (r->active < (uint64_t)r->n && now_ns() < deadline) {
		wait_events(r, deadline);
		for (int i = 0; i < r->n; i++) {
			if (r->s[i].phase == PH_DEAD)
				return false;
		}
	}
	return r->active == (uint64_t)r->n;
}

/* Closes every session and lets handshakes in progress finish and close, so the BMC's slots
 * are free for the next run (bounded by a deadline). */
static void close_all(struct run *r)
{
	int64_t deadline = now_ns() + 2 * TIMEOUT_NS;
	r->measuring = false;
	r->stopping = true;
	if (r->o.mode == MODE_ECHO)
		return;
	for (int i = 0; i < r->n; i++) {
		if (r->s[i].phase == PH_ACTIVE)
			send_close(r, &r->s[i]);
	}
	for (;;) {
		int open = 0;
		for (int i = 0; i < r->n; i++)
			open += r->s[i].phase != PH_DEAD;
		if (open == 0 || now_ns() >= deadline)
			return;
		wait_events(r, deadline);
	}
}

static int run_bench(struct run *r)
{
	open_sockets(r);
	if (!establish(r)) {
		fprintf(stderr, "bench_loadgen: could not open %d sessions (%llu active)\n", r->n,
			(unsigned long long)r->active);
		return 1;
	}
	int64_t t0 = now_ns(), t_meas = t0 + (int64_t)(r->o.warmup * 1e9);
	int64_t t_end = t_meas + (int64_t)(r->o.seconds * 1e9);
	int64_t last_sweep = t0;
	r->sched_t0 = r->next_due = t0;
	int64_t cpu0 = 0, self0 = 0, m0 = 0;
	for (;;) {
		int64_t now = now_ns();
		if (!r->measuring && now >= t_meas) {
			r->measuring = true;
			cpu0 = r->o.pid ? proc_cpu_us(r->o.pid) : 0;
			self0 = self_cpu_us();
			m0 = now;
		}
		if (now >= t_end)
			break;
		if (open_loop(r))
			send_due(r, now);
		if (now - last_sweep > 100000000) {
			sweep_timeouts(r, now);
			last_sweep = now;
		}
		wait_events(r, open_loop(r) ? r->next_due : t_end);
	}
	int64_t m1 = now_ns();
	int64_t cpu1 = r->o.pid ? proc_cpu_us(r->o.pid) : 0, self1 = self_cpu_us();
	r->measuring = false;
	double secs = (double)(m1 - m0) / 1e9;
	double ops = (double)r->st.ok;
	long rss = r->o.pid ? proc_status_kb(r->o.pid, "VmRSS") : -1;
	long hwm = r->o.pid ? proc_status_kb(r->o.pid, "VmHWM") : -1;
	long anon = r->o.pid ? proc_status_kb(r->o.pid, "RssAnon") : -1;
	close_all(r);
	printf("label=%s mode=%s cipher=%d sessions=%d outstanding=%d cmd=%s rate=%.0f secs=%.2f "
	       "ok=%llu errors=%llu timeouts=%llu backlog=%llu refused=%llu ops_per_s=%.0f "
	       "p50_us=%.0f p99_us=%.0f p999_us=%.0f server_cpu_us_per_op=%.2f "
	       "client_cpu_us_per_op=%.2f server_cpu_pct=%.1f rss_kb=%ld hwm_kb=%ld anon_kb=%ld\n",
	       r->o.label,
	       r->o.mode == MODE_REQ ? "req" : r->o.mode == MODE_RATE ? "rate" :
	       r->o.mode == MODE_SETUP ? "setup" : "echo",
	       r->o.cipher, r->n, r->o.outstanding, r->o.cmd_name, r->o.rate, secs,
	       (unsigned long long)r->st.ok, (unsigned long long)r->st.errors,
	       (unsigned long long)r->st.timeouts, (unsigned long long)r->st.backlog,
	       (unsigned long long)r->st.refused, ops / secs, percentile(&r->st, 0.50),
	       percentile(&r->st, 0.99), percentile(&r->st, 0.999),
	       ops > 0 && r->o.pid ? (double)(cpu1 - cpu0) / ops : 0,
	       ops > 0 ? (double)(self1 - self0) / ops : 0,
	       r->o.pid ? (double)(cpu1 - cpu0) / 1e4 / secs : 0, rss, hwm, anon);
	fflush(stdout);
	return (r->st.errors || r->st.timeouts || r->st.refused || r->st.ok == 0) ? 1 : 0;
}

/* ---- options ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_loadgen --port N --user U --password P [options]\n"
		"  --host ADDR         IPv4 address of the BMC (default 127.0.0.1)\n"
		"  --pid PID           the server process, for CPU and memory figures\n"
		"  --mode M            req (closed loop), rate (open loop), setup, echo (default req)\n"
		"  --cipher N          cipher suite 3 or 17 (default 17)\n"
		"  --sessions N        sessions in flight, 1..%d (default 1)\n"
		"  --outstanding N     requests in flight per session, 1..%d (default 1)\n"
		"  --rate R            open loop (rate, echo): requests per second over all sessions\n"
		"  --cmd C             devid (Get Device ID) or sensor:NUM (Get Sensor Reading)\n"
		"  --seconds S         measured interval (default 5)\n"
		"  --warmup S          unmeasured interval first (default 1)\n"
		"  --label L           copied to the output line\n"
		"  --spin              never sleep: poll the sockets in a loop, so the generator's own\n"
		"                      wake-ups neither delay its sends nor leave its vCPU to the server\n",
		MAX_SESSIONS, MAX_OUTSTANDING);
	exit(2);
}

static void parse_cmd(struct opts *o, const char *c)
{
	o->cmd_name = c;
	if (strcmp(c, "devid") == 0) {
		o->netfn = 0x06;
		o->cmd = 0x01;
		o->data_len = 0;
		return;
	}
	if (strncmp(c, "sensor:", 7) == 0) {
		o->netfn = 0x04;
		o->cmd = 0x2D;
		o->data[0] = (uint8_t)strtoul(c + 7, NULL, 0);
		o->data_len = 1;
		return;
	}
	usage();
}

static void parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "host", 1, NULL, 'H' }, { "port", 1, NULL, 'p' }, { "user", 1, NULL, 'U' },
		{ "password", 1, NULL, 'P' }, { "pid", 1, NULL, 'i' }, { "mode", 1, NULL, 'm' },
		{ "cipher", 1, NULL, 'C' }, { "sessions", 1, NULL, 'n' },
		{ "outstanding", 1, NULL, 'o' }, { "rate", 1, NULL, 'r' }, { "cmd", 1, NULL, 'c' },
		{ "seconds", 1, NULL, 's' }, { "warmup", 1, NULL, 'w' }, { "label", 1, NULL, 'l' },
		{ "spin", 0, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct opts){ .host = "127.0.0.1", .cipher = 17, .sessions = 1, .outstanding = 1,
			    .seconds = 5, .warmup = 1, .label = "-" };
	parse_cmd(o, "devid");
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'H': o->host = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 'U': o->user = optarg; break;
		case 'P': o->password = optarg; break;
		case 'i': o->pid = atoi(optarg); break;
		case 'm':
			if (strcmp(optarg, "req") == 0)
				o->mode = MODE_REQ;
			else if (strcmp(optarg, "rate") == 0)
				o->mode = MODE_RATE;
			else if (strcmp(optarg, "setup") == 0)
				o->mode = MODE_SETUP;
			else if (strcmp(optarg, "echo") == 0)
				o->mode = MODE_ECHO;
			else
				usage();
			break;
		case 'C': o->cipher = atoi(optarg); break;
		case 'n': o->sessions = atoi(optarg); break;
		case 'o': o->outstanding = atoi(optarg); break;
		case 'r': o->rate = atof(optarg); break;
		case 'c': parse_cmd(o, optarg); break;
		case 's': o->seconds = atof(optarg); break;
		case 'w': o->warmup = atof(optarg); break;
		case 'l': o->label = optarg; break;
		case 'S': o->spin = true; break;
		default: usage();
		}
	}
	if (o->mode == MODE_ECHO && !o->user)
		o->user = o->password = "-";
	if (optind != argc || o->port <= 0 || o->port > 65535 || !o->user || !o->password ||
	    o->sessions < 1 || o->sessions > MAX_SESSIONS || o->outstanding < 1 ||
	    o->outstanding > MAX_OUTSTANDING || o->seconds <= 0 || o->warmup < 0 ||
	    (o->mode == MODE_RATE && o->rate <= 0) || (o->cipher != 3 && o->cipher != 17))
		usage();
}

int main(int argc, char **argv)
{
	static struct run r;
	parse_options(argc, argv, &r.o);
	r.addr.sin_family = AF_INET;
	r.addr.sin_port = htons((uint16_t)r.o.port);
	if (inet_pton(AF_INET, r.o.host, &r.addr.sin_addr) != 1)
		usage();
	r.n = r.o.sessions;
	r.next_due = INT64_MAX; /* nothing is due until the open loop's schedule starts */
	r.s = calloc((size_t)r.n, sizeof(*r.s));
	r.st.hist = calloc(HIST_MAX_US, sizeof(*r.st.hist));
	if (!r.s || !r.st.hist)
		die("calloc");
	int rc = run_bench(&r);
	for (int i = 0; i < r.n; i++) {
		console_session_wipe(&r.s[i].cs);
		close(r.s[i].fd);
	}
	free(r.s);
	free(r.st.hist);
	return rc;
}
