/*
 * taxonomy/taxonomy_diff.c - reading back what an import run changed
 * (the taxonomy and concept_change tables written by esco_import.c).
 */
#include "skillhub/taxonomy.h"
#include "store/db.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

static char *dup_column(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return strdup(s ? s : "");
}

static int read_run(sh_db *db, int64_t run, sh_taxonomy_diff *d)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT id, name, version, imported_at, sources, added, changed, removed FROM taxonomy "
		"WHERE id = ?1 OR (?1 = 0 AND id = (SELECT max(id) FROM taxonomy))");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		d->run = sqlite3_column_int64(st, 0);
		d->name = dup_column(st, 1);
		d->version = dup_column(st, 2);
		d->imported_at = dup_column(st, 3);
		d->sources = dup_column(st, 4);
		d->added = sqlite3_column_int64(st, 5);
		d->changed = sqlite3_column_int64(st, 6);
		d->removed = sqlite3_column_int64(st, 7);
		if (!d->name || !d->version || !d->imported_at || !d->sources)
			rc = sh_error(SH_ENOMEM, "out of memory");
	} else if (step == SQLITE_DONE) {
		rc = run ? sh_error(SH_ENOTFOUND, "no import run %lld", (long long)run)
		         : sh_error(SH_ENOTFOUND, "no import run recorded; run 'skillhub import esco DIR' first");
	} else {
		rc = sh_db_error(db, "taxonomy");
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_changes(sh_db *db, sh_taxonomy_diff *d)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT c.uri, c.kind, coalesce((SELECT text FROM label l WHERE l.concept = c.id "
		"  AND l.kind = 'preferred' ORDER BY l.lang <> 'en', l.lang LIMIT 1), ''), "
		"  x.change, coalesce(x.detail, '') "
		"FROM concept_change x JOIN concept c ON c.id = x.concept WHERE x.taxonomy = ? "
		"ORDER BY x.change, c.kind, c.uri"), step;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, d->run);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sh_concept_change *grown = realloc(d->changes, (d->nchanges + 1) * sizeof *grown);
		if (!grown) {
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		d->changes = grown;
		sh_concept_change *c = &grown[d->nchanges++];
		c->uri = dup_column(st, 0);
		c->kind = dup_column(st, 1);
		c->label = dup_column(st, 2);
		c->change = dup_column(st, 3);
		c->detail = dup_column(st, 4);
		if (!c->uri || !c->kind || !c->label || !c->change || !c->detail) {
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(db, "concept_change");
	sqlite3_finalize(st);
	return rc;
}

int sh_taxonomy_diff_get(sh_db *db, int64_t run, sh_taxonomy_diff *out)
{
	memset(out, 0, sizeof *out);
	int rc = read_run(db, run, out);
	if (!rc)
		rc = read_changes(db, out);
	if (rc)
		sh_taxonomy_diff_free(out);
	return rc;
}

void sh_taxonomy_diff_free(sh_taxonomy_diff *d)
{
	for (size_t i = 0; i < d->nchanges; i++) {
		free(d->changes[i].uri);
		free(d->changes[i].kind);
		free(d->changes[i].label);
		free(d->changes[i].change);
		free(d->changes[i].detail);
	}
	free(d->changes);
	free(d->name);
	free(d->version);
	free(d->imported_at);
	free(d->sources);
	memset(d, 0, sizeof *d);
}
