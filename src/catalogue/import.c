/*
 * catalogue/import.c - `skillhub courses import FILE.json|FILE.csv`.
 *
 * Both formats become course objects of the exchange shape (catalogue.h),
 * which are validated and stored one by one inside a single transaction.
 * A bad record does not stop the run: every problem of every record is
 * collected as "file:line: ..." and, if there is any, the transaction is
 * rolled back, so a file is imported whole or not at all.
 *
 * jansson keeps no positions for parsed values, so element_lines() scans the
 * JSON text once (strings and nesting only) to find the line on which each
 * element of the top-level "providers" and "courses" arrays starts.
 *
 * CSV: one course a row; the columns are the scalar fields plus languages,
 * skills and prerequisites (lists separated by ';') and title_XX,
 * description_XX, outcomes_XX per language XX (outcomes one a line).
 */
#include "catalogue/catalogue.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "skillhub/extract.h"
#include "taxonomy/csv_reader.h"

typedef struct import_run {
	sh_db                *db;
	const sh_courses_import_opts *opts;
	const char           *who;
	sh_extractor         *x;        /* NULL: no proposals */
	sh_buf                problems;
	size_t                nproblems, ncourses, nproviders;
} import_run;

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Validates and stores one course; problems are collected, other failures returned. */
static int import_course(import_run *run, json_t *c, const char *where)
{
	size_t before = run->problems.len;
	if (cat_course_validate(c, where, &run->problems) == 0) {
		int64_t id;
		int changed = 0;
		int rc = cat_course_store(run->db, c, run->who, where, &run->problems, &id, &changed);
		if (rc && rc != SH_EFORMAT)
			return rc;
		if (!rc) {
			run->ncourses++;
			size_t n;
			if (changed && run->x && (rc = cat_propose_skills(run->db, run->opts->idx, run->x, id, &n)))
				return rc;
		}
	}
	if (run->problems.len > before)
		run->nproblems += count_lines(run->problems.data + before);
	return SH_OK;
}

static int import_provider(import_run *run, json_t *p, const char *where)
{
	size_t n = cat_provider_validate(p, where, &run->problems);
	run->nproblems += n;
	if (n)
		return SH_OK;
	int rc = cat_provider_store(run->db, p, run->who);
	if (!rc)
		run->nproviders++;
	return rc;
}

/* ---- JSON ------------------------------------------------------------ */

/*
 * Line of the first character of each element of the top-level array member
 * key of the JSON text s; *n elements.  Caller frees.  The text is known to
 * parse, so only strings, escapes and nesting need care.
 */
static size_t *element_lines(const char *s, size_t len, const char *key, size_t *n)
{
	size_t cap = 16, line = 1, keylen = strlen(key);
	size_t *lines = malloc(cap * sizeof *lines);
	int depth = 0, in_str = 0, in_target = 0, expect = 0;
	size_t str_start = 0, last_start = 0, last_len = 0;
	*n = 0;
	for (size_t i = 0; lines && i < len; i++) {
		char c = s[i];
		if (c == '\n')
			line++;
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"') {
				in_str = 0;
				if (depth == 1) {
					last_start = str_start;
					last_len = i - str_start;
				}
			}
			continue;
		}
		if (in_target && depth == 2 && expect && !isspace((unsigned char)c) && c != ']' && c != ',') {
			if (*n == cap) {
				size_t *grown = realloc(lines, (cap *= 2) * sizeof *lines);
				if (!grown) {
					free(lines);
					return NULL;
				}
				lines = grown;
			}
			lines[(*n)++] = line;
			expect = 0;
		}
		switch (c) {
		case '"':
			in_str = 1;
			str_start = i + 1;
			break;
		case '[':
		case '{':
			depth++;
			if (c == '[' && depth == 2 && last_len == keylen && memcmp(s + last_start, key, keylen) == 0)
				in_target = expect = 1;
			break;
		case ']':
		case '}':
			if (depth == 2 && c == ']')
				in_target = 0;
			depth--;
			break;
		case ',':
			if (in_target && depth == 2)
				expect = 1;
			break;
		}
	}
	return lines;
}

static int import_json_array(import_run *run, const char *path, const char *text, size_t len,
                             json_t *root, const char *key,
                             int (*one)(import_run *, json_t *, const char *))
{
	json_t *arr = json_object_get(root, key);
	if (!arr)
		return SH_OK;
	if (!json_is_array(arr)) {
		sh_buf_printf(&run->problems, "%s: \"%s\" must be an array\n", path, key);
		run->nproblems++;
		return SH_OK;
	}
	size_t nlines;
	size_t *lines = element_lines(text, len, key, &nlines);
	if (!lines)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = SH_OK;
	size_t i;
	json_t *v;
	char where[4200];
	json_array_foreach(arr, i, v) {
		snprintf(where, sizeof where, "%s:%zu", path, i < nlines ? lines[i] : 0);
		if ((rc = one(run, v, where)))
			break;
	}
	free(lines);
	return rc;
}

