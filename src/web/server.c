/* The HTTPS server: libwebsockets 4.1 on the daemon's libuv loop (LWS_SERVER_OPTION_LIBUV with
 * a foreign loop: one thread, one loop). This file is the glue: it reads one request per
 * HTTP/1.1 transaction with bounded headers and body, hands it to the router (router.c) and
 * writes the response. Limits: header bytes (lws max_http_header_data; more is refused by
 * lws), body bytes (more is drained and answered 413), JSON depth (router), sessions (auth.c).
 *
 * Teardown (lws 4.1, foreign loop): lws_context_destroy starts closing lws's handles; the loop
 * runs on until they are closed and lws clears the context pointer it was given (pcontext).
 * web_server_free finishes whatever is left after the loop has stopped. */
#include "web/web.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "web/auth.h"
#include "web/json.h"
#include "web/server_int.h"
#include "web/static.h"

/* A request body is drained (not stored) past max_body, up to this, then the connection is
 * dropped. */
#define WEB_DRAIN_MAX (16u * 1024 * 1024)
#define WEB_WRITE_CHUNK 4096
/* File descriptors lws may use: TCP connections open at once, its listener and event pipe.
 * 1024 is the usual soft RLIMIT_NOFILE, what lws gets on most machines anyway. */
#define WEB_MAX_FDS 1024

struct web_server {
	struct lws_context *ctx;  /* cleared by lws (pcontext) once fully destroyed */
	bool closing;             /* lws_context_destroy called once; the loop finishes it */
	struct bmc *bmc;
	struct web_options opt;
	struct web_auth auth;
	char cert[512], key[512];
	char iface[64];
	char url[96];
	struct web_static ui;      /* the console's files (empty without http.ui_dir) */
	void *foreign_loops[1];
};

/* One connection's current transaction (lws per-session data, zeroed by lws). */
struct web_conn {
	struct web_server *srv;
	struct web_request req;
	char *body;
	size_t body_len;
	size_t seen;          /* body bytes received (stored or drained) */
	bool too_large;
	/* response */
	struct web_response res;
	char *out;
	size_t out_len, out_off;
	bool headers_sent;
	bool responding;
	bool close_after;     /* the client asked for "Connection: close" */
};

struct web_auth *web_server_auth(struct web_server *srv)
{
	return &srv->auth;
}

const struct web_options *web_server_options(const struct web_server *srv)
{
	return &srv->opt;
}

const char *web_server_url(const struct web_server *srv)
{
	return srv->url;
}

void web_header_add(struct web_response *res, const char *name, const char *fmt, ...)
{
	if (res->n_hdr >= WEB_MAX_OUT_HDRS)
		return;
	struct web_header *h = &res->hdr[res->n_hdr++];
	h->name = name;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->value, sizeof(h->value), fmt, ap);
	va_end(ap);
}

/* ---- one transaction -------------------------------------------------------------------- */

static void conn_reset(struct web_conn *cn)
{
	free(cn->body);
	free(cn->out);
	json_decref(cn->res.json);
	struct web_server *srv = cn->srv;
	*cn = (struct web_conn){ .srv = srv };
}

static const struct {
	enum lws_token_indexes tok;
	enum web_method m;
} methods[] = {
	{ WSI_TOKEN_GET_URI, WEB_GET },       { WSI_TOKEN_POST_URI, WEB_POST },
	{ WSI_TOKEN_PATCH_URI, WEB_PATCH },   { WSI_TOKEN_PUT_URI, WEB_PUT },
	{ WSI_TOKEN_DELETE_URI, WEB_DELETE }, { WSI_TOKEN_HEAD_URI, WEB_HEAD },
	{ WSI_TOKEN_OPTIONS_URI, WEB_OPTIONS },
};

static int read_method(struct lws *wsi, struct web_request *rq)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		int n = lws_hdr_total_length(wsi, methods[i].tok);
		if (n <= 0)
			continue;
		if (n >= (int)sizeof(rq->path) ||
		    lws_hdr_copy(wsi, rq->path, sizeof(rq->path), methods[i].tok) < 0)
			return -EMSGSIZE;
		rq->method = methods[i].m;
		return 0;
	}
	return -EOPNOTSUPP;
}

/* A header into a fixed buffer; too long = absent (it cannot be a valid value). */
static void read_header(struct lws *wsi, enum lws_token_indexes tok, char *buf, size_t cap)
{
	if (lws_hdr_copy(wsi, buf, (int)cap, tok) < 0)
		buf[0] = '\0';
}

static void read_custom(struct lws *wsi, const char *name, char *buf, size_t cap)
{
	buf[0] = '\0';
	int n = lws_hdr_custom_length(wsi, name, (int)strlen(name));
	if (n > 0 && (size_t)n < cap)
		lws_hdr_custom_copy(wsi, buf, (int)cap, name, (int)strlen(name));
}

