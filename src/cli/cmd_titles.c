/*
 * cli/cmd_titles.c - `skillhub titles`: job titles -> ranked ESCO
 * occupations, one JSON line per input line (see jsonl.h for the input).
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/jsonl.h"
#include "match/extract_json.h"
#include "skillhub/extract.h"

static void help(void)
{
	puts("usage: skillhub titles [--lang L] [--top K] [--jobs N] [FILE...]\n"
	     "\n"
	     "Reads job titles, one per line, from the files (or stdin): a JSON object\n"
	     "{\"id\": ..., \"text\": \"...\"} (other fields are passed through) or plain text.\n"
	     "Writes one JSON line per input line, in input order:\n"
	     "  {\"id\": ..., \"occupations\": [{\"uri\",\"label\",\"score\"}]}\n"
	     "distinct occupations, best first; score 1 means the title equals a label (up to\n"
	     "case, accents, inflection and gender forms such as \"/in\" or \"(m/w/d)\").\n"
	     "Malformed JSON lines are reported as for 'skillhub extract'.\n"
	     "\n"
	     "  --lang L   language of the titles; its occupation labels are used (default en)\n"
	     "  --top K    occupations per title (default 10)\n"
	     "  --jobs N   worker threads (default: the number of cores)\n"
	     "\n"
	     "This service uses the ESCO classification of the European Commission.");
}

static int titles_line(void *state, const char *text, size_t len, sh_buf *out)
{
	cli_extract_worker *w = state;
	const sh_occupation_hit *hits;
	size_t n;
	int rc = sh_titles(w->x, text, len, &w->opts, &hits, &n);
	if (rc < 0)
		return rc;
	return sh_occupations_json(out, w->idx, w->opts.lang, hits, n);
}

int cmd_titles(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "top", required_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_extract_opts eo = { "en", 10, 0 };
	size_t jobs = cli_default_jobs();
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': eo.lang = optarg; break;
		case 'k':
			if ((rc = cli_parse_size("titles", "--top", optarg, &eo.top)))
				return rc;
			if (eo.top == 0)
				return cli_usage_error("titles", "--top expects a positive number, got '%s'", optarg);
			break;
		case 'j':
			if ((rc = cli_parse_size("titles", "--jobs", optarg, &jobs)))
				return rc;
			if (jobs == 0 || jobs > 256)
				return cli_usage_error("titles", "--jobs expects 1 to 256, got '%s'", optarg);
			break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("titles", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("titles", "unknown option '%s'", argv[optind - 1]);
		}
	}
	return cli_run_extractors(cli, "titles", jobs, &eo, titles_line, argv + optind, argc - optind);
}
