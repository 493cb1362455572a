/*
 * text/tokenize.c - words, numbers and special terms with exact byte offsets.
 *
 * One left-to-right pass over the bytes.  A token is a maximal run of word
 * characters: letters (L*), digits (Nd), other numbers (Nl, No) and combining
 * marks (M*); a format character (Cf, e.g. a soft hyphen) inside a run is kept
 * in the span and dropped from the normal form.  Everything else separates,
 * including every byte that is not part of well-formed UTF-8, so a token never
 * contains an invalid sequence.  The rules that keep symbols (docs/text.md):
 *
 *   - "." or "," between two digits joins a number:          3.5  1,000
 *   - "." joins a following lowercase ASCII segment:           node.js  vue.js  e.g
 *     or an uppercase one after an all-capitals segment:       ASP.NET  U.K
 *     (so the missing space in "team.Also" still splits)
 *   - a leading "." before letters, after a blank or bracket: .NET
 *   - "++" after a letters-only word, "#" after one letter:    C++  g++  C#  F#
 *   - hyphens, slashes, apostrophes always split:             e-commerce -> e commerce,
 *                                                               TCP/IP -> tcp ip, l'entreprise -> l entreprise
 *
 * Sentence ends (SH_TOK_SENT_END on the token before): "!", "?", ";", a "."
 * unless it follows an abbreviation ("e.g.", "Dr.", "approx.") or a lowercase
 * letter comes next, two or more line breaks with only blanks between, a
 * bullet character, a "-"/"*"/"+" list marker at the start of a line, and the
 * end of the text.
 *
 * Normal form, fastest first: pure-ASCII tokens are lowercased byte by byte
 * (ASCII is NFKC stable and its case fold is tolower); tokens of Latin, Greek
 * and Cyrillic letters without combining marks concatenate per-character
 * normal forms from a table that utf8proc fills once (small_table); all other
 * tokens go through utf8proc's decomposition into a stack buffer, then
 * composition and UTF-8 encoding straight into sh_tokens.norm.  So no call
 * allocates per token (tokens whose decomposition exceeds the stack buffer,
 * over 256 code points, are the exception).
 */
#include "skillhub/text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/error.h"
#include "text/utf8.h"

enum {
	C_WORD  = 1 << 0, /* word character */
	C_DIGIT = 1 << 1,
	C_LOWER = 1 << 2, /* lowercase letter */
	C_UPPER = 1 << 3, /* letter that is not lowercase */
	C_BLANK = 1 << 4, /* horizontal white space */
	C_FMT   = 1 << 5, /* format character: joins inside a word */
	C_LETTER = 1 << 6 /* letter, lowercase or not */
};

static const unsigned char ascii_class[128] = {
	['0' ... '9'] = C_WORD | C_DIGIT,
	['a' ... 'z'] = C_WORD | C_LETTER | C_LOWER,
	['A' ... 'Z'] = C_WORD | C_LETTER | C_UPPER,
	[' '] = C_BLANK, ['\t'] = C_BLANK, ['\r'] = C_BLANK, ['\f'] = C_BLANK, ['\v'] = C_BLANK,
};


/* Whether byte c is an ASCII character of one of the classes in mask. */
static inline int is_ascii_class(unsigned char c, unsigned mask)
{
	return c < 0x80 && (ascii_class[c] & mask);
}

/* Lowercase of an ASCII byte. */
static inline char ascii_fold(unsigned char c)
{
	return (char)(c + ((unsigned)(c - 'A') < 26u ? 32 : 0));
}

/* Class of a code point that is not ASCII. */
static unsigned unicode_class(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LL:
		return C_WORD | C_LETTER | C_LOWER;
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
		return C_WORD | C_LETTER | C_UPPER;
	case UTF8PROC_CATEGORY_ND:
		return C_WORD | C_DIGIT;
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return C_WORD;
	case UTF8PROC_CATEGORY_CF:
		return C_FMT;
	case UTF8PROC_CATEGORY_ZS:
		return C_BLANK;
	default:
		return 0;
	}
}

/* Class of the character at s[i] (i < len) and its byte length (1 for an invalid byte, class 0). */
static unsigned class_at(const unsigned char *s, size_t len, size_t i, uint32_t *cp, int *nbytes)
{
	if (s[i] < 0x80) {
		*cp = s[i];
		*nbytes = 1;
		return ascii_class[s[i]];
	}
	int n = sh_utf8_decode(s + i, len - i, cp);
	if (n < 0) {
		*cp = 0xFFFD;
		*nbytes = -n;
		return 0;
	}
	*nbytes = n;
	return unicode_class(*cp);
}

