/*
 * server/dbconn.c - a read-only database connection per server thread
 * (see dbconn.h).  The path is copied once at start-up; connections live in a
 * pthread key whose destructor closes them when libmicrohttpd's threads exit.
 */
#include "server/dbconn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static pthread_key_t  conn_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static char          *path;

static void close_conn(void *db)
{
	sh_db_close(db);
}

static void make_key(void)
{
	pthread_key_create(&conn_key, close_conn);
}

int sh_dbconn_init(const char *db_path)
{
	pthread_once(&key_once, make_key);
	free(path);
	if (!(path = strdup(db_path)))
		return sh_error(SH_ENOMEM, "out of memory");
	return SH_OK;
}

int sh_dbconn_get(sh_db **out)
{
	if (!path)
		return sh_error(SH_EINVAL, "database connections not initialised");
	sh_db *db = pthread_getspecific(conn_key);
	if (!db) {
		int rc = sh_db_open(&db, path, SH_DB_READONLY);
		if (rc)
			return rc;
		if (pthread_setspecific(conn_key, db)) {
			sh_db_close(db);
			return sh_error(SH_ENOMEM, "out of memory");
		}
	}
	*out = db;
	return SH_OK;
}

void sh_dbconn_shutdown(void)
{
	/* the calling (main) thread may have used a connection too */
	sh_db *db = path ? pthread_getspecific(conn_key) : NULL;
	if (db) {
		pthread_setspecific(conn_key, NULL);
		sh_db_close(db);
	}
	free(path);
	path = NULL;
}
