/*
 * server/pages_intel.c - the Intelligence page (GET /intelligence): skills
 * demand in stored job ads, filtered by a GET form, with the same SVG
 * charts and table as `skillhub report demand` (intel/report.h).
 */
#include "server/intel_service.h"

#include <string.h>

#include "core/error.h"
#include "intel/intel.h"
#include "intel/report.h"
#include "server/html.h"

/* One labelled text input of the filter form, keeping the request's value. */
static int text_input(sh_request *req, const char *name, const char *label, const char *hint)
{
	const char *v = sh_http_query_get(&req->query, name);
	sh_buf *b = &req->body;
	return sh_buf_printf(b, "<div><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" maxlength=\"512\" "
	                        "placeholder=\"%s\" value=\"", name, label, name, name, hint) ||
	       sh_html_puts(b, v ? v : "") || sh_buf_puts(b, "\"></div>\n");
}

static int filter_form(sh_request *req, const sh_intel *intel)
{
	const char *coll = sh_http_query_get(&req->query, "collection");
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<form class=\"search\" method=\"get\" action=\"/intelligence\">\n") ||
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
	     sh_buf_puts(b, "<h1>Skills demand in job ads</h1>\n") || filter_form(req, intel) ||
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
