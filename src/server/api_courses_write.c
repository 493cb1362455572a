/*
 * server/api_courses_write.c - the training catalogue's write routes: the
 * provider and reviewer workflow over JSON (docs/catalogue.md, "Over HTTP";
 * docs/api.md), and what they share with the pages (courses_write.h).
 *
 *   POST /api/v1/courses                 create a draft (provider: its own provider only)
 *   PUT  /api/v1/courses/{id}            replace a course (its provider, administrator)
 *   GET  /api/v1/courses/{id}/findings   the quality findings under the server's rules
 *   POST /api/v1/courses/{id}/skills     accept or reject one ESCO skill of the course
 *   POST /api/v1/courses/{id}/submit | approve | reject
 *   GET  /api/v1/courses?status=S        courses of any status for those who work on them
 *   PUT  /api/v1/providers/{id}          a provider's own record (administrator: any)
 *
 * Each write is one transaction on the thread's read-write connection: the
 * access check (owner, status) and the write see the same rows.  The audit
 * trail names the account's login.  A course body is the exchange shape of
 * `skillhub courses import` with the same checks; every problem is listed
 * in the 422 problem's "problems" member, and an approval refused by error
 * findings lists them in the 409 problem's "findings" member.
 *
 * Editing rule (catalogue/edit.c): a submitted or approved course that a
 * write changes goes back to draft and leaves the public catalogue until it
 * is approved again; so does a skill decision of its provider.  Reviewers'
 * skill decisions keep the status (they decide while reviewing).
 */
#include "server/courses_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/courses_web.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/json_body.h"
#include "store/db.h"

enum { COMMENT_MAX = 2000 };  /* bytes of a reviewer's comment */

/* ---- shared with the pages (courses_write.h) ----------------------------- */

static sh_rules *rules;

int sh_courses_rules_open(const char *path)
{
	const char *env = getenv("SKILLHUB_RULES");
	int given = path || (env && *env);
	if (!path)
		path = env && *env ? env : "rules/quality-rules.json";
	sh_courses_rules_close();
	int rc = sh_rules_load(&rules, path);
	if (rc && !given) {
		fprintf(stderr, "skillhub serve: no quality rules (%s): course findings and approval answer 503\n",
		        sh_errmsg());
		return SH_OK;
	}
	return rc;
}

void sh_courses_rules_close(void)
{
	sh_rules_free(rules);
	rules = NULL;
}

int sh_courses_rules(sh_request *req, const sh_rules **out)
{
	*out = rules;
	if (!rules)
		return sh_reply_problem(req, 503, "unavailable", NULL,
		                        "the server has no quality rules (skillhub serve --rules FILE)");
	return SH_OK;
}

const sh_rules *sh_courses_rules_loaded(void)
{
	return rules;
}

const char *sh_courses_who(const sh_request *req)
{
	return req->account ? req->account->login : "anonymous";
}

const char *sh_courses_scope(const sh_request *req)
{
	return req->account && req->account->role == SH_ROLE_PROVIDER ? req->account->provider : NULL;
}

int sh_courses_begin(sh_request *req, sh_db **db)
{
	if (sh_dbconn_rw(db) || sh_db_begin(*db))
		return sh_reply_problem(req, 503, "unavailable", NULL, "the catalogue cannot be written: %s", sh_errmsg());
	return SH_OK;
}

int sh_courses_end(sh_db *db, int rc)
{
	if (!rc)
		rc = sh_db_commit(db);
	if (rc)
		sh_db_rollback(db);
	return rc;
}

int sh_course_access(sh_request *req, sh_db *db, const char *ref, unsigned who, cat_course_state *st)
{
	int rc = cat_course_get_state(db, ref, st);
	if (rc == SH_ENOTFOUND)
		return sh_reply_problem(req, 404, "not-found", NULL, "no course '%s'", ref);
	if (rc)
		return rc;
	const sh_account *a = req->account;
	if (a && (a->role == SH_ROLE_ADMIN || ((who & SH_COURSE_REVIEWER) && a->role == SH_ROLE_REVIEWER) ||
	          ((who & SH_COURSE_OWNER) && a->role == SH_ROLE_PROVIDER && !strcmp(a->provider, st->provider))))
		return SH_OK;
	return sh_reply_problem(req, 403, "forbidden", NULL, "course '%s' is not yours to %s", ref,
	                        who & SH_COURSE_OWNER ? "change" : "review");
}

