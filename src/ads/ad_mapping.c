/*
 * ads/ad_mapping.c - from a record (a JSON object) to the fields of an ad
 * (ingest.h, docs/ads.md).
 *
 * A mapping holds, per field, a list of candidate paths; the default lists
 * name the fields of schema.org JobPosting first, then those of the shared
 * EURES CSV and France Travail exports, then common flat names.  A path is
 * resolved by trying the whole remaining path as a key first, then its part
 * up to the first dot (descending into an object), so both "a.b" keys and
 * nested objects work.
 *
 * Values: a string is trimmed (empty = absent), a number is printed as JSON
 * prints it, an array of strings and numbers is joined with ", "
 * (schema.org allows employmentType: ["FULL_TIME", "PART_TIME"]).  Anything
 * else where the first present candidate points is a type error, reported
 * with the field and path: a mapping that points at the wrong thing shows at
 * once instead of storing ads without that field.
 */
#include "ads/ingest.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define MAX_PATHS 8

struct sh_ad_mapping {
	char  *paths[SH_AD_NFIELDS][MAX_PATHS];
	size_t n[SH_AD_NFIELDS];
};

static const char *const field_names[SH_AD_NFIELDS] = {
	"title", "text", "date", "country", "region", "employer", "sector", "contract", "salary", "url",
	"source_id"
};

/* Default candidates, NULL-terminated (docs/ads.md lists them). */
static const char *const defaults[SH_AD_NFIELDS][MAX_PATHS] = {
	[SH_AD_TITLE]     = { "title", "job_title", "jobTitle", NULL },
	[SH_AD_TEXT]      = { "description", "full_description", "text", NULL },
	[SH_AD_DATE]      = { "datePosted", "published_date", "date", NULL },
	[SH_AD_COUNTRY]   = { "jobLocation.address.addressCountry", "country_code", "country", NULL },
	[SH_AD_REGION]    = { "jobLocation.address.addressRegion", "jobLocation.address.addressLocality",
	                      "region", "location", NULL },
	[SH_AD_EMPLOYER]  = { "hiringOrganization.name", "company_name", "company", "employer", NULL },
	[SH_AD_SECTOR]    = { "industry", "field", "sector", NULL },
	[SH_AD_CONTRACT]  = { "employmentType", "contract_type", "contract", NULL },
	[SH_AD_SALARY]    = { "baseSalary.value.value", "baseSalary.value", "salary", NULL },
	[SH_AD_URL]       = { "url", NULL },
	[SH_AD_SOURCE_ID] = { "identifier.value", "identifier", "offer_id", "job_id", "id", NULL },
};

const char *sh_ad_field_name(sh_ad_field f)
{
	return (unsigned)f < SH_AD_NFIELDS ? field_names[f] : "?";
}

static void clear_field(sh_ad_mapping *m, int f)
{
	for (size_t i = 0; i < m->n[f]; i++)
		free(m->paths[f][i]);
	m->n[f] = 0;
}

static int add_path(sh_ad_mapping *m, int f, const char *path, size_t len)
{
	if (m->n[f] == MAX_PATHS)
		return sh_error(SH_EINVAL, "field %s: more than %d paths", field_names[f], MAX_PATHS);
	if (!(m->paths[f][m->n[f]] = strndup(path, len)))
		return sh_error(SH_ENOMEM, "out of memory");
	m->n[f]++;
	return SH_OK;
}

int sh_ad_mapping_new(sh_ad_mapping **out)
{
	*out = NULL;
	sh_ad_mapping *m = calloc(1, sizeof *m);
	if (!m)
		return sh_error(SH_ENOMEM, "out of memory");
	for (int f = 0; f < SH_AD_NFIELDS; f++)
		for (int i = 0; defaults[f][i]; i++)
			if (add_path(m, f, defaults[f][i], strlen(defaults[f][i]))) {
				sh_ad_mapping_free(m);
				return SH_ENOMEM;
			}
	*out = m;
	return SH_OK;
}

void sh_ad_mapping_free(sh_ad_mapping *m)
{
	if (!m)
		return;
	for (int f = 0; f < SH_AD_NFIELDS; f++)
		clear_field(m, f);
	free(m);
}

static int field_by_name(const char *name, size_t len)
{
	for (int f = 0; f < SH_AD_NFIELDS; f++)
		if (strlen(field_names[f]) == len && memcmp(field_names[f], name, len) == 0)
			return f;
	return -1;
}

