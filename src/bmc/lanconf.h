/* LAN configuration parameters of channel 1 (IPMI 2.0 §23.1-23.2, table 23-4): the modelled
 * management network (static addresses or a simulated DHCP lease, VLAN, gateways), IPMI 1.5
 * authentication type enables, alert destinations (stored; delivery is PEF's), the cipher suite
 * privilege levels that Open Session enforces, and the bad password threshold with the per-user
 * lockout it drives. Byte layouts live in ipmi/transport.c; this is the state and its rules. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bmc/users.h"
#include "core/timeutil.h"

struct bmc;

/* Parameter numbers (IPMI 2.0 table 23-4). */
enum bmc_lan_param {
	BMC_LANP_SET_IN_PROGRESS = 0,
	BMC_LANP_AUTH_SUPPORT = 1,
	BMC_LANP_AUTH_ENABLES = 2,
	BMC_LANP_IP_ADDRESS = 3,
	BMC_LANP_IP_SOURCE = 4,
	BMC_LANP_MAC_ADDRESS = 5,
	BMC_LANP_SUBNET_MASK = 6,
	BMC_LANP_IPV4_HEADER = 7,
	BMC_LANP_PRIMARY_RMCP_PORT = 8,
	BMC_LANP_SECONDARY_RMCP_PORT = 9,
	BMC_LANP_ARP_CONTROL = 10,
	BMC_LANP_GARP_INTERVAL = 11,
	BMC_LANP_DEFAULT_GATEWAY = 12,
	BMC_LANP_DEFAULT_GATEWAY_MAC = 13,
	BMC_LANP_BACKUP_GATEWAY = 14,
	BMC_LANP_BACKUP_GATEWAY_MAC = 15,
	BMC_LANP_COMMUNITY = 16,
	BMC_LANP_DEST_COUNT = 17,
	BMC_LANP_DEST_TYPE = 18,
	BMC_LANP_DEST_ADDRESS = 19,
	BMC_LANP_VLAN_ID = 20,
	BMC_LANP_VLAN_PRIORITY = 21,
	BMC_LANP_CIPHER_SUPPORT = 22,
	BMC_LANP_CIPHER_ENTRIES = 23,
	BMC_LANP_CIPHER_PRIVS = 24,
	BMC_LANP_DEST_VLAN = 25,
	BMC_LANP_BAD_PASSWORD = 26,
	BMC_LANP_MAX
};

/* Parameter 0, bits 1:0. */
enum bmc_lan_set_state {
	BMC_LAN_SET_COMPLETE = 0,
	BMC_LAN_SET_IN_PROGRESS = 1,
	BMC_LAN_COMMIT_WRITE = 2,
};

/* Parameter 4, bits 3:0; only static and DHCP are accepted. */
enum bmc_lan_ip_source {
	BMC_LAN_IPSRC_UNSPECIFIED = 0,
	BMC_LAN_IPSRC_STATIC = 1,
	BMC_LAN_IPSRC_DHCP = 2,
};

/* IPMI 1.5 authentication type bits (parameters 1 and 2, Get Channel Auth Caps byte 2). */
enum {
	BMC_AUTH_BIT_NONE = 1u << 0,
	BMC_AUTH_BIT_MD2 = 1u << 1,
	BMC_AUTH_BIT_MD5 = 1u << 2,
	BMC_AUTH_BIT_STRAIGHT = 1u << 4,
	BMC_AUTH_BIT_OEM = 1u << 5,
};

#define BMC_LAN_DESTINATIONS 4       /* non-volatile alert destinations 1..4 (+ volatile 0) */
#define BMC_LAN_COMMUNITY_LEN 18
#define BMC_LAN_CIPHER_PRIV_SLOTS 16 /* parameter 24 holds 16 nibbles: cipher suite IDs 0-15 */
#define BMC_LAN_PRIV_LEVELS 5        /* parameter 2: callback, user, operator, admin, OEM */
#define BMC_LAN_DEFAULT_RMCP_PORT 623
#define BMC_LAN_SECURE_RMCP_PORT 664

