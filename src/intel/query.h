/*
 * intel/query.h - chart data computed from an aggregate, for the reports and
 * the server's Intelligence page (the public queries are in skillhub/intel.h).
 */
#ifndef SH_INTEL_QUERY_H
#define SH_INTEL_QUERY_H

#include "intel/intel.h"

/* Monthly series of some skills: ads[k * nperiods + p] = ads of month p asking for skill k. */
typedef struct sh_series {
	size_t       nperiods;
	char       (*period)[8]; /* months present in the aggregate within the filter, ascending */
	int64_t     *total;      /* counted ads per month */
	size_t       nskills;
	const char **uri;        /* borrowed, as given */
	const char **label;      /* borrowed from the sh_intel (or the URI) */
	int64_t     *ads;
} sh_series;

int  sh_intel_series(const sh_intel *intel, const sh_agg *agg, const sh_intel_filter *f,
                     const char *const *skills, size_t nskills, sh_series *out);
void sh_series_free(sh_series *s);

/*
 * Heat table: rows = the regions with most ads (at most max_rows), columns =
 * skill groups (intel.h: the group below a top concept) with any mention;
 * mentions[r * ncols + c] = skill mentions of group c in ads of region r, so
 * mentions / ads[r] = skills of that group asked per ad.
 */
typedef struct sh_heat {
	size_t       nrows, ncols;
	const char **region;       /* borrowed from the aggregate ("" = unknown) */
	int64_t     *ads;          /* by row */
	const char **column;       /* group labels, borrowed from the sh_intel */
	const char **column_uri;
	int64_t     *mentions;
} sh_heat;

int  sh_intel_heat(const sh_intel *intel, const sh_agg *agg, const sh_intel_filter *f,
                   size_t max_rows, size_t max_cols, sh_heat *out);
void sh_heat_free(sh_heat *h);

#endif
