/*
 * match/matcher.h - finds every ESCO skill and occupation label that occurs
 * in a text, in one pass over its tokens (docs/matcher.md).
 *
 * Compile time (sh_matcher_compile, called by sh_index_build): every
 * preferred, alternative and hidden label of every released skill and
 * occupation, in every language, is tokenised (sh_tokenize), each word is
 * stemmed with the label language's Snowball stemmer and its accents folded.
 * The stems become term ids and the term sequences a trie over term ids (a
 * token-level automaton) whose final states list the (concept, label,
 * language, label kind) they stand for.  A second "bag" channel indexes
 * labels of 2..4 content words by their word roots (classes of stems that
 * ESCO's labels use interchangeably) so that "maintain vehicles" also finds
 * "vehicle maintenance".
 *
 * Run time: an sh_matcher is a read-only view of those index sections,
 * shared by all threads; an sh_match_scratch holds everything one thread
 * mutates (tokens, stemmer, a surface-word -> term cache, candidates,
 * results).  sh_match_text() tokenises the text once, walks the trie from
 * every token, adds bag matches, then resolves overlaps and ambiguity.
 */
#ifndef SH_MATCH_MATCHER_H
#define SH_MATCH_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "index/index_internal.h"
#include "skillhub/index.h"
#include "skillhub/text.h"

/* sh_match.flags */
enum {
	SH_MATCH_PREFERRED = 1 << 0, /* matched a preferred label */
	SH_MATCH_ALT       = 1 << 1, /* matched an alternative label */
	SH_MATCH_HIDDEN    = 1 << 2, /* matched a hidden label (often an old or misspelt form) */
	SH_MATCH_VARIANT   = 1 << 3, /* bag channel: same word roots, other order or derivation */
	SH_MATCH_AMBIGUOUS = 1 << 4, /* the words name several concepts; this one won on context */
	SH_MATCH_OUTVOTED  = 1 << 5, /* with opts.all_readings: another concept of the span won (also AMBIGUOUS) */
	SH_MATCH_LOOSE     = 1 << 6  /* with opts.all_readings: a one-word label whose stem is the word's but
	                                whose word is not ("innovation" for "innovative"; docs/matcher.md) */
};

typedef struct sh_match {
	sh_cid   concept;             /* concept number in the sh_index the matcher was opened on */
	uint32_t label;               /* text record of the label: sh_matcher_label(m, label, ...) */
	uint32_t start, end;          /* byte span in the caller's text */
	uint32_t tok_start, tok_end;  /* token span [tok_start, tok_end) in sh_match_tokens() */
	float    confidence;          /* 0..1: label kind, channel and ambiguity */
	unsigned flags;               /* SH_MATCH_* */
} sh_match;

/*
 * A caller's value of token i of toks (e.g. the skill ranker's term id):
 * SH_OK or a negative status.  The matcher calls it once per distinct word
 * and caches the value with its own per-word data, so a caller that needs
 * its own analysis of every token pays no second lookup per token.
 */
typedef int (*sh_match_word_fn)(void *ctx, const sh_tokens *toks, size_t i, uint32_t *value);

/* Zero-initialised options are the defaults. */
typedef struct sh_match_opts {
	const char   *lang;       /* ISO 639-1 language of the text; NULL = "en" */
	const sh_cid *occupation; /* the ad's occupation, context for ambiguous labels; NULL = none */
	unsigned      kinds;      /* SH_KIND_BIT mask of concepts to report; 0 = skills and occupations */
	sh_match_word_fn word_fn; /* optional: per-word values (sh_match_word_values); a new fn or ctx
	                             empties the scratch's word cache */
	void         *word_ctx;
	int           all_readings; /* 1: an ambiguous span also reports the concepts that lost, after the
	                               winner, flagged SH_MATCH_OUTVOTED, each with its share of confidence;
	                               one-word labels failing the word check count, SH_MATCH_LOOSE (for
	                               rankers that want every plausible reading) */
} sh_match_opts;

typedef struct sh_matcher sh_matcher;
typedef struct sh_match_scratch sh_match_scratch;

/*
 * Compiles the matcher sections from the labels already read into b (a
 * section compiler of sh_index_build, run after the text records).
 */
int  sh_matcher_compile(sh_index_builder *b);

/*
 * Opens the matcher sections of idx, validating them (a few ms for all of
 * ESCO).  Concepts are idx's sh_cid numbers.  idx must outlive the matcher.
 * SH_EFORMAT when the sections are missing or corrupt.
 */
int  sh_matcher_open(sh_matcher **out, const sh_index *idx);
void sh_matcher_close(sh_matcher *m);

/* Text of a match's label (as written in ESCO) and its language (lang may be NULL). */
const char *sh_matcher_label(const sh_matcher *m, uint32_t label, const char **lang);

int  sh_match_scratch_new(sh_match_scratch **out);
void sh_match_scratch_free(sh_match_scratch *s);

/*
 * Matches text[0..len) (any bytes; invalid UTF-8 separates words).  *out
 * points to the matches, sorted by start (longer first at equal start),
 * valid until the next call with the same scratch.  opts may be NULL.
 * Returns SH_OK, SH_ENOMEM, or SH_EINVAL when the text is 4 GiB or longer.
 */
int  sh_match_text(const sh_matcher *m, sh_match_scratch *s, const char *text, size_t len,
                   const sh_match_opts *opts, const sh_match **out, size_t *n);

/* The tokens of the last text matched with s (for rankers that look at context). */
const sh_tokens *sh_match_tokens(const sh_match_scratch *s);

/* opts.word_fn's value of each token of the last text matched with s (NULL without a word_fn). */
const uint32_t *sh_match_word_values(const sh_match_scratch *s);

#endif
