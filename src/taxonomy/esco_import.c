/*
 * taxonomy/esco_import.c - reading an ESCO CSV package into the store: runs,
 * directories and files, and the helpers esco_concepts.c and esco_relations.c
 * share (esco_import.h).
 *
 * One transaction for the whole run.  For each directory, the recognised
 * files (esco_files.h) are read in dependency order: concept schemes, ISCO
 * groups, skill groups, skills, occupations, then the broader, occupation-skill
 * and skill-skill relations, the collections, and last the top concepts of the
 * schemes.  Columns are looked up by header name; unknown columns are ignored.
 *
 * Two modes per directory (docs/import.md):
 *  - full: the package is as new as anything imported so far (or its version
 *    is unknown).  A concept row replaces the concept's labels and notes in the
 *    file's language, its language-neutral fields and its scheme memberships;
 *    the first relation file of a kind replaces that whole relation set; a
 *    concept of the file's kind that has a preferred label in the file's
 *    language but is missing from the file becomes 'obsolete'.  A concept
 *    listed in a file of another kind than before is reclassified (v1.0 has
 *    skill groups that v1.1 lists as skills).
 *  - supplement: the package is older than one already imported (v1.0 French
 *    labels after v1.1.1 English).  It only adds labels and notes in languages
 *    a concept has none in yet, and creates unknown concepts as 'obsolete';
 *    relations, collections, kinds and language-neutral fields are left alone.
 *
 * What changed is found by comparing fingerprints of every concept taken
 * before and after writing (esco_changes.h).  When nothing differs the
 * transaction is rolled back, which is what makes a re-import a no-op.
 *
 * Relation rows may name a concept that no concept file describes (ESCO
 * v1.1.1 has 67 occupation-skill rows for such an occupation).  When the URI
 * is an ESCO URI of the kind the column expects, a stub concept with status
 * 'obsolete' is created so that the relation is kept; any other unknown URI is
 * an error.
 */
#include "taxonomy/esco_import.h"
#include "core/buf.h"
#include "core/error.h"
#include "taxonomy/esco_changes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PROGRESS_EVERY = 20000 };

/* ---- helpers shared with esco_concepts.c and esco_relations.c --------- */

#define PREPARE(field, sql) if (!rc) rc = sh_db_prepare(im->db, &im->st.field, sql)

static int prepare_all(esco_importer *im)
{
	int rc = SH_OK;
	PREPARE(find, "SELECT id, kind FROM concept WHERE uri = ?");
	PREPARE(insert_concept,
		"INSERT INTO concept(uri, kind, code, skill_type, reuse_level, modified, regulated_note, "
		"status, isco_group) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	PREPARE(update_concept,
		"UPDATE concept SET code = iif(?2, ?3, code), skill_type = iif(?4, ?5, skill_type), "
		"reuse_level = iif(?6, ?7, reuse_level), modified = iif(?8, ?9, modified), "
		"regulated_note = iif(?10, ?11, regulated_note), status = ?12, "
		"isco_group = iif(?13, ?14, isco_group), kind = ?15 WHERE id = ?1");
	PREPARE(has_preferred, "SELECT 1 FROM label WHERE concept = ? AND lang = ? AND kind = 'preferred'");
	PREPARE(delete_labels, "DELETE FROM label WHERE concept = ? AND lang = ?");
	PREPARE(insert_label, "INSERT OR IGNORE INTO label(concept, lang, kind, text) VALUES(?, ?, ?, ?)");
	PREPARE(delete_notes, "DELETE FROM note WHERE concept = ? AND lang = ?");
	PREPARE(insert_note, "INSERT OR REPLACE INTO note(concept, lang, kind, text) VALUES(?, ?, ?, ?)");
	PREPARE(delete_memberships,
		"DELETE FROM scheme_member WHERE concept = ?1 AND scheme NOT IN "
		"(SELECT id FROM concept WHERE collection_key IS NOT NULL)");
	PREPARE(insert_member, "INSERT OR IGNORE INTO scheme_member(scheme, concept) VALUES(?, ?)");
	PREPARE(set_top,
		"INSERT INTO scheme_member(scheme, concept, top) VALUES(?, ?, 1) "
		"ON CONFLICT(scheme, concept) DO UPDATE SET top = 1");
	PREPARE(clear_tops, "UPDATE scheme_member SET top = 0 WHERE scheme = ? AND top <> 0");
	PREPARE(seen, "INSERT OR IGNORE INTO temp.import_seen(id) VALUES(?)");
	PREPARE(occupation_skill,
		"INSERT INTO occupation_skill(occupation, skill, relation) VALUES(?, ?, ?) "
		"ON CONFLICT(occupation, skill) DO UPDATE SET relation = excluded.relation");
	PREPARE(skill_skill,
		"INSERT INTO skill_skill(skill, related, relation) VALUES(?, ?, ?) "
		"ON CONFLICT(skill, related) DO UPDATE SET relation = excluded.relation");
	PREPARE(broader, "INSERT OR IGNORE INTO broader(concept, broader) VALUES(?, ?)");
	PREPARE(find_collection, "SELECT id FROM concept WHERE collection_key = ?");
	PREPARE(scheme_by_label,
		"SELECT c.id FROM concept c JOIN label l ON l.concept = c.id "
		"WHERE c.kind = 'scheme' AND c.collection_key IS NULL AND l.lang = 'en' "
		"AND l.kind = 'preferred' AND l.text = ? COLLATE NOCASE ORDER BY c.id LIMIT 1");
	PREPARE(set_collection, "UPDATE concept SET collection_key = ? WHERE id = ?");
	PREPARE(delete_members, "DELETE FROM scheme_member WHERE scheme = ?");
	return rc;
}

