/*
 * cli/cmd_courses.c - `skillhub courses ACTION ...`: the training catalogue
 * (import, export, feed, skills, check, submit, approve, reject, search).
 *
 * One getopt pass reads every option of every action into a `courses_args`;
 * each action then lists the options it accepts (a bit mask), so a misplaced
 * option is a usage error naming it rather than silently ignored.  The work
 * is done by the library (skillhub/catalogue.h); this file parses, opens the
 * database (and the index where skills are proposed) and prints.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/catalogue.h"

enum {
	O_WHO = 1 << 0, O_RULES = 1 << 1, O_FORMAT = 1 << 2, O_OUTPUT = 1 << 3, O_JSON = 1 << 4,
	O_ALL = 1 << 5, O_ACCEPT = 1 << 6, O_REJECT = 1 << 7, O_PROPOSE = 1 << 8, O_NO_PROPOSE = 1 << 9,
	O_FILTERS = 1 << 10, O_LIMIT = 1 << 11
};

typedef struct courses_args {
	int         help;   /* --help seen: print the usage and do nothing else */
	unsigned    given;
	const char *who, *rules, *format, *output;
	const char **accept, **reject;
	size_t      naccept, nreject;
	sh_course_query q;
} courses_args;

static void help(void)
{
	puts("usage: skillhub courses ACTION [options] [ARG]\n"
	     "\n"
	     "The EU training catalogue: courses of providers mapped to ESCO skills and\n"
	     "checked by the quality rules (docs/catalogue.md).\n"
	     "\n"
	     "  import FILE.json|FILE.csv [--no-propose]  import (all or nothing); bad records\n"
	     "                              are listed as file:line: field: problem\n"
	     "  export [--format json|csv|elm] [--output F] [COURSE]\n"
	     "  feed [--output F]           approved courses as a JSON-LD (ELM) feed\n"
	     "  skills COURSE [--accept URI]... [--reject URI]... [--propose] [--json]\n"
	     "                              list, decide or re-propose a course's ESCO skills\n"
	     "  check [COURSE | --all] [--json]   quality findings (exit 1 if any error)\n"
	     "  submit | approve | reject COURSE  review workflow (approve refuses on errors)\n"
	     "  search [TEXT] [--skill URI] [--occupation URI] [--region NUTS] [--lang L]\n"
	     "         [--mode onsite|online|blended] [--eqf N] [--max-cost C] [--from DATE]\n"
	     "         [--to DATE] [--limit N] [--json]   ranked approved courses\n"
	     "\n"
	     "  --who NAME    recorded in the audit table (default $USER)\n"
	     "  --rules FILE  quality rules (default $SKILLHUB_RULES, else rules/quality-rules.json);\n"
	     "                a new rule-set version first re-evaluates approved courses and flags\n"
	     "                those that no longer pass (check, submit, approve, reject)\n"
	     "\n"
	     "This service uses the ESCO classification of the European Commission.");
}

