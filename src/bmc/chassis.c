/* The chassis model (IPMI 2.0 §28): power control through the platform with the restart cause
 * of every restart, the power restore policy applied at BMC start, the identify light, the
 * power-on-hours counter, and the system boot options the host firmware reads at boot.
 *
 * Time-driven state is computed lazily from the monotonic clock when it is read (identify
 * interval, POH, the 60 s life of the boot flags) instead of with timers. The server has no real
 * BIOS, so this module plays its part at each restart: it decides which device the host boots
 * from, logs it, and consumes a next-boot-only override.
 *
 * Persistent state lives in the store as versioned blobs (first byte BLOB_VERSION):
 *   chassis.policy      policy
 *   chassis.last_power  on, last power event, restart cause, restart channel
 *   chassis.poh         u64le microseconds powered on (finished on-periods)
 *   chassis.boot        boot option params 1-3, 5-7 (0 and 4 are volatile), invalid marks,
 *                       u64le realtime deadline
 *                       of the 60 s boot flags countdown (0 = none)
 * and is written before the function that changed it returns. */
#include "bmc/chassis.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "bmc/bmc.h"
#include "bmc/event.h"
#include "core/buf.h"
#include "core/log.h"
#include "bmc/ipmi_spec.h"
#include "store/store.h"

#define BLOB_VERSION 1

/* Boot flags (param 5) data byte 1 (IPMI 2.0 table 28-14). */
#define BOOT_FLAGS_VALID      0x80
#define BOOT_FLAGS_PERSISTENT 0x40
#define BOOT_FLAGS_EFI        0x20

/* BMC boot flag valid bit clearing (param 3): 1 = don't clear on ... (IPMI 2.0 table 28-14). */
#define KEEP_ON_POWER_BUTTON  0x01 /* power up via power pushbutton or wake event */
#define KEEP_ON_RESET_BUTTON  0x02 /* pushbutton reset / soft reset */
#define KEEP_ON_WATCHDOG      0x04 /* reset/power cycle caused by watchdog timeout */
#define KEEP_ON_TIMEOUT       0x08 /* no Chassis Control within 60 s */
#define KEEP_ON_PEF           0x10 /* reset/power cycle caused by PEF */

/* Get Chassis Status byte 3 (IPMI 2.0 table 28-3): bit 4 last power-on entered via IPMI
 * command, bit 3 power down caused by a power fault, bit 0 AC failed. */
#define LAST_POWER_EVENT_IPMI_ON 0x10
#define LAST_POWER_EVENT_FAULT   0x08
#define LAST_POWER_EVENT_AC_FAIL 0x01

#define BOOT_ACK_BIOS 0x01 /* param 4 bit 0: 0 = BIOS/POST has handled the boot info */

/* Boot option params the spec resets with the BMC (0 set in progress, 4 boot info ack). */
#define VOLATILE_PARAMS ((1u << 0) | (1u << 4))

#define USEC_PER_MIN (60 * USEC_PER_SEC)

static const char *const action_names[PLATFORM_POWER_ACTION_MAX] = {
	[PLATFORM_POWER_OFF] = "power down",
	[PLATFORM_POWER_ON] = "power up",
	[PLATFORM_POWER_CYCLE] = "power cycle",
	[PLATFORM_POWER_RESET] = "hard reset",
	[PLATFORM_POWER_DIAG] = "diagnostic interrupt",
	[PLATFORM_POWER_SOFT] = "soft shutdown",
};

static const char *cause_name(uint8_t cause)
{
	static const char *const names[] = {
		"unknown cause", "chassis control", "reset button", "power button", "watchdog expiration",
		"OEM", "power restore policy always-on", "power restore policy previous",
		"PEF reset", "PEF power cycle", "soft reset", "RTC wakeup",
	};
	return cause < sizeof(names) / sizeof(names[0]) ? names[cause] : "unknown";
}

/* Boot device selector, param 5 data byte 2 bits 5:2 (IPMI 2.0 table 28-14). */
static const char *boot_device_name(const uint8_t flags[static 5])
{
	static const char *const names[16] = {
		"default boot order", "PXE", "default hard drive", "hard drive (safe mode)",
		"diagnostic partition", "CD/DVD", "BIOS setup", "remote floppy/removable media",
		"remote CD/DVD", "primary remote media", "reserved device 0xA", "remote hard drive",
		"reserved device 0xC", "reserved device 0xD", "reserved device 0xE",
		"floppy/primary removable media",
	};
	return names[(flags[1] >> 2) & 0x0F];
}

