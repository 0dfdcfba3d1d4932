/* The model of one managed server. A BMC instance is a value: fleet mode runs many of these on
 * one loop, so nothing here is global. bmc/ knows nothing of UDP, HTTP or JSON. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "bmc/channel.h"
#include "bmc/chassis.h"
#include "bmc/dcmi.h"
#include "bmc/sysinfo.h"
#include "bmc/fru.h"
#include "bmc/lanconf.h"
#include "bmc/sel.h"
#include "bmc/sensors.h"
#include "bmc/watchdog.h"
#include "bmc/users.h"
#include "core/timeutil.h"
#include "platform/platform.h"

struct store;
struct platform;

/* Identity reported by Get Device ID. */
struct bmc_identity {
	uint8_t device_id;
	uint8_t device_rev;
	uint8_t fw_major;
	uint8_t fw_minor; /* BCD */
	uint32_t manufacturer_id; /* 20-bit IANA */
	uint16_t product_id;
	uint8_t aux_fw[4];
};

/* Security policy of the LAN channel (later also LAN configuration parameters). */
struct bmc_lan_security {
	uint32_t cipher_suites_enabled; /* bit n = suite n enabled */
	bool auth_none_enabled;         /* IPMI 1.5 auth type none */
	bool auth_straight_enabled;     /* IPMI 1.5 straight password */
	bool auth_md5_enabled;
};

/* What Cold/Warm Reset asked for (IPMI 2.0 §20.2, §20.3). */
enum bmc_reset {
	BMC_RESET_NONE = 0,
	BMC_RESET_WARM = 1,
	BMC_RESET_COLD = 2,
};

/* Get IP/UDP/RMCP Statistics (IPMI 2.0 §23.4) of the LAN channel, kept by lan/ and read by
 * ipmi/transport.c. The kernel's IP stack is the BMC's: the BMC sees the datagrams that reach its
 * RMCP port, so "IP packets" are those; header and address errors and fragments never reach it.
 * 16-bit counters that wrap, as the command reports them. */
struct bmc_lan_stats {
	uint16_t ip_rx;   /* datagrams received on the RMCP port */
	uint16_t udp_rx;
	uint16_t rmcp_rx; /* with a valid RMCP header (version 06h, class ASF or IPMI) */
	uint16_t ip_tx;   /* datagrams sent */
};

struct bmc {
	char name[64];            /* for log lines in fleet mode */
	struct store *store;
	struct platform *platform;
	struct bmc_identity identity;
	struct bmc_lan_security lan_sec;
	struct bmc_users users;
	struct bmc_channel lan_channel;
	struct bmc_chassis chassis;
	struct bmc_sel sel;
	struct bmc_sensors sensors;
	struct bmc_fru fru;
	struct bmc_lanconf lanconf;
	struct bmc_watchdog watchdog;
	struct bmc_dcmi dcmi;
	struct bmc_sysinfo sysinfo;
	uint8_t device_guid[16];  /* IPMI wire order (byte-reversed RFC 4122) */
	uint8_t system_guid[16];
	uint8_t global_enables;   /* §22.1 BMC Global Enables (BMC_GLOBAL_ENABLE_*) */
	uint8_t msg_flags;        /* §22.4 message flags for the host (BMC_MSG_FLAG_*) */
	struct bmc_lan_stats lan_stats;
	/* §20.6-20.7 ACPI power state (BMC_ACPI_*): informational, as system software last set it;
	 * a power transition of the server sets S0/G0 + D0 or S5/G2 + D3 (bmc_acpi_follow_power). */
	uint8_t acpi_system_state;
	uint8_t acpi_device_state;
	/* Maintained by the transports (lan/), read by Get Channel Info / Get Session Info. */
	uint8_t max_sessions;
	uint8_t active_sessions[BMC_NUM_CHANNELS];
	usec_t started_at;
	/* Set by Cold/Warm Reset (enum bmc_reset): the daemon re-initialises the BMC logic after
	 * replying. */
	uint8_t reset_requested;
	/* Cold resets so far (bmc_reset): every transport ends its sessions when this moves,
	 * whichever transport asked for the reset (LAN, the system interface, Redfish). */
	uint32_t cold_resets;
};

/* BMC Global Enables bits (IPMI 2.0 §22.1). */
enum {
	BMC_GLOBAL_ENABLE_RECEIVE_IRQ = 0x01, /* receive message queue interrupt */
	BMC_GLOBAL_ENABLE_EVENT_BUFFER_IRQ = 0x02,
	BMC_GLOBAL_ENABLE_EVENT_BUFFER = 0x04,
	BMC_GLOBAL_ENABLE_SEL = 0x08,
};

/* Message flags the system interface has for the host (IPMI 2.0 §22.4). */
enum {
	BMC_MSG_FLAG_RECEIVE = 0x01,
	BMC_MSG_FLAG_EVENT_BUFFER_FULL = 0x02,
	BMC_MSG_FLAG_WATCHDOG_PRETIMEOUT = 0x08,
};

/* ACPI power state values (IPMI 2.0 §20.6, Set ACPI Power State bytes 1-2, bits 6:0). */
enum {
	BMC_ACPI_S0_G0 = 0x00,     /* working */
	BMC_ACPI_S5_G2 = 0x05,     /* soft off */
	BMC_ACPI_SYSTEM_MAX = 0x0A, /* 00h-0Ah: S0..S5, S4/S5, G3, sleeping, G1, override */
	BMC_ACPI_LEGACY_ON = 0x20,
	BMC_ACPI_LEGACY_OFF = 0x21,
	BMC_ACPI_SYSTEM_UNKNOWN = 0x2A,
	BMC_ACPI_D0 = 0x00,
	BMC_ACPI_D3 = 0x03,
	BMC_ACPI_DEVICE_UNKNOWN = 0x04,
	BMC_ACPI_NO_CHANGE = 0x7F,
};

/* The server powered on (S0/G0, D0) or off (S5/G2, D3). */
void bmc_acpi_follow_power(struct bmc *bmc, bool on);

/* Sets or clears message flags and tells the platform what the host should see (its
 * interrupt enable and the attention flag, SMS_ATN). */
void bmc_msg_flags_set(struct bmc *bmc, uint8_t flags);
void bmc_msg_flags_clear(struct bmc *bmc, uint8_t flags);
/* Tells the platform the present interrupt enable and attention state (after a change of the
 * global enables, and whenever the host's interface comes up). */
void bmc_sysif_signal(struct bmc *bmc);

/* Creates the model on an open store and a platform (ownership of neither moves).
 * admin_password: for the first start only; NULL = generate (written to ret_generated,
 * a buffer of at least 17 bytes, else ret_generated[0] = 0). */
int bmc_init(struct bmc *bmc, struct store *store, struct platform *platform,
	     const char *admin_password, char *ret_generated, bool first_start);
void bmc_fini(struct bmc *bmc);
/* Restarts the BMC logic: saves what is pending and reloads users and channels from the store
 * (volatile channel settings return to the non-volatile ones). State is kept. */
int bmc_reset(struct bmc *bmc, bool cold);

/* Called by the daemon's loop every 100 ms: advances time-driven state (watchdog countdown,
 * sensor polling and threshold evaluation). */
void bmc_tick(struct bmc *bmc, usec_t now);

/* Platform callbacks route here; wire them with bmc_platform_callbacks(). */
struct platform_callbacks bmc_platform_callbacks(struct bmc *bmc);
