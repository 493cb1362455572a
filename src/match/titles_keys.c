/*
 * match/titles_keys.c - the keys under which title normalisation files
 * labels and looks titles up (titles.h): the exact form, the character
 * n-grams and the word terms.  The hashes are salted with the language and
 * the terms carry it ("en:nurs"), so one table serves every language and a
 * German title never meets a French label.
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

/*
 * English agent nouns ("developer", "engineer", "accountant", "technician")
 * are the heads of job titles, but Snowball conflates them with the activity
 * ("development", "engine", "accounting").  Their key is the folded word
 * with a plural "s" removed instead of the stem.
 */
static const char *const agent_suffixes[] = { "er", "or", "ist", "ant", "ian" };

static int is_agent_noun(const char *w, size_t len)
{
	for (size_t k = 0; k < sizeof agent_suffixes / sizeof *agent_suffixes; k++) {
		size_t sl = strlen(agent_suffixes[k]);
		if (len > sl + 2 && memcmp(w + len - sl, agent_suffixes[k], sl) == 0)
			return 1;
	}
	return 0;
}

size_t sh_titles_term_key(char *buf, size_t cap, const sh_rank_text *t, size_t i)
{
	if (strcmp(t->lang, "en") == 0) {
		size_t len;
		const char *w = sh_rank_text_norm(t, i, &len);
		if (len > 3 && w[len - 1] == 's' && w[len - 2] != 's')
			len--;
		if (is_agent_noun(w, len))
			return sh_rank_term_key(buf, cap, t->lang, w, len);
	}
	return sh_rank_term_key(buf, cap, t->lang, sh_rank_text_stem(t, i), t->words[i].stem_len);
}
