/*
 * intel/trends.c - emerging and declining skills between two period ranges
 * (sh_intel_trends), with the G-test and the Benjamini-Hochberg correction.
 *
 * For a skill asked in x of the n_a ads of range a and y of the n_b ads of
 * range b, the 2x2 table {{x, n_a - x}, {y, n_b - y}} is tested for
 * independence with the likelihood-ratio statistic
 *     G = 2 * sum O ln(O / E),  E = row total * column total / N,
 * asymptotically chi-square with 1 degree of freedom: p = erfc(sqrt(G / 2)).
 * Skills asked in fewer than min_ads ads of both ranges together are not
 * tested (the approximation is poor and they cannot reach significance);
 * the others form the family whose p-values Benjamini-Hochberg adjusts.
 */
#include "intel/intel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static double g_term(double o, double e)
{
	return o > 0 ? o * log(o / e) : 0.0;
}

double sh_g_test_2x2(int64_t a, int64_t b, int64_t c, int64_t d, double *p)
{
	double n = (double)(a + b + c + d);
	double r1 = (double)(a + b), r2 = (double)(c + d), c1 = (double)(a + c), c2 = (double)(b + d);
	double g = 0.0;
	if (n > 0 && r1 > 0 && r2 > 0 && c1 > 0 && c2 > 0)
		g = 2.0 * (g_term((double)a, r1 * c1 / n) + g_term((double)b, r1 * c2 / n) +
		           g_term((double)c, r2 * c1 / n) + g_term((double)d, r2 * c2 / n));
	if (g < 0)
		g = 0; /* rounding when the table is exactly independent */
	if (p)
		*p = erfc(sqrt(g / 2.0));
	return g;
}

typedef struct ranked_p {
	double p;
	size_t i;
} ranked_p;

static int cmp_p(const void *a, const void *b)
{
	const ranked_p *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int sh_bh_adjust(const double *p, double *q, size_t n)
{
	ranked_p *r = malloc((n ? n : 1) * sizeof *r);
	if (!r)
		return sh_error(SH_ENOMEM, "out of memory (%zu p-values)", n);
	for (size_t i = 0; i < n; i++)
		r[i] = (ranked_p){ p[i], i };
	qsort(r, n, sizeof *r, cmp_p);
	/* q_(k) = min over j >= k of p_(j) * n / j, capped at 1. */
	double running = 1.0;
	for (size_t k = n; k-- > 0; ) {
		double v = r[k].p * (double)n / (double)(k + 1);
		if (v < running)
			running = v;
		r[k].p = running;
	}
	for (size_t k = 0; k < n; k++)
		q[r[k].i] = r[k].p;
	free(r);
	return SH_OK;
}

static int cmp_trend(const void *a, const void *b)
{
	const sh_trend *x = a, *y = b;
	if (x->significant != y->significant)
		return y->significant - x->significant;
	if (x->q != y->q)
		return x->q < y->q ? -1 : 1;
	double dx = fabs(x->share_b - x->share_a), dy = fabs(y->share_b - y->share_a);
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->uri, y->uri);
}

/* Per-skill ads and the total of one period range under the other filters of f. */
static int range_counts(const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f,
                        const char *from, const char *to, int64_t *counts, int64_t *total,
                        sh_intel_sel *keep)
{
	sh_intel_filter rf = *f;
	rf.period_from = from;
	rf.period_to = to;
	sh_intel_sel s;
	int rc = sh_intel_sel_init(&s, in, agg, &rf);
	if (rc)
		return rc;
	*total = 0;
	for (size_t i = 0; i < agg->ncell; i++)
		if (s.cell_ok[i])
			*total += agg->cell[i].ads;
	for (size_t i = 0; i < agg->nskill; i++)
		if (s.cell_ok[agg->skill[i].cell] && s.skill_ok[agg->skill[i].skill])
			counts[agg->skill[i].skill] += agg->skill[i].ads;
	if (keep)
		*keep = s;
	else
		sh_intel_sel_free(&s);
	return SH_OK;
}

static int test_skills(const sh_intel *in, const sh_agg *agg, const sh_intel_sel *s, const int64_t *ca,
                       const int64_t *cb, const sh_trend_query *q, sh_trends *out)
{
	int64_t min_ads = q->min_ads > 0 ? q->min_ads : 10;
	double alpha = q->alpha > 0 ? q->alpha : 0.05;
	size_t n = 0;
	for (size_t i = 0; i < agg->str.n; i++)
		n += ca[i] + cb[i] >= min_ads && ca[i] + cb[i] > 0;
	out->skills = malloc((n ? n : 1) * sizeof *out->skills);
	double *p = malloc((n ? n : 1) * sizeof *p);
	if (!out->skills || !p) {
		free(p);
		return sh_error(SH_ENOMEM, "out of memory (trends of %zu skills)", n);
	}
	int64_t na = out->total_a, nb = out->total_b;
	for (size_t i = 0; i < agg->str.n; i++) {
		if (ca[i] + cb[i] < min_ads || ca[i] + cb[i] == 0)
			continue;
		sh_trend *t = &out->skills[out->n];
		t->uri = agg->str.str[i];
		t->label = sh_intel_label(in, s, agg, (uint32_t)i);
		t->ads_a = ca[i];
		t->ads_b = cb[i];
		t->share_a = na ? (double)ca[i] / (double)na : 0.0;
		t->share_b = nb ? (double)cb[i] / (double)nb : 0.0;
		t->g = sh_g_test_2x2(ca[i], na - ca[i], cb[i], nb - cb[i], &t->p);
		t->direction = t->share_b > t->share_a ? 1 : t->share_b < t->share_a ? -1 : 0;
		p[out->n++] = t->p;
	}
	out->tested = out->n;
	int rc = sh_bh_adjust(p, p, out->n);
	for (size_t k = 0; !rc && k < out->n; k++) {
		out->skills[k].q = p[k];
		out->skills[k].significant = p[k] < alpha;
	}
	free(p);
	qsort(out->skills, out->n, sizeof *out->skills, cmp_trend);
	return rc;
}

int sh_intel_trends(const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f,
                    const sh_trend_query *q, sh_trends *out)
{
	memset(out, 0, sizeof *out);
	if (!q->a_from || !q->a_to || !q->b_from || !q->b_to)
		return sh_error(SH_EINVAL, "trends: both period ranges (a_from, a_to, b_from, b_to) are required");
	size_t nstr = agg->str.n ? agg->str.n : 1;
	int64_t *ca = calloc(nstr, sizeof *ca), *cb = calloc(nstr, sizeof *cb);
	sh_intel_sel s = { 0 };
	int rc = ca && cb ? SH_OK : sh_error(SH_ENOMEM, "out of memory (trends)");
	if (!rc)
		rc = range_counts(in, agg, f, q->a_from, q->a_to, ca, &out->total_a, NULL);
	if (!rc)
		rc = range_counts(in, agg, f, q->b_from, q->b_to, cb, &out->total_b, &s);
	if (!rc)
		rc = test_skills(in, agg, &s, ca, cb, q, out);
	sh_intel_sel_free(&s);
	free(ca);
	free(cb);
	if (rc)
		sh_trends_free(out);
	return rc;
}

void sh_trends_free(sh_trends *t)
{
	free(t->skills);
	memset(t, 0, sizeof *t);
}