static int is_word_at(const unsigned char *s, size_t len, size_t i)
{
	uint32_t cp;
	int n;
	return i < len && (class_at(s, len, i, &cp, &n) & C_WORD);
}

/* The scanner's state between tokens. */
typedef struct scan {
	const unsigned char *s;
	size_t len;
	int fold_accents;       /* SH_NORM_FOLD_ACCENTS given */
	sh_tokens *out;
	int newlines;           /* line breaks since the last token, blanks between */
	int line_start;         /* only blanks since the last line break */
} scan;

static int grow_tokens(sh_tokens *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	sh_token *tok = realloc(t->tok, cap * sizeof *tok);
	if (!tok)
		return sh_error(SH_ENOMEM, "sh_tokenize: out of memory for %zu tokens", cap);
	t->tok = tok;
	t->cap = cap;
	return SH_OK;
}

static int grow_norm(sh_tokens *t, size_t extra)
{
	size_t cap = t->norm_cap ? t->norm_cap : 4096;
	while (cap - t->norm_len < extra)
		cap *= 2;
	char *norm = realloc(t->norm, cap);
	if (!norm)
		return sh_error(SH_ENOMEM, "sh_tokenize: out of memory for %zu bytes of normal forms", cap);
	t->norm = norm;
	t->norm_cap = cap;
	return SH_OK;
}

/* Room for extra more bytes of normal forms. */
static inline int reserve_norm(sh_tokens *t, size_t extra)
{
	return t->norm_cap - t->norm_len >= extra ? SH_OK : grow_norm(t, extra);
}

/* Appends the NFKC case fold of the valid UTF-8 s[0..n) to t->norm (not terminated). */
static int append_unicode_norm(sh_tokens *t, const unsigned char *s, size_t n, utf8proc_option_t opts)
{
	utf8proc_int32_t stack[256], *cps = stack;
	utf8proc_ssize_t ncp = utf8proc_decompose_custom(s, (utf8proc_ssize_t)n, stack, 256, opts, NULL, NULL);
	if (ncp > 256) {
		cps = malloc((size_t)ncp * sizeof *cps);
		if (!cps)
			return sh_error(SH_ENOMEM, "sh_tokenize: out of memory for a %zu-byte token", n);
		ncp = utf8proc_decompose_custom(s, (utf8proc_ssize_t)n, cps, ncp, opts, NULL, NULL);
	}
	int rc = SH_OK;
	if (ncp >= 0)
		ncp = utf8proc_normalize_utf32(cps, ncp, opts);
	if (ncp < 0)
		rc = sh_error(SH_ENOMEM, "sh_tokenize: utf8proc: %s", utf8proc_errmsg(ncp));
	else if ((rc = reserve_norm(t, (size_t)ncp * 4 + 1)) == SH_OK)
		for (utf8proc_ssize_t k = 0; k < ncp; k++)
			t->norm_len += (size_t)sh_utf8_encode((uint32_t)cps[k], t->norm + t->norm_len);
	if (cps != stack)
		free(cps);
	return rc;
}

/*
 * Normal forms of single code points below SMALL_LIMIT (Latin, Greek,
 * Cyrillic), computed once with utf8proc: [0] without, [1] with
 * SH_NORM_FOLD_ACCENTS.  A token made of ASCII and of letters and digits
 * from this range (no combining marks, no format characters) has as normal
 * form the concatenation of its characters' normal forms: these scripts have
 * no canonical composition between two starters, and every such character
 * maps to text that starts with a starter.  len == SMALL_NONE marks the code
 * points that need the full algorithm.
 */
#define SMALL_LIMIT 0x530
#define SMALL_NONE  0xFF
typedef struct small_norm {
	uint8_t len;
	char utf8[7];
} small_norm;
static small_norm small_table[2][SMALL_LIMIT];
static pthread_once_t small_table_once = PTHREAD_ONCE_INIT;

static utf8proc_option_t norm_options(int fold_accents)
{
	return UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
	       (fold_accents ? UTF8PROC_STRIPMARK : 0);
}

