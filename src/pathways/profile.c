/*
 * pathways/profile.c - skill profiles: a set of (skill, level, source)
 * kept sorted by concept id, so that adding is a binary search plus an
 * insertion and the gap analysis can look a skill up in O(log n).  Profiles
 * hold tens to hundreds of skills, so the insertion shift is negligible.
 *
 * Builders: by hand (sh_profile_add), from an occupation's skills, from a CV
 * text through sh_extract(), from a job title through sh_titles(), and from
 * a JSON document.  A skill added twice keeps its highest level and the
 * source of that level.
 */
#include "skillhub/pathways.h"
#include "core/error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct sh_profile {
	sh_profile_skill *skills;
	size_t            n, cap;
};

static const char *const source_names[] = {
	[SH_SOURCE_DECLARED] = "declared", [SH_SOURCE_ASSESSED] = "assessed",
	[SH_SOURCE_CREDENTIAL] = "credential", [SH_SOURCE_CV] = "cv",
	[SH_SOURCE_OCCUPATION] = "occupation",
};
#define NSOURCES (sizeof source_names / sizeof source_names[0])

const char *sh_skill_source_name(sh_skill_source s)
{
	return (unsigned)s < NSOURCES && source_names[s] ? source_names[s] : "unknown";
}

sh_skill_source sh_skill_source_from_name(const char *name)
{
	for (unsigned s = 1; s < NSOURCES; s++)
		if (name && strcmp(name, source_names[s]) == 0)
			return (sh_skill_source)s;
	return (sh_skill_source)0;
}

int sh_profile_new(sh_profile **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
}

void sh_profile_free(sh_profile *p)
{
	if (p) {
		free(p->skills);
		free(p);
	}
}

size_t sh_profile_skills(const sh_profile *p, const sh_profile_skill **out)
{
	*out = p->skills;
	return p->n;
}

int sh_profile_add(sh_profile *p, sh_cid skill, float level, sh_skill_source source)
{
	if (!(level >= 0.0f && level <= 1.0f))
		return sh_error(SH_EINVAL, "skill level %g is outside [0, 1]", (double)level);
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->skills[mid].skill < skill)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && p->skills[lo].skill == skill) {
		if (level > p->skills[lo].level) {
			p->skills[lo].level = level;
			p->skills[lo].source = source;
		}
		return SH_OK;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		sh_profile_skill *s = realloc(p->skills, cap * sizeof *s);
		if (!s)
			return sh_error(SH_ENOMEM, "out of memory");
		p->skills = s;
		p->cap = cap;
	}
	memmove(p->skills + lo + 1, p->skills + lo, (p->n - lo) * sizeof *p->skills);
	p->skills[lo] = (sh_profile_skill){ skill, level, source };
	p->n++;
	return SH_OK;
}

int sh_profile_add_occupation(sh_profile *p, const sh_index *idx, sh_cid occupation, int with_optional)
{
	if (occupation >= sh_index_concept_count(idx) || sh_concept_kind(idx, occupation) != SH_KIND_OCCUPATION)
		return sh_error(SH_EINVAL, "concept %u is not an occupation", (unsigned)occupation);
	for (int pass = 0; pass < (with_optional ? 2 : 1); pass++) {
		const sh_cid *r;
		size_t n = sh_concept_related(idx, occupation, pass ? SH_REL_OPTIONAL_SKILL : SH_REL_ESSENTIAL_SKILL, &r);
		for (size_t i = 0; i < n; i++) {
			int rc = sh_profile_add(p, r[i], 1.0f, SH_SOURCE_OCCUPATION);
			if (rc)
				return rc;
		}
	}
	return SH_OK;
}

int sh_profile_add_text(sh_profile *p, sh_extractor *x, const char *text, size_t len, const char *lang)
{
	sh_extract_opts o = { .lang = lang };
	sh_extraction ex;
	int rc = sh_extract(x, text, len, &o, &ex);
	for (size_t i = 0; !rc && i < ex.nskills; i++)
		if (ex.skills[i].nspans)
			rc = sh_profile_add(p, ex.skills[i].concept, 1.0f, SH_SOURCE_CV);
	return rc;
}

