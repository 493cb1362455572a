/*
 * taxonomy/esco_import.h - the state shared by the files of the ESCO importer:
 * esco_import.c (runs, directories, files, changes), esco_concepts.c (concept
 * files: labels, notes, fields, scheme memberships, removals) and
 * esco_relations.c (relation and collection files).  See esco_import.c for the
 * design.
 */
#ifndef SH_TAXONOMY_ESCO_IMPORT_H
#define SH_TAXONOMY_ESCO_IMPORT_H

#include "skillhub/taxonomy.h"
#include "store/db.h"
#include "taxonomy/csv_reader.h"
#include "taxonomy/esco_files.h"

typedef struct esco_statements {
	sqlite3_stmt *find, *insert_concept, *update_concept, *has_preferred;
	sqlite3_stmt *delete_labels, *insert_label, *delete_notes, *insert_note;
	sqlite3_stmt *delete_memberships, *insert_member, *set_top, *clear_tops;
	sqlite3_stmt *seen, *occupation_skill, *skill_skill, *broader;
	sqlite3_stmt *find_collection, *scheme_by_label, *set_collection, *delete_members;
} esco_statements;

/* hasTopConcept of a scheme, applied once the directory's concepts exist. */
typedef struct esco_pending_tops {
	int64_t scheme;
	char   *uris;
} esco_pending_tops;

/* ISCO group code -> concept id, for occupations' iscoGroup column. */
typedef struct esco_isco_code {
	char   *code;
	int64_t id;
} esco_isco_code;

typedef struct esco_importer {
	sh_db                *db;
	const sh_import_opts *opts;
	sh_import_report     *rep;
	esco_statements       st;
	sh_csv               *csv;        /* file being read */
	const esco_file      *file;
	int                   supplement; /* the directory is older than the database */
	unsigned              replaced;   /* relation kinds already cleared in this run (bit per esco_file_kind) */
	esco_pending_tops    *tops;
	size_t                ntops;
	esco_isco_code       *codes;      /* while an occupations file is read */
	size_t                ncodes;
} esco_importer;

/* Steps a statement that returns no row, then resets it and its bindings. */
int esco_run(esco_importer *im, sqlite3_stmt *st, const char *what);
/* Fails with SH_EFORMAT and "file:line: <fmt>" for the current record. */
int esco_fail(esco_importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Looks a URI up: *id = 0 when unknown; *kind (optional) is a static name. */
int esco_find_concept(esco_importer *im, const char *uri, size_t len, int64_t *id, const char **kind);
/* Creates a concept with only a URI, kind and status. */
int esco_create_bare(esco_importer *im, const char *uri, size_t len, const char *kind,
                     const char *status, int64_t *id);
/* Adds concept to scheme (no-op when already a member). */
int esco_add_member(esco_importer *im, int64_t scheme, int64_t concept);
/* Column index; when required, a missing column is an error at line 1. */
int esco_column(esco_importer *im, const char *name, int required, int *col);
/* The value of a required column; an error when empty. */
int esco_required(esco_importer *im, int col, const char **out);
/* Calls row(im, cols) for every record of the open file, reporting progress. */
int esco_read_rows(esco_importer *im, int (*row)(esco_importer *, const void *), const void *cols);

/* Iterates over a multi-valued field: items separated by any byte of seps,
 * trimmed of spaces, tabs and CRs; empty items skipped. */
typedef struct esco_splitter {
	const char *p;
	const char *seps;
} esco_splitter;
#define ESCO_LABEL_SEPS "\n"
#define ESCO_URI_SEPS   "\n, "
int esco_split_next(esco_splitter *sp, const char **item, size_t *len);

/* Readers of the open file (im->csv, im->file), by kind. */
int esco_read_concepts(esco_importer *im);
int esco_read_relations(esco_importer *im);
int esco_read_collection(esco_importer *im);

#endif
