/*
 * server/pages_profile.c - the signed-in person's own pathway pages, over
 * the profile stored with their account (pathways/profile_store.c):
 *
 *   GET  /my/profile    my skills (level, source, a remove button each); add
 *                       skills by search (?q=, the site's autocomplete with
 *                       JavaScript, a plain form without) or from a pasted
 *                       CV; the occupation I aim at and my plan preferences;
 *                       download my data (JSON) and erase it
 *   POST /my/profile    one form per action (field `action`): add, remove,
 *                       cv (shows the skills found, to add; changes
 *                       nothing), target, erase; each carries the session's
 *                       CSRF token (field `csrf`) and answers 303 to
 *                       /my/profile once done
 *   GET  /my/pathways   "where can I go": occupations ranked by the
 *                       readiness my skills give (sh_profile_reachable),
 *                       each with "set as my target" and a link to its plan;
 *                       the closest one links to its transitions (/pathways)
 *   GET  /my/plan       "my plan": the gap to my target (or ?target=) and
 *                       the catalogue courses closing it in order, with hours
 *                       and cost, under my preferences; printable
 *
 * Anonymous visitors are sent to /login (sh_require_role); the stateless
 * /gap and /pathways pages stay open to them.  Gaps are weighted by ad
 * demand as on the API (pathways_web.h).  Form input is checked here and a
 * bad value answers the HTML error page naming the field.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/html.h"
#include "server/pathways_web.h"

enum {
	SEARCH_HITS   = 20,     /* skills listed for a search */
	REACH_MAX     = 20,     /* occupations on "where can I go" */
	CV_MAX_BYTES  = 65536,  /* a pasted CV */
	ADD_MAX_SKILLS = 200    /* skills one "add" form may carry */
};

static const char *const level_names[] = { "1", "0.75", "0.5", "0.25" };
static const char *const level_labels[] = { "fully proficient", "proficient", "some experience", "beginner" };

/* ---- pieces --------------------------------------------------------------- */

