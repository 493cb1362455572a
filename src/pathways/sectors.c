/*
 * pathways/sectors.c - alliance sector tags (see sectors.h).
 *
 * The document is parsed with jansson; tag names are sorted so that tag
 * numbers, and every list printed from them, do not depend on the order of
 * the file.  Each entry resolves to one occupation or to an ISCO prefix;
 * then two passes over the tags (count, fill) build a CSR table concept ->
 * tags, the tags of each occupation ascending and without duplicates (an
 * occupation listed twice, or by URI and by ISCO prefix, counts once).
 * Looking up an occupation's tags is then two array reads.
 */
#include "pathways/sectors.h"
#include "pathways/pathways_internal.h"
#include "core/error.h"
#include "core/fileio.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Longest tag name, in bytes. */
#define SECTOR_NAME_MAX 64

struct sh_sectors {
	char     **names;     /* ntags, ascending */
	size_t     ntags;
	uint32_t   nconcepts;
	uint32_t  *off;       /* nconcepts + 1: a concept's tags */
	uint32_t  *tag;
};

/* One entry of a tag: an occupation, or (isco[0] != 0) an ISCO code prefix. */
typedef struct entry {
	sh_cid occupation;
	char   isco[5];
} entry;

/* An occupation with its ISCO unit group code. */
typedef struct occ_code {
	sh_cid c;
	char   isco[5];
} occ_code;

typedef struct builder {
	sh_sectors *s;
	entry     **entries;  /* per tag */
	size_t     *nentries;
	occ_code   *occ;
	size_t      nocc;
	uint32_t   *last;     /* per concept: the last tag given to it + 1 */
	uint32_t   *fill;     /* per concept: next free position (fill pass) */
} builder;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sh_sectors_free(sh_sectors *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ntags; i++)
		free(s->names[i]);
	free(s->names);
	free(s->off);
	free(s->tag);
	free(s);
}

/* Resolves "isco:DIGITS" or an occupation reference; where names the entry in messages. */
static int parse_entry(const sh_index *idx, const json_t *v, const char *where, entry *e)
{
	const char *text = json_string_value(v);
	memset(e, 0, sizeof *e);
	if (!text)
		return sh_error(SH_EFORMAT, "%s: expected a string (an occupation or \"isco:DIGITS\")", where);
	if (!strncmp(text, "isco:", 5)) {
		size_t n = strlen(text + 5);
		if (n < 1 || n > 4 || strspn(text + 5, "0123456789") != n)
			return sh_error(SH_EFORMAT, "%s: '%s': expected \"isco:\" and 1 to 4 digits", where, text);
		memcpy(e->isco, text + 5, n + 1);
		return SH_OK;
	}
	if (sh_index_lookup(idx, text, &e->occupation) || sh_concept_kind(idx, e->occupation) != SH_KIND_OCCUPATION)
		return sh_error(SH_ENOTFOUND, "%s: no occupation '%s' in the taxonomy", where, text);
	return SH_OK;
}

/* Gives occupation c tag t once: counts (fill NULL) or writes. */
static void give(builder *b, sh_cid c, uint32_t t)
{
	if (b->last[c] == t + 1)
		return;
	b->last[c] = t + 1;
	if (b->fill)
		b->s->tag[b->fill[c]++] = t;
	else
		b->s->off[c + 1]++;
}

/* One pass over all tags' entries (see give). */
static void assign(builder *b)
{
	memset(b->last, 0, b->s->nconcepts * sizeof *b->last);
	for (uint32_t t = 0; t < b->s->ntags; t++)
		for (size_t i = 0; i < b->nentries[t]; i++) {
			const entry *e = &b->entries[t][i];
			size_t plen = strlen(e->isco);
			if (!plen) {
				give(b, e->occupation, t);
				continue;
			}
			for (size_t k = 0; k < b->nocc; k++)
				if (!strncmp(b->occ[k].isco, e->isco, plen) && strlen(b->occ[k].isco) >= plen)
					give(b, b->occ[k].c, t);
		}
}

/* The CSR table concept -> tags from the resolved entries. */
static int build_table(builder *b, const sh_index *idx)
{
	sh_sectors *s = b->s;
	size_t n = s->nconcepts;
	b->occ = malloc((n ? n : 1) * sizeof *b->occ);
	b->last = malloc((n ? n : 1) * sizeof *b->last);
	b->fill = NULL;
	s->off = calloc(n + 1, sizeof *s->off);
	if (!b->occ || !b->last || !s->off)
		return sh_error(SH_ENOMEM, "out of memory");
	for (sh_cid c = 0; c < n; c++)
		if (sh_concept_kind(idx, c) == SH_KIND_OCCUPATION) {
			b->occ[b->nocc].c = c;
			sh_occupation_isco(idx, c, b->occ[b->nocc++].isco);
		}
	assign(b);
	for (size_t c = 0; c < n; c++)
		s->off[c + 1] += s->off[c];
	if (!(s->tag = malloc((s->off[n] ? s->off[n] : 1) * sizeof *s->tag)) ||
	    !(b->fill = malloc((n ? n : 1) * sizeof *b->fill)))
		return sh_error(SH_ENOMEM, "out of memory");
	memcpy(b->fill, s->off, n * sizeof *b->fill);
	assign(b);
	return SH_OK;
}

