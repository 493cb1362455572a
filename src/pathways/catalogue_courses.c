/*
 * pathways/catalogue_courses.c - candidate courses for sh_plan_courses():
 * a JSON course file and the approved courses of the database's catalogue
 * (see courses.h).  The CLI (`skillhub plan`, `workforce`) and the server
 * (POST /api/v1/plan, /api/v1/workforce, /gap) share this loader.
 *
 * Courses from both places end up in one candidate array: the file's
 * (prerequisites by id within the file) and, when the database has the
 * catalogue tables (schema version >= 3), its approved courses with their
 * accepted ESCO skills, teaching languages and course prerequisites.  A
 * catalogue course whose required course is not approved is dropped,
 * repeatedly, so every prerequisite index points to a loaded course.  Skill
 * prerequisites are not modelled (docs/pathways.md).  The loader keeps no
 * state between calls, so threads may load their own lists concurrently.
 */
#include "pathways/courses.h"
#include "core/error.h"
#include "core/fileio.h"
#include "store/db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sh_course_store {
	char   *id, *title, *region, *mode, *start, *end;
	double  hours, price;
	char  **langs;
	size_t  nlangs;
	sh_cid *skills;
	size_t  nskills;
	size_t *prereqs;
	size_t  nprereqs;
	char  **prereq_ids; /* file courses: ids until resolved */
	int64_t db_id;      /* catalogue courses: course.id */
	int64_t *prereq_db; /* catalogue courses: required course ids until resolved */
};

static void store_free(sh_course_store *s)
{
	free(s->id);
	free(s->title);
	free(s->region);
	free(s->mode);
	free(s->start);
	free(s->end);
	for (size_t i = 0; i < s->nlangs; i++)
		free(s->langs[i]);
	free(s->langs);
	free(s->skills);
	free(s->prereqs);
	for (size_t i = 0; s->prereq_ids && i < s->nprereqs; i++)
		free(s->prereq_ids[i]);
	free(s->prereq_ids);
	free(s->prereq_db);
}

void sh_course_list_free(sh_course_list *c)
{
	for (size_t i = 0; i < c->n; i++)
		store_free(&c->store[i]);
	free(c->store);
	free(c->v);
	memset(c, 0, sizeof *c);
}

const char *sh_course_list_title(const sh_course_list *c, size_t i)
{
	return c->store[i].title ? c->store[i].title : "";
}

/* A zeroed new course at the end; NULL when out of memory. */
static sh_course_store *new_course(sh_course_list *c)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		sh_course_store *s = realloc(c->store, cap * sizeof *s);
		if (!s) {
			sh_error(SH_ENOMEM, "out of memory");
			return NULL;
		}
		c->store = s;
		c->cap = cap;
	}
	sh_course_store *s = &c->store[c->n++];
	memset(s, 0, sizeof *s);
	return s;
}