static int finish(sh_request *req, int rc)
{
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

/* <form method="post" action="/my/profile" class="CLASS"> with the csrf, action and lang fields. */
static int form_open(sh_buf *b, sh_request *req, const char *cls, const char *action)
{
	return sh_buf_printf(b, "<form method=\"post\" action=\"/my/profile\" class=\"%s\">", cls) ||
	       sh_html_csrf_field(req) || sh_html_hidden(b, "action", action) ||
	       sh_html_hidden(b, "lang", req->lang);
}

/* 303 to /my/profile in the request's language: the answer to a successful form. */
static int back_to_profile(sh_request *req)
{
	sh_buf path = SH_BUF_INIT;
	int rc = sh_buf_puts(&path, "/my/profile?lang=") || sh_http_encode(&path, req->lang)
	         ? sh_error(SH_ENOMEM, "out of memory") : sh_reply_redirect(req, path.data);
	sh_buf_free(&path);
	return rc;
}

/* <a href="/concept/ID?lang=L">label</a> of concept c. */
static int link(sh_request *req, sh_cid c)
{
	sh_buf *b = &req->body;
	return sh_buf_puts(b, "<a href=\"/concept/") || sh_http_encode(b, sh_concept_id(req->idx, c)) ||
	       sh_buf_puts(b, "?lang=") || sh_http_encode(b, req->lang) || sh_buf_puts(b, "\">") ||
	       sh_html_puts(b, sh_concept_label(req->idx, c, req->lang)) || sh_buf_puts(b, "</a>");
}

/* The signed-in account's database connection (read-write for POST) and stored profile. */
static int open_profile(sh_request *req, sh_db **db, sh_profile **p, sh_profile_prefs *prefs)
{
	int rc = sh_require_role(req, SH_PROFILE_ROLES);
	rc = rc ? rc : req->method == SH_METHOD_POST ? sh_dbconn_rw(db) : sh_dbconn_get(db);
	return rc ? rc : sh_profile_store_load(*db, req->idx, req->account->id, p, prefs);
}

static int held(const sh_profile *p, sh_cid c)
{
	const sh_profile_skill *s;
	size_t n = sh_profile_skills(p, &s);
	for (size_t i = 0; i < n; i++)
		if (s[i].skill == c)
			return 1;
	return 0;
}

/* ---- /my/profile: sections ---------------------------------------------------- */

static int skills_section(sh_request *req, const sh_profile *p)
{
	sh_buf *b = &req->body;
	const sh_profile_skill *s;
	size_t n = sh_profile_skills(p, &s);
	int rc = sh_buf_printf(b, "<section id=\"my-skills\"><h2>My skills (%zu)</h2>\n", n);
	if (!n)
		return rc || sh_buf_puts(b, "<p>No skills yet: add some below.</p>\n</section>\n");
	rc = rc || sh_buf_puts(b, "<table class=\"skills\"><thead><tr><th>Skill</th><th>Level</th><th>Source</th>"
	                          "<th><span class=\"noprint\">Remove</span></th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n && !rc; i++)
		rc = sh_buf_puts(b, "<tr><td>") || link(req, s[i].skill) ||
		     sh_buf_printf(b, "</td><td>%.0f%%</td><td>%s</td><td>", 100.0 * s[i].level,
		                   sh_skill_source_name(s[i].source)) ||
		     form_open(b, req, "inline noprint", "remove") ||
		     sh_html_hidden(b, "skill", sh_concept_id(req->idx, s[i].skill)) ||
		     sh_buf_puts(b, "<button type=\"submit\" aria-label=\"Remove ") ||
		     sh_html_puts(b, sh_concept_label(req->idx, s[i].skill, req->lang)) ||
		     sh_buf_puts(b, "\">Remove</button></form></td></tr>\n");
	return rc || sh_buf_puts(b, "</tbody></table>\n</section>\n");
}

/* The level select of the search form (level: the chosen one, "1" by default). */
static int level_select(sh_buf *b, const char *level)
{
	int rc = sh_buf_puts(b, "<div><label for=\"level\">Level of the skills you add</label><select id=\"level\" "
	                        "name=\"level\">");
	for (size_t i = 0; i < sizeof level_names / sizeof level_names[0] && !rc; i++)
		rc = sh_buf_printf(b, "<option value=\"%s\"%s>%s</option>", level_names[i],
		                   !strcmp(level, level_names[i]) ? " selected" : "", level_labels[i]);
	return rc || sh_buf_puts(b, "</select></div>\n");
}

/* One skill of a list with its "add" form (already held: said instead). */
static int add_item(sh_request *req, const sh_profile *p, sh_cid c, const char *level, const char *source)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<li>") || link(req, c);
	if (held(p, c))
		return rc || sh_buf_puts(b, " (in my profile)</li>\n");
	return rc || sh_buf_puts(b, " ") || form_open(b, req, "inline", "add") ||
	       sh_html_hidden(b, "skill", sh_concept_id(req->idx, c)) || sh_html_hidden(b, "level", level) ||
	       sh_html_hidden(b, "source", source) || sh_buf_puts(b, "<button type=\"submit\" aria-label=\"Add ") ||
	       sh_html_puts(b, sh_concept_label(req->idx, c, req->lang)) || sh_buf_puts(b, "\">Add</button></form></li>\n");
}

static int search_results(sh_request *req, const sh_profile *p, const char *q, const char *level)
{
	sh_search_hit hits[SEARCH_HITS];
	size_t n = 0;
	sh_search_opts opts = { SH_KIND_BIT(SH_KIND_SKILL) | SH_KIND_BIT(SH_KIND_SKILL_GROUP), req->lang, 0 };
	int rc = sh_search(req->idx, q, &opts, hits, SEARCH_HITS, &n);
	if (rc)
		return rc;
	sh_buf *b = &req->body;
	if (!n)
		return sh_buf_puts(b, "<p>No skill found. Try other words.</p>\n");
	rc = sh_buf_puts(b, "<ul class=\"concepts found\" aria-label=\"Skills found\">\n");
	for (size_t i = 0; i < n && !rc; i++)
		rc = add_item(req, p, hits[i].concept, level, "declared");
	return rc || sh_buf_puts(b, "</ul>\n");
}

static int add_section(sh_request *req, const sh_profile *p, const char *q, const char *level)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<section id=\"add-skills\" class=\"noprint\"><h2>Add skills</h2>\n"
	                        "<form class=\"search\" role=\"search\" method=\"get\" action=\"/my/profile\">\n"
	                        "<div class=\"q\"><label for=\"q\">Find a skill</label><input type=\"search\" id=\"q\" "
	                        "name=\"q\" list=\"suggestions\" autocomplete=\"off\" required maxlength=\"256\" value=\"") ||
	         sh_html_puts(b, q ? q : "") || sh_buf_puts(b, "\"><datalist id=\"suggestions\"></datalist></div>\n") ||
	         level_select(b, level) || sh_html_hidden(b, "lang", req->lang) ||
	         sh_buf_puts(b, "<button type=\"submit\">Search</button>\n</form>\n");
	if (!rc && q)
		rc = search_results(req, p, q, level);
	return rc || form_open(b, req, "analyse", "cv") ||
	       sh_buf_puts(b, "\n<div><label for=\"cv\">Or paste your CV: the skills named in it are listed for you to "
	                      "add</label><textarea id=\"cv\" name=\"cv\" rows=\"8\" maxlength=\"65536\" required>"
	                      "</textarea></div>\n") ||
	       sh_buf_puts(b, "<button type=\"submit\">Find skills in my CV</button>\n</form>\n</section>\n");
}

