/* The local control socket: a front end like lan/ for the operator's `softbmc` tool. A libuv
 * pipe server on an AF_UNIX socket (mode 0600, in the state dir) speaking a line protocol: the
 * client sends one command line (at most CONTROL_LINE_MAX bytes, ending in '\n'); the server
 * answers with the handler's text ("ok" or "error: ..." first) and closes the connection. A
 * client that sends nothing within CONTROL_IDLE_MS is dropped; at most CONTROL_CLIENTS_MAX are
 * served at once. */
#pragma once
#include <stddef.h>
#include <uv.h>

#define CONTROL_LINE_MAX 1024
#define CONTROL_REPLY_MAX (32 * 1024)
#define CONTROL_CLIENTS_MAX 8
#define CONTROL_IDLE_MS 10000 /* a client must send its line within this time */

/* Runs one command; writes the answer to reply (NUL-terminated). */
typedef int (*control_handler_fn)(void *arg, const char *line, char *reply, size_t cap);

struct control_server;

/* Binds path (a stale socket file there is replaced). 0 or a negative errno. */
int control_server_new(uv_loop_t *loop, const char *path, control_handler_fn fn, void *arg,
		       struct control_server **ret);
/* NULL-safe. Closes the listener and every client, removes the socket file; the memory goes on
 * the loop's next turn (run the loop once more before closing it). */
void control_server_close(struct control_server *c);
