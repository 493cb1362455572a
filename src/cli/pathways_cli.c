/*
 * cli/pathways_cli.c - options, profiles, course loading and text output
 * shared by the pathway commands (see pathways_cli.h).
 *
 * Courses come from the --courses JSON file and, unless --no-catalogue, the
 * approved courses of the database's catalogue, both loaded by the library
 * (pathways/courses.h) that the server uses too.  Gaps are weighted by the
 * skills' share of the database's job ads (pathways/demand.h) as on the
 * server, so `--json` and the API keep giving the same bytes.
 */
#include "cli/pathways_cli.h"
#include "core/error.h"
#include "core/fileio.h"
#include "pathways/demand.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void pw_args_init(pw_args *a)
{
	memset(a, 0, sizeof *a);
	a->lang = "en";
	a->plan.budget = -1;
}

static int parse_number(const char *cmd, const char *opt, const char *arg, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0) || isinf(v)) {
		cli_usage_error(cmd, "%s expects a non-negative number, got '%s'", opt, arg);
		return -1;
	}
	*out = v;
	return 1;
}

static int parse_date(const char *cmd, const char *opt, const char *arg)
{
	if (!sh_course_date_valid(arg)) {
		cli_usage_error(cmd, "%s expects a date YYYY-MM-DD, got '%s'", opt, arg);
		return -1;
	}
	return 1;
}

int pw_args_option(pw_args *a, const char *cmd, int c, const char *arg)
{
	switch (c) {
	case PW_OPT_PROFILE:
	case PW_OPT_FROM_OCCUPATION:
	case PW_OPT_CV:
	case PW_OPT_TITLE:
		if (a->nsources == sizeof a->sources / sizeof a->sources[0]) {
			cli_usage_error(cmd, "too many profile sources (at most %zu)", a->nsources);
			return -1;
		}
		a->sources[a->nsources++] = (pw_source){ c, arg };
		return 1;
	case PW_OPT_LANG: a->lang = arg; return 1;
	case PW_OPT_COURSES: a->courses_file = arg; return 1;
	case PW_OPT_NO_CATALOGUE: a->no_catalogue = 1; return 1;
	case PW_OPT_LANGUAGE: a->plan.language = arg; return 1;
	case PW_OPT_REGION: a->plan.region = arg; return 1;
	case PW_OPT_MODE: a->plan.mode = arg; return 1;
	case PW_OPT_FROM: a->plan.from = arg; return parse_date(cmd, "--from", arg);
	case PW_OPT_TO: a->plan.to = arg; return parse_date(cmd, "--to", arg);
	case PW_OPT_BUDGET: return parse_number(cmd, "--budget", arg, &a->plan.budget);
	case PW_OPT_HOUR_COST: return parse_number(cmd, "--hour-cost", arg, &a->plan.hour_cost);
	case PW_OPT_MAX_MS: return parse_number(cmd, "--max-ms", arg, &a->plan.max_ms);
	case PW_OPT_MAX_NODES:
		return cli_parse_size(cmd, "--max-nodes", arg, &a->plan.max_nodes) ? -1 : 1;
	case PW_OPT_GREEDY: a->plan.greedy_only = 1; return 1;
	case PW_OPT_NO_DEMAND: a->no_demand = 1; return 1;
	default: return 0;
	}
}

/* ---- profiles ----------------------------------------------------------- */

static int add_source(const pw_source *s, const pw_args *a, const sh_index *idx, sh_extractor **x,
                      sh_profile *p)
{
	sh_cid c;
	int rc = SH_OK;
	if (s->kind == PW_OPT_FROM_OCCUPATION) {
		if (sh_index_lookup(idx, s->arg, &c) || sh_concept_kind(idx, c) != SH_KIND_OCCUPATION)
			return sh_error(SH_ENOTFOUND, "--from-occupation: no occupation '%s' in the taxonomy", s->arg);
		return sh_profile_add_occupation(p, idx, c, 0);
	}
	if (s->kind != PW_OPT_PROFILE && !*x && (rc = sh_extractor_new(x, idx)))
		return rc;
	if (s->kind == PW_OPT_TITLE)
		return sh_profile_add_title(p, idx, *x, s->arg, a->lang, &c);
	char *text;
	size_t len;
	if ((rc = sh_read_file(s->arg, &text, &len)))
		return rc;
	if (s->kind == PW_OPT_PROFILE)
		rc = sh_profile_load_json(p, idx, text, s->arg);
	else
		rc = sh_profile_add_text(p, *x, text, len, a->lang);
	free(text);
	return rc;
}

