#!/usr/bin/env bash
# Search and index benchmark on the full ESCO v1.1.1 English package (../shared/data):
#   - index build time, index load time (median of 21 opens), sh_concept_json time
#   - sh_search median / p95 over bench/search-queries.tsv (60 queries: typos, reordered
#     words, inflected forms; each line says what it tests), hit@1 / hit@5 of the expected
#     concept
#   - the same queries, same run, against SQLite FTS5 over the same labels
#     (porter unicode61 remove_diacritics 2, words OR-ed, bm25): speed ratio and hit@k
#   - peak RSS of the benchmark process (before FTS5 is loaded), and of `skillhub show`
#   - `skillhub show` and `skillhub search` wall time per process (median of 11)
# All of it is measured by bench/bench_search.c except the per-process figures.
# Usage: BUILD=build bench/search.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: ../shared/data/esco/v1.1.1/en not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/skillhub" "$BUILD/bench/bench_search" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-search-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="$tmp/esco.db"
"$BUILD/skillhub" --db "$db" import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null

"$BUILD/bench/bench_search" "$db" bench/search-queries.tsv "${1:-20}"

# per process: open database + index (fresh check), one command, exit
median_ms() { # command...: median wall time of 11 runs in ms
  local t=()
  for _ in $(seq 11); do
    local s=$(date +%s%N); "$@" >/dev/null; t+=($(( ($(date +%s%N) - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 6p | awk '{printf "%.1f", $1 / 1000}'
}
uri=$("$BUILD/skillhub" --db "$db" search --json --type occupation --limit 1 software developer | jq -r '.[0].uri')
echo "skillhub show (process) median   $(median_ms "$BUILD/skillhub" --db "$db" show "$uri") ms"
echo "skillhub search (process) median $(median_ms "$BUILD/skillhub" --db "$db" search nurse) ms"
rss=$(/usr/bin/time -v "$BUILD/skillhub" --db "$db" show "$uri" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {print $2}')
echo "skillhub show peak RSS           $((rss / 1024)) MiB"