static void build_small_table(void)
{
	for (int fold = 0; fold < 2; fold++) {
		for (uint32_t cp = 0; cp < SMALL_LIMIT; cp++) {
			small_norm *e = &small_table[fold][cp];
			e->len = SMALL_NONE;
			unsigned k = cp < 0x80 ? ascii_class[cp] : unicode_class(cp);
			if (cp < 0x80 || !(k & (C_LETTER | C_DIGIT)))
				continue;
			char in[4];
			utf8proc_uint8_t *out = NULL;
			utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in, sh_utf8_encode(cp, in), &out,
			                                  norm_options(fold));
			if (n > 0 && (size_t)n <= sizeof e->utf8) {
				memcpy(e->utf8, out, (size_t)n);
				e->len = (uint8_t)n;
			}
			free(out); /* on failure the code point keeps SMALL_NONE: the full algorithm handles it */
		}
	}
}

/*
 * Appends the normal form of the valid UTF-8 s[0..n) from small_table.
 * Returns 1 when done, 0 when a character needs the full algorithm (nothing
 * is kept then), or a negative status.
 */
static int append_small_norm(sh_tokens *t, const unsigned char *s, size_t n, int fold_accents)
{
	int rc = reserve_norm(t, n * 4 + 1); /* an entry has at most 7 bytes for a 2-byte character */
	if (rc != SH_OK)
		return rc;
	pthread_once(&small_table_once, build_small_table);
	const small_norm *table = small_table[fold_accents];
	char *d = t->norm + t->norm_len;
	for (size_t i = 0; i < n;) {
		if (s[i] < 0x80) {
			*d++ = ascii_fold(s[i]);
			i++;
			continue;
		}
		uint32_t cp;
		int len = sh_utf8_decode(s + i, n - i, &cp);
		if (len < 0 || cp >= SMALL_LIMIT || table[cp].len == SMALL_NONE)
			return 0;
		memcpy(d, table[cp].utf8, table[cp].len);
		d += table[cp].len;
		i += (size_t)len;
	}
	t->norm_len = (size_t)(d - t->norm);
	return 1;
}

/* Appends token s[start..end) with its normal form; a token whose normal form is empty is dropped. */
static int emit(scan *sc, size_t start, size_t end, int ascii, uint32_t flags)
{
	sh_tokens *t = sc->out;
	size_t norm = t->norm_len;
	int rc;
	if (ascii) {
		if ((rc = reserve_norm(t, end - start + 1)) != SH_OK)
			return rc;
		char *d = t->norm + norm;
		for (size_t i = start; i < end; i++)
			*d++ = ascii_fold(sc->s[i]);
		t->norm_len += end - start;
	} else if ((rc = append_small_norm(t, sc->s + start, end - start, sc->fold_accents)) < 0) {
		return rc;
	} else if (rc == 0 &&
	           (rc = append_unicode_norm(t, sc->s + start, end - start, norm_options(sc->fold_accents))) != SH_OK) {
		return rc;
	}
	if (t->norm_len == norm)
		return SH_OK;
	if (t->norm_len >= UINT32_MAX)
		return sh_error(SH_EINVAL, "sh_tokenize: normal forms exceed the 4 GiB offset range");
	if ((rc = reserve_norm(t, 1)) != SH_OK)
		return rc;
	t->norm[t->norm_len++] = '\0';
	if (t->n == t->cap && (rc = grow_tokens(t)) != SH_OK)
		return rc;
	t->tok[t->n++] = (sh_token){ (uint32_t)start, (uint32_t)end, (uint32_t)norm,
	                             (uint32_t)(t->norm_len - norm - 1), flags };
	sc->newlines = 0;
	sc->line_start = 0;
	return SH_OK;
}

static void mark_sentence_end(scan *sc)
{
	if (sc->out->n > 0)
		sc->out->tok[sc->out->n - 1].flags |= SH_TOK_SENT_END;
}

/*
 * Scans the token starting at i (at a word character, or at the "." of
 * ".NET"), emits it and returns its end.
 */
