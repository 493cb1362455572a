/*
 * match/rank_query.c - opening the ranking sections and ranking a text
 * (rank_model.h; the formula is in docs/ranking.md).
 *
 * A query visits the postings of each distinct term of the text once:
 *   - label postings accumulate, per label, the idf mass of the label's terms
 *     found in the text (times the term's query weight): coverage = found
 *     mass / label mass;
 *   - skill postings accumulate the BM25F score of each skill document.
 * Only touched labels and concepts are visited afterwards and reset, so the
 * cost of a query is the length of its postings, not the size of ESCO.
 * A label fully covered is checked for a literal occurrence (its terms
 * contiguous and in order in the text), which gives the spans.
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

static const void *section(const sh_idx_file *f, uint32_t id, size_t elem, uint32_t count)
{
	size_t size = 0;
	const void *p = sh_idxf_section(f, id, &size);
	if (!p && count == 0)
		return "";
	if (!p || size != (size_t)count * elem)
		return NULL;
	return p;
}

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
	m->terms = section(f, SH_SEC_RANK_TERMS, sizeof *m->terms, m->nterms);
	m->lpost = section(f, SH_SEC_RANK_LPOST, sizeof *m->lpost, m->nlpost);
	m->spost = section(f, SH_SEC_RANK_SPOST, sizeof *m->spost, m->nspost);
	m->labels = section(f, SH_SEC_RANK_LABELS, sizeof *m->labels, m->nlabels);
	m->label_terms = section(f, SH_SEC_RANK_LTERMS, sizeof *m->label_terms, m->nlabel_terms);
	m->concepts = section(f, SH_SEC_RANK_CONCEPTS, sizeof *m->concepts, m->nconcepts);
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
	return SH_OK;
}

/* A literal occurrence of a concept's label, before grouping by concept. */
typedef struct concept_span {
	uint32_t concept, start, end;
} concept_span;

