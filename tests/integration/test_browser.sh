#!/usr/bin/env bash
# The web UI in a real browser: imports the esco-mini fixture (English and
# French), builds the index, starts `skillhub serve --port 0` and runs
# tests/browser/ui-test.mjs (headless Debian Chromium driven by playwright-core)
# against it, then stops the server with SIGTERM and checks it exits 0.
# Screenshots go to tests/out/browser/ (gitignored).
# Skips (77) when node, Chromium or tests/browser/node_modules is missing:
# scripts/test.sh installs them (scripts/install-deps.sh --browser, npm ci).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "skipped: node is not installed (scripts/install-deps.sh --browser)"; exit 77; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "skipped: node $(node --version) is too old for playwright-core (needs 20)"; exit 77; }
[ -x "$CHROMIUM" ] || { echo "skipped: $CHROMIUM is missing (scripts/install-deps.sh --browser)"; exit 77; }
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] ||
  { echo "skipped: tests/browser/node_modules is missing (npm ci --prefix tests/browser)"; exit 77; }

fail() { echo "FAIL: $*" >&2; exit 1; }
DB="$WORK/browser.db"
"$SKILLHUB" --db "$DB" import esco --version 1.1.1 --quiet "$FIXTURES/esco-mini/en" "$FIXTURES/esco-mini/fr"
"$SKILLHUB" --db "$DB" index build >/dev/null
# Ads and approved courses for the Intelligence pages (ui-test.mjs, intelligenceScenario).
"$SKILLHUB" --db "$DB" ads ingest "$FIXTURES/ads/ingest-flat.jsonl" "$FIXTURES/ads/ingest-jobposting.jsonl" \
  "$FIXTURES/ads/ingest-eures.csv" >/dev/null 2>&1
export SKILLHUB_RULES="$ROOT/rules/quality-rules.json"
"$SKILLHUB" --db "$DB" courses import "$FIXTURES/intel/supply-courses.json" >/dev/null
for c in PY-DE FOOD-UK SQL-WEB PIPE-LV; do
  "$SKILLHUB" --db "$DB" courses submit "$c" >/dev/null && "$SKILLHUB" --db "$DB" courses approve "$c" >/dev/null
done
# A provider and the accounts of the catalogue's pages (ui-test.mjs, courseWorkflowScenario).
"$SKILLHUB" --db "$DB" providers add --id ui-academy --name "UI Academy" --country DE --type vet >/dev/null
echo 'provider password' | "$SKILLHUB" --db "$DB" accounts add ui-provider --role provider --provider ui-academy >/dev/null 2>&1
echo 'reviewer password' | "$SKILLHUB" --db "$DB" accounts add ui-reviewer --role reviewer >/dev/null 2>&1
# The learner of the pathway pages (ui-test.mjs, pathwaysScenario).
echo 'learner password' | "$SKILLHUB" --db "$DB" accounts add ui-learner --role learner >/dev/null 2>&1

LOG="$WORK/serve.log"
"$SKILLHUB" --db "$DB" serve --port 0 2>"$LOG" &
PID=$!
trap 'kill -9 "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$LOG" && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; fail "server exited before listening"; }
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$LOG" | head -n 1)
[ -n "$BASE" ] || fail "no 'listening on' line in $LOG: $(cat "$LOG")"

OUT="$ROOT/tests/out/browser"
mkdir -p "$OUT"
rm -f "$OUT"/*.png
rc=0
BASE_URL="$BASE" OUT_DIR="$OUT" CHROMIUM="$CHROMIUM" node "$ROOT/tests/browser/ui-test.mjs" || rc=$?
if [ "$rc" != 0 ]; then
  echo "server log (last lines):" >&2
  tail -n 20 "$LOG" >&2
  fail "ui-test.mjs exited with $rc (screenshots in $OUT)"
fi

kill -TERM "$PID"
rc=0
wait "$PID" || rc=$?
trap - EXIT
[ "$rc" = 0 ] || fail "server exited with $rc after SIGTERM, expected 0: $(tail -n 5 "$LOG")"
grep -q 'stopped' "$LOG" || fail "no 'stopped' line in the server log: $(tail -n 3 "$LOG")"
echo "browser: all scenarios passed; screenshots in tests/out/browser/"
