/* Application netFn (0x06) commands common to every transport (IPMI 2.0 §20-22): device
 * identity, resets, self test, GUIDs, BMC global enables, channel info and access, and user
 * management. Each handler decodes its request through the bounded reader, calls the model in
 * bmc/, persists what changed before it answers, and encodes the response. The dispatcher has
 * already checked length bounds and privilege from the table at the bottom. Session commands
 * (0x38-0x3D, 0x54) belong to the LAN transport's own table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"
#include "ipmi/ipmi.h"

/* bmc/ sits below ipmi/ and keeps its own names for the same numbers. */
_Static_assert((int)BMC_PRIV_CALLBACK == (int)IPMI_PRIV_CALLBACK, "privilege values differ");
_Static_assert((int)BMC_PRIV_ADMIN == (int)IPMI_PRIV_ADMIN, "privilege values differ");
_Static_assert((int)BMC_PRIV_OEM == (int)IPMI_PRIV_OEM, "privilege values differ");
_Static_assert((int)BMC_PRIV_NO_ACCESS == (int)IPMI_PRIV_NO_ACCESS, "privilege values differ");
_Static_assert((int)BMC_CHANNEL_LAN == (int)IPMI_CHANNEL_LAN, "channel numbers differ");
_Static_assert((int)BMC_CHANNEL_SYSTEM == (int)IPMI_CHANNEL_SYSTEM, "channel numbers differ");

enum {
	APP_GET_DEVICE_ID = 0x01,
	APP_COLD_RESET = 0x02,
	APP_WARM_RESET = 0x03,
	APP_GET_SELF_TEST = 0x04,
	APP_SET_ACPI_POWER_STATE = 0x06,
	APP_GET_ACPI_POWER_STATE = 0x07,
	APP_GET_DEVICE_GUID = 0x08,
	APP_SET_GLOBAL_ENABLES = 0x2E,
	APP_GET_GLOBAL_ENABLES = 0x2F,
	APP_GET_SYSTEM_GUID = 0x37,
	APP_SET_CHANNEL_ACCESS = 0x40,
	APP_GET_CHANNEL_ACCESS = 0x41,
	APP_GET_CHANNEL_INFO = 0x42,
	APP_SET_USER_ACCESS = 0x43,
	APP_GET_USER_ACCESS = 0x44,
	APP_SET_USER_NAME = 0x45,
	APP_GET_USER_NAME = 0x46,
	APP_SET_USER_PASSWORD = 0x47,
};

/* Command-specific completion codes. */
enum {
	CC_PASSWORD_MISMATCH = 0x80,     /* §22.30 test password: wrong password */
	CC_PASSWORD_WRONG_SIZE = 0x81,   /* §22.30 test password: stored in the other form */
	CC_SET_NOT_SUPPORTED = 0x82,     /* §22.22 set not supported on this channel */
	CC_ACCESS_MODE_UNSUPPORTED = 0x83, /* §22.22 access mode not supported */
};

/* Vendor IANA for the IPMI protocol itself (7154), Get Channel Info bytes 6-8. */
static const uint8_t ipmi_iana[3] = { 0xF2, 0x1B, 0x00 };

/* ---- helpers ---- */

static void rsp_from(struct ipmi_rsp *rsp, const struct wbuf *w)
{
	if (w->err) {
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
		return;
	}
	rsp->len = w->len;
}

