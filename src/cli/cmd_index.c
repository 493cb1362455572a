/*
 * cli/cmd_index.c - `skillhub index build|info`: the compiled index
 * "<db>.idx" (docs/index-format.md).  Other commands rebuild a missing or
 * stale index on their own; `index build` forces a rebuild and `index info`
 * says whether the index matches the database.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void help(void)
{
	puts("usage: skillhub index build\n"
	     "       skillhub index info\n"
	     "\n"
	     "build   compile the database into <db>.idx now (commands that read the\n"
	     "        taxonomy do this on their own when the index is missing or stale)\n"
	     "info    path, size, generation, concepts and languages of the index, and\n"
	     "        whether it is up to date with the database");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_summary(const sh_index *idx, const char *path)
{
	struct stat st;
	const char *const *langs;
	size_t nlangs = sh_index_languages(idx, &langs);
	printf("index        %s\n", path);
	if (stat(path, &st) == 0)
		printf("size         %lld bytes\n", (long long)st.st_size);
	printf("generation   %lld\n", (long long)sh_index_generation(idx));
	printf("concepts     %zu\n", sh_index_concept_count(idx));
	printf("languages   ");
	for (size_t i = 0; i < nlangs; i++)
		printf(" %s", langs[i]);
	putchar('\n');
}

static int build(sh_db *db, const char *path)
{
	double t0 = now();
	if (sh_index_build(db, path))
		return cli_lib_fail();
	double t1 = now();
	sh_index *idx;
	if (sh_index_open(&idx, path))
		return cli_lib_fail();
	print_summary(idx, path);
	printf("built in     %.3f s\n", t1 - t0);
	sh_index_close(idx);
	return SH_EXIT_OK;
}

static int info(sh_db *db, const char *path)
{
	int64_t generation;
	if (sh_db_generation(db, &generation))
		return cli_lib_fail();
	sh_index *idx;
	if (sh_index_open(&idx, path)) {
		printf("index        %s\nstate        not usable (%s); 'skillhub index build' rebuilds it\n",
		       path, sh_errmsg());
		return SH_EXIT_OK;
	}
	print_summary(idx, path);
	if (sh_index_generation(idx) == generation)
		printf("state        up to date\n");
	else
		printf("state        stale (database generation %lld); rebuilt on next use\n", (long long)generation);
	sh_index_close(idx);
	return SH_EXIT_OK;
}

int cmd_index(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': help(); return SH_EXIT_OK;
		default:  return cli_usage_error("index", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_usage_error("index", "missing the action: build or info");
	const char *action = argv[optind];
	if (strcmp(action, "build") != 0 && strcmp(action, "info") != 0)
		return cli_usage_error("index", "unknown action '%s' (expected build or info)", action);
	if (optind + 1 < argc)
		return cli_usage_error("index", "unexpected argument '%s'", argv[optind + 1]);
	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_READONLY, &db);
	if (rc)
		return rc;
	char *path = sh_index_path_for_db(sh_db_path(db));
	if (!path)
		rc = cli_lib_fail();
	else
		rc = strcmp(action, "build") == 0 ? build(db, path) : info(db, path);
	free(path);
	sh_db_close(db);
	return rc;
}
