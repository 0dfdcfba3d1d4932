/* One HTTP exchange as the Redfish handlers see it: the request (already bounded and parsed by
 * server.c), the response they fill in, and who is asking. Internal to web/. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/timeutil.h"

struct bmc;
struct web_server;
struct web_session;

enum web_method {
	WEB_GET = 1 << 0,
	WEB_HEAD = 1 << 1,
	WEB_POST = 1 << 2,
	WEB_PATCH = 1 << 3,
	WEB_PUT = 1 << 4,
	WEB_DELETE = 1 << 5,
	WEB_OPTIONS = 1 << 6,
};

/* Redfish roles (DSP0266 §13.2) and what the user's LAN-channel privilege maps to. */
enum web_role {
	WEB_ROLE_NONE = 0,
	WEB_ROLE_READONLY,
	WEB_ROLE_OPERATOR,
	WEB_ROLE_ADMINISTRATOR,
};

/* Redfish privileges a route requires (DSP0266 §13.3). */
enum web_priv {
	WEB_PRIV_NONE = 0,            /* no authentication (ServiceRoot, $metadata, login) */
	WEB_PRIV_LOGIN,               /* any role */
	WEB_PRIV_CONFIGURE_SELF,      /* any role, on its own account */
	WEB_PRIV_CONFIGURE_COMPONENTS, /* Operator and Administrator */
	WEB_PRIV_CONFIGURE_MANAGER,   /* Administrator */
	WEB_PRIV_CONFIGURE_USERS,     /* Administrator */
};

#define WEB_PATH_MAX     256
#define WEB_HDR_MAX      512
#define WEB_TOKEN_LEN    32     /* hex characters of a session token */
#define WEB_MAX_PARAMS   3
#define WEB_MAX_OUT_HDRS 8

struct web_request {
	enum web_method method;
	char path[WEB_PATH_MAX];      /* decoded, no query, no trailing slash (except "/") */
	char query[WEB_HDR_MAX];
	char authorization[WEB_HDR_MAX];
	char auth_token[WEB_HDR_MAX]; /* X-Auth-Token */
	char cookie[WEB_HDR_MAX];
	char csrf[WEB_HDR_MAX];       /* X-CSRF-Token */
	char if_match[WEB_HDR_MAX];
	char content_type[WEB_HDR_MAX];
	char peer[64];
	const char *body;
	size_t body_len;
};

struct web_header {
	const char *name;             /* "Location:" (with the colon, as lws wants it) */
	char value[160];
};

struct web_response {
	int status;
	json_t *json;                 /* body (owned), or NULL */
	const char *raw;              /* a static body instead of json (not owned) */
	size_t raw_len;
	const char *content_type;     /* for raw */
	struct web_header hdr[WEB_MAX_OUT_HDRS];
	unsigned n_hdr;
};

/* Everything a handler needs. */
struct web_ctx {
	struct web_server *srv;
	struct bmc *bmc;
	const struct web_request *req;
	struct web_response *res;
	json_t *body;                 /* parsed JSON request body (POST/PATCH) or NULL */
	/* who: */
	uint8_t uid;
	enum web_role role;
	struct web_session *session;  /* NULL for Basic authentication */
	/* path captures of the route ("{}" segments) */
	char param[WEB_MAX_PARAMS][64];
	unsigned n_param;
};

void web_header_add(struct web_response *res, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
