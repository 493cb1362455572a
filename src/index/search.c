/*
 * index/search.c - ranked label search and prefix suggestions over the
 * compiled index (scoring documented in docs/search.md).
 *
 * Terms: a label or query is tokenised with accents folded (sh_tokenize,
 * SH_NORM_FOLD_ACCENTS) and every token is stemmed with the language's
 * Snowball stemmer when there is one.  Folding before stemming makes "cafe"
 * and "café" the same term on both sides, whatever the stemmer does with
 * accents.
 *
 * Sections, per language with labels (xx = language number in hex):
 *   SDxx  term dictionary (termdict.h): term -> dense term id
 *   SPxx  u32 nterms | u32 nlabels | u32 offsets[nterms + 1] | u32 postings[]
 *         postings of a term: ids of the text records (labels) containing it, ascending
 *   SOxx  u32[nterms]: term ids in byte order of their strings (prefix ranges)
 * and for all text records:
 *   SLEN  u8[ntexts]: distinct terms of the label (0 for notes)
 *   SHSH  u32[ntexts]: hash of the label's normal form (its sequence of folded
 *         tokens) to recognise an exact label match without reading it
 *
 * Query: each distinct query term is a "group" with a weight (its idf) and
 * one or more posting lists: the term itself, or for a term absent from the
 * dictionary its best edit-distance-1 correction, or for the last word of a
 * suggestion every term it is a prefix of.  A min-heap of list cursors
 * walks the lists in label order, so the labels of one concept (contiguous
 * record ids) are seen together and the best one per concept is kept in a
 * bounded heap of the offset + max best concepts.  No state is shared between
 * calls: everything mutable lives on the stack or in per-call allocations.
 */
#include "core/topk.h"
#include "index/index_internal.h"
#include "core/error.h"
#include "core/hash.h"
#include "skillhub/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEC_DICT(l)     SH_IDX_ID('S', 'D', hex_digit((l) >> 4), hex_digit((l) & 15))
#define SEC_POSTINGS(l) SH_IDX_ID('S', 'P', hex_digit((l) >> 4), hex_digit((l) & 15))
#define SEC_ORDER(l)    SH_IDX_ID('S', 'O', hex_digit((l) >> 4), hex_digit((l) & 15))
#define SEC_LABEL_LEN   SH_IDX_ID('S', 'L', 'E', 'N')
#define SEC_LABEL_HASH  SH_IDX_ID('S', 'H', 'S', 'H')

#define MAX_GROUPS   16   /* query terms beyond this are ignored */
#define MAX_CURSORS  256  /* posting lists walked by one query */
#define MAX_PREFIX   48   /* terms a suggestion's last word expands to */
#define TERM_MAX     128  /* bytes of a term (longer tokens are cut) */

static char hex_digit(unsigned v)
{
	return "0123456789abcdef"[v & 15];
}

struct sh_search_lang {
	sh_termdict     dict;
	const uint32_t *off;      /* nterms + 1 */
	const uint32_t *post;
	const uint32_t *order;    /* term ids sorted by term bytes */
	uint32_t        nlabels;  /* labels of the language, for idf */
	int             present;
};

/* ---- terms ------------------------------------------------------------- */

/* Turns text into terms the same way at build and query time. */
typedef struct termizer {
	sh_stemmer *stemmer; /* NULL when Snowball lacks the language */
	sh_tokens   tokens;
} termizer;

static int termizer_init(termizer *t, const char *lang)
{
	memset(t, 0, sizeof *t);
	if (sh_stemmer_supported(lang))
		return sh_stemmer_new(&t->stemmer, lang);
	return SH_OK;
}

static void termizer_free(termizer *t)
{
	sh_stemmer_free(t->stemmer);
	sh_tokens_free(&t->tokens);
}

/* The term of a folded word (points into the stemmer or the word). */
static const char *term_of(termizer *t, const char *word, size_t len, size_t *tlen)
{
	if (len > TERM_MAX)
		len = TERM_MAX;
	if (!t->stemmer) {
		*tlen = len;
		return word;
	}
	return sh_stem(t->stemmer, word, len, tlen);
}

