/*
 * cli/cmd_ads.c - `skillhub ads SUBCOMMAND`: job-ad ingestion (ingest,
 * reprocess, stats, here) and intelligence (aggregate, merge, cmd_ads_agg.c).
 *
 * The subcommands share the database and the compiled index; the work is
 * done by the pipeline of src/ads (ads/ingest.h, docs/ads.md).  This file
 * parses options, opens what is needed and prints the summary.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ads/ingest.h"
#include "cli/cli.h"
#include "cli/cmd_ads.h"
#include "cli/jsonl.h"

static void help(void)
{
	puts("usage: skillhub ads SUBCOMMAND [OPTION...]\n"
	     "\n"
	     "  ingest [--source NAME] [--map F=PATH,...] [--map-file FILE] [--jobs N]\n"
	     "         [--batch N] [--limit N] [--dedup-window N] FILE...\n"
	     "      store job ads (JSON lines or CSV, plain, gzip or zstd), clean them, detect\n"
	     "      their language, extract skills and occupations, mark duplicates\n"
	     "  reprocess [--all] [--jobs N] [--batch N]\n"
	     "      re-run cleaning, language detection and extraction over stored ads\n"
	     "  stats [--json]\n"
	     "      counts of ads, duplicates, errors, languages, sources\n"
	     "  aggregate, merge\n"
	     "      skills-demand aggregates (see 'skillhub ads aggregate --help')\n"
	     "\n"
	     "Run 'skillhub ads SUBCOMMAND --help' for the options of each.");
}

static void ingest_help(void)
{
	puts("usage: skillhub ads ingest [OPTION...] FILE...\n"
	     "\n"
	     "Reads job ads from each FILE: JSON lines (schema.org JobPosting or flat objects)\n"
	     "or CSV with a header; plain, gzip or zstd compressed (detected from the content).\n"
	     "Each ad is stored with its raw record, its HTML cleaned, its language detected,\n"
	     "its skills and occupation extracted (when the index has labels in its language)\n"
	     "and duplicates of earlier ads marked.  Malformed records are reported as\n"
	     "FILE:LINE: reason, stored in ad_error and skipped.  Ingesting a file again adds\n"
	     "nothing; an interrupted run resumes where its last batch was committed.\n"
	     "\n"
	     "  --source NAME     source of the ads (default: the file name without extensions)\n"
	     "  --map F=PATH,...  take field F from PATH (dots walk into objects); fields: title\n"
	     "                    text date country region employer sector contract salary url\n"
	     "                    source_id (default mapping: docs/ads.md)\n"
	     "  --map-file FILE   the same, one F=PATH a line ('#' comments)\n"
	     "  --jobs N          worker threads (default: the number of cores)\n"
	     "  --batch N         records per transaction (default 1000)\n"
	     "  --limit N         stop after N records (the rest is read by the next run)\n"
	     "  --dedup-window N  compare each ad with at least the N ads stored before it\n"
	     "                    (default 100000; memory: about 3 KB per window ad)\n"
	     "\n"
	     "Prints a summary: files, records, added, present, duplicates, errors,\n"
	     "unextracted (language without labels), with_skills, lang.XX counts.\n"
	     "\n"
	     "This service uses the ESCO classification of the European Commission.");
}

static void reprocess_help(void)
{
	puts("usage: skillhub ads reprocess [--all] [--jobs N] [--batch N]\n"
	     "\n"
	     "Re-runs field mapping, HTML cleaning, language detection and skill and occupation\n"
	     "extraction over the stored raw records of the ads processed with an older taxonomy\n"
	     "generation (all ads with --all), one transaction per batch.  Duplicate marks are\n"
	     "kept.  Prints the same summary as ingest (added = ads reprocessed).\n"
	     "\n"
	     "  --all        every ad\n"
	     "  --jobs N     worker threads (default: the number of cores)\n"
	     "  --batch N    ads per transaction (default 1000)");
}

static void stats_help(void)
{
	puts("usage: skillhub ads stats [--json]\n"
	     "\n"
	     "Counts of stored ads: ads, duplicates, errors (malformed records), ads with\n"
	     "skills and with an occupation, files (and incomplete ones), ads by language and\n"
	     "by source.");
}

static void print_counts(const sh_ads_counts *c, int reprocess)
{
	if (!reprocess)
		printf("files: %llu\nfiles_skipped: %llu\n", (unsigned long long)c->files,
		       (unsigned long long)c->files_skipped);
	printf("records: %llu\n%s: %llu\n", (unsigned long long)c->records, reprocess ? "reprocessed" : "added",
	       (unsigned long long)c->added);
	if (!reprocess)
		printf("present: %llu\nduplicates: %llu\n", (unsigned long long)c->present,
		       (unsigned long long)c->duplicates);
	printf("errors: %llu\nunextracted: %llu\nwith_skills: %llu\n", (unsigned long long)c->errors,
	       (unsigned long long)c->unextracted, (unsigned long long)c->with_skills);
	for (size_t i = 0; i < c->nlang; i++)
		printf("lang.%s: %llu\n", c->langs[i].lang, (unsigned long long)c->langs[i].n);
}

typedef struct run_args {
	const char    *cmd;
	sh_ads_opts    opts;
	sh_ad_mapping *mapping;
} run_args;

/*
 * Parses an option shared by ingest and reprocess: -1 = parsed, go on; -2 = not one of
 * them; else the exit status of a usage error.
 */
