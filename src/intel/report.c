/*
 * intel/report.c - rendering the reports (report.h).
 *
 * Each report runs its query once, then renders it in the format asked.
 * JSON is built with jansson (keys in a fixed order); CSV follows RFC 4180
 * (a field with a comma, quote or line break is quoted, quotes doubled);
 * HTML is one document with an inline style sheet and inline SVG, so it can
 * be mailed or archived as a single file.
 */
#include "intel/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "intel/query.h"
#include "intel/supply.h"
#include "intel/svg.h"
#include "server/html.h"

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}"
	"main{max-width:960px;margin:0 auto;padding:1rem}"
	"h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}"
	"table{border-collapse:collapse;width:100%;margin:1rem 0}"
	"th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	".meta{color:#555}figure.chart{margin:1rem 0}figcaption{color:#555;font-size:.9rem}"
	"footer{max-width:960px;margin:2rem auto;padding:1rem;color:#555;border-top:1px solid #ddd}";

/* ---- shared pieces ------------------------------------------------------------------------ */

static const char *const filter_names[] = {
	"period_from", "period_to", "country", "region", "occupation", "sector", "skill_group", "collection"
};

static const char *filter_value(const sh_intel_filter *f, size_t i)
{
	const char *v[] = { f->period_from, f->period_to, f->country, f->region, f->occupation, f->sector,
	                    f->skill_group, f->collection };
	return v[i];
}

static json_t *filter_json(const sh_intel_filter *f)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < 8; i++)
		if (filter_value(f, i))
			json_object_set_new(o, filter_names[i], json_string(filter_value(f, i)));
	return o;
}

static json_t *skill_json(const sh_skill_demand *s)
{
	json_t *o = json_pack("{s:s,s:s,s:I,s:f}", "uri", s->uri, "label", s->label, "ads", (json_int_t)s->ads,
	                      "share", s->share);
	if (o && s->relation && *s->relation)
		json_object_set_new(o, "esco_relation", json_string(s->relation));
	return o;
}

static json_t *skills_json(const sh_skill_demand *s, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, skill_json(&s[i]));
	return a;
}

json_t *sh_report_demand_json(const sh_demand *d, const sh_intel_filter *f)
{
	return json_pack("{s:s,s:o,s:I,s:o,s:s}", "report", "demand", "filter", filter_json(f),
	                 "total_ads", (json_int_t)d->total_ads, "skills", skills_json(d->skills, d->n),
	                 "attribution", SH_ESCO_ATTRIBUTION);
}

static int put_json(sh_buf *out, json_t *o)
{
	if (!o)
		return sh_error(SH_ENOMEM, "out of memory (report)");
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(o);
	int rc = s && !sh_buf_puts(out, s) && !sh_buf_putc(out, '\n') ? SH_OK
	         : sh_error(SH_ENOMEM, "out of memory (report)");
	free(s);
	return rc;
}

static int csv_field(sh_buf *b, const char *s, int last)
{
	int rc = SH_OK;
	if (strpbrk(s, ",\"\r\n")) {
		rc = sh_buf_putc(b, '"');
		for (const char *p = s; !rc && *p; p++)
			rc = *p == '"' ? sh_buf_puts(b, "\"\"") : sh_buf_putc(b, *p);
		rc = rc || sh_buf_putc(b, '"');
	} else {
		rc = sh_buf_puts(b, s);
	}
	return rc || sh_buf_puts(b, last ? "\r\n" : ",");
}

static int html_begin(sh_buf *b, const char *title, const char *origin, const sh_intel_filter *f)
{
	int rc = sh_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	                        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>") ||
	         sh_html_puts(b, title) || sh_buf_printf(b, "</title><style>%s</style></head><body><main><h1>", style) ||
	         sh_html_puts(b, title) || sh_buf_puts(b, "</h1><p class=\"meta\">Source: ") ||
	         sh_html_puts(b, origin ? origin : "database") || sh_buf_puts(b, ". Filters:");
	int any = 0;
	for (size_t i = 0; !rc && i < 8; i++) {
		if (!filter_value(f, i))
			continue;
		rc = sh_buf_printf(b, "%s %s = ", any ? "," : "", filter_names[i]) ||
		     sh_html_puts(b, filter_value(f, i));
		any = 1;
	}
	return rc || sh_buf_puts(b, any ? ".</p>\n" : " none.</p>\n");
}

