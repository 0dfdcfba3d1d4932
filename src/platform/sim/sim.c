/* The simulated server's power: two states (off, on) and at most one pending transition
 * (a delayed power-on, the on half of a power cycle, or the OS finishing a soft shutdown),
 * driven by one uv timer. The physical events are logged here ("power: off"); who asked for
 * them is logged by the caller that knows (bmc/chassis.c). See sim.h for the timing rules. */
#include "platform/sim/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "platform/sim/sim_internal.h"

#define STEP_TICK_MS 100
#define TICKS_PER_SEC (1000 / STEP_TICK_MS)

static struct platform_sim *to_sim(struct platform *p)
{
	return (struct platform_sim *)p;
}

/* libuv timers count milliseconds; round up so a delay is never shortened. */
static uint64_t usec_to_msec(usec_t t)
{
	return (t + USEC_PER_MSEC - 1) / USEC_PER_MSEC;
}

static void sim_set_power(struct platform_sim *s, bool on, const char *why)
{
	s->on = on;
	sim_model_set_power(&s->model, on);
	log_info("%spower: %s%s%s%s", s->prefix, on ? "on" : "off", why ? " (" : "", why ? why : "",
		 why ? ")" : "");
	if (s->base.cb.power_changed)
		s->base.cb.power_changed(s->base.cb.arg, on);
}

static void sim_cancel(struct platform_sim *s)
{
	if (s->pending != SIM_PENDING_NONE)
		uv_timer_stop(&s->timer);
	s->pending = SIM_PENDING_NONE;
}

static void sim_timer_fired(uv_timer_t *t)
{
	struct platform_sim *s = t->data;
	enum sim_pending what = s->pending;

	s->pending = SIM_PENDING_NONE;
	switch (what) {
	case SIM_PENDING_POWER_ON:
		sim_set_power(s, true, "after the power-on delay");
		break;
	case SIM_PENDING_CYCLE_ON:
		sim_set_power(s, true, "end of power cycle");
		break;
	case SIM_PENDING_SOFT_OFF:
		sim_set_power(s, false, "the OS completed a soft shutdown");
		break;
	case SIM_PENDING_NONE:
		break;
	}
}

static void sim_schedule(struct platform_sim *s, enum sim_pending what, usec_t delay)
{
	sim_cancel(s);
	s->pending = what;
	uv_timer_start(&s->timer, sim_timer_fired, usec_to_msec(delay), 0);
}

static int sim_power_on(struct platform_sim *s)
{
	if (s->on) {
		/* An ON while the OS shuts down cancels the shutdown: power stays on. */
		if (s->pending == SIM_PENDING_SOFT_OFF)
			log_info("%spower: soft shutdown cancelled, power stays on", s->prefix);
		sim_cancel(s);
		return 0;
	}
	if (s->pending == SIM_PENDING_POWER_ON)
		return 0; /* already on its way */
	if (!sim_model_has_power(&s->model))
		return -EAGAIN; /* no PSU delivers power: nothing to power on with */
	sim_cancel(s); /* includes the off half of a cycle: power on now instead */
	if (s->cfg.power_on_delay == 0)
		sim_set_power(s, true, NULL);
	else
		sim_schedule(s, SIM_PENDING_POWER_ON, s->cfg.power_on_delay);
	return 0;
}

static int sim_power_cycle(struct platform_sim *s)
{
	if (!s->on)
		return -EAGAIN;
	/* Schedule before reporting: the callback may ask for something else. */
	sim_schedule(s, SIM_PENDING_CYCLE_ON, s->cfg.cycle_off_interval);
	s->on = false;
	sim_model_set_power(&s->model, false);
	log_info("%spower: off (power cycle, on again in %llu ms)", s->prefix,
		 (unsigned long long)usec_to_msec(s->cfg.cycle_off_interval));
	if (s->base.cb.power_changed)
		s->base.cb.power_changed(s->base.cb.arg, false);
	return 0;
}

static int sim_power_off(struct platform_sim *s)
{
	sim_cancel(s);
	if (s->on)
		sim_set_power(s, false, NULL);
	return 0;
}

static int sim_reset(struct platform_sim *s)
{
	if (!s->on)
		return -EAGAIN;
	sim_cancel(s); /* a hard reset ends a soft shutdown in progress */
	log_info("%spower: hard reset (power stays on)", s->prefix);
	if (s->base.cb.reset)
		s->base.cb.reset(s->base.cb.arg);
	return 0;
}

