/* Sensor/Event netFn (0x04/0x05) command handlers (IPMI 2.0 §29, §35): event receiver,
 * Platform Event Message, and the sensor commands — reading, thresholds, hysteresis, reading
 * factors, event enables, re-arm, event status. Each handler decodes the request through the
 * bounded reader, calls the sensor model in bmc/sensors.c and encodes the response; lengths
 * and privileges are checked by the dispatcher from the table at the bottom. PEF (0x10-0x17)
 * belongs to a later issue. */
#include <errno.h>

#include "bmc/bmc.h"
#include "bmc/event.h"
#include "bmc/sdr.h"
#include "bmc/sensors.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_SET_EVENT_RECEIVER = 0x00,
	IPMI_CMD_GET_EVENT_RECEIVER = 0x01,
	IPMI_CMD_PLATFORM_EVENT = 0x02,
	IPMI_CMD_GET_SENSOR_READING_FACTORS = 0x23,
	IPMI_CMD_SET_SENSOR_HYSTERESIS = 0x24,
	IPMI_CMD_GET_SENSOR_HYSTERESIS = 0x25,
	IPMI_CMD_SET_SENSOR_THRESHOLDS = 0x26,
	IPMI_CMD_GET_SENSOR_THRESHOLDS = 0x27,
	IPMI_CMD_SET_SENSOR_EVENT_ENABLE = 0x28,
	IPMI_CMD_GET_SENSOR_EVENT_ENABLE = 0x29,
	IPMI_CMD_REARM_SENSOR_EVENTS = 0x2A,
	IPMI_CMD_GET_SENSOR_EVENT_STATUS = 0x2B,
	IPMI_CMD_GET_SENSOR_READING = 0x2D,
};

/* Get Sensor Reading byte 3 / Get Sensor Event Status byte 2 (IPMI 2.0 table 35-15). */
#define FLAG_EVENTS_ENABLED 0x80
#define FLAG_SCANNING_ENABLED 0x40
#define FLAG_UNAVAILABLE 0x20
/* "Reserved, returned as 1b": byte 4 bits 7:6 of threshold sensors, byte 5 bit 7 of discrete. */
#define THRESHOLD_STATUS_RESERVED 0xC0
#define DISCRETE_STATE2_RESERVED 0x80
#define EVM_REV_IPMI15 0x04          /* event message format revision of IPMI 1.5/2.0 */
#define EVM_REV_IPMI10 0x03
#define EVENT_DIR_DEASSERTION 0x80

/* The model's errors as completion codes (sensors.h). */
static uint8_t sensor_cc(int r)
{
	switch (r) {
	case 0:
		return IPMI_CC_OK;
	case -ENOENT:
		return IPMI_CC_NOT_PRESENT;
	case -EOPNOTSUPP:
		return IPMI_CC_ILLEGAL_FOR_SENSOR;
	case -EINVAL:
	case -EPERM:
		return IPMI_CC_INVALID_FIELD;
	default:
		return IPMI_CC_UNSPECIFIED;
	}
}

/* A threshold sensor by number, or a completion code in rsp. */
static const struct bmc_sensor *threshold_sensor(struct bmc *bmc, uint8_t number,
						 struct ipmi_rsp *rsp)
{
	const struct bmc_sensor *s = bmc_sensor_find(bmc, number);

	if (!s)
		ipmi_rsp_cc(rsp, IPMI_CC_NOT_PRESENT);
	else if (!bmc_sensor_is_threshold(s->def))
		ipmi_rsp_cc(rsp, IPMI_CC_ILLEGAL_FOR_SENSOR);
	else
		return s;
	return NULL;
}

static uint8_t flags_byte(bool events, bool scanning, bool unavailable)
{
	return (uint8_t)((events ? FLAG_EVENTS_ENABLED : 0) | (scanning ? FLAG_SCANNING_ENABLED : 0) |
			 (unavailable ? FLAG_UNAVAILABLE : 0));
}

static void rsp_u16le(struct ipmi_rsp *rsp, uint16_t v)
{
	ipmi_rsp_u8(rsp, (uint8_t)v);
	ipmi_rsp_u8(rsp, (uint8_t)(v >> 8));
}

/* ---- event receiver and Platform Event Message (IPMI 2.0 §29.1-§29.3) ----------------------- */

/* Byte 1 receiver slave address (0xFF = disable event message generation), byte 2 LUN. */
static void set_event_receiver(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);

	bmc->sensors.event_receiver = rbuf_u8(&rb);
	bmc->sensors.event_receiver_lun = rbuf_u8(&rb) & 0x03;
}

static void get_event_receiver(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (req->len != 0) {
		ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
		return;
	}
	ipmi_rsp_u8(rsp, bmc->sensors.event_receiver);
	ipmi_rsp_u8(rsp, bmc->sensors.event_receiver_lun);
}

