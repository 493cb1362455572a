/*
 * bench/bench_pathways.c - speed of gap analysis, course plans, transitions
 * and workforce plans on a real taxonomy (run by bench/pathways.sh).
 *
 *   bench_pathways DB [COURSES] [RUNS]
 *
 * Generates a synthetic catalogue of COURSES candidate courses (default
 * 100,000; fixed seed): each teaches 1-5 skills drawn uniformly from the
 * skills that some occupation lists, a fifth need one or two earlier
 * courses first, prices 50-2,000, 4-200 hours, one to three of en/de/fr,
 * mode online/onsite/blended.  Then measures
 *   gap+plan   for RUNS (default 51) occupation pairs, twice: each occupation to
 *              its best transition (near) and to an unrelated one (far), profile
 *              = the origin's essential skills: sh_gap_compute
 *              + sh_gap_needs + exact sh_plan_courses over the whole catalogue;
 *              median and p95 wall time; the same plans greedy-only, and the
 *              cost ratio greedy / exact (the exact solver's peer in the same run)
 *   transitions  sh_transitions (top 10) for every occupation, total wall time
 *   workforce  10,000 employees, 50 current occupations x 200 people moving to
 *              a mix of 50 occupations (25 of them new), with the catalogue
 *   peak RSS   getrusage
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "skillhub/skillhub.h"
#include "skillhub/pathways.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[(size_t)(p * (double)(n - 1) + 0.5)];
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static int die(const char *what)
{
	fprintf(stderr, "bench_pathways: %s: %s\n", what, sh_errmsg());
	return 1;
}

typedef struct catalogue {
	sh_course *c;
	sh_cid    *skills;
	size_t    *prereqs;
	size_t     n;
} catalogue;

static const char *const langs[] = { "en", "de", "fr" };
static const char *const modes[] = { "online", "onsite", "blended" };

static int make_catalogue(const sh_index *idx, size_t n, catalogue *cat)
{
	size_t nc = sh_index_concept_count(idx), nskills = 0;
	sh_cid *pool = malloc(nc * sizeof *pool);
	cat->c = calloc(n, sizeof *cat->c);
	cat->skills = malloc(n * 5 * sizeof *cat->skills);
	cat->prereqs = malloc(n * 2 * sizeof *cat->prereqs);
	if (!pool || !cat->c || !cat->skills || !cat->prereqs)
		return -1;
	for (sh_cid c = 0; c < nc; c++) {
		const sh_cid *r;
		if (sh_concept_kind(idx, c) == SH_KIND_SKILL &&
		    (sh_concept_related(idx, c, SH_REL_ESSENTIAL_FOR, &r) || sh_concept_related(idx, c, SH_REL_OPTIONAL_FOR, &r)))
			pool[nskills++] = c;
	}
	for (size_t i = 0; i < n; i++) {
		sh_course *c = &cat->c[i];
		c->id = "synthetic";
		c->price = 50 + rnd(1951);
		c->hours = 4 + rnd(197);
		c->skills = cat->skills + 5 * i;
		c->nskills = 1 + rnd(5);
		for (size_t k = 0; k < c->nskills; k++)
			cat->skills[5 * i + k] = pool[rnd((uint32_t)nskills)];
		c->prereqs = cat->prereqs + 2 * i;
		if (i > 0 && rnd(5) == 0) {
			c->nprereqs = 1 + rnd(2);
			for (size_t k = 0; k < c->nprereqs; k++)
				cat->prereqs[2 * i + k] = rnd((uint32_t)i);
			if (c->nprereqs == 2 && cat->prereqs[2 * i] == cat->prereqs[2 * i + 1])
				c->nprereqs = 1;
		}
		c->languages = langs + rnd(3);
		c->nlanguages = 1 + rnd((uint32_t)(3 - (size_t)(c->languages - langs)));
		c->mode = modes[rnd(3)];
	}
	cat->n = n;
	free(pool);
	return 0;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/*
 * Occupation pairs: every k-th occupation and its best transition (near), or
 * the occupation half the list away (far: most of the target's skills missing).
 */
static size_t pick_pairs(const sh_pathways *pw, const sh_cid *occ, size_t nocc, size_t runs, int far, sh_cid *from,
                         sh_cid *to)
{
	size_t n = 0;
	for (size_t i = 0; i < nocc && n < runs; i += nocc / runs + 1) {
		sh_transition t;
		size_t got;
		if (far) {
			from[n] = occ[i];
			to[n++] = occ[(i + nocc / 2) % nocc];
		} else if (sh_transitions(pw, occ[i], &t, 1, &got) == SH_OK && got) {
			from[n] = occ[i];
			to[n++] = t.occupation;
		}
	}
	return n;
}

