#!/usr/bin/env bash
# `skillhub courses` and `skillhub providers` through the binary on the fixture catalogue
# (tests/fixtures/catalogue: a small automotive/battery ESCO package and 20 courses of 5 providers):
# import of good JSON and CSV, bad files reported by file:line/field with nothing imported, skill
# proposals, quality check findings, the review workflow, a rule-set change flagging approved
# courses, JSON and CSV export round trips, ELM JSON-LD and the feed, search filters, usage errors.
set -euo pipefail
C="$FIXTURES/catalogue"
if [ ! -d "$C/esco/en" ]; then
  echo "skipped: $C/esco/en not found"; exit 77
fi
RULES="$(cd "$FIXTURES/../.." && pwd)/rules/quality-rules.json"
DB="$WORK/cat.db"
S=http://data.europa.eu/esco/skill/cat-
O=http://data.europa.eu/esco/occupation/cat-
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
expect_exit() { # what expected-status command...
  local what=$1 want=$2; shift 2
  local rc=0; "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" = "$want" ] || fail "$what: expected exit $want, got $rc; stderr: $(cat "$WORK/err")"
}
expect_grep() { grep -qF -- "$2" "$3" || fail "$1: expected '$2' in $3: $(cat "$3")"; }
count() { sqlite3 "$DB" "$1"; }
export SKILLHUB_RULES="$RULES"

sh import esco --quiet "$C/esco/en" >/dev/null

# --- import: good files; bad files name file:line and field and import nothing
expect_exit "import json" 0 sh courses import --who alice "$C/courses.json"
expect_grep "import json" "imported 17 courses and 5 providers" "$WORK/out"
expect_exit "import csv" 0 sh courses import "$C/courses.csv"
expect_eq "courses after good imports" "$(count 'SELECT count(*) FROM course')" "20"
expect_exit "import bad json" 1 sh courses import "$C/courses-bad.json"
expect_grep "bad json" "courses-bad.json:17: course BAD-001: field \"eqf\": expected an integer" "$WORK/err"
expect_grep "bad json" "courses-bad.json:33: course BAD-002: field \"provider\": no such provider" "$WORK/err"
expect_grep "bad json" "course BAD-003: field \"mode\"" "$WORK/err"
expect_grep "bad json" "course BAD-004: field \"skills[0]\": not an ESCO skill URI" "$WORK/err"
expect_grep "bad json" "provider xx-bad-type: field \"type\"" "$WORK/err"
expect_grep "bad json" "6 problems, nothing imported" "$WORK/err"
expect_exit "import bad csv" 1 sh courses import "$C/courses-bad.csv"
expect_grep "bad csv" "courses-bad.csv:2: course CSV-701: field \"hours\"" "$WORK/err"
expect_grep "bad csv" "courses-bad.csv:3: course CSV-702: field \"start\": expected a date" "$WORK/err"
expect_eq "nothing half-imported" "$(count "SELECT count(*) FROM course WHERE ref IN ('GOOD-006','CSV-703')")" "0"
expect_eq "no provider from the bad file" "$(count "SELECT count(*) FROM provider WHERE ref = 'it-new-provider'")" "0"
expect_eq "audit of creation" "$(count "SELECT who FROM audit WHERE entity = 'course:BAT-101' AND field = '*'")" "alice"

# --- skills: proposals from the text (origin proposed), decisions
expect_eq "proposal for BAT-102" \
  "$(count "SELECT s.origin FROM course_skill s JOIN course c ON c.id = s.course JOIN concept k ON k.id = s.skill WHERE c.ref = 'BAT-102' AND k.uri = '${S}s15'")" "proposed"
sh courses skills EV-204 --who carol --accept "${S}s04" --accept "${S}s13" --reject "${S}s10" >"$WORK/skills.txt"
expect_grep "skills list" "rejected" "$WORK/skills.txt"
expect_eq "accepted EV-204" "$(count "SELECT count(*) FROM course_skill s JOIN course c ON c.id = s.course WHERE c.ref = 'EV-204' AND origin = 'accepted'")" "3"
expect_exit "unknown skill" 1 sh courses skills EV-204 --accept "${S}nope"
expect_grep "unknown skill" "not an ESCO skill URI" "$WORK/err"

