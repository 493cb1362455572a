/*
 * match/matcher_scan.c - matching a text against the compiled labels.
 *
 * 1. Tokenise the text once (sh_tokenize, no accent folding, as at compile
 *    time) and map every token to (term id, root id) through a per-scratch
 *    cache keyed by the token's normal form (word_cache.h), so the Snowball
 *    stemmer and the dictionary lookups run once per distinct word, not per
 *    occurrence.  The cache belongs to one matcher and one language; it also
 *    keeps the value of the caller's word_fn (sh_match_word_values), so a
 *    caller with its own per-word analysis (the skill ranker) needs no
 *    second pass over the tokens.
 * 2. Exact channel: from every token, walk the trie while the following
 *    tokens' terms have edges (never across a sentence end); every final
 *    state passed is a candidate.  The first step and the filter of the
 *    terms that may follow it come from one record (mt_start), so most
 *    tokens cost no hash probe.  Tokens are whole words, so "java" never
 *    matches inside "javascript", and "c" is not a token of "c++".
 * 3. Bag channel: a token whose root anchors bags looks up, for every other
 *    root near it, the bags with these two rarest roots (a filter, then a
 *    hash table); a bag matches when each of its other roots occurs within
 *    nkeys + 2 tokens, in the same sentence.  Candidates get
 *    SH_MATCH_VARIANT.
 * 4. Resolve (docs/matcher.md): a variant of a concept also matched exactly
 *    is never added; a candidate strictly inside the span of another
 *    candidate of the same kind (skill or occupation) is dropped (longest
 *    match wins; an exact match also beats a variant with the same span; a
 *    variant only drops variants); several concepts left on the same span
 *    are one ambiguous match, resolved by context.  With all_readings the
 *    losers are reported too, and one-word labels failing the word check
 *    (SH_MATCH_LOOSE).
 * All mutable state lives in the sh_match_scratch; the matcher is read-only.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash.h"
#include "match/matcher.h"
#include "match/matcher_format.h"
#include "match/matcher_words.h"
#include "match/word_cache.h"

#define BAG_WINDOW_EXTRA  2           /* a bag's roots lie within nkeys + this of its anchor */
#define PREFETCH_DISTANCE 8           /* tokens between a cache slot's prefetch and its use */
#define LABEL_KINDS       (SH_MATCH_PREFERRED | SH_MATCH_ALT | SH_MATCH_HIDDEN) /* in this order of merit */

typedef struct token_info {
	uint32_t hash;       /* sh_word_hash() of the normal form */
	uint32_t term, root; /* ids, or SH_TERM_NONE */
	uint32_t sentence;   /* number of the sentence */
} token_info;

typedef struct candidate {
	uint32_t ts, te;    /* token span */
	sh_cid   concept;
	uint32_t label;
	uint8_t  flags;
	uint8_t  kind;
} candidate;

struct sh_match_scratch {
	sh_tokens   toks;
	uint64_t    serial;        /* matcher the cache belongs to */
	char        lang[16];      /* language of the stemmer and cache */
	sh_stemmer *stemmer;
	sh_word_cache cache;       /* normal form -> (term, root, word_fn's value) */
	int         all_readings;  /* sh_match_opts.all_readings of the current call */
	sh_match_word_fn word_fn;  /* the caller's per-word function the cache holds values of */
	void       *word_ctx;
	uint32_t   *values;        /* per token: word_fn's value */
	size_t      values_cap;
	sh_buf      term;          /* the term of the word being looked up */
	token_info *info;          /* per token */
	size_t      info_cap;
	candidate  *cand, *merged;  /* merged: the buffer of sort_candidates() */
	size_t      ncand, cand_cap, merged_cap;
	sh_cid     *exact;         /* concepts matched exactly, sorted: their variants are dropped */
	size_t      nexact, exact_cap;
	sh_match   *out;
	size_t      nout, out_cap;
	uint16_t   *occ_score;     /* per concept of the index: context weight of occupations */
	size_t      occ_cap;
	sh_cid     *touched;       /* the nonzero entries of occ_score */
	size_t      ntouched, touched_cap;
};

