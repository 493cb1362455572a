/*
 * server/page_analyse.c - the "analyse a text" page: GET /analyse shows a
 * form; POST /analyse (an HTML form, application/x-www-form-urlencoded) or
 * GET /analyse?text=... (for links) shows the text with every skill found
 * highlighted, a table of the skills and the occupations mentioned.
 *
 * The page contract (kept for the browser tests): the form has
 * id="analyse-text" (textarea name="text") and a select name="lang"; each
 * highlighted span is <mark class="skill" data-uri="URI"><a href="/concept/ID">
 * (with ?lang= when the language is not English); the skills are in
 * <table class="skills">.
 *
 * Overlapping spans: see marks.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/handlers.h"
#include "server/html.h"
#include "server/marks.h"
#include "skillhub/extract.h"

enum { ANALYSE_MAX_TEXT = 100000 };  /* bytes of text analysed by the page */

/* /concept/ID, plus ?lang=L when the page is not in English. */
static int concept_href(sh_request *req, sh_cid c)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "/concept/");
	rc = rc ? rc : sh_http_encode(b, sh_concept_id(req->idx, c));
	if (!rc && strcmp(req->lang, "en")) {
		rc = sh_buf_puts(b, "?lang=");
		rc = rc ? rc : sh_http_encode(b, req->lang);
	}
	return rc;
}

/* <a href="/concept/ID">label</a> */
static int concept_link(sh_request *req, sh_cid c)
{
	int rc = sh_buf_puts(&req->body, "<a href=\"");
	rc = rc ? rc : concept_href(req, c);
	rc = rc ? rc : sh_buf_puts(&req->body, "\">");
	rc = rc ? rc : sh_html_puts(&req->body, sh_concept_label(req->idx, c, req->lang));
	return rc ? rc : sh_buf_puts(&req->body, "</a>");
}

static int analyse_form(sh_request *req, const char *text)
{
	sh_buf *b = &req->body;
	const char *const *langs;
	size_t n = sh_index_languages(req->idx, &langs);
	/* The newline after <textarea> is dropped by HTML parsers, so a text starting with one keeps it. */
	int rc = sh_buf_printf(b, "<form class=\"analyse\" method=\"post\" action=\"/analyse\">\n"
	        "<div><label for=\"analyse-text\">Text to analyse: a job ad, a CV, a course description</label>\n"
	        "<textarea name=\"text\" id=\"analyse-text\" rows=\"12\" required maxlength=\"%d\">\n",
	        ANALYSE_MAX_TEXT);
	rc = rc ? rc : sh_html_puts(b, text);
	rc = rc ? rc : sh_buf_puts(b, "</textarea></div>\n<div><label for=\"analyse-lang\">Language of the text</label>\n"
	                              "<select name=\"lang\" id=\"analyse-lang\">");
	for (size_t i = 0; i < n && !rc; i++) {
		rc = sh_buf_puts(b, "<option value=\"");
		rc = rc ? rc : sh_html_puts(b, langs[i]);
		rc = rc ? rc : sh_buf_puts(b, strcmp(langs[i], req->lang) ? "\">" : "\" selected>");
		rc = rc ? rc : sh_html_puts(b, langs[i]);
		rc = rc ? rc : sh_buf_puts(b, "</option>");
	}
	return rc ? rc : sh_buf_puts(b, "</select></div>\n<button type=\"submit\">Analyse</button>\n</form>\n");
}

/* The text, escaped, with the skill spans marked (those sh_marks_select keeps). */
static int marked_text(sh_request *req, const char *text, size_t len, const sh_extraction *ex)
{
	size_t n = 0;
	for (size_t i = 0; i < ex->nskills; i++)
		n += ex->skills[i].nspans;
	sh_mark *m = malloc((n ? n : 1) * sizeof *m);
	if (!m)
		return sh_error(SH_ENOMEM, "out of memory marking %zu spans", n);
	n = 0;
	for (size_t i = 0; i < ex->nskills; i++)
		for (size_t k = 0; k < ex->skills[i].nspans; k++)
			m[n++] = (sh_mark){ ex->skills[i].spans[k].start, ex->skills[i].spans[k].end, ex->skills[i].concept, i };
	n = sh_marks_select(m, n, len);
	sh_buf *b = &req->body;
	size_t at = 0;
	int rc = sh_buf_puts(b, "<div class=\"analysed-text\">");
	for (size_t i = 0; i < n && !rc; i++) {
		rc = sh_html_escape(b, text + at, m[i].start - at);
		rc = rc ? rc : sh_buf_puts(b, "<mark class=\"skill\" data-uri=\"");
		rc = rc ? rc : sh_html_puts(b, sh_concept_uri(req->idx, m[i].concept));
		rc = rc ? rc : sh_buf_puts(b, "\"><a href=\"");
		rc = rc ? rc : concept_href(req, m[i].concept);
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_escape(b, text + m[i].start, m[i].end - m[i].start);
		rc = rc ? rc : sh_buf_puts(b, "</a></mark>");
		at = m[i].end;
	}
	free(m);
	rc = rc ? rc : sh_html_escape(b, text + at, len - at);
	return rc ? rc : sh_buf_puts(b, "</div>\n");
}

