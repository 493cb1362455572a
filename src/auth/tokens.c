/*
 * auth/tokens.c - API tokens: "Authorization: Bearer TOKEN" for programs.
 *
 * A token is a random secret (secret.c) shown once when created; the table
 * keeps its SHA-256, the account, a label chosen by the owner (unique among
 * the account's live tokens, so that `revoke --label` names one), when it was
 * created and last used.  Revoking stamps `revoked` and keeps the row, as a
 * record; a revoked token never resolves again.  last_used is written at
 * most once a minute per token, so that a busy client does not turn every
 * read into a write.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_internal.h"
#include "core/error.h"
#include "store/db.h"

enum { LABEL_MAX = 64 };

static int check_label(const char *label)
{
	size_t n = strlen(label);
	if (n == 0 || n > LABEL_MAX)
		return sh_error(SH_EINVAL, "label: must be 1 to %d bytes long", LABEL_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
			return sh_error(SH_EINVAL, "label: control character at byte %zu", i + 1);
	return SH_OK;
}

int sh_token_create(sh_db *db, const char *login, const char *label, char **token)
{
	sh_account a;
	char secret[SH_SECRET_CHARS + 1];
	unsigned char digest[SH_SHA256_BYTES];
	*token = NULL;
	int rc = check_label(label);
	if (!rc)
		rc = sh_account_get(db, login, &a);
	if (!rc)
		rc = sh_secret_new(secret);
	if (rc)
		return rc;
	sh_secret_digest(secret, digest);
	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(db, &st, "INSERT INTO api_token(account, label, token_sha256, created) "
	                                 "VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")))
		return rc;
	sqlite3_bind_int64(st, 1, a.id);
	sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, digest, sizeof digest, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		rc = (*token = strdup(secret)) ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
	else if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE)
		rc = sh_error(SH_EEXIST, "label: '%s' already names a live token of '%s'", label, login);
	else
		rc = sh_db_error(db, "creating a token");
	sqlite3_finalize(st);
	return rc;
}

/* Notes that the token was used, at most once a minute (errors ignored: it is a record, not a check). */
static void touch(sh_db *db, int64_t token)
{
	sqlite3_stmt *st;
	if (sh_db_prepare(db, &st, "UPDATE api_token SET last_used = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
	                           "WHERE id = ?1 AND (last_used IS NULL OR "
	                           "last_used < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-60 seconds'))"))
		return;
	sqlite3_bind_int64(st, 1, token);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

int sh_token_resolve(sh_db *db, const char *token, sh_account *out)
{
	unsigned char digest[SH_SHA256_BYTES];
	memset(out, 0, sizeof *out);
	if (strlen(token) != SH_SECRET_CHARS)
		return sh_auth_fail();
	sh_secret_digest(token, digest);
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT " SH_ACCOUNT_COLUMNS ", t.id FROM api_token t "
	                                "JOIN account a ON a.id = t.account " SH_ACCOUNT_PROVIDER
	                                " WHERE t.token_sha256 = ?1 AND t.revoked IS NULL");
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, digest, sizeof digest, SQLITE_STATIC);
	int s = sqlite3_step(st);
	int64_t id = 0;
	if (s == SQLITE_ROW) {
		sh_account_from_row(st, 0, out);
		id = sqlite3_column_int64(st, 4);
	} else {
		rc = s == SQLITE_DONE ? sh_auth_fail() : sh_db_error(db, "reading a token");
	}
	sqlite3_finalize(st);
	if (!rc && !(db->flags & SH_DB_READONLY))
		touch(db, id);
	return rc;
}

int sh_token_revoke(sh_db *db, const char *login, const char *label)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "UPDATE api_token SET revoked = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
	                                "WHERE revoked IS NULL AND label = ?2 "
	                                "AND account = (SELECT id FROM account WHERE login = ?1)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "revoking a token");
	else if (sqlite3_changes(db->sql) == 0)
		rc = sh_error(SH_ENOTFOUND, "label: '%s' has no live token labelled '%s'", login, label);
	sqlite3_finalize(st);
	return rc;
}

int sh_tokens_json(sh_db *db, const char *login, char **out)
{
	sqlite3_stmt *st;
	*out = NULL;
	int rc = sh_db_prepare(db, &st, "SELECT t.label, t.created, t.last_used FROM api_token t "
	                                "JOIN account a ON a.id = t.account "
	                                "WHERE a.login = ?1 AND t.revoked IS NULL ORDER BY t.created, t.label");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	json_t *list = json_array();
	int s = SQLITE_DONE;
	while (list && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *used = (const char *)sqlite3_column_text(st, 2);
		json_t *t = json_pack("{s:s, s:s, s:o}", "label", (const char *)sqlite3_column_text(st, 0),
		                      "created", (const char *)sqlite3_column_text(st, 1),
		                      "last_used", used ? json_string(used) : json_null());
		if (!t || json_array_append_new(list, t)) {
			json_decref(list);
			list = NULL;
		}
	}
	if (list && s != SQLITE_DONE)
		rc = sh_db_error(db, "listing tokens");
	else if (!list || !(*out = json_dumps(list, JSON_COMPACT)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	sqlite3_finalize(st);
	json_decref(list);
	return rc;
}
