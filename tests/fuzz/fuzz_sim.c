/* Fuzz target: the simulated server's command language (platform_sim_command, command.c: the
 * words splitter, fault/clear/load/ambient/power/pause/resume/step/speed/status/scenario), its
 * scenario files (platform_sim_scenario_load, scenario.c: libyaml events, the entry checks,
 * running the timeline as simulated time passes), and the control socket's line reader
 * (control.c) through a real control server on an AF_UNIX socket, all on a live model
 * (fuzz_env.h) with the physics and sensors of a shipped profile (config/profiles).
 *
 * Input: one option byte (the profile: compute-1u, storage-2u or gpu-4x), then up to 16
 * records [kind][len lo][len hi][bytes] (fuzz_env.h), run in order on one model:
 *   kind % 5 == 0   bytes are a command line for platform_sim_command ("@SCN" stands for the
 *                   path of the scenario file the last kind-1 record wrote)
 *   kind % 5 == 1   bytes are a scenario file: written, then loaded from now
 *   kind % 5 == 2   bytes are sent over the control socket as a client would (the client then
 *                   shuts its side down and reads the answer until the server closes)
 *   kind % 5 == 3   bytes[0] is a reply buffer size, the rest a command line (answers cut
 *                   short must still be NUL-terminated)
 *   kind % 5 == 4   one bmc_tick and a turn of the loop
 *
 * Every answer must say what happened: "ok" first when the command returned 0, "error: "
 * when it refused, NUL-terminated within the buffer; a control client gets an answer and is
 * closed in a bounded number of loop turns. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/control.h"
#include "fuzz_env.h"
#include "platform/sim/sim.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 16
#define LINE_MAX_BYTES 1024

static const char *const profiles[] = { "compute-1u", "storage-2u", "gpu-4x" };
#define N_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

static struct fuzz_env envs[N_PROFILES];
static struct control_server *controls[N_PROFILES];
static char sock_path[N_PROFILES][108];
static struct fuzz_env *cur; /* the input's model */
static char dir[128];       /* scratch: the control sockets and the scenario file */
static char scn_path[160];

static void cleanup(void)
{
	for (size_t i = 0; i < N_PROFILES; i++)
		unlink(sock_path[i]);
	unlink(scn_path);
	rmdir(dir);
}

static int on_control(void *arg, const char *line, char *reply, size_t cap)
{
	struct fuzz_env *e = arg;
	return platform_sim_command(e->platform, line, reply, cap);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(dir, sizeof(dir), "%s/softbmc-fuzz-sim.XXXXXX", fuzz_tmp_base());
	if (!mkdtemp(dir))
		abort();
	snprintf(scn_path, sizeof(scn_path), "%s/scenario.yaml", dir);
	atexit(cleanup);
	for (size_t i = 0; i < N_PROFILES; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/config/profiles/%s.yaml", SOURCE_ROOT, profiles[i]);
		fuzz_env_init_config(&envs[i], path);
		snprintf(sock_path[i], sizeof(sock_path[i]), "%s/c%zu.sock", dir, i);
		if (control_server_new(&envs[i].loop, sock_path[i], on_control, &envs[i],
				       &controls[i]) < 0)
			abort();
	}
	return 0;
}

/* ---- checks ------------------------------------------------------------------------------- */

static void answer_check(const char *line, int r, const char *reply, size_t cap)
{
	if (cap == 0)
		return;
	if (!memchr(reply, '\0', cap)) {
		fprintf(stderr, "fuzz_sim: '%s': the answer is not NUL-terminated\n", line);
		abort();
	}
	const char *want = r < 0 ? "error: " : "ok\n";
	size_t n = strlen(want) < cap - 1 ? strlen(want) : cap - 1;
	if (strncmp(reply, want, n) != 0) {
		fprintf(stderr, "fuzz_sim: '%s' returned %d but answered '%.60s'\n", line, r, reply);
		abort();
	}
}

/* ---- the three ways in -------------------------------------------------------------------- */

