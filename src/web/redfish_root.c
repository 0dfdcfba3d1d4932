/* The service root, OData documents ($metadata, the service document), and the session
 * service (DSP0266 §12, §13.3.4). Also the small formatting helpers the resource files
 * share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "web/auth.h"
#include "web/json.h"
#include "web/redfish.h"
#include "web/server_int.h"

#define REDFISH_VERSION "1.15.0"

void rf_time_text(uint64_t unix_seconds, char out[static 32])
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

void rf_uuid_text(const uint8_t g[static 16], char out[static 37])
{
	/* IPMI sends the GUID byte-reversed (SMBIOS/RFC 4122 fields little-endian, nodes last). */
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = g[15 - i];
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

void rf_redfish(struct web_ctx *c)
{
	web_ok_json(c, 200, json_pack("{s:s}", "v1", "/redfish/v1/"));
}

void rf_service_root(struct web_ctx *c)
{
	char uuid[37];
	rf_uuid_text(c->bmc->device_guid, uuid);
	json_t *j = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o}, "
		"s:{s:b, s:b}, s:{s:{s:s}}}",
		"@odata.id", RF_ROOT, "@odata.type", "#ServiceRoot.v1_15_0.ServiceRoot",
		"@odata.context", RF_ROOT "/$metadata#ServiceRoot.ServiceRoot",
		"Id", "RootService", "Name", "softbmc Redfish service",
		"RedfishVersion", REDFISH_VERSION, "UUID", uuid,
		"Systems", web_link(RF_ROOT "/Systems"),
		"Chassis", web_link(RF_ROOT "/Chassis"),
		"Managers", web_link(RF_ROOT "/Managers"),
		"SessionService", web_link(RF_ROOT "/SessionService"),
		"AccountService", web_link(RF_ROOT "/AccountService"),
		"Vendor", json_string("softbmc"),
		"Links", "Sessions", web_link(RF_ROOT "/SessionService/Sessions"),
		"ProtocolFeaturesSupported", "ExcerptQuery", 0, "OnlyMemberQuery", 0,
		"Oem", "Softbmc", "Console", "/");
	web_ok_json(c, 200, j);
}

/* The schema namespaces every resource here uses (DMTF CSDL, DSP8010). */
static const char *const csdl_refs[][2] = {
	{ "ServiceRoot_v1.xml", "ServiceRoot.v1_15_0" },
	{ "ComputerSystemCollection_v1.xml", "ComputerSystemCollection" },
	{ "ComputerSystem_v1.xml", "ComputerSystem.v1_20_0" },
	{ "ChassisCollection_v1.xml", "ChassisCollection" },
	{ "Chassis_v1.xml", "Chassis.v1_23_0" },
	{ "Thermal_v1.xml", "Thermal.v1_7_1" },
	{ "Power_v1.xml", "Power.v1_7_1" },
	{ "ThermalSubsystem_v1.xml", "ThermalSubsystem.v1_2_0" },
	{ "PowerSubsystem_v1.xml", "PowerSubsystem.v1_1_0" },
	{ "SensorCollection_v1.xml", "SensorCollection" },
	{ "Sensor_v1.xml", "Sensor.v1_7_0" },
	{ "ManagerCollection_v1.xml", "ManagerCollection" },
	{ "Manager_v1.xml", "Manager.v1_17_0" },
	{ "EthernetInterfaceCollection_v1.xml", "EthernetInterfaceCollection" },
	{ "EthernetInterface_v1.xml", "EthernetInterface.v1_10_0" },
	{ "ManagerNetworkProtocol_v1.xml", "ManagerNetworkProtocol.v1_9_1" },
	{ "LogServiceCollection_v1.xml", "LogServiceCollection" },
	{ "LogService_v1.xml", "LogService.v1_5_0" },
	{ "LogEntryCollection_v1.xml", "LogEntryCollection" },
	{ "LogEntry_v1.xml", "LogEntry.v1_15_0" },
	{ "SessionService_v1.xml", "SessionService.v1_1_8" },
	{ "SessionCollection_v1.xml", "SessionCollection" },
	{ "Session_v1.xml", "Session.v1_6_0" },
	{ "AccountService_v1.xml", "AccountService.v1_13_0" },
	{ "ManagerAccountCollection_v1.xml", "ManagerAccountCollection" },
	{ "ManagerAccount_v1.xml", "ManagerAccount.v1_10_0" },
	{ "RoleCollection_v1.xml", "RoleCollection" },
	{ "Role_v1.xml", "Role.v1_3_1" },
	{ "Message_v1.xml", "Message.v1_1_1" },
	{ "Resource_v1.xml", "Resource.v1_16_0" },
};

static char metadata_doc[8192];

