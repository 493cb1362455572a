/*
 * catalogue/providers.c - `skillhub providers add|list|show`: training
 * providers in their exchange shape, with the number of courses each has.
 */
#include "catalogue/catalogue.h"

#include <string.h>

#include "core/error.h"

int sh_provider_put(sh_db *db, const char *provider_json, const char *who)
{
	json_error_t err;
	json_t *p = json_loads(provider_json, 0, &err);
	if (!p)
		return sh_error(SH_EFORMAT, "provider: malformed JSON: %s", err.text);
	sh_buf problems = SH_BUF_INIT;
	int rc = SH_OK;
	if (cat_provider_validate(p, "provider", &problems)) {
		problems.data[problems.len - 1] = '\0'; /* the last newline */
		rc = sh_error(SH_EINVAL, "%s", problems.data);
	}
	if (!rc)
		rc = sh_db_begin(db);
	if (!rc) {
		rc = cat_provider_store(db, p, who);
		if (!rc)
			rc = sh_db_commit(db);
		if (rc)
			sh_db_rollback(db);
	}
	sh_buf_free(&problems);
	json_decref(p);
	return rc;
}

int sh_providers_json(sh_db *db, const char *ref, char **out)
{
	json_t *all;
	int rc = cat_providers_load(db, &all);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if ((rc = sh_db_prepare(db, &st,
		"SELECT count(*), count(CASE WHEN c.status = 'approved' THEN 1 END) FROM course c"
		" JOIN provider p ON p.id = c.provider WHERE p.ref = ?"))) {
		json_decref(all);
		return rc;
	}
	json_t *result = ref ? NULL : json_array();
	size_t i;
	json_t *p;
	json_array_foreach(all, i, p) {
		const char *pref = json_string_value(json_object_get(p, "id"));
		if (ref && strcmp(ref, pref))
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, pref, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			json_object_set_new(p, "courses", json_integer(sqlite3_column_int64(st, 0)));
			json_object_set_new(p, "approved", json_integer(sqlite3_column_int64(st, 1)));
		}
		if (ref)
			result = json_incref(p);
		else
			json_array_append(result, p);
	}
	sqlite3_finalize(st);
	json_decref(all);
	if (!result)
		return sh_error(SH_ENOTFOUND, "no provider with id '%s'", ref);
	*out = json_dumps(result, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(result);
	return *out ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
}
