/*
 * cli/cmd_stats.c - `skillhub stats [--json]`.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static void help(void)
{
	puts("usage: skillhub stats [--json]\n"
	     "\n"
	     "Counts of the taxonomy in the database: skills, occupations, skill groups,\n"
	     "ISCO groups, relations, labels, languages and the imported version.\n"
	     "\n"
	     "  --json   one JSON object (stable keys) instead of text");
}

static int print_json(const sh_taxonomy_stats *s)
{
	json_t *langs = json_array();
	for (size_t i = 0; i < s->nlanguages; i++)
		json_array_append_new(langs, json_string(s->languages[i]));
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:s}",
		"skills", (json_int_t)s->skills,
		"occupations", (json_int_t)s->occupations,
		"skill_groups", (json_int_t)s->skill_groups,
		"isco_groups", (json_int_t)s->isco_groups,
		"concept_schemes", (json_int_t)s->schemes,
		"occupation_skill_relations", (json_int_t)s->occupation_skill_relations,
		"skill_skill_relations", (json_int_t)s->skill_skill_relations,
		"broader_relations", (json_int_t)s->broader_relations,
		"labels", (json_int_t)s->labels,
		"languages", langs,
		"version", s->version);
	if (!o)
		return cli_fail("out of memory");
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
	return SH_EXIT_OK;
}

static void print_text(const sh_taxonomy_stats *s)
{
	printf("version                     %s\n", *s->version ? s->version : "(nothing imported)");
	printf("skills                      %lld\n", (long long)s->skills);
	printf("occupations                 %lld\n", (long long)s->occupations);
	printf("skill groups                %lld\n", (long long)s->skill_groups);
	printf("ISCO groups                 %lld\n", (long long)s->isco_groups);
	printf("concept schemes             %lld\n", (long long)s->schemes);
	printf("occupation-skill relations  %lld\n", (long long)s->occupation_skill_relations);
	printf("skill-skill relations       %lld\n", (long long)s->skill_skill_relations);
	printf("broader relations           %lld\n", (long long)s->broader_relations);
	printf("labels                      %lld\n", (long long)s->labels);
	printf("languages                  ");
	for (size_t i = 0; i < s->nlanguages; i++)
		printf(" %s", s->languages[i]);
	putchar('\n');
}

int cmd_stats(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		default:  return cli_usage_error("stats", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_READONLY, &db);
	if (rc)
		return rc;
	sh_taxonomy_stats s;
	if (sh_taxonomy_stats_get(db, &s)) {
		rc = cli_lib_fail();
	} else {
		rc = json ? print_json(&s) : (print_text(&s), SH_EXIT_OK);
		sh_taxonomy_stats_free(&s);
	}
	sh_db_close(db);
	return rc;
}
