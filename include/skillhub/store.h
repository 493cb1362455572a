/*
 * skillhub/store.h - the embedded SQLite store.
 *
 * A database file holds the taxonomy (ESCO and, later, sector extensions) and
 * the application data.  Opening it for writing creates it if asked and brings
 * its schema up to date by applying the numbered migrations in order (see
 * docs/data-model.md).  An sh_db is used by one thread at a time.
 */
#ifndef SKILLHUB_STORE_H
#define SKILLHUB_STORE_H

#include "skillhub/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_db sh_db;

enum {
	SH_DB_READONLY = 1 << 0, /* never write; fails if the schema is older than the program */
	SH_DB_CREATE   = 1 << 1  /* create the file if it does not exist */
};

int  sh_db_open(sh_db **out, const char *path, unsigned flags);
void sh_db_close(sh_db *db);

const char *sh_db_path(const sh_db *db);

/* Schema version (number of the last migration applied). */
int  sh_db_schema_version(sh_db *db);

/*
 * Taxonomy generation: a counter that every write changing the taxonomy
 * increments.  The compiled index records the generation it was built from;
 * a different value means the index is stale.
 */
int  sh_db_generation(sh_db *db, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif
