/*
 * match/titles.h - title normalisation: a job title -> ESCO occupations,
 * ranked, one hit per occupation (docs/ranking.md, "Titles").
 *
 * Every preferred, alternative and hidden occupation label, in every
 * language, is compiled three ways:
 *   - exact: the label's stems joined by one space, hashed with its language
 *     (a title equal to a label up to case, accents, inflection and gender
 *     noise scores 1);
 *   - words: BM25-style idf of the label's terms (stems; English agent nouns
 *     such as "developer" keep their own form, titles_keys.c), for a Dice
 *     overlap between the title's terms and the label's;
 *   - character n-grams: 3- and 4-grams of the folded, unstemmed words
 *     (" verkaufer "), TF-IDF weighted and L2-normalised per label, for a
 *     cosine that tolerates compounds, spelling and gender suffixes.
 * A label scores TITLE_WORDS * words + (1 - TITLE_WORDS) * cosine times a
 * weight of its kind (preferred > alternative > hidden); an occupation
 * mixes its best label with its word evidence: the title's terms weighted
 * by how many of its labels contain them (docs/ranking.md, "Titles").
 *
 * Sections:
 *   TLHD  header: counts
 *   TLTD  term dictionary of "lang:stem"; TLTM per term: postings, idf
 *   TLWP  word postings: label ids
 *   TLLB  labels: concept, language, word idf mass
 *   TLGH  gram hash table (open addressing): key, postings, idf
 *   TLGP  gram postings: (label, normalised TF-IDF weight)
 *   TLEX  exact hash table: key, label + 1
 */
#ifndef SH_MATCH_TITLES_H
#define SH_MATCH_TITLES_H

#include <stddef.h>
#include <stdint.h>

#include "index/termdict.h"
#include "match/rank_source.h"
#include "match/rank_text.h"

#define SH_TITLES_MAGIC     0x324c5454u /* "TTL2": version 2 (agent-noun terms, label word counts) */
#define SH_SEC_TITLES_HEAD  SH_IDX_ID('T', 'L', 'H', 'D')
#define SH_SEC_TITLES_DICT  SH_IDX_ID('T', 'L', 'T', 'D')
#define SH_SEC_TITLES_TERMS SH_IDX_ID('T', 'L', 'T', 'M')
#define SH_SEC_TITLES_WPOST SH_IDX_ID('T', 'L', 'W', 'P')
#define SH_SEC_TITLES_LABEL SH_IDX_ID('T', 'L', 'L', 'B')
#define SH_SEC_TITLES_GRAMS SH_IDX_ID('T', 'L', 'G', 'H')
#define SH_SEC_TITLES_GPOST SH_IDX_ID('T', 'L', 'G', 'P')
#define SH_SEC_TITLES_EXACT SH_IDX_ID('T', 'L', 'E', 'X')

typedef struct sh_titles_term {
	uint32_t post, npost;
	float    idf;
} sh_titles_term;

typedef struct sh_titles_label {
	uint32_t concept;
	uint16_t lang;
	uint8_t  kind;    /* SH_TEXT_PREFERRED / ALTERNATIVE / HIDDEN */
	uint8_t  nwords;  /* words of the label, at most 255 */
	float    mass;    /* sum of the idf of the label's distinct terms */
} sh_titles_label;

typedef struct sh_titles_gram {
	uint64_t key;     /* 0 = empty slot */
	uint32_t post, npost;
	float    idf;
	uint32_t reserved;
} sh_titles_gram;

typedef struct sh_titles_gpost {
	uint32_t label;
	float    weight;
} sh_titles_gpost;

typedef struct sh_titles_exact {
	uint64_t key;     /* 0 = empty slot */
	uint32_t label;
	uint32_t reserved;
} sh_titles_exact;

typedef struct sh_titles_model {
	sh_termdict            dict;
	const sh_titles_term  *terms;
	const uint32_t        *wpost;
	const sh_titles_label *labels;
	const sh_titles_gram  *grams;
	const sh_titles_gpost *gpost;
	const sh_titles_exact *exact;
	uint32_t nterms, nwpost, nlabels, ngram_slots, ngpost, nexact_slots, nconcepts;
} sh_titles_model;

int sh_titles_build(const sh_rank_source *src, sh_idx_writer *w);
int sh_titles_open(sh_titles_model *m, const sh_idx_file *f);

typedef struct sh_title_hit {
	uint32_t concept;
	float    score;   /* [0, 1]; 1 = a label equal to the title */
	uint32_t label;   /* the best label (TLLB index) */
} sh_title_hit;

typedef struct sh_titles_scratch sh_titles_scratch;

int  sh_titles_scratch_new(sh_titles_scratch **out, const sh_titles_model *m);
void sh_titles_scratch_free(sh_titles_scratch *s);

/* Ranks occupations for title in lang (NULL = "en"); *hits (best first, at most top) valid until the next call. */
int sh_titles_run(const sh_titles_model *m, sh_titles_scratch *s, const char *title, size_t len,
                  const char *lang, size_t top, const sh_title_hit **hits, size_t *nhits);

/* Internal to titles*.c: the keys of a text's exact form and character n-grams. */
uint64_t sh_titles_exact_key(const sh_rank_text *t);
/* Fills grams (sorted) and returns their count (at most cap). */
size_t   sh_titles_grams(const sh_rank_text *t, uint64_t *grams, size_t cap);
/* The dictionary key of word i of t ("lang:form"): its length, 0 when it does not fit. */
size_t   sh_titles_term_key(char *buf, size_t cap, const sh_rank_text *t, size_t i);

#endif
