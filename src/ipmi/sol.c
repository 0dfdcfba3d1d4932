/* Serial-over-LAN configuration parameters (IPMI 2.0 §26.2-26.3, Transport netFn). SOL itself
 * is not served yet (the SOL payload comes with the console issue), so every parameter is
 * answered "parameter not supported" (0x80) — the truthful answer, and the one FreeIPMI's
 * ipmi-config accepts for the optional SOL payload-channel lookup it makes while checking out
 * a User section. */
#include "ipmi/ipmi.h"

static void sol_config_unsupported(struct bmc *bmc, const struct ipmi_req *req,
				   struct ipmi_rsp *rsp)
{
	ipmi_rsp_cc(rsp, 0x80);
}

const struct ipmi_cmd ipmi_sol_cmds[] = {
	{ IPMI_NETFN_TRANSPORT, 0x21, 2, 0, IPMI_PRIV_ADMIN, sol_config_unsupported },
	{ IPMI_NETFN_TRANSPORT, 0x22, 4, 4, IPMI_PRIV_USER, sol_config_unsupported },
};
const size_t ipmi_sol_cmds_n = sizeof(ipmi_sol_cmds) / sizeof(ipmi_sol_cmds[0]);
