/*
 * server/pages_provider.c - the catalogue's pages for the people who write
 * it: a provider's dashboard of its courses and their quality findings
 * (/my/courses), the course form (/my/courses/new, /my/courses/{id}/edit)
 * with the findings and the proposed skills to accept or reject, and the
 * reviewers' queue of submitted courses (/review) with Approve and Reject.
 *
 * The pages work without JavaScript: every action is a plain POST form
 * carrying the session's CSRF token in a hidden "csrf" field, checked with
 * sh_require_csrf before anything is written, and a successful POST answers
 * 303 to a page that shows the result (post/redirect/get).  A course form
 * that does not pass the catalogue's checks is shown again (422) with its
 * values and every problem.  Access and transactions are those of the JSON
 * routes (courses_write.h): a provider sees and edits the courses of its own
 * provider, an administrator every course.
 *
 * The form edits the texts of one language at a time (title, description
 * and outcomes of "Language of the texts"); the texts and outcomes of other
 * languages, and the members the form does not show (ECVET, parent,
 * prerequisites, train-the-trainer), are kept from the stored course.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/courses_web.h"
#include "server/courses_write.h"
#include "server/handlers.h"
#include "server/html.h"
#include "store/db.h"

enum { FORM_FIELD_MAX = 8192 };  /* bytes of one form field (descriptions, outcomes) */

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int finish(sh_request *req, int rc, int status)
{
	rc = rc ? rc : sh_html_end(req);
	if (rc)
		return rc;
	sh_reply_ok(req, "text/html; charset=utf-8");
	req->status = status;
	return SH_OK;
}

/* <a href="PREFIX + ID + SUFFIX">text</a> with ID percent-encoded. */
static int link(sh_buf *b, const char *prefix, const char *id, const char *suffix, const char *text)
{
	int rc = sh_buf_printf(b, "<a href=\"%s", prefix);
	rc = rc ? rc : sh_http_encode(b, id);
	rc = rc ? rc : sh_buf_printf(b, "%s\">", suffix);
	rc = rc ? rc : sh_html_puts(b, text);
	return rc ? rc : sh_buf_puts(b, "</a>");
}

/* Opens a POST form to PREFIX + ID + SUFFIX with the hidden CSRF field. */
static int form_open(sh_request *req, const char *prefix, const char *id, const char *suffix, const char *cls)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<form class=\"%s\" method=\"post\" action=\"%s", cls, prefix);
	rc = rc ? rc : id ? sh_http_encode(b, id) : SH_OK;
	rc = rc ? rc : sh_buf_printf(b, "%s\">", suffix);
	return rc ? rc : sh_html_csrf_field(req);
}

/* <button type="submit" aria-label="LABEL">text</button>; label_fmt has one %s, for name (escaped). */
static int named_button(sh_buf *b, const char *text, const char *label_fmt, const char *name)
{
	const char *at = strstr(label_fmt, "%s");
	int rc = sh_buf_puts(b, "<button type=\"submit\" aria-label=\"");
	rc = rc ? rc : sh_buf_append(b, label_fmt, (size_t)(at - label_fmt));
	rc = rc ? rc : sh_html_puts(b, name);
	rc = rc ? rc : sh_buf_puts(b, at + 2);
	return rc ? rc : sh_buf_printf(b, "\">%s</button>", text);
}

/* 303 to /my/courses/REF + suffix. */
static int redirect_to_course(sh_request *req, const char *ref, const char *suffix)
{
	sh_buf p = SH_BUF_INIT;
	int rc = sh_buf_puts(&p, "/my/courses/");
	rc = rc ? rc : sh_http_encode(&p, ref);
	rc = rc ? rc : sh_buf_puts(&p, suffix);
	rc = rc ? rc : sh_reply_redirect(req, p.data);
	sh_buf_free(&p);
	return rc;
}

/* The fields of a POSTed form, checked against the session's CSRF token. */
static int read_form(sh_request *req, sh_http_query *form)
{
	int rc = sh_request_form(req, form);
	if (rc)
		return rc;
	if ((rc = sh_require_csrf(req, sh_http_query_get(form, "csrf"))))
		sh_http_query_free(form);
	return rc;
}

/* ---- findings and skills --------------------------------------------------- */