int sh_match_scratch_new(sh_match_scratch **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
}

void sh_match_scratch_free(sh_match_scratch *s)
{
	if (!s)
		return;
	sh_tokens_free(&s->toks);
	sh_stemmer_free(s->stemmer);
	sh_word_cache_free(&s->cache);
	free(s->values);
	sh_buf_free(&s->term);
	free(s->info);
	free(s->cand);
	free(s->merged);
	free(s->exact);
	free(s->out);
	free(s->occ_score);
	free(s->touched);
	free(s);
}

const sh_tokens *sh_match_tokens(const sh_match_scratch *s)
{
	return &s->toks;
}

const uint32_t *sh_match_word_values(const sh_match_scratch *s)
{
	return s->word_fn ? s->values : NULL;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return SH_OK;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return sh_error(SH_ENOMEM, "out of memory (matcher scratch)");
	*p = q;
	*cap = n;
	return SH_OK;
}

static uint32_t token_hash(const sh_match_scratch *s, size_t i)
{
	const sh_token *tok = &s->toks.tok[i];
	return sh_word_hash(s->toks.norm + tok->norm, tok->norm_len);
}

/* Ties the scratch's stemmer and cache to matcher m, language lang and the caller's word function. */
static int prepare(sh_match_scratch *s, const sh_matcher *m, const char *lang, sh_match_word_fn word_fn,
                   void *word_ctx)
{
	if (s->serial == m->serial && s->cache.cap && strcmp(s->lang, lang) == 0 && s->word_fn == word_fn &&
	    s->word_ctx == word_ctx)
		return SH_OK;
	if (strlen(lang) >= sizeof s->lang)
		return sh_error(SH_EINVAL, "language code too long: '%s'", lang);
	s->serial = 0; /* unprepared until this succeeds */
	sh_stemmer_free(s->stemmer);
	s->stemmer = NULL;
	int rc;
	if (sh_stemmer_supported(lang) && (rc = sh_stemmer_new(&s->stemmer, lang)))
		return rc;
	if ((rc = sh_word_cache_reset(&s->cache)))
		return rc;
	strcpy(s->lang, lang);
	s->word_fn = word_fn;
	s->word_ctx = word_ctx;
	s->serial = m->serial;
	return SH_OK;
}

/*
 * Term and root ids of token i (hash: sh_word_hash() of its normal form)
 * and the caller's value (when it gave a word_fn), cached by the normal form
 * (word_cache.h), so a repeated word costs one hash and one cache line.
 */
static int lookup_token(sh_match_scratch *s, const sh_matcher *m, size_t i, uint32_t hash, uint32_t *term,
                        uint32_t *root, uint32_t *value)
{
	const sh_token *tok = &s->toks.tok[i];
	const char *norm = s->toks.norm + tok->norm;
	size_t len = tok->norm_len;
	const sh_word_slot *c = sh_word_cache_find(&s->cache, hash, norm, len);
	if (c) {
		*term = c->a;
		*root = c->b;
		*value = c->c;
		return SH_OK;
	}
	int rc = mt_token_term(s->stemmer, &s->toks, i, &s->term);
	if (rc)
		return rc;
	*term = sh_termdict_find(&m->terms, s->term.data, s->term.len);
	*root = *term == SH_TERM_NONE || mt_is_stopword(s->lang, norm, len) ? SH_TERM_NONE : m->root[*term];
	*value = 0;
	if (s->word_fn && (rc = s->word_fn(s->word_ctx, &s->toks, i, value)) < 0)
		return rc;
	return sh_word_cache_put(&s->cache, hash, norm, len, *term, *root, *value);
}

static uint32_t trie_child(const sh_matcher *m, uint32_t state, uint32_t term)
{
	uint32_t mask = m->h.nedge_buckets - 1;
	for (uint32_t i = mt_edge_hash(state, term) & mask;; i = (i + 1) & mask) {
		const mt_edge *e = &m->edges[i];
		if (!e->child)
			return 0;
		if (e->state == state && e->term == term)
			return e->child;
	}
}

