/*
 * skillhub/pathways.h - up- and reskilling pathways over ESCO: skill
 * profiles, gap analysis against an occupation, least-cost course plans,
 * adjacent occupations and workforce reskilling.
 *
 *   sh_profile     the skills a person holds, each with a level in [0, 1]
 *                  and where the claim came from
 *   sh_gap         what a profile lacks for a target occupation, weighted by
 *                  specificity, with partial credit through the skill
 *                  hierarchy and a readiness score in [0, 1]
 *   sh_plan        the cheapest set of candidate courses closing a gap
 *                  (weighted set cover with prerequisites; exact
 *                  branch-and-bound seeded by greedy; past its node/time
 *                  budget, the best plan found and a proven lower bound)
 *   sh_transitions occupations ranked by the skills that transfer; and
 *                  from a profile, by the readiness it gives (sh_profile_reachable)
 *   sh_workforce   moving headcounts to a target mix: who retrains for what,
 *                  at how many hours
 *
 * A person's profile may be stored with their account (sh_profile_store_*,
 * migration 5), exported as a JSON document and erased.
 *
 * docs/pathways.md documents the weights, the factors and the solver's
 * guarantees.  An sh_pathways context precomputes per-skill weights and the
 * occupation vectors of an index once; it is read-only afterwards and may be
 * shared between threads (calls allocate their own scratch memory).
 * Results are the caller's and are freed with their sh_X_free().
 */
#ifndef SKILLHUB_PATHWAYS_H
#define SKILLHUB_PATHWAYS_H

#include "skillhub/common.h"
#include "skillhub/extract.h"
#include "skillhub/index.h"
#include "skillhub/store.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- context ----------------------------------------------------------- */

typedef struct sh_pathways sh_pathways;

/* Precomputes skill weights and occupation skill vectors of idx (which must outlive pw). */
int  sh_pathways_new(sh_pathways **out, const sh_index *idx);
void sh_pathways_free(sh_pathways *pw);

/*
 * Specificity weight of a skill: ln(1 + N / (1 + n)) x reuse factor, where N
 * is the number of occupations and n the number that list the skill
 * (essential or optional); reuse factor 0.5 transversal, 0.75 cross-sector,
 * 1 sector- and occupation-specific.  0 for a concept that is no skill.
 */
double sh_skill_weight(const sh_pathways *pw, sh_cid skill);

/* ---- skill profiles ---------------------------------------------------- */

typedef enum sh_skill_source {
	SH_SOURCE_DECLARED = 1, /* the person says so */
	SH_SOURCE_ASSESSED,     /* a test or an assessor says so */
	SH_SOURCE_CREDENTIAL,   /* a certificate or diploma says so */
	SH_SOURCE_CV,           /* found in a CV text by sh_extract() */
	SH_SOURCE_OCCUPATION    /* implied by an occupation held */
} sh_skill_source;

/* "declared", ...; and back (0 when unknown). */
const char     *sh_skill_source_name(sh_skill_source s);
sh_skill_source sh_skill_source_from_name(const char *name);

typedef struct sh_profile_skill {
	sh_cid          skill;
	float           level;  /* [0, 1]; 1 = fully proficient */
	sh_skill_source source;
} sh_profile_skill;

typedef struct sh_profile sh_profile;

int  sh_profile_new(sh_profile **out);
void sh_profile_free(sh_profile *p);

/* Adds a skill (or skill group); a skill already held keeps the higher level. Level outside [0, 1]: SH_EINVAL. */
int  sh_profile_add(sh_profile *p, sh_cid skill, float level, sh_skill_source source);
/* Adds an occupation's essential skills (and its optional ones if asked) at level 1, source occupation. */
int  sh_profile_add_occupation(sh_profile *p, const sh_index *idx, sh_cid occupation, int with_optional);
/* Adds the skills whose labels sh_extract() finds literally in a CV text: level 1, source cv. */
int  sh_profile_add_text(sh_profile *p, sh_extractor *x, const char *text, size_t len, const char *lang);
/*
 * Adds the essential skills of the best occupation sh_titles() gives for a job
 * title; *occupation (if not NULL) receives it.  No occupation: SH_ENOTFOUND.
 */
