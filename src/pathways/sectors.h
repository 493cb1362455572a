/*
 * pathways/sectors.h - sector tags an alliance defines over occupations,
 * read from a JSON file it edits (docs/pathways.md, "Sector tags"):
 *
 *   {"sectors": {"battery": ["http://data.europa.eu/esco/occupation/...", "isco:8212"], ...}}
 *
 * An entry is an occupation (URI, UUID or code: that occupation only) or
 * "isco:" and 1-4 ISCO digits (every occupation whose unit group code starts
 * with them).  The tags are resolved against one index at load, so an
 * sh_sectors belongs to that index; it is read-only afterwards and may be
 * shared between threads.  Transitions (pathways_json.h) count a move as
 * same-sector also when both occupations carry a common tag.
 */
#ifndef SH_PATHWAYS_SECTORS_H
#define SH_PATHWAYS_SECTORS_H

#include "skillhub/pathways.h"

typedef struct sh_sectors sh_sectors;

/* Parses a sector document (name, e.g. the file, prefixes error messages) and resolves it against idx. */
int  sh_sectors_from_json(sh_sectors **out, const sh_index *idx, const char *json, size_t len, const char *name);
/* Reads and parses a sector file. */
int  sh_sectors_load(sh_sectors **out, const sh_index *idx, const char *file);
void sh_sectors_free(sh_sectors *s);

/* The tags of occupation c, ascending (tag numbers order the names alphabetically); count returned. */
size_t      sh_sectors_of(const sh_sectors *s, sh_cid c, const uint32_t **tags);
/* The name of tag t. */
const char *sh_sector_name(const sh_sectors *s, uint32_t t);

#endif
