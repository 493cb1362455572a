/*
 * intel/agg.c - building and merging aggregates in memory (agg.h).
 *
 * Adding an ad interns its dimension strings, adds 1 to its cell, 1 to each
 * distinct skill of the cell and 1 to each pair among its first
 * SH_AGG_PAIR_SKILLS distinct skills.  Merging re-interns the other
 * aggregate's strings and adds its counts record by record, so the result
 * does not depend on either aggregate's ids: merge is exact, commutative and
 * associative (counts are sums over disjoint ad sets).
 */
#include "intel/agg.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int sh_agg_new(sh_agg **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return sh_error(SH_ENOMEM, "out of memory (aggregate)");
	(*out)->cellkey.words = SH_DIMS;
	(*out)->skillkey.words = 2;
	(*out)->pairkey.words = 3;
	(*out)->keyed = 1;
	return SH_OK;
}

void sh_agg_free(sh_agg *agg)
{
	if (!agg)
		return;
	sh_strtab_free(&agg->str);
	free(agg->cell);
	free(agg->skill);
	free(agg->pair);
	sh_ktab_free(&agg->cellkey);
	sh_ktab_free(&agg->skillkey);
	sh_ktab_free(&agg->pairkey);
	free(agg);
}

int64_t sh_agg_total_ads(const sh_agg *agg)
{
	return agg->total;
}

/* Makes room for one more record of size elem in *arr (n used of *cap). */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return SH_OK;
	if (n >= UINT32_MAX - 1)
		return sh_error(SH_EINVAL, "aggregate: more than 2^32 records of one kind");
	size_t ncap = *cap ? *cap * 2 : 1024;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return sh_error(SH_ENOMEM, "out of memory (aggregate of %zu records)", ncap);
	*arr = p;
	*cap = ncap;
	return SH_OK;
}

/* Builds the key tables of an aggregate whose records were appended. */
static int build_keys(sh_agg *agg)
{
	uint32_t v;
	int added, rc = SH_OK;
	for (size_t i = 0; !rc && i < agg->ncell; i++)
		rc = sh_ktab_get_or_add(&agg->cellkey, agg->cell[i].dim, (uint32_t)i, &v, &added);
	for (size_t i = 0; !rc && i < agg->nskill; i++) {
		uint32_t key[2] = { agg->skill[i].cell, agg->skill[i].skill };
		rc = sh_ktab_get_or_add(&agg->skillkey, key, (uint32_t)i, &v, &added);
	}
	for (size_t i = 0; !rc && i < agg->npair; i++) {
		uint32_t key[3] = { agg->pair[i].period, agg->pair[i].a, agg->pair[i].b };
		rc = sh_ktab_get_or_add(&agg->pairkey, key, (uint32_t)i, &v, &added);
	}
	agg->keyed = !rc;
	return rc;
}

int sh_agg_append_cell(sh_agg *agg, const uint32_t dim[SH_DIMS], int64_t n)
{
	if (grow((void **)&agg->cell, agg->ncell, &agg->capcell, sizeof *agg->cell))
		return SH_ENOMEM;
	sh_agg_cell *c = &agg->cell[agg->ncell++];
	memcpy(c->dim, dim, sizeof c->dim);
	c->ads = n;
	agg->total += n;
	return SH_OK;
}

int sh_agg_append_skill(sh_agg *agg, uint32_t cell, uint32_t skill, int64_t n)
{
	if (grow((void **)&agg->skill, agg->nskill, &agg->capskill, sizeof *agg->skill))
		return SH_ENOMEM;
	agg->skill[agg->nskill++] = (sh_agg_skill){ cell, skill, n };
	return SH_OK;
}

int sh_agg_append_pair(sh_agg *agg, uint32_t period, uint32_t a, uint32_t b, int64_t n)
{
	if (grow((void **)&agg->pair, agg->npair, &agg->cappair, sizeof *agg->pair))
		return SH_ENOMEM;
	agg->pair[agg->npair++] = (sh_agg_pair){ period, a, b, n };
	return SH_OK;
}

int sh_agg_add_cell(sh_agg *agg, const uint32_t dim[SH_DIMS], int64_t n, uint32_t *cell)
{
	int added;
	if ((!agg->keyed && build_keys(agg)) ||
	    grow((void **)&agg->cell, agg->ncell, &agg->capcell, sizeof *agg->cell) ||
	    sh_ktab_get_or_add(&agg->cellkey, dim, (uint32_t)agg->ncell, cell, &added))
		return SH_ENOMEM;
	if (added) {
		memcpy(agg->cell[*cell].dim, dim, sizeof agg->cell[*cell].dim);
		agg->cell[*cell].ads = 0;
		agg->ncell++;
	}
	agg->cell[*cell].ads += n;
	agg->total += n;
	return SH_OK;
}

