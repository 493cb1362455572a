/*
 * catalogue/model.c - courses and providers between their exchange JSON
 * shape and the tables of migration 3.
 *
 * cat_fields lists the scalar members of a course once; loading, storing,
 * validating and the CSV columns all walk it.  A course is stored whole:
 * its scalar row is inserted or updated and its per-language texts,
 * outcomes, languages and prerequisites are replaced; declared skills are
 * upserted as accepted (never removed: a reviewer's decisions survive a
 * re-import).  Updates are diffed member by member against the stored form
 * and every difference becomes one audit row.
 */
#include "catalogue/catalogue.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "skillhub/text.h"

static const char *const cat_modes[] = { "onsite", "online", "blended", NULL };
static const char *const cat_provider_types[] = {
	"vet", "higher_education", "company_academy", "association", "public", "other", NULL
};
static const char *const cat_levels[] = { "basic", "intermediate", "advanced", NULL };

const cat_field cat_fields[] = {
	{ "id",                "ref",               CAT_STR,  NULL, NULL },
	{ "provider",          "provider",          CAT_REF,  NULL, "provider" },
	{ "mode",              "mode",              CAT_ENUM, cat_modes, NULL },
	{ "location",          "location",          CAT_STR,  NULL, NULL },
	{ "region",            "region",            CAT_STR,  NULL, NULL },
	{ "hours",             "hours",             CAT_NUM,  NULL, NULL },
	{ "ects",              "ects",              CAT_NUM,  NULL, NULL },
	{ "ecvet",             "ecvet",             CAT_NUM,  NULL, NULL },
	{ "eqf",               "eqf",               CAT_INT,  NULL, NULL },
	{ "cost",              "cost",              CAT_NUM,  NULL, NULL },
	{ "currency",          "currency",          CAT_STR,  NULL, NULL },
	{ "start",             "start_date",        CAT_DATE, NULL, NULL },
	{ "end",               "end_date",          CAT_DATE, NULL, NULL },
	{ "self_paced",        "self_paced",        CAT_BOOL, NULL, NULL },
	{ "url",               "url",               CAT_STR,  NULL, NULL },
	{ "audience",          "audience",          CAT_STR,  NULL, NULL },
	{ "train_the_trainer", "train_the_trainer", CAT_BOOL, NULL, NULL },
	{ "credential",        "credential",        CAT_STR,  NULL, NULL },
	{ "parent",            "parent",            CAT_REF,  NULL, "course" },
};
const size_t cat_nfields = sizeof cat_fields / sizeof cat_fields[0];

/* Members of a course object besides cat_fields; status and flagged are read-only. */
static const char *const course_members[] = {
	"languages", "texts", "outcomes", "skills", "prerequisites", "status", "flagged", NULL
};
static const char *const provider_members[] = {
	"id", "name", "country", "type", "contact", "accreditation", NULL
};

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

void cat_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cat_is_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	int month = atoi(s + 5), day = atoi(s + 8);
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static int is_lang_code(const char *s)
{
	return strlen(s) == 2 && islower((unsigned char)s[0]) && islower((unsigned char)s[1]);
}

int cat_audit(sh_db *db, const char *who, const char *entity, const char *field,
              const char *old, const char *new_value)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"INSERT INTO audit(who, at, entity, field, old, new) VALUES(?, ?, ?, ?, ?, ?)");
	if (rc)
		return rc;
	char now[32];
	cat_now(now);
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, new_value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "audit");
	sqlite3_finalize(st);
	return rc;
}

/* id of the row of table whose ref is ref: SH_OK, SH_ENOTFOUND (no message) or SH_EDB. */
static int ref_id(sh_db *db, const char *table, const char *ref, int64_t *id)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE ref = ?", table);
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, sql);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = s == SQLITE_DONE ? SH_ENOTFOUND : sh_db_error(db, table);
	sqlite3_finalize(st);
	return rc;
}

int cat_course_id(sh_db *db, const char *ref, int64_t *id)
{
	int rc = ref_id(db, "course", ref, id);
	if (rc == SH_ENOTFOUND)
		return sh_error(SH_ENOTFOUND, "no course with id '%s'", ref);
	return rc;
}

/* concept.id of a skill URI: SH_OK or SH_ENOTFOUND (no message) or SH_EDB. */
static int skill_id(sh_db *db, const char *uri, int64_t *id)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT id FROM concept WHERE uri = ? AND kind = 'skill'");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = s == SQLITE_DONE ? SH_ENOTFOUND : sh_db_error(db, "skill");
	sqlite3_finalize(st);
	return rc;
}

/* ---- loading --------------------------------------------------------- */

