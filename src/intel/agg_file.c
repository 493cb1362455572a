/*
 * intel/agg_file.c - the .agg file format (docs/intelligence.md).
 *
 *   skillhub-agg <version> zlib <content bytes> <crc32 of content, 8 hex>\n
 *   <zlib stream of the content>
 *
 * The content is canonical text, one record per line, tab-separated:
 *   M pair_skills <SH_AGG_PAIR_SKILLS>
 *   T <string>                                    string table, sorted by bytes;
 *                                                 string i = the i-th T line (0-based)
 *   A <period> <country> <region> <occupation> <sector> <ads>    string numbers
 *   S <cell> <skill> <ads>                        cell = 0-based number of an A line
 *   P <period> <skill a> <skill b> <ads>          a < b
 * T strings escape '\\', tab, newline and carriage return as \\ \t \n \r.
 * Each kind is sorted by its fields, strings by their byte order: equal
 * aggregates have byte-identical files, whatever the order their ads were
 * added in, and every string (a URI is 50 bytes) is written once.
 */
#include "intel/agg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"

static const char magic[] = "skillhub-agg ";

/* ---- writing ---------------------------------------------------------------- */

typedef struct sort_ctx {
	const sh_agg   *agg;
	const uint32_t *rank;    /* rank[string id] in strcmp order */
	const uint32_t *cellpos; /* position of each cell in the sorted cells */
} sort_ctx;

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_str_id(const void *a, const void *b, void *ctx)
{
	char *const *s = ((const sh_agg *)ctx)->str.str;
	return strcmp(s[*(const uint32_t *)a], s[*(const uint32_t *)b]);
}

static int cmp_cell(const void *a, const void *b, void *p)
{
	const sort_ctx *c = p;
	const sh_agg_cell *x = &c->agg->cell[*(const uint32_t *)a], *y = &c->agg->cell[*(const uint32_t *)b];
	for (int d = 0; d < SH_DIMS; d++)
		if (x->dim[d] != y->dim[d])
			return cmp_u32(c->rank[x->dim[d]], c->rank[y->dim[d]]);
	return 0;
}

static int cmp_skill(const void *a, const void *b, void *p)
{
	const sort_ctx *c = p;
	const sh_agg_skill *x = &c->agg->skill[*(const uint32_t *)a], *y = &c->agg->skill[*(const uint32_t *)b];
	if (x->cell != y->cell)
		return cmp_u32(c->cellpos[x->cell], c->cellpos[y->cell]);
	return cmp_u32(c->rank[x->skill], c->rank[y->skill]);
}

static int cmp_pair(const void *a, const void *b, void *p)
{
	const sort_ctx *c = p;
	const sh_agg_pair *x = &c->agg->pair[*(const uint32_t *)a], *y = &c->agg->pair[*(const uint32_t *)b];
	if (x->period != y->period)
		return cmp_u32(c->rank[x->period], c->rank[y->period]);
	if (x->a != y->a)
		return cmp_u32(c->rank[x->a], c->rank[y->a]);
	return cmp_u32(c->rank[x->b], c->rank[y->b]);
}

static int put_escaped(sh_buf *b, const char *s)
{
	size_t plain = strcspn(s, "\\\t\n\r");
	int rc = sh_buf_append(b, s, plain);
	for (s += plain; !rc && *s; s++) {
		switch (*s) {
		case '\\': rc = sh_buf_puts(b, "\\\\"); break;
		case '\t': rc = sh_buf_puts(b, "\\t"); break;
		case '\n': rc = sh_buf_puts(b, "\\n"); break;
		case '\r': rc = sh_buf_puts(b, "\\r"); break;
		default:   rc = sh_buf_putc(b, *s); break;
		}
	}
	return rc;
}

/* Appends "\t<v>" (printf is the hot spot of writing millions of numbers). */
static int put_num(sh_buf *b, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10));
	*--p = '\t';
	return sh_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* order[i] = i, sorted by cmp. */
static uint32_t *sorted_order(size_t n, int (*cmp)(const void *, const void *, void *), void *ctx)
{
	uint32_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return NULL;
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, n, sizeof *order, cmp, ctx);
	return order;
}

