/* Persistent state in SQLite (WAL) under the state dir. Only this module speaks SQL.
 * Configuration lives as versioned blobs under string keys ("user.2", "chassis.boot", ...);
 * secrets (passwords) are sealed with the state dir's key before they touch the database.
 * Every write happens in a transaction that is committed before the caller acknowledges it. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct store;

/* Opens (creating if needed) DIR/softbmc.db and DIR/secret.key (mode 0600).
 * Returns 0 or a negative errno; *ret_first_start is true if the database was just created. */
int store_open(const char *dir, struct store **ret, bool *ret_first_start);
/* NULL-safe. */
void store_close(struct store *s);

/* Transactions nest: only the outermost commit writes. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* Returns 0 and the value length in *ret_len (copying up to cap bytes), or -ENOENT. */
int store_get(struct store *s, const char *key, void *buf, size_t cap, size_t *ret_len);
int store_set(struct store *s, const char *key, const void *val, size_t len);
/* Deleting a key that is not there is not an error. */
int store_delete(struct store *s, const char *key);

/* The same for secrets: sealed with AES-256-GCM under the state dir's key. store_get_secret
 * returns -EBADMSG if the stored value does not authenticate (altered, or moved from another key). */
int store_get_secret(struct store *s, const char *key, void *buf, size_t cap, size_t *ret_len);
int store_set_secret(struct store *s, const char *key, const void *val, size_t len);

/* ---- System Event Log records (sel_store.c) -------------------------------------------- */
/* The SEL's 16-byte records in the order they were appended, each under the record ID the
 * BMC gave it (1..0xFFFE). What an ID means and how one is chosen is the model's business
 * (bmc/sel.c); this is only the table. Errors: -ENOENT no such record (or the SEL is empty),
 * -EEXIST the ID is taken, else a negative errno from SQLite. */
#define STORE_SEL_RECORD_LEN 16

/* SEL writes that must happen all or not at all: a savepoint inside store_begin, so a failed
 * step undoes only the SEL's writes, also when a caller's transaction is open around them.
 * store_sel_end(s, false) undoes them; both close the level store_sel_begin opened. */
int store_sel_begin(struct store *s);
int store_sel_end(struct store *s, bool keep);

int store_sel_count(struct store *s, uint32_t *ret_count);
/* The first (oldest) and last (newest) record's ID. */
int store_sel_first(struct store *s, uint16_t *ret_id);
int store_sel_last(struct store *s, uint16_t *ret_id);
/* Returns 1 if a record has this ID, 0 if not. */
int store_sel_exists(struct store *s, uint16_t id);
/* The record and the ID of the record after it (0 if it is the last). */
int store_sel_read(struct store *s, uint16_t id, uint8_t ret_record[static STORE_SEL_RECORD_LEN],
		   uint16_t *ret_next);
/* Appends a record as the newest. */
int store_sel_append(struct store *s, uint16_t id, const uint8_t record[static STORE_SEL_RECORD_LEN]);
int store_sel_delete(struct store *s, uint16_t id);
/* Removes every record. */
int store_sel_clear(struct store *s);

/* Versioned blobs: byte 0 of the value is the layout version. store_set_blob writes what the
 * writer holds (-EOVERFLOW if it overflowed); store_get_blob reads into buf and returns a reader
 * positioned past the version byte: -ENOENT if absent, -EBADMSG if too long or of another
 * version. */
int store_set_blob(struct store *s, const char *key, const struct wbuf *w);
int store_get_blob(struct store *s, uint8_t version, const char *key, uint8_t *buf, size_t cap,
		   struct rbuf *ret);
