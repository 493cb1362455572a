/*
 * match/rank_build.c - compiles the skill ranking sections (rank_model.h).
 *
 * One pass over the text records (sorted by concept, language, kind) analyses
 * every label and description into terms.  Labels of skills and occupations
 * become label records with their term sequence and one label posting per
 * distinct term.  For skills, each (concept, language) group is one BM25F
 * document whose fields are the preferred, alternative and hidden labels and
 * the description: the group's per-term field counts are kept as raw
 * postings.  When the pass is over, document frequencies are known, so the raw
 * postings become weights (docs/ranking.md) and everything is laid out per
 * term by a counting sort.  The same weights are also kept per concept
 * (forward postings), and each concept's run of label records is indexed,
 * so that a few given concepts can be scored without walking the text's
 * postings (rank_query.c, literal-only queries).  An optional job-ad corpus
 * then gives each term its query weight (terms found in most ads are
 * boilerplate).
 */
#include "match/rank_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

/* Field counts of one term in one skill document. */
typedef struct raw_post {
	uint32_t term, concept;
	uint8_t  tf[4];   /* preferred, alternative, hidden, description (saturated at 255) */
	uint16_t dlen;    /* description length in terms */
	uint8_t  lang;
	uint8_t  pad;
} raw_post;

typedef struct builder {
	const sh_rank_source *src;
	sh_termdict_builder   dict;
	sh_rank_text         *an;       /* one analyser per language */
	sh_buf                labels;   /* sh_rank_label */
	sh_buf                lterms;   /* u32 */
	sh_buf                lpairs;   /* u32 pairs (term, label) */
	sh_buf                raw;      /* raw_post */
	/* the current document: raw posting index of each term, valid when stamp == doc */
	uint32_t             *slot, *stamp;
	uint32_t              slot_cap;
	uint32_t              doc;
	size_t                doc_first;   /* first raw posting of the current document */
	uint32_t             *ndocs;       /* skill documents per language */
	double               *dlen_sum;    /* description terms per language */
	uint32_t             *nlabels_lang;
} builder;

static int grow_term_arrays(builder *b)
{
	uint32_t n = b->dict.nterms;
	if (n <= b->slot_cap)
		return SH_OK;
	uint32_t cap = b->slot_cap ? b->slot_cap : 4096;
	while (cap < n)
		cap *= 2;
	uint32_t *slot = realloc(b->slot, cap * sizeof *slot);
	if (slot)
		b->slot = slot;
	uint32_t *stamp = slot ? realloc(b->stamp, cap * sizeof *stamp) : NULL;
	if (!stamp)
		return sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	b->stamp = stamp;
	memset(b->stamp + b->slot_cap, 0xff, (cap - b->slot_cap) * sizeof *stamp);
	b->slot_cap = cap;
	return SH_OK;
}

/* Term id of stem in lang (added when new). */
static int term_id(builder *b, const char *lang, const char *stem, size_t len, uint32_t *id)
{
	char key[256];
	size_t klen = sh_rank_term_key(key, sizeof key, lang, stem, len);
	if (klen == 0) { /* absurdly long word: truncated key, still a consistent term */
		klen = sh_rank_term_key(key, sizeof key, lang, stem, 200);
	}
	int rc = sh_tdb_add(&b->dict, key, klen, id);
	if (rc < 0)
		return rc;
	return grow_term_arrays(b);
}

/* Adds one count of term to the current skill document's field. */
static int count_field(builder *b, uint32_t term, uint32_t concept, uint8_t lang, int field)
{
	raw_post *rp;
	if (b->stamp[term] == b->doc) {
		rp = (raw_post *)b->raw.data + b->slot[term];
	} else {
		raw_post fresh = { term, concept, { 0, 0, 0, 0 }, 0, lang, 0 };
		b->stamp[term] = b->doc;
		b->slot[term] = (uint32_t)(b->raw.len / sizeof fresh);
		if (sh_buf_append(&b->raw, &fresh, sizeof fresh) < 0)
			return sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
		rp = (raw_post *)b->raw.data + b->slot[term];
	}
	if (rp->tf[field] < 255)
		rp->tf[field]++;
	return SH_OK;
}

static void end_document(builder *b, uint32_t desc_len)
{
	raw_post *rp = (raw_post *)b->raw.data;
	size_t n = b->raw.len / sizeof *rp;
	if (n == b->doc_first)
		return;
	for (size_t i = b->doc_first; i < n; i++)
		rp[i].dlen = desc_len > 65535 ? 65535 : (uint16_t)desc_len;
	b->ndocs[rp[b->doc_first].lang]++;
	b->dlen_sum[rp[b->doc_first].lang] += desc_len;
	b->doc_first = n;
	b->doc++;
}

