/*
 * pathways/gap.c - gap analysis: what a profile lacks for an occupation.
 *
 * First the profile is expanded into credit candidates, one per concept a
 * held skill gives credit to:
 *   - the skill itself: its level (SH_CREDIT_EXACT);
 *   - each broader concept up to SH_NARROWER_DEPTH steps up the hierarchy:
 *     level x SH_NARROWER_FACTOR^steps (SH_CREDIT_NARROWER) - knowing a
 *     narrower skill partly covers the broader one, never the reverse;
 *   - each skill it is essentially related to: level x SH_RELATED_FACTOR
 *     (SH_CREDIT_RELATED).
 * The candidates are sorted by concept, best first, so each of the target's
 * skills finds its best credit with one binary search.  They depend on the
 * profile alone, so gaps to many targets share one expansion (sh_credits,
 * used by reachable.c).  Readiness is the
 * weighted share of the essential skills covered (docs/pathways.md).
 */
#include "pathways/pathways_internal.h"
#include "core/error.h"

#include <stdlib.h>

typedef struct credit_cand {
	sh_cid    concept;
	double    credit;
	sh_credit how;
	sh_cid    via;
} credit_cand;

/* The credit candidates of a profile (sh_credits, pathways_internal.h). */
struct sh_credits {
	credit_cand *v;
	size_t       n, cap;
};
typedef struct sh_credits cand_list;

static const char *const credit_names[] = {
	[SH_CREDIT_NONE] = "none", [SH_CREDIT_EXACT] = "exact",
	[SH_CREDIT_NARROWER] = "narrower", [SH_CREDIT_RELATED] = "related",
};

const char *sh_credit_name(sh_credit c)
{
	return (unsigned)c <= SH_CREDIT_RELATED ? credit_names[c] : "unknown";
}

static int cand_push(cand_list *l, sh_cid c, double credit, sh_credit how, sh_cid via)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		credit_cand *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return sh_error(SH_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (credit_cand){ c, credit, how, via };
	return SH_OK;
}

/* By concept, then highest credit, then the more direct kind of credit. */
static int cand_cmp(const void *a, const void *b)
{
	const credit_cand *x = a, *y = b;
	if (x->concept != y->concept)
		return x->concept < y->concept ? -1 : 1;
	if (x->credit != y->credit)
		return x->credit > y->credit ? -1 : 1;
	if (x->how != y->how)
		return x->how < y->how ? -1 : 1;
	return x->via < y->via ? -1 : x->via > y->via;
}

/* Credit through the broader hierarchy above held skill h (depth-first, bounded depth). */
static int add_broader(const sh_index *idx, cand_list *l, sh_cid h, sh_cid at, double credit, int depth)
{
	if (depth == SH_NARROWER_DEPTH)
		return SH_OK;
	const sh_cid *r;
	size_t n = sh_concept_related(idx, at, SH_REL_BROADER, &r);
	for (size_t i = 0; i < n; i++) {
		sh_kind k = sh_concept_kind(idx, r[i]);
		if (k != SH_KIND_SKILL && k != SH_KIND_SKILL_GROUP)
			continue;
		double c = credit * SH_NARROWER_FACTOR;
		int rc = cand_push(l, r[i], c, SH_CREDIT_NARROWER, h);
		if (!rc)
			rc = add_broader(idx, l, h, r[i], c, depth + 1);
		if (rc)
			return rc;
	}
	return SH_OK;
}

static int expand_profile(const sh_index *idx, const sh_profile *p, cand_list *l)
{
	const sh_profile_skill *s;
	size_t n = sh_profile_skills(p, &s);
	for (size_t i = 0; i < n; i++) {
		double level = s[i].level;
		int rc = cand_push(l, s[i].skill, level, SH_CREDIT_EXACT, s[i].skill);
		if (!rc)
			rc = add_broader(idx, l, s[i].skill, s[i].skill, level, 0);
		const sh_cid *r;
		size_t nr = sh_concept_related(idx, s[i].skill, SH_REL_RELATED_ESSENTIAL, &r);
		for (size_t j = 0; !rc && j < nr; j++)
			rc = cand_push(l, r[j], level * SH_RELATED_FACTOR, SH_CREDIT_RELATED, s[i].skill);
		if (rc)
			return rc;
	}
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, cand_cmp);
	return SH_OK;
}

