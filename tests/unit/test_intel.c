/*
 * tests/unit/test_intel.c - skills-demand aggregates and queries
 * (skillhub/intel.h): the merge law on random shards, the .agg file format
 * and its corruption checks, the G-test and Benjamini-Hochberg against
 * values computed by hand, and every query filter on ads stored in a
 * database built from tests/fixtures/esco-mini.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/buf.h"
#include "intel/query.h"
#include "intel/svg.h"
#include "skillhub/intel.h"
#include "store/db.h"

#define ESCO "http://data.europa.eu/esco/"
#define SKILL(n) ESCO "skill/mini-s" n
#define OCC(n) ESCO "occupation/mini-o" n

/* ---- random ads --------------------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33) % n;
}

enum { VOCAB = 24 };

static const char *pick(const char *const *from, size_t n)
{
	return from[rnd((uint32_t)n)];
}

/* A random ad of a small vocabulary; skills may repeat and may exceed SH_AGG_PAIR_SKILLS. */
static void random_ad(sh_agg_ad *ad, const char *skills[40], char names[40][64])
{
	static const char *periods[] = { "2024-01-15", "2024-02", "2024-03-31", NULL, "bad", "2024-13-01" };
	static const char *countries[] = { "DE", "FR", NULL };
	static const char *regions[] = { "DE1", "DE2", "FR1", NULL, "tab\there" };
	static const char *occupations[] = { OCC("01"), OCC("02"), OCC("03"), NULL };
	static const char *sectors[] = { "J", "F", "I", NULL };
	ad->period = pick(periods, 6);
	ad->country = pick(countries, 3);
	ad->region = pick(regions, 5);
	ad->occupation = pick(occupations, 4);
	ad->sector = pick(sectors, 4);
	ad->nskills = rnd(5) == 0 ? 20 + rnd(10) : rnd(6);
	for (size_t i = 0; i < ad->nskills; i++) {
		snprintf(names[i], 64, ESCO "skill/r%02u", rnd(VOCAB));
		skills[i] = names[i];
	}
	ad->skills = skills;
}

static char *text_of(const sh_agg *agg)
{
	char *text;
	size_t len;
	assert_int_equal(sh_agg_to_text(agg, &text, &len), SH_OK);
	assert_int_equal(strlen(text), len);
	return text;
}

static void assert_same(const sh_agg *a, const sh_agg *b)
{
	char *ta = text_of(a), *tb = text_of(b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
}

static sh_agg *merged(const sh_agg *a, const sh_agg *b)
{
	sh_agg *m;
	assert_int_equal(sh_agg_new(&m), SH_OK);
	assert_int_equal(sh_agg_merge(m, a), SH_OK);
	assert_int_equal(sh_agg_merge(m, b), SH_OK);
	return m;
}

static void merge_of_shards_is_the_whole(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		rng_state = seed;
		sh_agg *whole, *shard[3];
		assert_int_equal(sh_agg_new(&whole), SH_OK);
		for (int s = 0; s < 3; s++)
			assert_int_equal(sh_agg_new(&shard[s]), SH_OK);
		for (int i = 0; i < 300; i++) {
			sh_agg_ad ad;
			const char *skills[40];
			char names[40][64];
			random_ad(&ad, skills, names);
			assert_int_equal(sh_agg_add_ad(whole, &ad), SH_OK);
			assert_int_equal(sh_agg_add_ad(shard[rnd(3)], &ad), SH_OK);
		}
		sh_agg *ab = merged(shard[0], shard[1]), *ba = merged(shard[1], shard[0]);
		sh_agg *bc = merged(shard[1], shard[2]);
		sh_agg *ab_c = merged(ab, shard[2]), *a_bc = merged(shard[0], bc);
		assert_same(ab, ba);          /* commutative */
		assert_same(ab_c, a_bc);      /* associative */
		assert_same(ab_c, whole);     /* exact: the aggregate of the union */
		assert_int_equal(sh_agg_total_ads(ab_c), 300);
		sh_agg *all[] = { whole, shard[0], shard[1], shard[2], ab, ba, bc, ab_c, a_bc };
		for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
			sh_agg_free(all[i]);
	}
}

