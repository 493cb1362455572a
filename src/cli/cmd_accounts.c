/*
 * cli/cmd_accounts.c - `skillhub accounts add|list|passwd|delete|token|revoke`:
 * the accounts of the web application and their API tokens (docs/accounts.md).
 *
 * A password never comes from the command line, where `ps` and the shell's
 * history would show it: it is read from --password-file, else from the
 * first line of standard input when that is not a terminal (scripts, tests),
 * else asked twice on the terminal with echo off.  The memory that held it
 * is wiped before the command exits.  A new API token is printed once, on
 * standard output alone, so that `TOKEN=$(skillhub accounts token ...)` works.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "skillhub/auth.h"

static void help(void)
{
	puts("usage: skillhub accounts add LOGIN --role ROLE [--provider ID] [--password-file F]\n"
	     "       skillhub accounts list [--json]\n"
	     "       skillhub accounts passwd LOGIN [--password-file F]\n"
	     "       skillhub accounts delete LOGIN\n"
	     "       skillhub accounts token LOGIN --label LABEL\n"
	     "       skillhub accounts revoke LOGIN --label LABEL\n"
	     "\n"
	     "Accounts of the web application.  ROLE is administrator, provider, reviewer,\n"
	     "analyst or learner; a provider account names the provider (its ID, see\n"
	     "`skillhub providers list`) it acts for.  The password is read from\n"
	     "--password-file (first line), else from the first line of standard input when\n"
	     "it is not a terminal, else asked on the terminal; never from an argument.  It\n"
	     "must be 10 to 1024 bytes long.  `token` prints a new API token once (send it as\n"
	     "'Authorization: Bearer TOKEN'); `revoke` disables the token of that label.\n"
	     "`delete` also deletes the account's tokens, sessions and personal records.");
}

/* Reads one line of f into *out (newline removed; caller wipes and frees). */
static int read_line(FILE *f, const char *from, char **out)
{
	size_t cap = 0;
	*out = NULL;
	ssize_t n = getline(out, &cap, f);
	if (n < 0) {
		free(*out);
		*out = NULL;
		return cli_fail("no password in %s", from);
	}
	while (n > 0 && ((*out)[n - 1] == '\n' || (*out)[n - 1] == '\r'))
		(*out)[--n] = '\0';
	return SH_EXIT_OK;
}

static void wipe(char *secret)
{
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
}

