/* The QEMU platform: the VM's process, the ipmi-bmc-extern connection and the simulated
 * environment around them. See qemu.h for the behaviour and docs/qemu.md for the user's view.
 *
 * Handles: the listening Unix socket, at most one connection (a new one replaces the old: QEMU
 * reconnects after its side saw the old one die), at most one QEMU child, a kill timer and a
 * cycle timer; QEMU's QMP monitor socket is qmp.c's. Connections and children are heap objects
 * with a back pointer that is cleared when the platform lets go of them, so a late callback finds
 * NULL and only closes. */
#include "platform/qemu/qemu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "platform/qemu/qmp.h"
#include "platform/qemu/vmcodec.h"

/* A peer that does not read what we send is dropped rather than buffered without bound. */
#define QEMU_WRITE_QUEUE_MAX (256 * 1024)
#define QEMU_READ_BUF 4096
#define QEMU_CHARDEV_ID "softbmc-ipmi"
#define QEMU_BMC_ID "softbmc-bmc"
/* SeaBIOS answers a warm reset by resetting the machine once more to run its POST from scratch
 * ("Attempting a hard reboot"): QMP reports a second RESET about 40 ms after the first. A RESET
 * this soon after another belongs to the same restart. */
#define QEMU_RESET_SETTLE (2 * USEC_PER_SEC)

enum qemu_pending {
	QEMU_PENDING_NONE,
	QEMU_PENDING_CYCLE_EXIT,   /* power cycle: waiting for QEMU to exit, then the interval */
	QEMU_PENDING_RESTART_EXIT, /* power on asked while QEMU exits: start again at once */
	QEMU_PENDING_CYCLE_ON,     /* power cycle: the off interval is running */
};

struct platform_qemu;

struct vm_conn {
	uv_pipe_t pipe;
	struct platform_qemu *q; /* NULL once the platform let go of it */
	struct vm_decoder dec;
	bool have_caps;
	uint8_t caps;
	bool irq_known, irq_sent, attn_known, attn_sent;
};

struct vm_proc {
	uv_process_t h;
	struct platform_qemu *q; /* NULL once the platform let go of it */
};

struct platform_qemu {
	struct platform base;
	uv_loop_t *loop;
	char *script; /* "exec COMMAND \"$@\"" */
	char *socket_path;
	char *pidfile;
	char *chardev; /* the -chardev argument */
	usec_t kill_wait;
	usec_t cycle_off_interval;
	struct platform *sim;
	bool in_sim; /* we are driving sim's power: its callbacks only echo us */
	uv_pipe_t listener;
	bool bound; /* the socket file is ours to remove */
	uv_timer_t kill_timer;
	uv_timer_t cycle_timer;
	unsigned open_handles; /* of the three above */
	struct vm_conn *conn;
	struct vm_proc *proc;
	struct qmp *qmp;
	unsigned resets_expected; /* resets the BMC asked for whose QMP event has not come yet */
	usec_t last_reset_at;     /* monotonic: the last reset, ours or the guest's; 0 = none */
	bool stopping; /* an off was sent: the coming exit is expected */
	enum qemu_pending pending;
	bool irq_enabled, attention; /* what the BMC wants the host to see */
	uint8_t rxbuf[QEMU_READ_BUF];
};

static struct platform_qemu *to_qemu(struct platform *p)
{
	return (struct platform_qemu *)p;
}

static uint64_t usec_to_msec(usec_t t)
{
	return (t + USEC_PER_MSEC - 1) / USEC_PER_MSEC;
}

/* ---- the connection ---------------------------------------------------------------------- */

struct vm_write {
	uv_write_t req;
	size_t len;
	uint8_t data[];
};

static void conn_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Lets go of the connection; it is freed once closed. */
static void conn_drop(struct platform_qemu *q, const char *why)
{
	struct vm_conn *c = q->conn;
	if (!c)
		return;
	q->conn = NULL;
	c->q = NULL;
	log_info("qemu: ipmi-bmc-extern connection closed (%s)", why);
	uv_close((uv_handle_t *)&c->pipe, conn_closed);
}

