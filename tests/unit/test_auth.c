/*
 * tests/unit/test_auth.c - accounts, passwords, API tokens and sessions
 * (skillhub/auth.h): Argon2id PHC hashes, login and password validation,
 * duplicate logins, provider accounts, authentication failures that look
 * alike, failed sign-ins holding a login out, token and session life cycles, deletion cascading to everything an
 * account owns, and the secret comparison.
 *
 * Except in test_password_hash, hashes use a tiny Argon2 cost
 * (sh_password_set_cost) so that the suite stays fast under sanitizers.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_internal.h"
#include "skillhub/auth.h"
#include "store/db.h"

#define PASSWORD "correct horse battery"

typedef struct fixture {
	char  *dir;
	sh_db *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char path[512];
	f->dir = test_tmpdir();
	snprintf(path, sizeof path, "%s/auth.db", f->dir);
	assert_int_equal(sh_db_open(&f->db, path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_exec(f->db, "INSERT INTO provider(id, ref, name, country, type) "
	                                   "VALUES (7, 'de-academy', 'Academy', 'DE', 'vet')"), SH_OK);
	sh_password_set_cost(1, 64);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_db_close(f->db);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t count(sh_db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(sh_db_int64(db, sql, &n), SH_OK);
	return n;
}

static void test_password_hash(void **state)
{
	(void)state;
	char *a = NULL, *b = NULL, longer[SH_PASSWORD_MAX + 2];
	sh_password_set_cost(3, 19 * 1024); /* the defaults of password.c, which docs/accounts.md states */
	assert_int_equal(sh_password_hash(PASSWORD, &a), SH_OK);
	sh_password_set_cost(1, 64);
	assert_non_null(strstr(a, "$argon2id$v=19$m=19456,t=3,p=1$"));
	assert_int_equal(sh_password_hash(PASSWORD, &b), SH_OK);
	assert_string_not_equal(a, b); /* a fresh salt each time */
	assert_int_equal(sh_password_verify(a, PASSWORD), SH_OK);
	assert_int_equal(sh_password_verify(b, PASSWORD), SH_OK);
	assert_int_equal(sh_password_verify(a, PASSWORD "!"), SH_EAUTH);
	assert_int_equal(sh_password_verify(a, "correct horse batterY"), SH_EAUTH);
	assert_int_equal(sh_password_verify("$argon2id$garbage", PASSWORD), SH_EAUTH);
	free(a);
	free(b);
	assert_int_equal(sh_password_hash("123456789", &a), SH_EINVAL); /* 9 bytes: one short */
	assert_null(a);
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(sh_password_hash(longer, &a), SH_EINVAL);
	longer[SH_PASSWORD_MAX] = '\0';
	assert_int_equal(sh_password_hash(longer, &a), SH_OK);
	assert_int_equal(sh_password_verify(a, longer), SH_OK);
	free(a);
}

static void test_login_validation(void **state)
{
	fixture *f = *state;
	char login[SH_LOGIN_MAX + 2];
	int64_t id = 0;
	static const char *const bad[] = { "", "a b", "jane/doe", "émile", "x\"y", "<script>", "a;b" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sh_account_create(f->db, bad[i], PASSWORD, SH_ROLE_LEARNER, NULL, NULL), SH_EINVAL);
	memset(login, 'a', sizeof login - 1);
	login[sizeof login - 1] = '\0';
	assert_int_equal(sh_account_create(f->db, login, PASSWORD, SH_ROLE_LEARNER, NULL, NULL), SH_EINVAL);
	login[SH_LOGIN_MAX] = '\0';
	assert_int_equal(sh_account_create(f->db, login, PASSWORD, SH_ROLE_LEARNER, NULL, &id), SH_OK);
	assert_true(id > 0);
	assert_int_equal(sh_account_create(f->db, "Jane.Doe-1_x@example.org", PASSWORD, SH_ROLE_LEARNER, NULL, NULL),
	                 SH_OK);
	assert_int_equal(sh_account_create(f->db, "shorty", "too short", SH_ROLE_LEARNER, NULL, NULL), SH_EINVAL);
	assert_int_equal(sh_account_create(f->db, "norole", PASSWORD, (sh_role)0, NULL, NULL), SH_EINVAL);
	assert_int_equal(count(f->db, "SELECT count(*) FROM account"), 2);
}

