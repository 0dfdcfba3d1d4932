/* DCMI 1.5 commands (Group Extension netFn 0x2C, group ID 0xDC; commands.md §6). Every request
 * starts with the group ID 0xDC and every response with it; a request without it is not DCMI
 * and gets 0xC1 like any unknown command (commands.md §0), so the group ID is checked before
 * the length: the table's rows leave the length to dcmi_begin. The state lives in
 * bmc/dcmi.c; these handlers decode and encode bytes. */
#include <errno.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

#define DCMI_GROUP_ID 0xDC

enum {
	DCMI_CMD_GET_CAPABILITY_INFO = 0x01,
	DCMI_CMD_GET_POWER_READING = 0x02,
	DCMI_CMD_GET_POWER_LIMIT = 0x03,
	DCMI_CMD_SET_POWER_LIMIT = 0x04,
	DCMI_CMD_ACTIVATE_POWER_LIMIT = 0x05,
	DCMI_CMD_GET_ASSET_TAG = 0x06,
	DCMI_CMD_GET_SENSOR_INFO = 0x07,
	DCMI_CMD_SET_ASSET_TAG = 0x08,
	DCMI_CMD_GET_MC_ID_STRING = 0x09,
	DCMI_CMD_SET_MC_ID_STRING = 0x0A,
	DCMI_CMD_GET_TEMPERATURE_READINGS = 0x10,
};

/* DCMI completion codes (DCMI 1.5 table 2-1; FreeIPMI ipmi-comp-code-dcmi-spec.h). */
enum {
	DCMI_CC_PARAM_NOT_SUPPORTED = 0x80, /* also Get Power Limit: no active power limit */
	DCMI_CC_LIMIT_OUT_OF_RANGE = 0x84,
	DCMI_CC_CORRECTION_OUT_OF_RANGE = 0x85,
	DCMI_CC_STATS_PERIOD_OUT_OF_RANGE = 0x89,
};

/* Get DCMI Capability Info header: DCMI 1.5 conformance, parameter revision 02h. */
#define DCMI_SPEC_MAJOR 0x01
#define DCMI_SPEC_MINOR 0x05
#define DCMI_PARAM_REVISION 0x02

#define DCMI_SENSOR_TYPE_TEMPERATURE 0x01
#define DCMI_POWER_MODE_STATS 0x01
#define DCMI_POWER_MODE_ENHANCED 0x02
#define DCMI_POWER_MEASUREMENT_ACTIVE 0x40
#define DCMI_SEL_ENTRIES_MASK 0x0FFF

/* Rolling average periods of enhanced power statistics (capability parameter 5): bits 7:6 unit
 * (00 s, 01 min), bits 5:0 duration. All fit in the BMC_DCMI_POWER_SAMPLES-second ring. */
static const uint8_t rolling_periods[] = { 0x05, 0x0F, 0x1E, 0x41, 0x43 };

/* Checks the group ID, then the length; on success the reader is past the group ID and the
 * response starts with it. */
static bool dcmi_begin(const struct ipmi_req *req, struct ipmi_rsp *rsp, size_t min_len,
		       size_t max_len, struct rbuf *ret_rb)
{
	*ret_rb = rbuf_init(req->data, req->len);
	if (rbuf_u8(ret_rb) != DCMI_GROUP_ID || ret_rb->err) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_CMD);
		return false;
	}
	if (req->len < min_len || req->len > max_len) {
		ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
		return false;
	}
	ipmi_rsp_u8(rsp, DCMI_GROUP_ID);
	return true;
}

/* ---- Get DCMI Capability Info (DCMI 1.5 §6.1.1) --------------------------------------- */

/* Which temperature entities have sensors: bit 0 inlet, 1 CPU, 2 baseboard. */
static uint8_t temperature_entities(struct bmc *bmc)
{
	static const uint8_t entities[] = { BMC_DCMI_ENTITY_INLET, BMC_DCMI_ENTITY_CPU,
					    BMC_DCMI_ENTITY_BASEBOARD };
	struct bmc_dcmi_temp t[BMC_DCMI_TEMPS_MAX];
	uint8_t bits = 0;

	for (unsigned i = 0; i < sizeof(entities); i++) {
		if (bmc_dcmi_temperatures(bmc, entities[i], t, BMC_DCMI_TEMPS_MAX) > 0)
			bits |= (uint8_t)(1u << i);
	}
	return bits;
}

