/*
 * server/api_courses.c - the training catalogue's read-only JSON routes:
 * GET /api/v1/courses (ranked search), /api/v1/courses/{id} (one course in
 * the exchange shape, or ELM JSON-LD with ?format=elm), /api/v1/providers
 * and /api/v1/providers/{id} (with its approved courses), and the helpers
 * the pages share (courses_web.h).
 *
 * Only approved courses are served: a draft, submitted or rejected course
 * answers 404 exactly like an unknown id, so that nothing tells them apart.
 * Search hits are those of `skillhub courses search --json` (the same
 * library call), sliced by ?offset= since the library ranks from the top.
 * Provider objects leave out the count of courses that are not approved.
 */
#include "server/courses_web.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue/catalogue.h"
#include "core/error.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "store/db.h"

enum {
	COURSES_MAX_QUERY  = 512,  /* bytes of ?q= */
	COURSES_MAX_LIMIT  = 100,
	COURSES_MAX_OFFSET = 1000
};

int sh_courses_db(sh_request *req, sh_db **out)
{
	if (sh_dbconn_get(out))
		return sh_reply_problem(req, 503, "unavailable", NULL, "the catalogue cannot be read: %s", sh_errmsg());
	return SH_OK;
}

/* The value of name, NULL when absent or empty (an empty form field means "any"). */
static const char *given(sh_request *req, const char *name)
{
	const char *v = sh_http_query_get(&req->query, name);
	return v && *v ? v : NULL;
}

/* Resolves ?name= (id, URI or, for a skill on the page, a label) to the URI of a concept of kind. */
static int concept_param(sh_request *req, const char *name, sh_kind kind, int by_label, const char **uri)
{
	const char *v = given(req, name);
	*uri = NULL;
	if (!v)
		return SH_OK;
	sh_cid c;
	int found = sh_index_lookup(req->idx, v, &c) == SH_OK && sh_concept_kind(req->idx, c) == kind;
	if (!found && by_label && strlen(v) <= COURSES_MAX_QUERY) {
		sh_search_hit hit;
		size_t n = 0;
		sh_search_opts opts = { SH_KIND_BIT(kind), req->lang, 0 };
		if (sh_search(req->idx, v, &opts, &hit, 1, &n) == SH_OK && n == 1) {
			c = hit.concept;
			found = 1;
		}
	}
	if (!found)
		return sh_reply_problem(req, 400, "invalid-parameter", name, "'%s' is not an ESCO %s id or URI: '%s'",
		                        name, sh_kind_name(kind), v);
	*uri = sh_concept_uri(req->idx, c);
	return SH_OK;
}

int sh_courses_query(sh_request *req, const char *lang_param, int skill_by_label, sh_course_query *q)
{
	memset(q, 0, sizeof *q);
	q->max_cost = -1;
	int rc;
	if ((rc = concept_param(req, "skill", SH_KIND_SKILL, skill_by_label, &q->skill)) ||
	    (rc = concept_param(req, "occupation", SH_KIND_OCCUPATION, 0, &q->occupation)))
		return rc;
	if ((q->text = given(req, "q")) && strlen(q->text) > COURSES_MAX_QUERY)
		return sh_reply_problem(req, 400, "invalid-parameter", "q", "'q' is longer than %d bytes", COURSES_MAX_QUERY);
	if (q->text && !q->text[strspn(q->text, " \t\r\n")])
		q->text = NULL;
	if ((q->region = given(req, "region"))) {
		size_t n = 0;
		while (n < 6 && isalnum((unsigned char)q->region[n]))
			n++;
		if (n > 5 || q->region[n])
			return sh_reply_problem(req, 400, "invalid-parameter", "region",
			                        "'region' is a NUTS code or its prefix (DE, DE9, DE91), got '%s'", q->region);
	}
	if ((q->lang = given(req, lang_param))) {
		if (strlen(q->lang) != 2 || !islower((unsigned char)q->lang[0]) || !islower((unsigned char)q->lang[1]))
			return sh_reply_problem(req, 400, "invalid-parameter", lang_param,
			                        "'%s' is an ISO 639-1 code (de, en), got '%s'", lang_param, q->lang);
	}
	if ((q->mode = given(req, "mode")) && strcmp(q->mode, "onsite") && strcmp(q->mode, "online") &&
	    strcmp(q->mode, "blended"))
		return sh_reply_problem(req, 400, "invalid-parameter", "mode",
		                        "'mode' must be onsite, online or blended, got '%s'", q->mode);
	if (given(req, "eqf")) {
		size_t eqf;
		if ((rc = sh_param_size(req, "eqf", 0, 1, 8, &eqf)))
			return rc;
		q->eqf = (int)eqf;
	}
	const char *cost = given(req, "max_cost");
	if (cost) {
		char *end;
		errno = 0;
		q->max_cost = strtod(cost, &end);
		if (errno || *end || !isdigit((unsigned char)cost[0]) || q->max_cost < 0)
			return sh_reply_problem(req, 400, "invalid-parameter", "max_cost",
			                        "'max_cost' must be a number >= 0, got '%s'", cost);
	}
	static const char *const dates[] = { "from", "to" };
	for (size_t i = 0; i < 2; i++) {
		const char *d = given(req, dates[i]);
		if (d && !cat_is_date(d))
			return sh_reply_problem(req, 400, "invalid-parameter", dates[i],
			                        "'%s' must be a date YYYY-MM-DD, got '%s'", dates[i], d);
		*(i ? &q->to : &q->from) = d;
	}
	return SH_OK;
}