static int target_section(sh_request *req, const sh_profile_prefs *prefs)
{
	sh_buf *b = &req->body;
	char budget[32] = "";
	if (prefs->budget >= 0)
		snprintf(budget, sizeof budget, "%g", prefs->budget);
	int rc = sh_buf_puts(b, "<section id=\"my-target\"><h2>Where I want to go</h2>\n<p>");
	if (prefs->has_target)
		rc = rc || sh_buf_puts(b, "I aim at ") || link(req, prefs->target) ||
		     sh_buf_puts(b, ": <a href=\"/my/plan\">my plan</a>.");
	else
		rc = rc || sh_buf_puts(b, "No occupation chosen yet: see <a href=\"/my/pathways\">where I can go</a>.");
	rc = rc || sh_buf_puts(b, "</p>\n") || form_open(b, req, "analyse noprint", "target") ||
	     sh_buf_puts(b, "\n<div><label for=\"target\">Occupation I aim at (name, code or URI; empty: none)</label>"
	                    "<input id=\"target\" name=\"target\" maxlength=\"512\" value=\"") ||
	     sh_html_puts(b, prefs->has_target ? sh_concept_label(req->idx, prefs->target, req->lang) : "") ||
	     sh_buf_puts(b, "\"></div>\n<div><label for=\"language\">Courses taught in (ISO 639 code, e.g. de; empty: "
	                    "any)</label><input id=\"language\" name=\"language\" maxlength=\"3\" value=\"") ||
	     sh_html_puts(b, prefs->language) ||
	     sh_buf_puts(b, "\"></div>\n<div><label for=\"region\">Region (NUTS or country code, e.g. DE3; empty: "
	                    "anywhere)</label><input id=\"region\" name=\"region\" maxlength=\"15\" value=\"") ||
	     sh_html_puts(b, prefs->region) ||
	     sh_buf_puts(b, "\"></div>\n<div><label for=\"budget\">Budget for courses (empty: no limit)</label>"
	                    "<input id=\"budget\" name=\"budget\" inputmode=\"decimal\" maxlength=\"16\" value=\"") ||
	     sh_buf_puts(b, budget) || sh_buf_puts(b, "\"></div>\n") ||
	     sh_buf_puts(b, "<button type=\"submit\">Save</button>\n</form>\n</section>\n");
	return rc;
}

static int data_section(sh_request *req)
{
	sh_buf *b = &req->body;
	return sh_buf_puts(b, "<section id=\"my-data\" class=\"noprint\"><h2>My data</h2>\n<p>Your profile holds only "
	                      "the skills above (level, source, when added), the occupation you aim at and your "
	                      "preferences. <a href=\"/api/v1/me/profile\" download=\"skill-profile.json\">Download my "
	                      "profile (JSON)</a></p>\n") ||
	       form_open(b, req, "analyse", "erase") ||
	       sh_buf_puts(b, "\n<div><input type=\"checkbox\" id=\"confirm\" name=\"confirm\" value=\"yes\" required> "
	                      "<label for=\"confirm\" class=\"inline\">Yes, erase my skills, target and preferences "
	                      "(my account stays)</label></div>\n<button type=\"submit\">Erase my profile</button>\n"
	                      "</form>\n</section>\n");
}

