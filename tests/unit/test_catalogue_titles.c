/*
 * tests/unit/test_catalogue_titles.c - the titles index of the duplicate
 * rule (src/catalogue/titles.c) against comparing every pair.
 *
 * 240 courses of three providers get titles drawn from a small vocabulary
 * (with case and accent variants and repeated words, so that similarities
 * collide at the thresholds), some in two languages, some rejected.  For
 * every course and every threshold (0 included: every pair qualifies, and
 * above 1: none does) the index must give exactly the matches that the
 * brute-force comparison below gives, in the same order, with the same
 * similarity.  Then sh_courses_check over all courses must report for each
 * course the duplicate findings that checking that course alone reports
 * (the index is scoped to one provider then).
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue/catalogue.h"
#include "skillhub/catalogue.h"
#include "skillhub/text.h"
#include "store/db.h"

enum { NCOURSES = 240 };

static const char *const vocabulary[] = {
	"battery", "Battery", "BATTERY", "café", "cafe", "cell", "cells", "testing", "safety", "high",
	"voltage", "for", "of", "the", "advanced", "Introduction", "to", "welding", "laser", "Lasér",
};
static const char *const providers[] = { "pa", "pb", "pc" };

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A title of 1 to 6 words of the vocabulary (repeats allowed), or "" now and then. */
static void random_title(char *out, size_t cap)
{
	size_t n = rnd(12) == 0 ? 0 : 1 + rnd(6), len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "",
		                        vocabulary[rnd(sizeof vocabulary / sizeof vocabulary[0])]);
}

/* Jaccard similarity of the normalised word sets, the plain way. */
static double brute_similarity(const char *a, const char *b)
{
	char *na, *nb;
	assert_int_equal(sh_normalize(a, strlen(a), SH_NORM_FOLD_ACCENTS, &na), SH_OK);
	assert_int_equal(sh_normalize(b, strlen(b), SH_NORM_FOLD_ACCENTS, &nb), SH_OK);
	json_t *sa = json_object(), *sb = json_object();
	for (char *w = strtok(na, " "); w; w = strtok(NULL, " "))
		json_object_set_new(sa, w, json_true());
	for (char *w = strtok(nb, " "); w; w = strtok(NULL, " "))
		json_object_set_new(sb, w, json_true());
	size_t common = 0;
	const char *k;
	json_t *v;
	json_object_foreach(sa, k, v)
		common += json_object_get(sb, k) != NULL;
	size_t uni = json_object_size(sa) + json_object_size(sb) - common;
	json_decref(sa);
	json_decref(sb);
	free(na);
	free(nb);
	return uni ? (double)common / (double)uni : 0;
}

