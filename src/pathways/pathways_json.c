/*
 * pathways/pathways_json.c - JSON forms of the pathway results (see
 * pathways_json.h).  Numbers are written as jansson prints doubles, members
 * in insertion order, so a result encoded with the same flags gives the
 * same bytes wherever it is printed.
 */
#include "pathways/pathways_json.h"
#include "core/error.h"

#include <stdlib.h>

json_t *sh_pathways_concept_json(const sh_index *idx, sh_cid c, const char *lang)
{
	return json_pack("{s:s, s:s}", "uri", sh_concept_uri(idx, c), "label", sh_concept_label(idx, c, lang));
}

static json_t *cid_array(const sh_index *idx, const sh_cid *v, size_t n, const char *lang)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, sh_pathways_concept_json(idx, v[i], lang));
	return a;
}

json_t *sh_gap_to_json(const sh_index *idx, const sh_gap *g, const char *lang)
{
	json_t *skills = json_array();
	for (size_t i = 0; skills && i < g->nitems; i++) {
		const sh_gap_item *it = &g->items[i];
		json_t *o = sh_pathways_concept_json(idx, it->skill, lang);
		json_object_set_new(o, "essential", json_boolean(it->essential));
		json_object_set_new(o, "weight", json_real(it->weight));
		json_object_set_new(o, "credit", json_real(it->credit));
		json_object_set_new(o, "credit_kind", json_string(sh_credit_name(it->how)));
		if (it->how != SH_CREDIT_NONE && it->how != SH_CREDIT_EXACT)
			json_object_set_new(o, "via", sh_pathways_concept_json(idx, it->via, lang));
		json_object_set_new(o, "contribution", json_real(it->contribution));
		json_array_append_new(skills, o);
	}
	return json_pack("{s:o, s:f, s:f, s:o, s:s}", "target", sh_pathways_concept_json(idx, g->target, lang),
	                 "readiness", g->readiness, "optional_coverage", g->optional_coverage, "skills", skills,
	                 "attribution", SH_ESCO_ATTRIBUTION);
}

json_t *sh_plan_to_json(const sh_index *idx, const sh_plan *p, const sh_course_list *c, const char *lang)
{
	json_t *steps = json_array();
	for (size_t i = 0; steps && i < p->nsteps; i++) {
		const sh_plan_step *st = &p->steps[i];
		const sh_course *co = &c->v[st->course];
		json_t *o = json_pack("{s:s, s:s, s:f, s:f, s:o}", "id", co->id, "title", sh_course_list_title(c, st->course),
		                      "hours", co->hours, "price", co->price,
		                      "closes", cid_array(idx, st->closes, st->ncloses, lang));
		if (co->start)
			json_object_set_new(o, "start", json_string(co->start));
		json_array_append_new(steps, o);
	}
	return json_pack("{s:o, s:f, s:f, s:f, s:f, s:b, s:f, s:I, s:s, s:o, s:o}", "steps", steps, "cost", p->cost,
	                 "price", p->price, "hours", p->hours, "objective", p->objective, "optimal", p->optimal,
	                 "lower_bound", p->lower_bound, "nodes", (json_int_t)p->nodes, "method", p->method,
	                 "uncoverable", cid_array(idx, p->uncoverable, p->nuncoverable, lang),
	                 "unaffordable", cid_array(idx, p->unaffordable, p->nunaffordable, lang));
}

json_t *sh_plan_answer_json(const sh_index *idx, const sh_gap *g, const sh_plan *p, const sh_course_list *c,
                            const char *lang)
{
	return json_pack("{s:o, s:o, s:I}", "gap", sh_gap_to_json(idx, g, lang), "plan", sh_plan_to_json(idx, p, c, lang),
	                 "candidates", (json_int_t)c->n);
}

/* The essential skills of g the profile does not fully hold. */
static json_t *missing_json(const sh_index *idx, const sh_gap *g, const char *lang)
{
	json_t *missing = json_array();
	for (size_t i = 0; missing && i < g->nitems; i++)
		if (g->items[i].essential && g->items[i].credit < 1)
			json_array_append_new(missing, sh_pathways_concept_json(idx, g->items[i].skill, lang));
	return missing;
}

