#!/usr/bin/env bash
# Text pipeline throughput (bench/bench_tokenize.c): sh_tokenize and HTML
# stripping over the NHS and France Travail ad texts, in MB per CPU second, with
# two peers measured in the same run (a UTF-8 validation pass, utf8proc NFKC +
# casefold of each whole text) and the peak RSS.  See docs/text.md.
#   BUILD=build bench/tokenize.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ ! -f "$SHARED/jobads/nhs-uk-2020-11.jsonl" ]; then
  echo "skipped: $SHARED/jobads not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/bench/bench_tokenize" >/dev/null
"$BUILD/bench/bench_tokenize" "$SHARED" "${1:-1}"
