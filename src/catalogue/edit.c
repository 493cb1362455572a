/*
 * catalogue/edit.c - the catalogue edited one course at a time, as the web's
 * provider and reviewer workflow does (server/api_courses_write.c,
 * server/pages_provider.c), where import works on whole files.
 *
 * Nothing here opens a transaction: the caller checks who may do what (the
 * course's provider and status, cat_course_get_state) and writes in the same
 * BEGIN IMMEDIATE ... COMMIT, so that nothing changes in between.
 *
 * The rule for edits: what a reviewer approved is what the public sees.  A
 * submitted or approved course whose stored form changes (any member, or a
 * skill decision of its provider) goes back to draft, leaving the public
 * catalogue until it is submitted and approved again; a write that changes
 * nothing keeps the status.  Every change is audited by cat_course_store;
 * a reviewer's comment is an audit row too (field "review_comment"), so the
 * provider reads why a course was rejected where the rejection is recorded.
 */
#include "catalogue/catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int cat_course_get_state(sh_db *db, const char *ref, cat_course_state *out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT c.id, p.ref, c.status FROM course c JOIN provider p ON p.id = c.provider WHERE c.ref = ?");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->provider, sizeof out->provider, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(out->status, sizeof out->status, "%s", (const char *)sqlite3_column_text(st, 2));
	} else {
		rc = s == SQLITE_DONE ? sh_error(SH_ENOTFOUND, "no course with id '%s'", ref)
		                      : sh_db_error(db, "course state");
	}
	sqlite3_finalize(st);
	return rc;
}

int cat_course_reopen(sh_db *db, const char *ref, const char *who, int *reopened)
{
	cat_course_state state;
	*reopened = 0;
	int rc = cat_course_get_state(db, ref, &state);
	if (rc || (strcmp(state.status, "submitted") && strcmp(state.status, "approved")))
		return rc;
	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(db, &st, "UPDATE course SET status = 'draft', flagged = NULL WHERE id = ?")))
		return rc;
	sqlite3_bind_int64(st, 1, state.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "reopen course");
	sqlite3_finalize(st);
	char entity[CAT_REF_MAX + 16];
	snprintf(entity, sizeof entity, "course:%s", ref);
	if (!rc)
		rc = cat_audit(db, who, entity, "status", state.status, "draft");
	*reopened = !rc;
	return rc;
}

/* The stored form of course id without its workflow members (status, flagged), for comparing. */
static int stored_form(sh_db *db, int64_t id, json_t **out)
{
	int rc = cat_course_load(db, id, out);
	if (!rc) {
		json_object_del(*out, "status");
		json_object_del(*out, "flagged");
	}
	return rc;
}

int cat_course_put(sh_db *db, json_t *c, const char *who, const sh_index *idx, sh_extractor *x,
                   sh_buf *problems, cat_put_result *res)
{
	memset(res, 0, sizeof *res);
	size_t n = cat_course_validate(c, "body", problems);
	if (n)
		return sh_error(SH_EFORMAT, "the course has %zu problem%s", n, n == 1 ? "" : "s");
	const char *ref = json_string_value(json_object_get(c, "id"));
	cat_course_state state;
	json_t *before = NULL, *after = NULL;
	int rc = cat_course_get_state(db, ref, &state);
	res->created = rc == SH_ENOTFOUND;
	if (res->created)
		rc = SH_OK;
	else if (!rc)
		rc = stored_form(db, state.id, &before);
	int text_changed = 0;
	if (!rc && (rc = cat_course_store(db, c, who, "body", problems, &res->id, &text_changed)) == SH_EFORMAT)
		rc = sh_error(SH_EFORMAT, "course %s: a reference does not resolve", ref);
	if (!rc && before)
		rc = stored_form(db, res->id, &after);
	res->changed = res->created || (after && !json_equal(before, after));
	if (!rc && res->changed && !res->created)
		rc = cat_course_reopen(db, ref, who, &res->reopened);
	if (!rc && text_changed && x)
		rc = cat_propose_skills(db, idx, x, res->id, &res->nproposed);
	json_decref(before);
	json_decref(after);
	return rc;
}

int cat_courses_list(sh_db *db, const char *provider, const char *status, const char *lang, json_t **out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT c.ref, (SELECT title FROM course_text x WHERE x.course = c.id"
		"  ORDER BY x.lang = ?3 DESC, x.lang = 'en' DESC, x.lang LIMIT 1),"
		" p.ref, c.status, c.flagged, c.updated_at"
		" FROM course c JOIN provider p ON p.id = c.provider"
		" WHERE (?1 IS NULL OR p.ref = ?1) AND (?2 IS NULL OR c.status = ?2) ORDER BY p.ref, c.ref");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, lang ? lang : "en", -1, SQLITE_STATIC);
	static const char *const keys[] = { "id", "title", "provider", "status", "flagged", "updated" };
	json_t *a = json_array();
	int s = SQLITE_DONE;
	while (a && (s = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int k = 0; k < 6 && o; k++)
			if (sqlite3_column_type(st, k) != SQLITE_NULL)
				json_object_set_new(o, keys[k], json_string((const char *)sqlite3_column_text(st, k)));
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			a = NULL;
		}
	}
	if (!a)
		rc = sh_error(SH_ENOMEM, "out of memory (course list)");
	else if (s != SQLITE_DONE)
		rc = sh_db_error(db, "list courses");
	sqlite3_finalize(st);
	if (rc)
		json_decref(a);
	else
		*out = a;
	return rc;
}

int cat_course_comment(sh_db *db, const char *ref, const char *who, const char *comment)
{
	char entity[CAT_REF_MAX + 16];
	snprintf(entity, sizeof entity, "course:%s", ref);
	return cat_audit(db, who, entity, "review_comment", NULL, comment);
}

int cat_course_last_comment(sh_db *db, const char *ref, char **out)
{
	sqlite3_stmt *st;
	*out = NULL;
	int rc = sh_db_prepare(db, &st, "SELECT new FROM audit WHERE entity = 'course:' || ? AND field = 'review_comment'"
	                                " ORDER BY id DESC LIMIT 1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW && sqlite3_column_text(st, 0) && !(*out = strdup((const char *)sqlite3_column_text(st, 0))))
		rc = sh_error(SH_ENOMEM, "out of memory");
	else if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sh_db_error(db, "review comment");
	sqlite3_finalize(st);
	return rc;
}