int sh_agg_add_skill(sh_agg *agg, uint32_t cell, uint32_t skill, int64_t n)
{
	uint32_t key[2] = { cell, skill }, i;
	int added;
	if ((!agg->keyed && build_keys(agg)) ||
	    grow((void **)&agg->skill, agg->nskill, &agg->capskill, sizeof *agg->skill) ||
	    sh_ktab_get_or_add(&agg->skillkey, key, (uint32_t)agg->nskill, &i, &added))
		return SH_ENOMEM;
	if (added) {
		agg->skill[i] = (sh_agg_skill){ cell, skill, 0 };
		agg->nskill++;
	}
	agg->skill[i].ads += n;
	return SH_OK;
}

int sh_agg_add_pair(sh_agg *agg, uint32_t period, uint32_t a, uint32_t b, int64_t n)
{
	if (strcmp(agg->str.str[a], agg->str.str[b]) > 0) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	uint32_t key[3] = { period, a, b }, i;
	int added;
	if ((!agg->keyed && build_keys(agg)) ||
	    grow((void **)&agg->pair, agg->npair, &agg->cappair, sizeof *agg->pair) ||
	    sh_ktab_get_or_add(&agg->pairkey, key, (uint32_t)agg->npair, &i, &added))
		return SH_ENOMEM;
	if (added) {
		agg->pair[i] = (sh_agg_pair){ period, a, b, 0 };
		agg->npair++;
	}
	agg->pair[i].ads += n;
	return SH_OK;
}

void sh_agg_month(const char *s, char out[8])
{
	out[0] = '\0';
	if (!s || strlen(s) < 7)
		return;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return;
	if (s[7] && s[7] != '-')
		return;
	int month = (s[5] - '0') * 10 + (s[6] - '0');
	if (month < 1 || month > 12)
		return;
	memcpy(out, s, 7);
	out[7] = '\0';
}

static int intern(sh_agg *agg, const char *s, uint32_t *id)
{
	return sh_strtab_intern(&agg->str, s ? s : "", s ? strlen(s) : 0, id);
}

int sh_agg_add_ad(sh_agg *agg, const sh_agg_ad *ad)
{
	char month[8];
	sh_agg_month(ad->period, month);
	const char *value[SH_DIMS] = { month, ad->country, ad->region, ad->occupation, ad->sector };
	uint32_t dim[SH_DIMS], cell;
	for (int d = 0; d < SH_DIMS; d++)
		if (intern(agg, value[d], &dim[d]))
			return SH_ENOMEM;
	if (sh_agg_add_cell(agg, dim, 1, &cell))
		return SH_ENOMEM;
	uint32_t first[SH_AGG_PAIR_SKILLS];
	size_t nfirst = 0;
	for (size_t i = 0; i < ad->nskills; i++) {
		if (!ad->skills[i] || !*ad->skills[i])
			return sh_error(SH_EINVAL, "aggregate: skill %zu of an ad is empty", i);
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(ad->skills[i], ad->skills[j]) == 0;
		if (seen)
			continue;
		uint32_t skill;
		if (intern(agg, ad->skills[i], &skill) || sh_agg_add_skill(agg, cell, skill, 1))
			return SH_ENOMEM;
		if (nfirst < SH_AGG_PAIR_SKILLS)
			first[nfirst++] = skill;
	}
	for (size_t i = 0; i < nfirst; i++)
		for (size_t j = i + 1; j < nfirst; j++)
			if (sh_agg_add_pair(agg, dim[SH_DIM_PERIOD], first[i], first[j], 1))
				return SH_ENOMEM;
	return SH_OK;
}

int sh_agg_merge(sh_agg *into, const sh_agg *from)
{
	uint32_t *map = malloc((from->str.n ? from->str.n : 1) * sizeof *map);
	uint32_t *cellmap = malloc((from->ncell ? from->ncell : 1) * sizeof *cellmap);
	int rc = map && cellmap ? SH_OK : sh_error(SH_ENOMEM, "out of memory (merge)");
	for (size_t i = 0; !rc && i < from->str.n; i++)
		rc = intern(into, from->str.str[i], &map[i]);
	for (size_t i = 0; !rc && i < from->ncell; i++) {
		uint32_t dim[SH_DIMS];
		for (int d = 0; d < SH_DIMS; d++)
			dim[d] = map[from->cell[i].dim[d]];
		rc = sh_agg_add_cell(into, dim, from->cell[i].ads, &cellmap[i]);
	}
	for (size_t i = 0; !rc && i < from->nskill; i++)
		rc = sh_agg_add_skill(into, cellmap[from->skill[i].cell], map[from->skill[i].skill],
		                      from->skill[i].ads);
	for (size_t i = 0; !rc && i < from->npair; i++)
		rc = sh_agg_add_pair(into, map[from->pair[i].period], map[from->pair[i].a],
		                     map[from->pair[i].b], from->pair[i].ads);
	free(map);
	free(cellmap);
	return rc;
}
