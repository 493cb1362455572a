/*
 * match/matcher_format.h - the index sections of the label matcher, shared
 * by the compiler (matcher_compile.c), the loader (matcher_open.c) and the
 * scanner (matcher_scan.c).
 *
 * Concepts are sh_cid values of the same index, labels are indexes of its
 * text records (SH_SEC_TEXTS) and languages indexes of its language list, so
 * the matcher stores no strings of its own.
 *
 * Sections (arrays of little-endian records, see index/idxfile.h):
 *   MHDR  mt_header: counts of everything below
 *   MTDC  term dictionary of label word stems (index/termdict.h)
 *   MTRT  u32[nterms]      root of each term (bag channel): terms that ESCO
 *                          uses interchangeably within one concept's labels
 *                          ("maintain" / "maintenance") share one root
 *   MROT  mt_start[nterms] trie state reached from the root by term t (0 =
 *                          none), with a filter of the terms that can follow
 *   MEDG  mt_edge[nedge_buckets]  (state, term) -> child, open addressing on
 *         mt_edge_hash(), child 0 = empty slot (the root is never a child)
 *   MFIN  u32[nstates + 1] entries of state s are MENT[fin[s] .. fin[s+1])
 *   MENT  mt_entry[nentries]
 *   MWRD  u32[nentries]    one-word labels: offset of the label's word (normal
 *                          form, accents folded) in MWPL; UINT32_MAX otherwise
 *   MWPL  NUL-terminated words (pool_size bytes)
 *   MBAG  mt_bag[nbags]    sorted by (keys[0], keys[1])
 *   MBPR  mt_pair[npair_buckets]  (keys[0], keys[1]) -> run of MBAG, open
 *                          addressing on mt_edge_hash(k0, k1), count 0 = empty
 *   MBMK  u64[nterms]      bit (keys[1] & 63) of every bag anchored at root r
 *                          (0: r anchors no bag): rejects most (anchor, other
 *                          root) pairs before the MBPR lookup
 *   MBWN  u8[nterms]       most roots of a bag anchored at root r (0 = none):
 *                          the scanner's window around an anchor
 *   MBBL  u64[npair_bloom_bits / 64]  bit (mt_edge_hash(k0, k1) >> 8) mod
 *                          npair_bloom_bits of every MBPR pair: a filter small
 *                          enough to stay in cache, read before the table
 */
#ifndef SH_MATCH_MATCHER_FORMAT_H
#define SH_MATCH_MATCHER_FORMAT_H

#include <stdint.h>

#include "core/hash.h"
#include "index/index_internal.h"
#include "index/termdict.h"

#define MT_SEC_HEADER   SH_IDX_ID('M', 'H', 'D', 'R')
#define MT_SEC_TERMS    SH_IDX_ID('M', 'T', 'D', 'C')
#define MT_SEC_ROOTS    SH_IDX_ID('M', 'T', 'R', 'T')
#define MT_SEC_START    SH_IDX_ID('M', 'R', 'O', 'T')
#define MT_SEC_EDGES    SH_IDX_ID('M', 'E', 'D', 'G')
#define MT_SEC_FINAL    SH_IDX_ID('M', 'F', 'I', 'N')
#define MT_SEC_ENTRIES  SH_IDX_ID('M', 'E', 'N', 'T')
#define MT_SEC_WORDS    SH_IDX_ID('M', 'W', 'R', 'D')
#define MT_SEC_WORDPOOL SH_IDX_ID('M', 'W', 'P', 'L')
#define MT_SEC_PAIRS    SH_IDX_ID('M', 'B', 'P', 'R')
#define MT_SEC_BAGS     SH_IDX_ID('M', 'B', 'A', 'G')
#define MT_SEC_BAGMASK  SH_IDX_ID('M', 'B', 'M', 'K')
#define MT_SEC_PAIRBITS SH_IDX_ID('M', 'B', 'B', 'L')
#define MT_SEC_BAGWIDTH SH_IDX_ID('M', 'B', 'W', 'N')

#define MT_MAGIC        0x3754434du /* "MCT7" */
#define MT_MAX_BAG_KEYS 4
#define MT_ROOT_PREFIX  5           /* related stems share at least this many leading bytes */

typedef struct mt_header {
	uint32_t magic;
	uint32_t nterms;
	uint32_t nstates, nedge_buckets, nentries;
	uint32_t nbags, npair_buckets, npair_bloom_bits;
	uint32_t word_pool_size;
} mt_header;

/* What the scanner needs of the first step, in one record. */
typedef struct mt_start {
	uint32_t child;  /* state after term t, 0 = no label starts with t */
	uint32_t final;  /* 1 if child is a final state */
	uint64_t next;   /* bit (term % 64) of every term leaving child */
} mt_start;

static inline uint64_t mt_next_bit(uint32_t term)
{
	return (uint64_t)1 << (term % 64);
}

typedef struct mt_edge {
	uint32_t state, term, child;
} mt_edge;

typedef struct mt_entry {
	uint32_t concept;  /* sh_cid */
	uint32_t label;    /* text record of the index */
	uint8_t  lang;     /* language of the index */
	uint8_t  flags;    /* SH_MATCH_PREFERRED / _ALT / _HIDDEN, MT_ENTRY_ACRONYM */
	uint16_t reserved; /* 0 */
} mt_entry;

/* mt_entry.flags: a one-word label written in capitals ("IT"): matches only capitals. */
#define MT_ENTRY_ACRONYM 0x80

typedef struct mt_bag {
	uint32_t concept, label;
	uint8_t  lang, flags, nkeys, reserved;
	uint32_t keys[MT_MAX_BAG_KEYS]; /* distinct root ids, the rarest (the anchor) first */
} mt_bag;

typedef struct mt_pair {
	uint32_t k0, k1;          /* the two rarest roots of the bags */
	uint32_t first, count;    /* MBAG[first .. first + count) */
} mt_pair;

static inline uint32_t mt_edge_hash(uint32_t state, uint32_t term)
{
	return (uint32_t)sh_hash_mix(((uint64_t)state << 32) | term);
}

/* The opened matcher: validated pointers into the index's memory map. */
struct sh_matcher {
	const sh_index  *idx;
	mt_header        h;
	sh_termdict      terms;
	const uint32_t  *root;     /* nterms */
	const mt_start  *start;    /* nterms */
	const mt_edge   *edges;    /* nedge_buckets */
	const uint32_t  *fin;      /* nstates + 1 */
	const mt_entry  *entries;  /* nentries */
	const uint32_t  *words;    /* nentries */
	const char      *word_pool;
	const mt_pair   *pairs;    /* npair_buckets */
	const mt_bag    *bags;     /* nbags */
	const uint64_t  *bag_mask; /* nterms */
	const uint8_t   *bag_width; /* nterms */
	const uint64_t  *pair_bits; /* npair_bloom_bits / 64 */
	uint64_t         serial;   /* unique per open: scratch caches are tied to one matcher */
};

/* Bit of pair (k0, k1) in MBBL, given the pair's hash and the filter's size (a power of two >= 64). */
static inline int mt_pair_bloom_has(const uint64_t *bits, uint32_t nbits, uint32_t hash)
{
	uint32_t b = (hash >> 8) & (nbits - 1);
	return (bits[b / 64] >> (b % 64)) & 1;
}

/* Bit of a root in the MBMK masks. */
static inline uint64_t mt_root_bit(uint32_t root)
{
	return (uint64_t)1 << (root & 63);
}

#endif
