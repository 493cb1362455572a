/*
 * catalogue/rules.c - the quality rules engine and the review workflow.
 *
 * The rule file (rules/quality-rules.json, docs/catalogue.md) is data: a
 * version and a list of rules, each {"id", "type", "severity", "fix", ...}
 * with the parameters of its type.  The types are the checks implemented
 * below (required, range, schedule, requires, prefix, codes, nuts,
 * min_skills, outcome_verbs, credits_hours, duplicate); the alliance adds,
 * removes, re-parameterises and re-grades rules without touching code.  A
 * file with an unknown type or a missing parameter is refused when loaded,
 * naming the rule, so a typo cannot silently disable a check.
 *
 * A rule reports findings {course, field, rule, severity, message, fix};
 * findings of severity "error" block approval.  The version of the rule set
 * that last re-evaluated the approved courses is kept in meta
 * (catalogue_rules_version); a different version triggers a re-evaluation
 * that flags failing approved courses (course.flagged) and never deletes.
 *
 * Checking the whole catalogue must stay fast (100,000 courses in seconds,
 * bench/catalogue.sh): what does not depend on the course is done once -
 * code lists become hash sets and verb lists sets of normal forms when the
 * file is loaded; the course loader's statements, the providers by ref and
 * the titles index of the duplicate rule (titles.c) once per check - and
 * all the reads run in one read transaction.
 */
#include "catalogue/catalogue.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "skillhub/text.h"

/*
 * What checking many courses needs once rather than per course: the
 * course loader's statements, the providers by ref, the min_skills
 * statement and, when a duplicate rule exists, the titles index.
 */
typedef struct checker {
	sh_db        *db;
	cat_loader   *loader;
	json_t       *providers;   /* ref -> provider object (exchange shape) */
	sqlite3_stmt *min_skills;  /* ? = course id: its accepted released ESCO skills */
	cat_titles   *titles;      /* NULL when the rule set has no duplicate rule */
} checker;

/* One check: the parameters it needs (validated at load) and its function. */
typedef struct rule_ctx {
	checker *chk;
	int64_t  id;
	json_t  *course;
	json_t  *provider;  /* the provider object (exchange shape) or NULL */
	json_t  *findings;
	size_t   nerrors;
	json_t  *set;       /* the current rule's lookup set (see rule_set()) or NULL */
} rule_ctx;

typedef void (*rule_fn)(rule_ctx *ctx, json_t *rule);

typedef struct rule_type {
	const char *name;
	const char *params[3];  /* required members besides id/type/severity */
	rule_fn     run;
} rule_type;

/* A rule of the file with what loading derived from it once. */
typedef struct rule_def {
	json_t          *json;  /* borrowed from sh_rules.root */
	const rule_type *type;
	json_t          *set;   /* codes/nuts: {code: true}; outcome_verbs: {lang: {verb: true}}; else NULL */
} rule_def;

struct sh_rules {
	json_t   *root;
	json_t   *rules;     /* borrowed from root */
	char     *version;
	rule_def *defs;      /* one per rule, in file order */
	size_t    ndefs;
	int       duplicate; /* 1: a rule of type duplicate exists */
};

static const char *rstr(json_t *rule, const char *key)
{
	return json_string_value(json_object_get(rule, key));
}

static void finding(rule_ctx *ctx, json_t *rule, const char *field, const char *fix_default,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void finding(rule_ctx *ctx, json_t *rule, const char *field, const char *fix_default,
                    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *severity = rstr(rule, "severity");
	const char *fix = rstr(rule, "fix") ? rstr(rule, "fix") : fix_default;
	json_array_append_new(ctx->findings, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
		"course", json_string_value(json_object_get(ctx->course, "id")), "field", field,
		"rule", rstr(rule, "id"), "severity", severity, "message", msg, "fix", fix));
	if (!strcmp(severity, "error"))
		ctx->nerrors++;
}

/* The value of a field name of the rule file: scalar members, "title"/"description" (any language),
 * list members, "provider.country". NULL when absent or empty. */
