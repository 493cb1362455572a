/*
 * catalogue/export.c - courses out: the JSON exchange shape, CSV, European
 * Learning Model (ELM 3) JSON-LD, and the harvestable feed.
 *
 * JSON and CSV are the import formats (a JSON export re-imports to the same
 * export).  ELM output maps each course to one LearningOpportunity with an
 * embedded LearningAchievementSpecification; docs/catalogue.md lists the
 * mapping and what it leaves out.  Codes that ELM takes from EU authority
 * tables (languages, countries, currencies) are mapped for the EU/EEA
 * languages and countries in the tables below; others are left out rather
 * than guessed.
 */
#include "catalogue/catalogue.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define ELM_CONTEXT "http://data.europa.eu/snb/model/context/edc-ap"
#define EU_AUTHORITY "http://publications.europa.eu/resource/authority/"

/* ISO 639-1 -> EU authority table "language" (ISO 639-2/B-like codes used there). */
static const char *const languages3[][2] = {
	{ "bg", "BUL" }, { "cs", "CES" }, { "da", "DAN" }, { "de", "DEU" }, { "el", "ELL" }, { "en", "ENG" },
	{ "es", "SPA" }, { "et", "EST" }, { "fi", "FIN" }, { "fr", "FRA" }, { "ga", "GLE" }, { "hr", "HRV" },
	{ "hu", "HUN" }, { "is", "ISL" }, { "it", "ITA" }, { "lt", "LIT" }, { "lv", "LAV" }, { "mt", "MLT" },
	{ "nl", "NLD" }, { "no", "NOR" }, { "pl", "POL" }, { "pt", "POR" }, { "ro", "RON" }, { "sk", "SLK" },
	{ "sl", "SLV" }, { "sv", "SWE" }, { "tr", "TUR" }, { "uk", "UKR" },
};

/* ISO 3166-1 alpha-2 -> EU authority table "country" (alpha-3). */
static const char *const countries3[][2] = {
	{ "AT", "AUT" }, { "BE", "BEL" }, { "BG", "BGR" }, { "CH", "CHE" }, { "CY", "CYP" }, { "CZ", "CZE" },
	{ "DE", "DEU" }, { "DK", "DNK" }, { "EE", "EST" }, { "ES", "ESP" }, { "FI", "FIN" }, { "FR", "FRA" },
	{ "GB", "GBR" }, { "GR", "GRC" }, { "HR", "HRV" }, { "HU", "HUN" }, { "IE", "IRL" }, { "IS", "ISL" },
	{ "IT", "ITA" }, { "LI", "LIE" }, { "LT", "LTU" }, { "LU", "LUX" }, { "LV", "LVA" }, { "MT", "MLT" },
	{ "NL", "NLD" }, { "NO", "NOR" }, { "PL", "POL" }, { "PT", "PRT" }, { "RO", "ROU" }, { "RS", "SRB" },
	{ "SE", "SWE" }, { "SI", "SVN" }, { "SK", "SVK" }, { "TR", "TUR" }, { "UA", "UKR" },
};

static const char *map_code(const char *const table[][2], size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(table[i][0], code))
			return table[i][1];
	return NULL;
}

static json_t *authority_concept(const char *table, const char *code)
{
	return json_pack("{s:s++, s:s}", "id", EU_AUTHORITY, table, code, "type", "Concept");
}

/* Course ids, parents first, else in ref order: all, approved only, or the one named ref. */
static int course_ids(sh_db *db, const char *ref, int approved_only, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (ref) {
		*ids = malloc(sizeof **ids);
		if (!*ids)
			return sh_error(SH_ENOMEM, "out of memory");
		*n = 1;
		return cat_course_id(db, ref, *ids);
	}
	sqlite3_stmt *st;
	/* parents before their modules, so that the export re-imports in one pass */
	int rc = sh_db_prepare(db, &st,
		"WITH RECURSIVE d(id, depth) AS (SELECT id, 0 FROM course WHERE parent IS NULL"
		" UNION ALL SELECT c.id, d.depth + 1 FROM course c JOIN d ON c.parent = d.id)"
		" SELECT c.id FROM course c JOIN d ON d.id = c.id WHERE ?1 = 0 OR c.status = 'approved'"
		" ORDER BY d.depth, c.ref");
	if (!rc)
		sqlite3_bind_int(st, 1, approved_only);
	if (rc)
		return rc;
	size_t cap = 0;
	int s;
	while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int64_t *grown = realloc(*ids, (cap = cap ? 2 * cap : 64) * sizeof *grown);
			if (!grown) {
				rc = sh_error(SH_ENOMEM, "out of memory");
				break;
			}
			*ids = grown;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (!rc && s != SQLITE_DONE)
		rc = sh_db_error(db, "list courses");
	sqlite3_finalize(st);
	return rc;
}

