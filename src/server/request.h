/*
 * server/request.h - one HTTP request as a handler sees it, and the helpers
 * that build its response.
 *
 * The dispatcher (server.c) fills the request side: the matched route, the
 * decoded path placeholders, the decoded query (already checked against the
 * route's list of parameters), the language (checked against the index) and
 * a reference to the current index, held for the whole request so that an
 * index swapped in meanwhile does not pull the data away.  The handler fills
 * the response side through sh_reply_* and returns SH_OK; the dispatcher then
 * adds ETag, Cache-Control, CORS and security headers and queues it.
 *
 * Parameter helpers (sh_param_*) reply with a 400 problem naming the
 * parameter and return SH_EINVAL, which the handler returns as is.
 */
#ifndef SH_SERVER_REQUEST_H
#define SH_SERVER_REQUEST_H

#include "core/buf.h"
#include "server/http.h"
#include "server/router.h"
#include "skillhub/auth.h"
#include "skillhub/extract.h"
#include "skillhub/index.h"

struct sh_xpool;

struct sh_request {
	/* request */
	const sh_index *idx;
	const sh_route *route;
	unsigned        method;             /* SH_METHOD_* (HEAD is answered as GET) */
	const char     *path;               /* raw path, as sent (without the query) */
	char           *arg[SH_ROUTE_MAX_ARGS]; /* decoded placeholders of the route */
	size_t          narg;
	sh_http_query   query;
	const char     *lang;               /* ?lang= when given and known, else "en" */
	const char     *content;            /* request body (NUL-terminated; "" when none) */
	size_t          content_len;
	const char     *content_type_in;    /* the request's Content-Type header, or NULL */
	size_t          max_batch;          /* most texts in one extraction request (--max-batch) */
	struct sh_xpool *xpool;             /* extractors of idx */
	sh_extractor   *extractor;          /* taken from xpool by sh_request_extractor, given back by the dispatcher */
	/* who asks (server/auth_web.c, before the handler runs) */
	const sh_account *account;          /* the authenticated user, or NULL when anonymous */
	const char     *csrf;               /* the session's CSRF token when authenticated by cookie, else NULL */
	const char     *sid;                /* the session cookie's value when authenticated by it, else NULL */
	/* response */
	int             status;             /* 0 until a reply is set */
	const char     *content_type;
	sh_buf          body;
	char           *location;           /* Location header of a redirect (sh_reply_redirect), owned */
	char           *set_cookie;         /* Set-Cookie header (sh_auth_*), owned */
};

/* Sets a 200 response of this type whose body the handler wrote into req->body. */
int sh_reply_ok(sh_request *req, const char *content_type);

/*
 * Replaces the response by an error: application/problem+json (RFC 9457)
 * on API routes (or any path under /api/ when no route matched), an HTML page
 * elsewhere.  kind names the problem type ("invalid-parameter", "not-found",
 * ...: see docs/api.md); parameter names the query parameter or body member
 * at fault ("items[2].text") or is NULL.  Returns SH_EINVAL for 4xx, SH_ERROR for 5xx, so a handler can
 * `return sh_reply_problem(...)`.
 */
int sh_reply_problem(sh_request *req, int status, const char *kind, const char *parameter,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * A 303 See Other to a same-origin path ("/my/courses"): the answer to a
 * successful form POST.  A path that sh_local_path refuses is a bug of the
 * caller: SH_EINVAL without a reply (the dispatcher answers 500).
 */
int sh_reply_redirect(sh_request *req, const char *path);
/*
 * 1 when path is a path of this site: starts with one '/' (not "//" or "/\",
 * which browsers read as another host), at most 1024 bytes, no control
 * characters or spaces.  Check a ?next= with it before redirecting there.
 */
int sh_local_path(const char *path);

/*
 * Access control for a handler: SH_OK when the request is authenticated as
 * one of the roles in mask (SH_ROLE_BIT(...) | ...; administrators always
 * pass); otherwise replies 401 (anonymous: a 401 problem, or for a GET of
 * a page a 303 to /login?next=<the page>) or 403 and returns SH_EINVAL.
 */
int sh_require_role(sh_request *req, unsigned mask);

/*
 * For state-changing requests authenticated by the session cookie (forms):
 * SH_OK when token equals the session's CSRF token, else replies 403.  A
 * request authenticated by a Bearer token needs none (a browser never sends
 * one by itself) and passes.
 */
int sh_require_csrf(sh_request *req, const char *token);

/*
 * The fields of a POSTed HTML form (application/x-www-form-urlencoded body)
 * into *out (sh_http_query_free it after SH_OK); replies 415 or 400 and
 * returns SH_EINVAL otherwise.
 */
int sh_request_form(sh_request *req, sh_http_query *out);

/* Integer parameter in [min, max], def when absent. */
int sh_param_size(sh_request *req, const char *name, size_t def, size_t min, size_t max, size_t *out);
/* Required non-blank text parameter of at most max_len bytes. */
int sh_param_text(sh_request *req, const char *name, size_t max_len, const char **out);
/* ?type=skill,occupation as an SH_KIND_BIT mask (0 when absent = every kind searched by default). */
int sh_param_kinds(sh_request *req, unsigned *out);
/* ?relation=essential|optional: 1 essential, 2 optional, 3 both (absent). */
int sh_param_relation(sh_request *req, unsigned *out);
/* Resolves the path placeholder arg[i] to a concept, or replies 404. */
int sh_param_concept(sh_request *req, size_t i, sh_cid *out);

/* An extractor over req->idx for this request (taken once, then the same). */
int sh_request_extractor(sh_request *req, sh_extractor **out);

/*
 * 1 when the request's Content-Type is type (ignoring case and parameters
 * such as "; charset=utf-8"), or when it has none and missing_ok.
 */
int sh_request_has_type(const sh_request *req, const char *type, int missing_ok);

/* The language code as the index spells it, or NULL when the index has no labels in lang. */
const char *sh_index_language(const sh_index *idx, const char *lang);

/* The id used in URLs for a concept: the last segment of its URI. */
const char *sh_concept_id(const sh_index *idx, sh_cid c);

#endif
