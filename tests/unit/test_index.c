/*
 * tests/unit/test_index.c - the compiled index: build from a small database
 * written with plain SQL (independent of the importer), open, lookups,
 * labels, relations, concept JSON, stale-index rebuild and corrupt files.
 * Search ranking is in test_search.c; both share the database of
 * index_fixture.h.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileio.h"
#include "index/index_internal.h"
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

static sh_cid lookup(const sh_index *idx, const char *key)
{
	sh_cid c = SH_CID_NONE_TEST;
	assert_int_equal(sh_index_lookup(idx, key, &c), SH_OK);
	return c;
}

static void lookups_by_uri_segment_and_code(void **state)
{
	fixture *f = *state;
	sh_index *idx = f->idx;
	assert_int_equal(sh_index_concept_count(idx), FIXTURE_CONCEPTS);
	sh_cid nurse = lookup(idx, URI_OCC "nurse-0001");
	assert_int_equal(lookup(idx, "nurse-0001"), nurse);
	assert_int_equal(lookup(idx, "2221.1"), nurse);
	assert_int_equal(sh_concept_kind(idx, nurse), SH_KIND_OCCUPATION);
	assert_string_equal(sh_concept_uri(idx, nurse), URI_OCC "nurse-0001");
	sh_cid isco = lookup(idx, "C2221");
	assert_int_equal(lookup(idx, "2221"), isco);
	assert_int_equal(sh_concept_kind(idx, isco), SH_KIND_ISCO_GROUP);
	assert_int_equal(sh_concept_kind(idx, lookup(idx, "S5.6")), SH_KIND_SKILL_GROUP);

	sh_cid c;
	assert_int_equal(sh_index_lookup(idx, "no-such-concept", &c), SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "no-such-concept"));
	assert_int_equal(sh_index_lookup(idx, "", &c), SH_EINVAL);
	assert_int_equal(sh_concept_kind(idx, FIXTURE_CONCEPTS), 0);
}

static void labels_fall_back_to_english(void **state)
{
	fixture *f = *state;
	sh_index *idx = f->idx;
	sh_cid nurse = lookup(idx, "nurse-0001");
	assert_string_equal(sh_concept_label(idx, nurse, "en"), "nurse responsible for general care");
	assert_string_equal(sh_concept_label(idx, nurse, "fr"), "infirmier en soins généraux");
	assert_string_equal(sh_concept_label(idx, nurse, NULL), "nurse responsible for general care");
	sh_cid python = lookup(idx, "python-0001");
	assert_string_equal(sh_concept_label(idx, python, "fr"), "Python (computer programming)");
	assert_string_equal(sh_concept_label(idx, python, "xx"), "Python (computer programming)");

	const char *const *langs;
	assert_int_equal(sh_index_languages(idx, &langs), 2);
	assert_string_equal(langs[0], "en");
	assert_string_equal(langs[1], "fr");
	assert_null(langs[2]);
}

static int contains(const sh_cid *list, size_t n, sh_cid c)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == c)
			return 1;
	return 0;
}

static void relations_in_both_directions(void **state)
{
	fixture *f = *state;
	sh_index *idx = f->idx;
	sh_cid dev = lookup(idx, "developer-0001"), python = lookup(idx, "python-0001");
	sh_cid budgets = lookup(idx, "budgets-0001"), group = lookup(idx, "S5.6");
	sh_cid isco = lookup(idx, "C2512"), digital = lookup(idx, URI_SCHEME "digital");
	const sh_cid *r;
	size_t n = sh_concept_related(idx, dev, SH_REL_ESSENTIAL_SKILL, &r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0], python);
	n = sh_concept_related(idx, dev, SH_REL_OPTIONAL_SKILL, &r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0], budgets);
	n = sh_concept_related(idx, python, SH_REL_ESSENTIAL_FOR, &r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0], dev);
	n = sh_concept_related(idx, budgets, SH_REL_OPTIONAL_FOR, &r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0], dev);
	assert_int_equal(sh_concept_related(idx, python, SH_REL_ESSENTIAL_SKILL, &r), 0);

	n = sh_concept_related(idx, python, SH_REL_BROADER, &r);
	assert_true(n == 1 && r[0] == group);
	n = sh_concept_related(idx, group, SH_REL_NARROWER, &r);
	assert_true(contains(r, n, python));
	n = sh_concept_related(idx, dev, SH_REL_ISCO_GROUP, &r);
	assert_true(n == 1 && r[0] == isco);
	n = sh_concept_related(idx, python, SH_REL_IN_SCHEME, &r);
	assert_true(n == 1 && r[0] == digital);
	n = sh_concept_related(idx, python, SH_REL_RELATED_OPTIONAL, &r);
	assert_true(n == 1 && r[0] == lookup(idx, "software-0001"));

	/* out of range concept or relation: nothing */
	assert_int_equal(sh_concept_related(idx, FIXTURE_CONCEPTS, SH_REL_BROADER, &r), 0);
	assert_int_equal(sh_concept_related(idx, dev, (sh_rel)99, &r), 0);
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void concept_json_has_every_field(void **state)
{
	fixture *f = *state;
	sh_index *idx = f->idx;
	char *text;
	assert_int_equal(sh_concept_json(idx, lookup(idx, "developer-0001"), "en", &text), SH_OK);
	json_error_t err;
	json_t *o = json_loads(text, 0, &err);
	assert_non_null(o);
	assert_string_equal(str(o, "uri"), URI_OCC "developer-0001");
	assert_string_equal(str(o, "type"), "occupation");
	assert_string_equal(str(o, "code"), "2512.4");
	assert_string_equal(str(o, "preferredLabel"), "software developer");
	assert_string_equal(str(o, "description"), "Software developers write programs.");
	assert_string_equal(str(o, "lang"), "en");
	assert_true(json_is_null(json_object_get(o, "definition")));
	json_t *alt = json_object_get(o, "altLabels");
	assert_int_equal(json_array_size(alt), 2);
	json_t *isco = json_object_get(o, "iscoGroup");
	assert_string_equal(str(isco, "code"), "2512");
	assert_string_equal(str(isco, "label"), "Software developers");
	json_t *ess = json_object_get(o, "essentialSkills");
	assert_int_equal(json_array_size(ess), 1);
	assert_string_equal(str(json_array_get(ess, 0), "label"), "Python (computer programming)");
	assert_string_equal(str(json_array_get(ess, 0), "type"), "skill");
	static const char *const arrays[] = {
		"hiddenLabels", "optionalSkills", "essentialForOccupations", "optionalForOccupations",
		"relatedEssentialSkills", "relatedOptionalSkills", "broader", "narrower", "schemes",
	};
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
		assert_true(json_is_array(json_object_get(o, arrays[i])));
	json_decref(o);
	free(text);

	/* French: French labels, notes fall back to English */
	assert_int_equal(sh_concept_json(idx, lookup(idx, "nurse-0001"), "fr", &text), SH_OK);
	o = json_loads(text, 0, &err);
	assert_string_equal(str(o, "preferredLabel"), "infirmier en soins généraux");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "altLabels"), 0)), "infirmière");
	json_decref(o);
	free(text);
	assert_int_equal(sh_concept_json(idx, FIXTURE_CONCEPTS, "en", &text), SH_ENOTFOUND);
}