static json_t *field_value(rule_ctx *ctx, const char *name)
{
	if (!strcmp(name, "title") || !strcmp(name, "description")) {
		const char *lang;
		json_t *t;
		json_object_foreach(json_object_get(ctx->course, "texts"), lang, t) {
			json_t *v = json_object_get(t, name);
			if (json_is_string(v) && *json_string_value(v))
				return v;
		}
		return NULL;
	}
	if (!strncmp(name, "provider.", 9))
		return json_object_get(ctx->provider, name + 9);
	json_t *v = json_object_get(ctx->course, name);
	if (json_is_array(v) && json_array_size(v) == 0)
		return NULL;
	if (json_is_string(v) && !*json_string_value(v))
		return NULL;
	return v;
}

/* ---- rule types ------------------------------------------------------ */

static void rule_required(rule_ctx *ctx, json_t *rule)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(rule, "fields"), i, f)
		if (!field_value(ctx, json_string_value(f)))
			finding(ctx, rule, json_string_value(f), "fill in the field",
			        "required field \"%s\" is missing", json_string_value(f));
}

static void rule_range(rule_ctx *ctx, json_t *rule)
{
	const char *field = rstr(rule, "field");
	json_t *v = field_value(ctx, field);
	if (!json_is_number(v))
		return; /* absence is the business of "required" */
	double x = json_number_value(v);
	json_t *min = json_object_get(rule, "min"), *max = json_object_get(rule, "max");
	json_t *above = json_object_get(rule, "above");
	if ((min && x < json_number_value(min)) || (max && x > json_number_value(max))
	    || (above && x <= json_number_value(above))) {
		char range[96];
		if (above)
			snprintf(range, sizeof range, "greater than %g", json_number_value(above));
		else
			snprintf(range, sizeof range, "between %g and %g", min ? json_number_value(min) : -INFINITY,
			         max ? json_number_value(max) : INFINITY);
		finding(ctx, rule, field, "correct the value", "%s is %g; it must be %s", field, x, range);
	}
}

static void rule_schedule(rule_ctx *ctx, json_t *rule)
{
	const char *start = json_string_value(json_object_get(ctx->course, "start"));
	const char *end = json_string_value(json_object_get(ctx->course, "end"));
	if (!start && !json_is_true(json_object_get(ctx->course, "self_paced")))
		finding(ctx, rule, "start", "give a start date or set self_paced",
		        "no start date and the course is not self-paced");
	if (start && end && strcmp(end, start) < 0)
		finding(ctx, rule, "end", "correct the dates", "end %s is before start %s", end, start);
}

static void rule_requires(rule_ctx *ctx, json_t *rule)
{
	const char *field = rstr(rule, "field"), *needs = rstr(rule, "requires");
	if (field_value(ctx, field) && !field_value(ctx, needs))
		finding(ctx, rule, needs, "fill in the field", "\"%s\" is given but \"%s\" is missing", field, needs);
}

static int in_string_array(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (s && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

static void rule_prefix(rule_ctx *ctx, json_t *rule)
{
	const char *field = rstr(rule, "field");
	json_t *v = field_value(ctx, field);
	if (!json_is_string(v))
		return;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rule, "prefixes"), i, p)
		if (!strncmp(json_string_value(v), json_string_value(p), strlen(json_string_value(p))))
			return;
	finding(ctx, rule, field, "correct the value", "%s \"%s\" does not start with an accepted prefix",
	        field, json_string_value(v));
}

/* Each code of field (a string, or every element of a list, or for "languages" also the
 * languages of texts and outcomes) must be in the rule's list. */
static void rule_codes(rule_ctx *ctx, json_t *rule)
{
	const char *field = rstr(rule, "field");
	json_t *v = field_value(ctx, field), *e;
	json_t *seen = json_array();
	size_t i;
	if (json_is_string(v))
		json_array_append(seen, v);
	json_array_foreach(json_is_array(v) ? v : NULL, i, e)
		json_array_append(seen, e);
	if (!strcmp(field, "languages")) {
		const char *lang;
		json_object_foreach(json_object_get(ctx->course, "texts"), lang, e)
			json_array_append_new(seen, json_string(lang));
		json_array_foreach(json_object_get(ctx->course, "outcomes"), i, e)
			json_array_append(seen, json_object_get(e, "lang"));
	}
	json_t *reported = json_array();
	json_array_foreach(seen, i, e) {
		const char *code = json_string_value(e);
		if (code && !json_object_get(ctx->set, code) && !in_string_array(reported, code)) {
			finding(ctx, rule, field, "use a code of the rule file's list",
			        "\"%s\" is not a valid code for %s", code, field);
			json_array_append(reported, e);
		}
	}
	json_decref(reported);
	json_decref(seen);
}