/* The least-cost plan over courses closing the essential skills g misses, as sh_plan_to_json gives it. */
static int move_plan_json(const sh_index *idx, const sh_gap *g, const sh_course_list *courses,
                          const sh_plan_opts *opts, const char *lang, json_t **out)
{
	sh_plan_need *need = NULL;
	sh_plan *plan = NULL;
	size_t nneed;
	int rc = sh_gap_needs(g, 0, &need, &nneed);
	rc = rc ? rc : sh_plan_courses(need, nneed, courses->v, courses->n, opts, &plan);
	if (!rc && !(*out = sh_plan_to_json(idx, plan, courses, lang)))
		rc = sh_error(SH_ENOMEM, "out of memory (transition plan)");
	sh_plan_free(plan);
	free(need);
	return rc;
}

/* The names of tags[0..n) as a JSON array. */
static json_t *sector_names(const sh_sectors *s, const uint32_t *tags, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(sh_sector_name(s, tags[i])));
	return a;
}

/* The tags occupations a and b both carry (ascending) into shared (room for either's count); count returned. */
static size_t shared_sectors(const sh_sectors *s, sh_cid a, sh_cid b, uint32_t *shared)
{
	const uint32_t *ta, *tb;
	size_t na = sh_sectors_of(s, a, &ta), nb = sh_sectors_of(s, b, &tb), i = 0, j = 0, n = 0;
	while (i < na && j < nb) {
		if (ta[i] == tb[j]) {
			shared[n++] = ta[i];
			i++;
			j++;
		} else if (ta[i] < tb[j]) {
			i++;
		} else {
			j++;
		}
	}
	return n;
}

/*
 * One move; takes the reference to plan (NULL: no "plan" member).  With
 * sectors, "sectors" (the target's tags) and "shared_sectors" (those it
 * shares with the origin: shared[0..nshared)).
 */
static json_t *move_json(const sh_index *idx, const sh_transition *t, const sh_gap *g, json_t *plan,
                         const sh_sectors *sectors, const uint32_t *shared, size_t nshared, const char *lang)
{
	json_t *o = sh_pathways_concept_json(idx, t->occupation, lang);
	if (!o) {
		json_decref(plan);
		return NULL;
	}
	json_object_set_new(o, "score", json_real(t->score));
	json_object_set_new(o, "overlap", json_real(t->overlap));
	json_object_set_new(o, "isco_digits", json_integer(t->isco_digits));
	json_object_set_new(o, "readiness", json_real(g->readiness));
	json_object_set_new(o, "missing", missing_json(idx, g, lang));
	if (sectors) {
		const uint32_t *tags;
		size_t ntags = sh_sectors_of(sectors, t->occupation, &tags);
		json_object_set_new(o, "sectors", sector_names(sectors, tags, ntags));
		json_object_set_new(o, "shared_sectors", sector_names(sectors, shared, nshared));
	}
	if (plan)
		json_object_set_new(o, "plan", plan);
	return o;
}

/* {uri, label} of from, with "sectors" (its tags) when o->sectors. */
static json_t *origin_json(const sh_index *idx, sh_cid from, const sh_transitions_json_opts *o)
{
	json_t *f = sh_pathways_concept_json(idx, from, o->lang);
	if (f && o->sectors) {
		const uint32_t *tags;
		size_t ntags = sh_sectors_of(o->sectors, from, &tags);
		json_object_set_new(f, "sectors", sector_names(o->sectors, tags, ntags));
	}
	return f;
}

