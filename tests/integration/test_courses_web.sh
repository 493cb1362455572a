#!/usr/bin/env bash
# The training catalogue over HTTP: imports the catalogue fixture (ESCO package and courses.json),
# approves some courses with the CLI, starts `skillhub serve --port 0` and checks with curl
# /api/v1/courses (the same hits as `courses search --json`, every filter, offset, every error
# path), /api/v1/courses/{id} (= `courses export`, JSON and ELM), /api/v1/providers[/{id}],
# that draft courses are never served, a course approved while the server runs is served at
# once, the pages /courses, /course/{id}, /provider/{id}, the skill page's course list, the
# menu link, HTML escaping; then a clean exit on SIGTERM.
{
set -euo pipefail
C="$FIXTURES/catalogue"
if [ ! -d "$C/esco/en" ]; then
  echo "skipped: $C/esco/en not found"; exit 77
fi
export SKILLHUB_RULES
SKILLHUB_RULES="$(cd "$FIXTURES/../.." && pwd)/rules/quality-rules.json"
DB="$WORK/courses.db"
S=http://data.europa.eu/esco/skill/cat-
PY=$(python3 -c 'import sys; print(sys.executable)')
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT

sh import esco --quiet "$C/esco/en" >/dev/null
sh courses import "$C/courses.json" >/dev/null
APPROVED="BAT-100 BAT-101 BAT-102 EV-201 PWR-301 PWR-302"
for c in $APPROVED SE-501; do sh courses submit "$c" >/dev/null; done
for c in $APPROVED; do sh courses approve "$c" >/dev/null; done
# BAT-103 stays a draft, SE-501 submitted (approved later, while the server runs).

"$SKILLHUB" --db "$DB" serve --port 0 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/serve.log" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "server exited before listening"; }
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line"

fetch() { local path=$1; shift; STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$BASE$path"); }
expect_status() { local want=$1; shift; fetch "$@"; [ "$STATUS" = "$want" ] || fail "$1: expected $want, got $STATUS: $(head -c 300 "$WORK/body")"; }
json() { "$PY" -S -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
expect_json() { local got; got=$(json "$1"); [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got' in $(head -c 300 "$WORK/body")"; }
expect_header() { grep -qiE "^$1: $2" "$WORK/headers" || fail "expected header '$1: $2', got: $(tr -d '\r' < "$WORK/headers")"; }
expect_body() { grep -qF -- "$1" "$WORK/body" || fail "expected '$1' in the body of the last response: $(head -c 400 "$WORK/body")"; }
expect_not_body() { ! grep -qF -- "$1" "$WORK/body" || fail "did not expect '$1' in the body of the last response"; }
ids() { json "' '.join(h['id'] for h in d['results'])"; }
cli_ids() { sh courses search --json "$@" | "$PY" -S -c "import json,sys; print(' '.join(h['id'] for h in json.load(sys.stdin)))"; }
# same_as_cli QUERY CLI-ARGS...: the API's hits are the CLI's hits, in order, and not empty.
same_as_cli() {
  local query=$1; shift
  expect_status 200 "/api/v1/courses?$query"
  expect_header Content-Type 'application/json'
  local got want; got=$(ids); want=$(cli_ids "$@")
  [ -n "$want" ] || fail "CLI search $* found nothing: the comparison would prove nothing"
  [ "$got" = "$want" ] || fail "/api/v1/courses?$query: expected the CLI's '$want', got '$got'"
  got=$(json "json.dumps(d['results'], sort_keys=True)")
  want=$(sh courses search --json "$@" | "$PY" -S -c "import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))")
  [ "$got" = "$want" ] || fail "/api/v1/courses?$query: hits differ from the CLI's"
}
expect_problem() { # status parameter path
  expect_status "$1" "$3"
  expect_header Content-Type 'application/problem\+json'
  expect_json "d['status'], d.get('parameter')" "$1 $2"
}

# --- search: the CLI's hits, every filter ------------------------------------------------
same_as_cli "limit=100" --limit 100
expect_json "sorted(h['id'] for h in d['results'])" "$("$PY" -S -c "print(sorted('$APPROVED'.split()))")"
same_as_cli "q=battery+cells" battery cells
same_as_cli "skill=cat-s04" --skill "${S}s04"
same_as_cli "skill=${S//:/%3A}s13" --skill "${S}s13"
same_as_cli "occupation=cat-o01" --occupation http://data.europa.eu/esco/occupation/cat-o01
same_as_cli "region=DE" --region DE
expect_json "{h['region'] for h in d['results']}" "{'DE91'}"
same_as_cli "lang=en" --lang en
# lang filters the teaching language: German courses are found although the taxonomy has English labels only
same_as_cli "lang=de" --lang de
expect_json "len(d['results']) > 0" "True"
same_as_cli "mode=online" --mode online
expect_json "{h['mode'] for h in d['results']}" "{'online'}"
same_as_cli "eqf=4" --eqf 4
same_as_cli "max_cost=500" --max-cost 500
expect_json "all(h['cost'] <= 500 for h in d['results'])" "True"
same_as_cli "from=2027-02-01&to=2027-03-31" --from 2027-02-01 --to 2027-03-31
same_as_cli "q=battery&mode=blended&region=DE9" battery --mode blended --region DE9
all=$(cli_ids --limit 100)
expect_status 200 "/api/v1/courses?limit=2&offset=1"
expect_json "d['offset'], d['limit'], ' '.join(h['id'] for h in d['results'])" "1 2 $(echo "$all" | cut -d' ' -f2-3)"
expect_header Cache-Control 'no-store'

expect_problem 400 eqf "/api/v1/courses?eqf=9"
expect_problem 400 eqf "/api/v1/courses?eqf=four"
expect_problem 400 mode "/api/v1/courses?mode=boat"
expect_problem 400 from "/api/v1/courses?from=2027-13-01"
expect_problem 400 to "/api/v1/courses?to=tomorrow"
expect_problem 400 max_cost "/api/v1/courses?max_cost=-5"
expect_problem 400 skill "/api/v1/courses?skill=nope"
expect_problem 400 occupation "/api/v1/courses?occupation=cat-s04"
expect_problem 400 region "/api/v1/courses?region=DE-9"
expect_problem 400 q "/api/v1/courses?q=%21%21%21"
expect_problem 400 limit "/api/v1/courses?limit=0"
expect_problem 400 offset "/api/v1/courses?offset=1001"
expect_problem 400 foo "/api/v1/courses?foo=1"

# --- one course: the export, JSON and ELM; drafts are not served ---------------------------
expect_status 200 /api/v1/courses/BAT-101
expect_header Content-Type 'application/json'
got=$(json "json.dumps(d, sort_keys=True)")
want=$(sh courses export BAT-101 | "$PY" -S -c "import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))")
[ "$got" = "$want" ] || fail "/api/v1/courses/BAT-101 differs from 'courses export BAT-101'"
expect_json "d['courses'][0]['id'], d['courses'][0]['status'], [p['id'] for p in d['providers']]" \
            "BAT-101 approved ['de-battery-academy']"
expect_status 200 "/api/v1/courses/BAT-101?format=elm"
expect_header Content-Type 'application/ld\+json'
got=$(json "json.dumps(d, sort_keys=True)")
want=$(sh courses export --format elm BAT-101 | "$PY" -S -c "import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))")
[ "$got" = "$want" ] || fail "ELM of BAT-101 differs from 'courses export --format elm BAT-101'"
expect_json "d['id'], d['type']" "urn:skillhub:course:BAT-101 LearningOpportunity"
expect_problem 400 format "/api/v1/courses/BAT-101?format=xml"
expect_problem 404 None /api/v1/courses/BAT-103
expect_problem 404 None /api/v1/courses/SE-501
expect_problem 404 None /api/v1/courses/NOPE
expect_status 200 "/api/v1/courses?limit=100&q=battery"
expect_not_body BAT-103

# --- providers ------------------------------------------------------------------------------
expect_status 200 /api/v1/providers
expect_json "len(d['results']), any('courses' in p for p in d['results'])" "5 False"
expect_json "[p['approved'] for p in d['results'] if p['id'] == 'de-battery-academy']" "[3]"
expect_status 200 /api/v1/providers/de-battery-academy
expect_json "d['name'], [c['id'] for c in d['courses']]" "Battery Academy Salzgitter ['BAT-100', 'BAT-101', 'BAT-102']"
expect_problem 404 None /api/v1/providers/nope

# --- a course approved while the server runs is served at once -----------------------------
sh courses approve SE-501 >/dev/null
expect_status 200 /api/v1/courses/SE-501
expect_status 200 "/api/v1/courses?region=SE"
expect_json "[h['id'] for h in d['results']]" "['SE-501']"

# --- pages ------------------------------------------------------------------------------------
html_checks() { # one main, one h1, the menu link, no unescaped markup from the data
  expect_header Content-Type 'text/html'
  [ "$(grep -o '<main' "$WORK/body" | wc -l)" = 1 ] || fail "$1: expected one <main>"
  [ "$(grep -o '<h1' "$WORK/body" | wc -l)" = 1 ] || fail "$1: expected one <h1>"
  expect_body '<a href="/courses?lang=en">Courses</a>'
  expect_not_body '<b>x</b>'
}
# markup in a title must arrive escaped
sqlite3 "$DB" "UPDATE course_text SET title = title || ' <b>x</b>' WHERE lang = 'en'
               AND course = (SELECT id FROM course WHERE ref = 'BAT-102')"
expect_status 200 /courses
html_checks /courses
expect_body '<form class="search" role="search" method="get" action="/courses">'
expect_body '<label for="q">Skill</label>'
expect_body '<label for="course-q">Words</label>'
expect_body '<label for="teaching">Language</label>'
expect_body 'href="/course/BAT-101?lang=en">Battery cell testing fundamentals</a>'
expect_body 'High voltage safety for battery production &lt;b&gt;x&lt;/b&gt;'
expect_not_body 'BAT-103'
expect_status 200 "/courses?mode=online&eqf=7"
expect_body '/course/PWR-301?'
expect_not_body '/course/BAT-101?'
expect_status 200 "/courses?skill=test+battery+cells"
expect_body 'Courses teaching <a href="/concept/cat-s03?lang=en">test battery cells</a>'
expect_body '/course/BAT-101?'
expect_not_body '/course/EV-201?'
expect_status 200 "/courses?teaching=pl"
expect_body '/course/PWR-301?'
expect_not_body '/course/BAT-101?'
expect_status 400 "/courses?eqf=9"
expect_header Content-Type 'text/html'
expect_body 'eqf'

expect_status 200 /course/BAT-101
html_checks /course/BAT-101
expect_body '<h1>Battery cell testing fundamentals</h1>'
expect_body 'Offered by <a href="/provider/de-battery-academy?lang=en">Battery Academy Salzgitter</a>'
for s in '<dt>Mode</dt><dd>blended</dd>' '<dt>EQF level</dt><dd>4</dd>' '<dt>Cost</dt><dd>950.00 EUR</dd>' \
         '<dt>Dates</dt><dd>2027-02-01 to ' '<dt>Languages</dt><dd>de, en</dd>' '<dt>Hours</dt>' \
         'A module of <a href="/course/BAT-100?lang=en">Battery production technician programme</a>' 'Skills taught' \
         '<a href="/concept/cat-s03?lang=en">test battery cells</a>' 'Learning outcomes' 'Prerequisites' \
         'Skill: <a href="/concept/cat-s04?lang=en">work safely with high voltage systems</a>' \
         'href="/api/v1/courses/BAT-101?format=elm"'; do
  expect_body "$s"
done
outcome=$(sh courses export BAT-101 | "$PY" -S -c "import json,sys; print([o['text'] for o in json.load(sys.stdin)['courses'][0]['outcomes'] if o['lang'] == 'en'][0])")
expect_body "$outcome"
expect_status 200 /course/BAT-100
expect_body 'Modules'
expect_body '/course/BAT-101?'
expect_not_body '/course/BAT-103?'
expect_status 404 /course/BAT-103
expect_header Content-Type 'text/html'
expect_status 404 /course/nope

expect_status 200 /provider/de-battery-academy
html_checks /provider/de-battery-academy
expect_body '<h1>Battery Academy Salzgitter</h1>'
expect_body '<dt>Country</dt><dd>DE</dd>'
expect_body '/course/BAT-102?'
expect_not_body '/course/BAT-103?'
expect_status 404 /provider/nope

expect_status 200 /concept/cat-s03
html_checks /concept/cat-s03
expect_body 'Courses teaching this skill'
expect_body '/course/BAT-101?'
expect_body 'href="/courses?skill=cat-s03&amp;lang=en"'
expect_status 200 /concept/cat-o01
expect_not_body 'Courses teaching this skill'
expect_status 200 /
expect_body '<a href="/courses?lang=en">Courses</a>'

# --- shutdown -------------------------------------------------------------------------------
kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
PID=
[ "$rc" = 0 ] || fail "serve exited $rc after SIGTERM: $(tail -n 5 "$WORK/serve.log")"
echo "ok"
exit 0
}
