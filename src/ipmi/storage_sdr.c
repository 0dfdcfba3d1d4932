/* Storage netFn (0x0A/0x0B) SDR repository commands (IPMI 2.0 §33; commands.md §4.2): info,
 * allocation info, reservation, Get SDR with partial reads, repository time. The repository's
 * content is fixed by the profile (bmc/sdr.c), so Add/Delete/Clear SDR and update mode are not
 * offered (0xC1 from the dispatcher) and the info says so. */
#include <errno.h>

#include "bmc/bmc.h"
#include "bmc/sdr.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_GET_SDR_REPOSITORY_INFO = 0x20,
	IPMI_CMD_GET_SDR_REPOSITORY_ALLOC_INFO = 0x21,
	IPMI_CMD_RESERVE_SDR_REPOSITORY = 0x22,
	IPMI_CMD_GET_SDR = 0x23,
	IPMI_CMD_GET_SDR_REPOSITORY_TIME = 0x28,
};

/* Get SDR Repository Info byte 15: no overflow, update modes unspecified, no Delete or
 * Partial Add; Reserve and Get Allocation Info supported. */
#define SDR_OPS_RESERVE 0x02
#define SDR_OPS_ALLOC_INFO 0x01
#define GET_SDR_WHOLE_RECORD 0xFF
#define SDR_RSP_OVERHEAD 2 /* next record ID */

static bool no_data(const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (req->len == 0)
		return true;
	ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
	return false;
}

static void rsp_u16le(struct ipmi_rsp *rsp, uint16_t v)
{
	ipmi_rsp_u8(rsp, (uint8_t)v);
	ipmi_rsp_u8(rsp, (uint8_t)(v >> 8));
}

static void rsp_u32le(struct ipmi_rsp *rsp, uint32_t v)
{
	rsp_u16le(rsp, (uint16_t)v);
	rsp_u16le(rsp, (uint16_t)(v >> 16));
}

/* IPMI 2.0 §33.9. The content never changes at run time: addition and erase timestamps are
 * the repository's own (sdr.h), so cached copies stay valid until the profile changes. */
static void get_sdr_repository_info(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	if (!no_data(req, rsp))
		return;
	ipmi_rsp_u8(rsp, BMC_SDR_VERSION);
	rsp_u16le(rsp, bmc_sdr_count(bmc));
	rsp_u16le(rsp, 0x0000); /* free space: none, records are not added at run time */
	rsp_u32le(rsp, bmc_sdr_timestamp(bmc));
	rsp_u32le(rsp, bmc_sdr_timestamp(bmc));
	ipmi_rsp_u8(rsp, SDR_OPS_RESERVE | SDR_OPS_ALLOC_INFO);
}

/* IPMI 2.0 §33.10: one allocation unit per record, all in use. */
static void get_sdr_repository_alloc_info(struct bmc *bmc, const struct ipmi_req *req,
					  struct ipmi_rsp *rsp)
{
	if (!no_data(req, rsp))
		return;
	rsp_u16le(rsp, bmc_sdr_count(bmc));  /* allocation units */
	rsp_u16le(rsp, BMC_SDR_MAX_RECORD);  /* unit size in bytes */
	rsp_u16le(rsp, 0);                   /* free units */
	rsp_u16le(rsp, 0);                   /* largest free block */
	ipmi_rsp_u8(rsp, 1);                 /* maximum record size in units */
}

static void reserve_sdr_repository(struct bmc *bmc, const struct ipmi_req *req,
				   struct ipmi_rsp *rsp)
{
	if (no_data(req, rsp))
		rsp_u16le(rsp, bmc_sdr_reserve(bmc));
}

/* IPMI 2.0 §33.12: the reservation only matters for partial reads at a non-zero offset; a
 * count past the record's end is cut to it, an offset past the end is out of range. */
static void get_sdr(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint16_t reservation = rbuf_u16le(&rb), id = rbuf_u16le(&rb);
	uint8_t offset = rbuf_u8(&rb), count = rbuf_u8(&rb);
	uint8_t rec[BMC_SDR_MAX_RECORD];
	size_t len = 0;
	uint16_t next = 0;

	if (offset != 0 && !bmc_sdr_reservation_ok(bmc, reservation)) {
		ipmi_rsp_cc(rsp, IPMI_CC_RESERVATION);
		return;
	}
	if (bmc_sdr_get(bmc, id, rec, &len, &next) < 0) {
		ipmi_rsp_cc(rsp, IPMI_CC_NOT_PRESENT);
		return;
	}
	if (offset > len) {
		ipmi_rsp_cc(rsp, IPMI_CC_PARAM_OUT_OF_RANGE);
		return;
	}
	size_t n = len - offset;
	if (count != GET_SDR_WHOLE_RECORD && count < n)
		n = count;
	if (n + SDR_RSP_OVERHEAD > IPMI_MAX_RSP_DATA) {
		ipmi_rsp_cc(rsp, IPMI_CC_CANT_RETURN_BYTES);
		return;
	}
	rsp_u16le(rsp, next);
	ipmi_rsp_bytes(rsp, rec + offset, n);
}

/* IPMI 2.0 §33.13: the repository shares the SEL clock (set with Set SEL Time). */
static void get_sdr_repository_time(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	if (no_data(req, rsp))
		rsp_u32le(rsp, bmc_sel_time(bmc));
}

/* Privileges per commands.md §4. */
const struct ipmi_cmd ipmi_sdr_cmds[] = {
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR_REPOSITORY_INFO, 0, 0, IPMI_PRIV_USER,
	  get_sdr_repository_info },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR_REPOSITORY_ALLOC_INFO, 0, 0, IPMI_PRIV_USER,
	  get_sdr_repository_alloc_info },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_RESERVE_SDR_REPOSITORY, 0, 0, IPMI_PRIV_USER,
	  reserve_sdr_repository },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR, 6, 6, IPMI_PRIV_USER, get_sdr },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_SDR_REPOSITORY_TIME, 0, 0, IPMI_PRIV_USER,
	  get_sdr_repository_time },
};
const size_t ipmi_sdr_cmds_n = sizeof(ipmi_sdr_cmds) / sizeof(ipmi_sdr_cmds[0]);
