/*
 * intel/supply.c - supply versus demand: the ads asking for each skill
 * (sh_intel_demand over the aggregate) against the approved courses of the
 * training catalogue teaching it (skillhub/intel.h, supply.h).
 *
 * Demand comes from the aggregate, like every other query, so that a
 * precomputed `.agg` (serve --agg) works here too; supply is read from the
 * catalogue tables of the database (migration 3) with one SQL statement per
 * place: the approved courses offered there, and per skill how many of
 * them teach it.  "Teach" climbs ESCO's skill-to-skill broader links with a
 * recursive query, so a course teaching a narrower skill counts once for
 * each broader skill above it (UNION keeps each course-skill pair once).
 * Skill groups are not climbed: demand is never counted for them.
 *
 * A catalogue is small (thousands of courses) next to the ads, so the
 * statement costs a few milliseconds and is not cached.
 */
#include "intel/supply.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "intel/intel.h"
#include "store/db.h"

/*
 * Row 1: (NULL, approved courses offered in the place); then (skill URI,
 * courses teaching it).  ?1 = country as a NUTS country code, ?2 = region;
 * NULL = any.  A course's place is its NUTS region, else its provider's
 * country as a NUTS code.
 */
static const char supply_sql[] =
	"WITH RECURSIVE offered(id, place, online) AS ("
	"  SELECT c.id, upper(coalesce(nullif(c.region, ''),"
	"         CASE p.country WHEN 'GR' THEN 'EL' WHEN 'GB' THEN 'UK' ELSE p.country END)),"
	"         coalesce(c.mode = 'online', 0)"
	"  FROM course c JOIN provider p ON p.id = c.provider WHERE c.status = 'approved'"
	"), here(id) AS ("
	"  SELECT id FROM offered WHERE online OR ((?1 IS NULL OR substr(place, 1, 2) = ?1) AND"
	"    (?2 IS NULL OR substr(place, 1, length(?2)) = ?2 OR substr(?2, 1, length(place)) = place))"
	"), taught(course, skill) AS ("
	"  SELECT s.course, s.skill FROM course_skill s JOIN here h ON h.id = s.course WHERE s.origin = 'accepted'"
	"  UNION"
	"  SELECT t.course, b.broader FROM taught t JOIN broader b ON b.concept = t.skill"
	"  JOIN concept k ON k.id = b.broader WHERE k.kind = 'skill'"
	") "
	"SELECT NULL, count(*) FROM here "
	"UNION ALL "
	"SELECT k.uri, count(*) FROM taught t JOIN concept k ON k.id = t.skill GROUP BY t.skill";

/* The NUTS country code of an ISO 3166-1 code: they differ for Greece and the United Kingdom. */
static const char *nuts_country(const char *iso)
{
	if (!iso)
		return NULL;
	if (strcmp(iso, "GR") == 0)
		return "EL";
	if (strcmp(iso, "GB") == 0)
		return "UK";
	return iso;
}

/*
 * Adds to taught[concept number] the approved courses offered in the place
 * (country, region; NULL = any) teaching each skill, and sets *total to the
 * courses offered there.
 */
static int count_courses(sh_db *db, const sh_intel *in, const char *country, const char *region,
                         int64_t *taught, int64_t *total)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, supply_sql);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, nuts_country(country), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	*total = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *uri = (const char *)sqlite3_column_text(st, 0);
		int64_t n = sqlite3_column_int64(st, 1);
		uint32_t c;
		if (!uri)
			*total = n;
		else if (sh_strtab_find(&in->uri, uri, &c))
			taught[c] += n;
	}
	if (step != SQLITE_DONE)
		rc = sh_db_error(db, "counting the courses teaching each skill");
	sqlite3_finalize(st);
	return rc;
}

/* Larger gap first (compared as ads x (1 + courses) cross products: exact, no division), then ads, then URI. */
static int cmp_gap(const void *a, const void *b)
{
	const sh_skill_supply *x = a, *y = b;
	double gx = (double)x->ads * (double)(1 + y->courses), gy = (double)y->ads * (double)(1 + x->courses);
	if (gx != gy)
		return gx > gy ? -1 : 1;
	if (x->ads != y->ads)
		return x->ads > y->ads ? -1 : 1;
	return strcmp(x->uri, y->uri);
}

int sh_intel_supply(const sh_intel *in, const sh_agg *agg, sh_db *db, const sh_intel_filter *f, size_t limit,
                    sh_supply *out)
{
	memset(out, 0, sizeof *out);
	sh_demand d;
	int rc = sh_intel_demand(in, agg, f, 0, &d);
	if (rc)
		return rc;
	int64_t *taught = calloc(in->uri.n ? in->uri.n : 1, sizeof *taught);
	out->skills = malloc((d.n ? d.n : 1) * sizeof *out->skills);
	if (!taught || !out->skills)
		rc = sh_error(SH_ENOMEM, "out of memory (supply of %zu skills)", d.n);
	else
		rc = count_courses(db, in, f->country, f->region, taught, &out->total_courses);
	for (size_t i = 0; !rc && i < d.n; i++) {
		const sh_skill_demand *s = &d.skills[i];
		uint32_t c;
		int64_t courses = sh_strtab_find(&in->uri, s->uri, &c) ? taught[c] : 0;
		out->skills[out->n++] = (sh_skill_supply){ s->uri, s->label, s->ads, s->share, courses,
		                                           s->share / (double)(1 + courses) };
	}
	out->total_ads = d.total_ads;
	free(taught);
	sh_demand_free(&d);
	if (rc) {
		sh_supply_free(out);
		return rc;
	}
	qsort(out->skills, out->n, sizeof *out->skills, cmp_gap);
	if (limit && out->n > limit)
		out->n = limit;
	return SH_OK;
}

