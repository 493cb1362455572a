/*
 * pathways/workforce.c - reskilling a workforce towards a target mix.
 *
 * Headcounts are summed per occupation.  People whose occupation keeps
 * places in the target stay (min(current, target) of them).  The rest of the
 * current staff (surplus) is matched to the places still open (deficit):
 * every surplus x deficit pair is priced at the hours a person needs, and
 * pairs are filled cheapest first (a greedy transportation heuristic, not an
 * optimal assignment).  A person in occupation o is assumed to hold o's
 * essential skills; the hours of a pair are, over the target's essential
 * skills with credit < 1, (1 - credit) x hours(skill), where hours(skill) is
 * the least hours per skill taught (hours / skills) of an admissible
 * candidate course teaching it, else SH_DEFAULT_SKILL_HOURS.  With candidate
 * courses each move also gets its course plan, and its hours become the
 * plan's hours plus the default for every need the plan leaves open.  The
 * candidates are indexed by skill once, so a move's plan scans only the
 * courses teaching its needs (sh_plan_courses_among), not the catalogue.
 */
#include "pathways/pathways_internal.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct pair {
	uint32_t from, to; /* indexes into the surplus and deficit lists */
	double   hours;
	size_t   skills;
} pair;

static int pair_cmp(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->hours != y->hours)
		return x->hours < y->hours ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

/* Sums headcounts into counts[slot]; SH_EINVAL naming the entry that is no occupation. */
static int sum_counts(const sh_pathways *pw, const sh_headcount *h, size_t n, const char *what, size_t *counts)
{
	for (size_t i = 0; i < n; i++) {
		if (h[i].occupation >= pw->nconcepts || pw->occ_slot[h[i].occupation] == SH_NO_SLOT)
			return sh_error(SH_EINVAL, "%s[%zu]: concept %u is not an occupation", what, i,
			                (unsigned)h[i].occupation);
		counts[pw->occ_slot[h[i].occupation]] += h[i].people;
	}
	return SH_OK;
}

/*
 * What the candidate courses offer per skill, built once per workforce plan:
 * the least hours per skill taught of an admissible course (else the
 * default), and skill -> courses teaching it (CSR), so that each move's plan
 * scans only the courses teaching its needs.
 */
typedef struct course_index {
	double   *hours;  /* per concept */
	uint32_t *off;    /* nconcepts + 1 */
	uint32_t *course;
	uint32_t *mark;   /* per course: the last move that listed it */
	uint32_t *list;   /* scratch: one move's candidates */
} course_index;

static void course_index_free(course_index *ci)
{
	free(ci->hours);
	free(ci->off);
	free(ci->course);
	free(ci->mark);
	free(ci->list);
}

static int course_index_build(const sh_pathways *pw, const sh_workforce_opts *o, course_index *ci)
{
	static const sh_plan_opts any = { .budget = -1 };
	const sh_plan_opts *po = o && o->plan ? o->plan : &any;
	size_t nc = o && o->courses ? o->ncourses : 0;
	ci->hours = malloc((pw->nconcepts + 1) * sizeof *ci->hours);
	ci->off = calloc(pw->nconcepts + 2, sizeof *ci->off);
	ci->mark = calloc(nc + 1, sizeof *ci->mark);
	ci->list = malloc((nc + 1) * sizeof *ci->list);
	if (!ci->hours || !ci->off || !ci->mark || !ci->list)
		return sh_error(SH_ENOMEM, "out of memory");
	for (uint32_t c = 0; c <= pw->nconcepts; c++)
		ci->hours[c] = SH_DEFAULT_SKILL_HOURS;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nc; i++) {
			const sh_course *c = &o->courses[i];
			if (!c->nskills || !sh_course_meets(c, po))
				continue;
			double per = c->hours / (double)c->nskills;
			for (size_t k = 0; k < c->nskills; k++) {
				sh_cid s = c->skills[k];
				if (s >= pw->nconcepts)
					continue;
				if (pass) {
					ci->course[ci->off[s]++] = (uint32_t)i;
				} else {
					ci->off[s + 1]++;
					if (per < ci->hours[s])
						ci->hours[s] = per;
				}
			}
		}
		if (pass)
			break;
		for (uint32_t c = 0; c < pw->nconcepts; c++)
			ci->off[c + 1] += ci->off[c];
		if (!(ci->course = malloc((ci->off[pw->nconcepts] + 1) * sizeof *ci->course)))
			return sh_error(SH_ENOMEM, "out of memory");
	}
	/* The fill pass advanced each skill's start to its end: shift back. */
	for (uint32_t c = pw->nconcepts; c > 0; c--)
		ci->off[c] = ci->off[c - 1];
	ci->off[0] = 0;
	return SH_OK;
}

