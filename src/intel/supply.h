/*
 * intel/supply.h - supply versus demand by area, for the reports and the
 * Intelligence page (the per-skill query is sh_intel_supply in
 * skillhub/intel.h).
 *
 * Rows are the countries of the ads (the ad regions are the sources' own
 * names more often than NUTS codes, so they cannot be matched with the
 * courses' NUTS regions; countries can), columns the skills given, usually
 * the top of sh_intel_supply.  Each cell holds the ads of the country
 * asking for the skill and the approved courses teaching it offered in
 * that country (online courses included), with the rest of the filter
 * applied as sh_intel_supply applies it.
 */
#ifndef SH_INTEL_SUPPLY_H
#define SH_INTEL_SUPPLY_H

#include "skillhub/intel.h"

typedef struct sh_supply_areas {
	size_t       nrows, ncols;
	const char **country;  /* by row, borrowed from the aggregate */
	int64_t     *row_ads;  /* counted ads of the country under the filter */
	const char **uri;      /* by column, borrowed as given */
	const char **label;    /* by column, borrowed from the sh_intel (or the URI) */
	int64_t     *ads;      /* [r * ncols + c]: ads of country r asking for skill c */
	int64_t     *courses;  /* [r * ncols + c]: courses teaching skill c offered in country r */
} sh_supply_areas;

/* The (at most max_rows) countries with most ads, by ads then code; "" (unknown) is left out. */
int  sh_intel_supply_areas(const sh_intel *intel, const sh_agg *agg, sh_db *db, const sh_intel_filter *f,
                           const char *const *skills, size_t nskills, size_t max_rows, sh_supply_areas *out);
void sh_supply_areas_free(sh_supply_areas *a);

#endif
