/*
 * store/db.h - internal side of the store: the SQLite handle and helpers that
 * every module writing SQL uses, so that errors are reported the same way.
 */
#ifndef SH_STORE_DB_H
#define SH_STORE_DB_H

#include <sqlite3.h>

#include "skillhub/store.h"

struct sh_db {
	sqlite3 *sql;
	char    *path;
	unsigned flags;
};

/* Sets the error message "what: <sqlite message>" and returns SH_EDB. */
int sh_db_error(sh_db *db, const char *what);

int sh_db_exec(sh_db *db, const char *sql);
int sh_db_prepare(sh_db *db, sqlite3_stmt **st, const char *sql);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails loudly). */
int  sh_db_begin(sh_db *db);
int  sh_db_commit(sh_db *db);
void sh_db_rollback(sh_db *db);

/* Increments the taxonomy generation; call inside the transaction that changed it. */
int sh_db_bump_generation(sh_db *db);

/*
 * Job-ads generation: a counter that every transaction adding, changing or
 * re-extracting stored ads increments, so that caches of aggregates over the
 * ads (the server's demand service) are rebuilt when the ads change and not
 * on every other write (sessions, profiles, the catalogue).
 */
int sh_db_bump_ads_generation(sh_db *db);
int sh_db_ads_generation(sh_db *db, int64_t *out);

/* Runs a query returning one integer (e.g. a COUNT); *out = 0 when no row. */
int sh_db_int64(sh_db *db, const char *sql, int64_t *out);

/* The numbered migrations, in order (store/migrations.c). */
typedef struct sh_migration {
	int         version;
	const char *sql;
} sh_migration;
extern const sh_migration sh_migrations[];
extern const int sh_migration_count;

#endif
