/*
 * tests/unit/test_search.c - ranking invariants of sh_search / sh_suggest over
 * the small taxonomy of index_fixture.h: exact label first, preferred over
 * alternative, tolerance of word order, inflection, accents and typos, the
 * kind filter, paging, and the same answers from concurrent threads.
 */
#include "testutil.h"

#include <pthread.h>
#include <string.h>

#include "index_fixture.h"
#include "skillhub/index.h"

static int setup(void **state)
{
	*state = fixture_new();
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

#define MAXHITS 32

typedef struct result {
	sh_search_hit hit[MAXHITS];
	size_t        n;
} result;

static result search_kinds(const sh_index *idx, const char *q, const char *lang, unsigned kinds)
{
	result r;
	sh_search_opts o = { kinds, lang, 0 };
	assert_int_equal(sh_search(idx, q, &o, r.hit, MAXHITS, &r.n), SH_OK);
	/* invariants of every answer: scores descending within (0, 1], one hit per concept */
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.hit[i].score > 0 && r.hit[i].score <= 1.0f);
		assert_non_null(r.hit[i].matched_label);
		for (size_t j = 0; j < i; j++) {
			assert_true(r.hit[j].score >= r.hit[i].score);
			assert_int_not_equal(r.hit[j].concept, r.hit[i].concept);
		}
	}
	return r;
}

static result search(const sh_index *idx, const char *q)
{
	return search_kinds(idx, q, NULL, 0);
}

/* Asserts that the first hit is the concept whose URI ends with suffix. */
static void assert_first(const sh_index *idx, const result *r, const char *suffix, const char *query)
{
	if (r->n == 0)
		fail_msg("'%s': no hit, expected %s", query, suffix);
	const char *uri = sh_concept_uri(idx, r->hit[0].concept);
	size_t ul = strlen(uri), sl = strlen(suffix);
	if (ul < sl || strcmp(uri + ul - sl, suffix) != 0)
		fail_msg("'%s': first hit %s, expected %s", query, uri, suffix);
}

static void exact_label_ranks_first_with_score_one(void **state)
{
	fixture *f = *state;
	result r = search(f->idx, "software developer");
	assert_first(f->idx, &r, "developer-0001", "software developer");
	assert_true(r.hit[0].score == 1.0f);
	assert_string_equal(r.hit[0].matched_label, "software developer");
	assert_true(r.n >= 2 && r.hit[1].score < 1.0f); /* "develop software" is not exact */

	/* case and punctuation do not matter */
	r = search(f->idx, "  SOFTWARE, Developer! ");
	assert_first(f->idx, &r, "developer-0001", "SOFTWARE, Developer!");
	assert_true(r.hit[0].score == 1.0f);
}

static void preferred_label_beats_alternative_at_equal_match(void **state)
{
	fixture *f = *state;
	/* a skill's preferred label and an occupation's alternative label are both "computer programming" */
	result r = search(f->idx, "computer programming");
	assert_first(f->idx, &r, "programming-0001", "computer programming");
	assert_true(r.n >= 2);
	assert_string_equal(sh_concept_uri(f->idx, r.hit[1].concept), URI_OCC "teacher-0001");
	assert_string_equal(r.hit[1].matched_label, "computer programming");
	assert_true(r.hit[1].score < r.hit[0].score);
}

static void word_order_and_inflection_are_tolerated(void **state)
{
	fixture *f = *state;
	result r = search(f->idx, "developer software");
	assert_first(f->idx, &r, "developer-0001", "developer software");
	assert_true(r.hit[0].score < 1.0f);

	r = search(f->idx, "managing budgets");
	assert_first(f->idx, &r, "budgets-0001", "managing budgets");
	r = search(f->idx, "budget management");
	assert_first(f->idx, &r, "budgets-0001", "budget management");
	r = search(f->idx, "registered nurses");
	assert_first(f->idx, &r, "nurse-0001", "registered nurses");
	assert_string_equal(r.hit[0].matched_label, "registered nurse");
}

static void accents_are_folded(void **state)
{
	fixture *f = *state;
	result r = search(f->idx, "cafe worker");
	assert_first(f->idx, &r, "barista-0001", "cafe worker");
	assert_string_equal(r.hit[0].matched_label, "café worker");
	assert_true(r.hit[0].score > 0.9f); /* same normal form: an exact alternative label */

	r = search_kinds(f->idx, "infirmiere", "fr", 0);
	assert_first(f->idx, &r, "nurse-0001", "infirmiere");
	r = search_kinds(f->idx, "SOINS generaux", "fr", 0);
	assert_first(f->idx, &r, "nurse-0001", "SOINS generaux");
	/* French labels are not searched in English */
	r = search(f->idx, "infirmiere");
	assert_int_equal(r.n, 0);
}

static void typos_are_corrected_for_unknown_words(void **state)
{
	fixture *f = *state;
	result r = search(f->idx, "pyhton");
	assert_first(f->idx, &r, "python-0001", "pyhton");
	r = search(f->idx, "manage budgtes");
	assert_first(f->idx, &r, "budgets-0001", "manage budgtes");
	/* a hidden label (a known misspelling) is searched too */
	r = search(f->idx, "staff managment");
	assert_first(f->idx, &r, "staff-0001", "staff managment");
	assert_string_equal(r.hit[0].matched_label, "staff managment");
	/* nothing near */
	r = search(f->idx, "xylophone");
	assert_int_equal(r.n, 0);
}

