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
 * Sensor inputs (platform_ops.sensor_read) come from the physics in model.h, stepped once per
 * simulated second: `speed` steps per real second (a 100 ms timer runs the steps that are due),
 * so a run is identical at any speed. After each step the platform calls cb.stepped (the BMC
 * polls its sensors then), so every simulated second is evaluated. A latched thermal trip or the
 * loss of AC on every PSU powers the server off through cb.power_fault + cb.power_changed.
 * Faults, load, pausing and scenarios: command.c (platform_sim_command), scenario.c.
 *
 * Lifetime: platform_free() closes the uv timer with uv_close(); the memory is released in the
 * close callback, so the owner must run the loop once more after freeing (main does a final
 * uv_run(loop, UV_RUN_DEFAULT) or UV_RUN_NOWAIT pass) before uv_loop_close(). */
#pragma once
#include <uv.h>

#include "platform/platform.h"
#include "platform/sim/model.h"
#include "core/timeutil.h"

struct platform_sim_config {
	usec_t soft_off_delay;    /* ACPI soft shutdown: time until the OS powers off */
	usec_t cycle_off_interval; /* power cycle: time spent off */
	usec_t power_on_delay;    /* power button to power good */
	const char *name;         /* prefix for log lines (fleet mode); NULL = none; copied */
	const struct sim_model_cfg *model; /* the profile's physics; NULL = compute-1u; copied */
	uint64_t seed;            /* noise seed (--sim-seed) */
	uint32_t speed;           /* simulated seconds per real second; 0 = paused */
};

#define PLATFORM_SIM_CONFIG_DEFAULT \
	((struct platform_sim_config){ .soft_off_delay = 3 * USEC_PER_SEC, \
				       .cycle_off_interval = 2 * USEC_PER_SEC, \
				       .power_on_delay = 0, .speed = 1 })

#define PLATFORM_SIM_SPEED_MAX 1000

/* Returns NULL on allocation failure. The platform starts powered off. */
struct platform *platform_sim_new(uv_loop_t *loop, const struct platform_sim_config *cfg,
				  struct platform_callbacks cb);

/* Is p the simulated server? (The other functions below need one.) */
bool platform_is_sim(const struct platform *p);

/* Runs one control command line (command.c: fault, clear, load, power, pause, resume, step,
 * speed, status, scenario) and writes the answer to reply: "ok" or "error: ..." on the first
 * line, then any text. Returns 0, or a negative errno when the command was refused. */
int platform_sim_command(struct platform *p, const char *line, char *reply, size_t cap);

/* Loads a scenario file (scenario.c) whose times count from now; replaces any running one.
 * On error returns a negative errno and writes "FILE:LINE: field: problem" to err. */
int platform_sim_scenario_load(struct platform *p, const char *path, char *err, size_t cap);
