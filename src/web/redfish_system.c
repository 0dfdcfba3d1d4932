/* Systems/1, the managed server: power state and the Reset action through bmc/chassis (the
 * same calls as IPMI Chassis Control), the boot override mapped one-to-one to IPMI system boot
 * options parameter 5 (docs/redfish.md has the table), the identify light, FRU-derived
 * identity (AssetTag writable), and health rolled up from the sensors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "web/json.h"
#include "web/redfish.h"
#include "web/server_int.h"

/* ---- boot override <-> IPMI boot flags (parameter 5) -------------------------------------- */

#define BOOT_VALID      0x80 /* data 1 bit 7 */
#define BOOT_PERSISTENT 0x40 /* data 1 bit 6: all future boots */
#define BOOT_EFI        0x20 /* data 1 bit 5 */
#define BOOT_DEV_SHIFT  2    /* data 2 bits 5:2 */
#define BOOT_DEV_MASK   0x3C

/* Targets we write, with their device selector; reads map the other selectors to the
 * nearest target (see docs/redfish.md). */
static const struct {
	const char *target;
	uint8_t dev;
} boot_targets[] = {
	{ "None", 0x0 }, { "Pxe", 0x1 }, { "Hdd", 0x2 }, { "Diags", 0x4 }, { "Cd", 0x5 },
	{ "BiosSetup", 0x6 }, { "RemoteDrive", 0xB }, { "Floppy", 0xF },
};

static const char *boot_target_name(uint8_t dev)
{
	switch (dev) {
	case 0x3: return "Hdd";         /* default hard drive, safe mode */
	case 0x7: return "Floppy";      /* remote floppy */
	case 0x8: return "Cd";          /* remote CD/DVD */
	case 0x9: return "RemoteDrive"; /* primary remote media */
	}
	for (size_t i = 0; i < sizeof(boot_targets) / sizeof(boot_targets[0]); i++) {
		if (boot_targets[i].dev == dev)
			return boot_targets[i].target;
	}
	return "None";
}

static int boot_flags_get(struct bmc *bmc, uint8_t flags[static 5])
{
	uint8_t buf[BMC_BOOT_PARAM_MAX_LEN];
	size_t len = 0;
	bool invalid;
	int r = bmc_chassis_boot_param_get(bmc, 5, 0, buf, sizeof(buf), &len, &invalid);
	if (r < 0 || len != 5)
		return r < 0 ? r : -EIO;
	memcpy(flags, buf, 5);
	return 0;
}

static json_t *boot_json(struct bmc *bmc)
{
	uint8_t f[5] = { 0 };
	(void)boot_flags_get(bmc, f);
	const char *enabled = !(f[0] & BOOT_VALID) ? "Disabled" :
			      (f[0] & BOOT_PERSISTENT) ? "Continuous" : "Once";
	json_t *targets = json_array();
	for (size_t i = 0; i < sizeof(boot_targets) / sizeof(boot_targets[0]); i++)
		json_array_append_new(targets, json_string(boot_targets[i].target));
	return json_pack("{s:s, s:s, s:s, s:o, s:[sss], s:[ss]}",
			 "BootSourceOverrideEnabled", enabled,
			 "BootSourceOverrideTarget",
			 boot_target_name((uint8_t)((f[1] & BOOT_DEV_MASK) >> BOOT_DEV_SHIFT)),
			 "BootSourceOverrideMode", (f[0] & BOOT_EFI) ? "UEFI" : "Legacy",
			 "BootSourceOverrideTarget@Redfish.AllowableValues", targets,
			 "BootSourceOverrideEnabled@Redfish.AllowableValues", "Disabled", "Once",
			 "Continuous",
			 "BootSourceOverrideMode@Redfish.AllowableValues", "Legacy", "UEFI");
}

static bool boot_string(struct web_ctx *c, json_t *boot, const char *name, const char **ret)
{
	json_t *v = json_object_get(boot, name);
	*ret = NULL;
	if (!v)
		return true;
	if (!json_is_string(v)) {
		web_err_property_type(c, name, v);
		return false;
	}
	*ret = json_string_value(v);
	return true;
}

