/*
 * match/rank_query.c - opening the ranking sections and ranking a text
 * (rank_model.h; the formula is in docs/ranking.md).
 *
 * The text comes as the ranking terms of the label matcher's tokens
 * (sh_rank_token_term: accents folded, stemmed, "lang:stem" looked up; the
 * matcher caches them per distinct word).  Literal occurrences (and so the
 * spans) are the matcher's matches, passed in the query.  Then one of two
 * ways:
 *   - every candidate (--top K): the postings of each distinct term of the
 *     text are visited once; label postings accumulate, per label, the idf
 *     mass of the label's terms found in the text (times the term's query
 *     weight): coverage = found mass / label mass; skill postings accumulate
 *     the BM25F score of each skill document.  Only touched labels and
 *     concepts are visited afterwards and reset, so the cost of a query is
 *     the length of its postings, not the size of ESCO;
 *   - literal concepts only (the default of `extract`): the few concepts
 *     that occur are scored alone, from their own labels (RKCL, RKLT) and
 *     forward postings (RKFF, RKFP) against the set of the text's terms, so
 *     the common words' long postings are never walked.  Given the same
 *     literals, both ways give a concept the same score (up to float
 *     rounding).
 */
#include "match/rank_model.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/*
 * score = RANK_A * label + RANK_B * bm25 / (bm25 + RANK_BM25_HALF) + RANK_C * prior + RANK_D * literal,
 * the weights summing to 1 so that scores are in [0, 1] (docs/ranking.md).
 * label = kind weight * coverage^2 * min(1, label idf mass / RANK_SPECIFIC_MASS): a label made of
 * one common word ("experience") is not as telling as a rare one ("SQL").
 */
#define RANK_A          0.316f
#define RANK_B          0.470f
#define RANK_C          0.135f
#define RANK_D          0.079f
#define RANK_BM25_HALF  16.0f
#define RANK_SPECIFIC_MASS 12.0f
/* A one-word alternative or hidden label ("design", "experiment") is often a loose synonym. */
#define RANK_ONE_WORD 0.4f

static const float kind_weight[4] = { 0.0f, 1.0f, 0.9f, 0.75f }; /* by SH_TEXT_* label kind */