/*
 * The surface term of a word: "=" + the folded word without a plural "s"
 * ("managers" and "manager" are the same surface, "management" is not), in a
 * namespace apart from stems ("=" never occurs inside a token).  Returns its
 * length.
 */
static size_t surface_term(const char *word, size_t len, char out[TERM_MAX + 2])
{
	if (len > TERM_MAX)
		len = TERM_MAX;
	if (len > 3 && word[len - 1] == 's' && word[len - 2] != 's')
		len--;
	out[0] = '=';
	memcpy(out + 1, word, len);
	out[len + 1] = '\0';
	return len + 1;
}

static const char *token_norm(const termizer *t, size_t i)
{
	return t->tokens.norm + t->tokens.tok[i].norm;
}

/* Hash of the normal form: the sequence of folded tokens (so punctuation and spacing do not count). */
static uint32_t exact_hash(const termizer *t)
{
	uint64_t h = 0;
	for (size_t i = 0; i < t->tokens.n; i++)
		h = sh_hash_mix(h ^ sh_hash64(token_norm(t, i), t->tokens.tok[i].norm_len)) + i;
	return (uint32_t)h;
}

/* ---- build ------------------------------------------------------------- */

typedef struct posting {
	uint32_t term, label;
} posting;

static int cmp_term_bytes(const void *a, const void *b, void *dict)
{
	const sh_termdict_builder *d = dict;
	return strcmp(d->pool.data + d->terms[*(const uint32_t *)a].offset,
	              d->pool.data + d->terms[*(const uint32_t *)b].offset);
}

/*
 * Adds (term, label) to the postings unless the label already has the term
 * (its postings start at index first).  Returns 1 when added, 0 when already
 * there, or a negative status.
 */
static int add_posting(sh_termdict_builder *dict, posting **ps, size_t *nps, size_t *cap, size_t first,
                       const char *term, size_t len, uint32_t label)
{
	uint32_t id;
	int rc = sh_tdb_add(dict, term, len, &id);
	if (rc)
		return rc;
	for (size_t j = first; j < *nps; j++)
		if ((*ps)[j].term == id)
			return 0;
	if (*nps == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4096;
		posting *np = realloc(*ps, ncap * sizeof *np);
		if (!np)
			return sh_error(SH_ENOMEM, "out of memory (search postings)");
		*ps = np;
		*cap = ncap;
	}
	(*ps)[(*nps)++] = (posting){ id, label };
	return 1;
}

