/*
 * server/router.h - the route table: which handler answers which path, with
 * which methods and which query parameters.
 *
 * The table (sh_routes, router.c) is the single source of truth for what the
 * server serves: the dispatcher matches requests against it, rejects query
 * parameters a route does not list, answers 405 with an Allow header built
 * from it, and tests/unit/test_router.c checks that the OpenAPI document's
 * paths are exactly its SH_ROUTE_API entries.
 *
 * A pattern is a path whose segments are literals or "{name}" placeholders;
 * a placeholder matches one non-empty segment, which the dispatcher decodes
 * and hands to the handler in order.  HEAD is allowed wherever GET is, and
 * OPTIONS (CORS preflight) on every route.
 */
#ifndef SH_SERVER_ROUTER_H
#define SH_SERVER_ROUTER_H

#include <stddef.h>

#include "server/http.h"

enum {
	SH_METHOD_GET     = 1 << 0,
	SH_METHOD_HEAD    = 1 << 1,
	SH_METHOD_POST    = 1 << 2,
	SH_METHOD_OPTIONS = 1 << 3,
	SH_METHOD_PUT     = 1 << 4,
	SH_METHOD_DELETE  = 1 << 5,
	SH_METHOD_OTHER   = 1 << 6  /* PATCH, ...: never allowed */
};

enum {
	SH_ROUTE_API       = 1 << 0, /* under /api/v1: JSON errors, documented in the OpenAPI document */
	SH_ROUTE_CACHEABLE = 1 << 1, /* a read of the taxonomy or a static asset: ETag + Cache-Control */
	SH_ROUTE_LANG_DATA = 1 << 2  /* ?lang= filters the data (a course's teaching language), any ISO 639-1
	                                code: not checked against the index's label languages */
};

enum { SH_ROUTE_MAX_ARGS = 4 };

typedef struct sh_request sh_request;

typedef struct sh_route {
	const char *pattern;  /* "/api/v1/concepts/{id}" */
	unsigned    methods;  /* SH_METHOD_GET | SH_METHOD_POST | SH_METHOD_PUT | SH_METHOD_DELETE */
	const char *params;   /* accepted query parameters, space separated ("" = none) */
	unsigned    flags;    /* SH_ROUTE_* */
	int       (*handler)(sh_request *req);
} sh_route;

extern const sh_route sh_routes[];
extern const size_t   sh_route_count;

/* SH_METHOD_* bit of a request method name (SH_METHOD_OTHER when unknown). */
unsigned sh_method_bit(const char *method);

/*
 * The first route of table[0..n) whose pattern matches the path segments, or
 * NULL.  arg[i] receives the index in seg of the i-th placeholder.
 */
const sh_route *sh_route_find(const sh_route *table, size_t n, const sh_http_segment *seg,
                              size_t nseg, size_t arg[SH_ROUTE_MAX_ARGS], size_t *narg);

/* 1 if the route accepts the query parameter name. */
int sh_route_accepts_param(const sh_route *route, const char *name);

/* "GET, HEAD, OPTIONS": the methods for an Allow header (buffer of the caller, >= 64 bytes). */
void sh_route_allow(const sh_route *route, char *out, size_t size);

#endif