static int html_end(sh_buf *b)
{
	return sh_buf_puts(b, "</main><footer>" SH_ESCO_ATTRIBUTION "</footer></body></html>\n");
}

static int html_skill_table(sh_buf *b, const sh_skill_demand *s, size_t n, int with_relation)
{
	int rc = sh_buf_printf(b, "<table><thead><tr><th>Skill</th><th class=\"n\">Ads</th>"
	                          "<th class=\"n\">Share</th>%s</tr></thead><tbody>\n",
	                       with_relation ? "<th>In ESCO</th>" : "");
	for (size_t i = 0; !rc && i < n; i++) {
		rc = sh_buf_puts(b, "<tr><td><a href=\"") || sh_html_puts(b, s[i].uri) ||
		     sh_buf_puts(b, "\">") || sh_html_puts(b, s[i].label) ||
		     sh_buf_printf(b, "</a></td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td>",
		                   (long long)s[i].ads, 100 * s[i].share);
		if (!rc && with_relation)
			rc = sh_buf_printf(b, "<td>%s</td>", *s[i].relation ? s[i].relation : "not in ESCO");
		rc = rc || sh_buf_puts(b, "</tr>\n");
	}
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

/* ---- charts -------------------------------------------------------------------------------- */

static int series_chart(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f,
                        const char *const *uris, size_t n, const char *title)
{
	sh_series s;
	int rc = sh_intel_series(in, agg, f, uris, n, &s);
	if (rc)
		return rc;
	const char **periods = malloc((s.nperiods + 1) * sizeof *periods);
	double *share = malloc((s.nperiods * s.nskills + 1) * sizeof *share);
	if (!periods || !share) {
		rc = sh_error(SH_ENOMEM, "out of memory (chart)");
	} else if (s.nperiods) {
		for (size_t p = 0; p < s.nperiods; p++)
			periods[p] = s.period[p];
		for (size_t k = 0; k < s.nskills; k++)
			for (size_t p = 0; p < s.nperiods; p++)
				share[k * s.nperiods + p] = s.total[p] ? (double)s.ads[k * s.nperiods + p] / (double)s.total[p] : 0;
		rc = sh_svg_lines(out, title, periods, s.nperiods, s.label, share, s.nskills) ? SH_ENOMEM : SH_OK;
	}
	free(periods);
	free(share);
	sh_series_free(&s);
	return rc;
}

static int heat_chart(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f)
{
	sh_heat h;
	int rc = sh_intel_heat(in, agg, f, 12, 8, &h);
	if (rc)
		return rc;
	double *v = malloc((h.nrows * h.ncols + 1) * sizeof *v);
	if (!v) {
		rc = sh_error(SH_ENOMEM, "out of memory (heat table)");
	} else if (h.nrows && h.ncols) {
		for (size_t r = 0; r < h.nrows; r++)
			for (size_t c = 0; c < h.ncols; c++)
				v[r * h.ncols + c] = h.ads[r] ? (double)h.mentions[r * h.ncols + c] / (double)h.ads[r] : 0;
		rc = sh_svg_heat(out, "Skills asked per ad, by region and skill group", h.region, h.nrows,
		                 h.column, h.ncols, v) ? SH_ENOMEM : SH_OK;
	}
	free(v);
	sh_heat_free(&h);
	return rc;
}

int sh_report_demand_charts(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f,
                            const sh_demand *d)
{
	size_t nbars = d->n < 20 ? d->n : 20, nlines = d->n < 5 ? d->n : 5;
	const char **labels = malloc((nbars + 1) * sizeof *labels), **uris = malloc((nbars + 1) * sizeof *uris);
	double *share = malloc((nbars + 1) * sizeof *share);
	int rc = labels && uris && share ? SH_OK : sh_error(SH_ENOMEM, "out of memory (chart)");
	for (size_t i = 0; !rc && i < nbars; i++) {
		labels[i] = d->skills[i].label;
		uris[i] = d->skills[i].uri;
		share[i] = d->skills[i].share;
	}
	if (!rc && nbars)
		rc = sh_svg_bars(out, "Top skills: share of ads asking for each", labels, share, nbars) ? SH_ENOMEM : SH_OK;
	if (!rc && nlines)
		rc = series_chart(out, in, agg, f, uris, nlines, "Share of ads per month, top 5 skills");
	if (!rc)
		rc = heat_chart(out, in, agg, f);
	free(labels);
	free(uris);
	free(share);
	return rc;
}

/* ---- demand, trends, occupation ----------------------------------------------------------------- */

static size_t limit_of(const sh_report_opts *o)
{
	return o->limit ? o->limit : 50;
}

/* One row per skill: uri, label, ads, share, total_ads. */
static int demand_csv(sh_buf *out, const sh_demand *d)
{
	int rc = sh_buf_puts(out, "uri,label,ads,share,total_ads\r\n");
	for (size_t i = 0; !rc && i < d->n; i++)
		rc = csv_field(out, d->skills[i].uri, 0) || csv_field(out, d->skills[i].label, 0) ||
		     sh_buf_printf(out, "%lld,%.6f,%lld\r\n", (long long)d->skills[i].ads, d->skills[i].share,
		                   (long long)d->total_ads);
	return rc;
}

static int demand_report(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o)
{
	sh_demand d;
	int rc = sh_intel_demand(in, agg, &o->filter, limit_of(o), &d);
	if (rc)
		return rc;
	switch (o->format) {
	case SH_REPORT_JSON:
		rc = put_json(out, sh_report_demand_json(&d, &o->filter));
		break;
	case SH_REPORT_CSV:
		rc = demand_csv(out, &d);
		break;
	case SH_REPORT_HTML:
		rc = html_begin(out, "Skills demand", o->origin, &o->filter) ||
		     sh_buf_printf(out, "<p><strong>%lld</strong> ads (duplicates not counted).</p>\n",
		                   (long long)d.total_ads) ||
		     sh_report_demand_charts(out, in, agg, &o->filter, &d) ||
		     sh_buf_puts(out, "<h2>Skills</h2>") || html_skill_table(out, d.skills, d.n, 0) || html_end(out);
		break;
	}
	sh_demand_free(&d);
	return rc ? (rc < 0 ? rc : sh_error(SH_ENOMEM, "out of memory (report)")) : SH_OK;
}

static json_t *trend_json(const sh_trend *t)
{
	return json_pack("{s:s,s:s,s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:s,s:b}", "uri", t->uri, "label", t->label,
	                 "ads_a", (json_int_t)t->ads_a, "ads_b", (json_int_t)t->ads_b, "share_a", t->share_a,
	                 "share_b", t->share_b, "g", t->g, "p", t->p, "q", t->q,
	                 "direction", t->direction > 0 ? "emerging" : t->direction < 0 ? "declining" : "stable",
	                 "significant", t->significant);
}

static int html_trend_table(sh_buf *b, const sh_trends *t, int direction, size_t limit)
{
	int rc = sh_buf_printf(b, "<h2>%s skills</h2><table><thead><tr><th>Skill</th><th class=\"n\">Share a</th>"
	                          "<th class=\"n\">Share b</th><th class=\"n\">G</th><th class=\"n\">q (BH)</th>"
	                          "</tr></thead><tbody>\n", direction > 0 ? "Emerging" : "Declining");
	size_t shown = 0;
	for (size_t i = 0; !rc && i < t->n && shown < limit; i++) {
		const sh_trend *s = &t->skills[i];
		if (!s->significant || s->direction != direction)
			continue;
		shown++;
		rc = sh_buf_puts(b, "<tr><td>") || sh_html_puts(b, s->label) ||
		     sh_buf_printf(b, "</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.2f</td>"
		                      "<td class=\"n\">%.2g</td></tr>\n", 100 * s->share_a, 100 * s->share_b, s->g, s->q);
	}
	if (!rc && !shown)
		rc = sh_buf_puts(b, "<tr><td colspan=\"5\">None significant.</td></tr>\n");
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

static int trends_html(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o,
                       const sh_trends *t)
{
	const sh_trend_query *q = &o->trend;
	int rc = html_begin(out, "Emerging and declining skills", o->origin, &o->filter) ||
	         sh_buf_puts(out, "<p>Range a: ") || sh_html_puts(out, q->a_from) || sh_buf_puts(out, " to ") ||
	         sh_html_puts(out, q->a_to) ||
	         sh_buf_printf(out, " (%lld ads); range b: ", (long long)t->total_a) || sh_html_puts(out, q->b_from) ||
	         sh_buf_puts(out, " to ") || sh_html_puts(out, q->b_to) ||
	         sh_buf_printf(out, " (%lld ads). %zu skills tested (asked in at least %lld ads of both ranges); "
	                            "G-test per skill, Benjamini-Hochberg over all of them, significant when "
	                            "q &lt; %g.</p>\n", (long long)t->total_b, t->tested,
	                       (long long)(q->min_ads > 0 ? q->min_ads : 10), q->alpha > 0 ? q->alpha : 0.05);
	const char *uris[5];
	size_t n = 0;
	for (size_t i = 0; i < t->n && n < 5; i++)
		if (t->skills[i].significant)
			uris[n++] = t->skills[i].uri;
	if (!rc && n) {
		sh_intel_filter span = o->filter;
		span.period_from = q->a_from;
		span.period_to = q->b_to;
		rc = series_chart(out, in, agg, &span, uris, n, "Share of ads per month, most significant changes");
	}
	return rc || html_trend_table(out, t, 1, limit_of(o)) || html_trend_table(out, t, -1, limit_of(o)) ||
	       html_end(out);
}

static int trends_report(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o)
{
	sh_trends t;
	int rc = sh_intel_trends(in, agg, &o->filter, &o->trend, &t);
	if (rc)
		return rc;
	size_t n = t.n < limit_of(o) ? t.n : limit_of(o);
	if (o->format == SH_REPORT_JSON) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < n; i++)
			json_array_append_new(a, trend_json(&t.skills[i]));
		rc = put_json(out, json_pack("{s:s,s:o,s:{s:s,s:s,s:I},s:{s:s,s:s,s:I},s:I,s:f,s:I,s:o,s:s}",
			"report", "trends", "filter", filter_json(&o->filter),
			"a", "from", o->trend.a_from, "to", o->trend.a_to, "ads", (json_int_t)t.total_a,
			"b", "from", o->trend.b_from, "to", o->trend.b_to, "ads", (json_int_t)t.total_b,
			"min_ads", (json_int_t)(o->trend.min_ads > 0 ? o->trend.min_ads : 10),
			"alpha", o->trend.alpha > 0 ? o->trend.alpha : 0.05, "tested", (json_int_t)t.tested,
			"skills", a, "attribution", SH_ESCO_ATTRIBUTION));
	} else if (o->format == SH_REPORT_CSV) {
		rc = sh_buf_puts(out, "uri,label,ads_a,ads_b,share_a,share_b,g,p,q,direction,significant\r\n");
		for (size_t i = 0; !rc && i < n; i++) {
			const sh_trend *s = &t.skills[i];
			rc = csv_field(out, s->uri, 0) || csv_field(out, s->label, 0) ||
			     sh_buf_printf(out, "%lld,%lld,%.6f,%.6f,%.6f,%.6g,%.6g,%s,%d\r\n", (long long)s->ads_a,
			                   (long long)s->ads_b, s->share_a, s->share_b, s->g, s->p, s->q,
			                   s->direction > 0 ? "emerging" : s->direction < 0 ? "declining" : "stable",
			                   s->significant) ? SH_ENOMEM : SH_OK;
		}
	} else {
		rc = trends_html(out, in, agg, o, &t);
	}
	sh_trends_free(&t);
	return rc ? (rc < 0 ? rc : sh_error(SH_ENOMEM, "out of memory (report)")) : SH_OK;
}

