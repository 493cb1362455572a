/*
 * cli/cmd_serve.c - `skillhub serve`: runs the HTTP server (server/server.h).
 */
#include "cli/cli.h"

#include <getopt.h>
#include <string.h>

#include "pathways/sectors.h"
#include "server/courses_write.h"
#include "server/intel_service.h"
#include "server/pathways_web.h"
#include "server/router.h"
#include "server/server.h"

static void help(void)
{
	puts("usage: skillhub serve [--listen ADDR] [--port N] [--cors ORIGIN] [--threads N]\n"
	     "                      [--max-body BYTES] [--max-batch N] [--agg FILE] [--rules FILE]\n"
	     "                      [--sectors FILE] [--quiet] [--routes]\n"
	     "\n"
	     "Serves the JSON API (/api/v1, described at /api/v1/openapi.json) and the web\n"
	     "pages over HTTP, reading the database and its compiled index.  A rebuilt index\n"
	     "is picked up within a second, without a restart.  SIGINT or SIGTERM stops the\n"
	     "server after the requests in flight are answered.\n"
	     "\n"
	     "  --listen ADDR     IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
	     "  --port N          TCP port (default 8080; 0 = any free port)\n"
	     "  --cors ORIGIN     send Access-Control-Allow-Origin: ORIGIN (\"*\" for any); default off\n"
	     "  --threads N       worker threads (default: one per core)\n"
	     "  --max-body BYTES  largest request body accepted (default 1048576)\n"
	     "  --max-batch N     most texts in one POST /api/v1/extract or /api/v1/titles\n"
	     "                    request (default 100; 413 beyond)\n"
	     "  --agg FILE        skills demand (/api/v1/demand, /intelligence) from this\n"
	     "                    aggregate (skillhub ads merge); default: computed from the\n"
	     "                    database's ads, rebuilt when they change\n"
	     "  --rules FILE      the catalogue's quality rules (course findings, approval);\n"
	     "                    default $SKILLHUB_RULES, else rules/quality-rules.json\n"
	     "                    (when that default is missing, findings and approval answer 503)\n"
	     "  --sectors FILE    the alliance's sector tags for transitions (docs/pathways.md;\n"
	     "                    as `skillhub transitions --sectors`), read at each request\n"
	     "  --quiet           no access log (otherwise one line per request on stderr:\n"
	     "                    method, target, status, bytes, microseconds)\n"
	     "  --routes          print the routes served (method and path) and exit\n"
	     "\n"
	     "Text analysis: POST /api/v1/extract ({\"text\": ...} or {\"items\": [...]}: skills\n"
	     "and occupations, the same JSON as 'skillhub extract'), POST /api/v1/titles, and\n"
	     "the web page /analyse.\n"
	     "\n"
	     "Prints \"listening on http://ADDR:PORT\" on stderr once ready.");
}

static void print_routes(void)
{
	for (size_t i = 0; i < sh_route_count; i++) {
		if (sh_routes[i].methods & SH_METHOD_GET)
			printf("GET %s\n", sh_routes[i].pattern);
		if (sh_routes[i].methods & SH_METHOD_POST)
			printf("POST %s\n", sh_routes[i].pattern);
		if (sh_routes[i].methods & SH_METHOD_PUT)
			printf("PUT %s\n", sh_routes[i].pattern);
		if (sh_routes[i].methods & SH_METHOD_DELETE)
			printf("DELETE %s\n", sh_routes[i].pattern);
	}
}

/* Exit 1 when the sector file does not load against the database's index. */
static int check_sectors(sh_cli *cli, const char *file)
{
	sh_db *db;
	sh_index *idx;
	sh_sectors *sectors;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	rc = sh_sectors_load(&sectors, idx, file) ? cli_lib_fail() : SH_EXIT_OK;
	sh_sectors_free(sectors);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}

int cmd_serve(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen",   required_argument, NULL, 'l' },
		{ "port",     required_argument, NULL, 'p' },
		{ "cors",     required_argument, NULL, 'c' },
		{ "threads",  required_argument, NULL, 't' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "max-batch", required_argument, NULL, 'n' },
		{ "agg",      required_argument, NULL, 'a' },
		{ "rules",    required_argument, NULL, 'R' },
		{ "sectors",  required_argument, NULL, 'S' },
		{ "quiet",    no_argument,       NULL, 'q' },
		{ "routes",   no_argument,       NULL, 'r' },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_server_opts so = { cli->db_path, "127.0.0.1", 8080, NULL, 0, SH_SERVER_MAX_BODY, SH_SERVER_MAX_BATCH, 1 };
	const char *agg = NULL, *rules = NULL, *sectors = NULL;
	size_t n;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': so.listen = optarg; break;
		case 'p':
			if ((rc = cli_parse_size("serve", "--port", optarg, &n)))
				return rc;
			if (n > 65535)
				return cli_usage_error("serve", "--port must be from 0 to 65535, got '%s'", optarg);
			so.port = (unsigned)n;
			break;
		case 'c':
			if (!*optarg)
				return cli_usage_error("serve", "--cors needs an origin such as https://example.org or *");
			so.cors_origin = optarg;
			break;
		case 't':
			if ((rc = cli_parse_size("serve", "--threads", optarg, &n)))
				return rc;
			if (n < 1 || n > 256)
				return cli_usage_error("serve", "--threads must be from 1 to 256, got '%s'", optarg);
			so.threads = (unsigned)n;
			break;
		case 'b':
			if ((rc = cli_parse_size("serve", "--max-body", optarg, &so.max_body)))
				return rc;
			break;
		case 'n':
			if ((rc = cli_parse_size("serve", "--max-batch", optarg, &so.max_batch)))
				return rc;
			if (so.max_batch < 1 || so.max_batch > 100000)
				return cli_usage_error("serve", "--max-batch must be from 1 to 100000, got '%s'", optarg);
			break;
		case 'a': agg = optarg; break;
		case 'R': rules = optarg; break;
		case 'S': sectors = optarg; break;
		case 'q': so.access_log = 0; break;
		case 'r': print_routes(); return SH_EXIT_OK;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("serve", "%s needs an argument", argv[optind - 1]);
		default:  return cli_usage_error("serve", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (sectors && (rc = check_sectors(cli, sectors)))
		return rc;
	sh_pathways_web_set_sectors(sectors);
	if (sh_courses_rules_open(rules))
		return cli_lib_fail();
	if (sh_intel_service_open(cli->db_path, agg)) {
		sh_courses_rules_close();
		return cli_lib_fail();
	}
	rc = sh_server_run(&so) ? cli_lib_fail() : SH_EXIT_OK;
	sh_intel_service_close();
	sh_courses_rules_close();
	return rc;
}
