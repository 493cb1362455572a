/*
 * match/matcher_compile.c - compiles the labels of skills and occupations
 * into the matcher sections (layout in matcher_format.h, design in
 * docs/matcher.md).
 *
 * Every preferred, alternative and hidden label of a released skill or
 * occupation is turned into a sequence of terms (matcher_words.c) and
 * inserted into a trie over term ids.  A label with a parenthesised
 * qualifier, "Java (computer programming)", is inserted twice: as written and
 * without the qualifier ("Java"), since texts rarely carry the qualifier.
 * A label with non-ASCII letters is also inserted as stemmed from its
 * accent-folded words, for texts written without accents.
 * Final states list (concept, label, language, label kind); the same concept
 * reached through the same state in the same language is listed once, with
 * its best label kind.
 *
 * Labels of 2..4 content words also become bags: their distinct word roots,
 * rarest first; the scanner finds a bag by its two rarest roots.  A root is
 * a class of stems that ESCO itself uses interchangeably: two labels of one
 * concept that differ in one word each, words with a common prefix
 * ("maintain vehicles" / "vehicle maintenance"), join those two stems.
 *
 * Everything runs in memory over the text records the index builder already
 * holds: the whole English ESCO (about 130,000 labels) compiles in about a
 * second, the Snowball stemmer being the main cost.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "match/matcher.h"
#include "match/matcher_format.h"
#include "match/matcher_words.h"

#define MAX_LABEL_TOKENS 32

/* (state, term) -> child during the build: open addressing, child 0 = empty. */
typedef struct edge_table {
	mt_edge *slot;
	uint32_t cap, count;
} edge_table;

typedef struct pending_entry {
	uint32_t state;
	uint32_t word; /* one-word label: its word in compiler.words; else UINT32_MAX */
	mt_entry e;
} pending_entry;

typedef struct compiler {
	sh_index_builder   *b;
	sh_termdict_builder terms;
	uint32_t           *root;       /* nterms: union-find parents, then the root of each term */
	edge_table          edges;
	uint32_t            nstates;
	pending_entry      *entries;
	size_t              nentries, entries_cap;
	mt_bag             *bags;
	size_t              nbags, bags_cap;
	sh_stemmer        **stemmers;   /* per index language, created on first use */
	unsigned char      *stem_tried;
	sh_tokens           toks;
	sh_buf              form;       /* a label without its parenthesised parts */
	sh_buf              term;
	sh_buf              words;      /* MWPL */
} compiler;

static uint32_t *edge_find(edge_table *t, uint32_t state, uint32_t term)
{
	uint32_t mask = t->cap - 1;
	for (uint32_t i = mt_edge_hash(state, term) & mask;; i = (i + 1) & mask) {
		mt_edge *e = &t->slot[i];
		if (!e->child || (e->state == state && e->term == term)) {
			e->state = state;
			e->term = term;
			return &e->child;
		}
	}
}

static int edge_grow(edge_table *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 1u << 16;
	mt_edge *old = t->slot;
	uint32_t old_cap = t->cap;
	t->slot = calloc(cap, sizeof *t->slot);
	if (!t->slot) {
		t->slot = old;
		return sh_error(SH_ENOMEM, "out of memory (matcher trie, %u edges)", t->count);
	}
	t->cap = cap;
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].child)
			*edge_find(t, old[i].state, old[i].term) = old[i].child;
	free(old);
	return SH_OK;
}

/* The child of state by term, created when absent. */
static int trie_step(compiler *c, uint32_t state, uint32_t term, uint32_t *child)
{
	int rc;
	if ((c->edges.count + 1) * 2 > c->edges.cap && (rc = edge_grow(&c->edges)))
		return rc;
	uint32_t *slot = edge_find(&c->edges, state, term);
	if (!*slot) {
		if (c->nstates == UINT32_MAX)
			return sh_error(SH_EINVAL, "matcher trie: too many states");
		*slot = c->nstates++;
		c->edges.count++;
	}
	*child = *slot;
	return SH_OK;
}

static int push_entry(compiler *c, uint32_t state, uint32_t word, const mt_entry *e)
{
	if (c->nentries == c->entries_cap) {
		size_t cap = c->entries_cap ? c->entries_cap * 2 : 4096;
		pending_entry *p = realloc(c->entries, cap * sizeof *p);
		if (!p)
			return sh_error(SH_ENOMEM, "out of memory (matcher entries)");
		c->entries = p;
		c->entries_cap = cap;
	}
	c->entries[c->nentries++] = (pending_entry){ state, word, *e };
	return SH_OK;
}