static int occupation_html(sh_buf *out, const sh_occupation_report *r, const sh_report_opts *o)
{
	size_t n = r->seen.n < limit_of(o) ? r->seen.n : limit_of(o), nbars = n < 20 ? n : 20;
	const char *labels[20];
	double share[20];
	for (size_t i = 0; i < nbars; i++) {
		labels[i] = r->seen.skills[i].label;
		share[i] = r->seen.skills[i].share;
	}
	int rc = html_begin(out, "Occupation: skills in ads and in ESCO", o->origin, &o->filter) ||
	         sh_buf_puts(out, "<h2>") || sh_html_puts(out, r->label) ||
	         sh_buf_printf(out, "</h2><p><strong>%lld</strong> ads. ESCO essential skills asked: %zu of %zu; "
	                            "optional: %zu of %zu; skills asked that ESCO does not list: %zu.</p>\n",
	                       (long long)r->seen.total_ads, r->essential_seen, r->essential, r->optional_seen,
	                       r->optional, r->not_in_esco);
	if (!rc && nbars)
		rc = sh_svg_bars(out, "Skills asked in this occupation's ads", labels, share, nbars);
	rc = rc || sh_buf_puts(out, "<h2>Skills asked</h2>") || html_skill_table(out, r->seen.skills, n, 1) ||
	     sh_buf_puts(out, "<h2>Essential skills never asked</h2><ul>\n");
	for (size_t i = 0; !rc && i < r->nnever_asked; i++)
		rc = sh_buf_puts(out, "<li>") || sh_html_puts(out, r->never_asked[i].label) || sh_buf_puts(out, "</li>\n");
	return rc || sh_buf_puts(out, r->nnever_asked ? "</ul>\n" : "<li>None.</li></ul>\n") || html_end(out);
}

