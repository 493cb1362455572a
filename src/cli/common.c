/*
 * cli/common.c - error reporting, database/index opening and argument
 * parsing shared by the commands.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("skillhub: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SH_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "skillhub%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'skillhub %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return SH_EXIT_USAGE;
}

int cli_lib_fail(void)
{
	return cli_fail("%s", sh_errmsg());
}

int cli_open_db(const sh_cli *cli, unsigned flags, sh_db **out)
{
	if (sh_db_open(out, cli->db_path, flags))
		return cli_lib_fail();
	return SH_EXIT_OK;
}

int cli_parse_size(const char *cmd, const char *opt, const char *arg, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-')
		return cli_usage_error(cmd, "%s expects a non-negative integer, got '%s'", opt, arg);
	*out = (size_t)v;
	return SH_EXIT_OK;
}
