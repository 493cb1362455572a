/*
 * cli/common.c - error reporting, database/index opening and argument
 * parsing shared by the commands.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

int cli_open_index(const sh_cli *cli, sh_db **db, sh_index **idx)
{
	*idx = NULL;
	int rc = cli_open_db(cli, SH_DB_READONLY, db);
	if (rc)
		return rc;
	if (sh_index_open_fresh(idx, *db)) {
		rc = cli_lib_fail();
		sh_db_close(*db);
		*db = NULL;
	}
	return rc;
}

int cli_check_lang(const char *cmd, const sh_index *idx, const char *lang)
{
	const char *const *langs;
	size_t n = sh_index_languages(idx, &langs);
	for (size_t i = 0; i < n; i++)
		if (strcmp(langs[i], lang) == 0)
			return SH_EXIT_OK;
	char have[256] = "";
	for (size_t i = 0, len = 0; i < n && len + 8 < sizeof have; i++)
		len += (size_t)snprintf(have + len, sizeof have - len, "%s%s", i ? " " : "", langs[i]);
	return cli_usage_error(cmd, "--lang: no labels in language '%s' (the index has: %s)",
	                       lang, n ? have : "none");
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
