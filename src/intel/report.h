/*
 * intel/report.h - demand, trends, occupation, co-occurrence and supply
 * versus demand reports rendered as a
 * self-contained HTML document (inline CSS, the project's SVG charts, the
 * ESCO attribution), CSV or JSON; shared by `skillhub report` and the
 * server (/api/v1/demand, /intelligence).
 */
#ifndef SH_INTEL_REPORT_H
#define SH_INTEL_REPORT_H

#include <jansson.h>

#include "core/buf.h"
#include "skillhub/intel.h"

typedef enum sh_report_kind {
	SH_REPORT_DEMAND, SH_REPORT_TRENDS, SH_REPORT_OCCUPATION, SH_REPORT_COOCCURRENCE, SH_REPORT_SUPPLY
} sh_report_kind;
typedef enum sh_report_format { SH_REPORT_HTML, SH_REPORT_CSV, SH_REPORT_JSON } sh_report_format;

typedef struct sh_report_opts {
	sh_report_kind   kind;
	sh_report_format format;
	sh_intel_filter  filter;
	size_t           limit;  /* skills listed; 0 = 50 */
	sh_trend_query   trend;  /* SH_REPORT_TRENDS: the two ranges, min_ads, alpha */
	const char      *origin; /* where the aggregate came from ("db.sqlite", "all.agg") */
	const char      *skill;  /* SH_REPORT_COOCCURRENCE: the skill (URI) the others co-occur with */
	sh_db           *db;     /* SH_REPORT_SUPPLY: the database holding the training catalogue */
} sh_report_opts;

#define SH_ESCO_ATTRIBUTION "This service uses the ESCO classification of the European Commission."

/* Appends the whole report to out. */
int sh_report(sh_buf *out, const sh_intel *intel, const sh_agg *agg, const sh_report_opts *o);

/* {"filter": {...}, "total_ads": n, "skills": [{uri, label, ads, share}], "attribution": ...}; NULL on ENOMEM. */
json_t *sh_report_demand_json(const sh_demand *d, const sh_intel_filter *f);

/* {"report": "cooccurrence", "skill": {uri, label}, "filter", "total_ads", "skills", ...}; NULL on ENOMEM. */
json_t *sh_report_cooccur_json(const sh_intel *intel, const char *skill, const sh_demand *d,
                               const sh_intel_filter *f);

/* {"report": "supply", "filter", "total_ads", "total_courses", "skills": [{uri, label, ads, share,
 * courses, gap}], "attribution"}; NULL on ENOMEM. */
json_t *sh_report_supply_json(const sh_supply *s, const sh_intel_filter *f);

/*
 * The supply charts as an HTML fragment: demand against supply of s's first
 * 15 skills (SVG) and a table country x skill (ads / courses) of its first 8.
 */
int sh_report_supply_charts(sh_buf *out, const sh_intel *intel, const sh_agg *agg, sh_db *db,
                            const sh_intel_filter *f, const sh_supply *s);

/*
 * The demand charts as an HTML fragment: bars of d's first 20 skills, the
 * monthly share of its first 5, the heat table region x skill group.
 */
int sh_report_demand_charts(sh_buf *out, const sh_intel *intel, const sh_agg *agg,
                            const sh_intel_filter *f, const sh_demand *d);

#endif