int sh_courses_run(sh_request *req, sh_db *db, sh_course_query *q, size_t offset, json_t **out)
{
	size_t limit = q->limit ? q->limit : 20;
	q->limit = limit + offset;
	char *text;
	int rc = sh_courses_search(db, q, &text);
	q->limit = limit;
	if (rc == SH_EINVAL && q->text)
		return sh_reply_problem(req, 400, "invalid-parameter", "q", "%s", sh_errmsg());
	if (rc)
		return rc;
	json_t *all = json_loads(text, 0, NULL);
	free(text);
	json_t *page = json_array();
	if (!all || !page) {
		json_decref(all);
		json_decref(page);
		return sh_error(SH_ENOMEM, "out of memory (course search)");
	}
	for (size_t i = offset; i < json_array_size(all); i++)
		json_array_append(page, json_array_get(all, i));
	json_decref(all);
	*out = page;
	return SH_OK;
}

int sh_course_is_approved(sh_db *db, const char *ref)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT status = 'approved' FROM course WHERE ref = ?");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	rc = s == SQLITE_ROW ? sqlite3_column_int(st, 0) : s == SQLITE_DONE ? 0 : sh_db_error(db, "course status");
	sqlite3_finalize(st);
	return rc;
}

int sh_courses_of(sh_db *db, int by_parent, const char *ref, const char *lang, json_t **out)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, by_parent
		? "SELECT c.ref, (SELECT title FROM course_text x WHERE x.course = c.id"
		  "  ORDER BY x.lang = ?2 DESC, x.lang = 'en' DESC, x.lang LIMIT 1),"
		  " c.mode, c.region, c.eqf, c.start_date, c.self_paced"
		  " FROM course c JOIN course up ON up.id = c.parent"
		  " WHERE up.ref = ?1 AND c.status = 'approved' ORDER BY c.ref"
		: "SELECT c.ref, (SELECT title FROM course_text x WHERE x.course = c.id"
		  "  ORDER BY x.lang = ?2 DESC, x.lang = 'en' DESC, x.lang LIMIT 1),"
		  " c.mode, c.region, c.eqf, c.start_date, c.self_paced"
		  " FROM course c JOIN provider p ON p.id = c.provider"
		  " WHERE p.ref = ?1 AND c.status = 'approved' ORDER BY c.ref");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
	static const char *const keys[] = { "id", "title", "mode", "region", "eqf", "start" };
	json_t *a = json_array();
	int s = SQLITE_DONE;
	while (a && (s = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int k = 0; k < 6; k++) {
			if (sqlite3_column_type(st, k) == SQLITE_NULL)
				continue;
			json_object_set_new(o, keys[k], k == 4 ? json_integer(sqlite3_column_int(st, k))
			                                       : json_string((const char *)sqlite3_column_text(st, k)));
		}
		json_object_set_new(o, "self_paced", json_boolean(sqlite3_column_int(st, 6)));
		json_array_append_new(a, o);
	}
	if (!a)
		rc = sh_error(SH_ENOMEM, "out of memory");
	else if (s != SQLITE_DONE)
		rc = sh_db_error(db, "list courses");
	sqlite3_finalize(st);
	if (rc)
		json_decref(a);
	else
		*out = a;
	return rc;
}

