/*
 * server/server.h - `skillhub serve`: the HTTP server (JSON API and web UI).
 *
 * sh_server_run() opens the database read-only and its compiled index,
 * listens, and serves until SIGINT or SIGTERM; then it stops accepting,
 * lets the requests in flight finish and returns.  docs/api.md describes
 * the routes, limits and caching.
 */
#ifndef SH_SERVER_SERVER_H
#define SH_SERVER_SERVER_H

#include <stddef.h>

typedef struct sh_server_opts {
	const char *db_path;
	const char *listen;      /* IPv4 or IPv6 address to bind */
	unsigned    port;        /* 0 = a free port, printed once listening */
	const char *cors_origin; /* Access-Control-Allow-Origin value; NULL = no CORS */
	unsigned    threads;     /* worker threads; 0 = one per core */
	size_t      max_body;    /* largest request body accepted (413 beyond) */
	size_t      max_batch;   /* most texts in one POST /api/v1/extract or /titles (413 beyond) */
	int         access_log;  /* one line per request on stderr */
} sh_server_opts;

/* Default limits (see docs/api.md). */
enum {
	SH_SERVER_MAX_URI       = 8192,       /* request target, bytes (414 beyond) */
	SH_SERVER_MAX_BODY      = 1 << 20,    /* default max_body */
	SH_SERVER_MAX_BATCH     = 100,        /* default max_batch */
	SH_SERVER_MEMORY_LIMIT  = 64 * 1024,  /* per connection: request line + headers */
	SH_SERVER_TIMEOUT       = 10,         /* seconds a connection may stay idle or stall */
	SH_SERVER_MAX_CONNECTIONS = 1000,
	SH_SERVER_DRAIN_SECONDS = 10          /* how long shutdown waits for requests in flight */
};

/* Serves until SIGINT/SIGTERM.  Returns SH_OK after a clean shutdown. */
int sh_server_run(const sh_server_opts *opts);

#endif