/* A command line of its own size (NUL-terminated), "@SCN" replaced by the scenario file. */
static char *line_of(const uint8_t *p, size_t n)
{
	if (n > LINE_MAX_BYTES)
		n = LINE_MAX_BYTES;
	char *line = malloc((n + 1) * (sizeof(scn_path) / 4)); /* every 4 bytes may be "@SCN" */
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (n - i >= 4 && memcmp(p + i, "@SCN", 4) == 0) {
			o += (size_t)sprintf(line + o, "%s", scn_path);
			i += 3;
			continue;
		}
		line[o++] = (char)p[i];
	}
	line[o] = '\0';
	char *exact = malloc(o + 1);
	memcpy(exact, line, o + 1);
	free(line);
	return exact;
}

static void run_command(const uint8_t *p, size_t n, size_t cap)
{
	char *line = line_of(p, n);
	char *reply = malloc(cap ? cap : 1);
	int r = platform_sim_command(cur->platform, line, reply, cap);
	answer_check(line, r, reply, cap);
	free(reply);
	free(line);
	uv_run(&cur->loop, UV_RUN_NOWAIT);
}

static void run_scenario(const uint8_t *p, size_t n)
{
	FILE *f = fopen(scn_path, "wb");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
	char err[256];
	memset(err, 0, sizeof(err));
	int r = platform_sim_scenario_load(cur->platform, scn_path, err, sizeof(err));
	if (r < 0 && err[0] == '\0') {
		fprintf(stderr, "fuzz_sim: a scenario refused without a reason\n");
		abort();
	}
	uv_run(&cur->loop, UV_RUN_NOWAIT);
}

/* A control client: connect, send, shut down the sending side, read the answer to EOF, while
 * the loop runs the server. */
static void run_control(size_t which, const uint8_t *p, size_t n)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path[which]);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		abort();
	size_t sent = 0;
	bool shut = false, eof = false;
	char answer[CONTROL_REPLY_MAX + 1];
	size_t got = 0;
	for (unsigned turn = 0; turn < 100000 && !eof; turn++) {
		if (sent < n) {
			ssize_t w = send(fd, p + sent, n - sent, MSG_NOSIGNAL);
			if (w > 0)
				sent += (size_t)w;
			else if (errno != EAGAIN)
				sent = n; /* the server answered and closed already */
		}
		if (sent == n && !shut) {
			shutdown(fd, SHUT_WR);
			shut = true;
		}
		uv_run(&cur->loop, UV_RUN_NOWAIT);
		ssize_t rd = read(fd, answer + got, sizeof(answer) - 1 - got);
		if (rd > 0)
			got += (size_t)rd;
		else if (rd == 0 || errno != EAGAIN)
			eof = true;
	}
	close(fd);
	if (!eof) {
		fprintf(stderr, "fuzz_sim: the control socket never answered\n");
		abort();
	}
	answer[got] = '\0';
	/* an empty answer only for an empty connection (nothing to run) */
	bool has_line = n > 0;
	if (has_line && got && strncmp(answer, "ok", 2) != 0 && strncmp(answer, "error: ", 7) != 0) {
		fprintf(stderr, "fuzz_sim: control answer '%.60s'\n", answer);
		abort();
	}
	for (int i = 0; i < 4; i++) /* the client's close callbacks */
		uv_run(&cur->loop, UV_RUN_NOWAIT);
}

static void one_record(size_t which, uint8_t kind, const uint8_t *p, size_t n)
{
	switch (kind % 5) {
	case 0:
		run_command(p, n, CONTROL_REPLY_MAX);
		break;
	case 1:
		run_scenario(p, n);
		break;
	case 2:
		run_control(which, p, n);
		break;
	case 3:
		if (n >= 1)
			run_command(p + 1, n - 1, p[0]);
		break;
	default:
		bmc_tick(&cur->bmc, now_monotonic());
		uv_run(&cur->loop, UV_RUN_NOWAIT);
		break;
	}
	if (cur->bmc.reset_requested)
		(void)bmc_reset(&cur->bmc, cur->bmc.reset_requested == BMC_RESET_COLD);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t which = data[0] % N_PROFILES;
	cur = &envs[which];
	fuzz_env_begin(cur, 0);
	struct fuzz_reader r = { .p = data + 1, .len = size - 1 };
	uint8_t kind;
	const uint8_t *p;
	size_t n;
	for (unsigned i = 0; i < MAX_RECORDS && fuzz_next_record(&r, &kind, &p, &n); i++)
		one_record(which, kind, p, n);
	fuzz_env_end(cur);
	return 0;
}
