/*
 * tests/unit/test_pathways.c - skill profiles, gap analysis, course plans,
 * transitions and workforce plans.
 *
 * Course plans are tested on hand-made instances whose optimum is worked out
 * in the comments, and on random small instances against a brute force over
 * every subset of courses (the exact solver must equal it, greedy must not
 * beat it, every plan must be prerequisite-closed and in order).  Gap,
 * transitions and workforce run on a small taxonomy written with SQL:
 *
 *   ISCO 2512 <- developer (d), web developer (w); 2511 <- analyst (a); 7126 <- plumber (p)
 *   d: essential programming, debugging; optional sql, teamwork
 *   w: essential javascript, debugging, programming; optional sql
 *   a: essential requirements, sql; optional teamwork
 *   p: essential pipes, teamwork
 *   python and javascript are narrower than programming;
 *   requirements is essentially related to sql.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathways/pathways_internal.h"
#include "skillhub/pathways.h"
#include "store/db.h"

/* ---- course plans ------------------------------------------------------- */

#define MAXC 12

typedef struct inst {
	sh_course    c[MAXC];
	sh_cid       skills[MAXC][8];
	size_t       prereq[MAXC][2];
	size_t       n;
	sh_plan_need need[8];
	size_t       m;
} inst;

static void course(inst *in, const char *id, double price, double hours, const sh_cid *skills, size_t nskills,
                   const size_t *prereqs, size_t nprereqs)
{
	sh_course *c = &in->c[in->n];
	memset(c, 0, sizeof *c);
	c->id = id;
	c->price = price;
	c->hours = hours;
	if (nskills)
		memcpy(in->skills[in->n], skills, nskills * sizeof *skills);
	c->skills = in->skills[in->n];
	c->nskills = nskills;
	if (nprereqs)
		memcpy(in->prereq[in->n], prereqs, nprereqs * sizeof *prereqs);
	c->prereqs = in->prereq[in->n];
	c->nprereqs = nprereqs;
	in->n++;
}

static void need(inst *in, sh_cid skill, double weight)
{
	in->need[in->m++] = (sh_plan_need){ skill, weight };
}

static sh_plan *solve(const inst *in, const sh_plan_opts *o)
{
	sh_plan *p = NULL;
	int rc = sh_plan_courses(in->need, in->m, in->c, in->n, o, &p);
	if (rc)
		fail_msg("sh_plan_courses: %s", sh_errmsg());
	return p;
}

static int chosen(const sh_plan *p, size_t course)
{
	for (size_t i = 0; i < p->nsteps; i++)
		if (p->steps[i].course == course)
			return 1;
	return 0;
}

/* Every chosen course's prerequisites come before it. */
static void assert_ordered(const inst *in, const sh_plan *p)
{
	for (size_t i = 0; i < p->nsteps; i++) {
		const sh_course *c = &in->c[p->steps[i].course];
		for (size_t k = 0; k < c->nprereqs; k++) {
			size_t j = 0;
			while (j < i && p->steps[j].course != c->prereqs[k])
				j++;
			if (j == i)
				fail_msg("course %s is taken before its prerequisite %s", c->id, in->c[c->prereqs[k]].id);
		}
	}
}

static const sh_plan_opts unlimited = { .budget = -1 };

/*
 * Need {1,2,3}.  A{1,2} 100, B{3} 50, C{1,2,3} 140, D{2,3} 70, E{1} 40.
 * Covers: C 140, A+B 150, D+E 110, A+D 170: the optimum is D+E = 110.
 */
static void plan_basic_optimum(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "A", 100, 10, (sh_cid[]){ 1, 2 }, 2, NULL, 0);
	course(&in, "B", 50, 5, (sh_cid[]){ 3 }, 1, NULL, 0);
	course(&in, "C", 140, 20, (sh_cid[]){ 1, 2, 3 }, 3, NULL, 0);
	course(&in, "D", 70, 8, (sh_cid[]){ 2, 3 }, 2, NULL, 0);
	course(&in, "E", 40, 4, (sh_cid[]){ 1 }, 1, NULL, 0);
	need(&in, 1, 1);
	need(&in, 2, 1);
	need(&in, 3, 1);
	sh_plan *p = solve(&in, &unlimited);
	assert_true(p->optimal);
	assert_string_equal(p->method, "exact");
	assert_true(fabs(p->cost - 110) < 1e-9);
	assert_true(fabs(p->lower_bound - 110) < 1e-9);
	assert_true(fabs(p->hours - 12) < 1e-9);
	assert_int_equal(p->nsteps, 2);
	assert_true(chosen(p, 3) && chosen(p, 4));
	size_t closed = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		closed += p->steps[i].ncloses;
	assert_int_equal(closed, 3);
	assert_int_equal(p->nuncoverable, 0);
	sh_plan_free(p);
	/* Valuing time at 10 per hour: C 340, A+B 300, D+E 230, still D+E. */
	sh_plan_opts o = unlimited;
	o.hour_cost = 10;
	p = solve(&in, &o);
	assert_true(fabs(p->cost - 230) < 1e-9);
	assert_true(fabs(p->price - 110) < 1e-9);
	sh_plan_free(p);
}

