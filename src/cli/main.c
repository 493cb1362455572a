/*
 * cli/main.c - the `skillhub` program: global options and command dispatch.
 *
 *   skillhub [--db FILE] COMMAND [ARGS...]
 *
 * The command table comes from CLI_COMMANDS in cli.h; each command lives in
 * its own cmd_NAME.c.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static const sh_command commands[] = {
#define CLI_ENTRY(name, summary) { #name, cmd_##name, summary },
	CLI_COMMANDS(CLI_ENTRY)
#undef CLI_ENTRY
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: skillhub [--db FILE] COMMAND [ARGS...]\n"
		"\n"
		"skillhub keeps the ESCO skills and occupations taxonomy in an embedded\n"
		"database and finds skills and occupations in text.\n"
		"\n"
		"options:\n"
		"  --db FILE    database file (default: $SKILLHUB_DB, else ./skillhub.db)\n"
		"  --help       this help; 'skillhub COMMAND --help' for a command\n"
		"  --version    print the version\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nThis service uses the ESCO classification of the European Commission.\n");
}

int main(int argc, char **argv)
{
	sh_cli cli = { getenv("SKILLHUB_DB") };
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "skillhub.db";
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return SH_EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("skillhub %s\n", sh_version());
			return SH_EXIT_OK;
		} else if (!strcmp(argv[i], "--db")) {
			if (++i == argc)
				return cli_usage_error(NULL, "--db needs a FILE argument");
			cli.db_path = argv[i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			cli.db_path = argv[i] + 5;
		} else {
			return cli_usage_error(NULL, "unknown option '%s'", argv[i]);
		}
	}
	if (i == argc) {
		usage(stderr);
		return SH_EXIT_USAGE;
	}
	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].run(&cli, argc - i, argv + i);
	return cli_usage_error(NULL, "unknown command '%s'", argv[i]);
}
