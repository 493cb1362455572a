/*
 * match/extract.c - the public extraction API (skillhub/extract.h) over the
 * label matcher (matcher.h), the skill ranker (rank_model.h) and the title
 * normaliser (titles.h).
 *
 * sh_extract() runs the label matcher over the text: its matches (whole
 * words, longest match per kind, ambiguous spans resolved on context,
 * variants from the bag channel included, though they earn no literal bonus)
 * are the literal occurrences, and their spans the ones reported.  Ranking
 * K candidates, every reading counts (the matcher's all_readings: the losers
 * of ambiguous spans, loose one-word labels).  The matcher also caches, per distinct
 * word, the ranker's term of each token (its word_fn), so the text is
 * tokenised and looked up once.  The ranker then scores skills and
 * occupations together over those terms, and the ranked list is
 * split by kind.  Skills are listed as asked (the K best, or only those the
 * matcher found: confident ones); occupations only when the matcher found
 * them, since an ad names occupations in few words and a partial occupation
 * match is noise.  The extractor copies the hits into its own arrays in the
 * public types.  The title model is opened (and validated) on the first
 * sh_titles() call, so that an extractor that only extracts starts faster.
 */
#include "skillhub/extract.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "index/index_internal.h"
#include "match/matcher.h"
#include "match/rank_model.h"
#include "match/titles.h"

#define TITLES_DEFAULT_TOP 10

struct sh_extractor {
	const sh_index    *idx;
	sh_matcher        *matcher;
	sh_match_scratch  *match_scratch;
	sh_rank_literal   *literals;
	size_t             literals_cap;
	const char        *lang;          /* of the text being matched, for rank_term() */
	sh_rank_model      rank;
	sh_titles_model    titles;
	sh_rank_scratch   *rank_scratch;
	sh_titles_scratch *titles_scratch;
	sh_skill_hit      *skills;
	sh_occupation_hit *occupations;
	size_t             hits_cap;
	sh_span           *spans;
	size_t             spans_cap;
};

int sh_extractor_new(sh_extractor **out, const sh_index *idx)
{
	sh_extractor *x = calloc(1, sizeof *x);
	if (!x)
		return sh_error(SH_ENOMEM, "out of memory allocating an extractor");
	x->idx = idx;
	const sh_idx_file *f = sh_index_file(idx);
	int rc = sh_matcher_open(&x->matcher, idx);
	if (rc == SH_OK)
		rc = sh_match_scratch_new(&x->match_scratch);
	if (rc == SH_OK)
		rc = sh_rank_open(&x->rank, f);
	if (rc == SH_OK && x->rank.nconcepts != sh_index_concept_count(idx))
		rc = sh_error(SH_EFORMAT, "index: ranking sections do not match the concepts");
	if (rc == SH_OK)
		rc = sh_rank_scratch_new(&x->rank_scratch, &x->rank);
	if (rc < 0) {
		sh_extractor_free(x);
		return rc;
	}
	*out = x;
	return SH_OK;
}

void sh_extractor_free(sh_extractor *x)
{
	if (!x)
		return;
	sh_match_scratch_free(x->match_scratch);
	sh_matcher_close(x->matcher);
	free(x->literals);
	sh_rank_scratch_free(x->rank_scratch);
	sh_titles_scratch_free(x->titles_scratch);
	free(x->skills);
	free(x->occupations);
	free(x->spans);
	free(x);
}

/* The matcher's word_fn: the ranking term of a token (cached per word by the matcher). */
static int rank_term(void *ctx, const sh_tokens *toks, size_t i, uint32_t *value)
{
	sh_extractor *x = ctx;
	return sh_rank_token_term(&x->rank, x->rank_scratch, x->lang, toks, i, value);
}

static int reserve(sh_extractor *x, size_t hits, size_t spans)
{
	if (hits > x->hits_cap) {
		sh_skill_hit *s = realloc(x->skills, hits * sizeof *s);
		if (s)
			x->skills = s;
		sh_occupation_hit *o = s ? realloc(x->occupations, hits * sizeof *o) : NULL;
		if (!o)
			return sh_error(SH_ENOMEM, "out of memory extracting skills");
		x->occupations = o;
		x->hits_cap = hits;
	}
	if (spans > x->spans_cap) {
		sh_span *p = realloc(x->spans, spans * sizeof *p);
		if (!p)
			return sh_error(SH_ENOMEM, "out of memory extracting skills");
		x->spans = p;
		x->spans_cap = spans;
	}
	return SH_OK;
}

