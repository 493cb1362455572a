/*
 * bench/bench_tokenize.c - throughput of the text pipeline on real job ads.
 *
 *   bench_tokenize [DATA_DIR] [SECONDS]
 *
 * DATA_DIR is ../shared/data (default $SKILLHUB_SHARED, else ../shared/data);
 * without it the program exits 77.  Corpora: the "description" fields of
 * jobads/nhs-uk-2020-11.jsonl (English HTML, escaped once: nearly all
 * ASCII) and of jobads/france-travail-fr.jsonl (French plain text, many
 * accents).  Each step runs over its whole corpus repeatedly for about
 * SECONDS of CPU time (default 1) and prints MB of input text per CPU
 * second (so other load on the machine matters less), with two peers measured
 * in the same run for ratios: sh_utf8_valid (a lower bound: one pass over the
 * bytes) and utf8proc_map NFKC+casefold of each whole text (what normalising
 * without the tokenizer's ASCII fast path would cost).  Peak RSS last.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <utf8proc.h>

#include "skillhub/text.h"

typedef struct corpus {
	char **text;
	size_t *len;
	size_t n, cap, bytes;
} corpus;

/* CPU seconds of this process: on a shared machine, MB/s per busy core. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_text(corpus *c, char *text, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->text = realloc(c->text, c->cap * sizeof *c->text);
		c->len = realloc(c->len, c->cap * sizeof *c->len);
		if (!c->text || !c->len) {
			fprintf(stderr, "bench_tokenize: out of memory\n");
			exit(1);
		}
	}
	c->text[c->n] = text;
	c->len[c->n++] = len;
	c->bytes += len;
}

/* The description fields of a JSON-lines file; with html, their sh_html_to_text. */
static int load(const char *path, int html, corpus *c)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *doc = json_loadb(line, (size_t)n, 0, NULL);
		const char *d = json_string_value(json_object_get(doc, "description"));
		if (d) {
			size_t len = json_string_length(json_object_get(doc, "description"));
			char *text;
			size_t text_len = len;
			if (html) {
				if (sh_html_to_text(d, len, &text, &text_len) != SH_OK) {
					fprintf(stderr, "bench_tokenize: %s\n", sh_errmsg());
					exit(1);
				}
			} else {
				text = malloc(len + 1);
				memcpy(text, d, len + 1);
			}
			add_text(c, text, text_len);
		}
		json_decref(doc);
	}
	free(line);
	fclose(f);
	return 0;
}

static void free_corpus(corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->text[i]);
	free(c->text);
	free(c->len);
}

enum step { STEP_VALID, STEP_UTF8PROC, STEP_TOKENIZE, STEP_TOKENIZE_FOLD, STEP_HTML };

/* Runs step over the corpus for about seconds; returns MB/s and counts tokens into *tokens. */
static double run(const corpus *c, enum step step, double seconds, size_t *tokens)
{
	sh_tokens t = { 0 };
	size_t bytes = 0, ntok = 0;
	double t0 = now(), dt;
	do {
		for (size_t i = 0; i < c->n; i++) {
			const char *s = c->text[i];
			size_t len = c->len[i];
			switch (step) {
			case STEP_VALID:
				ntok += (size_t)sh_utf8_valid(s, len, NULL);
				break;
			case STEP_UTF8PROC: {
				utf8proc_uint8_t *out = NULL;
				utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
				                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
				                                  UTF8PROC_CASEFOLD);
				ntok += r > 0 ? (size_t)r : 0;
				free(out);
				break;
			}
			case STEP_TOKENIZE:
			case STEP_TOKENIZE_FOLD:
				if (sh_tokenize(s, len, step == STEP_TOKENIZE_FOLD ? SH_NORM_FOLD_ACCENTS : 0, &t) != SH_OK) {
					fprintf(stderr, "bench_tokenize: %s\n", sh_errmsg());
					exit(1);
				}
				ntok += t.n;
				break;
			case STEP_HTML: {
				char *text;
				size_t text_len;
				if (sh_html_to_text(s, len, &text, &text_len) != SH_OK) {
					fprintf(stderr, "bench_tokenize: %s\n", sh_errmsg());
					exit(1);
				}
				ntok += text_len;
				free(text);
				break;
			}
			}
			bytes += len;
		}
		dt = now() - t0;
	} while (dt < seconds);
	sh_tokens_free(&t);
	*tokens = ntok;
	return (double)bytes / dt / 1e6;
}

static void report(const char *corpus_name, const corpus *c, double seconds)
{
	static const struct {
		enum step step;
		const char *name;
	} steps[] = {
		{ STEP_VALID, "peer sh_utf8_valid" },
		{ STEP_UTF8PROC, "peer utf8proc_map NFKC_CF" },
		{ STEP_TOKENIZE, "sh_tokenize" },
		{ STEP_TOKENIZE_FOLD, "sh_tokenize FOLD_ACCENTS" },
	};
	size_t ascii = 0;
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; k < c->len[i]; k++)
			ascii += (unsigned char)c->text[i][k] < 0x80;
	printf("%s: %zu texts, %.1f MB, %.2f%% ASCII bytes\n", corpus_name, c->n, (double)c->bytes / 1e6,
	       c->bytes ? 100.0 * (double)ascii / (double)c->bytes : 0.0);
	double base = 0;
	for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
		size_t count;
		double mbs = run(c, steps[k].step, seconds, &count);
		if (steps[k].step == STEP_UTF8PROC)
			base = mbs;
		printf("  %-28s %8.1f MB/s", steps[k].name, mbs);
		if (steps[k].step >= STEP_TOKENIZE)
			printf("  (%.1fx utf8proc_map)", mbs / base);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	const char *env = getenv("SKILLHUB_SHARED");
	const char *dir = argc > 1 ? argv[1] : (env && *env ? env : "../shared/data");
	double seconds = argc > 2 ? atof(argv[2]) : 1.0;
	char path[4096];
	corpus nhs_html = { 0 }, nhs = { 0 }, fr = { 0 };
	snprintf(path, sizeof path, "%s/jobads/nhs-uk-2020-11.jsonl", dir);
	if (load(path, 0, &nhs_html) != 0 || load(path, 1, &nhs) != 0) {
		printf("bench_tokenize: %s not found (set SKILLHUB_SHARED or pass DATA_DIR)\n", path);
		return 77;
	}
	size_t count;
	printf("nhs-uk descriptions (HTML): %.1f MB\n  %-28s %8.1f MB/s\n", (double)nhs_html.bytes / 1e6,
	       "sh_html_to_text", run(&nhs_html, STEP_HTML, seconds, &count));
	report("nhs-uk plain text (after sh_html_to_text)", &nhs, seconds);
	snprintf(path, sizeof path, "%s/jobads/france-travail-fr.jsonl", dir);
	if (load(path, 0, &fr) == 0)
		report("france-travail-fr plain text", &fr, seconds);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %ld MB\n", ru.ru_maxrss / 1024);
	free_corpus(&nhs_html);
	free_corpus(&nhs);
	free_corpus(&fr);
	return 0;
}