static int push_bag(compiler *c, const mt_bag *bag)
{
	if (c->nbags == c->bags_cap) {
		size_t cap = c->bags_cap ? c->bags_cap * 2 : 4096;
		mt_bag *p = realloc(c->bags, cap * sizeof *p);
		if (!p)
			return sh_error(SH_ENOMEM, "out of memory (matcher bags)");
		c->bags = p;
		c->bags_cap = cap;
	}
	c->bags[c->nbags++] = *bag;
	return SH_OK;
}

static sh_stemmer *stemmer_for(compiler *c, unsigned lang)
{
	if (!c->stem_tried[lang]) {
		c->stem_tried[lang] = 1;
		if (sh_stemmer_new(&c->stemmers[lang], c->b->langs[lang]) != SH_OK)
			c->stemmers[lang] = NULL; /* no Snowball algorithm: words are used unstemmed */
	}
	return c->stemmers[lang];
}

/*
 * Inserts the label form text[0..len) (and, when with_bag, its bag), its
 * words tokenised with norm_flags: 0 as a text is, or SH_NORM_FOLD_ACCENTS
 * for the form a text written without accents has ("infirmiere": Snowball
 * stems it differently from "infirmière").
 */
static int add_form(compiler *c, const char *text, size_t len, const mt_entry *proto, unsigned norm_flags,
                    int with_bag)
{
	int rc = sh_tokenize(text, len, norm_flags, &c->toks);
	if (rc || c->toks.n == 0 || c->toks.n > MAX_LABEL_TOKENS)
		return rc;
	const char *lang = c->b->langs[proto->lang];
	sh_stemmer *stemmer = stemmer_for(c, proto->lang);
	mt_bag bag = { .concept = proto->concept, .label = proto->label, .lang = proto->lang,
	               .flags = proto->flags };
	int bag_ok = with_bag;
	uint32_t state = 0;
	for (size_t i = 0; i < c->toks.n; i++) {
		if ((rc = mt_token_term(stemmer, &c->toks, i, &c->term)))
			return rc;
		uint32_t id;
		if ((rc = sh_tdb_add(&c->terms, c->term.data, c->term.len, &id)) || (rc = trie_step(c, state, id, &state)))
			return rc;
		const sh_token *tok = &c->toks.tok[i];
		if (!bag_ok || mt_is_stopword(lang, c->toks.norm + tok->norm, tok->norm_len))
			continue;
		for (unsigned k = 0; k < bag.nkeys; k++)
			if (bag.keys[k] == id)
				bag_ok = 0; /* a repeated word cannot be told apart in a bag */
		if (bag.nkeys == MT_MAX_BAG_KEYS)
			bag_ok = 0;
		else
			bag.keys[bag.nkeys++] = id; /* a term for now; learn_roots() maps it to its root */
	}
	uint32_t word = UINT32_MAX;
	mt_entry e = *proto;
	if (c->toks.n == 1) {
		/* a one-word label also keeps its word: stems conflate too much alone (see matcher_scan.c) */
		const sh_token *tok = &c->toks.tok[0];
		int acronym = tok->end - tok->start <= 5;
		for (uint32_t k = tok->start; k < tok->end && acronym; k++)
			acronym = !(text[k] >= 'a' && text[k] <= 'z');
		if (acronym && (tok->flags & SH_TOK_WORD))
			e.flags |= MT_ENTRY_ACRONYM;
		word = (uint32_t)c->words.len;
		if ((rc = mt_token_term(NULL, &c->toks, 0, &c->term)) ||
		    (rc = sh_buf_append(&c->words, c->term.data, c->term.len + 1)))
			return rc;
	}
	if ((rc = push_entry(c, state, word, &e)))
		return rc;
	if (bag_ok && bag.nkeys >= 2)
		rc = push_bag(c, &bag);
	return rc;
}

/* label without "(...)" parts and with blanks collapsed into c->form; 0 if it has none. */
static int strip_qualifiers(compiler *c, const char *label)
{
	if (!strchr(label, '('))
		return 0;
	sh_buf_clear(&c->form);
	int depth = 0;
	for (const char *p = label; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && sh_buf_putc(&c->form, *p))
			return -1;
	}
	return c->form.len > 0;
}