static json_t *column_json(sqlite3_stmt *st, int col, cat_type type)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return type == CAT_BOOL ? json_false() : NULL;
	switch (type) {
	case CAT_NUM: {
		double v = sqlite3_column_double(st, col);
		return v == floor(v) && fabs(v) < 1e15 ? json_integer((json_int_t)v) : json_real(v);
	}
	case CAT_INT:
		return json_integer(sqlite3_column_int64(st, col));
	case CAT_BOOL:
		return json_boolean(sqlite3_column_int(st, col));
	default:
		return json_string((const char *)sqlite3_column_text(st, col));
	}
}

/* Runs st (one ? = course id) and hands each row to add. */
static int each_row(sh_db *db, sqlite3_stmt *st, int64_t id, json_t *into,
                    int (*add)(sqlite3_stmt *st, json_t *into))
{
	int rc = SH_OK, s = SQLITE_DONE;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = add(st, into);
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(db, "load course");
	sqlite3_reset(st);
	return rc;
}

#define COL(i) ((const char *)sqlite3_column_text(st, (i)))

static int add_language(sqlite3_stmt *st, json_t *arr)
{
	return json_array_append_new(arr, json_string(COL(0))) ? SH_ENOMEM : SH_OK;
}

static int add_text(sqlite3_stmt *st, json_t *obj)
{
	json_t *t = json_pack("{s:s}", "title", COL(1));
	if (!t)
		return SH_ENOMEM;
	if (COL(2))
		json_object_set_new(t, "description", json_string(COL(2)));
	return json_object_set_new(obj, COL(0), t) ? SH_ENOMEM : SH_OK;
}

static int add_outcome(sqlite3_stmt *st, json_t *arr)
{
	return json_array_append_new(arr, json_pack("{s:s, s:s}", "lang", COL(0), "text", COL(1)))
	       ? SH_ENOMEM : SH_OK;
}

static int add_skill(sqlite3_stmt *st, json_t *arr)
{
	json_t *s = json_pack("{s:s}", "uri", COL(0));
	if (!s)
		return SH_ENOMEM;
	if (COL(1))
		json_object_set_new(s, "level", json_string(COL(1)));
	return json_array_append_new(arr, s) ? SH_ENOMEM : SH_OK;
}

static int add_prerequisite(sqlite3_stmt *st, json_t *arr)
{
	json_t *p = COL(0) ? json_pack("{s:s}", "skill", COL(0)) : json_pack("{s:s}", "course", COL(1));
	return json_array_append_new(arr, p) ? SH_ENOMEM : SH_OK;
}

/* The members of a course that come from child tables, each one statement (? = course id). */
static const struct {
	const char *key;
	int         object;  /* 1: a JSON object (by language), 0: an array */
	const char *sql;
	int       (*add)(sqlite3_stmt *, json_t *);
} course_children[] = {
	{ "languages", 0, "SELECT lang FROM course_language WHERE course = ? ORDER BY lang", add_language },
	{ "texts", 1, "SELECT lang, title, description FROM course_text WHERE course = ? ORDER BY lang", add_text },
	{ "outcomes", 0, "SELECT lang, text FROM course_outcome WHERE course = ? ORDER BY lang, position", add_outcome },
	{ "skills", 0, "SELECT k.uri, s.level FROM course_skill s JOIN concept k ON k.id = s.skill"
	               " WHERE s.course = ? AND s.origin = 'accepted' ORDER BY k.uri", add_skill },
	{ "prerequisites", 0, "SELECT k.uri, r.ref FROM course_prerequisite p"
	                      " LEFT JOIN concept k ON k.id = p.skill LEFT JOIN course r ON r.id = p.required_course"
	                      " WHERE p.course = ? ORDER BY p.rowid", add_prerequisite },
};
enum { NCHILDREN = sizeof course_children / sizeof course_children[0] };

struct cat_loader {
	sh_db        *db;
	sqlite3_stmt *row;                  /* the scalar members */
	sqlite3_stmt *child[NCHILDREN];     /* course_children[i].sql */
};

int cat_loader_new(sh_db *db, cat_loader **out)
{
	cat_loader *l = calloc(1, sizeof *l);
	if (!l)
		return sh_error(SH_ENOMEM, "out of memory");
	l->db = db;
	sh_buf sql = SH_BUF_INIT;
	int rc = sh_buf_puts(&sql, "SELECT c.status, c.flagged");
	for (size_t i = 0; !rc && i < cat_nfields; i++)
		rc = cat_fields[i].type == CAT_REF
		     ? sh_buf_printf(&sql, ", (SELECT ref FROM %s WHERE id = c.%s)",
		                     cat_fields[i].ref_table, cat_fields[i].column)
		     : sh_buf_printf(&sql, ", c.%s", cat_fields[i].column);
	if (!rc)
		rc = sh_buf_puts(&sql, " FROM course c WHERE c.id = ?");
	if (!rc)
		rc = sh_db_prepare(db, &l->row, sql.data);
	sh_buf_free(&sql);
	for (size_t i = 0; !rc && i < NCHILDREN; i++)
		rc = sh_db_prepare(db, &l->child[i], course_children[i].sql);
	if (rc) {
		cat_loader_free(l);
		return rc;
	}
	*out = l;
	return SH_OK;
}

