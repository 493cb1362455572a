/*
 * server/html.c - HTML escaping and the page frame (see html.h).
 *
 * The frame works without JavaScript: the language switcher is a GET form
 * that reloads the current page with ?lang= (app.js only submits it on
 * change), and every link carries the chosen language.  The header also
 * shows who is signed in (req->account, set by server/auth_web.c).
 */
#include "server/html.h"

#include <stdlib.h>
#include <string.h>

#include "skillhub/text.h"

int sh_html_escape(sh_buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ref;
		switch (s[i]) {
		case '&':  ref = "&amp;"; break;
		case '<':  ref = "&lt;"; break;
		case '>':  ref = "&gt;"; break;
		case '"':  ref = "&quot;"; break;
		case '\'': ref = "&#39;"; break;
		default:   continue;
		}
		int rc = sh_buf_append(b, s + start, i - start);
		if (!rc)
			rc = sh_buf_puts(b, ref);
		if (rc)
			return rc;
		start = i + 1;
	}
	return sh_buf_append(b, s + start, n - start);
}

int sh_html_puts(sh_buf *b, const char *s)
{
	return sh_html_escape(b, s, strlen(s));
}

int sh_html_hidden(sh_buf *b, const char *name, const char *value)
{
	int rc = sh_buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	rc = rc ? rc : sh_html_puts(b, value);
	return rc ? rc : sh_buf_puts(b, "\">");
}

int sh_html_csrf_field(sh_request *req)
{
	return sh_html_hidden(&req->body, "csrf", req->csrf ? req->csrf : "");
}

/* The language switcher: a form that reloads this page (keeping q and type) in another language. */
static int language_form(sh_request *req)
{
	static const char *const kept[] = { "q", "type" };
	sh_buf *b = &req->body;
	const char *const *langs;
	size_t n = sh_index_languages(req->idx, &langs);
	int rc = sh_buf_puts(b, "<form class=\"lang\" method=\"get\" action=\"");
	rc = rc ? rc : sh_html_puts(b, req->path);
	rc = rc ? rc : sh_buf_puts(b, "\"><label for=\"lang-select\">Language</label> "
	                              "<select id=\"lang-select\" name=\"lang\">");
	for (size_t i = 0; i < n && !rc; i++) {
		rc = sh_buf_puts(b, "<option");
		rc = rc ? rc : sh_buf_puts(b, strcmp(langs[i], req->lang) ? "" : " selected");
		rc = rc ? rc : sh_buf_puts(b, " lang=\"");
		rc = rc ? rc : sh_html_puts(b, langs[i]);
		rc = rc ? rc : sh_buf_puts(b, "\">");
		rc = rc ? rc : sh_html_puts(b, langs[i]);
		rc = rc ? rc : sh_buf_puts(b, "</option>");
	}
	rc = rc ? rc : sh_buf_puts(b, "</select>");
	for (size_t i = 0; i < sizeof kept / sizeof kept[0] && !rc; i++) {
		const char *value = sh_http_query_get(&req->query, kept[i]);
		if (!value)
			continue;
		rc = sh_html_hidden(b, kept[i], value);
	}
	return rc ? rc : sh_buf_puts(b, " <button type=\"submit\">Change</button></form>");
}

/* The signed-in user's own pages, as items of the site navigation: each role sees those it may use. */
static int personal_links(sh_request *req)
{
	if (!req->account)
		return SH_OK;
	sh_role role = req->account->role;
	int rc = sh_buf_puts(&req->body, "<li><a href=\"/my/profile\">My profile</a></li>");
	if (!rc && (role == SH_ROLE_PROVIDER || role == SH_ROLE_ADMIN))
		rc = sh_buf_puts(&req->body, "<li><a href=\"/my/courses\">My courses</a></li>");
	if (!rc && (role == SH_ROLE_REVIEWER || role == SH_ROLE_ADMIN))
		rc = sh_buf_puts(&req->body, "<li><a href=\"/review\">Review</a></li>");
	return rc;
}

/*
 * Who is signed in: "Sign in" (a link back to this page after signing in),
 * or the login (to /account) and a "Sign out" button, a POST form carrying
 * the session's CSRF token (a link would let any page sign the user out).
 */
static int account_nav(sh_request *req)
{
	sh_buf *b = &req->body;
	int rc;
	if (!req->account) {
		rc = sh_buf_puts(b, "<p class=\"account\"><a href=\"/login?next=");
		rc = rc ? rc : sh_http_encode(b, req->path);
		return rc ? rc : sh_buf_puts(b, "\">Sign in</a></p>\n");
	}
	rc = sh_buf_puts(b, "<form class=\"account\" method=\"post\" action=\"/logout\"><a href=\"/account\">");
	rc = rc ? rc : sh_html_puts(b, req->account->login);
	rc = rc ? rc : sh_buf_puts(b, "</a>");
	if (req->csrf) {
		rc = rc ? rc : sh_buf_puts(b, " · ");
		rc = rc ? rc : sh_html_csrf_field(req);
		rc = rc ? rc : sh_buf_puts(b, "<button type=\"submit\">Sign out</button>");
	}
	return rc ? rc : sh_buf_puts(b, "</form>\n");
}

int sh_html_begin(sh_request *req, const char *title)
{
	sh_buf *b = &req->body;
	int rc = sh_buf_puts(b, "<!doctype html>\n<html lang=\"");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	rc = rc ? rc : sh_html_puts(b, title);
	rc = rc ? rc : sh_buf_puts(b, " - skillhub</title>\n"
	        "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
	        "<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
	        "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
	        "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
	        "<header>\n<a class=\"brand\" href=\"/?lang=");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">skillhub</a>\n<nav aria-label=\"Site\"><ul><li><a href=\"/?lang=");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">Search</a></li><li><a href=\"/analyse?lang=");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">Analyse a text</a></li><li><a href=\"/courses?lang=");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">Courses</a></li><li><a href=\"/pathways?lang=");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">Pathways</a></li><li><a href=\"/intelligence?lang=");
	rc = rc ? rc : sh_html_puts(b, req->lang);
	rc = rc ? rc : sh_buf_puts(b, "\">Intelligence</a></li>");
	rc = rc ? rc : personal_links(req);
	rc = rc ? rc : sh_buf_puts(b, "</ul></nav>\n");
	rc = rc ? rc : account_nav(req);
	rc = rc ? rc : language_form(req);
	return rc ? rc : sh_buf_puts(b, "\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

int sh_html_end(sh_request *req)
{
	return sh_buf_puts(&req->body,
		"</main>\n<footer>\n<p>This service uses the ESCO classification of the European Commission. "
		"<a href=\"https://esco.ec.europa.eu/\">ESCO portal</a></p>\n</footer>\n</body>\n</html>\n");
}

int sh_html_error_page(sh_request *req, const char *title, const char *detail)
{
	sh_buf *b = &req->body;
	int rc = sh_html_begin(req, title);
	rc = rc ? rc : sh_buf_puts(b, "<h1>");
	rc = rc ? rc : sh_html_puts(b, title);
	rc = rc ? rc : sh_buf_puts(b, "</h1>\n<p>");
	char *clean = NULL; /* the detail may quote bytes of the request that are not UTF-8 */
	size_t clean_len;
	rc = rc ? rc : sh_utf8_sanitize(detail, strlen(detail), &clean, &clean_len);
	rc = rc ? rc : sh_html_escape(b, clean, clean_len);
	free(clean);
	rc = rc ? rc : sh_buf_puts(b, "</p>\n<p><a href=\"/\">Back to the search</a></p>\n");
	return rc ? rc : sh_html_end(req);
}
