#!/usr/bin/env bash
# Skills-demand intelligence end to end (docs/intelligence.md): ads stored
# with SQL in a database imported from the esco-mini fixture; `ads aggregate`
# of the whole and of two shards (by source), `ads merge` of the shards equal
# to the whole byte for byte in either order, corrupt files refused;
# `report demand|trends|occupation` as JSON, CSV and HTML (parsed, checked
# against counts computed with SQL, SVG well-formed, no external asset), the
# same from the database and from an aggregate; the chain `ads ingest` ->
# report on the ingestion fixture; GET /api/v1/demand and the /intelligence
# page over HTTP, from the database and from `serve --agg`.
{
set -euo pipefail

DB="$WORK/intel.db"
E=http://data.europa.eu/esco
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
PY=$(python3 -c 'import sys; print(sys.executable)')

"$SKILLHUB" --db "$DB" import esco --quiet "$FIXTURES/esco-mini/en"
# 120 ads: 4 occupations in turn, 6 months, DE or FR, two sources; ads 111-120
# duplicate ad 1.  Each ad asks for the ESCO skills of its occupation except
# every third (by id); software developers ask JavaScript (s02) from April on.
sqlite3 "$DB" <<SQL
INSERT INTO ad_source(name) VALUES('nhs'), ('eures');
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 120)
INSERT INTO ad(id, source, record_hash, raw, posted, country, region, occupation, sector, duplicate_of)
SELECT n, 1 + n % 2, 'h' || n, '{}', printf('2024-%02d-15', 1 + n % 6),
       CASE WHEN n % 3 THEN 'DE' ELSE 'FR' END, CASE WHEN n % 3 THEN 'DE' || (1 + n % 2) ELSE 'FR1' END,
       (SELECT id FROM concept WHERE uri = '$E/occupation/mini-o0' || (1 + n % 4)),
       CASE WHEN n % 4 < 2 THEN 'J' ELSE 'F' END, CASE WHEN n > 110 THEN 1 END
FROM i;
INSERT INTO ad_skill(ad, skill, score)
SELECT ad.id, os.skill, 0.5 + (os.skill % 7) / 20.0 FROM ad JOIN occupation_skill os ON os.occupation = ad.occupation
WHERE (ad.id + os.skill) % 3 != 0 AND os.skill != (SELECT id FROM concept WHERE uri = '$E/skill/mini-s02');
INSERT INTO ad_skill(ad, skill, score)
SELECT ad.id, (SELECT id FROM concept WHERE uri = '$E/skill/mini-s02'), 0.95 FROM ad
WHERE ad.occupation = (SELECT id FROM concept WHERE uri = '$E/occupation/mini-o01') AND ad.posted >= '2024-04';
SQL
counted=$(sqlite3 "$DB" "SELECT count(*) FROM ad WHERE duplicate_of IS NULL")
expect_eq "$counted" 110 "counted ads"

# ---- aggregate and merge ----
"$SKILLHUB" --db "$DB" ads aggregate --out "$WORK/all.agg" 2>"$WORK/err" || fail "aggregate: $(cat "$WORK/err")"
grep -q "110 ads" "$WORK/err" || fail "aggregate should report 110 ads, said: $(cat "$WORK/err")"
"$SKILLHUB" --db "$DB" ads aggregate --source nhs --out "$WORK/nhs.agg" 2>/dev/null
"$SKILLHUB" --db "$DB" ads aggregate --source eures --out "$WORK/eures.agg" 2>/dev/null
"$SKILLHUB" ads merge "$WORK/nhs.agg" "$WORK/eures.agg" --out "$WORK/m1.agg" 2>/dev/null
"$SKILLHUB" ads merge "$WORK/eures.agg" "$WORK/nhs.agg" --out "$WORK/m2.agg" 2>/dev/null
cmp -s "$WORK/m1.agg" "$WORK/all.agg" || fail "merge(nhs, eures) differs from the aggregate of all ads"
cmp -s "$WORK/m2.agg" "$WORK/all.agg" || fail "merge(eures, nhs) differs from the aggregate of all ads"
# The canonical text: one A record per cell, ads summing to the counted ads.
"$SKILLHUB" --db "$DB" ads aggregate >"$WORK/all.txt"
sum=$(awk -F'\t' '$1 == "A" { s += $7 } END { print s }' "$WORK/all.txt")
expect_eq "$sum" 110 "sum of the A records"
# Shards by period are disjoint too.
"$SKILLHUB" --db "$DB" ads aggregate --to 2024-03 --out "$WORK/q1.agg" 2>/dev/null
"$SKILLHUB" --db "$DB" ads aggregate --from 2024-04 --out "$WORK/q2.agg" 2>/dev/null
"$SKILLHUB" ads merge "$WORK/q1.agg" "$WORK/q2.agg" --out "$WORK/m3.agg" 2>/dev/null
cmp -s "$WORK/m3.agg" "$WORK/all.agg" || fail "merge of the two quarters differs from the whole"

