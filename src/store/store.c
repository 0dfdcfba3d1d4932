/* Persistent state in SQLite under the state dir; the only place that speaks SQL.
 *
 * DIR/softbmc.db is opened in WAL mode with synchronous=FULL, so a COMMIT has reached the disk
 * when it returns: a change that was acknowledged survives a kill -9 or a power cut right after
 * the reply. The schema is versioned with PRAGMA user_version and brought up to date by the
 * migrations table below, in one transaction. Statements are prepared once at open.
 *
 * Transactions nest with a depth counter: the outermost store_begin issues BEGIN IMMEDIATE
 * (taking the write lock up front, so a transaction never fails half way on a lock), the
 * matching outermost store_commit writes, and store_rollback at any depth abandons the whole
 * transaction. Secrets are sealed by secret.c before they reach SQL. */
#include "store/store.h"
#include "store/secret.h"
#include "store/store_sql.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#define DB_FILE "softbmc.db"
/* Only another process (an operator's sqlite3 shell) can hold the lock; never wait long on
 * the loop for it. */
#define BUSY_TIMEOUT_MS 100

/* Schema migrations: entry i takes user_version i to i + 1. Append only, never edit. */
static const char *const migrations[] = {
	/* 1: configuration blobs under string keys */
	"CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL);",
	/* 2: System Event Log records (sel_store.c): seq gives insertion order, id is the
	 * record ID the BMC assigned (IPMI 2.0 §31), record the 16 bytes as served */
	"CREATE TABLE sel (seq INTEGER PRIMARY KEY, "
	"id INTEGER NOT NULL UNIQUE CHECK (id BETWEEN 1 AND 65534), "
	"record BLOB NOT NULL CHECK (length(record) = 16));",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

enum stmt_id {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_KV_GET,
	STMT_KV_SET,
	STMT_KV_DELETE,
	STMT_MAX
};

static const char *const stmt_sql[STMT_MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_KV_GET] = "SELECT value FROM kv WHERE key = ?1",
	[STMT_KV_SET] = ("INSERT INTO kv (key, value) VALUES (?1, ?2) "
			 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
	[STMT_KV_DELETE] = "DELETE FROM kv WHERE key = ?1",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT_MAX];
	unsigned depth; /* store_begin nesting */
	uint8_t key[SECRET_KEY_LEN];
};

/* Maps an SQLite result code to a negative errno, preferring the OS error behind an I/O
 * failure when SQLite recorded one. */
static int sql_errno(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE:
		return 0;
	case SQLITE_BUSY: case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_PERM: case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_TOOBIG:
		return -E2BIG;
	case SQLITE_CONSTRAINT: case SQLITE_MISMATCH: case SQLITE_RANGE: case SQLITE_MISUSE:
		return -EINVAL;
	case SQLITE_IOERR: case SQLITE_CANTOPEN: {
		int e = db ? sqlite3_system_errno(db) : 0;
		return e > 0 ? -e : -EIO;
	}
	default:
		return -EIO;
	}
}

/* Runs a cached statement that returns no rows and resets it. */
static int stmt_run(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sql_errno(s->db, rc);
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	return sql_errno(db, sqlite3_exec(db, sql, NULL, NULL, NULL));
}

/* Runs a one-row pragma (or query) and returns its first column as an integer or text. */
static int query_first(sqlite3 *db, const char *sql, int *ret_int, char *ret_text, size_t cap)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(db, rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (ret_int)
			*ret_int = sqlite3_column_int(st, 0);
		if (ret_text) {
			const unsigned char *t = sqlite3_column_text(st, 0);
			snprintf(ret_text, cap, "%s", t ? (const char *)t : "");
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENODATA : sql_errno(db, rc);
}

static int db_configure(sqlite3 *db)
{
	char mode[16];
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 1);
	int r = query_first(db, "PRAGMA journal_mode=WAL", NULL, mode, sizeof(mode));
	if (r < 0)
		return r;
	if (strcmp(mode, "wal") != 0)
		return -EOPNOTSUPP; /* the file system cannot do WAL (no shared memory) */
	r = exec_sql(db, "PRAGMA synchronous=FULL");
	if (r == 0)
		r = exec_sql(db, "PRAGMA foreign_keys=ON");
	return r;
}

