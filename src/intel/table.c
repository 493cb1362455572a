/*
 * intel/table.c - string interning and fixed-width key tables (table.h).
 *
 * Tables double when they would pass half full, which keeps linear probes
 * short; a slot holds an index plus one so that zeroed memory is empty.
 */
#include "intel/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/hash.h"

static int strtab_grow(sh_strtab *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 1024;
	uint32_t *slot = calloc(nslot, sizeof *slot);
	if (!slot)
		return sh_error(SH_ENOMEM, "out of memory (string table of %zu slots)", nslot);
	for (size_t id = 0; id < t->n; id++) {
		size_t i = sh_hash64(t->str[id], strlen(t->str[id])) & (nslot - 1);
		while (slot[i])
			i = (i + 1) & (nslot - 1);
		slot[i] = (uint32_t)id + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return SH_OK;
}

static size_t strtab_probe(const sh_strtab *t, const char *s, size_t len)
{
	size_t i = sh_hash64(s, len) & (t->nslot - 1);
	while (t->slot[i]) {
		const char *have = t->str[t->slot[i] - 1];
		if (strncmp(have, s, len) == 0 && have[len] == '\0')
			break;
		i = (i + 1) & (t->nslot - 1);
	}
	return i;
}

int sh_strtab_intern(sh_strtab *t, const char *s, size_t len, uint32_t *id)
{
	if ((t->n + 1) * 2 > t->nslot && strtab_grow(t))
		return SH_ENOMEM;
	size_t i = strtab_probe(t, s, len);
	if (t->slot[i]) {
		*id = t->slot[i] - 1;
		return SH_OK;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **str = realloc(t->str, cap * sizeof *str);
		if (!str)
			return sh_error(SH_ENOMEM, "out of memory (%zu strings)", cap);
		t->str = str;
		t->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return sh_error(SH_ENOMEM, "out of memory (string of %zu bytes)", len);
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->str[t->n] = copy;
	t->slot[i] = (uint32_t)++t->n;
	*id = (uint32_t)(t->n - 1);
	return SH_OK;
}

int sh_strtab_find(const sh_strtab *t, const char *s, uint32_t *id)
{
	if (!t->nslot)
		return 0;
	size_t i = strtab_probe(t, s, strlen(s));
	if (!t->slot[i])
		return 0;
	*id = t->slot[i] - 1;
	return 1;
}

void sh_strtab_free(sh_strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

static size_t ktab_probe(const uint32_t *slot, size_t nslot, unsigned words, const uint32_t *key)
{
	size_t i = sh_hash64(key, words * sizeof *key) & (nslot - 1);
	for (;;) {
		const uint32_t *s = slot + i * (words + 1);
		if (!s[words] || memcmp(s, key, words * sizeof *key) == 0)
			return i;
		i = (i + 1) & (nslot - 1);
	}
}

static int ktab_grow(sh_ktab *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 1024, w = t->words + 1;
	uint32_t *slot = calloc(nslot * w, sizeof *slot);
	if (!slot)
		return sh_error(SH_ENOMEM, "out of memory (key table of %zu slots)", nslot);
	for (size_t i = 0; i < t->nslot; i++) {
		const uint32_t *s = t->slot + i * w;
		if (s[t->words])
			memcpy(slot + ktab_probe(slot, nslot, t->words, s) * w, s, w * sizeof *s);
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return SH_OK;
}

int sh_ktab_get_or_add(sh_ktab *t, const uint32_t *key, uint32_t next, uint32_t *value, int *added)
{
	if ((t->n + 1) * 2 > t->nslot && ktab_grow(t))
		return SH_ENOMEM;
	uint32_t *s = t->slot + ktab_probe(t->slot, t->nslot, t->words, key) * (t->words + 1);
	*added = !s[t->words];
	if (*added) {
		memcpy(s, key, t->words * sizeof *key);
		s[t->words] = next + 1;
		t->n++;
	}
	*value = s[t->words] - 1;
	return SH_OK;
}

void sh_ktab_free(sh_ktab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->nslot = t->n = 0;
}
