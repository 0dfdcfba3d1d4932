/* The simulated server's physics (see model.h): thermal nodes, fans and their controller, PSUs
 * and rails, discrete states, all stepped one simulated second at a time. */
#include "platform/sim/model.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AIRFLOW_FLOOR 0.08   /* natural convection through a chassis with stopped fans */
#define DEGRADED_RPM 0.05    /* a degraded fan spins at this fraction of its maximum */
#define INLET_NOISE 0.3
#define FAN_NOISE_RPM 40.0
#define POWER_NOISE 0.01     /* relative, on PSU input power */

/* Discrete states (records.md §3.1: sensor-specific offsets as bit masks). */
#define PSU_PRESENT     0x0001 /* 0x08 offset 0 presence detected */
#define PSU_FAILURE     0x0002 /* 0x08 offset 1 power supply failure detected */
#define PSU_PREDICTIVE  0x0004 /* 0x08 offset 2 predictive failure */
#define PSU_AC_LOST     0x0008 /* 0x08 offset 3 power supply input lost (AC/DC) */
#define RED_FULL        0x0001 /* event type 0x0B offset 0 fully redundant */
#define RED_LOST        0x0002 /* event type 0x0B offset 1 redundancy lost */
#define CPU_TRIP        0x0002 /* 0x07 offset 1 thermal trip */
#define CPU_PRESENT     0x0080 /* 0x07 offset 7 processor presence detected */
#define MEM_CORRECTABLE 0x0001 /* 0x0C offset 0 correctable ECC */
#define MEM_UNCORRECT   0x0002 /* 0x0C offset 1 uncorrectable ECC */
#define MEM_PRESENT     0x0040 /* 0x0C offset 6 presence detected */
#define DRIVE_PRESENT   0x0001 /* 0x0D offset 0 drive presence */
#define DRIVE_FAULT     0x0002 /* 0x0D offset 1 drive fault */
#define DRIVE_PREDICT   0x0004 /* 0x0D offset 2 predictive failure */
#define INTRUSION       0x0001 /* 0x05 offset 0 general chassis intrusion */

/* ---- the compiled-in profile: compute-1u ------------------------------------------------ */

static const struct sim_model_cfg compute_1u = {
	.ambient_c = 23, .mains_v = 230, .base_w = 30, .load_pct = 5, .airflow_exp = 1,
	.min_duty = 0.45, .max_duty = 1, .fail_duty = 1, .gain_per_c = 0.04, .slew_per_s = 0.05,
	.drive_w = 6,
	.fans = {
		{ "FAN1", 15800, 2, 12 }, { "FAN2", 16200, 2, 12 }, { "FAN3", 15600, 2, 12 },
		{ "FAN4", 16000, 2, 12 }, { "FAN5", 15400, 2, 12 }, { "FAN6", 16400, 2, 12 },
	},
	.n_fans = 6,
	.psus = { { "PSU1", 800, 0.94, 7 }, { "PSU2", 800, 0.94, 7 } },
	.n_psus = 2,
	.nodes = {
		{ .name = "CPU1", .input = "temp.cpu1", .idle_w = 30, .max_w = 165, .r_c_per_w = 0.30,
		  .tau_s = 20, .setpoint_c = 60, .trip_c = 105, .noise_c = 0.8 },
		{ .name = "CPU2", .input = "temp.cpu2", .idle_w = 28, .max_w = 165, .r_c_per_w = 0.28,
		  .tau_s = 20, .setpoint_c = 60, .trip_c = 105, .noise_c = 0.8 },
		{ .name = "DIMM", .input = "temp.dimm", .idle_w = 8, .max_w = 30, .r_c_per_w = 0.75,
		  .tau_s = 60, .setpoint_c = 70, .noise_c = 0.4 },
		{ .name = "PCH", .input = "temp.pch", .idle_w = 12, .max_w = 18, .r_c_per_w = 1.05,
		  .tau_s = 40, .setpoint_c = 75, .noise_c = 0.4 },
		{ .name = "VRM", .input = "temp.vrm", .idle_w = 6, .max_w = 28, .r_c_per_w = 1.2,
		  .tau_s = 30, .setpoint_c = 85, .noise_c = 0.4 },
		{ .name = "Exhaust", .input = "temp.exhaust", .r_c_per_w = 0.033, .tau_s = 30,
		  .noise_c = 0.4, .total = true },
	},
	.n_nodes = 6,
	.rails = {
		{ "volt.12v", 12.05, 0.25, 0.03, false },
		{ "volt.5v", 5.03, 0.08, 0.02, false },
		{ "volt.3v3", 3.32, 0.04, 0.01, false },
		{ "volt.vbat", 3.05, 0, 0.005, true },
	},
	.n_rails = 4,
	.dimms = { "DIMM_A1", "DIMM_A2", "DIMM_B1", "DIMM_B2", "DIMM_C1", "DIMM_C2", "DIMM_D1",
		   "DIMM_D2" },
	.n_dimms = 8,
	.n_drives = 2,
};

