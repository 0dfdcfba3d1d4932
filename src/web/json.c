/* Redfish JSON helpers: request body bounds, error bodies with Base registry message IDs,
 * ETags. Handlers use these so every error has the same shape and status. */
#include "web/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/buf.h"

/* ---- bounded parsing ----------------------------------------------------------------------- */

int web_json_depth(const char *text, size_t len)
{
	struct rbuf r = rbuf_init(text, len);
	int depth = 0, max = 0;
	bool in_str = false;
	while (rbuf_left(&r)) {
		uint8_t ch = rbuf_u8(&r);
		if (in_str) {
			if (ch == '\\')
				rbuf_skip(&r, rbuf_left(&r) ? 1 : 0);
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			if (++depth > max)
				max = depth;
		} else if (ch == '}' || ch == ']') {
			if (--depth < 0)
				return -EBADMSG;
		}
	}
	return depth == 0 && !in_str ? max : -EBADMSG;
}

json_t *web_json_parse(struct web_ctx *c, const char *text, size_t len, unsigned max_depth)
{
	int depth = web_json_depth(text, len);
	if (depth < 0) {
		web_err_malformed(c);
		return NULL;
	}
	if ((unsigned)depth > max_depth) {
		char n[16];
		snprintf(n, sizeof(n), "%u", max_depth);
		web_error(c->res, 400, "MalformedJSON",
			  "The request body is nested deeper than this service accepts.", n, NULL);
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		web_err_malformed(c);
		return NULL;
	}
	return j;
}

/* ---- errors -------------------------------------------------------------------------------- */

static json_t *message(const char *message_id, const char *text, const char *arg1,
		       const char *arg2)
{
	char id[96];
	snprintf(id, sizeof(id), "%s.%s", WEB_BASE_REGISTRY, message_id);
	json_t *args = json_array();
	if (arg1)
		json_array_append_new(args, json_string(arg1));
	if (arg2)
		json_array_append_new(args, json_string(arg2));
	bool ok = strcmp(message_id, "Success") == 0 || strcmp(message_id, "Created") == 0;
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
			 "@odata.type", "#Message.v1_1_1.Message",
			 "MessageId", id,
			 "Message", text,
			 "MessageArgs", args,
			 "Severity", ok ? "OK" : "Warning",
			 "MessageSeverity", ok ? "OK" : "Warning",
			 "Resolution", ok ? "None." : "See the message; correct the request and "
			 "resubmit it.");
}

void web_error(struct web_response *res, int status, const char *message_id, const char *text,
	       const char *arg1, const char *arg2)
{
	char code[96];
	snprintf(code, sizeof(code), "%s.%s", WEB_BASE_REGISTRY, message_id);
	json_decref(res->json);
	res->status = status;
	res->raw = NULL;
	res->json = json_pack("{s:{s:s, s:s, s:[o]}}", "error", "code", code, "message", text,
			      "@Message.ExtendedInfo", message(message_id, text, arg1, arg2));
}

void web_error_add(struct web_response *res, const char *message_id, const char *text,
		   const char *arg1, const char *arg2)
{
	json_t *info = json_object_get(json_object_get(res->json, "error"), "@Message.ExtendedInfo");
	if (info)
		json_array_append_new(info, message(message_id, text, arg1, arg2));
}

void web_err_not_found(struct web_ctx *c)
{
	web_error(c->res, 404, "ResourceNotFound",
		  "The requested resource does not exist.", "Resource", c->req->path);
}

void web_err_malformed(struct web_ctx *c)
{
	web_error(c->res, 400, "MalformedJSON",
		  "The request body submitted was malformed JSON and could not be parsed by the "
		  "receiving service.", NULL, NULL);
}

void web_err_property_unknown(struct web_ctx *c, const char *prop)
{
	char m[256];
	snprintf(m, sizeof(m), "The property %s is not in the list of valid properties for the "
		 "resource.", prop);
	web_error(c->res, 400, "PropertyUnknown", m, prop, NULL);
}

static void value_text(json_t *val, char *buf, size_t cap)
{
	char *s = val ? json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	snprintf(buf, cap, "%s", s ? s : "null");
	free(s);
}

void web_err_property_type(struct web_ctx *c, const char *prop, json_t *val)
{
	char v[96], m[320];
	value_text(val, v, sizeof(v));
	snprintf(m, sizeof(m), "The value %s for the property %s is of a different type than the "
		 "property can accept.", v, prop);
	web_error(c->res, 400, "PropertyValueTypeError", m, v, prop);
}

void web_err_property_value(struct web_ctx *c, const char *prop, json_t *val)
{
	char v[96], m[320];
	value_text(val, v, sizeof(v));
	snprintf(m, sizeof(m), "The value %s for the property %s is not in the list of acceptable "
		 "values.", v, prop);
	web_error(c->res, 400, "PropertyValueNotInList", m, v, prop);
}

void web_err_not_writable(struct web_ctx *c, const char *prop)
{
	char m[256];
	snprintf(m, sizeof(m), "The property %s is a read only property and cannot be assigned a "
		 "value.", prop);
	web_error(c->res, 400, "PropertyNotWritable", m, prop, NULL);
}

void web_err_action_param_missing(struct web_ctx *c, const char *action, const char *param)
{
	char m[256];
	snprintf(m, sizeof(m), "The action %s requires the parameter %s to be present in the "
		 "request body.", action, param);
	web_error(c->res, 400, "ActionParameterMissing", m, action, param);
}

