#!/usr/bin/env bash
# Accounts, API tokens and browser sessions end to end (docs/accounts.md):
# `skillhub accounts` (passwords from stdin and --password-file, never stored
# in clear), then over real HTTP with curl: signing in (cookie attributes,
# generic failures, safe ?next=), /api/v1/me by cookie and by Bearer token,
# bad tokens (401 + WWW-Authenticate), CORS preflights, the administrators' account API (201,
# 400, 409, 403 for an analyst, 401 anonymous, CSRF header for cookie writes,
# DELETE cascading to tokens), the account page's token forms, CSRF on
# logout, expired sessions, failed sign-ins holding a login out, private caching of authenticated answers, and that
# no password appears in any response or in the server's log.
#
# The whole script is one { ... } block (see test_server.sh).
{
set -euo pipefail

DB="$WORK/auth.db"
PY=$(python3 -c 'import sys; print(sys.executable)')
fail() { echo "FAIL: $*" >&2; exit 1; }
sh() { "$SKILLHUB" --db "$DB" "$@"; }
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT
ADMIN_PW='admin password 1'
ANALYST_PW='analyst password 2'
NEW_PW='newcomer password 3'
PROV_PW='provider password 4'

sh import esco --quiet "$FIXTURES/esco-mini/en" >/dev/null

# --- CLI -------------------------------------------------------------------------
echo "$ADMIN_PW" | sh accounts add admin --role administrator 2>"$WORK/err" || fail "accounts add: $(cat "$WORK/err")"
grep -q 'account admin created' "$WORK/err" || fail "accounts add: expected 'account admin created', got: $(cat "$WORK/err")"
printf '%s\n' "$ANALYST_PW" > "$WORK/pw"
sh accounts add ana --role analyst --password-file "$WORK/pw" 2>/dev/null
sh providers add --id p-test --name 'Test academy' --country DE --type vet >/dev/null
echo "$PROV_PW" | sh accounts add prov --role provider --provider p-test 2>/dev/null
set +e
echo "$ADMIN_PW" | sh accounts add admin --role analyst 2>"$WORK/err"; rc=$?
echo "$ADMIN_PW" | sh accounts add bob --role wizard 2>/dev/null; rc_role=$?
echo "$ADMIN_PW" | sh accounts add bob --role provider 2>/dev/null; rc_prov=$?
echo "short" | sh accounts add bob --role analyst 2>/dev/null; rc_short=$?
sh accounts add bob --role analyst "$ADMIN_PW" 2>/dev/null; rc_arg=$?
set -e
[ "$rc" = 1 ] && grep -q "'admin' is taken" "$WORK/err" || fail "duplicate login: expected exit 1 'is taken', got $rc: $(cat "$WORK/err")"
[ "$rc_role" = 2 ] || fail "unknown role: expected exit 2, got $rc_role"
[ "$rc_prov" = 2 ] || fail "provider account without --provider: expected exit 2, got $rc_prov"
[ "$rc_short" = 1 ] || fail "short password: expected exit 1, got $rc_short"
[ "$rc_arg" = 2 ] || fail "a password as an argument must be refused (exit 2), got $rc_arg"
got=$(sh accounts list | awk '{print $1 "/" $2 "/" $3}' | tr '\n' ' ')
[ "$got" = "admin/administrator/- ana/analyst/- prov/provider/p-test " ] || fail "accounts list: got '$got'"
got=$(sh accounts list --json | "$PY" -S -c "import json,sys; print(sorted(a['login'] for a in json.load(sys.stdin)))")
[ "$got" = "['admin', 'ana', 'prov']" ] || fail "accounts list --json: got $got"
got=$(sqlite3 "$DB" "SELECT count(*) FROM account WHERE password_hash LIKE '\$argon2id\$v=19\$m=19456,t=3,p=1\$%'")
[ "$got" = 3 ] || fail "expected 3 Argon2id PHC hashes, got $got"
for pw in "$ADMIN_PW" "$ANALYST_PW" "$PROV_PW"; do
  ! grep -qaF "$pw" "$DB" "$DB-wal" 2>/dev/null || fail "a password is stored in clear in the database"
done
ANA_TOKEN=$(sh accounts token ana --label ci)
[ ${#ANA_TOKEN} = 43 ] || fail "accounts token: expected a 43-character token, got '$ANA_TOKEN'"
ADMIN_TOKEN=$(sh accounts token admin --label ops)
OLD_TOKEN=$(sh accounts token ana --label old)
sh accounts revoke ana --label old 2>/dev/null
! grep -qaF "$ANA_TOKEN" "$DB" "$DB-wal" 2>/dev/null || fail "a token is stored in clear in the database"

# --- server ---------------------------------------------------------------------
"$SKILLHUB" --db "$DB" serve --port 0 --cors https://app.example 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$WORK/serve.log" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; fail "server exited before listening"; }
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.log" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line"

N=0
# fetch PATH [CURL ARGS...]: body -> $WORK/body (and kept in $WORK/bodies/), headers -> $WORK/headers, status -> $STATUS
mkdir -p "$WORK/bodies"
fetch() {
  local path=$1; shift
  STATUS=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$BASE$path")
  N=$((N + 1)); cp "$WORK/body" "$WORK/bodies/$N"; cp "$WORK/headers" "$WORK/bodies/$N.headers"
}
expect_status() { local want=$1; shift; fetch "$@"; [ "$STATUS" = "$want" ] || fail "$*: expected $want, got $STATUS: $(head -c 300 "$WORK/body")"; }
json() { "$PY" -S -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body"; }
expect_json() { local got; got=$(json "$1"); [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got' in $(head -c 300 "$WORK/body")"; }
header() { tr -d '\r' < "$WORK/headers" | sed -n "s/^$1: //Ip" | head -n 1; }
expect_header() { local got; got=$(header "$1"); [ "$got" = "$2" ] || fail "header $1: expected '$2', got '$got'"; }
expect_no_header() { [ -z "$(header "$1")" ] || fail "did not expect header $1: $(header "$1")"; }
expect_body() { grep -qF -- "$1" "$WORK/body" || fail "expected '$1' in the body: $(head -c 400 "$WORK/body")"; }
expect_not_body() { ! grep -qF -- "$1" "$WORK/body" || fail "did not expect '$1' in the body"; }
form() { local n; for n in "$@"; do printf -- '--data-urlencode\n%s\n' "$n"; done; }
# sign_in LOGIN PASSWORD: sets COOKIE ("__Host-skillhub=...") and CSRF
sign_in() {
  expect_status 303 /login --data-urlencode "login=$1" --data-urlencode "password=$2"
  COOKIE=$(header Set-Cookie | sed -n 's/^\(__Host-skillhub=[^;]*\);.*/\1/p')
  [ -n "$COOKIE" ] || fail "sign in as $1: no session cookie"
  expect_status 200 /account -H "Cookie: $COOKIE"
  CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/body" | head -n 1 | sed 's/.*value="//; s/"$//')
  [ ${#CSRF} = 43 ] || fail "no CSRF token in the account page"
}

# --- signing in -------------------------------------------------------------------
expect_status 200 '/login?next=/courses'
expect_body 'name="login"'
expect_body 'type="password"'
expect_body 'name="next" value="/courses"'
expect_body 'Sign in</a>'

expect_status 401 /login --data-urlencode login=admin --data-urlencode 'password=wrong password'
expect_body 'Wrong login or password.'
expect_no_header Set-Cookie
cp "$WORK/body" "$WORK/wrong-password.html"
expect_status 401 /login --data-urlencode login=nobody --data-urlencode "password=$ADMIN_PW"
expect_body 'Wrong login or password.'
diff <(sed 's/value="nobody"/value="admin"/' "$WORK/body") "$WORK/wrong-password.html" >/dev/null ||
  fail "an unknown login and a wrong password must answer alike"
expect_status 401 /login --data-urlencode login=admin

expect_status 303 /login --data-urlencode login=admin --data-urlencode "password=$ADMIN_PW" --data-urlencode next=/courses
expect_header Location /courses
cookie=$(header Set-Cookie)
[[ "$cookie" =~ ^__Host-skillhub=[A-Za-z0-9_-]{43}\;\ Path=/\;\ Max-Age=28800\;\ HttpOnly\;\ Secure\;\ SameSite=Strict$ ]] ||
  fail "session cookie attributes: got '$cookie'"
expect_header Cache-Control 'private, no-store'
for next in //evil.example/x 'http://evil.example/' '/\evil.example' /login; do
  expect_status 303 /login --data-urlencode login=admin --data-urlencode "password=$ADMIN_PW" --data-urlencode "next=$next"
  expect_header Location /account
done

sign_in admin "$ADMIN_PW"
expect_body '<dt>Role</dt><dd>administrator</dd>'
expect_header Cache-Control 'private, no-store'
expect_status 200 /api/v1/me -H "Cookie: $COOKIE"
expect_json "d['login'], d['role'], d['provider'], d['session']" "admin administrator None True"
expect_header Cache-Control 'private, no-store'
expect_no_header ETag
# pages show who is signed in; those answers are private, anonymous ones public and varying on Cookie
expect_status 200 / -H "Cookie: $COOKIE"
expect_body '<a href="/account">admin</a>'
expect_body 'Sign out</button>'
expect_no_header ETag
expect_header Cache-Control 'private, no-store'
expect_status 200 /
expect_body 'Sign in</a>'
expect_header Cache-Control 'public, max-age=300'
tr -d '\r' < "$WORK/headers" | grep -qx 'Vary: Cookie' || fail "anonymous home page: expected 'Vary: Cookie'"
[ -n "$(header ETag)" ] || fail "anonymous home page: expected an ETag"

# --- tokens -----------------------------------------------------------------------
expect_status 200 /api/v1/me -H "Authorization: Bearer $ANA_TOKEN"
expect_json "d['login'], d['role'], d['session']" "ana analyst False"
expect_header Cache-Control 'private, no-store'
for bad in "Bearer $OLD_TOKEN" "Bearer ${ANA_TOKEN%?}x" 'Bearer ' "Basic YWRtaW46eA=="; do
  expect_status 401 /api/v1/me -H "Authorization: $bad"
  expect_header Content-Type application/problem+json
  expect_header WWW-Authenticate 'Bearer realm="skillhub"'
  expect_json "d['type']" urn:skillhub:problem:unauthenticated
done
expect_status 401 /api/v1/search?q=software -H "Authorization: Bearer nonsense" # a bad token is never ignored
expect_status 401 /api/v1/me
expect_header WWW-Authenticate 'Bearer realm="skillhub"'
sqlite3 "$DB" "SELECT last_used IS NOT NULL FROM api_token WHERE label = 'ci'" | grep -qx 1 ||
  fail "api_token.last_used was not recorded"

# --- the administrators' account API ---------------------------------------------------
# CORS preflight: the write methods and the credential headers are allowed
expect_status 204 /api/v1/accounts/x -X OPTIONS -H 'Origin: https://app.example' \
  -H 'Access-Control-Request-Method: DELETE' -H 'Access-Control-Request-Headers: authorization'
expect_header Access-Control-Allow-Methods 'GET, HEAD, DELETE, OPTIONS'
expect_header Access-Control-Allow-Headers 'Authorization, Content-Type, If-None-Match, X-CSRF-Token'
ACCT=(-H 'Content-Type: application/json')
body() { printf '{"login":"%s","password":"%s","role":"%s"%s}' "$1" "$2" "$3" "${4:+,\"provider\":\"$4\"}"; }
expect_status 401 /api/v1/accounts
expect_status 401 /api/v1/accounts "${ACCT[@]}" --data "$(body newbie "$NEW_PW" learner)"
expect_status 403 /api/v1/accounts -H "Authorization: Bearer $ANA_TOKEN"
expect_json "d['type']" urn:skillhub:problem:forbidden
expect_status 403 /api/v1/accounts -H "Authorization: Bearer $ANA_TOKEN" "${ACCT[@]}" --data "$(body newbie "$NEW_PW" learner)"
# a cookie alone does not authenticate a JSON write (CSRF): the X-CSRF-Token header must carry the session's token
expect_status 401 /api/v1/accounts -H "Cookie: $COOKIE" "${ACCT[@]}" --data "$(body newbie "$NEW_PW" learner)"
expect_status 401 /api/v1/accounts -H "Cookie: $COOKIE" -H "X-CSRF-Token: ${CSRF%?}x" "${ACCT[@]}" --data "$(body newbie "$NEW_PW" learner)"
expect_status 201 /api/v1/accounts -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" "${ACCT[@]}" --data "$(body newbie "$NEW_PW" learner)"
expect_json "d['login'], d['role'], d['provider']" "newbie learner None"
expect_status 201 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data "$(body prov2 "$NEW_PW" provider p-test)"
expect_json "d['login'], d['role'], d['provider']" "prov2 provider p-test"
expect_status 409 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data "$(body newbie "$NEW_PW" learner)"
expect_json "d['type'], d['parameter']" "urn:skillhub:problem:conflict login"
expect_status 400 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data "$(body x1 "short" learner)"
expect_json "d['parameter']" password
expect_status 400 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data "$(body x1 "$NEW_PW" wizard)"
expect_json "d['parameter']" role
expect_status 400 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data "$(body 'x y' "$NEW_PW" learner)"
expect_json "d['parameter']" login
expect_status 400 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data "$(body x1 "$NEW_PW" provider nope)"
expect_json "d['parameter']" provider
expect_status 400 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN" "${ACCT[@]}" --data '{"login":"x1","password":"0123456789","role":"learner","admin":true}'
expect_json "d['parameter']" admin
expect_status 200 /api/v1/accounts -H "Authorization: Bearer $ADMIN_TOKEN"
expect_json "[a['login'] for a in d['results']]" "['admin', 'ana', 'newbie', 'prov', 'prov2']"
expect_not_body argon2
expect_status 200 /api/v1/accounts/prov2 -H "Authorization: Bearer $ADMIN_TOKEN"
expect_json "d['provider']" p-test
sign_in newbie "$NEW_PW"
NEWBIE_COOKIE=$COOKIE
NEWBIE_TOKEN=$(sh accounts token newbie --label t)
expect_status 200 /api/v1/me -H "Authorization: Bearer $NEWBIE_TOKEN"
expect_status 403 /api/v1/accounts/newbie -X DELETE -H "Authorization: Bearer $ANA_TOKEN"
expect_status 204 /api/v1/accounts/newbie -X DELETE -H "Authorization: Bearer $ADMIN_TOKEN"
expect_no_header Access-Control-Allow-Methods # an answer, not a preflight
expect_status 401 /api/v1/me -H "Authorization: Bearer $NEWBIE_TOKEN"
expect_status 401 /api/v1/me -H "Cookie: $NEWBIE_COOKIE"
expect_status 404 /api/v1/accounts/newbie -X DELETE -H "Authorization: Bearer $ADMIN_TOKEN"
expect_status 404 /api/v1/accounts/newbie -H "Authorization: Bearer $ADMIN_TOKEN"
got=$(sqlite3 "$DB" "SELECT count(*) FROM api_token WHERE label = 't'")
[ "$got" = 0 ] || fail "deleting an account must delete its tokens, $got left"

# --- the account page: tokens by form, CSRF ----------------------------------------------
expect_status 303 /account
expect_header Location '/login?next=%2Faccount'
sign_in ana "$ANALYST_PW"
expect_body '<td>ci</td>'
expect_status 403 /account/tokens -H "Cookie: $COOKIE" --data-urlencode label=laptop
expect_status 403 /account/tokens -H "Cookie: $COOKIE" --data-urlencode label=laptop --data-urlencode "csrf=${CSRF%?}x"
expect_status 200 /account/tokens -H "Cookie: $COOKIE" --data-urlencode label=laptop --data-urlencode "csrf=$CSRF"
PAGE_TOKEN=$(grep -o '<code id="new-token">[^<]*' "$WORK/body" | sed 's/.*>//')
[ ${#PAGE_TOKEN} = 43 ] || fail "the account page did not show the new token"
expect_status 409 /account/tokens -H "Cookie: $COOKIE" --data-urlencode label=laptop --data-urlencode "csrf=$CSRF"
expect_status 200 /api/v1/me -H "Authorization: Bearer $PAGE_TOKEN"
expect_json "d['login']" ana
expect_status 200 /account -H "Cookie: $COOKIE"
expect_not_body "$PAGE_TOKEN" # shown once
expect_status 303 /account/tokens/revoke -H "Cookie: $COOKIE" --data-urlencode label=laptop --data-urlencode "csrf=$CSRF"
expect_header Location /account
expect_status 401 /api/v1/me -H "Authorization: Bearer $PAGE_TOKEN"

# --- signing out, expiry ---------------------------------------------------------------
expect_status 403 /logout -H "Cookie: $COOKIE" -X POST
expect_status 200 /api/v1/me -H "Cookie: $COOKIE"
expect_status 303 /logout -H "Cookie: $COOKIE" --data-urlencode "csrf=$CSRF"
expect_header Location /
[[ "$(header Set-Cookie)" == "__Host-skillhub=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict" ]] ||
  fail "logout must clear the cookie, got '$(header Set-Cookie)'"
expect_status 401 /api/v1/me -H "Cookie: $COOKIE"
[[ "$(header Set-Cookie)" == "__Host-skillhub=;"* ]] || fail "an unknown session must clear the cookie"
sign_in prov "$PROV_PW"
expect_body '<a href="/provider/p-test">p-test</a>'
sqlite3 "$DB" "UPDATE session SET expires = 0"
before=$(sqlite3 "$DB" "SELECT count(*) FROM session")
expect_status 200 / -H "Cookie: $COOKIE"
expect_body 'Sign in</a>'
expect_status 401 /api/v1/me -H "Cookie: $COOKIE"
got=$(sqlite3 "$DB" "SELECT count(*) FROM session")
[ "$got" = $((before - 1)) ] || fail "the expired session met must be removed: $before sessions before, $got after"

# --- failed sign-ins: the tenth holds the login out, even with the right password -------------
for _ in $(seq 10); do expect_status 401 /login --data-urlencode login=prov --data-urlencode 'password=not it at all'; done
expect_status 429 /login --data-urlencode login=prov --data-urlencode "password=$PROV_PW"
expect_body 'Too many failed sign-ins with this login: try again in 15 minutes.'
expect_no_header Set-Cookie
sqlite3 "$DB" "UPDATE login_failure SET since = since - 900"
expect_status 303 /login --data-urlencode login=prov --data-urlencode "password=$PROV_PW"

# --- no password anywhere -------------------------------------------------------------
kill -TERM "$PID"
wait "$PID" || fail "server exit status $?"
PID=
for pw in "$ADMIN_PW" "$ANALYST_PW" "$NEW_PW" "$PROV_PW"; do
  ! grep -rqaF "$pw" "$WORK/bodies" "$WORK/serve.log" || fail "a password appears in a response or in the server's log"
done
grep -q '^POST /login 303 ' "$WORK/serve.log" || fail "the access log has no sign-in line"
echo "auth: $N requests checked"
exit 0
}