int pw_profile_build(const pw_args *a, const char *cmd, const sh_index *idx, sh_profile **out)
{
	*out = NULL;
	if (!a->nsources)
		return cli_usage_error(cmd, "give a profile: --profile, --from-occupation, --cv or --title");
	sh_profile *p;
	if (sh_profile_new(&p))
		return cli_lib_fail();
	sh_extractor *x = NULL;
	int rc = SH_OK;
	for (size_t i = 0; i < a->nsources && !rc; i++)
		rc = add_source(&a->sources[i], a, idx, &x, p);
	sh_extractor_free(x);
	if (rc) {
		sh_profile_free(p);
		return cli_lib_fail();
	}
	*out = p;
	return SH_EXIT_OK;
}

/* ---- demand ------------------------------------------------------------- */

int pw_demand_load(const pw_args *a, sh_db *db, const sh_index *idx, sh_gap_opts *opts)
{
	float *demand = NULL;
	sh_agg *agg = NULL;
	sh_intel *intel = NULL;
	opts->demand = NULL;
	opts->ndemand = 0;
	if (a->no_demand)
		return SH_EXIT_OK;
	int rc = sh_agg_from_db(&agg, db, NULL);
	if (!rc && sh_agg_total_ads(agg) > 0 && !(rc = sh_intel_open(&intel, db, "en")))
		rc = sh_pathways_demand(idx, intel, agg, &demand, &opts->ndemand, NULL);
	sh_intel_free(intel);
	sh_agg_free(agg);
	opts->demand = demand;
	return rc ? cli_lib_fail() : SH_EXIT_OK;
}

/* ---- courses ------------------------------------------------------------ */

int pw_courses_load(const pw_args *a, sh_db *db, const sh_index *idx, sh_course_list *out)
{
	memset(out, 0, sizeof *out);
	int rc = SH_OK;
	if (a->courses_file)
		rc = sh_course_list_load_file(out, a->courses_file, idx);
	if (!rc && !a->no_catalogue)
		rc = sh_course_list_load_catalogue(out, db, idx, a->lang);
	if (!rc)
		rc = sh_course_list_finish(out);
	if (rc)
		sh_course_list_free(out);
	return rc;
}

/* ---- output ------------------------------------------------------------- */

int pw_print_json(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!s)
		return cli_fail("out of memory");
	puts(s);
	free(s);
	return SH_EXIT_OK;
}

void pw_print_gap(const sh_index *idx, const sh_gap *g, const char *lang)
{
	printf("target     %s  %s\n", sh_concept_label(idx, g->target, lang), sh_concept_uri(idx, g->target));
	printf("readiness  %.1f%% of the essential skill weight (optional skills: %.1f%%)\n", 100 * g->readiness,
	       100 * g->optional_coverage);
	for (int essential = 1; essential >= 0; essential--) {
		printf("%s skills:\n", essential ? "essential" : "optional");
		printf("  %6s %6s %6s  %-9s %s\n", "weight", "credit", "share", "credit by", "skill");
		for (size_t i = 0; i < g->nitems; i++) {
			const sh_gap_item *it = &g->items[i];
			if (it->essential != essential)
				continue;
			printf("  %6.2f %6.2f %5.1f%%  %-9s %s", it->weight, it->credit, 100 * it->contribution,
			       sh_credit_name(it->how), sh_concept_label(idx, it->skill, lang));
			if (it->how == SH_CREDIT_NARROWER || it->how == SH_CREDIT_RELATED)
				printf(" (via %s)", sh_concept_label(idx, it->via, lang));
			putchar('\n');
		}
	}
}

void pw_print_plan(const sh_index *idx, const sh_plan *p, const sh_course_list *c, const char *lang)
{
	printf("plan: %zu course%s, %.1f hours, price %.2f, cost %.2f (%s%s)\n", p->nsteps, p->nsteps == 1 ? "" : "s",
	       p->hours, p->price, p->cost, p->method, p->optimal ? ", optimal" : "");
	if (!p->optimal)
		printf("  lower bound %.2f: at most %.1f%% above the optimum\n", p->lower_bound,
		       p->lower_bound > 0 ? 100 * (p->objective - p->lower_bound) / p->lower_bound : 0.0);
	for (size_t i = 0; i < p->nsteps; i++) {
		const sh_course *co = &c->v[p->steps[i].course];
		printf("%3zu. %-16s %6.1f h %9.2f  %s%s%s\n", i + 1, co->id, co->hours, co->price,
		       sh_course_list_title(c, p->steps[i].course), co->start ? "  from " : "", co->start ? co->start : "");
		for (size_t k = 0; k < p->steps[i].ncloses; k++)
			printf("       closes %s\n", sh_concept_label(idx, p->steps[i].closes[k], lang));
	}
	for (size_t i = 0; i < p->nunaffordable; i++)
		printf("over budget:          %s\n", sh_concept_label(idx, p->unaffordable[i], lang));
	for (size_t i = 0; i < p->nuncoverable; i++)
		printf("no admissible course: %s\n", sh_concept_label(idx, p->uncoverable[i], lang));
}
