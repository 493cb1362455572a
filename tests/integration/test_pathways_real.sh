#!/usr/bin/env bash
# Pathways on the full ESCO v1.1.1 English package (../shared/data): an occupation is fully
# ready for itself, its best transitions are plausible neighbours, and a plan over one
# generated course per missing skill (plus a cheaper bundle) has the cost worked out here.
# Skipped when the shared data is absent.
set -euo pipefail
if [ -z "${SHARED:-}" ] || [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: ../shared/data/esco/v1.1.1/en not found"; exit 77
fi
DB="$WORK/esco.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
sh import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null
sh index build >/dev/null
dev=http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1   # software developer

expect_eq "ready for itself" "$(sh gap --json --from-occupation "$dev" --target "$dev" | jq .readiness)" "1"

# transitions: the nearest same-sector moves are ICT occupations (ISCO major group 2)
json=$(sh transitions --json --limit 5 "$dev")
expect_eq "5 same-sector moves" "$(jq '.same_sector | length' <<<"$json")" "5"
labels=$(jq -r '.same_sector[].label' <<<"$json")
grep -qiE "developer|programmer|ICT" <<<"$labels" || fail "expected ICT developers among the nearest moves, got:
$labels"
expect_eq "sorted by score" "$(jq '[.same_sector[].score] | . == (sort | reverse)' <<<"$json")" "true"
expect_eq "cross sector differs in ISCO major group" \
  "$(jq '[.cross_sector[].isco_digits] | all(. == 0)' <<<"$json")" "true"

# plan from the nearest occupation: one course per missing essential skill at 100, plus a
# bundle of the first two at 150: optimum = 100 x (missing - 2) + 150
near=$(jq -r '.same_sector[0].uri' <<<"$json")
gap=$(sh gap --json --from-occupation "$dev" --target "$near")
jq '[.skills[] | select(.essential and .credit < 1) | .uri]' <<<"$gap" >"$WORK/missing.json"
n=$(jq length "$WORK/missing.json")
[ "$n" -ge 2 ] || fail "expected at least 2 missing skills from software developer to $near, got $n"
jq '{courses: ([to_entries[] | {id: "C\(.key)", hours: 10, price: 100, skills: [.value]}]
     + [{id: "BUNDLE", hours: 15, price: 150, skills: .[0:2]}])}' "$WORK/missing.json" >"$WORK/courses.json"
json=$(sh plan --json --from-occupation "$dev" --target "$near" --courses "$WORK/courses.json")
expect_eq "plan cost" "$(jq .plan.cost <<<"$json")" "$((100 * (n - 2) + 150))"
expect_eq "plan optimal" "$(jq .plan.optimal <<<"$json")" "true"
expect_eq "plan closes every need" "$(jq '[.plan.steps[].closes | length] | add' <<<"$json")" "$n"
echo "ok"
