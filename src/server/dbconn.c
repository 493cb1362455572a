/*
 * server/dbconn.c - a read-only and a read-write database connection per
 * server thread (see dbconn.h).  The path is copied once at start-up;
 * connections live in two pthread keys whose destructor closes them when
 * libmicrohttpd's threads exit.  The read-write one is opened without
 * SH_DB_CREATE (the server never creates a database) and relies on the busy
 * timeout of sh_db_open for writers of other threads and processes.
 */
#include "server/dbconn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static pthread_key_t  conn_key;    /* read-only connections */
static pthread_key_t  rw_key;      /* read-write connections */
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static char          *path;

static void close_conn(void *db)
{
	sh_db_close(db);
}

static void make_key(void)
{
	pthread_key_create(&conn_key, close_conn);
	pthread_key_create(&rw_key, close_conn);
}

int sh_dbconn_init(const char *db_path)
{
	pthread_once(&key_once, make_key);
	free(path);
	if (!(path = strdup(db_path)))
		return sh_error(SH_ENOMEM, "out of memory");
	return SH_OK;
}

/* The connection of this thread under key, opened with flags on first use. */
static int thread_conn(pthread_key_t key, unsigned flags, sh_db **out)
{
	if (!path)
		return sh_error(SH_EINVAL, "database connections not initialised");
	sh_db *db = pthread_getspecific(key);
	if (!db) {
		int rc = sh_db_open(&db, path, flags);
		if (rc)
			return rc;
		if (pthread_setspecific(key, db)) {
			sh_db_close(db);
			return sh_error(SH_ENOMEM, "out of memory");
		}
	}
	*out = db;
	return SH_OK;
}

int sh_dbconn_get(sh_db **out)
{
	return thread_conn(conn_key, SH_DB_READONLY, out);
}

int sh_dbconn_rw(sh_db **out)
{
	return thread_conn(rw_key, 0, out);
}

void sh_dbconn_shutdown(void)
{
	/* the calling (main) thread may have used connections too */
	pthread_key_t keys[] = { conn_key, rw_key };
	for (size_t i = 0; path && i < sizeof keys / sizeof keys[0]; i++) {
		sh_db *db = pthread_getspecific(keys[i]);
		if (db) {
			pthread_setspecific(keys[i], NULL);
			sh_db_close(db);
		}
	}
	free(path);
	path = NULL;
}
