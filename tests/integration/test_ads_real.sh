#!/usr/bin/env bash
# `skillhub ads ingest` over the shared job ads (skipped without ../shared/data/jobads) with ESCO
# v1.1.1 English plus the v1.0 French skills and the v1.0.8 occupations in 25 languages: every
# file read with the default mapping and no error, the first 3,000 NHS ads (--limit) with
# duplicates found, the EURES ads in their languages, France Travail in French, known skills and
# occupations of known ads, idempotent re-ingest.
set -euo pipefail
if [ -z "${SHARED:-}" ] || [ ! -f "$SHARED/jobads/nhs-uk-2020-11.jsonl" ] || [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: ../shared/data/jobads or esco/v1.1.1/en not found"; exit 77
fi
DB="$WORK/ads.db"
J="$SHARED/jobads"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
expect_ge() { [ "$2" -ge "$3" ] || fail "$1: expected at least $3, got $2"; }
q() { sqlite3 "$DB" "$1"; }
val() { awk -F': ' -v k="$2" '$1 == k { print $2 }' "$1"; }

sh import esco --quiet "$SHARED/esco/v1.1.1/en" "$SHARED/esco/v1.0/fr" "$SHARED/esco/v1.0.8-occupations" >/dev/null

sh ads ingest --limit 3000 "$J/nhs-uk-2020-11.jsonl" >"$WORK/nhs" 2>"$WORK/nhs.err"
expect_eq "NHS: added" "$(val "$WORK/nhs" added)" 3000
expect_eq "NHS: errors" "$(val "$WORK/nhs" errors)" 0
expect_ge "NHS: duplicates" "$(val "$WORK/nhs" duplicates)" 20
expect_eq "NHS: all English" "$(val "$WORK/nhs" lang.en)" 3000
expect_ge "NHS: ads with skills" "$(val "$WORK/nhs" with_skills)" 2900

sh ads ingest "$J/eures-multilang-2.csv" "$J/eures-multilang-batch2.csv" "$J/france-travail-fr.jsonl" >"$WORK/rest" 2>"$WORK/rest.err"
expect_eq "EURES + France Travail: added" "$(val "$WORK/rest" added)" $((1110 + 2372 + 749))
expect_eq "EURES + France Travail: errors" "$(val "$WORK/rest" errors)" 0
[ ! -s "$WORK/rest.err" ] || fail "no message expected on stderr, got: $(head -3 "$WORK/rest.err")"

by_lang() { q "SELECT count(*) FROM ad a JOIN ad_source s ON s.id = a.source WHERE s.name = '$1' AND a.lang = '$2'"; }
expect_ge "France Travail in French" "$(by_lang france-travail-fr fr)" 740
expect_ge "EURES (English translations) in English" "$(by_lang eures-multilang-2 en)" 1100
for l in pl lv hr et hu pt lt ro el bg; do
  expect_ge "EURES batch2 in $l" "$(by_lang eures-multilang-batch2 $l)" 50
done
# the Polish ads are Polish: their source ids start with PL
expect_ge "EURES PL* ads detected as Polish" "$(q "SELECT count(*) FROM ad a JOIN ad_source s ON s.id = a.source
  WHERE s.name = 'eures-multilang-batch2' AND a.source_id LIKE 'PL%' AND a.lang = 'pl'")" 300

# known ads: skills and occupations
skills_of() { q "SELECT group_concat(l.text, '|') FROM ad a JOIN ad_source s ON s.id = a.source JOIN ad_skill k ON k.ad = a.id
  JOIN label l ON l.concept = k.skill AND l.lang = '$3' AND l.kind = 'preferred' WHERE s.name = '$1' AND a.source_id = '$2'"; }
occupation_of() { q "SELECT l.text FROM ad a JOIN ad_source s ON s.id = a.source JOIN label l ON l.concept = a.occupation
  AND l.lang = 'en' AND l.kind = 'preferred' WHERE s.name = '$1' AND a.source_id = '$2'"; }
ft=$(skills_of france-travail-fr 202HQRS fr)
for want in SQL Python "travailler en équipe"; do
  case "|$ft|" in *"|$want|"*) ;; *) fail "France Travail 202HQRS: skill '$want' expected among: $ft" ;; esac
done
expect_eq "France Travail 202HQRS occupation" "$(occupation_of france-travail-fr 202HQRS)" "data scientist"
expect_eq "EURES PL1 (Polish title) occupation" "$(occupation_of eures-multilang-batch2 PL1)" "electrical engineer"
expect_eq "EURES PL1 (English title) occupation" "$(occupation_of eures-multilang-2 PL1)" "electrical engineer"
nurse=$(q "SELECT group_concat(l.text, '|') FROM ad_skill k JOIN label l ON l.concept = k.skill AND l.lang = 'en'
  AND l.kind = 'preferred' WHERE k.ad = 2")
case "|$nurse|" in *"|work with nursing staff|"*) ;; *) fail "NHS ad 2 (mental health nurse): 'work with nursing staff' expected among: $nurse" ;; esac

# re-ingest: the complete files add nothing, the NHS file goes on from record 3,001
sh ads ingest --limit 10 "$J/eures-multilang-2.csv" "$J/france-travail-fr.jsonl" "$J/nhs-uk-2020-11.jsonl" >"$WORK/again"
expect_eq "re-ingest: complete files skipped" "$(val "$WORK/again" files_skipped)" 2
expect_eq "re-ingest: the NHS file resumes" "$(q "SELECT records_done FROM ad_file WHERE path LIKE '%nhs-uk-2020-11.jsonl'")" 3010
expect_eq "ads in the end" "$(q 'SELECT count(*) FROM ad')" $((3010 + 1110 + 2372 + 749))
echo "ok"
