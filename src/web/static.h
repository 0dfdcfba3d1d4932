/* The web console's static files, read into memory when the server starts (before the daemon
 * drops root, so the files need not be readable by the unprivileged user, and a later change
 * on disk never shows half-written). Served by path for GET and HEAD; "/" is index.html. */
#pragma once
#include <stddef.h>

#define WEB_STATIC_MAX_FILES 64
#define WEB_STATIC_MAX_BYTES (4u * 1024 * 1024) /* all files together */

struct web_static_file {
	char path[128];        /* "/js/app.js" */
	const char *mime;
	char *data;
	size_t len;
};

struct web_static {
	struct web_static_file *f;
	size_t n;
	size_t bytes;
};

/* Reads every regular file under dir (at most 3 directory levels; names of letters, digits,
 * '.', '-' and '_' only, no dot files). Returns 0, or a negative errno (the log says why). */
int web_static_load(struct web_static *st, const char *dir);
/* The file for a request path, or NULL. */
const struct web_static_file *web_static_find(const struct web_static *st, const char *path);
void web_static_free(struct web_static *st);
