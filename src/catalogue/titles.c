/*
 * catalogue/titles.c - the titles of non-rejected courses indexed by word,
 * so that the duplicate rule finds similar titles without comparing every
 * pair of a provider's courses.
 *
 * Similarity is the Jaccard index of the sets of normalised words (case
 * and accents folded) of two titles of the same language.  Every title is
 * normalised once when the index is built; each word gets an integer id
 * (its rank in the sorted dictionary) and each title its sorted distinct
 * ids.  Postings (word, provider, language, title) are sorted so that the
 * titles of a provider and language containing a word are one binary
 * search away.
 *
 * A query needs only a prefix of its words (AllPairs' prefix filter): if
 * J(A, B) >= t > 0 then |A n B| >= t |A u B| >= t |A|, so of any
 * |A| - ceil(t |A|) + 1 words of A at least one is in B.  The query takes
 * its rarest words (lowest document frequency) as that prefix, collects
 * the titles sharing one of them and computes the exact similarity of
 * those only.  The result is the same as comparing every pair.  For
 * t <= 0 (every pair qualifies) all titles of the provider and language are
 * candidates.
 */
#include "catalogue/catalogue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "skillhub/text.h"

typedef struct title_entry {
	int64_t   course;
	char     *ref;
	char     *lang;
	char     *title;
	uint32_t  provider;    /* index into providers */
	uint32_t  lang_id;     /* index into langs */
	uint32_t  first, n;    /* distinct word ids: words[first .. first + n) */
} title_entry;

typedef struct posting {
	uint32_t word, provider, lang, entry;
} posting;

struct cat_titles {
	title_entry *e;
	size_t       ne;
	uint32_t    *words;     /* word ids of all entries */
	char       **dict;      /* sorted distinct words */
	uint32_t    *df;        /* titles containing dict[i] */
	size_t       ndict;
	char       **providers; /* sorted distinct provider refs */
	size_t       nproviders;
	char       **langs;     /* sorted distinct languages */
	size_t       nlangs;
	posting     *post;
	size_t       npost;
	uint32_t    *by_course; /* entry indices by (course, lang_id) */
	uint32_t    *stamp;     /* per entry: the query that last collected it */
	uint32_t     query;
};