/* ---- persistence ---------------------------------------------------------------------- */

static void wbuf_u64le(struct wbuf *w, uint64_t v)
{
	wbuf_u32le(w, (uint32_t)v);
	wbuf_u32le(w, (uint32_t)(v >> 32));
}

static uint64_t rbuf_u64le(struct rbuf *r)
{
	uint64_t lo = rbuf_u32le(r);
	return lo | (uint64_t)rbuf_u32le(r) << 32;
}

static int save_policy(struct bmc *bmc)
{
	uint8_t buf[2];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u8(&w, bmc->chassis.restore_policy);
	return store_set_blob(bmc->store, "chassis.policy", &w);
}

static int save_last_power(struct bmc *bmc)
{
	const struct bmc_chassis *c = &bmc->chassis;
	uint8_t buf[5];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u8(&w, c->last_power_state);
	wbuf_u8(&w, c->last_power_event);
	wbuf_u8(&w, c->restart_cause);
	wbuf_u8(&w, c->restart_channel);
	return store_set_blob(bmc->store, "chassis.last_power", &w);
}

static int save_poh(struct bmc *bmc)
{
	uint8_t buf[9];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u64le(&w, bmc->chassis.poh_usec);
	return store_set_blob(bmc->store, "chassis.poh", &w);
}

/* The monotonic countdown deadline as wall-clock time, so it survives a daemon restart. */
static uint64_t boot_deadline_realtime(const struct bmc_chassis *c)
{
	usec_t now = now_monotonic();
	if (!c->boot_flags_expire_at)
		return 0;
	if (c->boot_flags_expire_at <= now)
		return now_realtime();
	return now_realtime() + (c->boot_flags_expire_at - now);
}

static int save_boot(struct bmc *bmc)
{
	const struct bmc_boot_options *b = &bmc->chassis.boot;
	uint8_t buf[128];
	struct wbuf w = wbuf_init(buf, sizeof(buf));
	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u8(&w, b->service_partition);
	wbuf_u8(&w, b->service_scan);
	wbuf_u8(&w, b->valid_bit_clearing);
	wbuf_bytes(&w, b->flags, sizeof(b->flags));
	wbuf_bytes(&w, b->initiator_info, sizeof(b->initiator_info));
	wbuf_bytes(&w, b->mailbox, sizeof(b->mailbox));
	wbuf_u8(&w, b->invalid_mask);
	wbuf_u64le(&w, boot_deadline_realtime(&bmc->chassis));
	return store_set_blob(bmc->store, "chassis.boot", &w);
}

/* A missing or unreadable blob leaves the defaults; only store failures are errors. */
static int load_result(struct bmc *bmc, const char *key, int r)
{
	if (r == -EBADMSG)
		log_warn("%s: %s in the store is unreadable, using defaults", bmc->name, key);
	return r == -ENOENT || r == -EBADMSG ? 0 : r;
}

static int load_policy(struct bmc *bmc)
{
	uint8_t buf[8];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, "chassis.policy", buf, sizeof(buf), &rb);
	if (r == 0) {
		uint8_t policy = rbuf_u8(&rb);
		if (rb.err || policy > BMC_RESTORE_ALWAYS_ON)
			r = -EBADMSG;
		else
			bmc->chassis.restore_policy = policy;
	}
	return load_result(bmc, "chassis.policy", r);
}

static int load_last_power(struct bmc *bmc)
{
	struct bmc_chassis *c = &bmc->chassis;
	uint8_t buf[16];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, "chassis.last_power", buf, sizeof(buf), &rb);
	if (r == 0) {
		c->last_power_state = rbuf_u8(&rb) != 0;
		c->last_power_event = rbuf_u8(&rb);
		c->restart_cause = rbuf_u8(&rb);
		c->restart_channel = rbuf_u8(&rb);
		if (rb.err)
			r = -EBADMSG;
	}
	return load_result(bmc, "chassis.last_power", r);
}

static int load_poh(struct bmc *bmc)
{
	uint8_t buf[16];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, "chassis.poh", buf, sizeof(buf), &rb);
	if (r == 0) {
		uint64_t poh = rbuf_u64le(&rb);
		if (rb.err)
			r = -EBADMSG;
		else
			bmc->chassis.poh_usec = poh;
	}
	return load_result(bmc, "chassis.poh", r);
}

