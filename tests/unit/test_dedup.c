/*
 * tests/unit/test_dedup.c - exact and near-duplicate detection of job ads:
 * identical and reformatted texts, a repost with a changed date line, ads
 * from one employer's template (the typical false positive seen in the NHS
 * ads), determinism, saving and merging, argument errors.  The ads are
 * written for these tests.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/ads.h"
#include "skillhub/text.h"

/* The employer's boilerplate shared by all its ads. */
#define BOILERPLATE \
	"Riverside Community Health is an award-winning provider of community services across the county. " \
	"We care for more than two hundred thousand people every year in their homes, in clinics and in our " \
	"three community hospitals. Our staff tell us that they value the friendly teams, the flexible working " \
	"patterns and the support they receive to develop their careers. We offer a generous pension scheme, " \
	"twenty-seven days of annual leave rising with service, discounts with local businesses, free health " \
	"checks and a cycle to work scheme. We are committed to equality and welcome applications from every " \
	"part of the community, in particular from groups that are under-represented in our workforce. "

#define NURSE_JOB \
	"We are looking for a registered nurse to join the district nursing team in Millbrook. You will visit " \
	"patients at home, manage wounds and long-term conditions, give end of life care and work with GPs and " \
	"social workers to keep people out of hospital. A car driver with a full licence is required. "

#define ADMIN_JOB \
	"We are looking for an administrator to support the podiatry service. You will book appointments, " \
	"answer the telephone, type letters from dictation, keep the patient records accurate and order the " \
	"supplies of the clinics. Experience of office software and of working with the public is essential. "

static sh_dedup *new_index(void)
{
	sh_dedup *idx;
	assert_int_equal(sh_dedup_new(&idx, SH_DEDUP_DEFAULT_THRESHOLD), SH_OK);
	return idx;
}

static sh_dedup_match add(sh_dedup *idx, uint64_t id, const char *key, const char *text)
{
	sh_dedup_match m;
	assert_int_equal(sh_dedup_add(idx, id, key, key ? strlen(key) : 0, text, strlen(text), &m), SH_OK);
	return m;
}

static void identical_ads_are_exact_duplicates_of_the_first(void **state)
{
	(void)state;
	sh_dedup *idx = new_index();
	const char *key = "District Nurse\nRiverside Community Health\nMillbrook";
	assert_int_equal(add(idx, 10, key, NURSE_JOB BOILERPLATE).id, 0);
	for (uint64_t id = 11; id < 14; id++) {
		sh_dedup_match m = add(idx, id, key, NURSE_JOB BOILERPLATE);
		assert_int_equal(m.id, 10);
		assert_int_equal(m.exact, 1);
		assert_true(m.similarity == 1.0);
	}
	assert_int_equal(sh_dedup_count(idx), 4);
	sh_dedup_free(idx);
}

static void blanks_case_accents_and_html_do_not_count(void **state)
{
	(void)state;
	sh_dedup *idx = new_index();
	const char *plain = "Senior Café Manager\nWe need an experienced manager for our café. Apply now!";
	assert_int_equal(add(idx, 1, "Cafe Manager\nRiverside", plain).id, 0);
	sh_dedup_match m = add(idx, 2, "  CAFÉ   manager \n RIVERSIDE ",
	                       "SENIOR  CAFE   MANAGER\n\n\twe need an experienced manager, for our Café... apply NOW");
	assert_int_equal(m.id, 1);
	assert_int_equal(m.exact, 1);

	const char *html = "&lt;p&gt;&lt;strong&gt;Senior Caf&amp;eacute; Manager&lt;/strong&gt;&lt;/p&gt;"
	                   "&lt;p&gt;We need an &lt;em&gt;experienced&lt;/em&gt; manager for our caf&amp;eacute;."
	                   "&lt;br /&gt;Apply now!&lt;/p&gt;";
	char *text;
	size_t len;
	assert_int_equal(sh_html_to_text(html, strlen(html), &text, &len), SH_OK);
	assert_int_equal(sh_dedup_add(idx, 3, "Cafe Manager\nRiverside", 22, text, len, &m), SH_OK);
	assert_int_equal(m.id, 1);
	assert_int_equal(m.exact, 1);
	free(text);
	sh_dedup_free(idx);
}