struct sh_rank_scratch {
	const sh_rank_model *m;
	sh_rank_text  text;
	uint32_t     *qterms;        /* term id of each analysed word (SH_TERM_NONE if unknown) */
	size_t        qterms_cap;
	uint32_t     *term_stamp;    /* nterms: query number that last saw the term */
	uint32_t      query;
	float        *label_acc;     /* nlabels */
	uint32_t     *touched_labels;
	float        *bm25, *label_best; /* nconcepts */
	uint32_t     *best_label;
	uint8_t      *literal;
	uint32_t     *concept_stamp; /* nconcepts: query number that last touched the concept */
	uint32_t     *touched;       /* concepts */
	size_t        ntouched;
	sh_rank_hit  *hits;
	concept_span *raw_spans;
	size_t        nraw_spans, raw_spans_cap;
	sh_rank_span *spans;
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
	}
	if (!s || !s->term_stamp || !s->label_acc || !s->touched_labels || !s->bm25 || !s->label_best ||
	    !s->best_label || !s->literal || !s->touched || !s->concept_stamp || !s->hits) {
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
	free(s->qterms);
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

static int push_span(sh_rank_scratch *s, uint32_t concept, uint32_t start, uint32_t end)
{
	if (s->nraw_spans == s->raw_spans_cap) {
		size_t cap = s->raw_spans_cap ? 2 * s->raw_spans_cap : 64;
		concept_span *p = realloc(s->raw_spans, cap * sizeof *p);
		if (!p)
			return sh_error(SH_ENOMEM, "out of memory ranking text");
		s->raw_spans = p;
		s->raw_spans_cap = cap;
	}
	s->raw_spans[s->nraw_spans++] = (concept_span){ concept, start, end };
	return SH_OK;
}

/* Records every literal occurrence of label l in the text; returns how many (or < 0). */
static int find_literal(sh_rank_scratch *s, uint32_t l)
{
	const sh_rank_label *lab = &s->m->labels[l];
	const uint32_t *seq = s->m->label_terms + lab->terms;
	size_t n = lab->nterms, nw = s->text.nwords;
	int found = 0;
	for (size_t i = 0; n && i + n <= nw; i++) {
		size_t k = 0;
		while (k < n && s->qterms[i + k] == seq[k])
			k++;
		if (k < n)
			continue;
		int rc = push_span(s, lab->concept, s->text.words[i].start, s->text.words[i + n - 1].end);
		if (rc < 0)
			return rc;
		found++;
	}
	return found;
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

/* Analyses text and accumulates label coverage and BM25F scores; sets the touched lists. */
static int accumulate(const sh_rank_model *m, sh_rank_scratch *s, const char *text, size_t len,
                      const char *lang, unsigned kinds, size_t *ntouched_labels)
{
	int rc = sh_rank_text_analyze(&s->text, lang, text, len);
	if (rc < 0)
		return rc;
	if (s->text.nwords > s->qterms_cap) {
		uint32_t *q = realloc(s->qterms, s->text.nwords * sizeof *q);
		if (!q)
			return sh_error(SH_ENOMEM, "out of memory ranking text");
		s->qterms = q;
		s->qterms_cap = s->text.nwords;
	}
	if (++s->query == 0) { /* stamps wrapped: start over */
		memset(s->term_stamp, 0, (m->nterms + 1) * sizeof *s->term_stamp);
		memset(s->concept_stamp, 0, (m->nconcepts + 1) * sizeof *s->concept_stamp);
		s->query = 1;
	}
	size_t nl = 0;
	for (size_t i = 0; i < s->text.nwords; i++) {
		char key[256];
		size_t klen = sh_rank_term_key(key, sizeof key, s->text.lang, sh_rank_text_stem(&s->text, i),
		                               s->text.words[i].stem_len);
		uint32_t t = klen ? sh_termdict_find(&m->dict, key, klen) : SH_TERM_NONE;
		s->qterms[i] = t;
		if (t == SH_TERM_NONE || s->term_stamp[t] == s->query)
			continue;
		s->term_stamp[t] = s->query;
		const sh_rank_term *rt = &m->terms[t];
		float add = rt->idf * rt->qweight;
		for (uint32_t p = 0; p < rt->nlpost; p++) {
			uint32_t l = m->lpost[rt->lpost + p];
			if (!(kinds & SH_KIND_BIT(m->concepts[m->labels[l].concept].kind)))
				continue;
			if (s->label_acc[l] == 0)
				s->touched_labels[nl++] = l;
			s->label_acc[l] += add > 0 ? add : 1e-6f;
		}
		if (!(kinds & SH_KIND_BIT(SH_KIND_SKILL)))
			continue;
		for (uint32_t p = 0; p < rt->nspost; p++) {
			const sh_rank_posting *sp = &m->spost[rt->spost + p];
			touch(s, sp->concept);
			s->bm25[sp->concept] += sp->weight * rt->qweight;
		}
	}
	*ntouched_labels = nl;
	return SH_OK;
}

/* Turns touched labels into per-concept label scores and literal spans. */
static int score_labels(const sh_rank_model *m, sh_rank_scratch *s, size_t nl)
{
	int rc = SH_OK;
	for (size_t i = 0; i < nl; i++) {
		uint32_t l = s->touched_labels[i];
		const sh_rank_label *lab = &m->labels[l];
		float cov = lab->mass > 0 ? s->label_acc[l] / lab->mass : 0;
		s->label_acc[l] = 0;
		if (rc < 0)
			continue;
		if (cov > 1)
			cov = 1;
		float spec = lab->mass / RANK_SPECIFIC_MASS;
		float score = kind_weight[lab->kind] * cov * cov * (spec < 1 ? spec : 1);
		if (lab->nterms == 1 && lab->kind != SH_TEXT_PREFERRED)
			score *= RANK_ONE_WORD;
		uint32_t c = lab->concept;
		touch(s, c);
		if (cov >= 0.999f) {
			int found = find_literal(s, l);
			if (found < 0)
				rc = found;
			else if (found > 0)
				s->literal[c] = 1;
		}
		if (score > s->label_best[c] || s->best_label[c] == UINT32_MAX) {
			s->label_best[c] = score > s->label_best[c] ? score : s->label_best[c];
			s->best_label[c] = l;
		}
	}
	return rc;
}

int sh_rank_run(const sh_rank_model *m, sh_rank_scratch *s, const char *text, size_t len,
                const sh_rank_query *q, const sh_rank_hit **hits, size_t *nhits,
                const sh_rank_span **spans)
{
	unsigned kinds = q->kinds ? q->kinds : SH_KIND_BIT(SH_KIND_SKILL);
	size_t nl = 0, nh = 0;
	s->ntouched = 0;
	s->nraw_spans = 0;
	*hits = s->hits;
	*nhits = 0;
	*spans = s->spans;
	int rc = accumulate(m, s, text, len, q->lang ? q->lang : "en", kinds, &nl);
	if (rc == SH_OK)
		rc = score_labels(m, s, nl);
	else
		for (size_t i = 0; i < nl; i++)
			s->label_acc[s->touched_labels[i]] = 0;
	for (size_t i = 0; i < s->ntouched; i++) {
		uint32_t c = s->touched[i];
		float bm = s->bm25[c];
		float score = RANK_A * s->label_best[c] + RANK_B * bm / (bm + RANK_BM25_HALF) +
		              RANK_C * m->concepts[c].prior + RANK_D * s->literal[c];
		int keep = (kinds & SH_KIND_BIT(m->concepts[c].kind)) && score >= q->min_score &&
		           (!q->literal_only || s->literal[c]);
		if (rc == SH_OK && keep)
			s->hits[nh++] = (sh_rank_hit){ c, score, s->best_label[c], 0, 0 };
		s->bm25[c] = s->label_best[c] = 0;
		s->literal[c] = 0;
	}
	if (rc < 0)
		return rc;
	if (q->top)
		nh = keep_best_per_kind(m, s->hits, nh, q->top);
	if (nh > 1)
		qsort(s->hits, nh, sizeof *s->hits, by_score);
	/* spans of the hits kept, grouped per hit (raw_spans is NULL until a span is seen) */
	if (s->nraw_spans > 1)
		qsort(s->raw_spans, s->nraw_spans, sizeof *s->raw_spans, by_concept_start);
	free(s->spans);
	s->spans = malloc((s->nraw_spans + 1) * sizeof *s->spans);
	if (!s->spans)
		return sh_error(SH_ENOMEM, "out of memory ranking text");
	uint32_t ns = 0;
	for (size_t h = 0; h < nh; h++) {
		concept_span key = { s->hits[h].concept, 0, 0 };
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