/* A need no course teaches is reported; the rest is still covered. */
static void plan_uncoverable_skill(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "A", 10, 1, (sh_cid[]){ 1 }, 1, NULL, 0);
	need(&in, 1, 1);
	need(&in, 99, 2);
	sh_plan *p = solve(&in, &unlimited);
	assert_int_equal(p->nuncoverable, 1);
	assert_int_equal(p->uncoverable[0], 99);
	assert_int_equal(p->nsteps, 1);
	assert_int_equal(p->steps[0].course, 0);
	assert_int_equal(p->steps[0].ncloses, 1);
	assert_int_equal(p->steps[0].closes[0], 1);
	assert_true(p->optimal);
	sh_plan_free(p);
}

/*
 * Need {5,6}.  P{} 100; X{5} 10 needs P; Y{5} 80; Z{6} 30 needs P; W{6} 100.
 * X+Z+P 140, Y+W 180, Y+Z+P 210, X+P+W 210: optimum X, Z and P first.
 * For need {5} alone, Y (80) beats X with P (110).
 */
static void plan_prerequisites(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "P", 100, 1, NULL, 0, NULL, 0);
	course(&in, "X", 10, 1, (sh_cid[]){ 5 }, 1, (size_t[]){ 0 }, 1);
	course(&in, "Y", 80, 1, (sh_cid[]){ 5 }, 1, NULL, 0);
	course(&in, "Z", 30, 1, (sh_cid[]){ 6 }, 1, (size_t[]){ 0 }, 1);
	course(&in, "W", 100, 1, (sh_cid[]){ 6 }, 1, NULL, 0);
	need(&in, 5, 1);
	need(&in, 6, 1);
	sh_plan *p = solve(&in, &unlimited);
	assert_true(fabs(p->cost - 140) < 1e-9);
	assert_int_equal(p->nsteps, 3);
	assert_int_equal(p->steps[0].course, 0);
	assert_int_equal(p->steps[0].ncloses, 0);
	assert_ordered(&in, p);
	sh_plan_free(p);
	in.m = 1;
	p = solve(&in, &unlimited);
	assert_true(fabs(p->cost - 80) < 1e-9);
	assert_int_equal(p->nsteps, 1);
	assert_int_equal(p->steps[0].course, 2);
	sh_plan_free(p);
}

/* Two equal courses: exactly one is taken, the first. */
static void plan_ties(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "first", 10, 1, (sh_cid[]){ 1 }, 1, NULL, 0);
	course(&in, "second", 10, 1, (sh_cid[]){ 1 }, 1, NULL, 0);
	need(&in, 1, 1);
	sh_plan *p = solve(&in, &unlimited);
	assert_int_equal(p->nsteps, 1);
	assert_int_equal(p->steps[0].course, 0);
	assert_true(fabs(p->cost - 10) < 1e-9);
	sh_plan_free(p);
}

/*
 * Needs 1 (weight 3) and 2 (weight 1); A{1} 60, B{2} 50, budget 70: A alone
 * (the heavier need), 2 left open.  Budget 110: both.  Budget 40: nothing.
 */
static void plan_budget(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "A", 60, 1, (sh_cid[]){ 1 }, 1, NULL, 0);
	course(&in, "B", 50, 1, (sh_cid[]){ 2 }, 1, NULL, 0);
	need(&in, 1, 3);
	need(&in, 2, 1);
	sh_plan_opts o = unlimited;
	o.budget = 70;
	sh_plan *p = solve(&in, &o);
	assert_int_equal(p->nsteps, 1);
	assert_int_equal(p->steps[0].course, 0);
	assert_int_equal(p->nunaffordable, 1);
	assert_int_equal(p->unaffordable[0], 2);
	assert_true(p->optimal);
	assert_true(p->objective > p->cost);
	sh_plan_free(p);
	o.budget = 110;
	p = solve(&in, &o);
	assert_int_equal(p->nsteps, 2);
	assert_int_equal(p->nunaffordable, 0);
	assert_true(fabs(p->objective - 110) < 1e-9);
	sh_plan_free(p);
	o.budget = 40;
	p = solve(&in, &o);
	assert_int_equal(p->nsteps, 0);
	/* No course fits: both needs are out of reach of every admissible course. */
	assert_int_equal(p->nuncoverable + p->nunaffordable, 2);
	sh_plan_free(p);
}

