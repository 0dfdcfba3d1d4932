/* Fuzz target: the IPMI message layer and every command handler through the dispatch table,
 * against a live model (store, SEL, FRU, users, chassis on the simulated platform, ...).
 *
 * Input: records [kind][len lo][len hi][bytes] (fuzz_env.h), run in order on one model:
 *   kind < number of table rows   that row's netFn and command; bytes[0] says how it is sent
 *                                 (bits 0-2 privilege 0..5 (6, 7 = 4), bits 3-4 LUN, bit 5 in a
 *                                 session, bit 6 on the system interface instead of LAN),
 *                                 bytes[1..] are the request data
 *   kind == 0xFD                  bytes are a whole request message (§13.8, checksums and all)
 *                                 parsed by ipmi_msg_parse_req, then dispatched as ADMINISTRATOR
 *   kind == 0xFE                  one bmc_tick (watchdog, sensors, DCMI)
 *   otherwise                     bytes[0] as above, bytes[1] netFn, bytes[2] cmd, then data
 * Every request goes through ipmi_dispatch as a transport with no commands of its own (the LAN
 * session commands are the v15 and rmcpplus targets' business). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"
#include "ipmi/msg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_env env;

struct row {
	uint8_t netfn, cmd;
};
static struct row rows[256];
static size_t n_rows;

static void rows_add(const struct ipmi_cmd *t, size_t n)
{
	for (size_t i = 0; i < n && n_rows < 0xFD; i++)
		rows[n_rows++] = (struct row){ t[i].netfn, t[i].cmd };
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_env_init(&env, false);
	rows_add(ipmi_app_cmds, ipmi_app_cmds_n);
	rows_add(ipmi_chassis_cmds, ipmi_chassis_cmds_n);
	rows_add(ipmi_watchdog_cmds, ipmi_watchdog_cmds_n);
	rows_add(ipmi_sensor_cmds, ipmi_sensor_cmds_n);
	rows_add(ipmi_sdr_cmds, ipmi_sdr_cmds_n);
	rows_add(ipmi_sel_cmds, ipmi_sel_cmds_n);
	rows_add(ipmi_fru_cmds, ipmi_fru_cmds_n);
	rows_add(ipmi_transport_cmds, ipmi_transport_cmds_n);
	rows_add(ipmi_sol_cmds, ipmi_sol_cmds_n);
	rows_add(ipmi_sysinfo_cmds, ipmi_sysinfo_cmds_n);
	rows_add(ipmi_dcmi_cmds, ipmi_dcmi_cmds_n);
	return 0;
}

static const struct ipmi_transport no_transport = { .name = "fuzz" };

static void run(struct ipmi_req *req, uint8_t how)
{
	static const uint8_t privs[] = { 0, 1, 2, 3, 4, 5, 4, 4 };
	req->priv = privs[how & 7];
	req->lun = req->lun ? req->lun : (how >> 3) & 3;
	req->in_session = how & 0x20;
	req->user_id = req->in_session ? 2 : 0;
	req->channel = how & 0x40 ? IPMI_CHANNEL_SYSTEM : IPMI_CHANNEL_LAN;
	req->transport = &no_transport;
	/* Handlers see exactly the request's bytes: a copy of its own size, so ASan catches a
	 * read past the end. */
	uint8_t *copy = malloc(req->len ? req->len : 1);
	memcpy(copy, req->data, req->len);
	req->data = copy;
	struct ipmi_rsp rsp;
	ipmi_dispatch(&env.bmc, req, &rsp);
	free(copy);
	if (rsp.len > sizeof(rsp.data))
		abort();
	/* The response must frame: what lan_run_ipmi does with it. */
	uint8_t out[300];
	struct wbuf w = wbuf_init(out, sizeof(out));
	struct ipmi_msg_hdr h = { .rs_addr = 0x20, .netfn = req->netfn, .rq_addr = 0x81,
				  .cmd = req->cmd };
	ipmi_msg_build_rsp(&w, &h, rsp.cc, rsp.data, rsp.len);
	if (w.err)
		abort();
	if (env.bmc.reset_requested)
		(void)bmc_reset(&env.bmc, env.bmc.reset_requested == BMC_RESET_COLD);
	uv_run(&env.loop, UV_RUN_NOWAIT);
}

static void one_record(uint8_t kind, const uint8_t *p, size_t n)
{
	struct ipmi_req req = { 0 };
	if (kind == 0xFE) {
		bmc_tick(&env.bmc, now_monotonic());
		return;
	}
	if (kind == 0xFD) {
		struct ipmi_msg_hdr h;
		if (ipmi_msg_parse_req(p, n, &h, &req.data, &req.len) < 0)
			return;
		req.netfn = h.netfn & 0x3E;
		req.cmd = h.cmd;
		req.lun = h.rs_lun;
		run(&req, 4 | 0x20);
		return;
	}
	if (n < 1)
		return;
	if (kind < n_rows) {
		req.netfn = rows[kind].netfn;
		req.cmd = rows[kind].cmd;
		req.data = p + 1;
		req.len = n - 1;
	} else {
		if (n < 3)
			return;
		req.netfn = p[1] & 0x3E;
		req.cmd = p[2];
		req.data = p + 3;
		req.len = n - 3;
	}
	if (req.len > IPMI_MAX_REQ_DATA)
		req.len = IPMI_MAX_REQ_DATA;
	run(&req, p[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_env_begin(&env, 0);
	struct fuzz_reader r = { .p = data, .len = size };
	uint8_t kind;
	const uint8_t *p;
	size_t n;
	for (unsigned i = 0; i < 64 && fuzz_next_record(&r, &kind, &p, &n); i++)
		one_record(kind, p, n);
	fuzz_env_end(&env);
	return 0;
}
