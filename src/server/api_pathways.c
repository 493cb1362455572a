/*
 * server/api_pathways.c - up- and reskilling pathways in the JSON API:
 *
 *   GET  /api/v1/occupations/{id}/transitions   adjacent occupations (?plan=1: each
 *                                               with its course plan; with the
 *                                               sector tags of `serve --sectors`)
 *   POST /api/v1/gap                            what a profile lacks for a target
 *   POST /api/v1/plan                           the gap closed by catalogue courses
 *   POST /api/v1/workforce                      headcounts moved to a target mix
 *
 * Stateless: the profile travels in the request body, built from any of
 * "profile" ({"skills": [...], "occupations": [...]}, the format of `skillhub
 * gap --profile`), "from_occupation" (a URI) and "cv" (a text); the sources
 * add up as the CLI's do.  Bodies are checked strictly (json_body.h); a
 * problem names the member at fault, an unknown occupation is a 404.
 *
 * The answers are the JSON of pathways/pathways_json.h encoded as `skillhub
 * gap|plan|transitions|workforce --json` encodes it, so the API and the CLI
 * give the same bytes for the same input.  Candidate courses are the
 * catalogue's approved courses, read through the thread's read-only
 * connection (dbconn.h) at each request, so a course approved a moment ago
 * is planned with.  The sh_pathways context is built per request: it reads
 * the index once (docs/pathways.md gives its cost).  Gaps are weighted by
 * the skills' share of the stored job ads (pathways/demand.h), taken from
 * the aggregate the intelligence service keeps (intel_service.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "pathways/demand.h"
#include "pathways/pathways_json.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/json_body.h"
#include "server/intel_service.h"
#include "server/pathways_web.h"

enum { TRANSITIONS_MAX_LIMIT = 100 };

/* Encodes o (taking the reference) as the CLI prints it and sets the 200 response. */
static int reply_json(sh_request *req, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s)
		return sh_error(SH_ENOMEM, "out of memory (JSON response)");
	int rc = sh_buf_puts(&req->body, s);
	free(s);
	rc = rc ? rc : sh_buf_putc(&req->body, '\n');
	return rc ? rc : sh_reply_ok(req, "application/json");
}

int sh_pathways_web_occupation(const sh_index *idx, const char *ref, sh_cid *out)
{
	return !sh_index_lookup(idx, ref, out) && sh_concept_kind(idx, *out) == SH_KIND_OCCUPATION;
}

/*
 * The ad demand of the intelligence service's aggregate as gap options
 * (none when the service is not open or counts no ad); free opts->demand.
 */
static int demand_opts(const sh_index *idx, sh_gap_opts *opts)
{
	const sh_agg *agg;
	const sh_intel *intel;
	float *demand = NULL;
	int rc = SH_OK;
	opts->ndemand = 0;
	if (!sh_intel_service_acquire(&agg, &intel)) {
		rc = sh_pathways_demand(idx, intel, agg, &demand, &opts->ndemand, NULL);
		sh_intel_service_release();
	}
	opts->demand = demand;
	return rc;
}

/* The gap from p to target weighted by ad demand. */
static int demand_gap(const sh_pathways *pw, const sh_index *idx, const sh_profile *p, sh_cid target, sh_gap **g)
{
	sh_gap_opts opts;
	int rc = demand_opts(idx, &opts);
	rc = rc ? rc : sh_gap_compute(pw, p, target, &opts, g);
	free((float *)opts.demand);
	return rc;
}

int sh_pathways_web_reachable(sh_request *req, const sh_profile *p, sh_reach *out, size_t max, size_t *n)
{
	sh_pathways *pw = NULL;
	sh_gap_opts opts = { NULL, 0 };
	int rc = sh_pathways_new(&pw, req->idx);
	rc = rc ? rc : demand_opts(req->idx, &opts);
	rc = rc ? rc : sh_profile_reachable(pw, p, &opts, out, max, n);
	free((float *)opts.demand);
	sh_pathways_free(pw);
	return rc;
}

