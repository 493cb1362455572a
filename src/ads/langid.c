/*
 * ads/langid.c - language identification: a naive Bayes classifier over
 * hashed character n-grams (features and blob layout in ads/langid.h).
 *
 * Training counts, per language, how often each bucket occurs and turns the
 * counts into smoothed log-probabilities, ln((c + ALPHA) / (N + ALPHA * B)),
 * quantised to int16 in 1/64 nat.  Class priors are uniform: the amount of
 * ESCO text per language says nothing about the language of the next ad.
 *
 * Classification adds the log-probabilities of every n-gram of the first
 * SH_LANGID_MAX_BYTES bytes per language, so the work is bounded whatever
 * the input.  Naive Bayes treats overlapping n-grams as independent and is
 * therefore wildly over-confident on long texts; the reported confidence is a
 * softmax of the scores scaled down to the evidence of at most
 * EVIDENCE_NGRAMS n-grams (a few words), which keeps it informative: short
 * or mixed texts get visibly lower values.  The winner does not depend on
 * that scaling.
 */
#include "ads/langid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/error.h"
#include "core/hash.h"
#include "store/db.h"
#include "text/utf8.h"

#define ALPHA           0.5   /* additive smoothing of the bucket counts */
#define EVIDENCE_NGRAMS 20.0  /* confidence: scores scaled to at most this many n-grams */
#define HEADER_SIZE     32u
#define SCAN_CHUNK      512u

/* ---- the n-gram scanner --------------------------------------------------- */

void sh_langid_scan_init(sh_langid_scan *s, const char *text, size_t len, unsigned bits)
{
	memset(s, 0, sizeof *s);
	s->p = (const unsigned char *)text;
	s->end = s->p + len;
	s->window[0] = ' '; /* the text starts at a word boundary */
	s->filled = 1;
	s->bits = bits;
}

enum { SYM_BOUNDARY, SYM_LETTER, SYM_MARK };

/* Next code point mapped to a feature symbol: a lower-cased letter, a mark, or ' '. */
static uint32_t scan_symbol(sh_langid_scan *s, int *kind)
{
	uint32_t cp;
	int n = sh_utf8_decode(s->p, (size_t)(s->end - s->p), &cp);
	*kind = SYM_BOUNDARY;
	if (n < 0) {
		s->p += -n;
		return ' ';
	}
	s->p += n;
	if (cp < 0x80) { /* fast path for ASCII */
		if (cp >= 'A' && cp <= 'Z')
			cp += 32;
		if (cp < 'a' || cp > 'z')
			return ' ';
		*kind = SYM_LETTER;
		return cp;
	}
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
		*kind = SYM_LETTER;
		return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		*kind = SYM_MARK;
		return cp;
	default:
		return ' ';
	}
}

/* Pushes sym into the window and emits the n-grams ending at it. */
static inline size_t scan_push(sh_langid_scan *s, uint32_t sym, uint32_t *out)
{
	for (unsigned k = SH_LANGID_NGRAM_MAX - 1; k > 0; k--)
		s->window[k] = s->window[k - 1];
	s->window[0] = sym;
	if (s->filled < SH_LANGID_NGRAM_MAX)
		s->filled++;
	size_t k = 0;
	uint64_t h = 0x243f6a8885a308d3ULL;
	for (unsigned n = 0; n < s->filled; n++) {
		h = (h ^ s->window[n]) * 0x100000001b3ULL;
		if (n == 0 && sym == ' ')
			continue; /* the lone space says nothing */
		out[k++] = (uint32_t)(sh_hash_mix(h + n) >> (64 - s->bits));
	}
	return k;
}

size_t sh_langid_scan_next(sh_langid_scan *s, uint32_t *out, size_t cap)
{
	size_t k = 0;
	while (cap - k >= SH_LANGID_NGRAM_MAX && s->p < s->end) {
		int kind;
		uint32_t sym = scan_symbol(s, &kind);
		if (kind != SYM_LETTER && s->window[0] == ' ')
			continue; /* boundaries collapse; a mark after a boundary belongs to no word */
		if (kind == SYM_LETTER)
			s->letters++;
		k += scan_push(s, sym, out + k);
	}
	if (s->p >= s->end && !s->done && cap - k >= SH_LANGID_NGRAM_MAX) {
		s->done = 1;
		if (s->window[0] != ' ')
			k += scan_push(s, ' ', out + k);
	}
	return k;
}

