"""Build the story clusterer's document frequencies (``resources/stories/df.tsv.gz``).

    rasd train stories --data ../shared/data [--out PATH] [--min-df N]

Counts, for every clustering term (normalized stem, rasd.stories.features), the number of
articles of ``news/saudinewsnet-rest.jsonl.gz`` that contain it. That file holds every topic
and no article of the two evaluation days (2015-08-10/11), so nothing is learned from the story
test set. Terms seen in fewer than ``--min-df`` articles are dropped (an unseen term gets the
highest idf at run time, as a rare one should).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from rasd.stories.features import Featurizer

SOURCE = "news/saudinewsnet-rest.jsonl.gz"


def build(shared_data: Path, out: Path, min_df: int = 3) -> tuple[int, int]:
    """Count the terms of ``shared_data/SOURCE`` into ``out``: ``(articles, terms kept)``."""
    feat = Featurizer()
    df: Counter[str] = Counter()
    n = 0
    with gzip.open(shared_data / SOURCE, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            seen = set()
            for text in (rec.get("title") or "", rec.get("text") or ""):
                for a in feat.tok(text).analyses:
                    t = feat.term(a)
                    if t is not None:
                        seen.add(t)
            df.update(seen)
            n += 1
    rows = sorted(((t, c) for t, c in df.items() if c >= min_df), key=lambda x: (-x[1], x[0]))
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same data gives the same bytes (a reviewable, reproducible artifact).
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(f"#docs\t{n}\n#source\t{SOURCE}\n".encode())
        gz.write("".join(f"{t}\t{c}\n" for t, c in rows).encode("utf-8"))
    return n, len(rows)
