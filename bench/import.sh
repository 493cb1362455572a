#!/usr/bin/env bash
# ESCO import: wall time and peak memory of `skillhub import esco` on the full v1.1.1
# English package, the database size, and a re-import (no-op) time.
#   peer: the sqlite3 shell's `.import --csv` of the same 16 CSV files into raw tables
#         in one transaction (no mapping, no labels split, no relations resolved: a lower
#         bound for loading the bytes), measured in the same run; ratio = skillhub / peer.
# Target (docs/import.md): under 15 s on the 2-core development machine.
# Usage: BUILD=build bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
PKG="$SHARED/esco/v1.1.1/en"
if [ ! -d "$PKG" ]; then
  echo "skipped: $PKG not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-bench-import-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# "wall seconds peak-KiB" of a command, from GNU time -v
measure() {
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time" || { cat "$tmp/time" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; w = s }
              /Maximum resident set size/ { m = $2 } END { printf "%.2f %d\n", w, m }' "$tmp/time"
}

read -r wall rss < <(measure "$BUILD/skillhub" --db "$tmp/esco.db" import esco --quiet "$PKG")
size=$(du -k "$tmp/esco.db" | cut -f1)
read -r again again_rss < <(measure "$BUILD/skillhub" --db "$tmp/esco.db" import esco --quiet "$PKG")

{
  echo "BEGIN;"
  for f in "$PKG"/*.csv; do
    echo ".import --csv '$f' \"$(basename "$f" .csv)\""
  done
  echo "COMMIT;"
} >"$tmp/peer.sql"
read -r peer peer_rss < <(measure sqlite3 "$tmp/peer.db" ".read $tmp/peer.sql")

printf 'ESCO v1.1.1 en import       %6.2f s   peak RSS %6.1f MiB   database %6.1f MiB\n' \
  "$wall" "$(echo "$rss / 1024" | bc -l)" "$(echo "$size / 1024" | bc -l)"
printf 're-import (no change)       %6.2f s   peak RSS %6.1f MiB\n' "$again" "$(echo "$again_rss / 1024" | bc -l)"
printf 'peer: sqlite3 .import --csv %6.2f s   peak RSS %6.1f MiB\n' "$peer" "$(echo "$peer_rss / 1024" | bc -l)"
printf 'ratio skillhub / peer       %6.2f\n' "$(echo "$wall / $peer" | bc -l)"
