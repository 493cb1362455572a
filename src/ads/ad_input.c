/*
 * ads/ad_input.c - input files of `ads ingest`: decompression, format
 * detection, records (ingest.h).
 *
 * The file is opened once; its first bytes pick the decoder (zlib's gzread
 * for gzip, a ZSTD_DStream for zstd, plain fread otherwise), and the decoder
 * is wrapped in a FILE * with fopencookie so that the CSV reader of the
 * taxonomy importer and getline() both read decompressed bytes.  The format
 * is then sniffed from the first decompressed byte that is not a byte-order
 * mark or a blank (peeked through the stdio buffer and pushed back).
 *
 * CSV errors.  sh_csv_next() consumes a record whose field count or UTF-8 is
 * wrong and carries on after it, but a quoting error leaves libcsv stuck on
 * the same input: it then reports the same error again.  An error message
 * equal to the previous one is therefore taken as unrecoverable and ends the
 * file (the error record was already returned).
 */
#include "ads/ingest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/hash.h"
#include "taxonomy/csv_reader.h"

enum { COMP_PLAIN, COMP_GZIP, COMP_ZSTD };

typedef struct decoder {
	FILE          *raw;     /* the file itself */
	gzFile         gz;
	ZSTD_DStream  *zs;
	ZSTD_inBuffer  in;
	void          *inbuf;
	size_t         inbuf_size;
	size_t         pending; /* zstd: non-zero while a frame is incomplete */
	int            eof;
	int            failed;
} decoder;

struct sh_ad_reader {
	char         *path;
	int           compression;
	sh_ad_format  format;
	decoder       dec;
	FILE         *f;        /* decompressed stream (cookie) */
	sh_csv       *csv;
	char         *line;     /* JSONL: getline buffer */
	size_t        line_cap;
	size_t        lineno;   /* JSONL: lines read */
	char         *last_error; /* CSV: message of the previous error, NULL = none */
	int           done;     /* CSV: unrecoverable error reported */
};

static ssize_t zstd_read(decoder *d, char *out, size_t size)
{
	ZSTD_outBuffer ob = { out, size, 0 };
	while (ob.pos == 0) {
		if (d->in.pos == d->in.size) {
			if (d->eof)
				return 0;
			d->in.size = fread(d->inbuf, 1, d->inbuf_size, d->raw);
			d->in.pos = 0;
			if (d->in.size == 0) {
				d->eof = 1;
				if (ferror(d->raw))
					return -1;
				if (d->pending) { /* the file ends inside a frame: truncated */
					d->failed = 1;
					errno = EILSEQ;
					return -1;
				}
				continue;
			}
		}
		size_t rc = ZSTD_decompressStream(d->zs, &ob, &d->in);
		if (ZSTD_isError(rc)) {
			d->failed = 1;
			errno = EILSEQ;
			return -1;
		}
		d->pending = rc;
	}
	return (ssize_t)ob.pos;
}

static ssize_t cookie_read(void *cookie, char *out, size_t size)
{
	decoder *d = cookie;
	if (d->gz) {
		int n = gzread(d->gz, out, size > (1u << 30) ? 1u << 30 : (unsigned)size), err = Z_OK;
		if (n == 0)
			gzerror(d->gz, &err); /* Z_BUF_ERROR: truncated; Z_DATA_ERROR: corrupt */
		if (n < 0 || err != Z_OK) {
			d->failed = 1;
			errno = EILSEQ;
			return -1;
		}
		return n;
	}
	if (d->zs)
		return zstd_read(d, out, size);
	size_t n = fread(out, 1, size, d->raw);
	return n == 0 && ferror(d->raw) ? -1 : (ssize_t)n;
}

static int cookie_close(void *cookie)
{
	decoder *d = cookie;
	if (d->gz)
		gzclose_r(d->gz); /* closes the descriptor of raw too */
	else if (d->raw)
		fclose(d->raw);
	ZSTD_freeDStream(d->zs);
	free(d->inbuf);
	return 0;
}

