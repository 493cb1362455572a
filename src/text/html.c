/*
 * text/html.c - plain text of an HTML fragment (job ad descriptions).
 *
 * Not a conforming HTML parser: a single forward scan that is good enough
 * for the markup of job ads and never fails on broken markup.
 *
 *   - Escaped markup.  Job feeds often escape the HTML once more ("&lt;p&gt;"
 *     inside JSON).  When escaped tags ("&lt;" + letter, "/" or "!")
 *     outnumber real ones, the character references are decoded first and
 *     the result is parsed as HTML; this repeats for markup escaped several
 *     times (at most SH_HTML_MAX_UNESCAPE rounds).
 *   - Tags.  "<" followed by a letter, "/", "!" or "?" starts a tag that ends
 *     at the next ">" (a "<" without one is text).  Comments end at "-->".
 *     The content of script and style elements is dropped.
 *   - Breaks.  <br> gives a line break (two in a row a paragraph break);
 *     the block elements in block_tags
 *     (p, div, h1-h6, ul, ol, table, tr, ...) give a paragraph break (a blank
 *     line, which the tokenizer takes as a sentence end); <li> starts a new
 *     line with "• " so that every list item is a sentence; td/th separate
 *     cells with a space.
 *   - Character references: the HTML 4 named set (all of Latin-1 plus common
 *     punctuation and symbols) with a ";", decimal and hex always; numeric
 *     references to 128-159 are read as Windows-1252 as browsers do; NUL,
 *     surrogates and values above U+10FFFF become U+FFFD.  Unknown references
 *     stay as they are.
 *   - Plain text.  Input without any tag, raw or escaped, is taken as plain
 *     text that may contain references ("cas d&#39;usage"): its line breaks
 *     are kept (at most two in a row) instead of being blanks.
 *   - Blanks.  Runs of white space (including no-break spaces) collapse to
 *     one space, at most two line breaks follow each other, and the result has
 *     no leading or trailing blanks.  Bytes that are not UTF-8 are copied
 *     unchanged (sh_utf8_sanitize() repairs them if needed).
 */
#include "skillhub/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "text/utf8.h"

#define SH_HTML_MAX_UNESCAPE 3

/* Names of U+00A0..U+00FF. */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
	"Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
	"ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
	"Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
	"egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
	"eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