/* ---- training ------------------------------------------------------------- */

typedef struct trainer_lang {
	char      code[SH_LANG_CODE_MAX];
	uint32_t *counts;  /* 1 << bits buckets */
	uint64_t  total;
	size_t    letters;
} trainer_lang;

struct sh_langid_trainer {
	unsigned     bits;
	size_t       nlang;
	trainer_lang lang[SH_LANGID_MAX_LANGS];
};

int sh_langid_trainer_new(sh_langid_trainer **out, unsigned bucket_bits)
{
	*out = NULL;
	if (bucket_bits < 8 || bucket_bits > 24)
		return sh_error(SH_EINVAL, "langid: bucket_bits %u outside 8..24", bucket_bits);
	sh_langid_trainer *t = calloc(1, sizeof *t);
	if (!t)
		return sh_error(SH_ENOMEM, "langid: out of memory");
	t->bits = bucket_bits;
	*out = t;
	return SH_OK;
}

void sh_langid_trainer_free(sh_langid_trainer *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nlang; i++)
		free(t->lang[i].counts);
	free(t);
}

static int trainer_find_lang(sh_langid_trainer *t, const char *code, trainer_lang **out)
{
	size_t n = code ? strlen(code) : 0;
	if (n == 0 || n >= SH_LANG_CODE_MAX)
		return sh_error(SH_EINVAL, "langid: language code '%s' must have 1 to %d bytes",
		                code ? code : "(null)", SH_LANG_CODE_MAX - 1);
	for (size_t i = 0; i < t->nlang; i++) {
		if (strcmp(t->lang[i].code, code) == 0) {
			*out = &t->lang[i];
			return SH_OK;
		}
	}
	if (t->nlang == SH_LANGID_MAX_LANGS)
		return sh_error(SH_EINVAL, "langid: more than %u languages (at '%s')", SH_LANGID_MAX_LANGS, code);
	trainer_lang *l = &t->lang[t->nlang];
	l->counts = calloc((size_t)1 << t->bits, sizeof *l->counts);
	if (!l->counts)
		return sh_error(SH_ENOMEM, "langid: out of memory");
	memcpy(l->code, code, n + 1);
	t->nlang++;
	*out = l;
	return SH_OK;
}

int sh_langid_trainer_add(sh_langid_trainer *t, const char *lang, const char *text, size_t len)
{
	trainer_lang *l = NULL;
	int rc = trainer_find_lang(t, lang, &l);
	if (rc != SH_OK)
		return rc;
	sh_langid_scan s;
	uint32_t buckets[SCAN_CHUNK];
	sh_langid_scan_init(&s, text, len, t->bits);
	size_t n;
	while ((n = sh_langid_scan_next(&s, buckets, SCAN_CHUNK)) > 0) {
		for (size_t i = 0; i < n; i++)
			if (l->counts[buckets[i]] < UINT32_MAX)
				l->counts[buckets[i]]++;
		l->total += n;
	}
	l->letters += s.letters;
	return SH_OK;
}

static int cmp_lang_code(const void *a, const void *b)
{
	return strcmp(((const trainer_lang *)a)->code, ((const trainer_lang *)b)->code);
}

static void put_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put_u64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

int sh_langid_trainer_finish(sh_langid_trainer *t, void **blob, size_t *size)
{
	*blob = NULL;
	*size = 0;
	if (t->nlang == 0)
		return sh_error(SH_EINVAL, "langid: no training sample");
	for (size_t i = 0; i < t->nlang; i++)
		if (t->lang[i].letters == 0)
			return sh_error(SH_EINVAL, "langid: the samples of language '%s' contain no letter",
			                t->lang[i].code);
	/* Sorted codes make the blob independent of the order of the samples. */
	qsort(t->lang, t->nlang, sizeof t->lang[0], cmp_lang_code);

	size_t nb = (size_t)1 << t->bits;
	size_t total = HEADER_SIZE + t->nlang * SH_LANG_CODE_MAX + nb * t->nlang * sizeof(int16_t);
	unsigned char *b = calloc(1, total);
	if (!b)
		return sh_error(SH_ENOMEM, "langid: out of memory for a %zu-byte model", total);
	memcpy(b, SH_LANGID_MAGIC, 8);
	put_u32(b + 8, SH_LANGID_FORMAT);
	put_u32(b + 12, (uint32_t)t->nlang);
	put_u32(b + 16, t->bits);
	put_u32(b + 20, SH_LANGID_NGRAM_MAX);
	put_u64(b + 24, total);
	for (size_t i = 0; i < t->nlang; i++)
		memcpy(b + HEADER_SIZE + i * SH_LANG_CODE_MAX, t->lang[i].code, SH_LANG_CODE_MAX);
	int16_t *table = (int16_t *)(b + HEADER_SIZE + t->nlang * SH_LANG_CODE_MAX);
	for (size_t l = 0; l < t->nlang; l++) {
		double denom = log((double)t->lang[l].total + ALPHA * (double)nb);
		for (size_t k = 0; k < nb; k++) {
			double lp = log((double)t->lang[l].counts[k] + ALPHA) - denom;
			double q = lround(lp * SH_LANGID_SCALE);
			table[k * t->nlang + l] = (int16_t)(q < INT16_MIN ? INT16_MIN : q);
		}
	}
	*blob = b;
	*size = total;
	return SH_OK;
}

