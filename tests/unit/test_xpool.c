/*
 * tests/unit/test_xpool.c - the server's extractor pool (server/xpool.h)
 * on the taxonomy of index_fixture.h: extractors are reused rather than
 * made anew, threads never share one, the pool holds at most as many as
 * were in use at once; and the request helpers of the text routes
 * (Content-Type matching, languages of the index).
 */
#include "testutil.h"

#include <pthread.h>
#include <string.h>

#include "index_fixture.h"
#include "server/request.h"
#include "server/xpool.h"

static int setup(void **state)
{
	*state = fixture_new();
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

static void extractors_are_reused(void **state)
{
	fixture *f = *state;
	sh_xpool p;
	sh_extractor *a, *b, *c;
	sh_xpool_init(&p, f->idx);
	assert_int_equal(sh_xpool_take(&p, &a), SH_OK);
	assert_int_equal(sh_xpool_take(&p, &b), SH_OK);
	assert_ptr_not_equal(a, b);
	sh_xpool_give(&p, a);
	assert_int_equal(p.nidle, 1);
	assert_int_equal(sh_xpool_take(&p, &c), SH_OK);
	assert_ptr_equal(c, a);
	assert_int_equal(p.nidle, 0);
	sh_xpool_give(&p, b);
	sh_xpool_give(&p, c);
	sh_xpool_give(&p, NULL);
	assert_int_equal(p.nidle, 2);
	sh_xpool_destroy(&p); /* frees both (LeakSanitizer checks) */
}

enum { THREADS = 4, ROUNDS = 50 };

typedef struct worker {
	sh_xpool *pool;
	int       failures;
} worker;

/* Takes an extractor, uses it, gives it back, ROUNDS times. */
static void *work(void *arg)
{
	worker *w = arg;
	static const char text[] = "We need a registered nurse who knows Python programming.";
	for (int i = 0; i < ROUNDS; i++) {
		sh_extractor *x;
		sh_extraction ex;
		if (sh_xpool_take(w->pool, &x) || sh_extract(x, text, sizeof text - 1, NULL, &ex)) {
			w->failures++;
			continue;
		}
		sh_xpool_give(w->pool, x);
	}
	return NULL;
}

static void threads_share_the_pool(void **state)
{
	fixture *f = *state;
	sh_xpool p;
	pthread_t th[THREADS];
	worker w[THREADS];
	sh_xpool_init(&p, f->idx);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (worker){ &p, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_true(p.nidle >= 1 && p.nidle <= THREADS);
	sh_xpool_destroy(&p);
}

static void content_types(void **state)
{
	(void)state;
	sh_request req = { .content_type_in = "application/json" };
	assert_true(sh_request_has_type(&req, "application/json", 0));
	req.content_type_in = "Application/JSON; charset=utf-8";
	assert_true(sh_request_has_type(&req, "application/json", 0));
	req.content_type_in = "application/jsonx";
	assert_false(sh_request_has_type(&req, "application/json", 1));
	req.content_type_in = "text/plain";
	assert_false(sh_request_has_type(&req, "application/json", 1));
	req.content_type_in = NULL;
	assert_true(sh_request_has_type(&req, "application/json", 1));
	assert_false(sh_request_has_type(&req, "application/json", 0));
}

static void languages_of_the_index(void **state)
{
	fixture *f = *state;
	assert_string_equal(sh_index_language(f->idx, "fr"), "fr");
	assert_string_equal(sh_index_language(f->idx, "en"), "en");
	assert_null(sh_index_language(f->idx, "de"));
	assert_null(sh_index_language(f->idx, ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extractors_are_reused),
		cmocka_unit_test(threads_share_the_pool),
		cmocka_unit_test(content_types),
		cmocka_unit_test(languages_of_the_index),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
