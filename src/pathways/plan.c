/*
 * pathways/plan.c - least-cost course plans: weighted set cover with
 * prerequisites, solved exactly by branch-and-bound with a greedy start.
 *
 * Reduction.  Needs are numbered 0..m-1 ("slots") and hashed by skill, so
 * finding the courses that teach a need is one pass over the candidates
 * (or over the subset sh_plan_courses_among is given).  A candidate course is
 * admissible when it and every course in its prerequisite closure meet the
 * constraints (and, with a budget, the closure's price fits it).  The
 * universe is the admissible courses that cover a need plus their closures;
 * only those are numbered locally.  A need no admissible course covers is
 * uncoverable and dropped.  A course with no prerequisites that no universe
 * course requires is removed when another such course covers a superset of
 * its needs at no more cost and price and comes first in the order (cost,
 * price, fewer needs covered reversed, index): a strict order, so removing
 * every dominated course at once keeps an optimal solution.
 *
 * Objective.  cost = price + hour_cost x hours, summed over the chosen
 * courses.  With a budget a need may stay open at penalty M x weight
 * (M in skillhub/pathways.h), so the objective is cost + penalties.
 *
 * Greedy.  Repeatedly add the course whose closure has the lowest ratio
 * incremental cost / newly covered weight (closures that fit the budget),
 * then drop, latest first, any course whose needs the others still cover and
 * that no chosen course requires.  This is the classic H(m)-approximation
 * for set cover (without prerequisites) and seeds the incumbent.
 *
 * Branch-and-bound.  Depth first.  At a node, U is the set of open needs.
 * Lower bound on the cost still to pay: for any completion F, each course's
 * cost can be split evenly over the needs of U it covers, so
 *   sum over s in U of  min over courses c covering s  of cost(c) / |cover(c) & U|
 * is a lower bound (with a budget each term is also capped by the penalty of
 * s); so is the largest single  min cost(c)  over s in U; the bound is the
 * larger of the two.  Excluded courses are left out of the minima.  The node
 * branches on the open need with the fewest available courses: child i adds
 * the closure of course c_i and excludes c_1..c_{i-1} (every solution covers
 * the need with a first course in this order, so the children partition the
 * solutions); with a budget a last child leaves the need open.
 * When the node or time budget runs out, the search stops; the proven lower
 * bound is the smaller of the incumbent and the bounds of every subtree left
 * unexplored, and the plan reports both ("exact-budget-exceeded").
 */
#include "pathways/pathways_internal.h"
#include "core/error.h"
#include "core/hash.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONE UINT32_MAX
#define EPS  1e-9

typedef struct solver {
	/* input */
	const sh_course *courses;
	size_t           ncourses;
	const uint32_t  *only;     /* NULL, or the candidates worth scanning (sh_plan_courses_among) */
	size_t           nonly;
	double           hour_cost, budget; /* budget < 0: none */
	/* needs */
	size_t     m, nw;       /* needs, 64-bit words per bitset */
	sh_cid    *need_skill;  /* slot -> skill */
	double    *need_w;
	bool      *coverable;
	uint32_t  *hslot;       /* open-addressing table skill -> slot (NONE = empty), hmask + 1 entries */
	size_t     hmask;
	/* universe */
	size_t     nu;
	uint32_t  *orig;        /* local -> candidate index */
	uint32_t  *local_of;    /* candidate -> local or NONE */
	double    *cost, *money;
	uint64_t  *cover;       /* nu x nw */
	uint32_t  *clos_off, *clos; /* closure of each local course, itself included */
	uint32_t  *opt_off, *opt;   /* slot -> local courses covering it, by cost */
	bool      *dominated;
	double     penalty;     /* M; 0 when needs may not stay open */
	/* search state */
	bool      *sel, *excl;
	uint64_t  *covered, *skipped;
	double     cur_cost, cur_money, cur_pen;
	uint32_t  *order;       /* greedy: local courses in the order added */
	size_t     norder;
	/* best */
	bool      *best_sel;
	double     best_obj;
	/* limits */
	size_t          nodes, max_nodes;
	struct timespec deadline;
	bool            aborted;
	double          open_lb;    /* smallest bound of a subtree left unexplored */
} solver;

/* The hash table slot where skill is or would go (linear probing). */
static size_t probe(const solver *s, sh_cid skill)
{
	size_t h = (size_t)sh_hash_mix(skill) & s->hmask;
	while (s->hslot[h] != NONE && s->need_skill[s->hslot[h]] != skill)
		h = (h + 1) & s->hmask;
	return h;
}

static uint32_t slot_of(const solver *s, sh_cid skill)
{
	return s->hslot[probe(s, skill)];
}

static bool fits(const char *want, const char *have)
{
	return !want || !have || !*have || strcmp(want, have) == 0;
}

