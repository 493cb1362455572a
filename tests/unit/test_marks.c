/*
 * tests/unit/test_marks.c - which skill spans the analyse page highlights
 * (server/marks.h): overlapping and nested spans, ties, spans out of range.
 */
#include "testutil.h"

#include "server/marks.h"

static void keeps_non_overlapping_spans_in_text_order(void **state)
{
	(void)state;
	sh_mark m[] = {
		{ 30, 40, 3, 0 },   /* kept */
		{ 0, 8, 1, 2 },     /* "software" inside "software development": dropped */
		{ 0, 20, 2, 1 },    /* kept: the longer at equal start */
		{ 15, 25, 4, 3 },   /* overlaps [0,20): dropped */
		{ 20, 30, 5, 4 },   /* starts where [0,20) ends: kept */
	};
	size_t k = sh_marks_select(m, 5, 100);
	assert_int_equal(k, 3);
	assert_int_equal(m[0].concept, 2);
	assert_int_equal(m[1].concept, 5);
	assert_int_equal(m[2].concept, 3);
	assert_int_equal(m[0].end, 20);
	assert_int_equal(m[2].start, 30);
}

static void equal_spans_go_to_the_better_skill(void **state)
{
	(void)state;
	sh_mark m[] = { { 5, 9, 7, 3 }, { 5, 9, 8, 0 }, { 5, 9, 9, 1 } };
	assert_int_equal(sh_marks_select(m, 3, 9), 1);
	assert_int_equal(m[0].concept, 8);
}

static void empty_and_out_of_range_spans_are_dropped(void **state)
{
	(void)state;
	sh_mark m[] = { { 4, 4, 1, 0 }, { 6, 3, 2, 0 }, { 8, 12, 3, 0 }, { 1, 2, 4, 1 } };
	assert_int_equal(sh_marks_select(m, 4, 10), 1);
	assert_int_equal(m[0].concept, 4);
	assert_int_equal(sh_marks_select(m, 0, 10), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keeps_non_overlapping_spans_in_text_order),
		cmocka_unit_test(equal_spans_go_to_the_better_skill),
		cmocka_unit_test(empty_and_out_of_range_spans_are_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