static void text_is_canonical_and_escaped(void **state)
{
	(void)state;
	const char *s1[] = { "u:b", "u:a", "u:b" }, *s2[] = { "u:a" };
	sh_agg_ad ad1 = { "2024-05-02", "DE", "a\tb\\c", NULL, "J", s1, 3 };
	sh_agg_ad ad2 = { "2024-05", "DE", "a\tb\\c", NULL, "J", s2, 1 };
	sh_agg *agg;
	assert_int_equal(sh_agg_new(&agg), SH_OK);
	assert_int_equal(sh_agg_add_ad(agg, &ad1), SH_OK);
	assert_int_equal(sh_agg_add_ad(agg, &ad2), SH_OK);
	char *text = text_of(agg);
	/* Strings sorted: "" 2024-05 DE J a<TAB>b\\c u:a u:b = 0..6; records refer to them by number. */
	assert_string_equal(text,
		"M\tpair_skills\t16\n"
		"T\t\n"
		"T\t2024-05\n"
		"T\tDE\n"
		"T\tJ\n"
		"T\ta\\tb\\\\c\n"
		"T\tu:a\n"
		"T\tu:b\n"
		"A\t1\t2\t4\t0\t3\t2\n"
		"S\t0\t5\t2\n"
		"S\t0\t6\t1\n"
		"P\t1\t5\t6\t1\n");
	free(text);
	sh_agg_free(agg);
}

/* ---- file format ---------------------------------------------------------------------- */

static sh_agg *random_agg(uint64_t seed, int n)
{
	sh_agg *agg;
	rng_state = seed;
	assert_int_equal(sh_agg_new(&agg), SH_OK);
	for (int i = 0; i < n; i++) {
		sh_agg_ad ad;
		const char *skills[40];
		char names[40][64];
		random_ad(&ad, skills, names);
		assert_int_equal(sh_agg_add_ad(agg, &ad), SH_OK);
	}
	return agg;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void expect_parse_error(const char *data, size_t len, const char *message)
{
	sh_agg *agg = (sh_agg *)&agg;
	assert_int_equal(sh_agg_parse(&agg, data, len, "x.agg"), SH_EFORMAT);
	assert_null(agg);
	if (!strstr(sh_errmsg(), message))
		fail_msg("error '%s' does not contain '%s'", sh_errmsg(), message);
}

static void file_round_trip_and_corruption(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/a.agg", dir);
	sh_agg *agg = random_agg(42, 500), *back;
	assert_int_equal(sh_agg_write(agg, path), SH_OK);
	assert_int_equal(sh_agg_read(&back, path), SH_OK);
	assert_same(agg, back);
	assert_int_equal(sh_agg_total_ads(back), 500);
	/* A parsed aggregate (records appended, keys built on demand) merges like any other. */
	sh_agg *twice = merged(agg, agg);
	assert_int_equal(sh_agg_merge(back, agg), SH_OK);
	assert_same(back, twice);
	sh_agg_free(twice);
	sh_agg_free(back);

	size_t len;
	char *data = read_all(path, &len);
	assert_true(len > 100);
	expect_parse_error(data, len - 10, "truncated or corrupt");
	expect_parse_error(data, 20, "truncated or corrupt header");
	expect_parse_error("hello\n", 6, "not an aggregate file");

	char *bad = malloc(len);
	assert_non_null(bad);
	/* A different checksum in the header: the content no longer matches it. */
	memcpy(bad, data, len);
	char *nl = memchr(bad, '\n', len);
	nl[-1] = nl[-1] == '0' ? '1' : '0';
	expect_parse_error(bad, len, "checksum mismatch");
	/* A newer format version is refused by name. */
	memcpy(bad, data, len);
	bad[strlen("skillhub-agg ")] = '9';
	expect_parse_error(bad, len, "format version 9");
	free(bad);
	free(data);
	sh_agg_free(agg);

	assert_int_equal(sh_agg_read(&back, "/nonexistent/x.agg") < 0, 1);
	test_rmtree(dir);
	free(dir);
}

static void malformed_content_names_the_line(void **state)
{
	(void)state;
	sh_agg *agg;
	const char *text[] = {
		"M\tpair_skills\t16\nT\tDE\nA\t0\t0\t0\t0\t0\t0\n",
		"M\tpair_skills\t16\nT\tu:x\nS\t0\t0\t1\n",
		"M\tpair_skills\t8\n",
		"M\tpair_skills\t16\nT\tDE\nA\t0\t0\t0\t0\t0\t1\nX\t1\n",
		"M\tpair_skills\t16\nT\tb\nT\ta\n",
		"M\tpair_skills\t16\nT\ta\n",
		"M\tpair_skills\t16\nT\tDE\nA\t0\t0\t0\t0\t9\t1\n",
		"M\tpair_skills\t16\nT\tDE\nA\t0\t0\t0\t0\t0\t1\nT\tFR\n",
		"M\tpair_skills\t16\nT\tDE\nA\t0\t0\t0\t0\t0\t1\nA\t0\t0\t0\t0\t0\t1\n",
	};
	const char *want[] = { "x.agg:3: count is not a positive", "x.agg:3: cell number out of range",
	                       "x.agg:1: expected", "x.agg:4: unknown record kind", "x.agg:3: strings out of order",
	                       "x.agg: string 0 is never used", "x.agg:3: string number out of range",
	                       "x.agg:4: records out of order", "x.agg:4: record out of order or repeated" };
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		/* The file a writer would make of this content: header, then the zlib stream. */
		size_t len = strlen(text[i]);
		unsigned char z[512];
		unsigned long zlen = sizeof z;
		assert_int_equal(compress(z, &zlen, (const unsigned char *)text[i], len), 0);
		char file[1024];
		int h = snprintf(file, sizeof file, "skillhub-agg 1 zlib %zu %08lx\n", len,
		                 crc32(0, (const unsigned char *)text[i], (unsigned)len));
		memcpy(file + h, z, zlen);
		assert_int_equal(sh_agg_parse(&agg, file, (size_t)h + zlen, "x.agg"), SH_EFORMAT);
		if (!strstr(sh_errmsg(), want[i]))
			fail_msg("error '%s' does not contain '%s'", sh_errmsg(), want[i]);
	}
}