/* One operator line per change: what happened, then who asked (never secrets). */
__attribute__((format(printf, 3, 4)))
static void app_log(const struct bmc *bmc, const struct ipmi_req *req, const char *fmt, ...)
{
	char what[192];
	char who[48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (req->in_session)
		snprintf(who, sizeof(who), "by user %u on channel %u", req->user_id, req->channel);
	else if (req->channel == IPMI_CHANNEL_SYSTEM)
		snprintf(who, sizeof(who), "by the system interface");
	else
		snprintf(who, sizeof(who), "on channel %u, outside a session", req->channel);
	log_info("%s%s%s (%s)", bmc->name, bmc->name[0] ? ": " : "", what, who);
}

static const char *on_off(bool v)
{
	return v ? "on" : "off";
}

/* Request channel field (bits 3:0): 0xE means the channel this request came in on. */
static uint8_t req_channel(const struct ipmi_req *req, uint8_t field)
{
	uint8_t ch = field & 0x0F;

	return ch == IPMI_CHANNEL_CURRENT ? req->channel : ch;
}

static bool channel_exists(uint8_t ch)
{
	return ch == IPMI_CHANNEL_LAN || ch == IPMI_CHANNEL_SYSTEM;
}

/* Persists user `id` after a change; on failure puts *old back and answers 0xFF. The copy
 * in *old holds a password, so it is wiped either way. */
static bool user_commit(struct bmc *bmc, uint8_t id, struct bmc_user *old, struct ipmi_rsp *rsp)
{
	int r = bmc_user_save(&bmc->users, bmc->store, id);

	if (r < 0) {
		log_err("%s%suser %u: cannot save: %s", bmc->name, bmc->name[0] ? ": " : "", id,
			strerror(-r));
		bmc->users.user[id] = *old;
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
	}
	OPENSSL_cleanse(old, sizeof(*old));
	return r >= 0;
}

/* ---- device (§20) ---- */

/* §20.1 Get Device ID. */
static void app_get_device_id(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	const struct bmc_identity *id = &bmc->identity;
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));
	uint32_t mfr = id->manufacturer_id & 0xFFFFF;

	wbuf_u8(&w, id->device_id);
	wbuf_u8(&w, id->device_rev & 0x0F);   /* bit 7 = 0: no device SDRs */
	wbuf_u8(&w, id->fw_major & 0x7F);     /* bit 7 = 0: normal operation */
	wbuf_u8(&w, id->fw_minor);
	wbuf_u8(&w, 0x02);                    /* IPMI 2.0 */
	wbuf_u8(&w, 0xBF);                    /* all but bridge: chassis, SEL, SDR repo, FRU, ... */
	wbuf_u8(&w, (uint8_t)mfr);
	wbuf_u8(&w, (uint8_t)(mfr >> 8));
	wbuf_u8(&w, (uint8_t)(mfr >> 16));
	wbuf_u16le(&w, id->product_id);
	wbuf_bytes(&w, id->aux_fw, sizeof(id->aux_fw));
	rsp_from(rsp, &w);
}

/* §20.2/§20.3: the transport performs the reset after this reply is sent. */
static void app_cold_reset(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	bmc->reset_requested = BMC_RESET_COLD;
	app_log(bmc, req, "cold reset requested");
}

static void app_warm_reset(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (bmc->reset_requested != BMC_RESET_COLD)
		bmc->reset_requested = BMC_RESET_WARM;
	app_log(bmc, req, "warm reset requested");
}

/* §20.4: 55h = no error. */
static void app_get_self_test(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	static const uint8_t ok[2] = { 0x55, 0x00 };
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));

	wbuf_bytes(&w, ok, sizeof(ok));
	rsp_from(rsp, &w);
}

/* §20.8 / §22.14: GUIDs are kept in wire order already (byte-reversed RFC 4122). */
static void app_get_device_guid(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));

	wbuf_bytes(&w, bmc->device_guid, sizeof(bmc->device_guid));
	rsp_from(rsp, &w);
}

static void app_get_system_guid(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));

	wbuf_bytes(&w, bmc->system_guid, sizeof(bmc->system_guid));
	rsp_from(rsp, &w);
}

/* ---- BMC global enables (§22.1, §22.2) ---- */

#define GLOBAL_ENABLES_RESERVED 0x10

/* §20.6: byte 1 system, byte 2 device power state; bit 7 = set this one, 6:0 the state (7Fh: no
 * change). Informational: the BMC only keeps what system software says. */
