/* Managers/1, the BMC itself: identity and Reset (restart the BMC logic, state kept), its
 * Ethernet interface (PATCH writes the same LAN configuration parameters as IPMI, validated
 * and committed by bmc/lanconf as one "set in progress" ... "commit write" transaction),
 * NetworkProtocol, and the SEL as a LogService with entries and ClearLog. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "bmc/bmc.h"
#include "core/log.h"
#include "web/json.h"
#include "web/redfish.h"
#include "web/server_int.h"

#define ETH      RF_MANAGER "/EthernetInterfaces"
#define ETH1     ETH "/1"
#define LOGS     RF_MANAGER "/LogServices"
#define SEL      LOGS "/SEL"
#define ENTRIES  SEL "/Entries"

void rf_managers_get(struct web_ctx *c)
{
	json_t *coll = web_collection(RF_ROOT "/Managers", "#ManagerCollection.ManagerCollection",
				      "Manager Collection");
	web_collection_add(coll, RF_MANAGER);
	web_ok_json(c, 200, coll);
}

void rf_manager_get(struct web_ctx *c)
{
	char uuid[37], now[32];
	rf_uuid_text(c->bmc->device_guid, uuid);
	rf_time_text(bmc_sel_time(c->bmc), now);
	json_t *j = web_resource(RF_MANAGER, "#Manager.v1_17_0.Manager", "1", "softbmc");
	json_object_set_new(j, "ManagerType", json_string("BMC"));
	json_object_set_new(j, "Model", json_string("softbmc"));
	json_object_set_new(j, "FirmwareVersion", json_string(SOFTBMC_VERSION));
	json_object_set_new(j, "UUID", json_string(uuid));
	json_object_set_new(j, "ServiceIdentification", json_string(c->bmc->name));
	json_object_set_new(j, "DateTime", json_string(now));
	json_object_set_new(j, "DateTimeLocalOffset", json_string("+00:00"));
	json_object_set_new(j, "PowerState", json_string("On"));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   "OK"));
	json_object_set_new(j, "EthernetInterfaces", web_link(ETH));
	json_object_set_new(j, "NetworkProtocol", web_link(RF_MANAGER "/NetworkProtocol"));
	json_object_set_new(j, "LogServices", web_link(LOGS));
	json_object_set_new(j, "Links", json_pack("{s:[o], s:[o]}", "ManagerForServers",
				web_link(RF_SYSTEM), "ManagerForChassis", web_link(RF_CHASSIS)));
	json_object_set_new(j, "Actions", json_pack("{s:{s:s, s:[ss]}}", "#Manager.Reset", "target",
				RF_MANAGER "/Actions/Manager.Reset",
				"ResetType@Redfish.AllowableValues", "GracefulRestart",
				"ForceRestart"));
	web_ok_json(c, 200, j);
}

/* GracefulRestart = IPMI Warm Reset, ForceRestart = Cold Reset: the BMC logic restarts from
 * the store; the managed server is not touched. A cold reset also ends the web sessions, and
 * the LAN sessions when the LAN server next looks (bmc->cold_resets). */
void rf_manager_reset(struct web_ctx *c)
{
	json_t *t = json_object_get(c->body, "ResetType");
	const char *type = json_is_string(t) ? json_string_value(t) : "";
	bool cold = !strcmp(type, "ForceRestart");
	if (!t) {
		web_err_action_param_missing(c, "Manager.Reset", "ResetType");
		return;
	}
	if (!cold && strcmp(type, "GracefulRestart")) {
		web_err_action_value(c, "Manager.Reset", "ResetType", t);
		return;
	}
	log_info("web: user %u: Manager.Reset %s", c->uid, type);
	if (bmc_reset(c->bmc, cold) < 0) {
		web_err_internal(c);
		return;
	}
	web_sessions_after_cold_reset(web_server_auth(c->srv), c->bmc); /* cold: all end */
	web_no_content(c);
}

/* ---- EthernetInterfaces -------------------------------------------------------------------- */

