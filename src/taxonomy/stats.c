/*
 * taxonomy/stats.c - counts over the taxonomy tables (skillhub stats).
 *
 * Plain COUNT queries: they run in milliseconds on the full ESCO database
 * because every counted column is a primary key or indexed.  Obsolete
 * concepts (dropped by a newer package) are not counted.
 */
#include "skillhub/taxonomy.h"
#include "store/db.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_kind(sh_db *db, const char *kind, int64_t *out)
{
	char sql[160];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM concept WHERE kind = '%s' AND status <> 'obsolete'", kind);
	return sh_db_int64(db, sql, out);
}

static int read_languages(sh_db *db, sh_taxonomy_stats *s)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT DISTINCT lang FROM label ORDER BY lang");
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char **l = realloc(s->languages, (s->nlanguages + 1) * sizeof *l);
		if (!l || !(l[s->nlanguages] = strdup((const char *)sqlite3_column_text(st, 0)))) {
			if (l)
				s->languages = l;
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		s->languages = l;
		s->nlanguages++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(db, "languages");
	sqlite3_finalize(st);
	return rc;
}

static int read_version(sh_db *db, sh_taxonomy_stats *s)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT name || ' ' || version FROM taxonomy ORDER BY id DESC LIMIT 1");
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	const char *v = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "";
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sh_db_error(db, "version");
	else if (!(s->version = strdup(v ? v : "")))
		rc = sh_error(SH_ENOMEM, "out of memory");
	sqlite3_finalize(st);
	return rc;
}

int sh_taxonomy_stats_get(sh_db *db, sh_taxonomy_stats *s)
{
	memset(s, 0, sizeof *s);
	int rc = count_kind(db, "skill", &s->skills);
	if (!rc) rc = count_kind(db, "occupation", &s->occupations);
	if (!rc) rc = count_kind(db, "skill_group", &s->skill_groups);
	if (!rc) rc = count_kind(db, "isco_group", &s->isco_groups);
	if (!rc) rc = count_kind(db, "scheme", &s->schemes);
	if (!rc) rc = sh_db_int64(db, "SELECT count(*) FROM occupation_skill", &s->occupation_skill_relations);
	if (!rc) rc = sh_db_int64(db, "SELECT count(*) FROM skill_skill", &s->skill_skill_relations);
	if (!rc) rc = sh_db_int64(db, "SELECT count(*) FROM broader", &s->broader_relations);
	if (!rc) rc = sh_db_int64(db, "SELECT count(*) FROM label", &s->labels);
	if (!rc) rc = read_languages(db, s);
	if (!rc) rc = read_version(db, s);
	if (rc)
		sh_taxonomy_stats_free(s);
	return rc;
}

void sh_taxonomy_stats_free(sh_taxonomy_stats *s)
{
	for (size_t i = 0; i < s->nlanguages; i++)
		free(s->languages[i]);
	free(s->languages);
	free(s->version);
	memset(s, 0, sizeof *s);
}
