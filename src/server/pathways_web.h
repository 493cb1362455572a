/*
 * server/pathways_web.h - the pathway computations behind both the JSON
 * routes (api_pathways.c) and the pages (pages_pathways.c): each returns the
 * JSON of pathways/pathways_json.h, so a page shows exactly what the API
 * answers.  The profile travels in the request (no accounts).
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
/* The transitions JSON of occupation from. */
int sh_pathways_web_transitions(sh_request *req, sh_cid from, size_t limit, const char *lang, json_t **out);
/* The workforce JSON for the headcounts, with course plans over the catalogue. */
int sh_pathways_web_workforce(sh_request *req, const sh_headcount *cur, size_t ncur, const sh_headcount *tgt,
                              size_t ntgt, const sh_plan_opts *opts, const char *lang, json_t **out);

/* Resolves an occupation URI, UUID or code; 0 when it names no occupation. */
int sh_pathways_web_occupation(const sh_index *idx, const char *ref, sh_cid *out);

#endif
