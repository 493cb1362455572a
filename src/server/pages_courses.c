/*
 * server/pages_courses.c - the training catalogue's pages: /courses (search
 * form and ranked results), /course/{id}, /provider/{id}, and the "Courses
 * teaching this skill" section of a skill's concept page.
 *
 * Like the other pages they work without JavaScript: the search form is a
 * plain GET form, and its skill field reuses the search box's autocomplete
 * (app.js fills the <datalist> "suggestions" of the input with id "q"), so
 * that field carries id "q" while the free text is named q.  A skill may
 * thus arrive as a label; the best skill hit of the index is then used and
 * shown.  The teaching-language filter is ?teaching=, since ?lang= is the
 * language of the interface.  Course data comes from the library in its
 * exchange shape (skillhub/catalogue.h) and goes through sh_html_puts.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/courses_web.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/html.h"
#include "store/db.h"

enum {
	PAGE_COURSES  = 50,  /* results shown on /courses */
	SKILL_COURSES = 10   /* courses listed on a skill's page */
};

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int finish(sh_request *req, int rc)
{
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

/* <a href="/PREFIX/ID?lang=L">text</a> */
static int link(sh_request *req, const char *prefix, const char *id, const char *text)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<a href=\"%s", prefix);
	rc = rc ? rc : sh_http_encode(b, id);
	rc = rc ? rc : sh_buf_puts(b, "?lang=");
	rc = rc ? rc : sh_http_encode(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">");
	rc = rc ? rc : sh_html_puts(b, text);
	return rc ? rc : sh_buf_puts(b, "</a>");
}

/* A link to the concept page of an ESCO URI (its label in the page's language), or the fallback text. */
static int concept_link(sh_request *req, const char *uri, const char *fallback)
{
	sh_cid c;
	if (sh_index_lookup(req->idx, uri, &c))
		return sh_html_puts(&req->body, fallback ? fallback : uri);
	return link(req, "/concept/", sh_concept_id(req->idx, c), sh_concept_label(req->idx, c, req->lang));
}

/* " · online · DE91 · EQF 4 · starts 2027-02-01" after a course title in a list. */
static int hit_details(sh_buf *b, json_t *h)
{
	static const char *const keys[] = { "provider", "mode", "region" };
	int rc = SH_OK;
	for (size_t i = 0; i < 3 && !rc; i++)
		if (str(h, keys[i])) {
			rc = sh_buf_puts(b, " \xc2\xb7 ");
			rc = rc ? rc : sh_html_puts(b, str(h, keys[i]));
		}
	if (!rc && json_integer_value(json_object_get(h, "eqf")))
		rc = sh_buf_printf(b, " \xc2\xb7 EQF %lld", (long long)json_integer_value(json_object_get(h, "eqf")));
	if (!rc && json_is_true(json_object_get(h, "self_paced")))
		rc = sh_buf_puts(b, " \xc2\xb7 self-paced");
	else if (!rc && str(h, "start")) {
		rc = sh_buf_puts(b, " \xc2\xb7 starts ");
		rc = rc ? rc : sh_html_puts(b, str(h, "start"));
	}
	return rc;
}

/* <ul|ol class="results"> of course hits or listings. */
static int course_list(sh_request *req, json_t *hits, const char *tag)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<%s class=\"results\">\n", tag);
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h) {
		if (rc)
			break;
		rc = sh_buf_puts(b, "<li>");
		rc = rc ? rc : link(req, "/course/", str(h, "id"), str(h, "title") ? str(h, "title") : str(h, "id"));
		rc = rc ? rc : sh_buf_puts(b, "<span class=\"matched\">");
		rc = rc ? rc : hit_details(b, h);
		rc = rc ? rc : sh_buf_puts(b, "</span></li>\n");
	}
	return rc ? rc : sh_buf_printf(b, "</%s>\n", tag);
}

/* ---- /courses ------------------------------------------------------------ */

