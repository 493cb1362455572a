/*
 * cli/cmd_transitions.c - `skillhub transitions URI [--limit N] [--sectors FILE] [--plan [CONSTRAINTS]] [--json]`.
 *
 * The occupations closest to URI by transferable skills (sh_transitions),
 * split into same-sector and cross-sector moves, at most N of each, each
 * with its gap: the readiness of someone holding URI's essential and optional skills and
 * the essential skills still missing.  With --plan, each move also gets the
 * least-cost course plan closing those skills, over the candidate courses and
 * constraints `skillhub plan` takes (pathways_cli.h).  With --sectors FILE,
 * the alliance's sector tags (pathways/sectors.h) also make moves
 * same-sector, and each move lists its tags.
 */
#include "cli/pathways_cli.h"

#include <stdlib.h>

static void help(void)
{
	puts("usage: skillhub transitions URI [--limit N] [--lang L] [--sectors FILE]\n"
	     "                                [--plan [--courses FILE] [CONSTRAINTS]] [--json]\n"
	     "\n"
	     "Occupations a person in occupation URI can move to, ranked by the share of the\n"
	     "target's skill weight they already have (plus a bonus per shared ISCO digit),\n"
	     "split into same-sector and cross-sector moves, each with its skill gap\n"
	     "(docs/pathways.md).\n"
	     "\n"
	     "  --limit N               at most N moves of each kind (default 10)\n"
	     "  --lang L                labels in language L (default en)\n"
	     "  --sectors FILE          the alliance's sector tags (docs/pathways.md): occupations\n"
	     "                          sharing a tag are in the same sector too; moves list their tags\n"
	     "  --plan                  add to each move the cheapest course plan closing its missing\n"
	     "                          essential skills (as `skillhub plan`), over these courses:\n"
	     PW_COURSE_HELP
	     "  --json                  one JSON object {from, same_sector, cross_sector}");
}

/* "sectors: a, b (shared: a)" of a move, when the JSON has sector tags. */
static void print_sectors(const json_t *tags, const json_t *shared)
{
	size_t i;
	json_t *v;
	if (!json_array_size(tags))
		return;
	printf("%27s sectors:", "");
	json_array_foreach(tags, i, v)
		printf("%s %s", i ? "," : "", json_string_value(v));
	if (json_array_size(shared)) {
		printf(" (shared:");
		json_array_foreach(shared, i, v)
			printf("%s %s", i ? "," : "", json_string_value(v));
		putchar(')');
	}
	putchar('\n');
}

/* Prints the moves of one kind from the JSON form. */
static void print_moves(const json_t *moves, const char *title)
{
	size_t i;
	json_t *m;
	printf("%s (%zu):\n  %6s %7s %9s  %s\n", title, json_array_size(moves), "score", "overlap", "readiness",
	       "occupation");
	json_array_foreach(moves, i, m) {
		size_t missing = json_array_size(json_object_get(m, "missing"));
		printf("  %6.3f %6.1f%% %8.1f%%  %s  (%zu essential skill%s missing)\n",
		       json_number_value(json_object_get(m, "score")), 100 * json_number_value(json_object_get(m, "overlap")),
		       100 * json_number_value(json_object_get(m, "readiness")),
		       json_string_value(json_object_get(m, "label")), missing, missing == 1 ? "" : "s");
		print_sectors(json_object_get(m, "sectors"), json_object_get(m, "shared_sectors"));
		const json_t *plan = json_object_get(m, "plan");
		if (plan) {
			size_t ncourses = json_array_size(json_object_get(plan, "steps")),
			       open = json_array_size(json_object_get(plan, "uncoverable")) +
			              json_array_size(json_object_get(plan, "unaffordable"));
			printf("%27s plan: %zu course%s, %.1f hours, cost %.2f%s; %zu skill%s left open\n", "", ncourses,
			       ncourses == 1 ? "" : "s", json_number_value(json_object_get(plan, "hours")),
			       json_number_value(json_object_get(plan, "cost")),
			       json_is_true(json_object_get(plan, "optimal")) ? " (optimal)" : "", open, open == 1 ? "" : "s");
		}
	}
}

static int run(const pw_args *a, sh_db *db, const sh_index *idx, sh_cid from, size_t limit, int plan,
               const char *sectors_file, int json)
{
	const char *lang = a->lang;
	sh_pathways *pw = NULL;
	sh_course_list courses = { 0 };
	sh_sectors *sectors = NULL;
	json_t *o = NULL;
	int rc = SH_EXIT_OK;
	if ((plan && pw_courses_load(a, db, idx, &courses)) ||
	    (sectors_file && sh_sectors_load(&sectors, idx, sectors_file)) || sh_pathways_new(&pw, idx) ||
	    sh_transitions_to_json(pw, idx, from,
	                           &(sh_transitions_json_opts){ limit, plan ? &courses : NULL, &a->plan, sectors, lang },
	                           &o))
		rc = cli_lib_fail();
	else if (json) {
		rc = pw_print_json(o);
		o = NULL;
	} else {
		printf("from %s  %s\n", sh_concept_label(idx, from, lang), sh_concept_uri(idx, from));
		print_moves(json_object_get(o, "same_sector"), "same sector");
		print_moves(json_object_get(o, "cross_sector"), "cross sector");
		puts("\n" SH_ESCO_ATTRIBUTION);
	}
	json_decref(o);
	sh_pathways_free(pw);
	sh_sectors_free(sectors);
	sh_course_list_free(&courses);
	return rc;
}

int cmd_transitions(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		PW_COURSE_OPTIONS,
		{ "limit", required_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'l' },
		{ "plan", no_argument, NULL, 'p' },
		{ "sectors", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t limit = 10;
	const char *sectors_file = NULL;
	pw_args a;
	pw_args_init(&a);
	int json = 0, plan = 0, constrained = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int handled = pw_args_option(&a, "transitions", c, optarg);
		if (handled < 0)
			return SH_EXIT_USAGE;
		if (handled) {
			constrained = 1;
			continue;
		}
		switch (c) {
		case 'n':
			if (cli_parse_size("transitions", "--limit", optarg, &limit))
				return SH_EXIT_USAGE;
			break;
		case 'l': a.lang = optarg; break;
		case 'p': plan = 1; break;
		case 's': sectors_file = optarg; break;
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("transitions", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("transitions", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("transitions", "missing the occupation URI");
	if (optind + 1 < argc)
		return cli_usage_error("transitions", "unexpected argument '%s'", argv[optind + 1]);
	if (constrained && !plan)
		return cli_usage_error("transitions", "course options need --plan");
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	sh_cid from;
	if ((rc = cli_check_lang("transitions", idx, a.lang)))
		;
	else if (sh_index_lookup(idx, argv[optind], &from) || sh_concept_kind(idx, from) != SH_KIND_OCCUPATION)
		rc = cli_fail("no occupation '%s' in the taxonomy", argv[optind]);
	else
		rc = run(&a, db, idx, from, limit, plan, sectors_file, json);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
