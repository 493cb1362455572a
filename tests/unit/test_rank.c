/*
 * tests/unit/test_rank.c - skill ranking (rank_model.h) and title
 * normalisation (titles.h) over a small hand-made taxonomy compiled into a
 * real index file: ranking invariants, spans of the given literals, K, empty
 * text, literal-only queries scoring like full ones; exact titles, gender
 * forms, accents, distinct occupations.  (Where labels occur is the
 * matcher's job: tests/unit/test_extract.c.)
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/idxfile.h"
#include "match/rank_model.h"
#include "match/titles.h"

enum { SK_PM, SK_JAVA, SK_STAFF, SK_SQL, OC_DEV, OC_SELLER, OC_SALES_FR, OC_NURSE, NCONCEPTS };

/* langs are sorted as the index builder sorts them */
static const char *const langs[] = { "de", "en", "fr" };
enum { DE, EN, FR };

static const struct { int concept, lang, kind; const char *text; } texts[] = {
	{ SK_PM, EN, SH_TEXT_PREFERRED, "project management" },
	{ SK_PM, EN, SH_TEXT_ALTERNATIVE, "manage projects" },
	{ SK_PM, EN, SH_TEXT_DESCRIPTION, "Plan and manage projects, budgets and resources." },
	{ SK_JAVA, EN, SH_TEXT_PREFERRED, "Java (computer programming)" },
	{ SK_JAVA, EN, SH_TEXT_ALTERNATIVE, "Java" },
	{ SK_STAFF, EN, SH_TEXT_PREFERRED, "manage staff" },
	{ SK_STAFF, EN, SH_TEXT_DESCRIPTION, "Supervise and schedule the staff of a team." },
	{ SK_SQL, EN, SH_TEXT_PREFERRED, "SQL" },
	{ OC_DEV, DE, SH_TEXT_PREFERRED, "Softwareentwickler/Softwareentwicklerin" },
	{ OC_DEV, EN, SH_TEXT_PREFERRED, "software developer" },
	{ OC_DEV, EN, SH_TEXT_ALTERNATIVE, "programmer" },
	{ OC_SELLER, DE, SH_TEXT_PREFERRED, "Verkäufer/Verkäuferin" },
	{ OC_SELLER, EN, SH_TEXT_PREFERRED, "shop assistant" },
	{ OC_SALES_FR, EN, SH_TEXT_PREFERRED, "salesperson" },
	{ OC_SALES_FR, FR, SH_TEXT_PREFERRED, "vendeur/vendeuse" },
	{ OC_NURSE, DE, SH_TEXT_PREFERRED, "Krankenpfleger/Krankenpflegerin" },
	{ OC_NURSE, EN, SH_TEXT_PREFERRED, "nurse" },
	{ OC_NURSE, EN, SH_TEXT_ALTERNATIVE, "software nurse assistant" },
};
#define NTEXTS (sizeof texts / sizeof texts[0])

