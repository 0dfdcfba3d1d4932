/* The SDR repository (IPMI 2.0 §33, §43; records.md §1-§8): records encoded on demand from the
 * sensor definitions, in table order — a Full Sensor Record for each threshold sensor, a
 * Compact Sensor Record for each discrete one — then the FRU Device Locator of FRU 0 and the
 * BMC's Management Controller Device Locator. See sdr.h for why the content and its timestamp
 * are a pure function of the profile. */
#include "bmc/sdr.h"

#include <errno.h>
#include <string.h>

#include "bmc/bmc.h"
#include "bmc/sensors.h"
#include "core/buf.h"

#define ADDR_BMC 0x20
#define ID_STRING_MAX 16
#define ID_TYPE_ASCII8 0xC0           /* 8-bit ASCII + Latin-1 (records.md §2.1 offset 47) */

/* Sensor initialization (offset 10): init scanning, events, thresholds, hysteresis, type;
 * event generation and scanning enabled at power-up. Compact: no thresholds/hysteresis/type. */
#define INIT_FULL 0x7F
#define INIT_COMPACT 0x63
/* Sensor capabilities (offset 11). */
#define CAP_AUTO_REARM 0x40
#define CAP_HYST_SETTABLE 0x20        /* bits 5:4 = 10 readable and settable */
#define CAP_THR_READABLE 0x04         /* bits 3:2 = 01 readable */
#define CAP_THR_SETTABLE 0x08         /* bits 3:2 = 10 readable and settable */
#define UNITS_NO_ANALOG 0xC0          /* analog data format 11: discrete */
#define ANALOG_NOMINAL_NORMAL 0x07    /* normal min, normal max and nominal specified */

#define FRU_LOGICAL 0x80
#define FRU_DEVICE_BEHIND_MC 0x10
#define FRU_ENTITY 0x07               /* system board */
#define MC_ENTITY 0x06                /* system management module */
#define MC_CAPABILITIES 0xBF          /* as Get Device ID: all but bridge */

/* 2024-01-01T00:00:00Z: the repository's timestamp falls within the year after it. */
#define SDR_EPOCH 1704067200u
#define SDR_EPOCH_SPAN (365u * 24 * 3600)

static void put_header(struct wbuf *w, uint16_t id, uint8_t type)
{
	wbuf_u16le(w, id);
	wbuf_u8(w, BMC_SDR_VERSION);
	wbuf_u8(w, type);
	wbuf_u8(w, 0); /* length, patched by finish() */
}

static size_t finish(struct wbuf *w)
{
	if (w->err || w->len < 5)
		return 0;
	w->p[4] = (uint8_t)(w->len - 5);
	return w->len;
}

static void put_id_string(struct wbuf *w, const char *name)
{
	size_t n = strlen(name);

	if (n > ID_STRING_MAX)
		n = ID_STRING_MAX;
	wbuf_u8(w, (uint8_t)(ID_TYPE_ASCII8 | n));
	wbuf_bytes(w, name, n);
}

/* Offsets 5-9 (records.md §1.1): BMC-owned, channel 0, LUN 0. */
static void put_sensor_key(struct wbuf *w, const struct bmc_sensor_def *d)
{
	wbuf_u8(w, ADDR_BMC);
	wbuf_u8(w, 0x00);
	wbuf_u8(w, d->number);
	wbuf_u8(w, d->entity_id);
	wbuf_u8(w, d->entity_instance);
}

/* Offsets 24-29: M, tolerance, B, accuracy, direction, R and B exponents. */
static void put_factors(struct wbuf *w, const struct bmc_sensor_def *d)
{
	uint16_t m = (uint16_t)d->m & 0x3FF, b = (uint16_t)d->b & 0x3FF;

	wbuf_u8(w, (uint8_t)m);
	wbuf_u8(w, (uint8_t)((m >> 8) << 6)); /* tolerance 0 */
	wbuf_u8(w, (uint8_t)b);
	wbuf_u8(w, (uint8_t)((b >> 8) << 6)); /* accuracy 0 */
	wbuf_u8(w, 0x00);                      /* accuracy exponent 0, direction unspecified */
	wbuf_u8(w, (uint8_t)((d->r_exp & 0x0F) << 4 | (d->b_exp & 0x0F)));
}

void bmc_sdr_factors(const struct bmc_sensor_def *d, uint8_t out[static 6])
{
	struct wbuf w = wbuf_init(out, 6);

	put_factors(&w, d);
}

static uint8_t default_threshold(const struct bmc_sensor_def *d, enum bmc_threshold t)
{
	return (d->readable & (1u << t)) ? bmc_sensor_to_raw(d, d->thresholds[t]) : 0;
}