static json_t *find_by_id(json_t *arr, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (id && !strcmp(json_string_value(json_object_get(v, "id")), id))
			return v;
	return NULL;
}

/* ---- JSON and CSV ---------------------------------------------------- */

static int export_json(json_t *providers, json_t *courses, int single, char **out)
{
	json_t *used = providers;
	if (single) {
		used = json_array();
		json_t *p = find_by_id(providers, json_string_value(json_object_get(json_array_get(courses, 0), "provider")));
		if (p)
			json_array_append(used, p);
	} else {
		json_incref(used);
	}
	json_t *root = json_pack("{s:o, s:O}", "providers", used, "courses", courses);
	*out = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	return *out ? SH_OK : sh_error(SH_ENOMEM, "out of memory");
}

static void csv_cell(sh_buf *b, const char *s, int first)
{
	if (!first)
		sh_buf_putc(b, ',');
	if (!s || !*s)
		return;
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ') {
		sh_buf_puts(b, s);
		return;
	}
	sh_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			sh_buf_putc(b, '"');
		sh_buf_putc(b, *s);
	}
	sh_buf_putc(b, '"');
}

/* A scalar member as CSV text (caller frees; NULL when absent). */
static char *scalar_text(json_t *v)
{
	if (!v)
		return NULL;
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
}

/* A list member joined by sep with item(v) for each element. */
static char *joined(json_t *arr, const char *sep, void (*item)(sh_buf *, json_t *))
{
	sh_buf b = SH_BUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (i)
			sh_buf_puts(&b, sep);
		item(&b, v);
	}
	return sh_buf_detach(&b);
}

static void item_string(sh_buf *b, json_t *v)
{
	sh_buf_puts(b, json_string_value(v));
}

static void item_skill(sh_buf *b, json_t *v)
{
	sh_buf_puts(b, json_string_value(json_object_get(v, "uri")));
	if (json_object_get(v, "level"))
		sh_buf_printf(b, "|%s", json_string_value(json_object_get(v, "level")));
}

static void item_prerequisite(sh_buf *b, json_t *v)
{
	json_t *skill = json_object_get(v, "skill");
	sh_buf_printf(b, "%s:%s", skill ? "skill" : "course",
	              json_string_value(skill ? skill : json_object_get(v, "course")));
}

