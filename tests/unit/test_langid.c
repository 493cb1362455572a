/*
 * tests/unit/test_langid.c - language identification: a model trained in the
 * test from the paragraphs of tests/fixtures/ads/langid-train/ (sentences
 * written for these tests), then short texts in seven languages, edge cases
 * (empty, digits, invalid UTF-8, very long), the blob format and training
 * from a database.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "skillhub/ads.h"
#include "store/db.h"

static const char *const train_langs[] = { "de", "en", "es", "fr", "it", "nl", "pl" };
#define NLANGS (sizeof train_langs / sizeof train_langs[0])

typedef struct fixture {
	char      *text[NLANGS];
	void      *blob;
	size_t     size;
	sh_langid *model;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	sh_langid_sample samples[NLANGS];
	for (size_t i = 0; i < NLANGS; i++) {
		char rel[64];
		size_t len;
		snprintf(rel, sizeof rel, "ads/langid-train/%s.txt", train_langs[i]);
		assert_int_equal(sh_read_file(test_fixture(rel), &f->text[i], &len), SH_OK);
		samples[i] = (sh_langid_sample){ train_langs[i], f->text[i], len };
	}
	assert_int_equal(sh_langid_train(samples, NLANGS, &f->blob, &f->size), SH_OK);
	assert_int_equal(sh_langid_load(&f->model, f->blob, f->size), SH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sh_langid_free(f->model);
	free(f->blob);
	for (size_t i = 0; i < NLANGS; i++)
		free(f->text[i]);
	free(f);
	return 0;
}

static void classify(const fixture *f, const char *text, sh_langid_result *r)
{
	sh_langid_classify(f->model, text, strlen(text), r);
}

static void model_lists_its_languages_sorted(void **state)
{
	fixture *f = *state;
	assert_int_equal(sh_langid_nlang(f->model), NLANGS);
	for (size_t i = 0; i < NLANGS; i++)
		assert_string_equal(sh_langid_lang(f->model, i), train_langs[i]);
	assert_null(sh_langid_lang(f->model, NLANGS));
}

static void short_texts_in_seven_languages(void **state)
{
	fixture *f = *state;
	/* Sentences that are not in the training paragraphs. */
	static const struct { const char *lang, *text; } cases[] = {
		{ "en", "The successful candidate will manage a busy reception and answer calls from customers." },
		{ "de", "Der Bewerber sollte einen Führerschein besitzen und gerne mit Kunden arbeiten." },
		{ "fr", "Le candidat retenu accueillera les clients et répondra aux appels téléphoniques." },
		{ "es", "El candidato seleccionado atenderá a los clientes y responderá las llamadas." },
		{ "it", "Il candidato ideale dovrà accogliere i clienti e rispondere alle telefonate." },
		{ "nl", "De geschikte kandidaat ontvangt klanten en beantwoordt de telefoon." },
		{ "pl", "Wybrany kandydat będzie obsługiwał klientów i odbierał telefony." },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sh_langid_result r;
		classify(f, cases[i].text, &r);
		if (strcmp(r.lang, cases[i].lang) != 0)
			fail_msg("'%s': expected %s, got %s (%.3f)", cases[i].text, cases[i].lang, r.lang, r.confidence);
		assert_true(r.confidence > 0.5);
		assert_true(r.ngrams > 100);
	}
}

static void top_three_are_ordered_and_consistent(void **state)
{
	fixture *f = *state;
	sh_langid_result r;
	classify(f, "Wij bieden een vast contract en een goede sfeer.", &r);
	assert_string_equal(r.lang, "nl");
	assert_string_equal(r.top[0].lang, r.lang);
	assert_true(r.confidence == r.top[0].p);
	assert_true(r.top[0].p >= r.top[1].p && r.top[1].p >= r.top[2].p && r.top[2].p > 0);
	assert_true(r.top[0].p + r.top[1].p + r.top[2].p <= 1.0 + 1e-9);
	assert_string_not_equal(r.top[1].lang, r.top[0].lang);
	assert_string_not_equal(r.top[2].lang, r.top[1].lang);
}

