/*
 * index/index_internal.h - the inside of the compiled index, shared by the
 * modules that compile sections into it and read them back (concepts and
 * relations in index.c, search in search.c, the text matcher in src/match).
 *
 * Building: sh_index_build() runs a fixed list of section compilers in order
 * (see `compilers[]` in index.c).  Each gets the sh_index_builder: the
 * database, the writer to add its sections to, and what the earlier
 * compilers produced (concept numbering, text records, the string pool), so a
 * later compiler maps database ids to sh_cid with sh_index_builder_cid() and
 * never re-reads what is already in memory.  The string pool is written last,
 * so compilers may append strings to it.
 *
 * Reading: struct sh_index holds the mapped file and typed pointers to the
 * core sections, all validated once by sh_index_open(); other modules find
 * their own sections with sh_idxf_section(sh_index_file(idx), ...) and must
 * validate them the same way before trusting any offset.  The file format is
 * described in docs/index-format.md.
 */
#ifndef SH_INDEX_INTERNAL_H
#define SH_INDEX_INTERNAL_H

#include "skillhub/index.h"
#include "index/idxfile.h"
#include "index/termdict.h"

/* Core section ids. */
#define SH_SEC_STRINGS  SH_IDX_ID('S', 'T', 'R', 'S') /* NUL-terminated strings; offset 0 is "" */
#define SH_SEC_CONCEPTS SH_IDX_ID('C', 'O', 'N', 'C') /* sh_idx_concept[n] */
#define SH_SEC_KEYS     SH_IDX_ID('K', 'E', 'Y', 'S') /* u32 nbuckets | sh_idx_key[nbuckets] */
#define SH_SEC_LANGS    SH_IDX_ID('L', 'A', 'N', 'G') /* u32 count | u32 string offset[count] */
#define SH_SEC_TEXTS    SH_IDX_ID('T', 'E', 'X', 'T') /* sh_idx_text[ntext], sorted by concept, lang, kind */
#define SH_SEC_TEXT_OFF SH_IDX_ID('T', 'O', 'F', 'F') /* u32[n + 1]: a concept's first text record */
/* Relation rel: u32 offsets[n + 1] then u32 targets[offsets[n]]. */
#define SH_SEC_REL(rel) SH_IDX_ID('R', 'L', '0' + (rel) / 10, '0' + (rel) % 10)
#define SH_REL_MAX      SH_REL_IN_SCHEME

#define SH_CID_NONE UINT32_MAX

/* Fixed-size concept record; strings are offsets into SH_SEC_STRINGS. */
typedef struct sh_idx_concept {
	uint32_t uri, code, skill_type, reuse_level, status;
	uint32_t kind; /* sh_kind */
} sh_idx_concept;

/* Text kinds of sh_idx_text.kind: the three label kinds, then the notes. */
enum {
	SH_TEXT_PREFERRED = 1, SH_TEXT_ALTERNATIVE, SH_TEXT_HIDDEN,
	SH_TEXT_DESCRIPTION, SH_TEXT_DEFINITION, SH_TEXT_SCOPE_NOTE
};

/* One label or note of one concept in one language. */
typedef struct sh_idx_text {
	uint32_t concept; /* sh_cid */
	uint32_t text;    /* string offset */
	uint8_t  kind;    /* SH_TEXT_* */
	uint8_t  lang;    /* index into the language list */
	uint16_t reserved;
} sh_idx_text;

/* Lookup hash slot: key string offset and cid + 1 (0 = empty); linear probing on sh_hash64(key). */
typedef struct sh_idx_key {
	uint32_t key, cid1;
} sh_idx_key;

struct sh_search_lang; /* search.c */

struct sh_index {
	sh_idx_file           file;
	const char           *strings;
	size_t                strings_size;
	const sh_idx_concept *concepts;
	uint32_t              nconcepts;
	const sh_idx_key     *keys;
	uint32_t              nkeys; /* buckets, a power of two */
	const sh_idx_text    *texts;
	uint32_t              ntexts;
	const uint32_t       *text_off;
	const uint32_t       *rel_off[SH_REL_MAX + 1];
	const uint32_t       *rel_dst[SH_REL_MAX + 1];
	const char          **langs;   /* malloc'd array of pointers into strings */
	size_t                nlangs;
	struct sh_search_lang *search; /* per language, nlangs entries (search.c) */
	const uint8_t        *label_len;  /* search.c: distinct terms per text record */
	const uint32_t       *label_hash; /* search.c: normal-form hash per text record */
};

const sh_idx_file *sh_index_file(const sh_index *idx);
/* Index of lang in the language list, or -1. */
int sh_index_lang_id(const sh_index *idx, const char *lang);
/* off[0..n] starts at 0, never decreases and ends at total (validating CSR offsets). */
int sh_index_offsets_ok(const uint32_t *off, size_t n, size_t total);
/* The string at a validated offset. */
static inline const char *sh_index_str(const sh_index *idx, uint32_t off)
{
	return idx->strings + off;
}

/* What section compilers share while sh_index_build() runs. */
typedef struct sh_index_builder {
	sh_db         *db;
	sh_idx_writer *out;
	sh_buf         strings;   /* the string pool, written after every compiler ran */
	uint32_t       nconcepts;
	int64_t       *db_ids;    /* sorted concept.id values ... */
	sh_cid        *db_cids;   /* ... and the cid of each */
	sh_idx_text   *texts;     /* text records, sorted by concept, lang, kind */
	uint32_t       ntexts;
	char         **langs;     /* language codes, sorted */
	size_t         nlangs;
} sh_index_builder;

/* The cid of database concept db_id; SH_ENOTFOUND when absent. */
int sh_index_builder_cid(const sh_index_builder *b, int64_t db_id, sh_cid *out);
/* Appends a NUL-terminated string to the pool and sets *off. */
int sh_index_builder_string(sh_index_builder *b, const char *s, size_t len, uint32_t *off);

/* Search sections (search.c): compiled after the concepts, opened by sh_index_open. */
int  sh_search_compile(sh_index_builder *b);
int  sh_search_open(sh_index *idx);
void sh_search_close(sh_index *idx);

#endif
