/* The System Event Log's table (schema migration 2 in store.c): one row per 16-byte record,
 * `seq` keeping the order records were appended in (the order Get SEL Entry walks), `id` the
 * record ID the model assigned. The model (bmc/sel.c) decides IDs, capacity and timestamps;
 * this file only stores and finds rows.
 *
 * Statements are prepared per call: a SEL write costs an fsync, next to which preparing a
 * short statement is noise, and it keeps store.c's statement table untouched.
 *
 * Multi-step SEL changes (append a record and update the SEL's state blob) run inside the
 * savepoint "sel" (store_sel_begin/store_sel_end), so a failure half way undoes exactly the
 * SEL's part, even inside a caller's open transaction (the event path runs inside the chassis
 * model's power-change transaction). */
#include <errno.h>
#include <string.h>

#include "store/store.h"
#include "store/store_sql.h"

static int exec(struct store *s, const char *sql)
{
	return store_sql_errno(s, sqlite3_exec(store_sql_db(s), sql, NULL, NULL, NULL));
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v2(store_sql_db(s), sql, -1, ret, NULL);
	return rc == SQLITE_OK ? 0 : store_sql_errno(s, rc);
}

int store_sel_begin(struct store *s)
{
	int r = store_begin(s);
	if (r < 0)
		return r;
	r = exec(s, "SAVEPOINT sel");
	if (r < 0)
		(void)store_commit(s); /* closes our level; nothing was written */
	return r;
}

int store_sel_end(struct store *s, bool keep)
{
	int r = keep ? exec(s, "RELEASE sel") : 0;
	if (!keep || r < 0) {
		(void)exec(s, "ROLLBACK TO sel");
		(void)exec(s, "RELEASE sel");
	}
	/* Outermost: commits (nothing, if undone); nested: the caller's commit writes. */
	int c = store_commit(s);
	if (!keep)
		return 0;
	return r < 0 ? r : c;
}

/* Runs a statement whose first column of the first row is a record ID or count, with an
 * optional ID parameter (bind < 0: none). -ENOENT if there is no row. */
static int query_int(struct store *s, const char *sql, int bind, int64_t *ret)
{
	sqlite3_stmt *st;
	int r = prepare(s, sql, &st);
	if (r < 0)
		return r;
	int rc = bind >= 0 ? sqlite3_bind_int(st, 1, bind) : SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int64(st, 0);
	r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_sql_errno(s, rc);
	sqlite3_finalize(st);
	return r;
}

static int query_id(struct store *s, const char *sql, int bind, uint16_t *ret_id)
{
	int64_t v = 0;
	int r = query_int(s, sql, bind, &v);
	if (r == 0 && (v < 1 || v > 0xFFFE))
		r = -EBADMSG; /* the table's CHECK makes this impossible */
	if (r == 0)
		*ret_id = (uint16_t)v;
	return r;
}

int store_sel_count(struct store *s, uint32_t *ret_count)
{
	int64_t v = 0;
	int r = query_int(s, "SELECT count(*) FROM sel", -1, &v);
	if (r == 0)
		*ret_count = (uint32_t)v;
	return r;
}

int store_sel_first(struct store *s, uint16_t *ret_id)
{
	return query_id(s, "SELECT id FROM sel ORDER BY seq LIMIT 1", -1, ret_id);
}

int store_sel_last(struct store *s, uint16_t *ret_id)
{
	return query_id(s, "SELECT id FROM sel ORDER BY seq DESC LIMIT 1", -1, ret_id);
}

int store_sel_exists(struct store *s, uint16_t id)
{
	int64_t v = 0;
	int r = query_int(s, "SELECT 1 FROM sel WHERE id = ?1", id, &v);
	return r == 0 ? 1 : r == -ENOENT ? 0 : r;
}

/* The record itself, then the next one in append order. */
int store_sel_read(struct store *s, uint16_t id, uint8_t ret_record[static STORE_SEL_RECORD_LEN],
		   uint16_t *ret_next)
{
	sqlite3_stmt *st;
	uint8_t rec[STORE_SEL_RECORD_LEN] = { 0 };
	int r = prepare(s, "SELECT record FROM sel WHERE id = ?1", &st);
	if (r < 0)
		return r;
	int rc = sqlite3_bind_int(st, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_sql_errno(s, rc);
	if (r == 0 && sqlite3_column_bytes(st, 0) != STORE_SEL_RECORD_LEN)
		r = -EBADMSG;
	if (r == 0)
		memcpy(rec, sqlite3_column_blob(st, 0), sizeof(rec));
	sqlite3_finalize(st);
	if (r < 0)
		return r;
	uint16_t next = 0;
	r = query_id(s, "SELECT id FROM sel WHERE seq > (SELECT seq FROM sel WHERE id = ?1) "
			"ORDER BY seq LIMIT 1", id, &next);
	if (r < 0 && r != -ENOENT)
		return r;
	memcpy(ret_record, rec, sizeof(rec));
	*ret_next = next;
	return 0;
}

int store_sel_append(struct store *s, uint16_t id, const uint8_t record[static STORE_SEL_RECORD_LEN])
{
	sqlite3_stmt *st;
	int r = prepare(s, "INSERT INTO sel (seq, id, record) "
			   "VALUES ((SELECT ifnull(max(seq), 0) + 1 FROM sel), ?1, ?2)", &st);
	if (r < 0)
		return r;
	int rc = sqlite3_bind_int(st, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 2, record, STORE_SEL_RECORD_LEN, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		r = -EEXIST;
	else
		r = rc == SQLITE_DONE ? 0 : store_sql_errno(s, rc);
	sqlite3_finalize(st);
	return r;
}

int store_sel_delete(struct store *s, uint16_t id)
{
	sqlite3_stmt *st;
	int r = prepare(s, "DELETE FROM sel WHERE id = ?1", &st);
	if (r < 0)
		return r;
	int rc = sqlite3_bind_int(st, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	r = rc == SQLITE_DONE ? 0 : store_sql_errno(s, rc);
	if (r == 0 && sqlite3_changes(store_sql_db(s)) == 0)
		r = -ENOENT;
	sqlite3_finalize(st);
	return r;
}

int store_sel_clear(struct store *s)
{
	return exec(s, "DELETE FROM sel");
}