static void a_short_word_is_less_certain_than_a_sentence(void **state)
{
	fixture *f = *state;
	sh_langid_result word, sentence;
	classify(f, "code", &word);
	classify(f, "Der Softwareentwickler prüft den Code und behebt die Fehler.", &sentence);
	assert_string_equal(sentence.lang, "de");
	assert_true(word.confidence < sentence.confidence);
}

static void empty_digits_and_symbols_are_undetermined(void **state)
{
	fixture *f = *state;
	static const char *const texts[] = { "", "   \n\t", "12 345 67,89 2024-01-31", "+++ --- !!! €€€ ###", "ab" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		sh_langid_result r;
		classify(f, texts[i], &r);
		assert_string_equal(r.lang, "und");
		assert_true(r.confidence == 0);
		assert_string_equal(r.top[0].lang, "");
	}
	sh_langid_result r;
	sh_langid_classify(f->model, NULL, 0, &r);
	assert_string_equal(r.lang, "und");
}

static void invalid_utf8_separates_words(void **state)
{
	fixture *f = *state;
	sh_langid_result r;
	classify(f, "Wir bieten \xff\xfe einen unbefristeten \xc3 Vertrag und \xed\xa0\x80 dreißig Tage Urlaub.", &r);
	assert_string_equal(r.lang, "de");
	classify(f, "\xff\xfe\xc0\xc1\x80\x80\xf5", &r);
	assert_string_equal(r.lang, "und");
	/* A text cut in the middle of a multi-byte character. */
	const char *pl = "Oferujemy umowę o pracę i szkolenia dla każdego pracownika ż";
	sh_langid_classify(f->model, pl, strlen(pl) - 1, &r);
	assert_string_equal(r.lang, "pl");
}

static void only_the_first_bytes_of_a_long_text_count(void **state)
{
	fixture *f = *state;
	/* SH_LANGID_MAX_BYTES of French, then 1 MB of English: the answer is French. */
	const char *fr = "Nous proposons un contrat à durée indéterminée et une formation. ";
	const char *en = "We offer a permanent contract and training for every new employee. ";
	size_t cap = SH_LANGID_MAX_BYTES + (1u << 20) + 256, len = 0;
	char *text = malloc(cap);
	while (len + strlen(fr) < SH_LANGID_MAX_BYTES) {
		memcpy(text + len, fr, strlen(fr));
		len += strlen(fr);
	}
	while (len + strlen(en) < cap) {
		memcpy(text + len, en, strlen(en));
		len += strlen(en);
	}
	sh_langid_result r;
	sh_langid_classify(f->model, text, len, &r);
	assert_string_equal(r.lang, "fr");
	assert_true(r.ngrams <= 4 * SH_LANGID_MAX_BYTES);
	sh_langid_classify(f->model, text + SH_LANGID_MAX_BYTES, len - SH_LANGID_MAX_BYTES, &r);
	assert_string_equal(r.lang, "en");
	free(text);
}

static void training_is_independent_of_sample_order(void **state)
{
	fixture *f = *state;
	sh_langid_sample samples[NLANGS];
	for (size_t i = 0; i < NLANGS; i++) {
		size_t j = NLANGS - 1 - i;
		samples[i] = (sh_langid_sample){ train_langs[j], f->text[j], strlen(f->text[j]) };
	}
	void *blob;
	size_t size;
	assert_int_equal(sh_langid_train(samples, NLANGS, &blob, &size), SH_OK);
	assert_int_equal(size, f->size);
	assert_memory_equal(blob, f->blob, size);
	free(blob);
}

static void training_rejects_bad_samples(void **state)
{
	(void)state;
	void *blob = (void *)1;
	size_t size = 1;
	assert_int_equal(sh_langid_train(NULL, 0, &blob, &size), SH_EINVAL);
	assert_null(blob);
	assert_int_equal(size, 0);
	sh_langid_sample long_code = { "en-GB-oed", "some text", 9 };
	assert_int_equal(sh_langid_train(&long_code, 1, &blob, &size), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "en-GB-oed"));
	sh_langid_sample no_letters[2] = { { "en", "some text", 9 }, { "xx", "123 456", 7 } };
	assert_int_equal(sh_langid_train(no_letters, 2, &blob, &size), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "'xx'"));
}

