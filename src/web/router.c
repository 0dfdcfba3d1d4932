/* The Redfish route table {methods, path pattern, privilege, handler} and the one place where
 * authentication, privilege, method (405), body size and JSON checks happen before a handler
 * runs. Patterns match whole path segments; "{}" captures one segment into c->param. */
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "web/auth.h"
#include "web/json.h"
#include "web/redfish.h"
#include "web/server_int.h"

struct web_route {
	unsigned methods;
	const char *pattern;
	enum web_priv priv;
	web_handler_fn *handler;
};

#define R_GET (WEB_GET | WEB_HEAD)
#define SVC RF_ROOT "/SessionService"
#define ACC RF_ROOT "/AccountService"

static const struct web_route routes[] = {
	{ R_GET, "/redfish", WEB_PRIV_NONE, rf_redfish },
	{ R_GET, RF_ROOT, WEB_PRIV_NONE, rf_service_root },
	{ R_GET, RF_ROOT "/$metadata", WEB_PRIV_NONE, rf_metadata },
	{ R_GET, RF_ROOT "/odata", WEB_PRIV_NONE, rf_odata },
	{ R_GET, SVC, WEB_PRIV_LOGIN, rf_session_service_get },
	{ WEB_PATCH, SVC, WEB_PRIV_CONFIGURE_MANAGER, rf_session_service_patch },
	{ R_GET, SVC "/Sessions", WEB_PRIV_LOGIN, rf_sessions_get },
	{ WEB_POST, SVC "/Sessions", WEB_PRIV_NONE, rf_sessions_post },
	{ R_GET, SVC "/Sessions/{}", WEB_PRIV_LOGIN, rf_session_get },
	{ WEB_DELETE, SVC "/Sessions/{}", WEB_PRIV_LOGIN, rf_session_delete },
	{ R_GET, ACC, WEB_PRIV_LOGIN, rf_account_service_get },
	{ WEB_PATCH, ACC, WEB_PRIV_CONFIGURE_USERS, rf_account_service_patch },
	{ R_GET, ACC "/Accounts", WEB_PRIV_LOGIN, rf_accounts_get },
	{ WEB_POST, ACC "/Accounts", WEB_PRIV_CONFIGURE_USERS, rf_accounts_post },
	{ R_GET, ACC "/Accounts/{}", WEB_PRIV_CONFIGURE_SELF, rf_account_get },
	{ WEB_PATCH, ACC "/Accounts/{}", WEB_PRIV_CONFIGURE_SELF, rf_account_patch },
	{ WEB_DELETE, ACC "/Accounts/{}", WEB_PRIV_CONFIGURE_USERS, rf_account_delete },
	{ R_GET, ACC "/Roles", WEB_PRIV_LOGIN, rf_roles_get },
	{ R_GET, ACC "/Roles/{}", WEB_PRIV_LOGIN, rf_role_get },
	{ R_GET, RF_ROOT "/Systems", WEB_PRIV_LOGIN, rf_systems_get },
	{ R_GET, RF_SYSTEM, WEB_PRIV_LOGIN, rf_system_get },
	{ WEB_PATCH, RF_SYSTEM, WEB_PRIV_CONFIGURE_COMPONENTS, rf_system_patch },
	{ WEB_POST, RF_SYSTEM "/Actions/ComputerSystem.Reset", WEB_PRIV_CONFIGURE_COMPONENTS,
	  rf_system_reset },
	{ R_GET, RF_ROOT "/Chassis", WEB_PRIV_LOGIN, rf_chassis_coll_get },
	{ R_GET, RF_CHASSIS, WEB_PRIV_LOGIN, rf_chassis_get },
	{ WEB_PATCH, RF_CHASSIS, WEB_PRIV_CONFIGURE_COMPONENTS, rf_chassis_patch },
	{ R_GET, RF_CHASSIS "/Thermal", WEB_PRIV_LOGIN, rf_thermal_get },
	{ R_GET, RF_CHASSIS "/Power", WEB_PRIV_LOGIN, rf_power_get },
	{ R_GET, RF_CHASSIS "/ThermalSubsystem", WEB_PRIV_LOGIN, rf_thermal_subsystem_get },
	{ R_GET, RF_CHASSIS "/PowerSubsystem", WEB_PRIV_LOGIN, rf_power_subsystem_get },
	{ R_GET, RF_CHASSIS "/Sensors", WEB_PRIV_LOGIN, rf_sensors_get },
	{ R_GET, RF_CHASSIS "/Sensors/{}", WEB_PRIV_LOGIN, rf_sensor_get },
	{ R_GET, RF_ROOT "/Managers", WEB_PRIV_LOGIN, rf_managers_get },
	{ R_GET, RF_MANAGER, WEB_PRIV_LOGIN, rf_manager_get },
	{ WEB_POST, RF_MANAGER "/Actions/Manager.Reset", WEB_PRIV_CONFIGURE_MANAGER,
	  rf_manager_reset },
	{ R_GET, RF_MANAGER "/EthernetInterfaces", WEB_PRIV_LOGIN, rf_eth_coll_get },
	{ R_GET, RF_MANAGER "/EthernetInterfaces/{}", WEB_PRIV_LOGIN, rf_eth_get },
	{ WEB_PATCH, RF_MANAGER "/EthernetInterfaces/{}", WEB_PRIV_CONFIGURE_MANAGER, rf_eth_patch },
	{ R_GET, RF_MANAGER "/NetworkProtocol", WEB_PRIV_LOGIN, rf_netproto_get },
	{ R_GET, RF_MANAGER "/LogServices", WEB_PRIV_LOGIN, rf_logservices_get },
	{ R_GET, RF_MANAGER "/LogServices/SEL", WEB_PRIV_LOGIN, rf_sel_service_get },
	{ R_GET, RF_MANAGER "/LogServices/SEL/Entries", WEB_PRIV_LOGIN, rf_sel_entries_get },
	{ R_GET, RF_MANAGER "/LogServices/SEL/Entries/{}", WEB_PRIV_LOGIN, rf_sel_entry_get },
	{ WEB_POST, RF_MANAGER "/LogServices/SEL/Actions/LogService.ClearLog",
	  WEB_PRIV_CONFIGURE_COMPONENTS, rf_sel_clear },
};

