/*
 * bench/dedup.c - near-duplicate detection on the NHS job ads (schema.org
 * JobPosting JSON lines): quality on hand-labelled pairs and a run over the
 * whole file.
 *
 *   dedup --ads FILE [--pairs FILE] [--threshold T] [--no-key] [--near-list MIN]
 *
 *   --ads        JSON lines; an ad's id is the number at the end of its url,
 *                its key title, employer and locality, its text the title, a
 *                newline and sh_html_to_text(description)
 *   --no-key     compare texts only (every ad gets the same, empty key)
 *   --pairs      lines "idA<TAB>idB<TAB>dup|diff" (tests/fixtures/ads/dedup-pairs.tsv):
 *                prints precision and recall of "similarity >= t" for several t
 *   --threshold  the index's threshold for the whole-file run (default SH_DEDUP_DEFAULT_THRESHOLD)
 *   --near-list  instead of the run, print "id<TAB>earlier id<TAB>similarity" for
 *                every ad with a match >= MIN (used to pick pairs to label)
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/buf.h"
#include "core/fileio.h"
#include "skillhub/ads.h"
#include "skillhub/text.h"

typedef struct ad {
	uint64_t     id;
	char        *key;  /* title, employer, locality */
	char        *text; /* title, description as plain text */
	size_t       len;
	sh_dedup_sig sig;
} ad;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "dedup bench: %s: %s\n", what, sh_errmsg());
	exit(1);
}

static size_t load_ads(const char *path, ad **out)
{
	char *data;
	size_t len, n = 0, cap = 1024;
	if (sh_read_file(path, &data, &len) != SH_OK)
		die(path);
	ad *ads = malloc(cap * sizeof *ads);
	for (char *line = data; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		json_error_t jerr;
		json_t *o = json_loads(line, 0, &jerr);
		if (!o) {
			fprintf(stderr, "%s:%zu: %s\n", path, n + 1, jerr.text);
			exit(1);
		}
		const char *url = json_string_value(json_object_get(o, "url"));
		const char *title = json_string_value(json_object_get(o, "title"));
		const char *desc = json_string_value(json_object_get(o, "description"));
		const char *employer = json_string_value(json_object_get(json_object_get(o, "hiringOrganization"), "name"));
		const char *locality = json_string_value(json_object_get(
			json_object_get(json_object_get(o, "jobLocation"), "address"), "addressLocality"));
		const char *slash = url ? strrchr(url, '/') : NULL;
		if (!slash || !title || !desc) {
			fprintf(stderr, "%s:%zu: url, title or description missing\n", path, n + 1);
			exit(1);
		}
		char *plain;
		size_t plain_len;
		if (sh_html_to_text(desc, strlen(desc), &plain, &plain_len) != SH_OK)
			die("html_to_text");
		sh_buf k = SH_BUF_INIT, b = SH_BUF_INIT;
		sh_buf_printf(&k, "%s\n%s\n%s", title, employer ? employer : "", locality ? locality : "");
		sh_buf_printf(&b, "%s\n", title);
		sh_buf_append(&b, plain, plain_len);
		free(plain);
		if (n == cap)
			ads = realloc(ads, (cap *= 2) * sizeof *ads);
		ads[n].id = strtoull(slash + 1, NULL, 10);
		ads[n].key = sh_buf_detach(&k);
		ads[n].len = b.len;
		ads[n].text = sh_buf_detach(&b);
		n++;
		json_decref(o);
		line = end ? end + 1 : NULL;
	}
	free(data);
	*out = ads;
	return n;
}

static int cmp_ad_id(const void *a, const void *b)
{
	uint64_t x = ((const ad *)a)->id, y = ((const ad *)b)->id;
	return x < y ? -1 : x > y;
}