static void load_checks_the_blob(void **state)
{
	fixture *f = *state;
	sh_langid *m = (sh_langid *)1;
	assert_int_equal(sh_langid_load(&m, f->blob, f->size - 2), SH_EFORMAT);
	assert_null(m);
	assert_int_equal(sh_langid_load(&m, f->blob, 16), SH_EFORMAT);
	char *copy = malloc(f->size + 8);
	memcpy(copy, f->blob, f->size);
	copy[0] = 'X';
	assert_int_equal(sh_langid_load(&m, copy, f->size), SH_EFORMAT);
	memcpy(copy + 1, f->blob, f->size);
	assert_int_equal(sh_langid_load(&m, copy + 1, f->size), SH_EINVAL); /* misaligned */
	memcpy(copy, f->blob, f->size);
	uint32_t nlang = 1000;
	memcpy(copy + 12, &nlang, 4);
	assert_int_equal(sh_langid_load(&m, copy, f->size), SH_EFORMAT);
	/* The model reads the caller's memory: a copy of the blob classifies the same. */
	memcpy(copy, f->blob, f->size);
	assert_int_equal(sh_langid_load(&m, copy, f->size), SH_OK);
	sh_langid_result a, b;
	sh_langid_classify(m, "Se requiere experiencia previa.", 31, &a);
	sh_langid_classify(f->model, "Se requiere experiencia previa.", 31, &b);
	assert_string_equal(a.lang, "es");
	assert_memory_equal(&a, &b, sizeof a);
	sh_langid_free(m);
	free(copy);
}

static void trains_from_the_labels_and_notes_of_a_database(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char path[4096];
	snprintf(path, sizeof path, "%s/t.db", dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, path, SH_DB_CREATE), SH_OK);
	void *blob;
	size_t size;
	assert_int_equal(sh_langid_train_from_db(db, &blob, &size), SH_ENOTFOUND);
	assert_int_equal(sh_db_exec(db,
		"INSERT INTO concept(id, uri, kind) VALUES (1, 'urn:test:1', 'occupation'), (2, 'urn:test:2', 'skill');"
		"INSERT INTO label VALUES (1, 'en', 'preferred', 'warehouse operator'),"
		"  (1, 'de', 'preferred', 'Lagerarbeiter'), (2, 'en', 'preferred', 'drive a forklift truck'),"
		"  (2, 'de', 'preferred', 'Gabelstapler fahren'), (2, 'de', 'alternative', 'Flurförderzeug bedienen');"
		"INSERT INTO note VALUES (1, 'en', 'description',"
		"  'Warehouse operators receive and store goods and keep the records of the stock.'),"
		"  (1, 'de', 'description', 'Lagerarbeiter nehmen die Waren an, lagern sie ein und führen die Bestandslisten.');"),
		SH_OK);
	assert_int_equal(sh_langid_train_from_db(db, &blob, &size), SH_OK);
	sh_langid *m;
	assert_int_equal(sh_langid_load(&m, blob, size), SH_OK);
	assert_int_equal(sh_langid_nlang(m), 2);
	sh_langid_result r;
	sh_langid_classify(m, "die Waren lagern", 16, &r);
	assert_string_equal(r.lang, "de");
	sh_langid_classify(m, "store the goods", 15, &r);
	assert_string_equal(r.lang, "en");
	sh_langid_free(m);
	free(blob);
	sh_db_close(db);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(model_lists_its_languages_sorted),
		cmocka_unit_test(short_texts_in_seven_languages),
		cmocka_unit_test(top_three_are_ordered_and_consistent),
		cmocka_unit_test(a_short_word_is_less_certain_than_a_sentence),
		cmocka_unit_test(empty_digits_and_symbols_are_undetermined),
		cmocka_unit_test(invalid_utf8_separates_words),
		cmocka_unit_test(only_the_first_bytes_of_a_long_text_count),
		cmocka_unit_test(training_is_independent_of_sample_order),
		cmocka_unit_test(training_rejects_bad_samples),
		cmocka_unit_test(load_checks_the_blob),
		cmocka_unit_test(trains_from_the_labels_and_notes_of_a_database),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
