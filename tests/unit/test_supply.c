/*
 * tests/unit/test_supply.c - supply versus demand (sh_intel_supply,
 * sh_intel_supply_areas): hand-made ads in an aggregate against courses
 * stored with SQL in a database built from tests/fixtures/esco-mini, with
 * every count and gap worked out by hand in the comments.  Covers what
 * counts as supply (approved courses, accepted skills, a narrower skill
 * counting for its broader one), where a course is offered (NUTS region,
 * else the provider's country; EL = GR; online everywhere), the region
 * filter (one NUTS code a prefix of the other), the ranking and the limit.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "intel/supply.h"
#include "intel/svg.h"
#include "skillhub/intel.h"
#include "store/db.h"

#define ESCO "http://data.europa.eu/esco/"
#define SKILL(n) ESCO "skill/mini-s" n

typedef struct fixture {
	char     *dir;
	sh_db    *db;
	sh_intel *intel;
	sh_agg   *agg;
} fixture;

static void exec(sh_db *db, const char *sql)
{
	if (sh_db_exec(db, sql))
		fail_msg("%s: %s", sql, sh_errmsg());
}

/*
 * Courses (status, mode, region, accepted skills):
 *   1 C-DE      approved onsite  DE30       s01 s04 (s02 proposed, s03 rejected: neither counts)
 *   2 C-ONLINE  approved online  -          s01
 *   3 C-UK      approved onsite  UKI3       s09
 *   4 C-DRAFT   draft    online  -          s01 s02
 *   5 C-GR      approved blended - (GR: EL) s08, narrower than s07 here
 *   6 C-DE-ALL  approved onsite  DE         s02
 */
static void fill_catalogue(sh_db *db)
{
	exec(db, "BEGIN");
	exec(db, "INSERT INTO provider(id, ref, name, country, type) VALUES"
	         " (1, 'de', 'DE school', 'DE', 'vet'), (2, 'gb', 'GB school', 'GB', 'vet'),"
	         " (3, 'gr', 'GR school', 'GR', 'vet')");
	exec(db, "INSERT INTO course(id, ref, provider, status, mode, region, updated_at) VALUES"
	         " (1, 'C-DE', 1, 'approved', 'onsite', 'DE30', 'now'), (2, 'C-ONLINE', 1, 'approved', 'online', NULL, 'now'),"
	         " (3, 'C-UK', 2, 'approved', 'onsite', 'UKI3', 'now'), (4, 'C-DRAFT', 1, 'draft', 'online', NULL, 'now'),"
	         " (5, 'C-GR', 3, 'approved', 'blended', NULL, 'now'), (6, 'C-DE-ALL', 1, 'approved', 'onsite', 'DE', 'now')");
	static const struct { int course; const char *skill, *origin; } taught[] = {
		{ 1, "01", "accepted" }, { 1, "04", "accepted" }, { 1, "02", "proposed" }, { 1, "03", "rejected" },
		{ 2, "01", "accepted" }, { 3, "09", "accepted" }, { 4, "01", "accepted" }, { 4, "02", "accepted" },
		{ 5, "08", "accepted" }, { 6, "02", "accepted" },
	};
	for (size_t i = 0; i < sizeof taught / sizeof taught[0]; i++) {
		char sql[512];
		snprintf(sql, sizeof sql, "INSERT INTO course_skill(course, skill, origin) SELECT %d, id, '%s'"
		         " FROM concept WHERE uri = '" ESCO "skill/mini-s%s'", taught[i].course, taught[i].origin,
		         taught[i].skill);
		exec(db, sql);
	}
	exec(db, "INSERT INTO broader(concept, broader) SELECT a.id, b.id FROM concept a, concept b"
	         " WHERE a.uri = '" SKILL("08") "' AND b.uri = '" SKILL("07") "'");
	exec(db, "COMMIT");
}

static void add(sh_agg *agg, const char *country, const char *region, const char *s1, const char *s2)
{
	const char *skills[] = { s1, s2 };
	sh_agg_ad ad = { "2024-05", country, region, NULL, NULL, skills, s2 ? 2 : 1 };
	assert_int_equal(sh_agg_add_ad(agg, &ad), SH_OK);
}

/*
 * 10 ads:  DE/DE30: {s01 s02} {s01} {s02 s07} {s04};  DE/DE21: {s02};
 *          GB/UKI3: {s09 s07} {s09};  GR/EL30: {s07};  FR/FR10: {s01 s10} x 2.
 */
