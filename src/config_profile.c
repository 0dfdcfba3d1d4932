/* The server profile in the configuration (docs/simulation.md): `profile:` (name), the
 * simulated server's physics under `platform.sim:` (config_sim_fields) and the `sensors:` list
 * that becomes the BMC's sensor table and SDR repository. Numbers are read as text and parsed
 * strictly here (as config.c does), and every error names the file, line and field.
 *
 * A sensor entry may start from a `kind` preset (temperature, fan, voltage, current, power,
 * discrete) that fills the sensor type, unit, format, factors and hysteresis of that kind;
 * explicit keys override it. Thresholds that are given are readable; `settable` lists those a
 * client may change. Inputs starting with "bmc." are the BMC's own event-driven sensors. */
#include "config_profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmc/event.h"
#include "platform/sim/sim.h"

#define NUM_LEN_MAX 32
#define NAME_LEN_MAX 64
#define FIELD_MAX 128

/* ---- raw mirror ---- */

struct raw_fan {
	char *name, *max_rpm, *spinup_s, *max_w;
};

struct raw_psu {
	char *name, *capacity_w, *efficiency, *standby_w;
};

struct raw_node {
	char *name, *input, *power_input;
	char *idle_w, *max_w, *r_c_per_w, *tau_s, *setpoint_c, *trip_c, *noise_c, *total;
};

struct raw_rail {
	char *input, *nominal, *sag, *noise, *standby;
};

struct raw_fan_control {
	char *min_duty, *max_duty, *fail_duty, *gain_per_c, *slew_per_s, *airflow_exp;
};

#define NUM(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, NUM_LEN_MAX)
#define NAME(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, NAME_LEN_MAX)
#define SECTION (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER_NULL)

static const cyaml_schema_field_t fan_fields[] = {
	NAME("name", struct raw_fan, name), NUM("max_rpm", struct raw_fan, max_rpm),
	NUM("spinup_s", struct raw_fan, spinup_s), NUM("max_w", struct raw_fan, max_w),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t fan_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_fan, fan_fields),
};

static const cyaml_schema_field_t psu_fields[] = {
	NAME("name", struct raw_psu, name), NUM("capacity_w", struct raw_psu, capacity_w),
	NUM("efficiency", struct raw_psu, efficiency), NUM("standby_w", struct raw_psu, standby_w),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t psu_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_psu, psu_fields),
};

static const cyaml_schema_field_t node_fields[] = {
	NAME("name", struct raw_node, name), NAME("input", struct raw_node, input),
	NAME("power_input", struct raw_node, power_input),
	NUM("idle_w", struct raw_node, idle_w), NUM("max_w", struct raw_node, max_w),
	NUM("r_c_per_w", struct raw_node, r_c_per_w), NUM("tau_s", struct raw_node, tau_s),
	NUM("setpoint_c", struct raw_node, setpoint_c), NUM("trip_c", struct raw_node, trip_c),
	NUM("noise_c", struct raw_node, noise_c), NUM("total", struct raw_node, total),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t node_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_node, node_fields),
};

static const cyaml_schema_field_t rail_fields[] = {
	NAME("input", struct raw_rail, input), NUM("nominal", struct raw_rail, nominal),
	NUM("sag", struct raw_rail, sag), NUM("noise", struct raw_rail, noise),
	NUM("standby", struct raw_rail, standby),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t rail_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_rail, rail_fields),
};

static const cyaml_schema_field_t fan_control_fields[] = {
	NUM("min_duty", struct raw_fan_control, min_duty),
	NUM("max_duty", struct raw_fan_control, max_duty),
	NUM("fail_duty", struct raw_fan_control, fail_duty),
	NUM("gain_per_c", struct raw_fan_control, gain_per_c),
	NUM("slew_per_s", struct raw_fan_control, slew_per_s),
	NUM("airflow_exp", struct raw_fan_control, airflow_exp),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t name_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, SIM_NAME_MAX - 1),
};

