/* The daemon's YAML configuration: a libcyaml schema, checks of ranges and members, and
 * error messages of the form "FILE:LINE: FIELD: what is wrong" (docs/config.md).
 *
 * libcyaml parses into a raw mirror of the file in which every field is a pointer, NULL when
 * the key is absent, so absent keys keep their defaults. Numbers are taken as strings and
 * parsed here: libcyaml 1.3.1 accepts "12abc" as 12, "1.5" as 1 and "012" as octal 10.
 *
 * Lines: libcyaml reports schema errors (unknown key, wrong type, unknown name) through its
 * log callback with a backtrace of fields and lines, which we capture. Checks done after
 * parsing have no line from libcyaml, so a second pass over the text with libyaml (the parser
 * libcyaml is built on, linked through libcyaml.pc) finds the line of a dotted field path;
 * the same pass gives the position of a syntax error. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cyaml/cyaml.h>
#include <yaml.h>

#include "config_profile.h"

#define CONFIG_MAX_SIZE   (64 * 1024)
#define NUMBER_MAX_LEN    32
#define FIELD_PATH_MAX    128
#define YAML_DEPTH_MAX    16
#define CIPHER_SUITES_MAX 32 /* entries in the list, repeats included */
#define FRU_TEXT_LEN_MAX  255 /* libcyaml's cap; the FRU limit (63) is checked here */

/* IPMI 2.0 §22.15.2 cipher suites softbmc implements; 0 (no authentication) only on request. */
#define CIPHER_SUITES_ALLOWED \
	(1u << 0 | 1u << 1 | 1u << 2 | 1u << 3 | 1u << 6 | 1u << 7 | 1u << 8 | \
	 1u << 11 | 1u << 12 | 1u << 15 | 1u << 16 | 1u << 17)
#define CIPHER_SUITES_DEFAULT (1u << 1 | 1u << 2 | 1u << 3 | 1u << 15 | 1u << 16 | 1u << 17)
#define CIPHER_SUITES_ALLOWED_TEXT "0, 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17"

enum auth_type_flag { AUTH_FLAG_NONE = 1, AUTH_FLAG_STRAIGHT = 2, AUTH_FLAG_MD5 = 4 };

/* No IANA enterprise number is assigned to softbmc; 0 is "reserved", and the pair
 * (0, 0x0b5c) identifies softbmc in Get Device ID. */
#define SOFTBMC_MANUFACTURER_ID 0x000000
#define SOFTBMC_PRODUCT_ID      0x0b5c

void config_defaults(struct softbmc_config *cfg)
{
	*cfg = (struct softbmc_config){
		.session_timeout_s = 60,
		.half_open_timeout_s = 5,
		.max_sessions = 32,
		.cipher_suites = CIPHER_SUITES_DEFAULT,
		.auth_none = false,
		.auth_straight = false,
		.auth_md5 = true,
		.rate_limit = 100,
		.rate_limit_burst = 200,
		.manufacturer_id = SOFTBMC_MANUFACTURER_ID,
		.product_id = SOFTBMC_PRODUCT_ID,
		.sim_soft_off_delay_ms = 3000,
		.sim_cycle_off_interval_ms = 2000,
		.qemu = { .kill_wait_s = 10 },
		.profile_name = "compute-1u",
		.sim_speed = 1,
		.sim_seed = 1,
		.sel_capacity = 1024,
		.http = { .max_sessions = 16, .session_timeout_s = 600, .max_body = 65536 },
	};
	bmc_fru_config_defaults(&cfg->fru);
	sim_model_cfg_default(&cfg->sim_model);
}

/* ---- the schema: a raw mirror of the file ---- */

struct raw_lan {
	char *session_timeout;
	char *half_open_timeout;
	char *max_sessions;
	char **cipher_suites;
	unsigned cipher_suites_count;
	uint32_t *ipmi15_auth_types; /* enum auth_type_flag bits */
	char *rate_limit;
	char *rate_limit_burst;
};

struct raw_daemon {
	char *user;
};

struct raw_identity {
	char *manufacturer_id;
	char *product_id;
};

struct raw_qemu {
	char *command;
	char *kill_wait;
};

struct raw_platform {
	int type; /* CONFIG_PLATFORM_*; absent = 0 = sim */
	struct raw_sim *sim;
	struct raw_qemu *qemu;
};

struct raw_sel {
	char *capacity;
};

struct raw_fru_chassis {
	char *type;
	char *part_number;
	char *serial;
};

struct raw_fru_board {
	char *mfg_date;
	char *manufacturer;
	char *product_name;
	char *serial;
	char *part_number;
};

struct raw_fru_product {
	char *manufacturer;
	char *name;
	char *part_number;
	char *version;
	char *serial;
	char *asset_tag;
};

