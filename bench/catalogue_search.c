/*
 * bench/catalogue_search.c - in-process latency of catalogue search and the
 * time of the quality rules over a whole catalogue (run by bench/catalogue.sh).
 *
 *   catalogue_search DB QUERIES RULES FTSDB
 *
 * DB holds an ESCO package and a catalogue whose courses are approved;
 * QUERIES is the queries.tsv of bench/catalogue_gen.py (kind TAB argument,
 * kinds skill, broad, occupation, text); RULES a quality-rule file; FTSDB a
 * scratch file for the SQLite FTS5 peer (built when absent).  The database
 * is opened once, then every query runs through sh_courses_search (the JSON
 * the CLI and the API print included) and through its peer, alternately, so
 * that the load of the machine affects both alike:
 *   skill      demand-drawn skills               peer: the bare SQL of the same
 *   broad      skills with the most narrower      answer (recursive narrower
 *              skills                              skills, accepted, approved,
 *                                                  by ref; no titles, no JSON)
 *   occupation real occupations                  peer: SQL counting the
 *                                                 essential skills per course
 *   text       the first words of skill labels   peer: FTS5 MATCH (words ORed)
 *                                                 ORDER BY bm25()
 *   filtered   skill + region DE + online + cost peer: the skill join + the
 *              <= 1500                            same filters
 * It prints median, p95 and p99 wall time per kind for both, the mean number
 * of hits, then sh_courses_check over every course (all rules) against its
 * peer sh_courses_export (reading every course as JSON, no rules), and the
 * peak RSS of the process (getrusage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sqlite3.h>

#include "skillhub/skillhub.h"

enum { KIND_SKILL, KIND_BROAD, KIND_OCCUPATION, KIND_TEXT, KIND_FILTERED, NKINDS };
static const char *const kind_names[NKINDS] = { "skill", "broad", "occupation", "text", "filtered" };

/* The peers' SQL, by kind; ?1 is the query's argument. */
#define PEER_SUB "WITH RECURSIVE sub(id) AS (SELECT id FROM cat.concept WHERE uri = ?1" \
	" UNION SELECT b.concept FROM cat.broader b JOIN sub ON b.broader = sub.id) "
static const char *const peer_sql[NKINDS] = {
	PEER_SUB "SELECT c.ref FROM cat.course c WHERE c.status = 'approved' AND c.id IN (SELECT course"
	" FROM cat.course_skill WHERE origin = 'accepted' AND skill IN (SELECT id FROM sub)) ORDER BY c.ref LIMIT 20",
	PEER_SUB "SELECT c.ref FROM cat.course c WHERE c.status = 'approved' AND c.id IN (SELECT course"
	" FROM cat.course_skill WHERE origin = 'accepted' AND skill IN (SELECT id FROM sub)) ORDER BY c.ref LIMIT 20",
	"SELECT c.ref, count(*) AS n FROM cat.course_skill s JOIN cat.course c ON c.id = s.course"
	" WHERE s.skill IN (SELECT skill FROM cat.occupation_skill WHERE relation = 'essential'"
	" AND occupation = (SELECT id FROM cat.concept WHERE uri = ?1)) AND s.origin = 'accepted'"
	" AND c.status = 'approved' GROUP BY c.id ORDER BY n DESC, c.ref LIMIT 20",
	"SELECT c.ref FROM t JOIN cat.course c ON c.id = t.rowid WHERE t MATCH ?1 AND c.status = 'approved'"
	" ORDER BY bm25(t) LIMIT 20",
	PEER_SUB "SELECT c.ref FROM cat.course c WHERE c.status = 'approved' AND c.id IN (SELECT course"
	" FROM cat.course_skill WHERE origin = 'accepted' AND skill IN (SELECT id FROM sub))"
	" AND substr(c.region, 1, 2) = 'DE' AND c.mode = 'online' AND c.cost <= 1500 ORDER BY c.ref LIMIT 20",
};

typedef struct query {
	int   kind;
	char *arg;
} query;

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

/* Wall and CPU time of one query (the machine may be shared: CPU time is the steadier figure). */
typedef struct timing {
	double wall, cpu;
} timing;

static timing start(void)
{
	return (timing){ now_ms(), cpu_ms() };
}

static timing since(timing t0)
{
	return (timing){ now_ms() - t0.wall, cpu_ms() - t0.cpu };
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n ? v[(size_t)(p * (double)(n - 1) + 0.5)] : 0;
}

static int die(const char *what)
{
	fprintf(stderr, "catalogue_search: %s: %s\n", what, sh_errmsg());
	return 1;
}

