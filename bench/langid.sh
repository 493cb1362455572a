#!/usr/bin/env bash
# Language identification: accuracy per language and speed of sh_langid_* against a
# stop-word counting baseline (bench/langid.c), trained and measured in the same run.
#   training: every label and description of the ESCO CSVs in ../shared/data (the rows the
#             importer stores in the label and note tables): occupations in 25 languages
#             (v1.0.8), skills + occupations in en (v1.1.1), skills in fr and es (v1.0)
#   baseline: the 40 most frequent words of each language's training text
#   then the same from a database imported by 'skillhub import esco' (sh_langid_train_from_db)
#   evaluation: the hand-labelled EURES sample (tests/fixtures/ads/langid-sample.tsv, text read
#             from ../shared by file:job_id), every France Travail ad (fr), 500 NHS ads (en)
# Usage: BUILD=build bench/langid.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SKILLHUB_SHARED:-$PWD/../shared/data}
if [ ! -d "$SHARED/esco" ] || [ ! -d "$SHARED/jobads" ]; then
  echo "skipped: ../shared/data (ESCO CSVs and job ads) not found"; exit 0
fi
make -s BUILD="$BUILD" "$BUILD/bench/langid" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skillhub-langid-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 - "$SHARED" "$tmp" tests/fixtures/ads/langid-sample.tsv <<'PY'
import csv, glob, html, json, os, re, sys, collections
csv.field_size_limit(1 << 30)
shared, out, sample = sys.argv[1:4]
clean = lambda s: ' '.join(s.split())
files = [(re.search(r'_([a-z]{2})\.csv$', f).group(1), f)
         for f in sorted(glob.glob(f'{shared}/esco/v1.0.8-occupations/occupations_*.csv'))]
files += [('en', f'{shared}/esco/v1.1.1/en/occupations_en.csv'), ('en', f'{shared}/esco/v1.1.1/en/skills_en.csv'),
          ('fr', f'{shared}/esco/v1.0/fr/skills_fr.csv'), ('es', f'{shared}/esco/v1.0/es/skills_es.csv')]
words = collections.defaultdict(collections.Counter)
with open(f'{out}/train.tsv', 'w') as t:
    for lang, f in files:
        for row in csv.DictReader(open(f, encoding='utf-8-sig')):
            for col in ('preferredLabel', 'altLabels', 'hiddenLabels', 'description', 'definition', 'scopeNote'):
                for text in (row.get(col) or '').split('\n'):
                    text = clean(text)
                    if text:
                        t.write(f'{lang}\t{text}\n')
                        words[lang].update(w for w in re.findall(r'[^\W\d_]+', text.casefold()))
with open(f'{out}/stopwords.tsv', 'w') as s:
    for lang, c in sorted(words.items()):
        for w, _ in c.most_common(40):
            s.write(f'{lang}\t{w}\n')
def strip_html(s):
    s = html.unescape(html.unescape(s))
    return clean(re.sub(r'<[^>]*>', ' ', s))
eures = {}
for f in sorted(glob.glob(f'{shared}/jobads/eures-multilang-*.csv')):
    base = os.path.basename(f)[:-4]
    for row in csv.DictReader(open(f, encoding='utf-8')):
        eures[f'{base}:{row["job_id"]}'] = clean(row['job_title'] + '. ' + row['full_description'])
with open(f'{out}/eval.tsv', 'w') as e:
    for line in open(sample):
        if line.startswith('#') or not line.strip():
            continue
        key, lang = line.split()
        e.write(f'eures-sample\t{lang}\t{eures[key]}\n')
    for line in open(f'{shared}/jobads/france-travail-fr.jsonl'):
        ad = json.loads(line)
        e.write(f'france-travail\tfr\t{clean(ad["title"] + ". " + ad["description"])}\n')
    for i, line in enumerate(open(f'{shared}/jobads/nhs-uk-2020-11.jsonl')):
        if i == 500:
            break
        ad = json.loads(line)
        e.write(f'nhs\ten\t{clean(ad["title"] + ". " + strip_html(ad["description"]))}\n')
PY
# Sort the evaluation lines by set and language so the driver prints one line per group.
sort -s -t $'\t' -k1,1 -k2,2 "$tmp/eval.tsv" > "$tmp/eval-sorted.tsv"
/usr/bin/time -o "$tmp/time" -f "process: peak RSS %M KB, %e s wall" "$BUILD/bench/langid" \
  --train-tsv "$tmp/train.tsv" --stopwords "$tmp/stopwords.tsv" --eval "$tmp/eval-sorted.tsv" --repeat 3
cat "$tmp/time"
# The same through the database: import the ESCO packages, train with sh_langid_train_from_db.
echo "-- trained from a database built by 'skillhub import esco'"
make -s BUILD="$BUILD" "$BUILD/skillhub" >/dev/null
"$BUILD/skillhub" --db "$tmp/esco.db" import esco --quiet "$SHARED/esco/v1.1.1/en" "$SHARED/esco/v1.0/fr" \
  "$SHARED/esco/v1.0/es" "$SHARED/esco/v1.0.8-occupations" >/dev/null
"$BUILD/bench/langid" --db "$tmp/esco.db" --stopwords "$tmp/stopwords.tsv" --eval "$tmp/eval-sorted.tsv" \
  --repeat 1 | grep -E '^(model|all)'

