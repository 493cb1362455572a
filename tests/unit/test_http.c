/*
 * tests/unit/test_http.c - the server's pure helpers: percent-decoding,
 * query strings, path splitting, If-None-Match, URL encoding and HTML
 * escaping.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "server/html.h"
#include "server/http.h"

static char *decode(const char *s, int plus)
{
	char *out = NULL;
	if (sh_http_decode(s, strlen(s), plus, &out) != SH_OK)
		return NULL;
	return out;
}

static void percent_decoding_is_strict(void **state)
{
	(void)state;
	char *s = decode("caf%C3%A9+au%20lait", 1);
	assert_string_equal(s, "café au lait");
	free(s);
	s = decode("a+b", 0);
	assert_string_equal(s, "a+b");
	free(s);
	s = decode("%2f%2F", 0);
	assert_string_equal(s, "//");
	free(s);
	const char *bad[] = { "%", "%4", "abc%4", "%ZZ", "%G0", "%00", "caf%E9", "%C3", "%ED%A0%80" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out = (char *)1;
		assert_int_equal(sh_http_decode(bad[i], strlen(bad[i]), 1, &out), SH_EFORMAT);
		assert_ptr_equal(out, (char *)1); /* untouched on failure */
	}
	assert_non_null(strstr(sh_errmsg(), "UTF-8"));
}

static void query_is_parsed_in_order(void **state)
{
	(void)state;
	sh_http_query q;
	char *bad = NULL;
	const char *s = "q=data+analysis&&lang=fr&flag&limit=%31%30&";
	assert_int_equal(sh_http_query_parse(s, strlen(s), &q, &bad), SH_OK);
	assert_null(bad);
	assert_int_equal(q.n, 4);
	assert_string_equal(q.param[0].name, "q");
	assert_string_equal(sh_http_query_get(&q, "q"), "data analysis");
	assert_string_equal(sh_http_query_get(&q, "lang"), "fr");
	assert_string_equal(sh_http_query_get(&q, "flag"), "");
	assert_string_equal(sh_http_query_get(&q, "limit"), "10");
	assert_null(sh_http_query_get(&q, "offset"));
	sh_http_query_free(&q);

	assert_int_equal(sh_http_query_parse("", 0, &q, &bad), SH_OK);
	assert_int_equal(q.n, 0);
}

static void bad_queries_name_the_parameter(void **state)
{
	(void)state;
	static const struct { const char *query, *param; int rc; } cases[] = {
		{ "q=a&q=b",        "q",     SH_EINVAL },
		{ "q=ok&limit=%ZZ", "limit", SH_EFORMAT },
		{ "q=%FF",          "q",     SH_EFORMAT },
		{ "na%ZZme=1",      "na%ZZme", SH_EFORMAT },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sh_http_query q;
		char *bad = NULL;
		assert_int_equal(sh_http_query_parse(cases[i].query, strlen(cases[i].query), &q, &bad), cases[i].rc);
		assert_non_null(bad);
		assert_string_equal(bad, cases[i].param);
		assert_int_equal(q.n, 0);
		free(bad);
	}
	sh_buf many = SH_BUF_INIT;
	for (int i = 0; i <= SH_HTTP_MAX_PARAMS; i++)
		sh_buf_printf(&many, "p%d=1&", i);
	sh_http_query q;
	char *bad = NULL;
	assert_int_equal(sh_http_query_parse(many.data, many.len, &q, &bad), SH_EINVAL);
	free(bad);
	sh_buf_free(&many);
}

static void paths_split_before_decoding(void **state)
{
	(void)state;
	sh_http_segment seg[4];
	assert_int_equal(sh_http_split_path("/", 1, seg, 4), 0);
	const char *p = "/api/v1/concepts/http%3A%2F%2Fx%2Fy";
	assert_int_equal(sh_http_split_path(p, strlen(p), seg, 4), 4);
	assert_int_equal(seg[3].len, strlen("http%3A%2F%2Fx%2Fy"));
	assert_memory_equal(seg[3].p, "http%3A%2F%2Fx%2Fy", seg[3].len);
	assert_int_equal(sh_http_split_path("/a/", 3, seg, 4), 2);
	assert_int_equal(seg[1].len, 0);
	assert_int_equal(sh_http_split_path("/a/b/c/d/e", 10, seg, 4), -1);
}

static void if_none_match_follows_rfc_9110(void **state)
{
	(void)state;
	const char *tag = "\"2-abc\"";
	assert_true(sh_http_etag_matches("\"2-abc\"", tag));
	assert_true(sh_http_etag_matches("W/\"2-abc\"", tag));
	assert_true(sh_http_etag_matches("\"x\", \"2-abc\"", tag));
	assert_true(sh_http_etag_matches("*", tag));
	assert_false(sh_http_etag_matches("\"2-abcd\"", tag));
	assert_false(sh_http_etag_matches("\"1-abc\", \"x\"", tag));
	assert_false(sh_http_etag_matches("", tag));
}

static void html_escaping_neutralises_markup(void **state)
{
	(void)state;
	sh_buf b = SH_BUF_INIT;
	assert_int_equal(sh_html_puts(&b, "<script>alert('x') & \"y\"</script>é"), SH_OK);
	assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;é");
	sh_buf_clear(&b);
	assert_int_equal(sh_html_escape(&b, "plain", 5), SH_OK);
	assert_string_equal(b.data, "plain");
	sh_buf_clear(&b);
	assert_int_equal(sh_http_encode(&b, "a b/é?&=~"), SH_OK);
	assert_string_equal(b.data, "a%20b%2F%C3%A9%3F%26%3D~");
	char *back = decode(b.data, 0);
	assert_string_equal(back, "a b/é?&=~");
	free(back);
	sh_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(percent_decoding_is_strict),
		cmocka_unit_test(query_is_parsed_in_order),
		cmocka_unit_test(bad_queries_name_the_parameter),
		cmocka_unit_test(paths_split_before_decoding),
		cmocka_unit_test(if_none_match_follows_rfc_9110),
		cmocka_unit_test(html_escaping_neutralises_markup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
