/* JSON for the Redfish service: bounded parsing of request bodies, Redfish error bodies with
 * Base registry messages (DSP0266 §9.6, Base.1.16.0), ETags, and small property readers that
 * report type errors the Redfish way. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "web/http.h"

#define WEB_BASE_REGISTRY "Base.1.16.0"

/* Nesting depth of a JSON text (objects and arrays), scanned through the bounded reader
 * without building anything; -EBADMSG if brackets do not balance. */
int web_json_depth(const char *text, size_t len);
/* Parses a request body: NULL and an error response (400 MalformedJSON, or 400 for too deep)
 * on failure. Requires an object at the top. */
json_t *web_json_parse(struct web_ctx *c, const char *text, size_t len, unsigned max_depth);

/* Sets res to a Redfish error: status and one Base message with its arguments (strings). */
void web_error(struct web_response *res, int status, const char *message_id, const char *message,
	       const char *arg1, const char *arg2);
/* Adds one more message to an error body set by web_error. */
void web_error_add(struct web_response *res, const char *message_id, const char *message,
		   const char *arg1, const char *arg2);

/* Common errors. */
void web_err_not_found(struct web_ctx *c);
void web_err_malformed(struct web_ctx *c);
void web_err_property_unknown(struct web_ctx *c, const char *prop);
void web_err_property_type(struct web_ctx *c, const char *prop, json_t *val);
void web_err_property_value(struct web_ctx *c, const char *prop, json_t *val);
void web_err_not_writable(struct web_ctx *c, const char *prop);
void web_err_action_param_missing(struct web_ctx *c, const char *action, const char *param);
void web_err_action_value(struct web_ctx *c, const char *action, const char *param, json_t *val);
void web_err_internal(struct web_ctx *c);
void web_err_privilege(struct web_ctx *c);

/* Successful responses. */
void web_ok_json(struct web_ctx *c, int status, json_t *body); /* steals body */
void web_no_content(struct web_ctx *c);
/* 200 with the Base "Success" message (for actions). */
void web_ok_success(struct web_ctx *c);

/* A weak ETag over the JSON text of a resource (W/"<16 hex>"), put in "@odata.etag" and the
 * ETag header. */
void web_etag_set(struct web_ctx *c, json_t *obj);
/* If-Match: true if absent, "*", or equal to the resource's current ETag; else sets 412. */
bool web_if_match_ok(struct web_ctx *c, json_t *current);
/* A GET of one resource: its ETag, then 200 with it (steals obj). */
void web_ok_resource(struct web_ctx *c, json_t *obj);
/* A PATCH may go ahead: the body only names writable properties (web_patch_check) and If-Match
 * agrees with the current representation. Frees current; false with the error response set. */
bool web_patch_ready(struct web_ctx *c, const char *const *writable, json_t *current);

/* An object with @odata.id, @odata.type and Id/Name. */
json_t *web_resource(const char *odata_id, const char *odata_type, const char *id,
		     const char *name);
/* A collection: {"@odata.id", "@odata.type", Name, Members:[], Members@odata.count}. */
json_t *web_collection(const char *odata_id, const char *odata_type, const char *name);
void web_collection_add(json_t *coll, const char *member_id);
/* {"@odata.id": path}. */
json_t *web_link(const char *path);

/* Checks a PATCH body against the properties a resource allows (NULL-terminated list; others
 * are PropertyNotWritable if in `readonly`, else PropertyUnknown). Returns false with an error
 * response set. */
bool web_patch_check(struct web_ctx *c, const char *const *writable, json_t *resource);