static int occupation_report(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o)
{
	sh_occupation_report r;
	int rc = sh_intel_occupation(in, agg, &o->filter, &r);
	if (rc)
		return rc;
	size_t n = r.seen.n < limit_of(o) ? r.seen.n : limit_of(o);
	if (o->format == SH_REPORT_JSON) {
		rc = put_json(out, json_pack("{s:s,s:o,s:{s:s,s:s},s:I,s:I,s:I,s:f,s:I,s:I,s:I,s:o,s:o,s:s}",
			"report", "occupation", "filter", filter_json(&o->filter),
			"occupation", "uri", r.uri, "label", r.label, "total_ads", (json_int_t)r.seen.total_ads,
			"essential", (json_int_t)r.essential, "essential_seen", (json_int_t)r.essential_seen,
			"essential_coverage", r.essential ? (double)r.essential_seen / (double)r.essential : 0.0,
			"optional", (json_int_t)r.optional, "optional_seen", (json_int_t)r.optional_seen,
			"not_in_esco", (json_int_t)r.not_in_esco, "skills", skills_json(r.seen.skills, n),
			"essential_never_asked", skills_json(r.never_asked, r.nnever_asked),
			"attribution", SH_ESCO_ATTRIBUTION));
	} else if (o->format == SH_REPORT_CSV) {
		rc = sh_buf_puts(out, "uri,label,ads,share,esco_relation\r\n");
		for (size_t i = 0; !rc && i < n + r.nnever_asked; i++) {
			const sh_skill_demand *s = i < n ? &r.seen.skills[i] : &r.never_asked[i - n];
			rc = csv_field(out, s->uri, 0) || csv_field(out, s->label, 0) ||
			     sh_buf_printf(out, "%lld,%.6f,", (long long)s->ads, s->share) ||
			     csv_field(out, *s->relation ? s->relation : "none", 1) ? SH_ENOMEM : SH_OK;
		}
	} else {
		rc = occupation_html(out, &r, o);
	}
	sh_occupation_report_free(&r);
	return rc ? (rc < 0 ? rc : sh_error(SH_ENOMEM, "out of memory (report)")) : SH_OK;
}

