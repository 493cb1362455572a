/*
 * tests/unit/test_extract_input.c - reading JSON-object input lines
 * (match/extract_input.h): the fast reader and jansson must agree byte for
 * byte (output start, decoded text, id, error message) on every line,
 * tricky ones included (escapes, surrogates, invalid UTF-8, duplicate keys,
 * numbers jansson rewrites, members passed through); plus exact results
 * for the common forms.
 */
#include "testutil.h"

#include <string.h>

#include "match/extract_input.h"
#include "skillhub/common.h"

typedef struct result {
	int    rc;
	sh_buf out, text, id, err;
} result;

static void read_with(const char *line, size_t len, int readers, result *r)
{
	sh_input in = SH_INPUT_INIT;
	memset(r, 0, sizeof *r);
	r->rc = sh_input_read(&in, &r->out, line, len, 7, readers);
	if (r->rc == SH_OK)
		assert_int_equal(sh_buf_append(&r->text, in.text, in.text_len), SH_OK);
	else
		assert_int_equal(sh_buf_puts(&r->err, sh_errmsg()), SH_OK);
	assert_int_equal(sh_buf_append(&r->id, in.id.data ? in.id.data : "", in.id.len), SH_OK);
	sh_input_free(&in);
}

static void result_free(result *r)
{
	sh_buf_free(&r->out);
	sh_buf_free(&r->text);
	sh_buf_free(&r->id);
	sh_buf_free(&r->err);
}

static void assert_buf_equal(const sh_buf *a, const sh_buf *b, const char *what, const char *line)
{
	if (a->len != b->len || (a->len && memcmp(a->data, b->data, a->len) != 0))
		fail_msg("%s differs on line %s: fast '%.*s', jansson '%.*s'", what, line,
		         (int)a->len, a->data ? a->data : "", (int)b->len, b->data ? b->data : "");
}

/* Both readers on line[0..len); returns the fast reader's result (caller frees). */
static result agree(const char *line, size_t len)
{
	result fast, slow;
	read_with(line, len, SH_INPUT_FAST, &fast);
	read_with(line, len, SH_INPUT_JANSSON_ONLY, &slow);
	if (fast.rc != slow.rc)
		fail_msg("status differs on line %s: fast %d, jansson %d", line, fast.rc, slow.rc);
	assert_buf_equal(&fast.out, &slow.out, "output", line);
	assert_buf_equal(&fast.text, &slow.text, "text", line);
	assert_buf_equal(&fast.id, &slow.id, "id", line);
	assert_buf_equal(&fast.err, &slow.err, "error", line);
	result_free(&slow);
	return fast;
}

