/*
 * taxonomy/esco_changes.c - snapshots of concept fingerprints and their
 * comparison (see esco_changes.h).
 *
 * A snapshot reads every concept, label, note and relation once: on the full
 * ESCO database with a few languages that is under a million rows, a fraction
 * of a second, and it needs no extra column in the schema.  Relations are
 * fingerprinted on the concept they belong to in the CSV files: an
 * occupation's skills, a skill's related skills, a concept's broader concepts
 * and its scheme memberships.
 */
#include "taxonomy/esco_changes.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>

enum field {
	F_PREFERRED, F_ALT, F_HIDDEN, F_DESCRIPTION, F_DEFINITION, F_SCOPE_NOTE,
	F_KIND, F_CODE, F_SKILL_TYPE, F_REUSE_LEVEL, F_STATUS, F_MODIFIED, F_ISCO_GROUP, F_REGULATED,
	F_SCHEMES, F_SKILLS, F_RELATED, F_BROADER,
	F_COUNT
};

/* Names used in concept_change.detail: the CSV column names where there is one. */
static const char *const field_names[F_COUNT] = {
	"preferredLabel", "altLabels", "hiddenLabels", "description", "definition", "scopeNote",
	"conceptType", "code", "skillType", "reuseLevel", "status", "modifiedDate", "iscoGroup",
	"regulatedProfessionNote", "inScheme", "skills", "relatedSkills", "broader",
};

struct concept_fingerprint {
	uint64_t h[F_COUNT];
	unsigned char exists, obsolete;
};

/* Hash of columns first..first+ncols-1 of the current row (NULL hashed as
 * ""); each column is hashed on its own and combined in order, so no copy of
 * the row is needed. */
static uint64_t row_hash(sqlite3_stmt *st, int first, int ncols)
{
	uint64_t h = 0;
	for (int c = first; c < first + ncols; c++) {
		const void *t = sqlite3_column_text(st, c);
		size_t n = (size_t)sqlite3_column_bytes(st, c);
		h = sh_hash_mix(h * 0x9fb21c651e98df25ULL + sh_hash64(t ? t : "", n));
	}
	return h;
}

static int kind_field(const char *table, const char *kind)
{
	if (strcmp(table, "label") == 0)
		return strcmp(kind, "preferred") == 0 ? F_PREFERRED : strcmp(kind, "alternative") == 0 ? F_ALT : F_HIDDEN;
	return strcmp(kind, "description") == 0 ? F_DESCRIPTION : strcmp(kind, "definition") == 0 ? F_DEFINITION : F_SCOPE_NOTE;
}

/* Adds the hash of every row of sql (column 0 = concept id, the rest hashed)
 * to field `field` of that concept; field < 0: column 2 (a label/note kind)
 * chooses the field. */
static int add_rows(sh_db *db, esco_snapshot *s, const char *sql, int field, const char *table)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, sql), step;
	if (rc)
		return rc;
	int ncols = sqlite3_column_count(st);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (id < 0 || (size_t)id >= s->n)
			continue;
		int f = field >= 0 ? field : kind_field(table, (const char *)sqlite3_column_text(st, 2));
		s->fp[id].h[f] += row_hash(st, 1, ncols - 1);
	}
	if (step != SQLITE_DONE)
		rc = sh_db_error(db, "snapshot");
	sqlite3_finalize(st);
	return rc;
}

static int read_concepts(sh_db *db, esco_snapshot *s)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT id, kind, code, skill_type, reuse_level, status, modified, isco_group, regulated_note "
		"FROM concept"), step;
	if (rc)
		return rc;
	static const int fields[] = { F_KIND, F_CODE, F_SKILL_TYPE, F_REUSE_LEVEL, F_STATUS, F_MODIFIED,
	                              F_ISCO_GROUP, F_REGULATED };
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (id < 0 || (size_t)id >= s->n)
			continue;
		struct concept_fingerprint *fp = &s->fp[id];
		fp->exists = 1;
		const char *status = (const char *)sqlite3_column_text(st, 5);
		fp->obsolete = status && strcmp(status, "obsolete") == 0;
		for (int i = 0; i < (int)(sizeof fields / sizeof fields[0]); i++)
			fp->h[fields[i]] = row_hash(st, i + 1, 1);
	}
	if (step != SQLITE_DONE)
		rc = sh_db_error(db, "snapshot");
	sqlite3_finalize(st);
	return rc;
}