/* The sorted tag names of the object sectors, and each tag's entries. */
static int read_tags(builder *b, const sh_index *idx, const json_t *sectors, const char *name)
{
	sh_sectors *s = b->s;
	size_t n = json_object_size(sectors), i = 0;
	const char *key;
	json_t *v;
	s->names = calloc(n ? n : 1, sizeof *s->names);
	b->entries = calloc(n ? n : 1, sizeof *b->entries);
	b->nentries = calloc(n ? n : 1, sizeof *b->nentries);
	if (!s->names || !b->entries || !b->nentries)
		return sh_error(SH_ENOMEM, "out of memory");
	json_object_foreach((json_t *)sectors, key, v) {
		if (!*key || strlen(key) > SECTOR_NAME_MAX)
			return sh_error(SH_EFORMAT, "%s: sectors: tag name '%s' must have 1 to %d bytes", name, key,
			                SECTOR_NAME_MAX);
		if (!(s->names[i++] = strdup(key)))
			return sh_error(SH_ENOMEM, "out of memory");
		s->ntags = i;
	}
	qsort(s->names, s->ntags, sizeof *s->names, cmp_name);
	for (uint32_t t = 0; t < s->ntags; t++) {
		const json_t *list = json_object_get(sectors, s->names[t]);
		if (!json_is_array(list))
			return sh_error(SH_EFORMAT, "%s: sectors.%s: expected an array of occupations and \"isco:DIGITS\"",
			                name, s->names[t]);
		if (!(b->entries[t] = calloc(json_array_size(list) + 1, sizeof *b->entries[t])))
			return sh_error(SH_ENOMEM, "out of memory");
		json_array_foreach(list, i, v) {
			char where[SECTOR_NAME_MAX + 1024];
			snprintf(where, sizeof where, "%s: sectors.%s[%zu]", name, s->names[t], i);
			int rc = parse_entry(idx, v, where, &b->entries[t][i]);
			if (rc)
				return rc;
			b->nentries[t] = i + 1;
		}
	}
	return SH_OK;
}

int sh_sectors_from_json(sh_sectors **out, const sh_index *idx, const char *json, size_t len, const char *name)
{
	json_error_t err;
	json_t *root = json_loadb(json, len, 0, &err);
	builder b = { 0 };
	int rc = SH_OK;
	*out = NULL;
	if (!root)
		return sh_error(SH_EFORMAT, "%s:%d: %s", name, err.line, err.text);
	const json_t *sectors = json_object_get(root, "sectors");
	if (!json_is_object(sectors))
		rc = sh_error(SH_EFORMAT, "%s: \"sectors\": expected an object {\"tag\": [occupations, \"isco:DIGITS\"]}",
		              name);
	else if (!(b.s = calloc(1, sizeof *b.s)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	else {
		b.s->nconcepts = (uint32_t)sh_index_concept_count(idx);
		if (!(rc = read_tags(&b, idx, sectors, name)))
			rc = build_table(&b, idx);
	}
	for (size_t t = 0; b.entries && t < b.s->ntags; t++)
		free(b.entries[t]);
	free(b.entries);
	free(b.nentries);
	free(b.occ);
	free(b.last);
	free(b.fill);
	json_decref(root);
	if (rc)
		sh_sectors_free(b.s);
	else
		*out = b.s;
	return rc;
}

int sh_sectors_load(sh_sectors **out, const sh_index *idx, const char *file)
{
	char *text;
	size_t len;
	*out = NULL;
	int rc = sh_read_file(file, &text, &len);
	if (rc)
		return rc;
	rc = sh_sectors_from_json(out, idx, text, len, file);
	free(text);
	return rc;
}

size_t sh_sectors_of(const sh_sectors *s, sh_cid c, const uint32_t **tags)
{
	if (c >= s->nconcepts) {
		*tags = NULL;
		return 0;
	}
	*tags = s->tag + s->off[c];
	return s->off[c + 1] - s->off[c];
}

const char *sh_sector_name(const sh_sectors *s, uint32_t t)
{
	return s->names[t];
}