static void test_duplicate_login(void **state)
{
	fixture *f = *state;
	assert_int_equal(sh_account_create(f->db, "jane", PASSWORD, SH_ROLE_ANALYST, NULL, NULL), SH_OK);
	assert_int_equal(sh_account_create(f->db, "jane", "another password", SH_ROLE_REVIEWER, NULL, NULL), SH_EEXIST);
	assert_non_null(strstr(sh_errmsg(), "'jane' is taken"));
	assert_int_equal(sh_account_create(f->db, "Jane", PASSWORD, SH_ROLE_REVIEWER, NULL, NULL), SH_OK);
	sh_account a;
	assert_int_equal(sh_account_get(f->db, "jane", &a), SH_OK);
	assert_int_equal(a.role, SH_ROLE_ANALYST);
	assert_int_equal(sh_account_get(f->db, "nobody", &a), SH_ENOTFOUND);
}

static void test_roles_and_providers(void **state)
{
	fixture *f = *state;
	for (int r = SH_ROLE_ADMIN; r <= SH_ROLE_LEARNER; r++)
		assert_int_equal(sh_role_from_name(sh_role_name((sh_role)r)), r);
	assert_string_equal(sh_role_name(SH_ROLE_ADMIN), "administrator");
	assert_int_equal(sh_role_from_name("root"), 0);
	assert_int_equal(sh_role_from_name(NULL), 0);
	assert_int_equal(sh_account_create(f->db, "p1", PASSWORD, SH_ROLE_PROVIDER, NULL, NULL), SH_EINVAL);
	assert_int_equal(sh_account_create(f->db, "p1", PASSWORD, SH_ROLE_PROVIDER, "nope", NULL), SH_ENOTFOUND);
	assert_int_equal(sh_account_create(f->db, "p1", PASSWORD, SH_ROLE_ANALYST, "de-academy", NULL), SH_EINVAL);
	assert_int_equal(sh_account_create(f->db, "p1", PASSWORD, SH_ROLE_PROVIDER, "de-academy", NULL), SH_OK);
	sh_account a;
	assert_int_equal(sh_account_get(f->db, "p1", &a), SH_OK);
	assert_int_equal(a.role, SH_ROLE_PROVIDER);
	assert_string_equal(a.provider, "de-academy");
	assert_int_equal(count(f->db, "SELECT provider_id FROM account WHERE login = 'p1'"), 7);

	char *json = NULL;
	assert_int_equal(sh_account_create(f->db, "root", PASSWORD, SH_ROLE_ADMIN, NULL, NULL), SH_OK);
	assert_int_equal(sh_accounts_json(f->db, &json), SH_OK);
	assert_non_null(strstr(json, "{\"login\":\"p1\",\"role\":\"provider\",\"provider\":\"de-academy\",\"created\":\""));
	assert_non_null(strstr(json, "{\"login\":\"root\",\"role\":\"administrator\",\"provider\":null,"));
	assert_null(strstr(json, "argon2")); /* never the password hash */
	free(json);
}