static int import_json(import_run *run, const char *path)
{
	char *text;
	size_t len;
	int rc = sh_read_file(path, &text, &len);
	if (rc)
		return rc;
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err);
	if (!root) {
		rc = sh_error(SH_EFORMAT, "%s:%d:%d: malformed JSON: %s", path, err.line, err.column, err.text);
	} else if (!json_is_object(root)) {
		rc = sh_error(SH_EFORMAT, "%s:1: expected an object {\"providers\": [...], \"courses\": [...]}", path);
	} else {
		const char *key;
		json_t *v;
		json_object_foreach(root, key, v)
			if (strcmp(key, "providers") && strcmp(key, "courses")) {
				sh_buf_printf(&run->problems, "%s: unknown top-level member \"%s\"\n", path, key);
				run->nproblems++;
			}
		rc = import_json_array(run, path, text, len, root, "providers", import_provider);
		if (!rc)
			rc = import_json_array(run, path, text, len, root, "courses", import_course);
	}
	json_decref(root);
	free(text);
	return rc;
}

/* ---- CSV ------------------------------------------------------------- */

/* A CSV cell as a JSON value of the field's type; unparsable cells stay strings (validation names them). */
static json_t *cell_value(const cat_field *f, const char *cell)
{
	char *end;
	errno = 0;
	switch (f->type) {
	case CAT_NUM: {
		double v = strtod(cell, &end);
		return !errno && !*end ? json_real(v) : json_string(cell);
	}
	case CAT_INT: {
		long long v = strtoll(cell, &end, 10);
		return !errno && !*end ? json_integer(v) : json_string(cell);
	}
	case CAT_BOOL:
		if (!strcmp(cell, "true") || !strcmp(cell, "1") || !strcmp(cell, "yes"))
			return json_true();
		if (!strcmp(cell, "false") || !strcmp(cell, "0") || !strcmp(cell, "no"))
			return json_false();
		return json_string(cell);
	default:
		return json_string(cell);
	}
}

