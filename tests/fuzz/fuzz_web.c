/* Fuzz target: the HTTPS front end's request path behind libwebsockets — the router (route
 * match, 405/404, privileges), authentication (HTTP Basic, X-Auth-Token, the console's cookie
 * with X-CSRF-Token), the bounded JSON body parser (web/json.c: depth scan, jansson, If-Match
 * ETags) and every Redfish handler — through web_dispatch on a live model (fuzz_env.h) and a
 * web server without a socket (web_server_new_detached). lws itself (HTTP framing, header
 * parsing, TLS) is not our parser; the target fills struct web_request as server.c does from
 * what lws hands it.
 *
 * Input: up to 32 HTTP/1.1-like requests as text, separated by a line "--":
 *
 *   PATCH /redfish/v1/AccountService/Accounts/3?x=1 HTTP/1.1
 *   X-Auth-Token: @TOKEN
 *   If-Match: W/"0123456789abcdef"
 *   Content-Type: application/json
 *
 *   {"Password": "N3w-pass-word"}
 *   --
 *   GET /redfish/v1/Systems/system
 *   Authorization: @BASIC
 *
 * The request line is METHOD TARGET (the rest is ignored); the target is percent-decoded, the
 * query and trailing slashes removed as server.c and lws do. Known headers are Authorization,
 * X-Auth-Token, Cookie, X-CSRF-Token, If-Match and Content-Type (a value too long for its
 * buffer is absent, as in server.c); the body is everything after the blank line. Markers in
 * header values and bodies are replaced before the request is dispatched, so that inputs reach
 * the authenticated paths without knowing the random tokens of this run:
 *   @TOKEN, @CSRF   the session admin opened (POST .../Sessions) before the input's requests
 *   @LAST, @LCSRF   the X-Auth-Token and CSRF token of the last session an input request opened
 *   @BASIC          "Basic " + base64("admin:" + the admin password)
 *   @PASSWORD       the admin password
 *
 * Every response must be well-formed: a status in 100..599, a body that serialises, an error
 * body for every 4xx/5xx, and header values without control characters (no header injection
 * from request data). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "fuzz_env.h"
#include "web/server_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_REQUESTS 32
#define BODY_MAX 65536 /* WEB_OPTIONS_DEFAULT's max_body: a larger body is answered 413 */

static struct fuzz_env env;
static char basic[80];

/* What the markers stand for during one input. */
struct marks {
	char token[WEB_TOKEN_LEN + 1], csrf[WEB_TOKEN_LEN + 1];
	char last[WEB_TOKEN_LEN + 1], lcsrf[WEB_TOKEN_LEN + 1];
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_env_init(&env, false);
	uint8_t raw[] = FUZZ_ADMIN_NAME ":" FUZZ_ADMIN_PASSWORD;
	memcpy(basic, "Basic ", 6);
	EVP_EncodeBlock((uint8_t *)basic + 6, raw, (int)sizeof(raw) - 1);
	return 0;
}

/* ---- the request ---------------------------------------------------------------------------- */

/* Replaces the markers in src[0..len) into out (NUL-terminated); returns the length, or -1 if
 * it does not fit in cap - 1. */
static long expand(const char *src, size_t len, const struct marks *m, char *out, size_t cap)
{
	const struct {
		const char *mark, *value;
	} subst[] = {
		{ "@TOKEN", m->token }, { "@CSRF", m->csrf }, { "@LAST", m->last },
		{ "@LCSRF", m->lcsrf }, { "@BASIC", basic }, { "@PASSWORD", FUZZ_ADMIN_PASSWORD },
	};
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		const char *v = NULL;
		size_t ml = 0;
		for (size_t k = 0; src[i] == '@' && k < sizeof(subst) / sizeof(subst[0]) && !v; k++) {
			ml = strlen(subst[k].mark);
			if (len - i >= ml && memcmp(src + i, subst[k].mark, ml) == 0)
				v = subst[k].value;
		}
		size_t vl = v ? strlen(v) : 1;
		if (o + vl >= cap)
			return -1;
		memcpy(out + o, v ? v : src + i, vl);
		o += vl;
		i += v ? ml : 1;
	}
	out[o] = '\0';
	return (long)o;
}

