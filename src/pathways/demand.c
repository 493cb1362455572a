/*
 * pathways/demand.c - the ad demand vector that weights gaps (see
 * demand.h): sh_intel_demand over the whole aggregate, each skill's URI
 * mapped to its index id.
 */
#include "pathways/demand.h"
#include "core/error.h"

#include <stdlib.h>

int sh_pathways_demand(const sh_index *idx, const sh_intel *intel, const sh_agg *agg, float **out, size_t *n,
                       int64_t *ads)
{
	sh_intel_filter all = { 0 };
	sh_demand d = { 0 };
	*out = NULL;
	*n = 0;
	int rc = sh_intel_demand(intel, agg, &all, 0, &d);
	if (ads)
		*ads = rc ? 0 : d.total_ads;
	if (rc || d.total_ads == 0) {
		sh_demand_free(&d);
		return rc;
	}
	size_t count = sh_index_concept_count(idx);
	float *v = calloc(count ? count : 1, sizeof *v);
	if (!v) {
		sh_demand_free(&d);
		return sh_error(SH_ENOMEM, "out of memory (demand vector)");
	}
	for (size_t i = 0; i < d.n; i++) {
		sh_cid c;
		if (!sh_index_lookup(idx, d.skills[i].uri, &c))
			v[c] = (float)d.skills[i].share;
	}
	sh_demand_free(&d);
	*out = v;
	*n = count;
	return SH_OK;
}
