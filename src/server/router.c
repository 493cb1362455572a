/*
 * server/router.c - the route table and path matching (see router.h).
 *
 * The table is small and matched linearly: comparing a few segments per
 * route costs less than building any index over fewer than 20 routes.
 */
#include "server/router.h"

#include <stdio.h>
#include <string.h>

#include "server/handlers.h"
#include "server/intel_service.h"

#define API SH_ROUTE_API
#define CACHE SH_ROUTE_CACHEABLE
#define LANG_DATA SH_ROUTE_LANG_DATA

const sh_route sh_routes[] = {
	/* Web pages (HTML, server-rendered; see pages.c). */
	{ "/",                               SH_METHOD_GET, "lang",                          CACHE,       sh_page_home },
	{ "/search",                         SH_METHOD_GET, "q type lang page",              CACHE,       sh_page_search },
	{ "/concept/{id}",                   SH_METHOD_GET, "lang",                          CACHE,       sh_page_concept },
	{ "/courses",                        SH_METHOD_GET, "q skill occupation region teaching mode eqf max_cost from to lang", 0, sh_page_courses },
	{ "/course/{id}",                    SH_METHOD_GET, "lang",                          0,           sh_page_course },
	{ "/provider/{id}",                  SH_METHOD_GET, "lang",                          0,           sh_page_provider },
	{ "/my/courses",                     SH_METHOD_GET, "lang",                          0,           sh_page_my_courses },
	{ "/my/courses/new",                 SH_METHOD_GET | SH_METHOD_POST, "lang",         0,           sh_page_course_new },
	{ "/my/courses/{id}/edit",           SH_METHOD_GET | SH_METHOD_POST, "text_lang lang", 0,         sh_page_course_edit },
	{ "/my/courses/{id}/skills",         SH_METHOD_POST, "",                             0,           sh_page_course_skills },
	{ "/my/courses/{id}/submit",         SH_METHOD_POST, "",                             0,           sh_page_course_submit },
	{ "/review",                         SH_METHOD_GET, "lang",                          0,           sh_page_review },
	{ "/review/{id}/{action}",           SH_METHOD_POST, "",                             0,           sh_page_review_decide },
	{ "/pathways",                       SH_METHOD_GET, "q occupation limit lang",       0,           sh_page_pathways },
	{ "/gap",                            SH_METHOD_GET | SH_METHOD_POST, "from target cv lang", 0,    sh_page_gap },
	{ "/workforce",                      SH_METHOD_GET | SH_METHOD_POST, "current target lang", 0,    sh_page_workforce },
	{ "/my/profile",                     SH_METHOD_GET | SH_METHOD_POST, "q level lang", 0,           sh_page_my_profile },
	{ "/my/pathways",                    SH_METHOD_GET, "lang",                          0,           sh_page_my_pathways },
	{ "/my/plan",                        SH_METHOD_GET, "target lang",                   0,           sh_page_my_plan },
	{ "/analyse",                        SH_METHOD_GET | SH_METHOD_POST, "text lang",    0,           sh_page_analyse },
	{ "/intelligence",                   SH_METHOD_GET, "period_from period_to country region occupation sector collection limit lang", 0, sh_page_intelligence },
	{ "/intelligence/supply",            SH_METHOD_GET, "period_from period_to country region occupation sector collection limit lang", 0, sh_page_supply },
	{ "/login",                          SH_METHOD_GET | SH_METHOD_POST, "next lang",    0,           sh_page_login },
	{ "/logout",                         SH_METHOD_POST, "",                             0,           sh_page_logout },
	{ "/account",                        SH_METHOD_GET, "lang",                          0,           sh_page_account },
	{ "/account/tokens",                 SH_METHOD_POST, "",                             0,           sh_page_token_create },
	{ "/account/tokens/revoke",          SH_METHOD_POST, "",                             0,           sh_page_token_revoke },
	{ "/static/style.css",               SH_METHOD_GET, "",                              CACHE,       sh_asset_style },
	{ "/static/app.js",                  SH_METHOD_GET, "",                              CACHE,       sh_asset_script },
	{ "/static/icon.svg",                SH_METHOD_GET, "",                              CACHE,       sh_asset_icon },
	{ "/favicon.ico",                    SH_METHOD_GET, "",                              CACHE,       sh_asset_icon },
	{ "/health",                         SH_METHOD_GET, "",                              0,           sh_api_health },

	/* JSON API (api.c), documented in openapi.json. */
	{ "/api/v1/openapi.json",            SH_METHOD_GET, "",                              API | CACHE, sh_api_openapi },
	{ "/api/v1/languages",               SH_METHOD_GET, "",                              API | CACHE, sh_api_languages },
	{ "/api/v1/search",                  SH_METHOD_GET, "q type lang limit offset",      API | CACHE, sh_api_search },
	{ "/api/v1/suggest",                 SH_METHOD_GET, "q type lang limit",             API | CACHE, sh_api_suggest },
	{ "/api/v1/concepts/{id}",           SH_METHOD_GET, "lang",                          API | CACHE, sh_api_concept },
	{ "/api/v1/occupations/{id}/skills", SH_METHOD_GET, "relation lang",                 API | CACHE, sh_api_occupation_skills },
	{ "/api/v1/occupations/{id}/transitions", SH_METHOD_GET, "limit plan lang",      API,         sh_api_occupation_transitions },
	{ "/api/v1/skills/{id}/occupations", SH_METHOD_GET, "relation lang",                 API | CACHE, sh_api_skill_occupations },
	{ "/api/v1/skills/{id}/related",     SH_METHOD_GET, "relation lang",                 API | CACHE, sh_api_skill_related },
	{ "/api/v1/courses",                 SH_METHOD_GET | SH_METHOD_POST, "q skill occupation region lang mode eqf max_cost from to limit offset status", API | LANG_DATA, sh_api_courses_route },
	{ "/api/v1/courses/{id}",            SH_METHOD_GET | SH_METHOD_PUT, "format",        API,         sh_api_course_route },
	{ "/api/v1/courses/{id}/findings",   SH_METHOD_GET, "",                              API,         sh_api_course_findings },
	{ "/api/v1/courses/{id}/skills",     SH_METHOD_POST, "",                             API,         sh_api_course_skills },
	{ "/api/v1/courses/{id}/submit",     SH_METHOD_POST, "",                             API,         sh_api_course_submit },
	{ "/api/v1/courses/{id}/approve",    SH_METHOD_POST, "",                             API,         sh_api_course_approve },
	{ "/api/v1/courses/{id}/reject",     SH_METHOD_POST, "",                             API,         sh_api_course_reject },
	{ "/api/v1/providers",               SH_METHOD_GET, "",                              API,         sh_api_providers },
	{ "/api/v1/providers/{id}",          SH_METHOD_GET | SH_METHOD_PUT, "lang",          API,         sh_api_provider_route },
	{ "/api/v1/me",                      SH_METHOD_GET, "",                              API,         sh_api_me },
	{ "/api/v1/accounts",                SH_METHOD_GET | SH_METHOD_POST, "",             API,         sh_api_accounts },
	{ "/api/v1/accounts/{login}",        SH_METHOD_GET | SH_METHOD_DELETE, "",           API,         sh_api_account },
	{ "/api/v1/extract",                 SH_METHOD_POST, "",                             API,         sh_api_extract },
	{ "/api/v1/titles",                  SH_METHOD_POST, "",                             API,         sh_api_titles },
	{ "/api/v1/gap",                     SH_METHOD_POST, "",                             API,         sh_api_gap },
	{ "/api/v1/plan",                    SH_METHOD_POST, "",                             API,         sh_api_plan },
	{ "/api/v1/workforce",               SH_METHOD_POST, "",                             API,         sh_api_workforce },
	{ "/api/v1/me/profile",              SH_METHOD_GET | SH_METHOD_PUT | SH_METHOD_DELETE, "", API,    sh_api_my_profile },
	{ "/api/v1/demand",                  SH_METHOD_GET, "period_from period_to country region occupation sector collection limit", API, sh_api_demand },
	{ "/api/v1/demand/cooccurrence",     SH_METHOD_GET, "skill period_from period_to collection limit", API, sh_api_cooccurrence },
	{ "/api/v1/supply",                  SH_METHOD_GET, "period_from period_to country region occupation sector collection limit", API, sh_api_supply },
};
const size_t sh_route_count = sizeof sh_routes / sizeof sh_routes[0];

