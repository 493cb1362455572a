/*
 * match/extract_input.c - reading a JSON-object input line (extract_input.h).
 *
 * The fast reader makes one pass over the line recording each member as
 * spans (key, raw value), then checks what jansson would check (no
 * duplicate keys, strict UTF-8 in strings, valid escapes in "text", no
 * \u0000) and decodes "text" only when it has escapes.  Values other than
 * "text" are accepted only in forms whose compact jansson dump is their raw
 * text: strings without backslash, integers without '-0' and of at most 18
 * digits, true, false, null.  Any other line goes to jansson, which also
 * words every error, so the messages do not depend on the reader.
 */
#include "match/extract_input.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/error.h"
#include "match/extract_json.h"

#define FAST_MAX_MEMBERS 16   /* more members go to jansson */

typedef struct member {
	const char *key, *val;   /* val: the raw value, quotes included for strings */
	size_t      klen, vlen;
	int         escaped;     /* a string value with a backslash */
} member;

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Length of the strict UTF-8 sequence at s[0..n) (no overlongs, surrogates or > U+10FFFF), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
		return 0;
	return len;
}

/*
 * Scans the body of a string starting after its opening quote; returns the
 * closing quote, or NULL when the string is not for the fast reader (a
 * control character or invalid UTF-8, or a backslash unless escapes_ok).
 * *escaped tells whether a backslash was seen.
 */
static const char *scan_string(const char *p, const char *end, int escapes_ok, int *escaped)
{
	*escaped = 0;
	while (p < end) {
		/* ASCII runs eight bytes at a time: no byte >= 0x80, < 0x20, '"' or '\\' */
		while (end - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
			uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
			uint64_t special = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash);
			if (((special | w) & high) != 0)
				break;
			p += 8;
		}
		if (p >= end)
			break;
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			if (!escapes_ok || end - p < 2)
				return NULL;
			*escaped = 1;
			p += 2;   /* the escape itself is checked when decoding */
			continue;
		}
		size_t n = utf8_seq((const unsigned char *)p, (size_t)(end - p));
		if (n == 0)
			return NULL;
		p += n;
	}
	return NULL;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		           : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (d == 16)
			return 0;
		v = v << 4 | d;
	}
	*out = v;
	return 1;
}

/* Appends code point u as UTF-8. */
static int put_utf8(sh_buf *b, unsigned u)
{
	char s[4];
	size_t n;
	if (u < 0x80) {
		s[0] = (char)u; n = 1;
	} else if (u < 0x800) {
		s[0] = (char)(0xC0 | u >> 6); s[1] = (char)(0x80 | (u & 0x3F)); n = 2;
	} else if (u < 0x10000) {
		s[0] = (char)(0xE0 | u >> 12); s[1] = (char)(0x80 | (u >> 6 & 0x3F)); s[2] = (char)(0x80 | (u & 0x3F)); n = 3;
	} else {
		s[0] = (char)(0xF0 | u >> 18); s[1] = (char)(0x80 | (u >> 12 & 0x3F));
		s[2] = (char)(0x80 | (u >> 6 & 0x3F)); s[3] = (char)(0x80 | (u & 0x3F)); n = 4;
	}
	return sh_buf_append(b, s, n);
}

/*
 * Decodes the escapes of a string body s[0..n) (already scanned: UTF-8 and
 * control characters checked) into out.  Returns 1, 0 when jansson would
 * reject it (unknown escape, \u0000, unpaired surrogate), -1 out of memory.
 */
static int decode_escapes(sh_buf *out, const char *s, size_t n)
{
	const char *end = s + n;
	sh_buf_clear(out);
	if (sh_buf_reserve(out, n + 1) != SH_OK)
		return -1;
	while (s < end) {
		const char *bs = memchr(s, '\\', (size_t)(end - s));
		size_t run = (bs ? bs : end) - s;
		if (sh_buf_append(out, s, run) != SH_OK)
			return -1;
		if (!bs)
			break;
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *e = strchr(from, bs[1]);
		if (bs[1] != '\0' && e) {
			if (sh_buf_putc(out, to[e - from]) != SH_OK)
				return -1;
			s = bs + 2;
			continue;
		}
		unsigned u, lo;
		if (bs[1] != 'u' || end - bs < 6 || !hex4(bs + 2, &u) || u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
			return 0;
		s = bs + 6;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (end - s < 6 || s[0] != '\\' || s[1] != 'u' || !hex4(s + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
				return 0;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			s += 6;
		}
		if (put_utf8(out, u) != SH_OK)
			return -1;
	}
	return 1;
}

/* The end of an integer, true, false or null at p whose dump is its raw text, or NULL. */
static const char *scan_scalar(const char *p, const char *end)
{
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(end - p) >= n && memcmp(p, words[i], n) == 0)
			return p + n;
	}
	const char *q = p + (p < end && *p == '-');
	const char *digits = q;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	size_t nd = (size_t)(q - digits);
	if (nd == 0 || nd > 18 || (digits[0] == '0' && (nd > 1 || digits > p)))
		return NULL;
	if (q < end && (*q == '.' || *q == 'e' || *q == 'E'))
		return NULL;
	return q;
}

