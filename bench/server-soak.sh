#!/usr/bin/env bash
# HTTP server soak test: wrk for DURATION seconds (default 300) over a mix of
# routes (bench/wrk-mix.lua: concept, search, suggest, relations, POST extract
# with a ~2 KB job ad, POST titles, the analyse page, health), sampling the
# server's resident memory (VmRSS) every 10 s.  Reports requests/s, p99,
# non-2xx answers, and RSS at the start (after a warm-up), at the end, its
# maximum and the growth between the two; a leak shows as growth that keeps
# rising with DURATION.
# Data: full ESCO v1.1.1 (en) and an NHS ad when ../shared/data exists, else
# the esco-mini fixture.  Needs wrk.  Usage: BUILD=build DURATION=300 bench/server-soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DURATION=${DURATION:-300}
WARMUP=${WARMUP:-5}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
command -v wrk >/dev/null || { echo "skipped: wrk not installed (scripts/install-deps.sh --bench)"; exit 0; }
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-soak-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

ad_text() { # the first ad of 1.9-2.2 KB of text from a schema.org JSON-lines file, as {"id","text"}
  python3 - "$1" "$tmp/extract.json" <<'PY'
import html, json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    ad = json.loads(line)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(ad.get("description") or ""))).strip()
    if 1900 <= len(text.encode()) <= 2200:
        json.dump({"id": "soak", "text": text}, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
        break
else:
    sys.exit("no ad of about 2 KB in " + sys.argv[1])
PY
}
if [ -d "$SHARED/esco/v1.1.1/en" ] && [ -f "$SHARED/jobads/nhs-uk-2020-11.jsonl" ]; then
  data="ESCO v1.1.1 en, NHS ad"
  "$BUILD/skillhub" --db "$tmp/b.db" import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null 2>&1
  id=$(sqlite3 "$tmp/b.db" "SELECT uri FROM concept WHERE kind = 'occupation' ORDER BY uri LIMIT 1" | sed 's|.*/||')
  q="software+developer"
  ad_text "$SHARED/jobads/nhs-uk-2020-11.jsonl"
else
  data="esco-mini fixture"
  "$BUILD/skillhub" --db "$tmp/b.db" import esco --version 1.1.1 --quiet tests/fixtures/esco-mini/en >/dev/null 2>&1
  id=mini-o01
  q="software"
  python3 -c 'import json, sys; json.dump({"id": "soak", "text": " ".join(["We are hiring a software developer with Python and SQL who will debug software and work in teams."] * 20)}, open(sys.argv[1], "w"))' "$tmp/extract.json"
fi
"$BUILD/skillhub" --db "$tmp/b.db" serve --port 0 --quiet 2>"$tmp/log" &
pid=$!
for _ in $(seq 300); do grep -q '^listening on ' "$tmp/log" && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$tmp/log")
[ -n "$base" ] || { cat "$tmp/log"; exit 1; }
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"; }
export CONCEPT_ID=$id SEARCH_Q=$q EXTRACT_BODY=$tmp/extract.json

# Warm-up: every route once under load, so that pools and caches are filled before the first sample.
wrk -t2 -c64 -d"${WARMUP}s" -s bench/wrk-mix.lua "$base" >/dev/null
rss_start=$(rss)
wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/wrk-mix.lua "$base" >"$tmp/wrk" &
wrk_pid=$!
samples=("$rss_start")
while kill -0 "$wrk_pid" 2>/dev/null; do
  for _ in $(seq 10); do kill -0 "$wrk_pid" 2>/dev/null && sleep 1; done
  samples+=("$(rss)")
done
wait "$wrk_pid"
rss_end=$(rss)
rss_max=$(printf '%s\n' "${samples[@]}" "$rss_end" | sort -n | tail -n 1)
half=${samples[$(( ${#samples[@]} / 2 ))]}
reqs=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk")
p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$tmp/wrk")
errors=$(awk '/Socket errors/ { print }' "$tmp/wrk")

echo "server soak ($data, ${DURATION}s, 64 connections, 8 routes in turn, $(nproc) cores)"
echo "  ${reqs} req/s, p99 ${p99}, non-2xx ${non2xx:-0}${errors:+, $errors}"
echo "  RSS samples (KiB, every 10 s): ${samples[*]} $rss_end"
echo "  RSS start ${rss_start} KiB, end ${rss_end} KiB, max ${rss_max} KiB, growth $((rss_end - rss_start)) KiB" \
     "(second half: $((rss_end - half)) KiB)"
kill -TERM "$pid"; wait "$pid"; pid=""
[ -z "$non2xx" ] || { echo "error: $non2xx non-2xx answers" >&2; exit 1; }
