/*
 * skillhub/ads.h - job-ad ingestion: language identification and
 * near-duplicate detection (docs/ads-langid-dedup.md).
 *
 * Language identification.  A naive Bayes classifier over hashed character
 * 1- to 4-grams of the case-folded text (words padded with a space on both
 * sides).  The model is trained by the project from (language, text) samples,
 * in practice every ESCO label and description of every imported language
 * (sh_langid_train_from_db), and serialised into a compact blob that can be
 * stored in a file or an index section and used in place from memory
 * (sh_langid_load does not copy the tables).
 *
 * Near-duplicate detection.  Two ads are duplicates when they have the same
 * key (title, employer, location: the same vacancy) and the same or nearly
 * the same text.  Exact duplicates are found by a hash of the normalised
 * key and text; near duplicates by MinHash over word 3-shingles (64 hashes)
 * with LSH banding (16 bands of 4 rows) to find candidates, each candidate
 * then checked against the similarity threshold on its full signature.  An
 * sh_dedup index holds 0.7 to 1.1 KB per ad (id and signature 280 bytes,
 * band chains 68, band table 384 to 768); its decisions depend only on the
 * order of the calls, never on addresses or timing.
 *
 * Thread-safety: a loaded sh_langid model is read-only and may be shared by
 * threads; an sh_dedup index is used by one thread at a time.
 */
#ifndef SKILLHUB_ADS_H
#define SKILLHUB_ADS_H

#include <stddef.h>
#include <stdint.h>

#include "skillhub/common.h"
#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- language identification ------------------------------------------------ */

/* Longest language code stored in a model, NUL included ("en", "pt", "und"). */
#define SH_LANG_CODE_MAX 8
/* Only the first SH_LANGID_MAX_BYTES bytes of a text are classified. */
#define SH_LANGID_MAX_BYTES (16 * 1024)

/* One training sample: lang is an ISO 639-1 code (at most 7 bytes), text UTF-8. */
typedef struct sh_langid_sample {
	const char *lang;
	const char *text;
	size_t      len;
} sh_langid_sample;

/* A trained model (borrows the blob it was loaded from). */
typedef struct sh_langid sh_langid;

typedef struct sh_lang_score {
	char   lang[SH_LANG_CODE_MAX];
	double p; /* tempered posterior (docs/ads-langid-dedup.md), in [0, 1]; a result's p sum to <= 1 */
} sh_lang_score;

typedef struct sh_langid_result {
	char          lang[SH_LANG_CODE_MAX]; /* best language, or "und" when undetermined */
	double        confidence;             /* top[0].p, 0 when "und" */
	sh_lang_score top[3];                 /* best three, p descending ("" / 0 past nlang) */
	size_t        ngrams;                 /* number of n-grams the decision rests on */
} sh_langid_result;

/*
 * Trains a model from n samples; *blob receives the serialised model (the
 * caller's, free() it) and *size its length.  Every
 * language named by a sample gets a class; a language whose samples contain
 * no letter at all is an error (SH_EINVAL, naming the language), as is a
 * language code longer than 7 bytes or n == 0.
 */
int sh_langid_train(const sh_langid_sample *samples, size_t n, void **blob, size_t *size);

/*
 * Trains a model from every label and note of the database (all languages,
 * all kinds), as sh_langid_train does.  SH_ENOTFOUND when the database
 * holds no label.
 */
int sh_langid_train_from_db(sh_db *db, void **blob, size_t *size);

/*
 * Opens a model over blob[0..size), which must stay alive and unchanged while
 * the model is used, and be 8-byte aligned (mmap'd files and index sections
 * are).  The header and the table size are checked: SH_EFORMAT on a foreign,
 * truncated or newer blob.
 */
int  sh_langid_load(sh_langid **out, const void *blob, size_t size);
void sh_langid_free(sh_langid *m);

size_t      sh_langid_nlang(const sh_langid *m);
const char *sh_langid_lang(const sh_langid *m, size_t i);

/*
 * Classifies text[0..len) (only the first SH_LANGID_MAX_BYTES).  Never fails
 * on content: invalid UTF-8 bytes separate words like a blank.  A text with
 * fewer than SH_LANGID_MIN_LETTERS letters is "und" with confidence 0.
 */