/* Restarts the 60 s countdown from its wall-clock deadline (at most 60 s away). */
static void boot_deadline_restore(struct bmc_chassis *c, uint64_t deadline_rt)
{
	usec_t now_rt = now_realtime();
	usec_t left = 0;
	if (!deadline_rt)
		return;
	if (deadline_rt > now_rt)
		left = deadline_rt - now_rt;
	if (left > BMC_BOOT_FLAGS_TIMEOUT)
		left = BMC_BOOT_FLAGS_TIMEOUT; /* the wall clock went backwards */
	c->boot_flags_expire_at = now_monotonic() + left;
	if (!c->boot_flags_expire_at)
		c->boot_flags_expire_at = 1;
}

static int load_boot(struct bmc *bmc)
{
	struct bmc_boot_options b = { 0 };
	uint8_t buf[256];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, "chassis.boot", buf, sizeof(buf), &rb);
	if (r == 0) {
		b.service_partition = rbuf_u8(&rb);
		b.service_scan = rbuf_u8(&rb);
		b.valid_bit_clearing = rbuf_u8(&rb);
		rbuf_copy(&rb, b.flags, sizeof(b.flags));
		rbuf_copy(&rb, b.initiator_info, sizeof(b.initiator_info));
		rbuf_copy(&rb, b.mailbox, sizeof(b.mailbox));
		b.invalid_mask = rbuf_u8(&rb) & (uint8_t)~VOLATILE_PARAMS;
		uint64_t deadline_rt = rbuf_u64le(&rb);
		if (rb.err) {
			r = -EBADMSG;
		} else {
			bmc->chassis.boot = b;
			boot_deadline_restore(&bmc->chassis, deadline_rt);
		}
	}
	return load_result(bmc, "chassis.boot", r);
}

static void warn_store(struct bmc *bmc, const char *what, int r)
{
	if (r < 0)
		log_warn("%s: could not persist %s: %s", bmc->name, what, strerror(-r));
}

/* ---- boot flags life cycle ------------------------------------------------------------ */

/* IPMI 2.0 §28.12: the BMC clears the boot flags valid bit if no restart by Chassis Control
 * follows within 60 s of it being set, unless param 3 bit 3 says not to. Evaluated lazily
 * (when the flags are read or a restart happens). Returns true if it cleared them. The spec
 * does not exempt persistent flags from this, so neither does this BMC. */
static bool boot_flags_timed_out(const struct bmc_chassis *c, usec_t now)
{
	return c->boot_flags_expire_at && now >= c->boot_flags_expire_at &&
	       (c->boot.flags[0] & BOOT_FLAGS_VALID) && !(c->boot.valid_bit_clearing & KEEP_ON_TIMEOUT);
}

static bool boot_flags_expire(struct bmc *bmc, usec_t now)
{
	struct bmc_chassis *c = &bmc->chassis;
	if (!c->boot_flags_expire_at || now < c->boot_flags_expire_at)
		return false;
	bool expired = boot_flags_timed_out(c, now);
	c->boot_flags_expire_at = 0;
	if (!expired)
		return false;
	c->boot.flags[0] &= (uint8_t)~BOOT_FLAGS_VALID;
	log_info("%s: boot flags: override to %s expired (no restart by chassis control within "
		 "60 s), cleared", bmc->name, boot_device_name(c->boot.flags));
	return true;
}

/* Param 3: which restart causes leave the valid bit alone. Chassis Control never clears it. */
static bool boot_flags_survive(uint8_t cause, uint8_t keep)
{
	switch (cause) {
	case BMC_RESTART_CHASSIS_CTRL:
		return true;
	case BMC_RESTART_POWER_BUTTON:
	case BMC_RESTART_RTC_WAKEUP:
		return keep & KEEP_ON_POWER_BUTTON;
	case BMC_RESTART_RESET_BUTTON:
	case BMC_RESTART_SOFT_RESET:
		return keep & KEEP_ON_RESET_BUTTON;
	case BMC_RESTART_WATCHDOG:
		return keep & KEEP_ON_WATCHDOG;
	case BMC_RESTART_PEF_RESET:
	case BMC_RESTART_PEF_CYCLE:
		return keep & KEEP_ON_PEF;
	default:
		return false; /* "any system resets or power-cycles not triggered by" Chassis Control */
	}
}

