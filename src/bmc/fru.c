/* FRU inventory device 0 (IPMI 2.0 §34; Platform Management FRU Information Storage Definition
 * v1.0, records.md §10).
 *
 * The image is a common header followed by the chassis, board and product info areas, built
 * from the `fru:` configuration the first time the BMC starts on a state dir (serial numbers
 * derived from the system GUID unless configured, the board's manufacturing date the time of
 * that start unless configured) and zero-filled to BMC_FRU_SIZE. It is stored whole under
 * "fru.0" (a version byte, then the image) and served from memory; the config is not read
 * again while an image is stored, so edits made with Write FRU Data are what later starts see.
 *
 * Writes. Clients write an image in pieces: ipmitool's `fru write` and `fru edit` send ~20
 * bytes per Write FRU Data, split at the area boundaries of the image being replaced, so a
 * single write usually leaves an area's checksum wrong until the piece that carries the area's
 * last byte arrives. Checking every write against the whole image would refuse every real
 * edit; not checking would let a bad image in. So writes are staged:
 *  - a write running past the end of the device is refused (-ERANGE) and changes nothing;
 *  - a write that covers the last byte of a structure — byte 7 (the checksum) of the common
 *    header, the checksum byte that ends an info area, the last header byte or the last data
 *    byte of a multirecord — must leave that structure valid, else it is refused (-EBADMSG)
 *    and changes nothing; a refused write also drops the staged writes before it;
 *  - after an accepted write, if the whole staged image passes bmc_fru_image_check it is
 *    stored and becomes the committed image; otherwise it waits for the next write, and is
 *    dropped after BMC_FRU_STAGING_TIMEOUT without one.
 * Reads always return the committed image, so no client sees half an update, and only a
 * complete, consistent image is ever persisted (before the reply to the write completing it).
 * Structures written in order, as every client does, are checked exactly when they are
 * complete. Bytes acknowledged as part of an image that never becomes consistent are dropped. */
#include "bmc/fru.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bmc/bmc.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define BLOB_VERSION 1
#define STORE_KEY    "fru.0"

#define FRU_FORMAT_VERSION    0x01 /* common header and info areas */
#define MR_FORMAT_VERSION     0x02 /* multirecord header byte 1 bits 3:0 */
#define MR_END_OF_LIST        0x80
#define MR_HEADER_LEN         5
#define HEADER_LEN            8
#define HEADER_CHECKSUM_BYTE  7
#define AREA_BLOCK            8
#define LANGUAGE_ENGLISH      0x19 /* 25; 0 also means English */
#define TL_END                0xC1 /* end-of-fields marker (type 11, length 1) */
#define TL_TYPE_ASCII8        0xC0 /* type 11: 8-bit ASCII + Latin-1 with English */
#define TL_TYPE(tl)           ((tl) >> 6)
#define TL_LEN(tl)            ((size_t)((tl) & 0x3F))
#define CHASSIS_RACK_MOUNT    0x17

/* Areas in the order the common header lists their offsets (bytes 1-5). */
enum fru_area {
	AREA_INTERNAL,
	AREA_CHASSIS,
	AREA_BOARD,
	AREA_PRODUCT,
	AREA_MULTIRECORD,
	AREA_MAX
};

/* An info area: bytes before the first type/length field, the fields of struct bmc_fru_info
 * it carries, and the fields the spec makes mandatory (board and product end with a FRU
 * file ID that this BMC leaves empty). */
struct info_kind {
	const char *name;
	uint8_t fixed;
	uint8_t first_field;
	uint8_t n_fields;
	uint8_t mandatory;
};

static const struct info_kind info_kinds[AREA_MAX] = {
	[AREA_CHASSIS] = { "chassis", 3, BMC_FRU_CHASSIS_PART_NUMBER, 2, 2 },
	[AREA_BOARD] = { "board", 6, BMC_FRU_BOARD_MANUFACTURER, 4, 5 },
	[AREA_PRODUCT] = { "product", 3, BMC_FRU_PRODUCT_MANUFACTURER, 6, 7 },
};

static bool is_info_area(enum fru_area a)
{
	return a == AREA_CHASSIS || a == AREA_BOARD || a == AREA_PRODUCT;
}

/* Offsets in bytes of the areas the common header names; 0 = absent. */
struct fru_layout {
	size_t start[AREA_MAX];
};

/* ---- checksums and defaults ------------------------------------------------------------ */

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* FRU spec §16.2 "zero checksum": the byte that makes the 8-bit sum of the block zero. */
static uint8_t zero_checksum(const uint8_t *p, size_t n)
{
	return (uint8_t)-sum8(p, n);
}

void bmc_fru_config_defaults(struct bmc_fru_config *cfg)
{
	static const char *const text[BMC_FRU_FIELD_MAX] = {
		[BMC_FRU_CHASSIS_PART_NUMBER] = "SB-CH-1U",
		[BMC_FRU_BOARD_MANUFACTURER] = "softbmc",
		[BMC_FRU_BOARD_PRODUCT_NAME] = "Simulated Server Board",
		[BMC_FRU_BOARD_PART_NUMBER] = "SB-MB-0001",
		[BMC_FRU_PRODUCT_MANUFACTURER] = "softbmc",
		[BMC_FRU_PRODUCT_NAME] = "Simulated 1U Server",
		[BMC_FRU_PRODUCT_PART_NUMBER] = "SB-1U-0001",
		[BMC_FRU_PRODUCT_VERSION] = "1.0",
	};

	memset(cfg, 0, sizeof(*cfg));
	cfg->info.chassis_type = CHASSIS_RACK_MOUNT;
	for (int i = 0; i < BMC_FRU_FIELD_MAX; i++)
		snprintf(cfg->info.field[i], BMC_FRU_TEXT_CAP, "%s", text[i] ? text[i] : "");
	cfg->mfg_date_at_first_start = true;
	cfg->serial_from_guid = 1u << BMC_FRU_CHASSIS_SERIAL | 1u << BMC_FRU_BOARD_SERIAL |
				1u << BMC_FRU_PRODUCT_SERIAL;
}

int bmc_fru_mfg_minutes(int64_t unix_seconds, uint32_t *ret)
{
	/* Minute 0 means "unspecified", so the first representable time is 00:01. */
	if (unix_seconds < BMC_FRU_EPOCH + 60)
		return -ERANGE;
	int64_t minutes = (unix_seconds - BMC_FRU_EPOCH) / 60;
	if (minutes > BMC_FRU_MINUTES_MAX)
		return -ERANGE;
	*ret = (uint32_t)minutes;
	return 0;
}

/* Serials derived from the system GUID: a prefix and the first 5 bytes of the UUID in hex
 * (the wire order is byte-reversed, records.md §11), stable for the life of a state dir. */
static void serial_from_guid(enum bmc_fru_field f, const uint8_t guid[static 16], char *out,
			     size_t cap)
{
	static const char *const prefix[BMC_FRU_FIELD_MAX] = {
		[BMC_FRU_CHASSIS_SERIAL] = "CH",
		[BMC_FRU_BOARD_SERIAL] = "BD",
		[BMC_FRU_PRODUCT_SERIAL] = "SB",
	};
	snprintf(out, cap, "%s%02X%02X%02X%02X%02X", prefix[f] ? prefix[f] : "", guid[15],
		 guid[14], guid[13], guid[12], guid[11]);
}

void bmc_fru_config_resolve(const struct bmc_fru_config *cfg, const uint8_t system_guid[static 16],
			    usec_t now_rt, struct bmc_fru_info *ret)
{
	*ret = cfg->info;
	if (cfg->mfg_date_at_first_start) {
		uint32_t minutes = 0;
		if (bmc_fru_mfg_minutes((int64_t)(now_rt / USEC_PER_SEC), &minutes) < 0)
			minutes = 0; /* the clock is outside 1996..2027: unspecified */
		ret->board_mfg_minutes = minutes;
	}
	for (int i = 0; i < BMC_FRU_FIELD_MAX; i++) {
		if (cfg->serial_from_guid & 1u << i)
			serial_from_guid((enum bmc_fru_field)i, system_guid, ret->field[i],
					 sizeof(ret->field[i]));
	}
}

/* ---- building an image ----------------------------------------------------------------- */

/* An 8-bit ASCII field. Type 11 with length 1 is the end marker 0xC1 (FRU spec §13), so a
 * one-character text is stored with a trailing space. */
static int put_text(struct wbuf *w, const char *s)
{
	size_t n = strnlen(s, BMC_FRU_TEXT_CAP);
	if (n > BMC_FRU_STRING_MAX)
		return -EINVAL;
	if (n == 1) {
		wbuf_u8(w, TL_TYPE_ASCII8 | 2);
		wbuf_u8(w, (uint8_t)s[0]);
		wbuf_u8(w, ' ');
		return 0;
	}
	wbuf_u8(w, (uint8_t)(TL_TYPE_ASCII8 | n));
	wbuf_bytes(w, s, n);
	return 0;
}

/* The bytes between the length byte and the first field (FRU spec §10, §11, §12). */
static void put_fixed(struct wbuf *w, enum fru_area a, const struct bmc_fru_info *info)
{
	if (a == AREA_CHASSIS) {
		wbuf_u8(w, info->chassis_type);
		return;
	}
	wbuf_u8(w, LANGUAGE_ENGLISH);
	if (a == AREA_BOARD) {
		uint32_t m = info->board_mfg_minutes & BMC_FRU_MINUTES_MAX;
		wbuf_u16le(w, (uint16_t)m);
		wbuf_u8(w, (uint8_t)(m >> 16));
	}
}

/* One info area: version, length, fixed bytes, fields, empty FRU file ID, end marker,
 * zero padding so that the area with its checksum is a multiple of 8 bytes, checksum. */
static int build_info_area(struct wbuf *w, enum fru_area a, const struct bmc_fru_info *info)
{
	const struct info_kind *k = &info_kinds[a];
	size_t start = w->len;

	wbuf_u8(w, FRU_FORMAT_VERSION);
	uint8_t *len_byte = wbuf_reserve(w, 1);
	put_fixed(w, a, info);
	for (int i = 0; i < k->n_fields; i++) {
		if (put_text(w, info->field[k->first_field + i]) < 0)
			return -EINVAL;
	}
	for (int i = k->n_fields; i < k->mandatory; i++)
		wbuf_u8(w, TL_TYPE_ASCII8); /* FRU file ID: empty */
	wbuf_u8(w, TL_END);
	wbuf_zero(w, (AREA_BLOCK - (w->len - start + 1) % AREA_BLOCK) % AREA_BLOCK);
	if (w->err || !len_byte)
		return -EMSGSIZE;
	size_t n = w->len - start + 1;
	if (n / AREA_BLOCK > UINT8_MAX)
		return -EMSGSIZE;
	*len_byte = (uint8_t)(n / AREA_BLOCK);
	wbuf_u8(w, zero_checksum(w->p + start, n - 1));
	return w->err ? -EMSGSIZE : 0;
}

int bmc_fru_build(const struct bmc_fru_info *info, uint8_t *buf, size_t size)
{
	static const enum fru_area order[] = { AREA_CHASSIS, AREA_BOARD, AREA_PRODUCT };
	struct wbuf w = wbuf_init(buf, size);
	uint8_t *header = wbuf_reserve(&w, HEADER_LEN);

	if (!header)
		return -EMSGSIZE;
	memset(header, 0, HEADER_LEN);
	header[0] = FRU_FORMAT_VERSION;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (w.len / AREA_BLOCK > UINT8_MAX)
			return -EMSGSIZE;
		header[1 + order[i]] = (uint8_t)(w.len / AREA_BLOCK);
		int r = build_info_area(&w, order[i], info);
		if (r < 0)
			return r;
	}
	header[HEADER_CHECKSUM_BYTE] = zero_checksum(header, HEADER_CHECKSUM_BYTE);
	size_t used = w.len;
	memset(buf + used, 0, size - used);
	return (int)used;
}

/* ---- checking an image (its bytes come from clients: read through struct rbuf) --------- */

/* FRU spec §8: version 1, zero checksum, every named area inside the device. */
static int header_parse(const uint8_t *img, size_t len, struct fru_layout *ret)
{
	struct rbuf r = rbuf_init(img, len);
	const uint8_t *h = rbuf_take(&r, HEADER_LEN);

	if (!h || sum8(h, HEADER_LEN) != 0)
		return -EBADMSG;
	struct rbuf hb = rbuf_init(h, HEADER_LEN);
	if (rbuf_u8(&hb) != FRU_FORMAT_VERSION)
		return -EBADMSG;
	for (int a = 0; a < AREA_MAX; a++) {
		size_t start = (size_t)rbuf_u8(&hb) * AREA_BLOCK;
		if (start >= len)
			return -EBADMSG;
		ret->start[a] = start;
	}
	return 0;
}

/* FRU spec §10-12: version 1, a length inside the device, zero checksum, at least the
 * mandatory fields and then the end marker before the checksum byte. */
static int check_info_area(const uint8_t *img, size_t len, size_t start, enum fru_area a,
			   size_t *ret_end)
{
	const struct info_kind *k = &info_kinds[a];
	struct rbuf r = rbuf_init(img, len);

	rbuf_skip(&r, start);
	struct rbuf head = r;
	uint8_t version = rbuf_u8(&head);
	size_t n = (size_t)rbuf_u8(&head) * AREA_BLOCK;
	if (head.err || version != FRU_FORMAT_VERSION || n == 0)
		return -EBADMSG;
	const uint8_t *area = rbuf_take(&r, n);
	if (!area || sum8(area, n) != 0)
		return -EBADMSG;
	struct rbuf f = rbuf_init(area, n - 1); /* the fields end before the checksum */
	rbuf_skip(&f, k->fixed);
	unsigned count = 0;
	for (uint8_t tl = rbuf_u8(&f); tl != TL_END; tl = rbuf_u8(&f)) {
		if (f.err)
			return -EBADMSG;
		rbuf_skip(&f, TL_LEN(tl));
		count++;
	}
	if (f.err || count < k->mandatory)
		return -EBADMSG;
	*ret_end = start + n;
	return 0;
}

/* One multirecord (FRU spec §16): its 5-byte header, then its data. */
struct mr_record {
	bool header_ok;   /* zero header checksum, format version 2 */
	bool end_of_list;
	size_t data_end;  /* offset just past the data */
	bool data_inside; /* the data lies inside the device */
	bool data_ok;     /* data_inside and its checksum is right */
};

static int mr_record_at(const uint8_t *img, size_t len, size_t pos, struct mr_record *ret)
{
	struct rbuf r = rbuf_init(img, len);

	rbuf_skip(&r, pos);
	const uint8_t *h = rbuf_take(&r, MR_HEADER_LEN);
	if (!h)
		return -EBADMSG;
	struct rbuf hb = rbuf_init(h, MR_HEADER_LEN);
	rbuf_u8(&hb); /* record type */
	uint8_t format = rbuf_u8(&hb);
	uint8_t data_len = rbuf_u8(&hb);
	uint8_t data_sum = rbuf_u8(&hb);
	*ret = (struct mr_record){
		.header_ok = sum8(h, MR_HEADER_LEN) == 0 && (format & 0x0F) == MR_FORMAT_VERSION,
		.end_of_list = format & MR_END_OF_LIST,
		.data_end = pos + MR_HEADER_LEN + data_len,
	};
	const uint8_t *data = rbuf_take(&r, data_len);
	ret->data_inside = data != NULL;
	ret->data_ok = data && (uint8_t)(sum8(data, data_len) + data_sum) == 0;
	return 0;
}

static int check_multirecords(const uint8_t *img, size_t len, size_t start, size_t *ret_end)
{
	struct mr_record rec;

	for (size_t pos = start;; pos = rec.data_end) {
		if (mr_record_at(img, len, pos, &rec) < 0 || !rec.header_ok || !rec.data_ok)
			return -EBADMSG;
		if (rec.end_of_list) {
			*ret_end = rec.data_end;
			return 0;
		}
	}
}

struct extent {
	size_t start, end;
};

/* The areas must not overlap. The internal use area has no length of its own (it runs up to
 * the next area), so only its first byte counts. */
static int check_overlap(struct extent *ext, int n)
{
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && ext[j].start < ext[j - 1].start; j--) {
			struct extent t = ext[j];
			ext[j] = ext[j - 1];
			ext[j - 1] = t;
		}
	}
	for (int i = 1; i < n; i++) {
		if (ext[i].start < ext[i - 1].end)
			return -EBADMSG;
	}
	return 0;
}

int bmc_fru_image_check(const uint8_t *img, size_t len)
{
	struct fru_layout l;
	struct extent ext[AREA_MAX];
	int n = 0;

	if (header_parse(img, len, &l) < 0)
		return -EBADMSG;
	for (int a = 0; a < AREA_MAX; a++) {
		size_t start = l.start[a], end = start + 1;
		int r = 0;
		if (!start)
			continue;
		if (is_info_area((enum fru_area)a))
			r = check_info_area(img, len, start, (enum fru_area)a, &end);
		else if (a == AREA_MULTIRECORD)
			r = check_multirecords(img, len, start, &end);
		if (r < 0)
			return r;
		ext[n++] = (struct extent){ start, end };
	}
	return check_overlap(ext, n);
}

/* ---- decoding -------------------------------------------------------------------------- */

/* 6-bit packed ASCII (FRU spec §13.1): 4 characters in 3 bytes, least significant bits
 * first, each character = ASCII - 0x20. */
static void decode_6bit(const uint8_t *p, size_t n, char *out)
{
	size_t chars = n * 8 / 6;
	for (size_t i = 0; i < chars; i++) {
		size_t bit = i * 6, byte = bit / 8, shift = bit % 8;
		unsigned v = p[byte] >> shift;
		if (shift > 2 && byte + 1 < n)
			v |= (unsigned)p[byte + 1] << (8 - shift);
		out[i] = (char)((v & 0x3F) + 0x20);
	}
	out[chars] = '\0';
}

/* BCD plus (FRU spec §13.1): two characters per byte, high nibble first; 0xA space, 0xB '-',
 * 0xC '.'; 0xD-0xF are reserved and shown as ':', ',', '_' as ipmitool shows them. */
static void decode_bcd_plus(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789 -.:,_";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0F];
	}
	out[2 * n] = '\0';
}

static void decode_text(uint8_t tl, const uint8_t *p, char out[static BMC_FRU_TEXT_CAP])
{
	size_t n = TL_LEN(tl);

	switch (TL_TYPE(tl)) {
	case 3: /* 8-bit ASCII + Latin-1 (or Unicode for other languages: kept as bytes) */
		memcpy(out, p, n);
		out[n] = '\0';
		break;
	case 2:
		decode_6bit(p, n, out);
		break;
	case 1:
		decode_bcd_plus(p, n, out);
		break;
	default: /* binary */
		for (size_t i = 0; i < n; i++)
			snprintf(out + 2 * i, 3, "%02X", p[i]);
		out[2 * n] = '\0';
		break;
	}
}

/* Decodes one checked info area's fixed bytes and the fields struct bmc_fru_info holds. */
static void decode_info_area(const uint8_t *img, size_t len, size_t start, enum fru_area a,
			     struct bmc_fru_info *ret)
{
	const struct info_kind *k = &info_kinds[a];
	struct rbuf r = rbuf_init(img, len);

	rbuf_skip(&r, start + 2);
	if (a == AREA_CHASSIS) {
		ret->chassis_type = rbuf_u8(&r);
	} else {
		rbuf_u8(&r); /* language */
		if (a == AREA_BOARD) {
			uint32_t m = rbuf_u16le(&r);
			ret->board_mfg_minutes = m | (uint32_t)rbuf_u8(&r) << 16;
		}
	}
	for (int i = 0; i < k->n_fields; i++) {
		uint8_t tl = rbuf_u8(&r);
		const uint8_t *p = rbuf_take(&r, TL_LEN(tl));
		if (p)
			decode_text(tl, p, ret->field[k->first_field + i]);
	}
}

int bmc_fru_decode(const uint8_t *img, size_t len, struct bmc_fru_info *ret)
{
	struct fru_layout l;

	if (bmc_fru_image_check(img, len) < 0 || header_parse(img, len, &l) < 0)
		return -EBADMSG;
	memset(ret, 0, sizeof(*ret));
	for (int a = 0; a < AREA_MAX; a++) {
		if (l.start[a] && is_info_area((enum fru_area)a))
			decode_info_area(img, len, l.start[a], (enum fru_area)a, ret);
	}
	return 0;
}

/* ---- the device: persistence ----------------------------------------------------------- */

static int image_store(struct bmc *bmc, const uint8_t *img, size_t len)
{
	uint8_t blob[1 + BMC_FRU_SIZE];
	struct wbuf w = wbuf_init(blob, sizeof(blob));

	wbuf_u8(&w, BLOB_VERSION);
	wbuf_bytes(&w, img, len);
	if (w.err)
		return -EOVERFLOW;
	return store_set(bmc->store, STORE_KEY, blob, w.len);
}

