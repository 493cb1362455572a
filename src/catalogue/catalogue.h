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
/*
 * Titles of the non-rejected courses of provider ref (NULL = of every
 * provider) indexed by word, for the duplicate rule (titles.c).
 * cat_titles_similar() gives the other courses of provider with a title
 * in a language of texts (a course's "texts" member) whose word-set
 * Jaccard similarity to that title is >= threshold: one match per course
 * (its first language), by ref.  *out borrows from t and texts; free() it.
 */
typedef struct cat_titles cat_titles;
typedef struct cat_title_match {
	const char *ref, *lang, *title;  /* the other course, its language and title */
	const char *mine;                /* the title of texts it resembles */
	double      similarity;
} cat_title_match;
int  cat_titles_build(sh_db *db, const char *provider, cat_titles **out);
void cat_titles_free(cat_titles *t);
int  cat_titles_similar(cat_titles *t, int64_t course, const char *provider, json_t *texts, double threshold,
                        cat_title_match **out, size_t *nout);

/* cat_course_load() with its statements prepared once, for loading many courses. */
typedef struct cat_loader cat_loader;
int  cat_loader_new(sh_db *db, cat_loader **out);
int  cat_loader_load(cat_loader *l, int64_t id, json_t **out);
void cat_loader_free(cat_loader *l);
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

/*
 * The workflow steps without a transaction of their own, for callers that
 * check something first in the same transaction (the web's write routes):
 * sh_course_transition() and sh_course_decide_skill() are these inside
 * BEGIN IMMEDIATE ... COMMIT.
 */
int cat_course_transition(sh_db *db, const sh_rules *rules, const char *ref, const char *action,
                          const char *who);
int cat_course_decide_skill(sh_db *db, const char *ref, const char *skill_uri, int accept, const char *who);

/* ---- editing course by course (edit.c) ------------------------------- */

enum { CAT_REF_MAX = 256 };

/* Who owns a course and where it is in the workflow. */
typedef struct cat_course_state {
	int64_t id;
	char    provider[CAT_REF_MAX];  /* the provider's ref (longer refs are cut: they match no account) */
	char    status[16];             /* draft | submitted | approved | rejected */
} cat_course_state;

/* The state of course ref: SH_OK, SH_ENOTFOUND (message naming it) or SH_EDB. */
int cat_course_get_state(sh_db *db, const char *ref, cat_course_state *out);

/*
 * A submitted or approved course goes back to draft (audited, flag cleared)
 * because what a reviewer saw has changed; *reopened = 1 then.  Draft and
 * rejected courses stay as they are.
 */
int cat_course_reopen(sh_db *db, const char *ref, const char *who, int *reopened);

typedef struct cat_put_result {
	int64_t id;
	int     created;    /* 1: a new course (draft) */
	int     changed;    /* 1: created, or a stored member differs from before */
	int     reopened;   /* 1: it was submitted or approved and went back to draft (see cat_course_reopen) */
	size_t  nproposed;  /* skills proposed by the extractor (texts new or changed, x given) */
} cat_put_result;

/*
 * Creates or replaces course c (exchange shape; "status" and "flagged" are
 * ignored) without a transaction of its own: validates it, stores it
 * (audited as who), sends a changed submitted or approved course back to
 * draft, and proposes skills with extractor x over idx when its texts are
 * new or changed (x NULL: none).  Problems with the object (shape,
 * references) are appended to problems, one line each, and return
 * SH_EFORMAT; the caller then rolls back.
 */
int cat_course_put(sh_db *db, json_t *c, const char *who, const sh_index *idx, sh_extractor *x,
                   sh_buf *problems, cat_put_result *res);

/* Records a reviewer's comment on course ref (an audit row of field "review_comment"). */
int cat_course_comment(sh_db *db, const char *ref, const char *who, const char *comment);
/* The latest review comment of course ref: *out (caller frees), NULL when none. */
int cat_course_last_comment(sh_db *db, const char *ref, char **out);

/*
 * Courses of every status, for the people who work on them: those of
 * provider ref (NULL = all providers) whose status is status (NULL = any),
 * by provider then ref, as a JSON array of {"id", "title", "provider",
 * "status", "flagged"?, "updated"}; titles in lang, else English, else any.
 */
int cat_courses_list(sh_db *db, const char *provider, const char *status, const char *lang, json_t **out);

/* The course's ESCO preferred label of a skill id in lang (else English); caller frees. */
char *cat_skill_label(sh_db *db, int64_t skill, const char *lang);

#endif
