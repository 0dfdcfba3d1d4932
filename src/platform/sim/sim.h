/* The built-in simulated server (the default platform): a power state machine on the libuv loop.
 *
 * Timing (all on the loop, never a sleep):
 *  - OFF is immediate; ON is immediate when power_on_delay is 0, else after that delay; RESET is
 *    immediate. "Immediate" means the callback (power_changed / reset) runs before
 *    platform_power() returns, so a caller must be ready for re-entry from its own call.
 *  - CYCLE powers off at once and on again after cycle_off_interval (always through a timer).
 *  - SOFT: the simulated OS powers off soft_off_delay later.
 *  - CYCLE, RESET, DIAG and SOFT while off return -EAGAIN (IPMI 0xD5 "not in present state").
 *  - ON while a soft shutdown is pending cancels it (power stays on); ON during the off half of
 *    a cycle powers on now instead of at the end of the interval; OFF cancels anything pending.
 *  - Freeing never invokes callbacks (the server "loses AC" silently).
 *
 * Sensor inputs (platform_ops.sensor_read): plausible steady values of a 1U two-socket server
 * that depend on the power state (off: standby rails only, temperatures near ambient, fans
 * stopped), with a small noise that is a deterministic function of the input and of the whole
 * seconds since the platform was created; see the table in sim.c for the input names.
 *
 * Lifetime: platform_free() closes the uv timer with uv_close(); the memory is released in the
 * close callback, so the owner must run the loop once more after freeing (main does a final
 * uv_run(loop, UV_RUN_DEFAULT) or UV_RUN_NOWAIT pass) before uv_loop_close(). */
#pragma once
#include <uv.h>

#include "platform/platform.h"
#include "core/timeutil.h"

struct platform_sim_config {
	usec_t soft_off_delay;    /* ACPI soft shutdown: time until the OS powers off */
	usec_t cycle_off_interval; /* power cycle: time spent off */
	usec_t power_on_delay;    /* power button to power good */
	const char *name;         /* prefix for log lines (fleet mode); NULL = none; copied */
};

#define PLATFORM_SIM_CONFIG_DEFAULT \
	((struct platform_sim_config){ .soft_off_delay = 3 * USEC_PER_SEC, \
				       .cycle_off_interval = 2 * USEC_PER_SEC, \
				       .power_on_delay = 0 })

/* Returns NULL on allocation failure. The platform starts powered off. */
struct platform *platform_sim_new(uv_loop_t *loop, const struct platform_sim_config *cfg,
				  struct platform_callbacks cb);
