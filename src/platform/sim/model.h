/* The physics of the simulated server: a pure, deterministic model stepped one simulated second
 * at a time. No loop, no clock, no I/O: sim.c owns the timers and the power state machine and
 * calls sim_model_step() N times per real second (--sim-speed N), so a run is a function of the
 * profile's constants, the seed and the commands applied between steps — never of wall time.
 *
 * What it models (constants from the profile, `platform.sim` in the YAML):
 *  - thermal nodes (CPUs, DIMMs, chipset, VRM, GPUs, drives, exhaust): first-order thermal mass,
 *    T → inlet + P·R / airflow^k with time constant tau; P from the host load (idle..max watts)
 *    or, for the exhaust, the whole DC power;
 *  - fans: RPM follows the PWM duty with a spin-up time constant; faults stopped / degraded /
 *    erratic; a closed-loop controller on the hottest zone (proportional on the worst margin to
 *    a node's set point, slew-limited, full duty while any fan is faulted — as real BMCs do);
 *  - power: DC load shared by the PSUs that have AC input, input = output / efficiency(load),
 *    per-PSU current at the mains voltage; rails with sag under load and small noise; standby
 *    rails only while off;
 *  - discrete states: PSU presence / AC lost, PSU redundancy, processor presence / thermal trip
 *    (a node above trip_c trips, powering the server off), memory ECC, drive presence / fault,
 *    chassis intrusion.
 * Noise is a counter-based hash of (seed, step, input): the same seed gives the same trace. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_NAME_MAX 16
#define SIM_INPUT_MAX 32
#define SIM_FANS_MAX 16
#define SIM_PSUS_MAX 4
#define SIM_NODES_MAX 24
#define SIM_RAILS_MAX 8
#define SIM_DIMMS_MAX 32
#define SIM_DRIVES_MAX 24
#define SIM_INPUTS_MAX 160

struct sim_fan_cfg {
	char name[SIM_NAME_MAX];   /* "FAN3"; its input is "fan.fan3.rpm" */
	double max_rpm;            /* at 100 % duty */
	double spinup_s;           /* time constant of the rotor */
	double max_w;              /* electrical power at 100 % duty (∝ duty³) */
};

struct sim_psu_cfg {
	char name[SIM_NAME_MAX];   /* "PSU2": inputs power.psu2.in, power.psu2.out,
				    * current.psu2.in, psu.psu2.state */
	double capacity_w;         /* rated DC output */
	double efficiency;         /* peak efficiency (at half load), 0..1 */
	double standby_w;          /* AC input drawn while the host is off */
};

struct sim_node_cfg {
	char name[SIM_NAME_MAX];   /* "CPU1"; a node with trip_c > 0 is a processor */
	char input[SIM_INPUT_MAX]; /* temperature input, "temp.cpu1" */
	char power_input[SIM_INPUT_MAX]; /* optional: its power as an input ("power.gpu1") */
	double idle_w, max_w;      /* heat at 0 % and 100 % host load */
	double r_c_per_w;          /* °C per W above inlet at full airflow */
	double tau_s;              /* thermal time constant */
	double setpoint_c;         /* fan control target; 0 = not a control zone */
	double trip_c;             /* thermal trip temperature; 0 = none */
	double noise_c;            /* reading noise amplitude */
	bool total;                /* heated by the whole DC power (exhaust air), not idle/max */
};

struct sim_rail_cfg {
	char input[SIM_INPUT_MAX]; /* "volt.12v" */
	double nominal;            /* volts */
	double sag;                /* volts lost at full rated load */
	double noise;              /* volts */
	bool standby;              /* present while the host is off */
};

struct sim_model_cfg {
	double ambient_c;          /* inlet air */
	double mains_v;            /* AC voltage (PSU current = input power / mains_v) */
	double base_w;             /* board, BMC, NICs: DC power not in any node */
	double load_pct;           /* host load at start */
	double airflow_exp;        /* k in R / airflow^k */
	double min_duty, max_duty, fail_duty; /* fan duty 0..1 */
	double gain_per_c;         /* duty per °C over the worst set point */
	double slew_per_s;         /* largest duty change per second */
	double drive_w;            /* each drive present */
	struct sim_fan_cfg fans[SIM_FANS_MAX];
	size_t n_fans;
	struct sim_psu_cfg psus[SIM_PSUS_MAX];
	size_t n_psus;
	struct sim_node_cfg nodes[SIM_NODES_MAX];
	size_t n_nodes;
	struct sim_rail_cfg rails[SIM_RAILS_MAX];
	size_t n_rails;
	char dimms[SIM_DIMMS_MAX][SIM_NAME_MAX]; /* "DIMM_A1" ... (one Memory sensor) */
	size_t n_dimms;
	size_t n_drives;           /* drive bays 0..n-1: inputs drive.N.state */
};

/* The compiled-in profile: a 1U two-socket compute server (config/profiles/compute-1u.yaml
 * states the same; tests/unit/test_sim.c keeps them equal). */
