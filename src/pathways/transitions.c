/*
 * pathways/transitions.c - occupations ranked by transferable skills.
 *
 * Every occupation is a sparse vector over skills (essential at the skill's
 * specificity weight, optional at SH_OPTIONAL_FACTOR times it).  From
 * occupation o, the overlap with target p is
 *     sum over skills s of both  min(v_o[s], v_p[s])  /  sum over s of v_p[s],
 * the share of p's skill weight someone from o brings along (asymmetric:
 * it answers "how far along is a person from o towards p").  It is
 * accumulated through the inverted index skill -> occupations, so the cost
 * is the total posting length of o's skills, not the number of occupations.
 * The score adds ISCO_BONUS per leading ISCO code digit o and p share (up to
 * 4 digits: same unit group = +0.1).  Same sector: same ISCO major group
 * (first digit) or a shared specialised ESCO collection.
 */
#include "core/topk.h"
#include "pathways/pathways_internal.h"
#include "core/error.h"

#include <stdlib.h>

#define ISCO_BONUS 0.025

/* Heap order: the worst transition on top (lower score, then higher cid). */
static int worse(const sh_transition *a, const sh_transition *b)
{
	if (a->score != b->score)
		return a->score < b->score;
	return a->occupation > b->occupation;
}

SH_TOPK_DEFINE(best, sh_transition, worse)

static int shares_collection(const sh_pathways *pw, uint32_t a, uint32_t b)
{
	uint32_t i = pw->coll_off[a], j = pw->coll_off[b];
	while (i < pw->coll_off[a + 1] && j < pw->coll_off[b + 1]) {
		if (pw->coll[i] == pw->coll[j])
			return 1;
		if (pw->coll[i] < pw->coll[j])
			i++;
		else
			j++;
	}
	return 0;
}

int sh_transitions(const sh_pathways *pw, sh_cid from, sh_transition *out, size_t max, size_t *n)
{
	*n = 0;
	if (from >= pw->nconcepts || pw->occ_slot[from] == SH_NO_SLOT)
		return sh_error(SH_EINVAL, "transitions: concept %u is not an occupation", (unsigned)from);
	uint32_t o = pw->occ_slot[from];
	double *acc = calloc(pw->nocc + 1, sizeof *acc);
	if (!acc)
		return sh_error(SH_ENOMEM, "out of memory");
	for (uint32_t e = pw->vec_off[o]; e < pw->vec_off[o + 1]; e++) {
		sh_cid s = pw->vec_skill[e];
		double w = pw->vec_w[e];
		for (uint32_t k = pw->inv_off[s]; k < pw->inv_off[s + 1]; k++)
			acc[pw->inv_slot[k]] += w < pw->inv_w[k] ? w : pw->inv_w[k];
	}
	for (uint32_t p = 0; p < pw->nocc && max > 0; p++) {
		if (p == o || acc[p] <= 0)
			continue;
		sh_transition t = { .occupation = pw->occ[p] };
		t.overlap = acc[p] / pw->vec_norm[p];
		if (t.overlap > 1)
			t.overlap = 1; /* rounding */
		t.isco_digits = pw->isco[o][0] ? sh_isco_shared_digits(pw->isco[o], pw->isco[p]) : 0;
		t.score = t.overlap + ISCO_BONUS * t.isco_digits;
		t.same_sector = (pw->isco[o][0] && pw->isco[o][0] == pw->isco[p][0]) || shares_collection(pw, o, p);
		best_offer(out, n, max, t);
	}
	free(acc);
	best_sort(out, *n);
	return SH_OK;
}
