/*
 * ads/ingest.h - job-ad ingestion internals (docs/ads.md): reading input
 * files, mapping their records to ad fields, and the ingest / reprocess
 * pipelines behind `skillhub ads`.
 *
 * Input (ad_input.c).  A file is plain, gzip or zstd compressed, detected by
 * its magic bytes, and read through one FILE * that yields decompressed bytes
 * (fopencookie), so every reader streams in constant memory.  Its format is
 * detected from the first byte of content: '{' = JSON lines, anything else =
 * CSV with a header.  A record is one non-blank line of JSON, or one CSV
 * record turned into a flat JSON object {"column": "value", ...} (header
 * order); either way the pipeline sees a raw JSON text and the line on which
 * it starts.
 *
 * Mapping (ad_mapping.c).  Each ad field (title, text, date, ...) has a list
 * of candidate paths into the record ("jobLocation.address.addressCountry":
 * dots walk into objects; a key holding a dot is matched first as a whole);
 * the first candidate present and not null gives the value.  The defaults
 * cover schema.org JobPosting, the EURES CSV and France Travail exports;
 * `--map field=path` replaces a field's list by one path.
 *
 * Pipeline (ad_pipeline.c).  The calling thread reads records into batches,
 * worker threads parse, map, clean, identify the language, extract skills and
 * compute dedup signatures, and one writer thread stores each batch in input
 * order in one transaction (ads, skills, errors, the file's resume point),
 * deciding duplicates as it goes.  At most SH_ADS_BATCHES batches exist at a
 * time: memory is bounded whatever the input size.
 */
#ifndef SH_ADS_INGEST_H
#define SH_ADS_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "core/buf.h"
#include "skillhub/ads.h"
#include "skillhub/index.h"
#include "skillhub/store.h"

/* ---- input files ---------------------------------------------------------------- */

typedef enum sh_ad_format { SH_AD_JSONL, SH_AD_CSV } sh_ad_format;

/* A JSON record longer than this is an error (and skipped), not a memory hazard. */
#define SH_AD_MAX_RECORD (16u << 20)

typedef struct sh_ad_reader sh_ad_reader;

/*
 * Opens path, detecting its compression (gzip 1f 8b, zstd 28 b5 2f fd, else
 * plain) and its format.  SH_ENOTFOUND / SH_EIO naming the path when it
 * cannot be read, SH_EFORMAT on a CSV file without a header.
 */
int  sh_ad_reader_open(sh_ad_reader **out, const char *path);
void sh_ad_reader_close(sh_ad_reader *r);
sh_ad_format sh_ad_reader_format(const sh_ad_reader *r);
/* "plain", "gzip" or "zstd". */
const char *sh_ad_reader_compression(const sh_ad_reader *r);

/*
 * Reads the next record: 1 = a record, 0 = end of input, < 0 = I/O or
 * decompression failure (message set; the file cannot be read further).
 * On 1, *line is the record's first line; raw receives the record's JSON
 * text (cleared first) unless it is malformed in a way the reader sees (a
 * CSV row with the wrong number of fields or invalid UTF-8, an over-long
 * line): then raw is empty and error holds the reason (without file:line).
 * A CSV quoting error that leaves the rest of the file unreadable is
 * returned as an error record, after which the reader reports the end.
 */
int  sh_ad_reader_next(sh_ad_reader *r, sh_buf *raw, size_t *line, sh_buf *error);

/* Hex sh_hash64 of the file's bytes (as stored, compressed or not). */
int  sh_ad_file_hash(const char *path, char hex[17]);

/* ---- field mapping ----------------------------------------------------------------- */

typedef enum sh_ad_field {
	SH_AD_TITLE, SH_AD_TEXT, SH_AD_DATE, SH_AD_COUNTRY, SH_AD_REGION, SH_AD_EMPLOYER,
	SH_AD_SECTOR, SH_AD_CONTRACT, SH_AD_SALARY, SH_AD_URL, SH_AD_SOURCE_ID,
	SH_AD_NFIELDS
} sh_ad_field;

/* "title", "text", ... */
const char *sh_ad_field_name(sh_ad_field f);

typedef struct sh_ad_mapping sh_ad_mapping;

/* A mapping with the default candidates of every field (docs/ads.md). */
int  sh_ad_mapping_new(sh_ad_mapping **out);
void sh_ad_mapping_free(sh_ad_mapping *m);
/*
 * Applies "field=path[,field=path...]" (where names the origin in messages,
 * e.g. "--map" or "map.txt:3"): each field named gets exactly that path.
 * SH_EINVAL naming the bad item on an unknown field or an empty path.
 */
