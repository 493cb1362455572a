#!/usr/bin/env bash
# skillhub serve end to end: imports the esco-mini fixture (plus a label with
# markup, to check HTML escaping), starts the server on a free port and checks
# with curl every route, every error path, caching, CORS, the web pages, the
# pick-up of a rebuilt index and a clean shutdown on SIGTERM; the text routes
# (POST /api/v1/extract and /titles, byte-identical to the CLI) and the
# "analyse a text" page, with every error path.
#
# The whole script is one { ... } block: bash parses it completely before
# running it, so an edit of this file during a run cannot make bash read from
# a shifted offset (which once gave "_problem: command not found").
{
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
SWAP_PIDS=()
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
json() { "$PY" -S -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
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
  # one interpreter start per problem: status, RFC 9457 members, and the parameter at fault when given
  expect_json "d['status'], 'title' in d and 'detail' in d and d['type'].startswith('urn:skillhub:problem:')${param:+, d.get('parameter')}" \
              "$want True${param:+ $param}"
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
  case "$path" in */cooccurrence) url="$url?skill=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2Fmini-s04" ;; esac
  case "$method $path" in # anonymous on the catalogue's write routes (test_courses_write.sh signs in)
    "GET /my/"*|"GET /review") expect_status 303 "$url" -X "$method"; continue ;;
    "POST /my/"*|"POST /review/"*|"POST /api/v1/courses"*|"PUT /api/v1/courses/"*|"PUT /api/v1/providers/"*|*/findings)
      expect_status 401 "${url//\{action\}/approve}" -X "$method"; continue ;;
  esac
  case "$path" in # this database has no course: the catalogue's ids answer 404 (test_courses_web.sh serves them)
    /course/*|/provider/*|/api/v1/courses/*|/api/v1/providers/*) expect_status 404 "$url" -X "$method"; continue ;;
  esac
  case "$method $path" in # anonymous on routes that need an account (test_auth.sh signs in)
    "GET /account"|"POST /logout") expect_status 303 "$url" -X "$method"; continue ;;
    "POST /login"|"POST /account/"*|*" /api/v1/me"|*" /api/v1/me/"*|*" /api/v1/accounts"*)
      expect_status 401 "${url//\{login\}/nobody}" -X "$method"; continue ;;
  esac
  body=()
  case "$method $path" in
    "POST /api/v1/extract") body=(-H 'Content-Type: application/json' --data '{"text":"debug software"}') ;;
    "POST /api/v1/titles")  body=(-H 'Content-Type: application/json' --data '{"title":"plumber"}') ;;
    "POST /analyse")        body=(--data 'text=debug+software') ;;
    "POST /api/v1/gap"|"POST /api/v1/plan")
      body=(-H 'Content-Type: application/json' --data '{"from_occupation":"mini-o02","target":"mini-o01"}') ;;
    "POST /api/v1/workforce")
      body=(-H 'Content-Type: application/json' --data '{"current":[{"occupation":"mini-o02","people":1}],"target":[{"occupation":"mini-o01","people":1}]}') ;;
  esac
  expect_status 200 "$url" -X "$method" "${body[@]}"
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

# --- text analysis: POST /api/v1/extract and /api/v1/titles ----------------------
post_json() { # expected-status body-file-or-string path [curl args]
  local want=$1 data=$2 path=$3; shift 3
  expect_status "$want" "$path" -X POST -H 'Content-Type: application/json' --data-binary "$data" "$@"
}
# The API answer for a text is byte for byte the CLI's output line for the same id, text and options.
T1='We are hiring a software developer with Python and SQL; you will debug software daily <b>now</b>.'
same_as_cli() { # request-json options-json-members cli-args...: the request, without its options, is the CLI line
  local req=$1 options=$2; shift 2
  post_json 200 "${req%\}}$options}" /api/v1/extract
  expect_header Content-Type 'application/json'
  expect_header Cache-Control 'no-store'
  "$SKILLHUB" --db "$DB" extract "$@" <<<"$req" >"$WORK/cli.out"
  cmp -s "$WORK/body" "$WORK/cli.out" ||
    fail "API and CLI differ for $req:
api: $(cat "$WORK/body")
cli: $(cat "$WORK/cli.out")"
}
same_as_cli "{\"id\":\"a1\",\"text\":\"$T1\"}" ""
expect_json "sorted(s['uri'].rsplit('/', 1)[1] for s in d['skills'])" "['mini-s01', 'mini-s03', 'mini-s04']"
same_as_cli "{\"id\":{\"n\":[1,2]},\"text\":\"$T1\"}" ',"top":2,"min_score":0.01' --top 2 --min-score 0.01
expect_json "len(d['skills']), d['id']" "2 {'n': [1, 2]}"
same_as_cli '{"id":7,"text":"Le plombier doit installer des tuyaux."}' ',"lang":"fr"' --lang fr
expect_json "d['skills'][0]['label'], d['occupations'][0]['label']" "installer des tuyaux plombier/plombière"
same_as_cli '{"id":"empty","text":""}' ""
expect_json "d['skills'], d['occupations']" "[] []"
# Without an id the result's id is the text's 1-based position, as the CLI numbers lines.
post_json 200 '{"text":"debug software"}' /api/v1/extract
expect_json "d['id'], d['skills'][0]['spans']" "1 [[0, 14]]"

# A batch gives the results in input order, each equal to the single answer.
post_json 200 "{\"items\":[{\"id\":\"x\",\"text\":\"$T1\"},{\"text\":\"install pipes\"},{\"id\":null,\"text\":\"prepare food\"}],\"top\":3}" /api/v1/extract
expect_json "[r['id'] for r in d['results']]" "['x', 2, None]"
expect_json "[r['skills'][0]['uri'].rsplit('/', 1)[1] for r in d['results'][1:]]" "['mini-s07', 'mini-s09']"
"$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["results"][0], ensure_ascii=False, separators=(",", ":")))' "$WORK/body" >"$WORK/batch0"
post_json 200 "{\"id\":\"x\",\"text\":\"$T1\",\"top\":3}" /api/v1/extract
cmp -s "$WORK/batch0" "$WORK/body" || fail "batch item 0 differs from the single answer: $(cat "$WORK/batch0") vs $(cat "$WORK/body")"

# Titles: the same occupations as `skillhub titles`.
post_json 200 '{"title":"software developers (m/f/d)","top":3}' /api/v1/titles
"$SKILLHUB" --db "$DB" titles --top 3 <<<'{"id":0,"text":"software developers (m/f/d)"}' | sed 's/^{"id":0,/{/' >"$WORK/cli.out"
cmp -s "$WORK/body" "$WORK/cli.out" || fail "titles: API $(cat "$WORK/body") vs CLI $(cat "$WORK/cli.out")"
expect_json "d['occupations'][0]['uri'].rsplit('/', 1)[1]" mini-o01
post_json 200 '{"titles":["Plumber","cook"],"top":1}' /api/v1/titles
expect_json "[r['occupations'][0]['uri'].rsplit('/', 1)[1] for r in d['results']], len(d['results'][0]['occupations'])" "['mini-o03', 'mini-o04'] 1"
post_json 200 '{"title":"plombier","lang":"fr"}' /api/v1/titles
expect_json "d['occupations'][0]['label']" "plombier/plombière"

# Errors: RFC 9457 problems naming the member at fault, never a crash.
extract_problem() { # status parameter-or-empty body [path]
  expect_problem "$1" "$2" "${4:-/api/v1/extract}" -X POST -H 'Content-Type: application/json' --data-binary "$3"
}
extract_problem 400 "" '{"text": "a",'
expect_json "'line 1, column' in d['detail'] and 'byte' in d['detail']" True
extract_problem 400 "" '["text"]'
extract_problem 400 "" ''
extract_problem 400 "" '{"text":"a","text":"b"}'                 # duplicate member
extract_problem 400 "" $'{"text":"caf\xe9"}'                       # Latin-1, not UTF-8
expect_json "'UTF-8' in d['detail']" True
extract_problem 400 "" '{"text":"a\u0000b"}'
extract_problem 400 text '{}'
extract_problem 400 text '{"text":42}'
extract_problem 400 text '{"id":1}'
extract_problem 400 colour '{"text":"a","colour":"red"}'
extract_problem 400 lang '{"text":"a","lang":"xx"}'
extract_problem 400 lang '{"text":"a","lang":1}'
extract_problem 400 top '{"text":"a","top":0}'
extract_problem 400 top '{"text":"a","top":"3"}'
extract_problem 400 top '{"text":"a","top":2.5}'
extract_problem 400 top '{"text":"a","top":100000}'
extract_problem 400 min_score '{"text":"a","min_score":1.5}'
extract_problem 400 min_score '{"text":"a","min_score":null}'
extract_problem 400 items '{"items":[]}'
extract_problem 400 items '{"items":{"text":"a"}}'
extract_problem 400 items '{"text":"a","items":[{"text":"b"}]}'
extract_problem 400 id '{"items":[{"text":"a"}],"id":1}'
extract_problem 400 'items[1]' '{"items":[{"text":"a"},"b"]}'
extract_problem 400 'items[1].text' '{"items":[{"text":"a"},{"id":2}]}'
extract_problem 400 'items[0].lang' '{"items":[{"text":"a","lang":"fr"}]}'
extract_problem 400 title '{}' /api/v1/titles
extract_problem 400 title '{"title":["a"]}' /api/v1/titles
extract_problem 400 'titles[1]' '{"titles":["a",2]}' /api/v1/titles
extract_problem 400 titles '{"titles":[]}' /api/v1/titles
extract_problem 400 min_score '{"title":"a","min_score":0.5}' /api/v1/titles
expect_problem 415 "" /api/v1/extract -X POST --data 'text=a'
expect_problem 405 "" /api/v1/extract
expect_header Allow 'POST, OPTIONS'
expect_problem 400 lang '/api/v1/extract?lang=fr' -X POST -H 'Content-Type: application/json' --data '{"text":"a"}'
# Problems are never cached.
expect_header Cache-Control 'no-store'

# --- the "analyse a text" page ------------------------------------------------------
expect_status 200 /
expect_body '<a href="/analyse?lang=en">Analyse a text</a>'
expect_status 200 /analyse
for s in '<form class="analyse" method="post" action="/analyse">' '<label for="analyse-text">' \
         '<textarea name="text" id="analyse-text"' '<select name="lang" id="analyse-lang">' \
         '<option value="en" selected>en</option><option value="fr">fr</option>' '<button type="submit">Analyse</button>' \
         '<main id="main"' 'This service uses the ESCO classification of the European Commission.'; do
  expect_body "$s"
done
expect_not_body '<table class="skills">'
# The page marks the spans the API returns for the same text: greedily from the left, the longer span
# first, never nested (links cannot nest; tests/unit/test_marks.c covers the overlaps); the table lists
# every skill with all its occurrences.
T2='<i>debug software</i> & "Python" and then python programming; cooks prepare food'
"$PY" -c 'import json, sys; print(json.dumps({"text": sys.argv[1]}))' "$T2" >"$WORK/t2.json"
post_json 200 @"$WORK/t2.json" /api/v1/extract
cp "$WORK/body" "$WORK/t2.api"
expect_status 200 /analyse -X POST --data-urlencode "text=$T2"
expect_header Content-Type 'text/html; charset=utf-8'
expect_body '&lt;i&gt;<mark class="skill" data-uri="http://data.europa.eu/esco/skill/mini-s04"><a href="/concept/mini-s04">debug software</a></mark>&lt;/i&gt; &amp; &quot;'
expect_body '<table class="skills">'
expect_not_body '<i>debug'
"$PY" - "$WORK/body" "$T2" "$WORK/t2.api" <<'PYEOF' || fail "analyse page: marks or table do not match the API's spans"
import html, json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
text = sys.argv[2].encode()
api = json.load(open(sys.argv[3]))
spans = sorted(((a, b, rank, s["uri"]) for rank, s in enumerate(api["skills"]) for a, b in s["spans"]),
               key=lambda m: (m[0], -m[1], m[2]))
want, at = [], 0
for a, b, rank, uri in spans:
    if a >= at and b > a:
        want.append((uri, text[a:b].decode()))
        at = b
div = re.search(r'<div class="analysed-text">(.*?)</div>', page, re.S).group(1)
got = [(u, html.unescape(t)) for u, t in
       re.findall(r'<mark class="skill" data-uri="([^"]+)"><a href="/concept/[^"]+">(.*?)</a></mark>', div)]
assert got == want, (got, want)
assert len(got) >= 3, got
assert html.unescape(re.sub(r'</?(mark|a)\b[^>]*>', '', div)) == sys.argv[2]
rows = re.findall(r'<tr><th scope="row"><a href="/concept/([^"]+)">[^<]*</a></th><td>[0-9.]+</td><td>(\d+)</td></tr>', page)
assert rows == [(s["uri"].rsplit("/", 1)[1], str(len(s["spans"]))) for s in api["skills"]], rows
PYEOF
expect_status 200 '/analyse?text=Le+plombier+doit+installer+des+tuyaux.&lang=fr'
expect_body '<html lang="fr">'
expect_body '<option value="fr" selected>fr</option>'
expect_body '<a href="/concept/mini-s07?lang=fr">installer des tuyaux</a></mark>'
expect_body '<ul class="occupations">'
expect_status 200 /analyse -X POST --data 'text=plumber&lang=fr'
expect_body '<html lang="fr">'
expect_status 200 /analyse -X POST --data 'text=+++'       # blank: the form alone
expect_not_body 'class="analysed-text"'
expect_status 400 '/analyse?text=x&lang=xx'
expect_header Content-Type 'text/html'
expect_status 400 /analyse -X POST --data 'text=x&lang=xx'
expect_status 400 /analyse -X POST --data 'text=caf%E9'
expect_status 400 /analyse -X POST --data 'text=a&text=b'
expect_status 415 /analyse -X POST -F text=x
head -c 100001 /dev/zero | tr '\0' a > "$WORK/long"
expect_status 400 /analyse -X POST --data-binary "text=$(cat "$WORK/long")"
expect_body 'longer than 100000 bytes'

# --- access log ---------------------------------------------------------------
grep -qE '^GET /api/v1/search\?q=software 200 [0-9]+ [0-9]+us$' "$WORK/serve.log" ||
  fail "no access log line for GET /api/v1/search?q=software: $(tail -n 5 "$WORK/serve.log")"

# --- a rebuilt index is picked up without a restart ---------------------------
# Text requests keep being answered while the index is swapped (extractors are per index).
for w in 1 2; do
  ( for i in $(seq 60); do
      curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
        --data '{"text":"debug software and install pipes"}' "$BASE/api/v1/extract"
    done >"$WORK/swap-$w" ) &
  SWAP_PIDS+=($!)
done
"$SKILLHUB" --db "$DB" import esco --version 1.2.0 --quiet "$FIXTURES/esco-mini-v2/en"
for _ in $(seq 100); do
  fetch /health
  [ "$(json "d['generation']")" = 3 ] && break
  sleep 0.1
done
expect_json "d['generation']" 3
for p in "${SWAP_PIDS[@]}"; do wait "$p"; done
bad=$(cat "$WORK"/swap-* | grep -vc '^200$' || true)
[ "$bad" = 0 ] && [ "$(cat "$WORK"/swap-* | wc -l)" = 120 ] || fail "extract during the index swap: $bad answers not 200"
post_json 200 '{"text":"we debug computer programs"}' /api/v1/extract   # a label new in v2
expect_json "d['skills'][0]['uri'].rsplit('/', 1)[1], d['skills'][0]['label']" "mini-s04 debug computer programs"

# --- CORS when enabled ----------------------------------------------------------
start_server "$WORK/serve-cors.log" --cors https://example.org --quiet --max-batch 2 --max-body 4096
CORS_PID=$PID
post_json 200 '{"items":[{"text":"a"},{"text":"b"}]}' /api/v1/extract
extract_problem 413 items '{"items":[{"text":"a"},{"text":"b"},{"text":"c"}]}'
extract_problem 413 titles '{"titles":["a","b","c"]}' /api/v1/titles
head -c 5000 /dev/zero | tr '\0' a > "$WORK/text5k"
extract_problem 413 "" "{\"text\":\"$(cat "$WORK/text5k")\"}"
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
rc=0; "$SKILLHUB" --db "$DB" serve --max-batch 0 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "--max-batch 0: expected exit 2, got $rc"
"$SKILLHUB" serve --help | grep -q -- '--max-batch N' || fail "serve --help does not document --max-batch"
rc=0; "$SKILLHUB" --db "$DB" serve --listen not-an-address --port 0 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q "not-an-address" "$WORK/err" || fail "--listen not-an-address: exit $rc, $(cat "$WORK/err")"
echo "server: all checks passed"
exit 0
}