/* ---- co-occurrence ----------------------------------------------------------------- */

json_t *sh_report_cooccur_json(const sh_intel *in, const char *skill, const sh_demand *d, const sh_intel_filter *f)
{
	const char *label = sh_intel_skill_label(in, skill);
	return json_pack("{s:s,s:{s:s,s:s},s:o,s:I,s:o,s:s}", "report", "cooccurrence", "skill", "uri", skill,
	                 "label", label ? label : skill, "filter", filter_json(f), "total_ads", (json_int_t)d->total_ads,
	                 "skills", skills_json(d->skills, d->n), "attribution", SH_ESCO_ATTRIBUTION);
}

static int cooccur_html(sh_buf *out, const sh_demand *d, const char *label, const sh_report_opts *o)
{
	size_t nbars = d->n < 20 ? d->n : 20;
	const char *labels[20];
	double share[20];
	for (size_t i = 0; i < nbars; i++) {
		labels[i] = d->skills[i].label;
		share[i] = d->skills[i].share;
	}
	int rc = html_begin(out, "Skills asked together", o->origin, &o->filter) ||
	         sh_buf_printf(out, "<p><strong>%lld</strong> ads ask for <strong>", (long long)d->total_ads) ||
	         sh_html_puts(out, label) ||
	         sh_buf_printf(out, "</strong>. Share: ads asking for both skills / ads asking for this one. "
	                            "Pairs are counted per month among the %d best-scored skills of each ad, so only "
	                            "the period filters apply.</p>\n", SH_AGG_PAIR_SKILLS);
	if (!rc && nbars)
		rc = sh_svg_bars(out, "Skills asked together with this one: share of its ads", labels, share, nbars);
	return rc || sh_buf_puts(out, "<h2>Skills</h2>") || html_skill_table(out, d->skills, d->n, 0) ||
	       html_end(out);
}