struct raw_fru {
	struct raw_fru_chassis *chassis;
	struct raw_fru_board *board;
	struct raw_fru_product *product;
};

/* http: (issue 5) */
struct raw_http {
	char *listen;
	char *cert;
	char *key;
	char *ui_dir;
	char *max_sessions;
	char *session_timeout;
	char *max_body;
};

struct raw_config {
	struct raw_http *http;
	struct raw_lan *lan;
	struct raw_identity *identity;
	struct raw_platform *platform;
	struct raw_sel *sel;
	struct raw_fru *fru;
	struct raw_daemon *daemon;
	struct raw_profile *profile;
	struct raw_sensor *sensors;
	unsigned sensors_count;
};

#define NUMBER_FIELD(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, NUMBER_MAX_LEN)
#define TEXT_FIELD(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, FRU_TEXT_LEN_MAX)
/* An empty section ("lan:" and nothing under it) is the same as an absent one. */
#define SECTION_FLAGS (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER_NULL)

static const cyaml_strval_t auth_type_names[] = {
	{ "none", AUTH_FLAG_NONE },
	{ "straight", AUTH_FLAG_STRAIGHT },
	{ "md5", AUTH_FLAG_MD5 },
};

static const cyaml_strval_t platform_type_names[] = {
	{ "sim", CONFIG_PLATFORM_SIM },
	{ "qemu", CONFIG_PLATFORM_QEMU },
};

static const cyaml_schema_value_t number_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, NUMBER_MAX_LEN),
};

