/* The BMC watchdog timer (IPMI 2.0 §27). Set configures it (and stops it unless "don't stop"
 * is set), Reset starts it from the initial countdown, and the 100 ms loop tick evaluates the
 * countdown from the monotonic clock: the pre-timeout interrupt fires pre-timeout seconds before
 * expiry, and on expiry the timer stops, the expiration flag of its timer use is set, a Watchdog
 * 2 sensor event goes through the one event path (unless "don't log"), and the timeout action
 * is carried out on the platform through the chassis model with restart cause "watchdog".
 *
 * There is no host CPU to interrupt: the pre-timeout interrupt is logged (operator log and a
 * "timer interrupt" SEL event) and otherwise has no effect. Per §27 the timer stops when the
 * system powers down; this is noticed at the next tick. Nothing here is persisted: a BMC
 * (re)start leaves the timer stopped and uninitialised, as the timer of a reset BMC is. */
#include "bmc/watchdog.h"

#include <errno.h>
#include <string.h>

#include "bmc/bmc.h"
#include "bmc/event.h"
#include "core/log.h"

#define USEC_PER_COUNT (100 * USEC_PER_MSEC) /* one countdown unit: 100 ms */

static const char *const use_names[BMC_WDT_USE_MAX] = {
	[BMC_WDT_USE_RESERVED] = "reserved", [BMC_WDT_USE_BIOS_FRB2] = "BIOS FRB2",
	[BMC_WDT_USE_BIOS_POST] = "BIOS/POST", [BMC_WDT_USE_OS_LOAD] = "OS load",
	[BMC_WDT_USE_SMS_OS] = "SMS/OS", [BMC_WDT_USE_OEM] = "OEM",
};

static const char *const action_names[BMC_WDT_ACTION_MAX] = {
	[BMC_WDT_ACTION_NONE] = "no action", [BMC_WDT_ACTION_HARD_RESET] = "hard reset",
	[BMC_WDT_ACTION_POWER_DOWN] = "power down", [BMC_WDT_ACTION_POWER_CYCLE] = "power cycle",
};

static const char *const interrupt_names[BMC_WDT_INT_MAX] = {
	[BMC_WDT_INT_NONE] = "none", [BMC_WDT_INT_SMI] = "SMI",
	[BMC_WDT_INT_NMI] = "NMI/diagnostic interrupt",
	[BMC_WDT_INT_MESSAGING] = "messaging interrupt",
};

int bmc_watchdog_init(struct bmc *bmc)
{
	bmc->watchdog = (struct bmc_watchdog){ .host_on = bmc_chassis_power_is_on(bmc) };
	return 0;
}

struct bmc_event bmc_watchdog_event(uint8_t offset, uint8_t interrupt, uint8_t timer_use)
{
	return (struct bmc_event){
		.sensor_type = 0x23, /* Watchdog 2 */
		.sensor_num = BMC_SENSOR_WATCHDOG,
		.event_type = 0x6F, /* sensor-specific */
		.data = { (uint8_t)(0xC0 | (offset & 0x0F)),
			  (uint8_t)((interrupt & 0x0F) << 4 | (timer_use & 0x0F)), 0xFF },
	};
}

static void event_log(struct bmc *bmc, uint8_t offset)
{
	const struct bmc_watchdog_config *c = &bmc->watchdog.cfg;
	struct bmc_event ev = bmc_watchdog_event(offset, c->interrupt, c->timer_use);

	int r = bmc_event_log(bmc, &ev);
	if (r < 0)
		log_warn("%s: watchdog: could not log the Watchdog 2 event (offset %u): %s",
			 bmc->name, offset, strerror(-r));
}

int bmc_watchdog_set(struct bmc *bmc, const struct bmc_watchdog_config *cfg, usec_t now)
{
	struct bmc_watchdog *w = &bmc->watchdog;

	if (cfg->timer_use == BMC_WDT_USE_RESERVED || cfg->timer_use >= BMC_WDT_USE_MAX ||
	    cfg->action >= BMC_WDT_ACTION_MAX || cfg->interrupt >= BMC_WDT_INT_MAX)
		return -EINVAL;
	w->cfg = *cfg;
	w->initialized = true;
	w->expired_flags &= (uint8_t)~(cfg->clear_flags & BMC_WDT_FLAGS_MASK);
	/* §27.6 byte 1 bit 6: "don't stop" restarts a running timer with the new countdown
	 * (clearing the pre-timeout indication); otherwise Set stops the timer. A stopped timer
	 * stays stopped either way. */
	w->pretimeout_fired = false;
	w->stopped_count = cfg->countdown;
	if (w->running && cfg->dont_stop)
		w->deadline = now + cfg->countdown * USEC_PER_COUNT;
	else
		w->running = false;
	log_info("%s: watchdog set: %s, %.1f s, action %s, pre-timeout %s %u s%s, %s", bmc->name,
		 use_names[cfg->timer_use], cfg->countdown / 10.0, action_names[cfg->action],
		 interrupt_names[cfg->interrupt], cfg->pretimeout_sec,
		 cfg->dont_log ? ", not logged" : "", w->running ? "running" : "stopped");
	return 0;
}

int bmc_watchdog_reset(struct bmc *bmc, usec_t now)
{
	struct bmc_watchdog *w = &bmc->watchdog;

	if (!w->initialized)
		return -EPERM;
	if (!w->running)
		log_info("%s: watchdog started: %s, %.1f s, action %s", bmc->name,
			 use_names[w->cfg.timer_use], w->cfg.countdown / 10.0,
			 action_names[w->cfg.action]);
	/* §27.5: a countdown of 0 expires at once (at the next tick). */
	w->running = true;
	w->pretimeout_fired = false;
	w->deadline = now + w->cfg.countdown * USEC_PER_COUNT;
	return 0;
}

