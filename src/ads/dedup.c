/*
 * ads/dedup.c - exact and near-duplicate detection of job ads: MinHash over
 * word 3-shingles with LSH banding (the choice is argued in
 * docs/ads-langid-dedup.md).
 *
 * Signature.  Key and text are tokenised with accents folded (sh_tokenize),
 * so case, blanks, punctuation and accents do not count.  The key hash is
 * that of the sorted set of the key's token hashes; the exact hash mixes it
 * with the hash of the sequence of the text's token hashes (the text's
 * normal form, as sh_normalize would print it).  Each run of three
 * consecutive text tokens is a shingle, hashed to 64 bits; a text of one or
 * two tokens is one shingle.
 * MinHash value k is the minimum over the shingles of the top 32 bits of
 * A[k] * s + B[k] (mod 2^64), with A[k] odd and A, B drawn from a fixed
 * splitmix64 sequence: the same text always gets the same signature, on
 * every machine.  The fraction of equal values between two signatures
 * estimates the Jaccard similarity of their shingle sets (standard error
 * about 0.05 at 64 hashes near J = 0.8).
 *
 * Index.  Ads are kept in an array in the order added.  The 64 values form
 * 16 bands of 4; each band's values and the key are hashed into one
 * open-addressing table shared by all bands, whose slot holds the most
 * recent ad with that band, and every ad links to the previous ad of the
 * same bucket (next[]).  A lookup visits the ads with the same key sharing
 * at least one band (the candidates: a pair with J >= 0.8 shares a band with
 * probability > 0.999, with J = 0.5 only 0.64) and keeps those whose
 * estimated similarity reaches the threshold.  Exact hashes have their own
 * table mapping to the earliest ad.
 */
#include "ads/dedup.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash.h"
#include "skillhub/text.h"

/* Open-addressing map from a 64-bit key to an ad number + 1 (0 = empty slot). */
typedef struct map {
	uint64_t *keys;
	uint32_t *vals;
	size_t    cap, used; /* cap is a power of two, used <= cap / 2 */
} map;

typedef struct entry {
	uint64_t     id;
	sh_dedup_sig sig;
} entry;

struct sh_dedup {
	double    threshold;
	entry    *ads;
	uint32_t *next;   /* ads x SH_DEDUP_BANDS: previous ad (+1) in the same band bucket */
	uint32_t *stamp;  /* ads: number of the last lookup that visited the ad */
	size_t    n, cap;
	uint32_t  lookup; /* lookups so far, for stamp */
	map       bands, exact;
};

