#include "web/json.h"
#include "web/redfish.h"
#define STUB(n) void n(struct web_ctx *c) { web_err_not_found(c); }
STUB(rf_systems_get) STUB(rf_system_get) STUB(rf_system_patch) STUB(rf_system_reset)
STUB(rf_chassis_coll_get) STUB(rf_chassis_get) STUB(rf_chassis_patch)
STUB(rf_thermal_get) STUB(rf_power_get) STUB(rf_sensors_get) STUB(rf_sensor_get)
STUB(rf_thermal_subsystem_get) STUB(rf_power_subsystem_get)
STUB(rf_managers_get) STUB(rf_manager_get) STUB(rf_manager_reset)
STUB(rf_eth_coll_get) STUB(rf_eth_get) STUB(rf_eth_patch) STUB(rf_netproto_get)
STUB(rf_logservices_get) STUB(rf_sel_service_get) STUB(rf_sel_entries_get) STUB(rf_sel_entry_get)
STUB(rf_sel_clear)