static void fill_ads(sh_agg *agg)
{
	add(agg, "DE", "DE30", SKILL("01"), SKILL("02"));
	add(agg, "DE", "DE30", SKILL("01"), NULL);
	add(agg, "DE", "DE30", SKILL("02"), SKILL("07"));
	add(agg, "DE", "DE30", SKILL("04"), NULL);
	add(agg, "DE", "DE21", SKILL("02"), NULL);
	add(agg, "GB", "UKI3", SKILL("09"), SKILL("07"));
	add(agg, "GB", "UKI3", SKILL("09"), NULL);
	add(agg, "GR", "EL30", SKILL("07"), NULL);
	add(agg, "FR", "FR10", SKILL("01"), SKILL("10"));
	add(agg, "FR", "FR10", SKILL("01"), SKILL("10"));
}

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fx->dir = test_tmpdir();
	fx->db = test_esco_mini_db(fx->dir);
	fill_catalogue(fx->db);
	assert_int_equal(sh_intel_open(&fx->intel, fx->db, "en"), SH_OK);
	assert_int_equal(sh_agg_new(&fx->agg), SH_OK);
	fill_ads(fx->agg);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	sh_agg_free(fx->agg);
	sh_intel_free(fx->intel);
	sh_db_close(fx->db);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

typedef struct expect {
	const char *skill;
	int64_t     ads, courses;
} expect;

/* s's skills are exactly want, in that order, with gap = share / (1 + courses). */
static void assert_supply(const sh_supply *s, int64_t total_ads, int64_t total_courses, const expect *want, size_t n)
{
	assert_int_equal(s->total_ads, total_ads);
	assert_int_equal(s->total_courses, total_courses);
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++) {
		const sh_skill_supply *k = &s->skills[i];
		if (strcmp(k->uri, want[i].skill))
			fail_msg("rank %zu: expected %s, got %s", i, want[i].skill, k->uri);
		assert_int_equal(k->ads, want[i].ads);
		assert_int_equal(k->courses, want[i].courses);
		double share = (double)want[i].ads / (double)total_ads;
		assert_float_equal(k->share, share, 1e-12);
		assert_float_equal(k->gap, share / (double)(1 + want[i].courses), 1e-12);
	}
}

static void supply_everywhere(void **state)
{
	fixture *fx = *state;
	sh_intel_filter none = { 0 };
	sh_supply s;
	/*
	 * 5 approved courses.  Gaps: s10 0.2/1 = .2; s02 0.3/2 = .15 (C-DE-ALL; the proposal and the draft do
	 * not count); s07 0.3/2 = .15 (C-GR teaches the narrower s08); s01 0.4/3 = .133 (C-DE, C-ONLINE);
	 * s09 0.2/2 = .1; s04 0.1/2 = .05.  s02 and s07 tie on gap and ads: URI order.
	 */
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &none, 0, &s), SH_OK);
	const expect all[] = { { SKILL("10"), 2, 0 }, { SKILL("02"), 3, 1 }, { SKILL("07"), 3, 1 },
	                       { SKILL("01"), 4, 2 }, { SKILL("09"), 2, 1 }, { SKILL("04"), 1, 1 } };
	assert_supply(&s, 10, 5, all, 6);
	assert_string_equal(s.skills[0].label, "food hygiene");
	sh_supply_free(&s);

	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &none, 2, &s), SH_OK);
	assert_supply(&s, 10, 5, all, 2);
	sh_supply_free(&s);

	/* A skill group keeps the skills under it (mini-gS: s04, s07, s09 among those asked); supply is unchanged. */
	sh_intel_filter group = { .skill_group = ESCO "skill/mini-gS" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &group, 0, &s), SH_OK);
	const expect grouped[] = { { SKILL("07"), 3, 1 }, { SKILL("09"), 2, 1 }, { SKILL("04"), 1, 1 } };
	assert_supply(&s, 10, 5, grouped, 3);
	sh_supply_free(&s);
}

static void supply_by_country(void **state)
{
	fixture *fx = *state;
	sh_supply s;
	/* DE: 5 ads; C-DE, C-ONLINE, C-DE-ALL.  s02 0.6/2 = .3, s07 0.2/1, s01 0.4/3, s04 0.2/2. */
	sh_intel_filter de = { .country = "DE" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &de, 0, &s), SH_OK);
	const expect want_de[] = { { SKILL("02"), 3, 1 }, { SKILL("07"), 1, 0 }, { SKILL("01"), 2, 2 },
	                           { SKILL("04"), 1, 1 } };
	assert_supply(&s, 5, 3, want_de, 4);
	sh_supply_free(&s);

	/* GR: the provider's country GR is NUTS EL; the course teaches s08, narrower than s07. */
	sh_intel_filter gr = { .country = "GR" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &gr, 0, &s), SH_OK);
	const expect want_gr[] = { { SKILL("07"), 1, 1 } };
	assert_supply(&s, 1, 2, want_gr, 1);
	sh_supply_free(&s);

	/* GB: NUTS UKI3 is in GB; the online course counts too but teaches neither skill.  s09 1/2 and
	 * s07 .5/1 tie: more ads first. */
	sh_intel_filter gb = { .country = "GB" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &gb, 0, &s), SH_OK);
	const expect want_gb[] = { { SKILL("09"), 2, 1 }, { SKILL("07"), 1, 0 } };
	assert_supply(&s, 2, 2, want_gb, 2);
	sh_supply_free(&s);
}