/* The host restarts: the (emulated) BIOS reads the boot flags as the BMC left them. */
static void boot_flags_on_restart(struct bmc *bmc, uint8_t cause)
{
	struct bmc_boot_options *b = &bmc->chassis.boot;
	bool persistent = b->flags[0] & BOOT_FLAGS_PERSISTENT;

	(void)boot_flags_expire(bmc, now_monotonic());
	bmc->chassis.boot_flags_expire_at = 0;
	b->set_in_progress = 0; /* param 0: a system reset ends "set in progress" */
	if (!(b->flags[0] & BOOT_FLAGS_VALID)) {
		log_info("%s: host boot: default boot order (no boot override)", bmc->name);
		return;
	}
	if (!boot_flags_survive(cause, b->valid_bit_clearing)) {
		b->flags[0] &= (uint8_t)~BOOT_FLAGS_VALID;
		log_info("%s: host boot: default boot order (override to %s cleared: restart by %s, "
			 "not chassis control)", bmc->name, boot_device_name(b->flags), cause_name(cause));
		return;
	}
	log_info("%s: host boot: %s (boot override, %s%s)", bmc->name, boot_device_name(b->flags),
		 persistent ? "persistent" : "next boot only",
		 b->flags[0] & BOOT_FLAGS_EFI ? ", EFI" : "");
	b->ack[1] &= (uint8_t)~BOOT_ACK_BIOS; /* the BIOS handled the boot info */
	if (!persistent)
		b->flags[0] &= (uint8_t)~BOOT_FLAGS_VALID;
}

/* ---- power ---------------------------------------------------------------------------- */

bool bmc_chassis_power_is_on(const struct bmc *bmc)
{
	return bmc->platform && platform_power_is_on(bmc->platform);
}

static void poh_fold(struct bmc_chassis *c, usec_t now)
{
	if (c->powered_on_since && now > c->powered_on_since) {
		c->poh_usec += now - c->powered_on_since;
		c->powered_on_since = now;
	}
}

/* Who caused the restart the platform reports: the one we asked for, else the server did. */
static uint8_t restart_attribute(struct bmc_chassis *c)
{
	c->restart_cause = c->restart_pending ? c->pending_cause : BMC_RESTART_UNKNOWN;
	c->restart_channel = c->restart_pending ? c->pending_channel : 0;
	c->restart_pending = false;
	return c->restart_cause;
}

static void power_went_on(struct bmc *bmc, usec_t now)
{
	struct bmc_chassis *c = &bmc->chassis;
	uint8_t cause = restart_attribute(c);

	c->powered_on_since = now ? now : 1;
	c->last_power_event = cause == BMC_RESTART_CHASSIS_CTRL ? LAST_POWER_EVENT_IPMI_ON : 0;
	boot_flags_on_restart(bmc, cause);
	warn_store(bmc, "boot options", save_boot(bmc));
}

enum platform_boot_device bmc_chassis_boot_device(struct bmc *bmc, bool *persistent)
{
	struct bmc_chassis *c = &bmc->chassis;
	const uint8_t *f = c->boot.flags;
	uint8_t cause = c->restart_pending ? c->pending_cause : BMC_RESTART_UNKNOWN;

	*persistent = false;
	/* A question, not a change: the flags are consumed (or expire) when the restart is reported. */
	if (!(f[0] & BOOT_FLAGS_VALID) || boot_flags_timed_out(c, now_monotonic()) ||
	    !boot_flags_survive(cause, c->boot.valid_bit_clearing))
		return PLATFORM_BOOT_DEFAULT;
	*persistent = f[0] & BOOT_FLAGS_PERSISTENT;
	switch ((f[1] >> 2) & 0x0F) { /* table 28-14, parameter 5 data 2 bits 5:2 */
	case 0x1: return PLATFORM_BOOT_PXE;
	case 0x2: /* default hard drive */
	case 0x3: /* default hard drive, safe mode */
	case 0xB: return PLATFORM_BOOT_DISK; /* remotely connected hard drive */
	case 0x5: /* default CD/DVD */
	case 0x8: return PLATFORM_BOOT_CDROM; /* remotely connected CD/DVD */
	case 0x6: return PLATFORM_BOOT_BIOS_SETUP;
	case 0x7: /* remotely connected floppy / primary removable media */
	case 0xF: return PLATFORM_BOOT_FLOPPY;
	default: return PLATFORM_BOOT_DEFAULT; /* none, diagnostic partition, remote media */
	}
}

