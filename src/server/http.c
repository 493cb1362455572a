/*
 * server/http.c - strict percent-decoding, query strings, path segments and
 * If-None-Match (see http.h for the rules).
 *
 * Decoding never grows a string, so the output is allocated once at the
 * input's length.  A query is parsed in one pass into at most
 * SH_HTTP_MAX_PARAMS decoded pairs; duplicates are detected by a linear scan,
 * which is cheaper than hashing at this size.
 */
#include "server/http.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "skillhub/text.h"

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sh_http_decode(const char *s, size_t len, int plus_is_space, char **out)
{
	char *d = malloc(len + 1);
	if (!d)
		return sh_error(SH_ENOMEM, "out of memory decoding %zu bytes", len);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			int hi = i + 2 < len ? hex_value((unsigned char)s[i + 1]) : -1;
			int lo = hi >= 0 ? hex_value((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(d);
				return sh_error(SH_EFORMAT, "malformed percent-encoding at byte %zu: '%%' must be followed by two hex digits", i);
			}
			c = (unsigned char)(hi << 4 | lo);
			if (c == 0) {
				free(d);
				return sh_error(SH_EFORMAT, "encoded NUL (%%00) at byte %zu", i);
			}
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		d[n++] = (char)c;
	}
	d[n] = '\0';
	size_t bad;
	if (!sh_utf8_valid(d, n, &bad)) {
		free(d);
		return sh_error(SH_EFORMAT, "invalid UTF-8 at byte %zu of the decoded value", bad);
	}
	*out = d;
	return SH_OK;
}

static int find_param(const sh_http_query *q, const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->param[i].name, name))
			return (int)i;
	return -1;
}

/* Parses one "name=value" pair into q->param[q->n]. */
static int parse_pair(const char *s, size_t len, sh_http_query *q, char **bad_param)
{
	const char *eq = memchr(s, '=', len);
	size_t name_len = eq ? (size_t)(eq - s) : len;
	char *name = NULL, *value = NULL;
	int rc = sh_http_decode(s, name_len, 1, &name);
	if (rc == SH_OK) {
		rc = eq ? sh_http_decode(eq + 1, len - name_len - 1, 1, &value) : SH_OK;
		if (rc == SH_OK && !eq && !(value = strdup("")))
			rc = sh_error(SH_ENOMEM, "out of memory");
		if (rc == SH_OK && find_param(q, name) >= 0)
			rc = sh_error(SH_EINVAL, "parameter '%s' is given more than once", name);
		else if (rc == SH_OK && q->n == SH_HTTP_MAX_PARAMS)
			rc = sh_error(SH_EINVAL, "more than %d query parameters", SH_HTTP_MAX_PARAMS);
		else if (rc != SH_OK && rc != SH_ENOMEM)
			sh_error_wrap(rc, "parameter '%s'", name);
	}
	if (rc == SH_OK) {
		q->param[q->n].name = name;
		q->param[q->n].value = value;
		q->n++;
		return SH_OK;
	}
	if (rc != SH_ENOMEM)
		*bad_param = name ? strdup(name) : strndup(s, name_len);
	free(name);
	free(value);
	return rc;
}

int sh_http_query_parse(const char *s, size_t len, sh_http_query *q, char **bad_param)
{
	q->n = 0;
	*bad_param = NULL;
	size_t start = 0;
	while (start <= len) {
		const char *amp = memchr(s + start, '&', len - start);
		size_t end = amp ? (size_t)(amp - s) : len;
		if (end > start) {
			int rc = parse_pair(s + start, end - start, q, bad_param);
			if (rc) {
				sh_http_query_free(q);
				return rc;
			}
		}
		start = end + 1;
	}
	return SH_OK;
}

const char *sh_http_query_get(const sh_http_query *q, const char *name)
{
	int i = find_param(q, name);
	return i < 0 ? NULL : q->param[i].value;
}

void sh_http_query_free(sh_http_query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->param[i].name);
		free(q->param[i].value);
	}
	q->n = 0;
}

int sh_http_split_path(const char *path, size_t len, sh_http_segment *seg, size_t max)
{
	size_t n = 0, i = 1;
	if (len <= 1)
		return 0;
	while (i <= len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t end = slash ? (size_t)(slash - path) : len;
		if (n == max)
			return -1;
		seg[n].p = path + i;
		seg[n].len = end - i;
		n++;
		i = end + 1;
	}
	return (int)n;
}

int sh_http_etag_matches(const char *if_none_match, const char *etag)
{
	size_t tag_len = strlen(etag);
	const char *p = if_none_match;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		const char *end = p;
		while (*end && *end != ',')
			end++;
		size_t n = (size_t)(end - p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == tag_len && !memcmp(p, etag, n))
			return 1;
		p = end;
	}
	return 0;
}

int sh_http_encode(sh_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		           c == '-' || c == '.' || c == '_' || c == '~';
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
		int rc = keep ? sh_buf_putc(b, (char)c) : sh_buf_append(b, esc, 3);
		if (rc)
			return rc;
	}
	return SH_OK;
}
