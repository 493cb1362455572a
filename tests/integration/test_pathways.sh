#!/usr/bin/env bash
# `skillhub gap`, `plan`, `transitions` and `workforce` on the tests/fixtures/esco-mini
# package with the candidate courses, profile and headcounts of tests/fixtures/pathways.
# Plans are checked against optima worked out by hand (see the comments), gaps against
# the partial-credit rules of docs/pathways.md.
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ]; then
  echo "skipped: $FIXTURES/esco-mini not found"; exit 77
fi
DB="$WORK/mini.db"
F="$FIXTURES/pathways"
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
sh import esco --quiet "$FIXTURES/esco-mini/en" >/dev/null

# gap: an occupation's own skills make it ready; partial credit through an essential relation
json=$(sh gap --json --from-occupation mini-o01 --target mini-o01)
expect_eq "gap to itself" "$(jq .readiness <<<"$json")" "1"
expect_eq "gap target" "$(jq -r .target.uri <<<"$json")" "http://data.europa.eu/esco/occupation/mini-o01"
expect_eq "gap skills" "$(jq '[.skills[] | select(.essential)] | length' <<<"$json")" "3"
json=$(sh gap --json --profile "$F/profile.json" --target mini-o04)
expect_eq "related credit" "$(jq -r '.skills[] | select(.label == "food hygiene") | "\(.credit) \(.credit_kind) \(.via.label)"' <<<"$json")" \
  "0.5 related prepare food"
expect_eq "level counts" "$(jq -r '.skills[] | select(.label == "work in teams") | .credit' <<<"$json")" "0.5"
expect_eq "readiness in (0,1)" "$(jq '.readiness > 0 and .readiness < 1' <<<"$json")" "true"
printf 'I write Python code and debug software every day.\n' >"$WORK/cv.txt"
expect_eq "gap --cv" "$(sh gap --json --cv "$WORK/cv.txt" --target mini-o01 | jq -r '[.skills[] | select(.credit == 1) | .label] | sort | join(",")')" \
  "Python (computer programming),debug software"
expect_eq "gap --title" "$(sh gap --json --title "software engineer" --target mini-o01 | jq .readiness)" "1"
expect_has "gap text" "$(sh gap --profile "$F/profile.json" --target mini-o04)" "related   food hygiene (via prepare food)"

# plan, analyst -> developer (needs Python, debugging, version control):
# PY-101 300 + DBG-201 200 (needs PY-101) + GIT-1 100 = 600 beats the 1200 bootcamp.
plan() { sh plan --json --from-occupation mini-o02 --target mini-o01 --courses "$F/courses.json" "$@"; }
json=$(plan)
expect_eq "plan courses" "$(jq -r '[.plan.steps[].id] | join(" ")' <<<"$json")" "PY-101 DBG-201 GIT-1"
expect_eq "plan cost" "$(jq .plan.cost <<<"$json")" "600"
expect_eq "plan hours" "$(jq .plan.hours <<<"$json")" "58"
expect_eq "plan optimal" "$(jq -r '"\(.plan.optimal) \(.plan.method) \(.plan.lower_bound)"' <<<"$json")" "true exact 600"
expect_eq "plan closes" "$(jq -r '.plan.steps[1].closes[0].label' <<<"$json")" "debug software"
# in English only, GIT-1 (German) is out: GIT-EN 150 -> 650
expect_eq "plan --language en" "$(plan --language en | jq -r '"\(.plan.cost) \([.plan.steps[].id] | join(" "))"')" \
  "650 PY-101 DBG-201 GIT-EN"
# onsite only: the bootcamp (DE30) alone; region DE admits DE30, FR does not
expect_eq "plan --mode onsite" "$(plan --mode onsite --region DE | jq -r '[.plan.steps[].id] | join(" ")')" "DEV-BOOT"
expect_eq "plan onsite in FR" "$(plan --mode onsite --region FR | jq '.plan.uncoverable | length')" "3"
# dates: the bootcamp ends after 2027-03-31
expect_eq "plan --to" "$(plan --mode onsite --to 2027-03-31 | jq -r '[.plan.uncoverable[].label] | sort | join(",")')" \
  "Python (computer programming),debug software"