/* One IPv4 configuration: the static one, or the lease DHCP mode reports. */
struct bmc_lan_ipv4 {
	uint8_t ip[4];
	uint8_t netmask[4];
	uint8_t gateway[4];
	uint8_t gateway_mac[6];
};

/* One LAN alert destination (parameters 18, 19, 25 with its set selector). */
struct bmc_lan_dest {
	uint8_t type;        /* bit 7 alert acknowledge, bits 2:0 type (0 PET, 6 OEM1, 7 OEM2) */
	uint8_t ack_timeout; /* seconds */
	uint8_t retries;     /* bits 2:0 */
	uint8_t addr_format; /* 0 = IPv4 + MAC */
	uint8_t gateway_sel; /* 0 default, 1 backup */
	uint8_t ip[4];
	uint8_t mac[6];
	uint8_t vlan_format; /* 0 = no VLAN tag, 1 = 802.1q tag */
	uint16_t vlan_tci;   /* bits 11:0 VLAN ID, 15:13 priority */
};

/* Parameter 26 (IPMI 2.0 errata: bad password threshold). Intervals in 10 s units. */
struct bmc_lan_bad_password {
	bool event_on_disable;     /* byte 1 bit 0 (stored; no Session Audit sensor yet) */
	uint8_t threshold;         /* consecutive failures that lock a user out; 0 = off */
	uint16_t reset_interval;   /* count forgotten this long after the last failure; 0 = never */
	uint16_t lockout_interval; /* how long a locked user stays locked; 0 = user disabled */
};

/* Everything that is written with Set LAN Configuration Parameters and persisted. */
struct bmc_lan_params {
	uint8_t auth_enables[BMC_LAN_PRIV_LEVELS]; /* BMC_AUTH_BIT_* per privilege level */
	uint8_t ip_source;                  /* enum bmc_lan_ip_source */
	struct bmc_lan_ipv4 v4;             /* the static configuration */
	uint8_t ipv4_header[3];             /* TTL, flags, precedence/TOS (raw bytes) */
	uint8_t arp_control;                /* bit 1 ARP responses, bit 0 gratuitous ARPs */
	uint8_t garp_interval;              /* 500 ms units */
	uint8_t backup_gateway[4];
	uint8_t backup_gateway_mac[6];
	uint8_t community[BMC_LAN_COMMUNITY_LEN]; /* ASCII, NUL-padded */
	struct bmc_lan_dest dest[BMC_LAN_DESTINATIONS + 1]; /* [0] volatile, not persisted */
	uint16_t vlan;                      /* bit 15 enable, bits 11:0 VLAN ID */
	uint8_t vlan_priority;              /* bits 2:0 */
	uint8_t cipher_priv[BMC_LAN_CIPHER_PRIV_SLOTS]; /* by suite ID; 0/0xF = suite refused */
	struct bmc_lan_bad_password bad_password;
};

/* Runtime lockout state of one user (not persisted: a daemon restart forgets it). */
struct bmc_lan_lockout {
	uint8_t failures;     /* consecutive failed logins counted */
	usec_t last_failure;  /* monotonic */
	usec_t last_success;  /* attempts that began before it are not counted */
	usec_t locked_until;  /* monotonic; 0 = not locked */
};

struct bmc_lanconf {
	struct bmc_lan_params cur;      /* in effect and persisted */
	struct bmc_lan_params pending;  /* during "set in progress": writes wait here for commit */
	uint8_t set_state;              /* enum bmc_lan_set_state (volatile, per spec) */
	uint32_t pending_mask;          /* bit n: parameter n written since "set in progress" */
	uint8_t mac[6];                 /* derived from the system GUID (read-only) */
	struct bmc_lan_ipv4 lease;      /* the simulated DHCP lease, derived from the GUID */
	uint16_t rmcp_port;             /* the daemon's real UDP port (reported by lan/) */
	struct bmc_lan_lockout lockout[BMC_MAX_USERS + 1]; /* index = user ID */
};

