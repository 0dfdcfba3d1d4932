/* Unit tests of the simulated server's physics (platform/sim/model.c) and of its profiles
 * (config_profile.c): warm-up and cool-down, the fan controller and fan faults, thermal trip,
 * AC loss and PSU efficiency, determinism of the seeded noise, the compiled-in default equal to
 * config/profiles/compute-1u.yaml, every shipped profile loading, and a bad profile refused with
 * file, line and field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include "config.h"
#include "fixture.h"
#include "platform/sim/model.h"
#include "platform/sim/sim.h"

static struct sim_model *model_new(uint64_t seed)
{
	struct sim_model_cfg cfg;
	struct sim_model *m = malloc(sizeof(*m));
	assert_non_null(m);
	sim_model_cfg_default(&cfg);
	assert_int_equal(sim_model_init(m, &cfg, seed), 0);
	return m;
}

static double in(const struct sim_model *m, const char *name)
{
	double v = -1;
	assert_int_equal(sim_model_read(m, name, &v), 0);
	return v;
}

static void steps(struct sim_model *m, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(sim_model_step(m), SIM_TRIP_NONE);
}

/* Power on: temperatures rise from ambient towards a steady state (not in one step), fans spin
 * up to the controller's floor, power climbs; power off: the reverse. */
static void test_warm_up_and_cool_down(void **state)
{
	struct sim_model *m = model_new(1);
	double cpu0 = in(m, "temp.cpu1");

	assert_true(fabs(cpu0 - 23) < 2);
	assert_true(in(m, "fan.fan1.rpm") == 0);
	sim_model_set_power(m, true);
	double v;
	assert_int_equal(sim_model_read(m, "fan.fan1.rpm", &v), -ENODATA); /* spinning up */
	steps(m, 1);
	assert_true(in(m, "fan.fan1.rpm") > 1000); /* above LNC after one second */
	steps(m, 4);
	double cpu5 = in(m, "temp.cpu1"), p5 = in(m, "power.total");
	assert_true(cpu5 > cpu0 + 2 && cpu5 < 40); /* rising, far from steady */
	steps(m, 300);
	double cpu = in(m, "temp.cpu1");
	assert_true(cpu > 44 && cpu < 51);
	assert_true(in(m, "fan.fan1.rpm") > 6800 && in(m, "fan.fan1.rpm") < 7400);
	assert_true(in(m, "power.total") > 150 && in(m, "power.total") < 220);
	assert_true(in(m, "power.total") > p5);
	assert_true(fabs(in(m, "volt.12v") - 12.0) < 0.15);
	sim_model_set_power(m, false);
	steps(m, 10);
	assert_true(in(m, "temp.cpu1") < cpu - 5 && in(m, "temp.cpu1") > 23);
	assert_true(in(m, "fan.fan1.rpm") < 300);
	assert_true(in(m, "volt.12v") == 0 && in(m, "volt.vbat") > 3.0);
	assert_true(fabs(in(m, "power.total") - 14) < 1); /* two PSUs on standby */
	steps(m, 600);
	assert_true(fabs(in(m, "temp.cpu1") - 23) < 1.5);
	free(m);
}

/* A failed fan reads 0 RPM and the others go to full duty; two failed fans at full load push
 * CPU1 past 90 °C but not to its 105 °C trip point; clearing brings it back under 85. */
static void test_fan_failure_and_controller(void **state)
{
	struct sim_model *m = model_new(7);

	sim_model_set_power(m, true);
	steps(m, 300);
	double fan1 = in(m, "fan.fan1.rpm");
	assert_int_equal(sim_model_fan_fault(m, "fan3", SIM_FAN_FAIL), 0);
	steps(m, 10);
	assert_true(in(m, "fan.fan3.rpm") == 0);
	assert_true(in(m, "fan.fan1.rpm") > fan1 + 5000);
	assert_int_equal(sim_model_fan_fault(m, "FAN9", SIM_FAN_FAIL), -ENOENT);
	sim_model_set_load(m, 100);
	steps(m, 300);
	assert_true(in(m, "temp.cpu1") < 85); /* one fan down: still cooled */
	assert_int_equal(sim_model_fan_fault(m, "FAN4", SIM_FAN_FAIL), 0);
	steps(m, 300);
	double hot = in(m, "temp.cpu1");
	assert_true(hot > 91 && hot < 104);
	assert_int_equal(sim_model_clear(m, "all"), 0);
	steps(m, 300);
	assert_true(in(m, "temp.cpu1") < 80);
	assert_int_equal(sim_model_fan_fault(m, "FAN2", SIM_FAN_DEGRADED), 0);
	steps(m, 30);
	assert_true(in(m, "fan.fan2.rpm") > 700 && in(m, "fan.fan2.rpm") < 1000);
	free(m);
}

