/*
 * server/api_account.c - accounts over the JSON API.
 *
 *   GET    /api/v1/me               the caller (any role); 401 when anonymous
 *   GET    /api/v1/accounts         every account (administrators)
 *   POST   /api/v1/accounts         creates one: {login, password, role, provider?} -> 201
 *   GET    /api/v1/accounts/{login} one account (administrators)
 *   DELETE /api/v1/accounts/{login} deletes it with everything it owns -> 204
 *
 * An account object is {login, role, provider (ref or null)}; lists add
 * `created`.  The password of a new account travels in the body only and
 * appears in no answer or log: library messages never quote it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/json_body.h"

#define ANY_ROLE (SH_ROLE_BIT(SH_ROLE_PROVIDER) | SH_ROLE_BIT(SH_ROLE_REVIEWER) | \
                  SH_ROLE_BIT(SH_ROLE_ANALYST) | SH_ROLE_BIT(SH_ROLE_LEARNER))
#define ADMIN_ONLY 0u /* administrators pass every sh_require_role */

/* Replies with o (taken) as JSON of the given status. */
static int reply_json(sh_request *req, int status, json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	int rc = text ? sh_buf_puts(&req->body, text) : sh_error(SH_ENOMEM, "out of memory");
	free(text);
	rc = rc ? rc : sh_buf_putc(&req->body, '\n');
	if (rc)
		return rc;
	sh_reply_ok(req, "application/json");
	req->status = status;
	return SH_OK;
}

static json_t *account_json(const sh_account *a)
{
	return json_pack("{s:s, s:s, s:o}", "login", a->login, "role", sh_role_name(a->role),
	                 "provider", *a->provider ? json_string(a->provider) : json_null());
}

int sh_api_me(sh_request *req)
{
	int rc = sh_require_role(req, ANY_ROLE);
	if (rc)
		return rc;
	json_t *o = account_json(req->account);
	if (o)
		json_object_set_new(o, "session", json_boolean(req->sid != NULL));
	return reply_json(req, 200, o);
}

/* Replies to a failure of the account library: 400 naming the member, 404, 409; else the status as is. */
static int account_failure(sh_request *req, int rc)
{
	static const char *const members[] = { "login", "password", "role", "provider" };
	const char *msg = sh_errmsg(), *member = NULL;
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
		if (!strncmp(msg, members[i], strlen(members[i])) && msg[strlen(members[i])] == ':')
			member = members[i];
	if (rc == SH_EEXIST)
		return sh_reply_problem(req, 409, "conflict", member, "%s", msg);
	if (rc == SH_EINVAL || (rc == SH_ENOTFOUND && member))
		return sh_reply_problem(req, 400, "invalid-member", member, "%s", msg);
	if (rc == SH_ENOTFOUND)
		return sh_reply_problem(req, 404, "not-found", NULL, "%s", msg);
	return rc;
}

static int list_accounts(sh_request *req)
{
	sh_db *db;
	char *text = NULL;
	int rc = sh_dbconn_get(&db);
	if (!rc)
		rc = sh_accounts_json(db, &text);
	if (rc)
		return rc;
	json_t *list = json_loads(text, 0, NULL);
	free(text);
	return reply_json(req, 200, list ? json_pack("{s:o}", "results", list) : NULL);
}

/* A string member of o, or NULL when absent; replies 400 when present but not a string. */
static int string_member(sh_request *req, const json_t *o, const char *name, int required, const char **out)
{
	const json_t *v = json_object_get(o, name);
	*out = json_string_value(v);
	if ((v && !json_is_string(v)) || (required && !v))
		return sh_reply_problem(req, 400, "invalid-member", name, "'%s' must be a string%s", name,
		                        required ? " and is required" : "");
	return SH_OK;
}

static int create_account(sh_request *req)
{
	json_t *o;
	const char *login, *password, *role, *provider;
	int rc = sh_json_body(req, &o);
	if (rc)
		return rc;
	if (!(rc = sh_json_check_members(req, o, "login password role provider", "")) &&
	    !(rc = string_member(req, o, "login", 1, &login)) && !(rc = string_member(req, o, "password", 1, &password)) &&
	    !(rc = string_member(req, o, "role", 1, &role)) && !(rc = string_member(req, o, "provider", 0, &provider))) {
		sh_role r = sh_role_from_name(role);
		sh_db *db;
		sh_account a;
		if (!r)
			rc = sh_reply_problem(req, 400, "invalid-member", "role",
			                      "'role' must be administrator, provider, reviewer, analyst or learner");
		else if (!(rc = sh_dbconn_rw(&db)) &&
		         !(rc = account_failure(req, sh_account_create(db, login, password, r, provider, NULL))) &&
		         !(rc = sh_account_get(db, login, &a)))
			rc = reply_json(req, 201, account_json(&a));
	}
	json_decref(o);
	return rc;
}

int sh_api_accounts(sh_request *req)
{
	int rc = sh_require_role(req, ADMIN_ONLY);
	if (rc)
		return rc;
	return req->method == SH_METHOD_POST ? create_account(req) : list_accounts(req);
}

int sh_api_account(sh_request *req)
{
	int rc = sh_require_role(req, ADMIN_ONLY);
	sh_db *db;
	sh_account a;
	if (rc)
		return rc;
	if (req->method == SH_METHOD_DELETE) {
		if ((rc = sh_dbconn_rw(&db)) || (rc = account_failure(req, sh_account_delete(db, req->arg[0]))))
			return rc;
		req->status = 204;
		return SH_OK;
	}
	if ((rc = sh_dbconn_get(&db)) || (rc = account_failure(req, sh_account_get(db, req->arg[0], &a))))
		return rc;
	return reply_json(req, 200, account_json(&a));
}