static int add_candidate(sh_match_scratch *s, const sh_matcher *m, unsigned kinds, uint32_t ts, uint32_t te,
                         sh_cid concept, uint32_t label, unsigned flags)
{
	unsigned kind = m->idx->concepts[concept].kind;
	if (!(kinds & SH_KIND_BIT(kind)))
		return SH_OK;
	int rc = grow((void **)&s->cand, &s->cand_cap, s->ncand + 1, sizeof *s->cand);
	if (rc)
		return rc;
	s->cand[s->ncand++] = (candidate){ ts, te, concept, label, (uint8_t)flags, (uint8_t)kind };
	return SH_OK;
}

/*
 * 1 if token i may stand for the one-word label of entry k.  Alone, a stem
 * says too little ("experience" and "experiment" share "experi"; "programme"
 * and "programmer", "bank" and "banking" too), so the word must begin with
 * the label's word, less a final "e" ("nurse": "nurses", "nursing"); and a
 * label written in capitals ("IT") only matches capitals.
 */
static int one_word_ok(sh_match_scratch *s, const sh_matcher *m, const char *text, size_t i, uint32_t k)
{
	const sh_token *tok = &s->toks.tok[i];
	if (m->entries[k].flags & MT_ENTRY_ACRONYM)
		for (uint32_t b = tok->start; b < tok->end; b++)
			if (text[b] >= 'a' && text[b] <= 'z')
				return 0;
	const char *word = m->word_pool + m->words[k];
	size_t n = strlen(word);
	if (n > 3 && word[n - 1] == 'e')
		n--;
	if (mt_token_term(NULL, &s->toks, i, &s->term) != SH_OK)
		return 0;
	return s->term.len >= n && memcmp(s->term.data, word, n) == 0;
}

/* Candidates for the labels ending in state, spanning tokens [ts, te). */
static int add_final(sh_match_scratch *s, const sh_matcher *m, const char *text, int lang, unsigned kinds,
                     uint32_t state, size_t ts, size_t te)
{
	for (uint32_t k = m->fin[state]; k < m->fin[state + 1]; k++) {
		const mt_entry *e = &m->entries[k];
		if (lang >= 0 && e->lang != lang)
			continue;
		unsigned loose = m->words[k] != UINT32_MAX && !one_word_ok(s, m, text, ts, k) ? SH_MATCH_LOOSE : 0;
		if (loose && !s->all_readings)
			continue;
		int rc = add_candidate(s, m, kinds, (uint32_t)ts, (uint32_t)te, e->concept, e->label,
		                       (e->flags & LABEL_KINDS) | loose);
		if (rc)
			return rc;
	}
	return SH_OK;
}

static int exact_channel(sh_match_scratch *s, const sh_matcher *m, const char *text, int lang, unsigned kinds)
{
	const sh_token *tok = s->toks.tok;
	size_t n = s->toks.n;
	int rc = SH_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		if (s->info[i].term == SH_TERM_NONE)
			continue;
		const mt_start *first = &m->start[s->info[i].term];
		if (!first->child)
			continue;
		if (first->final && (rc = add_final(s, m, text, lang, kinds, first->child, i, i + 1)))
			break;
		size_t j = i + 1;
		if ((tok[i].flags & SH_TOK_SENT_END) || j == n || s->info[j].term == SH_TERM_NONE ||
		    !(first->next & mt_next_bit(s->info[j].term)))
			continue;
		for (uint32_t state = trie_child(m, first->child, s->info[j].term); state && !rc;
		     state = trie_child(m, state, s->info[j].term)) {
			if ((rc = add_final(s, m, text, lang, kinds, state, i, j + 1)))
				break;
			if ((tok[j].flags & SH_TOK_SENT_END) || ++j == n || s->info[j].term == SH_TERM_NONE)
				break;
		}
	}
	return rc;
}

/* Position of root key nearest to token i within [lo, hi), or -1. */
static long find_root(const sh_match_scratch *s, uint32_t key, size_t i, size_t lo, size_t hi)
{
	for (size_t d = 1; i >= lo + d || i + d < hi; d++) {
		if (i >= lo + d && s->info[i - d].root == key)
			return (long)(i - d);
		if (i + d < hi && s->info[i + d].root == key)
			return (long)(i + d);
	}
	return -1;
}