/* Language, region, mode and dates filter courses and, through prerequisites, the courses needing them. */
static void plan_constraints(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "fr-basics", 5, 1, NULL, 0, NULL, 0);
	course(&in, "cheap-after-fr", 10, 1, (sh_cid[]){ 1 }, 1, (size_t[]){ 0 }, 1);
	course(&in, "en-online", 50, 1, (sh_cid[]){ 1 }, 1, NULL, 0);
	course(&in, "en-berlin-late", 20, 1, (sh_cid[]){ 2 }, 1, NULL, 0);
	course(&in, "en-any", 40, 1, (sh_cid[]){ 2 }, 1, NULL, 0);
	static const char *const fr[] = { "fr" }, *const en[] = { "en" }, *const en_de[] = { "de", "en" };
	in.c[0].languages = fr;
	in.c[1].languages = en;
	in.c[2].languages = en;
	in.c[3].languages = en_de;
	in.c[0].nlanguages = in.c[1].nlanguages = in.c[2].nlanguages = in.c[3].nlanguages = 1;
	in.c[3].nlanguages = 2;
	in.c[2].mode = "online";
	in.c[3].region = "DE30";
	in.c[3].start = "2027-03-01";
	in.c[3].end = "2027-04-01";
	need(&in, 1, 1);
	need(&in, 2, 1);
	sh_plan *p = solve(&in, &unlimited);
	assert_true(fabs(p->cost - 35) < 1e-9); /* fr-basics + cheap-after-fr + en-berlin-late */
	sh_plan_free(p);
	sh_plan_opts o = unlimited;
	o.language = "en";
	p = solve(&in, &o);
	assert_true(fabs(p->cost - 70) < 1e-9); /* en-online + en-berlin-late */
	sh_plan_free(p);
	o.region = "FR";
	p = solve(&in, &o);
	assert_true(fabs(p->cost - 90) < 1e-9); /* en-online + en-any */
	sh_plan_free(p);
	o.region = "DE";
	p = solve(&in, &o);
	assert_true(fabs(p->cost - 70) < 1e-9); /* DE admits DE30 */
	sh_plan_free(p);
	o.region = NULL;
	o.to = "2027-03-15";
	p = solve(&in, &o);
	assert_true(fabs(p->cost - 90) < 1e-9); /* the Berlin course ends too late */
	sh_plan_free(p);
	o.to = NULL;
	o.mode = "onsite";
	p = solve(&in, &o);
	assert_int_equal(p->nuncoverable, 1); /* only the online course teaches 1 in English */
	assert_int_equal(p->uncoverable[0], 1);
	sh_plan_free(p);
}

static void plan_rejects_bad_input(void **state)
{
	(void)state;
	inst in = { 0 };
	course(&in, "a", 1, 1, (sh_cid[]){ 1 }, 1, (size_t[]){ 1 }, 1);
	course(&in, "b", 1, 1, (sh_cid[]){ 1 }, 1, (size_t[]){ 0 }, 1);
	need(&in, 1, 1);
	sh_plan *p = NULL;
	assert_int_equal(sh_plan_courses(in.need, in.m, in.c, in.n, NULL, &p), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "cycle"));
	assert_null(p);
	in.prereq[0][0] = 7;
	assert_int_equal(sh_plan_courses(in.need, in.m, in.c, in.n, NULL, &p), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "out of range"));
	in.c[0].nprereqs = in.c[1].nprereqs = 0;
	in.c[1].price = -1;
	assert_int_equal(sh_plan_courses(in.need, in.m, in.c, in.n, NULL, &p), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "'b'"));
	in.c[1].price = 1;
	in.need[0].weight = 0;
	assert_int_equal(sh_plan_courses(in.need, in.m, in.c, in.n, NULL, &p), SH_EINVAL);
}

/* ---- random instances against brute force -------------------------------- */

static unsigned rng_state = 12345;
static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 16) % n;
}

static void random_instance(inst *in, double *budget, double *hour_cost)
{
	memset(in, 0, sizeof *in);
	size_t m = 1 + rnd(6);
	for (size_t i = 0; i < m; i++)
		need(in, (sh_cid)(100 + i), 1 + rnd(5));
	size_t n = 1 + rnd(9);
	for (size_t i = 0; i < n; i++) {
		sh_cid skills[8];
		size_t ns = 0, pre[2], np = 0;
		for (size_t s = 0; s < in->m; s++)
			if (rnd(10) < 3)
				skills[ns++] = (sh_cid)(100 + s);
		if (rnd(4) == 0)
			skills[ns++] = 500; /* not needed */
		if (i > 0 && rnd(10) < 3)
			pre[np++] = rnd((unsigned)i);
		if (i > 1 && rnd(10) < 2 && (pre[np++] = rnd((unsigned)i)) == pre[0] && np == 2)
			np = 1;
		course(in, "r", rnd(101), rnd(21), skills, ns, pre, np);
	}
	*budget = rnd(2) ? -1.0 : (double)rnd(200);
	*hour_cost = rnd(3) ? 0 : 2;
}

