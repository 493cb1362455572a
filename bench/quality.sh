#!/usr/bin/env bash
# Quality of skill ranking and title normalisation against the reference peer, in the same run.
#
#   bench/quality.sh            (BUILD=build by default; needs ../shared/data and ../shared/tools)
#
# Builds two databases in a temporary directory: ESCO v1.1.1/en (skills, English titles) and
# v1.1.1/en + the German and French occupation labels of v1.0.8 (MELO titles).  Then scores
# `skillhub extract --top 100` / `skillhub titles --top 100` and ../shared/tools/bm25_ranker.py
# with ../shared/tools/score.py (metrics: ../shared/docs/metrics.md) on every development set
# and prints one table: set, metric, skillhub, peer, ratio (skillhub / peer).  The "seconds"
# rows are whole-process times (start-up and index load included) of each command on the set.
# Set SKILLHUB_CORPUS=FILE to compile job-ad term weights into the index (docs/ranking.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SKILLHUB="$PWD/$BUILD/skillhub"
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
TOOLS="$SHARED/../tools"
if [ ! -d "$SHARED/eval-dev" ] || [ ! -f "$TOOLS/score.py" ]; then
  echo "skipped: $SHARED/eval-dev or $TOOLS/score.py not found (../shared is absent)"; exit 0
fi
[ -x "$SKILLHUB" ] || { echo "build first: make BUILD=$BUILD" >&2; exit 1; }
ESCO="$SHARED/esco/v1.1.1/en"
OCC8="$SHARED/esco/v1.0.8-occupations"
EVAL="$SHARED/eval-dev"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-quality-XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "importing ESCO into $TMP ..." >&2
"$SKILLHUB" --db "$TMP/en.db" import esco --quiet "$ESCO" >/dev/null
"$SKILLHUB" --db "$TMP/en.db" index build >/dev/null
# MELO: only the German and French occupation files of v1.0.8 (a directory of links to them)
mkdir -p "$TMP/occ-de-fr"
ln -s "$OCC8/occupations_de.csv" "$OCC8/occupations_fr.csv" "$TMP/occ-de-fr/"
"$SKILLHUB" --db "$TMP/melo.db" import esco --quiet "$ESCO" "$TMP/occ-de-fr" >/dev/null
"$SKILLHUB" --db "$TMP/melo.db" index build >/dev/null

PEER=(python3 "$TOOLS/bm25_ranker.py")
RESULTS="$TMP/results.tsv"
# score NAME SYSTEM -- score.py arguments ... -- command ...
score() {
  local name=$1 system=$2; shift 2
  echo "scoring $system on $name ..." >&2
  python3 "$TOOLS/score.py" "$@" | tail -n 1 |
    python3 -c 'import json, sys
d = json.load(sys.stdin)
for k, v in d.items():
    if k not in ("queries", "unanswered"):
        print(sys.argv[1], k, sys.argv[2], v, sep="\t")' "$name" "$system" >>"$RESULTS"
}

for set in tech-validation house-validation skillskape-dev; do
  gold=(skills --gold "$EVAL/skills-$set.csv" --esco "$ESCO/skills_en.csv" --)
  score "skills-$set" skillhub "${gold[@]}" "$SKILLHUB" --db "$TMP/en.db" extract --top 100
  score "skills-$set" peer "${gold[@]}" "${PEER[@]}" skills "$ESCO/skills_en.csv"
done
gold=(titles --gold "$EVAL/titles-en-dev.csv" --)
score titles-en-dev skillhub "${gold[@]}" "$SKILLHUB" --db "$TMP/en.db" titles --top 100
score titles-en-dev peer "${gold[@]}" "${PEER[@]}" titles "$ESCO/occupations_en.csv"
for m in "aut-de de" "bel-fr fr"; do
  set -- $m
  gold=(titles --melo "$EVAL/titles-melo-$1" --)
  score "titles-melo-$1" skillhub "${gold[@]}" "$SKILLHUB" --db "$TMP/melo.db" titles --lang "$2" --top 100
  score "titles-melo-$1" peer "${gold[@]}" "${PEER[@]}" titles "$OCC8/occupations_$2.csv"
done

python3 - "$RESULTS" <<'PY'
import collections, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, metric, system, value = line.rstrip("\n").split("\t")
    rows.setdefault((name, metric), {})[system] = float(value)
print("%-26s %-8s %9s %9s %7s" % ("set", "metric", "skillhub", "peer", "ratio"))
for (name, metric), v in rows.items():
    s, p = v.get("skillhub"), v.get("peer")
    ratio = "%.2f" % (s / p) if s is not None and p else "-"
    print("%-26s %-8s %9.4f %9.4f %7s" % (name, metric, s or 0, p or 0, ratio))
print("\nThis service uses the ESCO classification of the European Commission.")
PY
