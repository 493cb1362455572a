/*
 * core/topk.h - the k best items of a stream, with a bounded min-heap.
 *
 * SH_TOPK_DEFINE(prefix, type, worse) defines, for an element type and a
 * strict ordering worse(const type *a, const type *b) (1 when a ranks below
 * b), three static inline functions:
 *
 *   prefix_offer(h, &n, k, item)   keeps item if it is among the k best seen
 *                                  so far; h holds n <= k items, worst on top
 *   prefix_sort(h, n)              turns the heap into a best-first array
 *   prefix_sift_down(h, n, i)      the heap step both use
 *
 * Offering m items costs O(m log k); ties are settled by worse() alone, so
 * the result is deterministic when worse() is a total order.  A caller need
 * not use all three (they are marked unused for clang).  A macro rather
 * than a function over void pointers: the callers are hot loops (search,
 * title ranking, transitions) where the comparison must inline.
 */
#ifndef SH_CORE_TOPK_H
#define SH_CORE_TOPK_H

#include <stddef.h>

#define SH_TOPK_DEFINE(prefix, type, worse)                                          \
	static inline __attribute__((unused)) void prefix##_sift_down(type *h, size_t n, size_t i)                  \
	{                                                                            \
		for (;;) {                                                           \
			size_t l = 2 * i + 1, r = l + 1, m = i;                      \
			if (l < n && worse(&h[l], &h[m]))                            \
				m = l;                                               \
			if (r < n && worse(&h[r], &h[m]))                            \
				m = r;                                               \
			if (m == i)                                                  \
				return;                                              \
			type t_ = h[i];                                              \
			h[i] = h[m];                                                 \
			h[m] = t_;                                                   \
			i = m;                                                       \
		}                                                                    \
	}                                                                            \
	static inline __attribute__((unused)) void prefix##_offer(type *h, size_t *n, size_t k, type item)          \
	{                                                                            \
		if (*n < k) {                                                        \
			size_t i = (*n)++;                                           \
			h[i] = item;                                                 \
			while (i > 0 && worse(&h[i], &h[(i - 1) / 2])) {             \
				type t_ = h[i];                                      \
				h[i] = h[(i - 1) / 2];                               \
				h[(i - 1) / 2] = t_;                                 \
				i = (i - 1) / 2;                                     \
			}                                                            \
		} else if (k && worse(&h[0], &item)) {                               \
			h[0] = item;                                                 \
			prefix##_sift_down(h, *n, 0);                                \
		}                                                                    \
	}                                                                            \
	static inline __attribute__((unused)) void prefix##_sort(type *h, size_t n)                                 \
	{                                                                            \
		for (size_t k_ = n; k_ > 1; k_--) {                                  \
			type t_ = h[0];                                              \
			h[0] = h[k_ - 1];                                            \
			h[k_ - 1] = t_;                                              \
			prefix##_sift_down(h, k_ - 1, 0);                            \
		}                                                                    \
	}

#endif
