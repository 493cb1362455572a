/*
 * pathways/profile_store.c - an account's own skill profile in the database
 * (migration 5: tables profile and profile_skill, docs/data-model.md).
 *
 * The personal data kept is minimal: per skill held its level, where the
 * claim came from and when it was added; per account the occupation aimed
 * at and three plan preferences (teaching language, region, budget).  Both
 * tables reference account(id) ON DELETE CASCADE, so deleting the account
 * deletes the profile; sh_profile_store_erase deletes it while the account
 * stays.
 *
 * Rows name concepts by concept.id (stable within a database) and are
 * mapped to index ids through their URIs, as the catalogue's skills are.
 * The exchange form is the JSON profile document that sh_profile_load_json
 * reads, plus "target" and "preferences", so an export can be fed back to
 * `skillhub gap --profile` or to PUT /api/v1/me/profile unchanged:
 *
 *   {"skills": [{"uri": "...", "level": 0.8, "source": "assessed",
 *                "added": "2026-11-23T14:00:00Z"}, ...],
 *    "target": "http://data.europa.eu/esco/occupation/...",
 *    "preferences": {"language": "de", "region": "DE3", "budget": 500}}
 *
 * Levels are stored rounded to 4 decimals so that they print as given.
 * Unlike an in-memory profile (which keeps the higher level of two claims),
 * a stored skill added again takes the new level and source: the person
 * may lower a level they overstated.
 */
#include "skillhub/pathways.h"
#include "core/error.h"
#include "store/db.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static double stored_level(float level)
{
	return round((double)level * 1e4) / 1e4;
}

/* The concept.id of index concept c (through its URI). */
static int concept_row(sh_db *db, const sh_index *idx, sh_cid c, int64_t *out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT id FROM concept WHERE uri = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, sh_concept_uri(idx, c), -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (step == SQLITE_DONE)
		rc = sh_error(SH_ENOTFOUND, "concept '%s' is in the index but not in the database %s",
		              sh_concept_uri(idx, c), sh_db_path(db));
	else
		rc = sh_db_error(db, "profile: concept lookup");
	sqlite3_finalize(st);
	return rc;
}

/* The index concept of a stored URI. */
static int concept_cid(const sh_index *idx, const char *uri, sh_cid *out)
{
	if (!uri || sh_index_lookup(idx, uri, out))
		return sh_error(SH_ENOTFOUND, "stored profile concept '%s' is not in the index (rebuild it: "
		                "skillhub index build)", uri ? uri : "(null)");
	return SH_OK;
}

static int check_skill(const sh_index *idx, sh_cid skill)
{
	if (skill >= sh_index_concept_count(idx))
		return sh_error(SH_EINVAL, "concept %u is not in the index", (unsigned)skill);
	sh_kind k = sh_concept_kind(idx, skill);
	if (k != SH_KIND_SKILL && k != SH_KIND_SKILL_GROUP)
		return sh_error(SH_EINVAL, "'%s' is a %s, not a skill", sh_concept_uri(idx, skill), sh_kind_name(k));
	return SH_OK;
}

int sh_profile_prefs_check(const sh_profile_prefs *prefs)
{
	size_t n = strlen(prefs->language);
	if (n && (n < 2 || n > 3))
		return sh_error(SH_EINVAL, "preferences.language: expected an ISO 639 code, got '%s'", prefs->language);
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)prefs->language[i]))
			return sh_error(SH_EINVAL, "preferences.language: expected an ISO 639 code, got '%s'", prefs->language);
	for (const char *r = prefs->region; *r; r++)
		if (!isalnum((unsigned char)*r))
			return sh_error(SH_EINVAL, "preferences.region: expected a NUTS or ISO 3166 code, got '%s'",
			                prefs->region);
	if (isnan(prefs->budget) || isinf(prefs->budget))
		return sh_error(SH_EINVAL, "preferences.budget: expected a number");
	return SH_OK;
}

/* ---- reading -------------------------------------------------------------- */

