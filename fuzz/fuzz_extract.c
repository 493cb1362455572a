/*
 * fuzz/fuzz_extract.c - libFuzzer target for skill ranking and title
 * normalisation (match/rank_model.h, match/titles.h) over arbitrary text.
 *
 * A small model (a few skills and occupations in English, German and
 * French) is compiled into an index file on first use.  The first input
 * byte picks the language of the query (en, de, fr, or one without labels),
 * the top K and, with K = 0, whether only literals count; the rest is the
 * text, tokenised and mapped to ranking terms, its first token given as a
 * literal occurrence of skill 0, ranked as skills and as a title.
 * Whatever the bytes (invalid UTF-8, NULs, huge words), the result must be
 * SH_OK with hits sorted by score in [0, 1] and spans inside the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index/idxfile.h"
#include "match/rank_model.h"
#include "match/titles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = { "de", "en", "fr" };
static const struct { uint32_t concept; uint8_t lang, kind; const char *text; } texts[] = {
	{ 0, 1, SH_TEXT_PREFERRED, "project management" },
	{ 0, 1, SH_TEXT_ALTERNATIVE, "manage projects" },
	{ 0, 1, SH_TEXT_DESCRIPTION, "Plan and manage projects, budgets and resources." },
	{ 1, 1, SH_TEXT_PREFERRED, "C++" },
	{ 1, 2, SH_TEXT_PREFERRED, "C++ (programmation)" },
	{ 2, 0, SH_TEXT_PREFERRED, "Verkäufer/Verkäuferin" },
	{ 2, 1, SH_TEXT_PREFERRED, "shop assistant" },
	{ 2, 2, SH_TEXT_PREFERRED, "vendeur/vendeuse" },
};

static const sh_rank_model *rank_model;
static const sh_titles_model *titles_model;

static void load(void)
{
	static sh_idx_file file;
	static sh_rank_model rm;
	static sh_titles_model tm;
	sh_buf pool = SH_BUF_INIT;
	sh_idx_text recs[sizeof texts / sizeof texts[0]];
	uint8_t kind[3] = { SH_KIND_SKILL, SH_KIND_SKILL, SH_KIND_OCCUPATION };
	float prior[3] = { 0.5f, 0.5f, 0.5f };
	sh_buf_putc(&pool, '\0');
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		recs[i] = (sh_idx_text){ texts[i].concept, (uint32_t)pool.len, texts[i].kind, texts[i].lang, 0 };
		sh_buf_append(&pool, texts[i].text, strlen(texts[i].text) + 1);
	}
	sh_rank_source src = { recs, sizeof texts / sizeof texts[0], pool.data, langs, 3, 3, kind, prior, NULL, NULL };
	char path[64];
	snprintf(path, sizeof path, "/tmp/fuzz_extract.%d.idx", (int)getpid());
	sh_idx_writer w;
	sh_idxw_init(&w);
	if (sh_rank_build(&src, &w) || sh_titles_build(&src, &w) || sh_idxw_write(&w, path, 1) ||
	    sh_idxf_open(&file, path) || sh_rank_open(&rm, &file) || sh_titles_open(&tm, &file))
		abort();
	unlink(path);
	sh_idxw_free(&w);
	sh_buf_free(&pool);
	rank_model = &rm;
	titles_model = &tm;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sh_rank_scratch *rs;
	static sh_titles_scratch *ts;
	static sh_tokens toks;
	static uint32_t *terms;
	static size_t terms_cap;
	static const char *const query_langs[] = { "en", "de", "fr", "xx" };
	if (!rank_model) {
		load();
		if (sh_rank_scratch_new(&rs, rank_model) || sh_titles_scratch_new(&ts, titles_model))
			abort();
	}
	if (size == 0)
		return 0;
	const char *lang = query_langs[data[0] & 3];
	size_t top = (data[0] >> 2) & 7;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (sh_tokenize(text, len, 0, &toks) != SH_OK)
		abort();
	if (toks.n > terms_cap) {
		free(terms);
		terms_cap = toks.n;
		if (!(terms = malloc(terms_cap * sizeof *terms)))
			abort();
	}
	for (size_t i = 0; i < toks.n; i++)
		if (sh_rank_token_term(rank_model, rs, lang, &toks, i, &terms[i]) != SH_OK)
			abort();
	sh_rank_literal lit = { 0, toks.n ? toks.tok[0].start : 0, toks.n ? toks.tok[0].end : 0, data[0] & 64 };
	sh_rank_query q = { lang, SH_KIND_BIT(SH_KIND_SKILL) | SH_KIND_BIT(SH_KIND_OCCUPATION), top, 0,
	                    !top && (data[0] & 32), &lit, toks.n ? 1 : 0 };
	const sh_rank_hit *hits;
	const sh_rank_span *spans;
	size_t n;
	if (sh_rank_run(rank_model, rs, terms, toks.n, &q, &hits, &n, &spans) != SH_OK || (top && n > top))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!(hits[i].score >= 0 && hits[i].score <= 1) || (i && hits[i - 1].score < hits[i].score))
			abort();
		for (uint32_t k = 0; k < hits[i].nspans; k++)
			if (spans[hits[i].span + k].start >= spans[hits[i].span + k].end || spans[hits[i].span + k].end > len)
				abort();
	}
	const sh_title_hit *th;
	if (sh_titles_run(titles_model, ts, text, len, lang, top ? top : 5, &th, &n) != SH_OK)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!(th[i].score >= 0 && th[i].score <= 1) || (i && th[i - 1].score < th[i].score))
			abort();
	return 0;
}