static void item_outcome_text(sh_buf *b, json_t *v)
{
	sh_buf_puts(b, json_string_value(json_object_get(v, "text")));
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int export_csv(json_t *courses, char **out)
{
	/* the text languages of all courses, sorted */
	const char *langs[64];
	size_t nl = 0, i;
	json_t *c;
	json_array_foreach(courses, i, c) {
		const char *lang;
		json_t *v;
		json_object_foreach(json_object_get(c, "texts"), lang, v) {
			size_t k = 0;
			while (k < nl && strcmp(langs[k], lang))
				k++;
			if (k == nl && nl == sizeof langs / sizeof langs[0])
				return sh_error(SH_EINVAL, "CSV export: more than %zu text languages; use JSON", nl);
			if (k == nl)
				langs[nl++] = lang;
		}
	}
	qsort(langs, nl, sizeof langs[0], cmp_cstr);
	sh_buf b = SH_BUF_INIT;
	for (size_t f = 0; f < cat_nfields; f++)
		csv_cell(&b, cat_fields[f].key, f == 0);
	csv_cell(&b, "languages", 0);
	csv_cell(&b, "skills", 0);
	csv_cell(&b, "prerequisites", 0);
	for (size_t k = 0; k < nl; k++)
		sh_buf_printf(&b, ",title_%s,description_%s,outcomes_%s", langs[k], langs[k], langs[k]);
	csv_cell(&b, "status", 0);
	sh_buf_puts(&b, "\r\n");
	json_array_foreach(courses, i, c) {
		for (size_t f = 0; f < cat_nfields; f++) {
			json_t *v = json_object_get(c, cat_fields[f].key);
			char *s = cat_fields[f].type == CAT_BOOL && !json_is_true(v) ? NULL : scalar_text(v);
			csv_cell(&b, s, f == 0);
			free(s);
		}
		char *lists[3] = {
			joined(json_object_get(c, "languages"), ";", item_string),
			joined(json_object_get(c, "skills"), ";", item_skill),
			joined(json_object_get(c, "prerequisites"), ";", item_prerequisite),
		};
		for (int k = 0; k < 3; k++) {
			csv_cell(&b, lists[k], 0);
			free(lists[k]);
		}
		for (size_t k = 0; k < nl; k++) {
			json_t *t = json_object_get(json_object_get(c, "texts"), langs[k]);
			csv_cell(&b, json_string_value(json_object_get(t, "title")), 0);
			csv_cell(&b, json_string_value(json_object_get(t, "description")), 0);
			json_t *mine = json_array(), *o;
			size_t j;
			json_array_foreach(json_object_get(c, "outcomes"), j, o)
				if (!strcmp(json_string_value(json_object_get(o, "lang")), langs[k]))
					json_array_append(mine, o);
			char *text = joined(mine, "\n", item_outcome_text);
			csv_cell(&b, text, 0);
			free(text);
			json_decref(mine);
		}
		csv_cell(&b, json_string_value(json_object_get(c, "status")), 0);
		sh_buf_puts(&b, "\r\n");
	}
	*out = sh_buf_detach(&b);
	return SH_OK;
}

/* ---- ELM ------------------------------------------------------------- */

/* {"en": v, ...} of member key of every texts[lang]; NULL when none. */
static json_t *lang_map(json_t *texts, const char *key)
{
	json_t *m = json_object(), *t;
	const char *lang;
	json_object_foreach(texts, lang, t)
		if (json_is_string(json_object_get(t, key)))
			json_object_set(m, lang, json_object_get(t, key));
	if (json_object_size(m))
		return m;
	json_decref(m);
	return NULL;
}

static void set_if(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}

static json_t *elm_provider(json_t *p)
{
	const char *ref = json_string_value(json_object_get(p, "id"));
	json_t *o = json_pack("{s:s+, s:s, s:{s:O}}", "id", "urn:skillhub:provider:", ref, "type", "Organisation",
	                      "legalName", "en", json_object_get(p, "name"));
	const char *c3 = map_code(countries3, sizeof countries3 / sizeof countries3[0],
	                          json_string_value(json_object_get(p, "country")));
	if (c3)
		json_object_set_new(o, "location", json_pack("[{s:s++, s:s, s:[{s:s+, s:s, s:o}]}]",
			"id", "urn:skillhub:provider:", ref, ":location", "type", "Location",
			"address", "id", "urn:skillhub:provider-address:", ref, "type", "Address",
			"countryCode", authority_concept("country/", c3)));
	if (json_object_get(p, "accreditation"))
		json_object_set_new(o, "additionalNote", json_pack("[{s:s, s:{s:O}}]", "type", "Note",
			"noteLiteral", "en", json_object_get(p, "accreditation")));
	return o;
}

/* Learning outcomes: one per accepted skill (title = its ESCO label, relatedESCOSkill). */
static json_t *elm_outcomes(sh_db *db, const char *ref, json_t *skills)
{
	json_t *arr = json_array(), *s;
	size_t i;
	json_array_foreach(skills, i, s) {
		const char *uri = json_string_value(json_object_get(s, "uri"));
		sqlite3_stmt *st;
		char *label = NULL;
		if (!sh_db_prepare(db, &st, "SELECT id FROM concept WHERE uri = ?")) {
			sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				label = cat_skill_label(db, sqlite3_column_int64(st, 0), "en");
			sqlite3_finalize(st);
		}
		char id[600];
		snprintf(id, sizeof id, "urn:skillhub:course:%s:outcome:%zu", ref, i + 1);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:{s:s}, s:[{s:s, s:s}]}", "id", id,
			"type", "LearningOutcome", "title", "en", label ? label : uri,
			"relatedESCOSkill", "id", uri, "type", "Concept"));
		free(label);
	}
	return arr;
}