static void kind_filter_selects_concepts(void **state)
{
	fixture *f = *state;
	result r = search_kinds(f->idx, "computer programming", NULL, SH_KIND_BIT(SH_KIND_OCCUPATION));
	assert_first(f->idx, &r, "teacher-0001", "computer programming (occupations)");
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(sh_concept_kind(f->idx, r.hit[i].concept), SH_KIND_OCCUPATION);

	/* the default is skills and occupations: groups only when asked for */
	r = search(f->idx, "programming languages");
	for (size_t i = 0; i < r.n; i++)
		assert_int_not_equal(sh_concept_kind(f->idx, r.hit[i].concept), SH_KIND_SKILL_GROUP);
	r = search_kinds(f->idx, "programming languages", NULL, SH_KIND_BIT(SH_KIND_SKILL_GROUP));
	assert_first(f->idx, &r, "group-0001", "programming languages (groups)");
	r = search_kinds(f->idx, "nursing professionals", NULL, SH_KIND_BIT(SH_KIND_ISCO_GROUP));
	assert_first(f->idx, &r, "isco/C2221", "nursing professionals (ISCO)");
}

static void paging_returns_the_next_hits(void **state)
{
	fixture *f = *state;
	result all = search(f->idx, "manage software nurse computer");
	assert_true(all.n >= 4);
	sh_search_opts o = { 0, NULL, 1 };
	sh_search_hit page[2];
	size_t n;
	assert_int_equal(sh_search(f->idx, "manage software nurse computer", &o, page, 2, &n), SH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(page[0].concept, all.hit[1].concept);
	assert_int_equal(page[1].concept, all.hit[2].concept);
	o.offset = all.n;
	assert_int_equal(sh_search(f->idx, "manage software nurse computer", &o, page, 2, &n), SH_OK);
	assert_int_equal(n, 0);
	o.offset = 0;
	assert_int_equal(sh_search(f->idx, "manage software nurse computer", &o, page, 0, &n), SH_OK);
	assert_int_equal(n, 0);
}

static void bad_queries_are_errors(void **state)
{
	fixture *f = *state;
	sh_search_hit hit;
	size_t n = 7;
	assert_int_equal(sh_search(f->idx, "", NULL, &hit, 1, &n), SH_EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(sh_search(f->idx, " ,;- ", NULL, &hit, 1, &n), SH_EINVAL);
	assert_int_equal(sh_search(f->idx, NULL, NULL, &hit, 1, &n), SH_EINVAL);
	sh_search_opts o = { 0, "de", 0 };
	assert_int_equal(sh_search(f->idx, "Pflege", &o, &hit, 1, &n), SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "'de'"));
}

static void suggest_completes_the_last_word(void **state)
{
	fixture *f = *state;
	sh_search_hit hits[8];
	size_t n;
	assert_int_equal(sh_suggest(f->idx, "pyth", NULL, hits, 8, &n), SH_OK);
	assert_true(n >= 1);
	assert_string_equal(sh_concept_uri(f->idx, hits[0].concept), URI_SKILL "python-0001");
	assert_int_equal(sh_suggest(f->idx, "develop softw", NULL, hits, 8, &n), SH_OK);
	assert_true(n >= 1);
	assert_string_equal(sh_concept_uri(f->idx, hits[0].concept), URI_SKILL "software-0001");
	/* the word being typed may already be longer than its stem */
	assert_int_equal(sh_suggest(f->idx, "manage budge", NULL, hits, 8, &n), SH_OK);
	assert_true(n >= 1);
	assert_string_equal(sh_concept_uri(f->idx, hits[0].concept), URI_SKILL "budgets-0001");
	/* search (not suggest) does not complete words */
	assert_int_equal(sh_search(f->idx, "pyth", NULL, hits, 8, &n), SH_OK);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(sh_concept_uri(f->idx, hits[i].concept), URI_SKILL "python-0001");
}

typedef struct thread_arg {
	const sh_index *idx;
	const result   *expected;
	int             ok;
} thread_arg;

static void *search_repeatedly(void *p)
{
	thread_arg *a = p;
	a->ok = 1;
	for (int k = 0; k < 200 && a->ok; k++) {
		sh_search_hit hit[MAXHITS];
		size_t n;
		if (sh_search(a->idx, "manage software nurse computer", NULL, hit, MAXHITS, &n) ||
		    n != a->expected->n)
			a->ok = 0;
		for (size_t i = 0; a->ok && i < n; i++)
			a->ok = hit[i].concept == a->expected->hit[i].concept &&
			        hit[i].score == a->expected->hit[i].score;
	}
	return NULL;
}

static void concurrent_searches_agree(void **state)
{
	fixture *f = *state;
	result expected = search(f->idx, "manage software nurse computer");
	pthread_t t[4];
	thread_arg a[4];
	for (int i = 0; i < 4; i++) {
		a[i] = (thread_arg){ f->idx, &expected, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, search_repeatedly, &a[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(a[i].ok);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_label_ranks_first_with_score_one),
		cmocka_unit_test(preferred_label_beats_alternative_at_equal_match),
		cmocka_unit_test(word_order_and_inflection_are_tolerated),
		cmocka_unit_test(accents_are_folded),
		cmocka_unit_test(typos_are_corrected_for_unknown_words),
		cmocka_unit_test(kind_filter_selects_concepts),
		cmocka_unit_test(paging_returns_the_next_hits),
		cmocka_unit_test(bad_queries_are_errors),
		cmocka_unit_test(suggest_completes_the_last_word),
		cmocka_unit_test(concurrent_searches_agree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