uint16_t bmc_watchdog_present_countdown(const struct bmc *bmc, usec_t now)
{
	const struct bmc_watchdog *w = &bmc->watchdog;

	if (!w->running)
		return w->stopped_count;
	if (now >= w->deadline)
		return 0;
	usec_t counts = (w->deadline - now + USEC_PER_COUNT - 1) / USEC_PER_COUNT;
	return counts > UINT16_MAX ? UINT16_MAX : (uint16_t)counts;
}

/* §27.7: the interrupt goes to the host pre-timeout seconds before expiry. A messaging
 * interrupt sets the pre-timeout message flag (the host sees SMS_ATN on its system interface);
 * an NMI is the platform's diagnostic interrupt (a QEMU guest gets a real NMI; the simulated
 * server only logs it); an SMI has no way to the host. The SEL gets a "timer interrupt" event
 * unless "don't log". */
static void pretimeout_fire(struct bmc *bmc)
{
	struct bmc_watchdog *w = &bmc->watchdog;
	bool delivered = false;

	w->pretimeout_fired = true;
	if (w->cfg.interrupt == BMC_WDT_INT_MESSAGING) {
		bmc_msg_flags_set(bmc, BMC_MSG_FLAG_WATCHDOG_PRETIMEOUT);
		delivered = true;
	} else if (w->cfg.interrupt == BMC_WDT_INT_NMI && bmc->platform) {
		delivered = platform_power(bmc->platform, PLATFORM_POWER_DIAG) == 0;
	}
	log_info("%s: watchdog pre-timeout (%u s before expiry): %s%s", bmc->name,
		 w->cfg.pretimeout_sec, interrupt_names[w->cfg.interrupt],
		 delivered ? "" : " (no host interrupt delivered)");
	if (!w->cfg.dont_log)
		event_log(bmc, BMC_WDT_OFFSET_TIMER_INTERRUPT);
}

static bool pretimeout_due(const struct bmc_watchdog *w, usec_t now)
{
	if (w->pretimeout_fired || w->cfg.interrupt == BMC_WDT_INT_NONE)
		return false;
	return now + w->cfg.pretimeout_sec * USEC_PER_SEC >= w->deadline;
}

static const struct {
	enum platform_power_action platform;
	uint8_t offset;
} actions[BMC_WDT_ACTION_MAX] = {
	[BMC_WDT_ACTION_NONE] = { PLATFORM_POWER_ACTION_MAX, BMC_WDT_OFFSET_EXPIRED },
	[BMC_WDT_ACTION_HARD_RESET] = { PLATFORM_POWER_RESET, BMC_WDT_OFFSET_HARD_RESET },
	[BMC_WDT_ACTION_POWER_DOWN] = { PLATFORM_POWER_OFF, BMC_WDT_OFFSET_POWER_DOWN },
	[BMC_WDT_ACTION_POWER_CYCLE] = { PLATFORM_POWER_CYCLE, BMC_WDT_OFFSET_POWER_CYCLE },
};

/* The action that can really happen: a reset or cycle of a server that is off cannot. */
static uint8_t action_possible(struct bmc *bmc, uint8_t action)
{
	if ((action == BMC_WDT_ACTION_HARD_RESET || action == BMC_WDT_ACTION_POWER_CYCLE) &&
	    !bmc_chassis_power_is_on(bmc)) {
		log_info("%s: watchdog: %s not possible while the server is off", bmc->name,
			 action_names[action]);
		return BMC_WDT_ACTION_NONE;
	}
	return action;
}

/* §27.7: on expiry the timer stops, the expiration flag of its timer use is set, the event is
 * logged (then "don't log" clears) and the action is taken. The event goes first so that the
 * SEL shows the cause before the power events it leads to. */
static void expire(struct bmc *bmc)
{
	struct bmc_watchdog *w = &bmc->watchdog;
	uint8_t action = action_possible(bmc, w->cfg.action);

	w->running = false;
	w->stopped_count = 0;
	w->expired_flags |= (uint8_t)(1u << w->cfg.timer_use) & BMC_WDT_FLAGS_MASK;
	log_info("%s: watchdog expired: %s timer, action %s%s", bmc->name,
		 use_names[w->cfg.timer_use], action_names[action],
		 w->cfg.dont_log ? " (not logged to the SEL)" : "");
	if (!w->cfg.dont_log)
		event_log(bmc, actions[action].offset);
	w->cfg.dont_log = false;
	if (action == BMC_WDT_ACTION_NONE)
		return;
	int r = bmc_chassis_power_action(bmc, actions[action].platform, BMC_RESTART_WATCHDOG, 0);
	if (r < 0)
		log_warn("%s: watchdog: %s failed: %s", bmc->name, action_names[action],
			 strerror(-r));
}

/* §27: "the watchdog timer is stopped whenever the system is powered down". */
static void power_down_check(struct bmc *bmc)
{
	struct bmc_watchdog *w = &bmc->watchdog;
	bool on = bmc_chassis_power_is_on(bmc);

	if (w->host_on && !on && w->running) {
		w->running = false;
		w->stopped_count = w->cfg.countdown;
		log_info("%s: watchdog stopped: the system powered down", bmc->name);
	}
	w->host_on = on;
}

void bmc_watchdog_tick(struct bmc *bmc, usec_t now)
{
	struct bmc_watchdog *w = &bmc->watchdog;

	power_down_check(bmc);
	if (!w->running)
		return;
	if (pretimeout_due(w, now))
		pretimeout_fire(bmc);
	if (now >= w->deadline)
		expire(bmc);
}
