/* Authentication and sessions of the HTTPS front end (see auth.h). Tokens come from RAND_bytes,
 * are compared in constant time and wiped when a session ends. Idle sessions are dropped
 * lazily, whenever the table is looked at. */
#include "web/auth.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "bmc/accounts.h"
#include "bmc/bmc.h"
#include "core/log.h"
#include "web/json.h"
#include "web/server_int.h"

int web_auth_init(struct web_auth *a, unsigned max_sessions, usec_t timeout)
{
	*a = (struct web_auth){ .cap = max_sessions, .timeout = timeout, .next_id = 1 };
	a->s = calloc(max_sessions ? max_sessions : 1, sizeof(*a->s));
	return a->s ? 0 : -ENOMEM;
}

void web_auth_fini(struct web_auth *a)
{
	if (!a->s)
		return;
	OPENSSL_cleanse(a->s, a->cap * sizeof(*a->s));
	free(a->s);
	a->s = NULL;
}

/* ---- roles ---------------------------------------------------------------------------------- */

enum web_role web_role_of(struct bmc *bmc, uint8_t uid)
{
	struct bmc_user *u = bmc_user_get(&bmc->users, uid);
	switch (u ? bmc_user_channel_priv(u, BMC_CHANNEL_LAN) : BMC_PRIV_NO_ACCESS) {
	case BMC_PRIV_ADMIN: return WEB_ROLE_ADMINISTRATOR;
	case BMC_PRIV_OPERATOR: return WEB_ROLE_OPERATOR;
	case BMC_PRIV_USER: return WEB_ROLE_READONLY;
	default: return WEB_ROLE_NONE;
	}
}

const char *web_role_name(enum web_role role)
{
	static const char *const names[] = { "NoAccess", "ReadOnly", "Operator", "Administrator" };
	return (unsigned)role < 4 ? names[role] : "NoAccess";
}

uint8_t web_role_priv(const char *role_id)
{
	if (strcmp(role_id, "Administrator") == 0)
		return BMC_PRIV_ADMIN;
	if (strcmp(role_id, "Operator") == 0)
		return BMC_PRIV_OPERATOR;
	if (strcmp(role_id, "ReadOnly") == 0)
		return BMC_PRIV_USER;
	return 0;
}

/* ---- sessions ------------------------------------------------------------------------------- */

static void session_wipe(struct web_session *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}

void web_sessions_expire(struct web_auth *a, usec_t now)
{
	for (unsigned i = 0; i < a->cap; i++) {
		struct web_session *s = &a->s[i];
		if (s->used && now - s->last_used > a->timeout) {
			log_info("web: session %u of user %s from %s closed after %u s idle", s->id,
				 s->user, s->peer, (unsigned)(a->timeout / USEC_PER_SEC));
			session_wipe(s);
		}
	}
}