/* ---- responses ----------------------------------------------------------- */

/* Replies o (taken) with status. */
static int reply_json(sh_request *req, int status, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	int rc = s ? sh_buf_puts(&req->body, s) : sh_error(SH_ENOMEM, "out of memory (JSON response)");
	free(s);
	rc = rc ? rc : sh_buf_putc(&req->body, '\n');
	if (rc)
		return rc;
	sh_reply_ok(req, "application/json");
	req->status = status;
	return SH_OK;
}

/* An RFC 9457 problem with one extension member (name: value, taken); returns SH_EINVAL. */
static int problem_with(sh_request *req, int status, const char *kind, const char *title, const char *name,
                        json_t *value, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static int problem_with(sh_request *req, int status, const char *kind, const char *title, const char *name,
                        json_t *value, const char *fmt, ...)
{
	char detail[512], type[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	snprintf(type, sizeof type, "urn:skillhub:problem:%s", kind);
	json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:o}", "type", type, "status", status, "title", title,
	                      "detail", detail, name, value);
	sh_buf_clear(&req->body);
	int rc = reply_json(req, status, o);
	req->content_type = "application/problem+json";
	return rc ? rc : SH_EINVAL;
}

/* The problem lines of the library ("body: course X: field "F": what\n"...) as a JSON array. */
static json_t *problem_lines(const sh_buf *problems)
{
	json_t *a = json_array();
	for (const char *p = problems->data; p && *p; ) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, n));
		p += n + (nl != NULL);
	}
	return a;
}

/* A library JSON text as a jansson value (taken), or NULL. */
static json_t *parsed(char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return v;
}

/* {"errors": n, "findings": [...]} of course ref under the server's rules (nothing without rules). */
static int add_findings(sh_db *db, const char *ref, json_t *o)
{
	if (!rules)
		return SH_OK;
	char *text;
	size_t nerrors;
	int rc = sh_courses_check(db, rules, ref, &text, &nerrors);
	if (rc)
		return rc;
	json_object_set_new(o, "rules", json_string(sh_rules_version(rules)));
	json_object_set_new(o, "errors", json_integer((json_int_t)nerrors));
	json_object_set_new(o, "findings", parsed(text));
	return SH_OK;
}

/* {"course": {...}, "skills": [...], "rules", "errors", "findings"} of course id/ref: what an editor sees after a write. */
static int course_envelope(sh_db *db, int64_t id, const char *ref, json_t **out)
{
	json_t *c, *o = NULL;
	char *skills;
	int rc = cat_course_load(db, id, &c);
	if (!rc && (rc = sh_course_skills_json(db, ref, &skills)))
		json_decref(c);
	if (!rc && !(o = json_pack("{s:o, s:o}", "course", c, "skills", parsed(skills))))
		rc = sh_error(SH_ENOMEM, "out of memory");
	if (!rc)
		rc = add_findings(db, ref, o);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* ---- courses ------------------------------------------------------------- */

/*
 * Reads a course body for ref (NULL: creating, the body names it) as the
 * provider scope may write it: "provider" absent becomes the scope's (or
 * owner's, the provider of the course replaced); another provider is a 403.
 */
static int course_body(sh_request *req, const char *ref, const char *owner, json_t **out)
{
	json_t *c;
	int rc = sh_json_body(req, &c);
	if (rc)
		return rc;
	const char *scope = sh_courses_scope(req), *id = json_string_value(json_object_get(c, "id"));
	json_t *provider = json_object_get(c, "provider");
	if (ref && !json_object_get(c, "id"))
		json_object_set_new(c, "id", json_string(ref));
	else if (ref && (!id || strcmp(id, ref)))
		rc = sh_reply_problem(req, 400, "invalid-member", "id", "the body's id must be the path's '%s'", ref);
	if (!rc && !provider && (scope || owner))
		json_object_set_new(c, "provider", json_string(scope ? scope : owner));
	else if (!rc && provider && scope && (!json_is_string(provider) || strcmp(json_string_value(provider), scope)))
		rc = sh_reply_problem(req, 403, "forbidden", "provider",
		                      "a provider account writes courses of its own provider '%s' only", scope);
	if (rc)
		json_decref(c);
	else
		*out = c;
	return rc;
}

/* Stores c in the open transaction and builds the reply's envelope; a bad course is a 422 listing its problems. */
static int put_course(sh_request *req, sh_db *db, json_t *c, json_t **envelope)
{
	sh_extractor *x = NULL;
	sh_buf problems = SH_BUF_INIT;
	cat_put_result res;
	int rc = sh_request_extractor(req, &x);
	if (!rc && (rc = cat_course_put(db, c, sh_courses_who(req), req->idx, x, &problems, &res)) == SH_EFORMAT)
		rc = problem_with(req, 422, "invalid-course", "Invalid course", "problems", problem_lines(&problems),
		                  "%s: see problems", sh_errmsg());
	sh_buf_free(&problems);
	if (!rc && !(rc = course_envelope(db, res.id, json_string_value(json_object_get(c, "id")), envelope))) {
		json_object_set_new(*envelope, "reopened", json_boolean(res.reopened));
		json_object_set_new(*envelope, "proposed", json_integer((json_int_t)res.nproposed));
	}
	return rc;
}

static int course_create(sh_request *req)
{
	json_t *c, *envelope = NULL;
	sh_db *db;
	cat_course_state st;
	int rc;
	if ((rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_PROVIDER))) || (rc = course_body(req, NULL, NULL, &c)))
		return rc;
	const char *ref = json_string_value(json_object_get(c, "id"));
	if ((rc = sh_courses_begin(req, &db))) {
		json_decref(c);
		return rc;
	}
	if (ref && (rc = cat_course_get_state(db, ref, &st)) == SH_OK)
		rc = sh_reply_problem(req, 409, "conflict", "id", "course '%s' exists: PUT /api/v1/courses/%s replaces it",
		                      ref, ref);
	else if (!ref || rc == SH_ENOTFOUND)
		rc = put_course(req, db, c, &envelope);
	json_decref(c);
	if ((rc = sh_courses_end(db, rc))) {
		json_decref(envelope);
		return rc;
	}
	return reply_json(req, 201, envelope);
}

