/* Chassis netFn (0x00/0x01) command handlers (IPMI 2.0 §28). Each handler decodes the request
 * through the bounded reader, calls the chassis model in bmc/chassis.c, and encodes the
 * response; the state and its rules live in the model. Request lengths and privileges are
 * checked by the dispatcher from the table at the bottom. */
#include <errno.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_GET_CHASSIS_CAPABILITIES = 0x00,
	IPMI_CMD_GET_CHASSIS_STATUS = 0x01,
	IPMI_CMD_CHASSIS_CONTROL = 0x02,
	IPMI_CMD_CHASSIS_IDENTIFY = 0x04,
	IPMI_CMD_SET_POWER_RESTORE_POLICY = 0x06,
	IPMI_CMD_GET_SYSTEM_RESTART_CAUSE = 0x07,
	IPMI_CMD_SET_SYSTEM_BOOT_OPTIONS = 0x08,
	IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS = 0x09,
	IPMI_CMD_GET_POH_COUNTER = 0x0F,
};

/* Command-specific completion codes of Set/Get System Boot Options (IPMI 2.0 §28.12). */
enum {
	IPMI_CC_BOOT_PARAM_UNSUPPORTED = 0x80,
	IPMI_CC_BOOT_SET_IN_PROGRESS = 0x81,
	IPMI_CC_BOOT_PARAM_READ_ONLY = 0x82,
};

#define IPMI_ADDR_BMC 0x20
#define IDENTIFY_DEFAULT_SECONDS 15  /* IPMI 2.0 §28.5: no request data = 15 s */
#define POLICY_NO_CHANGE 0x03        /* Set Power Restore Policy: just report */
#define POLICIES_SUPPORTED 0x07      /* always-off, previous, always-on */
#define BOOT_PARAM_VERSION 0x01
#define POH_MINUTES_PER_COUNT 1

/* Commands without request data: the table's max_len 0 means "no limit", so check here. */
static bool no_data(const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (req->len == 0)
		return true;
	ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
	return false;
}

/* IPMI 2.0 §28.1: no front-panel lockout, intrusion sensor or interlock; every device
 * function is this BMC (0x20). The optional bridge address is omitted. */
static void get_chassis_capabilities(struct bmc *bmc, const struct ipmi_req *req,
				     struct ipmi_rsp *rsp)
{
	static const uint8_t caps[] = { 0x00, IPMI_ADDR_BMC, IPMI_ADDR_BMC, IPMI_ADDR_BMC,
					IPMI_ADDR_BMC };
	if (no_data(req, rsp))
		ipmi_rsp_bytes(rsp, caps, sizeof(caps));
}

/* IPMI 2.0 §28.2. */
static void get_chassis_status(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	const struct bmc_chassis *c = &bmc->chassis;

	if (!no_data(req, rsp))
		return;
	/* Byte 2: bit 0 power on, bits 6:5 restore policy; no overload/interlock/faults. */
	ipmi_rsp_u8(rsp, (uint8_t)((bmc_chassis_power_is_on(bmc) ? 0x01 : 0x00) |
				   (c->restore_policy & 0x03) << 5));
	ipmi_rsp_u8(rsp, c->last_power_event);
	/* Byte 4: bits 5:4 identify state, bit 6 identify state supported; bits 0, 2, 3
	 * intrusion, drive fault, fan fault as the sensors see them. */
	ipmi_rsp_u8(rsp, (uint8_t)(0x40 | (bmc_chassis_identify_state(bmc) & 0x03) << 4 |
				   bmc_sensors_chassis_faults(bmc)));
	ipmi_rsp_u8(rsp, 0x00); /* byte 5: no front-panel buttons to disable */
}

/* IPMI 2.0 §28.3: byte 1 bits 3:0 = action; the reply follows the model's commit. */
static void chassis_control(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t action = rbuf_u8(&rb) & 0x0F;

	rsp->cc = bmc_chassis_control(bmc, action, req->channel);
}

/* IPMI 2.0 §28.5: byte 1 interval in seconds (optional), byte 2 bit 0 force on (optional). */
static void chassis_identify(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t seconds = IDENTIFY_DEFAULT_SECONDS;
	bool force = false;

	if (rbuf_left(&rb) >= 1)
		seconds = rbuf_u8(&rb);
	if (rbuf_left(&rb) >= 1)
		force = rbuf_u8(&rb) & 0x01;
	bmc_chassis_identify(bmc, seconds, force);
}

/* IPMI 2.0 §28.8: byte 1 bits 2:0 policy, 3 = no change; reply = supported policies. */
static void set_power_restore_policy(struct bmc *bmc, const struct ipmi_req *req,
				     struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t policy = rbuf_u8(&rb) & 0x07;

	if (policy != POLICY_NO_CHANGE) {
		int r = bmc_chassis_set_restore_policy(bmc, policy);
		if (r < 0) {
			ipmi_rsp_cc(rsp, r == -EINVAL ? IPMI_CC_INVALID_FIELD : IPMI_CC_UNSPECIFIED);
			return;
		}
	}
	ipmi_rsp_u8(rsp, POLICIES_SUPPORTED);
}