/* Loads persisted state at BMC start (called by bmc_init after the chassis). Needs the system
 * GUID and bmc->lan_sec (cipher suites and auth types from the configuration). */
int bmc_lanconf_init(struct bmc *bmc);
/* lan/ reports the UDP port the daemon really listens on (parameter 8). */
void bmc_lanconf_set_rmcp_port(struct bmc *bmc, uint16_t port);

/* ---- parameters -------------------------------------------------------------------------- */

/* What reads see: the pending set during "set in progress", else the set in effect. */
const struct bmc_lan_params *bmc_lanconf_view(const struct bmc *bmc);
/* The addresses in effect for a parameter set: its static ones, or the DHCP lease. */
void bmc_lanconf_ipv4(const struct bmc *bmc, const struct bmc_lan_params *p,
		      struct bmc_lan_ipv4 *ret);
/* Applies `next`, a copy of bmc_lanconf_view() in which parameter `param` was changed.
 * Validates the change (and what it depends on); in "set complete" state persists it before
 * returning, during "set in progress" keeps it pending until commit. Errors (nothing changed):
 *  -EINVAL  invalid value (IPMI 0xCC)        -EROFS   read-only parameter (0x82)
 *  -EAGAIN  not while the address comes from DHCP (0xD5)
 *  -EOPNOTSUPP unsupported parameter (0x80)  other    store failure */
int bmc_lanconf_update(struct bmc *bmc, uint8_t param, const struct bmc_lan_params *next);
/* Parameter 0. -EBUSY: "set in progress" while not in "set complete" (0x81); -EINVAL
 * reserved value; a commit that cannot be persisted returns the store error and stays
 * in progress. "Set complete" without a commit discards pending writes (rollback). */
int bmc_lanconf_set_in_progress(struct bmc *bmc, uint8_t state);
uint8_t bmc_lanconf_set_state(const struct bmc *bmc);
/* The parameter's name in the spec's words, for log lines. */
const char *bmc_lanconf_param_name(uint8_t param);

/* ---- what the LAN transport enforces ----------------------------------------------------- */

/* Parameter 1: IPMI 1.5 auth types this BMC supports (from the configuration). */
uint8_t bmc_lanconf_auth_support(const struct bmc *bmc);
/* Parameter 2 for privilege level priv (1-5), limited to what is supported; 0 otherwise. */
uint8_t bmc_lanconf_auth_enabled(const struct bmc *bmc, uint8_t priv);
/* The highest privilege a session on cipher suite `suite` may have: parameter 24 for suites
 * 0-15, ADMINISTRATOR for suites above 15 (parameter 24 has no nibble for them). Returns 0 if
 * the suite is marked unused (0) or no access (0xF): Open Session must refuse it. */
uint8_t bmc_lanconf_cipher_priv(const struct bmc *bmc, uint8_t suite);

/* ---- bad password lockout (parameter 26), evaluated lazily on the monotonic clock -------- */

enum bmc_lockout_result {
	BMC_LOCKOUT_COUNTED = 0, /* failure counted, user not locked */
	BMC_LOCKOUT_IGNORED,     /* a success came after the attempt began, or threshold 0 */
	BMC_LOCKOUT_LOCKED,      /* this failure locked the user out for the lockout interval */
	BMC_LOCKOUT_DISABLED,    /* lockout interval 0: the user was disabled (persisted) */
};

/* True if user `uid` may not log in at `now`; *ret_left = time left (may be NULL). */
bool bmc_lanconf_user_locked(struct bmc *bmc, uint8_t uid, usec_t now, usec_t *ret_left);
/* A login attempt by `uid` that began at `began` failed (wrong password) and is known at
 * `now`. *ret_failures (may be NULL) = the consecutive count after this one. */
enum bmc_lockout_result bmc_lanconf_login_failed(struct bmc *bmc, uint8_t uid, usec_t began,
						  usec_t now, unsigned *ret_failures);
/* A login by `uid` succeeded: the failure count starts again. */
void bmc_lanconf_login_succeeded(struct bmc *bmc, uint8_t uid, usec_t now);
