/*
 * skillhub/intel.h - skills-demand intelligence from stored job ads
 * (docs/intelligence.md).
 *
 * An aggregate (sh_agg) counts the counted ads (ad.duplicate_of IS NULL) and
 * the ads asking for each skill, keyed by five dimensions: the month the ad
 * was posted ("YYYY-MM"), country, region, ESCO occupation URI and sector
 * ("" when unknown).  It also counts, per month, the ads asking for each pair
 * of skills, among the SH_AGG_PAIR_SKILLS highest-scored skills of each ad.
 *
 * Merge is exact: keys are strings (URIs, codes, names), never row ids, and
 * every value is a count, so merging the aggregates of two disjoint sets of
 * ads gives the aggregate of their union, in any order and grouping.  The
 * co-occurrence bound is applied per ad (a property of the ad alone), never
 * by truncating a table, so it keeps that law.  Quarters, years and ISCO
 * groups are derived at query time.
 *
 * A file "*.agg" stores an aggregate canonically (records sorted), zlib
 * compressed, with a format version and a CRC-32 of the content.
 *
 * Queries (sh_intel_*) read an aggregate with the taxonomy of a database
 * (labels, ISCO codes, skill groups, collections, occupation-skill
 * relations), loaded once into an sh_intel; sh_intel_supply also reads the
 * training catalogue of a database.  An sh_agg and an sh_intel are
 * read-only once built and may then be shared by threads.
 */
#ifndef SKILLHUB_INTEL_H
#define SKILLHUB_INTEL_H

#include <stddef.h>
#include <stdint.h>

#include "skillhub/common.h"
#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the .agg file format written by sh_agg_write. */
#define SH_AGG_FORMAT_VERSION 1
/* Pairs are counted among an ad's first SH_AGG_PAIR_SKILLS skills (by score): <= 120 pairs per ad. */
#define SH_AGG_PAIR_SKILLS 16

typedef struct sh_agg sh_agg;

/* One counted ad; NULL strings mean unknown.  skills: URIs, highest score first. */
typedef struct sh_agg_ad {
	const char        *period;     /* "YYYY-MM" (a longer ISO date is cut to its month) */
	const char        *country;
	const char        *region;
	const char        *occupation; /* ESCO occupation URI */
	const char        *sector;
	const char *const *skills;
	size_t             nskills;
} sh_agg_ad;

/* Which ads of a database sh_agg_from_db counts; NULL fields do not filter. */
typedef struct sh_agg_select {
	const char *period_from; /* "YYYY-MM", inclusive */
	const char *period_to;   /* "YYYY-MM", inclusive */
	const char *country;
	const char *source;      /* ad_source.name */
} sh_agg_select;

int  sh_agg_new(sh_agg **out);
void sh_agg_free(sh_agg *agg);

/* Counts one ad (duplicate skills in the list are counted once). */
int  sh_agg_add_ad(sh_agg *agg, const sh_agg_ad *ad);

/* Aggregate of the counted ads of db that sel selects (sel may be NULL); SH_ENOTFOUND for an unknown source. */
int  sh_agg_from_db(sh_agg **out, sh_db *db, const sh_agg_select *sel);

/* Adds every count of from into into. */
int  sh_agg_merge(sh_agg *into, const sh_agg *from);

/* Number of counted ads in the aggregate. */
int64_t sh_agg_total_ads(const sh_agg *agg);

/* The canonical text of the aggregate (the uncompressed file content); caller frees. */
int  sh_agg_to_text(const sh_agg *agg, char **out, size_t *len);

/* Writes / reads a .agg file (atomic write; read checks version, size and checksum). */
int  sh_agg_write(const sh_agg *agg, const char *path);
int  sh_agg_read(sh_agg **out, const char *path);
/* sh_agg_read from memory; name is used in error messages. */
int  sh_agg_parse(sh_agg **out, const void *data, size_t size, const char *name);

/* ---- queries ------------------------------------------------------------------ */

typedef struct sh_intel sh_intel;

/* Loads what queries need from the taxonomy of db; labels in lang ("en"). */
int  sh_intel_open(sh_intel **out, sh_db *db, const char *lang);
void sh_intel_free(sh_intel *intel);

/*
 * Which ads and skills a query counts; NULL fields do not filter.  Periods
 * are "YYYY", "YYYY-Qn" or "YYYY-MM" (from: the first month; to: the last).
 * occupation is an occupation URI or an ISCO group code of 1 to 4 digits;
 * skill_group a skill-group URI (its skills at any depth); collection a
 * collection key (digital, green, transversal, ...).
 */
typedef struct sh_intel_filter {
	const char *period_from;
	const char *period_to;
	const char *country;
	const char *region;
	const char *occupation;
	const char *sector;
	const char *skill_group;
	const char *collection;
} sh_intel_filter;

/* Checks the filter's syntax and that its URIs/keys exist; SH_EINVAL names the field. */
int  sh_intel_filter_check(const sh_intel *intel, const sh_intel_filter *f);

typedef struct sh_skill_demand {
	const char *uri;     /* borrowed from the sh_intel or the sh_agg */
	const char *label;   /* preferred label, or the URI when unknown to the taxonomy */
	int64_t     ads;     /* ads asking for the skill */
	double      share;   /* ads / total_ads (0 when no ads) */
	const char *relation;/* occupation reports: "essential", "optional" or "" */
} sh_skill_demand;

typedef struct sh_demand {
	int64_t          total_ads; /* ads that pass the filter's ad dimensions */
	sh_skill_demand *skills;    /* by ads descending, then URI */
	size_t           n;
} sh_demand;

