/*
 * intel/agg.h - the in-memory aggregate (struct sh_agg), shared by the
 * aggregate's own files (agg.c, agg_file.c, agg_db.c) and the queries.
 *
 * Three record arrays, each indexed by a key table:
 *   cell  (period, country, region, occupation, sector) -> counted ads
 *   skill (cell, skill)                                 -> ads asking for the skill
 *   pair  (period, skill a, skill b), a < b by strcmp   -> ads asking for both
 * Every string is an id of the aggregate's string table; "" (unknown) is
 * interned like any other string.  Ids depend on the order of insertion and
 * never leave the process: the file format and merge work on the strings.
 */
#ifndef SH_INTEL_AGG_H
#define SH_INTEL_AGG_H

#include "skillhub/intel.h"
#include "intel/table.h"

enum { SH_DIM_PERIOD, SH_DIM_COUNTRY, SH_DIM_REGION, SH_DIM_OCCUPATION, SH_DIM_SECTOR, SH_DIMS };

typedef struct sh_agg_cell {
	uint32_t dim[SH_DIMS];
	int64_t  ads;
} sh_agg_cell;

typedef struct sh_agg_skill {
	uint32_t cell;
	uint32_t skill;
	int64_t  ads;
} sh_agg_skill;

typedef struct sh_agg_pair {
	uint32_t period;
	uint32_t a, b;
	int64_t  ads;
} sh_agg_pair;

struct sh_agg {
	sh_strtab     str;
	sh_agg_cell  *cell;
	size_t        ncell, capcell;
	sh_ktab       cellkey;
	sh_agg_skill *skill;
	size_t        nskill, capskill;
	sh_ktab       skillkey;
	sh_agg_pair  *pair;
	size_t        npair, cappair;
	sh_ktab       pairkey;
	int           keyed; /* 0: the key tables are not built yet (a parsed aggregate, until its first add) */
	int64_t       total;
};

/* Adds n to the cell of the given dimension ids; *cell receives its index. */
int sh_agg_add_cell(sh_agg *agg, const uint32_t dim[SH_DIMS], int64_t n, uint32_t *cell);
int sh_agg_add_skill(sh_agg *agg, uint32_t cell, uint32_t skill, int64_t n);
/* a and b in any order (they are put in strcmp order); a != b. */
int sh_agg_add_pair(sh_agg *agg, uint32_t period, uint32_t a, uint32_t b, int64_t n);

/*
 * Appending records known to be new (a canonical file's, in order): no key
 * lookup, so reading a file costs no hashing.  Only on an aggregate whose
 * keyed is 0; the first sh_agg_add_* afterwards builds the key tables.
 */
int sh_agg_append_cell(sh_agg *agg, const uint32_t dim[SH_DIMS], int64_t n);
int sh_agg_append_skill(sh_agg *agg, uint32_t cell, uint32_t skill, int64_t n);
int sh_agg_append_pair(sh_agg *agg, uint32_t period, uint32_t a, uint32_t b, int64_t n);

/* "YYYY-MM" prefix of an ISO date into out[8] ("" when s is not one). */
void sh_agg_month(const char *s, char out[8]);

#endif
