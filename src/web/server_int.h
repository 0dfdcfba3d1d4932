/* What the parts of web/ share about the server (internal to web/). */
#pragma once
#include "web/auth.h"
#include "web/http.h"
#include "web/web.h"

struct web_auth *web_server_auth(struct web_server *srv);
const struct web_options *web_server_options(const struct web_server *srv);

/* A server with no lws context (no socket, no certificate, no console files) for unit tests
 * and the fuzz target: web_dispatch runs on it as on a listening one; web_server_port says -1.
 * Freed with web_server_free. */
int web_server_new_detached(struct bmc *bmc, const struct web_options *o,
			    struct web_server **ret);

/* The router (router.c): authenticates, checks privileges and runs the handler. */
void web_dispatch(struct web_server *srv, struct bmc *bmc, const struct web_request *req,
		  struct web_response *res);

/* The certificate (cert.c): uses the configured files, or creates a self-signed certificate
 * for host name + addresses in state_dir on first start (key mode 0600). */
int web_cert_ensure(const struct web_options *o, const char *listen_host, char *ret_cert,
		    char *ret_key, size_t cap);