/* Asks for the password on the terminal with echo off. */
static int prompt(const char *question, char **out)
{
	struct termios old, quiet;
	*out = NULL;
	if (tcgetattr(STDIN_FILENO, &old))
		return cli_fail("cannot read the terminal's settings");
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fputs(question, stderr);
	fflush(stderr);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	int rc = read_line(stdin, "the terminal", out);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

static int read_password(const char *file, const char *login, char **out)
{
	*out = NULL;
	if (file) {
		FILE *f = fopen(file, "r");
		if (!f)
			return cli_fail("--password-file %s: cannot open", file);
		int rc = read_line(f, file, out);
		fclose(f);
		return rc;
	}
	if (!isatty(STDIN_FILENO))
		return read_line(stdin, "standard input", out);
	char question[128], *again = NULL;
	snprintf(question, sizeof question, "Password for %s: ", login);
	int rc = prompt(question, out);
	if (!rc)
		rc = prompt("Same password again: ", &again);
	if (!rc && strcmp(*out, again))
		rc = cli_fail("the two passwords differ");
	wipe(again);
	if (rc) {
		wipe(*out);
		*out = NULL;
	}
	return rc;
}

static int list_accounts(sh_db *db, int json)
{
	char *text;
	if (sh_accounts_json(db, &text))
		return cli_lib_fail();
	if (json) {
		puts(text);
	} else {
		json_t *list = json_loads(text, 0, NULL), *a;
		size_t i;
		json_array_foreach(list, i, a) {
			const char *provider = json_string_value(json_object_get(a, "provider"));
			printf("%-32s %-13s %-24s %s\n", json_string_value(json_object_get(a, "login")),
			       json_string_value(json_object_get(a, "role")), provider ? provider : "-",
			       json_string_value(json_object_get(a, "created")));
		}
		json_decref(list);
	}
	free(text);
	return SH_EXIT_OK;
}

typedef struct options {
	const char *role, *provider, *password_file, *label;
	int json;
} options;

/* Runs one action on an open database. */
static int run(sh_db *db, const char *action, const char *login, const options *o)
{
	char *password = NULL, *token = NULL;
	int rc = SH_EXIT_OK;
	if (!strcmp(action, "list"))
		return list_accounts(db, o->json);
	if (!strcmp(action, "add") || !strcmp(action, "passwd")) {
		if ((rc = read_password(o->password_file, login, &password)))
			return rc;
		int lib = !strcmp(action, "add")
		        ? sh_account_create(db, login, password, sh_role_from_name(o->role), o->provider, NULL)
		        : sh_account_set_password(db, login, password);
		wipe(password);
		if (lib)
			return cli_lib_fail();
		fprintf(stderr, "account %s %s\n", login, !strcmp(action, "add") ? "created" : "has a new password");
	} else if (!strcmp(action, "delete")) {
		if (sh_account_delete(db, login))
			return cli_lib_fail();
		fprintf(stderr, "account %s deleted\n", login);
	} else if (!strcmp(action, "token")) {
		if (sh_token_create(db, login, o->label, &token))
			return cli_lib_fail();
		puts(token);
		wipe(token);
	} else {
		if (sh_token_revoke(db, login, o->label))
			return cli_lib_fail();
		fprintf(stderr, "token '%s' of %s revoked\n", o->label, login);
	}
	return rc;
}

/* Usage errors of an action and its options. */
static int check_usage(const char *action, int nargs, const options *o)
{
	static const char *const actions[] = { "add", "list", "passwd", "delete", "token", "revoke" };
	size_t i = 0;
	while (i < sizeof actions / sizeof actions[0] && strcmp(action, actions[i]))
		i++;
	if (i == sizeof actions / sizeof actions[0])
		return cli_usage_error("accounts", "unknown action '%s'", action);
	int list = !strcmp(action, "list"), add = !strcmp(action, "add");
	int labelled = !strcmp(action, "token") || !strcmp(action, "revoke");
	if (nargs != !list)
		return cli_usage_error("accounts", "'%s' expects %s", action, list ? "no argument" : "a LOGIN");
	if (add && !o->role)
		return cli_usage_error("accounts", "'add' needs --role");
	if (add && !sh_role_from_name(o->role))
		return cli_usage_error("accounts", "--role: '%s' is not administrator, provider, reviewer, analyst or learner",
		                       o->role);
	if (add && (sh_role_from_name(o->role) == SH_ROLE_PROVIDER) != (o->provider != NULL))
		return cli_usage_error("accounts", o->provider ? "--provider is for accounts of role provider only"
		                                               : "a provider account needs --provider ID");
	if (!add && (o->role || o->provider))
		return cli_usage_error("accounts", "--role and --provider are options of 'add' only");
	if (labelled != (o->label != NULL))
		return cli_usage_error("accounts", labelled ? "'%s' needs --label" : "--label is not an option of '%s'",
		                       action);
	if (o->password_file && !add && strcmp(action, "passwd"))
		return cli_usage_error("accounts", "--password-file is not an option of '%s'", action);
	if (o->json && !list)
		return cli_usage_error("accounts", "--json is an option of 'list' only");
	return SH_EXIT_OK;
}

int cmd_accounts(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },  { "provider", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 'f' }, { "label", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },        { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	options o = { 0 };
	int c, rc = SH_EXIT_OK;
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': help(); return SH_EXIT_OK;
		case 'r': o.role = optarg; break;
		case 'p': o.provider = optarg; break;
		case 'f': o.password_file = optarg; break;
		case 'l': o.label = optarg; break;
		case 'j': o.json = 1; break;
		case ':': rc = cli_usage_error("accounts", "option '%s' needs a value", argv[optind - 1]); break;
		default:  rc = cli_usage_error("accounts", "unknown option '%s'", argv[optind - 1]); break;
		}
	}
	if (rc)
		return rc;
	if (optind >= argc)
		return cli_usage_error("accounts", "missing ACTION (add, list, passwd, delete, token, revoke)");
	const char *action = argv[optind];
	if ((rc = check_usage(action, argc - optind - 1, &o)))
		return rc;
	sh_db *db;
	unsigned flags = !strcmp(action, "list") ? SH_DB_READONLY : !strcmp(action, "add") ? SH_DB_CREATE : 0;
	if ((rc = cli_open_db(cli, flags, &db)))
		return rc;
	rc = run(db, action, argc - optind > 1 ? argv[optind + 1] : NULL, &o);
	sh_db_close(db);
	return rc;
}