static void random_hex(char *out, size_t hex_len)
{
	uint8_t raw[WEB_TOKEN_LEN / 2];
	if (RAND_bytes(raw, (int)(hex_len / 2)) != 1)
		abort(); /* no randomness: nothing safe to hand out */
	for (size_t i = 0; i < hex_len / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	OPENSSL_cleanse(raw, sizeof(raw));
}

static struct web_session *session_new(struct web_auth *a, uint8_t uid, const char *user,
				       const char *peer)
{
	usec_t now = now_monotonic();
	web_sessions_expire(a, now);
	for (unsigned i = 0; i < a->cap; i++) {
		struct web_session *s = &a->s[i];
		if (s->used)
			continue;
		*s = (struct web_session){ .used = true, .id = a->next_id++, .uid = uid,
					   .created = now_realtime(), .last_used = now };
		if (a->next_id == 0)
			a->next_id = 1;
		random_hex(s->token, WEB_TOKEN_LEN);
		random_hex(s->csrf, WEB_TOKEN_LEN);
		snprintf(s->user, sizeof(s->user), "%s", user);
		snprintf(s->peer, sizeof(s->peer), "%s", peer);
		return s;
	}
	return NULL;
}

static struct web_session *session_by_token(struct web_auth *a, const char *token)
{
	web_sessions_expire(a, now_monotonic());
	if (strlen(token) != WEB_TOKEN_LEN)
		return NULL;
	struct web_session *found = NULL;
	for (unsigned i = 0; i < a->cap; i++) {
		struct web_session *s = &a->s[i];
		if (s->used && CRYPTO_memcmp(s->token, token, WEB_TOKEN_LEN) == 0)
			found = s;
	}
	return found;
}

struct web_session *web_session_by_id(struct web_auth *a, uint32_t id)
{
	web_sessions_expire(a, now_monotonic());
	for (unsigned i = 0; i < a->cap; i++) {
		if (a->s[i].used && a->s[i].id == id)
			return &a->s[i];
	}
	return NULL;
}

void web_session_end(struct web_auth *a, struct web_session *s)
{
	(void)a;
	log_info("web: session %u of user %s from %s closed", s->id, s->user, s->peer);
	session_wipe(s);
}

void web_sessions_end_user(struct web_auth *a, uint8_t uid)
{
	for (unsigned i = 0; i < a->cap; i++) {
		if (a->s[i].used && a->s[i].uid == uid)
			web_session_end(a, &a->s[i]);
	}
}

void web_sessions_after_cold_reset(struct web_auth *a, const struct bmc *bmc)
{
	if (a->cold_resets_seen == bmc->cold_resets)
		return;
	a->cold_resets_seen = bmc->cold_resets;
	for (unsigned i = 0; i < a->cap; i++) {
		if (a->s[i].used)
			web_session_end(a, &a->s[i]);
	}
}

/* ---- logins --------------------------------------------------------------------------------- */

static void unauthorized(struct web_ctx *c, bool basic_challenge)
{
	web_error(c->res, 401, "NoValidSession",
		  "There is no valid session established with the implementation.", NULL, NULL);
	if (basic_challenge)
		web_header_add(c->res, "WWW-Authenticate:", "Basic realm=\"softbmc\"");
}

/* Checks a password; logs what happened for the operator. */
static bool password_ok(struct web_ctx *c, const char *user, const char *password,
			uint8_t *ret_uid)
{
	struct bmc_login l;
	bmc_login_password(c->bmc, user, password, BMC_CHANNEL_LAN, now_monotonic(), &l);
	switch (l.result) {
	case BMC_LOGIN_OK:
		*ret_uid = l.uid;
		return true;
	case BMC_LOGIN_LOCKED:
		log_warn("web: user %s from %s: locked out after repeated bad passwords, login "
			 "refused", user, c->req->peer);
		return false;
	case BMC_LOGIN_NO_ACCESS:
		log_warn("web: user %s from %s: no privilege on the LAN channel, login refused",
			 user, c->req->peer);
		return false;
	default:
		if (!l.uid)
			log_warn("web: login from %s: unknown or disabled user", c->req->peer);
		else if (l.lockout == BMC_LOCKOUT_LOCKED || l.lockout == BMC_LOCKOUT_DISABLED)
			log_warn("web: user %s from %s: wrong password; %u consecutive failed logins: "
				 "user locked out", user, c->req->peer, l.failures);
		else
			log_warn("web: user %s from %s: wrong password (failed login %u)", user,
				 c->req->peer, l.failures);
		return false;
	}
}

bool web_session_login(struct web_ctx *c, const char *user, const char *password,
		       struct web_session **ret)
{
	uint8_t uid = 0;
	if (!password_ok(c, user, password, &uid) || web_role_of(c->bmc, uid) == WEB_ROLE_NONE) {
		unauthorized(c, false);
		return false;
	}
	struct web_session *s = session_new(web_server_auth(c->srv), uid, user, c->req->peer);
	if (!s) {
		web_error(c->res, 503, "SessionLimitExceeded",
			  "The session establishment failed due to the number of simultaneous "
			  "sessions exceeding the limit of the implementation.", NULL, NULL);
		web_header_add(c->res, "Retry-After:", "30");
		return false;
	}
	log_info("web: user %s from %s: session %u opened (%s)", user, c->req->peer, s->id,
		 web_role_name(web_role_of(c->bmc, uid)));
	*ret = s;
	return true;
}

/* "Basic base64(user:password)" -> user, password. */
static bool basic_decode(const char *hdr, char user[static 17], char pw[static 21])
{
	if (strncasecmp(hdr, "Basic ", 6) != 0)
		return false;
	const char *b64 = hdr + 6;
	size_t n = strlen(b64);
	if (n == 0 || n > 64 || n % 4)
		return false;
	uint8_t raw[64];
	int len = EVP_DecodeBlock(raw, (const uint8_t *)b64, (int)n);
	if (len < 0)
		return false;
	while (len > 0 && b64[n - 1] == '=') { /* EVP_DecodeBlock counts the padding */
		len--;
		n--;
	}
	uint8_t *colon = memchr(raw, ':', (size_t)len);
	bool ok = colon && colon - raw <= 16 && (raw + len) - (colon + 1) <= 20 &&
		  !memchr(raw, 0, (size_t)len);
	if (ok) {
		memcpy(user, raw, (size_t)(colon - raw));
		user[colon - raw] = '\0';
		memcpy(pw, colon + 1, (size_t)((raw + len) - (colon + 1)));
		pw[(raw + len) - (colon + 1)] = '\0';
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	return ok;
}

/* The value of our cookie in a Cookie header, or "". */
static void cookie_token(const char *cookie, char out[static WEB_TOKEN_LEN + 1])
{
	out[0] = '\0';
	const char *p = cookie;
	size_t nlen = strlen(WEB_COOKIE_NAME);
	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, WEB_COOKIE_NAME, nlen) == 0 && p[nlen] == '=') {
			p += nlen + 1;
			size_t v = strcspn(p, "; ");
			if (v == WEB_TOKEN_LEN) {
				memcpy(out, p, v);
				out[v] = '\0';
			}
			return;
		}
		p = strchr(p, ';');
	}
}

