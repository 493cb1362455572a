/*
 * taxonomy/csv_reader.h - a streaming RFC 4180 CSV reader with line numbers.
 *
 * The reader wraps libcsv in strict mode and reads its input in 64 KiB
 * chunks, so a file of any size is read in constant memory (plus the largest
 * record).  The first record is the header: sh_csv_col() maps a column name to
 * its index.  sh_csv_next() then yields one record at a time together with the
 * physical line on which it starts (quoted fields may span lines).
 *
 * Accepted: an optional UTF-8 byte-order mark, LF or CRLF line ends, blank
 * lines between records (skipped), quoted fields with embedded commas, quotes
 * and newlines.  Rejected with "file:line: what" and SH_EFORMAT: an empty file,
 * a malformed quoted field, an unterminated quoted field at end of file (a
 * truncated download), a record whose field count differs from the header's,
 * a field that is not valid UTF-8 (the message names the column).
 */
#ifndef SH_TAXONOMY_CSV_READER_H
#define SH_TAXONOMY_CSV_READER_H

#include <stddef.h>
#include <stdio.h>

typedef struct sh_csv sh_csv;

/* Opens path and reads its header.  The name in messages is path. */
int sh_csv_open(sh_csv **out, const char *path);
/* Reads from an open stream (not closed by the reader); name is used in messages. */
int sh_csv_open_stream(sh_csv **out, FILE *f, const char *name);
void sh_csv_close(sh_csv *r);

/* Reads the next record: 1 = a record, 0 = end of input, < 0 = error. */
int sh_csv_next(sh_csv *r);

/* Index of the header column called name, or -1. */
int sh_csv_col(const sh_csv *r, const char *name);
size_t sh_csv_ncols(const sh_csv *r);
/* Name of column col of the header. */
const char *sh_csv_col_name(const sh_csv *r, size_t col);

/* Field col of the current record (NUL-terminated, borrowed until the next
 * sh_csv_next); "" when col is negative. */
const char *sh_csv_field(const sh_csv *r, int col);
size_t sh_csv_field_len(const sh_csv *r, int col);

/* Physical line (1-based) on which the current record starts. */
size_t sh_csv_line(const sh_csv *r);
/* The name given at open time. */
const char *sh_csv_name(const sh_csv *r);

#endif
