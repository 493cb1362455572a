/*
 * intel/intel.c - loading the taxonomy the queries need (intel.h) and
 * compiling a query filter against an aggregate.
 *
 * Concepts are renumbered densely (the id of their URI in sh_intel.uri);
 * relations are stored as compressed lists (first index + count) so a
 * full ESCO taxonomy costs a few MB and loads in one pass per table.
 */
#include "intel/intel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/db.h"

/* ---- loading -------------------------------------------------------------------- */

typedef struct loader {
	sh_db    *db;
	sh_intel *intel;
	uint32_t *num;  /* concept.id -> concept number, UINT32_MAX = not loaded */
	int64_t   maxid;
} loader;

static uint32_t number_of(const loader *l, int64_t id)
{
	return id >= 0 && id <= l->maxid ? l->num[id] : UINT32_MAX;
}

static int load_concepts(loader *l)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(l->db, &st,
		"SELECT c.id, c.uri, c.kind, g.code FROM concept c LEFT JOIN concept g ON g.id = c.isco_group"
		" WHERE c.kind IN ('skill', 'skill_group', 'occupation') ORDER BY c.id");
	if (rc)
		return rc;
	sh_intel *in = l->intel;
	size_t cap = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *uri = (const char *)sqlite3_column_text(st, 1);
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		const char *code = (const char *)sqlite3_column_text(st, 3);
		uint32_t n;
		if ((rc = sh_strtab_intern(&in->uri, uri, strlen(uri), &n)))
			break;
		if (n >= cap) {
			cap = cap ? cap * 2 : 4096;
			sh_intel_concept *c = realloc(in->concept, cap * sizeof *c);
			char **lab = realloc(in->labels, cap * sizeof *lab);
			if (c)
				in->concept = c;
			if (lab)
				in->labels = lab;
			if (!c || !lab) {
				rc = sh_error(SH_ENOMEM, "out of memory (%zu concepts)", cap);
				break;
			}
		}
		sh_intel_concept *c = &in->concept[n];
		memset(c, 0, sizeof *c);
		in->labels[n] = NULL;
		c->label = uri;
		c->kind = kind[0] == 'o' ? 'o' : strcmp(kind, "skill") == 0 ? 's' : 'g';
		c->column = UINT32_MAX;
		if (code && c->kind == 'o')
			snprintf(c->isco, sizeof c->isco, "%.4s", code);
		if (id <= l->maxid)
			l->num[id] = n;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < in->uri.n; i++)
		in->concept[i].label = in->uri.str[i];
	return rc;
}

static int load_labels(loader *l, const char *lang)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(l->db, &st,
		"SELECT concept, text FROM label WHERE kind = 'preferred' AND lang IN (?1, 'en')"
		" ORDER BY lang = ?1, concept");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
	sh_intel *in = l->intel;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		uint32_t n = number_of(l, sqlite3_column_int64(st, 0));
		if (n == UINT32_MAX)
			continue;
		char *text = strdup((const char *)sqlite3_column_text(st, 1));
		if (!text) {
			rc = sh_error(SH_ENOMEM, "out of memory (labels)");
			break;
		}
		free(in->labels[n]); /* a label in lang replaces the English one */
		in->labels[n] = text;
		in->concept[n].label = text;
	}
	sqlite3_finalize(st);
	return rc;
}

static int load_collections(loader *l)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(l->db, &st,
		"SELECT c.collection_key, m.concept FROM scheme_member m JOIN concept c ON c.id = m.scheme"
		" WHERE c.collection_key IS NOT NULL ORDER BY c.collection_key");
	if (rc)
		return rc;
	sh_intel *in = l->intel;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (!in->ncollections || strcmp(in->collection[in->ncollections - 1], key)) {
			if (in->ncollections == SH_INTEL_MAX_COLLECTIONS) {
				rc = sh_error(SH_EINVAL, "more than %d collections in the taxonomy",
				              SH_INTEL_MAX_COLLECTIONS);
				break;
			}
			if (!(in->collection[in->ncollections] = strdup(key))) {
				rc = sh_error(SH_ENOMEM, "out of memory (collections)");
				break;
			}
			in->ncollections++;
		}
		uint32_t n = number_of(l, sqlite3_column_int64(st, 1));
		if (n != UINT32_MAX)
			in->concept[n].collections |= 1u << (in->ncollections - 1);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Reads (a, b[, relation]) rows of sql as triples of concept numbers (the relation as SH_REL_*). */
