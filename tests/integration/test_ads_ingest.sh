#!/usr/bin/env bash
# `skillhub ads ingest|reprocess|stats` on tests/fixtures/ads with the esco-mini taxonomy:
# JSON-LD, flat JSON, CSV, gzip and zstd inputs with the default mapping; field values;
# skills and occupations; duplicates; malformed records reported as file:line and stored
# in ad_error; idempotent re-ingest (same file, same records in another file); resume
# after --limit and after kill -9; --map / --map-file; reprocess; usage errors.
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ]; then
  echo "skipped: $FIXTURES/esco-mini not found"; exit 77
fi
DB="$WORK/ads.db"
A="$FIXTURES/ads"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
q() { sqlite3 "$DB" "$1"; }
# value of "key: N" in a summary file
val() { awk -F': ' -v k="$2" '$1 == k { print $2 }' "$1"; }

sh import esco --quiet "$FIXTURES/esco-mini/en" "$FIXTURES/esco-mini/fr" >/dev/null
cp "$DB" "$WORK/empty.db"

# --- first ingest: every format, default mapping -------------------------------------------
sh ads ingest --jobs 2 "$A/ingest-jobposting.jsonl" "$A/ingest-flat.jsonl.gz" "$A/ingest-eures.csv.zst" \
  "$A/ingest-malformed.jsonl" "$A/ingest-malformed.csv" >"$WORK/sum1" 2>"$WORK/err1"
expect_eq "files" "$(val "$WORK/sum1" files)" 5
expect_eq "records" "$(val "$WORK/sum1" records)" 23
expect_eq "added" "$(val "$WORK/sum1" added)" 15
expect_eq "errors" "$(val "$WORK/sum1" errors)" 8
expect_eq "duplicates" "$(val "$WORK/sum1" duplicates)" 1
expect_eq "unextracted (digits-only ad)" "$(val "$WORK/sum1" unextracted)" 1
expect_eq "ads stored" "$(q 'SELECT count(*) FROM ad')" 15

# errors: file:line: reason on stderr, one ad_error row each, the good records around them kept
for want in "ingest-malformed.jsonl:2: malformed JSON" "ingest-malformed.jsonl:3: field title: 'title' is an object" \
            "ingest-malformed.jsonl:4: field date: unparseable date 'next tuesday'" \
            "ingest-malformed.jsonl:5: the record is an array" "ingest-malformed.jsonl:6: the record has neither" \
            "ingest-malformed.jsonl:7: malformed JSON" "ingest-malformed.csv:3: 5 fields, but the header has 3" \
            "ingest-malformed.csv:4: invalid UTF-8 in column 2 (job_title)"; do
  grep -qF "$want" "$WORK/err1" || fail "stderr should contain '$want'; got: $(cat "$WORK/err1")"
done
expect_eq "ad_error lines" "$(q "SELECT group_concat(line, ' ') FROM (SELECT e.line FROM ad_error e JOIN ad_file f ON f.id = e.file
  WHERE f.path LIKE '%malformed.jsonl' ORDER BY e.line)")" "2 3 4 5 6 7"
expect_eq "good records of the malformed files" \
  "$(q "SELECT group_concat(title, '|') FROM (SELECT title FROM ad WHERE source = (SELECT id FROM ad_source WHERE name = 'ingest-malformed') ORDER BY id)")" \
  "Good first|Good last|Cook|Plumber"

# fields of the JSON-LD ad: HTML cleaned, date, country upper-cased, nested paths, arrays joined
expect_eq "JSON-LD fields" "$(q "SELECT source_id, title, posted, country, region, employer, sector, contract, salary, url FROM ad WHERE id = 1")" \
  "JP-1|Software Developer|2024-03-01|GB|UKI|Acme Ltd|Information technology|FULL_TIME|£40,000 per annum|https://jobs.example/1"
expect_eq "HTML cleaned" "$(q "SELECT instr(text, '<') + instr(text, '&amp;') FROM ad WHERE id = 1")" 0
expect_eq "entities decoded" "$(q "SELECT instr(text, 'every day & debug') > 0 FROM ad WHERE id = 1")" 1
expect_eq "contract array" "$(q "SELECT contract || '/' || salary FROM ad WHERE source_id = 'JP-2'")" "FULL_TIME, PART_TIME/12.5"
expect_eq "CSV date DD/MM/YYYY" "$(q "SELECT posted FROM ad WHERE source_id = 'E2'")" "2025-10-01"
expect_eq "CSV country and region" "$(q "SELECT country || ' ' || region FROM ad WHERE source_id = 'E1'")" "LV Riga"
expect_eq "raw record kept" "$(q "SELECT json_extract(raw, '\$.hiringOrganization.name') FROM ad WHERE id = 1")" "Acme Ltd"
expect_eq "CSV raw as JSON object" "$(q "SELECT json_extract(raw, '\$.coordinates') FROM ad WHERE source_id = 'E1'")" "(56.9, 24.1)"
expect_eq "digits-only ad is und" "$(q "SELECT lang FROM ad WHERE source_id = 'JP-5'")" "und"
expect_eq "und ad: no extraction" "$(q "SELECT count(*) FROM ad_skill WHERE ad = (SELECT id FROM ad WHERE source_id = 'JP-5')")" 0

