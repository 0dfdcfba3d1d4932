/* Numbers the IPMI specification defines and both the model (bmc/) and the command layer
 * (ipmi/) speak in: completion codes, privilege levels, channel numbers. They live below both
 * layers so that the model can return a completion code without including ipmi/. */
#pragma once

/* Completion codes (IPMI 2.0 table 5-2). */
enum {
	IPMI_CC_OK = 0x00,
	IPMI_CC_NODE_BUSY = 0xC0,
	IPMI_CC_INVALID_CMD = 0xC1,
	IPMI_CC_INVALID_LUN = 0xC2,
	IPMI_CC_TIMEOUT = 0xC3,
	IPMI_CC_OUT_OF_SPACE = 0xC4,
	IPMI_CC_RESERVATION = 0xC5,
	IPMI_CC_DATA_TRUNCATED = 0xC6,
	IPMI_CC_REQ_LEN_INVALID = 0xC7,
	IPMI_CC_REQ_LEN_EXCEEDED = 0xC8,
	IPMI_CC_PARAM_OUT_OF_RANGE = 0xC9,
	IPMI_CC_CANT_RETURN_BYTES = 0xCA,
	IPMI_CC_NOT_PRESENT = 0xCB,
	IPMI_CC_INVALID_FIELD = 0xCC,
	IPMI_CC_ILLEGAL_FOR_SENSOR = 0xCD,
	IPMI_CC_CANT_RESPOND = 0xCE,
	IPMI_CC_DUPLICATE = 0xCF,
	IPMI_CC_SDR_UPDATE_MODE = 0xD0,
	IPMI_CC_FW_UPDATE_MODE = 0xD1,
	IPMI_CC_INIT_IN_PROGRESS = 0xD2,
	IPMI_CC_DEST_UNAVAILABLE = 0xD3,
	IPMI_CC_INSUFFICIENT_PRIV = 0xD4,
	IPMI_CC_NOT_IN_STATE = 0xD5,
	IPMI_CC_DISABLED = 0xD6,
	IPMI_CC_UNSPECIFIED = 0xFF,
};

/* Privilege levels (IPMI 2.0 §6.8). */
enum ipmi_priv {
	IPMI_PRIV_NONE = 0x0, /* "no session needed" in the dispatch table */
	IPMI_PRIV_CALLBACK = 0x1,
	IPMI_PRIV_USER = 0x2,
	IPMI_PRIV_OPERATOR = 0x3,
	IPMI_PRIV_ADMIN = 0x4,
	IPMI_PRIV_OEM = 0x5,
	IPMI_PRIV_NO_ACCESS = 0xF,
};

/* Channel numbers used by this BMC. */
enum {
	IPMI_CHANNEL_IPMB = 0x0,
	IPMI_CHANNEL_LAN = 0x1,
	IPMI_CHANNEL_CURRENT = 0xE,
	IPMI_CHANNEL_SYSTEM = 0xF,
};
