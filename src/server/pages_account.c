/*
 * server/pages_account.c - signing in and out, and the account page.
 *
 *   GET  /login                 the sign-in form (?next= the page to return to)
 *   POST /login                 checks login and password: a session cookie and
 *                               303 to next (or /account); else the form again, 401
 *                               (429 while the login is held out after 10 failures)
 *   POST /logout                ends the session (CSRF checked), 303 to /
 *   GET  /account               who am I, my role and provider, my API tokens
 *   POST /account/tokens        creates a token (label) and shows it once
 *   POST /account/tokens/revoke revokes the token of a label, 303 to /account
 *
 * Every failure to sign in shows the same message with the same status,
 * whether the login is unknown or the password wrong.  Forms that change
 * something carry the session's CSRF token in the field `csrf`.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/auth_web.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/html.h"

#define ANY_ROLE (SH_ROLE_BIT(SH_ROLE_PROVIDER) | SH_ROLE_BIT(SH_ROLE_REVIEWER) | \
                  SH_ROLE_BIT(SH_ROLE_ANALYST) | SH_ROLE_BIT(SH_ROLE_LEARNER))

/* Where to go after signing in: next when it is a page of this site other than /login, else /account. */
static const char *after_login(const char *next)
{
	if (next && sh_local_path(next) && strncmp(next, "/login", 6))
		return next;
	return "/account";
}

static int login_page(sh_request *req, const char *login, const char *next, const char *message)
{
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, "Sign in");
	rc = rc ? rc : sh_buf_puts(b, "<h1>Sign in</h1>\n");
	if (message) {
		rc = rc ? rc : sh_buf_puts(b, "<p class=\"error\" role=\"alert\">");
		rc = rc ? rc : sh_html_puts(b, message);
		rc = rc ? rc : sh_buf_puts(b, "</p>\n");
	}
	rc = rc ? rc : sh_buf_puts(b, "<form class=\"login\" method=\"post\" action=\"/login\">\n"
	                              "<p><label for=\"login\">Login</label> <input id=\"login\" name=\"login\" "
	                              "autocomplete=\"username\" required maxlength=\"64\" value=\"");
	rc = rc ? rc : sh_html_puts(b, login ? login : "");
	rc = rc ? rc : sh_buf_puts(b, "\"></p>\n<p><label for=\"password\">Password</label> <input id=\"password\" "
	                              "name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
	                              "</p>\n<input type=\"hidden\" name=\"next\" value=\"");
	rc = rc ? rc : sh_html_puts(b, after_login(next));
	rc = rc ? rc : sh_buf_puts(b, "\">\n<p><button type=\"submit\">Sign in</button></p>\n</form>\n");
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

static int sign_in(sh_request *req, const sh_http_query *f)
{
	const char *login = sh_http_query_get(f, "login"), *password = sh_http_query_get(f, "password");
	const char *next = sh_http_query_get(f, "next");
	sh_account a;
	sh_db *db;
	int64_t wait = 0;
	int rc = sh_dbconn_rw(&db);
	if (!rc && login)
		rc = sh_login_retry_after(db, login, &wait);
	if (rc)
		return rc;
	if (wait > 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "Too many failed sign-ins with this login: try again in %lld minutes.",
		         (long long)(wait + 59) / 60);
		rc = login_page(req, login, next, msg);
		if (!rc)
			req->status = 429;
		return rc;
	}
	rc = login && password ? sh_account_authenticate(db, login, password, &a) : SH_EAUTH;
	if (rc == SH_EAUTH) {
		rc = login_page(req, login, next, "Wrong login or password.");
		if (!rc)
			req->status = 401;
		return rc;
	}
	if (!rc)
		rc = sh_auth_web_sign_in(req, &a);
	return rc ? rc : sh_reply_redirect(req, after_login(next));
}

int sh_page_login(sh_request *req)
{
	if (req->method != SH_METHOD_POST)
		return login_page(req, NULL, sh_http_query_get(&req->query, "next"), NULL);
	sh_http_query f;
	int rc = sh_request_form(req, &f);
	if (rc)
		return rc;
	rc = sign_in(req, &f);
	sh_http_query_free(&f);
	return rc;
}

int sh_page_logout(sh_request *req)
{
	sh_http_query f;
	int rc = sh_request_form(req, &f);
	if (rc)
		return rc;
	if (req->account && !(rc = sh_require_csrf(req, sh_http_query_get(&f, "csrf"))))
		rc = sh_auth_web_sign_out(req);
	sh_http_query_free(&f);
	return rc ? rc : sh_reply_redirect(req, "/");
}