typedef struct fixture {
	char           *dir;
	sh_idx_file     file;
	sh_rank_model   rank;
	sh_titles_model titles;
	sh_rank_scratch *rs;
	sh_titles_scratch *ts;
	sh_tokens        toks;
	uint32_t         terms[64];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	sh_buf pool = SH_BUF_INIT;
	sh_idx_text recs[NTEXTS];
	uint8_t kind[NCONCEPTS];
	float prior[NCONCEPTS];
	sh_buf_putc(&pool, '\0');
	for (size_t i = 0; i < NTEXTS; i++) {
		recs[i] = (sh_idx_text){ (uint32_t)texts[i].concept, (uint32_t)pool.len, (uint8_t)texts[i].kind,
		                         (uint8_t)texts[i].lang, 0 };
		sh_buf_append(&pool, texts[i].text, strlen(texts[i].text) + 1);
	}
	for (int c = 0; c < NCONCEPTS; c++) {
		kind[c] = c < OC_DEV ? SH_KIND_SKILL : SH_KIND_OCCUPATION;
		prior[c] = 0.5f;
	}
	sh_rank_source src = { recs, NTEXTS, pool.data, langs, 3, NCONCEPTS, kind, prior, NULL, NULL };
	sh_idx_writer w;
	sh_idxw_init(&w);
	f->dir = test_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/test.idx", f->dir);
	assert_int_equal(sh_rank_build(&src, &w), SH_OK);
	assert_int_equal(sh_titles_build(&src, &w), SH_OK);
	assert_int_equal(sh_idxw_write(&w, path, 1), SH_OK);
	sh_idxw_free(&w);
	sh_buf_free(&pool);
	assert_int_equal(sh_idxf_open(&f->file, path), SH_OK);
	assert_int_equal(sh_rank_open(&f->rank, &f->file), SH_OK);
	assert_int_equal(sh_titles_open(&f->titles, &f->file), SH_OK);
	assert_int_equal(sh_rank_scratch_new(&f->rs, &f->rank), SH_OK);
	assert_int_equal(sh_titles_scratch_new(&f->ts, &f->titles), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_rank_scratch_free(f->rs);
	sh_titles_scratch_free(f->ts);
	sh_tokens_free(&f->toks);
	sh_idxf_close(&f->file);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Ranks text with the given literal occurrences (as the matcher would report them). */
static size_t rank_literals(fixture *f, const char *text, size_t top, int literal_only, const sh_rank_literal *lits,
                            size_t nlits, const sh_rank_hit **hits, const sh_rank_span **spans)
{
	sh_rank_query q = { "en", SH_KIND_BIT(SH_KIND_SKILL), top, 0, literal_only, lits, nlits };
	size_t n;
	assert_int_equal(sh_tokenize(text, strlen(text), 0, &f->toks), SH_OK);
	assert_true(f->toks.n <= 64);
	for (size_t i = 0; i < f->toks.n; i++)
		assert_int_equal(sh_rank_token_term(&f->rank, f->rs, "en", &f->toks, i, &f->terms[i]), SH_OK);
	assert_int_equal(sh_rank_run(&f->rank, f->rs, f->terms, f->toks.n, &q, hits, &n, spans), SH_OK);
	return n;
}

static size_t rank(fixture *f, const char *text, size_t top, const sh_rank_hit **hits, const sh_rank_span **spans)
{
	return rank_literals(f, text, top, 0, NULL, 0, hits, spans);
}

static void exact_preferred_label_ranks_first(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	const char *text = "We need strong project management skills.";
	size_t n = rank(f, text, 10, &h, &sp);
	assert_true(n >= 1);
	assert_int_equal(h[0].concept, SK_PM);
	assert_int_equal(h[0].nspans, 0); /* no literal given */
}

static void literals_give_spans_and_the_literal_bonus(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	const char *text = "SQL, project management and more SQL";
	size_t n = rank(f, text, 10, &h, &sp);
	float plain = -1;
	for (size_t i = 0; i < n; i++)
		if (h[i].concept == SK_SQL)
			plain = h[i].score;
	assert_true(plain > 0);
	/* given out of order and twice: spans come back sorted and distinct */
	const sh_rank_literal lits[] = { { SK_SQL, 33, 36, 1 }, { SK_PM, 5, 23, 1 }, { SK_SQL, 0, 3, 1 }, { SK_SQL, 33, 36, 1 } };
	n = rank_literals(f, text, 10, 0, lits, 4, &h, &sp);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (h[i].concept != SK_SQL)
			continue;
		seen = 1;
		assert_true(h[i].score > plain); /* the literal term of the score */
		assert_int_equal(h[i].nspans, 2);
		assert_int_equal(sp[h[i].span].start, 0);
		assert_int_equal(sp[h[i].span].end, 3);
		assert_int_equal(sp[h[i].span + 1].start, 33);
	}
	assert_true(seen);
	/* a looser occurrence (a matcher variant): the span, not the bonus */
	const sh_rank_literal loose = { SK_SQL, 0, 3, 0 };
	n = rank_literals(f, text, 10, 0, &loose, 1, &h, &sp);
	for (size_t i = 0; i < n; i++)
		if (h[i].concept == SK_SQL) {
			assert_true(h[i].score > plain - 1e-6f && h[i].score < plain + 1e-6f);
			assert_int_equal(h[i].nspans, 1);
		}
}

static void literal_only_scores_the_literals_as_a_full_query_does(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	const char *text = "manage staff and projects with SQL and Java every day";
	const sh_rank_literal lits[] = { { SK_STAFF, 0, 12, 1 }, { SK_SQL, 31, 34, 0 }, { SK_JAVA, 39, 43, 1 } };
	size_t n = rank_literals(f, text, 0, 0, lits, 3, &h, &sp);
	float full[NCONCEPTS] = { 0 };
	for (size_t i = 0; i < n; i++)
		full[h[i].concept] = h[i].score;
	n = rank_literals(f, text, 0, 1, lits, 3, &h, &sp);
	assert_int_equal(n, 3); /* SK_PM is a candidate of the full query, not a literal */
	for (size_t i = 0; i < n; i++) {
		assert_true(h[i].concept == SK_STAFF || h[i].concept == SK_SQL || h[i].concept == SK_JAVA);
		assert_true(h[i].nspans == 1);
		assert_true(full[h[i].concept] > 0);
		assert_true(h[i].score > full[h[i].concept] - 1e-5f && h[i].score < full[h[i].concept] + 1e-5f);
	}
	/* nothing found literally: nothing listed */
	assert_int_equal(rank_literals(f, text, 0, 1, NULL, 0, &h, &sp), 0);
}

static void unrelated_words_keep_the_top_hit(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	assert_true(rank(f, "Java", 10, &h, &sp) >= 1);
	assert_int_equal(h[0].concept, SK_JAVA);
	assert_true(rank(f, "the weather in Vienna is fine, Java and a nice breakfast", 10, &h, &sp) >= 1);
	assert_int_equal(h[0].concept, SK_JAVA);
}

static void reordered_and_inflected_words_still_rank(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	size_t n = rank(f, "managing the projects of the company", 10, &h, &sp);
	assert_true(n >= 1);
	assert_int_equal(h[0].concept, SK_PM);
	/* "management of projects": no label occurs literally, the skill still comes first */
	n = rank(f, "management of projects", 10, &h, &sp);
	assert_true(n >= 1);
	assert_int_equal(h[0].concept, SK_PM);
	assert_int_equal(h[0].nspans, 0);
}

static void scores_are_sorted_in_range_and_k_is_respected(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	size_t n = rank(f, "manage staff and projects with SQL and Java", 10, &h, &sp);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) {
		assert_true(h[i].score >= 0 && h[i].score <= 1);
		if (i > 0)
			assert_true(h[i - 1].score >= h[i].score);
	}
	assert_int_equal(rank(f, "manage staff and projects with SQL and Java", 2, &h, &sp), 2);
}

