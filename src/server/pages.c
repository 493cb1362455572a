/*
 * server/pages.c - the web pages: home (search box), search results and one
 * page per concept.
 *
 * Pages are plain HTML built in req->body; every string from the data or the
 * request goes through sh_html_puts (html.c).  Links carry ?lang= so a
 * visitor stays in the language they chose.  Unknown query parameters are
 * ignored here (unlike the API) so that links with tracking parameters still
 * work; known ones are checked as strictly as in the API.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/courses_web.h"
#include "server/handlers.h"
#include "server/html.h"

enum {
	PAGE_RESULTS    = 20,   /* search hits per page */
	PAGE_MAX        = 200,  /* last page offered */
	MAX_BREADCRUMBS = 12,   /* broader levels shown above a concept */
	MAX_LIST        = 500   /* concepts listed per relation */
};

/* <a href="/concept/ID?lang=L">label</a> */
static int concept_link(sh_request *req, sh_cid c)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<a href=\"/concept/");
	rc = rc ? rc : sh_http_encode(b, sh_concept_id(req->idx, c));
	rc = rc ? rc : sh_buf_puts(b, "?lang=");
	rc = rc ? rc : sh_http_encode(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">");
	rc = rc ? rc : sh_html_puts(b, sh_concept_label(req->idx, c, req->lang));
	return rc ? rc : sh_buf_puts(b, "</a>");
}

static int kind_badge(sh_buf *b, sh_kind k)
{
	int rc = sh_buf_puts(b, " <span class=\"kind\">");
	rc = rc ? rc : sh_html_puts(b, sh_kind_name(k));
	return rc ? rc : sh_buf_puts(b, "</span>");
}

static int search_form(sh_request *req, const char *q)
{
	static const struct { const char *value, *text; } types[] = {
		{ "", "Skills and occupations" }, { "skill", "Skills" }, { "occupation", "Occupations" },
	};
	const char *type = sh_http_query_get(&req->query, "type");
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<form class=\"search\" role=\"search\" method=\"get\" action=\"/search\">\n"
	        "<div class=\"q\"><label for=\"q\">Skill or occupation</label>"
	        "<input type=\"search\" id=\"q\" name=\"q\" list=\"suggestions\" autocomplete=\"off\" "
	        "required maxlength=\"256\" value=\"");
	rc = rc ? rc : sh_html_puts(b, q ? q : "");
	rc = rc ? rc : sh_buf_puts(b, "\"><datalist id=\"suggestions\"></datalist></div>\n"
	        "<div><label for=\"type\">Type</label><select id=\"type\" name=\"type\">");
	for (size_t i = 0; i < sizeof types / sizeof types[0] && !rc; i++) {
		rc = sh_buf_printf(b, "<option value=\"%s\"%s>%s</option>", types[i].value,
		                   type && !strcmp(type, types[i].value) ? " selected" : "", types[i].text);
	}
	rc = rc ? rc : sh_buf_puts(b, "</select></div>\n<input type=\"hidden\" name=\"lang\" value=\"");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	return rc ? rc : sh_buf_puts(b, "\">\n<button type=\"submit\">Search</button>\n</form>\n");
}