static int bench_plans(const sh_pathways *pw, const sh_index *idx, const catalogue *cat, const sh_cid *from,
                       const sh_cid *to, size_t n, const char *what)
{
	double *ms = malloc(n * sizeof *ms), *gms = malloc(n * sizeof *gms), ratio_sum = 0, ratio_max = 1;
	size_t optimal = 0, needs_total = 0;
	for (size_t i = 0; i < n; i++) {
		sh_profile *p;
		sh_gap *g;
		sh_plan_need *need;
		size_t nneed;
		sh_plan *exact, *greedy;
		if (sh_profile_new(&p) || sh_profile_add_occupation(p, idx, from[i], 0))
			return die("profile");
		double t0 = now_ms();
		sh_plan_opts o = { .budget = -1 };
		if (sh_gap_compute(pw, p, to[i], NULL, &g) || sh_gap_needs(g, 0, &need, &nneed) ||
		    sh_plan_courses(need, nneed, cat->c, cat->n, &o, &exact))
			return die("gap + plan");
		ms[i] = now_ms() - t0;
		o.greedy_only = 1;
		t0 = now_ms();
		if (sh_plan_courses(need, nneed, cat->c, cat->n, &o, &greedy))
			return die("greedy plan");
		gms[i] = now_ms() - t0;
		double ratio = exact->cost > 0 ? greedy->cost / exact->cost : 1;
		ratio_sum += ratio;
		ratio_max = ratio > ratio_max ? ratio : ratio_max;
		optimal += (size_t)exact->optimal;
		needs_total += nneed;
		sh_plan_free(exact);
		sh_plan_free(greedy);
		free(need);
		sh_gap_free(g);
		sh_profile_free(p);
	}
	printf("%s pairs (%zu, %.1f needs avg)\n", what, n, (double)needs_total / (double)n);
	printf("  gap+plan exact:  median %.2f ms, p95 %.2f ms; proven optimal %zu/%zu\n", percentile(ms, n, 0.5),
	       percentile(ms, n, 0.95), optimal, n);
	printf("  plan greedy:     median %.2f ms, p95 %.2f ms\n", percentile(gms, n, 0.5), percentile(gms, n, 0.95));
	printf("  greedy / exact cost ratio: mean %.4f, max %.4f\n", ratio_sum / (double)n, ratio_max);
	free(ms);
	free(gms);
	return 0;
}

static int bench_workforce(const sh_pathways *pw, const sh_cid *occ, size_t nocc, const catalogue *cat)
{
	sh_headcount cur[50], tgt[50];
	for (size_t i = 0; i < 50; i++) {
		cur[i] = (sh_headcount){ occ[(i * 61) % nocc], 200 };
		/* half the target mix keeps current occupations, half is new */
		tgt[i] = (sh_headcount){ i < 25 ? occ[(i * 61) % nocc] : occ[(i * 61 + 17) % nocc], i < 25 ? 100 : 300 };
	}
	sh_plan_opts po = { .budget = -1 };
	sh_workforce_opts o = { cat->c, cat->n, &po };
	sh_workforce *w;
	double t0 = now_ms(), c0 = cpu_ms();
	if (sh_workforce_plan(pw, cur, 50, tgt, 50, &o, &w))
		return die("workforce");
	double ms = now_ms() - t0, cpu = cpu_ms() - c0;
	printf("workforce 10000 people, 50 -> 50 occupations: %.0f ms (cpu %.0f ms); %zu moves, %zu retrained, "
	       "%.0f person-skills, %.0f hours\n", ms, cpu, w->nmoves, w->moved, w->person_skills, w->hours);
	sh_workforce_free(w);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_pathways DB [COURSES] [RUNS]\n");
		return 2;
	}
	size_t ncourses = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	size_t runs = argc > 3 ? strtoul(argv[3], NULL, 10) : 51;
	sh_db *db;
	sh_index *idx;
	sh_pathways *pw;
	if (sh_db_open(&db, argv[1], SH_DB_READONLY) || sh_index_open_fresh(&idx, db))
		return die(argv[1]);
	double t0 = now_ms();
	if (sh_pathways_new(&pw, idx))
		return die("sh_pathways_new");
	printf("context (weights, occupation vectors): %.1f ms\n", now_ms() - t0);
	size_t nc = sh_index_concept_count(idx), nocc = 0;
	sh_cid *occ = malloc(nc * sizeof *occ);
	for (sh_cid c = 0; c < nc; c++)
		if (sh_concept_kind(idx, c) == SH_KIND_OCCUPATION)
			occ[nocc++] = c;

	t0 = now_ms();
	double c0 = cpu_ms();
	sh_transition top[10];
	size_t got, total = 0;
	for (size_t i = 0; i < nocc; i++) {
		if (sh_transitions(pw, occ[i], top, 10, &got))
			return die("transitions");
		total += got;
	}
	printf("transitions (top 10) for all %zu occupations: %.0f ms total (cpu %.0f ms, %zu results)\n", nocc,
	       now_ms() - t0, cpu_ms() - c0, total);

	catalogue cat;
	t0 = now_ms();
	if (make_catalogue(idx, ncourses, &cat))
		return die("catalogue");
	printf("synthetic catalogue: %zu courses generated in %.0f ms\n", ncourses, now_ms() - t0);
	sh_cid *from = malloc(runs * sizeof *from), *to = malloc(runs * sizeof *to);
	for (int far = 0; far < 2; far++) {
		size_t n = pick_pairs(pw, occ, nocc, runs, far, from, to);
		if (!n || bench_plans(pw, idx, &cat, from, to, n, far ? "far (unrelated occupations)" : "near (best transition)"))
			return 1;
	}
	if (bench_workforce(pw, occ, nocc, &cat))
		return 1;
	printf("peak RSS %ld MiB\n", peak_rss_kb() / 1024);
	free(from);
	free(to);
	free(occ);
	free(cat.c);
	free(cat.skills);
	free(cat.prereqs);
	sh_pathways_free(pw);
	sh_index_close(idx);
	sh_db_close(db);
	return 0;
}