static int cmp_cid(const void *a, const void *b)
{
	sh_cid x = *(const sh_cid *)a, y = *(const sh_cid *)b;
	return (x > y) - (x < y);
}

/* The concepts of the exact candidates, sorted (s->exact). */
static int collect_exact(sh_match_scratch *s)
{
	int rc = grow((void **)&s->exact, &s->exact_cap, s->ncand, sizeof *s->exact);
	if (rc)
		return rc;
	for (size_t i = 0; i < s->ncand; i++)
		s->exact[i] = s->cand[i].concept;
	if (s->ncand > 1)
		qsort(s->exact, s->ncand, sizeof *s->exact, cmp_cid);
	s->nexact = s->ncand;
	return SH_OK;
}

/* The bag candidate g if all its roots occur near anchor token i of sentence [sa, sb). */
static int try_bag(sh_match_scratch *s, const sh_matcher *m, unsigned kinds, const mt_bag *g, size_t i,
                   size_t sa, size_t sb)
{
	size_t w = g->nkeys + BAG_WINDOW_EXTRA;
	size_t lo = i > sa + w ? i - w : sa, hi = i + w + 1 < sb ? i + w + 1 : sb;
	size_t ts = i, te = i + 1;
	for (unsigned k = 1; k < g->nkeys; k++) {
		long p = find_root(s, g->keys[k], i, lo, hi);
		if (p < 0)
			return SH_OK;
		if ((size_t)p < ts)
			ts = (size_t)p;
		if ((size_t)p + 1 > te)
			te = (size_t)p + 1;
	}
	return add_candidate(s, m, kinds, (uint32_t)ts, (uint32_t)te, g->concept, g->label,
	                     g->flags | SH_MATCH_VARIANT);
}

/* The run of bags whose two rarest roots are k0, k1 (count 0 when none). */
static mt_pair bag_pair(const sh_matcher *m, uint32_t k0, uint32_t k1)
{
	uint32_t hash = mt_edge_hash(k0, k1), mask = m->h.npair_buckets - 1;
	if (!mt_pair_bloom_has(m->pair_bits, m->h.npair_bloom_bits, hash))
		return (mt_pair){ 0, 0, 0, 0 };
	for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
		const mt_pair *p = &m->pairs[i];
		if (!p->count || (p->k0 == k0 && p->k1 == k1))
			return *p;
	}
}

/*
 * Bags anchored at token i of the sentence [sa, sb): for each root near i
 * that passes the anchor's mask, the bags with (anchor, that root) as their
 * two rarest roots are tried.  A root seen twice near i yields the same
 * candidates twice; drop_contained() keeps one.
 */
static int bags_at(sh_match_scratch *s, const sh_matcher *m, int lang, unsigned kinds, size_t i, size_t sa,
                   size_t sb)
{
	uint32_t anchor = s->info[i].root;
	uint64_t second_keys = m->bag_mask[anchor];
	const size_t wmax = m->bag_width[anchor] + BAG_WINDOW_EXTRA;
	size_t lo = i > sa + wmax ? i - wmax : sa, hi = i + wmax + 1 < sb ? i + wmax + 1 : sb;
	for (size_t j = lo; j < hi; j++) {
		uint32_t key = s->info[j].root;
		if (j == i || key == SH_TERM_NONE || !(second_keys & mt_root_bit(key)))
			continue;
		mt_pair p = bag_pair(m, anchor, key);
		for (uint32_t b = p.first; b < p.first + p.count; b++) {
			if (lang >= 0 && m->bags[b].lang != lang)
				continue;
			int rc = try_bag(s, m, kinds, &m->bags[b], i, sa, sb);
			if (rc)
				return rc;
		}
	}
	return SH_OK;
}