int sh_langid_train(const sh_langid_sample *samples, size_t n, void **blob, size_t *size)
{
	*blob = NULL;
	*size = 0;
	if (n == 0)
		return sh_error(SH_EINVAL, "langid: no training sample");
	sh_langid_trainer *t;
	int rc = sh_langid_trainer_new(&t, SH_LANGID_BITS);
	for (size_t i = 0; rc == SH_OK && i < n; i++) {
		rc = sh_langid_trainer_add(t, samples[i].lang, samples[i].text, samples[i].len);
		if (rc != SH_OK)
			sh_error_wrap(rc, "langid: sample %zu", i);
	}
	if (rc == SH_OK)
		rc = sh_langid_trainer_finish(t, blob, size);
	sh_langid_trainer_free(t);
	return rc;
}

int sh_langid_train_from_db(sh_db *db, void **blob, size_t *size)
{
	*blob = NULL;
	*size = 0;
	int64_t nlabels;
	int rc = sh_db_int64(db, "SELECT COUNT(*) FROM label", &nlabels);
	if (rc != SH_OK)
		return rc;
	if (nlabels == 0)
		return sh_error(SH_ENOTFOUND, "langid: %s holds no label to train on", sh_db_path(db));
	sqlite3_stmt *st;
	rc = sh_db_prepare(db, &st, "SELECT lang, text FROM label UNION ALL SELECT lang, text FROM note");
	if (rc != SH_OK)
		return rc;
	sh_langid_trainer *t;
	rc = sh_langid_trainer_new(&t, SH_LANGID_BITS);
	int step;
	while (rc == SH_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *lang = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		rc = sh_langid_trainer_add(t, lang, text ? text : "", text ? len : 0);
	}
	if (rc == SH_OK && step != SQLITE_DONE)
		rc = sh_db_error(db, "langid: reading labels and notes");
	sqlite3_finalize(st);
	if (rc == SH_OK)
		rc = sh_langid_trainer_finish(t, blob, size);
	sh_langid_trainer_free(t);
	return rc;
}

/* ---- the model ------------------------------------------------------------ */

struct sh_langid {
	uint32_t       nlang;
	unsigned       bits;
	const char    *codes;  /* nlang x SH_LANG_CODE_MAX */
	const int16_t *table;  /* (1 << bits) x nlang */
};

static uint32_t get_u32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get_u64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

