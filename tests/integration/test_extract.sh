#!/usr/bin/env bash
# `skillhub extract` and `skillhub titles` through the binary on tests/fixtures/esco-mini
# (English + French) with the inputs of tests/fixtures/text: JSON and plain lines, pass-through
# of extra fields, spans pointing at the label text, order kept with --jobs 2, malformed JSON
# lines (error line + message + exit 1), French labels, gender forms in titles, usage errors.
set -euo pipefail
if [ ! -d "$FIXTURES/esco-mini/en" ]; then
  echo "skipped: $FIXTURES/esco-mini not found"; exit 77
fi
DB="$WORK/mini.db"
T="$FIXTURES/text"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
expect_exit() { # what expected-status command...
  local what=$1 want=$2; shift 2
  local rc=0; "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" = "$want" ] || fail "$what: expected exit $want, got $rc; stderr: $(cat "$WORK/err")"
}
# JSON checks in python3 (installed by scripts/install-deps.sh)
py() { python3 -c "$@"; }

sh import esco --quiet "$FIXTURES/esco-mini/en" "$FIXTURES/esco-mini/fr" >/dev/null

# extract: one output line per input line, ids, pass-through, plain lines numbered
sh extract "$T/extract-en.jsonl" >"$WORK/en.out"
expect_eq "output lines" "$(wc -l <"$WORK/en.out")" "$(wc -l <"$T/extract-en.jsonl")"
py '
import json, sys
inp = open(sys.argv[1], encoding="utf-8").read().splitlines()
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
def fail(m): sys.exit("FAIL: " + m)
ids = [o["id"] for o in out]
if ids != ["a1", "a2", 3, "a4", "a5"]: fail("ids: expected [a1, a2, 3, a4, a5], got %r" % ids)
if out[0].get("source") != "fixture" or out[0].get("n") != 1: fail("extra fields not passed through: %r" % out[0])
if "text" in out[0]: fail("the text should not be echoed")
uris = [s["uri"].rsplit("/", 1)[1] for s in out[0]["skills"]]
if sorted(uris) != ["mini-s01", "mini-s03", "mini-s04"]: fail("a1 skills: expected s01 s03 s04, got %r" % uris)
# every span points at text that names the skill
text = json.loads(inp[0])["text"].encode()
for s in out[0]["skills"]:
    for a, b in s["spans"]:
        got = text[a:b].decode().lower()
        if got not in ("python", "sql", "debug software"): fail("span %d..%d is %r" % (a, b, got))
    if not s["spans"]: fail("default output lists only skills found literally, %s has no span" % s["uri"])
occ = [o["uri"].rsplit("/", 1)[1] for o in out[0]["occupations"]]
if occ != ["mini-o01"]: fail("a1 occupations: expected mini-o01, got %r" % occ)
plain = inp[2].encode()
for s in out[2]["skills"]:
    for a, b in s["spans"]:
        if plain[a:b].decode() not in ("install pipes", "repair plumbing systems"): fail("plain span %r" % plain[a:b])
if out[3]["skills"] or out[4]["skills"]: fail("empty text / no skill: expected no skills, got %r %r" % (out[3], out[4]))
scores = [s["score"] for s in out[0]["skills"]]
if scores != sorted(scores, reverse=True) or not all(0 <= x <= 1 for x in scores): fail("scores %r" % scores)
' "$T/extract-en.jsonl" "$WORK/en.out"

# --top K: exactly K candidates (the mini taxonomy has more than 3 skills), whatever their score
sh extract --top 3 "$T/extract-en.jsonl" >"$WORK/top.out"
py '
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
n = [len(o["skills"]) for o in out]
if n[0] != 3 or n[1] != 3: sys.exit("FAIL: --top 3: expected 3 skills for a1 and a2, got %r" % n)
' "$WORK/top.out"

# order is kept with several workers over many lines (more than one batch)
for i in $(seq 1 600); do
  case $((i % 3)) in
    0) echo "{\"id\": $i, \"text\": \"install pipes\"}" ;;
    1) echo "{\"id\": $i, \"text\": \"Python and SQL\"}" ;;
    2) echo "line $i: prepare food" ;;
  esac
