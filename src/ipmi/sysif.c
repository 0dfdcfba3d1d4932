/* The system interface transport (see sysif.h): its own commands — the message flags and
 * the receive and event message queues of IPMI 2.0 §22.4-22.8 — ahead of the common table. The
 * BMC has no messages to queue for the host (no bridging, the event message buffer is not
 * filled), so Get Message and Read Event Message Buffer answer 0x80 "data not available"; the
 * flag that does get set is the watchdog pre-timeout (bmc/watchdog.c). */
#include "ipmi/sysif.h"

#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"
#include "ipmi/ipmi.h"

enum {
	SYSIF_CLEAR_MESSAGE_FLAGS = 0x30,
	SYSIF_GET_MESSAGE_FLAGS = 0x31,
	SYSIF_GET_MESSAGE = 0x33,
	SYSIF_READ_EVENT_MESSAGE_BUFFER = 0x35,
};

/* §22.6, §22.8: the queue is empty. */
#define CC_DATA_NOT_AVAILABLE 0x80

/* Flags this BMC can clear (§22.3 request byte): receive queue, event buffer, pre-timeout;
 * the OEM bits 5-7 are accepted and have nothing behind them. */
#define MSG_FLAGS_CLEARABLE 0xEB

static void sysif_clear_message_flags(struct bmc *bmc, const struct ipmi_req *req,
				      struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t clear = rbuf_u8(&r);

	if (r.err || (clear & ~MSG_FLAGS_CLEARABLE)) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (clear & bmc->msg_flags & BMC_MSG_FLAG_WATCHDOG_PRETIMEOUT)
		log_info("%s%ssystem interface: the host cleared the watchdog pre-timeout flag",
			 bmc->name, bmc->name[0] ? ": " : "");
	bmc_msg_flags_clear(bmc, clear);
}

static void sysif_get_message_flags(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	(void)req;
	ipmi_rsp_u8(rsp, bmc->msg_flags);
}

static void sysif_queue_empty(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	(void)bmc;
	(void)req;
	ipmi_rsp_cc(rsp, CC_DATA_NOT_AVAILABLE);
}

#define SYSIF(cmd, min, max, fn) { IPMI_NETFN_APP, cmd, min, max, IPMI_PRIV_ADMIN, fn }
static const struct ipmi_cmd sysif_cmds[] = {
	SYSIF(SYSIF_CLEAR_MESSAGE_FLAGS, 1, 1, sysif_clear_message_flags),
	SYSIF(SYSIF_GET_MESSAGE_FLAGS, 0, 0, sysif_get_message_flags),
	SYSIF(SYSIF_GET_MESSAGE, 0, 0, sysif_queue_empty),
	SYSIF(SYSIF_READ_EVENT_MESSAGE_BUFFER, 0, 0, sysif_queue_empty),
};

static const struct ipmi_transport sysif_transport = {
	.name = "system interface",
	.cmds = sysif_cmds,
	.n_cmds = sizeof(sysif_cmds) / sizeof(sysif_cmds[0]),
};

size_t ipmi_sysif_handle(struct bmc *bmc, const uint8_t *req, size_t len, uint8_t *rsp,
			 size_t cap)
{
	struct ipmi_rsp out;

	if (len < 2 || cap < 3)
		return 0;
	struct ipmi_req in = {
		.netfn = req[0] >> 2,
		.lun = req[0] & 0x03,
		.cmd = req[1],
		.data = req + 2,
		.len = len - 2,
		.channel = IPMI_CHANNEL_SYSTEM,
		.priv = IPMI_PRIV_ADMIN,
		.transport = &sysif_transport,
	};
	if (in.netfn & 1) { /* a response netFn is not a request */
		out = (struct ipmi_rsp){ .cc = IPMI_CC_INVALID_CMD };
	} else if (in.len > IPMI_MAX_REQ_DATA) {
		out = (struct ipmi_rsp){ .cc = IPMI_CC_REQ_LEN_EXCEEDED };
	} else {
		ipmi_dispatch(bmc, &in, &out);
	}
	size_t n = 3 + out.len;
	if (n > cap)
		return 0;
	rsp[0] = (uint8_t)((in.netfn | 1) << 2 | in.lun);
	rsp[1] = in.cmd;
	rsp[2] = out.cc;
	memcpy(rsp + 3, out.data, out.len);
	if (bmc->reset_requested && bmc_reset(bmc, bmc->reset_requested == BMC_RESET_COLD) < 0)
		log_err("%s: reset failed to reload state", bmc->name);
	return n;
}
