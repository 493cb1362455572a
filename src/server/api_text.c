/*
 * server/api_text.c - the text routes of the JSON API: POST /api/v1/extract
 * (skills and occupations in texts) and POST /api/v1/titles (occupations
 * for job titles).
 *
 * The body is one JSON object, checked strictly before any work: valid
 * UTF-8, well-formed JSON (the problem gives line, column and byte), no
 * member the route does not know, every member of the right type and range.
 * A problem names the member at fault as "parameter", with a path for batch
 * items ("items[2].text").  A batch holds at most req->max_batch texts
 * (--max-batch); beyond, 413 naming "items" / "titles".
 *
 * The result JSON is written by match/extract_json.c, the code `skillhub
 * extract` and `skillhub titles` use, so the API and the CLI give the same
 * bytes for the same text.  The extractor comes from the pool of the index
 * the request holds (xpool.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "match/extract_json.h"
#include "server/handlers.h"
#include "server/json_body.h"
#include "skillhub/text.h"

enum { TEXT_MAX_TOP = 200 };   /* largest "top" */

int sh_json_body(sh_request *req, json_t **out)
{
	size_t bad;
	json_error_t err;
	*out = NULL;
	if (!sh_request_has_type(req, "application/json", 1))
		return sh_reply_problem(req, 415, "unsupported-media-type", NULL,
		                        "the body must be application/json, got '%s'", req->content_type_in);
	if (!req->content_len)
		return sh_reply_problem(req, 400, "invalid-json", NULL, "the body is empty; expected a JSON object");
	if (!sh_utf8_valid(req->content, req->content_len, &bad))
		return sh_reply_problem(req, 400, "invalid-json", NULL, "the body is not valid UTF-8 at byte %zu", bad);
	json_t *doc = json_loadb(req->content, req->content_len, JSON_REJECT_DUPLICATES, &err);
	if (!doc && json_error_code(&err) == json_error_null_character)
		return sh_reply_problem(req, 400, "invalid-json", NULL, "a string holds \\u0000 at line %d, column %d "
		                        "(byte %d); texts must not contain NUL", err.line, err.column, err.position);
	if (!doc)
		return sh_reply_problem(req, 400, "invalid-json", NULL, "malformed JSON at line %d, column %d (byte %d): %s",
		                        err.line, err.column, err.position, err.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return sh_reply_problem(req, 400, "invalid-json", NULL, "the body must be a JSON object");
	}
	*out = doc;
	return SH_OK;
}

/* 1 if name is one of the space-separated words of list. */
static int in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; *p; ) {
		size_t n = strcspn(p, " ");
		if (n == len && !memcmp(p, name, n))
			return 1;
		p += n + (p[n] == ' ');
	}
	return 0;
}

int sh_json_check_members(sh_request *req, const json_t *o, const char *allowed, const char *where)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		if (!in_list(allowed, key)) {
			char name[128];
			snprintf(name, sizeof name, "%s%s", where, key);
			return sh_reply_problem(req, 400, "unknown-member", name,
			                        "unknown member '%s'; accepted here: %s", name, allowed);
		}
	}
	return SH_OK;
}

/* "lang" and "top" (both routes) and "min_score" (extract) into eo; top defaults to top_default. */
static int read_options(sh_request *req, const json_t *doc, size_t top_default, sh_extract_opts *eo)
{
	const json_t *lang = json_object_get(doc, "lang");
	const json_t *top = json_object_get(doc, "top");
	const json_t *min_score = json_object_get(doc, "min_score");
	*eo = (sh_extract_opts){ "en", top_default, 0 };
	if (lang && (!json_is_string(lang) || !(eo->lang = sh_index_language(req->idx, json_string_value(lang)))))
		return sh_reply_problem(req, 400, "invalid-member", "lang",
		                        "'lang' must be a language code of the index (see /api/v1/languages)");
	if (top) {
		json_int_t k = json_is_integer(top) ? json_integer_value(top) : 0;
		if (k < 1 || k > TEXT_MAX_TOP)
			return sh_reply_problem(req, 400, "invalid-member", "top",
			                        "'top' must be an integer from 1 to %d", TEXT_MAX_TOP);
		eo->top = (size_t)k;
	}
	if (min_score) {
		double s = json_is_number(min_score) ? json_number_value(min_score) : -1;
		if (!(s >= 0 && s <= 1))
			return sh_reply_problem(req, 400, "invalid-member", "min_score",
			                        "'min_score' must be a number from 0 to 1");
		eo->min_score = (float)s;
	}
	return SH_OK;
}

/* Checks that items is a non-empty array of at most req->max_batch entries. */
static int check_batch(sh_request *req, const json_t *items, const char *name)
{
	if (!json_is_array(items))
		return sh_reply_problem(req, 400, "invalid-member", name, "'%s' must be an array", name);
	if (!json_array_size(items))
		return sh_reply_problem(req, 400, "invalid-member", name, "'%s' must not be empty", name);
	if (json_array_size(items) > req->max_batch)
		return sh_reply_problem(req, 413, "batch-too-large", name, "'%s' has %zu entries; the limit is %zu",
		                        name, json_array_size(items), req->max_batch);
	return SH_OK;
}

/* Checks every item of an extract batch: {"text": string, "id"?: any}. */
static int check_items(sh_request *req, const json_t *items)
{
	size_t i;
	json_t *item;
	int rc;
	json_array_foreach(items, i, item) {
		char where[64];
		snprintf(where, sizeof where, "items[%zu]", i);
		if (!json_is_object(item))
			return sh_reply_problem(req, 400, "invalid-member", where, "'%s' must be an object {\"id\", \"text\"}", where);
		snprintf(where, sizeof where, "items[%zu].", i);
		if ((rc = sh_json_check_members(req, item, "id text", where)))
			return rc;
		if (!json_is_string(json_object_get(item, "text"))) {
			snprintf(where, sizeof where, "items[%zu].text", i);
			return sh_reply_problem(req, 400, "invalid-member", where, "'%s' is required and must be a string", where);
		}
	}
	return SH_OK;
}

