/* Watchdog commands of the App netFn (IPMI 2.0 §27.5-§27.7): Reset, Set and Get Watchdog
 * Timer. The handlers decode and encode the bytes; the timer lives in bmc/watchdog.c. */
#include <errno.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "ipmi/ipmi.h"

enum {
	IPMI_CMD_RESET_WATCHDOG_TIMER = 0x22,
	IPMI_CMD_SET_WATCHDOG_TIMER = 0x24,
	IPMI_CMD_GET_WATCHDOG_TIMER = 0x25,
};

/* Reset Watchdog Timer: "attempt to start un-initialized watchdog" (§27.5). */
#define IPMI_CC_WDT_UNINITIALIZED 0x80

/* Byte 1 of Set / Get (timer use). */
#define WDT_DONT_LOG 0x80
#define WDT_DONT_STOP 0x40 /* Set: don't stop; Get: timer is running */
#define WDT_USE_MASK 0x07

/* Commands without request data: the table's max_len 0 means "no limit", so check here. */
static bool no_data(const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (req->len == 0)
		return true;
	ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
	return false;
}

/* §27.5: no request data. */
static void reset_watchdog_timer(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	if (!no_data(req, rsp))
		return;
	int r = bmc_watchdog_reset(bmc, now_monotonic());
	if (r == -EPERM)
		ipmi_rsp_cc(rsp, IPMI_CC_WDT_UNINITIALIZED);
	else if (r < 0)
		ipmi_rsp_cc(rsp, IPMI_CC_UNSPECIFIED);
}

/* §27.6 table 27-7: use, actions, pre-timeout interval (s), flags to clear, countdown (LS). */
static void set_watchdog_timer(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	struct rbuf rb = rbuf_init(req->data, req->len);
	struct bmc_watchdog_config cfg;
	uint8_t use = rbuf_u8(&rb);
	uint8_t actions = rbuf_u8(&rb);

	cfg = (struct bmc_watchdog_config){
		.timer_use = use & WDT_USE_MASK,
		.dont_log = use & WDT_DONT_LOG,
		.dont_stop = use & WDT_DONT_STOP,
		.interrupt = (actions >> 4) & 0x07,
		.action = actions & 0x07,
	};
	cfg.pretimeout_sec = rbuf_u8(&rb);
	cfg.clear_flags = rbuf_u8(&rb);
	cfg.countdown = rbuf_u16le(&rb);
	if (rb.err) {
		ipmi_rsp_cc(rsp, IPMI_CC_REQ_LEN_INVALID);
		return;
	}
	int r = bmc_watchdog_set(bmc, &cfg, now_monotonic());
	if (r < 0)
		ipmi_rsp_cc(rsp, r == -EINVAL ? IPMI_CC_INVALID_FIELD : IPMI_CC_UNSPECIFIED);
}

/* §27.7 table 27-8: byte 1 as set but bit 6 = running, byte 2 actions, pre-timeout interval,
 * expiration flags, initial countdown, present countdown. */
static void get_watchdog_timer(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp)
{
	const struct bmc_watchdog *w = &bmc->watchdog;
	uint8_t buf[8];
	struct wbuf wb = wbuf_init(buf, sizeof(buf));

	if (!no_data(req, rsp))
		return;
	wbuf_u8(&wb, (uint8_t)((w->cfg.dont_log ? WDT_DONT_LOG : 0) |
			       (w->running ? WDT_DONT_STOP : 0) |
			       (w->cfg.timer_use & WDT_USE_MASK)));
	wbuf_u8(&wb, (uint8_t)((w->cfg.interrupt & 0x07) << 4 | (w->cfg.action & 0x07)));
	wbuf_u8(&wb, w->cfg.pretimeout_sec);
	wbuf_u8(&wb, w->expired_flags);
	wbuf_u16le(&wb, w->cfg.countdown);
	wbuf_u16le(&wb, bmc_watchdog_present_countdown(bmc, now_monotonic()));
	ipmi_rsp_bytes(rsp, buf, wb.len);
}

const struct ipmi_cmd ipmi_watchdog_cmds[] = {
	{ IPMI_NETFN_APP, IPMI_CMD_RESET_WATCHDOG_TIMER, 0, 0, IPMI_PRIV_OPERATOR,
	  reset_watchdog_timer },
	{ IPMI_NETFN_APP, IPMI_CMD_SET_WATCHDOG_TIMER, 6, 6, IPMI_PRIV_OPERATOR,
	  set_watchdog_timer },
	{ IPMI_NETFN_APP, IPMI_CMD_GET_WATCHDOG_TIMER, 0, 0, IPMI_PRIV_USER, get_watchdog_timer },
};

const size_t ipmi_watchdog_cmds_n = sizeof(ipmi_watchdog_cmds) / sizeof(ipmi_watchdog_cmds[0]);
