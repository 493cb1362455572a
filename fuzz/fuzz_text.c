/*
 * fuzz/fuzz_text.c - libFuzzer target for src/text on arbitrary bytes.
 *
 * Runs sh_tokenize (with and without SH_NORM_FOLD_ACCENTS), sh_normalize,
 * sh_utf8_valid, sh_utf8_sanitize and sh_html_to_text, and aborts when an
 * invariant breaks:
 *   - token offsets lie within the input, are non-empty and strictly
 *     increasing without overlap; each normal form is non-empty, NUL-terminated
 *     at norm_len, valid UTF-8 and inside sh_tokens.norm; the span of a token
 *     is valid UTF-8 (invalid bytes only ever separate);
 *   - sh_normalize equals the token normal forms joined by spaces;
 *   - sh_utf8_sanitize's output is valid UTF-8, equals the input when that was
 *     valid, and sh_utf8_valid agrees with it;
 *   - sh_html_to_text's output is terminated at its reported length,
 *     and sanitising it yields valid UTF-8.
 * The sanitizers (ASan, UBSan) catch reads past the input, which the fuzzer
 * hands over in an allocation of exactly `size` bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
	do {                                                                           \
		if (!(cond)) {                                                             \
			fprintf(stderr, "fuzz_text: invariant failed: %s (line %d)\n", #cond, __LINE__); \
			abort();                                                               \
		}                                                                          \
	} while (0)

static void check_tokens(const char *s, size_t size, unsigned flags)
{
	sh_tokens t = { 0 };
	CHECK(sh_tokenize(s, size, flags, &t) == SH_OK);
	size_t prev_end = 0;
	for (size_t i = 0; i < t.n; i++) {
		const sh_token *k = &t.tok[i];
		CHECK(k->start >= prev_end && k->start < k->end && k->end <= size);
		CHECK(sh_utf8_valid(s + k->start, k->end - k->start, NULL));
		CHECK(k->norm_len > 0 && (size_t)k->norm + k->norm_len < t.norm_len + 1);
		CHECK(t.norm[k->norm + k->norm_len] == '\0' && strlen(t.norm + k->norm) == k->norm_len);
		CHECK(sh_utf8_valid(t.norm + k->norm, k->norm_len, NULL));
		CHECK((k->flags & (SH_TOK_WORD | SH_TOK_NUMBER)) != 0);
		prev_end = k->end;
	}
	CHECK(t.n == 0 || (t.tok[t.n - 1].flags & SH_TOK_SENT_END));

	char *joined = NULL;
	CHECK(sh_normalize(s, size, flags, &joined) == SH_OK);
	size_t o = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (i)
			CHECK(joined[o++] == ' ');
		CHECK(memcmp(joined + o, t.norm + t.tok[i].norm, t.tok[i].norm_len) == 0);
		o += t.tok[i].norm_len;
	}
	CHECK(joined[o] == '\0');
	free(joined);
	sh_tokens_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	check_tokens(s, size, 0);
	check_tokens(s, size, SH_NORM_FOLD_ACCENTS);

	char *clean = NULL;
	size_t clean_len = 0, bad = 0;
	int valid = sh_utf8_valid(s, size, &bad);
	CHECK(valid || bad < size);
	CHECK(sh_utf8_sanitize(s, size, &clean, &clean_len) == SH_OK);
	CHECK(sh_utf8_valid(clean, clean_len, NULL));
	CHECK(!valid || (clean_len == size && memcmp(clean, s, size) == 0));
	free(clean);

	char *text = NULL;
	size_t text_len = 0;
	CHECK(sh_html_to_text(s, size, &text, &text_len) == SH_OK);
	CHECK(text[text_len] == '\0' && text_len <= 4 * size + 16);
	CHECK(sh_utf8_sanitize(text, text_len, &clean, &clean_len) == SH_OK);
	CHECK(sh_utf8_valid(clean, clean_len, NULL));
	free(clean);
	free(text);
	return 0;
}
