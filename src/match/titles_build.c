/*
 * match/titles_build.c - compiles the title normalisation sections (titles.h).
 *
 * One pass over the occupation labels collects, per label, its exact key,
 * its word count, its distinct terms (sh_titles_term_key) and its character
 * n-grams with their counts.  Then the document frequencies give the idf of
 * terms and grams, each label's gram vector is L2-normalised, and postings
 * are laid out per term and per gram by counting sorts (so a term's
 * postings are in label order, which titles_query.c relies on).  The gram
 * and exact tables are open-addressing hash tables sized to a load factor
 * of at most 1/2.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "match/titles.h"

#define MAX_GRAMS 1024

typedef struct gram_raw {
	uint32_t gram, label, tf;
} gram_raw;

/* Gram key -> dense id during the build. */
typedef struct gram_map {
	uint64_t *keys;   /* 0 = empty */
	uint32_t *ids;
	uint32_t  cap, n;
} gram_map;

typedef struct tbuilder {
	const sh_rank_source *src;
	sh_termdict_builder   dict;
	sh_rank_text         *an;
	gram_map              gmap;
	sh_buf                labels;  /* sh_titles_label */
	sh_buf                wpairs;  /* u32 (term, label) */
	sh_buf                graw;    /* gram_raw */
	sh_buf                exact;   /* sh_titles_exact (unplaced) */
	uint32_t             *nlabels_lang;
} tbuilder;

static int nomem(void)
{
	return sh_error(SH_ENOMEM, "out of memory compiling the titles index");
}

static int gram_id(gram_map *g, uint64_t key, uint32_t *id)
{
	if (2 * (g->n + 1) > g->cap) {
		uint32_t cap = g->cap ? 2 * g->cap : 1 << 16;
		uint64_t *keys = calloc(cap, sizeof *keys);
		uint32_t *ids = malloc(cap * sizeof *ids);
		if (!keys || !ids) {
			free(keys);
			free(ids);
			return nomem();
		}
		for (uint32_t i = 0; i < g->cap; i++) {
			if (!g->keys[i])
				continue;
			uint32_t j = (uint32_t)g->keys[i] & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = g->keys[i];
			ids[j] = g->ids[i];
		}
		free(g->keys);
		free(g->ids);
		g->keys = keys;
		g->ids = ids;
		g->cap = cap;
	}
	uint32_t j = (uint32_t)key & (g->cap - 1);
	while (g->keys[j] && g->keys[j] != key)
		j = (j + 1) & (g->cap - 1);
	if (!g->keys[j]) {
		g->keys[j] = key;
		g->ids[j] = g->n++;
	}
	*id = g->ids[j];
	return SH_OK;
}

static int add_label(tbuilder *b, const sh_idx_text *t)
{
	const char *lang = b->src->langs[t->lang];
	const char *text = b->src->strings + t->text;
	sh_rank_text *an = &b->an[t->lang];
	int rc = sh_rank_text_analyze(an, lang, text, strlen(text));
	if (rc < 0 || an->nwords == 0)
		return rc;
	uint32_t label = (uint32_t)(b->labels.len / sizeof(sh_titles_label));
	sh_titles_label rec = { t->concept, t->lang, t->kind, (uint8_t)(an->nwords < 255 ? an->nwords : 255), 0 };
	sh_titles_exact ex = { sh_titles_exact_key(an), label, 0 };
	if (sh_buf_append(&b->exact, &ex, sizeof ex) < 0)
		return nomem();
	b->nlabels_lang[t->lang]++;
	uint32_t first = (uint32_t)(b->wpairs.len / (2 * sizeof(uint32_t)));
	for (size_t i = 0; i < an->nwords; i++) {
		char key[256];
		size_t klen = sh_titles_term_key(key, sizeof key, an, i);
		uint32_t id;
		if (klen == 0)
			continue;
		if ((rc = sh_tdb_add(&b->dict, key, klen, &id)) < 0)
			return rc;
		const uint32_t *pairs = (const uint32_t *)b->wpairs.data;
		size_t n = b->wpairs.len / (2 * sizeof *pairs);
		int dup = 0;
		for (size_t j = first; j < n && !dup; j++)
			dup = pairs[2 * j] == id;
		uint32_t pair[2] = { id, label };
		if (!dup && sh_buf_append(&b->wpairs, pair, sizeof pair) < 0)
			return nomem();
	}
	if (sh_buf_append(&b->labels, &rec, sizeof rec) < 0)
		return nomem();
	uint64_t grams[MAX_GRAMS];
	size_t ng = sh_titles_grams(an, grams, MAX_GRAMS);
	for (size_t i = 0; i < ng;) {
		size_t j = i;
		while (j < ng && grams[j] == grams[i])
			j++;
		gram_raw r = { 0, label, (uint32_t)(j - i) };
		if ((rc = gram_id(&b->gmap, grams[i], &r.gram)) < 0)
			return rc;
		if (sh_buf_append(&b->graw, &r, sizeof r) < 0)
			return nomem();
		i = j;
	}
	return SH_OK;
}

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t p = 16;
	while (p < n)
		p *= 2;
	return p;
}