static int set_item(sh_ad_mapping *m, const char *item, size_t len, const char *where)
{
	const char *eq = memchr(item, '=', len);
	if (!eq)
		return sh_error(SH_EINVAL, "%s: '%.*s' is not field=path", where, (int)len, item);
	int f = field_by_name(item, (size_t)(eq - item));
	if (f < 0)
		return sh_error(SH_EINVAL, "%s: unknown field '%.*s' (fields: title text date country region "
		                "employer sector contract salary url source_id)", where, (int)(eq - item), item);
	size_t plen = len - (size_t)(eq - item) - 1;
	if (plen == 0)
		return sh_error(SH_EINVAL, "%s: empty path for field %s", where, field_names[f]);
	clear_field(m, f);
	return add_path(m, f, eq + 1, plen);
}

int sh_ad_mapping_set(sh_ad_mapping *m, const char *spec, const char *where)
{
	while (*spec) {
		const char *end = strchr(spec, ',');
		size_t len = end ? (size_t)(end - spec) : strlen(spec);
		int rc = set_item(m, spec, len, where);
		if (rc)
			return rc;
		spec += len + (end ? 1 : 0);
	}
	return SH_OK;
}

int sh_ad_mapping_read_file(sh_ad_mapping *m, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return sh_error(errno == ENOENT ? SH_ENOTFOUND : SH_EIO, "%s: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = SH_OK;
	while (rc == SH_OK && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t len = (size_t)n;
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			len--;
		line[len] = '\0';
		const char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		char where[64];
		snprintf(where, sizeof where, "%.40s:%zu", path, lineno);
		rc = sh_ad_mapping_set(m, p, where);
	}
	free(line);
	fclose(f);
	return rc;
}

char *sh_ad_mapping_to_json(const sh_ad_mapping *m)
{
	json_t *obj = json_object();
	for (int f = 0; obj && f < SH_AD_NFIELDS; f++) {
		json_t *list = json_array();
		for (size_t i = 0; list && i < m->n[f]; i++)
			json_array_append_new(list, json_string(m->paths[f][i]));
		json_object_set_new(obj, field_names[f], list);
	}
	char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	return s;
}

int sh_ad_mapping_from_json(sh_ad_mapping *m, const char *json)
{
	json_error_t err;
	json_t *obj = json_loads(json, 0, &err);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return sh_error(SH_EFORMAT, "stored mapping: not a JSON object");
	}
	int rc = SH_OK;
	for (int f = 0; rc == SH_OK && f < SH_AD_NFIELDS; f++) {
		json_t *list = json_object_get(obj, field_names[f]);
		if (!json_is_array(list))
			continue;
		clear_field(m, f);
		size_t i;
		json_t *v;
		json_array_foreach(list, i, v) {
			if (!json_is_string(v)) {
				rc = sh_error(SH_EFORMAT, "stored mapping: field %s: a path is not a string", field_names[f]);
				break;
			}
			if ((rc = add_path(m, f, json_string_value(v), json_string_length(v))))
				break;
		}
	}
	json_decref(obj);
	return rc;
}

/* The value at path in v, or NULL. */
static const json_t *resolve(const json_t *v, const char *path)
{
	while (json_is_object(v)) {
		const json_t *whole = json_object_get(v, path);
		if (whole)
			return whole;
		const char *dot = strchr(path, '.');
		if (!dot)
			return NULL;
		v = json_object_getn(v, path, (size_t)(dot - path));
		path = dot + 1;
	}
	return NULL;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY:  return "an array";
	case JSON_TRUE:
	case JSON_FALSE:  return "a boolean";
	default:          return "a scalar";
	}
}

/* Appends a string or number; 1 when v is neither. */
static int put_scalar(sh_buf *b, const json_t *v)
{
	if (json_is_string(v))
		return sh_buf_append(b, json_string_value(v), json_string_length(v)) < 0 ? SH_ENOMEM : 0;
	if (json_is_integer(v))
		return sh_buf_printf(b, "%lld", (long long)json_integer_value(v)) < 0 ? SH_ENOMEM : 0;
	if (json_is_real(v))
		return sh_buf_printf(b, "%.17g", json_real_value(v)) < 0 ? SH_ENOMEM : 0;
	return 1;
}

/* Trimmed copy of b, or NULL when blank. */
static int trimmed(const sh_buf *b, char **out)
{
	const char *p = b->data ? b->data : "";
	size_t len = b->len;
	while (len > 0 && isspace((unsigned char)*p))
		p++, len--;
	while (len > 0 && isspace((unsigned char)p[len - 1]))
		len--;
	*out = NULL;
	if (len == 0)
		return SH_OK;
	if (!(*out = strndup(p, len)))
		return sh_error(SH_ENOMEM, "out of memory");
	return SH_OK;
}