static int bag_channel(sh_match_scratch *s, const sh_matcher *m, int lang, unsigned kinds)
{
	size_t n = s->toks.n;
	for (size_t sa = 0, sb; sa < n; sa = sb) {
		for (sb = sa + 1; sb < n && s->info[sb].sentence == s->info[sa].sentence; sb++)
			;
		for (size_t i = sa; i < sb; i++) {
			uint32_t r = s->info[i].root;
			if (r == SH_TERM_NONE || !m->bag_width[r])
				continue;
			int rc = bags_at(s, m, lang, kinds, i, sa, sb);
			if (rc)
				return rc;
		}
	}
	return SH_OK;
}

static int cmp_by_span(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->te != y->te)
		return x->te > y->te ? -1 : 1; /* longer first */
	if ((x->flags & SH_MATCH_VARIANT) != (y->flags & SH_MATCH_VARIANT))
		return (x->flags & SH_MATCH_VARIANT) ? 1 : -1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->concept != y->concept)
		return x->concept < y->concept ? -1 : 1;
	return (x->flags > y->flags) - (x->flags < y->flags); /* best label kind first */
}

/*
 * Sorts the candidates by span (cmp_by_span).  The exact channel produced
 * its candidates by start, then end ascending: an insertion sort puts each
 * start's few candidates in order.  The bag candidates are sorted apart and
 * merged in.
 */
static int sort_candidates(sh_match_scratch *s)
{
	candidate *c = s->cand;
	size_t ne = s->nexact, n = s->ncand;
	for (size_t i = 1; i < ne; i++) {
		candidate x = c[i];
		size_t j = i;
		for (; j > 0 && cmp_by_span(&x, &c[j - 1]) < 0; j--)
			c[j] = c[j - 1];
		c[j] = x;
	}
	if (ne == n)
		return SH_OK;
	qsort(c + ne, n - ne, sizeof *c, cmp_by_span);
	int rc = grow((void **)&s->merged, &s->merged_cap, n, sizeof *s->merged);
	if (rc)
		return rc;
	size_t a = 0, b = ne, k = 0;
	while (a < ne && b < n)
		s->merged[k++] = cmp_by_span(&c[b], &c[a]) < 0 ? c[b++] : c[a++];
	while (a < ne)
		s->merged[k++] = c[a++];
	while (b < n)
		s->merged[k++] = c[b++];
	candidate *t = s->cand;
	s->cand = s->merged;
	s->merged = t;
	size_t cap = s->cand_cap;
	s->cand_cap = s->merged_cap;
	s->merged_cap = cap;
	return SH_OK;
}

/*
 * Longest match wins, per kind (see the file comment); a concept twice on one
 * span is kept once.  A variant only ever drops other variants: an exact
 * match inside a longer variant stays ("good English" in a loose "interact
 * verbally in English" spanning half a sentence).  The candidates are sorted
 * by span.
 */
static void drop_contained(sh_match_scratch *s)
{
	struct cover {
		uint32_t ts, te;
		int      exact, seen;
	} cover[2][SH_KIND_SCHEME + 1]; /* [0]: of every kept candidate, [1]: of the exact ones */
	memset(cover, 0, sizeof cover);
	size_t n = 0;
	for (size_t i = 0; i < s->ncand; i++) {
		const candidate *c = &s->cand[i];
		int exact = !(c->flags & SH_MATCH_VARIANT);
		const struct cover *v = &cover[exact][c->kind];
		if (v->seen && (v->te > c->te || (v->te == c->te && (v->ts < c->ts || (v->exact && !exact)))))
			continue;
		if (n > 0 && s->cand[n - 1].concept == c->concept && s->cand[n - 1].ts == c->ts &&
		    s->cand[n - 1].te == c->te)
			continue;
		for (int k = 0; k <= exact; k++) {
			struct cover *w = &cover[k][c->kind];
			if (!w->seen || c->te > w->te)
				*w = (struct cover){ c->ts, c->te, exact, 1 };
		}
		s->cand[n++] = *c;
	}
	s->ncand = n;
}

static float base_confidence(unsigned flags)
{
	float c = (flags & SH_MATCH_PREFERRED) ? 1.0f : (flags & SH_MATCH_ALT) ? 0.9f : 0.7f;
	return (flags & (SH_MATCH_VARIANT | SH_MATCH_LOOSE)) ? c * 0.6f : c;
}