static void conn_write_done(uv_write_t *req, int status)
{
	(void)status; /* a failed write shows as a read error or EOF too */
	free(req->data);
}

static void conn_write(struct platform_qemu *q, const uint8_t *bytes, size_t len)
{
	struct vm_conn *c = q->conn;
	if (!c || len == 0)
		return;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) > QEMU_WRITE_QUEUE_MAX) {
		conn_drop(q, "the peer does not read");
		return;
	}
	struct vm_write *w = malloc(sizeof(*w) + len);
	if (!w) {
		conn_drop(q, "out of memory");
		return;
	}
	memcpy(w->data, bytes, len);
	w->len = len;
	w->req.data = w;
	uv_buf_t buf = uv_buf_init((char *)w->data, (unsigned)len);
	int r = uv_write(&w->req, (uv_stream_t *)&c->pipe, &buf, 1, conn_write_done);
	if (r < 0) {
		free(w);
		conn_drop(q, uv_strerror(r));
	}
}

static void conn_send_cmd(struct platform_qemu *q, enum vm_cmd cmd, const uint8_t *args,
			  size_t n_args)
{
	uint8_t wire[8];
	conn_write(q, wire, vm_encode_cmd(wire, sizeof(wire), cmd, args, n_args));
}

/* Can the connected QEMU do this? (Only advertised operations are sent.) */
static bool conn_can(const struct platform_qemu *q, uint8_t cap)
{
	return q->conn && q->conn->have_caps && (q->conn->caps & cap);
}

/* Brings QEMU's interrupt enable and SMS_ATN in line with what the BMC wants. */
static void conn_sync_signals(struct platform_qemu *q)
{
	struct vm_conn *c = q->conn;
	if (!c || !c->have_caps)
		return;
	if ((c->caps & VM_CAPS_IRQ) && (!c->irq_known || c->irq_sent != q->irq_enabled)) {
		conn_send_cmd(q, q->irq_enabled ? VM_CMD_ENABLE_IRQ : VM_CMD_DISABLE_IRQ, NULL, 0);
		if (!(c = q->conn))
			return;
		c->irq_known = true;
		c->irq_sent = q->irq_enabled;
	}
	if ((c->caps & VM_CAPS_ATTN) && (!c->attn_known || c->attn_sent != q->attention)) {
		enum vm_cmd cmd = !q->attention ? VM_CMD_NOATTN :
				  q->irq_enabled ? VM_CMD_ATTN_IRQ : VM_CMD_ATTN;
		conn_send_cmd(q, cmd, NULL, 0);
		if (!(c = q->conn))
			return;
		c->attn_known = true;
		c->attn_sent = q->attention;
	}
}

/* One request from the guest: answered at once through the IPMI command table. */
static void conn_on_msg(struct platform_qemu *q, const uint8_t *frame, size_t len)
{
	/* seq + the longest response the dispatcher makes (netFn, cmd, cc, 256 data bytes) */
	uint8_t rsp[VM_FRAME_MAX - 1];
	uint8_t wire[VM_WIRE_MAX];

	if (len < 3 || !q->base.cb.sysif_request)
		return;
	rsp[0] = frame[0]; /* the message id goes back unchanged */
	size_t n = q->base.cb.sysif_request(q->base.cb.arg, frame + 1, len - 1, rsp + 1,
					    sizeof(rsp) - 1);
	if (n == 0)
		return;
	conn_write(q, wire, vm_encode_msg(wire, sizeof(wire), rsp, n + 1));
}