/* The objective of the best prerequisite-closed subset, defined as in sh_plan_courses. */
static double brute_force(const inst *in, double budget, double hour_cost, unsigned *coverable_out)
{
	unsigned clos[MAXC], cover[MAXC];
	double cost[MAXC];
	for (size_t i = 0; i < in->n; i++) {
		clos[i] = 1u << i;
		for (size_t k = 0; k < in->c[i].nprereqs; k++)
			clos[i] |= clos[in->c[i].prereqs[k]]; /* prerequisites have lower indexes */
		cover[i] = 0;
		for (size_t k = 0; k < in->c[i].nskills; k++)
			for (size_t s = 0; s < in->m; s++)
				if (in->c[i].skills[k] == in->need[s].skill)
					cover[i] |= 1u << s;
		cost[i] = in->c[i].price + hour_cost * in->c[i].hours;
	}
	unsigned universe = 0, coverable = 0;
	for (size_t i = 0; i < in->n; i++) {
		double money = 0;
		for (size_t j = 0; j < in->n; j++)
			if (clos[i] >> j & 1)
				money += in->c[j].price;
		if (cover[i] && (budget < 0 || money <= budget)) {
			universe |= clos[i];
			coverable |= cover[i];
		}
	}
	double total = 1, wmin = INFINITY;
	for (size_t i = 0; i < in->n; i++)
		if (universe >> i & 1)
			total += cost[i];
	for (size_t s = 0; s < in->m; s++)
		if ((coverable >> s & 1) && in->need[s].weight < wmin)
			wmin = in->need[s].weight;
	double penalty = budget < 0 || isinf(wmin) ? 0 : total / wmin;
	double best = INFINITY;
	for (unsigned set = 0; set < 1u << in->n; set++) {
		double c = 0, money = 0;
		unsigned covered = 0;
		int closed = 1;
		for (size_t i = 0; i < in->n && closed; i++)
			if (set >> i & 1) {
				closed = (clos[i] & set) == clos[i];
				c += cost[i];
				money += in->c[i].price;
				covered |= cover[i];
			}
		if (!closed || (budget >= 0 && money > budget + 1e-9))
			continue;
		unsigned open = coverable & ~covered;
		if (open && budget < 0)
			continue;
		for (size_t s = 0; s < in->m; s++)
			if (open >> s & 1)
				c += penalty * in->need[s].weight;
		if (c < best)
			best = c;
	}
	*coverable_out = coverable;
	return best;
}

static void check_plan_valid(const inst *in, const sh_plan *p, double budget, unsigned coverable)
{
	assert_ordered(in, p);
	double money = 0;
	unsigned covered = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const sh_course *c = &in->c[p->steps[i].course];
		money += c->price;
		for (size_t k = 0; k < c->nskills; k++)
			for (size_t s = 0; s < in->m; s++)
				if (c->skills[k] == in->need[s].skill)
					covered |= 1u << s;
	}
	if (budget >= 0)
		assert_true(money <= budget + 1e-9);
	else
		assert_int_equal(covered & coverable, coverable);
	assert_int_equal(p->nuncoverable, (size_t)(in->m - (size_t)__builtin_popcount(coverable)));
	for (size_t i = 0; i < p->nunaffordable; i++) /* reported open needs are really open */
		for (size_t s = 0; s < in->m; s++)
			if (in->need[s].skill == p->unaffordable[i])
				assert_false(covered >> s & 1);
}

static void plan_random_against_brute_force(void **state)
{
	(void)state;
	for (int round = 0; round < 600; round++) {
		inst in;
		double budget, hour_cost;
		random_instance(&in, &budget, &hour_cost);
		unsigned coverable;
		double best = brute_force(&in, budget, hour_cost, &coverable);
		sh_plan_opts o = unlimited;
		o.budget = budget;
		o.hour_cost = hour_cost;
		sh_plan *exact = solve(&in, &o);
		o.greedy_only = 1;
		sh_plan *greedy = solve(&in, &o);
		if (fabs(exact->objective - best) > 1e-6 * (1 + best))
			fail_msg("round %d: exact %.6f, brute force %.6f (budget %g)", round, exact->objective, best, budget);
		assert_true(exact->optimal);
		assert_true(greedy->objective >= best - 1e-6 * (1 + best));
		assert_true(greedy->lower_bound <= best + 1e-6 * (1 + best));
		check_plan_valid(&in, exact, budget, coverable);
		check_plan_valid(&in, greedy, budget, coverable);
		/* scanning only the courses that teach a need gives the same optimum */
		uint32_t only[MAXC];
		size_t nonly = 0;
		for (size_t i = 0; i < in.n; i++)
			for (size_t k = 0; k < in.c[i].nskills; k++)
				if (in.c[i].skills[k] != 500) {
					only[nonly++] = (uint32_t)i;
					break;
				}
		o.greedy_only = 0;
		sh_plan *among;
		assert_int_equal(sh_plan_courses_among(in.need, in.m, in.c, in.n, only, nonly, &o, &among), SH_OK);
		assert_true(fabs(among->objective - exact->objective) < 1e-9);
		sh_plan_free(among);
		sh_plan_free(exact);
		sh_plan_free(greedy);
	}
}

