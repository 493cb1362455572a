/*
 * skillhub/taxonomy.h - taxonomy-wide figures read from the database, the
 * ESCO CSV import and the record of what each import changed.
 */
#ifndef SKILLHUB_TAXONOMY_H
#define SKILLHUB_TAXONOMY_H

#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_taxonomy_stats {
	int64_t skills, occupations, skill_groups, isco_groups, schemes;
	int64_t occupation_skill_relations, skill_skill_relations, broader_relations;
	int64_t labels;
	char  **languages;   /* sorted language codes that have labels */
	size_t  nlanguages;
	char   *version;     /* "ESCO 1.1.1" of the latest import, "" when empty */
} sh_taxonomy_stats;

int  sh_taxonomy_stats_get(sh_db *db, sh_taxonomy_stats *out);
void sh_taxonomy_stats_free(sh_taxonomy_stats *s);

/*
 * Importing an official ESCO CSV package (v1.0 to v1.2), see docs/import.md.
 *
 * sh_import_esco() reads every recognised file of each directory (skills_xx.csv,
 * occupations_xx.csv, the relation and collection files, ...) into the
 * database in ONE transaction.  A malformed file stops the run with
 * SH_EFORMAT and the message "file:line: what is wrong"; the database is then
 * exactly as before.  Re-importing a package already imported changes nothing.
 * An import that changes the taxonomy adds a `taxonomy` row, one
 * `concept_change` row per concept added, changed or removed, and bumps the
 * taxonomy generation once.
 */
typedef void (*sh_import_progress_fn)(void *ctx, const char *file, size_t rows, int file_done);

typedef struct sh_import_opts {
	const char           *version;  /* ESCO version; NULL: inferred from each path (".../v1.1.1/en") */
	sh_import_progress_fn progress; /* called when a file starts, every 20,000 rows and when it ends */
	void                 *progress_ctx;
} sh_import_opts;

typedef struct sh_import_report {
	int64_t taxonomy_id;            /* the `taxonomy` row recorded, 0 when nothing changed */
	int64_t added, changed, removed;/* concepts, as recorded in concept_change */
	int64_t files, rows;            /* CSV files and records read */
	int64_t labels, relations;      /* label and relation rows written */
	double  seconds;                /* wall time of the whole import */
	char    version[32];            /* the version recorded */
} sh_import_report;

int sh_import_esco(sh_db *db, const char *const *dirs, size_t ndirs,
                   const sh_import_opts *opts, sh_import_report *rep);

/* What one import run added, removed and changed (skillhub diff). */
typedef struct sh_concept_change {
	char *uri, *kind;
	char *label;   /* preferred label: English if any, else any language, else "" */
	char *change;  /* "added" | "removed" | "changed" */
	char *detail;  /* changed: the fields that differ, comma separated; else "" */
} sh_concept_change;

typedef struct sh_taxonomy_diff {
	int64_t run;                    /* taxonomy.id */
	char   *name, *version, *imported_at, *sources;
	int64_t added, changed, removed;
	sh_concept_change *changes;     /* ordered by change, kind, uri */
	size_t  nchanges;
} sh_taxonomy_diff;

/* Reads run `run` (0 = the latest); SH_ENOTFOUND when there is no such run. */
int  sh_taxonomy_diff_get(sh_db *db, int64_t run, sh_taxonomy_diff *out);
void sh_taxonomy_diff_free(sh_taxonomy_diff *d);

#ifdef __cplusplus
}
#endif
#endif
