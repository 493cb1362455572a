/*
 * server/server.c - the libmicrohttpd daemon, request dispatch, index
 * hot-swapping and shutdown.
 *
 * Threads: MHD's internal thread pool with epoll, one thread per core by
 * default.  Handlers run synchronously on those threads and build the whole
 * response in memory (responses are small), so a request never waits on
 * another.
 *
 * Request life: MHD calls uri_logged() with the raw request target as soon
 * as the request line is read; its return value becomes the per-request
 * context (start time, raw URI, body).  The access handler is called first
 * without body, then once per body chunk, then once more; we answer on the
 * last call (or at once with 413 when Content-Length is too large).
 * request_completed() writes the access log line and frees the context.
 *
 * Index swap: the current index lives in an index_ref with a reference
 * count under a mutex.  Each request takes a reference for its whole
 * duration.  Once a second the main thread compares the database's
 * taxonomy generation and the index file's identity (inode, size, mtime) with
 * those of the index in use; when either changed it opens the new index
 * (sh_index_open_fresh rebuilds a stale one) and swaps the pointer.  The old
 * index is closed by whoever drops its last reference, so requests in flight
 * finish on the data they started with.  The extractors of the text routes
 * belong to the index_ref too (xpool.h): a request takes one from the pool of
 * the index it holds, so an extractor is never used with another index, and
 * the pool is freed with its index.
 *
 * Credentials: before the handler runs, auth_web.c turns a Bearer token or
 * the session cookie into req->account.  A response to an authenticated
 * request, or one that sets a cookie, is never cacheable by others: no ETag,
 * "Cache-Control: private, no-store".  Cacheable pages vary on Cookie, since
 * their header names who is signed in.
 *
 * Shutdown: SIGINT and SIGTERM are blocked in every thread and taken by the
 * main thread with sigtimedwait() (which doubles as the one-second reload
 * tick).  On a signal: MHD_quiesce_daemon() stops accepting, we wait (at most
 * SH_SERVER_DRAIN_SECONDS) until no request is in flight, then stop MHD.
 */
#include "server/server.h"

#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/hash.h"
#include "server/auth_web.h"
#include "server/dbconn.h"
#include "server/request.h"
#include "server/xpool.h"
#include "skillhub/index.h"
#include "skillhub/store.h"

typedef struct index_ref {
	sh_index       *idx;
	unsigned        refs;  /* requests using it, plus one while it is current */
	struct stat     st;    /* identity of the file it was opened from */
	sh_xpool        xpool; /* extractors over idx, for the text routes */
} index_ref;

typedef struct server {
	const sh_server_opts *opts;
	sh_db           *db;
	char            *idx_path;
	pthread_mutex_t  lock;     /* guards current and every refs */
	index_ref       *current;
	atomic_int       inflight; /* requests between uri_logged and request_completed */
} server;

typedef struct request_ctx {
	struct timespec start;
	char           *uri;      /* raw request target */
	const char     *method;   /* set on the first handler call */
	int             started;
	sh_buf          body;     /* request body (bounded by max_body) */
	size_t          bytes;    /* response body size, for the log */
} request_ctx;

/* ---- index references ---------------------------------------------------- */

static index_ref *index_acquire(server *s)
{
	pthread_mutex_lock(&s->lock);
	index_ref *r = s->current;
	r->refs++;
	pthread_mutex_unlock(&s->lock);
	return r;
}

static void index_release(server *s, index_ref *r)
{
	pthread_mutex_lock(&s->lock);
	unsigned left = --r->refs;
	pthread_mutex_unlock(&s->lock);
	if (left == 0) {
		sh_xpool_destroy(&r->xpool);
		sh_index_close(r->idx);
		free(r);
	}
}

