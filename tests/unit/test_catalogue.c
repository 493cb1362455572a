/*
 * tests/unit/test_catalogue.c - the training catalogue (skillhub/catalogue.h):
 * the quality rules engine on hand-made courses (a good course passes every
 * rule; each mutation makes exactly the intended rule fire), import
 * transactionality and problem reports, the review workflow and the
 * re-evaluation of approved courses after a rule-set change.
 *
 * The taxonomy is four skills written with plain SQL (one of them obsolete);
 * no index is needed because no skills are proposed here.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/catalogue.h"
#include "store/db.h"

#define SKILL "http://data.europa.eu/esco/skill/t-"

static const char taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind, status) VALUES"
	" (1, '" SKILL "s1', 'skill', 'released'), (2, '" SKILL "s2', 'skill', 'released'),"
	" (3, '" SKILL "s3', 'skill', 'released'), (4, '" SKILL "s4', 'skill', 'obsolete');"
	"INSERT INTO label(concept, lang, kind, text) VALUES (1, 'en', 'preferred', 'test battery cells');";

static const char rules_json[] =
	"{\"version\": \"t1\", \"rules\": ["
	"{\"id\": \"required\", \"type\": \"required\", \"severity\": \"error\","
	"  \"fields\": [\"title\", \"description\", \"mode\", \"languages\", \"hours\", \"eqf\", \"url\", \"outcomes\"]},"
	"{\"id\": \"eqf-range\", \"type\": \"range\", \"severity\": \"error\", \"field\": \"eqf\", \"min\": 1, \"max\": 8},"
	"{\"id\": \"hours-positive\", \"type\": \"range\", \"severity\": \"error\", \"field\": \"hours\", \"above\": 0},"
	"{\"id\": \"schedule\", \"type\": \"schedule\", \"severity\": \"error\"},"
	"{\"id\": \"cost-currency\", \"type\": \"requires\", \"severity\": \"error\", \"field\": \"cost\", \"requires\": \"currency\"},"
	"{\"id\": \"url-https\", \"type\": \"prefix\", \"severity\": \"warning\", \"field\": \"url\", \"prefixes\": [\"https://\"]},"
	"{\"id\": \"min-skills\", \"type\": \"min_skills\", \"severity\": \"error\", \"min\": 3},"
	"{\"id\": \"outcome-verbs\", \"type\": \"outcome_verbs\", \"severity\": \"warning\","
	"  \"verbs\": {\"en\": [\"test\", \"apply\"], \"de\": [\"prüfen\"]}},"
	"{\"id\": \"credits-hours\", \"type\": \"credits_hours\", \"severity\": \"warning\","
	"  \"min_hours_per_ects\": 25, \"max_hours_per_ects\": 30},"
	"{\"id\": \"duplicate-title\", \"type\": \"duplicate\", \"severity\": \"warning\", \"similarity\": 0.8},"
	"{\"id\": \"language-codes\", \"type\": \"codes\", \"severity\": \"error\", \"field\": \"languages\","
	"  \"codes\": [\"de\", \"en\", \"fr\"]},"
	"{\"id\": \"provider-country\", \"type\": \"codes\", \"severity\": \"error\", \"field\": \"provider.country\","
	"  \"codes\": [\"DE\", \"FR\"]},"
	"{\"id\": \"region-nuts\", \"type\": \"nuts\", \"severity\": \"error\", \"field\": \"region\","
	"  \"countries\": [\"DE\", \"FR\"]}"
	"]}";

/* A course that passes every rule above. */
static const char good_course[] =
	"{\"id\": \"C\", \"provider\": \"p-de\", \"mode\": \"blended\", \"region\": \"DE91\","
	" \"languages\": [\"de\", \"en\"], \"hours\": 56, \"ects\": 2, \"eqf\": 4, \"cost\": 900, \"currency\": \"EUR\","
	" \"start\": \"2027-02-01\", \"end\": \"2027-02-12\", \"url\": \"https://example.org/c\","
	" \"texts\": {\"en\": {\"title\": \"Battery cell testing\", \"description\": \"Cells are tested.\"}},"
	" \"outcomes\": [{\"lang\": \"en\", \"text\": \"Test battery cells.\"},"
	"              {\"lang\": \"de\", \"text\": \"Prüfen von Batteriezellen.\"}],"
	" \"skills\": [{\"uri\": \"" SKILL "s1\"}, {\"uri\": \"" SKILL "s2\"}, {\"uri\": \"" SKILL "s3\"}]}";

