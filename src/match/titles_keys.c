/*
 * match/titles_keys.c - the hash keys under which title normalisation files
 * labels and looks titles up (titles.h): the exact form and the character
 * n-grams.  Both are salted with the language, so one table serves every
 * language and a German title never meets a French label.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "match/titles.h"

#define GRAM_TEXT_MAX 512

static uint64_t lang_salt(const char *lang)
{
	return sh_hash64(lang, strlen(lang));
}

uint64_t sh_titles_exact_key(const sh_rank_text *t)
{
	uint64_t h = lang_salt(t->lang);
	for (size_t i = 0; i < t->nwords; i++)
		h = sh_hash_mix(h ^ sh_hash64(sh_rank_text_stem(t, i), t->words[i].stem_len)) + i;
	return h | 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t sh_titles_grams(const sh_rank_text *t, uint64_t *grams, size_t cap)
{
	char text[GRAM_TEXT_MAX];
	size_t len = 0, n = 0;
	text[len++] = ' ';
	for (size_t i = 0; i < t->nwords; i++) {
		size_t wl;
		const char *w = sh_rank_text_norm(t, i, &wl);
		if (len + wl + 1 > sizeof text)
			break;
		memcpy(text + len, w, wl);
		len += wl;
		text[len++] = ' ';
	}
	if (len == 1)
		return 0;
	uint64_t salt = lang_salt(t->lang);
	for (size_t g = 3; g <= 4; g++)
		for (size_t i = 0; i + g <= len && n < cap; i++)
			grams[n++] = (sh_hash_mix(sh_hash64(text + i, g) ^ salt) + g) | 1;
	qsort(grams, n, sizeof *grams, cmp_u64);
	return n;
}
