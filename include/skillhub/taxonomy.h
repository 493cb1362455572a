/*
 * skillhub/taxonomy.h - taxonomy-wide figures read from the database.
 */
#ifndef SKILLHUB_TAXONOMY_H
#define SKILLHUB_TAXONOMY_H

#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_taxonomy_stats {
	int64_t skills, occupations, skill_groups, isco_groups, schemes;
	int64_t occupation_skill_relations, skill_skill_relations, broader_relations;
	int64_t labels;
	char  **languages;   /* sorted language codes that have labels */
	size_t  nlanguages;
	char   *version;     /* "ESCO 1.1.1" of the latest import, "" when empty */
} sh_taxonomy_stats;

int  sh_taxonomy_stats_get(sh_db *db, sh_taxonomy_stats *out);
void sh_taxonomy_stats_free(sh_taxonomy_stats *s);

#ifdef __cplusplus
}
#endif
#endif