/* NUTS code: two capital letters (a NUTS country code of the list) and up to three more
 * letters or digits. */
static void rule_nuts(rule_ctx *ctx, json_t *rule)
{
	const char *field = rstr(rule, "field");
	const char *s = json_string_value(field_value(ctx, field));
	if (!s)
		return;
	size_t n = strlen(s);
	int ok = n >= 2 && n <= 5;
	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= 'A' && s[i] <= 'Z') || (i >= 2 && s[i] >= '0' && s[i] <= '9');
	char country[3] = { s[0], n > 1 ? s[1] : 0, 0 };
	if (!ok || !json_object_get(ctx->set, country))
		finding(ctx, rule, field, "use a NUTS code such as DE91 (country code + up to 3 characters)",
		        "\"%s\" is not a NUTS region code", s);
}

static void rule_min_skills(rule_ctx *ctx, json_t *rule)
{
	int64_t min = json_integer_value(json_object_get(rule, "min")), n = 0;
	sqlite3_stmt *st = ctx->chk->min_skills;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, ctx->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (n < min)
		finding(ctx, rule, "skills", "accept proposed skills (skillhub courses skills COURSE --accept URI)",
		        "%lld accepted released ESCO skill%s, at least %lld needed", (long long)n, n == 1 ? "" : "s",
		        (long long)min);
}

/* First word of text in normal form (case and accents folded); caller frees. */
static char *first_word(const char *text)
{
	char *norm = NULL;
	if (sh_normalize(text, strlen(text), SH_NORM_FOLD_ACCENTS, &norm))
		return NULL;
	char *space = strchr(norm, ' ');
	if (space)
		*space = '\0';
	return norm;
}

static void rule_outcome_verbs(rule_ctx *ctx, json_t *rule)
{
	json_t *o;
	size_t i;
	json_array_foreach(json_object_get(ctx->course, "outcomes"), i, o) {
		json_t *verbs = json_object_get(ctx->set, json_string_value(json_object_get(o, "lang")));
		if (!verbs)
			continue; /* no verb list for this language: not checked */
		char *w = first_word(json_string_value(json_object_get(o, "text")));
		int ok = w && json_object_get(verbs, w);
		if (!ok) {
			char field[32];
			snprintf(field, sizeof field, "outcomes[%zu]", i);
			finding(ctx, rule, field, "start the outcome with an action verb (\"Diagnose ...\", \"Apply ...\")",
			        "outcome \"%.80s\" does not start with an action verb of the %s list",
			        json_string_value(json_object_get(o, "text")),
			        json_string_value(json_object_get(o, "lang")));
		}
		free(w);
	}
}

static void rule_credits_hours(rule_ctx *ctx, json_t *rule)
{
	json_t *ects = json_object_get(ctx->course, "ects"), *hours = json_object_get(ctx->course, "hours");
	if (!json_is_number(ects) || !json_is_number(hours) || json_number_value(ects) <= 0)
		return;
	double e = json_number_value(ects), h = json_number_value(hours);
	double lo = json_number_value(json_object_get(rule, "min_hours_per_ects"));
	double hi = json_number_value(json_object_get(rule, "max_hours_per_ects"));
	if (h < e * lo || h > e * hi)
		finding(ctx, rule, "ects", "make ECTS and hours agree or correct the hours",
		        "%g ECTS for %g hours is %.1f h per ECTS; expected %g-%g", e, h, h / e, lo, hi);
}

