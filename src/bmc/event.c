/* The model's one event path (IPMI 2.0 §29, §32.1): an event becomes a system event record
 * with its generator (the BMC, IPMB address 0x20, channel 0, LUN 0, unless a Platform Event
 * Message named another) and event message format
 * revision 0x04, written through bmc_sel_add like an Add SEL Entry, which assigns the record ID
 * and stamps it with the SEL clock. PEF and alerting will hang off this function later. */
#include "bmc/event.h"

#include <errno.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"

#define SEL_RECORD_TYPE_SYSTEM_EVENT 0x02
#define GENERATOR_ID_BMC 0x20      /* bits 7:1 slave address 0x20 >> 1, bit 0 = 0 (IPMB) */
#define GENERATOR_CHANNEL_LUN 0x00 /* channel 0 (primary IPMB), LUN 0 */
#define EVM_REV_IPMI15 0x04
#define EVENT_DIR_DEASSERTION 0x80
#define EVENT_TYPE_SENSOR_SPECIFIC 0x6F
#define EVENT_DATA_UNSPECIFIED 0xFF
/* Set BMC Global Enables byte bit 3: System Event Logging (IPMI 2.0 §22.1). */

int bmc_event_log(struct bmc *bmc, const struct bmc_event *ev)
{
	uint8_t rec[BMC_SEL_RECORD_LEN];
	struct wbuf w = wbuf_init(rec, sizeof(rec));
	uint16_t id = 0;

	if (!(bmc->global_enables & BMC_GLOBAL_ENABLE_SEL))
		return -EPERM;
	wbuf_u16le(&w, 0);         /* record ID: assigned by the SEL */
	wbuf_u8(&w, SEL_RECORD_TYPE_SYSTEM_EVENT);
	wbuf_u32le(&w, 0);         /* timestamp: stamped by the SEL */
	wbuf_u8(&w, ev->generator_id ? ev->generator_id : GENERATOR_ID_BMC);
	wbuf_u8(&w, ev->generator_id ? ev->generator_channel_lun : GENERATOR_CHANNEL_LUN);
	wbuf_u8(&w, EVM_REV_IPMI15);
	wbuf_u8(&w, ev->sensor_type);
	wbuf_u8(&w, ev->sensor_num);
	wbuf_u8(&w, (uint8_t)((ev->deassertion ? EVENT_DIR_DEASSERTION : 0) |
			      (ev->event_type & 0x7F)));
	wbuf_bytes(&w, ev->data, sizeof(ev->data));
	if (w.err)
		return -EOVERFLOW;
	int r = bmc_sel_add(bmc, rec, &id);
	if (r < 0)
		return r;
	log_debug("%s: SEL entry %u: sensor type 0x%02x number 0x%02x, event type 0x%02x %s, "
		  "data %02x %02x %02x", bmc->name, id, ev->sensor_type, ev->sensor_num,
		  ev->event_type, ev->deassertion ? "deasserted" : "asserted", ev->data[0],
		  ev->data[1], ev->data[2]);
	return id;
}

/* records.md §3.1 / event.h: the sensor type of each BMC-owned sensor. */
static uint8_t internal_sensor_type(enum bmc_internal_sensor sensor)
{
	switch (sensor) {
	case BMC_SENSOR_POWER_UNIT:
		return 0x09;
	case BMC_SENSOR_WATCHDOG:
		return 0x23;
	case BMC_SENSOR_EVENT_LOG:
		return 0x10;
	case BMC_SENSOR_SYSTEM_EVENT:
		return 0x12;
	case BMC_SENSOR_SYSTEM_BOOT:
		return 0x1D;
	}
	return 0x00;
}

void bmc_event_internal(struct bmc *bmc, enum bmc_internal_sensor sensor, uint8_t offset,
			bool deassertion)
{
	/* Event data 1: bits 7:4 = 0 (data 2 and 3 unspecified), bits 3:0 the offset (§29.7). */
	const struct bmc_event ev = {
		.sensor_type = internal_sensor_type(sensor),
		.sensor_num = (uint8_t)sensor,
		.event_type = EVENT_TYPE_SENSOR_SPECIFIC,
		.deassertion = deassertion,
		.data = { (uint8_t)(offset & 0x0F), EVENT_DATA_UNSPECIFIED, EVENT_DATA_UNSPECIFIED },
	};
	int r = bmc_event_log(bmc, &ev);
	if (r == -ENOSPC || r == -EPERM)
		log_debug("%s: event of sensor 0x%02x offset %u not logged: %s", bmc->name,
			  (unsigned)sensor, offset, r == -ENOSPC ? "SEL full" : "SEL logging disabled");
	else if (r < 0)
		log_warn("%s: event of sensor 0x%02x offset %u not logged: %s", bmc->name,
			 (unsigned)sensor, offset, strerror(-r));
}