void sh_supply_free(sh_supply *s)
{
	free(s->skills);
	memset(s, 0, sizeof *s);
}

/* ---- by country ------------------------------------------------------------------ */

/* The rows: countries of the passing cells, most ads first; rowof[string id] = row or -1. */
static int choose_rows(const sh_agg *agg, const sh_intel_sel *s, size_t max_rows, int32_t *rowof,
                       sh_supply_areas *out)
{
	size_t nstr = agg->str.n ? agg->str.n : 1;
	int64_t *ads = calloc(nstr, sizeof *ads);
	sh_intel_ranked *rank = malloc(nstr * sizeof *rank);
	int rc = ads && rank ? SH_OK : sh_error(SH_ENOMEM, "out of memory (supply by country)");
	for (size_t i = 0; !rc && i < agg->ncell; i++)
		if (s->cell_ok[i])
			ads[agg->cell[i].dim[SH_DIM_COUNTRY]] += agg->cell[i].ads;
	for (size_t i = 0; !rc && i < agg->str.n; i++)
		if (!*agg->str.str[i])
			ads[i] = 0; /* ads without a country make no row */
	if (!rc) {
		out->nrows = sh_intel_top_ids(ads, agg->str.str, agg->str.n, max_rows, rank);
		out->country = malloc((out->nrows ? out->nrows : 1) * sizeof *out->country);
		out->row_ads = malloc((out->nrows ? out->nrows : 1) * sizeof *out->row_ads);
		if (!out->country || !out->row_ads)
			rc = sh_error(SH_ENOMEM, "out of memory (supply by country)");
	}
	for (size_t r = 0; !rc && r < out->nrows; r++) {
		rowof[rank[r].id] = (int32_t)r;
		out->country[r] = rank[r].key;
		out->row_ads[r] = rank[r].n;
	}
	free(ads);
	free(rank);
	return rc;
}

/* The courses of each cell: one catalogue query per row. */
static int fill_courses(const sh_intel *in, sh_db *db, const sh_intel_filter *f, sh_supply_areas *out)
{
	int64_t *taught = malloc((in->uri.n ? in->uri.n : 1) * sizeof *taught);
	if (!taught)
		return sh_error(SH_ENOMEM, "out of memory (supply by country)");
	int rc = SH_OK;
	for (size_t r = 0; !rc && r < out->nrows; r++) {
		int64_t total;
		memset(taught, 0, (in->uri.n ? in->uri.n : 1) * sizeof *taught);
		rc = count_courses(db, in, out->country[r], f->region, taught, &total);
		for (size_t c = 0; !rc && c < out->ncols; c++) {
			uint32_t n;
			out->courses[r * out->ncols + c] = sh_strtab_find(&in->uri, out->uri[c], &n) ? taught[n] : 0;
		}
	}
	free(taught);
	return rc;
}

int sh_intel_supply_areas(const sh_intel *in, const sh_agg *agg, sh_db *db, const sh_intel_filter *f,
                          const char *const *skills, size_t nskills, size_t max_rows, sh_supply_areas *out)
{
	memset(out, 0, sizeof *out);
	sh_intel_sel s;
	int rc = sh_intel_sel_init(&s, in, agg, f);
	if (rc)
		return rc;
	size_t nstr = agg->str.n ? agg->str.n : 1;
	int32_t *rowof = malloc(nstr * sizeof *rowof), *colof = malloc(nstr * sizeof *colof);
	out->ncols = nskills;
	out->uri = malloc((nskills ? nskills : 1) * sizeof *out->uri);
	out->label = malloc((nskills ? nskills : 1) * sizeof *out->label);
	if (!rowof || !colof || !out->uri || !out->label) {
		rc = sh_error(SH_ENOMEM, "out of memory (supply by country)");
		goto done;
	}
	for (size_t i = 0; i < agg->str.n; i++)
		rowof[i] = colof[i] = -1;
	for (size_t c = 0; c < nskills; c++) {
		uint32_t id;
		out->uri[c] = out->label[c] = skills[c];
		if (sh_strtab_find(&agg->str, skills[c], &id)) {
			colof[id] = (int32_t)c;
			out->label[c] = sh_intel_label(in, &s, agg, id);
		} else if (sh_strtab_find(&in->uri, skills[c], &id)) {
			out->label[c] = in->concept[id].label;
		}
	}
	if ((rc = choose_rows(agg, &s, max_rows, rowof, out)))
		goto done;
	out->ads = calloc(out->nrows * out->ncols + 1, sizeof *out->ads);
	out->courses = calloc(out->nrows * out->ncols + 1, sizeof *out->courses);
	if (!out->ads || !out->courses) {
		rc = sh_error(SH_ENOMEM, "out of memory (supply by country)");
		goto done;
	}
	for (size_t i = 0; i < agg->nskill; i++) {
		const sh_agg_skill *k = &agg->skill[i];
		if (!s.cell_ok[k->cell] || colof[k->skill] < 0)
			continue;
		int32_t r = rowof[agg->cell[k->cell].dim[SH_DIM_COUNTRY]];
		if (r >= 0)
			out->ads[(size_t)r * out->ncols + (size_t)colof[k->skill]] += k->ads;
	}
	rc = fill_courses(in, db, f, out);
done:
	free(rowof);
	free(colof);
	sh_intel_sel_free(&s);
	if (rc)
		sh_supply_areas_free(out);
	return rc;
}

void sh_supply_areas_free(sh_supply_areas *a)
{
	free(a->country);
	free(a->row_ads);
	free(a->uri);
	free(a->label);
	free(a->ads);
	free(a->courses);
	memset(a, 0, sizeof *a);
}