void web_err_action_value(struct web_ctx *c, const char *action, const char *param, json_t *val)
{
	char v[96], m[320];
	value_text(val, v, sizeof(v));
	snprintf(m, sizeof(m), "The value %s for the parameter %s in the action %s is not in the "
		 "list of acceptable values.", v, param, action);
	web_error(c->res, 400, "ActionParameterValueNotInList", m, v, param);
}

void web_err_internal(struct web_ctx *c)
{
	web_error(c->res, 500, "InternalError",
		  "The request failed due to an internal service error.  The service is still "
		  "operational.", NULL, NULL);
}

void web_err_privilege(struct web_ctx *c)
{
	web_error(c->res, 403, "InsufficientPrivilege",
		  "There are insufficient privileges for the account or credentials associated "
		  "with the current session to perform the requested operation.", NULL, NULL);
}

/* ---- success ------------------------------------------------------------------------------- */

void web_ok_json(struct web_ctx *c, int status, json_t *body)
{
	json_decref(c->res->json);
	c->res->status = status;
	c->res->json = body;
}

void web_no_content(struct web_ctx *c)
{
	json_decref(c->res->json);
	c->res->json = NULL;
	c->res->status = 204;
}

void web_ok_success(struct web_ctx *c)
{
	web_ok_json(c, 200, json_pack("{s:[o]}", "@Message.ExtendedInfo",
				      message("Success", "The request completed successfully.",
					      NULL, NULL)));
}

/* ---- ETags --------------------------------------------------------------------------------- */

static void etag_of(json_t *obj, char out[static 24])
{
	json_t *copy = json_copy(obj);
	json_object_del(copy, "@odata.etag");
	char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	uint8_t md[32];
	unsigned n = 0;
	EVP_Digest(text ? text : "", text ? strlen(text) : 0, md, &n, EVP_sha256(), NULL);
	free(text);
	snprintf(out, 24, "W/\"%02x%02x%02x%02x%02x%02x%02x%02x\"", md[0], md[1], md[2], md[3],
		 md[4], md[5], md[6], md[7]);
}

void web_etag_set(struct web_ctx *c, json_t *obj)
{
	char tag[24];
	etag_of(obj, tag);
	json_object_set_new(obj, "@odata.etag", json_string(tag));
	web_header_add(c->res, "ETag:", "%s", tag);
}

void web_ok_resource(struct web_ctx *c, json_t *obj)
{
	web_etag_set(c, obj);
	web_ok_json(c, 200, obj);
}

bool web_patch_ready(struct web_ctx *c, const char *const *writable, json_t *current)
{
	bool ok = web_patch_check(c, writable, current) && web_if_match_ok(c, current);
	json_decref(current);
	return ok;
}

/* If-Match is a comma-separated list of (possibly weak) tags; compare the opaque part. */
static bool tag_listed(const char *list, const char *tag)
{
	const char *opaque = strchr(tag, '"');
	size_t olen = strlen(opaque);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (strncmp(p, opaque, olen) == 0 && (p[olen] == '\0' || p[olen] == ',' ||
						      p[olen] == ' '))
			return true;
		const char *next = strchr(p, ',');
		if (!next)
			break;
		p = next;
	}
	return false;
}

bool web_if_match_ok(struct web_ctx *c, json_t *current)
{
	if (!c->req->if_match[0])
		return true;
	char tag[24];
	etag_of(current, tag);
	if (tag_listed(c->req->if_match, tag))
		return true;
	web_error(c->res, 412, "PreconditionFailed",
		  "The ETag supplied did not match the ETag required to change this resource.",
		  NULL, NULL);
	return false;
}

/* ---- building resources -------------------------------------------------------------------- */

json_t *web_resource(const char *odata_id, const char *odata_type, const char *id,
		     const char *name)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "@odata.id", odata_id, "@odata.type", odata_type,
			 "Id", id, "Name", name);
}

json_t *web_collection(const char *odata_id, const char *odata_type, const char *name)
{
	return json_pack("{s:s, s:s, s:s, s:[], s:i}", "@odata.id", odata_id, "@odata.type",
			 odata_type, "Name", name, "Members", "Members@odata.count", 0);
}

void web_collection_add(json_t *coll, const char *member_id)
{
	json_t *m = json_object_get(coll, "Members");
	json_array_append_new(m, web_link(member_id));
	json_object_set_new(coll, "Members@odata.count", json_integer((json_int_t)json_array_size(m)));
}

json_t *web_link(const char *path)
{
	return json_pack("{s:s}", "@odata.id", path);
}

bool web_patch_check(struct web_ctx *c, const char *const *writable, json_t *resource)
{
	const char *key;
	json_t *val;
	json_object_foreach(c->body, key, val) {
		bool ok = false;
		for (const char *const *w = writable; *w && !ok; w++)
			ok = strcmp(*w, key) == 0;
		if (ok)
			continue;
		if (resource && json_object_get(resource, key))
			web_err_not_writable(c, key);
		else
			web_err_property_unknown(c, key);
		return false;
	}
	if (json_object_size(c->body) == 0) {
		web_error(c->res, 400, "MalformedJSON", "The request body has no properties to "
			  "change.", NULL, NULL);
		return false;
	}
	return true;
}
