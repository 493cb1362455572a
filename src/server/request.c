/*
 * server/request.c - responses (success, RFC 9457 problems) and the checked
 * reading of query parameters and path placeholders (see request.h).
 */
#include "server/request.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "server/html.h"
#include "server/xpool.h"
#include "skillhub/text.h"

int sh_reply_ok(sh_request *req, const char *content_type)
{
	req->status = 200;
	req->content_type = content_type;
	return SH_OK;
}

static const char *problem_title(const char *kind)
{
	static const struct { const char *kind, *title; } titles[] = {
		{ "invalid-parameter",  "Invalid query parameter" },
		{ "unknown-parameter",  "Unknown query parameter" },
		{ "bad-request",        "Bad request" },
		{ "not-found",          "Not found" },
		{ "method-not-allowed", "Method not allowed" },
		{ "body-too-large",     "Request body too large" },
		{ "batch-too-large",    "Too many texts in one request" },
		{ "invalid-json",       "Malformed JSON body" },
		{ "invalid-member",     "Invalid member of the request body" },
		{ "unknown-member",     "Unknown member of the request body" },
		{ "unsupported-media-type", "Unsupported media type" },
		{ "uri-too-long",       "URI too long" },
		{ "unauthenticated",    "Authentication required" },
		{ "forbidden",          "Forbidden" },
		{ "conflict",           "Conflict" },
		{ "internal",           "Internal server error" },
	};
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (!strcmp(kind, titles[i].kind))
			return titles[i].title;
	return "Error";
}

/* Appends "key":"value" with value made valid UTF-8 and JSON-escaped. */
static int json_member(sh_buf *b, const char *key, const char *value)
{
	char *clean;
	size_t len;
	int rc = sh_utf8_sanitize(value, strlen(value), &clean, &len);
	if (rc)
		return rc;
	rc = sh_buf_printf(b, ",\"%s\":\"", key);
	if (!rc)
		rc = sh_buf_json_escape(b, clean, len);
	if (!rc)
		rc = sh_buf_putc(b, '"');
	free(clean);
	return rc;
}

static int problem_json(sh_buf *b, int status, const char *kind, const char *parameter,
                       const char *detail)
{
	int rc = sh_buf_printf(b, "{\"type\":\"urn:skillhub:problem:%s\",\"status\":%d", kind, status);
	if (!rc)
		rc = json_member(b, "title", problem_title(kind));
	if (!rc)
		rc = json_member(b, "detail", detail);
	if (!rc && parameter)
		rc = json_member(b, "parameter", parameter);
	if (!rc)
		rc = sh_buf_puts(b, "}\n");
	return rc;
}

int sh_reply_problem(sh_request *req, int status, const char *kind, const char *parameter,
                     const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	sh_buf_clear(&req->body);
	int api = req->route ? (req->route->flags & SH_ROUTE_API) != 0 : !strncmp(req->path, "/api/", 5);
	int rc = api ? problem_json(&req->body, status, kind, parameter, detail)
	             : sh_html_error_page(req, problem_title(kind), detail);
	if (rc)
		return rc;
	req->status = status;
	req->content_type = api ? "application/problem+json" : "text/html; charset=utf-8";
	return status >= 500 ? SH_ERROR : SH_EINVAL;
}

int sh_local_path(const char *path)
{
	size_t n = strlen(path);
	if (n == 0 || n > 1024 || path[0] != '/' || path[1] == '/' || path[1] == '\\')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)path[i] <= 0x20 || path[i] == 0x7f)
			return 0;
	return 1;
}

int sh_reply_redirect(sh_request *req, const char *path)
{
	if (!sh_local_path(path))
		return sh_error(SH_EINVAL, "redirect to '%.100s': not a path of this site", path);
	char *copy = strdup(path);
	if (!copy)
		return sh_error(SH_ENOMEM, "out of memory");
	free(req->location);
	req->location = copy;
	sh_buf_clear(&req->body);
	req->status = 303;
	req->content_type = NULL;
	return SH_OK;
}

