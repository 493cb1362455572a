/*
 * pathways/pathways.c - the sh_pathways context: skill specificity weights,
 * occupation skill vectors and the inverted index over them.
 *
 * Built in two linear passes over the index's occupation -> skill relations
 * (count, then fill), so construction is O(concepts + relations), a few
 * milliseconds for ESCO.  Weights are defined in skillhub/pathways.h and
 * docs/pathways.md.
 */
#include "pathways/pathways_internal.h"
#include "index/index_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double reuse_factor(const char *reuse)
{
	if (strcmp(reuse, "transversal") == 0)
		return 0.5;
	if (strcmp(reuse, "cross-sector") == 0)
		return 0.75;
	return 1.0;
}

static int compute_weights(sh_pathways *pw)
{
	const sh_index *idx = pw->idx;
	pw->weight = calloc(pw->nconcepts ? pw->nconcepts : 1, sizeof *pw->weight);
	if (!pw->weight)
		return sh_error(SH_ENOMEM, "out of memory");
	for (sh_cid c = 0; c < pw->nconcepts; c++) {
		sh_kind k = sh_concept_kind(idx, c);
		if (k != SH_KIND_SKILL && k != SH_KIND_SKILL_GROUP)
			continue;
		const sh_cid *r;
		size_t n = sh_concept_related(idx, c, SH_REL_ESSENTIAL_FOR, &r) +
		           sh_concept_related(idx, c, SH_REL_OPTIONAL_FOR, &r);
		double idf = log(1.0 + (double)pw->nocc / (1.0 + (double)n));
		pw->weight[c] = idf * reuse_factor(sh_index_str(idx, idx->concepts[c].reuse_level));
	}
	return SH_OK;
}

void sh_occupation_isco(const sh_index *idx, sh_cid occupation, char out[5])
{
	const sh_cid *g;
	size_t i = 0;
	if (sh_concept_related(idx, occupation, SH_REL_ISCO_GROUP, &g)) {
		const char *code = sh_index_str(idx, idx->concepts[g[0]].code);
		for (; i < 4 && code[i] >= '0' && code[i] <= '9'; i++)
			out[i] = code[i];
	}
	out[i] = '\0';
}

/* Slot -> ISCO code of the occupation's unit group. */
static void fill_isco(sh_pathways *pw)
{
	for (uint32_t s = 0; s < pw->nocc; s++)
		sh_occupation_isco(pw->idx, pw->occ[s], pw->isco[s]);
}

int sh_isco_shared_digits(const char *a, const char *b)
{
	int n = 0;
	while (n < 4 && a[n] && a[n] == b[n])
		n++;
	return n;
}

static int fill_vectors(sh_pathways *pw)
{
	const sh_index *idx = pw->idx;
	pw->vec_off = calloc(pw->nocc + 1, sizeof *pw->vec_off);
	pw->vec_norm = calloc(pw->nocc ? pw->nocc : 1, sizeof *pw->vec_norm);
	pw->inv_off = calloc((size_t)pw->nconcepts + 1, sizeof *pw->inv_off);
	if (!pw->vec_off || !pw->vec_norm || !pw->inv_off)
		return sh_error(SH_ENOMEM, "out of memory");
	for (uint32_t s = 0; s < pw->nocc; s++) {
		const sh_cid *r;
		size_t n = sh_concept_related(idx, pw->occ[s], SH_REL_ESSENTIAL_SKILL, &r);
		n += sh_concept_related(idx, pw->occ[s], SH_REL_OPTIONAL_SKILL, &r);
		pw->vec_off[s + 1] = pw->vec_off[s] + (uint32_t)n;
	}
	size_t total = pw->vec_off[pw->nocc];
	pw->vec_skill = malloc((total ? total : 1) * sizeof *pw->vec_skill);
	pw->vec_w = malloc((total ? total : 1) * sizeof *pw->vec_w);
	pw->inv_slot = malloc((total ? total : 1) * sizeof *pw->inv_slot);
	pw->inv_w = malloc((total ? total : 1) * sizeof *pw->inv_w);
	if (!pw->vec_skill || !pw->vec_w || !pw->inv_slot || !pw->inv_w)
		return sh_error(SH_ENOMEM, "out of memory");
	for (uint32_t s = 0; s < pw->nocc; s++) {
		uint32_t at = pw->vec_off[s];
		for (int pass = 0; pass < 2; pass++) {
			const sh_cid *r;
			size_t n = sh_concept_related(idx, pw->occ[s],
			                              pass ? SH_REL_OPTIONAL_SKILL : SH_REL_ESSENTIAL_SKILL, &r);
			for (size_t i = 0; i < n; i++, at++) {
				pw->vec_skill[at] = r[i];
				pw->vec_w[at] = pw->weight[r[i]] * (pass ? SH_OPTIONAL_FACTOR : 1.0);
				pw->vec_norm[s] += pw->vec_w[at];
				pw->inv_off[r[i] + 1]++;
			}
		}
	}
	for (uint32_t c = 0; c < pw->nconcepts; c++)
		pw->inv_off[c + 1] += pw->inv_off[c];
	uint32_t *fill = malloc(((size_t)pw->nconcepts + 1) * sizeof *fill);
	if (!fill)
		return sh_error(SH_ENOMEM, "out of memory");
	memcpy(fill, pw->inv_off, ((size_t)pw->nconcepts + 1) * sizeof *fill);
	for (uint32_t s = 0; s < pw->nocc; s++)
		for (uint32_t e = pw->vec_off[s]; e < pw->vec_off[s + 1]; e++) {
			uint32_t at = fill[pw->vec_skill[e]]++;
			pw->inv_slot[at] = s;
			pw->inv_w[at] = pw->vec_w[e];
		}
	free(fill);
	return SH_OK;
}

