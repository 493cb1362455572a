/*
 * tests/unit/index_fixture.h - a small taxonomy written with plain SQL into a
 * fresh database, and its compiled index, for test_index.c and
 * test_search.c (header-only: each unit test is one program).
 *
 * 14 concepts: two ISCO groups, four occupations, six skills, a skill group
 * and the digital skills collection; English labels, French labels for the
 * nurse; every relation table has at least one row.
 */
#ifndef SH_TEST_INDEX_FIXTURE_H
#define SH_TEST_INDEX_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "skillhub/index.h"
#include "store/db.h"

#define URI_OCC    "http://data.europa.eu/esco/occupation/"
#define URI_SKILL  "http://data.europa.eu/esco/skill/"
#define URI_SCHEME "http://data.europa.eu/esco/concept-scheme/"
#define FIXTURE_CONCEPTS 14
#define SH_CID_NONE_TEST UINT32_MAX

typedef struct fixture {
	char      *dir;
	char       db_path[4200], idx_path[4200];
	sh_db     *db;
	sh_index  *idx;
} fixture;

static const char fixture_taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind, code, skill_type, reuse_level, isco_group) VALUES"
	" (1, 'http://data.europa.eu/esco/isco/C2221', 'isco_group', '2221', NULL, NULL, NULL),"
	" (2, 'http://data.europa.eu/esco/isco/C2512', 'isco_group', '2512', NULL, NULL, NULL),"
	" (3, '" URI_OCC "nurse-0001', 'occupation', '2221.1', NULL, NULL, 1),"
	" (4, '" URI_OCC "developer-0001', 'occupation', '2512.4', NULL, NULL, 2),"
	" (5, '" URI_OCC "barista-0001', 'occupation', '5132.1', NULL, NULL, NULL),"
	" (6, '" URI_SKILL "python-0001', 'skill', NULL, 'knowledge', 'cross-sector', NULL),"
	" (7, '" URI_SKILL "software-0001', 'skill', NULL, 'skill/competence', 'sector-specific', NULL),"
	" (8, '" URI_SKILL "budgets-0001', 'skill', NULL, 'skill/competence', 'cross-sector', NULL),"
	" (9, '" URI_SKILL "staff-0001', 'skill', NULL, 'skill/competence', 'transversal', NULL),"
	" (10, '" URI_SKILL "programming-0001', 'skill', NULL, 'knowledge', 'cross-sector', NULL),"
	" (11, '" URI_SKILL "group-0001', 'skill_group', 'S5.6', NULL, NULL, NULL),"
	" (12, '" URI_SCHEME "digital', 'scheme', NULL, NULL, NULL, NULL),"
	" (13, '" URI_SKILL "nursing-0001', 'skill', NULL, 'skill/competence', 'sector-specific', NULL),"
	" (14, '" URI_OCC "teacher-0001', 'occupation', '2356.1', NULL, NULL, NULL);"
	"INSERT INTO label(concept, lang, kind, text) VALUES"
	" (1, 'en', 'preferred', 'Nursing professionals'),"
	" (2, 'en', 'preferred', 'Software developers'),"
	" (3, 'en', 'preferred', 'nurse responsible for general care'),"
	" (3, 'en', 'alternative', 'general nurse'),"
	" (3, 'en', 'alternative', 'registered nurse'),"
	" (3, 'fr', 'preferred', 'infirmier en soins généraux'),"
	" (3, 'fr', 'alternative', 'infirmière'),"
	" (4, 'en', 'preferred', 'software developer'),"
	" (4, 'en', 'alternative', 'programmer'),"
	" (4, 'en', 'alternative', 'software engineer'),"
	" (5, 'en', 'preferred', 'barista'),"
	" (5, 'en', 'alternative', 'café worker'),"
	" (6, 'en', 'preferred', 'Python (computer programming)'),"
	" (7, 'en', 'preferred', 'develop software'),"
	" (8, 'en', 'preferred', 'manage budgets'),"
	" (9, 'en', 'preferred', 'manage staff'),"
	" (9, 'en', 'hidden', 'staff managment'),"
	" (10, 'en', 'preferred', 'computer programming'),"
	" (11, 'en', 'preferred', 'programming languages'),"
	" (12, 'en', 'preferred', 'digital skills collection'),"
	" (13, 'en', 'preferred', 'provide nursing care'),"
	" (13, 'en', 'alternative', 'nursing care'),"
	" (14, 'en', 'preferred', 'computer science teacher'),"
	" (14, 'en', 'alternative', 'computer programming');"
	"INSERT INTO note(concept, lang, kind, text) VALUES"
	" (3, 'en', 'description', 'Nurses provide general care.'),"
	" (4, 'en', 'description', 'Software developers write programs.');"
	"INSERT INTO occupation_skill VALUES (4, 6, 'essential'), (4, 8, 'optional'),"
	" (3, 13, 'essential'), (3, 9, 'optional');"
	"INSERT INTO skill_skill VALUES (6, 7, 'optional');"
	"INSERT INTO broader VALUES (6, 11), (10, 11), (3, 1), (4, 2);"
	"INSERT INTO scheme_member VALUES (12, 6, 0);"
	"UPDATE meta SET value = '1' WHERE key = 'taxonomy_generation';";

static inline void fixture_sql(fixture *f, const char *sql)
{
	if (sh_db_exec(f->db, sql) != SH_OK)
		fail_msg("fixture SQL failed: %s", sh_errmsg());
}

static inline fixture *fixture_new(void)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = test_tmpdir();
	snprintf(f->db_path, sizeof f->db_path, "%s/test.db", f->dir);
	snprintf(f->idx_path, sizeof f->idx_path, "%s/test.db.idx", f->dir);
	assert_int_equal(sh_db_open(&f->db, f->db_path, SH_DB_CREATE), SH_OK);
	fixture_sql(f, fixture_taxonomy_sql);
	assert_int_equal(sh_index_open_fresh(&f->idx, f->db), SH_OK);
	return f;
}

static inline void fixture_free(fixture *f)
{
	sh_index_close(f->idx);
	sh_db_close(f->db);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
}

#endif