static void path_normalize(char *path)
{
	char *q = strchr(path, '?');
	if (q)
		*q = '\0';
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
}

static int read_request(struct lws *wsi, struct web_conn *cn)
{
	struct web_request *rq = &cn->req;
	int r = read_method(wsi, rq);
	if (r < 0)
		return r;
	path_normalize(rq->path);
	read_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, rq->authorization, sizeof(rq->authorization));
	read_header(wsi, WSI_TOKEN_HTTP_COOKIE, rq->cookie, sizeof(rq->cookie));
	read_header(wsi, WSI_TOKEN_HTTP_IF_MATCH, rq->if_match, sizeof(rq->if_match));
	read_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, rq->content_type, sizeof(rq->content_type));
	read_header(wsi, WSI_TOKEN_X_AUTH_TOKEN, rq->auth_token, sizeof(rq->auth_token));
	/* lws stores headers it does not know under their lower-case name */
	read_custom(wsi, "x-csrf-token:", rq->csrf, sizeof(rq->csrf));
	lws_get_peer_simple(wsi, rq->peer, sizeof(rq->peer));
	char conn[32] = "";
	read_header(wsi, WSI_TOKEN_CONNECTION, conn, sizeof(conn));
	cn->close_after = strcasestr(conn, "close") != NULL;
	return 0;
}

static bool has_body(struct lws *wsi, struct web_conn *cn)
{
	if (!(cn->req.method & (WEB_POST | WEB_PATCH | WEB_PUT)))
		return false;
	char len[24] = "";
	read_header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, len, sizeof(len));
	if (len[0])
		return strtoull(len, NULL, 10) > 0;
	return lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
}

static int body_append(struct web_conn *cn, const void *in, size_t len)
{
	const struct web_options *o = &cn->srv->opt;
	cn->seen += len;
	if (cn->seen > WEB_DRAIN_MAX)
		return -1;
	if (cn->too_large || cn->body_len + len > o->max_body) {
		cn->too_large = true;
		return 0;
	}
	if (!cn->body && !(cn->body = malloc(o->max_body + 1)))
		return -1;
	memcpy(cn->body + cn->body_len, in, len);
	cn->body_len += len;
	return 0;
}

/* GET or HEAD of a console file (anything outside /redfish). */
static bool serve_static(struct web_conn *cn)
{
	const struct web_request *rq = &cn->req;
	if (!(rq->method & (WEB_GET | WEB_HEAD)) || strncmp(rq->path, "/redfish", 8) == 0)
		return false;
	const struct web_static_file *f = web_static_find(&cn->srv->ui, rq->path);
	if (!f)
		return false;
	cn->res.status = 200;
	cn->res.raw = f->data;
	cn->res.raw_len = f->len;
	cn->res.content_type = f->mime;
	web_header_add(&cn->res, "Cache-Control:", "no-cache");
	return true;
}

static void respond(struct lws *wsi, struct web_conn *cn)
{
	struct web_response *res = &cn->res;
	res->status = 500;
	if (cn->too_large) {
		char n[16];
		snprintf(n, sizeof(n), "%u", cn->srv->opt.max_body);
		web_error(res, 413, "GeneralError", "The request body is larger than this service "
			  "accepts.", n, NULL);
	} else {
		cn->req.body = cn->body ? cn->body : "";
		cn->req.body_len = cn->body_len;
		if (!serve_static(cn))
			web_dispatch(cn->srv, cn->srv->bmc, &cn->req, res);
	}
	if (res->json) {
		cn->out = json_dumps(res->json, JSON_COMPACT);
		cn->out_len = cn->out ? strlen(cn->out) : 0;
	} else if (res->raw) {
		cn->out = malloc(res->raw_len ? res->raw_len : 1);
		if (cn->out)
			memcpy(cn->out, res->raw, res->raw_len);
		cn->out_len = cn->out ? res->raw_len : 0;
	}
	if (cn->req.method == WEB_HEAD)
		cn->out_len = 0;
	cn->responding = true;
	log_debug("web: %s %s %s -> %d", cn->req.peer,
		  cn->req.method == WEB_GET ? "GET" : cn->req.method == WEB_POST ? "POST" :
		  cn->req.method == WEB_PATCH ? "PATCH" : cn->req.method == WEB_DELETE ? "DELETE" :
		  "other", cn->req.path, res->status);
	lws_callback_on_writable(wsi);
}

