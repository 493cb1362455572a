/*
 * core/fileio.h - whole-file helpers: read-only memory maps, atomic writes.
 *
 * sh_map_file() maps a file read-only and shared, so several processes (and
 * every thread of one) share the pages of an index file.  sh_write_atomic()
 * writes to "<path>.tmp.<pid>" and renames it over path, so readers see either
 * the old file or the new one, never a half-written one.
 */
#ifndef SH_CORE_FILEIO_H
#define SH_CORE_FILEIO_H

#include <stddef.h>

typedef struct sh_map {
	const void *data;
	size_t      size;
} sh_map;

int  sh_map_file(sh_map *m, const char *path);
void sh_unmap(sh_map *m);

int  sh_write_atomic(const char *path, const void *data, size_t size);

/* Reads a whole file into a NUL-terminated malloc'd buffer (caller frees). */
int  sh_read_file(const char *path, char **out, size_t *len);

int  sh_file_exists(const char *path);

#endif
