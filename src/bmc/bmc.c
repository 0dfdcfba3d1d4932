/* The BMC model's lifecycle: identity, GUIDs, and the wiring of users, channels and chassis to
 * the store and the platform. Each concern lives in its own file; this one only assembles them. */
#include "bmc/bmc.h"
#include "bmc/sdr.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/log.h"
#include "bmc/ipmi_spec.h"
#include "store/store.h"

/* Random RFC 4122 version-4 UUID, returned in IPMI wire order (fully byte-reversed;
 * records.md §11). */
static int guid_generate(uint8_t wire[static 16])
{
	uint8_t u[16];
	if (RAND_bytes(u, sizeof(u)) != 1)
		return -EIO;
	u[6] = (uint8_t)((u[6] & 0x0F) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3F) | 0x80);
	for (int i = 0; i < 16; i++)
		wire[i] = u[15 - i];
	return 0;
}

static int guid_load(struct store *s, const char *key, uint8_t guid[static 16])
{
	size_t len = 0;
	int r = store_get(s, key, guid, 16, &len);
	if (r == 0 && len == 16)
		return 0;
	r = guid_generate(guid);
	if (r < 0)
		return r;
	return store_set(s, key, guid, 16);
}

void bmc_acpi_follow_power(struct bmc *bmc, bool on)
{
	bmc->acpi_system_state = on ? BMC_ACPI_S0_G0 : BMC_ACPI_S5_G2;
	bmc->acpi_device_state = on ? BMC_ACPI_D0 : BMC_ACPI_D3;
}

static void on_power_changed(void *arg, bool on)
{
	bmc_acpi_follow_power(arg, on);
	if (!on)
		bmc_sysinfo_host_restarted(arg); /* the running OS's name and version are gone */
	bmc_chassis_power_changed(arg, on);
}

static void on_reset(void *arg)
{
	bmc_sysinfo_host_restarted(arg);
	bmc_chassis_reset_happened(arg);
}

static void on_power_fault(void *arg, enum platform_power_fault why)
{
	bmc_chassis_power_fault(arg, why);
}

static enum platform_boot_device on_boot_device(void *arg, bool *persistent)
{
	return bmc_chassis_boot_device(arg, persistent);
}

/* A simulated step changed the inputs: evaluate every sensor now, so each simulated second is
 * seen (and a run's SEL does not depend on how fast it is simulated). */
static void on_stepped(void *arg)
{
	bmc_sensors_poll(arg);
}

struct platform_callbacks bmc_platform_callbacks(struct bmc *bmc)
{
	return (struct platform_callbacks){
		.arg = bmc,
		.power_changed = on_power_changed,
		.reset = on_reset,
		.power_fault = on_power_fault,
		.stepped = on_stepped,
		.boot_device = on_boot_device,
	};
}

/* 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
static int password_generate(char out[static 17])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const size_t n = sizeof(alphabet) - 1;
	size_t i = 0;
	while (i < 16) {
		uint8_t b;
		if (RAND_bytes(&b, 1) != 1)
			return -EIO;
		if (b >= 256 - 256 % n)
			continue; /* reject to avoid modulo bias */
		out[i++] = alphabet[b % n];
	}
	out[16] = '\0';
	return 0;
}

static int users_first_start(struct bmc *bmc, const char *admin_password, char *ret_generated)
{
	char generated[17] = "";
	if (!admin_password) {
		int r = password_generate(generated);
		if (r < 0)
			return r;
		admin_password = generated;
	}
	int r = bmc_users_create_default(&bmc->users, bmc->store, admin_password);
	if (r == 0 && ret_generated)
		memcpy(ret_generated, generated, sizeof(generated));
	OPENSSL_cleanse(generated, sizeof(generated));
	return r;
}