/* The value of a request parameter for a form field ("" when absent). */
static const char *value(sh_request *req, const char *name)
{
	const char *v = sh_http_query_get(&req->query, name);
	return v ? v : "";
}

static int text_field(sh_request *req, const char *id, const char *name, const char *label, const char *extra)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<div><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" maxlength=\"512\"%s value=\"",
	                       id, label, id, name, extra);
	rc = rc ? rc : sh_html_puts(b, value(req, name));
	return rc ? rc : sh_buf_puts(b, "\"></div>\n");
}

/* A <select> of values[0..n), after a first option "any" (the empty value). */
static int select_field(sh_request *req, const char *name, const char *label, const char *const *values, size_t n)
{
	sh_buf *b = &req->body;
	const char *cur = value(req, name);
	int rc = sh_buf_printf(b, "<div><label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">"
	                          "<option value=\"\">any</option>", name, label, name, name);
	for (size_t i = 0; i < n && !rc; i++) {
		rc = sh_buf_puts(b, "<option value=\"");
		rc = rc ? rc : sh_html_puts(b, values[i]);
		rc = rc ? rc : sh_buf_puts(b, strcmp(cur, values[i]) ? "\">" : "\" selected>");
		rc = rc ? rc : sh_html_puts(b, values[i]);
		rc = rc ? rc : sh_buf_puts(b, "</option>");
	}
	return rc ? rc : sh_buf_puts(b, "</select></div>\n");
}

/* The teaching languages of approved courses, for the language filter (at most 64). */
static int teaching_languages(sh_db *db, char langs[64][3], size_t *n)
{
	sqlite3_stmt *st;
	*n = 0;
	int rc = sh_db_prepare(db, &st, "SELECT DISTINCT l.lang FROM course_language l JOIN course c ON c.id = l.course"
	                                " WHERE c.status = 'approved' ORDER BY l.lang LIMIT 64");
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(st, 0);
		if (l && strlen(l) == 2)
			memcpy(langs[(*n)++], l, 3);
	}
	sqlite3_finalize(st);
	return SH_OK;
}

static int search_form(sh_request *req, sh_db *db)
{
	static const char *const modes[] = { "onsite", "online", "blended" };
	static const char *const eqf[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
	char langs[64][3];
	const char *lang_values[64];
	size_t nlangs;
	int rc = teaching_languages(db, langs, &nlangs);
	for (size_t i = 0; i < nlangs; i++)
		lang_values[i] = langs[i];
	sh_buf *b = &req->body;
	rc = rc ? rc : sh_buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"/courses\">\n");
	rc = rc ? rc : text_field(req, "course-q", "q", "Words", " type=\"search\"");
	rc = rc ? rc : text_field(req, "q", "skill", "Skill", " list=\"suggestions\" autocomplete=\"off\"");
	rc = rc ? rc : sh_buf_puts(b, "<datalist id=\"suggestions\"></datalist>\n");
	rc = rc ? rc : text_field(req, "region", "region", "Region (NUTS)", " size=\"6\" placeholder=\"DE91\"");
	rc = rc ? rc : select_field(req, "teaching", "Language", lang_values, nlangs);
	rc = rc ? rc : select_field(req, "mode", "Mode", modes, 3);
	rc = rc ? rc : select_field(req, "eqf", "EQF level", eqf, 8);
	rc = rc ? rc : sh_buf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	return rc ? rc : sh_buf_puts(b, "\">\n<button type=\"submit\">Search courses</button>\n</form>\n");
}