static int add_text(builder *b, const sh_idx_text *t, uint32_t *desc_len)
{
	const sh_rank_source *src = b->src;
	const char *lang = src->langs[t->lang];
	const char *text = src->strings + t->text;
	int is_label = t->kind <= SH_TEXT_HIDDEN;
	int is_skill = src->kind[t->concept] == SH_KIND_SKILL;
	if (!is_label && (t->kind != SH_TEXT_DESCRIPTION || !is_skill))
		return SH_OK;
	sh_rank_text *an = &b->an[t->lang];
	int rc = sh_rank_text_analyze(an, lang, text, strlen(text));
	if (rc < 0 || an->nwords == 0)
		return rc;
	uint32_t label = (uint32_t)(b->labels.len / sizeof(sh_rank_label));
	uint32_t first = (uint32_t)(b->lterms.len / sizeof(uint32_t));
	size_t nwords = an->nwords > 65535 ? 65535 : an->nwords;
	for (size_t i = 0; i < nwords; i++) {
		uint32_t id;
		if ((rc = term_id(b, lang, sh_rank_text_stem(an, i), an->words[i].stem_len, &id)) < 0)
			return rc;
		if (is_skill && (rc = count_field(b, id, t->concept, t->lang, t->kind - SH_TEXT_PREFERRED)) < 0)
			return rc;
		if (is_label && sh_buf_append(&b->lterms, &id, sizeof id) < 0)
			return sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	}
	if (!is_label) {
		*desc_len += (uint32_t)nwords;
		return SH_OK;
	}
	sh_rank_label rec = { t->concept, first, (uint16_t)nwords, t->kind, t->lang, 0 };
	if (sh_buf_append(&b->labels, &rec, sizeof rec) < 0)
		return sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	b->nlabels_lang[t->lang]++;
	/* one (term, label) pair per distinct term of the label */
	const uint32_t *ids = (const uint32_t *)b->lterms.data + first;
	for (size_t i = 0; i < nwords; i++) {
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = ids[j] == ids[i];
		uint32_t pair[2] = { ids[i], label };
		if (!dup && sh_buf_append(&b->lpairs, pair, sizeof pair) < 0)
			return sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	}
	return SH_OK;
}

static float bm25_idf(double n, double df)
{
	return (float)log(1.0 + (n - df + 0.5) / (df + 0.5));
}

/* Query weights from the corpus: log(N / df) / log(10), clamped to [0.05, 1]. */
static int corpus_weights(builder *b, sh_rank_term *terms)
{
	const sh_rank_source *src = b->src;
	FILE *f = fopen(src->corpus, "r");
	if (!f)
		return sh_error(SH_EIO, "%s: cannot open the job-ad corpus", src->corpus);
	uint32_t nterms = b->dict.nterms;
	uint32_t *df = calloc(nterms ? nterms : 1, sizeof *df);
	uint32_t *seen = calloc(nterms ? nterms : 1, sizeof *seen);
	sh_rank_text an = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint32_t ndocs = 0;
	int rc = df && seen ? SH_OK : sh_error(SH_ENOMEM, "out of memory reading the job-ad corpus");
	const char *lang = src->corpus_lang ? src->corpus_lang : "en";
	while (rc == SH_OK && (len = getline(&line, &cap, f)) > 0) {
		if ((rc = sh_rank_text_analyze(&an, lang, line, (size_t)len)) < 0)
			break;
		ndocs++;
		for (size_t i = 0; i < an.nwords; i++) {
			char key[256];
			size_t klen = sh_rank_term_key(key, sizeof key, lang, sh_rank_text_stem(&an, i), an.words[i].stem_len);
			uint32_t id = klen ? sh_tdb_find(&b->dict, key, klen) : SH_TERM_NONE;
			if (id != SH_TERM_NONE && seen[id] != ndocs) {
				seen[id] = ndocs;
				df[id]++;
			}
		}
	}
	if (rc == SH_OK && ferror(f))
		rc = sh_error(SH_EIO, "%s: read error", src->corpus);
	for (uint32_t t = 0; rc == SH_OK && t < nterms; t++) {
		if (df[t] == 0 || ndocs < 100)
			continue;
		double w = log((double)ndocs / df[t]) / log(10.0);
		terms[t].qweight = (float)(w < 0.05 ? 0.05 : w > 1 ? 1 : w);
	}
	free(line);
	free(df);
	free(seen);
	sh_rank_text_free(&an);
	fclose(f);
	return rc;
}