static const cyaml_schema_field_t lan_fields[] = {
	NUMBER_FIELD("session_timeout", struct raw_lan, session_timeout),
	NUMBER_FIELD("half_open_timeout", struct raw_lan, half_open_timeout),
	NUMBER_FIELD("max_sessions", struct raw_lan, max_sessions),
	CYAML_FIELD_SEQUENCE("cipher_suites", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct raw_lan, cipher_suites, &number_entry, 1, CIPHER_SUITES_MAX),
	CYAML_FIELD_FLAGS_PTR("ipmi15_auth_types", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			      struct raw_lan, ipmi15_auth_types, auth_type_names,
			      CYAML_ARRAY_LEN(auth_type_names)),
	NUMBER_FIELD("rate_limit", struct raw_lan, rate_limit),
	NUMBER_FIELD("rate_limit_burst", struct raw_lan, rate_limit_burst),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t daemon_fields[] = {
	CYAML_FIELD_STRING_PTR("user", CYAML_FLAG_OPTIONAL, struct raw_daemon, user, 0,
			       CONFIG_USER_MAX),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t identity_fields[] = {
	NUMBER_FIELD("manufacturer_id", struct raw_identity, manufacturer_id),
	NUMBER_FIELD("product_id", struct raw_identity, product_id),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t qemu_fields[] = {
	CYAML_FIELD_STRING_PTR("command", CYAML_FLAG_OPTIONAL, struct raw_qemu, command, 1,
			       CONFIG_QEMU_COMMAND_MAX),
	NUMBER_FIELD("kill_wait", struct raw_qemu, kill_wait),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t platform_fields[] = {
	CYAML_FIELD_ENUM("type", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT, struct raw_platform,
			 type, platform_type_names, CYAML_ARRAY_LEN(platform_type_names)),
	CYAML_FIELD_MAPPING_PTR("sim", SECTION_FLAGS, struct raw_platform, sim, config_sim_fields),
	CYAML_FIELD_MAPPING_PTR("qemu", SECTION_FLAGS, struct raw_platform, qemu, qemu_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t sel_fields[] = {
	NUMBER_FIELD("capacity", struct raw_sel, capacity),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t fru_chassis_fields[] = {
	NUMBER_FIELD("type", struct raw_fru_chassis, type),
	TEXT_FIELD("part_number", struct raw_fru_chassis, part_number),
	TEXT_FIELD("serial", struct raw_fru_chassis, serial),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t fru_board_fields[] = {
	TEXT_FIELD("mfg_date", struct raw_fru_board, mfg_date),
	TEXT_FIELD("manufacturer", struct raw_fru_board, manufacturer),
	TEXT_FIELD("product_name", struct raw_fru_board, product_name),
	TEXT_FIELD("serial", struct raw_fru_board, serial),
	TEXT_FIELD("part_number", struct raw_fru_board, part_number),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t fru_product_fields[] = {
	TEXT_FIELD("manufacturer", struct raw_fru_product, manufacturer),
	TEXT_FIELD("name", struct raw_fru_product, name),
	TEXT_FIELD("part_number", struct raw_fru_product, part_number),
	TEXT_FIELD("version", struct raw_fru_product, version),
	TEXT_FIELD("serial", struct raw_fru_product, serial),
	TEXT_FIELD("asset_tag", struct raw_fru_product, asset_tag),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t fru_fields[] = {
	CYAML_FIELD_MAPPING_PTR("chassis", SECTION_FLAGS, struct raw_fru, chassis,
				fru_chassis_fields),
	CYAML_FIELD_MAPPING_PTR("board", SECTION_FLAGS, struct raw_fru, board, fru_board_fields),
	CYAML_FIELD_MAPPING_PTR("product", SECTION_FLAGS, struct raw_fru, product,
				fru_product_fields),
	CYAML_FIELD_END
};

#define PATH_FIELD(key, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, struct raw_http, member, 1, 255)
static const cyaml_schema_field_t http_fields[] = {
	PATH_FIELD("listen", listen),
	PATH_FIELD("cert", cert),
	PATH_FIELD("key", key),
	PATH_FIELD("ui_dir", ui_dir),
	NUMBER_FIELD("max_sessions", struct raw_http, max_sessions),
	NUMBER_FIELD("session_timeout", struct raw_http, session_timeout),
	NUMBER_FIELD("max_body", struct raw_http, max_body),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t top_fields[] = {
	CYAML_FIELD_MAPPING_PTR("http", SECTION_FLAGS, struct raw_config, http, http_fields),
	CYAML_FIELD_MAPPING_PTR("lan", SECTION_FLAGS, struct raw_config, lan, lan_fields),
	CYAML_FIELD_MAPPING_PTR("identity", SECTION_FLAGS, struct raw_config, identity,
				identity_fields),
	CYAML_FIELD_MAPPING_PTR("platform", SECTION_FLAGS, struct raw_config, platform,
				platform_fields),
	CYAML_FIELD_MAPPING_PTR("sel", SECTION_FLAGS, struct raw_config, sel, sel_fields),
	CYAML_FIELD_MAPPING_PTR("fru", SECTION_FLAGS, struct raw_config, fru, fru_fields),
	CYAML_FIELD_MAPPING_PTR("daemon", SECTION_FLAGS, struct raw_config, daemon,
				daemon_fields),
	CYAML_FIELD_MAPPING_PTR("profile", SECTION_FLAGS, struct raw_config, profile,
				config_profile_fields),
	CYAML_FIELD_SEQUENCE("sensors", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct raw_config,
			     sensors, &config_sensor_entry, 1, BMC_SENSORS_MAX),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t top_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_config, top_fields),
};

/* Names accepted by the enumerated fields, for error messages. */
static const struct {
	const char *field;
	const char *names;
} allowed_names[] = {
	{ "lan.ipmi15_auth_types", "none, straight, md5" },
	{ "platform.type", "sim, qemu" },
	{ "sensors.kind", "temperature, fan, voltage, current, power, discrete" },
	{ "sensors.format", "unsigned, 1s-complement, 2s-complement" },
	{ "sensors.settable", "lnr, lcr, lnc, unc, ucr, unr" },
};

/* ---- the file and error messages ---- */

static int src_read(struct cfg_src *src)
{
	FILE *f = fopen(src->file, "re");
	if (!f)
		return -errno;
	src->text = malloc(CONFIG_MAX_SIZE + 1);
	if (!src->text) {
		fclose(f);
		return -ENOMEM;
	}
	src->len = fread(src->text, 1, CONFIG_MAX_SIZE + 1, f);
	int r = ferror(f) ? -EIO : src->len > CONFIG_MAX_SIZE ? -EFBIG : 0;
	fclose(f);
	return r;
}

__attribute__((format(printf, 4, 0)))
static int fail_v(const struct cfg_src *src, unsigned line, const char *field,
		  const char *fmt, va_list ap)
{
	char what[256];
	char where[FIELD_PATH_MAX + 16];
	vsnprintf(what, sizeof(what), fmt, ap);
	if (line)
		snprintf(where, sizeof(where), ":%u", line);
	else
		where[0] = '\0';
	if (src->cap)
		snprintf(src->err, src->cap, "%s%s: %s%s%s", src->file, where,
			 field ? field : "", field ? ": " : "", what);
	return -EINVAL;
}

__attribute__((format(printf, 4, 5)))
static int fail_at(const struct cfg_src *src, unsigned line, const char *field,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fail_v(src, line, field, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- finding the line of a field with libyaml ---- */

struct yaml_frame {
	bool map;      /* mapping (else sequence) */
	bool want_key; /* mapping: the next node is a key */
	unsigned index; /* sequence: index of the next entry */
	size_t base;   /* path length of the collection itself */
};

struct yaml_locator {
	const char *target;
	char path[FIELD_PATH_MAX];
	struct yaml_frame st[YAML_DEPTH_MAX];
	int depth;
	bool too_deep;
};

__attribute__((format(printf, 3, 4)))
static void locator_path(struct yaml_locator *l, size_t base, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->path + base, sizeof(l->path) - base, fmt, ap);
	va_end(ap);
}

/* A node event: names it (mapping key "a.b", sequence entry "a.b[2]"), enters collections.
 * Returns true if the node is the target. */
static bool locator_node(struct yaml_locator *l, const yaml_event_t *ev)
{
	bool named = false;
	if (l->depth > 0) {
		struct yaml_frame *f = &l->st[l->depth - 1];
		const char *key = ev->type == YAML_SCALAR_EVENT ?
			(const char *)ev->data.scalar.value : "?";
		if (!f->map) {
			locator_path(l, f->base, "[%u]", f->index++);
			named = true;
		} else if (f->want_key) {
			locator_path(l, f->base, "%s%s", f->base ? "." : "", key);
			named = true;
		}
		f->want_key = f->map && !f->want_key;
	}
	bool hit = named && l->target && strcmp(l->path, l->target) == 0;
	if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
		if (l->depth == YAML_DEPTH_MAX) {
			l->too_deep = true;
			return false;
		}
		l->st[l->depth++] = (struct yaml_frame){
			.map = ev->type == YAML_MAPPING_START_EVENT,
			.want_key = true,
			.base = strlen(l->path),
		};
	}
	return hit;
}

/* Returns the 1-based line of the field named by target ("lan.max_sessions"), or 0. With
 * target NULL it only parses: on a syntax error it returns the error's line and describes it
 * in problem. */
static unsigned yaml_line_of(const struct cfg_src *src, const char *target,
			     char *problem, size_t cap)
{
	struct yaml_locator l = { .target = target };
	yaml_parser_t p;
	yaml_event_t ev;
	unsigned line = 0;
	if (!yaml_parser_initialize(&p))
		return 0;
	yaml_parser_set_input_string(&p, (const unsigned char *)src->text, src->len);
	for (bool done = false; !done && !l.too_deep;) {
		if (!yaml_parser_parse(&p, &ev)) {
			if (problem)
				snprintf(problem, cap, "%s", p.problem ? p.problem : "invalid YAML");
			line = target ? 0 : (unsigned)p.problem_mark.line + 1;
			break;
		}
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (locator_node(&l, &ev)) {
				line = (unsigned)ev.start_mark.line + 1;
				done = true;
			}
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			l.depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return line;
}

__attribute__((format(printf, 3, 4)))
static int fail_field(const struct cfg_src *src, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fail_v(src, yaml_line_of(src, field, NULL, 0), field, fmt, ap);
	va_end(ap);
	return r;
}

int config_fail_field(const struct cfg_src *src, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = fail_v(src, yaml_line_of(src, field, NULL, 0), field, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- libcyaml's errors, captured from its log ---- */

#define CY_FIELDS_MAX 8

struct cy_log {
	char msg[256];                   /* the first error line */
	unsigned line;                   /* innermost line of the backtrace */
	char fields[CY_FIELDS_MAX][48];  /* backtrace field names, innermost first */
	int nfields;
	bool backtrace;
};

static void cy_log_frame(struct cy_log *c, const char *t)
{
	char name[48];
	unsigned line = 0;
	int n = sscanf(t, " in mapping field '%47[^']' (line: %u", name, &line);
	if (n < 1)
		n = sscanf(t, " in mapping field: %47s", name);
	if (n >= 1 && c->nfields < CY_FIELDS_MAX)
		snprintf(c->fields[c->nfields++], sizeof(c->fields[0]), "%s", name);
	if (n < 1 && sscanf(t, " in %*[^(](line: %u", &line) != 1)
		return;
	if (!c->line)
		c->line = line;
}

__attribute__((format(printf, 3, 0)))
static void cy_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct cy_log *c = ctx;
	char text[256];
	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(text, sizeof(text), fmt, args);
	text[strcspn(text, "\n")] = '\0';
	const char *t = strncmp(text, "Load: ", 6) == 0 ? text + 6 : text;
	if (strcmp(t, "Backtrace:") == 0)
		c->backtrace = true;
	else if (c->backtrace)
		cy_log_frame(c, t);
	else if (!c->msg[0])
		snprintf(c->msg, sizeof(c->msg), "%s", t);
}

/* The dotted field path of the backtrace, outermost first. */
static void cy_field_path(const struct cy_log *c, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = c->nfields - 1; i >= 0 && n < cap; i--)
		n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "." : "", c->fields[i]);
}

static const char *allowed_for(const char *field)
{
	for (size_t i = 0; i < sizeof(allowed_names) / sizeof(allowed_names[0]); i++)
		if (strcmp(allowed_names[i].field, field) == 0)
			return allowed_names[i].names;
	return "see docs/config.md";
}

/* libcyaml's kinds of node ("MAPPING", "SEQUENCE_START", ...) in the operator's words. */
static const char *cy_kind(const char *kind)
{
	if (strncmp(kind, "MAPPING", 7) == 0)
		return "a mapping";
	if (strncmp(kind, "SEQUENCE", 8) == 0 || strcmp(kind, "FLAGS") == 0)
		return "a list";
	return "a single value";
}

/* Rewrites libcyaml's message for an operator; the field path may gain an unknown key. */
static void cy_describe(const struct cy_log *c, char *field, size_t fcap, char *say, size_t scap)
{
	const char *m = c->msg;
	char want[32], got[32];
	cy_field_path(c, field, fcap);
	if (strncmp(m, "Unexpected key: ", 16) == 0) {
		size_t n = strlen(field);
		snprintf(field + n, fcap - n, "%s%s", n ? "." : "", m + 16);
		snprintf(say, scap, "unknown key");
	} else if (strncmp(m, "Mapping field already seen: ", 28) == 0) {
		snprintf(say, scap, "given more than once");
	} else if (strncmp(m, "Unknown flag: ", 14) == 0 ||
		   strncmp(m, "Invalid ENUM value: ", 20) == 0) {
		snprintf(say, scap, "'%s' is not one of: %s", strchr(m, ':') + 2, allowed_for(field));
	} else if (sscanf(m, "Expecting %31[^,], got event: %31s", want, got) == 2) {
		snprintf(say, scap, "expected %s, found %s", cy_kind(want), cy_kind(got));
	} else if (strncmp(m, "Insufficient entries", 20) == 0) {
		snprintf(say, scap, "must list at least one entry");
	} else if (strncmp(m, "Excessive entries", 17) == 0) {
		snprintf(say, scap, "too many entries");
	} else if (strncmp(m, "STRING length > ", 16) == 0) {
		snprintf(say, scap, "value too long");
	} else {
		snprintf(say, scap, "%s", m[0] ? m : "invalid");
	}
}

static int cy_error(const struct cfg_src *src, const struct cy_log *c, cyaml_err_t e)
{
	char field[FIELD_PATH_MAX], say[256];
	if (e == CYAML_ERR_OOM)
		return -ENOMEM;
	if (e == CYAML_ERR_LIBYAML_PARSER) {
		unsigned line = yaml_line_of(src, NULL, say, sizeof(say));
		return fail_at(src, line, NULL, "invalid YAML: %s", say);
	}
	if (e == CYAML_ERR_ALIAS)
		return fail_at(src, c->line, NULL, "YAML anchors and aliases are not accepted");
	cy_describe(c, field, sizeof(field), say, sizeof(say));
	unsigned line = field[0] ? yaml_line_of(src, field, NULL, 0) : 0;
	return fail_at(src, line ? line : c->line, field[0] ? field : NULL, "%s", say);
}

/* ---- values ---- */

/* Decimal, or hexadecimal with 0x; nothing else, no sign, no trailing text. */
static int parse_u32(const char *text, uint32_t *ret)
{
	const char *p = text;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p || strspn(p, base == 16 ? "0123456789abcdefABCDEF" : "0123456789") != strlen(p))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(p, NULL, base);
	if (errno == ERANGE || v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

struct number_field {
	const char *field;
	const char *text; /* as written; NULL when absent */
	uint32_t min, max;
	bool hex;         /* show the range in hexadecimal */
	uint32_t *dst;
};

static int number_apply(const struct cfg_src *src, const struct number_field *f)
{
	uint32_t v;
	if (!f->text)
		return 0;
	int r = parse_u32(f->text, &v);
	if (r == -EINVAL)
		return fail_field(src, f->field, "'%s' is not a whole number", f->text);
	if (r < 0 || v < f->min || v > f->max)
		return fail_field(src, f->field, f->hex ? "%s is out of range (0x%x..0x%x)" :
				  "%s is out of range (%u..%u)", f->text, f->min, f->max);
	*f->dst = v;
	return 0;
}

static int numbers_apply(const struct cfg_src *src, const struct raw_config *raw,
			 struct softbmc_config *next)
{
	const struct raw_lan *lan = raw->lan;
	const struct raw_identity *id = raw->identity;
	const struct raw_sim *sim = raw->platform ? raw->platform->sim : NULL;
	const struct raw_sel *sel = raw->sel;
	uint32_t product_id = next->product_id;
	const struct number_field fields[] = {
		{ "lan.session_timeout", lan ? lan->session_timeout : NULL, 10, 3600, false,
		  &next->session_timeout_s },
		{ "lan.half_open_timeout", lan ? lan->half_open_timeout : NULL, 1, 60, false,
		  &next->half_open_timeout_s },
		{ "lan.max_sessions", lan ? lan->max_sessions : NULL, 1, 63, false,
		  &next->max_sessions },
		{ "lan.rate_limit", lan ? lan->rate_limit : NULL, 0, 1000000, false,
		  &next->rate_limit },
		{ "lan.rate_limit_burst", lan ? lan->rate_limit_burst : NULL, 1, 100000, false,
		  &next->rate_limit_burst },
		/* IANA enterprise numbers are 20 bits in Get Device ID (IPMI 2.0 §20.1). */
		{ "identity.manufacturer_id", id ? id->manufacturer_id : NULL, 0, 0xfffff, true,
		  &next->manufacturer_id },
		{ "identity.product_id", id ? id->product_id : NULL, 0, 0xffff, true, &product_id },
		{ "platform.sim.soft_off_delay_ms", sim ? sim->soft_off_delay_ms : NULL,
		  0, 600000, false, &next->sim_soft_off_delay_ms },
		{ "platform.sim.cycle_off_interval_ms", sim ? sim->cycle_off_interval_ms : NULL,
		  0, 600000, false, &next->sim_cycle_off_interval_ms },
		/* SEL record IDs are 1..0xFFFE (IPMI 2.0 §31), so at most 65534 entries. */
		{ "sel.capacity", sel ? sel->capacity : NULL, 1, 65534, false, &next->sel_capacity },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int r = number_apply(src, &fields[i]);
		if (r < 0)
			return r;
	}
	next->product_id = (uint16_t)product_id;
	return 0;
}

static int cipher_suites_apply(const struct cfg_src *src, const struct raw_lan *lan,
			       struct softbmc_config *next)
{
	char field[FIELD_PATH_MAX];
	uint32_t set = 0;
	if (!lan || !lan->cipher_suites)
		return 0;
	for (unsigned i = 0; i < lan->cipher_suites_count; i++) {
		const char *text = lan->cipher_suites[i];
		uint32_t id;
		snprintf(field, sizeof(field), "lan.cipher_suites[%u]", i);
		int r = parse_u32(text, &id);
		if (r == -EINVAL)
			return fail_field(src, field, "'%s' is not a whole number", text);
		if (r < 0 || id > 31 || !(CIPHER_SUITES_ALLOWED & 1u << id))
			return fail_field(src, field, "%s is not a supported cipher suite (allowed: "
					  CIPHER_SUITES_ALLOWED_TEXT ")", text);
		set |= 1u << id;
	}
	next->cipher_suites = set;
	return 0;
}

static void auth_types_apply(const struct raw_lan *lan, struct softbmc_config *next)
{
	if (!lan || !lan->ipmi15_auth_types)
		return;
	uint32_t t = *lan->ipmi15_auth_types;
	next->auth_none = t & AUTH_FLAG_NONE;
	next->auth_straight = t & AUTH_FLAG_STRAIGHT;
	next->auth_md5 = t & AUTH_FLAG_MD5;
}

/* ---- the fru: section (bmc/fru.h) ---- */

/* A FRU text field is stored as 8-bit ASCII (records.md §10.6): at most 63 bytes, and only
 * printable ASCII, so that what the file says is what every client shows. */
static int fru_text_apply(const struct cfg_src *src, const char *field, const char *text,
			  char out[static BMC_FRU_TEXT_CAP])
{
	size_t len = strlen(text);
	if (len > BMC_FRU_STRING_MAX)
		return fail_field(src, field, "the value is %zu bytes long; a FRU field holds at "
				  "most %d", len, BMC_FRU_STRING_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c > 0x7e)
			return fail_field(src, field, "contains a byte (0x%02x) that is not printable "
					  "ASCII", c);
	}
	memcpy(out, text, len + 1);
	return 0;
}

static int fru_texts_apply(const struct cfg_src *src, const struct raw_fru *fru,
			   struct bmc_fru_config *next)
{
	const struct raw_fru_chassis *c = fru->chassis;
	const struct raw_fru_board *b = fru->board;
	const struct raw_fru_product *p = fru->product;
	const struct {
		const char *field;
		const char *text;
		enum bmc_fru_field id;
	} texts[] = {
		{ "fru.chassis.part_number", c ? c->part_number : NULL, BMC_FRU_CHASSIS_PART_NUMBER },
		{ "fru.chassis.serial", c ? c->serial : NULL, BMC_FRU_CHASSIS_SERIAL },
		{ "fru.board.manufacturer", b ? b->manufacturer : NULL, BMC_FRU_BOARD_MANUFACTURER },
		{ "fru.board.product_name", b ? b->product_name : NULL, BMC_FRU_BOARD_PRODUCT_NAME },
		{ "fru.board.serial", b ? b->serial : NULL, BMC_FRU_BOARD_SERIAL },
		{ "fru.board.part_number", b ? b->part_number : NULL, BMC_FRU_BOARD_PART_NUMBER },
		{ "fru.product.manufacturer", p ? p->manufacturer : NULL,
		  BMC_FRU_PRODUCT_MANUFACTURER },
		{ "fru.product.name", p ? p->name : NULL, BMC_FRU_PRODUCT_NAME },
		{ "fru.product.part_number", p ? p->part_number : NULL, BMC_FRU_PRODUCT_PART_NUMBER },
		{ "fru.product.version", p ? p->version : NULL, BMC_FRU_PRODUCT_VERSION },
		{ "fru.product.serial", p ? p->serial : NULL, BMC_FRU_PRODUCT_SERIAL },
		{ "fru.product.asset_tag", p ? p->asset_tag : NULL, BMC_FRU_PRODUCT_ASSET_TAG },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!texts[i].text)
			continue;
		int r = fru_text_apply(src, texts[i].field, texts[i].text,
				       next->info.field[texts[i].id]);
		if (r < 0)
			return r;
		next->serial_from_guid &= ~(1u << texts[i].id); /* given: not derived */
	}
	return 0;
}

/* "YYYY-MM-DD HH:MM" (or with a T), UTC, an existing date; -EINVAL or -ERANGE. */
static int fru_date_parse(const char *text, uint32_t *ret)
{
	static const char form[] = "dddd-dd-dd?dd:dd";
	int y, mo, d, h, mi;
	if (strlen(text) != sizeof(form) - 1)
		return -EINVAL;
	for (size_t i = 0; form[i]; i++) {
		bool ok = form[i] == 'd' ? text[i] >= '0' && text[i] <= '9' :
			  form[i] == '?' ? text[i] == ' ' || text[i] == 'T' : text[i] == form[i];
		if (!ok)
			return -EINVAL;
	}
	if (sscanf(text, "%4d-%2d-%2d%*c%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return -EINVAL;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi };
	time_t t = timegm(&tm);
	/* timegm normalises 02-30 to 03-02: a changed field means no such date or time */
	if (tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d ||
	    tm.tm_hour != h || tm.tm_min != mi)
		return -EINVAL;
	return bmc_fru_mfg_minutes((int64_t)t, ret);
}

static int fru_date_apply(const struct cfg_src *src, const struct raw_fru_board *b,
			  struct bmc_fru_config *next)
{
	const char *field = "fru.board.mfg_date";
	uint32_t minutes = 0;
	if (!b || !b->mfg_date)
		return 0;
	if (strcmp(b->mfg_date, "unspecified") != 0) {
		int r = fru_date_parse(b->mfg_date, &minutes);
		if (r == -EINVAL)
			return fail_field(src, field, "'%s' is not a date and time written "
					  "YYYY-MM-DD HH:MM (UTC), nor 'unspecified'", b->mfg_date);
		if (r < 0)
			return fail_field(src, field, "'%s' is out of range (1996-01-01 00:01 .. "
					  "2027-11-24 20:15 UTC)", b->mfg_date);
	}
	next->info.board_mfg_minutes = minutes;
	next->mfg_date_at_first_start = false;
	return 0;
}

static int fru_apply(const struct cfg_src *src, const struct raw_fru *fru,
		     struct bmc_fru_config *next)
{
	uint32_t type = next->info.chassis_type;
	if (!fru)
		return 0;
	const struct number_field type_field = {
		"fru.chassis.type", fru->chassis ? fru->chassis->type : NULL, 0x01,
		BMC_FRU_CHASSIS_TYPE_MAX, true, &type,
	};
	int r = number_apply(src, &type_field);
	if (r < 0)
		return r;
	next->info.chassis_type = (uint8_t)type;
	r = fru_date_apply(src, fru->board, next);
	if (r < 0)
		return r;
	return fru_texts_apply(src, fru, next);
}

/* ---- the daemon: section ---- */

/* A POSIX portable user name: letters, digits, '.', '_', '-', not starting with '-'. */
static int daemon_apply(const struct cfg_src *src, const struct raw_daemon *d,
			struct softbmc_config *next)
{
	if (!d || !d->user)
		return 0;
	const char *u = d->user;
	size_t len = strlen(u);
	if (len == 0 || u[0] == '-' ||
	    strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len)
		return fail_field(src, "daemon.user", "'%s' is not a user name", u);
	memcpy(next->daemon_user, u, len + 1);
	return 0;
}

/* ---- the platform: section's type and qemu: (platform/qemu) ---- */

static int platform_apply(const struct cfg_src *src, const struct raw_platform *p,
			  struct softbmc_config *next)
{
	if (!p)
		return 0;
	const struct raw_qemu *q = p->qemu;
	const struct number_field kill_wait = {
		"platform.qemu.kill_wait", q ? q->kill_wait : NULL, 1, 600, false,
		&next->qemu.kill_wait_s,
	};
	int r = number_apply(src, &kill_wait);
	if (r < 0)
		return r;
	if (q && q->command)
		snprintf(next->qemu.command, sizeof(next->qemu.command), "%s", q->command);
	next->platform_type = p->type;
	if (next->platform_type == CONFIG_PLATFORM_QEMU && !next->qemu.command[0])
		return fail_field(src, "platform.qemu.command",
				  "is needed when platform.type is qemu (the QEMU command line)");
	return 0;
}

/* ---- the http: section (web/web.h) ---- */

static int http_apply(const struct cfg_src *src, const struct raw_http *h,
		      struct softbmc_config *next)
{
	if (!h)
		return 0;
	const struct number_field fields[] = {
		{ "http.max_sessions", h->max_sessions, 1, 64, false, &next->http.max_sessions },
		{ "http.session_timeout", h->session_timeout, 30, 86400, false,
		  &next->http.session_timeout_s },
		{ "http.max_body", h->max_body, 1024, 1048576, false, &next->http.max_body },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int r = number_apply(src, &fields[i]);
		if (r < 0)
			return r;
	}
	if (h->listen && (strlen(h->listen) >= sizeof(next->http.listen) ||
			  !strchr(h->listen, ':')))
		return fail_field(src, "http.listen", "'%s' is not ADDR:PORT", h->listen);
	if (!h->cert != !h->key)
		return fail_field(src, h->cert ? "http.cert" : "http.key",
				  "cert and key go together");
	if (h->listen)
		snprintf(next->http.listen, sizeof(next->http.listen), "%s", h->listen);
	if (h->cert)
		snprintf(next->http.cert, sizeof(next->http.cert), "%s", h->cert);
	if (h->key)
		snprintf(next->http.key, sizeof(next->http.key), "%s", h->key);
	if (h->ui_dir)
		snprintf(next->http.ui_dir, sizeof(next->http.ui_dir), "%s", h->ui_dir);
	return 0;
}

static int raw_apply(const struct cfg_src *src, const struct raw_config *raw,
		     struct softbmc_config *next)
{
	if (!raw)
		return 0; /* an empty file */
	int r = numbers_apply(src, raw, next);
	if (r == 0)
		r = cipher_suites_apply(src, raw->lan, next);
	if (r == 0)
		auth_types_apply(raw->lan, next);
	if (r == 0)
		r = fru_apply(src, raw->fru, &next->fru);
	if (r == 0)
		r = daemon_apply(src, raw->daemon, next);
	if (r == 0)
		r = http_apply(src, raw->http, next);
	if (r == 0)
		r = platform_apply(src, raw->platform, next);
	if (r == 0)
		r = config_profile_apply(src, raw->profile, raw->platform ? raw->platform->sim : NULL,
					 raw->sensors, raw->sensors ? raw->sensors_count : 0, next);
	return r;
}

/* Parses src->text over cfg (all or nothing). */
static int config_parse(struct cfg_src *src, struct softbmc_config *cfg)
{
	struct cy_log log = { .msg = "" };
	const cyaml_config_t cc = {
		.log_fn = cy_log_fn,
		.log_ctx = &log,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	struct raw_config *raw = NULL;
	int r;
	cyaml_err_t e = cyaml_load_data((const uint8_t *)src->text, src->len, &cc, &top_schema,
					(cyaml_data_t **)&raw, NULL);
	if (e != CYAML_OK) {
		r = cy_error(src, &log, e);
	} else {
		/* on the heap: the sensor table makes the config large */
		struct softbmc_config *next = malloc(sizeof(*next));
		if (!next) {
			r = -ENOMEM;
		} else {
			*next = *cfg;
			config_fix_pointers(next);
			r = raw_apply(src, raw, next);
			if (r == 0) {
				*cfg = *next;
				config_fix_pointers(cfg);
			}
			free(next);
		}
	}
	if (raw)
		cyaml_free(&cc, &top_schema, raw, 0);
	return r;
}

int config_load(const char *path, struct softbmc_config *cfg, char *err, size_t cap)
{
	struct cfg_src src = { .file = path, .err = err, .cap = cap };
	if (cap)
		err[0] = '\0';
	int r = src_read(&src);
	if (r < 0) {
		if (cap)
			snprintf(err, cap, "%s: %s", path, r == -EFBIG ?
				 "larger than 64 KiB, not a configuration file" : strerror(-r));
		free(src.text);
		return r;
	}
	r = config_parse(&src, cfg);
	free(src.text);
	return r;
}

int config_load_buffer(const char *name, const char *text, size_t len,
		       struct softbmc_config *cfg, char *err, size_t cap)
{
	if (cap)
		err[0] = '\0';
	if (len > CONFIG_MAX_SIZE) {
		if (cap)
			snprintf(err, cap, "%s: larger than 64 KiB, not a configuration file", name);
		return -EFBIG;
	}
	/* The error messages quote lines from the text, which must not be modified. */
	struct cfg_src src = { .file = name, .text = (char *)text, .len = len, .err = err,
			       .cap = cap };
	return config_parse(&src, cfg);
}