const cyaml_schema_field_t config_sim_fields[] = {
	NUM("soft_off_delay_ms", struct raw_sim, soft_off_delay_ms),
	NUM("cycle_off_interval_ms", struct raw_sim, cycle_off_interval_ms),
	NUM("speed", struct raw_sim, speed), NUM("seed", struct raw_sim, seed),
	NUM("ambient_c", struct raw_sim, ambient_c), NUM("mains_v", struct raw_sim, mains_v),
	NUM("base_w", struct raw_sim, base_w), NUM("load_pct", struct raw_sim, load_pct),
	NUM("drive_w", struct raw_sim, drive_w), NUM("drives", struct raw_sim, drives),
	CYAML_FIELD_SEQUENCE("dimms", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct raw_sim,
			     dimms, &name_entry, 0, SIM_DIMMS_MAX),
	CYAML_FIELD_MAPPING_PTR("fan_control", SECTION, struct raw_sim, fan_control,
				fan_control_fields),
	CYAML_FIELD_SEQUENCE("fans", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct raw_sim, fans,
			     &fan_entry, 1, SIM_FANS_MAX),
	CYAML_FIELD_SEQUENCE("psus", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct raw_sim, psus,
			     &psu_entry, 1, SIM_PSUS_MAX),
	CYAML_FIELD_SEQUENCE("nodes", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct raw_sim,
			     nodes, &node_entry, 0, SIM_NODES_MAX),
	CYAML_FIELD_SEQUENCE("rails", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct raw_sim,
			     rails, &rail_entry, 0, SIM_RAILS_MAX),
	CYAML_FIELD_END
};

const cyaml_schema_field_t config_profile_fields[] = {
	NAME("name", struct raw_profile, name),
	CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_OPTIONAL, struct raw_profile, description,
			       0, 255),
	CYAML_FIELD_END
};

static const cyaml_strval_t kind_names[] = {
	{ "temperature", KIND_TEMP }, { "fan", KIND_FAN }, { "voltage", KIND_VOLT },
	{ "current", KIND_CURRENT }, { "power", KIND_POWER }, { "discrete", KIND_DISCRETE },
};

static const cyaml_strval_t format_names[] = {
	{ "unsigned", FMT_UNSIGNED }, { "1s-complement", FMT_1S }, { "2s-complement", FMT_2S },
};

static const cyaml_strval_t threshold_names[] = {
	{ "lnc", 1 << BMC_THR_LNC }, { "lcr", 1 << BMC_THR_LCR }, { "lnr", 1 << BMC_THR_LNR },
	{ "unc", 1 << BMC_THR_UNC }, { "ucr", 1 << BMC_THR_UCR }, { "unr", 1 << BMC_THR_UNR },
};

static const cyaml_schema_field_t threshold_fields[] = {
	NUM("lnr", struct raw_thresholds, lnr), NUM("lcr", struct raw_thresholds, lcr),
	NUM("lnc", struct raw_thresholds, lnc), NUM("unc", struct raw_thresholds, unc),
	NUM("ucr", struct raw_thresholds, ucr), NUM("unr", struct raw_thresholds, unr),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t sensor_fields[] = {
	NAME("name", struct raw_sensor, name), NAME("input", struct raw_sensor, input),
	NUM("number", struct raw_sensor, number),
	CYAML_FIELD_ENUM("kind", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT, struct raw_sensor, kind,
			 kind_names, CYAML_ARRAY_LEN(kind_names)),
	NUM("sensor_type", struct raw_sensor, sensor_type),
	NUM("event_type", struct raw_sensor, event_type),
	NUM("entity_id", struct raw_sensor, entity_id),
	NUM("entity_instance", struct raw_sensor, entity_instance),
	NUM("host_powered", struct raw_sensor, host_powered),
	NUM("unit", struct raw_sensor, unit),
	CYAML_FIELD_ENUM("format", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT, struct raw_sensor,
			 format, format_names, CYAML_ARRAY_LEN(format_names)),
	NUM("m", struct raw_sensor, m), NUM("b", struct raw_sensor, b),
	NUM("b_exp", struct raw_sensor, b_exp), NUM("r_exp", struct raw_sensor, r_exp),
	CYAML_FIELD_MAPPING_PTR("thresholds", SECTION, struct raw_sensor, thresholds,
				threshold_fields),
	CYAML_FIELD_FLAGS_PTR("settable", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
			      struct raw_sensor, settable, threshold_names,
			      CYAML_ARRAY_LEN(threshold_names)),
	NUM("nominal", struct raw_sensor, nominal), NUM("normal_min", struct raw_sensor, normal_min),
	NUM("normal_max", struct raw_sensor, normal_max),
	NUM("hysteresis", struct raw_sensor, hysteresis), NUM("states", struct raw_sensor, states),
	CYAML_FIELD_END
};

const cyaml_schema_value_t config_sensor_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_sensor, sensor_fields),
};