static void ip_text(const uint8_t ip[static 4], char out[static 16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

static void mac_text(const uint8_t m[static 6], char out[static 18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static json_t *ipv4_json(const struct bmc_lan_ipv4 *v4, const char *origin)
{
	char ip[16], mask[16], gw[16];
	ip_text(v4->ip, ip);
	ip_text(v4->netmask, mask);
	ip_text(v4->gateway, gw);
	json_t *j = json_pack("{s:s, s:s, s:s}", "Address", ip, "SubnetMask", mask, "Gateway", gw);
	if (origin)
		json_object_set_new(j, "AddressOrigin", json_string(origin));
	return j;
}

static json_t *eth_json(struct web_ctx *c)
{
	const struct bmc_lan_params *p = bmc_lanconf_view(c->bmc);
	bool dhcp = p->ip_source == BMC_LAN_IPSRC_DHCP;
	struct bmc_lan_ipv4 now;
	bmc_lanconf_ipv4(c->bmc, p, &now);
	char mac[18];
	mac_text(c->bmc->lanconf.mac, mac);
	json_t *j = web_resource(ETH1, "#EthernetInterface.v1_10_0.EthernetInterface", "1",
				 "Manager Ethernet Interface (IPMI LAN channel 1)");
	json_object_set_new(j, "InterfaceEnabled", json_true());
	json_object_set_new(j, "LinkStatus", json_string("LinkUp"));
	json_object_set_new(j, "MACAddress", json_string(mac));
	json_object_set_new(j, "PermanentMACAddress", json_string(mac));
	json_object_set_new(j, "DHCPv4", json_pack("{s:b}", "DHCPEnabled", dhcp));
	json_object_set_new(j, "IPv4Addresses", json_pack("[o]", ipv4_json(&now, dhcp ? "DHCP" :
										  "Static")));
	json_object_set_new(j, "IPv4StaticAddresses", json_pack("[o]", ipv4_json(&p->v4, NULL)));
	json_object_set_new(j, "VLAN", json_pack("{s:b, s:i}", "VLANEnable", (p->vlan & 0x8000) != 0,
						 "VLANId", p->vlan & 0x0FFF));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   "OK"));
	return j;
}

void rf_eth_coll_get(struct web_ctx *c)
{
	json_t *coll = web_collection(ETH, "#EthernetInterfaceCollection.EthernetInterfaceCollection",
				      "Ethernet Network Interface Collection");
	web_collection_add(coll, ETH1);
	web_ok_json(c, 200, coll);
}

void rf_eth_get(struct web_ctx *c)
{
	if (strcmp(c->param[0], "1") != 0) {
		web_err_not_found(c);
		return;
	}
	json_t *j = eth_json(c);
	web_ok_resource(c, j);
}

/* What a PATCH asks for, validated for type and form before anything is changed. */
struct eth_change {
	int dhcp;                       /* -1 unchanged, 0 static, 1 DHCP */
	bool addr, mask, gw;
	uint8_t ip[4], netmask[4], gateway[4];
	int vlan_enable;                /* -1 unchanged */
	int vlan_id;                    /* -1 unchanged */
};

static bool parse_ip(struct web_ctx *c, json_t *obj, const char *prop, bool *have,
		     uint8_t out[static 4])
{
	json_t *v = json_object_get(obj, prop);
	if (!v)
		return true;
	struct in_addr a;
	if (!json_is_string(v) || inet_pton(AF_INET, json_string_value(v), &a) != 1) {
		char m[160];
		snprintf(m, sizeof(m), "The value for the property %s is not a dotted IPv4 "
			 "address.", prop);
		web_error(c->res, 400, "PropertyValueFormatError", m, NULL, prop);
		return false;
	}
	memcpy(out, &a, 4);
	*have = true;
	return true;
}

static bool only_keys(struct web_ctx *c, json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const char *const *k;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			web_err_property_unknown(c, key);
			return false;
		}
	}
	return true;
}

