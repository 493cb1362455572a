/*
 * intel/query.c - demand, co-occurrence, occupation and chart queries over
 * an aggregate (skillhub/intel.h, query.h).
 *
 * Every query compiles its filter once into per-cell and per-skill flags
 * (sh_intel_sel_init), then makes one pass over the aggregate's records,
 * summing counts into an array indexed by the aggregate's string ids: its
 * cost is linear in the number of records, independent of the number of ads.
 */
#include "intel/query.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int cmp_demand(const void *a, const void *b)
{
	const sh_skill_demand *x = a, *y = b;
	if (x->ads != y->ads)
		return x->ads > y->ads ? -1 : 1;
	return strcmp(x->uri, y->uri);
}

/* Turns per-string counts into a sorted, limited sh_demand (counts[] freed by the caller). */
static int collect(const sh_intel *in, const sh_intel_sel *s, const sh_agg *agg, const int64_t *counts,
                   int64_t total, size_t limit, sh_demand *out)
{
	size_t n = 0;
	for (size_t i = 0; i < agg->str.n; i++)
		n += counts[i] > 0;
	out->total_ads = total;
	out->skills = malloc((n ? n : 1) * sizeof *out->skills);
	out->n = 0;
	if (!out->skills)
		return sh_error(SH_ENOMEM, "out of memory (%zu skills)", n);
	for (size_t i = 0; i < agg->str.n; i++)
		if (counts[i] > 0)
			out->skills[out->n++] = (sh_skill_demand){
				agg->str.str[i], sh_intel_label(in, s, agg, (uint32_t)i), counts[i],
				total ? (double)counts[i] / (double)total : 0.0, "" };
	qsort(out->skills, out->n, sizeof *out->skills, cmp_demand);
	if (limit && out->n > limit)
		out->n = limit;
	return SH_OK;
}

void sh_demand_free(sh_demand *d)
{
	free(d->skills);
	memset(d, 0, sizeof *d);
}

/* Ads of the cells that pass, and per skill string the ads asking for it. */
static int64_t count_skills(const sh_agg *agg, const sh_intel_sel *s, int64_t *counts)
{
	int64_t total = 0;
	for (size_t i = 0; i < agg->ncell; i++)
		if (s->cell_ok[i])
			total += agg->cell[i].ads;
	for (size_t i = 0; i < agg->nskill; i++) {
		const sh_agg_skill *k = &agg->skill[i];
		if (s->cell_ok[k->cell] && s->skill_ok[k->skill])
			counts[k->skill] += k->ads;
	}
	return total;
}

int sh_intel_demand(const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f, size_t limit,
                    sh_demand *out)
{
	memset(out, 0, sizeof *out);
	sh_intel_sel s;
	int rc = sh_intel_sel_init(&s, in, agg, f);
	if (rc)
		return rc;
	int64_t *counts = calloc(agg->str.n ? agg->str.n : 1, sizeof *counts);
	if (!counts)
		rc = sh_error(SH_ENOMEM, "out of memory (demand)");
	else
		rc = collect(in, &s, agg, counts, count_skills(agg, &s, counts), limit, out);
	free(counts);
	sh_intel_sel_free(&s);
	return rc;
}

