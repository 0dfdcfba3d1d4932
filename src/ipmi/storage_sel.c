/* Storage netFn (0x0A/0x0B) SEL command handlers (IPMI 2.0 §31). Each handler decodes the
 * request through the bounded reader, calls the SEL model in bmc/sel.c and encodes the
 * response; records, reservations and the SEL clock live in the model. Lengths and privileges
 * (commands.md §4) are checked by the dispatcher from the table at the bottom. Partial Add SEL
 * Entry (0x45) is not implemented (Get SEL Info says so), so the dispatcher answers 0xC1. */
#include <errno.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_GET_SEL_INFO = 0x40,
	IPMI_CMD_GET_SEL_ALLOCATION_INFO = 0x41,
	IPMI_CMD_RESERVE_SEL = 0x42,
	IPMI_CMD_GET_SEL_ENTRY = 0x43,
	IPMI_CMD_ADD_SEL_ENTRY = 0x44,
	IPMI_CMD_DELETE_SEL_ENTRY = 0x46,
	IPMI_CMD_CLEAR_SEL = 0x47,
	IPMI_CMD_GET_SEL_TIME = 0x48,
	IPMI_CMD_SET_SEL_TIME = 0x49,
	IPMI_CMD_GET_SEL_TIME_UTC_OFFSET = 0x5C,
	IPMI_CMD_SET_SEL_TIME_UTC_OFFSET = 0x5D,
};

#define SEL_VERSION 0x51              /* IPMI 2.0 §31.2: "51h" (BCD 1.5, also for 2.0) */
#define SEL_OP_OVERFLOW 0x80          /* Get SEL Info byte 15 */
#define SEL_OP_DELETE 0x08
#define SEL_OP_RESERVE 0x02
#define SEL_OP_ALLOC_INFO 0x01
#define SEL_FREE_SPACE_MAX 0xFFFF     /* "65535 or more bytes free" */
#define SEL_READ_WHOLE 0xFF           /* Get SEL Entry: bytes to read = entire record */
#define CLEAR_INITIATE 0xAA
#define CLEAR_GET_STATUS 0x00
#define CLEAR_COMPLETED 0x01          /* erasure progress: erase completed */

/* Commands without request data: the table's max_len 0 means "no limit", so check here. */
static bool no_data(const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (req->len == 0)
		return true;
	ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
	return false;
}

/* The one place SEL model errors become completion codes (see bmc/sel.h). */
static uint8_t sel_cc(int r)
{
	switch (r) {
	case -ENOENT:
		return IPMI_CC_NOT_PRESENT;
	case -ENOSPC:
		return IPMI_CC_OUT_OF_SPACE;
	case -ESTALE:
		return IPMI_CC_RESERVATION;
	case -EINVAL:
		return IPMI_CC_INVALID_FIELD;
	default:
		return IPMI_CC_UNSPECIFIED;
	}
}

static void rsp_u16(struct ipmi_rsp *rsp, uint16_t v)
{
	ipmi_rsp_u8(rsp, (uint8_t)v);
	ipmi_rsp_u8(rsp, (uint8_t)(v >> 8));
}

static void rsp_u32(struct ipmi_rsp *rsp, uint32_t v)
{
	rsp_u16(rsp, (uint16_t)v);
	rsp_u16(rsp, (uint16_t)(v >> 16));
}

static uint16_t clamp_u16(uint64_t v)
{
	return v > 0xFFFF ? 0xFFFF : (uint16_t)v;
}

/* IPMI 2.0 §31.2: 14 data bytes (ipmitool insists on exactly that). */
static void get_sel_info(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct bmc_sel_info info;

	if (!no_data(req, rsp))
		return;
	int r = bmc_sel_info(bmc, &info);
	if (r < 0) {
		ipmi_rsp_cc(rsp, sel_cc(r));
		return;
	}
	uint64_t free_bytes = (uint64_t)(info.capacity - info.entries) * BMC_SEL_RECORD_LEN;
	if (info.entries > info.capacity)
		free_bytes = 0; /* the capacity was lowered below what the SEL holds */
	ipmi_rsp_u8(rsp, SEL_VERSION);
	rsp_u16(rsp, clamp_u16(info.entries));
	rsp_u16(rsp, free_bytes > SEL_FREE_SPACE_MAX ? SEL_FREE_SPACE_MAX : (uint16_t)free_bytes);
	rsp_u32(rsp, info.last_add);
	rsp_u32(rsp, info.last_erase);
	ipmi_rsp_u8(rsp, (uint8_t)((info.overflow ? SEL_OP_OVERFLOW : 0) | SEL_OP_DELETE |
				   SEL_OP_RESERVE | SEL_OP_ALLOC_INFO));
}