static int index_ref_open(server *s, index_ref **out)
{
	index_ref *r = calloc(1, sizeof *r);
	if (!r)
		return sh_error(SH_ENOMEM, "out of memory");
	int rc = sh_index_open_fresh(&r->idx, s->db);
	if (rc) {
		free(r);
		return rc;
	}
	if (stat(s->idx_path, &r->st)) {
		memset(&r->st, 0, sizeof r->st);
	}
	sh_xpool_init(&r->xpool, r->idx);
	r->refs = 1;
	*out = r;
	return SH_OK;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Called once a second by the main thread: swaps in a rebuilt index. */
static void maybe_reload(server *s)
{
	int64_t gen;
	struct stat st;
	index_ref *cur = s->current; /* only this thread writes s->current */
	int stale = (sh_db_generation(s->db, &gen) == SH_OK && gen != sh_index_generation(cur->idx)) ||
	            (stat(s->idx_path, &st) == 0 && !same_file(&st, &cur->st));
	if (!stale)
		return;
	index_ref *next;
	if (index_ref_open(s, &next)) {
		fprintf(stderr, "skillhub serve: keeping the current index: %s\n", sh_errmsg());
		return;
	}
	if (sh_index_generation(next->idx) == sh_index_generation(cur->idx) && same_file(&next->st, &cur->st)) {
		index_release(s, next);
		return;
	}
	fprintf(stderr, "skillhub serve: index reloaded (generation %lld, %zu concepts)\n",
	        (long long)sh_index_generation(next->idx), sh_index_concept_count(next->idx));
	pthread_mutex_lock(&s->lock);
	s->current = next;
	pthread_mutex_unlock(&s->lock);
	index_release(s, cur);
}

/* ---- responses ------------------------------------------------------------ */

static void add_common_headers(const server *s, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (s->opts->cors_origin) {
		MHD_add_response_header(resp, "Access-Control-Allow-Origin", s->opts->cors_origin);
		MHD_add_response_header(resp, "Access-Control-Expose-Headers", "ETag");
		MHD_add_response_header(resp, "Vary", "Origin");
	}
}

/* Queues req's response (taking its body); etag is NULL when not cacheable. */
static enum MHD_Result send_reply(const server *s, struct MHD_Connection *conn, request_ctx *ctx,
                                  sh_request *req, const char *etag, const char *allow)
{
	size_t len = req->body.len;
	char *body = sh_buf_detach(&req->body);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	ctx->bytes = len;
	add_common_headers(s, resp);
	if (req->content_type && len)
		MHD_add_response_header(resp, "Content-Type", req->content_type);
	if (req->content_type && !strncmp(req->content_type, "text/html", 9))
		MHD_add_response_header(resp, "Content-Security-Policy",
		                        "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
	if (allow)
		MHD_add_response_header(resp, "Allow", allow);
	if (req->location)
		MHD_add_response_header(resp, "Location", req->location);
	if (req->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", req->set_cookie);
	if (req->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"skillhub\"");
	if (req->account || req->set_cookie) {
		MHD_add_response_header(resp, "Cache-Control", "private, no-store");
	} else if (etag && (req->status == 200 || req->status == 304)) {
		MHD_add_response_header(resp, "ETag", etag);
		MHD_add_response_header(resp, "Cache-Control", "public, max-age=300");
		if (req->content_type && !strncmp(req->content_type, "text/html", 9))
			MHD_add_response_header(resp, "Vary", "Cookie"); /* the header names who is signed in */
	} else {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	}
	enum MHD_Result r = MHD_queue_response(conn, (unsigned)req->status, resp);
	MHD_destroy_response(resp);
	return r;
}

/* ---- dispatch ------------------------------------------------------------- */

/* Decodes the route's placeholders and the query; replies 400 on malformed input. */
static int parse_target(sh_request *req, const sh_http_segment *seg, const size_t *arg,
                        const char *query, size_t query_len)
{
	for (size_t i = 0; i < req->narg; i++) {
		if (sh_http_decode(seg[arg[i]].p, seg[arg[i]].len, 0, &req->arg[i]))
			return sh_reply_problem(req, 400, "bad-request", NULL, "path segment %zu: %s",
			                        arg[i] + 1, sh_errmsg());
	}
	char *bad = NULL;
	if (sh_http_query_parse(query, query_len, &req->query, &bad)) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", sh_errmsg());
		int rc = sh_reply_problem(req, 400, "invalid-parameter", bad, "%s", msg);
		free(bad);
		return rc;
	}
	for (size_t i = 0; i < req->query.n; i++) {
		const char *name = req->query.param[i].name;
		if (!sh_route_accepts_param(req->route, name) && (req->route->flags & SH_ROUTE_API))
			return sh_reply_problem(req, 400, "unknown-parameter", name,
			                        "unknown query parameter '%s'; this route accepts: %s", name,
			                        *req->route->params ? req->route->params : "none");
	}
	const char *lang = sh_route_accepts_param(req->route, "lang") && !(req->route->flags & SH_ROUTE_LANG_DATA)
	                   ? sh_http_query_get(&req->query, "lang") : NULL;
	const char *known = lang ? sh_index_language(req->idx, lang) : NULL;
	if (lang && !known)
		return sh_reply_problem(req, 400, "invalid-parameter", "lang",
		                        "language '%s' is not in the index (see /api/v1/languages)", lang);
	if (known)
		req->lang = known;
	return SH_OK;
}

static void make_etag(const sh_request *req, const char *uri, char *out, size_t size)
{
	uint64_t h = sh_hash64(uri, strlen(uri)) ^ sh_hash64(SKILLHUB_VERSION, sizeof SKILLHUB_VERSION - 1);
	snprintf(out, size, "\"%llx-%016llx\"", (long long)sh_index_generation(req->idx), (unsigned long long)h);
}

static enum MHD_Result dispatch(server *s, struct MHD_Connection *conn, request_ctx *ctx)
{
	sh_auth_state auth;
	sh_request req = { .lang = "en", .content = ctx->body.data ? ctx->body.data : "", .content_len = ctx->body.len,
	                   .content_type_in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"),
	                   .max_batch = s->opts->max_batch };
	index_ref *ref = index_acquire(s);
	req.idx = ref->idx;
	req.xpool = &ref->xpool;
	const char *uri = ctx->uri;
	size_t uri_len = strlen(uri);
	const char *qmark = strchr(uri, '?');
	size_t path_len = qmark ? (size_t)(qmark - uri) : uri_len;
	char *path = strndup(uri, path_len);
	char etag[64] = "", allow[64] = "";
	sh_http_segment seg[SH_HTTP_MAX_SEGMENTS];
	size_t arg[SH_ROUTE_MAX_ARGS];
	int nseg, rc;
	unsigned method = sh_method_bit(ctx->method);
	req.method = method;
	req.path = path ? path : "/";

	if (!path) {
		sh_reply_problem(&req, 500, "internal", NULL, "out of memory");
	} else if (uri_len > SH_SERVER_MAX_URI) {
		sh_reply_problem(&req, 414, "uri-too-long", NULL, "the request target is %zu bytes; the limit is %d",
		                 uri_len, SH_SERVER_MAX_URI);
	} else if (path[0] != '/' || (nseg = sh_http_split_path(path, path_len, seg, SH_HTTP_MAX_SEGMENTS)) < 0 ||
	           !(req.route = sh_route_find(sh_routes, sh_route_count, seg, (size_t)nseg, arg, &req.narg))) {
		sh_reply_problem(&req, 404, "not-found", NULL, "nothing is served at this path");
	} else if (sh_route_allow(req.route, allow, sizeof allow), method == SH_METHOD_OPTIONS) {
		req.status = 204;
	} else if (!(req.route->methods & method) && !(method == SH_METHOD_HEAD && (req.route->methods & SH_METHOD_GET))) {
		sh_reply_problem(&req, 405, "method-not-allowed", NULL, "%s is not allowed here; allowed: %s",
		                 ctx->method, allow);
	} else if ((rc = sh_auth_web_resolve(&req, &auth,
	                                     MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
	                                     MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie"),
	                                     MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token")))) {
		if (!req.status) {
			fprintf(stderr, "skillhub serve: %s %s: %s\n", ctx->method, req.path, sh_errmsg());
			sh_reply_problem(&req, 500, "internal", NULL, "the server failed to check the credentials");
		}
	} else if (parse_target(&req, seg, arg, qmark ? qmark + 1 : "", qmark ? uri_len - path_len - 1 : 0) == SH_OK) {
		const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
		if ((req.route->flags & SH_ROUTE_CACHEABLE) && !req.account)
			make_etag(&req, uri, etag, sizeof etag);
		if (*etag && inm && sh_http_etag_matches(inm, etag)) {
			req.status = 304;
		} else {
			rc = req.route->handler(&req);
			if (rc && !req.status) {
				fprintf(stderr, "skillhub serve: %s %s: %s\n", ctx->method, req.path, sh_errmsg());
				sh_reply_problem(&req, 500, "internal", NULL, "the server failed to answer this request");
			}
		}
	}
	struct MHD_Response *resp = NULL;
	enum MHD_Result r;
	if (req.status == 204 || req.status == 304) {
		sh_buf_clear(&req.body);
		req.content_type = NULL;
	}
	if (req.status == 204 && method == SH_METHOD_OPTIONS && s->opts->cors_origin) {
		resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		if (resp) {
			add_common_headers(s, resp);
			MHD_add_response_header(resp, "Allow", allow);
			MHD_add_response_header(resp, "Access-Control-Allow-Methods", allow);
			MHD_add_response_header(resp, "Access-Control-Allow-Headers",
			                        "Authorization, Content-Type, If-None-Match, X-CSRF-Token");
			MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
			r = MHD_queue_response(conn, 204, resp);
			MHD_destroy_response(resp);
		} else {
			r = MHD_NO;
		}
	} else {
		r = send_reply(s, conn, ctx, &req, *etag ? etag : NULL,
		               req.status == 405 || (req.status == 204 && method == SH_METHOD_OPTIONS) ? allow : NULL);
	}
	for (size_t i = 0; i < req.narg; i++)
		free(req.arg[i]);
	sh_http_query_free(&req.query);
	sh_buf_free(&req.body);
	free(req.location);
	free(req.set_cookie);
	free(path);
	sh_xpool_give(&ref->xpool, req.extractor);
	index_release(s, ref);
	return r;
}

/* ---- MHD callbacks -------------------------------------------------------- */

static void *uri_logged(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)conn;
	server *s = cls;
	request_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &ctx->start);
	ctx->uri = strdup(uri);
	if (!ctx->uri) {
		free(ctx);
		return NULL;
	}
	atomic_fetch_add(&s->inflight, 1);
	return ctx;
}

/* Writes "GET /path?q 200 1234 567us" with control bytes escaped, the target cut at 300 bytes. */
static void access_log(const request_ctx *ctx, unsigned status)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long us = (long long)(now.tv_sec - ctx->start.tv_sec) * 1000000 + (now.tv_nsec - ctx->start.tv_nsec) / 1000;
	char target[1300];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)ctx->uri; *p && n < 1200; p++) {
		if (*p < 0x21 || *p >= 0x7f || *p == '\\')
			n += (size_t)snprintf(target + n, sizeof target - n, "\\x%02x", *p);
		else
			target[n++] = (char)*p;
		if (p - (const unsigned char *)ctx->uri >= 300) {
			n += (size_t)snprintf(target + n, sizeof target - n, "...");
			break;
		}
	}
	target[n] = '\0';
	fprintf(stderr, "%s %s %u %zu %lldus\n", ctx->method ? ctx->method : "-", target, status, ctx->bytes, us);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	server *s = cls;
	request_ctx *ctx = *con_cls;
	if (!ctx)
		return;
	if (s->opts->access_log) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
		access_log(ctx, info ? info->http_status : 0);
	}
	sh_buf_free(&ctx->body);
	free(ctx->uri);
	free(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

static enum MHD_Result too_large(server *s, struct MHD_Connection *conn, request_ctx *ctx)
{
	sh_request req = { .lang = "en", .path = ctx->uri };
	index_ref *ref = index_acquire(s);
	req.idx = ref->idx;
	sh_reply_problem(&req, 413, "body-too-large", NULL, "the request body exceeds %zu bytes", s->opts->max_body);
	enum MHD_Result r = send_reply(s, conn, ctx, &req, NULL, NULL);
	sh_buf_free(&req.body);
	index_release(s, ref);
	return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size,
                              void **con_cls)
{
	(void)url;
	(void)version;
	server *s = cls;
	request_ctx *ctx = *con_cls;
	if (!ctx)
		return MHD_NO; /* out of memory in uri_logged: drop the connection */
	if (!ctx->started) {
		ctx->started = 1;
		ctx->method = method;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > s->opts->max_body)
			return too_large(s, conn, ctx);
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (ctx->body.len + n > s->opts->max_body)
			return too_large(s, conn, ctx);
		return sh_buf_append(&ctx->body, upload_data, n) ? MHD_NO : MHD_YES;
	}
	return dispatch(s, conn, ctx);
}