static int open_decoder(sh_ad_reader *r)
{
	decoder *d = &r->dec;
	if (!(d->raw = fopen(r->path, "rb")))
		return sh_error(errno == ENOENT ? SH_ENOTFOUND : SH_EIO, "%s: %s", r->path, strerror(errno));
	unsigned char magic[4] = { 0 };
	size_t n = fread(magic, 1, sizeof magic, d->raw);
	rewind(d->raw);
	if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		r->compression = COMP_GZIP;
		int fd = dup(fileno(d->raw));
		if (fd < 0 || !(d->gz = gzdopen(fd, "rb"))) {
			if (fd >= 0)
				close(fd);
			return sh_error(SH_EIO, "%s: cannot open the gzip stream", r->path);
		}
		fclose(d->raw);
		d->raw = NULL;
		gzbuffer(d->gz, 256 * 1024);
	} else if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
		r->compression = COMP_ZSTD;
		d->inbuf_size = ZSTD_DStreamInSize();
		if (!(d->zs = ZSTD_createDStream()) || !(d->inbuf = malloc(d->inbuf_size)))
			return sh_error(SH_ENOMEM, "out of memory");
		ZSTD_initDStream(d->zs);
		d->in = (ZSTD_inBuffer){ d->inbuf, 0, 0 };
	}
	cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
	if (!(r->f = fopencookie(d, "r", io)))
		return sh_error(SH_ENOMEM, "out of memory");
	return SH_OK;
}

/* Peeks at the first content byte: '{' means JSON lines. */
static sh_ad_format sniff_format(FILE *f)
{
	unsigned char head[64];
	size_t n = 0;
	int c = EOF;
	while (n < sizeof head && (c = getc(f)) != EOF) {
		head[n++] = (unsigned char)c;
		if (!(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c >= 0x80))
			break; /* BOM bytes are >= 0x80 */
	}
	/* an empty (or blank) file is JSON lines without any record, not a CSV file without a header */
	sh_ad_format fmt = n == 0 || head[n - 1] == '{' || c == EOF ? SH_AD_JSONL : SH_AD_CSV;
	/* Push back: glibc's cookie streams accept as many ungetc as were read from the buffer. */
	while (n > 0)
		ungetc(head[--n], f);
	return fmt;
}

int sh_ad_reader_open(sh_ad_reader **out, const char *path)
{
	*out = NULL;
	sh_ad_reader *r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	int rc = open_decoder(r);
	if (rc == SH_OK) {
		r->format = sniff_format(r->f);
		if (ferror(r->f))
			rc = sh_error(SH_EFORMAT, "%s: cannot decompress (%s data is corrupt)", path,
			              r->compression == COMP_GZIP ? "gzip" : "zstd");
	}
	if (rc == SH_OK && r->format == SH_AD_CSV)
		rc = sh_csv_open_stream(&r->csv, r->f, path);
	if (rc) {
		sh_ad_reader_close(r);
		return rc;
	}
	*out = r;
	return SH_OK;
}

void sh_ad_reader_close(sh_ad_reader *r)
{
	if (!r)
		return;
	sh_csv_close(r->csv);
	if (r->f)
		fclose(r->f);
	else
		cookie_close(&r->dec);
	free(r->line);
	free(r->last_error);
	free(r->path);
	free(r);
}

sh_ad_format sh_ad_reader_format(const sh_ad_reader *r)
{
	return r->format;
}

const char *sh_ad_reader_compression(const sh_ad_reader *r)
{
	return r->compression == COMP_GZIP ? "gzip" : r->compression == COMP_ZSTD ? "zstd" : "plain";
}

static int read_failure(sh_ad_reader *r)
{
	if (r->dec.failed && r->format == SH_AD_JSONL)
		return sh_error(SH_EFORMAT, "%s: corrupt %s data after line %zu", r->path,
		                r->compression == COMP_GZIP ? "gzip" : "zstd", r->lineno);
	if (r->dec.failed)
		return sh_error(SH_EFORMAT, "%s: corrupt %s data", r->path, r->compression == COMP_GZIP ? "gzip" : "zstd");
	return sh_error(SH_EIO, "%s: read error: %s", r->path, strerror(errno));
}