int sh_rank_open(sh_rank_model *m, const sh_idx_file *f)
{
	size_t size = 0;
	const uint32_t *h = sh_idxf_section(f, SH_SEC_RANK_HEAD, &size);
	memset(m, 0, sizeof *m);
	if (!h || size != 8 * sizeof *h || h[0] != SH_RANK_MAGIC)
		return sh_error(SH_EFORMAT, "index: ranking sections missing or corrupt (rebuild with `skillhub index build`)");
	m->nconcepts = h[1];
	m->nterms = h[2];
	m->nlabels = h[3];
	m->nlpost = h[4];
	m->nspost = h[5];
	m->nlabel_terms = h[6];
	const void *dict = sh_idxf_section(f, SH_SEC_RANK_DICT, &size);
	m->terms = sh_idxf_array(f, SH_SEC_RANK_TERMS, sizeof *m->terms, m->nterms);
	m->lpost = sh_idxf_array(f, SH_SEC_RANK_LPOST, sizeof *m->lpost, m->nlpost);
	m->spost = sh_idxf_array(f, SH_SEC_RANK_SPOST, sizeof *m->spost, m->nspost);
	m->labels = sh_idxf_array(f, SH_SEC_RANK_LABELS, sizeof *m->labels, m->nlabels);
	m->label_terms = sh_idxf_array(f, SH_SEC_RANK_LTERMS, sizeof *m->label_terms, m->nlabel_terms);
	m->concepts = sh_idxf_array(f, SH_SEC_RANK_CONCEPTS, sizeof *m->concepts, m->nconcepts);
	m->concept_labels = sh_idxf_array(f, SH_SEC_RANK_CLABELS, sizeof *m->concept_labels, m->nconcepts + 1);
	m->fwd_first = sh_idxf_array(f, SH_SEC_RANK_FFIRST, sizeof *m->fwd_first, m->nconcepts + 1);
	m->fwd = sh_idxf_array(f, SH_SEC_RANK_FPOST, sizeof *m->fwd, m->nspost);
	if (!m->concept_labels || !m->fwd_first || !m->fwd)
		return sh_error(SH_EFORMAT, "index: ranking sections of an older format (rebuild with `skillhub index build`)");
	if (!dict || !m->terms || !m->lpost || !m->spost || !m->labels || !m->label_terms || !m->concepts ||
	    sh_termdict_open(&m->dict, dict, size) < 0 || m->dict.nterms != m->nterms)
		return sh_error(SH_EFORMAT, "index: ranking sections have inconsistent sizes");
	for (uint32_t t = 0; t < m->nterms; t++) {
		const sh_rank_term *r = &m->terms[t];
		if (r->lpost > m->nlpost || r->nlpost > m->nlpost - r->lpost ||
		    r->spost > m->nspost || r->nspost > m->nspost - r->spost)
			return sh_error(SH_EFORMAT, "index: ranking term %u has postings out of range", t);
	}
	for (uint32_t i = 0; i < m->nlpost; i++)
		if (m->lpost[i] >= m->nlabels)
			return sh_error(SH_EFORMAT, "index: ranking label posting %u out of range", i);
	for (uint32_t i = 0; i < m->nspost; i++)
		if (m->spost[i].concept >= m->nconcepts)
			return sh_error(SH_EFORMAT, "index: ranking skill posting %u out of range", i);
	for (uint32_t i = 0; i < m->nlabels; i++) {
		const sh_rank_label *l = &m->labels[i];
		if (l->concept >= m->nconcepts || l->terms > m->nlabel_terms || l->nterms > m->nlabel_terms - l->terms ||
		    l->kind < SH_TEXT_PREFERRED || l->kind > SH_TEXT_HIDDEN)
			return sh_error(SH_EFORMAT, "index: ranking label %u out of range", i);
	}
	for (uint32_t i = 0; i < m->nlabel_terms; i++)
		if (m->label_terms[i] >= m->nterms)
			return sh_error(SH_EFORMAT, "index: ranking label term %u out of range", i);
	if (!sh_index_offsets_ok(m->concept_labels, m->nconcepts, m->nlabels) ||
	    !sh_index_offsets_ok(m->fwd_first, m->nconcepts, m->nspost))
		return sh_error(SH_EFORMAT, "index: ranking concept offsets out of range");
	for (uint32_t c = 0; c < m->nconcepts; c++)
		for (uint32_t l = m->concept_labels[c]; l < m->concept_labels[c + 1]; l++)
			if (m->labels[l].concept != c)
				return sh_error(SH_EFORMAT, "index: ranking label %u is not in its concept's run", l);
	for (uint32_t i = 0; i < m->nspost; i++)
		if (m->fwd[i].concept >= m->nterms)
			return sh_error(SH_EFORMAT, "index: ranking forward posting %u out of range", i);
	return SH_OK;
}

/* A literal occurrence of a concept's label, before grouping by concept. */
typedef struct concept_span {
	uint32_t concept, start, end, exact;
} concept_span;

struct sh_rank_scratch {
	const sh_rank_model *m;
	sh_rank_text  text;          /* language and stemmer (sh_rank_text_word) */
	uint32_t     *term_stamp;    /* nterms: query number that last saw the term */
	uint32_t      query;
	float        *label_acc;     /* nlabels */
	uint32_t     *touched_labels;
	float        *bm25, *label_best; /* nconcepts */
	uint32_t     *best_label;
	uint8_t      *literal;       /* per concept: bit 0 it occurs, bit 1 exactly (sh_rank_literal) */
	uint32_t     *concept_stamp; /* nconcepts: query number that last touched the concept */
	uint32_t     *touched;       /* concepts */
	size_t        ntouched;
	sh_rank_hit  *hits;
	concept_span *raw_spans;
	size_t        nraw_spans, raw_spans_cap;
	sh_rank_span *spans;         /* raw_spans_cap + 1 */
};

int sh_rank_scratch_new(sh_rank_scratch **out, const sh_rank_model *m)
{
	sh_rank_scratch *s = calloc(1, sizeof *s);
	size_t nt = m->nterms + 1, nl = m->nlabels + 1, nc = m->nconcepts + 1;
	if (s) {
		s->m = m;
		s->term_stamp = calloc(nt, sizeof *s->term_stamp);
		s->label_acc = calloc(nl, sizeof *s->label_acc);
		s->touched_labels = malloc(nl * sizeof *s->touched_labels);
		s->bm25 = calloc(nc, sizeof *s->bm25);
		s->label_best = calloc(nc, sizeof *s->label_best);
		s->best_label = malloc(nc * sizeof *s->best_label);
		s->literal = calloc(nc, 1);
		s->touched = malloc(nc * sizeof *s->touched);
		s->concept_stamp = calloc(nc, sizeof *s->concept_stamp);
		s->hits = malloc(nc * sizeof *s->hits);
		s->spans = malloc(sizeof *s->spans);
	}
	if (!s || !s->term_stamp || !s->label_acc || !s->touched_labels || !s->bm25 || !s->label_best ||
	    !s->best_label || !s->literal || !s->touched || !s->concept_stamp || !s->hits || !s->spans) {
		sh_rank_scratch_free(s);
		return sh_error(SH_ENOMEM, "out of memory allocating ranking scratch");
	}
	*out = s;
	return SH_OK;
}

