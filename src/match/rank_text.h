/*
 * match/rank_text.h - the word analysis shared by skill ranking and title
 * normalisation: a text becomes a sequence of stems ("terms").
 *
 * Labels at index build time and queries at run time go through the same
 * function, so they meet on equal terms: tokens from sh_tokenize() with
 * accents folded, stemmed with the language's Snowball stemmer (words are
 * kept as they are when Snowball has no algorithm for the language).
 * Gender and form noise common in job titles ("Verkäufer/in", "(m/w/d)",
 * "employé(e)") is dropped: one-letter word tokens and the German suffix
 * tokens "in" / "innen" are not terms.
 *
 * An sh_rank_text is per thread (the stemmer and token buffers mutate).
 */
#ifndef SH_MATCH_RANK_TEXT_H
#define SH_MATCH_RANK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "skillhub/text.h"

/* One analysed word: its stem (NUL-terminated, in stems) and where it came from. */
typedef struct sh_rank_word {
	uint32_t stem, stem_len; /* offset into sh_rank_text.stems */
	uint32_t start, end;     /* byte range in the analysed text */
	uint32_t token;          /* index in sh_rank_text.tokens (for the unstemmed normal form) */
} sh_rank_word;

typedef struct sh_rank_text {
	char          lang[8];
	sh_stemmer   *stemmer;   /* NULL when the language has no Snowball algorithm */
	sh_tokens     tokens;
	sh_rank_word *words;
	size_t        nwords, words_cap;
	char         *stems;
	size_t        stems_len, stems_cap;
} sh_rank_text;

/* Zero-initialise an sh_rank_text, then analyse; free with sh_rank_text_free. */
int  sh_rank_text_analyze(sh_rank_text *t, const char *lang, const char *text, size_t len);
void sh_rank_text_free(sh_rank_text *t);

/* Sets the language of t (and its stemmer) without analysing anything.  SH_OK or SH_ENOMEM. */
int  sh_rank_text_set_language(sh_rank_text *t, const char *lang);

/*
 * The stem of one token in t's language, from its normal form with accents
 * folded (norm[0..len)) and its SH_TOK_* flags; NULL when the token is noise
 * (see above).  Valid until the next call on t.  sh_rank_text_analyze() runs
 * this on every token; a caller holding tokens already (the skill ranker)
 * calls it directly.
 */
const char *sh_rank_text_word(sh_rank_text *t, const char *norm, size_t len, unsigned flags, size_t *stem_len);

/* The stem of word i. */
static inline const char *sh_rank_text_stem(const sh_rank_text *t, size_t i)
{
	return t->stems + t->words[i].stem;
}

/* The normal form (folded, unstemmed) of word i and its length. */
static inline const char *sh_rank_text_norm(const sh_rank_text *t, size_t i, size_t *len)
{
	const sh_token *tok = &t->tokens.tok[t->words[i].token];
	*len = tok->norm_len;
	return t->tokens.norm + tok->norm;
}

/*
 * Builds the dictionary key of a stem in a language: "lang:stem", into buf
 * (of size cap).  Returns the key length, or 0 when it does not fit.
 */
size_t sh_rank_term_key(char *buf, size_t cap, const char *lang, const char *stem, size_t stem_len);

#endif