static void power_went_off(struct bmc *bmc, usec_t now)
{
	struct bmc_chassis *c = &bmc->chassis;

	poh_fold(c, now);
	c->powered_on_since = 0;
	c->boot.set_in_progress = 0; /* param 0: a power down ends "set in progress" */
}

void bmc_chassis_power_changed(struct bmc *bmc, bool on)
{
	struct bmc_chassis *c = &bmc->chassis;
	usec_t now = now_monotonic();

	if (on == (c->powered_on_since != 0))
		return; /* no change */
	int tx = store_begin(bmc->store);
	if (on)
		power_went_on(bmc, now);
	else
		power_went_off(bmc, now);
	c->last_power_state = on;
	warn_store(bmc, "power state", save_last_power(bmc));
	warn_store(bmc, "power-on hours", save_poh(bmc));
	/* SEL: Power Unit "power off" asserted / deasserted; a power-on boots the host. */
	bmc_event_internal(bmc, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_OFF, on);
	if (on)
		bmc_event_internal(bmc, BMC_SENSOR_SYSTEM_BOOT, BMC_EV_BOOT_POWER_UP, false);
	if (tx == 0)
		warn_store(bmc, "power state", store_commit(bmc->store));
}

/* Saved with the power state by the power_changed(false) that follows. A thermal trip is
 * reported as a power fault: the chassis status has no better bit, the SEL has the processor's
 * Thermal Trip event. */
void bmc_chassis_power_fault(struct bmc *bmc, enum platform_power_fault why)
{
	bmc->chassis.last_power_event = why == PLATFORM_FAULT_AC_LOST ? LAST_POWER_EVENT_AC_FAIL :
									LAST_POWER_EVENT_FAULT;
	log_warn("%s: the server powered off: %s", bmc->name, why == PLATFORM_FAULT_AC_LOST ?
		 "AC lost on every power supply" : why == PLATFORM_FAULT_PSU_FAILED ?
		 "power supply failure" : "processor thermal trip");
}

void bmc_chassis_reset_happened(struct bmc *bmc)
{
	int tx = store_begin(bmc->store);
	uint8_t cause = restart_attribute(&bmc->chassis);

	boot_flags_on_restart(bmc, cause);
	warn_store(bmc, "boot options", save_boot(bmc));
	warn_store(bmc, "restart cause", save_last_power(bmc));
	bmc_event_internal(bmc, BMC_SENSOR_SYSTEM_BOOT, BMC_EV_BOOT_HARD_RESET, false); /* SEL */
	if (tx == 0)
		warn_store(bmc, "restart cause", store_commit(bmc->store));
}

/* Does this action restart the host (so the platform will report power-on or reset)? */
static bool action_restarts(enum platform_power_action action, bool on)
{
	return (action == PLATFORM_POWER_ON && !on) || (action == PLATFORM_POWER_CYCLE && on) ||
	       (action == PLATFORM_POWER_RESET && on);
}

static void power_action_log(struct bmc *bmc, enum platform_power_action action, uint8_t cause,
			     uint8_t channel)
{
	if (cause == BMC_RESTART_CHASSIS_CTRL)
		log_info("%s: chassis control from channel %u: %s", bmc->name, channel,
			 action_names[action]);
	else
		log_info("%s: %s (%s)", bmc->name, action_names[action], cause_name(cause));
}

int bmc_chassis_power_action(struct bmc *bmc, enum platform_power_action action,
			     enum bmc_restart_cause cause, uint8_t channel)
{
	struct bmc_chassis *c = &bmc->chassis;
	usec_t now = now_monotonic();

