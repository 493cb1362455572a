/*
 * server/dbconn.h - a read-only database connection per server thread.
 *
 * Handlers that read tables the compiled index does not hold (the course
 * catalogue, job ads) need SQLite.  A connection must not be used by two
 * threads at once, and opening one per request costs more than most
 * requests, so each of libmicrohttpd's threads opens its own on first use
 * and keeps it until the thread ends (a pthread key destructor closes it).
 * Read-only connections see every commit of other processes (WAL), so a
 * running server serves what `skillhub courses import` wrote a moment ago.
 */
#ifndef SH_SERVER_DBCONN_H
#define SH_SERVER_DBCONN_H

#include "skillhub/store.h"

/* Records the database path; call once before the server's threads start. */
int sh_dbconn_init(const char *db_path);

/*
 * The calling thread's read-only connection, opened on first use.  It stays
 * owned by the thread: never close it.  On failure returns a negative status
 * with the message set (sh_errmsg).
 */
int sh_dbconn_get(sh_db **out);

/*
 * The calling thread's read-write connection, opened on first use, for the
 * write routes (accounts, sessions, the catalogue's workflow, profiles).
 * Same ownership as sh_dbconn_get; SQLite serialises writers (busy timeout).
 */
int sh_dbconn_rw(sh_db **out);

/* Forgets the path; call after the server's threads have stopped. */
void sh_dbconn_shutdown(void);

#endif