/* The fast reader: 1 done, 0 leave the line to jansson, -1 out of memory. */
static int read_fast(sh_input *in, sh_buf *out, const char *line, size_t len, size_t lineno)
{
	member m[FAST_MAX_MEMBERS];
	size_t n = 0, id = SIZE_MAX, text = SIZE_MAX;
	const char *end = line + len, *p = skip_ws(line, end);
	if (p == end || *p++ != '{')
		return 0;
	for (;;) {
		int escaped;
		p = skip_ws(p, end);
		if (n == FAST_MAX_MEMBERS || p == end || *p != '"')
			return 0;
		member *mb = &m[n];
		mb->key = p + 1;
		if (!(p = scan_string(mb->key, end, 0, &escaped)))
			return 0;
		mb->klen = (size_t)(p - mb->key);
		for (size_t i = 0; i < n; i++)
			if (m[i].klen == mb->klen && memcmp(m[i].key, mb->key, mb->klen) == 0)
				return 0;
		int is_text = mb->klen == 4 && memcmp(mb->key, "text", 4) == 0;
		p = skip_ws(p + 1, end);
		if (p == end || *p++ != ':')
			return 0;
		p = skip_ws(p, end);
		mb->val = p;
		mb->escaped = 0;
		if (p < end && *p == '"') {
			if (!(p = scan_string(p + 1, end, is_text, &mb->escaped)))
				return 0;
			p++;
		} else if (is_text || !(p = scan_scalar(p, end))) {
			return 0;
		}
		mb->vlen = (size_t)(p - mb->val);
		if (is_text)
			text = n;
		else if (mb->klen == 2 && memcmp(mb->key, "id", 2) == 0)
			id = n;
		n++;
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p == end || *p++ != '}' || skip_ws(p, end) != end)
			return 0;
		break;
	}
	if (text == SIZE_MAX)
		return 0;
	const member *t = &m[text];
	in->text = t->val + 1;
	in->text_len = t->vlen - 2;
	if (t->escaped) {
		int rc = decode_escapes(&in->decoded, in->text, in->text_len);
		if (rc <= 0)
			return rc;
		in->text = in->decoded.data;
		in->text_len = in->decoded.len;
	}
	int rc = id == SIZE_MAX ? SH_OK : sh_buf_append(&in->id, m[id].val, m[id].vlen);
	rc = rc ? rc : sh_buf_puts(out, "{\"id\":");
	rc = rc ? rc : id == SIZE_MAX ? sh_buf_printf(out, "%zu", lineno) : sh_buf_append(out, m[id].val, m[id].vlen);
	for (size_t i = 0; rc == SH_OK && i < n; i++) {
		if (i == id || i == text)
			continue;
		rc = sh_buf_puts(out, ",\"");
		rc = rc ? rc : sh_buf_append(out, m[i].key, m[i].klen);
		rc = rc ? rc : sh_buf_puts(out, "\":");
		rc = rc ? rc : sh_buf_append(out, m[i].val, m[i].vlen);
	}
	rc = rc ? rc : sh_buf_putc(out, ',');
	return rc == SH_OK ? 1 : -1;
}

/* The jansson reader: everything the fast one leaves, and every error. */
static int read_jansson(sh_input *in, sh_buf *out, const char *line, size_t len, size_t lineno)
{
	json_error_t jerr;
	json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj)
		return sh_error(SH_EFORMAT, "malformed JSON at column %d: %s", jerr.column, jerr.text);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return sh_error(SH_EFORMAT, "not a JSON object");
	}
	const json_t *id = json_object_get(obj, "id");
	const json_t *text = json_object_get(obj, "text");
	int rc = id ? sh_json_value(&in->id, id) : SH_OK;
	if (rc == SH_OK && !json_is_string(text))
		rc = sh_error(SH_EFORMAT, text ? "field \"text\" is not a string" : "missing field \"text\"");
	rc = rc ? rc : sh_buf_puts(out, "{\"id\":");
	rc = rc ? rc : id ? sh_buf_append(out, in->id.data, in->id.len) : sh_buf_printf(out, "%zu", lineno);
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value) {
		if (rc != SH_OK)
			break;
		if (strcmp(key, "id") == 0 || strcmp(key, "text") == 0)
			continue;
		rc = sh_buf_puts(out, ",\"");
		rc = rc ? rc : sh_buf_json_escape(out, key, strlen(key));
		rc = rc ? rc : sh_buf_puts(out, "\":");
		rc = rc ? rc : sh_json_value(out, value);
	}
	rc = rc ? rc : sh_buf_putc(out, ',');
	if (rc == SH_OK) {
		sh_buf_clear(&in->decoded);
		rc = sh_buf_append(&in->decoded, json_string_value(text), json_string_length(text));
		in->text = in->decoded.data;
		in->text_len = in->decoded.len;
	}
	json_decref(obj);
	return rc;
}

int sh_input_read(sh_input *in, sh_buf *out, const char *line, size_t len, size_t lineno, int readers)
{
	size_t mark = out->len;
	sh_buf_clear(&in->id);
	in->text = NULL;
	in->text_len = 0;
	if (readers & SH_INPUT_FAST) {
		int rc = read_fast(in, out, line, len, lineno);
		if (rc < 0)
			return sh_error(SH_ENOMEM, "out of memory");
		if (rc > 0)
			return SH_OK;
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
		sh_buf_clear(&in->id);
	}
	return read_jansson(in, out, line, len, lineno);
}

void sh_input_free(sh_input *in)
{
	sh_buf_free(&in->id);
	sh_buf_free(&in->decoded);
}
