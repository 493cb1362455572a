/*
 * tests/unit/test_text.c - tokens, normal forms, UTF-8 hygiene, HTML to
 * text and stemming (src/text).
 *
 * Most tokenizer checks go through render(), which prints the normal forms
 * separated by spaces with "|" after each sentence end, so one string shows
 * the split, the normalisation and the sentence ends at once.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "skillhub/text.h"

/* Normal forms of text's tokens: "a b|c" (| = SH_TOK_SENT_END). Static buffer. */
static const char *render(const char *text, unsigned flags)
{
	static char out[4096];
	sh_tokens t = { 0 };
	assert_int_equal(sh_tokenize(text, strlen(text), flags, &t), SH_OK);
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t.n; i++) {
		const sh_token *k = &t.tok[i];
		assert_int_equal(strlen(t.norm + k->norm), k->norm_len);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s%s", o && out[o - 1] != '|' ? " " : "",
		                      t.norm + k->norm, (k->flags & SH_TOK_SENT_END) ? "|" : "");
	}
	sh_tokens_free(&t);
	return out;
}

/* Flags of the only token of text. */
static uint32_t flags_of(const char *text)
{
	sh_tokens t = { 0 };
	assert_int_equal(sh_tokenize(text, strlen(text), 0, &t), SH_OK);
	assert_int_equal(t.n, 1);
	uint32_t f = t.tok[0].flags;
	sh_tokens_free(&t);
	return f;
}

static void ascii_words_are_lowercased_with_exact_offsets(void **state)
{
	(void)state;
	const char *text = "  Hello, WORLD 42 times";
	sh_tokens t = { 0 };
	assert_int_equal(sh_tokenize(text, strlen(text), 0, &t), SH_OK);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.tok[0].start, 2);
	assert_int_equal(t.tok[0].end, 7);
	assert_string_equal(t.norm + t.tok[0].norm, "hello");
	assert_int_equal(t.tok[1].start, 9);
	assert_int_equal(t.tok[1].end, 14);
	assert_string_equal(t.norm + t.tok[1].norm, "world");
	assert_int_equal(t.tok[2].flags & (SH_TOK_NUMBER | SH_TOK_WORD), SH_TOK_NUMBER);
	assert_int_equal(t.tok[3].flags & (SH_TOK_NUMBER | SH_TOK_WORD), SH_TOK_WORD);
	/* reuse: the second call clears the first result */
	assert_int_equal(sh_tokenize("x", 1, 0, &t), SH_OK);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.norm + t.tok[0].norm, "x");
	sh_tokens_free(&t);
	assert_string_equal(render("", 0), "");
	assert_string_equal(render(" ,;- ", 0), "");
}

static void unicode_normal_form_is_nfkc_casefold(void **state)
{
	(void)state;
	assert_string_equal(render("Caf\xC3\xA9", 0), "caf\xC3\xA9|");                    /* Café (precomposed) */
	assert_string_equal(render("Cafe\xCC\x81", 0), "caf\xC3\xA9|");                   /* e + U+0301 composes */
	assert_string_equal(render("Caf\xC3\xA9", SH_NORM_FOLD_ACCENTS), "cafe|");
	assert_string_equal(render("Cafe\xCC\x81", SH_NORM_FOLD_ACCENTS), "cafe|");
	assert_string_equal(render("\xEF\xAC\x81nance", 0), "finance|");                  /* ﬁ ligature */
	assert_string_equal(render("Stra\xC3\x9F" "e", 0), "strasse|");                   /* ß folds to ss */
	assert_string_equal(render("\xEF\xBC\xA1\xEF\xBC\xB0\xEF\xBC\xA9", 0), "api|");   /* fullwidth ＡＰＩ */
	/* Greek final sigma and capital sigma fold to σ: ΟΔΟΣ, οδός */
	assert_string_equal(render("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3", 0), "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83|");
	assert_string_equal(render("\xCE\xBF\xCE\xB4\xCF\x8C\xCF\x82", SH_NORM_FOLD_ACCENTS),
	                    "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83|");
	/* Turkish: language-neutral folding; İ -> i + U+0307 (dot kept), without accents just i; ı stays ı */
	assert_string_equal(render("\xC4\xB0stanbul", 0), "i\xCC\x87stanbul|");
	assert_string_equal(render("\xC4\xB0stanbul", SH_NORM_FOLD_ACCENTS), "istanbul|");
	assert_string_equal(render("I\xC4\xB1", 0), "i\xC4\xB1|");
	/* a soft hyphen inside a word is dropped from the normal form but kept in the span */
	assert_string_equal(render("Kranken\xC2\xADhaus", 0), "krankenhaus|");
	/* CJK and a combining mark at the start of the text */
	assert_string_equal(render("\xE6\x97\xA5\xE6\x9C\xAC \xCC\x81x", SH_NORM_FOLD_ACCENTS),
	                    "\xE6\x97\xA5\xE6\x9C\xAC x|");
}