/* ---- statistics -------------------------------------------------------------------------- */

static void g_test_matches_hand_computation(void **state)
{
	(void)state;
	/*
	 * {{30, 70}, {10, 90}}: N = 200, expected 20, 80, 20, 80.
	 * G = 2 (30 ln 1.5 + 70 ln 0.875 + 10 ln 0.5 + 90 ln 1.125)
	 *   = 2 (12.163953 - 9.347197 - 6.931472 + 10.600473) = 12.971514,
	 * p = erfc(sqrt(G / 2)) = 0.00031627.
	 */
	double p;
	assert_float_equal(sh_g_test_2x2(30, 70, 10, 90, &p), 12.971514, 1e-6);
	assert_float_equal(p, 0.00031627, 1e-8);
	/* Independent table: G = 0, p = 1; a zero cell is allowed (0 ln 0 = 0). */
	assert_float_equal(sh_g_test_2x2(10, 90, 20, 180, &p), 0.0, 1e-12);
	assert_float_equal(p, 1.0, 1e-12);
	/* {{0, 50}, {10, 40}}: G = 2 (50 ln(50/45) + 10 ln 2 + 40 ln(40/45)) = 14.976352. */
	assert_float_equal(sh_g_test_2x2(0, 50, 10, 40, &p), 14.976352, 1e-5);
}

static void bh_matches_hand_computation(void **state)
{
	(void)state;
	/* Sorted 0.005 0.01 0.03 0.04, times 4/rank: 0.02 0.02 0.04 0.04, running minimum from the top. */
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, q[4];
	assert_int_equal(sh_bh_adjust(p, q, 4), SH_OK);
	assert_float_equal(q[0], 0.02, 1e-12);
	assert_float_equal(q[1], 0.04, 1e-12);
	assert_float_equal(q[2], 0.04, 1e-12);
	assert_float_equal(q[3], 0.02, 1e-12);
	/* 0.5 * 2 / 1 = 1.0 > 0.6 * 2 / 2: the minimum from above wins. */
	double p2[] = { 0.5, 0.6 };
	assert_int_equal(sh_bh_adjust(p2, p2, 2), SH_OK);
	assert_float_equal(p2[0], 0.6, 1e-12);
	assert_float_equal(p2[1], 0.6, 1e-12);
}