/* Parameter 2: SEL (entries, no rollover: a full SEL stops logging), identification (GUID,
 * asset tag), temperature monitoring, temperature sampling period in seconds. */
static void cap_mandatory_attributes(struct bmc *bmc, struct wbuf *w)
{
	struct bmc_sel_info info = { .capacity = BMC_SEL_CAPACITY_DEFAULT };

	(void)bmc_sel_info(bmc, &info);
	wbuf_u16le(w, (uint16_t)(info.capacity > DCMI_SEL_ENTRIES_MASK ? DCMI_SEL_ENTRIES_MASK
									  : info.capacity));
	wbuf_u8(w, 0x05); /* GUID, asset tag; no DHCP host name */
	wbuf_u8(w, temperature_entities(bmc));
	wbuf_u8(w, 1);
}

/* Returns false for an unsupported parameter. Bits that parameter revision 02h reserves
 * (the mandatory capabilities of parameter 1) are still set for DCMI 1.0/1.1 readers such as
 * ipmitool, which print them. */
static bool cap_param(struct bmc *bmc, uint8_t param, struct wbuf *w)
{
	switch (param) {
	case 1: /* identification, SEL, chassis power, temperature; power management; LAN */
		wbuf_u8(w, 0x0F);
		wbuf_u8(w, 0x01);
		wbuf_u8(w, 0x08); /* primary LAN out of band; no in-band interface, SOL yet */
		return true;
	case 2:
		cap_mandatory_attributes(bmc, w);
		return true;
	case 3: /* power management controller: the BMC (0x20 in bits 7:1), channel 0, rev 0 */
		wbuf_u8(w, 0x20 << 1);
		wbuf_u8(w, 0x00);
		return true;
	case 4: /* primary LAN channel 1; no secondary LAN, no serial */
		wbuf_u8(w, IPMI_CHANNEL_LAN);
		wbuf_u8(w, 0xFF);
		wbuf_u8(w, 0xFF);
		return true;
	case 5:
		wbuf_u8(w, sizeof(rolling_periods));
		wbuf_bytes(w, rolling_periods, sizeof(rolling_periods));
		return true;
	default:
		return false;
	}
}

static void get_capability_info(struct bmc *bmc, const struct ipmi_req *req,
				struct ipmi_rsp *rsp)
{
	uint8_t buf[32];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	struct rbuf rb;

	if (!dcmi_begin(req, rsp, 2, 2, &rb))
		return;
	uint8_t param = rbuf_u8(&rb);
	wbuf_u8(&w, DCMI_SPEC_MAJOR);
	wbuf_u8(&w, DCMI_SPEC_MINOR);
	wbuf_u8(&w, DCMI_PARAM_REVISION);
	if (!cap_param(bmc, param, &w)) {
		ipmi_rsp_cc(rsp, DCMI_CC_PARAM_NOT_SUPPORTED);
		return;
	}
	ipmi_rsp_bytes(rsp, buf, w.len);
}

/* ---- Get Power Reading (DCMI 1.5 §6.6.1) ---------------------------------------------- */

/* A rolling average period byte as seconds, if it is one of ours; else 0. */
static uint32_t rolling_period_sec(uint8_t b)
{
	static const uint32_t unit_sec[4] = { 1, 60, 3600, 86400 };

	for (unsigned i = 0; i < sizeof(rolling_periods); i++) {
		if (rolling_periods[i] == b)
			return (b & 0x3F) * unit_sec[b >> 6];
	}
	return 0;
}