static void finalize_all(esco_importer *im)
{
	sqlite3_stmt **s = (sqlite3_stmt **)&im->st;
	for (size_t i = 0; i < sizeof im->st / sizeof *s; i++)
		sqlite3_finalize(s[i]);
	memset(&im->st, 0, sizeof im->st);
}

int esco_run(esco_importer *im, sqlite3_stmt *st, const char *what)
{
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return step == SQLITE_DONE ? SH_OK : sh_db_error(im->db, what);
}

int esco_fail(esco_importer *im, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return sh_error(SH_EFORMAT, "%s:%zu: %s", sh_csv_name(im->csv), sh_csv_line(im->csv), what);
}

int esco_find_concept(esco_importer *im, const char *uri, size_t len, int64_t *id, const char **kind)
{
	static const char *const kinds[] = { "skill", "skill_group", "occupation", "isco_group", "scheme" };
	sqlite3_stmt *st = im->st.find;
	sqlite3_bind_text(st, 1, uri, (int)len, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*id = 0;
	if (kind)
		*kind = NULL;
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		const char *k = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; kind && k && i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcmp(k, kinds[i]) == 0)
				*kind = kinds[i];
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? SH_OK : sh_db_error(im->db, "find concept");
}

int esco_create_bare(esco_importer *im, const char *uri, size_t len, const char *kind,
                     const char *status, int64_t *id)
{
	sqlite3_stmt *st = im->st.insert_concept;
	sqlite3_bind_text(st, 1, uri, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, status, -1, SQLITE_STATIC);
	int rc = esco_run(im, st, "insert concept");
	*id = sqlite3_last_insert_rowid(im->db->sql);
	return rc;
}

int esco_split_next(esco_splitter *sp, const char **item, size_t *len)
{
	for (;;) {
		if (!*sp->p)
			return 0;
		size_t n = strcspn(sp->p, sp->seps);
		const char *s = sp->p, *e = sp->p + n;
		sp->p = *e ? e + 1 : e;
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (e > s) {
			*item = s;
			*len = (size_t)(e - s);
			return 1;
		}
	}
}

static void progress(esco_importer *im, size_t rows, int done)
{
	if (im->opts && im->opts->progress)
		im->opts->progress(im->opts->progress_ctx, im->file->path, rows, done);
}

int esco_column(esco_importer *im, const char *name, int required, int *col)
{
	*col = sh_csv_col(im->csv, name);
	if (*col < 0 && required)
		return sh_error(SH_EFORMAT, "%s:1: missing required column '%s'", sh_csv_name(im->csv), name);
	return SH_OK;
}

int esco_required(esco_importer *im, int col, const char **out)
{
	*out = sh_csv_field(im->csv, col);
	if (!**out)
		return esco_fail(im, "empty %s", sh_csv_col_name(im->csv, (size_t)col));
	return SH_OK;
}