unsigned sh_method_bit(const char *method)
{
	static const struct { const char *name; unsigned bit; } methods[] = {
		{ "GET", SH_METHOD_GET }, { "HEAD", SH_METHOD_HEAD },
		{ "POST", SH_METHOD_POST }, { "OPTIONS", SH_METHOD_OPTIONS },
		{ "PUT", SH_METHOD_PUT }, { "DELETE", SH_METHOD_DELETE },
		{ "PUT", SH_METHOD_PUT }, { "DELETE", SH_METHOD_DELETE },
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (!strcmp(method, methods[i].name))
			return methods[i].bit;
	return SH_METHOD_OTHER;
}

/* Matches one route; fills arg[] with the segment indices of its placeholders. */
static int route_matches(const char *pattern, const sh_http_segment *seg, size_t nseg,
                         size_t arg[SH_ROUTE_MAX_ARGS], size_t *narg)
{
	size_t i = 0;
	*narg = 0;
	const char *p = pattern + 1;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (i == nseg)
			return 0;
		if (p[0] == '{') {
			if (seg[i].len == 0 || *narg == SH_ROUTE_MAX_ARGS)
				return 0;
			arg[(*narg)++] = i;
		} else if (seg[i].len != len || memcmp(seg[i].p, p, len)) {
			return 0;
		}
		i++;
		p += len + (slash != NULL);
	}
	return i == nseg;
}

const sh_route *sh_route_find(const sh_route *table, size_t n, const sh_http_segment *seg,
                              size_t nseg, size_t arg[SH_ROUTE_MAX_ARGS], size_t *narg)
{
	for (size_t r = 0; r < n; r++)
		if (route_matches(table[r].pattern, seg, nseg, arg, narg))
			return &table[r];
	return NULL;
}

int sh_route_accepts_param(const sh_route *route, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = route->params; *p; ) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (n == len && !memcmp(p, name, n))
			return 1;
		p += n + (sp != NULL);
	}
	return 0;
}

void sh_route_allow(const sh_route *route, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%sOPTIONS",
	         route->methods & SH_METHOD_GET ? "GET, HEAD, " : "",
	         route->methods & SH_METHOD_POST ? "POST, " : "",
	         route->methods & SH_METHOD_PUT ? "PUT, " : "",
	         route->methods & SH_METHOD_DELETE ? "DELETE, " : "");
}
