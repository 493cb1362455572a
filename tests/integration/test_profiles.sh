#!/usr/bin/env bash
# Stored skill profiles over HTTP (issue 7): GET/PUT/DELETE /api/v1/me/profile with API tokens,
# the /my/profile, /my/pathways and /my/plan pages with a browser session (CSRF-checked forms, 303
# after each action), "stored_profile" on POST /api/v1/gap and /plan, isolation between accounts,
# anonymous access (401 on the API, a redirect to /login on the pages), erasure and the cascade
# when an account is deleted.  Data: the esco-mini fixture and tests/fixtures/pathways/catalogue.json.
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ]; then
  echo "skipped: $FIXTURES/esco-mini not found"; exit 77
fi
command -v curl >/dev/null || { echo "skipped: curl not installed"; exit 77; }
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 not installed"; exit 77; }
PY=$(command -v python3) || { echo "skipped: python3 not installed"; exit 77; }
DB="$WORK/profiles.db"
F="$FIXTURES/pathways"
O=http://data.europa.eu/esco/occupation/mini-
S=http://data.europa.eu/esco/skill/mini-
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

sh import esco --quiet "$FIXTURES/esco-mini/en" >/dev/null
sh courses import "$F/catalogue.json" >/dev/null
for c in PWC-PY PWC-DBG PWC-BOOT; do
  sh courses submit "$c" --rules "$FIXTURES/../../rules/quality-rules.json" >/dev/null
  sh courses approve "$c" --rules "$FIXTURES/../../rules/quality-rules.json" >/dev/null
done
echo 'ann password 1' | sh accounts add ann --role learner >/dev/null
echo 'bob password 1' | sh accounts add bob --role learner >/dev/null
ANN=$(sh accounts token ann --label test)
BOB=$(sh accounts token bob --label test)

PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT
"$SKILLHUB" --db "$DB" serve --port 0 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/serve.log" && break
  kill -0 "$PID" 2>/dev/null || fail "server exited: $(cat "$WORK/serve.log")"
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line"