void sim_model_cfg_default(struct sim_model_cfg *cfg)
{
	*cfg = compute_1u;
}

__attribute__((format(printf, 3, 4)))
static int check_fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (cap)
		vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int sim_model_cfg_check(const struct sim_model_cfg *c, char *err, size_t cap)
{
	if (c->n_fans < 1)
		return check_fail(err, cap, "fans: at least one fan");
	if (c->n_psus < 1)
		return check_fail(err, cap, "psus: at least one power supply");
	if (!(c->min_duty > 0 && c->min_duty <= c->max_duty && c->max_duty <= 1 &&
	      c->fail_duty <= 1 && c->fail_duty >= c->min_duty))
		return check_fail(err, cap, "fan_control: need 0 < min_duty <= max_duty <= 1 and "
				  "min_duty <= fail_duty <= 1");
	if (c->mains_v <= 0 || c->airflow_exp <= 0 || c->slew_per_s <= 0)
		return check_fail(err, cap, "mains_v, airflow_exp and slew must be positive");
	if (c->load_pct < 0 || c->load_pct > 100)
		return check_fail(err, cap, "load_pct: 0..100");
	for (size_t i = 0; i < c->n_fans; i++)
		if (c->fans[i].max_rpm <= 0 || c->fans[i].spinup_s <= 0)
			return check_fail(err, cap, "fans[%zu]: max_rpm and spinup_s must be positive", i);
	for (size_t i = 0; i < c->n_psus; i++)
		if (c->psus[i].capacity_w <= 0 || c->psus[i].efficiency <= 0.3 ||
		    c->psus[i].efficiency > 1)
			return check_fail(err, cap, "psus[%zu]: capacity_w > 0 and 0.3 < efficiency <= 1",
					  i);
	for (size_t i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].tau_s <= 0 || c->nodes[i].r_c_per_w < 0 || !c->nodes[i].input[0])
			return check_fail(err, cap, "nodes[%zu]: needs an input, tau_s > 0, r_c_per_w >= 0",
					  i);
	if (c->n_drives > SIM_DRIVES_MAX)
		return check_fail(err, cap, "drives: at most %d", SIM_DRIVES_MAX);
	return 0;
}

/* ---- noise: a counter-based generator (splitmix64 over seed, step and input) ------------ */

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* Uniform in [-1, 1), a function of (seed, step, stream) only. */
static double sim_rand(const struct sim_model *m, uint64_t stream)
{
	uint64_t x = splitmix64(m->seed ^ splitmix64(m->step * 0x100000001B3ull + stream));
	return (double)(x >> 11) / (double)(1ull << 52) - 1.0;
}

/* ---- inputs ------------------------------------------------------------------------------ */

