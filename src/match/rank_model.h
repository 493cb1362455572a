/*
 * match/rank_model.h - skill ranking: a sentence or short text -> ESCO skills
 * ranked by score, with or without a label occurring in the text
 * (docs/ranking.md gives the model and the formula).  Where labels occur is
 * the label matcher's business (matcher.h): the caller passes its matches in
 * as the query's literal occurrences.
 *
 * Compiled sections (all arrays of little-endian u32 / float):
 *   RKHD  header: counts
 *   RKTD  term dictionary (termdict.h) of "lang:stem" keys
 *   RKTM  per term: label postings (offset, count), skill postings (offset,
 *         count), label idf, query weight (from the job-ad corpus; 1 without)
 *   RKLP  label postings: label ids, per term
 *   RKSP  skill postings: (concept, BM25F weight with idf), per term
 *   RKLB  labels: concept, first term, term count, kind, language, idf mass
 *   RKLT  each label's term ids (label coverage of a given concept)
 *   RKCP  per concept: prior, kind
 *   RKCL  u32[nconcepts + 1]: the labels of concept c are RKLB[RKCL[c] .. RKCL[c + 1])
 *   RKFF  u32[nconcepts + 1]: the forward postings of concept c are RKFP[RKFF[c] .. RKFF[c + 1])
 *   RKFP  forward postings: (term, BM25F weight with idf), per concept: the
 *         skill postings turned around, to score a few given concepts
 *
 * Run time: an sh_rank_model is a read-only view of a mapped index (shared by
 * threads); an sh_rank_scratch is per thread.
 */
#ifndef SH_MATCH_RANK_MODEL_H
#define SH_MATCH_RANK_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "index/termdict.h"
#include "match/rank_source.h"
#include "match/rank_text.h"

#define SH_RANK_MAGIC           0x4b4e4152u /* "RANK" */
#define SH_SEC_RANK_HEAD        SH_IDX_ID('R', 'K', 'H', 'D')
#define SH_SEC_RANK_DICT        SH_IDX_ID('R', 'K', 'T', 'D')
#define SH_SEC_RANK_TERMS       SH_IDX_ID('R', 'K', 'T', 'M')
#define SH_SEC_RANK_LPOST       SH_IDX_ID('R', 'K', 'L', 'P')
#define SH_SEC_RANK_SPOST       SH_IDX_ID('R', 'K', 'S', 'P')
#define SH_SEC_RANK_LABELS      SH_IDX_ID('R', 'K', 'L', 'B')
#define SH_SEC_RANK_LTERMS      SH_IDX_ID('R', 'K', 'L', 'T')
#define SH_SEC_RANK_CONCEPTS    SH_IDX_ID('R', 'K', 'C', 'P')
#define SH_SEC_RANK_CLABELS     SH_IDX_ID('R', 'K', 'C', 'L')
#define SH_SEC_RANK_FFIRST      SH_IDX_ID('R', 'K', 'F', 'F')
#define SH_SEC_RANK_FPOST       SH_IDX_ID('R', 'K', 'F', 'P')

typedef struct sh_rank_term {
	uint32_t lpost, nlpost;
	uint32_t spost, nspost;
	float    idf;      /* label idf (coverage weight) */
	float    qweight;  /* 1, or lower for words common in job ads */
} sh_rank_term;

/* A skill posting (concept, weight) in RKSP; a forward posting (term, weight) in RKFP. */
typedef struct sh_rank_posting {
	uint32_t concept;  /* RKFP: the term */
	float    weight;
} sh_rank_posting;

typedef struct sh_rank_label {
	uint32_t concept;
	uint32_t terms;    /* offset into RKLT */
	uint16_t nterms;
	uint8_t  kind;     /* SH_TEXT_PREFERRED / ALTERNATIVE / HIDDEN */
	uint8_t  lang;
	float    mass;     /* sum of the label's distinct terms' idf */
} sh_rank_label;

typedef struct sh_rank_concept {
	float    prior;
	uint32_t kind;     /* sh_kind */
} sh_rank_concept;

typedef struct sh_rank_model {
	sh_termdict            dict;
	const sh_rank_term    *terms;
	const uint32_t        *lpost;
	const sh_rank_posting *spost;
	const sh_rank_label   *labels;
	const uint32_t        *label_terms;
	const sh_rank_concept *concepts;
	const uint32_t        *concept_labels; /* nconcepts + 1 */
	const uint32_t        *fwd_first;      /* nconcepts + 1 */
	const sh_rank_posting *fwd;            /* nspost */
	uint32_t nterms, nlpost, nspost, nlabels, nlabel_terms, nconcepts;
} sh_rank_model;

/* Compiles the ranking sections from src into w. */
int sh_rank_build(const sh_rank_source *src, sh_idx_writer *w);
/* Opens (and validates) the ranking sections of f. */
int sh_rank_open(sh_rank_model *m, const sh_idx_file *f);

/* One ranked concept. */
typedef struct sh_rank_hit {
	uint32_t concept;
	float    score;   /* [0, 1] */
	uint32_t label;   /* best label (RKLB index), UINT32_MAX when only the description matched */
	uint32_t span;    /* first span in sh_rank_scratch spans ... */
	uint32_t nspans;  /* ... and how many: the query's literal occurrences of the concept */
} sh_rank_hit;

typedef struct sh_rank_span {
	uint32_t start, end;
} sh_rank_span;

typedef struct sh_rank_scratch sh_rank_scratch;

int  sh_rank_scratch_new(sh_rank_scratch **out, const sh_rank_model *m);
void sh_rank_scratch_free(sh_rank_scratch *s);

/*
 * A label of concept occurring at text bytes [start, end) (a match of the
 * label matcher).  exact = 0 for a looser occurrence (the matcher's word
 * order and derivation variants): the concept is listed and gets the span,
 * but not the literal term of the score.
 */
typedef struct sh_rank_literal {
	uint32_t concept;
	uint32_t start, end;
	uint32_t exact;
} sh_rank_literal;

typedef struct sh_rank_query {
	const char *lang;        /* NULL = "en" */
	unsigned    kinds;       /* SH_KIND_BIT mask of concepts to rank */
	size_t      top;         /* at most this many hits of each kind (skills, occupations); 0 = all */
	float       min_score;   /* hits below are dropped */
	int         literal_only;/* 1: only concepts with a literal occurrence (scored alone: fast) */
	const sh_rank_literal *literals; /* label occurrences in the text, any order */
	size_t      nliterals;
} sh_rank_query;

/*
 * The ranking term of token i of toks (tokenised with norm flags 0, as the
 * label matcher tokenises) in language lang (NULL = "en"): the stem of its
 * normal form with accents folded, looked up as "lang:stem"; SH_TERM_NONE
 * when unknown or noise.  Uncached: callers cache it per distinct word (the
 * label matcher does, as its sh_match_opts.word_fn).
 */
int sh_rank_token_term(const sh_rank_model *m, sh_rank_scratch *s, const char *lang, const sh_tokens *toks,
                       size_t i, uint32_t *term);

/*
 * Ranks the concepts of kinds for a text given as the terms of its tokens
 * (sh_rank_token_term(), in q->lang); *hits (sorted by score, best first)
 * and *spans stay valid until the next call with s.  A concept's spans are
 * the query's literals of that concept.
 */
int sh_rank_run(const sh_rank_model *m, sh_rank_scratch *s, const uint32_t *terms, size_t nterms,
                const sh_rank_query *q, const sh_rank_hit **hits, size_t *nhits,
                const sh_rank_span **spans);

#endif
