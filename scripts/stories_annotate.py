"""The annotators' tool for the story gold sets (eval/stories/README.md).

    python scripts/stories_annotate.py list --days 2015-07-23,2015-07-24 [--chars 400]
        every article of the selection: id, outlet, time, title and the opening of the text
    python scripts/stories_annotate.py show ID        # one article in full
    python scripts/stories_annotate.py check FILE...  # the file partitions its selection
    python scripts/stories_annotate.py agree A B      # B-cubed and pairwise agreement of two files

--data points at shared/data (default ../shared/data). Exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rasd.eval.corpus import read_records
from rasd.eval.stories import (
    DEFAULT_FILE,
    StoryGoldError,
    bcubed,
    counts,
    load_gold,
    pairwise,
    selection,
)
from rasd.paths import DEFAULT_DATA


def cmd_list(args: argparse.Namespace) -> int:
    recs = selection(args.data, args.file, args.days.split(","))
    recs.sort(key=lambda r: (r["date"], r["id"]))
    for r in recs:
        lead = " ".join(r["text"].split())[: args.chars]
        print(f"## {r['id']} | {r['outlet']} | {r['date']}\nTITLE: {r['title'].strip()}\n{lead}\n")
    print(f"{len(recs)} articles", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    recs = read_records(args.data, args.file)
    if args.id not in recs:
        print(f"{args.id}: not a record of {args.file}", file=sys.stderr)
        return 1
    r = recs[args.id]
    print(f"{r['id']} | {r['outlet']} | {r['date']}\nTITLE: {r['title']}\n\n{r['text']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    bad = 0
    for f in args.files:
        try:
            g = load_gold(Path(f), args.data)
        except StoryGoldError as exc:
            print(exc, file=sys.stderr)
            bad += 1
            continue
        c = counts(g)
        print(f"{f}: ok, {c['articles']} articles in {c['stories']} stories "
              f"({c['multi']} with more than one article, largest {c['largest']})")
    return 1 if bad else 0


def cmd_agree(args: argparse.Namespace) -> int:
    try:
        a, b = load_gold(Path(args.a), args.data), load_gold(Path(args.b), args.data)
    except StoryGoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    la, lb = a.labels(), b.labels()
    for name, fn in (("B-cubed", bcubed), ("pairwise", pairwise)):
        s = fn(la, lb)
        print(f"{name}: P {s.p:.3f} R {s.r:.3f} F1 {s.f:.3f}  (A as reference)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--file", default=DEFAULT_FILE)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("list")
    p.add_argument("--days", required=True)
    p.add_argument("--chars", type=int, default=400)
    p = sub.add_parser("show")
    p.add_argument("id")
    p = sub.add_parser("check")
    p.add_argument("files", nargs="+")
    p = sub.add_parser("agree")
    p.add_argument("a")
    p.add_argument("b")
    args = ap.parse_args(argv)
    commands = {"list": cmd_list, "show": cmd_show, "check": cmd_check, "agree": cmd_agree}
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