static void lower_copy(char *dst, size_t cap, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

__attribute__((format(printf, 2, 3)))
static size_t input_add(struct sim_model *m, const char *fmt, ...)
{
	va_list ap;
	if (m->n_in >= SIM_INPUTS_MAX)
		return SIM_INPUTS_MAX - 1; /* cfg_check bounds the counts; never reached */
	va_start(ap, fmt);
	vsnprintf(m->in_name[m->n_in], SIM_INPUT_MAX, fmt, ap);
	va_end(ap);
	return m->n_in++;
}

static size_t input_index(const struct sim_model *m, const char *name)
{
	for (size_t i = 0; i < m->n_in; i++)
		if (strcmp(m->in_name[i], name) == 0)
			return i;
	return SIZE_MAX;
}

static void input_set(struct sim_model *m, const char *name, double v)
{
	size_t i = input_index(m, name);
	if (i != SIZE_MAX)
		m->in_value[i] = v;
}

/* The input names, in a fixed order (the noise stream of an input is its index). */
static void inputs_build(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	char l[SIM_NAME_MAX];

	m->n_in = 0;
	input_add(m, "temp.inlet");
	for (size_t i = 0; i < c->n_nodes; i++) {
		input_add(m, "%s", c->nodes[i].input);
		if (c->nodes[i].power_input[0])
			input_add(m, "%s", c->nodes[i].power_input);
		if (c->nodes[i].trip_c > 0) {
			lower_copy(l, sizeof(l), c->nodes[i].name);
			input_add(m, "cpu.%s.state", l);
		}
	}
	for (size_t i = 0; i < c->n_fans; i++) {
		lower_copy(l, sizeof(l), c->fans[i].name);
		m->in_settling[input_add(m, "fan.%s.rpm", l)] = true;
	}
	for (size_t i = 0; i < c->n_rails; i++)
		input_add(m, "%s", c->rails[i].input);
	for (size_t i = 0; i < c->n_psus; i++) {
		lower_copy(l, sizeof(l), c->psus[i].name);
		input_add(m, "power.%s.in", l);
		input_add(m, "power.%s.out", l);
		input_add(m, "current.%s.in", l);
		input_add(m, "psu.%s.state", l);
	}
	input_add(m, "psu.redundancy");
	input_add(m, "power.total");
	input_add(m, "power.dc");
	input_add(m, "memory.state");
	for (size_t i = 0; i < c->n_drives; i++)
		input_add(m, "drive.%zu.state", i);
	input_add(m, "chassis.intrusion");
}

/* ---- physics ----------------------------------------------------------------------------- */

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static double airflow(const struct sim_model *m)
{
	double rpm = 0, max = 0;
	for (size_t i = 0; i < m->cfg.n_fans; i++) {
		rpm += m->rpm[i];
		max += m->cfg.fans[i].max_rpm;
	}
	return fmax(rpm / max, AIRFLOW_FLOOR);
}

static double node_power(const struct sim_model *m, size_t i)
{
	const struct sim_node_cfg *n = &m->cfg.nodes[i];
	if (!m->on)
		return 0;
	if (n->total)
		return m->dc_w;
	return n->idle_w + (n->max_w - n->idle_w) * m->load_pct / 100.0;
}

static size_t drives_present(const struct sim_model *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->cfg.n_drives; i++)
		n += m->drive_fault[i] != SIM_DRIVE_REMOVED;
	return n;
}

static double dc_power(const struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	double w;
	if (!m->on)
		return 0;
	w = c->base_w + c->drive_w * (double)drives_present(m);
	for (size_t i = 0; i < c->n_nodes; i++)
		if (!c->nodes[i].total)
			w += node_power(m, i);
	for (size_t i = 0; i < c->n_fans; i++) {
		double d = m->cfg.fans[i].max_rpm > 0 ? m->rpm[i] / m->cfg.fans[i].max_rpm : 0;
		w += c->fans[i].max_w * d * d * d;
	}
	return w;
}