static int sql_die(sqlite3 *peer, const char *what)
{
	fprintf(stderr, "catalogue_search: %s: %s\n", what, sqlite3_errmsg(peer));
	return 1;
}

/* Reads QUERIES; the skill queries are repeated with filters as KIND_FILTERED. */
static int read_queries(const char *path, query **out, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		int kind = 0;
		while (kind < NKINDS && strcmp(kind_names[kind], line))
			kind++;
		for (int copy = 0; kind < NKINDS && copy < 1 + (kind == KIND_SKILL); copy++) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 256;
				query *q = realloc(*out, cap * sizeof *q);
				if (!q)
					return -1;
				*out = q;
			}
			(*out)[*n].kind = copy ? KIND_FILTERED : kind;
			(*out)[(*n)++].arg = strdup(tab + 1);
		}
	}
	fclose(f);
	return 0;
}

/* Builds the FTS5 peer over the titles, descriptions and outcomes of every course. */
static int build_fts(sqlite3 *peer)
{
	return sqlite3_exec(peer,
		"CREATE VIRTUAL TABLE IF NOT EXISTS t USING fts5(title, body, tokenize = 'porter unicode61');"
		"INSERT INTO t(rowid, title, body) SELECT x.course, x.title, coalesce(x.description, '') || ' ' ||"
		" coalesce((SELECT group_concat(o.text, ' ') FROM cat.course_outcome o WHERE o.course = x.course"
		" AND o.lang = x.lang), '') FROM cat.course_text x WHERE NOT EXISTS (SELECT 1 FROM t LIMIT 1);",
		NULL, NULL, NULL);
}

/* The FTS5 query of a text query: its words, quoted, ORed (skillhub ranks any-word matches too). */
static void fts_query(const char *text, char *out, size_t cap)
{
	size_t o = 0;
	const char *p = text;
	while (*p && o + 16 < cap) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " \"");
		if (len) {
			o += (size_t)snprintf(out + o, cap - o, "%s\"%.*s\"", o ? " OR " : "", (int)len, p);
			p += len;
		}
		if (*p == '"')
			p++;
	}
	out[o] = '\0';
}

