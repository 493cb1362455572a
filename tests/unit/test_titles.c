/*
 * tests/unit/test_titles.c - title normalisation (titles.h) over a small
 * hand-made set of occupation labels compiled into a real index file: the
 * invariants of the scoring in docs/ranking.md ("Titles").  An exact
 * preferred label scores 1 and ranks first; words that no label knows
 * ("senior", "(m/f/d)", "full time") do not change the top hit; an occupation
 * whose labels share the title's word more often wins a tie between labels;
 * exact alternative labels shared by two occupations stay above every inexact
 * match and are ordered by the same evidence; English agent nouns are not
 * conflated with the activity by the stemmer.
 *
 * Concepts are numbered so that a plain tie would favour the wrong answer
 * (ties keep the lower concept id), so each test fails when the mechanism it
 * checks is removed.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/idxfile.h"
#include "match/titles.h"

enum { OC_GAME_DEV, OC_SOFTWARE_DEV, OC_LEAFLET, OC_MARKETER, OC_ENGINE, OC_NURSE, NCONCEPTS };

static const char *const langs[] = { "en" };

static const struct { int concept, kind; const char *text; } texts[] = {
	{ OC_GAME_DEV, SH_TEXT_PREFERRED, "game developer" },
	{ OC_SOFTWARE_DEV, SH_TEXT_PREFERRED, "software developer" },
	{ OC_SOFTWARE_DEV, SH_TEXT_ALTERNATIVE, "web developer" },
	{ OC_SOFTWARE_DEV, SH_TEXT_ALTERNATIVE, "application developer" },
	{ OC_LEAFLET, SH_TEXT_PREFERRED, "leaflet distributor" },
	{ OC_LEAFLET, SH_TEXT_ALTERNATIVE, "marketer" },
	{ OC_MARKETER, SH_TEXT_PREFERRED, "online marketer" },
	{ OC_MARKETER, SH_TEXT_ALTERNATIVE, "marketer" },
	{ OC_MARKETER, SH_TEXT_ALTERNATIVE, "digital marketer" },
	{ OC_ENGINE, SH_TEXT_PREFERRED, "engine development technician" },
	{ OC_NURSE, SH_TEXT_PREFERRED, "nurse" },
	{ OC_NURSE, SH_TEXT_HIDDEN, "nursing staff" },
};
#define NTEXTS (sizeof texts / sizeof texts[0])

typedef struct fixture {
	char              *dir;
	sh_idx_file        file;
	sh_titles_model    model;
	sh_titles_scratch *scratch;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	sh_buf pool = SH_BUF_INIT;
	sh_idx_text recs[NTEXTS];
	uint8_t kind[NCONCEPTS];
	float prior[NCONCEPTS];
	sh_buf_putc(&pool, '\0');
	for (size_t i = 0; i < NTEXTS; i++) {
		recs[i] = (sh_idx_text){ (uint32_t)texts[i].concept, (uint32_t)pool.len, (uint8_t)texts[i].kind, 0, 0 };
		sh_buf_append(&pool, texts[i].text, strlen(texts[i].text) + 1);
	}
	for (int c = 0; c < NCONCEPTS; c++) {
		kind[c] = SH_KIND_OCCUPATION;
		prior[c] = 0.5f;
	}
	sh_rank_source src = { recs, NTEXTS, pool.data, langs, 1, NCONCEPTS, kind, prior, NULL, NULL };
	sh_idx_writer w;
	sh_idxw_init(&w);
	f->dir = test_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/titles.idx", f->dir);
	assert_int_equal(sh_titles_build(&src, &w), SH_OK);
	assert_int_equal(sh_idxw_write(&w, path, 1), SH_OK);
	sh_idxw_free(&w);
	sh_buf_free(&pool);
	assert_int_equal(sh_idxf_open(&f->file, path), SH_OK);
	assert_int_equal(sh_titles_open(&f->model, &f->file), SH_OK);
	assert_int_equal(sh_titles_scratch_new(&f->scratch, &f->model), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_titles_scratch_free(f->scratch);
	sh_idxf_close(&f->file);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static size_t titles(fixture *f, const char *title, const sh_title_hit **hits)
{
	size_t n;
	assert_int_equal(sh_titles_run(&f->model, f->scratch, title, strlen(title), "en", 10, hits, &n), SH_OK);
	for (size_t i = 0; i < n; i++) {
		assert_true(hits[0][i].score >= 0 && hits[0][i].score <= 1);
		if (i > 0)
			assert_true(hits[0][i - 1].score >= hits[0][i].score);
	}
	return n;
}

/* The rank of concept c in hits, or n when absent. */
static size_t rank_of(const sh_title_hit *h, size_t n, uint32_t c)
{
	size_t i = 0;
	while (i < n && h[i].concept != c)
		i++;
	return i;
}