int sh_pathways_web_gap(sh_request *req, const sh_profile *p, sh_cid target, const char *lang, json_t **out)
{
	sh_pathways *pw = NULL;
	sh_gap *g = NULL;
	int rc = sh_pathways_new(&pw, req->idx);
	rc = rc ? rc : demand_gap(pw, req->idx, p, target, &g);
	if (!rc && !(*out = sh_gap_to_json(req->idx, g, lang)))
		rc = sh_error(SH_ENOMEM, "out of memory (gap)");
	sh_gap_free(g);
	sh_pathways_free(pw);
	return rc;
}

/* The catalogue's approved courses. */
static int load_courses(const sh_index *idx, const char *lang, sh_course_list *c)
{
	sh_db *db;
	memset(c, 0, sizeof *c);
	int rc = sh_dbconn_get(&db);
	rc = rc ? rc : sh_course_list_load_catalogue(c, db, idx, lang);
	rc = rc ? rc : sh_course_list_finish(c);
	if (rc)
		sh_course_list_free(c);
	return rc;
}

int sh_pathways_web_plan(sh_request *req, const sh_profile *p, sh_cid target, const sh_plan_opts *opts,
                         int optional, const char *lang, json_t **out)
{
	sh_pathways *pw = NULL;
	sh_gap *g = NULL;
	sh_plan *plan = NULL;
	sh_plan_need *need = NULL;
	size_t nneed = 0;
	sh_course_list courses;
	int rc = load_courses(req->idx, lang, &courses);
	if (rc)
		return rc;
	if (!(rc = sh_pathways_new(&pw, req->idx)) && !(rc = demand_gap(pw, req->idx, p, target, &g)) &&
	    !(rc = sh_gap_needs(g, optional, &need, &nneed)) &&
	    !(rc = sh_plan_courses(need, nneed, courses.v, courses.n, opts, &plan)) &&
	    !(*out = sh_plan_answer_json(req->idx, g, plan, &courses, lang)))
		rc = sh_error(SH_ENOMEM, "out of memory (plan)");
	sh_plan_free(plan);
	free(need);
	sh_gap_free(g);
	sh_pathways_free(pw);
	sh_course_list_free(&courses);
	return rc;
}

/* `serve --sectors FILE`; NULL: none. */
static const char *sectors_file;

void sh_pathways_web_set_sectors(const char *file)
{
	sectors_file = file;
}

int sh_pathways_web_transitions(sh_request *req, sh_cid from, size_t limit, int plan, const char *lang,
                                json_t **out)
{
	sh_pathways *pw = NULL;
	sh_course_list courses = { 0 };
	sh_sectors *sectors = NULL;
	sh_plan_opts opts = { .budget = -1, .max_ms = SH_TRANSITION_PLAN_MAX_MS };
	int rc = plan ? load_courses(req->idx, lang, &courses) : SH_OK;
	rc = rc || !sectors_file ? rc : sh_sectors_load(&sectors, req->idx, sectors_file);
	rc = rc ? rc : sh_pathways_new(&pw, req->idx);
	sh_transitions_json_opts o = { limit, plan ? &courses : NULL, &opts, sectors, lang };
	rc = rc ? rc : sh_transitions_to_json(pw, req->idx, from, &o, out);
	sh_pathways_free(pw);
	sh_sectors_free(sectors);
	sh_course_list_free(&courses);
	return rc;
}

int sh_pathways_web_workforce(sh_request *req, const sh_headcount *cur, size_t ncur, const sh_headcount *tgt,
                              size_t ntgt, const sh_plan_opts *opts, const char *lang, json_t **out)
{
	sh_pathways *pw = NULL;
	sh_workforce *w = NULL;
	sh_course_list courses;
	int rc = load_courses(req->idx, lang, &courses);
	if (rc)
		return rc;
	sh_workforce_opts o = { courses.n ? courses.v : NULL, courses.n, opts };
	if (!(rc = sh_pathways_new(&pw, req->idx)) && !(rc = sh_workforce_plan(pw, cur, ncur, tgt, ntgt, &o, &w)) &&
	    !(*out = sh_workforce_to_json(req->idx, w, &courses, lang)))
		rc = sh_error(SH_ENOMEM, "out of memory (workforce)");
	sh_workforce_free(w);
	sh_pathways_free(pw);
	sh_course_list_free(&courses);
	return rc;
}

