/*
 * tests/unit/test_catalogue_search.c - the ranking invariants of catalogue
 * search (sh_courses_search) by skill and by occupation.
 *
 * A hand-made taxonomy written with plain SQL: skills s1..s5 where s4 is
 * narrower than s1 and s5 narrower than s4; occupation o1 with essential
 * skills s1, s2, s3 and optional s4.  Courses carry accepted, proposed and
 * rejected skills and one is a draft, so that each invariant can fail:
 *   - by occupation: only approved courses with an accepted essential skill,
 *     coverage = accepted essential skills / essential skills, best first,
 *     ties by id; proposed, rejected and optional skills do not count;
 *   - by skill: approved courses with the skill or a narrower one
 *     (transitively) accepted, by id.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/catalogue.h"
#include "store/db.h"

#define SKILL "http://data.europa.eu/esco/skill/q-"
#define OCC   "http://data.europa.eu/esco/occupation/q-o1"

static const char catalogue_sql[] =
	"INSERT INTO concept(id, uri, kind) VALUES (1, '" SKILL "s1', 'skill'), (2, '" SKILL "s2', 'skill'),"
	" (3, '" SKILL "s3', 'skill'), (4, '" SKILL "s4', 'skill'), (5, '" SKILL "s5', 'skill'),"
	" (9, '" OCC "', 'occupation');"
	"INSERT INTO broader(concept, broader) VALUES (4, 1), (5, 4);"
	"INSERT INTO occupation_skill(occupation, skill, relation) VALUES"
	" (9, 1, 'essential'), (9, 2, 'essential'), (9, 3, 'essential'), (9, 4, 'optional');"
	"INSERT INTO provider(id, ref, name, country, type) VALUES (1, 'p', 'P', 'DE', 'vet');"
	"INSERT INTO course(id, ref, provider, status, region, updated_at) VALUES"
	" (1, 'G', 1, 'approved', 'DE1', 'now'), (2, 'F', 1, 'approved', 'DE2', 'now'),"
	" (3, 'E', 1, 'draft', 'DE1', 'now'), (4, 'D', 1, 'approved', 'DE1', 'now'),"
	" (5, 'C', 1, 'approved', 'FR1', 'now'), (6, 'B', 1, 'approved', 'DE1', 'now'),"
	" (7, 'A', 1, 'approved', 'DE1', 'now'), (8, 'H', 1, 'approved', 'DE1', 'now');"
	"INSERT INTO course_text(course, lang, title) SELECT id, 'en', 'Course ' || ref FROM course;"
	"INSERT INTO course_skill(course, skill, origin) VALUES"
	" (7, 1, 'accepted'), (7, 2, 'accepted'), (7, 3, 'accepted'),"   /* A: 3/3 */
	" (6, 1, 'accepted'), (6, 2, 'proposed'),"                        /* B: 1/3 */
	" (5, 2, 'accepted'), (5, 3, 'accepted'),"                        /* C: 2/3 */
	" (4, 4, 'accepted'),"                                            /* D: optional only */
	" (3, 1, 'accepted'), (3, 2, 'accepted'),"                        /* E: a draft */
	" (2, 3, 'accepted'), (2, 1, 'rejected'),"                        /* F: 1/3 */
	" (1, 2, 'accepted'),"                                            /* G: 1/3 */
	" (8, 5, 'accepted');";                                           /* H: s5, under s4, under s1 */

static int setup(void **state)
{
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/search.db", dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_exec(db, catalogue_sql), SH_OK);
	void **f = calloc(2, sizeof *f);
	assert_non_null(f);
	f[0] = dir;
	f[1] = db;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	void **f = *state;
	sh_db_close(f[1]);
	test_rmtree(f[0]);
	free(f[0]);
	free(f);
	return 0;
}

/* "id:coverage id:coverage ..." (coverage to 3 decimals) or "id id ..." of the hits of q. */
static char *hits(sh_db *db, const sh_course_query *q)
{
	char *out;
	assert_int_equal(sh_courses_search(db, q, &out), SH_OK);
	json_t *arr = json_loads(out, 0, NULL);
	assert_non_null(arr);
	free(out);
	char buf[512] = "";
	size_t i, len = 0;
	json_t *h;
	json_array_foreach(arr, i, h) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "",
		                        json_string_value(json_object_get(h, "id")));
		if (json_object_get(h, "coverage"))
			len += (size_t)snprintf(buf + len, sizeof buf - len, ":%.3f",
			                        json_real_value(json_object_get(h, "coverage")));
	}
	json_decref(arr);
	return strdup(buf);
}

static void test_occupation_ranks_by_coverage(void **state)
{
	sh_db *db = ((void **)*state)[1];
	sh_course_query q = { .occupation = OCC, .max_cost = -1 };
	char *got = hits(db, &q);
	assert_string_equal(got, "A:1.000 C:0.667 B:0.333 F:0.333 G:0.333");
	free(got);
	q.region = "DE";  /* a filter drops C and keeps the order of the others */
	got = hits(db, &q);
	assert_string_equal(got, "A:1.000 B:0.333 F:0.333 G:0.333");
	free(got);
	q.region = NULL;
	q.limit = 2;
	got = hits(db, &q);
	assert_string_equal(got, "A:1.000 C:0.667");
	free(got);
}

static void test_skill_includes_narrower_skills(void **state)
{
	sh_db *db = ((void **)*state)[1];
	sh_course_query q = { .skill = SKILL "s1", .max_cost = -1 };
	char *got = hits(db, &q);
	assert_string_equal(got, "A B D H");  /* not E (draft) nor F (s1 rejected) */
	free(got);
	q.skill = SKILL "s4";
	got = hits(db, &q);
	assert_string_equal(got, "D H");
	free(got);
	q.skill = SKILL "s1";
	q.occupation = OCC;  /* both: courses of the skill, ranked by coverage */
	got = hits(db, &q);
	assert_string_equal(got, "A:1.000 B:0.333");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_occupation_ranks_by_coverage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skill_includes_narrower_skills, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