int sh_page_courses(sh_request *req)
{
	sh_course_query q;
	sh_db *db;
	json_t *hits;
	int rc;
	if ((rc = sh_courses_query(req, "teaching", 1, &q)) || (rc = sh_courses_db(req, &db)))
		return rc;
	q.limit = PAGE_COURSES;
	if ((rc = sh_courses_run(req, db, &q, 0, &hits)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, "Training courses");
	rc = rc ? rc : sh_buf_puts(b, "<h1>Training courses</h1>\n<p>Approved courses of the catalogue, mapped to "
	                              "ESCO skills.</p>\n");
	rc = rc ? rc : search_form(req, db);
	if (!rc && q.skill) {
		rc = sh_buf_puts(b, "<p>Courses teaching ");
		rc = rc ? rc : concept_link(req, q.skill, NULL);
		rc = rc ? rc : sh_buf_puts(b, " or a narrower skill.</p>\n");
	}
	size_t n = json_array_size(hits);
	if (!rc && !n)
		rc = sh_buf_puts(b, "<p>No approved course matches. Try fewer filters.</p>\n");
	else if (!rc) {
		rc = sh_buf_printf(b, "<h2>%zu%s course%s</h2>\n", n, n == PAGE_COURSES ? " or more" : "", n == 1 ? "" : "s");
		rc = rc ? rc : course_list(req, hits, "ol");
	}
	json_decref(hits);
	return finish(req, rc);
}

/* ---- /course/{id} -------------------------------------------------------- */

/* The member of a language map in the page's language, else English, else the first. */
static json_t *in_language(sh_request *req, json_t *map)
{
	json_t *v = json_object_get(map, req->lang);
	if (!v)
		v = json_object_get(map, "en");
	if (!v) {
		void *it = json_object_iter(map);
		v = it ? json_object_iter_value(it) : NULL;
	}
	return v;
}

/* <dt>term</dt><dd>text</dd> when text is given. */
static int fact(sh_buf *b, const char *term, const char *text)
{
	if (!text || !*text)
		return SH_OK;
	int rc = sh_buf_printf(b, "<dt>%s</dt><dd>", term);
	rc = rc ? rc : sh_html_puts(b, text);
	return rc ? rc : sh_buf_puts(b, "</dd>\n");
}

static int course_facts(sh_request *req, json_t *c)
{
	sh_buf *b = &req->body;
	char num[64];
	int rc = sh_buf_puts(b, "<dl class=\"facts\">\n");
	rc = rc ? rc : fact(b, "Mode", str(c, "mode"));
	rc = rc ? rc : fact(b, "Location", str(c, "location"));
	rc = rc ? rc : fact(b, "Region", str(c, "region"));
	if (!rc && json_is_number(json_object_get(c, "hours"))) {
		snprintf(num, sizeof num, "%g", json_number_value(json_object_get(c, "hours")));
		rc = fact(b, "Hours", num);
	}
	if (!rc && json_is_number(json_object_get(c, "ects"))) {
		snprintf(num, sizeof num, "%g", json_number_value(json_object_get(c, "ects")));
		rc = fact(b, "ECTS credits", num);
	}
	if (!rc && json_is_integer(json_object_get(c, "eqf"))) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(json_object_get(c, "eqf")));
		rc = fact(b, "EQF level", num);
	}
	if (!rc && json_is_number(json_object_get(c, "cost"))) {
		snprintf(num, sizeof num, "%.2f %.3s", json_number_value(json_object_get(c, "cost")),
		         str(c, "currency") ? str(c, "currency") : "");
		rc = fact(b, "Cost", num);
	}
	if (!rc && json_is_true(json_object_get(c, "self_paced")))
		rc = fact(b, "Dates", "self-paced");
	else if (!rc && str(c, "start")) {
		snprintf(num, sizeof num, "%.10s%s%.10s", str(c, "start"), str(c, "end") ? " to " : "",
		         str(c, "end") ? str(c, "end") : "");
		rc = fact(b, "Dates", num);
	}
	json_t *langs = json_object_get(c, "languages");
	if (!rc && json_array_size(langs)) {
		rc = sh_buf_puts(b, "<dt>Languages</dt><dd>");
		for (size_t i = 0; i < json_array_size(langs) && !rc; i++) {
			rc = i ? sh_buf_puts(b, ", ") : SH_OK;
			rc = rc ? rc : sh_html_puts(b, json_string_value(json_array_get(langs, i)) ? json_string_value(json_array_get(langs, i)) : "");
		}
		rc = rc ? rc : sh_buf_puts(b, "</dd>\n");
	}
	rc = rc ? rc : fact(b, "Audience", str(c, "audience"));
	rc = rc ? rc : fact(b, "Credential", str(c, "credential"));
	const char *url = str(c, "url");
	if (!rc && url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
		rc = sh_buf_puts(b, "<dt>Website</dt><dd><a href=\"");
		rc = rc ? rc : sh_html_puts(b, url);
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_puts(b, url);
		rc = rc ? rc : sh_buf_puts(b, "</a></dd>\n");
	}
	return rc ? rc : sh_buf_puts(b, "</dl>\n");
}

