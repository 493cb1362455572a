/*
 * server/marks.h - which skill spans the "analyse a text" page highlights.
 *
 * Spans of different skills, or of one skill, may overlap ("software" inside
 * "software development").  A highlighted span is a link, and links cannot
 * nest, so only non-overlapping spans are marked: greedily from the left,
 * the longer span first at equal starts, the better ranked skill at equal
 * spans.  The skills of the spans left out are still listed by the page.
 */
#ifndef SH_SERVER_MARKS_H
#define SH_SERVER_MARKS_H

#include <stddef.h>
#include <stdint.h>

#include "skillhub/index.h"

typedef struct sh_mark {
	uint32_t start, end;   /* byte range [start, end) */
	sh_cid   concept;
	size_t   rank;         /* of the skill, best = 0 */
} sh_mark;

/*
 * Reorders m[0..n) so that its first k entries are the spans to mark, in
 * text order, and returns k.  Empty spans and spans beyond text_len are
 * never kept.
 */
size_t sh_marks_select(sh_mark *m, size_t n, size_t text_len);

#endif