static void rule_duplicate(rule_ctx *ctx, json_t *rule)
{
	cat_title_match *m;
	size_t n;
	if (!ctx->chk->titles
	    || cat_titles_similar(ctx->chk->titles, ctx->id, json_string_value(json_object_get(ctx->course, "provider")),
	                          json_object_get(ctx->course, "texts"),
	                          json_number_value(json_object_get(rule, "similarity")), &m, &n))
		return;
	for (size_t i = 0; i < n; i++)
		finding(ctx, rule, "title", "merge the courses or make the titles say how they differ",
		        "title \"%s\" is %.0f%% similar to \"%s\" of course %s by the same provider",
		        m[i].mine, 100 * m[i].similarity, m[i].title, m[i].ref);
	free(m);
}

static const rule_type rule_types[] = {
	{ "required",      { "fields", NULL, NULL },                                 rule_required },
	{ "range",         { "field", NULL, NULL },                                  rule_range },
	{ "schedule",      { NULL, NULL, NULL },                                     rule_schedule },
	{ "requires",      { "field", "requires", NULL },                            rule_requires },
	{ "prefix",        { "field", "prefixes", NULL },                            rule_prefix },
	{ "codes",         { "field", "codes", NULL },                               rule_codes },
	{ "nuts",          { "field", "countries", NULL },                           rule_nuts },
	{ "min_skills",    { "min", NULL, NULL },                                    rule_min_skills },
	{ "outcome_verbs", { "verbs", NULL, NULL },                                  rule_outcome_verbs },
	{ "credits_hours", { "min_hours_per_ects", "max_hours_per_ects", NULL },     rule_credits_hours },
	{ "duplicate",     { "similarity", NULL, NULL },                             rule_duplicate },
};

static const rule_type *type_named(const char *name)
{
	for (size_t i = 0; name && i < sizeof rule_types / sizeof rule_types[0]; i++)
		if (!strcmp(rule_types[i].name, name))
			return &rule_types[i];
	return NULL;
}

/* ---- loading --------------------------------------------------------- */

/* {string: true} of the strings of arr, for lookups in constant time. */
static json_t *string_set(json_t *arr)
{
	json_t *set = json_object(), *v;
	size_t i;
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			json_object_set_new(set, json_string_value(v), json_true());
	return set;
}

/*
 * What a rule's checks look up, derived once: the codes of a codes rule,
 * the countries of a nuts rule, and per language the first words (in
 * normal form) of the verbs of an outcome_verbs rule.
 */
static json_t *rule_set(const rule_type *t, json_t *rule)
{
	if (t->run == rule_codes)
		return string_set(json_object_get(rule, "codes"));
	if (t->run == rule_nuts)
		return string_set(json_object_get(rule, "countries"));
	if (t->run != rule_outcome_verbs)
		return NULL;
	json_t *set = json_object(), *list, *v;
	const char *lang;
	json_object_foreach(json_object_get(rule, "verbs"), lang, list) {
		json_t *words = json_object();
		size_t i;
		json_array_foreach(list, i, v) {
			char *verb = first_word(json_string_value(v));
			if (verb)
				json_object_set_new(words, verb, json_true());
			free(verb);
		}
		json_object_set_new(set, lang, words);
	}
	return set;
}

