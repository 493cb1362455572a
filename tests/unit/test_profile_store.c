/*
 * tests/unit/test_profile_store.c - an account's stored skill profile
 * (pathways/profile_store.c, migration 5): adding, lowering and removing
 * skills, preferences, export -> import round trip, strict import that
 * changes nothing on error, erase, and the cascade when the account is
 * deleted (auth's sh_account_delete).
 *
 * The taxonomy is the small one of index_fixture.h; accounts are inserted
 * with SQL (no password hashing needed here).
 */
#include "testutil.h"

#include <jansson.h>
#include <string.h>

#include "index_fixture.h"
#include "skillhub/auth.h"
#include "skillhub/pathways.h"

#define ANN 1
#define BOB 2

static fixture *setup(void)
{
	fixture *f = fixture_new();
	fixture_sql(f, "INSERT INTO account(id, login, role, password_hash, created) VALUES"
	               " (1, 'ann', 'learner', 'x', '2026-11-23T00:00:00Z'),"
	               " (2, 'bob', 'learner', 'x', '2026-11-23T00:00:00Z')");
	return f;
}

static sh_cid cid(fixture *f, const char *uri)
{
	sh_cid c;
	assert_int_equal(sh_index_lookup(f->idx, uri, &c), SH_OK);
	return c;
}

static int64_t count(fixture *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(sh_db_int64(f->db, sql, &n), SH_OK);
	return n;
}

static char *export(fixture *f, int64_t account)
{
	char *s = NULL;
	if (sh_profile_store_export(f->db, account, &s))
		fail_msg("export: %s", sh_errmsg());
	return s;
}

static void add_and_load(void **state)
{
	(void)state;
	fixture *f = setup();
	sh_cid python = cid(f, URI_SKILL "python-0001"), staff = cid(f, URI_SKILL "staff-0001");
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, python, 0.8f, SH_SOURCE_ASSESSED), SH_OK);
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, staff, 1.0f, SH_SOURCE_CV), SH_OK);
	/* Added again: the new (lower) level and source replace the stored ones. */
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, python, 0.5f, SH_SOURCE_DECLARED), SH_OK);
	/* Not a skill, level out of range: refused. */
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, cid(f, URI_OCC "nurse-0001"), 1.0f,
	                                      SH_SOURCE_DECLARED), SH_EINVAL);
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, staff, 1.5f, SH_SOURCE_DECLARED), SH_EINVAL);

	sh_profile *p;
	sh_profile_prefs prefs;
	assert_int_equal(sh_profile_store_load(f->db, f->idx, ANN, &p, &prefs), SH_OK);
	const sh_profile_skill *s;
	assert_int_equal(sh_profile_skills(p, &s), 2);
	for (size_t i = 0; i < 2; i++) {
		if (s[i].skill == python) {
			assert_float_equal(s[i].level, 0.5, 1e-6);
			assert_int_equal(s[i].source, SH_SOURCE_DECLARED);
		} else {
			assert_int_equal(s[i].skill, staff);
			assert_int_equal(s[i].source, SH_SOURCE_CV);
		}
	}
	assert_false(prefs.has_target);
	assert_true(prefs.budget < 0);
	sh_profile_free(p);

	/* Bob has nothing; Ann's removal leaves one skill. */
	assert_int_equal(sh_profile_store_load(f->db, f->idx, BOB, &p, NULL), SH_OK);
	assert_int_equal(sh_profile_skills(p, &s), 0);
	sh_profile_free(p);
	assert_int_equal(sh_profile_store_remove(f->db, f->idx, ANN, python), SH_OK);
	assert_int_equal(sh_profile_store_remove(f->db, f->idx, ANN, python), SH_OK);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM profile_skill WHERE account = 1"), 1);
	fixture_free(f);
}

