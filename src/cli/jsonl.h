/*
 * cli/jsonl.h - line-by-line batch processing for `extract` and `titles`:
 * read JSON-object or plain-text lines, process them on N threads, write one
 * JSON line per input line in input order.
 *
 * Input line forms:
 *   - a JSON object {"id": ..., "text": "...", ...}: the text is processed,
 *     the output carries "id" and every other field except "text";
 *   - anything else (a line not starting with '{'): plain text, processed as
 *     it is; the output's "id" is the line number in its file;
 *   - a line starting with '{' that is not a valid JSON object with a string
 *     "text": an error "FILE:LINE: ..." on stderr and the output line
 *     {"line": LINE, "error": "..."} (with "id" when it could be read), so the
 *     output stays aligned with the input; the run then ends with status 1.
 * Memory is bounded: lines are read in batches of CLI_BATCH_LINES, processed
 * by the workers (an atomic counter hands out lines), then written in order;
 * the reading and writing of the batches around one overlap its processing.
 * Progress goes to stderr when stderr is a terminal.
 */
#ifndef SH_CLI_JSONL_H
#define SH_CLI_JSONL_H

#include <stddef.h>

#include "core/buf.h"
#include "skillhub/extract.h"
#include "skillhub/index.h"

#define CLI_BATCH_LINES 256
#define CLI_MAX_JOBS    256   /* more jobs are run as this many */

/*
 * Processes one text with the worker's state and appends the result fields
 * to out (e.g. `"skills":[...]`, without braces).  Returns SH_OK, or a
 * negative status with the message set (the line then becomes an error line).
 */
typedef int (*cli_line_fn)(void *worker, const char *text, size_t len, sh_buf *out);

typedef struct cli_stream {
	const char  *cmd;      /* for messages */
	size_t       jobs;     /* worker threads, >= 1 */
	void       **workers;  /* jobs states, one per thread */
	cli_line_fn  fn;
} cli_stream;

/* Runs over files (or stdin when nfiles is 0; "-" is stdin).  Returns the exit status. */
int cli_stream_run(const cli_stream *s, char **files, int nfiles);

/* The state of one worker thread of `extract` and `titles`. */
typedef struct cli_extract_worker {
	const sh_index  *idx;
	sh_extractor    *x;
	sh_extract_opts  opts;
} cli_extract_worker;

struct sh_cli;
/*
 * Opens the index of cli's database, one extractor per job, and streams the
 * files through fn (whose state is a cli_extract_worker).  Returns the exit status.
 */
int cli_run_extractors(const struct sh_cli *cli, const char *cmd, size_t jobs, const sh_extract_opts *opts,
                       cli_line_fn fn, char **files, int nfiles);

/* The default --jobs: the number of online cores (at most CLI_MAX_JOBS). */
size_t cli_default_jobs(void);

#endif
