/*
 * tests/unit/testutil.c - temporary directories, fixture paths and fixture databases for tests.
 */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skillhub/store.h"
#include "skillhub/taxonomy.h"

char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/skillhub-test-XXXXXX", base && *base ? base : "/tmp");
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

void test_rmtree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void test_write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
}

const char *test_fixture(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof path, "tests/fixtures/%s", rel);
	return path;
}

const char *test_shared(const char *rel)
{
	static char path[4096];
	const char *base = getenv("SKILLHUB_SHARED");
	snprintf(path, sizeof path, "%s/%s", base && *base ? base : "../shared/data", rel);
	return access(path, R_OK) == 0 ? path : NULL;
}

sh_db *test_esco_mini_db(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/t.db", dir);
	sh_db *db;
	assert_int_equal(sh_db_open(&db, path, SH_DB_CREATE), SH_OK);
	const char *dirs[] = { test_fixture("esco-mini/en") };
	sh_import_report rep;
	assert_int_equal(sh_import_esco(db, dirs, 1, NULL, &rep), SH_OK);
	return db;
}