static int load_pairs(loader *l, const char *sql, uint32_t **pairs, size_t *npairs, int with_relation)
{
	sqlite3_stmt *st;
	int rc = sh_db_prepare(l->db, &st, sql);
	if (rc)
		return rc;
	size_t n = 0, cap = 0;
	uint32_t *p = NULL;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		uint32_t a = number_of(l, sqlite3_column_int64(st, 0));
		uint32_t b = number_of(l, sqlite3_column_int64(st, 1));
		if (a == UINT32_MAX || b == UINT32_MAX)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			uint32_t *q = realloc(p, cap * 3 * sizeof *q);
			if (!q) {
				rc = sh_error(SH_ENOMEM, "out of memory (%zu relations)", cap);
				break;
			}
			p = q;
		}
		p[3 * n] = a;
		p[3 * n + 1] = b;
		p[3 * n + 2] = with_relation && strcmp((const char *)sqlite3_column_text(st, 2), "essential") == 0
		               ? SH_REL_ESSENTIAL : SH_REL_OPTIONAL;
		n++;
	}
	sqlite3_finalize(st);
	if (rc) {
		free(p);
		return rc;
	}
	*pairs = p;
	*npairs = n;
	return SH_OK;
}

/* Parents (broader) of each concept, as lists: parent[first[c] .. first[c + 1]). */
typedef struct parents {
	uint32_t *first;
	uint32_t *parent;
} parents;

static uint32_t column_of(const sh_intel *in, const parents *up, uint32_t c, int depth)
{
	uint32_t np = up->first[c + 1] - up->first[c];
	if (depth > 16)
		return UINT32_MAX;
	if (np == 0)
		return in->concept[c].kind == 'g' ? c : UINT32_MAX;
	uint32_t p = up->parent[up->first[c]];
	if (up->first[p + 1] == up->first[p]) /* p is a top concept */
		return in->concept[c].kind == 'g' ? c : p;
	return column_of(in, up, p, depth + 1);
}

static int load_hierarchy(loader *l)
{
	uint32_t *rel;
	size_t n;
	int rc = load_pairs(l,
		"SELECT x.concept, x.broader FROM broader x JOIN concept b ON b.id = x.broader"
		" WHERE b.kind IN ('skill', 'skill_group') ORDER BY x.broader, x.concept", &rel, &n, 0);
	if (rc)
		return rc;
	sh_intel *in = l->intel;
	size_t nc = in->uri.n;
	in->narrower = malloc((n ? n : 1) * sizeof *in->narrower);
	parents up = { calloc(nc + 2, sizeof *up.first), malloc((n ? n : 1) * sizeof *up.parent) };
	if (!in->narrower || !up.first || !up.parent) {
		rc = sh_error(SH_ENOMEM, "out of memory (skill hierarchy)");
		goto done;
	}
	/* rel is sorted by broader: narrower lists are runs. */
	for (size_t i = 0; i < n; i++) {
		sh_intel_concept *b = &in->concept[rel[3 * i + 1]];
		if (!b->nnarrower)
			b->narrower = (uint32_t)i;
		b->nnarrower++;
		in->narrower[i] = rel[3 * i];
		up.first[rel[3 * i] + 2]++;
	}
	for (size_t c = 0; c < nc; c++)
		up.first[c + 2] += up.first[c + 1];
	for (size_t i = 0; i < n; i++)
		up.parent[up.first[rel[3 * i] + 1]++] = rel[3 * i + 1];
	for (uint32_t c = 0; c < nc; c++)
		if (in->concept[c].kind == 's')
			in->concept[c].column = column_of(in, &up, c, 0);
done:
	free(rel);
	free(up.first);
	free(up.parent);
	return rc;
}

static int load_occupation_skills(loader *l)
{
	uint32_t *rel;
	size_t n;
	int rc = load_pairs(l, "SELECT occupation, skill, relation FROM occupation_skill ORDER BY occupation, skill",
	                    &rel, &n, 1);
	if (rc)
		return rc;
	sh_intel *in = l->intel;
	in->occskill = malloc((n ? n : 1) * sizeof *in->occskill);
	if (!in->occskill) {
		free(rel);
		return sh_error(SH_ENOMEM, "out of memory (occupation skills)");
	}
	for (size_t i = 0; i < n; i++) {
		sh_intel_concept *o = &in->concept[rel[3 * i]];
		if (!o->noccskills)
			o->occskills = (uint32_t)i;
		o->noccskills++;
		in->occskill[i] = (sh_intel_occskill){ rel[3 * i + 1], (int)rel[3 * i + 2] };
	}
	free(rel);
	return SH_OK;
}