static int migrate_steps(sqlite3 *db, int from)
{
	char sql[48];
	for (int v = from; v < SCHEMA_VERSION; v++) {
		int r = exec_sql(db, migrations[v]);
		if (r < 0)
			return r;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", SCHEMA_VERSION);
	return exec_sql(db, sql);
}

/* Brings the schema to SCHEMA_VERSION in one transaction; refuses a newer database. */
static int db_migrate(sqlite3 *db, const char *path)
{
	int version = 0;
	int r = exec_sql(db, "BEGIN IMMEDIATE");
	if (r < 0)
		return r;
	r = query_first(db, "PRAGMA user_version", &version, NULL, 0);
	if (r == 0 && version > SCHEMA_VERSION) {
		log_err("store: %s has schema version %d, this softbmc knows up to %d",
			path, version, SCHEMA_VERSION);
		r = -EPROTONOSUPPORT;
	}
	if (r == 0 && version < SCHEMA_VERSION)
		r = migrate_steps(db, version);
	if (r == 0)
		r = exec_sql(db, "COMMIT");
	if (r < 0)
		(void)exec_sql(db, "ROLLBACK");
	return r;
}

static int stmts_prepare(struct store *s)
{
	for (int i = 0; i < STMT_MAX; i++) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					    &s->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return sql_errno(s->db, rc);
	}
	return 0;
}

/* The database file is created 0600 before SQLite sees it; SQLite gives the -wal and -shm
 * files the same mode. */