void sh_demand_free(sh_demand *d);

/* Skill demand: the limit (0 = all) skills asked most under the filter. */
int  sh_intel_demand(const sh_intel *intel, const sh_agg *agg, const sh_intel_filter *f,
                     size_t limit, sh_demand *out);

/*
 * Skills co-occurring with skill (URI) in ads of the filter's period range
 * (pairs are kept per month only: the other ad dimensions do not apply).
 * total_ads = ads asking for skill; share = together / total_ads.
 */
int  sh_intel_cooccur(const sh_intel *intel, const sh_agg *agg, const char *skill,
                      const sh_intel_filter *f, size_t limit, sh_demand *out);

/* Skills of one occupation seen in ads compared with ESCO's. */
typedef struct sh_occupation_report {
	const char      *uri;
	const char      *label;
	sh_demand        seen;           /* skills asked in the occupation's ads, relation set */
	size_t           essential;      /* ESCO essential skills of the occupation */
	size_t           essential_seen; /* ... asked in at least one ad */
	size_t           optional;
	size_t           optional_seen;
	size_t           not_in_esco;    /* skills asked that ESCO does not relate to it */
	sh_skill_demand *never_asked;    /* essential skills no ad asked (ads = 0), by label */
	size_t           nnever_asked;
} sh_occupation_report;

/* f->occupation must be an occupation URI. */
int  sh_intel_occupation(const sh_intel *intel, const sh_agg *agg, const sh_intel_filter *f,
                         sh_occupation_report *out);
void sh_occupation_report_free(sh_occupation_report *r);

/*
 * Emerging and declining skills between two period ranges: for each skill
 * asked in at least min_ads ads of the two ranges together, the 2x2 table
 * (ads with / without the skill) x (range a / range b) is tested with the
 * likelihood-ratio G-test (1 degree of freedom); p-values are corrected with
 * Benjamini-Hochberg over every skill tested; a skill is significant when
 * q < alpha.  Ranges come from a_from..a_to and b_from..b_to; the other
 * fields of f filter as in sh_intel_demand.
 */
typedef struct sh_trend {
	const char *uri;
	const char *label;
	int64_t     ads_a, ads_b; /* ads asking for the skill in each range */
	double      share_a, share_b;
	double      g;            /* G statistic */
	double      p;            /* chi-square(1) tail of g */
	double      q;            /* Benjamini-Hochberg adjusted p */
	int         direction;    /* +1 emerging (share_b > share_a), -1 declining, 0 equal */
	int         significant;  /* q < alpha */
} sh_trend;

typedef struct sh_trends {
	int64_t   total_a, total_b; /* ads in each range */
	size_t    tested;           /* skills tested (the BH family) */
	sh_trend *skills;           /* significant first, by q then |share change| */
	size_t    n;
} sh_trends;

typedef struct sh_trend_query {
	const char *a_from, *a_to, *b_from, *b_to;
	int64_t     min_ads; /* default (0) = 10 */
	double      alpha;   /* default (0) = 0.05 */
} sh_trend_query;

int  sh_intel_trends(const sh_intel *intel, const sh_agg *agg, const sh_intel_filter *f,
                     const sh_trend_query *q, sh_trends *out);
void sh_trends_free(sh_trends *t);

/*
 * Supply versus demand (docs/intelligence.md): for each skill asked in the
 * ads that pass f, the approved courses of db's training catalogue that
 * teach it, offered where those ads are.  A course teaches a skill when the
 * skill, or a narrower skill of it (ESCO skill-to-skill broader links, any
 * depth), is among its accepted skills.  A course is offered at its NUTS
 * region, else in its provider's country; online courses are offered
 * everywhere.  f->country keeps courses of that country (NUTS EL and UK are
 * GR and GB); f->region keeps courses whose NUTS code and the region are
 * one a prefix of the other (a region that is not a NUTS code, such as a
 * town name, thus keeps only online courses).  Periods, occupation and
 * sector select ads only: the catalogue is what is offered now.
 *
 * gap = share / (1 + courses): the share of the ads asking for the skill
 * per course teaching it (plus one, so that a skill nobody teaches ranks by
 * its demand).  Skills are listed by gap, then ads, then URI.
 */
typedef struct sh_skill_supply {
	const char *uri;     /* borrowed from the sh_intel or the sh_agg */
	const char *label;
	int64_t     ads;     /* ads asking for the skill */
	double      share;   /* ads / total_ads */
	int64_t     courses; /* approved courses teaching it (or a narrower skill) offered there */
	double      gap;     /* share / (1 + courses) */
} sh_skill_supply;

typedef struct sh_supply {
	int64_t          total_ads;     /* ads that pass the filter's ad dimensions */
	int64_t          total_courses; /* approved courses offered there, whatever they teach */
	sh_skill_supply *skills;        /* by gap descending, then ads descending, then URI */
	size_t           n;
} sh_supply;

/* The limit (0 = all) skills with the largest gap; db holds the catalogue (migration 3). */
int  sh_intel_supply(const sh_intel *intel, const sh_agg *agg, sh_db *db, const sh_intel_filter *f,
                     size_t limit, sh_supply *out);
void sh_supply_free(sh_supply *s);

/* G statistic of the 2x2 table {{a, b}, {c, d}} and its chi-square(1) p-value. */
double sh_g_test_2x2(int64_t a, int64_t b, int64_t c, int64_t d, double *p);
/* Benjamini-Hochberg: q[i] from p[i], n values (q may alias p). */
int  sh_bh_adjust(const double *p, double *q, size_t n);

#ifdef __cplusplus
}
#endif
#endif
