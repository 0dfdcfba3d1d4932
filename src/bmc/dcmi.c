/* DCMI 1.5 model (DCMI 1.5 §6): power statistics, power limit, asset tag, management
 * controller identifier string.
 *
 * Power statistics: once a second the tick reads the server's input power from the sensors
 * model and keeps it in a ring of BMC_DCMI_POWER_SAMPLES samples; Get Power Reading reports the
 * minimum, maximum and average over the samples of the asked period and the power read at that
 * moment. Evaluated from the monotonic clock: a late tick takes one sample, it does not make
 * up missed ones.
 *
 * Power limit: the simulated server cannot be throttled, so an active limit is watched rather
 * than enforced: when the sampled power stays above it for longer than the correction time,
 * the exception action is taken once per excursion (hard power off through the chassis model,
 * or only logged). DCMI defines no SEL record for the exception, so it goes to the operator log.
 *
 * The asset tag is conceptually the FRU product area's asset tag; it is kept here, apart from
 * the FRU, for now. Persistent state (versioned blobs, first byte BLOB_VERSION), written before
 * the function that changed it returns:
 *   dcmi.power_limit  action, u16le limit W, u32le correction ms, u16le sampling s, active
 *   dcmi.asset_tag    the tag bytes
 *   dcmi.mc_id        the identifier string without its NUL */
#include "bmc/dcmi.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "bmc/bmc.h"
#include "bmc/sdr.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define BLOB_VERSION 1
#define MC_ID_DEFAULT "softbmc"

static const struct bmc_dcmi_power_limit limit_default = {
	.exception_action = BMC_DCMI_EXCEPTION_NONE,
	.limit_watts = 400,
	.correction_ms = 5000,
	.sampling_sec = 10,
	.active = false,
};

/* ---- persistence ---------------------------------------------------------------------- */

/* A missing or unreadable blob leaves the default; only store failures are errors. */
static int load_result(struct bmc *bmc, const char *key, int r)
{
	if (r == -EBADMSG)
		log_warn("%s: %s in the store is unreadable, using the default", bmc->name, key);
	return r == -ENOENT || r == -EBADMSG ? 0 : r;
}

static int save_limit(struct bmc *bmc, const struct bmc_dcmi_power_limit *l)
{
	uint8_t buf[16];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u8(&w, BLOB_VERSION);
	wbuf_u8(&w, l->exception_action);
	wbuf_u16le(&w, l->limit_watts);
	wbuf_u32le(&w, l->correction_ms);
	wbuf_u16le(&w, l->sampling_sec);
	wbuf_u8(&w, l->active);
	return store_set_blob(bmc->store, "dcmi.power_limit", &w);
}

static int load_limit(struct bmc *bmc)
{
	struct bmc_dcmi_power_limit l = { 0 };
	uint8_t buf[32];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, "dcmi.power_limit", buf, sizeof(buf), &rb);

	if (r == 0) {
		l.exception_action = rbuf_u8(&rb);
		l.limit_watts = rbuf_u16le(&rb);
		l.correction_ms = rbuf_u32le(&rb);
		l.sampling_sec = rbuf_u16le(&rb);
		l.active = rbuf_u8(&rb) != 0;
		if (rb.err)
			r = -EBADMSG;
		else
			bmc->dcmi.limit = l;
	}
	return load_result(bmc, "dcmi.power_limit", r);
}

static int save_bytes(struct bmc *bmc, const char *key, const void *p, size_t n)
{
	uint8_t buf[1 + 64];
	struct wbuf w = wbuf_init(buf, sizeof(buf));

	wbuf_u8(&w, BLOB_VERSION);
	wbuf_bytes(&w, p, n);
	return store_set_blob(bmc->store, key, &w);
}