/* Applies a Boot object to the flags; false with an error response if invalid. */
static bool boot_apply(struct web_ctx *c, json_t *boot, uint8_t f[static 5])
{
	const char *en, *target, *mode, *key;
	json_t *v;
	if (!json_is_object(boot)) {
		web_err_property_type(c, "Boot", boot);
		return false;
	}
	json_object_foreach(boot, key, v) {
		if (strcmp(key, "BootSourceOverrideEnabled") && strcmp(key, "BootSourceOverrideTarget") &&
		    strcmp(key, "BootSourceOverrideMode")) {
			web_err_property_unknown(c, key);
			return false;
		}
	}
	if (!boot_string(c, boot, "BootSourceOverrideEnabled", &en) ||
	    !boot_string(c, boot, "BootSourceOverrideTarget", &target) ||
	    !boot_string(c, boot, "BootSourceOverrideMode", &mode))
		return false;
	if (target) {
		size_t i, n = sizeof(boot_targets) / sizeof(boot_targets[0]);
		for (i = 0; i < n && strcmp(boot_targets[i].target, target); i++)
			;
		if (i == n) {
			web_err_property_value(c, "BootSourceOverrideTarget",
					       json_object_get(boot, "BootSourceOverrideTarget"));
			return false;
		}
		f[1] = (uint8_t)((f[1] & ~BOOT_DEV_MASK) | boot_targets[i].dev << BOOT_DEV_SHIFT);
		if (!en && boot_targets[i].dev && !(f[0] & BOOT_VALID))
			f[0] |= BOOT_VALID; /* a target alone means "once" (as the profiles expect) */
	}
	if (mode) {
		if (strcmp(mode, "UEFI") && strcmp(mode, "Legacy")) {
			web_err_property_value(c, "BootSourceOverrideMode",
					       json_object_get(boot, "BootSourceOverrideMode"));
			return false;
		}
		f[0] = (uint8_t)(strcmp(mode, "UEFI") ? f[0] & ~BOOT_EFI : f[0] | BOOT_EFI);
	}
	if (en) {
		if (!strcmp(en, "Disabled"))
			f[0] &= (uint8_t)~(BOOT_VALID | BOOT_PERSISTENT);
		else if (!strcmp(en, "Once"))
			f[0] = (uint8_t)((f[0] | BOOT_VALID) & ~BOOT_PERSISTENT);
		else if (!strcmp(en, "Continuous"))
			f[0] |= BOOT_VALID | BOOT_PERSISTENT;
		else {
			web_err_property_value(c, "BootSourceOverrideEnabled",
					       json_object_get(boot, "BootSourceOverrideEnabled"));
			return false;
		}
	}
	return true;
}

/* ---- the identify light (shared with Chassis/1) ------------------------------------------- */

json_t *rf_indicator_json(struct bmc *bmc);
bool rf_indicator_patch(struct web_ctx *c, bool *ret_changed);

static const char *identify_led(uint8_t state)
{
	return state == 0 ? "Off" : state == 1 ? "Blinking" : "Lit";
}

json_t *rf_indicator_json(struct bmc *bmc)
{
	uint8_t st = bmc_chassis_identify_state(bmc);
	return json_pack("{s:s, s:b}", "IndicatorLED", identify_led(st),
			 "LocationIndicatorActive", st != 0);
}

/* IndicatorLED: Lit = on until turned off, Blinking = on for IdentifyTimeoutSeconds (default
 * 15 s, as IPMI Chassis Identify), Off. LocationIndicatorActive true = on until turned off,
 * or for Oem.Softbmc.IdentifyTimeoutSeconds if given. */
bool rf_indicator_patch(struct web_ctx *c, bool *ret_changed)
{
	json_t *led = json_object_get(c->body, "IndicatorLED");
	json_t *lia = json_object_get(c->body, "LocationIndicatorActive");
	json_t *secs = json_object_get(json_object_get(json_object_get(c->body, "Oem"), "Softbmc"),
				       "IdentifyTimeoutSeconds");
	*ret_changed = false;
	if (secs && (!json_is_integer(secs) || json_integer_value(secs) < 1 ||
		     json_integer_value(secs) > 255)) {
		web_error(c->res, 400, "PropertyValueOutOfRange", "IdentifyTimeoutSeconds is 1..255.",
			  NULL, "IdentifyTimeoutSeconds");
		return false;
	}
	uint8_t seconds = secs ? (uint8_t)json_integer_value(secs) : 15;
	if (led) {
		const char *v = json_is_string(led) ? json_string_value(led) : "";
		if (strcmp(v, "Lit") && strcmp(v, "Blinking") && strcmp(v, "Off")) {
			web_err_property_value(c, "IndicatorLED", led);
			return false;
		}
		bmc_chassis_identify(c->bmc, v[0] == 'O' ? 0 : seconds, v[0] == 'L');
		*ret_changed = true;
	}
	if (lia) {
		if (!json_is_boolean(lia)) {
			web_err_property_type(c, "LocationIndicatorActive", lia);
			return false;
		}
		bool on = json_is_true(lia);
		bmc_chassis_identify(c->bmc, on ? seconds : 0, on && !secs);
		*ret_changed = true;
	}
	return true;
}

/* ---- Systems ------------------------------------------------------------------------------- */

