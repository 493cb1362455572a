#!/usr/bin/env bash
# The catalogue's provider and reviewer workflow over HTTP (docs/catalogue.md, "Over HTTP"): imports the
# catalogue fixture, creates one account per role with `skillhub accounts`, starts `skillhub serve --rules`
# and checks with curl a table of who may do what (anonymous 401, learner/analyst 403 on writes, provider A
# not on provider B's course, provider not approving), then the workflow: a course missing its EQF level
# is created with proposed skills, its findings name the rule, approval is refused (409) while the error
# stands, a reject comment reaches the provider, the fixed course is approved and found by
# /api/v1/courses?skill=, an edit sends it back to draft and out of the public catalogue; the audit trail
# names the logins.  Then the pages: sign-in, the dashboard of findings, the course form (CSRF missing ->
# 403, saved -> 303), the review queue and its Approve form.
{
set -euo pipefail
C="$FIXTURES/catalogue"
if [ ! -d "$C/esco/en" ]; then
  echo "skipped: $C/esco/en not found"; exit 77
fi
RULES="$(cd "$FIXTURES/../.." && pwd)/rules/quality-rules.json"
DB="$WORK/write.db"
S=http://data.europa.eu/esco/skill/cat-
PY=$(python3 -c 'import sys; print(sys.executable)')
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT

sh import esco --quiet "$C/esco/en" >/dev/null
sh courses import --no-propose "$C/courses.json" >/dev/null
declare -A TOKEN
add_account() { # login role [provider]
  echo "password of $1" | sh accounts add "$1" --role "$2" ${3:+--provider "$3"} >/dev/null 2>&1
  TOKEN[$1]=$(sh accounts token "$1" --label test)
}
add_account admin administrator
add_account provA provider de-battery-academy
add_account provB provider fr-cfa-auto-lyon
add_account rev reviewer
add_account ana analyst
add_account learn learner

# --rules must load: a missing file stops the server before it listens
rc=0; "$SKILLHUB" --db "$DB" serve --port 0 --rules "$WORK/none.json" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'none.json' "$WORK/err" || fail "serve --rules with a missing file: exit $rc, $(cat "$WORK/err")"

"$SKILLHUB" --db "$DB" serve --port 0 --rules "$RULES" 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/serve.log" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "server exited before listening"; }
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line"

# call WHO METHOD PATH [BODY]: WHO is a login (its Bearer token) or "anon"; sets STATUS, body in $WORK/body.
call() {
  local who=$1 method=$2 path=$3 body=${4-}
  local args=(-s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method")
  [ "$who" = anon ] || args+=(-H "Authorization: Bearer ${TOKEN[$who]}")
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data "$body")
  STATUS=$(curl "${args[@]}" "$BASE$path")
}
expect() { # STATUS WHO METHOD PATH [BODY]
  local want=$1; shift
  call "$@"
  [ "$STATUS" = "$want" ] || fail "$*: expected $want, got $STATUS: $(head -c 400 "$WORK/body")"
}
json() { "$PY" -S -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
expect_json() { local got; got=$(json "$1"); [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got' in $(head -c 400 "$WORK/body")"; }
sql() { "$PY" -S -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$DB" "$1"; }

# A course of provider A without its EQF level (an error of the rule set).  No skills are declared: the
# extractor proposes those its texts name (recycle batteries, operate battery management systems, ...).
COURSE='{"id": "WR-1", "provider": "de-battery-academy", "mode": "blended", "region": "DE91", "languages": ["en"],
  "hours": 50, "ects": 2, "cost": 500, "currency": "EUR", "start": "2027-03-01", "end": "2027-03-12",
  "url": "https://battery-academy.example/wr-1",
  "texts": {"en": {"title": "Second-life cells workshop", "description": "Recycle batteries and operate battery management systems."}},
  "outcomes": [{"lang": "en", "text": "Recycle batteries in a certified plant."},
               {"lang": "en", "text": "Operate battery management systems."},
               {"lang": "en", "text": "Apply health and safety standards when dismantling packs."}]}'
OTHER='{"id": "WR-2", "provider": "fr-cfa-auto-lyon", "texts": {"en": {"title": "Not yours"}}}'
WITH_EQF=$("$PY" -S -c "import json,sys; c=json.loads(sys.argv[1]); c['eqf']=4; print(json.dumps(c))" "$COURSE")

# --- create: only providers (for themselves) and administrators ----------------------------------
while read -r want who; do
  expect "$want" "$who" POST /api/v1/courses "$COURSE"
done <<'EOF'
401 anon
403 learn
403 ana
403 rev
403 provB
EOF
expect 403 provA POST /api/v1/courses "$OTHER"              # a body naming another provider
expect_json "d['type'], d.get('parameter')" "urn:skillhub:problem:forbidden provider"
expect 201 provA POST /api/v1/courses "$COURSE"
expect_json "d['course']['status'], d['course']['id']" "draft WR-1"
expect_json "d['errors'] > 0, 'required-fields' in [f['rule'] for f in d['findings'] if f['field'] == 'eqf']" "True True"
expect_json "sorted(s['uri'][-7:] for s in d['skills'] if s['origin'] == 'proposed')[:2]" "['cat-s06', 'cat-s07']"
expect 409 provA POST /api/v1/courses "$COURSE"            # the id exists
expect 422 provA POST /api/v1/courses '{"id": "WR-3", "eqf": "four", "texts": {"en": {"title": "T"}}}'
expect_json "any('field \"eqf\"' in p for p in d['problems'])" "True"
expect 201 admin POST /api/v1/courses "$OTHER"             # an administrator writes for any provider
[ "$(sql "SELECT count(*) FROM course WHERE ref = 'WR-3'")" = 0 ] || fail "a refused course was stored"

# --- who may act on provider A's course WR-1 -------------------------------------------------------
while read -r want who method path body; do
  expect "$want" "$who" "$method" "$path" "$body"
done <<EOF
401 anon  GET  /api/v1/courses/WR-1/findings
403 learn GET  /api/v1/courses/WR-1/findings
403 ana   GET  /api/v1/courses/WR-1/findings
403 provB GET  /api/v1/courses/WR-1/findings
200 provA GET  /api/v1/courses/WR-1/findings
200 rev   GET  /api/v1/courses/WR-1/findings
404 rev   GET  /api/v1/courses/NOPE/findings
401 anon  PUT  /api/v1/courses/WR-1 $WITH_EQF
403 learn PUT  /api/v1/courses/WR-1 $WITH_EQF
403 rev   PUT  /api/v1/courses/WR-1 $WITH_EQF
403 provB PUT  /api/v1/courses/WR-1 $WITH_EQF
404 provA PUT  /api/v1/courses/NOPE $WITH_EQF
400 provA PUT  /api/v1/courses/WR-1 {"id":"WR-2","texts":{"en":{"title":"T"}}}
401 anon  POST /api/v1/courses/WR-1/skills {"uri":"${S}s06","accept":true}
403 ana   POST /api/v1/courses/WR-1/skills {"uri":"${S}s06","accept":true}
403 provB POST /api/v1/courses/WR-1/skills {"uri":"${S}s06","accept":true}
400 provA POST /api/v1/courses/WR-1/skills {"uri":"${S}nope","accept":true}
400 provA POST /api/v1/courses/WR-1/skills {"uri":"${S}s06","accept":"yes"}
401 anon  POST /api/v1/courses/WR-1/submit
403 learn POST /api/v1/courses/WR-1/submit
403 rev   POST /api/v1/courses/WR-1/submit
403 provB POST /api/v1/courses/WR-1/submit
403 provA POST /api/v1/courses/WR-1/approve
403 provB POST /api/v1/courses/WR-1/approve
403 learn POST /api/v1/courses/WR-1/approve
401 anon  POST /api/v1/courses/WR-1/approve
403 provA POST /api/v1/courses/WR-1/reject
409 rev   POST /api/v1/courses/WR-1/approve
EOF
[ "$(sql "SELECT status FROM course WHERE ref = 'WR-1'")" = draft ] || fail "refused requests changed WR-1"

# --- the workflow ----------------------------------------------------------------------------------
for s in s06 s07 s09; do expect 200 provA POST /api/v1/courses/WR-1/skills "{\"uri\": \"$S$s\", \"accept\": true}"; done
expect_json "sorted(s['uri'][-3:] for s in d['skills'] if s['origin'] == 'accepted')" "['s06', 's07', 's09']"
expect 200 rev POST /api/v1/courses/WR-1/skills '{"uri": "cat-s04", "accept": false}'     # an id, by the reviewer
expect_json "[s['origin'] for s in d['skills'] if s['uri'].endswith('s04')]" "['rejected']"
expect 200 provA GET /api/v1/courses/WR-1/findings
expect_json "d['status'], [f['rule'] for f in d['findings'] if f['severity'] == 'error']" "draft ['required-fields']"
expect 200 provA POST /api/v1/courses/WR-1/submit
expect_json "d['id'], d['status']" "WR-1 submitted"
expect 409 provA POST /api/v1/courses/WR-1/submit           # not from submitted
expect 409 rev POST /api/v1/courses/WR-1/approve            # the EQF level is still missing
expect_json "d['type'], [(f['field'], f['rule']) for f in d['findings']]" \
  "urn:skillhub:problem:approval-blocked [('eqf', 'required-fields')]"
expect 200 rev GET '/api/v1/courses?status=submitted'
expect_json "[c['id'] for c in d['results']]" "['WR-1']"
expect 200 rev POST /api/v1/courses/WR-1/reject '{"comment": "Give the EQF level."}'
expect_json "d['status']" rejected
expect 400 rev POST /api/v1/courses/WR-1/reject '{"comment": 7}'
expect 200 provA PUT /api/v1/courses/WR-1 "$WITH_EQF"
expect_json "d['course']['status'], d['course']['eqf'], d['errors'], d['reopened']" "rejected 4 0 False"
expect 200 provA POST /api/v1/courses/WR-1/submit
expect 200 rev POST /api/v1/courses/WR-1/approve
expect_json "d['status']" approved
expect 200 anon GET "/api/v1/courses?skill=cat-s06"
expect_json "'WR-1' in [h['id'] for h in d['results']]" True
expect 200 anon GET /api/v1/courses/WR-1

# an edit of the approved course: back to draft, out of the public catalogue
CHANGED=$("$PY" -S -c "import json,sys; c=json.loads(sys.argv[1]); c['hours']=60; del c['provider']; print(json.dumps(c))" "$WITH_EQF")
expect 200 provA PUT /api/v1/courses/WR-1 "$CHANGED"
expect_json "d['course']['status'], d['course']['hours'], d['reopened']" "draft 60 True"
expect 404 anon GET /api/v1/courses/WR-1
expect 200 anon GET "/api/v1/courses?skill=cat-s06"
expect_json "'WR-1' in [h['id'] for h in d['results']]" False

# the audit trail names the logins
[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'course:WR-1' AND who = 'rev' AND field = 'status' AND new = 'approved'")" = 1 ] ||
  fail "no audit row of rev approving WR-1"
[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'course:WR-1' AND who = 'provA' AND field = 'hours' AND new = '60'")" = 1 ] ||
  fail "no audit row of provA changing the hours"
[ "$(sql "SELECT new FROM audit WHERE entity = 'course:WR-1' AND field = 'review_comment'")" = "Give the EQF level." ] ||
  fail "the reject comment is not in the audit trail"

# --- lists by status -------------------------------------------------------------------------------
expect 401 anon GET '/api/v1/courses?status=draft'
expect 403 learn GET '/api/v1/courses?status=draft'
expect 200 provB GET '/api/v1/courses?status=any'
expect_json "sorted({c['provider'] for c in d['results']})" "['fr-cfa-auto-lyon']"
expect 200 admin GET '/api/v1/courses?status=draft'
expect_json "'WR-1' in [c['id'] for c in d['results']] and 'WR-2' in [c['id'] for c in d['results']]" True
expect 400 rev GET '/api/v1/courses?status=lost'
expect 400 rev GET '/api/v1/courses?status=any&q=battery'

# --- providers -------------------------------------------------------------------------------------
PROV='{"name": "Battery Academy Salzgitter GmbH", "country": "DE", "type": "company_academy"}'
expect 401 anon PUT /api/v1/providers/de-battery-academy "$PROV"
expect 403 provB PUT /api/v1/providers/de-battery-academy "$PROV"
expect 403 rev PUT /api/v1/providers/de-battery-academy "$PROV"
expect 422 provA PUT /api/v1/providers/de-battery-academy '{"name": "X", "country": "DE", "type": "castle"}'
expect 200 provA PUT /api/v1/providers/de-battery-academy "$PROV"
expect_json "d['name']" "Battery Academy Salzgitter GmbH"
expect 200 admin PUT /api/v1/providers/new-provider '{"name": "New", "country": "AT", "type": "vet"}'
[ "$(sql "SELECT who FROM audit WHERE entity = 'provider:de-battery-academy' AND field = 'name'")" = provA ] ||
  fail "the provider change is not audited as provA"

# --- pages: sign in, dashboard, form with CSRF, review queue ------------------------------------------
login() { # LOGIN -> the session cookie
  curl -s -o /dev/null -D - --data-urlencode "login=$1" --data-urlencode "password=password of $1" "$BASE/login" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-skillhub=[^;]*\);.*/\1/p'
}
page() { # COOKIE METHOD PATH [curl args...]: sets STATUS, body in $WORK/body
  local cookie=$1 method=$2 path=$3; shift 3
  STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" -H "Cookie: $cookie" "$@" "$BASE$path")
}
expect_body() { grep -qF -- "$1" "$WORK/body" || fail "expected '$1' in $(head -c 600 "$WORK/body")"; }
csrf_of() { grep -o 'name="csrf" value="[^"]*"' "$WORK/body" | head -n 1 | sed 's/.*value="//; s/"$//'; }

CA=$(login provA)
[ -n "$CA" ] || fail "provA could not sign in"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/my/courses")
[ "$STATUS" = 303 ] || fail "/my/courses anonymous: expected 303 to /login, got $STATUS"
page "$CA" GET /my/courses
[ "$STATUS" = 200 ] || fail "/my/courses: $STATUS"
expect_body 'Second-life cells workshop'
expect_body 'class="status draft"'
expect_body 'Submit for review'
page "$CA" GET /my/courses/new
[ "$STATUS" = 200 ] || fail "/my/courses/new: $STATUS"
CSRF=$(csrf_of)
[ -n "$CSRF" ] || fail "no csrf field on /my/courses/new"
FORM=(--data-urlencode id=WR-9 --data-urlencode 'title=Battery <b>pack</b> repair' --data-urlencode text_lang=en
      --data-urlencode 'outcomes=Repair battery packs.' --data-urlencode mode=onsite --data-urlencode hours=24)
page "$CA" POST /my/courses/new "${FORM[@]}"
[ "$STATUS" = 403 ] || fail "form without csrf: expected 403, got $STATUS"
page "$CA" POST /my/courses/new "${FORM[@]}" --data-urlencode "csrf=wrong$CSRF"
[ "$STATUS" = 403 ] || fail "form with a wrong csrf: expected 403, got $STATUS"
[ "$(sql "SELECT count(*) FROM course WHERE ref = 'WR-9'")" = 0 ] || fail "a form refused for its CSRF token stored the course"
page "$CA" POST /my/courses/new "${FORM[@]}" --data-urlencode hours=many --data-urlencode "csrf=$CSRF"
[ "$STATUS" = 400 ] || fail "a field given twice: expected 400, got $STATUS"
page "$CA" POST /my/courses/new --data-urlencode id=WR-9 --data-urlencode title=T --data-urlencode hours=many \
  --data-urlencode "csrf=$CSRF"
[ "$STATUS" = 422 ] || fail "a bad number: expected the form again (422), got $STATUS"
expect_body 'field &quot;hours&quot;'
page "$CA" POST /my/courses/new "${FORM[@]}" --data-urlencode "csrf=$CSRF"
[ "$STATUS" = 303 ] || fail "saving the form: expected 303, got $STATUS: $(head -c 300 "$WORK/body")"
grep -qi '^location: /my/courses/WR-9/edit?text_lang=en' "$WORK/headers" || fail "expected Location /my/courses/WR-9/edit?text_lang=en: $(cat "$WORK/headers")"
[ "$(sql "SELECT count(*) FROM audit WHERE entity = 'course:WR-9' AND who = 'provA'")" -ge 1 ] || fail "form save not audited"
page "$CA" GET /my/courses/WR-9/edit
expect_body 'Battery &lt;b&gt;pack&lt;/b&gt; repair'      # escaped, in the form's value
expect_body 'Quality findings'
page "$CA" GET /my/courses/WR-2/edit
[ "$STATUS" = 403 ] || fail "provider A editing B's course page: expected 403, got $STATUS"
page "$CA" POST /my/courses/WR-9/submit --data-urlencode "csrf=$CSRF"
[ "$STATUS" = 303 ] || fail "submit form: expected 303, got $STATUS"
page "$CA" POST /api/v1/courses/WR-9/submit           # a cookie without X-CSRF-Token is anonymous on the API
[ "$STATUS" = 401 ] || fail "API write with a cookie and no X-CSRF-Token: expected 401, got $STATUS"

CR=$(login rev)
page "$CR" GET /review
[ "$STATUS" = 200 ] || fail "/review: $STATUS"
expect_body 'Battery &lt;b&gt;pack&lt;/b&gt; repair'
RCSRF=$(csrf_of)
page "$CA" GET /review
[ "$STATUS" = 403 ] || fail "/review as a provider: expected 403, got $STATUS"
page "$CR" POST /review/WR-9/approve
[ "$STATUS" = 403 ] || fail "approve form without csrf: expected 403, got $STATUS"
page "$CR" POST /review/WR-9/approve --data-urlencode "csrf=$RCSRF"
[ "$STATUS" = 409 ] || fail "approving WR-9 (errors stand): expected 409, got $STATUS"
page "$CR" POST /review/WR-9/reject --data-urlencode "csrf=$RCSRF" --data-urlencode 'comment=Too short.'
[ "$STATUS" = 303 ] || fail "reject form: expected 303, got $STATUS"
[ "$(sql "SELECT status FROM course WHERE ref = 'WR-9'")" = rejected ] || fail "WR-9 not rejected"
page "$CA" GET /my/courses
expect_body 'comment: Too short.'

kill -TERM "$PID"
wait "$PID" || fail "server exited with $? after SIGTERM"
PID=
echo "courses write: permissions, workflow, pages and CSRF as documented"
}
