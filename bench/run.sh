#!/usr/bin/env bash
# Runs every benchmark script (bench/*.sh except this one) and keeps their output
# under bench/out/<name>.txt.  Benchmarks need ../shared/data (real ESCO and job ads)
# and the peers installed by `scripts/install-deps.sh --bench`.
#   bench/run.sh              all benchmarks
#   bench/run.sh search       only bench/search.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
mkdir -p bench/out
status=0
for script in bench/*.sh; do
  name=$(basename "$script" .sh)
  [ "$name" = run ] && continue
  [ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
  echo "== $name"
  if ! bash "$script" 2>&1 | tee "bench/out/$name.txt"; then status=1; fi
done
exit $status
