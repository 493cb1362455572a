#!/usr/bin/env bash
# `skillhub ads ingest` over the shared job ads (skipped without ../shared/data/jobads) with ESCO
# v1.1.1 English plus the v1.0 French skills and the v1.0.8 occupations in 25 languages: every
# file read with the default mapping and no error, the first 3,000 NHS ads (--limit) with
# duplicates found, the EURES ads in their languages, France Travail in French, known skills and
# occupations of known ads, idempotent re-ingest; supply versus demand of the GB ads against a
# small catalogue of real ESCO skills.
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

# supply versus demand (docs/intelligence.md): the real demand of the GB ads against a small
# catalogue (tests/fixtures/intel/supply-courses-real.json) approved with the shipped rules.
# Offered in GB: CARE-TEAM (UKI3), METAL-QA (UKG3; two narrower skills of "attend to detail"),
# OFFICE-ONLINE (online); DE-LEAD (DE30) only without a country.
export SKILLHUB_RULES="$(cd "$FIXTURES/../.." && pwd)/rules/quality-rules.json"
sh courses import --no-propose "$FIXTURES/intel/supply-courses-real.json" >/dev/null
for c in CARE-TEAM OFFICE-ONLINE METAL-QA DE-LEAD; do sh courses submit "$c" >/dev/null; sh courses approve "$c" >/dev/null; done
sh report supply --country GB --limit 100000 --format json >"$WORK/supply-gb.json"
sh report demand --country GB --limit 100000 --format json >"$WORK/demand-gb.json"
sh report supply --limit 100000 --format json >"$WORK/supply-all.json"
python3 - "$WORK/supply-gb.json" "$WORK/demand-gb.json" "$WORK/supply-all.json" <<'PYEOF' || fail "supply versus demand on the real ads"
import json, sys
gb, demand, every = (json.load(open(f)) for f in sys.argv[1:])
E = 'http://data.europa.eu/esco/skill/'
assert gb['total_ads'] == demand['total_ads'] >= 2900, (gb['total_ads'], demand['total_ads'])
assert gb['total_courses'] == 3 and every['total_courses'] == 4, (gb['total_courses'], every['total_courses'])
# the same skills and ads as the demand report
assert {s['uri']: s['ads'] for s in gb['skills']} == {s['uri']: s['ads'] for s in demand['skills']}
courses = {s['uri']: s['courses'] for s in gb['skills']}
want = {'60c78287-22eb-4103-9c8c-28deaa460da0': 2,   # work in teams: CARE-TEAM, METAL-QA
        '15d76317-c71a-4fa2-aadc-2ecc34e627b7': 2,   # communication: CARE-TEAM, OFFICE-ONLINE
        '75d8e5d9-bef3-418b-9011-01bff9f27207': 1,   # lead others: CARE-TEAM (DE-LEAD is in DE)
        '3d03c40c-1b83-4793-8902-2523f40af59e': 1,   # Microsoft Access: OFFICE-ONLINE
        '83e6510b-ffeb-4aec-959c-4265fd0ff7b7': 1,   # attend to detail: METAL-QA, through narrower skills
        '1fce1197-3a5b-45b7-8797-575cd3b57a01': 0}   # show commitment: DE-LEAD only
for uri, n in want.items():
    assert courses.get(E + uri) == n, (uri, courses.get(E + uri), n)
assert sum(courses.values()) >= 8
assert {s['uri']: s['courses'] for s in every['skills']}[E + '1fce1197-3a5b-45b7-8797-575cd3b57a01'] == 1
keys = [s['ads'] / (1 + s['courses']) for s in gb['skills']]
assert keys == sorted(keys, reverse=True), 'not ranked by gap'
top = gb['skills'][0]
assert top['uri'] == E + '83e6510b-ffeb-4aec-959c-4265fd0ff7b7', top   # most asked: 1 course is not enough
PYEOF
echo "ok"