/* Field weights and saturation of the BM25F document weight (docs/ranking.md). */
#define RANK_K1        1.2
#define RANK_W_PREF    2.0
#define RANK_W_ALT     1.0
#define RANK_W_HIDDEN  0.5
#define RANK_W_DESC    0.6
#define RANK_B_DESC    0.75

static int lay_out(builder *b, sh_idx_writer *w)
{
	const sh_rank_source *src = b->src;
	uint32_t nterms = b->dict.nterms;
	sh_rank_label *labels = (sh_rank_label *)b->labels.data;
	uint32_t nlabels = (uint32_t)(b->labels.len / sizeof *labels);
	const uint32_t *lterms = (const uint32_t *)b->lterms.data;
	uint32_t nlterms = (uint32_t)(b->lterms.len / sizeof *lterms);
	const uint32_t *pairs = (const uint32_t *)b->lpairs.data;
	size_t npairs = b->lpairs.len / (2 * sizeof *pairs);
	const raw_post *raw = (const raw_post *)b->raw.data;
	size_t nraw = b->raw.len / sizeof *raw;
	int rc = SH_OK;

	sh_rank_term *terms = calloc(nterms + 1, sizeof *terms);
	float *sidf = calloc(nterms + 1, sizeof *sidf);
	uint32_t *lpost = malloc((npairs + 1) * sizeof *lpost);
	sh_rank_posting *spost = malloc((nraw + 1) * sizeof *spost);
	sh_rank_posting *fpost = malloc((nraw + 1) * sizeof *fpost);
	uint32_t *ffirst = calloc(src->nconcepts + 1, sizeof *ffirst);
	uint32_t *lfirst = calloc(src->nconcepts + 1, sizeof *lfirst);
	sh_rank_concept *concepts = calloc(src->nconcepts + 1, sizeof *concepts);
	sh_buf dict = SH_BUF_INIT;
	if (!terms || !sidf || !lpost || !spost || !fpost || !ffirst || !lfirst || !concepts) {
		rc = sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
		goto done;
	}
	/* counts, document idf, then offsets (a counting sort by term) */
	for (size_t i = 0; i < npairs; i++)
		terms[pairs[2 * i]].nlpost++;
	for (size_t i = 0; i < nraw; i++)
		terms[raw[i].term].nspost++;
	for (size_t i = 0; i < nraw; i++)
		sidf[raw[i].term] = bm25_idf(b->ndocs[raw[i].lang], terms[raw[i].term].nspost);
	uint32_t lo = 0, so = 0;
	for (uint32_t t = 0; t < nterms; t++) {
		terms[t].lpost = lo;
		terms[t].spost = so;
		lo += terms[t].nlpost;
		so += terms[t].nspost;
		terms[t].nlpost = terms[t].nspost = 0;
		terms[t].qweight = 1.0f;
	}
	for (size_t i = 0; i < npairs; i++) {
		sh_rank_term *t = &terms[pairs[2 * i]];
		lpost[t->lpost + t->nlpost++] = pairs[2 * i + 1];
	}
	/* label idf, over the labels of the term's language */
	for (uint32_t t = 0; t < nterms; t++)
		if (terms[t].nlpost)
			terms[t].idf = bm25_idf(b->nlabels_lang[labels[lpost[terms[t].lpost]].lang], terms[t].nlpost);
	for (uint32_t i = 0; i < nlabels; i++) {
		float mass = 0;
		const uint32_t *ids = lterms + labels[i].terms;
		for (uint32_t k = 0; k < labels[i].nterms; k++) {
			int dup = 0;
			for (uint32_t j = 0; j < k && !dup; j++)
				dup = ids[j] == ids[k];
			if (!dup)
				mass += terms[ids[k]].idf;
		}
		labels[i].mass = mass;
	}
	/* skill postings: the BM25F weight of the term in the document, times its idf */
	for (size_t i = 0; i < nraw; i++) {
		const raw_post *r = &raw[i];
		sh_rank_term *t = &terms[r->term];
		double avg = b->ndocs[r->lang] ? b->dlen_sum[r->lang] / b->ndocs[r->lang] : 1;
		double alt = r->tf[1] ? 2.0 * r->tf[1] / (r->tf[1] + 1.0) : 0;
		double tf = RANK_W_PREF * r->tf[0] + RANK_W_ALT * alt + RANK_W_HIDDEN * (r->tf[2] ? 1 : 0)
		          + RANK_W_DESC * r->tf[3] / (1 - RANK_B_DESC + RANK_B_DESC * (r->dlen + 1) / (avg + 1));
		double weight = sidf[r->term] * tf * (RANK_K1 + 1) / (RANK_K1 + tf);
		spost[t->spost + t->nspost++] = (sh_rank_posting){ r->concept, (float)weight };
		fpost[i] = (sh_rank_posting){ r->term, (float)weight };
		ffirst[r->concept + 1]++;
	}
	/* raw postings and label records come in concept order (text records are sorted by concept) */
	for (uint32_t i = 0; i < nlabels; i++)
		lfirst[labels[i].concept + 1]++;
	for (uint32_t c = 0; c < src->nconcepts; c++) {
		ffirst[c + 1] += ffirst[c];
		lfirst[c + 1] += lfirst[c];
	}
	for (uint32_t c = 0; c < src->nconcepts; c++)
		concepts[c] = (sh_rank_concept){ src->prior ? src->prior[c] : 0, src->kind[c] };
	if (src->corpus && (rc = corpus_weights(b, terms)) < 0)
		goto done;
	uint32_t header[8] = { SH_RANK_MAGIC, src->nconcepts, nterms, nlabels, (uint32_t)npairs,
	                       (uint32_t)nraw, nlterms, 0 };
	if ((rc = sh_tdb_serialize(&b->dict, &dict)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_HEAD, header, sizeof header)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_DICT, dict.data, dict.len)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_TERMS, terms, nterms * sizeof *terms)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_LPOST, lpost, npairs * sizeof *lpost)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_SPOST, spost, nraw * sizeof *spost)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_LABELS, labels, nlabels * sizeof *labels)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_LTERMS, lterms, nlterms * sizeof *lterms)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_CONCEPTS, concepts, src->nconcepts * sizeof *concepts)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_CLABELS, lfirst, (src->nconcepts + 1) * sizeof *lfirst)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_FFIRST, ffirst, (src->nconcepts + 1) * sizeof *ffirst)) < 0 ||
	    (rc = sh_idxw_add(w, SH_SEC_RANK_FPOST, fpost, nraw * sizeof *fpost)) < 0)
		goto done;