void cat_loader_free(cat_loader *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->row);
	for (size_t i = 0; i < NCHILDREN; i++)
		sqlite3_finalize(l->child[i]);
	free(l);
}

int cat_loader_load(cat_loader *l, int64_t id, json_t **out)
{
	sqlite3_stmt *st = l->row;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	int s = sqlite3_step(st);
	if (s != SQLITE_ROW) {
		int rc = s == SQLITE_DONE ? sh_error(SH_ENOTFOUND, "no course %lld", (long long)id)
		                          : sh_db_error(l->db, "load course");
		sqlite3_reset(st);
		return rc;
	}
	json_t *c = json_object();
	for (size_t i = 0; i < cat_nfields; i++) {
		json_t *v = column_json(st, (int)i + 2, cat_fields[i].type);
		if (v)
			json_object_set_new(c, cat_fields[i].key, v);
	}
	json_object_set_new(c, "status", json_string(COL(0)));
	if (COL(1))
		json_object_set_new(c, "flagged", json_string(COL(1)));
	sqlite3_reset(st);

	int rc = SH_OK;
	for (size_t i = 0; !rc && i < NCHILDREN; i++) {
		json_t *container = course_children[i].object ? json_object() : json_array();
		if (!container) {
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		rc = each_row(l->db, l->child[i], id, container, course_children[i].add);
		size_t n = json_is_array(container) ? json_array_size(container) : json_object_size(container);
		if (!rc && n)  /* empty members are omitted */
			json_object_set(c, course_children[i].key, container);
		json_decref(container);
	}
	if (rc) {
		json_decref(c);
		return rc;
	}
	*out = c;
	return SH_OK;
}

int cat_course_load(sh_db *db, int64_t id, json_t **out)
{
	cat_loader *l;
	int rc = cat_loader_new(db, &l);
	if (!rc)
		rc = cat_loader_load(l, id, out);
	cat_loader_free(l);
	return rc;
}

int cat_providers_load(sh_db *db, json_t **out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT ref, name, country, type, contact, accreditation FROM provider ORDER BY ref");
	if (rc)
		return rc;
	json_t *arr = json_array();
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *p = json_object();
		for (int i = 0; provider_members[i]; i++)
			if (COL(i))
				json_object_set_new(p, provider_members[i], json_string(COL(i)));
		json_array_append_new(arr, p);
	}
	if (s != SQLITE_DONE) {
		rc = sh_db_error(db, "load providers");
		json_decref(arr);
	} else {
		*out = arr;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- validation ------------------------------------------------------ */

/* Appends "where: WHAT REF: field "F": msg" and returns 1. */
static size_t problem(sh_buf *problems, const char *where, const char *what, const char *ref,
                      const char *field, const char *msg)
{
	sh_buf_printf(problems, "%s: %s %s: field \"%s\": %s\n", where, what, ref, field, msg);
	return 1;
}

static size_t check_scalar(const cat_field *f, json_t *v, const char *where, const char *ref,
                           sh_buf *problems)
{
	if (json_is_null(v))
		return 0;
	char msg[160];
	switch (f->type) {
	case CAT_STR:
	case CAT_REF:
		if (!json_is_string(v))
			return problem(problems, where, "course", ref, f->key, "expected a string");
		return 0;
	case CAT_ENUM:
		if (!json_is_string(v) || !in_list(f->values, json_string_value(v))) {
			size_t len = (size_t)snprintf(msg, sizeof msg, "expected one of");
			for (size_t i = 0; f->values[i] && len < sizeof msg; i++)
				len += (size_t)snprintf(msg + len, sizeof msg - len, " %s", f->values[i]);
			return problem(problems, where, "course", ref, f->key, msg);
		}
		return 0;
	case CAT_NUM:
		if (!json_is_number(v) || json_number_value(v) < 0)
			return problem(problems, where, "course", ref, f->key, "expected a number >= 0");
		return 0;
	case CAT_INT:
		if (!json_is_integer(v))
			return problem(problems, where, "course", ref, f->key, "expected an integer");
		return 0;
	case CAT_BOOL:
		if (!json_is_boolean(v))
			return problem(problems, where, "course", ref, f->key, "expected true or false");
		return 0;
	case CAT_DATE:
		if (!json_is_string(v) || !cat_is_date(json_string_value(v)))
			return problem(problems, where, "course", ref, f->key, "expected a date YYYY-MM-DD");
		return 0;
	}
	return 0;
}

static size_t check_texts(json_t *texts, const char *where, const char *ref, sh_buf *problems)
{
	if (!json_is_object(texts) || json_object_size(texts) == 0)
		return problem(problems, where, "course", ref, "texts",
		               "expected an object {\"<lang>\": {\"title\": ..., \"description\": ...}} with a title");
	size_t n = 0;
	const char *lang;
	json_t *t;
	char field[64];
	json_object_foreach(texts, lang, t) {
		snprintf(field, sizeof field, "texts.%s", lang);
		if (!is_lang_code(lang))
			n += problem(problems, where, "course", ref, field, "expected a two-letter language code");
		else if (!json_is_object(t) || !json_is_string(json_object_get(t, "title"))
		         || !*json_string_value(json_object_get(t, "title")))
			n += problem(problems, where, "course", ref, field, "expected an object with a non-empty \"title\"");
		else if (json_object_get(t, "description") && !json_is_string(json_object_get(t, "description")))
			n += problem(problems, where, "course", ref, field, "\"description\" must be a string");
	}
	return n;
}

/* Every element of arr (a JSON array, or absent) must satisfy ok(). */
static size_t check_array(json_t *arr, const char *key, int (*ok)(json_t *), const char *expected,
                          const char *where, const char *ref, sh_buf *problems)
{
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return problem(problems, where, "course", ref, key, "expected an array");
	size_t n = 0, i;
	json_t *v;
	char field[64];
	json_array_foreach(arr, i, v)
		if (!ok(v)) {
			snprintf(field, sizeof field, "%s[%zu]", key, i);
			n += problem(problems, where, "course", ref, field, expected);
		}
	return n;
}

static int ok_language(json_t *v)
{
	return json_is_string(v) && is_lang_code(json_string_value(v));
}

static int ok_outcome(json_t *v)
{
	json_t *lang = json_object_get(v, "lang"), *text = json_object_get(v, "text");
	return json_is_object(v) && json_object_size(v) == 2 && ok_language(lang)
	       && json_is_string(text) && *json_string_value(text);
}

static int ok_skill(json_t *v)
{
	json_t *level = json_object_get(v, "level");
	const char *key;
	json_t *m;
	if (!json_is_object(v) || !json_is_string(json_object_get(v, "uri")))
		return 0;
	json_object_foreach(v, key, m)
		if (strcmp(key, "uri") && strcmp(key, "level") && strcmp(key, "label"))
			return 0;
	return !level || (json_is_string(level) && in_list(cat_levels, json_string_value(level)));
}

static int ok_prerequisite(json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 1
	       && (json_is_string(json_object_get(v, "skill")) || json_is_string(json_object_get(v, "course")));
}

static const cat_field *field_named(const char *key)
{
	for (size_t i = 0; i < cat_nfields; i++)
		if (strcmp(cat_fields[i].key, key) == 0)
			return &cat_fields[i];
	return NULL;
}

size_t cat_course_validate(json_t *c, const char *where, sh_buf *problems)
{
	if (!json_is_object(c)) {
		sh_buf_printf(problems, "%s: a course must be a JSON object\n", where);
		return 1;
	}
	json_t *idv = json_object_get(c, "id");
	const char *ref = json_is_string(idv) && *json_string_value(idv) ? json_string_value(idv) : "?";
	size_t n = 0;
	if (strcmp(ref, "?") == 0)
		n += problem(problems, where, "course", ref, "id", "required: a non-empty string");
	if (!json_is_string(json_object_get(c, "provider")))
		n += problem(problems, where, "course", ref, "provider", "required: the id of a provider");
	const char *key;
	json_t *v;
	json_object_foreach(c, key, v) {
		const cat_field *f = field_named(key);
		if (f)
			n += check_scalar(f, v, where, ref, problems);
		else if (!in_list(course_members, key))
			n += problem(problems, where, "course", ref, key, "unknown field (see docs/catalogue.md)");
	}
	n += check_texts(json_object_get(c, "texts"), where, ref, problems);
	n += check_array(json_object_get(c, "languages"), "languages", ok_language,
	                 "expected a two-letter language code", where, ref, problems);
	n += check_array(json_object_get(c, "outcomes"), "outcomes", ok_outcome,
	                 "expected {\"lang\": \"xx\", \"text\": \"...\"}", where, ref, problems);
	n += check_array(json_object_get(c, "skills"), "skills", ok_skill,
	                 "expected {\"uri\": \"...\", \"level\": \"basic|intermediate|advanced\"}", where, ref, problems);
	n += check_array(json_object_get(c, "prerequisites"), "prerequisites", ok_prerequisite,
	                 "expected {\"skill\": URI} or {\"course\": ID}", where, ref, problems);
	return n;
}

size_t cat_provider_validate(json_t *p, const char *where, sh_buf *problems)
{
	if (!json_is_object(p)) {
		sh_buf_printf(problems, "%s: a provider must be a JSON object\n", where);
		return 1;
	}
	json_t *idv = json_object_get(p, "id");
	const char *ref = json_is_string(idv) && *json_string_value(idv) ? json_string_value(idv) : "?";
	size_t n = 0;
	static const char *const required[] = { "id", "name", "country", "type", NULL };
	for (size_t i = 0; required[i]; i++) {
		json_t *v = json_object_get(p, required[i]);
		if (!json_is_string(v) || !*json_string_value(v))
			n += problem(problems, where, "provider", ref, required[i], "required: a non-empty string");
	}
	json_t *type = json_object_get(p, "type");
	if (json_is_string(type) && !in_list(cat_provider_types, json_string_value(type)))
		n += problem(problems, where, "provider", ref, "type",
		             "expected vet|higher_education|company_academy|association|public|other");
	const char *key;
	json_t *v;
	json_object_foreach(p, key, v) {
		if (!in_list(provider_members, key))
			n += problem(problems, where, "provider", ref, key, "unknown field");
		else if (!json_is_string(v) && !json_is_null(v))
			n += problem(problems, where, "provider", ref, key, "expected a string");
	}
	return n;
}

static int index_terms(sh_db *db, int64_t id);

/* ---- storing --------------------------------------------------------- */

/* A member as audit text: strings bare, other values compact JSON; NULL when absent. Caller frees. */
static char *audit_text(json_t *v)
{
	if (!v)
		return NULL;
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* One audit row per member of old or new that differs (status and flagged aside). */
static int audit_diff(sh_db *db, const char *who, const char *entity, json_t *old, json_t *new_obj)
{
	int rc = SH_OK;
	const char *key;
	json_t *v;
	for (int pass = 0; pass < 2 && !rc; pass++) {
		json_t *from = pass ? old : new_obj, *other = pass ? new_obj : old;
		json_object_foreach(from, key, v) {
			if (!strcmp(key, "status") || !strcmp(key, "flagged"))
				continue;
			json_t *o = json_object_get(other, key);
			if (pass && o)
				continue; /* compared in the first pass */
			if (o && json_equal(v, o))
				continue;
			char *a = audit_text(pass ? v : o), *b = audit_text(pass ? o : v);
			rc = cat_audit(db, who, entity, key, a, b);
			free(a);
			free(b);
			if (rc)
				break;
		}
	}
	return rc;
}

static void bind_json(sqlite3_stmt *st, int col, const cat_field *f, json_t *v)
{
	if (!v || json_is_null(v)) {
		if (f->type == CAT_BOOL)
			sqlite3_bind_int(st, col, 0);
		else
			sqlite3_bind_null(st, col);
		return;
	}
	switch (f->type) {
	case CAT_NUM:
		sqlite3_bind_double(st, col, json_number_value(v));
		break;
	case CAT_INT:
		sqlite3_bind_int64(st, col, json_integer_value(v));
		break;
	case CAT_BOOL:
		sqlite3_bind_int(st, col, json_is_true(v));
		break;
	default:
		sqlite3_bind_text(st, col, json_string_value(v), -1, SQLITE_TRANSIENT);
	}
}

/* Resolved references of a course being stored. */
typedef struct refs {
	int64_t  provider, parent;   /* parent 0 = none */
	int64_t *skills;             /* concept ids, parallel to the "skills" array */
	int64_t *pre_skill, *pre_course; /* parallel to "prerequisites"; 0 = the other kind */
} refs;

static void refs_free(refs *r)
{
	free(r->skills);
	free(r->pre_skill);
	free(r->pre_course);
}

/* Resolves every reference of c; appends a problem for each that does not resolve. */
static int resolve_refs(sh_db *db, json_t *c, int64_t self, const char *where, sh_buf *problems,
                        size_t *nproblems, refs *r)
{
	const char *ref = json_string_value(json_object_get(c, "id"));
	json_t *skills = json_object_get(c, "skills"), *pre = json_object_get(c, "prerequisites");
	size_t ns = json_array_size(skills), np = json_array_size(pre);
	r->skills = calloc(ns + 1, sizeof *r->skills);
	r->pre_skill = calloc(np + 1, sizeof *r->pre_skill);
	r->pre_course = calloc(np + 1, sizeof *r->pre_course);
	if (!r->skills || !r->pre_skill || !r->pre_course)
		return sh_error(SH_ENOMEM, "out of memory");
	char field[64];
	int rc = ref_id(db, "provider", json_string_value(json_object_get(c, "provider")), &r->provider);
	if (rc == SH_ENOTFOUND)
		*nproblems += problem(problems, where, "course", ref, "provider",
		                      "no such provider (add it with `skillhub providers add` or in \"providers\")");
	else if (rc)
		return rc;
	json_t *parent = json_object_get(c, "parent");
	r->parent = 0;
	if (json_is_string(parent)) {
		rc = ref_id(db, "course", json_string_value(parent), &r->parent);
		if (rc == SH_ENOTFOUND || (!rc && r->parent == self))
			*nproblems += problem(problems, where, "course", ref, "parent",
			                      "no such course before this one (a parent must come first)");
		else if (rc)
			return rc;
	}
	for (size_t i = 0; i < ns; i++) {
		rc = skill_id(db, json_string_value(json_object_get(json_array_get(skills, i), "uri")), &r->skills[i]);
		snprintf(field, sizeof field, "skills[%zu]", i);
		if (rc == SH_ENOTFOUND)
			*nproblems += problem(problems, where, "course", ref, field, "not an ESCO skill URI of this database");
		else if (rc)
			return rc;
	}
	for (size_t i = 0; i < np; i++) {
		json_t *p = json_array_get(pre, i);
		snprintf(field, sizeof field, "prerequisites[%zu]", i);
		if (json_object_get(p, "skill"))
			rc = skill_id(db, json_string_value(json_object_get(p, "skill")), &r->pre_skill[i]);
		else
			rc = ref_id(db, "course", json_string_value(json_object_get(p, "course")), &r->pre_course[i]);
		if (rc == SH_ENOTFOUND || (!rc && r->pre_course[i] == self && self))
			*nproblems += problem(problems, where, "course", ref, field, "no such skill or course");
		else if (rc)
			return rc;
	}
	return SH_OK;
}

/* INSERT (id 0) or UPDATE the scalar row; sets *id. */
static int write_scalars(sh_db *db, json_t *c, const refs *r, int64_t *id)
{
	sh_buf sql = SH_BUF_INIT;
	int rc;
	if (*id) {
		rc = sh_buf_puts(&sql, "UPDATE course SET updated_at = ?1");
		for (size_t i = 1; !rc && i < cat_nfields; i++)
			rc = sh_buf_printf(&sql, ", %s = ?%zu", cat_fields[i].column, i + 2);
		if (!rc)
			rc = sh_buf_puts(&sql, " WHERE id = ?2");
	} else {
		rc = sh_buf_puts(&sql, "INSERT INTO course(updated_at, id");
		for (size_t i = 0; !rc && i < cat_nfields; i++)
			rc = sh_buf_printf(&sql, ", %s", cat_fields[i].column);
		if (!rc)
			rc = sh_buf_puts(&sql, ") VALUES(?1, NULL");
		for (size_t i = 0; !rc && i < cat_nfields; i++)
			rc = sh_buf_printf(&sql, ", ?%zu", i + 2);
		if (!rc)
			rc = sh_buf_puts(&sql, ")");
	}
	sqlite3_stmt *st = NULL;
	if (!rc)
		rc = sh_db_prepare(db, &st, sql.data);
	sh_buf_free(&sql);
	if (rc)
		return rc;
	char now[32];
	cat_now(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	if (*id)
		sqlite3_bind_int64(st, 2, *id);
	for (size_t i = 0; i < cat_nfields; i++) {
		const cat_field *f = &cat_fields[i];
		int col = (int)i + 2;
		if (f->type == CAT_REF) {
			int64_t v = strcmp(f->key, "provider") == 0 ? r->provider : r->parent;
			if (v)
				sqlite3_bind_int64(st, col, v);
			else
				sqlite3_bind_null(st, col);
		} else if (i > 0 || !*id) {
			bind_json(st, col, f, json_object_get(c, f->key));
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "store course");
	else if (!*id)
		*id = sqlite3_last_insert_rowid(db->sql);
	sqlite3_finalize(st);
	return rc;
}

/* Runs sql with ?1 = id and the given text/int parameters (text NULL = SQL NULL). */
static int exec_row(sh_db *db, const char *sql, int64_t id, const char *t2, const char *t3,
                    int64_t i4, const char *t5)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, sql);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int n = sqlite3_bind_parameter_count(st);
	if (n >= 2)
		sqlite3_bind_text(st, 2, t2, -1, SQLITE_STATIC);
	if (n >= 3)
		sqlite3_bind_text(st, 3, t3, -1, SQLITE_STATIC);
	if (n >= 4)
		sqlite3_bind_int64(st, 4, i4);
	if (n >= 5)
		sqlite3_bind_text(st, 5, t5, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sh_db_error(db, "store course");
	sqlite3_finalize(st);
	return rc;
}

/* Writes the per-language rows, prerequisites and declared skills; an existing course's
 * (existing = 1) old rows are removed first, declared skills upserted. */
static int write_children(sh_db *db, json_t *c, const refs *r, int64_t id, int existing)
{
	static const char *const clear[] = {
		"DELETE FROM course_language WHERE course = ?1",
		"DELETE FROM course_text WHERE course = ?1",
		"DELETE FROM course_outcome WHERE course = ?1",
		"DELETE FROM course_prerequisite WHERE course = ?1",
	};
	int rc = SH_OK;
	for (size_t i = 0; existing && !rc && i < sizeof clear / sizeof clear[0]; i++)
		rc = exec_row(db, clear[i], id, NULL, NULL, 0, NULL);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(c, "languages"), i, v)
		if (!rc)
			rc = exec_row(db, "INSERT OR IGNORE INTO course_language(course, lang) VALUES(?1, ?2)",
			              id, json_string_value(v), NULL, 0, NULL);
	const char *lang;
	json_object_foreach(json_object_get(c, "texts"), lang, v)
		if (!rc)
			rc = exec_row(db, "INSERT INTO course_text(course, lang, title, description) VALUES(?1, ?2, ?3, ?5)",
			              id, lang, json_string_value(json_object_get(v, "title")), 0,
			              json_string_value(json_object_get(v, "description")));
	int64_t position = 0;
	json_array_foreach(json_object_get(c, "outcomes"), i, v)
		if (!rc)
			rc = exec_row(db, "INSERT INTO course_outcome(course, lang, text, position) VALUES(?1, ?2, ?3, ?4)",
			              id, json_string_value(json_object_get(v, "lang")),
			              json_string_value(json_object_get(v, "text")), ++position, NULL);
	json_array_foreach(json_object_get(c, "prerequisites"), i, v) {
		if (rc)
			break;
		sqlite3_stmt *st;
		rc = sh_db_prepare(db, &st,
			"INSERT INTO course_prerequisite(course, skill, required_course) VALUES(?, ?, ?)");
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, id);
		if (r->pre_skill[i])
			sqlite3_bind_int64(st, 2, r->pre_skill[i]);
		if (r->pre_course[i])
			sqlite3_bind_int64(st, 3, r->pre_course[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "store prerequisite");
		sqlite3_finalize(st);
	}
	json_array_foreach(json_object_get(c, "skills"), i, v) {
		if (rc)
			break;
		sqlite3_stmt *st;
		rc = sh_db_prepare(db, &st,
			"INSERT INTO course_skill(course, skill, level, origin) VALUES(?, ?, ?, 'accepted')"
			" ON CONFLICT(course, skill) DO UPDATE SET origin = 'accepted', level = excluded.level");
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, r->skills[i]);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(v, "level")), -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "store skill");
		sqlite3_finalize(st);
	}
	return rc;
}