static int cmp_pending(const void *a, const void *b)
{
	const pending_entry *x = a, *y = b;
	if (x->state != y->state)
		return x->state < y->state ? -1 : 1;
	if (x->e.concept != y->e.concept)
		return x->e.concept < y->e.concept ? -1 : 1;
	if (x->e.lang != y->e.lang)
		return x->e.lang < y->e.lang ? -1 : 1;
	if (x->e.flags != y->e.flags)
		return x->e.flags < y->e.flags ? -1 : 1; /* preferred < alternative < hidden */
	return (x->e.label > y->e.label) - (x->e.label < y->e.label);
}

static int add_labels(compiler *c)
{
	const sh_index_builder *b = c->b;
	const sh_idx_concept *concepts = NULL;
	for (uint32_t i = 0; i < b->out->nsections; i++)
		if (b->out->dir[i].id == SH_SEC_CONCEPTS)
			concepts = (const sh_idx_concept *)(b->out->data.data + b->out->dir[i].offset);
	if (!concepts)
		return sh_error(SH_ERROR, "index build: the matcher must follow the concepts");
	static const uint8_t kind_flag[] = {
		[SH_TEXT_PREFERRED] = SH_MATCH_PREFERRED, [SH_TEXT_ALTERNATIVE] = SH_MATCH_ALT,
		[SH_TEXT_HIDDEN] = SH_MATCH_HIDDEN,
	};
	for (uint32_t i = 0; i < b->ntexts; i++) {
		const sh_idx_text *t = &b->texts[i];
		const sh_idx_concept *con = &concepts[t->concept];
		if (t->kind > SH_TEXT_HIDDEN ||
		    (con->kind != SH_KIND_SKILL && con->kind != SH_KIND_OCCUPATION) ||
		    strcmp(b->strings.data + con->status, "obsolete") == 0)
			continue;
		const char *label = b->strings.data + t->text;
		mt_entry e = { t->concept, i, t->lang, kind_flag[t->kind], 0 };
		int stripped = strip_qualifiers(c, label);
		if (stripped < 0)
			return SH_ENOMEM;
		int accents = 0;
		for (const char *p = label; *p && !accents; p++)
			accents = (unsigned char)*p >= 0x80;
		for (unsigned pass = 0; pass <= (unsigned)accents; pass++) {
			unsigned norm = pass ? SH_NORM_FOLD_ACCENTS : 0;
			int rc = add_form(c, label, strlen(label), &e, norm, !stripped && !pass);
			if (!rc && stripped)
				rc = add_form(c, c->form.data, c->form.len, &e, norm, !pass);
			if (rc)
				return rc;
		}
	}
	return SH_OK;
}

/* Sorted unique entries -> MFIN + MENT + MWRD + MWPL; *fin_out (caller frees) = MFIN. */
static int write_entries(compiler *c, uint32_t **fin_out)
{
	if (c->nentries > 1)
		qsort(c->entries, c->nentries, sizeof *c->entries, cmp_pending);
	uint32_t *fin = calloc((size_t)c->nstates + 1, sizeof *fin);
	mt_entry *ent = malloc((c->nentries ? c->nentries : 1) * sizeof *ent);
	uint32_t *words = malloc((c->nentries ? c->nentries : 1) * sizeof *words);
	int rc = SH_OK;
	if (!fin || !ent || !words) {
		free(fin);
		fin = NULL;
		rc = sh_error(SH_ENOMEM, "out of memory (matcher entries)");
		goto out;
	}
	size_t n = 0;
	for (size_t i = 0; i < c->nentries; i++) {
		const pending_entry *p = &c->entries[i];
		if (i > 0 && p->state == p[-1].state && p->e.concept == p[-1].e.concept && p->e.lang == p[-1].e.lang)
			continue; /* the same concept again through another label: keep the best kind */
		words[n] = p->word;
		ent[n++] = p->e;
		fin[p->state + 1]++;
	}
	for (uint32_t s = 0; s < c->nstates; s++)
		fin[s + 1] += fin[s];
	rc = sh_idxw_add(c->b->out, MT_SEC_FINAL, fin, ((size_t)c->nstates + 1) * sizeof *fin);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_ENTRIES, ent, n * sizeof *ent);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_WORDS, words, n * sizeof *words);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_WORDPOOL, c->words.data, c->words.len);
	c->nentries = n;
out:
	*fin_out = fin;
	free(ent);
	free(words);
	return rc;
}

