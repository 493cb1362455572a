/*
 * pathways/courses.h - candidate courses for sh_plan_courses() with the
 * storage behind their pointers, loaded from a JSON course file
 * (docs/pathways.md) and from the approved courses of the database's
 * catalogue.  Shared by the CLI and the server.
 *
 * Usage: zero an sh_course_list, load from any number of sources, call
 * sh_course_list_finish() to fill v, pass v and n to the planner, then
 * sh_course_list_free().  A list belongs to one thread.
 */
#ifndef SH_PATHWAYS_COURSES_H
#define SH_PATHWAYS_COURSES_H

#include "skillhub/pathways.h"
#include "skillhub/store.h"

typedef struct sh_course_store sh_course_store;

typedef struct sh_course_list {
	sh_course       *v;     /* n candidates (after sh_course_list_finish) */
	size_t           n;
	sh_course_store *store; /* per course: strings and arrays v points into */
	size_t           cap;
} sh_course_list;

/* Appends the courses of a JSON file ({"courses": [...]} or an array); prerequisites are ids within the file. */
int  sh_course_list_load_file(sh_course_list *c, const char *file, const sh_index *idx);
/* Appends the catalogue's approved courses (none when the database predates the catalogue), titles in lang. */
int  sh_course_list_load_catalogue(sh_course_list *c, sh_db *db, const sh_index *idx, const char *lang);
/* Fills c->v from what was loaded. */
int  sh_course_list_finish(sh_course_list *c);
void sh_course_list_free(sh_course_list *c);
/* The title of course i ("" when none). */
const char *sh_course_list_title(const sh_course_list *c, size_t i);

/* 1 when s is a date "YYYY-MM-DD" (as course windows compare them), else 0. */
int  sh_course_date_valid(const char *s);

#endif