# skills and occupations
skills() { q "SELECT group_concat(substr(c.uri, instr(c.uri, 'mini-')), ' ') FROM (SELECT c.uri FROM ad_skill s
  JOIN concept c ON c.id = s.skill WHERE s.ad = (SELECT id FROM ad WHERE source_id = '$1') ORDER BY c.uri) c"; }
occ() { q "SELECT substr(c.uri, instr(c.uri, 'mini-')) FROM ad a JOIN concept c ON c.id = a.occupation WHERE a.source_id = '$1'"; }
expect_eq "JP-1 skills" "$(skills JP-1)" "mini-s01 mini-s03 mini-s04 mini-s13"
expect_eq "JP-2 skills" "$(skills JP-2)" "mini-s09 mini-s10 mini-s11"
expect_eq "F1 skills (gzip)" "$(skills F1)" "mini-s07 mini-s08"
expect_eq "E1 skills (zstd CSV, quoted newline)" "$(skills E1)" "mini-s01 mini-s02 mini-s04 mini-s13"
expect_eq "JP-1 occupation" "$(occ JP-1)" "mini-o01"
expect_eq "E3 occupation" "$(occ E3)" "mini-o03"
expect_eq "F2 occupation (chef)" "$(occ F2)" "mini-o04"

# duplicates: JP-3 reposts JP-1 (same title, employer, place and text)
expect_eq "duplicate_of" "$(q "SELECT b.source_id FROM ad a JOIN ad b ON b.id = a.duplicate_of WHERE a.duplicate_of IS NOT NULL")" "JP-1"
# ids in input order
expect_eq "ids in input order" "$(q "SELECT group_concat(source_id, ' ') FROM (SELECT source_id FROM ad WHERE id <= 5 ORDER BY id)")" \
  "JP-1 JP-2 JP-3 JP-4 JP-5"
q "SELECT id, source, source_id, record_hash, title, text, lang, posted, occupation, duplicate_of FROM ad ORDER BY id" >"$WORK/ads.jobs2"

# --- idempotence -----------------------------------------------------------------------------
gen() { q "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ads_generation'"; }
gen1=$(gen)
[ "${gen1:-0}" -gt 0 ] || fail "ingest that added ads should have moved meta.ads_generation (got '$gen1')"
sh ads ingest "$A/ingest-jobposting.jsonl" "$A/ingest-flat.jsonl.gz" "$A/ingest-eures.csv.zst" \
  "$A/ingest-malformed.jsonl" "$A/ingest-malformed.csv" >"$WORK/sum2" 2>"$WORK/err2"
expect_eq "re-ingest: files skipped" "$(val "$WORK/sum2" files_skipped)" 5
expect_eq "re-ingest: added" "$(val "$WORK/sum2" added)" 0
[ ! -s "$WORK/err2" ] || fail "re-ingest should report nothing; got: $(cat "$WORK/err2")"
# the same records in another file (uncompressed copy of the gzip file): all present
sh ads ingest "$A/ingest-flat.jsonl" >"$WORK/sum3"
expect_eq "same records: present" "$(val "$WORK/sum3" present)" 3
expect_eq "same records: added" "$(val "$WORK/sum3" added)" 0
expect_eq "ads after re-ingest" "$(q 'SELECT count(*) FROM ad')" 15
expect_eq "errors after re-ingest" "$(q 'SELECT count(*) FROM ad_error')" 8
expect_eq "ads generation after ingests that added nothing" "$(gen)" "$gen1"

# --- one worker gives the same database (determinism) ------------------------------------
cp "$WORK/empty.db" "$WORK/one.db"
"$SKILLHUB" --db "$WORK/one.db" ads ingest --jobs 1 "$A/ingest-jobposting.jsonl" "$A/ingest-flat.jsonl.gz" \
  "$A/ingest-eures.csv.zst" "$A/ingest-malformed.jsonl" "$A/ingest-malformed.csv" >/dev/null 2>&1
sqlite3 "$WORK/one.db" "SELECT id, source, source_id, record_hash, title, text, lang, posted, occupation, duplicate_of FROM ad ORDER BY id" >"$WORK/ads.jobs1"
cmp -s "$WORK/ads.jobs1" "$WORK/ads.jobs2" || fail "--jobs 1 and --jobs 2 stored different ads: $(diff "$WORK/ads.jobs1" "$WORK/ads.jobs2" | head)"

