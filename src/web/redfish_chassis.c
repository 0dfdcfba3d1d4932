/* Chassis/1: identity from the FRU chassis/board areas, the identify light, and the sensors:
 * the legacy Thermal and Power resources, ThermalSubsystem/PowerSubsystem, and the Sensors
 * collection. Readings and thresholds come from bmc/sensors.h in the sensor's unit; sensor
 * names are whatever the profile defines (nothing here knows a particular sensor). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "web/json.h"
#include "web/redfish.h"
#include "web/server_int.h"

json_t *rf_indicator_json(struct bmc *bmc);
bool rf_indicator_patch(struct web_ctx *c, bool *ret_changed);

/* Sensor types (records.md §3.1) and base units (§3.2) used here. */
enum {
	ST_TEMPERATURE = 0x01, ST_VOLTAGE = 0x02, ST_CURRENT = 0x03, ST_FAN = 0x04,
	UNIT_CELSIUS = 1, UNIT_VOLTS = 4, UNIT_AMPS = 5, UNIT_WATTS = 6, UNIT_RPM = 18,
};

#define THR_WARN (1u << BMC_THR_LNC | 1u << BMC_THR_UNC)
#define THR_CRIT (1u << BMC_THR_LCR | 1u << BMC_THR_UCR | 1u << BMC_THR_LNR | 1u << BMC_THR_UNR)

static int sensor_health(const struct bmc_sensor *s)
{
	if (!s->available || !bmc_sensor_is_threshold(s->def))
		return 0;
	return (s->state & THR_CRIT) ? 2 : (s->state & THR_WARN) ? 1 : 0;
}

static const char *health_name(int h)
{
	return h >= 2 ? "Critical" : h == 1 ? "Warning" : "OK";
}

const char *rf_health(struct bmc *bmc)
{
	int worst = 0;
	for (size_t i = 0; i < bmc->sensors.n; i++) {
		int h = sensor_health(&bmc->sensors.s[i]);
		worst = h > worst ? h : worst;
	}
	return health_name(worst);
}

/* Redfish PhysicalContext from the IPMI entity ID (IPMI 2.0 table 43-13). */
static const char *physical_context(uint8_t entity)
{
	switch (entity) {
	case 0x03: return "CPU";
	case 0x07: return "SystemBoard";
	case 0x0A: return "PowerSupply";
	case 0x14: return "PowerSupply";
	case 0x17: return "Chassis";
	case 0x1D: return "Fan";
	case 0x20: return "Memory";
	case 0x37: return "Intake";
	default: return "SystemBoard";
	}
}

/* A URL-safe Id from the SDR name ("CPU1 Temp" -> "CPU1_Temp"). */
static void sensor_id(const struct bmc_sensor_def *d, char out[static 40])
{
	size_t n = 0;
	for (const char *p = d->name; *p && n < 39; p++)
		out[n++] = isalnum((unsigned char)*p) ? *p : '_';
	out[n] = '\0';
}

static bool has_thr(const struct bmc_sensor *s, enum bmc_threshold t)
{
	return s->def->readable & (1u << t);
}

static json_t *thr_value(const struct bmc_sensor *s, enum bmc_threshold t)
{
	return has_thr(s, t) ? json_real(bmc_sensor_from_raw(s->def, s->thr[t])) : json_null();
}

static json_t *status_json(const struct bmc_sensor *s)
{
	return json_pack("{s:s, s:s}", "State", s->available ? "Enabled" : "UnavailableOffline",
			 "Health", health_name(sensor_health(s)));
}

static json_t *reading(const struct bmc_sensor *s)
{
	return s->available ? json_real(bmc_sensor_from_raw(s->def, s->raw)) : json_null();
}