/* ---- database and queries -------------------------------------------------------------- */

typedef struct fixture {
	char     *dir;
	sh_db    *db;
	sh_intel *intel;
	sh_agg   *agg;
} fixture;

static void exec(sh_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void exec(sh_db *db, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (sh_db_exec(db, sql))
		fail_msg("%s: %s", sql, sh_errmsg());
}

/* One ad; skills "01 02" are mini-s01, mini-s02 with decreasing scores. */
static void add_ad(sh_db *db, int id, const char *source, const char *posted, const char *country,
                   const char *region, const char *occ, const char *sector, int dup_of, const char *skills)
{
	exec(db, "INSERT OR IGNORE INTO ad_source(name) VALUES('%s')", source);
	exec(db, "INSERT INTO ad(id, source, record_hash, raw, posted, country, region, occupation, sector,"
	         " duplicate_of) VALUES(%d, (SELECT id FROM ad_source WHERE name = '%s'), 'h%d', '{}', '%s',"
	         " '%s', '%s', (SELECT id FROM concept WHERE uri = '%s'), '%s', %s%d%s)",
	     id, source, id, posted, country, region, occ ? occ : "", sector,
	     dup_of ? "" : "NULLIF(", dup_of, dup_of ? "" : ", 0)");
	double score = 0.99;
	for (const char *p = skills; *p; p += p[2] ? 3 : 2, score -= 0.01)
		exec(db, "INSERT INTO ad_skill(ad, skill, score) VALUES(%d, (SELECT id FROM concept WHERE uri ="
		         " '" ESCO "skill/mini-s%.2s'), %.2f)", id, p, score);
}

static void fill_ads(sh_db *db)
{
	exec(db, "BEGIN");
	/* 2024-Q1: developers in Germany ask Python; Q2: JavaScript rises. */
	int id = 1;
	for (int i = 0; i < 40; i++)
		add_ad(db, id++, "nhs", i < 20 ? "2024-01-10" : "2024-02-10", "DE", "DE1", OCC("01"), "J", 0,
		       i < 30 ? "01 04 11" : "01 02");
	for (int i = 0; i < 40; i++)
		add_ad(db, id++, "nhs", "2024-05-03", "DE", "DE2", OCC("01"), "J", 0, "02 01 13");
	/* Plumbers in France, and one analyst. */
	for (int i = 0; i < 10; i++)
		add_ad(db, id++, "eures", "2024-02-01", "FR", "FR1", OCC("03"), "F", 0, "07 08");
	add_ad(db, id++, "eures", "2024-03-01", "FR", "FR1", OCC("02"), "J", 0, "05 12");
	/* Duplicates of ad 1: never counted. */
	for (int i = 0; i < 5; i++)
		add_ad(db, id++, "eures", "2024-01-10", "DE", "DE1", OCC("01"), "J", 1, "09 10");
	exec(db, "COMMIT");
}

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fx->dir = test_tmpdir();
	fx->db = test_esco_mini_db(fx->dir);
	fill_ads(fx->db);
	assert_int_equal(sh_intel_open(&fx->intel, fx->db, "en"), SH_OK);
	assert_int_equal(sh_agg_from_db(&fx->agg, fx->db, NULL), SH_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	sh_agg_free(fx->agg);
	sh_intel_free(fx->intel);
	sh_db_close(fx->db);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static int64_t ads_of(const sh_demand *d, const char *uri)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->skills[i].uri, uri) == 0)
			return d->skills[i].ads;
	return 0;
}

static void db_aggregate_skips_duplicates_and_shards_merge(void **state)
{
	fixture *fx = *state;
	assert_int_equal(sh_agg_total_ads(fx->agg), 91);
	sh_agg_select nhs = { .source = "nhs" }, eures = { .source = "eures" };
	sh_agg *a, *b;
	assert_int_equal(sh_agg_from_db(&a, fx->db, &nhs), SH_OK);
	assert_int_equal(sh_agg_from_db(&b, fx->db, &eures), SH_OK);
	assert_int_equal(sh_agg_total_ads(a), 80);
	assert_int_equal(sh_agg_total_ads(b), 11);
	sh_agg *m = merged(b, a);
	assert_same(m, fx->agg);
	sh_agg_free(m);
	sh_agg_free(a);
	sh_agg_free(b);
	sh_agg_select nobody = { .source = "nobody" };
	assert_int_equal(sh_agg_from_db(&a, fx->db, &nobody), SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "source 'nobody'"));
	sh_agg_select q1 = { .period_from = "2024-01", .period_to = "2024-03", .country = "DE" };
	assert_int_equal(sh_agg_from_db(&a, fx->db, &q1), SH_OK);
	assert_int_equal(sh_agg_total_ads(a), 40);
	sh_agg_free(a);
}