/* Request: mode, mode attributes (the rolling period in mode 2), reserved. */
static void get_power_reading(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct bmc_dcmi_power_stats s;
	uint8_t buf[17];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	struct rbuf rb;
	uint32_t period = 0;

	if (!dcmi_begin(req, rsp, 4, 4, &rb))
		return;
	uint8_t mode = rbuf_u8(&rb);
	uint8_t attr = rbuf_u8(&rb);
	if (mode == DCMI_POWER_MODE_ENHANCED)
		period = rolling_period_sec(attr);
	if ((mode != DCMI_POWER_MODE_STATS && mode != DCMI_POWER_MODE_ENHANCED) ||
	    (mode == DCMI_POWER_MODE_ENHANCED && !period)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	bmc_dcmi_power_stats(bmc, period, &s);
	wbuf_u16le(&w, s.current);
	wbuf_u16le(&w, s.minimum);
	wbuf_u16le(&w, s.maximum);
	wbuf_u16le(&w, s.average);
	wbuf_u32le(&w, bmc_sel_time(bmc)); /* IPMI timestamp: the SEL clock */
	wbuf_u32le(&w, s.period_ms);
	wbuf_u8(&w, s.valid ? DCMI_POWER_MEASUREMENT_ACTIVE : 0);
	ipmi_rsp_bytes(rsp, buf, w.len);
}

/* ---- power limit (DCMI 1.5 §6.6.2-§6.6.4) --------------------------------------------- */

/* Get: reserved (2); response reserved (2), action, limit, correction time, reserved (2),
 * sampling period. Completion code 0x80 "no active power limit" still carries the data
 * (ipmitool reads it back to modify one field in `dcmi power set_limit`). */
static void get_power_limit(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	const struct bmc_dcmi_power_limit *l = &bmc->dcmi.limit;
	uint8_t buf[13];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	struct rbuf rb;

	if (!dcmi_begin(req, rsp, 3, 3, &rb))
		return;
	wbuf_zero(&w, 2);
	wbuf_u8(&w, l->exception_action);
	wbuf_u16le(&w, l->limit_watts);
	wbuf_u32le(&w, l->correction_ms);
	wbuf_zero(&w, 2);
	wbuf_u16le(&w, l->sampling_sec);
	ipmi_rsp_bytes(rsp, buf, w.len);
	if (!l->active) {
		rsp->cc = DCMI_CC_PARAM_NOT_SUPPORTED;
		rsp->keep_data = true;
	}
}

static uint8_t limit_cc(int r)
{
	switch (r) {
	case -EINVAL:
		return IPMI_CC_INVALID_FIELD;
	case -ERANGE:
		return DCMI_CC_LIMIT_OUT_OF_RANGE;
	case -ETIME:
		return DCMI_CC_CORRECTION_OUT_OF_RANGE;
	case -EDOM:
		return DCMI_CC_STATS_PERIOD_OUT_OF_RANGE;
	default:
		return IPMI_CC_UNSPECIFIED;
	}
}

/* Set: reserved (3), action, limit, correction time, reserved (2), sampling period. */
static void set_power_limit(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct bmc_dcmi_power_limit l = { 0 };
	struct rbuf rb;

	if (!dcmi_begin(req, rsp, 15, 15, &rb))
		return;
	rbuf_skip(&rb, 3);
	l.exception_action = rbuf_u8(&rb);
	l.limit_watts = rbuf_u16le(&rb);
	l.correction_ms = rbuf_u32le(&rb);
	rbuf_skip(&rb, 2);
	l.sampling_sec = rbuf_u16le(&rb);
	int r = bmc_dcmi_power_limit_set(bmc, &l);
	if (r < 0)
		ipmi_rsp_cc(rsp, limit_cc(r));
}

/* Request: 01h activate / 00h deactivate, reserved (2). */
static void activate_power_limit(struct bmc *bmc, const struct ipmi_req *req,
				 struct ipmi_rsp *rsp)
{
	struct rbuf rb;

	if (!dcmi_begin(req, rsp, 4, 4, &rb))
		return;
	uint8_t activate = rbuf_u8(&rb);
	if (activate > 1) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (bmc_dcmi_power_limit_activate(bmc, activate) < 0)
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
}

/* ---- asset tag, MC identifier string (DCMI 1.5 §6.4.2-§6.4.6) ------------------------- */

typedef int (*chunk_read_fn)(struct bmc *bmc, uint8_t offset, uint8_t count, uint8_t *buf,
			     uint8_t *ret_total);
typedef int (*chunk_write_fn)(struct bmc *bmc, uint8_t offset, const uint8_t *data,
			      uint8_t len);

/* Request: offset, bytes to read (<= 16). Response: total length, the bytes. */
static void chunk_get(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp,
		      chunk_read_fn read)
{
	uint8_t data[BMC_DCMI_CHUNK_MAX];
	uint8_t total = 0;
	struct rbuf rb;

	if (!dcmi_begin(req, rsp, 3, 3, &rb))
		return;
	uint8_t offset = rbuf_u8(&rb);
	uint8_t count = rbuf_u8(&rb);
	int n = read(bmc, offset, count, data, &total);
	if (n < 0) {
		ipmi_rsp_cc(rsp, n == -ERANGE ? IPMI_CC_PARAM_OUT_OF_RANGE : IPMI_CC_UNSPECIFIED);
		return;
	}
	ipmi_rsp_u8(rsp, total);
	ipmi_rsp_bytes(rsp, data, (size_t)n);
}

/* Request: offset, bytes to write (<= 16), the bytes. Response: total length written. */
static void chunk_set(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp,
		      chunk_write_fn write)
{
	struct rbuf rb;

	if (!dcmi_begin(req, rsp, 3, 3 + BMC_DCMI_CHUNK_MAX, &rb))
		return;
	uint8_t offset = rbuf_u8(&rb);
	uint8_t count = rbuf_u8(&rb);
	if (count != rbuf_left(&rb)) {
		ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
		return;
	}
	int r = write(bmc, offset, rbuf_take(&rb, count), count);
	if (r < 0) {
		ipmi_rsp_cc(rsp, r == -ERANGE ? IPMI_CC_PARAM_OUT_OF_RANGE : IPMI_CC_UNSPECIFIED);
		return;
	}
	ipmi_rsp_u8(rsp, (uint8_t)r);
}

static void get_asset_tag(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	chunk_get(bmc, req, rsp, bmc_dcmi_asset_tag_read);
}

static void set_asset_tag(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	chunk_set(bmc, req, rsp, bmc_dcmi_asset_tag_write);
}

static void get_mc_id_string(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	chunk_get(bmc, req, rsp, bmc_dcmi_mc_id_read);
}

static void set_mc_id_string(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	chunk_set(bmc, req, rsp, bmc_dcmi_mc_id_write);
}

/* ---- temperature sensors (DCMI 1.5 §6.7) ---------------------------------------------- */

/* Request: sensor type (01h temperature), entity ID, entity instance, instance start. Reads
 * the sensors into t (all, or only those with a reading) and selects what was asked for. */
static bool temp_request(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp,
			 bool readings_only, struct bmc_dcmi_temp *t, size_t *ret_n,
			 size_t *ret_first, size_t *ret_count)
{
	struct rbuf rb;
	size_t n = 0;

	if (!dcmi_begin(req, rsp, 5, 5, &rb))
		return false;
	uint8_t type = rbuf_u8(&rb);
	uint8_t entity = rbuf_u8(&rb);
	uint8_t instance = rbuf_u8(&rb);
	uint8_t start = rbuf_u8(&rb);
	int found = bmc_dcmi_temperatures(bmc, entity, t, BMC_DCMI_TEMPS_MAX);
	if (type != DCMI_SENSOR_TYPE_TEMPERATURE || found < 0) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return false;
	}
	for (int i = 0; i < found; i++) {
		if (!readings_only || t[i].valid)
			t[n++] = t[i];
	}
	*ret_n = n;
	/* An instance that is not there is an empty answer, not an error: ipmitool 1.8.19 asks
	 * for instance 8, 16, ... and loops forever on an error. */
	*ret_count = bmc_dcmi_temp_select(t, n, instance, start, ret_first);
	return true;
}