int  sh_ad_mapping_set(sh_ad_mapping *m, const char *spec, const char *where);
/* Applies every non-blank, non-'#' line of path as sh_ad_mapping_set does. */
int  sh_ad_mapping_read_file(sh_ad_mapping *m, const char *path);
/* The mapping as a JSON object {"field": ["path", ...]} (the caller frees). */
char *sh_ad_mapping_to_json(const sh_ad_mapping *m);
/* Replaces m's lists by those of a sh_ad_mapping_to_json text (fields absent keep theirs). */
int  sh_ad_mapping_from_json(sh_ad_mapping *m, const char *json);

/* The mapped fields of one record: NUL-terminated copies, NULL when absent. */
typedef struct sh_ad_fields {
	char *v[SH_AD_NFIELDS];
} sh_ad_fields;

/*
 * Maps a record.  Strings are trimmed (empty = absent); numbers become text;
 * an array of strings or numbers is joined with ", ".  The date becomes
 * YYYY-MM-DD (sh_ad_date); the country is upper-cased when it is a
 * two-letter code.  SH_EFORMAT with a message naming the field and path on
 * a value of the wrong type (object, boolean, nested array), an unparseable
 * date, or a record with neither title nor text.  out is always
 * initialised; free it with sh_ad_fields_free.
 */
int  sh_ad_fields_map(const sh_ad_mapping *m, const json_t *record, sh_ad_fields *out);
void sh_ad_fields_free(sh_ad_fields *f);

/*
 * Normalises a date: "YYYY-MM-DD" optionally followed by a time
 * ("T10:50:17+0000", " 10:50"), or "DD/MM/YYYY", or "DD.MM.YYYY".  Writes
 * "YYYY-MM-DD" to out; SH_EFORMAT when s is none of those or not a real
 * calendar date.
 */
int  sh_ad_date(const char *s, char out[11]);

/* ---- pipeline ------------------------------------------------------------------------- */

#define SH_ADS_BATCHES 4 /* batches in flight: reading, processing, writing */
#define SH_ADS_DEFAULT_WINDOW 100000 /* see ad_pipeline.c: duplicate window */

typedef struct sh_ads_opts {
	const char          *source;   /* source name; NULL: from each file's name (docs/ads.md) */
	const sh_ad_mapping *mapping;  /* NULL: the source's stored mapping, else the defaults */
	size_t               jobs;     /* worker threads, >= 1 */
	size_t               batch;    /* records per transaction, >= 1 */
	uint64_t             limit;    /* stop after this many records read in this run; 0 = no limit */
	uint64_t             window;   /* duplicates: compare with at least the last window ads, >= 1 */
	int                  progress; /* progress lines on stderr */
	int                  all;      /* reprocess: every ad, not only those of an older generation */
} sh_ads_opts;

/* Counts of one run (ingest or reprocess). */
typedef struct sh_ads_counts {
	uint64_t files, files_skipped;  /* files read; files already complete (nothing to do) */
	uint64_t records;               /* records read (errors included) */
	uint64_t added, present;        /* new ads; records already stored (same source and hash) */
	uint64_t duplicates;            /* new ads that repeat an earlier ad */
	uint64_t errors;                /* malformed records */
	uint64_t unextracted;           /* ads whose language has no labels in the index: nothing extracted */
	uint64_t with_skills;           /* ads with at least one skill */
	size_t   nlang;
	struct { char lang[SH_LANG_CODE_MAX]; uint64_t n; } langs[64]; /* new ads by language, first seen first */
} sh_ads_counts;

/*
 * Ingests files into db with the compiled index idx (which must match db's
 * taxonomy generation).  Malformed records go to ad_error and stderr
 * ("file:line: reason") and never stop the run; the run fails only on I/O
 * or database errors.
 */
int sh_ads_ingest(sh_db *db, const sh_index *idx, const sh_ads_opts *opts, char **files, size_t nfiles,
                  sh_ads_counts *counts);

/* Re-runs cleaning, language identification and extraction over stored raw records. */
int sh_ads_reprocess(sh_db *db, const sh_index *idx, const sh_ads_opts *opts, sh_ads_counts *counts);

/* `ads stats`: counts as JSON (json = 1) or text, appended to out. */
int sh_ads_stats(sh_db *db, int json, sh_buf *out);

#endif