static int finish_page(sh_request *req, int rc)
{
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

int sh_page_home(sh_request *req)
{
	int rc = sh_html_begin(req, "Skills and occupations");
	rc = rc ? rc : sh_buf_puts(&req->body, "<h1>Find skills and occupations</h1>\n"
	        "<p>Search the European skills and occupations classification by name, in any of its languages.</p>\n");
	rc = rc ? rc : search_form(req, NULL);
	rc = rc ? rc : sh_buf_printf(&req->body, "<p>%zu concepts indexed.</p>\n", sh_index_concept_count(req->idx));
	return finish_page(req, rc);
}

/* "Previous" / "Next" links of a result page. */
static int pager(sh_request *req, const char *q, size_t page, int more)
{
	sh_buf *b = &req->body;
	const char *type = sh_http_query_get(&req->query, "type");
	if (page == 1 && !more)
		return SH_OK;
	int rc = sh_buf_puts(b, "<nav class=\"pager\" aria-label=\"Result pages\">");
	for (int dir = -1; dir <= 1 && !rc; dir += 2) {
		if ((dir < 0 && page == 1) || (dir > 0 && (!more || page == PAGE_MAX)))
			continue;
		rc = sh_buf_puts(b, "<a href=\"/search?q=");
		rc = rc ? rc : sh_http_encode(b, q);
		if (type && !rc) {
			rc = sh_buf_puts(b, "&amp;type=");
			rc = rc ? rc : sh_http_encode(b, type);
		}
		rc = rc ? rc : sh_buf_puts(b, "&amp;lang=");
		rc = rc ? rc : sh_http_encode(b, req->lang);
		rc = rc ? rc : sh_buf_printf(b, "&amp;page=%zu\"%s>%s</a>", page + (size_t)dir,
		                             dir < 0 ? " rel=\"prev\"" : " rel=\"next\"", dir < 0 ? "Previous" : "Next");
	}
	return rc ? rc : sh_buf_puts(b, "</nav>\n");
}

int sh_page_search(sh_request *req)
{
	const char *q = sh_http_query_get(&req->query, "q");
	size_t page;
	unsigned kinds;
	int rc;
	if ((rc = sh_param_kinds(req, &kinds)) || (rc = sh_param_size(req, "page", 1, 1, PAGE_MAX, &page)))
		return rc;
	if (q && strlen(q) > 256)
		return sh_reply_problem(req, 400, "invalid-parameter", "q", "the search text is longer than 256 bytes");
	int blank = !q || !q[strspn(q, " \t\r\n")];
	sh_search_hit hits[PAGE_RESULTS + 1];
	size_t n = 0;
	sh_search_opts opts = { kinds, req->lang, (page - 1) * PAGE_RESULTS };
	if (!blank && (rc = sh_search(req->idx, q, &opts, hits, PAGE_RESULTS + 1, &n)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, blank ? "Search" : q);
	rc = rc ? rc : sh_buf_puts(b, "<h1>");
	if (blank) {
		rc = rc ? rc : sh_buf_puts(b, "Search</h1>\n");
		rc = rc ? rc : search_form(req, NULL);
		return finish_page(req, rc);
	}
	rc = rc ? rc : sh_buf_puts(b, "Results for \xe2\x80\x9c");
	rc = rc ? rc : sh_html_puts(b, q);
	rc = rc ? rc : sh_buf_puts(b, "\xe2\x80\x9d</h1>\n");
	rc = rc ? rc : search_form(req, q);
	int more = n > PAGE_RESULTS;
	if (!n) {
		rc = rc ? rc : sh_buf_puts(b, "<p>Nothing found. Try fewer or other words.</p>\n");
		return finish_page(req, rc);
	}
	rc = rc ? rc : sh_buf_printf(b, "<ol class=\"results\" start=\"%zu\">\n", opts.offset + 1);
	for (size_t i = 0; i < n && i < PAGE_RESULTS && !rc; i++) {
		const char *label = sh_concept_label(req->idx, hits[i].concept, req->lang);
		rc = sh_buf_puts(b, "<li>");
		rc = rc ? rc : concept_link(req, hits[i].concept);
		rc = rc ? rc : kind_badge(b, sh_concept_kind(req->idx, hits[i].concept));
		if (!rc && hits[i].matched_label && strcmp(hits[i].matched_label, label)) {
			rc = sh_buf_puts(b, "<br><span class=\"matched\">matched: ");
			rc = rc ? rc : sh_html_puts(b, hits[i].matched_label);
			rc = rc ? rc : sh_buf_puts(b, "</span>");
		}
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
	}
	rc = rc ? rc : sh_buf_puts(b, "</ol>\n");
	rc = rc ? rc : pager(req, q, page, more);
	return finish_page(req, rc);
}

/* Breadcrumbs: the chain of first broader concepts, from the top down to c. */
static int breadcrumbs(sh_request *req, sh_cid c)
{
	sh_cid chain[MAX_BREADCRUMBS];
	size_t n = 0;
	sh_cid at = c;
	for (;;) {
		const sh_cid *up;
		if (n == MAX_BREADCRUMBS || !sh_concept_related(req->idx, at, SH_REL_BROADER, &up))
			break;
		int seen = up[0] == c;
		for (size_t i = 0; i < n; i++)
			seen |= chain[i] == up[0];
		if (seen)
			break;
		chain[n++] = at = up[0];
	}
	if (!n)
		return SH_OK;
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol>");
	while (n-- && !rc) {
		rc = sh_buf_puts(b, "<li>");
		rc = rc ? rc : concept_link(req, chain[n]);
		rc = rc ? rc : sh_buf_puts(b, "</li>");
	}
	rc = rc ? rc : sh_buf_puts(b, "<li aria-current=\"page\">");
	rc = rc ? rc : sh_html_puts(b, sh_concept_label(req->idx, c, req->lang));
	return rc ? rc : sh_buf_puts(b, "</li></ol></nav>\n");
}

/* A <section> listing the concepts related to c by rel; nothing when there are none. */
/* No relation (the sh_rel values start at 1). */
#define NO_REL ((sh_rel)0)

/* 1 if id is one of the n concepts of set. */
static int contains(const sh_cid *set, size_t n, sh_cid id)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == id)
			return 1;
	return 0;
}