# budget 400: DBG-201 with its prerequisite costs 500, so debugging is out of reach
json=$(plan --budget 400)
expect_eq "plan --budget price" "$(jq '.plan.price <= 400' <<<"$json")" "true"
expect_eq "plan --budget courses" "$(jq -r '[.plan.steps[].id] | join(" ")' <<<"$json")" "PY-101 GIT-1"
# optional skills: teamwork by TEAM-1; JavaScript and SQL have no course
json=$(plan --optional)
expect_eq "plan --optional cost" "$(jq .plan.cost <<<"$json")" "650"
expect_eq "plan --optional uncoverable" "$(jq -r '[.plan.uncoverable[].label] | sort | join(",")' <<<"$json")" "JavaScript,SQL"
# the greedy plan is never cheaper than the exact one
expect_eq "plan --greedy" "$(plan --greedy | jq '.plan.cost >= 600')" "true"
# hour cost: 10/h makes the bootcamp 2400 and the three courses 1180
expect_eq "plan --hour-cost" "$(plan --hour-cost 10 | jq .plan.cost)" "1180"
expect_has "plan text" "$(sh plan --from-occupation mini-o02 --target mini-o01 --courses "$F/courses.json")" \
  "plan: 3 courses, 58.0 hours, price 600.00, cost 600.00 (exact, optimal)"

# transitions from the software developer: the analyst (same ISCO minor group 251) first
json=$(sh transitions --json mini-o01)
expect_eq "transitions same sector" "$(jq -r '[.same_sector[].label] | join(",")' <<<"$json")" "ICT system analyst"
expect_eq "transitions isco digits" "$(jq '.same_sector[0].isco_digits' <<<"$json")" "3"
expect_eq "transitions cross sector" "$(jq -r '[.cross_sector[].label] | join(",")' <<<"$json")" "cook"
expect_eq "transitions missing" "$(jq -r '[.same_sector[0].missing[].label] | sort | join(",")' <<<"$json")" \
  "analyse software requirements,write software specifications"
expect_eq "transitions --limit 0" "$(sh transitions --json --limit 0 mini-o01 | jq '.same_sector + .cross_sector | length')" "0"
# transitions --plan: each move with the cheapest plan closing its missing essential skills,
# the JSON of `skillhub plan`; without --plan no move has one
expect_eq "transitions without --plan" "$(jq '[.same_sector[], .cross_sector[] | has("plan")] | any' <<<"$json")" "false"
json=$(sh transitions --json --plan --courses "$F/courses.json" mini-o02)
expect_eq "transitions --plan" "$(jq -r '.same_sector[0] | "\(.label): \([.plan.steps[].id] | join(" ")) \(.plan.cost) \(.plan.hours) \(.plan.optimal)"' <<<"$json")" \
  "software developer: PY-101 DBG-201 GIT-1 600 58 true"
expect_eq "transitions --plan = plan" "$(jq -c '.same_sector[0].plan' <<<"$json")" "$(plan | jq -c .plan)"
# from the developer: the analyst's two missing skills have no course; FOOD-1 (40) teaches
# the cook's food hygiene but not food preparation
json=$(sh transitions --json --plan --courses "$F/courses.json" mini-o01)
expect_eq "transitions --plan uncoverable" "$(jq -r '.same_sector[0].plan | "\(.steps | length) \([.uncoverable[].label] | join(","))"' <<<"$json")" \
  "0 analyse software requirements,write software specifications"
expect_eq "transitions --plan partial" "$(jq -r '.cross_sector[0].plan | "\([.steps[].id] | join(" ")) \(.cost) \([.uncoverable[].label] | join(","))"' <<<"$json")" \
  "FOOD-1 40 prepare food"
expect_eq "transitions --plan --language en" \
  "$(sh transitions --json --plan --courses "$F/courses.json" --language en mini-o02 | jq -r '.same_sector[0].plan | "\(.cost) \([.steps[].id] | join(" "))"')" \
  "650 PY-101 DBG-201 GIT-EN"
