#!/usr/bin/env bash
# The pathway routes of `skillhub serve` on the esco-mini fixture with the catalogue courses of
# tests/fixtures/pathways/catalogue.json (imported and approved): every route, its error paths,
# the API giving byte for byte the JSON of `skillhub gap|plan|transitions|workforce --json` for
# the same input, and the key content of the /pathways, /gap and /workforce pages.
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ]; then
  echo "skipped: $FIXTURES/esco-mini not found"; exit 77
fi
command -v curl >/dev/null || { echo "skipped: curl not installed"; exit 77; }
PY=$(command -v python3) || { echo "skipped: python3 not installed"; exit 77; }
DB="$WORK/pw.db"
F="$FIXTURES/pathways"
O=http://data.europa.eu/esco/occupation/mini-
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

sh import esco --quiet "$FIXTURES/esco-mini/en" >/dev/null
sh courses import "$F/catalogue.json" >/dev/null
for c in PWC-PY PWC-DBG PWC-BOOT; do
  sh courses submit "$c" --rules "$FIXTURES/../../rules/quality-rules.json" >/dev/null
  sh courses approve "$c" --rules "$FIXTURES/../../rules/quality-rules.json" >/dev/null
done

PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT
# a sector file that does not load stops the server before it listens
echo '{"sectors": {"x": ["nope"]}}' >"$WORK/sectors-bad.json"
rc=0; sh serve --port 0 --sectors "$WORK/sectors-bad.json" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -qF "sectors.x[0]: no occupation 'nope'" "$WORK/err" || fail "serve --sectors bad file: exit $rc: $(cat "$WORK/err")"
# the server runs with the alliance sector tags of sectors.json (the CLI is given them too)
"$SKILLHUB" --db "$DB" serve --port 0 --sectors "$F/sectors.json" 2>"$WORK/serve.log" &  # not through sh(): $! must be the server
PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/serve.log" && break
  kill -0 "$PID" 2>/dev/null || fail "server exited: $(cat "$WORK/serve.log")"
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line"