static size_t count_matches(const char *json, const char *needle)
{
	size_t n = 0;
	for (const char *p = json; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Runs q through skillhub; *ms = its time; *hits = number of courses returned. */
static int run_skillhub(sh_db *db, const query *q, timing *ms, size_t *hits)
{
	sh_course_query cq = { .max_cost = -1, .limit = 20 };
	switch (q->kind) {
	case KIND_SKILL: case KIND_BROAD: cq.skill = q->arg; break;
	case KIND_OCCUPATION: cq.occupation = q->arg; break;
	case KIND_TEXT: cq.text = q->arg; break;
	default: cq.skill = q->arg; cq.region = "DE"; cq.mode = "online"; cq.max_cost = 1500; break;
	}
	char *out = NULL;
	timing t0 = start();
	int rc = sh_courses_search(db, &cq, &out);
	*ms = since(t0);
	*hits = out ? count_matches(out, "\"id\":") : 0;
	free(out);
	return rc;
}

static int run_peer(sqlite3 *peer, sqlite3_stmt *st, const query *q, timing *ms, size_t *hits)
{
	char fts[1024];
	if (q->kind == KIND_TEXT)
		fts_query(q->arg, fts, sizeof fts);
	timing t0 = start();
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, q->kind == KIND_TEXT ? fts : q->arg, -1, SQLITE_TRANSIENT);
	int s;
	*hits = 0;
	while ((s = sqlite3_step(st)) == SQLITE_ROW)
		++*hits;
	*ms = since(t0);
	return s == SQLITE_DONE ? 0 : sql_die(peer, q->arg);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: catalogue_search DB QUERIES RULES FTSDB\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	query *qs;
	size_t nq;
	if (read_queries(argv[2], &qs, &nq) || !nq) {
		fprintf(stderr, "catalogue_search: %s: no queries\n", argv[2]);
		return 1;
	}
	sh_db *db;
	sh_rules *rules;
	if (sh_db_open(&db, argv[1], SH_DB_READONLY))
		return die(argv[1]);
	if (sh_rules_load(&rules, argv[3]))
		return die(argv[3]);

	sqlite3 *peer;
	char attach[4200];
	snprintf(attach, sizeof attach, "ATTACH DATABASE 'file:%s?mode=ro' AS cat", argv[1]);
	if (sqlite3_open_v2(argv[4], &peer, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL)
	    || sqlite3_exec(peer, attach, NULL, NULL, NULL))
		return sql_die(peer, argv[4]);
	timing t0 = start();
	if (build_fts(peer))
		return sql_die(peer, "FTS5 peer");
	printf("FTS5 peer ready in %.0f ms\n", since(t0).wall);
	sqlite3_stmt *st[NKINDS];
	for (int k = 0; k < NKINDS; k++)
		if (sqlite3_prepare_v2(peer, peer_sql[k], -1, &st[k], NULL))
			return sql_die(peer, kind_names[k]);

	/* A warm-up pass over the first queries (page cache), then the measured pass over all. */
	double *ms[2][2][NKINDS];  /* [skillhub, peer][wall, cpu][kind] */
	size_t n[NKINDS] = { 0 }, hits[2][NKINDS] = { { 0 } };
	for (int k = 0; k < NKINDS; k++)
		for (int who = 0; who < 2; who++)
			for (int clock = 0; clock < 2; clock++)
				ms[who][clock][k] = malloc(nq * sizeof(double));
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < (pass ? nq : nq < 50 ? nq : 50); i++) {
			int k = qs[i].kind;
			timing a, b;
			size_t ha, hb;
			if (run_skillhub(db, &qs[i], &a, &ha))
				return die(qs[i].arg);
			if (run_peer(peer, st[k], &qs[i], &b, &hb))
				return 1;
			if (pass) {
				ms[0][0][k][n[k]] = a.wall;
				ms[0][1][k][n[k]] = a.cpu;
				ms[1][0][k][n[k]] = b.wall;
				ms[1][1][k][n[k]++] = b.cpu;
				hits[0][k] += ha;
				hits[1][k] += hb;
			}
		}
	for (int clock = 0; clock < 2; clock++) {
		printf("%s time per query, ms\n%-10s %5s | %-22s | %-22s | %s\n", clock ? "CPU" : "wall", "query", "count",
		       "skillhub median p95 p99", "peer median p95 p99", "hits skillhub/peer, median ratio");
		for (int k = 0; k < NKINDS; k++) {
			if (!n[k])
				continue;
			double *a = ms[0][clock][k], *b = ms[1][clock][k];
			double sm = percentile(a, n[k], 0.5), pm = percentile(b, n[k], 0.5);
			printf("%-10s %5zu | %8.2f %6.2f %6.2f | %8.2f %6.2f %6.2f | %.1f/%.1f, %.2f\n", kind_names[k], n[k],
			       sm, percentile(a, n[k], 0.95), percentile(a, n[k], 0.99), pm, percentile(b, n[k], 0.95),
			       percentile(b, n[k], 0.99), (double)hits[0][k] / (double)n[k], (double)hits[1][k] / (double)n[k],
			       pm > 0 ? sm / pm : 0);
		}
	}

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS after the queries: %ld MiB\n", ru.ru_maxrss / 1024);
	int64_t ncourses = 0;
	sqlite3_stmt *cnt;
	if (!sqlite3_prepare_v2(peer, "SELECT count(*) FROM cat.course", -1, &cnt, NULL) && sqlite3_step(cnt) == SQLITE_ROW)
		ncourses = sqlite3_column_int64(cnt, 0);
	sqlite3_finalize(cnt);
	char *out = NULL;
	size_t nerrors = 0;
	t0 = start();
	if (sh_courses_check(db, rules, NULL, &out, &nerrors))
		return die("sh_courses_check");
	timing took = since(t0);
	printf("rules %s on all %lld courses: %.0f ms wall, %.0f ms CPU (%zu findings, %zu errors)\n",
	       sh_rules_version(rules), (long long)ncourses, took.wall, took.cpu,
	       count_matches(out, "\"course\":"), nerrors);
	free(out);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS after the rules: %ld MiB\n", ru.ru_maxrss / 1024);
	t0 = start();
	if (sh_courses_export(db, SH_COURSES_JSON, NULL, &out))
		return die("sh_courses_export");
	took = since(t0);
	printf("peer: export of all courses as JSON (reads every course, no rules): %.0f ms wall, %.0f ms CPU\n",
	       took.wall, took.cpu);
	free(out);

	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS after the export (getrusage): %ld MiB\n", ru.ru_maxrss / 1024);
	for (int k = 0; k < NKINDS; k++) {
		sqlite3_finalize(st[k]);
		for (int who = 0; who < 2; who++)
			for (int clock = 0; clock < 2; clock++)
				free(ms[who][clock][k]);
	}
	for (size_t i = 0; i < nq; i++)
		free(qs[i].arg);
	free(qs);
	sqlite3_close(peer);
	sh_rules_free(rules);
	sh_db_close(db);
	return 0;
}