/* ---- start and stop ------------------------------------------------------- */

static struct MHD_Daemon *start_daemon(server *s, struct sockaddr_storage *addr)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (addr->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	unsigned threads = s->opts->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	return MHD_start_daemon(flags, (uint16_t)s->opts->port, NULL, NULL, handle, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SH_SERVER_MEMORY_LIMIT,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SH_SERVER_TIMEOUT,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SH_SERVER_MAX_CONNECTIONS,
		MHD_OPTION_URI_LOG_CALLBACK, uri_logged, s,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
		MHD_OPTION_END);
}

static int parse_listen(const char *listen, unsigned port, struct sockaddr_storage *addr)
{
	memset(addr, 0, sizeof *addr);
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
	if (port > 65535)
		return sh_error(SH_EINVAL, "--port %u: must be from 0 to 65535", port);
	if (inet_pton(AF_INET, listen, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, listen, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
	} else {
		return sh_error(SH_EINVAL, "--listen '%s': not an IPv4 or IPv6 address", listen);
	}
	return SH_OK;
}

/* Waits for SIGINT/SIGTERM, checking for a rebuilt index once a second. */
static void serve_until_signal(server *s, const sigset_t *stop)
{
	for (;;) {
		struct timespec tick = { 1, 0 };
		int sig = sigtimedwait(stop, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM) {
			fprintf(stderr, "skillhub serve: %s received, finishing requests in flight\n",
			        sig == SIGINT ? "SIGINT" : "SIGTERM");
			return;
		}
		maybe_reload(s);
	}
}

static void drain_and_stop(server *s, struct MHD_Daemon *d)
{
	MHD_socket listen_fd = MHD_quiesce_daemon(d);
	for (int waited = 0; atomic_load(&s->inflight) > 0 && waited < SH_SERVER_DRAIN_SECONDS * 100; waited++) {
		struct timespec ms10 = { 0, 10 * 1000 * 1000 };
		nanosleep(&ms10, NULL);
	}
	MHD_stop_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
}

int sh_server_run(const sh_server_opts *opts)
{
	server s = { .opts = opts };
	struct sockaddr_storage addr;
	int rc = parse_listen(opts->listen, opts->port, &addr);
	if (rc)
		return rc;
	if ((rc = sh_db_open(&s.db, opts->db_path, SH_DB_READONLY)))
		return rc;
	if ((rc = sh_dbconn_init(opts->db_path))) {
		sh_db_close(s.db);
		return rc;
	}
	if (!(s.idx_path = sh_index_path_for_db(opts->db_path))) {
		sh_db_close(s.db);
		return sh_error(SH_ENOMEM, "out of memory");
	}
	if ((rc = index_ref_open(&s, &s.current))) {
		free(s.idx_path);
		sh_db_close(s.db);
		return rc;
	}
	pthread_mutex_init(&s.lock, NULL);
	atomic_init(&s.inflight, 0);

	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old); /* inherited by MHD's threads */
	struct MHD_Daemon *d = start_daemon(&s, &addr);
	if (!d) {
		rc = sh_error(SH_EIO, "cannot listen on %s port %u: %s", opts->listen, opts->port, strerror(errno));
	} else {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		unsigned port = info ? info->port : opts->port;
		if (addr.ss_family == AF_INET6)
			fprintf(stderr, "listening on http://[%s]:%u\n", opts->listen, port);
		else
			fprintf(stderr, "listening on http://%s:%u\n", opts->listen, port);
		fflush(stderr);
		serve_until_signal(&s, &stop);
		drain_and_stop(&s, d);
		fprintf(stderr, "skillhub serve: stopped\n");
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	index_release(&s, s.current);
	pthread_mutex_destroy(&s.lock);
	free(s.idx_path);
	sh_dbconn_shutdown();
	sh_db_close(s.db);
	return rc;
}
