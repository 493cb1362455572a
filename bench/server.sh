#!/usr/bin/env bash
# HTTP server throughput: wrk against `skillhub serve` (64 connections, 2 wrk threads).
#   GET /api/v1/concepts/{id}   target >= 15,000 req/s, p99 < 10 ms
#   GET /api/v1/search?q=...    target >=  5,000 req/s
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
else
  data="esco-mini fixture"
  "$BUILD/skillhub" --db "$tmp/b.db" import esco --version 1.1.1 --quiet tests/fixtures/esco-mini/en >/dev/null 2>&1
  id=mini-o01
  q="software"
fi
"$BUILD/skillhub" --db "$tmp/b.db" serve --port 0 --quiet 2>"$tmp/log" &
pid=$!
for _ in $(seq 300); do grep -q '^listening on ' "$tmp/log" && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$tmp/log")
[ -n "$base" ] || { cat "$tmp/log"; exit 1; }
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
rss_before=$(rss VmRSS)

# "req/s p99-ms" of one wrk run
run() {
  wrk -t2 -c64 -d"${DURATION}s" --latency "$base$1" >"$tmp/wrk"
  awk '/Requests\/sec/ { r = $2 }
       $1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+/, "", v);
                     ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
       END { printf "%.0f %.2f\n", r, ms }' "$tmp/wrk"
  grep -q 'Non-2xx' "$tmp/wrk" && { echo "error: non-2xx responses for $1" >&2; cat "$tmp/wrk" >&2; exit 1; }
  return 0
}
read -r health health_p99 < <(run /health)
read -r concept concept_p99 < <(run "/api/v1/concepts/$id")
read -r search search_p99 < <(run "/api/v1/search?q=$q")
rss_after=$(rss VmRSS)
rss_peak=$(rss VmHWM)

echo "server benchmark ($data, ${DURATION}s per run, 64 connections, $(nproc) cores)"
printf "  %-28s %8s req/s  p99 %6s ms\n" "GET /health (peer)" "$health" "$health_p99"
printf "  %-28s %8s req/s  p99 %6s ms  ratio %.2f  (target >= 15000, p99 < 10)\n" \
  "GET /api/v1/concepts/{id}" "$concept" "$concept_p99" "$(echo "$concept / $health" | bc -l)"
printf "  %-28s %8s req/s  p99 %6s ms  ratio %.2f  (target >= 5000)\n" \
  "GET /api/v1/search" "$search" "$search_p99" "$(echo "$search / $health" | bc -l)"
echo "  RSS before ${rss_before} KiB, after ${rss_after} KiB, peak ${rss_peak} KiB"
kill -TERM "$pid"; wait "$pid"; pid=""