void sh_rank_scratch_free(sh_rank_scratch *s)
{
	if (!s)
		return;
	sh_rank_text_free(&s->text);
	free(s->term_stamp);
	free(s->label_acc);
	free(s->touched_labels);
	free(s->bm25);
	free(s->label_best);
	free(s->best_label);
	free(s->literal);
	free(s->touched);
	free(s->concept_stamp);
	free(s->hits);
	free(s->raw_spans);
	free(s->spans);
	free(s);
}

static void touch(sh_rank_scratch *s, uint32_t c)
{
	if (s->concept_stamp[c] != s->query) {
		s->concept_stamp[c] = s->query;
		s->touched[s->ntouched++] = c;
		s->best_label[c] = UINT32_MAX;
	}
}

/* The query's literals -> raw_spans (and spans room for them); marks their concepts literal. */
static int take_literals(const sh_rank_model *m, sh_rank_scratch *s, const sh_rank_query *q, unsigned kinds)
{
	if (q->nliterals > s->raw_spans_cap) {
		concept_span *p = realloc(s->raw_spans, q->nliterals * sizeof *p);
		if (p)
			s->raw_spans = p;
		sh_rank_span *sp = p ? realloc(s->spans, (q->nliterals + 1) * sizeof *sp) : NULL;
		if (!sp)
			return sh_error(SH_ENOMEM, "out of memory ranking text");
		s->spans = sp;
		s->raw_spans_cap = q->nliterals;
	}
	for (size_t i = 0; i < q->nliterals; i++) {
		const sh_rank_literal *l = &q->literals[i];
		if (l->concept >= m->nconcepts)
			return sh_error(SH_EINVAL, "rank: literal %zu names concept %u of %u", i, l->concept, m->nconcepts);
		if (!(kinds & SH_KIND_BIT(m->concepts[l->concept].kind)))
			continue;
		s->raw_spans[s->nraw_spans++] = (concept_span){ l->concept, l->start, l->end, l->exact };
	}
	return SH_OK;
}

int sh_rank_token_term(const sh_rank_model *m, sh_rank_scratch *s, const char *lang, const sh_tokens *toks,
                       size_t i, uint32_t *term)
{
	*term = SH_TERM_NONE;
	int rc = sh_rank_text_set_language(&s->text, lang && *lang ? lang : "en");
	if (rc < 0)
		return rc;
	const sh_token *tok = &toks->tok[i];
	const char *norm = toks->norm + tok->norm;
	size_t len = tok->norm_len;
	int non_ascii = 0;
	for (size_t k = 0; k < len; k++)
		non_ascii |= (unsigned char)norm[k] >= 0x80;
	char *folded = NULL;
	if (non_ascii) {
		if ((rc = sh_normalize(norm, len, SH_NORM_FOLD_ACCENTS, &folded)) < 0)
			return rc;
		norm = folded;
		len = strlen(folded);
	}
	size_t stem_len;
	const char *stem = sh_rank_text_word(&s->text, norm, len, tok->flags, &stem_len);
	if (stem) {
		char key[256];
		size_t klen = sh_rank_term_key(key, sizeof key, s->text.lang, stem, stem_len);
		if (klen)
			*term = sh_termdict_find(&m->dict, key, klen);
	}
	free(folded);
	return SH_OK;
}

/* Starts a query: a new query number; each distinct term of the text is stamped with it. */
static void stamp_terms(const sh_rank_model *m, sh_rank_scratch *s, const uint32_t *terms, size_t n)
{
	if (++s->query == 0) { /* stamps wrapped: start over */
		memset(s->term_stamp, 0, (m->nterms + 1) * sizeof *s->term_stamp);
		memset(s->concept_stamp, 0, (m->nconcepts + 1) * sizeof *s->concept_stamp);
		s->query = 1;
	}
	for (size_t i = 0; i < n; i++)
		if (terms[i] < m->nterms)
			s->term_stamp[terms[i]] = s->query;
}

