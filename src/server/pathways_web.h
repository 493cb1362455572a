/*
 * server/pathways_web.h - the pathway computations behind both the JSON
 * routes (api_pathways.c) and the pages (pages_pathways.c): each returns the
 * JSON of pathways/pathways_json.h, so a page shows exactly what the API
 * answers.  The profile travels in the request, or is the signed-in
 * account's stored one (api_profile.c, pages_profile.c); gaps are weighted
 * by the skills' demand in the stored job ads (docs/pathways.md).
 */
#ifndef SH_SERVER_PATHWAYS_WEB_H
#define SH_SERVER_PATHWAYS_WEB_H

#include <jansson.h>

#include "server/request.h"
#include "skillhub/pathways.h"

/* {gap, plan, candidates} over the catalogue's approved courses (titles in lang). */
int sh_pathways_web_plan(sh_request *req, const sh_profile *p, sh_cid target, const sh_plan_opts *opts,
                         int optional, const char *lang, json_t **out);
/* The gap JSON from p to target. */
int sh_pathways_web_gap(sh_request *req, const sh_profile *p, sh_cid target, const char *lang, json_t **out);
/* The occupations p leads to (sh_profile_reachable), readiness weighted by ad demand. */
int sh_pathways_web_reachable(sh_request *req, const sh_profile *p, sh_reach *out, size_t max, size_t *n);
/*
 * The transitions JSON of occupation from; with plan, each move with its
 * course plan over the catalogue's approved courses (SH_TRANSITION_PLAN_MAX_MS
 * of branch-and-bound each at most).
 */
int sh_pathways_web_transitions(sh_request *req, sh_cid from, size_t limit, int plan, const char *lang,
                                json_t **out);
#define SH_TRANSITION_PLAN_MAX_MS 100.0
/*
 * The alliance sector file transitions use (pathways/sectors.h), NULL for
 * none; set before the server starts (`skillhub serve --sectors FILE`).  It
 * is read at each transitions request against the request's index, so an
 * edit counts from the next request; a file broken since answers 500.
 */
void sh_pathways_web_set_sectors(const char *file);
/* The workforce JSON for the headcounts, with course plans over the catalogue. */
int sh_pathways_web_workforce(sh_request *req, const sh_headcount *cur, size_t ncur, const sh_headcount *tgt,
                              size_t ntgt, const sh_plan_opts *opts, const char *lang, json_t **out);

/* Resolves an occupation URI, UUID or code; 0 when it names no occupation. */
int sh_pathways_web_occupation(const sh_index *idx, const char *ref, sh_cid *out);

/* Who has a stored profile (api_profile.c, pages_profile.c): every signed-in account. */
#define SH_PROFILE_ROLES (SH_ROLE_BIT(SH_ROLE_ADMIN) | SH_ROLE_BIT(SH_ROLE_PROVIDER) | \
                          SH_ROLE_BIT(SH_ROLE_REVIEWER) | SH_ROLE_BIT(SH_ROLE_ANALYST) | SH_ROLE_BIT(SH_ROLE_LEARNER))

/* ---- page pieces (pages_pathways.c), shared with the profile pages (pages_profile.c) ---- */

/* A non-blank form field, or NULL. */
const char *sh_pathways_field(const sh_http_query *f, const char *name);
/* The occupation a form field names: a reference, else the best search hit of a label; 0 when none. */
int sh_pathways_find_occupation(sh_request *req, const char *text, sh_cid *out);
/* <a href="/concept/ID?lang=L">label</a> of a JSON concept {uri, label}. */
int sh_pathways_concept_link(sh_request *req, const json_t *o);
/* The section of a plan answer ({gap, plan}): readiness, the skills to learn, the courses in order. */
int sh_pathways_plan_section(sh_request *req, const json_t *answer);

#endif