#define SH_LANGID_MIN_LETTERS 3
void sh_langid_classify(const sh_langid *m, const char *text, size_t len, sh_langid_result *out);

/* ---- near-duplicate detection ------------------------------------------------- */

#define SH_DEDUP_HASHES 64 /* MinHash signature length */
#define SH_DEDUP_BANDS  16 /* LSH bands of SH_DEDUP_HASHES / SH_DEDUP_BANDS rows */
/* Default similarity threshold (estimated Jaccard of word 3-shingles), measured in docs/ads-langid-dedup.md. */
#define SH_DEDUP_DEFAULT_THRESHOLD 0.85

/*
 * The signature of one ad.  An ad has two parts: its key, the fields that
 * tell one vacancy from another advertised with the same template (title,
 * employer, location), compared as a set of normalised words, and its text
 * (the description), compared by MinHash.
 */
typedef struct sh_dedup_sig {
	uint64_t key;                     /* hash of the set of normalised words of the key */
	uint64_t exact;                   /* hash of the key and of the normalised text */
	uint32_t min[SH_DEDUP_HASHES];    /* MinHash of the text's word 3-shingle set */
} sh_dedup_sig;

/* The earlier ad that a new one duplicates. */
typedef struct sh_dedup_match {
	uint64_t id;         /* 0 when the ad is new */
	double   similarity; /* 1.0 for an exact duplicate, else the estimated Jaccard */
	int      exact;      /* 1 when key and normalised text are identical */
} sh_dedup_match;

typedef struct sh_dedup sh_dedup;

/* threshold in (0, 1]: minimum estimated Jaccard for a near duplicate. */
int  sh_dedup_new(sh_dedup **out, double threshold);
void sh_dedup_free(sh_dedup *idx);

/*
 * Computes the signature of an ad: key[0..key_len) holds its identifying
 * fields (e.g. title, employer and location separated by newlines; NULL/0:
 * no key, then ads are told apart by their text only), text[0..len) its
 * plain text (sh_html_to_text first if it is HTML).  Case, accents, blanks
 * and punctuation are ignored (sh_tokenize with SH_NORM_FOLD_ACCENTS).
 */
int  sh_dedup_signature(const char *key, size_t key_len, const char *text, size_t len, sh_dedup_sig *out);

/* Estimated Jaccard similarity of two signatures (fraction of equal MinHash values). */
double sh_dedup_similarity(const sh_dedup_sig *a, const sh_dedup_sig *b);

/*
 * Looks up the ad among those added so far, then adds it under id (id != 0;
 * ids need not be unique or ordered).  *match (may be NULL) receives the
 * earlier ad it duplicates: an exact duplicate first (the earliest added),
 * else, among the LSH candidates with the same key (in each band bucket the
 * 256 most recent ads), the one of highest text similarity >= threshold
 * (ties: the earliest added), else id 0.  Duplicates are added
 * too, so that later reposts of a reposted ad are found even when they
 * drifted from the first version.
 */
int sh_dedup_add(sh_dedup *idx, uint64_t id, const char *key, size_t key_len, const char *text, size_t len,
                 sh_dedup_match *match);
/* The same with a precomputed signature (signatures can be computed in parallel). */
int sh_dedup_add_sig(sh_dedup *idx, uint64_t id, const sh_dedup_sig *sig, sh_dedup_match *match);

size_t sh_dedup_count(const sh_dedup *idx);

/*
 * Serialisation: sh_dedup_save returns in *blob (the caller's, free() it)
 * the (id, signature) records in the order they were added; sh_dedup_load
 * re-adds those of blob[0..size) to idx in that order (into an empty index:
 * a copy; into a filled one: a merge).  SH_EFORMAT on a foreign or
 * truncated blob, checked before anything is added.
 */
int sh_dedup_save(const sh_dedup *idx, void **blob, size_t *size);
int sh_dedup_load(sh_dedup *idx, const void *blob, size_t size);

#ifdef __cplusplus
}
#endif
#endif
