/*
 * bench/bench_match.c - throughput of the label matcher (match/matcher.h).
 *
 *   bench_match INDEX TEXTS [LANG]
 *
 * Opens the compiled index INDEX and its matcher, maps TEXTS (one text per
 * line), matches every line with one scratch and prints: index load time,
 * scan MB/s (matching only), total MB/s (open + read + match: the whole
 * process but for exec) by the wall clock and per CPU second (user + system
 * time: what one core does on a shared machine), the number of matches,
 * variant and ambiguous ones, and peak RSS.  bench/throughput.sh prepares
 * the texts and runs the peers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/fileio.h"
#include "match/matcher.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	fprintf(stderr, "bench_match: %s: %s\n", what, sh_errmsg());
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_match INDEX TEXTS [LANG]\n");
		return 2;
	}
	sh_match_opts opts = { .lang = argc == 4 ? argv[3] : "en" };
	double t0 = now();
	sh_index *idx;
	sh_matcher *m;
	if (sh_index_open(&idx, argv[1]))
		return fail(argv[1]);
	if (sh_matcher_open(&m, idx))
		return fail(argv[1]);
	double t1 = now();
	sh_map texts;
	if (sh_map_file(&texts, argv[2]))
		return fail(argv[2]);
	const char *text = texts.data;
	size_t len = texts.size;
	sh_match_scratch *s;
	if (sh_match_scratch_new(&s))
		return fail("scratch");
	double t2 = now();
	size_t nmatch = 0, nvariant = 0, nambiguous = 0, ntexts = 0;
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const sh_match *ms;
		size_t k;
		if (sh_match_text(m, s, p, n, &opts, &ms, &k))
			return fail("match");
		for (size_t i = 0; i < k; i++) {
			nvariant += !!(ms[i].flags & SH_MATCH_VARIANT);
			nambiguous += !!(ms[i].flags & SH_MATCH_AMBIGUOUS);
		}
		nmatch += k;
		ntexts++;
		p += n + 1;
	}
	double t3 = now();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double mb = (double)len / 1e6;
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	             (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("load %.1f ms; %zu texts, %.1f MB; scan %.1f MB/s; total %.1f MB/s wall, %.1f MB/s per CPU "
	       "second; matches %zu (variants %zu, ambiguous %zu); peak RSS %ld MB\n",
	       (t1 - t0) * 1e3, ntexts, mb, mb / (t3 - t2), mb / (t3 - t0), mb / cpu, nmatch, nvariant,
	       nambiguous, ru.ru_maxrss / 1024);
	sh_match_scratch_free(s);
	sh_unmap(&texts);
	sh_matcher_close(m);
	sh_index_close(idx);
	return 0;
}
