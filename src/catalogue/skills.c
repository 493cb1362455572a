/*
 * catalogue/skills.c - ESCO skills of a course: proposals from the
 * extractor, reviewer decisions, and the list shown to reviewers.
 *
 * Proposals are recomputed from scratch whenever a course's texts change:
 * sh_extract() runs over the titles, descriptions and outcomes of each
 * language the index has labels for, and every confidently found skill
 * (a label occurs literally) becomes a row of origin 'proposed' with its
 * best score.  Rows a reviewer (or the provider's file) decided, accepted
 * or rejected, are never overwritten by a proposal: a rejected skill stays
 * rejected when the text is edited.
 */
#include "catalogue/catalogue.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int index_has_lang(const sh_index *idx, const char *lang)
{
	const char *const *langs;
	size_t n = sh_index_languages(idx, &langs);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(langs[i], lang))
			return 1;
	return 0;
}

/* Upserts one proposal (keeps decided rows, keeps the best score). */
static int propose(sh_db *db, int64_t course, int64_t skill, double score)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"INSERT INTO course_skill(course, skill, origin, score) VALUES(?, ?, 'proposed', ?)"
		" ON CONFLICT(course, skill) DO UPDATE SET score = max(coalesce(score, 0), excluded.score)"
		" WHERE origin = 'proposed'");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, course);
	sqlite3_bind_int64(st, 2, skill);
	sqlite3_bind_double(st, 3, score);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "propose skill");
	sqlite3_finalize(st);
	return rc;
}

/* Extracts skills from the course's text in lang and proposes them. */
static int propose_lang(sh_db *db, const sh_index *idx, sh_extractor *x, int64_t id, const char *lang,
                        sqlite3_stmt *find, size_t *n)
{
	sh_buf text = SH_BUF_INIT;
	int rc = cat_course_text(db, id, lang, &text);
	sh_extraction ex = { 0 };
	sh_extract_opts opts = { lang, 0, 0 };
	if (!rc && text.len)
		rc = sh_extract(x, text.data, text.len, &opts, &ex);
	for (size_t i = 0; !rc && text.len && i < ex.nskills; i++) {
		sqlite3_reset(find);
		sqlite3_bind_text(find, 1, sh_concept_uri(idx, ex.skills[i].concept), -1, SQLITE_TRANSIENT);
		if (sqlite3_step(find) != SQLITE_ROW)
			continue; /* the index is older than the database: skip what it no longer has */
		rc = propose(db, id, sqlite3_column_int64(find, 0), ex.skills[i].score);
		++*n;
	}
	sh_buf_free(&text);
	return rc;
}

int cat_propose_skills(sh_db *db, const sh_index *idx, sh_extractor *x, int64_t id, size_t *n)
{
	*n = 0;
	sqlite3_stmt *langs = NULL, *find = NULL;
	int rc = sh_db_exec(db, "SAVEPOINT propose");
	if (rc)
		return rc;
	char del[96];
	snprintf(del, sizeof del, "DELETE FROM course_skill WHERE course = %lld AND origin = 'proposed'", (long long)id);
	rc = sh_db_exec(db, del);
	if (!rc)
		rc = sh_db_prepare(db, &langs, "SELECT lang FROM course_text WHERE course = ?"
		                               " UNION SELECT lang FROM course_outcome WHERE course = ?");
	if (!rc)
		rc = sh_db_prepare(db, &find, "SELECT id FROM concept WHERE uri = ? AND kind = 'skill'");
	if (!rc) {
		sqlite3_bind_int64(langs, 1, id);
		sqlite3_bind_int64(langs, 2, id);
		while (!rc && sqlite3_step(langs) == SQLITE_ROW) {
			const char *lang = (const char *)sqlite3_column_text(langs, 0);
			if (index_has_lang(idx, lang))
				rc = propose_lang(db, idx, x, id, lang, find, n);
		}
	}
	sqlite3_finalize(langs);
	sqlite3_finalize(find);
	if (rc)
		sh_db_exec(db, "ROLLBACK TO propose");
	sh_db_exec(db, "RELEASE propose");
	return rc;
}

int sh_course_propose_skills(sh_db *db, const sh_index *idx, const char *ref, size_t *nproposed)
{
	int64_t id;
	int rc = cat_course_id(db, ref, &id);
	sh_extractor *x = NULL;
	if (!rc)
		rc = sh_extractor_new(&x, idx);
	if (!rc)
		rc = cat_propose_skills(db, idx, x, id, nproposed);
	sh_extractor_free(x);
	return rc;
}

int cat_course_decide_skill(sh_db *db, const char *ref, const char *skill_uri, int accept, const char *who)
{
	int64_t id;
	int rc = cat_course_id(db, ref, &id);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(db, &st,
		"SELECT k.id, s.origin FROM concept k LEFT JOIN course_skill s ON s.skill = k.id AND s.course = ?"
		" WHERE k.uri = ? AND k.kind = 'skill'")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, skill_uri, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return sh_error(SH_ENOTFOUND, "%s: not an ESCO skill URI of this database", skill_uri);
	}
	int64_t skill = sqlite3_column_int64(st, 0);
	char *old = sqlite3_column_text(st, 1) ? strdup((const char *)sqlite3_column_text(st, 1)) : NULL;
	sqlite3_finalize(st);
	const char *origin = accept ? "accepted" : "rejected";
	char entity[600];
	snprintf(entity, sizeof entity, "course_skill:%s", ref);
	if ((rc = sh_db_prepare(db, &st,
		"INSERT INTO course_skill(course, skill, origin) VALUES(?, ?, ?)"
		" ON CONFLICT(course, skill) DO UPDATE SET origin = excluded.origin")) == SH_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, skill);
		sqlite3_bind_text(st, 3, origin, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "decide skill");
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = cat_audit(db, who, entity, skill_uri, old, origin);
	free(old);
	return rc;
}

int sh_course_decide_skill(sh_db *db, const char *ref, const char *skill_uri, int accept, const char *who)
{
	int rc = sh_db_begin(db);
	if (!rc)
		rc = cat_course_decide_skill(db, ref, skill_uri, accept, who);
	if (!rc)
		rc = sh_db_commit(db);
	if (rc)
		sh_db_rollback(db);
	return rc;
}

int sh_course_skills_json(sh_db *db, const char *ref, char **out)
{
	int64_t id;
	int rc = cat_course_id(db, ref, &id);
	sqlite3_stmt *st;
	if (rc || (rc = sh_db_prepare(db, &st,
		"SELECT k.id, k.uri, s.origin, s.score, s.level, k.status FROM course_skill s"
		" JOIN concept k ON k.id = s.skill WHERE s.course = ?"
		" ORDER BY s.origin = 'accepted' DESC, s.origin = 'proposed' DESC, s.score DESC, k.uri")))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	json_t *arr = json_array();
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		char *label = cat_skill_label(db, sqlite3_column_int64(st, 0), NULL);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "uri", sqlite3_column_text(st, 1),
		                      "label", label ? label : "", "origin", sqlite3_column_text(st, 2),
		                      "status", sqlite3_column_text(st, 5));
		free(label);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			json_object_set_new(o, "score", json_real(sqlite3_column_double(st, 3)));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			json_object_set_new(o, "level", json_string((const char *)sqlite3_column_text(st, 4)));
		json_array_append_new(arr, o);
	}
	if (s != SQLITE_DONE)
		rc = sh_db_error(db, "course skills");
	sqlite3_finalize(st);
	if (!rc && !(*out = json_dumps(arr, JSON_INDENT(2))))
		rc = sh_error(SH_ENOMEM, "out of memory");
	json_decref(arr);
	return rc;
}
