#!/usr/bin/env bash
# Training catalogue at scale: a synthetic catalogue of N courses (default 100,000) generated in the run by
# bench/catalogue_gen.py from the real ESCO v1.1.1 skills and occupations and the NHS job-ad texts
# (../shared/data); every provider, course id, audience and description says "synthetic".
#   - import: `skillhub courses import` of the CSV (one transaction, validation, search terms, no skill
#     proposals): time, CPU, peak RSS; peer: sqlite3 loading the same rows into an FTS5 table;
#   - in-process search (bench/catalogue_search.c, the database opened once): median/p95/p99 per query
#     kind (skill, broad skill, occupation, text, skill + filters), wall and CPU, each against its peer in
#     the same run (the bare SQL of the same answer; FTS5 bm25 for text); targets: skill median < 5 ms;
#   - quality rules on every course (sh_courses_check, all rules) vs exporting every course (same reads,
#     no rules); target < 10 s; peak RSS of the benchmark process;
#   - per process: text queries through `skillhub courses search` vs the sqlite3 shell on FTS5.
# Usage: BUILD=build bench/catalogue.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${1:-100000}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
ADS="$SHARED/jobads/nhs-uk-2020-11.jsonl"
if [ ! -d "$SHARED/esco/v1.1.1/en" ] || [ ! -f "$ADS" ]; then
  echo "skipped: ../shared/data/esco/v1.1.1/en or $ADS not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/skillhub" "$BUILD/bench/catalogue_search" >/dev/null
B="$PWD/$BUILD/skillhub"
W=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-catalogue-XXXXXX")
trap 'rm -rf "$W"' EXIT
DB="$W/cat.db"
"$B" --db "$DB" import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null
python3 bench/catalogue_gen.py "$DB" "$ADS" "$N" "$W"
echo "-- synthetic catalogue: $N courses, $(( N / 100 )) providers, real ESCO skills and occupations"

# ---- import (wall time is what a user waits; CPU = user + sys, steadier on a shared machine)
cpu() { awk '{ printf "%.2f s wall, %.2f s CPU", $1, $2 + $3 }' "$1"; }
ratio() { awk -v a="$(cat "$1")" -v b="$(cat "$2")" 'BEGIN { split(a, x, " "); split(b, y, " ");
  printf "wall ratio %.2f, CPU ratio %.2f", x[1] / y[1], (x[2] + x[3]) / (y[2] + y[3]) }'; }
"$B" --db "$DB" courses import "$W/providers.json" >/dev/null
/usr/bin/time -o "$W/import.time" -f "%e %U %S %M" "$B" --db "$DB" courses import --no-propose "$W/courses.csv" >/dev/null
sqlite3 "$DB" "UPDATE course SET status = 'approved'"   # the workflow is not what is measured here
FTS="$W/fts.db"
cat >"$W/fts.sql" <<EOF
CREATE TABLE c(id TEXT, provider TEXT, mode TEXT, region TEXT, languages TEXT, hours REAL, ects REAL, eqf INT,
               cost REAL, currency TEXT, start TEXT, "end" TEXT, self_paced TEXT, url TEXT, audience TEXT,
               skills TEXT, title TEXT, description TEXT, outcomes TEXT);
.import --csv --skip 1 $W/courses.csv c
CREATE VIRTUAL TABLE t USING fts5(title, description, outcomes, content='c', tokenize='porter unicode61');
INSERT INTO t(rowid, title, description, outcomes) SELECT rowid, title, description, outcomes FROM c;
EOF
/usr/bin/time -o "$W/fts.time" -f "%e %U %S %M" sqlite3 "$FTS" <"$W/fts.sql"
echo "import: skillhub $(cpu "$W/import.time"), peak RSS $(awk '{ print $4 }' "$W/import.time") KB;" \
     "sqlite3 FTS5 load $(cpu "$W/fts.time"); $(ratio "$W/import.time" "$W/fts.time")"
printf "database: skillhub %s MB (with ESCO), FTS5 %s MB\n" "$(( $(stat -c %s "$DB") / 1048576 ))" \
       "$(( $(stat -c %s "$FTS") / 1048576 ))"

# ---- in process: search latency per query kind and the rules over every course
/usr/bin/time -v "$BUILD/bench/catalogue_search" "$DB" "$W/queries.tsv" rules/quality-rules.json "$W/peer.db" \
  2>"$W/bench.time"
echo "peak RSS (/usr/bin/time)  $(( $(awk -F: '/Maximum resident/ {print $2}' "$W/bench.time") / 1024 )) MiB"

# ---- per process: the first 10 text queries, one process per query for both
mapfile -t queries < <(awk -F'\t' '$1 == "text" { print $2 }' "$W/queries.tsv" | head -n 10)
for q in "${queries[@]}"; do
  echo "\"$B\" --db \"$DB\" courses search --json --limit 20 $q >/dev/null"
done >"$W/skillhub.sh"
for q in "${queries[@]}"; do
  m=$(awk '{ for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? " OR " : ""), $i }' <<<"$q")
  echo "sqlite3 \"$FTS\" \"SELECT c.id FROM t JOIN c ON c.rowid = t.rowid WHERE t MATCH '$m' ORDER BY bm25(t) LIMIT 20\" >/dev/null"
done >"$W/fts.sh"
/usr/bin/time -o "$W/search.time" -f "%e %U %S %M" bash "$W/skillhub.sh"
/usr/bin/time -o "$W/ftsq.time" -f "%e %U %S %M" bash "$W/fts.sh"
echo "search, ${#queries[@]} processes: skillhub $(cpu "$W/search.time"); sqlite3 FTS5 $(cpu "$W/ftsq.time");" \
     "$(ratio "$W/search.time" "$W/ftsq.time")"
