/* Private to store/: the SQLite connection behind a struct store, for the typed tables that
 * live in sibling files (sel_store.c). Nothing outside src/store/ includes this. */
#pragma once
#include <sqlite3.h>

struct store;

sqlite3 *store_sql_db(struct store *s);
/* An SQLite result code as a negative errno (0 for OK/ROW/DONE), as store.c maps them. */
int store_sql_errno(struct store *s, int rc);
