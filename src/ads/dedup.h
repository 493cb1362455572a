/*
 * ads/dedup.h - internals of the near-duplicate index: LSH parameters and
 * the layout of a saved index.
 *
 * Saved index (little-endian, host order):
 *   header   magic "SHDEDUP1" | u32 format | u32 hashes (SH_DEDUP_HASHES) | u64 count
 *   records  count x { u64 id | u64 key | u64 exact | u32 min[SH_DEDUP_HASHES] }, in the order added
 */
#ifndef SH_ADS_DEDUP_H
#define SH_ADS_DEDUP_H

#include "skillhub/ads.h"

#define SH_DEDUP_MAGIC       "SHDEDUP1"
#define SH_DEDUP_FORMAT      1u
#define SH_DEDUP_ROWS        (SH_DEDUP_HASHES / SH_DEDUP_BANDS) /* MinHash values per band */
#define SH_DEDUP_HEADER_SIZE 24u
#define SH_DEDUP_RECORD_SIZE (24u + 4u * SH_DEDUP_HASHES)
/*
 * A band bucket's chain is walked over its SH_DEDUP_MAX_CHAIN most recent
 * ads only, so that a text shared by thousands of ads (an empty description,
 * a boilerplate-only ad) costs bounded work per lookup.
 */
#define SH_DEDUP_MAX_CHAIN   256u

#endif
