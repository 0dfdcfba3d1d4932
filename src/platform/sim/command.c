/* The simulated server's command language, one line per command, shared by the control socket
 * (softbmc CLI) and scenario files:
 *
 *   fault fan NAME fail|degraded|erratic     fault psu NAME ac-lost|fail|predictive
 *   fault intrusion                          fault memory DIMM correctable|uncorrectable
 *   fault drive BAY fault|predictive|removed fault cpu NAME thermal-trip
 *   clear all|NAME|intrusion  (also "fault clear ...")
 *   load PERCENT      ambient CELSIUS      power on|off (the server's own button)
 *   pause   resume   step SECONDS   speed N   status   scenario PATH
 *
 * The line is read through the bounded reader into at most 6 words of at most 63 bytes; any
 * other shape is refused with a message saying what is allowed. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "platform/sim/sim_internal.h"

#define WORDS_MAX 6
#define WORD_MAX 256
#define STEP_MAX 3600 /* one simulated hour per command: the loop must not stall */

struct words {
	char w[WORDS_MAX][WORD_MAX];
	int n;
};

/* Splits on blanks; -E2BIG for too many or too long words. */
static int words_split(const char *line, size_t len, struct words *ret)
{
	struct rbuf r = rbuf_init(line, len);
	size_t wl = 0;

	ret->n = 0;
	while (rbuf_left(&r) > 0) {
		char c = (char)rbuf_u8(&r);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			wl = 0;
			continue;
		}
		if (c == '\0')
			break;
		if (wl == 0 && ret->n++ == WORDS_MAX)
			return -E2BIG;
		if (wl + 1 >= WORD_MAX)
			return -E2BIG;
		ret->w[ret->n - 1][wl++] = c;
		ret->w[ret->n - 1][wl] = '\0';
	}
	return 0;
}

__attribute__((format(printf, 4, 5)))
static int answer(char *reply, size_t cap, int r, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	if (!cap)
		return r;
	n = (size_t)snprintf(reply, cap, "%s", r < 0 ? "error: " : "ok\n");
	if (n >= cap)
		return r;
	va_start(ap, fmt);
	vsnprintf(reply + n, cap - n, fmt, ap);
	va_end(ap);
	return r;
}

static void names_of(const char *first, size_t stride, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len + 1 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "",
					first + i * stride);
}

static int unknown(struct platform_sim *s, const char *kind, const char *name, char *reply,
		   size_t cap)
{
	const struct sim_model_cfg *c = &s->model.cfg;
	char list[512] = "";

	if (strcmp(kind, "fan") == 0)
		names_of(c->fans[0].name, sizeof(c->fans[0]), c->n_fans, list, sizeof(list));
	else if (strcmp(kind, "psu") == 0)
		names_of(c->psus[0].name, sizeof(c->psus[0]), c->n_psus, list, sizeof(list));
	else if (strcmp(kind, "memory") == 0)
		names_of(c->dimms[0], sizeof(c->dimms[0]), c->n_dimms, list, sizeof(list));
	else if (strcmp(kind, "drive") == 0)
		snprintf(list, sizeof(list), "bays 0..%zu", c->n_drives ? c->n_drives - 1 : 0);
	else if (strcmp(kind, "cpu") == 0)
		for (size_t i = 0, len = 0; i < c->n_nodes; i++)
			if (c->nodes[i].trip_c > 0)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
							len ? ", " : "", c->nodes[i].name);
	if (strcmp(kind, "drive") == 0 && c->n_drives == 0)
		snprintf(list, sizeof(list), "none: this server has no drive bays");
	return answer(reply, cap, -ENOENT, "this server has no %s named '%s' (it has: %s)\n",
		      kind, name, list[0] ? list : "none");
}

/* Finds mode in names[0..n) (case-insensitive); -EINVAL with a message if absent. */
static int mode_of(const char *mode, const char *const *names, int n, char *reply, size_t cap)
{
	char list[128];
	size_t len = 0;
	for (int i = 0; i < n; i++)
		if (names[i] && strcasecmp(mode, names[i]) == 0)
			return i;
	list[0] = '\0';
	for (int i = 0; i < n; i++)
		if (names[i])
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? "|" : "",
						names[i]);
	return answer(reply, cap, -EINVAL, "unknown fault mode '%s' (use %s)\n", mode, list);
}