int sh_intel_open(sh_intel **out, sh_db *db, const char *lang)
{
	*out = NULL;
	loader l = { db, calloc(1, sizeof *l.intel), NULL, 0 };
	if (!l.intel)
		return sh_error(SH_ENOMEM, "out of memory (taxonomy)");
	int rc = sh_db_int64(db, "SELECT coalesce(max(id), 0) FROM concept", &l.maxid);
	if (!rc && !(l.num = malloc(((size_t)l.maxid + 1) * sizeof *l.num)))
		rc = sh_error(SH_ENOMEM, "out of memory (taxonomy)");
	if (!rc) {
		memset(l.num, 0xff, ((size_t)l.maxid + 1) * sizeof *l.num);
		rc = load_concepts(&l);
	}
	if (!rc)
		rc = load_labels(&l, lang ? lang : "en");
	if (!rc)
		rc = load_collections(&l);
	if (!rc)
		rc = load_hierarchy(&l);
	if (!rc)
		rc = load_occupation_skills(&l);
	free(l.num);
	if (rc) {
		sh_intel_free(l.intel);
		return rc;
	}
	*out = l.intel;
	return SH_OK;
}

void sh_intel_free(sh_intel *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->uri.n; i++)
		free(in->labels[i]);
	for (size_t i = 0; i < in->ncollections; i++)
		free(in->collection[i]);
	sh_strtab_free(&in->uri);
	free(in->labels);
	free(in->concept);
	free(in->narrower);
	free(in->occskill);
	free(in);
}