/* Root transitions -> MROT (direct array with filters), the others -> MEDG (hash table). */
static int write_trie(compiler *c, const uint32_t *fin, uint32_t *nbuckets_out)
{
	mt_start *start = calloc(c->terms.nterms ? c->terms.nterms : 1, sizeof *start);
	uint32_t *first_term = calloc(c->nstates, sizeof *first_term); /* depth-1 state -> its term + 1 */
	uint32_t nbuckets = 16;
	while (nbuckets < c->edges.count * 2)
		nbuckets *= 2;
	mt_edge *slots = calloc(nbuckets, sizeof *slots);
	int rc = SH_OK;
	if (!start || !first_term || !slots) {
		rc = sh_error(SH_ENOMEM, "out of memory (matcher trie)");
		goto out;
	}
	edge_table t = { slots, nbuckets, 0 };
	for (uint32_t i = 0; i < c->edges.cap; i++) {
		const mt_edge *e = &c->edges.slot[i];
		if (!e->child)
			continue;
		if (e->state == 0) {
			start[e->term].child = e->child;
			if (fin[e->child] < fin[e->child + 1])
				start[e->term].final = 1;
			first_term[e->child] = e->term + 1;
		} else {
			*edge_find(&t, e->state, e->term) = e->child;
		}
	}
	for (uint32_t i = 0; i < c->edges.cap; i++) {
		const mt_edge *e = &c->edges.slot[i];
		if (e->child && e->state && first_term[e->state])
			start[first_term[e->state] - 1].next |= mt_next_bit(e->term);
	}
	rc = sh_idxw_add(c->b->out, MT_SEC_START, start, c->terms.nterms * sizeof *start);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_EDGES, slots, nbuckets * sizeof *slots);
	*nbuckets_out = nbuckets;
out:
	free(start);
	free(first_term);
	free(slots);
	return rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_bag(const void *a, const void *b)
{
	const mt_bag *x = a, *y = b;
	if (x->keys[0] != y->keys[0])
		return x->keys[0] < y->keys[0] ? -1 : 1;
	if (x->keys[1] != y->keys[1])
		return x->keys[1] < y->keys[1] ? -1 : 1;
	if (x->concept != y->concept)
		return x->concept < y->concept ? -1 : 1;
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	if (x->nkeys != y->nkeys)
		return x->nkeys < y->nkeys ? -1 : 1;
	int k = memcmp(x->keys, y->keys, sizeof x->keys);
	if (k)
		return k;
	return (x->flags > y->flags) - (x->flags < y->flags);
}

static uint32_t find_root(uint32_t *parent, uint32_t t)
{
	while (parent[t] != t) {
		parent[t] = parent[parent[t]];
		t = parent[t];
	}
	return t;
}

/* 1 if terms a and b start with the same MT_ROOT_PREFIX bytes. */
static int same_prefix(const sh_termdict_builder *d, uint32_t a, uint32_t b)
{
	const sh_termdict_entry *x = &d->terms[a], *y = &d->terms[b];
	return x->length >= MT_ROOT_PREFIX && y->length >= MT_ROOT_PREFIX &&
	       memcmp(d->pool.data + x->offset, d->pool.data + y->offset, MT_ROOT_PREFIX) == 0;
}

/*
 * If bags x and y (labels of one concept) differ in exactly one word each,
 * and those words share a prefix, they are derivations of one another
 * ("maintain vehicles" / "vehicle maintenance"): join their roots.
 */
static void join_variants(compiler *c, const mt_bag *x, const mt_bag *y)
{
	if (x->nkeys != y->nkeys)
		return;
	uint32_t a = 0, b = 0;
	unsigned na = 0, nb = 0;
	for (unsigned i = 0; i < x->nkeys; i++) {
		int in_y = 0, in_x = 0;
		for (unsigned j = 0; j < y->nkeys; j++) {
			in_y |= x->keys[i] == y->keys[j];
			in_x |= y->keys[i] == x->keys[j];
		}
		if (!in_y) {
			a = x->keys[i];
			na++;
		}
		if (!in_x) {
			b = y->keys[i];
			nb++;
		}
	}
	if (na == 1 && nb == 1 && same_prefix(&c->terms, a, b))
		c->root[find_root(c->root, a)] = find_root(c->root, b);
}

/*
 * Roots of the bag channel, learnt from ESCO's own labels: the two words
 * that tell apart two labels of the same concept are joined (join_variants).
 * Then every bag's keys become roots; a bag whose words collapse to fewer
 * than two distinct roots is dropped.  -> c->root (MTRT).
 */