void rf_systems_get(struct web_ctx *c)
{
	json_t *coll = web_collection(RF_ROOT "/Systems",
				      "#ComputerSystemCollection.ComputerSystemCollection",
				      "Computer System Collection");
	web_collection_add(coll, RF_SYSTEM);
	web_ok_json(c, 200, coll);
}

static const char *const reset_types[] = { "On", "ForceOff", "GracefulShutdown", "ForceRestart",
					    "GracefulRestart", "PowerCycle", "Nmi", NULL };

static json_t *processor_summary(struct bmc *bmc)
{
	unsigned cpus = 0;
	for (size_t i = 0; i < bmc->sensors.n; i++) {
		const struct bmc_sensor_def *d = bmc->sensors.s[i].def;
		if (d->entity_id == 0x03 && d->sensor_type == 0x01 && d->entity_instance > cpus)
			cpus = d->entity_instance; /* one temperature per processor */
	}
	bool on = bmc_chassis_power_is_on(bmc);
	return json_pack("{s:i, s:{s:s, s:s}}", "Count", cpus, "Status", "State",
			 on ? "Enabled" : "StandbyOffline", "Health", "OK");
}

/* A System Info string (bmc/sysinfo.h) as JSON, up to its first NUL: Latin-1 is re-encoded as
 * UTF-8, UTF-8 is taken if it is valid; null when unset or in UCS-2 (or invalid). */
static json_t *sysinfo_json(const struct bmc *bmc, uint8_t param)
{
	char raw[256], utf8[512];
	size_t n = bmc_sysinfo_string(bmc, param, raw, sizeof(raw)), k = 0;
	uint8_t enc = bmc_sysinfo_encoding(bmc, param);

	if (n == 0 || enc == BMC_SYSINFO_UCS2)
		return json_null();
	n = strnlen(raw, n); /* ipmitool pads strings of 47 bytes or more with NULs to 62 */
	if (enc == BMC_SYSINFO_UTF8)
		return json_stringn(raw, n) ?: json_null();
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)raw[i];
		if (c < 0x80) {
			utf8[k++] = (char)c;
		} else {
			utf8[k++] = (char)(0xC0 | c >> 6);
			utf8[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	return json_stringn(utf8, k) ?: json_null();
}

static json_t *system_json(struct web_ctx *c)
{
	struct bmc *bmc = c->bmc;
	struct bmc_fru_info fru;
	if (bmc_fru_inventory(bmc, &fru) < 0)
		memset(&fru, 0, sizeof(fru));
	char uuid[37];
	rf_uuid_text(bmc->system_guid, uuid);
	bool on = bmc_chassis_power_is_on(bmc);
	json_t *allow = json_array();
	for (const char *const *t = reset_types; *t; t++)
		json_array_append_new(allow, json_string(*t));
	json_t *j = web_resource(RF_SYSTEM, "#ComputerSystem.v1_20_0.ComputerSystem", "1",
				 fru.field[BMC_FRU_PRODUCT_NAME][0] ? fru.field[BMC_FRU_PRODUCT_NAME] :
				 "System");
	json_object_set_new(j, "SystemType", json_string("Physical"));
	json_object_set_new(j, "Manufacturer", json_string(fru.field[BMC_FRU_PRODUCT_MANUFACTURER]));
	json_object_set_new(j, "Model", json_string(fru.field[BMC_FRU_PRODUCT_NAME]));
	json_object_set_new(j, "PartNumber", json_string(fru.field[BMC_FRU_PRODUCT_PART_NUMBER]));
	json_object_set_new(j, "SerialNumber", json_string(fru.field[BMC_FRU_PRODUCT_SERIAL]));
	json_object_set_new(j, "AssetTag", json_string(fru.field[BMC_FRU_PRODUCT_ASSET_TAG]));
	json_object_set_new(j, "UUID", json_string(uuid));
	/* what the host's firmware and OS (or an operator) left in the System Info Parameters */
	json_object_set_new(j, "HostName", sysinfo_json(bmc, BMC_SYSINFO_SYSTEM_NAME));
	json_object_set_new(j, "BiosVersion", sysinfo_json(bmc, BMC_SYSINFO_FIRMWARE_VERSION));
	json_object_set_new(j, "PowerState", json_string(on ? "On" : "Off"));
	json_object_update_new(j, rf_indicator_json(bmc));
	json_object_set_new(j, "Boot", boot_json(bmc));
	json_object_set_new(j, "ProcessorSummary", processor_summary(bmc));
	json_object_set_new(j, "MemorySummary", json_pack("{s:{s:s, s:s}}", "Status", "State",
				on ? "Enabled" : "StandbyOffline", "Health", "OK"));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s, s:s}", "State",
				on ? "Enabled" : "StandbyOffline", "Health", rf_health(bmc),
				"HealthRollup", rf_health(bmc)));
	json_object_set_new(j, "Actions", json_pack("{s:{s:s, s:o}}", "#ComputerSystem.Reset",
				"target", RF_SYSTEM "/Actions/ComputerSystem.Reset",
				"ResetType@Redfish.AllowableValues", allow));
	json_object_set_new(j, "Links", json_pack("{s:[o], s:[o]}", "Chassis", web_link(RF_CHASSIS),
				"ManagedBy", web_link(RF_MANAGER)));
	return j;
}

