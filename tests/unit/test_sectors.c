/*
 * tests/unit/test_sectors.c - alliance sector tags (pathways/sectors.h) on
 * an index of tests/fixtures/esco-mini (o01 software developer ISCO 2512,
 * o02 ICT system analyst 2511, o03 plumber 7126, o04 cook 5120): entries by
 * URI, by id and by ISCO prefix, tags sorted by name, an occupation named
 * twice tagged once, and the errors naming file, tag and entry.  The effect
 * on transitions is tested end to end in tests/integration/test_pathways.sh.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "pathways/sectors.h"

typedef struct fixture {
	char     *dir;
	sh_db    *db;
	sh_index *idx;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fx->dir = test_tmpdir();
	fx->db = test_esco_mini_db(fx->dir);
	assert_int_equal(sh_index_open_fresh(&fx->idx, fx->db), SH_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	sh_index_close(fx->idx);
	sh_db_close(fx->db);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* The tag names of occupation id ("mini-o01"), comma-separated, into out. */
static void tags_of(const fixture *fx, const sh_sectors *s, const char *id, char *out, size_t size)
{
	sh_cid c;
	const uint32_t *t;
	assert_int_equal(sh_index_lookup(fx->idx, id, &c), SH_OK);
	size_t n = sh_sectors_of(s, c, &t);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", i ? "," : "", sh_sector_name(s, t[i]));
	}
}

static sh_sectors *parse(const fixture *fx, const char *json)
{
	sh_sectors *s = NULL;
	assert_int_equal(sh_sectors_from_json(&s, fx->idx, json, strlen(json), "sectors.json"), SH_OK);
	assert_non_null(s);
	return s;
}

static void uri_id_and_isco_prefix(void **state)
{
	fixture *fx = *state;
	sh_sectors *s = parse(fx, "{\"sectors\": {"
	                          "\"kitchen\": [\"isco:512\", \"http://data.europa.eu/esco/occupation/mini-o01\"],"
	                          "\"digital\": [\"isco:25\", \"mini-o01\"],"
	                          "\"trades\": [\"isco:7126\"],"
	                          "\"empty\": []}}");
	char got[256];
	tags_of(fx, s, "mini-o01", got, sizeof got); /* named twice under digital: once */
	assert_string_equal(got, "digital,kitchen");
	tags_of(fx, s, "mini-o02", got, sizeof got);
	assert_string_equal(got, "digital");
	tags_of(fx, s, "mini-o03", got, sizeof got);
	assert_string_equal(got, "trades");
	tags_of(fx, s, "mini-o04", got, sizeof got);
	assert_string_equal(got, "kitchen");
	tags_of(fx, s, "mini-s01", got, sizeof got); /* a skill has none */
	assert_string_equal(got, "");
	assert_string_equal(sh_sector_name(s, 0), "digital"); /* names sorted */
	assert_string_equal(sh_sector_name(s, 1), "empty");
	sh_sectors_free(s);
}

static void no_tags(void **state)
{
	fixture *fx = *state;
	sh_sectors *s = parse(fx, "{\"sectors\": {}}");
	char got[64];
	tags_of(fx, s, "mini-o01", got, sizeof got);
	assert_string_equal(got, "");
	sh_sectors_free(s);
}

static void expect_error(const fixture *fx, const char *json, int status, const char *message)
{
	sh_sectors *s = (sh_sectors *)1;
	assert_int_equal(sh_sectors_from_json(&s, fx->idx, json, strlen(json), "f.json"), status);
	assert_null(s);
	if (!strstr(sh_errmsg(), message))
		fail_msg("expected '%s' in '%s'", message, sh_errmsg());
}

static void errors_name_the_entry(void **state)
{
	fixture *fx = *state;
	expect_error(fx, "{\"sectors\": {\"a\": [\"mini-o01\", \"nope\"]}}", SH_ENOTFOUND,
	             "f.json: sectors.a[1]: no occupation 'nope'");
	expect_error(fx, "{\"sectors\": {\"a\": [\"mini-s01\"]}}", SH_ENOTFOUND, "sectors.a[0]: no occupation 'mini-s01'");
	expect_error(fx, "{\"sectors\": {\"a\": [\"isco:12345\"]}}", SH_EFORMAT, "sectors.a[0]: 'isco:12345'");
	expect_error(fx, "{\"sectors\": {\"a\": [\"isco:2x\"]}}", SH_EFORMAT, "sectors.a[0]: 'isco:2x'");
	expect_error(fx, "{\"sectors\": {\"a\": [3]}}", SH_EFORMAT, "sectors.a[0]: expected a string");
	expect_error(fx, "{\"sectors\": {\"a\": \"mini-o01\"}}", SH_EFORMAT, "sectors.a: expected an array");
	expect_error(fx, "{\"sectors\": {\"\": []}}", SH_EFORMAT, "tag name ''");
	expect_error(fx, "{\"sectors\": []}", SH_EFORMAT, "f.json: \"sectors\": expected an object");
	expect_error(fx, "{\"sectors\": ", SH_EFORMAT, "f.json:1:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uri_id_and_isco_prefix),
		cmocka_unit_test(no_tags),
		cmocka_unit_test(errors_name_the_entry),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