int sh_rules_load(sh_rules **out, const char *path)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);
	if (!root)
		return sh_error(err.line > 0 ? SH_EFORMAT : SH_EIO, "%s:%d: %s", path, err.line, err.text);
	int rc = SH_OK;
	json_t *rules = json_object_get(root, "rules");
	if (!json_is_string(json_object_get(root, "version")) || !json_is_array(rules))
		rc = sh_error(SH_EFORMAT, "%s: expected {\"version\": \"...\", \"rules\": [...]}", path);
	size_t i;
	json_t *r;
	json_array_foreach(rc ? NULL : rules, i, r) {
		const rule_type *t = type_named(rstr(r, "type"));
		const char *sev = rstr(r, "severity");
		if (!rstr(r, "id"))
			rc = sh_error(SH_EFORMAT, "%s: rules[%zu]: missing \"id\"", path, i);
		else if (!t)
			rc = sh_error(SH_EFORMAT, "%s: rule %s: unknown type \"%s\"", path, rstr(r, "id"),
			              rstr(r, "type") ? rstr(r, "type") : "");
		else if (!sev || (strcmp(sev, "error") && strcmp(sev, "warning")))
			rc = sh_error(SH_EFORMAT, "%s: rule %s: severity must be \"error\" or \"warning\"", path, rstr(r, "id"));
		for (size_t k = 0; !rc && k < 3 && t->params[k]; k++)
			if (!json_object_get(r, t->params[k]))
				rc = sh_error(SH_EFORMAT, "%s: rule %s: type %s needs \"%s\"", path, rstr(r, "id"),
				              t->name, t->params[k]);
		if (rc)
			break;
	}
	sh_rules *rs = rc ? NULL : calloc(1, sizeof *rs);
	if (!rc && (!rs || !(rs->version = strdup(json_string_value(json_object_get(root, "version"))))
	            || !(rs->defs = calloc(json_array_size(rules) + 1, sizeof *rs->defs))))
		rc = sh_error(SH_ENOMEM, "out of memory");
	if (rs)
		rs->root = root;
	json_array_foreach(rc ? NULL : rules, i, r) {
		rule_def *d = &rs->defs[rs->ndefs++];
		d->json = r;
		d->type = type_named(rstr(r, "type"));
		d->set = rule_set(d->type, r);
		rs->duplicate |= d->type->run == rule_duplicate;
	}
	if (rc) {
		if (rs)
			sh_rules_free(rs);
		else
			json_decref(root);
		return rc;
	}
	rs->rules = rules;
	*out = rs;
	return SH_OK;
}

void sh_rules_free(sh_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndefs; i++)
		json_decref(r->defs[i].set);
	free(r->defs);
	json_decref(r->root);
	free(r->version);
	free(r);
}

const char *sh_rules_version(const sh_rules *r)
{
	return r->version;
}

/* ---- checking -------------------------------------------------------- */

static void checker_free(checker *chk)
{
	cat_loader_free(chk->loader);
	json_decref(chk->providers);
	sqlite3_finalize(chk->min_skills);
	cat_titles_free(chk->titles);
}

/*
 * Prepares the checking of the courses ids: the titles index covers every
 * provider when there are several courses, else the provider of the one.
 */
static int checker_init(checker *chk, sh_db *db, const sh_rules *rules, json_t *ids)
{
	memset(chk, 0, sizeof *chk);
	chk->db = db;
	json_t *all = NULL;
	int rc = cat_loader_new(db, &chk->loader);
	if (!rc)
		rc = cat_providers_load(db, &all);
	if (!rc && !(chk->providers = json_object()))
		rc = sh_error(SH_ENOMEM, "out of memory");
	size_t i;
	json_t *p;
	json_array_foreach(rc ? NULL : all, i, p)
		json_object_set(chk->providers, json_string_value(json_object_get(p, "id")), p);
	json_decref(all);
	if (!rc)
		rc = sh_db_prepare(db, &chk->min_skills,
			"SELECT count(*) FROM course_skill s JOIN concept k ON k.id = s.skill WHERE s.course = ?"
			" AND s.origin = 'accepted' AND k.kind = 'skill' AND k.status = 'released'");
	if (!rc && rules->duplicate && json_array_size(ids)) {
		json_t *one = NULL;
		if (json_array_size(ids) == 1)
			rc = cat_loader_load(chk->loader, json_integer_value(json_array_get(ids, 0)), &one);
		if (!rc)
			rc = cat_titles_build(db, one ? json_string_value(json_object_get(one, "provider")) : NULL,
			                      &chk->titles);
		json_decref(one);
	}
	if (rc)
		checker_free(chk);
	return rc;
}

/* Runs every rule over course id; appends to findings. */
static int check_course(checker *chk, const sh_rules *rules, int64_t id, json_t *findings, size_t *nerrors)
{
	json_t *course;
	int rc = cat_loader_load(chk->loader, id, &course);
	if (rc)
		return rc;
	rule_ctx ctx = { chk, id, course, NULL, findings, 0, NULL };
	ctx.provider = json_object_get(chk->providers, json_string_value(json_object_get(course, "provider")));
	for (size_t i = 0; i < rules->ndefs; i++) {
		ctx.set = rules->defs[i].set;
		rules->defs[i].type->run(&ctx, rules->defs[i].json);
	}
	*nerrors += ctx.nerrors;
	json_decref(course);
	return SH_OK;
}

