/*
 * tests/unit/test_termdict.c - the hashed term dictionary: dense ids,
 * lookups before and after serialisation, corruption detection.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "index/termdict.h"

static void ids_are_dense_and_stable(void **state)
{
	(void)state;
	sh_termdict_builder b;
	sh_tdb_init(&b);
	uint32_t id;
	assert_int_equal(sh_tdb_add(&b, "nurse", 5, &id), SH_OK);
	assert_int_equal(id, 0);
	assert_int_equal(sh_tdb_add(&b, "care", 4, &id), SH_OK);
	assert_int_equal(id, 1);
	assert_int_equal(sh_tdb_add(&b, "nurse", 5, &id), SH_OK);
	assert_int_equal(id, 0);
	assert_int_equal(sh_tdb_find(&b, "care", 4), 1);
	assert_int_equal(sh_tdb_find(&b, "car", 3), SH_TERM_NONE);
	/* a prefix of a stored term is a different term */
	assert_int_equal(sh_tdb_find(&b, "nurs", 4), SH_TERM_NONE);
	sh_tdb_free(&b);
}

static void serialised_dictionary_finds_every_term(void **state)
{
	(void)state;
	sh_termdict_builder b;
	sh_tdb_init(&b);
	char term[32];
	for (uint32_t i = 0; i < 50000; i++) {
		uint32_t id;
		int n = snprintf(term, sizeof term, "t%u", i * 7919u);
		assert_int_equal(sh_tdb_add(&b, term, (size_t)n, &id), SH_OK);
		assert_int_equal(id, i);
	}
	sh_buf out = SH_BUF_INIT;
	assert_int_equal(sh_tdb_serialize(&b, &out), SH_OK);
	sh_termdict d;
	assert_int_equal(sh_termdict_open(&d, out.data, out.len), SH_OK);
	assert_int_equal(d.nterms, 50000);
	for (uint32_t i = 0; i < 50000; i++) {
		int n = snprintf(term, sizeof term, "t%u", i * 7919u);
		assert_int_equal(sh_termdict_find(&d, term, (size_t)n), i);
		size_t len;
		const char *s = sh_termdict_term(&d, i, &len);
		assert_int_equal(len, (size_t)n);
		assert_memory_equal(s, term, len);
	}
	assert_int_equal(sh_termdict_find(&d, "absent", 6), SH_TERM_NONE);
	assert_null(sh_termdict_term(&d, 50000, NULL));

	/* truncation and a corrupted term offset are detected */
	assert_int_equal(sh_termdict_open(&d, out.data, out.len / 2), SH_EFORMAT);
	uint32_t nbuckets;
	memcpy(&nbuckets, out.data + 8, 4);
	uint32_t bad = 0x7fffffff;
	memcpy(out.data + 16 + (size_t)nbuckets * 4 + 4, &bad, 4); /* term 0's offset */
	assert_int_equal(sh_termdict_open(&d, out.data, out.len), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "out of bounds"));
	sh_buf_free(&out);
	sh_tdb_free(&b);
}

static void empty_dictionary_serialises(void **state)
{
	(void)state;
	sh_termdict_builder b;
	sh_tdb_init(&b);
	assert_int_equal(sh_tdb_find(&b, "x", 1), SH_TERM_NONE);
	sh_buf out = SH_BUF_INIT;
	assert_int_equal(sh_tdb_serialize(&b, &out), SH_OK);
	sh_termdict d;
	assert_int_equal(sh_termdict_open(&d, out.data, out.len), SH_OK);
	assert_int_equal(sh_termdict_find(&d, "x", 1), SH_TERM_NONE);
	sh_buf_free(&out);
	sh_tdb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_are_dense_and_stable),
		cmocka_unit_test(serialised_dictionary_finds_every_term),
		cmocka_unit_test(empty_dictionary_serialises),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
