/*
 * cli/cmd_diff.c - `skillhub diff [--run N] [--json]`: what an import run
 * added, removed and changed.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static void help(void)
{
	puts("usage: skillhub diff [--run N] [--json]\n"
	     "\n"
	     "Lists the concepts that the latest import run (or run N) added, removed\n"
	     "(became obsolete) and changed, with the fields that changed.\n"
	     "\n"
	     "  --run N   the import run (taxonomy id, printed by 'skillhub import')\n"
	     "  --json    one JSON object instead of text");
}

/* "a,b,c" -> ["a","b","c"] */
static json_t *split_fields(const char *detail)
{
	json_t *a = json_array();
	while (a && *detail) {
		size_t n = strcspn(detail, ",");
		json_array_append_new(a, json_stringn(detail, n));
		detail += n + (detail[n] == ',');
	}
	return a;
}

static int print_json(const sh_taxonomy_diff *d)
{
	json_t *changes = json_array();
	for (size_t i = 0; changes && i < d->nchanges; i++) {
		const sh_concept_change *c = &d->changes[i];
		json_array_append_new(changes, json_pack("{s:s,s:s,s:s,s:s,s:o}",
			"change", c->change, "kind", c->kind, "uri", c->uri, "label", c->label,
			"fields", split_fields(c->detail)));
	}
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:o}",
		"run", (json_int_t)d->run, "name", d->name, "version", d->version,
		"imported_at", d->imported_at, "sources", d->sources,
		"added", (json_int_t)d->added, "changed", (json_int_t)d->changed,
		"removed", (json_int_t)d->removed, "changes", changes);
	if (!o)
		return cli_fail("out of memory");
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
	return SH_EXIT_OK;
}

static void print_text(const sh_taxonomy_diff *d)
{
	printf("import run %lld: %s %s at %s: %lld added, %lld changed, %lld removed\n",
	       (long long)d->run, d->name, d->version, d->imported_at,
	       (long long)d->added, (long long)d->changed, (long long)d->removed);
	for (size_t i = 0; i < d->nchanges; i++) {
		const sh_concept_change *c = &d->changes[i];
		printf("%-8s %-11s %s  %s", c->change, c->kind, c->uri, c->label);
		if (*c->detail)
			printf("  [%s]", c->detail);
		putchar('\n');
	}
}

int cmd_diff(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "run",  required_argument, NULL, 'r' },
		{ "json", no_argument,       NULL, 'j' },
		{ "help", no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, c;
	size_t run = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (cli_parse_size("diff", "--run", optarg, &run))
				return SH_EXIT_USAGE;
			if (run == 0)
				return cli_usage_error("diff", "--run expects a run number >= 1, got '%s'", optarg);
			break;
		case 'j': json = 1; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("diff", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("diff", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("diff", "unexpected argument '%s'", argv[optind]);
	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_READONLY, &db);
	if (rc)
		return rc;
	sh_taxonomy_diff d;
	if (sh_taxonomy_diff_get(db, (int64_t)run, &d)) {
		rc = cli_lib_fail();
	} else {
		rc = json ? print_json(&d) : (print_text(&d), SH_EXIT_OK);
		sh_taxonomy_diff_free(&d);
	}
	sh_db_close(db);
	return rc;
}