static int cooccur_report(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o)
{
	const char *label = sh_intel_skill_label(in, o->skill);
	if (!label)
		return sh_error(SH_EINVAL, "skill '%s': no such ESCO skill", o->skill ? o->skill : "");
	sh_demand d;
	int rc = sh_intel_cooccur(in, agg, o->skill, &o->filter, limit_of(o), &d);
	if (rc)
		return rc;
	if (o->format == SH_REPORT_JSON)
		rc = put_json(out, sh_report_cooccur_json(in, o->skill, &d, &o->filter));
	else if (o->format == SH_REPORT_CSV)
		rc = demand_csv(out, &d);
	else
		rc = cooccur_html(out, &d, label, o);
	sh_demand_free(&d);
	return rc ? (rc < 0 ? rc : sh_error(SH_ENOMEM, "out of memory (report)")) : SH_OK;
}

/* ---- supply versus demand ------------------------------------------------------------ */

json_t *sh_report_supply_json(const sh_supply *s, const sh_intel_filter *f)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->n; i++) {
		const sh_skill_supply *k = &s->skills[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:f,s:I,s:f}", "uri", k->uri, "label", k->label,
		                                   "ads", (json_int_t)k->ads, "share", k->share,
		                                   "courses", (json_int_t)k->courses, "gap", k->gap));
	}
	return json_pack("{s:s,s:o,s:I,s:I,s:o,s:s}", "report", "supply", "filter", filter_json(f),
	                 "total_ads", (json_int_t)s->total_ads, "total_courses", (json_int_t)s->total_courses,
	                 "skills", a, "attribution", SH_ESCO_ATTRIBUTION);
}

