#!/usr/bin/env bash
# Training catalogue at scale: a synthetic catalogue of N courses (default 100,000; generated here,
# deterministic) over the fixture battery/automotive ESCO package of tests/fixtures/catalogue.
#   - import: `skillhub courses import` of one CSV file (one transaction, validation, search terms,
#     no skill proposals) vs the baseline, sqlite3 loading the same rows into an FTS5 table;
#   - search: the same text queries (with and without filters) through `skillhub courses search`
#     and through sqlite3 FTS5 MATCH + bm25() with the same filters, one process per query for both;
#   - peak RSS of the import and of a search (/usr/bin/time).
#   Times are for all the queries together; wall time depends on the machine's load, CPU time less.
# Usage: BUILD=build bench/catalogue.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${1:-100000}
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
B="$PWD/$BUILD/skillhub"
W=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-catalogue-XXXXXX")
trap 'rm -rf "$W"' EXIT
DB="$W/cat.db"
"$B" --db "$DB" import esco --quiet tests/fixtures/catalogue/esco/en >/dev/null

python3 - "$N" "$W" <<'EOF'
import csv, json, random, sys
n, w = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(6)
S = "http://data.europa.eu/esco/skill/cat-s%02d"
countries = ["DE", "FR", "PL", "ES", "SE", "IT", "CZ", "HU", "AT", "NL"]
providers = [{"id": "p%03d" % i, "name": "Provider %d" % i, "country": countries[i % 10], "type": "vet"} for i in range(200)]
json.dump({"providers": providers}, open(w + "/providers.json", "w"))
topics = ["battery cell testing", "battery module assembly", "high voltage safety", "electric vehicle diagnostics",
          "battery recycling", "battery management systems", "lean manufacturing", "charging infrastructure",
          "thermal management", "lithium-ion chemistry", "quality inspection", "power electronics",
          "hydrogen fuel cells", "robot maintenance", "welding of busbars", "laser welding", "cleanroom work"]
levels = ["introduction to", "fundamentals of", "advanced", "practical", "refresher:", "certified", "hands-on"]
verbs = ["Apply", "Test", "Assemble", "Diagnose", "Measure", "Operate", "Explain", "Plan", "Inspect"]
modes = ["onsite", "online", "blended"]
with open(w + "/courses.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["id", "provider", "mode", "region", "languages", "hours", "eqf", "cost", "currency", "start",
                  "end", "url", "skills", "title_en", "description_en", "outcomes_en"])
    for i in range(n):
        t, u = rnd.sample(topics, 2)
        p = rnd.randrange(200)
        month, day = rnd.randrange(1, 13), rnd.randrange(1, 28)
        out.writerow(["C%06d" % i, "p%03d" % p, modes[i % 3], countries[p % 10] + str(rnd.randrange(1, 5)),
                      "en", rnd.choice([8, 16, 24, 40, 80]), rnd.randrange(2, 8), rnd.randrange(0, 3000), "EUR",
                      "2027-%02d-%02d" % (month, day), "2027-%02d-%02d" % (month, day + 1),
                      "https://example.org/c/%d" % i,
                      ";".join(S % k for k in rnd.sample(range(1, 16), 3)),
                      "%s %s" % (rnd.choice(levels).capitalize(), t),
                      "A course on %s and %s for technicians of the battery industry." % (t, u),
                      "\n".join("%s %s." % (rnd.choice(verbs), x) for x in (t, u))])
EOF
echo "-- catalogue: $N courses, 200 providers"

# ---- import (wall time is what a user waits; CPU = user + sys, steadier on a shared machine)
cpu() { awk '{ printf "%.2f s wall, %.2f s CPU", $1, $2 + $3 }' "$1"; }
ratio() { awk -v a="$(cat "$1")" -v b="$(cat "$2")" 'BEGIN { split(a, x, " "); split(b, y, " ");
  printf "wall ratio %.2f, CPU ratio %.2f", x[1] / y[1], (x[2] + x[3]) / (y[2] + y[3]) }'; }
