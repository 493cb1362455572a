/*
 * match/rank_text.c - text -> stems for ranking (see rank_text.h).
 *
 * The stemmer is created lazily for the language asked and kept until another
 * language is asked, so a thread that analyses many texts of one language
 * pays for it once.
 */
#include "match/rank_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int sh_rank_text_set_language(sh_rank_text *t, const char *lang)
{
	if (strncmp(t->lang, lang, sizeof t->lang) == 0 && t->lang[0])
		return SH_OK;
	sh_stemmer_free(t->stemmer);
	t->stemmer = NULL;
	snprintf(t->lang, sizeof t->lang, "%s", lang);
	if (!sh_stemmer_supported(lang))
		return SH_OK;
	return sh_stemmer_new(&t->stemmer, lang);
}

/* 1 when the normalised token is title noise rather than a word (see the header). */
static int is_noise(const char *lang, const char *norm, size_t len)
{
	if (len == 1)
		return 1;
	if (lang[0] == 'd' && lang[1] == 'e' && lang[2] == '\0')
		return (len == 2 && memcmp(norm, "in", 2) == 0) || (len == 5 && memcmp(norm, "innen", 5) == 0);
	return 0;
}

static int push_word(sh_rank_text *t, const char *stem, size_t len, size_t token)
{
	if (t->nwords == t->words_cap) {
		size_t cap = t->words_cap ? 2 * t->words_cap : 64;
		sh_rank_word *w = realloc(t->words, cap * sizeof *w);
		if (!w)
			return sh_error(SH_ENOMEM, "out of memory analysing text");
		t->words = w;
		t->words_cap = cap;
	}
	if (t->stems_len + len + 1 > t->stems_cap) {
		size_t cap = t->stems_cap ? 2 * t->stems_cap : 1024;
		while (cap < t->stems_len + len + 1)
			cap *= 2;
		char *s = realloc(t->stems, cap);
		if (!s)
			return sh_error(SH_ENOMEM, "out of memory analysing text");
		t->stems = s;
		t->stems_cap = cap;
	}
	memcpy(t->stems + t->stems_len, stem, len);
	t->stems[t->stems_len + len] = '\0';
	const sh_token *tok = &t->tokens.tok[token];
	t->words[t->nwords++] = (sh_rank_word){ (uint32_t)t->stems_len, (uint32_t)len, tok->start, tok->end,
	                                        (uint32_t)token };
	t->stems_len += len + 1;
	return SH_OK;
}

const char *sh_rank_text_word(sh_rank_text *t, const char *norm, size_t len, unsigned flags, size_t *stem_len)
{
	if (len == 0 || is_noise(t->lang, norm, len))
		return NULL;
	*stem_len = len;
	if (t->stemmer && (flags & SH_TOK_WORD) && !(flags & SH_TOK_SYMBOLIC))
		return sh_stem(t->stemmer, norm, len, stem_len);
	return norm;
}

int sh_rank_text_analyze(sh_rank_text *t, const char *lang, const char *text, size_t len)
{
	int rc = sh_rank_text_set_language(t, lang && *lang ? lang : "en");
	if (rc < 0)
		return rc;
	t->nwords = 0;
	t->stems_len = 0;
	rc = sh_tokenize(text, len, SH_NORM_FOLD_ACCENTS, &t->tokens);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < t->tokens.n; i++) {
		const sh_token *tok = &t->tokens.tok[i];
		size_t n;
		const char *stem = sh_rank_text_word(t, t->tokens.norm + tok->norm, tok->norm_len, tok->flags, &n);
		if (stem && (rc = push_word(t, stem, n, i)) < 0)
			return rc;
	}
	return SH_OK;
}

void sh_rank_text_free(sh_rank_text *t)
{
	sh_stemmer_free(t->stemmer);
	sh_tokens_free(&t->tokens);
	free(t->words);
	free(t->stems);
	memset(t, 0, sizeof *t);
}

size_t sh_rank_term_key(char *buf, size_t cap, const char *lang, const char *stem, size_t stem_len)
{
	size_t ll = strlen(lang);
	if (ll + 1 + stem_len + 1 > cap)
		return 0;
	memcpy(buf, lang, ll);
	buf[ll] = ':';
	memcpy(buf + ll + 1, stem, stem_len);
	buf[ll + 1 + stem_len] = '\0';
	return ll + 1 + stem_len;
}
