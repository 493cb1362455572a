/*
 * taxonomy/esco_files.c - the catalogue of ESCO CSV file names.
 *
 * The collection table also fixes how a collection file is tied to a concept
 * scheme: by the English preferred label the scheme has in conceptSchemes_en
 * (ESCO v1.1: "Digital", "DigComp", "Green", "Language", "Research",
 * "Research occupations"); the transversal skills collection has no scheme of
 * its own in the package and gets urn:skillhub:collection:transversal.
 */
#include "taxonomy/esco_files.h"
#include "core/error.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char    *stem;
	esco_file_kind kind;
	const char    *concept_kind;
	const char    *collection_key;
	const char    *scheme_label;
} catalogue[] = {
	{ "conceptSchemes",                ESCO_SCHEMES,       "scheme",      NULL, NULL },
	{ "ISCOGroups",                    ESCO_ISCO_GROUPS,   "isco_group",  NULL, NULL },
	{ "skillGroups",                   ESCO_SKILL_GROUPS,  "skill_group", NULL, NULL },
	{ "skills",                        ESCO_SKILLS,        "skill",       NULL, NULL },
	{ "occupations",                   ESCO_OCCUPATIONS,   "occupation",  NULL, NULL },
	{ "broaderRelationsOccPillar",     ESCO_BROADER_OCC,   NULL, NULL, NULL },
	{ "broaderRelationsSkillPillar",   ESCO_BROADER_SKILL, NULL, NULL, NULL },
	{ "occupationSkillRelations",      ESCO_OCC_SKILL,     NULL, NULL, NULL },
	{ "skillSkillRelations",           ESCO_SKILL_SKILL,   NULL, NULL, NULL },
	{ "digitalSkillsCollection",       ESCO_COLLECTION,    NULL, "digital", "Digital" },
	{ "digCompSkillsCollection",       ESCO_COLLECTION,    NULL, "digcomp", "DigComp" },
	{ "greenSkillsCollection",         ESCO_COLLECTION,    NULL, "green", "Green" },
	{ "languageSkillsCollection",      ESCO_COLLECTION,    NULL, "language", "Language" },
	{ "researchSkillsCollection",      ESCO_COLLECTION,    NULL, "research_skills", "Research" },
	{ "researchOccupationsCollection", ESCO_COLLECTION,    NULL, "research_occupations", "Research occupations" },
	{ "transversalSkillsCollection",   ESCO_COLLECTION,    NULL, "transversal", NULL },
};

static int is_relation(esco_file_kind k)
{
	return k >= ESCO_BROADER_OCC && k <= ESCO_SKILL_SKILL;
}

/* Splits "stem_xx.csv" into stem and language; 0 when name is not "*.csv". */
static int parse_name(const char *name, char *stem, size_t stem_size, char lang[4])
{
	size_t len = strlen(name);
	if (len < 5 || strcmp(name + len - 4, ".csv") != 0 || len - 4 >= stem_size)
		return 0;
	memcpy(stem, name, len - 4);
	stem[len - 4] = '\0';
	lang[0] = '\0';
	char *us = strrchr(stem, '_');
	if (us) {
		size_t n = strlen(us + 1);
		int ok = n >= 2 && n <= 3;
		for (size_t i = 1; ok && i <= n; i++)
			ok = islower((unsigned char)us[i]);
		if (ok) {
			memcpy(lang, us + 1, n + 1);
			*us = '\0';
		}
	}
	return 1;
}

static int compare_files(const void *a, const void *b)
{
	const esco_file *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	int c = strcmp(x->lang, y->lang);
	return c ? c : strcmp(x->path, y->path);
}

int esco_files_list(const char *dir, esco_file **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return sh_error(errno == ENOENT ? SH_ENOTFOUND : SH_EIO, "%s: %s", dir, strerror(errno));
	esco_file *files = NULL;
	size_t count = 0;
	int rc = SH_OK;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		char stem[256], lang[4];
		if (!parse_name(e->d_name, stem, sizeof stem, lang))
			continue;
		for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++) {
			if (strcmp(stem, catalogue[i].stem) != 0 || (!*lang && !is_relation(catalogue[i].kind)))
				continue;
			esco_file *grown = realloc(files, (count + 1) * sizeof *grown);
			if (!grown) {
				rc = sh_error(SH_ENOMEM, "out of memory");
				break;
			}
			files = grown;
			esco_file *f = &files[count];
			memset(f, 0, sizeof *f);
			size_t plen = strlen(dir) + strlen(e->d_name) + 2;
			if (!(f->path = malloc(plen))) {
				rc = sh_error(SH_ENOMEM, "out of memory");
				break;
			}
			snprintf(f->path, plen, "%s/%s", dir, e->d_name);
			memcpy(f->lang, lang, sizeof f->lang);
			f->kind = catalogue[i].kind;
			f->concept_kind = catalogue[i].concept_kind;
			f->collection_key = catalogue[i].collection_key;
			f->scheme_label = catalogue[i].scheme_label;
			count++;
			break;
		}
	}
	closedir(d);
	if (!rc && count == 0)
		rc = sh_error(SH_ENOTFOUND, "%s: no ESCO CSV files (skills_xx.csv, occupations_xx.csv, ...)", dir);
	if (rc) {
		esco_files_free(files, count);
		return rc;
	}
	qsort(files, count, sizeof *files, compare_files);
	*out = files;
	*n = count;
	return SH_OK;
}

void esco_files_free(esco_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i].path);
	free(files);
}

void esco_version_from_path(const char *path, char *out, size_t size)
{
	out[0] = '\0';
	for (const char *p = path; *p; p++) {
		if (*p != 'v' || (p != path && p[-1] != '/') || !isdigit((unsigned char)p[1]))
			continue;
		size_t n = 0;
		const char *q = p + 1;
		while (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))
			q++, n++;
		if (n < size) {
			memcpy(out, p + 1, n);
			out[n] = '\0';
		}
	}
}

int esco_version_cmp(const char *a, const char *b, int *comparable)
{
	*comparable = isdigit((unsigned char)*a) && isdigit((unsigned char)*b);
	while (*comparable && (*a || *b)) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if ((*ea && *ea != '.') || (*eb && *eb != '.')) {
			*comparable = 0;
			break;
		}
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
	}
	return 0;
}
