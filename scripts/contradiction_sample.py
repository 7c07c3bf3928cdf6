"""Build and score the hand-checked sample of contradictions (eval/contradictions/README.md).

    python scripts/contradiction_sample.py build ANALYSED.jsonl... --out SAMPLE.json
    python scripts/contradiction_sample.py score eval/contradictions/sample.json JUDGE.json...

``build`` groups rasd's output documents (``rasd analyze --format jsonl``) into stories, finds
every contradiction of every story, of every kind (those off by default too), and writes them
with both evidence spans for the judges.
``score`` prints each judge's precision per kind, and the judges' agreement.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def build(inputs: list[Path], out: Path, evaluation_days: tuple[str, ...]) -> int:
    from rasd.stories.contradictions import KINDS
    from rasd.stories.view import stories_of, story_view

    docs, seen = [], set()
    for f in inputs:
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if d["document"]["id"] not in seen:
                    seen.add(d["document"]["id"])
                    docs.append(d)
    day = {d["document"]["id"]: (d["document"].get("published") or "")[:10] for d in docs}
    items = []
    for sid, members in stories_of(docs):
        if len(members) < 2:
            continue
        for c in story_view(members, sid, KINDS)["contradictions"]:
            sides = {}
            for s in ("a", "b"):
                ev = c[s]["evidence"]
                sides[s] = {"doc": c[s]["doc"], "outlet": c[s].get("outlet"),
                            "title": c[s].get("title"), "start": ev["start"], "end": ev["end"],
                            "text": ev["text"]}
            items.append({"id": f"x{len(items) + 1:03d}", "story": sid, "kind": c["kind"],
                          "field": c.get("field"), "values": c.get("values"),
                          "summary": c["summary"],
                          "evaluation_days": any(day[sides[s]["doc"]] in evaluation_days
                                                 for s in ("a", "b")),
                          "a": sides["a"], "b": sides["b"]})
    out.write_text(json.dumps({"source": f"rasd stories over {len(docs):,} analysed articles",
                               "items": items}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{out}: {len(items)} contradictions from {len(docs):,} articles",
          dict(Counter(i["kind"] for i in items)))
    return 0


def score(sample: Path, judges: list[Path]) -> int:
    items = {i["id"]: i for i in json.loads(sample.read_text(encoding="utf-8"))["items"]}
    verdicts = []
    for j in judges:
        data = json.loads(j.read_text(encoding="utf-8"))
        v = {x["id"]: bool(x["real"]) for x in data["items"]}
        missing = sorted(set(items) - set(v))
        if missing:
            print(f"{j}: no verdict for {missing[:5]}", file=sys.stderr)
            return 1
        verdicts.append((data.get("judge", j.stem), v))
        by_kind: Counter[tuple[str, bool]] = Counter((items[i]["kind"], v[i]) for i in items)
        kinds = sorted({k for k, _ in by_kind})
        parts = [f"{k} {by_kind[k, True]}/{by_kind[k, True] + by_kind[k, False]}" for k in kinds]
        real = sum(v.values())
        print(f"judge {verdicts[-1][0]}: precision {real}/{len(items)} = {real / len(items):.3f}"
              f" ({', '.join(parts)})")
    if len(verdicts) == 2:
        (_, a), (_, b) = verdicts
        same = sum(a[i] == b[i] for i in items)
        both = sum(a[i] and b[i] for i in items)
        print(f"agreement {same}/{len(items)} = {same / len(items):.3f}; real for both judges: "
              f"{both}/{len(items)} = {both / len(items):.3f}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("inputs", nargs="+", type=Path)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--evaluation-days", default="2015-08-10,2015-08-11")
    s = sub.add_parser("score")
    s.add_argument("sample", type=Path)
    s.add_argument("judges", nargs="+", type=Path)
    args = ap.parse_args()
    if args.cmd == "build":
        return build(args.inputs, args.out, tuple(args.evaluation_days.split(",")))
    return score(args.sample, args.judges)


if __name__ == "__main__":
    sys.exit(main())