/* Loads up to cap bytes; *ret_len untouched unless the blob was read. */
static int load_bytes(struct bmc *bmc, const char *key, uint8_t *out, size_t cap,
		      size_t *ret_len)
{
	uint8_t buf[1 + 64];
	struct rbuf rb;
	int r = store_get_blob(bmc->store, BLOB_VERSION, key, buf, sizeof(buf), &rb);

	if (r == 0) {
		size_t n = rbuf_left(&rb);
		if (n > cap) {
			r = -EBADMSG;
		} else {
			rbuf_copy(&rb, out, n);
			*ret_len = n;
		}
	}
	return load_result(bmc, key, r);
}

static int load_strings(struct bmc *bmc)
{
	struct bmc_dcmi *d = &bmc->dcmi;
	uint8_t id[BMC_DCMI_MC_ID_MAX];
	size_t len = 0;
	int r = load_bytes(bmc, "dcmi.asset_tag", d->asset_tag, sizeof(d->asset_tag), &len);

	if (r < 0)
		return r;
	d->asset_tag_len = (uint8_t)len;
	len = strlen(MC_ID_DEFAULT);
	memcpy(id, MC_ID_DEFAULT, len);
	r = load_bytes(bmc, "dcmi.mc_id", id, sizeof(id), &len);
	if (r < 0)
		return r;
	memcpy(d->mc_id, id, len);
	d->mc_id[len] = '\0';
	d->mc_id[strnlen(d->mc_id, len)] = '\0'; /* a stored NUL ends it early */
	return 0;
}

int bmc_dcmi_init(struct bmc *bmc)
{
	struct bmc_dcmi *d = &bmc->dcmi;

	*d = (struct bmc_dcmi){ .limit = limit_default };
	int r = load_limit(bmc);
	if (r == 0)
		r = load_strings(bmc);
	if (r == 0 && d->limit.active)
		log_info("%s: DCMI power limit %u W active (exception action 0x%02x)", bmc->name,
			 d->limit.limit_watts, d->limit.exception_action);
	return r;
}

/* ---- power statistics ----------------------------------------------------------------- */

/* The input power in whole watts, or -errno if the sensors model has no reading. */
static int power_now(struct bmc *bmc, uint16_t *ret)
{
	double w = 0;
	int r = bmc_sensors_power_watts(bmc, &w);

	if (r < 0)
		return r;
	if (!isfinite(w))
		return -ENODATA;
	*ret = w <= 0 ? 0 : w >= UINT16_MAX ? UINT16_MAX : (uint16_t)(w + 0.5);
	return 0;
}

static void sample_add(struct bmc_dcmi *d, uint16_t watts)
{
	if (d->n_samples < BMC_DCMI_POWER_SAMPLES) {
		d->samples[(d->head + d->n_samples) % BMC_DCMI_POWER_SAMPLES] = watts;
		d->n_samples++;
	} else {
		d->samples[d->head] = watts;
		d->head = (uint16_t)((d->head + 1) % BMC_DCMI_POWER_SAMPLES);
	}
}

void bmc_dcmi_power_stats(struct bmc *bmc, uint32_t period_sec, struct bmc_dcmi_power_stats *ret)
{
	const struct bmc_dcmi *d = &bmc->dcmi;
	struct bmc_dcmi_power_stats s = { 0 };
	uint16_t current = 0;
	size_t n = d->n_samples;
	uint32_t sum = 0;

	if (period_sec && period_sec < n)
		n = period_sec;
	s.valid = power_now(bmc, &current) == 0;
	s.current = current;
	if (s.valid && n == 0) /* nothing sampled yet: the reading is the statistics */
		s.minimum = s.maximum = s.average = current;
	for (size_t i = 0; i < n; i++) {
		/* the newest n samples */
		uint16_t v = d->samples[(d->head + d->n_samples - 1 - i) % BMC_DCMI_POWER_SAMPLES];
		s.minimum = i == 0 || v < s.minimum ? v : s.minimum;
		s.maximum = v > s.maximum ? v : s.maximum;
		sum += v;
	}
	if (n) {
		s.average = (uint16_t)((sum + n / 2) / n);
		s.period_ms = (uint32_t)(n * (BMC_DCMI_SAMPLE_INTERVAL / USEC_PER_MSEC));
	}
	*ret = s;
}

/* ---- power limit ---------------------------------------------------------------------- */

static void exception_take(struct bmc *bmc, uint16_t watts)
{
	const struct bmc_dcmi_power_limit *l = &bmc->dcmi.limit;

	log_warn("%s: DCMI power limit exceeded: %u W above the %u W limit for %u ms%s", bmc->name,
		 watts, l->limit_watts, l->correction_ms,
		 l->exception_action == BMC_DCMI_EXCEPTION_POWER_OFF ? ", hard power off" : "");
	if (l->exception_action != BMC_DCMI_EXCEPTION_POWER_OFF)
		return;
	int r = bmc_chassis_power_action(bmc, PLATFORM_POWER_OFF, BMC_RESTART_UNKNOWN, 0);
	if (r < 0)
		log_warn("%s: DCMI power limit exception: power off failed: %s", bmc->name,
			 strerror(-r));
}

/* DCMI 1.5 §6.6.2: the exception action follows when the limit cannot be kept for the
 * correction time. Once per excursion above the limit. */
static void limit_watch(struct bmc *bmc, uint16_t watts, usec_t now)
{
	struct bmc_dcmi *d = &bmc->dcmi;

	if (!d->limit.active || watts <= d->limit.limit_watts) {
		d->over_limit_since = 0;
		d->exception_taken = false;
		return;
	}
	if (!d->over_limit_since)
		d->over_limit_since = now;
	if (d->exception_taken ||
	    now - d->over_limit_since < d->limit.correction_ms * USEC_PER_MSEC)
		return;
	d->exception_taken = true;
	exception_take(bmc, watts);
}

void bmc_dcmi_tick(struct bmc *bmc, usec_t now)
{
	struct bmc_dcmi *d = &bmc->dcmi;
	uint16_t watts;

	if (d->next_sample_at && now < d->next_sample_at)
		return;
	d->next_sample_at = d->next_sample_at ? d->next_sample_at + BMC_DCMI_SAMPLE_INTERVAL
					      : now + BMC_DCMI_SAMPLE_INTERVAL;
	if (d->next_sample_at <= now) /* fell behind: no catching up */
		d->next_sample_at = now + BMC_DCMI_SAMPLE_INTERVAL;
	if (power_now(bmc, &watts) < 0)
		return;
	sample_add(d, watts);
	limit_watch(bmc, watts, now);
}

static int limit_check(const struct bmc_dcmi_power_limit *l)
{
	if (l->exception_action != BMC_DCMI_EXCEPTION_NONE &&
	    l->exception_action != BMC_DCMI_EXCEPTION_POWER_OFF &&
	    l->exception_action != BMC_DCMI_EXCEPTION_LOG)
		return -EINVAL;
	if (l->limit_watts < BMC_DCMI_LIMIT_MIN_W || l->limit_watts > BMC_DCMI_LIMIT_MAX_W)
		return -ERANGE;
	if (l->correction_ms < BMC_DCMI_CORRECTION_MIN_MS ||
	    l->correction_ms > BMC_DCMI_CORRECTION_MAX_MS)
		return -ETIME;
	if (l->sampling_sec < BMC_DCMI_SAMPLING_MIN_S || l->sampling_sec > BMC_DCMI_SAMPLING_MAX_S)
		return -EDOM;
	return 0;
}

int bmc_dcmi_power_limit_set(struct bmc *bmc, const struct bmc_dcmi_power_limit *limit)
{
	struct bmc_dcmi_power_limit l = *limit;
	int r = limit_check(&l);

	if (r < 0)
		return r;
	l.active = bmc->dcmi.limit.active;
	r = save_limit(bmc, &l);
	if (r < 0)
		return r;
	bmc->dcmi.limit = l;
	bmc->dcmi.exception_taken = false;
	log_info("%s: DCMI power limit set: %u W, correction %u ms, sampling %u s, "
		 "exception action 0x%02x%s", bmc->name, l.limit_watts, l.correction_ms, l.sampling_sec,
		 l.exception_action, l.active ? " (active)" : "");
	return 0;
}

int bmc_dcmi_power_limit_activate(struct bmc *bmc, bool active)
{
	struct bmc_dcmi_power_limit l = bmc->dcmi.limit;

	l.active = active;
	int r = save_limit(bmc, &l);
	if (r < 0)
		return r;
	bmc->dcmi.limit = l;
	bmc->dcmi.over_limit_since = 0;
	bmc->dcmi.exception_taken = false;
	log_info("%s: DCMI power limit %u W %s", bmc->name, l.limit_watts,
		 active ? "activated" : "deactivated");
	return 0;
}

/* ---- temperature sensors (DCMI 1.5 §6.7) --------------------------------------------- */

/* DCMI's entity IDs and the IPMI entity IDs (IPMI 2.0 table 43-13) the SDRs use. */
static int entity_ipmi(uint8_t entity_id)
{
	switch (entity_id) {
	case BMC_DCMI_ENTITY_INLET:
	case 0x37:
		return 0x37;
	case BMC_DCMI_ENTITY_CPU:
	case 0x03:
		return 0x03;
	case BMC_DCMI_ENTITY_BASEBOARD:
	case 0x07:
		return 0x07;
	default:
		return -EINVAL;
	}
}

/* The SDR record of a sensor: the repository offers records by ID only, so walk it and read
 * the sensor number of each sensor record (IPMI 2.0 §43.1/§43.2: byte 7, owner LUN byte 6). */
static int sdr_record_of_sensor(const struct bmc *bmc, uint8_t sensor_num, uint16_t *ret_id)
{
	uint8_t rec[BMC_SDR_MAX_RECORD];
	uint16_t id = BMC_SDR_ID_FIRST;
	size_t len = 0;

	for (unsigned i = 0; i <= bmc_sdr_count(bmc) && id != BMC_SDR_ID_LAST; i++) {
		uint16_t next = BMC_SDR_ID_LAST;
		if (bmc_sdr_get(bmc, id, rec, &len, &next) < 0)
			return -ENOENT;
		struct rbuf rb = rbuf_init(rec, len);
		uint16_t rec_id = rbuf_u16le(&rb);
		rbuf_skip(&rb, 1); /* SDR version */
		uint8_t type = rbuf_u8(&rb);
		rbuf_skip(&rb, 2); /* record length, owner ID */
		uint8_t lun = rbuf_u8(&rb) & 0x03;
		uint8_t num = rbuf_u8(&rb);
		if (!rb.err && (type == BMC_SDR_TYPE_FULL || type == BMC_SDR_TYPE_COMPACT) &&
		    lun == 0 && num == sensor_num) {
			*ret_id = rec_id;
			return 0;
		}
		id = next;
	}
	return -ENOENT;
}

static void temps_sort(struct bmc_dcmi_temp *t, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct bmc_dcmi_temp v = t[i];
		size_t j = i;
		for (; j > 0 && t[j - 1].entity_instance > v.entity_instance; j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
}

int bmc_dcmi_temperatures(struct bmc *bmc, uint8_t entity_id, struct bmc_dcmi_temp *out,
			  size_t cap)
{
	struct bmc_temp_reading r[BMC_DCMI_TEMPS_MAX];
	int entity = entity_ipmi(entity_id);
	size_t n = 0;

	if (entity < 0)
		return entity;
	size_t found = bmc_sensors_temperatures(bmc, (uint8_t)entity, r, BMC_DCMI_TEMPS_MAX);
	for (size_t i = 0; i < found && i < BMC_DCMI_TEMPS_MAX && n < cap; i++) {
		uint16_t id;
		if (sdr_record_of_sensor(bmc, r[i].sensor_num, &id) < 0)
			continue;
		out[n++] = (struct bmc_dcmi_temp){ .entity_instance = r[i].entity_instance,
						   .celsius = r[i].celsius, .valid = r[i].valid,
						   .sensor_num = r[i].sensor_num, .record_id = id };
	}
	temps_sort(out, n);
	return (int)n;
}

size_t bmc_dcmi_temp_select(const struct bmc_dcmi_temp *t, size_t n, uint8_t instance,
			    uint8_t start, size_t *ret_first)
{
	size_t first = 0;

	if (instance) {
		while (first < n && t[first].entity_instance != instance)
			first++;
		*ret_first = first;
		return first < n ? 1 : 0;
	}
	if (start == 0)
		start = 1;
	while (first < n && t[first].entity_instance < start)
		first++;
	*ret_first = first;
	return n - first < BMC_DCMI_SETS_MAX ? n - first : BMC_DCMI_SETS_MAX;
}

/* ---- asset tag, MC identifier string (DCMI 1.5 §6.4) ---------------------------------- */

static int chunk_read(const uint8_t *p, size_t len, uint8_t offset, uint8_t count, uint8_t *buf,
		      uint8_t *ret_total)
{
	size_t n = 0;

	if (count > BMC_DCMI_CHUNK_MAX)
		return -ERANGE;
	if (offset < len)
		n = len - offset < count ? len - offset : count;
	memcpy(buf, p + (offset < len ? offset : 0), n);
	*ret_total = (uint8_t)len;
	return (int)n;
}

int bmc_dcmi_asset_tag_read(struct bmc *bmc, uint8_t offset, uint8_t count, uint8_t *buf,
			    uint8_t *ret_total)
{
	const struct bmc_dcmi *d = &bmc->dcmi;

	return chunk_read(d->asset_tag, d->asset_tag_len, offset, count, buf, ret_total);
}

int bmc_dcmi_mc_id_read(struct bmc *bmc, uint8_t offset, uint8_t count, uint8_t *buf,
			uint8_t *ret_total)
{
	const struct bmc_dcmi *d = &bmc->dcmi;

	return chunk_read((const uint8_t *)d->mc_id, strlen(d->mc_id), offset, count, buf,
			  ret_total);
}

/* DCMI 1.5 §6.4.3: "the Asset Tag length shall be set to the sum of the offset to write plus
 * bytes to write". A write may not start past the end (it would leave a hole). */
int bmc_dcmi_asset_tag_write(struct bmc *bmc, uint8_t offset, const uint8_t *data, uint8_t len)
{
	struct bmc_dcmi *d = &bmc->dcmi;
	uint8_t tag[BMC_DCMI_ASSET_TAG_MAX];

	if (offset > d->asset_tag_len || len > BMC_DCMI_CHUNK_MAX ||
	    offset + len > BMC_DCMI_ASSET_TAG_MAX)
		return -ERANGE;
	memcpy(tag, d->asset_tag, offset);
	memcpy(tag + offset, data, len);
	int r = save_bytes(bmc, "dcmi.asset_tag", tag, offset + len);
	if (r < 0)
		return r;
	memcpy(d->asset_tag, tag, offset + len);
	d->asset_tag_len = (uint8_t)(offset + len);
	log_info("%s: DCMI asset tag set (%u bytes)", bmc->name, d->asset_tag_len);
	return offset + len;
}

/* DCMI 1.5 §6.4.6: a NUL among the bytes written ends the string (it is the last transfer). */
int bmc_dcmi_mc_id_write(struct bmc *bmc, uint8_t offset, const uint8_t *data, uint8_t len)
{
	struct bmc_dcmi *d = &bmc->dcmi;
	char id[BMC_DCMI_MC_ID_MAX + 1];
	size_t cur = strlen(d->mc_id);
	size_t n = strnlen((const char *)data, len);

	if (offset > cur || len > BMC_DCMI_CHUNK_MAX || offset + n > BMC_DCMI_MC_ID_MAX)
		return -ERANGE;
	memcpy(id, d->mc_id, offset);
	memcpy(id + offset, data, n);
	id[offset + n] = '\0';
	int r = save_bytes(bmc, "dcmi.mc_id", id, offset + n);
	if (r < 0)
		return r;
	memcpy(d->mc_id, id, offset + n + 1);
	if (n < len) /* the last transfer; the text itself stays out of the log */
		log_info("%s: DCMI management controller ID string set (%zu characters)", bmc->name,
			 offset + n);
	return offset + len;
}