/* Offsets 30-35: analog characteristics, nominal/normal readings, the reading range. */
static void put_analog(struct wbuf *w, const struct bmc_sensor_def *d)
{
	bool normal = d->normal_max > d->normal_min;

	wbuf_u8(w, normal ? ANALOG_NOMINAL_NORMAL : 0x00);
	wbuf_u8(w, normal ? bmc_sensor_to_raw(d, d->nominal) : 0x00);
	wbuf_u8(w, normal ? bmc_sensor_to_raw(d, d->normal_max) : 0x00);
	wbuf_u8(w, normal ? bmc_sensor_to_raw(d, d->normal_min) : 0x00);
	wbuf_u8(w, d->format == BMC_FORMAT_UNSIGNED ? 0xFF : 0x7F);
	wbuf_u8(w, d->format == BMC_FORMAT_UNSIGNED ? 0x00 : 0x80);
}

size_t bmc_sdr_encode_full(const struct bmc_sensor_def *d, uint16_t record_id,
			   uint8_t out[static BMC_SDR_MAX_RECORD])
{
	struct wbuf w = wbuf_init(out, BMC_SDR_MAX_RECORD);
	uint16_t events = bmc_sensor_event_mask(d);
	uint8_t caps = CAP_AUTO_REARM | CAP_HYST_SETTABLE |
		       (d->settable ? CAP_THR_SETTABLE : CAP_THR_READABLE);

	put_header(&w, record_id, BMC_SDR_TYPE_FULL);
	put_sensor_key(&w, d);
	wbuf_u8(&w, INIT_FULL);
	wbuf_u8(&w, caps);
	wbuf_u8(&w, d->sensor_type);
	wbuf_u8(&w, d->event_type);
	/* Offsets 14-17: event masks with the lower/upper threshold reading masks in 14:12. */
	wbuf_u16le(&w, (uint16_t)(events | (d->readable & 0x07) << 12));
	wbuf_u16le(&w, (uint16_t)(events | ((d->readable >> 3) & 0x07) << 12));
	wbuf_u8(&w, d->readable);
	wbuf_u8(&w, d->settable);
	wbuf_u8(&w, (uint8_t)(d->format << 6)); /* no rate, no modifier, not a percentage */
	wbuf_u8(&w, d->unit);
	wbuf_u8(&w, 0x00);                       /* modifier unit */
	wbuf_u8(&w, 0x00);                       /* linear */
	put_factors(&w, d);
	put_analog(&w, d);
	/* Offsets 36-41: the SDR's order is UNR, UCR, UNC, LNR, LCR, LNC. */
	for (int t = BMC_THR_UNR; t >= BMC_THR_UNC; t--)
		wbuf_u8(&w, default_threshold(d, (enum bmc_threshold)t));
	for (int t = BMC_THR_LNR; t >= BMC_THR_LNC; t--)
		wbuf_u8(&w, default_threshold(d, (enum bmc_threshold)t));
	wbuf_u8(&w, d->hyst_pos);
	wbuf_u8(&w, d->hyst_neg);
	wbuf_zero(&w, 3);                        /* reserved (2), OEM */
	put_id_string(&w, d->name);
	return finish(&w);
}

size_t bmc_sdr_encode_compact(const struct bmc_sensor_def *d, uint16_t record_id,
			      uint8_t out[static BMC_SDR_MAX_RECORD])
{
	struct wbuf w = wbuf_init(out, BMC_SDR_MAX_RECORD);
	uint16_t states = bmc_sensor_event_mask(d);

	put_header(&w, record_id, BMC_SDR_TYPE_COMPACT);
	put_sensor_key(&w, d);
	wbuf_u8(&w, INIT_COMPACT);
	wbuf_u8(&w, CAP_AUTO_REARM); /* no hysteresis, no thresholds, per-state event control */
	wbuf_u8(&w, d->sensor_type);
	wbuf_u8(&w, d->event_type);
	wbuf_u16le(&w, states);      /* assertion event mask */
	wbuf_u16le(&w, states);      /* deassertion event mask */
	wbuf_u16le(&w, states);      /* discrete reading mask */
	wbuf_u8(&w, UNITS_NO_ANALOG);
	wbuf_u8(&w, 0x00);
	wbuf_u8(&w, 0x00);
	wbuf_u8(&w, 0x01);           /* direction unspecified, numeric modifier, share count 1 */
	wbuf_u8(&w, 0x00);
	wbuf_zero(&w, 2);            /* hysteresis */
	wbuf_zero(&w, 4);            /* reserved (3), OEM */
	put_id_string(&w, d->name);
	return finish(&w);
}