/* ---- values ---- */

/* A decimal number (sign, fraction and exponent allowed), finite, in [lo, hi]. */
static int real_apply(const struct cfg_src *src, const char *field, const char *text, double lo,
		      double hi, double *dst)
{
	char *end;
	if (!text)
		return 0;
	double v = strtod(text, &end);
	if (!text[0] || *end || !isfinite(v) || strchr(text, 'x') || strchr(text, 'X'))
		return config_fail_field(src, field, "'%s' is not a number", text);
	if (v < lo || v > hi)
		return config_fail_field(src, field, "%s is out of range (%g..%g)", text, lo, hi);
	*dst = v;
	return 0;
}

/* A whole number, decimal, hexadecimal with 0x, or negative, in [lo, hi]. */
static int int_apply(const struct cfg_src *src, const char *field, const char *text, long lo,
		     long hi, long *dst)
{
	char *end;
	if (!text)
		return 0;
	errno = 0;
	long v = strtol(text, &end, 0);
	if (!text[0] || *end || errno || (text[0] == '0' && text[1] >= '0' && text[1] <= '9'))
		return config_fail_field(src, field, "'%s' is not a whole number", text);
	if (v < lo || v > hi)
		return config_fail_field(src, field, "%s is out of range (%ld..%ld)", text, lo, hi);
	*dst = v;
	return 0;
}

static int bool_apply(const struct cfg_src *src, const char *field, const char *text, bool *dst)
{
	if (!text)
		return 0;
	if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
		*dst = text[0] == 't';
		return 0;
	}
	return config_fail_field(src, field, "'%s' is not true or false", text);
}

static int name_apply(const struct cfg_src *src, const char *field, const char *text, char *dst,
		      size_t cap)
{
	if (!text)
		return config_fail_field(src, field, "missing");
	if (strlen(text) >= cap || !text[0])
		return config_fail_field(src, field, "'%s': 1 to %zu characters", text, cap - 1);
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return config_fail_field(src, field, "not printable ASCII");
	snprintf(dst, cap, "%s", text);
	return 0;
}

#define TRY(x) do { int r_ = (x); if (r_ < 0) return r_; } while (0)

/* ---- platform.sim ---- */

static int fans_apply(const struct cfg_src *src, const struct raw_sim *s, struct sim_model_cfg *m)
{
	char f[FIELD_MAX];
	m->n_fans = s->fans_count;
	for (unsigned i = 0; i < s->fans_count; i++) {
		const struct raw_fan *r = &s->fans[i];
		struct sim_fan_cfg *o = &m->fans[i];
		*o = (struct sim_fan_cfg){ .spinup_s = 2, .max_w = 12 };
		snprintf(f, sizeof(f), "platform.sim.fans[%u].name", i);
		TRY(name_apply(src, f, r->name, o->name, sizeof(o->name)));
		snprintf(f, sizeof(f), "platform.sim.fans[%u].max_rpm", i);
		if (!r->max_rpm)
			return config_fail_field(src, f, "missing");
		TRY(real_apply(src, f, r->max_rpm, 100, 25500, &o->max_rpm));
		snprintf(f, sizeof(f), "platform.sim.fans[%u].spinup_s", i);
		TRY(real_apply(src, f, r->spinup_s, 0.1, 60, &o->spinup_s));
		snprintf(f, sizeof(f), "platform.sim.fans[%u].max_w", i);
		TRY(real_apply(src, f, r->max_w, 0, 200, &o->max_w));
	}
	return 0;
}

static int psus_apply(const struct cfg_src *src, const struct raw_sim *s, struct sim_model_cfg *m)
{
	char f[FIELD_MAX];
	m->n_psus = s->psus_count;
	for (unsigned i = 0; i < s->psus_count; i++) {
		const struct raw_psu *r = &s->psus[i];
		struct sim_psu_cfg *o = &m->psus[i];
		*o = (struct sim_psu_cfg){ .capacity_w = 800, .efficiency = 0.94, .standby_w = 7 };
		snprintf(f, sizeof(f), "platform.sim.psus[%u].name", i);
		TRY(name_apply(src, f, r->name, o->name, sizeof(o->name)));
		snprintf(f, sizeof(f), "platform.sim.psus[%u].capacity_w", i);
		TRY(real_apply(src, f, r->capacity_w, 50, 10000, &o->capacity_w));
		snprintf(f, sizeof(f), "platform.sim.psus[%u].efficiency", i);
		TRY(real_apply(src, f, r->efficiency, 0.5, 1, &o->efficiency));
		snprintf(f, sizeof(f), "platform.sim.psus[%u].standby_w", i);
		TRY(real_apply(src, f, r->standby_w, 0, 100, &o->standby_w));
	}
	return 0;
}