static int write_headers(struct lws *wsi, struct web_conn *cn)
{
	uint8_t buf[LWS_PRE + 4096];
	uint8_t *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf) - 1;
	const struct web_response *res = &cn->res;
	const char *ctype = res->json ? "application/json;charset=utf-8" :
			    res->content_type ? res->content_type : "text/plain";
	if (lws_add_http_common_headers(wsi, (unsigned)res->status, ctype, cn->out_len, &p, end))
		return -1;
	if (res->json && lws_add_http_header_by_name(wsi, (const uint8_t *)"OData-Version:",
						     (const uint8_t *)"4.0", 3, &p, end))
		return -1;
	/* lws 4.1 closes after answering "Connection: close" but does not say so; without the
	 * header (RFC 9112 §9.6) a client such as urllib3 reuses the closed connection. */
	if (cn->close_after && lws_add_http_header_by_name(wsi, (const uint8_t *)"Connection:",
							   (const uint8_t *)"close", 5, &p, end))
		return -1;
	for (unsigned i = 0; i < res->n_hdr; i++) {
		const struct web_header *h = &res->hdr[i];
		if (lws_add_http_header_by_name(wsi, (const uint8_t *)h->name,
						(const uint8_t *)h->value, (int)strlen(h->value),
						&p, end))
			return -1;
	}
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	cn->headers_sent = true;
	return 0;
}

static int write_body(struct lws *wsi, struct web_conn *cn)
{
	uint8_t buf[LWS_PRE + WEB_WRITE_CHUNK];
	size_t n = cn->out_len - cn->out_off;
	if (n > WEB_WRITE_CHUNK)
		n = WEB_WRITE_CHUNK;
	memcpy(buf + LWS_PRE, cn->out + cn->out_off, n);
	cn->out_off += n;
	bool last = cn->out_off == cn->out_len;
	if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) !=
	    (int)n)
		return -1;
	return last ? 1 : 0;
}

static int on_writeable(struct lws *wsi, struct web_conn *cn)
{
	if (!cn->responding)
		return 0;
	if (!cn->headers_sent) {
		if (write_headers(wsi, cn) < 0)
			return -1;
		if (cn->out_len) {
			lws_callback_on_writable(wsi);
			return 0;
		}
	} else {
		int r = write_body(wsi, cn);
		if (r < 0)
			return -1;
		if (r == 0) {
			lws_callback_on_writable(wsi);
			return 0;
		}
	}
	conn_reset(cn);
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int on_http(struct lws *wsi, struct web_conn *cn)
{
	struct web_server *srv = lws_context_user(lws_get_context(wsi));
	conn_reset(cn);
	cn->srv = srv;
	int r = read_request(wsi, cn);
	if (r < 0) {
		log_debug("web: %s: request refused before routing: %s", cn->req.peer,
			  r == -EMSGSIZE ? "URI too long" : "method not supported");
		if (r == -EMSGSIZE)
			lws_return_http_status(wsi, HTTP_STATUS_REQ_URI_TOO_LONG, NULL);
		else
			lws_return_http_status(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED, NULL);
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	if (!has_body(wsi, cn))
		respond(wsi, cn);
	return 0;
}

static int web_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			size_t len)
{
	struct web_conn *cn = user;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, cn);
	case LWS_CALLBACK_HTTP_BODY:
		return cn->srv ? body_append(cn, in, len) : -1;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (!cn->srv)
			return -1;
		respond(wsi, cn);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return cn ? on_writeable(wsi, cn) : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (cn && cn->srv && cn->req.method && !cn->headers_sent)
			log_debug("web: %s: connection closed before the response to %s (%zu body "
				  "bytes received)", cn->req.peer, cn->req.path, cn->seen);
		if (cn)
			conn_reset(cn);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{ "softbmc-http", web_callback, sizeof(struct web_conn), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* ---- lifecycle ------------------------------------------------------------------------------ */

static void lws_log(int level, const char *line)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", line);
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (level & LLL_ERR)
		log_warn("web: lws: %s", buf);
	else
		log_debug("web: lws: %s", buf);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" */
static int split_listen(const char *listen, char *host, size_t cap, int *ret_port)
{
	const char *colon;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= cap)
			return -EINVAL;
		memcpy(host, listen + 1, (size_t)(close - listen - 1));
		host[close - listen - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon || (size_t)(colon - listen) >= cap)
			return -EINVAL;
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = '\0';
	}
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || !host[0])
		return -EINVAL;
	*ret_port = (int)port;
	return 0;
}

/* lws 4.1 returns a context whose default vhost failed to bind, and destroying that context
 * unloads its libuv plugin before the loop has run the close callbacks that point into it.
 * So find a busy or foreign address before lws is involved. */
