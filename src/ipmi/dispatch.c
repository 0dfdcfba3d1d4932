/* The one dispatch path for every transport (LAN sessions now, the system interface later):
 * look the command up in the transport's table and then in the common tables, check LUN,
 * request length and privilege once, then run the handler. */
#include <string.h>

#include "bmc/bmc.h"
#include "ipmi/ipmi.h"

struct cmd_table {
	const struct ipmi_cmd *rows;
	const size_t *n;
};

static const struct ipmi_cmd *table_find(const struct ipmi_cmd *rows, size_t n, uint8_t netfn,
					 uint8_t cmd)
{
	for (size_t i = 0; i < n; i++) {
		if (rows[i].netfn == netfn && rows[i].cmd == cmd)
			return &rows[i];
	}
	return NULL;
}

static const struct ipmi_cmd *cmd_find(const struct ipmi_req *req)
{
	static const struct cmd_table common[] = {
		{ ipmi_app_cmds, &ipmi_app_cmds_n },
		{ ipmi_chassis_cmds, &ipmi_chassis_cmds_n },
		{ ipmi_watchdog_cmds, &ipmi_watchdog_cmds_n },
		{ ipmi_sensor_cmds, &ipmi_sensor_cmds_n },
		{ ipmi_sdr_cmds, &ipmi_sdr_cmds_n },
		{ ipmi_sel_cmds, &ipmi_sel_cmds_n },
		{ ipmi_fru_cmds, &ipmi_fru_cmds_n },
		{ ipmi_transport_cmds, &ipmi_transport_cmds_n },
		{ ipmi_sol_cmds, &ipmi_sol_cmds_n },
		{ ipmi_sysinfo_cmds, &ipmi_sysinfo_cmds_n },
		{ ipmi_dcmi_cmds, &ipmi_dcmi_cmds_n },
	};
	const struct ipmi_cmd *row = NULL;

	if (req->transport)
		row = table_find(req->transport->cmds, req->transport->n_cmds, req->netfn, req->cmd);
	for (size_t i = 0; !row && i < sizeof(common) / sizeof(common[0]); i++)
		row = table_find(common[i].rows, *common[i].n, req->netfn, req->cmd);
	return row;
}

void ipmi_dispatch(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	rsp->cc = IPMI_CC_OK;
	rsp->len = 0;
	rsp->keep_data = false;

	const struct ipmi_cmd *row = cmd_find(req);
	if (!row) {
		rsp->cc = IPMI_CC_INVALID_CMD;
		return;
	}
	if (req->lun != 0) {
		rsp->cc = IPMI_CC_INVALID_LUN;
		return;
	}
	if (row->priv != IPMI_PRIV_NONE && req->priv < row->priv) {
		rsp->cc = IPMI_CC_INSUFFICIENT_PRIV;
		return;
	}
	size_t max_len = row->max_len ? row->max_len : IPMI_MAX_REQ_DATA;
	if (req->len < row->min_len || req->len > max_len) {
		rsp->cc = IPMI_CC_REQ_LEN_INVALID;
		return;
	}
	row->handler(bmc, req, rsp);
	if (rsp->cc != IPMI_CC_OK && !rsp->keep_data)
		rsp->len = 0; /* a non-zero completion code carries no data */
}

void ipmi_rsp_u8(struct ipmi_rsp *rsp, uint8_t v)
{
	if (rsp->len < sizeof(rsp->data))
		rsp->data[rsp->len++] = v;
	else
		rsp->cc = IPMI_CC_CANT_RETURN_BYTES;
}

void ipmi_rsp_bytes(struct ipmi_rsp *rsp, const void *p, size_t n)
{
	if (n > sizeof(rsp->data) - rsp->len) {
		rsp->cc = IPMI_CC_CANT_RETURN_BYTES;
		return;
	}
	memcpy(rsp->data + rsp->len, p, n);
	rsp->len += n;
}