int sh_intel_cooccur(const sh_intel *in, const sh_agg *agg, const char *skill, const sh_intel_filter *f,
                     size_t limit, sh_demand *out)
{
	memset(out, 0, sizeof *out);
	/* Pairs have the period as their only dimension: so does the skill's total. */
	sh_intel_filter pf = { .period_from = f->period_from, .period_to = f->period_to,
	                       .skill_group = f->skill_group, .collection = f->collection };
	sh_intel_sel s;
	int rc = sh_intel_sel_init(&s, in, agg, &pf);
	if (rc)
		return rc;
	uint32_t id;
	int64_t *counts = calloc(agg->str.n ? agg->str.n : 1, sizeof *counts);
	if (!counts) {
		rc = sh_error(SH_ENOMEM, "out of memory (co-occurrence)");
	} else if (!sh_strtab_find(&agg->str, skill, &id)) {
		rc = collect(in, &s, agg, counts, 0, limit, out); /* never asked: no partners */
	} else {
		int64_t total = 0;
		for (size_t i = 0; i < agg->nskill; i++)
			if (agg->skill[i].skill == id && s.cell_ok[agg->skill[i].cell])
				total += agg->skill[i].ads;
		for (size_t i = 0; i < agg->npair; i++) {
			const sh_agg_pair *p = &agg->pair[i];
			if ((p->a != id && p->b != id) ||
			    !sh_intel_in_range(agg->str.str[p->period], s.from, s.to))
				continue;
			uint32_t other = p->a == id ? p->b : p->a;
			if (s.skill_ok[other])
				counts[other] += p->ads;
		}
		rc = collect(in, &s, agg, counts, total, limit, out);
	}
	free(counts);
	sh_intel_sel_free(&s);
	return rc;
}

static int cmp_label(const void *a, const void *b)
{
	const sh_skill_demand *x = a, *y = b;
	int c = strcmp(x->label, y->label);
	return c ? c : strcmp(x->uri, y->uri);
}

/* Fills the ESCO side of an occupation report from the demand already in r->seen. */
static int compare_with_esco(const sh_intel *in, uint32_t occ, sh_occupation_report *r)
{
	const sh_intel_concept *o = &in->concept[occ];
	r->never_asked = malloc((o->noccskills ? o->noccskills : 1) * sizeof *r->never_asked);
	if (!r->never_asked)
		return sh_error(SH_ENOMEM, "out of memory (occupation report)");
	r->not_in_esco = r->seen.n;
	for (uint32_t i = 0; i < o->noccskills; i++) {
		const sh_intel_occskill *os = &in->occskill[o->occskills + i];
		const char *uri = in->uri.str[os->skill];
		int essential = os->relation == SH_REL_ESSENTIAL;
		sh_skill_demand *seen = NULL;
		for (size_t k = 0; k < r->seen.n && !seen; k++)
			if (strcmp(r->seen.skills[k].uri, uri) == 0)
				seen = &r->seen.skills[k];
		*(essential ? &r->essential : &r->optional) += 1;
		if (seen) {
			seen->relation = essential ? "essential" : "optional";
			*(essential ? &r->essential_seen : &r->optional_seen) += 1;
			r->not_in_esco--;
		} else if (essential) {
			r->never_asked[r->nnever_asked++] = (sh_skill_demand){
				uri, in->concept[os->skill].label, 0, 0.0, "essential" };
		}
	}
	qsort(r->never_asked, r->nnever_asked, sizeof *r->never_asked, cmp_label);
	return SH_OK;
}

int sh_intel_occupation(const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f,
                        sh_occupation_report *r)
{
	memset(r, 0, sizeof *r);
	uint32_t occ;
	if (!f->occupation || !sh_strtab_find(&in->uri, f->occupation, &occ) || in->concept[occ].kind != 'o')
		return sh_error(SH_EINVAL, "occupation '%s': an occupation URI is required",
		                f->occupation ? f->occupation : "");
	r->uri = in->uri.str[occ];
	r->label = in->concept[occ].label;
	int rc = sh_intel_demand(in, agg, f, 0, &r->seen);
	if (!rc)
		rc = compare_with_esco(in, occ, r);
	if (rc)
		sh_occupation_report_free(r);
	return rc;
}

void sh_occupation_report_free(sh_occupation_report *r)
{
	sh_demand_free(&r->seen);
	free(r->never_asked);
	memset(r, 0, sizeof *r);
}

/* ---- charts ------------------------------------------------------------------------ */

static int cmp_month(const void *a, const void *b)
{
	return strcmp(a, b);
}

