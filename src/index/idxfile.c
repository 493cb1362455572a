/*
 * index/idxfile.c - writing and mapping the sectioned index container.
 */
#include "index/idxfile.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

#define SH_IDX_ALIGN 64

typedef struct idx_header {
	char     magic[8];
	uint32_t format;
	uint32_t nsections;
	int64_t  generation;
	uint64_t file_size;
} idx_header;

static size_t align_up(size_t n)
{
	return (n + SH_IDX_ALIGN - 1) & ~(size_t)(SH_IDX_ALIGN - 1);
}

void sh_idxw_init(sh_idx_writer *w)
{
	memset(w, 0, sizeof *w);
}

int sh_idxw_add(sh_idx_writer *w, uint32_t id, const void *data, size_t size)
{
	for (uint32_t i = 0; i < w->nsections; i++)
		if (w->dir[i].id == id)
			return sh_error(SH_EINVAL, "index section %.4s written twice", (const char *)&id);
	if (w->nsections == w->cap) {
		uint32_t cap = w->cap ? w->cap * 2 : 16;
		sh_idx_section_entry *d = realloc(w->dir, cap * sizeof *d);
		if (!d)
			return sh_error(SH_ENOMEM, "out of memory");
		w->dir = d;
		w->cap = cap;
	}
	size_t pad = align_up(w->data.len) - w->data.len;
	static const char zeros[SH_IDX_ALIGN];
	int rc = sh_buf_append(&w->data, zeros, pad);
	if (!rc)
		rc = sh_buf_append(&w->data, data, size);
	if (rc)
		return rc;
	w->dir[w->nsections++] = (sh_idx_section_entry){ id, 0, w->data.len - size, size };
	return SH_OK;
}

int sh_idxw_write(sh_idx_writer *w, const char *path, int64_t generation)
{
	size_t head = align_up(sizeof(idx_header) + w->nsections * sizeof(sh_idx_section_entry));
	size_t total = head + w->data.len;
	char *out = calloc(1, total);
	if (!out)
		return sh_error(SH_ENOMEM, "out of memory (index of %zu bytes)", total);
	idx_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, SH_IDX_MAGIC, 8);
	h.format = SH_IDX_FORMAT;
	h.nsections = w->nsections;
	h.generation = generation;
	h.file_size = total;
	memcpy(out, &h, sizeof h);
	sh_idx_section_entry *dir = (sh_idx_section_entry *)(out + sizeof h);
	for (uint32_t i = 0; i < w->nsections; i++) {
		dir[i] = w->dir[i];
		dir[i].offset += head;
	}
	if (w->data.len)
		memcpy(out + head, w->data.data, w->data.len);
	int rc = sh_write_atomic(path, out, total);
	free(out);
	return rc;
}

void sh_idxw_free(sh_idx_writer *w)
{
	sh_buf_free(&w->data);
	free(w->dir);
	memset(w, 0, sizeof *w);
}

int sh_idxf_open(sh_idx_file *f, const char *path)
{
	memset(f, 0, sizeof *f);
	int rc = sh_map_file(&f->map, path);
	if (rc)
		return rc;
	idx_header h;
	if (f->map.size < sizeof h) {
		sh_idxf_close(f);
		return sh_error(SH_EFORMAT, "%s: not a skillhub index (too short)", path);
	}
	memcpy(&h, f->map.data, sizeof h);
	if (memcmp(h.magic, SH_IDX_MAGIC, 8) != 0 || h.format != SH_IDX_FORMAT) {
		sh_idxf_close(f);
		return sh_error(SH_EFORMAT, "%s: not a skillhub index of format %u", path, SH_IDX_FORMAT);
	}
	size_t dir_end = sizeof h + (size_t)h.nsections * sizeof(sh_idx_section_entry);
	if (h.file_size != f->map.size || h.nsections > 4096 || dir_end > f->map.size) {
		sh_idxf_close(f);
		return sh_error(SH_EFORMAT, "%s: truncated or corrupt index", path);
	}
	f->dir = (const sh_idx_section_entry *)((const char *)f->map.data + sizeof h);
	f->nsections = h.nsections;
	f->generation = h.generation;
	for (uint32_t i = 0; i < f->nsections; i++) {
		const sh_idx_section_entry *e = &f->dir[i];
		if (e->offset % SH_IDX_ALIGN || e->offset > f->map.size || e->size > f->map.size - e->offset) {
			sh_idxf_close(f);
			return sh_error(SH_EFORMAT, "%s: section %u out of bounds", path, i);
		}
	}
	return SH_OK;
}

const void *sh_idxf_section(const sh_idx_file *f, uint32_t id, size_t *size)
{
	for (uint32_t i = 0; i < f->nsections; i++) {
		if (f->dir[i].id == id) {
			if (size)
				*size = f->dir[i].size;
			return (const char *)f->map.data + f->dir[i].offset;
		}
	}
	return NULL;
}

const void *sh_idxf_array(const sh_idx_file *f, uint32_t id, size_t elem, uint32_t count)
{
	size_t size = 0;
	const void *p = sh_idxf_section(f, id, &size);
	if (!p && count == 0)
		return "";
	if (!p || size != (size_t)count * elem)
		return NULL;
	return p;
}

void sh_idxf_close(sh_idx_file *f)
{
	sh_unmap(&f->map);
	memset(f, 0, sizeof *f);
}