static int compile_language(sh_index_builder *b, uint8_t lang, uint8_t *label_len, uint32_t *label_hash)
{
	termizer tz;
	int rc = termizer_init(&tz, b->langs[lang]);
	if (rc)
		return rc;
	sh_termdict_builder dict;
	sh_tdb_init(&dict);
	posting *ps = NULL;
	size_t nps = 0, cap = 0;
	uint32_t nlabels = 0;
	for (uint32_t i = 0; i < b->ntexts && !rc; i++) {
		const sh_idx_text *x = &b->texts[i];
		if (x->lang != lang || x->kind > SH_TEXT_HIDDEN)
			continue;
		const char *s = b->strings.data + x->text;
		if ((rc = sh_tokenize(s, strlen(s), SH_NORM_FOLD_ACCENTS, &tz.tokens)))
			break;
		nlabels++;
		label_hash[i] = exact_hash(&tz);
		size_t first = nps, nstems = 0;
		char surface[TERM_MAX + 2];
		for (size_t k = 0; k < tz.tokens.n && !rc; k++) {
			const char *word = token_norm(&tz, k);
			size_t wlen = tz.tokens.tok[k].norm_len, tlen;
			const char *term = term_of(&tz, word, wlen, &tlen);
			int added = add_posting(&dict, &ps, &nps, &cap, first, term, tlen, i);
			if (added > 0)
				nstems++;
			/* the word form too, so that the query's own form can rank first */
			if (added >= 0) {
				size_t slen = surface_term(word, wlen, surface);
				added = add_posting(&dict, &ps, &nps, &cap, first, surface, slen, i);
			}
			if (added < 0)
				rc = added;
		}
		label_len[i] = (uint8_t)(nstems > 255 ? 255 : nstems);
	}
	uint32_t nterms = dict.nterms;
	uint32_t *sp = NULL, *order = NULL;
	size_t sp_words = 2 + (size_t)nterms + 1 + nps;
	if (!rc && (!(sp = calloc(sp_words, 4)) || !(order = malloc(((size_t)nterms + 1) * 4))))
		rc = sh_error(SH_ENOMEM, "out of memory (search postings)");
	if (!rc) {
		/* counting sort by term; labels were visited in ascending order, so each list is sorted */
		sp[0] = nterms;
		sp[1] = nlabels;
		uint32_t *off = sp + 2, *post = off + nterms + 1;
		for (size_t k = 0; k < nps; k++)
			off[ps[k].term + 1]++;
		for (uint32_t k = 0; k < nterms; k++)
			off[k + 1] += off[k];
		for (size_t k = 0; k < nps; k++)
			post[off[ps[k].term]++] = ps[k].label;
		for (uint32_t k = nterms; k > 0; k--)
			off[k] = off[k - 1];
		off[0] = 0;
		for (uint32_t k = 0; k < nterms; k++)
			order[k] = k;
		qsort_r(order, nterms, sizeof *order, cmp_term_bytes, &dict);
	}
	sh_buf dbytes = SH_BUF_INIT;
	if (!rc)
		rc = sh_tdb_serialize(&dict, &dbytes);
	if (!rc)
		rc = sh_idxw_add(b->out, SEC_DICT(lang), dbytes.data, dbytes.len);
	if (!rc)
		rc = sh_idxw_add(b->out, SEC_POSTINGS(lang), sp, sp_words * 4);
	if (!rc)
		rc = sh_idxw_add(b->out, SEC_ORDER(lang), order, (size_t)nterms * 4);
	sh_buf_free(&dbytes);
	free(sp);
	free(order);
	free(ps);
	sh_tdb_free(&dict);
	termizer_free(&tz);
	return rc;
}

int sh_search_compile(sh_index_builder *b)
{
	uint8_t *len = calloc((size_t)b->ntexts + 1, 1);
	uint32_t *hash = calloc((size_t)b->ntexts + 1, 4);
	int rc = len && hash ? SH_OK : sh_error(SH_ENOMEM, "out of memory (search)");
	for (size_t l = 0; l < b->nlangs && !rc; l++)
		rc = compile_language(b, (uint8_t)l, len, hash);
	if (!rc)
		rc = sh_idxw_add(b->out, SEC_LABEL_LEN, len, b->ntexts);
	if (!rc)
		rc = sh_idxw_add(b->out, SEC_LABEL_HASH, hash, (size_t)b->ntexts * 4);
	free(len);
	free(hash);
	return rc;
}

/* ---- open -------------------------------------------------------------- */

static int corrupt(const char *what, size_t lang)
{
	return sh_error(SH_EFORMAT, "corrupt index: search %s (language %zu)", what, lang);
}