static bool eth_parse(struct web_ctx *c, struct eth_change *ch)
{
	static const char *const addr_keys[] = { "Address", "SubnetMask", "Gateway", NULL };
	static const char *const dhcp_keys[] = { "DHCPEnabled", NULL };
	static const char *const vlan_keys[] = { "VLANEnable", "VLANId", NULL };
	*ch = (struct eth_change){ .dhcp = -1, .vlan_enable = -1, .vlan_id = -1 };
	json_t *dhcp = json_object_get(c->body, "DHCPv4");
	if (dhcp) {
		json_t *en = json_object_get(dhcp, "DHCPEnabled");
		if (!json_is_object(dhcp) || !only_keys(c, dhcp, dhcp_keys) || !json_is_boolean(en)) {
			if (!c->res->json)
				web_err_property_type(c, "DHCPv4/DHCPEnabled", en);
			return false;
		}
		ch->dhcp = json_is_true(en);
	}
	json_t *addrs = json_object_get(c->body, "IPv4StaticAddresses");
	if (!addrs)
		addrs = json_object_get(c->body, "IPv4Addresses");
	if (addrs) {
		json_t *a = json_array_get(addrs, 0);
		if (!json_is_array(addrs) || json_array_size(addrs) != 1 || !json_is_object(a)) {
			web_error(c->res, 400, "PropertyValueFormatError", "IPv4StaticAddresses takes "
				  "one address object (the IPMI LAN channel has one IPv4 address).",
				  NULL, "IPv4StaticAddresses");
			return false;
		}
		if (!only_keys(c, a, addr_keys) || !parse_ip(c, a, "Address", &ch->addr, ch->ip) ||
		    !parse_ip(c, a, "SubnetMask", &ch->mask, ch->netmask) ||
		    !parse_ip(c, a, "Gateway", &ch->gw, ch->gateway))
			return false;
	}
	json_t *vlan = json_object_get(c->body, "VLAN");
	if (vlan) {
		json_t *en = json_object_get(vlan, "VLANEnable"), *id = json_object_get(vlan, "VLANId");
		if (!json_is_object(vlan) || !only_keys(c, vlan, vlan_keys))
			return c->res->json ? false : (web_err_property_type(c, "VLAN", vlan), false);
		if ((en && !json_is_boolean(en)) || (id && !json_is_integer(id))) {
			web_err_property_type(c, en && !json_is_boolean(en) ? "VLANEnable" : "VLANId",
					      en && !json_is_boolean(en) ? en : id);
			return false;
		}
		ch->vlan_enable = en ? json_is_true(en) : -1;
		ch->vlan_id = id ? (int)json_integer_value(id) : -1;
		if (id && (json_integer_value(id) < 1 || json_integer_value(id) > 4094)) {
			web_error(c->res, 400, "PropertyValueOutOfRange", "VLANId is 1..4094.", NULL,
				  "VLANId");
			return false;
		}
	}
	return true;
}

static void eth_change_apply(const struct eth_change *ch, struct bmc_lan_params *p)
{
	if (ch->dhcp >= 0)
		p->ip_source = ch->dhcp ? BMC_LAN_IPSRC_DHCP : BMC_LAN_IPSRC_STATIC;
	if (ch->addr)
		memcpy(p->v4.ip, ch->ip, 4);
	if (ch->mask)
		memcpy(p->v4.netmask, ch->netmask, 4);
	if (ch->gw)
		memcpy(p->v4.gateway, ch->gateway, 4);
	uint16_t id = ch->vlan_id >= 0 ? (uint16_t)ch->vlan_id : (p->vlan & 0x0FFF);
	bool en = ch->vlan_enable >= 0 ? ch->vlan_enable : (p->vlan & 0x8000) != 0;
	if (ch->vlan_id >= 0 && ch->vlan_enable < 0)
		en = true; /* giving a VLAN ID turns tagging on */
	p->vlan = (uint16_t)((en ? 0x8000 : 0) | (en ? id : id & 0x0FFF));
}

/* The parameters a change touches, in the order they are written. */
static int eth_write(struct web_ctx *c, const struct eth_change *ch, uint8_t *ret_bad)
{
	const struct { bool touched; uint8_t param; } order[] = {
		{ ch->dhcp >= 0, BMC_LANP_IP_SOURCE },
		{ ch->mask, BMC_LANP_SUBNET_MASK },
		{ ch->addr, BMC_LANP_IP_ADDRESS },
		{ ch->gw, BMC_LANP_DEFAULT_GATEWAY },
		{ ch->vlan_enable >= 0 || ch->vlan_id >= 0, BMC_LANP_VLAN_ID },
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!order[i].touched)
			continue;
		struct bmc_lan_params next = *bmc_lanconf_view(c->bmc);
		eth_change_apply(ch, &next);
		int r = bmc_lanconf_update(c->bmc, order[i].param, &next);
		if (r < 0) {
			*ret_bad = order[i].param;
			return r;
		}
	}
	return 0;
}