int sh_extract(sh_extractor *x, const char *text, size_t len, const sh_extract_opts *opts, sh_extraction *out)
{
	static const sh_extract_opts defaults = { NULL, 0, 0 };
	if (!opts)
		opts = &defaults;
	memset(out, 0, sizeof *out);
	if (len >= UINT32_MAX)
		return sh_error(SH_EINVAL, "extract: text of %zu bytes is too long (4 GiB at most)", len);
	unsigned kinds = SH_KIND_BIT(SH_KIND_SKILL) | SH_KIND_BIT(SH_KIND_OCCUPATION);
	x->lang = opts->lang;
	/* ranking K candidates: every reading counts (losers of ambiguous spans, loose one-word labels) */
	sh_match_opts mo = { opts->lang, NULL, kinds, rank_term, x, opts->top > 0 };
	const sh_match *ms;
	size_t n;
	int rc = sh_match_text(x->matcher, x->match_scratch, text, len, &mo, &ms, &n);
	if (rc < 0)
		return rc;
	if (n > x->literals_cap) {
		sh_rank_literal *l = realloc(x->literals, n * sizeof *l);
		if (!l)
			return sh_error(SH_ENOMEM, "out of memory extracting skills");
		x->literals = l;
		x->literals_cap = n;
	}
	for (size_t i = 0; i < n; i++)
		x->literals[i] = (sh_rank_literal){ ms[i].concept, ms[i].start, ms[i].end,
		                                    !(ms[i].flags & SH_MATCH_VARIANT) };
	sh_rank_query q = { opts->lang, kinds, opts->top, opts->min_score, !opts->top, x->literals, n };
	const sh_rank_hit *hits;
	const sh_rank_span *spans;
	rc = sh_rank_run(&x->rank, x->rank_scratch, sh_match_word_values(x->match_scratch),
	                 sh_match_tokens(x->match_scratch)->n, &q, &hits, &n, &spans);
	if (rc < 0)
		return rc;
	size_t nspans = 0;
	for (size_t i = 0; i < n; i++)
		nspans += hits[i].nspans;
	if ((rc = reserve(x, n + 1, nspans + 1)) < 0)
		return rc;
	size_t ns = 0, no = 0, sp = 0;
	for (size_t i = 0; i < n; i++) {
		const sh_rank_hit *h = &hits[i];
		if (x->rank.concepts[h->concept].kind == SH_KIND_OCCUPATION) {
			if (h->nspans)
				x->occupations[no++] = (sh_occupation_hit){ h->concept, h->score };
			continue;
		}
		if (opts->top ? ns >= opts->top : h->nspans == 0)
			continue;
		sh_skill_hit *s = &x->skills[ns++];
		s->concept = h->concept;
		s->score = h->score;
		s->nspans = h->nspans;
		for (uint32_t k = 0; k < h->nspans; k++)
			x->spans[sp + k] = (sh_span){ spans[h->span + k].start, spans[h->span + k].end };
		s->spans = NULL;
		sp += h->nspans;
	}
	/* span pointers once the array no longer moves */
	for (size_t i = 0, off = 0; i < ns; off += x->skills[i].nspans, i++)
		x->skills[i].spans = x->spans + off;
	out->skills = x->skills;
	out->nskills = ns;
	out->occupations = x->occupations;
	out->noccupations = opts->top && no > opts->top ? opts->top : no;
	return SH_OK;
}

/* Opens the title model on first use. */
static int open_titles(sh_extractor *x)
{
	if (x->titles_scratch)
		return SH_OK;
	int rc = sh_titles_open(&x->titles, sh_index_file(x->idx));
	if (rc == SH_OK && x->titles.nconcepts != sh_index_concept_count(x->idx))
		rc = sh_error(SH_EFORMAT, "index: title sections do not match the concepts");
	return rc == SH_OK ? sh_titles_scratch_new(&x->titles_scratch, &x->titles) : rc;
}

int sh_titles(sh_extractor *x, const char *title, size_t len, const sh_extract_opts *opts,
              const sh_occupation_hit **out, size_t *n)
{
	size_t top = opts && opts->top ? opts->top : TITLES_DEFAULT_TOP;
	float min_score = opts ? opts->min_score : 0;
	*out = NULL;
	*n = 0;
	if (len >= UINT32_MAX)
		return sh_error(SH_EINVAL, "titles: title of %zu bytes is too long", len);
	const sh_title_hit *hits;
	size_t nh;
	int rc = open_titles(x);
	if (rc == SH_OK)
		rc = sh_titles_run(&x->titles, x->titles_scratch, title, len, opts ? opts->lang : NULL, top, &hits, &nh);
	if (rc < 0 || (rc = reserve(x, nh + 1, 0)) < 0)
		return rc;
	size_t k = 0;
	for (size_t i = 0; i < nh; i++)
		if (hits[i].score >= min_score)
			x->occupations[k++] = (sh_occupation_hit){ hits[i].concept, hits[i].score };
	*out = x->occupations;
	*n = k;
	return SH_OK;
}