static int course_put(sh_request *req)
{
	json_t *c = NULL, *envelope = NULL;
	sh_db *db;
	cat_course_state st;
	int rc;
	if ((rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_PROVIDER))) || (rc = sh_courses_begin(req, &db)))
		return rc;
	if (!(rc = sh_course_access(req, db, req->arg[0], SH_COURSE_OWNER, &st)) &&
	    !(rc = course_body(req, req->arg[0], st.provider, &c)))
		rc = put_course(req, db, c, &envelope);
	json_decref(c);
	if ((rc = sh_courses_end(db, rc))) {
		json_decref(envelope);
		return rc;
	}
	return reply_json(req, 200, envelope);
}

int sh_api_course_findings(sh_request *req)
{
	const sh_rules *r;
	sh_db *db;
	cat_course_state st;
	json_t *o;
	int rc;
	if ((rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_PROVIDER) | SH_ROLE_BIT(SH_ROLE_REVIEWER))) ||
	    (rc = sh_courses_rules(req, &r)) || (rc = sh_courses_db(req, &db)) ||
	    (rc = sh_course_access(req, db, req->arg[0], SH_COURSE_OWNER | SH_COURSE_REVIEWER, &st)))
		return rc;
	if (!(o = json_pack("{s:s, s:s}", "course", req->arg[0], "status", st.status)))
		return sh_error(SH_ENOMEM, "out of memory");
	if ((rc = add_findings(db, req->arg[0], o))) {
		json_decref(o);
		return rc;
	}
	return reply_json(req, 200, o);
}

/* The skill of a decision: an id or URI of the index, or any URI (the library then checks the database). */
static const char *skill_uri(sh_request *req, const char *v)
{
	sh_cid c;
	if (sh_index_lookup(req->idx, v, &c) == SH_OK && sh_concept_kind(req->idx, c) == SH_KIND_SKILL)
		return sh_concept_uri(req->idx, c);
	return v;
}

int sh_api_course_skills(sh_request *req)
{
	json_t *body, *o = NULL;
	sh_db *db;
	cat_course_state st;
	int rc;
	if ((rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_PROVIDER) | SH_ROLE_BIT(SH_ROLE_REVIEWER))) ||
	    (rc = sh_json_body(req, &body)))
		return rc;
	json_t *uri = json_object_get(body, "uri"), *accept = json_object_get(body, "accept");
	rc = sh_json_check_members(req, body, "uri accept", "");
	if (!rc && (!json_is_string(uri) || !*json_string_value(uri)))
		rc = sh_reply_problem(req, 400, "invalid-member", "uri", "'uri' must be the URI or id of an ESCO skill");
	if (!rc && !json_is_boolean(accept))
		rc = sh_reply_problem(req, 400, "invalid-member", "accept", "'accept' must be true or false");
	if (rc || (rc = sh_courses_begin(req, &db))) {
		json_decref(body);
		return rc;
	}
	int reopened = 0;
	const char *who = sh_courses_who(req);
	if (!(rc = sh_course_access(req, db, req->arg[0], SH_COURSE_OWNER | SH_COURSE_REVIEWER, &st))) {
		rc = cat_course_decide_skill(db, req->arg[0], skill_uri(req, json_string_value(uri)), json_is_true(accept), who);
		if (rc == SH_ENOTFOUND)
			rc = sh_reply_problem(req, 400, "invalid-member", "uri", "%s", sh_errmsg());
		else if (!rc && sh_courses_scope(req))
			rc = cat_course_reopen(db, req->arg[0], who, &reopened);
	}
	char *skills = NULL;
	if (!rc && !(rc = sh_course_skills_json(db, req->arg[0], &skills)) &&
	    !(o = json_pack("{s:o, s:b}", "skills", parsed(skills), "reopened", reopened)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	json_decref(body);
	if ((rc = sh_courses_end(db, rc))) {
		json_decref(o);
		return rc;
	}
	return reply_json(req, 200, o);
}

/* The errors of the findings array text (those that block approval), as a JSON array (taken from text). */
static json_t *error_findings(char *text)
{
	json_t *all = parsed(text), *errors = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(all, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "severity")) ? json_string_value(json_object_get(f, "severity")) : "",
		            "error"))
			json_array_append(errors, f);
	json_decref(all);
	return errors;
}

/* Before approving: replies 409 approval-blocked, listing the error findings, while any stands. */
static int check_approvable(sh_request *req, sh_db *db, const sh_rules *r, const char *ref)
{
	char *text = NULL;
	size_t nerrors = 0;
	int rc = sh_courses_check(db, r, ref, &text, &nerrors);
	if (rc || !nerrors) {
		free(text);
		return rc;
	}
	return problem_with(req, 409, "approval-blocked", "Approval blocked by quality rules", "findings",
	                    error_findings(text), "course %s has %zu error%s under rules %s; fix them before approving",
	                    ref, nerrors, nerrors == 1 ? "" : "s", sh_rules_version(r));
}

/* A workflow step (submit, approve, reject) on course req->arg[0] by who (SH_COURSE_*), with a comment (reject). */
static int transition(sh_request *req, const char *action, unsigned role_mask, unsigned who, const char *comment)
{
	const sh_rules *r;
	sh_db *db;
	cat_course_state st;
	int rc;
	if ((rc = sh_require_role(req, role_mask)) || (rc = sh_courses_rules(req, &r)) || (rc = sh_courses_begin(req, &db)))
		return rc;
	const char *ref = req->arg[0];
	rc = sh_course_access(req, db, ref, who, &st);
	if (!rc && !strcmp(action, "approve") && !strcmp(st.status, "submitted"))
		rc = check_approvable(req, db, r, ref);
	if (!rc && (rc = cat_course_transition(db, r, ref, action, sh_courses_who(req))) == SH_EINVAL)
		rc = sh_reply_problem(req, 409, "conflict", NULL, "%s", sh_errmsg());
	if (!rc && comment && *comment)
		rc = cat_course_comment(db, ref, sh_courses_who(req), comment);
	if ((rc = sh_courses_end(db, rc)))
		return rc;
	char status[16];
	snprintf(status, sizeof status, "%s", !strcmp(action, "submit") ? "submitted" :
	                                      !strcmp(action, "approve") ? "approved" : "rejected");
	return reply_json(req, 200, json_pack("{s:s, s:s}", "id", ref, "status", status));
}

int sh_api_course_submit(sh_request *req)
{
	return transition(req, "submit", SH_ROLE_BIT(SH_ROLE_PROVIDER), SH_COURSE_OWNER, NULL);
}

int sh_api_course_approve(sh_request *req)
{
	return transition(req, "approve", SH_ROLE_BIT(SH_ROLE_REVIEWER), SH_COURSE_REVIEWER, NULL);
}