static int map_field(const sh_ad_mapping *m, int f, const json_t *record, sh_buf *tmp, char **out)
{
	*out = NULL;
	for (size_t i = 0; i < m->n[f]; i++) {
		const json_t *v = resolve(record, m->paths[f][i]);
		if (!v || json_is_null(v))
			continue;
		sh_buf_clear(tmp);
		int bad = put_scalar(tmp, v);
		if (bad == 1 && json_is_array(v)) {
			size_t k;
			const json_t *e;
			bad = 0;
			json_array_foreach(v, k, e) {
				if (k && (bad = sh_buf_puts(tmp, ", ") < 0 ? SH_ENOMEM : 0))
					break;
				if ((bad = put_scalar(tmp, e)) != 0)
					break;
			}
			if (bad == 1)
				return sh_error(SH_EFORMAT, "field %s: '%s' is an array holding %s, expected strings",
				                field_names[f], m->paths[f][i], type_name(e));
		}
		if (bad == 1)
			return sh_error(SH_EFORMAT, "field %s: '%s' is %s, expected a string or a number",
			                field_names[f], m->paths[f][i], type_name(v));
		if (bad < 0)
			return sh_error(SH_ENOMEM, "out of memory");
		return trimmed(tmp, out);
	}
	return SH_OK;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly n digits. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int sh_ad_date(const char *s, char out[11])
{
	int y, mo, d;
	const char *rest;
	if (digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &mo) && s[7] == '-' && digits(s + 8, 2, &d)) {
		rest = s + 10;
		if (*rest && *rest != 'T' && *rest != ' ')
			goto bad;
	} else if (digits(s, 2, &d) && (s[2] == '/' || s[2] == '.') && digits(s + 3, 2, &mo) && s[5] == s[2] &&
	           digits(s + 6, 4, &y)) {
		rest = s + 10;
		if (*rest && *rest != ' ')
			goto bad;
	} else {
		goto bad;
	}
	if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		goto bad;
	const int parts[3][2] = { { y, 4 }, { mo, 2 }, { d, 2 } };
	char *o = out;
	for (int i = 0; i < 3; i++) {
		for (int k = parts[i][1] - 1, v = parts[i][0]; k >= 0; k--, v /= 10)
			o[k] = (char)('0' + v % 10);
		o += parts[i][1];
		*o++ = i < 2 ? '-' : '\0';
	}
	return SH_OK;
bad:
	return sh_error(SH_EFORMAT, "field date: unparseable date '%.40s' (expected YYYY-MM-DD[Thh:mm...], "
	                "DD/MM/YYYY or DD.MM.YYYY)", s);
}

void sh_ad_fields_free(sh_ad_fields *f)
{
	for (int i = 0; i < SH_AD_NFIELDS; i++) {
		free(f->v[i]);
		f->v[i] = NULL;
	}
}

int sh_ad_fields_map(const sh_ad_mapping *m, const json_t *record, sh_ad_fields *out)
{
	memset(out, 0, sizeof *out);
	if (!json_is_object(record))
		return sh_error(SH_EFORMAT, "the record is %s, expected a JSON object", type_name(record));
	sh_buf tmp = SH_BUF_INIT;
	int rc = SH_OK;
	for (int f = 0; rc == SH_OK && f < SH_AD_NFIELDS; f++)
		rc = map_field(m, f, record, &tmp, &out->v[f]);
	sh_buf_free(&tmp);
	if (rc == SH_OK && !out->v[SH_AD_TITLE] && !out->v[SH_AD_TEXT])
		rc = sh_error(SH_EFORMAT, "the record has neither a title nor a text (check --map)");
	if (rc == SH_OK && out->v[SH_AD_DATE]) {
		char date[11];
		if ((rc = sh_ad_date(out->v[SH_AD_DATE], date)) == SH_OK)
			memcpy(out->v[SH_AD_DATE], date, 11); /* never longer than the input it came from */
	}
	char *c = out->v[SH_AD_COUNTRY];
	if (rc == SH_OK && c && strlen(c) == 2 && isalpha((unsigned char)c[0]) && isalpha((unsigned char)c[1])) {
		c[0] = (char)toupper((unsigned char)c[0]);
		c[1] = (char)toupper((unsigned char)c[1]);
	}
	if (rc)
		sh_ad_fields_free(out);
	return rc;
}
