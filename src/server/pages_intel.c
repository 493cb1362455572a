/*
 * server/pages_intel.c - the Intelligence pages: skills demand in stored
 * job ads (GET /intelligence) and supply versus demand against the training
 * catalogue (GET /intelligence/supply), filtered by the same GET form, with
 * the SVG charts and tables of `skillhub report demand|supply`
 * (intel/report.h).  Each page links to the other with the same filters.
 */
#include "server/intel_service.h"

#include <string.h>

#include "core/error.h"
#include "intel/intel.h"
#include "intel/report.h"
#include "server/dbconn.h"
#include "server/html.h"

/* The parameters the two pages share and carry over when linking to each other. */
static const char *const filter_params[] = {
	"period_from", "period_to", "country", "region", "occupation", "sector", "collection", "lang"
};

/* One labelled text input of the filter form, keeping the request's value. */
static int text_input(sh_request *req, const char *name, const char *label, const char *hint)
{
	const char *v = sh_http_query_get(&req->query, name);
	sh_buf *b = &req->body;
	return sh_buf_printf(b, "<div><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" maxlength=\"512\" "
	                        "placeholder=\"%s\" value=\"", name, label, name, name, hint) ||
	       sh_html_puts(b, v ? v : "") || sh_buf_puts(b, "\"></div>\n");
}

static int filter_form(sh_request *req, const sh_intel *intel, const char *action)
{
	const char *coll = sh_http_query_get(&req->query, "collection");
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<form class=\"search\" method=\"get\" action=\"%s\">\n", action) ||
	         text_input(req, "period_from", "From", "2024, 2024-Q1 or 2024-01") ||
	         text_input(req, "period_to", "To", "2024-12") ||
	         text_input(req, "country", "Country", "DE") ||
	         text_input(req, "region", "Region", "NUTS code or name") ||
	         text_input(req, "occupation", "Occupation", "URI or ISCO code (25)") ||
	         text_input(req, "sector", "Sector", "NACE code or name") ||
	         sh_buf_puts(b, "<div><label for=\"collection\">Collection</label><select id=\"collection\" "
	                        "name=\"collection\"><option value=\"\">all skills</option>");
	for (size_t i = 0; !rc && i < intel->ncollections; i++)
		rc = sh_buf_puts(b, "<option") ||
		     sh_buf_puts(b, coll && strcmp(coll, intel->collection[i]) == 0 ? " selected>" : ">") ||
		     sh_html_puts(b, intel->collection[i]) || sh_buf_puts(b, "</option>");
	return rc || sh_buf_puts(b, "</select></div>\n<input type=\"hidden\" name=\"lang\" value=\"") ||
	       sh_html_puts(b, req->lang) || sh_buf_puts(b, "\">\n<button type=\"submit\">Show</button>\n</form>\n");
}

/* href="PATH?filters" with the request's filter parameters, percent-encoded then HTML-escaped. */
static int link_with_filters(sh_request *req, const char *path, const char *text)
{
	sh_buf q = SH_BUF_INIT;
	int rc = sh_buf_puts(&q, path);
	char sep = '?';
	for (size_t i = 0; !rc && i < sizeof filter_params / sizeof filter_params[0]; i++) {
		const char *v = sh_http_query_get(&req->query, filter_params[i]);
		if (!v || !*v)
			continue;
		rc = sh_buf_printf(&q, "%c%s=", sep, filter_params[i]) || sh_http_encode(&q, v);
		sep = '&';
	}
	rc = rc || sh_buf_puts(&req->body, "<a href=\"") || sh_html_escape(&req->body, q.data, q.len) ||
	     sh_buf_puts(&req->body, "\">") || sh_html_puts(&req->body, text) || sh_buf_puts(&req->body, "</a>");
	sh_buf_free(&q);
	return rc;
}

/* The two views, the current one not a link. */
static int view_nav(sh_request *req, int supply)
{
	sh_buf *b = &req->body;
	return sh_buf_puts(b, "<nav class=\"views\" aria-label=\"Intelligence views\"><p>") ||
	       (supply ? link_with_filters(req, "/intelligence", "Demand")
	               : sh_buf_puts(b, "<strong aria-current=\"page\">Demand</strong>")) ||
	       sh_buf_puts(b, " · ") ||
	       (supply ? sh_buf_puts(b, "<strong aria-current=\"page\">Supply versus demand</strong>")
	               : link_with_filters(req, "/intelligence/supply", "Supply versus demand")) ||
	       sh_buf_puts(b, "</p></nav>\n");
}