/* The gap from occupation `from`'s essential skills to `to`, its missing skills and estimated hours. */
static int price_move(const sh_pathways *pw, sh_cid from, sh_cid to, const double *hours, sh_gap **gap,
                      double *h, size_t *skills)
{
	sh_profile *p;
	int rc = sh_profile_new(&p);
	if (rc)
		return rc;
	if (!(rc = sh_profile_add_occupation(p, pw->idx, from, 0)))
		rc = sh_gap_compute(pw, p, to, NULL, gap);
	sh_profile_free(p);
	if (rc)
		return rc;
	*h = 0;
	*skills = 0;
	for (size_t i = 0; i < (*gap)->nitems; i++) {
		const sh_gap_item *it = &(*gap)->items[i];
		if (it->essential && it->credit < 1.0) {
			*h += (1.0 - it->credit) * hours[it->skill];
			(*skills)++;
		}
	}
	return SH_OK;
}

/* The move's plan over the courses teaching its needs (stamp: a number unique to this move). */
static int plan_move(const sh_workforce_opts *o, course_index *ci, uint32_t stamp, sh_workforce_move *mv)
{
	sh_plan_need *need;
	size_t n, nlist = 0;
	int rc = sh_gap_needs(mv->gap, 0, &need, &n);
	for (size_t i = 0; !rc && i < n; i++)
		for (uint32_t k = ci->off[need[i].skill]; k < ci->off[need[i].skill + 1]; k++)
			if (ci->mark[ci->course[k]] != stamp) {
				ci->mark[ci->course[k]] = stamp;
				ci->list[nlist++] = ci->course[k];
			}
	if (!rc)
		rc = sh_plan_courses_among(need, n, o->courses, o->ncourses, ci->list, nlist, o->plan, &mv->plan);
	free(need);
	if (!rc)
		mv->hours = mv->plan->hours +
		            SH_DEFAULT_SKILL_HOURS * (double)(mv->plan->nuncoverable + mv->plan->nunaffordable);
	return rc;
}

static int add_move(sh_workforce *w, size_t *cap, const sh_workforce_move *mv)
{
	if (w->nmoves == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		sh_workforce_move *v = realloc(w->moves, c * sizeof *v);
		if (!v)
			return sh_error(SH_ENOMEM, "out of memory");
		w->moves = v;
		*cap = c;
	}
	w->moves[w->nmoves++] = *mv;
	return SH_OK;
}

