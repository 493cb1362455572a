#!/usr/bin/env bash
# Supply versus demand end to end (docs/intelligence.md): the esco-mini
# taxonomy, the ingestion fixtures' ads (`ads ingest`: 11 ads, one duplicate),
# the courses of tests/fixtures/intel/supply-courses.json imported, submitted
# and approved with the CLI (one left submitted), and one skill-to-skill
# broader link added with SQL (repair plumbing systems under install pipes).
# `report supply` as JSON, CSV and HTML with every number worked out by hand,
# by country and region; `report cooccurrence`; then GET /api/v1/supply,
# /api/v1/demand/cooccurrence and /intelligence/supply over HTTP, and a course
# approved while the server runs counted at once.
{
set -euo pipefail

DB="$WORK/supply.db"
E=http://data.europa.eu/esco/skill
export SKILLHUB_RULES="$(cd "$FIXTURES/../.." && pwd)/rules/quality-rules.json"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
PY=$(python3 -c 'import sys; print(sys.executable)')
sh() { "$SKILLHUB" --db "$DB" "$@"; }

sh import esco --quiet "$FIXTURES/esco-mini/en"
sh index build >/dev/null 2>&1
sh ads ingest "$FIXTURES/ads/ingest-flat.jsonl" "$FIXTURES/ads/ingest-jobposting.jsonl" \
  "$FIXTURES/ads/ingest-eures.csv" >/dev/null 2>&1 || fail "ads ingest failed"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM ad WHERE duplicate_of IS NULL")" 10 "counted ads"
sqlite3 "$DB" "INSERT INTO broader(concept, broader) SELECT a.id, b.id FROM concept a, concept b
  WHERE a.uri = '$E/mini-s08' AND b.uri = '$E/mini-s07'"
sh courses import "$FIXTURES/intel/supply-courses.json" >/dev/null
for c in PY-DE FOOD-UK SQL-WEB PIPE-LV PIPE-DRAFT; do sh courses submit "$c" >/dev/null; done
for c in PY-DE FOOD-UK SQL-WEB PIPE-LV; do sh courses approve "$c" >/dev/null; done

# Ads and their skills (sN = mini-sN), as the extractor finds them:
#   flat: Manchester {s07 s08}, York {s09 s10}, Bristol {s03 s06 s12} (no country)
#   jobposting: GB/UKI {s01 s03 s04 s13}, GB/Leeds {s09 s10 s11}, FR/FR10 {}, {} (+ 1 duplicate)
#   eures: LV/Riga {s01 s02 s04 s13}, PT/Lisboa {s09 s10}, EE/Tallinn {s07 s08}
# Approved courses: PY-DE (DE30: s01 s04 s13), FOOD-UK (UKI3: s09 s10 s11), SQL-WEB (online:
# s03 s06 s12), PIPE-LV (no region, provider LV: s08 s11 s12; s08 counts for s07 too).
# gap = ads / 10 / (1 + courses); ties by ads, then URI.
check_json() {  # FILE TOTAL_ADS TOTAL_COURSES "sNN:ads:courses ..." (the whole list, in order)
  "$PY" - "$@" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['report'] == 'supply', d['report']
assert d['total_ads'] == int(sys.argv[2]), ('total_ads', d['total_ads'], sys.argv[2])
assert d['total_courses'] == int(sys.argv[3]), ('total_courses', d['total_courses'], sys.argv[3])
got = ['%s:%d:%d' % (s['uri'].rsplit('-', 1)[1], s['ads'], s['courses']) for s in d['skills']]
want = sys.argv[4].split()
assert got == want, ('skills', got, want)
for s in d['skills']:
    assert abs(s['share'] - s['ads'] / d['total_ads']) < 1e-6, s
    assert abs(s['gap'] - s['share'] / (1 + s['courses'])) < 1e-6, s
assert d['attribution'] == 'This service uses the ESCO classification of the European Commission.'
PYEOF
}
ALL="s09:3:1 s10:3:1 s01:2:1 s03:2:1 s04:2:1 s07:2:1 s08:2:1 s13:2:1 s02:1:0 s06:1:1 s11:1:2 s12:1:2"
sh report supply --format json >"$WORK/all.json"
check_json "$WORK/all.json" 10 4 "$ALL" || fail "report supply: $(cat "$WORK/all.json")"
# GB: 2 ads (UKI, Leeds); FOOD-UK (UKI3 is in the UK) and the online course.
sh report supply --country GB --format json >"$WORK/gb.json"
check_json "$WORK/gb.json" 2 2 "s01:1:0 s04:1:0 s13:1:0 s03:1:1 s09:1:1 s10:1:1 s11:1:1" \
  || fail "report supply --country GB: $(cat "$WORK/gb.json")"
# LV: 1 ad; PIPE-LV (its provider's country) and the online course.
sh report supply --country LV --limit 3 --format json >"$WORK/lv.json"
check_json "$WORK/lv.json" 1 2 "s01:1:0 s02:1:0 s04:1:0" || fail "report supply --country LV: $(cat "$WORK/lv.json")"
# Region UKI: the ad of region UKI; FOOD-UK (UKI3 under UKI) and the online course.
sh report supply --region UKI --format json >"$WORK/uki.json"
check_json "$WORK/uki.json" 1 2 "s01:1:0 s04:1:0 s13:1:0 s03:1:1" || fail "report supply --region UKI: $(cat "$WORK/uki.json")"
# A region that is not a NUTS code keeps only online courses.
sh report supply --region Leeds --format json >"$WORK/leeds.json"
check_json "$WORK/leeds.json" 1 1 "s09:1:0 s10:1:0 s11:1:0" || fail "report supply --region Leeds: $(cat "$WORK/leeds.json")"

sh report supply --format csv --limit 3 >"$WORK/all.csv"
"$PY" - "$WORK/all.csv" <<'PYEOF' || fail "report supply CSV: $(cat "$WORK/all.csv")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
assert rows[0] == ['uri', 'label', 'ads', 'share', 'courses', 'gap', 'total_ads', 'total_courses'], rows[0]
assert [(r[1], r[2], r[4], r[5], r[6], r[7]) for r in rows[1:]] == [
    ('prepare food', '3', '1', '0.150000', '10', '4'), ('food hygiene', '3', '1', '0.150000', '10', '4'),
    ('Python (computer programming)', '2', '1', '0.100000', '10', '4')], rows
PYEOF

sh report supply --format html --out "$WORK/supply.html"
"$PY" - "$WORK/supply.html" <<'PYEOF' || fail "report supply HTML"
import re, sys
import xml.etree.ElementTree as ET
doc = open(sys.argv[1], encoding='utf-8').read()
assert doc.startswith('<!DOCTYPE html>') and doc.rstrip().endswith('</html>')
assert 'This service uses the ESCO classification of the European Commission.' in doc
assert not re.search(r'<(link|script|img)\b', doc), 'external asset'
svgs = re.findall(r'<svg\b.*?</svg>', doc, re.S)
assert len(svgs) == 1, len(svgs)
chart = ET.fromstring(svgs[0])
titles = [t.text for t in chart.iter('{http://www.w3.org/2000/svg}title')]
assert 'prepare food: 30.0% of ads, 1 courses' in titles, titles
# The country table: GB row, first column (prepare food): 1 ad, 1 course.
table = re.search(r'<table class="skills supply-areas">.*?</table>', doc, re.S).group(0)
ET.fromstring(table.replace('&nbsp;', ' '))
gb = re.search(r'<tr><th>GB</th><td class="n">2</td><td class="n">([^<]*)</td>', table)
assert gb and gb.group(1) == '1&nbsp;/&nbsp;1', table
assert '<td class="n">0.1500</td>' in doc
PYEOF

# ---- co-occurrence ----
sh report cooccurrence --skill "$E/mini-s01" --format json >"$WORK/co.json"
"$PY" - "$WORK/co.json" <<'PYEOF' || fail "report cooccurrence: $(cat "$WORK/co.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['report'] == 'cooccurrence' and d['skill']['label'] == 'Python (computer programming)', d
assert d['total_ads'] == 2, d['total_ads']
got = [(s['uri'].rsplit('-', 1)[1], s['ads'], s['share']) for s in d['skills']]
assert got == [('s04', 2, 1.0), ('s13', 2, 1.0), ('s02', 1, 0.5), ('s03', 1, 0.5)], got
PYEOF
sh report cooccurrence --skill "$E/mini-s01" --from 2025 --format csv >"$WORK/co.csv"
expect_eq "$(cat "$WORK/co.csv" | tr -d '\r')" "uri,label,ads,share,total_ads
$E/mini-s02,JavaScript,1,1.000000,1
$E/mini-s04,debug software,1,1.000000,1
$E/mini-s13,use version control,1,1.000000,1" "report cooccurrence --from 2025 CSV"
sh report cooccurrence --skill "$E/mini-s01" --out "$WORK/co.html"
grep -q "<svg" "$WORK/co.html" || fail "cooccurrence HTML has no chart"
for args in "cooccurrence" "cooccurrence --skill $E/no-such-skill" "cooccurrence --skill $E/mini-s01 --country GB" \
            "supply --country GB --from 2024-13"; do
  set +e
  sh report $args >/dev/null 2>"$WORK/err"; rc=$?
  set -e
  expect_eq "$rc" 2 "report $args: exit status"
done
grep -q "period_from" "$WORK/err" || fail "a bad period should be named: $(cat "$WORK/err")"

# ---- server ----
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
"$SKILLHUB" --db "$DB" serve --port 0 --quiet 2>"$WORK/serve.log" &
PIDS+=("$!")
for _ in $(seq 100); do grep -q '^listening on ' "$WORK/serve.log" && break; sleep 0.1; done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log")
[ -n "$BASE" ] || fail "server did not start: $(cat "$WORK/serve.log")"
get() {  # URL OUT: prints the status code
  curl -s -o "$2" -w '%{http_code}' "$BASE$1"
}
expect_eq "$(get "/api/v1/supply?limit=100" "$WORK/api.json")" 200 "GET /api/v1/supply"
check_json "$WORK/api.json" 10 4 "$ALL" || fail "GET /api/v1/supply: $(cat "$WORK/api.json")"
expect_eq "$(get "/api/v1/supply?country=GB" "$WORK/api.json")" 200 "GET /api/v1/supply?country=GB"
check_json "$WORK/api.json" 2 2 "s01:1:0 s04:1:0 s13:1:0 s03:1:1 s09:1:1 s10:1:1 s11:1:1" \
  || fail "GET /api/v1/supply?country=GB: $(cat "$WORK/api.json")"
expect_eq "$(get "/api/v1/supply?period_to=2024-Q9" "$WORK/api.json")" 400 "GET /api/v1/supply?period_to=2024-Q9"
grep -q '"period_to"' "$WORK/api.json" || fail "400 should name period_to: $(cat "$WORK/api.json")"
expect_eq "$(get "/api/v1/demand/cooccurrence?skill=$E/mini-s01" "$WORK/co-api.json")" 200 "GET /api/v1/demand/cooccurrence"
"$PY" -c "import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); assert a==b, (a,b)" \
  "$WORK/co-api.json" "$WORK/co.json" || fail "/api/v1/demand/cooccurrence differs from the CLI report"
expect_eq "$(get "/api/v1/demand/cooccurrence?skill=$E/mini-gS" "$WORK/api.json")" 400 "cooccurrence of a skill group"
grep -q '"skill"' "$WORK/api.json" || fail "400 should name skill: $(cat "$WORK/api.json")"
expect_eq "$(get "/api/v1/demand/cooccurrence?skill=$E/mini-s01&country=GB" "$WORK/api.json")" 400 \
  "cooccurrence with a filter that does not apply"
expect_eq "$(get "/intelligence/supply?country=GB" "$WORK/page.html")" 200 "GET /intelligence/supply"
grep -q "<svg" "$WORK/page.html" || fail "/intelligence/supply has no chart"
grep -q 'class="skills supply-areas"' "$WORK/page.html" || fail "/intelligence/supply has no country table"
grep -q 'action="/intelligence/supply"' "$WORK/page.html" || fail "/intelligence/supply has no filter form"
grep -q 'href="/intelligence?country=GB"' "$WORK/page.html" || fail "/intelligence/supply does not link back with its filters"
expect_eq "$(get "/intelligence?country=GB" "$WORK/page.html")" 200 "GET /intelligence"
grep -q 'href="/intelligence/supply?country=GB"' "$WORK/page.html" || fail "/intelligence does not link to the supply view"

# Approved while the server runs: PIPE-DRAFT (online: s07 s08 s11) counts at once.
sh courses approve PIPE-DRAFT >/dev/null
expect_eq "$(get "/api/v1/supply?limit=100" "$WORK/api.json")" 200 "GET /api/v1/supply after an approval"
check_json "$WORK/api.json" 10 5 \
  "s09:3:1 s10:3:1 s01:2:1 s03:2:1 s04:2:1 s13:2:1 s02:1:0 s07:2:2 s08:2:2 s06:1:1 s12:1:2 s11:1:3" \
  || fail "GET /api/v1/supply after approving PIPE-DRAFT: $(cat "$WORK/api.json")"
echo "ok"
exit 0
}