/* IPMI 2.0 §28.11: byte 2 restart cause (bits 3:0), byte 3 channel it came from. */
static void get_system_restart_cause(struct bmc *bmc, const struct ipmi_req *req,
				     struct ipmi_rsp *rsp)
{
	if (!no_data(req, rsp))
		return;
	ipmi_rsp_u8(rsp, bmc->chassis.restart_cause & 0x0F);
	ipmi_rsp_u8(rsp, bmc->chassis.restart_channel);
}

/* The one place boot option errors become completion codes (see bmc/chassis.h). */
static uint8_t boot_param_cc(int r)
{
	switch (r) {
	case -EOPNOTSUPP:
		return IPMI_CC_BOOT_PARAM_UNSUPPORTED;
	case -EBUSY:
		return IPMI_CC_BOOT_SET_IN_PROGRESS;
	case -EROFS:
		return IPMI_CC_BOOT_PARAM_READ_ONLY;
	case -EMSGSIZE:
		return IPMI_CC_REQ_LEN_INVALID;
	case -EINVAL:
	case -ERANGE:
		return IPMI_CC_INVALID_FIELD;
	default:
		return IPMI_CC_UNSPECIFIED;
	}
}

/* IPMI 2.0 §28.12: byte 1 bit 7 mark invalid, bits 6:0 parameter; bytes 2.. its data. */
static void set_system_boot_options(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t sel = rbuf_u8(&rb);
	size_t len = rbuf_left(&rb);
	const uint8_t *data = rbuf_take(&rb, len);

	int r = bmc_chassis_boot_param_set(bmc, sel & 0x7F, sel & 0x80, data, len);
	if (r < 0)
		ipmi_rsp_cc(rsp, boot_param_cc(r));
}

/* IPMI 2.0 §28.13: byte 1 parameter, byte 2 set selector, byte 3 block selector (unused).
 * Reply: parameter version, invalid bit | parameter, data. */
static void get_system_boot_options(struct bmc *bmc, const struct ipmi_req *req,
				    struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	uint8_t param = rbuf_u8(&rb) & 0x7F;
	uint8_t set_selector = rbuf_u8(&rb);
	uint8_t data[BMC_BOOT_PARAM_MAX_LEN];
	size_t len = 0;
	bool invalid = false;

	int r = bmc_chassis_boot_param_get(bmc, param, set_selector, data, sizeof(data), &len,
					   &invalid);
	if (r < 0) {
		ipmi_rsp_cc(rsp, boot_param_cc(r));
		return;
	}
	ipmi_rsp_u8(rsp, BOOT_PARAM_VERSION);
	ipmi_rsp_u8(rsp, (uint8_t)((invalid ? 0x80 : 0x00) | param));
	ipmi_rsp_bytes(rsp, data, len);
}

/* IPMI 2.0 §28.14: byte 2 minutes per count, bytes 3-6 the counter. One minute per count
 * (rather than the usual 60) so that short runs show progress; ipmitool multiplies the two. */
static void get_poh_counter(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	uint64_t minutes = bmc_chassis_poh_minutes(bmc) / POH_MINUTES_PER_COUNT;
	uint8_t buf[5];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	if (!no_data(req, rsp))
		return;
	wbuf_u8(&w, POH_MINUTES_PER_COUNT);
	wbuf_u32le(&w, minutes > UINT32_MAX ? UINT32_MAX : (uint32_t)minutes);
	ipmi_rsp_bytes(rsp, buf, w.len);
}

const struct ipmi_cmd ipmi_chassis_cmds[] = {
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_CAPABILITIES, 0, 0, IPMI_PRIV_USER,
	  get_chassis_capabilities },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_GET_CHASSIS_STATUS, 0, 0, IPMI_PRIV_USER, get_chassis_status },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_CHASSIS_CONTROL, 1, 1, IPMI_PRIV_OPERATOR, chassis_control },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_CHASSIS_IDENTIFY, 0, 2, IPMI_PRIV_OPERATOR, chassis_identify },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_SET_POWER_RESTORE_POLICY, 1, 1, IPMI_PRIV_OPERATOR,
	  set_power_restore_policy },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_GET_SYSTEM_RESTART_CAUSE, 0, 0, IPMI_PRIV_USER,
	  get_system_restart_cause },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_SET_SYSTEM_BOOT_OPTIONS, 1, 1 + BMC_BOOT_PARAM_MAX_LEN,
	  IPMI_PRIV_OPERATOR, set_system_boot_options },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS, 3, 3, IPMI_PRIV_OPERATOR,
	  get_system_boot_options },
	{ IPMI_NETFN_CHASSIS, IPMI_CMD_GET_POH_COUNTER, 0, 0, IPMI_PRIV_USER, get_poh_counter },
};

const size_t ipmi_chassis_cmds_n = sizeof(ipmi_chassis_cmds) / sizeof(ipmi_chassis_cmds[0]);
