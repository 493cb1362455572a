#!/usr/bin/env bash
# skillhub serve end to end: imports the esco-mini fixture (plus a label with
# markup, to check HTML escaping), starts the server on a free port and checks
# with curl every route, every error path, caching, CORS, the web pages, the
# pick-up of a rebuilt index and a clean shutdown on SIGTERM.
set -euo pipefail

DB="$WORK/server.db"
"$SKILLHUB" --db "$DB" import esco --version 1.1.1 --quiet "$FIXTURES/esco-mini/en" "$FIXTURES/esco-mini/fr"
# A label with markup and quotes: every page must show it escaped.
XSS='<script>alert(1)</script> & "q"'
sqlite3 "$DB" "UPDATE label SET text = '$XSS' WHERE kind = 'preferred' AND lang = 'en'
               AND concept = (SELECT id FROM concept WHERE uri LIKE '%/mini-s13');
               UPDATE meta SET value = value + 1 WHERE key = 'taxonomy_generation';"

# The interpreter itself, not a version-manager shim that costs seconds per call.
PY=$(python3 -c 'import sys; print(sys.executable)')
fail() { echo "FAIL: $*" >&2; exit 1; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_server LOG ARGS... : starts `serve --port 0`, sets PID and BASE.
start_server() {
  local log=$1; shift
  "$SKILLHUB" --db "$DB" serve --port 0 "$@" 2>"$log" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 100); do
    grep -q '^listening on ' "$log" && break
    kill -0 "$PID" 2>/dev/null || { cat "$log" >&2; fail "server exited before listening"; }
    sleep 0.1
  done
  BASE=$(sed -n 's/^listening on //p' "$log" | head -n 1)
  [ -n "$BASE" ] || fail "no 'listening on' line in $log"
}