static int node_apply(const struct cfg_src *src, unsigned i, const struct raw_node *r,
		      struct sim_node_cfg *o)
{
	char f[FIELD_MAX];
	const char *pre = "platform.sim.nodes";
	*o = (struct sim_node_cfg){ .tau_s = 30, .noise_c = 0.5 };
	snprintf(f, sizeof(f), "%s[%u].name", pre, i);
	TRY(name_apply(src, f, r->name, o->name, sizeof(o->name)));
	snprintf(f, sizeof(f), "%s[%u].input", pre, i);
	TRY(name_apply(src, f, r->input, o->input, sizeof(o->input)));
	snprintf(f, sizeof(f), "%s[%u].power_input", pre, i);
	if (r->power_input)
		TRY(name_apply(src, f, r->power_input, o->power_input, sizeof(o->power_input)));
	const struct { const char *key; const char *text; double lo, hi; double *dst; } nums[] = {
		{ "idle_w", r->idle_w, 0, 5000, &o->idle_w },
		{ "max_w", r->max_w, 0, 5000, &o->max_w },
		{ "r_c_per_w", r->r_c_per_w, 0, 100, &o->r_c_per_w },
		{ "tau_s", r->tau_s, 0.1, 3600, &o->tau_s },
		{ "setpoint_c", r->setpoint_c, 0, 150, &o->setpoint_c },
		{ "trip_c", r->trip_c, 0, 150, &o->trip_c },
		{ "noise_c", r->noise_c, 0, 10, &o->noise_c },
	};
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
		snprintf(f, sizeof(f), "%s[%u].%s", pre, i, nums[k].key);
		TRY(real_apply(src, f, nums[k].text, nums[k].lo, nums[k].hi, nums[k].dst));
	}
	snprintf(f, sizeof(f), "%s[%u].total", pre, i);
	TRY(bool_apply(src, f, r->total, &o->total));
	if (o->max_w < o->idle_w) {
		snprintf(f, sizeof(f), "%s[%u].max_w", pre, i);
		return config_fail_field(src, f, "smaller than idle_w");
	}
	return 0;
}

static int rails_apply(const struct cfg_src *src, const struct raw_sim *s, struct sim_model_cfg *m)
{
	char f[FIELD_MAX];
	m->n_rails = s->rails_count;
	for (unsigned i = 0; i < s->rails_count; i++) {
		const struct raw_rail *r = &s->rails[i];
		struct sim_rail_cfg *o = &m->rails[i];
		*o = (struct sim_rail_cfg){ 0 };
		snprintf(f, sizeof(f), "platform.sim.rails[%u].input", i);
		TRY(name_apply(src, f, r->input, o->input, sizeof(o->input)));
		snprintf(f, sizeof(f), "platform.sim.rails[%u].nominal", i);
		if (!r->nominal)
			return config_fail_field(src, f, "missing");
		TRY(real_apply(src, f, r->nominal, 0, 60, &o->nominal));
		snprintf(f, sizeof(f), "platform.sim.rails[%u].sag", i);
		TRY(real_apply(src, f, r->sag, 0, 10, &o->sag));
		snprintf(f, sizeof(f), "platform.sim.rails[%u].noise", i);
		TRY(real_apply(src, f, r->noise, 0, 1, &o->noise));
		snprintf(f, sizeof(f), "platform.sim.rails[%u].standby", i);
		TRY(bool_apply(src, f, r->standby, &o->standby));
	}
	return 0;
}