# fetch PATH [CURL ARGS]: body -> $WORK/body, status -> $STATUS
fetch() { local path=$1; shift; STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' "$@" "$BASE$path"); }
expect_status() { local want=$1; shift; fetch "$@"
  [ "$STATUS" = "$want" ] || fail "$* : expected status $want, got $STATUS: $(head -c 300 "$WORK/body")"; }
post() { local want=$1 data=$2 path=$3; shift 3
  expect_status "$want" "$path" -X POST -H 'Content-Type: application/json' --data-binary "$data" "$@"; }
json() { "$PY" -S -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
expect_json() { local got; got=$(json "$1"); [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got' in $(head -c 300 "$WORK/body")"; }
expect_problem() { # status parameter-or-empty
  expect_json "d['status'], d['type'].startswith('urn:skillhub:problem:'), d.get('parameter')" "$1 True ${2:-None}"; }
same_as_cli() { # what: the last body equals the output of the CLI command that follows
  local what=$1; shift
  "$@" >"$WORK/cli.json" || fail "$what: CLI failed"
  cmp -s "$WORK/body" "$WORK/cli.json" || fail "$what: API and CLI differ:
api: $(head -c 400 "$WORK/body")
cli: $(head -c 400 "$WORK/cli.json")"
}

# --- GET /api/v1/occupations/{id}/transitions
expect_status 200 /api/v1/occupations/mini-o02/transitions
expect_json "d['from']['uri']" "${O}o02"
expect_json "all(set(m) >= {'uri','label','score','overlap','readiness','missing'} for m in d['same_sector'] + d['cross_sector'])" True
expect_json "len(d['same_sector']) + len(d['cross_sector']) > 0" True
same_as_cli "transitions" sh transitions mini-o02 --sectors "$F/sectors.json" --json
expect_status 200 "/api/v1/occupations/mini-o02/transitions?limit=1"
expect_json "len(d['same_sector']) <= 1 and len(d['cross_sector']) <= 1" True
same_as_cli "transitions --limit 1" sh transitions mini-o02 --limit 1 --sectors "$F/sectors.json" --json
# ?plan=1: each move with its plan over the approved catalogue courses, as `transitions --plan`
expect_json "'plan' in d['same_sector'][0]" False
expect_status 200 "/api/v1/occupations/mini-o02/transitions?plan=1"
expect_json "[(m['label'], [s['id'] for s in m['plan']['steps']], m['plan']['cost'], m['plan']['hours'], m['plan']['optimal']) for m in d['same_sector']]" \
  "[('software developer', ['PWC-PY', 'PWC-DBG'], 550.0, 50.0, True)]"
same_as_cli "transitions --plan" sh transitions mini-o02 --plan --sectors "$F/sectors.json" --json
# sector tags: the developer and the cook share food-tech, so the cook is a same-sector move
expect_status 200 /api/v1/occupations/mini-o01/transitions
expect_json "d['from']['sectors'], [(m['label'], m['shared_sectors']) for m in d['same_sector']], d['cross_sector']" \
  "['digital', 'food-tech'] [('ICT system analyst', ['digital']), ('cook', ['food-tech'])] []"
expect_status 400 "/api/v1/occupations/mini-o02/transitions?plan=yes"; expect_problem 400 plan
expect_status 400 "/api/v1/occupations/mini-o02/transitions?limit=0"; expect_problem 400 limit
expect_status 400 "/api/v1/occupations/mini-o02/transitions?top=3"; expect_problem 400 top
expect_status 404 /api/v1/occupations/no-such-thing/transitions; expect_problem 404
expect_status 404 /api/v1/occupations/mini-s04/transitions; expect_problem 404

# --- POST /api/v1/gap
post 200 '{"from_occupation":"mini-o02","target":"mini-o01"}' /api/v1/gap
expect_json "d['target']['uri'], d['readiness']" "${O}o01 0.0"
expect_json "sorted(s['label'] for s in d['skills'] if s['essential'])" \
  "['Python (computer programming)', 'debug software', 'use version control']"
same_as_cli "gap --from-occupation" sh gap --from-occupation mini-o02 --target mini-o01 --json
post 200 "{\"profile\":$(cat "$F/profile.json"),\"target\":\"mini-o04\"}" /api/v1/gap
same_as_cli "gap --profile" sh gap --profile "$F/profile.json" --target mini-o04 --json
expect_json "[s['credit_kind'] for s in d['skills'] if s['label'] == 'food hygiene']" "['related']"
printf 'I write Python code and debug software every day.' >"$WORK/cv.txt"
post 200 '{"cv":"I write Python code and debug software every day.","target":"mini-o01"}' /api/v1/gap
same_as_cli "gap --cv" sh gap --cv "$WORK/cv.txt" --target mini-o01 --json
expect_json "sorted(s['label'] for s in d['skills'] if s['credit'] == 1)" "['Python (computer programming)', 'debug software']"
post 400 '{"target":"mini-o01"}' /api/v1/gap; expect_problem 400 profile
post 400 '{"from_occupation":"mini-o02"}' /api/v1/gap; expect_problem 400 target
post 404 '{"from_occupation":"mini-o02","target":"nope"}' /api/v1/gap; expect_problem 404 target
post 404 '{"from_occupation":"mini-s01","target":"mini-o01"}' /api/v1/gap; expect_problem 404 from_occupation
post 400 '{"from_occupation":"mini-o02","target":"mini-o01","colour":1}' /api/v1/gap; expect_problem 400 colour
post 400 '{"profile":[],"target":"mini-o01"}' /api/v1/gap; expect_problem 400 profile
post 400 '{"profile":{"skills":[{"uri":"nope"}]},"target":"mini-o01"}' /api/v1/gap; expect_problem 400 profile
post 400 '{"cv":3,"target":"mini-o01"}' /api/v1/gap; expect_problem 400 cv
post 400 '{"from_occupation":"mini-o02","target":"mini-o01","lang":"xx"}' /api/v1/gap; expect_problem 400 lang
post 400 '{"from_occupation":' /api/v1/gap; expect_problem 400
expect_status 415 /api/v1/gap -X POST -H 'Content-Type: text/plain' --data 'x'

# --- POST /api/v1/plan: catalogue courses in prerequisite order; constraints
post 200 '{"from_occupation":"mini-o02","target":"mini-o01","language":"en"}' /api/v1/plan
expect_json "[s['id'] for s in d['plan']['steps']], d['plan']['optimal'], d['plan']['cost'], d['candidates']" \
  "['PWC-PY', 'PWC-DBG'] True 550.0 3"
same_as_cli "plan --language en" sh plan --from-occupation mini-o02 --target mini-o01 --language en --json
post 200 '{"from_occupation":"mini-o02","target":"mini-o01","mode":"onsite","region":"DE"}' /api/v1/plan
expect_json "[s['id'] for s in d['plan']['steps']]" "['PWC-BOOT']"
same_as_cli "plan --mode --region" sh plan --from-occupation mini-o02 --target mini-o01 --mode onsite --region DE --json
post 200 '{"from_occupation":"mini-o02","target":"mini-o01","budget":300,"language":"en"}' /api/v1/plan
expect_json "[s['id'] for s in d['plan']['steps']], sorted(s['label'] for s in d['plan']['uncoverable'])" "['PWC-PY'] ['debug software', 'use version control']"
same_as_cli "plan --budget" sh plan --from-occupation mini-o02 --target mini-o01 --budget 300 --language en --json
post 200 '{"from_occupation":"mini-o02","target":"mini-o01","mode":"onsite","to":"2027-05-01"}' /api/v1/plan
expect_json "d['plan']['steps'], len(d['plan']['uncoverable'])" "[] 3"
post 400 '{"from_occupation":"mini-o02","target":"mini-o01","budget":-1}' /api/v1/plan; expect_problem 400 budget
post 400 '{"from_occupation":"mini-o02","target":"mini-o01","from":"2027-13-01"}' /api/v1/plan; expect_problem 400 from
post 400 '{"from_occupation":"mini-o02","target":"mini-o01","mode":1}' /api/v1/plan; expect_problem 400 mode
post 400 '{"from_occupation":"mini-o02","target":"mini-o01","optional":"yes"}' /api/v1/plan; expect_problem 400 optional
post 404 '{"from_occupation":"mini-o02","target":"mini-s01"}' /api/v1/plan; expect_problem 404 target

# --- POST /api/v1/workforce: the body is the CLI's headcount file plus options
post 200 "$(cat "$F/workforce.json")" /api/v1/workforce
expect_json "d['moved'] > 0 and len(d['moves']) > 0" True
same_as_cli "workforce" sh workforce "$F/workforce.json" --json
post 400 '{"current":{},"target":[]}' /api/v1/workforce; expect_problem 400 current
post 400 '{"current":[],"target":[{"occupation":"mini-o01","people":-2}]}' /api/v1/workforce; expect_problem 400 target
post 404 '{"current":[{"occupation":"nope","people":1}],"target":[]}' /api/v1/workforce; expect_problem 404 current

# --- pages
expect_body() { grep -qF -- "$1" "$WORK/body" || fail "expected '$1' in the body of the last page: $(head -c 2000 "$WORK/body")"; }
expect_status 200 /pathways
expect_body '<label for="q">Your occupation</label>'
expect_body 'href="/pathways?lang=en">Pathways</a>'
expect_status 200 "/pathways?q=ICT+system+analyst"
expect_body 'Where can I go from <a href="/concept/mini-o02?lang=en">ICT system analyst</a>'
expect_body '/gap?from=mini-o02&amp;target=mini-o01&amp;lang=en'
expect_status 200 "/pathways?occupation=mini-o02"
expect_body '/gap?from=mini-o02&amp;target=mini-o01&amp;lang=en'
expect_body '<td>2 courses, 50 h, 550.00</td><td><a href="/gap?from=mini-o02&amp;target=mini-o01&amp;lang=en">'
expect_status 200 "/pathways?occupation=mini-o01"
expect_body '<td>0 courses, 0 h, 0.00 (2 skills without a course)</td>'
expect_body 'cook</a> <small>(sector: food-tech)</small></td>'
expect_status 200 "/pathways?q=zzzz"
expect_body 'No occupation found'
expect_status 404 "/pathways?occupation=mini-s01"
expect_status 200 /concept/mini-o02
expect_body 'href="/pathways?occupation=mini-o02&amp;lang=en">Where can I go from here?</a>'
expect_status 200 /gap
expect_body '<label for="cv">'
expect_status 200 "/gap?from=mini-o02&target=mini-o01&lang=en"
expect_body 'Readiness: <strong>0%</strong>'
expect_body '<a href="/concept/mini-s13?lang=en">use version control</a></td><td>yes</td>'
"$PY" - "$WORK/body" <<'PYEOF' || fail "/gap: the plan is not in prerequisite order"
import sys
t = open(sys.argv[1]).read()
py, dbg = t.find("Python for analysts"), t.find("Debugging and version control")
sys.exit(0 if 0 <= py < dbg else 1)
PYEOF
expect_status 200 /gap -X POST --data-urlencode 'cv=I write Python code and debug software every day.' --data 'target=software+developer'
expect_body 'Readiness: <strong>67%</strong>'
expect_status 404 "/gap?from=mini-o02&target=nope"
expect_status 200 /workforce
expect_body '<label for="current">Headcount now</label>'
expect_status 200 /workforce -X POST --data-urlencode $'current=mini-o02 10\nmini-o03 4' --data-urlencode $'target=mini-o01 12\nmini-o02 2'
expect_body '<a href="/concept/mini-o02?lang=en">ICT system analyst</a></td><td><a href="/concept/mini-o01?lang=en">software developer</a>'
expect_status 400 /workforce -X POST --data-urlencode 'current=mini-o02 ten' --data-urlencode 'target=mini-o01 1'
expect_status 404 /workforce -X POST --data-urlencode 'current=mini-s01 1' --data-urlencode 'target=mini-o01 1'

echo "pathways web: all checks passed"
