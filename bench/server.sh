#!/usr/bin/env bash
# HTTP server throughput: wrk against `skillhub serve` (64 connections, 2 wrk threads).
#   GET /api/v1/concepts/{id}   target >= 15,000 req/s, p99 < 10 ms
#   GET /api/v1/search?q=...    target >=  5,000 req/s
#   POST /api/v1/extract        one ~2 KB job ad (NHS, taken from ../shared/data at bench time;
#                               a fixed English paragraph without it), target >= 2,000 req/s on 2 cores
#   peer: GET /health (no index work: the HTTP framework's own ceiling), same run;
#         ratio = route req/s / health req/s.
# Also the server's resident memory before and after the runs (VmRSS) and its peak (VmHWM).
# Data: full ESCO v1.1.1 (en) when ../shared/data exists, else the esco-mini fixture.
# Needs wrk (scripts/install-deps.sh --bench).  Usage: BUILD=build DURATION=10 bench/server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DURATION=${DURATION:-10}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
command -v wrk >/dev/null || { echo "skipped: wrk not installed (scripts/install-deps.sh --bench)"; exit 0; }
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-bench-server-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

if [ -d "$SHARED/esco/v1.1.1/en" ]; then
  data="ESCO v1.1.1 en"
  "$BUILD/skillhub" --db "$tmp/b.db" import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null 2>&1
  id=$(sqlite3 "$tmp/b.db" "SELECT uri FROM concept WHERE kind = 'occupation' ORDER BY uri LIMIT 1" | sed 's|.*/||')
  q="software+developer"
  # The first NHS ad of 1.9 to 2.2 KB of text once its HTML is removed.
  python3 - "$SHARED/jobads/nhs-uk-2020-11.jsonl" "$tmp/extract.json" <<'PY'
import html, json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    ad = json.loads(line)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(ad.get("description") or ""))).strip()
    if 1900 <= len(text.encode()) <= 2200:
        json.dump({"id": "bench", "text": text}, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
        break
else:
    sys.exit("no NHS ad of about 2 KB in " + sys.argv[1])
PY
else
  data="esco-mini fixture"
  "$BUILD/skillhub" --db "$tmp/b.db" import esco --version 1.1.1 --quiet tests/fixtures/esco-mini/en >/dev/null 2>&1
  id=mini-o01
  q="software"
  python3 -c 'import json, sys; json.dump({"id": "bench", "text": " ".join(["We are hiring a software developer with Python and SQL who will debug software, write software specifications and work in teams."] * 16)}, open(sys.argv[1], "w"))' "$tmp/extract.json"
fi
extract_bytes=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["text"].encode()))' "$tmp/extract.json")
"$BUILD/skillhub" --db "$tmp/b.db" serve --port 0 --quiet 2>"$tmp/log" &
pid=$!
for _ in $(seq 300); do grep -q '^listening on ' "$tmp/log" && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$tmp/log")
[ -n "$base" ] || { cat "$tmp/log"; exit 1; }
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
rss_before=$(rss VmRSS)

# "req/s p99-ms" of one wrk run: run PATH [wrk args...]
run() {
  local path=$1; shift
  wrk -t2 -c64 -d"${DURATION}s" --latency "$@" "$base$path" >"$tmp/wrk"
  awk '/Requests\/sec/ { r = $2 }
       $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+/, "", v);
                     ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
       END { printf "%.0f %.2f\n", r, ms }' "$tmp/wrk"
  grep -q 'Non-2xx' "$tmp/wrk" && { echo "error: non-2xx responses for $path" >&2; cat "$tmp/wrk" >&2; exit 1; }
  return 0
}
read -r health health_p99 < <(run /health)
read -r concept concept_p99 < <(run "/api/v1/concepts/$id")
read -r search search_p99 < <(run "/api/v1/search?q=$q")
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/extract.json" "$base/api/v1/extract" \
  >"$tmp/extract.out" || { echo "error: POST /api/v1/extract failed" >&2; exit 1; }
extract_skills=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["skills"]))' "$tmp/extract.out")
read -r extract extract_p99 < <(EXTRACT_BODY="$tmp/extract.json" run /api/v1/extract -s bench/wrk-post-extract.lua)
rss_after=$(rss VmRSS)
rss_peak=$(rss VmHWM)

echo "server benchmark ($data, ${DURATION}s per run, 64 connections, $(nproc) cores)"
printf "  %-28s %8s req/s  p99 %6s ms\n" "GET /health (peer)" "$health" "$health_p99"
printf "  %-28s %8s req/s  p99 %6s ms  ratio %.2f  (target >= 15000, p99 < 10)\n" \
  "GET /api/v1/concepts/{id}" "$concept" "$concept_p99" "$(echo "$concept / $health" | bc -l)"
printf "  %-28s %8s req/s  p99 %6s ms  ratio %.2f  (target >= 5000)\n" \
  "GET /api/v1/search" "$search" "$search_p99" "$(echo "$search / $health" | bc -l)"
printf "  %-28s %8s req/s  p99 %6s ms  ratio %.2f  (target >= 2000; %s-byte ad, %s skills)\n" \
  "POST /api/v1/extract" "$extract" "$extract_p99" "$(echo "$extract / $health" | bc -l)" "$extract_bytes" "$extract_skills"
echo "  RSS before ${rss_before} KiB, after ${rss_after} KiB, peak ${rss_peak} KiB"
kill -TERM "$pid"; wait "$pid"; pid=""