/* Whether cp is a letter, mark or number, i.e. a word character. */
static int is_word_cp(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

/* sh_normalize of "x" + cps equals utf8proc's NFKC_Casefold of the same string. */
static void assert_same_as_utf8proc(const uint32_t *cps, size_t n, unsigned flags)
{
	char in[16] = "x";
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += (size_t)utf8proc_encode_char((utf8proc_int32_t)cps[i], (utf8proc_uint8_t *)in + len);
	utf8proc_uint8_t *want = NULL;
	assert_true(utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, &want,
	                         UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	                         UTF8PROC_IGNORE | ((flags & SH_NORM_FOLD_ACCENTS) ? UTF8PROC_STRIPMARK : 0)) >= 0);
	char *got = NULL;
	assert_int_equal(sh_normalize(in, len, flags, &got), SH_OK);
	if (strcmp(got, (const char *)want) != 0)
		fail_msg("U+%04X U+%04X flags %u: got '%s', utf8proc '%s'", (unsigned)cps[0], n > 1 ? (unsigned)cps[1] : 0u,
		         flags, got, (const char *)want);
	free(got);
	free(want);
}

/* The per-character table for Latin, Greek and Cyrillic agrees with utf8proc on whole tokens. */
static void table_normal_forms_match_utf8proc(void **state)
{
	(void)state;
	for (unsigned flags = 0; flags <= SH_NORM_FOLD_ACCENTS; flags++) {
		for (uint32_t a = 0x80; a < 0x600; a++) {
			if (!is_word_cp(a))
				continue;
			assert_same_as_utf8proc(&a, 1, flags);
			for (uint32_t b = 0x80 + a % 11; b < 0x600; b += 11) {
				uint32_t pair[2] = { a, b };
				if (is_word_cp(b))
					assert_same_as_utf8proc(pair, 2, flags);
			}
		}
	}
}

static void invalid_utf8_separates_and_never_overreads(void **state)
{
	(void)state;
	/* truncated, overlong, surrogate, 0xF8+, lone continuation, above U+10FFFF */
	assert_string_equal(render("ab\xE2\x82" "cd", 0), "ab cd|");
	assert_string_equal(render("ab\xC0\xAF" "cd", 0), "ab cd|");
	assert_string_equal(render("ab\xED\xA0\x80" "cd", 0), "ab cd|");
	assert_string_equal(render("ab\xF8\x88\x80\x80\x80" "cd", 0), "ab cd|");
	assert_string_equal(render("ab\x80" "cd", 0), "ab cd|");
	assert_string_equal(render("ab\xF4\x90\x80\x80" "cd", 0), "ab cd|");
	/* a multi-byte character cut by len: the token stops before it */
	const char text[] = "caf\xC3\xA9";
	sh_tokens t = { 0 };
	assert_int_equal(sh_tokenize(text, 4, 0, &t), SH_OK);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.tok[0].end, 3);
	sh_tokens_free(&t);
	/* offsets of a non-ASCII token are byte offsets of the input */
	const char *de = "\xC3\x9C" "ber Stra\xC3\x9F" "e";
	assert_int_equal(sh_tokenize(de, strlen(de), 0, &t), SH_OK);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.tok[0].start, 0);
	assert_int_equal(t.tok[0].end, 5);
	assert_int_equal(t.tok[1].start, 6);
	assert_int_equal(t.tok[1].end, 13);
	assert_string_equal(t.norm + t.tok[1].norm, "strasse");
	sh_tokens_free(&t);
}