	if ((unsigned)action >= PLATFORM_POWER_ACTION_MAX)
		return -EINVAL;
	c->on_after_soft_off = false; /* any later power action replaces a graceful restart */
	bool was_pending = c->restart_pending;
	uint8_t was_cause = c->pending_cause, was_channel = c->pending_channel;
	power_action_log(bmc, action, cause, channel);
	/* Param 3 bit 3: the 60 s countdown restarts when a Chassis Control command arrives. */
	if (!boot_flags_expire(bmc, now) && c->boot_flags_expire_at &&
	    cause == BMC_RESTART_CHASSIS_CTRL)
		c->boot_flags_expire_at = now + BMC_BOOT_FLAGS_TIMEOUT;
	if (action_restarts(action, bmc_chassis_power_is_on(bmc))) {
		c->restart_pending = true;
		c->pending_cause = (uint8_t)cause;
		c->pending_channel = channel;
	} else if (action == PLATFORM_POWER_OFF) {
		c->restart_pending = false; /* an off cancels a pending power-on */
	}
	/* The platform may report synchronously: its writes and ours go in one transaction. */
	int tx = store_begin(bmc->store);
	int r = platform_power(bmc->platform, action);
	if (r == 0 && action == PLATFORM_POWER_CYCLE) /* SEL: Power Unit "power cycle" */
		bmc_event_internal(bmc, BMC_SENSOR_POWER_UNIT, BMC_EV_POWER_CYCLE, false);
	if (r < 0) {
		c->restart_pending = was_pending;
		c->pending_cause = was_cause;
		c->pending_channel = was_channel;
		log_info("%s: %s %s", bmc->name, action_names[action],
			 r == -EAGAIN ? "refused: not possible while the server is off" : "failed");
	}
	warn_store(bmc, "boot options", save_boot(bmc)); /* the 60 s countdown may have moved */
	if (tx == 0)
		warn_store(bmc, "chassis state", store_commit(bmc->store));
	return r;
}

uint8_t bmc_chassis_control(struct bmc *bmc, uint8_t action, uint8_t channel)
{
	/* IPMI 2.0 §28.3: request byte 1 values 0-5 are the platform actions in the same order. */
	if (action >= PLATFORM_POWER_ACTION_MAX)
		return IPMI_CC_INVALID_FIELD;
	int r = bmc_chassis_power_action(bmc, (enum platform_power_action)action,
					 BMC_RESTART_CHASSIS_CTRL, channel);
	if (r == -EAGAIN)
		return IPMI_CC_NOT_IN_STATE;
	if (r == -EINVAL)
		return IPMI_CC_INVALID_FIELD;
	return r < 0 ? IPMI_CC_UNSPECIFIED : IPMI_CC_OK;
}

int bmc_chassis_set_restore_policy(struct bmc *bmc, uint8_t policy)
{
	static const char *const names[] = { "always-off", "previous", "always-on" };
	if (policy > BMC_RESTORE_ALWAYS_ON)
		return -EINVAL;
	bmc->chassis.restore_policy = policy;
	int r = save_policy(bmc);
	if (r == 0)
		log_info("%s: power restore policy set to %s", bmc->name, names[policy]);
	return r;
}

/* At BMC start (IPMI 2.0 §28.8): always-on powers on, previous restores the last state. */
static void restore_policy_apply(struct bmc *bmc)
{
	struct bmc_chassis *c = &bmc->chassis;
	uint8_t cause;

	if (bmc_chassis_power_is_on(bmc)) {
		c->powered_on_since = now_monotonic();
		log_info("%s: server already powered on, power restore policy not applied", bmc->name);
		return;
	}
	if (c->restore_policy == BMC_RESTORE_ALWAYS_ON)
		cause = BMC_RESTART_POLICY_ALWAYS_ON;
	else if (c->restore_policy == BMC_RESTORE_PREVIOUS && c->last_power_state)
		cause = BMC_RESTART_POLICY_PREVIOUS;
	else
		return;
	/* A platform that cannot power on is logged there; the BMC still starts. */
	(void)bmc_chassis_power_action(bmc, PLATFORM_POWER_ON, cause, 0);
}

int bmc_chassis_init(struct bmc *bmc)
{
	struct bmc_chassis *c = &bmc->chassis;

	*c = (struct bmc_chassis){ .restore_policy = BMC_RESTORE_ALWAYS_OFF };
	int r = load_policy(bmc);
	if (r == 0)
		r = load_last_power(bmc);
	if (r == 0)
		r = load_poh(bmc);
	if (r == 0)
		r = load_boot(bmc);
	if (r < 0)
		return r;
	if (boot_flags_expire(bmc, now_monotonic()))
		warn_store(bmc, "boot options", save_boot(bmc));
	restore_policy_apply(bmc);
	return 0;
}

/* ---- identify, POH -------------------------------------------------------------------- */