/* IPMI 2.0 §31.3: one allocation unit per 16-byte record. */
static void get_sel_allocation_info(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct bmc_sel_info info;

	if (!no_data(req, rsp))
		return;
	int r = bmc_sel_info(bmc, &info);
	if (r < 0) {
		ipmi_rsp_cc(rsp, sel_cc(r));
		return;
	}
	uint16_t free_units = info.entries < info.capacity ?
		clamp_u16(info.capacity - info.entries) : 0;
	rsp_u16(rsp, clamp_u16(info.capacity));
	rsp_u16(rsp, BMC_SEL_RECORD_LEN);
	rsp_u16(rsp, free_units);
	rsp_u16(rsp, free_units); /* largest free block: the free space is not fragmented */
	ipmi_rsp_u8(rsp, 1);      /* maximum record size, in allocation units */
}

/* IPMI 2.0 §31.4. */
static void reserve_sel(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (no_data(req, rsp))
		rsp_u16(rsp, bmc_sel_reserve(bmc));
}

/* IPMI 2.0 §31.5: bytes 1-2 reservation (checked only for a partial read, offset != 0),
 * 3-4 record ID, 5 offset, 6 bytes to read (0xFF: to the end of the record). */
static void get_sel_entry(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint16_t reservation = rbuf_u16le(&rb);
	uint16_t id = rbuf_u16le(&rb);
	uint8_t offset = rbuf_u8(&rb);
	uint8_t count = rbuf_u8(&rb);
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t next = 0;

	if (offset != 0 && !bmc_sel_reservation_ok(bmc, reservation)) {
		ipmi_rsp_cc(rsp, IPMI_CC_RESERVATION);
		return;
	}
	int r = bmc_sel_get(bmc, id, rec, &next);
	if (r < 0) {
		ipmi_rsp_cc(rsp, sel_cc(r));
		return;
	}
	if (offset >= BMC_SEL_RECORD_LEN) {
		ipmi_rsp_cc(rsp, IPMI_CC_PARAM_OUT_OF_RANGE);
		return;
	}
	struct rbuf rec_rb = rbuf_init(rec, sizeof(rec));
	rbuf_skip(&rec_rb, offset);
	size_t left = rbuf_left(&rec_rb);
	if (count == SEL_READ_WHOLE || count > left)
		count = (uint8_t)left; /* a read past the end returns what there is */
	rsp_u16(rsp, next);
	ipmi_rsp_bytes(rsp, rbuf_take(&rec_rb, count), count);
}

/* IPMI 2.0 §31.6: a complete 16-byte record; the reply is the record ID the SEL assigned. */
static void add_sel_entry(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t id = 0;

	rbuf_copy(&rb, rec, sizeof(rec));
	int r = bmc_sel_add(bmc, rec, &id);
	if (r < 0)
		ipmi_rsp_cc(rsp, sel_cc(r));
	else
		rsp_u16(rsp, id);
}

/* IPMI 2.0 §31.8: bytes 1-2 reservation, 3-4 record ID (aliases allowed). */
static void delete_sel_entry(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint16_t reservation = rbuf_u16le(&rb);
	uint16_t id = rbuf_u16le(&rb);
	uint16_t deleted = 0;

	int r = bmc_sel_delete(bmc, reservation, id, &deleted);
	if (r < 0)
		ipmi_rsp_cc(rsp, sel_cc(r));
	else
		rsp_u16(rsp, deleted);
}