done >"$WORK/many.jsonl"
sh extract --jobs 2 <"$WORK/many.jsonl" >"$WORK/many2.out"
sh extract --jobs 1 <"$WORK/many.jsonl" >"$WORK/many1.out"
cmp -s "$WORK/many1.out" "$WORK/many2.out" || fail "--jobs 2 output differs from --jobs 1"
py '
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
if ids != list(range(1, 601)): sys.exit("FAIL: ids out of order or missing: first %r" % ids[:10])
' "$WORK/many2.out"

# malformed JSON: an error line in place, a message naming the line on stderr, exit 1
expect_exit "malformed JSON" 1 sh extract --jobs 2 "$T/malformed.jsonl"
expect_eq "malformed: output lines" "$(wc -l <"$WORK/out")" "4"
grep -q "malformed.jsonl:2: malformed JSON" "$WORK/err" || fail "stderr should name line 2: $(cat "$WORK/err")"
grep -q "malformed.jsonl:3: field \"text\" is not a string" "$WORK/err" || fail "stderr should name line 3: $(cat "$WORK/err")"
py '
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
if out[1].get("line") != 2 or "error" not in out[1]: sys.exit("FAIL: line 2: %r" % out[1])
if out[2].get("id") != 3 or "error" not in out[2]: sys.exit("FAIL: line 3: %r" % out[2])
if out[3]["id"] != 4 or not out[3]["skills"]: sys.exit("FAIL: processing must go on after errors: %r" % out[3])
' "$WORK/out"

# French labels with --lang fr, spans on accented text
sh extract --lang fr "$T/extract-fr.jsonl" >"$WORK/fr.out"
py '
import json, sys
inp = [json.loads(l)["text"].encode() for l in open(sys.argv[1], encoding="utf-8")]
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
uris = sorted(s["uri"].rsplit("/", 1)[1] for s in out[0]["skills"])
if uris != ["mini-s04", "mini-s11"]: sys.exit("FAIL: f1 skills: expected s04 s11, got %r" % uris)
spans = {inp[0][a:b].decode() for s in out[0]["skills"] for a, b in s["spans"]}
if spans != {"déboguer un logiciel", "travailler en équipe"}: sys.exit("FAIL: f1 spans %r" % spans)
if out[0]["skills"][0]["label"] not in ("travailler en équipe", "déboguer un logiciel"): sys.exit("FAIL: French labels expected")
' "$T/extract-fr.jsonl" "$WORK/fr.out"

# titles: exact label first with score 1, gender markers ignored, distinct occupations, French
sh titles --top 2 "$T/titles-mixed.txt" >"$WORK/titles.out"
py '
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
first = [o["occupations"][0]["uri"].rsplit("/", 1)[1] for o in out]
if first != ["mini-o01", "mini-o01", "mini-o03", "mini-o04"]: sys.exit("FAIL: titles first: %r" % first)
if out[0]["occupations"][0]["score"] != 1: sys.exit("FAIL: exact title should score 1: %r" % out[0])
for o in out:
    u = [x["uri"] for x in o["occupations"]]
    if len(u) != len(set(u)) or len(u) > 2: sys.exit("FAIL: distinct, at most 2: %r" % u)
' "$WORK/titles.out"
sh titles --lang fr "$T/titles-fr.txt" >"$WORK/titles-fr.out"
py '
import json, sys
first = [json.loads(l)["occupations"][0]["uri"].rsplit("/", 1)[1] for l in open(sys.argv[1])]
if first != ["mini-o03", "mini-o01"]: sys.exit("FAIL: French titles first: %r" % first)
' "$WORK/titles-fr.out"

# usage errors: exit 2
expect_exit "--top bad" 2 sh extract --top abc "$T/extract-en.jsonl"
expect_exit "--top 0" 2 sh titles --top 0 "$T/titles-mixed.txt"
expect_exit "--jobs 0" 2 sh extract --jobs 0 "$T/extract-en.jsonl"
expect_exit "--min-score 2" 2 sh extract --min-score 2 "$T/extract-en.jsonl"
expect_exit "unknown option" 2 sh titles --frobnicate
expect_exit "missing file" 1 sh extract "$WORK/does-not-exist.jsonl"
expect_exit "--help" 0 sh extract --help
grep -q "usage: skillhub extract" "$WORK/out" || fail "--help should print the usage on stdout"
echo "ok"