static int skill_table(sh_buf *b, const sh_demand *d)
{
	int rc = sh_buf_puts(b, "<table><thead><tr><th>Skill</th><th>Ads</th><th>Share</th></tr></thead><tbody>\n");
	for (size_t i = 0; !rc && i < d->n; i++)
		rc = sh_buf_puts(b, "<tr><td>") || sh_html_puts(b, d->skills[i].label) ||
		     sh_buf_printf(b, "</td><td>%lld</td><td>%.1f%%</td></tr>\n", (long long)d->skills[i].ads,
		                   100 * d->skills[i].share);
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

static int render(sh_request *req, const sh_intel *intel, const sh_agg *agg, size_t limit)
{
	sh_intel_filter f;
	sh_demand d;
	int rc = sh_intel_request_filter(req, intel, &f);
	if (rc)
		return rc;
	if ((rc = sh_intel_demand(intel, agg, &f, limit, &d)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, "Skills intelligence") ||
	     sh_buf_puts(b, "<h1>Skills demand in job ads</h1>\n") || view_nav(req, 0) ||
	     filter_form(req, intel, "/intelligence") ||
	     sh_buf_printf(b, "<p><strong>%lld</strong> ads match (duplicates not counted). "
	                      "JSON: <a href=\"/api/v1/demand\">/api/v1/demand</a> with the same parameters.</p>\n",
	                   (long long)d.total_ads);
	if (!rc && d.n)
		rc = sh_report_demand_charts(b, intel, agg, &f, &d) || skill_table(b, &d);
	else if (!rc)
		rc = sh_buf_puts(b, "<p>No skill asked in the ads that match.</p>\n");
	sh_demand_free(&d);
	rc = rc || sh_html_end(req);
	return rc ? sh_error(SH_ENOMEM, "out of memory (intelligence page)") : sh_reply_ok(req, "text/html; charset=utf-8");
}

int sh_page_intelligence(sh_request *req)
{
	const sh_agg *agg;
	const sh_intel *intel;
	size_t limit;
	int rc = sh_param_size(req, "limit", 20, 1, 200, &limit);
	if (rc)
		return rc;
	if (sh_intel_service_acquire(&agg, &intel))
		return sh_reply_problem(req, 503, "unavailable", NULL, "%s", sh_errmsg());
	rc = render(req, intel, agg, limit);
	sh_intel_service_release();
	return rc;
}

static int supply_table(sh_buf *b, const sh_supply *s)
{
	int rc = sh_buf_puts(b, "<table class=\"skills supply\"><thead><tr><th>Skill</th><th>Ads</th><th>Share</th>"
	                        "<th>Courses</th><th>Gap</th></tr></thead><tbody>\n");
	for (size_t i = 0; !rc && i < s->n; i++) {
		const sh_skill_supply *k = &s->skills[i];
		rc = sh_buf_puts(b, "<tr><td>") || sh_html_puts(b, k->label) ||
		     sh_buf_printf(b, "</td><td>%lld</td><td>%.1f%%</td><td>%lld</td><td>%.4f</td></tr>\n",
		                   (long long)k->ads, 100 * k->share, (long long)k->courses, k->gap);
	}
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

static int render_supply(sh_request *req, const sh_intel *intel, const sh_agg *agg, sh_db *db, size_t limit)
{
	sh_intel_filter f;
	sh_supply s;
	int rc = sh_intel_request_filter(req, intel, &f);
	if (rc)
		return rc;
	if ((rc = sh_intel_supply(intel, agg, db, &f, limit, &s)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_html_begin(req, "Skills supply versus demand") ||
	     sh_buf_puts(b, "<h1>Skills supply versus demand</h1>\n") || view_nav(req, 1) ||
	     filter_form(req, intel, "/intelligence/supply") ||
	     sh_buf_printf(b, "<p><strong>%lld</strong> ads match (duplicates not counted); <strong>%lld</strong> "
	                      "approved courses are offered there (online courses count everywhere). A course teaches a "
	                      "skill when the skill or a narrower one is among its accepted skills; gap = share of ads "
	                      "/ (1 + courses). JSON: <a href=\"/api/v1/supply\">/api/v1/supply</a> with the same "
	                      "parameters.</p>\n", (long long)s.total_ads, (long long)s.total_courses);
	if (!rc && s.n)
		rc = sh_report_supply_charts(b, intel, agg, db, &f, &s) || sh_buf_puts(b, "<h2>Skills by gap</h2>\n") ||
		     supply_table(b, &s);
	else if (!rc)
		rc = sh_buf_puts(b, "<p>No skill asked in the ads that match.</p>\n");
	sh_supply_free(&s);
	rc = rc || sh_html_end(req);
	return rc ? (rc < 0 ? rc : sh_error(SH_ENOMEM, "out of memory (supply page)"))
	          : sh_reply_ok(req, "text/html; charset=utf-8");
}

int sh_page_supply(sh_request *req)
{
	const sh_agg *agg;
	const sh_intel *intel;
	sh_db *db;
	size_t limit;
	int rc = sh_param_size(req, "limit", 20, 1, 200, &limit);
	if (rc)
		return rc;
	if (sh_dbconn_get(&db) || sh_intel_service_acquire(&agg, &intel))
		return sh_reply_problem(req, 503, "unavailable", NULL, "%s", sh_errmsg());
	rc = render_supply(req, intel, agg, db, limit);
	sh_intel_service_release();
	return rc;
}
