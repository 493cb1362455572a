/*
 * tests/unit/test_matcher.c - the label matcher over a small taxonomy written
 * with SQL: whole words, longest match, inflection, word order, case and
 * accents, two languages, ambiguity resolved by context, exact byte spans,
 * invalid UTF-8.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/matcher.h"
#include "store/db.h"

typedef struct fixture {
	char       *dir;
	sh_index   *idx;
	sh_matcher *m;
	sh_match_scratch *s;
} fixture;

/* Concept ids of the taxonomy below. */
enum {
	JAVA = 1, JAVASCRIPT, CPP, C_LANG, MAINTAIN_VEHICLES, CUSTOMER_SERVICE, PROJECT_MANAGEMENT,
	PM_SOFTWARE, PYTHON_CODE, PYTHON_SNAKE, ANIMAL_FEEDING, NURSE, DEVELOPER, ZOOKEEPER, OLD_SKILL,
	MAINTAIN_EQUIPMENT, IT_SKILL, BANKING
};

static const char taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind) VALUES"
	" (1, 'http://x/skill/java', 'skill'), (2, 'http://x/skill/javascript', 'skill'),"
	" (3, 'http://x/skill/cpp', 'skill'), (4, 'http://x/skill/c', 'skill'),"
	" (5, 'http://x/skill/maintain-vehicles', 'skill'), (6, 'http://x/skill/customer-service', 'skill'),"
	" (7, 'http://x/skill/pm', 'skill'), (8, 'http://x/skill/pm-software', 'skill'),"
	" (9, 'http://x/skill/python-code', 'skill'), (10, 'http://x/skill/python-snake', 'skill'),"
	" (11, 'http://x/skill/animal-feeding', 'skill'), (12, 'http://x/occupation/nurse', 'occupation'),"
	" (13, 'http://x/occupation/developer', 'occupation'), (14, 'http://x/occupation/zookeeper', 'occupation');"
	"INSERT INTO concept(id, uri, kind, status) VALUES (15, 'http://x/skill/old', 'skill', 'obsolete');"
	"INSERT INTO concept(id, uri, kind) VALUES (16, 'http://x/skill/maintain-equipment', 'skill'),"
	" (17, 'http://x/skill/it', 'skill'), (18, 'http://x/skill/banking', 'skill');"
	"INSERT INTO label(concept, lang, kind, text) VALUES"
	" (1, 'en', 'preferred', 'Java (computer programming)'),"
	" (2, 'en', 'preferred', 'JavaScript'),"
	" (3, 'en', 'preferred', 'C++'),"
	" (4, 'en', 'preferred', 'C'),"
	" (5, 'en', 'preferred', 'maintain vehicles'),"
	" (5, 'en', 'alternative', 'vehicle maintenance'),"
	" (16, 'en', 'preferred', 'maintain equipment'),"
	" (17, 'en', 'preferred', 'IT'), (18, 'en', 'preferred', 'banking'),"
	" (6, 'en', 'preferred', 'customer service'),"
	" (7, 'en', 'preferred', 'project management'),"
	" (8, 'en', 'preferred', 'project management software'),"
	" (9, 'en', 'preferred', 'Python (computer programming)'),"
	" (10, 'en', 'preferred', 'python (snake handling)'),"
	" (11, 'en', 'preferred', 'animal feeding'),"
	" (12, 'en', 'preferred', 'nurse'),"
	" (12, 'en', 'hidden', 'nursing officer'),"
	" (12, 'fr', 'preferred', 'infirmier'),"
	" (12, 'fr', 'alternative', 'infirmière'),"
	" (13, 'en', 'preferred', 'software developer'),"
	" (14, 'en', 'preferred', 'zookeeper'),"
	" (15, 'en', 'preferred', 'obsolete craft');"
	"INSERT INTO occupation_skill(occupation, skill, relation) VALUES"
	" (13, 9, 'essential'), (13, 1, 'essential'), (14, 10, 'essential'), (14, 11, 'optional');";

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
	assert_int_equal(sh_matcher_open(&f->m, f->idx), SH_OK);
	assert_int_equal(sh_match_scratch_new(&f->s), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_match_scratch_free(f->s);
	sh_matcher_close(f->m);
	sh_index_close(f->idx);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The cid of database concept id (the URIs above end with distinct names). */
static sh_cid cid_of(const fixture *f, int db_id)
{
	static const char *const uris[] = {
		[JAVA] = "java", [JAVASCRIPT] = "javascript", [CPP] = "cpp", [C_LANG] = "c",
		[MAINTAIN_VEHICLES] = "maintain-vehicles", [CUSTOMER_SERVICE] = "customer-service",
		[PROJECT_MANAGEMENT] = "pm", [PM_SOFTWARE] = "pm-software", [PYTHON_CODE] = "python-code",
		[PYTHON_SNAKE] = "python-snake", [ANIMAL_FEEDING] = "animal-feeding", [NURSE] = "nurse",
		[DEVELOPER] = "developer", [ZOOKEEPER] = "zookeeper", [OLD_SKILL] = "old",
		[MAINTAIN_EQUIPMENT] = "maintain-equipment", [IT_SKILL] = "it", [BANKING] = "banking",
	};
	char uri[128];
	snprintf(uri, sizeof uri, "http://x/%s/%s", db_id >= NURSE && db_id <= ZOOKEEPER ? "occupation" : "skill",
	         uris[db_id]);
	sh_cid c;
	assert_int_equal(sh_index_lookup(f->idx, uri, &c), SH_OK);
	return c;
}

static size_t match(fixture *f, const char *text, const char *lang, sh_cid occupation, const sh_match **out)
{
	size_t n;
	sh_match_opts o = { .lang = lang, .occupation = occupation == SH_CID_NONE ? NULL : &occupation };
	assert_int_equal(sh_match_text(f->m, f->s, text, strlen(text), &o, out, &n), SH_OK);
	return n;
}

/* The match of concept db_id, or NULL. */
static const sh_match *find(const fixture *f, const sh_match *ms, size_t n, int db_id)
{
	sh_cid c = cid_of(f, db_id);
	for (size_t i = 0; i < n; i++)
		if (ms[i].concept == c)
			return &ms[i];
	return NULL;
}

static void assert_span(const char *text, const sh_match *m, const char *expected)
{
	assert_non_null(m);
	assert_int_equal(m->end - m->start, strlen(expected));
	assert_memory_equal(text + m->start, expected, strlen(expected));
}

static void whole_words_only(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "We use JavaScript and C++ daily.";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_null(find(f, ms, n, JAVA));
	assert_null(find(f, ms, n, C_LANG));
	assert_span(text, find(f, ms, n, JAVASCRIPT), "JavaScript");
	assert_span(text, find(f, ms, n, CPP), "C++");
	assert_int_equal(n, 2);

	text = "C or C++, and Java.";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_span(text, find(f, ms, n, C_LANG), "C");
	assert_span(text, find(f, ms, n, CPP), "C++");
	const sh_match *java = find(f, ms, n, JAVA);
	assert_span(text, java, "Java");
	assert_true(java->flags & SH_MATCH_PREFERRED);
	const char *lang;
	assert_string_equal(sh_matcher_label(f->m, java->label, &lang), "Java (computer programming)");
	assert_string_equal(lang, "en");
}

static void longest_match_wins(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "Experience with project management software is required.";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_int_equal(n, 1);
	assert_span(text, find(f, ms, n, PM_SOFTWARE), "project management software");
	assert_int_equal(ms[0].tok_start, 2);
	assert_int_equal(ms[0].tok_end, 5);

	text = "Good project management.";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_int_equal(n, 1);
	assert_span(text, find(f, ms, n, PROJECT_MANAGEMENT), "project management");
}

static void inflection_and_case(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "You will be MAINTAINING Vehicles.";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	const sh_match *m = find(f, ms, n, MAINTAIN_VEHICLES);
	assert_span(text, m, "MAINTAINING Vehicles");
	assert_false(m->flags & SH_MATCH_VARIANT);
	assert_true(m->confidence > 0.99f);
}

static void word_order_variant(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "Excellent service to our customers.";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	const sh_match *m = find(f, ms, n, CUSTOMER_SERVICE);
	assert_span(text, m, "service to our customers");
	assert_true(m->flags & SH_MATCH_VARIANT);
	assert_true(m->confidence < 0.9f);

	/* derivation: ESCO labels "maintain vehicles" and "vehicle maintenance"
	 * make "maintain" and "maintenance" one root, for every label */
	text = "Equipment maintenance.";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	m = find(f, ms, n, MAINTAIN_EQUIPMENT);
	assert_span(text, m, "Equipment maintenance");
	assert_true(m->flags & SH_MATCH_VARIANT);

	/* the roots must be in the same sentence */
	text = "Excellent service. Our customers are happy.";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_null(find(f, ms, n, CUSTOMER_SERVICE));
}

static void two_languages_and_accents(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "Nous recrutons une INFIRMIERE et un infirmier.";
	size_t n = match(f, text, "fr", SH_CID_NONE, &ms);
	assert_int_equal(n, 2);
	assert_span(text, &ms[0], "INFIRMIERE");
	assert_int_equal(ms[0].concept, cid_of(f, NURSE));
	assert_true(ms[0].flags & SH_MATCH_ALT);
	assert_span(text, &ms[1], "infirmier");
	assert_true(ms[1].flags & SH_MATCH_PREFERRED);
	/* French labels are not matched in an English text */
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_int_equal(n, 0);
	text = "Senior nursing officer";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_int_equal(n, 1);
	assert_true(ms[0].flags & SH_MATCH_HIDDEN);
	assert_span(text, &ms[0], "nursing officer");
}

static void ambiguity_resolved_by_context(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "Java and Python.";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_int_equal(n, 2);
	const sh_match *m = find(f, ms, n, PYTHON_CODE);
	assert_span(text, m, "Python");
	assert_true(m->flags & SH_MATCH_AMBIGUOUS);
	assert_true(m->confidence > 0.5f && m->confidence < 1.0f);

	text = "Animal feeding, python care.";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_span(text, find(f, ms, n, PYTHON_SNAKE), "python");
	assert_null(find(f, ms, n, PYTHON_CODE));

	/* no context in the text: the caller's occupation decides */
	text = "python";
	n = match(f, text, "en", cid_of(f, ZOOKEEPER), &ms);
	assert_int_equal(n, 1);
	assert_int_equal(ms[0].concept, cid_of(f, PYTHON_SNAKE));
	n = match(f, text, "en", cid_of(f, DEVELOPER), &ms);
	assert_int_equal(n, 1);
	assert_int_equal(ms[0].concept, cid_of(f, PYTHON_CODE));
}

static void spans_are_bytes_of_the_original(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "Ça coûte: développeur «C++» — software developer!";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_int_equal(n, 2);
	assert_span(text, &ms[0], "C++");
	assert_span(text, &ms[1], "software developer");
	assert_int_equal(ms[1].end, strlen(text) - 1);
}

static void obsolete_concepts_are_not_matched(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	assert_int_equal(match(f, "an obsolete craft", "en", SH_CID_NONE, &ms), 0);
}

static void invalid_utf8_and_kinds(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char text[] = "\xff\xfe" "java\xc3 \xe2\x82 zookeeper\xf0";
	size_t n;
	assert_int_equal(sh_match_text(f->m, f->s, text, sizeof text - 1, NULL, &ms, &n), SH_OK);
	assert_int_equal(n, 2);
	assert_span(text, &ms[0], "java");
	assert_span(text, &ms[1], "zookeeper");
	/* only occupations */
	sh_match_opts o = { .kinds = SH_KIND_BIT(SH_KIND_OCCUPATION) };
	assert_int_equal(sh_match_text(f->m, f->s, text, sizeof text - 1, &o, &ms, &n), SH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ms[0].concept, cid_of(f, ZOOKEEPER));
	/* empty text */
	assert_int_equal(sh_match_text(f->m, f->s, "", 0, NULL, &ms, &n), SH_OK);
	assert_int_equal(n, 0);
}

/*
 * One-word labels: the stem alone conflates too much, so the text's word must
 * begin with the label's word (less a final "e"), and capitals stay capitals.
 */
static void one_word_labels(void **state)
{
	fixture *f = *state;
	const sh_match *ms;
	const char *text = "Join our staff bank: it is easy.";
	size_t n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_null(find(f, ms, n, BANKING)); /* "bank" and "banking" share the stem "bank" */
	assert_null(find(f, ms, n, IT_SKILL));
	text = "Nurses with IT skills, from banking.";
	n = match(f, text, "en", SH_CID_NONE, &ms);
	assert_span(text, find(f, ms, n, NURSE), "Nurses");
	assert_span(text, find(f, ms, n, IT_SKILL), "IT");
	assert_span(text, find(f, ms, n, BANKING), "banking");
	assert_int_equal(n, 3);
}

/* A database without labels compiles to an empty matcher that matches nothing. */
static void empty_taxonomy(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char db_path[4096], idx_path[4096];
	snprintf(db_path, sizeof db_path, "%s/e.db", dir);
	snprintf(idx_path, sizeof idx_path, "%s/e.db.idx", dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, db_path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_index_build(db, idx_path), SH_OK);
	sh_db_close(db);
	sh_index *idx;
	sh_matcher *m;
	sh_match_scratch *s;
	assert_int_equal(sh_index_open(&idx, idx_path), SH_OK);
	assert_int_equal(sh_matcher_open(&m, idx), SH_OK);
	assert_int_equal(sh_match_scratch_new(&s), SH_OK);
	const sh_match *ms;
	size_t n = 1;
	assert_int_equal(sh_match_text(m, s, "java nurse", 10, NULL, &ms, &n), SH_OK);
	assert_int_equal(n, 0);
	sh_match_scratch_free(s);
	sh_matcher_close(m);
	sh_index_close(idx);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_words_only),
		cmocka_unit_test(longest_match_wins),
		cmocka_unit_test(inflection_and_case),
		cmocka_unit_test(word_order_variant),
		cmocka_unit_test(two_languages_and_accents),
		cmocka_unit_test(ambiguity_resolved_by_context),
		cmocka_unit_test(spans_are_bytes_of_the_original),
		cmocka_unit_test(obsolete_concepts_are_not_matched),
		cmocka_unit_test(invalid_utf8_and_kinds),
		cmocka_unit_test(one_word_labels),
	};
	const struct CMUnitTest alone[] = {
		cmocka_unit_test(empty_taxonomy),
	};
	return cmocka_run_group_tests(tests, setup, teardown) | cmocka_run_group_tests(alone, NULL, NULL);
}