static int parse(int argc, char **argv, courses_args *a)
{
	static const struct option opts[] = {
		{ "who", required_argument, NULL, 'w' },       { "rules", required_argument, NULL, 'R' },
		{ "format", required_argument, NULL, 'f' },    { "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },            { "all", no_argument, NULL, 'a' },
		{ "accept", required_argument, NULL, 'A' },    { "reject", required_argument, NULL, 'X' },
		{ "propose", no_argument, NULL, 'p' },         { "no-propose", no_argument, NULL, 'P' },
		{ "skill", required_argument, NULL, 's' },     { "occupation", required_argument, NULL, 'O' },
		{ "region", required_argument, NULL, 'r' },    { "lang", required_argument, NULL, 'l' },
		{ "mode", required_argument, NULL, 'm' },      { "eqf", required_argument, NULL, 'e' },
		{ "max-cost", required_argument, NULL, 'c' },  { "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },        { "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },            { NULL, 0, NULL, 0 }
	};
	a->accept = calloc((size_t)argc, sizeof *a->accept);
	a->reject = calloc((size_t)argc, sizeof *a->reject);
	if (!a->accept || !a->reject)
		return cli_fail("out of memory");
	a->q.max_cost = -1;
	int c;
	size_t n;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': a->help = 1; break;
		case 'w': a->given |= O_WHO; a->who = optarg; break;
		case 'R': a->given |= O_RULES; a->rules = optarg; break;
		case 'f': a->given |= O_FORMAT; a->format = optarg; break;
		case 'o': a->given |= O_OUTPUT; a->output = optarg; break;
		case 'j': a->given |= O_JSON; break;
		case 'a': a->given |= O_ALL; break;
		case 'A': a->given |= O_ACCEPT; a->accept[a->naccept++] = optarg; break;
		case 'X': a->given |= O_REJECT; a->reject[a->nreject++] = optarg; break;
		case 'p': a->given |= O_PROPOSE; break;
		case 'P': a->given |= O_NO_PROPOSE; break;
		case 's': a->given |= O_FILTERS; a->q.skill = optarg; break;
		case 'O': a->given |= O_FILTERS; a->q.occupation = optarg; break;
		case 'r': a->given |= O_FILTERS; a->q.region = optarg; break;
		case 'l': a->given |= O_FILTERS; a->q.lang = optarg; break;
		case 'm':
			a->given |= O_FILTERS;
			a->q.mode = optarg;
			if (strcmp(optarg, "onsite") && strcmp(optarg, "online") && strcmp(optarg, "blended"))
				return cli_usage_error("courses", "--mode expects onsite, online or blended, got '%s'", optarg);
			break;
		case 'e':
			a->given |= O_FILTERS;
			if (cli_parse_size("courses", "--eqf", optarg, &n))
				return SH_EXIT_USAGE;
			if (n < 1 || n > 8)
				return cli_usage_error("courses", "--eqf expects a level 1-8, got '%s'", optarg);
			a->q.eqf = (int)n;
			break;
		case 'c':
			a->given |= O_FILTERS;
			errno = 0;
			a->q.max_cost = strtod(optarg, &end);
			if (errno || end == optarg || *end || a->q.max_cost < 0)
				return cli_usage_error("courses", "--max-cost expects a number >= 0, got '%s'", optarg);
			break;
		case 'F': a->given |= O_FILTERS; a->q.from = optarg; break;
		case 'T': a->given |= O_FILTERS; a->q.to = optarg; break;
		case 'n':
			a->given |= O_LIMIT;
			if (cli_parse_size("courses", "--limit", optarg, &a->q.limit))
				return SH_EXIT_USAGE;
			break;
		case ':': return cli_usage_error("courses", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("courses", "unknown option '%s'", argv[optind - 1]);
		}
	}
	return SH_EXIT_OK;
}

static const char *who(const courses_args *a)
{
	if (a->who)
		return a->who;
	const char *user = getenv("USER");
	return user && *user ? user : "unknown";
}

/*
 * Loads the quality rules and, when their version differs from the one that
 * last evaluated the approved courses, re-evaluates (flags) those first.
 */
static int load_rules(sh_db *db, const courses_args *a, sh_rules **rules, size_t *nflagged)
{
	const char *path = a->rules ? a->rules : getenv("SKILLHUB_RULES");
	if (!path || !*path)
		path = "rules/quality-rules.json";
	if (sh_rules_load(rules, path))
		return cli_lib_fail();
	if (sh_courses_recheck(db, *rules, 0, nflagged)) {
		sh_rules_free(*rules);
		return cli_lib_fail();
	}
	return SH_EXIT_OK;
}

/* Writes text to --output (atomically) or stdout. */
static int emit(const courses_args *a, const char *text)
{
	if (!a->output) {
		fputs(text, stdout);
		if (*text && text[strlen(text) - 1] != '\n')
			putchar('\n');
		return SH_EXIT_OK;
	}
	FILE *f = fopen(a->output, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		if (f)
			fclose(f);
		return cli_fail("%s: cannot write: %s", a->output, strerror(errno));
	}
	return SH_EXIT_OK;
}

