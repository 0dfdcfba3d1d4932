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
	uv_timer_t timer;
	enum sim_pending pending;
	bool on;
	uint64_t started_ms; /* loop time at creation: the noise is a function of time since */
};

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

/* ---- sensor inputs ----------------------------------------------------------------------
 * Plausible steady values of a 1U two-socket server (the physics comes later): with the host
 * on, a light load; with it off, only the standby rails, temperatures near the ambient, fans
 * stopped. Each analog value carries a small noise that is a deterministic function of the
 * input's name and of the whole seconds since the platform was created. Discrete inputs are
 * bitmasks of asserted sensor-specific offsets (records.md §3.1). */

struct sim_input {
	const char *name;
	double on, off; /* value with the host on / off */
	double noise;   /* amplitude of the noise (values of exactly 0 stay 0) */
};

#define SIM_MAINS_VOLTS 230.0

static const struct sim_input sim_inputs[] = {
	{ "temp.inlet", 23.0, 23.0, 0.4 },
	{ "temp.cpu1", 47.0, 25.0, 1.0 },
	{ "temp.cpu2", 44.0, 25.0, 1.0 },
	{ "temp.dimm", 38.0, 24.0, 0.5 },
	{ "temp.pch", 52.0, 26.0, 0.5 },
	{ "temp.exhaust", 34.0, 24.0, 0.5 },
	{ "fan.fan1.rpm", 7100, 0, 60 },
	{ "fan.fan2.rpm", 7300, 0, 60 },
	{ "fan.fan3.rpm", 7000, 0, 60 },
	{ "fan.fan4.rpm", 7200, 0, 60 },
	{ "fan.fan5.rpm", 6900, 0, 60 },
	{ "fan.fan6.rpm", 7400, 0, 60 },
	{ "volt.12v", 12.03, 0, 0.03 },
	{ "volt.5v", 5.02, 0, 0.02 },
	{ "volt.3v3", 3.31, 0, 0.01 },
	{ "volt.vbat", 3.05, 3.05, 0.005 },
	{ "power.psu1.in", 96.0, 7.0, 3.0 },
	{ "power.psu2.in", 92.0, 7.0, 3.0 },
	{ "psu.psu1.state", 0x01, 0x01, 0 },   /* presence detected */
	{ "psu.psu2.state", 0x01, 0x01, 0 },
	{ "cpu.cpu1.state", 0x80, 0x80, 0 },   /* processor presence detected */
	{ "cpu.cpu2.state", 0x80, 0x80, 0 },
	{ "memory.state", 0x40, 0x40, 0 },     /* memory presence detected */
	{ "chassis.intrusion", 0, 0, 0 },      /* lid closed */
	{ "drive.0.state", 0x01, 0x01, 0 },    /* drive presence */
	{ "drive.1.state", 0x01, 0x01, 0 },
};

static uint32_t sim_hash(const char *str)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *str; str++)
		h = (h ^ (uint8_t)*str) * 16777619u;
	return h;
}

/* Uniform in [-amplitude, amplitude], constant within one second. */
static double sim_noise(const struct platform_sim *s, const char *name, double amplitude)
{
	uint64_t sec = (uv_now(s->timer.loop) - s->started_ms) / 1000;
	uint32_t x = sim_hash(name) ^ (uint32_t)(sec * 2654435761u);

	x ^= x << 13; /* xorshift32 */
	x ^= x >> 17;
	x ^= x << 5;
	return amplitude * ((double)(x & 0xFFFF) / 32767.5 - 1.0);
}

static int sim_input_value(const struct platform_sim *s, const char *name, double *ret_value)
{
	for (size_t i = 0; i < sizeof(sim_inputs) / sizeof(sim_inputs[0]); i++) {
		const struct sim_input *in = &sim_inputs[i];
		if (strcmp(in->name, name) != 0)
			continue;
		double v = s->on ? in->on : in->off;
		if (v != 0 && in->noise > 0)
			v += sim_noise(s, name, in->noise);
		*ret_value = v;
		return 0;
	}
	return -ENOENT;
}

static int sim_sensor_read(struct platform *p, const char *input, double *ret_value)
{
	const struct platform_sim *s = to_sim(p);
	double a, b;

	if (strcmp(input, "power.total") == 0) {
		if (sim_input_value(s, "power.psu1.in", &a) < 0 ||
		    sim_input_value(s, "power.psu2.in", &b) < 0)
			return -ENODATA;
		*ret_value = a + b;
		return 0;
	}
	if (strcmp(input, "current.psu1.in") == 0 || strcmp(input, "current.psu2.in") == 0) {
		char name[16];
		snprintf(name, sizeof(name), "power.%.4s.in", input + strlen("current."));
		if (sim_input_value(s, name, &a) < 0)
			return -ENODATA;
		*ret_value = a / SIM_MAINS_VOLTS;
		return 0;
	}
	return sim_input_value(s, input, ret_value);
}

static void sim_closed(uv_handle_t *h)
{
	free(h->data);
}

/* The memory goes in sim_closed, on the loop's next turn (see sim.h). */
static void sim_free(struct platform *p)
{
	struct platform_sim *s = to_sim(p);

	s->pending = SIM_PENDING_NONE;
	s->base.cb = (struct platform_callbacks){ 0 };
	uv_close((uv_handle_t *)&s->timer, sim_closed);
}

static const struct platform_ops sim_ops = {
	.name = "sim",
	.power = sim_power,
	.power_is_on = sim_power_is_on,
	.free = sim_free,
	.sensor_read = sim_sensor_read,
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
	if (uv_timer_init(loop, &s->timer) < 0) {
		free(s);
		return NULL;
	}
	s->timer.data = s;
	s->started_ms = uv_now(loop);
	return &s->base;
}