/* Thermal/Power array member with the legacy threshold property names. */
static json_t *legacy_member(const struct bmc_sensor *s, const char *path, size_t idx,
			     const char *reading_prop)
{
	char id[40], odata[160];
	sensor_id(s->def, id);
	snprintf(odata, sizeof(odata), "%s#/%zu", path, idx);
	json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:o, s:s, s:o}", "@odata.id", odata,
			      "MemberId", id, "Name", s->def->name, "SensorNumber", s->def->number,
			      reading_prop, reading(s), "PhysicalContext",
			      physical_context(s->def->entity_id), "Status", status_json(s));
	json_object_set_new(j, "UpperThresholdNonCritical", thr_value(s, BMC_THR_UNC));
	json_object_set_new(j, "UpperThresholdCritical", thr_value(s, BMC_THR_UCR));
	json_object_set_new(j, "UpperThresholdFatal", thr_value(s, BMC_THR_UNR));
	json_object_set_new(j, "LowerThresholdNonCritical", thr_value(s, BMC_THR_LNC));
	json_object_set_new(j, "LowerThresholdCritical", thr_value(s, BMC_THR_LCR));
	json_object_set_new(j, "LowerThresholdFatal", thr_value(s, BMC_THR_LNR));
	return j;
}

static bool is_kind(const struct bmc_sensor *s, uint8_t type, uint8_t unit)
{
	return bmc_sensor_is_threshold(s->def) && s->def->sensor_type == type && s->def->unit == unit;
}

void rf_thermal_get(struct web_ctx *c)
{
	static const char path[] = RF_CHASSIS "/Thermal";
	json_t *j = web_resource(path, "#Thermal.v1_7_1.Thermal", "Thermal", "Thermal");
	json_t *temps = json_array(), *fans = json_array();
	for (size_t i = 0; i < c->bmc->sensors.n; i++) {
		const struct bmc_sensor *s = &c->bmc->sensors.s[i];
		if (is_kind(s, ST_TEMPERATURE, UNIT_CELSIUS))
			json_array_append_new(temps, legacy_member(s, path, json_array_size(temps),
								   "ReadingCelsius"));
		else if (is_kind(s, ST_FAN, UNIT_RPM)) {
			json_t *f = legacy_member(s, path, json_array_size(fans), "Reading");
			json_object_set_new(f, "ReadingUnits", json_string("RPM"));
			json_array_append_new(fans, f);
		}
	}
	/* the fragment ids count within each array */
	for (size_t i = 0; i < json_array_size(fans); i++) {
		char odata[160];
		snprintf(odata, sizeof(odata), "%s#/Fans/%zu", path, i);
		json_object_set_new(json_array_get(fans, i), "@odata.id", json_string(odata));
	}
	for (size_t i = 0; i < json_array_size(temps); i++) {
		char odata[160];
		snprintf(odata, sizeof(odata), "%s#/Temperatures/%zu", path, i);
		json_object_set_new(json_array_get(temps, i), "@odata.id", json_string(odata));
	}
	json_object_set_new(j, "Temperatures", temps);
	json_object_set_new(j, "Fans", fans);
	web_ok_json(c, 200, j);
}

static json_t *power_control(struct bmc *bmc, const char *path)
{
	double watts = 0;
	bool have = bmc_sensors_power_watts(bmc, &watts) == 0 && bmc_chassis_power_is_on(bmc);
	const struct bmc_dcmi_power_limit *lim = &bmc->dcmi.limit;
	char odata[160];
	snprintf(odata, sizeof(odata), "%s#/PowerControl/0", path);
	json_t *limit = json_pack("{s:o, s:s}", "LimitInWatts",
				  lim->active ? json_integer(lim->limit_watts) : json_null(),
				  "LimitException", lim->exception_action == 1 ? "HardPowerOff" :
				  lim->exception_action == 0x11 ? "LogEventOnly" : "NoAction");
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s}}", "@odata.id", odata,
			 "MemberId", "0", "Name", "System Power Control",
			 "PowerConsumedWatts", have ? json_real(watts) : json_null(),
			 "PowerLimit", limit, "Status", "State", "Enabled", "Health", "OK");
}

void rf_power_get(struct web_ctx *c)
{
	static const char path[] = RF_CHASSIS "/Power";
	json_t *j = web_resource(path, "#Power.v1_7_1.Power", "Power", "Power");
	json_t *volts = json_array();
	for (size_t i = 0; i < c->bmc->sensors.n; i++) {
		const struct bmc_sensor *s = &c->bmc->sensors.s[i];
		if (!is_kind(s, ST_VOLTAGE, UNIT_VOLTS))
			continue;
		json_t *v = legacy_member(s, path, 0, "ReadingVolts");
		char odata[160];
		snprintf(odata, sizeof(odata), "%s#/Voltages/%zu", path, json_array_size(volts));
		json_object_set_new(v, "@odata.id", json_string(odata));
		json_array_append_new(volts, v);
	}
	json_object_set_new(j, "Voltages", volts);
	json_object_set_new(j, "PowerControl", json_pack("[o]", power_control(c->bmc, path)));
	web_ok_json(c, 200, j);
}

