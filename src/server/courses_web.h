/*
 * server/courses_web.h - what the catalogue's JSON routes (api_courses.c)
 * and pages (pages_courses.c) share: the catalogue connection of the
 * request's thread and the checked reading of the search filters.
 *
 * Both read the catalogue through the public library (skillhub/catalogue.h)
 * on the thread's read-only connection (dbconn.h), so a course approved with
 * the CLI is served at once, and only approved courses are ever served.
 */
#ifndef SH_SERVER_COURSES_WEB_H
#define SH_SERVER_COURSES_WEB_H

#include <jansson.h>

#include "server/request.h"
#include "skillhub/catalogue.h"

/* The thread's connection, or a 503 problem (returned as SH_ERROR). */
int sh_courses_db(sh_request *req, sh_db **out);

/*
 * Fills q from the request's filters: q, skill, occupation, region, mode,
 * eqf, max_cost, from, to and the teaching language of parameter lang_param
 * ("lang" on the API, where the dispatcher has checked it; "teaching" on the
 * page).  skill and occupation are an id or URI of the index; with
 * skill_by_label a skill may also be a label (the page's autocomplete), the
 * best skill hit of the index is then taken.  The URIs point into the index,
 * which the request holds.  Replies 400 naming the parameter on bad input.
 */
int sh_courses_query(sh_request *req, const char *lang_param, int skill_by_label, sh_course_query *q);

/*
 * Runs the search for approved courses, skipping offset hits: *out is the
 * JSON array of hits (caller json_decref's).  A query text without words is
 * a 400 naming q.
 */
int sh_courses_run(sh_request *req, sh_db *db, sh_course_query *q, size_t offset, json_t **out);

/* 1 when the course ref exists and is approved, 0 when not, negative on error. */
int sh_course_is_approved(sh_db *db, const char *ref);

/*
 * The approved courses of provider ref (by_parent 0) or the approved modules
 * of course ref (by_parent 1), by ref, as a JSON array of {"id", "title",
 * "mode", "region", "eqf", "start", "self_paced"}; titles in lang when the
 * course has one, else English, else any.
 */
int sh_courses_of(sh_db *db, int by_parent, const char *ref, const char *lang, json_t **out);

/*
 * On a skill's concept page: a section listing the approved courses that
 * teach skill c (or a narrower one); nothing when there are none or the
 * catalogue cannot be read (the concept page does not depend on it).
 */
int sh_courses_skill_section(sh_request *req, sh_cid c);

#endif