static int hex_of(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The request target into rq->path as lws and server.c leave it: no query, %XX decoded (a
 * decoded NUL ends it), no trailing slashes. False if it is too long (414 before routing). */
static bool target_set(struct web_request *rq, const char *t, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len && t[i] != '?'; i++) {
		char c = t[i];
		if (c == '%' && len - i >= 3 && hex_of(t[i + 1]) >= 0 && hex_of(t[i + 2]) >= 0) {
			c = (char)(hex_of(t[i + 1]) << 4 | hex_of(t[i + 2]));
			i += 2;
		}
		if (c == '\0')
			break;
		if (o + 1 >= sizeof(rq->path))
			return false;
		rq->path[o++] = c;
	}
	rq->path[o] = '\0';
	if (o == 0 || rq->path[0] != '/')
		return false; /* lws refuses a request target that is not an absolute path */
	while (o > 1 && rq->path[o - 1] == '/')
		rq->path[--o] = '\0';
	return true;
}

static bool method_set(struct web_request *rq, const char *m, size_t len)
{
	static const struct {
		const char *name;
		enum web_method m;
	} methods[] = {
		{ "GET", WEB_GET },       { "HEAD", WEB_HEAD },     { "POST", WEB_POST },
		{ "PATCH", WEB_PATCH },   { "PUT", WEB_PUT },       { "DELETE", WEB_DELETE },
		{ "OPTIONS", WEB_OPTIONS },
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (strlen(methods[i].name) == len && memcmp(methods[i].name, m, len) == 0) {
			rq->method = methods[i].m;
			return true;
		}
	}
	return false;
}

/* "Name: value" into the field it names, markers expanded; too long = absent. */
static void header_set(struct web_request *rq, const char *line, size_t len,
		       const struct marks *m)
{
	static const struct {
		const char *name;
		size_t off;
	} known[] = {
		{ "authorization", offsetof(struct web_request, authorization) },
		{ "x-auth-token", offsetof(struct web_request, auth_token) },
		{ "cookie", offsetof(struct web_request, cookie) },
		{ "x-csrf-token", offsetof(struct web_request, csrf) },
		{ "if-match", offsetof(struct web_request, if_match) },
		{ "content-type", offsetof(struct web_request, content_type) },
	};
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return;
	size_t nlen = (size_t)(colon - line);
	const char *v = colon + 1;
	size_t vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	const char *nul = memchr(v, '\0', vlen);
	if (nul)
		vlen = (size_t)(nul - v);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strlen(known[i].name) != nlen || strncasecmp(known[i].name, line, nlen) != 0)
			continue;
		char *field = (char *)rq + known[i].off;
		if (expand(v, vlen, m, field, WEB_HDR_MAX) < 0)
			field[0] = '\0';
		return;
	}
}

/* One request's text into rq (the body is copied to a buffer of its own size, returned in
 * *ret_body for the caller to free). False if lws would have refused it before routing. */
static bool request_parse(const char *p, size_t len, const struct marks *m,
			  struct web_request *rq, char **ret_body)
{
	*rq = (struct web_request){ 0 };
	snprintf(rq->peer, sizeof(rq->peer), "127.0.0.1");
	const char *eol = memchr(p, '\n', len);
	size_t llen = eol ? (size_t)(eol - p) : len;
	const char *sp = memchr(p, ' ', llen);
	if (!sp || !method_set(rq, p, (size_t)(sp - p)))
		return false;
	const char *t = sp + 1;
	size_t tlen = 0;
	while (t + tlen < p + llen && t[tlen] != ' ' && t[tlen] != '\r')
		tlen++;
	if (!target_set(rq, t, tlen))
		return false;
	size_t off = eol ? llen + 1 : len;
	while (off < len) { /* headers up to an empty line */
		const char *h = p + off;
		const char *e = memchr(h, '\n', len - off);
		size_t hl = e ? (size_t)(e - h) : len - off;
		off += hl + (e ? 1 : 0);
		if (hl && h[hl - 1] == '\r')
			hl--;
		if (hl == 0)
			break;
		header_set(rq, h, hl, m);
	}
	char *body = malloc(BODY_MAX + 1);
	long n = expand(p + off, len - off, m, body, BODY_MAX + 1);
	if (n < 0) {
		free(body); /* 413 before routing */
		return false;
	}
	/* exactly the body's size, so that a read past its end is an overflow ASan sees */
	char *exact = malloc(n ? (size_t)n : 1);
	memcpy(exact, body, (size_t)n);
	free(body);
	rq->body = exact;
	rq->body_len = (size_t)n;
	*ret_body = exact;
	return true;
}

/* ---- the response --------------------------------------------------------------------------- */

static void fail(const struct web_request *rq, const struct web_response *res, const char *why)
{
	fprintf(stderr, "fuzz_web: %s %s -> %d: %s\n", rq->method == WEB_GET ? "GET" : "...",
		rq->path, res->status, why);
	abort();
}