static void kind_names_round_trip(void **state)
{
	(void)state;
	for (sh_kind k = SH_KIND_SKILL; k <= SH_KIND_SCHEME; k++)
		assert_int_equal(sh_kind_from_name(sh_kind_name(k)), k);
	assert_string_equal(sh_kind_name(SH_KIND_SKILL_GROUP), "skill_group");
	assert_int_equal(sh_kind_from_name("job"), 0);
	assert_int_equal(sh_kind_from_name(NULL), 0);
}

static void stale_index_is_rebuilt(void **state)
{
	fixture *f = *state;
	int64_t gen = sh_index_generation(f->idx);
	/* a new label changes the taxonomy generation */
	fixture_sql(f, "INSERT INTO label VALUES((SELECT id FROM concept WHERE uri LIKE '%python-0001'),"
	               "'en','alternative','snake language');"
	               "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'taxonomy_generation';");
	sh_index *idx;
	assert_int_equal(sh_index_open(&idx, f->idx_path), SH_OK);
	assert_int_equal(sh_index_generation(idx), gen); /* the file itself is unchanged */
	sh_index_close(idx);
	assert_int_equal(sh_index_open_fresh(&idx, f->db), SH_OK);
	assert_int_equal(sh_index_generation(idx), gen + 1);
	char *text;
	assert_int_equal(sh_concept_json(idx, lookup(idx, "python-0001"), "en", &text), SH_OK);
	assert_non_null(strstr(text, "snake language"));
	free(text);
	sh_index_close(idx);

	/* a missing index is built */
	assert_int_equal(remove(f->idx_path), 0);
	assert_int_equal(sh_index_open_fresh(&idx, f->db), SH_OK);
	assert_true(sh_file_exists(f->idx_path));
	sh_index_close(idx);
}

