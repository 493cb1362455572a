/*
 * taxonomy/esco_concepts.c - concept files of an ESCO package: conceptSchemes,
 * ISCOGroups, skillGroups, skills, occupations (see esco_import.c).
 *
 * Full mode: a row replaces the concept's labels and notes in the file's
 * language, sets its language-neutral fields (a column the file lacks leaves
 * the field alone) and its kind, and replaces its inScheme memberships; the
 * ids seen go to temp.import_seen so that, after the file, the concepts of its
 * kind that have a preferred label in its language but were not seen are
 * marked obsolete.  Supplement mode only adds labels and notes in a language
 * the concept has no preferred label in yet, and creates unknown concepts as
 * obsolete.
 */
#include "taxonomy/esco_import.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

/* Language-neutral text fields of concept, with their CSV column names. */
enum { NF_CODE, NF_SKILL_TYPE, NF_REUSE_LEVEL, NF_MODIFIED, NF_REGULATED, NF_COUNT };
static const char *const neutral_columns[NF_COUNT] = {
	"code", "skillType", "reuseLevel", "modifiedDate", "regulatedProfessionNote"
};

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

typedef struct concept_columns {
	int uri, preferred, alt, hidden, description, definition, scope_note;
	int status, scheme, top, isco_group;
	int neutral[NF_COUNT];
} concept_columns;

static int map_concept_columns(esco_importer *im, concept_columns *c)
{
	int schemes = im->file->kind == ESCO_SCHEMES;
	int rc = esco_column(im, schemes ? "conceptSchemeUri" : "conceptUri", 1, &c->uri);
	if (!rc) rc = esco_column(im, "preferredLabel", 1, &c->preferred);
	if (rc)
		return rc;
	esco_column(im, "altLabels", 0, &c->alt);
	esco_column(im, "hiddenLabels", 0, &c->hidden);
	esco_column(im, "description", 0, &c->description);
	esco_column(im, "definition", 0, &c->definition);
	esco_column(im, "scopeNote", 0, &c->scope_note);
	esco_column(im, "status", 0, &c->status);
	esco_column(im, "inScheme", 0, &c->scheme);
	esco_column(im, "hasTopConcept", 0, &c->top);
	esco_column(im, "iscoGroup", 0, &c->isco_group);
	for (int i = 0; i < NF_COUNT; i++)
		esco_column(im, neutral_columns[i], 0, &c->neutral[i]);
	return SH_OK;
}

static void free_codes(esco_importer *im)
{
	for (size_t i = 0; i < im->ncodes; i++)
		free(im->codes[i].code);
	free(im->codes);
	im->codes = NULL;
	im->ncodes = 0;
}

static int compare_codes(const void *a, const void *b)
{
	return strcmp(((const esco_isco_code *)a)->code, ((const esco_isco_code *)b)->code);
}

/* Loads the ISCO group codes known so far (before reading occupations). */
static int load_codes(esco_importer *im)
{
	free_codes(im);
	sqlite3_stmt *st;
	int rc = sh_db_prepare(im->db, &st,
		"SELECT code, id FROM concept WHERE kind = 'isco_group' AND code IS NOT NULL"), step;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		esco_isco_code *grown = realloc(im->codes, (im->ncodes + 1) * sizeof *grown);
		if (!grown) {
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		im->codes = grown;
		if (!(grown[im->ncodes].code = strdup((const char *)sqlite3_column_text(st, 0)))) {
			rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		grown[im->ncodes++].id = sqlite3_column_int64(st, 1);
	}
	if (!rc && step != SQLITE_DONE)
		rc = sh_db_error(im->db, "ISCO codes");
	sqlite3_finalize(st);
	if (!rc)
		qsort(im->codes, im->ncodes, sizeof *im->codes, compare_codes);
	return rc;
}

/* Resolves the iscoGroup column: *id = 0 when the field is empty. */
static int isco_group_id(esco_importer *im, const concept_columns *c, int64_t *id)
{
	*id = 0;
	const char *code = sh_csv_field(im->csv, c->isco_group);
	if (!*code)
		return SH_OK;
	esco_isco_code key = { (char *)code, 0 };
	const esco_isco_code *hit = bsearch(&key, im->codes, im->ncodes, sizeof *im->codes, compare_codes);
	if (!hit)
		return esco_fail(im, "iscoGroup '%s' is not the code of any ISCO group", code);
	*id = hit->id;
	return SH_OK;
}

static const char *row_status(esco_importer *im, const concept_columns *c)
{
	const char *s = sh_csv_field(im->csv, c->status);
	return *s ? s : "released";
}

static int insert_concept(esco_importer *im, const concept_columns *c, const char *uri,
                          const char *status, int64_t isco, int64_t *id)
{
	sqlite3_stmt *st = im->st.insert_concept;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, im->file->concept_kind, -1, SQLITE_STATIC);
	for (int i = 0; i < NF_COUNT; i++)
		bind_text_or_null(st, 3 + i, sh_csv_field(im->csv, c->neutral[i]));
	sqlite3_bind_text(st, 8, status, -1, SQLITE_STATIC);
	if (isco)
		sqlite3_bind_int64(st, 9, isco);
	int rc = esco_run(im, st, "insert concept");
	*id = sqlite3_last_insert_rowid(im->db->sql);
	return rc;
}