/* The findings of course ref under the server's rules as a list; *nerrors counts errors. */
static int findings_list(sh_request *req, sh_db *db, const char *ref, size_t *nerrors)
{
	sh_buf *b = &req->body;
	const sh_rules *rules = sh_courses_rules_loaded();
	*nerrors = 0;
	if (!rules)
		return sh_buf_puts(b, "<p>No quality rules are loaded on this server.</p>\n");
	char *text;
	int rc = sh_courses_check(db, rules, ref, &text, nerrors);
	if (rc)
		return rc;
	json_t *findings = json_loads(text, 0, NULL);
	free(text);
	size_t n = json_array_size(findings), i;
	json_t *f;
	if (!n)
		rc = sh_buf_printf(b, "<p class=\"findings-none\">No findings under rules %s.</p>\n",
		                   sh_rules_version(rules));
	else
		rc = sh_buf_printf(b, "<p>%zu error%s, %zu warning%s under rules %s.</p>\n<ul class=\"findings\">\n",
		                   *nerrors, *nerrors == 1 ? "" : "s", n - *nerrors, n - *nerrors == 1 ? "" : "s",
		                   sh_rules_version(rules));
	json_array_foreach(findings, i, f) {
		if (rc)
			break;
		rc = sh_buf_puts(b, "<li class=\"finding ");
		rc = rc ? rc : sh_html_puts(b, str(f, "severity") ? str(f, "severity") : "");
		rc = rc ? rc : sh_buf_puts(b, "\"><strong>");
		rc = rc ? rc : sh_html_puts(b, str(f, "severity") ? str(f, "severity") : "");
		rc = rc ? rc : sh_buf_puts(b, "</strong>: ");
		rc = rc ? rc : sh_html_puts(b, str(f, "field") ? str(f, "field") : "");
		rc = rc ? rc : sh_buf_puts(b, " <span class=\"kind\">");
		rc = rc ? rc : sh_html_puts(b, str(f, "rule") ? str(f, "rule") : "");
		rc = rc ? rc : sh_buf_puts(b, "</span> - ");
		rc = rc ? rc : sh_html_puts(b, str(f, "message") ? str(f, "message") : "");
		if (!rc && str(f, "fix")) {
			rc = sh_buf_puts(b, " <em>Fix: ");
			rc = rc ? rc : sh_html_puts(b, str(f, "fix"));
			rc = rc ? rc : sh_buf_puts(b, "</em>");
		}
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	if (!rc && n)
		rc = sh_buf_puts(b, "</ul>\n");
	json_decref(findings);
	return rc;
}

/* One button form deciding skill s of course ref (accept 1 or 0). */
static int skill_button(sh_request *req, const char *ref, json_t *s, int accept)
{
	sh_buf *b = &req->body;
	int rc = form_open(req, "/my/courses/", ref, "/skills", "inline");
	rc = rc ? rc : sh_buf_puts(b, "<input type=\"hidden\" name=\"uri\" value=\"");
	rc = rc ? rc : sh_html_puts(b, str(s, "uri") ? str(s, "uri") : "");
	rc = rc ? rc : sh_buf_printf(b, "\"><input type=\"hidden\" name=\"accept\" value=\"%d\">"
	                                "<button type=\"submit\" aria-label=\"%s ", accept, accept ? "Accept" : "Reject");
	rc = rc ? rc : sh_html_puts(b, str(s, "label") ? str(s, "label") : "");
	return rc ? rc : sh_buf_printf(b, "\">%s</button></form>", accept ? "Accept" : "Reject");
}

/* The course's skills by origin, with buttons to accept proposals and to reject (or take back) decisions. */
static int skills_list(sh_request *req, sh_db *db, const char *ref)
{
	char *text;
	int rc = sh_course_skills_json(db, ref, &text);
	if (rc)
		return rc;
	json_t *skills = json_loads(text, 0, NULL);
	free(text);
	sh_buf *b = &req->body;
	size_t accepted = 0, i;
	json_t *s;
	json_array_foreach(skills, i, s)
		accepted += str(s, "origin") && !strcmp(str(s, "origin"), "accepted");
	rc = sh_buf_printf(b, "<p>%zu accepted skill%s. Only accepted skills count; proposals come from the "
	                      "texts (ESCO labels found in them).</p>\n", accepted, accepted == 1 ? "" : "s");
	if (!rc && json_array_size(skills))
		rc = sh_buf_puts(b, "<ul class=\"skills\">\n");
	json_array_foreach(skills, i, s) {
		if (rc)
			break;
		const char *origin = str(s, "origin") ? str(s, "origin") : "";
		rc = sh_buf_printf(b, "<li class=\"skill %s\">", !strcmp(origin, "proposed") ? "proposed" : origin);
		rc = rc ? rc : sh_html_puts(b, str(s, "label") && *str(s, "label") ? str(s, "label") : str(s, "uri"));
		rc = rc ? rc : sh_buf_puts(b, " <span class=\"kind\">");
		rc = rc ? rc : sh_html_puts(b, origin);
		if (!rc && json_is_number(json_object_get(s, "score")))
			rc = sh_buf_printf(b, " %.2f", json_number_value(json_object_get(s, "score")));
		rc = rc ? rc : sh_buf_puts(b, "</span> ");
		if (!rc && strcmp(origin, "accepted"))
			rc = skill_button(req, ref, s, 1);
		if (!rc && strcmp(origin, "rejected"))
			rc = skill_button(req, ref, s, 0);
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	if (!rc && json_array_size(skills))
		rc = sh_buf_puts(b, "</ul>\n");
	json_decref(skills);
	return rc;
}

/* "Rejected by the reviewer: COMMENT" when the course has a review comment. */
static int review_comment(sh_request *req, sh_db *db, const char *ref)
{
	char *comment;
	int rc = cat_course_last_comment(db, ref, &comment);
	if (!rc && comment) {
		rc = sh_buf_puts(&req->body, "<p class=\"comment\">Reviewer's comment: ");
		rc = rc ? rc : sh_html_puts(&req->body, comment);
		rc = rc ? rc : sh_buf_puts(&req->body, "</p>\n");
	}
	free(comment);
	return rc;
}

/* ---- /my/courses ------------------------------------------------------------ */

static const unsigned provider_roles = SH_ROLE_BIT(SH_ROLE_PROVIDER);

int sh_page_my_courses(sh_request *req)
{
	sh_db *db;
	json_t *list;
	int rc;
	const char *scope;
	if ((rc = sh_require_role(req, provider_roles)) || (rc = sh_courses_db(req, &db)))
		return rc;
	scope = sh_courses_scope(req);
	if ((rc = cat_courses_list(db, scope, NULL, req->lang, &list)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, "My courses");
	rc = rc ? rc : sh_buf_puts(b, "<h1>My courses</h1>\n<p>");
	if (!rc && scope) {
		rc = sh_buf_puts(b, "Courses of ");
		rc = rc ? rc : link(b, "/provider/", scope, "", scope);
		rc = rc ? rc : sh_buf_puts(b, ", with the findings of the quality rules. ");
	} else if (!rc) {
		rc = sh_buf_puts(b, "Every course of the catalogue (administrator). ");
	}
	rc = rc ? rc : sh_buf_puts(b, "A course with errors cannot be approved; fix them, then submit it for review. "
	                              "Editing a submitted or approved course makes it a draft again.</p>\n"
	                              "<p><a class=\"button\" href=\"/my/courses/new\">New course</a></p>\n");
	if (!rc && !json_array_size(list))
		rc = sh_buf_puts(b, "<p>No course yet.</p>\n");
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c) {
		if (rc)
			break;
		const char *ref = str(c, "id"), *status = str(c, "status");
		size_t nerrors;
		rc = sh_buf_puts(b, "<section class=\"course-status\" id=\"course-");
		rc = rc ? rc : sh_html_puts(b, ref);
		rc = rc ? rc : sh_buf_puts(b, "\"><h2>");
		rc = rc ? rc : link(b, "/my/courses/", ref, "/edit", str(c, "title") ? str(c, "title") : ref);
		rc = rc ? rc : sh_buf_puts(b, " <span class=\"status ");
		rc = rc ? rc : sh_html_puts(b, status);
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_puts(b, status);
		rc = rc ? rc : sh_buf_puts(b, "</span></h2>\n<p>Id ");
		rc = rc ? rc : sh_html_puts(b, ref);
		if (!rc && !scope) {
			rc = sh_buf_puts(b, " · provider ");
			rc = rc ? rc : sh_html_puts(b, str(c, "provider"));
		}
		if (!rc && str(c, "flagged")) {
			rc = sh_buf_puts(b, " · flagged: ");
			rc = rc ? rc : sh_html_puts(b, str(c, "flagged"));
		}
		if (!rc && !strcmp(status, "approved")) {
			rc = sh_buf_puts(b, " · ");
			rc = rc ? rc : link(b, "/course/", ref, "", "public page");
		}
		rc = rc ? rc : sh_buf_puts(b, "</p>\n");
		if (!rc && !strcmp(status, "rejected"))
			rc = review_comment(req, db, ref);
		rc = rc ? rc : findings_list(req, db, ref, &nerrors);
		if (!rc && (!strcmp(status, "draft") || !strcmp(status, "rejected"))) {
			rc = form_open(req, "/my/courses/", ref, "/submit", "inline");
			rc = rc ? rc : named_button(b, "Submit for review", "Submit %s for review", str(c, "title") ? str(c, "title") : ref);
			rc = rc ? rc : sh_buf_puts(b, "</form>\n");
		}
		rc = rc ? rc : sh_buf_puts(b, "</section>\n");
	}
	json_decref(list);
	return finish(req, rc, 200);
}

/* ---- the course form -------------------------------------------------------- */

typedef enum { F_TEXT, F_AREA, F_NUM, F_INT, F_DATE, F_CHECK, F_MODE } field_type;

static const struct form_field {
	const char *name, *label;
	field_type  type;
	const char *hint;
} fields[] = {
	{ "title",       "Title",              F_TEXT,  NULL },
	{ "description", "Description",        F_AREA,  NULL },
	{ "outcomes",    "Learning outcomes",  F_AREA,  "one a line, each starting with a verb (\"Test battery cells.\")" },
	{ "languages",   "Teaching languages", F_TEXT,  "ISO 639-1 codes, comma-separated (de, en)" },
	{ "mode",        "Mode",               F_MODE,  NULL },
	{ "location",    "Location",           F_TEXT,  NULL },
	{ "region",      "Region",             F_TEXT,  "NUTS code (DE91)" },
	{ "hours",       "Learning hours",     F_NUM,   NULL },
	{ "ects",        "ECTS credits",       F_NUM,   NULL },
	{ "eqf",         "EQF level",          F_INT,   "1 to 8" },
	{ "cost",        "Cost",               F_NUM,   NULL },
	{ "currency",    "Currency",           F_TEXT,  "ISO 4217 (EUR)" },
	{ "start",       "Start date",         F_DATE,  NULL },
	{ "end",         "End date",           F_DATE,  NULL },
	{ "self_paced",  "Self-paced (no dates)", F_CHECK, NULL },
	{ "url",         "Course page",        F_TEXT,  "https://..." },
	{ "audience",    "Audience",           F_TEXT,  NULL },
	{ "credential",  "Credential",         F_TEXT,  NULL },
};
enum { NFIELDS = sizeof fields / sizeof fields[0] };

/* The values a form shows: of the stored course, or as posted. */
typedef struct form_values {
	char *id, *provider, *text_lang;
	char *v[NFIELDS];
} form_values;

static void values_free(form_values *fv)
{
	free(fv->id);
	free(fv->provider);
	free(fv->text_lang);
	for (size_t i = 0; i < NFIELDS; i++)
		free(fv->v[i]);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* The language of the texts the form edits: "en" when the course has English texts, else its first. */
static const char *texts_language(json_t *c)
{
	json_t *texts = json_object_get(c, "texts");
	if (!json_object_size(texts) || json_object_get(texts, "en"))
		return "en";
	return json_object_iter_key(json_object_iter(texts));
}

/* Member values of stored course c in language lang (NULL: texts_language). */
static int values_of_course(json_t *c, const char *lang, form_values *fv)
{
	memset(fv, 0, sizeof *fv);
	lang = lang ? lang : texts_language(c);
	json_t *text = json_object_get(json_object_get(c, "texts"), lang);
	fv->id = dup_or_empty(str(c, "id"));
	fv->provider = dup_or_empty(str(c, "provider"));
	fv->text_lang = strdup(lang);
	sh_buf b = SH_BUF_INIT;
	int rc = SH_OK;
	for (size_t i = 0; i < NFIELDS && !rc; i++) {
		const char *name = fields[i].name;
		json_t *v = json_object_get(c, name), *e;
		size_t k;
		sh_buf_clear(&b);
		if (!strcmp(name, "title") || !strcmp(name, "description"))
			rc = sh_buf_puts(&b, str(text, name) ? str(text, name) : "");
		else if (!strcmp(name, "outcomes"))
			json_array_foreach(v, k, e) {
				if (!rc && str(e, "lang") && !strcmp(str(e, "lang"), lang))
					rc = sh_buf_printf(&b, "%s%s", b.len ? "\n" : "", str(e, "text") ? str(e, "text") : "");
			}
		else if (!strcmp(name, "languages"))
			json_array_foreach(v, k, e) {
				if (!rc)
					rc = sh_buf_printf(&b, "%s%s", k ? ", " : "", json_string_value(e) ? json_string_value(e) : "");
			}
		else if (fields[i].type == F_CHECK)
			rc = sh_buf_puts(&b, json_is_true(v) ? "on" : "");
		else if (json_is_integer(v))
			rc = sh_buf_printf(&b, "%lld", (long long)json_integer_value(v));
		else if (json_is_number(v))
			rc = sh_buf_printf(&b, "%g", json_number_value(v));
		else
			rc = sh_buf_puts(&b, json_string_value(v) ? json_string_value(v) : "");
		if (!rc && !(fv->v[i] = strdup(b.data ? b.data : "")))
			rc = sh_error(SH_ENOMEM, "out of memory");
	}
	sh_buf_free(&b);
	if (!rc && (!fv->id || !fv->provider || !fv->text_lang))
		rc = sh_error(SH_ENOMEM, "out of memory");
	return rc;
}

/* The posted values (absent fields are empty); a field longer than FORM_FIELD_MAX is a 400. */
static int values_of_form(sh_request *req, const sh_http_query *form, form_values *fv)
{
	memset(fv, 0, sizeof *fv);
	for (size_t i = 0; i < form->n; i++)
		if (strlen(form->param[i].value) > FORM_FIELD_MAX)
			return sh_reply_problem(req, 400, "invalid-parameter", form->param[i].name,
			                        "'%s' is longer than %d bytes", form->param[i].name, FORM_FIELD_MAX);
	const char *lang = sh_http_query_get(form, "text_lang");
	fv->id = dup_or_empty(sh_http_query_get(form, "id"));
	fv->provider = dup_or_empty(sh_http_query_get(form, "provider"));
	fv->text_lang = dup_or_empty(lang && *lang ? lang : "en");
	int rc = fv->id && fv->provider && fv->text_lang ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
	for (size_t i = 0; i < NFIELDS && !rc; i++)
		if (!(fv->v[i] = dup_or_empty(sh_http_query_get(form, fields[i].name))))
			rc = sh_error(SH_ENOMEM, "out of memory");
	return rc;
}

/* s without leading and trailing white space, as a new string (caller frees). */
static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

/* A number field: the number, or the text itself when it is not one (validation then names the field). */
static json_t *number_value(const char *text, int integer)
{
	char *end;
	errno = 0;
	if (integer) {
		long long v = strtoll(text, &end, 10);
		return !errno && !*end ? json_integer(v) : json_string(text);
	}
	double v = strtod(text, &end);
	return !errno && !*end ? json_real(v) : json_string(text);
}

/* Replaces the outcomes of lang in c by the non-blank lines of text (others kept, in order). */
static void set_outcomes(json_t *c, const char *lang, const char *text)
{
	json_t *old = json_object_get(c, "outcomes"), *out = json_array(), *e;
	size_t i;
	json_array_foreach(old, i, e)
		if (!str(e, "lang") || strcmp(str(e, "lang"), lang))
			json_array_append(out, e);
	for (const char *p = text; *p; ) {
		size_t n = strcspn(p, "\r\n");
		char *line = trimmed(p, n);
		if (line && *line)
			json_array_append_new(out, json_pack("{s:s, s:s}", "lang", lang, "text", line));
		free(line);
		p += n;
		p += strspn(p, "\r\n");
	}
	if (json_array_size(out))
		json_object_set_new(c, "outcomes", out);
	else {
		json_object_del(c, "outcomes");
		json_decref(out);
	}
}

/* Writes the posted values over course c (the stored course, or {} for a new one). */
static void apply_values(json_t *c, const form_values *fv)
{
	json_t *texts = json_object_get(c, "texts");
	if (!texts)
		json_object_set_new(c, "texts", texts = json_object());
	json_t *text = json_object();
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *name = fields[i].name;
		char *v = trimmed(fv->v[i], strlen(fv->v[i]));
		if (!v)
			continue;
		if (!strcmp(name, "title") || !strcmp(name, "description")) {
			if (*v)
				json_object_set_new(text, name, json_string(v));
		} else if (!strcmp(name, "outcomes")) {
			set_outcomes(c, fv->text_lang, fv->v[i]);
		} else if (!strcmp(name, "languages")) {
			json_t *langs = json_array();
			for (char *save = NULL, *tok = strtok_r(v, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
				json_array_append_new(langs, json_string(tok));
			if (json_array_size(langs))
				json_object_set_new(c, name, langs);
			else {
				json_object_del(c, name);
				json_decref(langs);
			}
		} else if (fields[i].type == F_CHECK) {
			json_object_set_new(c, name, json_boolean(*v));
		} else if (!*v) {
			json_object_del(c, name);
		} else if (fields[i].type == F_NUM || fields[i].type == F_INT) {
			json_object_set_new(c, name, number_value(v, fields[i].type == F_INT));
		} else {
			json_object_set_new(c, name, json_string(v));
		}
		free(v);
	}
	if (json_object_size(text))
		json_object_set_new(texts, fv->text_lang, text);
	else {
		json_object_del(texts, fv->text_lang);
		json_decref(text);
	}
	if (!json_object_size(texts))
		json_object_del(c, "texts");
}

static int input(sh_buf *b, const char *name, const char *label, const char *type, const char *value,
                 const char *hint, const char *extra)
{
	int rc = sh_buf_printf(b, "<div><label for=\"f-%s\">%s</label>", name, label);
	if (!rc && hint)
		rc = sh_buf_printf(b, "<small id=\"h-%s\">%s</small>", name, hint);
	rc = rc ? rc : sh_buf_printf(b, "<input id=\"f-%s\" name=\"%s\" type=\"%s\"%s%s%s%s value=\"", name, name, type,
	                             hint ? " aria-describedby=\"h-" : "", hint ? name : "", hint ? "\"" : "", extra);
	rc = rc ? rc : sh_html_puts(b, value);
	return rc ? rc : sh_buf_puts(b, "\"></div>\n");
}

/* The form's fields (values fv); creating: the id field (and the provider's for an administrator). */
static int course_fields(sh_request *req, const form_values *fv, int creating)
{
	static const char *const modes[] = { "onsite", "online", "blended" };
	sh_buf *b = &req->body;
	int rc = SH_OK;
	if (creating) {
		rc = input(b, "id", "Course id", "text", fv->id, "your own short reference, e.g. BAT-101",
		           " required maxlength=\"64\"");
		if (!rc && !sh_courses_scope(req))
			rc = input(b, "provider", "Provider id", "text", fv->provider, NULL, " required");
	}
	rc = rc ? rc : input(b, "text_lang", "Language of the texts", "text", fv->text_lang,
	                     "ISO 639-1 code of the title, description and outcomes below", " maxlength=\"2\" size=\"2\"");
	for (size_t i = 0; i < NFIELDS && !rc; i++) {
		const struct form_field *f = &fields[i];
		const char *v = fv->v[i];
		switch (f->type) {
		case F_AREA:
			rc = sh_buf_printf(b, "<div><label for=\"f-%s\">%s</label>", f->name, f->label);
			if (!rc && f->hint)
				rc = sh_buf_printf(b, "<small id=\"h-%s\">%s</small>", f->name, f->hint);
			rc = rc ? rc : sh_buf_printf(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"4\"%s%s%s>", f->name, f->name,
			                             f->hint ? " aria-describedby=\"h-" : "", f->hint ? f->name : "",
			                             f->hint ? "\"" : "");
			rc = rc ? rc : sh_html_puts(b, v);
			rc = rc ? rc : sh_buf_puts(b, "</textarea></div>\n");
			break;
		case F_MODE:
			rc = sh_buf_printf(b, "<div><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">"
			                      "<option value=\"\">(not given)</option>", f->name, f->label, f->name, f->name);
			for (size_t m = 0; m < 3 && !rc; m++)
				rc = sh_buf_printf(b, "<option%s>%s</option>", strcmp(v, modes[m]) ? "" : " selected", modes[m]);
			rc = rc ? rc : sh_buf_puts(b, "</select></div>\n");
			break;
		case F_CHECK:
			rc = sh_buf_printf(b, "<div class=\"check\"><input id=\"f-%s\" name=\"%s\" type=\"checkbox\"%s>"
			                      "<label for=\"f-%s\">%s</label></div>\n", f->name, f->name, *v ? " checked" : "",
			                   f->name, f->label);
			break;
		default:
			rc = input(b, f->name, f->label, f->type == F_DATE ? "date" : "text", v, f->hint,
			           f->type == F_NUM || f->type == F_INT ? " inputmode=\"decimal\"" : "");
		}
	}
	return rc;
}

/* The problem lines of the library as a list ("body: " dropped). */
static int problems_list(sh_buf *b, const sh_buf *problems)
{
	int rc = sh_buf_puts(b, "<div class=\"problems\" role=\"alert\"><h2>The course was not saved</h2>\n<ul>\n");
	for (const char *p = problems->data; !rc && p && *p; ) {
		size_t n = strcspn(p, "\n");
		size_t skip = strncmp(p, "body: ", 6) ? 0 : 6;
		rc = sh_buf_puts(b, "<li>");
		rc = rc ? rc : sh_html_escape(b, p + skip, n - skip);
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
		p += n + (p[n] == '\n');
	}
	return rc ? rc : sh_buf_puts(b, "</ul></div>\n");
}

/* Starts the page of the form: ref NULL creates; problems (or NULL) of the last attempt. */
static int form_heading(sh_request *req, const char *ref, const sh_buf *problems)
{
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, ref ? "Edit course" : "New course");
	rc = rc ? rc : sh_buf_puts(b, ref ? "<h1>Edit course " : "<h1>New course");
	rc = rc ? rc : ref ? sh_html_puts(b, ref) : SH_OK;
	rc = rc ? rc : sh_buf_puts(b, "</h1>\n<p><a href=\"/my/courses\">Back to my courses</a></p>\n");
	return rc || !problems ? rc : problems_list(b, problems);
}

/* The form with values fv (ref NULL creates). */
static int course_form(sh_request *req, const char *ref, const form_values *fv)
{
	int rc = form_open(req, ref ? "/my/courses/" : "/my/courses/new", ref, ref ? "/edit" : "", "course-form");
	rc = rc ? rc : course_fields(req, fv, !ref);
	return rc ? rc : sh_buf_puts(&req->body, "<button type=\"submit\">Save</button>\n</form>\n");
}

/* Saves the posted course (ref NULL: a new one) in one transaction; 303 to its page, or the form again (422). */
static int save_course(sh_request *req, const char *ref, const form_values *fv)
{
	sh_db *db;
	cat_course_state st;
	json_t *c = NULL;
	sh_buf problems = SH_BUF_INIT;
	int rc = sh_courses_begin(req, &db), bad = 0;
	if (rc)
		return rc;
	const char *scope = sh_courses_scope(req), *id = ref ? ref : fv->id;
	if (ref) {
		if (!(rc = sh_course_access(req, db, ref, SH_COURSE_OWNER, &st)))
			rc = cat_course_load(db, st.id, &c);
	} else if (!*id) {
		bad = 1;
		rc = sh_buf_puts(&problems, "course: field \"id\": required\n");
	} else if ((rc = cat_course_get_state(db, id, &st)) == SH_OK) {
		bad = 1;
		rc = sh_buf_printf(&problems, "course %s: field \"id\": a course with this id exists\n", id);
	} else if (rc == SH_ENOTFOUND) {
		rc = (c = json_pack("{s:s, s:s}", "id", id, "provider", scope ? scope : fv->provider))
		     ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
	}
	if (!rc && c && !bad) {
		apply_values(c, fv);
		sh_extractor *x = NULL;
		cat_put_result res;
		if (!(rc = sh_request_extractor(req, &x)) &&
		    (rc = cat_course_put(db, c, sh_courses_who(req), req->idx, x, &problems, &res)) == SH_EFORMAT) {
			bad = 1;
			rc = SH_OK;
		}
	}
	json_decref(c);
	rc = sh_courses_end(db, rc ? rc : bad ? SH_EFORMAT : SH_OK);
	if (rc == SH_EFORMAT && bad) {
		sh_buf_clear(&req->body);
		rc = form_heading(req, ref, &problems);
		rc = rc ? rc : course_form(req, ref, fv);
		sh_buf_free(&problems);
		return finish(req, rc, 422);
	}
	sh_buf_free(&problems);
	if (rc)
		return rc;
	sh_buf suffix = SH_BUF_INIT;
	rc = sh_buf_puts(&suffix, "/edit?text_lang=");
	rc = rc ? rc : sh_http_encode(&suffix, fv->text_lang);
	rc = rc ? rc : redirect_to_course(req, id, suffix.data);
	sh_buf_free(&suffix);
	return rc;
}

int sh_page_course_new(sh_request *req)
{
	form_values fv;
	sh_http_query form;
	int rc = sh_require_role(req, provider_roles);
	if (rc)
		return rc;
	if (req->method != SH_METHOD_POST) {
		json_t *empty = json_object();
		rc = empty ? values_of_course(empty, "en", &fv) : sh_error(SH_ENOMEM, "out of memory");
		json_decref(empty);
		rc = rc ? rc : form_heading(req, NULL, NULL);
		rc = rc ? rc : course_form(req, NULL, &fv);
		values_free(&fv);
		return finish(req, rc, 200);
	}
	if ((rc = read_form(req, &form)))
		return rc;
	if (!(rc = values_of_form(req, &form, &fv)))
		rc = save_course(req, NULL, &fv);
	values_free(&fv);
	sh_http_query_free(&form);
	return rc;
}

/* The edit page: status and findings, the form, the skills and the Submit button. */
static int edit_page(sh_request *req, sh_db *db, const char *ref, const cat_course_state *st)
{
	json_t *c;
	form_values fv;
	int rc = cat_course_load(db, st->id, &c);
	if (rc)
		return rc;
	const char *lang = sh_http_query_get(&req->query, "text_lang");
	int lang_ok = lang && strlen(lang) == 2 && islower((unsigned char)lang[0]) && islower((unsigned char)lang[1]);
	rc = values_of_course(c, lang_ok ? lang : NULL, &fv);
	json_decref(c);
	sh_buf *b = &req->body;
	size_t nerrors = 0;
	rc = rc ? rc : form_heading(req, ref, NULL);
	rc = rc ? rc : sh_buf_puts(b, "<p>Status: <span class=\"status ");
	rc = rc ? rc : sh_html_puts(b, st->status);
	rc = rc ? rc : sh_buf_puts(b, "\">");
	rc = rc ? rc : sh_html_puts(b, st->status);
	rc = rc ? rc : sh_buf_puts(b, "</span></p>\n");
	rc = rc ? rc : review_comment(req, db, ref);
	rc = rc ? rc : sh_buf_puts(b, "<section aria-labelledby=\"findings\"><h2 id=\"findings\">Quality findings</h2>\n");
	rc = rc ? rc : findings_list(req, db, ref, &nerrors);
	rc = rc ? rc : sh_buf_puts(b, "</section>\n<section aria-labelledby=\"course\"><h2 id=\"course\">Course</h2>\n");
	rc = rc ? rc : course_form(req, ref, &fv);
	values_free(&fv);
	rc = rc ? rc : sh_buf_puts(b, "</section>\n<section aria-labelledby=\"skills\"><h2 id=\"skills\">"
	                              "ESCO skills</h2>\n");
	rc = rc ? rc : skills_list(req, db, ref);
	rc = rc ? rc : sh_buf_puts(b, "</section>\n");
	if (!rc && (!strcmp(st->status, "draft") || !strcmp(st->status, "rejected"))) {
		rc = sh_buf_puts(b, "<section aria-labelledby=\"submit\"><h2 id=\"submit\">Review</h2>\n");
		if (!rc && nerrors)
			rc = sh_buf_puts(b, "<p>A reviewer cannot approve the course while errors stand.</p>\n");
		rc = rc ? rc : form_open(req, "/my/courses/", ref, "/submit", "inline");
		rc = rc ? rc : sh_buf_puts(b, "<button type=\"submit\">Submit for review</button></form>\n</section>\n");
	}
	return rc;
}

int sh_page_course_edit(sh_request *req)
{
	const char *ref = req->arg[0];
	sh_db *db;
	cat_course_state st;
	sh_http_query form;
	form_values fv;
	int rc = sh_require_role(req, provider_roles);
	if (rc)
		return rc;
	if (req->method != SH_METHOD_POST) {
		if ((rc = sh_courses_db(req, &db)) || (rc = sh_course_access(req, db, ref, SH_COURSE_OWNER, &st)))
			return rc;
		return finish(req, edit_page(req, db, ref, &st), 200);
	}
	if ((rc = read_form(req, &form)))
		return rc;
	if (!(rc = values_of_form(req, &form, &fv)))
		rc = save_course(req, ref, &fv);
	values_free(&fv);
	sh_http_query_free(&form);
	return rc;
}

/* Runs one write on course req->arg[0] for who (SH_COURSE_*) in a transaction; 303 to back. */
static int course_action(sh_request *req, unsigned roles, unsigned who,
                         int (*act)(sh_request *req, sh_db *db, const sh_http_query *form), const char *back)
{
	sh_http_query form;
	sh_db *db;
	cat_course_state st;
	int rc = sh_require_role(req, roles);
	if (rc || (rc = read_form(req, &form)))
		return rc;
	if (!(rc = sh_courses_begin(req, &db))) {
		if (!(rc = sh_course_access(req, db, req->arg[0], who, &st)))
			rc = act(req, db, &form);
		rc = sh_courses_end(db, rc);
	}
	sh_http_query_free(&form);
	if (rc)
		return rc;
	return back ? sh_reply_redirect(req, back) : redirect_to_course(req, req->arg[0], "/edit#skills");
}

static int decide_skill(sh_request *req, sh_db *db, const sh_http_query *form)
{
	const char *uri = sh_http_query_get(form, "uri"), *accept = sh_http_query_get(form, "accept");
	if (!uri || !*uri || !accept || (strcmp(accept, "1") && strcmp(accept, "0")))
		return sh_reply_problem(req, 400, "invalid-parameter", !uri || !*uri ? "uri" : "accept",
		                        "the form needs a skill 'uri' and 'accept' 1 or 0");
	const char *who = sh_courses_who(req);
	int reopened, rc = cat_course_decide_skill(db, req->arg[0], uri, !strcmp(accept, "1"), who);
	if (rc == SH_ENOTFOUND)
		return sh_reply_problem(req, 400, "invalid-parameter", "uri", "%s", sh_errmsg());
	return rc || !sh_courses_scope(req) ? rc : cat_course_reopen(db, req->arg[0], who, &reopened);
}

int sh_page_course_skills(sh_request *req)
{
	int reviewer = req->account && req->account->role == SH_ROLE_REVIEWER;
	return course_action(req, provider_roles | SH_ROLE_BIT(SH_ROLE_REVIEWER), SH_COURSE_OWNER | SH_COURSE_REVIEWER,
	                     decide_skill, reviewer ? "/review" : NULL);
}

/* A workflow step named by the form's action (see course_action's callers) with the server's rules. */
static int step(sh_request *req, sh_db *db, const char *action, const char *comment)
{
	const sh_rules *rules;
	int rc = sh_courses_rules(req, &rules);
	if (rc)
		return rc;
	if ((rc = cat_course_transition(db, rules, req->arg[0], action, sh_courses_who(req))) == SH_EINVAL)
		return sh_reply_problem(req, 409, "conflict", NULL, "%s", sh_errmsg());
	if (!rc && comment && *comment)
		rc = cat_course_comment(db, req->arg[0], sh_courses_who(req), comment);
	return rc;
}

static int submit(sh_request *req, sh_db *db, const sh_http_query *form)
{
	(void)form;
	return step(req, db, "submit", NULL);
}

int sh_page_course_submit(sh_request *req)
{
	return course_action(req, provider_roles, SH_COURSE_OWNER, submit, "/my/courses");
}

/* ---- /review ---------------------------------------------------------------- */

static const unsigned reviewer_roles = SH_ROLE_BIT(SH_ROLE_REVIEWER);

/* What a reviewer reads of a course: provider, description, facts, outcomes. */
static int course_summary(sh_request *req, json_t *c)
{
	sh_buf *b = &req->body;
	json_t *texts = json_object_get(c, "texts");
	json_t *text = json_object_get(texts, req->lang);
	text = text ? text : json_object_get(texts, texts_language(c));
	int rc = sh_buf_puts(b, "<p>Provider ");
	rc = rc ? rc : link(b, "/provider/", str(c, "provider"), "", str(c, "provider"));
	if (!rc && str(c, "url")) {
		rc = sh_buf_puts(b, " · page: ");
		rc = rc ? rc : sh_html_puts(b, str(c, "url"));
	}
	rc = rc ? rc : sh_buf_puts(b, "</p>\n");
	if (!rc && str(text, "description")) {
		rc = sh_buf_puts(b, "<p class=\"description\">");
		rc = rc ? rc : sh_html_puts(b, str(text, "description"));
		rc = rc ? rc : sh_buf_puts(b, "</p>\n");
	}
	json_t *outcomes = json_object_get(c, "outcomes"), *o;
	size_t i;
	if (!rc && json_array_size(outcomes))
		rc = sh_buf_puts(b, "<p>Learning outcomes:</p>\n<ul>\n");
	json_array_foreach(outcomes, i, o) {
		if (rc)
			break;
		rc = sh_buf_puts(b, "<li lang=\"");
		rc = rc ? rc : sh_html_puts(b, str(o, "lang") ? str(o, "lang") : "");
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_puts(b, str(o, "text") ? str(o, "text") : "");
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	return rc || !json_array_size(outcomes) ? rc : sh_buf_puts(b, "</ul>\n");
}

int sh_page_review(sh_request *req)
{
	sh_db *db;
	json_t *list;
	int rc;
	if ((rc = sh_require_role(req, reviewer_roles)) || (rc = sh_courses_db(req, &db)) ||
	    (rc = cat_courses_list(db, NULL, "submitted", req->lang, &list)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, "Review courses");
	rc = rc ? rc : sh_buf_printf(b, "<h1>Review courses</h1>\n<p>%zu course%s submitted for review. A course "
	                                "with errors cannot be approved; reject it with a comment for its provider.</p>\n",
	                             json_array_size(list), json_array_size(list) == 1 ? "" : "s");
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		if (rc)
			break;
		const char *ref = str(item, "id");
		cat_course_state st;
		json_t *c = NULL;
		size_t nerrors;
		rc = cat_course_get_state(db, ref, &st);
		rc = rc ? rc : cat_course_load(db, st.id, &c);
		rc = rc ? rc : sh_buf_puts(b, "<section class=\"review\" id=\"course-");
		rc = rc ? rc : sh_html_puts(b, ref);
		rc = rc ? rc : sh_buf_puts(b, "\"><h2>");
		rc = rc ? rc : sh_html_puts(b, str(item, "title") ? str(item, "title") : ref);
		rc = rc ? rc : sh_buf_puts(b, " <span class=\"kind\">");
		rc = rc ? rc : sh_html_puts(b, ref);
		rc = rc ? rc : sh_buf_puts(b, "</span></h2>\n");
		rc = rc ? rc : course_summary(req, c);
		json_decref(c);
		rc = rc ? rc : sh_buf_puts(b, "<h3>Quality findings</h3>\n");
		rc = rc ? rc : findings_list(req, db, ref, &nerrors);
		rc = rc ? rc : sh_buf_puts(b, "<h3>ESCO skills</h3>\n");
		rc = rc ? rc : skills_list(req, db, ref);
		const char *title = str(item, "title") ? str(item, "title") : ref;
		rc = rc ? rc : form_open(req, "/review/", ref, "/approve", "inline");
		rc = rc ? rc : named_button(b, "Approve", "Approve %s", title);
		rc = rc ? rc : sh_buf_puts(b, "</form>\n");
		rc = rc ? rc : form_open(req, "/review/", ref, "/reject", "reject");
		rc = rc ? rc : sh_buf_puts(b, "<label for=\"comment-");
		rc = rc ? rc : sh_html_puts(b, ref);
		rc = rc ? rc : sh_buf_puts(b, "\">Comment for the provider</label><textarea id=\"comment-");
		rc = rc ? rc : sh_html_puts(b, ref);
		rc = rc ? rc : sh_buf_puts(b, "\" name=\"comment\" rows=\"2\" maxlength=\"2000\"></textarea>");
		rc = rc ? rc : named_button(b, "Reject", "Reject %s", title);
		rc = rc ? rc : sh_buf_puts(b, "</form>\n</section>\n");
	}
	json_decref(list);
	return finish(req, rc, 200);
}

static int approve(sh_request *req, sh_db *db, const sh_http_query *form)
{
	(void)form;
	return step(req, db, "approve", NULL);
}

static int reject(sh_request *req, sh_db *db, const sh_http_query *form)
{
	const char *comment = sh_http_query_get(form, "comment");
	if (comment && strlen(comment) > 2000)
		return sh_reply_problem(req, 400, "invalid-parameter", "comment", "the comment is longer than 2000 bytes");
	return step(req, db, "reject", comment);
}

int sh_page_review_decide(sh_request *req)
{
	const char *action = req->arg[1];
	int rc = sh_require_role(req, reviewer_roles);
	if (rc)
		return rc;
	if (strcmp(action, "approve") && strcmp(action, "reject"))
		return sh_reply_problem(req, 404, "not-found", NULL, "nothing is served at this path");
	return course_action(req, reviewer_roles, SH_COURSE_REVIEWER, !strcmp(action, "approve") ? approve : reject,
	                     "/review");
}