static const char *const fan_modes[] = { NULL, "fail", "degraded", "erratic" };
static const char *const mem_modes[] = { NULL, "correctable", "uncorrectable" };
static const char *const drive_modes[] = { NULL, "fault", "predictive", "removed" };
static const char *const psu_modes[] = { NULL, "ac-lost", "fail", "predictive" };
static const char *const cpu_modes[] = { NULL, "thermal-trip" };

#define FAULT_USAGE "usage: fault fan NAME fail|degraded|erratic | " \
	"fault psu NAME ac-lost|fail|predictive | " \
	"fault intrusion | fault memory DIMM correctable|uncorrectable | " \
	"fault drive BAY fault|predictive|removed | fault cpu NAME thermal-trip | " \
	"fault clear all|NAME\n"

static int cmd_clear(struct platform_sim *s, const struct words *w, int at, char *reply,
		     size_t cap)
{
	if (w->n != at + 1)
		return answer(reply, cap, -EINVAL, "usage: clear all|NAME\n");
	if (sim_model_clear(&s->model, w->w[at]) < 0)
		return answer(reply, cap, -ENOENT, "nothing named '%s' to clear (a fan, PSU, DIMM, "
			      "CPU, drive bay, intrusion or all)\n", w->w[at]);
	return answer(reply, cap, 0, "cleared %s\n", w->w[at]);
}

static int fault_apply(struct platform_sim *s, const char *kind, const char *name, int mode)
{
	struct sim_model *m = &s->model;

	if (strcmp(kind, "fan") == 0)
		return sim_model_fan_fault(m, name, (enum sim_fan_fault)mode);
	if (strcmp(kind, "psu") == 0)
		return sim_model_psu_fault(m, name, (enum sim_psu_fault)mode);
	if (strcmp(kind, "memory") == 0)
		return sim_model_memory_fault(m, name, (enum sim_mem_fault)mode);
	if (strcmp(kind, "drive") == 0)
		return sim_model_drive_fault(m, name, (enum sim_drive_fault)mode);
	return sim_model_cpu_trip(m, name);
}

static int cmd_fault(struct platform_sim *s, const struct words *w, char *reply, size_t cap)
{
	static const struct {
		const char *kind;
		const char *const *modes;
		int n;
	} kinds[] = {
		{ "fan", fan_modes, 4 }, { "psu", psu_modes, 4 }, { "memory", mem_modes, 3 },
		{ "drive", drive_modes, 4 }, { "cpu", cpu_modes, 2 },
	};
	if (w->n >= 2 && strcmp(w->w[1], "clear") == 0)
		return cmd_clear(s, w, 2, reply, cap);
	if (w->n == 2 && strcmp(w->w[1], "intrusion") == 0) {
		sim_model_intrusion(&s->model, true);
		return answer(reply, cap, 0, "chassis intrusion: cover open\n");
	}
	for (size_t i = 0; w->n == 4 && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(w->w[1], kinds[i].kind) != 0)
			continue;
		int mode = mode_of(w->w[3], kinds[i].modes, kinds[i].n, reply, cap);
		if (mode < 0)
			return mode;
		if (fault_apply(s, kinds[i].kind, w->w[2], mode) < 0)
			return unknown(s, kinds[i].kind, w->w[2], reply, cap);
		sim_check_protection(s);
		return answer(reply, cap, 0, "%s %s: %s\n", kinds[i].kind, w->w[2], w->w[3]);
	}
	return answer(reply, cap, -EINVAL, FAULT_USAGE);
}