/* With a node budget of 1 the search stops early: a valid plan and a lower bound no higher than its cost. */
static void plan_node_budget(void **state)
{
	(void)state;
	inst in = { 0 };
	for (sh_cid s = 1; s <= 6; s++)
		need(&in, s, 1);
	static const char *ids[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
	for (size_t i = 0; i < 10; i++) {
		sh_cid sk[3] = { (sh_cid)(1 + i % 6), (sh_cid)(1 + (i * 7 + 2) % 6), (sh_cid)(1 + (i * 5 + 1) % 6) };
		course(&in, ids[i], 20 + (double)((i * 37) % 23), 1, sk, 3, NULL, 0);
	}
	sh_plan_opts o = unlimited;
	o.max_nodes = 1;
	sh_plan *p = solve(&in, &o);
	sh_plan *full = solve(&in, &unlimited);
	assert_true(full->optimal);
	assert_true(p->lower_bound <= full->cost + 1e-9);
	assert_true(p->cost >= full->cost - 1e-9);
	if (!p->optimal)
		assert_string_equal(p->method, "exact-budget-exceeded");
	size_t covered = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		covered += p->steps[i].ncloses;
	assert_int_equal(covered, 6);
	sh_plan_free(p);
	sh_plan_free(full);
}

/* ---- gap, transitions, workforce on a small taxonomy ---------------------- */

#define U_OCC   "http://data.europa.eu/esco/occupation/"
#define U_SKILL "http://data.europa.eu/esco/skill/"

static const char taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind, code, reuse_level, isco_group) VALUES"
	" (1, 'http://data.europa.eu/esco/isco/C2512', 'isco_group', '2512', NULL, NULL),"
	" (2, 'http://data.europa.eu/esco/isco/C2511', 'isco_group', '2511', NULL, NULL),"
	" (3, 'http://data.europa.eu/esco/isco/C7126', 'isco_group', '7126', NULL, NULL),"
	" (10, '" U_OCC "dev', 'occupation', '2512.4', NULL, 1),"
	" (11, '" U_OCC "analyst', 'occupation', '2511.1', NULL, 2),"
	" (12, '" U_OCC "plumber', 'occupation', '7126.1', NULL, 3),"
	" (13, '" U_OCC "webdev', 'occupation', '2512.5', NULL, 1),"
	" (20, '" U_SKILL "programming', 'skill', NULL, 'cross-sector', NULL),"
	" (21, '" U_SKILL "python', 'skill', NULL, 'sector-specific', NULL),"
	" (22, '" U_SKILL "debugging', 'skill', NULL, 'sector-specific', NULL),"
	" (23, '" U_SKILL "teamwork', 'skill', NULL, 'transversal', NULL),"
	" (24, '" U_SKILL "sql', 'skill', NULL, 'cross-sector', NULL),"
	" (25, '" U_SKILL "pipes', 'skill', NULL, 'occupation-specific', NULL),"
	" (26, '" U_SKILL "requirements', 'skill', NULL, 'sector-specific', NULL),"
	" (27, '" U_SKILL "javascript', 'skill', NULL, 'sector-specific', NULL);"
	"INSERT INTO label(concept, lang, kind, text) VALUES"
	" (1, 'en', 'preferred', 'Software developers'), (2, 'en', 'preferred', 'Systems analysts'),"
	" (3, 'en', 'preferred', 'Plumbers'), (10, 'en', 'preferred', 'developer'),"
	" (11, 'en', 'preferred', 'analyst'), (12, 'en', 'preferred', 'plumber'),"
	" (13, 'en', 'preferred', 'web developer'), (20, 'en', 'preferred', 'programming'),"
	" (21, 'en', 'preferred', 'python'), (22, 'en', 'preferred', 'debugging'),"
	" (23, 'en', 'preferred', 'teamwork'), (24, 'en', 'preferred', 'sql'),"
	" (25, 'en', 'preferred', 'pipes'), (26, 'en', 'preferred', 'requirements'),"
	" (27, 'en', 'preferred', 'javascript');"
	"INSERT INTO occupation_skill VALUES"
	" (10, 20, 'essential'), (10, 22, 'essential'), (10, 24, 'optional'), (10, 23, 'optional'),"
	" (13, 27, 'essential'), (13, 22, 'essential'), (13, 20, 'essential'), (13, 24, 'optional'),"
	" (11, 26, 'essential'), (11, 24, 'essential'), (11, 23, 'optional'),"
	" (12, 25, 'essential'), (12, 23, 'essential');"
	"INSERT INTO skill_skill VALUES (26, 24, 'essential');"
	"INSERT INTO broader VALUES (21, 20), (27, 20), (10, 1), (13, 1), (11, 2), (12, 3);"
	"UPDATE meta SET value = '1' WHERE key = 'taxonomy_generation';";

typedef struct world {
	char        *dir;
	sh_db       *db;
	sh_index    *idx;
	sh_pathways *pw;
} world;

static int world_setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->dir = test_tmpdir();
	char path[4200];
	snprintf(path, sizeof path, "%s/p.db", w->dir);
	assert_int_equal(sh_db_open(&w->db, path, SH_DB_CREATE), SH_OK);
	if (sh_db_exec(w->db, taxonomy_sql))
		fail_msg("fixture SQL: %s", sh_errmsg());
	assert_int_equal(sh_index_open_fresh(&w->idx, w->db), SH_OK);
	assert_int_equal(sh_pathways_new(&w->pw, w->idx), SH_OK);
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	world *w = *state;
	sh_pathways_free(w->pw);
	sh_index_close(w->idx);
	sh_db_close(w->db);
	test_rmtree(w->dir);
	free(w->dir);
	free(w);
	return 0;
}