static void conn_on_cmd(struct platform_qemu *q, const uint8_t *frame, size_t len)
{
	struct vm_conn *c = q->conn;
	switch (frame[0]) {
	case VM_CMD_VERSION:
		log_debug("qemu: peer speaks protocol version %u", len > 1 ? frame[1] : 0);
		break;
	case VM_CMD_CAPABILITIES:
		if (len < 2)
			break;
		c->have_caps = true;
		c->caps = frame[1];
		log_info("qemu: ipmi-bmc-extern connected (capabilities 0x%02x)", c->caps);
		conn_sync_signals(q);
		break;
	case VM_CMD_RESET: /* "the VM was reset" (defined; QEMU 7.2 never sends it) */
		if (q->base.cb.reset)
			q->base.cb.reset(q->base.cb.arg);
		break;
	default:
		break; /* unknown opcodes are ignored, as both QEMU and ipmi_sim do */
	}
}

static void conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct vm_conn *c = h->data;
	(void)suggested;
	if (!c->q) {
		*buf = uv_buf_init(NULL, 0);
		return;
	}
	*buf = uv_buf_init((char *)c->q->rxbuf, sizeof(c->q->rxbuf));
}

static void conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct vm_conn *c = s->data;
	struct platform_qemu *q = c->q;

	if (!q)
		return;
	if (nread < 0) {
		conn_drop(q, nread == UV_EOF ? "QEMU closed it" : uv_strerror((int)nread));
		return;
	}
	for (ssize_t i = 0; i < nread && q->conn == c; i++) {
		const uint8_t *frame;
		size_t len;
		switch (vm_decoder_feed(&c->dec, (uint8_t)buf->base[i], &frame, &len)) {
		case VM_FRAME_MSG:
			conn_on_msg(q, frame, len);
			break;
		case VM_FRAME_CMD:
			conn_on_cmd(q, frame, len);
			break;
		case VM_FRAME_DROPPED:
			log_debug("qemu: dropped a malformed frame");
			break;
		case VM_FRAME_NONE:
			break;
		}
	}
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct platform_qemu *q = listener->data;
	if (status < 0) {
		log_warn("qemu: accept on %s: %s", q->socket_path, uv_strerror(status));
		return;
	}
	struct vm_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	uv_pipe_init(q->loop, &c->pipe, 0);
	c->pipe.data = c;
	if (uv_accept(listener, (uv_stream_t *)&c->pipe) < 0) {
		uv_close((uv_handle_t *)&c->pipe, conn_closed);
		return;
	}
	if (q->conn)
		conn_drop(q, "replaced by a new connection");
	c->q = q;
	vm_decoder_init(&c->dec);
	q->conn = c;
	uint8_t version = VM_PROTOCOL_VERSION;
	conn_send_cmd(q, VM_CMD_VERSION, &version, 1);
	if (q->conn && uv_read_start((uv_stream_t *)&c->pipe, conn_alloc, conn_read) < 0)
		conn_drop(q, "cannot read");
}

/* ---- the QEMU process -------------------------------------------------------------------- */

static int qemu_spawn(struct platform_qemu *q);
static void on_cycle_timer(uv_timer_t *t);

/* Drives the simulated environment's power without hearing our own echo. */
static void environment_power(struct platform_qemu *q, enum platform_power_action a)
{
	q->in_sim = true;
	platform_power(q->sim, a);
	q->in_sim = false;
}

static void proc_closed(uv_handle_t *h)
{
	free(h->data);
}

static void report_power(struct platform_qemu *q, bool on)
{
	if (q->base.cb.power_changed)
		q->base.cb.power_changed(q->base.cb.arg, on);
}

