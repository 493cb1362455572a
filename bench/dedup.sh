#!/usr/bin/env bash
# Near-duplicate detection (sh_dedup_*) on the NHS job ads (../shared/data/jobads/nhs-uk-2020-11.jsonl):
#   - precision and recall against the hand-labelled pairs of tests/fixtures/ads/dedup-pairs.tsv, for the
#     library's rule (same key = title + employer + locality, and text similarity >= t) and for text alone;
#   - duplicates found in the whole file at the default threshold, with and without the key, and the time
#     (signatures, index add + lookup) and peak memory.
# Usage: BUILD=build bench/dedup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
ADS="$SHARED/jobads/nhs-uk-2020-11.jsonl"
if [ ! -f "$ADS" ]; then
  echo "skipped: $ADS not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/bench/dedup" >/dev/null
echo "-- library rule (key + text), labelled pairs"
tmp=$(mktemp "${TMPDIR:-/tmp}/skillhub-dedup-XXXXXX")
trap 'rm -f "$tmp"' EXIT
/usr/bin/time -o "$tmp" -f "process: peak RSS %M KB (the driver holds all 14,842 texts), %e s wall incl. JSON parsing" \
  "$BUILD/bench/dedup" --ads "$ADS" --pairs tests/fixtures/ads/dedup-pairs.tsv
cat "$tmp"
echo "-- text only (no key)"
"$BUILD/bench/dedup" --ads "$ADS" --no-key | sed -n 2p