static bool with_session(struct web_ctx *c, struct web_session *s)
{
	enum web_role role = web_role_of(c->bmc, s->uid);
	if (role == WEB_ROLE_NONE) {
		web_session_end(web_server_auth(c->srv), s);
		unauthorized(c, false);
		return false;
	}
	s->last_used = now_monotonic();
	c->session = s;
	c->uid = s->uid;
	c->role = role;
	return true;
}

bool web_authenticate(struct web_ctx *c)
{
	struct web_auth *a = web_server_auth(c->srv);
	if (c->req->auth_token[0]) {
		struct web_session *s = session_by_token(a, c->req->auth_token);
		if (!s) {
			unauthorized(c, false);
			return false;
		}
		return with_session(c, s);
	}
	char tok[WEB_TOKEN_LEN + 1];
	cookie_token(c->req->cookie, tok);
	if (tok[0]) {
		struct web_session *s = session_by_token(a, tok);
		OPENSSL_cleanse(tok, sizeof(tok));
		if (!s) {
			unauthorized(c, false);
			return false;
		}
		bool safe = c->req->method & (WEB_GET | WEB_HEAD | WEB_OPTIONS);
		if (!safe && (strlen(c->req->csrf) != WEB_TOKEN_LEN ||
			      CRYPTO_memcmp(c->req->csrf, s->csrf, WEB_TOKEN_LEN) != 0)) {
			web_error(c->res, 403, "InsufficientPrivilege",
				  "A state-changing request with the session cookie needs the "
				  "X-CSRF-Token header of the session.", NULL, NULL);
			return false;
		}
		return with_session(c, s);
	}
	char user[17], pw[21];
	if (!basic_decode(c->req->authorization, user, pw)) {
		unauthorized(c, true);
		return false;
	}
	uint8_t uid = 0;
	bool ok = password_ok(c, user, pw, &uid);
	OPENSSL_cleanse(pw, sizeof(pw));
	c->role = ok ? web_role_of(c->bmc, uid) : WEB_ROLE_NONE;
	if (c->role == WEB_ROLE_NONE) {
		unauthorized(c, true);
		return false;
	}
	c->uid = uid;
	return true;
}
