/* AccountService, Accounts and Roles over the IPMI user table: account Id = IPMI user ID,
 * RoleId = the user's LAN-channel privilege (Administrator/Operator/ReadOnly), Enabled = the
 * IPMI enable flag, MaxPasswordLength 20 so one password serves IPMI 2.0 and the web. The
 * lockout properties show LAN configuration parameter 26, which governs both. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmc/accounts.h"
#include "bmc/bmc.h"
#include "core/log.h"
#include "web/auth.h"
#include "web/json.h"
#include "web/redfish.h"
#include "web/server_int.h"

#define ACC_SVC  RF_ROOT "/AccountService"
#define ACCOUNTS ACC_SVC "/Accounts"
#define ROLES    ACC_SVC "/Roles"

static json_t *account_service(struct web_ctx *c)
{
	const struct bmc_lan_bad_password *bp = &c->bmc->lanconf.cur.bad_password;
	json_t *j = web_resource(ACC_SVC, "#AccountService.v1_13_0.AccountService",
				 "AccountService", "Account Service");
	json_object_set_new(j, "ServiceEnabled", json_true());
	json_object_set_new(j, "MinPasswordLength", json_integer(1));
	json_object_set_new(j, "MaxPasswordLength", json_integer(BMC_PASSWORD_MAX));
	json_object_set_new(j, "AccountLockoutThreshold", json_integer(bp->threshold));
	json_object_set_new(j, "AccountLockoutDuration", json_integer(bp->lockout_interval * 10));
	json_object_set_new(j, "AccountLockoutCounterResetAfter",
			    json_integer(bp->reset_interval * 10));
	json_object_set_new(j, "LocalAccountAuth", json_string("Enabled"));
	json_object_set_new(j, "Accounts", web_link(ACCOUNTS));
	json_object_set_new(j, "Roles", web_link(ROLES));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   "OK"));
	return j;
}

void rf_account_service_get(struct web_ctx *c)
{
	json_t *j = account_service(c);
	web_ok_resource(c, j);
}

/* The lockout settings are LAN parameter 26: written through the same model function as
 * Set LAN Configuration Parameters. */
void rf_account_service_patch(struct web_ctx *c)
{
	static const char *const writable[] = { "AccountLockoutThreshold", "AccountLockoutDuration",
						"AccountLockoutCounterResetAfter", NULL };
	json_t *cur = account_service(c);
	bool ok = web_patch_ready(c, writable, cur);
	if (!ok)
		return;
	struct bmc_lan_params next = *bmc_lanconf_view(c->bmc);
	struct bmc_lan_bad_password *bp = &next.bad_password;
	const char *key;
	json_t *v;
	json_object_foreach(c->body, key, v) {
		json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
		bool thr = !strcmp(key, "AccountLockoutThreshold");
		if (n < 0 || (thr && n > 255) || (!thr && (n > 655350 || n % 10))) {
			web_error(c->res, 400, "PropertyValueOutOfRange", "The value is out of range "
				  "(threshold 0..255; durations 0..655350 s in steps of 10 s).",
				  NULL, key);
			return;
		}
		if (thr)
			bp->threshold = (uint8_t)n;
		else if (!strcmp(key, "AccountLockoutDuration"))
			bp->lockout_interval = (uint16_t)(n / 10);
		else
			bp->reset_interval = (uint16_t)(n / 10);
	}
	int r = bmc_lanconf_update(c->bmc, BMC_LANP_BAD_PASSWORD, &next);
	if (r == -EINVAL) {
		web_error(c->res, 400, "PropertyValueConflict", "The lockout settings are not valid "
			  "together.", NULL, NULL);
		return;
	}
	if (r < 0) {
		web_err_internal(c);
		return;
	}
	rf_account_service_get(c);
}

/* ---- accounts ------------------------------------------------------------------------------- */

static uint8_t account_param(struct web_ctx *c)
{
	char *end;
	unsigned long id = strtoul(c->param[0], &end, 10);
	if (*end || id < 2 || id > BMC_MAX_USERS || !bmc_account_exists(c->bmc, (uint8_t)id))
		return 0;
	return (uint8_t)id;
}