/* The table of live tokens, each with its revoke button. */
static int token_list(sh_request *req)
{
	sh_buf *b = &req->body;
	sh_db *db;
	char *text = NULL;
	int rc = sh_dbconn_get(&db);
	if (!rc)
		rc = sh_tokens_json(db, req->account->login, &text);
	if (rc)
		return rc;
	json_t *list = json_loads(text, 0, NULL), *t;
	free(text);
	size_t i;
	rc = sh_buf_puts(b, "<h2>API tokens</h2>\n");
	if (!json_array_size(list))
		rc = rc ? rc : sh_buf_puts(b, "<p>You have no API token.</p>\n");
	else
		rc = rc ? rc : sh_buf_puts(b, "<table class=\"tokens\"><thead><tr><th scope=\"col\">Label</th>"
		                              "<th scope=\"col\">Created</th><th scope=\"col\">Last used</th>"
		                              "<th scope=\"col\">Action</th>"
		                              "</tr></thead><tbody>\n");
	json_array_foreach(list, i, t) {
		const char *used = json_string_value(json_object_get(t, "last_used"));
		const char *label = json_string_value(json_object_get(t, "label"));
		rc = rc ? rc : sh_buf_puts(b, "<tr><td>");
		rc = rc ? rc : sh_html_puts(b, label);
		rc = rc ? rc : sh_buf_puts(b, "</td><td>");
		rc = rc ? rc : sh_html_puts(b, json_string_value(json_object_get(t, "created")));
		rc = rc ? rc : sh_buf_puts(b, "</td><td>");
		rc = rc ? rc : sh_html_puts(b, used ? used : "never");
		rc = rc ? rc : sh_buf_puts(b, "</td><td><form method=\"post\" action=\"/account/tokens/revoke\">");
		rc = rc ? rc : sh_html_csrf_field(req);
		rc = rc ? rc : sh_buf_puts(b, "<input type=\"hidden\" name=\"label\" value=\"");
		rc = rc ? rc : sh_html_puts(b, label);
		rc = rc ? rc : sh_buf_puts(b, "\"><button type=\"submit\">Revoke</button></form></td></tr>\n");
	}
	if (json_array_size(list))
		rc = rc ? rc : sh_buf_puts(b, "</tbody></table>\n");
	json_decref(list);
	rc = rc ? rc : sh_buf_puts(b, "<form method=\"post\" action=\"/account/tokens\"><p>");
	rc = rc ? rc : sh_html_csrf_field(req);
	return rc ? rc : sh_buf_puts(b, "<label for=\"token-label\">Label of a new token</label> "
	                               "<input id=\"token-label\" name=\"label\" required maxlength=\"64\"> "
	                               "<button type=\"submit\">Create a token</button></p></form>\n");
}

/* The account page; token is a token just created, shown once (or NULL). */
static int account_page(sh_request *req, const char *label, const char *token)
{
	const sh_account *a = req->account;
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, "Your account");
	rc = rc ? rc : sh_buf_puts(b, "<h1>Your account</h1>\n<dl class=\"account\"><dt>Login</dt><dd>");
	rc = rc ? rc : sh_html_puts(b, a->login);
	rc = rc ? rc : sh_buf_puts(b, "</dd><dt>Role</dt><dd>");
	rc = rc ? rc : sh_html_puts(b, sh_role_name(a->role));
	if (*a->provider) {
		rc = rc ? rc : sh_buf_puts(b, "</dd><dt>Provider</dt><dd><a href=\"/provider/");
		rc = rc ? rc : sh_http_encode(b, a->provider);
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_puts(b, a->provider);
		rc = rc ? rc : sh_buf_puts(b, "</a>");
	}
	rc = rc ? rc : sh_buf_puts(b, "</dd></dl>\n");
	if (token) {
		rc = rc ? rc : sh_buf_puts(b, "<section class=\"new-token\" role=\"status\"><h2>New token “");
		rc = rc ? rc : sh_html_puts(b, label);
		rc = rc ? rc : sh_buf_puts(b, "”</h2><p>Copy it now: it is shown only once.</p><p><code id=\"new-token\">");
		rc = rc ? rc : sh_html_puts(b, token);
		rc = rc ? rc : sh_buf_puts(b, "</code></p><p>Send it as <code>Authorization: Bearer TOKEN</code>.</p>"
		                              "</section>\n");
	}
	rc = rc ? rc : token_list(req);
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

int sh_page_account(sh_request *req)
{
	int rc = sh_require_role(req, ANY_ROLE);
	return rc ? rc : account_page(req, NULL, NULL);
}

/* Checks the role and the form's CSRF token of an account form; *f is filled on SH_OK. */
static int account_form(sh_request *req, sh_http_query *f)
{
	int rc = sh_require_role(req, ANY_ROLE);
	if (!rc)
		rc = sh_request_form(req, f);
	if (rc)
		return rc;
	if ((rc = sh_require_csrf(req, sh_http_query_get(f, "csrf"))))
		sh_http_query_free(f);
	return rc;
}

/* Replies to a failure of the library on a form: 400/404/409 naming the problem, else the status as is. */
static int form_failure(sh_request *req, int rc)
{
	if (rc == SH_EINVAL)
		return sh_reply_problem(req, 400, "invalid-parameter", "label", "%s", sh_errmsg());
	if (rc == SH_ENOTFOUND)
		return sh_reply_problem(req, 404, "not-found", "label", "%s", sh_errmsg());
	if (rc == SH_EEXIST)
		return sh_reply_problem(req, 409, "conflict", "label", "%s", sh_errmsg());
	return rc;
}

int sh_page_token_create(sh_request *req)
{
	sh_http_query f;
	int rc = account_form(req, &f);
	if (rc)
		return rc;
	const char *label = sh_http_query_get(&f, "label");
	char *token = NULL;
	sh_db *db;
	if (!(rc = sh_dbconn_rw(&db)))
		rc = form_failure(req, sh_token_create(db, req->account->login, label ? label : "", &token));
	if (!rc)
		rc = account_page(req, label, token);
	free(token);
	sh_http_query_free(&f);
	return rc;
}

int sh_page_token_revoke(sh_request *req)
{
	sh_http_query f;
	int rc = account_form(req, &f);
	if (rc)
		return rc;
	const char *label = sh_http_query_get(&f, "label");
	sh_db *db;
	if (!(rc = sh_dbconn_rw(&db)))
		rc = form_failure(req, sh_token_revoke(db, req->account->login, label ? label : ""));
	sh_http_query_free(&f);
	return rc ? rc : sh_reply_redirect(req, "/account");
}