/* Segment-wise match; "{}" captures. */
static bool route_match(const char *pattern, const char *path, struct web_ctx *c)
{
	unsigned n = 0;
	while (*pattern && *path) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			size_t len = strcspn(path, "/");
			if (len == 0 || len >= sizeof(c->param[0]) || n >= WEB_MAX_PARAMS)
				return false;
			memcpy(c->param[n], path, len);
			c->param[n++][len] = '\0';
			pattern += 2;
			path += len;
			continue;
		}
		if (*pattern++ != *path++)
			return false;
	}
	c->n_param = n;
	return *pattern == '\0' && *path == '\0';
}

static bool role_has(enum web_role role, enum web_priv priv)
{
	switch (priv) {
	case WEB_PRIV_NONE:
	case WEB_PRIV_LOGIN:
	case WEB_PRIV_CONFIGURE_SELF:
		return role >= WEB_ROLE_READONLY;
	case WEB_PRIV_CONFIGURE_COMPONENTS:
		return role >= WEB_ROLE_OPERATOR;
	case WEB_PRIV_CONFIGURE_MANAGER:
	case WEB_PRIV_CONFIGURE_USERS:
		return role >= WEB_ROLE_ADMINISTRATOR;
	}
	return false;
}

static void method_not_allowed(struct web_ctx *c, unsigned allowed)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PATCH", "PUT", "DELETE",
					     "OPTIONS" };
	char allow[80] = "";
	for (unsigned i = 0; i < 7; i++) {
		if (allowed & (1u << i))
			snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
				 allow[0] ? ", " : "", names[i]);
	}
	web_error(c->res, 405, "OperationNotAllowed",
		  "The HTTP method is not allowed on this resource.", NULL, NULL);
	web_header_add(c->res, "Allow:", "%s", allow);
}

static bool body_parse(struct web_ctx *c)
{
	if (!(c->req->method & (WEB_POST | WEB_PATCH | WEB_PUT)))
		return true;
	const struct web_options *o = web_server_options(c->srv);
	if (c->req->body_len == 0) {
		c->body = json_object();
		return true;
	}
	c->body = web_json_parse(c, c->req->body, c->req->body_len, o->max_json_depth);
	return c->body != NULL;
}

void web_dispatch(struct web_server *srv, struct bmc *bmc, const struct web_request *req,
		  struct web_response *res)
{
	struct web_ctx c = { .srv = srv, .bmc = bmc, .req = req, .res = res };
	const struct web_route *hit = NULL;
	web_sessions_after_cold_reset(web_server_auth(srv), bmc); /* a reset asked for elsewhere */
	unsigned allowed = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]) && !hit; i++) {
		if (!route_match(routes[i].pattern, req->path, &c))
			continue;
		allowed |= routes[i].methods;
		if (routes[i].methods & req->method)
			hit = &routes[i];
	}
	if (!allowed) {
		web_err_not_found(&c);
		return;
	}
	if (!hit && req->method != WEB_OPTIONS) {
		/* authenticate first: an anonymous caller learns nothing more than with a GET */
		method_not_allowed(&c, allowed);
		return;
	}
	if (!hit) {
		web_no_content(&c);
		web_header_add(res, "Allow:", "%s", "GET, HEAD, POST, PATCH, DELETE");
		return;
	}
	if (hit->priv != WEB_PRIV_NONE) {
		if (!web_authenticate(&c))
			return;
		if (!role_has(c.role, hit->priv)) {
			log_info("web: user %u from %s: %s refused (%s may not)", c.uid, req->peer,
				 req->path, web_role_name(c.role));
			web_err_privilege(&c);
			return;
		}
	}
	if (!body_parse(&c))
		return;
	res->status = 200;
	hit->handler(&c);
	json_decref(c.body);
}
