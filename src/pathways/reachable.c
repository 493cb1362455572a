/*
 * pathways/reachable.c - "where can I go" for a skill profile: every
 * occupation ranked by the readiness the profile gives for it.
 *
 * Readiness is positive only when one of an occupation's essential skills
 * receives credit, and credit flows from a held skill h to h itself, to the
 * concepts up to SH_NARROWER_DEPTH steps above it and to the skills h is
 * essentially related to (gap.c).  So the candidates are the occupations
 * needing one of those concepts as essential; each candidate's gap is then
 * computed exactly from one expansion of the profile (sh_credits), and the
 * ranking is by readiness, then optional coverage, then fewer essential
 * skills to learn, then concept id.
 * Occupations without essential skills (readiness 1 by definition) never
 * become candidates.
 */
#include "pathways/pathways_internal.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

/* Marks the occupations needing concept c as essential. */
static void mark_needing(const sh_pathways *pw, sh_cid c, unsigned char *mark)
{
	const sh_cid *r;
	size_t n = sh_concept_related(pw->idx, c, SH_REL_ESSENTIAL_FOR, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i] < pw->nconcepts && pw->occ_slot[r[i]] != SH_NO_SLOT)
			mark[pw->occ_slot[r[i]]] = 1;
}

/* Marks through the skills and skill groups up to depth steps above at. */
static void mark_broader(const sh_pathways *pw, sh_cid at, int depth, unsigned char *mark)
{
	if (depth == SH_NARROWER_DEPTH)
		return;
	const sh_cid *r;
	size_t n = sh_concept_related(pw->idx, at, SH_REL_BROADER, &r);
	for (size_t i = 0; i < n; i++) {
		sh_kind k = sh_concept_kind(pw->idx, r[i]);
		if (k == SH_KIND_SKILL || k == SH_KIND_SKILL_GROUP) {
			mark_needing(pw, r[i], mark);
			mark_broader(pw, r[i], depth + 1, mark);
		}
	}
}

static int reach_cmp(const void *a, const void *b)
{
	const sh_reach *x = a, *y = b;
	if (x->readiness != y->readiness)
		return x->readiness > y->readiness ? -1 : 1;
	if (x->optional_coverage != y->optional_coverage)
		return x->optional_coverage > y->optional_coverage ? -1 : 1;
	if (x->missing != y->missing)
		return x->missing < y->missing ? -1 : 1;
	return x->occupation < y->occupation ? -1 : x->occupation > y->occupation;
}

int sh_profile_reachable(const sh_pathways *pw, const sh_profile *p, const sh_gap_opts *opts, sh_reach *out,
                         size_t max, size_t *n)
{
	*n = 0;
	unsigned char *mark = calloc(pw->nocc ? pw->nocc : 1, 1);
	if (!mark)
		return sh_error(SH_ENOMEM, "out of memory");
	const sh_profile_skill *s;
	size_t ns = sh_profile_skills(p, &s);
	for (size_t i = 0; i < ns; i++) {
		const sh_cid *r;
		size_t nr = sh_concept_related(pw->idx, s[i].skill, SH_REL_RELATED_ESSENTIAL, &r);
		mark_needing(pw, s[i].skill, mark);
		mark_broader(pw, s[i].skill, 0, mark);
		for (size_t j = 0; j < nr; j++)
			mark_needing(pw, r[j], mark);
	}
	size_t ncand = 0;
	for (uint32_t slot = 0; slot < pw->nocc; slot++)
		ncand += mark[slot];
	sh_credits *credits = NULL;
	sh_reach *all = malloc((ncand ? ncand : 1) * sizeof *all);
	int rc = all ? sh_credits_new(pw->idx, p, &credits) : sh_error(SH_ENOMEM, "out of memory");
	size_t k = 0;
	for (uint32_t slot = 0; !rc && slot < pw->nocc; slot++) {
		sh_gap *g;
		if (!mark[slot] || (rc = sh_gap_from_credits(pw, credits, pw->occ[slot], opts, &g)))
			continue;
		size_t missing = 0;
		for (size_t i = 0; i < g->nitems; i++)
			missing += g->items[i].essential && g->items[i].credit < 1.0;
		if (g->readiness > 0)
			all[k++] = (sh_reach){ pw->occ[slot], g->readiness, g->optional_coverage, missing };
		sh_gap_free(g);
	}
	if (!rc) {
		qsort(all, k, sizeof *all, reach_cmp);
		*n = k < max ? k : max;
		memcpy(out, all, *n * sizeof *out);
	}
	sh_credits_free(credits);
	free(all);
	free(mark);
	return rc;
}
