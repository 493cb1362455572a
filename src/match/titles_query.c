/*
 * match/titles_query.c - opening the title sections and ranking occupations
 * for a title (titles.h).
 *
 * Per title: the exact key is probed; each distinct known term adds its idf
 * to the labels that contain it and, saturated by how many of an
 * occupation's labels contain it, to that occupation's word evidence (term
 * postings are in label order, so an occupation's labels are one run); each
 * distinct gram adds its query weight times the label's normalised weight.
 * Touched labels are then scored, the best label of each occupation kept and
 * mixed with the evidence, and the top K occupations selected
 * with a bounded min-heap, so the cost is the postings walked plus
 * O(touched * log K), whatever the size of ESCO.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/topk.h"
#include "core/error.h"
#include "match/titles.h"

#define TITLE_WORDS  0.7f   /* weight of the word overlap against the gram cosine */
#define TITLE_LABEL_COVER 0.5f /* word overlap = mix of Dice and the share of the label's idf mass found */
#define TITLE_INEXACT 0.95f /* a label that is not equal to the title scores below one that is */
#define MAX_QUERY_GRAMS 1024
#define TITLE_DOC    0.3f   /* weight of the occupation's word evidence against its best label */
#define TITLE_DOC_K  1.0f   /* saturation of the occupation's labels sharing a title word: n / (n + K) */
#define TITLE_LOOSE  0.8f   /* a partial match on a one-word alternative or hidden label ("general", "retailer") */
#define TITLE_EXACT_TIE 0.005f /* exact alternative or hidden labels: room for the word evidence to break ties */

/* Label kind weights (SH_TEXT_PREFERRED..HIDDEN): of an exact match, of a partial one. */
static const float exact_weight[4] = { 0, 1.0f, 0.99f, 0.97f };
static const float kind_weight[4] = { 0, 1.0f, 0.97f, 0.9f };
/*
 * Grams found in more labels than this ("er ", " ma") are "stop grams": they
 * count in the title's norm but their postings are not walked.  They carry
 * little weight (low idf) and most of the cost.
 */
#define TITLE_STOP_GRAM 300
/* The same for words found in more labels than this ("and", "of"). */
#define TITLE_STOP_WORD 3000

int sh_titles_open(sh_titles_model *m, const sh_idx_file *f)
{
	size_t size = 0;
	const uint32_t *h = sh_idxf_section(f, SH_SEC_TITLES_HEAD, &size);
	memset(m, 0, sizeof *m);
	if (!h || size != 8 * sizeof *h || h[0] != SH_TITLES_MAGIC)
		return sh_error(SH_EFORMAT, "index: title sections missing or corrupt (rebuild with `skillhub index build`)");
	m->nterms = h[1];
	m->nwpost = h[2];
	m->nlabels = h[3];
	m->ngram_slots = h[4];
	m->ngpost = h[5];
	m->nexact_slots = h[6];
	m->nconcepts = h[7];
	const void *dict = sh_idxf_section(f, SH_SEC_TITLES_DICT, &size);
	m->terms = sh_idxf_array(f, SH_SEC_TITLES_TERMS, sizeof *m->terms, m->nterms);
	m->wpost = sh_idxf_array(f, SH_SEC_TITLES_WPOST, sizeof *m->wpost, m->nwpost);
	m->labels = sh_idxf_array(f, SH_SEC_TITLES_LABEL, sizeof *m->labels, m->nlabels);
	m->grams = sh_idxf_array(f, SH_SEC_TITLES_GRAMS, sizeof *m->grams, m->ngram_slots);
	m->gpost = sh_idxf_array(f, SH_SEC_TITLES_GPOST, sizeof *m->gpost, m->ngpost);
	m->exact = sh_idxf_array(f, SH_SEC_TITLES_EXACT, sizeof *m->exact, m->nexact_slots);
	if (!dict || !m->terms || !m->wpost || !m->labels || !m->grams || !m->gpost || !m->exact ||
	    sh_termdict_open(&m->dict, dict, size) < 0 || m->dict.nterms != m->nterms ||
	    (m->ngram_slots & (m->ngram_slots - 1)) || (m->nexact_slots & (m->nexact_slots - 1)) ||
	    !m->ngram_slots || !m->nexact_slots)
		return sh_error(SH_EFORMAT, "index: title sections have inconsistent sizes");
	for (uint32_t t = 0; t < m->nterms; t++)
		if (m->terms[t].post > m->nwpost || m->terms[t].npost > m->nwpost - m->terms[t].post)
			return sh_error(SH_EFORMAT, "index: title term %u has postings out of range", t);
	for (uint32_t i = 0; i < m->nwpost; i++)
		if (m->wpost[i] >= m->nlabels)
			return sh_error(SH_EFORMAT, "index: title word posting %u out of range", i);
	for (uint32_t i = 0; i < m->nlabels; i++)
		if (m->labels[i].concept >= m->nconcepts || m->labels[i].kind < SH_TEXT_PREFERRED ||
		    m->labels[i].kind > SH_TEXT_HIDDEN)
			return sh_error(SH_EFORMAT, "index: title label %u out of range", i);
	for (uint32_t i = 0; i < m->ngram_slots; i++) {
		const sh_titles_gram *g = &m->grams[i];
		if (g->key && (g->post > m->ngpost || g->npost > m->ngpost - g->post))
			return sh_error(SH_EFORMAT, "index: title gram slot %u out of range", i);
	}
	for (uint32_t i = 0; i < m->ngpost; i++)
		if (m->gpost[i].label >= m->nlabels)
			return sh_error(SH_EFORMAT, "index: title gram posting %u out of range", i);
	for (uint32_t i = 0; i < m->nexact_slots; i++)
		if (m->exact[i].key && m->exact[i].label >= m->nlabels)
			return sh_error(SH_EFORMAT, "index: title exact slot %u out of range", i);
	return SH_OK;
}