/* Response: total instances, number of record IDs (<= 8), the record IDs (LS first). */
static void get_sensor_info(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct bmc_dcmi_temp t[BMC_DCMI_TEMPS_MAX];
	size_t n, first, count;

	if (!temp_request(bmc, req, rsp, false, t, &n, &first, &count))
		return;
	ipmi_rsp_u8(rsp, (uint8_t)n);
	ipmi_rsp_u8(rsp, (uint8_t)count);
	for (size_t i = first; i < first + count; i++) {
		ipmi_rsp_u8(rsp, (uint8_t)t[i].record_id);
		ipmi_rsp_u8(rsp, (uint8_t)(t[i].record_id >> 8));
	}
}

/* DCMI temperature byte: bit 7 sign, bits 6:0 magnitude in degrees C. */
static uint8_t temp_byte(int16_t c)
{
	int mag = c < 0 ? -c : c;

	if (mag > 0x7F)
		mag = 0x7F;
	return (uint8_t)((c < 0 ? 0x80 : 0x00) | mag);
}

/* Response: total instances, number of sets (<= 8), per set the temperature and the entity
 * instance (2 bytes, as ipmitool reads them; commands.md §6.5). Only sensors with a reading
 * count. */
static void get_temperature_readings(struct bmc *bmc, const struct ipmi_req *req,
				     struct ipmi_rsp *rsp)
{
	struct bmc_dcmi_temp t[BMC_DCMI_TEMPS_MAX];
	size_t n, first, count;