/* Collections (schemes) holding fewer than half of all occupations, per slot. */
static int fill_collections(sh_pathways *pw)
{
	const sh_index *idx = pw->idx;
	uint32_t *members = calloc(pw->nconcepts ? pw->nconcepts : 1, sizeof *members);
	pw->coll_off = calloc(pw->nocc + 1, sizeof *pw->coll_off);
	if (!members || !pw->coll_off) {
		free(members);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	for (uint32_t s = 0; s < pw->nocc; s++) {
		const sh_cid *r;
		size_t n = sh_concept_related(idx, pw->occ[s], SH_REL_IN_SCHEME, &r);
		for (size_t i = 0; i < n; i++)
			members[r[i]]++;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t s = 0; s < pw->nocc; s++) {
			const sh_cid *r;
			size_t n = sh_concept_related(idx, pw->occ[s], SH_REL_IN_SCHEME, &r);
			uint32_t at = pw->coll_off[s];
			for (size_t i = 0; i < n; i++) {
				if (2 * (size_t)members[r[i]] >= pw->nocc)
					continue;
				if (pass)
					pw->coll[at] = r[i]; /* relation targets are sorted by cid */
				at++;
			}
			if (!pass)
				pw->coll_off[s + 1] = pw->coll_off[s] + (at - pw->coll_off[s]);
		}
		if (!pass && !(pw->coll = malloc((pw->coll_off[pw->nocc] + 1) * sizeof *pw->coll))) {
			free(members);
			return sh_error(SH_ENOMEM, "out of memory");
		}
	}
	free(members);
	return SH_OK;
}

int sh_pathways_new(sh_pathways **out, const sh_index *idx)
{
	*out = NULL;
	sh_pathways *pw = calloc(1, sizeof *pw);
	if (!pw)
		return sh_error(SH_ENOMEM, "out of memory");
	pw->idx = idx;
	pw->nconcepts = (uint32_t)sh_index_concept_count(idx);
	pw->occ_slot = malloc((pw->nconcepts ? pw->nconcepts : 1) * sizeof *pw->occ_slot);
	pw->occ = malloc((pw->nconcepts ? pw->nconcepts : 1) * sizeof *pw->occ);
	int rc = SH_OK;
	if (!pw->occ_slot || !pw->occ) {
		rc = sh_error(SH_ENOMEM, "out of memory");
		goto done;
	}
	for (sh_cid c = 0; c < pw->nconcepts; c++) {
		pw->occ_slot[c] = SH_NO_SLOT;
		if (sh_concept_kind(idx, c) == SH_KIND_OCCUPATION) {
			pw->occ_slot[c] = pw->nocc;
			pw->occ[pw->nocc++] = c;
		}
	}
	if (!(pw->isco = malloc((pw->nocc ? pw->nocc : 1) * sizeof *pw->isco))) {
		rc = sh_error(SH_ENOMEM, "out of memory");
		goto done;
	}
	fill_isco(pw);
	if (!(rc = compute_weights(pw)) && !(rc = fill_vectors(pw)))
		rc = fill_collections(pw);
done:
	if (rc)
		sh_pathways_free(pw);
	else
		*out = pw;
	return rc;
}

void sh_pathways_free(sh_pathways *pw)
{
	if (!pw)
		return;
	free(pw->weight);
	free(pw->occ);
	free(pw->occ_slot);
	free(pw->vec_off);
	free(pw->vec_skill);
	free(pw->vec_w);
	free(pw->vec_norm);
	free(pw->inv_off);
	free(pw->inv_slot);
	free(pw->inv_w);
	free(pw->isco);
	free(pw->coll_off);
	free(pw->coll);
	free(pw);
}

double sh_skill_weight(const sh_pathways *pw, sh_cid skill)
{
	return skill < pw->nconcepts ? pw->weight[skill] : 0.0;
}
