/* softbmcd's door to the HTTPS front end, which it loads only when HTTPS is configured.
 *
 * The web/ code and what only it needs (libwebsockets, libssl, jansson, zlib) are built as a
 * module, softbmc-web.so, next to softbmcd; this file, linked into softbmcd alone, defines the
 * web.h functions softbmcd calls and forwards them to the module, which it maps on the first
 * web_server_new. A daemon without HTTPS never maps those libraries: about 580 kB less
 * resident memory (bench/RESULTS.md). The module resolves the bmc/, core/ and store/ functions
 * it calls in softbmcd (linked with --export-dynamic) and binds its own web_* names to
 * themselves (-Bsymbolic), so the forwarders here never call themselves. The unit tests and
 * fuzz targets link web/ directly and do not use this file. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "web/web.h"

#define WEB_MODULE_NAME "softbmc-web.so"

struct web_module {
	bool loaded;
	int (*server_new)(uv_loop_t *loop, struct bmc *bmc, const struct web_options *o,
			  struct web_server **ret);
	void (*server_close)(struct web_server *srv);
	void (*server_free)(struct web_server *srv);
	int (*server_port)(const struct web_server *srv);
	const char *(*server_url)(const struct web_server *srv);
};

/* One per process: the module's code is shared by every BMC of the process, each with its own
 * web_server. Set once, on the loop thread, never unloaded (libssl keeps exit handlers). */
static struct web_module web_module;

/* The directory softbmcd was started from (a build tree or the installed bindir), then the
 * installed module directory. */
static int module_path(char *buf, size_t cap, int attempt)
{
	if (attempt == 1)
		return snprintf(buf, cap, "%s/%s", SOFTBMC_MODULE_DIR, WEB_MODULE_NAME) < (int)cap ?
			       0 : -ENAMETOOLONG;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -errno;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	return snprintf(buf, cap, "%s/%s", exe, WEB_MODULE_NAME) < (int)cap ? 0 : -ENAMETOOLONG;
}

static int module_bind(void *h, struct web_module *m)
{
	*(void **)&m->server_new = dlsym(h, "web_server_new");
	*(void **)&m->server_close = dlsym(h, "web_server_close");
	*(void **)&m->server_free = dlsym(h, "web_server_free");
	*(void **)&m->server_port = dlsym(h, "web_server_port");
	*(void **)&m->server_url = dlsym(h, "web_server_url");
	if (!m->server_new || !m->server_close || !m->server_free || !m->server_port ||
	    !m->server_url)
		return -ENOENT;
	m->loaded = true;
	return 0;
}

static int module_load(void)
{
	if (web_module.loaded)
		return 0;
	char path[PATH_MAX + sizeof(WEB_MODULE_NAME)];
	const char *why = "not found";
	for (int attempt = 0; attempt < 2; attempt++) {
		if (module_path(path, sizeof(path), attempt) < 0 || access(path, R_OK) < 0)
			continue;
		/* RTLD_NOW: a missing symbol fails here, at start, not at the first request. */
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			why = dlerror();
			break;
		}
		if (module_bind(h, &web_module) == 0)
			return 0;
		why = "it lacks the web_server functions";
		break;
	}
	log_err("web: cannot load the HTTPS module %s (next to softbmcd, or in %s): %s",
		WEB_MODULE_NAME, SOFTBMC_MODULE_DIR, why);
	return -ENOENT;
}

int web_server_new(uv_loop_t *loop, struct bmc *bmc, const struct web_options *o,
		   struct web_server **ret)
{
	int r = module_load();
	if (r < 0)
		return r;
	return web_module.server_new(loop, bmc, o, ret);
}

void web_server_close(struct web_server *srv)
{
	if (srv && web_module.loaded)
		web_module.server_close(srv);
}

void web_server_free(struct web_server *srv)
{
	if (srv && web_module.loaded)
		web_module.server_free(srv);
}

int web_server_port(const struct web_server *srv)
{
	return web_module.loaded ? web_module.server_port(srv) : -ENOENT;
}

const char *web_server_url(const struct web_server *srv)
{
	return web_module.loaded ? web_module.server_url(srv) : "";
}
