/*
 * tests/unit/test_extract_json.c - the JSON text of extraction and title
 * results (match/extract_json.h), shared by the CLI and the HTTP API: exact
 * bytes for hand-made results on the taxonomy of index_fixture.h, labels in
 * the language asked, escaping, empty results, scores formatted as printf
 * would.
 */
#include "testutil.h"

#include <string.h>

#include "index_fixture.h"
#include "match/extract_json.h"

static int setup(void **state)
{
	*state = fixture_new();
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static sh_cid cid(const fixture *f, const char *id)
{
	sh_cid c;
	assert_int_equal(sh_index_lookup(f->idx, id, &c), SH_OK);
	return c;
}

static void extraction_members_in_order(void **state)
{
	fixture *f = *state;
	const sh_span spans[] = { { 4, 10 }, { 20, 26 } };
	const sh_skill_hit skills[] = {
		{ cid(f, "python-0001"), 0.75f, spans, 2 },
		{ cid(f, "software-0001"), 0.5f, NULL, 0 },
	};
	const sh_occupation_hit occs[] = { { cid(f, "nurse-0001"), 0.123456f } };
	sh_extraction ex = { skills, 2, occs, 1 };
	sh_buf b = SH_BUF_INIT;
	assert_int_equal(sh_extraction_json(&b, f->idx, "fr", &ex), SH_OK);
	char want[2048];
	snprintf(want, sizeof want,
	         "\"skills\":[{\"uri\":\"%s\",\"label\":\"%s\",\"score\":0.7500,\"spans\":[[4,10],[20,26]]},"
	         "{\"uri\":\"%s\",\"label\":\"%s\",\"score\":0.5000,\"spans\":[]}],"
	         "\"occupations\":[{\"uri\":\"%s\",\"label\":\"infirmier en soins généraux\",\"score\":0.1235}]",
	         URI_SKILL "python-0001", sh_concept_label(f->idx, skills[0].concept, "en"),
	         URI_SKILL "software-0001", sh_concept_label(f->idx, skills[1].concept, "en"),
	         URI_OCC "nurse-0001");
	assert_string_equal(b.data, want);
	sh_buf_free(&b);
}

static void empty_results(void **state)
{
	fixture *f = *state;
	sh_extraction ex = { NULL, 0, NULL, 0 };
	sh_buf b = SH_BUF_INIT;
	assert_int_equal(sh_extraction_json(&b, f->idx, "en", &ex), SH_OK);
	assert_string_equal(b.data, "\"skills\":[],\"occupations\":[]");
	sh_buf_clear(&b);
	assert_int_equal(sh_occupations_json(&b, f->idx, "en", NULL, 0), SH_OK);
	assert_string_equal(b.data, "\"occupations\":[]");
	sh_buf_free(&b);
}

static void occupations_of_a_title(void **state)
{
	fixture *f = *state;
	const sh_occupation_hit occs[] = { { cid(f, "developer-0001"), 1.0f }, { cid(f, "barista-0001"), 0.25f } };
	sh_buf b = SH_BUF_INIT;
	assert_int_equal(sh_occupations_json(&b, f->idx, "en", occs, 2), SH_OK);
	assert_string_equal(b.data,
		"\"occupations\":[{\"uri\":\"" URI_OCC "developer-0001\",\"label\":\"software developer\",\"score\":1.0000},"
		"{\"uri\":\"" URI_OCC "barista-0001\",\"label\":\"barista\",\"score\":0.2500}]");
	sh_buf_free(&b);
}

/* Scores print as "%.4f" does, ties, 0, 1 and values outside [0, 1] included. */
static void scores_as_printf(void **state)
{
	fixture *f = *state;
	static const float special[] = { 0.0f, 1.0f, 0.00005f, 0.12345f, 0.99995f, 0.5f, 1.5f, -0.25f, 3e-9f };
	sh_cid c = cid(f, "barista-0001");
	sh_buf b = SH_BUF_INIT;
	for (unsigned i = 0; i < 200000 + sizeof special / sizeof *special; i++) {
		float score = i < 200000 ? (float)i / 200000.0f + (float)(i % 7) * 1e-7f : special[i - 200000];
		sh_occupation_hit hit = { c, score };
		sh_buf_clear(&b);
		assert_int_equal(sh_occupations_json(&b, f->idx, "en", &hit, 1), SH_OK);
		char want[64];
		snprintf(want, sizeof want, "\"score\":%.4f}]", score);
		const char *got = strstr(b.data, "\"score\":");
		assert_non_null(got);
		if (strcmp(got, want) != 0)
			fail_msg("score %.9g: got %s, want %s", score, got, want);
	}
	sh_buf_free(&b);
}

static void ids_copied_compactly(void **state)
{
	(void)state;
	json_t *id = json_pack("{s:[i,s],s:n}", "a", 1, "x\"y", "b");
	sh_buf b = SH_BUF_INIT;
	assert_int_equal(sh_json_value(&b, id), SH_OK);
	assert_string_equal(b.data, "{\"a\":[1,\"x\\\"y\"],\"b\":null}");
	json_decref(id);
	sh_buf_clear(&b);
	json_t *s = json_string("é\n");
	assert_int_equal(sh_json_value(&b, s), SH_OK);
	assert_string_equal(b.data, "\"é\\n\"");
	json_decref(s);
	sh_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extraction_members_in_order),
		cmocka_unit_test(empty_results),
		cmocka_unit_test(occupations_of_a_title),
		cmocka_unit_test(scores_as_printf),
		cmocka_unit_test(ids_copied_compactly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
