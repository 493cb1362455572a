/*
 * index/termdict.c - hashed term dictionary (see termdict.h).
 */
#include "index/termdict.h"
#include "core/error.h"
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>

#define TDIC_MAGIC 0x43494454u /* "TDIC" */

static uint32_t probe(const uint32_t *buckets, uint32_t nbuckets, const sh_termdict_entry *terms,
                      const char *pool, const char *term, size_t len, uint32_t hash, uint32_t *slot)
{
	uint32_t mask = nbuckets - 1;
	for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
		uint32_t v = buckets[i];
		if (v == 0) {
			*slot = i;
			return SH_TERM_NONE;
		}
		const sh_termdict_entry *e = &terms[v - 1];
		if (e->hash == hash && e->length == len && memcmp(pool + e->offset, term, len) == 0) {
			*slot = i;
			return v - 1;
		}
	}
}

void sh_tdb_init(sh_termdict_builder *b)
{
	memset(b, 0, sizeof *b);
}

static int grow_buckets(sh_termdict_builder *b)
{
	uint32_t n = b->nbuckets ? b->nbuckets * 2 : 1024;
	uint32_t *nb = calloc(n, sizeof *nb);
	if (!nb)
		return sh_error(SH_ENOMEM, "out of memory (term dictionary)");
	for (uint32_t id = 0; id < b->nterms; id++) {
		uint32_t i = b->terms[id].hash & (n - 1);
		while (nb[i])
			i = (i + 1) & (n - 1);
		nb[i] = id + 1;
	}
	free(b->buckets);
	b->buckets = nb;
	b->nbuckets = n;
	return SH_OK;
}

uint32_t sh_tdb_find(const sh_termdict_builder *b, const char *term, size_t len)
{
	if (!b->nbuckets)
		return SH_TERM_NONE;
	uint32_t slot;
	return probe(b->buckets, b->nbuckets, b->terms, b->pool.data, term, len,
	             (uint32_t)sh_hash64(term, len), &slot);
}

int sh_tdb_add(sh_termdict_builder *b, const char *term, size_t len, uint32_t *id)
{
	int rc;
	if ((b->nterms + 1) * 2 > b->nbuckets && (rc = grow_buckets(b)))
		return rc;
	uint32_t hash = (uint32_t)sh_hash64(term, len), slot;
	uint32_t found = probe(b->buckets, b->nbuckets, b->terms, b->pool.data, term, len, hash, &slot);
	if (found != SH_TERM_NONE) {
		*id = found;
		return SH_OK;
	}
	if (len > UINT32_MAX / 2 || b->pool.len > UINT32_MAX / 2)
		return sh_error(SH_EINVAL, "term dictionary too large");
	if (b->nterms == b->terms_cap) {
		uint32_t cap = b->terms_cap ? b->terms_cap * 2 : 1024;
		sh_termdict_entry *t = realloc(b->terms, cap * sizeof *t);
		if (!t)
			return sh_error(SH_ENOMEM, "out of memory (term dictionary)");
		b->terms = t;
		b->terms_cap = cap;
	}
	uint32_t offset = (uint32_t)b->pool.len;
	if ((rc = sh_buf_append(&b->pool, term, len)) || (rc = sh_buf_append(&b->pool, "", 1)))
		return rc;
	b->terms[b->nterms] = (sh_termdict_entry){ hash, offset, (uint32_t)len };
	b->buckets[slot] = ++b->nterms;
	*id = b->nterms - 1;
	return SH_OK;
}

int sh_tdb_serialize(const sh_termdict_builder *b, sh_buf *out)
{
	uint32_t nbuckets = 16;
	while (nbuckets < b->nterms * 2)
		nbuckets *= 2;
	uint32_t *buckets = calloc(nbuckets, sizeof *buckets);
	if (!buckets)
		return sh_error(SH_ENOMEM, "out of memory (term dictionary)");
	for (uint32_t id = 0; id < b->nterms; id++) {
		uint32_t i = b->terms[id].hash & (nbuckets - 1);
		while (buckets[i])
			i = (i + 1) & (nbuckets - 1);
		buckets[i] = id + 1;
	}
	uint32_t pool_size = (uint32_t)b->pool.len;
	uint32_t header[4] = { TDIC_MAGIC, b->nterms, nbuckets, pool_size };
	int rc = sh_buf_append(out, header, sizeof header);
	if (!rc)
		rc = sh_buf_append(out, buckets, nbuckets * sizeof *buckets);
	if (!rc && b->nterms)
		rc = sh_buf_append(out, b->terms, b->nterms * sizeof *b->terms);
	if (!rc && pool_size)
		rc = sh_buf_append(out, b->pool.data, pool_size);
	/* pad to 4 bytes so that whatever follows in the section stays aligned */
	while (!rc && out->len % 4)
		rc = sh_buf_putc(out, '\0');
	free(buckets);
	return rc;
}

void sh_tdb_free(sh_termdict_builder *b)
{
	sh_buf_free(&b->pool);
	free(b->terms);
	free(b->buckets);
	memset(b, 0, sizeof *b);
}

int sh_termdict_open(sh_termdict *d, const void *data, size_t size)
{
	memset(d, 0, sizeof *d);
	uint32_t h[4];
	if (size < sizeof h || (uintptr_t)data % 4)
		return sh_error(SH_EFORMAT, "term dictionary: truncated");
	memcpy(h, data, sizeof h);
	uint64_t need = sizeof h + (uint64_t)h[2] * 4 + (uint64_t)h[1] * sizeof(sh_termdict_entry) + h[3];
	if (h[0] != TDIC_MAGIC || h[2] == 0 || (h[2] & (h[2] - 1)) || h[1] >= h[2] || need > size)
		return sh_error(SH_EFORMAT, "term dictionary: corrupt header");
	const char *p = (const char *)data + sizeof h;
	d->buckets = (const uint32_t *)p;
	d->terms = (const sh_termdict_entry *)(p + (size_t)h[2] * 4);
	d->pool = (const char *)(d->terms + h[1]);
	d->nterms = h[1];
	d->nbuckets = h[2];
	d->pool_size = h[3];
	for (uint32_t i = 0; i < d->nterms; i++) {
		const sh_termdict_entry *e = &d->terms[i];
		if ((uint64_t)e->offset + e->length >= d->pool_size || d->pool[e->offset + e->length] != '\0')
			return sh_error(SH_EFORMAT, "term dictionary: term %u out of bounds", i);
	}
	for (uint32_t i = 0; i < d->nbuckets; i++)
		if (d->buckets[i] > d->nterms)
			return sh_error(SH_EFORMAT, "term dictionary: bucket %u out of bounds", i);
	return SH_OK;
}

uint32_t sh_termdict_find(const sh_termdict *d, const char *term, size_t len)
{
	if (!d->nbuckets || d->nterms + 1 > d->nbuckets)
		return SH_TERM_NONE;
	uint32_t slot;
	return probe(d->buckets, d->nbuckets, d->terms, d->pool, term, len,
	             (uint32_t)sh_hash64(term, len), &slot);
}

const char *sh_termdict_term(const sh_termdict *d, uint32_t id, size_t *len)
{
	if (id >= d->nterms)
		return NULL;
	if (len)
		*len = d->terms[id].length;
	return d->pool + d->terms[id].offset;
}
