/*
 * skillhub/extract.h - skills and occupations in a text, occupations for a
 * job title.
 *
 * sh_extract() ranks the ESCO skills a sentence or a job ad talks about, with
 * the byte spans where the label matcher finds a skill's label (whole words,
 * case, accents and inflection aside, also in another word order; the
 * longest label wins; an ambiguous span goes to the reading the context
 * prefers: docs/matcher.md), and lists the occupations it finds.  sh_titles() normalises a job title ("Verkäufer/in (m/w/d)") to
 * ranked ESCO occupations.  The models are compiled into the index by
 * `skillhub index build`; docs/ranking.md describes them.
 *
 * Thread-safety: an sh_index is shared; each thread uses its own
 * sh_extractor (scratch memory and result arrays).  Results point into the
 * extractor and stay valid until its next call.
 */
#ifndef SKILLHUB_EXTRACT_H
#define SKILLHUB_EXTRACT_H

#include "skillhub/common.h"
#include "skillhub/index.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_extractor sh_extractor;

/*
 * Opens the label matcher and the ranking model of idx (which must outlive
 * the extractor); the title model is opened by the first sh_titles().
 */
int  sh_extractor_new(sh_extractor **out, const sh_index *idx);
void sh_extractor_free(sh_extractor *x);

typedef struct sh_extract_opts {
	const char *lang;      /* ISO 639-1 language of the text and of the labels used; NULL = "en" */
	size_t      top;       /* 0: only confident skills (the matcher finds a label); K: the K best, whatever their score */
	float       min_score; /* hits scoring below are dropped; scores are in [0, 1] */
} sh_extract_opts;

typedef struct sh_span {
	uint32_t start, end;   /* byte range [start, end) in the caller's text */
} sh_span;

typedef struct sh_skill_hit {
	sh_cid         concept;
	float          score;  /* [0, 1], higher is better */
	const sh_span *spans;  /* occurrences of the skill's labels found by the matcher, in text order */
	size_t         nspans;
} sh_skill_hit;

typedef struct sh_occupation_hit {
	sh_cid concept;
	float  score;          /* [0, 1]; titles: 1 = the title equals a label */
} sh_occupation_hit;

typedef struct sh_extraction {
	const sh_skill_hit      *skills;       /* best first */
	size_t                   nskills;
	const sh_occupation_hit *occupations;  /* occupations whose labels the matcher finds, best first */
	size_t                   noccupations;
} sh_extraction;

/* Ranks skills (and finds occupations) in text[0..len).  opts may be NULL. */
int sh_extract(sh_extractor *x, const char *text, size_t len, const sh_extract_opts *opts, sh_extraction *out);

/*
 * Ranks distinct occupations for a job title (opts->top of them; 0 means 10),
 * best first.  Gender forms and markers ("/in", "(m/w/d)", "(e)") are ignored.
 */
int sh_titles(sh_extractor *x, const char *title, size_t len, const sh_extract_opts *opts,
              const sh_occupation_hit **out, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