# Corrupt inputs: a clear error naming the file, exit 1, no output written.
head -c 100 "$WORK/all.agg" >"$WORK/short.agg"
set +e
"$SKILLHUB" ads merge "$WORK/nhs.agg" "$WORK/short.agg" --out "$WORK/bad.agg" 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" 1 "merge with a truncated file: exit status"
grep -q "short.agg: truncated or corrupt" "$WORK/err" || fail "truncated file: got '$(cat "$WORK/err")'"
[ ! -e "$WORK/bad.agg" ] || fail "a failed merge must not write its output"
"$PY" - "$WORK/all.agg" "$WORK/flip.agg" <<'PYEOF'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
head = data.index(b'\n')
data[head - 1] = ord('0') if data[head - 1] != ord('0') else ord('1')   # the checksum's last digit
open(sys.argv[2], 'wb').write(data)
PYEOF
set +e
"$SKILLHUB" ads merge "$WORK/flip.agg" --out "$WORK/bad.agg" 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" 1 "merge with a bad checksum: exit status"
grep -q "flip.agg: checksum mismatch" "$WORK/err" || fail "bad checksum: got '$(cat "$WORK/err")'"
set +e
"$SKILLHUB" ads merge "$WORK/all.agg" 2>/dev/null; rc=$?
set -e
expect_eq "$rc" 2 "merge without --out: exit status"

# ---- reports ----
report() { "$SKILLHUB" --db "$DB" report "$@"; }
report demand --format json >"$WORK/demand.json"
report demand --agg "$WORK/all.agg" --format json >"$WORK/demand-agg.json"
cmp -s "$WORK/demand.json" "$WORK/demand-agg.json" || fail "demand from the database and from all.agg differ"
# Expected counts, computed with SQL: ads per skill among counted ads.
sqlite3 -separator ' ' "$DB" "SELECT c.uri, count(*) FROM ad_skill k JOIN ad a ON a.id = k.ad
  JOIN concept c ON c.id = k.skill WHERE a.duplicate_of IS NULL GROUP BY c.uri" | sort >"$WORK/expected.txt"
"$PY" - "$WORK/demand.json" "$WORK/expected.txt" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(line.split() for line in open(sys.argv[2]))
got = {s['uri']: str(s['ads']) for s in d['skills']}
assert d['total_ads'] == 110, d['total_ads']
assert got == want, (got, want)
ads = [s['ads'] for s in d['skills']]
assert ads == sorted(ads, reverse=True), 'skills are not by ads descending'
for s in d['skills']:
    assert abs(s['share'] - s['ads'] / 110) < 1e-6, s
assert d['attribution'] == 'This service uses the ESCO classification of the European Commission.'
PYEOF