static int load_skills(sh_db *db, const sh_index *idx, int64_t account, sh_profile *p)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT k.uri, ps.level, ps.source FROM profile_skill ps "
	                                "JOIN concept k ON k.id = ps.skill WHERE ps.account = ?1");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, account);
	int step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		sh_cid c;
		sh_skill_source src = sh_skill_source_from_name((const char *)sqlite3_column_text(st, 2));
		if (!(rc = concept_cid(idx, (const char *)sqlite3_column_text(st, 0), &c)))
			rc = sh_profile_add(p, c, (float)sqlite3_column_double(st, 1), src ? src : SH_SOURCE_DECLARED);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(db, "profile: reading skills");
	sqlite3_finalize(st);
	return rc;
}

static int load_prefs(sh_db *db, const sh_index *idx, int64_t account, sh_profile_prefs *prefs)
{
	sqlite3_stmt *st;
	memset(prefs, 0, sizeof *prefs);
	prefs->budget = -1;
	int rc = sh_db_prepare(db, &st, "SELECT k.uri, p.language, p.region, p.budget FROM profile p "
	                                "LEFT JOIN concept k ON k.id = p.target WHERE p.account = ?1");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, account);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *uri = (const char *)sqlite3_column_text(st, 0);
		const char *lang = (const char *)sqlite3_column_text(st, 1), *region = (const char *)sqlite3_column_text(st, 2);
		if (uri && !(rc = concept_cid(idx, uri, &prefs->target)))
			prefs->has_target = 1;
		snprintf(prefs->language, sizeof prefs->language, "%s", lang ? lang : "");
		snprintf(prefs->region, sizeof prefs->region, "%s", region ? region : "");
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			prefs->budget = sqlite3_column_double(st, 3);
	} else if (step != SQLITE_DONE) {
		rc = sh_db_error(db, "profile: reading preferences");
	}
	sqlite3_finalize(st);
	return rc;
}

int sh_profile_store_load(sh_db *db, const sh_index *idx, int64_t account, sh_profile **out, sh_profile_prefs *prefs)
{
	sh_profile_prefs scratch;
	int rc = sh_profile_new(out);
	rc = rc ? rc : load_skills(db, idx, account, *out);
	rc = rc ? rc : load_prefs(db, idx, account, prefs ? prefs : &scratch);
	if (rc) {
		sh_profile_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- writing -------------------------------------------------------------- */

static int add_skill(sh_db *db, const sh_index *idx, int64_t account, sh_cid skill, float level,
                     sh_skill_source source)
{
	int64_t row;
	sqlite3_stmt *st;
	if (!(level >= 0.0f && level <= 1.0f))
		return sh_error(SH_EINVAL, "skill level %g is outside [0, 1]", (double)level);
	if (!sh_skill_source_from_name(sh_skill_source_name(source)))
		return sh_error(SH_EINVAL, "unknown skill source %d", (int)source);
	int rc = check_skill(idx, skill);
	rc = rc ? rc : concept_row(db, idx, skill, &row);
	rc = rc ? rc : sh_db_prepare(db, &st, "INSERT INTO profile_skill(account, skill, level, source, added) "
	                                      "VALUES (?1, ?2, ?3, ?4, " NOW_SQL ") ON CONFLICT(account, skill) "
	                                      "DO UPDATE SET level = excluded.level, source = excluded.source");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, row);
	sqlite3_bind_double(st, 3, stored_level(level));
	sqlite3_bind_text(st, 4, sh_skill_source_name(source), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "profile: adding a skill");
	sqlite3_finalize(st);
	return rc;
}

int sh_profile_store_add(sh_db *db, const sh_index *idx, int64_t account, sh_cid skill, float level,
                         sh_skill_source source)
{
	int64_t held;
	int rc = sh_db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = sh_db_prepare(db, &st, "SELECT COUNT(*) FROM profile_skill WHERE account = ?1");
	if (!rc) {
		sqlite3_bind_int64(st, 1, account);
		held = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		sqlite3_finalize(st);
		if (held < 0)
			rc = sh_db_error(db, "profile: counting skills");
		else if (held >= SH_PROFILE_MAX_SKILLS)
			rc = sh_error(SH_EINVAL, "a profile holds at most %d skills", SH_PROFILE_MAX_SKILLS);
	}
	rc = rc ? rc : add_skill(db, idx, account, skill, level, source);
	if (rc) {
		sh_db_rollback(db);
		return rc;
	}
	return sh_db_commit(db);
}

/* Runs sql with ?1 = account (and ?2 = arg when arg >= 0). */
static int exec_account(sh_db *db, const char *sql, int64_t account, int64_t arg)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, sql);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, account);
	if (arg >= 0)
		sqlite3_bind_int64(st, 2, arg);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "profile: update");
	sqlite3_finalize(st);
	return rc;
}

