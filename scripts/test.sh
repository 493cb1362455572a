#!/usr/bin/env bash
# The README's test command: installs what the build and the tests need (Debian
# packages, the browser tests' npm packages), builds, runs every test, then runs
# them again under ASan + UBSan (the browser test included: there it drives a
# sanitised server, whose leaks and errors make it fail), and finally runs every
# libFuzzer target for a short while (make fuzz-smoke).
#   scripts/test.sh            everything
#   scripts/test.sh --quick    plain build only (no sanitiser pass, no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --browser --fuzz
# The browser tests' npm packages (tests/browser/package-lock.json), installed again only when the lock changed.
lock_sum=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
if [ "$(cat tests/browser/node_modules/.lock-sha256 2>/dev/null)" != "$lock_sum" ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
  echo "$lock_sum" > tests/browser/node_modules/.lock-sha256
fi
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"
make -j"$jobs" test
if [ "${1:-}" != "--quick" ]; then
  make -j"$jobs" check-asan
  make -j"$jobs" fuzz-smoke FUZZ_SECONDS=10
fi
