#!/usr/bin/env bash
# Skills-demand intelligence at scale (docs/intelligence.md):
#   - 1 million synthetic ads (synthesised here, over the real ESCO taxonomy) aggregated in memory:
#     throughput, .agg write/read time, demand query latency (budget: 200 ms), trends, peak RSS;
#   - `skillhub ads merge` of the two halves: time, and whether it equals the whole (exact merge);
#   - `skillhub ads aggregate` from a database of 100,000 stored ads: throughput;
#   - GET /api/v1/demand over HTTP on `skillhub serve --agg` with the 1-million-ad aggregate.
# Times are wall clock and CPU: the machine may be shared.
# Usage: BUILD=build bench/intel.sh [ADS]      (ADS: default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
ESCO="$SHARED/esco/v1.1.1/en"
ADS=${1:-1000000}
if [ ! -d "$ESCO" ]; then
  echo "skipped: $ESCO not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/skillhub" "$BUILD/bench/intel" >/dev/null
SKILLHUB="$PWD/$BUILD/skillhub"
work=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-intel-XXXXXX")
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$SKILLHUB" --db "$work/esco.db" import esco "$ESCO" >/dev/null 2>&1

echo "-- $ADS synthetic ads, aggregated in memory"
/usr/bin/time -o "$work/time" -f "process: peak RSS %M KB (the whole and both halves in memory), %e s wall" \
  "$BUILD/bench/intel" --db "$work/esco.db" --ads "$ADS" --out "$work"
cat "$work/time"
ls -l "$work"/*.agg | awk '{ printf "%s: %.1f MB\n", $NF, $5 / 1048576 }' | sed "s|$work/||"

echo "-- skillhub ads merge a.agg b.agg"
/usr/bin/time -o "$work/time" -f "merge: %e s wall, %U s user, peak RSS %M KB" \
  "$SKILLHUB" ads merge "$work/a.agg" "$work/b.agg" --out "$work/merged.agg" 2>/dev/null
cat "$work/time"
if cmp -s "$work/merged.agg" "$work/all.agg"; then echo "merge exact: merged.agg == all.agg (byte-identical)";
else echo "merge exact: NO (merged.agg differs from all.agg)"; fi

echo "-- skillhub ads aggregate over 100000 stored ads (8 skills each, 3000 occupations)"
sqlite3 "$work/esco.db" <<'SQL'
INSERT INTO ad_source(name) VALUES('bench');
CREATE TEMP TABLE occ AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM concept WHERE kind = 'occupation';
CREATE TEMP TABLE sk AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM concept WHERE kind = 'skill';
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 100000)
INSERT INTO ad(id, source, record_hash, raw, posted, country, region, occupation, sector)
SELECT i.n, 1, 'h' || i.n, '{}', printf('%d-%02d-01', 2023 + i.n % 2, 1 + i.n % 12), 'DE', 'DE' || (i.n % 5),
       occ.id, char(65 + i.n % 20)
FROM i JOIN occ ON occ.n = 1 + (i.n * 7919) % (SELECT count(*) FROM occ);
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 8)
INSERT OR IGNORE INTO ad_skill(ad, skill, score)
SELECT ad.id, sk.id, 0.5 + k.n / 20.0 FROM ad JOIN k JOIN sk ON sk.n = 1 + (ad.id * 31 + k.n * k.n * 977) % 2000;
SQL
/usr/bin/time -o "$work/time" -f "aggregate: %e s wall, %U s user, peak RSS %M KB" \
  "$SKILLHUB" --db "$work/esco.db" ads aggregate --out "$work/db.agg" 2>/dev/null
cat "$work/time"
awk -v t="$(awk '{print $2; exit}' "$work/time")" 'BEGIN { printf "aggregate throughput: %.0f ads/s wall\n", 100000 / t }'

echo "-- GET /api/v1/demand on skillhub serve --agg all.agg (1 CPU-bound client, 5 runs per query)"
"$SKILLHUB" --db "$work/esco.db" index build >/dev/null 2>&1
"$SKILLHUB" --db "$work/esco.db" serve --port 0 --quiet --agg "$work/all.agg" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.log")
[ -n "$url" ] || { echo "server did not start:"; cat "$work/serve.log"; exit 1; }
for q in "" "country=DE" "period_from=2024-Q1&period_to=2024-Q2&country=FR" "occupation=25&limit=50" \
         "collection=digital&sector=A"; do
  times=$(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w "%{time_total}\n" "$url/api/v1/demand?$q"; done | sort -n)
  printf "demand ?%-50s median %6.1f ms, worst %6.1f ms\n" "$q" \
    "$(echo "$times" | sed -n 3p | awk '{print $1 * 1000}')" "$(echo "$times" | tail -1 | awk '{print $1 * 1000}')"
done