/* 1 if member key is absent from both objects or equal in both. */
static int same_member(json_t *a, json_t *b, const char *key)
{
	json_t *x = json_object_get(a, key), *y = json_object_get(b, key);
	return (!x && !y) || (x && y && json_equal(x, y));
}

int cat_course_store(sh_db *db, json_t *c, const char *who, const char *where,
                     sh_buf *problems, int64_t *id, int *text_changed)
{
	const char *ref = json_string_value(json_object_get(c, "id"));
	*id = 0;
	int rc = ref_id(db, "course", ref, id);
	if (rc && rc != SH_ENOTFOUND)
		return rc;
	refs r = { 0 };
	size_t nproblems = 0;
	rc = resolve_refs(db, c, *id, where, problems, &nproblems, &r);
	if (!rc && nproblems)
		rc = SH_EFORMAT;
	json_t *old = NULL, *new_obj = NULL;
	if (!rc && *id)
		rc = cat_course_load(db, *id, &old);
	int64_t was = *id;
	if (!rc)
		rc = write_scalars(db, c, &r, id);
	if (!rc)
		rc = write_children(db, c, &r, *id, was != 0);
	refs_free(&r);
	char entity[300];
	snprintf(entity, sizeof entity, "course:%s", ref);
	if (!rc && was) {
		rc = cat_course_load(db, *id, &new_obj);
		if (!rc)
			rc = audit_diff(db, who, entity, old, new_obj);
		*text_changed = !rc && (!same_member(old, new_obj, "texts") || !same_member(old, new_obj, "outcomes"));
	} else if (!rc) {
		rc = cat_audit(db, who, entity, "*", NULL, "created");
		*text_changed = 1;
	}
	json_decref(old);
	json_decref(new_obj);
	if (!rc && *text_changed)
		rc = index_terms(db, *id);
	return rc;
}