static json_t *account_json(struct web_ctx *c, uint8_t uid)
{
	const struct bmc_user *u = &c->bmc->users.user[uid];
	char id[8], path[96], role[96];
	snprintf(id, sizeof(id), "%u", uid);
	snprintf(path, sizeof(path), ACCOUNTS "/%u", uid);
	enum web_role r = WEB_ROLE_NONE;
	switch (u->access[BMC_CHANNEL_LAN].ipmi_messaging ? u->access[BMC_CHANNEL_LAN].priv_limit :
		BMC_PRIV_NO_ACCESS) {
	case BMC_PRIV_ADMIN: r = WEB_ROLE_ADMINISTRATOR; break;
	case BMC_PRIV_OPERATOR: r = WEB_ROLE_OPERATOR; break;
	case BMC_PRIV_USER: r = WEB_ROLE_READONLY; break;
	}
	snprintf(role, sizeof(role), ROLES "/%s", web_role_name(r));
	json_t *j = web_resource(path, "#ManagerAccount.v1_10_0.ManagerAccount", id, "User Account");
	json_object_set_new(j, "UserName", json_string(u->name));
	json_object_set_new(j, "RoleId", json_string(web_role_name(r)));
	json_object_set_new(j, "Enabled", json_boolean(bmc_user_is_enabled(u)));
	json_object_set_new(j, "Locked", json_boolean(bmc_lanconf_user_locked(c->bmc, uid,
						       now_monotonic(), NULL)));
	json_object_set_new(j, "Password", json_null());
	json_object_set_new(j, "AccountTypes", json_pack("[s, s]", "Redfish", "IPMI"));
	json_object_set_new(j, "Links", json_pack("{s:o}", "Role", web_link(role)));
	return j;
}

void rf_accounts_get(struct web_ctx *c)
{
	json_t *coll = web_collection(ACCOUNTS, "#ManagerAccountCollection.ManagerAccountCollection",
				      "Accounts Collection");
	for (uint8_t id = 2; id <= BMC_MAX_USERS; id++) {
		char path[96];
		if (!bmc_account_exists(c->bmc, id))
			continue;
		if (c->role != WEB_ROLE_ADMINISTRATOR && id != c->uid)
			continue;
		snprintf(path, sizeof(path), ACCOUNTS "/%u", id);
		web_collection_add(coll, path);
	}
	web_ok_json(c, 200, coll);
}

static bool self_or_admin(struct web_ctx *c, uint8_t uid)
{
	if (c->role == WEB_ROLE_ADMINISTRATOR || uid == c->uid)
		return true;
	web_err_privilege(c);
	return false;
}

void rf_account_get(struct web_ctx *c)
{
	uint8_t uid = account_param(c);
	if (!uid) {
		web_err_not_found(c);
		return;
	}
	if (!self_or_admin(c, uid))
		return;
	json_t *j = account_json(c, uid);
	web_ok_resource(c, j);
}

/* Maps a model error of an account change to a Redfish error. */
static void account_error(struct web_ctx *c, int r, const char *prop, json_t *val)
{
	if (r == -EEXIST)
		web_error(c->res, 409, "ResourceAlreadyExists", "The requested resource already "
			  "exists.", "ManagerAccount", prop);
	else if (r == -ENOSPC)
		web_error(c->res, 409, "CreateLimitReachedForResource", "The create operation "
			  "failed because the resource has reached the limit of possible resources "
			  "(16 IPMI users).", NULL, NULL);
	else if (r == -EINVAL)
		web_err_property_value(c, prop, val);
	else if (r == -ENOENT)
		web_err_not_found(c);
	else
		web_err_internal(c);
}

static const char *string_of(struct web_ctx *c, const char *prop, bool required)
{
	json_t *v = json_object_get(c->body, prop);
	if (!v && !required)
		return NULL;
	if (!v) {
		char m[160];
		snprintf(m, sizeof(m), "The create operation failed because the required property "
			 "%s was missing from the request.", prop);
		web_error(c->res, 400, "CreateFailedMissingReqProperties", m, prop, NULL);
		return NULL;
	}
	if (!json_is_string(v)) {
		web_err_property_type(c, prop, v);
		return NULL;
	}
	return json_string_value(v);
}