static int fan_control_apply(const struct cfg_src *src, const struct raw_fan_control *c,
			     struct sim_model_cfg *m)
{
	const char *pre = "platform.sim.fan_control";
	char f[FIELD_MAX];
	if (!c)
		return 0;
	const struct { const char *key; const char *text; double lo, hi; double *dst; } nums[] = {
		{ "min_duty", c->min_duty, 0.01, 1, &m->min_duty },
		{ "max_duty", c->max_duty, 0.01, 1, &m->max_duty },
		{ "fail_duty", c->fail_duty, 0.01, 1, &m->fail_duty },
		{ "gain_per_c", c->gain_per_c, 0, 1, &m->gain_per_c },
		{ "slew_per_s", c->slew_per_s, 0.001, 1, &m->slew_per_s },
		{ "airflow_exp", c->airflow_exp, 0.1, 3, &m->airflow_exp },
	};
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
		snprintf(f, sizeof(f), "%s.%s", pre, nums[k].key);
		TRY(real_apply(src, f, nums[k].text, nums[k].lo, nums[k].hi, nums[k].dst));
	}
	return 0;
}

static int sim_scalars_apply(const struct cfg_src *src, const struct raw_sim *s,
			     struct softbmc_config *next)
{
	struct sim_model_cfg *m = &next->sim_model;
	long speed = next->sim_speed, seed = next->sim_seed, drives = (long)m->n_drives;
	TRY(int_apply(src, "platform.sim.speed", s->speed, 0, PLATFORM_SIM_SPEED_MAX, &speed));
	TRY(int_apply(src, "platform.sim.seed", s->seed, 0, 0x7fffffff, &seed));
	TRY(int_apply(src, "platform.sim.drives", s->drives, 0, SIM_DRIVES_MAX, &drives));
	TRY(real_apply(src, "platform.sim.ambient_c", s->ambient_c, -20, 60, &m->ambient_c));
	TRY(real_apply(src, "platform.sim.mains_v", s->mains_v, 90, 480, &m->mains_v));
	TRY(real_apply(src, "platform.sim.base_w", s->base_w, 0, 5000, &m->base_w));
	TRY(real_apply(src, "platform.sim.load_pct", s->load_pct, 0, 100, &m->load_pct));
	TRY(real_apply(src, "platform.sim.drive_w", s->drive_w, 0, 100, &m->drive_w));
	next->sim_speed = (uint32_t)speed;
	next->sim_seed = (uint32_t)seed;
	m->n_drives = (size_t)drives;
	if (s->dimms) {
		m->n_dimms = s->dimms_count;
		for (unsigned i = 0; i < s->dimms_count; i++)
			snprintf(m->dimms[i], sizeof(m->dimms[i]), "%s", s->dimms[i]);
	}
	return 0;
}

static int sim_apply(const struct cfg_src *src, const struct raw_sim *s,
		     struct softbmc_config *next)
{
	struct sim_model_cfg *m = &next->sim_model;
	char err[160];
	if (!s)
		return 0;
	TRY(sim_scalars_apply(src, s, next));
	TRY(fan_control_apply(src, s->fan_control, m));
	if (s->fans)
		TRY(fans_apply(src, s, m));
	if (s->psus)
		TRY(psus_apply(src, s, m));
	if (s->nodes) {
		m->n_nodes = s->nodes_count;
		for (unsigned i = 0; i < s->nodes_count; i++)
			TRY(node_apply(src, i, &s->nodes[i], &m->nodes[i]));
	}
	if (s->rails)
		TRY(rails_apply(src, s, m));
	if (sim_model_cfg_check(m, err, sizeof(err)) < 0)
		return config_fail_field(src, "platform.sim", "%s", err);
	return 0;
}

/* ---- sensors ---- */

/* The kind presets (the compiled-in table, src/bmc/sensors.c, uses the same values). */
static void sensor_preset(struct bmc_sensor_def *d, int kind)
{
	*d = (struct bmc_sensor_def){ .event_type = BMC_EVENT_TYPE_THRESHOLD, .m = 1 };
	switch (kind) {
	case KIND_TEMP:
		d->sensor_type = 0x01, d->unit = 1, d->format = BMC_FORMAT_TWOS_COMPLEMENT;
		d->hyst_pos = d->hyst_neg = 2;
		break;
	case KIND_FAN:
		d->sensor_type = 0x04, d->unit = 18, d->m = 100, d->hyst_pos = d->hyst_neg = 1;
		break;
	case KIND_VOLT:
		d->sensor_type = 0x02, d->unit = 4, d->hyst_pos = d->hyst_neg = 2;
		break;
	case KIND_CURRENT:
		d->sensor_type = 0x03, d->unit = 5, d->m = 4, d->r_exp = -2;
		d->hyst_pos = d->hyst_neg = 2;
		break;
	case KIND_POWER:
		d->sensor_type = 0x0B, d->unit = 6, d->m = 4, d->hyst_pos = d->hyst_neg = 2;
		break;
	case KIND_DISCRETE:
		d->event_type = BMC_EVENT_TYPE_SENSOR_SPECIFIC, d->m = 0;
		break;
	default:
		break;
	}
}

