/* QEMU's machine protocol: the listening socket, at most one connection (a new one replaces
 * the old), line assembly and the events (qmp.h). A connection is a heap object with a back
 * pointer cleared when it is let go, so a late callback finds NULL and only closes. */
#include "platform/qemu/qmp.h"

#include <dlfcn.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

struct qmp_conn {
	uv_pipe_t pipe;
	struct qmp *m; /* NULL once let go */
	size_t len;
	bool skipping; /* the line in progress is too long: drop it up to its newline */
	char line[QMP_LINE_MAX];
};

struct qmp {
	uv_pipe_t listener;
	char *path;
	char *chardev;
	bool bound;
	qmp_event_fn fn;
	void *arg;
	struct qmp_conn *conn;
	bool ready;
	char rx[4096];
};

static const char capabilities[] = "{\"execute\": \"qmp_capabilities\"}\n";

/* jansson parses QEMU's lines, but only QEMU users should map it: softbmcd itself links no JSON
 * library (the web module brings its own), so the four functions used here are looked up in
 * libjansson when the platform starts (as src/web/module.c loads the web module). */
static struct {
	bool tried, ok;
	json_t *(*loadb)(const char *, size_t, size_t, json_error_t *);
	json_t *(*object_get)(const json_t *, const char *);
	const char *(*string_value)(const json_t *);
	void (*delete_)(json_t *); /* what json_decref calls when the count drops to 0 */
} json_fn;

static bool jansson_load(void)
{
	if (json_fn.tried)
		return json_fn.ok;
	json_fn.tried = true;
	void *h = dlopen("libjansson.so.4", RTLD_NOW | RTLD_LOCAL);
	if (h) {
		*(void **)&json_fn.loadb = dlsym(h, "json_loadb");
		*(void **)&json_fn.object_get = dlsym(h, "json_object_get");
		*(void **)&json_fn.string_value = dlsym(h, "json_string_value");
		*(void **)&json_fn.delete_ = dlsym(h, "json_delete");
	}
	json_fn.ok = json_fn.loadb && json_fn.object_get && json_fn.string_value && json_fn.delete_;
	if (!json_fn.ok)
		log_err("qemu: cannot use libjansson.so.4 (%s): guest resets will go unseen",
			h ? "a function is missing" : dlerror());
	return json_fn.ok;
}

char *qemu_socket_chardev(const char *id, const char *path)
{
	static const char a[] = "socket,id=", b[] = ",reconnect=1,path=";
	size_t n = strlen(path);
	char *s = malloc(sizeof(a) + strlen(id) + sizeof(b) + 2 * n);
	if (!s)
		return NULL;
	char *o = stpcpy(stpcpy(stpcpy(s, a), id), b);
	for (size_t i = 0; i < n; i++) { /* QEMU's option parser: a comma in a value is doubled */
		*o++ = path[i];
		if (path[i] == ',')
			*o++ = ',';
	}
	*o = '\0';
	return s;
}

int qemu_socket_listen(uv_pipe_t *listener, const char *path, uv_connection_cb cb, bool *bound)
{
	struct stat st;
	int r = 0;

	*bound = false;
	if (lstat(path, &st) == 0)
		r = !S_ISSOCK(st.st_mode) ? -EEXIST : unlink(path) < 0 ? -errno : 0;
	else if (errno != ENOENT)
		r = -errno;
	if (r == 0) {
		mode_t old = umask(0077); /* only the daemon's user (and QEMU, run as it) connects */
		r = uv_pipe_bind(listener, path);
		umask(old);
		*bound = r == 0;
	}
	if (r == 0)
		r = uv_listen((uv_stream_t *)listener, 1, cb);
	if (r < 0)
		log_err("qemu: cannot listen on %s: %s", path,
			r == -EEXIST ? "exists and is not a socket" : strerror(-r));
	return r;
}

bool qmp_parse_line(const char *line, size_t len, qmp_event_fn fn, void *arg)
{
	if (!jansson_load())
		return false;
	json_t *j = json_fn.loadb(line, len, 0, NULL); /* one object per line, nothing after it */
	bool greeting = false;

	if (!j)
		return false;
	if (json_is_object(j)) {
		const char *event = json_fn.string_value(json_fn.object_get(j, "event"));
		if (json_fn.object_get(j, "QMP")) {
			greeting = true;
		} else if (event && fn) {
			json_t *data = json_fn.object_get(j, "data");
			fn(arg, event, json_is_true(json_fn.object_get(data, "guest")));
		}
	}
	json_fn.delete_(j); /* ours alone: json_loadb's reference is the only one */
	return greeting;
}

