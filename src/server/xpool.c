/*
 * server/xpool.c - the extractor pool (see xpool.h): a stack of idle
 * extractors under a mutex.  The lock is held only to push or pop a pointer;
 * a new extractor is made outside it.
 */
#include "server/xpool.h"

#include <stdlib.h>

void sh_xpool_init(sh_xpool *p, const sh_index *idx)
{
	*p = (sh_xpool){ .idx = idx };
	pthread_mutex_init(&p->lock, NULL);
}

void sh_xpool_destroy(sh_xpool *p)
{
	for (size_t i = 0; i < p->nidle; i++)
		sh_extractor_free(p->idle[i]);
	free(p->idle);
	pthread_mutex_destroy(&p->lock);
}

int sh_xpool_take(sh_xpool *p, sh_extractor **out)
{
	pthread_mutex_lock(&p->lock);
	*out = p->nidle ? p->idle[--p->nidle] : NULL;
	pthread_mutex_unlock(&p->lock);
	return *out ? SH_OK : sh_extractor_new(out, p->idx);
}

void sh_xpool_give(sh_xpool *p, sh_extractor *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->nidle == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 8;
		sh_extractor **a = realloc(p->idle, cap * sizeof *a);
		if (!a) {
			pthread_mutex_unlock(&p->lock);
			sh_extractor_free(x); /* out of memory: the next request makes a new one */
			return;
		}
		p->idle = a;
		p->cap = cap;
	}
	p->idle[p->nidle++] = x;
	pthread_mutex_unlock(&p->lock);
}