static bool any_fan_fault(const struct sim_model *m)
{
	for (size_t i = 0; i < m->cfg.n_fans; i++)
		if (m->fan_fault[i] != SIM_FAN_OK)
			return true;
	return false;
}

/* The closed loop: proportional on the worst margin over the control zones' set points,
 * slew-limited; full duty at once while a fan is faulted (a real BMC's fail-safe). */
static void fan_control(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	double worst = -1e9;

	if (!m->on) {
		m->duty = 0;
		return;
	}
	for (size_t i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].setpoint_c > 0)
			worst = fmax(worst, m->temp[i] - c->nodes[i].setpoint_c);
	double want = clamp(c->min_duty + c->gain_per_c * fmax(worst, 0), c->min_duty, c->max_duty);
	if (any_fan_fault(m)) {
		m->duty = fmax(c->fail_duty, want);
		return;
	}
	if (m->duty < c->min_duty)
		m->duty = c->min_duty; /* a fresh power-on starts at the floor */
	m->duty += clamp(want - m->duty, -c->slew_per_s, c->slew_per_s);
}

static void fans_step(struct sim_model *m)
{
	for (size_t i = 0; i < m->cfg.n_fans; i++) {
		const struct sim_fan_cfg *f = &m->cfg.fans[i];
		double target = f->max_rpm * m->duty;
		switch (m->fan_fault[i]) {
		case SIM_FAN_FAIL:
			m->rpm[i] = 0; /* the rotor stopped */
			continue;
		case SIM_FAN_DEGRADED:
			target = fmin(target, f->max_rpm * DEGRADED_RPM);
			break;
		case SIM_FAN_ERRATIC: /* tachometer swings between 20 % and 100 % of the target */
			m->rpm[i] = target * (0.6 + 0.4 * sim_rand(m, 1000 + i));
			continue;
		default:
			break;
		}
		m->rpm[i] += (target - m->rpm[i]) * (1.0 - exp(-1.0 / f->spinup_s));
	}
}

static enum sim_trip thermal_step(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	double a = pow(airflow(m), c->airflow_exp);
	enum sim_trip trip = SIM_TRIP_NONE;

	for (size_t i = 0; i < c->n_nodes; i++) {
		const struct sim_node_cfg *n = &c->nodes[i];
		double steady = c->ambient_c + node_power(m, i) * n->r_c_per_w / a;
		m->temp[i] += (steady - m->temp[i]) * (1.0 - exp(-1.0 / n->tau_s));
		if (m->on && n->trip_c > 0 && m->temp[i] >= n->trip_c && !m->trip[i]) {
			m->trip[i] = true;
			trip = SIM_TRIP_THERMAL;
		}
	}
	return trip;
}

static bool psu_delivers(const struct sim_model *m, size_t i)
{
	return m->psu_fault[i] != SIM_PSU_AC_LOST && m->psu_fault[i] != SIM_PSU_FAIL;
}

static size_t psus_with_ac(const struct sim_model *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->cfg.n_psus; i++)
		n += psu_delivers(m, i);
	return n;
}

/* Efficiency over the load fraction x: the peak at half load, lower at the ends (80 PLUS-like). */
static double psu_efficiency(const struct sim_psu_cfg *p, double x)
{
	return clamp(p->efficiency - 0.12 * (x - 0.5) * (x - 0.5) - 0.25 * fmax(0.2 - x, 0), 0.3,
		     1.0);
}

/* ---- outputs ----------------------------------------------------------------------------- */

static double noisy(const struct sim_model *m, size_t idx, double v, double amplitude)
{
	return v + amplitude * sim_rand(m, idx);
}

