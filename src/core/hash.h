/*
 * core/hash.h - a fast non-cryptographic 64-bit hash for in-memory and
 * on-disk hash tables.  The function is part of the index file format: the
 * index stores tables keyed by sh_hash64(), so changing it requires bumping
 * the index format version.
 */
#ifndef SH_CORE_HASH_H
#define SH_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t sh_hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Word-at-a-time multiply-xorshift hash; reads the tail byte by byte. */
static inline uint64_t sh_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0x100000001b3ULL);
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ sh_hash_mix(w)) * 0x9fb21c651e98df25ULL;
		p += 8;
		len -= 8;
	}
	uint64_t t = 0;
	for (size_t i = 0; i < len; i++)
		t |= (uint64_t)p[i] << (8 * i);
	h = (h ^ sh_hash_mix(t ^ 0x2545f4914f6cdd1dULL)) * 0x9fb21c651e98df25ULL;
	return sh_hash_mix(h);
}

#endif
