/*
 * catalogue/search.c - ranked search over approved courses.
 *
 * One SQL statement per query, assembled from the filters given.  Text is
 * matched through course_term (the stemmed words of titles, descriptions
 * and outcomes, written when a course is stored): a course
 * scores sum over matched query terms of idf * tf * 2.2 / (tf + 1.2) (BM25
 * without length normalisation), and courses matching more distinct query
 * terms rank first.  --skill includes the skills narrower than the one given
 * (recursive over the broader table); --occupation ranks by coverage, the
 * share of the occupation's essential skills among the course's accepted
 * skills, counted in one aggregation over the course_skill rows of those
 * skills.  Only accepted skills count.  The statement names only the
 * tables the query uses (parsing is a good part of a short query's time);
 * bench/catalogue.sh measures it on 100,000 courses.
 */
#include "catalogue/catalogue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Distinct query terms (stemmed in lang) with their idf over all courses. */
typedef struct qterms {
	char  **term;
	double *idf;
	size_t  n;
} qterms;

static void qterms_free(qterms *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->term[i]);
	free(q->term);
	free(q->idf);
}

static int query_terms(sh_db *db, const char *text, const char *lang, qterms *q)
{
	sh_buf terms = SH_BUF_INIT;
	size_t n = 0;
	int rc = cat_terms(text, lang ? lang : "en", &terms, &n);
	q->term = calloc(n + 1, sizeof *q->term);
	q->idf = calloc(n + 1, sizeof *q->idf);
	if (!rc && (!q->term || !q->idf))
		rc = sh_error(SH_ENOMEM, "out of memory");
	int64_t ncourses = 0;
	if (!rc)
		rc = sh_db_int64(db, "SELECT count(*) FROM course", &ncourses);
	sqlite3_stmt *st = NULL;
	if (!rc)
		rc = sh_db_prepare(db, &st, "SELECT count(*) FROM course_term WHERE term = ?");
	const char *t = terms.data;
	for (size_t i = 0; !rc && i < n; i++, t += strlen(t) + 1) {
		int dup = 0;
		for (size_t k = 0; k < q->n && !dup; k++)
			dup = !strcmp(q->term[k], t);
		if (dup)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		double df = sqlite3_step(st) == SQLITE_ROW ? (double)sqlite3_column_int64(st, 0) : 0;
		if (!(q->term[q->n] = strdup(t)))
			rc = sh_error(SH_ENOMEM, "out of memory");
		else
			q->idf[q->n++] = log(1.0 + ((double)ncourses + 1) / (df + 1));
	}
	sqlite3_finalize(st);
	sh_buf_free(&terms);
	return rc;
}

/* Fails with SH_ENOTFOUND when uri is not a concept of kind in the database. */
static int check_concept(sh_db *db, const char *uri, const char *kind, const char *opt)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT 1 FROM concept WHERE uri = ? AND kind = ?");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = sh_error(SH_ENOTFOUND, "%s: '%s' is not an ESCO %s of this database", opt, uri, kind);
	sqlite3_finalize(st);
	return rc;
}

/* Builds the statement; parameters are numbered in the order bind_query() binds them. */
static int build_sql(const sh_course_query *q, const qterms *t, sh_buf *sql)
{
	/* Only the tables the query uses: a shorter statement prepares faster. */
	int rc = sh_buf_puts(sql, "WITH RECURSIVE ");
	if (!rc && t->n) {
		rc = sh_buf_puts(sql, "q(term, idf) AS (VALUES ");
		for (size_t i = 0; !rc && i < t->n; i++)
			rc = sh_buf_printf(sql, "%s(?, ?)", i ? ", " : "");
		rc = rc ? rc : sh_buf_puts(sql, "), ");
	}
	if (!rc && q->skill)
		rc = sh_buf_puts(sql, "sub(id) AS (SELECT id FROM concept WHERE uri = :skill"
			" UNION SELECT b.concept FROM broader b JOIN sub ON b.broader = sub.id), ");
	if (!rc && q->occupation)
		rc = sh_buf_puts(sql, "ess(skill) AS (SELECT skill FROM occupation_skill WHERE relation = 'essential'"
			"  AND occupation = (SELECT id FROM concept WHERE uri = :occupation)),"
			" cov(course, n) AS (SELECT course, count(*) FROM course_skill"
			"  WHERE origin = 'accepted' AND skill IN (SELECT skill FROM ess) GROUP BY course), ");
	rc = rc ? rc : sh_buf_puts(sql, "hit(id, tscore, tmatched, coverage) AS (SELECT c.id, ");
	if (!rc && t->n)
		rc = sh_buf_puts(sql, "sum(q.idf * t.tf * 2.2 / (t.tf + 1.2)), count(*),");
	else if (!rc)
		rc = sh_buf_puts(sql, "0, 0,");
	rc = rc ? rc : sh_buf_puts(sql, q->occupation ? " cov.n * 1.0 / max(1, (SELECT count(*) FROM ess))" : " NULL");
	rc = rc ? rc : sh_buf_puts(sql, q->occupation ? " FROM cov JOIN course c ON c.id = cov.course" : " FROM course c");
	if (!rc && t->n)
		rc = sh_buf_puts(sql, " JOIN course_term t ON t.course = c.id JOIN q ON q.term = t.term");
	rc = rc ? rc : sh_buf_puts(sql, " WHERE c.status = 'approved'");
	if (!rc && q->skill)
		rc = sh_buf_puts(sql, " AND c.id IN (SELECT course FROM course_skill"
		                      " WHERE origin = 'accepted' AND skill IN (SELECT id FROM sub))");
	if (!rc && q->region)
		rc = sh_buf_puts(sql, " AND substr(c.region, 1, length(:region)) = :region");
	if (!rc && q->lang)
		rc = sh_buf_puts(sql, " AND EXISTS (SELECT 1 FROM course_language l WHERE l.course = c.id AND l.lang = :lang)");
	if (!rc && q->mode)
		rc = sh_buf_puts(sql, " AND c.mode = :mode");
	if (!rc && q->eqf)
		rc = sh_buf_puts(sql, " AND c.eqf = :eqf");
	if (!rc && q->max_cost >= 0)
		rc = sh_buf_puts(sql, " AND c.cost <= :max_cost");
	if (!rc && q->from)
		rc = sh_buf_puts(sql, " AND (c.self_paced OR c.start_date >= :from)");
	if (!rc && q->to)
		rc = sh_buf_puts(sql, " AND (c.self_paced OR c.start_date <= :to)");
	rc = rc ? rc : sh_buf_puts(sql, t->n ? " GROUP BY c.id)" : ")");
	rc = rc ? rc : sh_buf_puts(sql,
		" SELECT c.ref,"
		" (SELECT title FROM course_text x WHERE x.course = c.id ORDER BY x.lang = :lang DESC,"
		"   x.lang = 'en' DESC, x.lang LIMIT 1),"
		" p.name, c.mode, c.region, c.eqf, c.start_date, c.self_paced, c.cost, c.currency,"
		" hit.tscore, hit.tmatched, hit.coverage"
		" FROM hit JOIN course c ON c.id = hit.id JOIN provider p ON p.id = c.provider"
		" ORDER BY hit.coverage DESC, hit.tmatched DESC, hit.tscore DESC, c.ref LIMIT :limit");
	return rc;
}