int esco_add_member(esco_importer *im, int64_t scheme, int64_t concept)
{
	sqlite3_bind_int64(im->st.insert_member, 1, scheme);
	sqlite3_bind_int64(im->st.insert_member, 2, concept);
	return esco_run(im, im->st.insert_member, "insert scheme member");
}


int esco_read_rows(esco_importer *im, int (*row)(esco_importer *, const void *), const void *cols)
{
	int rc, more;
	size_t rows = 0;
	while ((more = sh_csv_next(im->csv)) == 1) {
		if ((rc = row(im, cols)))
			return rc;
		im->rep->rows++;
		if (++rows % PROGRESS_EVERY == 0)
			progress(im, rows, 0);
	}
	if (more < 0)
		return more;
	progress(im, rows, 1);
	return SH_OK;
}

/* ---- files, directories, runs ----------------------------------------- */

static int import_file(esco_importer *im)
{
	const esco_file *f = im->file;
	progress(im, 0, 0);
	int rc = sh_csv_open(&im->csv, f->path);
	if (rc)
		return rc;
	im->rep->files++;
	if (f->concept_kind)
		rc = esco_read_concepts(im);
	else if (f->kind == ESCO_COLLECTION)
		rc = esco_read_collection(im);
	else
		rc = esco_read_relations(im);
	sh_csv_close(im->csv);
	im->csv = NULL;
	return rc;
}

static void free_tops(esco_importer *im)
{
	for (size_t i = 0; i < im->ntops; i++)
		free(im->tops[i].uris);
	free(im->tops);
	im->tops = NULL;
	im->ntops = 0;
}

/* Flags the top concepts of the schemes read from conceptSchemes.  URIs the
 * taxonomy does not hold (ESCO's label-role and reuse-level vocabularies) are
 * skipped. */
static int apply_tops(esco_importer *im)
{
	int rc = SH_OK;
	for (size_t i = 0; !rc && i < im->ntops; i++) {
		sqlite3_bind_int64(im->st.clear_tops, 1, im->tops[i].scheme);
		rc = esco_run(im, im->st.clear_tops, "clear top concepts");
		esco_splitter sp = { im->tops[i].uris, ESCO_URI_SEPS };
		const char *uri;
		size_t len;
		while (!rc && esco_split_next(&sp, &uri, &len)) {
			int64_t id;
			rc = esco_find_concept(im, uri, len, &id, NULL);
			if (rc || !id)
				continue;
			sqlite3_bind_int64(im->st.set_top, 1, im->tops[i].scheme);
			sqlite3_bind_int64(im->st.set_top, 2, id);
			rc = esco_run(im, im->st.set_top, "set top concept");
		}
	}
	free_tops(im);
	return rc;
}

/* Highest comparable ESCO version recorded so far ("" if none). */
static int newest_version(sh_db *db, char *out, size_t size)
{
	out[0] = '\0';
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT version FROM taxonomy WHERE name = 'ESCO'"), step;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		int comparable;
		esco_version_cmp(v, v, &comparable);
		if (comparable && (!*out || esco_version_cmp(v, out, &comparable) > 0))
			snprintf(out, size, "%s", v);
	}
	if (step != SQLITE_DONE)
		rc = sh_db_error(db, "versions");
	sqlite3_finalize(st);
	return rc;
}

static int import_dir(esco_importer *im, const char *dir, char *newest, size_t newest_size)
{
	char version[32];
	if (im->opts && im->opts->version)
		snprintf(version, sizeof version, "%s", im->opts->version);
	else
		esco_version_from_path(dir, version, sizeof version);
	int comparable;
	im->supplement = *newest && esco_version_cmp(version, newest, &comparable) < 0 && comparable;
	if (!im->supplement && esco_version_cmp(version, version, &comparable) == 0 && comparable)
		snprintf(newest, newest_size, "%s", version);

	esco_file *files;
	size_t n;
	int rc = esco_files_list(dir, &files, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		im->file = &files[i];
		int structural = !files[i].concept_kind;
		if (im->supplement && structural)
			continue;
		rc = import_file(im);
	}
	if (!rc)
		rc = apply_tops(im);
	free_tops(im);
	im->file = NULL;
	esco_files_free(files, n);
	return rc;
}