int cat_provider_store(sh_db *db, json_t *p, const char *who)
{
	const char *ref = json_string_value(json_object_get(p, "id"));
	json_t *all = NULL, *old = NULL;
	int rc = cat_providers_load(db, &all);
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v)
		if (strcmp(json_string_value(json_object_get(v, "id")), ref) == 0)
			old = v;
	sqlite3_stmt *st = NULL;
	if (!rc)
		rc = sh_db_prepare(db, &st,
			"INSERT INTO provider(ref, name, country, type, contact, accreditation) VALUES(?, ?, ?, ?, ?, ?)"
			" ON CONFLICT(ref) DO UPDATE SET name = excluded.name, country = excluded.country,"
			" type = excluded.type, contact = excluded.contact, accreditation = excluded.accreditation");
	if (!rc) {
		for (int k = 0; provider_members[k]; k++)
			sqlite3_bind_text(st, k + 1, json_string_value(json_object_get(p, provider_members[k])),
			                  -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "store provider");
		sqlite3_finalize(st);
	}
	char entity[300];
	snprintf(entity, sizeof entity, "provider:%s", ref);
	if (!rc && old) {
		json_t *clean = json_object();
		const char *key;
		json_object_foreach(p, key, v)
			if (!json_is_null(v))
				json_object_set(clean, key, v);
		rc = audit_diff(db, who, entity, old, clean);
		json_decref(clean);
	} else if (!rc) {
		rc = cat_audit(db, who, entity, "*", NULL, "created");
	}
	json_decref(all);
	return rc;
}

