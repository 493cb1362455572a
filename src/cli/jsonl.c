/*
 * cli/jsonl.c - batched, ordered, multi-threaded line processing (jsonl.h).
 *
 * A batch is an array of line slots; each slot owns the line read, then the
 * output line.  Workers take slot indexes from an atomic counter, so a slow
 * line does not hold the others.  Two batches alternate: while jobs - 1
 * threads start on one, the main thread writes the other (processed before)
 * in order, reads the next lines into it, then works on the first batch too
 * and joins the threads.  So I/O overlaps the work and at most two batches
 * are in memory.  JSON parsing happens in the workers too (it is part of the
 * per-line cost; match/extract_input.h).
 */
#include "cli/jsonl.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "match/extract_input.h"
#include "skillhub/common.h"

typedef struct slot {
	char   *line;
	size_t  len;
	size_t  cap;      /* getline's allocation */
	size_t  lineno;
	sh_buf  out;
	char   *error;    /* message for stderr, or NULL */
} slot;

typedef struct batch {
	const cli_stream *s;
	const char       *name;
	slot             *slots;
	size_t            n;
	atomic_size_t     next;
} batch;

typedef struct worker_arg {
	batch    *b;
	void     *state;
	sh_input  in;
} worker_arg;

size_t cli_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n <= 0 ? 1 : n > CLI_MAX_JOBS ? CLI_MAX_JOBS : (size_t)n;
}

/* Writes an error line and keeps the message for stderr. */
static void fail_line(slot *sl, const char *name, const char *id, const char *msg)
{
	sh_buf_clear(&sl->out);
	sh_buf_puts(&sl->out, "{");
	if (id) {
		sh_buf_puts(&sl->out, "\"id\":");
		sh_buf_puts(&sl->out, id);
		sh_buf_puts(&sl->out, ",");
	}
	sh_buf_printf(&sl->out, "\"line\":%zu,\"error\":\"", sl->lineno);
	sh_buf_json_escape(&sl->out, msg, strlen(msg));
	sh_buf_puts(&sl->out, "\"}");
	size_t n = strlen(name) + strlen(msg) + 32;
	sl->error = malloc(n);
	if (sl->error)
		snprintf(sl->error, n, "%s:%zu: %s", name, sl->lineno, msg);
}

static int is_json_line(const char *p, size_t len)
{
	size_t i = 0;
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i < len && p[i] == '{';
}

static void process(const batch *b, slot *sl, void *state, sh_input *in)
{
	const cli_stream *s = b->s;
	if (!is_json_line(sl->line, sl->len)) {
		sh_buf_printf(&sl->out, "{\"id\":%zu,", sl->lineno);
		if (s->fn(state, sl->line, sl->len, &sl->out) < 0)
			fail_line(sl, b->name, NULL, sh_errmsg());
		else
			sh_buf_putc(&sl->out, '}');
		return;
	}
	if (sh_input_read(in, &sl->out, sl->line, sl->len, sl->lineno, SH_INPUT_FAST) < 0 ||
	    s->fn(state, in->text, in->text_len, &sl->out) < 0)
		fail_line(sl, b->name, in->id.len ? in->id.data : NULL, sh_errmsg());
	else
		sh_buf_putc(&sl->out, '}');
}

static void *work(void *p)
{
	worker_arg *a = p;
	batch *b = a->b;
	size_t i;
	while ((i = atomic_fetch_add(&b->next, 1)) < b->n)
		process(b, &b->slots[i], a->state, &a->in);
	return NULL;
}

/* The threads working on one batch besides the calling thread. */
typedef struct crew {
	pthread_t  th[CLI_MAX_JOBS];
	worker_arg args[CLI_MAX_JOBS];
	size_t     started;   /* threads args[1..started] run */
} crew;

/* Starts workers 1..jobs-1 on b (the caller is worker 0, see finish_batch). */
static void start_batch(batch *b, crew *c)
{
	const cli_stream *s = b->s;
	size_t jobs = s->jobs < b->n ? s->jobs : b->n;
	if (jobs > CLI_MAX_JOBS)
		jobs = CLI_MAX_JOBS;
	atomic_store(&b->next, 0);
	c->started = 0;
	for (size_t j = 1; j < jobs; j++) {
		c->args[j] = (worker_arg){ b, s->workers[j], SH_INPUT_INIT };
		if (pthread_create(&c->th[j], NULL, work, &c->args[j]) != 0)
			break;
		c->started = j;
	}
}

/* Works on b on this thread too until every slot is done, then joins the workers. */
static void finish_batch(batch *b, crew *c)
{
	c->args[0] = (worker_arg){ b, b->s->workers[0], SH_INPUT_INIT };
	work(&c->args[0]);
	for (size_t j = 1; j <= c->started; j++)
		pthread_join(c->th[j], NULL);
	for (size_t j = 0; j <= c->started; j++)
		sh_input_free(&c->args[j].in);
}

