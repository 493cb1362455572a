/*
 * server/http.h - pure HTTP helpers of the server: strict percent-decoding,
 * query strings, path segments and ETag matching.
 *
 * The server parses the raw request target itself (as the client sent it,
 * before libmicrohttpd unescapes anything) so that it can refuse what a
 * lenient decoder would let through: a '%' not followed by two hex digits, an
 * encoded NUL, bytes that are not UTF-8, a parameter given twice.  Splitting
 * the path on '/' before decoding also lets a client pass a full concept URI
 * as one percent-encoded segment ("/concepts/http%3A%2F%2Fdata...").
 *
 * Nothing here touches the network or the index, so every function is unit
 * tested on its own (tests/unit/test_http.c).
 */
#ifndef SH_SERVER_HTTP_H
#define SH_SERVER_HTTP_H

#include <stddef.h>

struct sh_buf;

/* Upper bounds on what a request may carry (see docs/api.md, "Limits"). */
enum {
	SH_HTTP_MAX_PARAMS   = 32,  /* query parameters per request */
	SH_HTTP_MAX_SEGMENTS = 16   /* path segments */
};

/*
 * Decodes s[0..len) into a new NUL-terminated string (*out, caller frees);
 * with plus_is_space, '+' becomes ' ' (query strings, HTML forms).  Fails
 * with SH_EFORMAT on a '%' not followed by two hex digits, on "%00" and on
 * bytes that are not valid UTF-8 after decoding; the message says which.
 */
int sh_http_decode(const char *s, size_t len, int plus_is_space, char **out);

typedef struct sh_http_param {
	char *name;
	char *value;
} sh_http_param;

/* The decoded parameters of a query string, in the order given. */
typedef struct sh_http_query {
	sh_http_param param[SH_HTTP_MAX_PARAMS];
	size_t        n;
} sh_http_query;

/*
 * Parses "a=1&b=x+y" (without the '?') into q.  Empty pairs ("a=1&&b=2") are
 * skipped; "flag" without '=' has the value "".  Fails with SH_EINVAL on a
 * parameter given twice or more than SH_HTTP_MAX_PARAMS of them, and with
 * SH_EFORMAT on a malformed encoding; *bad_param then names the parameter at
 * fault (a malloc'd copy of its raw name, caller frees; NULL if none).
 * On failure q holds nothing to free.
 */
int  sh_http_query_parse(const char *s, size_t len, sh_http_query *q, char **bad_param);
/* The value of name, or NULL when absent (borrowed from q). */
const char *sh_http_query_get(const sh_http_query *q, const char *name);
void sh_http_query_free(sh_http_query *q);

/* Raw (still encoded) segments of a path: "/a/b%2Fc" -> "a", "b%2Fc". */
typedef struct sh_http_segment {
	const char *p;
	size_t      len;
} sh_http_segment;

/*
 * Splits path[0..len), which starts with '/', into segments.  "/" has none;
 * "/a/" has "a" and an empty one.  Returns the count, or -1 when there are
 * more than max.
 */
int sh_http_split_path(const char *path, size_t len, sh_http_segment *seg, size_t max);

/*
 * 1 if an If-None-Match header value matches etag (a quoted strong tag):
 * "*", the tag itself, or the tag among a comma-separated list, weak
 * ("W/") forms included as RFC 9110 prescribes for If-None-Match.
 */
int sh_http_etag_matches(const char *if_none_match, const char *etag);

/* Appends s percent-encoded as a URI component (unreserved characters kept). */
int sh_http_encode(struct sh_buf *b, const char *s);

#endif