static bool password_check(struct web_ctx *c, const char *pw)
{
	size_t n = strlen(pw);
	if (n >= 1 && n <= BMC_PASSWORD_MAX)
		return true;
	web_error(c->res, 400, "PropertyValueFormatError", "The password must be 1 to 20 "
		  "characters long (the IPMI 2.0 limit; one password serves IPMI and Redfish).",
		  "<hidden>", "Password");
	return false;
}

static bool role_check(struct web_ctx *c, const char *role, uint8_t *ret_priv)
{
	*ret_priv = web_role_priv(role);
	if (*ret_priv)
		return true;
	web_err_property_value(c, "RoleId", json_object_get(c->body, "RoleId"));
	return false;
}

void rf_accounts_post(struct web_ctx *c)
{
	const char *name = string_of(c, "UserName", true);
	const char *pw = name ? string_of(c, "Password", true) : NULL;
	if (!pw)
		return;
	const char *role = string_of(c, "RoleId", false);
	if (!role && c->res->json)
		return;
	json_t *en = json_object_get(c->body, "Enabled");
	if (en && !json_is_boolean(en)) {
		web_err_property_type(c, "Enabled", en);
		return;
	}
	uint8_t priv = BMC_PRIV_USER;
	if ((role && !role_check(c, role, &priv)) || !password_check(c, pw))
		return;
	if (!bmc_account_name_ok(name)) {
		web_error(c->res, 400, "PropertyValueFormatError", "A user name has 1 to 16 "
			  "printable characters without spaces or ':'.", name, "UserName");
		return;
	}
	uint8_t uid = 0;
	int r = bmc_account_create(c->bmc, name, pw, priv, en ? json_is_true(en) : true, &uid);
	if (r < 0) {
		account_error(c, r, "UserName", json_object_get(c->body, "UserName"));
		return;
	}
	log_info("web: user %u created account %u '%s' (%s)", c->uid, uid, name,
		 role ? role : "ReadOnly");
	web_header_add(c->res, "Location:", ACCOUNTS "/%u", uid);
	web_ok_json(c, 201, account_json(c, uid));
}

/* Validates the whole PATCH before changing anything. */
static bool account_patch_check(struct web_ctx *c, uint8_t uid, json_t *cur)
{
	static const char *const writable[] = { "UserName", "Password", "RoleId", "Enabled", NULL };
	if (!web_patch_check(c, writable, cur) || !web_if_match_ok(c, cur))
		return false;
	const char *key;
	json_t *v;
	json_object_foreach(c->body, key, v) {
		if (c->role != WEB_ROLE_ADMINISTRATOR && strcmp(key, "Password") != 0) {
			web_err_privilege(c); /* ConfigureSelf covers the own password only */
			return false;
		}
		bool is_bool = !strcmp(key, "Enabled");
		if (is_bool ? !json_is_boolean(v) : !json_is_string(v)) {
			web_err_property_type(c, key, v);
			return false;
		}
	}
	const char *pw = string_of(c, "Password", false);
	const char *role = string_of(c, "RoleId", false);
	const char *name = string_of(c, "UserName", false);
	uint8_t priv;
	if ((pw && !password_check(c, pw)) || (role && !role_check(c, role, &priv)))
		return false;
	if (name && !bmc_account_name_ok(name)) {
		web_err_property_value(c, "UserName", json_object_get(c->body, "UserName"));
		return false;
	}
	if (uid == c->uid && (role || json_is_false(json_object_get(c->body, "Enabled")))) {
		web_error(c->res, 400, "PropertyValueConflict", "An administrator cannot demote or "
			  "disable the account of the session making the request.", "RoleId",
			  "Enabled");
		return false;
	}
	return true;
}