static void bind_named_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static void bind_query(sqlite3_stmt *st, const sh_course_query *q, const qterms *t)
{
	for (size_t i = 0; i < t->n; i++) {
		sqlite3_bind_text(st, (int)(2 * i + 1), t->term[i], -1, SQLITE_STATIC);
		sqlite3_bind_double(st, (int)(2 * i + 2), t->idf[i]);
	}
	bind_named_text(st, ":skill", q->skill);
	bind_named_text(st, ":occupation", q->occupation);
	bind_named_text(st, ":region", q->region);
	bind_named_text(st, ":lang", q->lang);
	bind_named_text(st, ":mode", q->mode);
	bind_named_text(st, ":from", q->from);
	bind_named_text(st, ":to", q->to);
	int i;
	if ((i = sqlite3_bind_parameter_index(st, ":eqf")))
		sqlite3_bind_int(st, i, q->eqf);
	if ((i = sqlite3_bind_parameter_index(st, ":max_cost")))
		sqlite3_bind_double(st, i, q->max_cost);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), (sqlite3_int64)(q->limit ? q->limit : 20));
}

static json_t *hit_json(sqlite3_stmt *st, const sh_course_query *q)
{
	json_t *o = json_object();
	static const char *const keys[] = { "id", "title", "provider", "mode", "region" };
	for (int k = 0; k < 5; k++)
		if (sqlite3_column_type(st, k) != SQLITE_NULL)
			json_object_set_new(o, keys[k], json_string((const char *)sqlite3_column_text(st, k)));
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		json_object_set_new(o, "eqf", json_integer(sqlite3_column_int(st, 5)));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		json_object_set_new(o, "start", json_string((const char *)sqlite3_column_text(st, 6)));
	json_object_set_new(o, "self_paced", json_boolean(sqlite3_column_int(st, 7)));
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		json_object_set_new(o, "cost", json_real(sqlite3_column_double(st, 8)));
	if (sqlite3_column_type(st, 9) != SQLITE_NULL)
		json_object_set_new(o, "currency", json_string((const char *)sqlite3_column_text(st, 9)));
	double score = q->occupation ? sqlite3_column_double(st, 12) : q->text ? sqlite3_column_double(st, 10) : 1;
	json_object_set_new(o, "score", json_real(round(score * 1000) / 1000));
	if (q->text)
		json_object_set_new(o, "matched_terms", json_integer(sqlite3_column_int(st, 11)));
	if (q->occupation)
		json_object_set_new(o, "coverage", json_real(round(sqlite3_column_double(st, 12) * 1000) / 1000));
	return o;
}

int sh_courses_search(sh_db *db, const sh_course_query *q, char **out)
{
	int rc = SH_OK;
	if (q->skill)
		rc = check_concept(db, q->skill, "skill", "--skill");
	if (!rc && q->occupation)
		rc = check_concept(db, q->occupation, "occupation", "--occupation");
	qterms t = { 0 };
	if (!rc && q->text && (rc = query_terms(db, q->text, q->lang, &t)) == SH_OK && !t.n)
		rc = sh_error(SH_EINVAL, "search text '%s' has no words", q->text);
	sh_buf sql = SH_BUF_INIT;
	sqlite3_stmt *st = NULL;
	if (!rc)
		rc = build_sql(q, &t, &sql);
	if (!rc)
		rc = sh_db_prepare(db, &st, sql.data);
	sh_buf_free(&sql);
	json_t *hits = json_array();
	if (!rc) {
		bind_query(st, q, &t);
		int s;
		while ((s = sqlite3_step(st)) == SQLITE_ROW)
			json_array_append_new(hits, hit_json(st, q));
		if (s != SQLITE_DONE)
			rc = sh_db_error(db, "search courses");
	}
	sqlite3_finalize(st);
	qterms_free(&t);
	if (!rc && !(*out = json_dumps(hits, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	json_decref(hits);
	return rc;
}
