/*
 * pathways/pathways_json.h - the JSON forms of gaps, plans, transitions and
 * workforce plans, and the parsing of headcount lists.  `skillhub gap|plan|
 * transitions|workforce --json` and the /api/v1 pathway routes print these,
 * so the CLI and the API give the same JSON for the same input.  Every
 * json_t returned is a new reference (NULL when out of memory).
 */
#ifndef SH_PATHWAYS_JSON_H
#define SH_PATHWAYS_JSON_H

#include <jansson.h>

#include "pathways/courses.h"
#include "pathways/sectors.h"

/* The attribution every answer carries. */
#define SH_ESCO_ATTRIBUTION "This service uses the ESCO classification of the European Commission."

/* {"uri": ..., "label": ...} of a concept. */
json_t *sh_pathways_concept_json(const sh_index *idx, sh_cid c, const char *lang);
/* {target, readiness, optional_coverage, skills: [...], attribution}. */
json_t *sh_gap_to_json(const sh_index *idx, const sh_gap *g, const char *lang);
/* {steps, cost, price, hours, objective, optimal, lower_bound, nodes, method, uncoverable, unaffordable}. */
json_t *sh_plan_to_json(const sh_index *idx, const sh_plan *p, const sh_course_list *c, const char *lang);
/* {gap, plan, candidates}: the answer of `skillhub plan --json` and POST /api/v1/plan. */
json_t *sh_plan_answer_json(const sh_index *idx, const sh_gap *g, const sh_plan *p, const sh_course_list *c,
                            const char *lang);
/* What sh_transitions_to_json adds to the moves. */
typedef struct sh_transitions_json_opts {
	size_t                limit;   /* at most this many moves of each kind */
	const sh_course_list *courses; /* not NULL: each move with its course plan over these */
	const sh_plan_opts   *plan;    /* the plans' constraints; may be NULL */
	const sh_sectors     *sectors; /* not NULL: alliance sector tags (pathways/sectors.h) */
	const char           *lang;    /* labels */
} sh_transitions_json_opts;

/*
 * {from, same_sector: [...], cross_sector: [...], attribution}: at most
 * o->limit moves of each kind, each with score, overlap, isco_digits, the
 * readiness of someone holding from's essential and optional skills and the
 * essential skills still missing.  With o->courses, each move also has
 * "plan": the least-cost plan over the courses closing those missing skills
 * under o->plan, in the form of sh_plan_to_json.  With o->sectors, a move is
 * same-sector also when both occupations carry a common tag; "from" has
 * "sectors" (its tags) and each move "sectors" (the target's) and
 * "shared_sectors".
 */
int sh_transitions_to_json(const sh_pathways *pw, const sh_index *idx, sh_cid from,
                           const sh_transitions_json_opts *o, json_t **out);
/* {staying, moved, surplus, unfilled, person_skills, hours, moves: [...], attribution}. */
json_t *sh_workforce_to_json(const sh_index *idx, const sh_workforce *w, const sh_course_list *c, const char *lang);
/*
 * The headcounts of member field of root ([{"occupation": URI, "people": N}]);
 * where prefixes error messages (a file name).  *out is the caller's to free().
 */
int sh_headcounts_from_json(const sh_index *idx, const json_t *root, const char *field, const char *where,
                            sh_headcount **out, size_t *n);

#endif
