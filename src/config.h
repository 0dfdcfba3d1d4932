/* The daemon's YAML configuration (libcyaml schema in config.c, documented in docs/config.md).
 * Every field has a default, so no file at all is a valid configuration. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bmc/fru.h"

struct softbmc_config {
	/* lan: */
	uint32_t session_timeout_s;   /* idle timeout of an active session; default 60 */
	uint32_t half_open_timeout_s; /* an unfinished handshake is reaped after this; default 5 */
	uint32_t max_sessions;        /* default 32, 1..63 */
	uint32_t cipher_suites;       /* bitmap of enabled suites; default 1,2,3,15,16,17 */
	bool auth_none;               /* IPMI 1.5 auth type none; default off */
	bool auth_straight;           /* IPMI 1.5 straight password; default off */
	bool auth_md5;                /* IPMI 1.5 MD5; default on */
	/* identity: */
	uint32_t manufacturer_id;     /* default: softbmc's (see config.c) */
	uint16_t product_id;
	/* platform (sim): */
	uint32_t sim_soft_off_delay_ms;    /* default 3000 */
	uint32_t sim_cycle_off_interval_ms; /* default 2000 */
	/* sel: */
	uint32_t sel_capacity;        /* SEL entries; default 1024, 1..65534 */
	/* fru: what FRU 0 says when it is first built (bmc/fru.h) */
	struct bmc_fru_config fru;
};

void config_defaults(struct softbmc_config *cfg);
/* Loads FILE over the defaults. On error returns a negative errno and writes a message naming
 * the file, line and field to err (cap bytes). */
int config_load(const char *path, struct softbmc_config *cfg, char *err, size_t cap);
/* The same for text already in memory (len bytes, not necessarily NUL-terminated); name
 * stands for the file in error messages. */
int config_load_buffer(const char *name, const char *text, size_t len,
		       struct softbmc_config *cfg, char *err, size_t cap);