static void eth_error(struct web_ctx *c, int r, uint8_t param)
{
	char m[200];
	const char *name = bmc_lanconf_param_name(param);
	if (r == -EAGAIN) {
		snprintf(m, sizeof(m), "The %s cannot be set while the address comes from DHCP; set "
			 "DHCPv4/DHCPEnabled to false in the same request.", name);
		web_error(c->res, 409, "PropertyValueConflict", m, name, "DHCPEnabled");
	} else if (r == -EINVAL) {
		snprintf(m, sizeof(m), "The %s is not valid with the rest of the configuration (a "
			 "contiguous netmask, a host address in it, a gateway inside the subnet).",
			 name);
		web_error(c->res, 400, "PropertyValueConflict", m, name, NULL);
	} else {
		web_err_internal(c);
	}
}

void rf_eth_patch(struct web_ctx *c)
{
	static const char *const writable[] = { "DHCPv4", "IPv4StaticAddresses", "IPv4Addresses",
						"VLAN", NULL };
	if (strcmp(c->param[0], "1") != 0) {
		web_err_not_found(c);
		return;
	}
	json_t *cur = eth_json(c);
	bool ok = web_patch_ready(c, writable, cur);
	struct eth_change ch;
	if (!ok || !eth_parse(c, &ch))
		return;
	/* One transaction: IPMI's own "set in progress" lock, so an IPMI client mid-way through
	 * its own change is not interleaved with ours, and a refused value changes nothing. */
	int r = bmc_lanconf_set_in_progress(c->bmc, BMC_LAN_SET_IN_PROGRESS);
	if (r == -EBUSY) {
		web_error(c->res, 409, "GeneralError", "An IPMI client holds the LAN configuration "
			  "in \"set in progress\"; try again later.", NULL, NULL);
		return;
	}
	uint8_t bad = 0;
	r = eth_write(c, &ch, &bad);
	if (r == 0)
		r = bmc_lanconf_set_in_progress(c->bmc, BMC_LAN_COMMIT_WRITE);
	(void)bmc_lanconf_set_in_progress(c->bmc, BMC_LAN_SET_COMPLETE);
	if (r < 0) {
		eth_error(c, r, bad);
		return;
	}
	log_info("web: user %u changed the LAN configuration of channel 1", c->uid);
	rf_eth_get(c);
}

void rf_netproto_get(struct web_ctx *c)
{
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	bool ipmi_on = c->bmc->lan_channel.volatile_.access_mode != 0;
	json_t *j = web_resource(RF_MANAGER "/NetworkProtocol",
				 "#ManagerNetworkProtocol.v1_9_1.ManagerNetworkProtocol",
				 "NetworkProtocol", "Manager Network Protocol");
	json_object_set_new(j, "HostName", json_string(host));
	json_object_set_new(j, "HTTPS", json_pack("{s:b, s:i}", "ProtocolEnabled", 1, "Port",
						  web_server_port(c->srv)));
	json_object_set_new(j, "HTTP", json_pack("{s:b}", "ProtocolEnabled", 0));
	json_object_set_new(j, "IPMI", json_pack("{s:b, s:i}", "ProtocolEnabled", ipmi_on, "Port",
						 c->bmc->lanconf.rmcp_port));
	json_object_set_new(j, "SSH", json_pack("{s:b}", "ProtocolEnabled", 0));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   "OK"));
	web_ok_json(c, 200, j);
}

/* ---- the SEL as a LogService --------------------------------------------------------------- */

void rf_logservices_get(struct web_ctx *c)
{
	json_t *coll = web_collection(LOGS, "#LogServiceCollection.LogServiceCollection",
				      "Log Service Collection");
	web_collection_add(coll, SEL);
	web_ok_json(c, 200, coll);
}

