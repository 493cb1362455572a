/*
 * cli/cmd_search.c - `skillhub search [options] TEXT...`: ranked label search
 * (sh_search; scoring in docs/search.md).  The words of TEXT are joined by
 * spaces, so quoting is optional.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
	puts("usage: skillhub search [--type T] [--lang L] [--limit N] [--offset N] [--json] TEXT...\n"
	     "\n"
	     "Ranked search over the preferred, alternative and hidden labels of the\n"
	     "taxonomy, tolerant of case, accents, word order, inflection and small typos.\n"
	     "\n"
	     "  --type T     skill, occupation, skill_group, isco_group or any; several\n"
	     "               separated by commas (default: skill,occupation)\n"
	     "  --lang L     search labels of language L (default en)\n"
	     "  --limit N    at most N results (default 10)\n"
	     "  --offset N   skip the first N results (paging)\n"
	     "  --json       a JSON array of {uri, type, label, matched_label, score}");
}

/* "skill,occupation" or "any" -> SH_KIND_BIT mask; 0 when a name is unknown. */
static unsigned parse_kinds(const char *arg)
{
	if (strcmp(arg, "any") == 0)
		return SH_KIND_BIT(SH_KIND_SKILL) | SH_KIND_BIT(SH_KIND_SKILL_GROUP) |
		       SH_KIND_BIT(SH_KIND_OCCUPATION) | SH_KIND_BIT(SH_KIND_ISCO_GROUP);
	unsigned mask = 0;
	char name[32];
	for (const char *p = arg; *p;) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof name)
			return 0;
		memcpy(name, p, n);
		name[n] = '\0';
		sh_kind k = sh_kind_from_name(name);
		if (!k || k == SH_KIND_SCHEME)
			return 0;
		mask |= SH_KIND_BIT(k);
		p += n + (p[n] == ',');
	}
	return mask;
}

static int print_hits(const sh_index *idx, const sh_search_hit *hits, size_t n, const char *lang, int json)
{
	if (!json) {
		for (size_t i = 0; i < n; i++) {
			const char *label = sh_concept_label(idx, hits[i].concept, lang);
			printf("%.3f  %-11s %s", hits[i].score, sh_kind_name(sh_concept_kind(idx, hits[i].concept)),
			       label);
			if (strcmp(label, hits[i].matched_label) != 0)
				printf("  [%s]", hits[i].matched_label);
			printf("  %s\n", sh_concept_uri(idx, hits[i].concept));
		}
		return SH_EXIT_OK;
	}
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:f}",
			"uri", sh_concept_uri(idx, hits[i].concept),
			"type", sh_kind_name(sh_concept_kind(idx, hits[i].concept)),
			"label", sh_concept_label(idx, hits[i].concept, lang),
			"matched_label", hits[i].matched_label,
			"score", (double)hits[i].score));
	if (!a || json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))) {
		json_decref(a);
		return cli_fail("out of memory");
	}
	putchar('\n');
	json_decref(a);
	return SH_EXIT_OK;
}

int cmd_search(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "lang", required_argument, NULL, 'l' },
		{ "limit", required_argument, NULL, 'n' },
		{ "offset", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_search_opts so = { 0, "en", 0 };
	size_t limit = 10;
	int json = 0, c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!(so.kinds = parse_kinds(optarg)))
				return cli_usage_error("search", "--type expects skill, occupation, skill_group, "
				                       "isco_group or any, got '%s'", optarg);
			break;
		case 'l': so.lang = optarg; break;
		case 'n':
			if ((rc = cli_parse_size("search", "--limit", optarg, &limit)))
				return rc;
			break;
		case 'o':
			if ((rc = cli_parse_size("search", "--offset", optarg, &so.offset)))
				return rc;
			break;
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("search", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("search", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("search", "missing the text to search for");
	char *text = NULL;
	size_t tlen = 0;
	for (int i = optind; i < argc; i++)
		tlen += strlen(argv[i]) + 1;
	if (!(text = malloc(tlen)))
		return cli_fail("out of memory");
	text[0] = '\0';
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	sh_db *db;
	sh_index *idx;
	if ((rc = cli_open_index(cli, &db, &idx))) {
		free(text);
		return rc;
	}
	if (limit > sh_index_concept_count(idx))
		limit = sh_index_concept_count(idx);
	sh_search_hit *hits = malloc((limit ? limit : 1) * sizeof *hits);
	size_t n = 0;
	if ((rc = cli_check_lang("search", idx, so.lang)))
		;
	else if (!hits)
		rc = cli_fail("out of memory");
	else if (sh_search(idx, text, &so, hits, limit, &n))
		rc = cli_lib_fail();
	else
		rc = print_hits(idx, hits, n, so.lang, json);
	free(hits);
	free(text);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