static sh_cid cid(const world *w, const char *key)
{
	sh_cid c;
	if (sh_index_lookup(w->idx, key, &c))
		fail_msg("no concept %s", key);
	return c;
}

static sh_gap *gap_of(const world *w, const sh_profile *p, const char *target)
{
	sh_gap *g = NULL;
	if (sh_gap_compute(w->pw, p, cid(w, target), NULL, &g))
		fail_msg("sh_gap_compute: %s", sh_errmsg());
	return g;
}

static const sh_gap_item *item(const sh_gap *g, sh_cid skill)
{
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i].skill == skill)
			return &g->items[i];
	fail_msg("skill %u not in the gap", (unsigned)skill);
	return NULL;
}

static void weights_follow_specificity(void **state)
{
	world *w = *state;
	/* 4 occupations; pipes: 1 of them, occupation-specific: ln(1 + 4/2). */
	assert_true(fabs(sh_skill_weight(w->pw, cid(w, "pipes")) - log(3.0)) < 1e-9);
	/* teamwork: 3 occupations, transversal: 0.5 ln(1 + 4/4). */
	assert_true(fabs(sh_skill_weight(w->pw, cid(w, "teamwork")) - 0.5 * log(2.0)) < 1e-9);
	assert_true(sh_skill_weight(w->pw, cid(w, "dev")) == 0);
}

static void profile_levels_and_json(void **state)
{
	world *w = *state;
	sh_profile *p;
	assert_int_equal(sh_profile_new(&p), SH_OK);
	sh_cid sql = cid(w, "sql");
	assert_int_equal(sh_profile_add(p, sql, 0.5f, SH_SOURCE_CV), SH_OK);
	assert_int_equal(sh_profile_add(p, sql, 0.9f, SH_SOURCE_ASSESSED), SH_OK);
	assert_int_equal(sh_profile_add(p, sql, 0.2f, SH_SOURCE_DECLARED), SH_OK);
	assert_int_equal(sh_profile_add(p, sql, 1.5f, SH_SOURCE_DECLARED), SH_EINVAL);
	const sh_profile_skill *s;
	assert_int_equal(sh_profile_skills(p, &s), 1);
	assert_true(fabs(s[0].level - 0.9f) < 1e-6);
	assert_int_equal(s[0].source, SH_SOURCE_ASSESSED);
	assert_int_equal(sh_profile_load_json(p, w->idx,
	        "{\"skills\": [{\"uri\": \"" U_SKILL "pipes\", \"level\": 0.5, \"source\": \"credential\"}],"
	        " \"occupations\": [{\"uri\": \"" U_OCC "analyst\", \"optional\": true}]}", "p.json"), SH_OK);
	assert_int_equal(sh_profile_skills(p, &s), 4); /* sql (once), pipes, requirements, teamwork */
	assert_true(s[0].skill < s[1].skill && s[1].skill < s[2].skill);
	assert_int_equal(sh_profile_load_json(p, w->idx, "{\"skills\": [{\"uri\": \"nope\"}]}", "p.json"),
	                 SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "p.json: skills[0].uri"));
	assert_int_equal(sh_profile_load_json(p, w->idx,
	        "{\"skills\": [{\"uri\": \"" U_SKILL "sql\", \"level\": 2}]}", "p.json"), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "skills[0].level"));
	assert_int_equal(sh_profile_load_json(p, w->idx,
	        "{\"skills\": [{\"uri\": \"" U_OCC "dev\"}]}", "p.json"), SH_EFORMAT);
	assert_int_equal(sh_profile_load_json(p, w->idx, "{\"skills\": [", "p.json"), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "p.json:1"));
	assert_int_equal(sh_skill_source_from_name("credential"), SH_SOURCE_CREDENTIAL);
	assert_string_equal(sh_skill_source_name(SH_SOURCE_CV), "cv");
	sh_profile_free(p);
}

