/*
 * cli/cmd_extract.c - `skillhub extract`: skills (ranked, with spans) and
 * occupations in each input line (JSON objects or plain text, see jsonl.h).
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/jsonl.h"
#include "match/extract_json.h"
#include "skillhub/extract.h"

static void help(void)
{
	puts("usage: skillhub extract [--lang L] [--top K] [--min-score S] [--jobs N] [FILE...]\n"
	     "\n"
	     "Reads lines from the files (or stdin): a JSON object {\"id\": ..., \"text\": \"...\"}\n"
	     "(other fields are passed through) or a plain text line.  Writes one JSON line per\n"
	     "input line, in input order:\n"
	     "  {\"id\": ..., \"skills\": [{\"uri\",\"label\",\"score\",\"spans\":[[start,end],...]}],\n"
	     "   \"occupations\": [{\"uri\",\"label\",\"score\"}]}\n"
	     "best first; spans are byte offsets into the text.  A line starting with '{'\n"
	     "that is not a valid object with a string \"text\" gives {\"line\": N, \"error\": ...}\n"
	     "and a message on stderr; the exit status is then 1.\n"
	     "\n"
	     "  --lang L       language of the texts and labels (default en)\n"
	     "  --top K        the K best skills whatever their score (default: only skills\n"
	     "                 whose label occurs in the text)\n"
	     "  --min-score S  drop hits scoring below S (0..1, default 0)\n"
	     "  --jobs N       worker threads (default: the number of cores)\n"
	     "\n"
	     "This service uses the ESCO classification of the European Commission.");
}

static int extract_line(void *state, const char *text, size_t len, sh_buf *out)
{
	cli_extract_worker *w = state;
	sh_extraction ex;
	int rc = sh_extract(w->x, text, len, &w->opts, &ex);
	return rc < 0 ? rc : sh_extraction_json(out, w->idx, w->opts.lang, &ex);
}

static int parse_score(const char *arg, float *out)
{
	char *end;
	double v = strtod(arg, &end);
	if (end == arg || *end || !(v >= 0 && v <= 1))
		return cli_usage_error("extract", "--min-score expects a number from 0 to 1, got '%s'", arg);
	*out = (float)v;
	return SH_EXIT_OK;
}

int cmd_extract(sh_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "top", required_argument, NULL, 'k' },
		{ "min-score", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_extract_opts eo = { "en", 0, 0 };
	size_t jobs = cli_default_jobs();
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': eo.lang = optarg; break;
		case 'k':
			if ((rc = cli_parse_size("extract", "--top", optarg, &eo.top)))
				return rc;
			if (eo.top == 0)
				return cli_usage_error("extract", "--top expects a positive number, got '%s'", optarg);
			break;
		case 's':
			if ((rc = parse_score(optarg, &eo.min_score)))
				return rc;
			break;
		case 'j':
			if ((rc = cli_parse_size("extract", "--jobs", optarg, &jobs)))
				return rc;
			if (jobs == 0 || jobs > 256)
				return cli_usage_error("extract", "--jobs expects 1 to 256, got '%s'", optarg);
			break;
		case 'h': help(); return SH_EXIT_OK;
		case ':': return cli_usage_error("extract", "option '%s' needs a value", argv[optind - 1]);
		default:  return cli_usage_error("extract", "unknown option '%s'", argv[optind - 1]);
		}
	}
	return cli_run_extractors(cli, "extract", jobs, &eo, extract_line, argv + optind, argc - optind);
}
