/* Internals shared by the simulated server's files: sim.c (power state machine, step timer),
 * command.c (the control command language), scenario.c (timelines). Not for other modules. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "platform/sim/model.h"
#include "platform/sim/sim.h"

#define SIM_SCENARIO_MAX 256
#define SIM_COMMAND_MAX 160 /* one command line, NUL included */

struct sim_scenario_entry {
	uint64_t at;                /* simulated seconds after the scenario started */
	char line[SIM_COMMAND_MAX]; /* a command of command.c */
};

struct sim_scenario {
	struct sim_scenario_entry e[SIM_SCENARIO_MAX];
	size_t n, next;
	uint64_t base;              /* model step when it was loaded */
	char name[64];              /* file name for log lines */
};

enum sim_pending {
	SIM_PENDING_NONE,
	SIM_PENDING_POWER_ON,  /* power_on_delay running */
	SIM_PENDING_CYCLE_ON,  /* off half of a power cycle running */
	SIM_PENDING_SOFT_OFF,  /* the OS is shutting down */
};

struct platform_sim {
	struct platform base; /* first: a struct platform * is a struct platform_sim * */
	struct platform_sim_config cfg;
	char prefix[80]; /* "name: " or "" for log lines */
	uv_timer_t timer;      /* pending power transition */
	uv_timer_t step_timer; /* 100 ms: runs the simulated seconds that are due */
	enum sim_pending pending;
	bool on;
	bool paused;
	uint64_t ticks;        /* step timer ticks since the last speed change */
	uint64_t steps_at_tick0; /* model step at that change */
	struct sim_model model;
	/* NULL until the first scenario is loaded (43 kB a BMC otherwise); a later load overwrites
	 * it in place: it is freed only with the platform. */
	struct sim_scenario *scenario;
};

/* Runs n simulated seconds now (scenario entries, physics, trips, cb.stepped after each). */
void sim_run_steps(struct platform_sim *s, uint64_t n);
/* A power button pressed on the server itself (scenario "power on|off"). */
void sim_power_button(struct platform_sim *s, bool on);
/* After a fault was injected: a thermal trip or the loss of all AC powers off now. */
void sim_check_protection(struct platform_sim *s);
void sim_set_speed(struct platform_sim *s, uint32_t speed);