static bool acpi_system_valid(uint8_t s)
{
	return s <= BMC_ACPI_SYSTEM_MAX || s == BMC_ACPI_LEGACY_ON || s == BMC_ACPI_LEGACY_OFF ||
	       s == BMC_ACPI_SYSTEM_UNKNOWN || s == BMC_ACPI_NO_CHANGE;
}

static void app_set_acpi_power_state(struct bmc *bmc, const struct ipmi_req *req,
				     struct ipmi_rsp *rsp)
{
	uint8_t sys = req->data[0], dev = req->data[1];
	bool set_sys = sys & 0x80, set_dev = dev & 0x80;

	sys &= 0x7F;
	dev &= 0x7F;
	if ((set_sys && !acpi_system_valid(sys)) ||
	    (set_dev && dev > BMC_ACPI_DEVICE_UNKNOWN && dev != BMC_ACPI_NO_CHANGE)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (set_sys && sys != BMC_ACPI_NO_CHANGE)
		bmc->acpi_system_state = sys;
	if (set_dev && dev != BMC_ACPI_NO_CHANGE)
		bmc->acpi_device_state = dev;
}

static void app_get_acpi_power_state(struct bmc *bmc, const struct ipmi_req *req,
				     struct ipmi_rsp *rsp)
{
	ipmi_rsp_u8(rsp, bmc->acpi_system_state);
	ipmi_rsp_u8(rsp, bmc->acpi_device_state);
}

static void app_set_global_enables(struct bmc *bmc, const struct ipmi_req *req,
				   struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t v = rbuf_u8(&r);

	/* A system-interface command: over LAN it is refused as a privilege matter. */
	if (req->channel != IPMI_CHANNEL_SYSTEM) {
		ipmi_rsp_cc(rsp, IPMI_CC_INSUFFICIENT_PRIV);
		return;
	}
	if (r.err || (v & GLOBAL_ENABLES_RESERVED)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	bmc->global_enables = v;
	bmc_sysif_signal(bmc); /* the host's interface follows the interrupt enable */
}

static void app_get_global_enables(struct bmc *bmc, const struct ipmi_req *req,
				   struct ipmi_rsp *rsp)
{
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));

	wbuf_u8(&w, bmc->global_enables);
	rsp_from(rsp, &w);
}

/* ---- channels (§22.22-22.24) ---- */

/* §22.24 Get Channel Info: 9 data bytes (ipmitool insists), 0xCC for absent channels. */
static void app_get_channel_info(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));
	uint8_t ch = req_channel(req, rbuf_u8(&r));

	if (r.err || !channel_exists(ch)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	wbuf_u8(&w, ch);
	if (ch == IPMI_CHANNEL_LAN) {
		wbuf_u8(&w, 0x04); /* 802.3 LAN */
		wbuf_u8(&w, 0x01); /* IPMB-1.0, as LAN channels report */
		wbuf_u8(&w, 0x80 | (bmc->active_sessions[ch] & 0x3F)); /* multi-session */
	} else {
		wbuf_u8(&w, 0x0C); /* system interface */
		wbuf_u8(&w, 0x05); /* KCS */
		wbuf_u8(&w, 0x00); /* session-less */
	}
	wbuf_bytes(&w, ipmi_iana, sizeof(ipmi_iana));
	wbuf_zero(&w, 2); /* aux info: no IRQs, nothing for LAN */
	rsp_from(rsp, &w);
}

enum {
	ACCESS_SEL_NONE = 0,        /* Set: don't change */
	ACCESS_SEL_NONVOLATILE = 1,
	ACCESS_SEL_VOLATILE = 2,
};

#define CHACC_PEF_DISABLED     0x20
#define CHACC_PERMSG_DISABLED  0x10
#define CHACC_USERLVL_DISABLED 0x08