# --- resume after --limit: batches committed, the next run goes on -----------------------
R="$WORK/resume.db"
cp "$WORK/empty.db" "$R"
"$SKILLHUB" --db "$R" ads ingest --batch 2 --limit 3 "$A/ingest-jobposting.jsonl" >"$WORK/sum4"
expect_eq "limited run: records" "$(val "$WORK/sum4" records)" 3
expect_eq "limited run: records_done, complete" "$(sqlite3 "$R" 'SELECT records_done || " " || complete FROM ad_file')" "3 0"
"$SKILLHUB" --db "$R" ads ingest --batch 2 "$A/ingest-jobposting.jsonl" >"$WORK/sum5"
expect_eq "resumed run: records" "$(val "$WORK/sum5" records)" 2
expect_eq "resumed run: complete" "$(sqlite3 "$R" 'SELECT records_done || " " || complete FROM ad_file')" "5 1"
expect_eq "resumed: ads in order" "$(sqlite3 "$R" "SELECT group_concat(source_id, ' ') FROM (SELECT source_id FROM ad ORDER BY id)")" \
  "JP-1 JP-2 JP-3 JP-4 JP-5"
# a duplicate across runs: JP-3 (second run of a two-run ingest) repeats JP-1
cp "$WORK/empty.db" "$R"
"$SKILLHUB" --db "$R" ads ingest --limit 2 "$A/ingest-jobposting.jsonl" >/dev/null
"$SKILLHUB" --db "$R" ads ingest "$A/ingest-jobposting.jsonl" >"$WORK/sum6"
expect_eq "duplicate found across runs" "$(val "$WORK/sum6" duplicates)" 1
expect_eq "duplicate across runs points at JP-1" "$(sqlite3 "$R" "SELECT b.source_id FROM ad a JOIN ad b ON b.id = a.duplicate_of")" "JP-1"

# --- duplicate window: JP-3 comes two ads after JP-1 -----------------------------------------
cp "$WORK/empty.db" "$R"
"$SKILLHUB" --db "$R" ads ingest --dedup-window 1 "$A/ingest-jobposting.jsonl" >"$WORK/sumw1"
expect_eq "window 1: JP-1 out of reach" "$(val "$WORK/sumw1" duplicates)" 0
cp "$WORK/empty.db" "$R"
"$SKILLHUB" --db "$R" ads ingest --dedup-window 2 "$A/ingest-jobposting.jsonl" >"$WORK/sumw2"
expect_eq "window 2: JP-1 in reach" "$(val "$WORK/sumw2" duplicates)" 1
# the windows are rebuilt on resume as one run would have them
cp "$WORK/empty.db" "$R"
"$SKILLHUB" --db "$R" ads ingest --dedup-window 2 --limit 2 "$A/ingest-jobposting.jsonl" >/dev/null
"$SKILLHUB" --db "$R" ads ingest --dedup-window 2 "$A/ingest-jobposting.jsonl" >"$WORK/sumw3"
expect_eq "window 2, resumed: JP-1 in reach" "$(val "$WORK/sumw3" duplicates)" 1
cp "$WORK/empty.db" "$R"
"$SKILLHUB" --db "$R" ads ingest --dedup-window 1 --limit 2 "$A/ingest-jobposting.jsonl" >/dev/null
"$SKILLHUB" --db "$R" ads ingest --dedup-window 1 "$A/ingest-jobposting.jsonl" >"$WORK/sumw4"
expect_eq "window 1, resumed: JP-1 out of reach" "$(val "$WORK/sumw4" duplicates)" 0

# --- resume after kill -9 of a larger run: nothing lost, nothing twice --------------------
N=4000
python3 - "$A/ingest-jobposting.jsonl" "$WORK/big.jsonl" "$N" <<'EOF'
import json, sys
ads = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i in range(int(sys.argv[3])):
        a = dict(ads[i % len(ads)])
        a["identifier"] = "BIG-%d" % i
        a["title"] = "%s %d" % (a["title"], i)
        out.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF
K="$WORK/kill.db"
cp "$WORK/empty.db" "$K"
"$SKILLHUB" --db "$K" ads ingest --jobs 2 --batch 100 "$WORK/big.jsonl" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do   # wait for the first commits, then kill (the run may also have finished)
  n=$(sqlite3 "$K" "SELECT coalesce(max(records_done), 0) FROM ad_file" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 300 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
done_before=$(sqlite3 "$K" "SELECT coalesce(max(records_done), 0) FROM ad_file")
ads_before=$(sqlite3 "$K" "SELECT count(*) FROM ad")
expect_eq "after kill: ads = records_done" "$ads_before" "$done_before"
echo "note: killed after $done_before of $N records"
"$SKILLHUB" --db "$K" ads ingest --jobs 2 --batch 100 "$WORK/big.jsonl" >"$WORK/sum7"
expect_eq "after resume: all ads" "$(sqlite3 "$K" 'SELECT count(*) FROM ad')" "$N"
expect_eq "after resume: distinct source ids" "$(sqlite3 "$K" 'SELECT count(DISTINCT source_id) FROM ad')" "$N"
expect_eq "resumed run read only the rest" "$(val "$WORK/sum7" records)" "$((N - done_before))"
expect_eq "ids follow the input" "$(sqlite3 "$K" "SELECT count(*) FROM ad WHERE source_id != 'BIG-' || (id - 1)")" 0

# --- mapping: --map-file and --map ---------------------------------------------------------
M="$WORK/map.db"
cp "$WORK/empty.db" "$M"
"$SKILLHUB" --db "$M" ads ingest --source mapped --map-file "$A/ingest-map.txt" --map source_id=id "$A/ingest-mapped.csv" >"$WORK/sum8"
expect_eq "mapped: added" "$(val "$WORK/sum8" added)" 2
expect_eq "mapped fields" "$(sqlite3 "$M" "SELECT source_id || '|' || title || '|' || employer || '|' || posted FROM ad WHERE id = 1")" \
  "M1|Cook|Cafe One|2024-05-01"
expect_eq "mapped: skills" "$(sqlite3 "$M" "SELECT count(*) FROM ad_skill WHERE ad = 1")" 2
# without the mapping the CSV has no title nor text: every record is an error
cp "$WORK/empty.db" "$M"
"$SKILLHUB" --db "$M" ads ingest "$A/ingest-mapped.csv" >"$WORK/sum9" 2>/dev/null
expect_eq "unmapped: errors" "$(val "$WORK/sum9" errors)" 2

# --- reprocess ---------------------------------------------------------------------------------
sh ads reprocess >"$WORK/sum10"
expect_eq "reprocess: nothing stale" "$(val "$WORK/sum10" reprocessed)" 0
q "DELETE FROM ad_skill; UPDATE ad SET lang = NULL, occupation = NULL, processed_generation = 0"
sh ads reprocess >"$WORK/sum11"
expect_eq "reprocess: stale ads" "$(val "$WORK/sum11" reprocessed)" 15
expect_eq "reprocess: skills back" "$(skills JP-1)" "mini-s01 mini-s03 mini-s04 mini-s13"
expect_eq "reprocess: occupation back" "$(occ E3)" "mini-o03"
expect_eq "reprocess: languages back" "$(q "SELECT count(*) FROM ad WHERE lang IS NULL")" 0
sh ads reprocess --all >"$WORK/sum12"
expect_eq "reprocess --all" "$(val "$WORK/sum12" reprocessed)" 15

# --- stats ----------------------------------------------------------------------------------------
sh ads stats --json >"$WORK/stats.json"
python3 - "$WORK/stats.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
def check(k, want):
    if s.get(k) != want: sys.exit("FAIL: stats %s: expected %r, got %r" % (k, want, s.get(k)))
check("ads", 15); check("duplicates", 1); check("errors", 8)
if s["languages"].get("und") != 1 or sum(s["languages"].values()) != 15: sys.exit("FAIL: languages %r" % s["languages"])
if s["sources"].get("ingest-jobposting") != 5 or s["sources"].get("ingest-eures") != 3: sys.exit("FAIL: sources %r" % s["sources"])
EOF
sh ads stats | grep -q '^ads: 15$' || fail "text stats: $(sh ads stats)"

# --- usage errors -----------------------------------------------------------------------------------
expect_exit() { local want=$1; shift; local rc=0; "$@" >/dev/null 2>"$WORK/uerr" || rc=$?; [ "$rc" = "$want" ] || fail "$*: expected exit $want, got $rc"; }
expect_exit 2 sh ads ingest
expect_exit 2 sh ads ingest --map nosuch=x "$A/ingest-flat.jsonl"
grep -q "unknown field 'nosuch'" "$WORK/uerr" || fail "--map error message: $(cat "$WORK/uerr")"
expect_exit 2 sh ads ingest --jobs 0 "$A/ingest-flat.jsonl"
expect_exit 2 sh ads ingest --dedup-window 0 "$A/ingest-flat.jsonl"
expect_exit 2 sh ads frobnicate
expect_exit 1 sh ads ingest "$WORK/does-not-exist.jsonl"
expect_exit 0 sh ads ingest --help
echo "ok"