/* The normalised words of s, NUL-separated in *words (caller frees); returns their count. */
static size_t word_set(const char *s, char **words)
{
	char *norm = NULL;
	*words = NULL;
	if (sh_normalize(s, strlen(s), SH_NORM_FOLD_ACCENTS, &norm))
		return 0;
	size_t n = 0;
	for (char *p = norm; *p; n++) {
		char *space = strchr(p, ' ');
		if (space)
			*space = '\0';
		p += strlen(p) + (space ? 1 : 0);
	}
	*words = norm;
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_posting(const void *a, const void *b)
{
	const posting *x = a, *y = b;
	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	if (x->provider != y->provider)
		return x->provider < y->provider ? -1 : 1;
	if (x->lang != y->lang)
		return x->lang < y->lang ? -1 : 1;
	return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Sorts and de-duplicates v (n strings, borrowed); returns the new count. */
static size_t sort_unique(char **v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(v[k - 1], v[i]))
			v[k++] = v[i];
	return k;
}

/* Index of s in the sorted v, or UINT32_MAX. */
static uint32_t find(char *const *v, size_t n, const char *s)
{
	char *const *hit = bsearch(&s, v, n, sizeof *v, cmp_str);
	return hit ? (uint32_t)(hit - v) : UINT32_MAX;
}

/* Sorted distinct word ids of the NUL-separated words (unknown words UINT32_MAX, each kept). */
static size_t word_ids(const cat_titles *t, const char *words, size_t n, uint32_t *ids)
{
	const char *w = words;
	for (size_t i = 0; i < n; i++, w += strlen(w) + 1)
		ids[i] = find(t->dict, t->ndict, w);
	qsort(ids, n, sizeof *ids, cmp_u32);
	size_t k = 0, unknown = 0;
	for (size_t i = 0; i < n; i++) {
		if (ids[i] == UINT32_MAX)
			unknown = 1;
		else if (!k || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	}
	/* Unknown words are distinct from every indexed word but may repeat among themselves. */
	if (unknown) {
		char **seen = malloc(n * sizeof *seen);
		size_t nseen = 0;
		w = words;
		for (size_t i = 0; seen && i < n; i++, w += strlen(w) + 1)
			if (find(t->dict, t->ndict, w) == UINT32_MAX)
				seen[nseen++] = (char *)w;
		nseen = seen ? sort_unique(seen, nseen) : 0;
		for (size_t i = 0; i < nseen; i++)
			ids[k++] = UINT32_MAX;
		free(seen);
	}
	return k;
}

/* One entry per title; (*prov)[i] is the provider ref of entry i, (*norms)[i] its normalised words. */
static int load_rows(sh_db *db, const char *provider, cat_titles *t, char ***prov, char ***norms, size_t **nwords)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(db, &st,
		"SELECT o.id, o.ref, p.ref, x.lang, x.title FROM course o JOIN provider p ON p.id = o.provider"
		" JOIN course_text x ON x.course = o.id WHERE o.status <> 'rejected' AND (?1 IS NULL OR p.ref = ?1)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, provider, -1, SQLITE_STATIC);
	size_t cap = 0;
	int s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->ne == cap) {
			cap = cap ? 2 * cap : 1024;
			title_entry *e = realloc(t->e, cap * sizeof *e);
			char **nv = realloc(*norms, cap * sizeof *nv);
			size_t *nw = realloc(*nwords, cap * sizeof *nw);
			char **pv = realloc(*prov, cap * sizeof *pv);
			if (e)
				t->e = e;
			if (nv)
				*norms = nv;
			if (nw)
				*nwords = nw;
			if (pv)
				*prov = pv;
			if (!e || !nv || !nw || !pv) {
				rc = sh_error(SH_ENOMEM, "out of memory");
				break;
			}
		}
		title_entry *e = &t->e[t->ne];
		memset(e, 0, sizeof *e);
		e->course = sqlite3_column_int64(st, 0);
		e->ref = strdup((const char *)sqlite3_column_text(st, 1));
		(*prov)[t->ne] = strdup((const char *)sqlite3_column_text(st, 2));
		e->lang = strdup((const char *)sqlite3_column_text(st, 3));
		e->title = strdup((const char *)sqlite3_column_text(st, 4));
		(*nwords)[t->ne] = word_set(e->title ? e->title : "", &(*norms)[t->ne]);
		t->ne++;
		if (!e->ref || !(*prov)[t->ne - 1] || !e->lang || !e->title)
			rc = sh_error(SH_ENOMEM, "out of memory");
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(db, "course titles");
	sqlite3_finalize(st);
	return rc;
}

/* Interns the provider refs (prov: one per entry, freed here) and the languages of the entries. */
static int intern_names(cat_titles *t, char **prov)
{
	t->providers = malloc((t->ne + 1) * sizeof *t->providers);
	t->langs = malloc((t->ne + 1) * sizeof *t->langs);
	if (!t->providers || !t->langs)
		return sh_error(SH_ENOMEM, "out of memory");
	memcpy(t->providers, prov, t->ne * sizeof *prov);
	t->nproviders = sort_unique(t->providers, t->ne);
	for (size_t i = 0; i < t->ne; i++) {
		t->e[i].provider = find(t->providers, t->nproviders, prov[i]);
		if (t->providers[t->e[i].provider] != prov[i])  /* the interned copy owns the string */
			free(prov[i]);
		prov[i] = NULL;
	}
	for (size_t i = 0; i < t->ne; i++)
		t->langs[i] = t->e[i].lang;
	t->nlangs = sort_unique(t->langs, t->ne);
	for (size_t i = 0; i < t->nlangs; i++)
		if (!(t->langs[i] = strdup(t->langs[i]))) {
			t->nlangs = i;
			return sh_error(SH_ENOMEM, "out of memory");
		}
	for (size_t i = 0; i < t->ne; i++)
		t->e[i].lang_id = find(t->langs, t->nlangs, t->e[i].lang);
	return SH_OK;
}

static int cmp_entry_key(const title_entry *x, int64_t course, uint32_t lang)
{
	if (x->course != course)
		return x->course < course ? -1 : 1;
	return (x->lang_id > lang) - (x->lang_id < lang);
}

/* Orders entry indices of the index t by course, then language. */
static int cmp_by_course(const void *a, const void *b, void *t)
{
	const title_entry *e = ((const cat_titles *)t)->e, *y = &e[*(const uint32_t *)b];
	return cmp_entry_key(&e[*(const uint32_t *)a], y->course, y->lang_id);
}

/* The entry of course's title in language l, or NULL. */
static const title_entry *entry_of(const cat_titles *t, int64_t course, uint32_t l)
{
	size_t lo = 0, hi = t->ne;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_entry_key(&t->e[t->by_course[mid]], course, l);
		if (!c)
			return &t->e[t->by_course[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int cat_titles_build(sh_db *db, const char *provider, cat_titles **out)
{
	cat_titles *t = calloc(1, sizeof *t);
	char **norms = NULL, **prov = NULL;
	size_t *nwords = NULL, total = 0;
	if (!t)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = load_rows(db, provider, t, &prov, &norms, &nwords);
	if (!rc)
		rc = intern_names(t, prov);
	for (size_t i = 0; prov && i < t->ne; i++)
		free(prov[i]);
	free(prov);
	for (size_t i = 0; !rc && i < t->ne; i++)
		total += nwords[i];
	char **all = rc ? NULL : malloc((total + 1) * sizeof *all);
	t->words = rc ? NULL : malloc((total + 1) * sizeof *t->words);
	t->post = rc ? NULL : malloc((total + 1) * sizeof *t->post);
	t->stamp = rc ? NULL : calloc(t->ne + 1, sizeof *t->stamp);
	if (!rc && (!all || !t->words || !t->post || !t->stamp))
		rc = sh_error(SH_ENOMEM, "out of memory");
	if (!rc) {
		size_t k = 0;
		for (size_t i = 0; i < t->ne; i++) {
			const char *w = norms[i];
			for (size_t j = 0; j < nwords[i]; j++, w += strlen(w) + 1)
				all[k++] = (char *)w;
		}
		t->ndict = sort_unique(all, total);
		t->dict = malloc((t->ndict + 1) * sizeof *t->dict);
		t->df = calloc(t->ndict + 1, sizeof *t->df);
		if (!t->dict || !t->df)
			rc = sh_error(SH_ENOMEM, "out of memory");
		for (size_t i = 0; !rc && i < t->ndict; i++)
			if (!(t->dict[i] = strdup(all[i])))
				rc = sh_error(SH_ENOMEM, "out of memory");
	}
	uint32_t used = 0;
	for (size_t i = 0; !rc && i < t->ne; i++) {
		title_entry *e = &t->e[i];
		e->first = used;
		e->n = (uint32_t)word_ids(t, norms[i], nwords[i], t->words + used);
		for (uint32_t j = 0; j < e->n; j++) {
			uint32_t w = t->words[used + j];
			if (w == UINT32_MAX)
				continue;
			t->df[w]++;
			t->post[t->npost++] = (posting){ w, e->provider, e->lang_id, (uint32_t)i };
		}
		used += e->n;
	}
	if (!rc)
		qsort(t->post, t->npost, sizeof *t->post, cmp_posting);
	if (!rc && !(t->by_course = malloc((t->ne + 1) * sizeof *t->by_course)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < t->ne; i++)
		t->by_course[i] = (uint32_t)i;
	if (!rc)
		qsort_r(t->by_course, t->ne, sizeof *t->by_course, cmp_by_course, t);
	for (size_t i = 0; norms && i < t->ne; i++)
		free(norms[i]);
	free(norms);
	free(nwords);
	free(all);
	if (rc) {
		cat_titles_free(t);
		return rc;
	}
	*out = t;
	return SH_OK;
}

void cat_titles_free(cat_titles *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ne; i++) {
		free(t->e[i].ref);
		free(t->e[i].lang);
		free(t->e[i].title);
	}
	for (size_t i = 0; t->dict && i < t->ndict; i++)
		free(t->dict[i]);
	for (size_t i = 0; t->providers && i < t->nproviders; i++)
		free(t->providers[i]);
	for (size_t i = 0; t->langs && i < t->nlangs; i++)
		free(t->langs[i]);
	free(t->e);
	free(t->words);
	free(t->dict);
	free(t->df);
	free(t->providers);
	free(t->langs);
	free(t->post);
	free(t->by_course);
	free(t->stamp);
	free(t);
}

/* Jaccard similarity of two sorted distinct id sets (UINT32_MAX ids, unknown words, never match). */
static double jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0, common = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j] && a[i] != UINT32_MAX)
			common++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	size_t uni = na + nb - common;
	return uni ? (double)common / (double)uni : 0;
}

static int cmp_match(const void *a, const void *b)
{
	const cat_title_match *x = a, *y = b;
	int c = strcmp(x->ref, y->ref);
	return c ? c : strcmp(x->lang, y->lang);
}

/* Appends to m the match of entry e when it is similar enough to the query. */
static int consider(cat_titles *t, size_t entry, int64_t course, const char *title, const uint32_t *ids, size_t n,
                    double threshold, sh_buf *m)
{
	const title_entry *e = &t->e[entry];
	if (t->stamp[entry] == t->query || e->course == course)
		return SH_OK;
	t->stamp[entry] = t->query;
	double sim = jaccard(ids, n, t->words + e->first, e->n);
	cat_title_match hit = { e->ref, e->lang, e->title, title, sim };
	return sim >= threshold ? sh_buf_append(m, &hit, sizeof hit) : SH_OK;
}

/* Appends to m the titles of provider p in language l similar enough to the query ids. */
static int collect(cat_titles *t, uint32_t p, uint32_t l, int64_t course, const char *title,
                   const uint32_t *ids, size_t n, double threshold, sh_buf *m)
{
	t->query++;
	int rc = SH_OK;
	if (threshold <= 0) {  /* every title qualifies, even one sharing no word */
		for (size_t i = 0; !rc && i < t->ne; i++)
			if (t->e[i].provider == p && t->e[i].lang_id == l)
				rc = consider(t, i, course, title, ids, n, threshold, m);
		return rc;
	}
	/* The prefix: the rarest words first (unknown ones are in no other title). */
	uint32_t *order = malloc((n + 1) * sizeof *order);
	if (!order)
		return sh_error(SH_ENOMEM, "out of memory");
	memcpy(order, ids, n * sizeof *ids);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			uint32_t a = order[j - 1], b = order[j];
			uint32_t dfa = a == UINT32_MAX ? 0 : t->df[a], dfb = b == UINT32_MAX ? 0 : t->df[b];
			if (dfa <= dfb)
				break;
			order[j - 1] = b;
			order[j] = a;
		}
	double need = ceil(threshold * (double)n - 1e-9);  /* slack: a longer prefix is always safe */
	size_t prefix = need >= (double)n + 1 ? 0 : n - (size_t)need + 1;
	for (size_t i = 0; !rc && i < prefix && i < n; i++) {
		posting key = { order[i], p, l, 0 };
		if (key.word == UINT32_MAX)
			continue;
		size_t lo = 0, hi = t->npost;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_posting(&t->post[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; !rc && k < t->npost && t->post[k].word == key.word && t->post[k].provider == p
		                    && t->post[k].lang == l; k++)
			rc = consider(t, t->post[k].entry, course, title, ids, n, threshold, m);
	}
	free(order);
	return rc;
}

int cat_titles_similar(cat_titles *t, int64_t course, const char *provider, json_t *texts, double threshold,
                       cat_title_match **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	uint32_t p = find(t->providers, t->nproviders, provider);
	if (p == UINT32_MAX)
		return SH_OK;
	sh_buf m = SH_BUF_INIT;
	const char *lang;
	json_t *text;
	int rc = SH_OK;
	json_object_foreach(texts, lang, text) {
		uint32_t l = find(t->langs, t->nlangs, lang);
		const char *title = json_string_value(json_object_get(text, "title"));
		if (l == UINT32_MAX || !title)
			continue;
		/* A stored course: its words are in the index already. */
		const title_entry *self = entry_of(t, course, l);
		if (self && !strcmp(self->title, title)) {
			if ((rc = collect(t, p, l, course, title, t->words + self->first, self->n, threshold, &m)))
				break;
			continue;
		}
		char *words;
		size_t n = word_set(title, &words);
		uint32_t *ids = malloc((n + 1) * sizeof *ids);
		if (!ids)
			rc = sh_error(SH_ENOMEM, "out of memory");
		if (!rc)
			rc = collect(t, p, l, course, title, ids, word_ids(t, words, n, ids), threshold, &m);
		free(ids);
		free(words);
		if (rc)
			break;
	}
	cat_title_match *v = (cat_title_match *)m.data;
	size_t n = m.len / sizeof *v, k = 0;
	if (n)
		qsort(v, n, sizeof *v, cmp_match);
	for (size_t i = 0; i < n; i++)  /* one match per other course: its first language */
		if (!k || strcmp(v[k - 1].ref, v[i].ref))
			v[k++] = v[i];
	if (rc || !k) {
		sh_buf_free(&m);
		return rc;
	}
	*out = v;
	*nout = k;
	return SH_OK;
}