int  sh_profile_add_title(sh_profile *p, const sh_index *idx, sh_extractor *x, const char *title,
                          const char *lang, sh_cid *occupation);
/*
 * Adds the skills of a JSON profile document (name is used in messages):
 *   {"skills": [{"uri": "...", "level": 0.8, "source": "assessed"}, ...],
 *    "occupations": [{"uri": "...", "optional": false}, ...]}
 * level defaults to 1, source to "declared"; both arrays are optional.
 */
int  sh_profile_load_json(sh_profile *p, const sh_index *idx, const char *json, const char *name);

/* The skills, sorted by concept id; valid until the next change of p. */
size_t sh_profile_skills(const sh_profile *p, const sh_profile_skill **out);

/* ---- stored profiles: an account's own (migration 5, src/pathways/profile_store.c) ---- */

/* Most skills one stored profile holds. */
#define SH_PROFILE_MAX_SKILLS 2000

/* What an account keeps besides its skills: the occupation aimed at and plan preferences. */
typedef struct sh_profile_prefs {
	int    has_target;
	sh_cid target;       /* the occupation aimed at, when has_target */
	char   language[4];  /* ISO 639 teaching language wanted; "" = any */
	char   region[16];   /* NUTS or ISO 3166 code (a prefix of the course's region); "" = anywhere */
	double budget;       /* money for courses; < 0 = no limit */
} sh_profile_prefs;

/* SH_EINVAL naming the field when language or region is no code or budget no number. */
int sh_profile_prefs_check(const sh_profile_prefs *prefs);

/*
 * The skills account stored, as a new profile (empty when none; free with
 * sh_profile_free), and its preferences (prefs may be NULL; no target and
 * budget -1 when none are stored).
 */
int sh_profile_store_load(sh_db *db, const sh_index *idx, int64_t account, sh_profile **out,
                          sh_profile_prefs *prefs);
/* Stores one skill (or skill group); a skill already stored takes this level and source. */
int sh_profile_store_add(sh_db *db, const sh_index *idx, int64_t account, sh_cid skill, float level,
                         sh_skill_source source);
/* Removes one skill (nothing when it is not stored). */
int sh_profile_store_remove(sh_db *db, const sh_index *idx, int64_t account, sh_cid skill);
/* Replaces the target and preferences. */
int sh_profile_store_set_prefs(sh_db *db, const sh_index *idx, int64_t account, const sh_profile_prefs *prefs);
/*
 * Replaces everything stored for account by a JSON profile document (name is
 * used in messages): the document sh_profile_load_json reads, plus "target"
 * (an occupation URI) and "preferences" ({"language", "region", "budget"}),
 * skills optionally with their "added" time.  Nothing changes on error.
 */
int sh_profile_store_import(sh_db *db, const sh_index *idx, int64_t account, const char *json, const char *name);
/* Everything stored for account as that document (skills by URI); *out is the caller's to free(). */
int sh_profile_store_export(sh_db *db, int64_t account, char **out);
/* Deletes everything stored for account (the account itself stays). */
int sh_profile_store_erase(sh_db *db, int64_t account);

/* ---- gap analysis ------------------------------------------------------ */

typedef enum sh_credit {
	SH_CREDIT_NONE = 0,
	SH_CREDIT_EXACT,     /* the skill itself is held */
	SH_CREDIT_NARROWER,  /* a narrower skill is held: level x 0.8 per hierarchy step */
	SH_CREDIT_RELATED    /* a held skill is essentially related to it: level x 0.5 */
} sh_credit;

const char *sh_credit_name(sh_credit c);

typedef struct sh_gap_item {
	sh_cid    skill;
	int       essential;    /* 1 essential, 0 optional for the target */
	double    weight;       /* specificity x (1 + demand) */
	double    credit;       /* [0, 1]: how much of the skill the profile covers */
	sh_credit how;
	sh_cid    via;          /* the held skill that gave the credit (SH_CREDIT_NONE: the skill itself) */
	double    contribution; /* weight x credit / total essential weight: its share of readiness */
} sh_gap_item;

