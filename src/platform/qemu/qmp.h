/* QEMU's machine protocol (QMP), for the one thing the ipmi-bmc-extern link does not say: that
 * the VM was reset (QEMU 7.2 sends no reset over the link, whoever reset the VM).
 *
 * The daemon listens on a Unix socket in the state dir; QEMU connects to it as a client
 *   -chardev socket,id=softbmc-qmp,reconnect=1,path=SOCKET -mon chardev=softbmc-qmp,mode=control
 * so a QEMU started later, or reconnecting, finds it. On QEMU's greeting the daemon sends
 * qmp_capabilities; after that QEMU sends one JSON object per line, and each event object's name
 * ("RESET", "SHUTDOWN", ...) and its data.guest flag go to the callback. Nothing else is sent to
 * QEMU. A line longer than QMP_LINE_MAX, or not JSON, is skipped. */
#pragma once
#include <stdbool.h>
#include <uv.h>

#define QMP_CHARDEV_ID "softbmc-qmp"
#define QMP_LINE_MAX 8192

struct qmp;

/* event: the event's name; guest: its data.guest member (false when absent). */
typedef void (*qmp_event_fn)(void *arg, const char *event, bool guest);

/* Binds path (replacing a stale socket; -EEXIST if something else is there) and listens. */
int qmp_new(uv_loop_t *loop, const char *path, qmp_event_fn fn, void *arg, struct qmp **ret);
/* Closes the socket and any connection and removes the socket file; the memory goes once the
 * loop has closed the handles. No callback runs after this. */
void qmp_free(struct qmp *m);
/* The -chardev argument for QEMU's command line. */
const char *qmp_chardev_arg(const struct qmp *m);
/* QEMU is connected and has accepted qmp_capabilities: its events will arrive. */
bool qmp_ready(const struct qmp *m);
/* Shared with qemu.c's ipmi-bmc-extern socket: the -chardev argument of a client socket with
 * this id that reconnects to path (malloc'd; NULL if out of memory), and binding a listening
 * Unix socket at path for the daemon's user only (a stale socket there is replaced; anything
 * else is -EEXIST). *bound says whether the file is ours to remove. Errors are logged. */
char *qemu_socket_chardev(const char *id, const char *path);
int qemu_socket_listen(uv_pipe_t *listener, const char *path, uv_connection_cb cb, bool *bound);

/* One line from QEMU (without its newline), for the fuzz target and tests: parses it and
 * calls back for an event; returns true when it was QEMU's greeting (the caller answers). */
bool qmp_parse_line(const char *line, size_t len, qmp_event_fn fn, void *arg);