# fetch PATH [CURL ARGS...]: body -> $WORK/body, headers -> $WORK/headers, status -> $STATUS
fetch() {
  local path=$1; shift
  STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$BASE$path")
}
expect_status() { # expected path [curl args]
  local want=$1; shift
  fetch "$@"
  [ "$STATUS" = "$want" ] || fail "$* : expected status $want, got $STATUS: $(head -c 300 "$WORK/body")"
}
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
expect_json() { # python-expression expected-output
  local got; got=$(json "$1")
  [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got' in $(head -c 300 "$WORK/body")"
}
expect_header() { # header-name regex
  grep -qiE "^$1: $2" "$WORK/headers" || fail "expected header '$1: $2', got: $(tr -d '\r' < "$WORK/headers")"
}
expect_body() { grep -qF -- "$1" "$WORK/body" || fail "expected '$1' in the body of the last response"; }
expect_not_body() { ! grep -qF -- "$1" "$WORK/body" || fail "did not expect '$1' in the body of the last response"; }
expect_problem() { # status parameter-or-empty path [curl args]
  local want=$1 param=$2; shift 2
  expect_status "$want" "$@"
  expect_header Content-Type 'application/problem\+json'
  expect_json "d['status']" "$want"
  expect_json "'title' in d and 'detail' in d and d['type'].startswith('urn:skillhub:problem:')" True
  [ -z "$param" ] || expect_json "d.get('parameter')" "$param"
}

start_server "$WORK/serve.log"
MAIN_PID=$PID

# --- routes -------------------------------------------------------------------
expect_status 200 /health
expect_json "d['status'], d['concepts'] > 0, d['generation']" "ok True 2"

expect_status 200 /api/v1/languages
expect_json "d['languages']" "['en', 'fr']"

expect_status 200 '/api/v1/search?q=software'
expect_header Content-Type 'application/json'
expect_json "'software developer' in [h['label'] for h in d['results']]" True
expect_json "all('software' in h['matchedLabel'] for h in d['results'])" True
expect_status 200 '/api/v1/search?q=software&type=skill&limit=2'
expect_json "len(d['results']), d['hasMore'], {h['type'] for h in d['results']}" "2 True {'skill'}"
expect_status 200 '/api/v1/search?q=software&type=skill&limit=2&offset=2'
expect_json "len(d['results']) > 0 and d['offset'] == 2" True
expect_status 200 '/api/v1/search?q=d%C3%A9veloppeur&lang=fr'
expect_json "d['results'][0]['id']" mini-o01

expect_status 200 '/api/v1/suggest?q=softw'
expect_json "'software developer' in [h['label'] for h in d['results']]" True

expect_status 200 '/api/v1/concepts/mini-o01?lang=fr'
expect_json "d['preferredLabel'].startswith('développeur'), d['type']" "True occupation"
expect_status 200 /api/v1/concepts/http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2Fmini-s04
expect_json "d['uri']" http://data.europa.eu/esco/skill/mini-s04

expect_status 200 /api/v1/occupations/mini-o01/skills
expect_json "sorted({s['relation'] for s in d['skills']}), d['occupation']['id']" "['essential', 'optional'] mini-o01"
expect_status 200 '/api/v1/occupations/mini-o01/skills?relation=essential'
expect_json "{s['relation'] for s in d['skills']}, 'mini-s04' in [s['id'] for s in d['skills']]" "{'essential'} True"
expect_status 200 /api/v1/skills/mini-s04/occupations
expect_json "[o['id'] for o in d['occupations']]" "['mini-o01']"
expect_status 200 '/api/v1/skills/mini-s04/related?relation=optional'
expect_json "sorted(s['id'] for s in d['related'])" "['mini-s01', 'mini-s02']"

# HEAD answers like GET without a body.
curl -s -I "$BASE/api/v1/languages" > "$WORK/headers"
grep -q '^HTTP/1.1 200' "$WORK/headers" || fail "HEAD: $(cat "$WORK/headers")"

# The OpenAPI document lists exactly the API routes the server serves.
expect_status 200 /api/v1/openapi.json
expect_json "d['openapi']" 3.1.0
documented=$(json "'\n'.join(sorted(m.upper() + ' /api/v1' + p for p, ops in d['paths'].items() for m in ops))")
served=$("$SKILLHUB" serve --routes | grep ' /api/' | sort)
[ "$documented" = "$served" ] || fail "OpenAPI paths differ from the served routes:
documented:
$documented
served:
$served"
while read -r method path; do # every served route answers (placeholders filled with real ids)
  url=${path//\{id\}/mini-s04}
  case "$path" in /api/v1/occupations/*) url=${path//\{id\}/mini-o01} ;; esac
  case "$path" in */search|*/suggest) url="$url?q=software" ;; esac
  expect_status 200 "$url" -X "$method"
done < <("$SKILLHUB" serve --routes)

# --- errors -------------------------------------------------------------------
expect_problem 400 foo '/api/v1/search?q=x&foo=1'
expect_problem 400 limit '/api/v1/search?q=x&limit=abc'
expect_problem 400 limit '/api/v1/search?q=x&limit=0'
expect_problem 400 offset '/api/v1/search?q=x&offset=-1'
expect_problem 400 q '/api/v1/search'
expect_problem 400 q '/api/v1/search?q=+++'
expect_problem 400 q '/api/v1/search?q=a&q=b'
expect_problem 400 type '/api/v1/search?q=x&type=planet'
expect_problem 400 lang '/api/v1/search?q=x&lang=xx'
expect_problem 400 relation '/api/v1/occupations/mini-o01/skills?relation=sometimes'
expect_problem 400 q '/api/v1/search?q=%ZZ'
expect_problem 400 q '/api/v1/search?q=abc%4'
expect_problem 400 q '/api/v1/search?q=%00'
expect_problem 400 q '/api/v1/search?q=caf%E9'          # Latin-1, not UTF-8
expect_problem 400 "" '/api/v1/concepts/mini%ZZ'
expect_problem 404 "" /api/v1/concepts/no-such-concept
expect_problem 404 "" /api/v1/occupations/mini-s04/skills # a skill, not an occupation
expect_problem 404 "" /api/v1/nothing-here
expect_problem 405 "" /api/v1/search -X POST --data q=x
expect_header Allow 'GET, HEAD, OPTIONS'
expect_problem 405 "" /api/v1/languages -X DELETE
head -c 2000000 /dev/zero > "$WORK/big"
expect_problem 413 "" /api/v1/search -X POST --data-binary @"$WORK/big"
long=$(head -c 20000 /dev/zero | tr '\0' a)
expect_problem 414 "" "/api/v1/search?q=$long"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
fetch "/api/v1/search?q=$huge"
case "$STATUS" in 4??) ;; *) fail "a 100 KB URL: expected a 4xx status, got $STATUS" ;; esac

# --- caching ------------------------------------------------------------------
expect_status 200 /api/v1/concepts/mini-o01
expect_header Cache-Control 'public, max-age=300'
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: //p' "$WORK/headers" | tr -d '\r')
[ -n "$etag" ] || fail "no ETag on a concept"
expect_status 304 /api/v1/concepts/mini-o01 -H "If-None-Match: $etag"
expect_status 304 /api/v1/concepts/mini-o01 -H "If-None-Match: \"other\", W/$etag"
expect_status 200 /api/v1/concepts/mini-o01 -H 'If-None-Match: "other"'
expect_status 200 '/api/v1/concepts/mini-o01?lang=fr' -H "If-None-Match: $etag"
expect_problem 404 "" /api/v1/concepts/nope
! grep -qi '^etag' "$WORK/headers" || fail "an error response carries an ETag"

