"""The annotators' tool for the span-level corpus (docs/annotation.md, part B).

    python scripts/annotate.py show ID            # the article text, numbered lines, offsets
    python scripts/annotate.py find ID 'STRING'   # every occurrence: occ, [start, end), context
    python scripts/annotate.py check FILE...      # resolve and check every span; --write stores
                                                  # the offsets in the file (start/end added)
    python scripts/annotate.py stats FILE...      # counts per layer

ID is a record id of shared/data/news/saudinewsnet-conflict.jsonl; --data points at
shared/data (default ../shared/data). `check` exits 1 when any file fails, naming the file,
the field and the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rasd.eval.corpus import (
    CorpusError,
    article_text,
    occurrences,
    read_records,
    resolve,
    source_record,
)

FILE = "news/saudinewsnet-conflict.jsonl"


def _text(data: Path, rid: str) -> str:
    recs = read_records(data, FILE)
    if rid not in recs:
        raise SystemExit(f"{rid}: not a record of {FILE}")
    return article_text(recs[rid])


def cmd_show(args: argparse.Namespace) -> int:
    text = _text(args.data, args.id)
    pos = 0
    for n, line in enumerate(text.split("\n"), 1):
        print(f"[line {n} @{pos}] {line}")
        pos += len(line) + 1
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    text = _text(args.data, args.id)
    hits = occurrences(text, args.string)
    if not hits:
        print(f"{args.string!r}: not in the text")
        return 1
    for k, a in enumerate(hits, 1):
        b = a + len(args.string)
        left = text[max(0, a - 30):a].replace("\n", " ")
        right = text[b:b + 30].replace("\n", " ")
        print(f"occ {k}: [{a}, {b})  …{left}⟦{args.string}⟧{right}…")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    bad = 0
    for f in args.files:
        path = Path(f)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"{path}: not readable JSON: {exc}")
            bad += 1
            continue
        try:
            text = article_text(source_record(args.data, data["source"]))
            out = resolve(data, text)
        except (CorpusError, KeyError, TypeError) as exc:
            print(f"{path}: {exc}")
            bad += 1
            continue
        if args.write:
            path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        n_m = sum(len(e["mentions"]) for e in out["entities"])
        print(f"{path}: ok — {len(out['entities'])} entities, {n_m} mentions, "
              f"{len(out['claims'])} claims, {len(out['events'])} events")
    return 1 if bad else 0


def cmd_stats(args: argparse.Namespace) -> int:
    return cmd_check(argparse.Namespace(files=args.files, data=args.data, write=False))


def main() -> int:
    ap = argparse.ArgumentParser(description="annotation tool for eval/corpus")
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent
                    / "shared" / "data")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("show")
    s.add_argument("id")
    s = sub.add_parser("find")
    s.add_argument("id")
    s.add_argument("string")
    s = sub.add_parser("check")
    s.add_argument("files", nargs="+")
    s.add_argument("--write", action="store_true", help="store resolved offsets in the file")
    s = sub.add_parser("stats")
    s.add_argument("files", nargs="+")
    args = ap.parse_args()
    return {"show": cmd_show, "find": cmd_find, "check": cmd_check, "stats": cmd_stats}[
        args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