static void special_terms_keep_their_symbols(void **state)
{
	(void)state;
	assert_string_equal(render("C++ C# F# .NET ASP.NET Node.js vue.js", 0),
	                    "c++ c# f# .net asp.net node.js vue.js|");
	assert_true(flags_of("C++") & SH_TOK_SYMBOLIC);
	assert_true(flags_of(".NET") & SH_TOK_SYMBOLIC);
	assert_true(flags_of("Node.js") & SH_TOK_SYMBOLIC);
	assert_false(flags_of("Node") & SH_TOK_SYMBOLIC);
	assert_int_equal(flags_of("3.5") & (SH_TOK_NUMBER | SH_TOK_SYMBOLIC | SH_TOK_WORD), SH_TOK_NUMBER);
	assert_int_equal(flags_of("1,000") & (SH_TOK_NUMBER | SH_TOK_WORD), SH_TOK_NUMBER);
	assert_string_equal(render("ISO 9001, 3D, 24/7", 0), "iso 9001 3d 24 7|");
	assert_string_equal(render("e-commerce TCP/IP l'entreprise d\xE2\x80\x99" "abord", 0),
	                    "e commerce tcp ip l entreprise d abord|");
	/* a missing space after a full stop still splits; "#" after a longer word is dropped */
	assert_string_equal(render("our team.Also the job#1 (C#)", 0), "our team|also the job 1 c#|");
	assert_string_equal(render("x.NET", 0), "x|net|");
	assert_string_equal(render("C+++ Notepad++", 0), "c notepad++|");
}

static void sentence_ends_are_marked(void **state)
{
	(void)state;
	assert_string_equal(render("One two. Three! Four? Five; six", 0), "one two|three|four|five|six|");
	assert_string_equal(render("Use tools e.g. Excel, i.e. Word. Dr. Smith is here", 0),
	                    "use tools e.g excel i.e word|dr smith is here|");
	assert_string_equal(render("Python 3.5 and Node.js are used. We", 0), "python 3.5 and node.js are used|we|");
	assert_string_equal(render("line one\nline two\n\nnext para", 0), "line one line two|next para|");
	assert_string_equal(render("Skills:\n- nursing\n- care\n* audit", 0), "skills|nursing|care|audit|");
	assert_string_equal(render("a \xE2\x80\xA2 b \xE2\x80\xA2 c", 0), "a|b|c|");
	assert_string_equal(render("approx. ten. the end", 0), "approx ten the end|");
}

static void normalize_joins_normal_forms(void **state)
{
	(void)state;
	char *s = NULL;
	assert_int_equal(sh_normalize("  Caf\xC3\xA9  au-lait, C++ ", 23, SH_NORM_FOLD_ACCENTS, &s), SH_OK);
	assert_string_equal(s, "cafe au lait c++");
	free(s);
	assert_int_equal(sh_normalize("", 0, 0, &s), SH_OK);
	assert_string_equal(s, "");
	free(s);
}

static void utf8_validation_finds_first_bad_byte(void **state)
{
	(void)state;
	size_t bad = 99;
	assert_int_equal(sh_utf8_valid("plain ascii text here", 21, &bad), 1);
	assert_int_equal(sh_utf8_valid("caf\xC3\xA9 \xF0\x9F\x98\x80", 10, &bad), 1);
	assert_int_equal(sh_utf8_valid("abcdefghij\xC3", 11, &bad), 0);
	assert_int_equal(bad, 10);
	assert_int_equal(sh_utf8_valid("a\xE0\x80\x80", 4, &bad), 0); /* overlong */
	assert_int_equal(bad, 1);
	assert_int_equal(sh_utf8_valid("ab\xED\xB0\x80", 5, &bad), 0); /* surrogate */
	assert_int_equal(bad, 2);
	assert_int_equal(sh_utf8_valid("\xFF", 1, &bad), 0);
	assert_int_equal(bad, 0);
}

