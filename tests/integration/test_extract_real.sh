#!/usr/bin/env bash
# `skillhub extract` and `skillhub titles` on the real ESCO v1.1.1 English package (skipped
# without ../shared/data): literal labels rank in the top 3 with spans on the label text, a paraphrase
# without any literal label still finds the skill in the top 5, exact titles score 1.
set -euo pipefail
if [ -z "${SHARED:-}" ] || [ ! -d "$SHARED/esco/v1.1.1/en" ]; then
  echo "skipped: ../shared/data/esco/v1.1.1/en not found"; exit 77
fi
DB="$WORK/en.db"
sh() { "$SKILLHUB" --db "$DB" "$@"; }
sh import esco --quiet "$SHARED/esco/v1.1.1/en" >/dev/null
printf '%s\n' \
  '{"id": 1, "text": "You will own project management for our SQL reporting."}' \
  '{"id": 2, "text": "We manage the projects of our clients from start to finish."}' |
  sh extract --top 5 >"$WORK/out"
python3 - "$WORK/out" <<'PY'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
def fail(m): sys.exit("FAIL: " + m)
top = [s["label"] for s in out[0]["skills"]]
if not {"project management", "SQL"} <= set(top[:3]): fail("literal labels should rank in the top 3, got %r" % top)
text = b"You will own project management for our SQL reporting."
for s in out[0]["skills"]:
    if s["label"] in ("project management", "SQL"):
        a, b = s["spans"][0]
        if text[a:b].decode() != s["label"]: fail("span %r for %s" % (text[a:b], s["label"]))
if "project management" not in [s["label"] for s in out[1]["skills"]]:
    fail("paraphrase: project management not in the top 5: %r" % [s["label"] for s in out[1]["skills"]])
PY
printf 'software developer\nSoftware Developers\n' | sh titles --top 3 >"$WORK/titles"
python3 - "$WORK/titles" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)["occupations"]
    if o[0]["label"] != "software developer" or o[0]["score"] != 1:
        sys.exit("FAIL: expected software developer with score 1 first, got %r" % o[:2])
PY
echo "ok"