void rf_sel_service_get(struct web_ctx *c)
{
	struct bmc_sel_info info = { 0 };
	(void)bmc_sel_info(c->bmc, &info);
	char now[32];
	rf_time_text(bmc_sel_time(c->bmc), now);
	json_t *j = web_resource(SEL, "#LogService.v1_5_0.LogService", "SEL", "IPMI System Event Log");
	json_object_set_new(j, "ServiceEnabled", json_true());
	json_object_set_new(j, "LogEntryType", json_string("SEL"));
	json_object_set_new(j, "MaxNumberOfRecords", json_integer(info.capacity));
	json_object_set_new(j, "OverWritePolicy", json_string("NeverOverWrites"));
	json_object_set_new(j, "DateTime", json_string(now));
	json_object_set_new(j, "DateTimeLocalOffset", json_string("+00:00"));
	json_object_set_new(j, "Entries", web_link(ENTRIES));
	json_object_set_new(j, "Status", json_pack("{s:s, s:s}", "State", "Enabled", "Health",
						   info.overflow ? "Warning" : "OK"));
	json_object_set_new(j, "Actions", json_pack("{s:{s:s}}", "#LogService.ClearLog", "target",
						    SEL "/Actions/LogService.ClearLog"));
	web_ok_json(c, 200, j);
}

/* Redfish SensorType strings for IPMI sensor types 0x01..0x2C (records.md §3.1). */
static const char *const sensor_types[] = {
	NULL, "Temperature", "Voltage", "Current", "Fan", "Physical Chassis Security",
	"Platform Security Violation Attempt", "Processor", "Power Supply / Converter",
	"PowerUnit", "Cooling Device", "Other Units-based Sensor", "Memory", "Drive Slot/Bay",
	"POST Memory Resize", "System Firmware Progress", "Event Logging Disabled", "Watchdog",
	"System Event", "Critical Interrupt", "Button/Switch", "Module/Board",
	"Microcontroller/Coprocessor", "Add-in Card", "Chassis", "Chip Set", "Other FRU",
	"Cable/Interconnect", "Terminator", "SystemBoot/Restart", "Boot Error",
	"BaseOSBoot/InstallationStatus", "OS Stop/Shutdown", "Slot/Connector",
	"System ACPI PowerState", "Watchdog", "Platform Alert", "Entity Presence", "Monitor ASIC/IC",
	"LAN", "Management Subsystem Health", "Battery", "Session Audit", "Version Change",
	"FRUState",
};

static const char *const threshold_codes[] = {
	"Lower Non-critical - going low", "Lower Non-critical - going high",
	"Lower Critical - going low", "Lower Critical - going high",
	"Lower Non-recoverable - going low", "Lower Non-recoverable - going high",
	"Upper Non-critical - going low", "Upper Non-critical - going high",
	"Upper Critical - going low", "Upper Critical - going high",
	"Upper Non-recoverable - going low", "Upper Non-recoverable - going high",
};

static const char *entry_severity(uint8_t type, uint8_t evtype, uint8_t offset, bool deassert)
{
	if (deassert)
		return "OK";
	if (evtype == 0x01 && offset < 12) {
		bool noncrit = offset <= 1 || offset == 6 || offset == 7;
		return noncrit ? "Warning" : "Critical";
	}
	switch (type) {
	case 0x05: case 0x07: case 0x08: case 0x0C: case 0x13: case 0x23:
		return "Warning";
	default:
		return "OK";
	}
}

