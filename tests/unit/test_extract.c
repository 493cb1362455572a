/*
 * tests/unit/test_extract.c - sh_extract() (skillhub/extract.h) over a small
 * taxonomy written with SQL and compiled into a real index: the skills and
 * spans it reports are the label matcher's (whole words, longest match,
 * inflection, word-order and derivation variants, which never hide an exact
 * label inside them, ambiguity resolved on context), the default lists only
 * skills found in the text, --top K lists
 * K candidates, and a skill scores the same either way.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/extract.h"
#include "store/db.h"

static const char taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind) VALUES"
	" (1, 'http://x/skill/java', 'skill'), (2, 'http://x/skill/javascript', 'skill'),"
	" (3, 'http://x/skill/maintain-vehicles', 'skill'), (4, 'http://x/skill/maintain-equipment', 'skill'),"
	" (5, 'http://x/skill/pm', 'skill'), (6, 'http://x/skill/pm-software', 'skill'),"
	" (7, 'http://x/skill/python-code', 'skill'), (8, 'http://x/skill/python-snake', 'skill'),"
	" (9, 'http://x/skill/customer-service', 'skill'), (10, 'http://x/occupation/nurse', 'occupation'),"
	" (11, 'http://x/occupation/developer', 'occupation'), (12, 'http://x/skill/english', 'skill'),"
	" (13, 'http://x/skill/speak-english', 'skill'), (14, 'http://x/skill/innovate', 'skill');"
	"INSERT INTO label(concept, lang, kind, text) VALUES"
	" (1, 'en', 'preferred', 'Java (computer programming)'),"
	" (2, 'en', 'preferred', 'JavaScript'),"
	" (3, 'en', 'preferred', 'maintain vehicles'),"
	" (3, 'en', 'alternative', 'vehicle maintenance'),"
	" (4, 'en', 'preferred', 'maintain equipment'),"
	" (5, 'en', 'preferred', 'project management'),"
	" (6, 'en', 'preferred', 'project management software'),"
	" (7, 'en', 'preferred', 'Python (computer programming)'),"
	" (8, 'en', 'preferred', 'python (snake handling)'),"
	" (9, 'en', 'preferred', 'customer service'),"
	" (10, 'en', 'preferred', 'nurse'),"
	" (11, 'en', 'preferred', 'software developer'),"
	" (12, 'en', 'preferred', 'English'), (13, 'en', 'preferred', 'interact verbally in English'),"
	" (14, 'en', 'preferred', 'think innovately'), (14, 'en', 'hidden', 'innovation');"
	"INSERT INTO occupation_skill(occupation, skill, relation) VALUES"
	" (11, 7, 'essential'), (11, 1, 'essential');";

typedef struct fixture {
	char         *dir;
	sh_index     *idx;
	sh_extractor *x;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = test_tmpdir();
	char db_path[4096], idx_path[4096];
	snprintf(db_path, sizeof db_path, "%s/t.db", f->dir);
	snprintf(idx_path, sizeof idx_path, "%s/t.db.idx", f->dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, db_path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_exec(db, taxonomy_sql), SH_OK);
	assert_int_equal(sh_index_build(db, idx_path), SH_OK);
	sh_db_close(db);
	assert_int_equal(sh_index_open(&f->idx, idx_path), SH_OK);
	assert_int_equal(sh_extractor_new(&f->x, f->idx), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_extractor_free(f->x);
	sh_index_close(f->idx);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static sh_cid cid_of(const fixture *f, const char *uri_tail)
{
	char uri[128];
	snprintf(uri, sizeof uri, "http://x/%s", uri_tail);
	sh_cid c;
	assert_int_equal(sh_index_lookup(f->idx, uri, &c), SH_OK);
	return c;
}

static sh_extraction extract(fixture *f, const char *text, size_t top)
{
	sh_extract_opts o = { "en", top, 0 };
	sh_extraction ex;
	assert_int_equal(sh_extract(f->x, text, strlen(text), &o, &ex), SH_OK);
	return ex;
}

/* The hit of skill uri_tail, or NULL. */
static const sh_skill_hit *skill(const fixture *f, const sh_extraction *ex, const char *uri_tail)
{
	sh_cid c = cid_of(f, uri_tail);
	for (size_t i = 0; i < ex->nskills; i++)
		if (ex->skills[i].concept == c)
			return &ex->skills[i];
	return NULL;
}

/* The hit has exactly these spans (NULL-terminated), in text order. */
static void assert_spans(const char *text, const sh_skill_hit *h, const char *const *expected)
{
	assert_non_null(h);
	size_t n = 0;
	for (; expected[n]; n++) {
		assert_true(n < h->nspans);
		assert_int_equal(h->spans[n].end - h->spans[n].start, strlen(expected[n]));
		assert_memory_equal(text + h->spans[n].start, expected[n], strlen(expected[n]));
	}
	assert_int_equal(h->nspans, n);
}

static void spans_are_whole_words(void **state)
{
	fixture *f = *state;
	const char *text = "JavaScript developers welcome; Java is a plus. More java!";
	sh_extraction ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/java"), (const char *const[]){ "Java", "java", NULL });
	assert_spans(text, skill(f, &ex, "skill/javascript"), (const char *const[]){ "JavaScript", NULL });
	/* "javascript" contains "java" but is another word */
	text = "javascript only";
	ex = extract(f, text, 0);
	assert_null(skill(f, &ex, "skill/java"));
	assert_non_null(skill(f, &ex, "skill/javascript"));
}