static void export_import_round_trip(void **state)
{
	(void)state;
	fixture *f = setup();
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, cid(f, URI_SKILL "python-0001"), 0.8f,
	                                      SH_SOURCE_ASSESSED), SH_OK);
	assert_int_equal(sh_profile_store_add(f->db, f->idx, ANN, cid(f, URI_SKILL "group-0001"), 0.25f,
	                                      SH_SOURCE_CREDENTIAL), SH_OK);
	sh_profile_prefs prefs = { 1, cid(f, URI_OCC "developer-0001"), "de", "DE3", 500 };
	assert_int_equal(sh_profile_store_set_prefs(f->db, f->idx, ANN, &prefs), SH_OK);

	char *doc = export(f, ANN);
	json_error_t err;
	json_t *o = json_loads(doc, 0, &err);
	assert_non_null(o);
	assert_int_equal(json_array_size(json_object_get(o, "skills")), 2);
	json_t *first = json_array_get(json_object_get(o, "skills"), 0); /* by URI: group < python */
	assert_string_equal(json_string_value(json_object_get(first, "uri")), URI_SKILL "group-0001");
	assert_float_equal(json_number_value(json_object_get(first, "level")), 0.25, 1e-12);
	assert_string_equal(json_string_value(json_object_get(first, "source")), "credential");
	assert_string_equal(json_string_value(json_object_get(o, "target")), URI_OCC "developer-0001");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "preferences"), "region")), "DE3");
	assert_float_equal(json_number_value(json_object_get(json_object_get(o, "preferences"), "budget")), 500, 0);
	assert_non_null(strstr(doc, "\"level\":0.8,")); /* levels print as given */
	json_decref(o);

	/* The export is a profile document the gap reads ... */
	sh_profile *p;
	const sh_profile_skill *s;
	assert_int_equal(sh_profile_new(&p), SH_OK);
	assert_int_equal(sh_profile_load_json(p, f->idx, doc, "export"), SH_OK);
	assert_int_equal(sh_profile_skills(p, &s), 2);
	sh_profile_free(p);

	/* ... and imported into another account it exports the same bytes. */
	assert_int_equal(sh_profile_store_import(f->db, f->idx, BOB, doc, "export"), SH_OK);
	char *again = export(f, BOB);
	assert_string_equal(again, doc);
	free(again);

	/* Importing replaces: Bob's document now has one skill, expanded from an occupation. */
	assert_int_equal(sh_profile_store_import(f->db, f->idx, BOB,
	                                         "{\"occupations\": [{\"uri\": \"" URI_OCC "nurse-0001\"}]}", "doc"),
	                 SH_OK);
	again = export(f, BOB);
	static const char expanded[] = "{\"skills\":[{\"uri\":\"" URI_SKILL "nursing-0001\",\"level\":1.0,"
	                               "\"source\":\"occupation\",\"added\":\"";
	if (strncmp(again, expanded, sizeof expanded - 1) || strchr(again, ']') != strrchr(again, ']'))
		fail_msg("expected %s...\"}]}, got %s", expanded, again);
	free(again);
	free(doc);
	fixture_free(f);
}

static void import_errors_change_nothing(void **state)
{
	(void)state;
	fixture *f = setup();
	static const char *const bad[] = {
		"[1]",
		"{\"skills\": [{\"uri\": \"" URI_SKILL "python-0001\"}], \"extra\": 1}",
		"{\"skills\": [{\"uri\": \"" URI_SKILL "python-0001\", \"level\": 2}]}",
		"{\"skills\": [{\"uri\": \"" URI_OCC "nurse-0001\"}]}",
		"{\"skills\": [{\"uri\": \"" URI_SKILL "nope\"}]}",
		"{\"target\": \"" URI_SKILL "python-0001\"}",
		"{\"preferences\": {\"language\": \"German\"}}",
		"{\"preferences\": {\"budget\": -5}}",
		"{\"preferences\": {\"colour\": \"red\"}}",
		"{\"skills\": ",
	};
	assert_int_equal(sh_profile_store_import(f->db, f->idx, ANN,
	                                         "{\"skills\": [{\"uri\": \"" URI_SKILL "staff-0001\"}]}", "doc"), SH_OK);
	char *before = export(f, ANN);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = sh_profile_store_import(f->db, f->idx, ANN, bad[i], "doc");
		if (rc == SH_OK)
			fail_msg("document %zu was accepted: %s", i, bad[i]);
		assert_non_null(strstr(sh_errmsg(), "doc"));
		char *after = export(f, ANN);
		assert_string_equal(after, before);
		free(after);
	}
	free(before);
	fixture_free(f);
}

static void erase_and_cascade(void **state)
{
	(void)state;
	fixture *f = setup();
	static const char doc[] = "{\"skills\": [{\"uri\": \"" URI_SKILL "staff-0001\"}], \"target\": \""
	                          URI_OCC "nurse-0001\", \"preferences\": {\"budget\": 100}}";
	assert_int_equal(sh_profile_store_import(f->db, f->idx, ANN, doc, "doc"), SH_OK);
	assert_int_equal(sh_profile_store_import(f->db, f->idx, BOB, doc, "doc"), SH_OK);

	assert_int_equal(sh_profile_store_erase(f->db, ANN), SH_OK);
	assert_int_equal(count(f, "SELECT (SELECT COUNT(*) FROM profile_skill WHERE account = 1) + "
	                          "(SELECT COUNT(*) FROM profile WHERE account = 1)"), 0);
	char *s = export(f, ANN);
	assert_string_equal(s, "{\"skills\":[]}");
	free(s);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM account WHERE id = 1"), 1); /* the account stays */

	/* Bob's profile is untouched, and goes with his account. */
	assert_int_equal(count(f, "SELECT COUNT(*) FROM profile_skill WHERE account = 2"), 1);
	assert_int_equal(sh_account_delete(f->db, "bob"), SH_OK);
	assert_int_equal(count(f, "SELECT (SELECT COUNT(*) FROM profile_skill) + (SELECT COUNT(*) FROM profile)"), 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_and_load),
		cmocka_unit_test(export_import_round_trip),
		cmocka_unit_test(import_errors_change_nothing),
		cmocka_unit_test(erase_and_cascade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
