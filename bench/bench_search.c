/*
 * bench/bench_search.c - speed and quality of the compiled index against
 * SQLite FTS5 over the same labels, in one process (run by bench/search.sh).
 *
 *   bench_search DB QUERIES.TSV [REPEAT]
 *
 * Measures, on DB's index (built here, not reused):
 *   build     sh_index_build wall time
 *   load      median of 21 sh_index_open + close
 *   show      median of sh_concept_json over the expected concepts
 *   search    median and p95 of sh_search (limit 5) over every query x REPEAT
 *   quality   hit@1 / hit@5 of the expected concept (QUERIES.TSV column 2: its
 *             English preferred label, resolved to a URI through the database)
 * and the same queries against an in-memory FTS5 table of the English labels
 * (preferred, alternative, hidden) of skills and occupations, tokenizer
 * "porter unicode61 remove_diacritics 2", words OR-ed, ranked by bm25, the
 * best row per concept kept.  Peak RSS is read before FTS5 is loaded.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "skillhub/skillhub.h"

#define MAXQ 256
#define TOPK 5

typedef struct bench_query {
	char *text, *expected_label, *note;
	char *expected_uri;  /* NULL when the label is not in the database */
	int   rank_idx, rank_fts;  /* 1-based rank of the expected concept in the top 5, 0 = absent */
} bench_query;

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, cmp_double);
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_search: %s: %s\n", what, sh_errmsg());
	exit(1);
}

static size_t read_queries(const char *path, bench_query *q)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	char line[1024];
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n < MAXQ) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		char *a = strtok(line, "\t"), *b = strtok(NULL, "\t"), *c = strtok(NULL, "\t");
		if (!a || !b)
			continue;
		q[n++] = (bench_query){ strdup(a), strdup(b), strdup(c ? c : ""), NULL, 0, 0 };
	}
	fclose(f);
	return n;
}

static void resolve_expected(sqlite3 *db, bench_query *q, size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT c.uri FROM label l JOIN concept c ON c.id = l.concept "
	                           "WHERE l.lang = 'en' AND l.kind = 'preferred' AND l.text = ?", -1, &st, NULL))
		exit(1);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, q[i].expected_label, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			q[i].expected_uri = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* ---- FTS5 peer ---------------------------------------------------------- */

static sqlite3 *fts_load(const char *db_path)
{
	sqlite3 *m;
	char sql[4300];
	sqlite3_open(":memory:", &m);
	snprintf(sql, sizeof sql, "ATTACH DATABASE 'file:%s?mode=ro' AS src", db_path);
	sqlite3_exec(m, "PRAGMA main.journal_mode=OFF", NULL, NULL, NULL);
	if (sqlite3_exec(m, sql, NULL, NULL, NULL) ||
	    sqlite3_exec(m, "CREATE VIRTUAL TABLE fts USING fts5(text, uri UNINDEXED, "
	                    "tokenize = 'porter unicode61 remove_diacritics 2');"
	                    "INSERT INTO fts(text, uri) SELECT l.text, c.uri FROM src.label l "
	                    "JOIN src.concept c ON c.id = l.concept "
	                    "WHERE l.lang = 'en' AND c.kind IN ('skill', 'occupation');"
	                    "DETACH DATABASE src;", NULL, NULL, NULL)) {
		fprintf(stderr, "bench_search: FTS5: %s\n", sqlite3_errmsg(m));
		exit(1);
	}
	return m;
}

/* The words of q (skillhub tokenizer, folded) quoted and OR-ed: "a" OR "b". */
static char *fts_query(const char *q)
{
	sh_tokens t = { 0 };
	sh_tokenize(q, strlen(q), SH_NORM_FOLD_ACCENTS, &t);
	size_t cap = strlen(q) * 8 + 16, len = 0;
	char *s = malloc(cap);
	s[0] = '\0';
	for (size_t i = 0; i < t.n; i++) {
		const char *w = t.norm + t.tok[i].norm;
		len += (size_t)snprintf(s + len, cap - len, "%s\"", i ? " OR " : "");
		for (; *w; w++)
			if (*w != '"')
				s[len++] = *w;
		s[len++] = '"';
		s[len] = '\0';
	}
	sh_tokens_free(&t);
	return s;
}

