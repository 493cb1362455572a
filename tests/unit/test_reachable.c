/*
 * tests/unit/test_reachable.c - "where can I go" from a profile
 * (pathways/reachable.c) on the small taxonomy of index_fixture.h:
 * developer needs python (essential) and budgets (optional); nurse needs
 * nursing care (essential) and manage staff (optional); barista and teacher
 * list no skill.  Python and computer programming are narrower than the
 * skill group "programming languages".
 */
#include "testutil.h"

#include "index_fixture.h"
#include "skillhub/pathways.h"

static sh_cid cid(fixture *f, const char *uri)
{
	sh_cid c;
	assert_int_equal(sh_index_lookup(f->idx, uri, &c), SH_OK);
	return c;
}

/* The ranking of a profile of (uri, level) pairs, checked against sh_gap_compute. */
static size_t reach(fixture *f, sh_pathways *pw, const char *const *uris, const float *levels, size_t n,
                    sh_reach *out)
{
	sh_profile *p;
	size_t got;
	assert_int_equal(sh_profile_new(&p), SH_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sh_profile_add(p, cid(f, uris[i]), levels[i], SH_SOURCE_DECLARED), SH_OK);
	assert_int_equal(sh_profile_reachable(pw, p, NULL, out, 10, &got), SH_OK);
	for (size_t i = 0; i < got; i++) {
		sh_gap *g;
		assert_int_equal(sh_gap_compute(pw, p, out[i].occupation, NULL, &g), SH_OK);
		assert_float_equal(out[i].readiness, g->readiness, 1e-12);
		assert_true(out[i].readiness > 0);
		sh_gap_free(g);
	}
	sh_profile_free(p);
	return got;
}

static void ranks_by_readiness(void **state)
{
	(void)state;
	fixture *f = fixture_new();
	sh_pathways *pw;
	sh_reach r[10];
	assert_int_equal(sh_pathways_new(&pw, f->idx), SH_OK);
	sh_cid developer = cid(f, URI_OCC "developer-0001"), nurse = cid(f, URI_OCC "nurse-0001");

	static const char *const python[] = { URI_SKILL "python-0001" };
	assert_int_equal(reach(f, pw, python, (const float[]){ 1.0f }, 1, r), 1);
	assert_int_equal(r[0].occupation, developer);
	assert_float_equal(r[0].readiness, 1.0, 1e-12);
	assert_int_equal(r[0].missing, 0);

	static const char *const both[] = { URI_SKILL "python-0001", URI_SKILL "nursing-0001" };
	assert_int_equal(reach(f, pw, both, (const float[]){ 0.25f, 0.5f }, 2, r), 2);
	assert_int_equal(r[0].occupation, nurse);     /* 0.5 before 0.25 */
	assert_int_equal(r[1].occupation, developer);
	assert_int_equal(r[0].missing, 1);

	/* An optional skill alone gives no readiness: nothing to go to. */
	static const char *const staff[] = { URI_SKILL "staff-0001" };
	assert_int_equal(reach(f, pw, staff, (const float[]){ 1.0f }, 1, r), 0);

	/* Holding the broader group gives no credit for the narrow python (docs/pathways.md). */
	static const char *const group[] = { URI_SKILL "group-0001" };
	assert_int_equal(reach(f, pw, group, (const float[]){ 1.0f }, 1, r), 0);

	/* max bounds the answer. */
	sh_profile *p;
	size_t n;
	assert_int_equal(sh_profile_new(&p), SH_OK);
	assert_int_equal(sh_profile_add(p, cid(f, both[0]), 1.0f, SH_SOURCE_DECLARED), SH_OK);
	assert_int_equal(sh_profile_add(p, cid(f, both[1]), 1.0f, SH_SOURCE_DECLARED), SH_OK);
	assert_int_equal(sh_profile_reachable(pw, p, NULL, r, 1, &n), SH_OK);
	assert_int_equal(n, 1);
	sh_profile_free(p);
	sh_pathways_free(pw);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranks_by_readiness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
