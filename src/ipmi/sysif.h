/* The system interface (channel 0x0F): the host's in-band path to the BMC, e.g. the KCS
 * interface of a QEMU guest (platform/qemu). No session: requests run at Administrator
 * privilege, as IPMI 2.0 §6.8 gives the system interface. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct bmc;

/* Runs one request (netFn << 2 | LUN, cmd, data) and writes the response (netFn + 1 << 2 |
 * LUN, cmd, completion code, data) to rsp. Returns the response length, 0 if rsp (cap bytes,
 * at least 4) is too small or the request is shorter than netFn and cmd. */
size_t ipmi_sysif_handle(struct bmc *bmc, const uint8_t *req, size_t len, uint8_t *rsp,
			 size_t cap);
