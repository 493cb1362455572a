/*
 * match/word_cache.h - a per-thread cache from a word's normal form to three
 * 32-bit values (the label matcher keeps its term and root ids and its
 * caller's value in it: the skill ranker's term id), so that stemming and
 * dictionary lookups run once per distinct word of a stream of texts, not
 * once per occurrence.
 *
 * Open addressing with linear probing over 32-byte slots (half a cache
 * line) holding the word inline: words longer than SH_WORD_CACHE_KEY_MAX
 * bytes are not cached (callers compute them every time; they are rare).
 * The table doubles when half full and starts afresh after
 * SH_WORD_CACHE_MAX_ENTRIES words, so memory stays bounded on any input.
 * A cache belongs to one thread; what its values mean is the owner's
 * business (reset it when they change meaning, e.g. another language).
 */
#ifndef SH_MATCH_WORD_CACHE_H
#define SH_MATCH_WORD_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/hash.h"

#define SH_WORD_CACHE_KEY_MAX     19
#define SH_WORD_CACHE_MAX_ENTRIES (1u << 18)

typedef struct sh_word_slot {
	uint32_t a, b, c;                   /* the values */
	uint8_t  len;                       /* 0 = empty slot */
	char     key[SH_WORD_CACHE_KEY_MAX]; /* the word (not NUL-terminated) */
} sh_word_slot;

/* Zero-initialised: empty (sh_word_cache_put allocates). */
typedef struct sh_word_cache {
	sh_word_slot *slot;
	uint32_t      cap, count;
} sh_word_cache;

/* Empties the cache (keeps no values).  SH_OK or SH_ENOMEM. */
int  sh_word_cache_reset(sh_word_cache *c);
void sh_word_cache_free(sh_word_cache *c);

/* The hash every other function takes, computed once per word by the caller. */
static inline uint32_t sh_word_hash(const char *word, size_t len)
{
	return (uint32_t)sh_hash64(word, len);
}

/* Starts loading the slot a word of this hash is looked up in. */
static inline void sh_word_cache_prefetch(const sh_word_cache *c, uint32_t hash)
{
	if (c->cap)
		__builtin_prefetch(&c->slot[hash & (c->cap - 1)]);
}

/* The slot of word[0..len) (hash: sh_word_hash of it), or NULL when not cached. */
static inline const sh_word_slot *sh_word_cache_find(const sh_word_cache *c, uint32_t hash, const char *word,
                                                     size_t len)
{
	if (!c->cap || len == 0 || len > SH_WORD_CACHE_KEY_MAX)
		return NULL;
	uint32_t mask = c->cap - 1;
	for (uint32_t j = hash & mask; c->slot[j].len; j = (j + 1) & mask)
		if (c->slot[j].len == len && memcmp(c->slot[j].key, word, len) == 0)
			return &c->slot[j];
	return NULL;
}

/*
 * Caches word -> (a, b, c); the word must not be cached yet.  A word that is
 * empty or longer than SH_WORD_CACHE_KEY_MAX is not cached.  SH_OK or
 * SH_ENOMEM.
 */
int sh_word_cache_put(sh_word_cache *c, uint32_t hash, const char *word, size_t len, uint32_t a, uint32_t b,
                      uint32_t c3);

#endif