static void gap_invariants(void **state)
{
	world *w = *state;
	static const char *occs[] = { "dev", "analyst", "plumber", "webdev" };
	for (size_t i = 0; i < 4; i++) {
		sh_profile *p;
		assert_int_equal(sh_profile_new(&p), SH_OK);
		/* empty profile: readiness 0 */
		sh_gap *g = gap_of(w, p, occs[i]);
		assert_true(g->readiness == 0);
		sh_gap_free(g);
		/* the target's own skills: 1 */
		assert_int_equal(sh_profile_add_occupation(p, w->idx, cid(w, occs[i]), 1), SH_OK);
		g = gap_of(w, p, occs[i]);
		assert_true(fabs(g->readiness - 1) < 1e-12);
		assert_true(fabs(g->optional_coverage - 1) < 1e-12);
		double sum = 0;
		for (size_t k = 0; k < g->nessential; k++)
			sum += g->items[k].contribution;
		assert_true(fabs(sum - 1) < 1e-12);
		sh_gap_free(g);
		sh_profile_free(p);
	}
	/* monotone: adding skills (any level) never lowers readiness */
	for (int round = 0; round < 50; round++) {
		sh_profile *p;
		assert_int_equal(sh_profile_new(&p), SH_OK);
		double last[4] = { 0, 0, 0, 0 };
		for (int step = 0; step < 8; step++) {
			sh_cid s = cid(w, (const char *[]){ "programming", "python", "debugging", "teamwork", "sql",
			                                  "pipes", "requirements", "javascript" }[rnd(8)]);
			assert_int_equal(sh_profile_add(p, s, (float)rnd(11) / 10.0f, SH_SOURCE_DECLARED), SH_OK);
			for (size_t i = 0; i < 4; i++) {
				sh_gap *g = gap_of(w, p, occs[i]);
				assert_true(g->readiness >= last[i] - 1e-12);
				assert_true(g->readiness >= 0 && g->readiness <= 1 + 1e-12);
				last[i] = g->readiness;
				sh_gap_free(g);
			}
		}
		sh_profile_free(p);
	}
}

static void gap_partial_credit(void **state)
{
	world *w = *state;
	sh_profile *p;
	assert_int_equal(sh_profile_new(&p), SH_OK);
	/* python (narrower) counts 0.8 towards programming (broader) */
	assert_int_equal(sh_profile_add(p, cid(w, "python"), 1.0f, SH_SOURCE_DECLARED), SH_OK);
	sh_gap *g = gap_of(w, p, "dev");
	const sh_gap_item *it = item(g, cid(w, "programming"));
	assert_int_equal(it->how, SH_CREDIT_NARROWER);
	assert_int_equal(it->via, cid(w, "python"));
	assert_true(fabs(it->credit - 0.8) < 1e-9);
	double wp = sh_skill_weight(w->pw, cid(w, "programming")), wd = sh_skill_weight(w->pw, cid(w, "debugging"));
	assert_true(fabs(g->readiness - 0.8 * wp / (wp + wd)) < 1e-9);
	assert_true(g->items[0].essential && !g->items[g->nitems - 1].essential);
	sh_gap_free(g);
	/* programming (broader) gives nothing towards javascript (narrower) */
	sh_profile_free(p);
	assert_int_equal(sh_profile_new(&p), SH_OK);
	assert_int_equal(sh_profile_add(p, cid(w, "programming"), 1.0f, SH_SOURCE_DECLARED), SH_OK);
	g = gap_of(w, p, "webdev");
	assert_int_equal(item(g, cid(w, "javascript"))->how, SH_CREDIT_NONE);
	assert_true(item(g, cid(w, "javascript"))->credit == 0);
	assert_int_equal(item(g, cid(w, "programming"))->how, SH_CREDIT_EXACT);
	sh_gap_free(g);
	/* requirements is essentially related to sql: 0.5 x level */
	assert_int_equal(sh_profile_add(p, cid(w, "requirements"), 0.6f, SH_SOURCE_DECLARED), SH_OK);
	g = gap_of(w, p, "analyst");
	it = item(g, cid(w, "sql"));
	assert_int_equal(it->how, SH_CREDIT_RELATED);
	assert_true(fabs(it->credit - 0.3) < 1e-6);
	/* needs: the essential skills not fully held, weight x (1 - credit) */
	sh_plan_need *needs;
	size_t n;
	assert_int_equal(sh_gap_needs(g, 0, &needs, &n), SH_OK);
	assert_int_equal(n, 2);
	double ws = sh_skill_weight(w->pw, cid(w, "sql"));
	for (size_t i = 0; i < n; i++)
		if (needs[i].skill == cid(w, "sql"))
			assert_true(fabs(needs[i].weight - 0.7 * ws) < 1e-6);
	free(needs);
	sh_gap_free(g);
	/* demand multiplies weights by 1 + demand */
	float *demand = calloc(sh_index_concept_count(w->idx), sizeof *demand);
	assert_non_null(demand);
	demand[cid(w, "sql")] = 1.0f;
	sh_gap_opts o = { demand, sh_index_concept_count(w->idx) };
	assert_int_equal(sh_gap_compute(w->pw, p, cid(w, "analyst"), &o, &g), SH_OK);
	assert_true(fabs(item(g, cid(w, "sql"))->weight - 2 * ws) < 1e-9);
	sh_gap_free(g);
	free(demand);
	assert_int_equal(sh_gap_compute(w->pw, p, cid(w, "sql"), NULL, &g), SH_EINVAL);
	sh_profile_free(p);
}

