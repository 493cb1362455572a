/*
 * server/api.c - the JSON API under /api/v1 (and /health).
 *
 * Every handler reads the index its request holds (req->idx) and answers
 * with one JSON object built with jansson.  A concept is referred to
 * everywhere by {id, uri, type, label}: id is the last segment of the URI
 * (what /concepts/{id} and the web pages take), label is in ?lang=.
 * The routes and their parameters are listed in router.c and documented in
 * the OpenAPI document (openapi.json) and docs/api.md.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/assets.h"
#include "server/handlers.h"

enum {
	SEARCH_MAX_QUERY  = 256,   /* bytes of ?q= */
	SEARCH_MAX_LIMIT  = 100,
	SEARCH_MAX_OFFSET = 10000,
	SUGGEST_MAX_LIMIT = 50
};

/* Serialises o (taking the reference) as the 200 response. */
static int reply_json(sh_request *req, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!s)
		return sh_error(SH_ENOMEM, "out of memory (JSON response)");
	int rc = sh_buf_puts(&req->body, s);
	free(s);
	if (!rc)
		rc = sh_buf_putc(&req->body, '\n');
	return rc ? rc : sh_reply_ok(req, "application/json");
}

static json_t *concept_ref(const sh_request *req, sh_cid c)
{
	return json_pack("{s:s,s:s,s:s,s:s}",
	                 "id", sh_concept_id(req->idx, c),
	                 "uri", sh_concept_uri(req->idx, c),
	                 "type", sh_kind_name(sh_concept_kind(req->idx, c)),
	                 "label", sh_concept_label(req->idx, c, req->lang));
}

int sh_api_health(sh_request *req)
{
	return reply_json(req, json_pack("{s:s,s:I,s:I}", "status", "ok",
	                                 "concepts", (json_int_t)sh_index_concept_count(req->idx),
	                                 "generation", (json_int_t)sh_index_generation(req->idx)));
}

int sh_api_openapi(sh_request *req)
{
	int rc = sh_buf_puts(&req->body, sh_openapi_json);
	return rc ? rc : sh_reply_ok(req, "application/json");
}

int sh_api_languages(sh_request *req)
{
	const char *const *langs;
	size_t n = sh_index_languages(req->idx, &langs);
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(langs[i]));
	return reply_json(req, json_pack("{s:o}", "languages", a));
}

/* The hits of a search or suggestion as a JSON array. */
static json_t *hits_json(const sh_request *req, const sh_search_hit *hits, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		json_t *o = concept_ref(req, hits[i].concept);
		if (o) {
			json_object_set_new(o, "matchedLabel", json_string(hits[i].matched_label));
			json_object_set_new(o, "score", json_real(hits[i].score));
		}
		json_array_append_new(a, o);
	}
	return a;
}

int sh_api_search(sh_request *req)
{
	const char *q;
	size_t limit, offset;
	unsigned kinds;
	int rc;
	if ((rc = sh_param_text(req, "q", SEARCH_MAX_QUERY, &q)) ||
	    (rc = sh_param_kinds(req, &kinds)) ||
	    (rc = sh_param_size(req, "limit", 20, 1, SEARCH_MAX_LIMIT, &limit)) ||
	    (rc = sh_param_size(req, "offset", 0, 0, SEARCH_MAX_OFFSET, &offset)))
		return rc;
	sh_search_opts opts = { kinds, req->lang, offset };
	sh_search_hit hits[SEARCH_MAX_LIMIT + 1];
	size_t n;
	if ((rc = sh_search(req->idx, q, &opts, hits, limit + 1, &n)))
		return rc;
	int more = n > limit;
	return reply_json(req, json_pack("{s:s,s:s,s:I,s:I,s:o,s:b}",
		"query", q, "lang", req->lang, "offset", (json_int_t)offset, "limit", (json_int_t)limit,
		"results", hits_json(req, hits, more ? limit : n), "hasMore", more));
}

int sh_api_suggest(sh_request *req)
{
	const char *q;
	size_t limit;
	unsigned kinds;
	int rc;
	if ((rc = sh_param_text(req, "q", SEARCH_MAX_QUERY, &q)) ||
	    (rc = sh_param_kinds(req, &kinds)) ||
	    (rc = sh_param_size(req, "limit", 10, 1, SUGGEST_MAX_LIMIT, &limit)))
		return rc;
	sh_search_opts opts = { kinds, req->lang, 0 };
	sh_search_hit hits[SUGGEST_MAX_LIMIT];
	size_t n;
	if ((rc = sh_suggest(req->idx, q, &opts, hits, limit, &n)))
		return rc;
	return reply_json(req, json_pack("{s:s,s:s,s:o}", "query", q, "lang", req->lang,
	                                 "results", hits_json(req, hits, n)));
}

int sh_api_concept(sh_request *req)
{
	sh_cid c;
	char *json;
	int rc = sh_param_concept(req, 0, &c);
	if (rc)
		return rc;
	if ((rc = sh_concept_json(req->idx, c, req->lang, &json)))
		return rc;
	rc = sh_buf_puts(&req->body, json);
	free(json);
	if (!rc)
		rc = sh_buf_putc(&req->body, '\n');
	return rc ? rc : sh_reply_ok(req, "application/json");
}

/* Appends the concepts related to c by rel to a, each with "relation": relation. */
static void append_related(const sh_request *req, json_t *a, sh_cid c, sh_rel rel, const char *relation)
{
	const sh_cid *r;
	size_t n = sh_concept_related(req->idx, c, rel, &r);
	for (size_t i = 0; i < n; i++) {
		json_t *o = concept_ref(req, r[i]);
		if (o)
			json_object_set_new(o, "relation", json_string(relation));
		json_array_append_new(a, o);
	}
}

/*
 * The answer of the three relation routes: {"<subject_key>": ref,
 * "<list_key>": [ref + relation]} for a subject of the given kind, with the
 * essential and/or optional relation as ?relation= asks.
 */
static int relation_route(sh_request *req, sh_kind kind, const char *subject_key, const char *list_key,
                          sh_rel essential, sh_rel optional)
{
	sh_cid c;
	unsigned which;
	int rc;
	if ((rc = sh_param_concept(req, 0, &c)) || (rc = sh_param_relation(req, &which)))
		return rc;
	if (sh_concept_kind(req->idx, c) != kind)
		return sh_reply_problem(req, 404, "not-found", NULL, "'%s' is a %s, not a %s", req->arg[0],
		                        sh_kind_name(sh_concept_kind(req->idx, c)), sh_kind_name(kind));
	json_t *a = json_array();
	if (a && (which & 1))
		append_related(req, a, c, essential, "essential");
	if (a && (which & 2))
		append_related(req, a, c, optional, "optional");
	return reply_json(req, json_pack("{s:o,s:o}", subject_key, concept_ref(req, c), list_key, a));
}

int sh_api_occupation_skills(sh_request *req)
{
	return relation_route(req, SH_KIND_OCCUPATION, "occupation", "skills",
	                      SH_REL_ESSENTIAL_SKILL, SH_REL_OPTIONAL_SKILL);
}

int sh_api_skill_occupations(sh_request *req)
{
	return relation_route(req, SH_KIND_SKILL, "skill", "occupations",
	                      SH_REL_ESSENTIAL_FOR, SH_REL_OPTIONAL_FOR);
}

int sh_api_skill_related(sh_request *req)
{
	return relation_route(req, SH_KIND_SKILL, "skill", "related",
	                      SH_REL_RELATED_ESSENTIAL, SH_REL_RELATED_OPTIONAL);
}