/* ---- /my/profile: actions ------------------------------------------------------ */

/* The skill a form value names (an id, URI or code); 0 and a 400 reply when it names none. */
static int form_skill(sh_request *req, const char *ref, sh_cid *out)
{
	if (!sh_index_lookup(req->idx, ref, out)) {
		sh_kind k = sh_concept_kind(req->idx, *out);
		if (k == SH_KIND_SKILL || k == SH_KIND_SKILL_GROUP)
			return 1;
	}
	sh_reply_problem(req, 400, "invalid-parameter", "skill", "'%s' is not a skill of the taxonomy", ref);
	return 0;
}

static int add_action(sh_request *req, sh_db *db, const sh_http_query *f)
{
	const char *one = sh_pathways_field(f, "skill"), *many = sh_pathways_field(f, "skills");
	const char *level = sh_pathways_field(f, "level"), *source = sh_pathways_field(f, "source");
	char *end;
	double lv = level ? strtod(level, &end) : 1.0;
	if (level && (*end || !(lv >= 0 && lv <= 1)))
		return sh_reply_problem(req, 400, "invalid-parameter", "level", "'level' must be a number from 0 to 1");
	sh_skill_source src = source ? sh_skill_source_from_name(source) : SH_SOURCE_DECLARED;
	if (src != SH_SOURCE_DECLARED && src != SH_SOURCE_CV)
		return sh_reply_problem(req, 400, "invalid-parameter", "source", "'source' must be declared or cv");
	if (!one && !many)
		return sh_reply_problem(req, 400, "invalid-parameter", "skill", "no skill to add");
	char *list = strdup(many ? many : one);
	if (!list)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = SH_OK;
	size_t count = 0;
	for (char *save = NULL, *ref = strtok_r(list, " ", &save); ref && !rc; ref = strtok_r(NULL, " ", &save)) {
		sh_cid c;
		if (++count > ADD_MAX_SKILLS)
			rc = sh_reply_problem(req, 400, "invalid-parameter", "skills", "at most %d skills at once",
			                      ADD_MAX_SKILLS);
		else if (!form_skill(req, ref, &c))
			rc = SH_EINVAL;
		else if ((rc = sh_profile_store_add(db, req->idx, req->account->id, c, (float)lv, src)) == SH_EINVAL)
			rc = sh_reply_problem(req, 400, "invalid-parameter", "skill", "%s", sh_errmsg());
	}
	free(list);
	return rc ? rc : back_to_profile(req);
}

static int remove_action(sh_request *req, sh_db *db, const sh_http_query *f)
{
	const char *ref = sh_pathways_field(f, "skill");
	sh_cid c;
	if (!ref)
		return sh_reply_problem(req, 400, "invalid-parameter", "skill", "no skill to remove");
	if (!form_skill(req, ref, &c))
		return SH_EINVAL;
	int rc = sh_profile_store_remove(db, req->idx, req->account->id, c);
	return rc ? rc : back_to_profile(req);
}

/* Copies a form code field into out when the form has it (blank: cleared); 0 and a 400 reply when too long. */
static int code_field(sh_request *req, const sh_http_query *f, const char *name, char *out, size_t size)
{
	const char *v = sh_http_query_get(f, name);
	if (!v)
		return 1;
	v += strspn(v, " ");
	if (strlen(v) >= size) {
		sh_reply_problem(req, 400, "invalid-parameter", name, "'%s' must be at most %zu characters", name, size - 1);
		return 0;
	}
	snprintf(out, size, "%s", v);
	return 1;
}

