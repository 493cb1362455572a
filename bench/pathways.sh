#!/usr/bin/env bash
# Pathways benchmark on the full ESCO v1.1.1 English package (../shared/data):
#   - gap + exact course plan for an occupation pair against a synthetic 100,000-course
#     catalogue generated in the run (fixed seed): median / p95 over 51 near pairs (best
#     transition) and 51 far pairs (unrelated occupations); target: median < 50 ms
#   - the greedy plan on the same instances, same run: time and cost ratio greedy / exact
#   - transitions (top 10) for every occupation; target: < 5 s in total
#   - a 10,000-employee workforce plan (50 -> 50 occupations) with the catalogue; target < 2 s
#   - peak RSS of the benchmark process (getrusage and /usr/bin/time -v)
#   - `skillhub transitions` and `skillhub gap` wall time per process (median of 11)
# All but the per-process figures are measured by bench/bench_pathways.c.
# Usage: BUILD=build bench/pathways.sh [COURSES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: ../shared/data/esco/v1.1.1/en not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/skillhub" "$BUILD/bench/bench_pathways" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-pathways-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="$tmp/esco.db"
"$BUILD/skillhub" --db "$db" import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null
"$BUILD/skillhub" --db "$db" index build >/dev/null

/usr/bin/time -v "$BUILD/bench/bench_pathways" "$db" "${1:-100000}" "${2:-51}" 2>"$tmp/time"
echo "peak RSS (/usr/bin/time)         $(( $(awk -F: '/Maximum resident/ {print $2}' "$tmp/time") / 1024 )) MiB"

median_ms() { # command...: median wall time of 11 runs in ms
  local t=()
  for _ in $(seq 11); do
    local s=$(date +%s%N); "$@" >/dev/null; t+=($(( ($(date +%s%N) - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 6p | awk '{printf "%.1f", $1 / 1000}'
}
dev=http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1
echo "skillhub transitions (process) median $(median_ms "$BUILD/skillhub" --db "$db" transitions "$dev") ms"
app=$("$BUILD/skillhub" --db "$db" transitions --json --limit 1 "$dev" | jq -r '.same_sector[0].uri')
echo "skillhub gap (process) median         $(median_ms "$BUILD/skillhub" --db "$db" gap --from-occupation "$dev" --target "$app") ms"
