#!/usr/bin/env bash
# Job-ad ingestion (`skillhub ads ingest`, docs/ads.md) on the shared ads:
#   1. the NHS file (14,842 ads) into a fresh database with ESCO v1.1.1 English, v1.0 French and the
#      v1.0.8 occupations in 25 languages: wall and CPU time, ads/s, peak RSS, duplicates, languages
#      (target: < 10 s on 2 cores, extraction and dedup included);
#   2. a synthetic corpus of SIZE ads (default 1,000,000) resampled from all the real ads (titles
#      numbered so that most are distinct vacancies, 2% exact reposts), generated at bench time into
#      $TMPDIR and never committed, zstd-compressed: ads per wall second and per CPU second in each
#      10 s interval of the run (flat throughput; the CPU figure is the one that does not depend on
#      the machine's load) and peak RSS (target < 1 GB);
#   3. the peer: ../shared/tools/bm25_ranker.py ranking skills for a sample of NHS ads
#      (BASELINE_ADS, default 300, one process reading the ads as JSON lines), ads/s, and the
#      ratio of skillhub's end-to-end ads/s (1.) to it.
# Usage: BUILD=build [SIZE=1000000] [JOBS=2] [BASELINE_ADS=300] bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SIZE=${SIZE:-1000000}
JOBS=${JOBS:-2}
BASELINE_ADS=${BASELINE_ADS:-300}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
J="$SHARED/jobads"
PEER="$SHARED/../tools/bm25_ranker.py"
if [ ! -f "$J/nhs-uk-2020-11.jsonl" ] || [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: $J or $SHARED/esco not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
SK="$PWD/$BUILD/skillhub"
T=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-bench-ingest-XXXXXX")
trap 'rm -rf "$T"' EXIT

echo "-- setup (not timed): ESCO en + fr + 25-language occupations, index"
"$SK" --db "$T/esco.db" import esco --quiet "$SHARED/esco/v1.1.1/en" "$SHARED/esco/v1.0/fr" \
  "$SHARED/esco/v1.0.8-occupations" >/dev/null
"$SK" --db "$T/esco.db" index build >/dev/null
fresh_db() { cp "$T/esco.db" "$1"; cp "$T/esco.db.idx" "$1.idx"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

echo "-- 1. NHS file, --jobs $JOBS"
fresh_db "$T/nhs.db"
/usr/bin/time -o "$T/nhs.time" -f "%e %U %S %M" "$SK" --db "$T/nhs.db" ads ingest --jobs "$JOBS" \
  "$J/nhs-uk-2020-11.jsonl" >"$T/nhs.sum"
read -r wall user sys rss <"$T/nhs.time"
added=$(awk -F': ' '$1 == "added" { print $2 }' "$T/nhs.sum")
nhs_rate=$(python3 -c "print(round($added / $wall))")
echo "ads $added, wall ${wall} s, CPU $(python3 -c "print(round($user + $sys, 2))") s, ${nhs_rate} ads/s, peak RSS $((rss / 1024)) MB"
grep -E '^(duplicates|errors|unextracted|with_skills|lang\.)' "$T/nhs.sum" | tr '\n' ' '; echo
echo "(peak RSS includes the pages of the memory-mapped index that were read: $(( $(stat -c %s "$T/esco.db.idx") / 1048576 )) MB file)"

echo "-- 2. synthetic corpus of $SIZE ads (resampled), --jobs $JOBS"
python3 - "$J" "$SIZE" <<'EOF' | zstd -q -3 -o "$T/synth.jsonl.zst"
import csv, json, random, sys
d, size = sys.argv[1], int(sys.argv[2])
ads = []
for name in ("nhs-uk-2020-11.jsonl", "france-travail-fr.jsonl"):
    for line in open("%s/%s" % (d, name), encoding="utf-8"):
        ads.append(json.loads(line))
csv.field_size_limit(1 << 30)
for name in ("eures-multilang-2.csv", "eures-multilang-batch2.csv"):
    ads.extend(csv.DictReader(open("%s/%s" % (d, name), encoding="utf-8")))
rng = random.Random(7)
out = sys.stdout
for i in range(size):
    a = dict(ads[rng.randrange(len(ads))])
    if rng.random() >= 0.02:   # 2% exact reposts of a real ad; the rest distinct vacancies
        for k in ("title", "job_title"):
            if k in a:
                a[k] = "%s #%d" % (a[k], i)
    a["identifier"] = "SYN-%d" % i
    out.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF
echo "corpus: $(( $(stat -c %s "$T/synth.jsonl.zst") / 1048576 )) MB zstd"
fresh_db "$T/synth.db"
/usr/bin/time -o "$T/synth.time" -f "%e %U %S %M" "$SK" --db "$T/synth.db" ads ingest --jobs "$JOBS" \
  --source synth "$T/synth.jsonl.zst" >"$T/synth.sum" &
pid=$!
sleep 1
cpid=$(pgrep -P "$pid" | head -n 1)   # skillhub itself, the child of /usr/bin/time
# CPU seconds of skillhub so far (utime + stime): ads per CPU second does not depend on the
# load that other processes put on the machine, ads per wall second does.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$cpid/stat" 2>/dev/null || echo 0; }
prev=0; start=$(date +%s.%N); last=$start; last_cpu=0
printf '%10s %10s %8s %12s\n' "ads" "seconds" "ads/s" "ads/CPU-s"
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  n=$(sqlite3 "$T/synth.db" "SELECT coalesce(max(records_done), 0) FROM ad_file" 2>/dev/null || echo "$prev")
  now=$(date +%s.%N); c=$(cpu)
  if [ "${n:-0}" -gt "$prev" ] && [ "$c" != 0 ]; then
    python3 -c "print('%10d %10.1f %8.0f %12.0f' % ($n, $now - $start, ($n - $prev) / ($now - $last), ($n - $prev) / max($c - $last_cpu, 1e-9)))"
    prev=$n; last=$now; last_cpu=$c
  fi
done
wait "$pid"
read -r wall user sys rss <"$T/synth.time"
added=$(awk -F': ' '$1 == "added" { print $2 }' "$T/synth.sum")
echo "ads $added, wall ${wall} s, CPU $(python3 -c "print(round($user + $sys, 1))") s, $(python3 -c "print(round($SIZE / $wall))") ads/s overall, $(python3 -c "print(round($SIZE / ($user + $sys)))") ads/CPU-s, peak RSS $((rss / 1024)) MB"
grep -E '^(duplicates|errors)' "$T/synth.sum" | tr '\n' ' '; echo
echo "database: $(( $(stat -c %s "$T/synth.db") / 1048576 )) MB"
rm -f "$T/synth.db" "$T/synth.db-wal" "$T/synth.jsonl.zst"

echo "-- 3. peer: bm25_ranker.py skills on $BASELINE_ADS NHS ads (HTML stripped by the driver)"
if [ -f "$PEER" ]; then
  head -n "$BASELINE_ADS" "$J/nhs-uk-2020-11.jsonl" | python3 -c '
import html, json, re, sys
for i, line in enumerate(sys.stdin):
    a = json.loads(line)
    text = re.sub(r"<[^>]*>", " ", html.unescape(html.unescape(a["description"])))
    print(json.dumps({"id": i, "text": a["title"] + "\n" + text}))' >"$T/peer.in"
  s=$(date +%s.%N)
  python3 "$PEER" skills "$SHARED/esco/v1.1.1/en/skills_en.csv" <"$T/peer.in" >/dev/null
  e=$(date +%s.%N)
  peer_rate=$(python3 -c "print(round($BASELINE_ADS / ($e - $s), 1))")
  echo "peer: $BASELINE_ADS ads in $(python3 -c "print(round($e - $s, 2))") s = $peer_rate ads/s (skills only: no language, dedup, occupations or storage)"
  echo "ratio skillhub / peer (ads/s): $(python3 -c "print(round($nhs_rate / $peer_rate, 1))")x"
else
  echo "skipped: $PEER not found"
fi
