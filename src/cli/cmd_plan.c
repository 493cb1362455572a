/*
 * cli/cmd_plan.c - `skillhub plan PROFILE-OPTIONS --target URI [--courses FILE] [constraints] [--json]`.
 *
 * The gap from the profile to the target (essential skills; --optional adds
 * the optional ones) becomes the needs of a course plan over the candidate
 * courses: the --courses file and, unless --no-catalogue, the approved
 * courses of the database's catalogue.  Prints the gap summary and the plan:
 * courses in prerequisite order with the skills each closes, totals, the
 * optimality proof or the gap to the lower bound, and the skills no course
 * teaches.
 */
#include "cli/pathways_cli.h"

#include <stdlib.h>

static void help(void)
{
	puts("usage: skillhub plan PROFILE --target URI [--courses FILE] [CONSTRAINTS] [--optional] [--json]\n"
	     "\n"
	     "The cheapest set of candidate courses that closes the gap between a profile and\n"
	     "an occupation (weighted set cover with prerequisites, exact branch-and-bound;\n"
	     "docs/pathways.md).\n"
	     "\n"
	     PW_PROFILE_HELP
	     "  --target URI            the occupation aimed at\n"
	     "  --optional              also close the optional skills\n"
	     PW_COURSE_HELP
	     "  --json                  one JSON object {gap, plan}");
}

static int run(const pw_args *a, sh_db *db, const sh_index *idx, sh_cid target, int optional, int json)
{
	sh_profile *p = NULL;
	sh_pathways *pw = NULL;
	sh_gap *g = NULL;
	sh_plan *plan = NULL;
	sh_plan_need *need = NULL;
	size_t nneed;
	sh_course_list courses = { 0 };
	sh_gap_opts gopts = { NULL, 0 };
	int rc = pw_profile_build(a, "plan", idx, &p);
	if (rc || (rc = pw_demand_load(a, db, idx, &gopts))) {
		sh_profile_free(p);
		return rc;
	}
	if (sh_pathways_new(&pw, idx) || sh_gap_compute(pw, p, target, &gopts, &g) ||
	    sh_gap_needs(g, optional, &need, &nneed) || pw_courses_load(a, db, idx, &courses) ||
	    sh_plan_courses(need, nneed, courses.v, courses.n, &a->plan, &plan))
		rc = cli_lib_fail();
	else if (json) {
		rc = pw_print_json(sh_plan_answer_json(idx, g, plan, &courses, a->lang));
	} else {
		printf("target     %s\nreadiness  %.1f%%; %zu skill%s to close; %zu candidate courses\n",
		       sh_concept_label(idx, target, a->lang), 100 * g->readiness, nneed, nneed == 1 ? "" : "s",
		       courses.n);
		pw_print_plan(idx, plan, &courses, a->lang);
		puts("\nThis service uses the ESCO classification of the European Commission.");
	}
	sh_plan_free(plan);
	sh_course_list_free(&courses);
	free(need);
	sh_gap_free(g);
	free((float *)gopts.demand);
	sh_pathways_free(pw);
	sh_profile_free(p);
	return rc;
}

int cmd_plan(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		PW_PROFILE_OPTIONS,
		PW_COURSE_OPTIONS,
		{ "target", required_argument, NULL, 't' },
		{ "optional", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	pw_args a;
	pw_args_init(&a);
	const char *target = NULL;
	int json = 0, optional = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int handled = pw_args_option(&a, "plan", c, optarg);
		if (handled < 0)
			return SH_EXIT_USAGE;
		if (handled)
			continue;
		switch (c) {
		case 't': target = optarg; break;
		case 'o': optional = 1; break;
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("plan", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("plan", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("plan", "unexpected argument '%s'", argv[optind]);
	if (!target)
		return cli_usage_error("plan", "missing --target URI");
	if (!a.nsources)
		return cli_usage_error("plan", "give a profile: --profile, --from-occupation, --cv or --title");
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	sh_cid t;
	if ((rc = cli_check_lang("plan", idx, a.lang)))
		;
	else if (sh_index_lookup(idx, target, &t) || sh_concept_kind(idx, t) != SH_KIND_OCCUPATION)
		rc = cli_fail("--target: no occupation '%s' in the taxonomy", target);
	else
		rc = run(&a, db, idx, t, optional, json);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