static void on_qemu_exit(uv_process_t *h, int64_t status, int term_signal)
{
	struct vm_proc *vp = h->data;
	struct platform_qemu *q = vp->q;
	int pid = h->pid;

	uv_close((uv_handle_t *)h, proc_closed);
	if (!q)
		return;
	q->proc = NULL;
	uv_timer_stop(&q->kill_timer);
	if (term_signal)
		log_info("qemu: process %d ended by signal %d%s", pid, term_signal,
			 q->stopping ? "" : " (not asked for)");
	else
		log_info("qemu: process %d exited with status %lld%s", pid, (long long)status,
			 q->stopping ? "" : " (the guest powered off, or QEMU stopped on its own)");
	q->stopping = false;
	environment_power(q, PLATFORM_POWER_OFF);
	enum qemu_pending next = q->pending;
	q->pending = QEMU_PENDING_NONE;
	if (next == QEMU_PENDING_CYCLE_EXIT) {
		q->pending = QEMU_PENDING_CYCLE_ON;
		uv_timer_start(&q->cycle_timer, on_cycle_timer, usec_to_msec(q->cycle_off_interval),
			       0);
	}
	report_power(q, false);
	if (next == QEMU_PENDING_RESTART_EXIT && qemu_spawn(q) == 0)
		report_power(q, true);
}

static void on_cycle_timer(uv_timer_t *t)
{
	struct platform_qemu *q = t->data;
	if (q->pending != QEMU_PENDING_CYCLE_ON)
		return;
	q->pending = QEMU_PENDING_NONE;
	if (qemu_spawn(q) == 0)
		report_power(q, true);
}

/* QEMU's -boot value for the boot device the BMC's boot flags ask for: "once=" for this boot
 * only, "order=" for every boot of this QEMU (SeaBIOS asks the BMC nothing, so the override
 * is given on its command line). NULL: QEMU's own order. */
static const char *boot_arg(struct platform_qemu *q, char *buf, size_t cap)
{
	bool persistent = false;
	enum platform_boot_device d = q->base.cb.boot_device ?
		q->base.cb.boot_device(q->base.cb.arg, &persistent) : PLATFORM_BOOT_DEFAULT;
	char drive;

	switch (d) {
	case PLATFORM_BOOT_PXE: drive = 'n'; break;
	case PLATFORM_BOOT_DISK: drive = 'c'; break;
	case PLATFORM_BOOT_CDROM: drive = 'd'; break;
	case PLATFORM_BOOT_FLOPPY: drive = 'a'; break;
	case PLATFORM_BOOT_BIOS_SETUP:
		log_info("qemu: boot override to BIOS setup: QEMU's firmware has none, default order");
		return NULL;
	default: return NULL;
	}
	snprintf(buf, cap, "%s=%c", persistent ? "order" : "once", drive);
	log_info("qemu: boot override: -boot %s", buf);
	return buf;
}

/* Starts QEMU and powers the environment on. */
static int qemu_spawn(struct platform_qemu *q)
{
	/* The environment first: with no AC on any PSU there is nothing to power on with. */
	q->in_sim = true;
	int r = platform_power(q->sim, PLATFORM_POWER_ON);
	q->in_sim = false;
	if (r < 0) {
		log_warn("qemu: not started: the server has no power (%s)", strerror(-r));
		return r;
	}
	struct vm_proc *vp = calloc(1, sizeof(*vp));
	if (!vp) {
		environment_power(q, PLATFORM_POWER_OFF);
		return -ENOMEM;
	}
	char boot_buf[16];
	const char *boot = boot_arg(q, boot_buf, sizeof(boot_buf));
	char *args[] = {
		"/bin/sh", "-c", q->script, "softbmcd-qemu",
		"-chardev", q->chardev,
		"-device", "ipmi-bmc-extern,chardev=" QEMU_CHARDEV_ID ",id=" QEMU_BMC_ID,
		"-device", "isa-ipmi-kcs,bmc=" QEMU_BMC_ID,
		"-pidfile", q->pidfile,
		"-chardev", (char *)qmp_chardev_arg(q->qmp),
		"-mon", "chardev=" QMP_CHARDEV_ID ",mode=control",
		boot ? "-boot" : NULL, (char *)boot,
		NULL,
	};
	uv_stdio_container_t stdio[3] = {
		{ .flags = UV_IGNORE },
		{ .flags = UV_INHERIT_FD, .data.fd = STDERR_FILENO },
		{ .flags = UV_INHERIT_FD, .data.fd = STDERR_FILENO },
	};
	uv_process_options_t opt = {
		.exit_cb = on_qemu_exit,
		.file = "/bin/sh",
		.args = args,
		.stdio_count = 3,
		.stdio = stdio,
	};
	vp->h.data = vp;
	r = uv_spawn(q->loop, &vp->h, &opt);
	if (r < 0) {
		log_err("qemu: cannot start /bin/sh: %s", uv_strerror(r));
		uv_close((uv_handle_t *)&vp->h, proc_closed);
		environment_power(q, PLATFORM_POWER_OFF);
		return -EIO;
	}
	vp->q = q;
	q->proc = vp;
	q->stopping = false;
	q->resets_expected = 0;
	q->last_reset_at = 0;
	log_info("qemu: started, pid %d", vp->h.pid);
	return 0;
}