void rf_thermal_subsystem_get(struct web_ctx *c)
{
	json_t *j = web_resource(RF_CHASSIS "/ThermalSubsystem",
				 "#ThermalSubsystem.v1_2_0.ThermalSubsystem", "ThermalSubsystem",
				 "Thermal Subsystem");
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   rf_health(c->bmc)));
	web_ok_json(c, 200, j);
}

void rf_power_subsystem_get(struct web_ctx *c)
{
	json_t *j = web_resource(RF_CHASSIS "/PowerSubsystem",
				 "#PowerSubsystem.v1_1_0.PowerSubsystem", "PowerSubsystem",
				 "Power Subsystem");
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   rf_health(c->bmc)));
	web_ok_json(c, 200, j);
}

/* ---- Sensors ------------------------------------------------------------------------------- */

static const char *reading_type(const struct bmc_sensor *s)
{
	switch (s->def->unit) {
	case UNIT_CELSIUS: return "Temperature";
	case UNIT_VOLTS: return "Voltage";
	case UNIT_AMPS: return "Current";
	case UNIT_WATTS: return "Power";
	case UNIT_RPM: return "Rotational";
	default: return NULL;
	}
}

static const char *reading_units(const struct bmc_sensor *s)
{
	switch (s->def->unit) {
	case UNIT_CELSIUS: return "Cel";
	case UNIT_VOLTS: return "V";
	case UNIT_AMPS: return "A";
	case UNIT_WATTS: return "W";
	case UNIT_RPM: return "{rev}/min";
	default: return NULL;
	}
}

static bool in_sensors(const struct bmc_sensor *s)
{
	return bmc_sensor_is_threshold(s->def) && reading_type(s);
}

static json_t *threshold_obj(const struct bmc_sensor *s, enum bmc_threshold t)
{
	return json_pack("{s:o}", "Reading", thr_value(s, t));
}