static void metadata_build(void)
{
	if (metadata_doc[0])
		return;
	size_t n = 0, cap = sizeof(metadata_doc);
	n += (size_t)snprintf(metadata_doc + n, cap - n,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\" "
		"Version=\"4.0\">\n");
	for (size_t i = 0; i < sizeof(csdl_refs) / sizeof(csdl_refs[0]); i++) {
		const char *ns = csdl_refs[i][1];
		size_t base = strcspn(ns, ".");
		n += (size_t)snprintf(metadata_doc + n, cap - n,
			"  <edmx:Reference Uri=\"http://redfish.dmtf.org/schemas/v1/%s\">\n"
			"    <edmx:Include Namespace=\"%.*s\"/>\n%s%s%s"
			"  </edmx:Reference>\n", csdl_refs[i][0], (int)base, ns,
			ns[base] ? "    <edmx:Include Namespace=\"" : "", ns[base] ? ns : "",
			ns[base] ? "\"/>\n" : "");
	}
	snprintf(metadata_doc + n, cap - n,
		"  <edmx:DataServices>\n"
		"    <Schema xmlns=\"http://docs.oasis-open.org/odata/ns/edm\" Namespace=\"Service\">\n"
		"      <EntityContainer Name=\"Service\" Extends=\"ServiceRoot.v1_15_0.ServiceContainer\"/>\n"
		"    </Schema>\n"
		"  </edmx:DataServices>\n"
		"</edmx:Edmx>\n");
}

void rf_metadata(struct web_ctx *c)
{
	metadata_build();
	c->res->status = 200;
	c->res->raw = metadata_doc;
	c->res->raw_len = strlen(metadata_doc);
	c->res->content_type = "application/xml";
	web_header_add(c->res, "OData-Version:", "4.0");
}

void rf_odata(struct web_ctx *c)
{
	static const char *const sets[][2] = {
		{ "Systems", RF_ROOT "/Systems" }, { "Chassis", RF_ROOT "/Chassis" },
		{ "Managers", RF_ROOT "/Managers" }, { "SessionService", RF_ROOT "/SessionService" },
		{ "AccountService", RF_ROOT "/AccountService" },
		{ "Sessions", RF_ROOT "/SessionService/Sessions" },
	};
	json_t *v = json_array();
	json_array_append_new(v, json_pack("{s:s, s:s, s:s}", "name", "Service", "kind",
					   "Singleton", "url", RF_ROOT "/"));
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		json_array_append_new(v, json_pack("{s:s, s:s, s:s}", "name", sets[i][0], "kind",
						   "Singleton", "url", sets[i][1]));
	web_ok_json(c, 200, json_pack("{s:s, s:o}", "@odata.context", RF_ROOT "/$metadata",
				      "value", v));
}

/* ---- sessions ------------------------------------------------------------------------------- */

#define SESSIONS RF_ROOT "/SessionService/Sessions"

static json_t *session_service(struct web_ctx *c)
{
	struct web_auth *a = web_server_auth(c->srv);
	json_t *j = web_resource(RF_ROOT "/SessionService", "#SessionService.v1_1_8.SessionService",
				 "SessionService", "Session Service");
	json_object_set_new(j, "ServiceEnabled", json_true());
	json_object_set_new(j, "SessionTimeout", json_integer((json_int_t)(a->timeout /
									    USEC_PER_SEC)));
	json_object_set_new(j, "Sessions", web_link(SESSIONS));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   "OK"));
	return j;
}

void rf_session_service_get(struct web_ctx *c)
{
	json_t *j = session_service(c);
	web_ok_resource(c, j);
}

void rf_session_service_patch(struct web_ctx *c)
{
	static const char *const writable[] = { "SessionTimeout", NULL };
	json_t *cur = session_service(c);
	bool ok = web_patch_ready(c, writable, cur);
	if (!ok)
		return;
	json_t *v = json_object_get(c->body, "SessionTimeout");
	if (!json_is_integer(v)) {
		web_err_property_type(c, "SessionTimeout", v);
		return;
	}
	json_int_t t = json_integer_value(v);
	if (t < 30 || t > 86400) {
		char s[24];
		snprintf(s, sizeof(s), "%lld", (long long)t);
		web_error(c->res, 400, "PropertyValueOutOfRange", "The value for SessionTimeout is "
			  "outside 30..86400 seconds.", s, "SessionTimeout");
		return;
	}
	web_server_auth(c->srv)->timeout = (usec_t)t * USEC_PER_SEC;
	log_info("web: session idle timeout set to %lld s by user %u", (long long)t, c->uid);
	rf_session_service_get(c);
}