/* <section><h2>heading</h2> ... opened; the caller closes it. */
static int section(sh_buf *b, const char *id, const char *heading)
{
	return sh_buf_printf(b, "<section aria-labelledby=\"%s\"><h2 id=\"%s\">%s</h2>\n", id, id, heading);
}

/* The accepted skills, linked to their concept pages. */
static int course_skills(sh_request *req, sh_db *db, const char *ref)
{
	char *text;
	int rc = sh_course_skills_json(db, ref, &text);
	if (rc)
		return rc;
	json_t *skills = json_loads(text, 0, NULL);
	free(text);
	sh_buf *b = &req->body;
	size_t i, shown = 0;
	json_t *s;
	json_array_foreach(skills, i, s) {
		if (rc || !str(s, "origin") || strcmp(str(s, "origin"), "accepted"))
			continue;
		if (!shown++) {
			rc = section(b, "skills", "Skills taught");
			rc = rc ? rc : sh_buf_puts(b, "<ul class=\"concepts\">\n");
		}
		rc = rc ? rc : sh_buf_puts(b, "<li>");
		rc = rc ? rc : concept_link(req, str(s, "uri"), str(s, "label"));
		if (!rc && str(s, "level")) {
			rc = sh_buf_puts(b, " <span class=\"kind\">");
			rc = rc ? rc : sh_html_puts(b, str(s, "level"));
			rc = rc ? rc : sh_buf_puts(b, "</span>");
		}
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	json_decref(skills);
	return rc || !shown ? rc : sh_buf_puts(b, "</ul>\n</section>\n");
}

/* The outcomes in the page's language (else in every language, in order). */
static int course_outcomes(sh_request *req, json_t *outcomes)
{
	int any_in_lang = 0;
	size_t i;
	json_t *o;
	json_array_foreach(outcomes, i, o)
		any_in_lang |= str(o, "lang") && !strcmp(str(o, "lang"), req->lang);
	if (!json_array_size(outcomes))
		return SH_OK;
	sh_buf *b = &req->body;
	int rc = section(b, "outcomes", "Learning outcomes");
	rc = rc ? rc : sh_buf_puts(b, "<ul>\n");
	json_array_foreach(outcomes, i, o) {
		if (rc || (any_in_lang && strcmp(str(o, "lang") ? str(o, "lang") : "", req->lang)))
			continue;
		rc = sh_buf_puts(b, "<li lang=\"");
		rc = rc ? rc : sh_html_puts(b, str(o, "lang") ? str(o, "lang") : "");
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_puts(b, str(o, "text") ? str(o, "text") : "");
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	return rc ? rc : sh_buf_puts(b, "</ul>\n</section>\n");
}

/* A link titled with the course's title when ref is approved, else its ref as text. */
static int course_ref(sh_request *req, sh_db *db, const char *ref)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT (SELECT title FROM course_text x WHERE x.course = c.id"
		"  ORDER BY x.lang = ?2 DESC, x.lang = 'en' DESC, x.lang LIMIT 1)"
		" FROM course c WHERE c.ref = ?1 AND c.status = 'approved'");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, req->lang, -1, SQLITE_STATIC);
	const char *title = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	rc = title ? link(req, "/course/", ref, title) : sh_html_puts(&req->body, ref);
	sqlite3_finalize(st);
	return rc;
}

