/*
 * text/utf8.c - UTF-8 validation and repair (public part of text/utf8.h).
 *
 * Validation runs an ASCII fast path eight bytes at a time and falls back to
 * the strict decoder on the first byte >= 0x80.  Sanitising copies valid
 * sequences unchanged and replaces each maximal ill-formed subpart by one
 * U+FFFD, the practice the Unicode standard recommends (so "\xE2\x82" + "x"
 * becomes U+FFFD + "x", and "\xF8\x88" becomes two U+FFFD).
 */
#include "skillhub/text.h"

#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "text/utf8.h"

/* Length of the pure-ASCII prefix of s[0..len). */
static size_t ascii_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

int sh_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		i += ascii_prefix(u + i, len - i);
		if (i >= len)
			break;
		uint32_t cp;
		int n = sh_utf8_decode(u + i, len - i, &cp);
		if (n < 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

int sh_utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	const unsigned char *u = (const unsigned char *)s;
	sh_buf b = SH_BUF_INIT;
	size_t i = 0;
	*out = NULL;
	if (sh_buf_reserve(&b, len + 1) != 0)
		goto nomem;
	sh_buf_clear(&b); /* terminated even when len == 0 */
	while (i < len) {
		size_t run = ascii_prefix(u + i, len - i);
		uint32_t cp;
		int n = 0;
		while (i + run < len && (n = sh_utf8_decode(u + i + run, len - i - run, &cp)) > 0)
			run += (size_t)n + ascii_prefix(u + i + run + n, len - i - run - (size_t)n);
		if (sh_buf_append(&b, s + i, run) != 0)
			goto nomem;
		i += run;
		if (i < len) { /* n < 0: an ill-formed subpart of -n bytes */
			if (sh_buf_append(&b, replacement, 3) != 0)
				goto nomem;
			i += (size_t)-n;
		}
	}
	if (out_len)
		*out_len = b.len;
	*out = sh_buf_detach(&b);
	return SH_OK;
nomem:
	sh_buf_free(&b);
	return sh_error(SH_ENOMEM, "sh_utf8_sanitize: out of memory (%zu bytes of input)", len);
}