/* Country x skill: ads asking / courses teaching, as an HTML table. */
static int areas_table(sh_buf *b, const sh_supply_areas *a)
{
	int rc = sh_buf_puts(b, "<h2>By country: ads asking for the skill / courses teaching it</h2>"
	                        "<table class=\"skills supply-areas\"><thead><tr><th>Country</th><th class=\"n\">Ads</th>");
	for (size_t c = 0; !rc && c < a->ncols; c++)
		rc = sh_buf_puts(b, "<th class=\"n\">") || sh_html_puts(b, a->label[c]) || sh_buf_puts(b, "</th>");
	rc = rc || sh_buf_puts(b, "</tr></thead><tbody>\n");
	for (size_t r = 0; !rc && r < a->nrows; r++) {
		rc = sh_buf_puts(b, "<tr><th>") || sh_html_puts(b, a->country[r]) ||
		     sh_buf_printf(b, "</th><td class=\"n\">%lld</td>", (long long)a->row_ads[r]);
		for (size_t c = 0; !rc && c < a->ncols; c++)
			rc = sh_buf_printf(b, "<td class=\"n\">%lld&nbsp;/&nbsp;%lld</td>", (long long)a->ads[r * a->ncols + c],
			                   (long long)a->courses[r * a->ncols + c]);
		rc = rc || sh_buf_puts(b, "</tr>\n");
	}
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

int sh_report_supply_charts(sh_buf *out, const sh_intel *in, const sh_agg *agg, sh_db *db,
                            const sh_intel_filter *f, const sh_supply *s)
{
	size_t nbars = s->n < 15 ? s->n : 15, ncols = s->n < 8 ? s->n : 8;
	const char *labels[15], *uris[15];
	double share[15];
	int64_t courses[15];
	for (size_t i = 0; i < nbars; i++) {
		labels[i] = s->skills[i].label;
		uris[i] = s->skills[i].uri;
		share[i] = s->skills[i].share;
		courses[i] = s->skills[i].courses;
	}
	if (!nbars)
		return SH_OK;
	if (sh_svg_versus(out, "The skills most in demand with the least training: share of ads and courses",
	                  labels, nbars, share, courses))
		return sh_error(SH_ENOMEM, "out of memory (chart)");
	sh_supply_areas a;
	int rc = sh_intel_supply_areas(in, agg, db, f, uris, ncols, 12, &a);
	if (rc)
		return rc;
	if (a.nrows && areas_table(out, &a))
		rc = sh_error(SH_ENOMEM, "out of memory (supply table)");
	sh_supply_areas_free(&a);
	return rc;
}

static int supply_html(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o,
                       const sh_supply *s)
{
	int rc = html_begin(out, "Skills supply versus demand", o->origin, &o->filter) ||
	         sh_buf_printf(out, "<p><strong>%lld</strong> ads (duplicates not counted) against <strong>%lld</strong> "
	                            "approved courses offered there (online courses count everywhere). A course "
	                            "teaches a skill when the skill or a narrower one is among its accepted skills. "
	                            "Gap = share of ads / (1 + courses).</p>\n",
	                       (long long)s->total_ads, (long long)s->total_courses);
	if (!rc)
		rc = sh_report_supply_charts(out, in, agg, o->db, &o->filter, s);
	rc = rc || sh_buf_puts(out, "<h2>Skills</h2><table><thead><tr><th>Skill</th><th class=\"n\">Ads</th>"
	                            "<th class=\"n\">Share</th><th class=\"n\">Courses</th><th class=\"n\">Gap</th>"
	                            "</tr></thead><tbody>\n");
	for (size_t i = 0; !rc && i < s->n; i++) {
		const sh_skill_supply *k = &s->skills[i];
		rc = sh_buf_puts(out, "<tr><td><a href=\"") || sh_html_puts(out, k->uri) || sh_buf_puts(out, "\">") ||
		     sh_html_puts(out, k->label) ||
		     sh_buf_printf(out, "</a></td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td>"
		                        "<td class=\"n\">%lld</td><td class=\"n\">%.4f</td></tr>\n", (long long)k->ads,
		                   100 * k->share, (long long)k->courses, k->gap);
	}
	return rc || sh_buf_puts(out, "</tbody></table>\n") || html_end(out);
}

static int supply_report(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o)
{
	sh_supply s;
	int rc = sh_intel_supply(in, agg, o->db, &o->filter, limit_of(o), &s);
	if (rc)
		return rc;
	if (o->format == SH_REPORT_JSON) {
		rc = put_json(out, sh_report_supply_json(&s, &o->filter));
	} else if (o->format == SH_REPORT_CSV) {
		rc = sh_buf_puts(out, "uri,label,ads,share,courses,gap,total_ads,total_courses\r\n");
		for (size_t i = 0; !rc && i < s.n; i++) {
			const sh_skill_supply *k = &s.skills[i];
			rc = csv_field(out, k->uri, 0) || csv_field(out, k->label, 0) ||
			     sh_buf_printf(out, "%lld,%.6f,%lld,%.6f,%lld,%lld\r\n", (long long)k->ads, k->share,
			                   (long long)k->courses, k->gap, (long long)s.total_ads,
			                   (long long)s.total_courses) ? SH_ENOMEM : SH_OK;
		}
	} else {
		rc = supply_html(out, in, agg, o, &s);
	}
	sh_supply_free(&s);
	return rc ? (rc < 0 ? rc : sh_error(SH_ENOMEM, "out of memory (report)")) : SH_OK;
}

int sh_report(sh_buf *out, const sh_intel *in, const sh_agg *agg, const sh_report_opts *o)
{
	switch (o->kind) {
	case SH_REPORT_TRENDS:     return trends_report(out, in, agg, o);
	case SH_REPORT_OCCUPATION: return occupation_report(out, in, agg, o);
	case SH_REPORT_COOCCURRENCE: return cooccur_report(out, in, agg, o);
	case SH_REPORT_SUPPLY:     return supply_report(out, in, agg, o);
	default:                   return demand_report(out, in, agg, o);
	}
}