static int open_language(sh_index *idx, size_t l)
{
	struct sh_search_lang *s = &idx->search[l];
	size_t size = 0;
	const void *d = sh_idxf_section(&idx->file, SEC_DICT(l), &size);
	if (!d)
		return corrupt("dictionary missing", l);
	int rc = sh_termdict_open(&s->dict, d, size);
	if (rc)
		return sh_error_wrap(rc, "index language %zu", l);
	const uint32_t *sp = sh_idxf_section(&idx->file, SEC_POSTINGS(l), &size);
	uint32_t nterms = s->dict.nterms;
	if (!sp || size % 4 || size / 4 < 3 + (size_t)nterms || sp[0] != nterms ||
	    !sh_index_offsets_ok(sp + 2, nterms, size / 4 - 3 - nterms))
		return corrupt("postings", l);
	s->nlabels = sp[1];
	s->off = sp + 2;
	s->post = s->off + nterms + 1;
	for (size_t i = 0; i < s->off[nterms]; i++)
		if (s->post[i] >= idx->ntexts)
			return corrupt("posting", l);
	s->order = sh_idxf_section(&idx->file, SEC_ORDER(l), &size);
	if (!s->order || size != (size_t)nterms * 4)
		return corrupt("term order", l);
	for (uint32_t i = 0; i < nterms; i++)
		if (s->order[i] >= nterms)
			return corrupt("term order entry", l);
	s->present = 1;
	return SH_OK;
}

int sh_search_open(sh_index *idx)
{
	size_t size = 0;
	idx->label_len = sh_idxf_section(&idx->file, SEC_LABEL_LEN, &size);
	if (!idx->label_len || size != idx->ntexts)
		return corrupt("label lengths", 0);
	idx->label_hash = sh_idxf_section(&idx->file, SEC_LABEL_HASH, &size);
	if (!idx->label_hash || size != (size_t)idx->ntexts * 4)
		return corrupt("label hashes", 0);
	idx->search = calloc(idx->nlangs + 1, sizeof *idx->search);
	if (!idx->search)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = SH_OK;
	for (size_t l = 0; l < idx->nlangs && !rc; l++)
		rc = open_language(idx, l);
	return rc;
}

void sh_search_close(sh_index *idx)
{
	free(idx->search);
	idx->search = NULL;
}

/* ---- query ------------------------------------------------------------- */

typedef struct cursor {
	const uint32_t *p, *end;
	float           factor; /* 1 = the query's own term; less for corrections and completions */
	unsigned        group;
} cursor;

typedef struct scored {
	sh_cid   concept;
	uint32_t label;
	float    score;
	uint32_t degree; /* breaks ties: occupation-skill links of the concept */
} scored;

typedef struct query {
	const sh_index              *idx;
	const struct sh_search_lang *sl;
	termizer                     tz;
	unsigned                     kinds;
	uint32_t                     hash;      /* exact_hash of the query */
	unsigned                     ngroups;
	float                        weight[MAX_GROUPS];
	char                         term[MAX_GROUPS][TERM_MAX + 1];
	float                        total;     /* sum of weights */
	cursor                       cur[MAX_CURSORS];
	unsigned                     ncur;
	scored                      *top;       /* min-heap of the best concepts, worst first */
	size_t                       ntop, ktop;
} query;

static uint32_t df(const struct sh_search_lang *sl, uint32_t term)
{
	return sl->off[term + 1] - sl->off[term];
}

static float idf(const struct sh_search_lang *sl, uint32_t df_)
{
	double n = sl->nlabels;
	return (float)log(1.0 + (n - df_ + 0.5) / (df_ + 0.5));
}

static void add_list(query *q, unsigned group, uint32_t term, float factor)
{
	if (q->ncur == MAX_CURSORS || df(q->sl, term) == 0)
		return;
	const uint32_t *p = q->sl->post + q->sl->off[term];
	q->cur[q->ncur++] = (cursor){ p, p + df(q->sl, term), factor, group };
}

static uint32_t find_term(query *q, const char *word, size_t len)
{
	size_t tlen;
	const char *term = term_of(&q->tz, word, len, &tlen);
	return sh_termdict_find(&q->sl->dict, term, tlen);
}

/* The most frequent term one edit (delete, swap, replace, insert a-z) away from an ASCII word. */
static uint32_t correct_typo(query *q, const char *w, size_t len)
{
	uint32_t best = SH_TERM_NONE, best_df = 0;
	char c[TERM_MAX + 2];
	if (len < 4 || len > TERM_MAX)
		return best;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)w[i] >= 0x80)
			return best;