/* The fields the form has replace the stored ones ("Aim at it" sends the target alone). */
static int target_action(sh_request *req, sh_db *db, const sh_http_query *f, const sh_profile_prefs *stored)
{
	const char *target = sh_http_query_get(f, "target"), *budget = sh_http_query_get(f, "budget");
	sh_profile_prefs prefs = *stored;
	if (target) {
		prefs.has_target = 0;
		if (sh_pathways_field(f, "target") && !(prefs.has_target = sh_pathways_find_occupation(req, target, &prefs.target)))
			return sh_reply_problem(req, 404, "not-found", "target", "no occupation '%s'", target);
	}
	if (!code_field(req, f, "language", prefs.language, sizeof prefs.language) ||
	    !code_field(req, f, "region", prefs.region, sizeof prefs.region))
		return SH_EINVAL;
	if (budget) {
		char *end;
		prefs.budget = sh_pathways_field(f, "budget") ? strtod(budget, &end) : -1;
		if ((sh_pathways_field(f, "budget") && *end) || isnan(prefs.budget) || isinf(prefs.budget) ||
		    (sh_pathways_field(f, "budget") && prefs.budget < 0))
			return sh_reply_problem(req, 400, "invalid-parameter", "budget", "'budget' must be a number >= 0");
	}
	if (sh_profile_prefs_check(&prefs))
		return sh_reply_problem(req, 400, "invalid-parameter", NULL, "%s", sh_errmsg());
	int rc = sh_profile_store_set_prefs(db, req->idx, req->account->id, &prefs);
	return rc ? rc : back_to_profile(req);
}

static int erase_action(sh_request *req, sh_db *db, const sh_http_query *f)
{
	const char *confirm = sh_pathways_field(f, "confirm");
	if (!confirm || strcmp(confirm, "yes"))
		return sh_reply_problem(req, 400, "invalid-parameter", "confirm", "tick the box to confirm the erasure");
	int rc = sh_profile_store_erase(db, req->account->id);
	return rc ? rc : back_to_profile(req);
}

/* The CV preview: the skills found, each to add, and all at once. */
static int cv_section(sh_request *req, const sh_profile *p, const char *cv)
{
	sh_profile *found;
	sh_extractor *x;
	const sh_profile_skill *s;
	sh_buf all = SH_BUF_INIT, *b = &req->body;
	int rc = sh_profile_new(&found);
	if (rc)
		return rc;
	if (!(rc = sh_request_extractor(req, &x)))
		rc = sh_profile_add_text(found, x, cv, strlen(cv), req->lang);
	size_t n = rc ? 0 : sh_profile_skills(found, &s), fresh = 0;
	if (!rc)
		rc = sh_buf_printf(b, "<section id=\"cv-skills\"><h2>Skills found in my CV (%zu)</h2>\n", n);
	if (!rc && !n)
		rc = sh_buf_puts(b, "<p>No skill of the taxonomy is named in this text.</p>\n");
	if (!rc && n)
		rc = sh_buf_puts(b, "<ul class=\"concepts found\" aria-label=\"Skills found in my CV\">\n");
	for (size_t i = 0; i < n && !rc; i++) {
		rc = add_item(req, p, s[i].skill, "1", "cv");
		if (!rc && !held(p, s[i].skill) && fresh++ < ADD_MAX_SKILLS)
			rc = (all.len && sh_buf_putc(&all, ' ')) || sh_buf_puts(&all, sh_concept_id(req->idx, s[i].skill));
	}
	if (!rc && n)
		rc = sh_buf_puts(b, "</ul>\n");
	if (!rc && all.len)
		rc = form_open(b, req, "inline", "add") || sh_html_hidden(b, "skills", all.data) || sh_html_hidden(b, "source", "cv") ||
		     sh_buf_puts(b, "<button type=\"submit\">Add all new skills</button></form>\n");
	if (!rc)
		rc = sh_buf_puts(b, "</section>\n");
	sh_buf_free(&all);
	sh_profile_free(found);
	return rc > 0 ? sh_error(SH_ENOMEM, "out of memory (CV preview)") : rc;
}

/* The whole /my/profile page; cv (a POSTed CV) adds its preview. */
static int profile_page(sh_request *req, const sh_profile *p, const sh_profile_prefs *prefs, const char *cv)
{
	const char *q = sh_pathways_field(&req->query, "q"), *level = sh_pathways_field(&req->query, "level");
	size_t li = 0;
	while (level && li < sizeof level_names / sizeof level_names[0] && strcmp(level, level_names[li]))
		li++;
	if (level && li == sizeof level_names / sizeof level_names[0])
		return sh_reply_problem(req, 400, "invalid-parameter", "level", "'level' must be 1, 0.75, 0.5 or 0.25");
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, "My skill profile") ||
	         sh_buf_puts(b, "<h1>My skill profile</h1>\n<p class=\"noprint\"><a href=\"/my/pathways\">Where can I "
	                        "go</a> · <a href=\"/my/plan\">My plan</a></p>\n")
	         ? sh_error(SH_ENOMEM, "out of memory (profile page)") : SH_OK;
	if (!rc && cv)
		rc = cv_section(req, p, cv);
	if (!rc && (skills_section(req, p) || add_section(req, p, q, level ? level : "1") ||
	            target_section(req, prefs) || data_section(req)))
		rc = sh_error(SH_ENOMEM, "out of memory (profile page)");
	return finish(req, rc);
}