static void a_repost_with_a_new_date_line_is_a_near_duplicate(void **state)
{
	(void)state;
	sh_dedup *idx = new_index();
	const char *key = "Registered Nurse - District Nursing\nRiverside Community Health\nMillbrook";
	assert_int_equal(add(idx, 100, key, NURSE_JOB BOILERPLATE
	                     "Reference: RCH-2020-0412. Closing date: 12 November 2020. Interviews on 20 November.").id, 0);
	sh_dedup_match m = add(idx, 200, key, NURSE_JOB BOILERPLATE
	                       "Reference: RCH-2020-0533. Closing date: 30 November 2020. Interviews on 7 December.");
	assert_int_equal(m.id, 100);
	assert_int_equal(m.exact, 0);
	assert_true(m.similarity >= SH_DEDUP_DEFAULT_THRESHOLD && m.similarity < 1.0);
	sh_dedup_free(idx);
}

static void other_jobs_from_the_same_template_are_not_duplicates(void **state)
{
	(void)state;
	sh_dedup *idx = new_index();
	assert_int_equal(add(idx, 1, "Registered Nurse\nRiverside Community Health\nMillbrook", BOILERPLATE NURSE_JOB).id, 0);
	/* Another post with the same boilerplate: the texts differ too much, whatever the key. */
	assert_int_equal(add(idx, 2, "Registered Nurse\nRiverside Community Health\nMillbrook", BOILERPLATE ADMIN_JOB).id, 0);
	/* The same text for another site, the typical case in the NHS ads: the key tells them apart. */
	sh_dedup_match m = add(idx, 3, "Registered Nurse\nRiverside Community Health\nEastford",
	                       BOILERPLATE "We are looking for a registered nurse to join the district nursing team in "
	                       "Eastford. You will visit patients at home, manage wounds and long-term conditions, give end "
	                       "of life care and work with GPs and social workers to keep people out of hospital. A car "
	                       "driver with a full licence is required. ");
	assert_int_equal(m.id, 0);
	sh_dedup_sig a, b;
	const char *t1 = BOILERPLATE NURSE_JOB, *t2 = BOILERPLATE ADMIN_JOB;
	assert_int_equal(sh_dedup_signature(NULL, 0, t1, strlen(t1), &a), SH_OK);
	assert_int_equal(sh_dedup_signature(NULL, 0, t2, strlen(t2), &b), SH_OK);
	assert_true(sh_dedup_similarity(&a, &b) < SH_DEDUP_DEFAULT_THRESHOLD);
	assert_true(sh_dedup_similarity(&a, &b) > 0.2); /* the boilerplate is shared */
	sh_dedup_free(idx);
}

static void without_a_key_texts_alone_decide(void **state)
{
	(void)state;
	sh_dedup *idx = new_index();
	assert_int_equal(add(idx, 1, NULL, "Porter\nMove patients, equipment and supplies around the hospital site.").id, 0);
	assert_int_equal(add(idx, 2, NULL, "Porter\nMove patients, equipment and supplies around the hospital site.").id, 1);
	assert_int_equal(add(idx, 3, NULL, "Cook\nPrepare breakfast, lunch and dinner for the patients of the wards.").id, 0);
	/* Empty texts: exact duplicates of each other when the keys agree. */
	assert_int_equal(add(idx, 4, "Cleaner", "").id, 0);
	assert_int_equal(add(idx, 5, "Cleaner", "").id, 4);
	assert_int_equal(add(idx, 6, "Gardener", "").id, 0);
	sh_dedup_free(idx);
}

/* Adds a fixed sequence of ads (reposts among them) and records the decisions. */
static void run_sequence(sh_dedup *idx, uint64_t first_id, sh_dedup_match *out, size_t n)
{
	static const char *const jobs[] = { NURSE_JOB, ADMIN_JOB };
	char text[4096];
	for (size_t i = 0; i < n; i++) {
		snprintf(text, sizeof text, "%s%sReference %zu. Closing date %zu November.", jobs[i % 2], BOILERPLATE,
		         i / 4, 1 + i / 3);
		assert_int_equal(sh_dedup_add(idx, first_id + i, i % 2 == 0 ? "nurse" : "admin", 5, text,
		                              strlen(text), &out[i]), SH_OK);
	}
}