static uint8_t channel_access_byte(const struct bmc_channel_access *a)
{
	return (uint8_t)((a->pef_alerting_disabled ? CHACC_PEF_DISABLED : 0) |
			 (a->per_msg_auth_disabled ? CHACC_PERMSG_DISABLED : 0) |
			 (a->user_level_auth_disabled ? CHACC_USERLVL_DISABLED : 0) |
			 (a->access_mode & 0x07));
}

/* §22.23 Get Channel Access: byte 2 bits 7:6 select non-volatile (01) or volatile (10). */
static void app_get_channel_access(struct bmc *bmc, const struct ipmi_req *req,
				   struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));
	uint8_t ch = req_channel(req, rbuf_u8(&r));
	uint8_t sel = rbuf_u8(&r) >> 6;
	const struct bmc_channel_access *a;

	if (r.err || !channel_exists(ch) ||
	    (sel != ACCESS_SEL_NONVOLATILE && sel != ACCESS_SEL_VOLATILE)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (ch == IPMI_CHANNEL_SYSTEM) {
		/* No settings of its own: always available, ADMINISTRATOR. */
		wbuf_u8(&w, BMC_ACCESS_ALWAYS);
		wbuf_u8(&w, IPMI_PRIV_ADMIN);
	} else {
		a = sel == ACCESS_SEL_VOLATILE ? &bmc->lan_channel.volatile_
					       : &bmc->lan_channel.nonvolatile;
		wbuf_u8(&w, channel_access_byte(a));
		wbuf_u8(&w, a->priv_limit);
	}
	rsp_from(rsp, &w);
}

/* Applies Set Channel Access byte 2 (access) and byte 3 (privilege) to one setting set. */
static void channel_access_apply(struct bmc_channel_access *a, bool set_access, uint8_t access,
				 bool set_priv, uint8_t priv)
{
	if (set_access) {
		a->pef_alerting_disabled = access & CHACC_PEF_DISABLED;
		a->per_msg_auth_disabled = access & CHACC_PERMSG_DISABLED;
		a->user_level_auth_disabled = access & CHACC_USERLVL_DISABLED;
		a->access_mode = access & 0x07;
	}
	if (set_priv)
		a->priv_limit = priv & 0x0F;
}

/* Checks Set Channel Access bytes 2-3; returns 0 or a completion code. */
static uint8_t channel_access_check(uint8_t access, uint8_t priv)
{
	uint8_t sel_access = access >> 6, sel_priv = priv >> 6;
	uint8_t mode = access & 0x07, limit = priv & 0x0F;

	if (sel_access == 3 || sel_priv == 3)
		return IPMI_CC_INVALID_FIELD;
	if (sel_access != ACCESS_SEL_NONE && mode > BMC_ACCESS_SHARED)
		return IPMI_CC_INVALID_FIELD;
	/* Pre-boot only and shared make no sense without a host BIOS handshake. */
	if (sel_access != ACCESS_SEL_NONE && mode != BMC_ACCESS_ALWAYS && mode != BMC_ACCESS_DISABLED)
		return CC_ACCESS_MODE_UNSUPPORTED;
	if (sel_priv != ACCESS_SEL_NONE && (limit < IPMI_PRIV_CALLBACK || limit > IPMI_PRIV_OEM))
		return IPMI_CC_INVALID_FIELD;
	return IPMI_CC_OK;
}

static void channel_access_log(struct bmc *bmc, const struct ipmi_req *req, uint8_t ch,
			       const char *which, const struct bmc_channel_access *a)
{
	app_log(bmc, req,
		"channel %u: %s access set: mode %u, privilege limit %u, PEF alerting %s, "
		"per-message auth %s, user-level auth %s",
		ch, which, a->access_mode, a->priv_limit, on_off(!a->pef_alerting_disabled),
		on_off(!a->per_msg_auth_disabled), on_off(!a->user_level_auth_disabled));
}

