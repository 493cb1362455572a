/*
 * server/auth_web.c - credentials of HTTP requests and access checks for
 * handlers (see auth_web.h and request.h).
 *
 * Two ways in: programs send "Authorization: Bearer TOKEN" (an API token,
 * skillhub accounts token); browsers carry the session cookie set by
 * POST /login.  The cookie is `__Host-skillhub=SID; Path=/; Max-Age=...;
 * HttpOnly; Secure; SameSite=Strict`: scripts cannot read it, it never
 * travels over plain HTTP except to localhost (which browsers and curl treat
 * as secure), and no other site's page or form can make the browser send it.
 * On top of SameSite, every state-changing form carries the session's CSRF
 * token in the field `csrf`, which the handler checks with sh_require_csrf,
 * and JSON writes with a cookie need the token in X-CSRF-Token.
 *
 * Lookups use the thread's read-write connection: resolving a session may
 * delete it (expired) and resolving a token notes when it was last used.
 * Anonymous requests do not touch the database.
 */
#include "server/auth_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "server/dbconn.h"

static int is_api(const sh_request *req)
{
	return req->route && (req->route->flags & SH_ROUTE_API);
}

/* The value of cookie name in a Cookie header ("a=1; b=2"), copied into out; 0 when absent or too long. */
static int cookie_value(const char *header, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	for (const char *p = header; p && *p; ) {
		p += strspn(p, " \t");
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > n && !strncmp(p, name, n) && p[n] == '=') {
			size_t vlen = len - n - 1;
			while (vlen && (p[n + 1 + vlen - 1] == ' ' || p[n + 1 + vlen - 1] == '\t'))
				vlen--;
			if (vlen >= size)
				return 0;
			memcpy(out, p + n + 1, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

static int set_cookie(sh_request *req, const char *value, long max_age)
{
	char *c = NULL;
	if (asprintf(&c, SH_SESSION_COOKIE "=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; SameSite=Strict", value,
	             max_age) < 0)
		return sh_error(SH_ENOMEM, "out of memory");
	free(req->set_cookie);
	req->set_cookie = c;
	return SH_OK;
}

static int bearer(sh_request *req, sh_auth_state *st, const char *authorization)
{
	sh_db *db;
	const char *token = NULL;
	if (!strncasecmp(authorization, "Bearer ", 7))
		token = authorization + 7 + strspn(authorization + 7, " ");
	if (!token || !*token)
		return sh_reply_problem(req, 401, "unauthenticated", NULL,
		                        "the Authorization header must be 'Bearer TOKEN'");
	int rc = sh_dbconn_rw(&db);
	if (rc)
		return rc;
	rc = sh_token_resolve(db, token, &st->account);
	if (rc == SH_EAUTH)
		return sh_reply_problem(req, 401, "unauthenticated", NULL, "the API token is unknown or revoked");
	if (rc)
		return rc;
	req->account = &st->account;
	return SH_OK;
}

static int session(sh_request *req, sh_auth_state *st, const char *csrf_header)
{
	sh_db *db;
	int rc = sh_dbconn_rw(&db);
	if (rc)
		return rc;
	rc = sh_session_resolve(db, st->sid, &st->account, st->csrf);
	if (rc == SH_EAUTH)
		return set_cookie(req, "", 0); /* unknown or expired: forget it */
	if (rc)
		return rc;
	int unsafe = req->method & (SH_METHOD_POST | SH_METHOD_PUT | SH_METHOD_DELETE);
	if (is_api(req) && unsafe) {
		if (!sh_secret_equal(csrf_header, st->csrf))
			return SH_OK; /* a cookie alone does not authenticate a JSON write */
		req->account = &st->account;
		return SH_OK;
	}
	req->account = &st->account;
	req->csrf = st->csrf;
	req->sid = st->sid;
	return SH_OK;
}

int sh_auth_web_resolve(sh_request *req, sh_auth_state *st, const char *authorization, const char *cookie,
                        const char *csrf_header)
{
	req->account = NULL;
	req->csrf = NULL;
	req->sid = NULL;
	if (authorization)
		return bearer(req, st, authorization);
	if (cookie && cookie_value(cookie, SH_SESSION_COOKIE, st->sid, sizeof st->sid))
		return session(req, st, csrf_header);
	return SH_OK;
}

int sh_auth_web_sign_in(sh_request *req, const sh_account *account)
{
	sh_db *db;
	char sid[SH_SECRET_CHARS + 1], csrf[SH_SECRET_CHARS + 1];
	int rc = sh_dbconn_rw(&db);
	if (!rc && req->sid)
		rc = sh_session_end(db, req->sid);
	if (!rc)
		rc = sh_session_create(db, account->id, SH_SESSION_TTL, sid, csrf);
	return rc ? rc : set_cookie(req, sid, SH_SESSION_TTL);
}

int sh_auth_web_sign_out(sh_request *req)
{
	sh_db *db;
	int rc = SH_OK;
	if (req->sid && !(rc = sh_dbconn_rw(&db)))
		rc = sh_session_end(db, req->sid);
	if (rc)
		return rc;
	req->account = NULL;
	req->csrf = NULL;
	req->sid = NULL;
	return set_cookie(req, "", 0);
}

/* ---- access checks for handlers (request.h) ------------------------------- */

/* "/path?a=1&b=2" rebuilt from the decoded request, for /login?next=. */
static int current_target(const sh_request *req, sh_buf *out)
{
	int rc = sh_buf_puts(out, req->path);
	for (size_t i = 0; i < req->query.n && !rc; i++) {
		rc = sh_buf_putc(out, i ? '&' : '?');
		rc = rc ? rc : sh_http_encode(out, req->query.param[i].name);
		rc = rc ? rc : sh_buf_putc(out, '=');
		rc = rc ? rc : sh_http_encode(out, req->query.param[i].value);
	}
	return rc;
}

static int redirect_to_login(sh_request *req)
{
	sh_buf target = { 0 }, login = { 0 };
	int rc = current_target(req, &target);
	rc = rc ? rc : sh_buf_puts(&login, "/login?next=");
	rc = rc ? rc : sh_http_encode(&login, target.data);
	rc = rc ? rc : sh_reply_redirect(req, login.data);
	sh_buf_free(&target);
	sh_buf_free(&login);
	return rc ? rc : SH_EINVAL;
}

int sh_require_role(sh_request *req, unsigned mask)
{
	if (!req->account) {
		if (is_api(req) || req->method != SH_METHOD_GET)
			return sh_reply_problem(req, 401, "unauthenticated", NULL,
			                        is_api(req) ? "this request needs an API token (Authorization: Bearer TOKEN)"
			                                    : "sign in first (/login)");
		return redirect_to_login(req);
	}
	if (req->account->role == SH_ROLE_ADMIN || (mask & SH_ROLE_BIT(req->account->role)))
		return SH_OK;
	return sh_reply_problem(req, 403, "forbidden", NULL, "the role %s may not do this",
	                        sh_role_name(req->account->role));
}

int sh_require_csrf(sh_request *req, const char *token)
{
	if (!req->csrf || sh_secret_equal(token, req->csrf))
		return SH_OK;
	return sh_reply_problem(req, 403, "forbidden", "csrf",
	                        "the form is stale or was not sent by this site; reload the page and try again");
}
