/*
 * cli/cmd_report.c - `skillhub report demand|trends|occupation|cooccurrence|
 * supply`: skills-demand reports over an aggregate (--agg FILE, else the
 * database's ads) with the database's taxonomy (and, for supply, its
 * training catalogue), as HTML, CSV or JSON (docs/intelligence.md).
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/fileio.h"
#include "intel/report.h"

static void help(void)
{
	puts("usage: skillhub report demand|trends|occupation|cooccurrence|supply [--agg FILE] [filters]\n"
	     "                       [--format html|csv|json] [--out FILE]\n"
	     "\n"
	     "Skills-demand reports from job ads: from an aggregate file (skillhub ads\n"
	     "aggregate/merge) or, without --agg, from the database's ads; labels, ISCO\n"
	     "groups, skill groups and collections come from the database's taxonomy.\n"
	     "\n"
	     "  demand      skills asked most: number and share of ads\n"
	     "  trends      emerging and declining skills between ranges a and b\n"
	     "              (G-test per skill, Benjamini-Hochberg over all skills tested)\n"
	     "  occupation  skills asked in an occupation's ads against ESCO's essential\n"
	     "              and optional skills (--occupation URI required)\n"
	     "  cooccurrence skills asked together with --skill URI (period, skill-group\n"
	     "              and collection filters only: pairs are kept per month)\n"
	     "  supply      skills most in demand with the least training: ads asking\n"
	     "              for each skill against the approved courses teaching it\n"
	     "              offered in the country/region (online courses everywhere)\n"
	     "\n"
	     "Filters (periods: YYYY, YYYY-Qn or YYYY-MM):\n"
	     "  --from P, --to P       period range\n"
	     "  --country CC  --region R  --sector S\n"
	     "  --occupation X         occupation URI or ISCO group code (1 to 4 digits)\n"
	     "  --skill-group URI      skills under this skill group\n"
	     "  --collection KEY       skills of a collection (digital, green, transversal, ...)\n"
	     "  --skill URI            cooccurrence: the skill the others are asked with\n"
	     "Trends:\n"
	     "  --a-from P --a-to P --b-from P --b-to P   the two ranges (required)\n"
	     "  --min-ads N            test skills asked in >= N ads of both ranges (default 10)\n"
	     "  --alpha X              false discovery rate (default 0.05)\n"
	     "Output:\n"
	     "  --limit N              skills listed (default 50)\n"
	     "  --format F             html (default), csv or json\n"
	     "  --out FILE             write to FILE instead of stdout\n"
	     "  --lang L               label language (default en)");
}

static int parse_kind(const char *s, sh_report_kind *out)
{
	static const struct { const char *name; sh_report_kind kind; } kinds[] = {
		{ "demand", SH_REPORT_DEMAND }, { "trends", SH_REPORT_TRENDS }, { "occupation", SH_REPORT_OCCUPATION },
		{ "cooccurrence", SH_REPORT_COOCCURRENCE }, { "supply", SH_REPORT_SUPPLY }
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(s, kinds[i].name) == 0) {
			*out = kinds[i].kind;
			return SH_EXIT_OK;
		}
	return cli_usage_error("report", "unknown report '%s' (demand, trends, occupation, cooccurrence, supply)", s);
}

static int parse_format(const char *s, sh_report_format *out)
{
	if (strcmp(s, "html") == 0)
		*out = SH_REPORT_HTML;
	else if (strcmp(s, "csv") == 0)
		*out = SH_REPORT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = SH_REPORT_JSON;
	else
		return cli_usage_error("report", "--format expects html, csv or json, got '%s'", s);
	return SH_EXIT_OK;
}

static int parse_alpha(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v > 0 && v < 1))
		return cli_usage_error("report", "--alpha expects a number in (0, 1), got '%s'", s);
	*out = v;
	return SH_EXIT_OK;
}

/* Runs the report with the taxonomy of db over agg and writes it. */
static int run(sh_db *db, const sh_agg *agg, const sh_report_opts *o, const char *lang, const char *out)
{
	sh_intel *intel;
	if (sh_intel_open(&intel, db, lang))
		return cli_lib_fail();
	sh_buf b = SH_BUF_INIT;
	int rc = SH_EXIT_OK;
	if (sh_intel_filter_check(intel, &o->filter))
		rc = cli_usage_error("report", "%s", sh_errmsg());
	else if ((rc = sh_report(&b, intel, agg, o)))
		rc = rc == SH_EINVAL ? cli_usage_error("report", "%s", sh_errmsg()) : cli_lib_fail();
	else if (out)
		rc = sh_write_atomic(out, b.data, b.len) ? cli_lib_fail() : SH_EXIT_OK;
	else if (fwrite(b.data, 1, b.len, stdout) != b.len)
		rc = cli_fail("writing stdout failed");
	sh_buf_free(&b);
	sh_intel_free(intel);
	return rc;
}