static void the_longest_label_wins(void **state)
{
	fixture *f = *state;
	const char *text = "Experience with project management software; project management is key.";
	sh_extraction ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/pm-software"),
	             (const char *const[]){ "project management software", NULL });
	/* the shorter label inside the longer one is not an occurrence; the one alone is */
	assert_spans(text, skill(f, &ex, "skill/pm"), (const char *const[]){ "project management", NULL });
	text = "Project management software.";
	ex = extract(f, text, 0);
	assert_null(skill(f, &ex, "skill/pm"));
	assert_int_equal(ex.nskills, 1);
}

static void inflection_and_variants_give_spans(void **state)
{
	fixture *f = *state;
	const char *text = "You will be MAINTAINING Vehicles.";
	sh_extraction ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/maintain-vehicles"),
	             (const char *const[]){ "MAINTAINING Vehicles", NULL });
	/* word order, and a derivation learnt from ESCO's own labels */
	text = "Excellent service to our customers. Equipment maintenance.";
	ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/customer-service"),
	             (const char *const[]){ "service to our customers", NULL });
	assert_spans(text, skill(f, &ex, "skill/maintain-equipment"),
	             (const char *const[]){ "Equipment maintenance", NULL });
}

static void variants_do_not_hide_labels_inside_them(void **state)
{
	fixture *f = *state;
	const char *text = "You interact verbally in good English.";
	sh_extraction ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/speak-english"),
	             (const char *const[]){ "interact verbally in good English", NULL });
	assert_spans(text, skill(f, &ex, "skill/english"), (const char *const[]){ "English", NULL });
}

static void one_word_labels_need_the_word_unless_ranking(void **state)
{
	fixture *f = *state;
	/* "innovation" and "innovative" share a stem, not a word: no occurrence by default ... */
	const char *text = "An innovative team.";
	sh_extraction ex = extract(f, text, 0);
	assert_null(skill(f, &ex, "skill/innovate"));
	/* ... but a reading worth ranking among K candidates */
	ex = extract(f, text, 3);
	assert_spans(text, skill(f, &ex, "skill/innovate"), (const char *const[]){ "innovative", NULL });
	text = "Innovation matters.";
	ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/innovate"), (const char *const[]){ "Innovation", NULL });
}

static void ambiguity_is_resolved_as_the_matcher_does(void **state)
{
	fixture *f = *state;
	const char *text = "Software developer: Java and Python.";
	sh_extraction ex = extract(f, text, 0);
	assert_spans(text, skill(f, &ex, "skill/python-code"), (const char *const[]){ "Python", NULL });
	assert_null(skill(f, &ex, "skill/python-snake"));
	assert_int_equal(ex.noccupations, 1);
	assert_int_equal(ex.occupations[0].concept, cid_of(f, "occupation/developer"));
	/* ranking candidates (--top): every reading of the span occurs, the winner first */
	ex = extract(f, text, 5);
	const sh_skill_hit *code = skill(f, &ex, "skill/python-code"), *snake = skill(f, &ex, "skill/python-snake");
	assert_spans(text, code, (const char *const[]){ "Python", NULL });
	assert_spans(text, snake, (const char *const[]){ "Python", NULL });
	assert_true(code->score >= snake->score);
}

static void default_lists_found_skills_and_top_lists_candidates(void **state)
{
	fixture *f = *state;
	const char *text = "Nurses who maintain equipment and plan projects.";
	sh_extraction ex = extract(f, text, 0);
	assert_int_equal(ex.nskills, 1);
	const sh_skill_hit *h = skill(f, &ex, "skill/maintain-equipment");
	assert_spans(text, h, (const char *const[]){ "maintain equipment", NULL });
	float score = h->score;
	assert_int_equal(ex.noccupations, 1);
	assert_int_equal(ex.occupations[0].concept, cid_of(f, "occupation/nurse"));
	/* --top 3: three candidates, the found one with its spans and the same score */
	ex = extract(f, text, 3);
	assert_int_equal(ex.nskills, 3);
	h = skill(f, &ex, "skill/maintain-equipment");
	assert_spans(text, h, (const char *const[]){ "maintain equipment", NULL });
	assert_true(h->score > score - 1e-5f && h->score < score + 1e-5f);
	const sh_skill_hit *pm = skill(f, &ex, "skill/pm");
	assert_non_null(pm); /* "projects": a candidate, not an occurrence */
	assert_int_equal(pm->nspans, 0);
	/* nothing found */
	ex = extract(f, "", 0);
	assert_int_equal(ex.nskills + ex.noccupations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spans_are_whole_words),
		cmocka_unit_test(the_longest_label_wins),
		cmocka_unit_test(inflection_and_variants_give_spans),
		cmocka_unit_test(variants_do_not_hide_labels_inside_them),
		cmocka_unit_test(one_word_labels_need_the_word_unless_ranking),
		cmocka_unit_test(ambiguity_is_resolved_as_the_matcher_does),
		cmocka_unit_test(default_lists_found_skills_and_top_lists_candidates),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