static int parse_common(int c, run_args *a)
{
	int rc;
	switch (c) {
	case 'j':
		if ((rc = cli_parse_size(a->cmd, "--jobs", optarg, &a->opts.jobs)))
			return rc;
		if (a->opts.jobs == 0 || a->opts.jobs > 256)
			return cli_usage_error(a->cmd, "--jobs expects 1 to 256, got '%s'", optarg);
		return -1;
	case 'b':
		if ((rc = cli_parse_size(a->cmd, "--batch", optarg, &a->opts.batch)))
			return rc;
		if (a->opts.batch == 0 || a->opts.batch > 1000000)
			return cli_usage_error(a->cmd, "--batch expects 1 to 1000000, got '%s'", optarg);
		return -1;
	default:
		return -2;
	}
}

static int open_mapping(run_args *a)
{
	if (!a->mapping && sh_ad_mapping_new(&a->mapping))
		return cli_lib_fail();
	return SH_EXIT_OK;
}

static int run(sh_cli *cli, run_args *a, char **files, size_t nfiles)
{
	sh_db *db;
	sh_index *idx = NULL;
	int rc = cli_open_db(cli, 0, &db);
	if (rc)
		return rc;
	if (sh_index_open_fresh(&idx, db)) {
		rc = cli_lib_fail();
		sh_db_close(db);
		return rc;
	}
	a->opts.mapping = a->mapping;
	a->opts.progress = isatty(STDERR_FILENO);
	sh_ads_counts counts;
	int reprocess = files == NULL;
	int lib = reprocess ? sh_ads_reprocess(db, idx, &a->opts, &counts)
	                    : sh_ads_ingest(db, idx, &a->opts, files, nfiles, &counts);
	rc = lib ? cli_lib_fail() : SH_EXIT_OK;
	if (!lib)
		print_counts(&counts, reprocess);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}