/* §22.22 Set Channel Access (LAN channel only; settings persist before the reply). */
static void app_set_channel_access(struct bmc *bmc, const struct ipmi_req *req,
				   struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t ch = req_channel(req, rbuf_u8(&r));
	uint8_t access = rbuf_u8(&r), priv = rbuf_u8(&r);
	struct bmc_channel next = bmc->lan_channel;
	uint8_t cc;
	int rc;

	if (r.err || (ch != IPMI_CHANNEL_LAN && ch != IPMI_CHANNEL_SYSTEM)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (ch == IPMI_CHANNEL_SYSTEM) {
		ipmi_rsp_cc(rsp, CC_SET_NOT_SUPPORTED);
		return;
	}
	cc = channel_access_check(access, priv);
	if (cc != IPMI_CC_OK) {
		ipmi_rsp_cc(rsp, cc);
		return;
	}
	for (uint8_t sel = ACCESS_SEL_NONVOLATILE; sel <= ACCESS_SEL_VOLATILE; sel++)
		channel_access_apply(sel == ACCESS_SEL_VOLATILE ? &next.volatile_ : &next.nonvolatile,
				     access >> 6 == sel, access, priv >> 6 == sel, priv);
	rc = bmc_channel_save(&next, bmc->store, ch);
	if (rc < 0) {
		log_err("%s%schannel %u: cannot save access settings: %s", bmc->name,
			bmc->name[0] ? ": " : "", ch, strerror(-rc));
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
		return;
	}
	bmc->lan_channel = next;
	if (access >> 6 == ACCESS_SEL_NONVOLATILE || priv >> 6 == ACCESS_SEL_NONVOLATILE)
		channel_access_log(bmc, req, ch, "non-volatile", &next.nonvolatile);
	if (access >> 6 == ACCESS_SEL_VOLATILE || priv >> 6 == ACCESS_SEL_VOLATILE)
		channel_access_log(bmc, req, ch, "volatile", &next.volatile_);
}

/* ---- users (§22.26-22.30) ---- */

#define USER_ID_MASK       0x3F
#define USERACC_CHANGE     0x80 /* Set User Access byte 1: bits 6:4 are valid */
#define USERACC_CALLBACK   0x40
#define USERACC_LINK_AUTH  0x20
#define USERACC_IPMI_MSG   0x10
#define USER_FIXED_NAMES   1    /* the null user (ID 1) */

static uint8_t user_access_byte(const struct bmc_user_access *a)
{
	return (uint8_t)((a->callback_only ? USERACC_CALLBACK : 0) |
			 (a->link_auth ? USERACC_LINK_AUTH : 0) |
			 (a->ipmi_messaging ? USERACC_IPMI_MSG : 0) | (a->priv_limit & 0x0F));
}

/* §22.27 Get User Access. */
static void app_get_user_access(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));
	uint8_t ch = req_channel(req, rbuf_u8(&r));
	struct bmc_user *user = bmc_user_get(&bmc->users, rbuf_u8(&r) & USER_ID_MASK);

	if (r.err || !channel_exists(ch) || !user) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	wbuf_u8(&w, BMC_MAX_USERS);
	/* Enable status bits 7:6 use the enum's values: 00 unspecified, 01 enabled, 10 disabled. */
	wbuf_u8(&w, (uint8_t)((user->enable & 0x03) << 6 | (bmc_users_count_enabled(&bmc->users) & 0x3F)));
	wbuf_u8(&w, USER_FIXED_NAMES);
	wbuf_u8(&w, user_access_byte(&user->access[ch]));
	rsp_from(rsp, &w);
}

static bool priv_limit_valid(uint8_t priv)
{
	return (priv >= IPMI_PRIV_CALLBACK && priv <= IPMI_PRIV_OEM) || priv == IPMI_PRIV_NO_ACCESS;
}