/* What a query accumulates for one label (one cache line access per posting). */
typedef struct label_acc {
	uint32_t stamp;   /* query number that last touched the label */
	float    words;   /* idf mass of the title's stems found in the label */
	float    grams;   /* dot product of the gram vectors */
	uint32_t exact;
} label_acc;

struct sh_titles_scratch {
	const sh_titles_model *m;
	sh_rank_text  text;
	uint32_t     *term_stamp;   /* nterms */
	label_acc    *acc;          /* nlabels */
	uint32_t     *concept_stamp;
	uint32_t      query;
	uint32_t     *touched;      /* labels */
	float        *best;         /* nconcepts: score of the best label */
	uint8_t      *best_exact;   /* nconcepts: the best label equals the title */
	float        *doc;          /* nconcepts: word evidence over all the occupation's labels */
	uint32_t     *doc_stamp;
	uint32_t     *best_label;
	uint32_t     *concepts;     /* touched concepts */
	sh_title_hit *heap;
	size_t        heap_cap;
};

int sh_titles_scratch_new(sh_titles_scratch **out, const sh_titles_model *m)
{
	sh_titles_scratch *s = calloc(1, sizeof *s);
	size_t nt = m->nterms + 1, nl = m->nlabels + 1, nc = m->nconcepts + 1;
	if (s) {
		s->m = m;
		s->term_stamp = calloc(nt, sizeof *s->term_stamp);
		s->acc = calloc(nl, sizeof *s->acc);
		s->concept_stamp = calloc(nc, sizeof *s->concept_stamp);
		s->touched = malloc(nl * sizeof *s->touched);
		s->best = malloc(nc * sizeof *s->best);
		s->best_exact = malloc(nc * sizeof *s->best_exact);
		s->doc = malloc(nc * sizeof *s->doc);
		s->doc_stamp = calloc(nc, sizeof *s->doc_stamp);
		s->best_label = malloc(nc * sizeof *s->best_label);
		s->concepts = malloc(nc * sizeof *s->concepts);
	}
	if (!s || !s->term_stamp || !s->acc || !s->concept_stamp || !s->touched || !s->best || !s->best_exact || !s->doc ||
	    !s->doc_stamp || !s->best_label || !s->concepts) {
		sh_titles_scratch_free(s);
		return sh_error(SH_ENOMEM, "out of memory allocating title scratch");
	}
	*out = s;
	return SH_OK;
}

