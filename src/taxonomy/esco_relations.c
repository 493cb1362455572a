/*
 * taxonomy/esco_relations.c - relation and collection files of an ESCO
 * package (see esco_import.c).
 *
 * The first relation file of a kind in a run replaces that whole relation set
 * (occupation_skill, skill_skill, or the broader rows of one pillar); each
 * collection file replaces the members of its collection.  Relation types
 * must be 'essential' or 'optional'.  A URI unknown to the database and the
 * package becomes an obsolete stub concept when it is an ESCO URI of the kind
 * its column expects (packages contain such rows), and is an error otherwise.
 */
#include "taxonomy/esco_import.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>

/* ESCO URI prefixes of each concept kind: an unknown URI with the prefix its
 * column expects becomes an obsolete stub; any other unknown URI is an error. */
static int has_esco_prefix(const char *uri, const char *kind)
{
	static const struct { const char *kind, *prefix; } prefixes[] = {
		{ "skill",       "http://data.europa.eu/esco/skill/" },
		{ "skill_group", "http://data.europa.eu/esco/skill/" },
		{ "skill_group", "http://data.europa.eu/esco/isced-f/" },
		{ "occupation",  "http://data.europa.eu/esco/occupation/" },
		{ "isco_group",  "http://data.europa.eu/esco/isco/" },
	};
	for (size_t i = 0; kind && i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strcmp(kind, prefixes[i].kind) == 0 &&
		    strncmp(uri, prefixes[i].prefix, strlen(prefixes[i].prefix)) == 0 &&
		    uri[strlen(prefixes[i].prefix)])
			return 1;
	return 0;
}