static int sim_diag(struct platform_sim *s)
{
	if (!s->on)
		return -EAGAIN;
	log_info("%spower: diagnostic interrupt (NMI) pulsed", s->prefix);
	return 0;
}

static int sim_soft_off(struct platform_sim *s)
{
	if (!s->on)
		return -EAGAIN;
	if (s->pending == SIM_PENDING_SOFT_OFF)
		return 0; /* keep the first deadline */
	sim_schedule(s, SIM_PENDING_SOFT_OFF, s->cfg.soft_off_delay);
	log_info("%spower: ACPI soft shutdown requested, the OS powers off in %llu ms", s->prefix,
		 (unsigned long long)usec_to_msec(s->cfg.soft_off_delay));
	return 0;
}

static int sim_power(struct platform *p, enum platform_power_action action)
{
	struct platform_sim *s = to_sim(p);

	switch (action) {
	case PLATFORM_POWER_OFF:
		return sim_power_off(s);
	case PLATFORM_POWER_ON:
		return sim_power_on(s);
	case PLATFORM_POWER_CYCLE:
		return sim_power_cycle(s);
	case PLATFORM_POWER_RESET:
		return sim_reset(s);
	case PLATFORM_POWER_DIAG:
		return sim_diag(s);
	case PLATFORM_POWER_SOFT:
		return sim_soft_off(s);
	case PLATFORM_POWER_ACTION_MAX:
		break;
	}
	return -EINVAL;
}

static bool sim_power_is_on(const struct platform *p)
{
	return ((const struct platform_sim *)p)->on;
}

/* ---- protection, steps and speed --------------------------------------------------------- */

static void sim_protect_off(struct platform_sim *s, enum platform_power_fault why)
{
	sim_cancel(s);
	if (!s->on)
		return;
	static const char *const whys[] = {
		[PLATFORM_FAULT_THERMAL_TRIP] = "processor thermal trip, the hardware cut the power",
		[PLATFORM_FAULT_AC_LOST] = "AC input lost on every power supply",
		[PLATFORM_FAULT_PSU_FAILED] = "no power supply delivers power (failed)",
	};
	log_warn("%spower: %s", s->prefix, whys[why]);
	if (s->base.cb.stepped) /* the cause is seen (and logged) before the power goes */
		s->base.cb.stepped(s->base.cb.arg);
	if (s->base.cb.power_fault)
		s->base.cb.power_fault(s->base.cb.arg, why);
	sim_set_power(s, false, why == PLATFORM_FAULT_THERMAL_TRIP ? "thermal trip" :
				why == PLATFORM_FAULT_AC_LOST ? "AC lost" : "PSU failure");
}

void sim_check_protection(struct platform_sim *s)
{
	if (s->on && !sim_model_has_power(&s->model))
		sim_protect_off(s, sim_model_ac_lost_all(&s->model) ? PLATFORM_FAULT_AC_LOST :
								       PLATFORM_FAULT_PSU_FAILED);
	else if (s->on && sim_model_tripped(&s->model))
		sim_protect_off(s, PLATFORM_FAULT_THERMAL_TRIP);
}

void sim_power_button(struct platform_sim *s, bool on)
{
	if (on)
		sim_power_on(s);
	else
		sim_power_off(s);
}

/* Scenario entries due at the present simulated time, in file order; stops after an entry
 * that paused the simulation (the rest wait for the resume). Returns true if it paused. */
static bool sim_scenario_run_due(struct platform_sim *s)
{
	struct sim_scenario *sc = s->scenario;
	char reply[256];

	while (sc && sc->next < sc->n && sc->base + sc->e[sc->next].at <= s->model.step) {
		const struct sim_scenario_entry *e = &sc->e[sc->next++];
		bool was_paused = s->paused;
		int r = platform_sim_command(&s->base, e->line, reply, sizeof(reply));
		reply[strcspn(reply, "\n")] = '\0';
		if (r < 0)
			log_warn("%sscenario %s at %llu s: '%s': %s", s->prefix, sc->name,
				 (unsigned long long)e->at, e->line, reply);
		else
			log_info("%sscenario %s at %llu s: %s", s->prefix, sc->name,
				 (unsigned long long)e->at, e->line);
		if (s->paused && !was_paused)
			return true;
	}
	return false;
}

static void sim_step_once(struct platform_sim *s)
{
	enum sim_trip trip = sim_model_step(&s->model);

	if (trip != SIM_TRIP_NONE)
		sim_check_protection(s);
	if (s->base.cb.stepped)
		s->base.cb.stepped(s->base.cb.arg);
}

