#!/usr/bin/env bash
# Throughput of `skillhub extract` (label matcher + skill ranker + JSON lines, docs/matcher.md) against
# peers, in one run.
#   data:   the full English ESCO v1.1.1 (imported with `skillhub import esco`, compiled with
#           `skillhub index build`) and the "description" fields of jobads/nhs-uk-2020-11.jsonl, HTML
#           removed (html.unescape twice + a crude tag strip): TEXT = one ad per line, and
#           ADS = one JSON object per ad, {"id": url, "title": ..., "text": TEXT line}
#   ours:   `skillhub extract --jobs 1` and `--jobs 2` over ADS (default mode: the skills and
#           occupations found in each ad, ranked, with spans), whole process (exec to exit, index
#           load included) timed by /usr/bin/time -v: wall time, CPU time (user + system) and peak RSS
#   peer:   ../shared/tools/ac_peer.py (pyahocorasick over the lower-cased labels, no word boundaries,
#           no normalisation, no ranking) over TEXT, whole process timed the same way
#   record: LC_ALL=C grep -F -c -f LABELS over TEXT lower-cased (lines with at least one label
#           substring: it stops at the first hit of a line, so it does far less work), capped at 300 s
#   load:   `skillhub extract` over an empty input (process start, database, index and extractor
#           open), best of 5 by wall and by CPU time (10 ms resolution)
# MB/s are always bytes of TEXT per second, so every figure is over the same text; "per CPU
# second" divides by user + system time: what one core does, steadier on a shared machine.
# Usage: BUILD=build bench/throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ ! -d "$SHARED/esco/v1.1.1/en" ] || [ ! -f "$SHARED/jobads/nhs-uk-2020-11.jsonl" ]; then
  echo "skipped: ../shared/data (ESCO v1.1.1 en, NHS job ads) not found"; exit 0
fi
PEER=$(cd "$SHARED/../tools" && pwd)/ac_peer.py
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
SKILLHUB="$PWD/$BUILD/skillhub"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-throughput-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$SKILLHUB" --db "$tmp/esco.db" import esco "$SHARED/esco/v1.1.1/en" > "$tmp/import.log" 2>&1 ||
  { cat "$tmp/import.log"; exit 1; }
t0=$(date +%s%N)
"$SKILLHUB" --db "$tmp/esco.db" index build >/dev/null
echo "index build (all sections): $(( ($(date +%s%N) - t0) / 1000000 )) ms; index size $(( $(stat -c %s "$tmp/esco.db.idx") / 1024 / 1024 )) MB"

python3 - "$SHARED/jobads/nhs-uk-2020-11.jsonl" "$tmp/esco.db" "$tmp" <<'PY'
import html, json, re, sqlite3, sys
ads, db, out = sys.argv[1:4]
with open(f'{out}/nhs.txt', 'w') as t, open(f'{out}/nhs.jsonl', 'w') as j, open(f'{out}/lower.txt', 'w') as low:
    for line in open(ads, encoding='utf-8'):
        ad = json.loads(line)
        d = html.unescape(html.unescape(ad.get('description') or ''))
        text = ' '.join(re.sub(r'<[^>]*>', ' ', d).split())
        t.write(text + '\n')
        low.write(text.lower() + '\n')
        j.write(json.dumps({'id': ad.get('url'), 'title': ad.get('title'), 'text': text}, ensure_ascii=False) + '\n')
labels = sqlite3.connect(db).execute(
    "SELECT DISTINCT lower(l.text) FROM label l JOIN concept c ON c.id = l.concept "
    "WHERE l.lang = 'en' AND c.kind IN ('skill', 'occupation') AND c.status <> 'obsolete'")
with open(f'{out}/labels.txt', 'w') as f:
    for (text,) in labels:
        f.write(' '.join(text.split()) + '\n')
