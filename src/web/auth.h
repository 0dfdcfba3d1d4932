/* Who is asking: HTTP Basic, Redfish sessions (X-Auth-Token, DSP0266 §13.3.4) and, for the
 * web console, the same sessions carried in a cookie (HttpOnly, Secure, SameSite=Strict) with
 * a CSRF token required on every state-changing request. Users and passwords are the IPMI
 * user table; the role comes from the user's LAN-channel privilege; failed logins count toward
 * the same lockout as IPMI (bmc/accounts.h). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/timeutil.h"
#include "web/http.h"

#define WEB_COOKIE_NAME "softbmc_session"

struct web_session {
	bool used;
	uint32_t id;                       /* Redfish session Id */
	char token[WEB_TOKEN_LEN + 1];     /* X-Auth-Token / cookie value (secret) */
	char csrf[WEB_TOKEN_LEN + 1];      /* console: X-CSRF-Token (secret) */
	uint8_t uid;
	char user[17];
	char peer[64];
	usec_t created;                    /* realtime */
	usec_t last_used;                  /* monotonic */
};

struct web_auth {
	struct web_session *s;
	unsigned cap;
	usec_t timeout;
	uint32_t next_id;
	uint32_t cold_resets_seen; /* bmc->cold_resets when the sessions were last ended */
};

int web_auth_init(struct web_auth *a, unsigned max_sessions, usec_t timeout);
void web_auth_fini(struct web_auth *a);

/* The Redfish role of a user from its LAN-channel privilege, WEB_ROLE_NONE if refused. */
enum web_role web_role_of(struct bmc *bmc, uint8_t uid);
const char *web_role_name(enum web_role role);
/* Role name -> IPMI privilege (BMC_PRIV_*), 0 if unknown. */
uint8_t web_role_priv(const char *role_id);

/* Authenticates the request; on failure sets a 401 (or 403 for a missing CSRF token) and
 * returns false. */
bool web_authenticate(struct web_ctx *c);
/* A password login for a new session; sets the error response and returns false on failure
 * (401 bad credentials or locked, 503 no free session). */
bool web_session_login(struct web_ctx *c, const char *user, const char *password,
		       struct web_session **ret);
struct web_session *web_session_by_id(struct web_auth *a, uint32_t id);
void web_session_end(struct web_auth *a, struct web_session *s);
/* Ends every session of a user (deleted, disabled or password changed). */
void web_sessions_end_user(struct web_auth *a, uint8_t uid);
/* After a cold reset of the BMC, whoever asked for it (Redfish, LAN, the system interface):
 * ends every web session (once). */
void web_sessions_after_cold_reset(struct web_auth *a, const struct bmc *bmc);
/* Drops sessions idle longer than the timeout. */
void web_sessions_expire(struct web_auth *a, usec_t now);
