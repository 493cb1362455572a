#!/usr/bin/env python3
"""Synthetic training catalogue for the catalogue benchmarks (bench/catalogue.sh).

    catalogue_gen.py DB ADS N OUT [SEED]

DB is a skillhub database with an ESCO package imported, ADS a job-ad file in
JSON lines (schema.org JobPosting: title, description), N the number of
courses.  Writes OUT/providers.json and OUT/courses.csv in the catalogue's
exchange formats (docs/catalogue.md), deterministic for a seed.

Everything written is marked synthetic: provider ids "syn-pNNNN" named
"Synthetic provider N", course ids "SYN-NNNNNNN", audience "synthetic
benchmark data, not a real course" and descriptions starting with
"Synthetic course".  Only the skills and occupations are real:
  - 70 % of the courses prepare for a real occupation: 2 to 5 of its
    essential skills plus up to 2 skills drawn by demand;
  - the others teach 2 to 6 skills drawn by demand, where a skill's weight
    is the number of occupations that list it (essential counts twice),
    a skewed distribution like that of real demand;
  - titles combine a skill's ESCO label with a role taken from the ad
    titles, descriptions start with a sentence of an ad, outcomes are the
    skills' labels led by an action verb of the shipped rule file;
  - providers have Zipf-distributed sizes (a few large platforms, many
    small schools).
Also writes OUT/queries.tsv: the skills (kind skill), broad skills (with
narrower skills), occupations and text queries the search benchmark runs.
"""
import bisect
import csv
import html
import json
import random
import re
import sqlite3
import sys

VERBS = {"adjust", "analyse", "apply", "assemble", "assess", "build", "calculate", "carry", "check", "coach",
         "create", "define", "design", "diagnose", "document", "evaluate", "explain", "handle",
         "identify", "implement", "inspect", "install", "maintain", "manage", "measure", "monitor", "operate",
         "perform", "plan", "prepare", "use"}
COUNTRIES = ["DE", "FR", "PL", "ES", "SE", "IT", "CZ", "HU", "AT", "NL", "BE", "PT", "RO", "FI", "IE"]
LEVELS = ["Introduction to", "Fundamentals of", "Advanced", "Practical", "Refresher:", "Certified",
          "Hands-on", "Applied", "Professional"]
MODES = ["onsite", "online", "blended"]
LANGS = ["en", "en", "en", "en;de", "en;fr", "en;es"]


def cumulative(weights):
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def pick(rnd, items, cum):
    return items[bisect.bisect_left(cum, rnd.random() * cum[-1])]