typedef struct sh_gap {
	sh_cid       target;
	sh_gap_item *items;             /* essential first, then by missing weight (weight x (1 - credit)), largest first */
	size_t       nitems;
	size_t       nessential;
	double       readiness;         /* sum of essential contributions, in [0, 1]; 1 when nothing is essential */
	double       optional_coverage; /* the same over optional skills */
} sh_gap;

typedef struct sh_gap_opts {
	const float *demand;  /* NULL, or a weight >= 0 per concept id (e.g. share of job ads): weight x (1 + demand) */
	size_t       ndemand; /* entries in demand */
} sh_gap_opts;

/* The gap from profile p to occupation target.  opts may be NULL.  Free with sh_gap_free(). */
int  sh_gap_compute(const sh_pathways *pw, const sh_profile *p, sh_cid target, const sh_gap_opts *opts, sh_gap **out);
void sh_gap_free(sh_gap *g);

/* ---- course plans ------------------------------------------------------ */

/* A candidate course.  Strings may be NULL (= unspecified, matches any constraint). */
typedef struct sh_course {
	const char   *id;
	double        hours, price;   /* >= 0 */
	const sh_cid *skills;         /* skills the course teaches */
	size_t        nskills;
	const size_t *prereqs;        /* indexes of courses to take first (all of them) */
	size_t        nprereqs;
	const char *const *languages; /* ISO 639-1 teaching languages; none = unspecified */
	size_t        nlanguages;
	const char   *region;         /* NUTS or ISO 3166 code; NULL or "" = available everywhere */
	const char   *mode;           /* "online", "onsite", "blended", ... */
	const char   *start, *end;    /* ISO dates "YYYY-MM-DD"; NULL = self-paced */
} sh_course;

/* A skill to close, with the weight it counts for when the budget cannot close everything. */
typedef struct sh_plan_need {
	sh_cid skill;
	double weight; /* > 0 */
} sh_plan_need;

typedef struct sh_plan_opts {
	const char *language;    /* NULL = any; else one of the course's languages */
	const char *region;      /* NULL = any; else a prefix of the course's region ("DE" admits "DE30") */
	const char *mode;        /* NULL = any; else equal to the course's mode */
	const char *from, *to;   /* date window: a dated course must start >= from and end <= to; NULL = open */
	double      budget;      /* money; < 0 = unlimited */
	double      hour_cost;   /* money per hour of learning added to a course's cost; 0 = price only */
	size_t      max_nodes;   /* branch-and-bound node budget; 0 = 200000 */
	double      max_ms;      /* time budget in milliseconds; 0 = 1000 */
	int         greedy_only; /* skip branch-and-bound */
} sh_plan_opts;

typedef struct sh_plan_step {
	size_t  course;  /* index into the candidate array */
	sh_cid *closes;  /* needed skills this course is the first to cover */
	size_t  ncloses;
} sh_plan_step;

typedef struct sh_plan {
	sh_plan_step *steps;        /* prerequisite-respecting order (dated courses by start date) */
	size_t        nsteps;
	double        cost;         /* sum of price + hour_cost x hours */
	double        price, hours;
	double        objective;    /* cost, plus penalty x weight of each need left open (budget only) */
	sh_cid       *uncoverable;  /* needed skills no admissible candidate teaches */
	size_t        nuncoverable;
	sh_cid       *unaffordable; /* coverable skills left open to stay within budget */
	size_t        nunaffordable;
	int           optimal;      /* 1: the objective is proven minimal */
	double        lower_bound;  /* proven lower bound on the objective; == objective when optimal */
	size_t        nodes;        /* branch-and-bound nodes explored */
	const char   *method;       /* "exact", "exact-budget-exceeded", "greedy" */
} sh_plan;