static int act_import(sh_db *db, const courses_args *a, const char *file)
{
	/*
	 * SQLite frees and re-allocates the top of the heap for every statement
	 * of the import; with glibc's default trim threshold each free returns
	 * the pages to the kernel (brk + TLB flush).  Keeping 64 MiB cut the CPU
	 * time of a 2,000-course import from 2.5 s to 0.7 s (bench/catalogue.sh).
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	sh_index *idx = NULL;
	if (!(a->given & O_NO_PROPOSE) && sh_index_open_fresh(&idx, db))
		fprintf(stderr, "skillhub courses: no skill proposals (%s)\n", sh_errmsg());
	sh_courses_import_opts opts = { who(a), idx };
	size_t ncourses, nproviders;
	char *problems = NULL;
	int rc = sh_courses_import(db, file, &opts, &ncourses, &nproviders, &problems);
	sh_index_close(idx);
	if (problems)
		fputs(problems, stderr);
	free(problems);
	if (rc)
		return cli_lib_fail();
	printf("imported %zu course%s and %zu provider%s from %s\n", ncourses, ncourses == 1 ? "" : "s",
	       nproviders, nproviders == 1 ? "" : "s", file);
	return SH_EXIT_OK;
}

static int act_export(sh_db *db, const courses_args *a, const char *course)
{
	sh_course_format fmt = SH_COURSES_JSON;
	if (a->format && !strcmp(a->format, "csv"))
		fmt = SH_COURSES_CSV;
	else if (a->format && !strcmp(a->format, "elm"))
		fmt = SH_COURSES_ELM;
	else if (a->format && strcmp(a->format, "json"))
		return cli_usage_error("courses", "--format expects json, csv or elm, got '%s'", a->format);
	char *out;
	if (sh_courses_export(db, fmt, course, &out))
		return cli_lib_fail();
	int rc = emit(a, out);
	free(out);
	return rc;
}

static int act_feed(sh_db *db, const courses_args *a)
{
	char *out;
	if (sh_courses_feed(db, &out))
		return cli_lib_fail();
	int rc = emit(a, out);
	free(out);
	return rc;
}

static int act_skills(sh_db *db, const courses_args *a, const char *course)
{
	for (size_t i = 0; i < a->naccept; i++)
		if (sh_course_decide_skill(db, course, a->accept[i], 1, who(a)))
			return cli_lib_fail();
	for (size_t i = 0; i < a->nreject; i++)
		if (sh_course_decide_skill(db, course, a->reject[i], 0, who(a)))
			return cli_lib_fail();
	if (a->given & O_PROPOSE) {
		sh_index *idx;
		size_t n;
		if (sh_index_open_fresh(&idx, db))
			return cli_lib_fail();
		int rc = sh_course_propose_skills(db, idx, course, &n);
		sh_index_close(idx);
		if (rc)
			return cli_lib_fail();
	}
	char *out;
	if (sh_course_skills_json(db, course, &out))
		return cli_lib_fail();
	if (a->given & O_JSON) {
		puts(out);
	} else {
		json_t *arr = json_loads(out, 0, NULL);
		size_t i;
		json_t *s;
		json_array_foreach(arr, i, s) {
			json_t *score = json_object_get(s, "score");
			char sc[16] = "-";
			if (score)
				snprintf(sc, sizeof sc, "%.2f", json_number_value(score));
			printf("%-8s %5s  %s  %s%s\n", json_string_value(json_object_get(s, "origin")), sc,
			       json_string_value(json_object_get(s, "uri")), json_string_value(json_object_get(s, "label")),
			       strcmp(json_string_value(json_object_get(s, "status")), "released") ? " (obsolete)" : "");
		}
		json_decref(arr);
	}
	free(out);
	return SH_EXIT_OK;
}

static int act_check(sh_db *db, const courses_args *a, const char *course)
{
	if (!course && !(a->given & O_ALL))
		return cli_usage_error("courses", "check needs a COURSE or --all");
	sh_rules *rules;
	size_t nflagged = 0, nerrors = 0;
	int rc = load_rules(db, a, &rules, &nflagged);
	if (rc)
		return rc;
	char *out = NULL;
	if (sh_courses_check(db, rules, course, &out, &nerrors)) {
		sh_rules_free(rules);
		return cli_lib_fail();
	}
	if (a->given & O_JSON) {
		puts(out);
	} else {
		json_t *arr = json_loads(out, 0, NULL);
		size_t i;
		json_t *f;
		json_array_foreach(arr, i, f)
			printf("%s: %s: %s [%s]: %s\n  fix: %s\n", json_string_value(json_object_get(f, "course")),
			       json_string_value(json_object_get(f, "severity")), json_string_value(json_object_get(f, "field")),
			       json_string_value(json_object_get(f, "rule")), json_string_value(json_object_get(f, "message")),
			       json_string_value(json_object_get(f, "fix")));
		printf("%zu finding%s, %zu error%s (rules %s)", json_array_size(arr), json_array_size(arr) == 1 ? "" : "s",
		       nerrors, nerrors == 1 ? "" : "s", sh_rules_version(rules));
		if (!course)
			printf("; %zu approved course%s flagged", nflagged, nflagged == 1 ? "" : "s");
		putchar('\n');
		json_decref(arr);
	}
	free(out);
	sh_rules_free(rules);
	return nerrors ? SH_EXIT_FAIL : SH_EXIT_OK;
}

static int act_transition(sh_db *db, const courses_args *a, const char *action, const char *course)
{
	sh_rules *rules;
	size_t nflagged;
	int rc = load_rules(db, a, &rules, &nflagged);
	if (rc)
		return rc;
	if (sh_course_transition(db, rules, course, action, who(a)))
		rc = cli_lib_fail();
	else
		printf("%s: %s\n", course, !strcmp(action, "submit") ? "submitted" :
		                           !strcmp(action, "approve") ? "approved" : "rejected");
	sh_rules_free(rules);
	return rc;
}

static int act_search(sh_db *db, courses_args *a, int argc, char **argv, int first)
{
	char text[2048] = "";
	for (int i = first, len = 0; i < argc; i++) {
		len += snprintf(text + len, sizeof text - (size_t)len, "%s%s", i > first ? " " : "", argv[i]);
		if (len >= (int)sizeof text)
			return cli_usage_error("courses", "search text longer than %zu bytes", sizeof text - 1);
	}
	if (*text)
		a->q.text = text;
	char *out;
	if (sh_courses_search(db, &a->q, &out))
		return cli_lib_fail();
	if (a->given & O_JSON) {
		puts(out);
	} else {
		json_t *arr = json_loads(out, 0, NULL);
		size_t i;
		json_t *h;
		json_array_foreach(arr, i, h) {
			json_t *cov = json_object_get(h, "coverage");
			printf("%-12s %6.3f  %s — %s (%s%s%s)\n", json_string_value(json_object_get(h, "id")),
			       json_number_value(cov ? cov : json_object_get(h, "score")),
			       json_string_value(json_object_get(h, "title")),
			       json_string_value(json_object_get(h, "provider")),
			       json_string_value(json_object_get(h, "mode")) ? json_string_value(json_object_get(h, "mode")) : "",
			       json_object_get(h, "region") ? ", " : "",
			       json_object_get(h, "region") ? json_string_value(json_object_get(h, "region")) : "");
		}
		if (!json_array_size(arr))
			puts("no approved course matches");
		json_decref(arr);
	}
	free(out);
	return SH_EXIT_OK;
}

/* The actions: name, options allowed, positional arguments (min, max). */
static const struct {
	const char *name;
	unsigned    allowed;
	int         min_args, max_args;
} actions[] = {
	{ "import",  O_WHO | O_NO_PROPOSE, 1, 1 },
	{ "export",  O_FORMAT | O_OUTPUT, 0, 1 },
	{ "feed",    O_OUTPUT, 0, 0 },
	{ "skills",  O_WHO | O_ACCEPT | O_REJECT | O_PROPOSE | O_JSON, 1, 1 },
	{ "check",   O_RULES | O_JSON | O_ALL, 0, 1 },
	{ "submit",  O_WHO | O_RULES, 1, 1 },
	{ "approve", O_WHO | O_RULES, 1, 1 },
	{ "reject",  O_WHO | O_RULES, 1, 1 },
	{ "search",  O_FILTERS | O_LIMIT | O_JSON, 0, 64 },
};

int cmd_courses(sh_cli *cli, int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		help();
		return SH_EXIT_OK;
	}
	if (argc < 2)
		return cli_usage_error("courses", "missing ACTION (import, export, feed, skills, check, submit, approve, reject, search)");
	size_t k = 0;
	while (k < sizeof actions / sizeof actions[0] && strcmp(actions[k].name, argv[1]))
		k++;
	if (k == sizeof actions / sizeof actions[0])
		return cli_usage_error("courses", "unknown action '%s'", argv[1]);
	courses_args a = { 0 };
	int rc = parse(argc - 1, argv + 1, &a);
	if (!rc && a.help) {
		help();
		free(a.accept);
		free(a.reject);
		return SH_EXIT_OK;
	}
	int nargs = argc - 1 - optind;
	if (!rc && (a.given & ~actions[k].allowed))
		rc = cli_usage_error("courses", "an option given is not accepted by '%s' (see --help)", argv[1]);
	if (!rc && (nargs < actions[k].min_args || nargs > actions[k].max_args))
		rc = cli_usage_error("courses", "'%s' expects %d to %d argument%s, got %d", argv[1],
		                     actions[k].min_args, actions[k].max_args, actions[k].max_args == 1 ? "" : "s", nargs);
	sh_db *db = NULL;
	if (!rc)
		rc = cli_open_db(cli, !strcmp(argv[1], "import") ? SH_DB_CREATE : 0, &db);
	if (!rc) {
		char **args = argv + 1 + optind;
		const char *arg = nargs ? args[0] : NULL;
		switch (k) {
		case 0: rc = act_import(db, &a, arg); break;
		case 1: rc = act_export(db, &a, arg); break;
		case 2: rc = act_feed(db, &a); break;
		case 3: rc = act_skills(db, &a, arg); break;
		case 4: rc = act_check(db, &a, arg); break;
		case 8: rc = act_search(db, &a, argc - 1, argv + 1, optind); break;
		default: rc = act_transition(db, &a, argv[1], arg); break;
		}
	}
	sh_db_close(db);
	free(a.accept);
	free(a.reject);
	return rc;
}