static void pairs_come_from_the_best_scored_skills(void **state)
{
	fixture *fx = *state;
	/* 18 skills, best first: pairs only among the first 16 (u:00 .. u:15). */
	const char *skills[18];
	char names[18][32];
	for (int i = 0; i < 18; i++) {
		snprintf(names[i], sizeof names[i], "u:%02d", i);
		skills[i] = names[i];
	}
	sh_agg_ad ad = { "2024-01", NULL, NULL, NULL, NULL, skills, 18 };
	sh_agg *agg;
	assert_int_equal(sh_agg_new(&agg), SH_OK);
	assert_int_equal(sh_agg_add_ad(agg, &ad), SH_OK);
	char *text = text_of(agg);
	size_t pairs = 0, skill_lines = 0;
	for (char *p = text; (p = strchr(p, '\n')) && p[1]; p++) {
		pairs += p[1] == 'P';
		skill_lines += p[1] == 'S';
	}
	assert_int_equal(skill_lines, 18);
	assert_int_equal(pairs, 16 * 15 / 2);
	/* Strings: "" 2024-01 u:00 .. u:17 = 0, 1, 2 .. 19: u:14 u:15 pair, u:15 u:16 do not. */
	assert_non_null(strstr(text, "P\t1\t16\t17\t1\n"));
	assert_null(strstr(text, "P\t1\t17\t18\t"));
	free(text);
	sh_agg_free(agg);
	/* From the database: the ads' skill lists are ordered by score. */
	sh_demand d;
	sh_intel_filter none = { 0 };
	assert_int_equal(sh_intel_cooccur(fx->intel, fx->agg, SKILL("01"), &none, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 80);
	assert_int_equal(ads_of(&d, SKILL("04")), 30);
	assert_int_equal(ads_of(&d, SKILL("02")), 50);
	assert_int_equal(ads_of(&d, SKILL("09")), 0); /* only in duplicates */
	sh_demand_free(&d);
	sh_intel_filter may = { .period_from = "2024-05", .period_to = "2024-05" };
	assert_int_equal(sh_intel_cooccur(fx->intel, fx->agg, SKILL("01"), &may, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 40);
	assert_int_equal(ads_of(&d, SKILL("02")), 40);
	assert_int_equal(ads_of(&d, SKILL("04")), 0);
	assert_float_equal(d.skills[0].share, 1.0, 1e-12);
	sh_demand_free(&d);
}

static void demand_filters(void **state)
{
	fixture *fx = *state;
	sh_demand d;
	sh_intel_filter f = { 0 };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 91);
	assert_string_equal(d.skills[0].uri, SKILL("01"));
	assert_string_equal(d.skills[0].label, "Python (computer programming)");
	assert_int_equal(d.skills[0].ads, 80);
	assert_float_equal(d.skills[0].share, 80.0 / 91.0, 1e-12);
	assert_int_equal(ads_of(&d, SKILL("09")), 0);
	sh_demand_free(&d);

	f = (sh_intel_filter){ .period_from = "2024-Q1", .period_to = "2024-Q1", .country = "DE" };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 2, &d), SH_OK);
	assert_int_equal(d.total_ads, 40);
	assert_int_equal(d.n, 2);
	assert_int_equal(ads_of(&d, SKILL("01")), 40);
	assert_int_equal(ads_of(&d, SKILL("04")), 30);
	sh_demand_free(&d);

	f = (sh_intel_filter){ .occupation = "25" }; /* ISCO major group 2, sub-major 25 */
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 81);
	assert_int_equal(ads_of(&d, SKILL("12")), 1);
	sh_demand_free(&d);
	f = (sh_intel_filter){ .occupation = "7126" };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 10);
	sh_demand_free(&d);
	f = (sh_intel_filter){ .occupation = OCC("02"), .region = "FR1", .sector = "J" };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 1);
	assert_int_equal(d.n, 2);
	sh_demand_free(&d);

	f = (sh_intel_filter){ .collection = "digital" }; /* s01 s02 s03 s12 s13 */
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_OK);
	assert_int_equal(d.total_ads, 91);
	assert_int_equal(d.n, 4);
	assert_int_equal(ads_of(&d, SKILL("04")), 0);
	assert_int_equal(ads_of(&d, SKILL("13")), 40);
	sh_demand_free(&d);

	f = (sh_intel_filter){ .skill_group = ESCO "skill/mini-gS5" }; /* s06 s12 and, via S5.6, s04 s05 s13 */
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_OK);
	assert_int_equal(d.n, 4);
	assert_int_equal(ads_of(&d, SKILL("04")), 30);
	assert_int_equal(ads_of(&d, SKILL("05")), 1);
	assert_int_equal(ads_of(&d, SKILL("01")), 0);
	sh_demand_free(&d);

	f = (sh_intel_filter){ .period_from = "2024-13" };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "period_from"));
	f = (sh_intel_filter){ .collection = "purple" };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_EINVAL);
	assert_non_null(strstr(sh_errmsg(), "collection 'purple'"));
	f = (sh_intel_filter){ .occupation = "12345" };
	assert_int_equal(sh_intel_demand(fx->intel, fx->agg, &f, 0, &d), SH_EINVAL);
}