static int profile_post(sh_request *req, sh_db *db, const sh_profile *p, const sh_profile_prefs *prefs)
{
	sh_http_query f;
	int rc = sh_request_form(req, &f);
	if (rc)
		return rc;
	const char *action = sh_pathways_field(&f, "action"), *cv = sh_pathways_field(&f, "cv");
	const char *lang = sh_pathways_field(&f, "lang"), *known = lang ? sh_index_language(req->idx, lang) : NULL;
	if (known) /* the page's language, kept across the redirect */
		req->lang = known;
	if ((rc = sh_require_csrf(req, sh_http_query_get(&f, "csrf"))))
		;
	else if (!action)
		rc = sh_reply_problem(req, 400, "invalid-parameter", "action", "no action given");
	else if (!strcmp(action, "add"))
		rc = add_action(req, db, &f);
	else if (!strcmp(action, "remove"))
		rc = remove_action(req, db, &f);
	else if (!strcmp(action, "target"))
		rc = target_action(req, db, &f, prefs);
	else if (!strcmp(action, "erase"))
		rc = erase_action(req, db, &f);
	else if (strcmp(action, "cv"))
		rc = sh_reply_problem(req, 400, "invalid-parameter", "action", "unknown action '%s'", action);
	else if (!cv || strlen(cv) > CV_MAX_BYTES)
		rc = sh_reply_problem(req, 400, "invalid-parameter", "cv", "paste a CV of at most %d bytes", CV_MAX_BYTES);
	else
		rc = profile_page(req, p, prefs, cv);
	sh_http_query_free(&f);
	return rc;
}

int sh_page_my_profile(sh_request *req)
{
	sh_db *db;
	sh_profile *p = NULL;
	sh_profile_prefs prefs;
	int rc = open_profile(req, &db, &p, &prefs);
	if (!rc)
		rc = req->method == SH_METHOD_POST ? profile_post(req, db, p, &prefs) : profile_page(req, p, &prefs, NULL);
	sh_profile_free(p);
	return rc;
}

/* ---- /my/pathways ----------------------------------------------------------------- */

static int reach_table(sh_request *req, const sh_reach *r, size_t n)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<table class=\"skills\"><caption>Occupations my skills lead to, readiest first"
	                        "</caption><thead><tr><th>Occupation</th><th>Readiness</th><th>Essential skills to "
	                        "learn</th><th>Plan</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n && !rc; i++)
		rc = sh_buf_puts(b, "<tr><td>") || link(req, r[i].occupation) ||
		     sh_buf_printf(b, "</td><td>%.0f%%</td><td>%zu</td><td><a href=\"/my/plan?target=",
		                   100 * r[i].readiness, r[i].missing) ||
		     sh_http_encode(b, sh_concept_id(req->idx, r[i].occupation)) || sh_buf_puts(b, "&amp;lang=") ||
		     sh_http_encode(b, req->lang) || sh_buf_puts(b, "\">My plan</a> ") ||
		     form_open(b, req, "inline", "target") ||
		     sh_html_hidden(b, "target", sh_concept_id(req->idx, r[i].occupation)) ||
		     sh_buf_puts(b, "<button type=\"submit\" aria-label=\"Aim at ") ||
		     sh_html_puts(b, sh_concept_label(req->idx, r[i].occupation, req->lang)) ||
		     sh_buf_puts(b, "\">Aim at it</button></form></td></tr>\n");
	return rc || sh_buf_puts(b, "</tbody></table>\n");
}