static json_t *elm_specification(sh_db *db, json_t *c, const char *ref)
{
	json_t *spec = json_pack("{s:s++, s:s}", "id", "urn:skillhub:course:", ref, ":specification",
	                         "type", "LearningAchievementSpecification");
	set_if(spec, "title", lang_map(json_object_get(c, "texts"), "title"));
	set_if(spec, "description", lang_map(json_object_get(c, "texts"), "description"));
	json_t *langs = json_array(), *v;
	size_t i;
	json_array_foreach(json_object_get(c, "languages"), i, v) {
		const char *l3 = map_code(languages3, sizeof languages3 / sizeof languages3[0], json_string_value(v));
		if (l3)
			json_array_append_new(langs, authority_concept("language/", l3));
	}
	set_if(spec, "language", json_array_size(langs) ? langs : NULL);
	if (!json_array_size(langs))
		json_decref(langs);
	if (json_object_get(c, "hours")) {
		char iso[64];
		snprintf(iso, sizeof iso, "PT%gH", json_number_value(json_object_get(c, "hours")));
		json_object_set_new(spec, "volumeOfLearning", json_string(iso));
	}
	if (json_object_get(c, "ects")) {
		char points[32];
		snprintf(points, sizeof points, "%g", json_number_value(json_object_get(c, "ects")));
		json_object_set_new(spec, "creditPoint", json_pack("[{s:s, s:{s:s, s:s, s:{s:s}}, s:s}]",
			"type", "CreditPoint", "framework", "id", "http://data.europa.eu/snb/education-credit/6fcec5c5af",
			"type", "Concept", "prefLabel", "en", "European Credit Transfer and Accumulation System",
			"point", points));
	}
	if (json_object_get(c, "eqf")) {
		char eqf[64];
		snprintf(eqf, sizeof eqf, "http://data.europa.eu/snb/eqf/%lld",
		         (long long)json_integer_value(json_object_get(c, "eqf")));
		json_object_set_new(spec, "eqfLevel", json_pack("{s:s, s:s}", "id", eqf, "type", "Concept"));
	}
	if (json_object_get(c, "mode"))
		json_object_set_new(spec, "mode", json_pack("[{s:s, s:{s:O}}]", "type", "Concept",
			"prefLabel", "en", json_object_get(c, "mode")));
	if (json_object_get(c, "audience"))
		json_object_set_new(spec, "targetGroup", json_pack("[{s:s, s:{s:O}}]", "type", "Concept",
			"prefLabel", "en", json_object_get(c, "audience")));
	/* outcomes as written by the provider: one summary note per language */
	json_t *summary = json_object();
	json_array_foreach(json_object_get(c, "outcomes"), i, v) {
		const char *lang = json_string_value(json_object_get(v, "lang"));
		json_t *old = json_object_get(summary, lang);
		char *text = NULL;
		if (asprintf(&text, "%s%s%s", old ? json_string_value(old) : "", old ? "\n" : "",
		             json_string_value(json_object_get(v, "text"))) >= 0) {
			json_object_set_new(summary, lang, json_string(text));
			free(text);
		}
	}
	if (json_object_size(summary))
		json_object_set_new(spec, "learningOutcomeSummary",
		                    json_pack("{s:s, s:O}", "type", "Note", "noteLiteral", summary));
	json_decref(summary);
	json_t *outcomes = elm_outcomes(db, ref, json_object_get(c, "skills"));
	set_if(spec, "learningOutcome", json_array_size(outcomes) ? outcomes : NULL);
	if (!json_array_size(outcomes))
		json_decref(outcomes);
	if (json_object_get(c, "parent"))
		json_object_set_new(spec, "isPartOf", json_pack("[{s:s++}]", "id", "urn:skillhub:course:",
			json_string_value(json_object_get(c, "parent")), ":specification"));
	if (json_object_get(c, "prerequisites")) {
		char *text = joined(json_object_get(c, "prerequisites"), "; ", item_prerequisite);
		json_object_set_new(spec, "entryRequirement", json_pack("{s:s, s:{s:s}}", "type", "Note",
			"noteLiteral", "en", text));
		free(text);
	}
	return spec;
}

