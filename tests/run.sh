#!/usr/bin/env bash
# Runs every test and prints one summary line "tests: N passed, N failed, N skipped".
#   unit tests:        $BUILD/tests/test_*   (cmocka; exit 0 = all passed)
#   integration tests: tests/integration/test_*.sh, run with
#       SKILLHUB=<binary>  FIXTURES=tests/fixtures  SHARED=<../shared/data or "">  WORK=<fresh temp dir>
#     exit 0 = pass, 77 = skipped (the script prints why), anything else = fail.
# Options: TESTS="pattern" runs only tests whose name contains the pattern.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export SKILLHUB="$PWD/$BUILD/skillhub" FIXTURES="$PWD/tests/fixtures" BUILD
SHARED_DIR=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ -d "$SHARED_DIR/esco" ]; then export SHARED="$(cd "$SHARED_DIR" && pwd)"; else export SHARED=""; fi
export SKILLHUB_SHARED="$SHARED"
[ -n "$SHARED" ] || echo "note: ../shared/data not found: tests over the real ESCO data and job ads are skipped"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass=0 fail=0 skip=0 failed=()
run_one() { # name, command...
  local name=$1; shift
  case "$name" in *"${TESTS:-}"*) ;; *) return ;; esac
  local log; log=$(mktemp)
  local t0; t0=$(date +%s%N)
  "$@" >"$log" 2>&1
  local rc=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  local dt="$((ms / 1000)).$(( (ms % 1000) / 100 ))"
  if [ $rc -eq 0 ]; then pass=$((pass+1)); echo "PASS  $name (${dt}s)"
  elif [ $rc -eq 77 ]; then skip=$((skip+1)); echo "SKIP  $name: $(tail -n 1 "$log")"
  else fail=$((fail+1)); failed+=("$name"); echo "FAIL  $name (exit $rc)"; sed 's/^/      /' "$log" | tail -n 60
  fi
  rm -f "$log"
}

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integration/test_*.sh; do
  [ -f "$t" ] || continue
  work=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-it-XXXXXX")
  WORK="$work" run_one "integration/$(basename "$t" .sh)" bash "$t"
  rm -rf "$work"
done

echo
[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