expect_has "transitions --plan text" "$(sh transitions --plan --courses "$F/courses.json" mini-o02)" \
  "plan: 3 courses, 58.0 hours, cost 600.00 (optimal); 0 skills left open"
expect_exit "transitions course option without --plan" 2 sh transitions --courses "$F/courses.json" mini-o02
expect_has "transitions course option message" "$(cat "$WORK/err")" "course options need --plan"
# --sectors: the alliance tags of sectors.json make the cook same-sector with the developer
# (food-tech lists the developer and ISCO 512); each move names the target's and the shared tags
json=$(sh transitions --json --sectors "$F/sectors.json" mini-o01)
expect_eq "transitions --sectors from" "$(jq -r '.from.sectors | join(",")' <<<"$json")" "digital,food-tech"
expect_eq "transitions --sectors same" "$(jq -r '[.same_sector[] | "\(.label):\(.sectors | join("+")):\(.shared_sectors | join("+"))"] | join(",")' <<<"$json")" \
  "ICT system analyst:digital:digital,cook:food-tech:food-tech"
expect_eq "transitions --sectors cross" "$(jq '.cross_sector | length' <<<"$json")" "0"
expect_eq "transitions without --sectors" "$(sh transitions --json mini-o01 | jq '[.from, .same_sector[], .cross_sector[] | has("sectors")] | any')" "false"
expect_has "transitions --sectors text" "$(sh transitions --sectors "$F/sectors.json" mini-o01)" "sectors: food-tech (shared: food-tech)"
echo '{"sectors": {"energy": ["isco:7", "nope"]}}' >"$WORK/sectors-bad.json"
expect_exit "transitions bad sectors file" 1 sh transitions --sectors "$WORK/sectors-bad.json" mini-o01
expect_has "bad sectors message" "$(cat "$WORK/err")" "sectors-bad.json: sectors.energy[1]: no occupation 'nope'"

# workforce: 8 analysts and 4 plumbers become developers, 3 skills x 40 h each by default
json=$(sh workforce --json "$F/workforce.json")
expect_eq "workforce totals" "$(jq -r '"\(.staying) \(.moved) \(.surplus) \(.unfilled) \(.person_skills) \(.hours)"' <<<"$json")" \
  "2 12 0 0 36 1440"
expect_eq "workforce moves" "$(jq -r '[.moves[] | "\(.from.label):\(.people)"] | join(",")' <<<"$json")" \
  "ICT system analyst:8,plumber:4"
# with courses each move gets the 600 plan (58 h)
json=$(sh workforce --json --courses "$F/courses.json" "$F/workforce.json")
expect_eq "workforce with courses" "$(jq -r '[.moves[] | "\(.plan.cost)/\(.hours_per_person)"] | join(",")' <<<"$json")" \
  "600/58,600/58"
expect_eq "workforce hours" "$(jq .hours <<<"$json")" "696"