static void on_kill_timer(uv_timer_t *t)
{
	struct platform_qemu *q = t->data;
	if (!q->proc)
		return;
	log_warn("qemu: process %d still running %llu ms after power off: SIGKILL", q->proc->h.pid,
		 (unsigned long long)usec_to_msec(q->kill_wait));
	uv_process_kill(&q->proc->h, SIGKILL);
}

/* Power off: QEMU's own shutdown when connected, else SIGTERM; SIGKILL after kill_wait. */
static void qemu_stop(struct platform_qemu *q, const char *why)
{
	if (!q->proc || q->stopping)
		return;
	q->stopping = true;
	log_info("qemu: powering off (%s)", why);
	if (conn_can(q, VM_CAPS_POWER))
		conn_send_cmd(q, VM_CMD_POWEROFF, NULL, 0);
	else
		uv_process_kill(&q->proc->h, SIGTERM);
	uv_timer_start(&q->kill_timer, on_kill_timer, usec_to_msec(q->kill_wait), 0);
}

/* ---- platform operations ----------------------------------------------------------------- */

static int qemu_power_on(struct platform_qemu *q)
{
	if (q->proc) {
		if (q->stopping)
			q->pending = QEMU_PENDING_RESTART_EXIT; /* on again once it has gone */
		return 0;
	}
	if (q->pending == QEMU_PENDING_CYCLE_ON) {
		uv_timer_stop(&q->cycle_timer); /* on now instead of at the end of the interval */
		q->pending = QEMU_PENDING_NONE;
	}
	int r = qemu_spawn(q);
	if (r == 0)
		report_power(q, true);
	return r;
}

static int qemu_power_off(struct platform_qemu *q)
{
	if (q->pending == QEMU_PENDING_CYCLE_ON)
		uv_timer_stop(&q->cycle_timer);
	q->pending = QEMU_PENDING_NONE;
	qemu_stop(q, "power off");
	return 0;
}

static int qemu_power_cycle(struct platform_qemu *q)
{
	if (!q->proc || q->stopping)
		return -EAGAIN;
	q->pending = QEMU_PENDING_CYCLE_EXIT;
	qemu_stop(q, "power cycle");
	return 0;
}

/* Reset, NMI and the power button are messages to QEMU: they need a connected, able peer. */
static int qemu_send_op(struct platform_qemu *q, uint8_t cap, enum vm_cmd cmd, const char *what)
{
	if (!q->proc || q->stopping || !conn_can(q, cap))
		return -EAGAIN;
	log_info("qemu: %s", what);
	conn_send_cmd(q, cmd, NULL, 0);
	return 0;
}

