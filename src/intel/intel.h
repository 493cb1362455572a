/*
 * intel/intel.h - the taxonomy side of the queries (struct sh_intel) and the
 * helpers the query files share.
 *
 * sh_intel_open loads, once, what queries need about ESCO concepts, indexed
 * by a dense concept number (the id of the URI in `uri`):
 *   - preferred label, kind, ISCO unit-group code of occupations;
 *   - the collections a skill belongs to (bit i = collection[i]);
 *   - narrower lists of the skill hierarchy (skill groups -> skills);
 *   - the heat-table column of each skill: its group just below a top
 *     concept of the skills pillar (S1..S8, K..., or the top itself);
 *   - the ESCO essential/optional skills of each occupation.
 */
#ifndef SH_INTEL_INTEL_H
#define SH_INTEL_INTEL_H

#include "intel/agg.h"

enum { SH_INTEL_MAX_COLLECTIONS = 32 };
enum { SH_REL_NONE, SH_REL_ESSENTIAL, SH_REL_OPTIONAL };

typedef struct sh_intel_concept {
	const char *label;       /* owned by sh_intel.labels */
	char        kind;        /* 's' skill, 'g' skill group, 'o' occupation */
	char        isco[5];     /* occupations: ISCO unit group ("2512"), else "" */
	uint32_t    collections; /* bit i: member of collection[i] */
	uint32_t    column;      /* skills: heat-table column concept, UINT32_MAX if none */
	uint32_t    narrower;    /* first index in sh_intel.narrower, count in nnarrower */
	uint32_t    nnarrower;
	uint32_t    occskills;   /* occupations: first index in sh_intel.occskill */
	uint32_t    noccskills;
} sh_intel_concept;

typedef struct sh_intel_occskill {
	uint32_t skill;
	int      relation; /* SH_REL_ESSENTIAL | SH_REL_OPTIONAL */
} sh_intel_occskill;

struct sh_intel {
	sh_strtab          uri;        /* concept number = id of its URI */
	sh_intel_concept  *concept;    /* by concept number */
	char             **labels;     /* owned label strings, by concept number (NULL = none) */
	uint32_t          *narrower;
	sh_intel_occskill *occskill;
	char              *collection[SH_INTEL_MAX_COLLECTIONS];
	size_t             ncollections;
};

/* Months "YYYY-MM" a period bound covers: first (from) or last (to) month. */
int sh_intel_period_bound(const char *period, int last, char out[8]);

/*
 * A filter compiled against one aggregate: which cells and which skills
 * (both by the aggregate's ids) pass.  concept[id] maps an aggregate string
 * to a concept number (UINT32_MAX when not a concept).
 */
typedef struct sh_intel_sel {
	uint8_t  *cell_ok;   /* by cell */
	uint8_t  *skill_ok;  /* by aggregate string id */
	uint32_t *concept;   /* by aggregate string id */
	char      from[8], to[8];
} sh_intel_sel;

int  sh_intel_sel_init(sh_intel_sel *s, const sh_intel *intel, const sh_agg *agg,
                       const sh_intel_filter *f);
void sh_intel_sel_free(sh_intel_sel *s);

/* An id with its count and the key that breaks ties (sh_intel_top_ids). */
typedef struct sh_intel_ranked {
	uint32_t    id;
	int64_t     n;
	const char *key;
} sh_intel_ranked;

/*
 * The ids i of count[0..n) with count[i] > 0, largest count first, ties by
 * key[i]: fills out (room for n) and returns how many of them to keep (at
 * most max).
 */
size_t sh_intel_top_ids(const int64_t *count, char *const *key, size_t n, size_t max, sh_intel_ranked *out);

/* 1 when the period string (an aggregate month) lies in [from, to] ("" bound = open). */
int sh_intel_in_range(const char *month, const char *from, const char *to);

/* The label of the skill whose URI is uri; NULL when uri is not a skill of the taxonomy. */
const char *sh_intel_skill_label(const sh_intel *intel, const char *uri);

/* Label of an aggregate string: the concept's label, else the string itself. */
const char *sh_intel_label(const sh_intel *intel, const sh_intel_sel *s, const sh_agg *agg, uint32_t id);

#endif