static int touch(sh_match_scratch *s, sh_cid c, unsigned weight)
{
	if (!s->occ_score[c]) {
		int rc = grow((void **)&s->touched, &s->touched_cap, s->ntouched + 1, sizeof *s->touched);
		if (rc)
			return rc;
		s->touched[s->ntouched++] = c;
	}
	unsigned v = s->occ_score[c] + weight;
	s->occ_score[c] = (uint16_t)(v > UINT16_MAX ? UINT16_MAX : v);
	return SH_OK;
}

static const sh_rel occupation_rels[] = { SH_REL_ESSENTIAL_FOR, SH_REL_OPTIONAL_FOR };

/*
 * Context of the text: every occupation gets weight 1 per unambiguous skill
 * of the text that it lists, 3 when the text names it unambiguously, 10 when
 * the caller gave it.
 */
static int score_context(sh_match_scratch *s, const sh_index *idx, sh_cid occupation)
{
	size_t old_cap = s->occ_cap;
	int rc = grow((void **)&s->occ_score, &s->occ_cap, idx->nconcepts, sizeof *s->occ_score);
	if (rc)
		return rc;
	/* resolve() zeroes the touched entries after use, so only new memory needs clearing */
	memset(s->occ_score + old_cap, 0, (s->occ_cap - old_cap) * sizeof *s->occ_score);
	if (occupation < idx->nconcepts && (rc = touch(s, occupation, 10)))
		return rc;
	for (size_t i = 0; i < s->ncand; i++) {
		const candidate *c = &s->cand[i];
		int alone = (i == 0 || c->ts != c[-1].ts || c->te != c[-1].te || c->kind != c[-1].kind) &&
		            (i + 1 == s->ncand || c->ts != c[1].ts || c->te != c[1].te || c->kind != c[1].kind);
		if (!alone)
			continue;
		if (c->kind == SH_KIND_OCCUPATION) {
			if ((rc = touch(s, c->concept, 3)))
				return rc;
			continue;
		}
		for (size_t r = 0; r < 2; r++) {
			const sh_cid *occ;
			size_t k = sh_concept_related(idx, c->concept, occupation_rels[r], &occ);
			for (size_t j = 0; j < k; j++)
				if ((rc = touch(s, occ[j], 1)))
					return rc;
		}
	}
	return SH_OK;
}

static unsigned candidate_score(const sh_match_scratch *s, const sh_index *idx, const candidate *c)
{
	if (c->kind == SH_KIND_OCCUPATION)
		return s->occ_score[c->concept];
	unsigned score = 0;
	for (size_t r = 0; r < 2; r++) {
		const sh_cid *occ;
		size_t k = sh_concept_related(idx, c->concept, occupation_rels[r], &occ);
		for (size_t j = 0; j < k; j++)
			score += s->occ_score[occ[j]];
	}
	return score;
}

static int emit(sh_match_scratch *s, const candidate *c, float confidence, unsigned extra_flags)
{
	int rc = grow((void **)&s->out, &s->out_cap, s->nout + 1, sizeof *s->out);
	if (rc)
		return rc;
	const sh_token *tok = s->toks.tok;
	s->out[s->nout++] = (sh_match){ c->concept, c->label, tok[c->ts].start, tok[c->te - 1].end,
	                                c->ts, c->te, confidence, c->flags | extra_flags };
	return SH_OK;
}

/*
 * One match per span and kind: the only candidate, or the best on context
 * (then, with all_readings, the others, outvoted).
 */