/*
 * One relation as a list of links.  The concepts of also_shown (a relation
 * listed in its own section, e.g. the ISCO group among the broader concepts
 * of an occupation) are left out; with NO_REL all are listed.
 */
static int related_section(sh_request *req, sh_cid c, sh_rel rel, const char *heading, sh_rel also_shown)
{
	const sh_cid *r, *shown = NULL;
	size_t n = sh_concept_related(req->idx, c, rel, &r), nshown = 0;
	if (also_shown != NO_REL)
		nshown = sh_concept_related(req->idx, c, also_shown, &shown);
	size_t listed = 0;
	for (size_t i = 0; i < n; i++)
		listed += !contains(shown, nshown, r[i]);
	if (!listed)
		return SH_OK;
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<section aria-labelledby=\"rel-%d\"><h2 id=\"rel-%d\">%s (%zu)</h2>\n"
	                          "<ul class=\"concepts\">\n", (int)rel, (int)rel, heading, listed);
	size_t written = 0;
	for (size_t i = 0; i < n && written < MAX_LIST && !rc; i++) {
		if (contains(shown, nshown, r[i]))
			continue;
		rc = sh_buf_puts(b, "<li>");
		rc = rc ? rc : concept_link(req, r[i]);
		rc = rc ? rc : sh_buf_puts(b, "</li>\n");
		written++;
	}
	rc = rc ? rc : sh_buf_puts(b, "</ul>\n");
	if (!rc && listed > MAX_LIST)
		rc = sh_buf_printf(b, "<p>and %zu more (see the API).</p>\n", listed - MAX_LIST);
	return rc ? rc : sh_buf_puts(b, "</section>\n");
}

/* <dt>term</dt><dd>value</dd> when the JSON field is a non-empty string. */
static int fact(sh_buf *b, const char *term, json_t *value)
{
	const char *s = json_string_value(value);
	if (!s || !*s)
		return SH_OK;
	int rc = sh_buf_printf(b, "<dt>%s</dt><dd>", term);
	rc = rc ? rc : sh_html_puts(b, s);
	return rc ? rc : sh_buf_puts(b, "</dd>\n");
}

