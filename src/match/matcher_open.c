/*
 * match/matcher_open.c - opening the matcher sections of an index.
 *
 * Every count, offset, state, concept, text record and language number in
 * the sections is checked once here against the section sizes and the
 * index, so the scanner indexes the arrays without further checks; a
 * truncated or foreign file is reported as SH_EFORMAT.  Nothing is copied:
 * opening costs one linear pass over the sections (a few milliseconds for
 * the whole of ESCO).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "match/matcher.h"
#include "match/matcher_format.h"

static int corrupt(const char *what)
{
	return sh_error(SH_EFORMAT, "corrupt index: matcher %s", what);
}

/* Section id with exactly n records of size rec (n may be 0). */
static const void *array_section(const sh_idx_file *f, uint32_t id, size_t n, size_t rec)
{
	size_t size = 0;
	const void *p = sh_idxf_section(f, id, &size);
	return p && size == n * rec ? p : NULL;
}

static int entry_ok(const sh_index *idx, uint32_t concept, uint32_t label, uint32_t lang)
{
	return concept < idx->nconcepts && label < idx->ntexts && lang < idx->nlangs &&
	       idx->texts[label].concept == concept;
}

static int validate(const sh_matcher *m)
{
	const mt_header *h = &m->h;
	for (uint32_t t = 0; t < h->nterms; t++)
		if (m->start[t].child >= h->nstates || m->start[t].final > 1 || m->root[t] >= h->nterms || m->bag_width[t] > MT_MAX_BAG_KEYS)
			return corrupt("start states, roots or bag widths");
	uint32_t used = 0;
	for (uint32_t i = 0; i < h->nedge_buckets; i++) {
		const mt_edge *e = &m->edges[i];
		if (!e->child)
			continue;
		used++;
		if (e->child >= h->nstates || e->state >= h->nstates || e->term >= h->nterms)
			return corrupt("trie edge");
	}
	if (used >= h->nedge_buckets)
		return corrupt("trie edge table (full)");
	if (!sh_index_offsets_ok(m->fin, h->nstates, h->nentries))
		return corrupt("final states");
	if (h->word_pool_size && m->word_pool[h->word_pool_size - 1] != '\0')
		return corrupt("word pool");
	for (uint32_t i = 0; i < h->nentries; i++) {
		const mt_entry *e = &m->entries[i];
		if (!entry_ok(m->idx, e->concept, e->label, e->lang) ||
		    (m->words[i] != UINT32_MAX && m->words[i] >= h->word_pool_size))
			return corrupt("label entry");
	}
	used = 0;
	for (uint32_t i = 0; i < h->npair_buckets; i++) {
		const mt_pair *p = &m->pairs[i];
		if (!p->count)
			continue;
		used++;
		if (p->first > h->nbags || p->count > h->nbags - p->first)
			return corrupt("bag pair");
	}
	if (used >= h->npair_buckets)
		return corrupt("bag pair table (full)");
	for (uint32_t i = 0; i < h->nbags; i++) {
		const mt_bag *g = &m->bags[i];
		if (!entry_ok(m->idx, g->concept, g->label, g->lang) || g->nkeys < 2 || g->nkeys > MT_MAX_BAG_KEYS)
			return corrupt("bag");
		for (unsigned k = 0; k < g->nkeys; k++)
			if (g->keys[k] >= h->nterms)
				return corrupt("bag key");
	}
	return SH_OK;
}

int sh_matcher_open(sh_matcher **out, const sh_index *idx)
{
	static atomic_uint_fast64_t serials;
	*out = NULL;
	const sh_idx_file *f = sh_index_file(idx);
	sh_matcher *m = calloc(1, sizeof *m);
	if (!m)
		return sh_error(SH_ENOMEM, "out of memory");
	m->idx = idx;
	const mt_header *h = array_section(f, MT_SEC_HEADER, 1, sizeof *h);
	int rc = SH_OK;
	if (!h || h->magic != MT_MAGIC) {
		rc = corrupt("header (rebuild the index)");
		goto fail;
	}
	m->h = *h;
	size_t size = 0;
	const void *terms = sh_idxf_section(f, MT_SEC_TERMS, &size);
	if (!terms || (rc = sh_termdict_open(&m->terms, terms, size)) || m->terms.nterms != h->nterms) {
		rc = corrupt("term dictionary");
		goto fail;
	}
	m->root = array_section(f, MT_SEC_ROOTS, h->nterms, sizeof *m->root);
	m->start = array_section(f, MT_SEC_START, h->nterms, sizeof *m->start);
	m->edges = array_section(f, MT_SEC_EDGES, h->nedge_buckets, sizeof *m->edges);
	m->fin = array_section(f, MT_SEC_FINAL, (size_t)h->nstates + 1, sizeof *m->fin);
	m->entries = array_section(f, MT_SEC_ENTRIES, h->nentries, sizeof *m->entries);
	m->words = array_section(f, MT_SEC_WORDS, h->nentries, sizeof *m->words);
	m->word_pool = array_section(f, MT_SEC_WORDPOOL, h->word_pool_size, 1);
	m->pairs = array_section(f, MT_SEC_PAIRS, h->npair_buckets, sizeof *m->pairs);
	m->bags = array_section(f, MT_SEC_BAGS, h->nbags, sizeof *m->bags);
	m->bag_mask = array_section(f, MT_SEC_BAGMASK, h->nterms, sizeof *m->bag_mask);
	m->bag_width = array_section(f, MT_SEC_BAGWIDTH, h->nterms, sizeof *m->bag_width);
	uint32_t nbits = h->npair_bloom_bits;
	m->pair_bits = nbits < 64 || (nbits & (nbits - 1)) ? NULL
	               : array_section(f, MT_SEC_PAIRBITS, nbits / 64, sizeof *m->pair_bits);
	if (!m->root || !m->start || !m->edges || !m->fin || !m->entries || !m->words || !m->word_pool || !m->pairs || !m->bags ||
	    !m->bag_mask || !m->bag_width || !m->pair_bits || h->nstates == 0 || h->nedge_buckets == 0 || (h->nedge_buckets & (h->nedge_buckets - 1)) ||
	    h->npair_buckets == 0 || (h->npair_buckets & (h->npair_buckets - 1))) {
		rc = corrupt("section sizes");
		goto fail;
	}
	if ((rc = validate(m)))
		goto fail;
	m->serial = ++serials;
	*out = m;
	return SH_OK;
fail:
	free(m);
	return rc;
}

void sh_matcher_close(sh_matcher *m)
{
	free(m);
}

const char *sh_matcher_label(const sh_matcher *m, uint32_t label, const char **lang)
{
	const sh_index *idx = m->idx;
	if (label >= idx->ntexts)
		return NULL;
	if (lang)
		*lang = idx->langs[idx->texts[label].lang];
	return sh_index_str(idx, idx->texts[label].text);
}
