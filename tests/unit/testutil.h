/*
 * tests/unit/testutil.h - helpers shared by the cmocka unit tests.
 */
#ifndef SH_TESTUTIL_H
#define SH_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* A fresh empty directory under $TMPDIR (or /tmp); caller frees the path, test_rmtree() removes it. */
char *test_tmpdir(void);
void  test_rmtree(const char *path);
/* Writes a whole file (creating parent directories is the caller's job). */
void  test_write_file(const char *path, const char *content);
/* Path under tests/fixtures (the tests run from the project root). Static buffer. */
const char *test_fixture(const char *rel);
/* Path under ../shared/data, or NULL when the shared data is absent. Static buffer. */
const char *test_shared(const char *rel);

struct sh_db;
/* A new database DIR/t.db holding the esco-mini English fixture; the caller closes it (sh_db_close). */
struct sh_db *test_esco_mini_db(const char *dir);

#endif