/* -ENOENT if nothing is stored, -EBADMSG if what is stored is not a consistent image. */
static int image_load(struct bmc *bmc)
{
	struct bmc_fru *f = &bmc->fru;
	uint8_t blob[1 + BMC_FRU_SIZE];
	size_t len = 0;
	int r = store_get(bmc->store, STORE_KEY, blob, sizeof(blob), &len);

	if (r < 0)
		return r;
	if (len > sizeof(blob))
		return -EBADMSG;
	struct rbuf rb = rbuf_init(blob, len);
	if (rbuf_u8(&rb) != BLOB_VERSION || rb.err)
		return -EBADMSG;
	size_t n = rbuf_left(&rb);
	const uint8_t *img = rbuf_take(&rb, n);
	if (!img || bmc_fru_image_check(img, n) < 0)
		return -EBADMSG;
	memcpy(f->image, img, n);
	f->size = (uint16_t)n;
	return 0;
}

static int image_build(struct bmc *bmc)
{
	struct bmc_fru *f = &bmc->fru;
	struct bmc_fru_config defaults;
	const struct bmc_fru_config *cfg = f->config;
	struct bmc_fru_info info;
	uint8_t img[BMC_FRU_SIZE];

	if (!cfg) {
		bmc_fru_config_defaults(&defaults);
		cfg = &defaults;
	}
	bmc_fru_config_resolve(cfg, bmc->system_guid, now_realtime(), &info);
	int used = bmc_fru_build(&info, img, sizeof(img));
	if (used < 0)
		return used;
	int r = image_store(bmc, img, sizeof(img));
	if (r < 0)
		return r;
	memcpy(f->image, img, sizeof(img));
	f->size = sizeof(img);
	log_info("%s: FRU 0: inventory built from the configuration (%d of %zu bytes used), "
		 "product serial %s", bmc->name, used, sizeof(img),
		 info.field[BMC_FRU_PRODUCT_SERIAL]);
	return 0;
}

int bmc_fru_init(struct bmc *bmc)
{
	bmc->fru.staging = false;
	int r = image_load(bmc);
	if (r == -EBADMSG)
		log_warn("%s: FRU 0: the stored inventory is unreadable, building it again from "
			 "the configuration", bmc->name);
	if (r == -ENOENT || r == -EBADMSG)
		r = image_build(bmc);
	return r;
}

/* ---- the device: Get Info, Read, Write -------------------------------------------------- */

int bmc_fru_area_size(const struct bmc *bmc, uint8_t fru_id)
{
	return fru_id == BMC_FRU_DEVICE_ID ? bmc->fru.size : -ENXIO;
}

int bmc_fru_read(const struct bmc *bmc, uint8_t fru_id, uint16_t offset, uint8_t *buf,
		 size_t count)
{
	const struct bmc_fru *f = &bmc->fru;

	if (fru_id != BMC_FRU_DEVICE_ID)
		return -ENXIO;
	if (offset >= f->size)
		return -ERANGE;
	size_t n = count < (size_t)(f->size - offset) ? count : (size_t)(f->size - offset);
	memcpy(buf, f->image + offset, n);
	return (int)n;
}

static bool covers(size_t ws, size_t we, size_t pos)
{
	return pos >= ws && pos < we;
}

/* An info area named by a complete header: refused only if this write [ws, we) wrote its
 * length byte and the length runs past the device, or wrote its last byte and it is invalid. */
static int info_area_write_check(const uint8_t *img, size_t len, size_t start, enum fru_area a,
				 size_t ws, size_t we)
{
	struct rbuf r = rbuf_init(img, len);
	size_t end;

	rbuf_skip(&r, start + 1);
	size_t n = (size_t)rbuf_u8(&r) * AREA_BLOCK;
	if (r.err)
		return 0;
	if (n == 0 || start + n > len)
		return covers(ws, we, start + 1) ? -EBADMSG : 0;
	if (!covers(ws, we, start + n - 1))
		return 0;
	return check_info_area(img, len, start, a, &end);
}

/* The multirecords, walked while their headers are valid: a header completed by this write
 * must be valid and its data inside the device; data completed by it must match its checksum. */
static int mr_write_check(const uint8_t *img, size_t len, size_t start, size_t ws, size_t we)
{
	struct mr_record rec;

	for (size_t pos = start;; pos = rec.data_end) {
		if (mr_record_at(img, len, pos, &rec) < 0)
			return 0;
		bool header_done = covers(ws, we, pos + MR_HEADER_LEN - 1);
		if (!rec.header_ok || !rec.data_inside)
			return header_done ? -EBADMSG : 0;
		if (covers(ws, we, rec.data_end - 1) && !rec.data_ok)
			return -EBADMSG;
		if (rec.end_of_list)
			return 0;
	}
}

