#!/usr/bin/env bash
# The full ESCO v1.1.1 English package, then French (v1.0) and 25 languages of
# occupations (v1.0.8) into the same database; re-importing v1.1.1 changes nothing.
set -euo pipefail
if [ -z "${SHARED:-}" ] || [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: the ESCO data in ../shared/data is not available"; exit 77
fi
DB="$WORK/esco.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; }
q() { sqlite3 "$DB" "$1"; }
json() { jq -r "$1"; }

sh import esco --quiet "$SHARED/esco/v1.1.1/en" >"$WORK/out"
stats=$(sh stats --json)
expect_eq skills 13896 "$(json .skills <<<"$stats")"
expect_eq occupations 3007 "$(json .occupations <<<"$stats")"
expect_eq skill_groups 640 "$(json .skill_groups <<<"$stats")"
expect_eq isco_groups 619 "$(json .isco_groups <<<"$stats")"
expect_eq occupation_skill 123855 "$(json .occupation_skill_relations <<<"$stats")"
expect_eq skill_skill 5899 "$(json .skill_skill_relations <<<"$stats")"
expect_eq version "ESCO 1.1.1" "$(json .version <<<"$stats")"

S=http://data.europa.eu/esco
expect_eq "skill label" "manage musical staff" "$(q "SELECT text FROM label l JOIN concept c ON c.id = l.concept
  WHERE c.uri = '$S/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab' AND l.lang = 'en' AND l.kind = 'preferred'")"
expect_eq "technical director's ISCO group" 2654 "$(q "SELECT g.code FROM concept o JOIN concept g ON g.id = o.isco_group
  WHERE o.uri = '$S/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34'")"
expect_eq "technical director's essential skill" essential "$(q "SELECT relation FROM occupation_skill
  WHERE occupation = (SELECT id FROM concept WHERE uri = '$S/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34')
  AND skill = (SELECT id FROM concept WHERE uri = '$S/skill/fed5b267-73fa-461d-9f69-827c78beb39d')")"
expect_eq "digital collection" "$S/concept-scheme/6c930acd-c104-4ece-acf7-f44fd7333036" \
  "$(q "SELECT uri FROM concept WHERE collection_key = 'digital'")"

sh import esco --quiet "$SHARED/esco/v1.0/fr" "$SHARED/esco/v1.0.8-occupations" >"$WORK/out"
langs=$(sh stats --json | jq -r '.languages | join(" ")')
for l in en fr de es sv; do [[ " $langs " == *" $l "* ]] || fail "language $l missing: $langs"; done
expect_eq "French label on the v1.1.1 URI" "gérer le personnel musical" "$(q "SELECT text FROM label l JOIN concept c
  ON c.id = l.concept WHERE c.uri = '$S/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab' AND l.lang = 'fr' AND l.kind = 'preferred'")"
expect_eq "German occupation label" "Technischer Leiter für Bühne, Film und Fernsehen/Technische Leiterin für Bühne, Film und Fernsehen" "$(q "SELECT text FROM label l JOIN concept c
  ON c.id = l.concept WHERE c.uri = '$S/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34' AND l.lang = 'de' AND l.kind = 'preferred'")"
expect_eq "occupations still" 3007 "$(sh stats --json | json .occupations)"
expect_eq "ISCO group kept from v1.1.1" 2654 "$(q "SELECT g.code FROM concept o JOIN concept g ON g.id = o.isco_group
  WHERE o.uri = '$S/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34'")"

runs=$(q "SELECT count(*) FROM taxonomy")
gen=$(q "SELECT value FROM meta WHERE key = 'taxonomy_generation'")
sh import esco --quiet "$SHARED/esco/v1.1.1/en" >"$WORK/out"
grep -q "no change" "$WORK/out" || fail "re-import of v1.1.1: $(cat "$WORK/out")"
expect_eq "runs after re-import" "$runs" "$(q "SELECT count(*) FROM taxonomy")"
expect_eq "generation after re-import" "$gen" "$(q "SELECT value FROM meta WHERE key = 'taxonomy_generation'")"
echo "ok"
