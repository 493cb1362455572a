/*
 * catalogue/catalogue.h - internals shared by the catalogue modules.
 *
 * The canonical in-memory form of a course is its exchange JSON object
 * (jansson): import parses files into it, cat_course_store() writes it to
 * the tables of migration 3, cat_course_load() reads it back, and export,
 * rules and search work on it.  cat_fields describes the scalar members once
 * (JSON key, column, type) so that loading, storing, validating and the CSV
 * columns stay in step.
 */
#ifndef SH_CATALOGUE_CATALOGUE_H
#define SH_CATALOGUE_CATALOGUE_H

#include <jansson.h>

#include "core/buf.h"
#include "skillhub/catalogue.h"
#include "skillhub/extract.h"
#include "store/db.h"

typedef enum cat_type {
	CAT_STR,    /* free text */
	CAT_REF,    /* ref of another row (provider, parent course) */
	CAT_ENUM,   /* one of cat_field.values */
	CAT_NUM,    /* number >= 0 */
	CAT_INT,    /* integer */
	CAT_BOOL,   /* true/false ("true"/"false"/"1"/"0"/"yes"/"no" in CSV) */
	CAT_DATE    /* YYYY-MM-DD */
} cat_type;

typedef struct cat_field {
	const char         *key;     /* JSON member and CSV column */
	const char         *column;  /* course.<column> */
	cat_type            type;
	const char *const  *values;  /* CAT_ENUM: NULL-terminated */
	const char         *ref_table; /* CAT_REF: the table whose ref it names */
} cat_field;

extern const cat_field cat_fields[];
extern const size_t    cat_nfields;

/* "2026-11-23T11:20:00Z" */
void cat_now(char out[32]);

/* Appends one audit row (old/new may be NULL). */
/* 1 if s is a date YYYY-MM-DD with month 1-12 and day 1-31. */
int cat_is_date(const char *s);

int cat_audit(sh_db *db, const char *who, const char *entity, const char *field,
              const char *old, const char *new_value);

/* course.id of ref; SH_ENOTFOUND naming the course otherwise. */
int cat_course_id(sh_db *db, const char *ref, int64_t *id);

/* The course in exchange shape, plus "status" and "flagged" (read-only members). */
int cat_course_load(sh_db *db, int64_t id, json_t **out);
/* Every provider in exchange shape (a JSON array, by ref). */
int cat_providers_load(sh_db *db, json_t **out);

/*
 * Checks a course object's shape (types, enums, dates, unknown members) and
 * appends one line "where: course REF: field "F": what" per problem.
 * Returns the number of problems.
 */
size_t cat_course_validate(json_t *course, const char *where, sh_buf *problems);
size_t cat_provider_validate(json_t *provider, const char *where, sh_buf *problems);

/*
 * Inserts or updates (by id) a validated course; references (provider,
 * parent, skills, prerequisites) that do not resolve are appended to
 * problems (and nothing is written for the course).  *text_changed = 1 when
 * titles, descriptions or outcomes are new or differ; the course's search
 * terms (course_term) are then rewritten.
 */
int cat_course_store(sh_db *db, json_t *course, const char *who, const char *where,
                     sh_buf *problems, int64_t *id, int *text_changed);
int cat_provider_store(sh_db *db, json_t *provider, const char *who);

/* Every text of the course (titles, descriptions, outcomes) of language lang
 * (NULL = all) joined by newlines, into b. */
int cat_course_text(sh_db *db, int64_t id, const char *lang, sh_buf *b);

/*
 * Search terms of text: normal forms stemmed with lang's stemmer (unstemmed
 * when Snowball has none), appended to terms as NUL-separated strings.
 */
int cat_terms(const char *text, const char *lang, sh_buf *terms, size_t *nterms);

/* Proposes skills for course id (see sh_course_propose_skills) with extractor x over idx. */
int cat_propose_skills(sh_db *db, const sh_index *idx, sh_extractor *x, int64_t id, size_t *n);

/* The course's ESCO preferred label of a skill id in lang (else English); caller frees. */
char *cat_skill_label(sh_db *db, int64_t skill, const char *lang);

#endif