/* ---- handlers ---------------------------------------------------------- */

/* Sends text (a JSON document of the library) as the 200 response. */
static int reply_text(sh_request *req, const char *text, const char *type)
{
	int rc = sh_buf_puts(&req->body, text);
	if (!rc && *text && text[strlen(text) - 1] != '\n')
		rc = sh_buf_putc(&req->body, '\n');
	return rc ? rc : sh_reply_ok(req, type);
}

static int reply_json(sh_request *req, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!s)
		return sh_error(SH_ENOMEM, "out of memory (JSON response)");
	int rc = reply_text(req, s, "application/json");
	free(s);
	return rc;
}

int sh_api_courses(sh_request *req)
{
	sh_course_query q;
	size_t offset;
	sh_db *db;
	json_t *hits;
	int rc;
	if ((rc = sh_courses_query(req, "lang", 0, &q)) ||
	    (rc = sh_param_size(req, "limit", 20, 1, COURSES_MAX_LIMIT, &q.limit)) ||
	    (rc = sh_param_size(req, "offset", 0, 0, COURSES_MAX_OFFSET, &offset)) ||
	    (rc = sh_courses_db(req, &db)) || (rc = sh_courses_run(req, db, &q, offset, &hits)))
		return rc;
	return reply_json(req, json_pack("{s:o,s:I,s:I}", "results", hits, "offset", (json_int_t)offset,
	                                 "limit", (json_int_t)q.limit));
}

int sh_api_course(sh_request *req)
{
	const char *format = sh_http_query_get(&req->query, "format");
	if (format && strcmp(format, "json") && strcmp(format, "elm"))
		return sh_reply_problem(req, 400, "invalid-parameter", "format",
		                        "'format' must be json or elm, got '%s'", format);
	int elm = format && !strcmp(format, "elm");
	sh_db *db;
	int rc = sh_courses_db(req, &db);
	if (rc)
		return rc;
	if ((rc = sh_course_is_approved(db, req->arg[0])) <= 0)
		return rc ? rc : sh_reply_problem(req, 404, "not-found", NULL, "no approved course '%s'", req->arg[0]);
	char *text;
	if ((rc = sh_courses_export(db, elm ? SH_COURSES_ELM : SH_COURSES_JSON, req->arg[0], &text)))
		return rc;
	rc = reply_text(req, text, elm ? "application/ld+json" : "application/json");
	free(text);
	return rc;
}

/* The provider objects of the library without their count of all courses (drafts included). */
static int providers_json(sh_db *db, const char *ref, json_t **out)
{
	char *text;
	int rc = sh_providers_json(db, ref, &text);
	if (rc)
		return rc;
	json_t *v = json_loads(text, 0, NULL);
	free(text);
	if (!v)
		return sh_error(SH_ENOMEM, "out of memory (providers)");
	size_t i;
	json_t *p;
	if (json_is_array(v))
		json_array_foreach(v, i, p)
			json_object_del(p, "courses");
	else
		json_object_del(v, "courses");
	*out = v;
	return SH_OK;
}

int sh_api_providers(sh_request *req)
{
	sh_db *db;
	json_t *all;
	int rc;
	if ((rc = sh_courses_db(req, &db)) || (rc = providers_json(db, NULL, &all)))
		return rc;
	return reply_json(req, json_pack("{s:o}", "results", all));
}

int sh_api_provider(sh_request *req)
{
	sh_db *db;
	json_t *p, *courses;
	int rc = sh_courses_db(req, &db);
	if (rc)
		return rc;
	if ((rc = providers_json(db, req->arg[0], &p)) == SH_ENOTFOUND)
		return sh_reply_problem(req, 404, "not-found", NULL, "no provider '%s'", req->arg[0]);
	if (rc)
		return rc;
	if ((rc = sh_courses_of(db, 0, req->arg[0], req->lang, &courses))) {
		json_decref(p);
		return rc;
	}
	json_object_set_new(p, "courses", courses);
	return reply_json(req, p);
}