static int qemu_power(struct platform *p, enum platform_power_action action)
{
	struct platform_qemu *q = to_qemu(p);
	int r;

	switch (action) {
	case PLATFORM_POWER_OFF:
		return qemu_power_off(q);
	case PLATFORM_POWER_ON:
		return qemu_power_on(q);
	case PLATFORM_POWER_CYCLE:
		return qemu_power_cycle(q);
	case PLATFORM_POWER_RESET:
		r = qemu_send_op(q, VM_CAPS_RESET, VM_CMD_RESET, "hard reset");
		if (r == 0 && qmp_ready(q->qmp))
			q->resets_expected++; /* QMP will report it too: not the guest's own */
		if (r == 0)
			q->last_reset_at = now_monotonic();
		if (r == 0 && q->base.cb.reset)
			q->base.cb.reset(q->base.cb.arg);
		return r;
	case PLATFORM_POWER_DIAG:
		return qemu_send_op(q, VM_CAPS_NMI, VM_CMD_SEND_NMI, "diagnostic interrupt (NMI)");
	case PLATFORM_POWER_SOFT:
		return qemu_send_op(q, VM_CAPS_GRACEFUL_SHUTDOWN, VM_CMD_GRACEFUL_SHUTDOWN,
				    "ACPI power button (soft off)");
	case PLATFORM_POWER_ACTION_MAX:
		break;
	}
	return -EINVAL;
}

static bool qemu_power_is_on(const struct platform *p)
{
	return ((const struct platform_qemu *)p)->proc != NULL;
}

static int qemu_sensor_read(struct platform *p, const char *input, double *ret_value)
{
	return platform_sensor_read(to_qemu(p)->sim, input, ret_value);
}

static int qemu_sensor_event_data(struct platform *p, const char *input, uint8_t offset,
				  uint8_t *ret_data2, uint8_t *ret_data3)
{
	return platform_sensor_event_data(to_qemu(p)->sim, input, offset, ret_data2, ret_data3);
}

static void qemu_sysif_signal(struct platform *p, bool irq_enabled, bool attention)
{
	struct platform_qemu *q = to_qemu(p);
	q->irq_enabled = irq_enabled;
	q->attention = attention;
	conn_sync_signals(q);
}

/* ---- the simulated environment's callbacks ----------------------------------------------- */

static void env_power_changed(void *arg, bool on)
{
	struct platform_qemu *q = arg;
	if (q->in_sim)
		return;
	/* The environment changed power by itself: a fault cut it, or the control socket's
	 * "power" command. The VM follows. */
	if (!on)
		qemu_stop(q, "the server lost power");
	else if (!q->proc)
		qemu_power_on(q);
}

static void env_reset(void *arg)
{
	struct platform_qemu *q = arg;
	if (!q->in_sim)
		qemu_power(&q->base, PLATFORM_POWER_RESET);
}

static void env_power_fault(void *arg, enum platform_power_fault why)
{
	struct platform_qemu *q = arg;
	if (q->proc && q->base.cb.power_fault)
		q->base.cb.power_fault(q->base.cb.arg, why);
}

static void env_stepped(void *arg)
{
	struct platform_qemu *q = arg;
	if (q->base.cb.stepped)
		q->base.cb.stepped(q->base.cb.arg);
}

/* QMP: a RESET the BMC did not ask for is the guest's own (a reboot); tell the BMC. */
static void on_qmp_event(void *arg, const char *event, bool guest)
{
	struct platform_qemu *q = arg;

	log_debug("qemu: QMP event %s%s", event, guest ? " (guest)" : "");
	if (strcmp(event, "RESET") != 0 || !q->proc || q->stopping)
		return;
	usec_t now = now_monotonic(), last = q->last_reset_at;
	q->last_reset_at = now;
	if (q->resets_expected) {
		q->resets_expected--; /* the BMC's own reset */
		return;
	}
	if (last && now - last < QEMU_RESET_SETTLE)
		return; /* the firmware's second reset of the same restart */
	log_info("qemu: the VM was reset (%s)", guest ? "by the guest" : "by QEMU");
	if (q->base.cb.reset)
		q->base.cb.reset(q->base.cb.arg);
}

/* ---- life cycle -------------------------------------------------------------------------- */

static void handle_closed(uv_handle_t *h)
{
	struct platform_qemu *q = h->data;
	if (--q->open_handles == 0) {
		free(q->script);
		free(q->socket_path);
		free(q->pidfile);
		free(q->chardev);
		free(q);
	}
}

