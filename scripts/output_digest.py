"""sha256 of rasd's full JSON output over the first N news articles (refactor check).

    python scripts/output_digest.py [--n 600] [--data ../shared/data] [--ner SPEC]

Prints one digest; run it before and after a change that must not alter the output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from rasd.ingest import document_from_text
from rasd.paths import DEFAULT_DATA
from rasd.pipeline import Pipeline


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--ner", default=None)
    args = ap.parse_args()
    pipe = Pipeline(ner=args.ner)
    h = hashlib.sha256()
    with open(args.data / "news" / "saudinewsnet-2015.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= args.n:
                break
            r = json.loads(line)
            doc = pipe(document_from_text(r["text"], title=r["title"], id=r["id"]))
            h.update(doc.to_json().encode("utf-8") + b"\n")
    print(h.hexdigest())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