static void out_temps(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	char l[SIM_NAME_MAX], name[SIM_INPUT_MAX + 8];

	input_set(m, "temp.inlet", noisy(m, 0, c->ambient_c, INLET_NOISE));
	for (size_t i = 0; i < c->n_nodes; i++) {
		const struct sim_node_cfg *n = &c->nodes[i];
		size_t k = input_index(m, n->input);
		m->in_value[k] = noisy(m, k, m->temp[i], n->noise_c);
		if (n->power_input[0])
			input_set(m, n->power_input, node_power(m, i));
		if (n->trip_c > 0) {
			lower_copy(l, sizeof(l), n->name);
			snprintf(name, sizeof(name), "cpu.%s.state", l);
			input_set(m, name, CPU_PRESENT | (m->trip[i] ? CPU_TRIP : 0));
		}
	}
}

static void out_fans_rails(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	char l[SIM_NAME_MAX], name[SIM_INPUT_MAX + 8];
	double frac = 0, cap = 0;

	for (size_t i = 0; i < c->n_fans; i++) {
		lower_copy(l, sizeof(l), c->fans[i].name);
		snprintf(name, sizeof(name), "fan.%s.rpm", l);
		size_t k = input_index(m, name);
		m->in_value[k] = m->rpm[i] > 1 ? fmax(noisy(m, k, m->rpm[i], FAN_NOISE_RPM), 0) : 0;
	}
	for (size_t i = 0; i < c->n_psus; i++)
		cap += psu_delivers(m, i) ? c->psus[i].capacity_w : 0;
	frac = cap > 0 ? m->dc_w / cap : 0;
	for (size_t i = 0; i < c->n_rails; i++) {
		const struct sim_rail_cfg *r = &c->rails[i];
		size_t k = input_index(m, r->input);
		bool live = (m->on || r->standby) && psus_with_ac(m) > 0;
		m->in_value[k] = live ? noisy(m, k, r->nominal - r->sag * frac, r->noise) : 0;
	}
}

static void out_psus(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	char l[SIM_NAME_MAX], name[SIM_INPUT_MAX + 8];
	size_t ok = psus_with_ac(m);
	double total = 0;

	for (size_t i = 0; i < c->n_psus; i++) {
		const struct sim_psu_cfg *p = &c->psus[i];
		double out = 0, in = 0;
		if (psu_delivers(m, i)) {
			out = m->on ? m->dc_w / (double)ok : 0;
			in = m->on ? out / psu_efficiency(p, out / p->capacity_w) : p->standby_w;
		}
		lower_copy(l, sizeof(l), p->name);
		snprintf(name, sizeof(name), "power.%s.in", l);
		size_t k = input_index(m, name);
		in = noisy(m, k, in, in * POWER_NOISE);
		m->in_value[k] = in;
		total += in;
		snprintf(name, sizeof(name), "power.%s.out", l);
		input_set(m, name, out);
		snprintf(name, sizeof(name), "current.%s.in", l);
		input_set(m, name, in / c->mains_v);
		snprintf(name, sizeof(name), "psu.%s.state", l);
		static const unsigned psu_bits[] = { 0, PSU_AC_LOST, PSU_FAILURE, PSU_PREDICTIVE };
		input_set(m, name, PSU_PRESENT | psu_bits[m->psu_fault[i] & 3]);
	}
	input_set(m, "psu.redundancy", ok == c->n_psus ? RED_FULL : RED_LOST);
	input_set(m, "power.total", total);
	input_set(m, "power.dc", m->dc_w);
}

static void out_discrete(struct sim_model *m)
{
	const struct sim_model_cfg *c = &m->cfg;
	char name[SIM_INPUT_MAX + 24];
	double mem = MEM_PRESENT;

	for (size_t i = 0; i < c->n_dimms; i++) {
		if (m->dimm_fault[i] == SIM_MEM_CORRECTABLE)
			mem = (double)((unsigned)mem | MEM_CORRECTABLE);
		if (m->dimm_fault[i] == SIM_MEM_UNCORRECTABLE)
			mem = (double)((unsigned)mem | MEM_UNCORRECT);
	}
	input_set(m, "memory.state", mem);
	for (size_t i = 0; i < c->n_drives; i++) {
		unsigned st = 0;
		switch (m->drive_fault[i]) {
		case SIM_DRIVE_OK: st = DRIVE_PRESENT; break;
		case SIM_DRIVE_FAULT: st = DRIVE_PRESENT | DRIVE_FAULT; break;
		case SIM_DRIVE_PREDICTIVE: st = DRIVE_PRESENT | DRIVE_PREDICT; break;
		default: break;
		}
		snprintf(name, sizeof(name), "drive.%zu.state", i);
		input_set(m, name, st);
	}
	input_set(m, "chassis.intrusion", m->intrusion ? INTRUSION : 0);
}

