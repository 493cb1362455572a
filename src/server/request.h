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
	/* response */
	int             status;             /* 0 until a reply is set */
	const char     *content_type;
	sh_buf          body;
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
