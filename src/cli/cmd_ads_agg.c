/*
 * cli/cmd_ads_agg.c - `skillhub ads aggregate` and `skillhub ads merge`:
 * building .agg aggregates from the database's ads and merging them
 * (docs/intelligence.md).  cmd_ads.c dispatches here.
 */
#include "cli/cmd_ads.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/intel.h"

static void aggregate_help(void)
{
	puts("usage: skillhub ads aggregate [--out FILE] [--from YYYY-MM] [--to YYYY-MM]\n"
	     "                              [--country CC] [--source NAME]\n"
	     "\n"
	     "Counts the database's counted ads (duplicates excluded) and the ads asking\n"
	     "for each skill, by month, country, region, occupation and sector, plus\n"
	     "skill pairs per month, into an aggregate (docs/intelligence.md).\n"
	     "Aggregates of disjoint sets of ads merge exactly (skillhub ads merge).\n"
	     "\n"
	     "  --out FILE      write the .agg file (default: its canonical text on stdout)\n"
	     "  --from, --to    only ads posted in these months (inclusive)\n"
	     "  --country CC    only ads of this country\n"
	     "  --source NAME   only ads of this source");
}

static void merge_help(void)
{
	puts("usage: skillhub ads merge FILE.agg... --out FILE.agg\n"
	     "\n"
	     "Adds up aggregates of disjoint sets of ads: the result is the aggregate of\n"
	     "their union.  Every input is checked (version, size, checksum) first.\n"
	     "\n"
	     "  --out FILE   the merged aggregate (required)");
}

/* Writes agg to path, or its canonical text to stdout when path is NULL. */
static int emit(const sh_agg *agg, const char *path)
{
	if (path)
		return sh_agg_write(agg, path) ? cli_lib_fail() : SH_EXIT_OK;
	char *text;
	size_t len;
	if (sh_agg_to_text(agg, &text, &len))
		return cli_lib_fail();
	int rc = fwrite(text, 1, len, stdout) == len ? SH_EXIT_OK : cli_fail("writing stdout failed");
	free(text);
	return rc;
}

static int check_month(const char *opt, const char *arg)
{
	size_t n = strlen(arg);
	int ok = n == 7 && arg[4] == '-';
	for (size_t i = 0; ok && i < n; i++)
		ok = i == 4 || (arg[i] >= '0' && arg[i] <= '9');
	return ok ? SH_EXIT_OK : cli_usage_error("ads aggregate", "%s expects YYYY-MM, got '%s'", opt, arg);
}

int cmd_ads_aggregate(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out",     required_argument, NULL, 'o' },
		{ "from",    required_argument, NULL, 'f' },
		{ "to",      required_argument, NULL, 't' },
		{ "country", required_argument, NULL, 'c' },
		{ "source",  required_argument, NULL, 's' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_agg_select sel = { 0 };
	const char *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f': if (check_month("--from", optarg)) return SH_EXIT_USAGE;
		          sel.period_from = optarg; break;
		case 't': if (check_month("--to", optarg)) return SH_EXIT_USAGE;
		          sel.period_to = optarg; break;
		case 'c': sel.country = optarg; break;
		case 's': sel.source = optarg; break;
		case 'h': aggregate_help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("ads aggregate", "%s needs an argument", argv[optind - 1]);
		default:  return cli_usage_error("ads aggregate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("ads aggregate", "unexpected argument '%s'", argv[optind]);
	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_READONLY, &db);
	if (rc)
		return rc;
	sh_agg *agg;
	rc = sh_agg_from_db(&agg, db, &sel) ? cli_lib_fail() : SH_EXIT_OK;
	sh_db_close(db);
	if (rc)
		return rc;
	rc = emit(agg, out);
	if (!rc && out)
		fprintf(stderr, "%s: %lld ads\n", out, (long long)sh_agg_total_ads(agg));
	sh_agg_free(agg);
	return rc;
}

int cmd_ads_merge(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out",  required_argument, NULL, 'o' },
		{ "help", no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	(void)cli;
	const char *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': merge_help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("ads merge", "%s needs an argument", argv[optind - 1]);
		default:  return cli_usage_error("ads merge", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!out)
		return cli_usage_error("ads merge", "--out FILE is required");
	if (optind == argc)
		return cli_usage_error("ads merge", "no aggregate to merge");
	/* The first aggregate read is the accumulator: the others are added to it. */
	sh_agg *all = NULL;
	int rc = SH_EXIT_OK;
	for (int i = optind; !rc && i < argc; i++) {
		sh_agg *part;
		if (sh_agg_read(&part, argv[i]))
			rc = cli_lib_fail();
		else if (!all)
			all = part, part = NULL;
		else if (sh_agg_merge(all, part))
			rc = cli_lib_fail();
		sh_agg_free(part);
	}
	if (!rc)
		rc = emit(all, out);
	if (!rc)
		fprintf(stderr, "%s: %lld ads from %d aggregates\n", out,
		        (long long)sh_agg_total_ads(all), argc - optind);
	sh_agg_free(all);
	return rc;
}
