/*
 * cli/cmd_gap.c - `skillhub gap PROFILE-OPTIONS --target URI [--json]`.
 *
 * Builds a skill profile from the given sources (they add up), compares it
 * with the target occupation's essential and optional skills and prints the
 * readiness with its explanation: every skill's weight, the credit the
 * profile gives it and how (exact, through a narrower skill, through an
 * essential skill relation) and its share of the readiness.
 */
#include "cli/pathways_cli.h"

#include <stdlib.h>

static void help(void)
{
	puts("usage: skillhub gap PROFILE --target URI [--lang L] [--json]\n"
	     "\n"
	     "What a skill profile lacks for an occupation: the essential and optional skills\n"
	     "weighted by specificity, partial credit through the skill hierarchy, and a\n"
	     "readiness score in [0, 1] (docs/pathways.md).\n"
	     "\n"
	     PW_PROFILE_HELP
	     "  --target URI            the occupation aimed at (URI, UUID or code)\n"
	     "  --json                  one JSON object");
}

int cmd_gap(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		PW_PROFILE_OPTIONS,
		{ "target", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	pw_args a;
	pw_args_init(&a);
	const char *target = NULL;
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int handled = pw_args_option(&a, "gap", c, optarg);
		if (handled < 0)
			return SH_EXIT_USAGE;
		if (handled)
			continue;
		switch (c) {
		case 't': target = optarg; break;
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("gap", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("gap", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("gap", "unexpected argument '%s'", argv[optind]);
	if (!target)
		return cli_usage_error("gap", "missing --target URI");
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	sh_cid t;
	sh_profile *p = NULL;
	sh_pathways *pw = NULL;
	sh_gap *g = NULL;
	sh_gap_opts gopts = { NULL, 0 };
	if ((rc = cli_check_lang("gap", idx, a.lang)))
		;
	else if (sh_index_lookup(idx, target, &t) || sh_concept_kind(idx, t) != SH_KIND_OCCUPATION)
		rc = cli_fail("--target: no occupation '%s' in the taxonomy", target);
	else if ((rc = pw_profile_build(&a, "gap", idx, &p)) || (rc = pw_demand_load(&a, db, idx, &gopts)))
		;
	else if (sh_pathways_new(&pw, idx) || sh_gap_compute(pw, p, t, &gopts, &g))
		rc = cli_lib_fail();
	else if (json)
		rc = pw_print_json(sh_gap_to_json(idx, g, a.lang));
	else {
		pw_print_gap(idx, g, a.lang);
		puts("\nThis service uses the ESCO classification of the European Commission.");
	}
	sh_gap_free(g);
	free((float *)gopts.demand);
	sh_pathways_free(pw);
	sh_profile_free(p);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