# fetch PATH [CURL ARGS]: body -> $WORK/body, headers -> $WORK/headers, status -> $STATUS
fetch() { local path=$1; shift; STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$BASE$path"); }
expect_status() { local want=$1; shift; fetch "$@"
  [ "$STATUS" = "$want" ] || fail "$* : expected status $want, got $STATUS: $(head -c 300 "$WORK/body")"; }
json() { "$PY" -S -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
expect_json() { local got; got=$(json "$1"); [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got' in $(head -c 300 "$WORK/body")"; }
expect_body() { grep -qF -- "$1" "$WORK/body" || fail "expected '$1' in: $(head -c 600 "$WORK/body")"; }
expect_no_body() { ! grep -qF -- "$1" "$WORK/body" || fail "did not expect '$1' in: $(head -c 600 "$WORK/body")"; }
location() { tr -d '\r' <"$WORK/headers" | sed -n 's/^Location: //p'; }
api() { local want=$1 token=$2 method=$3 path=$4; shift 4
  expect_status "$want" "$path" -X "$method" -H "Authorization: Bearer $token" "$@"; }
rows() { sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM profile_skill ps JOIN account a ON a.id = ps.account WHERE a.login = '$1')
                         + (SELECT COUNT(*) FROM profile p JOIN account a ON a.id = p.account WHERE a.login = '$1')"; }

# --- API: anonymous, empty, replace, export, errors
expect_status 401 /api/v1/me/profile
expect_json "d['type']" "urn:skillhub:problem:unauthenticated"
expect_status 401 /api/v1/me/profile -X PUT -H 'Content-Type: application/json' --data '{}'
expect_status 401 /api/v1/me/profile -X DELETE
api 200 "$ANN" GET /api/v1/me/profile
expect_eq "empty profile" "$(cat "$WORK/body")" '{"skills":[]}'

DOC='{"skills": [{"uri": "'$S's01", "level": 0.8, "source": "assessed"}, {"uri": "mini-s11", "level": 0.5}],
      "occupations": [{"uri": "'$O'o04"}],
      "target": "'$O'o01", "preferences": {"language": "en", "region": "DE", "budget": 400}}'
api 200 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: application/json' --data "$DOC"
cp "$WORK/body" "$WORK/put.json"
expect_json "sorted((s['uri'][-3:], s['level'], s['source']) for s in d['skills'])" \
  "[('s01', 0.8, 'assessed'), ('s09', 1.0, 'occupation'), ('s10', 1.0, 'occupation'), ('s11', 1.0, 'occupation')]"  # the cook's s11 beats 0.5
expect_json "d['target'], d['preferences']" "${O}o01 {'language': 'en', 'region': 'DE', 'budget': 400.0}"
api 200 "$ANN" GET /api/v1/me/profile
cmp -s "$WORK/body" "$WORK/put.json" || fail "GET after PUT differs from the PUT answer"
expect_eq "rows stored" "$(rows ann)" 5

# The export goes back in unchanged: same document, same "added" times.
api 200 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: application/json' --data-binary @"$WORK/put.json"
cmp -s "$WORK/body" "$WORK/put.json" || fail "export -> import -> export differs"

# Bad documents change nothing.
for bad in '{"skills": [{"uri": "'$O'o01"}]}' '{"skills": [{"uri": "'$S's01", "level": 3}]}' \
           '{"target": "'$S's01"}' '{"preferences": {"budget": -1}}' '{"skills": "x"}'; do
  api 400 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: application/json' --data "$bad"
  expect_json "d['type']" "urn:skillhub:problem:invalid-member"
done
api 400 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: application/json' --data '{"colour": 1}'
expect_json "d['type'], d['parameter']" "urn:skillhub:problem:unknown-member colour"
api 400 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: application/json' --data '{"skills": ['
api 415 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: text/plain' --data '{}'
api 200 "$ANN" GET /api/v1/me/profile
cmp -s "$WORK/body" "$WORK/put.json" || fail "a refused PUT changed the profile"

# Another account sees only its own (empty) profile.
api 200 "$BOB" GET /api/v1/me/profile
expect_eq "bob's profile" "$(cat "$WORK/body")" '{"skills":[]}'

# --- stored_profile on /gap and /plan: the same answer as sending the exported document
api 200 "$ANN" POST /api/v1/gap -H 'Content-Type: application/json' --data '{"stored_profile": true}'
cp "$WORK/body" "$WORK/gap-stored.json"
expect_json "d['target']['uri']" "${O}o01"
api 200 "$ANN" POST /api/v1/gap -H 'Content-Type: application/json' \
  --data "{\"profile\": $(cat "$WORK/put.json"), \"target\": \"${O}o01\"}"
cmp -s "$WORK/body" "$WORK/gap-stored.json" || fail "gap from the stored profile differs from the document's"
# The stored preferences apply (budget 400: PWC-DBG, which needs PWC-PY, does not fit) unless the body says otherwise.
api 200 "$ANN" POST /api/v1/plan -H 'Content-Type: application/json' --data '{"stored_profile": true}'
expect_json "[s['id'] for s in d['plan']['steps']], len(d['plan']['uncoverable'])" "['PWC-PY'] 2"
api 200 "$ANN" POST /api/v1/plan -H 'Content-Type: application/json' --data '{"stored_profile": true, "budget": 1000}'
expect_json "[s['id'] for s in d['plan']['steps']]" "['PWC-PY', 'PWC-DBG']"
api 200 "$ANN" POST /api/v1/plan -H 'Content-Type: application/json' --data '{"stored_profile": true, "budget": 100}'
expect_json "d['plan']['steps']" "[]"
expect_status 401 /api/v1/gap -X POST -H 'Content-Type: application/json' --data '{"stored_profile": true}'
api 400 "$BOB" POST /api/v1/gap -H 'Content-Type: application/json' --data '{"stored_profile": true}'
expect_json "d['parameter']" "target"
api 400 "$BOB" POST /api/v1/gap -H 'Content-Type: application/json' --data '{"stored_profile": 1, "target": "mini-o01"}'
expect_json "d['parameter']" "stored_profile"

# --- pages: anonymous visitors are sent to /login
for page in /my/profile /my/pathways /my/plan; do
  expect_status 303 "$page"
  expect_eq "$page redirect" "$(location)" "/login?next=$("$PY" -S -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$page")"
done
expect_status 401 /my/profile -X POST --data 'action=erase&confirm=yes'
expect_status 200 /gap -X POST --data "from=mini-o02&target=mini-o01"   # the stateless page stays open

# Sign in as bob (session cookie) and read the CSRF token of his pages.
fetch /login -X POST --data-urlencode login=bob --data-urlencode 'password=bob password 1'
[ "$STATUS" = 303 ] || fail "sign-in: expected 303, got $STATUS"
COOKIE=$(tr -d '\r' <"$WORK/headers" | sed -n 's/^Set-Cookie: \(__Host-skillhub=[^;]*\);.*/\1/p')
[ -n "$COOKIE" ] || fail "no session cookie"
page() { local want=$1 path=$2; shift 2; expect_status "$want" "$path" -H "Cookie: $COOKIE" "$@"; }
page 200 /my/profile
expect_body '<h2>My skills (0)</h2>'
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/body" | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$CSRF" ] || fail "no CSRF token on /my/profile"
form() { local want=$1; shift; page "$want" /my/profile -X POST --data-urlencode "csrf=$CSRF" "$@"; }

# Search a skill and add it at a level; forms without the token are refused.
page 200 '/my/profile?q=debug&level=0.5'
expect_body 'value="mini-s04"'
expect_body '<input type="hidden" name="level" value="0.5">'
page 403 /my/profile -X POST --data 'action=add&skill=mini-s04'
form 303 --data 'action=add&skill=mini-s04&level=0.5&source=declared'
expect_eq "after add" "$(location)" "/my/profile?lang=en"
form 400 --data 'action=add&skill=mini-o01'
form 400 --data 'action=add&skill=mini-s04&level=2'
form 400 --data 'action=nonsense'

# Paste a CV: the preview lists the skills found (nothing stored yet), then "add all".
form 200 --data-urlencode 'action=cv' --data-urlencode 'cv=I use version control and JavaScript every day. I debug software.'
expect_body '<h2>Skills found in my CV (3)</h2>'
expect_body 'debug software</a> (in my profile)'
ALL=$(grep -o 'name="skills" value="[^"]*"' "$WORK/body" | sed 's/.*value="//;s/"$//')
expect_eq "skills to add from the CV" "$ALL" "mini-s02 mini-s13"
expect_eq "preview stores nothing" "$(rows bob)" 1
form 303 --data-urlencode action=add --data-urlencode "skills=$ALL" --data-urlencode source=cv
page 200 /my/profile
expect_body '<h2>My skills (3)</h2>'
expect_body '<td>50%</td><td>declared</td>'
expect_body '<td>100%</td><td>cv</td>'

# Where can I go: ranked occupations with "aim at it"; then the target and my plan.
page 200 /my/pathways
expect_body '<a href="/concept/mini-o01?lang=en">software developer</a>'
expect_body 'name="action" value="target"'
form 404 --data 'action=target&target=no such occupation at all'
form 303 --data 'action=target&target=mini-o01&language=en&region=DE&budget='
page 200 /my/plan
expect_body 'Gap to <a href="/concept/mini-o01?lang=en">software developer</a>'
expect_body 'Python for analysts'
expect_body 'no budget limit'
form 303 --data 'action=target&target=mini-o01&budget=50'
page 200 /my/plan
expect_no_body 'Python for analysts'
page 200 '/my/plan?target=mini-o02'
expect_body 'Gap to <a href="/concept/mini-o02?lang=en">ICT system analyst</a>'

# The page's export link is the API, with the cookie; remove, then erase.
page 200 /api/v1/me/profile
expect_json "sorted(s['uri'][-3:] for s in d['skills']), d['target'], d['preferences']" \
  "['s02', 's04', 's13'] ${O}o01 {'language': 'en', 'region': 'DE', 'budget': 50.0}"
form 303 --data 'action=remove&skill=mini-s02'
expect_eq "after remove" "$(rows bob)" 3
form 400 --data 'action=erase'
expect_eq "erase needs the box ticked" "$(rows bob)" 3
form 303 --data 'action=erase&confirm=yes'
expect_eq "bob's rows after erase" "$(rows bob)" 0
page 200 /api/v1/me/profile
expect_eq "bob after erase" "$(cat "$WORK/body")" '{"skills":[]}'
expect_eq "ann untouched by bob" "$(rows ann)" 5
# A cookie alone does not authenticate a JSON write: the header X-CSRF-Token is needed.
page 401 /api/v1/me/profile -X DELETE
expect_eq "ann untouched" "$(rows ann)" 5

# --- DELETE with a token; deleting an account deletes its profile
api 204 "$ANN" DELETE /api/v1/me/profile
expect_eq "ann after DELETE" "$(rows ann)" 0
api 200 "$ANN" PUT /api/v1/me/profile -H 'Content-Type: application/json' --data "$DOC"
expect_eq "ann again" "$(rows ann)" 5
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
sh accounts delete ann >/dev/null
expect_eq "rows after the account is deleted" \
  "$(sqlite3 "$DB" 'SELECT (SELECT COUNT(*) FROM profile_skill) + (SELECT COUNT(*) FROM profile)')" 0
echo "ok"
