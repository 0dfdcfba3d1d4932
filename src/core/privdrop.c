/* Dropping root after the ports are bound; see privdrop.h. */
#include "core/privdrop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define PRIVDROP_WALK_DEPTH 4

struct privdrop_user {
	char name[64];
	uid_t uid;
	gid_t gid;
};

static int user_lookup(const char *name, struct privdrop_user *ret)
{
	errno = 0;
	const struct passwd *pw = getpwnam(name);
	if (!pw)
		return errno ? -errno : -ENOENT;
	snprintf(ret->name, sizeof(ret->name), "%s", pw->pw_name);
	ret->uid = pw->pw_uid;
	ret->gid = pw->pw_gid;
	return 0;
}

static int user_resolve(const char *name, struct privdrop_user *ret)
{
	int r;
	if (name && name[0]) {
		r = user_lookup(name, ret);
		if (r < 0)
			log_err("cannot run as user '%s': %s", name,
				r == -ENOENT ? "no such user" : strerror(-r));
		return r;
	}
	r = user_lookup(PRIVDROP_DEFAULT_USER, ret);
	if (r == -ENOENT)
		r = user_lookup(PRIVDROP_FALLBACK_USER, ret);
	if (r < 0)
		log_err("started as root and no user to run as: neither '%s' nor '%s' exists "
			"(give one with --user or daemon.user)", PRIVDROP_DEFAULT_USER,
			PRIVDROP_FALLBACK_USER);
	return r;
}

/* Gives dirfd's entries (recursively, not following symlinks) to uid:gid. */
static int chown_entries(int dirfd, uid_t uid, gid_t gid, int depth)
{
	int dup_fd = dup(dirfd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -errno;
	}
	int r = 0;
	for (struct dirent *e; r == 0 && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fchownat(dirfd, e->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -errno;
			break;
		}
		if (e->d_type != DT_DIR || depth >= PRIVDROP_WALK_DEPTH)
			continue;
		int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			r = -errno;
			break;
		}
		r = chown_entries(sub, uid, gid, depth + 1);
		close(sub);
	}
	closedir(d);
	return r;
}

/* The state dir becomes the user's: owner, mode 0700, and everything in it. */
static int state_dir_give(const char *dir, const struct privdrop_user *u)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (fchown(fd, u->uid, u->gid) < 0 || fchmod(fd, 0700) < 0)
		r = -errno;
	if (r == 0)
		r = chown_entries(fd, u->uid, u->gid, 0);
	close(fd);
	return r;
}

/* Groups first (while still root), then the group, then the user; then prove it stuck. */
static int switch_user(const struct privdrop_user *u, const gid_t *keep, int n_keep)
{
	if (setgroups((size_t)n_keep, keep) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0)
		return -errno;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -errno;
	if (ru != u->uid || eu != u->uid || su != u->uid || rg != u->gid || eg != u->gid ||
	    sg != u->gid || getgroups(0, NULL) != n_keep)
		return -EPERM;
	if (setuid(0) == 0 || setgid(0) == 0)
		return -EPERM; /* root could be regained: the drop did not happen */
	return 0;
}

static int stay_unprivileged(const char *user)
{
	if (!user || !user[0])
		return 0;
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && strcmp(pw->pw_name, user) == 0)
		return 0;
	log_err("cannot switch to user '%s': not started as root", user);
	return -EPERM;
}

/* The one supplementary group to keep, if it exists (0 or 1 entries in *ret). */
static int keep_group_lookup(const char *name, gid_t *ret)
{
	if (!name)
		return 0;
	errno = 0;
	const struct group *g = getgrnam(name);
	if (!g)
		return 0;
	*ret = g->gr_gid;
	return 1;
}

int privdrop_become(const char *user, const char *state_dir, const char *keep_group)
{
	if (geteuid() != 0)
		return stay_unprivileged(user);
	struct privdrop_user u;
	int r = user_resolve(user, &u);
	if (r < 0)
		return r;
	if (u.uid == 0) {
		log_warn("running as root (user '%s' asked for): the network-facing code keeps "
			 "every privilege", u.name);
		return 0;
	}
	r = state_dir_give(state_dir, &u);
	if (r < 0) {
		log_err("cannot give the state dir %s to user '%s': %s", state_dir, u.name,
			strerror(-r));
		return r;
	}
	gid_t keep;
	int n_keep = keep_group_lookup(keep_group, &keep);
	r = switch_user(&u, &keep, n_keep);
	if (r < 0) {
		log_err("cannot drop root privileges to user '%s': %s", u.name, strerror(-r));
		return r;
	}
	if (access(state_dir, R_OK | W_OK | X_OK) < 0) {
		r = -errno;
		log_err("user '%s' cannot use the state dir %s (is a parent directory closed to "
			"it?): %s", u.name, state_dir, strerror(-r));
		return r;
	}
	if (n_keep)
		log_info("running as user %s (uid %u, gid %u), supplementary groups dropped but "
			 "%s (gid %u)", u.name, (unsigned)u.uid, (unsigned)u.gid, keep_group,
			 (unsigned)keep);
	else
		log_info("running as user %s (uid %u, gid %u), supplementary groups dropped",
			 u.name, (unsigned)u.uid, (unsigned)u.gid);
	return 0;
}