static int bmc_load(struct bmc *bmc)
{
	int r = bmc_users_load(&bmc->users, bmc->store);
	if (r < 0)
		return r;
	r = bmc_channel_load(&bmc->lan_channel, bmc->store, IPMI_CHANNEL_LAN);
	if (r < 0)
		return r;
	/* IPMI 2.0 §22.22: volatile channel settings start from the non-volatile ones. */
	bmc->lan_channel.volatile_ = bmc->lan_channel.nonvolatile;
	return 0;
}

int bmc_init(struct bmc *bmc, struct store *store, struct platform *platform,
	     const char *admin_password, char *ret_generated, bool first_start)
{
	bmc->store = store;
	bmc->platform = platform;
	bmc->started_at = now_monotonic();
	bmc->global_enables = BMC_GLOBAL_ENABLE_SEL | BMC_GLOBAL_ENABLE_EVENT_BUFFER;
	if (ret_generated)
		ret_generated[0] = '\0';

	int r = guid_load(store, "bmc.system_guid", bmc->system_guid);
	if (r == 0)
		r = guid_load(store, "bmc.device_guid", bmc->device_guid);
	if (r == 0 && first_start)
		r = users_first_start(bmc, admin_password, ret_generated);
	if (r == 0)
		r = bmc_load(bmc);
	if (r == 0)
		r = bmc_chassis_init(bmc);
	if (r == 0)
		bmc_acpi_follow_power(bmc, bmc_chassis_power_is_on(bmc));
	if (r == 0)
		r = bmc_sel_init(bmc);
	if (r == 0)
		r = bmc_sensors_init(bmc);
	if (r == 0)
		r = bmc_fru_init(bmc);
	if (r == 0)
		r = bmc_lanconf_init(bmc);
	if (r == 0)
		r = bmc_watchdog_init(bmc);
	if (r == 0)
		r = bmc_dcmi_init(bmc);
	if (r == 0)
		r = bmc_sysinfo_init(bmc);
	return r;
}

void bmc_sysif_signal(struct bmc *bmc)
{
	platform_sysif_signal(bmc->platform, bmc->global_enables & BMC_GLOBAL_ENABLE_RECEIVE_IRQ,
			      bmc->msg_flags != 0);
}

void bmc_msg_flags_set(struct bmc *bmc, uint8_t flags)
{
	bmc->msg_flags |= flags;
	bmc_sysif_signal(bmc);
}

void bmc_msg_flags_clear(struct bmc *bmc, uint8_t flags)
{
	bmc->msg_flags &= (uint8_t)~flags;
	bmc_sysif_signal(bmc);
}

void bmc_tick(struct bmc *bmc, usec_t now)
{
	bmc_watchdog_tick(bmc, now);
	bmc_chassis_tick(bmc, now);
	bmc_sensors_tick(bmc, now);
	bmc_dcmi_tick(bmc, now);
}

int bmc_reset(struct bmc *bmc, bool cold)
{
	log_info("%s: %s reset of the BMC logic", bmc->name, cold ? "cold" : "warm");
	int r = bmc_chassis_save(bmc);
	if (r == 0)
		r = bmc_load(bmc);
	if (r == 0 && cold) /* a cold-reset BMC comes back with its watchdog timer stopped */
		r = bmc_watchdog_init(bmc);
	/* A BMC reset cancels the SEL and SDR reservations (IPMI 2.0 §31.4, §33.11). */
	bmc->sel.reservation_valid = false;
	(void)bmc_sdr_reserve(bmc);
	/* A cold one drops the message flags. The global enables stay as the host's driver set
	 * them: it is not told of the restart, and a driver that enabled interrupts and no longer
	 * gets any would miss every later attention (seen with Linux ipmi_si in a QEMU guest). */
	if (cold) {
		bmc->cold_resets++;
		bmc->msg_flags = 0;
		bmc_sysif_signal(bmc);
	}
	bmc->reset_requested = 0;
	return r;
}

void bmc_fini(struct bmc *bmc)
{
	if (bmc->store)
		(void)bmc_chassis_save(bmc);
	OPENSSL_cleanse(&bmc->users, sizeof(bmc->users));
}