/* IPMI 2.0 §31.9: bytes 1-2 reservation, 3-5 'C' 'L' 'R', 6 0xAA initiate / 0x00 status.
 * Erasing is immediate, so the status is always "completed". */
static void clear_sel(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	static const uint8_t clr[3] = { 'C', 'L', 'R' };
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint16_t reservation = rbuf_u16le(&rb);
	uint8_t magic[3];
	rbuf_copy(&rb, magic, sizeof(magic));
	uint8_t action = rbuf_u8(&rb);

	if (memcmp(magic, clr, sizeof(clr)) != 0 ||
	    (action != CLEAR_INITIATE && action != CLEAR_GET_STATUS)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (!bmc_sel_reservation_ok(bmc, reservation)) {
		ipmi_rsp_cc(rsp, IPMI_CC_RESERVATION);
		return;
	}
	if (action == CLEAR_INITIATE) {
		int r = bmc_sel_clear(bmc, reservation);
		if (r < 0) {
			ipmi_rsp_cc(rsp, sel_cc(r));
			return;
		}
	}
	ipmi_rsp_u8(rsp, CLEAR_COMPLETED);
}

/* IPMI 2.0 §31.10. */
static void get_sel_time(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (no_data(req, rsp))
		rsp_u32(rsp, bmc_sel_time(bmc));
}

/* IPMI 2.0 §31.11. */
static void set_sel_time(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	int r = bmc_sel_set_time(bmc, rbuf_u32le(&rb));

	if (r < 0)
		ipmi_rsp_cc(rsp, sel_cc(r));
}

/* IPMI 2.0 §31.11a: signed minutes, LS byte first; 0x7FFF = unspecified. */
static void get_sel_time_utc_offset(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	if (no_data(req, rsp))
		rsp_u16(rsp, (uint16_t)bmc->sel.utc_offset);
}

static void set_sel_time_utc_offset(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	int r = bmc_sel_set_utc_offset(bmc, (int16_t)rbuf_u16le(&rb));

	if (r < 0)
		ipmi_rsp_cc(rsp, sel_cc(r));
}

#define SEL(cmd, min, max, priv, fn) { IPMI_NETFN_STORAGE, cmd, min, max, priv, fn }

/* Privileges per commands.md §4 (OpenIPMI's table after the spec's). */
const struct ipmi_cmd ipmi_sel_cmds[] = {
	SEL(IPMI_CMD_GET_SEL_INFO, 0, 0, IPMI_PRIV_USER, get_sel_info),
	SEL(IPMI_CMD_GET_SEL_ALLOCATION_INFO, 0, 0, IPMI_PRIV_USER, get_sel_allocation_info),
	SEL(IPMI_CMD_RESERVE_SEL, 0, 0, IPMI_PRIV_USER, reserve_sel),
	SEL(IPMI_CMD_GET_SEL_ENTRY, 6, 6, IPMI_PRIV_USER, get_sel_entry),
	SEL(IPMI_CMD_ADD_SEL_ENTRY, 16, 16, IPMI_PRIV_OPERATOR, add_sel_entry),
	SEL(IPMI_CMD_DELETE_SEL_ENTRY, 4, 4, IPMI_PRIV_OPERATOR, delete_sel_entry),
	SEL(IPMI_CMD_CLEAR_SEL, 6, 6, IPMI_PRIV_OPERATOR, clear_sel),
	SEL(IPMI_CMD_GET_SEL_TIME, 0, 0, IPMI_PRIV_USER, get_sel_time),
	SEL(IPMI_CMD_SET_SEL_TIME, 4, 4, IPMI_PRIV_OPERATOR, set_sel_time),
	SEL(IPMI_CMD_GET_SEL_TIME_UTC_OFFSET, 0, 0, IPMI_PRIV_USER, get_sel_time_utc_offset),
	SEL(IPMI_CMD_SET_SEL_TIME_UTC_OFFSET, 2, 2, IPMI_PRIV_OPERATOR, set_sel_time_utc_offset),
};
const size_t ipmi_sel_cmds_n = sizeof(ipmi_sel_cmds) / sizeof(ipmi_sel_cmds[0]);