/* Optional string field: *out = copy or NULL; SH_EFORMAT when present but not a string. */
static int string_field(json_t *o, const char *field, const char *file, size_t i, char **out)
{
	json_t *v = json_object_get(o, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return SH_OK;
	if (!json_is_string(v))
		return sh_error(SH_EFORMAT, "%s: courses[%zu].%s: expected a string", file, i, field);
	return (*out = strdup(json_string_value(v))) ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
}

static int number_field(json_t *o, const char *field, const char *file, size_t i, double *out)
{
	json_t *v = json_object_get(o, field);
	*out = 0;
	if (!v)
		return SH_OK;
	if (!json_is_number(v) || json_number_value(v) < 0)
		return sh_error(SH_EFORMAT, "%s: courses[%zu].%s: expected a non-negative number", file, i, field);
	*out = json_number_value(v);
	return SH_OK;
}

/* An array of strings (or one string when one_ok) copied into *out. */
static int string_array(json_t *v, const char *file, size_t i, const char *field, char ***out, size_t *n)
{
	*n = 0;
	if (!v)
		return SH_OK;
	size_t count = json_is_string(v) ? 1 : json_is_array(v) ? json_array_size(v) : SIZE_MAX;
	if (count == SIZE_MAX)
		return sh_error(SH_EFORMAT, "%s: courses[%zu].%s: expected an array of strings", file, i, field);
	if (!(*out = calloc(count + 1, sizeof **out)))
		return sh_error(SH_ENOMEM, "out of memory");
	for (size_t k = 0; k < count; k++) {
		json_t *e = json_is_string(v) ? v : json_array_get(v, k);
		if (!json_is_string(e))
			return sh_error(SH_EFORMAT, "%s: courses[%zu].%s[%zu]: expected a string", file, i, field, k);
		if (!((*out)[(*n)++] = strdup(json_string_value(e))))
			return sh_error(SH_ENOMEM, "out of memory");
	}
	return SH_OK;
}

static int load_file_course(sh_course_store *s, json_t *o, const sh_index *idx, const char *file, size_t i)
{
	if (!json_is_object(o))
		return sh_error(SH_EFORMAT, "%s: courses[%zu]: expected an object", file, i);
	int rc;
	if ((rc = string_field(o, "id", file, i, &s->id)) || (rc = string_field(o, "title", file, i, &s->title)) ||
	    (rc = string_field(o, "region", file, i, &s->region)) ||
	    (rc = string_field(o, "mode", file, i, &s->mode)) || (rc = string_field(o, "start", file, i, &s->start)) ||
	    (rc = string_field(o, "end", file, i, &s->end)) || (rc = number_field(o, "hours", file, i, &s->hours)) ||
	    (rc = number_field(o, "price", file, i, &s->price)))
		return rc;
	if (!s->id)
		return sh_error(SH_EFORMAT, "%s: courses[%zu].id: missing", file, i);
	json_t *langs = json_object_get(o, "languages");
	if ((rc = string_array(langs ? langs : json_object_get(o, "language"), file, i, "languages", &s->langs,
	                       &s->nlangs)))
		return rc;
	if ((rc = string_array(json_object_get(o, "prerequisites"), file, i, "prerequisites", &s->prereq_ids,
	                       &s->nprereqs)))
		return rc;
	char **uris = NULL;
	size_t nuris = 0;
	rc = string_array(json_object_get(o, "skills"), file, i, "skills", &uris, &nuris);
	if (!rc && !(s->skills = calloc(nuris + 1, sizeof *s->skills)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	for (size_t k = 0; !rc && k < nuris; k++) {
		sh_cid c;
		if (sh_index_lookup(idx, uris[k], &c))
			rc = sh_error(SH_ENOTFOUND, "%s: courses[%zu].skills[%zu]: no concept '%s' in the taxonomy", file,
			              i, k, uris[k]);
		else
			s->skills[s->nskills++] = c;
	}
	for (size_t k = 0; k < nuris; k++)
		free(uris[k]);
	free(uris);
	return rc;
}

/* qsort has no context argument: the course list being sorted by this thread. */
static _Thread_local const sh_course_list *sort_courses;
static int by_id(const void *a, const void *b)
{
	const sh_course_store *s = sort_courses->store;
	return strcmp(s[*(const size_t *)a].id, s[*(const size_t *)b].id);
}

/* Resolves the prerequisite ids of courses [first, n) against the ids of the same range. */
static int resolve_ids(sh_course_list *c, size_t first, const char *file)
{
	size_t n = c->n - first;
	size_t *order = malloc((n + 1) * sizeof *order);
	if (!order)
		return sh_error(SH_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		order[i] = first + i;
	sort_courses = c;
	qsort(order, n, sizeof *order, by_id);
	int rc = SH_OK;
	for (size_t i = 1; i < n && !rc; i++)
		if (strcmp(c->store[order[i]].id, c->store[order[i - 1]].id) == 0)
			rc = sh_error(SH_EFORMAT, "%s: courses[%zu].id: '%s' is used twice", file, order[i] - first,
			              c->store[order[i]].id);
	for (size_t i = first; i < c->n && !rc; i++) {
		sh_course_store *s = &c->store[i];
		if (!(s->prereqs = calloc(s->nprereqs + 1, sizeof *s->prereqs))) {
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < s->nprereqs && !rc; k++) {
			size_t lo = 0, hi = n;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (strcmp(c->store[order[mid]].id, s->prereq_ids[k]) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == n || strcmp(c->store[order[lo]].id, s->prereq_ids[k]) != 0)
				rc = sh_error(SH_EFORMAT, "%s: courses[%zu].prerequisites[%zu]: no course '%s' in the file", file,
				              i - first, k, s->prereq_ids[k]);
			else
				s->prereqs[k] = order[lo];
		}
	}
	free(order);
	return rc;
}

int sh_course_list_load_file(sh_course_list *c, const char *file, const sh_index *idx)
{
	char *text;
	size_t len;
	int rc = sh_read_file(file, &text, &len);
	if (rc)
		return rc;
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	free(text);
	if (!root)
		return sh_error(SH_EFORMAT, "%s:%d: %s", file, err.line, err.text);
	json_t *arr = json_is_array(root) ? root : json_object_get(root, "courses");
	if (!json_is_array(arr)) {
		json_decref(root);
		return sh_error(SH_EFORMAT, "%s: expected {\"courses\": [...]} or an array of courses", file);
	}
	size_t first = c->n, i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		sh_course_store *s = new_course(c);
		if (!s) {
			rc = SH_ENOMEM;
			break;
		}
		if ((rc = load_file_course(s, o, idx, file, i)))
			break;
	}
	json_decref(root);
	return rc ? rc : resolve_ids(c, first, file);
}

static char *column_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? strdup((const char *)t) : NULL;
}

/* The catalogue course with database id db_id among [first, n) (ordered by id), or SIZE_MAX. */
static size_t find_db_course(const sh_course_list *c, size_t first, int64_t db_id)
{
	size_t lo = first, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->store[mid].db_id < db_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->store[lo].db_id == db_id ? lo : SIZE_MAX;
}

static int grow(void **arr, size_t n, size_t size)
{
	if (n & (n - 1)) /* capacity doubles at powers of two */
		return SH_OK;
	void *v = realloc(*arr, (n ? 2 * n : 1) * size);
	if (!v)
		return sh_error(SH_ENOMEM, "out of memory");
	*arr = v;
	return SH_OK;
}

static const char sql_courses[] =
	"SELECT c.id, c.ref, c.mode, c.region, c.hours, c.cost, c.start_date, c.end_date, c.self_paced,"
	" (SELECT t.title FROM course_text t WHERE t.course = c.id ORDER BY t.lang <> ?1, t.lang <> 'en', t.lang LIMIT 1)"
	" FROM course c WHERE c.status = 'approved' ORDER BY c.id";
static const char sql_skills[] =
	"SELECT cs.course, k.uri FROM course_skill cs JOIN course c ON c.id = cs.course"
	" JOIN concept k ON k.id = cs.skill WHERE c.status = 'approved' AND cs.origin = 'accepted'";
static const char sql_langs[] =
	"SELECT l.course, l.lang FROM course_language l JOIN course c ON c.id = l.course WHERE c.status = 'approved'";
static const char sql_prereqs[] =
	"SELECT p.course, p.required_course FROM course_prerequisite p JOIN course c ON c.id = p.course"
	" WHERE c.status = 'approved' AND p.required_course IS NOT NULL";

/* Runs one per-course query and hands each row (course position, statement) to add. */
static int each_row(sh_db *db, const char *sql, sh_course_list *c, size_t first, const sh_index *idx,
                    int (*add)(sh_course_store *, sqlite3_stmt *, const sh_index *))
{
	sqlite3_stmt *st = NULL;
	int step = SQLITE_DONE, rc = sh_db_prepare(db, &st, sql);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t at = find_db_course(c, first, sqlite3_column_int64(st, 0));
		if (at != SIZE_MAX)
			rc = add(&c->store[at], st, idx);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(db, "reading the course catalogue");
	sqlite3_finalize(st);
	return rc;
}

static int add_skill(sh_course_store *s, sqlite3_stmt *st, const sh_index *idx)
{
	sh_cid cid;
	const char *uri = (const char *)sqlite3_column_text(st, 1);
	if (!uri || sh_index_lookup(idx, uri, &cid))
		return SH_OK; /* a skill the index no longer has teaches nothing we can plan for */
	int rc = grow((void **)&s->skills, s->nskills, sizeof *s->skills);
	if (!rc)
		s->skills[s->nskills++] = cid;
	return rc;
}

static int add_lang(sh_course_store *s, sqlite3_stmt *st, const sh_index *idx)
{
	(void)idx;
	int rc = grow((void **)&s->langs, s->nlangs, sizeof *s->langs);
	if (!rc && !(s->langs[s->nlangs] = column_text(st, 1)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	if (!rc)
		s->nlangs++;
	return rc;
}

static int add_prereq(sh_course_store *s, sqlite3_stmt *st, const sh_index *idx)
{
	(void)idx;
	int rc = grow((void **)&s->prereq_db, s->nprereqs, sizeof *s->prereq_db);
	if (!rc)
		s->prereq_db[s->nprereqs++] = sqlite3_column_int64(st, 1);
	return rc;
}

/* Drops catalogue courses requiring a course that is not loaded (until none does) and maps the rest. */
static int resolve_db_prereqs(sh_course_list *c, size_t first)
{
	size_t n = c->n - first;
	char *alive = malloc(n + 1);
	if (!alive)
		return sh_error(SH_ENOMEM, "out of memory");
	memset(alive, 1, n);
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; alive[i] && k < c->store[first + i].nprereqs; k++) {
				size_t at = find_db_course(c, first, c->store[first + i].prereq_db[k]);
				if (at == SIZE_MAX || !alive[at - first])
					alive[i] = 0, changed = 1;
			}
	}
	size_t kept = first;
	for (size_t i = 0; i < n; i++) {
		if (alive[i])
			c->store[kept++] = c->store[first + i];
		else
			store_free(&c->store[first + i]);
	}
	free(alive);
	c->n = kept; /* still ordered by database id, and every prerequisite of a kept course is kept */
	for (size_t i = first; i < kept; i++) {
		sh_course_store *s = &c->store[i];
		if (!(s->prereqs = calloc(s->nprereqs + 1, sizeof *s->prereqs)))
			return sh_error(SH_ENOMEM, "out of memory");
		for (size_t k = 0; k < s->nprereqs; k++)
			s->prereqs[k] = find_db_course(c, first, s->prereq_db[k]);
	}
	return SH_OK;
}

int sh_course_list_load_catalogue(sh_course_list *c, sh_db *db, const sh_index *idx, const char *lang)
{
	if (sh_db_schema_version(db) < 3)
		return SH_OK;
	size_t first = c->n;
	sqlite3_stmt *st = NULL;
	int step = SQLITE_DONE, rc = sh_db_prepare(db, &st, sql_courses);
	if (!rc)
		sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		sh_course_store *s = new_course(c);
		if (!s) {
			rc = SH_ENOMEM;
			break;
		}
		s->db_id = sqlite3_column_int64(st, 0);
		s->id = column_text(st, 1);
		s->mode = column_text(st, 2);
		s->region = column_text(st, 3);
		s->hours = sqlite3_column_double(st, 4);
		s->price = sqlite3_column_double(st, 5);
		if (!sqlite3_column_int(st, 8)) {
			s->start = column_text(st, 6);
			s->end = column_text(st, 7);
		}
		s->title = column_text(st, 9);
		if (!s->id)
			rc = sh_error(SH_ENOMEM, "out of memory");
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(db, "reading the course catalogue");
	sqlite3_finalize(st);
	if (!rc && !(rc = each_row(db, sql_skills, c, first, idx, add_skill)) &&
	    !(rc = each_row(db, sql_langs, c, first, idx, add_lang)) &&
	    !(rc = each_row(db, sql_prereqs, c, first, idx, add_prereq)))
		rc = resolve_db_prereqs(c, first);
	return rc;
}

int sh_course_list_finish(sh_course_list *c)
{
	sh_course *v = calloc(c->n + 1, sizeof *v);
	if (!v)
		return sh_error(SH_ENOMEM, "out of memory");
	free(c->v);
	c->v = v;
	for (size_t i = 0; i < c->n; i++) {
		const sh_course_store *s = &c->store[i];
		c->v[i] = (sh_course){
			.id = s->id, .hours = s->hours, .price = s->price, .skills = s->skills, .nskills = s->nskills,
			.prereqs = s->prereqs, .nprereqs = s->nprereqs, .languages = (const char *const *)s->langs,
			.nlanguages = s->nlangs, .region = s->region, .mode = s->mode, .start = s->start, .end = s->end,
		};
	}
	return SH_OK;
}

int sh_course_date_valid(const char *s)
{
	int y, m, d;
	char tail;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= 31;
}