# --- quality check
expect_exit "check BAT-105" 0 sh courses check BAT-105
expect_grep "check BAT-105" "warning: ects [credits-hours]" "$WORK/out"
expect_grep "check BAT-105" "warning: outcomes[0] [outcome-verbs]" "$WORK/out"
expect_grep "check BAT-105" "fix: " "$WORK/out"
expect_exit "check --all" 0 sh courses check --all --json
python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))
rules = {(x["course"], x["rule"]) for x in f}
for want in [("BAT-104", "duplicate-title"), ("BAT-105", "url-https"), ("BAT-105", "credits-hours")]:
    if want not in rules: sys.exit("FAIL: check --all: expected %r in %r" % (want, sorted(rules)))
if any(x["severity"] == "error" for x in f): sys.exit("FAIL: no errors expected after EV-204 got its skills: %r" % f)
' "$WORK/out"

# --- workflow: approve refuses with errors, works after submit
sqlite3 "$DB" "DELETE FROM course_skill WHERE course = (SELECT id FROM course WHERE ref = 'EV-204') AND skill = (SELECT id FROM concept WHERE uri = '${S}s13')"
expect_exit "approve a draft" 1 sh courses approve BAT-101
expect_grep "approve a draft" "cannot approve it" "$WORK/err"
for c in BAT-100 BAT-101 BAT-102 EV-201 EV-204 PWR-301 PWR-302 SE-501 CSV-602 CSV-603; do
  sh courses submit "$c" --who alice >/dev/null
done
expect_exit "approve with an error" 1 sh courses approve EV-204
expect_grep "approve with an error" "min-accepted-skills" "$WORK/err"
for c in BAT-100 BAT-101 BAT-102 EV-201 PWR-301 PWR-302 SE-501 CSV-602 CSV-603; do
  sh courses approve "$c" --who bob >/dev/null
done
expect_exit "reject" 0 sh courses reject EV-204 --who bob
expect_eq "approved" "$(count "SELECT count(*) FROM course WHERE status = 'approved'")" "9"
expect_eq "status audit" "$(count "SELECT old || '>' || new FROM audit WHERE entity = 'course:EV-204' AND field = 'status' ORDER BY id DESC LIMIT 1")" "submitted>rejected"

# --- a new rule-set version re-evaluates approved courses: flag, never delete
python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); r["version"] = "test-2"
for x in r["rules"]:
    if x["type"] == "min_skills": x["min"] = 4
json.dump(r, open(sys.argv[2], "w"))
' "$RULES" "$WORK/rules2.json"
expect_exit "check --all with new rules" 1 sh courses check --all --rules "$WORK/rules2.json"
expect_grep "recheck" "approved courses flagged" "$WORK/out"
expect_eq "flagged BAT-101" "$(count "SELECT status || '|' || flagged FROM course WHERE ref = 'BAT-101'")" "approved|rules test-2: 1 error"
expect_eq "still approved" "$(count "SELECT count(*) FROM course WHERE status = 'approved'")" "9"

# --- export: JSON round trip, CSV round trip, ELM, feed
sh courses export --output "$WORK/e1.json"
sh courses export --format csv >"$WORK/e1.csv"
DB2="$WORK/cat2.db"
"$SKILLHUB" --db "$DB2" import esco --quiet "$C/esco/en" >/dev/null
"$SKILLHUB" --db "$DB2" courses import "$WORK/e1.json" >/dev/null
"$SKILLHUB" --db "$DB2" courses export >"$WORK/e2.json"
DB3="$WORK/cat3.db"
"$SKILLHUB" --db "$DB3" import esco --quiet "$C/esco/en" >/dev/null
python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["providers"]:
    print("%s\t%s\t%s\t%s" % (p["id"], p["name"], p["country"], p["type"]))
' "$WORK/e1.json" | while IFS=$'\t' read -r id name country type; do
  "$SKILLHUB" --db "$DB3" providers add --id "$id" --name "$name" --country "$country" --type "$type" >/dev/null
done
"$SKILLHUB" --db "$DB3" courses import "$WORK/e1.csv" >/dev/null
"$SKILLHUB" --db "$DB3" courses export >"$WORK/e3.json"
python3 -c '
import json, sys
def load(p):
    d = json.load(open(p))
    for c in d["courses"]:
        c.pop("status", None); c.pop("flagged", None)
    return d