static int learn_roots(compiler *c)
{
	c->root = malloc((c->terms.nterms ? c->terms.nterms : 1) * sizeof *c->root);
	if (!c->root)
		return sh_error(SH_ENOMEM, "out of memory (matcher roots)");
	for (uint32_t t = 0; t < c->terms.nterms; t++)
		c->root[t] = t;
	/* bags were pushed in text record order: grouped by concept and language */
	for (size_t i = 0, j; i < c->nbags; i = j) {
		for (j = i + 1; j < c->nbags && c->bags[j].concept == c->bags[i].concept &&
		                c->bags[j].lang == c->bags[i].lang; j++)
			;
		for (size_t x = i; x < j; x++)
			for (size_t y = x + 1; y < j; y++)
				join_variants(c, &c->bags[x], &c->bags[y]);
	}
	for (uint32_t t = 0; t < c->terms.nterms; t++)
		c->root[t] = find_root(c->root, t);
	size_t n = 0;
	for (size_t i = 0; i < c->nbags; i++) {
		mt_bag g = c->bags[i];
		unsigned nk = 0;
		for (unsigned k = 0; k < g.nkeys; k++) {
			uint32_t r = c->root[g.keys[k]];
			unsigned d = 0;
			while (d < nk && g.keys[d] != r)
				d++;
			if (d == nk)
				g.keys[nk++] = r;
		}
		g.nkeys = (uint8_t)nk;
		if (nk >= 2)
			c->bags[n++] = g;
	}
	c->nbags = n;
	return SH_OK;
}

/*
 * Bags: keys sorted, duplicates (same concept, language, roots) dropped, then
 * the keys ordered from the rarest root to the most frequent and the bags
 * sorted by (keys[0], keys[1]) -> MBAG, MBPR (their runs), MBMK, MBBL, MBWN.
 */
static int write_bags(compiler *c, uint32_t *npair_buckets, uint32_t *npair_bloom_bits)
{
	uint32_t nroots = c->terms.nterms;
	uint32_t *freq = calloc((size_t)nroots + 1, sizeof *freq);
	if (!freq)
		return sh_error(SH_ENOMEM, "out of memory (matcher bags)");
	for (size_t i = 0; i < c->nbags; i++) {
		mt_bag *g = &c->bags[i];
		qsort(g->keys, g->nkeys, sizeof g->keys[0], cmp_u32);
		for (unsigned k = g->nkeys; k < MT_MAX_BAG_KEYS; k++)
			g->keys[k] = 0;
	}
	if (c->nbags > 1)
		qsort(c->bags, c->nbags, sizeof *c->bags, cmp_bag);
	size_t n = 0;
	for (size_t i = 0; i < c->nbags; i++) {
		const mt_bag *g = &c->bags[i];
		if (n > 0 && g->concept == c->bags[n - 1].concept && g->lang == c->bags[n - 1].lang &&
		    g->nkeys == c->bags[n - 1].nkeys && memcmp(g->keys, c->bags[n - 1].keys, sizeof g->keys) == 0)
			continue;
		c->bags[n++] = *g;
		for (unsigned k = 0; k < g->nkeys; k++)
			freq[g->keys[k]]++;
	}
	c->nbags = n;
	for (size_t i = 0; i < n; i++) {
		mt_bag *g = &c->bags[i];
		/* insertion sort of the keys by frequency: the rarest is the anchor, the next the second key */
		for (unsigned k = 1; k < g->nkeys; k++)
			for (unsigned j = k; j > 0 && freq[g->keys[j]] < freq[g->keys[j - 1]]; j--) {
				uint32_t t = g->keys[j];
				g->keys[j] = g->keys[j - 1];
				g->keys[j - 1] = t;
			}
	}
	if (n > 1)
		qsort(c->bags, n, sizeof *c->bags, cmp_bag);
	free(freq);
	size_t npairs = 0;
	for (size_t i = 0; i < n; i++)
		npairs += i == 0 || c->bags[i].keys[0] != c->bags[i - 1].keys[0] ||
		          c->bags[i].keys[1] != c->bags[i - 1].keys[1];
	uint32_t nbuckets = 16;
	while (nbuckets < npairs * 2)
		nbuckets *= 2;
	uint32_t nbits = 64;
	while (nbits < npairs * 16)
		nbits *= 2;
	mt_pair *pairs = calloc(nbuckets, sizeof *pairs);
	uint64_t *mask = calloc((size_t)nroots + 1, sizeof *mask);
	uint64_t *bits = calloc(nbits / 64, sizeof *bits);
	uint8_t *width = calloc((size_t)nroots + 1, 1);
	int rc = SH_OK;
	if (!pairs || !mask || !bits || !width) {
		rc = sh_error(SH_ENOMEM, "out of memory (matcher bags)");
		goto out;
	}
	for (size_t i = 0, j; i < n; i = j) {
		const mt_bag *g = &c->bags[i];
		for (j = i + 1; j < n && c->bags[j].keys[0] == g->keys[0] && c->bags[j].keys[1] == g->keys[1]; j++)
			;
		uint32_t hash = mt_edge_hash(g->keys[0], g->keys[1]);
		uint32_t bit = (hash >> 8) & (nbits - 1);
		bits[bit / 64] |= (uint64_t)1 << (bit % 64);
		uint32_t k = hash & (nbuckets - 1);
		while (pairs[k].count)
			k = (k + 1) & (nbuckets - 1);
		pairs[k] = (mt_pair){ g->keys[0], g->keys[1], (uint32_t)i, (uint32_t)(j - i) };
		mask[g->keys[0]] |= mt_root_bit(g->keys[1]);
		for (size_t b = i; b < j; b++)
			if (c->bags[b].nkeys > width[g->keys[0]])
				width[g->keys[0]] = c->bags[b].nkeys;
	}
	rc = sh_idxw_add(c->b->out, MT_SEC_BAGS, c->bags, n * sizeof *c->bags);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_PAIRS, pairs, nbuckets * sizeof *pairs);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_BAGMASK, mask, nroots * sizeof *mask);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_PAIRBITS, bits, nbits / 64 * sizeof *bits);
	if (!rc)
		rc = sh_idxw_add(c->b->out, MT_SEC_BAGWIDTH, width, nroots);
	*npair_buckets = nbuckets;
	*npair_bloom_bits = nbits;
