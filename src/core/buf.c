/*
 * core/buf.c - growable byte buffer (see buf.h).
 */
#include "core/buf.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sh_buf_reserve(sh_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return SH_OK;
	if (need < b->len)
		return sh_error(SH_ENOMEM, "buffer size overflow");
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return sh_error(SH_ENOMEM, "out of memory (buffer of %zu bytes)", cap);
	b->data = p;
	b->cap = cap;
	return SH_OK;
}

int sh_buf_append(sh_buf *b, const void *p, size_t n)
{
	int rc = sh_buf_reserve(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return SH_OK;
}

int sh_buf_puts(sh_buf *b, const char *s)
{
	return sh_buf_append(b, s, strlen(s));
}

int sh_buf_putc(sh_buf *b, char c)
{
	return sh_buf_append(b, &c, 1);
}

int sh_buf_printf(sh_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sh_error(SH_ERROR, "bad format string");
	int rc = sh_buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return SH_OK;
}

int sh_buf_json_escape(sh_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = sh_buf_reserve(b, n + 2);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 0;
		switch (c) {
		case '"':  esc[0] = '\\'; esc[1] = '"';  elen = 2; break;
		case '\\': esc[0] = '\\'; esc[1] = '\\'; elen = 2; break;
		case '\n': esc[0] = '\\'; esc[1] = 'n';  elen = 2; break;
		case '\r': esc[0] = '\\'; esc[1] = 'r';  elen = 2; break;
		case '\t': esc[0] = '\\'; esc[1] = 't';  elen = 2; break;
		default:
			if (c < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
			}
		}
		rc = elen ? sh_buf_append(b, esc, elen) : sh_buf_putc(b, (char)c);
		if (rc)
			return rc;
	}
	return SH_OK;
}

void sh_buf_clear(sh_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *sh_buf_detach(sh_buf *b)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void sh_buf_free(sh_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