/* A whole number in [0, max]; -EINVAL otherwise. */
static int number_of(const char *text, unsigned long max, unsigned long *ret)
{
	char *end;
	if (text[0] < '0' || text[0] > '9' || strlen(text) > 9)
		return -EINVAL;
	unsigned long v = strtoul(text, &end, 10);
	if (*end || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int cmd_load(struct platform_sim *s, const struct words *w, char *reply, size_t cap)
{
	unsigned long pct;
	if (w->n != 2 || number_of(w->w[1], 100, &pct) < 0)
		return answer(reply, cap, -EINVAL, "usage: load PERCENT (0..100)\n");
	sim_model_set_load(&s->model, (double)pct);
	return answer(reply, cap, 0, "load %lu %%\n", pct);
}

static int cmd_ambient(struct platform_sim *s, const struct words *w, char *reply, size_t cap)
{
	unsigned long c;
	if (w->n != 2 || number_of(w->w[1], 60, &c) < 0)
		return answer(reply, cap, -EINVAL, "usage: ambient CELSIUS (0..60)\n");
	sim_model_set_ambient(&s->model, (double)c);
	return answer(reply, cap, 0, "ambient %lu C\n", c);
}

static int cmd_power(struct platform_sim *s, const struct words *w, char *reply, size_t cap)
{
	if (w->n != 2 || (strcmp(w->w[1], "on") != 0 && strcmp(w->w[1], "off") != 0))
		return answer(reply, cap, -EINVAL, "usage: power on|off\n");
	sim_power_button(s, strcmp(w->w[1], "on") == 0);
	return answer(reply, cap, 0, "power button: %s\n", w->w[1]);
}

static int cmd_run(struct platform_sim *s, const struct words *w, char *reply, size_t cap)
{
	unsigned long n = 0;
	const char *c = w->w[0];

	if (strcmp(c, "pause") == 0 && w->n == 1) {
		s->paused = true;
	} else if (strcmp(c, "resume") == 0 && w->n == 1) {
		s->paused = false;
		sim_set_speed(s, s->cfg.speed);
	} else if (strcmp(c, "step") == 0 && w->n == 2 && number_of(w->w[1], STEP_MAX, &n) == 0) {
		sim_run_steps(s, n);
	} else if (strcmp(c, "speed") == 0 && w->n == 2 &&
		   number_of(w->w[1], PLATFORM_SIM_SPEED_MAX, &n) == 0) {
		sim_set_speed(s, (uint32_t)n);
	} else {
		return answer(reply, cap, -EINVAL, "usage: pause | resume | step SECONDS (0..%d) | "
			      "speed N (0..%d)\n", STEP_MAX, PLATFORM_SIM_SPEED_MAX);
	}
	return answer(reply, cap, 0, "time %llu%s\n", (unsigned long long)s->model.step,
		      s->paused ? " (paused)" : "");
}

static int cmd_status(struct platform_sim *s, char *reply, size_t cap)
{
	int n = snprintf(reply, cap, "ok\nspeed %u\npaused %s\nseed %llu\n", s->cfg.speed,
			 s->paused ? "yes" : "no", (unsigned long long)s->model.seed);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	sim_model_status(&s->model, reply + n, cap - (size_t)n);
	return 0;
}

static int cmd_scenario(struct platform_sim *s, const struct words *w, char *reply, size_t cap)
{
	char err[256];
	if (w->n != 2)
		return answer(reply, cap, -EINVAL, "usage: scenario FILE\n");
	int r = platform_sim_scenario_load(&s->base, w->w[1], err, sizeof(err));
	if (r < 0)
		return answer(reply, cap, r, "%s\n", err);
	return answer(reply, cap, 0, "scenario %s: %zu entries from time %llu\n", w->w[1],
		      s->scenario->n, (unsigned long long)s->scenario->base);
}

int platform_sim_command(struct platform *p, const char *line, char *reply, size_t cap)
{
	struct platform_sim *s = (struct platform_sim *)p;
	struct words w;

	if (!platform_is_sim(p))
		return answer(reply, cap, -EOPNOTSUPP, "the managed server is not simulated\n");
	if (words_split(line, strnlen(line, SIM_COMMAND_MAX * 8), &w) < 0)
		return answer(reply, cap, -E2BIG, "command too long (at most %d words of %d bytes)\n",
			      WORDS_MAX, WORD_MAX - 1);
	if (w.n == 0)
		return answer(reply, cap, -EINVAL, "empty command\n");
	const char *c = w.w[0];
	if (strcmp(c, "fault") == 0)
		return cmd_fault(s, &w, reply, cap);
	if (strcmp(c, "clear") == 0)
		return cmd_clear(s, &w, 1, reply, cap);
	if (strcmp(c, "load") == 0)
		return cmd_load(s, &w, reply, cap);
	if (strcmp(c, "power") == 0)
		return cmd_power(s, &w, reply, cap);
	if (strcmp(c, "ambient") == 0)
		return cmd_ambient(s, &w, reply, cap);
	if (strcmp(c, "status") == 0 && w.n == 1)
		return cmd_status(s, reply, cap);
	if (strcmp(c, "scenario") == 0)
		return cmd_scenario(s, &w, reply, cap);
	if (strcmp(c, "pause") == 0 || strcmp(c, "resume") == 0 || strcmp(c, "step") == 0 ||
	    strcmp(c, "speed") == 0)
		return cmd_run(s, &w, reply, cap);
	return answer(reply, cap, -EINVAL, "unknown command '%s' (fault, clear, load, ambient, "
		      "power, pause, resume, step, speed, status, scenario)\n", c);
}
