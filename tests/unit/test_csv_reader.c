/*
 * tests/unit/test_csv_reader.c - the streaming CSV reader: records, line
 * numbers, header mapping, and every error with the line it reports.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "taxonomy/csv_reader.h"

/* Opens a reader over an in-memory text; *f must be fclose()d after sh_csv_close(). */
static int open_text(sh_csv **r, FILE **f, const char *text, size_t len)
{
	*f = fmemopen((void *)text, len, "rb");
	assert_non_null(*f);
	return sh_csv_open_stream(r, *f, "t.csv");
}

static void reads_records_with_start_lines(void **state)
{
	(void)state;
	static const char text[] =
		"\xef\xbb\xbf" "uri,preferredLabel,altLabels\r\n"
		"u1,one,\"a\r\nb\r\nc\"\r\n"
		"\r\n"
		"u2,\"two, \"\"quoted\"\"\",\n"
		"u3, spaced ,x";
	sh_csv *r;
	FILE *f;
	assert_int_equal(open_text(&r, &f, text, sizeof text - 1), SH_OK);
	assert_int_equal(sh_csv_ncols(r), 3);
	assert_int_equal(sh_csv_col(r, "uri"), 0);
	assert_int_equal(sh_csv_col(r, "altLabels"), 2);
	assert_int_equal(sh_csv_col(r, "nope"), -1);
	assert_string_equal(sh_csv_field(r, -1), "");

	assert_int_equal(sh_csv_next(r), 1);
	assert_int_equal(sh_csv_line(r), 2);
	assert_string_equal(sh_csv_field(r, 0), "u1");
	assert_string_equal(sh_csv_field(r, 2), "a\r\nb\r\nc");
	assert_int_equal(sh_csv_field_len(r, 2), 7);

	assert_int_equal(sh_csv_next(r), 1);
	assert_int_equal(sh_csv_line(r), 6);   /* after the blank line 5 */
	assert_string_equal(sh_csv_field(r, 1), "two, \"quoted\"");
	assert_string_equal(sh_csv_field(r, 2), "");

	assert_int_equal(sh_csv_next(r), 1);  /* last record without a line end */
	assert_int_equal(sh_csv_line(r), 7);
	assert_string_equal(sh_csv_field(r, 1), " spaced ");
	assert_int_equal(sh_csv_next(r), 0);
	sh_csv_close(r);
	fclose(f);
}

/* A record longer than the 64 KiB read chunk, spanning chunk boundaries. */
static void reads_fields_across_chunks(void **state)
{
	(void)state;
	size_t big = 200 * 1024;
	char *text = malloc(big + 64);
	assert_non_null(text);
	size_t n = (size_t)sprintf(text, "a,b\nx,\"");
	for (size_t i = 0; i < big; i++)
		text[n++] = (i % 1000 == 999) ? '\n' : 'y';
	n += (size_t)sprintf(text + n, "\"\nlast,1\n");
	sh_csv *r;
	FILE *f;
	assert_int_equal(open_text(&r, &f, text, n), SH_OK);
	assert_int_equal(sh_csv_next(r), 1);
	assert_int_equal(sh_csv_line(r), 2);
	assert_int_equal(sh_csv_field_len(r, 1), big);
	assert_int_equal(sh_csv_next(r), 1);
	assert_int_equal(sh_csv_line(r), 2 + big / 1000 + 1);
	assert_string_equal(sh_csv_field(r, 0), "last");
	assert_int_equal(sh_csv_next(r), 0);
	sh_csv_close(r);
	fclose(f);
	free(text);
}

/* Reads text to its end and returns the status of the first failure. */
static int read_all(const char *text, size_t len)
{
	sh_csv *r;
	FILE *f;
	int rc = open_text(&r, &f, text, len);
	while (!rc && (rc = sh_csv_next(r)) == 1)
		rc = 0;
	if (r)
		sh_csv_close(r);
	fclose(f);
	return rc < 0 ? rc : SH_OK;
}

#define ASSERT_FAILS(text, message) do { \
	assert_int_equal(read_all(text, sizeof text - 1), SH_EFORMAT); \
	assert_string_equal(sh_errmsg(), message); \
} while (0)

static void reports_each_error_with_its_line(void **state)
{
	(void)state;
	ASSERT_FAILS("", "t.csv:1: empty file (no header)");
	ASSERT_FAILS("\xef\xbb\xbf", "t.csv:1: empty file (no header)");
	ASSERT_FAILS("a,b\n1,2\n3,\"open\nmore\n", "t.csv:3: unterminated quoted field at end of file (truncated file?)");
	ASSERT_FAILS("a,b\n1,2\n3,4,5\n", "t.csv:3: 3 fields, but the header has 2");
	ASSERT_FAILS("a,b\n1,2\n\"x\ny\"\n", "t.csv:3: 1 fields, but the header has 2");
	ASSERT_FAILS("a,label\n1,2\n3,ok\xff\n", "t.csv:3: invalid UTF-8 in column 2 (label) at byte 2");
	ASSERT_FAILS("a,label\n1,\xc3\n", "t.csv:2: invalid UTF-8 in column 2 (label) at byte 0");
	ASSERT_FAILS("a,label\n1,\xed\xa0\x80\n", "t.csv:2: invalid UTF-8 in column 2 (label) at byte 0");
	ASSERT_FAILS("a,b\n1,\"x\"y\n", "t.csv:2: malformed quoted field (error parsing data while strict checking enabled)");
	ASSERT_FAILS("a,b\r1,2\r", "t.csv:1: bare CR line end (only LF and CRLF are supported)");
}

static void opens_files_by_path(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/x.csv", dir);
	test_write_file(path, "k,v\né,ü\n");
	sh_csv *r;
	assert_int_equal(sh_csv_open(&r, path), SH_OK);
	assert_string_equal(sh_csv_name(r), path);
	assert_string_equal(sh_csv_col_name(r, 1), "v");
	assert_int_equal(sh_csv_next(r), 1);
	assert_string_equal(sh_csv_field(r, 1), "ü");
	sh_csv_close(r);
	snprintf(path, sizeof path, "%s/missing.csv", dir);
	assert_int_equal(sh_csv_open(&r, path), SH_ENOTFOUND);
	assert_null(r);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_records_with_start_lines),
		cmocka_unit_test(reads_fields_across_chunks),
		cmocka_unit_test(reports_each_error_with_its_line),
		cmocka_unit_test(opens_files_by_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
