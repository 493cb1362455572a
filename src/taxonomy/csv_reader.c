/*
 * taxonomy/csv_reader.c - streaming CSV records with their line numbers.
 *
 * libcsv reports fields and record ends through callbacks but not where they
 * are in the input.  To know the line on which each record starts, the reader
 * feeds libcsv one physical line at a time (a chunk is cut after every '\n'),
 * counting lines as it goes: a record starts on the first non-blank line fed
 * after the previous record ended.  Every record ends at a line end (or at end
 * of input), so a fed line completes at most one record; a second record end
 * inside one fed line can only come from a bare CR line end, which is
 * rejected.
 *
 * Fields of the current record are copied, NUL-terminated, into one growable
 * buffer; offs[i] is where field i starts.  The header is kept in a second
 * buffer of the same shape.  libcsv's default trimming of spaces around
 * unquoted fields is switched off: a field is returned byte for byte.
 */
#include "taxonomy/csv_reader.h"
#include "core/buf.h"
#include "core/error.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 64 * 1024 };

typedef struct fields {
	sh_buf  text;  /* field bytes, each followed by NUL */
	size_t *offs;  /* start of each field in text */
	size_t  n, cap;
} fields;

struct sh_csv {
	struct csv_parser parser;
	FILE   *f;
	int     owns_file;
	char   *name;
	char   *chunk;
	size_t  chunk_len, chunk_pos;
	int     eof;          /* the stream is exhausted and csv_fini has run */
	int     first_chunk;  /* the BOM check is pending */
	size_t  line;         /* line number of the next byte to feed */
	size_t  record_line;  /* line on which the record being built started */
	int     in_record;    /* bytes of a record have been fed since the last record end */
	int     complete;     /* cur holds a complete record */
	int     overrun;      /* a second record ended in one fed line (bare CR) */
	int     nomem;
	fields  cur, header;
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int fields_push(fields *fs, const void *p, size_t len)
{
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		size_t *o = realloc(fs->offs, cap * sizeof *o);
		if (!o)
			return SH_ENOMEM;
		fs->offs = o;
		fs->cap = cap;
	}
	fs->offs[fs->n] = fs->text.len;
	if (sh_buf_append(&fs->text, p ? p : "", p ? len : 0) || sh_buf_putc(&fs->text, '\0'))
		return SH_ENOMEM;
	fs->n++;
	return SH_OK;
}

static void fields_clear(fields *fs)
{
	sh_buf_clear(&fs->text);
	fs->n = 0;
}

static void fields_free(fields *fs)
{
	sh_buf_free(&fs->text);
	free(fs->offs);
}

static void on_field(void *p, size_t len, void *data)
{
	sh_csv *r = data;
	if (r->complete) {
		r->overrun = 1;
		return;
	}
	if (fields_push(&r->cur, p, len))
		r->nomem = 1;
}

static void on_record(int c, void *data)
{
	(void)c;
	sh_csv *r = data;
	if (r->complete)
		r->overrun = 1;
	r->complete = 1;
}

/* Length of the valid UTF-8 prefix of s (== len when all of s is valid). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf)      n = 1, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef) n = 2, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4) n = 3, min = 0x10000;
		else                             return i;
		if (len - i <= n)
			return i;
		unsigned cp = c & (0x3f >> n);
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return i;
}

/* Reads the next chunk (chunk_len = 0 at end of input), skipping a BOM at the start. */
static int fill_chunk(sh_csv *r)
{
	r->chunk_len = fread(r->chunk, 1, CHUNK, r->f);
	r->chunk_pos = 0;
	if (r->chunk_len == 0 && ferror(r->f))
		return sh_error(SH_EIO, "%s: read error: %s", r->name, strerror(errno));
	if (r->first_chunk) {
		r->first_chunk = 0;
		if (r->chunk_len >= 3 && memcmp(r->chunk, "\xef\xbb\xbf", 3) == 0)
			r->chunk_pos = 3;
	}
	return SH_OK;
}

static int parse_error(sh_csv *r, size_t line)
{
	if (r->nomem)
		return sh_error(SH_ENOMEM, "%s:%zu: out of memory", r->name, line);
	if (r->overrun)
		return sh_error(SH_EFORMAT, "%s:%zu: bare CR line end (only LF and CRLF are supported)",
		                r->name, line);
	return sh_error(SH_EFORMAT, "%s:%zu: malformed quoted field (%s)", r->name, line,
	                csv_strerror(csv_error(&r->parser)));
}