static const struct {
	const char *name;
	uint32_t cp;
} other_names[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "AMP", '&' }, { "LT", '<' }, { "GT", '>' }, { "QUOT", '"' },
	{ "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 },
	{ "Yuml", 0x178 }, { "fnof", 0x192 }, { "circ", 0x2C6 }, { "tilde", 0x2DC },
	{ "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 }, { "zwnj", 0x200C },
	{ "zwj", 0x200D }, { "lrm", 0x200E }, { "rlm", 0x200F }, { "hyphen", 0x2010 },
	{ "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "sbquo", 0x201A }, { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "bdquo", 0x201E },
	{ "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "bull", 0x2022 }, { "hellip", 0x2026 },
	{ "permil", 0x2030 }, { "prime", 0x2032 }, { "Prime", 0x2033 }, { "lsaquo", 0x2039 },
	{ "rsaquo", 0x203A }, { "euro", 0x20AC }, { "trade", 0x2122 }, { "larr", 0x2190 },
	{ "rarr", 0x2192 }, { "check", 0x2713 },
};

/* Windows-1252 meaning of the numeric references 128..159 (0: keep the value). */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static uint32_t named_reference(const char *name, size_t n)
{
	if (n < 2 || n > 8)
		return 0;
	for (size_t i = 0; i < sizeof other_names / sizeof *other_names; i++)
		if (strncmp(other_names[i].name, name, n) == 0 && other_names[i].name[n] == '\0')
			return other_names[i].cp;
	for (size_t i = 0; i < 96; i++)
		if (strncmp(latin1_names[i], name, n) == 0 && latin1_names[i][n] == '\0')
			return 0xA0 + (uint32_t)i;
	return 0;
}

/*
 * Decodes the character reference at s[0..len) (s[0] == '&').  Returns its
 * length and sets *cp, or 0 when it is not a reference.
 */
static size_t char_reference(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 1;
	if (i < len && s[i] == '#') {
		int hex = i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X');
		i += 1 + (size_t)hex;
		size_t digits = i;
		uint32_t v = 0;
		for (; i < len; i++) {
			unsigned d;
			char c = s[i];
			if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0');
			else if (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
				d = (unsigned)((c | 0x20) - 'a' + 10);
			else
				break;
			v = v > 0x10FFFF ? v : v * (hex ? 16 : 10) + d;
		}
		if (i == digits || i >= len || s[i] != ';')
			return 0;
		if (v >= 0x80 && v < 0xA0 && cp1252[v - 0x80])
			v = cp1252[v - 0x80];
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		*cp = v;
		return i + 1;
	}
	while (i < len && i < 10 && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
		i++;
	while (i < len && i < 10 && s[i] >= '0' && s[i] <= '9')
		i++; /* sup2, frac12 */
	if (i >= len || s[i] != ';' || !(*cp = named_reference(s + 1, i - 1)))
		return 0;
	return i + 1;
}

/* Tags that end a paragraph; <br>, <li>, <td>, <th> are handled apart. */
static int is_block_tag(const char *name, size_t n)
{
	static const char *const block_tags[] = {
		"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
		"table", "tr", "thead", "tbody", "section", "article", "header", "footer",
		"blockquote", "pre", "hr", "address", "figure", "form", "fieldset", "main", "nav",
	};
	for (size_t i = 0; i < sizeof block_tags / sizeof *block_tags; i++)
		if (strlen(block_tags[i]) == n && strncasecmp(block_tags[i], name, n) == 0)
			return 1;
	return 0;
}

/* Output with collapsed blanks: separators are held back until the next visible character. */
typedef struct text_out {
	sh_buf b;
	int space;    /* a blank is pending */
	int newlines; /* line breaks pending (0..2) */
	size_t no_gt; /* no ">" at or after this position of the input (SIZE_MAX: unknown) */
} text_out;

static void want_newlines(text_out *o, int n)
{
	if (o->newlines < n)
		o->newlines = n;
}

/* One more line break (<br>, or "\n" in plain text): two in a row make a paragraph break. */
static void add_newline(text_out *o)
{
	if (o->newlines < 2)
		o->newlines++;
}

static int put_visible(text_out *o, const char *p, size_t n)
{
	if (o->b.len > 0) {
		if (o->newlines) {
			if (sh_buf_append(&o->b, "\n\n", (size_t)o->newlines) != 0)
				return SH_ENOMEM;
		} else if (o->space && sh_buf_putc(&o->b, ' ') != 0) {
			return SH_ENOMEM;
		}
	}
	o->space = 0;
	o->newlines = 0;
	return sh_buf_append(&o->b, p, n) != 0 ? SH_ENOMEM : SH_OK;
}

static int put_codepoint(text_out *o, uint32_t cp)
{
	if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f') {
		o->space = 1;
		return SH_OK;
	}
	char u[4];
	return put_visible(o, u, (size_t)sh_utf8_encode(cp, u));
}

/* Position of needle (ASCII, lowercase) in s[from..len) ignoring case, or len. */
static size_t find_nocase(const char *s, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = from; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return i;
	return len;
}

static int is_ascii_alpha(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/*
 * Handles the markup at s[i] == '<'.  Returns the position after it, or i
 * when the "<" is text.
 */
static size_t markup(text_out *o, const char *s, size_t len, size_t i, int *rc)
{
	if (i + 1 >= len)
		return i;
	char c = s[i + 1];
	if (i + 3 < len && memcmp(s + i + 1, "!--", 3) == 0) {
		size_t e = find_nocase(s, len, i + 4, "-->");
		return e == len ? len : e + 3;
	}
	if (!is_ascii_alpha(c) && c != '/' && c != '!' && c != '?')
		return i;
	const char *end = i < o->no_gt ? memchr(s + i + 1, '>', len - i - 1) : NULL;
	if (!end) { /* remembered, so that many "<" without ">" cost linear time */
		o->no_gt = i;
		return i;
	}
	size_t gt = (size_t)(end - s);
	int closing = c == '/';
	size_t name = i + 1 + (size_t)closing, n = 0;
	while (name + n < gt && (is_ascii_alpha(s[name + n]) || (s[name + n] >= '0' && s[name + n] <= '9')))
		n++;
	const char *tag = s + name;
	if (!closing && s[gt - 1] != '/' &&
	    ((n == 6 && strncasecmp(tag, "script", 6) == 0) || (n == 5 && strncasecmp(tag, "style", 5) == 0))) {
		size_t e = find_nocase(s, len, gt + 1, n == 6 ? "</script" : "</style");
		while (e < len && s[e] != '>')
			e++;
		return e == len ? len : e + 1;
	}
	if (n == 2 && strncasecmp(tag, "br", 2) == 0) {
		add_newline(o);
	} else if (n == 2 && strncasecmp(tag, "li", 2) == 0) {
		want_newlines(o, 1);
		if (!closing && (*rc = put_visible(o, "\xE2\x80\xA2", 3)) == SH_OK)
			o->space = 1;
	} else if (n == 2 && (strncasecmp(tag, "td", 2) == 0 || strncasecmp(tag, "th", 2) == 0)) {
		o->space = 1;
	} else if (is_block_tag(tag, n)) {
		want_newlines(o, 2);
	}
	return gt + 1;
}

/* What convert() does with its input. */
typedef enum convert_mode {
	UNESCAPE,   /* decode character references only, copy everything else */
	HTML,       /* tags, references, blanks collapsed (line breaks are blanks) */
	PLAIN_TEXT  /* no markup: references, blanks collapsed, line breaks kept */
} convert_mode;

static int is_html_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void put_blank(text_out *o, unsigned char c, convert_mode mode)
{
	if (c == '\n' && mode == PLAIN_TEXT)
		add_newline(o);
	else
		o->space = 1;
}

static int convert(const char *s, size_t len, convert_mode mode, sh_buf *result)
{
	text_out o = { SH_BUF_INIT, 0, 0, SIZE_MAX };
	int rc = SH_OK;
	if (sh_buf_reserve(&o.b, len + 1) != 0)
		rc = SH_ENOMEM;
	else
		sh_buf_clear(&o.b); /* terminated even when nothing is appended */
	size_t i = 0;
	while (rc == SH_OK && i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		if (c == '&') {
			size_t n = char_reference(s + i, len - i, &cp);
			if (n) {
				char u[4];
				if (mode != UNESCAPE)
					rc = put_codepoint(&o, cp);
				else if (sh_buf_append(&o.b, u, (size_t)sh_utf8_encode(cp, u)) != 0)
					rc = SH_ENOMEM;
				i += n;
				continue;
			}
		} else if (mode == UNESCAPE) {
			/* copied below */
		} else if (c == '<' && mode == HTML) {
			size_t next = markup(&o, s, len, i, &rc);
			if (next != i) {
				i = next;
				continue;
			}
		} else if (is_html_blank(c)) {
			put_blank(&o, c, mode);
			i++;
			continue;
		} else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
			o.space = 1;
			i += 2;
			continue;
		}
		/* a run of ordinary bytes, up to the next byte that may be special */
		size_t j = i + 1;
		if (mode == UNESCAPE) {
			const char *amp = memchr(s + j, '&', len - j);
			j = amp ? (size_t)(amp - s) : len;
			if (sh_buf_append(&o.b, s + i, j - i) != 0)
				rc = SH_ENOMEM;
		} else {
			while (j < len && s[j] != '&' && s[j] != '<' && !is_html_blank((unsigned char)s[j]) &&
			       (unsigned char)s[j] != 0xC2)
				j++;
			rc = put_visible(&o, s + i, j - i);
		}
		i = j;
	}
	if (rc != SH_OK) {
		sh_buf_free(&o.b);
		return sh_error(SH_ENOMEM, "sh_html_to_text: out of memory (%zu bytes of HTML)", len);
	}
	*result = o.b;
	return SH_OK;
}

/* Counts tags ("<p", "</", "<!") and escaped tags ("&lt;p", "&amp;lt;p") in s. */
static void count_markup(const char *s, size_t len, size_t *raw, size_t *escaped)
{
	*raw = *escaped = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] == '<') {
			char c = s[i + 1];
			*raw += is_ascii_alpha(c) || c == '/' || c == '!';
		} else if (s[i] == '&') {
			size_t j = i + 1;
			while (j + 4 <= len && memcmp(s + j, "amp;", 4) == 0)
				j += 4; /* escaped more than once */
			if (j + 3 < len && memcmp(s + j, "lt;", 3) == 0) {
				char c = s[j + 3];
				*escaped += is_ascii_alpha(c) || c == '/' || c == '!';
			}
		}
	}
}

int sh_html_to_text(const char *html, size_t len, char **out, size_t *out_len)
{
	sh_buf unescaped = SH_BUF_INIT, text;
	const char *s = html;
	size_t raw, escaped;
	int rc;
	*out = NULL;
	count_markup(s, len, &raw, &escaped);
	convert_mode mode = raw == 0 && escaped == 0 ? PLAIN_TEXT : HTML;
	for (int round = 0; round < SH_HTML_MAX_UNESCAPE && escaped > raw; round++) {
		sh_buf next;
		if ((rc = convert(s, len, UNESCAPE, &next)) != SH_OK) {
			sh_buf_free(&unescaped);
			return rc;
		}
		sh_buf_free(&unescaped);
		unescaped = next;
		s = unescaped.data;
		len = unescaped.len;
		count_markup(s, len, &raw, &escaped);
	}
	rc = convert(s, len, mode, &text);
	sh_buf_free(&unescaped);
	if (rc != SH_OK)
		return rc;
	if (out_len)
		*out_len = text.len;
	*out = sh_buf_detach(&text);
	return SH_OK;
}