void bmc_chassis_identify(struct bmc *bmc, uint8_t seconds, bool force)
{
	struct bmc_chassis *c = &bmc->chassis;

	c->identify_force = force;
	c->identify_until = !force && seconds ? now_monotonic() + seconds * USEC_PER_SEC : 0;
	if (force)
		log_info("%s: chassis identify on until turned off", bmc->name);
	else if (seconds)
		log_info("%s: chassis identify on for %u s", bmc->name, seconds);
	else
		log_info("%s: chassis identify off", bmc->name);
}

uint8_t bmc_chassis_identify_state(const struct bmc *bmc)
{
	const struct bmc_chassis *c = &bmc->chassis;

	if (c->identify_force)
		return 2;
	return c->identify_until && now_monotonic() < c->identify_until ? 1 : 0;
}

uint64_t bmc_chassis_poh_minutes(const struct bmc *bmc)
{
	const struct bmc_chassis *c = &bmc->chassis;
	usec_t t = c->poh_usec;
	usec_t now = now_monotonic();

	if (c->powered_on_since && now > c->powered_on_since)
		t += now - c->powered_on_since;
	return t / USEC_PER_MIN;
}

int bmc_chassis_save(struct bmc *bmc)
{
	poh_fold(&bmc->chassis, now_monotonic());
	return save_poh(bmc);
}

/* ---- system boot options (IPMI 2.0 §28.12, §28.13) -------------------------------------- */

struct boot_param {
	uint8_t size;    /* parameter data bytes, in a Set and in a Get response */
	size_t offset;   /* plain bytes in struct bmc_boot_options, unless read/write hooks */
	int (*write)(struct bmc *bmc, const uint8_t *data);
	int (*read)(struct bmc *bmc, uint8_t set_selector, uint8_t *out);
};

/* Param 0: 00 set complete, 01 set in progress, 10 commit write. Writes here take effect
 * immediately (no rollback), so commit write only records the state the client reports. */
static int boot_write_set_in_progress(struct bmc *bmc, const uint8_t *data)
{
	uint8_t v = data[0] & 0x03;
	uint8_t *state = &bmc->chassis.boot.set_in_progress;

	if (v == 0x03)
		return -EINVAL;
	if (v == 0x01 && *state != 0x00)
		return -EBUSY;
	*state = v;
	return 0;
}

/* Param 4: byte 1 is a write-enable mask for the acknowledge bits in byte 2. */
static int boot_write_ack(struct bmc *bmc, const uint8_t *data)
{
	uint8_t *ack = bmc->chassis.boot.ack;

	ack[0] = 0;
	ack[1] = (uint8_t)((ack[1] & ~data[0]) | (data[1] & data[0]));
	return 0;
}

/* Param 5: setting the valid bit starts the 60 s countdown (§28.12). */
static int boot_write_flags(struct bmc *bmc, const uint8_t *data)
{
	struct bmc_chassis *c = &bmc->chassis;

	memcpy(c->boot.flags, data, sizeof(c->boot.flags));
	if (!(data[0] & BOOT_FLAGS_VALID)) {
		c->boot_flags_expire_at = 0;
		log_info("%s: boot flags: no boot override", bmc->name);
		return 0;
	}
	c->boot_flags_expire_at = now_monotonic() + BMC_BOOT_FLAGS_TIMEOUT;
	log_info("%s: boot flags: boot override to %s (%s%s)", bmc->name, boot_device_name(data),
		 data[0] & BOOT_FLAGS_PERSISTENT ? "persistent" : "next boot only",
		 data[0] & BOOT_FLAGS_EFI ? ", EFI" : "");
	return 0;
}

/* Param 7: data byte 1 = set selector = block number, then 16 bytes of the block. */
static int boot_write_mailbox(struct bmc *bmc, const uint8_t *data)
{
	if (data[0] >= BMC_BOOT_MAILBOX_BLOCKS)
		return -ERANGE;
	memcpy(bmc->chassis.boot.mailbox[data[0]], data + 1, 16);
	return 0;
}

static int boot_read_mailbox(struct bmc *bmc, uint8_t set_selector, uint8_t *out)
{
	if (set_selector >= BMC_BOOT_MAILBOX_BLOCKS)
		return -ERANGE;
	out[0] = set_selector;
	memcpy(out + 1, bmc->chassis.boot.mailbox[set_selector], 16);
	return 0;
}