static json_t *entry_json(struct bmc *bmc, uint16_t id, const uint8_t r[static BMC_SEL_RECORD_LEN])
{
	char sid[8], path[128], created[32], msg[200];
	snprintf(sid, sizeof(sid), "%u", id);
	snprintf(path, sizeof(path), ENTRIES "/%u", id);
	uint32_t ts = (uint32_t)r[3] | (uint32_t)r[4] << 8 | (uint32_t)r[5] << 16 |
		      (uint32_t)r[6] << 24;
	json_t *j = web_resource(path, "#LogEntry.v1_15_0.LogEntry", sid, "SEL Entry");
	if (r[2] >= 0xE0 || r[2] < 0xC0)
		rf_time_text(r[2] >= 0xE0 ? 0 : ts, created);
	else
		rf_time_text(ts, created);
	json_object_set_new(j, "Created", json_string(created));
	if (r[2] != 0x02) {
		snprintf(msg, sizeof(msg), "OEM record type 0x%02x", r[2]);
		json_object_set_new(j, "EntryType", json_string("Oem"));
		json_object_set_new(j, "Severity", json_string("OK"));
		json_object_set_new(j, "Message", json_string(msg));
		return j;
	}
	uint8_t stype = r[10], snum = r[11], evtype = r[12] & 0x7F, offset = r[13] & 0x0F;
	bool deassert = r[12] & 0x80;
	const struct bmc_sensor *s = bmc_sensor_find(bmc, snum);
	const char *code = evtype == 0x01 && offset < 12 ? threshold_codes[offset] :
			   deassert ? "Deassert" : "Assert";
	if (s)
		snprintf(msg, sizeof(msg), "%s: %s (offset %u)", s->def->name, code, offset);
	else
		snprintf(msg, sizeof(msg), "sensor 0x%02x (%s): %s (offset %u)", snum,
			 stype < sizeof(sensor_types) / sizeof(sensor_types[0]) && sensor_types[stype] ?
			 sensor_types[stype] : "unknown type", code, offset);
	json_object_set_new(j, "EntryType", json_string("SEL"));
	json_object_set_new(j, "EntryCode", json_string(code));
	json_object_set_new(j, "SensorType", stype < sizeof(sensor_types) / sizeof(sensor_types[0]) &&
			    sensor_types[stype] ? json_string(sensor_types[stype]) : json_null());
	json_object_set_new(j, "SensorNumber", json_integer(snum));
	json_object_set_new(j, "Severity", json_string(entry_severity(stype, evtype, offset,
								      deassert)));
	json_object_set_new(j, "Message", json_string(msg));
	char gen[8];
	snprintf(gen, sizeof(gen), "0x%02x%02x", r[8], r[7]);
	json_object_set_new(j, "GeneratorId", json_string(gen));
	json_object_set_new(j, "Oem", json_pack("{s:{s:i, s:i, s:[iii]}}", "Softbmc",
				"EventType", evtype, "EventOffset", offset, "EventData", r[13], r[14],
				r[15]));
	return j;
}

void rf_sel_entries_get(struct web_ctx *c)
{
	json_t *coll = web_collection(ENTRIES, "#LogEntryCollection.LogEntryCollection",
				      "System Event Log Entries");
	json_t *members = json_object_get(coll, "Members");
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t id = BMC_SEL_ID_FIRST, next;
	for (unsigned n = 0; n < BMC_SEL_CAPACITY_MAX; n++, id = next) {
		if (bmc_sel_get(c->bmc, id, rec, &next) < 0)
			break;
		json_array_append_new(members, entry_json(c->bmc, (uint16_t)(rec[0] | rec[1] << 8),
							  rec));
		if (next == BMC_SEL_ID_LAST)
			break;
	}
	json_object_set_new(coll, "Members@odata.count", json_integer((json_int_t)
							       json_array_size(members)));
	web_ok_json(c, 200, coll);
}

void rf_sel_entry_get(struct web_ctx *c)
{
	char *end;
	unsigned long id = strtoul(c->param[0], &end, 10);
	uint8_t rec[BMC_SEL_RECORD_LEN];
	uint16_t next;
	if (*end || id == 0 || id >= BMC_SEL_ID_LAST ||
	    bmc_sel_get(c->bmc, (uint16_t)id, rec, &next) < 0) {
		web_err_not_found(c);
		return;
	}
	web_ok_json(c, 200, entry_json(c->bmc, (uint16_t)id, rec));
}

void rf_sel_clear(struct web_ctx *c)
{
	int r = bmc_sel_clear(c->bmc, bmc_sel_reserve(c->bmc));
	if (r < 0) {
		web_err_internal(c);
		return;
	}
	log_info("web: user %u cleared the SEL", c->uid);
	web_no_content(c);
}