static int update_concept(esco_importer *im, const concept_columns *c, int64_t id, int64_t isco)
{
	sqlite3_stmt *st = im->st.update_concept;
	sqlite3_bind_int64(st, 1, id);
	for (int i = 0; i < NF_COUNT; i++) {
		sqlite3_bind_int(st, 2 + 2 * i, c->neutral[i] >= 0);
		bind_text_or_null(st, 3 + 2 * i, sh_csv_field(im->csv, c->neutral[i]));
	}
	sqlite3_bind_text(st, 12, row_status(im, c), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 13, c->isco_group >= 0);
	if (isco)
		sqlite3_bind_int64(st, 14, isco);
	sqlite3_bind_text(st, 15, im->file->concept_kind, -1, SQLITE_STATIC);
	return esco_run(im, st, "update concept");
}

static int insert_label(esco_importer *im, int64_t id, const char *kind, const char *text, size_t len)
{
	sqlite3_stmt *st = im->st.insert_label;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, im->file->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, (int)len, SQLITE_STATIC);
	im->rep->labels++;
	return esco_run(im, st, "insert label");
}

static int insert_labels(esco_importer *im, int64_t id, int col, const char *kind)
{
	esco_splitter sp = { sh_csv_field(im->csv, col), ESCO_LABEL_SEPS };
	const char *item;
	size_t len;
	int rc = SH_OK;
	while (!rc && esco_split_next(&sp, &item, &len))
		rc = insert_label(im, id, kind, item, len);
	return rc;
}

static int insert_note(esco_importer *im, int64_t id, int col, const char *kind)
{
	const char *text = sh_csv_field(im->csv, col);
	if (!*text)
		return SH_OK;
	sqlite3_stmt *st = im->st.insert_note;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, im->file->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	return esco_run(im, st, "insert note");
}

static void bind_id_lang(sqlite3_stmt *st, int64_t id, const char *lang)
{
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
}

/* Replaces the concept's labels and notes in the file's language. */
static int write_texts(esco_importer *im, const concept_columns *c, int64_t id)
{
	bind_id_lang(im->st.delete_labels, id, im->file->lang);
	int rc = esco_run(im, im->st.delete_labels, "delete labels");
	bind_id_lang(im->st.delete_notes, id, im->file->lang);
	if (!rc) rc = esco_run(im, im->st.delete_notes, "delete notes");
	const char *pref = sh_csv_field(im->csv, c->preferred);
	if (!rc) rc = insert_label(im, id, "preferred", pref, strlen(pref));
	if (!rc) rc = insert_labels(im, id, c->alt, "alternative");
	if (!rc) rc = insert_labels(im, id, c->hidden, "hidden");
	if (!rc) rc = insert_note(im, id, c->description, "description");
	if (!rc) rc = insert_note(im, id, c->definition, "definition");
	if (!rc) rc = insert_note(im, id, c->scope_note, "scope_note");
	return rc;
}

static int has_preferred(esco_importer *im, int64_t id, int *yes)
{
	sqlite3_stmt *st = im->st.has_preferred;
	bind_id_lang(st, id, im->file->lang);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	*yes = step == SQLITE_ROW;
	return step == SQLITE_ROW || step == SQLITE_DONE ? SH_OK : sh_db_error(im->db, "labels");
}

