/*
 * store/db.c - opening the database and applying migrations.
 *
 * The schema version lives in SQLite's `PRAGMA user_version`.  On a writable
 * open, every migration whose number is above it runs, all in one
 * transaction, so an interrupted upgrade leaves the old schema intact.  A
 * read-only open refuses a database whose schema is older or newer than this
 * program knows (it would otherwise read tables that are not there).
 *
 * Connection settings: WAL journal (readers such as the server never block the
 * writer), foreign keys on, a busy timeout so that concurrent CLI runs wait
 * rather than fail.
 */
#include "store/db.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sh_db_error(sh_db *db, const char *what)
{
	return sh_error(SH_EDB, "%s: %s: %s", db->path, what, sqlite3_errmsg(db->sql));
}

int sh_db_exec(sh_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = sh_error(SH_EDB, "%s: %s", db->path, msg ? msg : "SQL error");
		sqlite3_free(msg);
		return rc;
	}
	return SH_OK;
}

int sh_db_prepare(sh_db *db, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(db->sql, sql, -1, st, NULL) != SQLITE_OK)
		return sh_db_error(db, "prepare");
	return SH_OK;
}

int sh_db_begin(sh_db *db)
{
	return sh_db_exec(db, "BEGIN IMMEDIATE");
}

int sh_db_commit(sh_db *db)
{
	return sh_db_exec(db, "COMMIT");
}

void sh_db_rollback(sh_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

int sh_db_int64(sh_db *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, sql);
	if (rc)
		return rc;
	*out = 0;
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (s != SQLITE_DONE)
		rc = sh_db_error(db, "query");
	sqlite3_finalize(st);
	return rc;
}

int sh_db_bump_generation(sh_db *db)
{
	return sh_db_exec(db,
		"INSERT INTO meta(key, value) VALUES('taxonomy_generation', '1') "
		"ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

int sh_db_bump_ads_generation(sh_db *db)
{
	return sh_db_exec(db,
		"INSERT INTO meta(key, value) VALUES('ads_generation', '1') "
		"ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

int sh_db_ads_generation(sh_db *db, int64_t *out)
{
	return sh_db_int64(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ads_generation'", out);
}

int sh_db_generation(sh_db *db, int64_t *out)
{
	return sh_db_int64(db,
		"SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'taxonomy_generation'", out);
}

int sh_db_schema_version(sh_db *db)
{
	int64_t v = 0;
	if (sh_db_int64(db, "PRAGMA user_version", &v))
		return -1;
	return (int)v;
}

static int migrate(sh_db *db)
{
	int have = sh_db_schema_version(db);
	if (have < 0)
		return SH_EDB;
	int latest = sh_migrations[sh_migration_count - 1].version;
	if (have > latest)
		return sh_error(SH_EINVAL, "%s: schema version %d is newer than this program (%d)",
		                db->path, have, latest);
	if (have == latest)
		return SH_OK;
	if (db->flags & SH_DB_READONLY)
		return sh_error(SH_EINVAL, "%s: schema version %d is older than %d; "
		                "open it once for writing (e.g. skillhub stats) to upgrade", db->path, have, latest);
	int rc = sh_db_begin(db);
	if (rc)
		return rc;
	for (int i = 0; i < sh_migration_count && !rc; i++) {
		if (sh_migrations[i].version <= have)
			continue;
		rc = sh_db_exec(db, sh_migrations[i].sql);
		if (rc) {
			sh_error_wrap(rc, "migration %d", sh_migrations[i].version);
			break;
		}
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", sh_migrations[i].version);
		rc = sh_db_exec(db, pragma);
	}
	if (rc) {
		sh_db_rollback(db);
		return rc;
	}
	return sh_db_commit(db);
}

int sh_db_open(sh_db **out, const char *path, unsigned flags)
{
	*out = NULL;
	if (!path || !*path)
		return sh_error(SH_EINVAL, "no database path given");
	sh_db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	db->flags = flags;
	int oflags = (flags & SH_DB_READONLY) ? SQLITE_OPEN_READONLY
	           : SQLITE_OPEN_READWRITE | ((flags & SH_DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	oflags |= SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->sql, oflags, NULL) != SQLITE_OK) {
		int rc = sqlite3_errcode(db->sql) == SQLITE_CANTOPEN
		       ? sh_error(SH_ENOTFOUND, "%s: cannot open database (%s)", path,
		                  (flags & SH_DB_CREATE) ? sqlite3_errmsg(db->sql)
		                  : "no such file; run 'skillhub import esco DIR' first")
		       : sh_db_error(db, "open");
		sh_db_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db->sql, 10000);
	int rc = sh_db_exec(db, "PRAGMA foreign_keys = ON");
	if (!rc && !(flags & SH_DB_READONLY))
		rc = sh_db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
	if (!rc)
		rc = migrate(db);
	if (rc) {
		sh_db_close(db);
		return rc;
	}
	*out = db;
	return SH_OK;
}

void sh_db_close(sh_db *db)
{
	if (!db)
		return;
	sqlite3_close_v2(db->sql);
	free(db->path);
	free(db);
}

const char *sh_db_path(const sh_db *db)
{
	return db->path;
}