/* ---- GET /api/v1/occupations/{id}/transitions ---------------------------- */

int sh_api_occupation_transitions(sh_request *req)
{
	sh_cid from;
	size_t limit, plan;
	json_t *o;
	int rc = sh_param_concept(req, 0, &from);
	if (rc)
		return rc;
	if (sh_concept_kind(req->idx, from) != SH_KIND_OCCUPATION)
		return sh_reply_problem(req, 404, "not-found", NULL, "'%s' is not an occupation", req->arg[0]);
	if ((rc = sh_param_size(req, "limit", 10, 1, TRANSITIONS_MAX_LIMIT, &limit)) ||
	    (rc = sh_param_size(req, "plan", 0, 0, 1, &plan)) ||
	    (rc = sh_pathways_web_transitions(req, from, limit, plan == 1, req->lang, &o)))
		return rc;
	return reply_json(req, o);
}

/* ---- body members ----------------------------------------------------------- */

/* "lang": a language of the index (default the request's). */
static int read_lang(sh_request *req, const json_t *doc, const char **lang)
{
	const json_t *v = json_object_get(doc, "lang");
	*lang = req->lang;
	if (v && (!json_is_string(v) || !(*lang = sh_index_language(req->idx, json_string_value(v)))))
		return sh_reply_problem(req, 400, "invalid-member", "lang",
		                        "'lang' must be a language code of the index (see /api/v1/languages)");
	return SH_OK;
}

/* A member naming an occupation: 400 when not a string, 404 when no occupation. */
static int read_occupation(sh_request *req, const json_t *v, const char *member, sh_cid *out)
{
	if (!json_is_string(v))
		return sh_reply_problem(req, 400, "invalid-member", member, "'%s' must be an occupation URI (a string)",
		                        member);
	if (!sh_pathways_web_occupation(req->idx, json_string_value(v), out))
		return sh_reply_problem(req, 404, "not-found", member, "%s: no occupation '%s' in the taxonomy", member,
		                        json_string_value(v));
	return SH_OK;
}

/*
 * With "stored_profile": true, the signed-in account's stored skills into p
 * and its target and preferences into *prefs; 401 when anonymous.
 */
static int add_stored(sh_request *req, const json_t *stored, sh_profile *p, sh_profile_prefs *prefs)
{
	sh_db *db;
	sh_profile *mine;
	const sh_profile_skill *s;
	if (!json_is_true(stored))
		return SH_OK;
	int rc = sh_require_role(req, SH_PROFILE_ROLES);
	rc = rc ? rc : sh_dbconn_get(&db);
	rc = rc ? rc : sh_profile_store_load(db, req->idx, req->account->id, &mine, prefs);
	if (rc)
		return rc;
	size_t n = sh_profile_skills(mine, &s);
	for (size_t i = 0; !rc && i < n; i++)
		rc = sh_profile_add(p, s[i].skill, s[i].level, s[i].source);
	sh_profile_free(mine);
	return rc;
}

/*
 * The profile of the "profile", "from_occupation", "cv" and "stored_profile"
 * members (they add up; one is required).  *stored receives the stored
 * profile's target and preferences (none, budget -1, without it).
 */
