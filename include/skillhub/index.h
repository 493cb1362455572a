/*
 * skillhub/index.h - the compiled taxonomy index: concepts, labels,
 * relations and search, read from an immutable memory-mapped file.
 *
 * `skillhub index build` (sh_index_build) compiles the database into
 * "<db>.idx"; sh_index_open_fresh() rebuilds it first when it is missing or
 * older than the database's taxonomy generation, so users never run a stale
 * index.  An sh_index is read-only after opening and safe to share between
 * threads; functions that need scratch memory allocate it per call.
 *
 * Concepts are numbered densely (sh_cid, 0..n-1) inside one index file; the
 * numbers change when the index is rebuilt, URIs do not.
 */
#ifndef SKILLHUB_INDEX_H
#define SKILLHUB_INDEX_H

#include "skillhub/common.h"
#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_index sh_index;
typedef uint32_t sh_cid;

typedef enum sh_kind {
	SH_KIND_SKILL       = 1,
	SH_KIND_SKILL_GROUP = 2,
	SH_KIND_OCCUPATION  = 3,
	SH_KIND_ISCO_GROUP  = 4,
	SH_KIND_SCHEME      = 5
} sh_kind;

#define SH_KIND_BIT(k) (1u << (k))

/* "skill", "occupation", ...; and back (0 when unknown). */
const char *sh_kind_name(sh_kind k);
sh_kind     sh_kind_from_name(const char *name);

/* "<db_path>.idx" (caller frees). */
char *sh_index_path_for_db(const char *db_path);

int  sh_index_build(sh_db *db, const char *path);
int  sh_index_open(sh_index **out, const char *path);
/* Opens sh_index_path_for_db(db), building it first when missing or stale. */
int  sh_index_open_fresh(sh_index **out, sh_db *db);
void sh_index_close(sh_index *idx);

int64_t sh_index_generation(const sh_index *idx);
size_t  sh_index_concept_count(const sh_index *idx);
/* Language codes that have labels, sorted; valid while idx is open. */
size_t  sh_index_languages(const sh_index *idx, const char *const **langs);

/*
 * Finds a concept by full URI, by the last segment of its URI (the UUID of a
 * skill or occupation, "C2654" style ISCO ids), or by ISCO / skill group code.
 */
int  sh_index_lookup(const sh_index *idx, const char *key, sh_cid *out);

sh_kind     sh_concept_kind(const sh_index *idx, sh_cid c);
const char *sh_concept_uri(const sh_index *idx, sh_cid c);
/* Preferred label in lang, else English, else any language; never NULL. */
const char *sh_concept_label(const sh_index *idx, sh_cid c, const char *lang);

typedef enum sh_rel {
	SH_REL_ESSENTIAL_SKILL = 1,  /* occupation -> its essential skills */
	SH_REL_OPTIONAL_SKILL,       /* occupation -> its optional skills */
	SH_REL_ESSENTIAL_FOR,        /* skill -> occupations that need it as essential */
	SH_REL_OPTIONAL_FOR,         /* skill -> occupations that list it as optional */
	SH_REL_RELATED_ESSENTIAL,    /* skill -> skills it is essentially related to (skill-skill) */
	SH_REL_RELATED_OPTIONAL,     /* skill -> skills it is optionally related to */
	SH_REL_BROADER,              /* any -> broader concepts (skill groups, ISCO groups, occupations) */
	SH_REL_NARROWER,             /* any -> narrower concepts */
	SH_REL_ISCO_GROUP,           /* occupation -> its ISCO unit group */
	SH_REL_IN_SCHEME             /* any -> schemes and collections it belongs to */
} sh_rel;

/* Concepts related to c by rel; *out points into the index (no copy). Returns the count. */
size_t sh_concept_related(const sh_index *idx, sh_cid c, sh_rel rel, const sh_cid **out);

/*
 * The concept as a JSON object: uri, type, code, labels (preferred, alternative,
 * hidden in lang), description, definition, scope note, skill type, reuse
 * level, status and every relation with uri + label.  The CLI's `show --json`
 * and the API's /concepts/{id} print exactly this.  Caller frees *out.
 */
int  sh_concept_json(const sh_index *idx, sh_cid c, const char *lang, char **out);

typedef struct sh_search_opts {
	unsigned    kinds;   /* SH_KIND_BIT mask; 0 = skills and occupations */
	const char *lang;    /* labels of this language; NULL = "en" */
	size_t      offset;  /* skip this many hits (paging) */
} sh_search_opts;

typedef struct sh_search_hit {
	sh_cid      concept;
	float       score;          /* higher is better; 1.0 = exact label */
	const char *matched_label;  /* the label that matched best (points into the index) */
} sh_search_hit;

/*
 * Ranked search over all labels (preferred, alternative, hidden), tolerant of
 * case, diacritics, word order and inflection.  Fills at most max hits (one per
 * concept) and sets *n.  Empty or blank query: SH_EINVAL.
 */
int  sh_search(const sh_index *idx, const char *query, const sh_search_opts *opts,
               sh_search_hit *hits, size_t max, size_t *n);

/* Prefix completion for a search box: labels starting with (the words of) prefix. */
int  sh_suggest(const sh_index *idx, const char *prefix, const sh_search_opts *opts,
                sh_search_hit *hits, size_t max, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