static void truncated_or_foreign_file_is_rejected(void **state)
{
	fixture *f = *state;
	char *data;
	size_t len;
	assert_int_equal(sh_read_file(f->idx_path, &data, &len), SH_OK);
	char path[4200];
	snprintf(path, sizeof path, "%s/cut.idx", f->dir);
	sh_index *idx = NULL;
	size_t cuts[] = { 10, len / 3, len / 2, len - 1 };
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		assert_int_equal(sh_write_atomic(path, data, cuts[i]), SH_OK);
		assert_int_equal(sh_index_open(&idx, path), SH_EFORMAT);
		assert_null(idx);
	}
	test_write_file(path, "not an index at all, just some text\n");
	assert_int_equal(sh_index_open(&idx, path), SH_EFORMAT);
	snprintf(path, sizeof path, "%s/absent.idx", f->dir);
	assert_int_equal(sh_index_open(&idx, path), SH_ENOTFOUND);

	/* open_fresh replaces a corrupt index file instead of failing */
	assert_int_equal(sh_write_atomic(f->idx_path, data, len / 2), SH_OK);
	assert_int_equal(sh_index_open_fresh(&idx, f->db), SH_OK);
	assert_int_equal(sh_index_concept_count(idx), FIXTURE_CONCEPTS);
	sh_index_close(idx);
	free(data);
}

/* Writes a copy of the index with one u32 of section id (at word index word) replaced by value. */
static void write_patched(const fixture *f, const char *path, uint32_t id, size_t word, uint32_t value)
{
	sh_idx_file file;
	assert_int_equal(sh_idxf_open(&file, f->idx_path), SH_OK);
	size_t size;
	const char *sec = sh_idxf_section(&file, id, &size);
	assert_non_null(sec);
	assert_true((word + 1) * 4 <= size);
	size_t at = (size_t)(sec - (const char *)file.map.data) + word * 4;
	char *copy = malloc(file.map.size);
	memcpy(copy, file.map.data, file.map.size);
	memcpy(copy + at, &value, 4);
	assert_int_equal(sh_write_atomic(path, copy, file.map.size), SH_OK);
	free(copy);
	sh_idxf_close(&file);
}

static void out_of_range_values_are_rejected(void **state)
{
	fixture *f = *state;
	char path[4200];
	snprintf(path, sizeof path, "%s/patched.idx", f->dir);
	sh_index *idx = NULL;
	/* a relation target beyond the concepts (targets follow n + 1 offsets) */
	write_patched(f, path, SH_SEC_REL(SH_REL_BROADER), FIXTURE_CONCEPTS + 1, FIXTURE_CONCEPTS);
	assert_int_equal(sh_index_open(&idx, path), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "relation target"));
	/* offsets that decrease */
	write_patched(f, path, SH_SEC_TEXT_OFF, 1, 1000);
	assert_int_equal(sh_index_open(&idx, path), SH_EFORMAT);
	/* a URI string offset beyond the pool */
	write_patched(f, path, SH_SEC_CONCEPTS, 0, 0x7fffffff);
	assert_int_equal(sh_index_open(&idx, path), SH_EFORMAT);
	/* a posting beyond the text records (English postings: nterms, nlabels, offsets, postings) */
	sh_idx_file file;
	assert_int_equal(sh_idxf_open(&file, f->idx_path), SH_OK);
	const uint32_t *sp = sh_idxf_section(&file, SH_IDX_ID('S', 'P', '0', '0'), NULL);
	assert_non_null(sp);
	size_t first_posting = 2 + (size_t)sp[0] + 1;
	sh_idxf_close(&file);
	write_patched(f, path, SH_IDX_ID('S', 'P', '0', '0'), first_posting, 0xffffff);
	assert_int_equal(sh_index_open(&idx, path), SH_EFORMAT);
	assert_null(idx);
	/* the unpatched copy opens */
	write_patched(f, path, SH_SEC_REL(SH_REL_BROADER), 0, 0);
	assert_int_equal(sh_index_open(&idx, path), SH_OK);
	sh_index_close(idx);
}

static void empty_database_builds_an_empty_index(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char db_path[4200], idx_path[4200];
	snprintf(db_path, sizeof db_path, "%s/empty.db", dir);
	snprintf(idx_path, sizeof idx_path, "%s/empty.db.idx", dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, db_path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_index_build(db, idx_path), SH_OK);
	sh_index *idx;
	assert_int_equal(sh_index_open(&idx, idx_path), SH_OK);
	assert_int_equal(sh_index_concept_count(idx), 0);
	const char *const *langs;
	assert_int_equal(sh_index_languages(idx, &langs), 0);
	sh_search_hit hit;
	size_t n;
	assert_int_equal(sh_search(idx, "nurse", NULL, &hit, 1, &n), SH_ENOTFOUND);
	sh_index_close(idx);
	sh_db_close(db);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lookups_by_uri_segment_and_code, setup, teardown),
		cmocka_unit_test_setup_teardown(labels_fall_back_to_english, setup, teardown),
		cmocka_unit_test_setup_teardown(relations_in_both_directions, setup, teardown),
		cmocka_unit_test_setup_teardown(concept_json_has_every_field, setup, teardown),
		cmocka_unit_test(kind_names_round_trip),
		cmocka_unit_test_setup_teardown(stale_index_is_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated_or_foreign_file_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(out_of_range_values_are_rejected, setup, teardown),
		cmocka_unit_test(empty_database_builds_an_empty_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