int sh_intel_series(const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f,
                    const char *const *skills, size_t nskills, sh_series *out)
{
	memset(out, 0, sizeof *out);
	sh_intel_sel s;
	int rc = sh_intel_sel_init(&s, in, agg, f);
	if (rc)
		return rc;
	size_t nstr = agg->str.n ? agg->str.n : 1;
	int32_t *pindex = malloc(nstr * sizeof *pindex), *kindex = malloc(nstr * sizeof *kindex);
	out->period = malloc(nstr * sizeof *out->period);
	out->uri = malloc((nskills ? nskills : 1) * sizeof *out->uri);
	out->label = malloc((nskills ? nskills : 1) * sizeof *out->label);
	if (!pindex || !kindex || !out->period || !out->uri || !out->label) {
		rc = sh_error(SH_ENOMEM, "out of memory (series)");
		goto done;
	}
	for (size_t i = 0; i < agg->str.n; i++)
		pindex[i] = kindex[i] = -1;
	/* The months of passing cells, sorted; pindex maps a month's string id to its column. */
	for (size_t i = 0; i < agg->ncell; i++) {
		uint32_t p = agg->cell[i].dim[SH_DIM_PERIOD];
		if (s.cell_ok[i] && *agg->str.str[p] && pindex[p] < 0) {
			pindex[p] = 0;
			memcpy(out->period[out->nperiods++], agg->str.str[p], 8);
		}
	}
	qsort(out->period, out->nperiods, sizeof *out->period, cmp_month);
	for (size_t k = 0; k < out->nperiods; k++) {
		uint32_t p;
		sh_strtab_find(&agg->str, out->period[k], &p);
		pindex[p] = (int32_t)k;
	}
	out->nskills = nskills;
	for (size_t k = 0; k < nskills; k++) {
		uint32_t id;
		out->uri[k] = skills[k];
		out->label[k] = skills[k];
		if (sh_strtab_find(&agg->str, skills[k], &id)) {
			kindex[id] = (int32_t)k;
			out->label[k] = sh_intel_label(in, &s, agg, id);
		} else if (sh_strtab_find(&in->uri, skills[k], &id)) {
			out->label[k] = in->concept[id].label;
		}
	}
	out->total = calloc(out->nperiods ? out->nperiods : 1, sizeof *out->total);
	out->ads = calloc(out->nperiods * nskills + 1, sizeof *out->ads);
	if (!out->total || !out->ads) {
		rc = sh_error(SH_ENOMEM, "out of memory (series)");
		goto done;
	}
	for (size_t i = 0; i < agg->ncell; i++)
		if (s.cell_ok[i] && pindex[agg->cell[i].dim[SH_DIM_PERIOD]] >= 0)
			out->total[pindex[agg->cell[i].dim[SH_DIM_PERIOD]]] += agg->cell[i].ads;
	for (size_t i = 0; i < agg->nskill; i++) {
		const sh_agg_skill *k = &agg->skill[i];
		int32_t p = pindex[agg->cell[k->cell].dim[SH_DIM_PERIOD]];
		if (s.cell_ok[k->cell] && p >= 0 && kindex[k->skill] >= 0)
			out->ads[(size_t)kindex[k->skill] * out->nperiods + (size_t)p] += k->ads;
	}
done:
	free(pindex);
	free(kindex);
	sh_intel_sel_free(&s);
	if (rc)
		sh_series_free(out);
	return rc;
}

void sh_series_free(sh_series *s)
{
	free(s->period);
	free(s->total);
	free(s->uri);
	free(s->label);
	free(s->ads);
	memset(s, 0, sizeof *s);
}

static int cmp_ranked(const void *a, const void *b)
{
	const sh_intel_ranked *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

size_t sh_intel_top_ids(const int64_t *count, char *const *key, size_t n, size_t max, sh_intel_ranked *out)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (count[i] > 0)
			out[m++] = (sh_intel_ranked){ (uint32_t)i, count[i], key[i] };
	qsort(out, m, sizeof *out, cmp_ranked);
	return m < max ? m : max;
}