a, b, c = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
if len(a["courses"]) != 20: sys.exit("FAIL: export: expected 20 courses, got %d" % len(a["courses"]))
if a != b: sys.exit("FAIL: JSON export -> import -> export differs")
for x, y in zip(a["courses"], c["courses"]):
    if x != y: sys.exit("FAIL: CSV round trip differs for %s: %r vs %r" % (x["id"], x, y))
' "$WORK/e1.json" "$WORK/e2.json" "$WORK/e3.json"

sh courses export --format elm BAT-101 >"$WORK/elm.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
def need(cond, what):
    if not cond: sys.exit("FAIL: ELM: " + what + ": " + json.dumps(d)[:400])
need(d.get("@context") == "http://data.europa.eu/snb/model/context/edc-ap", "@context")
need(d.get("type") == "LearningOpportunity", "type LearningOpportunity")
spec = d["learningAchievementSpecification"]
need(spec["type"] == "LearningAchievementSpecification", "specification type")
need(spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/4", "eqfLevel")
need(spec["volumeOfLearning"] == "PT40H", "volumeOfLearning")
skills = sorted(s["id"] for o in spec["learningOutcome"] for s in o["relatedESCOSkill"])
need(skills == ["http://data.europa.eu/esco/skill/cat-s01", "http://data.europa.eu/esco/skill/cat-s03",
                "http://data.europa.eu/esco/skill/cat-s04"], "relatedESCOSkill = accepted skills")
need(d["providedBy"]["type"] == "Organisation", "providedBy")
ids = []
def walk(x):
    if isinstance(x, dict):
        if "id" in x and "type" in x: ids.append(x["id"])
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(d)
need(len([i for i in ids if i.startswith("urn:")]) == len(set(i for i in ids if i.startswith("urn:"))), "node ids unique")
' "$WORK/elm.json"
sh courses feed --output "$WORK/feed.jsonld"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
g = d["@graph"]
if len(g) != 9 or any(x["type"] != "LearningOpportunity" for x in g):
    sys.exit("FAIL: feed: expected 9 approved LearningOpportunity nodes, got %r" % [x.get("id") for x in g])
if "urn:skillhub:course:EV-204" in [x["id"] for x in g]: sys.exit("FAIL: feed lists a rejected course")
' "$WORK/feed.jsonld"

# --- search over approved courses
search_ids() { sh courses search --json "$@" | python3 -c 'import json, sys; print(" ".join(h["id"] for h in json.load(sys.stdin)))'; }
expect_eq "text" "$(search_ids battery cell testing | cut -d' ' -f1)" "BAT-101"
expect_eq "skill incl. narrower" "$(search_ids --skill "${S}s15" | tr ' ' '\n' | sort | tr '\n' ' ')" "BAT-100 BAT-101 BAT-102 SE-501 "
expect_eq "occupation coverage" "$(search_ids --occupation "${O}o01" | cut -d' ' -f1-2)" "SE-501 BAT-100"
expect_eq "lang fr" "$(search_ids --lang fr)" "EV-201"
expect_eq "region + cost" "$(search_ids --region DE --max-cost 500)" "BAT-102"
expect_eq "mode + eqf" "$(search_ids --mode online --eqf 7)" "PWR-301"
expect_eq "dates" "$(search_ids --from 2027-03-01 --to 2027-12-31 | tr ' ' '\n' | sort | tr '\n' ' ')" "CSV-602 CSV-603 EV-201 PWR-302 "
expect_eq "draft not found" "$(search_ids recycling)" ""
expect_exit "unknown occupation" 1 sh courses search --occupation "${O}nope"
expect_exit "bad eqf" 2 sh courses search --eqf 9

# --- providers, usage
expect_exit "providers show" 0 sh providers show de-battery-academy
expect_grep "providers show" "AZAV" "$WORK/out"
expect_exit "providers add bad type" 1 sh providers add --id x --name X --country DE --type school
expect_exit "unknown action" 2 sh courses frobnicate
expect_exit "option of another action" 2 sh courses export --accept "${S}s01"
expect_exit "--help" 0 sh courses --help
expect_grep "--help" "usage: skillhub courses" "$WORK/out"
expect_exit "action --help" 0 sh courses search --help
expect_grep "action --help" "usage: skillhub courses" "$WORK/out"
echo "ok"
