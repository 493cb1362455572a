/*
 * index/idxfile.h - the container format of the compiled index file.
 *
 * The index is one immutable file made of named sections.  Each module that
 * compiles something from the database (concept records, the search
 * dictionary, the text matcher...) writes its own sections and reads them back
 * from the memory map; this file only knows how to lay sections out and find
 * them.
 *
 * Layout (all integers little-endian, as the host; the index is a local cache,
 * not an interchange format, and is rebuilt when absent or stale):
 *
 *   header   magic "SKHIDX01" | u32 format | u32 nsections | i64 generation |
 *            u64 file_size
 *   dir      nsections x { u32 id | u32 reserved | u64 offset | u64 size }
 *   data     each section starts at a 64-byte aligned offset
 *
 * Section ids are four ASCII characters packed with SH_IDX_ID('C','O','N','C').
 * A section's content is an array of fixed-size little-endian records and/or
 * string pools; its owner validates every offset it reads against the
 * section size at open time, so a truncated or foreign file is reported, not
 * dereferenced.
 */
#ifndef SH_INDEX_IDXFILE_H
#define SH_INDEX_IDXFILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/fileio.h"

#define SH_IDX_MAGIC   "SKHIDX01"
#define SH_IDX_FORMAT  2u
#define SH_IDX_ID(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

typedef struct sh_idx_section_entry {
	uint32_t id;
	uint32_t reserved;
	uint64_t offset;
	uint64_t size;
} sh_idx_section_entry;

/* Writer: collects sections in memory, then writes the file atomically. */
typedef struct sh_idx_writer {
	sh_buf                 data;     /* section bytes, each 64-byte aligned relative to data start */
	sh_idx_section_entry  *dir;      /* offsets relative to data start until finish */
	uint32_t               nsections;
	uint32_t               cap;
} sh_idx_writer;

void sh_idxw_init(sh_idx_writer *w);
/* Copies size bytes as section id (ids must be unique). */
int  sh_idxw_add(sh_idx_writer *w, uint32_t id, const void *data, size_t size);
/* Writes header + directory + sections to path (atomic rename). */
int  sh_idxw_write(sh_idx_writer *w, const char *path, int64_t generation);
void sh_idxw_free(sh_idx_writer *w);

/* Reader over a read-only memory map. */
typedef struct sh_idx_file {
	sh_map                      map;
	int64_t                     generation;
	uint32_t                    nsections;
	const sh_idx_section_entry *dir;
} sh_idx_file;

int  sh_idxf_open(sh_idx_file *f, const char *path);
/* The section's bytes (64-byte aligned) or NULL when absent; *size set when found. */
const void *sh_idxf_section(const sh_idx_file *f, uint32_t id, size_t *size);
/*
 * A section holding exactly count elements of elem bytes: its bytes, or NULL
 * when it is absent or of another size.  An absent section of count 0 gives
 * a non-NULL empty array (a builder may omit empty sections).
 */
const void *sh_idxf_array(const sh_idx_file *f, uint32_t id, size_t elem, uint32_t count);
void sh_idxf_close(sh_idx_file *f);

#endif
