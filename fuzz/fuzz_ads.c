/*
 * fuzz/fuzz_ads.c - libFuzzer target for language identification and
 * near-duplicate detection (skillhub/ads.h).
 *
 * The first input byte picks what the rest is:
 *   0  a text classified by a small model trained on first use
 *   1  a language model blob (loaded, then used on a fixed text when it loads)
 *   2  an ad, split at its first newline into key and text, added twice to an index
 *   3  a saved dedup index, loaded into an empty one
 * Whatever the bytes, the result must be a status code, never a crash, a
 * leak or a read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skillhub/ads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const sh_langid *fixed_model(void)
{
	static void *blob;
	static sh_langid *model;
	if (!model) {
#define SAMPLE(lang, text) { lang, text, sizeof text - 1 }
		static const sh_langid_sample samples[] = {
			SAMPLE("en", "we are looking for a nurse to join our friendly team"),
			SAMPLE("de", "wir suchen eine pflegekraft für unser freundliches team"),
			SAMPLE("fr", "nous recherchons une infirmière pour notre équipe"),
		};
#undef SAMPLE
		size_t size;
		if (sh_langid_train(samples, 3, &blob, &size) != SH_OK || sh_langid_load(&model, blob, size) != SH_OK)
			abort();
	}
	return model;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *rest = (const char *)data + 1;
	size_t len = size - 1;
	sh_langid_result r;
	switch (data[0] & 3) {
	case 0:
		sh_langid_classify(fixed_model(), rest, len, &r);
		break;
	case 1: {
		uint64_t *copy = malloc(len / 8 * 8 + 8); /* 8-byte aligned, as the loader requires */
		memcpy(copy, rest, len);
		sh_langid *m;
		if (sh_langid_load(&m, copy, len) == SH_OK) {
			sh_langid_classify(m, "a fixed text to classify", 24, &r);
			sh_langid_free(m);
		}
		free(copy);
		break;
	}
	case 2: {
		const char *nl = memchr(rest, '\n', len);
		size_t key_len = nl ? (size_t)(nl - rest) : 0;
		const char *text = nl ? nl + 1 : rest;
		size_t text_len = len - (size_t)(text - rest);
		sh_dedup *idx;
		sh_dedup_match m;
		if (sh_dedup_new(&idx, SH_DEDUP_DEFAULT_THRESHOLD) == SH_OK) {
			if (sh_dedup_add(idx, 1, rest, key_len, text, text_len, &m) == SH_OK &&
			    sh_dedup_add(idx, 2, rest, key_len, text, text_len, &m) == SH_OK && m.id != 1)
				abort(); /* the same ad twice must be an exact duplicate */
			sh_dedup_free(idx);
		}
		break;
	}
	default: {
		sh_dedup *idx;
		if (sh_dedup_new(&idx, SH_DEDUP_DEFAULT_THRESHOLD) == SH_OK) {
			(void)sh_dedup_load(idx, rest, len);
			sh_dedup_free(idx);
		}
		break;
	}
	}
	return 0;
}