static void test_readers_agree(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{\"id\": 1, \"text\": \"plain\"}",
		"  {\"id\":\"a/b\",\"title\":\"Nurse\",\"text\":\"care\"}  ",
		"{\"text\": \"no id\"}",
		"{\"text\": \"x\", \"id\": 3, \"n\": null, \"t\": true, \"f\": false, \"k\": -12}",
		"{\"id\": -0, \"text\": \"minus zero\"}",
		"{\"id\": 1.0, \"text\": \"real\"}",
		"{\"id\": 1e3, \"text\": \"exponent\"}",
		"{\"id\": 007, \"text\": \"leading zeros\"}",
		"{\"id\": 123456789012345678901234, \"text\": \"too big\"}",
		"{\"id\": 999999999999999999, \"text\": \"18 digits\"}",
		"{\"id\": {\"a\": 1}, \"text\": \"object id\", \"l\": [1, 2]}",
		"{\"id\": \"q\\\"uote\", \"text\": \"escaped id\"}",
		"{\"id\": \"caf\xc3\xa9\", \"text\": \"na\xc3\xafve \xe2\x82\xac \xf0\x9f\x98\x80\"}",
		"{\"id\": 2, \"text\": \"tab\\t nl\\n q\\\" bs\\\\ sl\\/ b\\b f\\f r\\r\"}",
		"{\"id\": 2, \"text\": \"\\u00e9\\u20AC\\ud83d\\ude00 \\u0041\"}",
		"{\"id\": 2, \"text\": \"lone high \\ud83d x\"}",
		"{\"id\": 2, \"text\": \"lone low \\ude00 x\"}",
		"{\"id\": 2, \"text\": \"high then bad \\ud83d\\u0041\"}",
		"{\"id\": 2, \"text\": \"nul \\u0000 x\"}",
		"{\"id\": 2, \"text\": \"bad escape \\x\"}",
		"{\"id\": 2, \"text\": \"short \\u12\"}",
		"{\"id\": 2, \"text\": \"bad hex \\u12G4\"}",
		"{\"id\": 2, \"text\": \"raw tab \t inside\"}",
		"{\"id\": 2, \"text\": \"invalid \xff utf8\"}",
		"{\"id\": 2, \"text\": \"overlong \xc0\xaf\"}",
		"{\"id\": 2, \"text\": \"surrogate \xed\xa0\x80\"}",
		"{\"id\": 2, \"text\": \"too high \xf4\x90\x80\x80\"}",
		"{\"id\": 2, \"text\": \"truncated \xe2\x82\"}",
		"{\"id\": \"bad \xff\", \"text\": \"x\"}",
		"{\"id\": 2, \"te\\u0078t\": \"escaped key\"}",
		"{\"id\": 2, \"text\": \"a\", \"text\": \"b\"}",
		"{\"id\": 2, \"id\": 3, \"text\": \"dup id\"}",
		"{\"id\": 2, \"x\": 1, \"x\": 2, \"text\": \"dup other\"}",
		"{\"id\": 2, \"text\": 5}",
		"{\"id\": 2, \"text\": null}",
		"{\"id\": 2}",
		"{}",
		"{\"id\": 2, \"text\": \"x\"} trailing",
		"{\"id\": 2, \"text\": \"x\",}",
		"{\"id\": 2 \"text\": \"x\"}",
		"{\"id\": 2, \"text\": \"unterminated}",
		"{\"id\": 2, \"text\": \"x\"",
		"{\"id\": tru, \"text\": \"x\"}",
		"{\"id\": nullx, \"text\": \"x\"}",
		("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,"
		"\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"text\":\"many members\"}"),
		"{ \"id\" : 5 , \"text\" : \"spaces around\" , \"w\" : \"\xc3\xa9t\xc3\xa9\" }",
		"{\"id\": 5, \"text\": \"a long run of ascii text to cross the eight byte blocks\\\" then more\"}",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		result r = agree(lines[i], strlen(lines[i]));
		result_free(&r);
	}
	static const char with_nul[] = "{\"id\": 1, \"text\": \"nul\0byte\"}";
	result r = agree(with_nul, sizeof with_nul - 1);
	assert_int_equal(r.rc, SH_EFORMAT);
	result_free(&r);
}

static void test_common_forms(void **state)
{
	(void)state;
	const char *line = "{\"id\": \"https://x/1\", \"title\": \"Nurse \xc3\xa9\", \"text\": \"Care \\\"and\\\" \\u00e9\", \"n\": 4}";
	result r = agree(line, strlen(line));
	assert_int_equal(r.rc, SH_OK);
	assert_string_equal(r.out.data, "{\"id\":\"https://x/1\",\"title\":\"Nurse \xc3\xa9\",\"n\":4,");
	assert_string_equal(r.text.data, "Care \"and\" \xc3\xa9");
	assert_string_equal(r.id.data, "\"https://x/1\"");
	result_free(&r);

	line = "{\"text\": \"no id\"}";
	r = agree(line, strlen(line));
	assert_string_equal(r.out.data, "{\"id\":7,");
	assert_int_equal(r.id.len, 0);
	result_free(&r);

	line = "{\"id\": 3, \"text\": 5}";
	r = agree(line, strlen(line));
	assert_int_equal(r.rc, SH_EFORMAT);
	assert_string_equal(r.err.data, "field \"text\" is not a string");
	assert_string_equal(r.id.data, "3");
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_agree),
		cmocka_unit_test(test_common_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