static int write_records(sh_buf *b, const sh_agg *agg, sort_ctx *ctx, const uint32_t *byname,
                         uint32_t *cellpos)
{
	int rc = SH_OK;
	for (size_t i = 0; !rc && i < agg->str.n; i++)
		rc = sh_buf_puts(b, "T\t") || put_escaped(b, agg->str.str[byname[i]]) || sh_buf_putc(b, '\n');
	uint32_t *cells = rc ? NULL : sorted_order(agg->ncell, cmp_cell, ctx);
	if (!cells)
		return SH_ENOMEM;
	for (size_t i = 0; !rc && i < agg->ncell; i++) {
		const sh_agg_cell *c = &agg->cell[cells[i]];
		cellpos[cells[i]] = (uint32_t)i;
		rc = sh_buf_putc(b, 'A');
		for (int d = 0; !rc && d < SH_DIMS; d++)
			rc = put_num(b, ctx->rank[c->dim[d]]);
		rc = rc || put_num(b, (uint64_t)c->ads) || sh_buf_putc(b, '\n');
	}
	free(cells);
	uint32_t *skills = rc ? NULL : sorted_order(agg->nskill, cmp_skill, ctx);
	if (!skills)
		return SH_ENOMEM;
	for (size_t i = 0; !rc && i < agg->nskill; i++) {
		const sh_agg_skill *s = &agg->skill[skills[i]];
		rc = sh_buf_putc(b, 'S') || put_num(b, cellpos[s->cell]) || put_num(b, ctx->rank[s->skill]) ||
		     put_num(b, (uint64_t)s->ads) || sh_buf_putc(b, '\n');
	}
	free(skills);
	uint32_t *pairs = rc ? NULL : sorted_order(agg->npair, cmp_pair, ctx);
	if (!pairs)
		return SH_ENOMEM;
	for (size_t i = 0; !rc && i < agg->npair; i++) {
		const sh_agg_pair *p = &agg->pair[pairs[i]];
		rc = sh_buf_putc(b, 'P') || put_num(b, ctx->rank[p->period]) || put_num(b, ctx->rank[p->a]) ||
		     put_num(b, ctx->rank[p->b]) || put_num(b, (uint64_t)p->ads) || sh_buf_putc(b, '\n');
	}
	free(pairs);
	return rc;
}

int sh_agg_to_text(const sh_agg *agg, char **out, size_t *len)
{
	size_t nstr = agg->str.n ? agg->str.n : 1;
	uint32_t *byname = sorted_order(agg->str.n, cmp_str_id, (void *)agg);
	uint32_t *rank = malloc(nstr * sizeof *rank);
	uint32_t *cellpos = malloc((agg->ncell ? agg->ncell : 1) * sizeof *cellpos);
	sh_buf b = SH_BUF_INIT;
	int rc = byname && rank && cellpos ? SH_OK : SH_ENOMEM;
	for (size_t i = 0; !rc && i < agg->str.n; i++)
		rank[byname[i]] = (uint32_t)i;
	if (!rc) {
		sort_ctx ctx = { agg, rank, cellpos };
		rc = sh_buf_printf(&b, "M\tpair_skills\t%d\n", SH_AGG_PAIR_SKILLS) ? SH_ENOMEM
		     : write_records(&b, agg, &ctx, byname, cellpos);
	}
	free(byname);
	free(rank);
	free(cellpos);
	if (rc) {
		sh_buf_free(&b);
		return sh_error(SH_ENOMEM, "out of memory (aggregate text)");
	}
	*len = b.len;
	*out = sh_buf_detach(&b);
	return SH_OK;
}

int sh_agg_write(const sh_agg *agg, const char *path)
{
	char *text;
	size_t len;
	int rc = sh_agg_to_text(agg, &text, &len);
	if (rc)
		return rc;
	char head[128];
	int hlen = snprintf(head, sizeof head, "%s%d zlib %zu %08lx\n", magic, SH_AGG_FORMAT_VERSION,
	                    len, (unsigned long)crc32_z(0, (const Bytef *)text, len));
	uLongf zlen = compressBound(len);
	unsigned char *file = malloc((size_t)hlen + zlen);
	if (!file) {
		free(text);
		return sh_error(SH_ENOMEM, "%s: out of memory (%zu bytes)", path, (size_t)zlen);
	}
	memcpy(file, head, (size_t)hlen);
	if (compress2(file + hlen, &zlen, (const Bytef *)text, len, 1) != Z_OK)
		rc = sh_error(SH_ERROR, "%s: zlib compression failed", path);
	else
		rc = sh_write_atomic(path, file, (size_t)hlen + zlen);
	free(file);
	free(text);
	return rc;
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct parser {
	sh_agg     *agg;
	const char *name;
	size_t      line;
	uint32_t   *str;   /* string number -> aggregate string id */
	uint8_t    *used;  /* by string number */
	size_t      nstr, capstr;
	char        kind;  /* kind of the previous record: records come in the order M T A S P */
	char        prev_kind;
	uint64_t    prev[5]; /* key of the previous A, S or P record */
} parser;

/* Unescapes a T string in place; -1 on an unknown escape. */
static int unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case '\\': *w++ = '\\'; break;
		case 't':  *w++ = '\t'; break;
		case 'n':  *w++ = '\n'; break;
		case 'r':  *w++ = '\r'; break;
		default:   return -1;
		}
	}
	*w = '\0';
	return 0;
}

