/*
 * server/pages_pathways.c - the pathway pages, server-rendered, no script
 * needed:
 *
 *   /pathways   "where can I go": an occupation (the search box with the
 *               site's autocomplete) -> its same- and cross-sector
 *               transitions with readiness, the alliance sector tags shared
 *               (serve --sectors), the size of each move's course plan over
 *               the catalogue and a link to each gap and plan
 *   /gap        from an occupation held and/or a pasted CV to a target
 *               occupation: the missing skills with their weights and the
 *               course plan over the catalogue in prerequisite order,
 *               printable (the print rules of style.css hide the frame)
 *   /workforce  headcounts now and wanted (one "occupation count" per line)
 *               -> who retrains for what, at how many hours
 *
 * Each page renders the JSON the API answers (pathways_web.h), so page and
 * API cannot disagree.  An occupation field takes a URI, UUID or code, or
 * else a label: the best occupation the search finds for it, which is what
 * the autocomplete fills in.  /gap and /workforce accept GET and POST
 * (application/x-www-form-urlencoded) so long CVs need not go in the URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/handlers.h"
#include "server/html.h"
#include "server/pathways_web.h"

enum {
	FIELD_MAX_TEXT = 65536, /* bytes of a CV or a headcount list */
	HEADCOUNT_MAX  = 200    /* lines of a headcount list */
};

/* The occupation a form field names (reference or label); 0 when none. */
int sh_pathways_find_occupation(sh_request *req, const char *text, sh_cid *out)
{
	if (sh_pathways_web_occupation(req->idx, text, out))
		return 1;
	sh_search_hit hit;
	size_t n = 0;
	sh_search_opts opts = { SH_KIND_BIT(SH_KIND_OCCUPATION), req->lang, 0 };
	if (sh_search(req->idx, text, &opts, &hit, 1, &n) || !n)
		return 0;
	*out = hit.concept;
	return 1;
}

/* A non-blank field, or NULL. */
const char *sh_pathways_field(const sh_http_query *f, const char *name)
{
	const char *v = sh_http_query_get(f, name);
	return v && v[strspn(v, " \t\r\n")] ? v : NULL;
}