/* A processor above its trip point trips (latched); the next power-on clears the latch. */
static void test_thermal_trip(void **state)
{
	struct sim_model_cfg cfg;
	struct sim_model *m = malloc(sizeof(*m));
	enum sim_trip trip = SIM_TRIP_NONE;
	double st;

	sim_model_cfg_default(&cfg);
	cfg.nodes[0].trip_c = 70;
	assert_int_equal(sim_model_init(m, &cfg, 3), 0);
	sim_model_set_power(m, true);
	sim_model_set_load(m, 100);
	for (int i = 0; i < 600 && trip == SIM_TRIP_NONE; i++)
		trip = sim_model_step(m);
	assert_int_equal(trip, SIM_TRIP_THERMAL);
	assert_true(sim_model_tripped(m));
	assert_int_equal(sim_model_read(m, "cpu.cpu1.state", &st), 0);
	assert_int_equal((int)st, 0x82); /* presence + thermal trip */
	sim_model_set_power(m, false);
	sim_model_set_power(m, true);
	assert_false(sim_model_tripped(m));
	assert_int_equal(sim_model_cpu_trip(m, "CPU2"), 0);
	assert_true(sim_model_tripped(m));
	assert_int_equal(sim_model_cpu_trip(m, "DIMM"), -ENOENT); /* not a processor */
	free(m);
}

/* AC lost on PSU2: redundancy lost, PSU1 carries the load, input = output / efficiency. */
static void test_psu_ac_lost(void **state)
{
	struct sim_model *m = model_new(5);

	sim_model_set_power(m, true);
	sim_model_set_load(m, 60);
	steps(m, 300);
	assert_int_equal((int)in(m, "psu.redundancy"), 0x01);
	double dc = in(m, "power.dc");
	assert_int_equal(sim_model_psu_fault(m, "PSU2", SIM_PSU_AC_LOST), 0);
	steps(m, 2);
	assert_int_equal((int)in(m, "psu.redundancy"), 0x02);
	assert_int_equal((int)in(m, "psu.psu2.state"), 0x09);
	assert_true(in(m, "power.psu2.in") == 0 && in(m, "current.psu2.in") == 0);
	double out1 = in(m, "power.psu1.out"), in1 = in(m, "power.psu1.in");
	assert_true(fabs(out1 - in(m, "power.dc")) < 0.01);
	assert_true(fabs(out1 - dc) < 0.05 * dc);
	assert_true(in1 > out1 && in1 < out1 / 0.85);
	assert_true(fabs(in(m, "current.psu1.in") - in1 / 230) < 1e-9);
	assert_true(sim_model_has_power(m));
	assert_int_equal(sim_model_psu_fault(m, "PSU1", SIM_PSU_FAIL), 0);
	assert_int_equal((int)in(m, "psu.psu1.state"), 0x03); /* presence + failure */
	assert_false(sim_model_has_power(m));
	assert_false(sim_model_ac_lost_all(m)); /* PSU1 failed, it did not lose AC */
	assert_int_equal(sim_model_step(m), SIM_TRIP_AC_LOST);
	assert_int_equal(sim_model_psu_fault(m, "PSU1", SIM_PSU_AC_LOST), 0);
	assert_true(sim_model_ac_lost_all(m));
	assert_int_equal(sim_model_psu_fault(m, "PSU3", SIM_PSU_FAIL), -ENOENT);
	sim_model_set_ambient(m, 35);
	assert_true(fabs(in(m, "temp.inlet") - 35) < 1);
	free(m);
}

