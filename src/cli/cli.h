/*
 * cli/cli.h - what every `skillhub` command shares.
 *
 * A command is a function `int cmd_NAME(sh_cli *cli, int argc, char **argv)`
 * whose argv[0] is the command name; it returns the process exit status:
 * 0 success, 1 failure (the error was printed), 2 usage error (bad argument,
 * named in the message).  Commands parse their options with getopt_long and
 * print --help to stdout.
 */
#ifndef SH_CLI_CLI_H
#define SH_CLI_CLI_H

#include <stdio.h>

#include "skillhub/skillhub.h"

enum { SH_EXIT_OK = 0, SH_EXIT_FAIL = 1, SH_EXIT_USAGE = 2 };

typedef struct sh_cli {
	const char *db_path; /* --db, else $SKILLHUB_DB, else ./skillhub.db */
} sh_cli;

typedef struct sh_command {
	const char *name;
	int       (*run)(sh_cli *cli, int argc, char **argv);
	const char *summary; /* one line for `skillhub --help` */
} sh_command;

/* "skillhub: <message>\n" on stderr; returns SH_EXIT_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "skillhub CMD: <message>" plus a hint to use --help; returns SH_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports the library's last error (sh_errmsg) and returns SH_EXIT_FAIL. */
int cli_lib_fail(void);

/* Opens the database; on failure prints the error and returns non-zero. */
int cli_open_db(const sh_cli *cli, unsigned flags, sh_db **out);
/* Opens the database read-only and its index (rebuilding a stale index first). */
int cli_open_index(const sh_cli *cli, sh_db **db, sh_index **idx);

/* Usage error naming --lang unless the index has labels in lang. */
int cli_check_lang(const char *cmd, const sh_index *idx, const char *lang);

/* Parses a non-negative integer argument; reports a usage error naming opt. */
int cli_parse_size(const char *cmd, const char *opt, const char *arg, size_t *out);

/* One line per command, in the order `skillhub --help` lists them. */
#define CLI_COMMANDS(X) \
	X(import,  "import an official ESCO CSV package (one or more directories)") \
	X(diff,    "what the latest (or a given) import added, removed and changed") \
	X(stats,   "counts of concepts, relations, labels and languages") \
	X(show,    "one concept: labels, description, relations") \
	X(search,  "ranked search over skill and occupation labels") \
	X(extract, "skills and occupations in texts (JSON lines or plain lines), ranked, with spans") \
	X(titles,  "job titles -> ranked ESCO occupations (JSON lines or plain lines)") \
	X(index,   "build or inspect the compiled index (<db>.idx)") \
	X(serve,   "HTTP server: JSON API and web pages") \
	X(courses, "training catalogue: import, export, ELM feed, skills, quality check, review, search") \
	X(providers, "training providers of the catalogue: list, show, add") \
	X(accounts, "accounts of the web application (roles, passwords) and their API tokens") \
	X(ads,     "job ads: ingest, reprocess, stats, aggregate, merge") \
	X(report,  "reports from job ads: demand, trends, occupation, co-occurrence, supply vs courses (HTML, CSV, JSON)") \
	X(gap,     "skill gap of a profile for an occupation: weighted missing skills, readiness") \
	X(plan,    "cheapest course plan closing a skill gap (set cover with prerequisites)") \
	X(transitions, "occupations to move to, ranked by transferable skills, with their gaps") \
	X(workforce, "reskilling need of a workforce for a target occupation mix: people x skills x hours")

#define CLI_DECLARE(name, summary) int cmd_##name(sh_cli *cli, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

#endif