static void supply_by_region(void **state)
{
	fixture *fx = *state;
	sh_supply s;
	/* DE21: the course for the whole of DE (a prefix) and the online one; not C-DE (DE30). */
	sh_intel_filter de21 = { .region = "DE21" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &de21, 0, &s), SH_OK);
	const expect want_de21[] = { { SKILL("02"), 1, 1 } };
	assert_supply(&s, 1, 2, want_de21, 1);
	sh_supply_free(&s);

	/* DE30: C-DE, C-DE-ALL, C-ONLINE.  s02 .5/2 and s07 .25/1 tie: more ads first; s01 .5/3; s04 .25/2. */
	sh_intel_filter de30 = { .region = "DE30" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &de30, 0, &s), SH_OK);
	const expect want_de30[] = { { SKILL("02"), 2, 1 }, { SKILL("07"), 1, 0 }, { SKILL("01"), 2, 2 },
	                             { SKILL("04"), 1, 1 } };
	assert_supply(&s, 4, 3, want_de30, 4);
	sh_supply_free(&s);

	/* A region that is no NUTS code (a town): no ad has it, and only the online course is offered. */
	sh_intel_filter town = { .region = "Berlin" };
	assert_int_equal(sh_intel_supply(fx->intel, fx->agg, fx->db, &town, 0, &s), SH_OK);
	assert_supply(&s, 0, 1, NULL, 0);
	sh_supply_free(&s);
}

static void supply_by_area_table(void **state)
{
	fixture *fx = *state;
	const char *skills[] = { SKILL("02"), SKILL("07") };
	sh_intel_filter none = { 0 };
	sh_supply_areas a;
	assert_int_equal(sh_intel_supply_areas(fx->intel, fx->agg, fx->db, &none, skills, 2, 10, &a), SH_OK);
	/* Rows by ads, then code: DE 5, FR 2, GB 2, GR 1. */
	assert_int_equal(a.nrows, 4);
	assert_int_equal(a.ncols, 2);
	const char *rows[] = { "DE", "FR", "GB", "GR" };
	const int64_t row_ads[] = { 5, 2, 2, 1 };
	const int64_t ads[4][2] = { { 3, 1 }, { 0, 0 }, { 0, 1 }, { 0, 1 } };
	const int64_t courses[4][2] = { { 1, 0 }, { 0, 0 }, { 0, 0 }, { 0, 1 } };
	for (size_t r = 0; r < 4; r++) {
		assert_string_equal(a.country[r], rows[r]);
		assert_int_equal(a.row_ads[r], row_ads[r]);
		for (size_t c = 0; c < 2; c++) {
			assert_int_equal(a.ads[r * 2 + c], ads[r][c]);
			assert_int_equal(a.courses[r * 2 + c], courses[r][c]);
		}
	}
	assert_string_equal(a.label[0], "JavaScript");
	sh_supply_areas_free(&a);

	assert_int_equal(sh_intel_supply_areas(fx->intel, fx->agg, fx->db, &none, skills, 2, 1, &a), SH_OK);
	assert_int_equal(a.nrows, 1);
	assert_string_equal(a.country[0], "DE");
	sh_supply_areas_free(&a);
}

static void versus_chart_escapes_and_scales(void **state)
{
	(void)state;
	sh_buf b = SH_BUF_INIT;
	const char *labels[] = { "<b>x</b>", "y" };
	const double share[] = { 0.25, 0.5 };
	const int64_t courses[] = { 4, 0 };
	assert_int_equal(sh_svg_versus(&b, "T", labels, 2, share, courses), SH_OK);
	assert_null(strstr(b.data, "<b>"));
	assert_non_null(strstr(b.data, "&lt;b&gt;x&lt;/b&gt;: 25.0% of ads, 4 courses"));
	assert_non_null(strstr(b.data, "y: 50.0% of ads, 0 courses"));
	assert_non_null(strstr(b.data, "width=\"0.0\"")); /* no course: an empty bar */
	sh_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(supply_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(supply_by_country, setup, teardown),
		cmocka_unit_test_setup_teardown(supply_by_region, setup, teardown),
		cmocka_unit_test_setup_teardown(supply_by_area_table, setup, teardown),
		cmocka_unit_test(versus_chart_escapes_and_scales),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