void rf_system_get(struct web_ctx *c)
{
	json_t *j = system_json(c);
	web_ok_resource(c, j);
}

void rf_system_patch(struct web_ctx *c)
{
	static const char *const writable[] = { "Boot", "IndicatorLED", "LocationIndicatorActive",
						"AssetTag", "Oem", NULL };
	json_t *cur = system_json(c);
	bool ok = web_patch_ready(c, writable, cur);
	if (!ok)
		return;
	uint8_t f[5] = { 0 };
	json_t *boot = json_object_get(c->body, "Boot");
	json_t *tag = json_object_get(c->body, "AssetTag");
	if (boot && (boot_flags_get(c->bmc, f) < 0 || !boot_apply(c, boot, f))) {
		if (!c->res->json)
			web_err_internal(c);
		return;
	}
	if (tag && (!json_is_string(tag) || strlen(json_string_value(tag)) > BMC_FRU_STRING_MAX)) {
		web_err_property_value(c, "AssetTag", tag);
		return;
	}
	bool changed;
	if (!rf_indicator_patch(c, &changed))
		return;
	if (boot) {
		int r = bmc_chassis_boot_param_set(c->bmc, 5, false, f, 5);
		if (r == -EBUSY) {
			web_error(c->res, 409, "GeneralError", "An IPMI client holds the boot options "
				  "in \"set in progress\"; try again later.", NULL, NULL);
			return;
		}
		if (r < 0) {
			web_err_internal(c);
			return;
		}
		log_info("web: user %u set the boot override (flags %02x %02x)", c->uid, f[0], f[1]);
	}
	if (tag) {
		int r = bmc_fru_set_field(c->bmc, BMC_FRU_PRODUCT_ASSET_TAG, json_string_value(tag));
		if (r == -EINVAL) {
			web_err_property_value(c, "AssetTag", tag);
			return;
		}
		if (r < 0) {
			web_error(c->res, 409, "GeneralError", "The FRU could not be written now (an "
				  "IPMI write is in progress, or it does not fit).", NULL, NULL);
			return;
		}
	}
	rf_system_get(c);
}

/* The ResetType parameter -> the chassis action it means. */
static int system_reset_do(struct web_ctx *c, const char *type)
{
	static const struct {
		const char *type;
		enum platform_power_action action;
	} map[] = {
		{ "On", PLATFORM_POWER_ON }, { "ForceOn", PLATFORM_POWER_ON },
		{ "ForceOff", PLATFORM_POWER_OFF }, { "GracefulShutdown", PLATFORM_POWER_SOFT },
		{ "ForceRestart", PLATFORM_POWER_RESET }, { "PowerCycle", PLATFORM_POWER_CYCLE },
		{ "Nmi", PLATFORM_POWER_DIAG },
	};
	if (!strcmp(type, "GracefulRestart"))
		return bmc_chassis_graceful_restart(c->bmc, BMC_CHANNEL_LAN);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!strcmp(map[i].type, type))
			return bmc_chassis_power_action(c->bmc, map[i].action,
							BMC_RESTART_CHASSIS_CTRL, BMC_CHANNEL_LAN);
	}
	return -EINVAL;
}

void rf_system_reset(struct web_ctx *c)
{
	static const char action[] = "ComputerSystem.Reset";
	json_t *t = json_object_get(c->body, "ResetType");
	if (!t) {
		web_err_action_param_missing(c, action, "ResetType");
		return;
	}
	const char *type = json_is_string(t) ? json_string_value(t) : "";
	bool on = bmc_chassis_power_is_on(c->bmc);
	/* Already in the requested state: nothing to do (DSP0266 lets a service succeed). */
	if ((!strcmp(type, "On") && on) || (!strcmp(type, "ForceOff") && !on)) {
		web_no_content(c);
		return;
	}
	int r = system_reset_do(c, type);
	if (r == -EINVAL) {
		web_err_action_value(c, action, "ResetType", t);
		return;
	}
	if (r == -EAGAIN) {
		web_error(c->res, 409, "ActionNotSupported", "The action is not possible while the "
			  "system is powered off.", action, NULL);
		return;
	}
	if (r < 0) {
		web_err_internal(c);
		return;
	}
	log_info("web: user %u: %s %s", c->uid, action, type);
	web_no_content(c);
}