void sim_model_refresh(struct sim_model *m)
{
	m->dc_w = dc_power(m);
	out_temps(m);
	out_fans_rails(m);
	out_psus(m);
	out_discrete(m);
}

enum sim_trip sim_model_step(struct sim_model *m)
{
	enum sim_trip trip = SIM_TRIP_NONE;

	m->step++;
	if (m->on && psus_with_ac(m) == 0)
		trip = SIM_TRIP_AC_LOST;
	fan_control(m);
	fans_step(m);
	m->dc_w = dc_power(m);
	if (thermal_step(m) == SIM_TRIP_THERMAL && trip == SIM_TRIP_NONE)
		trip = SIM_TRIP_THERMAL;
	sim_model_refresh(m);
	return trip;
}

int sim_model_init(struct sim_model *m, const struct sim_model_cfg *cfg, uint64_t seed)
{
	if (sim_model_cfg_check(cfg, NULL, 0) < 0)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	m->seed = seed;
	m->load_pct = cfg->load_pct;
	for (size_t i = 0; i < cfg->n_nodes; i++)
		m->temp[i] = cfg->ambient_c;
	inputs_build(m);
	sim_model_refresh(m);
	return 0;
}

void sim_model_set_power(struct sim_model *m, bool on)
{
	if (on && !m->on) {
		memset(m->trip, 0, sizeof(m->trip)); /* THERMTRIP# latches until power is cycled */
		m->on_step = m->step;
	}
	m->on = on;
	sim_model_refresh(m);
}

bool sim_model_has_power(const struct sim_model *m)
{
	return psus_with_ac(m) > 0;
}

bool sim_model_ac_lost_all(const struct sim_model *m)
{
	for (size_t i = 0; i < m->cfg.n_psus; i++)
		if (m->psu_fault[i] != SIM_PSU_AC_LOST)
			return false;
	return true;
}

bool sim_model_tripped(const struct sim_model *m)
{
	for (size_t i = 0; i < m->cfg.n_nodes; i++)
		if (m->trip[i])
			return true;
	return false;
}

int sim_model_event_data(const struct sim_model *m, const char *input, uint8_t offset,
			 uint8_t *ret_data2, uint8_t *ret_data3)
{
	if (strcmp(input, "memory.state") != 0 || offset > 1 || m->cfg.n_dimms == 0)
		return -ENOENT;
	*ret_data2 = 0xFF;
	*ret_data3 = m->ecc_dimm[offset]; /* IPMI 2.0 table 42-3: memory module/device ID */
	return 0;
}

int sim_model_read(const struct sim_model *m, const char *input, double *ret_value)
{
	size_t i = input_index(m, input);
	if (i == SIZE_MAX)
		return -ENOENT;
	if (m->on && m->step == m->on_step && m->in_settling[i])
		return -ENODATA;
	*ret_value = m->in_value[i];
	return 0;
}

/* ---- faults ------------------------------------------------------------------------------ */

static int find_name(const char *want, const char *names, size_t stride, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(want, names + i * stride) == 0)
			return (int)i;
	return -ENOENT;
}

int sim_model_fan_fault(struct sim_model *m, const char *fan, enum sim_fan_fault f)
{
	int i = find_name(fan, m->cfg.fans[0].name, sizeof(m->cfg.fans[0]), m->cfg.n_fans);
	if (i < 0)
		return i;
	m->fan_fault[i] = (uint8_t)f;
	if (f == SIM_FAN_FAIL)
		m->rpm[i] = 0; /* the tachometer reads 0 at once */
	sim_model_refresh(m);
	return 0;
}

