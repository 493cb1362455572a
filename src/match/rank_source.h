/*
 * match/rank_source.h - what the skill ranker and the title normaliser are
 * compiled from: the index builder's text records (every label and note of
 * every concept, per language) plus per-concept facts from the database.
 *
 * rank_compile.c fills an sh_rank_source from a running sh_index_build();
 * unit tests fill one by hand, so the models can be built and queried without
 * a database.
 */
#ifndef SH_MATCH_RANK_SOURCE_H
#define SH_MATCH_RANK_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "index/idxfile.h"
#include "index/index_internal.h"

typedef struct sh_rank_source {
	const sh_idx_text *texts;     /* sorted by concept, lang, kind */
	size_t             ntexts;
	const char        *strings;   /* the pool sh_idx_text.text points into */
	const char *const *langs;     /* sh_idx_text.lang -> language code */
	size_t             nlangs;
	uint32_t           nconcepts;
	const uint8_t     *kind;      /* sh_kind of each concept */
	const float       *prior;     /* each concept's prior in [0, 1] (skills: reuse and demand) */
	const char        *corpus;    /* optional job-ad corpus (one ad per line) for term weights, or NULL */
	const char        *corpus_lang;
} sh_rank_source;

#endif