/* Feeds input to libcsv until a record is complete (1) or the input ends (0). */
static int feed_until_record(sh_csv *r)
{
	while (!r->complete) {
		if (r->eof)
			return 0;
		if (r->chunk_pos == r->chunk_len) {
			int rc = fill_chunk(r);
			if (rc)
				return rc;
			if (r->chunk_len == 0) {
				r->eof = 1;
				if (csv_fini(&r->parser, on_field, on_record, r) != 0)
					return sh_error(SH_EFORMAT, "%s:%zu: unterminated quoted field at end of file "
					                "(truncated file?)", r->name, r->record_line);
				if (r->nomem || r->overrun)
					return parse_error(r, r->record_line);
				continue;
			}
		}
		const char *seg = r->chunk + r->chunk_pos;
		size_t avail = r->chunk_len - r->chunk_pos;
		const char *nl = memchr(seg, '\n', avail);
		size_t len = nl ? (size_t)(nl - seg) + 1 : avail;
		if (!r->in_record && !(len == 1 && nl) && !(len == 2 && nl && seg[0] == '\r')) {
			r->in_record = 1;
			r->record_line = r->line;
		}
		size_t done = csv_parse(&r->parser, seg, len, on_field, on_record, r);
		if (done != len || r->nomem || r->overrun)
			return parse_error(r, r->line);
		r->chunk_pos += len;
		if (nl)
			r->line++;
	}
	return 1;
}

static int check_record(sh_csv *r)
{
	for (size_t i = 0; i < r->cur.n; i++) {
		const char *f = r->cur.text.data + r->cur.offs[i];
		size_t len = (i + 1 < r->cur.n ? r->cur.offs[i + 1] : r->cur.text.len) - r->cur.offs[i] - 1;
		size_t ok = utf8_valid_prefix((const unsigned char *)f, len);
		if (ok != len) {
			const char *col = !r->header.n ? "header"
			                : i < r->header.n ? sh_csv_col_name(r, i) : "beyond the header";
			return sh_error(SH_EFORMAT, "%s:%zu: invalid UTF-8 in column %zu (%s) at byte %zu",
			                r->name, r->record_line, i + 1, col, ok);
		}
	}
	if (r->header.n && r->cur.n != r->header.n)
		return sh_error(SH_EFORMAT, "%s:%zu: %zu fields, but the header has %zu",
		                r->name, r->record_line, r->cur.n, r->header.n);
	return SH_OK;
}

int sh_csv_next(sh_csv *r)
{
	fields_clear(&r->cur);
	r->complete = 0;
	r->in_record = 0;
	int rc = feed_until_record(r);
	if (rc <= 0)
		return rc;
	rc = check_record(r);
	return rc ? rc : 1;
}

static int read_header(sh_csv *r)
{
	int rc = sh_csv_next(r);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return sh_error(SH_EFORMAT, "%s:1: empty file (no header)", r->name);
	fields tmp = r->header;
	r->header = r->cur;
	r->cur = tmp;
	fields_clear(&r->cur);
	return SH_OK;
}

int sh_csv_open_stream(sh_csv **out, FILE *f, const char *name)
{
	*out = NULL;
	sh_csv *r = calloc(1, sizeof *r);
	if (!r)
		return sh_error(SH_ENOMEM, "out of memory");
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0 ||
	    !(r->name = strdup(name)) || !(r->chunk = malloc(CHUNK))) {
		sh_csv_close(r);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	csv_set_space_func(&r->parser, no_space);
	r->f = f;
	r->first_chunk = 1;
	r->line = 1;
	int rc = read_header(r);
	if (rc) {
		sh_csv_close(r);
		return rc;
	}
	*out = r;
	return SH_OK;
}

int sh_csv_open(sh_csv **out, const char *path)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return sh_error(errno == ENOENT ? SH_ENOTFOUND : SH_EIO, "%s: %s", path, strerror(errno));
	int rc = sh_csv_open_stream(out, f, path);
	if (rc) {
		fclose(f);
		return rc;
	}
	(*out)->owns_file = 1;
	return SH_OK;
}

void sh_csv_close(sh_csv *r)
{
	if (!r)
		return;
	csv_free(&r->parser);
	if (r->owns_file)
		fclose(r->f);
	fields_free(&r->cur);
	fields_free(&r->header);
	free(r->chunk);
	free(r->name);
	free(r);
}

int sh_csv_col(const sh_csv *r, const char *name)
{
	for (size_t i = 0; i < r->header.n; i++)
		if (strcmp(r->header.text.data + r->header.offs[i], name) == 0)
			return (int)i;
	return -1;
}

size_t sh_csv_ncols(const sh_csv *r)
{
	return r->header.n;
}

const char *sh_csv_col_name(const sh_csv *r, size_t col)
{
	return col < r->header.n ? r->header.text.data + r->header.offs[col] : "";
}

const char *sh_csv_field(const sh_csv *r, int col)
{
	if (col < 0 || (size_t)col >= r->cur.n)
		return "";
	return r->cur.text.data + r->cur.offs[col];
}

size_t sh_csv_field_len(const sh_csv *r, int col)
{
	if (col < 0 || (size_t)col >= r->cur.n)
		return 0;
	size_t end = (size_t)col + 1 < r->cur.n ? r->cur.offs[col + 1] : r->cur.text.len;
	return end - r->cur.offs[col] - 1;
}

size_t sh_csv_line(const sh_csv *r)
{
	return r->record_line;
}

const char *sh_csv_name(const sh_csv *r)
{
	return r->name;
}
