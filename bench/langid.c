/*
 * bench/langid.c - accuracy and speed of the language identifier against a
 * stop-word counting baseline, on texts prepared by bench/langid.sh.
 *
 *   langid (--train-tsv FILE | --db FILE) --stopwords FILE --eval FILE [--repeat N]
 *
 *   --train-tsv  lines "lang<TAB>text": samples for sh_langid_train
 *   --db         a skillhub database: sh_langid_train_from_db
 *   --stopwords  lines "lang<TAB>word" (normalised words): the baseline's lists
 *   --eval       lines "set<TAB>gold<TAB>text"; gold "mul" lines are skipped
 *
 * The baseline counts, for every language, the tokens of the text that are
 * on its list and answers the language with most hits ("und" when none).
 * Prints one line per (set, gold language) with both accuracies, the
 * confusions of the model, the accuracies on 50 bytes from the middle of
 * every text (a short sentence), then throughput of each classifier (MB/s over the
 * whole evaluation text, repeated N times).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/fileio.h"
#include "skillhub/ads.h"
#include "skillhub/text.h"

#define SHORT_TEXT 50

typedef struct eval_item {
	char  *set, *gold, *text;
	size_t len;
} eval_item;

typedef struct stopword {
	char    *word;
	uint64_t langs; /* bit i = language i of the model */
} stopword;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "langid bench: %s: %s\n", what, sh_errmsg());
	exit(1);
}