/* Replaces the concept's (non-collection) scheme memberships by inScheme. */
static int write_memberships(esco_importer *im, const concept_columns *c, int64_t id)
{
	sqlite3_bind_int64(im->st.delete_memberships, 1, id);
	int rc = esco_run(im, im->st.delete_memberships, "delete scheme members");
	esco_splitter sp = { sh_csv_field(im->csv, c->scheme), ESCO_URI_SEPS };
	const char *uri;
	size_t len;
	while (!rc && esco_split_next(&sp, &uri, &len)) {
		int64_t scheme;
		const char *kind;
		rc = esco_find_concept(im, uri, len, &scheme, &kind);
		if (!rc && !scheme)
			rc = esco_create_bare(im, uri, len, "scheme", "released", &scheme);
		else if (!rc && strcmp(kind, "scheme") != 0)
			rc = esco_fail(im, "inScheme names a %s, not a concept scheme", kind);
		if (!rc)
			rc = esco_add_member(im, scheme, id);
	}
	return rc;
}

static int keep_tops(esco_importer *im, const concept_columns *c, int64_t scheme)
{
	const char *tops = sh_csv_field(im->csv, c->top);
	if (!*tops)
		return SH_OK;
	esco_pending_tops *grown = realloc(im->tops, (im->ntops + 1) * sizeof *grown);
	if (!grown)
		return sh_error(SH_ENOMEM, "out of memory");
	im->tops = grown;
	if (!(grown[im->ntops].uris = strdup(tops)))
		return sh_error(SH_ENOMEM, "out of memory");
	grown[im->ntops++].scheme = scheme;
	return SH_OK;
}

static int import_concept_row(esco_importer *im, const concept_columns *c)
{
	const char *uri, *pref;
	int rc = esco_required(im, c->uri, &uri);
	if (!rc) rc = esco_required(im, c->preferred, &pref);
	int64_t id, isco = 0;
	if (!rc) rc = esco_find_concept(im, uri, strlen(uri), &id, NULL);
	if (rc)
		return rc;
	if (c->isco_group >= 0 && (!im->supplement || !id))
		rc = isco_group_id(im, c, &isco);
	if (rc)
		return rc;
	if (im->supplement) {
		int known_in_lang = 0;
		if (!id)
			rc = insert_concept(im, c, uri, "obsolete", isco, &id);
		else
			rc = has_preferred(im, id, &known_in_lang);
		return rc || known_in_lang ? rc : write_texts(im, c, id);
	}
	rc = id ? update_concept(im, c, id, isco) : insert_concept(im, c, uri, row_status(im, c), isco, &id);
	if (!rc) rc = write_texts(im, c, id);
	if (!rc && c->scheme >= 0) rc = write_memberships(im, c, id);
	if (!rc && c->top >= 0) rc = keep_tops(im, c, id);
	if (!rc) {
		sqlite3_bind_int64(im->st.seen, 1, id);
		rc = esco_run(im, im->st.seen, "seen");
	}
	return rc;
}

/* Full mode: concepts of the file's kind with a preferred label in its
 * language that the file no longer lists become obsolete. */
static int mark_removed(esco_importer *im)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(im->db, &st,
		"UPDATE concept SET status = 'obsolete' WHERE kind = ?1 AND status <> 'obsolete' "
		"AND id NOT IN (SELECT id FROM temp.import_seen) AND EXISTS (SELECT 1 FROM label "
		"WHERE label.concept = concept.id AND label.lang = ?2 AND label.kind = 'preferred')");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, im->file->concept_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, im->file->lang, -1, SQLITE_STATIC);
	rc = esco_run(im, st, "mark removed");
	sqlite3_finalize(st);
	if (!rc)
		rc = sh_db_exec(im->db, "DELETE FROM temp.import_seen");
	return rc;
}

static int concept_row(esco_importer *im, const void *cols)
{
	return import_concept_row(im, cols);
}

int esco_read_concepts(esco_importer *im)
{
	concept_columns c;
	int rc = map_concept_columns(im, &c);
	if (!rc && c.isco_group >= 0)
		rc = load_codes(im);
	if (!rc) rc = esco_read_rows(im, concept_row, &c);
	if (!rc && !im->supplement) rc = mark_removed(im);
	free_codes(im);
	return rc;
}