static int course_prerequisites(sh_request *req, sh_db *db, json_t *pre)
{
	if (!json_array_size(pre))
		return SH_OK;
	sh_buf *b = &req->body;
	int rc = section(b, "prerequisites", "Prerequisites");
	rc = rc ? rc : sh_buf_puts(b, "<ul>\n");
	size_t i;
	json_t *p;
	json_array_foreach(pre, i, p) {
		if (rc)
			break;
		rc = sh_buf_puts(b, "<li>");
		if (str(p, "skill")) {
			rc = rc ? rc : sh_buf_puts(b, "Skill: ");
			rc = rc ? rc : concept_link(req, str(p, "skill"), NULL);
		} else if (str(p, "course")) {
			rc = rc ? rc : sh_buf_puts(b, "Course: ");
			rc = rc ? rc : course_ref(req, db, str(p, "course"));
		}
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	return rc ? rc : sh_buf_puts(b, "</ul>\n</section>\n");
}

static int course_modules(sh_request *req, sh_db *db, const char *ref)
{
	json_t *modules;
	int rc = sh_courses_of(db, 1, ref, req->lang, &modules);
	if (!rc && json_array_size(modules)) {
		rc = section(&req->body, "modules", "Modules");
		rc = rc ? rc : course_list(req, modules, "ul");
		rc = rc ? rc : sh_buf_puts(&req->body, "</section>\n");
	}
	json_decref(modules);
	return rc;
}

/* The course's provider ("Offered by NAME"), linked to its page. */
static int provider_line(sh_request *req, sh_db *db, const char *ref)
{
	char *text;
	int rc = sh_providers_json(db, ref, &text);
	if (rc)
		return rc;
	json_t *p = json_loads(text, 0, NULL);
	free(text);
	rc = sh_buf_puts(&req->body, "<p>Offered by ");
	rc = rc ? rc : link(req, "/provider/", ref, str(p, "name") ? str(p, "name") : ref);
	json_decref(p);
	return rc ? rc : sh_buf_puts(&req->body, "</p>\n");
}

static int course_page(sh_request *req, sh_db *db, json_t *c)
{
	const char *ref = str(c, "id");
	json_t *text = in_language(req, json_object_get(c, "texts"));
	const char *title = str(text, "title") ? str(text, "title") : ref;
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, title);
	rc = rc ? rc : sh_buf_puts(b, "<h1>");
	rc = rc ? rc : sh_html_puts(b, title);
	rc = rc ? rc : sh_buf_puts(b, "</h1>\n");
	rc = rc ? rc : provider_line(req, db, str(c, "provider"));
	if (!rc && str(text, "description")) {
		rc = sh_buf_puts(b, "<p class=\"description\">");
		rc = rc ? rc : sh_html_puts(b, str(text, "description"));
		rc = rc ? rc : sh_buf_puts(b, "</p>\n");
	}
	rc = rc ? rc : course_facts(req, c);
	if (!rc && str(c, "parent")) {
		rc = sh_buf_puts(b, "<p>A module of ");
		rc = rc ? rc : course_ref(req, db, str(c, "parent"));
		rc = rc ? rc : sh_buf_puts(b, ".</p>\n");
	}
	rc = rc ? rc : course_skills(req, db, ref);
	rc = rc ? rc : course_outcomes(req, json_object_get(c, "outcomes"));
	rc = rc ? rc : course_modules(req, db, ref);
	rc = rc ? rc : course_prerequisites(req, db, json_object_get(c, "prerequisites"));
	rc = rc ? rc : sh_buf_puts(b, "<p>Data: <a href=\"/api/v1/courses/");
	rc = rc ? rc : sh_http_encode(b, ref);
	rc = rc ? rc : sh_buf_puts(b, "\">JSON</a>, <a href=\"/api/v1/courses/");
	rc = rc ? rc : sh_http_encode(b, ref);
	rc = rc ? rc : sh_buf_puts(b, "?format=elm\">ELM JSON-LD</a></p>\n");
	return finish(req, rc);
}

