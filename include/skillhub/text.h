/*
 * skillhub/text.h - text normalisation: UTF-8 hygiene, tokens, stems, HTML.
 *
 * Everything that compares text in skillhub (search, the label matcher, title
 * normalisation, language detection) goes through these functions, so that a
 * label compiled into the index and a word read from a job ad are normalised
 * the same way.
 *
 * A token's normal form is: NFKC, case folded (utf8proc), and with
 * SH_NORM_FOLD_ACCENTS also stripped of combining marks ("Café" -> "cafe").
 * Tokens are words and numbers; terms such as "C++", "C#", ".NET", "ASP.NET",
 * "Node.js" and numbers such as "3.5" keep their symbols.  Hyphens, slashes
 * and apostrophes always split ("e-commerce" -> "e" "commerce", "TCP/IP" ->
 * "tcp" "ip", "l'entreprise" -> "l" "entreprise"), and "ISO 9001" is two
 * tokens, "iso" "9001"; labels and text share these rules (docs/text.md).
 * Token offsets always point into the caller's original bytes, so spans
 * reported to users are exact.
 *
 * Thread-safety: all functions are reentrant; an sh_stemmer is used by one
 * thread at a time (Snowball keeps state), so keep one per thread.
 */
#ifndef SKILLHUB_TEXT_H
#define SKILLHUB_TEXT_H

#include "skillhub/common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	SH_NORM_FOLD_ACCENTS = 1 << 0  /* strip diacritics after case folding */
};

enum {
	SH_TOK_WORD      = 1 << 0, /* every token that is not SH_TOK_NUMBER (has a letter) */
	SH_TOK_NUMBER    = 1 << 1, /* digits only (with inner . or ,) */
	SH_TOK_SENT_END  = 1 << 2, /* last token of a sentence */
	SH_TOK_SYMBOLIC  = 1 << 3  /* kept symbols: c++, c#, .net, node.js */
};

typedef struct sh_token {
	uint32_t start, end;     /* byte range in the original text */
	uint32_t norm, norm_len; /* normal form: sh_tokens.norm + norm, NUL-terminated */
	uint32_t flags;          /* SH_TOK_* */
} sh_token;

/* A reusable token array; zero-initialise, reuse across calls, sh_tokens_free() at the end. */
typedef struct sh_tokens {
	sh_token *tok;
	size_t    n, cap;
	char     *norm;             /* normal forms, NUL-separated */
	size_t    norm_len, norm_cap;
} sh_tokens;

/*
 * Tokenises text[0..len) into out (cleared first).  Invalid UTF-8 never
 * fails: an invalid byte acts as a separator.  Returns SH_OK or SH_ENOMEM
 * (SH_EINVAL when len exceeds the 32-bit offsets, 4 GiB).
 */
int  sh_tokenize(const char *text, size_t len, unsigned norm_flags, sh_tokens *out);
void sh_tokens_free(sh_tokens *t);

/* Normal form of a whole string: its tokens' normal forms joined by one space. Caller frees *out. */
int  sh_normalize(const char *text, size_t len, unsigned norm_flags, char **out);

/* 1 if s[0..len) is valid UTF-8; else 0 and *bad = offset of the first bad byte. */
int  sh_utf8_valid(const char *s, size_t len, size_t *bad);
/* Copy of s with every invalid sequence replaced by U+FFFD. Caller frees *out. */
int  sh_utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len);

/*
 * Plain text of an HTML fragment: tags removed (script/style content too),
 * character references decoded (named, decimal, hex; also when the HTML was
 * escaped twice, as in "&lt;p&gt;"), block-level tags and <br> turned into
 * line breaks, runs of blanks collapsed.  Input without any tag (raw or
 * escaped) is plain text: references are decoded and its line breaks kept.
 * Caller frees *out.
 */
int  sh_html_to_text(const char *html, size_t len, char **out, size_t *out_len);

/* Snowball stemmer for an ISO 639-1 language code ("en", "de", "fr", ...). */
typedef struct sh_stemmer sh_stemmer;
/* SH_ENOTFOUND when Snowball has no algorithm for lang (callers then use words unstemmed). */
int  sh_stemmer_new(sh_stemmer **out, const char *lang);
/*
 * Stem of a normalised word (normal form without SH_NORM_FOLD_ACCENTS); valid
 * until the next call on this stemmer.  Never fails: if Snowball runs out of
 * memory the word itself is returned.
 */
const char *sh_stem(sh_stemmer *s, const char *word, size_t len, size_t *stem_len);
void sh_stemmer_free(sh_stemmer *s);
/* 1 if Snowball supports lang. */
int  sh_stemmer_supported(const char *lang);

#ifdef __cplusplus
}
#endif
#endif
