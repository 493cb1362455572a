/*
 * auth/accounts.c - accounts: creation, password checks, changes, deletion,
 * listing; and the names of roles.
 *
 * A login is 1 to 64 bytes of ASCII letters, digits and . _ - @ (an e-mail
 * address fits), compared exactly.  A provider account names its provider by
 * the provider's public ref; the row stores the provider's id (a foreign key),
 * so a provider cannot be deleted while an account acts for it.
 *
 * Authentication spends the same Argon2id work whether the login exists or
 * not (an unknown login verifies the password against a hash of nothing),
 * and every failure carries the same message (sh_auth_fail), so that
 * neither the time nor the answer tells which logins exist.  Failures are
 * counted per login, existing or not (login_failures.c).
 *
 * Deletion relies on the foreign keys: every table of records owned by an
 * account declares `REFERENCES account(id) ON DELETE CASCADE` (tokens,
 * sessions, personal profiles), so one DELETE removes them all, atomically.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_internal.h"
#include "core/error.h"
#include "store/db.h"

static const char *const role_names[] = {
	[SH_ROLE_ADMIN] = "administrator", [SH_ROLE_PROVIDER] = "provider", [SH_ROLE_REVIEWER] = "reviewer",
	[SH_ROLE_ANALYST] = "analyst",     [SH_ROLE_LEARNER] = "learner",
};

const char *sh_role_name(sh_role r)
{
	return r >= SH_ROLE_ADMIN && r <= SH_ROLE_LEARNER ? role_names[r] : "unknown";
}

sh_role sh_role_from_name(const char *name)
{
	for (int r = SH_ROLE_ADMIN; r <= SH_ROLE_LEARNER; r++)
		if (name && !strcmp(name, role_names[r]))
			return (sh_role)r;
	return 0;
}

int sh_login_check(const char *login)
{
	size_t n = strlen(login);
	if (n == 0 || n > SH_LOGIN_MAX)
		return sh_error(SH_EINVAL, "login: must be 1 to %d bytes long", SH_LOGIN_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("._-@", c)))
			return sh_error(SH_EINVAL, "login: character %zu is not a letter, digit, '.', '_', '-' or '@'", i + 1);
	}
	return SH_OK;
}

void sh_account_from_row(sqlite3_stmt *st, int col, sh_account *out)
{
	const char *login = (const char *)sqlite3_column_text(st, col + 1);
	const char *role = (const char *)sqlite3_column_text(st, col + 2);
	const char *provider = (const char *)sqlite3_column_text(st, col + 3);
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, col);
	snprintf(out->login, sizeof out->login, "%s", login ? login : "");
	out->role = sh_role_from_name(role);
	snprintf(out->provider, sizeof out->provider, "%s", provider ? provider : "");
}

/* Reads the account of login with its password hash (*hash: caller frees); SH_ENOTFOUND when none. */
static int load_account(sh_db *db, const char *login, sh_account *out, char **hash)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT " SH_ACCOUNT_COLUMNS ", a.password_hash FROM " SH_ACCOUNT_FROM
	                                " WHERE a.login = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		sh_account_from_row(st, 0, out);
		if (hash && !(*hash = strdup((const char *)sqlite3_column_text(st, 4))))
			rc = sh_error(SH_ENOMEM, "out of memory");
	} else if (s == SQLITE_DONE) {
		rc = sh_error(SH_ENOTFOUND, "no account '%s'", login);
	} else {
		rc = sh_db_error(db, "reading an account");
	}
	sqlite3_finalize(st);
	return rc;
}

int sh_account_get(sh_db *db, const char *login, sh_account *out)
{
	return load_account(db, login, out, NULL);
}

/* The id of the provider with this ref, for a provider account. */
static int provider_id(sh_db *db, const char *ref, int64_t *out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT id FROM provider WHERE ref = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (s == SQLITE_DONE)
		rc = sh_error(SH_ENOTFOUND, "provider: no provider '%s'", ref);
	else
		rc = sh_db_error(db, "reading a provider");
	sqlite3_finalize(st);
	return rc;
}

