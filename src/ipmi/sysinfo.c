/* Set/Get System Info Parameters (IPMI 2.0 §22.14a-b, App netFn 0x58/0x59): the byte layouts of
 * bmc/sysinfo.h's strings. `ipmitool mc getsysinfo/setsysinfo` and FreeIPMI `bmc-info
 * --get-system-info` read and write them; the host's OS sets its name in-band.
 *
 *   Get request:  [0] bit 7 = revision only (6:0 reserved), [1] parameter, [2] set selector,
 *                 [3] block selector (unused: no parameter here has blocks)
 *   Get response: revision 0x11, then parameter 0: the set state; a string: its set selector
 *                 and that 16-byte block (set 0: encoding, length, 14 bytes of string)
 *   Set request:  [0] parameter, then parameter 0: the set state; a string: set selector and
 *                 exactly one 16-byte block
 * Completion codes: 0x80 parameter not supported, 0x81 "set in progress" while it already is,
 * 0xC9 set selector past the 17 a 255-byte string needs, 0xCC reserved bits or encodings. */
#include <errno.h>

#include "bmc/bmc.h"
#include "bmc/sysinfo.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	CC_PARAM_NOT_SUPPORTED = 0x80,
	CC_SET_IN_PROGRESS = 0x81,
	APP_SET_SYSTEM_INFO = 0x58,
	APP_GET_SYSTEM_INFO = 0x59,
};

static void get_system_info(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf r = rbuf_init(req->data, req->len);
	uint8_t flags = rbuf_u8(&r), param = rbuf_u8(&r), set = rbuf_u8(&r);
	uint8_t block[BMC_SYSINFO_BLOCK];

	if (flags & 0x7F) {
		ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD);
		return;
	}
	if (param != BMC_SYSINFO_SET_IN_PROGRESS && !bmc_sysinfo_is_string(param)) {
		ipmi_rsp_cc(rsp, CC_PARAM_NOT_SUPPORTED);
		return;
	}
	ipmi_rsp_u8(rsp, BMC_SYSINFO_REVISION);
	if (flags & 0x80)
		return; /* the revision only */
	if (param == BMC_SYSINFO_SET_IN_PROGRESS) {
		ipmi_rsp_u8(rsp, bmc->sysinfo.set_state);
		return;
	}
	if (bmc_sysinfo_get_block(bmc, param, set, block) < 0) {
		ipmi_rsp_cc(rsp, IPMI_CC_PARAM_OUT_OF_RANGE);
		return;
	}
	ipmi_rsp_u8(rsp, set);
	ipmi_rsp_bytes(rsp, block, sizeof(block));
}

static void set_system_info(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	uint8_t param = req->data[0];
	const uint8_t *data = req->data + 1;
	size_t len = req->len - 1;
	int r;

	if (param == BMC_SYSINFO_SET_IN_PROGRESS) {
		if (len != 1) {
			ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
			return;
		}
		r = data[0] & 0xFC ? -EINVAL : bmc_sysinfo_set_in_progress(bmc, data[0]);
	} else if (bmc_sysinfo_is_string(param)) {
		if (len != 1 + BMC_SYSINFO_BLOCK) {
			ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
			return;
		}
		r = bmc_sysinfo_set_block(bmc, param, data[0], data + 1);
	} else {
		r = -ENOENT;
	}
	switch (r) {
	case 0: break;
	case -ENOENT: ipmi_rsp_cc(rsp, CC_PARAM_NOT_SUPPORTED); break;
	case -EBUSY: ipmi_rsp_cc(rsp, CC_SET_IN_PROGRESS); break;
	case -ERANGE: ipmi_rsp_cc(rsp, IPMI_CC_PARAM_OUT_OF_RANGE); break;
	case -EINVAL: ipmi_rsp_cc(rsp, IPMI_CC_INVALID_FIELD); break;
	default: ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED); break; /* the store failed */
	}
}

const struct ipmi_cmd ipmi_sysinfo_cmds[] = {
	{ IPMI_NETFN_APP, APP_SET_SYSTEM_INFO, 2, 2 + BMC_SYSINFO_BLOCK, IPMI_PRIV_ADMIN,
	  set_system_info },
	{ IPMI_NETFN_APP, APP_GET_SYSTEM_INFO, 4, 4, IPMI_PRIV_USER, get_system_info },
};
const size_t ipmi_sysinfo_cmds_n = sizeof(ipmi_sysinfo_cmds) / sizeof(ipmi_sysinfo_cmds[0]);