#define TRY(n) do { uint32_t t_ = find_term(q, c, (n)); \
	if (t_ != SH_TERM_NONE && df(q->sl, t_) > best_df) { best = t_; best_df = df(q->sl, t_); } } while (0)
	for (size_t i = 0; i < len; i++) {           /* deletion */
		memcpy(c, w, i);
		memcpy(c + i, w + i + 1, len - i - 1);
		TRY(len - 1);
	}
	for (size_t i = 0; i + 1 < len; i++) {       /* transposition */
		memcpy(c, w, len);
		c[i] = w[i + 1];
		c[i + 1] = w[i];
		TRY(len);
	}
	for (size_t i = 0; i < len; i++) {           /* substitution */
		memcpy(c, w, len);
		for (char ch = 'a'; ch <= 'z'; ch++)
			if (ch != w[i]) {
				c[i] = ch;
				TRY(len);
			}
	}
	for (size_t i = 0; i <= len; i++) {          /* insertion */
		memcpy(c, w, i);
		memcpy(c + i + 1, w + i, len - i);
		for (char ch = 'a'; ch <= 'z'; ch++) {
			c[i] = ch;
			TRY(len + 1);
		}
	}
#undef TRY
	return best;
}

static const char *dict_term(const struct sh_search_lang *sl, uint32_t id, size_t *len)
{
	return sh_termdict_term(&sl->dict, id, len);
}

/*
 * Completion of the last word w of a suggestion: the terms that start with w
 * (the most frequent MAX_PREFIX of them) and the terms w starts with that
 * are at most 3 bytes shorter (a stem of the word being typed: "manageme"
 * -> "manag").  Returns the weight of the group.
 */
