#!/usr/bin/env bash
# `skillhub import esco` and `skillhub diff` on the fixtures in tests/fixtures/esco-*:
# counts, re-import no-op, French labels, every malformed package (non-zero exit,
# file:line on stderr, database byte-for-byte unchanged), diff after a newer version.
set -euo pipefail
DB="$WORK/t.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; }
json() { jq -r "$1"; }
dbhash() { sqlite3 "$DB" .dump | sha256sum; }

# usage errors name the argument
set +e
out=$(sh import 2>&1); rc=$?
set -e
expect_eq "import without source exit" 2 "$rc"
[[ "$out" == *"missing source"* ]] || fail "import usage: $out"
set +e
out=$(sh import csv "$FIXTURES/esco-mini/en" 2>&1); rc=$?
set -e
expect_eq "unknown source exit" 2 "$rc"
[[ "$out" == *"unknown source 'csv'"* ]] || fail "unknown source message: $out"
sh import --help | grep -q "usage: skillhub import esco" || fail "import --help"
sh diff --help | grep -q "usage: skillhub diff" || fail "diff --help"

# first import: progress on stderr, summary on stdout
sh import esco --version 1.1.1 "$FIXTURES/esco-mini/en" >"$WORK/out" 2>"$WORK/err"
grep -q "import: skills_en.csv: 13 rows" "$WORK/err" || fail "no progress line: $(cat "$WORK/err")"
grep -q "43 added, 0 changed, 0 removed" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
stats=$(sh stats --json)
expect_eq skills 13 "$(json .skills <<<"$stats")"
expect_eq occupations 4 "$(json .occupations <<<"$stats")"
expect_eq skill_groups 6 "$(json .skill_groups <<<"$stats")"
expect_eq isco_groups 13 "$(json .isco_groups <<<"$stats")"
expect_eq occupation_skill 15 "$(json .occupation_skill_relations <<<"$stats")"
expect_eq skill_skill 3 "$(json .skill_skill_relations <<<"$stats")"
expect_eq version "ESCO 1.1.1" "$(json .version <<<"$stats")"

# re-import: nothing changes, not even the generation
h1=$(dbhash)
sh import esco --quiet --version 1.1.1 "$FIXTURES/esco-mini/en" >"$WORK/out" 2>"$WORK/err"
[ ! -s "$WORK/err" ] || fail "--quiet printed: $(cat "$WORK/err")"
grep -q "no change" "$WORK/out" || fail "re-import summary: $(cat "$WORK/out")"
expect_eq "dump after re-import" "$h1" "$(dbhash)"

# every malformed package: exit 1, file:line on stderr, database unchanged
for case in unterminated-quote:skills_en.csv:3 missing-column:occupations_en.csv:1 \
            field-count:skills_en.csv:3 invalid-utf8:skills_en.csv:3 \
            bad-relation-type:occupationSkillRelations.csv:3 unknown-uri:occupationSkillRelations.csv:3 \
            empty-required:skills_en.csv:3; do
  dir=${case%%:*}; where=${case#*:}
  set +e
  sh import esco --quiet "$FIXTURES/esco-bad/$dir" >/dev/null 2>"$WORK/err"; rc=$?
  set -e
  expect_eq "$dir exit" 1 "$rc"
  grep -q "esco-bad/$dir/$where: " "$WORK/err" || fail "$dir: expected '$where' in: $(cat "$WORK/err")"
  expect_eq "$dir: dump" "$h1" "$(dbhash)"
done

# a failed first import leaves no database file behind
set +e
"$SKILLHUB" --db "$WORK/new.db" import esco --quiet "$FIXTURES/esco-bad/field-count" >/dev/null 2>&1; rc=$?
set -e
expect_eq "failed first import exit" 1 "$rc"
[ ! -e "$WORK/new.db" ] || fail "failed first import left $WORK/new.db behind"

# French labels (v1.0-like columns) land on the same URIs
sh import esco --quiet --version 1.0 "$FIXTURES/esco-mini/fr" >/dev/null
expect_eq "concepts after fr" 43 "$(sqlite3 "$DB" 'SELECT count(*) FROM concept')"
expect_eq "fr label" "plombier/plombière" "$(sqlite3 "$DB" "SELECT text FROM label l JOIN concept c ON c.id = l.concept
  WHERE c.uri = 'http://data.europa.eu/esco/occupation/mini-o03' AND l.lang = 'fr' AND l.kind = 'preferred'")"
expect_eq languages '["en","fr"]' "$(sh stats --json | jq -c .languages)"

# a newer version: diff lists the added, removed and changed concepts
sh import esco --quiet --version 1.2.0 "$FIXTURES/esco-mini-v2/en" >"$WORK/out"
grep -q "1 added, 3 changed, 1 removed" "$WORK/out" || fail "v2 summary: $(cat "$WORK/out")"
diff_json=$(sh diff --json)
expect_eq "diff version" 1.2.0 "$(json .version <<<"$diff_json")"
expect_eq "diff added" "http://data.europa.eu/esco/skill/mini-s14" \
  "$(json '.changes[] | select(.change == "added") | .uri' <<<"$diff_json")"
expect_eq "diff removed" "use version control" \
  "$(json '.changes[] | select(.change == "removed") | .label' <<<"$diff_json")"
expect_eq "diff relabelled" '["preferredLabel","modifiedDate"]' \
  "$(jq -c '.changes[] | select(.uri | endswith("mini-s04")) | .fields' <<<"$diff_json")"
sh diff | grep -q "^changed  occupation  http://data.europa.eu/esco/occupation/mini-o03  plumber  \[skills\]" \
  || fail "diff text: $(sh diff)"
expect_eq "diff --run 1 added" 43 "$(sh diff --run 1 --json | json .added)"
set +e
out=$(sh diff --run x 2>&1); rc=$?
set -e
expect_eq "diff --run x exit" 2 "$rc"
[[ "$out" == *"--run"* ]] || fail "diff usage message: $out"
echo "ok"
