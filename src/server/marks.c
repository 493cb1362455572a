/*
 * server/marks.c - the spans the analyse page highlights (see marks.h):
 * sort by start (longer first, better skill first), then one pass keeping a
 * span when it starts at or after the end of the last one kept.
 */
#include "server/marks.h"

#include <stdlib.h>

static int by_start_longest_first(const void *pa, const void *pb)
{
	const sh_mark *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

size_t sh_marks_select(sh_mark *m, size_t n, size_t text_len)
{
	qsort(m, n, sizeof *m, by_start_longest_first);
	size_t kept = 0, at = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].start < at || m[i].end > text_len || m[i].start >= m[i].end)
			continue;
		at = m[i].end;
		m[kept++] = m[i];
	}
	return kept;
}