void rf_account_patch(struct web_ctx *c)
{
	uint8_t uid = account_param(c);
	if (!uid) {
		web_err_not_found(c);
		return;
	}
	if (!self_or_admin(c, uid))
		return;
	json_t *cur = account_json(c, uid);
	bool ok = account_patch_check(c, uid, cur);
	json_decref(cur);
	if (!ok)
		return;
	const char *name = string_of(c, "UserName", false);
	const char *pw = string_of(c, "Password", false);
	const char *role = string_of(c, "RoleId", false);
	json_t *en = json_object_get(c->body, "Enabled");
	int r = 0;
	if (name)
		r = bmc_account_set_name(c->bmc, uid, name);
	if (r == 0 && pw)
		r = bmc_account_set_password(c->bmc, uid, pw);
	if (r == 0 && role)
		r = bmc_account_set_priv(c->bmc, uid, BMC_CHANNEL_LAN, web_role_priv(role));
	if (r == 0 && en)
		r = bmc_account_set_enabled(c->bmc, uid, json_is_true(en));
	if (r < 0) {
		account_error(c, r, name ? "UserName" : "RoleId", json_object_get(c->body, "UserName"));
		return;
	}
	log_info("web: user %u changed account %u (%s%s%s%s)", c->uid, uid, name ? "name " : "",
		 pw ? "password " : "", role ? "role " : "", en ? "enabled" : "");
	if ((pw || (en && !json_is_true(en))) && uid != c->uid)
		web_sessions_end_user(web_server_auth(c->srv), uid);
	json_t *j = account_json(c, uid);
	web_ok_resource(c, j);
}

void rf_account_delete(struct web_ctx *c)
{
	uint8_t uid = account_param(c);
	if (!uid) {
		web_err_not_found(c);
		return;
	}
	if (uid == c->uid) {
		web_error(c->res, 409, "ResourceCannotBeDeleted", "The delete request failed "
			  "because the resource requested cannot be deleted (the account of this "
			  "session).", NULL, NULL);
		return;
	}
	int r = bmc_account_delete(c->bmc, uid);
	if (r < 0) {
		account_error(c, r, "Id", NULL);
		return;
	}
	web_sessions_end_user(web_server_auth(c->srv), uid);
	log_info("web: user %u deleted account %u", c->uid, uid);
	web_no_content(c);
}

/* ---- roles ---------------------------------------------------------------------------------- */

static json_t *role_json(enum web_role r)
{
	const char *name = web_role_name(r);
	char path[96];
	snprintf(path, sizeof(path), ROLES "/%s", name);
	json_t *j = web_resource(path, "#Role.v1_3_1.Role", name, name);
	json_t *p = json_array();
	json_array_append_new(p, json_string("Login"));
	json_array_append_new(p, json_string("ConfigureSelf"));
	if (r >= WEB_ROLE_OPERATOR)
		json_array_append_new(p, json_string("ConfigureComponents"));
	if (r >= WEB_ROLE_ADMINISTRATOR) {
		json_array_append_new(p, json_string("ConfigureManager"));
		json_array_append_new(p, json_string("ConfigureUsers"));
	}
	json_object_set_new(j, "RoleId", json_string(name));
	json_object_set_new(j, "IsPredefined", json_true());
	json_object_set_new(j, "AssignedPrivileges", p);
	json_object_set_new(j, "Description", json_string(
		r == WEB_ROLE_ADMINISTRATOR ? "IPMI ADMINISTRATOR privilege" :
		r == WEB_ROLE_OPERATOR ? "IPMI OPERATOR privilege" : "IPMI USER privilege"));
	return j;
}

void rf_roles_get(struct web_ctx *c)
{
	json_t *coll = web_collection(ROLES, "#RoleCollection.RoleCollection", "Roles Collection");
	for (enum web_role r = WEB_ROLE_READONLY; r <= WEB_ROLE_ADMINISTRATOR; r++) {
		char path[96];
		snprintf(path, sizeof(path), ROLES "/%s", web_role_name(r));
		web_collection_add(coll, path);
	}
	web_ok_json(c, 200, coll);
}

void rf_role_get(struct web_ctx *c)
{
	for (enum web_role r = WEB_ROLE_READONLY; r <= WEB_ROLE_ADMINISTRATOR; r++) {
		if (strcmp(c->param[0], web_role_name(r)) == 0) {
			web_ok_json(c, 200, role_json(r));
			return;
		}
	}
	web_err_not_found(c);
}