/* Splits a file into lines and each line at tabs (in place); returns the number of lines. */
static size_t split_lines(char *data, char ***lines)
{
	size_t n = 0, cap = 1024;
	*lines = malloc(cap * sizeof **lines);
	for (char *p = data; *p;) {
		char *e = strchr(p, '\n');
		if (e)
			*e = '\0';
		if (*p && *p != '#') {
			if (n == cap)
				*lines = realloc(*lines, (cap *= 2) * sizeof **lines);
			(*lines)[n++] = p;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

static int cmp_stopword(const void *a, const void *b)
{
	return strcmp(((const stopword *)a)->word, ((const stopword *)b)->word);
}

static const char *baseline_classify(const stopword *sw, size_t nsw, const sh_langid *m,
                                     const char *text, size_t len, sh_tokens *toks)
{
	unsigned hits[64] = { 0 };
	if (len > SH_LANGID_MAX_BYTES)
		len = SH_LANGID_MAX_BYTES;
	if (sh_tokenize(text, len, 0, toks) != SH_OK)
		die("tokenize");
	for (size_t i = 0; i < toks->n; i++) {
		stopword key = { toks->norm + toks->tok[i].norm, 0 };
		const stopword *f = bsearch(&key, sw, nsw, sizeof *sw, cmp_stopword);
		if (!f)
			continue;
		for (size_t l = 0; l < sh_langid_nlang(m); l++)
			if (f->langs >> l & 1)
				hits[l]++;
	}
	size_t best = 0;
	for (size_t l = 1; l < sh_langid_nlang(m); l++)
		if (hits[l] > hits[best])
			best = l;
	return hits[best] ? sh_langid_lang(m, best) : "und";
}

int main(int argc, char **argv)
{
	const char *train_tsv = NULL, *db_path = NULL, *sw_path = NULL, *eval_path = NULL;
	int repeat = 3;
	static const struct option opts[] = {
		{ "train-tsv", required_argument, NULL, 't' }, { "db", required_argument, NULL, 'd' },
		{ "stopwords", required_argument, NULL, 's' }, { "eval", required_argument, NULL, 'e' },
		{ "repeat", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 }
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': train_tsv = optarg; break;
		case 'd': db_path = optarg; break;
		case 's': sw_path = optarg; break;
		case 'e': eval_path = optarg; break;
		case 'r': repeat = atoi(optarg); break;
		default: return 2;
		}
	}
	if ((!train_tsv == !db_path) || !sw_path || !eval_path || repeat < 1) {
		fprintf(stderr, "usage: langid (--train-tsv FILE | --db FILE) --stopwords FILE --eval FILE [--repeat N]\n");
		return 2;
	}

	/* Train. */
	void *blob;
	size_t blob_size;
	double t0 = now();
	size_t train_bytes = 0;
	if (db_path) {
		sh_db *db;
		if (sh_db_open(&db, db_path, SH_DB_READONLY) != SH_OK)
			die(db_path);
		if (sh_langid_train_from_db(db, &blob, &blob_size) != SH_OK)
			die("train_from_db");
		sh_db_close(db);
	} else {
		char *data, **lines;
		size_t len;
		if (sh_read_file(train_tsv, &data, &len) != SH_OK)
			die(train_tsv);
		size_t n = split_lines(data, &lines);
		sh_langid_sample *samples = calloc(n, sizeof *samples);
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			char *tab = strchr(lines[i], '\t');
			if (!tab)
				continue;
			*tab = '\0';
			samples[k++] = (sh_langid_sample){ lines[i], tab + 1, strlen(tab + 1) };
			train_bytes += strlen(tab + 1);
		}
		if (sh_langid_train(samples, k, &blob, &blob_size) != SH_OK)
			die("train");
		free(samples);
		free(lines);
		free(data);
	}
	double train_s = now() - t0;
	sh_langid *m;
	if (sh_langid_load(&m, blob, blob_size) != SH_OK)
		die("load");
	printf("model: %zu languages, %zu bytes, trained in %.2f s from ", sh_langid_nlang(m), blob_size, train_s);
	if (db_path)
		printf("the labels and notes of %s\n", db_path);
	else
		printf("%.1f MB of samples\n", (double)train_bytes / 1e6);

	/* Baseline lists. */
	char *swdata, **swlines;
	size_t swlen;
	if (sh_read_file(sw_path, &swdata, &swlen) != SH_OK)
		die(sw_path);
	size_t nsw_lines = split_lines(swdata, &swlines);
	stopword *sw = calloc(nsw_lines + 1, sizeof *sw);
	size_t nsw = 0;
	for (size_t i = 0; i < nsw_lines; i++) {
		char *tab = strchr(swlines[i], '\t');
		if (!tab)
			continue;
		*tab = '\0';
		for (size_t l = 0; l < sh_langid_nlang(m); l++)
			if (strcmp(sh_langid_lang(m, l), swlines[i]) == 0)
				sw[nsw++] = (stopword){ tab + 1, (uint64_t)1 << l };
	}
	qsort(sw, nsw, sizeof *sw, cmp_stopword);
	size_t u = 0; /* merge equal words */
	for (size_t i = 0; i < nsw; i++) {
		if (u > 0 && strcmp(sw[u - 1].word, sw[i].word) == 0)
			sw[u - 1].langs |= sw[i].langs;
		else
			sw[u++] = sw[i];
	}
	nsw = u;

	/* Evaluate. */
	char *evdata, **evlines;
	size_t evlen;
	if (sh_read_file(eval_path, &evdata, &evlen) != SH_OK)
		die(eval_path);
	size_t nev_lines = split_lines(evdata, &evlines);
	eval_item *ev = calloc(nev_lines + 1, sizeof *ev);
	size_t nev = 0, eval_bytes = 0;
	for (size_t i = 0; i < nev_lines; i++) {
		char *t1 = strchr(evlines[i], '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			continue;
		*t1 = *t2 = '\0';
		if (strcmp(t1 + 1, "mul") == 0)
			continue;
		ev[nev] = (eval_item){ evlines[i], t1 + 1, t2 + 1, strlen(t2 + 1) };
		eval_bytes += ev[nev].len < SH_LANGID_MAX_BYTES ? ev[nev].len : SH_LANGID_MAX_BYTES;
		nev++;
	}

	sh_tokens toks = { 0 };
	size_t ok_model = 0, ok_base = 0;
	printf("%-22s %-5s %5s %8s %9s  model errors (predicted:count)\n", "set", "lang", "n", "model", "baseline");
	for (size_t i = 0; i < nev;) {
		size_t j = i, n_ok = 0, b_ok = 0;
		sh_buf errs = SH_BUF_INIT;
		for (; j < nev && strcmp(ev[j].set, ev[i].set) == 0 && strcmp(ev[j].gold, ev[i].gold) == 0; j++) {
			sh_langid_result r;
			sh_langid_classify(m, ev[j].text, ev[j].len, &r);
			if (strcmp(r.lang, ev[j].gold) == 0)
				n_ok++;
			else
				sh_buf_printf(&errs, " %s", r.lang);
			if (strcmp(baseline_classify(sw, nsw, m, ev[j].text, ev[j].len, &toks), ev[j].gold) == 0)
				b_ok++;
		}
		printf("%-22s %-5s %5zu %7.1f%% %8.1f%% %s\n", ev[i].set, ev[i].gold, j - i, 100.0 * n_ok / (j - i),
		       100.0 * b_ok / (j - i), errs.data ? errs.data : "");
		sh_buf_free(&errs);
		ok_model += n_ok;
		ok_base += b_ok;
		i = j;
	}
	printf("%-22s %-5s %5zu %7.1f%% %8.1f%%\n", "all", "", nev, 100.0 * ok_model / nev, 100.0 * ok_base / nev);
	/*
	 * Short texts: SHORT_TEXT bytes from the middle of each text, from a word start (the beginning is
	 * the title, often English in ads written in another language).
	 */
	ok_model = ok_base = 0;
	for (size_t i = 0; i < nev; i++) {
		const char *mid = ev[i].text + ev[i].len / 2;
		while (*mid && *mid != ' ')
			mid++;
		size_t len = strlen(mid) < SHORT_TEXT ? strlen(mid) : SHORT_TEXT;
		sh_langid_result r;
		sh_langid_classify(m, mid, len, &r);
		ok_model += strcmp(r.lang, ev[i].gold) == 0;
		ok_base += strcmp(baseline_classify(sw, nsw, m, mid, len, &toks), ev[i].gold) == 0;
	}
	printf("%-22s %-5s %5zu %7.1f%% %8.1f%%\n", "all, 50 bytes each", "", nev, 100.0 * ok_model / nev,
	       100.0 * ok_base / nev);

	/* Speed. */
	volatile double sink = 0;
	t0 = now();
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < nev; i++) {
			sh_langid_result res;
			sh_langid_classify(m, ev[i].text, ev[i].len, &res);
			sink += res.confidence;
		}
	double model_s = now() - t0;
	t0 = now();
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < nev; i++)
			sink += baseline_classify(sw, nsw, m, ev[i].text, ev[i].len, &toks)[0];
	double base_s = now() - t0;
	double mb = (double)eval_bytes * repeat / 1e6;
	printf("speed: model %.1f MB/s, baseline %.1f MB/s (%.1f MB classified %d times; ratio %.2f)\n",
	       mb / model_s, mb / base_s, (double)eval_bytes / 1e6, repeat, base_s / model_s);

	sh_tokens_free(&toks);
	free(ev);
	free(evlines);
	free(evdata);
	free(sw);
	free(swlines);
	free(swdata);
	sh_langid_free(m);
	free(blob);
	return 0;
}
