#include "web/static.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

static const char *mime_of(const char *name)
{
	static const struct {
		const char *ext, *mime;
	} types[] = {
		{ ".html", "text/html;charset=utf-8" },
		{ ".js", "text/javascript;charset=utf-8" },
		{ ".mjs", "text/javascript;charset=utf-8" },
		{ ".css", "text/css;charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".json", "application/json" },
		{ ".txt", "text/plain;charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].mime;
	return "application/octet-stream";
}

static bool name_ok(const char *name)
{
	return name[0] != '.' && name[0] &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
		       strlen(name);
}

static int read_file(int dirfd, const char *name, char **ret_data, size_t *ret_len, size_t cap)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	struct stat sb;
	int r = 0;
	char *data = NULL;
	if (fstat(fd, &sb) < 0) {
		r = -errno;
	} else if ((size_t)sb.st_size > cap) {
		r = -EFBIG;
	} else if (!(data = malloc((size_t)sb.st_size + 1))) {
		r = -ENOMEM;
	} else {
		size_t got = 0;
		while (got < (size_t)sb.st_size) {
			ssize_t n = read(fd, data + got, (size_t)sb.st_size - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				r = n < 0 ? -errno : -EIO;
				break;
			}
			got += (size_t)n;
		}
		*ret_len = got;
	}
	close(fd);
	if (r < 0) {
		free(data);
		return r;
	}
	*ret_data = data;
	return 0;
}

static int add_file(struct web_static *st, int dirfd, const char *prefix, const char *name)
{
	if (st->n == WEB_STATIC_MAX_FILES)
		return -E2BIG;
	struct web_static_file *f = &st->f[st->n];
	if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s", prefix, name) >= sizeof(f->path))
		return -ENAMETOOLONG;
	int r = read_file(dirfd, name, &f->data, &f->len, WEB_STATIC_MAX_BYTES - st->bytes);
	if (r < 0)
		return r;
	f->mime = mime_of(name);
	st->bytes += f->len;
	st->n++;
	return 0;
}

static int load_dir(struct web_static *st, int dirfd, const char *prefix, int depth)
{
	int fd = dup(dirfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	int r = 0;
	for (struct dirent *e; r == 0 && (e = readdir(d));) {
		if (!name_ok(e->d_name))
			continue;
		struct stat sb;
		if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -errno;
		} else if (S_ISREG(sb.st_mode)) {
			r = add_file(st, dirfd, prefix, e->d_name);
		} else if (S_ISDIR(sb.st_mode) && depth < 3) {
			char sub_prefix[128];
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (sub < 0) {
				r = -errno;
			} else if ((size_t)snprintf(sub_prefix, sizeof(sub_prefix), "%s/%s", prefix,
						    e->d_name) >= sizeof(sub_prefix)) {
				r = -ENAMETOOLONG;
			} else {
				r = load_dir(st, sub, sub_prefix, depth + 1);
			}
			if (sub >= 0)
				close(sub);
		}
	}
	closedir(d);
	return r;
}

int web_static_load(struct web_static *st, const char *dir)
{
	*st = (struct web_static){ 0 };
	st->f = calloc(WEB_STATIC_MAX_FILES, sizeof(*st->f));
	if (!st->f)
		return -ENOMEM;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = fd < 0 ? -errno : load_dir(st, fd, "", 0);
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		log_err("web: cannot load the console files of %s: %s%s", dir, strerror(-r),
			r == -E2BIG || r == -EFBIG ? " (more than the limit of 64 files, 4 MiB)" : "");
		web_static_free(st);
		return r;
	}
	log_info("web: console: %zu files, %zu bytes from %s", st->n, st->bytes, dir);
	return 0;
}

const struct web_static_file *web_static_find(const struct web_static *st, const char *path)
{
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->f[i].path, path) == 0)
			return &st->f[i];
	return NULL;
}

void web_static_free(struct web_static *st)
{
	for (size_t i = 0; st->f && i < st->n; i++)
		free(st->f[i].data);
	free(st->f);
	*st = (struct web_static){ 0 };
}
