/* Storage netFn (0x0A/0x0B) FRU inventory commands (IPMI 2.0 §34.1-34.3, commands.md §4.1):
 * Get FRU Inventory Area Info, Read FRU Data, Write FRU Data. The handlers decode the request
 * through the bounded reader and call the FRU model in bmc/fru.c, which owns the image, the
 * rules for checked writes and persistence. Lengths and privileges are checked by the
 * dispatcher from the table at the bottom. */
#include <errno.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_GET_FRU_INVENTORY_AREA_INFO = 0x10,
	IPMI_CMD_READ_FRU_DATA = 0x11,
	IPMI_CMD_WRITE_FRU_DATA = 0x12,
};

#define FRU_ACCESS_BY_BYTES 0x00 /* Get FRU Inventory Area Info byte 4 bit 0 */

/* The one place FRU model errors become completion codes. A write refused for leaving a bad
 * header, area or checksum is "invalid data field in request": not 0x80 (write-protected
 * offset), which ipmitool treats as "skip this block" and reports as success. */
static uint8_t fru_cc(int r)
{
	switch (r) {
	case -ENXIO:
		return IPMI_CC_NOT_PRESENT;
	case -ERANGE:
		return IPMI_CC_PARAM_OUT_OF_RANGE;
	case -EBADMSG:
		return IPMI_CC_INVALID_FIELD;
	default:
		return IPMI_CC_UNSPECIFIED;
	}
}

/* IPMI 2.0 §34.1: byte 1 FRU device ID. Reply: size in bytes (LS first), access by bytes. */
static void get_fru_inventory_area_info(struct bmc *bmc, const struct ipmi_req *req,
					struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	int size = bmc_fru_area_size(bmc, rbuf_u8(&rb));
	uint8_t buf[3];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	if (size < 0) {
		ipmi_rsp_cc(rsp, fru_cc(size));
		return;
	}
	wbuf_u16le(&w, (uint16_t)size);
	wbuf_u8(&w, FRU_ACCESS_BY_BYTES);
	ipmi_rsp_bytes(rsp, buf, w.len);
}

/* IPMI 2.0 §34.2: byte 1 FRU ID, bytes 2-3 offset (LS first), byte 4 count. Reply: count
 * returned (fewer at the end of the device), then the data. */
static void read_fru_data(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t fru_id = rbuf_u8(&rb);
	uint16_t offset = rbuf_u16le(&rb);
	uint8_t count = rbuf_u8(&rb);
	uint8_t data[IPMI_MAX_RSP_DATA];

	if (1 + (size_t)count > IPMI_MAX_RSP_DATA) {
		ipmi_rsp_cc(rsp, IPMI_CC_CANT_RETURN_BYTES); /* clients retry with less */
		return;
	}
	int n = bmc_fru_read(bmc, fru_id, offset, data, count);
	if (n < 0) {
		ipmi_rsp_cc(rsp, fru_cc(n));
		return;
	}
	ipmi_rsp_u8(rsp, (uint8_t)n);
	ipmi_rsp_bytes(rsp, data, (size_t)n);
}

/* IPMI 2.0 §34.3: byte 1 FRU ID, bytes 2-3 offset (LS first), bytes 4.. the data. Reply:
 * count written. The model persists before returning when the write completes an image. */
static void write_fru_data(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t fru_id = rbuf_u8(&rb);
	uint16_t offset = rbuf_u16le(&rb);
	size_t len = rbuf_left(&rb);
	const uint8_t *data = rbuf_take(&rb, len);

	int n = bmc_fru_write(bmc, fru_id, offset, data, len);
	if (n < 0) {
		ipmi_rsp_cc(rsp, fru_cc(n));
		return;
	}
	ipmi_rsp_u8(rsp, (uint8_t)n);
}

const struct ipmi_cmd ipmi_fru_cmds[] = {
	{ IPMI_NETFN_STORAGE, IPMI_CMD_GET_FRU_INVENTORY_AREA_INFO, 1, 1, IPMI_PRIV_USER,
	  get_fru_inventory_area_info },
	{ IPMI_NETFN_STORAGE, IPMI_CMD_READ_FRU_DATA, 4, 4, IPMI_PRIV_USER, read_fru_data },
	/* At least one data byte; at most what a request carries (IPMI_MAX_REQ_DATA - 3). */
	{ IPMI_NETFN_STORAGE, IPMI_CMD_WRITE_FRU_DATA, 4, 0, IPMI_PRIV_OPERATOR, write_fru_data },
};

const size_t ipmi_fru_cmds_n = sizeof(ipmi_fru_cmds) / sizeof(ipmi_fru_cmds[0]);