static int read_profile(sh_request *req, const json_t *doc, const char *lang, sh_profile **out,
                        sh_profile_prefs *stored_prefs)
{
	const json_t *prof = json_object_get(doc, "profile"), *from = json_object_get(doc, "from_occupation"),
	             *cv = json_object_get(doc, "cv"), *stored = json_object_get(doc, "stored_profile");
	sh_profile *p;
	sh_extractor *x;
	sh_cid c;
	int rc;
	*out = NULL;
	memset(stored_prefs, 0, sizeof *stored_prefs);
	stored_prefs->budget = -1;
	if (stored && !json_is_boolean(stored))
		return sh_reply_problem(req, 400, "invalid-member", "stored_profile", "'stored_profile' must be true or false");
	if (!prof && !from && !cv && !json_is_true(stored))
		return sh_reply_problem(req, 400, "invalid-member", "profile",
		                        "give the profile: 'profile', 'from_occupation', 'cv' or 'stored_profile'");
	if (prof && !json_is_object(prof))
		return sh_reply_problem(req, 400, "invalid-member", "profile",
		                        "'profile' must be an object {\"skills\": [{\"uri\", \"level\"}]}");
	if (cv && !json_is_string(cv))
		return sh_reply_problem(req, 400, "invalid-member", "cv", "'cv' must be a string (the CV text)");
	if (from && (rc = read_occupation(req, from, "from_occupation", &c)))
		return rc;
	if ((rc = sh_profile_new(&p)))
		return rc;
	if (prof) {
		char *text = json_dumps(prof, JSON_COMPACT);
		if (!text)
			rc = sh_error(SH_ENOMEM, "out of memory (profile)");
		else if (sh_profile_load_json(p, req->idx, text, "profile"))
			rc = sh_reply_problem(req, 400, "invalid-member", "profile", "%s", sh_errmsg());
		free(text);
	}
	if (!rc && from)
		rc = sh_profile_add_occupation(p, req->idx, c, 0);
	if (!rc && cv && !(rc = sh_request_extractor(req, &x)))
		rc = sh_profile_add_text(p, x, json_string_value(cv), json_string_length(cv), lang);
	if (!rc)
		rc = add_stored(req, stored, p, stored_prefs);
	if (rc) {
		sh_profile_free(p);
		return rc;
	}
	*out = p;
	return SH_OK;
}

/* An optional string member into *out. */
static int read_string(sh_request *req, const json_t *doc, const char *member, const char **out)
{
	const json_t *v = json_object_get(doc, member);
	if (v && !json_is_string(v))
		return sh_reply_problem(req, 400, "invalid-member", member, "'%s' must be a string", member);
	*out = v ? json_string_value(v) : NULL;
	return SH_OK;
}

/* An optional non-negative number member into *out (unchanged when absent). */
static int read_amount(sh_request *req, const json_t *doc, const char *member, double *out)
{
	const json_t *v = json_object_get(doc, member);
	if (!v)
		return SH_OK;
	if (!json_is_number(v) || !(json_number_value(v) >= 0))
		return sh_reply_problem(req, 400, "invalid-member", member, "'%s' must be a non-negative number", member);
	*out = json_number_value(v);
	return SH_OK;
}

/* The course constraints: language, region, mode, from, to, budget, hour_cost. */
static int read_constraints(sh_request *req, const json_t *doc, sh_plan_opts *o)
{
	static const char *const dates[] = { "from", "to" };
	int rc;
	memset(o, 0, sizeof *o);
	o->budget = -1;
	if ((rc = read_string(req, doc, "language", &o->language)) || (rc = read_string(req, doc, "region", &o->region)) ||
	    (rc = read_string(req, doc, "mode", &o->mode)) || (rc = read_string(req, doc, "from", &o->from)) ||
	    (rc = read_string(req, doc, "to", &o->to)) || (rc = read_amount(req, doc, "budget", &o->budget)) ||
	    (rc = read_amount(req, doc, "hour_cost", &o->hour_cost)))
		return rc;
	for (size_t i = 0; i < 2; i++) {
		const char *d = i ? o->to : o->from;
		if (d && !sh_course_date_valid(d))
			return sh_reply_problem(req, 400, "invalid-member", dates[i], "'%s' must be a date YYYY-MM-DD, got '%s'",
			                        dates[i], d);
	}
	return SH_OK;
}

/* Reads and answers one body with fn (which may reply with a problem instead). */
static int answer(sh_request *req, int (*fn)(sh_request *, const json_t *))
{
	json_t *doc;
	int rc = sh_json_body(req, &doc);
	if (rc)
		return rc;
	rc = fn(req, doc);
	json_decref(doc);
	return rc;
}

/* ---- POST /api/v1/gap and /api/v1/plan ----------------------------------- */

