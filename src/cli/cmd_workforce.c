/*
 * cli/cmd_workforce.c - `skillhub workforce FILE.json [--courses FILE] [constraints] [--json]`.
 *
 * FILE holds the current headcounts and the target mix:
 *   {"current": [{"occupation": URI, "people": N}, ...], "target": [...]}
 * sh_workforce_plan() moves the surplus into the open places, cheapest
 * retraining first; with candidate courses (the --courses file and the
 * catalogue's approved courses) every move gets its course plan.
 */
#include "cli/pathways_cli.h"
#include "core/error.h"
#include "core/fileio.h"

#include <stdlib.h>
#include <string.h>

static void help(void)
{
	puts("usage: skillhub workforce FILE.json [--courses FILE] [CONSTRAINTS] [--lang L] [--json]\n"
	     "\n"
	     "Reskilling need of a workforce: FILE.json gives the headcount per occupation now\n"
	     "and in the target mix ({\"current\": [{\"occupation\": URI, \"people\": N}], \"target\": [...]}).\n"
	     "People in shrinking occupations are moved to growing ones, cheapest retraining\n"
	     "first; prints people x skills x hours per move and in total, and with candidate\n"
	     "courses a course plan per move (docs/pathways.md).\n"
	     "\n"
	     PW_COURSE_HELP
	     "  --lang L                labels in language L (default en)\n"
	     "  --json                  one JSON object");
}

static int load_mix(const sh_index *idx, const char *file, sh_headcount **cur, size_t *ncur, sh_headcount **tgt,
                    size_t *ntgt)
{
	char *text;
	size_t len;
	int rc = sh_read_file(file, &text, &len);
	if (rc)
		return rc;
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	free(text);
	if (!root)
		return sh_error(SH_EFORMAT, "%s:%d: %s", file, err.line, err.text);
	if (!(rc = sh_headcounts_from_json(idx, root, "current", file, cur, ncur)))
		rc = sh_headcounts_from_json(idx, root, "target", file, tgt, ntgt);
	json_decref(root);
	return rc;
}

static int print(const sh_index *idx, const sh_workforce *w, const sh_course_list *c, const char *lang, int json)
{
	if (json) {
		return pw_print_json(sh_workforce_to_json(idx, w, c, lang));
	}
	printf("staying %zu, retrained %zu, surplus %zu, places to hire for %zu\n", w->staying, w->moved, w->surplus,
	       w->unfilled);
	printf("reskilling need: %.0f person-skills, %.0f hours\n", w->person_skills, w->hours);
	for (size_t i = 0; i < w->nmoves; i++) {
		const sh_workforce_move *m = &w->moves[i];
		printf("\n%zu x %s -> %s: %zu skill%s, %.1f h per person\n", m->people, sh_concept_label(idx, m->from, lang),
		       sh_concept_label(idx, m->to, lang), m->skills, m->skills == 1 ? "" : "s", m->hours);
		if (m->plan)
			pw_print_plan(idx, m->plan, c, lang);
	}
	puts("\nThis service uses the ESCO classification of the European Commission.");
	return SH_EXIT_OK;
}

static int run(const pw_args *a, sh_db *db, const sh_index *idx, const char *file, int json)
{
	sh_headcount *cur = NULL, *tgt = NULL;
	size_t ncur = 0, ntgt = 0;
	sh_pathways *pw = NULL;
	sh_workforce *w = NULL;
	sh_course_list courses = { 0 };
	int rc = SH_EXIT_OK;
	if (load_mix(idx, file, &cur, &ncur, &tgt, &ntgt) || pw_courses_load(a, db, idx, &courses) ||
	    sh_pathways_new(&pw, idx))
		rc = cli_lib_fail();
	else {
		sh_workforce_opts o = { courses.n ? courses.v : NULL, courses.n, &a->plan };
		if (sh_workforce_plan(pw, cur, ncur, tgt, ntgt, &o, &w))
			rc = cli_lib_fail();
		else
			rc = print(idx, w, &courses, a->lang, json);
	}
	sh_workforce_free(w);
	sh_pathways_free(pw);
	sh_course_list_free(&courses);
	free(cur);
	free(tgt);
	return rc;
}

int cmd_workforce(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		PW_COURSE_OPTIONS,
		{ "lang", required_argument, NULL, PW_OPT_LANG },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	pw_args a;
	pw_args_init(&a);
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int handled = pw_args_option(&a, "workforce", c, optarg);
		if (handled < 0)
			return SH_EXIT_USAGE;
		if (handled)
			continue;
		switch (c) {
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("workforce", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("workforce", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("workforce", "missing the headcount file FILE.json");
	if (optind + 1 < argc)
		return cli_usage_error("workforce", "unexpected argument '%s'", argv[optind + 1]);
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	if (!(rc = cli_check_lang("workforce", idx, a.lang)))
		rc = run(&a, db, idx, argv[optind], json);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
