/*
 * tests/unit/test_router.c - route matching, and the OpenAPI document
 * against the route table: a route served but not documented, or documented
 * but not served, fails here.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/assets.h"
#include "server/router.h"

static const sh_route *find(const char *path, size_t *arg, size_t *narg)
{
	sh_http_segment seg[SH_HTTP_MAX_SEGMENTS];
	int n = sh_http_split_path(path, strlen(path), seg, SH_HTTP_MAX_SEGMENTS);
	assert_true(n >= 0);
	return sh_route_find(sh_routes, sh_route_count, seg, (size_t)n, arg, narg);
}

static void routes_match_literals_and_placeholders(void **state)
{
	(void)state;
	size_t arg[SH_ROUTE_MAX_ARGS], narg;
	const sh_route *r = find("/", arg, &narg);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/");
	r = find("/api/v1/concepts/abc-123", arg, &narg);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/concepts/{id}");
	assert_int_equal(narg, 1);
	assert_int_equal(arg[0], 3);
	r = find("/api/v1/occupations/x/skills", arg, &narg);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/occupations/{id}/skills");
	assert_null(find("/api/v1/concepts/", arg, &narg));       /* empty placeholder */
	assert_null(find("/api/v1/concepts/a/b", arg, &narg));    /* one segment too many */
	assert_null(find("/api/v1/search/", arg, &narg));
	assert_null(find("/api/v2/search", arg, &narg));
	assert_null(find("/api/v1/occupations/x/skill", arg, &narg));
}

static void route_parameters_and_methods(void **state)
{
	(void)state;
	size_t arg[SH_ROUTE_MAX_ARGS], narg;
	const sh_route *r = find("/api/v1/search", arg, &narg);
	assert_non_null(r);
	assert_true(sh_route_accepts_param(r, "q"));
	assert_true(sh_route_accepts_param(r, "offset"));
	assert_false(sh_route_accepts_param(r, "off"));
	assert_false(sh_route_accepts_param(r, "relation"));
	char allow[64];
	sh_route_allow(r, allow, sizeof allow);
	assert_string_equal(allow, "GET, HEAD, OPTIONS");
	assert_int_equal(sh_method_bit("GET"), SH_METHOD_GET);
	assert_int_equal(sh_method_bit("OPTIONS"), SH_METHOD_OPTIONS);
	assert_int_equal(sh_method_bit("PUT"), SH_METHOD_PUT);
	assert_int_equal(sh_method_bit("DELETE"), SH_METHOD_DELETE);
	assert_int_equal(sh_method_bit("PATCH"), SH_METHOD_OTHER);
	assert_int_equal(sh_method_bit("get"), SH_METHOD_OTHER);
}

/* "get /search" lines, sorted, for the API routes or the document's paths. */
static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void openapi_documents_exactly_the_api_routes(void **state)
{
	(void)state;
	json_error_t err;
	json_t *doc = json_loads(sh_openapi_json, 0, &err);
	if (!doc)
		fail_msg("src/server/openapi.json: line %d: %s", err.line, err.text);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	const char *base = json_string_value(json_object_get(json_array_get(json_object_get(doc, "servers"), 0), "url"));
	assert_non_null(base);

	char served[64][160], documented[64][160];
	char *s[64], *d[64];
	size_t ns = 0, nd = 0;
	for (size_t i = 0; i < sh_route_count; i++) {
		static const struct { unsigned bit; const char *name; } methods[] = {
			{ SH_METHOD_GET, "get" }, { SH_METHOD_POST, "post" }, { SH_METHOD_PUT, "put" },
			{ SH_METHOD_DELETE, "delete" },
		};
		if (!(sh_routes[i].flags & SH_ROUTE_API))
			continue;
		assert_int_equal(strncmp(sh_routes[i].pattern, base, strlen(base)), 0);
		for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
			if (!(sh_routes[i].methods & methods[m].bit))
				continue;
			assert_true(ns < 64);
			snprintf(served[ns], sizeof served[ns], "%s %s", methods[m].name, sh_routes[i].pattern + strlen(base));
			s[ns] = served[ns];
			ns++;
		}
	}
	const char *path;
	json_t *ops;
	json_object_foreach(json_object_get(doc, "paths"), path, ops) {
		const char *method;
		json_t *op;
		json_object_foreach(ops, method, op) {
			assert_true(nd < 64);
			snprintf(documented[nd], sizeof documented[nd], "%s %s", method, path);
			d[nd] = documented[nd];
			nd++;
		}
	}
	qsort(s, ns, sizeof *s, compare_names);
	qsort(d, nd, sizeof *d, compare_names);
	for (size_t i = 0; i < ns || i < nd; i++) {
		if (i >= ns || i >= nd || strcmp(s[i], d[i]))
			fail_msg("route table and OpenAPI differ at %zu: served '%s', documented '%s'",
			         i, i < ns ? s[i] : "(none)", i < nd ? d[i] : "(none)");
	}
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes_match_literals_and_placeholders),
		cmocka_unit_test(route_parameters_and_methods),
		cmocka_unit_test(openapi_documents_exactly_the_api_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
