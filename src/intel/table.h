/*
 * intel/table.h - the two hash tables the aggregate is built from.
 *
 * sh_strtab interns strings: each distinct string gets a dense id (0, 1, ...)
 * in order of first appearance and is stored once.  sh_ktab maps a key of a
 * fixed number of 32-bit words (string ids, record indices) to a dense record
 * index.  Both use open addressing with linear probing, at most half full, and
 * sh_hash64; neither ever removes an entry.
 */
#ifndef SH_INTEL_TABLE_H
#define SH_INTEL_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sh_strtab {
	char    **str;    /* str[id], NUL-terminated, owned */
	size_t    n, cap;
	uint32_t *slot;   /* id + 1, 0 = empty */
	size_t    nslot;  /* power of two */
} sh_strtab;

/* The id of s[0..len), adding it if new. */
int  sh_strtab_intern(sh_strtab *t, const char *s, size_t len, uint32_t *id);
/* 1 and *id when s is interned, else 0. */
int  sh_strtab_find(const sh_strtab *t, const char *s, uint32_t *id);
void sh_strtab_free(sh_strtab *t);

enum { SH_KTAB_MAX_WORDS = 6 };

typedef struct sh_ktab {
	uint32_t *slot;   /* nslot entries of (words key words, value + 1); value + 1 == 0: empty */
	size_t    nslot;  /* power of two */
	size_t    n;
	unsigned  words;
} sh_ktab;

/*
 * The value of key; when absent, stores next (the caller's next record
 * index) and sets *added.  t->words must be set before the first call.
 */
int  sh_ktab_get_or_add(sh_ktab *t, const uint32_t *key, uint32_t next, uint32_t *value, int *added);
void sh_ktab_free(sh_ktab *t);

#endif