/* One course as an ELM LearningOpportunity (with @context when standalone). */
static json_t *elm_course(sh_db *db, json_t *c, json_t *providers, int standalone)
{
	const char *ref = json_string_value(json_object_get(c, "id"));
	json_t *o = json_object();
	if (standalone)
		json_object_set_new(o, "@context", json_string(ELM_CONTEXT));
	char id[600];
	snprintf(id, sizeof id, "urn:skillhub:course:%s", ref);
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "type", json_string("LearningOpportunity"));
	set_if(o, "title", lang_map(json_object_get(c, "texts"), "title"));
	set_if(o, "description", lang_map(json_object_get(c, "texts"), "description"));
	if (json_object_get(c, "url"))
		json_object_set_new(o, "homepage", json_pack("[{s:s+, s:s, s:O}]", "id", id, ":homepage",
			"type", "WebResource", "contentURL", json_object_get(c, "url")));
	json_t *p = find_by_id(providers, json_string_value(json_object_get(c, "provider")));
	if (p)
		json_object_set_new(o, "providedBy", elm_provider(p));
	if (json_object_get(c, "location"))
		json_object_set_new(o, "location", json_pack("[{s:s+, s:s, s:{s:O}}]", "id", id, ":location",
			"type", "Location", "geographicName", "en", json_object_get(c, "location")));
	if (json_object_get(c, "start")) {
		json_t *t = json_pack("{s:s+, s:s, s:s+}", "id", id, ":period", "type", "PeriodOfTime",
		                      "startDate", json_string_value(json_object_get(c, "start")), "T00:00:00Z");
		if (json_object_get(c, "end"))
			json_object_set_new(t, "endDate", json_pack("s+", json_string_value(json_object_get(c, "end")),
			                                              "T23:59:59Z"));
		json_object_set_new(o, "temporal", t);
	}
	if (json_is_true(json_object_get(c, "self_paced")))
		json_object_set_new(o, "additionalNote", json_pack("[{s:s, s:{s:s}}]", "type", "Note",
			"noteLiteral", "en", "self-paced: start at any time"));
	if (json_object_get(c, "cost") && json_object_get(c, "currency"))
		json_object_set_new(o, "priceDetail", json_pack("[{s:s+, s:s, s:O, s:o}]", "id", id, ":price",
			"type", "PriceDetail", "amount", json_object_get(c, "cost"),
			"unit", authority_concept("currency/", json_string_value(json_object_get(c, "currency")))));
	json_object_set_new(o, "learningAchievementSpecification", elm_specification(db, c, ref));
	return o;
}

/* ---- entry points ---------------------------------------------------- */

static int load_courses(sh_db *db, const int64_t *ids, size_t n, json_t **out)
{
	json_t *arr = json_array();
	cat_loader *l;
	int rc = cat_loader_new(db, &l);
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *c;
		rc = cat_loader_load(l, ids[i], &c);
		if (!rc)
			json_array_append_new(arr, c);
	}
	cat_loader_free(l);
	if (rc)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int sh_courses_export(sh_db *db, sh_course_format fmt, const char *ref, char **out)
{
	int64_t *ids;
	size_t n;
	json_t *courses = NULL, *providers = NULL;
	int rc = course_ids(db, ref, 0, &ids, &n);
	if (!rc)
		rc = load_courses(db, ids, n, &courses);
	free(ids);
	if (!rc)
		rc = cat_providers_load(db, &providers);
	if (!rc) {
		switch (fmt) {
		case SH_COURSES_JSON:
			rc = export_json(providers, courses, ref != NULL, out);
			break;
		case SH_COURSES_CSV:
			rc = export_csv(courses, out);
			break;
		case SH_COURSES_ELM: {
			json_t *doc;
			if (ref) {
				doc = elm_course(db, json_array_get(courses, 0), providers, 1);
			} else {
				doc = json_pack("{s:s, s:[]}", "@context", ELM_CONTEXT, "@graph");
				size_t i;
				json_t *c;
				json_array_foreach(courses, i, c)
					json_array_append_new(json_object_get(doc, "@graph"), elm_course(db, c, providers, 0));
			}
			*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			json_decref(doc);
			if (!*out)
				rc = sh_error(SH_ENOMEM, "out of memory");
			break;
		}
		default:
			rc = sh_error(SH_EINVAL, "export: unknown format %d", (int)fmt);
		}
	}
	json_decref(courses);
	json_decref(providers);
	return rc;
}

int sh_courses_feed(sh_db *db, char **out)
{
	int64_t *ids;
	size_t n;
	json_t *courses = NULL, *providers = NULL;
	int rc = course_ids(db, NULL, 1, &ids, &n);
	if (!rc)
		rc = load_courses(db, ids, n, &courses);
	free(ids);
	if (!rc)
		rc = cat_providers_load(db, &providers);
	if (!rc) {
		char now[32];
		cat_now(now);
		json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "@context", ELM_CONTEXT,
		                        "id", "urn:skillhub:catalogue", "type", "Collection", "modified", now, "@graph");
		size_t i;
		json_t *c;
		json_array_foreach(courses, i, c)
			json_array_append_new(json_object_get(doc, "@graph"), elm_course(db, c, providers, 0));
		*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(doc);
		if (!*out)
			rc = sh_error(SH_ENOMEM, "out of memory");
	}
	json_decref(courses);
	json_decref(providers);
	return rc;
}