static json_t *sensor_json(const struct bmc_sensor *s)
{
	char id[40], path[160];
	sensor_id(s->def, id);
	snprintf(path, sizeof(path), RF_CHASSIS "/Sensors/%s", id);
	json_t *j = web_resource(path, "#Sensor.v1_7_0.Sensor", id, s->def->name);
	json_object_set_new(j, "Reading", reading(s));
	json_object_set_new(j, "ReadingType", json_string(reading_type(s)));
	json_object_set_new(j, "ReadingUnits", json_string(reading_units(s)));
	json_object_set_new(j, "PhysicalContext",
			    json_string(physical_context(s->def->entity_id)));
	json_object_set_new(j, "Status", status_json(s));
	json_t *thr = json_object();
	static const struct {
		enum bmc_threshold t;
		const char *name;
	} names[] = {
		{ BMC_THR_UNC, "UpperCaution" }, { BMC_THR_UCR, "UpperCritical" },
		{ BMC_THR_UNR, "UpperFatal" }, { BMC_THR_LNC, "LowerCaution" },
		{ BMC_THR_LCR, "LowerCritical" }, { BMC_THR_LNR, "LowerFatal" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (has_thr(s, names[i].t))
			json_object_set_new(thr, names[i].name, threshold_obj(s, names[i].t));
	}
	json_object_set_new(j, "Thresholds", thr);
	json_object_set_new(j, "Oem", json_pack("{s:{s:i}}", "Softbmc", "SensorNumber",
						s->def->number));
	return j;
}

void rf_sensors_get(struct web_ctx *c)
{
	json_t *coll = web_collection(RF_CHASSIS "/Sensors", "#SensorCollection.SensorCollection",
				      "Sensors");
	for (size_t i = 0; i < c->bmc->sensors.n; i++) {
		const struct bmc_sensor *s = &c->bmc->sensors.s[i];
		char id[40], path[160];
		if (!in_sensors(s))
			continue;
		sensor_id(s->def, id);
		snprintf(path, sizeof(path), RF_CHASSIS "/Sensors/%s", id);
		web_collection_add(coll, path);
	}
	web_ok_json(c, 200, coll);
}

void rf_sensor_get(struct web_ctx *c)
{
	for (size_t i = 0; i < c->bmc->sensors.n; i++) {
		const struct bmc_sensor *s = &c->bmc->sensors.s[i];
		char id[40];
		sensor_id(s->def, id);
		if (in_sensors(s) && strcmp(id, c->param[0]) == 0) {
			web_ok_json(c, 200, sensor_json(s));
			return;
		}
	}
	web_err_not_found(c);
}

/* ---- Chassis ------------------------------------------------------------------------------- */

void rf_chassis_coll_get(struct web_ctx *c)
{
	json_t *coll = web_collection(RF_ROOT "/Chassis", "#ChassisCollection.ChassisCollection",
				      "Chassis Collection");
	web_collection_add(coll, RF_CHASSIS);
	web_ok_json(c, 200, coll);
}

static const char *chassis_type(uint8_t smbios)
{
	switch (smbios) {
	case 0x17: return "RackMount";
	case 0x03: case 0x04: case 0x06: case 0x07: return "StandAlone";
	case 0x1C: case 0x1D: return "Blade";
	case 0x18: return "Enclosure";
	default: return "RackMount";
	}
}

static json_t *chassis_json(struct web_ctx *c)
{
	struct bmc *bmc = c->bmc;
	struct bmc_fru_info fru;
	if (bmc_fru_inventory(bmc, &fru) < 0)
		memset(&fru, 0, sizeof(fru));
	bool on = bmc_chassis_power_is_on(bmc);
	uint8_t ident = bmc_chassis_identify_state(bmc);
	json_t *j = web_resource(RF_CHASSIS, "#Chassis.v1_23_0.Chassis", "1", "Chassis");
	json_object_set_new(j, "ChassisType", json_string(chassis_type(fru.chassis_type)));
	json_object_set_new(j, "Manufacturer", json_string(fru.field[BMC_FRU_BOARD_MANUFACTURER]));
	json_object_set_new(j, "Model", json_string(fru.field[BMC_FRU_BOARD_PRODUCT_NAME]));
	json_object_set_new(j, "SerialNumber", json_string(fru.field[BMC_FRU_CHASSIS_SERIAL]));
	json_object_set_new(j, "PartNumber", json_string(fru.field[BMC_FRU_CHASSIS_PART_NUMBER]));
	json_object_set_new(j, "PowerState", json_string(on ? "On" : "Off"));
	json_object_update_new(j, rf_indicator_json(bmc));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s, s:s}", "State", "Enabled",
				"Health", rf_health(bmc), "HealthRollup", rf_health(bmc)));
	json_object_set_new(j, "Thermal", web_link(RF_CHASSIS "/Thermal"));
	json_object_set_new(j, "Power", web_link(RF_CHASSIS "/Power"));
	json_object_set_new(j, "ThermalSubsystem", web_link(RF_CHASSIS "/ThermalSubsystem"));
	json_object_set_new(j, "PowerSubsystem", web_link(RF_CHASSIS "/PowerSubsystem"));
	json_object_set_new(j, "Sensors", web_link(RF_CHASSIS "/Sensors"));
	json_object_set_new(j, "Links", json_pack("{s:[o], s:[o]}", "ComputerSystems",
				web_link(RF_SYSTEM), "ManagedBy", web_link(RF_MANAGER)));
	json_object_set_new(j, "Oem", json_pack("{s:{s:s}}", "Softbmc", "IdentifyState",
				ident == 0 ? "Off" : ident == 1 ? "Temporary" : "Indefinite"));
	return j;
}

void rf_chassis_get(struct web_ctx *c)
{
	json_t *j = chassis_json(c);
	web_ok_resource(c, j);
}

void rf_chassis_patch(struct web_ctx *c)
{
	static const char *const writable[] = { "IndicatorLED", "LocationIndicatorActive", "Oem",
						NULL };
	json_t *cur = chassis_json(c);
	bool ok = web_patch_ready(c, writable, cur);
	bool changed;
	if (!ok || !rf_indicator_patch(c, &changed))
		return;
	if (changed)
		log_info("web: user %u set the identify light", c->uid);
	rf_chassis_get(c);
}