static void decisions_are_deterministic_and_survive_save_and_load(void **state)
{
	(void)state;
	enum { N = 40 };
	sh_dedup_match a[N], b[N], c[N];
	sh_dedup *x = new_index(), *y = new_index();
	run_sequence(x, 1, a, N);
	run_sequence(y, 1, b, N);
	assert_memory_equal(a, b, sizeof a);
	size_t dups = 0;
	for (size_t i = 0; i < N; i++)
		dups += a[i].id != 0;
	assert_true(dups >= N - 2 && a[0].id == 0 && a[1].id == 0);

	void *bx, *by;
	size_t nx, ny;
	assert_int_equal(sh_dedup_save(x, &bx, &nx), SH_OK);
	assert_int_equal(sh_dedup_save(y, &by, &ny), SH_OK);
	assert_int_equal(nx, ny);
	assert_memory_equal(bx, by, nx);

	/* A copy made by loading answers like the original. */
	sh_dedup *z = new_index();
	assert_int_equal(sh_dedup_load(z, bx, nx), SH_OK);
	assert_int_equal(sh_dedup_count(z), N);
	run_sequence(x, 1000, a, N);
	run_sequence(z, 1000, c, N);
	assert_memory_equal(a, c, sizeof a);
	assert_int_equal(a[0].id, 1); /* an exact repeat of the first ad of the first run */

	/* A truncated or foreign blob is refused and leaves the index as it was. */
	sh_dedup *w = new_index();
	assert_int_equal(sh_dedup_load(w, bx, nx - 1), SH_EFORMAT);
	assert_int_equal(sh_dedup_load(w, "not a dedup index", 17), SH_EFORMAT);
	assert_int_equal(sh_dedup_count(w), 0);
	free(bx);
	free(by);
	sh_dedup_free(w);
	sh_dedup_free(x);
	sh_dedup_free(y);
	sh_dedup_free(z);
}

static void many_copies_stay_cheap_and_correct(void **state)
{
	(void)state;
	sh_dedup *idx = new_index();
	char text[4096];
	/* Far more ads sharing all bands than the chain limit: each still finds a duplicate. */
	for (uint64_t id = 1; id <= 2000; id++) {
		snprintf(text, sizeof text, "%s%sVacancy number %llu.", BOILERPLATE, NURSE_JOB, (unsigned long long)id);
		sh_dedup_match m = add(idx, id, "nurse", text);
		if (id > 1 && m.id == 0)
			fail_msg("ad %llu found no duplicate", (unsigned long long)id);
	}
	assert_int_equal(sh_dedup_count(idx), 2000);
	sh_dedup_free(idx);
}

static void bad_arguments_are_reported(void **state)
{
	(void)state;
	sh_dedup *idx = (sh_dedup *)1;
	assert_int_equal(sh_dedup_new(&idx, 0), SH_EINVAL);
	assert_null(idx);
	assert_int_equal(sh_dedup_new(&idx, 1.5), SH_EINVAL);
	idx = new_index();
	sh_dedup_match m;
	assert_int_equal(sh_dedup_add(idx, 0, NULL, 0, "text", 4, &m), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "id 0"));
	assert_int_equal(sh_dedup_count(idx), 0);
	sh_dedup_free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical_ads_are_exact_duplicates_of_the_first),
		cmocka_unit_test(blanks_case_accents_and_html_do_not_count),
		cmocka_unit_test(a_repost_with_a_new_date_line_is_a_near_duplicate),
		cmocka_unit_test(other_jobs_from_the_same_template_are_not_duplicates),
		cmocka_unit_test(without_a_key_texts_alone_decide),
		cmocka_unit_test(decisions_are_deterministic_and_survive_save_and_load),
		cmocka_unit_test(many_copies_stay_cheap_and_correct),
		cmocka_unit_test(bad_arguments_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
