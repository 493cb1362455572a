/*
 * match/extract_json.c - JSON text of extraction and title results (see
 * extract_json.h).
 *
 * Written by hand into an sh_buf rather than through jansson: the output is
 * flat, its member order is part of the format, and a line per job ad is the
 * hot path of `skillhub extract` and of POST /api/v1/extract.
 */
#include "match/extract_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends s as a JSON string body: copied as it is unless it has a character to escape. */
static int put_string(sh_buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\')
			return sh_buf_json_escape(out, s, n);
	}
	return sh_buf_append(out, s, n);
}

/* Appends v in decimal. */
static int put_uint(sh_buf *out, unsigned v)
{
	char d[12], *p = d + sizeof d;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return sh_buf_append(out, p, (size_t)(d + sizeof d - p));
}

/*
 * Appends score as printf's "%.4f" would: from the rounded ten-thousandths
 * when the score is in [0, 1] and not within rounding error of a tie
 * (printf rounds the exact binary value), through printf otherwise.
 */
static int put_score(sh_buf *out, float score)
{
	double x = (double)score * 10000.0, whole = floor(x);
	if (!(x >= 0 && x <= 10000) || fabs(x - whole - 0.5) < 1e-6)
		return sh_buf_printf(out, "%.4f", score);
	unsigned v = (unsigned)whole + (x - whole > 0.5);
	char d[6] = { (char)('0' + v / 10000), '.', (char)('0' + v / 1000 % 10), (char)('0' + v / 100 % 10),
	              (char)('0' + v / 10 % 10), (char)('0' + v % 10) };
	return sh_buf_append(out, d, sizeof d);
}

/* `{"uri":"...","label":"...","score":S` (preceded by ',' when comma); the caller closes the object. */
static int put_concept(sh_buf *out, const sh_index *idx, const char *lang, sh_cid c, float score, int comma)
{
	int rc = sh_buf_puts(out, comma ? ",{\"uri\":\"" : "{\"uri\":\"");
	rc = rc ? rc : put_string(out, sh_concept_uri(idx, c));
	rc = rc ? rc : sh_buf_puts(out, "\",\"label\":\"");
	rc = rc ? rc : put_string(out, sh_concept_label(idx, c, lang));
	rc = rc ? rc : sh_buf_puts(out, "\",\"score\":");
	return rc ? rc : put_score(out, score);
}

int sh_occupations_json(sh_buf *out, const sh_index *idx, const char *lang,
                        const sh_occupation_hit *hits, size_t n)
{
	int rc = sh_buf_puts(out, "\"occupations\":[");
	for (size_t i = 0; rc == SH_OK && i < n; i++)
		if ((rc = put_concept(out, idx, lang, hits[i].concept, hits[i].score, i > 0)) == SH_OK)
			rc = sh_buf_putc(out, '}');
	return rc ? rc : sh_buf_putc(out, ']');
}

int sh_extraction_json(sh_buf *out, const sh_index *idx, const char *lang, const sh_extraction *ex)
{
	int rc = sh_buf_puts(out, "\"skills\":[");
	for (size_t i = 0; rc == SH_OK && i < ex->nskills; i++) {
		const sh_skill_hit *h = &ex->skills[i];
		rc = put_concept(out, idx, lang, h->concept, h->score, i > 0);
		rc = rc ? rc : sh_buf_puts(out, ",\"spans\":[");
		for (size_t k = 0; rc == SH_OK && k < h->nspans; k++) {
			rc = sh_buf_puts(out, k ? ",[" : "[");
			rc = rc ? rc : put_uint(out, h->spans[k].start);
			rc = rc ? rc : sh_buf_putc(out, ',');
			rc = rc ? rc : put_uint(out, h->spans[k].end);
			rc = rc ? rc : sh_buf_putc(out, ']');
		}
		rc = rc ? rc : sh_buf_puts(out, "]}");
	}
	rc = rc ? rc : sh_buf_puts(out, "],");
	return rc ? rc : sh_occupations_json(out, idx, lang, ex->occupations, ex->noccupations);
}

int sh_json_value(sh_buf *out, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		return SH_ENOMEM;
	int rc = sh_buf_puts(out, s);
	free(s);
	return rc;
}
