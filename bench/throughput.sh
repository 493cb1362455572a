#!/usr/bin/env bash
# Label matcher throughput (src/match/matcher.h, docs/matcher.md) against peers, in one run.
#   data:   the full English ESCO v1.1.1 (imported with `skillhub import esco`, compiled with
#           `skillhub index build`) and the "description" fields of jobads/nhs-uk-2020-11.jsonl,
#           HTML removed (html.unescape twice + a crude tag strip), one ad per line
#   ours:   bench/bench_match.c matches every line (one scratch, one core): it prints index load
#           time, scan MB/s and total MB/s; /usr/bin/time gives the whole process (exec to exit)
#           wall time and peak RSS
#   peer:   ../shared/tools/ac_peer.py (pyahocorasick over the lower-cased labels, no word
#           boundaries, no normalisation), whole process timed the same way
#   record: grep -F -i -w -o -f LABELS on a 1 MB sample (slow: capped at 120 s)
# Usage: BUILD=build bench/throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ ! -d "$SHARED/esco/v1.1.1/en" ] || [ ! -f "$SHARED/jobads/nhs-uk-2020-11.jsonl" ]; then
  echo "skipped: ../shared/data (ESCO v1.1.1 en, NHS job ads) not found"; exit 0
fi
PEER=$(cd "$SHARED/../tools" && pwd)/ac_peer.py
make -s BUILD="$BUILD" "$BUILD/skillhub" "$BUILD/bench/bench_match" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-throughput-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$BUILD/skillhub" --db "$tmp/esco.db" import esco "$SHARED/esco/v1.1.1/en" > "$tmp/import.log" 2>&1 ||
  { cat "$tmp/import.log"; exit 1; }
t0=$(date +%s%N)
"$BUILD/skillhub" --db "$tmp/esco.db" index build >/dev/null
echo "index build (all sections): $(( ($(date +%s%N) - t0) / 1000000 )) ms; index size $(( $(stat -c %s "$tmp/esco.db.idx") / 1024 / 1024 )) MB"

python3 - "$SHARED/jobads/nhs-uk-2020-11.jsonl" "$tmp/esco.db" "$tmp" <<'PY'
import html, json, re, sqlite3, sys
ads, db, out = sys.argv[1:4]
with open(f'{out}/nhs.txt', 'w') as t:
    for line in open(ads, encoding='utf-8'):
        d = html.unescape(html.unescape(json.loads(line).get('description') or ''))
        t.write(' '.join(re.sub(r'<[^>]*>', ' ', d).split()) + '\n')
labels = sqlite3.connect(db).execute(
    "SELECT DISTINCT lower(l.text) FROM label l JOIN concept c ON c.id = l.concept "
    "WHERE l.lang = 'en' AND c.kind IN ('skill', 'occupation') AND c.status <> 'obsolete'")
with open(f'{out}/labels.txt', 'w') as f:
    for (text,) in labels:
        f.write(' '.join(text.split()) + '\n')
PY
head -c 1000000 "$tmp/nhs.txt" > "$tmp/sample.txt"
mb=$(stat -c %s "$tmp/nhs.txt")
echo "text: $(wc -l < "$tmp/nhs.txt") ads, $((mb / 1000000)) MB; labels: $(wc -l < "$tmp/labels.txt") distinct"

# "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23" -> seconds
wall() { awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"; }
rss() { awk -F': ' '/Maximum resident/ { print int($2 / 1024) }' "$1"; }

echo "== skillhub matcher (bench_match, 1 core)"
/usr/bin/time -v "$BUILD/bench/bench_match" "$tmp/esco.db.idx" "$tmp/nhs.txt" 2> "$tmp/ours.time"
ours=$(wall "$tmp/ours.time")
echo "whole process: ${ours} s wall, $(awk -v b="$mb" -v s="$ours" 'BEGIN { printf "%.1f", b / 1e6 / s }') MB/s, peak RSS $(rss "$tmp/ours.time") MB"

echo "== peer: ac_peer.py (pyahocorasick)"
/usr/bin/time -v /usr/bin/python3 "$PEER" "$tmp/labels.txt" "$tmp/nhs.txt" 2> "$tmp/peer.time"
peer=$(wall "$tmp/peer.time")
echo "whole process: ${peer} s wall, $(awk -v b="$mb" -v s="$peer" 'BEGIN { printf "%.1f", b / 1e6 / s }') MB/s, peak RSS $(rss "$tmp/peer.time") MB"
echo "ratio (whole process, ours / peer): $(awk -v a="$peer" -v b="$ours" 'BEGIN { printf "%.1fx", a / b }')"

echo "== for the record: grep -F -i -w -o -f LABELS, 1 MB sample (timeout 120 s)"
t0=$(date +%s%N)
if timeout 120 grep -F -i -w -o -f "$tmp/labels.txt" "$tmp/sample.txt" > "$tmp/grep.out"; then :; fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
found=$(wc -l < "$tmp/grep.out")
note=""
[ "$ms" -lt 120000 ] || note=", stopped by the timeout"
echo "grep: $ms ms for 1 MB, $found matches$note"