static float expand_prefix(query *q, unsigned group, const char *w, size_t len, uint32_t exact)
{
	const struct sh_search_lang *sl = q->sl;
	uint32_t n = sl->dict.nterms, lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		size_t tl;
		const char *t = dict_term(sl, sl->order[mid], &tl);
		(void)tl;
		if (strcmp(t, w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t picked[MAX_PREFIX], npicked = 0, max_df = exact != SH_TERM_NONE ? df(sl, exact) : 0;
	for (uint32_t i = lo; i < n; i++) {
		size_t tl;
		const char *t = dict_term(sl, sl->order[i], &tl);
		if (tl < len || memcmp(t, w, len) != 0)
			break;
		uint32_t id = sl->order[i];
		if (id == exact)
			continue;
		if (npicked < MAX_PREFIX) {
			picked[npicked++] = id;
			continue;
		}
		uint32_t worst = 0;
		for (uint32_t k = 1; k < npicked; k++)
			if (df(sl, picked[k]) < df(sl, picked[worst]))
				worst = k;
		if (df(sl, id) > df(sl, picked[worst]))
			picked[worst] = id;
	}
	for (size_t cut = len - 1; cut >= 3 && cut + 3 >= len && npicked < MAX_PREFIX; cut--) {
		uint32_t id = sh_termdict_find(&sl->dict, w, cut);
		if (id != SH_TERM_NONE && id != exact)
			picked[npicked++] = id;
	}
	for (uint32_t k = 0; k < npicked; k++) {
		add_list(q, group, picked[k], 0.9f);
		if (df(sl, picked[k]) > max_df)
			max_df = df(sl, picked[k]);
	}
	return idf(sl, max_df);
}

/* Turns the query into weighted term groups; SH_EINVAL when it has no words. */
static int parse_query(query *q, const char *text, int complete_last)
{
	size_t len = strlen(text);
	int rc = sh_tokenize(text, len, SH_NORM_FOLD_ACCENTS, &q->tz.tokens);
	if (rc)
		return rc;
	const sh_tokens *tk = &q->tz.tokens;
	if (tk->n == 0)
		return sh_error(SH_EINVAL, "empty search query '%s'", text);
	q->hash = exact_hash(&q->tz);
	for (size_t k = 0; k < tk->n && q->ngroups < MAX_GROUPS; k++) {
		const char *w = token_norm(&q->tz, k);
		size_t wlen = tk->tok[k].norm_len, tlen;
		int prefix = complete_last && k + 1 == tk->n && tk->tok[k].end == len;
		const char *term = term_of(&q->tz, w, wlen, &tlen);
		unsigned g = q->ngroups;
		memcpy(q->term[g], term, tlen);
		q->term[g][tlen] = '\0';
		int dup = 0;
		for (unsigned j = 0; j < g && !dup; j++)
			dup = strcmp(q->term[j], q->term[g]) == 0;
		if (dup)
			continue;
		q->ngroups++;
		uint32_t id = sh_termdict_find(&q->sl->dict, q->term[g], tlen);
		q->weight[g] = idf(q->sl, id != SH_TERM_NONE ? df(q->sl, id) : 0);
		if (id != SH_TERM_NONE) {
			/* another form of the word ranks below the query's own form */
			char surface[TERM_MAX + 2];
			add_list(q, g, id, 0.9f);
			uint32_t sid = sh_termdict_find(&q->sl->dict, surface, surface_term(w, wlen, surface));
			if (sid != SH_TERM_NONE)
				add_list(q, g, sid, 1.0f);
		}
		if (prefix) {
			float w_prefix = expand_prefix(q, g, w, wlen, id);
			if (id == SH_TERM_NONE)
				q->weight[g] = w_prefix;
		} else if (id == SH_TERM_NONE) {
			uint32_t fix = correct_typo(q, w, wlen);
			if (fix != SH_TERM_NONE) {
				add_list(q, g, fix, 0.8f);
				q->weight[g] = idf(q->sl, df(q->sl, fix));
			}
		}
		q->total += q->weight[g];
	}
	return SH_OK;
}

static int cursor_before(const cursor *a, const cursor *b)
{
	return *a->p < *b->p;
}

static void cursor_sift_down(cursor *h, unsigned n, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && cursor_before(&h[l], &h[m]))
			m = l;
		if (r < n && cursor_before(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		cursor t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* a ranks below b: lower score; at equal score fewer occupation-skill links, then later concept. */
static int worse(const scored *a, const scored *b)
{
	if (a->score != b->score)
		return a->score < b->score;
	if (a->degree != b->degree)
		return a->degree < b->degree;
	return a->concept > b->concept;
}

/* How central a concept is: its occupation-skill relations in both directions. */
static uint32_t degree(const sh_index *idx, sh_cid c)
{
	static const sh_rel rels[] = {
		SH_REL_ESSENTIAL_SKILL, SH_REL_OPTIONAL_SKILL, SH_REL_ESSENTIAL_FOR, SH_REL_OPTIONAL_FOR,
	};
	uint32_t d = 0;
	for (size_t i = 0; i < sizeof rels / sizeof *rels; i++)
		d += idx->rel_off[rels[i]][c + 1] - idx->rel_off[rels[i]][c];
	return d;
}

SH_TOPK_DEFINE(top, scored, worse)

static void keep(query *q, scored s)
{
	top_offer(q->top, &q->ntop, q->ktop, s);
}

static const float kind_factor[] = {
	[SH_TEXT_PREFERRED] = 1.0f, [SH_TEXT_ALTERNATIVE] = 0.97f, [SH_TEXT_HIDDEN] = 0.94f,
};

static float score_label(const query *q, uint32_t label, const float *factor)
{
	float matched = 0;
	unsigned nmatched = 0;
	for (unsigned g = 0; g < q->ngroups; g++) {
		if (factor[g] > 0) {
			matched += factor[g] * q->weight[g];
			nmatched++;
		}
	}
	float qcov = q->total > 0 ? matched / q->total : 0;
	unsigned len = q->idx->label_len[label];
	float lcov = len ? (float)nmatched / (float)len : 1.0f;
	if (lcov > 1)
		lcov = 1;
	float base = qcov * qcov * (0.5f + 0.5f * lcov);
	if (q->idx->label_hash[label] == q->hash && qcov > 0.999f && lcov > 0.999f)
		base = 1.0f / 0.95f;
	return 0.95f * base * kind_factor[q->idx->texts[label].kind];
}

/* Walks every posting list in label order, keeping the best label per concept. */
static void merge(query *q)
{
	cursor *h = q->cur;
	unsigned n = q->ncur;
	for (unsigned i = n / 2; i-- > 0;)
		cursor_sift_down(h, n, i);
	scored best = { SH_CID_NONE, 0, 0, 0 };
	while (n) {
		uint32_t label = *h[0].p;
		float factor[MAX_GROUPS] = { 0 };
		while (n && *h[0].p == label) {
			if (h[0].factor > factor[h[0].group])
				factor[h[0].group] = h[0].factor;
			if (++h[0].p == h[0].end)
				h[0] = h[--n];
			cursor_sift_down(h, n, 0);
		}
		const sh_idx_text *t = &q->idx->texts[label];
		if (!(q->kinds & SH_KIND_BIT(q->idx->concepts[t->concept].kind)))
			continue;
		float s = score_label(q, label, factor);
		if (t->concept != best.concept) {
			if (best.concept != SH_CID_NONE)
				keep(q, best);
			best = (scored){ t->concept, label, s, degree(q->idx, t->concept) };
		} else if (s > best.score) {
			best.label = label;
			best.score = s;
		}
	}
	if (best.concept != SH_CID_NONE)
		keep(q, best);
}

static int cmp_best_first(const void *a, const void *b)
{
	return worse(a, b) ? 1 : worse(b, a) ? -1 : 0;
}

static int run(const sh_index *idx, const char *text, const sh_search_opts *opts, int complete_last,
               sh_search_hit *hits, size_t max, size_t *n)
{
	*n = 0;
	if (!text)
		return sh_error(SH_EINVAL, "no search query");
	const char *lang = opts && opts->lang ? opts->lang : "en";
	int l = sh_index_lang_id(idx, lang);
	if (l < 0 || !idx->search[l].present)
		return sh_error(SH_ENOTFOUND, "no labels in language '%s' in the index", lang);
	size_t offset = opts ? opts->offset : 0;
	query *q = calloc(1, sizeof *q);
	if (!q)
		return sh_error(SH_ENOMEM, "out of memory");
	q->idx = idx;
	q->sl = &idx->search[l];
	q->kinds = opts && opts->kinds ? opts->kinds
	         : SH_KIND_BIT(SH_KIND_SKILL) | SH_KIND_BIT(SH_KIND_OCCUPATION);
	/* the best offset + max concepts, never more than there are */
	q->ktop = offset < idx->nconcepts ? offset + (max < idx->nconcepts ? max : idx->nconcepts) : 0;
	if (q->ktop > idx->nconcepts)
		q->ktop = idx->nconcepts;
	int rc = termizer_init(&q->tz, lang);
	if (!rc)
		rc = parse_query(q, text, complete_last);
	if (!rc && q->ktop && !(q->top = malloc(q->ktop * sizeof *q->top)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	if (!rc && q->ktop) {
		merge(q);
		qsort(q->top, q->ntop, sizeof *q->top, cmp_best_first);
		for (size_t i = offset; i < q->ntop && *n < max; i++) {
			const scored *s = &q->top[i];
			hits[(*n)++] = (sh_search_hit){ s->concept, s->score,
			                                idx->strings + idx->texts[s->label].text };
		}
	}
	free(q->top);
	termizer_free(&q->tz);
	free(q);
	return rc;
}

int sh_search(const sh_index *idx, const char *query_text, const sh_search_opts *opts,
              sh_search_hit *hits, size_t max, size_t *n)
{
	return run(idx, query_text, opts, 0, hits, max, n);
}

int sh_suggest(const sh_index *idx, const char *prefix, const sh_search_opts *opts,
               sh_search_hit *hits, size_t max, size_t *n)
{
	return run(idx, prefix, opts, 1, hits, max, n);
}
