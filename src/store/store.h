/* Persistent state in SQLite (WAL) under the state dir. Only this module speaks SQL.
 * Configuration lives as versioned blobs under string keys ("user.2", "chassis.boot", ...);
 * secrets (passwords) are sealed with the state dir's key before they touch the database.
 * Every write happens in a transaction that is committed before the caller acknowledges it. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
