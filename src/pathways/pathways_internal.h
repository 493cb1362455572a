/*
 * pathways/pathways_internal.h - the precomputed context shared by the gap
 * analysis, transitions and workforce modules.
 *
 * sh_pathways_new() reads the index once: a specificity weight per concept,
 * every occupation's skill vector (essential skills at their weight,
 * optional ones at OPTIONAL_FACTOR times it) in CSR form, the inverted
 * index skill -> occupations over the same entries, each occupation's ISCO
 * code and its specialised ESCO collections (schemes holding fewer than half
 * of all occupations).  Everything is immutable afterwards.
 */
#ifndef SH_PATHWAYS_INTERNAL_H
#define SH_PATHWAYS_INTERNAL_H

#include "skillhub/pathways.h"

#include <stdbool.h>
#include <stdint.h>

/* An optional skill counts this much of its weight in occupation vectors. */
#define SH_OPTIONAL_FACTOR 0.5
/* Partial credit factors (docs/pathways.md). */
#define SH_NARROWER_FACTOR 0.8
#define SH_RELATED_FACTOR  0.5
/* Hierarchy steps followed upwards from a held skill. */
#define SH_NARROWER_DEPTH  4

#define SH_NO_SLOT UINT32_MAX

struct sh_pathways {
	const sh_index *idx;
	uint32_t        nconcepts;
	double         *weight;      /* per concept; 0 for non-skills */
	uint32_t        nocc;
	sh_cid         *occ;         /* slot -> occupation cid */
	uint32_t       *occ_slot;    /* cid -> slot or SH_NO_SLOT */
	uint32_t       *vec_off;     /* nocc + 1: a slot's entries */
	sh_cid         *vec_skill;
	double         *vec_w;
	double         *vec_norm;    /* sum of a slot's vec_w */
	uint32_t       *inv_off;     /* nconcepts + 1: a skill's postings */
	uint32_t       *inv_slot;
	double         *inv_w;
	char          (*isco)[5];    /* slot -> ISCO unit group code digits, "" when unknown */
	uint32_t       *coll_off;    /* nocc + 1 */
	sh_cid         *coll;        /* specialised collections per slot, sorted */
};

/* A profile expanded into the concepts its skills give credit to (gap.c): built once, used for many targets. */
typedef struct sh_credits sh_credits;
int  sh_credits_new(const sh_index *idx, const sh_profile *p, sh_credits **out);
void sh_credits_free(sh_credits *c);
/* sh_gap_compute for the profile that credits was built from. */
int  sh_gap_from_credits(const sh_pathways *pw, const sh_credits *credits, sh_cid target, const sh_gap_opts *opts,
                         sh_gap **out);

/* The ISCO unit group code digits of an occupation ("" when it has no ISCO group). */
void sh_occupation_isco(const sh_index *idx, sh_cid occupation, char out[5]);

/* Leading decimal digits two ISCO codes share (0-4). */
int sh_isco_shared_digits(const char *a, const char *b);

/* Whether course c itself (prerequisites aside) meets the language, region, mode and date constraints. */
bool sh_course_meets(const sh_course *c, const sh_plan_opts *o);

/*
 * sh_plan_courses, scanning only the candidates listed in only[0..nonly)
 * for the needs (their prerequisites are followed wherever they are): the
 * same plan whenever only lists every candidate that teaches a need.
 */
int sh_plan_courses_among(const sh_plan_need *need, size_t nneed, const sh_course *courses, size_t ncourses,
                          const uint32_t *only, size_t nonly, const sh_plan_opts *opts, sh_plan **out);

#endif
