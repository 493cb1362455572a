/*
 * tests/unit/test_import.c - the ESCO CSV import over the fixtures in
 * tests/fixtures/esco-*: counts, labels, relations, collections, re-import,
 * the record of changes between versions, and rollback on malformed input.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "skillhub/taxonomy.h"
#include "store/db.h"
#include "taxonomy/esco_files.h"

#define ESCO "http://data.europa.eu/esco/"

typedef struct fixture {
	char  *dir;
	sh_db *db;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fx->dir = test_tmpdir();
	char path[4200];
	snprintf(path, sizeof path, "%s/t.db", fx->dir);
	assert_int_equal(sh_db_open(&fx->db, path, SH_DB_CREATE), SH_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	sh_db_close(fx->db);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static int import(fixture *fx, const char *rel, const char *version, sh_import_report *rep)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", test_fixture(rel));
	const char *dirs[] = { dir };
	sh_import_opts opts = { .version = version };
	return sh_import_esco(fx->db, dirs, 1, &opts, rep);
}

static int64_t count(fixture *fx, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(sh_db_int64(fx->db, sql, &n), SH_OK);
	return n;
}

/* Text of a one-row, one-column query ("" when no row); static buffer. */
static const char *text(fixture *fx, const char *sql)
{
	static char out[16384];
	sqlite3_stmt *st;
	assert_int_equal(sh_db_prepare(fx->db, &st, sql), SH_OK);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void imports_every_file_kind(void **state)
{
	fixture *fx = *state;
	sh_import_report rep;
	assert_int_equal(import(fx, "esco-mini/en", "1.1.1", &rep), SH_OK);
	assert_int_equal(rep.files, 12);              /* skillsHierarchy_en.csv is not read */
	assert_int_equal(rep.added, 13 + 4 + 6 + 13 + 6 + 1);
	assert_true(rep.taxonomy_id > 0);
	assert_string_equal(rep.version, "1.1.1");

	sh_taxonomy_stats s;
	assert_int_equal(sh_taxonomy_stats_get(fx->db, &s), SH_OK);
	assert_int_equal(s.skills, 13);
	assert_int_equal(s.occupations, 4);
	assert_int_equal(s.skill_groups, 6);
	assert_int_equal(s.isco_groups, 13);
	assert_int_equal(s.occupation_skill_relations, 15);
	assert_int_equal(s.skill_skill_relations, 3);
	assert_int_equal(s.broader_relations, 31);
	assert_string_equal(s.version, "ESCO 1.1.1");
	sh_taxonomy_stats_free(&s);

	/* skills_en.csv starts with a BOM; its multi-line altLabels are split */
	assert_int_equal(count(fx, "SELECT count(*) FROM label JOIN concept c ON c.id = concept "
		"WHERE c.uri = '" ESCO "skill/mini-s01' AND label.kind = 'alternative'"), 2);
	assert_string_equal(text(fx, "SELECT text FROM label JOIN concept c ON c.id = concept "
		"WHERE c.uri = '" ESCO "skill/mini-s02' AND label.kind = 'hidden'"), "Javascript");
	assert_string_equal(text(fx, "SELECT skill_type || '|' || reuse_level FROM concept "
		"WHERE uri = '" ESCO "skill/mini-s01'"), "knowledge|sector-specific");
	/* occupations_en.csv has CRLF line ends: no CR may reach a label */
	assert_int_equal(count(fx, "SELECT count(*) FROM label WHERE text LIKE '%' || char(13) || '%'"), 0);
	assert_string_equal(text(fx, "SELECT g.code FROM concept o JOIN concept g ON g.id = o.isco_group "
		"WHERE o.uri = '" ESCO "occupation/mini-o03'"), "7126");
	assert_string_equal(text(fx, "SELECT relation FROM occupation_skill "
		"WHERE occupation = (SELECT id FROM concept WHERE uri = '" ESCO "occupation/mini-o04') "
		"AND skill = (SELECT id FROM concept WHERE uri = '" ESCO "skill/mini-s10')"), "essential");
	assert_string_equal(text(fx, "SELECT text FROM note JOIN concept c ON c.id = concept "
		"WHERE c.uri = '" ESCO "occupation/mini-o04' AND note.kind = 'description'"), "Cooks prepare food.");
	/* collections: matched to a concept scheme by label, or a urn: of their own */
	assert_string_equal(text(fx, "SELECT uri FROM concept WHERE collection_key = 'digital'"),
	                    ESCO "concept-scheme/mini-digital");
	assert_string_equal(text(fx, "SELECT uri FROM concept WHERE collection_key = 'transversal'"),
	                    "urn:skillhub:collection:transversal");
	assert_int_equal(count(fx, "SELECT count(*) FROM scheme_member m JOIN concept s ON s.id = m.scheme "
		"WHERE s.collection_key = 'digital'"), 5);
	/* inScheme and hasTopConcept (label-role/male is not a taxonomy concept: skipped) */
	assert_int_equal(count(fx, "SELECT count(*) FROM scheme_member m JOIN concept s ON s.id = m.scheme "
		"WHERE s.uri = '" ESCO "concept-scheme/isco' AND m.top = 1"), 3);
	assert_int_equal(count(fx, "SELECT count(*) FROM scheme_member m JOIN concept s ON s.id = m.scheme "
		"WHERE s.uri = '" ESCO "concept-scheme/member-skills'"), 13);
}

static void reimport_changes_nothing(void **state)
{
	fixture *fx = *state;
	sh_import_report rep;
	assert_int_equal(import(fx, "esco-mini/en", "1.1.1", &rep), SH_OK);
	int64_t gen1, gen2;
	assert_int_equal(sh_db_generation(fx->db, &gen1), SH_OK);
	int64_t labels = count(fx, "SELECT count(*) FROM label");
	assert_int_equal(import(fx, "esco-mini/en", "1.1.1", &rep), SH_OK);
	assert_int_equal(rep.taxonomy_id, 0);
	assert_int_equal(rep.added + rep.changed + rep.removed, 0);
	assert_int_equal(sh_db_generation(fx->db, &gen2), SH_OK);
	assert_int_equal(gen1, gen2);
	assert_int_equal(count(fx, "SELECT count(*) FROM taxonomy"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM label"), labels);
}

static void french_labels_land_on_the_same_concepts(void **state)
{
	fixture *fx = *state;
	sh_import_report rep;
	assert_int_equal(import(fx, "esco-mini/en", "1.1.1", &rep), SH_OK);
	int64_t concepts = count(fx, "SELECT count(*) FROM concept");
	assert_int_equal(import(fx, "esco-mini/fr", "1.0", &rep), SH_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.changed, 7);
	assert_int_equal(count(fx, "SELECT count(*) FROM concept"), concepts);
	assert_string_equal(text(fx, "SELECT text FROM label JOIN concept c ON c.id = concept "
		"WHERE c.uri = '" ESCO "skill/mini-s04' AND lang = 'fr' AND label.kind = 'preferred'"),
		"déboguer un logiciel");
	assert_int_equal(count(fx, "SELECT count(*) FROM label WHERE lang = 'fr' AND kind = 'alternative'"), 7);
	/* the older package does not touch language-neutral fields */
	assert_string_equal(text(fx, "SELECT text FROM label JOIN concept c ON c.id = concept "
		"WHERE c.uri = '" ESCO "skill/mini-s04' AND lang = 'en' AND label.kind = 'preferred'"),
		"debug software");
	/* and importing it again is a no-op too */
	assert_int_equal(import(fx, "esco-mini/fr", "1.0", &rep), SH_OK);
	assert_int_equal(rep.taxonomy_id, 0);
}

static const sh_concept_change *find_change(const sh_taxonomy_diff *d, const char *uri)
{
	for (size_t i = 0; i < d->nchanges; i++)
		if (strcmp(d->changes[i].uri, uri) == 0)
			return &d->changes[i];
	return NULL;
}

static void newer_version_records_what_changed(void **state)
{
	fixture *fx = *state;
	sh_import_report rep;
	int64_t gen1, gen2;
	assert_int_equal(import(fx, "esco-mini/en", "1.1.1", &rep), SH_OK);
	assert_int_equal(sh_db_generation(fx->db, &gen1), SH_OK);
	assert_int_equal(import(fx, "esco-mini-v2/en", "1.2.0", &rep), SH_OK);
	assert_int_equal(sh_db_generation(fx->db, &gen2), SH_OK);
	assert_int_equal(gen2, gen1 + 1);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.removed, 1);
	assert_int_equal(rep.changed, 3);

	sh_taxonomy_diff d;
	assert_int_equal(sh_taxonomy_diff_get(fx->db, 0, &d), SH_OK);
	assert_int_equal(d.run, rep.taxonomy_id);
	assert_string_equal(d.version, "1.2.0");
	assert_int_equal(d.nchanges, 5);
	const sh_concept_change *c = find_change(&d, ESCO "skill/mini-s14");
	assert_non_null(c);
	assert_string_equal(c->change, "added");
	assert_string_equal(c->label, "TypeScript");
	c = find_change(&d, ESCO "skill/mini-s13");
	assert_non_null(c);
	assert_string_equal(c->change, "removed");
	c = find_change(&d, ESCO "skill/mini-s04");
	assert_non_null(c);
	assert_string_equal(c->change, "changed");
	assert_string_equal(c->detail, "preferredLabel,modifiedDate");
	c = find_change(&d, ESCO "occupation/mini-o03");
	assert_non_null(c);
	assert_string_equal(c->detail, "skills");
	sh_taxonomy_diff_free(&d);

	/* the removed skill is kept, obsolete, and no longer counted */
	assert_string_equal(text(fx, "SELECT status FROM concept WHERE uri = '" ESCO "skill/mini-s13'"), "obsolete");
	sh_taxonomy_stats s;
	assert_int_equal(sh_taxonomy_stats_get(fx->db, &s), SH_OK);
	assert_int_equal(s.skills, 13);
	sh_taxonomy_stats_free(&s);
	/* the first run is still readable */
	assert_int_equal(sh_taxonomy_diff_get(fx->db, 1, &d), SH_OK);
	assert_int_equal(d.added, 43);
	sh_taxonomy_diff_free(&d);
	assert_int_equal(sh_taxonomy_diff_get(fx->db, 99, &d), SH_ENOTFOUND);
}

/* Every table's rows, hashed: equal before and after a failed import. */
static const char *dump(fixture *fx)
{
	return text(fx,
		"SELECT (SELECT group_concat(id || uri || kind || status || coalesce(code, ''), ';') FROM concept)"
		" || (SELECT count(*) || sum(length(text)) FROM label)"
		" || (SELECT count(*) || sum(length(text)) FROM note)"
		" || (SELECT count(*) FROM occupation_skill) || (SELECT count(*) FROM skill_skill)"
		" || (SELECT count(*) FROM broader) || (SELECT count(*) FROM scheme_member)"
		" || (SELECT count(*) FROM taxonomy) || (SELECT group_concat(value) FROM meta)");
}

static void malformed_package_leaves_database_unchanged(void **state)
{
	fixture *fx = *state;
	static const struct { const char *dir, *where; } cases[] = {
		{ "esco-bad/unterminated-quote", "unterminated-quote/skills_en.csv:3: unterminated quoted field" },
		{ "esco-bad/missing-column",     "missing-column/occupations_en.csv:1: missing required column 'preferredLabel'" },
		{ "esco-bad/field-count",        "field-count/skills_en.csv:3: 14 fields, but the header has 13" },
		{ "esco-bad/invalid-utf8",       "invalid-utf8/skills_en.csv:3: invalid UTF-8 in column 6 (altLabels)" },
		{ "esco-bad/bad-relation-type",  "bad-relation-type/occupationSkillRelations.csv:3: relationType 'mandatory'" },
		{ "esco-bad/unknown-uri",        "unknown-uri/occupationSkillRelations.csv:3: skillUri: unknown concept" },
		{ "esco-bad/empty-required",     "empty-required/skills_en.csv:3: empty preferredLabel" },
	};
	sh_import_report rep;
	assert_int_equal(import(fx, "esco-mini/en", NULL, &rep), SH_OK);
	char before[16384];
	snprintf(before, sizeof before, "%s", dump(fx));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(import(fx, cases[i].dir, NULL, &rep), SH_EFORMAT);
		if (!strstr(sh_errmsg(), cases[i].where))
			fail_msg("%s: got '%s'", cases[i].dir, sh_errmsg());
		assert_string_equal(dump(fx), before);
	}
}

typedef struct progress_log {
	int    started, finished;
	size_t rows;
} progress_log;

static void log_progress(void *ctx, const char *file, size_t rows, int done)
{
	progress_log *log = ctx;
	assert_non_null(strstr(file, "esco-mini/en/"));
	if (done) {
		log->finished++;
		log->rows += rows;
	} else if (rows == 0) {
		log->started++;
	}
}

static void progress_is_reported_per_file(void **state)
{
	fixture *fx = *state;
	progress_log log = { 0 };
	const char *dirs[] = { test_fixture("esco-mini/en") };
	sh_import_opts opts = { .progress = log_progress, .progress_ctx = &log };
	sh_import_report rep;
	assert_int_equal(sh_import_esco(fx->db, dirs, 1, &opts, &rep), SH_OK);
	assert_int_equal(log.started, 12);
	assert_int_equal(log.finished, 12);
	assert_int_equal(log.rows, (size_t)rep.rows);
	assert_int_equal(rep.rows, 98);
}

static void versions_come_from_paths(void **state)
{
	(void)state;
	char v[32];
	esco_version_from_path("/data/esco/v1.1.1/en", v, sizeof v);
	assert_string_equal(v, "1.1.1");
	esco_version_from_path("data/esco/v1.0.8-occupations", v, sizeof v);
	assert_string_equal(v, "1.0.8");
	esco_version_from_path("tests/fixtures/esco-mini-v2/en", v, sizeof v);
	assert_string_equal(v, "");
	int comparable;
	assert_true(esco_version_cmp("1.0.8", "1.1.1", &comparable) < 0 && comparable);
	assert_true(esco_version_cmp("1.10", "1.9", &comparable) > 0 && comparable);
	assert_int_equal(esco_version_cmp("1.0", "1.0.0", &comparable), 0);
	assert_true(comparable);
	esco_version_cmp("unknown", "1.0", &comparable);
	assert_false(comparable);
}

static void empty_directory_is_an_error(void **state)
{
	fixture *fx = *state;
	const char *dirs[] = { fx->dir };
	sh_import_report rep;
	assert_int_equal(sh_import_esco(fx->db, dirs, 1, NULL, &rep), SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "no ESCO CSV files"));
	assert_int_equal(count(fx, "SELECT count(*) FROM concept"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(imports_every_file_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(reimport_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(french_labels_land_on_the_same_concepts, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_version_records_what_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_package_leaves_database_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(progress_is_reported_per_file, setup, teardown),
		cmocka_unit_test(versions_come_from_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
