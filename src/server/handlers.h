/*
 * server/handlers.h - the request handlers named in the route table:
 * JSON API (api.c, api_text.c, api_pathways.c), web pages (pages.c,
 * page_analyse.c, pages_pathways.c) and embedded files (assets.c).
 *
 * A handler fills req's response with the sh_reply_* helpers (request.h) and
 * returns SH_OK; a negative status without a reply becomes a 500.
 */
#ifndef SH_SERVER_HANDLERS_H
#define SH_SERVER_HANDLERS_H

#include "server/request.h"

int sh_api_health(sh_request *req);
int sh_api_openapi(sh_request *req);
int sh_api_languages(sh_request *req);
int sh_api_search(sh_request *req);
int sh_api_suggest(sh_request *req);
int sh_api_concept(sh_request *req);
int sh_api_occupation_skills(sh_request *req);
int sh_api_skill_occupations(sh_request *req);
int sh_api_skill_related(sh_request *req);
int sh_api_extract(sh_request *req);
int sh_api_titles(sh_request *req);
int sh_api_courses(sh_request *req);   /* api_courses.c */
int sh_api_course(sh_request *req);
int sh_api_providers(sh_request *req);
int sh_api_provider(sh_request *req);
/* api_courses_write.c: the write side; the *_route handlers pass GET on to the read-only ones above. */
int sh_api_courses_route(sh_request *req);       /* GET (search, or ?status= lists) | POST (create) */
int sh_api_course_route(sh_request *req);        /* GET | PUT */
int sh_api_provider_route(sh_request *req);      /* GET | PUT */
int sh_api_course_findings(sh_request *req);
int sh_api_course_skills(sh_request *req);
int sh_api_course_submit(sh_request *req);
int sh_api_course_approve(sh_request *req);
int sh_api_course_reject(sh_request *req);
int sh_api_occupation_transitions(sh_request *req); /* api_pathways.c */
int sh_api_gap(sh_request *req);
int sh_api_plan(sh_request *req);
int sh_api_workforce(sh_request *req);
int sh_api_my_profile(sh_request *req); /* api_profile.c */

int sh_page_home(sh_request *req);
int sh_page_search(sh_request *req);
int sh_page_concept(sh_request *req);
int sh_page_analyse(sh_request *req);
int sh_page_courses(sh_request *req);  /* pages_courses.c */
int sh_page_course(sh_request *req);
int sh_page_provider(sh_request *req);
int sh_page_my_courses(sh_request *req);     /* pages_provider.c: providers and reviewers */
int sh_page_course_new(sh_request *req);
int sh_page_course_edit(sh_request *req);
int sh_page_course_skills(sh_request *req);
int sh_page_course_submit(sh_request *req);
int sh_page_review(sh_request *req);
int sh_page_review_decide(sh_request *req);
int sh_page_pathways(sh_request *req);  /* pages_pathways.c */
int sh_page_gap(sh_request *req);
int sh_page_workforce(sh_request *req);
int sh_page_my_profile(sh_request *req);  /* pages_profile.c */
int sh_page_my_pathways(sh_request *req);
int sh_page_my_plan(sh_request *req);

int sh_api_me(sh_request *req);       /* api_account.c */
int sh_api_accounts(sh_request *req);
int sh_api_account(sh_request *req);

int sh_page_login(sh_request *req);   /* pages_account.c */
int sh_page_logout(sh_request *req);
int sh_page_account(sh_request *req);
int sh_page_token_create(sh_request *req);
int sh_page_token_revoke(sh_request *req);

int sh_asset_style(sh_request *req);
int sh_asset_script(sh_request *req);
int sh_asset_icon(sh_request *req);

#endif