/* 8 bytes from the system interface (generator ID first: the host software's ID), 7 over LAN
 * (the requester, the console's software ID, is the generator); then EvM revision, sensor
 * type, number, direction | type, event data 1-3. The SEL record names the generator and its
 * channel (§32.1: channel 0 for the system interface). */
static void platform_event(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	struct bmc_event ev = { 0 };

	if (req->len == 8) {
		ev.generator_id = rbuf_u8(&rb);
		ev.generator_channel_lun = 0x00;
	} else {
		ev.generator_id = req->rq_addr;
		ev.generator_channel_lun = (uint8_t)((req->channel & 0x0F) << 4 | (req->rq_lun & 3));
	}
	uint8_t rev = rbuf_u8(&rb);
	ev.sensor_type = rbuf_u8(&rb);
	ev.sensor_num = rbuf_u8(&rb);
	uint8_t dir_type = rbuf_u8(&rb);
	rbuf_copy(&rb, ev.data, sizeof(ev.data));
	if (rb.err || (rev != EVM_REV_IPMI15 && rev != EVM_REV_IPMI10)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	ev.deassertion = dir_type & EVENT_DIR_DEASSERTION;
	ev.event_type = dir_type & 0x7F;
	int r = bmc_event_log(bmc, &ev);
	if (r == -ENOSPC)
		ipmi_rsp_cc(rsp, IPMI_CC_OUT_OF_SPACE);
	else if (r < 0)
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
}

/* ---- readings (IPMI 2.0 §35.14, §35.5) ------------------------------------------------------ */

static void get_sensor_reading(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t number = rbuf_u8(&rb);
	struct bmc_sensor_reading rd;
	int r = bmc_sensor_get_reading(bmc, number, &rd);

	if (r < 0) {
		ipmi_rsp_cc(rsp, sensor_cc(r));
		return;
	}
	const struct bmc_sensor *s = bmc_sensor_find(bmc, number);
	ipmi_rsp_u8(rsp, rd.raw);
	ipmi_rsp_u8(rsp, flags_byte(rd.events_enabled, rd.scanning_enabled, rd.unavailable));
	if (bmc_sensor_is_threshold(s->def)) {
		ipmi_rsp_u8(rsp, (uint8_t)(THRESHOLD_STATUS_RESERVED | (rd.state & 0x3F)));
	} else {
		ipmi_rsp_u8(rsp, (uint8_t)rd.state);
		ipmi_rsp_u8(rsp, (uint8_t)(DISCRETE_STATE2_RESERVED | ((rd.state >> 8) & 0x7F)));
	}
}

/* Byte 2 is the raw reading the factors are asked for: linear sensors echo it as the next
 * reading at which the factors change. */
static void get_sensor_reading_factors(struct bmc *bmc, const struct ipmi_req *req,
				       struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t number = rbuf_u8(&rb), reading = rbuf_u8(&rb);
	const struct bmc_sensor *s = threshold_sensor(bmc, number, rsp);
	uint8_t factors[6];

	if (!s)
		return;
	bmc_sdr_factors(s->def, factors);
	ipmi_rsp_u8(rsp, reading);
	ipmi_rsp_bytes(rsp, factors, sizeof(factors));
}

/* ---- thresholds and hysteresis (IPMI 2.0 §35.6-§35.9) --------------------------------------- */

static void set_sensor_thresholds(struct bmc *bmc, const struct ipmi_req *req,
				  struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t number = rbuf_u8(&rb), mask = rbuf_u8(&rb);
	uint8_t raw[BMC_THR_MAX];

	rbuf_copy(&rb, raw, sizeof(raw)); /* LNC, LCR, LNR, UNC, UCR, UNR */
	ipmi_rsp_cc(rsp, sensor_cc(bmc_sensor_set_thresholds(bmc, number, mask, raw)));
}

static void get_sensor_thresholds(struct bmc *bmc, const struct ipmi_req *req,
				  struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	const struct bmc_sensor *s = threshold_sensor(bmc, rbuf_u8(&rb), rsp);

	if (!s)
		return;
	ipmi_rsp_u8(rsp, s->def->readable);
	for (int i = 0; i < BMC_THR_MAX; i++)
		ipmi_rsp_u8(rsp, (s->def->readable & (1u << i)) ? s->thr[i] : 0);
}

/* Byte 2 is reserved (0xFF); bytes 3-4 positive- and negative-going hysteresis. */
static void set_sensor_hysteresis(struct bmc *bmc, const struct ipmi_req *req,
				  struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t number = rbuf_u8(&rb);

	(void)rbuf_u8(&rb);
	uint8_t pos = rbuf_u8(&rb), neg = rbuf_u8(&rb);
	ipmi_rsp_cc(rsp, sensor_cc(bmc_sensor_set_hysteresis(bmc, number, pos, neg)));
}

static void get_sensor_hysteresis(struct bmc *bmc, const struct ipmi_req *req,
				  struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	const struct bmc_sensor *s = threshold_sensor(bmc, rbuf_u8(&rb), rsp);

	if (!s)
		return;
	ipmi_rsp_u8(rsp, s->hyst_pos);
	ipmi_rsp_u8(rsp, s->hyst_neg);
}

/* ---- event enables, re-arm, event status (IPMI 2.0 §35.10-§35.13) --------------------------- */

/* Optional 16-bit masks: a missing byte reads as 0. */
static uint16_t opt_u16(struct rbuf *rb)
{
	uint16_t lo = rbuf_left(rb) >= 1 ? rbuf_u8(rb) : 0;
	uint16_t hi = rbuf_left(rb) >= 1 ? rbuf_u8(rb) : 0;
	return (uint16_t)(lo | hi << 8);
}

/* Byte 2: bit 7 all event messages, bit 6 scanning, bits 5:4 what the masks do. */
static void set_sensor_event_enable(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t number = rbuf_u8(&rb), flags = rbuf_u8(&rb);
	uint16_t as = opt_u16(&rb), de = opt_u16(&rb);
	uint8_t op = (flags >> 4) & 0x03;

	if (op == 0x03) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	int r = bmc_sensor_set_event_enable(bmc, number, flags & FLAG_EVENTS_ENABLED,
					    flags & FLAG_SCANNING_ENABLED, (enum bmc_enables_op)op,
					    as, de);
	ipmi_rsp_cc(rsp, sensor_cc(r));
}

static void get_sensor_event_enable(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	const struct bmc_sensor *s = bmc_sensor_find(bmc, rbuf_u8(&rb));

	if (!s) {
		ipmi_rsp_cc(rsp, IPMI_CC_NOT_PRESENT);
		return;
	}
	ipmi_rsp_u8(rsp, flags_byte(s->events_enabled, s->scanning_enabled, false));
	rsp_u16le(rsp, s->assert_enabled);
	rsp_u16le(rsp, s->deassert_enabled);
}

/* Byte 2 bit 7: 0 = re-arm all events, 1 = only those selected in the masks. */
static void rearm_sensor_events(struct bmc *bmc, const struct ipmi_req *req,
				struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t number = rbuf_u8(&rb), flags = rbuf_u8(&rb);
	uint16_t as = opt_u16(&rb), de = opt_u16(&rb);

	ipmi_rsp_cc(rsp, sensor_cc(bmc_sensor_rearm(bmc, number, flags & 0x80, as, de)));
}

static void get_sensor_event_status(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	const struct bmc_sensor *s = bmc_sensor_find(bmc, rbuf_u8(&rb));

	if (!s) {
		ipmi_rsp_cc(rsp, IPMI_CC_NOT_PRESENT);
		return;
	}
	ipmi_rsp_u8(rsp, flags_byte(s->events_enabled, s->scanning_enabled, !s->available));
	rsp_u16le(rsp, s->assert_status);
	rsp_u16le(rsp, s->deassert_status);
}

/* Privileges per commands.md §3. */
const struct ipmi_cmd ipmi_sensor_cmds[] = {
	{ IPMI_NETFN_SENSOR, IPMI_CMD_SET_EVENT_RECEIVER, 2, 2, IPMI_PRIV_ADMIN, set_event_receiver },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_EVENT_RECEIVER, 0, 0, IPMI_PRIV_USER, get_event_receiver },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_PLATFORM_EVENT, 7, 8, IPMI_PRIV_OPERATOR, platform_event },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_READING_FACTORS, 2, 2, IPMI_PRIV_USER,
	  get_sensor_reading_factors },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_SET_SENSOR_HYSTERESIS, 4, 4, IPMI_PRIV_OPERATOR,
	  set_sensor_hysteresis },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_HYSTERESIS, 1, 2, IPMI_PRIV_USER,
	  get_sensor_hysteresis },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_SET_SENSOR_THRESHOLDS, 8, 8, IPMI_PRIV_OPERATOR,
	  set_sensor_thresholds },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_THRESHOLDS, 1, 1, IPMI_PRIV_USER,
	  get_sensor_thresholds },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_SET_SENSOR_EVENT_ENABLE, 2, 6, IPMI_PRIV_OPERATOR,
	  set_sensor_event_enable },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_EVENT_ENABLE, 1, 1, IPMI_PRIV_USER,
	  get_sensor_event_enable },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_REARM_SENSOR_EVENTS, 2, 6, IPMI_PRIV_OPERATOR,
	  rearm_sensor_events },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_EVENT_STATUS, 1, 1, IPMI_PRIV_USER,
	  get_sensor_event_status },
	{ IPMI_NETFN_SENSOR, IPMI_CMD_GET_SENSOR_READING, 1, 1, IPMI_PRIV_USER,
	  get_sensor_reading },
};
const size_t ipmi_sensor_cmds_n = sizeof(ipmi_sensor_cmds) / sizeof(ipmi_sensor_cmds[0]);