/* Discrete faults show as the sensor-specific offsets of their sensors. */
static void test_discrete_faults(void **state)
{
	struct sim_model *m = model_new(5);

	assert_int_equal((int)in(m, "memory.state"), 0x40);
	assert_int_equal(sim_model_memory_fault(m, "dimm_a1", SIM_MEM_UNCORRECTABLE), 0);
	assert_int_equal((int)in(m, "memory.state"), 0x42);
	assert_int_equal(sim_model_memory_fault(m, "DIMM_Z9", SIM_MEM_CORRECTABLE), -ENOENT);
	uint8_t d2 = 0, d3 = 0;
	assert_int_equal(sim_model_event_data(m, "memory.state", 1, &d2, &d3), 0);
	assert_int_equal(d2, 0xFF);
	assert_int_equal(d3, 0); /* DIMM_A1 */
	assert_int_equal(sim_model_memory_fault(m, "DIMM_C2", SIM_MEM_CORRECTABLE), 0);
	assert_int_equal(sim_model_event_data(m, "memory.state", 0, &d2, &d3), 0);
	assert_int_equal(d3, 5); /* DIMM_C2 */
	assert_int_equal(sim_model_event_data(m, "memory.state", 6, &d2, &d3), -ENOENT);
	assert_int_equal(sim_model_event_data(m, "drive.0.state", 1, &d2, &d3), -ENOENT);
	assert_int_equal(sim_model_drive_fault(m, "1", SIM_DRIVE_FAULT), 0);
	assert_int_equal((int)in(m, "drive.1.state"), 0x03);
	assert_int_equal(sim_model_drive_fault(m, "drive0", SIM_DRIVE_REMOVED), 0);
	assert_int_equal((int)in(m, "drive.0.state"), 0x00);
	assert_int_equal(sim_model_drive_fault(m, "2", SIM_DRIVE_FAULT), -ENOENT);
	sim_model_intrusion(m, true);
	assert_int_equal((int)in(m, "chassis.intrusion"), 0x01);
	assert_int_equal(sim_model_clear(m, "all"), 0);
	assert_int_equal((int)in(m, "memory.state"), 0x40);
	assert_int_equal((int)in(m, "drive.0.state"), 0x01);
	assert_int_equal((int)in(m, "chassis.intrusion"), 0);
	assert_int_equal(sim_model_clear(m, "nonesuch"), -ENOENT);
	free(m);
}

static void run_script(struct sim_model *m)
{
	sim_model_set_power(m, true);
	for (int t = 0; t < 400; t++) {
		if (t == 100)
			sim_model_set_load(m, 90);
		if (t == 150)
			sim_model_fan_fault(m, "FAN2", SIM_FAN_ERRATIC);
		sim_model_step(m);
	}
}

/* The same seed and the same commands give the same trace; another seed does not. */
static void test_determinism(void **state)
{
	static char a[16384], b[16384], c[16384];
	struct sim_model *m1 = model_new(42), *m2 = model_new(42), *m3 = model_new(43);

	run_script(m1);
	run_script(m2);
	run_script(m3);
	sim_model_status(m1, a, sizeof(a));
	sim_model_status(m2, b, sizeof(b));
	sim_model_status(m3, c, sizeof(c));
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_non_null(strstr(a, "time 400\n"));
	assert_non_null(strstr(a, "faults FAN2=erratic\n"));
	free(m1);
	free(m2);
	free(m3);
}

static void profile_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/config/profiles/%s", SOURCE_ROOT, name);
}