int sh_account_create(sh_db *db, const char *login, const char *password, sh_role role,
                      const char *provider, int64_t *id)
{
	int64_t pid = 0;
	char *hash = NULL;
	int rc = sh_login_check(login);
	if (!rc && (role < SH_ROLE_ADMIN || role > SH_ROLE_LEARNER))
		rc = sh_error(SH_EINVAL, "role: unknown role %d", (int)role);
	if (!rc && role == SH_ROLE_PROVIDER && (!provider || !*provider))
		rc = sh_error(SH_EINVAL, "provider: a provider account needs the provider it acts for");
	if (!rc && role != SH_ROLE_PROVIDER && provider)
		rc = sh_error(SH_EINVAL, "provider: only a provider account acts for a provider");
	if (!rc)
		rc = sh_password_check(password);
	if (!rc && provider)
		rc = provider_id(db, provider, &pid);
	if (!rc)
		rc = sh_password_hash(password, &hash);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(db, &st, "INSERT INTO account(login, role, provider_id, password_hash, created) "
	                                 "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"))) {
		free(hash);
		return rc;
	}
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sh_role_name(role), -1, SQLITE_STATIC);
	if (pid)
		sqlite3_bind_int64(st, 3, pid);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_DONE) {
		if (id)
			*id = sqlite3_last_insert_rowid(db->sql);
	} else if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE) {
		rc = sh_error(SH_EEXIST, "login: '%s' is taken", login);
	} else {
		rc = sh_db_error(db, "creating an account");
	}
	sqlite3_finalize(st);
	free(hash);
	return rc;
}

/* Checks the password of login, spending the same work whether the account exists or not. */
static int check_password(sh_db *db, const char *login, const char *password, sh_account *out)
{
	char *hash = NULL;
	int rc = load_account(db, login, out, &hash);
	if (rc == SH_ENOTFOUND)
		return sh_password_waste(password);
	if (!rc)
		rc = sh_password_verify(hash, password);
	free(hash);
	return rc;
}

int sh_account_authenticate(sh_db *db, const char *login, const char *password, sh_account *out)
{
	int64_t wait = 0;
	memset(out, 0, sizeof *out);
	if (sh_login_check(login))
		return sh_password_waste(password); /* cannot exist: not worth counting */
	int rc = sh_login_retry_after(db, login, &wait);
	if (!rc && wait > 0)
		return sh_auth_fail(); /* held out: the password is not even looked at */
	if (!rc)
		rc = check_password(db, login, password, out);
	if (rc == SH_EAUTH) {
		memset(out, 0, sizeof *out);
		int recorded = sh_login_failure_record(db, login);
		return recorded ? recorded : sh_auth_fail();
	}
	if (rc) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	if ((rc = sh_login_failure_clear(db, login)))
		memset(out, 0, sizeof *out);
	return rc;
}

int sh_account_set_password(sh_db *db, const char *login, const char *password)
{
	sh_account a;
	char *hash = NULL;
	int rc = load_account(db, login, &a, NULL);
	if (!rc)
		rc = sh_password_hash(password, &hash);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if (!(rc = sh_db_prepare(db, &st, "UPDATE account SET password_hash = ?1 WHERE id = ?2"))) {
		sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, a.id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "changing a password");
		sqlite3_finalize(st);
	}
	free(hash);
	return rc;
}

int sh_account_delete(sh_db *db, const char *login)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "DELETE FROM account WHERE login = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "deleting an account");
	else if (sqlite3_changes(db->sql) == 0)
		rc = sh_error(SH_ENOTFOUND, "no account '%s'", login);
	sqlite3_finalize(st);
	return rc;
}

int sh_accounts_json(sh_db *db, char **out)
{
	sqlite3_stmt *st;
	*out = NULL;
	int rc = sh_db_prepare(db, &st, "SELECT a.login, a.role, p.ref, a.created FROM " SH_ACCOUNT_FROM
	                                " ORDER BY a.login");
	if (rc)
		return rc;
	json_t *list = json_array();
	int s = SQLITE_DONE;
	while (list && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *provider = (const char *)sqlite3_column_text(st, 2);
		json_t *a = json_pack("{s:s, s:s, s:o, s:s}", "login", (const char *)sqlite3_column_text(st, 0),
		                      "role", (const char *)sqlite3_column_text(st, 1),
		                      "provider", provider ? json_string(provider) : json_null(),
		                      "created", (const char *)sqlite3_column_text(st, 3));
		if (!a || json_array_append_new(list, a)) {
			json_decref(list);
			list = NULL;
		}
	}
	if (list && s != SQLITE_DONE)
		rc = sh_db_error(db, "listing accounts");
	else if (!list || !(*out = json_dumps(list, JSON_COMPACT)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	sqlite3_finalize(st);
	json_decref(list);
	return rc;
}
