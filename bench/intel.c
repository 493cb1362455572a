/*
 * bench/intel.c - skills-demand aggregates at scale: synthesises job ads over
 * a database's taxonomy, aggregates them, writes and reads .agg files and
 * times demand queries.
 *
 *   intel --db DB --ads N --out DIR [--seed S]
 *   intel --db DB --agg FILE        only read FILE and time the queries
 *
 * Ads are drawn so that their counts look like real ones: occupations and
 * skills follow Zipf-like laws (rank r has weight 1/r), an ad asks for 2 to
 * 12 skills, most of them among its occupation's ESCO skills; 24 months, 10
 * countries of 5 regions, 20 sectors.  Writes DIR/all.agg (every ad),
 * DIR/a.agg and DIR/b.agg (odd and even ads: merging them must give all.agg)
 * and prints throughput, query latencies (median and worst of 5 runs of each
 * of 8 filters) and peak RSS.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "intel/intel.h"
#include "skillhub/intel.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A Zipf-like rank in [0, n): inverse transform of the continuous 1/r density. */
static size_t zipf(size_t n)
{
	double u = (double)(next() >> 11) / 9007199254740992.0;
	size_t r = (size_t)exp(u * log((double)n + 1)) - 1;
	return r < n ? r : n - 1;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of this process: the machine may be shared, so wall time alone misleads. */
static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void die(const char *what)
{
	fprintf(stderr, "intel: %s: %s\n", what, sh_errmsg());
	exit(1);
}

/* Synthesises nads ads into DIR/all.agg, DIR/a.agg (odd ads) and DIR/b.agg (even ads). */
static void synthesise(const sh_intel *in, const uint32_t *occ, size_t nocc, const uint32_t *skill, size_t nskill,
                       size_t nads, const char *dir, char path[3][4096])
{
	static const char *countries[] = { "DE", "FR", "ES", "IT", "NL", "PL", "BE", "SE", "AT", "IE" };
	char months[24][8], regions[10][5][8], sectors[20][4];
	for (int m = 0; m < 24; m++)
		snprintf(months[m], 8, "%04d-%02d", 2023 + m / 12, 1 + m % 12);
	for (int k = 0; k < 10; k++)
		for (int r = 0; r < 5; r++)
			snprintf(regions[k][r], 8, "%s%d", countries[k], r + 1);
	for (int s = 0; s < 20; s++)
		snprintf(sectors[s], 4, "%c", 'A' + s);

	sh_agg *all, *half[2];
	if (sh_agg_new(&all) || sh_agg_new(&half[0]) || sh_agg_new(&half[1]))
		die("aggregate");
	double t0 = now(), t_add = 0, c_add = 0;
	for (size_t i = 0; i < nads; i++) {
		const sh_intel_concept *o = &in->concept[occ[zipf(nocc)]];
		const char *skills[12];
		size_t n = 2 + next() % 11;
		for (size_t k = 0; k < n; k++) {
			uint32_t s = next() % 10 < 7 ? in->occskill[o->occskills + zipf(o->noccskills)].skill
			                             : skill[zipf(nskill)];
			skills[k] = in->uri.str[s];
		}
		int country = (int)zipf(10);
		sh_agg_ad ad = { months[(i * 24) / nads], countries[country], regions[country][next() % 5],
		                 in->uri.str[o - in->concept], sectors[zipf(20)], skills, n };
		double t = now(), c1 = cpu();
		if (sh_agg_add_ad(all, &ad))
			die("add");
		t_add += now() - t;
		c_add += cpu() - c1;
		if (sh_agg_add_ad(half[i & 1], &ad))
			die("add");
	}
	printf("synthesised %zu ads in %.1f s; aggregate: %.0f ads/s wall, %.0f ads/s CPU\n", nads, now() - t0,
	       nads / t_add, nads / c_add);
	printf("records: %zu cells, %zu skill counts, %zu pairs; %zu strings\n",
	       all->ncell, all->nskill, all->npair, all->str.n);

	const char *names[3] = { "all.agg", "a.agg", "b.agg" };
	sh_agg *aggs[3] = { all, half[0], half[1] };
	for (int k = 0; k < 3; k++) {
		snprintf(path[k], sizeof path[k], "%s/%s", dir, names[k]);
		double t = now(), c1 = cpu();
		if (sh_agg_write(aggs[k], path[k]))
			die(path[k]);
		if (k == 0)
			printf("write all.agg: %.2f s wall, %.2f s CPU\n", now() - t, cpu() - c1);
	}
	sh_agg_free(half[0]);
	sh_agg_free(half[1]);
	sh_agg_free(all);
}

int main(int argc, char **argv)
{
	const char *db_path = NULL, *dir = NULL, *agg_path = NULL;
	size_t nads = 1000000;
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "ads", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' }, { "seed", required_argument, NULL, 's' },
		{ "agg", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'n': nads = strtoull(optarg, NULL, 10); break;
		case 'o': dir = optarg; break;
		case 's': rng = strtoull(optarg, NULL, 10) | 1; break;
		case 'a': agg_path = optarg; break;
		default:  return 2;
		}
	}
	if (!db_path || (!dir && !agg_path)) {
		fputs("usage: intel --db DB (--ads N --out DIR [--seed S] | --agg FILE)\n", stderr);
		return 2;
	}
	sh_db *db;
	sh_intel *in;
	if (sh_db_open(&db, db_path, SH_DB_READONLY) || sh_intel_open(&in, db, "en"))
		die(db_path);
	sh_db_close(db);
	uint32_t *occ = malloc(in->uri.n * sizeof *occ), *skill = malloc(in->uri.n * sizeof *skill);
	size_t nocc = 0, nskill = 0;
	for (uint32_t i = 0; i < in->uri.n; i++) {
		if (in->concept[i].kind == 'o' && in->concept[i].noccskills)
			occ[nocc++] = i;
		else if (in->concept[i].kind == 's')
			skill[nskill++] = i;
	}
	if (!nocc || !nskill) {
		fputs("intel: the taxonomy has no occupation with skills\n", stderr);
		return 1;
	}
	char path[3][4096];
	if (agg_path)
		snprintf(path[0], sizeof path[0], "%s", agg_path);
	else
		synthesise(in, occ, nocc, skill, nskill, nads, dir, path);

	double t = now(), c1 = cpu();
	sh_agg *agg;
	if (sh_agg_read(&agg, path[0]))
		die(path[0]);
	printf("read all.agg: %.2f s wall, %.2f s CPU (%lld ads)\n", now() - t, cpu() - c1,
	       (long long)sh_agg_total_ads(agg));

	const char *some_occ = in->uri.str[occ[0]];
	sh_intel_filter filters[] = {
		{ 0 },
		{ .period_from = "2024-01", .period_to = "2024-12" },
		{ .country = "DE" },
		{ .country = "FR", .region = "FR2", .period_from = "2023-Q3", .period_to = "2024-Q2" },
		{ .occupation = "2" },
		{ .occupation = some_occ },
		{ .collection = in->ncollections ? in->collection[0] : NULL, .sector = "A" },
		{ .period_from = "2024", .period_to = "2024", .occupation = "25", .country = "DE" },
	};
	size_t nf = sizeof filters / sizeof filters[0];
	double worst = 0, worst_cpu = 0, med_all[sizeof filters / sizeof filters[0]];
	for (size_t f = 0; f < nf; f++) {
		double ms[5];
		for (int r = 0; r < 5; r++) {
			sh_demand d;
			double q = now(), qc = cpu();
			if (sh_intel_demand(in, agg, &filters[f], 20, &d))
				die("demand");
			ms[r] = (now() - q) * 1000;
			if ((cpu() - qc) * 1000 > worst_cpu)
				worst_cpu = (cpu() - qc) * 1000;
			sh_demand_free(&d);
		}
		qsort(ms, 5, sizeof ms[0], cmp_double);
		med_all[f] = ms[2];
		if (ms[4] > worst)
			worst = ms[4];
	}
	printf("demand query (top 20) median ms per filter:");
	for (size_t f = 0; f < nf; f++)
		printf(" %.1f", med_all[f]);
	printf("\ndemand query worst: %.1f ms wall, %.1f ms CPU (budget 200 ms)\n", worst, worst_cpu);
	sh_trends tr;
	sh_trend_query tq = { "2023", "2023", "2024", "2024", 10, 0.05 };
	sh_intel_filter none = { 0 };
	t = now();
	if (sh_intel_trends(in, agg, &none, &tq, &tr))
		die("trends");
	printf("trends 2023 vs 2024: %.1f ms, %zu skills tested\n", (now() - t) * 1000, tr.tested);
	sh_trends_free(&tr);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %ld MB\n", ru.ru_maxrss / 1024);
	sh_agg_free(agg);
	sh_intel_free(in);
	free(occ);
	free(skill);
	return 0;
}