struct int_key {
	const char *key;
	const char *text;
	long lo, hi;
};

static int sensor_ints(const struct cfg_src *src, const char *pre, const struct raw_sensor *r,
		       struct bmc_sensor_def *d)
{
	long v[11] = { d->number, d->sensor_type, d->event_type, d->entity_id, d->entity_instance,
		       d->unit, d->m, d->b, d->b_exp, d->r_exp, d->states };
	const struct int_key keys[11] = {
		{ "number", r->number, 1, 0xFE }, { "sensor_type", r->sensor_type, 0, 0xFF },
		{ "event_type", r->event_type, 1, 0x7F }, { "entity_id", r->entity_id, 0, 0xFF },
		{ "entity_instance", r->entity_instance, 0, 0x7F }, { "unit", r->unit, 0, 0xFF },
		{ "m", r->m, -512, 511 }, { "b", r->b, -512, 511 }, { "b_exp", r->b_exp, -8, 7 },
		{ "r_exp", r->r_exp, -8, 7 }, { "states", r->states, 0, 0x7FFF },
	};
	char f[FIELD_MAX];
	for (size_t k = 0; k < 11; k++) {
		snprintf(f, sizeof(f), "%s.%s", pre, keys[k].key);
		TRY(int_apply(src, f, keys[k].text, keys[k].lo, keys[k].hi, &v[k]));
	}
	if (!r->number) {
		snprintf(f, sizeof(f), "%s.number", pre);
		return config_fail_field(src, f, "missing");
	}
	d->number = (uint8_t)v[0], d->sensor_type = (uint8_t)v[1], d->event_type = (uint8_t)v[2];
	d->entity_id = (uint8_t)v[3], d->entity_instance = (uint8_t)v[4], d->unit = (uint8_t)v[5];
	d->m = (int16_t)v[6], d->b = (int16_t)v[7], d->b_exp = (int8_t)v[8];
	d->r_exp = (int8_t)v[9], d->states = (uint16_t)v[10];
	return 0;
}

static int sensor_thresholds(const struct cfg_src *src, const char *pre,
			     const struct raw_sensor *r, struct bmc_sensor_def *d)
{
	const struct raw_thresholds *t = r->thresholds;
	char f[FIELD_MAX];
	if (!t)
		return 0;
	const char *texts[BMC_THR_MAX] = { t->lnc, t->lcr, t->lnr, t->unc, t->ucr, t->unr };
	static const char *const keys[BMC_THR_MAX] = { "lnc", "lcr", "lnr", "unc", "ucr", "unr" };
	for (int i = 0; i < BMC_THR_MAX; i++) {
		if (!texts[i])
			continue;
		snprintf(f, sizeof(f), "%s.thresholds.%s", pre, keys[i]);
		TRY(real_apply(src, f, texts[i], -1e6, 1e6, &d->thresholds[i]));
		d->readable |= (uint8_t)(1u << i);
	}
	return 0;
}

/* The raw thresholds must keep LNR ≤ LCR ≤ LNC ≤ UNC ≤ UCR ≤ UNR, as Set Sensor Thresholds. */
static bool thresholds_ordered(const struct bmc_sensor_def *d)
{
	static const int order[] = { BMC_THR_LNR, BMC_THR_LCR, BMC_THR_LNC, BMC_THR_UNC,
				     BMC_THR_UCR, BMC_THR_UNR };
	bool have = false;
	int prev = 0;
	for (size_t i = 0; i < 6; i++) {
		if (!(d->readable & (1u << order[i])))
			continue;
		int v = bmc_sensor_raw_int(d, bmc_sensor_to_raw(d, d->thresholds[order[i]]));
		if (have && v < prev)
			return false;
		prev = v;
		have = true;
	}
	return true;
}

static int sensor_analog(const struct cfg_src *src, const char *pre, const struct raw_sensor *r,
			 struct bmc_sensor_def *d)
{
	char f[FIELD_MAX];
	long hyst = d->hyst_pos;
	snprintf(f, sizeof(f), "%s.nominal", pre);
	TRY(real_apply(src, f, r->nominal, -1e6, 1e6, &d->nominal));
	snprintf(f, sizeof(f), "%s.normal_min", pre);
	TRY(real_apply(src, f, r->normal_min, -1e6, 1e6, &d->normal_min));
	snprintf(f, sizeof(f), "%s.normal_max", pre);
	TRY(real_apply(src, f, r->normal_max, -1e6, 1e6, &d->normal_max));
	snprintf(f, sizeof(f), "%s.hysteresis", pre);
	TRY(int_apply(src, f, r->hysteresis, 0, 255, &hyst));
	d->hyst_pos = d->hyst_neg = (uint8_t)hyst;
	if (r->format)
		d->format = (uint8_t)(r->format == FMT_UNSIGNED ? BMC_FORMAT_UNSIGNED :
				      r->format == FMT_1S ? BMC_FORMAT_ONES_COMPLEMENT :
							    BMC_FORMAT_TWOS_COMPLEMENT);
	TRY(sensor_thresholds(src, pre, r, d));
	if (r->settable)
		d->settable = (uint8_t)*r->settable;
	snprintf(f, sizeof(f), "%s.settable", pre);
	if (d->settable & ~d->readable)
		return config_fail_field(src, f, "lists a threshold the sensor does not have");
	snprintf(f, sizeof(f), "%s.thresholds", pre);
	if (bmc_sensor_is_threshold(d) && d->m == 0)
		return config_fail_field(src, f, "a threshold sensor needs a factor m other than 0");
	if (!thresholds_ordered(d))
		return config_fail_field(src, f, "not in order (lnr <= lcr <= lnc <= unc <= ucr <= "
					 "unr)");
	return 0;
}

static int sensor_apply(const struct cfg_src *src, unsigned i, const struct raw_sensor *r,
			struct softbmc_config *next)
{
	struct bmc_sensor_def *d = &next->sensors[i];
	char *name = next->sensor_text[i][0], *input = next->sensor_text[i][1];
	char pre[32], f[FIELD_MAX];
	bool host_powered = false;

	snprintf(pre, sizeof(pre), "sensors[%u]", i);
	sensor_preset(d, r->kind);
	snprintf(f, sizeof(f), "%s.name", pre);
	TRY(name_apply(src, f, r->name, name, 17)); /* an SDR ID string holds 16 */
	snprintf(f, sizeof(f), "%s.input", pre);
	TRY(name_apply(src, f, r->input, input, CONFIG_SENSOR_TEXT_MAX));
	TRY(sensor_ints(src, pre, r, d));
	snprintf(f, sizeof(f), "%s.host_powered", pre);
	TRY(bool_apply(src, f, r->host_powered, &host_powered));
	d->host_powered = host_powered;
	d->bmc_events = strncmp(input, "bmc.", 4) == 0;
	if (bmc_sensor_is_threshold(d))
		TRY(sensor_analog(src, pre, r, d));
	else if (r->thresholds)
		return config_fail_field(src, pre, "a discrete sensor has no thresholds");
	for (unsigned k = 0; k < i; k++)
		if (next->sensors[k].number == d->number) {
			snprintf(f, sizeof(f), "%s.number", pre);
			return config_fail_field(src, f, "sensor number 0x%02x is also sensors[%u]'s",
						 d->number, k);
		}
	return 0;
}

static int sensors_apply(const struct cfg_src *src, const struct raw_sensor *sensors, unsigned n,
			 struct softbmc_config *next)
{
	for (unsigned i = 0; i < n; i++)
		TRY(sensor_apply(src, i, &sensors[i], next));
	next->n_sensors = n;
	config_fix_pointers(next);
	return 0;
}

void config_fix_pointers(struct softbmc_config *cfg)
{
	for (size_t i = 0; i < cfg->n_sensors; i++) {
		cfg->sensors[i].name = cfg->sensor_text[i][0];
		cfg->sensors[i].input = cfg->sensor_text[i][1];
	}
}

int config_profile_apply(const struct cfg_src *src, const struct raw_profile *prof,
			 const struct raw_sim *sim, const struct raw_sensor *sensors,
			 unsigned n_sensors, struct softbmc_config *next)
{
	if (prof && prof->name)
		TRY(name_apply(src, "profile.name", prof->name, next->profile_name,
			       sizeof(next->profile_name)));
	TRY(sim_apply(src, sim, next));
	if (sensors)
		TRY(sensors_apply(src, sensors, n_sensors, next));
	return 0;
}
