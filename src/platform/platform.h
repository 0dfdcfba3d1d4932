/* The one small interface between the BMC model and the managed server. Back ends are sibling
 * directories (sim/, qemu/; hwmon/ later). A back end reports what happens on its side
 * (power came on, went off) through the callbacks it was given; the model never polls. */
#pragma once
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum platform_power_action {
	PLATFORM_POWER_OFF,   /* hard power down */
	PLATFORM_POWER_ON,
	PLATFORM_POWER_CYCLE, /* off, an off interval, on */
	PLATFORM_POWER_RESET, /* hard reset; power stays on */
	PLATFORM_POWER_DIAG,  /* pulse diagnostic interrupt (NMI) */
	PLATFORM_POWER_SOFT,  /* ACPI soft shutdown: the OS takes seconds to power off */
	PLATFORM_POWER_ACTION_MAX,
};

struct platform;

/* Why the server powered itself off (reported just before power_changed(false)). */
enum platform_power_fault {
	PLATFORM_FAULT_THERMAL_TRIP, /* a processor's THERMTRIP#: protection cut the power */
	PLATFORM_FAULT_AC_LOST,      /* no power supply has AC input any more */
	PLATFORM_FAULT_PSU_FAILED,   /* the power supplies that have AC failed */
};

/* Where the BMC's boot options send the boot about to start (IPMI 2.0 §28.13, boot flags),
 * for platforms whose firmware does not ask the BMC itself (QEMU's SeaBIOS does not). */
enum platform_boot_device {
	PLATFORM_BOOT_DEFAULT,    /* no override: the machine's own order */
	PLATFORM_BOOT_PXE,
	PLATFORM_BOOT_DISK,
	PLATFORM_BOOT_CDROM,
	PLATFORM_BOOT_FLOPPY,     /* floppy / primary removable media */
	PLATFORM_BOOT_BIOS_SETUP,
};

struct platform_callbacks {
	void *arg;
	/* Power state changed on the server side (after any delay); `on` is the new state. */
	void (*power_changed)(void *arg, bool on);
	/* The server was reset (hard reset or the reset half of a cycle did not change power). */
	void (*reset)(void *arg);
	/* Optional: the server powers off on its own for this reason (power_changed follows). */
	void (*power_fault)(void *arg, enum platform_power_fault why);
	/* Optional: the server's state advanced one simulated step; sensor inputs changed. */
	void (*stepped)(void *arg);
	/* Optional: asked just before the server starts (power on, the "on" of a cycle): the boot
	 * device the BMC's boot flags ask for, and in *persistent whether it stays for the boots
	 * after this one. */
	enum platform_boot_device (*boot_device)(void *arg, bool *persistent);
	/* Optional: a request arrived on the in-band system interface (the host's KCS). req is
	 * netFn << 2 | LUN, cmd, data; the response (netFn << 2 | LUN, cmd, completion code, data)
	 * goes to rsp (cap bytes). Returns the response length; 0 = no answer. Wired by the
	 * daemon to the IPMI command table (ipmi/sysif.c), which platform/ cannot include. */
	size_t (*sysif_request)(void *arg, const uint8_t *req, size_t len, uint8_t *rsp,
				size_t cap);
};

struct platform_ops {
	const char *name;
	/* Starts an action; returns 0, or -EINVAL for an unknown action, -EAGAIN if it is not
	 * possible in the present state (e.g. reset while off). Completion is reported through
	 * the callbacks. */
	int (*power)(struct platform *p, enum platform_power_action action);
	bool (*power_is_on)(const struct platform *p);
	void (*free)(struct platform *p);
	/* Reads one sensor input by name: "temp.cpu1", "fan.fan1.rpm", "volt.12v", "power.total",
	 * ... in its unit (°C, RPM, V, A, W); discrete inputs ("psu.psu1.state") read as the
	 * bitmask of their asserted offsets. Returns 0, -ENOENT for an input this server does not
	 * have, or -ENODATA if it has no value now. Optional: NULL = no sensor inputs. */
	int (*sensor_read)(struct platform *p, const char *input, double *ret_value);
	/* Event data of a discrete input's offset (IPMI 2.0 table 42-3 extensions, e.g. which
	 * memory module an ECC error came from): data 2 and 3, 0xFF where unspecified. Returns 0,
	 * or -ENOENT when the input has none. Optional. */
	int (*sensor_event_data)(struct platform *p, const char *input, uint8_t offset,
				 uint8_t *ret_data2, uint8_t *ret_data3);
	/* The system interface's signals to the host: whether it may interrupt (BMC Global
	 * Enables bit 0) and whether the attention flag (SMS_ATN: message flags are set) is up.
	 * Called whenever either may have changed. Optional: NULL = no in-band interface. */
	void (*sysif_signal)(struct platform *p, bool irq_enabled, bool attention);
};

struct platform {
	const struct platform_ops *ops;
	struct platform_callbacks cb;
};

static inline int platform_power(struct platform *p, enum platform_power_action a)
{
	return p->ops->power(p, a);
}

static inline bool platform_power_is_on(const struct platform *p)
{
	return p->ops->power_is_on(p);
}

static inline int platform_sensor_read(struct platform *p, const char *input, double *ret_value)
{
	if (!p || !p->ops->sensor_read)
		return -ENOENT;
	return p->ops->sensor_read(p, input, ret_value);
}

static inline int platform_sensor_event_data(struct platform *p, const char *input,
					     uint8_t offset, uint8_t *ret_data2, uint8_t *ret_data3)
{
	if (!p || !p->ops->sensor_event_data)
		return -ENOENT;
	return p->ops->sensor_event_data(p, input, offset, ret_data2, ret_data3);
}

static inline void platform_sysif_signal(struct platform *p, bool irq_enabled, bool attention)
{
	if (p && p->ops->sysif_signal)
		p->ops->sysif_signal(p, irq_enabled, attention);
}

/* NULL-safe. */
static inline void platform_free(struct platform *p)
{
	if (p)
		p->ops->free(p);
}