static void assert_sensor_equal(const struct bmc_sensor_def *a, const struct bmc_sensor_def *b)
{
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->input, b->input);
	assert_int_equal(a->number, b->number);
	assert_int_equal(a->sensor_type, b->sensor_type);
	assert_int_equal(a->event_type, b->event_type);
	assert_int_equal(a->entity_id, b->entity_id);
	assert_int_equal(a->entity_instance, b->entity_instance);
	assert_int_equal(a->host_powered, b->host_powered);
	assert_int_equal(a->bmc_events, b->bmc_events);
	assert_int_equal(a->unit, b->unit);
	assert_int_equal(a->format, b->format);
	assert_int_equal(a->m, b->m);
	assert_int_equal(a->b, b->b);
	assert_int_equal(a->b_exp, b->b_exp);
	assert_int_equal(a->r_exp, b->r_exp);
	assert_int_equal(a->readable, b->readable);
	assert_int_equal(a->settable, b->settable);
	for (int t = 0; t < BMC_THR_MAX; t++)
		if (a->readable & (1u << t))
			assert_true(a->thresholds[t] == b->thresholds[t]);
	assert_true(a->nominal == b->nominal && a->normal_min == b->normal_min &&
		    a->normal_max == b->normal_max);
	assert_int_equal(a->hyst_pos, b->hyst_pos);
	assert_int_equal(a->hyst_neg, b->hyst_neg);
	assert_int_equal(a->states, b->states);
}

/* config/profiles/compute-1u.yaml states exactly the compiled-in default. */
static void test_default_equals_compute_1u(void **state)
{
	static struct softbmc_config cfg, def;
	struct sim_model *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	static char sa[16384], sb[16384];
	char path[512], err[512];

	profile_path(path, sizeof(path), "compute-1u.yaml");
	config_defaults(&cfg);
	config_defaults(&def);
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.profile_name, "compute-1u");
	assert_int_equal(cfg.n_sensors, bmc_sensor_default_defs_n);
	for (size_t i = 0; i < cfg.n_sensors; i++)
		assert_sensor_equal(&cfg.sensors[i], &bmc_sensor_default_defs[i]);
	/* the model: the same constants give the same run */
	assert_int_equal(memcmp(&cfg.sim_model.fans, &def.sim_model.fans, sizeof(def.sim_model.fans)), 0);
	assert_int_equal(memcmp(&cfg.sim_model.nodes, &def.sim_model.nodes, sizeof(def.sim_model.nodes)), 0);
	assert_int_equal(sim_model_init(a, &cfg.sim_model, 9), 0);
	assert_int_equal(sim_model_init(b, &def.sim_model, 9), 0);
	run_script(a);
	run_script(b);
	sim_model_status(a, sa, sizeof(sa));
	sim_model_status(b, sb, sizeof(sb));
	assert_string_equal(sa, sb);
	assert_int_equal(cfg.sim_speed, def.sim_speed);
	assert_int_equal(cfg.sim_seed, def.sim_seed);
	free(a);
	free(b);
}

/* Every shipped profile loads, and its sensors' inputs exist in its model. */
static void test_profiles_load(void **state)
{
	static const char *const names[] = { "compute-1u.yaml", "storage-2u.yaml", "gpu-4x.yaml" };
	static struct softbmc_config cfg;
	struct sim_model *m = malloc(sizeof(*m));
	char path[512], err[512];

	for (size_t i = 0; i < 3; i++) {
		profile_path(path, sizeof(path), names[i]);
		config_defaults(&cfg);
		err[0] = '\0';
		int r = config_load(path, &cfg, err, sizeof(err));
		if (r != 0)
			fail_msg("%s: %s", names[i], err);
		assert_int_equal(sim_model_init(m, &cfg.sim_model, 1), 0);
		sim_model_set_power(m, true);
		for (size_t k = 0; k < cfg.n_sensors; k++) {
			double v;
			const char *input = cfg.sensors[k].input;
			if (strncmp(input, "bmc.", 4) == 0)
				continue;
			if (sim_model_read(m, input, &v) == -ENOENT)
				fail_msg("%s: sensor %s: input %s not in the model", names[i],
					 cfg.sensors[k].name, input);
		}
	}
	free(m);
}