int sh_profile_store_remove(sh_db *db, const sh_index *idx, int64_t account, sh_cid skill)
{
	int64_t row;
	int rc = check_skill(idx, skill);
	rc = rc ? rc : concept_row(db, idx, skill, &row);
	return rc ? rc : exec_account(db, "DELETE FROM profile_skill WHERE account = ?1 AND skill = ?2", account, row);
}

int sh_profile_store_set_prefs(sh_db *db, const sh_index *idx, int64_t account, const sh_profile_prefs *prefs)
{
	int64_t target = 0;
	sqlite3_stmt *st;
	int rc = sh_profile_prefs_check(prefs);
	if (!rc && prefs->has_target) {
		if (prefs->target >= sh_index_concept_count(idx) ||
		    sh_concept_kind(idx, prefs->target) != SH_KIND_OCCUPATION)
			return sh_error(SH_EINVAL, "target: concept %u is not an occupation", (unsigned)prefs->target);
		rc = concept_row(db, idx, prefs->target, &target);
	}
	rc = rc ? rc : sh_db_prepare(db, &st, "INSERT INTO profile(account, target, language, region, budget, updated_at) "
	                                      "VALUES (?1, ?2, ?3, ?4, ?5, " NOW_SQL ") ON CONFLICT(account) DO UPDATE "
	                                      "SET target = excluded.target, language = excluded.language, "
	                                      "region = excluded.region, budget = excluded.budget, "
	                                      "updated_at = excluded.updated_at");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, account);
	if (prefs->has_target)
		sqlite3_bind_int64(st, 2, target);
	if (*prefs->language)
		sqlite3_bind_text(st, 3, prefs->language, -1, SQLITE_STATIC);
	if (*prefs->region)
		sqlite3_bind_text(st, 4, prefs->region, -1, SQLITE_STATIC);
	if (prefs->budget >= 0)
		sqlite3_bind_double(st, 5, prefs->budget);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "profile: saving preferences");
	sqlite3_finalize(st);
	return rc;
}

int sh_profile_store_erase(sh_db *db, int64_t account)
{
	int rc = sh_db_begin(db);
	rc = rc ? rc : exec_account(db, "DELETE FROM profile_skill WHERE account = ?1", account, -1);
	rc = rc ? rc : exec_account(db, "DELETE FROM profile WHERE account = ?1", account, -1);
	if (rc) {
		sh_db_rollback(db);
		return rc;
	}
	return sh_db_commit(db);
}

/* ---- the JSON document ------------------------------------------------------ */

/* "preferences" of doc into prefs (absent: none); name is used in messages. */
static int read_prefs(const json_t *doc, const char *name, sh_profile_prefs *prefs)
{
	const json_t *o = json_object_get(doc, "preferences");
	if (!o)
		return SH_OK;
	if (!json_is_object(o))
		return sh_error(SH_EFORMAT, "%s: preferences: expected an object {language, region, budget}", name);
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		if (!strcmp(key, "budget")) {
			if (!json_is_number(v) || !(json_number_value(v) >= 0))
				return sh_error(SH_EFORMAT, "%s: preferences.budget: expected a non-negative number", name);
			prefs->budget = json_number_value(v);
			continue;
		}
		char *field = !strcmp(key, "language") ? prefs->language : !strcmp(key, "region") ? prefs->region : NULL;
		size_t size = field == prefs->language ? sizeof prefs->language : sizeof prefs->region;
		if (!field)
			return sh_error(SH_EFORMAT, "%s: preferences.%s: unknown member (language, region, budget)", name, key);
		if (!json_is_string(v) || json_string_length(v) >= size)
			return sh_error(SH_EFORMAT, "%s: preferences.%s: expected a code of at most %zu characters", name, key,
			                size - 1);
		memcpy(field, json_string_value(v), json_string_length(v) + 1);
	}
	int rc = sh_profile_prefs_check(prefs);
	return rc ? sh_error_wrap(SH_EFORMAT, "%s", name) : SH_OK;
}

