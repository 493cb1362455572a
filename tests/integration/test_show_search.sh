#!/usr/bin/env bash
# `skillhub show`, `skillhub search` and `skillhub index` through the binary on the
# tests/fixtures/esco-mini package (English + French): text and JSON output, ranking,
# paging, kind filter, the automatic index rebuild, and usage errors (exit 2).
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ]; then
  echo "skipped: $FIXTURES/esco-mini not found (built by the importer's tests)"; exit 77
fi
DB="$WORK/mini.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
expect_has() { grep -qF -- "$3" <<<"$2" || fail "$1: expected output containing '$3', got:
$2"; }
expect_exit() { # what expected-status command...
  local what=$1 want=$2; shift 2
  local rc=0; "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" = "$want" ] || fail "$what: expected exit $want, got $rc; stderr: $(cat "$WORK/err")"
}

sh import esco --quiet "$FIXTURES/esco-mini/en" "$FIXTURES/esco-mini/fr" >/dev/null
[ ! -e "$DB.idx" ] || fail "the import should not build the index itself"

# show: by UUID segment, by full URI, text and JSON; the index is built on first use
out=$(sh show mini-o01)
[ -s "$DB.idx" ] || fail "show did not build $DB.idx"
expect_has "show text" "$out" "software developer (occupation)"
expect_has "show text" "$out" "essential skills (3):"
expect_has "show text" "$out" "Python (computer programming)"
expect_has "show text" "$out" "ISCO group (1):"
expect_has "show text" "$out" "This service uses the ESCO classification of the European Commission."
json=$(sh show --json http://data.europa.eu/esco/occupation/mini-o01)
expect_eq "show --json uri" "$(jq -r .uri <<<"$json")" "http://data.europa.eu/esco/occupation/mini-o01"
expect_eq "show --json type" "$(jq -r .type <<<"$json")" "occupation"
expect_eq "show --json essential skills" "$(jq '.essentialSkills | length' <<<"$json")" "3"
expect_eq "show --json ISCO code" "$(jq -r .iscoGroup.code <<<"$json")" "2512"
expect_eq "show --json altLabels" "$(jq -c .altLabels <<<"$json")" '["programmer","software engineer"]'
# a skill lists the occupations that need it
json=$(sh show --json mini-s01)
expect_has "skill essentialFor" "$(jq -r '.essentialForOccupations[].label' <<<"$json")" "software developer"
# French labels
expect_has "show --lang fr" "$(sh show --lang fr mini-o01)" "développeur de logiciels"

# search: exact first with score 1, JSON shape, inflection/order, accents, kind, paging
json=$(sh search --json software developer)
expect_eq "search first uri" "$(jq -r '.[0].uri' <<<"$json")" "http://data.europa.eu/esco/occupation/mini-o01"
expect_eq "search first score is 1" "$(jq -r '.[0].score == 1' <<<"$json")" "true"
expect_eq "search keys" "$(jq -c '.[0] | keys' <<<"$json")" '["label","matched_label","score","type","uri"]'
expect_eq "search reordered+inflected" \
  "$(sh search --json pipes installing | jq -r '.[0].uri')" "http://data.europa.eu/esco/skill/mini-s07"
expect_eq "search typo" "$(sh search --json pyhton | jq -r '.[0].uri')" "http://data.europa.eu/esco/skill/mini-s01"
expect_eq "search French without accents" \
  "$(sh search --json --lang fr developpeur | jq -r '.[0].uri')" "http://data.europa.eu/esco/occupation/mini-o01"
types=$(sh search --json --type occupation --limit 50 software | jq -r '.[].type' | sort -u)
expect_eq "search --type occupation" "$types" "occupation"
all=$(sh search --json --limit 3 software | jq -r '.[].uri')
second=$(sh search --json --limit 1 --offset 1 software | jq -r '.[].uri')
expect_eq "search paging" "$second" "$(sed -n 2p <<<"$all")"
expect_has "search text" "$(sh search --limit 1 software developer)" "1.000  occupation  software developer"

# the index follows the database: a second import (v2 fixture) makes it stale, the next command rebuilds it
if [ -d "$FIXTURES/esco-mini-v2/en" ]; then
  before=$(sh index info | awk '/^generation/ {print $2}')
  sh import esco --quiet "$FIXTURES/esco-mini-v2/en" >/dev/null
  expect_has "index info stale" "$(sh index info)" "stale"
  sh search software >/dev/null
  after=$(sh index info | awk '/^generation/ {print $2}')
  [ "$after" -gt "$before" ] || fail "index not rebuilt: generation $before -> $after"
  expect_has "index info fresh" "$(sh index info)" "up to date"
fi
expect_has "index build" "$(sh index build)" "concepts"

# errors: unknown concept (exit 1, named), usage errors (exit 2, argument named)
expect_exit "unknown concept" 1 sh show no-such-concept
expect_has "unknown concept message" "$(cat "$WORK/err")" "no-such-concept"
expect_exit "--type foo" 2 sh search --type foo python
expect_has "--type message" "$(cat "$WORK/err")" "--type"
expect_exit "--limit x" 2 sh search --limit x python
expect_has "--limit message" "$(cat "$WORK/err")" "--limit"
expect_exit "--lang xx" 2 sh search --lang xx python
expect_has "--lang message" "$(cat "$WORK/err")" "'xx'"
expect_exit "search without text" 2 sh search
expect_exit "show without id" 2 sh show
expect_exit "index bad action" 2 sh index frobnicate
expect_exit "blank query" 1 sh search " ,; "
for cmd in show search index; do
  expect_exit "$cmd --help" 0 sh "$cmd" --help
  expect_has "$cmd --help" "$(cat "$WORK/out")" "usage: skillhub $cmd"
done
echo "ok"
