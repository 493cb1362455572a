/*
 * cli/cmd_transitions.c - `skillhub transitions URI [--limit N] [--json]`.
 *
 * The occupations closest to URI by transferable skills (sh_transitions),
 * split into same-sector and cross-sector moves, at most N of each, each
 * with its gap: the readiness of someone holding URI's essential and optional skills and
 * the essential skills still missing.
 */
#include "cli/pathways_cli.h"

#include <stdlib.h>

static void help(void)
{
	puts("usage: skillhub transitions URI [--limit N] [--lang L] [--json]\n"
	     "\n"
	     "Occupations a person in occupation URI can move to, ranked by the share of the\n"
	     "target's skill weight they already have (plus a bonus per shared ISCO digit),\n"
	     "split into same-sector and cross-sector moves, each with its skill gap\n"
	     "(docs/pathways.md).\n"
	     "\n"
	     "  --limit N   at most N moves of each kind (default 10)\n"
	     "  --lang L    labels in language L (default en)\n"
	     "  --json      one JSON object {from, same_sector, cross_sector}");
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
	}
}

static int run(const sh_index *idx, sh_cid from, size_t limit, const char *lang, int json)
{
	sh_pathways *pw = NULL;
	json_t *o = NULL;
	int rc = SH_EXIT_OK;
	if (sh_pathways_new(&pw, idx) || sh_transitions_to_json(pw, idx, from, limit, lang, &o))
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
	return rc;
}

int cmd_transitions(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t limit = 10;
	const char *lang = "en";
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_size("transitions", "--limit", optarg, &limit))
				return SH_EXIT_USAGE;
			break;
		case 'l': lang = optarg; break;
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
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	sh_cid from;
	if ((rc = cli_check_lang("transitions", idx, lang)))
		;
	else if (sh_index_lookup(idx, argv[optind], &from) || sh_concept_kind(idx, from) != SH_KIND_OCCUPATION)
		rc = cli_fail("no occupation '%s' in the taxonomy", argv[optind]);
	else
		rc = run(idx, from, limit, lang, json);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
