"""Choose the articles of the annotated corpus (eval/corpus/manifest.json) and its splits.

Deterministic: candidates are ordered by sha1("corpus" + id), a fixed order unrelated to rasd.
Splits are by time window and story, not by article:

* test  — the two evaluation days 2015-08-10/11 (shared/data/news/SOURCE.md keeps them for
  evaluation: nothing is built or tuned on them);
* dev   — 2015-08-08/09;
* train — 2015-07-21 .. 2015-08-07;

and an article is dropped from dev/train when it tells the same story as a test article (and
from train when it does so for a dev article): 5-word shingle containment >= 0.12 or title
word Jaccard >= 0.4, after normalization. Held-out/development gold articles and their
same-story rewrites are excluded everywhere. Within a split the choice walks the countries
round-robin (LY, SD, IQ, PS, SY, YE: the rarest first) and caps each outlet at a quarter.

    python scripts/corpus_select.py --data ../shared/data --out eval/corpus/manifest.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from rasd.eval.corpus import article_text, read_records
from rasd.eval.gold import norm
from rasd.paths import DEFAULT_DATA

FILE = "news/saudinewsnet-conflict.jsonl"
COUNTRIES = ("LY", "SD", "IQ", "PS", "SY", "YE")
QUOTA = {"test": 36, "dev": 24, "train": 180}
RESERVE = {"test": 8, "dev": 4, "train": 20}
WINDOWS = {"test": ("2015-08-10", "2015-08-11"), "dev": ("2015-08-08", "2015-08-09"),
           "train": ("2015-07-21", "2015-08-07")}


# Politics/conflict words (normalized): an article needs 4 hits, so that a sports or culture
# item that merely names a city (a match in Benghazi) is not drawn.
TOPIC = re.compile(r"(قوات|هجوم|قتل|مقتل|الحكومه|وزير|الرئيس|مسلح|غارات|غاره|المعارضه|الامم"
                   r"|داعش|الحوثي|قصف|اشتباكات|مجلس|الجيش|التحالف|النظام|الاحتلال|انتخابات"
                   r"|البرلمان|المتحدث|اعتقال|معارك|الميليشيات|مليشيات|الشرطه|الامن)")


def words(s: str) -> list[str]:
    return re.findall(r"\w+", norm(s))


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def same_story(a: dict, b: dict) -> bool:
    sa, sb = a["_sh"], b["_sh"]
    if sa and sb and len(sa & sb) / min(len(sa), len(sb)) >= 0.12:
        return True
    ta, tb = set(words(a["title"])), set(words(b["title"]))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.4


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("eval/corpus/manifest.json"))
    ap.add_argument("--repo", type=Path, default=Path("."))
    args = ap.parse_args()

    recs = read_records(args.data, FILE)
    gold_ids = set()
    for folder in ("eval/gold", "eval/gold_heldout"):
        for p in (args.repo / folder).glob("*.json"):
            gold_ids.add(json.loads(p.read_text(encoding="utf-8"))["source"]["id"])
    gold = [recs[i] for i in gold_ids if i in recs]
    for r in recs.values():
        r["_sh"] = shingles(article_text(r))
    for g in gold:
        g["_sh"] = shingles(article_text(g))

    def ok(r: dict) -> bool:
        n = len(article_text(r))
        topical = len(TOPIC.findall(norm(article_text(r)))) >= 4
        return (700 <= n <= 3000 and topical and r.get("category") != "Articles"
                and r["id"] not in gold_ids
                and any(c in COUNTRIES for c in r["countries_kw"])
                and not any(same_story(r, g) for g in gold))

    order = sorted((r for r in recs.values() if ok(r)),
                   key=lambda r: hashlib.sha1(("corpus" + r["id"]).encode()).hexdigest())
    chosen: dict[str, list[dict]] = {}
    taken: list[dict] = []
    for split in ("test", "dev", "train"):
        lo, hi = WINDOWS[split]
        pool = [r for r in order if lo <= r["date"][:10] <= hi
                and not any(same_story(r, t) for t in taken)]
        want = QUOTA[split] + RESERVE[split]
        picked: list[dict] = []
        per_outlet: dict[str, int] = {}
        cap = max(2, want // 4)
        by_country = {c: [r for r in pool if c in r["countries_kw"]] for c in COUNTRIES}
        while len(picked) < want and any(by_country.values()):
            for c in COUNTRIES:
                while by_country[c]:
                    r = by_country[c].pop(0)
                    if r in picked or per_outlet.get(r["outlet"], 0) >= cap:
                        continue
                    if any(same_story(r, p) for p in picked):
                        continue  # one article per story within a split too
                    picked.append(r)
                    per_outlet[r["outlet"]] = per_outlet.get(r["outlet"], 0) + 1
                    break
                if len(picked) >= want:
                    break
        chosen[split] = picked
        taken.extend(picked)

    rows = []
    for split, picked in chosen.items():
        for k, r in enumerate(picked):
            rows.append({"id": r["id"], "split": split, "reserve": k >= QUOTA[split],
                         "outlet": r["outlet"], "date": r["date"][:10],
                         "countries_kw": r["countries_kw"], "chars": len(article_text(r)),
                         "file": FILE})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"source_file": FILE, "articles": rows}, ensure_ascii=False,
                                   indent=1) + "\n", encoding="utf-8")
    for split in chosen:
        sel = [r for r in rows if r["split"] == split]
        print(split, len(sel), "chars", sum(r["chars"] for r in sel))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