/* Writes the batch in order; returns the number of error lines. */
static size_t write_batch(batch *b)
{
	size_t errors = 0;
	for (size_t i = 0; i < b->n; i++) {
		slot *sl = &b->slots[i];
		if (sl->error) {
			fprintf(stderr, "skillhub %s: %s\n", b->s->cmd, sl->error);
			errors++;
		}
		fwrite(sl->out.data, 1, sl->out.len, stdout);
		fputc('\n', stdout);
		sh_buf_clear(&sl->out);
		free(sl->error);
		sl->error = NULL;
	}
	return errors;
}

/* Reads up to CLI_BATCH_LINES lines into b; returns 0, or -1 with errno set on a read error. */
static int read_batch(batch *b, FILE *f, size_t *lineno)
{
	b->n = 0;
	while (b->n < CLI_BATCH_LINES) {
		slot *sl = &b->slots[b->n];
		ssize_t n = getline(&sl->line, &sl->cap, f);
		if (n < 0)
			break;
		while (n > 0 && (sl->line[n - 1] == '\n' || sl->line[n - 1] == '\r'))
			n--;
		sl->line[n] = '\0';
		sl->len = (size_t)n;
		sl->lineno = ++*lineno;
		b->n++;
	}
	if (!ferror(f))
		return 0;
	if (!errno)
		errno = EIO;
	return -1;
}

/*
 * Two batches alternate: while the workers process one, this thread writes
 * the other (done before) and reads the next lines into it, then joins the
 * work.  slots holds 2 * CLI_BATCH_LINES slots.
 */
static int run_file(const cli_stream *s, FILE *f, const char *name, slot *slots, size_t *errors, size_t *total)
{
	batch b[2] = { { .s = s, .name = name, .slots = slots }, { .s = s, .name = name, .slots = slots + CLI_BATCH_LINES } };
	crew c;
	size_t lineno = 0, cur = 0;
	int progress = isatty(STDERR_FILENO);
	int read_errno = read_batch(&b[0], f, &lineno) < 0 ? errno : 0;
	while (b[cur].n > 0 && !read_errno) {
		batch *now = &b[cur], *done = &b[cur ^ 1];
		start_batch(now, &c);
		*errors += write_batch(done);
		if (read_batch(done, f, &lineno) < 0)
			read_errno = errno;
		finish_batch(now, &c);
		*total += now->n;
		if (progress && *total % (64 * CLI_BATCH_LINES) == 0)
			fprintf(stderr, "\r%s: %zu lines", s->cmd, *total);
		if (ferror(stdout))
			return cli_fail("writing the output: %s", strerror(errno));
		cur ^= 1;
	}
	if (read_errno)
		return cli_fail("%s: read error: %s", name, strerror(read_errno));
	*errors += write_batch(&b[cur ^ 1]);
	return SH_EXIT_OK;
}

int cli_stream_run(const cli_stream *s, char **files, int nfiles)
{
	slot *slots = calloc(2 * CLI_BATCH_LINES, sizeof *slots);
	if (!slots)
		return cli_fail("out of memory");
	size_t errors = 0, total = 0;
	int rc = SH_EXIT_OK;
	for (int i = 0; rc == SH_EXIT_OK && i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? files[i] : "-";
		int is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "r");
		if (!f) {
			rc = cli_fail("%s: %s", path, strerror(errno));
			break;
		}
		rc = run_file(s, f, is_stdin ? "stdin" : path, slots, &errors, &total);
		if (!is_stdin)
			fclose(f);
	}
	if (isatty(STDERR_FILENO) && total >= 64 * CLI_BATCH_LINES)
		fprintf(stderr, "\r%s: %zu lines\n", s->cmd, total);
	for (size_t i = 0; i < 2 * CLI_BATCH_LINES; i++) {
		free(slots[i].line);
		sh_buf_free(&slots[i].out);
		free(slots[i].error);
	}
	free(slots);
	if (fflush(stdout) != 0 && rc == SH_EXIT_OK)
		rc = cli_fail("writing the output: %s", strerror(errno));
	if (rc == SH_EXIT_OK && errors)
		rc = cli_fail("%zu line%s could not be processed (see above)", errors, errors == 1 ? "" : "s");
	return rc;
}

int cli_run_extractors(const sh_cli *cli, const char *cmd, size_t jobs, const sh_extract_opts *opts,
                       cli_line_fn fn, char **files, int nfiles)
{
	sh_db *db;
	sh_index *idx;
	int rc = cli_open_index(cli, &db, &idx);
	if (rc)
		return rc;
	cli_extract_worker *workers = calloc(jobs, sizeof *workers);
	void **states = calloc(jobs, sizeof *states);
	rc = workers && states ? SH_EXIT_OK : cli_fail("out of memory");
	for (size_t j = 0; rc == SH_EXIT_OK && j < jobs; j++) {
		workers[j] = (cli_extract_worker){ idx, NULL, *opts };
		states[j] = &workers[j];
		if (sh_extractor_new(&workers[j].x, idx) < 0)
			rc = cli_lib_fail();
	}
	if (rc == SH_EXIT_OK) {
		cli_stream s = { cmd, jobs, states, fn };
		rc = cli_stream_run(&s, files, nfiles);
	}
	for (size_t j = 0; workers && j < jobs; j++)
		sh_extractor_free(workers[j].x);
	free(workers);
	free(states);
	sh_index_close(idx);
	sh_db_close(db);
	return rc;
}
