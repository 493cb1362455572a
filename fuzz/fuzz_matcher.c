/*
 * fuzz/fuzz_matcher.c - libFuzzer target for the label matcher
 * (match/matcher.h) on arbitrary text.
 *
 * LLVMFuzzerInitialize writes a small taxonomy with SQL into a temporary
 * directory (labels with symbols, accents, qualifiers, several words, an
 * ambiguous label, two languages, occupation-skill relations), compiles the
 * index and opens the matcher once.  Each input is matched in English and in
 * French; the target aborts when an invariant breaks:
 *   - every match's byte span lies within the input, is non-empty, and
 *     equals the byte span of its token range;
 *   - matches are sorted by start; confidence is in (0, 1];
 *   - every concept is a skill or an occupation and its label is readable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match/matcher.h"
#include "store/db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                       \
	do {                                                                                  \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "fuzz_matcher: invariant failed: %s (line %d)\n", #cond, __LINE__); \
			abort();                                                                      \
		}                                                                                 \
	} while (0)

static const char taxonomy_sql[] =
	"INSERT INTO concept(id, uri, kind) VALUES"
	" (1, 'u:java', 'skill'), (2, 'u:cpp', 'skill'), (3, 'u:c', 'skill'), (4, 'u:maintain', 'skill'),"
	" (5, 'u:py1', 'skill'), (6, 'u:py2', 'skill'), (7, 'u:nurse', 'occupation'), (8, 'u:dev', 'occupation');"
	"INSERT INTO label(concept, lang, kind, text) VALUES"
	" (1, 'en', 'preferred', 'Java (computer programming)'), (2, 'en', 'preferred', 'C++'),"
	" (3, 'en', 'preferred', 'C'), (4, 'en', 'preferred', 'maintain vehicles'),"
	" (4, 'en', 'alternative', 'vehicle maintenance'), (4, 'en', 'hidden', 'maintain the vehicle fleet'),"
	" (5, 'en', 'alternative', 'python'), (6, 'en', 'alternative', 'python'),"
	" (7, 'en', 'preferred', 'nurse'), (7, 'fr', 'preferred', 'infirmière'),"
	" (7, 'fr', 'alternative', 'infirmier de bloc opératoire'), (8, 'en', 'preferred', 'software developer');"
	"INSERT INTO occupation_skill(occupation, skill, relation) VALUES (8, 1, 'essential'), (8, 5, 'optional');";

static sh_index *idx;
static sh_matcher *matcher;
static sh_match_scratch *scratch;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_matcher: %s: %s\n", what, sh_errmsg());
	exit(1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/fuzz-matcher-XXXXXX", db_path[64], idx_path[64];
	if (!mkdtemp(dir))
		fail("mkdtemp");
	snprintf(db_path, sizeof db_path, "%s/t.db", dir);
	snprintf(idx_path, sizeof idx_path, "%s/t.db.idx", dir);
	sh_db *db;
	if (sh_db_open(&db, db_path, SH_DB_CREATE) || sh_db_exec(db, taxonomy_sql) || sh_index_build(db, idx_path))
		fail("building the fixture index");
	sh_db_close(db);
	if (sh_index_open(&idx, idx_path) || sh_matcher_open(&matcher, idx) || sh_match_scratch_new(&scratch))
		fail("opening the fixture index");
	/* the map stays valid after unlinking; nothing is left behind in /tmp */
	unlink(db_path);
	unlink(idx_path);
	rmdir(dir);
	return 0;
}

static void check(const char *text, size_t size, const char *lang)
{
	const sh_match *ms;
	size_t n;
	sh_match_opts opts = { .lang = lang };
	CHECK(sh_match_text(matcher, scratch, text, size, &opts, &ms, &n) == SH_OK);
	const sh_tokens *t = sh_match_tokens(scratch);
	for (size_t i = 0; i < n; i++) {
		const sh_match *m = &ms[i];
		CHECK(m->start < m->end && m->end <= size);
		CHECK(m->tok_start < m->tok_end && m->tok_end <= t->n);
		CHECK(t->tok[m->tok_start].start == m->start && t->tok[m->tok_end - 1].end == m->end);
		CHECK(i == 0 || ms[i - 1].start <= m->start);
		CHECK(m->confidence > 0.0f && m->confidence <= 1.0f);
		sh_kind k = sh_concept_kind(idx, m->concept);
		CHECK(k == SH_KIND_SKILL || k == SH_KIND_OCCUPATION);
		CHECK(sh_matcher_label(matcher, m->label, NULL) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, "en");
	check((const char *)data, size, "fr");
	return 0;
}
