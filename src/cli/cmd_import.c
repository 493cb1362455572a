/*
 * cli/cmd_import.c - `skillhub import esco [--version V] [--quiet] DIR...`.
 *
 * Creates the database when missing, imports the directories in one
 * transaction (sh_import_esco) and prints a summary on stdout; progress lines
 * go to stderr unless --quiet.  A failed import leaves an existing database
 * exactly as it was, and removes a database file this run created, so that
 * a failed first import leaves nothing behind.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void help(void)
{
	puts("usage: skillhub import esco [--version V] [--quiet] DIR...\n"
	     "\n"
	     "Imports an official ESCO CSV package (v1.0 to v1.2) into the database, all\n"
	     "directories in one transaction: e.g. v1.1.1/en, then v1.0/fr adds French\n"
	     "labels to the same concepts.  A malformed file stops the import with\n"
	     "file:line and leaves the database unchanged.  Importing the same package\n"
	     "again changes nothing; a newer one records what it added, removed and\n"
	     "changed (see 'skillhub diff').\n"
	     "\n"
	     "  --version V  the ESCO version (default: from the path, e.g. .../v1.1.1/en)\n"
	     "  --quiet      no progress lines on stderr\n"
	     "\n"
	     "This service uses the ESCO classification of the European Commission.");
}

static void show_progress(void *ctx, const char *file, size_t rows, int done)
{
	(void)ctx;
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (done)
		fprintf(stderr, "import: %s: %zu rows\n", base, rows);
	else if (rows)
		fprintf(stderr, "import: %s: %zu rows...\n", base, rows);
}

static void print_summary(const sh_import_report *r)
{
	printf("ESCO %s: %lld files, %lld rows read in %.1f s\n", r->version,
	       (long long)r->files, (long long)r->rows, r->seconds);
	if (!r->taxonomy_id) {
		puts("no change: the database already holds this content");
		return;
	}
	printf("concepts: %lld added, %lld changed, %lld removed (import run %lld, see 'skillhub diff')\n",
	       (long long)r->added, (long long)r->changed, (long long)r->removed,
	       (long long)r->taxonomy_id);
	printf("labels written: %lld, relations written: %lld\n",
	       (long long)r->labels, (long long)r->relations);
}

/* Removes the database file and its journal files (a failed first import). */
static void remove_database_files(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char name[4096];
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
		if (snprintf(name, sizeof name, "%s%s", path, suffixes[i]) < (int)sizeof name)
			unlink(name);
}

int cmd_import(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_import_opts io = { .progress = show_progress };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (!*optarg)
				return cli_usage_error("import", "--version expects a version, got ''");
			io.version = optarg;
			break;
		case 'q': io.progress = NULL; break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("import", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("import", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("import", "missing source: 'esco'");
	if (strcmp(argv[optind], "esco") != 0)
		return cli_usage_error("import", "unknown source '%s' (only 'esco' is supported)", argv[optind]);
	optind++;
	if (optind >= argc)
		return cli_usage_error("import", "missing DIR: the directory of an ESCO CSV package");
	int created = access(cli->db_path, F_OK) != 0;
	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_CREATE, &db);
	if (rc)
		return rc;
	sh_import_report rep;
	if (sh_import_esco(db, (const char *const *)argv + optind, (size_t)(argc - optind), &io, &rep)) {
		rc = cli_fail("import failed, database unchanged: %s", sh_errmsg());
	} else {
		print_summary(&rep);
		rc = SH_EXIT_OK;
	}
	sh_db_close(db);
	if (rc && created)
		remove_database_files(cli->db_path);
	return rc;
}
