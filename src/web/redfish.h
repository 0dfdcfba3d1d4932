/* Redfish resource handlers, one file per resource family (internal to web/). Each fills
 * c->res; the router has already authenticated the caller, checked the route's privilege and
 * parsed a JSON body into c->body. */
#pragma once
#include "web/http.h"

typedef void web_handler_fn(struct web_ctx *c);

/* redfish_root.c: service root, OData, sessions */
web_handler_fn rf_redfish, rf_service_root, rf_metadata, rf_odata;
web_handler_fn rf_session_service_get, rf_session_service_patch;
web_handler_fn rf_sessions_get, rf_sessions_post, rf_session_get, rf_session_delete;
/* redfish_account.c */
web_handler_fn rf_account_service_get, rf_account_service_patch;
web_handler_fn rf_accounts_get, rf_accounts_post;
web_handler_fn rf_account_get, rf_account_patch, rf_account_delete;
web_handler_fn rf_roles_get, rf_role_get;
/* redfish_system.c */
web_handler_fn rf_systems_get, rf_system_get, rf_system_patch, rf_system_reset;
/* redfish_chassis.c */
web_handler_fn rf_chassis_coll_get, rf_chassis_get, rf_chassis_patch;
web_handler_fn rf_thermal_get, rf_power_get, rf_sensors_get, rf_sensor_get;
web_handler_fn rf_thermal_subsystem_get, rf_power_subsystem_get;
/* redfish_manager.c */
web_handler_fn rf_managers_get, rf_manager_get, rf_manager_reset;
web_handler_fn rf_eth_coll_get, rf_eth_get, rf_eth_patch, rf_netproto_get;
web_handler_fn rf_logservices_get, rf_sel_service_get, rf_sel_entries_get, rf_sel_entry_get;
web_handler_fn rf_sel_clear;

/* Shared by the resource files. */
#define RF_ROOT       "/redfish/v1"
#define RF_SYSTEM     RF_ROOT "/Systems/1"
#define RF_CHASSIS    RF_ROOT "/Chassis/1"
#define RF_MANAGER    RF_ROOT "/Managers/1"
/* "2026-11-21T17:48:20+00:00" */
void rf_time_text(uint64_t unix_seconds, char out[static 32]);
/* The system UUID in RFC 4122 text form from the IPMI wire-order GUID. */
void rf_uuid_text(const uint8_t guid[static 16], char out[static 37]);
/* Health rolled up from sensor states: "OK", "Warning" or "Critical". */
const char *rf_health(struct bmc *bmc);