/* The rule of the staged write (see the top of this file) for the write [ws, we) into img. */
static int write_check(const uint8_t *img, size_t len, size_t ws, size_t we)
{
	struct fru_layout l;

	if (header_parse(img, len, &l) < 0)
		return covers(ws, we, HEADER_CHECKSUM_BYTE) ? -EBADMSG : 0;
	for (int a = 0; a < AREA_MAX; a++) {
		int r = 0;
		if (!l.start[a])
			continue;
		if (is_info_area((enum fru_area)a))
			r = info_area_write_check(img, len, l.start[a], (enum fru_area)a, ws, we);
		else if (a == AREA_MULTIRECORD)
			r = mr_write_check(img, len, l.start[a], ws, we);
		if (r < 0)
			return r;
	}
	return 0;
}

static void staging_drop(struct bmc *bmc, const char *why)
{
	if (!bmc->fru.staging)
		return;
	bmc->fru.staging = false;
	log_info("%s: FRU 0: incomplete write dropped (%s); the inventory is unchanged",
		 bmc->name, why);
}

/* The staged image is consistent: persist it (before the reply) and serve it. */
static int commit(struct bmc *bmc, const uint8_t *img, uint16_t offset, size_t len)
{
	struct bmc_fru *f = &bmc->fru;

	f->staging = false;
	if (memcmp(img, f->image, f->size) == 0)
		return (int)len;
	int r = image_store(bmc, img, f->size);
	if (r < 0) {
		log_warn("%s: FRU 0: could not store the written inventory: %s", bmc->name,
			 strerror(-r));
		return r;
	}
	memcpy(f->image, img, f->size);
	log_info("%s: FRU 0: inventory updated by Write FRU Data (a %zu-byte write at offset "
		 "%u completed a consistent image)", bmc->name, len, offset);
	return (int)len;
}

int bmc_fru_write(struct bmc *bmc, uint8_t fru_id, uint16_t offset, const uint8_t *data,
		  size_t len)
{
	struct bmc_fru *f = &bmc->fru;
	uint8_t cand[BMC_FRU_SIZE];
	usec_t now = now_monotonic();

	if (fru_id != BMC_FRU_DEVICE_ID)
		return -ENXIO;
	if (offset >= f->size || len > (size_t)(f->size - offset))
		return -ERANGE;
	if (f->staging && now - f->staged_at > BMC_FRU_STAGING_TIMEOUT)
		staging_drop(bmc, "no write for 30 s");
	memcpy(cand, f->staging ? f->staged : f->image, f->size);
	memcpy(cand + offset, data, len);
	int r = write_check(cand, f->size, offset, offset + len);
	if (r < 0) {
		log_info("%s: FRU 0: %zu-byte write at offset %u refused: it completes a "
			 "header or area that is then invalid", bmc->name, len, offset);
		staging_drop(bmc, "a write was refused");
		return r;
	}
	if (bmc_fru_image_check(cand, f->size) == 0)
		return commit(bmc, cand, offset, len);
	memcpy(f->staged, cand, f->size);
	f->staging = true;
	f->staged_at = now;
	return (int)len;
}

int bmc_fru_inventory(const struct bmc *bmc, struct bmc_fru_info *ret)
{
	return bmc_fru_decode(bmc->fru.image, bmc->fru.size, ret);
}

int bmc_fru_set_field(struct bmc *bmc, enum bmc_fru_field field, const char *text)
{
	struct bmc_fru *f = &bmc->fru;
	struct bmc_fru_info info;
	uint8_t img[BMC_FRU_SIZE];
	size_t len = strnlen(text, BMC_FRU_STRING_MAX + 1);

	if ((unsigned)field >= BMC_FRU_FIELD_MAX || len > BMC_FRU_STRING_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < 0x20 || text[i] > 0x7E)
			return -EINVAL;
	}
	if (f->staging && now_monotonic() - f->staged_at <= BMC_FRU_STAGING_TIMEOUT)
		return -EBUSY;
	int r = bmc_fru_inventory(bmc, &info);
	if (r < 0)
		return r;
	memcpy(info.field[field], text, len + 1);
	r = bmc_fru_build(&info, img, f->size);
	if (r < 0)
		return r;
	r = bmc_fru_write(bmc, BMC_FRU_DEVICE_ID, 0, img, f->size);
	return r < 0 ? r : 0;
}
