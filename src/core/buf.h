/*
 * core/buf.h - growable byte buffer.
 *
 * An sh_buf owns its memory (data is NUL-terminated after every append so it
 * can be used as a C string).  Appends double the capacity; on allocation
 * failure the buffer keeps its old content and the call returns SH_ENOMEM.
 * A zero-initialised sh_buf is empty and valid; sh_buf_free() releases it.
 */
#ifndef SH_CORE_BUF_H
#define SH_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sh_buf {
	char  *data;
	size_t len;
	size_t cap;
} sh_buf;

#define SH_BUF_INIT { NULL, 0, 0 }

int  sh_buf_reserve(sh_buf *b, size_t extra);
int  sh_buf_append(sh_buf *b, const void *p, size_t n);
int  sh_buf_puts(sh_buf *b, const char *s);
int  sh_buf_putc(sh_buf *b, char c);
int  sh_buf_printf(sh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as the body of a JSON string (no quotes), escaping as RFC 8259 requires. */
int  sh_buf_json_escape(sh_buf *b, const char *s, size_t n);
void sh_buf_clear(sh_buf *b);
/* Hands the memory to the caller (NUL-terminated, never NULL) and empties b. */
char *sh_buf_detach(sh_buf *b);
void sh_buf_free(sh_buf *b);

#endif
