/*
 * match/extract_json.h - the JSON text of extraction and title results,
 * shared by `skillhub extract` / `skillhub titles` (cli/jsonl.c) and the
 * HTTP API (server/api_text.c), so that both give byte-identical output.
 *
 * The functions append object members, without the enclosing braces, so the
 * caller can put its own members ("id", fields passed through) first:
 *   "skills":[{"uri":U,"label":L,"score":S,"spans":[[start,end],...]},...],
 *   "occupations":[{"uri":U,"label":L,"score":S},...]
 * An "id" given with a text is copied with sh_json_value.  Scores are
 * printed with four decimals; labels are in lang (falling back
 * as sh_concept_label does); spans are byte offsets into the text.
 */
#ifndef SH_MATCH_EXTRACT_JSON_H
#define SH_MATCH_EXTRACT_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "skillhub/extract.h"
#include "skillhub/index.h"

/* Appends `"skills":[...],"occupations":[...]` of ex. */
int sh_extraction_json(sh_buf *out, const sh_index *idx, const char *lang, const sh_extraction *ex);

/* Appends `"occupations":[...]` of hits[0..n). */
int sh_occupations_json(sh_buf *out, const sh_index *idx, const char *lang,
                        const sh_occupation_hit *hits, size_t n);

/* Appends v as compact JSON (the "id" given with a text is copied this way). */
int sh_json_value(sh_buf *out, const json_t *v);

#endif
