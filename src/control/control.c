/* The control socket (see control.h). Each client gets a fixed line buffer; bytes go in through
 * the bounded reader, a line longer than CONTROL_LINE_MAX is refused, at most
 * CONTROL_CLIENTS_MAX clients are served at once, and a client is freed in its close callback,
 * never inside its own read callback. */
#include "control/control.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"

struct control_client {
	uv_pipe_t pipe;
	uv_timer_t idle;        /* a client that says nothing is dropped after CONTROL_IDLE_MS */
	int open_handles;
	uv_write_t wr;
	struct control_server *srv;
	struct control_client *next;
	char line[CONTROL_LINE_MAX + 1];
	char in[CONTROL_LINE_MAX + 2]; /* read buffer: consumed by each read callback */
	size_t len;
	bool too_long;          /* the line passed CONTROL_LINE_MAX: the rest is read and dropped */
	bool answered;
	char *reply;
};

struct control_server {
	uv_pipe_t listener;
	char path[108];
	control_handler_fn fn;
	void *arg;
	struct control_client *clients;
	size_t n_clients;
	bool closing;
};

static void client_closed(uv_handle_t *h)
{
	struct control_client *cl = h->data;
	struct control_server *srv = cl->srv;

	if (--cl->open_handles > 0)
		return; /* the other handle is still closing */
	for (struct control_client **pp = &srv->clients; *pp; pp = &(*pp)->next)
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	srv->n_clients--;
	free(cl->reply);
	free(cl);
	if (srv->closing && srv->n_clients == 0 && !srv->listener.data)
		free(srv);
}

static void client_close(struct control_client *cl)
{
	if (uv_is_closing((uv_handle_t *)&cl->pipe))
		return;
	uv_close((uv_handle_t *)&cl->pipe, client_closed);
	uv_close((uv_handle_t *)&cl->idle, client_closed);
}

static void client_idle(uv_timer_t *t)
{
	client_close(t->data);
}

static void reply_written(uv_write_t *wr, int status)
{
	client_close(wr->data);
}

static void client_answer(struct control_client *cl, const char *text)
{
	size_t n = strlen(text);
	uv_buf_t b = uv_buf_init((char *)text, (unsigned)n);

	cl->answered = true;
	uv_timer_stop(&cl->idle);
	uv_read_stop((uv_stream_t *)&cl->pipe);
	cl->wr.data = cl;
	if (uv_write(&cl->wr, (uv_stream_t *)&cl->pipe, &b, 1, reply_written) < 0)
		client_close(cl);
}

static void client_run(struct control_client *cl)
{
	struct control_server *srv = cl->srv;

	cl->reply = malloc(CONTROL_REPLY_MAX);
	if (!cl->reply) {
		client_close(cl);
		return;
	}
	cl->reply[0] = '\0';
	int r = srv->fn(srv->arg, cl->line, cl->reply, CONTROL_REPLY_MAX);
	log_info("control: '%s': %s", cl->line, r < 0 ? "refused" : "ok");
	client_answer(cl, cl->reply);
}

static void client_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct control_client *cl = h->data;
	buf->base = cl->in;
	buf->len = sizeof(cl->in);
}

/* Appends the bytes up to a newline; true when the line is complete. Past CONTROL_LINE_MAX the
 * bytes are dropped up to the newline (answering before would reset the connection on the
 * unread rest). */
static bool client_take(struct control_client *cl, const uv_buf_t *buf, size_t n)
{
	struct rbuf r = rbuf_init(buf->base, n);

	while (rbuf_left(&r) > 0) {
		uint8_t c = rbuf_u8(&r);
		if (c == '\n')
			return true;
		if (cl->len == CONTROL_LINE_MAX) {
			cl->too_long = true;
			continue;
		}
		cl->line[cl->len++] = c == '\0' ? ' ' : (char)c;
		cl->line[cl->len] = '\0';
	}
	return false;
}

static void client_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct control_client *cl = st->data;

	if (cl->answered)
		return;
	if (nread < 0 && !(nread == UV_EOF && cl->len > 0)) {
		client_close(cl);
		return;
	}
	/* a complete line, or a last line without '\n' at EOF */
	if (nread < 0 || client_take(cl, buf, (size_t)nread)) {
		if (cl->too_long)
			client_answer(cl, "error: command line too long\n");
		else
			client_run(cl);
	}
}

static void on_connection(uv_stream_t *l, int status)
{
	struct control_server *srv = l->data;
	struct control_client *cl;

	if (status < 0 || srv->closing)
		return;
	cl = calloc(1, sizeof(*cl));
	if (!cl)
		return;
	cl->srv = srv;
	uv_pipe_init(l->loop, &cl->pipe, 0);
	uv_timer_init(l->loop, &cl->idle);
	cl->open_handles = 2;
	cl->pipe.data = cl;
	cl->idle.data = cl;
	uv_timer_start(&cl->idle, client_idle, CONTROL_IDLE_MS, 0);
	cl->next = srv->clients;
	srv->clients = cl;
	srv->n_clients++;
	if (uv_accept(l, (uv_stream_t *)&cl->pipe) < 0) {
		client_close(cl);
		return;
	}
	if (srv->n_clients > CONTROL_CLIENTS_MAX) {
		client_answer(cl, "error: busy, too many control clients\n");
		return;
	}
	uv_read_start((uv_stream_t *)&cl->pipe, client_alloc, client_read);
}

int control_server_new(uv_loop_t *loop, const char *path, control_handler_fn fn, void *arg,
		       struct control_server **ret)
{
	struct control_server *srv;
	int r;

	if (strlen(path) >= sizeof(srv->path))
		return -ENAMETOOLONG;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	srv->fn = fn;
	srv->arg = arg;
	uv_pipe_init(loop, &srv->listener, 0);
	srv->listener.data = srv;
	unlink(path); /* a stale socket of an earlier run */
	mode_t old = umask(0177); /* the socket is created 0600: only its owner may connect */
	r = uv_pipe_bind(&srv->listener, path);
	umask(old);
	if (r == 0)
		r = uv_listen((uv_stream_t *)&srv->listener, 8, on_connection);
	if (r < 0) {
		srv->n_clients = 0;
		control_server_close(srv);
		return r;
	}
	*ret = srv;
	return 0;
}

static void listener_closed(uv_handle_t *h)
{
	struct control_server *srv = h->data;
	srv->listener.data = NULL;
	if (srv->n_clients == 0)
		free(srv);
}

void control_server_close(struct control_server *srv)
{
	if (!srv)
		return;
	srv->closing = true;
	unlink(srv->path);
	for (struct control_client *cl = srv->clients; cl; cl = cl->next)
		client_close(cl);
	uv_close((uv_handle_t *)&srv->listener, listener_closed);
}