/* Top TOPK distinct URIs for q; returns the count. */
static size_t fts_search(sqlite3_stmt *st, const char *match, char uris[TOPK][128])
{
	size_t n = 0;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	while (n < TOPK && sqlite3_step(st) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);
		int dup = 0;
		for (size_t i = 0; i < n && !dup; i++)
			dup = strcmp(uris[i], u) == 0;
		if (!dup)
			snprintf(uris[n++], 128, "%s", u);
	}
	sqlite3_reset(st);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_search DB QUERIES.TSV [REPEAT]\n");
		return 2;
	}
	int repeat = argc > 3 ? atoi(argv[3]) : 20;
	static bench_query q[MAXQ];
	size_t nq = read_queries(argv[2], q);
	sh_db *db;
	if (sh_db_open(&db, argv[1], SH_DB_READONLY))
		die("open database");
	char *idx_path = sh_index_path_for_db(argv[1]);
	double t0 = now_us();
	if (sh_index_build(db, idx_path))
		die("build");
	double build_ms = (now_us() - t0) / 1e3;

	double loads[21];
	sh_index *idx;
	for (int i = 0; i < 21; i++) {
		t0 = now_us();
		if (sh_index_open(&idx, idx_path))
			die("open index");
		loads[i] = (now_us() - t0) / 1e3;
		sh_index_close(idx);
	}
	if (sh_index_open(&idx, idx_path))
		die("open index");

	sqlite3 *raw;
	sqlite3_open_v2(argv[1], &raw, SQLITE_OPEN_READONLY, NULL);
	resolve_expected(raw, q, nq);
	sqlite3_close(raw);

	/* show: sh_concept_json of every expected concept */
	double *shows = calloc(nq * (size_t)repeat + 1, sizeof *shows);
	size_t nshow = 0;
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < nq; i++) {
			sh_cid c;
			char *json;
			if (!q[i].expected_uri || sh_index_lookup(idx, q[i].expected_uri, &c))
				continue;
			t0 = now_us();
			if (sh_concept_json(idx, c, "en", &json))
				die("concept json");
			shows[nshow++] = now_us() - t0;
			free(json);
		}

	/* search */
	double *times = calloc(nq * (size_t)repeat + 1, sizeof *times);
	size_t nt = 0;
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < nq; i++) {
			sh_search_hit hits[TOPK];
			size_t n;
			t0 = now_us();
			if (sh_search(idx, q[i].text, NULL, hits, TOPK, &n))
				die(q[i].text);
			times[nt++] = now_us() - t0;
			if (r == 0 && q[i].expected_uri)
				for (size_t k = 0; k < n && !q[i].rank_idx; k++)
					if (strcmp(sh_concept_uri(idx, hits[k].concept), q[i].expected_uri) == 0)
						q[i].rank_idx = (int)k + 1;
		}
	long rss_kb = peak_rss_kb();

	/* FTS5 peer */
	t0 = now_us();
	sqlite3 *m = fts_load(argv[1]);
	double fts_build_ms = (now_us() - t0) / 1e3;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(m, "SELECT uri FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 50",
	                       -1, &st, NULL)) {
		fprintf(stderr, "bench_search: %s\n", sqlite3_errmsg(m));
		return 1;
	}
	double *ftimes = calloc(nq * (size_t)repeat + 1, sizeof *ftimes);
	size_t nft = 0;
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < nq; i++) {
			char *match = fts_query(q[i].text);
			char uris[TOPK][128];
			t0 = now_us();
			size_t n = fts_search(st, match, uris);
			ftimes[nft++] = now_us() - t0;
			free(match);
			if (r == 0 && q[i].expected_uri)
				for (size_t k = 0; k < n && !q[i].rank_fts; k++)
					if (strcmp(uris[k], q[i].expected_uri) == 0)
						q[i].rank_fts = (int)k + 1;
		}
	sqlite3_finalize(st);
	sqlite3_close(m);

	size_t judged = 0, idx1 = 0, idx5 = 0, fts1 = 0, fts5 = 0;
	printf("%-28s %-32s %-22s %8s %8s\n", "query", "expected", "tests", "skillhub", "fts5");
	for (size_t i = 0; i < nq; i++) {
		if (!q[i].expected_uri) {
			printf("%-28s %-32s (expected label not in the database)\n", q[i].text, q[i].expected_label);
			continue;
		}
		judged++;
		idx1 += q[i].rank_idx == 1;
		idx5 += q[i].rank_idx >= 1;
		fts1 += q[i].rank_fts == 1;
		fts5 += q[i].rank_fts >= 1;
		char a[8] = "-", b[8] = "-";
		if (q[i].rank_idx)
			snprintf(a, sizeof a, "%d", q[i].rank_idx);
		if (q[i].rank_fts)
			snprintf(b, sizeof b, "%d", q[i].rank_fts);
		printf("%-28s %-32s %-22s %8s %8s\n", q[i].text, q[i].expected_label, q[i].note, a, b);
	}
	double med = percentile(times, nt, 0.5), p95 = percentile(times, nt, 0.95);
	double fmed = percentile(ftimes, nft, 0.5), fp95 = percentile(ftimes, nft, 0.95);
	printf("\nconcepts %zu, queries %zu (judged %zu), repeat %d\n", sh_index_concept_count(idx), nq, judged, repeat);
	printf("index build            %.0f ms (FTS5 table load %.0f ms)\n", build_ms, fts_build_ms);
	printf("index load (median)    %.2f ms\n", percentile(loads, 21, 0.5));
	printf("show JSON (median)     %.1f us\n", nshow ? percentile(shows, nshow, 0.5) : 0.0);
	printf("search median / p95    %.3f / %.3f ms   FTS5 %.3f / %.3f ms   (FTS5/skillhub median %.1fx)\n",
	       med / 1e3, p95 / 1e3, fmed / 1e3, fp95 / 1e3, fmed / med);
	printf("hit@1                  skillhub %zu/%zu   FTS5 %zu/%zu\n", idx1, judged, fts1, judged);
	printf("hit@5                  skillhub %zu/%zu   FTS5 %zu/%zu\n", idx5, judged, fts5, judged);
	printf("peak RSS (before FTS5) %ld MiB\n", rss_kb / 1024);
	sh_index_close(idx);
	sh_db_close(db);
	free(idx_path);
	return 0;
}
