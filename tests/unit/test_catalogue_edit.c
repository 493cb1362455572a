/*
 * tests/unit/test_catalogue_edit.c - the catalogue edited course by course
 * (catalogue/edit.c), as the web's provider and reviewer routes use it:
 * creating a draft, refusing a bad object without writing anything, the
 * rule that a changed submitted or approved course goes back to draft while
 * an unchanged write keeps its status, the audit of who did it, and the
 * lists of courses by provider and status.
 *
 * The taxonomy is three skills written with plain SQL; no index is opened,
 * so no skills are proposed (the integration test covers proposals).
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue/catalogue.h"
#include "store/db.h"

#define SKILL "http://data.europa.eu/esco/skill/t-"

static const char taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind, status) VALUES"
	" (1, '" SKILL "s1', 'skill', 'released'), (2, '" SKILL "s2', 'skill', 'released'),"
	" (3, '" SKILL "s3', 'skill', 'released');";

static const char rules_json[] =
	"{\"version\": \"e1\", \"rules\": ["
	"{\"id\": \"required\", \"type\": \"required\", \"severity\": \"error\", \"fields\": [\"title\", \"eqf\"]},"
	"{\"id\": \"min-skills\", \"type\": \"min_skills\", \"severity\": \"error\", \"min\": 3}]}";

/* Passes the rules above. */
static const char good_course[] =
	"{\"id\": \"E1\", \"provider\": \"p-a\", \"eqf\": 4, \"status\": \"approved\","
	" \"texts\": {\"en\": {\"title\": \"Battery cell testing\"}},"
	" \"skills\": [{\"uri\": \"" SKILL "s1\"}, {\"uri\": \"" SKILL "s2\"}, {\"uri\": \"" SKILL "s3\"}]}";

typedef struct edit_fixture {
	char     *dir;
	char      db_path[4200], rules_path[4200];
	sh_db    *db;
	sh_rules *rules;
} edit_fixture;

static int setup(void **state)
{
	edit_fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = test_tmpdir();
	snprintf(f->db_path, sizeof f->db_path, "%s/edit.db", f->dir);
	snprintf(f->rules_path, sizeof f->rules_path, "%s/rules.json", f->dir);
	assert_int_equal(sh_db_open(&f->db, f->db_path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_exec(f->db, taxonomy_sql), SH_OK);
	assert_int_equal(sh_provider_put(f->db, "{\"id\": \"p-a\", \"name\": \"A\", \"country\": \"DE\", \"type\": \"vet\"}",
	                                 "admin"), SH_OK);
	assert_int_equal(sh_provider_put(f->db, "{\"id\": \"p-b\", \"name\": \"B\", \"country\": \"FR\", \"type\": \"vet\"}",
	                                 "admin"), SH_OK);
	test_write_file(f->rules_path, rules_json);
	assert_int_equal(sh_rules_load(&f->rules, f->rules_path), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	edit_fixture *f = *state;
	sh_rules_free(f->rules);
	sh_db_close(f->db);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t count(edit_fixture *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(sh_db_int64(f->db, sql, &n), SH_OK);
	return n;
}

/* cat_course_put of text (a JSON object) in its own transaction, as the server does; problems to *problems. */
static int put(edit_fixture *f, const char *text, const char *who, cat_put_result *res, char **problems)
{
	json_t *c = json_loads(text, 0, NULL);
	assert_non_null(c);
	sh_buf b = SH_BUF_INIT;
	assert_int_equal(sh_db_begin(f->db), SH_OK);
	int rc = cat_course_put(f->db, c, who, NULL, NULL, &b, res);
	if (rc)
		sh_db_rollback(f->db);
	else
		assert_int_equal(sh_db_commit(f->db), SH_OK);
	json_decref(c);
	*problems = b.data ? sh_buf_detach(&b) : NULL;
	sh_buf_free(&b);
	return rc;
}

static void test_put_creates_a_draft(void **state)
{
	edit_fixture *f = *state;
	cat_put_result res;
	char *problems;
	/* "status" in the body is ignored: a new course is always a draft */
	assert_int_equal(put(f, good_course, "alice", &res, &problems), SH_OK);
	assert_null(problems);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.changed, 1);
	assert_int_equal(res.reopened, 0);
	assert_true(res.id > 0);
	cat_course_state st;
	assert_int_equal(cat_course_get_state(f->db, "E1", &st), SH_OK);
	assert_int_equal(st.id, res.id);
	assert_string_equal(st.provider, "p-a");
	assert_string_equal(st.status, "draft");
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity = 'course:E1' AND who = 'alice'"
	                          " AND field = '*' AND new = 'created'"), 1);
	assert_int_equal(cat_course_get_state(f->db, "NOPE", &st), SH_ENOTFOUND);
}