int sh_transitions_to_json(const sh_pathways *pw, const sh_index *idx, sh_cid from,
                           const sh_transitions_json_opts *o, json_t **out)
{
	const uint32_t *from_tags = NULL;
	size_t max = sh_index_concept_count(idx), n = 0, nsame = 0, ncross = 0,
	       nfrom_tags = o->sectors ? sh_sectors_of(o->sectors, from, &from_tags) : 0;
	sh_transition *t = malloc((max + 1) * sizeof *t);
	uint32_t *shared = malloc((nfrom_tags + 1) * sizeof *shared);
	json_t *same = json_array(), *cross = json_array();
	sh_profile *p = NULL;
	int rc = SH_OK;
	*out = NULL;
	if (!t || !shared || !same || !cross)
		rc = sh_error(SH_ENOMEM, "out of memory");
	else if (!(rc = sh_profile_new(&p)) && !(rc = sh_profile_add_occupation(p, idx, from, 1)))
		rc = sh_transitions(pw, from, t, max, &n);
	for (size_t i = 0; !rc && i < n && (nsame < o->limit || ncross < o->limit); i++) {
		size_t nshared = o->sectors ? shared_sectors(o->sectors, from, t[i].occupation, shared) : 0;
		int is_same = t[i].same_sector || nshared > 0;
		size_t *count = is_same ? &nsame : &ncross;
		if (*count == o->limit)
			continue;
		sh_gap *g;
		json_t *plan = NULL;
		if ((rc = sh_gap_compute(pw, p, t[i].occupation, NULL, &g)))
			break;
		if (!o->courses || !(rc = move_plan_json(idx, g, o->courses, o->plan, o->lang, &plan)))
			json_array_append_new(is_same ? same : cross,
			                      move_json(idx, &t[i], g, plan, o->sectors, shared, nshared, o->lang));
		sh_gap_free(g);
		(*count)++;
	}
	if (!rc && !(*out = json_pack("{s:o, s:O, s:O, s:s}", "from", origin_json(idx, from, o), "same_sector", same,
	                              "cross_sector", cross, "attribution", SH_ESCO_ATTRIBUTION)))
		rc = sh_error(SH_ENOMEM, "out of memory");
	json_decref(same);
	json_decref(cross);
	sh_profile_free(p);
	free(shared);
	free(t);
	return rc;
}

static json_t *workforce_move_json(const sh_index *idx, const sh_workforce_move *m, const sh_course_list *c,
                                   const char *lang)
{
	json_t *o = json_pack("{s:o, s:o, s:I, s:I, s:f, s:f, s:o}", "from", sh_pathways_concept_json(idx, m->from, lang),
	                      "to", sh_pathways_concept_json(idx, m->to, lang), "people", (json_int_t)m->people, "skills",
	                      (json_int_t)m->skills, "hours_per_person", m->hours, "readiness", m->gap->readiness,
	                      "missing", missing_json(idx, m->gap, lang));
	if (o && m->plan)
		json_object_set_new(o, "plan", sh_plan_to_json(idx, m->plan, c, lang));
	return o;
}

json_t *sh_workforce_to_json(const sh_index *idx, const sh_workforce *w, const sh_course_list *c, const char *lang)
{
	json_t *moves = json_array();
	for (size_t i = 0; moves && i < w->nmoves; i++)
		json_array_append_new(moves, workforce_move_json(idx, &w->moves[i], c, lang));
	return json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:o, s:s}", "staying", (json_int_t)w->staying, "moved",
	                 (json_int_t)w->moved, "surplus", (json_int_t)w->surplus, "unfilled", (json_int_t)w->unfilled,
	                 "person_skills", w->person_skills, "hours", w->hours, "moves", moves, "attribution",
	                 SH_ESCO_ATTRIBUTION);
}

int sh_headcounts_from_json(const sh_index *idx, const json_t *root, const char *field, const char *where,
                            sh_headcount **out, size_t *n)
{
	json_t *arr = json_object_get(root, field), *e;
	*n = 0;
	*out = NULL;
	if (!json_is_array(arr))
		return sh_error(SH_EFORMAT, "%s: \"%s\": expected an array of {\"occupation\", \"people\"}", where, field);
	if (!(*out = calloc(json_array_size(arr) + 1, sizeof **out)))
		return sh_error(SH_ENOMEM, "out of memory");
	size_t i;
	json_array_foreach(arr, i, e) {
		const char *uri = json_string_value(json_object_get(e, "occupation"));
		json_t *people = json_object_get(e, "people");
		sh_cid c;
		if (!uri)
			return sh_error(SH_EFORMAT, "%s: %s[%zu].occupation: expected a string", where, field, i);
		if (sh_index_lookup(idx, uri, &c) || sh_concept_kind(idx, c) != SH_KIND_OCCUPATION)
			return sh_error(SH_ENOTFOUND, "%s: %s[%zu].occupation: no occupation '%s' in the taxonomy", where,
			                field, i, uri);
		if (!json_is_integer(people) || json_integer_value(people) < 0)
			return sh_error(SH_EFORMAT, "%s: %s[%zu].people: expected a non-negative integer", where, field, i);
		(*out)[(*n)++] = (sh_headcount){ c, (size_t)json_integer_value(people) };
	}
	return SH_OK;
}