/* Description, codes, types, URI and alternative labels, from sh_concept_json. */
static int concept_facts(sh_request *req, sh_cid c)
{
	char *text;
	int rc = sh_concept_json(req->idx, c, req->lang, &text);
	if (rc)
		return rc;
	json_t *o = json_loads(text, 0, NULL);
	free(text);
	if (!o)
		return sh_error(SH_ENOMEM, "concept %u: cannot read its JSON", c);
	sh_buf *b = &req->body;
	const char *desc = json_string_value(json_object_get(o, "description"));
	if (desc && *desc) {
		rc = sh_buf_puts(b, "<p class=\"description\">");
		rc = rc ? rc : sh_html_puts(b, desc);
		rc = rc ? rc : sh_buf_puts(b, "</p>\n");
	}
	rc = rc ? rc : sh_buf_puts(b, "<dl class=\"facts\">\n");
	rc = rc ? rc : fact(b, "Code", json_object_get(o, "code"));
	rc = rc ? rc : fact(b, "Skill type", json_object_get(o, "skillType"));
	rc = rc ? rc : fact(b, "Reuse level", json_object_get(o, "reuseLevel"));
	json_t *alt = json_object_get(o, "altLabels");
	if (!rc && json_array_size(alt)) {
		rc = sh_buf_puts(b, "<dt>Also called</dt><dd>");
		for (size_t i = 0; i < json_array_size(alt) && !rc; i++) {
			rc = i ? sh_buf_puts(b, "; ") : SH_OK;
			rc = rc ? rc : sh_html_puts(b, json_string_value(json_array_get(alt, i)) ? json_string_value(json_array_get(alt, i)) : "");
		}
		rc = rc ? rc : sh_buf_puts(b, "</dd>\n");
	}
	rc = rc ? rc : sh_buf_puts(b, "<dt>ESCO URI</dt><dd><a href=\"");
	rc = rc ? rc : sh_html_puts(b, sh_concept_uri(req->idx, c));
	rc = rc ? rc : sh_buf_puts(b, "\">");
	rc = rc ? rc : sh_html_puts(b, sh_concept_uri(req->idx, c));
	rc = rc ? rc : sh_buf_puts(b, "</a></dd>\n</dl>\n");
	json_decref(o);
	return rc;
}

int sh_page_concept(sh_request *req)
{
	static const struct { sh_rel rel; const char *heading; sh_rel also_shown; } sections[] = {
		{ SH_REL_ESSENTIAL_SKILL,   "Essential skills", NO_REL },
		{ SH_REL_OPTIONAL_SKILL,    "Optional skills", NO_REL },
		{ SH_REL_ESSENTIAL_FOR,     "Occupations for which this is essential", NO_REL },
		{ SH_REL_OPTIONAL_FOR,      "Occupations for which this is optional", NO_REL },
		{ SH_REL_RELATED_ESSENTIAL, "Essentially related skills", NO_REL },
		{ SH_REL_RELATED_OPTIONAL,  "Optionally related skills", NO_REL },
		{ SH_REL_ISCO_GROUP,        "ISCO group", NO_REL },
		{ SH_REL_BROADER,           "Broader concepts", SH_REL_ISCO_GROUP },
		{ SH_REL_NARROWER,          "Narrower concepts", NO_REL },
	};
	sh_cid c;
	int rc = sh_param_concept(req, 0, &c);
	if (rc)
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, sh_concept_label(req->idx, c, req->lang));
	rc = rc ? rc : breadcrumbs(req, c);
	rc = rc ? rc : sh_buf_puts(b, "<h1>");
	rc = rc ? rc : sh_html_puts(b, sh_concept_label(req->idx, c, req->lang));
	rc = rc ? rc : kind_badge(b, sh_concept_kind(req->idx, c));
	rc = rc ? rc : sh_buf_puts(b, "</h1>\n");
	rc = rc ? rc : concept_facts(req, c);
	if (!rc && sh_concept_kind(req->idx, c) == SH_KIND_OCCUPATION) { /* pages_pathways.c */
		rc = sh_buf_puts(b, "<p><a href=\"/pathways?occupation=");
		rc = rc ? rc : sh_http_encode(b, sh_concept_id(req->idx, c));
		rc = rc ? rc : sh_buf_puts(b, "&amp;lang=");
		rc = rc ? rc : sh_http_encode(b, req->lang);
		rc = rc ? rc : sh_buf_puts(b, "\">Where can I go from here?</a></p>\n");
	}
	for (size_t i = 0; i < sizeof sections / sizeof sections[0] && !rc; i++)
		rc = related_section(req, c, sections[i].rel, sections[i].heading, sections[i].also_shown);
	rc = rc ? rc : sh_courses_skill_section(req, c); /* pages_courses.c */
	return finish_page(req, rc);
}
