#!/usr/bin/env bash
# The README's test command: installs what the build needs (Debian packages),
# builds, runs every test, then runs them again under ASan + UBSan.
#   scripts/test.sh            everything
#   scripts/test.sh --quick    plain build only (no sanitiser pass)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"
make -j"$jobs" test
if [ "${1:-}" != "--quick" ]; then
  make -j"$jobs" check-asan
fi