static const credit_cand *cand_find(const cand_list *l, sh_cid c)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->v[mid].concept < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo].concept == c ? &l->v[lo] : NULL;
}

static int item_cmp(const void *a, const void *b)
{
	const sh_gap_item *x = a, *y = b;
	if (x->essential != y->essential)
		return x->essential ? -1 : 1;
	double mx = x->weight * (1.0 - x->credit), my = y->weight * (1.0 - y->credit);
	if (mx != my)
		return mx > my ? -1 : 1;
	return x->skill < y->skill ? -1 : x->skill > y->skill;
}

int sh_credits_new(const sh_index *idx, const sh_profile *p, sh_credits **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = expand_profile(idx, p, *out);
	if (rc) {
		sh_credits_free(*out);
		*out = NULL;
	}
	return rc;
}

void sh_credits_free(sh_credits *c)
{
	if (c) {
		free(c->v);
		free(c);
	}
}

int sh_gap_compute(const sh_pathways *pw, const sh_profile *p, sh_cid target, const sh_gap_opts *opts,
                   sh_gap **out)
{
	sh_credits *l;
	*out = NULL;
	int rc = sh_credits_new(pw->idx, p, &l);
	rc = rc ? rc : sh_gap_from_credits(pw, l, target, opts, out);
	sh_credits_free(l);
	return rc;
}

int sh_gap_from_credits(const sh_pathways *pw, const sh_credits *credits, sh_cid target, const sh_gap_opts *opts,
                        sh_gap **out)
{
	*out = NULL;
	const sh_index *idx = pw->idx;
	if (target >= pw->nconcepts || pw->occ_slot[target] == SH_NO_SLOT)
		return sh_error(SH_EINVAL, "gap target %u is not an occupation", (unsigned)target);
	const sh_cid *ess, *opt;
	size_t ne = sh_concept_related(idx, target, SH_REL_ESSENTIAL_SKILL, &ess);
	size_t no = sh_concept_related(idx, target, SH_REL_OPTIONAL_SKILL, &opt);
	sh_gap *g = calloc(1, sizeof *g);
	if (!g || !(g->items = calloc(ne + no + 1, sizeof *g->items))) {
		free(g);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	g->target = target;
	g->nessential = ne;
	double total[2] = { 0, 0 }, got[2] = { 0, 0 };
	for (size_t i = 0; i < ne + no; i++) {
		sh_gap_item *it = &g->items[g->nitems++];
		it->essential = i < ne;
		it->skill = i < ne ? ess[i] : opt[i - ne];
		it->weight = pw->weight[it->skill];
		if (opts && opts->demand && it->skill < opts->ndemand && opts->demand[it->skill] > 0)
			it->weight *= 1.0 + opts->demand[it->skill];
		const credit_cand *c = cand_find(credits, it->skill);
		it->credit = c ? c->credit : 0.0;
		it->how = c ? c->how : SH_CREDIT_NONE;
		it->via = c ? c->via : it->skill;
		total[it->essential] += it->weight;
		got[it->essential] += it->weight * it->credit;
	}
	for (size_t i = 0; i < g->nitems; i++) {
		sh_gap_item *it = &g->items[i];
		double t = total[it->essential];
		it->contribution = t > 0 ? it->weight * it->credit / t : 0.0;
	}
	g->readiness = total[1] > 0 ? got[1] / total[1] : 1.0;
	g->optional_coverage = total[0] > 0 ? got[0] / total[0] : 1.0;
	qsort(g->items, g->nitems, sizeof *g->items, item_cmp);
	*out = g;
	return SH_OK;
}

void sh_gap_free(sh_gap *g)
{
	if (g) {
		free(g->items);
		free(g);
	}
}

int sh_gap_needs(const sh_gap *g, int with_optional, sh_plan_need **out, size_t *n)
{
	*n = 0;
	*out = malloc((g->nitems + 1) * sizeof **out);
	if (!*out)
		return sh_error(SH_ENOMEM, "out of memory");
	for (size_t i = 0; i < g->nitems; i++) {
		const sh_gap_item *it = &g->items[i];
		if (it->credit < 1.0 && (it->essential || with_optional) && it->weight > 0)
			(*out)[(*n)++] = (sh_plan_need){ it->skill, it->weight * (1.0 - it->credit) };
	}
	return SH_OK;
}
