/*
 * cli/jsonl.c - batched, ordered, multi-threaded line processing (jsonl.h).
 *
 * A batch is an array of line slots; each slot owns the line read, then the
 * output line.  Workers take slot indexes from an atomic counter, so a slow
 * line does not hold the others; the main thread joins them and writes the
 * batch in order before reading the next one.  JSON parsing happens in the
 * workers too (it is part of the per-line cost).
 */
#include "cli/jsonl.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/error.h"
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
	batch *b;
	void  *state;
} worker_arg;

int cli_put_occupations(sh_buf *out, const sh_index *idx, const char *lang,
                        const sh_occupation_hit *hits, size_t n)
{
	int rc = sh_buf_puts(out, "\"occupations\":[");
	for (size_t i = 0; rc == SH_OK && i < n; i++)
		if ((rc = cli_put_concept(out, idx, lang, hits[i].concept, hits[i].score, i > 0)) == SH_OK)
			rc = sh_buf_putc(out, '}');
	return rc < 0 ? rc : sh_buf_putc(out, ']');
}

int cli_put_concept(sh_buf *out, const sh_index *idx, const char *lang, sh_cid c, float score, int comma)
{
	const char *uri = sh_concept_uri(idx, c), *label = sh_concept_label(idx, c, lang);
	sh_buf_puts(out, comma ? ",{\"uri\":\"" : "{\"uri\":\"");
	sh_buf_json_escape(out, uri, strlen(uri));
	sh_buf_puts(out, "\",\"label\":\"");
	sh_buf_json_escape(out, label, strlen(label));
	return sh_buf_printf(out, "\",\"score\":%.4f", score);
}

size_t cli_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

static int put_json(sh_buf *out, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		return SH_ENOMEM;
	int rc = sh_buf_puts(out, s);
	free(s);
	return rc;
}

/* Writes an error line and keeps the message for stderr. */
static void fail_line(slot *sl, const char *name, const json_t *id, const char *msg)
{
	sh_buf_clear(&sl->out);
	sh_buf_puts(&sl->out, "{");
	if (id) {
		sh_buf_puts(&sl->out, "\"id\":");
		put_json(&sl->out, id);
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

static void process(const batch *b, slot *sl, void *state)
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
	json_error_t jerr;
	json_t *obj = json_loadb(sl->line, sl->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj || !json_is_object(obj)) {
		char msg[256];
		snprintf(msg, sizeof msg, "malformed JSON at column %d: %s", jerr.column, jerr.text);
		fail_line(sl, b->name, NULL, obj ? "not a JSON object" : msg);
		json_decref(obj);
		return;
	}
	const json_t *id = json_object_get(obj, "id");
	const json_t *text = json_object_get(obj, "text");
	if (!json_is_string(text)) {
		fail_line(sl, b->name, id, text ? "field \"text\" is not a string" : "missing field \"text\"");
		json_decref(obj);
		return;
	}
	sh_buf_puts(&sl->out, "{\"id\":");
	if (id)
		put_json(&sl->out, id);
	else
		sh_buf_printf(&sl->out, "%zu", sl->lineno);
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value) {
		if (strcmp(key, "id") == 0 || strcmp(key, "text") == 0)
			continue;
		sh_buf_putc(&sl->out, ',');
		sh_buf_putc(&sl->out, '"');
		sh_buf_json_escape(&sl->out, key, strlen(key));
		sh_buf_puts(&sl->out, "\":");
		put_json(&sl->out, value);
	}
	sh_buf_putc(&sl->out, ',');
	if (s->fn(state, json_string_value(text), json_string_length(text), &sl->out) < 0)
		fail_line(sl, b->name, id, sh_errmsg());
	else
		sh_buf_putc(&sl->out, '}');
	json_decref(obj);
}

static void *work(void *p)
{
	worker_arg *a = p;
	batch *b = a->b;
	size_t i;
	while ((i = atomic_fetch_add(&b->next, 1)) < b->n)
		process(b, &b->slots[i], a->state);
	return NULL;
}

/* Processes b->n slots on the workers (on this thread alone if no other can start). */
static void run_batch(batch *b)
{
	const cli_stream *s = b->s;
	size_t jobs = s->jobs < b->n ? s->jobs : b->n;
	pthread_t th[jobs ? jobs : 1];
	worker_arg args[jobs ? jobs : 1];
	size_t started = 0;
	atomic_store(&b->next, 0);
	for (size_t j = 1; j < jobs; j++) {
		args[j] = (worker_arg){ b, s->workers[j] };
		if (pthread_create(&th[j], NULL, work, &args[j]) != 0)
			break;
		started = j;
	}
	args[0] = (worker_arg){ b, s->workers[0] };
	work(&args[0]);
	for (size_t j = 1; j <= started; j++)
		pthread_join(th[j], NULL);
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

static int run_file(const cli_stream *s, FILE *f, const char *name, slot *slots, size_t *errors, size_t *total)
{
	batch b = { .s = s, .name = name, .slots = slots };
	size_t lineno = 0;
	int progress = isatty(STDERR_FILENO);
	for (;;) {
		b.n = 0;
		while (b.n < CLI_BATCH_LINES) {
			slot *sl = &slots[b.n];
			ssize_t n = getline(&sl->line, &sl->cap, f);
			if (n < 0)
				break;
			while (n > 0 && (sl->line[n - 1] == '\n' || sl->line[n - 1] == '\r'))
				n--;
			sl->line[n] = '\0';
			sl->len = (size_t)n;
			sl->lineno = ++lineno;
			b.n++;
		}
		if (ferror(f))
			return cli_fail("%s: read error: %s", name, strerror(errno));
		if (b.n == 0)
			break;
		run_batch(&b);
		*errors += write_batch(&b);
		*total += b.n;
		if (progress && *total % (64 * CLI_BATCH_LINES) == 0)
			fprintf(stderr, "\r%s: %zu lines", s->cmd, *total);
		if (ferror(stdout))
			return cli_fail("writing the output: %s", strerror(errno));
	}
	return SH_EXIT_OK;
}

int cli_stream_run(const cli_stream *s, char **files, int nfiles)
{
	slot *slots = calloc(CLI_BATCH_LINES, sizeof *slots);
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
	for (size_t i = 0; i < CLI_BATCH_LINES; i++) {
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