/* "target" (required unless the stored profile has one), the profile and the stored preferences. */
static int read_target_and_profile(sh_request *req, const json_t *doc, const char *lang, sh_cid *target,
                                   sh_profile **p, sh_profile_prefs *stored)
{
	const json_t *t = json_object_get(doc, "target");
	int rc;
	if (!t && !json_is_true(json_object_get(doc, "stored_profile")))
		return sh_reply_problem(req, 400, "invalid-member", "target", "'target' (an occupation URI) is required");
	if ((t && (rc = read_occupation(req, t, "target", target))) || (rc = read_profile(req, doc, lang, p, stored)))
		return rc;
	if (t)
		return SH_OK;
	if (stored->has_target) {
		*target = stored->target;
		return SH_OK;
	}
	sh_profile_free(*p);
	*p = NULL;
	return sh_reply_problem(req, 400, "invalid-member", "target",
	                        "'target' is required: the stored profile names no occupation aimed at");
}

static int gap_body(sh_request *req, const json_t *doc)
{
	const char *lang;
	sh_cid target;
	sh_profile_prefs stored;
	sh_profile *p;
	json_t *o;
	int rc;
	if ((rc = sh_json_check_members(req, doc, "profile from_occupation cv stored_profile target lang", "")) ||
	    (rc = read_lang(req, doc, &lang)) || (rc = read_target_and_profile(req, doc, lang, &target, &p, &stored)))
		return rc;
	rc = sh_pathways_web_gap(req, p, target, lang, &o);
	sh_profile_free(p);
	return rc ? rc : reply_json(req, o);
}

int sh_api_gap(sh_request *req)
{
	return answer(req, gap_body);
}

static int plan_body(sh_request *req, const json_t *doc)
{
	const char *lang;
	const json_t *optional = json_object_get(doc, "optional");
	sh_cid target;
	sh_plan_opts opts;
	sh_profile_prefs stored;
	sh_profile *p;
	json_t *o;
	int rc;
	if ((rc = sh_json_check_members(req, doc, "profile from_occupation cv stored_profile target lang optional "
	                                "language region mode from to budget hour_cost", "")) ||
	    (rc = read_lang(req, doc, &lang)) || (rc = read_constraints(req, doc, &opts)))
		return rc;
	if (optional && !json_is_boolean(optional))
		return sh_reply_problem(req, 400, "invalid-member", "optional", "'optional' must be true or false");
	if ((rc = read_target_and_profile(req, doc, lang, &target, &p, &stored)))
		return rc;
	if (!opts.language && *stored.language)
		opts.language = stored.language;
	if (!opts.region && *stored.region)
		opts.region = stored.region;
	if (!json_object_get(doc, "budget"))
		opts.budget = stored.budget;
	rc = sh_pathways_web_plan(req, p, target, &opts, json_is_true(optional), lang, &o);
	sh_profile_free(p);
	return rc ? rc : reply_json(req, o);
}

int sh_api_plan(sh_request *req)
{
	return answer(req, plan_body);
}

/* ---- POST /api/v1/workforce ---------------------------------------------- */

static int workforce_body(sh_request *req, const json_t *doc)
{
	static const char *const members[] = { "current", "target" };
	const char *lang;
	sh_plan_opts opts;
	sh_headcount *count[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 };
	json_t *o;
	int rc;
	if ((rc = sh_json_check_members(req, doc, "current target lang language region mode from to budget hour_cost",
	                                "")) ||
	    (rc = read_lang(req, doc, &lang)) || (rc = read_constraints(req, doc, &opts)))
		return rc;
	for (size_t i = 0; !rc && i < 2; i++) {
		int bad = sh_headcounts_from_json(req->idx, doc, members[i], "body", &count[i], &n[i]);
		if (bad == SH_ENOTFOUND)
			rc = sh_reply_problem(req, 404, "not-found", members[i], "%s", sh_errmsg());
		else if (bad == SH_EFORMAT)
			rc = sh_reply_problem(req, 400, "invalid-member", members[i], "%s", sh_errmsg());
		else
			rc = bad;
	}
	if (!rc)
		rc = sh_pathways_web_workforce(req, count[0], n[0], count[1], n[1], &opts, lang, &o);
	free(count[0]);
	free(count[1]);
	return rc ? rc : reply_json(req, o);
}

int sh_api_workforce(sh_request *req)
{
	return answer(req, workforce_body);
}