int sh_intel_heat(const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f, size_t max_rows,
                  size_t max_cols, sh_heat *out)
{
	memset(out, 0, sizeof *out);
	sh_intel_sel s;
	int rc = sh_intel_sel_init(&s, in, agg, f);
	if (rc)
		return rc;
	size_t nstr = agg->str.n ? agg->str.n : 1, nc = in->uri.n ? in->uri.n : 1;
	int64_t *region_ads = calloc(nstr, sizeof *region_ads), *col_mentions = calloc(nc, sizeof *col_mentions);
	sh_intel_ranked *rows = malloc(nstr * sizeof *rows), *cols = malloc(nc * sizeof *cols);
	int32_t *rowof = malloc(nstr * sizeof *rowof), *colof = malloc(nc * sizeof *colof);
	if (!region_ads || !col_mentions || !rows || !cols || !rowof || !colof) {
		rc = sh_error(SH_ENOMEM, "out of memory (heat table)");
		goto done;
	}
	for (size_t i = 0; i < agg->ncell; i++)
		if (s.cell_ok[i])
			region_ads[agg->cell[i].dim[SH_DIM_REGION]] += agg->cell[i].ads;
	for (size_t i = 0; i < agg->nskill; i++) {
		const sh_agg_skill *k = &agg->skill[i];
		uint32_t c = s.concept[k->skill];
		if (s.cell_ok[k->cell] && s.skill_ok[k->skill] && c != UINT32_MAX &&
		    in->concept[c].column != UINT32_MAX)
			col_mentions[in->concept[c].column] += k->ads;
	}
	out->nrows = sh_intel_top_ids(region_ads, agg->str.str, agg->str.n, max_rows, rows);
	out->ncols = sh_intel_top_ids(col_mentions, in->uri.str, in->uri.n, max_cols, cols);
	out->region = malloc((out->nrows ? out->nrows : 1) * sizeof *out->region);
	out->ads = malloc((out->nrows ? out->nrows : 1) * sizeof *out->ads);
	out->column = malloc((out->ncols ? out->ncols : 1) * sizeof *out->column);
	out->column_uri = malloc((out->ncols ? out->ncols : 1) * sizeof *out->column_uri);
	out->mentions = calloc(out->nrows * out->ncols + 1, sizeof *out->mentions);
	if (!out->region || !out->ads || !out->column || !out->column_uri || !out->mentions) {
		rc = sh_error(SH_ENOMEM, "out of memory (heat table)");
		goto done;
	}
	for (size_t i = 0; i < agg->str.n; i++)
		rowof[i] = -1;
	for (size_t i = 0; i < in->uri.n; i++)
		colof[i] = -1;
	for (size_t r = 0; r < out->nrows; r++) {
		rowof[rows[r].id] = (int32_t)r;
		out->region[r] = agg->str.str[rows[r].id];
		out->ads[r] = rows[r].n;
	}
	for (size_t c = 0; c < out->ncols; c++) {
		colof[cols[c].id] = (int32_t)c;
		out->column[c] = in->concept[cols[c].id].label;
		out->column_uri[c] = in->uri.str[cols[c].id];
	}
	for (size_t i = 0; i < agg->nskill; i++) {
		const sh_agg_skill *k = &agg->skill[i];
		uint32_t c = s.concept[k->skill];
		if (!s.cell_ok[k->cell] || !s.skill_ok[k->skill] || c == UINT32_MAX ||
		    in->concept[c].column == UINT32_MAX)
			continue;
		int32_t r = rowof[agg->cell[k->cell].dim[SH_DIM_REGION]], col = colof[in->concept[c].column];
		if (r >= 0 && col >= 0)
			out->mentions[(size_t)r * out->ncols + (size_t)col] += k->ads;
	}
done:
	free(region_ads);
	free(col_mentions);
	free(rows);
	free(cols);
	free(rowof);
	free(colof);
	sh_intel_sel_free(&s);
	if (rc)
		sh_heat_free(out);
	return rc;
}

void sh_heat_free(sh_heat *h)
{
	free(h->region);
	free(h->ads);
	free(h->column);
	free(h->column_uri);
	free(h->mentions);
	memset(h, 0, sizeof *h);
}