int sh_request_form(sh_request *req, sh_http_query *out)
{
	memset(out, 0, sizeof *out);
	if (req->content_len && !sh_request_has_type(req, "application/x-www-form-urlencoded", 1))
		return sh_reply_problem(req, 415, "unsupported-media-type", NULL,
		                        "the form must be sent as application/x-www-form-urlencoded");
	char *bad = NULL;
	if (sh_http_query_parse(req->content, req->content_len, out, &bad)) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", sh_errmsg());
		int rc = sh_reply_problem(req, 400, "invalid-parameter", bad, "%s", msg);
		free(bad);
		return rc;
	}
	return SH_OK;
}

int sh_param_size(sh_request *req, const char *name, size_t def, size_t min, size_t max, size_t *out)
{
	const char *v = sh_http_query_get(&req->query, name);
	if (!v) {
		*out = def;
		return SH_OK;
	}
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (!*v || *end || errno || v[0] == '-' || v[0] == '+' || v[0] == ' ' || n < min || n > max)
		return sh_reply_problem(req, 400, "invalid-parameter", name,
		                        "'%s' must be an integer from %zu to %zu, got '%s'", name, min, max, v);
	*out = (size_t)n;
	return SH_OK;
}

int sh_param_text(sh_request *req, const char *name, size_t max_len, const char **out)
{
	const char *v = sh_http_query_get(&req->query, name);
	if (!v || !v[strspn(v, " \t\r\n")])
		return sh_reply_problem(req, 400, "invalid-parameter", name, "'%s' is required and must not be blank", name);
	if (strlen(v) > max_len)
		return sh_reply_problem(req, 400, "invalid-parameter", name, "'%s' is longer than %zu bytes", name, max_len);
	*out = v;
	return SH_OK;
}

int sh_param_kinds(sh_request *req, unsigned *out)
{
	const char *v = sh_http_query_get(&req->query, "type");
	*out = 0;
	if (!v || !*v)
		return SH_OK;
	for (const char *p = v; ; ) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char name[32];
		sh_kind k = 0;
		if (n < sizeof name) {
			memcpy(name, p, n);
			name[n] = '\0';
			k = sh_kind_from_name(name);
		}
		if (!k || k == SH_KIND_SCHEME)
			return sh_reply_problem(req, 400, "invalid-parameter", "type",
			                        "'type' is a comma-separated list of skill, occupation, skill_group, isco_group; got '%s'", v);
		*out |= SH_KIND_BIT(k);
		if (!comma)
			return SH_OK;
		p = comma + 1;
	}
}

int sh_param_relation(sh_request *req, unsigned *out)
{
	const char *v = sh_http_query_get(&req->query, "relation");
	if (!v)
		*out = 3;
	else if (!strcmp(v, "essential"))
		*out = 1;
	else if (!strcmp(v, "optional"))
		*out = 2;
	else
		return sh_reply_problem(req, 400, "invalid-parameter", "relation",
		                        "'relation' must be 'essential' or 'optional', got '%s'", v);
	return SH_OK;
}

int sh_param_concept(sh_request *req, size_t i, sh_cid *out)
{
	if (sh_index_lookup(req->idx, req->arg[i], out))
		return sh_reply_problem(req, 404, "not-found", NULL, "no concept '%s'", req->arg[i]);
	return SH_OK;
}

const char *sh_concept_id(const sh_index *idx, sh_cid c)
{
	const char *uri = sh_concept_uri(idx, c);
	const char *slash = strrchr(uri, '/');
	return slash && slash[1] ? slash + 1 : uri;
}

int sh_request_extractor(sh_request *req, sh_extractor **out)
{
	int rc = req->extractor ? SH_OK : sh_xpool_take(req->xpool, &req->extractor);
	*out = req->extractor;
	return rc;
}

int sh_request_has_type(const sh_request *req, const char *type, int missing_ok)
{
	const char *t = req->content_type_in;
	if (!t || !*t)
		return missing_ok;
	size_t n = strlen(type);
	return !strncasecmp(t, type, n) && (t[n] == '\0' || t[n] == ';' || t[n] == ' ');
}

const char *sh_index_language(const sh_index *idx, const char *lang)
{
	const char *const *langs;
	size_t n = sh_index_languages(idx, &langs);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(langs[i], lang))
			return langs[i];
	return NULL;
}