void sh_titles_scratch_free(sh_titles_scratch *s)
{
	if (!s)
		return;
	sh_rank_text_free(&s->text);
	free(s->term_stamp);
	free(s->acc);
	free(s->concept_stamp);
	free(s->touched);
	free(s->best);
	free(s->best_exact);
	free(s->doc);
	free(s->doc_stamp);
	free(s->best_label);
	free(s->concepts);
	free(s->heap);
	free(s);
}

/* Adds label l to the touched list (zeroing its accumulators) the first time this query sees it. */
static inline label_acc *touch_label(sh_titles_scratch *s, uint32_t l, size_t *n)
{
	label_acc *a = &s->acc[l];
	if (a->stamp != s->query) {
		*a = (label_acc){ s->query, 0, 0, 0 };
		s->touched[(*n)++] = l;
	}
	return a;
}

/* Min-heap on score (ties: higher concept first out, so lower concepts are kept). */
static int worse(const sh_title_hit *a, const sh_title_hit *b)
{
	return a->score < b->score || (a->score == b->score && a->concept > b->concept);
}

SH_TOPK_DEFINE(best, sh_title_hit, worse)

static size_t accumulate(const sh_titles_model *m, sh_titles_scratch *s, float *qmass, float *qnorm)
{
	size_t nl = 0;
	const sh_rank_text *t = &s->text;
	/* exact */
	uint64_t key = sh_titles_exact_key(t);
	for (uint32_t j = (uint32_t)key & (m->nexact_slots - 1); m->exact[j].key; j = (j + 1) & (m->nexact_slots - 1))
		if (m->exact[j].key == key) {
			touch_label(s, m->exact[j].label, &nl)->exact = 1;
		}
	/* words */
	*qmass = 0;
	for (size_t i = 0; i < t->nwords; i++) {
		char k[256];
		size_t klen = sh_titles_term_key(k, sizeof k, t, i);
		uint32_t id = klen ? sh_termdict_find(&m->dict, k, klen) : SH_TERM_NONE;
		if (id == SH_TERM_NONE || s->term_stamp[id] == s->query)
			continue;
		s->term_stamp[id] = s->query;
		const sh_titles_term *term = &m->terms[id];
		*qmass += term->idf;
		if (term->npost > TITLE_STOP_WORD)
			continue;
		/* postings are in label order, so the labels of one occupation are a run */
		for (uint32_t p = 0; p < term->npost;) {
			uint32_t c = m->labels[m->wpost[term->post + p]].concept, q = p;
			for (; q < term->npost && m->labels[m->wpost[term->post + q]].concept == c; q++)
				touch_label(s, m->wpost[term->post + q], &nl)->words += term->idf;
			if (s->doc_stamp[c] != s->query) {
				s->doc_stamp[c] = s->query;
				s->doc[c] = 0;
			}
			s->doc[c] += term->idf * (float)(q - p) / ((float)(q - p) + TITLE_DOC_K);
			p = q;
		}
	}
	/* grams */
	uint64_t grams[MAX_QUERY_GRAMS];
	size_t ng = sh_titles_grams(t, grams, MAX_QUERY_GRAMS);
	*qnorm = 0;
	for (size_t i = 0; i < ng;) {
		size_t j = i;
		while (j < ng && grams[j] == grams[i])
			j++;
		uint32_t slot = (uint32_t)grams[i] & (m->ngram_slots - 1);
		while (m->grams[slot].key && m->grams[slot].key != grams[i])
			slot = (slot + 1) & (m->ngram_slots - 1);
		const sh_titles_gram *g = &m->grams[slot];
		float tf = (float)(j - i);
		i = j;
		if (!g->key) {
			/* unknown gram: counts in the title's norm with the highest idf seen */
			*qnorm += tf * tf * 4.0f;
			continue;
		}
		float qw = tf * g->idf;
		*qnorm += qw * qw;
		if (g->npost > TITLE_STOP_GRAM)
			continue;
		for (uint32_t p = 0; p < g->npost; p++) {
			const sh_titles_gpost *gp = &m->gpost[g->post + p];
			touch_label(s, gp->label, &nl)->grams += qw * gp->weight;
		}
	}
	*qnorm = sqrtf(*qnorm);
	return nl;
}