/* What a term of the text adds to the coverage of each label it is in. */
static float coverage_weight(const sh_rank_term *t)
{
	float add = t->idf * t->qweight;
	return add > 0 ? add : 1e-6f;
}

/* label(s) of one label given its covered idf mass (docs/ranking.md). */
static float label_score(const sh_rank_label *lab, float covered)
{
	float cov = lab->mass > 0 ? covered / lab->mass : 0;
	if (cov > 1)
		cov = 1;
	float spec = lab->mass / RANK_SPECIFIC_MASS;
	float score = kind_weight[lab->kind] * cov * cov * (spec < 1 ? spec : 1);
	if (lab->nterms == 1 && lab->kind != SH_TEXT_PREFERRED)
		score *= RANK_ONE_WORD;
	return score;
}

static void keep_label(sh_rank_scratch *s, uint32_t c, uint32_t l, float score)
{
	if (score > s->label_best[c] || s->best_label[c] == UINT32_MAX) {
		s->label_best[c] = score > s->label_best[c] ? score : s->label_best[c];
		s->best_label[c] = l;
	}
}

/* Every candidate: walks the postings of the text's distinct terms (see the file comment). */
static void accumulate(const sh_rank_model *m, sh_rank_scratch *s, const uint32_t *terms, size_t n,
                       unsigned kinds)
{
	size_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t t = terms[i];
		if (t >= m->nterms || s->term_stamp[t] != s->query)
			continue;
		s->term_stamp[t] = s->query - 1; /* visited; set back below */
		const sh_rank_term *rt = &m->terms[t];
		float add = coverage_weight(rt);
		for (uint32_t p = 0; p < rt->nlpost; p++) {
			uint32_t l = m->lpost[rt->lpost + p];
			if (!(kinds & SH_KIND_BIT(m->concepts[m->labels[l].concept].kind)))
				continue;
			if (s->label_acc[l] == 0)
				s->touched_labels[nl++] = l;
			s->label_acc[l] += add;
		}
		if (!(kinds & SH_KIND_BIT(SH_KIND_SKILL)))
			continue;
		for (uint32_t p = 0; p < rt->nspost; p++) {
			const sh_rank_posting *sp = &m->spost[rt->spost + p];
			touch(s, sp->concept);
			s->bm25[sp->concept] += sp->weight * rt->qweight;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (terms[i] < m->nterms)
			s->term_stamp[terms[i]] = s->query;
	for (size_t i = 0; i < nl; i++) {
		uint32_t l = s->touched_labels[i];
		const sh_rank_label *lab = &m->labels[l];
		touch(s, lab->concept);
		keep_label(s, lab->concept, l, label_score(lab, s->label_acc[l]));
		s->label_acc[l] = 0;
	}
}

/* One given concept: its labels' coverage and its BM25F score from its own postings. */
static void score_alone(const sh_rank_model *m, sh_rank_scratch *s, uint32_t c, unsigned kinds)
{
	touch(s, c);
	for (uint32_t l = m->concept_labels[c]; l < m->concept_labels[c + 1]; l++) {
		const sh_rank_label *lab = &m->labels[l];
		const uint32_t *ids = m->label_terms + lab->terms;
		float covered = 0;
		for (uint32_t k = 0; k < lab->nterms; k++) {
			uint32_t t = ids[k];
			int dup = 0;
			for (uint32_t j = 0; j < k && !dup; j++)
				dup = ids[j] == t;
			if (!dup && s->term_stamp[t] == s->query)
				covered += coverage_weight(&m->terms[t]);
		}
		if (covered > 0)
			keep_label(s, c, l, label_score(lab, covered));
	}
	if (!(kinds & SH_KIND_BIT(SH_KIND_SKILL)))
		return;
	for (uint32_t p = m->fwd_first[c]; p < m->fwd_first[c + 1]; p++) {
		uint32_t t = m->fwd[p].concept;
		if (s->term_stamp[t] == s->query)
			s->bm25[c] += m->fwd[p].weight * m->terms[t].qweight;
	}
}

static int by_score(const void *a, const void *b)
{
	const sh_rank_hit *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->concept < y->concept ? -1 : x->concept > y->concept;
}

static int by_concept_start(const void *a, const void *b)
{
	const concept_span *x = a, *y = b;
	if (x->concept != y->concept)
		return x->concept < y->concept ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static void swap_hits(sh_rank_hit *a, sh_rank_hit *b)
{
	sh_rank_hit t = *a;
	*a = *b;
	*b = t;
}

/* Moves the k best of h[0..n) (by_score order) to h[0..k), in linear expected time (quickselect). */
static void select_best(sh_rank_hit *h, size_t n, size_t k)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1 && k > lo && k < hi) {
		swap_hits(&h[lo + (hi - lo) / 2], &h[hi - 1]);
		size_t store = lo;
		for (size_t i = lo; i + 1 < hi; i++)
			if (by_score(&h[i], &h[hi - 1]) < 0)
				swap_hits(&h[i], &h[store++]);
		swap_hits(&h[store], &h[hi - 1]);
		if (store < k)
			lo = store + 1;
		else
			hi = store;
	}
}