static int listen_check(const char *host, int port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	bool v6 = strchr(host, ':') != NULL;
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		len = sizeof(*a);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -EINVAL;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		len = sizeof(*a);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -EINVAL;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	int r = bind(fd, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int web_server_new(uv_loop_t *loop, struct bmc *bmc, const struct web_options *o,
		   struct web_server **ret)
{
	struct web_server *srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->bmc = bmc;
	srv->opt = *o;
	int port = 0;
	int r = split_listen(o->listen, srv->iface, sizeof(srv->iface), &port);
	if (r < 0) {
		log_err("web: bad listen address '%s' (ADDR:PORT or [ADDR6]:PORT)", o->listen);
		goto fail;
	}
	if ((r = listen_check(srv->iface, port)) < 0) {
		log_err("web: cannot listen on %s (HTTPS): %s", o->listen, r == -EINVAL ?
			"not a numeric IPv4 or IPv6 address" : strerror(-r));
		goto fail;
	}
	if ((r = web_auth_init(&srv->auth, o->max_sessions, o->session_timeout_s * USEC_PER_SEC)) < 0)
		goto fail;
	srv->auth.cold_resets_seen = bmc->cold_resets;
	if ((r = web_cert_ensure(o, srv->iface, srv->cert, srv->key, sizeof(srv->cert))) < 0)
		goto fail;
	if (o->ui_dir && (r = web_static_load(&srv->ui, o->ui_dir)) < 0)
		goto fail;
	lws_set_log_level(LLL_ERR | LLL_WARN | LLL_NOTICE, lws_log);

	struct lws_context_creation_info info = { 0 };
	srv->foreign_loops[0] = loop;
	/* DISABLE_OS_CA_CERTS: lws would load every system CA certificate (824 kB of heap) into
	 * the vhost's client TLS context; softbmcd makes no TLS connections and asks for no
	 * client certificates, so nothing would ever look at them. */
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
		       LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE |
		       LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	info.foreign_loops = srv->foreign_loops;
	info.port = port;
	info.iface = srv->iface;
	info.protocols = protocols;
	info.ssl_cert_filepath = srv->cert;
	info.ssl_private_key_filepath = srv->key;
	info.max_http_header_data = (unsigned short)(o->max_header > 65535 ? 65535 : o->max_header);
	info.alpn = "http/1.1";
	info.timeout_secs = 30;
	info.keepalive_timeout = 30;
	info.server_string = "softbmc";
	info.user = srv;
	info.pcontext = &srv->ctx;
	/* Without this lws sizes its fd tables by the process's fd limit and fills them at
	 * start: 320 kB with a limit of 20,000 (bench/RESULTS.md), 8 MB with one of 524,288. */
	info.fd_limit_per_thread = WEB_MAX_FDS;
	srv->ctx = lws_create_context(&info);
	/* lws 4.1 returns a context even when the default vhost could not bind */
	if (!srv->ctx || web_server_port(srv) <= 0) {
		log_err("web: cannot listen on %s (HTTPS): address already in use or not local",
			o->listen);
		r = -EADDRINUSE;
		goto fail_ctx;
	}
	bool v6 = strchr(srv->iface, ':') != NULL;
	snprintf(srv->url, sizeof(srv->url), v6 ? "https://[%s]:%d" : "https://%s:%d", srv->iface,
		 web_server_port(srv));
	*ret = srv;
	return 0;
fail:
	web_static_free(&srv->ui);
	web_auth_fini(&srv->auth);
	free(srv);
	return r;
fail_ctx:
	/* The caller closes it like a running server (web_server_close, run the loop,
	 * web_server_free): lws's libuv handles must be closed by the loop. */
	*ret = srv;
	return r;
}

int web_server_new_detached(struct bmc *bmc, const struct web_options *o,
			    struct web_server **ret)
{
	struct web_server *srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->bmc = bmc;
	srv->opt = *o;
	int r = web_auth_init(&srv->auth, o->max_sessions, o->session_timeout_s * USEC_PER_SEC);
	if (r < 0) {
		free(srv);
		return r;
	}
	srv->auth.cold_resets_seen = bmc->cold_resets;
	*ret = srv;
	return 0;
}

int web_server_port(const struct web_server *srv)
{
	struct lws_vhost *vh = srv->ctx ? lws_get_vhost_by_name(srv->ctx, "default") : NULL;
	return vh ? lws_get_vhost_listen_port(vh) : -1;
}

/* Only once: a second lws_context_destroy while lws's handles are still closing finishes the
 * context at once and unloads the libuv event-lib plugin under the pending close callbacks. */
void web_server_close(struct web_server *srv)
{
	if (!srv || !srv->ctx || srv->closing)
		return;
	srv->closing = true;
	lws_context_destroy(srv->ctx);
}

void web_server_free(struct web_server *srv)
{
	if (!srv)
		return;
	if (srv->ctx) /* the loop has stopped: nothing of lws is pending on it any more */
		lws_context_destroy(srv->ctx);
	web_static_free(&srv->ui);
	web_auth_fini(&srv->auth);
	free(srv);
}