/* ---- texts and search terms ------------------------------------------ */

int cat_course_text(sh_db *db, int64_t id, const char *lang, sh_buf *b)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT title, description FROM course_text WHERE course = ?1 AND (?2 IS NULL OR lang = ?2)"
		" UNION ALL SELECT text, NULL FROM ("
		"  SELECT text FROM course_outcome WHERE course = ?1 AND (?2 IS NULL OR lang = ?2)"
		"  ORDER BY lang, position)");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	int s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		for (int col = 0; col < 2 && !rc; col++)
			if (COL(col))
				rc = sh_buf_printf(b, "%s\n", COL(col));
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(db, "course text");
	sqlite3_finalize(st);
	return rc;
}

int cat_terms(const char *text, const char *lang, sh_buf *terms, size_t *nterms)
{
	sh_tokens toks = { 0 };
	sh_stemmer *stemmer = NULL;
	int rc = sh_tokenize(text, strlen(text), 0, &toks);
	if (!rc && lang && sh_stemmer_supported(lang))
		rc = sh_stemmer_new(&stemmer, lang);
	for (size_t i = 0; !rc && i < toks.n; i++) {
		const char *w = toks.norm + toks.tok[i].norm;
		size_t len = toks.tok[i].norm_len;
		if (stemmer && (toks.tok[i].flags & SH_TOK_WORD) && !(toks.tok[i].flags & SH_TOK_SYMBOLIC))
			w = sh_stem(stemmer, w, len, &len);
		rc = sh_buf_append(terms, w, len);
		if (!rc)
			rc = sh_buf_putc(terms, '\0');
		++*nterms;
	}
	sh_stemmer_free(stemmer);
	sh_tokens_free(&toks);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rebuilds course_term (the search index) for the course. */
static int index_terms(sh_db *db, int64_t id)
{
	int rc = exec_row(db, "DELETE FROM course_term WHERE course = ?1", id, NULL, NULL, 0, NULL);
	sqlite3_stmt *st = NULL;
	if (!rc)
		rc = sh_db_prepare(db, &st, "SELECT DISTINCT lang FROM course_text WHERE course = ?"
		                            " UNION SELECT DISTINCT lang FROM course_outcome WHERE course = ?");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, id);
	sh_buf terms = SH_BUF_INIT, text = SH_BUF_INIT;
	size_t n = 0;
	int s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		sh_buf_clear(&text);
		rc = cat_course_text(db, id, COL(0), &text);
		if (!rc && text.data)
			rc = cat_terms(text.data, COL(0), &terms, &n);
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(db, "index course");
	sqlite3_finalize(st);
	sh_buf_free(&text);
	const char **v = n ? malloc(n * sizeof *v) : NULL;
	if (!rc && n && !v)
		rc = sh_error(SH_ENOMEM, "out of memory");
	for (size_t i = 0, off = 0; !rc && i < n; i++) {
		v[i] = terms.data + off;
		off += strlen(v[i]) + 1;
	}
	if (!rc && n)
		qsort(v, n, sizeof *v, cmp_str);
	/* distinct terms with their counts: one short statement, stepped once a term (a statement of
	 * many VALUES rows costs more to parse than the rows cost to write) */
	if (!rc && n)
		rc = sh_db_prepare(db, &st, "INSERT INTO course_term(course, term, tf) VALUES (?1, ?2, ?3)");
	if (!rc && n) {
		sqlite3_bind_int64(st, 1, id);
		for (size_t i = 0, run; !rc && i < n; i += run) {
			for (run = 1; i + run < n && strcmp(v[i], v[i + run]) == 0; run++)
				;
			sqlite3_bind_text(st, 2, v[i], -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, (int64_t)run);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = sh_db_error(db, "index course");
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	free(v);
	sh_buf_free(&terms);
	return rc;
}

char *cat_skill_label(sh_db *db, int64_t skill, const char *lang)
{
	sqlite3_stmt *st;
	if (sh_db_prepare(db, &st,
		"SELECT text FROM label WHERE concept = ? AND kind = 'preferred'"
		" ORDER BY lang = ? DESC, lang = 'en' DESC, lang LIMIT 1"))
		return NULL;
	sqlite3_bind_int64(st, 1, skill);
	sqlite3_bind_text(st, 2, lang ? lang : "en", -1, SQLITE_STATIC);
	char *label = sqlite3_step(st) == SQLITE_ROW ? strdup(COL(0)) : NULL;
	sqlite3_finalize(st);
	return label;
}