/* records.md §7: logical FRU 0, answered by the BMC itself. */
static size_t encode_fru_locator(uint16_t record_id, uint8_t out[static BMC_SDR_MAX_RECORD])
{
	struct wbuf w = wbuf_init(out, BMC_SDR_MAX_RECORD);

	put_header(&w, record_id, BMC_SDR_TYPE_FRU_LOCATOR);
	wbuf_u8(&w, ADDR_BMC);
	wbuf_u8(&w, 0x00);           /* FRU device ID */
	wbuf_u8(&w, FRU_LOGICAL);    /* access LUN 0, private bus 0 */
	wbuf_u8(&w, 0x00);           /* channel 0 */
	wbuf_u8(&w, 0x00);
	wbuf_u8(&w, FRU_DEVICE_BEHIND_MC);
	wbuf_u8(&w, 0x00);           /* IPMI FRU inventory */
	wbuf_u8(&w, FRU_ENTITY);
	wbuf_u8(&w, 0x01);
	wbuf_u8(&w, 0x00);           /* OEM */
	put_id_string(&w, "Builtin FRU");
	return finish(&w);
}

/* records.md §8: the BMC on IPMB address 0x20. */
static size_t encode_mc_locator(uint16_t record_id, uint8_t out[static BMC_SDR_MAX_RECORD])
{
	struct wbuf w = wbuf_init(out, BMC_SDR_MAX_RECORD);

	put_header(&w, record_id, BMC_SDR_TYPE_MC_LOCATOR);
	wbuf_u8(&w, ADDR_BMC);
	wbuf_u8(&w, 0x00);           /* channel 0 */
	wbuf_u8(&w, 0x00);           /* no ACPI notifications, dynamic, event messages enabled */
	wbuf_u8(&w, MC_CAPABILITIES);
	wbuf_zero(&w, 3);
	wbuf_u8(&w, MC_ENTITY);
	wbuf_u8(&w, 0x01);
	wbuf_u8(&w, 0x00);           /* OEM */
	put_id_string(&w, "BMC");
	return finish(&w);
}

uint16_t bmc_sdr_count(const struct bmc *bmc)
{
	return (uint16_t)(bmc->sensors.n + 2);
}

/* Record index i (0-based) with record ID i + 1. */
static size_t encode_index(const struct bmc *bmc, size_t i, uint8_t out[static BMC_SDR_MAX_RECORD])
{
	uint16_t id = (uint16_t)(i + 1);

	if (i < bmc->sensors.n) {
		const struct bmc_sensor_def *d = bmc->sensors.s[i].def;
		return bmc_sensor_is_threshold(d) ? bmc_sdr_encode_full(d, id, out)
						  : bmc_sdr_encode_compact(d, id, out);
	}
	if (i == bmc->sensors.n)
		return encode_fru_locator(id, out);
	return encode_mc_locator(id, out);
}

void bmc_sdr_init(struct bmc *bmc)
{
	uint8_t rec[BMC_SDR_MAX_RECORD];
	uint32_t h = 2166136261u; /* FNV-1a over every record */

	for (size_t i = 0; i < bmc_sdr_count(bmc); i++) {
		size_t n = encode_index(bmc, i, rec);
		for (size_t k = 0; k < n; k++)
			h = (h ^ rec[k]) * 16777619u;
	}
	bmc->sensors.sdr_timestamp = SDR_EPOCH + h % SDR_EPOCH_SPAN;
}

uint32_t bmc_sdr_timestamp(const struct bmc *bmc)
{
	return bmc->sensors.sdr_timestamp;
}

int bmc_sdr_get(const struct bmc *bmc, uint16_t id, uint8_t out[static BMC_SDR_MAX_RECORD],
		size_t *ret_len, uint16_t *ret_next)
{
	size_t count = bmc_sdr_count(bmc), i;

	if (id == BMC_SDR_ID_FIRST)
		i = 0;
	else if (id == BMC_SDR_ID_LAST)
		i = count - 1;
	else if (id <= count)
		i = (size_t)id - 1;
	else
		return -ENOENT;
	size_t len = encode_index(bmc, i, out);
	if (len == 0)
		return -EOVERFLOW;
	*ret_len = len;
	*ret_next = i + 1 < count ? (uint16_t)(i + 2) : BMC_SDR_ID_LAST;
	return 0;
}

uint16_t bmc_sdr_reserve(struct bmc *bmc)
{
	uint16_t *r = &bmc->sensors.sdr_reservation;

	if (++*r == 0)
		*r = 1;
	return *r;
}

bool bmc_sdr_reservation_ok(const struct bmc *bmc, uint16_t id)
{
	return id != 0 && id == bmc->sensors.sdr_reservation;
}