static bool in_region(const char *want, const char *have)
{
	return !want || !have || !*have || strncmp(want, have, strlen(want)) == 0;
}

static bool speaks(const char *want, const sh_course *c)
{
	if (!want || !c->nlanguages)
		return true;
	for (size_t i = 0; i < c->nlanguages; i++)
		if (c->languages[i] && strcmp(c->languages[i], want) == 0)
			return true;
	return false;
}

bool sh_course_meets(const sh_course *c, const sh_plan_opts *o)
{
	if (!speaks(o->language, c) || !in_region(o->region, c->region) || !fits(o->mode, c->mode))
		return false;
	if (o->from && c->start && strcmp(c->start, o->from) < 0)
		return false;
	if (o->to && c->end && strcmp(c->end, o->to) > 0)
		return false;
	return true;
}

/* ---- admissibility and closures ----------------------------------------- */

/* A course's own numbers and prerequisite indexes (checked when the course is first considered). */
static int check_fields(const solver *s, size_t i)
{
	const sh_course *c = &s->courses[i];
	const char *id = c->id ? c->id : "?";
	if (!(c->hours >= 0) || !(c->price >= 0) || isinf(c->hours) || isinf(c->price))
		return sh_error(SH_EINVAL, "course %zu '%s': hours and price must be non-negative numbers", i, id);
	for (size_t p = 0; p < c->nprereqs; p++)
		if (c->prereqs[p] >= s->ncourses)
			return sh_error(SH_EINVAL, "course %zu '%s': prerequisite index %zu out of range", i, id,
			                c->prereqs[p]);
	return SH_OK;
}

enum { UNSEEN, VISITING, ADMISSIBLE, REJECTED };

/* Sets state[i] to ADMISSIBLE or REJECTED (recursively over prerequisites); SH_EINVAL on a cycle. */
static int check_course(const solver *s, const sh_plan_opts *o, uint8_t *state, size_t i, int depth)
{
	if (state[i] == ADMISSIBLE || state[i] == REJECTED)
		return SH_OK;
	if (state[i] == VISITING || depth > 10000)
		return sh_error(SH_EINVAL, "course '%s': prerequisite cycle", s->courses[i].id ? s->courses[i].id : "?");
	int rc = check_fields(s, i);
	if (rc)
		return rc;
	state[i] = VISITING;
	const sh_course *c = &s->courses[i];
	bool ok = sh_course_meets(c, o);
	for (size_t p = 0; p < c->nprereqs; p++) {
		if ((rc = check_course(s, o, state, c->prereqs[p], depth + 1)))
			return rc;
		ok = ok && state[c->prereqs[p]] == ADMISSIBLE;
	}
	state[i] = ok ? ADMISSIBLE : REJECTED;
	return SH_OK;
}

typedef struct u32_list {
	uint32_t *v;
	size_t    n, cap;
} u32_list;

static int u32_push(u32_list *l, uint32_t x)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		uint32_t *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return sh_error(SH_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = x;
	return SH_OK;
}

/* Appends the candidates of i's closure not yet stamped with `stamp` to out. */
static int collect_closure(const solver *s, uint32_t *mark, uint32_t stamp, size_t i, u32_list *out)
{
	if (mark[i] == stamp)
		return SH_OK;
	mark[i] = stamp;
	int rc = u32_push(out, (uint32_t)i);
	for (size_t p = 0; !rc && p < s->courses[i].nprereqs; p++)
		rc = collect_closure(s, mark, stamp, s->courses[i].prereqs[p], out);
	return rc;
}

static double course_cost(const solver *s, size_t i)
{
	return s->courses[i].price + s->hour_cost * s->courses[i].hours;
}

static int validate(const sh_plan_need *need, size_t nneed, size_t ncourses, const sh_plan_opts *o)
{
	if (!(o->hour_cost >= 0) || isinf(o->hour_cost))
		return sh_error(SH_EINVAL, "hour_cost %g: must be a non-negative number", o->hour_cost);
	for (size_t i = 0; i < nneed; i++)
		if (!(need[i].weight > 0) || isinf(need[i].weight))
			return sh_error(SH_EINVAL, "need %zu (skill %u): weight must be a positive number", i,
			                (unsigned)need[i].skill);
	if (ncourses >= NONE)
		return sh_error(SH_EINVAL, "too many candidate courses (%zu)", ncourses);
	return SH_OK;
}