static void occupation_compared_with_esco(void **state)
{
	fixture *fx = *state;
	sh_occupation_report r;
	sh_intel_filter f = { .occupation = OCC("01") };
	assert_int_equal(sh_intel_occupation(fx->intel, fx->agg, &f, &r), SH_OK);
	assert_string_equal(r.label, "software developer");
	/* ESCO: essential s01 s04 s13, optional s02 s03 s11; ads: s01 s02 s04 s11 s13. */
	assert_int_equal(r.seen.total_ads, 80);
	assert_int_equal(r.essential, 3);
	assert_int_equal(r.essential_seen, 3);
	assert_int_equal(r.optional, 3);
	assert_int_equal(r.optional_seen, 2);
	assert_int_equal(r.not_in_esco, 0);
	assert_int_equal(r.nnever_asked, 0);
	assert_string_equal(r.seen.skills[0].relation, "essential");
	sh_occupation_report_free(&r);

	f.occupation = OCC("03"); /* plumber: essential s07 s08, both asked */
	f.period_from = "2024-03";
	assert_int_equal(sh_intel_occupation(fx->intel, fx->agg, &f, &r), SH_OK);
	assert_int_equal(r.seen.total_ads, 0);
	assert_int_equal(r.nnever_asked, 2);
	assert_string_equal(r.never_asked[0].label, "install pipes");
	sh_occupation_report_free(&r);

	f = (sh_intel_filter){ .occupation = "25" };
	assert_int_equal(sh_intel_occupation(fx->intel, fx->agg, &f, &r), SH_EINVAL);
}

static void trends_find_the_rising_skill(void **state)
{
	fixture *fx = *state;
	/* Q1 (DE developers): s02 in 10 of 40 ads; Q2: in 40 of 40. s01 in all ads of both. */
	sh_intel_filter f = { .country = "DE" };
	sh_trend_query q = { "2024-Q1", "2024-Q1", "2024-Q2", "2024-Q2", 5, 0.05 };
	sh_trends t;
	assert_int_equal(sh_intel_trends(fx->intel, fx->agg, &f, &q, &t), SH_OK);
	assert_int_equal(t.total_a, 40);
	assert_int_equal(t.total_b, 40);
	assert_int_equal(t.tested, 5); /* s01 s02 s04 s11 s13 */
	const sh_trend *s02 = NULL, *s01 = NULL;
	for (size_t i = 0; i < t.n; i++) {
		if (strcmp(t.skills[i].uri, SKILL("02")) == 0)
			s02 = &t.skills[i];
		if (strcmp(t.skills[i].uri, SKILL("01")) == 0)
			s01 = &t.skills[i];
	}
	assert_non_null(s02);
	assert_non_null(s01);
	double p;
	double g = sh_g_test_2x2(10, 30, 40, 0, &p);
	assert_float_equal(s02->g, g, 1e-9);
	assert_int_equal(s02->direction, 1);
	assert_true(s02->significant);
	assert_true(s02->q >= s02->p);
	assert_int_equal(s01->direction, 0);
	assert_false(s01->significant);
	assert_float_equal(s01->p, 1.0, 1e-12);
	assert_true(t.skills[0].significant);
	sh_trends_free(&t);

	q.min_ads = 1000;
	assert_int_equal(sh_intel_trends(fx->intel, fx->agg, &f, &q, &t), SH_OK);
	assert_int_equal(t.tested, 0);
	sh_trends_free(&t);
	q.a_to = NULL;
	assert_int_equal(sh_intel_trends(fx->intel, fx->agg, &f, &q, &t), SH_EINVAL);
}