static void empty_text_gives_no_hits(void **state)
{
	fixture *f = *state;
	const sh_rank_hit *h;
	const sh_rank_span *sp;
	assert_int_equal(rank(f, "", 10, &h, &sp), 0);
	assert_int_equal(rank(f, "   ,;  ", 10, &h, &sp), 0);
	assert_int_equal(rank(f, "zzyzx qwv", 10, &h, &sp), 0);
}

static size_t titles(fixture *f, const char *title, const char *lang, const sh_title_hit **hits)
{
	size_t n;
	assert_int_equal(sh_titles_run(&f->titles, f->ts, title, strlen(title), lang, 10, hits, &n), SH_OK);
	return n;
}

static void exact_title_scores_one_and_ranks_first(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	assert_true(titles(f, "Software Developer", "en", &h) >= 1);
	assert_int_equal(h[0].concept, OC_DEV);
	assert_true(h[0].score == 1.0f);
	/* inflection and case: still the exact form */
	assert_true(titles(f, "software developers", "en", &h) >= 1);
	assert_int_equal(h[0].concept, OC_DEV);
	assert_true(h[0].score == 1.0f);
}

static void gender_forms_and_accents_are_ignored(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	assert_true(titles(f, "Verkäufer/in (m/w/d)", "de", &h) >= 1);
	assert_int_equal(h[0].concept, OC_SELLER);
	assert_true(titles(f, "VERKAUFERIN", "de", &h) >= 1);
	assert_int_equal(h[0].concept, OC_SELLER);
	assert_true(titles(f, "Krankenpfleger:innen", "de", &h) >= 1);
	assert_int_equal(h[0].concept, OC_NURSE);
	assert_true(titles(f, "Vendeuse (h/f/x)", "fr", &h) >= 1);
	assert_int_equal(h[0].concept, OC_SALES_FR);
}

static void titles_list_distinct_occupations_of_the_language(void **state)
{
	fixture *f = *state;
	const sh_title_hit *h;
	/* OC_NURSE has two labels sharing words with the title: it is listed once */
	size_t n = titles(f, "software nurse developer", "en", &h);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_int_not_equal(h[i].concept, h[j].concept);
	/* a German title meets only German labels: the English "nurse" is not found */
	assert_int_equal(titles(f, "nurse", "de", &h), 0);
	assert_int_equal(titles(f, "", "en", &h), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_preferred_label_ranks_first),
		cmocka_unit_test(literals_give_spans_and_the_literal_bonus),
		cmocka_unit_test(literal_only_scores_the_literals_as_a_full_query_does),
		cmocka_unit_test(unrelated_words_keep_the_top_hit),
		cmocka_unit_test(reordered_and_inflected_words_still_rank),
		cmocka_unit_test(scores_are_sorted_in_range_and_k_is_respected),
		cmocka_unit_test(empty_text_gives_no_hits),
		cmocka_unit_test(exact_title_scores_one_and_ranks_first),
		cmocka_unit_test(gender_forms_and_accents_are_ignored),
		cmocka_unit_test(titles_list_distinct_occupations_of_the_language),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