static void evaluate_pairs(ad *ads, size_t n, const char *path)
{
	char *data;
	size_t len;
	if (sh_read_file(path, &data, &len) != SH_OK)
		die(path);
	ad *sorted = malloc(n * sizeof *sorted);
	memcpy(sorted, ads, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_ad_id);
	enum { MAXP = 1000 };
	static double sim[MAXP];
	static int dup[MAXP], same_key[MAXP];
	static uint64_t ida[MAXP], idb[MAXP];
	size_t np = 0;
	for (char *line = strtok(data, "\n"); line && np < MAXP; line = strtok(NULL, "\n")) {
		if (*line == '#')
			continue;
		char label[16];
		ad ka = { 0 }, kb = { 0 };
		unsigned long long a, b;
		if (sscanf(line, "%llu\t%llu\t%15s", &a, &b, label) != 3) {
			fprintf(stderr, "%s: bad line '%s'\n", path, line);
			exit(1);
		}
		ka.id = a;
		kb.id = b;
		ad *x = bsearch(&ka, sorted, n, sizeof *sorted, cmp_ad_id);
		ad *y = bsearch(&kb, sorted, n, sizeof *sorted, cmp_ad_id);
		if (!x || !y) {
			fprintf(stderr, "%s: ad %llu or %llu not in the ads file\n", path, a, b);
			exit(1);
		}
		sim[np] = sh_dedup_similarity(&x->sig, &y->sig);
		dup[np] = strcmp(label, "dup") == 0;
		same_key[np] = x->sig.key == y->sig.key;
		ida[np] = x->id;
		idb[np] = y->id;
		np++;
	}
	size_t ndup = 0;
	for (size_t i = 0; i < np; i++)
		ndup += dup[i];
	printf("labelled pairs: %zu (%zu duplicates, %zu not)\n", np, ndup, np - ndup);
	printf("            text only (no key)         same key + text (the library's rule)\n");
	printf("threshold  precision recall  tp  fp  fn   precision recall  tp  fp  fn\n");
	for (int t = 50; t <= 100; t += 5) {
		printf("%9.2f", t / 100.0);
		for (int with_key = 0; with_key <= 1; with_key++) {
			size_t tp = 0, fp = 0, fn = 0;
			for (size_t i = 0; i < np; i++) {
				int pred = sim[i] >= t / 100.0 - 1e-9 && (!with_key || same_key[i]);
				tp += pred && dup[i];
				fp += pred && !dup[i];
				fn += !pred && dup[i];
			}
			printf("  %8.1f%% %5.1f%% %3zu %3zu %3zu ", tp + fp ? 100.0 * tp / (tp + fp) : 100.0,
			       tp + fn ? 100.0 * tp / (tp + fn) : 100.0, tp, fp, fn);
		}
		printf("%s\n", t == (int)(SH_DEDUP_DEFAULT_THRESHOLD * 100 + 0.5) ? " <- default" : "");
	}
	printf("errors of the library's rule at the default threshold:\n");
	for (size_t i = 0; i < np; i++) {
		int pred = sim[i] >= SH_DEDUP_DEFAULT_THRESHOLD - 1e-9 && same_key[i];
		if (pred != dup[i])
			printf("  %s %llu %llu similarity %.3f, %s key\n", pred ? "false positive" : "false negative",
			       (unsigned long long)ida[i], (unsigned long long)idb[i], sim[i], same_key[i] ? "same" : "different");
	}
	free(sorted);
	free(data);
}

int main(int argc, char **argv)
{
	const char *ads_path = NULL, *pairs_path = NULL;
	double threshold = SH_DEDUP_DEFAULT_THRESHOLD, near_min = 0;
	int no_key = 0;
	static const struct option opts[] = {
		{ "ads", required_argument, NULL, 'a' }, { "pairs", required_argument, NULL, 'p' },
		{ "threshold", required_argument, NULL, 't' }, { "near-list", required_argument, NULL, 'n' },
		{ "no-key", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': ads_path = optarg; break;
		case 'p': pairs_path = optarg; break;
		case 't': threshold = atof(optarg); break;
		case 'n': near_min = atof(optarg); break;
		case 'k': no_key = 1; break;
		default: return 2;
		}
	}
	if (!ads_path) {
		fprintf(stderr, "usage: dedup --ads FILE [--pairs FILE] [--threshold T] [--no-key] [--near-list MIN]\n");
		return 2;
	}
	double t0 = now();
	ad *ads;
	size_t n = load_ads(ads_path, &ads);
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += ads[i].len;
	double load_s = now() - t0;

	t0 = now();
	for (size_t i = 0; i < n; i++)
		if (sh_dedup_signature(no_key ? NULL : ads[i].key, no_key ? 0 : strlen(ads[i].key), ads[i].text, ads[i].len,
		                       &ads[i].sig) != SH_OK)
			die("signature");
	double sig_s = now() - t0;

	sh_dedup *idx;
	if (sh_dedup_new(&idx, near_min > 0 ? near_min : threshold) != SH_OK)
		die("new");
	size_t exact = 0, near = 0;
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		sh_dedup_match m;
		if (sh_dedup_add_sig(idx, ads[i].id, &ads[i].sig, &m) != SH_OK)
			die("add");
		if (m.id && near_min > 0)
			printf("%llu\t%llu\t%.3f\n", (unsigned long long)ads[i].id, (unsigned long long)m.id, m.similarity);
		exact += m.id && m.exact;
		near += m.id && !m.exact;
	}
	double add_s = now() - t0;

	if (near_min == 0) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("ads: %zu (%.1f MB of plain text; JSON + HTML to text %.2f s)\n", n, bytes / 1e6, load_s);
		printf("threshold %.2f: %zu exact duplicates + %zu near duplicates = %zu ads (%.1f%%) repeat an earlier one\n",
		       threshold, exact, near, exact + near, 100.0 * (exact + near) / n);
		printf("time: signatures %.2f s (%.1f MB/s, %.0f ads/s), index add+lookup %.3f s (%.0f ads/s); peak RSS %ld MB\n",
		       sig_s, bytes / 1e6 / sig_s, n / sig_s, add_s, n / add_s, ru.ru_maxrss / 1024);
		if (pairs_path)
			evaluate_pairs(ads, n, pairs_path);
	}
	sh_dedup_free(idx);
	for (size_t i = 0; i < n; i++) {
		free(ads[i].key);
		free(ads[i].text);
	}
	free(ads);
	return 0;
}
