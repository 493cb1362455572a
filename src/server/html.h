/*
 * server/html.h - HTML output: the one escaping function every piece of
 * text from the data or the request goes through, and the page frame
 * (header with the language switcher, main landmark, footer with the ESCO
 * attribution) shared by every page.
 */
#ifndef SH_SERVER_HTML_H
#define SH_SERVER_HTML_H

#include "core/buf.h"
#include "server/request.h"

/* Appends s[0..n) with & < > " ' replaced by character references (safe in text and quoted attributes). */
int sh_html_escape(sh_buf *b, const char *s, size_t n);
/* sh_html_escape of a C string. */
int sh_html_puts(sh_buf *b, const char *s);
/* <input type="hidden" name="NAME" value="VALUE"> (value escaped; name is a literal of the caller). */
int sh_html_hidden(sh_buf *b, const char *name, const char *value);
/* The hidden "csrf" field every state-changing form carries (the session's token; empty without one). */
int sh_html_csrf_field(sh_request *req);

/*
 * Starts a page in req->body: doctype, <html lang>, head (title, viewport,
 * stylesheet, script), skip link, header with the language switcher, and
 * opens <main>.  title is plain text (escaped here).
 */
int sh_html_begin(sh_request *req, const char *title);
/* Closes <main> and appends the footer. */
int sh_html_end(sh_request *req);

/* A whole page telling what went wrong (used for errors on HTML routes). */
int sh_html_error_page(sh_request *req, const char *title, const char *detail);

#endif
