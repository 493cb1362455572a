/*
 * cli/pathways_cli.h - what the pathway commands (gap, plan, transitions,
 * workforce) share: building a profile from the command line, the
 * course-constraint options, loading candidate courses as the options say
 * (pathways/courses.h), the ad demand that weights gaps (pathways/demand.h),
 * and printing gaps and plans as text (the JSON forms
 * are pathways/pathways_json.h, shared with the server).
 * docs/pathways.md documents the file formats.
 */
#ifndef SH_CLI_PATHWAYS_CLI_H
#define SH_CLI_PATHWAYS_CLI_H

#include <getopt.h>
#include <jansson.h>

#include "cli/cli.h"
#include "pathways/pathways_json.h"
#include "skillhub/pathways.h"

/* Option codes of the profile and constraint options (above any short option). */
enum {
	PW_OPT_PROFILE = 1000, PW_OPT_FROM_OCCUPATION, PW_OPT_CV, PW_OPT_TITLE, PW_OPT_LANG,
	PW_OPT_COURSES, PW_OPT_NO_CATALOGUE, PW_OPT_LANGUAGE, PW_OPT_REGION, PW_OPT_MODE, PW_OPT_FROM,
	PW_OPT_TO, PW_OPT_BUDGET, PW_OPT_HOUR_COST, PW_OPT_MAX_NODES, PW_OPT_MAX_MS, PW_OPT_GREEDY,
	PW_OPT_NO_DEMAND
};

#define PW_PROFILE_OPTIONS \
	{ "profile", required_argument, NULL, PW_OPT_PROFILE }, \
	{ "from-occupation", required_argument, NULL, PW_OPT_FROM_OCCUPATION }, \
	{ "cv", required_argument, NULL, PW_OPT_CV }, \
	{ "title", required_argument, NULL, PW_OPT_TITLE }, \
	{ "lang", required_argument, NULL, PW_OPT_LANG }, \
	{ "no-demand", no_argument, NULL, PW_OPT_NO_DEMAND }

#define PW_COURSE_OPTIONS \
	{ "courses", required_argument, NULL, PW_OPT_COURSES }, \
	{ "no-catalogue", no_argument, NULL, PW_OPT_NO_CATALOGUE }, \
	{ "language", required_argument, NULL, PW_OPT_LANGUAGE }, \
	{ "region", required_argument, NULL, PW_OPT_REGION }, \
	{ "mode", required_argument, NULL, PW_OPT_MODE }, \
	{ "from", required_argument, NULL, PW_OPT_FROM }, \
	{ "to", required_argument, NULL, PW_OPT_TO }, \
	{ "budget", required_argument, NULL, PW_OPT_BUDGET }, \
	{ "hour-cost", required_argument, NULL, PW_OPT_HOUR_COST }, \
	{ "max-nodes", required_argument, NULL, PW_OPT_MAX_NODES }, \
	{ "max-ms", required_argument, NULL, PW_OPT_MAX_MS }, \
	{ "greedy", no_argument, NULL, PW_OPT_GREEDY }

#define PW_PROFILE_HELP \
	"  --profile FILE          skills from a JSON profile ({\"skills\": [...], \"occupations\": [...]})\n" \
	"  --from-occupation URI   the essential skills of an occupation held\n" \
	"  --cv FILE               skills found in a CV text (sh_extract)\n" \
	"  --title TEXT            the essential skills of the occupation a job title names\n" \
	"  --lang L                language of the CV / title and of the labels shown (default en)\n" \
	"  (profile sources add up; at least one is required)\n" \
	"  --no-demand             do not weight skills by their share of the database's job ads\n"

#define PW_COURSE_HELP \
	"  --courses FILE          candidate courses from a JSON file (docs/pathways.md)\n" \
	"  --no-catalogue          do not add the approved courses of the database's catalogue\n" \
	"  --language L, --region R, --mode M   only courses taught in L, in region R (prefix), mode M\n" \
	"  --from DATE, --to DATE  dated courses must start on/after and end on/before (YYYY-MM-DD)\n" \
	"  --budget X              money limit (skills may stay open); --hour-cost X: money per hour\n" \
	"  --max-nodes N, --max-ms T  branch-and-bound limits (default 200000 nodes, 1000 ms)\n" \
	"  --greedy                greedy plan only (no optimality proof)\n"

/* Profile sources collected from the options; added in order by pw_profile_build. */
typedef struct pw_source {
	int         kind; /* PW_OPT_PROFILE ... PW_OPT_TITLE */
	const char *arg;
} pw_source;

typedef struct pw_args {
	pw_source    sources[16];
	size_t       nsources;
	const char  *lang;
	const char  *courses_file;
	int          no_catalogue;
	int          no_demand;
	sh_plan_opts plan;
} pw_args;

/* Defaults: lang en, no budget. */
void pw_args_init(pw_args *a);
/* Handles a profile or course option: 1 handled, 0 not such an option, -1 usage error reported. */
int  pw_args_option(pw_args *a, const char *cmd, int c, const char *arg);

/* Builds the profile from the sources (a usage error when none was given). */
int  pw_profile_build(const pw_args *a, const char *cmd, const sh_index *idx, sh_profile **out);

/*
 * The gap options: unless --no-demand, each skill's share of the counted job
 * ads of db (pathways/demand.h; none when db holds no ad).  Free
 * opts->demand with free().
 */
int  pw_demand_load(const pw_args *a, sh_db *db, const sh_index *idx, sh_gap_opts *opts);

/* Loads the --courses file and (unless --no-catalogue) the catalogue's approved courses. */
int  pw_courses_load(const pw_args *a, sh_db *db, const sh_index *idx, sh_course_list *out);

/* Prints a JSON value followed by a newline and frees it; SH_EXIT_FAIL when it cannot be encoded. */
int  pw_print_json(json_t *v);

void pw_print_gap(const sh_index *idx, const sh_gap *g, const char *lang);
void pw_print_plan(const sh_index *idx, const sh_plan *p, const sh_course_list *c, const char *lang);

#endif