/* Keeps the top best hits of each concept kind (skills first, then the rest); returns the count. */
static size_t keep_best_per_kind(const sh_rank_model *m, sh_rank_hit *h, size_t n, size_t top)
{
	size_t nskills = 0;
	for (size_t i = 0; i < n; i++)
		if (m->concepts[h[i].concept].kind == SH_KIND_SKILL)
			swap_hits(&h[i], &h[nskills++]);
	size_t others = n - nskills;
	if (nskills > top) {
		select_best(h, nskills, top);
		memmove(h + top, h + nskills, others * sizeof *h);
		nskills = top;
	}
	if (others > top) {
		select_best(h + nskills, others, top);
		others = top;
	}
	return nskills + others;
}

int sh_rank_run(const sh_rank_model *m, sh_rank_scratch *s, const uint32_t *terms, size_t nterms,
                const sh_rank_query *q, const sh_rank_hit **hits, size_t *nhits,
                const sh_rank_span **spans)
{
	unsigned kinds = q->kinds ? q->kinds : SH_KIND_BIT(SH_KIND_SKILL);
	size_t nh = 0;
	s->ntouched = 0;
	s->nraw_spans = 0;
	*hits = s->hits;
	*nhits = 0;
	*spans = s->spans; /* take_literals() may move it */
	stamp_terms(m, s, terms, nterms);
	int rc = take_literals(m, s, q, kinds);
	if (rc < 0)
		return rc;
	if (!q->literal_only)
		accumulate(m, s, terms, nterms, kinds);
	for (size_t i = 0; i < s->nraw_spans; i++) {
		uint32_t c = s->raw_spans[i].concept;
		if (q->literal_only && s->concept_stamp[c] != s->query)
			score_alone(m, s, c, kinds);
		touch(s, c);
		s->literal[c] |= s->raw_spans[i].exact ? 3 : 1; /* bit 0: occurs; bit 1: occurs exactly */
	}
	for (size_t i = 0; i < s->ntouched; i++) {
		uint32_t c = s->touched[i];
		float bm = s->bm25[c];
		float score = RANK_A * s->label_best[c] + RANK_B * bm / (bm + RANK_BM25_HALF) +
		              RANK_C * m->concepts[c].prior + RANK_D * (s->literal[c] >> 1);
		int keep = (kinds & SH_KIND_BIT(m->concepts[c].kind)) && score >= q->min_score &&
		           (!q->literal_only || s->literal[c]);
		if (keep)
			s->hits[nh++] = (sh_rank_hit){ c, score, s->best_label[c], 0, 0 };
		s->bm25[c] = s->label_best[c] = 0;
		s->literal[c] = 0;
	}
	if (q->top)
		nh = keep_best_per_kind(m, s->hits, nh, q->top);
	if (nh > 1)
		qsort(s->hits, nh, sizeof *s->hits, by_score);
	/* spans of the hits kept, grouped per hit */
	if (s->nraw_spans > 1)
		qsort(s->raw_spans, s->nraw_spans, sizeof *s->raw_spans, by_concept_start);
	uint32_t ns = 0;
	for (size_t h = 0; h < nh; h++) {
		concept_span key = { s->hits[h].concept, 0, 0, 0 };
		size_t lo = 0, hi = s->nraw_spans;
		while (lo < hi) { /* first span of the concept */
			size_t mid = (lo + hi) / 2;
			if (by_concept_start(&s->raw_spans[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		s->hits[h].span = ns;
		for (; lo < s->nraw_spans && s->raw_spans[lo].concept == key.concept; lo++) {
			const concept_span *r = &s->raw_spans[lo];
			if (ns > s->hits[h].span && s->spans[ns - 1].start == r->start && s->spans[ns - 1].end == r->end)
				continue;
			s->spans[ns++] = (sh_rank_span){ r->start, r->end };
		}
		s->hits[h].nspans = ns - s->hits[h].span;
	}
	*spans = s->spans;
	*nhits = nh;
	return SH_OK;
}