static int db_precreate(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

static int db_open(struct store *s, const char *path, bool *ret_fresh)
{
	int version = 0;
	int r = db_precreate(path);
	if (r < 0)
		return r;
	int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return sql_errno(s->db, rc);
	r = db_configure(s->db);
	if (r == 0)
		r = query_first(s->db, "PRAGMA user_version", &version, NULL, 0);
	if (r == 0)
		*ret_fresh = version == 0;
	return r;
}

static int dir_check(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* A database that was never initialised (new, or left empty by a crash during the first
 * start) is a first start; only then may a new sealing key be made. An initialised database
 * without its key would silently lose every password, so that is refused. */
static int store_open_in(struct store *s, const char *dir, const char *path, bool *ret_fresh)
{
	int r = db_open(s, path, ret_fresh);
	if (r < 0) {
		bool sql = s->db && sqlite3_errcode(s->db) != SQLITE_OK;
		log_err("store: cannot open %s: %s", path,
			sql ? sqlite3_errmsg(s->db) : strerror(-r));
		return r;
	}
	r = secret_key_load(dir, *ret_fresh, s->key);
	if (r == -ENOKEY)
		log_err("store: %s/secret.key is missing but %s holds state sealed with it; "
			"restore the key, or remove the database to start afresh", dir, path);
	else if (r == -EINVAL)
		log_err("store: %s/secret.key is not a %d-byte key file", dir, SECRET_KEY_LEN);
	else if (r < 0)
		log_err("store: cannot load %s/secret.key: %s", dir, strerror(-r));
	if (r == 0)
		r = db_migrate(s->db, path);
	if (r == 0)
		r = stmts_prepare(s);
	return r;
}

int store_open(const char *dir, struct store **ret, bool *ret_first_start)
{
	char path[PATH_MAX];
	bool fresh = false;
	int r = dir_check(dir);
	if (r < 0)
		return r;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, DB_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	/* Page cache lines are allocated as pages are read, not 20 at once (and all touched) when
	 * the first connection opens: the database is a few pages (bench/RESULTS.md, memory).
	 * Process-wide and only possible before SQLite initialises: a second store gets MISUSE. */
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	struct store *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	r = store_open_in(s, dir, path, &fresh);
	if (r < 0) {
		store_close(s);
		return r;
	}
	*ret = s;
	if (ret_first_start)
		*ret_first_start = fresh;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->depth > 0)
		store_rollback(s);
	for (int i = 0; i < STMT_MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	OPENSSL_cleanse(s->key, sizeof(s->key));
	free(s);
}

int store_begin(struct store *s)
{
	if (s->depth == UINT_MAX)
		return -EOVERFLOW;
	if (s->depth == 0) {
		int r = stmt_run(s, STMT_BEGIN);
		if (r < 0)
			return r;
	}
	s->depth++;
	return 0;
}

/* A failed outermost COMMIT leaves nothing written: the transaction is rolled back so the
 * caller never acknowledges a change that might not be there. */
int store_commit(struct store *s)
{
	if (s->depth == 0)
		return -EINVAL;
	if (--s->depth > 0)
		return 0;
	int r = stmt_run(s, STMT_COMMIT);
	if (r < 0 && !sqlite3_get_autocommit(s->db))
		(void)stmt_run(s, STMT_ROLLBACK);
	return r;
}

void store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	s->depth = 0;
	if (!sqlite3_get_autocommit(s->db))
		(void)stmt_run(s, STMT_ROLLBACK);
}

int store_get(struct store *s, const char *key, void *buf, size_t cap, size_t *ret_len)
{
	sqlite3_stmt *st = s->stmt[STMT_KV_GET];
	int rc = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : sql_errno(s->db, rc);
	if (r == 0) {
		const void *v = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (v && cap > 0)
			memcpy(buf, v, len < cap ? len : cap);
		if (ret_len)
			*ret_len = len;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int store_set(struct store *s, const char *key, const void *val, size_t len)
{
	static const uint8_t empty[1];
	sqlite3_stmt *st = s->stmt[STMT_KV_SET];
	if (len > INT_MAX)
		return -E2BIG;
	/* A NULL pointer would bind SQL NULL; an empty value is an empty blob. */
	int rc = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 2, len ? val : empty, (int)len, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : sql_errno(s->db, rc);
}

int store_delete(struct store *s, const char *key)
{
	sqlite3_stmt *st = s->stmt[STMT_KV_DELETE];
	int rc = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : sql_errno(s->db, rc);
}

int store_get_secret(struct store *s, const char *key, void *buf, size_t cap, size_t *ret_len)
{
	uint8_t sealed[SECRET_MAX_LEN + SECRET_OVERHEAD];
	uint8_t plain[SECRET_MAX_LEN];
	size_t sealed_len = 0, len = 0;
	int r = store_get(s, key, sealed, sizeof(sealed), &sealed_len);
	if (r < 0)
		return r;
	if (sealed_len > sizeof(sealed))
		return -EBADMSG;
	r = secret_open(s->key, key, sealed, sealed_len, plain, sizeof(plain), &len);
	if (r == 0) {
		if (cap > 0)
			memcpy(buf, plain, len < cap ? len : cap);
		if (ret_len)
			*ret_len = len;
	}
	OPENSSL_cleanse(plain, sizeof(plain));
	return r;
}

int store_set_secret(struct store *s, const char *key, const void *val, size_t len)
{
	uint8_t sealed[SECRET_MAX_LEN + SECRET_OVERHEAD];
	size_t sealed_len = 0;
	int r = secret_seal(s->key, key, val, len, sealed, sizeof(sealed), &sealed_len);
	if (r < 0)
		return r;
	return store_set(s, key, sealed, sealed_len);
}

/* For the typed tables in sibling files (store_sql.h). */
sqlite3 *store_sql_db(struct store *s)
{
	return s->db;
}

int store_sql_errno(struct store *s, int rc)
{
	return sql_errno(s->db, rc);
}

int store_set_blob(struct store *s, const char *key, const struct wbuf *w)
{
	if (w->err)
		return -EOVERFLOW;
	return store_set(s, key, w->p, w->len);
}

int store_get_blob(struct store *s, uint8_t version, const char *key, uint8_t *buf, size_t cap,
		   struct rbuf *ret)
{
	size_t len = 0;
	int r = store_get(s, key, buf, cap, &len);
	if (r < 0)
		return r;
	if (len > cap)
		return -EBADMSG;
	struct rbuf rb = rbuf_init(buf, len);
	if (rbuf_u8(&rb) != version || rb.err)
		return -EBADMSG;
	*ret = rb;
	return 0;
}