/* concept.kind of an ESCO conceptType value ("Occupation", ...), NULL if unknown. */
static const char *kind_of_type(const char *type)
{
	static const char *const map[][2] = {
		{ "Occupation", "occupation" }, { "ISCOGroup", "isco_group" },
		{ "SkillGroup", "skill_group" }, { "KnowledgeSkillCompetence", "skill" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* Resolves the URI in column col, expected to be a `kind` (may be NULL). */
static int resolve(esco_importer *im, int col, const char *kind, int64_t *id)
{
	const char *uri;
	const char *found_kind;
	int rc = esco_required(im, col, &uri);
	if (!rc) rc = esco_find_concept(im, uri, strlen(uri), id, &found_kind);
	if (rc || *id)
		return rc;
	if (!has_esco_prefix(uri, kind))
		return esco_fail(im, "%s: unknown concept %s", sh_csv_col_name(im->csv, (size_t)col), uri);
	return esco_create_bare(im, uri, strlen(uri), kind, "obsolete", id);
}

/* The first relation file of a kind in a run replaces the whole set. */
static int replace_once(esco_importer *im, const char *sql)
{
	unsigned bit = 1u << im->file->kind;
	if (im->replaced & bit)
		return SH_OK;
	im->replaced |= bit;
	return sh_db_exec(im->db, sql);
}

static int relation_type(esco_importer *im, int col, const char **out)
{
	int rc = esco_required(im, col, out);
	if (!rc && strcmp(*out, "essential") != 0 && strcmp(*out, "optional") != 0)
		rc = esco_fail(im, "relationType '%s' is neither 'essential' nor 'optional'", *out);
	return rc;
}

static int insert_pair(esco_importer *im, sqlite3_stmt *st, int64_t a, int64_t b, const char *relation)
{
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (relation)
		sqlite3_bind_text(st, 3, relation, -1, SQLITE_STATIC);
	im->rep->relations++;
	return esco_run(im, st, "insert relation");
}

typedef struct relation_columns {
	int from, to, type, from_type, to_type;
} relation_columns;

static int map_relation_columns(esco_importer *im, relation_columns *c)
{
	int rc;
	c->from_type = c->to_type = c->type = -1;
	switch (im->file->kind) {
	case ESCO_OCC_SKILL:
		rc = esco_column(im, "occupationUri", 1, &c->from);
		if (!rc) rc = esco_column(im, "relationType", 1, &c->type);
		if (!rc) rc = esco_column(im, "skillUri", 1, &c->to);
		if (!rc) rc = replace_once(im, "DELETE FROM occupation_skill");
		return rc;
	case ESCO_SKILL_SKILL:
		rc = esco_column(im, "originalSkillUri", 1, &c->from);
		if (!rc) rc = esco_column(im, "relationType", 1, &c->type);
		if (!rc) rc = esco_column(im, "relatedSkillUri", 1, &c->to);
		if (!rc) rc = replace_once(im, "DELETE FROM skill_skill");
		return rc;
	default:
		rc = esco_column(im, "conceptUri", 1, &c->from);
		if (!rc) rc = esco_column(im, "broaderUri", 1, &c->to);
		esco_column(im, "conceptType", 0, &c->from_type);
		esco_column(im, "broaderType", 0, &c->to_type);
		if (!rc) rc = replace_once(im, im->file->kind == ESCO_BROADER_OCC
			? "DELETE FROM broader WHERE concept IN "
			  "(SELECT id FROM concept WHERE kind IN ('occupation', 'isco_group'))"
			: "DELETE FROM broader WHERE concept IN "
			  "(SELECT id FROM concept WHERE kind IN ('skill', 'skill_group'))");
		return rc;
	}
}

static int import_relation_row(esco_importer *im, const relation_columns *c)
{
	int64_t from, to;
	const char *relation = NULL;
	const char *from_kind, *to_kind;
	switch (im->file->kind) {
	case ESCO_OCC_SKILL:  from_kind = "occupation"; to_kind = "skill"; break;
	case ESCO_SKILL_SKILL: from_kind = to_kind = "skill"; break;
	default:
		from_kind = kind_of_type(sh_csv_field(im->csv, c->from_type));
		to_kind = kind_of_type(sh_csv_field(im->csv, c->to_type));
	}
	int rc = c->type >= 0 ? relation_type(im, c->type, &relation) : SH_OK;
	if (!rc) rc = resolve(im, c->from, from_kind, &from);
	if (!rc) rc = resolve(im, c->to, to_kind, &to);
	if (rc)
		return rc;
	sqlite3_stmt *st = im->file->kind == ESCO_OCC_SKILL ? im->st.occupation_skill
	                 : im->file->kind == ESCO_SKILL_SKILL ? im->st.skill_skill : im->st.broader;
	return insert_pair(im, st, from, to, relation);
}

/* The scheme concept of a collection (see esco_files.c for the mapping). */
static int collection_scheme(esco_importer *im, int64_t *id)
{
	const esco_file *f = im->file;
	sqlite3_stmt *st = im->st.find_collection;
	sqlite3_bind_text(st, 1, f->collection_key, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return sh_db_error(im->db, "collection");
	if (*id)
		return SH_OK;
	if (f->scheme_label) {
		st = im->st.scheme_by_label;
		sqlite3_bind_text(st, 1, f->scheme_label, -1, SQLITE_STATIC);
		step = sqlite3_step(st);
		*id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return sh_db_error(im->db, "collection scheme");
	}
	if (!*id) {
		char uri[96];
		snprintf(uri, sizeof uri, "urn:skillhub:collection:%s", f->collection_key);
		int rc = esco_create_bare(im, uri, strlen(uri), "scheme", "released", id);
		if (rc)
			return rc;
	}
	sqlite3_bind_text(im->st.set_collection, 1, f->collection_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(im->st.set_collection, 2, *id);
	return esco_run(im, im->st.set_collection, "set collection");
}

static int relation_row(esco_importer *im, const void *cols)
{
	return import_relation_row(im, cols);
}

int esco_read_relations(esco_importer *im)
{
	relation_columns c;
	int rc = map_relation_columns(im, &c);
	return rc ? rc : esco_read_rows(im, relation_row, &c);
}

typedef struct collection_columns {
	int uri, type;
	int64_t scheme;
} collection_columns;

static int collection_row(esco_importer *im, const void *cols)
{
	const collection_columns *c = cols;
	int64_t member;
	int rc = resolve(im, c->uri, kind_of_type(sh_csv_field(im->csv, c->type)), &member);
	return rc ? rc : esco_add_member(im, c->scheme, member);
}

int esco_read_collection(esco_importer *im)
{
	collection_columns c;
	int rc = esco_column(im, "conceptUri", 1, &c.uri);
	esco_column(im, "conceptType", 0, &c.type);
	if (!rc) rc = collection_scheme(im, &c.scheme);
	if (!rc) {
		sqlite3_bind_int64(im->st.delete_members, 1, c.scheme);
		rc = esco_run(im, im->st.delete_members, "delete collection members");
	}
	return rc ? rc : esco_read_rows(im, collection_row, &c);
}