done:
	sh_buf_free(&dict);
	free(terms);
	free(sidf);
	free(lpost);
	free(spost);
	free(fpost);
	free(ffirst);
	free(lfirst);
	free(concepts);
	return rc;
}

int sh_rank_build(const sh_rank_source *src, sh_idx_writer *w)
{
	builder b = { .src = src };
	int rc = SH_OK;
	sh_tdb_init(&b.dict);
	b.an = calloc(src->nlangs + 1, sizeof *b.an);
	b.ndocs = calloc(src->nlangs + 1, sizeof *b.ndocs);
	b.dlen_sum = calloc(src->nlangs + 1, sizeof *b.dlen_sum);
	b.nlabels_lang = calloc(src->nlangs + 1, sizeof *b.nlabels_lang);
	if (!b.an || !b.ndocs || !b.dlen_sum || !b.nlabels_lang)
		rc = sh_error(SH_ENOMEM, "out of memory compiling the ranking index");
	uint32_t desc_len = 0;
	for (size_t i = 0; rc == SH_OK && i < src->ntexts; i++) {
		const sh_idx_text *t = &src->texts[i];
		if (i > 0 && (t->concept != src->texts[i - 1].concept || t->lang != src->texts[i - 1].lang)) {
			end_document(&b, desc_len);
			desc_len = 0;
		}
		if (src->kind[t->concept] == SH_KIND_SKILL || src->kind[t->concept] == SH_KIND_OCCUPATION)
			rc = add_text(&b, t, &desc_len);
	}
	if (rc == SH_OK) {
		end_document(&b, desc_len);
		rc = lay_out(&b, w);
	}
	for (size_t l = 0; b.an && l < src->nlangs; l++)
		sh_rank_text_free(&b.an[l]);
	free(b.an);
	free(b.ndocs);
	free(b.dlen_sum);
	free(b.nlabels_lang);
	free(b.slot);
	free(b.stamp);
	sh_tdb_free(&b.dict);
	sh_buf_free(&b.labels);
	sh_buf_free(&b.lterms);
	sh_buf_free(&b.lpairs);
	sh_buf_free(&b.raw);
	return rc;
}