int sh_langid_load(sh_langid **out, const void *blob, size_t size)
{
	*out = NULL;
	const unsigned char *b = blob;
	if (!blob || ((uintptr_t)blob & 7) != 0)
		return sh_error(SH_EINVAL, "langid: model blob must be 8-byte aligned");
	if (size < HEADER_SIZE || memcmp(b, SH_LANGID_MAGIC, 8) != 0)
		return sh_error(SH_EFORMAT, "langid: not a language model (bad magic or %zu bytes)", size);
	uint32_t format = get_u32(b + 8), nlang = get_u32(b + 12), bits = get_u32(b + 16);
	if (format != SH_LANGID_FORMAT)
		return sh_error(SH_EFORMAT, "langid: model format %u, this program reads %u", format, SH_LANGID_FORMAT);
	if (nlang == 0 || nlang > SH_LANGID_MAX_LANGS || bits < 8 || bits > 24 ||
	    get_u32(b + 20) != SH_LANGID_NGRAM_MAX)
		return sh_error(SH_EFORMAT, "langid: model header out of range (nlang %u, bucket_bits %u)", nlang, bits);
	size_t expect = HEADER_SIZE + (size_t)nlang * SH_LANG_CODE_MAX + ((size_t)nlang << bits) * sizeof(int16_t);
	if (get_u64(b + 24) != expect || size != expect)
		return sh_error(SH_EFORMAT, "langid: model is %zu bytes, its header implies %zu", size, expect);
	for (uint32_t i = 0; i < nlang; i++) {
		const char *c = (const char *)b + HEADER_SIZE + i * SH_LANG_CODE_MAX;
		if (c[0] == '\0' || memchr(c, '\0', SH_LANG_CODE_MAX) == NULL)
			return sh_error(SH_EFORMAT, "langid: language code %u is empty or unterminated", i);
	}
	sh_langid *m = malloc(sizeof *m);
	if (!m)
		return sh_error(SH_ENOMEM, "langid: out of memory");
	m->nlang = nlang;
	m->bits = bits;
	m->codes = (const char *)b + HEADER_SIZE;
	m->table = (const int16_t *)(const void *)(b + HEADER_SIZE + (size_t)nlang * SH_LANG_CODE_MAX);
	*out = m;
	return SH_OK;
}

void sh_langid_free(sh_langid *m)
{
	free(m);
}

size_t sh_langid_nlang(const sh_langid *m)
{
	return m->nlang;
}

const char *sh_langid_lang(const sh_langid *m, size_t i)
{
	return i < m->nlang ? m->codes + i * SH_LANG_CODE_MAX : NULL;
}

void sh_langid_classify(const sh_langid *m, const char *text, size_t len, sh_langid_result *out)
{
	memset(out, 0, sizeof *out);
	strcpy(out->lang, "und");
	if (len > SH_LANGID_MAX_BYTES)
		len = SH_LANGID_MAX_BYTES;
	int64_t score[SH_LANGID_MAX_LANGS] = { 0 };
	uint32_t buckets[SCAN_CHUNK];
	sh_langid_scan s;
	sh_langid_scan_init(&s, text ? text : "", text ? len : 0, m->bits);
	size_t n;
	while ((n = sh_langid_scan_next(&s, buckets, SCAN_CHUNK)) > 0) {
		/* int32 sums per chunk (512 x 32768 fits) let the compiler vectorise the row adds. */
		int32_t chunk[SH_LANGID_MAX_LANGS] = { 0 };
		for (size_t i = 0; i < n; i++) {
			const int16_t *row = m->table + (size_t)buckets[i] * m->nlang;
			for (uint32_t l = 0; l < m->nlang; l++)
				chunk[l] += row[l];
		}
		for (uint32_t l = 0; l < m->nlang; l++)
			score[l] += chunk[l];
		out->ngrams += n;
	}
	if (s.letters < SH_LANGID_MIN_LETTERS)
		return;

	uint32_t order[SH_LANGID_MAX_LANGS];
	for (uint32_t l = 0; l < m->nlang; l++)
		order[l] = l;
	/* Partial selection sort of the three best (ties: the earlier code). */
	unsigned ntop = m->nlang < 3 ? m->nlang : 3;
	for (unsigned i = 0; i < ntop; i++)
		for (uint32_t j = i + 1; j < m->nlang; j++)
			if (score[order[j]] > score[order[i]]) {
				uint32_t tmp = order[i];
				order[i] = order[j];
				order[j] = tmp;
			}
	double scale = out->ngrams > EVIDENCE_NGRAMS ? EVIDENCE_NGRAMS / (double)out->ngrams : 1.0;
	double best = (double)score[order[0]], sum = 0;
	for (uint32_t l = 0; l < m->nlang; l++)
		sum += exp(((double)score[l] - best) / SH_LANGID_SCALE * scale);
	for (unsigned i = 0; i < ntop; i++) {
		memcpy(out->top[i].lang, m->codes + order[i] * SH_LANG_CODE_MAX, SH_LANG_CODE_MAX);
		out->top[i].p = exp(((double)score[order[i]] - best) / SH_LANGID_SCALE * scale) / sum;
	}
	memcpy(out->lang, out->top[0].lang, SH_LANG_CODE_MAX);
	out->confidence = out->top[0].p;
}