/* §22.26 Set User Access: byte 1 bit 7 gates bits 6:4; optional byte 4 = session limit. */
static void app_set_user_access(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t b1 = rbuf_u8(&r), id = rbuf_u8(&r) & USER_ID_MASK, priv = rbuf_u8(&r) & 0x0F;
	bool has_limit = rbuf_left(&r) > 0;
	uint8_t limit = has_limit ? rbuf_u8(&r) & 0x0F : 0;
	uint8_t ch = req_channel(req, b1);
	struct bmc_user *user = bmc_user_get(&bmc->users, id);
	struct bmc_user old;
	struct bmc_user_access *a;

	if (r.err || !channel_exists(ch) || !user || !priv_limit_valid(priv)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	old = *user;
	a = &user->access[ch];
	if (b1 & USERACC_CHANGE) {
		a->callback_only = b1 & USERACC_CALLBACK;
		a->link_auth = b1 & USERACC_LINK_AUTH;
		a->ipmi_messaging = b1 & USERACC_IPMI_MSG;
	}
	a->priv_limit = priv;
	if (has_limit)
		a->session_limit = limit;
	if (!user_commit(bmc, id, &old, rsp))
		return;
	app_log(bmc, req,
		"user %u: channel %u access set: privilege limit %u, IPMI messaging %s, "
		"link auth %s, callback only %s, session limit %u",
		id, ch, a->priv_limit, on_off(a->ipmi_messaging), on_off(a->link_auth),
		on_off(a->callback_only), a->session_limit);
}

/* A name is printable ASCII, NUL-padded: no byte other than NUL after the first NUL.
 * Returns its length, or -1. */
static int user_name_parse(const uint8_t name[static BMC_USER_NAME_LEN])
{
	size_t len = 0;

	while (len < BMC_USER_NAME_LEN && name[len] != 0) {
		if (name[len] < 0x20 || name[len] > 0x7E)
			return -1;
		len++;
	}
	for (size_t i = len; i < BMC_USER_NAME_LEN; i++) {
		if (name[i] != 0)
			return -1;
	}
	return (int)len;
}

static bool user_name_taken(const struct bmc_users *u, uint8_t self, const uint8_t *name,
			    size_t len)
{
	for (uint8_t id = 1; id <= BMC_MAX_USERS; id++) {
		if (id != self && strlen(u->user[id].name) == len &&
		    memcmp(u->user[id].name, name, len) == 0)
			return true;
	}
	return false;
}

/* §22.28 Set User Name: ID 1 is the fixed null name; duplicates are refused. */
static void app_set_user_name(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t id = rbuf_u8(&r) & USER_ID_MASK;
	const uint8_t *name = rbuf_take(&r, BMC_USER_NAME_LEN);
	struct bmc_user *user = bmc_user_get(&bmc->users, id);
	struct bmc_user old;
	int len;

	if (r.err || !user || id == 1) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	len = user_name_parse(name);
	if (len < 0 || (len > 0 && user_name_taken(&bmc->users, id, name, (size_t)len))) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	old = *user;
	memset(user->name, 0, sizeof(user->name));
	memcpy(user->name, name, (size_t)len);
	if (!user_commit(bmc, id, &old, rsp))
		return;
	if (len > 0)
		app_log(bmc, req, "user %u: name set to '%s'", id, user->name);
	else
		app_log(bmc, req, "user %u: name cleared", id);
}

/* §22.29 Get User Name: 16 bytes, NUL-padded (all zeros if unset). */
static void app_get_user_name(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	struct wbuf w = wbuf_init(rsp->data, sizeof(rsp->data));
	const struct bmc_user *user = bmc_user_get(&bmc->users, rbuf_u8(&r) & USER_ID_MASK);
	size_t len;

	if (r.err || !user) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	len = strnlen(user->name, BMC_USER_NAME_LEN);
	wbuf_bytes(&w, user->name, len);
	wbuf_zero(&w, BMC_USER_NAME_LEN - len);
	rsp_from(rsp, &w);
}

enum {
	PW_OP_DISABLE = 0,
	PW_OP_ENABLE = 1,
	PW_OP_SET = 2,
	PW_OP_TEST = 3,
};

#define PW_SIZE_20 0x80 /* Set User Password byte 1 bit 7: 20-byte form */

/* §22.30 test password: 0x81 if stored in the other form, 0x80 if different. A password
 * never set is the null password in either form. */
static uint8_t user_password_test(const struct bmc_user *user, const uint8_t *pw, uint8_t size)
{
	if (user->pw_size != 0 && user->pw_size != size)
		return CC_PASSWORD_WRONG_SIZE;
	return bmc_user_password_matches(user, pw, size) ? IPMI_CC_OK : CC_PASSWORD_MISMATCH;
}

static void user_password_change(struct bmc *bmc, const struct ipmi_req *req,
				 struct ipmi_rsp *rsp, uint8_t id, uint8_t op,
				 const uint8_t *pw, uint8_t size)
{
	struct bmc_user *user = &bmc->users.user[id];
	struct bmc_user old = *user;

	if (op == PW_OP_SET)
		bmc_user_set_password(user, pw, size, size);
	else
		user->enable = op == PW_OP_ENABLE ? BMC_USER_ENABLED : BMC_USER_DISABLED;
	if (!user_commit(bmc, id, &old, rsp))
		return;
	if (op == PW_OP_SET)
		app_log(bmc, req, "user %u: password set (%u-byte form)", id, size);
	else
		app_log(bmc, req, "user %u: %s", id, op == PW_OP_ENABLE ? "enabled" : "disabled");
}

/* §22.30 Set User Password. Set and test carry exactly the form's 16 or 20 bytes (anything
 * else is 0xC7, never truncated); enable and disable accept 2 bytes or either padded form. */
static void app_set_user_password(struct bmc *bmc, const struct ipmi_req *req,
				  struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t b1 = rbuf_u8(&r), op = rbuf_u8(&r) & 0x03;
	uint8_t id = b1 & USER_ID_MASK, size = (b1 & PW_SIZE_20) ? 20 : 16;
	const uint8_t *pw = NULL;

	if (op == PW_OP_SET || op == PW_OP_TEST) {
		if (req->len != 2u + size) {
			ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
			return;
		}
		pw = rbuf_take(&r, size);
	} else if (req->len != 2 && req->len != 2 + 16 && req->len != 2 + 20) {
		ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
		return;
	}
	if (r.err || !bmc_user_get(&bmc->users, id)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (op == PW_OP_TEST)
		ipmi_rsp_cc(rsp, user_password_test(&bmc->users.user[id], pw, size));
	else
		user_password_change(bmc, req, rsp, id, op, pw, size);
}

/* ---- the table ---- */

/* §24.7 Get User Payload Access: byte 1 channel, byte 2 user ID; response: standard payloads
 * 1-7 (bits 7:1), reserved, OEM payloads 0-7, reserved. */
static void app_get_user_payload_access(struct bmc *bmc, const struct ipmi_req *req,
					struct ipmi_rsp *rsp)
{
	uint8_t ch = req_channel(req, req->data[0]);
	struct bmc_user *user = bmc_user_get(&bmc->users, req->data[1] & USER_ID_MASK);

	if (!channel_exists(ch) || !user) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	ipmi_rsp_u8(rsp, user->access[ch].payload_std & 0xFE);
	ipmi_rsp_u8(rsp, 0);
	ipmi_rsp_u8(rsp, user->access[ch].payload_oem);
	ipmi_rsp_u8(rsp, 0);
}

/* §24.6 Set User Payload Access: byte 2 bits 7:6 = 00 enable / 01 disable the payloads whose
 * bits are set in bytes 3 (standard 1-7) and 5 (OEM 0-7). */
static void app_set_user_payload_access(struct bmc *bmc, const struct ipmi_req *req,
					struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t ch = req_channel(req, rbuf_u8(&r));
	uint8_t b2 = rbuf_u8(&r), std = rbuf_u8(&r);
	rbuf_skip(&r, 1);
	uint8_t oem = rbuf_u8(&r);
	uint8_t id = b2 & USER_ID_MASK, op = b2 >> 6;
	struct bmc_user *user = bmc_user_get(&bmc->users, id);

	if (r.err || !channel_exists(ch) || !user || op > 1 || (std & 0x01)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	struct bmc_user old = *user;
	struct bmc_user_access *a = &user->access[ch];
	if (op == 0) {
		a->payload_std |= std;
		a->payload_oem |= oem;
	} else {
		a->payload_std &= (uint8_t)~std;
		a->payload_oem &= (uint8_t)~oem;
	}
	if (!user_commit(bmc, id, &old, rsp))
		return;
	app_log(bmc, req, "user %u: channel %u payload access set: standard 0x%02x, OEM 0x%02x",
		id, ch, a->payload_std, a->payload_oem);
}

#define APP(cmd_, min_, max_, priv_, fn_) \
	{ .netfn = IPMI_NETFN_APP, .cmd = (cmd_), .min_len = (min_), .max_len = (max_), \
	  .priv = (priv_), .handler = (fn_) }

/* Commands without request data have max_len 0 (= any): extra bytes are ignored. */
const struct ipmi_cmd ipmi_app_cmds[] = {
	APP(APP_GET_DEVICE_ID, 0, 0, IPMI_PRIV_USER, app_get_device_id),
	APP(APP_COLD_RESET, 0, 0, IPMI_PRIV_ADMIN, app_cold_reset),
	APP(APP_WARM_RESET, 0, 0, IPMI_PRIV_ADMIN, app_warm_reset),
	APP(APP_GET_SELF_TEST, 0, 0, IPMI_PRIV_USER, app_get_self_test),
	APP(APP_SET_ACPI_POWER_STATE, 2, 2, IPMI_PRIV_ADMIN, app_set_acpi_power_state),
	APP(APP_GET_ACPI_POWER_STATE, 0, 0, IPMI_PRIV_USER, app_get_acpi_power_state),
	APP(APP_GET_DEVICE_GUID, 0, 0, IPMI_PRIV_USER, app_get_device_guid),
	APP(APP_SET_GLOBAL_ENABLES, 1, 1, IPMI_PRIV_ADMIN, app_set_global_enables),
	APP(APP_GET_GLOBAL_ENABLES, 0, 0, IPMI_PRIV_USER, app_get_global_enables),
	APP(APP_GET_SYSTEM_GUID, 0, 0, IPMI_PRIV_NONE, app_get_system_guid),
	APP(APP_SET_CHANNEL_ACCESS, 3, 3, IPMI_PRIV_ADMIN, app_set_channel_access),
	APP(APP_GET_CHANNEL_ACCESS, 2, 2, IPMI_PRIV_USER, app_get_channel_access),
	APP(APP_GET_CHANNEL_INFO, 1, 1, IPMI_PRIV_USER, app_get_channel_info),
	APP(APP_SET_USER_ACCESS, 3, 4, IPMI_PRIV_ADMIN, app_set_user_access),
	APP(APP_GET_USER_ACCESS, 2, 2, IPMI_PRIV_OPERATOR, app_get_user_access),
	APP(APP_SET_USER_NAME, 17, 17, IPMI_PRIV_ADMIN, app_set_user_name),
	APP(APP_GET_USER_NAME, 1, 1, IPMI_PRIV_OPERATOR, app_get_user_name),
	APP(APP_SET_USER_PASSWORD, 2, 22, IPMI_PRIV_ADMIN, app_set_user_password),
	APP(0x4C, 6, 6, IPMI_PRIV_ADMIN, app_set_user_payload_access),
	APP(0x4D, 2, 2, IPMI_PRIV_OPERATOR, app_get_user_payload_access),
};

const size_t ipmi_app_cmds_n = sizeof(ipmi_app_cmds) / sizeof(ipmi_app_cmds[0]);
