/*
 * match/rank_compile.c - the index-build step of skill ranking and title
 * normalisation: gathers what sh_rank_build() and sh_titles_build() need from
 * a running sh_index_build() (text records, concept kinds) and the database
 * (priors), then runs both.
 *
 * Priors (docs/ranking.md): a skill that many occupations need, or whose
 * reuse level is broad, is a little more likely to be what a sentence means:
 *   prior = 0.6 * log(1 + occupations) / log(1 + max occupations)
 *         + 0.4 * reuse (transversal 1, cross-sector 0.75, sector-specific 0.5,
 *                        occupation-specific 0.25, unknown 0.5)
 * Concepts that are not released (obsolete) get kind 0, so neither model
 * ranks them.
 *
 * The optional job-ad corpus for term weights is named by the environment
 * at build time: SKILLHUB_CORPUS=FILE (one ad per line, any format: JSON
 * lines, CSV, text) and SKILLHUB_CORPUS_LANG (default "en").
 */
#include "match/rank_compile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/error.h"
#include "match/rank_model.h"
#include "match/titles.h"
#include "store/db.h"

static float reuse_score(const char *reuse)
{
	if (!reuse)
		return 0.5f;
	if (strcmp(reuse, "transversal") == 0)
		return 1.0f;
	if (strcmp(reuse, "cross-sector") == 0)
		return 0.75f;
	if (strcmp(reuse, "occupation-specific") == 0)
		return 0.25f;
	return 0.5f;
}

static int load_concepts(sh_index_builder *b, uint8_t *kind, float *prior)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(b->db, &st,
		"SELECT c.id, c.kind, c.reuse_level, c.status, "
		"  (SELECT COUNT(*) FROM occupation_skill o WHERE o.skill = c.id) "
		"FROM concept c WHERE c.kind IN ('skill', 'occupation')");
	if (rc)
		return rc;
	float *occs = calloc(b->nconcepts + 1, sizeof *occs);
	if (!occs) {
		sqlite3_finalize(st);
		return sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	}
	float max_occs = 0;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		sh_cid cid;
		if (sh_index_builder_cid(b, sqlite3_column_int64(st, 0), &cid))
			continue;
		const char *status = (const char *)sqlite3_column_text(st, 3);
		if (status && strcmp(status, "released") != 0)
			continue;
		kind[cid] = (uint8_t)sh_kind_from_name((const char *)sqlite3_column_text(st, 1));
		prior[cid] = reuse_score((const char *)sqlite3_column_text(st, 2));
		occs[cid] = (float)log1p((double)sqlite3_column_int64(st, 4));
		if (occs[cid] > max_occs)
			max_occs = occs[cid];
	}
	if (s != SQLITE_DONE)
		rc = sh_db_error(b->db, "reading concepts for ranking");
	sqlite3_finalize(st);
	for (uint32_t c = 0; c < b->nconcepts; c++)
		prior[c] = 0.4f * prior[c] + 0.6f * (max_occs > 0 ? occs[c] / max_occs : 0);
	free(occs);
	return rc;
}

int sh_rank_compile(sh_index_builder *b)
{
	uint8_t *kind = calloc(b->nconcepts + 1, 1);
	float *prior = calloc(b->nconcepts + 1, sizeof *prior);
	int rc = kind && prior ? SH_OK : sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	if (rc == SH_OK)
		rc = load_concepts(b, kind, prior);
	const char *corpus = getenv("SKILLHUB_CORPUS");
	sh_rank_source src = {
		.texts = b->texts, .ntexts = b->ntexts, .strings = b->strings.data,
		.langs = (const char *const *)b->langs, .nlangs = b->nlangs, .nconcepts = b->nconcepts,
		.kind = kind, .prior = prior,
		.corpus = corpus && *corpus ? corpus : NULL, .corpus_lang = getenv("SKILLHUB_CORPUS_LANG"),
	};
	if (rc == SH_OK)
		rc = sh_rank_build(&src, b->out);
	if (rc == SH_OK)
		rc = sh_titles_build(&src, b->out);
	free(kind);
	free(prior);
	return rc;
}