	if (!temp_request(bmc, req, rsp, true, t, &n, &first, &count))
		return;
	ipmi_rsp_u8(rsp, (uint8_t)n);
	ipmi_rsp_u8(rsp, (uint8_t)count);
	for (size_t i = first; i < first + count; i++) {
		ipmi_rsp_u8(rsp, temp_byte(t[i].celsius));
		ipmi_rsp_u8(rsp, t[i].entity_instance);
	}
}

/* Lengths are checked by dcmi_begin after the group ID (min_len/max_len 0 here). Privileges as
 * DCMI 1.5 table 6-1: reads User, power limit and asset tag Operator, MC ID string Admin. */
const struct ipmi_cmd ipmi_dcmi_cmds[] = {
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_CAPABILITY_INFO, 0, 0, IPMI_PRIV_USER,
	  get_capability_info },
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_POWER_READING, 0, 0, IPMI_PRIV_USER, get_power_reading },
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_POWER_LIMIT, 0, 0, IPMI_PRIV_USER, get_power_limit },
	{ IPMI_NETFN_GROUP, DCMI_CMD_SET_POWER_LIMIT, 0, 0, IPMI_PRIV_OPERATOR, set_power_limit },
	{ IPMI_NETFN_GROUP, DCMI_CMD_ACTIVATE_POWER_LIMIT, 0, 0, IPMI_PRIV_OPERATOR,
	  activate_power_limit },
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_ASSET_TAG, 0, 0, IPMI_PRIV_USER, get_asset_tag },
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_SENSOR_INFO, 0, 0, IPMI_PRIV_USER, get_sensor_info },
	{ IPMI_NETFN_GROUP, DCMI_CMD_SET_ASSET_TAG, 0, 0, IPMI_PRIV_OPERATOR, set_asset_tag },
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_MC_ID_STRING, 0, 0, IPMI_PRIV_USER, get_mc_id_string },
	{ IPMI_NETFN_GROUP, DCMI_CMD_SET_MC_ID_STRING, 0, 0, IPMI_PRIV_ADMIN, set_mc_id_string },
	{ IPMI_NETFN_GROUP, DCMI_CMD_GET_TEMPERATURE_READINGS, 0, 0, IPMI_PRIV_USER,
	  get_temperature_readings },
};

const size_t ipmi_dcmi_cmds_n = sizeof(ipmi_dcmi_cmds) / sizeof(ipmi_dcmi_cmds[0]);
