/* The HTTPS front end: libwebsockets on the daemon's libuv loop, serving the Redfish service
 * (and later the web console) from the same bmc/ model as IPMI. One web_server per BMC. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

struct bmc;
struct web_server;

struct web_options {
	const char *listen;        /* "ADDR:PORT" or "[ADDR6]:PORT" */
	const char *state_dir;     /* where a generated certificate and key are kept */
	const char *cert_file;     /* PEM certificate (chain); NULL = generate in state_dir */
	const char *key_file;      /* PEM private key; with cert_file */
	const char *ui_dir;        /* static console files (web/ui); NULL = none */
	uint32_t max_sessions;     /* Redfish and console sessions at once */
	uint32_t session_timeout_s; /* idle timeout of a session */
	uint32_t max_body;         /* bytes of a request body; more is 413 */
	uint32_t max_header;       /* bytes of all request headers */
	uint32_t max_json_depth;   /* nesting of a JSON request body; deeper is 400 */
};

#define WEB_OPTIONS_DEFAULT { \
	.max_sessions = 16, .session_timeout_s = 600, .max_body = 65536, \
	.max_header = 8192, .max_json_depth = 16 }

/* Starts listening. The server lives on the loop until web_server_close. */
int web_server_new(uv_loop_t *loop, struct bmc *bmc, const struct web_options *o,
		   struct web_server **ret);
/* Begins teardown: lws closes its handles as the loop runs on. NULL-safe. */
void web_server_close(struct web_server *srv);
/* After the loop has finished: frees what is left. NULL-safe. */
void web_server_free(struct web_server *srv);
/* The TCP port the server listens on (useful with port 0). */
int web_server_port(const struct web_server *srv);
/* The URL this service is reached at ("https://127.0.0.1:8443"). */
const char *web_server_url(const struct web_server *srv);