static int skills_table(sh_request *req, const sh_extraction *ex)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_printf(b, "<table class=\"skills\">\n<caption>%zu skill%s found, best first</caption>\n"
	        "<thead><tr><th scope=\"col\">Skill</th><th scope=\"col\">Score</th>"
	        "<th scope=\"col\">Occurrences</th></tr></thead>\n<tbody>\n", ex->nskills, ex->nskills == 1 ? "" : "s");
	for (size_t i = 0; i < ex->nskills && !rc; i++) {
		rc = sh_buf_puts(b, "<tr><th scope=\"row\">");
		rc = rc ? rc : concept_link(req, ex->skills[i].concept);
		rc = rc ? rc : sh_buf_printf(b, "</th><td>%.2f</td><td>%zu</td></tr>\n", ex->skills[i].score,
		                             ex->skills[i].nspans);
	}
	return rc ? rc : sh_buf_puts(b, "</tbody>\n</table>\n");
}

static int occupations_list(sh_request *req, const sh_extraction *ex)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<section aria-labelledby=\"analyse-occupations\">"
	                        "<h2 id=\"analyse-occupations\">Occupations mentioned</h2>\n");
	if (!ex->noccupations)
		rc = rc ? rc : sh_buf_puts(b, "<p>No occupation is named in this text.</p>\n");
	else
		rc = rc ? rc : sh_buf_puts(b, "<ul class=\"occupations\">\n");
	for (size_t i = 0; i < ex->noccupations && !rc; i++) {
		rc = sh_buf_puts(b, "<li>");
		rc = rc ? rc : concept_link(req, ex->occupations[i].concept);
		rc = rc ? rc : sh_buf_printf(b, " <span class=\"score\">%.2f</span></li>\n", ex->occupations[i].score);
	}
	if (ex->noccupations)
		rc = rc ? rc : sh_buf_puts(b, "</ul>\n");
	return rc ? rc : sh_buf_puts(b, "</section>\n");
}

static int analysis(sh_request *req, const char *text)
{
	sh_extractor *x;
	sh_extraction ex;
	sh_extract_opts eo = { req->lang, 0, 0 };
	size_t len = strlen(text);
	int rc = sh_request_extractor(req, &x);
	if (rc || (rc = sh_extract(x, text, len, &eo, &ex)))
		return rc;
	sh_buf *b = &req->body;
	rc = sh_buf_puts(b, "<section aria-labelledby=\"analyse-skills\">"
	                    "<h2 id=\"analyse-skills\">Skills in the text</h2>\n");
	rc = rc ? rc : marked_text(req, text, len, &ex);
	if (ex.nskills)
		rc = rc ? rc : skills_table(req, &ex);
	else
		rc = rc ? rc : sh_buf_puts(b, "<p>No skill is named in this text.</p>\n");
	rc = rc ? rc : sh_buf_puts(b, "</section>\n");
	return rc ? rc : occupations_list(req, &ex);
}

/* The page, for text (NULL or blank: the form alone). */
static int render(sh_request *req, const char *text)
{
	int blank = !text || !text[strspn(text, " \t\r\n")];
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, "Analyse a text");
	rc = rc ? rc : sh_buf_puts(b, "<h1>Analyse a text</h1>\n<p>Paste a text to see which skills and "
	                              "occupations of the classification it names.</p>\n");
	rc = rc ? rc : analyse_form(req, text ? text : "");
	if (!blank)
		rc = rc ? rc : analysis(req, text);
	rc = rc ? rc : sh_html_end(req);
	return rc ? rc : sh_reply_ok(req, "text/html; charset=utf-8");
}

/* Checks the text and the form's language, then renders. */
static int answer(sh_request *req, const sh_http_query *fields)
{
	const char *text = sh_http_query_get(fields, "text");
	const char *lang = sh_http_query_get(fields, "lang");
	const char *known = lang ? sh_index_language(req->idx, lang) : NULL;
	if (lang && !known)
		return sh_reply_problem(req, 400, "invalid-parameter", "lang", "language '%s' is not in the index", lang);
	if (known)
		req->lang = known;
	if (text && strlen(text) > ANALYSE_MAX_TEXT)
		return sh_reply_problem(req, 400, "invalid-parameter", "text", "the text is longer than %d bytes",
		                        ANALYSE_MAX_TEXT);
	return render(req, text);
}

int sh_page_analyse(sh_request *req)
{
	if (req->method != SH_METHOD_POST)
		return answer(req, &req->query);
	if (req->content_len && !sh_request_has_type(req, "application/x-www-form-urlencoded", 1))
		return sh_reply_problem(req, 415, "unsupported-media-type", NULL,
		                        "the form must be sent as application/x-www-form-urlencoded");
	sh_http_query fields;
	char *bad = NULL;
	if (sh_http_query_parse(req->content, req->content_len, &fields, &bad)) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", sh_errmsg());
		int rc = sh_reply_problem(req, 400, "invalid-parameter", bad, "%s", msg);
		free(bad);
		return rc;
	}
	int rc = answer(req, &fields);
	sh_http_query_free(&fields);
	return rc;
}