int sim_model_psu_fault(struct sim_model *m, const char *psu, enum sim_psu_fault f)
{
	int i = find_name(psu, m->cfg.psus[0].name, sizeof(m->cfg.psus[0]), m->cfg.n_psus);
	if (i < 0)
		return i;
	m->psu_fault[i] = (uint8_t)f;
	sim_model_refresh(m);
	return 0;
}

int sim_model_memory_fault(struct sim_model *m, const char *dimm, enum sim_mem_fault f)
{
	int i = find_name(dimm, m->cfg.dimms[0], sizeof(m->cfg.dimms[0]), m->cfg.n_dimms);
	if (i < 0)
		return i;
	m->dimm_fault[i] = (uint8_t)f;
	if (f == SIM_MEM_CORRECTABLE || f == SIM_MEM_UNCORRECTABLE)
		m->ecc_dimm[f - SIM_MEM_CORRECTABLE] = (uint8_t)i;
	sim_model_refresh(m);
	return 0;
}

/* A bay is its number ("3") or the name of its sensor in words ("drive3"). */
static int drive_bay(const struct sim_model *m, const char *bay)
{
	const char *p = strncasecmp(bay, "drive", 5) == 0 ? bay + 5 : bay;
	char *end;
	if (*p == ' ' || *p == '_')
		p++;
	if (*p < '0' || *p > '9')
		return -ENOENT;
	unsigned long n = strtoul(p, &end, 10);
	return *end || n >= m->cfg.n_drives ? -ENOENT : (int)n;
}

int sim_model_drive_fault(struct sim_model *m, const char *bay, enum sim_drive_fault f)
{
	int i = drive_bay(m, bay);
	if (i < 0)
		return i;
	m->drive_fault[i] = (uint8_t)f;
	sim_model_refresh(m);
	return 0;
}

static int cpu_index(const struct sim_model *m, const char *cpu)
{
	for (size_t i = 0; i < m->cfg.n_nodes; i++)
		if (m->cfg.nodes[i].trip_c > 0 && strcasecmp(cpu, m->cfg.nodes[i].name) == 0)
			return (int)i;
	return -ENOENT;
}

int sim_model_cpu_trip(struct sim_model *m, const char *cpu)
{
	int i = cpu_index(m, cpu);
	if (i < 0)
		return i;
	m->trip[i] = true;
	sim_model_refresh(m);
	return 0;
}

void sim_model_intrusion(struct sim_model *m, bool open)
{
	m->intrusion = open;
	sim_model_refresh(m);
}

static void clear_all(struct sim_model *m)
{
	memset(m->fan_fault, 0, sizeof(m->fan_fault));
	memset(m->psu_fault, 0, sizeof(m->psu_fault));
	memset(m->dimm_fault, 0, sizeof(m->dimm_fault));
	memset(m->drive_fault, 0, sizeof(m->drive_fault));
	memset(m->trip, 0, sizeof(m->trip));
	m->intrusion = false;
}

int sim_model_clear(struct sim_model *m, const char *what)
{
	const struct sim_model_cfg *c = &m->cfg;
	int i;

	if (strcasecmp(what, "all") == 0)
		clear_all(m);
	else if (strcasecmp(what, "intrusion") == 0)
		m->intrusion = false;
	else if ((i = find_name(what, c->fans[0].name, sizeof(c->fans[0]), c->n_fans)) >= 0)
		m->fan_fault[i] = SIM_FAN_OK;
	else if ((i = find_name(what, c->psus[0].name, sizeof(c->psus[0]), c->n_psus)) >= 0)
		m->psu_fault[i] = SIM_PSU_OK;
	else if ((i = find_name(what, c->dimms[0], sizeof(c->dimms[0]), c->n_dimms)) >= 0)
		m->dimm_fault[i] = SIM_MEM_OK;
	else if ((i = cpu_index(m, what)) >= 0)
		m->trip[i] = false;
	else if ((i = drive_bay(m, what)) >= 0)
		m->drive_fault[i] = SIM_DRIVE_OK;
	else
		return -ENOENT;
	sim_model_refresh(m);
	return 0;
}

