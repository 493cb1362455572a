/*
 * intel/agg_db.c - the aggregate of the ads stored in a database.
 *
 * One pass over the counted ads (duplicate_of IS NULL) in id order, joined
 * with their skills; an ad's skills are put in score order (then URI, so the
 * order never depends on row ids) before sh_agg_add_ad, which makes its
 * co-occurrence pairs those of its highest-scored skills.  A period range
 * selects only ads with a valid date (the others have the month "").
 */
#include "intel/agg.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/db.h"

typedef struct scored_skill {
	char  *uri;
	double score;
} scored_skill;

typedef struct ad_rows {
	int64_t       id;
	char         *dim[SH_DIMS];
	scored_skill *skill;
	size_t        n, cap;
} ad_rows;

static int cmp_scored(const void *a, const void *b)
{
	const scored_skill *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->uri, y->uri);
}

static void ad_rows_clear(ad_rows *ad)
{
	for (int d = 0; d < SH_DIMS; d++) {
		free(ad->dim[d]);
		ad->dim[d] = NULL;
	}
	for (size_t i = 0; i < ad->n; i++)
		free(ad->skill[i].uri);
	ad->n = 0;
}

static int flush_ad(sh_agg *agg, ad_rows *ad)
{
	qsort(ad->skill, ad->n, sizeof *ad->skill, cmp_scored);
	const char **uris = malloc((ad->n ? ad->n : 1) * sizeof *uris);
	if (!uris)
		return sh_error(SH_ENOMEM, "out of memory (skills of ad %lld)", (long long)ad->id);
	for (size_t i = 0; i < ad->n; i++)
		uris[i] = ad->skill[i].uri;
	sh_agg_ad a = { ad->dim[SH_DIM_PERIOD], ad->dim[SH_DIM_COUNTRY], ad->dim[SH_DIM_REGION],
	                ad->dim[SH_DIM_OCCUPATION], ad->dim[SH_DIM_SECTOR], uris, ad->n };
	int rc = sh_agg_add_ad(agg, &a);
	free(uris);
	ad_rows_clear(ad);
	return rc;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return strdup(s ? (const char *)s : "");
}

static int add_row(ad_rows *ad, sqlite3_stmt *st)
{
	if (ad->n == 0 && !ad->dim[0])
		for (int d = 0; d < SH_DIMS; d++)
			if (!(ad->dim[d] = column_dup(st, 1 + d)))
				return sh_error(SH_ENOMEM, "out of memory (ad %lld)", (long long)ad->id);
	if (sqlite3_column_type(st, 6) == SQLITE_NULL)
		return SH_OK;
	if (ad->n == ad->cap) {
		size_t cap = ad->cap ? ad->cap * 2 : 32;
		scored_skill *p = realloc(ad->skill, cap * sizeof *p);
		if (!p)
			return sh_error(SH_ENOMEM, "out of memory (skills of ad %lld)", (long long)ad->id);
		ad->skill = p;
		ad->cap = cap;
	}
	scored_skill *s = &ad->skill[ad->n];
	if (!(s->uri = column_dup(st, 6)))
		return sh_error(SH_ENOMEM, "out of memory (skills of ad %lld)", (long long)ad->id);
	s->score = sqlite3_column_double(st, 7);
	ad->n++;
	return SH_OK;
}

static int aggregate_rows(sh_agg *agg, sh_db *db, sqlite3_stmt *st)
{
	ad_rows ad = { 0 };
	int rc = SH_OK, step;
	ad.id = -1;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id != ad.id && ad.id >= 0)
			rc = flush_ad(agg, &ad);
		ad.id = id;
		if (!rc)
			rc = add_row(&ad, st);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(db, "reading ads");
	if (!rc && ad.id >= 0)
		rc = flush_ad(agg, &ad);
	ad_rows_clear(&ad);
	free(ad.skill);
	return rc;
}

int sh_agg_from_db(sh_agg **out, sh_db *db, const sh_agg_select *sel)
{
	static const sh_agg_select all = { 0 };
	if (!sel)
		sel = &all;
	*out = NULL;
	sqlite3_stmt *st;
	int rc;
	if (sel->source) {
		if ((rc = sh_db_prepare(db, &st, "SELECT 1 FROM ad_source WHERE name = ?")))
			return rc;
		sqlite3_bind_text(st, 1, sel->source, -1, SQLITE_STATIC);
		int found = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!found)
			return sh_error(SH_ENOTFOUND, "source '%s': no such ad source", sel->source);
	}
	rc = sh_db_prepare(db, &st,
		"SELECT a.id, substr(a.posted, 1, 7), a.country, a.region, o.uri, a.sector, s.uri, k.score"
		" FROM ad a"
		" LEFT JOIN concept o ON o.id = a.occupation"
		" LEFT JOIN ad_skill k ON k.ad = a.id"
		" LEFT JOIN concept s ON s.id = k.skill"
		" WHERE a.duplicate_of IS NULL"
		"   AND (?1 IS NULL AND ?2 IS NULL OR a.posted GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]*')"
		"   AND (?1 IS NULL OR substr(a.posted, 1, 7) >= ?1)"
		"   AND (?2 IS NULL OR substr(a.posted, 1, 7) <= ?2)"
		"   AND (?3 IS NULL OR a.country = ?3)"
		"   AND (?4 IS NULL OR a.source = (SELECT id FROM ad_source WHERE name = ?4))"
		" ORDER BY a.id");
	if (rc)
		return rc;
	const char *param[4] = { sel->period_from, sel->period_to, sel->country, sel->source };
	for (int i = 0; i < 4; i++)
		if (param[i])
			sqlite3_bind_text(st, i + 1, param[i], -1, SQLITE_STATIC);
	sh_agg *agg;
	rc = sh_agg_new(&agg);
	if (!rc)
		rc = aggregate_rows(agg, db, st);
	sqlite3_finalize(st);
	if (rc) {
		sh_agg_free(agg);
		return rc;
	}
	*out = agg;
	return SH_OK;
}