static void test_put_refuses_bad_objects_whole(void **state)
{
	edit_fixture *f = *state;
	cat_put_result res;
	char *problems;
	/* a shape problem: nothing is checked further, nothing written */
	assert_int_equal(put(f, "{\"id\": \"E2\", \"provider\": \"p-a\", \"eqf\": \"four\","
	                        " \"texts\": {\"en\": {\"title\": \"T\"}}}", "alice", &res, &problems), SH_EFORMAT);
	assert_non_null(problems);
	assert_non_null(strstr(problems, "field \"eqf\""));
	free(problems);
	/* a reference that does not resolve: the provider */
	assert_int_equal(put(f, "{\"id\": \"E2\", \"provider\": \"p-none\", \"texts\": {\"en\": {\"title\": \"T\"}}}",
	                     "alice", &res, &problems), SH_EFORMAT);
	assert_non_null(strstr(problems, "field \"provider\""));
	free(problems);
	assert_int_equal(count(f, "SELECT count(*) FROM course"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity LIKE 'course:%'"), 0);
}

static void test_changed_approved_course_goes_back_to_draft(void **state)
{
	edit_fixture *f = *state;
	cat_put_result res;
	char *problems;
	assert_int_equal(put(f, good_course, "alice", &res, &problems), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "E1", "submit", "alice"), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "E1", "approve", "rita"), SH_OK);

	/* the same object again: nothing changed, still approved, no new audit row */
	int64_t audits = count(f, "SELECT count(*) FROM audit");
	assert_int_equal(put(f, good_course, "alice", &res, &problems), SH_OK);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.changed, 0);
	assert_int_equal(res.reopened, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM course WHERE status = 'approved'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit"), audits);

	/* a new EQF level: back to draft, out of the approved courses, audited as alice */
	char *changed = strdup(good_course);
	*strstr(changed, "4") = '5';
	assert_int_equal(put(f, changed, "alice", &res, &problems), SH_OK);
	free(changed);
	assert_int_equal(res.changed, 1);
	assert_int_equal(res.reopened, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM course WHERE ref = 'E1' AND status = 'draft' AND eqf = 5"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity = 'course:E1' AND who = 'alice'"
	                          " AND field = 'status' AND old = 'approved' AND new = 'draft'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit WHERE entity = 'course:E1' AND who = 'alice'"
	                          " AND field = 'eqf' AND old = '4' AND new = '5'"), 1);

	/* a draft or rejected course stays where it is */
	int reopened = 1;
	assert_int_equal(cat_course_reopen(f->db, "E1", "alice", &reopened), SH_OK);
	assert_int_equal(reopened, 0);
}

static void test_transition_and_decision_inside_a_transaction(void **state)
{
	edit_fixture *f = *state;
	cat_put_result res;
	char *problems;
	assert_int_equal(put(f, "{\"id\": \"E3\", \"provider\": \"p-b\", \"eqf\": 2,"
	                        " \"texts\": {\"en\": {\"title\": \"Welding\"}}}", "bob", &res, &problems), SH_OK);
	/* a rolled-back transaction leaves neither the decision nor the step */
	assert_int_equal(sh_db_begin(f->db), SH_OK);
	assert_int_equal(cat_course_decide_skill(f->db, "E3", SKILL "s1", 1, "bob"), SH_OK);
	assert_int_equal(cat_course_transition(f->db, f->rules, "E3", "submit", "bob"), SH_OK);
	sh_db_rollback(f->db);
	assert_int_equal(count(f, "SELECT count(*) FROM course_skill"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM course WHERE status = 'draft'"), 1);
	/* approval refuses while an error finding stands (2 skills of the 3 required) */
	assert_int_equal(sh_course_decide_skill(f->db, "E3", SKILL "s1", 1, "bob"), SH_OK);
	assert_int_equal(sh_course_decide_skill(f->db, "E3", SKILL "s2", 1, "bob"), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "E3", "submit", "bob"), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "E3", "approve", "rita"), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "min-skills"));
	assert_int_equal(count(f, "SELECT count(*) FROM course WHERE status = 'submitted'"), 1);
}

static void test_lists_by_provider_and_status(void **state)
{
	edit_fixture *f = *state;
	cat_put_result res;
	char *problems;
	assert_int_equal(put(f, good_course, "alice", &res, &problems), SH_OK);
	assert_int_equal(put(f, "{\"id\": \"B1\", \"provider\": \"p-b\", \"texts\": {\"de\": {\"title\": \"Schweißen\"},"
	                        " \"en\": {\"title\": \"Welding\"}}}", "bob", &res, &problems), SH_OK);
	assert_int_equal(sh_course_transition(f->db, f->rules, "B1", "submit", "bob"), SH_OK);
	json_t *a;
	assert_int_equal(cat_courses_list(f->db, NULL, NULL, "de", &a), SH_OK);
	assert_int_equal(json_array_size(a), 2);
	json_t *first = json_array_get(a, 0), *second = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(first, "id")), "E1");
	assert_string_equal(json_string_value(json_object_get(first, "title")), "Battery cell testing");
	assert_string_equal(json_string_value(json_object_get(first, "status")), "draft");
	assert_string_equal(json_string_value(json_object_get(second, "title")), "Schweißen");
	assert_string_equal(json_string_value(json_object_get(second, "provider")), "p-b");
	assert_non_null(json_string_value(json_object_get(second, "updated")));
	json_decref(a);
	assert_int_equal(cat_courses_list(f->db, "p-a", NULL, NULL, &a), SH_OK);
	assert_int_equal(json_array_size(a), 1);
	json_decref(a);
	assert_int_equal(cat_courses_list(f->db, NULL, "submitted", NULL, &a), SH_OK);
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "id")), "B1");
	json_decref(a);
	assert_int_equal(cat_courses_list(f->db, "p-a", "submitted", NULL, &a), SH_OK);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_creates_a_draft, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_refuses_bad_objects_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_approved_course_goes_back_to_draft, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transition_and_decision_inside_a_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists_by_provider_and_status, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
