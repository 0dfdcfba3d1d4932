/* Scenario files: a timeline of commands (command.c) at simulated seconds, e.g.
 *
 *   scenario:
 *     - at: 0
 *       do: power on
 *     - at: 60
 *       do: load 100
 *     - at: 90
 *       do: fault fan FAN3 fail
 *     - at: 300
 *       do: pause            # freezes simulated time: a fixed point to compare runs at
 *
 * Times count from the moment the scenario is loaded (--scenario at start: time 0) and must not
 * decrease. Read with libyaml's event parser, so every error names the file, line and field. The
 * file is at most 64 KiB and SIM_SCENARIO_MAX entries. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "core/log.h"
#include "platform/sim/sim_internal.h"

#define SCENARIO_FILE_MAX (64 * 1024)
#define AT_MAX (10u * 365 * 86400)

struct scn_parse {
	const char *file;
	char *err;
	size_t cap;
	yaml_parser_t p;
	yaml_event_t ev;
	struct sim_scenario *out;
};

__attribute__((format(printf, 3, 4)))
static int scn_fail(struct scn_parse *sp, unsigned line, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (sp->cap)
		snprintf(sp->err, sp->cap, "%s:%u: %s", sp->file, line, what);
	return -EINVAL;
}

/* The next event; a YAML syntax error becomes an error message. */
static int scn_next(struct scn_parse *sp)
{
	yaml_event_delete(&sp->ev);
	if (!yaml_parser_parse(&sp->p, &sp->ev)) {
		memset(&sp->ev, 0, sizeof(sp->ev));
		return scn_fail(sp, (unsigned)sp->p.problem_mark.line + 1, "invalid YAML: %s",
				sp->p.problem ? sp->p.problem : "syntax error");
	}
	return 0;
}

static unsigned scn_line(const struct scn_parse *sp)
{
	return (unsigned)sp->ev.start_mark.line + 1;
}

static int scn_expect(struct scn_parse *sp, yaml_event_type_t t, const char *field,
		      const char *what)
{
	int r = scn_next(sp);
	if (r == 0 && sp->ev.type != t)
		return scn_fail(sp, scn_line(sp), "%s: expected %s", field, what);
	return r;
}

static const char *scn_scalar(const struct scn_parse *sp)
{
	return (const char *)sp->ev.data.scalar.value;
}

static bool known_command(const char *line)
{
	static const char *const cmds[] = { "fault", "clear", "load", "ambient", "power", "pause",
					    "resume", "speed" };
	size_t n = strcspn(line, " \t");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strlen(cmds[i]) == n && strncmp(line, cmds[i], n) == 0)
			return true;
	return false;
}

static int scn_value(struct scn_parse *sp, struct sim_scenario_entry *e, const char *key,
		     const char *field, bool *seen_at, bool *seen_do)
{
	const char *v = scn_scalar(sp);
	char *end;
	if (strcmp(key, "at") == 0) {
		unsigned long long at = strtoull(v, &end, 10);
		if (v[0] < '0' || v[0] > '9' || *end || at > AT_MAX)
			return scn_fail(sp, scn_line(sp), "%s.at: '%s' is not a whole number of "
					"seconds (0..%u)", field, v, AT_MAX);
		e->at = at;
		*seen_at = true;
		return 0;
	}
	if (strcmp(key, "do") == 0) {
		if (strlen(v) >= sizeof(e->line))
			return scn_fail(sp, scn_line(sp), "%s.do: longer than %zu bytes", field,
					sizeof(e->line) - 1);
		if (!known_command(v))
			return scn_fail(sp, scn_line(sp), "%s.do: '%s' is not a scenario command "
					"(fault, clear, load, ambient, power, pause, resume, speed)", field, v);
		snprintf(e->line, sizeof(e->line), "%s", v);
		*seen_do = true;
		return 0;
	}
	return scn_fail(sp, scn_line(sp), "%s.%s: unknown key (at, do)", field, key);
}