static int finish(sh_request *req, int rc)
{
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

/* The id used in URLs of the JSON concept o ({uri, label}): the last segment of its URI. */
static const char *json_concept_id(const json_t *o)
{
	const char *uri = json_string_value(json_object_get(o, "uri"));
	const char *slash = strrchr(uri, '/');
	return slash ? slash + 1 : uri;
}

/* <a href="/concept/ID?lang=L">label</a> of the JSON concept o. */
int sh_pathways_concept_link(sh_request *req, const json_t *o)
{
	sh_buf *b = &req->body;
	return sh_buf_puts(b, "<a href=\"/concept/") || sh_http_encode(b, json_concept_id(o)) ||
	       sh_buf_puts(b, "?lang=") || sh_http_encode(b, req->lang) || sh_buf_puts(b, "\">") ||
	       sh_html_puts(b, json_string_value(json_object_get(o, "label"))) || sh_buf_puts(b, "</a>");
}

/* A labelled text input keeping value. */
static int text_input(sh_buf *b, const char *name, const char *label, const char *value, int suggest)
{
	return sh_buf_printf(b, "<div><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" maxlength=\"512\"%s "
	                        "value=\"", name, label, name, name,
	                     suggest ? " type=\"search\" list=\"suggestions\" autocomplete=\"off\"" : "") ||
	       sh_html_puts(b, value ? value : "") || sh_buf_puts(b, "\"></div>\n");
}

static int lang_hidden(sh_request *req)
{
	return sh_buf_puts(&req->body, "<input type=\"hidden\" name=\"lang\" value=\"") ||
	       sh_html_puts(&req->body, req->lang) || sh_buf_puts(&req->body, "\">\n");
}

/* ---- /pathways ------------------------------------------------------------ */

/* "N courses, H h, C" of a move's plan, and how many of its skills no admissible course teaches. */
static int plan_cell(sh_buf *b, const json_t *plan)
{
	size_t n = json_array_size(json_object_get(plan, "steps")),
	       open = json_array_size(json_object_get(plan, "uncoverable"));
	return sh_buf_printf(b, "%zu course%s, %.0f h, %.2f", n, n == 1 ? "" : "s",
	                     json_number_value(json_object_get(plan, "hours")),
	                     json_number_value(json_object_get(plan, "cost"))) ||
	       (open && sh_buf_printf(b, " (%zu skill%s without a course)", open, open == 1 ? "" : "s"));
}

/* " (sector: a, b)" naming the alliance sector tags a move shares with its origin, if any. */
static int shared_sectors_note(sh_buf *b, const json_t *shared)
{
	size_t i;
	json_t *v;
	int rc = json_array_size(shared) ? sh_buf_puts(b, " <small>(sector: ") : SH_OK;
	json_array_foreach(shared, i, v)
		rc = rc || (i && sh_buf_puts(b, ", ")) || sh_html_puts(b, json_string_value(v));
	return rc || (json_array_size(shared) && sh_buf_puts(b, ")</small>"));
}

static int moves_table(sh_request *req, const json_t *from, const json_t *moves, const char *caption)
{
	sh_buf *b = &req->body;
	size_t i;
	json_t *m;
	if (!json_array_size(moves))
		return sh_buf_printf(b, "<p>No %s move found.</p>\n", caption);
	int rc = sh_buf_printf(b, "<table class=\"skills\"><caption>%s</caption><thead><tr><th>Occupation</th>"
	                          "<th>Readiness</th><th>Skills to learn</th><th>Course plan</th><th>Skill gap</th></tr>"
	                          "</thead><tbody>\n",
	                       caption);
	json_array_foreach(moves, i, m) {
		rc = rc || sh_buf_puts(b, "<tr><td>") || sh_pathways_concept_link(req, m) ||
		     shared_sectors_note(b, json_object_get(m, "shared_sectors")) ||
		     sh_buf_printf(b, "</td><td>%.0f%%</td><td>%zu</td><td>",
		                   100 * json_number_value(json_object_get(m, "readiness")),
		                   json_array_size(json_object_get(m, "missing"))) ||
		     plan_cell(b, json_object_get(m, "plan")) || sh_buf_puts(b, "</td><td><a href=\"/gap?from=") ||
		     sh_http_encode(b, json_concept_id(from)) || sh_buf_puts(b, "&amp;target=") ||
		     sh_http_encode(b, json_concept_id(m)) || sh_buf_puts(b, "&amp;lang=") || sh_http_encode(b, req->lang) ||
		     sh_buf_puts(b, "\">What to learn</a></td></tr>\n");
	}
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

static int transitions_section(sh_request *req, sh_cid from, size_t limit)
{
	json_t *o;
	int rc = sh_pathways_web_transitions(req, from, limit, 1, req->lang, &o);
	if (rc)
		return rc;
	const json_t *f = json_object_get(o, "from");
	sh_buf *b = &req->body;
	rc = sh_buf_puts(b, "<section><h2>Where can I go from ") || sh_pathways_concept_link(req, f) ||
	     sh_buf_puts(b, "?</h2>\n<p>Readiness is the share of the target's essential skill weight you already "
	                    "hold (docs/pathways.md). The course plan is the cheapest set of approved courses "
	                    "teaching the skills to learn: courses, hours, price.</p>\n") ||
	     moves_table(req, f, json_object_get(o, "same_sector"), "Same sector") ||
	     moves_table(req, f, json_object_get(o, "cross_sector"), "Other sectors") ||
	     sh_buf_puts(b, "</section>\n");
	json_decref(o);
	return rc ? sh_error(SH_ENOMEM, "out of memory (pathways page)") : SH_OK;
}

int sh_page_pathways(sh_request *req)
{
	const char *occ = sh_pathways_field(&req->query, "occupation"), *q = sh_pathways_field(&req->query, "q");
	size_t limit;
	sh_cid from;
	int rc = sh_param_size(req, "limit", 10, 1, 50, &limit);
	if (rc)
		return rc;
	if (occ && !sh_pathways_web_occupation(req->idx, occ, &from))
		return sh_reply_problem(req, 404, "not-found", "occupation", "no occupation '%s'", occ);
	int found = occ || (q && sh_pathways_find_occupation(req, q, &from));
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, "Pathways") ||
	     sh_buf_puts(b, "<h1>Where can I go from here?</h1>\n<p>Pick your occupation to see the occupations your "
	                    "skills carry over to, and what you would need to learn.</p>\n"
	                    "<form class=\"search\" role=\"search\" method=\"get\" action=\"/pathways\">\n"
	                    "<div class=\"q\"><label for=\"q\">Your occupation</label><input type=\"search\" id=\"q\" "
	                    "name=\"q\" list=\"suggestions\" autocomplete=\"off\" required maxlength=\"256\" value=\"") ||
	     sh_html_puts(b, q ? q : "") || sh_buf_puts(b, "\"><datalist id=\"suggestions\"></datalist></div>\n") ||
	     lang_hidden(req) || sh_buf_puts(b, "<button type=\"submit\">Show pathways</button>\n</form>\n") ||
	     sh_buf_puts(b, "<p>Or start from your own skills: <a href=\"/my/profile\">my skill profile</a> (sign-in "
	                    "needed). Or plan for a whole team: <a href=\"/workforce\">workforce reskilling</a>.</p>\n");
	if (rc)
		return sh_error(SH_ENOMEM, "out of memory (pathways page)");
	if (q && !found)
		rc = sh_buf_puts(b, "<p>No occupation found. Try other words.</p>\n");
	else if (found)
		rc = transitions_section(req, from, limit);
	return finish(req, rc);
}

/* ---- /gap ----------------------------------------------------------------- */

static int gap_form(sh_request *req, const char *from, const char *target, const char *cv)
{
	sh_buf *b = &req->body;
	return sh_buf_puts(b, "<form class=\"analyse noprint\" method=\"post\" action=\"/gap\">\n") ||
	       text_input(b, "from", "Occupation you hold (optional)", from, 0) ||
	       sh_buf_puts(b, "<div><label for=\"cv\">Your CV (optional; skills are found in the text)</label>"
	                      "<textarea id=\"cv\" name=\"cv\" rows=\"8\" maxlength=\"65536\">") ||
	       sh_html_puts(b, cv ? cv : "") || sh_buf_puts(b, "</textarea></div>\n") ||
	       text_input(b, "target", "Occupation you aim at", target, 0) || lang_hidden(req) ||
	       sh_buf_puts(b, "<button type=\"submit\">Show the gap</button>\n</form>\n");
}

static int missing_table(sh_request *req, const json_t *gap)
{
	sh_buf *b = &req->body;
	size_t i;
	json_t *s;
	int rc = sh_buf_puts(b, "<table class=\"skills\"><caption>Skills to learn, heaviest first</caption><thead><tr>"
	                        "<th>Skill</th><th>Essential</th><th>Weight</th><th>Held</th></tr></thead><tbody>\n");
	json_array_foreach(json_object_get(gap, "skills"), i, s) {
		double credit = json_number_value(json_object_get(s, "credit"));
		if (credit >= 1)
			continue;
		rc = rc || sh_buf_puts(b, "<tr><td>") || sh_pathways_concept_link(req, s) ||
		     sh_buf_printf(b, "</td><td>%s</td><td>%.2f</td><td>%.0f%%</td></tr>\n",
		                   json_is_true(json_object_get(s, "essential")) ? "yes" : "no",
		                   json_number_value(json_object_get(s, "weight")), 100 * credit);
	}
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

static int plan_list(sh_request *req, const json_t *plan)
{
	const json_t *steps = json_object_get(plan, "steps"), *open = json_object_get(plan, "uncoverable");
	sh_buf *b = &req->body;
	size_t i, k;
	json_t *st, *c;
	int rc = sh_buf_printf(b, "<h2>Course plan</h2>\n<p>%zu course%s, %.0f hours, price %.2f (take them in this "
	                          "order: prerequisites first).</p>\n<ol class=\"plan\">\n",
	                       json_array_size(steps), json_array_size(steps) == 1 ? "" : "s",
	                       json_number_value(json_object_get(plan, "hours")),
	                       json_number_value(json_object_get(plan, "price")));
	json_array_foreach(steps, i, st) {
		rc = rc || sh_buf_puts(b, "<li><strong>") || sh_html_puts(b, json_string_value(json_object_get(st, "title"))) ||
		     sh_buf_puts(b, "</strong> (") || sh_html_puts(b, json_string_value(json_object_get(st, "id"))) ||
		     sh_buf_printf(b, ", %.0f h, %.2f): closes ", json_number_value(json_object_get(st, "hours")),
		                   json_number_value(json_object_get(st, "price")));
		json_array_foreach(json_object_get(st, "closes"), k, c)
			rc = rc || (k && sh_buf_puts(b, ", ")) || sh_html_puts(b, json_string_value(json_object_get(c, "label")));
		rc = rc || sh_buf_puts(b, "</li>\n");
	}
	rc = rc || sh_buf_puts(b, "</ol>\n");
	if (json_array_size(open)) {
		rc = rc || sh_buf_puts(b, "<p>No approved course teaches: ");
		json_array_foreach(open, k, c)
			rc = rc || (k && sh_buf_puts(b, ", ")) || sh_html_puts(b, json_string_value(json_object_get(c, "label")));
		rc = rc || sh_buf_puts(b, ".</p>\n");
	}
	return rc;
}

int sh_pathways_plan_section(sh_request *req, const json_t *answer)
{
	const json_t *gap = json_object_get(answer, "gap");
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<section><h2>Gap to ") || sh_pathways_concept_link(req, json_object_get(gap, "target")) ||
	         sh_buf_printf(b, "</h2>\n<p>Readiness: <strong>%.0f%%</strong> of the essential skill weight.</p>\n",
	                       100 * json_number_value(json_object_get(gap, "readiness"))) ||
	         missing_table(req, gap) || plan_list(req, json_object_get(answer, "plan")) ||
	         sh_buf_puts(b, "</section>\n");
	return rc ? sh_error(SH_ENOMEM, "out of memory (gap page)") : SH_OK;
}

/* The gap and plan section for the profile of from and cv. */
static int gap_section(sh_request *req, sh_cid target, const char *from, const char *cv)
{
	sh_profile *p;
	sh_cid held;
	sh_extractor *x;
	json_t *o = NULL;
	int rc = sh_profile_new(&p);
	if (rc)
		return rc;
	if (from && !sh_pathways_find_occupation(req, from, &held))
		rc = sh_reply_problem(req, 404, "not-found", "from", "no occupation '%s'", from);
	else if (from)
		rc = sh_profile_add_occupation(p, req->idx, held, 0);
	if (!rc && cv && !(rc = sh_request_extractor(req, &x)))
		rc = sh_profile_add_text(p, x, cv, strlen(cv), req->lang);
	if (!rc)
		rc = sh_pathways_web_plan(req, p, target, NULL, 0, req->lang, &o);
	sh_profile_free(p);
	if (rc)
		return rc;
	rc = sh_pathways_plan_section(req, o);
	json_decref(o);
	return rc;
}

/* Reads the form of a GET (query) or POST (url-encoded body) page into *fields (*owned: to free). */
static int form_fields(sh_request *req, sh_http_query *owned, const sh_http_query **fields)
{
	*fields = &req->query;
	if (req->method != SH_METHOD_POST)
		return SH_OK;
	if (req->content_len && !sh_request_has_type(req, "application/x-www-form-urlencoded", 1))
		return sh_reply_problem(req, 415, "unsupported-media-type", NULL,
		                        "the form must be sent as application/x-www-form-urlencoded");
	char *bad = NULL;
	if (sh_http_query_parse(req->content, req->content_len, owned, &bad)) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", sh_errmsg());
		int rc = sh_reply_problem(req, 400, "invalid-parameter", bad, "%s", msg);
		free(bad);
		return rc;
	}
	*fields = owned;
	return SH_OK;
}

/* The form's lang (checked) into req->lang. */
static int form_lang(sh_request *req, const sh_http_query *f)
{
	const char *lang = sh_pathways_field(f, "lang");
	const char *known = lang ? sh_index_language(req->idx, lang) : NULL;
	if (lang && !known)
		return sh_reply_problem(req, 400, "invalid-parameter", "lang", "language '%s' is not in the index", lang);
	if (known)
		req->lang = known;
	return SH_OK;
}

static int gap_page(sh_request *req, const sh_http_query *f)
{
	const char *from = sh_pathways_field(f, "from"), *target = sh_pathways_field(f, "target");
	const char *cv = sh_pathways_field(f, "cv");
	sh_cid t;
	int rc = form_lang(req, f);
	if (rc)
		return rc;
	if (cv && strlen(cv) > FIELD_MAX_TEXT)
		return sh_reply_problem(req, 400, "invalid-parameter", "cv", "the CV is longer than %d bytes", FIELD_MAX_TEXT);
	if (target && !sh_pathways_find_occupation(req, target, &t))
		return sh_reply_problem(req, 404, "not-found", "target", "no occupation '%s'", target);
	if ((rc = sh_html_begin(req, "Skill gap")) || (rc = sh_buf_puts(&req->body, "<h1>What do I need to learn?</h1>\n")) ||
	    (rc = gap_form(req, from, target, cv)))
		return rc;
	if (target && (from || cv))
		rc = gap_section(req, t, from, cv);
	else if (target)
		rc = sh_buf_puts(&req->body, "<p>Give the occupation you hold or paste your CV.</p>\n");
	return req->status ? rc : finish(req, rc);
}

int sh_page_gap(sh_request *req)
{
	sh_http_query owned;
	const sh_http_query *f;
	int rc = form_fields(req, &owned, &f);
	if (rc)
		return rc;
	rc = gap_page(req, f);
	if (f == &owned)
		sh_http_query_free(&owned);
	return rc;
}

/* ---- /workforce ----------------------------------------------------------- */

/* Parses "occupation count" lines; replies 400/404 naming the field on a bad line. */
static int read_counts(sh_request *req, const char *name, const char *text, sh_headcount **out, size_t *n)
{
	*n = 0;
	if (!(*out = calloc(HEADCOUNT_MAX, sizeof **out)))
		return sh_error(SH_ENOMEM, "out of memory");
	size_t line = 0;
	for (const char *p = text; *p; line++) {
		size_t len = strcspn(p, "\r\n");
		char buf[600];
		if (len >= sizeof buf || *n == HEADCOUNT_MAX)
			return sh_reply_problem(req, 400, "invalid-parameter", name, "%s line %zu: too long or too many lines",
			                        name, line + 1);
		memcpy(buf, p, len);
		buf[len] = 0;
		p += len;
		p += strspn(p, "\r\n");
		char *end = buf + len;
		while (end > buf && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (end == buf)
			continue;
		char *sp = strrchr(buf, ' ');
		char *num_end;
		long people = sp ? strtol(sp + 1, &num_end, 10) : -1;
		if (!sp || *num_end || people < 0)
			return sh_reply_problem(req, 400, "invalid-parameter", name,
			                        "%s line %zu: expected 'occupation count', got '%s'", name, line + 1, buf);
		*sp = 0;
		sh_cid c;
		if (!sh_pathways_find_occupation(req, buf, &c))
			return sh_reply_problem(req, 404, "not-found", name, "%s line %zu: no occupation '%s'", name, line + 1, buf);
		(*out)[(*n)++] = (sh_headcount){ c, (size_t)people };
	}
	return SH_OK;
}

static int workforce_table(sh_request *req, const json_t *w)
{
	sh_buf *b = &req->body;
	size_t i;
	json_t *m;
	int rc = sh_buf_printf(b, "<p>Staying %lld, retrained %lld, surplus %lld, places to hire for %lld; "
	                          "reskilling need %.0f person-skills, %.0f hours.</p>\n",
	                       (long long)json_integer_value(json_object_get(w, "staying")),
	                       (long long)json_integer_value(json_object_get(w, "moved")),
	                       (long long)json_integer_value(json_object_get(w, "surplus")),
	                       (long long)json_integer_value(json_object_get(w, "unfilled")),
	                       json_number_value(json_object_get(w, "person_skills")),
	                       json_number_value(json_object_get(w, "hours"))) ||
	         sh_buf_puts(b, "<table class=\"skills\"><caption>Moves</caption><thead><tr><th>People</th><th>From</th>"
	                        "<th>To</th><th>Skills to learn</th><th>Hours per person</th></tr></thead><tbody>\n");
	json_array_foreach(json_object_get(w, "moves"), i, m)
		rc = rc || sh_buf_printf(b, "<tr><td>%lld</td><td>", (long long)json_integer_value(json_object_get(m, "people"))) ||
		     sh_pathways_concept_link(req, json_object_get(m, "from")) || sh_buf_puts(b, "</td><td>") ||
		     sh_pathways_concept_link(req, json_object_get(m, "to")) ||
		     sh_buf_printf(b, "</td><td>%lld</td><td>%.1f</td></tr>\n",
		                   (long long)json_integer_value(json_object_get(m, "skills")),
		                   json_number_value(json_object_get(m, "hours_per_person")));
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

static int workforce_page(sh_request *req, const sh_http_query *f)
{
	const char *cur = sh_pathways_field(f, "current"), *tgt = sh_pathways_field(f, "target");
	sh_headcount *count[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 };
	json_t *o = NULL;
	int rc = form_lang(req, f);
	if (!rc && ((cur && strlen(cur) > FIELD_MAX_TEXT) || (tgt && strlen(tgt) > FIELD_MAX_TEXT)))
		rc = sh_reply_problem(req, 400, "invalid-parameter", NULL, "a headcount list is longer than %d bytes",
		                      FIELD_MAX_TEXT);
	if (!rc && cur && tgt && !(rc = read_counts(req, "current", cur, &count[0], &n[0])) &&
	    !(rc = read_counts(req, "target", tgt, &count[1], &n[1])))
		rc = sh_pathways_web_workforce(req, count[0], n[0], count[1], n[1], NULL, req->lang, &o);
	free(count[0]);
	free(count[1]);
	sh_buf *b = &req->body;
	if (!rc)
		rc = sh_html_begin(req, "Workforce reskilling") ||
		     sh_buf_puts(b, "<h1>Workforce reskilling</h1>\n<p>One line per occupation: the occupation "
		                    "(name, code or URI), a space, the number of people.</p>\n"
		                    "<form class=\"analyse noprint\" method=\"post\" action=\"/workforce\">\n"
		                    "<div><label for=\"current\">Headcount now</label><textarea id=\"current\" "
		                    "name=\"current\" rows=\"6\">") ||
		     sh_html_puts(b, cur ? cur : "") ||
		     sh_buf_puts(b, "</textarea></div>\n<div><label for=\"target\">Target mix</label><textarea "
		                    "id=\"target\" name=\"target\" rows=\"6\">") ||
		     sh_html_puts(b, tgt ? tgt : "") || sh_buf_puts(b, "</textarea></div>\n") || lang_hidden(req) ||
		     sh_buf_puts(b, "<button type=\"submit\">Plan</button>\n</form>\n") ||
		     (o && workforce_table(req, o)) ? sh_error(SH_ENOMEM, "out of memory (workforce page)") : SH_OK;
	json_decref(o);
	return req->status ? rc : finish(req, rc);
}

int sh_page_workforce(sh_request *req)
{
	sh_http_query owned;
	const sh_http_query *f;
	int rc = form_fields(req, &owned, &f);
	if (rc)
		return rc;
	rc = workforce_page(req, f);
	if (f == &owned)
		sh_http_query_free(&owned);
	return rc;
}