static void series_and_heat_table(void **state)
{
	fixture *fx = *state;
	const char *skills[] = { SKILL("02"), "u:never-asked" };
	sh_intel_filter none = { 0 };
	sh_series s;
	assert_int_equal(sh_intel_series(fx->intel, fx->agg, &none, skills, 2, &s), SH_OK);
	/* Months with ads: Jan (20 DE), Feb (20 DE + 10 FR plumbers), Mar (1 analyst), May (40 DE). */
	assert_int_equal(s.nperiods, 4);
	assert_string_equal(s.period[0], "2024-01");
	assert_string_equal(s.period[3], "2024-05");
	int64_t total[] = { 20, 30, 1, 40 }, s02[] = { 0, 10, 0, 40 };
	for (size_t p = 0; p < 4; p++) {
		assert_int_equal(s.total[p], total[p]);
		assert_int_equal(s.ads[p], s02[p]);
		assert_int_equal(s.ads[4 + p], 0);
	}
	assert_string_equal(s.label[0], "JavaScript");
	sh_series_free(&s);

	/* Columns: the group below a top concept (06 under K; S5 under S) or the top itself (S). */
	sh_heat h;
	assert_int_equal(sh_intel_heat(fx->intel, fx->agg, &none, 10, 10, &h), SH_OK);
	assert_int_equal(h.nrows, 3);
	assert_string_equal(h.region[0], "DE1");
	assert_string_equal(h.region[1], "DE2");
	assert_string_equal(h.region[2], "FR1");
	assert_int_equal(h.ncols, 3);
	assert_string_equal(h.column_uri[0], ESCO "isced-f/06");
	assert_string_equal(h.column_uri[1], ESCO "skill/mini-gS5");
	assert_string_equal(h.column_uri[2], ESCO "skill/mini-gS");
	int64_t want[3][3] = { { 50, 30, 30 }, { 80, 40, 0 }, { 0, 2, 20 } };
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 3; c++)
			assert_int_equal(h.mentions[r * 3 + c], want[r][c]);
	sh_heat_free(&h);
}

static void svg_escapes_labels(void **state)
{
	(void)state;
	sh_buf b = SH_BUF_INIT;
	const char *labels[] = { "<script>alert(1)</script> & \"q\"" };
	double share[] = { 0.5 };
	assert_int_equal(sh_svg_bars(&b, "T<b>", labels, share, 1), SH_OK);
	assert_null(strstr(b.data, "<script>"));
	assert_null(strstr(b.data, "<b>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;"));
	assert_non_null(strstr(b.data, "50.0%"));
	sh_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_of_shards_is_the_whole),
		cmocka_unit_test(text_is_canonical_and_escaped),
		cmocka_unit_test(file_round_trip_and_corruption),
		cmocka_unit_test(malformed_content_names_the_line),
		cmocka_unit_test(g_test_matches_hand_computation),
		cmocka_unit_test(bh_matches_hand_computation),
		cmocka_unit_test_setup_teardown(db_aggregate_skips_duplicates_and_shards_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(pairs_come_from_the_best_scored_skills, setup, teardown),
		cmocka_unit_test_setup_teardown(demand_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(occupation_compared_with_esco, setup, teardown),
		cmocka_unit_test_setup_teardown(trends_find_the_rising_skill, setup, teardown),
		cmocka_unit_test_setup_teardown(series_and_heat_table, setup, teardown),
		cmocka_unit_test(svg_escapes_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