/* Fills the cheapest pairs first. */
static int assign(const sh_pathways *pw, const sh_workforce_opts *o, course_index *ci, uint32_t *sur,
                  size_t *sur_n, size_t ns, uint32_t *def, size_t *def_n, size_t nd, sh_workforce *w)
{
	pair *pairs = malloc((ns * nd + 1) * sizeof *pairs);
	if (!pairs)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = SH_OK;
	size_t np = 0, cap = 0;
	for (size_t i = 0; i < ns && !rc; i++)
		for (size_t j = 0; j < nd && !rc; j++) {
			sh_gap *g;
			pair *pr = &pairs[np++];
			*pr = (pair){ (uint32_t)i, (uint32_t)j, 0, 0 };
			if (!(rc = price_move(pw, pw->occ[sur[i]], pw->occ[def[j]], ci->hours, &g, &pr->hours, &pr->skills)))
				sh_gap_free(g);
		}
	qsort(pairs, np, sizeof *pairs, pair_cmp);
	for (size_t k = 0; k < np && !rc; k++) {
		pair *pr = &pairs[k];
		size_t people = sur_n[pr->from] < def_n[pr->to] ? sur_n[pr->from] : def_n[pr->to];
		if (!people)
			continue;
		sur_n[pr->from] -= people;
		def_n[pr->to] -= people;
		sh_workforce_move mv = { .from = pw->occ[sur[pr->from]], .to = pw->occ[def[pr->to]], .people = people };
		if ((rc = price_move(pw, mv.from, mv.to, ci->hours, &mv.gap, &mv.hours, &mv.skills)))
			break;
		if (o && o->courses && (rc = plan_move(o, ci, (uint32_t)w->nmoves + 1, &mv))) {
			sh_gap_free(mv.gap);
			break;
		}
		if ((rc = add_move(w, &cap, &mv))) {
			sh_gap_free(mv.gap);
			sh_plan_free(mv.plan);
			break;
		}
		w->moved += people;
		w->person_skills += (double)people * (double)mv.skills;
		w->hours += (double)people * mv.hours;
	}
	free(pairs);
	return rc;
}

int sh_workforce_plan(const sh_pathways *pw, const sh_headcount *current, size_t ncurrent,
                      const sh_headcount *target, size_t ntarget, const sh_workforce_opts *opts,
                      sh_workforce **out)
{
	*out = NULL;
	size_t nocc = pw->nocc + 1;
	size_t *cur = calloc(nocc, sizeof *cur), *tgt = calloc(nocc, sizeof *tgt);
	size_t *sur_n = calloc(nocc, sizeof *sur_n), *def_n = calloc(nocc, sizeof *def_n);
	uint32_t *sur = calloc(nocc, sizeof *sur), *def = calloc(nocc, sizeof *def);
	course_index ci = { 0 };
	sh_workforce *w = calloc(1, sizeof *w);
	int rc = SH_OK;
	if (!cur || !tgt || !sur_n || !def_n || !sur || !def || !w)
		rc = sh_error(SH_ENOMEM, "out of memory");
	else if ((rc = course_index_build(pw, opts, &ci)))
		;
	else if (!(rc = sum_counts(pw, current, ncurrent, "current", cur)))
		rc = sum_counts(pw, target, ntarget, "target", tgt);
	size_t ns = 0, nd = 0;
	for (uint32_t s = 0; !rc && s < pw->nocc; s++) {
		w->staying += cur[s] < tgt[s] ? cur[s] : tgt[s];
		if (cur[s] > tgt[s]) {
			sur[ns] = s;
			sur_n[ns++] = cur[s] - tgt[s];
		} else if (tgt[s] > cur[s]) {
			def[nd] = s;
			def_n[nd++] = tgt[s] - cur[s];
		}
	}
	if (!rc)
		rc = assign(pw, opts, &ci, sur, sur_n, ns, def, def_n, nd, w);
	for (size_t i = 0; !rc && i < ns; i++)
		w->surplus += sur_n[i];
	for (size_t i = 0; !rc && i < nd; i++)
		w->unfilled += def_n[i];
	free(cur);
	free(tgt);
	free(sur_n);
	free(def_n);
	free(sur);
	free(def);
	course_index_free(&ci);
	if (rc)
		sh_workforce_free(w);
	else
		*out = w;
	return rc;
}

void sh_workforce_free(sh_workforce *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nmoves; i++) {
		sh_gap_free(w->moves[i].gap);
		sh_plan_free(w->moves[i].plan);
	}
	free(w->moves);
	free(w);
}