def ad_texts(path, rnd):
    """Cleaned role titles and first sentences of the ads' descriptions."""
    titles, sentences = set(), []
    with open(path, encoding="utf-8") as f:
        for line in f:
            ad = json.loads(line)
            t = re.sub(r"[£$€]\s?[\d,.]+k?|\(.*?\)|\bwelcome bonus\b", " ", ad.get("title", ""), flags=re.I)
            t = re.sub(r"[^\w' /&-]+", " ", t)
            t = " ".join(t.split())
            if 3 <= len(t) <= 60:
                titles.add(t)
            d = re.sub(r"<[^>]*>", " ", html.unescape(html.unescape(ad.get("description", ""))))
            d = " ".join(d.split())
            m = re.match(r"(.{40,240}?[.!?])\s", d + " ")
            if m:
                sentences.append(m.group(1))
    titles = sorted(titles)
    rnd.shuffle(sentences)
    return titles, sentences


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit("usage: catalogue_gen.py DB ADS N OUT [SEED]")
    db, ads, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rnd = random.Random(int(sys.argv[5]) if len(sys.argv) == 6 else 6)
    con = sqlite3.connect(db)
    label = dict(con.execute("SELECT c.uri, l.text FROM concept c JOIN label l ON l.concept = c.id"
                             " WHERE c.kind = 'skill' AND c.status = 'released' AND l.lang = 'en'"
                             " AND l.kind = 'preferred'"))
    demand = con.execute("SELECT k.uri, sum(CASE s.relation WHEN 'essential' THEN 2 ELSE 1 END)"
                         " FROM occupation_skill s JOIN concept k ON k.id = s.skill"
                         " WHERE k.kind = 'skill' AND k.status = 'released' GROUP BY k.uri ORDER BY k.uri").fetchall()
    demand = [(u, w) for u, w in demand if u in label]
    skills = [u for u, _ in demand]
    skills_cum = cumulative(w for _, w in demand)
    occupations = {}
    for occ, skill in con.execute("SELECT o.uri, k.uri FROM occupation_skill s JOIN concept o ON o.id = s.occupation"
                                  " JOIN concept k ON k.id = s.skill WHERE s.relation = 'essential'"
                                  " AND o.status = 'released' AND k.kind = 'skill' AND k.status = 'released'"
                                  " ORDER BY o.uri, k.uri"):
        if skill in label:
            occupations.setdefault(occ, []).append(skill)
    occ_list = sorted(o for o, s in occupations.items() if len(s) >= 2)
    broad = [u for (u,) in con.execute(
        "SELECT p.uri FROM concept p JOIN broader b ON b.broader = p.id JOIN concept c ON c.id = b.concept"
        " WHERE p.kind = 'skill' AND c.kind = 'skill' GROUP BY p.id ORDER BY count(*) DESC, p.uri LIMIT 120")]
    titles, sentences = ad_texts(ads, rnd)

    nprov = max(1, n // 100)
    providers = [{"id": "syn-p%04d" % i, "name": "Synthetic provider %d" % i, "country": COUNTRIES[i % 15],
                  "type": ["vet", "higher_education", "company_academy", "association", "public"][i % 5]}
                 for i in range(nprov)]
    with open(out + "/providers.json", "w") as f:
        json.dump({"providers": providers}, f)
    prov_cum = cumulative(1.0 / (k + 1) ** 0.8 for k in range(nprov))

    with open(out + "/courses.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "provider", "mode", "region", "languages", "hours", "ects", "eqf", "cost", "currency",
                    "start", "end", "self_paced", "url", "audience", "skills", "title_en", "description_en",
                    "outcomes_en"])
        for i in range(n):
            p = bisect.bisect_left(prov_cum, rnd.random() * prov_cum[-1])
            chosen = []
            if rnd.random() < 0.7:
                ess = occupations[rnd.choice(occ_list)]
                chosen = rnd.sample(ess, min(len(ess), rnd.randint(2, 5)))
                extra = rnd.randint(0, 2)
            else:
                extra = rnd.randint(2, 6)
            for _ in range(extra):
                s = pick(rnd, skills, skills_cum)
                if s not in chosen:
                    chosen.append(s)
            main_label = label[chosen[0]]
            title = "%s %s" % (rnd.choice(LEVELS), main_label)
            if rnd.random() < 0.5:
                title += " for " + rnd.choice(titles)
            outcomes = []
            for s in chosen[:4]:
                text = label[s]
                first = text.split(" ", 1)[0].lower()
                outcomes.append((text[0].upper() + text[1:]) if first in VERBS else "Apply " + text)
            hours = rnd.choice([8, 16, 25, 50, 75, 150])
            self_paced = rnd.random() < 0.2
            month, day = rnd.randrange(1, 13), rnd.randrange(1, 28)
            w.writerow(["SYN-%07d" % i, providers[p]["id"], MODES[i % 3],
                        COUNTRIES[p % 15] + str(rnd.randrange(1, 5)), rnd.choice(LANGS), hours,
                        hours // 25 if hours >= 25 else "", rnd.randrange(2, 8), rnd.randrange(0, 3000), "EUR",
                        "" if self_paced else "2027-%02d-%02d" % (month, day),
                        "" if self_paced else "2027-%02d-%02d" % (month, day + 1),
                        "true" if self_paced else "false", "https://example.org/synthetic/%d" % i,
                        "synthetic benchmark data, not a real course", ";".join(chosen), title,
                        "Synthetic course on %s. %s" % (", ".join(label[s] for s in chosen),
                                                        sentences[i % len(sentences)]),
                        "\n".join(o + "." for o in outcomes)])

    # Queries: skills by demand (those courses teach), broad skills, occupations, text.
    with open(out + "/queries.tsv", "w") as f:
        for _ in range(200):
            f.write("skill\t%s\n" % pick(rnd, skills, skills_cum))
        for u in rnd.sample(broad, 60):
            f.write("broad\t%s\n" % u)
        for o in rnd.sample(occ_list, 100):
            f.write("occupation\t%s\n" % o)
        for _ in range(100):
            words = re.sub(r"[^\w ]+", " ", label[pick(rnd, skills, skills_cum)]).split()
            f.write("text\t%s\n" % " ".join(words[:3]))


if __name__ == "__main__":
    main()