int sh_page_course(sh_request *req)
{
	sh_db *db;
	int rc = sh_courses_db(req, &db);
	if (rc)
		return rc;
	if ((rc = sh_course_is_approved(db, req->arg[0])) <= 0)
		return rc ? rc : sh_reply_problem(req, 404, "not-found", NULL, "no approved course '%s'", req->arg[0]);
	char *text;
	if ((rc = sh_courses_export(db, SH_COURSES_JSON, req->arg[0], &text)))
		return rc;
	json_t *doc = json_loads(text, 0, NULL);
	free(text);
	json_t *c = json_array_get(json_object_get(doc, "courses"), 0);
	rc = c ? course_page(req, db, c) : sh_error(SH_ENOMEM, "course %s: cannot read its export", req->arg[0]);
	json_decref(doc);
	return rc;
}

/* ---- /provider/{id} ------------------------------------------------------ */

int sh_page_provider(sh_request *req)
{
	sh_db *db;
	char *text;
	int rc = sh_courses_db(req, &db);
	if (rc)
		return rc;
	if ((rc = sh_providers_json(db, req->arg[0], &text)) == SH_ENOTFOUND)
		return sh_reply_problem(req, 404, "not-found", NULL, "no provider '%s'", req->arg[0]);
	if (rc)
		return rc;
	json_t *p = json_loads(text, 0, NULL), *courses = NULL;
	free(text);
	const char *name = str(p, "name") ? str(p, "name") : req->arg[0];
	sh_buf *b = &req->body;
	rc = sh_courses_of(db, 0, req->arg[0], req->lang, &courses);
	rc = rc ? rc : sh_html_begin(req, name);
	rc = rc ? rc : sh_buf_puts(b, "<h1>");
	rc = rc ? rc : sh_html_puts(b, name);
	rc = rc ? rc : sh_buf_puts(b, "</h1>\n<dl class=\"facts\">\n");
	rc = rc ? rc : fact(b, "Country", str(p, "country"));
	rc = rc ? rc : fact(b, "Type", str(p, "type"));
	rc = rc ? rc : fact(b, "Contact", str(p, "contact"));
	rc = rc ? rc : fact(b, "Accreditation", str(p, "accreditation"));
	rc = rc ? rc : sh_buf_puts(b, "</dl>\n");
	rc = rc ? rc : section(b, "courses", "Courses");
	if (!rc && json_array_size(courses))
		rc = course_list(req, courses, "ul");
	else if (!rc)
		rc = sh_buf_puts(b, "<p>No approved course yet.</p>\n");
	rc = rc ? rc : sh_buf_puts(b, "</section>\n");
	json_decref(courses);
	json_decref(p);
	return finish(req, rc);
}

/* ---- the concept page's section ----------------------------------------- */

int sh_courses_skill_section(sh_request *req, sh_cid c)
{
	if (sh_concept_kind(req->idx, c) != SH_KIND_SKILL)
		return SH_OK;
	sh_db *db;
	char *text;
	sh_course_query q = { .skill = sh_concept_uri(req->idx, c), .max_cost = -1, .limit = SKILL_COURSES };
	if (sh_dbconn_get(&db) || sh_courses_search(db, &q, &text))
		return SH_OK;
	json_t *hits = json_loads(text, 0, NULL);
	free(text);
	int rc = SH_OK;
	if (json_array_size(hits)) {
		sh_buf *b = &req->body;
		rc = section(b, "courses", "Courses teaching this skill");
		rc = rc ? rc : course_list(req, hits, "ul");
		rc = rc ? rc : sh_buf_puts(b, "<p><a href=\"/courses?skill=");
		rc = rc ? rc : sh_http_encode(b, sh_concept_id(req->idx, c));
		rc = rc ? rc : sh_buf_puts(b, "&amp;lang=");
		rc = rc ? rc : sh_http_encode(b, req->lang);
		rc = rc ? rc : sh_buf_puts(b, "\">All courses teaching this skill</a></p>\n</section>\n");
	}
	json_decref(hits);
	return rc;
}
