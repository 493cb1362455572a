/*
 * ads/langid.h - internals of the language identifier: the n-gram scanner
 * shared by training and classification, the streaming trainer, and the
 * layout of a model blob.
 *
 * Features.  The text is read as code points; letters and combining marks
 * are lower-cased (utf8proc simple case mapping, accents kept: they carry
 * much of the signal), anything else (digits, punctuation, blanks, invalid
 * UTF-8 bytes) is a word boundary, written as one space.  At every position
 * the 1- to 4-grams ending there are emitted, except the lone space: for
 * "Ab 1" the symbols are " ab " and the n-grams "a", " a", "b", "ab", " ab",
 * "b ", "ab ", " ab ".  An n-gram is hashed to 64 bits and the top
 * bucket_bits bits of the hash pick its bucket.
 *
 * Model blob (little-endian, host order as the index file):
 *   header  magic "SHLANG01" | u32 format | u32 nlang | u32 bucket_bits |
 *           u32 ngram_max | u64 size of the whole blob
 *   codes   nlang x char[8], NUL-padded language codes
 *   table   (1 << bucket_bits) rows x nlang int16: round(64 * ln P(bucket | lang)),
 *           one row per bucket so that a lookup reads one cache line.
 */
#ifndef SH_ADS_LANGID_H
#define SH_ADS_LANGID_H

#include <stddef.h>
#include <stdint.h>

#include "skillhub/ads.h"

#define SH_LANGID_MAGIC      "SHLANG01"
#define SH_LANGID_FORMAT     1u
#define SH_LANGID_BITS       14u   /* 16384 buckets per language */
#define SH_LANGID_NGRAM_MAX  4u
#define SH_LANGID_SCALE      64.0  /* table unit: 1/64 nat */
#define SH_LANGID_MAX_LANGS  64u

/* Resumable scanner over a text: emits bucket numbers. */
typedef struct sh_langid_scan {
	const unsigned char *p, *end;
	uint32_t window[SH_LANGID_NGRAM_MAX]; /* last code points, window[0] newest */
	unsigned filled;                      /* valid entries of window */
	unsigned bits;
	size_t   letters;                     /* letters seen so far */
	int      done;                        /* the closing space was emitted */
} sh_langid_scan;

void sh_langid_scan_init(sh_langid_scan *s, const char *text, size_t len, unsigned bits);
/* Writes up to cap (>= SH_LANGID_NGRAM_MAX) bucket numbers to out; returns how many, 0 at the end. */
size_t sh_langid_scan_next(sh_langid_scan *s, uint32_t *out, size_t cap);

/* Streaming trainer: add samples one by one, then build the blob. */
typedef struct sh_langid_trainer sh_langid_trainer;

int  sh_langid_trainer_new(sh_langid_trainer **out, unsigned bucket_bits);
/* Adds text[0..len) (all of it, not only the first SH_LANGID_MAX_BYTES) to the counts of lang. */
int  sh_langid_trainer_add(sh_langid_trainer *t, const char *lang, const char *text, size_t len);
int  sh_langid_trainer_finish(sh_langid_trainer *t, void **blob, size_t *size);
void sh_langid_trainer_free(sh_langid_trainer *t);

#endif
