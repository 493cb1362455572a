/*
 * tests/unit/test_ads_ingest.c - reading and mapping job-ad records
 * (src/ads/ingest.h): the default mapping on schema.org JobPosting, EURES
 * CSV and France Travail shapes; --map specs and map files; wrong types,
 * arrays, numbers, dates; the record reader on JSON lines, CSV (quoted
 * newlines, bad rows), gzip and zstd files of tests/fixtures/ads; file hashes.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ads/ingest.h"

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);
	assert_non_null(v);
	return v;
}

/* Maps text with m (the defaults when NULL); returns the status. */
static int map(const sh_ad_mapping *m, const char *text, sh_ad_fields *f)
{
	sh_ad_mapping *own = NULL;
	if (!m) {
		assert_int_equal(sh_ad_mapping_new(&own), SH_OK);
		m = own;
	}
	json_t *v = parse(text);
	int rc = sh_ad_fields_map(m, v, f);
	json_decref(v);
	sh_ad_mapping_free(own);
	return rc;
}

static void default_mapping_reads_jobposting(void **state)
{
	(void)state;
	sh_ad_fields f;
	assert_int_equal(map(NULL,
		"{\"@type\":\"JobPosting\",\"title\":\" Staff Nurse \",\"description\":\"&lt;p&gt;Care&lt;/p&gt;\","
		"\"datePosted\":\"2019-08-08T11:13:33+0100\",\"hiringOrganization\":{\"name\":\"NHS Trust\"},"
		"\"jobLocation\":{\"address\":{\"addressCountry\":\"gb\",\"addressLocality\":\"LEEDS\"}},"
		"\"industry\":\"Healthcare\",\"employmentType\":[\"FULL_TIME\",\"PART_TIME\"],"
		"\"baseSalary\":{\"value\":{\"value\":\"£28,333 per annum\"}},\"url\":\"https://x/1\","
		"\"identifier\":{\"value\":42}}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_TITLE], "Staff Nurse");
	assert_string_equal(f.v[SH_AD_TEXT], "&lt;p&gt;Care&lt;/p&gt;"); /* cleaned later, by the pipeline */
	assert_string_equal(f.v[SH_AD_DATE], "2019-08-08");
	assert_string_equal(f.v[SH_AD_COUNTRY], "GB");
	assert_string_equal(f.v[SH_AD_REGION], "LEEDS");
	assert_string_equal(f.v[SH_AD_EMPLOYER], "NHS Trust");
	assert_string_equal(f.v[SH_AD_SECTOR], "Healthcare");
	assert_string_equal(f.v[SH_AD_CONTRACT], "FULL_TIME, PART_TIME");
	assert_string_equal(f.v[SH_AD_SALARY], "£28,333 per annum");
	assert_string_equal(f.v[SH_AD_URL], "https://x/1");
	assert_string_equal(f.v[SH_AD_SOURCE_ID], "42");
	sh_ad_fields_free(&f);
}

static void default_mapping_reads_flat_shapes(void **state)
{
	(void)state;
	sh_ad_fields f;
	/* EURES CSV columns (as the reader turns a row into an object) */
	assert_int_equal(map(NULL,
		"{\"job_id\":\"BG1\",\"job_title\":\"Engineer\",\"date\":\"2025-12-05\",\"company_name\":\"K EOOD\","
		"\"field\":\"Other\",\"country\":\"Bulgaria\",\"country_code\":\"BG\",\"region\":\"South\","
		"\"coordinates\":\"(1, 2)\",\"full_description\":\"CAD design\"}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_TITLE], "Engineer");
	assert_string_equal(f.v[SH_AD_TEXT], "CAD design");
	assert_string_equal(f.v[SH_AD_COUNTRY], "BG"); /* country_code before country */
	assert_string_equal(f.v[SH_AD_REGION], "South");
	assert_string_equal(f.v[SH_AD_EMPLOYER], "K EOOD");
	assert_string_equal(f.v[SH_AD_SECTOR], "Other");
	assert_string_equal(f.v[SH_AD_SOURCE_ID], "BG1");
	sh_ad_fields_free(&f);
	/* France Travail */
	assert_int_equal(map(NULL,
		"{\"offer_id\":\"202HQRS\",\"title\":\"Data Scientist (H/F)\",\"company\":\"LIDL\","
		"\"location\":\"92 - Châtenay-Malabry\",\"published_date\":\"2026-01-08T01:03:27.065Z\","
		"\"contract_type\":\"CDI\",\"salary\":\"Mensuel\",\"description\":\"Travailler\",\"url\":\"u\"}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_REGION], "92 - Châtenay-Malabry");
	assert_string_equal(f.v[SH_AD_DATE], "2026-01-08");
	assert_string_equal(f.v[SH_AD_CONTRACT], "CDI");
	assert_string_equal(f.v[SH_AD_SOURCE_ID], "202HQRS");
	assert_null(f.v[SH_AD_COUNTRY]);
	sh_ad_fields_free(&f);
}

static void values_blank_null_and_numbers(void **state)
{
	(void)state;
	sh_ad_fields f;
	assert_int_equal(map(NULL, "{\"title\":\"T\",\"description\":\"   \",\"salary\":31000.5,\"url\":null,"
	                           "\"id\":7}", &f), SH_OK);
	assert_null(f.v[SH_AD_TEXT]);  /* blank = absent */
	assert_null(f.v[SH_AD_URL]);   /* null = absent */
	assert_string_equal(f.v[SH_AD_SALARY], "31000.5");
	assert_string_equal(f.v[SH_AD_SOURCE_ID], "7");
	sh_ad_fields_free(&f);
	/* a key holding a dot is matched as a whole */
	sh_ad_mapping *m;
	assert_int_equal(sh_ad_mapping_new(&m), SH_OK);
	assert_int_equal(sh_ad_mapping_set(m, "title=job.title", "--map"), SH_OK);
	assert_int_equal(map(m, "{\"job.title\":\"Dotted\"}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_TITLE], "Dotted");
	sh_ad_fields_free(&f);
	assert_int_equal(map(m, "{\"job\":{\"title\":\"Nested\"}}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_TITLE], "Nested");
	sh_ad_fields_free(&f);
	sh_ad_mapping_free(m);
}

static void wrong_types_are_errors(void **state)
{
	(void)state;
	sh_ad_fields f;
	assert_int_equal(map(NULL, "{\"title\":{\"a\":1},\"description\":\"x\"}", &f), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "field title: 'title' is an object"));
	assert_null(f.v[SH_AD_TEXT]); /* nothing left allocated */
	assert_int_equal(map(NULL, "{\"title\":true}", &f), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "a boolean"));
	assert_int_equal(map(NULL, "{\"title\":\"t\",\"employmentType\":[\"A\",{\"b\":1}]}", &f), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "field contract: 'employmentType' is an array holding an object"));
	assert_int_equal(map(NULL, "{\"url\":\"u\"}", &f), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "neither a title nor a text"));
	assert_int_equal(map(NULL, "[1,2]", &f), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "the record is an array"));
	assert_int_equal(map(NULL, "{\"title\":\"t\",\"datePosted\":\"yesterday\"}", &f), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "field date: unparseable date 'yesterday'"));
}

static void dates(void **state)
{
	(void)state;
	char d[11];
	assert_int_equal(sh_ad_date("2024-02-29", d), SH_OK);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(sh_ad_date("2019-08-08T11:13:33+0100", d), SH_OK);
	assert_string_equal(d, "2019-08-08");
	assert_int_equal(sh_ad_date("2019-08-08 11:13", d), SH_OK);
	assert_int_equal(sh_ad_date("01/10/2025", d), SH_OK);
	assert_string_equal(d, "2025-10-01");
	assert_int_equal(sh_ad_date("31.12.2025", d), SH_OK);
	assert_string_equal(d, "2025-12-31");
	assert_int_equal(sh_ad_date("2023-02-29", d), SH_EFORMAT); /* not a leap year */
	assert_int_equal(sh_ad_date("2024-13-01", d), SH_EFORMAT);
	assert_int_equal(sh_ad_date("2024-1-01", d), SH_EFORMAT);
	assert_int_equal(sh_ad_date("2024-01-01x", d), SH_EFORMAT);
	assert_int_equal(sh_ad_date("01/10-2025", d), SH_EFORMAT);
	assert_int_equal(sh_ad_date("", d), SH_EFORMAT);
}

static void map_specs_and_files(void **state)
{
	(void)state;
	sh_ad_mapping *m;
	assert_int_equal(sh_ad_mapping_new(&m), SH_OK);
	assert_int_equal(sh_ad_mapping_set(m, "title=position,text=body", "--map"), SH_OK);
	assert_int_equal(sh_ad_mapping_set(m, "nosuch=x", "--map"), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "--map: unknown field 'nosuch'"));
	assert_int_equal(sh_ad_mapping_set(m, "title=", "--map"), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "empty path for field title"));
	assert_int_equal(sh_ad_mapping_set(m, "title", "--map"), SH_EINVAL);
	/* the explicit path replaces the defaults: "title" is no longer read */
	sh_ad_fields f;
	assert_int_equal(map(m, "{\"title\":\"ignored\",\"position\":\"Cook\",\"body\":\"Cook food\"}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_TITLE], "Cook");
	assert_string_equal(f.v[SH_AD_TEXT], "Cook food");
	sh_ad_fields_free(&f);
	/* a round trip through JSON (how a source's mapping is stored) */
	char *json = sh_ad_mapping_to_json(m);
	assert_non_null(json);
	sh_ad_mapping *back;
	assert_int_equal(sh_ad_mapping_new(&back), SH_OK);
	assert_int_equal(sh_ad_mapping_from_json(back, json), SH_OK);
	char *json2 = sh_ad_mapping_to_json(back);
	assert_string_equal(json, json2);
	free(json);
	free(json2);
	sh_ad_mapping_free(back);
	sh_ad_mapping_free(m);

	assert_int_equal(sh_ad_mapping_new(&m), SH_OK);
	assert_int_equal(sh_ad_mapping_read_file(m, test_fixture("ads/ingest-map.txt")), SH_OK);
	assert_int_equal(map(m, "{\"position\":\"Cook\",\"org\":\"Cafe\",\"when\":\"2024-05-01\",\"body\":\"b\"}", &f), SH_OK);
	assert_string_equal(f.v[SH_AD_EMPLOYER], "Cafe");
	assert_string_equal(f.v[SH_AD_DATE], "2024-05-01");
	sh_ad_fields_free(&f);
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/bad.map", dir);
	test_write_file(path, "# ok\ntitle=a\n\nsalary\n");
	assert_int_equal(sh_ad_mapping_read_file(m, path), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "bad.map:4: 'salary' is not field=path"));
	sh_ad_mapping_free(m);
	test_rmtree(dir);
	free(dir);
}

typedef struct got {
	size_t line;
	char   text[512];
	int    error;
} got;

/* Reads every record of a fixture; returns the count. */
static size_t read_all(const char *rel, sh_ad_format want_format, const char *want_comp, got *out, size_t cap)
{
	sh_ad_reader *r;
	assert_int_equal(sh_ad_reader_open(&r, test_fixture(rel)), SH_OK);
	assert_int_equal(sh_ad_reader_format(r), want_format);
	assert_string_equal(sh_ad_reader_compression(r), want_comp);
	sh_buf raw = SH_BUF_INIT, err = SH_BUF_INIT;
	size_t n = 0, line;
	int rc;
	while ((rc = sh_ad_reader_next(r, &raw, &line, &err)) == 1) {
		assert_true(n < cap);
		out[n].line = line;
		out[n].error = err.len > 0;
		snprintf(out[n].text, sizeof out[n].text, "%s", err.len ? err.data : raw.data);
		n++;
	}
	assert_int_equal(rc, 0);
	sh_buf_free(&raw);
	sh_buf_free(&err);
	sh_ad_reader_close(r);
	return n;
}

static void reads_jsonl_with_lines(void **state)
{
	(void)state;
	got g[16];
	size_t n = read_all("ads/ingest-jobposting.jsonl", SH_AD_JSONL, "plain", g, 16);
	assert_int_equal(n, 5);
	assert_int_equal(g[1].line, 2);
	assert_int_equal(g[2].line, 4); /* line 3 is blank */
	assert_non_null(strstr(g[2].text, "\"JP-3\""));
	n = read_all("ads/ingest-malformed.jsonl", SH_AD_JSONL, "plain", g, 16);
	assert_int_equal(n, 8); /* the reader passes bad JSON on: the workers report it */
	assert_int_equal(g[7].line, 8);
}

static void reads_csv_rows_as_objects(void **state)
{
	(void)state;
	got g[16];
	size_t n = read_all("ads/ingest-eures.csv.zst", SH_AD_CSV, "zstd", g, 16);
	assert_int_equal(n, 3);
	assert_int_equal(g[1].line, 4); /* the first record spans lines 2-3 */
	json_t *v = parse(g[0].text);
	assert_string_equal(json_string_value(json_object_get(v, "job_id")), "E1");
	assert_non_null(strchr(json_string_value(json_object_get(v, "full_description")), '\n'));
	assert_string_equal(json_object_iter_key(json_object_iter(v)), "job_id"); /* header order */
	json_decref(v);
	n = read_all("ads/ingest-malformed.csv", SH_AD_CSV, "plain", g, 16);
	assert_int_equal(n, 4);
	assert_false(g[0].error);
	assert_true(g[1].error);
	assert_int_equal(g[1].line, 3);
	assert_string_equal(g[1].text, "5 fields, but the header has 3");
	assert_true(g[2].error);
	assert_non_null(strstr(g[2].text, "invalid UTF-8 in column 2 (job_title)"));
	assert_false(g[3].error);
	assert_int_equal(g[3].line, 5);
}

static void reads_gzip_like_plain(void **state)
{
	(void)state;
	got a[8], b[8];
	size_t n = read_all("ads/ingest-flat.jsonl.gz", SH_AD_JSONL, "gzip", a, 8);
	assert_int_equal(read_all("ads/ingest-flat.jsonl", SH_AD_JSONL, "plain", b, 8), n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].line, b[i].line);
		assert_string_equal(a[i].text, b[i].text);
	}
	char h1[17], h2[17];
	assert_int_equal(sh_ad_file_hash(test_fixture("ads/ingest-flat.jsonl.gz"), h1), SH_OK);
	assert_int_equal(sh_ad_file_hash(test_fixture("ads/ingest-flat.jsonl"), h2), SH_OK);
	assert_int_equal(strlen(h1), 16);
	assert_string_not_equal(h1, h2); /* the hash is of the bytes as stored */
}

static void corrupt_and_missing_files(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[4200];
	sh_ad_reader *r;
	snprintf(path, sizeof path, "%s/missing.jsonl", dir);
	assert_int_equal(sh_ad_reader_open(&r, path), SH_ENOTFOUND);
	/* an empty file: JSON lines without a record, with a hash */
	snprintf(path, sizeof path, "%s/empty.jsonl", dir);
	test_write_file(path, "");
	assert_int_equal(sh_ad_reader_open(&r, path), SH_OK);
	sh_buf raw0 = SH_BUF_INIT, err0 = SH_BUF_INIT;
	size_t line0;
	assert_int_equal(sh_ad_reader_next(r, &raw0, &line0, &err0), 0);
	sh_ad_reader_close(r);
	sh_buf_free(&raw0);
	sh_buf_free(&err0);
	char hex[17];
	assert_int_equal(sh_ad_file_hash(path, hex), SH_OK);
	/* a gzip header followed by garbage */
	snprintf(path, sizeof path, "%s/bad.gz", dir);
	test_write_file(path, "\x1f\x8b\x08\x00garbage that is not deflate data at all");
	int rc = sh_ad_reader_open(&r, path);
	if (rc == SH_OK) { /* the header passed: the error shows when reading */
		sh_buf raw = SH_BUF_INIT, err = SH_BUF_INIT;
		size_t line;
		while ((rc = sh_ad_reader_next(r, &raw, &line, &err)) == 1)
			;
		sh_buf_free(&raw);
		sh_buf_free(&err);
		sh_ad_reader_close(r);
	}
	assert_true(rc < 0);
	assert_non_null(strstr(sh_errmsg(), "bad.gz"));
	/* truncated gzip and zstd files (downloads cut short) fail too */
	static const char *const cut[] = { "ingest-flat.jsonl.gz", "ingest-eures.csv.zst" };
	for (int i = 0; i < 2; i++) {
		char rel[64], bytes[4096];
		snprintf(rel, sizeof rel, "ads/%s", cut[i]);
		FILE *in = fopen(test_fixture(rel), "rb");
		assert_non_null(in);
		size_t nbytes = fread(bytes, 1, sizeof bytes, in);
		fclose(in);
		snprintf(path, sizeof path, "%s/cut-%s", dir, cut[i]);
		FILE *out = fopen(path, "wb");
		assert_non_null(out);
		assert_int_equal(fwrite(bytes, 1, nbytes * 2 / 3, out), nbytes * 2 / 3);
		fclose(out);
		rc = sh_ad_reader_open(&r, path);
		if (rc == SH_OK) {
			sh_buf raw = SH_BUF_INIT, err = SH_BUF_INIT;
			size_t line;
			while ((rc = sh_ad_reader_next(r, &raw, &line, &err)) == 1)
				;
			sh_buf_free(&raw);
			sh_buf_free(&err);
			sh_ad_reader_close(r);
		}
		assert_int_equal(rc, SH_EFORMAT);
		assert_non_null(strstr(sh_errmsg(), "cut-"));
		assert_non_null(strstr(sh_errmsg(), i == 0 ? "gzip" : "zstd"));
	}
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_mapping_reads_jobposting),
		cmocka_unit_test(default_mapping_reads_flat_shapes),
		cmocka_unit_test(values_blank_null_and_numbers),
		cmocka_unit_test(wrong_types_are_errors),
		cmocka_unit_test(dates),
		cmocka_unit_test(map_specs_and_files),
		cmocka_unit_test(reads_jsonl_with_lines),
		cmocka_unit_test(reads_csv_rows_as_objects),
		cmocka_unit_test(reads_gzip_like_plain),
		cmocka_unit_test(corrupt_and_missing_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