/* One entry: a mapping {at: N, do: COMMAND}. The event at hand is its MAPPING_START. */
static int scn_entry(struct scn_parse *sp, struct sim_scenario_entry *e, const char *field)
{
	bool seen_at = false, seen_do = false;
	unsigned line = scn_line(sp);
	char key[16];
	int r;

	for (;;) {
		if ((r = scn_next(sp)) < 0)
			return r;
		if (sp->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (sp->ev.type != YAML_SCALAR_EVENT)
			return scn_fail(sp, scn_line(sp), "%s: expected a key (at, do)", field);
		snprintf(key, sizeof(key), "%s", scn_scalar(sp));
		char sub[64];
		snprintf(sub, sizeof(sub), "%s.%s", field, key);
		if ((r = scn_expect(sp, YAML_SCALAR_EVENT, sub, "a single value")) < 0)
			return r;
		if ((r = scn_value(sp, e, key, field, &seen_at, &seen_do)) < 0)
			return r;
	}
	if (!seen_at || !seen_do)
		return scn_fail(sp, line, "%s: needs both 'at' and 'do'", field);
	return 0;
}

static int scn_list(struct scn_parse *sp)
{
	struct sim_scenario *sc = sp->out;
	char field[40];
	int r;

	if ((r = scn_expect(sp, YAML_SEQUENCE_START_EVENT, "scenario", "a list of entries")) < 0)
		return r;
	for (;;) {
		if ((r = scn_next(sp)) < 0)
			return r;
		if (sp->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		snprintf(field, sizeof(field), "scenario[%zu]", sc->n);
		if (sp->ev.type != YAML_MAPPING_START_EVENT)
			return scn_fail(sp, scn_line(sp), "%s: expected a mapping {at, do}", field);
		if (sc->n == SIM_SCENARIO_MAX)
			return scn_fail(sp, scn_line(sp), "%s: more than %d entries", field,
					SIM_SCENARIO_MAX);
		unsigned line = scn_line(sp);
		if ((r = scn_entry(sp, &sc->e[sc->n], field)) < 0)
			return r;
		if (sc->n > 0 && sc->e[sc->n].at < sc->e[sc->n - 1].at)
			return scn_fail(sp, line, "%s.at: %llu is earlier than the entry before it",
					field, (unsigned long long)sc->e[sc->n].at);
		sc->n++;
	}
}

static int scn_document(struct scn_parse *sp)
{
	int r;
	if ((r = scn_expect(sp, YAML_STREAM_START_EVENT, "file", "a YAML stream")) < 0 ||
	    (r = scn_expect(sp, YAML_DOCUMENT_START_EVENT, "file", "a document")) < 0 ||
	    (r = scn_expect(sp, YAML_MAPPING_START_EVENT, "file", "a mapping with 'scenario:'")) < 0)
		return r;
	for (bool seen = false;;) {
		if ((r = scn_next(sp)) < 0)
			return r;
		if (sp->ev.type == YAML_MAPPING_END_EVENT)
			return seen ? 0 : scn_fail(sp, scn_line(sp), "scenario: missing");
		if (sp->ev.type != YAML_SCALAR_EVENT || strcmp(scn_scalar(sp), "scenario") != 0)
			return scn_fail(sp, scn_line(sp), "%s: unknown key (scenario)",
					sp->ev.type == YAML_SCALAR_EVENT ? scn_scalar(sp) : "?");
		if (seen)
			return scn_fail(sp, scn_line(sp), "scenario: given more than once");
		seen = true;
		if ((r = scn_list(sp)) < 0)
			return r;
	}
}

/* Only a regular file: opening a FIFO, or reading a terminal or a device such as /dev/stdin,
 * would block the daemon's one loop (O_NONBLOCK keeps the open itself from waiting). */
static FILE *scn_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	int r = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EBADFD : 0;
	FILE *f = r ? NULL : fdopen(fd, "r");
	if (!f) {
		close(fd);
		errno = r ? r : errno;
	}
	return f;
}

static int scn_read(const char *path, char **ret_text, size_t *ret_len)
{
	FILE *f = scn_open(path);
	if (!f)
		return -errno;
	char *text = malloc(SCENARIO_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	size_t len = fread(text, 1, SCENARIO_FILE_MAX + 1, f);
	int r = ferror(f) ? -EIO : len > SCENARIO_FILE_MAX ? -EFBIG : 0;
	fclose(f);
	if (r < 0) {
		free(text);
		return r;
	}
	*ret_text = text;
	*ret_len = len;
	return 0;
}

int platform_sim_scenario_load(struct platform *p, const char *path, char *err, size_t cap)
{
	struct platform_sim *s = (struct platform_sim *)p;
	struct sim_scenario *next;
	char *text = NULL;
	size_t len = 0;

	if (!platform_is_sim(p))
		return -EOPNOTSUPP;
	int r = scn_read(path, &text, &len);
	if (r < 0) {
		snprintf(err, cap, "%s: %s", path, r == -EFBIG ? "larger than 64 KiB" :
			 r == -EBADFD ? "not a regular file" : strerror(-r));
		return r;
	}
	next = calloc(1, sizeof(*next));
	if (!next) {
		free(text);
		return -ENOMEM;
	}
	struct scn_parse sp = { .file = path, .err = err, .cap = cap, .out = next };
	yaml_parser_initialize(&sp.p);
	yaml_parser_set_input_string(&sp.p, (const unsigned char *)text, len);
	r = scn_document(&sp);
	yaml_event_delete(&sp.ev);
	yaml_parser_delete(&sp.p);
	free(text);
	if (r == 0) {
		const char *base = strrchr(path, '/');
		snprintf(next->name, sizeof(next->name), "%s", base ? base + 1 : path);
		next->base = s->model.step;
		if (s->scenario) {
			*s->scenario = *next;
		} else {
			s->scenario = next;
			next = NULL;
		}
		log_info("%sscenario %s: %zu entries, starting at simulated time %llu", s->prefix,
			 s->scenario->name, s->scenario->n, (unsigned long long)s->scenario->base);
	}
	free(next);
	return r;
}