/* Oem.Softbmc.RoleId: the session user's role now (the console shows and uses it). */
static json_t *session_json(struct web_ctx *c, const struct web_session *s)
{
	char id[16], path[96], created[32];
	snprintf(id, sizeof(id), "%u", s->id);
	snprintf(path, sizeof(path), SESSIONS "/%u", s->id);
	rf_time_text(s->created / USEC_PER_SEC, created);
	json_t *j = web_resource(path, "#Session.v1_6_0.Session", id, "User Session");
	json_object_set_new(j, "UserName", json_string(s->user));
	json_object_set_new(j, "CreatedTime", json_string(created));
	json_object_set_new(j, "ClientOriginIPAddress", json_string(s->peer));
	json_object_set_new(j, "SessionType", json_string("Redfish"));
	json_object_set_new(j, "Password", json_null());
	json_object_set_new(j, "Oem", json_pack("{s:{s:s}}", "Softbmc", "RoleId",
						web_role_name(web_role_of(c->bmc, s->uid))));
	return j;
}

/* Administrators see every session, others their own (Redfish privilege registry). */
static bool may_see(const struct web_ctx *c, const struct web_session *s)
{
	return c->role == WEB_ROLE_ADMINISTRATOR || s->uid == c->uid;
}

void rf_sessions_get(struct web_ctx *c)
{
	struct web_auth *a = web_server_auth(c->srv);
	json_t *coll = web_collection(SESSIONS, "#SessionCollection.SessionCollection",
				      "Session Collection");
	for (unsigned i = 0; i < a->cap; i++) {
		char path[96];
		if (!a->s[i].used || !may_see(c, &a->s[i]))
			continue;
		snprintf(path, sizeof(path), SESSIONS "/%u", a->s[i].id);
		web_collection_add(coll, path);
	}
	web_ok_json(c, 200, coll);
}

static const char *string_prop(struct web_ctx *c, const char *name)
{
	json_t *v = json_object_get(c->body, name);
	if (!v) {
		char m[128];
		snprintf(m, sizeof(m), "The create operation failed because the required property "
			 "%s was missing from the request.", name);
		web_error(c->res, 400, "CreateFailedMissingReqProperties", m, name, NULL);
		return NULL;
	}
	if (!json_is_string(v)) {
		web_err_property_type(c, name, v);
		return NULL;
	}
	return json_string_value(v);
}

void rf_sessions_post(struct web_ctx *c)
{
	const char *user = string_prop(c, "UserName");
	const char *pw = user ? string_prop(c, "Password") : NULL;
	if (!pw)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(c->body, key, val) {
		if (strcmp(key, "UserName") && strcmp(key, "Password") && strcmp(key, "Oem") &&
		    strncmp(key, "@", 1)) {
			web_err_property_unknown(c, key);
			return;
		}
	}
	struct web_session *s;
	if (!web_session_login(c, user, pw, &s))
		return;
	json_t *j = session_json(c, s);
	/* For the web console: the CSRF token that state-changing requests with the cookie
	 * must carry (the cookie itself is HttpOnly). */
	json_object_set_new(json_object_get(j, "Oem"), "Softbmc",
			    json_pack("{s:s, s:s}", "RoleId",
				      web_role_name(web_role_of(c->bmc, s->uid)), "CsrfToken",
				      s->csrf));
	web_header_add(c->res, "X-Auth-Token:", "%s", s->token);
	web_header_add(c->res, "Location:", SESSIONS "/%u", s->id);
	web_header_add(c->res, "Set-Cookie:", "%s=%s; Path=/; HttpOnly; Secure; SameSite=Strict",
		       WEB_COOKIE_NAME, s->token);
	web_ok_json(c, 201, j);
}

static struct web_session *session_param(struct web_ctx *c)
{
	char *end;
	unsigned long id = strtoul(c->param[0], &end, 10);
	struct web_session *s = *end ? NULL : web_session_by_id(web_server_auth(c->srv),
							       (uint32_t)id);
	if (!s || !may_see(c, s)) {
		web_err_not_found(c);
		return NULL;
	}
	return s;
}

void rf_session_get(struct web_ctx *c)
{
	struct web_session *s = session_param(c);
	if (s)
		web_ok_json(c, 200, session_json(c, s));
}

void rf_session_delete(struct web_ctx *c)
{
	struct web_session *s = session_param(c);
	if (!s)
		return;
	web_session_end(web_server_auth(c->srv), s);
	if (s == c->session) { /* logout: the console's cookie goes too */
		c->session = NULL;
		web_header_add(c->res, "Set-Cookie:", "%s=; Path=/; Max-Age=0; HttpOnly; Secure; "
			       "SameSite=Strict", WEB_COOKIE_NAME);
	}
	web_no_content(c);
}