static int setup_needs(solver *s, const sh_plan_need *need, size_t nneed)
{
	size_t size = 16;
	while (size < 4 * nneed)
		size *= 2;
	s->hmask = size - 1;
	s->hslot = malloc(size * sizeof *s->hslot);
	s->need_skill = malloc((nneed + 1) * sizeof *s->need_skill);
	s->need_w = malloc((nneed + 1) * sizeof *s->need_w);
	s->coverable = calloc(nneed + 1, sizeof *s->coverable);
	if (!s->hslot || !s->need_skill || !s->need_w || !s->coverable)
		return sh_error(SH_ENOMEM, "out of memory");
	memset(s->hslot, 0xff, size * sizeof *s->hslot);
	/* Duplicates keep the larger weight. */
	for (size_t i = 0; i < nneed; i++) {
		size_t h = probe(s, need[i].skill);
		if (s->hslot[h] != NONE) {
			if (need[i].weight > s->need_w[s->hslot[h]])
				s->need_w[s->hslot[h]] = need[i].weight;
			continue;
		}
		s->hslot[h] = (uint32_t)s->m;
		s->need_skill[s->m] = need[i].skill;
		s->need_w[s->m] = need[i].weight;
		s->m++;
	}
	s->nw = (s->m + 63) / 64;
	return SH_OK;
}