/* Ids of the course ref, or of all courses (approved only when approved_only). */
static int ids_for(sh_db *db, const char *ref, int approved_only, json_t **ids)
{
	*ids = json_array();
	if (ref) {
		int64_t id;
		int rc = cat_course_id(db, ref, &id);
		if (!rc)
			json_array_append_new(*ids, json_integer(id));
		return rc;
	}
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, approved_only ? "SELECT id FROM course WHERE status = 'approved' ORDER BY ref"
	                                              : "SELECT id FROM course ORDER BY ref");
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(*ids, json_integer(sqlite3_column_int64(st, 0)));
	sqlite3_finalize(st);
	return SH_OK;
}

static int check_ids(sh_db *db, const sh_rules *rules, json_t *ids, json_t *findings, size_t *nerrors)
{
	checker chk;
	int rc = checker_init(&chk, db, rules, ids);
	if (rc)
		return rc;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
		if ((rc = check_course(&chk, rules, json_integer_value(id), findings, nerrors)))
			break;
	checker_free(&chk);
	return rc;
}

int sh_courses_check(sh_db *db, const sh_rules *rules, const char *ref, char **out, size_t *nerrors)
{
	json_t *ids = NULL, *findings = json_array();
	*nerrors = 0;
	/* One read transaction (nested in the caller's, if any) for all the reads: no lock per statement. */
	int rc = sh_db_exec(db, "SAVEPOINT courses_check");
	if (rc)
		return rc;
	rc = ids_for(db, ref, 0, &ids);
	if (!rc)
		rc = check_ids(db, rules, ids, findings, nerrors);
	int released = sh_db_exec(db, "RELEASE courses_check");
	rc = rc ? rc : released;
	if (!rc && !(*out = json_dumps(findings, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	json_decref(ids);
	json_decref(findings);
	return rc;
}

/* Sets course.flagged (NULL clears) and audits a change. */
static int set_flag(checker *chk, int64_t id, const char *flag, const char *who)
{
	sh_db *db = chk->db;
	json_t *c;
	int rc = cat_loader_load(chk->loader, id, &c);
	if (rc)
		return rc;
	const char *old = json_string_value(json_object_get(c, "flagged"));
	if ((old || flag) && (!old || !flag || strcmp(old, flag))) {
		sqlite3_stmt *st;
		if (!(rc = sh_db_prepare(db, &st, "UPDATE course SET flagged = ? WHERE id = ?"))) {
			sqlite3_bind_text(st, 1, flag, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, id);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = sh_db_error(db, "flag course");
			sqlite3_finalize(st);
		}
		char entity[300];
		snprintf(entity, sizeof entity, "course:%s", json_string_value(json_object_get(c, "id")));
		if (!rc)
			rc = cat_audit(db, who, entity, "flagged", old, flag);
	}
	json_decref(c);
	return rc;
}

int sh_courses_recheck(sh_db *db, const sh_rules *rules, int force, size_t *nflagged)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st, "SELECT value FROM meta WHERE key = 'catalogue_rules_version'");
	if (rc)
		return rc;
	int same = sqlite3_step(st) == SQLITE_ROW
	           && !strcmp((const char *)sqlite3_column_text(st, 0), rules->version);
	sqlite3_finalize(st);
	*nflagged = 0;
	if (same && !force) {
		int64_t n;
		rc = sh_db_int64(db, "SELECT count(*) FROM course WHERE status = 'approved' AND flagged IS NOT NULL", &n);
		*nflagged = (size_t)n;
		return rc;
	}
	json_t *ids;
	if ((rc = sh_db_begin(db)))
		return rc;
	rc = ids_for(db, NULL, 1, &ids);
	checker chk;
	int ready = !rc && (rc = checker_init(&chk, db, rules, ids)) == SH_OK;
	char who[96], flag[160];
	snprintf(who, sizeof who, "rules %s", rules->version);
	size_t i;
	json_t *id;
	json_array_foreach(rc ? NULL : ids, i, id) {
		json_t *findings = json_array();
		size_t nerrors = 0;
		rc = check_course(&chk, rules, json_integer_value(id), findings, &nerrors);
		json_decref(findings);
		snprintf(flag, sizeof flag, "rules %s: %zu error%s", rules->version, nerrors, nerrors == 1 ? "" : "s");
		if (!rc)
			rc = set_flag(&chk, json_integer_value(id), nerrors ? flag : NULL, who);
		*nflagged += nerrors > 0;
		if (rc)
			break;
	}
	if (!rc && (rc = sh_db_prepare(db, &st,
		"INSERT INTO meta(key, value) VALUES('catalogue_rules_version', ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value")) == SH_OK) {
		sqlite3_bind_text(st, 1, rules->version, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "rules version");
		sqlite3_finalize(st);
	}
	json_decref(ids);
	if (ready)
		checker_free(&chk);
	if (!rc)
		rc = sh_db_commit(db);
	if (rc)
		sh_db_rollback(db);
	return rc;
}

/* ---- workflow -------------------------------------------------------- */

int cat_course_transition(sh_db *db, const sh_rules *rules, const char *ref, const char *action,
                          const char *who)
{
	static const struct {
		const char *action, *from1, *from2, *to;
	} moves[] = {
		{ "submit",  "draft",     "rejected", "submitted" },
		{ "approve", "submitted", NULL,       "approved" },
		{ "reject",  "submitted", "approved", "rejected" },
	};
	size_t m = 0;
	while (m < sizeof moves / sizeof moves[0] && strcmp(moves[m].action, action))
		m++;
	if (m == sizeof moves / sizeof moves[0])
		return sh_error(SH_EINVAL, "unknown action '%s' (submit, approve, reject)", action);
	int64_t id;
	json_t *c;
	int rc = cat_course_id(db, ref, &id);
	if (rc || (rc = cat_course_load(db, id, &c)))
		return rc;
	char status[16];
	snprintf(status, sizeof status, "%s", json_string_value(json_object_get(c, "status")));
	json_decref(c);
	if (strcmp(status, moves[m].from1) && (!moves[m].from2 || strcmp(status, moves[m].from2)))
		return sh_error(SH_EINVAL, "course %s is %s: cannot %s it (only from %s%s%s)", ref, status, action,
		                moves[m].from1, moves[m].from2 ? " or " : "", moves[m].from2 ? moves[m].from2 : "");
	if (!strcmp(action, "approve")) {
		json_t *ids = json_pack("[I]", (json_int_t)id), *findings = json_array();
		size_t nerrors = 0;
		rc = check_ids(db, rules, ids, findings, &nerrors);
		if (!rc && nerrors) {
			sh_buf msg = SH_BUF_INIT;
			size_t i;
			json_t *f;
			json_array_foreach(findings, i, f)
				if (!strcmp(rstr(f, "severity"), "error"))
					sh_buf_printf(&msg, "; %s: %s", rstr(f, "field"), rstr(f, "rule"));
			rc = sh_error(SH_EINVAL, "course %s has %zu error%s under rules %s, not approved%s", ref, nerrors,
			              nerrors == 1 ? "" : "s", rules->version, msg.data);
			sh_buf_free(&msg);
		}
		json_decref(ids);
		json_decref(findings);
		if (rc)
			return rc;
	}
	sqlite3_stmt *st;
	if (!(rc = sh_db_prepare(db, &st, "UPDATE course SET status = ?, flagged = NULL WHERE id = ?"))) {
		sqlite3_bind_text(st, 1, moves[m].to, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sh_db_error(db, "course status");
		sqlite3_finalize(st);
	}
	char entity[300];
	snprintf(entity, sizeof entity, "course:%s", ref);
	if (!rc)
		rc = cat_audit(db, who, entity, "status", status, moves[m].to);
	return rc;
}

int sh_course_transition(sh_db *db, const sh_rules *rules, const char *ref, const char *action,
                         const char *who)
{
	int rc = sh_db_begin(db);
	if (!rc)
		rc = cat_course_transition(db, rules, ref, action, who);
	if (!rc)
		rc = sh_db_commit(db);
	if (rc)
		sh_db_rollback(db);
	return rc;
}