int sh_profile_add_title(sh_profile *p, const sh_index *idx, sh_extractor *x, const char *title,
                         const char *lang, sh_cid *occupation)
{
	sh_extract_opts o = { .lang = lang, .top = 1 };
	const sh_occupation_hit *hits;
	size_t n;
	int rc = sh_titles(x, title, strlen(title), &o, &hits, &n);
	if (rc)
		return rc;
	if (n == 0)
		return sh_error(SH_ENOTFOUND, "no occupation matches the title '%s'", title);
	if (occupation)
		*occupation = hits[0].concept;
	return sh_profile_add_occupation(p, idx, hits[0].concept, 0);
}

/* The concept named by field "uri" of entry i of array what; SH_EFORMAT naming it otherwise. */
static int entry_concept(const sh_index *idx, json_t *e, const char *name, const char *what, size_t i,
                         sh_cid *out)
{
	const char *uri = json_string_value(json_object_get(e, "uri"));
	if (!json_is_object(e) || !uri)
		return sh_error(SH_EFORMAT, "%s: %s[%zu]: expected an object with a string field \"uri\"",
		                name, what, i);
	if (sh_index_lookup(idx, uri, out))
		return sh_error(SH_ENOTFOUND, "%s: %s[%zu].uri: no concept '%s' in the taxonomy", name, what, i, uri);
	return SH_OK;
}

static int load_skills(sh_profile *p, const sh_index *idx, json_t *arr, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		sh_cid c;
		int rc = entry_concept(idx, e, name, "skills", i, &c);
		if (rc)
			return rc;
		sh_kind k = sh_concept_kind(idx, c);
		if (k != SH_KIND_SKILL && k != SH_KIND_SKILL_GROUP)
			return sh_error(SH_EFORMAT, "%s: skills[%zu].uri: '%s' is a %s, not a skill", name, i,
			                sh_concept_uri(idx, c), sh_kind_name(k));
		json_t *lv = json_object_get(e, "level");
		double level = lv ? json_number_value(lv) : 1.0;
		if (lv && (!json_is_number(lv) || level < 0.0 || level > 1.0))
			return sh_error(SH_EFORMAT, "%s: skills[%zu].level: expected a number in [0, 1]", name, i);
		json_t *sv = json_object_get(e, "source");
		sh_skill_source src = sv ? sh_skill_source_from_name(json_string_value(sv)) : SH_SOURCE_DECLARED;
		if (!src)
			return sh_error(SH_EFORMAT, "%s: skills[%zu].source: expected declared, assessed, credential, "
			                "cv or occupation", name, i);
		if ((rc = sh_profile_add(p, c, (float)level, src)))
			return rc;
	}
	return SH_OK;
}

static int load_occupations(sh_profile *p, const sh_index *idx, json_t *arr, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		sh_cid c;
		int rc = entry_concept(idx, e, name, "occupations", i, &c);
		if (rc)
			return rc;
		if (sh_concept_kind(idx, c) != SH_KIND_OCCUPATION)
			return sh_error(SH_EFORMAT, "%s: occupations[%zu].uri: '%s' is not an occupation", name, i,
			                sh_concept_uri(idx, c));
		if ((rc = sh_profile_add_occupation(p, idx, c, json_is_true(json_object_get(e, "optional")))))
			return rc;
	}
	return SH_OK;
}

int sh_profile_load_json(sh_profile *p, const sh_index *idx, const char *json, const char *name)
{
	json_error_t err;
	json_t *root = json_loads(json, 0, &err);
	if (!root)
		return sh_error(SH_EFORMAT, "%s:%d: %s", name, err.line, err.text);
	int rc = SH_OK;
	json_t *skills = json_object_get(root, "skills"), *occs = json_object_get(root, "occupations");
	if (!json_is_object(root))
		rc = sh_error(SH_EFORMAT, "%s: expected a JSON object with \"skills\" and/or \"occupations\"", name);
	else if ((skills && !json_is_array(skills)) || (occs && !json_is_array(occs)))
		rc = sh_error(SH_EFORMAT, "%s: \"skills\" and \"occupations\" must be arrays", name);
	else if (!(rc = load_skills(p, idx, skills, name)))
		rc = load_occupations(p, idx, occs, name);
	json_decref(root);
	return rc;
}