int esco_snapshot_take(sh_db *db, esco_snapshot *s)
{
	memset(s, 0, sizeof *s);
	int64_t max_id;
	int rc = sh_db_int64(db, "SELECT coalesce(max(id), 0) FROM concept", &max_id);
	if (rc)
		return rc;
	s->n = (size_t)max_id + 1;
	if (!(s->fp = calloc(s->n, sizeof *s->fp)))
		return sh_error(SH_ENOMEM, "out of memory");
	rc = read_concepts(db, s);
	if (!rc) rc = add_rows(db, s, "SELECT concept, lang, kind, text FROM label", -1, "label");
	if (!rc) rc = add_rows(db, s, "SELECT concept, lang, kind, text FROM note", -1, "note");
	if (!rc) rc = add_rows(db, s, "SELECT occupation, skill, relation FROM occupation_skill", F_SKILLS, NULL);
	if (!rc) rc = add_rows(db, s, "SELECT skill, related, relation FROM skill_skill", F_RELATED, NULL);
	if (!rc) rc = add_rows(db, s, "SELECT concept, broader FROM broader", F_BROADER, NULL);
	if (!rc) rc = add_rows(db, s, "SELECT concept, scheme, top FROM scheme_member", F_SCHEMES, NULL);
	if (rc)
		esco_snapshot_free(s);
	return rc;
}

void esco_snapshot_free(esco_snapshot *s)
{
	free(s->fp);
	memset(s, 0, sizeof *s);
}

static int record(sqlite3_stmt *ins, sh_db *db, int64_t taxonomy_id, size_t id,
                  const char *change, const char *detail)
{
	sqlite3_bind_int64(ins, 1, taxonomy_id);
	sqlite3_bind_int64(ins, 2, (sqlite3_int64)id);
	sqlite3_bind_text(ins, 3, change, -1, SQLITE_STATIC);
	if (detail)
		sqlite3_bind_text(ins, 4, detail, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ins, 4);
	int step = sqlite3_step(ins);
	sqlite3_reset(ins);
	return step == SQLITE_DONE ? SH_OK : sh_db_error(db, "concept_change");
}

int esco_changes_compare(sh_db *db, const esco_snapshot *before, const esco_snapshot *after,
                         int64_t taxonomy_id, esco_change_counts *counts)
{
	memset(counts, 0, sizeof *counts);
	sqlite3_stmt *ins = NULL;
	int rc = taxonomy_id > 0 ? sh_db_prepare(db, &ins,
		"INSERT INTO concept_change(taxonomy, concept, change, detail) VALUES(?, ?, ?, ?)") : SH_OK;
	sh_buf detail = SH_BUF_INIT;
	for (size_t id = 0; !rc && id < after->n; id++) {
		const struct concept_fingerprint *a = &after->fp[id];
		const struct concept_fingerprint *b = id < before->n ? &before->fp[id] : NULL;
		if (!a->exists)
			continue;
		const char *change = NULL;
		sh_buf_clear(&detail);
		if (!b || !b->exists) {
			if (a->obsolete) {
				counts->silent++;
				continue;
			}
			change = "added";
			counts->added++;
		} else if (a->obsolete && !b->obsolete) {
			change = "removed";
			counts->removed++;
		} else {
			for (int f = 0; f < F_COUNT && !rc; f++)
				if (a->h[f] != b->h[f])
					rc = sh_buf_printf(&detail, "%s%s", detail.len ? "," : "", field_names[f]);
			if (rc || !detail.len)
				continue;
			change = "changed";
			counts->changed++;
		}
		if (ins)
			rc = record(ins, db, taxonomy_id, id, change, detail.len ? detail.data : NULL);
	}
	if (rc == SH_ENOMEM)
		sh_error(rc, "out of memory");
	sh_buf_free(&detail);
	sqlite3_finalize(ins);
	return rc;
}