static void qemu_free(struct platform *p)
{
	struct platform_qemu *q = to_qemu(p);

	q->base.cb = (struct platform_callbacks){ 0 };
	if (q->proc) {
		/* The daemon is going: QEMU goes too, without waiting for it. */
		log_info("qemu: stopping process %d with the daemon", q->proc->h.pid);
		uv_process_kill(&q->proc->h, SIGTERM);
		q->proc->q = NULL;
		uv_close((uv_handle_t *)&q->proc->h, proc_closed);
		q->proc = NULL;
	}
	conn_drop(q, "the daemon stops");
	qmp_free(q->qmp);
	q->qmp = NULL;
	platform_free(q->sim);
	q->sim = NULL;
	if (q->bound)
		unlink(q->socket_path);
	uv_close((uv_handle_t *)&q->listener, handle_closed);
	uv_close((uv_handle_t *)&q->kill_timer, handle_closed);
	uv_close((uv_handle_t *)&q->cycle_timer, handle_closed);
}

static const struct platform_ops qemu_ops = {
	.name = "qemu",
	.power = qemu_power,
	.power_is_on = qemu_power_is_on,
	.free = qemu_free,
	.sensor_read = qemu_sensor_read,
	.sensor_event_data = qemu_sensor_event_data,
	.sysif_signal = qemu_sysif_signal,
};

bool platform_is_qemu(const struct platform *p)
{
	return p && p->ops == &qemu_ops;
}

struct platform *platform_qemu_environment(struct platform *p)
{
	return platform_is_qemu(p) ? to_qemu(p)->sim : NULL;
}

static int listener_start(struct platform_qemu *q)
{
	return qemu_socket_listen(&q->listener, q->socket_path, on_connection, &q->bound);
}

static int qemu_strings(struct platform_qemu *q, const struct platform_qemu_config *cfg)
{
	static const char pre[] = "exec ", post[] = " \"$@\"";
	size_t n = strlen(cfg->command);
	q->script = malloc(sizeof(pre) + n + sizeof(post));
	if (q->script)
		snprintf(q->script, sizeof(pre) + n + sizeof(post), "%s%s%s", pre, cfg->command,
			 post);
	q->socket_path = strdup(cfg->socket_path);
	q->pidfile = strdup(cfg->pidfile);
	q->chardev = qemu_socket_chardev(QEMU_CHARDEV_ID, cfg->socket_path);
	return q->script && q->socket_path && q->pidfile && q->chardev ? 0 : -ENOMEM;
}

int platform_qemu_new(uv_loop_t *loop, const struct platform_qemu_config *cfg,
		      const struct platform_sim_config *sim_cfg, struct platform_callbacks cb,
		      struct platform **ret)
{
	struct platform_qemu *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->base.ops = &qemu_ops;
	q->base.cb = cb;
	q->loop = loop;
	q->kill_wait = cfg->kill_wait;
	q->cycle_off_interval = cfg->cycle_off_interval;
	uv_pipe_init(loop, &q->listener, 0);
	uv_timer_init(loop, &q->kill_timer);
	uv_timer_init(loop, &q->cycle_timer);
	q->listener.data = q->kill_timer.data = q->cycle_timer.data = q;
	q->open_handles = 3;
	struct platform_callbacks env_cb = {
		.arg = q,
		.power_changed = env_power_changed,
		.reset = env_reset,
		.power_fault = env_power_fault,
		.stepped = env_stepped,
	};
	int r = qemu_strings(q, cfg);
	if (r == 0) {
		q->sim = platform_sim_new(loop, sim_cfg, env_cb);
		r = q->sim ? 0 : -ENOMEM;
	}
	if (r == 0)
		r = listener_start(q);
	if (r == 0)
		r = qmp_new(loop, cfg->qmp_path, on_qmp_event, q, &q->qmp);
	if (r < 0) {
		qemu_free(&q->base);
		return r;
	}
	*ret = &q->base;
	return 0;
}
