/*
 * match/matcher_words.c - how a token becomes a matcher term, the same way
 * for labels (compile time) and texts (scan time): words (tokenised without
 * SH_NORM_FOLD_ACCENTS, as Snowball wants) are stemmed with the language's
 * stemmer when it has one; numbers and symbolic tokens ("c++", ".net") are
 * kept as normalised.  Then accents are folded, so "Café" and "cafe" meet.
 * Also the short per-language lists of function words that never count as
 * keys of the bag channel.
 */
#include <stdlib.h>
#include <string.h>

#include "match/matcher_format.h"
#include "match/matcher_words.h"

int mt_token_term(sh_stemmer *stemmer, const sh_tokens *t, size_t i, sh_buf *out)
{
	const sh_token *tok = &t->tok[i];
	const char *term = t->norm + tok->norm;
	size_t len = tok->norm_len;
	if (stemmer && (tok->flags & SH_TOK_WORD) && !(tok->flags & SH_TOK_SYMBOLIC))
		term = sh_stem(stemmer, term, len, &len);
	sh_buf_clear(out);
	int non_ascii = 0;
	for (size_t k = 0; k < len; k++)
		non_ascii |= (unsigned char)term[k] >= 0x80;
	if (!non_ascii)
		return sh_buf_append(out, term, len);
	char *folded;
	int rc = sh_normalize(term, len, SH_NORM_FOLD_ACCENTS, &folded);
	if (rc)
		return rc;
	rc = sh_buf_puts(out, folded);
	free(folded);
	return rc;
}

/* Space-separated, each list sorted only for readability. */
static const struct {
	const char *lang;
	const char *words;
} stopwords[] = {
	{ "en", " a an and as at be by for from in into of on or other the their to with within without " },
	{ "de", " am an auf aus bei das dem den der des die ein eine einer eines für im in mit oder und von vom"
	        " zu zum zur " },
	{ "fr", " à au aux d de des du en et l la le les ou par pour sur un une " },
	{ "es", " a al con de del e el en la las los o para por un una y " },
	{ "it", " a al con d da de dei del della delle di e i il in l la le o per un una " },
	{ "nl", " aan de een en het in met of op te van voor " },
	{ "pt", " a ao as com da das de do dos e em na no o os ou para por um uma " },
};

int mt_is_stopword(const char *lang, const char *word, size_t len)
{
	if (len == 0 || len > 16)
		return 0;
	char key[20];
	key[0] = ' ';
	memcpy(key + 1, word, len);
	key[len + 1] = ' ';
	key[len + 2] = '\0';
	for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
		if (strcmp(stopwords[i].lang, lang) == 0)
			return strstr(stopwords[i].words, key) != NULL;
	return 0;
}