/* ---- filters -------------------------------------------------------------------- */

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int sh_intel_period_bound(const char *p, int last, char out[8])
{
	size_t n = strlen(p);
	int month;
	if (n == 4 && digits(p, 4))
		month = last ? 12 : 1;
	else if (n == 7 && digits(p, 4) && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4')
		month = (p[6] - '0') * 3 - (last ? 0 : 2);
	else if (n == 7 && digits(p, 4) && p[4] == '-' && digits(p + 5, 2) &&
	         (month = (p[5] - '0') * 10 + p[6] - '0') >= 1 && month <= 12)
		;
	else
		return sh_error(SH_EINVAL, "period '%s': expected YYYY, YYYY-Qn or YYYY-MM", p);
	snprintf(out, 8, "%.4s-%02d", p, month);
	return SH_OK;
}

int sh_intel_in_range(const char *month, const char *from, const char *to)
{
	if (!*from && !*to)
		return 1;
	return *month && (!*from || strcmp(month, from) >= 0) && (!*to || strcmp(month, to) <= 0);
}

static int is_isco_code(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 4 && digits(s, n);
}

static int find_concept(const sh_intel *in, const char *uri, char kind, uint32_t *n)
{
	return sh_strtab_find(&in->uri, uri, n) && in->concept[*n].kind == kind;
}

static int find_collection(const sh_intel *in, const char *key)
{
	for (size_t i = 0; i < in->ncollections; i++)
		if (strcmp(in->collection[i], key) == 0)
			return (int)i;
	return -1;
}

int sh_intel_filter_check(const sh_intel *in, const sh_intel_filter *f)
{
	char month[8];
	uint32_t n;
	if (f->period_from && sh_intel_period_bound(f->period_from, 0, month))
		return sh_error_wrap(SH_EINVAL, "period_from");
	if (f->period_to && sh_intel_period_bound(f->period_to, 1, month))
		return sh_error_wrap(SH_EINVAL, "period_to");
	if (f->occupation && !is_isco_code(f->occupation) && !find_concept(in, f->occupation, 'o', &n))
		return sh_error(SH_EINVAL, "occupation '%s': not an occupation URI nor an ISCO code of 1-4 digits",
		                f->occupation);
	if (f->skill_group && !find_concept(in, f->skill_group, 'g', &n))
		return sh_error(SH_EINVAL, "skill_group '%s': no such skill group", f->skill_group);
	if (f->collection && find_collection(in, f->collection) < 0)
		return sh_error(SH_EINVAL, "collection '%s': no such collection", f->collection);
	return SH_OK;
}

/* Marks in[] every skill under group g (any depth). */
static void mark_under(const sh_intel *in, uint32_t g, uint8_t *under, int depth)
{
	const sh_intel_concept *c = &in->concept[g];
	if (depth > 16)
		return;
	for (uint32_t i = 0; i < c->nnarrower; i++) {
		uint32_t x = in->narrower[c->narrower + i];
		if (!under[x]) {
			under[x] = 1;
			mark_under(in, x, under, depth + 1);
		}
	}
}

/*
 * Which filters of f the string passes when it is the value of each
 * dimension: bit d set = passes as dimension d.  Computed once per distinct
 * string, so that testing a cell is five lookups, not string comparisons.
 */
static uint8_t string_passes(const sh_intel *in, const sh_intel_sel *s, const char *str, uint32_t concept,
                             const sh_intel_filter *f)
{
	uint8_t bits = 0;
	if (sh_intel_in_range(str, s->from, s->to))
		bits |= 1u << SH_DIM_PERIOD;
	if (!f->country || strcmp(str, f->country) == 0)
		bits |= 1u << SH_DIM_COUNTRY;
	if (!f->region || strcmp(str, f->region) == 0)
		bits |= 1u << SH_DIM_REGION;
	if (!f->sector || strcmp(str, f->sector) == 0)
		bits |= 1u << SH_DIM_SECTOR;
	if (!f->occupation ||
	    (is_isco_code(f->occupation) ? concept != UINT32_MAX &&
	         strncmp(in->concept[concept].isco, f->occupation, strlen(f->occupation)) == 0
	     : strcmp(str, f->occupation) == 0))
		bits |= 1u << SH_DIM_OCCUPATION;
	return bits;
}

static int select_cells(const sh_intel *in, sh_intel_sel *s, const sh_agg *agg, const sh_intel_filter *f)
{
	uint8_t *bits = malloc(agg->str.n ? agg->str.n : 1);
	if (!bits)
		return sh_error(SH_ENOMEM, "out of memory (query over %zu strings)", agg->str.n);
	for (size_t i = 0; i < agg->str.n; i++)
		bits[i] = string_passes(in, s, agg->str.str[i], s->concept[i], f);
	for (size_t i = 0; i < agg->ncell; i++) {
		const uint32_t *d = agg->cell[i].dim;
		s->cell_ok[i] = (bits[d[SH_DIM_PERIOD]] >> SH_DIM_PERIOD & 1) &
		                (bits[d[SH_DIM_COUNTRY]] >> SH_DIM_COUNTRY & 1) &
		                (bits[d[SH_DIM_REGION]] >> SH_DIM_REGION & 1) &
		                (bits[d[SH_DIM_OCCUPATION]] >> SH_DIM_OCCUPATION & 1) &
		                (bits[d[SH_DIM_SECTOR]] >> SH_DIM_SECTOR & 1);
	}
	free(bits);
	return SH_OK;
}

int sh_intel_sel_init(sh_intel_sel *s, const sh_intel *in, const sh_agg *agg, const sh_intel_filter *f)
{
	memset(s, 0, sizeof *s);
	int rc = sh_intel_filter_check(in, f);
	if (rc)
		return rc;
	if (f->period_from)
		sh_intel_period_bound(f->period_from, 0, s->from);
	if (f->period_to)
		sh_intel_period_bound(f->period_to, 1, s->to);
	size_t nstr = agg->str.n ? agg->str.n : 1;
	s->cell_ok = malloc(agg->ncell ? agg->ncell : 1);
	s->skill_ok = malloc(nstr);
	s->concept = malloc(nstr * sizeof *s->concept);
	uint8_t *under = f->skill_group ? calloc(in->uri.n ? in->uri.n : 1, 1) : NULL;
	if (!s->cell_ok || !s->skill_ok || !s->concept || (f->skill_group && !under)) {
		free(under);
		sh_intel_sel_free(s);
		return sh_error(SH_ENOMEM, "out of memory (query over %zu strings)", nstr);
	}
	for (size_t i = 0; i < agg->str.n; i++)
		if (!sh_strtab_find(&in->uri, agg->str.str[i], &s->concept[i]))
			s->concept[i] = UINT32_MAX;
	uint32_t g;
	if (under && find_concept(in, f->skill_group, 'g', &g))
		mark_under(in, g, under, 0);
	int coll = f->collection ? find_collection(in, f->collection) : -1;
	for (size_t i = 0; i < agg->str.n; i++) {
		uint32_t n = s->concept[i];
		s->skill_ok[i] = (!under || (n != UINT32_MAX && under[n])) &&
		                 (coll < 0 || (n != UINT32_MAX && (in->concept[n].collections >> coll & 1)));
	}
	free(under);
	if ((rc = select_cells(in, s, agg, f)))
		sh_intel_sel_free(s);
	return rc;
}

void sh_intel_sel_free(sh_intel_sel *s)
{
	free(s->cell_ok);
	free(s->skill_ok);
	free(s->concept);
	memset(s, 0, sizeof *s);
}

const char *sh_intel_skill_label(const sh_intel *in, const char *uri)
{
	uint32_t n;
	return uri && find_concept(in, uri, 's', &n) ? in->concept[n].label : NULL;
}

const char *sh_intel_label(const sh_intel *in, const sh_intel_sel *s, const sh_agg *agg, uint32_t id)
{
	uint32_t n = s->concept[id];
	return n != UINT32_MAX ? in->concept[n].label : agg->str.str[id];
}