out:
	free(pairs);
	free(mask);
	free(bits);
	free(width);
	return rc;
}

static int write_dict(const sh_termdict_builder *d, uint32_t id, sh_idx_writer *w)
{
	sh_buf buf = SH_BUF_INIT;
	int rc = sh_tdb_serialize(d, &buf);
	if (!rc)
		rc = sh_idxw_add(w, id, buf.data, buf.len);
	sh_buf_free(&buf);
	return rc;
}

int sh_matcher_compile(sh_index_builder *b)
{
	compiler c;
	memset(&c, 0, sizeof c);
	c.b = b;
	c.nstates = 1; /* state 0 is the root */
	sh_tdb_init(&c.terms);
	c.stemmers = calloc(b->nlangs + 1, sizeof *c.stemmers);
	c.stem_tried = calloc(b->nlangs + 1, 1);
	int rc = c.stemmers && c.stem_tried ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
	if (!rc)
		rc = edge_grow(&c.edges);
	if (!rc)
		rc = add_labels(&c);
	uint32_t nbuckets = 0, npair_buckets = 0, npair_bloom_bits = 0, *fin = NULL;
	if (!rc)
		rc = write_entries(&c, &fin);
	if (!rc)
		rc = write_trie(&c, fin, &nbuckets);
	free(fin);
	if (!rc)
		rc = learn_roots(&c);
	if (!rc)
		rc = write_bags(&c, &npair_buckets, &npair_bloom_bits);
	if (!rc)
		rc = write_dict(&c.terms, MT_SEC_TERMS, b->out);
	if (!rc)
		rc = sh_idxw_add(b->out, MT_SEC_ROOTS, c.root, c.terms.nterms * sizeof *c.root);
	if (!rc) {
		mt_header h = { MT_MAGIC, c.terms.nterms, c.nstates, nbuckets,
		                (uint32_t)c.nentries, (uint32_t)c.nbags, npair_buckets, npair_bloom_bits,
		                (uint32_t)c.words.len };
		rc = sh_idxw_add(b->out, MT_SEC_HEADER, &h, sizeof h);
	}
	for (size_t i = 0; c.stemmers && i < b->nlangs; i++)
		sh_stemmer_free(c.stemmers[i]);
	free(c.stemmers);
	free(c.stem_tried);
	free(c.edges.slot);
	free(c.entries);
	free(c.bags);
	sh_tdb_free(&c.terms);
	free(c.root);
	sh_tokens_free(&c.toks);
	sh_buf_free(&c.form);
	sh_buf_free(&c.term);
	sh_buf_free(&c.words);
	return rc;
}