static int scan_token(scan *sc, size_t i, size_t *end)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len, j = i;
	int ascii = 1, symbolic = 0;
	unsigned last = 0;        /* class of the last word character */
	unsigned token_and = ~0u; /* classes common to all word characters (C_DIGIT: a number) */
	unsigned segment_or = 0;  /* classes in the current segment (between joining dots) */
	if (s[j] == '.') {
		j++;
		symbolic = 1;
	}
	for (;;) {
		while (j < len) {
			unsigned char c = s[j];
			unsigned k;
			if (c < 0x80) {
				k = ascii_class[c];
				if (!(k & C_WORD))
					break;
				j++;
			} else {
				uint32_t cp;
				int n;
				k = class_at(s, len, j, &cp, &n);
				if (k & C_FMT) {
					if (!(last & C_WORD) || !is_word_at(s, len, j + (size_t)n))
						break;
					j += (size_t)n;
					ascii = 0;
					continue;
				}
				if (!(k & C_WORD))
					break;
				j += (size_t)n;
				ascii = 0;
			}
			last = k;
			token_and &= k;
			segment_or |= k;
		}
		if (j + 1 >= len || (s[j] != '.' && s[j] != ','))
			break;
		unsigned next = s[j + 1] < 0x80 ? ascii_class[s[j + 1]] : 0;
		int join;
		if ((last & C_DIGIT) && (next & C_DIGIT))
			join = 1;
		else if (s[j] == ',')
			join = 0;
		else if (next & C_LOWER)
			join = (last & C_WORD) != 0;
		else if (next & C_UPPER)
			join = (segment_or & (C_LETTER | C_LOWER)) == C_LETTER;
		else
			join = 0;
		if (!join)
			break;
		if (!(next & C_DIGIT) || !(last & C_DIGIT))
			symbolic = 1;
		j++;
		segment_or = 0;
	}
	/* C++, C#: an ASCII word of letters only */
	size_t letters_run = ascii && (token_and & C_LETTER) && !symbolic ? j - i : 0;
	if (letters_run && j < len) {
		if (j + 1 < len && s[j] == '+' && s[j + 1] == '+' &&
		    (j + 2 == len || (s[j + 2] != '+' && !is_word_at(s, len, j + 2)))) {
			j += 2;
			symbolic = 1;
		} else if (letters_run == 1 && s[j] == '#' && !is_word_at(s, len, j + 1)) {
			j += 1;
			symbolic = 1;
		}
	}
	uint32_t flags = (token_and & C_DIGIT) ? SH_TOK_NUMBER : SH_TOK_WORD;
	if (symbolic)
		flags |= SH_TOK_SYMBOLIC;
	*end = j;
	return emit(sc, i, j, ascii, flags);
}

/* Normal forms after which a "." does not end the sentence. */
static int is_abbreviation(const char *norm, size_t n)
{
	static const char *const words[] = {
		"approx", "ca", "dept", "dr", "eg", "etc", "ie", "incl", "mr", "mrs",
		"ms", "no", "nr", "prof", "st", "vs", "bzw", "usw", "cf", "resp",
	};
	int dotted = 0, seg = 0;
	for (size_t i = 0; i < n; i++) {
		if (norm[i] == '.') {
			dotted = 1;
			seg = 0;
		} else if (++seg > 2) {
			break;
		}
		if (i + 1 == n && dotted)
			return 1; /* e.g, i.e, z.b, u.k: every segment of one or two characters */
	}
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (strlen(words[k]) == n && memcmp(words[k], norm, n) == 0)
			return 1;
	return 0;
}

/* Whether the "." at i ends a sentence. */
static int dot_ends_sentence(const scan *sc, size_t i)
{
	const sh_tokens *t = sc->out;
	if (t->n == 0)
		return 0;
	const sh_token *last = &t->tok[t->n - 1];
	if (last->end == i && is_abbreviation(t->norm + last->norm, last->norm_len))
		return 0;
	size_t j = i + 1;
	while (j < sc->len) {
		uint32_t cp;
		int n;
		unsigned k = class_at(sc->s, sc->len, j, &cp, &n);
		if (k & C_BLANK) {
			j += (size_t)n;
			continue;
		}
		return !(k & C_LOWER) && cp != ',';
	}
	return 1;
}

static int is_bullet(uint32_t cp)
{
	switch (cp) {
	case 0x00B7: case 0x2022: case 0x2023: case 0x2043: case 0x25AA:
	case 0x25AB: case 0x25CF: case 0x25E6: case 0x25A0: case 0x25A1:
	case 0x2013: case 0x2014: case 0x27A2: case 0x2713: case 0x2714:
		return 1;
	default:
		return 0;
	}
}