/* Splits s at any of seps into trimmed non-empty pieces and appends make(piece) to arr for each. */
static void split_list(const char *s, const char *seps, json_t *arr, json_t *(*make)(const char *))
{
	char *copy = strdup(s), *save = NULL;
	if (!copy)
		return;
	for (char *tok = strtok_r(copy, seps, &save); tok; tok = strtok_r(NULL, seps, &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		size_t len = strlen(tok);
		while (len && isspace((unsigned char)tok[len - 1]))
			tok[--len] = '\0';
		if (len)
			json_array_append_new(arr, make(tok));
	}
	free(copy);
}

static json_t *make_string(const char *s)
{
	return json_string(s);
}

/* "URI" or "URI|level" */
static json_t *make_skill(const char *s)
{
	const char *bar = strchr(s, '|');
	if (!bar)
		return json_pack("{s:s}", "uri", s);
	return json_pack("{s:s%, s:s}", "uri", s, (size_t)(bar - s), "level", bar + 1);
}

/* "skill:URI" or "course:ID"; anything else becomes an object validation rejects. */
static json_t *make_prerequisite(const char *s)
{
	if (!strncmp(s, "skill:", 6))
		return json_pack("{s:s}", "skill", s + 6);
	if (!strncmp(s, "course:", 7))
		return json_pack("{s:s}", "course", s + 7);
	return json_pack("{s:s}", "unknown", s);
}

/* 1 if name is a column of the CSV exchange format (status and flagged are exported, ignored here). */
static int known_column(const char *name)
{
	for (size_t i = 0; i < cat_nfields; i++)
		if (!strcmp(cat_fields[i].key, name))
			return 1;
	static const char *const lists[] = { "languages", "skills", "prerequisites", "status", "flagged", NULL };
	for (size_t i = 0; lists[i]; i++)
		if (!strcmp(lists[i], name))
			return 1;
	static const char *const per_lang[] = { "title_", "description_", "outcomes_", NULL };
	for (size_t i = 0; per_lang[i]; i++) {
		size_t n = strlen(per_lang[i]);
		if (!strncmp(name, per_lang[i], n) && strlen(name + n) == 2)
			return 1;
	}
	return 0;
}

static json_t *csv_course(sh_csv *r)
{
	json_t *c = json_object(), *texts = json_object(), *outcomes = json_array();
	for (size_t col = 0; col < sh_csv_ncols(r); col++) {
		const char *name = sh_csv_col_name(r, col), *cell = sh_csv_field(r, (int)col);
		if (!*cell)
			continue;
		const cat_field *f = NULL;
		for (size_t i = 0; i < cat_nfields && !f; i++)
			if (!strcmp(cat_fields[i].key, name))
				f = &cat_fields[i];
		if (!known_column(name))
			continue;
		if (f) {
			json_object_set_new(c, name, cell_value(f, cell));
		} else if (!strcmp(name, "languages") || !strcmp(name, "skills") || !strcmp(name, "prerequisites")) {
			json_t *arr = json_array();
			split_list(cell, ";\n", arr, name[0] == 'l' ? make_string : name[0] == 's' ? make_skill
			                                                                     : make_prerequisite);
			json_object_set_new(c, name, arr);
		} else if (!strncmp(name, "title_", 6) || !strncmp(name, "description_", 12)) {
			const char *lang = strchr(name, '_') + 1;
			json_t *t = json_object_get(texts, lang);
			if (!t)
				json_object_set_new(texts, lang, t = json_object());
			json_object_set_new(t, name[0] == 't' ? "title" : "description", json_string(cell));
		} else if (!strncmp(name, "outcomes_", 9)) {
			json_t *lines = json_array();
			split_list(cell, "\n", lines, make_string);
			size_t i;
			json_t *v;
			json_array_foreach(lines, i, v)
				json_array_append_new(outcomes, json_pack("{s:s, s:O}", "lang", name + 9, "text", v));
			json_decref(lines);
		}
	}
	if (json_object_size(texts))
		json_object_set(c, "texts", texts);
	if (json_array_size(outcomes))
		json_object_set(c, "outcomes", outcomes);
	json_decref(texts);
	json_decref(outcomes);
	return c;
}

static int import_csv(import_run *run, const char *path)
{
	sh_csv *r;
	int rc = sh_csv_open(&r, path);
	if (rc)
		return rc;
	for (size_t col = 0; col < sh_csv_ncols(r); col++)
		if (!known_column(sh_csv_col_name(r, col))) {
			sh_buf_printf(&run->problems, "%s:1: column \"%s\": unknown column (see docs/catalogue.md)\n",
			              path, sh_csv_col_name(r, col));
			run->nproblems++;
		}
	char where[4200];
	int s;
	while ((s = sh_csv_next(r)) == 1) {
		snprintf(where, sizeof where, "%s:%zu", path, sh_csv_line(r));
		json_t *c = csv_course(r);
		rc = import_course(run, c, where);
		json_decref(c);
		if (rc)
			break;
	}
	if (!rc && s < 0)
		rc = s;
	sh_csv_close(r);
	return rc;
}

/* ---- entry point ----------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* PRAGMA cache_size = n (pages when > 0, KiB when < 0). */
static int set_cache_size(sh_db *db, int64_t n)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)n);
	return sh_db_exec(db, sql);
}

int sh_courses_import(sh_db *db, const char *path, const sh_courses_import_opts *opts,
                      size_t *ncourses, size_t *nproviders, char **problems)
{
	static const sh_courses_import_opts defaults = { NULL, NULL };
	import_run run = { db, opts ? opts : &defaults, NULL, NULL, SH_BUF_INIT, 0, 0, 0 };
	run.who = run.opts->who ? run.opts->who : "import";
	*problems = NULL;
	int json = ends_with(path, ".json");
	if (!json && !ends_with(path, ".csv"))
		return sh_error(SH_EINVAL, "%s: expected a .json or .csv file", path);
	int rc = run.opts->idx ? sh_extractor_new(&run.x, run.opts->idx) : SH_OK;
	/* The search terms' B-tree is written all over: a page cache of up to 64 MiB (allocated as used,
	 * instead of SQLite's 2 MiB) keeps its pages in memory until the commit; restored afterwards. */
	int64_t cache_size = 0;
	if (!rc)
		rc = sh_db_int64(db, "PRAGMA cache_size", &cache_size);
	if (!rc && (rc = set_cache_size(db, -65536)) == SH_OK && (rc = sh_db_begin(db)) != SH_OK)
		set_cache_size(db, cache_size);
	if (rc) {
		sh_extractor_free(run.x);
		return rc;
	}
	rc = json ? import_json(&run, path) : import_csv(&run, path);
	if (!rc && run.nproblems) {
		*problems = sh_buf_detach(&run.problems);
		rc = sh_error(SH_EFORMAT, "%s: %zu problem%s, nothing imported", path, run.nproblems,
		              run.nproblems == 1 ? "" : "s");
	}
	if (!rc)
		rc = sh_db_commit(db);
	if (rc)
		sh_db_rollback(db);
	int restored = set_cache_size(db, cache_size);
	rc = rc ? rc : restored;
	sh_buf_free(&run.problems);
	sh_extractor_free(run.x);
	*ncourses = rc ? 0 : run.ncourses;
	*nproviders = rc ? 0 : run.nproviders;
	return rc;
}