static void test_authenticate(void **state)
{
	fixture *f = *state;
	sh_account a;
	char unknown_msg[256];
	assert_int_equal(sh_account_create(f->db, "jane", PASSWORD, SH_ROLE_REVIEWER, NULL, NULL), SH_OK);
	assert_int_equal(sh_account_authenticate(f->db, "jane", PASSWORD, &a), SH_OK);
	assert_string_equal(a.login, "jane");
	assert_int_equal(a.role, SH_ROLE_REVIEWER);
	assert_string_equal(a.provider, "");
	assert_int_equal(sh_account_authenticate(f->db, "nobody", PASSWORD, &a), SH_EAUTH);
	snprintf(unknown_msg, sizeof unknown_msg, "%s", sh_errmsg());
	assert_int_equal(a.id, 0);
	assert_int_equal(sh_account_authenticate(f->db, "jane", "wrong password", &a), SH_EAUTH);
	assert_string_equal(sh_errmsg(), unknown_msg); /* the answer does not tell which part was wrong */
	assert_int_equal(a.id, 0);
	assert_int_equal(sh_account_authenticate(f->db, "jane", "short", &a), SH_EAUTH);
	assert_int_equal(sh_account_authenticate(f->db, "nobody", "short", &a), SH_EAUTH);
	assert_null(strstr(unknown_msg, PASSWORD));

	assert_int_equal(sh_account_set_password(f->db, "jane", "a new password"), SH_OK);
	assert_int_equal(sh_account_authenticate(f->db, "jane", PASSWORD, &a), SH_EAUTH);
	assert_int_equal(sh_account_authenticate(f->db, "jane", "a new password", &a), SH_OK);
	assert_int_equal(sh_account_set_password(f->db, "jane", "short"), SH_EINVAL);
	assert_int_equal(sh_account_set_password(f->db, "nobody", "a new password"), SH_ENOTFOUND);
}