static void transitions_rank_by_overlap(void **state)
{
	world *w = *state;
	sh_transition t[8];
	size_t n;
	assert_int_equal(sh_transitions(w->pw, cid(w, "dev"), t, 8, &n), SH_OK);
	assert_int_equal(n, 3);
	assert_int_equal(t[0].occupation, cid(w, "webdev"));
	assert_int_equal(t[0].isco_digits, 4);
	assert_true(t[0].same_sector);
	assert_int_equal(t[1].occupation, cid(w, "analyst"));
	assert_int_equal(t[1].isco_digits, 3);
	assert_true(t[1].same_sector);
	assert_int_equal(t[2].occupation, cid(w, "plumber"));
	assert_false(t[2].same_sector);
	/* webdev: programming, debugging shared; sql optional in both; javascript missing */
	double wp = sh_skill_weight(w->pw, cid(w, "programming")), wd = sh_skill_weight(w->pw, cid(w, "debugging"));
	double wj = sh_skill_weight(w->pw, cid(w, "javascript")), ws = sh_skill_weight(w->pw, cid(w, "sql"));
	double want = (wp + wd + 0.5 * ws) / (wp + wd + wj + 0.5 * ws);
	assert_true(fabs(t[0].overlap - want) < 1e-9);
	assert_true(fabs(t[0].score - (want + 0.1)) < 1e-9);
	for (size_t i = 1; i < n; i++)
		assert_true(t[i - 1].score >= t[i].score);
	assert_int_equal(sh_transitions(w->pw, cid(w, "dev"), t, 1, &n), SH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(t[0].occupation, cid(w, "webdev"));
	assert_int_equal(sh_transitions(w->pw, cid(w, "sql"), t, 8, &n), SH_EINVAL);
}

/*
 * current: dev 10, plumber 5; target: dev 2, webdev 8, analyst 3.
 * dev->webdev lacks javascript (40 h), dev->analyst requirements + sql (80 h),
 * plumber->analyst 80 h, plumber->webdev 120 h.  Cheapest first: 8 dev ->
 * webdev, then 3 plumbers -> analyst; 2 plumbers are left over.
 */
static void workforce_moves(void **state)
{
	world *w = *state;
	sh_headcount cur[] = { { cid(w, "dev"), 10 }, { cid(w, "plumber"), 5 } };
	sh_headcount tgt[] = { { cid(w, "dev"), 2 }, { cid(w, "webdev"), 8 }, { cid(w, "analyst"), 3 } };
	sh_workforce *wf;
	assert_int_equal(sh_workforce_plan(w->pw, cur, 2, tgt, 3, NULL, &wf), SH_OK);
	assert_int_equal(wf->staying, 2);
	assert_int_equal(wf->moved, 11);
	assert_int_equal(wf->surplus, 2);
	assert_int_equal(wf->unfilled, 0);
	assert_int_equal(wf->nmoves, 2);
	assert_int_equal(wf->moves[0].from, cid(w, "dev"));
	assert_int_equal(wf->moves[0].to, cid(w, "webdev"));
	assert_int_equal(wf->moves[0].people, 8);
	assert_int_equal(wf->moves[0].skills, 1);
	assert_true(fabs(wf->moves[0].hours - SH_DEFAULT_SKILL_HOURS) < 1e-9);
	assert_int_equal(wf->moves[1].from, cid(w, "plumber"));
	assert_int_equal(wf->moves[1].to, cid(w, "analyst"));
	assert_true(fabs(wf->hours - (8 * 40.0 + 3 * 80.0)) < 1e-9);
	assert_true(fabs(wf->person_skills - 14) < 1e-9);
	sh_workforce_free(wf);
	/* with courses: javascript in 12 h, and the plan per move */
	sh_cid js = cid(w, "javascript");
	sh_course c = { .id = "js101", .hours = 12, .price = 300, .skills = &js, .nskills = 1 };
	sh_workforce_opts o = { &c, 1, NULL };
	assert_int_equal(sh_workforce_plan(w->pw, cur, 2, tgt, 3, &o, &wf), SH_OK);
	assert_non_null(wf->moves[0].plan);
	assert_int_equal(wf->moves[0].plan->nsteps, 1);
	assert_true(fabs(wf->moves[0].hours - 12) < 1e-9);
	assert_true(fabs(wf->moves[1].hours - 80) < 1e-9); /* no course: the default for both skills */
	sh_workforce_free(wf);
	sh_headcount bad[] = { { cid(w, "sql"), 1 } };
	assert_int_equal(sh_workforce_plan(w->pw, bad, 1, tgt, 3, NULL, &wf), SH_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_basic_optimum),
		cmocka_unit_test(plan_uncoverable_skill),
		cmocka_unit_test(plan_prerequisites),
		cmocka_unit_test(plan_ties),
		cmocka_unit_test(plan_budget),
		cmocka_unit_test(plan_constraints),
		cmocka_unit_test(plan_rejects_bad_input),
		cmocka_unit_test(plan_random_against_brute_force),
		cmocka_unit_test(plan_node_budget),
		cmocka_unit_test_setup_teardown(weights_follow_specificity, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(profile_levels_and_json, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(gap_invariants, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(gap_partial_credit, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(transitions_rank_by_overlap, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(workforce_moves, world_setup, world_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