int sh_page_my_pathways(sh_request *req)
{
	sh_db *db;
	sh_profile *p = NULL;
	sh_profile_prefs prefs;
	sh_reach reach[REACH_MAX];
	size_t n = 0;
	const sh_profile_skill *s;
	int rc = open_profile(req, &db, &p, &prefs);
	if (!rc && sh_profile_skills(p, &s))
		rc = sh_pathways_web_reachable(req, p, reach, REACH_MAX, &n);
	sh_buf *b = &req->body;
	if (!rc)
		rc = sh_html_begin(req, "Where can I go") ||
		     sh_buf_puts(b, "<h1>Where can I go?</h1>\n<p>The occupations whose essential skills your profile "
		                    "covers best (readiness: the share of the essential skill weight you hold, weighted by "
		                    "specificity and by demand in the job ads). <a href=\"/my/profile\">My profile</a></p>\n")
		     ? sh_error(SH_ENOMEM, "out of memory (pathways page)") : SH_OK;
	if (!rc && !sh_profile_skills(p, &s))
		rc = sh_buf_puts(b, "<p>Your profile has no skills yet: <a href=\"/my/profile\">add some</a>.</p>\n");
	else if (!rc && !n)
		rc = sh_buf_puts(b, "<p>No occupation needs the skills of your profile.</p>\n");
	else if (!rc && (reach_table(req, reach, n) ||
	                 sh_buf_puts(b, "<p>From the closest occupation, ") || link(req, reach[0].occupation) ||
	                 sh_buf_puts(b, ", see <a href=\"/pathways?occupation=") ||
	                 sh_http_encode(b, sh_concept_id(req->idx, reach[0].occupation)) ||
	                 sh_buf_puts(b, "&amp;lang=") || sh_http_encode(b, req->lang) ||
	                 sh_buf_puts(b, "\">the moves people in it make</a>.</p>\n")))
		rc = sh_error(SH_ENOMEM, "out of memory (pathways page)");
	sh_profile_free(p);
	return req->status ? rc : finish(req, rc);
}

/* ---- /my/plan ---------------------------------------------------------------------- */

int sh_page_my_plan(sh_request *req)
{
	sh_db *db;
	sh_profile *p = NULL;
	sh_profile_prefs prefs;
	json_t *o = NULL;
	const char *ref = sh_pathways_field(&req->query, "target");
	int rc = open_profile(req, &db, &p, &prefs);
	if (!rc && ref && !(prefs.has_target = sh_pathways_find_occupation(req, ref, &prefs.target)))
		rc = sh_reply_problem(req, 404, "not-found", "target", "no occupation '%s'", ref);
	if (!rc && prefs.has_target) {
		sh_plan_opts opts = { .language = *prefs.language ? prefs.language : NULL,
		                      .region = *prefs.region ? prefs.region : NULL, .budget = prefs.budget };
		rc = sh_pathways_web_plan(req, p, prefs.target, &opts, 0, req->lang, &o);
	}
	sh_buf *b = &req->body;
	if (!rc)
		rc = sh_html_begin(req, "My plan") ||
		     sh_buf_puts(b, "<h1>My plan</h1>\n<p class=\"noprint\"><a href=\"/my/profile\">My profile</a> · "
		                    "<a href=\"/my/pathways\">Where can I go</a> · print this page to keep the plan.</p>\n")
		     ? sh_error(SH_ENOMEM, "out of memory (plan page)") : SH_OK;
	if (!rc && !o)
		rc = sh_buf_puts(b, "<p>Choose the occupation you aim at on <a href=\"/my/profile#my-target\">my profile"
		                    "</a> or from <a href=\"/my/pathways\">where I can go</a>.</p>\n");
	else if (!rc) {
		char budget[32] = "no budget limit";
		if (prefs.budget >= 0)
			snprintf(budget, sizeof budget, "budget %.2f", prefs.budget);
		rc = sh_buf_puts(b, "<p>Approved catalogue courses taught in ") ||
		     sh_html_puts(b, *prefs.language ? prefs.language : "any language") || sh_buf_puts(b, ", region ") ||
		     sh_html_puts(b, *prefs.region ? prefs.region : "anywhere") || sh_buf_printf(b, ", %s.</p>\n", budget)
		     ? sh_error(SH_ENOMEM, "out of memory (plan page)") : sh_pathways_plan_section(req, o);
	}
	json_decref(o);
	sh_profile_free(p);
	return req->status ? rc : finish(req, rc);
}