void sim_model_set_load(struct sim_model *m, double pct)
{
	m->load_pct = clamp(pct, 0, 100);
	sim_model_refresh(m);
}

void sim_model_set_ambient(struct sim_model *m, double celsius)
{
	m->cfg.ambient_c = clamp(celsius, -20, 60);
	sim_model_refresh(m);
}

/* ---- status ------------------------------------------------------------------------------ */

struct out {
	char *p;
	size_t cap, len;
};

__attribute__((format(printf, 2, 3)))
static void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	if (o->len + 1 >= o->cap)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n >= o->cap ? o->cap - 1 : o->len + (size_t)n;
}

static const char *const fan_fault_names[] = { "ok", "fail", "degraded", "erratic" };
static const char *const mem_fault_names[] = { "ok", "correctable", "uncorrectable" };
static const char *const drive_fault_names[] = { "ok", "fault", "predictive", "removed" };
static const char *const psu_fault_names[] = { "ok", "ac-lost", "fail", "predictive" };

static void status_faults(const struct sim_model *m, struct out *o)
{
	const struct sim_model_cfg *c = &m->cfg;
	out_printf(o, "faults");
	for (size_t i = 0; i < c->n_fans; i++)
		if (m->fan_fault[i])
			out_printf(o, " %s=%s", c->fans[i].name, fan_fault_names[m->fan_fault[i]]);
	for (size_t i = 0; i < c->n_psus; i++)
		if (m->psu_fault[i])
			out_printf(o, " %s=%s", c->psus[i].name, psu_fault_names[m->psu_fault[i] & 3]);
	for (size_t i = 0; i < c->n_nodes; i++)
		if (m->trip[i])
			out_printf(o, " %s=thermal-trip", c->nodes[i].name);
	for (size_t i = 0; i < c->n_dimms; i++)
		if (m->dimm_fault[i])
			out_printf(o, " %s=%s", c->dimms[i], mem_fault_names[m->dimm_fault[i]]);
	for (size_t i = 0; i < c->n_drives; i++)
		if (m->drive_fault[i])
			out_printf(o, " drive%zu=%s", i, drive_fault_names[m->drive_fault[i]]);
	if (m->intrusion)
		out_printf(o, " intrusion=open");
	out_printf(o, "\n");
}

size_t sim_model_status(const struct sim_model *m, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	if (cap)
		buf[0] = '\0';
	out_printf(&o, "time %llu\npower %s\nload %.1f\nambient %.1f\nfan_duty %.3f\n"
		   "airflow %.3f\n", (unsigned long long)m->step, m->on ? "on" : "off", m->load_pct,
		   m->cfg.ambient_c, m->duty, airflow(m));
	status_faults(m, &o);
	for (size_t i = 0; i < m->cfg.n_psus; i++) {
		const struct sim_psu_cfg *p = &m->cfg.psus[i];
		double out = 0;
		char l[SIM_NAME_MAX], name[SIM_INPUT_MAX + 8];
		lower_copy(l, sizeof(l), p->name);
		snprintf(name, sizeof(name), "power.%s.out", l);
		sim_model_read(m, name, &out);
		out_printf(&o, "efficiency.%s %.4f\n", l,
			   !psu_delivers(m, i) || !m->on ? 0 : psu_efficiency(p, out / p->capacity_w));
	}
	for (size_t i = 0; i < m->n_in; i++)
		out_printf(&o, "input %s %.3f\n", m->in_name[i], m->in_value[i]);
	return o.len;
}