/* `step N`: runs even while paused, but stops where a scenario pauses. */
void sim_run_steps(struct platform_sim *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if (sim_scenario_run_due(s))
			break;
		sim_step_once(s);
	}
	sim_set_speed(s, s->cfg.speed); /* the timer counts from here */
}

void sim_set_speed(struct platform_sim *s, uint32_t speed)
{
	s->cfg.speed = speed;
	s->ticks = 0;
	s->steps_at_tick0 = s->model.step;
}

/* Every 100 ms: the steps due by now at `speed` per second, unless paused. A scenario may pause
 * the run in the middle; the remaining steps are then dropped. */
static void sim_step_timer(uv_timer_t *t)
{
	struct platform_sim *s = t->data;

	s->ticks++;
	if (s->paused || s->cfg.speed == 0)
		return;
	uint64_t due = s->steps_at_tick0 + s->ticks * s->cfg.speed / TICKS_PER_SEC;
	while (s->model.step < due) {
		if (sim_scenario_run_due(s) || s->paused) {
			sim_set_speed(s, s->cfg.speed);
			return;
		}
		sim_step_once(s);
	}
}

/* ---- sensor inputs ------------------------------------------------------------------------ */

static int sim_sensor_read(struct platform *p, const char *input, double *ret_value)
{
	return sim_model_read(&to_sim(p)->model, input, ret_value);
}

static int sim_sensor_event_data(struct platform *p, const char *input, uint8_t offset,
				 uint8_t *ret_data2, uint8_t *ret_data3)
{
	return sim_model_event_data(&to_sim(p)->model, input, offset, ret_data2, ret_data3);
}

bool platform_is_sim(const struct platform *p)
{
	return p && strcmp(p->ops->name, "sim") == 0;
}

static void sim_memory_free(struct platform_sim *s)
{
	free(s->scenario);
	free(s);
}

static void sim_timer_closed(uv_handle_t *h)
{
	struct platform_sim *s = h->data;
	s->timer.data = NULL;
	if (!s->step_timer.data)
		sim_memory_free(s);
}

static void sim_step_timer_closed(uv_handle_t *h)
{
	struct platform_sim *s = h->data;
	s->step_timer.data = NULL;
	if (!s->timer.data)
		sim_memory_free(s);
}

/* The memory goes in sim_closed, on the loop's next turn (see sim.h). */
static void sim_free(struct platform *p)
{
	struct platform_sim *s = to_sim(p);

	s->pending = SIM_PENDING_NONE;
	s->base.cb = (struct platform_callbacks){ 0 };
	uv_close((uv_handle_t *)&s->timer, sim_timer_closed);
	uv_close((uv_handle_t *)&s->step_timer, sim_step_timer_closed);
}

static const struct platform_ops sim_ops = {
	.name = "sim",
	.power = sim_power,
	.power_is_on = sim_power_is_on,
	.free = sim_free,
	.sensor_read = sim_sensor_read,
	.sensor_event_data = sim_sensor_event_data,
};

struct platform *platform_sim_new(uv_loop_t *loop, const struct platform_sim_config *cfg,
				  struct platform_callbacks cb)
{
	struct platform_sim *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->base.ops = &sim_ops;
	s->base.cb = cb;
	s->cfg = cfg ? *cfg : PLATFORM_SIM_CONFIG_DEFAULT;
	if (s->cfg.name && s->cfg.name[0])
		snprintf(s->prefix, sizeof(s->prefix), "%.64s: ", s->cfg.name);
	s->cfg.name = NULL; /* the caller's string need not outlive this call */
	struct sim_model_cfg def;
	if (!s->cfg.model) {
		sim_model_cfg_default(&def);
		s->cfg.model = &def;
	}
	if (s->cfg.speed > PLATFORM_SIM_SPEED_MAX ||
	    sim_model_init(&s->model, s->cfg.model, s->cfg.seed) < 0) {
		free(s);
		return NULL;
	}
	s->cfg.model = NULL; /* copied into the model */
	s->paused = s->cfg.speed == 0;
	if (uv_timer_init(loop, &s->timer) < 0) {
		free(s);
		return NULL;
	}
	uv_timer_init(loop, &s->step_timer); /* cannot fail once the loop works */
	s->timer.data = s;
	s->step_timer.data = s;
	uv_timer_start(&s->step_timer, sim_step_timer, STEP_TICK_MS, STEP_TICK_MS);
	return &s->base;
}