/*
 * The least-cost set of admissible courses (constraints met by the course and
 * all its prerequisites) covering every need some admissible course covers.
 * With a budget, needs may be left open at a penalty of M x weight each, M =
 * (1 + total cost of the admissible courses) / smallest need weight, so
 * closing a need always beats saving money.  opts may be NULL.  Prerequisite
 * cycles, out-of-range indexes, negative costs or weights: SH_EINVAL.
 */
int  sh_plan_courses(const sh_plan_need *need, size_t nneed, const sh_course *courses, size_t ncourses,
                     const sh_plan_opts *opts, sh_plan **out);
void sh_plan_free(sh_plan *plan);

/*
 * The needs of a gap: every item with credit < 1 (optional ones only if
 * asked), weight x (1 - credit).  *out is the caller's to free().
 */
int  sh_gap_needs(const sh_gap *g, int with_optional, sh_plan_need **out, size_t *n);

/* ---- transitions ------------------------------------------------------- */

typedef struct sh_transition {
	sh_cid occupation;
	double score;        /* overlap + ISCO bonus */
	double overlap;      /* share of the target's skill weight the origin has, [0, 1] */
	int    isco_digits;  /* leading ISCO code digits shared (0-4) */
	int    same_sector;  /* same ISCO major group or a shared specialised ESCO collection */
} sh_transition;

/*
 * The occupations closest to from (excluding from), best first: at most max
 * into out, count in *n.  docs/pathways.md defines the overlap and the bonus.
 */
int sh_transitions(const sh_pathways *pw, sh_cid from, sh_transition *out, size_t max, size_t *n);

/* An occupation a profile can aim at, with the gap's figures. */
typedef struct sh_reach {
	sh_cid occupation;
	double readiness;         /* > 0 */
	double optional_coverage;
	size_t missing;           /* essential skills with credit < 1 */
} sh_reach;

/*
 * "Where can I go" from a profile: the occupations the profile gives a
 * positive readiness for, by readiness, then optional coverage, then fewer
 * skills missing; at most max into out, count in *n.  opts as for
 * sh_gap_compute (may be NULL).  Occupations without essential skills are
 * left out.
 */
int sh_profile_reachable(const sh_pathways *pw, const sh_profile *p, const sh_gap_opts *opts, sh_reach *out,
                         size_t max, size_t *n);

/* ---- workforce --------------------------------------------------------- */

typedef struct sh_headcount {
	sh_cid occupation;
	size_t people;
} sh_headcount;

typedef struct sh_workforce_move {
	sh_cid  from, to;
	size_t  people;
	size_t  skills;          /* essential skills each person lacks (credit < 1) */
	double  hours;           /* per person */
	sh_gap *gap;             /* from's essential skills -> to */
	sh_plan *plan;           /* with candidate courses, else NULL */
} sh_workforce_move;

typedef struct sh_workforce {
	sh_workforce_move *moves;
	size_t             nmoves;
	size_t             staying;       /* people whose occupation stays in the target mix */
	size_t             moved;         /* people retrained */
	size_t             surplus;       /* current people no target place is left for */
	size_t             unfilled;      /* target places nobody current fills (hire) */
	double             person_skills; /* sum of people x skills */
	double             hours;         /* sum of people x hours */
} sh_workforce;

typedef struct sh_workforce_opts {
	const sh_course    *courses;     /* NULL: SH_DEFAULT_SKILL_HOURS per missing skill */
	size_t              ncourses;
	const sh_plan_opts *plan;        /* constraints for courses; may be NULL */
} sh_workforce_opts;

/* Hours to learn one skill when no course estimate exists. */
#define SH_DEFAULT_SKILL_HOURS 40.0

/*
 * Moves people from occupations over target into occupations under target,
 * cheapest retraining (hours) first.  opts may be NULL.
 */
int  sh_workforce_plan(const sh_pathways *pw, const sh_headcount *current, size_t ncurrent,
                       const sh_headcount *target, size_t ntarget, const sh_workforce_opts *opts,
                       sh_workforce **out);
void sh_workforce_free(sh_workforce *w);

#ifdef __cplusplus
}
#endif
#endif
