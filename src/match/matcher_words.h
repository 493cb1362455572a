/*
 * match/matcher_words.h - token -> term and function words (matcher_words.c).
 */
#ifndef SH_MATCH_MATCHER_WORDS_H
#define SH_MATCH_MATCHER_WORDS_H

#include <stddef.h>

#include "core/buf.h"
#include "skillhub/text.h"

/*
 * The term of token i of t (tokenised with norm flags 0) into out (cleared
 * first): the stem of a word (stemmer may be NULL: no stemming), else the
 * normal form; accents folded.  SH_OK or SH_ENOMEM.
 */
int mt_token_term(sh_stemmer *stemmer, const sh_tokens *t, size_t i, sh_buf *out);

/* 1 if word (a normalised token) is a function word of lang that never counts as a bag key. */
int mt_is_stopword(const char *lang, const char *word, size_t len);

#endif