/* Parses exactly n tab-prefixed unsigned numbers from s (after the kind letter). */
static int numbers(const char *s, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (*s++ != '\t' || *s < '0' || *s > '9')
			return -1;
		uint64_t x = 0;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (x > (UINT64_MAX - 9) / 10)
				return -1;
			x = x * 10 + (uint64_t)(*s - '0');
		}
		v[i] = x;
	}
	return *s ? -1 : 0;
}

static int grow_u32(uint32_t **a, size_t n, size_t *cap)
{
	if (n < *cap)
		return SH_OK;
	size_t ncap = *cap ? *cap * 2 : 1024;
	uint32_t *p = realloc(*a, ncap * sizeof *p);
	if (!p)
		return sh_error(SH_ENOMEM, "out of memory (aggregate of %zu records)", ncap);
	*a = p;
	*cap = ncap;
	return SH_OK;
}

static int bad(const parser *p, const char *what)
{
	return sh_error(SH_EFORMAT, "%s:%zu: %s", p->name, p->line, what);
}

static int parse_string(parser *p, char *line)
{
	if (line[1] != '\t' || unescape(line + 2))
		return bad(p, "malformed T record (bad escape)");
	const char *s = line + 2;
	if (p->nstr && strcmp(p->agg->str.str[p->str[p->nstr - 1]], s) >= 0)
		return bad(p, "strings out of order or repeated (the T records must be sorted and distinct)");
	uint8_t *used = p->nstr + 1 > p->capstr ? realloc(p->used, p->capstr ? p->capstr * 2 : 1024) : p->used;
	if (!used)
		return sh_error(SH_ENOMEM, "out of memory (aggregate strings)");
	p->used = used;
	if (grow_u32(&p->str, p->nstr, &p->capstr) ||
	    sh_strtab_intern(&p->agg->str, s, strlen(s), &p->str[p->nstr]))
		return SH_ENOMEM;
	p->used[p->nstr++] = 0;
	return SH_OK;
}

/* Maps string number v to its id, marking it used; -1 when out of range. */
static int string_id(parser *p, uint64_t v, uint32_t *id)
{
	if (v >= p->nstr)
		return -1;
	p->used[v] = 1;
	*id = p->str[v];
	return 0;
}

static int parse_record(parser *p, char *line)
{
	static const char order[] = "MTASP";
	char kind = line[0];
	const char *at = kind ? strchr(order, kind) : NULL;
	if (!at)
		return bad(p, "unknown record kind (want T, A, S or P)");
	if (at < strchr(order, p->kind))
		return bad(p, "records out of order (want T, then A, S and P)");
	p->kind = kind;
	if (kind == 'T')
		return parse_string(p, line);
	uint64_t v[6];
	size_t n = kind == 'A' ? 6 : kind == 'S' ? 3 : 4;
	if (kind == 'M' || numbers(line + 1, v, n))
		return bad(p, kind == 'A' ? "malformed A record (want 5 string numbers and a count)"
		              : kind == 'S' ? "malformed S record (want cell, skill and count)"
		              : "malformed record");
	if (v[n - 1] == 0 || v[n - 1] > INT64_MAX)
		return bad(p, "count is not a positive 63-bit integer");
	int64_t count = (int64_t)v[n - 1];
	uint32_t id[5];
	for (size_t i = kind == 'S' ? 1 : 0; i + 1 < n; i++)
		if (string_id(p, v[i], &id[i]))
			return bad(p, "string number out of range");
	/* Keys strictly increasing: the records are canonical, hence distinct, and can be appended. */
	size_t nkey = n - 1;
	int order_cmp = 0;
	for (size_t i = 0; !order_cmp && i < nkey; i++)
		order_cmp = v[i] < p->prev[i] ? -1 : v[i] > p->prev[i];
	if (p->prev_kind == kind && order_cmp <= 0)
		return bad(p, "record out of order or repeated (records of a kind are sorted and distinct)");
	memcpy(p->prev, v, nkey * sizeof *v);
	p->prev_kind = kind;
	if (kind == 'P') {
		if (!(v[1] < v[2]))
			return bad(p, "a pair needs two different skills, in order");
		return sh_agg_append_pair(p->agg, id[0], id[1], id[2], count);
	}
	if (kind == 'S') {
		if (v[0] >= p->agg->ncell)
			return bad(p, "cell number out of range");
		return sh_agg_append_skill(p->agg, (uint32_t)v[0], id[1], count);
	}
	return sh_agg_append_cell(p->agg, id, count);
}