/* A bad profile is refused with the file, line and field. */
static void test_bad_profile(void **state)
{
	static struct softbmc_config cfg;
	char dir[256], path[300], err[512];
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "sensors:\n  - name: X\n    input: temp.cpu1\n    number: 0x02\n    kind: temperature\n"
		  "    thresholds: { unc: 90, ucr: 80 }\n", ":6: sensors[0].thresholds: not in order" },
		{ "sensors:\n  - name: A\n    input: temp.cpu1\n    number: 2\n  - name: B\n"
		  "    input: temp.cpu2\n    number: 0x02\n", ":7: sensors[1].number: sensor number 0x02" },
		{ "platform:\n  sim:\n    fans:\n      - { name: FAN1, max_rpm: fast }\n",
		  ":4: platform.sim.fans[0].max_rpm: 'fast' is not a number" },
		{ "platform:\n  sim:\n    fan_control:\n      min_duty: 0.9\n      max_duty: 0.5\n",
		  "platform.sim: fan_control" },
		{ "sensors:\n  - name: A\n    input: temp.cpu1\n    number: 2\n    kind: gauge\n",
		  ":5: sensors.kind: 'gauge' is not one of" },
	};
	test_tmpdir_new(dir, sizeof(dir), "test_sim");
	snprintf(path, sizeof(path), "%s/bad.yaml", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write_file(path, cases[i].text);
		config_defaults(&cfg);
		assert_int_equal(config_load(path, &cfg, err, sizeof(err)), -EINVAL);
		if (!strstr(err, cases[i].want) || strncmp(err, path, strlen(path)) != 0)
			fail_msg("case %zu: error '%s' does not name '%s'", i, err, cases[i].want);
		assert_int_equal(cfg.n_sensors, 0); /* nothing applied */
	}
	test_tmpdir_remove(dir);
}