static int ads_ingest(sh_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "map", required_argument, NULL, 'm' },
		{ "map-file", required_argument, NULL, 'M' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "batch", required_argument, NULL, 'b' },
		{ "limit", required_argument, NULL, 'n' },
		{ "dedup-window", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	run_args a = { "ads ingest", { .jobs = cli_default_jobs(), .batch = 1000, .window = SH_ADS_DEFAULT_WINDOW }, NULL };
	int c, rc = -1;
	size_t n;
	optind = 1;
	while (rc == -1 && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!*optarg)
				rc = cli_usage_error(a.cmd, "--source expects a name");
			a.opts.source = optarg;
			break;
		case 'm':
			if ((rc = open_mapping(&a)) == SH_EXIT_OK)
				rc = sh_ad_mapping_set(a.mapping, optarg, "--map") ? cli_usage_error(a.cmd, "%s", sh_errmsg()) : -1;
			break;
		case 'M':
			if ((rc = open_mapping(&a)) == SH_EXIT_OK)
				rc = sh_ad_mapping_read_file(a.mapping, optarg) ? cli_usage_error(a.cmd, "--map-file: %s", sh_errmsg()) : -1;
			break;
		case 'n':
			if ((rc = cli_parse_size(a.cmd, "--limit", optarg, &n)) == SH_EXIT_OK)
				rc = n ? -1 : cli_usage_error(a.cmd, "--limit expects a positive number, got '%s'", optarg);
			a.opts.limit = n;
			break;
		case 'w':
			if ((rc = cli_parse_size(a.cmd, "--dedup-window", optarg, &n)) == SH_EXIT_OK)
				rc = n ? -1 : cli_usage_error(a.cmd, "--dedup-window expects a positive number, got '%s'", optarg);
			a.opts.window = n;
			break;
		case 'h': ingest_help(); rc = SH_EXIT_OK; break;
		case ':': rc = cli_usage_error(a.cmd, "option '%s' needs a value", argv[optind - 1]); break;
		default:
			rc = parse_common(c, &a);
			if (rc == -2)
				rc = cli_usage_error(a.cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (rc == -1 && optind == argc)
		rc = cli_usage_error(a.cmd, "no input file");
	if (rc == -1)
		rc = run(cli, &a, argv + optind, (size_t)(argc - optind));
	sh_ad_mapping_free(a.mapping);
	return rc;
}

static int ads_reprocess(sh_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	run_args a = { "ads reprocess", { .jobs = cli_default_jobs(), .batch = 1000, .window = SH_ADS_DEFAULT_WINDOW }, NULL };
	int c, rc = -1;
	optind = 1;
	while (rc == -1 && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': a.opts.all = 1; break;
		case 'h': reprocess_help(); rc = SH_EXIT_OK; break;
		case ':': rc = cli_usage_error(a.cmd, "option '%s' needs a value", argv[optind - 1]); break;
		default:
			rc = parse_common(c, &a);
			if (rc == -2)
				rc = cli_usage_error(a.cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (rc == -1 && optind != argc)
		rc = cli_usage_error(a.cmd, "unexpected argument '%s'", argv[optind]);
	return rc == -1 ? run(cli, &a, NULL, 0) : rc;
}

static int ads_stats(sh_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, json = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = 1; break;
		case 'h': stats_help(); return SH_EXIT_OK;
		default:  return cli_usage_error("ads stats", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error("ads stats", "unexpected argument '%s'", argv[optind]);
	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_READONLY, &db);
	if (rc)
		return rc;
	sh_buf out = SH_BUF_INIT;
	if (sh_ads_stats(db, json, &out))
		rc = cli_lib_fail();
	else
		printf("%s%s", out.data, json ? "\n" : "");
	sh_buf_free(&out);
	sh_db_close(db);
	return rc;
}

int cmd_ads(sh_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(sh_cli *cli, int argc, char **argv);
	} subs[] = {
		{ "ingest", ads_ingest },
		{ "reprocess", ads_reprocess },
		{ "stats", ads_stats },
		{ "aggregate", cmd_ads_aggregate },
		{ "merge", cmd_ads_merge },
	};
	if (argc < 2)
		return cli_usage_error("ads", "missing subcommand (ingest, reprocess, stats, aggregate, merge)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help();
		return SH_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(cli, argc - 1, argv + 1);
	return cli_usage_error("ads", "unknown subcommand '%s' (ingest, reprocess, stats, aggregate, merge)", argv[1]);
}
