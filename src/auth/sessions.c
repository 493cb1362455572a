/*
 * auth/sessions.c - browser sessions: the cookie of a signed-in user.
 *
 * A session is a random id (the cookie's value, secret.c) whose SHA-256 is
 * the row's key, the account, a CSRF token (also random, stored as is: it is
 * worthless without the cookie) and an absolute expiry in Unix seconds.
 * Expired rows are deleted when met by sh_session_resolve and, all at once,
 * whenever a session is created, so the table holds live sessions only.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth_internal.h"
#include "core/error.h"
#include "store/db.h"

int sh_session_create(sh_db *db, int64_t account, int64_t ttl,
                      char sid[SH_SECRET_CHARS + 1], char csrf[SH_SECRET_CHARS + 1])
{
	unsigned char digest[SH_SHA256_BYTES];
	if (ttl <= 0)
		return sh_error(SH_EINVAL, "ttl: a session lasts at least one second, got %lld", (long long)ttl);
	int rc = sh_secret_new(sid);
	if (!rc)
		rc = sh_secret_new(csrf);
	if (rc)
		return rc;
	sh_secret_digest(sid, digest);
	int64_t now = (int64_t)time(NULL);
	sqlite3_stmt *purge, *st;
	if ((rc = sh_db_prepare(db, &purge, "DELETE FROM session WHERE expires <= ?1")))
		return rc;
	sqlite3_bind_int64(purge, 1, now);
	if (sqlite3_step(purge) != SQLITE_DONE)
		rc = sh_db_error(db, "removing expired sessions");
	sqlite3_finalize(purge);
	if (rc || (rc = sh_db_prepare(db, &st, "INSERT INTO session(sid_sha256, account, csrf, created, expires) "
	                                       "VALUES (?1, ?2, ?3, ?4, ?5)")))
		return rc;
	sqlite3_bind_blob(st, 1, digest, sizeof digest, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now + ttl);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_FOREIGNKEY
		   ? sh_error(SH_ENOTFOUND, "account: no account with id %lld", (long long)account)
		   : sh_db_error(db, "creating a session");
	sqlite3_finalize(st);
	return rc;
}

/* Deletes the session of this digest (expired or ended). */
static int delete_session(sh_db *db, const unsigned char digest[SH_SHA256_BYTES])
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "DELETE FROM session WHERE sid_sha256 = ?1");
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, digest, SH_SHA256_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "ending a session");
	sqlite3_finalize(st);
	return rc;
}

int sh_session_resolve(sh_db *db, const char *sid, sh_account *out, char csrf[SH_SECRET_CHARS + 1])
{
	unsigned char digest[SH_SHA256_BYTES];
	memset(out, 0, sizeof *out);
	csrf[0] = '\0';
	if (strlen(sid) != SH_SECRET_CHARS)
		return sh_auth_fail();
	sh_secret_digest(sid, digest);
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT " SH_ACCOUNT_COLUMNS ", s.csrf, s.expires FROM session s "
	                                "JOIN account a ON a.id = s.account " SH_ACCOUNT_PROVIDER
	                                " WHERE s.sid_sha256 = ?1");
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, digest, sizeof digest, SQLITE_STATIC);
	int s = sqlite3_step(st), expired = 0;
	if (s == SQLITE_ROW) {
		expired = sqlite3_column_int64(st, 5) <= (int64_t)time(NULL);
		if (!expired) {
			sh_account_from_row(st, 0, out);
			snprintf(csrf, SH_SECRET_CHARS + 1, "%s", (const char *)sqlite3_column_text(st, 4));
		}
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sh_db_error(db, "reading a session");
	else if (s == SQLITE_DONE || expired)
		rc = sh_auth_fail();
	sqlite3_finalize(st);
	if (expired && !(db->flags & SH_DB_READONLY))
		delete_session(db, digest);
	return rc;
}

int sh_session_end(sh_db *db, const char *sid)
{
	unsigned char digest[SH_SHA256_BYTES];
	sh_secret_digest(sid, digest);
	return delete_session(db, digest);
}
