/* The built-in simulated server (the default platform). */
#pragma once
#include <uv.h>

#include "platform/platform.h"
#include "core/timeutil.h"

struct platform_sim_config {
	usec_t soft_off_delay;    /* ACPI soft shutdown: time until the OS powers off */
	usec_t cycle_off_interval; /* power cycle: time spent off */
	usec_t power_on_delay;    /* power button to power good */
};

#define PLATFORM_SIM_CONFIG_DEFAULT \
	((struct platform_sim_config){ .soft_off_delay = 3 * USEC_PER_SEC, \
				       .cycle_off_interval = 2 * USEC_PER_SEC, \
				       .power_on_delay = 0 })

/* Returns NULL on allocation failure. The platform starts powered off. */
struct platform *platform_sim_new(uv_loop_t *loop, const struct platform_sim_config *cfg,
				  struct platform_callbacks cb);
