/*
 * cli/cmd_show.c - `skillhub show URI-or-id [--lang L] [--json]`.
 *
 * The concept is found by sh_index_lookup (full URI, last URI segment or
 * code).  Text output lists the labels and notes, then every non-empty
 * relation with the related concepts' labels; --json prints sh_concept_json.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
	puts("usage: skillhub show [--lang L] [--json] URI-OR-ID\n"
	     "\n"
	     "Shows one concept of the taxonomy: labels, description and relations (for an\n"
	     "occupation its ISCO group and essential and optional skills; for a skill the\n"
	     "occupations that need it, its broader groups and related skills).\n"
	     "URI-OR-ID is a full ESCO URI, its last segment (UUID or ISCO id such as C2654)\n"
	     "or a code (ISCO code, skill group code, occupation code).\n"
	     "\n"
	     "  --lang L   labels and notes in language L (default en; English when missing)\n"
	     "  --json     the concept as one JSON object (same shape as the HTTP API)");
}

/* The relations listed in text output, in this order. */
static const struct {
	sh_rel      rel;
	const char *title;
} sections[] = {
	{ SH_REL_ISCO_GROUP, "ISCO group" },
	{ SH_REL_BROADER, "broader" },
	{ SH_REL_NARROWER, "narrower" },
	{ SH_REL_ESSENTIAL_SKILL, "essential skills" },
	{ SH_REL_OPTIONAL_SKILL, "optional skills" },
	{ SH_REL_ESSENTIAL_FOR, "essential for occupations" },
	{ SH_REL_OPTIONAL_FOR, "optional for occupations" },
	{ SH_REL_RELATED_ESSENTIAL, "related skills (essential)" },
	{ SH_REL_RELATED_OPTIONAL, "related skills (optional)" },
	{ SH_REL_IN_SCHEME, "schemes and collections" },
};

static void print_string_list(const char *title, json_t *arr)
{
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return;
	printf("%s:\n", title);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		printf("  %s\n", json_string_value(v));
}

static void print_note(const char *title, json_t *v)
{
	if (json_is_string(v))
		printf("%s:\n  %s\n", title, json_string_value(v));
}

static void print_field(const char *title, json_t *v)
{
	if (json_is_string(v))
		printf("%-12s %s\n", title, json_string_value(v));
}

/* Text output: scalar fields and notes from the JSON form, relations from the index. */
static int print_text(const sh_index *idx, sh_cid c, const char *lang, const char *json)
{
	json_t *o = json_loads(json, 0, NULL);
	if (!o)
		return cli_fail("out of memory");
	printf("%s (%s)\n", json_string_value(json_object_get(o, "preferredLabel")),
	       sh_kind_name(sh_concept_kind(idx, c)));
	print_field("uri", json_object_get(o, "uri"));
	print_field("code", json_object_get(o, "code"));
	print_field("skill type", json_object_get(o, "skillType"));
	print_field("reuse level", json_object_get(o, "reuseLevel"));
	print_field("status", json_object_get(o, "status"));
	print_string_list("alternative labels", json_object_get(o, "altLabels"));
	print_string_list("hidden labels", json_object_get(o, "hiddenLabels"));
	print_note("description", json_object_get(o, "description"));
	print_note("definition", json_object_get(o, "definition"));
	print_note("scope note", json_object_get(o, "scopeNote"));
	json_decref(o);
	for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
		const sh_cid *r;
		size_t n = sh_concept_related(idx, c, sections[s].rel, &r);
		if (!n)
			continue;
		printf("%s (%zu):\n", sections[s].title, n);
		for (size_t i = 0; i < n; i++)
			printf("  %-60s %s\n", sh_concept_label(idx, r[i], lang), sh_concept_uri(idx, r[i]));
	}
	puts("\nThis service uses the ESCO classification of the European Commission.");
	return SH_EXIT_OK;
}

int cmd_show(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, c;
	const char *lang = "en";
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': lang = optarg; break;
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("show", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("show", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("show", "missing the concept URI or id");
	if (optind + 1 < argc)
		return cli_usage_error("show", "unexpected argument '%s'", argv[optind + 1]);
	const char *key = argv[optind];
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	sh_cid cid;
	char *out = NULL;
	if ((rc = cli_check_lang("show", idx, lang)))
		;
	else if (sh_index_lookup(idx, key, &cid))
		rc = cli_fail("no concept '%s' in the taxonomy (give a URI, UUID or code)", key);
	else if (sh_concept_json(idx, cid, lang, &out))
		rc = cli_lib_fail();
	else if (json)
		rc = (puts(out), SH_EXIT_OK);
	else
		rc = print_text(idx, cid, lang, out);
	free(out);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