static int next_jsonl(sh_ad_reader *r, sh_buf *raw, size_t *line, sh_buf *error)
{
	for (;;) {
		ssize_t n = getline(&r->line, &r->line_cap, r->f);
		if (n < 0)
			return ferror(r->f) ? read_failure(r) : 0;
		r->lineno++;
		const char *p = r->line;
		size_t len = (size_t)n;
		while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		while (len > 0 && (*p == ' ' || *p == '\t'))
			p++, len--;
		if (len == 0)
			continue;
		*line = r->lineno;
		if (len > SH_AD_MAX_RECORD)
			return sh_buf_printf(error, "record of %zu bytes exceeds the limit of %u", len,
			                     SH_AD_MAX_RECORD) < 0 ? SH_ENOMEM : 1;
		return sh_buf_append(raw, p, len) < 0 ? SH_ENOMEM : 1;
	}
}

/* Drops the "file:line: " prefix of a CSV reader message. */
static const char *csv_reason(const char *msg, const char *path)
{
	size_t n = strlen(path);
	if (strncmp(msg, path, n) == 0 && msg[n] == ':') {
		const char *p = msg + n + 1;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p[0] == ':' && p[1] == ' ')
			return p + 2;
	}
	return msg;
}

static int next_csv(sh_ad_reader *r, sh_buf *raw, size_t *line, sh_buf *error)
{
	if (r->done)
		return 0;
	int rc = sh_csv_next(r->csv);
	if (rc == 0)
		return 0;
	*line = sh_csv_line(r->csv);
	if (rc < 0) {
		if (rc != SH_EFORMAT)
			return r->dec.failed ? read_failure(r) : rc;
		if (r->last_error && strcmp(r->last_error, sh_errmsg()) == 0) {
			r->done = 1; /* libcsv is stuck: the previous error was a quoting error */
			return 0;
		}
		free(r->last_error);
		if (!(r->last_error = strdup(sh_errmsg())))
			return sh_error(SH_ENOMEM, "out of memory");
		return sh_buf_puts(error, csv_reason(sh_errmsg(), r->path)) < 0 ? SH_ENOMEM : 1;
	}
	sh_buf_putc(raw, '{');
	for (size_t i = 0; i < sh_csv_ncols(r->csv); i++) {
		const char *name = sh_csv_col_name(r->csv, i);
		sh_buf_puts(raw, i ? ",\"" : "\"");
		sh_buf_json_escape(raw, name, strlen(name));
		sh_buf_puts(raw, "\":\"");
		sh_buf_json_escape(raw, sh_csv_field(r->csv, (int)i), sh_csv_field_len(r->csv, (int)i));
		sh_buf_putc(raw, '"');
	}
	return sh_buf_putc(raw, '}') < 0 ? SH_ENOMEM : 1;
}

int sh_ad_reader_next(sh_ad_reader *r, sh_buf *raw, size_t *line, sh_buf *error)
{
	sh_buf_clear(raw);
	sh_buf_clear(error);
	return r->format == SH_AD_JSONL ? next_jsonl(r, raw, line, error) : next_csv(r, raw, line, error);
}

int sh_ad_file_hash(const char *path, char hex[17])
{
	struct stat st;
	if (stat(path, &st) == 0 && st.st_size == 0) { /* sh_map_file refuses empty files */
		snprintf(hex, 17, "%016llx", (unsigned long long)sh_hash64("", 0));
		return SH_OK;
	}
	sh_map m;
	int rc = sh_map_file(&m, path);
	if (rc)
		return rc;
	snprintf(hex, 17, "%016llx", (unsigned long long)sh_hash64(m.data, m.size));
	sh_unmap(&m);
	return SH_OK;
}
