/*
 * index/termdict.h - a term dictionary: distinct strings -> dense ids,
 * built in memory, serialised into an index section and used in place from
 * the memory map.
 *
 * Used by search (normalised, stemmed label words) and by the text matcher.
 * Ids are dense (0..n-1) in insertion order, so callers can keep parallel
 * arrays indexed by term id.
 *
 * Serialised layout (u32 little-endian, 4-byte aligned):
 *   header   magic 'TDIC' | nterms | nbuckets (power of two) | pool_size
 *   buckets  u32[nbuckets]: term id + 1, 0 = empty (linear probing on sh_hash64)
 *   terms    nterms x { u32 hash (low 32 bits) | u32 offset | u32 length }
 *   pool     the term bytes, each followed by a NUL
 * Buckets are sized for a load factor of at most 1/2, so a lookup touches one
 * or two cache lines on average.
 */
#ifndef SH_INDEX_TERMDICT_H
#define SH_INDEX_TERMDICT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define SH_TERM_NONE UINT32_MAX

typedef struct sh_termdict_entry {
	uint32_t hash;
	uint32_t offset;
	uint32_t length;
} sh_termdict_entry;

/* Builder (owns its memory; zero-initialise with sh_tdb_init). */
typedef struct sh_termdict_builder {
	sh_buf             pool;
	sh_termdict_entry *terms;
	uint32_t           nterms, terms_cap;
	uint32_t          *buckets;   /* term id + 1 */
	uint32_t           nbuckets;
} sh_termdict_builder;

void sh_tdb_init(sh_termdict_builder *b);
/* Id of term (existing or new); SH_ENOMEM on allocation failure. */
int  sh_tdb_add(sh_termdict_builder *b, const char *term, size_t len, uint32_t *id);
/* Id of term or SH_TERM_NONE. */
uint32_t sh_tdb_find(const sh_termdict_builder *b, const char *term, size_t len);
/* Appends the serialised dictionary to out. */
int  sh_tdb_serialize(const sh_termdict_builder *b, sh_buf *out);
void sh_tdb_free(sh_termdict_builder *b);

/* Reader over serialised bytes (borrowed, e.g. an index section). */
typedef struct sh_termdict {
	const uint32_t          *buckets;
	const sh_termdict_entry *terms;
	const char              *pool;
	uint32_t                 nterms, nbuckets, pool_size;
} sh_termdict;

/* Validates the layout (every offset within size); SH_EFORMAT when corrupt. */
int  sh_termdict_open(sh_termdict *d, const void *data, size_t size);
uint32_t sh_termdict_find(const sh_termdict *d, const char *term, size_t len);
/* The term's bytes (NUL-terminated) and length. */
const char *sh_termdict_term(const sh_termdict *d, uint32_t id, size_t *len);

#endif