static void test_failed_sign_ins(void **state)
{
	fixture *f = *state;
	sh_account a;
	int64_t wait = -1;
	assert_int_equal(sh_account_create(f->db, "jane", PASSWORD, SH_ROLE_LEARNER, NULL, NULL), SH_OK);
	/* a success clears the count */
	for (int i = 0; i < SH_LOGIN_MAX_FAILURES - 1; i++)
		assert_int_equal(sh_account_authenticate(f->db, "jane", "wrong password", &a), SH_EAUTH);
	assert_int_equal(count(f->db, "SELECT failures FROM login_failure WHERE login = 'jane'"), SH_LOGIN_MAX_FAILURES - 1);
	assert_int_equal(sh_account_authenticate(f->db, "jane", PASSWORD, &a), SH_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM login_failure"), 0);
	/* the tenth failure holds the login out, even with the right password, until the window ends */
	for (int i = 0; i < SH_LOGIN_MAX_FAILURES; i++) {
		assert_int_equal(sh_login_retry_after(f->db, "jane", &wait), SH_OK);
		assert_int_equal(wait, 0);
		assert_int_equal(sh_account_authenticate(f->db, "jane", "wrong password", &a), SH_EAUTH);
	}
	assert_int_equal(sh_login_retry_after(f->db, "jane", &wait), SH_OK);
	assert_true(wait > SH_LOGIN_FAILURE_WINDOW - 60 && wait <= SH_LOGIN_FAILURE_WINDOW);
	assert_int_equal(sh_account_authenticate(f->db, "jane", PASSWORD, &a), SH_EAUTH);
	assert_int_equal(a.id, 0);
	assert_int_equal(sh_db_exec(f->db, "UPDATE login_failure SET since = since - 900"), SH_OK);
	assert_int_equal(sh_login_retry_after(f->db, "jane", &wait), SH_OK);
	assert_int_equal(wait, 0);
	assert_int_equal(sh_account_authenticate(f->db, "jane", PASSWORD, &a), SH_OK);
	assert_string_equal(a.login, "jane");
	/* unknown logins are counted alike (the count tells nothing); impossible ones are not */
	for (int i = 0; i < SH_LOGIN_MAX_FAILURES; i++)
		assert_int_equal(sh_account_authenticate(f->db, "ghost", PASSWORD, &a), SH_EAUTH);
	assert_int_equal(sh_login_retry_after(f->db, "ghost", &wait), SH_OK);
	assert_true(wait > 0);
	assert_int_equal(sh_account_authenticate(f->db, "a b", PASSWORD, &a), SH_EAUTH);
	assert_int_equal(count(f->db, "SELECT count(*) FROM login_failure"), 1);
}

static void test_tokens(void **state)
{
	fixture *f = *state;
	sh_account a;
	char *t1 = NULL, *t2 = NULL, *t3 = NULL, *json = NULL;
	assert_int_equal(sh_account_create(f->db, "bot", PASSWORD, SH_ROLE_ANALYST, NULL, NULL), SH_OK);
	assert_int_equal(sh_token_create(f->db, "bot", "ci", &t1), SH_OK);
	assert_int_equal(strlen(t1), SH_SECRET_CHARS);
	assert_int_equal(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), SH_SECRET_CHARS);
	assert_int_equal(sh_token_create(f->db, "bot", "ci", &t2), SH_EEXIST);
	assert_null(t2);
	assert_int_equal(sh_token_create(f->db, "bot", "laptop", &t2), SH_OK);
	assert_string_not_equal(t1, t2);
	assert_int_equal(sh_token_create(f->db, "nobody", "ci", &t3), SH_ENOTFOUND);
	assert_int_equal(sh_token_create(f->db, "bot", "", &t3), SH_EINVAL);

	assert_int_equal(count(f->db, "SELECT count(*) FROM api_token WHERE last_used IS NOT NULL"), 0);
	assert_int_equal(sh_token_resolve(f->db, t1, &a), SH_OK);
	assert_string_equal(a.login, "bot");
	assert_int_equal(a.role, SH_ROLE_ANALYST);
	assert_int_equal(count(f->db, "SELECT count(*) FROM api_token WHERE last_used IS NOT NULL"), 1);
	t1[0] = t1[0] == 'A' ? 'B' : 'A';
	assert_int_equal(sh_token_resolve(f->db, t1, &a), SH_EAUTH);
	assert_int_equal(sh_token_resolve(f->db, "", &a), SH_EAUTH);
	assert_int_equal(sh_token_resolve(f->db, "short", &a), SH_EAUTH);

	assert_int_equal(sh_tokens_json(f->db, "bot", &json), SH_OK);
	assert_non_null(strstr(json, "\"label\":\"ci\""));
	assert_non_null(strstr(json, "\"label\":\"laptop\""));
	assert_null(strstr(json, t2));
	free(json);

	assert_int_equal(sh_token_revoke(f->db, "bot", "laptop"), SH_OK);
	assert_int_equal(sh_token_resolve(f->db, t2, &a), SH_EAUTH);
	assert_int_equal(sh_token_revoke(f->db, "bot", "laptop"), SH_ENOTFOUND);
	assert_int_equal(sh_token_revoke(f->db, "nobody", "ci"), SH_ENOTFOUND);
	assert_int_equal(sh_tokens_json(f->db, "bot", &json), SH_OK);
	assert_null(strstr(json, "laptop"));
	free(json);
	/* the label is free again once its token is revoked; the revoked row stays as a record */
	assert_int_equal(sh_token_create(f->db, "bot", "laptop", &t3), SH_OK);
	assert_int_equal(sh_token_resolve(f->db, t3, &a), SH_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM api_token WHERE revoked IS NOT NULL"), 1);
	free(t1);
	free(t2);
	free(t3);
}

static void test_sessions(void **state)
{
	fixture *f = *state;
	sh_account a;
	int64_t id;
	char sid[SH_SECRET_CHARS + 1], csrf[SH_SECRET_CHARS + 1], got[SH_SECRET_CHARS + 1];
	char sid2[SH_SECRET_CHARS + 1], csrf2[SH_SECRET_CHARS + 1];
	assert_int_equal(sh_account_create(f->db, "jane", PASSWORD, SH_ROLE_LEARNER, NULL, &id), SH_OK);
	assert_int_equal(sh_session_create(f->db, id, 3600, sid, csrf), SH_OK);
	assert_int_equal(strlen(sid), SH_SECRET_CHARS);
	assert_int_equal(strlen(csrf), SH_SECRET_CHARS);
	assert_string_not_equal(sid, csrf);
	assert_int_equal(sh_session_resolve(f->db, sid, &a, got), SH_OK);
	assert_string_equal(a.login, "jane");
	assert_string_equal(got, csrf);
	assert_int_equal(sh_session_resolve(f->db, csrf, &a, got), SH_EAUTH); /* the CSRF token is no session id */
	assert_string_equal(got, "");
	assert_int_equal(sh_session_create(f->db, id, 0, sid2, csrf2), SH_EINVAL);
	assert_int_equal(sh_session_create(f->db, 999, 3600, sid2, csrf2), SH_ENOTFOUND);

	/* an expired session fails and is removed */
	assert_int_equal(sh_session_create(f->db, id, 3600, sid2, csrf2), SH_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"), 2);
	assert_int_equal(sh_db_exec(f->db, "UPDATE session SET expires = expires - 7200"), SH_OK);
	assert_int_equal(sh_session_resolve(f->db, sid2, &a, got), SH_EAUTH);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"), 1);
	/* creating a session purges the other expired ones */
	assert_int_equal(sh_session_create(f->db, id, 3600, sid2, csrf2), SH_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"), 1);
	assert_int_equal(sh_session_resolve(f->db, sid, &a, got), SH_EAUTH);

	assert_int_equal(sh_session_end(f->db, sid2), SH_OK);
	assert_int_equal(sh_session_resolve(f->db, sid2, &a, got), SH_EAUTH);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"), 0);
}

static void test_delete_cascades(void **state)
{
	fixture *f = *state;
	int64_t id;
	sh_account a;
	char *token = NULL, *other = NULL;
	char sid[SH_SECRET_CHARS + 1], csrf[SH_SECRET_CHARS + 1];
	/* a later table of personal records, declared as docs/data-model.md asks */
	assert_int_equal(sh_db_exec(f->db, "CREATE TABLE owned(account INTEGER NOT NULL "
	                                   "REFERENCES account(id) ON DELETE CASCADE, note TEXT)"), SH_OK);
	assert_int_equal(sh_account_create(f->db, "jane", PASSWORD, SH_ROLE_LEARNER, NULL, &id), SH_OK);
	assert_int_equal(sh_account_create(f->db, "john", PASSWORD, SH_ROLE_LEARNER, NULL, NULL), SH_OK);
	assert_int_equal(sh_token_create(f->db, "jane", "ci", &token), SH_OK);
	assert_int_equal(sh_token_create(f->db, "john", "ci", &other), SH_OK);
	assert_int_equal(sh_session_create(f->db, id, 3600, sid, csrf), SH_OK);
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO owned VALUES (%lld, 'mine')", (long long)id);
	assert_int_equal(sh_db_exec(f->db, sql), SH_OK);

	assert_int_equal(sh_account_delete(f->db, "jane"), SH_OK);
	assert_int_equal(sh_account_get(f->db, "jane", &a), SH_ENOTFOUND);
	assert_int_equal(sh_token_resolve(f->db, token, &a), SH_EAUTH);
	assert_int_equal(sh_session_resolve(f->db, sid, &a, csrf), SH_EAUTH);
	assert_int_equal(count(f->db, "SELECT count(*) FROM owned"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM api_token"), 1);
	assert_int_equal(sh_token_resolve(f->db, other, &a), SH_OK); /* john keeps his */
	assert_int_equal(sh_account_delete(f->db, "jane"), SH_ENOTFOUND);
	free(token);
	free(other);
}

static void test_secret_equal(void **state)
{
	(void)state;
	char a[SH_SECRET_CHARS + 1], b[SH_SECRET_CHARS + 1];
	assert_int_equal(sh_secret_new(a), SH_OK);
	memcpy(b, a, sizeof b);
	assert_true(sh_secret_equal(a, b));
	b[SH_SECRET_CHARS - 1] = b[SH_SECRET_CHARS - 1] == 'A' ? 'B' : 'A';
	assert_false(sh_secret_equal(a, b));
	b[SH_SECRET_CHARS - 1] = '\0';
	assert_false(sh_secret_equal(a, b)); /* a prefix is not the secret */
	assert_false(sh_secret_equal(a, ""));
	assert_false(sh_secret_equal(a, NULL));
	assert_false(sh_secret_equal(NULL, NULL));
	assert_true(sh_secret_equal("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test_setup_teardown(test_login_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roles_and_providers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authenticate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_sign_ins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_cascades, setup, teardown),
		cmocka_unit_test(test_secret_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