"$B" --db "$DB" courses import "$W/providers.json" >/dev/null
/usr/bin/time -o "$W/import.time" -f "%e %U %S %M" "$B" --db "$DB" courses import --no-propose "$W/courses.csv" >/dev/null
sqlite3 "$DB" "UPDATE course SET status = 'approved'"   # the workflow is not what is measured here
FTS="$W/fts.db"
cat >"$W/fts.sql" <<EOF
CREATE TABLE c(id TEXT, provider TEXT, mode TEXT, region TEXT, languages TEXT, hours REAL, eqf INT, cost REAL,
               currency TEXT, start TEXT, "end" TEXT, url TEXT, skills TEXT, title TEXT, description TEXT, outcomes TEXT);
.import --csv --skip 1 $W/courses.csv c
CREATE VIRTUAL TABLE t USING fts5(title, description, outcomes, content='c', tokenize='porter unicode61');
INSERT INTO t(rowid, title, description, outcomes) SELECT rowid, title, description, outcomes FROM c;
EOF
/usr/bin/time -o "$W/fts.time" -f "%e %U %S %M" sqlite3 "$FTS" <"$W/fts.sql"
echo "import: skillhub $(cpu "$W/import.time"), peak RSS $(awk '{ print $4 }' "$W/import.time") KB;" \
     "sqlite3 FTS5 load $(cpu "$W/fts.time"); $(ratio "$W/import.time" "$W/fts.time")"
printf "database: skillhub %s MB, FTS5 %s MB\n" "$(( $(stat -c %s "$DB") / 1048576 ))" "$(( $(stat -c %s "$FTS") / 1048576 ))"

# ---- search: 10 text queries, each alone and with filters; one process per query for both
queries=("battery recycling" "high voltage safety" "electric vehicle diagnostics" "laser welding" "thermal management"
         "battery cell testing" "lean manufacturing" "charging infrastructure" "robot maintenance" "power electronics")
{
  for q in "${queries[@]}"; do
    echo "\"$B\" --db \"$DB\" courses search --json --limit 20 $q >/dev/null"
    echo "\"$B\" --db \"$DB\" courses search --json --limit 20 --mode online --eqf 5 --max-cost 1500 --region DE $q >/dev/null"
  done
} >"$W/skillhub.sh"
{
  for q in "${queries[@]}"; do
    echo "sqlite3 \"$FTS\" \"SELECT c.id FROM t JOIN c ON c.rowid = t.rowid WHERE t MATCH '$q' ORDER BY bm25(t) LIMIT 20\" >/dev/null"
    echo "sqlite3 \"$FTS\" \"SELECT c.id FROM t JOIN c ON c.rowid = t.rowid WHERE t MATCH '$q' AND c.mode = 'online' AND c.eqf = 5 AND c.cost <= 1500 AND substr(c.region, 1, 2) = 'DE' ORDER BY bm25(t) LIMIT 20\" >/dev/null"
  done
} >"$W/fts.sh"
/usr/bin/time -o "$W/search.time" -f "%e %U %S %M" bash "$W/skillhub.sh"
/usr/bin/time -o "$W/ftsq.time" -f "%e %U %S %M" bash "$W/fts.sh"
nq=$(( ${#queries[@]} * 2 ))
echo "search, $nq queries: skillhub $(cpu "$W/search.time"); sqlite3 FTS5 $(cpu "$W/ftsq.time");" \
     "$(ratio "$W/search.time" "$W/ftsq.time")"
/usr/bin/time -o "$W/one.time" -f "%M" "$B" --db "$DB" courses search --json battery recycling >/dev/null
echo "search: peak RSS $(cat "$W/one.time") KB"
{
  for k in 02 03 04 05 06; do
    echo "\"$B\" --db \"$DB\" courses search --json --skill http://data.europa.eu/esco/skill/cat-s$k >/dev/null"
    echo "\"$B\" --db \"$DB\" courses search --json --occupation http://data.europa.eu/esco/occupation/cat-o01 --region FR >/dev/null"
  done
} >"$W/skills.sh"
/usr/bin/time -o "$W/skills.time" -f "%e %U %S %M" bash "$W/skills.sh"
echo "skill/occupation search, 10 queries: $(cpu "$W/skills.time") (no FTS5 peer: it has no skill relations)"