#define BOOT_OFF(field) offsetof(struct bmc_boot_options, field)

/* IPMI 2.0 table 28-14. */
static const struct boot_param boot_params[] = {
	[0] = { 1, BOOT_OFF(set_in_progress), boot_write_set_in_progress, NULL },
	[1] = { 1, BOOT_OFF(service_partition), NULL, NULL },
	[2] = { 1, BOOT_OFF(service_scan), NULL, NULL },
	[3] = { 1, BOOT_OFF(valid_bit_clearing), NULL, NULL },
	[4] = { 2, BOOT_OFF(ack), boot_write_ack, NULL },
	[5] = { 5, BOOT_OFF(flags), boot_write_flags, NULL },
	[6] = { 9, BOOT_OFF(initiator_info), NULL, NULL },
	[7] = { 1 + 16, 0, boot_write_mailbox, boot_read_mailbox },
};

#define BOOT_PARAMS_N (sizeof(boot_params) / sizeof(boot_params[0]))

int bmc_chassis_boot_param_set(struct bmc *bmc, uint8_t param, bool invalid, const uint8_t *data,
			       size_t len)
{
	struct bmc_boot_options *b = &bmc->chassis.boot;

	if (param >= BOOT_PARAMS_N)
		return -EOPNOTSUPP;
	const struct boot_param *p = &boot_params[param];
	if (len != p->size)
		return -EMSGSIZE;
	int r = 0;
	if (p->write)
		r = p->write(bmc, data);
	else
		memcpy((uint8_t *)b + p->offset, data, p->size);
	if (r < 0)
		return r;
	if (invalid)
		b->invalid_mask |= (uint8_t)(1u << param);
	else
		b->invalid_mask &= (uint8_t)~(1u << param);
	return save_boot(bmc);
}

int bmc_chassis_boot_param_get(struct bmc *bmc, uint8_t param, uint8_t set_selector, uint8_t *buf,
			       size_t cap, size_t *ret_len, bool *ret_invalid)
{
	if (param >= BOOT_PARAMS_N)
		return -EOPNOTSUPP;
	const struct boot_param *p = &boot_params[param];
	if (cap < p->size)
		return -ENOBUFS;
	if (boot_flags_expire(bmc, now_monotonic()))
		warn_store(bmc, "boot options", save_boot(bmc));
	if (p->read) {
		int r = p->read(bmc, set_selector, buf);
		if (r < 0)
			return r;
	} else {
		memcpy(buf, (const uint8_t *)&bmc->chassis.boot + p->offset, p->size);
	}
	*ret_len = p->size;
	*ret_invalid = bmc->chassis.boot.invalid_mask & (1u << param);
	return 0;
}

/* ---- graceful restart ------------------------------------------------------------------ */

#define GRACEFUL_RESTART_TIMEOUT (600 * USEC_PER_SEC)

int bmc_chassis_graceful_restart(struct bmc *bmc, uint8_t channel)
{
	struct bmc_chassis *c = &bmc->chassis;
	if (!bmc_chassis_power_is_on(bmc))
		return -EAGAIN;
	int r = bmc_chassis_power_action(bmc, PLATFORM_POWER_SOFT, BMC_RESTART_CHASSIS_CTRL,
					 channel);
	if (r < 0)
		return r;
	c->on_after_soft_off = true;
	c->on_after_channel = channel;
	c->on_after_deadline = now_monotonic() + GRACEFUL_RESTART_TIMEOUT;
	return 0;
}

void bmc_chassis_tick(struct bmc *bmc, usec_t now)
{
	struct bmc_chassis *c = &bmc->chassis;
	if (!c->on_after_soft_off || !bmc->platform)
		return;
	if (bmc_chassis_power_is_on(bmc)) {
		if (now > c->on_after_deadline) {
			c->on_after_soft_off = false;
			log_warn("%s: graceful restart abandoned: the OS did not shut down within "
				 "%u s", bmc->name, (unsigned)(GRACEFUL_RESTART_TIMEOUT / USEC_PER_SEC));
		}
		return;
	}
	log_info("%s: graceful restart: the OS has shut down, powering on", bmc->name);
	(void)bmc_chassis_power_action(bmc, PLATFORM_POWER_ON, BMC_RESTART_CHASSIS_CTRL,
				       c->on_after_channel);
}