/*
 * An occupation's score from its best label and its word evidence doc(c) in
 * [0, 1): an exact preferred label scores 1, an exact alternative or hidden
 * label its kind's weight less TITLE_EXACT_TIE * (1 - doc), anything else
 * (1 - TITLE_DOC) * best + TITLE_DOC * doc, which stays below every exact
 * score (docs/ranking.md, "Titles").
 */
static float concept_score(const sh_titles_scratch *s, uint32_t c, float qmass)
{
	float doc = s->doc_stamp[c] == s->query && qmass > 0 ? s->doc[c] / qmass : 0;
	if (doc > 1)
		doc = 1;
	if (s->best_exact[c])
		return s->best[c] >= 1 ? 1 : s->best[c] - TITLE_EXACT_TIE * (1 - doc);
	return (1 - TITLE_DOC) * s->best[c] + TITLE_DOC * doc;
}

int sh_titles_run(const sh_titles_model *m, sh_titles_scratch *s, const char *title, size_t len,
                  const char *lang, size_t top, const sh_title_hit **hits, size_t *nhits)
{
	*hits = s->heap;
	*nhits = 0;
	int rc = sh_rank_text_analyze(&s->text, lang ? lang : "en", title, len);
	if (rc < 0)
		return rc;
	if (top == 0 || s->text.nwords == 0)
		return SH_OK;
	if (top > s->heap_cap) {
		sh_title_hit *h = realloc(s->heap, top * sizeof *h);
		if (!h)
			return sh_error(SH_ENOMEM, "out of memory ranking a title");
		s->heap = h;
		s->heap_cap = top;
		*hits = h;
	}
	if (++s->query == 0) {
		memset(s->term_stamp, 0, (m->nterms + 1) * sizeof *s->term_stamp);
		memset(s->acc, 0, (m->nlabels + 1) * sizeof *s->acc);
		memset(s->concept_stamp, 0, (m->nconcepts + 1) * sizeof *s->concept_stamp);
		memset(s->doc_stamp, 0, (m->nconcepts + 1) * sizeof *s->doc_stamp);
		s->query = 1;
	}
	float qmass, qnorm;
	size_t nl = accumulate(m, s, &qmass, &qnorm), nc = 0;
	for (size_t i = 0; i < nl; i++) {
		uint32_t l = s->touched[i];
		const sh_titles_label *lab = &m->labels[l];
		const label_acc *a = &s->acc[l];
		float dice = lab->mass + qmass > 0 ? 2 * a->words / (lab->mass + qmass) : 0;
		float covl = lab->mass > 0 ? a->words / lab->mass : 0;
		float words = (1 - TITLE_LABEL_COVER) * dice + TITLE_LABEL_COVER * covl;
		float cosine = qnorm > 0 ? a->grams / qnorm : 0;
		float score = a->exact ? exact_weight[lab->kind] :
		              TITLE_INEXACT * kind_weight[lab->kind] * (TITLE_WORDS * words + (1 - TITLE_WORDS) * cosine);
		if (!a->exact && lab->nwords == 1 && lab->kind != SH_TEXT_PREFERRED)
			score *= TITLE_LOOSE;
		uint32_t c = lab->concept;
		if (s->concept_stamp[c] != s->query) {
			s->concept_stamp[c] = s->query;
			s->best[c] = -1;
			s->concepts[nc++] = c;
		}
		if (score > s->best[c]) {
			s->best[c] = score;
			s->best_exact[c] = a->exact != 0;
			s->best_label[c] = l;
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < nc; i++) {
		uint32_t c = s->concepts[i];
		sh_title_hit h = { c, concept_score(s, c, qmass), s->best_label[c] };
		best_offer(s->heap, &n, top, h);
	}
	best_sort(s->heap, n);
	*nhits = n;
	return SH_OK;
}
