/*
 * text/utf8.h - the strict UTF-8 decoder shared by the text module.
 *
 * sh_utf8_decode() accepts exactly the well-formed sequences of Unicode
 * (Table 3-7): no overlong forms, no surrogates (U+D800..DFFF), nothing above
 * U+10FFFF.  On an ill-formed sequence it reports the length of its "maximal
 * subpart" (the longest prefix that could still have begun a valid sequence,
 * at least one byte), which is the unit replaced by one U+FFFD in
 * sh_utf8_sanitize() and skipped as one separator by the tokenizer.  It never
 * reads s[len] or beyond.
 */
#ifndef SH_TEXT_UTF8_H
#define SH_TEXT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the sequence at s[0..len), len >= 1.  Returns its length (1..4) and
 * sets *cp, or returns minus the length of the maximal ill-formed subpart.
 */
static inline int sh_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned b0 = s[0];
	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	int n;
	unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	uint32_t c;
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		n = 2; c = b0 & 0x1F;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		n = 3; c = b0 & 0x0F;
		if (b0 == 0xE0) lo = 0xA0;       /* overlong */
		else if (b0 == 0xED) hi = 0x9F;  /* surrogates */
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		n = 4; c = b0 & 0x07;
		if (b0 == 0xF0) lo = 0x90;       /* overlong */
		else if (b0 == 0xF4) hi = 0x8F;  /* above U+10FFFF */
	} else {
		return -1; /* continuation byte, C0/C1 or F5..FF */
	}
	for (int k = 1; k < n; k++) {
		if ((size_t)k >= len)
			return -k;
		unsigned b = s[k];
		if (b < lo || b > hi)
			return -k;
		c = (c << 6) | (b & 0x3F);
		lo = 0x80; hi = 0xBF;
	}
	*cp = c;
	return n;
}

/* Writes cp (a valid scalar value) as UTF-8 to out[0..4); returns the length. */
static inline int sh_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

#endif
