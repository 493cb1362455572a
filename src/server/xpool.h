/*
 * server/xpool.h - a pool of sh_extractor for one index, shared by the
 * server's threads.
 *
 * An extractor holds scratch memory proportional to the index (several MB
 * for the full ESCO), too costly to allocate per request, and must not be
 * used by two threads at once.  A request that analyses text takes one from
 * the pool of the index it holds and gives it back when answered, so the pool
 * grows to the number of requests analysing text at the same time (at most
 * the number of threads) and no further.  Each index the server swaps in has
 * its own pool, destroyed with it: an extractor never outlives its index.
 */
#ifndef SH_SERVER_XPOOL_H
#define SH_SERVER_XPOOL_H

#include <pthread.h>
#include <stddef.h>

#include "skillhub/extract.h"

typedef struct sh_xpool {
	pthread_mutex_t  lock;
	const sh_index  *idx;
	sh_extractor   **idle;     /* extractors not in use */
	size_t           nidle, cap;
} sh_xpool;

void sh_xpool_init(sh_xpool *p, const sh_index *idx);
/* Frees the idle extractors; every extractor taken must have been given back. */
void sh_xpool_destroy(sh_xpool *p);
/* An idle extractor, or a new one.  Fails only when a new one cannot be made (message set). */
int  sh_xpool_take(sh_xpool *p, sh_extractor **out);
/* Gives x back to the pool (NULL is ignored). */
void sh_xpool_give(sh_xpool *p, sh_extractor *x);

#endif
