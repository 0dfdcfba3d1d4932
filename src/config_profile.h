/* Internal to the configuration loader (config.c, config_profile.c): the parts of the YAML
 * schema that describe a server profile — `profile:`, the physics under `platform.sim:` and the
 * `sensors:` list — and the error reporting they share with config.c. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cyaml/cyaml.h>

#include "config.h"

struct cfg_src {
	const char *file;
	char *text;
	size_t len;
	char *err;
	size_t cap;
};

/* "FILE:LINE: FIELD: message" (the line of the dotted field path); returns -EINVAL. */
int config_fail_field(const struct cfg_src *src, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct raw_fan;
struct raw_psu;
struct raw_node;
struct raw_rail;
struct raw_fan_control;

struct raw_sim {
	char *soft_off_delay_ms;
	char *cycle_off_interval_ms;
	char *speed;
	char *seed;
	char *ambient_c;
	char *mains_v;
	char *base_w;
	char *load_pct;
	char *drive_w;
	char *drives;
	char **dimms;
	unsigned dimms_count;
	struct raw_fan_control *fan_control;
	struct raw_fan *fans;
	unsigned fans_count;
	struct raw_psu *psus;
	unsigned psus_count;
	struct raw_node *nodes;
	unsigned nodes_count;
	struct raw_rail *rails;
	unsigned rails_count;
};

struct raw_profile {
	char *name;
	char *description;
};

struct raw_thresholds {
	char *lnr, *lcr, *lnc, *unc, *ucr, *unr;
};

enum sensor_kind { KIND_NONE, KIND_TEMP, KIND_FAN, KIND_VOLT, KIND_CURRENT, KIND_POWER,
		   KIND_DISCRETE };
enum { FMT_UNSIGNED = 1, FMT_1S, FMT_2S }; /* 0 = absent */

struct raw_sensor {
	char *name, *input, *number;
	int kind;
	char *sensor_type, *event_type, *entity_id, *entity_instance, *host_powered;
	char *unit;
	int format;
	char *m, *b, *b_exp, *r_exp;
	struct raw_thresholds *thresholds;
	uint32_t *settable;
	char *nominal, *normal_min, *normal_max, *hysteresis, *states;
};

extern const cyaml_schema_field_t config_sim_fields[];
extern const cyaml_schema_field_t config_profile_fields[];
extern const cyaml_schema_value_t config_sensor_entry;

/* Applies profile.name, the model constants of platform.sim and the sensors list to next;
 * checks them (sensor numbers unique, thresholds ordered, model constants plausible). */
int config_profile_apply(const struct cfg_src *src, const struct raw_profile *prof,
			 const struct raw_sim *sim, const struct raw_sensor *sensors,
			 unsigned n_sensors, struct softbmc_config *next);