# --- CORS: off by default ------------------------------------------------------
expect_status 204 /api/v1/search -X OPTIONS -H 'Origin: https://example.org' -H 'Access-Control-Request-Method: GET'
! grep -qi '^access-control-allow-origin' "$WORK/headers" || fail "CORS headers sent without --cors"

# --- web pages ----------------------------------------------------------------
expect_status 200 '/?lang=fr'
expect_header Content-Type 'text/html; charset=utf-8'
for s in '<html lang="fr">' '<meta name="viewport"' 'href="#main">Skip to content' '<header>' '<main id="main"' \
         '<footer>' '<label for="q">' 'action="/search"' 'href="/static/style.css"' 'src="/static/app.js"' \
         'This service uses the ESCO classification of the European Commission.' 'https://esco.ec.europa.eu/'; do
  expect_body "$s"
done
expect_status 200 '/search?q=software'
expect_body '<a href="/concept/mini-o01?lang=en">software developer</a>'
expect_body 'value="software"'
expect_status 200 '/search?q=software&type=skill&page=1&utm_source=x'   # unknown parameters are ignored on pages
expect_not_body 'software developer</a>'
expect_status 200 '/concept/mini-o01?lang=fr'
expect_body 'développeur de logiciels'
expect_body 'Essential skills'
expect_status 200 /concept/mini-s04
expect_body 'aria-label="Breadcrumb"'
expect_body 'Occupations for which this is essential'
expect_status 404 /concept/no-such-concept
expect_header Content-Type 'text/html'
expect_status 400 '/search?q=x&page=zero'
expect_status 200 /static/style.css
expect_header Content-Type 'text/css'
expect_status 200 /static/app.js
expect_header Content-Type 'text/javascript'

# Markup in the data is escaped on every page that shows it.
for path in /concept/mini-s13 /concept/mini-o01 '/search?q=alert' '/search?q=%3Cscript%3E'; do
  expect_status 200 "$path"
  expect_not_body '<script>alert'
done
expect_status 200 /concept/mini-s13
expect_body '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;'
expect_status 200 '/search?q=%3Cscript%3E%22'
expect_body 'value="&lt;script&gt;&quot;"'

# --- access log ---------------------------------------------------------------
grep -qE '^GET /api/v1/search\?q=software 200 [0-9]+ [0-9]+us$' "$WORK/serve.log" ||
  fail "no access log line for GET /api/v1/search?q=software: $(tail -n 5 "$WORK/serve.log")"

# --- a rebuilt index is picked up without a restart ---------------------------
"$SKILLHUB" --db "$DB" import esco --version 1.2.0 --quiet "$FIXTURES/esco-mini-v2/en"
for _ in $(seq 100); do
  fetch /health
  [ "$(json "d['generation']")" = 3 ] && break
  sleep 0.1
done
expect_json "d['generation']" 3

# --- CORS when enabled ----------------------------------------------------------
start_server "$WORK/serve-cors.log" --cors https://example.org --quiet
CORS_PID=$PID
expect_status 204 /api/v1/search -X OPTIONS -H 'Origin: https://example.org' -H 'Access-Control-Request-Method: GET'
expect_header Access-Control-Allow-Origin 'https://example.org'
expect_header Access-Control-Allow-Methods 'GET, HEAD, OPTIONS'
expect_status 200 /api/v1/languages -H 'Origin: https://example.org'
expect_header Access-Control-Allow-Origin 'https://example.org'
[ ! -s "$WORK/serve-cors.log" ] || [ "$(grep -vc '^listening on' "$WORK/serve-cors.log")" = 0 ] ||
  fail "--quiet still logs: $(cat "$WORK/serve-cors.log")"

# --- SIGTERM: clean shutdown ----------------------------------------------------
for p in "$MAIN_PID" "$CORS_PID"; do
  kill -TERM "$p"
  rc=0
  wait "$p" || rc=$?
  [ "$rc" = 0 ] || fail "server $p exited with $rc after SIGTERM"
done
grep -q 'stopped' "$WORK/serve.log" || fail "no 'stopped' line: $(tail -n 3 "$WORK/serve.log")"

# --- usage errors ---------------------------------------------------------------
rc=0; "$SKILLHUB" --db "$DB" serve --port 70000 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "--port 70000: expected exit 2, got $rc"
rc=0; "$SKILLHUB" --db "$DB" serve --listen not-an-address --port 0 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q "not-an-address" "$WORK/err" || fail "--listen not-an-address: exit $rc, $(cat "$WORK/err")"
echo "server: all checks passed"
