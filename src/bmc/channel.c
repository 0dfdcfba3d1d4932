/* Channel access settings (IPMI 2.0 §22.22-22.23): for each channel with settings (the LAN
 * channel), a volatile (present) and a non-volatile set of access mode, alerting and
 * authentication switches and a privilege limit. Stored as one row "channel.N" holding both
 * sets; at BMC start the volatile set is reset to the non-volatile one, as the spec says. */
#include "bmc/channel.h"

#include <errno.h>
#include <stdio.h>

#include "bmc/users.h"
#include "core/buf.h"
#include "store/store.h"

/* Row layout, version 1: version, then volatile and non-volatile sets, each
 * access mode, flags (Get Channel Access byte 2 bits 5:3), privilege limit. */
#define CHANNEL_ROW_VERSION 1
#define CHANNEL_ROW_LEN     7

#define CHANNEL_PEF_DISABLED     0x20
#define CHANNEL_PERMSG_DISABLED  0x10
#define CHANNEL_USERLVL_DISABLED 0x08

#define CHANNEL_KEY_MAX 24

static void channel_key(char key[static CHANNEL_KEY_MAX], uint8_t number)
{
	snprintf(key, CHANNEL_KEY_MAX, "channel.%u", number);
}

void bmc_channel_init_default(struct bmc_channel *ch)
{
	const struct bmc_channel_access def = {
		.access_mode = BMC_ACCESS_ALWAYS,
		.priv_limit = BMC_PRIV_ADMIN,
	};

	ch->volatile_ = def;
	ch->nonvolatile = def;
}

static void access_encode(struct wbuf *w, const struct bmc_channel_access *a)
{
	wbuf_u8(w, a->access_mode);
	wbuf_u8(w, (uint8_t)((a->pef_alerting_disabled ? CHANNEL_PEF_DISABLED : 0) |
			     (a->per_msg_auth_disabled ? CHANNEL_PERMSG_DISABLED : 0) |
			     (a->user_level_auth_disabled ? CHANNEL_USERLVL_DISABLED : 0)));
	wbuf_u8(w, a->priv_limit);
}

static void access_decode(struct rbuf *r, struct bmc_channel_access *a)
{
	uint8_t flags;

	a->access_mode = rbuf_u8(r) & 0x07;
	flags = rbuf_u8(r);
	a->pef_alerting_disabled = flags & CHANNEL_PEF_DISABLED;
	a->per_msg_auth_disabled = flags & CHANNEL_PERMSG_DISABLED;
	a->user_level_auth_disabled = flags & CHANNEL_USERLVL_DISABLED;
	a->priv_limit = rbuf_u8(r) & 0x0F;
}

static bool access_valid(const struct bmc_channel_access *a)
{
	return a->access_mode <= BMC_ACCESS_SHARED && a->priv_limit >= BMC_PRIV_CALLBACK &&
	       a->priv_limit <= BMC_PRIV_OEM;
}

int bmc_channel_load(struct bmc_channel *ch, struct store *s, uint8_t number)
{
	char key[CHANNEL_KEY_MAX];
	uint8_t row[CHANNEL_ROW_LEN];
	struct bmc_channel loaded;
	struct rbuf r;
	size_t len = 0;
	int rc;

	bmc_channel_init_default(ch);
	channel_key(key, number);
	rc = store_get(s, key, row, sizeof(row), &len);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	if (len != sizeof(row) || row[0] != CHANNEL_ROW_VERSION)
		return -EBADMSG;
	r = rbuf_init(row, len);
	rbuf_skip(&r, 1);
	access_decode(&r, &loaded.volatile_);
	access_decode(&r, &loaded.nonvolatile);
	if (r.err || !access_valid(&loaded.volatile_) || !access_valid(&loaded.nonvolatile))
		return -EBADMSG;
	/* IPMI 2.0 §22.22: the volatile settings start as the non-volatile ones. */
	ch->nonvolatile = loaded.nonvolatile;
	ch->volatile_ = loaded.nonvolatile;
	return 0;
}

int bmc_channel_save(const struct bmc_channel *ch, struct store *s, uint8_t number)
{
	char key[CHANNEL_KEY_MAX];
	uint8_t row[CHANNEL_ROW_LEN];
	struct wbuf w = wbuf_init(row, sizeof(row));
	int rc;

	wbuf_u8(&w, CHANNEL_ROW_VERSION);
	access_encode(&w, &ch->volatile_);
	access_encode(&w, &ch->nonvolatile);
	if (w.err || w.len != sizeof(row))
		return -EINVAL;
	channel_key(key, number);
	rc = store_begin(s);
	if (rc < 0)
		return rc;
	rc = store_set(s, key, row, w.len);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}
