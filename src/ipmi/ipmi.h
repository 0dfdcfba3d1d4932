/* IPMI message-level definitions shared by every transport: netFns, completion codes,
 * privilege levels, the request/response structs handlers see, and the dispatch entry point.
 * Nothing here knows about sockets or sessions' wire formats. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bmc/ipmi_spec.h"

struct bmc;

enum {
	IPMI_NETFN_CHASSIS = 0x00,
	IPMI_NETFN_BRIDGE = 0x02,
	IPMI_NETFN_SENSOR = 0x04,
	IPMI_NETFN_APP = 0x06,
	IPMI_NETFN_FIRMWARE = 0x08,
	IPMI_NETFN_STORAGE = 0x0A,
	IPMI_NETFN_TRANSPORT = 0x0C,
	IPMI_NETFN_GROUP = 0x2C,
	IPMI_NETFN_OEM_GROUP = 0x2E,
};

#define IPMI_MAX_REQ_DATA 256
#define IPMI_MAX_RSP_DATA 256

struct ipmi_transport;

/* One IPMI request as a handler sees it: the transport has already unwrapped sessions,
 * checked checksums and authenticated the sender. */
struct ipmi_req {
	uint8_t netfn; /* request netFn (even) */
	uint8_t cmd;
	uint8_t lun;
	const uint8_t *data;
	size_t len;
	uint8_t channel;  /* the real channel the request came in on */
	uint8_t rq_addr;  /* the requester's address or software ID (LAN: the console's, 0x81);
			   * 0 where the transport has none (the system interface) */
	uint8_t rq_lun;
	uint8_t priv;     /* the session's current privilege (IPMI_PRIV_ADMIN on system iface) */
	uint8_t user_id;  /* 0 outside a session */
	bool in_session;
	/* Transport context for transport-specific handlers (session commands). */
	const struct ipmi_transport *transport;
	void *transport_ctx;
};

struct ipmi_rsp {
	uint8_t cc;
	size_t len;
	uint8_t data[IPMI_MAX_RSP_DATA];
	/* Set by a handler whose non-zero completion code still carries data (e.g. DCMI Get
	 * Power Limit 0x80 "no active limit"); otherwise the dispatcher drops the data. */
	bool keep_data;
};

typedef void (*ipmi_handler_fn)(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp);

/* One row of a command table: checks happen once in ipmi_dispatch before the handler runs. */
struct ipmi_cmd {
	uint8_t netfn;
	uint8_t cmd;
	uint8_t min_len;   /* shorter requests get 0xC7 */
	uint8_t max_len;   /* longer requests get 0xC7; 0 = IPMI_MAX_REQ_DATA */
	uint8_t priv;      /* minimum privilege; IPMI_PRIV_NONE = allowed outside a session */
	ipmi_handler_fn handler;
};

/* What a transport adds to the dispatch: its own commands (e.g. session management on LAN),
 * looked up before the common table. */
struct ipmi_transport {
	const char *name;
	const struct ipmi_cmd *cmds;
	size_t n_cmds;
};

/* Runs one request through the transport's table, then the common table. Always fills rsp. */
void ipmi_dispatch(struct bmc *bmc, const struct ipmi_req *req, struct ipmi_rsp *rsp);

/* Helpers for handlers. */
void ipmi_rsp_u8(struct ipmi_rsp *rsp, uint8_t v);
void ipmi_rsp_bytes(struct ipmi_rsp *rsp, const void *p, size_t n);
static inline void ipmi_rsp_cc(struct ipmi_rsp *rsp, uint8_t cc)
{
	rsp->cc = cc;
	rsp->len = 0;
}

/* The common command tables, one per netFn family (ipmi/app.c, ipmi/chassis.c, ...). */
extern const struct ipmi_cmd ipmi_app_cmds[];
extern const size_t ipmi_app_cmds_n;
extern const struct ipmi_cmd ipmi_chassis_cmds[];
extern const size_t ipmi_chassis_cmds_n;
extern const struct ipmi_cmd ipmi_watchdog_cmds[];   /* ipmi/watchdog.c (App netFn) */
extern const size_t ipmi_watchdog_cmds_n;
extern const struct ipmi_cmd ipmi_sensor_cmds[];     /* ipmi/sensor_event.c */
extern const size_t ipmi_sensor_cmds_n;
extern const struct ipmi_cmd ipmi_sdr_cmds[];        /* ipmi/storage_sdr.c */
extern const size_t ipmi_sdr_cmds_n;
extern const struct ipmi_cmd ipmi_sel_cmds[];        /* ipmi/storage_sel.c */
extern const size_t ipmi_sel_cmds_n;
extern const struct ipmi_cmd ipmi_fru_cmds[];        /* ipmi/storage_fru.c */
extern const size_t ipmi_fru_cmds_n;
extern const struct ipmi_cmd ipmi_transport_cmds[];  /* ipmi/transport.c */
extern const size_t ipmi_transport_cmds_n;
extern const struct ipmi_cmd ipmi_sol_cmds[];        /* ipmi/sol.c */
extern const size_t ipmi_sol_cmds_n;
extern const struct ipmi_cmd ipmi_sysinfo_cmds[];    /* ipmi/sysinfo.c (App netFn) */
extern const size_t ipmi_sysinfo_cmds_n;
extern const struct ipmi_cmd ipmi_dcmi_cmds[];       /* ipmi/dcmi.c (netFn 0x2C, group 0xDC) */
extern const size_t ipmi_dcmi_cmds_n;
