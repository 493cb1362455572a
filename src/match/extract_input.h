/*
 * match/extract_input.h - reading one JSON-object input line of `skillhub
 * extract` / `skillhub titles` (cli/jsonl.c): its "text" and the start of
 * its output line, `{"id":ID,"other":VALUE,...,` (every member but "text",
 * "id" first; the line number stands for a missing "id").
 *
 * Two readers give byte-identical results:
 *   - a fast one for the common form, members whose values are strings
 *     without escapes (except "text", which may have any), integers, true,
 *     false or null: it decodes "text" without building a jansson tree
 *     and copies the other values as they are;
 *   - jansson (json_loadb with JSON_REJECT_DUPLICATES) for anything else,
 *     errors included: the fast reader gives up rather than judge a line.
 * tests/unit/test_extract_input.c checks that both agree on tricky lines.
 */
#ifndef SH_MATCH_EXTRACT_INPUT_H
#define SH_MATCH_EXTRACT_INPUT_H

#include <stddef.h>

#include "core/buf.h"

typedef struct sh_input {
	const char *text;     /* the decoded "text": into the line or into decoded */
	size_t      text_len;
	sh_buf      id;       /* the JSON of "id", empty when it is absent or unreadable */
	sh_buf      decoded;  /* scratch for a "text" with escapes */
} sh_input;

#define SH_INPUT_INIT { NULL, 0, SH_BUF_INIT, SH_BUF_INIT }

/* Readers allowed to sh_input_read (the fast one falls back to jansson). */
enum { SH_INPUT_FAST = 1, SH_INPUT_JANSSON_ONLY = 0 };

/*
 * Reads line[0..len) (a JSON object) and appends `{"id":ID,...,` to out;
 * lineno stands for a missing "id".  Returns SH_OK, or SH_EFORMAT with the
 * message set (malformed JSON, not an object, no string "text"; out is then
 * unspecified, in->id holds the id when it could be read).  in->text stays
 * valid until the next call or until the line changes.
 */
int sh_input_read(sh_input *in, sh_buf *out, const char *line, size_t len, size_t lineno, int readers);

void sh_input_free(sh_input *in);

#endif