int cmd_report(sh_cli *cli, int argc, char **argv)
{
	enum { O_FROM = 256, O_TO, O_COUNTRY, O_REGION, O_OCC, O_SECTOR, O_GROUP, O_COLL, O_AFROM, O_ATO,
	       O_BFROM, O_BTO, O_MIN, O_ALPHA, O_LIMIT, O_FORMAT, O_OUT, O_AGG, O_LANG, O_SKILL };
	static const struct option opts[] = {
		{ "from", required_argument, NULL, O_FROM }, { "to", required_argument, NULL, O_TO },
		{ "country", required_argument, NULL, O_COUNTRY }, { "region", required_argument, NULL, O_REGION },
		{ "occupation", required_argument, NULL, O_OCC }, { "sector", required_argument, NULL, O_SECTOR },
		{ "skill-group", required_argument, NULL, O_GROUP }, { "collection", required_argument, NULL, O_COLL },
		{ "a-from", required_argument, NULL, O_AFROM }, { "a-to", required_argument, NULL, O_ATO },
		{ "b-from", required_argument, NULL, O_BFROM }, { "b-to", required_argument, NULL, O_BTO },
		{ "min-ads", required_argument, NULL, O_MIN }, { "alpha", required_argument, NULL, O_ALPHA },
		{ "limit", required_argument, NULL, O_LIMIT }, { "format", required_argument, NULL, O_FORMAT },
		{ "out", required_argument, NULL, O_OUT }, { "agg", required_argument, NULL, O_AGG },
		{ "lang", required_argument, NULL, O_LANG }, { "skill", required_argument, NULL, O_SKILL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sh_report_opts o = { .format = SH_REPORT_HTML };
	const char *out = NULL, *agg_path = NULL, *lang = "en";
	size_t min_ads = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int rc = SH_EXIT_OK;
		switch (c) {
		case O_FROM:    o.filter.period_from = optarg; break;
		case O_TO:      o.filter.period_to = optarg; break;
		case O_COUNTRY: o.filter.country = optarg; break;
		case O_REGION:  o.filter.region = optarg; break;
		case O_OCC:     o.filter.occupation = optarg; break;
		case O_SECTOR:  o.filter.sector = optarg; break;
		case O_GROUP:   o.filter.skill_group = optarg; break;
		case O_COLL:    o.filter.collection = optarg; break;
		case O_AFROM:   o.trend.a_from = optarg; break;
		case O_ATO:     o.trend.a_to = optarg; break;
		case O_BFROM:   o.trend.b_from = optarg; break;
		case O_BTO:     o.trend.b_to = optarg; break;
		case O_MIN:     rc = cli_parse_size("report", "--min-ads", optarg, &min_ads); break;
		case O_ALPHA:   rc = parse_alpha(optarg, &o.trend.alpha); break;
		case O_LIMIT:   rc = cli_parse_size("report", "--limit", optarg, &o.limit); break;
		case O_FORMAT:  rc = parse_format(optarg, &o.format); break;
		case O_OUT:     out = optarg; break;
		case O_AGG:     agg_path = optarg; break;
		case O_LANG:    lang = optarg; break;
		case O_SKILL:   o.skill = optarg; break;
		case 'h':       help(); return SH_EXIT_OK;
		case ':':       return cli_usage_error("report", "%s needs an argument", argv[optind - 1]);
		default:        return cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return cli_usage_error("report", "which report: demand, trends, occupation, cooccurrence or supply?");
	if (parse_kind(argv[optind], &o.kind))
		return SH_EXIT_USAGE;
	if (optind + 1 < argc)
		return cli_usage_error("report", "unexpected argument '%s'", argv[optind + 1]);
	if (o.kind == SH_REPORT_TRENDS && (!o.trend.a_from || !o.trend.a_to || !o.trend.b_from || !o.trend.b_to))
		return cli_usage_error("report", "trends needs --a-from, --a-to, --b-from and --b-to");
	if (o.kind == SH_REPORT_OCCUPATION && !o.filter.occupation)
		return cli_usage_error("report", "occupation needs --occupation URI");
	if (o.kind == SH_REPORT_COOCCURRENCE && !o.skill)
		return cli_usage_error("report", "cooccurrence needs --skill URI");
	if (o.kind == SH_REPORT_COOCCURRENCE && (o.filter.country || o.filter.region || o.filter.occupation ||
	                                         o.filter.sector))
		return cli_usage_error("report", "cooccurrence: pairs are counted per month, so --country, --region, "
		                                 "--occupation and --sector do not apply");
	o.trend.min_ads = (int64_t)min_ads;
	o.origin = agg_path ? agg_path : cli->db_path;

	sh_db *db;
	int rc = cli_open_db(cli, SH_DB_READONLY, &db);
	if (rc)
		return rc;
	o.db = db;
	sh_agg *agg;
	if (agg_path ? sh_agg_read(&agg, agg_path) : sh_agg_from_db(&agg, db, NULL))
		rc = cli_lib_fail();
	else
		rc = run(db, agg, &o, lang, out);
	sh_agg_free(agg);
	sh_db_close(db);
	return rc;
}