/* Appends {"id":...,"skills":[...],"occupations":[...]} for one text; position is its 1-based place. */
static int extract_one(sh_request *req, sh_extractor *x, const sh_extract_opts *eo, const json_t *id,
                       const json_t *text, size_t position)
{
	sh_extraction ex;
	int rc = sh_extract(x, json_string_value(text), json_string_length(text), eo, &ex);
	rc = rc ? rc : sh_buf_puts(&req->body, "{\"id\":");
	rc = rc ? rc : id ? sh_json_value(&req->body, id) : sh_buf_printf(&req->body, "%zu", position);
	rc = rc ? rc : sh_buf_putc(&req->body, ',');
	rc = rc ? rc : sh_extraction_json(&req->body, req->idx, eo->lang, &ex);
	return rc ? rc : sh_buf_putc(&req->body, '}');
}

static int extract_texts(sh_request *req, const json_t *doc)
{
	const json_t *text = json_object_get(doc, "text"), *items = json_object_get(doc, "items");
	sh_extract_opts eo;
	sh_extractor *x;
	int rc;
	if (text && items)
		return sh_reply_problem(req, 400, "invalid-member", "items", "give either 'text' or 'items', not both");
	if ((rc = sh_json_check_members(req, doc, items ? "items lang top min_score" : "id text lang top min_score", "")) ||
	    (rc = read_options(req, doc, 0, &eo)))
		return rc;
	if (!items) {
		if (!json_is_string(text))
			return sh_reply_problem(req, 400, "invalid-member", "text",
			                        "'text' (a string) or 'items' (an array) is required");
		if ((rc = sh_request_extractor(req, &x)))
			return rc;
		return extract_one(req, x, &eo, json_object_get(doc, "id"), text, 1);
	}
	if ((rc = check_batch(req, items, "items")) || (rc = check_items(req, items)) ||
	    (rc = sh_request_extractor(req, &x)))
		return rc;
	rc = sh_buf_puts(&req->body, "{\"results\":[");
	for (size_t i = 0; !rc && i < json_array_size(items); i++) {
		const json_t *item = json_array_get(items, i);
		rc = i ? sh_buf_putc(&req->body, ',') : SH_OK;
		rc = rc ? rc : extract_one(req, x, &eo, json_object_get(item, "id"), json_object_get(item, "text"), i + 1);
	}
	return rc ? rc : sh_buf_puts(&req->body, "]}");
}

/* Finishes a JSON answer written into req->body by fn (which may reply with a problem instead). */
static int answer(sh_request *req, int (*fn)(sh_request *, const json_t *))
{
	json_t *doc;
	int rc = sh_json_body(req, &doc);
	if (rc)
		return rc;
	rc = fn(req, doc);
	json_decref(doc);
	if (rc || req->status)
		return rc;
	rc = sh_buf_putc(&req->body, '\n');
	return rc ? rc : sh_reply_ok(req, "application/json");
}

int sh_api_extract(sh_request *req)
{
	return answer(req, extract_texts);
}

/* Appends {"occupations":[...]} for one title. */
static int title_one(sh_request *req, sh_extractor *x, const sh_extract_opts *eo, const json_t *title)
{
	const sh_occupation_hit *hits;
	size_t n;
	int rc = sh_titles(x, json_string_value(title), json_string_length(title), eo, &hits, &n);
	rc = rc ? rc : sh_buf_putc(&req->body, '{');
	rc = rc ? rc : sh_occupations_json(&req->body, req->idx, eo->lang, hits, n);
	return rc ? rc : sh_buf_putc(&req->body, '}');
}

static int match_titles(sh_request *req, const json_t *doc)
{
	const json_t *title = json_object_get(doc, "title"), *titles = json_object_get(doc, "titles");
	sh_extract_opts eo;
	sh_extractor *x;
	size_t i;
	json_t *t;
	int rc;
	if (title && titles)
		return sh_reply_problem(req, 400, "invalid-member", "titles", "give either 'title' or 'titles', not both");
	if ((rc = sh_json_check_members(req, doc, titles ? "titles lang top" : "title lang top", "")) ||
	    (rc = read_options(req, doc, 10, &eo)))
		return rc;
	if (!titles) {
		if (!json_is_string(title))
			return sh_reply_problem(req, 400, "invalid-member", "title",
			                        "'title' (a string) or 'titles' (an array of strings) is required");
		return (rc = sh_request_extractor(req, &x)) ? rc : title_one(req, x, &eo, title);
	}
	if ((rc = check_batch(req, titles, "titles")))
		return rc;
	json_array_foreach(titles, i, t) {
		if (!json_is_string(t)) {
			char where[48];
			snprintf(where, sizeof where, "titles[%zu]", i);
			return sh_reply_problem(req, 400, "invalid-member", where, "'%s' must be a string", where);
		}
	}
	if ((rc = sh_request_extractor(req, &x)))
		return rc;
	rc = sh_buf_puts(&req->body, "{\"results\":[");
	json_array_foreach(titles, i, t) {
		rc = rc ? rc : i ? sh_buf_putc(&req->body, ',') : SH_OK;
		rc = rc ? rc : title_one(req, x, &eo, t);
	}
	return rc ? rc : sh_buf_puts(&req->body, "]}");
}

int sh_api_titles(sh_request *req)
{
	return answer(req, match_titles);
}