static void utf8_sanitize_replaces_maximal_subparts(void **state)
{
	(void)state;
	char *s = NULL;
	size_t n = 0;
	assert_int_equal(sh_utf8_sanitize("a\xE2\x82" "b\xF8\x88" "c\xC3\xA9", 9, &s, &n), SH_OK);
	assert_string_equal(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c\xC3\xA9");
	assert_int_equal(n, strlen(s));
	assert_int_equal(sh_utf8_valid(s, n, NULL), 1);
	free(s);
	assert_int_equal(sh_utf8_sanitize("ok", 2, &s, &n), SH_OK);
	assert_string_equal(s, "ok");
	free(s);
	assert_int_equal(sh_utf8_sanitize("", 0, &s, &n), SH_OK);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
}

static void stemmers_cover_languages(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{ "en", "maintaining", "maintain" },
		{ "de", "entwicklung", "entwicklungen" },
		{ "fr", "d\xC3\xA9veloppement", "d\xC3\xA9veloppements" },
		{ "es", "desarrollador", "desarrolladores" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sh_stemmer *st = NULL;
		assert_int_equal(sh_stemmer_new(&st, cases[i][0]), SH_OK);
		size_t n1, n2;
		const char *s1 = sh_stem(st, cases[i][1], strlen(cases[i][1]), &n1);
		char first[64];
		assert_true(n1 < sizeof first);
		memcpy(first, s1, n1);
		const char *s2 = sh_stem(st, cases[i][2], strlen(cases[i][2]), &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(first, s2, n1);
		assert_true(n1 < strlen(cases[i][1]) || n2 < strlen(cases[i][2]));
		sh_stemmer_free(st);
	}
	assert_true(sh_stemmer_supported("en"));
	assert_true(sh_stemmer_supported("pt-BR"));
	assert_true(sh_stemmer_supported("DE"));
	assert_false(sh_stemmer_supported("xx"));
	assert_false(sh_stemmer_supported("english"));
	assert_false(sh_stemmer_supported(""));
	sh_stemmer *st = (sh_stemmer *)1;
	assert_int_equal(sh_stemmer_new(&st, "zz"), SH_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(sh_errmsg(), "zz"));
}

/* sh_html_to_text of a C string, checked against want. */
static void assert_html(const char *html, const char *want)
{
	char *text = NULL;
	size_t n = 0;
	assert_int_equal(sh_html_to_text(html, strlen(html), &text, &n), SH_OK);
	assert_string_equal(text, want);
	assert_int_equal(n, strlen(want));
	free(text);
}

static void html_tags_become_breaks_and_entities_are_decoded(void **state)
{
	(void)state;
	assert_html("<p>Hello <b>big</b>   world</p><p>Next&nbsp;one</p>", "Hello big world\n\nNext one");
	assert_html("<h3>Skills</h3><ul><li>Care</li><li>Audit &amp; review</li></ul>end",
	            "Skills\n\n\xE2\x80\xA2 Care\n\xE2\x80\xA2 Audit & review\n\nend");
	assert_html("a<br>b<br/><br />c<br><br><br>d", "a\nb\n\nc\n\nd");
	assert_html("x<script>var a = '<p>';</script>y<style>p{}</style>z<!-- <p> -->!", "xyz!");
	assert_html("caf&eacute; &ndash; &#233;&#xE9;&#X2019; &rsquo;&hellip;&bull;&euro;&pound;&copy;&trade;",
	            "caf\xC3\xA9 \xE2\x80\x93 \xC3\xA9\xC3\xA9\xE2\x80\x99 \xE2\x80\x99\xE2\x80\xA6"
	            "\xE2\x80\xA2\xE2\x82\xAC\xC2\xA3\xC2\xA9\xE2\x84\xA2");
	/* Windows-1252 numeric references, invalid ones, unknown names, a bare "<" and "&" */
	assert_html("don&#146;t &#0;&#xD800;&#1114112; &bogus; &amp x < y & z",
	            "don\xE2\x80\x99t \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD &bogus; &amp x < y & z");
	assert_html("<td>a</td><td>b</td>", "a b");
	assert_html("  \n ", "");
	assert_html("", "");
	assert_html("<p>unterminated <b", "unterminated <b");
	assert_html("<p>a<b<c", "a<b<c");
	assert_html("<p>a<b>c</p>>d", "ac\n\n>d");
	assert_html("<p>1 < 2</p>", "1 < 2");
}

static void html_without_markup_keeps_line_breaks(void **state)
{
	(void)state;
	assert_html("MISSIONS\r\n\r\n\n * cas d&#39;usage\n * suite  GCP\n", "MISSIONS\n\n* cas d'usage\n* suite GCP");
	assert_html("a &lt; b\nc", "a < b\nc");
	assert_html("<b>x</b>\ny", "x y");
}

static void html_escaped_twice_is_decoded(void **state)
{
	(void)state;
	/* as in the NHS feed: the markup is escaped, text entities are escaped twice */
	assert_html("&lt;p&gt;Salaried GP &amp;amp; nurse&lt;/p&gt;\n&lt;p&gt;List size 4500 &amp;lt;5&lt;/p&gt;",
	            "Salaried GP & nurse\n\nList size 4500 <5");
	assert_html("&amp;lt;p&amp;gt;twice&amp;lt;/p&amp;gt;", "twice");
	/* a text that merely mentions "&lt;" stays text */
	assert_html("<p>a &lt;b&gt; tag</p>", "a <b> tag");
}

static void html_list_items_are_sentences(void **state)
{
	(void)state;
	char *text = NULL;
	size_t n;
	const char *html = "<p>Duties include</p><ul><li>patient care</li><li>record keeping</li></ul>";
	assert_int_equal(sh_html_to_text(html, strlen(html), &text, &n), SH_OK);
	assert_string_equal(render(text, 0), "duties include|patient care|record keeping|");
	free(text);
}

/* The first 500 NHS ads: no markup or references survive, and the text tokenises into sentences. */
static void nhs_ads_convert_to_clean_text(void **state)
{
	(void)state;
	const char *path = test_shared("jobads/nhs-uk-2020-11.jsonl");
	if (!path) {
		print_message("../shared/data absent: NHS ads test skipped\n");
		skip();
	}
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0, ads = 0, sentences = 0, tokens = 0;
	sh_tokens t = { 0 };
	while (ads < 500 && getline(&line, &cap, f) > 0) {
		json_t *doc = json_loads(line, 0, NULL);
		json_t *d = json_object_get(doc, "description");
		assert_non_null(d);
		char *text = NULL;
		size_t n = 0;
		assert_int_equal(sh_html_to_text(json_string_value(d), json_string_length(d), &text, &n), SH_OK);
		assert_true(sh_utf8_valid(text, n, NULL));
		if (strstr(text, "&lt;") || strstr(text, "&amp;") || strstr(text, "<p>") || strstr(text, "</"))
			fail_msg("ad %zu keeps markup: %.200s", ads, text);
		assert_int_equal(sh_tokenize(text, n, 0, &t), SH_OK);
		for (size_t i = 0; i < t.n; i++)
			sentences += (t.tok[i].flags & SH_TOK_SENT_END) != 0;
		tokens += t.n;
		free(text);
		json_decref(doc);
		ads++;
	}
	free(line);
	fclose(f);
	sh_tokens_free(&t);
	print_message("%zu ads, %zu tokens, %zu sentences\n", ads, tokens, sentences);
	assert_int_equal(ads, 500);
	/* job ads have sentences of some ten to thirty words */
	assert_true(tokens > 500 * 50);
	assert_true(tokens / sentences >= 5 && tokens / sentences <= 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_words_are_lowercased_with_exact_offsets),
		cmocka_unit_test(unicode_normal_form_is_nfkc_casefold),
		cmocka_unit_test(table_normal_forms_match_utf8proc),
		cmocka_unit_test(invalid_utf8_separates_and_never_overreads),
		cmocka_unit_test(special_terms_keep_their_symbols),
		cmocka_unit_test(sentence_ends_are_marked),
		cmocka_unit_test(normalize_joins_normal_forms),
		cmocka_unit_test(utf8_validation_finds_first_bad_byte),
		cmocka_unit_test(utf8_sanitize_replaces_maximal_subparts),
		cmocka_unit_test(stemmers_cover_languages),
		cmocka_unit_test(html_tags_become_breaks_and_entities_are_decoded),
		cmocka_unit_test(html_escaped_twice_is_decoded),
		cmocka_unit_test(html_without_markup_keeps_line_breaks),
		cmocka_unit_test(html_list_items_are_sentences),
		cmocka_unit_test(nhs_ads_convert_to_clean_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