/* ---- signatures ----------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static void minhash_update(uint32_t *min, uint64_t shingle, const uint64_t *a, const uint64_t *b)
{
	for (unsigned k = 0; k < SH_DEDUP_HASHES; k++) {
		uint32_t v = (uint32_t)((a[k] * shingle + b[k]) >> 32);
		if (v < min[k])
			min[k] = v;
	}
}

/* Hashes of the normalised tokens of text[0..len) into *out (malloc'd, caller frees; never NULL on success). */
static int token_hashes(const char *text, size_t len, sh_tokens *toks, uint64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int rc = sh_tokenize(text ? text : "", text ? len : 0, SH_NORM_FOLD_ACCENTS, toks);
	if (rc != SH_OK)
		return rc;
	uint64_t *th = malloc((toks->n ? toks->n : 1) * sizeof *th);
	if (!th)
		return sh_error(SH_ENOMEM, "dedup: out of memory for %zu tokens", toks->n);
	for (size_t i = 0; i < toks->n; i++)
		th[i] = sh_hash64(toks->norm + toks->tok[i].norm, toks->tok[i].norm_len);
	*out = th;
	*n = toks->n;
	return SH_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Hash of the set of normalised tokens of key[0..len): order and repetitions do not count. */
static int key_hash(const char *key, size_t len, sh_tokens *toks, uint64_t *out)
{
	uint64_t *th;
	size_t n;
	int rc = token_hashes(key, len, toks, &th, &n);
	if (rc != SH_OK)
		return rc;
	qsort(th, n, sizeof *th, cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || th[u - 1] != th[i])
			th[u++] = th[i];
	*out = sh_hash64(th, u * sizeof *th);
	free(th);
	return SH_OK;
}

int sh_dedup_signature(const char *key, size_t key_len, const char *text, size_t len, sh_dedup_sig *out)
{
	sh_tokens toks = { 0 };
	uint64_t *th = NULL;
	size_t n = 0;
	int rc = key_hash(key, key_len, &toks, &out->key);
	if (rc == SH_OK)
		rc = token_hashes(text, len, &toks, &th, &n);
	sh_tokens_free(&toks);
	if (rc != SH_OK)
		return rc;

	uint64_t a[SH_DEDUP_HASHES], b[SH_DEDUP_HASHES], seed = 0x5348444544555031ULL; /* "SHDEDUP1" */
	for (unsigned k = 0; k < SH_DEDUP_HASHES; k++) {
		a[k] = splitmix64(&seed) | 1;
		b[k] = splitmix64(&seed);
	}
	out->exact = sh_hash_mix(sh_hash64(th, n * sizeof *th) ^ out->key);
	memset(out->min, 0xff, sizeof out->min);
	if (n > 0 && n < 3) {
		uint64_t s = th[0] ^ (n == 2 ? rotl64(th[1], 21) : 0);
		minhash_update(out->min, sh_hash_mix(s + n), a, b);
	}
	for (size_t i = 0; i + 3 <= n; i++) {
		uint64_t s = th[i] ^ rotl64(th[i + 1], 21) ^ rotl64(th[i + 2], 42);
		minhash_update(out->min, sh_hash_mix(s + 3), a, b);
	}
	free(th);
	return SH_OK;
}

double sh_dedup_similarity(const sh_dedup_sig *x, const sh_dedup_sig *y)
{
	unsigned same = 0;
	for (unsigned k = 0; k < SH_DEDUP_HASHES; k++)
		same += x->min[k] == y->min[k];
	return (double)same / SH_DEDUP_HASHES;
}

/* ---- the hash map --------------------------------------------------------- */

static int map_grow(map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	uint64_t *keys = malloc(cap * sizeof *keys);
	uint32_t *vals = calloc(cap, sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return sh_error(SH_ENOMEM, "dedup: out of memory for a %zu-slot table", cap);
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->vals[i])
			continue;
		size_t j = sh_hash_mix(m->keys[i]) & (cap - 1);
		while (vals[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return SH_OK;
}

/* The value slot of key (0 when absent), or NULL when the map is empty. */
static uint32_t *map_find(const map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t j = sh_hash_mix(key) & (m->cap - 1);
	while (m->vals[j] && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	return &m->vals[j];
}

/* Makes room for extra more keys (so that map_insert cannot fail). */
static int map_reserve(map *m, size_t extra)
{
	while ((m->used + extra) * 2 > m->cap) {
		int rc = map_grow(m);
		if (rc != SH_OK)
			return rc;
	}
	return SH_OK;
}

/* The value slot of key, claimed for key when absent: the caller stores a nonzero value in it. */
static uint32_t *map_insert(map *m, uint64_t key)
{
	uint32_t *v = map_find(m, key);
	if (!*v) {
		m->keys[v - m->vals] = key;
		m->used++;
	}
	return v;
}

static void map_free(map *m)
{
	free(m->keys);
	free(m->vals);
}

/* ---- the index ------------------------------------------------------------ */

int sh_dedup_new(sh_dedup **out, double threshold)
{
	*out = NULL;
	if (!(threshold > 0 && threshold <= 1))
		return sh_error(SH_EINVAL, "dedup: threshold %g outside (0, 1]", threshold);
	sh_dedup *idx = calloc(1, sizeof *idx);
	if (!idx)
		return sh_error(SH_ENOMEM, "dedup: out of memory");
	idx->threshold = threshold;
	*out = idx;
	return SH_OK;
}

void sh_dedup_free(sh_dedup *idx)
{
	if (!idx)
		return;
	free(idx->ads);
	free(idx->next);
	free(idx->stamp);
	map_free(&idx->bands);
	map_free(&idx->exact);
	free(idx);
}

size_t sh_dedup_count(const sh_dedup *idx)
{
	return idx->n;
}

/* Band keys include the ad's key, so that only ads with the same key become candidates. */
static uint64_t band_key(const sh_dedup_sig *sig, unsigned band)
{
	uint64_t h = sh_hash64(&sig->min[band * SH_DEDUP_ROWS], SH_DEDUP_ROWS * sizeof sig->min[0]);
	return sh_hash_mix(h ^ sh_hash_mix(sig->key + band));
}

static void find_duplicate(sh_dedup *idx, const sh_dedup_sig *sig, sh_dedup_match *match)
{
	memset(match, 0, sizeof *match);
	uint32_t *e = map_find(&idx->exact, sig->exact);
	if (e && *e) {
		match->id = idx->ads[*e - 1].id;
		match->similarity = 1.0;
		match->exact = 1;
		return;
	}
	if (++idx->lookup == 0) { /* the stamps wrapped around: forget them */
		memset(idx->stamp, 0, idx->n * sizeof *idx->stamp);
		idx->lookup = 1;
	}
	size_t best = SIZE_MAX;
	double best_sim = 0;
	for (unsigned b = 0; b < SH_DEDUP_BANDS; b++) {
		uint32_t *head = map_find(&idx->bands, band_key(sig, b));
		uint32_t cur = head ? *head : 0;
		for (unsigned walked = 0; cur && walked < SH_DEDUP_MAX_CHAIN; walked++) {
			size_t i = cur - 1;
			cur = idx->next[i * SH_DEDUP_BANDS + b];
			if (idx->stamp[i] == idx->lookup || idx->ads[i].sig.key != sig->key)
				continue;
			idx->stamp[i] = idx->lookup;
			double sim = sh_dedup_similarity(sig, &idx->ads[i].sig);
			if (sim >= idx->threshold && (sim > best_sim || (sim == best_sim && i < best))) {
				best = i;
				best_sim = sim;
			}
		}
	}
	if (best != SIZE_MAX) {
		match->id = idx->ads[best].id;
		match->similarity = best_sim;
	}
}

static int reserve_ad(sh_dedup *idx)
{
	if (idx->n < idx->cap)
		return SH_OK;
	if (idx->n >= UINT32_MAX - 1)
		return sh_error(SH_EINVAL, "dedup: index full (%zu ads)", idx->n);
	size_t cap = idx->cap ? idx->cap * 2 : 256;
	entry *ads = realloc(idx->ads, cap * sizeof *ads);
	if (ads)
		idx->ads = ads;
	uint32_t *next = realloc(idx->next, cap * SH_DEDUP_BANDS * sizeof *next);
	if (next)
		idx->next = next;
	uint32_t *stamp = realloc(idx->stamp, cap * sizeof *stamp);
	if (stamp)
		idx->stamp = stamp;
	if (!ads || !next || !stamp)
		return sh_error(SH_ENOMEM, "dedup: out of memory for %zu ads", cap);
	idx->cap = cap;
	return SH_OK;
}

int sh_dedup_add_sig(sh_dedup *idx, uint64_t id, const sh_dedup_sig *sig, sh_dedup_match *match)
{
	if (id == 0)
		return sh_error(SH_EINVAL, "dedup: ad id 0 is reserved for 'no duplicate'");
	/* Make room first, so that a failure leaves the index unchanged. */
	int rc = reserve_ad(idx);
	if (rc == SH_OK)
		rc = map_reserve(&idx->exact, 1);
	if (rc == SH_OK)
		rc = map_reserve(&idx->bands, SH_DEDUP_BANDS);
	if (rc != SH_OK)
		return rc;
	sh_dedup_match found;
	find_duplicate(idx, sig, &found);
	if (match)
		*match = found;

	size_t i = idx->n;
	for (unsigned b = 0; b < SH_DEDUP_BANDS; b++) {
		uint32_t *head = map_insert(&idx->bands, band_key(sig, b));
		idx->next[i * SH_DEDUP_BANDS + b] = *head;
		*head = (uint32_t)i + 1;
	}
	uint32_t *first = map_insert(&idx->exact, sig->exact);
	if (!*first)
		*first = (uint32_t)i + 1;
	idx->ads[i].id = id;
	idx->ads[i].sig = *sig;
	idx->stamp[i] = 0;
	idx->n++;
	return SH_OK;
}

int sh_dedup_add(sh_dedup *idx, uint64_t id, const char *key, size_t key_len, const char *text, size_t len,
                 sh_dedup_match *match)
{
	sh_dedup_sig sig;
	int rc = sh_dedup_signature(key, key_len, text, len, &sig);
	return rc == SH_OK ? sh_dedup_add_sig(idx, id, &sig, match) : rc;
}

/* ---- serialisation -------------------------------------------------------- */

int sh_dedup_save(const sh_dedup *idx, void **blob, size_t *size)
{
	size_t total = SH_DEDUP_HEADER_SIZE + idx->n * SH_DEDUP_RECORD_SIZE;
	unsigned char *p = malloc(total);
	*blob = p;
	*size = total;
	if (!p) {
		*size = 0;
		return sh_error(SH_ENOMEM, "dedup: out of memory for a %zu-byte copy", total);
	}
	uint32_t format = SH_DEDUP_FORMAT, hashes = SH_DEDUP_HASHES;
	uint64_t count = idx->n;
	memcpy(p, SH_DEDUP_MAGIC, 8);
	memcpy(p + 8, &format, 4);
	memcpy(p + 12, &hashes, 4);
	memcpy(p + 16, &count, 8);
	p += SH_DEDUP_HEADER_SIZE;
	for (size_t i = 0; i < idx->n; i++, p += SH_DEDUP_RECORD_SIZE) {
		memcpy(p, &idx->ads[i].id, 8);
		memcpy(p + 8, &idx->ads[i].sig.key, 8);
		memcpy(p + 16, &idx->ads[i].sig.exact, 8);
		memcpy(p + 24, idx->ads[i].sig.min, sizeof idx->ads[i].sig.min);
	}
	return SH_OK;
}

int sh_dedup_load(sh_dedup *idx, const void *blob, size_t size)
{
	const unsigned char *p = blob;
	uint32_t format, hashes;
	uint64_t count;
	if (size < SH_DEDUP_HEADER_SIZE || memcmp(p, SH_DEDUP_MAGIC, 8) != 0)
		return sh_error(SH_EFORMAT, "dedup: not a saved dedup index (bad magic or %zu bytes)", size);
	memcpy(&format, p + 8, 4);
	memcpy(&hashes, p + 12, 4);
	memcpy(&count, p + 16, 8);
	if (format != SH_DEDUP_FORMAT || hashes != SH_DEDUP_HASHES)
		return sh_error(SH_EFORMAT, "dedup: saved index has format %u with %u hashes, expected %u with %u",
		                format, hashes, SH_DEDUP_FORMAT, SH_DEDUP_HASHES);
	if (count > (size - SH_DEDUP_HEADER_SIZE) / SH_DEDUP_RECORD_SIZE ||
	    size != SH_DEDUP_HEADER_SIZE + count * SH_DEDUP_RECORD_SIZE)
		return sh_error(SH_EFORMAT, "dedup: saved index of %zu bytes does not hold %llu records",
		                size, (unsigned long long)count);
	p += SH_DEDUP_HEADER_SIZE;
	for (uint64_t i = 0; i < count; i++, p += SH_DEDUP_RECORD_SIZE) {
		uint64_t id;
		sh_dedup_sig sig;
		memcpy(&id, p, 8);
		memcpy(&sig.key, p + 8, 8);
		memcpy(&sig.exact, p + 16, 8);
		memcpy(sig.min, p + 24, sizeof sig.min);
		int rc = sh_dedup_add_sig(idx, id, &sig, NULL);
		if (rc != SH_OK)
			return sh_error_wrap(rc, "dedup: record %llu", (unsigned long long)i);
	}
	return SH_OK;
}