static int lay_out(tbuilder *b, sh_idx_writer *w)
{
	sh_titles_label *labels = (sh_titles_label *)b->labels.data;
	uint32_t nlabels = (uint32_t)(b->labels.len / sizeof *labels);
	const uint32_t *pairs = (const uint32_t *)b->wpairs.data;
	uint32_t npairs = (uint32_t)(b->wpairs.len / (2 * sizeof *pairs));
	const gram_raw *graw = (const gram_raw *)b->graw.data;
	uint32_t nraw = (uint32_t)(b->graw.len / sizeof *graw);
	const sh_titles_exact *exact = (const sh_titles_exact *)b->exact.data;
	uint32_t nterms = b->dict.nterms, ngrams = b->gmap.n;
	uint32_t gslots = pow2_at_least(2ull * ngrams), eslots = pow2_at_least(2ull * nlabels);
	int rc = SH_OK;

	sh_titles_term *terms = calloc(nterms + 1, sizeof *terms);
	uint32_t *wpost = malloc((npairs + 1) * sizeof *wpost);
	sh_titles_gram *gtab = calloc(ngrams + 1, sizeof *gtab);    /* by gram id, placed later */
	sh_titles_gram *slots = calloc(gslots, sizeof *slots);
	sh_titles_gpost *gpost = malloc((nraw + 1) * sizeof *gpost);
	sh_titles_exact *eslot = calloc(eslots, sizeof *eslot);
	float *norm = calloc(nlabels + 1, sizeof *norm);
	sh_buf dict = SH_BUF_INIT;
	if (!terms || !wpost || !gtab || !slots || !gpost || !eslot || !norm) {
		rc = nomem();
		goto done;
	}
	/* words: counting sort by term, idf over the labels of the term's language */
	for (uint32_t i = 0; i < npairs; i++)
		terms[pairs[2 * i]].npost++;
	for (uint32_t t = 0, off = 0; t < nterms; t++) {
		terms[t].post = off;
		off += terms[t].npost;
		terms[t].npost = 0;
	}
	for (uint32_t i = 0; i < npairs; i++) {
		sh_titles_term *t = &terms[pairs[2 * i]];
		wpost[t->post + t->npost++] = pairs[2 * i + 1];
	}
	for (uint32_t t = 0; t < nterms; t++) {
		double nl = terms[t].npost ? b->nlabels_lang[labels[wpost[terms[t].post]].lang] : 1;
		terms[t].idf = (float)log(1.0 + (nl - terms[t].npost + 0.5) / (terms[t].npost + 0.5));
	}
	for (uint32_t i = 0; i < npairs; i++)
		labels[pairs[2 * i + 1]].mass += terms[pairs[2 * i]].idf;
	/* grams: df, idf = ln((1 + N) / (1 + df)) + 1, label norms, counting sort by gram */
	for (uint32_t i = 0; i < nraw; i++)
		gtab[graw[i].gram].npost++;
	for (uint32_t i = 0; i < nraw; i++) {
		sh_titles_gram *g = &gtab[graw[i].gram];
		double nl = b->nlabels_lang[labels[graw[i].label].lang];
		g->idf = (float)(log((1.0 + nl) / (1.0 + g->npost)) + 1.0);
	}
	for (uint32_t i = 0; i < nraw; i++) {
		float x = graw[i].tf * gtab[graw[i].gram].idf;
		norm[graw[i].label] += x * x;
	}
	for (uint32_t g = 0, off = 0; g < ngrams; g++) {
		gtab[g].post = off;
		off += gtab[g].npost;
		gtab[g].npost = 0;
	}
	for (uint32_t i = 0; i < nraw; i++) {
		sh_titles_gram *g = &gtab[graw[i].gram];
		float n = sqrtf(norm[graw[i].label]);
		gpost[g->post + g->npost++] = (sh_titles_gpost){ graw[i].label, graw[i].tf * g->idf / (n > 0 ? n : 1) };
	}
	for (uint32_t i = 0; i < b->gmap.cap; i++) {
		if (!b->gmap.keys[i])
			continue;
		sh_titles_gram g = gtab[b->gmap.ids[i]];
		g.key = b->gmap.keys[i];
		uint32_t j = (uint32_t)g.key & (gslots - 1);
		while (slots[j].key)
			j = (j + 1) & (gslots - 1);
		slots[j] = g;
	}
	for (uint32_t i = 0; i < nlabels; i++) {
		uint32_t j = (uint32_t)exact[i].key & (eslots - 1);
		while (eslot[j].key)
			j = (j + 1) & (eslots - 1);
		eslot[j] = exact[i];
	}
	uint32_t header[8] = { SH_TITLES_MAGIC, nterms, npairs, nlabels, gslots, nraw, eslots, b->src->nconcepts };
	if ((rc = sh_tdb_serialize(&b->dict, &dict)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_HEAD, header, sizeof header)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_DICT, dict.data, dict.len)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_TERMS, terms, nterms * sizeof *terms)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_WPOST, wpost, npairs * sizeof *wpost)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_LABEL, labels, nlabels * sizeof *labels)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_GRAMS, slots, gslots * sizeof *slots)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_GPOST, gpost, nraw * sizeof *gpost)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_TITLES_EXACT, eslot, eslots * sizeof *eslot)) < 0)
		goto done;
