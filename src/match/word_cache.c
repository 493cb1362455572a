/*
 * match/word_cache.c - growing and filling the word cache (word_cache.h);
 * the lookup is inline in the header since it runs once per token.
 */
#include "match/word_cache.h"

#include <stdlib.h>

#include "core/error.h"

#define INITIAL_SLOTS 4096

int sh_word_cache_reset(sh_word_cache *c)
{
	sh_word_slot *slot = calloc(INITIAL_SLOTS, sizeof *slot);
	if (!slot)
		return sh_error(SH_ENOMEM, "out of memory (word cache)");
	free(c->slot);
	c->slot = slot;
	c->cap = INITIAL_SLOTS;
	c->count = 0;
	return SH_OK;
}

void sh_word_cache_free(sh_word_cache *c)
{
	free(c->slot);
	memset(c, 0, sizeof *c);
}

static int grow(sh_word_cache *c)
{
	uint32_t cap = c->cap * 2;
	sh_word_slot *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return sh_error(SH_ENOMEM, "out of memory (word cache)");
	for (uint32_t i = 0; i < c->cap; i++) {
		if (!c->slot[i].len)
			continue;
		uint32_t j = sh_word_hash(c->slot[i].key, c->slot[i].len) & (cap - 1);
		while (slot[j].len)
			j = (j + 1) & (cap - 1);
		slot[j] = c->slot[i];
	}
	free(c->slot);
	c->slot = slot;
	c->cap = cap;
	return SH_OK;
}

int sh_word_cache_put(sh_word_cache *c, uint32_t hash, const char *word, size_t len, uint32_t a, uint32_t b,
                      uint32_t c3)
{
	if (len == 0 || len > SH_WORD_CACHE_KEY_MAX)
		return SH_OK;
	int rc = SH_OK;
	if (!c->cap || c->count >= SH_WORD_CACHE_MAX_ENTRIES)
		rc = sh_word_cache_reset(c);
	else if ((c->count + 1) * 2 > c->cap)
		rc = grow(c);
	if (rc)
		return rc;
	uint32_t mask = c->cap - 1, j = hash & mask;
	while (c->slot[j].len)
		j = (j + 1) & mask;
	sh_word_slot *s = &c->slot[j];
	s->a = a;
	s->b = b;
	s->c = c3;
	s->len = (uint8_t)len;
	memcpy(s->key, word, len);
	c->count++;
	return SH_OK;
}