/* The command language: answers, limits, refusals. */
static void test_commands(void **state)
{
	uv_loop_t loop;
	char reply[16384], line[400];
	struct platform_sim_config sc = PLATFORM_SIM_CONFIG_DEFAULT;

	sc.speed = 0;
	assert_int_equal(uv_loop_init(&loop), 0);
	struct platform *p = platform_sim_new(&loop, &sc, (struct platform_callbacks){ 0 });
	assert_non_null(p);
	assert_int_equal(platform_sim_command(p, "power on", reply, sizeof(reply)), 0);
	assert_int_equal(platform_sim_command(p, "step 10", reply, sizeof(reply)), 0);
	assert_string_equal(reply, "ok\ntime 10 (paused)\n");
	assert_int_equal(platform_sim_command(p, "  fault   fan fan3 fail ", reply, sizeof(reply)), 0);
	assert_int_equal(platform_sim_command(p, "status", reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "\nfaults FAN3=fail\n"));
	assert_non_null(strstr(reply, "\ninput fan.fan3.rpm 0.000\n"));
	static const struct {
		const char *line;
		int r;
		const char *msg;
	} bad[] = {
		{ "", -EINVAL, "error: empty command" },
		{ "a b c d e f g", -E2BIG, "error: command too long" },
		{ "step 3601", -EINVAL, "error: usage: pause" },
		{ "speed 1001", -EINVAL, "error: usage: pause" },
		{ "load -1", -EINVAL, "error: usage: load" },
		{ "load 5x", -EINVAL, "error: usage: load" },
		{ "fault cpu DIMM thermal-trip", -ENOENT, "error: this server has no cpu named 'DIMM'" },
		{ "fault psu PSU1 on-fire", -EINVAL, "error: unknown fault mode 'on-fire'" },
		{ "fault", -EINVAL, "error: usage: fault fan" },
		{ "scenario /nonexistent/x.yaml", -ENOENT, "error: /nonexistent/x.yaml: No such file" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = platform_sim_command(p, bad[i].line, reply, sizeof(reply));
		if (r != bad[i].r || strncmp(reply, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("'%s': %d '%s'", bad[i].line, r, reply);
	}
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(platform_sim_command(p, line, reply, sizeof(reply)), -E2BIG);
	assert_int_equal(platform_sim_command(p, "status", reply, 40), 0); /* truncated, bounded */
	assert_true(strlen(reply) < 40);
	platform_free(p);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* A scenario must be a regular file: a FIFO (whose open waits for a writer, and whose read
 * waits for data) or a device such as /dev/stdin would block the daemon's only loop. Without
 * the check this test hangs until the alarm kills it. */
static void test_scenario_not_regular(void **state)
{
	uv_loop_t loop;
	char reply[512], dir[128], fifo[160], line[200];
	struct platform_sim_config sc = PLATFORM_SIM_CONFIG_DEFAULT;

	sc.speed = 0;
	assert_int_equal(uv_loop_init(&loop), 0);
	struct platform *p = platform_sim_new(&loop, &sc, (struct platform_callbacks){ 0 });
	assert_non_null(p);
	test_tmpdir_new(dir, sizeof(dir), "test_sim_fifo");
	snprintf(fifo, sizeof(fifo), "%s/scenario.fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* a writer holds the FIFO open and sends nothing: a plain read would wait forever */
	int wr = open(fifo, O_RDWR | O_CLOEXEC);
	assert_true(wr >= 0);
	alarm(20);
	snprintf(line, sizeof(line), "scenario %s", fifo);
	assert_int_equal(platform_sim_command(p, line, reply, sizeof(reply)), -EBADFD);
	assert_non_null(strstr(reply, "not a regular file"));
	assert_int_equal(platform_sim_command(p, "scenario /dev/zero", reply, sizeof(reply)),
			 -EBADFD);
	alarm(0);
	close(wr);
	unlink(fifo);
	test_tmpdir_remove(dir);
	platform_free(p);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The scenario table exists only once a scenario is loaded (stepping without one is
 * test_commands); a second load replaces the first in place: the first one's remaining
 * entries never run, the second's run from the step it was loaded at. */
static void test_scenario_replaced(void **state)
{
	uv_loop_t loop;
	char reply[16384], dir[128], a[200], b[200], line[220];
	struct platform_sim_config sc = PLATFORM_SIM_CONFIG_DEFAULT;

	sc.speed = 0;
	assert_int_equal(uv_loop_init(&loop), 0);
	struct platform *p = platform_sim_new(&loop, &sc, (struct platform_callbacks){ 0 });
	assert_non_null(p);
	test_tmpdir_new(dir, sizeof(dir), "test_sim_scn");
	snprintf(a, sizeof(a), "%s/a.yaml", dir);
	snprintf(b, sizeof(b), "%s/b.yaml", dir);
	write_text(a, "scenario:\n  - at: 1\n    do: load 90\n  - at: 5\n    do: load 10\n");
	write_text(b, "scenario:\n  - at: 2\n    do: load 30\n");
	snprintf(line, sizeof(line), "scenario %s", a);
	if (platform_sim_command(p, line, reply, sizeof(reply)) != 0)
		fail_msg("%s: %s", line, reply);
	assert_int_equal(platform_sim_command(p, "step 2", reply, sizeof(reply)), 0);
	assert_int_equal(platform_sim_command(p, "status", reply, sizeof(reply)), 0);
	if (!strstr(reply, "\nload 90.0\n"))
		fail_msg("a.yaml's first entry did not run: %s", reply);
	snprintf(line, sizeof(line), "scenario %s", b);
	assert_int_equal(platform_sim_command(p, line, reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "1 entries from time 2"));
	assert_int_equal(platform_sim_command(p, "step 1", reply, sizeof(reply)), 0);
	assert_int_equal(platform_sim_command(p, "status", reply, sizeof(reply)), 0);
	assert_non_null(strstr(reply, "\nload 90.0\n")); /* b's entry is due at 2 + 2 */
	assert_int_equal(platform_sim_command(p, "step 5", reply, sizeof(reply)), 0);
	assert_int_equal(platform_sim_command(p, "status", reply, sizeof(reply)), 0);
	if (!strstr(reply, "\nload 30.0\n")) /* and a's "load 10" at 5 never ran */
		fail_msg("b.yaml did not replace a.yaml: %s", reply);
	unlink(a);
	unlink(b);
	test_tmpdir_remove(dir);
	platform_free(p);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warm_up_and_cool_down),
		cmocka_unit_test(test_fan_failure_and_controller),
		cmocka_unit_test(test_thermal_trip),
		cmocka_unit_test(test_psu_ac_lost),
		cmocka_unit_test(test_discrete_faults),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_default_equals_compute_1u),
		cmocka_unit_test(test_profiles_load),
		cmocka_unit_test(test_bad_profile),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_scenario_not_regular),
		cmocka_unit_test(test_scenario_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