static void conn_closed(uv_handle_t *h)
{
	free(h->data);
}

static void conn_drop(struct qmp *m, const char *why)
{
	struct qmp_conn *c = m->conn;
	if (!c)
		return;
	m->conn = NULL;
	m->ready = false;
	c->m = NULL;
	log_info("qemu: QMP connection closed (%s)", why);
	uv_close((uv_handle_t *)&c->pipe, conn_closed);
}

static void write_done(uv_write_t *req, int status)
{
	(void)status; /* a failed write shows as a read error or EOF too */
	free(req);
}

static void send_capabilities(struct qmp *m)
{
	uv_write_t *req = malloc(sizeof(*req));
	uv_buf_t b = uv_buf_init((char *)capabilities, sizeof(capabilities) - 1);
	if (!req || uv_write(req, (uv_stream_t *)&m->conn->pipe, &b, 1, write_done) < 0) {
		free(req);
		conn_drop(m, "cannot write");
		return;
	}
	m->ready = true; /* QEMU answers {"return": {}}; events follow whatever it says */
}

static void on_line(struct qmp *m, const char *line, size_t len)
{
	if (qmp_parse_line(line, len, m->fn, m->arg) && m->conn) {
		log_info("qemu: QMP connected");
		send_capabilities(m);
	}
}

static void conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct qmp_conn *c = h->data;
	(void)suggested;
	*buf = c->m ? uv_buf_init(c->m->rx, sizeof(c->m->rx)) : uv_buf_init(NULL, 0);
}

static void conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct qmp_conn *c = s->data;
	struct qmp *m = c->m;

	if (!m)
		return;
	if (nread < 0) {
		conn_drop(m, nread == UV_EOF ? "QEMU closed it" : uv_strerror((int)nread));
		return;
	}
	for (ssize_t i = 0; i < nread && m->conn == c; i++) {
		char ch = buf->base[i];
		if (ch == '\n') {
			if (!c->skipping && c->len)
				on_line(m, c->line, c->len);
			c->len = 0;
			c->skipping = false;
		} else if (c->len < sizeof(c->line)) {
			c->line[c->len++] = ch;
		} else if (!c->skipping) {
			log_debug("qemu: QMP line over %d bytes skipped", QMP_LINE_MAX);
			c->skipping = true;
		}
	}
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct qmp *m = listener->data;
	if (status < 0) {
		log_warn("qemu: accept on %s: %s", m->path, uv_strerror(status));
		return;
	}
	struct qmp_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	uv_pipe_init(listener->loop, &c->pipe, 0);
	c->pipe.data = c;
	if (uv_accept(listener, (uv_stream_t *)&c->pipe) < 0) {
		uv_close((uv_handle_t *)&c->pipe, conn_closed);
		return;
	}
	if (m->conn)
		conn_drop(m, "replaced by a new connection");
	c->m = m;
	m->conn = c;
	if (uv_read_start((uv_stream_t *)&c->pipe, conn_alloc, conn_read) < 0)
		conn_drop(m, "cannot read");
}

static void listener_closed(uv_handle_t *h)
{
	struct qmp *m = h->data;
	free(m->path);
	free(m->chardev);
	free(m);
}

void qmp_free(struct qmp *m)
{
	if (!m)
		return;
	m->fn = NULL;
	conn_drop(m, "the daemon stops");
	if (m->bound)
		unlink(m->path);
	uv_close((uv_handle_t *)&m->listener, listener_closed);
}

const char *qmp_chardev_arg(const struct qmp *m)
{
	return m->chardev;
}

bool qmp_ready(const struct qmp *m)
{
	return m && m->ready;
}

int qmp_new(uv_loop_t *loop, const char *path, qmp_event_fn fn, void *arg, struct qmp **ret)
{
	struct qmp *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	uv_pipe_init(loop, &m->listener, 0);
	m->listener.data = m;
	m->fn = fn;
	m->arg = arg;
	m->path = strdup(path);
	m->chardev = qemu_socket_chardev(QMP_CHARDEV_ID, path);
	int r = m->path && m->chardev ? 0 : -ENOMEM;
	(void)jansson_load(); /* now, while the daemon may still read every library directory */
	if (r == 0)
		r = qemu_socket_listen(&m->listener, path, on_connection, &m->bound);
	if (r < 0) {
		qmp_free(m);
		return r;
	}
	*ret = m;
	return 0;
}
