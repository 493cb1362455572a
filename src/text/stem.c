/*
 * text/stem.c - Snowball stemmers (libstemmer) by ISO 639-1 language code.
 *
 * A fixed table maps each ISO 639-1 code to the Snowball algorithm name; a
 * code is supported when its algorithm is also in this libstemmer's
 * sb_stemmer_list() (older releases lack e.g. Armenian or Tamil).  Codes may
 * carry a region ("pt-BR", "en_GB"): only the part before "-" or "_" counts,
 * case-insensitively.  Snowball expects lowercase UTF-8 words: stem the normal
 * form without SH_NORM_FOLD_ACCENTS, since e.g. the French and German
 * stemmers use the accents.
 */
#include "skillhub/text.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

struct sh_stemmer {
	struct sb_stemmer *sb;
};

static const struct {
	char iso[3];
	const char *algorithm;
} snowball_languages[] = {
	{ "ar", "arabic" },     { "ca", "catalan" },    { "da", "danish" },     { "de", "german" },
	{ "el", "greek" },      { "en", "english" },    { "es", "spanish" },    { "eu", "basque" },
	{ "fi", "finnish" },    { "fr", "french" },     { "ga", "irish" },      { "hi", "hindi" },
	{ "hu", "hungarian" },  { "hy", "armenian" },   { "id", "indonesian" }, { "it", "italian" },
	{ "lt", "lithuanian" }, { "nb", "norwegian" },  { "ne", "nepali" },     { "nl", "dutch" },
	{ "nn", "norwegian" },  { "no", "norwegian" },  { "pt", "portuguese" }, { "ro", "romanian" },
	{ "ru", "russian" },    { "sr", "serbian" },    { "sv", "swedish" },    { "ta", "tamil" },
	{ "tr", "turkish" },    { "yi", "yiddish" },
};

/* The Snowball algorithm this libstemmer has for lang, or NULL. */
static const char *algorithm_for(const char *lang)
{
	if (!lang || !isalpha((unsigned char)lang[0]) || !isalpha((unsigned char)lang[1]) ||
	    (lang[2] != '\0' && lang[2] != '-' && lang[2] != '_'))
		return NULL;
	char iso[3] = { (char)tolower((unsigned char)lang[0]), (char)tolower((unsigned char)lang[1]), '\0' };
	for (size_t i = 0; i < sizeof snowball_languages / sizeof *snowball_languages; i++) {
		if (strcmp(snowball_languages[i].iso, iso) != 0)
			continue;
		for (const char **name = sb_stemmer_list(); *name; name++)
			if (strcmp(*name, snowball_languages[i].algorithm) == 0)
				return *name;
		return NULL;
	}
	return NULL;
}

int sh_stemmer_supported(const char *lang)
{
	return algorithm_for(lang) != NULL;
}

int sh_stemmer_new(sh_stemmer **out, const char *lang)
{
	*out = NULL;
	const char *algorithm = algorithm_for(lang);
	if (!algorithm)
		return sh_error(SH_ENOTFOUND, "sh_stemmer_new: no Snowball stemmer for language '%s'",
		                lang ? lang : "(null)");
	sh_stemmer *s = malloc(sizeof *s);
	if (!s)
		return sh_error(SH_ENOMEM, "sh_stemmer_new: out of memory");
	s->sb = sb_stemmer_new(algorithm, "UTF_8");
	if (!s->sb) {
		free(s);
		return sh_error(SH_ENOMEM, "sh_stemmer_new: Snowball could not create the '%s' stemmer", algorithm);
	}
	*out = s;
	return SH_OK;
}

const char *sh_stem(sh_stemmer *s, const char *word, size_t len, size_t *stem_len)
{
	const sb_symbol *stem = len <= INT32_MAX ? sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len) : NULL;
	if (!stem) { /* out of memory inside Snowball: the word stands for itself */
		*stem_len = len;
		return word;
	}
	*stem_len = (size_t)sb_stemmer_length(s->sb);
	return (const char *)stem;
}

void sh_stemmer_free(sh_stemmer *s)
{
	if (!s)
		return;
	sb_stemmer_delete(s->sb);
	free(s);
}