static int record_run(esco_importer *im, const char *const *dirs, size_t ndirs, int64_t *id)
{
	sh_buf sources = SH_BUF_INIT;
	for (size_t i = 0; i < ndirs; i++)
		if (sh_buf_printf(&sources, "%s%s", i ? "\n" : "", dirs[i])) {
			sh_buf_free(&sources);
			return sh_error(SH_ENOMEM, "out of memory");
		}
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	sqlite3_stmt *st;
	int rc = sh_db_prepare(im->db, &st,
		"INSERT INTO taxonomy(name, version, imported_at, sources) VALUES('ESCO', ?, ?, ?)");
	if (!rc) {
		sqlite3_bind_text(st, 1, im->rep->version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, when, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sources.data ? sources.data : "", -1, SQLITE_STATIC);
		rc = esco_run(im, st, "insert taxonomy");
		*id = sqlite3_last_insert_rowid(im->db->sql);
		sqlite3_finalize(st);
	}
	sh_buf_free(&sources);
	return rc;
}

static int update_run_counts(esco_importer *im)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(im->db, &st,
		"UPDATE taxonomy SET added = ?, changed = ?, removed = ? WHERE id = ?");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, im->rep->added);
	sqlite3_bind_int64(st, 2, im->rep->changed);
	sqlite3_bind_int64(st, 3, im->rep->removed);
	sqlite3_bind_int64(st, 4, im->rep->taxonomy_id);
	rc = esco_run(im, st, "update taxonomy");
	sqlite3_finalize(st);
	return rc;
}

/* Compares the snapshots; records the run and bumps the generation when
 * something changed.  *changed = 0 tells the caller to roll back. */
static int record_changes(esco_importer *im, const esco_snapshot *before, const char *const *dirs,
                          size_t ndirs, int *changed)
{
	esco_snapshot after;
	esco_change_counts counts;
	int rc = esco_snapshot_take(im->db, &after);
	if (!rc) rc = esco_changes_compare(im->db, before, &after, 0, &counts);
	*changed = !rc && (counts.added || counts.changed || counts.removed || counts.silent);
	if (!rc && *changed) rc = record_run(im, dirs, ndirs, &im->rep->taxonomy_id);
	if (!rc && *changed) rc = esco_changes_compare(im->db, before, &after, im->rep->taxonomy_id, &counts);
	if (!rc && *changed) {
		im->rep->added = counts.added;
		im->rep->changed = counts.changed;
		im->rep->removed = counts.removed;
		rc = update_run_counts(im);
	}
	if (!rc && *changed) rc = sh_db_bump_generation(im->db);
	esco_snapshot_free(&after);
	return rc;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int sh_import_esco(sh_db *db, const char *const *dirs, size_t ndirs,
                   const sh_import_opts *opts, sh_import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (ndirs == 0)
		return sh_error(SH_EINVAL, "no directory to import");
	double t0 = now_seconds();
	esco_importer im = { .db = db, .opts = opts, .rep = rep };
	if (opts && opts->version)
		snprintf(rep->version, sizeof rep->version, "%s", opts->version);
	else
		esco_version_from_path(dirs[0], rep->version, sizeof rep->version);
	if (!*rep->version)
		snprintf(rep->version, sizeof rep->version, "unknown");

	char newest[32];
	esco_snapshot before = { 0 };
	int rc = sh_db_exec(db, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY");
	if (!rc) rc = sh_db_begin(db);
	if (rc)
		return rc;
	rc = sh_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS import_seen(id INTEGER PRIMARY KEY)");
	if (!rc) rc = newest_version(db, newest, sizeof newest);
	if (!rc) rc = prepare_all(&im);
	if (!rc) rc = esco_snapshot_take(db, &before);
	for (size_t i = 0; !rc && i < ndirs; i++)
		rc = import_dir(&im, dirs[i], newest, sizeof newest);
	int changed = 0;
	if (!rc)
		rc = record_changes(&im, &before, dirs, ndirs, &changed);
	finalize_all(&im);
	esco_snapshot_free(&before);
	if (!rc)
		rc = sh_db_exec(db, "DROP TABLE temp.import_seen");
	if (!rc && changed) {
		rc = sh_db_commit(db);
	} else {
		sh_db_rollback(db);
		rep->added = rep->changed = rep->removed = rep->taxonomy_id = 0;
	}
	if (rc) {
		int64_t files = rep->files;
		memset(rep, 0, sizeof *rep);
		rep->files = files;
	}
	rep->seconds = now_seconds() - t0;
	return rc;
}