done:
	sh_buf_free(&dict);
	free(terms);
	free(wpost);
	free(gtab);
	free(slots);
	free(gpost);
	free(eslot);
	free(norm);
	return rc;
}

int sh_titles_build(const sh_rank_source *src, sh_idx_writer *w)
{
	tbuilder b = { .src = src };
	int rc = SH_OK;
	sh_tdb_init(&b.dict);
	b.an = calloc(src->nlangs + 1, sizeof *b.an);
	b.nlabels_lang = calloc(src->nlangs + 1, sizeof *b.nlabels_lang);
	if (!b.an || !b.nlabels_lang)
		rc = nomem();
	for (size_t i = 0; rc == SH_OK && i < src->ntexts; i++) {
		const sh_idx_text *t = &src->texts[i];
		if (src->kind[t->concept] == SH_KIND_OCCUPATION && t->kind <= SH_TEXT_HIDDEN)
			rc = add_label(&b, t);
	}
	if (rc == SH_OK)
		rc = lay_out(&b, w);
	for (size_t l = 0; b.an && l < src->nlangs; l++)
		sh_rank_text_free(&b.an[l]);
	free(b.an);
	free(b.nlabels_lang);
	free(b.gmap.keys);
	free(b.gmap.ids);
	sh_tdb_free(&b.dict);
	sh_buf_free(&b.labels);
	sh_buf_free(&b.wpairs);
	sh_buf_free(&b.graw);
	sh_buf_free(&b.exact);
	return rc;
}
