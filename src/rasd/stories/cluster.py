"""Incremental story clustering: each article joins the open story it is most like, or opens one.

The classic single-pass detector of TDT (Allan et al. 1998; Event Registry and the Europe Media
Monitor work the same way at scale): articles arrive in time order; an article's similarity to
a story is the larger of its cosine with the story's centroid and, scaled, its cosine with the
story's closest member (so that a story whose reports drift still catches a report close to one
of them); it joins the best story above a threshold, else it starts a new one. A story closes
after ``window_days`` without a new article. Republished wire copy (MinHash Jaccard of word
shingles ≥ ``dup_jaccard``) joins its original's story whatever the cosine says.

Candidate stories come from an inverted index over each story's heaviest centroid terms, so an
article is compared with the few stories that share its main terms, not with every open story.
The result depends only on the articles (ordered by date, then id), never on how they were
batched or on how many workers computed the features.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from rasd.stories.features import ArticleFeatures, jaccard


@dataclass(frozen=True)
class Params:
    threshold: float = 0.40  # similarity needed to join a story (chosen on dev)
    link_weight: float = 0.9  # weight of the best single-member cosine
    window_days: int = 3  # a story closes after this many days without a new article
    dup_jaccard: float = 0.6  # MinHash Jaccard for republished copy
    index_terms: int = 40  # centroid terms put in the inverted index
    query_terms: int = 30  # an article's terms used to find candidates
    candidates: int = 10  # stories scored exactly


@dataclass
class Story:
    id: str
    members: list[ArticleFeatures] = field(default_factory=list)
    sims: list[float] = field(default_factory=list)  # each member's similarity when it joined
    duplicate_of: list[str | None] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)  # sum of member vectors
    indexed: tuple[str, ...] = ()
    first_day: str = ""
    last_day: str = ""

    @property
    def title(self) -> str:
        """The title of the report most like the story as a whole (its medoid)."""
        best, score = "", -1.0
        for m in self.members:
            s = _dot(m.terms, self.centroid)
            if s > score and m.title:
                best, score = m.title, s
        return best

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.members if m.outlet})

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "first_day": self.first_day or None,
                "last_day": self.last_day or None, "outlets": self.outlets,
                "articles": [{"id": m.id, "title": m.title, "outlet": m.outlet or None,
                              "published": m.time or None, "similarity": round(s, 4),
                              "duplicate_of": d}
                             for m, s, d in zip(self.members, self.sims, self.duplicate_of,
                                                strict=True)]}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(v * get(t, 0.0) for t, v in a.items())


def _norm(v: dict[str, float]) -> float:
    return math.sqrt(sum(x * x for x in v.values())) or 1.0


def _days_between(a: str, b: str) -> int:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return 0  # an undated article is compared with every open story


def story_id(first_article: str) -> str:
    return "st-" + hashlib.sha1(first_article.encode("utf-8")).hexdigest()[:12]


class StoryClusterer:
    """Feed articles in time order with :meth:`add`; read :attr:`stories`."""

    def __init__(self, params: Params | None = None) -> None:
        self.p = params or Params()
        self.stories: list[Story] = []
        self.by_article: dict[str, Story] = {}
        self._postings: dict[str, set[int]] = {}
        self._open: set[int] = set()
        self._norms: dict[int, float] = {}
        self._dup_index: dict[tuple[int, bytes], list[int]] = {}  # LSH bands -> stories
        self._day = ""  # the day stories were last closed for

    # -- index ---------------------------------------------------------------------------
    def _reindex(self, k: int) -> None:
        st = self.stories[k]
        top = tuple(sorted(st.centroid, key=lambda t: (-st.centroid[t], t))[: self.p.index_terms])
        for t in st.indexed:
            self._postings[t].discard(k)
        for t in top:
            self._postings.setdefault(t, set()).add(k)
        st.indexed = top
        self._norms[k] = _norm(st.centroid)

    def _bands(self, mh: np.ndarray) -> list[tuple[int, bytes]]:
        rows = 4  # 16 bands of 4 rows: pairs above ~0.6 Jaccard collide with near certainty
        return [(b, mh[b * rows:(b + 1) * rows].tobytes()) for b in range(len(mh) // rows)]

    def _close_quiet(self, day: str) -> None:
        if not day or day == self._day:
            return
        self._day = day
        for k in [k for k in self._open
                  if self.stories[k].last_day and _days_between(day, self.stories[k].last_day)
                  > self.p.window_days]:
            self._open.discard(k)
            for t in self.stories[k].indexed:
                self._postings[t].discard(k)
            self.stories[k].indexed = ()

    # -- one article ---------------------------------------------------------------------
    def _duplicate(self, f: ArticleFeatures) -> tuple[int, str] | None:
        best: tuple[float, int, str] | None = None
        seen: set[int] = set()
        for band in self._bands(f.minhash):
            for k in self._dup_index.get(band, ()):
                if k in seen or k not in self._open:
                    continue
                seen.add(k)
                for m in self.stories[k].members:
                    j = jaccard(f.minhash, m.minhash)
                    if j >= self.p.dup_jaccard and (best is None or j > best[0]):
                        best = (j, k, m.id)
        return (best[1], best[2]) if best else None

    def _best(self, f: ArticleFeatures) -> tuple[int | None, float]:
        q = sorted(f.terms, key=lambda t: (-f.terms[t], t))[: self.p.query_terms]
        approx: dict[int, float] = {}
        for t in q:
            for k in self._postings.get(t, ()):
                approx[k] = approx.get(k, 0.0) + f.terms[t] * self.stories[k].centroid[t]
        if not approx:
            return None, 0.0
        ranked = sorted(approx, key=lambda k: (-approx[k] / self._norms[k], k))
        best_k, best_s = None, 0.0
        for k in ranked[: self.p.candidates]:
            st = self.stories[k]
            cent = _dot(f.terms, st.centroid) / self._norms[k]
            link = max(_dot(f.terms, m.terms) for m in st.members)
            s = max(cent, self.p.link_weight * link)
            if s > best_s or (s == best_s and best_k is not None and k < best_k):
                best_k, best_s = k, s
        return best_k, best_s

    def add(self, f: ArticleFeatures, story_key: str | None = None) -> Story:
        """Put one article in a story (the best open one, or a new one named after
        ``story_key``, default the article's id); an id seen before keeps its story."""
        if f.id in self.by_article:
            return self.by_article[f.id]
        self._close_quiet(f.day)
        dup = self._duplicate(f)
        if dup is not None:
            k, dup_of = dup
            sim = 1.0
        else:
            k, sim = self._best(f)
            dup_of = None
            if k is not None and sim < self.p.threshold:
                k = None
        if k is None:
            k = self._open_story(story_id(story_key or f.id))
            sim = 1.0
        self._attach(k, f, sim, dup_of)
        return self.stories[k]

    def restore(self, sid: str, members: Sequence[tuple[ArticleFeatures, float, str | None]]
                ) -> Story:
        """Reopen a stored story with its members (``(features, similarity, duplicate_of)``),
        so that new articles can join it (the SQLite store's incremental clustering)."""
        k = self._open_story(sid)
        for f, sim, dup in members:
            self._attach(k, f, sim, dup)
        return self.stories[k]

    def _open_story(self, sid: str) -> int:
        k = len(self.stories)
        self.stories.append(Story(id=sid))
        self._open.add(k)
        return k

    def _attach(self, k: int, f: ArticleFeatures, sim: float, dup_of: str | None) -> None:
        st = self.stories[k]
        st.members.append(f)
        st.sims.append(sim)
        st.duplicate_of.append(dup_of)
        for t, v in f.terms.items():
            st.centroid[t] = st.centroid.get(t, 0.0) + v
        if f.day:
            st.first_day = min(st.first_day or f.day, f.day)
            st.last_day = max(st.last_day, f.day)
        self._reindex(k)
        for band in self._bands(f.minhash):
            lst = self._dup_index.setdefault(band, [])
            if not lst or lst[-1] != k:
                lst.append(k)
        self.by_article[f.id] = st


def cluster(features: Iterable[ArticleFeatures], params: Params | None = None) -> list[Story]:
    """Stories of a set of articles, in the order they opened (deterministic)."""
    c = StoryClusterer(params)
    for f in sorted(features, key=ArticleFeatures.order_key):
        c.add(f)
    return c.stories