static void response_check(const struct web_request *rq, const struct web_response *res)
{
	if (res->status < 100 || res->status > 599)
		fail(rq, res, "status out of range");
	if (res->json) {
		char *text = json_dumps(res->json, JSON_COMPACT);
		if (!text)
			fail(rq, res, "the body does not serialise");
		free(text);
	}
	if (res->status >= 400 && !res->json)
		fail(rq, res, "an error without a Redfish error body");
	if (res->n_hdr > WEB_MAX_OUT_HDRS)
		fail(rq, res, "too many headers");
	for (unsigned i = 0; i < res->n_hdr; i++) {
		for (const char *c = res->hdr[i].value; *c; c++) {
			if ((uint8_t)*c < 0x20 || *c == 0x7F)
				fail(rq, res, "a control character in a response header");
		}
	}
}

/* Keeps the tokens of a session the request opened (for @LAST / @LCSRF). */
static void response_note(const struct web_response *res, char *tok, char *csrf)
{
	for (unsigned i = 0; i < res->n_hdr; i++) {
		if (strcmp(res->hdr[i].name, "X-Auth-Token:") == 0)
			snprintf(tok, WEB_TOKEN_LEN + 1, "%s", res->hdr[i].value);
	}
	json_t *oem = json_object_get(json_object_get(res->json, "Oem"), "Softbmc");
	const char *c = json_string_value(json_object_get(oem, "CsrfToken"));
	if (c)
		snprintf(csrf, WEB_TOKEN_LEN + 1, "%s", c);
}

static void dispatch(struct web_server *srv, const struct web_request *rq, char *tok, char *csrf)
{
	struct web_response res = { .status = 500 };
	web_dispatch(srv, &env.bmc, rq, &res);
	response_check(rq, &res);
	if (tok)
		response_note(&res, tok, csrf);
	json_decref(res.json);
	if (env.bmc.reset_requested) /* what the daemon does after the response */
		(void)bmc_reset(&env.bmc, env.bmc.reset_requested == BMC_RESET_COLD);
	uv_run(&env.loop, UV_RUN_NOWAIT);
}

/* admin's session for @TOKEN / @CSRF, opened the way a client does. */
static void admin_login(struct web_server *srv, struct marks *m)
{
	static const char body[] = "{\"UserName\": \"" FUZZ_ADMIN_NAME "\", \"Password\": \""
				   FUZZ_ADMIN_PASSWORD "\"}";
	struct web_request rq = { .method = WEB_POST, .body = body, .body_len = sizeof(body) - 1 };
	snprintf(rq.path, sizeof(rq.path), "/redfish/v1/SessionService/Sessions");
	snprintf(rq.content_type, sizeof(rq.content_type), "application/json");
	snprintf(rq.peer, sizeof(rq.peer), "127.0.0.1");
	dispatch(srv, &rq, m->token, m->csrf);
	if (strlen(m->token) != WEB_TOKEN_LEN || strlen(m->csrf) != WEB_TOKEN_LEN)
		abort(); /* the harness or the login broke: nothing after this would mean much */
}

/* The next request's text: up to a line "--" (or the end). */
static bool next_request(const char *data, size_t size, size_t *off, const char **ret_p,
			 size_t *ret_len)
{
	if (*off >= size)
		return false;
	const char *p = data + *off;
	size_t left = size - *off;
	size_t n = 0;
	for (;;) {
		const char *sep = n < left ? memmem(p + n, left - n, "\n--", 3) : NULL;
		if (!sep) {
			*ret_len = left;
			*off = size;
			break;
		}
		size_t at = (size_t)(sep - p);
		size_t after = at + 3;
		if (after < left && p[after] == '\r')
			after++;
		if (after == left || p[after] == '\n') {
			*ret_len = at + 1;
			*off += after + (after < left ? 1 : 0);
			break;
		}
		n = at + 1;
	}
	*ret_p = p;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_env_begin(&env, 0);
	struct web_options o = WEB_OPTIONS_DEFAULT;
	o.max_sessions = 4; /* small enough that inputs can fill the table */
	struct web_server *srv;
	if (web_server_new_detached(&env.bmc, &o, &srv) < 0)
		abort();
	struct marks m = { 0 };
	admin_login(srv, &m);
	size_t off = 0;
	const char *p;
	size_t len;
	for (unsigned i = 0; i < MAX_REQUESTS && next_request((const char *)data, size, &off, &p,
							       &len); i++) {
		struct web_request rq;
		char *body = NULL;
		if (request_parse(p, len, &m, &rq, &body))
			dispatch(srv, &rq, m.last, m.lcsrf);
		free(body);
	}
	web_server_free(srv);
	fuzz_env_end(&env);
	return 0;
}