int sh_api_course_reject(sh_request *req)
{
	json_t *body = NULL;
	int rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_REVIEWER));
	if (!rc && req->content_len && !(rc = sh_json_body(req, &body)) &&
	    !(rc = sh_json_check_members(req, body, "comment", ""))) {
		json_t *comment = json_object_get(body, "comment");
		if (comment && (!json_is_string(comment) || strlen(json_string_value(comment)) > COMMENT_MAX))
			rc = sh_reply_problem(req, 400, "invalid-member", "comment",
			                      "'comment' must be a string of at most %d bytes", COMMENT_MAX);
	}
	if (!rc)
		rc = transition(req, "reject", SH_ROLE_BIT(SH_ROLE_REVIEWER), SH_COURSE_REVIEWER,
		                json_string_value(json_object_get(body, "comment")));
	json_decref(body);
	return rc;
}

static int courses_by_status(sh_request *req)
{
	static const char *const search_only[] = { "q", "skill", "occupation", "region", "mode", "eqf", "max_cost",
	                                           "from", "to", "offset", "limit" };
	const char *status = sh_http_query_get(&req->query, "status");
	sh_db *db;
	json_t *list;
	int rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_PROVIDER) | SH_ROLE_BIT(SH_ROLE_REVIEWER));
	if (rc)
		return rc;
	if (strcmp(status, "draft") && strcmp(status, "submitted") && strcmp(status, "approved") &&
	    strcmp(status, "rejected") && strcmp(status, "any"))
		return sh_reply_problem(req, 400, "invalid-parameter", "status",
		                        "'status' must be draft, submitted, approved, rejected or any, got '%s'", status);
	for (size_t i = 0; i < sizeof search_only / sizeof search_only[0]; i++)
		if (sh_http_query_get(&req->query, search_only[i]))
			return sh_reply_problem(req, 400, "invalid-parameter", search_only[i],
			                        "'%s' is a search filter; with 'status' the courses are listed, not searched",
			                        search_only[i]);
	if ((rc = sh_courses_db(req, &db)) ||
	    (rc = cat_courses_list(db, sh_courses_scope(req), strcmp(status, "any") ? status : NULL, req->lang, &list)))
		return rc;
	return reply_json(req, 200, json_pack("{s:o}", "results", list));
}

/* ---- providers ----------------------------------------------------------- */

static int provider_put(sh_request *req)
{
	const char *scope = sh_courses_scope(req), *ref = req->arg[0];
	json_t *p;
	sh_db *db;
	int rc;
	if ((rc = sh_require_role(req, SH_ROLE_BIT(SH_ROLE_PROVIDER))))
		return rc;
	if (scope && strcmp(scope, ref))
		return sh_reply_problem(req, 403, "forbidden", NULL, "a provider account changes its own record '%s' only",
		                        scope);
	if ((rc = sh_json_body(req, &p)))
		return rc;
	const char *id = json_string_value(json_object_get(p, "id"));
	if (!json_object_get(p, "id"))
		json_object_set_new(p, "id", json_string(ref));
	else if (!id || strcmp(id, ref))
		rc = sh_reply_problem(req, 400, "invalid-member", "id", "the body's id must be the path's '%s'", ref);
	sh_buf problems = SH_BUF_INIT;
	if (!rc && cat_provider_validate(p, "body", &problems))
		rc = problem_with(req, 422, "invalid-provider", "Invalid provider", "problems", problem_lines(&problems),
		                  "provider %s: see problems", ref);
	sh_buf_free(&problems);
	char *text;
	if (!rc && !(rc = sh_courses_begin(req, &db)) &&
	    !(rc = sh_courses_end(db, cat_provider_store(db, p, sh_courses_who(req)))))
		rc = sh_providers_json(db, ref, &text);
	json_decref(p);
	return rc ? rc : reply_json(req, 200, parsed(text));
}

/* ---- the routes shared with the read-only handlers (api_courses.c) ------- */

int sh_api_courses_route(sh_request *req)
{
	if (req->method == SH_METHOD_POST)
		return course_create(req);
	return sh_http_query_get(&req->query, "status") ? courses_by_status(req) : sh_api_courses(req);
}

int sh_api_course_route(sh_request *req)
{
	return req->method == SH_METHOD_PUT ? course_put(req) : sh_api_course(req);
}

int sh_api_provider_route(sh_request *req)
{
	return req->method == SH_METHOD_PUT ? provider_put(req) : sh_api_provider(req);
}