static int is_sentence_mark(uint32_t cp)
{
	switch (cp) {
	case '!': case '?': case ';':
	case 0x2026: /* … */ case 0x3002: /* 。 */ case 0xFF01: case 0xFF1F: case 0xFF1B:
	case 0x061F: /* ؟ */ case 0x0964: /* । */ case 0x2028: case 0x2029:
		return 1;
	default:
		return 0;
	}
}

/* Handles the separator character cp at i (class k, n bytes long). */
static void separator(scan *sc, size_t i, uint32_t cp, unsigned k, int n)
{
	size_t next = i + (size_t)n;
	if (cp == '\n' || cp == 0x85) {
		if (++sc->newlines >= 2)
			mark_sentence_end(sc);
		sc->line_start = 1;
		return;
	}
	if (k & C_BLANK)
		return;
	if (cp == '.') {
		if (dot_ends_sentence(sc, i))
			mark_sentence_end(sc);
	} else if (is_sentence_mark(cp)) {
		mark_sentence_end(sc);
	} else if (is_bullet(cp) && (sc->line_start || cp == 0x2022)) {
		mark_sentence_end(sc);
	} else if ((cp == '-' || cp == '*' || cp == '+') && sc->line_start && next < sc->len &&
	           is_ascii_class(sc->s[next], C_BLANK)) {
		mark_sentence_end(sc);
	}
	sc->newlines = 0;
	sc->line_start = 0;
}

/* A "." that starts ".NET": after a blank, a bracket, a quote or the start, before an ASCII letter. */
static int leading_dot_term(const scan *sc, size_t i)
{
	if (i + 1 >= sc->len || !is_ascii_class(sc->s[i + 1], C_LETTER))
		return 0;
	if (i == 0)
		return 1;
	unsigned char p = sc->s[i - 1];
	return is_ascii_class(p, C_BLANK) || p == '\n' || p == '(' || p == '[' ||
	       p == '"' || p == '\'' || p == '/' || p == ',';
}

int sh_tokenize(const char *text, size_t len, unsigned norm_flags, sh_tokens *out)
{
	out->n = 0;
	out->norm_len = 0;
	if (len > UINT32_MAX)
		return sh_error(SH_EINVAL, "sh_tokenize: text of %zu bytes exceeds the 4 GiB offset range", len);
	scan sc = {
		.s = (const unsigned char *)text, .len = len, .out = out,
		.fold_accents = (norm_flags & SH_NORM_FOLD_ACCENTS) != 0,
		.newlines = 0, .line_start = 1,
	};
	const unsigned char *s = sc.s;
	size_t i = 0;
	int rc;
	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp = c;
		int n = 1;
		unsigned k;
		if (c == ' ') { /* the common separator: no effect on the state */
			i++;
			continue;
		}
		if (c < 0x80) {
			k = ascii_class[c];
			if (c == '.' && leading_dot_term(&sc, i))
				k = C_WORD;
		} else {
			k = class_at(s, len, i, &cp, &n);
		}
		if (k & C_WORD) {
			if ((rc = scan_token(&sc, i, &i)) != SH_OK)
				return rc;
			continue;
		}
		separator(&sc, i, cp, k, n);
		i += (size_t)n;
	}
	mark_sentence_end(&sc);
	return SH_OK;
}

void sh_tokens_free(sh_tokens *t)
{
	if (!t)
		return;
	free(t->tok);
	free(t->norm);
	memset(t, 0, sizeof *t);
}

int sh_normalize(const char *text, size_t len, unsigned norm_flags, char **out)
{
	sh_tokens t = { 0 };
	*out = NULL;
	int rc = sh_tokenize(text, len, norm_flags, &t);
	if (rc == SH_OK) {
		/* The normal forms are already NUL-separated: turn the separators into spaces. */
		char *s = malloc(t.norm_len + 1);
		if (!s) {
			rc = sh_error(SH_ENOMEM, "sh_normalize: out of memory (%zu bytes)", t.norm_len + 1);
		} else {
			memcpy(s, t.norm ? t.norm : "", t.norm_len);
			for (size_t k = 0; k + 1 < t.norm_len; k++)
				if (s[k] == '\0')
					s[k] = ' ';
			s[t.norm_len ? t.norm_len - 1 : 0] = '\0';
			*out = s;
		}
	}
	sh_tokens_free(&t);
	return rc;
}