/* Numbers the universe: admissible courses covering a need and their closures. */
static int build_universe(solver *s, const sh_plan_opts *o)
{
	size_t nc = s->ncourses;
	uint8_t *state = calloc(nc + 1, 1);
	uint32_t *mark = calloc(nc + 1, sizeof *mark);
	s->local_of = malloc((nc + 1) * sizeof *s->local_of);
	u32_list members = { 0 }, clos = { 0 };
	int rc = SH_OK;
	if (!state || !mark || !s->local_of) {
		rc = sh_error(SH_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nc; i++)
		s->local_of[i] = NONE;
	/* Pass 1: the relevant admissible courses and everything in their closures. */
	uint32_t stamp = 1;
	size_t nscan = s->only ? s->nonly : nc;
	for (size_t j = 0; j < nscan && !rc; j++) {
		size_t i = s->only ? s->only[j] : j;
		const sh_course *c = &s->courses[i];
		bool relevant = false;
		for (size_t k = 0; k < c->nskills && !relevant; k++)
			relevant = slot_of(s, c->skills[k]) != NONE;
		if (!relevant || (rc = check_course(s, o, state, i, 0)) || state[i] != ADMISSIBLE)
			continue;
		size_t first = clos.n;
		if ((rc = collect_closure(s, mark, stamp++, i, &clos)))
			break;
		if (s->budget >= 0) {
			double money = 0;
			for (size_t k = first; k < clos.n; k++)
				money += s->courses[clos.v[k]].price;
			if (money > s->budget + EPS) {
				clos.n = first;
				continue;
			}
		}
		for (size_t k = first; k < clos.n && !rc; k++)
			if (s->local_of[clos.v[k]] == NONE) {
				s->local_of[clos.v[k]] = (uint32_t)members.n;
				rc = u32_push(&members, clos.v[k]);
			}
		clos.n = first;
	}
	if (rc)
		goto done;
	s->nu = members.n;
	s->orig = members.v;
	members.v = NULL;
	size_t nu = s->nu ? s->nu : 1;
	s->cost = malloc(nu * sizeof *s->cost);
	s->money = malloc(nu * sizeof *s->money);
	s->cover = calloc(nu * (s->nw ? s->nw : 1), sizeof *s->cover);
	s->clos_off = calloc(nu + 1, sizeof *s->clos_off);
	s->dominated = calloc(nu, sizeof *s->dominated);
	if (!s->cost || !s->money || !s->cover || !s->clos_off || !s->dominated) {
		rc = sh_error(SH_ENOMEM, "out of memory");
		goto done;
	}
	/* Pass 2: costs, cover bitsets and closures in local numbering. */
	for (size_t u = 0; u < s->nu && !rc; u++) {
		const sh_course *c = &s->courses[s->orig[u]];
		s->cost[u] = course_cost(s, s->orig[u]);
		s->money[u] = c->price;
		for (size_t k = 0; k < c->nskills; k++) {
			uint32_t slot = slot_of(s, c->skills[k]);
			if (slot != NONE) {
				s->cover[u * s->nw + slot / 64] |= 1ull << (slot % 64);
				s->coverable[slot] = true;
			}
		}
		size_t first = clos.n;
		rc = collect_closure(s, mark, stamp++, s->orig[u], &clos);
		for (size_t k = first; k < clos.n; k++)
			clos.v[k] = s->local_of[clos.v[k]];
		s->clos_off[u + 1] = (uint32_t)clos.n;
	}
	s->clos = clos.v;
	clos.v = NULL;
done:
	free(state);
	free(mark);
	free(members.v);
	free(clos.v);
	return rc;
}

static bool has_slot(const solver *s, size_t u, size_t slot)
{
	return s->cover[u * s->nw + slot / 64] >> (slot % 64) & 1;
}

static bool subset(const solver *s, size_t a, size_t b)
{
	for (size_t w = 0; w < s->nw; w++)
		if (s->cover[a * s->nw + w] & ~s->cover[b * s->nw + w])
			return false;
	return true;
}

static size_t popcount_cover(const solver *s, size_t u)
{
	size_t n = 0;
	for (size_t w = 0; w < s->nw; w++)
		n += (size_t)__builtin_popcountll(s->cover[u * s->nw + w]);
	return n;
}

/* Strict order used for dominance ties: cheaper, then lower price, then more needs, then index. */
static bool before(const solver *s, size_t a, size_t b)
{
	if (s->cost[a] != s->cost[b])
		return s->cost[a] < s->cost[b];
	if (s->money[a] != s->money[b])
		return s->money[a] < s->money[b];
	size_t na = popcount_cover(s, a), nb = popcount_cover(s, b);
	if (na != nb)
		return na > nb;
	return a < b;
}

/* qsort has no context argument: the solver being sorted for, per thread. */
static _Thread_local const solver *tl_sort_ctx;

static int by_cost(const void *a, const void *b)
{
	const solver *s = tl_sort_ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return before(s, x, y) ? -1 : before(s, y, x) ? 1 : 0;
}

/* Option lists per need and dominance among stand-alone courses. */
static int build_options(solver *s)
{
	bool *required = calloc(s->nu + 1, sizeof *required); /* is someone's prerequisite */
	s->opt_off = calloc(s->m + 1, sizeof *s->opt_off);
	if (!required || !s->opt_off) {
		free(required);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	for (size_t u = 0; u < s->nu; u++)
		for (uint32_t k = s->clos_off[u] + 1; k < s->clos_off[u + 1]; k++)
			required[s->clos[k]] = true;
	/* Closure lists start with the course itself (collect_closure pushes it first). */
	for (size_t u = 0; u < s->nu; u++)
		for (size_t slot = 0; slot < s->m; slot++)
			if (has_slot(s, u, slot))
				s->opt_off[slot + 1]++;
	for (size_t slot = 0; slot < s->m; slot++)
		s->opt_off[slot + 1] += s->opt_off[slot];
	s->opt = malloc((s->opt_off[s->m] + 1) * sizeof *s->opt);
	uint32_t *fill = malloc((s->m + 1) * sizeof *fill);
	if (!s->opt || !fill) {
		free(required);
		free(fill);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	memcpy(fill, s->opt_off, (s->m + 1) * sizeof *fill);
	for (size_t u = 0; u < s->nu; u++)
		for (size_t slot = 0; slot < s->m; slot++)
			if (has_slot(s, u, slot))
				s->opt[fill[slot]++] = (uint32_t)u;
	free(fill);
	tl_sort_ctx = s;
	for (size_t slot = 0; slot < s->m; slot++)
		qsort(s->opt + s->opt_off[slot], s->opt_off[slot + 1] - s->opt_off[slot], sizeof *s->opt, by_cost);
	/* Dominance: compare stand-alone courses sharing a need. */
	for (size_t u = 0; u < s->nu; u++) {
		bool alone = s->clos_off[u + 1] - s->clos_off[u] == 1 && !required[u];
		if (!alone)
			continue;
		size_t slot = 0;
		while (slot < s->m && !has_slot(s, u, slot))
			slot++;
		if (slot == s->m)
			continue; /* covers no need: only ever added as a prerequisite */
		for (uint32_t k = s->opt_off[slot]; k < s->opt_off[slot + 1]; k++) {
			uint32_t v = s->opt[k];
			if (v == u || s->clos_off[v + 1] - s->clos_off[v] != 1 || required[v])
				continue;
			if (s->cost[v] <= s->cost[u] && s->money[v] <= s->money[u] && before(s, v, u) && subset(s, u, v)) {
				s->dominated[u] = true;
				break;
			}
		}
	}
	/* Drop dominated courses from the option lists. */
	for (size_t slot = 0, at = 0; slot < s->m; slot++) {
		uint32_t start = s->opt_off[slot];
		s->opt_off[slot] = (uint32_t)at;
		for (uint32_t k = start; k < s->opt_off[slot + 1]; k++)
			if (!s->dominated[s->opt[k]])
				s->opt[at++] = s->opt[k];
		if (slot + 1 == s->m)
			s->opt_off[s->m] = (uint32_t)at;
	}
	free(required);
	return SH_OK;
}

/* ---- search state ------------------------------------------------------- */

static bool is_open(const solver *s, size_t slot)
{
	return s->coverable[slot] && !((s->covered[slot / 64] | s->skipped[slot / 64]) >> (slot % 64) & 1);
}

/* Cost and price of the part of u's closure not chosen yet. */
static void closure_increment(const solver *s, size_t u, double *cost, double *money)
{
	*cost = *money = 0;
	for (uint32_t k = s->clos_off[u]; k < s->clos_off[u + 1]; k++)
		if (!s->sel[s->clos[k]]) {
			*cost += s->cost[s->clos[k]];
			*money += s->money[s->clos[k]];
		}
}

/* Whether u's closure can be added: nothing in it excluded, its price fits the budget. */
static bool can_add(const solver *s, size_t u)
{
	for (uint32_t k = s->clos_off[u]; k < s->clos_off[u + 1]; k++)
		if (s->excl[s->clos[k]] && !s->sel[s->clos[k]])
			return false;
	double c, m;
	closure_increment(s, u, &c, &m);
	return s->budget < 0 || s->cur_money + m <= s->budget + EPS;
}

/* Adds u's closure; the courses newly chosen are appended to `added` (for undo). */
static void add_closure(solver *s, size_t u, uint32_t *added, size_t *nadded)
{
	for (uint32_t k = s->clos_off[u]; k < s->clos_off[u + 1]; k++) {
		uint32_t v = s->clos[k];
		if (s->sel[v])
			continue;
		s->sel[v] = true;
		s->cur_cost += s->cost[v];
		s->cur_money += s->money[v];
		for (size_t w = 0; w < s->nw; w++)
			s->covered[w] |= s->cover[v * s->nw + w];
		added[(*nadded)++] = v;
	}
}

/* Undoes add_closure; covered is restored by the caller from its copy. */
static void remove_added(solver *s, const uint32_t *added, size_t nadded)
{
	for (size_t i = 0; i < nadded; i++) {
		s->sel[added[i]] = false;
		s->cur_cost -= s->cost[added[i]];
		s->cur_money -= s->money[added[i]];
	}
}

static double objective_now(const solver *s)
{
	return s->cur_cost + s->cur_pen;
}

static void keep_if_best(solver *s)
{
	double obj = objective_now(s);
	if (obj < s->best_obj - EPS) {
		s->best_obj = obj;
		memcpy(s->best_sel, s->sel, s->nu * sizeof *s->sel);
	}
}

/*
 * Lower bound on the objective still to pay for the open needs (INFINITY
 * when one cannot be closed), and the open need with the fewest admissible
 * options (NONE when no need is open).
 */
static double bound(const solver *s, uint32_t *branch)
{
	double sum = 0, single = 0;
	size_t fewest = SIZE_MAX;
	*branch = NONE;
	for (size_t slot = 0; slot < s->m; slot++) {
		if (!is_open(s, slot))
			continue;
		double share = INFINITY, cheapest = INFINITY;
		size_t avail = 0;
		for (uint32_t k = s->opt_off[slot]; k < s->opt_off[slot + 1]; k++) {
			uint32_t u = s->opt[k];
			if (s->excl[u])
				continue;
			size_t open = 0;
			for (size_t w = 0; w < s->nw; w++)
				open += (size_t)__builtin_popcountll(s->cover[u * s->nw + w] & ~s->covered[w] & ~s->skipped[w]);
			double sh = s->cost[u] / (double)open;
			if (sh < share)
				share = sh;
			if (s->cost[u] < cheapest)
				cheapest = s->cost[u];
			avail++;
		}
		if (s->penalty > 0) {
			double pen = s->penalty * s->need_w[slot];
			share = share < pen ? share : pen;
			cheapest = cheapest < pen ? cheapest : pen;
		}
		if (isinf(share))
			return INFINITY;
		sum += share;
		single = cheapest > single ? cheapest : single;
		if (avail < fewest) {
			fewest = avail;
			*branch = (uint32_t)slot;
		}
	}
	return sum > single ? sum : single;
}

static bool out_of_budget(solver *s)
{
	if (s->nodes >= s->max_nodes)
		return true;
	if ((s->nodes & 255) == 0) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > s->deadline.tv_sec ||
		    (now.tv_sec == s->deadline.tv_sec && now.tv_nsec >= s->deadline.tv_nsec))
			return true;
	}
	return false;
}

static void note_open(solver *s, double lb)
{
	if (lb < s->open_lb)
		s->open_lb = lb;
}

/* Bound of the child that adds u's closure, without exploring it. */
static double child_bound(solver *s, size_t u, uint32_t *added, uint64_t *saved)
{
	size_t nadded = 0;
	memcpy(saved, s->covered, s->nw * sizeof *saved);
	add_closure(s, u, added, &nadded);
	uint32_t branch;
	double lb = objective_now(s) + bound(s, &branch);
	remove_added(s, added, nadded);
	memcpy(s->covered, saved, s->nw * sizeof *saved);
	return lb;
}

static int dfs(solver *s)
{
	uint32_t branch;
	double lb = objective_now(s) + bound(s, &branch);
	if (lb >= s->best_obj - EPS)
		return SH_OK;
	if (branch == NONE) {
		keep_if_best(s);
		return SH_OK;
	}
	if (out_of_budget(s)) {
		s->aborted = true;
		note_open(s, lb);
		return SH_OK;
	}
	s->nodes++;
	/* Per node: the covered set to restore, the closure added, the options excluded. */
	uint32_t n = s->opt_off[branch + 1] - s->opt_off[branch];
	uint64_t *saved = malloc(2 * s->nw * sizeof *saved + 1);
	uint32_t *added = malloc((s->nu + 1) * sizeof *added);
	uint32_t *excluded = malloc((n + 1) * sizeof *excluded);
	if (!saved || !added || !excluded) {
		free(saved);
		free(added);
		free(excluded);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	memcpy(saved, s->covered, s->nw * sizeof *saved);
	size_t nexcl = 0;
	int rc = SH_OK;
	for (uint32_t k = s->opt_off[branch]; k < s->opt_off[branch + 1] && !rc; k++) {
		uint32_t u = s->opt[k];
		if (s->excl[u] || !can_add(s, u))
			continue;
		if (s->aborted) {
			note_open(s, child_bound(s, u, added, saved + s->nw));
			continue;
		}
		size_t nadded = 0;
		add_closure(s, u, added, &nadded);
		rc = dfs(s);
		remove_added(s, added, nadded);
		memcpy(s->covered, saved, s->nw * sizeof *saved);
		s->excl[u] = true;
		excluded[nexcl++] = u;
	}
	if (!rc && s->penalty > 0) {
		s->skipped[branch / 64] |= 1ull << (branch % 64);
		s->cur_pen += s->penalty * s->need_w[branch];
		if (s->aborted) {
			uint32_t b;
			note_open(s, objective_now(s) + bound(s, &b));
		} else {
			rc = dfs(s);
		}
		s->cur_pen -= s->penalty * s->need_w[branch];
		s->skipped[branch / 64] &= ~(1ull << (branch % 64));
	}
	for (size_t i = 0; i < nexcl; i++)
		s->excl[excluded[i]] = false;
	free(saved);
	free(added);
	free(excluded);
	return rc;
}

/* ---- greedy ------------------------------------------------------------- */

/* Weight of the open needs u's closure would newly cover. */
static double closure_gain(const solver *s, size_t u, uint64_t *bits)
{
	memset(bits, 0, s->nw * sizeof *bits);
	for (uint32_t k = s->clos_off[u]; k < s->clos_off[u + 1]; k++)
		for (size_t w = 0; w < s->nw; w++)
			bits[w] |= s->cover[s->clos[k] * s->nw + w];
	double gain = 0;
	for (size_t w = 0; w < s->nw; w++) {
		uint64_t b = bits[w] & ~s->covered[w];
		while (b) {
			size_t slot = w * 64 + (size_t)__builtin_ctzll(b);
			gain += s->need_w[slot];
			b &= b - 1;
		}
	}
	return gain;
}

/* Whether dropping chosen course u keeps every need covered and no chosen course requires it. */
static bool redundant(const solver *s, size_t u, uint64_t *bits)
{
	memset(bits, 0, s->nw * sizeof *bits);
	for (size_t v = 0; v < s->nu; v++) {
		if (!s->sel[v] || v == u)
			continue;
		for (uint32_t k = s->clos_off[v] + 1; k < s->clos_off[v + 1]; k++)
			if (s->clos[k] == u)
				return false;
		for (size_t w = 0; w < s->nw; w++)
			bits[w] |= s->cover[v * s->nw + w];
	}
	for (size_t w = 0; w < s->nw; w++)
		if (s->cover[u * s->nw + w] & s->covered[w] & ~bits[w])
			return false;
	return true;
}

static int greedy(solver *s)
{
	uint64_t *bits = malloc(s->nw * sizeof *bits + 1);
	uint32_t *added = malloc((s->nu + 1) * sizeof *added);
	if (!bits || !added) {
		free(bits);
		free(added);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	for (;;) {
		size_t best = SIZE_MAX;
		double best_ratio = INFINITY;
		for (size_t u = 0; u < s->nu; u++) {
			if (s->sel[u] || s->dominated[u] || !can_add(s, u))
				continue;
			double gain = closure_gain(s, u, bits);
			if (gain <= 0)
				continue;
			double c, m;
			closure_increment(s, u, &c, &m);
			if (c / gain < best_ratio - EPS) {
				best_ratio = c / gain;
				best = u;
			}
		}
		if (best == SIZE_MAX)
			break;
		size_t nadded = 0;
		add_closure(s, best, added, &nadded);
		for (size_t i = 0; i < nadded; i++)
			s->order[s->norder++] = added[i];
	}
	for (size_t i = s->norder; i-- > 0;) {
		uint32_t u = s->order[i];
		if (redundant(s, u, bits)) {
			s->sel[u] = false;
			s->cur_cost -= s->cost[u];
			s->cur_money -= s->money[u];
		}
	}
	/* Needs the greedy plan leaves open pay their penalty. */
	memset(s->covered, 0, s->nw * sizeof *s->covered);
	for (size_t u = 0; u < s->nu; u++)
		if (s->sel[u])
			for (size_t w = 0; w < s->nw; w++)
				s->covered[w] |= s->cover[u * s->nw + w];
	for (size_t slot = 0; slot < s->m; slot++)
		if (is_open(s, slot))
			s->cur_pen += s->penalty > 0 ? s->penalty * s->need_w[slot] : INFINITY;
	keep_if_best(s);
	/* Back to the empty state for the exact search. */
	memset(s->sel, 0, s->nu * sizeof *s->sel);
	memset(s->covered, 0, s->nw * sizeof *s->covered);
	s->cur_cost = s->cur_money = s->cur_pen = 0;
	free(bits);
	free(added);
	return SH_OK;
}

/* ---- the plan ----------------------------------------------------------- */

static const char *start_key(const solver *s, uint32_t u)
{
	const char *d = s->courses[s->orig[u]].start;
	return d ? d : "";
}

/* Chosen courses in prerequisite order; among the ready ones the earliest start (self-paced first), then index. */
static int order_steps(const solver *s, sh_plan *plan)
{
	size_t k = 0;
	for (size_t u = 0; u < s->nu; u++)
		k += s->best_sel[u];
	uint32_t *chosen = malloc((k + 1) * sizeof *chosen);
	bool *done = calloc(s->nu + 1, sizeof *done);
	plan->steps = calloc(k + 1, sizeof *plan->steps);
	if (!chosen || !done || !plan->steps) {
		free(chosen);
		free(done);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	k = 0;
	for (size_t u = 0; u < s->nu; u++)
		if (s->best_sel[u])
			chosen[k++] = (uint32_t)u;
	for (size_t step = 0; step < k; step++) {
		uint32_t pick = NONE;
		for (size_t i = 0; i < k; i++) {
			uint32_t u = chosen[i];
			if (done[u])
				continue;
			const sh_course *c = &s->courses[s->orig[u]];
			bool ready = true;
			for (size_t p = 0; p < c->nprereqs && ready; p++)
				ready = done[s->local_of[c->prereqs[p]]];
			if (ready && (pick == NONE || strcmp(start_key(s, u), start_key(s, pick)) < 0 ||
			              (strcmp(start_key(s, u), start_key(s, pick)) == 0 && s->orig[u] < s->orig[pick])))
				pick = u;
		}
		done[pick] = true; /* a chosen course's prerequisites are chosen and acyclic: pick exists */
		plan->steps[plan->nsteps++].course = s->orig[pick];
	}
	free(chosen);
	free(done);
	return SH_OK;
}

/* The needs each step is the first to cover; uncoverable and unaffordable needs. */
static int fill_outcome(const solver *s, sh_plan *plan)
{
	bool *closed = calloc(s->m + 1, sizeof *closed);
	plan->uncoverable = malloc((s->m + 1) * sizeof *plan->uncoverable);
	plan->unaffordable = malloc((s->m + 1) * sizeof *plan->unaffordable);
	if (!closed || !plan->uncoverable || !plan->unaffordable) {
		free(closed);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < plan->nsteps; i++) {
		sh_plan_step *st = &plan->steps[i];
		uint32_t u = s->local_of[st->course];
		if (!(st->closes = malloc((s->m + 1) * sizeof *st->closes))) {
			free(closed);
			return sh_error(SH_ENOMEM, "out of memory");
		}
		for (size_t slot = 0; slot < s->m; slot++)
			if (!closed[slot] && has_slot(s, u, slot)) {
				closed[slot] = true;
				st->closes[st->ncloses++] = s->need_skill[slot];
			}
		plan->cost += s->cost[u];
		plan->price += s->money[u];
		plan->hours += s->courses[st->course].hours;
	}
	plan->objective = plan->cost;
	for (size_t slot = 0; slot < s->m; slot++) {
		if (!s->coverable[slot])
			plan->uncoverable[plan->nuncoverable++] = s->need_skill[slot];
		else if (!closed[slot]) {
			plan->unaffordable[plan->nunaffordable++] = s->need_skill[slot];
			plan->objective += s->penalty * s->need_w[slot];
		}
	}
	free(closed);
	return SH_OK;
}

static void solver_free(solver *s)
{
	free(s->need_skill);
	free(s->need_w);
	free(s->coverable);
	free(s->hslot);
	free(s->orig);
	free(s->local_of);
	free(s->cost);
	free(s->money);
	free(s->cover);
	free(s->clos_off);
	free(s->clos);
	free(s->opt_off);
	free(s->opt);
	free(s->dominated);
	free(s->sel);
	free(s->excl);
	free(s->covered);
	free(s->skipped);
	free(s->order);
	free(s->best_sel);
}

static int alloc_state(solver *s)
{
	size_t nu = s->nu + 1, nw = s->nw + 1;
	s->sel = calloc(nu, sizeof *s->sel);
	s->excl = calloc(nu, sizeof *s->excl);
	s->best_sel = calloc(nu, sizeof *s->best_sel);
	s->order = calloc(nu, sizeof *s->order);
	s->covered = calloc(nw, sizeof *s->covered);
	s->skipped = calloc(nw, sizeof *s->skipped);
	if (!s->sel || !s->excl || !s->best_sel || !s->order || !s->covered || !s->skipped)
		return sh_error(SH_ENOMEM, "out of memory");
	return SH_OK;
}

/* M: leaving any need open costs more than every admissible course together. */
static void set_penalty(solver *s)
{
	if (s->budget < 0)
		return;
	double total = 1, wmin = INFINITY;
	for (size_t u = 0; u < s->nu; u++)
		total += s->cost[u];
	for (size_t slot = 0; slot < s->m; slot++)
		if (s->coverable[slot] && s->need_w[slot] < wmin)
			wmin = s->need_w[slot];
	s->penalty = isinf(wmin) ? 1 : total / wmin;
}

static int search(solver *s, const sh_plan_opts *o, sh_plan *plan)
{
	int rc = greedy(s);
	if (rc)
		return rc;
	uint32_t branch;
	double root = bound(s, &branch);
	if (o->greedy_only) {
		plan->method = "greedy";
		plan->lower_bound = root < s->best_obj ? root : s->best_obj;
		plan->optimal = s->best_obj <= root + EPS;
		return SH_OK;
	}
	s->max_nodes = o->max_nodes ? o->max_nodes : 200000;
	double ms = o->max_ms > 0 ? o->max_ms : 1000;
	clock_gettime(CLOCK_MONOTONIC, &s->deadline);
	s->deadline.tv_sec += (time_t)(ms / 1000);
	s->deadline.tv_nsec += (long)(fmod(ms, 1000) * 1e6);
	if (s->deadline.tv_nsec >= 1000000000L) {
		s->deadline.tv_sec++;
		s->deadline.tv_nsec -= 1000000000L;
	}
	s->open_lb = INFINITY;
	if ((rc = dfs(s)))
		return rc;
	plan->nodes = s->nodes;
	plan->optimal = !s->aborted;
	plan->method = s->aborted ? "exact-budget-exceeded" : "exact";
	plan->lower_bound = s->open_lb < s->best_obj ? s->open_lb : s->best_obj;
	return SH_OK;
}

int sh_plan_courses_among(const sh_plan_need *need, size_t nneed, const sh_course *courses, size_t ncourses,
                          const uint32_t *only, size_t nonly, const sh_plan_opts *opts, sh_plan **out)
{
	*out = NULL;
	static const sh_plan_opts defaults = { .budget = -1 };
	const sh_plan_opts *o = opts ? opts : &defaults;
	int rc = validate(need, nneed, ncourses, o);
	if (rc)
		return rc;
	for (size_t j = 0; only && j < nonly; j++)
		if (only[j] >= ncourses)
			return sh_error(SH_EINVAL, "candidate index %u out of range", (unsigned)only[j]);
	solver s = { .courses = courses, .ncourses = ncourses, .only = only, .nonly = nonly,
	             .hour_cost = o->hour_cost, .budget = o->budget };
	sh_plan *plan = calloc(1, sizeof *plan);
	if (!plan)
		return sh_error(SH_ENOMEM, "out of memory");
	if (!(rc = setup_needs(&s, need, nneed)) && !(rc = build_universe(&s, o)) && !(rc = build_options(&s)) &&
	    !(rc = alloc_state(&s))) {
		set_penalty(&s);
		s.best_obj = INFINITY;
		if (!(rc = search(&s, o, plan)) && !(rc = order_steps(&s, plan)))
			rc = fill_outcome(&s, plan);
	}
	solver_free(&s);
	if (rc)
		sh_plan_free(plan);
	else
		*out = plan;
	return rc;
}

int sh_plan_courses(const sh_plan_need *need, size_t nneed, const sh_course *courses, size_t ncourses,
                    const sh_plan_opts *opts, sh_plan **out)
{
	return sh_plan_courses_among(need, nneed, courses, ncourses, NULL, 0, opts, out);
}

void sh_plan_free(sh_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->nsteps; i++)
		free(plan->steps[i].closes);
	free(plan->steps);
	free(plan->uncoverable);
	free(plan->unaffordable);
	free(plan);
}