static void exact_preferred_label_scores_one_and_ranks_first(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	size_t n = titles(f, "Software Developers", &h);
	assert_true(n >= 2);
	assert_int_equal(h[0].concept, OC_SOFTWARE_DEV);
	assert_true(h[0].score == 1.0f);
	assert_true(h[1].score < 1.0f);
	n = titles(f, "GAME DEVELOPER", &h);
	assert_true(n >= 2);
	assert_int_equal(h[0].concept, OC_GAME_DEV);
	assert_true(h[0].score == 1.0f);
}

static void unknown_noise_words_keep_the_top_hit(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	static const char *const noisy[] = {
		"Senior Game Developer (m/f/d) - full time",
		"game developer, Vienna",
		"Junior game developer @ Acme (12 months contract)",
	};
	for (size_t i = 0; i < sizeof noisy / sizeof *noisy; i++) {
		assert_true(titles(f, noisy[i], &h) >= 1);
		assert_int_equal(h[0].concept, OC_GAME_DEV);
		assert_true(h[0].score < 1.0f); /* not equal to the label any more */
	}
}

static void occupation_owning_the_word_wins_a_tie_of_labels(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	/* "frontend" is unknown: "game developer" and "web developer" match alike; OC_SOFTWARE_DEV has three "developer" labels */
	size_t n = titles(f, "frontend developer", &h);
	assert_true(n >= 2);
	assert_int_equal(h[0].concept, OC_SOFTWARE_DEV);
	assert_true(rank_of(h, n, OC_GAME_DEV) < n);
	assert_true(h[0].score > h[rank_of(h, n, OC_GAME_DEV)].score);
}

static void shared_exact_alternative_labels_stay_above_inexact_matches(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	size_t n = titles(f, "Marketer", &h);
	assert_true(n >= 2);
	/* both have the alternative label "marketer"; OC_MARKETER's labels say "marketer" three times */
	assert_int_equal(h[0].concept, OC_MARKETER);
	assert_int_equal(h[1].concept, OC_LEAFLET);
	assert_true(h[0].score > h[1].score);
	assert_true(h[1].score > 0.96f && h[0].score <= 0.99f);
	/* an inexact match scores below both */
	n = titles(f, "marketer online digital", &h);
	assert_true(n >= 1);
	assert_true(h[0].score < 0.96f);
}

static void agent_nouns_are_not_conflated_with_the_activity(void **state)
{
	fixture *f = *state;
	sh_rank_text t = { 0 };
	char a[64], b[64];
	size_t la, lb;
	assert_int_equal(sh_rank_text_analyze(&t, "en", "developers development", 22), SH_OK);
	assert_int_equal(t.nwords, 2);
	la = sh_titles_term_key(a, sizeof a, &t, 0);
	lb = sh_titles_term_key(b, sizeof b, &t, 1);
	assert_true(la > 0 && lb > 0);
	assert_false(la == lb && memcmp(a, b, la) == 0);
	assert_int_equal(sh_rank_text_analyze(&t, "en", "developer nursing nurses", 24), SH_OK);
	lb = sh_titles_term_key(b, sizeof b, &t, 0);
	assert_true(la == lb && memcmp(a, b, la) == 0); /* plural folded */
	la = sh_titles_term_key(a, sizeof a, &t, 1);
	lb = sh_titles_term_key(b, sizeof b, &t, 2);
	assert_true(la == lb && memcmp(a, b, la) == 0); /* other words are stemmed as before */
	sh_rank_text_free(&t);
	/* so "developer" does not pull "engine development technician" up */
	const sh_title_hit *h;
	size_t n = titles(f, "developer", &h);
	assert_true(n >= 2);
	assert_true(rank_of(h, n, OC_ENGINE) >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_preferred_label_scores_one_and_ranks_first),
		cmocka_unit_test(unknown_noise_words_keep_the_top_hit),
		cmocka_unit_test(occupation_owning_the_word_wins_a_tie_of_labels),
		cmocka_unit_test(shared_exact_alternative_labels_stay_above_inexact_matches),
		cmocka_unit_test(agent_nouns_are_not_conflated_with_the_activity),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