void sim_model_cfg_default(struct sim_model_cfg *cfg);
/* Checks a profile's constants; on error returns -EINVAL and names the problem in err. */
int sim_model_cfg_check(const struct sim_model_cfg *cfg, char *err, size_t cap);

enum sim_fan_fault { SIM_FAN_OK, SIM_FAN_FAIL, SIM_FAN_DEGRADED, SIM_FAN_ERRATIC,
		     SIM_FAN_FAULT_MAX };
enum sim_mem_fault { SIM_MEM_OK, SIM_MEM_CORRECTABLE, SIM_MEM_UNCORRECTABLE };
enum sim_drive_fault { SIM_DRIVE_OK, SIM_DRIVE_FAULT, SIM_DRIVE_PREDICTIVE, SIM_DRIVE_REMOVED };
enum sim_psu_fault { SIM_PSU_OK, SIM_PSU_AC_LOST, SIM_PSU_FAIL, SIM_PSU_PREDICTIVE };

/* What a step asks of the power state machine. */
enum sim_trip {
	SIM_TRIP_NONE,
	SIM_TRIP_THERMAL,  /* a processor tripped: power off now */
	SIM_TRIP_AC_LOST,  /* no PSU delivers power: the server lost power */
};

struct sim_model {
	struct sim_model_cfg cfg;
	uint64_t seed;
	uint64_t step;             /* simulated seconds since start */
	bool on;                   /* host power (set by sim.c) */
	double load_pct;
	double duty;               /* fan controller output */
	double temp[SIM_NODES_MAX];
	double rpm[SIM_FANS_MAX];
	bool trip[SIM_NODES_MAX];  /* latched until the next power-on or a clear */
	uint8_t fan_fault[SIM_FANS_MAX];
	uint8_t psu_fault[SIM_PSUS_MAX]; /* enum sim_psu_fault */
	uint8_t dimm_fault[SIM_DIMMS_MAX];
	uint8_t ecc_dimm[2];       /* the DIMM of the last correctable / uncorrectable fault */
	uint8_t drive_fault[SIM_DRIVES_MAX];
	bool intrusion;
	/* outputs of the last step, by input name */
	char in_name[SIM_INPUTS_MAX][SIM_INPUT_MAX];
	double in_value[SIM_INPUTS_MAX];
	size_t n_in;
	double dc_w;               /* DC load of the last step */
	uint64_t on_step;          /* step of the last power-on */
	bool in_settling[SIM_INPUTS_MAX]; /* fan tachometers: no reading until the first step
					   * after power-on (no spurious "0 RPM" at power-on) */
};

/* A model at simulated time 0, host off, everything at ambient. -EINVAL if cfg is invalid. */
int sim_model_init(struct sim_model *m, const struct sim_model_cfg *cfg, uint64_t seed);
/* Host power changed (sim.c's state machine): a power-on clears latched thermal trips. */
void sim_model_set_power(struct sim_model *m, bool on);
/* Advances one simulated second. */
enum sim_trip sim_model_step(struct sim_model *m);
/* Recomputes the outputs without advancing time (after a fault or a power change). */
void sim_model_refresh(struct sim_model *m);
/* Whether any PSU delivers power (has AC and has not failed); whether every PSU that does not
 * deliver lost its AC (else one failed); whether a processor's thermal trip is latched. */
bool sim_model_has_power(const struct sim_model *m);
bool sim_model_ac_lost_all(const struct sim_model *m);
bool sim_model_tripped(const struct sim_model *m);
/* Memory ECC events name their DIMM (event data 3, its index in `dimms`): 0 with the bytes
 * for memory.state offsets 0 and 1, else -ENOENT. */
int sim_model_event_data(const struct sim_model *m, const char *input, uint8_t offset,
			 uint8_t *ret_data2, uint8_t *ret_data3);
/* 0, -ENOENT (no such input) or -ENODATA (a fan in the instant of power-on). */
int sim_model_read(const struct sim_model *m, const char *input, double *ret_value);

/* Faults; component names are matched case-insensitively. -ENOENT: no such component. */
int sim_model_fan_fault(struct sim_model *m, const char *fan, enum sim_fan_fault f);
int sim_model_psu_fault(struct sim_model *m, const char *psu, enum sim_psu_fault f);
int sim_model_memory_fault(struct sim_model *m, const char *dimm, enum sim_mem_fault f);
int sim_model_drive_fault(struct sim_model *m, const char *bay, enum sim_drive_fault f);
int sim_model_cpu_trip(struct sim_model *m, const char *cpu); /* the caller powers off */
void sim_model_intrusion(struct sim_model *m, bool open);
/* "all" or one component's name: back to normal. -ENOENT if no such component. */
int sim_model_clear(struct sim_model *m, const char *what);
void sim_model_set_load(struct sim_model *m, double pct);
/* Inlet air temperature (a cooling failure in the room), clamped to -20..60 °C. */
void sim_model_set_ambient(struct sim_model *m, double celsius);

/* Text of the model's state, one "key value" per line (time, power, load, duty, faults, every
 * input); returns the length written (truncated to cap - 1, NUL-terminated). */
size_t sim_model_status(const struct sim_model *m, char *out, size_t cap);
