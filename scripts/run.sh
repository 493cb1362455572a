#!/usr/bin/env bash
# The README's main job: install what is needed, build, make sure a database with
# ESCO exists, then start the server.
#
#   scripts/run.sh [serve options...]       e.g. scripts/run.sh --port 9000
#
# Environment:
#   SKILLHUB_DB    database file (default ./skillhub.db)
#   SKILLHUB_ESCO  directory of an official ESCO CSV package (default ../shared/data/esco/v1.1.1/en when present)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
export SKILLHUB_DB=${SKILLHUB_DB:-$PWD/skillhub.db}
bin=build/skillhub

if [ ! -s "$SKILLHUB_DB" ]; then
  esco=${SKILLHUB_ESCO:-}
  if [ -z "$esco" ] && [ -f ../shared/data/esco/v1.1.1/en/skills_en.csv ]; then
    esco=../shared/data/esco/v1.1.1/en
  fi
  if [ -z "$esco" ] || [ ! -d "$esco" ]; then
    cat >&2 <<MSG
skillhub: no database at $SKILLHUB_DB and no ESCO package found.
Download the ESCO classification (CSV, one language) from the ESCO portal's download page
(https://esco.ec.europa.eu/en/use-esco/download), unpack it, and run:
    SKILLHUB_ESCO=/path/to/esco/csv scripts/run.sh
MSG
    exit 1
  fi
  echo "skillhub: importing ESCO from $esco into $SKILLHUB_DB" >&2
  "$bin" import esco "$esco"
  "$bin" index build
fi
exec "$bin" serve "$@"
