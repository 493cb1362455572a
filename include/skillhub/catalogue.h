/*
 * skillhub/catalogue.h - the EU training catalogue: providers and courses
 * mapped to ESCO skills, checked by declarative quality rules (issue 6).
 *
 * One exchange shape: a course is a JSON object (docs/catalogue.md) that
 * import reads, export writes and every other function works on.  Import is
 * all or nothing: every bad record is reported as "file:line: field: what"
 * and nothing is stored unless the whole file is good.  Skills come from two
 * places: the provider declares them (origin "accepted") or the extractor
 * proposes them from the course's texts (origin "proposed", with a score)
 * for a reviewer to accept or reject; only accepted skills count.
 *
 * Quality rules live in a versioned JSON file the alliance edits
 * (rules/quality-rules.json); the rule *types* are implemented here, their
 * parameters, severities and fixes come from the file.  Approving a course
 * refuses while it has findings of severity "error"; a new rule-set version
 * re-evaluates approved courses and flags (never deletes) those that fail.
 *
 * Every write records who changed which field in the audit table.  Functions
 * returning JSON text hand it to the caller (free()).
 */
#ifndef SKILLHUB_CATALOGUE_H
#define SKILLHUB_CATALOGUE_H

#include "skillhub/common.h"
#include "skillhub/index.h"
#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- exchange -------------------------------------------------------- */

typedef struct sh_courses_import_opts {
	const char     *who;     /* audit: who imports; NULL = "import" */
	const sh_index *idx;     /* proposes skills for new or re-worded courses; NULL = no proposals */
} sh_courses_import_opts;

/*
 * Imports FILE.json ({"providers": [...], "courses": [...]}) or FILE.csv
 * (one course a row) in one transaction; a course whose id exists is
 * updated.  On bad records returns SH_EFORMAT and sets *problems to every
 * problem, one "file:line: ..." line each (caller frees; NULL when none).
 */
int sh_courses_import(sh_db *db, const char *path, const sh_courses_import_opts *opts,
                      size_t *ncourses, size_t *nproviders, char **problems);

typedef enum sh_course_format {
	SH_COURSES_JSON = 1,  /* the exchange shape: {"providers": [...], "courses": [...]} */
	SH_COURSES_CSV,       /* one course a row, the columns of docs/catalogue.md */
	SH_COURSES_ELM        /* European Learning Model LearningOpportunity JSON-LD */
} sh_course_format;

/* Exports one course (ref) or every course (ref NULL) in fmt. */
int sh_courses_export(sh_db *db, sh_course_format fmt, const char *ref, char **out);

/* The approved courses as one harvestable JSON-LD document (@graph of ELM LearningOpportunity). */
int sh_courses_feed(sh_db *db, char **out);

/* ---- skills ---------------------------------------------------------- */

/* Re-runs the extractor over the course's texts; replaces its proposals (accepted/rejected stay). */
int sh_course_propose_skills(sh_db *db, const sh_index *idx, const char *ref, size_t *nproposed);

/* Sets a skill of the course to accepted (accept=1) or rejected (accept=0). */
int sh_course_decide_skill(sh_db *db, const char *ref, const char *skill_uri, int accept, const char *who);

/* The course's skills: [{"uri", "label", "origin", "score", "level"}] best first. */
int sh_course_skills_json(sh_db *db, const char *ref, char **out);

/* ---- quality rules and workflow -------------------------------------- */

typedef struct sh_rules sh_rules;

int  sh_rules_load(sh_rules **out, const char *path);
void sh_rules_free(sh_rules *r);
const char *sh_rules_version(const sh_rules *r);

/*
 * Checks one course (ref) or all (ref NULL): *out = JSON array of findings
 * {"course", "field", "rule", "severity", "message", "fix"}; *nerrors counts
 * those of severity "error".
 */
int sh_courses_check(sh_db *db, const sh_rules *rules, const char *ref, char **out, size_t *nerrors);

/*
 * Re-evaluates every approved course when the rule-set version differs from
 * the one they were last evaluated with (or always when force): a failing
 * course gets course.flagged = "rules VERSION: N errors", a passing one is
 * cleared.  Sets *nflagged.
 */
int sh_courses_recheck(sh_db *db, const sh_rules *rules, int force, size_t *nflagged);

/* Workflow: "submit" (draft|rejected -> submitted), "approve", "reject" (submitted -> ...).
 * approve refuses (SH_EINVAL, the errors in the message) while a rule of severity error fails. */
int sh_course_transition(sh_db *db, const sh_rules *rules, const char *ref, const char *action,
                         const char *who);

/* ---- providers ------------------------------------------------------- */

/* Adds or updates a provider from a JSON object of the exchange shape. */
int sh_provider_put(sh_db *db, const char *provider_json, const char *who);
/* One provider (ref) with its course count, or all (ref NULL) as a JSON array. */
int sh_providers_json(sh_db *db, const char *ref, char **out);

/* ---- search ---------------------------------------------------------- */

typedef struct sh_course_query {
	const char *text;        /* words of titles, descriptions, outcomes; NULL = any */
	const char *skill;       /* courses teaching this skill or a narrower one (URI) */
	const char *occupation;  /* courses covering its essential skills, ranked by coverage (URI) */
	const char *region;      /* NUTS code prefix: "DE" matches "DE91" */
	const char *lang;        /* teaching language (ISO 639-1); also the stemmer of text */
	const char *mode;        /* onsite | online | blended */
	int         eqf;         /* 0 = any */
	double      max_cost;    /* < 0 = any */
	const char *from, *to;   /* start date within [from, to] (ISO dates); self-paced always match */
	size_t      limit;       /* 0 = 20 */
} sh_course_query;

/* Ranked approved courses: JSON array of {"id", "title", "provider", "score", ...}. */
int sh_courses_search(sh_db *db, const sh_course_query *q, char **out);

#ifdef __cplusplus
}
#endif
#endif
