/*
 * pathways/demand.h - the ad demand that weights gaps (sh_gap_opts.demand):
 * for each skill, the share of the counted job ads asking for it, under no
 * filter (every stored ad, every period and place), from the skills-demand
 * aggregate of the intelligence module (intel.h).  The CLI computes the
 * aggregate from the database (pw_demand_load), the server takes the one
 * its intelligence service keeps (intel_service.h).  docs/pathways.md gives
 * the formula: a gap item's weight is specificity x (1 + share).
 */
#ifndef SH_PATHWAYS_DEMAND_H
#define SH_PATHWAYS_DEMAND_H

#include "skillhub/intel.h"
#include "skillhub/pathways.h"

/*
 * The demand vector over the concepts of idx: share of agg's counted ads
 * asking for each skill (0 for skills no ad asks for or that idx does not
 * know).  *out is the caller's to free(); NULL (and *n = 0) when agg counts
 * no ad.  *ads (may be NULL) receives the number of counted ads.
 */
int sh_pathways_demand(const sh_index *idx, const sh_intel *intel, const sh_agg *agg, float **out, size_t *n,
                       int64_t *ads);

#endif
