/* The daemon's YAML configuration (libcyaml schema in config.c, documented in docs/config.md).
 * Every field has a default, so no file at all is a valid configuration. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bmc/fru.h"
#include "bmc/sensors.h"
#include "platform/sim/model.h"

#define CONFIG_SENSOR_TEXT_MAX 32

#define CONFIG_USER_MAX 32
#define CONFIG_QEMU_COMMAND_MAX 4095

enum {
	CONFIG_PLATFORM_SIM = 0,  /* the built-in simulated server */
	CONFIG_PLATFORM_QEMU = 1, /* a QEMU VM (platform/qemu) */
};

struct softbmc_config {
	/* lan: */
	uint32_t session_timeout_s;   /* idle timeout of an active session; default 60 */
	uint32_t half_open_timeout_s; /* an unfinished handshake is reaped after this; default 5 */
	uint32_t max_sessions;        /* default 32, 1..63 */
	uint32_t cipher_suites;       /* bitmap of enabled suites; default 1,2,3,15,16,17 */
	bool auth_none;               /* IPMI 1.5 auth type none; default off */
	bool auth_straight;           /* IPMI 1.5 straight password; default off */
	bool auth_md5;                /* IPMI 1.5 MD5; default on */
	uint32_t rate_limit;          /* unauthenticated packets/s per source; default 100, 0 off */
	uint32_t rate_limit_burst;    /* token bucket size; default 200 */
	/* daemon: */
	char daemon_user[CONFIG_USER_MAX + 1]; /* user to run as when started as root; "" = the
						* default (docs/security.md) */
	/* identity: */
	uint32_t manufacturer_id;     /* default: softbmc's (see config.c) */
	uint16_t product_id;
	/* platform: */
	int platform_type;            /* CONFIG_PLATFORM_*; default sim */
	struct {
		char command[CONFIG_QEMU_COMMAND_MAX + 1]; /* platform.qemu.command (/bin/sh) */
		uint32_t kill_wait_s;      /* power off: SIGKILL after this; default 10 */
	} qemu;
	/* platform (sim; for qemu: the VM's environment): */
	uint32_t sim_soft_off_delay_ms;    /* default 3000 */
	uint32_t sim_cycle_off_interval_ms; /* default 2000 */
	/* profile (config_profile.c): the simulated server's physics, and the sensors */
	char profile_name[32];        /* profile.name; default "compute-1u" */
	uint32_t sim_speed;           /* platform.sim.speed; default 1 (--sim-speed overrides) */
	uint32_t sim_seed;            /* platform.sim.seed; default 1 (--sim-seed overrides) */
	struct sim_model_cfg sim_model; /* platform.sim model constants; default compute-1u */
	/* sensors: the profile's sensor table; n_sensors 0 = bmc_sensor_default_defs. The name
	 * and input strings point into sensor_text (config_fix_pointers after a copy). */
	struct bmc_sensor_def sensors[BMC_SENSORS_MAX];
	size_t n_sensors;
	char sensor_text[BMC_SENSORS_MAX][2][CONFIG_SENSOR_TEXT_MAX];
	/* sel: */
	uint32_t sel_capacity;        /* SEL entries; default 1024, 1..65534 */
	/* fru: what FRU 0 says when it is first built (bmc/fru.h) */
	struct bmc_fru_config fru;
	/* http: the HTTPS server (web/web.h); empty strings = not set */
	struct {
		char listen[80];           /* "ADDR:PORT"; "" = no HTTPS unless --http */
		char cert[256], key[256];  /* PEM files; "" = self-signed in the state dir */
		char ui_dir[256];          /* static web console files; "" = none */
		uint32_t max_sessions;     /* default 16, 1..64 */
		uint32_t session_timeout_s; /* default 600, 30..86400 */
		uint32_t max_body;         /* default 65536, 1024..1048576 */
	} http;
};

void config_defaults(struct softbmc_config *cfg);
/* Loads FILE over the defaults. On error returns a negative errno and writes a message naming
 * the file, line and field to err (cap bytes). */
int config_load(const char *path, struct softbmc_config *cfg, char *err, size_t cap);
/* After copying a struct softbmc_config: points its sensor strings at its own text. */
void config_fix_pointers(struct softbmc_config *cfg);
/* The same for text already in memory (len bytes, not necessarily NUL-terminated); name
 * stands for the file in error messages. */
int config_load_buffer(const char *name, const char *text, size_t len,
		       struct softbmc_config *cfg, char *err, size_t cap);
