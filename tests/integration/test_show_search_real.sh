#!/usr/bin/env bash
# Search quality and `show` on the full ESCO v1.1.1 English package (../shared/data):
# documented queries must return the expected concept in the top 3, and an occupation
# lists its essential skills.  Skipped when the shared data is absent.
set -euo pipefail
if [ -z "${SHARED:-}" ] || [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: ../shared/data/esco/v1.1.1/en not found"; exit 77
fi
DB="$WORK/esco.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
sh import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null
sh index build >/dev/null

# query | expected in the top 3: the preferred label of a concept (exact), or "~word" = any
# hit whose label contains word
check() {
  local query=$1 want=$2 labels
  labels=$(sh search --json --limit 3 "$query" | jq -r '.[].label')
  case "$want" in
    "~"*) grep -qiF -- "${want#\~}" <<<"$labels" && return ;;
    *)    grep -qxF -- "$want" <<<"$labels" && return ;;
  esac
  fail "search '$query': expected '$want' in the top 3, got:
$labels"
}
check "python programming" "Python (computer programming)"   # part of a label
check "nurse" "~nurse"                                       # an occupation for a one-word title
check "managing budgets" "manage budgets"                    # inflection
check "developer software" "software developer"              # word order
check "sofware developer" "software developer"               # typo
check "electritian" "electrician"                            # typo in a one-word query
check "primary school teachers" "primary school teacher"     # plural

types=$(sh search --json --limit 3 nurse | jq -r '.[].type')
grep -qx occupation <<<"$types" || fail "search 'nurse': no occupation in the top 3 ($types)"

# show: an occupation with its essential skills
uri=$(sh search --json --type occupation --limit 1 "software developer" | jq -r '.[0].uri')
json=$(sh show --json "$uri")
n=$(jq '.essentialSkills | length' <<<"$json")
[ "$n" -ge 5 ] || fail "show software developer: expected at least 5 essential skills, got $n"
jq -r '.essentialSkills[].label' <<<"$json" | grep -qi "program" \
  || fail "show software developer: no programming skill among the essential skills"
out=$(sh show "$uri")
grep -q "^essential skills ($n):" <<<"$out" || fail "show text: no 'essential skills ($n):' line"
echo "ok"
