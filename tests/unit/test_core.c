/*
 * tests/unit/test_core.c - error slots, buffers, files, the store's
 * migrations and the index container.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/hash.h"
#include "index/idxfile.h"
#include "store/db.h"

static void error_message_is_formatted_and_returned(void **state)
{
	(void)state;
	assert_int_equal(sh_error(SH_EFORMAT, "%s:%d: bad", "f.csv", 7), SH_EFORMAT);
	assert_string_equal(sh_errmsg(), "f.csv:7: bad");
	sh_error_wrap(SH_EFORMAT, "import");
	assert_string_equal(sh_errmsg(), "import: f.csv:7: bad");
	assert_string_equal(sh_strstatus(SH_ENOTFOUND), "SH_ENOTFOUND");
	sh_error_clear();
	assert_string_equal(sh_errmsg(), "");
}

static void buffer_appends_and_escapes_json(void **state)
{
	(void)state;
	sh_buf b = SH_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(sh_buf_printf(&b, "%d,", i), SH_OK);
	assert_int_equal(b.len, strlen(b.data));
	assert_memory_equal(b.data, "0,1,2,", 6);
	sh_buf_clear(&b);
	const char raw[] = "a\"b\\c\n\x01" "é";
	assert_int_equal(sh_buf_json_escape(&b, raw, strlen(raw)), SH_OK);
	assert_string_equal(b.data, "a\\\"b\\\\c\\n\\u0001é");
	char *s = sh_buf_detach(&b);
	assert_null(b.data);
	assert_string_equal(s, "a\\\"b\\\\c\\n\\u0001é");
	free(s);
	sh_buf_free(&b);
}

static void hash_differs_on_every_byte(void **state)
{
	(void)state;
	char a[] = "vehicle maintenance", b[] = "vehicle maintenance";
	assert_true(sh_hash64(a, strlen(a)) == sh_hash64(b, strlen(b)));
	for (size_t i = 0; i < strlen(a); i++) {
		b[i] ^= 1;
		assert_true(sh_hash64(a, strlen(a)) != sh_hash64(b, strlen(b)));
		b[i] ^= 1;
	}
	assert_true(sh_hash64("ab", 2) != sh_hash64("ab\0", 3));
}

static void atomic_write_then_read_and_map(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/f.bin", dir);
	assert_int_equal(sh_write_atomic(path, "hello", 5), SH_OK);
	char *data;
	size_t len;
	assert_int_equal(sh_read_file(path, &data, &len), SH_OK);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);
	sh_map m;
	assert_int_equal(sh_map_file(&m, path), SH_OK);
	assert_memory_equal(m.data, "hello", 5);
	sh_unmap(&m);
	snprintf(path, sizeof path, "%s/missing", dir);
	assert_int_equal(sh_read_file(path, &data, &len), SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "missing"));
	test_rmtree(dir);
	free(dir);
}

static void store_creates_schema_and_counts_generations(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/t.db", dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, path, SH_DB_READONLY), SH_ENOTFOUND);
	assert_non_null(strstr(sh_errmsg(), "t.db"));
	assert_int_equal(sh_db_open(&db, path, SH_DB_CREATE), SH_OK);
	assert_int_equal(sh_db_schema_version(db), sh_migrations[sh_migration_count - 1].version);
	int64_t g = -1;
	assert_int_equal(sh_db_generation(db, &g), SH_OK);
	assert_int_equal(g, 0);
	assert_int_equal(sh_db_begin(db), SH_OK);
	assert_int_equal(sh_db_bump_generation(db), SH_OK);
	assert_int_equal(sh_db_commit(db), SH_OK);
	assert_int_equal(sh_db_begin(db), SH_OK);
	assert_int_equal(sh_db_bump_generation(db), SH_OK);
	sh_db_rollback(db);
	assert_int_equal(sh_db_generation(db, &g), SH_OK);
	assert_int_equal(g, 1);
	assert_int_equal(sh_db_exec(db, "SELECT nonsense FROM nowhere"), SH_EDB);
	assert_non_null(strstr(sh_errmsg(), "nowhere"));
	sh_db_close(db);
	/* reopening read-only sees the same schema and generation */
	assert_int_equal(sh_db_open(&db, path, SH_DB_READONLY), SH_OK);
	assert_int_equal(sh_db_generation(db, &g), SH_OK);
	assert_int_equal(g, 1);
	sh_db_close(db);
	test_rmtree(dir);
	free(dir);
}

static void index_container_round_trip_and_corruption(void **state)
{
	(void)state;
	char *dir = test_tmpdir(), path[4200];
	snprintf(path, sizeof path, "%s/x.idx", dir);
	sh_idx_writer w;
	sh_idxw_init(&w);
	uint32_t nums[3] = { 1, 2, 3 };
	assert_int_equal(sh_idxw_add(&w, SH_IDX_ID('N','U','M','S'), nums, sizeof nums), SH_OK);
	assert_int_equal(sh_idxw_add(&w, SH_IDX_ID('S','T','R','S'), "abc", 3), SH_OK);
	assert_int_equal(sh_idxw_add(&w, SH_IDX_ID('S','T','R','S'), "x", 1), SH_EINVAL);
	assert_int_equal(sh_idxw_write(&w, path, 42), SH_OK);
	sh_idxw_free(&w);

	sh_idx_file f;
	assert_int_equal(sh_idxf_open(&f, path), SH_OK);
	assert_int_equal(f.generation, 42);
	size_t size;
	const uint32_t *n = sh_idxf_section(&f, SH_IDX_ID('N','U','M','S'), &size);
	assert_non_null(n);
	assert_int_equal(size, sizeof nums);
	assert_int_equal((uintptr_t)n % 64, 0);
	assert_int_equal(n[2], 3);
	const char *s = sh_idxf_section(&f, SH_IDX_ID('S','T','R','S'), &size);
	assert_memory_equal(s, "abc", 3);
	assert_null(sh_idxf_section(&f, SH_IDX_ID('N','O','P','E'), NULL));
	size_t full = f.map.size;
	sh_idxf_close(&f);

	/* a truncated file is refused with a message, never read past its end */
	char *data;
	size_t len;
	assert_int_equal(sh_read_file(path, &data, &len), SH_OK);
	assert_int_equal(len, full);
	assert_int_equal(sh_write_atomic(path, data, len - 1), SH_OK);
	assert_int_equal(sh_idxf_open(&f, path), SH_EFORMAT);
	data[0] = 'X';
	assert_int_equal(sh_write_atomic(path, data, len), SH_OK);
	assert_int_equal(sh_idxf_open(&f, path), SH_EFORMAT);
	assert_non_null(strstr(sh_errmsg(), "not a skillhub index"));
	free(data);
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(error_message_is_formatted_and_returned),
		cmocka_unit_test(buffer_appends_and_escapes_json),
		cmocka_unit_test(hash_differs_on_every_byte),
		cmocka_unit_test(atomic_write_then_read_and_map),
		cmocka_unit_test(store_creates_schema_and_counts_generations),
		cmocka_unit_test(index_container_round_trip_and_corruption),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