typedef struct fixture {
	char  *dir;
	sh_db *db;
	char   title[NCOURSES][2][96];  /* [course][0: en, 1: de ("" = none)] */
	int    provider[NCOURSES];
	int    rejected[NCOURSES];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = test_tmpdir();
	char path[4200];
	snprintf(path, sizeof path, "%s/titles.db", f->dir);
	assert_int_equal(sh_db_open(&f->db, path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_exec(f->db,
		"INSERT INTO provider(id, ref, name, country, type) VALUES"
		" (1, 'pa', 'A', 'DE', 'vet'), (2, 'pb', 'B', 'FR', 'vet'), (3, 'pc', 'C', 'PL', 'vet')"), SH_OK);
	sh_buf sql = SH_BUF_INIT;
	for (int i = 0; i < NCOURSES; i++) {
		f->provider[i] = (int)rnd(3);
		f->rejected[i] = rnd(10) == 0;
		random_title(f->title[i][0], sizeof f->title[i][0]);
		if (rnd(4) == 0)
			random_title(f->title[i][1], sizeof f->title[i][1]);
		else
			f->title[i][1][0] = '\0';
		/* ids in an order other than refs, so that ordering by ref is tested */
		assert_int_equal(sh_buf_printf(&sql,
			"INSERT INTO course(id, ref, provider, status, updated_at) VALUES (%d, 'C%03d', %d, '%s', 'now');"
			"INSERT INTO course_text(course, lang, title) VALUES (%d, 'en', '%s');",
			NCOURSES - i, i, f->provider[i] + 1, f->rejected[i] ? "rejected" : "draft", NCOURSES - i,
			f->title[i][0]), SH_OK);
		if (f->title[i][1][0])
			assert_int_equal(sh_buf_printf(&sql, "INSERT INTO course_text(course, lang, title) VALUES (%d, 'de', '%s');",
			                               NCOURSES - i, f->title[i][1]), SH_OK);
	}
	assert_int_equal(sh_db_exec(f->db, sql.data), SH_OK);
	sh_buf_free(&sql);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_db_close(f->db);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The course's "texts" member. */
static json_t *texts_of(const fixture *f, int i)
{
	json_t *t = json_pack("{s:{s:s}}", "en", "title", f->title[i][0]);
	if (f->title[i][1][0])
		json_object_set_new(t, "de", json_pack("{s:s}", "title", f->title[i][1]));
	return t;
}

static void test_index_equals_every_pair(void **state)
{
	fixture *f = *state;
	static const double thresholds[] = { 0, 0.25, 1.0 / 3, 0.5, 0.8, 1, 1.5 };
	cat_titles *t;
	assert_int_equal(cat_titles_build(f->db, NULL, &t), SH_OK);
	size_t total = 0;
	for (size_t k = 0; k < sizeof thresholds / sizeof thresholds[0]; k++)
		for (int i = 0; i < NCOURSES; i++) {
			json_t *texts = texts_of(f, i);
			cat_title_match *m;
			size_t n;
			assert_int_equal(cat_titles_similar(t, NCOURSES - i, providers[f->provider[i]], texts, thresholds[k],
			                                    &m, &n), SH_OK);
			/* Brute force: other courses in ref order (= index order here), languages de before en. */
			size_t got = 0;
			for (int o = 0; o < NCOURSES; o++) {
				if (o == i || f->rejected[o] || f->provider[o] != f->provider[i])
					continue;
				for (int lang = 1; lang >= 0; lang--) {
					if (!f->title[o][lang][0] && lang == 1)
						continue;
					if (lang == 1 && !f->title[i][1][0])
						continue;
					double sim = brute_similarity(f->title[i][lang], f->title[o][lang]);
					if (sim < thresholds[k])
						continue;
					assert_true(got < n);
					char ref[16];
					snprintf(ref, sizeof ref, "C%03d", o);
					assert_string_equal(m[got].ref, ref);
					assert_string_equal(m[got].lang, lang ? "de" : "en");
					assert_string_equal(m[got].title, f->title[o][lang]);
					assert_string_equal(m[got].mine, f->title[i][lang]);
					assert_true(m[got].similarity == sim);
					got++;
					break;
				}
			}
			assert_int_equal(got, n);
			total += n;
			free(m);
			json_decref(texts);
		}
	cat_titles_free(t);
	assert_true(total > NCOURSES);  /* the vocabulary makes plenty of matches */
}

/* Duplicate findings of every course: checked all at once and one by one, the same. */
static void test_check_all_equals_check_each(void **state)
{
	fixture *f = *state;
	char path[4200];
	snprintf(path, sizeof path, "%s/rules.json", f->dir);
	test_write_file(path, "{\"version\": \"t\", \"rules\": [{\"id\": \"dup\", \"type\": \"duplicate\","
	                      " \"severity\": \"warning\", \"similarity\": 0.5}]}");
	sh_rules *rules;
	assert_int_equal(sh_rules_load(&rules, path), SH_OK);
	char *all;
	size_t nerrors;
	assert_int_equal(sh_courses_check(f->db, rules, NULL, &all, &nerrors), SH_OK);
	json_t *each = json_array();
	for (int i = 0; i < NCOURSES; i++) {
		char ref[16], *one;
		snprintf(ref, sizeof ref, "C%03d", i);
		assert_int_equal(sh_courses_check(f->db, rules, ref, &one, &nerrors), SH_OK);
		json_t *arr = json_loads(one, 0, NULL);
		assert_non_null(arr);
		json_array_extend(each, arr);
		json_decref(arr);
		free(one);
	}
	json_t *whole = json_loads(all, 0, NULL);
	assert_non_null(whole);
	assert_true(json_array_size(whole) > 0);
	assert_true(json_equal(whole, each));
	json_decref(whole);
	json_decref(each);
	free(all);
	sh_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_index_equals_every_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_all_equals_check_each, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