static const char providers_json[] =
	"[{\"id\": \"p-de\", \"name\": \"Battery Academy\", \"country\": \"DE\", \"type\": \"company_academy\"},"
	" {\"id\": \"p-bad\", \"name\": \"Nowhere Institute\", \"country\": \"QQ\", \"type\": \"other\"}]";

typedef struct cat_fixture {
	char     *dir;
	char      db_path[4200], rules_path[4200], file[4200];
	sh_db    *db;
	sh_rules *rules;
	int       serial;
} cat_fixture;

static int setup(void **state)
{
	cat_fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = test_tmpdir();
	snprintf(f->db_path, sizeof f->db_path, "%s/cat.db", f->dir);
	snprintf(f->rules_path, sizeof f->rules_path, "%s/rules.json", f->dir);
	assert_int_equal(sh_db_open(&f->db, f->db_path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_exec(f->db, taxonomy_sql), SH_OK);
	test_write_file(f->rules_path, rules_json);
	assert_int_equal(sh_rules_load(&f->rules, f->rules_path), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	cat_fixture *f = *state;
	sh_rules_free(f->rules);
	sh_db_close(f->db);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Writes {"providers": ..., "courses": [courses...]} and imports it; returns the status. */
static int import_json(cat_fixture *f, const char *courses_array, char **problems)
{
	snprintf(f->file, sizeof f->file, "%s/in%d.json", f->dir, f->serial++);
	char *text = NULL;
	assert_true(asprintf(&text, "{\"providers\": %s,\n \"courses\": %s}\n", providers_json, courses_array) > 0);
	test_write_file(f->file, text);
	free(text);
	size_t nc, np;
	return sh_courses_import(f->db, f->file, NULL, &nc, &np, problems);
}

/* The good course with mutate applied (a JSON object merged over it, null deleting), id ref. */
static char *variant(const char *ref, const char *patch)
{
	json_t *c = json_loads(good_course, 0, NULL), *p = json_loads(patch, 0, NULL);
	assert_non_null(c);
	assert_non_null(p);
	const char *key;
	json_t *v;
	json_object_foreach(p, key, v) {
		if (json_is_null(v))
			json_object_del(c, key);
		else
			json_object_set(c, key, v);
	}
	json_object_set_new(c, "id", json_string(ref));
	char *out = json_dumps(c, 0);
	json_decref(c);
	json_decref(p);
	return out;
}

/* Rule ids of the findings for course ref, comma separated ("" when none). */
static char *rules_fired(cat_fixture *f, const char *ref, size_t *nerrors)
{
	char *out;
	assert_int_equal(sh_courses_check(f->db, f->rules, ref, &out, nerrors), SH_OK);
	json_t *arr = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(arr);
	char buf[1024] = "";
	size_t i, len = 0;
	json_t *v;
	json_array_foreach(arr, i, v) {
		/* every finding names its field, rule and a fix */
		assert_non_null(json_string_value(json_object_get(v, "field")));
		assert_non_null(json_string_value(json_object_get(v, "fix")));
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "",
		                        json_string_value(json_object_get(v, "rule")));
	}
	json_decref(arr);
	return strdup(buf);
}

static void test_good_course_passes_every_rule(void **state)
{
	cat_fixture *f = *state;
	char *problems = NULL, *c = variant("GOOD", "{}"), *arr;
	assert_true(asprintf(&arr, "[%s]", c) > 0);
	assert_int_equal(import_json(f, arr, &problems), SH_OK);
	assert_null(problems);
	size_t nerrors;
	char *fired = rules_fired(f, "GOOD", &nerrors);
	assert_string_equal(fired, "");
	assert_int_equal(nerrors, 0);
	free(fired);
	free(arr);
	free(c);
}

static void test_each_rule_fires(void **state)
{
	cat_fixture *f = *state;
	static const struct {
		const char *patch, *rule;
		int         error;
	} cases[] = {
		{ "{\"url\": null}", "required", 1 },
		{ "{\"eqf\": 9}", "eqf-range", 1 },
		{ "{\"hours\": 0, \"ects\": null}", "hours-positive", 1 },
		{ "{\"start\": null, \"end\": null}", "schedule", 1 },
		{ "{\"end\": \"2027-01-01\"}", "schedule", 1 },
		{ "{\"currency\": null}", "cost-currency", 1 },
		{ "{\"url\": \"http://example.org/c\"}", "url-https", 0 },
		{ "{\"skills\": [{\"uri\": \"" SKILL "s1\"}, {\"uri\": \"" SKILL "s2\"}, {\"uri\": \"" SKILL "s4\"}]}",
		  "min-skills", 1 },
		{ "{\"outcomes\": [{\"lang\": \"en\", \"text\": \"Knowledge of battery cells.\"}]}", "outcome-verbs", 0 },
		{ "{\"ects\": 10}", "credits-hours", 0 },
		{ "{\"languages\": [\"en\", \"xx\"]}", "language-codes", 1 },
		{ "{\"provider\": \"p-bad\"}", "provider-country", 1 },
		{ "{\"region\": \"Bavaria\"}", "region-nuts", 1 },
		{ "{\"region\": \"UKI3\"}", "region-nuts", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char ref[32], *problems = NULL, *arr;
		snprintf(ref, sizeof ref, "V%zu", i);
		char *c = variant(ref, cases[i].patch);
		/* a distinct title so that the duplicate rule stays quiet */
		json_t *o = json_loads(c, 0, NULL);
		json_object_set_new(json_object_get(json_object_get(o, "texts"), "en"), "title",
		                    json_sprintf("Unrelated course number %zu", i));
		free(c);
		c = json_dumps(o, 0);
		json_decref(o);
		assert_true(asprintf(&arr, "[%s]", c) > 0);
		int rc = import_json(f, arr, &problems);
		if (rc)
			fail_msg("case %zu: import failed: %s %s", i, sh_errmsg(), problems ? problems : "");
		size_t nerrors;
		char *fired = rules_fired(f, ref, &nerrors);
		if (strcmp(fired, cases[i].rule) != 0)
			fail_msg("case %zu (%s): expected only rule %s, got '%s'", i, cases[i].patch, cases[i].rule, fired);
		assert_int_equal(nerrors, cases[i].error);
		free(fired);
		free(arr);
		free(c);
	}
}

static void test_duplicate_title_same_provider(void **state)
{
	cat_fixture *f = *state;
	char *a = variant("D1", "{}"), *b = variant("D2", "{}"), *arr, *problems = NULL;
	assert_true(asprintf(&arr, "[%s, %s]", a, b) > 0);
	assert_int_equal(import_json(f, arr, &problems), SH_OK);
	size_t nerrors;
	char *fired = rules_fired(f, "D2", &nerrors);
	assert_string_equal(fired, "duplicate-title");
	assert_int_equal(nerrors, 0);
	free(fired);
	free(arr);
	free(a);
	free(b);
}

static int64_t count(cat_fixture *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(sh_db_int64(f->db, sql, &n), SH_OK);
	return n;
}

static void test_import_is_all_or_nothing(void **state)
{
	cat_fixture *f = *state;
	char *good = variant("OK1", "{}"), *bad = variant("BAD1", "{\"eqf\": \"four\", \"mode\": \"hybrid\"}");
	char *arr, *problems = NULL;
	assert_true(asprintf(&arr, "[%s,\n%s]", good, bad) > 0);
	assert_int_equal(import_json(f, arr, &problems), SH_EFORMAT);
	assert_non_null(problems);
	/* the bad record is named by file, line (the line of its '{') and field */
	char want[4300];
	snprintf(want, sizeof want, "%s:3: course BAD1: field \"eqf\"", f->file);
	if (!strstr(problems, want))
		fail_msg("expected '%s' in:\n%s", want, problems);
	assert_non_null(strstr(problems, "field \"mode\""));
	assert_non_null(strstr(sh_errmsg(), "2 problems, nothing imported"));
	assert_int_equal(count(f, "SELECT count(*) FROM course"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM provider"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM audit"), 0);
	free(problems);
	free(arr);
	free(good);
	free(bad);

	/* a reference that does not resolve is a problem too; CSV the same */
	snprintf(f->file, sizeof f->file, "%s/bad.csv", f->dir);
	test_write_file(f->file, "id,provider,mode,hours,title_en\nX1,p-none,onsite,8,Battery day\n"
	                         "X2,p-none,onsite,eight,Battery night\n");
	size_t nc, np;
	problems = NULL;
	assert_int_equal(sh_courses_import(f->db, f->file, NULL, &nc, &np, &problems), SH_EFORMAT);
	snprintf(want, sizeof want, "%s:2: course X1: field \"provider\": no such provider", f->file);
	if (!strstr(problems, want))
		fail_msg("expected '%s' in:\n%s", want, problems);
	snprintf(want, sizeof want, "%s:3: course X2: field \"hours\"", f->file);
	assert_non_null(strstr(problems, want));
	assert_int_equal(count(f, "SELECT count(*) FROM course"), 0);
	free(problems);
}

static void test_reimport_audits_changed_fields(void **state)
{
	cat_fixture *f = *state;
	char *a = variant("R1", "{}"), *b = variant("R1", "{\"hours\": 60}"), *arr, *problems = NULL;
	assert_true(asprintf(&arr, "[%s]", a) > 0);
	assert_int_equal(import_json(f, arr, &problems), SH_OK);
	free(arr);
	assert_true(asprintf(&arr, "[%s]", b) > 0);
	assert_int_equal(import_json(f, arr, &problems), SH_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM course"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity = 'course:R1' AND field = 'hours'"
	                          " AND old = '56' AND new = '60'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity = 'course:R1' AND field <> '*'"), 1);
	free(arr);
	free(a);
	free(b);
}

static void test_workflow_and_recheck(void **state)
{
	cat_fixture *f = *state;
	char *a = variant("W1", "{}"), *b = variant("W2", "{\"eqf\": 12}"), *arr, *problems = NULL;
	json_t *o = json_loads(b, 0, NULL);
	json_object_set_new(json_object_get(json_object_get(o, "texts"), "en"), "title", json_string("Other course"));
	free(b);
	b = json_dumps(o, 0);
	json_decref(o);
	assert_true(asprintf(&arr, "[%s, %s]", a, b) > 0);
	assert_int_equal(import_json(f, arr, &problems), SH_OK);
	/* approve only from submitted; refused while a rule of severity error fails */
	assert_int_equal(sh_course_transition(f->db, f->rules, "W1", "approve", "t"), SH_EINVAL);
	assert_int_equal(sh_course_transition(f->db, f->rules, "W1", "submit", "t"), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "W2", "submit", "t"), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "W2", "approve", "t"), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "eqf-range"));
	assert_int_equal(sh_course_transition(f->db, f->rules, "W1", "approve", "t"), SH_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM course WHERE ref = 'W1' AND status = 'approved'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity = 'course:W1' AND field = 'status'"), 2);

	/* same version: nothing flagged; a stricter new version flags W1, never deletes it */
	size_t nflagged;
	assert_int_equal(sh_courses_recheck(f->db, f->rules, 0, &nflagged), SH_OK);
	assert_int_equal(nflagged, 0);
	char *stricter = strdup(rules_json);
	memcpy(strstr(stricter, "\"t1\""), "\"t2\"", 4);
	*(strstr(stricter, "\"min\": 3") + 7) = '4';
	test_write_file(f->rules_path, stricter);
	free(stricter);
	sh_rules *r2;
	assert_int_equal(sh_rules_load(&r2, f->rules_path), SH_OK);
	assert_string_equal(sh_rules_version(r2), "t2");
	assert_int_equal(sh_courses_recheck(f->db, r2, 0, &nflagged), SH_OK);
	assert_int_equal(nflagged, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM course WHERE ref = 'W1' AND status = 'approved'"
	                          " AND flagged = 'rules t2: 1 error'"), 1);
	sh_rules_free(r2);
	free(arr);
	free(a);
	free(b);
}

static void test_rules_file_errors(void **state)
{
	cat_fixture *f = *state;
	sh_rules *r = NULL;
	test_write_file(f->rules_path, "{\"version\": \"x\", \"rules\": [{\"id\": \"a\", \"type\": \"rangee\", \"severity\": \"error\"}]}");
	assert_int_equal(sh_rules_load(&r, f->rules_path), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "rule a: unknown type \"rangee\""));
	test_write_file(f->rules_path, "{\"version\": \"x\", \"rules\": [{\"id\": \"b\", \"type\": \"range\", \"severity\": \"error\"}]}");
	assert_int_equal(sh_rules_load(&r, f->rules_path), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "rule b: type range needs \"field\""));
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_course_passes_every_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_rule_fires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_title_same_provider, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_is_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport_audits_changed_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workflow_and_recheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_file_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