# errors: usage (2) and failures (1) name what is wrong
expect_exit "gap without target" 2 sh gap --from-occupation mini-o01
expect_exit "gap without profile" 2 sh gap --target mini-o01
expect_exit "plan bad budget" 2 sh plan --from-occupation mini-o02 --target mini-o01 --budget lots
expect_exit "plan bad date" 2 sh plan --from-occupation mini-o02 --target mini-o01 --to 2027-13-01
expect_exit "gap unknown target" 1 sh gap --from-occupation mini-o01 --target mini-s01
expect_has "unknown target message" "$(cat "$WORK/err")" "--target: no occupation 'mini-s01'"
echo '{"courses": [{"id": "X", "skills": ["nope"]}]}' >"$WORK/bad.json"
expect_exit "bad courses file" 1 sh plan --from-occupation mini-o02 --target mini-o01 --courses "$WORK/bad.json"
expect_has "bad courses message" "$(cat "$WORK/err")" "courses[0].skills[0]: no concept 'nope'"
echo '{"courses": [{"id": "A", "prerequisites": ["B"]}, {"id": "B", "prerequisites": ["A"], "skills": ["mini-s01"]}]}' >"$WORK/cycle.json"
expect_exit "prerequisite cycle" 1 sh plan --from-occupation mini-o02 --target mini-o01 --courses "$WORK/cycle.json"
expect_has "cycle message" "$(cat "$WORK/err")" "prerequisite cycle"
expect_exit "transitions of a skill" 1 sh transitions mini-s01
expect_exit "workforce bad file" 1 sh workforce "$WORK/bad.json"
expect_has "workforce bad file message" "$(cat "$WORK/err")" '"current": expected an array'
expect_has "help" "$(sh plan --help)" "usage: skillhub plan"
# the catalogue (migration 3): approved courses with accepted skills count; a course needing
# a course that is not approved is left out.  CAT-PY 250 + CAT-DBG 150 (needs CAT-PY) = 400;
# CAT-GIT is only submitted and CAT-X needs it, so version control has no catalogue course.
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 not installed (catalogue part)"; exit 77; }
sqlite3 "$DB" <<'SQL'
INSERT INTO provider(id, ref, name, country, type) VALUES (1, 'acme', 'ACME Academy', 'DE', 'company_academy');
INSERT INTO course(id, ref, provider, status, mode, region, hours, cost, self_paced, updated_at) VALUES
 (1, 'CAT-PY', 1, 'approved', 'online', 'DE', 25, 250, 1, '2026-11-23T00:00:00Z'),
 (2, 'CAT-DBG', 1, 'approved', 'online', 'DE', 15, 150, 1, '2026-11-23T00:00:00Z'),
 (3, 'CAT-GIT', 1, 'submitted', 'online', 'DE', 5, 80, 1, '2026-11-23T00:00:00Z'),
 (4, 'CAT-X', 1, 'approved', 'online', 'DE', 5, 60, 1, '2026-11-23T00:00:00Z'),
 (5, 'CAT-DBG2', 1, 'approved', 'online', 'DE', 1, 10, 1, '2026-11-23T00:00:00Z');
INSERT INTO course_text(course, lang, title) VALUES (1, 'en', 'Python for analysts'), (1, 'de', 'Python für Analysten');
INSERT INTO course_language(course, lang) VALUES (1, 'de'), (1, 'en'), (2, 'en');
INSERT INTO course_skill(course, skill, origin) SELECT 1, id, 'accepted' FROM concept WHERE uri LIKE '%/mini-s01';
INSERT INTO course_skill(course, skill, origin) SELECT 2, id, 'accepted' FROM concept WHERE uri LIKE '%/mini-s04';
INSERT INTO course_skill(course, skill, origin) SELECT 3, id, 'accepted' FROM concept WHERE uri LIKE '%/mini-s13';
INSERT INTO course_skill(course, skill, origin) SELECT 4, id, 'accepted' FROM concept WHERE uri LIKE '%/mini-s13';
INSERT INTO course_skill(course, skill, origin) SELECT 5, id, 'proposed' FROM concept WHERE uri LIKE '%/mini-s04';
INSERT INTO course_prerequisite(course, required_course) VALUES (2, 1), (4, 3);
SQL
json=$(sh plan --json --from-occupation mini-o02 --target mini-o01)
expect_eq "catalogue plan" "$(jq -r '"\(.plan.cost) \([.plan.steps[].id] | join(" "))"' <<<"$json")" "400 CAT-PY CAT-DBG"
expect_eq "catalogue candidates" "$(jq .candidates <<<"$json")" "3"
expect_eq "catalogue title" "$(jq -r .plan.steps[0].title <<<"$json")" "Python for analysts"
expect_eq "catalogue uncoverable" "$(jq -r '[.plan.uncoverable[].label] | join(",")' <<<"$json")" "use version control"
expect_eq "catalogue + file" "$(plan | jq -r '"\(.plan.cost) \([.plan.steps[].id] | join(" "))"')" "500 CAT-PY CAT-DBG GIT-1"
expect_eq "--no-catalogue" "$(plan --no-catalogue | jq .plan.cost)" "600"
expect_eq "transitions --plan catalogue" "$(sh transitions --json --plan mini-o02 | jq -r '.same_sector[0].plan | "\(.cost) \([.steps[].id] | join(" ")) \([.uncoverable[].label] | join(","))"')" \
  "400 CAT-PY CAT-DBG use version control"
echo "ok"
