/* softbmc: the operator's tool for a running softbmcd on this machine. It talks to the daemon
 * over the control socket in the state dir (not over the network): one command line out, the
 * answer back ("ok" or "error: ..." first). Prints the answer without its first "ok" line and
 * exits 0, or prints the error on stderr and exits 1 (2 for usage, 3 if the daemon is not
 * reachable). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define LINE_MAX_BYTES 1024
#define REPLY_MAX (64 * 1024)
#define TIMEOUT_S 30

static void usage(FILE *f)
{
	fprintf(f,
		"usage: softbmc --state-dir DIR COMMAND...\n"
		"\n"
		"Commands for the simulated server of the softbmcd that runs on DIR:\n"
		"  fault fan NAME fail|degraded|erratic      fault psu NAME ac-lost|fail|predictive\n"
		"  fault intrusion                           fault memory DIMM correctable|uncorrectable\n"
		"  fault drive BAY fault|predictive|removed  fault cpu NAME thermal-trip\n"
		"  fault clear all|NAME   (or: clear all|NAME)\n"
		"  load PERCENT           host load 0..100\n"
		"  ambient CELSIUS        inlet air temperature 0..60\n"
		"  power on|off           the server's own power button\n"
		"  status                 simulated time, power, faults and every sensor input\n"
		"  pause | resume | step SECONDS | speed N   simulated time\n"
		"  scenario FILE          run a scenario (docs/simulation.md) from now\n");
}

/* The command line as one line; a scenario's file name made absolute (the daemon's working
 * directory is not ours). */
static int build_line(int argc, char **argv, char *line, size_t cap)
{
	size_t len = 0;
	char abs[PATH_MAX];

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (i == 1 && strcmp(argv[0], "scenario") == 0) {
			if (!realpath(w, abs)) {
				fprintf(stderr, "softbmc: %s: %s\n", w, strerror(errno));
				return -errno;
			}
			w = abs;
		}
		if (strchr(w, '\n') || len + strlen(w) + 2 > cap) {
			fprintf(stderr, "softbmc: command too long or with a line break\n");
			return -E2BIG;
		}
		len += (size_t)snprintf(line + len, cap - len, "%s%s", i ? " " : "", w);
	}
	snprintf(line + len, cap - len, "\n");
	return 0;
}

static int connect_to(const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = TIMEOUT_S };
	int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/control.sock", dir);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path)) {
		fprintf(stderr, "softbmc: state dir path too long for a socket: %s\n", dir);
		return -ENAMETOOLONG;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		fprintf(stderr, "softbmc: cannot reach softbmcd at %s: %s (is it running with "
			"--state-dir %s?)\n", sa.sun_path, strerror(e), dir);
		close(fd);
		return -e;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads the answer until the daemon closes; at most REPLY_MAX bytes. */
static ssize_t recv_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	while (len + 1 < cap) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	char line[LINE_MAX_BYTES + 2];
	static char reply[REPLY_MAX];
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--state-dir") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!dir || i == argc) {
		usage(stderr);
		return 2;
	}
	if (build_line(argc - i, argv + i, line, sizeof(line)) < 0)
		return 2;
	int fd = connect_to(dir);
	if (fd < 0)
		return 3;
	ssize_t n = send_all(fd, line, strlen(line)) < 0 ? -1 : recv_all(fd, reply, sizeof(reply));
	close(fd);
	if (n <= 0) {
		fprintf(stderr, "softbmc: no answer from softbmcd%s\n", n < 0 ? " (timed out)" : "");
		return 3;
	}
	if (strncmp(reply, "ok\n", 3) == 0) {
		fputs(reply + 3, stdout);
		return 0;
	}
	fprintf(stderr, "softbmc: %s", strncmp(reply, "error: ", 7) == 0 ? reply + 7 : reply);
	return 1;
}