PY
bytes=$(stat -c %s "$tmp/nhs.txt")
echo "text: $(wc -l < "$tmp/nhs.txt") ads, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB" \
     "(as JSON lines: $(awk -v b="$(stat -c %s "$tmp/nhs.jsonl")" 'BEGIN { printf "%.1f", b / 1e6 }') MB);" \
     "labels: $(wc -l < "$tmp/labels.txt") distinct; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# /usr/bin/time -v output -> "wall cpu rss_mb" (seconds, seconds, MB)
measure() {
  awk -F': ' '/Elapsed/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
              /User time/ { c += $2 } /System time/ { c += $2 }
              /Maximum resident/ { r = int($2 / 1024) }
              END { print w, c, r }' "$1"
}
mbs() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }
# run NAME command... : times the command, prints one line, sets $wall and $cpu
run() {
  local name=$1; shift
  /usr/bin/time -v "$@" > "$tmp/$name.out" 2> "$tmp/$name.time" || { cat "$tmp/$name.time"; exit 1; }
  read -r wall cpu rss < <(measure "$tmp/$name.time")
  printf "%-28s %7.2f s wall %7.1f MB/s | %7.2f s CPU %7.1f MB/s per CPU second | peak RSS %4d MB\n" \
    "$name" "$wall" "$(mbs "$wall")" "$cpu" "$(mbs "$cpu")" "$rss"
}

for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e %U %S" -o "$tmp/start.$i" "$SKILLHUB" --db "$tmp/esco.db" extract --jobs 1 < /dev/null > /dev/null
done
cat "$tmp"/start.? | awk '{ w = $1 * 1000; c = ($2 + $3) * 1000; if (NR == 1 || w < bw) bw = w; if (NR == 1 || c < bc) bc = c }
  END { printf "start-up with index load (extract over no input, best of 5): %d ms wall, %d ms CPU\n", bw, bc }'

echo "== whole process over the same $(mbs 1) MB of text"
run "skillhub extract --jobs 1" "$SKILLHUB" --db "$tmp/esco.db" extract --jobs 1 "$tmp/nhs.jsonl"
ours1=$wall; ours1_cpu=$cpu
run "skillhub extract --jobs 2" "$SKILLHUB" --db "$tmp/esco.db" extract --jobs 2 "$tmp/nhs.jsonl"
ours2=$wall
cmp -s "$tmp/skillhub extract --jobs 1.out" "$tmp/skillhub extract --jobs 2.out" ||
  { echo "FAIL: --jobs 2 output differs from --jobs 1"; exit 1; }
run "ac_peer.py (pyahocorasick)" /usr/bin/python3 "$PEER" "$tmp/labels.txt" "$tmp/nhs.txt"
peer=$wall; peer_cpu=$cpu
sed 's/^/    ac_peer.py: /' "$tmp/ac_peer.py (pyahocorasick).out"
grep_note=""
/usr/bin/time -v timeout 300 env LC_ALL=C grep -F -c -f "$tmp/labels.txt" "$tmp/lower.txt" \
  > "$tmp/grep.out" 2> "$tmp/grep.time" || grep_note=" (stopped by the 300 s timeout)"
read -r gwall gcpu grss < <(measure "$tmp/grep.time")
printf "%-28s %7.2f s wall %7.1f MB/s | %7.2f s CPU %7.1f MB/s per CPU second | peak RSS %4d MB%s\n" \
  "grep -F -c -f LABELS" "$gwall" "$(mbs "$gwall")" "$gcpu" "$(mbs "$gcpu")" "$grss" "$grep_note"

awk -v o1="$ours1" -v o2="$ours2" -v p="$peer" -v oc="$ours1_cpu" -v pc="$peer_cpu" -v g="$gwall" 'BEGIN {
  printf "ratios: skillhub --jobs 1 / ac_peer %.1fx (wall), %.1fx (CPU); --jobs 2 / ac_peer %.1fx;", p / o1, pc / oc, p / o2
  printf " --jobs 2 speed-up %.2fx; skillhub --jobs 1 / grep %.1fx\n", o1 / o2, g / o1 }'
echo "skills found: $(grep -o '"spans"' "$tmp/skillhub extract --jobs 1.out" | wc -l) in $(wc -l < "$tmp/skillhub extract --jobs 1.out") ads"
