/*
 * auth/login_failures.c - counting failed sign-ins per login, so that
 * guessing one account's password is slow whatever the attacker's speed.
 *
 * A row per login that failed (whether the account exists or not, so that
 * the answer says nothing about existence): the number of failures and the
 * time of the first one of the window.  After SH_LOGIN_MAX_FAILURES within
 * SH_LOGIN_FAILURE_WINDOW seconds the login is refused until the window
 * ends (at most 10 guesses per login per 15 minutes); the next failure after
 * the window starts a new one.  A success deletes the row.  Rows whose window
 * ended are purged whenever a failure is recorded, so the table holds at most
 * the logins tried in the last window.
 *
 * The price is that anybody can hold an account out for 15 minutes by
 * failing 10 times with its login; its API tokens keep working.  Only logins
 * that could exist (sh_account_create's rules) are counted.
 */
#include <time.h>

#include "auth/auth_internal.h"
#include "core/error.h"
#include "store/db.h"

int sh_login_retry_after(sh_db *db, const char *login, int64_t *seconds)
{
	sqlite3_stmt *st;
	*seconds = 0;
	int rc = sh_db_prepare(db, &st, "SELECT failures, since FROM login_failure WHERE login = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		int64_t end = sqlite3_column_int64(st, 1) + SH_LOGIN_FAILURE_WINDOW, now = (int64_t)time(NULL);
		if (sqlite3_column_int64(st, 0) >= SH_LOGIN_MAX_FAILURES && end > now)
			*seconds = end - now;
	} else if (s != SQLITE_DONE) {
		rc = sh_db_error(db, "reading failed sign-ins");
	}
	sqlite3_finalize(st);
	return rc;
}

int sh_login_failure_record(sh_db *db, const char *login)
{
	int64_t now = (int64_t)time(NULL);
	sqlite3_stmt *purge, *st;
	int rc = sh_db_prepare(db, &purge, "DELETE FROM login_failure WHERE since <= ?1");
	if (rc)
		return rc;
	sqlite3_bind_int64(purge, 1, now - SH_LOGIN_FAILURE_WINDOW);
	if (sqlite3_step(purge) != SQLITE_DONE)
		rc = sh_db_error(db, "purging failed sign-ins");
	sqlite3_finalize(purge);
	if (rc || (rc = sh_db_prepare(db, &st, "INSERT INTO login_failure(login, failures, since) VALUES (?1, 1, ?2) "
	                                       "ON CONFLICT(login) DO UPDATE SET failures = failures + 1")))
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "recording a failed sign-in");
	sqlite3_finalize(st);
	return rc;
}

int sh_login_failure_clear(sh_db *db, const char *login)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "DELETE FROM login_failure WHERE login = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "clearing failed sign-ins");
	sqlite3_finalize(st);
	return rc;
}
