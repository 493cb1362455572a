/*
 * cli/cmd_providers.c - `skillhub providers list|show|add`: the training
 * providers of the catalogue (docs/catalogue.md).  `add` builds the
 * provider's exchange object from the options and hands it to
 * sh_provider_put(), which validates it like an imported one.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/catalogue.h"

static void help(void)
{
	puts("usage: skillhub providers list [--json]\n"
	     "       skillhub providers show ID [--json]\n"
	     "       skillhub providers add --id ID --name NAME --country CC --type TYPE\n"
	     "                              [--contact C] [--accreditation A] [--who NAME]\n"
	     "\n"
	     "Training providers of the catalogue.  CC is an ISO 3166-1 alpha-2 code; TYPE is\n"
	     "vet, higher_education, company_academy, association, public or other.  add\n"
	     "updates a provider whose ID exists; changes are recorded in the audit table.");
}

static void print_provider(json_t *p, int details)
{
	printf("%-24s %-3s %-17s %s", json_string_value(json_object_get(p, "id")),
	       json_string_value(json_object_get(p, "country")), json_string_value(json_object_get(p, "type")),
	       json_string_value(json_object_get(p, "name")));
	printf("  (%lld courses, %lld approved)\n", (long long)json_integer_value(json_object_get(p, "courses")),
	       (long long)json_integer_value(json_object_get(p, "approved")));
	if (details) {
		static const char *const more[] = { "contact", "accreditation" };
		for (int i = 0; i < 2; i++)
			if (json_object_get(p, more[i]))
				printf("  %-14s %s\n", more[i], json_string_value(json_object_get(p, more[i])));
	}
}

int cmd_providers(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },           { "id", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },     { "country", required_argument, NULL, 'c' },
		{ "type", required_argument, NULL, 't' },     { "contact", required_argument, NULL, 'C' },
		{ "accreditation", required_argument, NULL, 'a' }, { "who", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },           { NULL, 0, NULL, 0 }
	};
	json_t *p = json_object();
	int json = 0, c, rc = SH_EXIT_OK;
	const char *who = getenv("USER") ? getenv("USER") : "unknown";
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': help(); json_decref(p); return SH_EXIT_OK;
		case 'j': json = 1; break;
		case 'i': json_object_set_new(p, "id", json_string(optarg)); break;
		case 'n': json_object_set_new(p, "name", json_string(optarg)); break;
		case 'c': json_object_set_new(p, "country", json_string(optarg)); break;
		case 't': json_object_set_new(p, "type", json_string(optarg)); break;
		case 'C': json_object_set_new(p, "contact", json_string(optarg)); break;
		case 'a': json_object_set_new(p, "accreditation", json_string(optarg)); break;
		case 'w': who = optarg; break;
		case ':': rc = cli_usage_error("providers", "option '%s' needs a value", argv[optind - 1]); break;
		default:  rc = cli_usage_error("providers", "unknown option '%s'", argv[optind - 1]); break;
		}
	}
	const char *action = optind < argc ? argv[optind] : NULL;
	int nargs = argc - optind - 1;
	if (!rc && !action)
		rc = cli_usage_error("providers", "missing ACTION (list, show, add)");
	else if (!rc && strcmp(action, "list") && strcmp(action, "show") && strcmp(action, "add"))
		rc = cli_usage_error("providers", "unknown action '%s'", action);
	else if (!rc && nargs != (strcmp(action, "show") == 0))
		rc = cli_usage_error("providers", "'%s' expects %s", action, strcmp(action, "show") ? "no argument" : "an ID");
	else if (!rc && strcmp(action, "add") && json_object_size(p))
		rc = cli_usage_error("providers", "provider fields are options of 'add' only");
	sh_db *db = NULL;
	if (!rc)
		rc = cli_open_db(cli, strcmp(action, "add") ? 0 : SH_DB_CREATE, &db);
	if (!rc && !strcmp(action, "add")) {
		char *text = json_dumps(p, 0);
		if (!text || sh_provider_put(db, text, who))
			rc = cli_lib_fail();
		else
			printf("provider %s saved\n", json_string_value(json_object_get(p, "id")));
		free(text);
	} else if (!rc) {
		char *out;
		if (sh_providers_json(db, nargs ? argv[optind + 1] : NULL, &out)) {
			rc = cli_lib_fail();
		} else if (json) {
			puts(out);
		} else {
			json_t *v = json_loads(out, 0, NULL), *e;
			size_t i;
			if (json_is_array(v))
				json_array_foreach(v, i, e)
					print_provider(e, 0);
			else
				print_provider(v, 1);
			json_decref(v);
		}
		if (!rc)
			free(out);
	}
	sh_db_close(db);
	json_decref(p);
	return rc;
}