/* Checks the top-level members and reads "target" and "preferences". */
static int read_document(const sh_index *idx, const json_t *doc, const char *name, sh_profile_prefs *prefs)
{
	static const char *const members[] = { "skills", "occupations", "target", "preferences" };
	const char *key;
	json_t *v;
	memset(prefs, 0, sizeof *prefs);
	prefs->budget = -1;
	json_object_foreach((json_t *)doc, key, v) {
		size_t i = 0;
		while (i < 4 && strcmp(key, members[i]))
			i++;
		if (i == 4)
			return sh_error(SH_EFORMAT, "%s: unknown member \"%s\" (skills, occupations, target, preferences)",
			                name, key);
	}
	const json_t *t = json_object_get(doc, "target");
	if (t && !json_is_null(t)) {
		if (!json_is_string(t) || sh_index_lookup(idx, json_string_value(t), &prefs->target) ||
		    sh_concept_kind(idx, prefs->target) != SH_KIND_OCCUPATION)
			return sh_error(SH_EFORMAT, "%s: target: expected the URI of an occupation of the taxonomy", name);
		prefs->has_target = 1;
	}
	return read_prefs(doc, name, prefs);
}

/* Keeps the "added" times the document's skills carry (an export's), where valid. */
static int restore_added(sh_db *db, const sh_index *idx, int64_t account, const json_t *skills)
{
	size_t i;
	json_t *e;
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "UPDATE profile_skill SET added = ?3 WHERE account = ?1 AND "
	                                "skill = (SELECT id FROM concept WHERE uri = ?2)");
	if (rc)
		return rc;
	json_array_foreach(skills, i, e) {
		const char *added = json_string_value(json_object_get(e, "added"));
		sh_cid c;
		if (!added || strlen(added) != 20 || added[4] != '-' || added[10] != 'T' || added[19] != 'Z' ||
		    sh_index_lookup(idx, json_string_value(json_object_get(e, "uri")), &c))
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, account);
		sqlite3_bind_text(st, 2, sh_concept_uri(idx, c), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, added, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = sh_db_error(db, "profile: restoring added times");
			break;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Replaces the stored profile by p and prefs (inside the caller's transaction). */
static int replace(sh_db *db, const sh_index *idx, int64_t account, const sh_profile *p,
                   const sh_profile_prefs *prefs)
{
	const sh_profile_skill *s;
	size_t n = sh_profile_skills(p, &s);
	if (n > SH_PROFILE_MAX_SKILLS)
		return sh_error(SH_EINVAL, "a profile holds at most %d skills; the document has %zu",
		                SH_PROFILE_MAX_SKILLS, n);
	int rc = exec_account(db, "DELETE FROM profile_skill WHERE account = ?1", account, -1);
	for (size_t i = 0; !rc && i < n; i++)
		rc = add_skill(db, idx, account, s[i].skill, s[i].level, s[i].source);
	return rc ? rc : sh_profile_store_set_prefs(db, idx, account, prefs);
}

int sh_profile_store_import(sh_db *db, const sh_index *idx, int64_t account, const char *json, const char *name)
{
	json_error_t err;
	json_t *doc = json_loads(json, 0, &err);
	if (!doc)
		return sh_error(SH_EFORMAT, "%s:%d: %s", name, err.line, err.text);
	sh_profile *p = NULL;
	sh_profile_prefs prefs;
	int rc = json_is_object(doc) ? SH_OK : sh_error(SH_EFORMAT, "%s: expected a JSON object", name);
	rc = rc ? rc : read_document(idx, doc, name, &prefs);
	rc = rc ? rc : sh_profile_new(&p);
	rc = rc ? rc : sh_profile_load_json(p, idx, json, name);
	if (!rc && !(rc = sh_db_begin(db))) {
		if ((rc = replace(db, idx, account, p, &prefs)) ||
		    (rc = restore_added(db, idx, account, json_object_get(doc, "skills"))))
			sh_db_rollback(db);
		else
			rc = sh_db_commit(db);
	}
	sh_profile_free(p);
	json_decref(doc);
	return rc;
}

static json_t *skills_json(sh_db *db, int64_t account, int *rc)
{
	json_t *arr = json_array();
	sqlite3_stmt *st;
	if (!arr || (*rc = sh_db_prepare(db, &st, "SELECT k.uri, ps.level, ps.source, ps.added FROM profile_skill ps "
	                                          "JOIN concept k ON k.id = ps.skill WHERE ps.account = ?1 ORDER BY k.uri"))) {
		json_decref(arr);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, account);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *e = json_pack("{s:s, s:f, s:s, s:s}", "uri", (const char *)sqlite3_column_text(st, 0),
		                      "level", sqlite3_column_double(st, 1), "source",
		                      (const char *)sqlite3_column_text(st, 2), "added",
		                      (const char *)sqlite3_column_text(st, 3));
		if (!e || json_array_append_new(arr, e)) {
			step = SQLITE_NOMEM;
			break;
		}
	}
	if (step != SQLITE_DONE) {
		*rc = step == SQLITE_NOMEM ? sh_error(SH_ENOMEM, "out of memory (profile export)")
		                           : sh_db_error(db, "profile: reading skills");
		json_decref(arr);
		arr = NULL;
	}
	sqlite3_finalize(st);
	return arr;
}

/* Adds "target" and "preferences" (only the members that are set) to doc. */
static int prefs_json(sh_db *db, int64_t account, json_t *doc)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT k.uri, p.language, p.region, p.budget FROM profile p "
	                                "LEFT JOIN concept k ON k.id = p.target WHERE p.account = ?1");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, account);
	int step = sqlite3_step(st), bad = 0;
	if (step == SQLITE_ROW) {
		json_t *prefs = json_object();
		static const char *const names[] = { "language", "region" };
		bad = !prefs;
		if (!bad && sqlite3_column_type(st, 0) != SQLITE_NULL)
			bad = json_object_set_new(doc, "target", json_string((const char *)sqlite3_column_text(st, 0)));
		for (int i = 0; !bad && i < 2; i++)
			if (sqlite3_column_type(st, 1 + i) != SQLITE_NULL)
				bad = json_object_set_new(prefs, names[i], json_string((const char *)sqlite3_column_text(st, 1 + i)));
		if (!bad && sqlite3_column_type(st, 3) != SQLITE_NULL)
			bad = json_object_set_new(prefs, "budget", json_real(sqlite3_column_double(st, 3)));
		if (!bad && json_object_size(prefs))
			bad = json_object_set(doc, "preferences", prefs);
		json_decref(prefs);
	} else if (step != SQLITE_DONE) {
		rc = sh_db_error(db, "profile: reading preferences");
	}
	sqlite3_finalize(st);
	return rc ? rc : bad ? sh_error(SH_ENOMEM, "out of memory (profile export)") : SH_OK;
}

int sh_profile_store_export(sh_db *db, int64_t account, char **out)
{
	int rc = SH_OK;
	*out = NULL;
	json_t *skills = skills_json(db, account, &rc);
	if (!skills)
		return rc ? rc : sh_error(SH_ENOMEM, "out of memory (profile export)");
	json_t *doc = json_pack("{s:o}", "skills", skills);
	if (!doc)
		return sh_error(SH_ENOMEM, "out of memory (profile export)");
	if (!(rc = prefs_json(db, account, doc)) &&
	    !(*out = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15))))
		rc = sh_error(SH_ENOMEM, "out of memory (profile export)");
	json_decref(doc);
	return rc;
}