static int parse_text(sh_agg *agg, char *text, size_t len, const char *name)
{
	char want[64];
	int wlen = snprintf(want, sizeof want, "M\tpair_skills\t%d\n", SH_AGG_PAIR_SKILLS);
	if (len < (size_t)wlen || memcmp(text, want, (size_t)wlen))
		return sh_error(SH_EFORMAT, "%s:1: expected 'M pair_skills %d' (pairs counted among a "
		                "different number of skills per ad cannot be merged)", name, SH_AGG_PAIR_SKILLS);
	parser p = { .agg = agg, .name = name, .line = 1, .kind = 'M' };
	agg->keyed = 0;
	int rc = SH_OK;
	for (char *at = text + wlen, *end = text + len; !rc && at < end; ) {
		char *nl = memchr(at, '\n', (size_t)(end - at));
		p.line++;
		if (!nl) {
			rc = bad(&p, "last record has no newline");
			break;
		}
		*nl = '\0';
		rc = parse_record(&p, at);
		at = nl + 1;
	}
	for (size_t i = 0; !rc && i < p.nstr; i++)
		if (!p.used[i])
			rc = sh_error(SH_EFORMAT, "%s: string %zu is never used", name, i);
	free(p.str);
	free(p.used);
	return rc;
}

int sh_agg_parse(sh_agg **out, const void *data, size_t size, const char *name)
{
	*out = NULL;
	char head[128];
	if (size < sizeof magic - 1 || memcmp(data, magic, sizeof magic - 1))
		return sh_error(SH_EFORMAT, "%s: not an aggregate file (no 'skillhub-agg' header)", name);
	const char *nl = memchr(data, '\n', size < sizeof head ? size : sizeof head);
	if (!nl)
		return sh_error(SH_EFORMAT, "%s:1: truncated or corrupt header", name);
	size_t hlen = (size_t)(nl - (const char *)data);
	memcpy(head, data, hlen);
	head[hlen] = '\0';
	int version;
	size_t len;
	unsigned long crc;
	char codec[16];
	if (sscanf(head + sizeof magic - 1, "%d %15s %zu %lx", &version, codec, &len, &crc) != 4)
		return sh_error(SH_EFORMAT, "%s:1: malformed header '%s'", name, head);
	if (version != SH_AGG_FORMAT_VERSION)
		return sh_error(SH_EFORMAT, "%s: format version %d, this program reads version %d",
		                name, version, SH_AGG_FORMAT_VERSION);
	if (strcmp(codec, "zlib"))
		return sh_error(SH_EFORMAT, "%s:1: unknown compression '%s'", name, codec);
	char *text = malloc(len + 1);
	if (!text)
		return sh_error(SH_ENOMEM, "%s: out of memory (%zu bytes of content)", name, len);
	uLongf got = len;
	int zrc = uncompress((Bytef *)text, &got, (const Bytef *)nl + 1, (uLong)(size - hlen - 1));
	int rc = SH_OK;
	if (zrc != Z_OK || got != len)
		rc = sh_error(SH_EFORMAT, "%s: truncated or corrupt content (zlib: %s; %zu of %zu bytes)",
		              name, zrc == Z_OK ? "size mismatch" : zError(zrc), (size_t)got, len);
	else if (crc32_z(0, (const Bytef *)text, len) != crc)
		rc = sh_error(SH_EFORMAT, "%s: checksum mismatch (header %08lx, content %08lx)", name, crc,
		              (unsigned long)crc32_z(0, (const Bytef *)text, len));
	sh_agg *agg = NULL;
	if (!rc)
		rc = sh_agg_new(&agg);
	if (!rc)
		rc = parse_text(agg, text, len, name);
	free(text);
	if (rc) {
		sh_agg_free(agg);
		return rc;
	}
	*out = agg;
	return SH_OK;
}

int sh_agg_read(sh_agg **out, const char *path)
{
	sh_map m;
	*out = NULL;
	int rc = sh_map_file(&m, path);
	if (rc)
		return rc;
	rc = sh_agg_parse(out, m.data, m.size, path);
	sh_unmap(&m);
	return rc;
}