static int resolve(sh_match_scratch *s, const sh_index *idx, sh_cid occupation, int all_readings)
{
	int context_ready = 0, rc = SH_OK;
	s->nout = 0;
	for (size_t i = 0; i < s->ncand && !rc;) {
		size_t j = i + 1;
		while (j < s->ncand && s->cand[j].ts == s->cand[i].ts && s->cand[j].te == s->cand[i].te &&
		       s->cand[j].kind == s->cand[i].kind)
			j++;
		if (j == i + 1) {
			rc = emit(s, &s->cand[i], base_confidence(s->cand[i].flags), 0);
			i = j;
			continue;
		}
		if (!context_ready && !(rc = score_context(s, idx, occupation)))
			context_ready = 1;
		size_t best = i;
		unsigned best_score = 0;
		float total = 0;
		for (size_t k = i; k < j && !rc; k++) {
			unsigned score = candidate_score(s, idx, &s->cand[k]);
			total += (float)score + 1;
			if (k == i || score > best_score ||
			    (score == best_score && (s->cand[k].flags & LABEL_KINDS) < (s->cand[best].flags & LABEL_KINDS))) {
				best = k;
				best_score = score;
			}
		}
		if (!rc)
			rc = emit(s, &s->cand[best],
			          base_confidence(s->cand[best].flags) * ((float)best_score + 1) / total,
			          SH_MATCH_AMBIGUOUS);
		for (size_t k = i; k < j && all_readings && !rc; k++)
			if (k != best)
				rc = emit(s, &s->cand[k],
				          base_confidence(s->cand[k].flags) * ((float)candidate_score(s, idx, &s->cand[k]) + 1) / total,
				          SH_MATCH_AMBIGUOUS | SH_MATCH_OUTVOTED);
		i = j;
	}
	for (size_t i = 0; i < s->ntouched; i++)
		s->occ_score[s->touched[i]] = 0;
	s->ntouched = 0;
	return rc;
}

int sh_match_text(const sh_matcher *m, sh_match_scratch *s, const char *text, size_t len,
                  const sh_match_opts *opts, const sh_match **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (len >= UINT32_MAX)
		return sh_error(SH_EINVAL, "text too long for the matcher: %zu bytes", len);
	const char *lang = opts && opts->lang ? opts->lang : "en";
	unsigned kinds = opts && opts->kinds ? opts->kinds
	                 : SH_KIND_BIT(SH_KIND_SKILL) | SH_KIND_BIT(SH_KIND_OCCUPATION);
	sh_cid occupation = opts && opts->occupation ? *opts->occupation : SH_CID_NONE;
	s->all_readings = opts && opts->all_readings;
	int rc = prepare(s, m, lang, opts ? opts->word_fn : NULL, opts ? opts->word_ctx : NULL);
	if (!rc)
		rc = sh_tokenize(text, len, 0, &s->toks);
	size_t ntok = s->toks.n;
	if (!rc)
		rc = grow((void **)&s->info, &s->info_cap, ntok, sizeof *s->info);
	if (!rc)
		rc = grow((void **)&s->values, &s->values_cap, ntok, sizeof *s->values);
	/* the hash of token i + PREFETCH_DISTANCE is computed ahead, its cache slot prefetched */
	for (size_t i = 0; !rc && i < ntok && i < PREFETCH_DISTANCE; i++)
		s->info[i].hash = token_hash(s, i);
	uint32_t sentence = 0;
	for (size_t i = 0; i < ntok && !rc; i++) {
		if (i + PREFETCH_DISTANCE < ntok) {
			uint32_t ahead = token_hash(s, i + PREFETCH_DISTANCE);
			s->info[i + PREFETCH_DISTANCE].hash = ahead;
			sh_word_cache_prefetch(&s->cache, ahead);
		}
		rc = lookup_token(s, m, i, s->info[i].hash, &s->info[i].term, &s->info[i].root, &s->values[i]);
		s->info[i].sentence = sentence;
		if (s->toks.tok[i].flags & SH_TOK_SENT_END)
			sentence++;
	}
	int lang_id = sh_index_lang_id(m->idx, lang);
	s->ncand = 0;
	if (!rc)
		rc = exact_channel(s, m, text, lang_id, kinds);
	if (!rc)
		rc = collect_exact(s);
	if (!rc)
		rc = bag_channel(s, m, lang_id, kinds);
	if (rc)
		return rc;
	if ((rc = sort_candidates(s)))
		return rc;
	drop_contained(s);
	if ((rc = resolve(s, m->idx, occupation, s->all_readings)))
		return rc;
	*out = s->out;
	*n = s->nout;
	return SH_OK;
}
