#!/usr/bin/env bash
# Gaps weighted by demand in the stored job ads (docs/pathways.md, "Weights"): on the esco-mini fixture
# with the ads of tests/fixtures/ads, each gap item's weight is its specificity times (1 + share of the
# counted ads asking for the skill), where the share is recomputed here with SQL from ad/ad_skill;
# `--no-demand` gives the bare specificity; POST /api/v1/gap gives byte for byte what `skillhub gap
# --json` gives; and without ads both are the bare specificity.
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ] || [ ! -f "$FIXTURES/ads/ingest-flat.jsonl" ]; then
  echo "skipped: the esco-mini or ads fixtures are missing"; exit 77
fi
command -v curl >/dev/null || { echo "skipped: curl not installed"; exit 77; }
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 not installed"; exit 77; }
PY=$(command -v python3) || { echo "skipped: python3 not installed"; exit 77; }
DB="$WORK/demand.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

sh import esco --quiet "$FIXTURES/esco-mini/en" >/dev/null
sh gap --from-occupation mini-o02 --target mini-o01 --json >"$WORK/no-ads.json"
sh gap --from-occupation mini-o02 --target mini-o01 --no-demand --json >"$WORK/no-ads-bare.json"
cmp -s "$WORK/no-ads.json" "$WORK/no-ads-bare.json" || fail "without ads, demand changed the gap"

sh ads ingest "$FIXTURES/ads/ingest-flat.jsonl" "$FIXTURES/ads/ingest-jobposting.jsonl" \
  "$FIXTURES/ads/ingest-eures.csv" >/dev/null 2>&1
ADS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM ad WHERE duplicate_of IS NULL")
[ "$ADS" -gt 0 ] || fail "the fixture ads were not ingested"
sqlite3 -separator ' ' "$DB" "SELECT k.uri, COUNT(*) FROM ad_skill s JOIN ad a ON a.id = s.ad
                              JOIN concept k ON k.id = s.skill WHERE a.duplicate_of IS NULL GROUP BY k.uri" \
  >"$WORK/asked.txt"
[ -s "$WORK/asked.txt" ] || fail "no skill is asked in the fixture ads"

sh gap --from-occupation mini-o02 --target mini-o01 --json >"$WORK/demand.json"
sh gap --from-occupation mini-o02 --target mini-o01 --no-demand --json >"$WORK/bare.json"
cmp -s "$WORK/bare.json" "$WORK/no-ads.json" || fail "--no-demand differs from the gap without ads"
"$PY" -S - "$WORK/demand.json" "$WORK/bare.json" "$WORK/asked.txt" "$ADS" <<'EOF' || fail "demand weights"
import json, sys
with_demand, bare = (json.load(open(p)) for p in sys.argv[1:3])
asked = dict((u, int(n)) for u, n in (line.split() for line in open(sys.argv[3])))
ads = int(sys.argv[4])
bare_w = {s['uri']: s['weight'] for s in bare['skills']}
raised = 0
for s in with_demand['skills']:
    share = asked.get(s['uri'], 0) / ads
    want = bare_w[s['uri']] * (1 + share)
    if abs(s['weight'] - want) > 1e-5 * want:
        sys.exit(f"{s['uri']}: weight {s['weight']}, expected {bare_w[s['uri']]} x (1 + {share}) = {want}")
    raised += share > 0
if not raised:
    sys.exit("no skill of the gap is asked in the ads: the test checks nothing")
EOF

# The server weights the same way (its aggregate is computed from the same ads).
PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT
"$SKILLHUB" --db "$DB" serve --port 0 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/serve.log" && break
  kill -0 "$PID" 2>/dev/null || fail "server exited: $(cat "$WORK/serve.log")"
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line"
curl -s -o "$WORK/api.json" -H 'Content-Type: application/json' \
  --data '{"from_occupation": "mini-o02", "target": "mini-o01"}' "$BASE/api/v1/gap"
cmp -s "$WORK/api.json" "$WORK/demand.json" || fail "API and CLI differ:
api: $(head -c 300 "$WORK/api.json")
cli: $(head -c 300 "$WORK/demand.json")"
echo "ok"