report demand --country FR --occupation 7126 --format json >"$WORK/fr.json"
want_fr=$(sqlite3 "$DB" "SELECT count(*) FROM ad a JOIN concept o ON o.id = a.occupation WHERE a.duplicate_of IS NULL
  AND a.country = 'FR' AND o.uri = '$E/occupation/mini-o03'")
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['total_ads']==int(sys.argv[2]), (d['total_ads'], sys.argv[2])" \
  "$WORK/fr.json" "$want_fr" || fail "demand --country FR --occupation 7126: total_ads"
report demand --collection digital --format csv >"$WORK/digital.csv"
"$PY" - "$WORK/digital.csv" <<'PYEOF' || fail "digital CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
assert rows[0] == ['uri', 'label', 'ads', 'share', 'total_ads'], rows[0]
digital = {'mini-s01', 'mini-s02', 'mini-s03', 'mini-s12', 'mini-s13'}
assert rows[1:] and all(r[0].rsplit('/', 1)[1] in digital for r in rows[1:]), rows
assert all(r[4] == '110' for r in rows[1:])
PYEOF

set +e
report demand --from 2024-13 --format json >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq "$rc" 2 "report with a bad period: exit status"
grep -q "period_from" "$WORK/err" || fail "bad period: the error should name period_from, got '$(cat "$WORK/err")'"

report trends --a-from 2024-Q1 --a-to 2024-Q1 --b-from 2024-Q2 --b-to 2024-Q2 --min-ads 5 --format json >"$WORK/trends.json"
"$PY" - "$WORK/trends.json" <<'PYEOF' || fail "trends JSON"
import json, sys
d = json.load(open(sys.argv[1]))
s02 = [s for s in d['skills'] if s['uri'].endswith('/mini-s02')]
assert s02 and s02[0]['ads_a'] == 0 and s02[0]['direction'] == 'emerging' and s02[0]['significant'], s02
assert d['tested'] >= 1 and all(s['q'] >= s['p'] - 1e-12 for s in d['skills'])
PYEOF
report trends --a-from 2024-Q1 --a-to 2024-Q1 --b-from 2024-Q2 --b-to 2024-Q2 --min-ads 5 --format csv >"$WORK/trends.csv"
head -1 "$WORK/trends.csv" | grep -q "^uri,label,ads_a,ads_b,share_a,share_b,g,p,q,direction,significant" \
  || fail "trends CSV header: $(head -1 "$WORK/trends.csv")"
set +e
report trends --a-from 2024-Q1 >/dev/null 2>&1; rc=$?
set -e
expect_eq "$rc" 2 "trends without both ranges: exit status"

report occupation --occupation "$E/occupation/mini-o01" --format json >"$WORK/occ.json"
"$PY" - "$WORK/occ.json" <<'PYEOF' || fail "occupation JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['occupation']['label'] == 'software developer'
assert d['essential'] == 3 and d['optional'] == 3, d
assert d['essential_seen'] + len(d['essential_never_asked']) == d['essential']
rel = {s['uri'].rsplit('/', 1)[1]: s.get('esco_relation') for s in d['skills']}
assert rel.get('mini-s01') == 'essential' and rel.get('mini-s02') == 'optional', rel
PYEOF

# HTML: one self-contained document, SVG well-formed, the attribution.
for kind in demand trends occupation; do
  args=(--format html --out "$WORK/$kind.html")
  [ $kind = trends ] && args+=(--a-from 2024-Q1 --a-to 2024-Q1 --b-from 2024-Q2 --b-to 2024-Q2 --min-ads 5)
  [ $kind = occupation ] && args+=(--occupation "$E/occupation/mini-o01")
  report "$kind" "${args[@]}"
  "$PY" - "$WORK/$kind.html" <<'PYEOF' || fail "$kind HTML"
import re, sys, html.parser
import xml.etree.ElementTree as ET
doc = open(sys.argv[1], encoding='utf-8').read()
assert doc.startswith('<!DOCTYPE html>') and doc.rstrip().endswith('</html>')
assert 'This service uses the ESCO classification of the European Commission.' in doc
assert not re.search(r'<(link|script|img)\b', doc), 'external asset'
svgs = re.findall(r'<svg\b.*?</svg>', doc, re.S)
assert svgs, 'no chart'
for s in svgs:
    ET.fromstring(s)          # raises on malformed XML
VOID = {'meta', 'br', 'input', 'img', 'link', 'hr'}
class Check(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs): pass
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()
c = Check(); c.feed(doc); c.close()
assert not c.stack, c.stack
PYEOF
done
[ "$(grep -o "<svg" "$WORK/demand.html" | wc -l)" -eq 3 ] || fail "demand HTML: expected 3 charts (bars, lines, heat)"

# ---- from ingested ads: skillhub ads ingest -> aggregate -> report ----
IDB="$WORK/ingest.db"
"$SKILLHUB" --db "$IDB" import esco --quiet "$FIXTURES/esco-mini/en"
"$SKILLHUB" --db "$IDB" index build >/dev/null 2>&1
"$SKILLHUB" --db "$IDB" ads ingest "$FIXTURES/ads/ingest-flat.jsonl" >/dev/null 2>&1 || fail "ads ingest failed"
"$SKILLHUB" --db "$IDB" report demand --format json >"$WORK/ingest.json"
sqlite3 -separator ' ' "$IDB" "SELECT c.uri, count(*) FROM ad_skill k JOIN ad a ON a.id = k.ad
  JOIN concept c ON c.id = k.skill WHERE a.duplicate_of IS NULL GROUP BY c.uri" >"$WORK/ingest-expected.txt"
want_ads=$(sqlite3 "$IDB" "SELECT count(*) FROM ad WHERE duplicate_of IS NULL")
"$PY" - "$WORK/ingest.json" "$WORK/ingest-expected.txt" "$want_ads" <<'PYEOF' || fail "demand over ingested ads"
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(line.split() for line in open(sys.argv[2]))
assert d['total_ads'] == int(sys.argv[3]) > 0, (d['total_ads'], sys.argv[3])
assert want and {s['uri']: str(s['ads']) for s in d['skills']} == want, (d['skills'], want)
PYEOF

# ---- server ----
"$SKILLHUB" --db "$DB" index build >/dev/null 2>&1
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start_server() {
  local log=$1; shift
  "$SKILLHUB" --db "$DB" serve --port 0 --quiet "$@" 2>"$log" &
  PIDS+=("$!")
  for _ in $(seq 100); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
  BASE=$(sed -n 's/^listening on //p' "$log")
  [ -n "$BASE" ] || fail "server did not start: $(cat "$log")"
}
for mode in db agg; do
  if [ $mode = agg ]; then start_server "$WORK/serve-$mode.log" --agg "$WORK/all.agg"
  else start_server "$WORK/serve-$mode.log"; fi
  code=$(curl -s -o "$WORK/api.json" -w '%{http_code}' "$BASE/api/v1/demand?limit=100")
  expect_eq "$code" 200 "GET /api/v1/demand ($mode)"
  "$PY" - "$WORK/api.json" "$WORK/demand.json" <<'PYEOF' || fail "/api/v1/demand ($mode) differs from the CLI report"
import json, sys
api, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert api['total_ads'] == cli['total_ads'] == 110
assert [(s['uri'], s['ads']) for s in api['skills']] == [(s['uri'], s['ads']) for s in cli['skills']]
PYEOF
  code=$(curl -s -o "$WORK/api.json" -w '%{http_code}' "$BASE/api/v1/demand?country=FR&occupation=7126")
  expect_eq "$code" 200 "GET /api/v1/demand?country=FR&occupation=7126 ($mode)"
  "$PY" -c "import json,sys; assert json.load(open(sys.argv[1]))['total_ads']==int(sys.argv[2])" "$WORK/api.json" "$want_fr" \
    || fail "/api/v1/demand?country=FR&occupation=7126 ($mode): total_ads"
  code=$(curl -s -o "$WORK/api.json" -w '%{http_code}' "$BASE/api/v1/demand?period_from=2024-Q5")
  expect_eq "$code" 400 "GET /api/v1/demand?period_from=2024-Q5 ($mode)"
  grep -q '"period_from"' "$WORK/api.json" || fail "400 should name period_from: $(cat "$WORK/api.json")"
  code=$(curl -s -o "$WORK/page.html" -w '%{http_code}' "$BASE/intelligence?country=DE")
  expect_eq "$code" 200 "GET /intelligence ($mode)"
  grep -q "<svg" "$WORK/page.html" || fail "/intelligence has no chart"
  grep -q 'name="country"' "$WORK/page.html" || fail "/intelligence has no filter form"
  grep -q "This service uses the ESCO classification" "$WORK/page.html" || fail "/intelligence: no attribution"
  [ $mode = db ] && BASE_DB=$BASE
done
# Computed from the database, the server sees ads committed after it started
# (every writer of ads increments meta.ads_generation, as ingest and reprocess
# do); with --agg it keeps serving the file.  A write that is not one of ads
# (a session, a profile) leaves the cached aggregate alone.
sqlite3 "$DB" "UPDATE ad SET duplicate_of = NULL WHERE id > 110"
total() { "$PY" -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]+'/api/v1/demand'))['total_ads'])" "$1"; }
expect_eq "$(total "$BASE_DB")" 110 "total_ads from the cache before the ads generation moved"
sqlite3 "$DB" "INSERT INTO meta(key, value) VALUES('ads_generation', '1')
               ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
expect_eq "$(total "$BASE_DB")" 120 "total_ads from the database after 10 more ads were counted"
expect_eq "$(total "$BASE")" 110 "total_ads of serve --agg after the database changed"
echo "ok"
exit 0
}
