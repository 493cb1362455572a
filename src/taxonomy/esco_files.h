/*
 * taxonomy/esco_files.h - which files of an ESCO CSV package are imported,
 * in which order, and the package version a path names.
 *
 * A file is recognised by its name: a stem from the catalogue (skills,
 * occupations, occupationSkillRelations, greenSkillsCollection, ...) followed
 * by "_<lang>" (2 or 3 lowercase letters) and ".csv".  Relation files may omit
 * the language suffix (v1.1.1 does, v1.2 does not).  Other files are ignored;
 * skillsHierarchy_xx.csv is redundant with the broader relations and is not
 * read (docs/import.md).
 */
#ifndef SH_TAXONOMY_ESCO_FILES_H
#define SH_TAXONOMY_ESCO_FILES_H

#include <stddef.h>

/* File kinds, in the order a directory's files are imported: concepts before
 * the relations that refer to them, concept schemes first so that their top
 * concepts can be flagged last. */
typedef enum esco_file_kind {
	ESCO_SCHEMES,
	ESCO_ISCO_GROUPS,
	ESCO_SKILL_GROUPS,
	ESCO_SKILLS,
	ESCO_OCCUPATIONS,
	ESCO_BROADER_OCC,
	ESCO_BROADER_SKILL,
	ESCO_OCC_SKILL,
	ESCO_SKILL_SKILL,
	ESCO_COLLECTION
} esco_file_kind;

typedef struct esco_file {
	char          *path;
	char           lang[4];        /* "" for a relation file without suffix */
	esco_file_kind kind;
	const char    *concept_kind;   /* concept files: concept.kind of their rows */
	const char    *collection_key; /* collections: 'digital', 'green', ... */
	const char    *scheme_label;   /* collections: English preferred label of the
	                                  matching concept scheme, NULL if none */
} esco_file;

/* Lists the recognised files of dir in import order (kind, then language);
 * SH_ENOTFOUND when there is none.  Free with esco_files_free(). */
int  esco_files_list(const char *dir, esco_file **out, size_t *n);
void esco_files_free(esco_file *files, size_t n);

/* The version a path names: the last component "v<digits>[.<digits>...]"
 * ("data/esco/v1.0.8-occupations" gives "1.0.8"); "" when none. */
void esco_version_from_path(const char *path, char *out, size_t size);

/* Compares dotted numeric versions; *comparable = 0 when either is not one. */
int  esco_version_cmp(const char *a, const char *b, int *comparable);

#endif
