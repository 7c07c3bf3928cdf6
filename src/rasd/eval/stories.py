"""Story gold sets and their scores: B-cubed and pairwise P/R/F1 (eval/stories/README.md).

A gold file partitions every article of a selection (all records of one shared news file whose
date falls on the set's days) into stories. Only record ids and short story titles are stored;
the text is read from ``shared/data/news/`` at scoring time, as for the other gold sets.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.eval.corpus import read_records

DEFAULT_FILE = "news/saudinewsnet-conflict.jsonl"


class StoryGoldError(ValueError):
    """A story gold file that does not partition its selection."""


def selection(shared_data: Path, file: str, days: Iterable[str]) -> list[dict[str, Any]]:
    """The records of ``file`` extracted on ``days``, in file order (the set to cluster)."""
    wanted = set(days)
    return [r for r in read_records(shared_data, file).values() if r["date"][:10] in wanted]


@dataclass
class StoryGold:
    path: Path
    file: str
    days: list[str]
    stories: dict[str, list[str]]  # story id -> article ids
    titles: dict[str, str]

    def labels(self) -> dict[str, str]:
        """Article id -> story id."""
        return {a: s for s, arts in self.stories.items() for a in arts}


def load_gold(path: Path, shared_data: Path | None = None) -> StoryGold:
    """Read one gold file; with ``shared_data`` also check it covers its selection exactly."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StoryGoldError(f"{path}: cannot read: {exc}") from exc
    src = data.get("source") or {}
    file, days = src.get("file", DEFAULT_FILE), list(src.get("days") or [])
    if not days:
        raise StoryGoldError(f"{path}: source.days is empty")
    stories: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    seen: dict[str, str] = {}
    for k, st in enumerate(data.get("stories") or []):
        sid = str(st.get("id") or "")
        if not sid or sid in stories:
            raise StoryGoldError(f"{path}: story #{k} has a missing or repeated id {sid!r}")
        arts = list(st.get("articles") or [])
        if not arts:
            raise StoryGoldError(f"{path}: story {sid} has no articles")
        for a in arts:
            if a in seen:
                raise StoryGoldError(f"{path}: article {a} is in stories {seen[a]} and {sid}")
            seen[a] = sid
        stories[sid] = arts
        titles[sid] = str(st.get("title") or "")
    gold = StoryGold(path, file, days, stories, titles)
    if shared_data is not None:
        want = {r["id"] for r in selection(shared_data, file, days)}
        missing, extra = sorted(want - set(seen)), sorted(set(seen) - want)
        if missing:
            raise StoryGoldError(f"{path}: {len(missing)} articles of the selection in no story, "
                                 f"e.g. {missing[:3]}")
        if extra:
            raise StoryGoldError(f"{path}: {len(extra)} articles not in the selection, "
                                 f"e.g. {extra[:3]}")
    return gold


# -- scores ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PRF:
    p: float
    r: float

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> PRF:
    """B-cubed precision and recall over the items of ``gold`` (Bagga & Baldwin 1998).

    An item missing from ``pred`` counts as a singleton, so dropping an article cannot help.
    """
    items = list(gold)
    pred = {i: pred.get(i, f"\0{i}") for i in items}
    g_size = Counter(gold[i] for i in items)
    p_size = Counter(pred[i] for i in items)
    both = Counter((gold[i], pred[i]) for i in items)
    if not items:
        return PRF(1.0, 1.0)
    p = sum(both[gold[i], pred[i]] / p_size[pred[i]] for i in items) / len(items)
    r = sum(both[gold[i], pred[i]] / g_size[gold[i]] for i in items) / len(items)
    return PRF(p, r)


def pairwise(gold: Mapping[str, str], pred: Mapping[str, str]) -> PRF:
    """Precision and recall of the same-story pairs (a set with no pairs scores 1)."""
    items = list(gold)
    pred = {i: pred.get(i, f"\0{i}") for i in items}

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((gold[i], pred[i]) for i in items))
    g = pairs(Counter(gold[i] for i in items))
    p = pairs(Counter(pred[i] for i in items))
    return PRF(both / p if p else 1.0, both / g if g else 1.0)


def counts(gold: StoryGold) -> dict[str, int]:
    sizes = [len(a) for a in gold.stories.values()]
    return {"articles": sum(sizes), "stories": len(sizes),
            "multi": sum(1 for n in sizes if n > 1), "largest": max(sizes, default=0)}


# -- running the clusterer and the baselines on a gold set -----------------------------------


def featurize(records: Iterable[dict[str, Any]]) -> list[Any]:
    """Clusterer features of shared-news records (the text as rasd's JSONL reader builds it)."""
    from rasd.ingest.plain import with_title
    from rasd.stories.features import Featurizer

    feat = Featurizer()
    return [feat(r["id"], with_title(r["text"], r["title"]), title=r["title"],
                 outlet=r.get("outlet"), published=r.get("date")) for r in records]


def rasd_labels(features: list[Any], params: Any = None) -> dict[str, str]:
    from rasd.stories.cluster import cluster

    return {m.id: st.id for st in cluster(features, params) for m in st.members}


def singleton_labels(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {r["id"]: r["id"] for r in records}


def title_jaccard_labels(records: list[dict[str, Any]], threshold: float = 0.5) -> dict[str, str]:
    """The issue's baseline: articles whose title word sets have Jaccard ≥ ``threshold`` are
    linked, and stories are the connected components (normalized words, no stemming)."""
    from rasd.text.normalize import norm

    words = [set(norm(r["title"]).split()) for r in records]
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            a, b = words[i], words[j]
            if a and b and len(a & b) / len(a | b) >= threshold:
                parent[find(i)] = find(j)
    return {r["id"]: records[find(i)]["id"] for i, r in enumerate(records)}


def score_table(gold: StoryGold, shared_data: Path,
                params: Any = None) -> list[tuple[str, PRF, PRF]]:
    """``(system, B-cubed, pairwise)`` for rasd and both baselines on one gold set."""
    records = selection(shared_data, gold.file, gold.days)
    labels = gold.labels()
    systems = [("rasd", rasd_labels(featurize(records), params)),
               ("all singletons", singleton_labels(records)),
               ("title-word Jaccard ≥ 0.5", title_jaccard_labels(records))]
    return [(name, bcubed(labels, pred), pairwise(labels, pred)) for name, pred in systems]
