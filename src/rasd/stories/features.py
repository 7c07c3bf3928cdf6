"""What the story clusterer knows of one article: weighted stems and a MinHash.

Terms are the article's clitic-stripped, normalized word stems (rasd's own tokenizer and
segmenter, so وبالحوثيين and الحوثيون meet), weighted by sublinear tf × idf with extra weight
for the title and the lead, where a news article states its main happening. The idf comes from
document frequencies counted once on the unlabeled news (``resources/stories/df.tsv``, built
by ``rasd train stories``), so an article's vector never depends on the batch it arrives in:
features are computed anywhere (a Dask worker) and clustered later with the same result.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from rasd.memo import BoundedMemo
from rasd.resources import path as resource_path
from rasd.text.normalize import Normalizer
from rasd.text.tokenize import Tokenizer

DF_RESOURCE = "stories/df.tsv.gz"
NUM_PERM = 64
SHINGLE = 4


@dataclass
class ArticleFeatures:
    """One article as the clusterer sees it (no text kept: features travel between processes)."""

    id: str
    day: str  # YYYY-MM-DD, or "" when the article has no date
    time: str  # the full published value, for ordering within a day
    title: str
    outlet: str
    terms: dict[str, float]  # L2-normalized tf-idf weights
    minhash: np.ndarray = field(repr=False)  # uint64[NUM_PERM] of word shingles

    def order_key(self) -> tuple[str, str]:
        return (self.time or self.day, self.id)


@cache
def document_frequencies() -> tuple[int, dict[str, int]]:
    """``(number of documents, df per term)`` from the shipped table (empty when missing)."""
    p = resource_path(DF_RESOURCE)
    if not p.exists():
        return 0, {}
    n, df = 0, {}
    with gzip.open(p, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                if line.startswith("#docs\t"):
                    n = int(line.split("\t")[1])
                continue
            term, _, count = line.rstrip("\n").partition("\t")
            df[term] = int(count)
    return n, df


class Featurizer:
    """Build once; call per article. Thread-unsafe caches, one per process."""

    def __init__(self, title_weight: float = 2.0, lead_tokens: int = 40,
                 lead_weight: float = 2.5, max_terms: int = 120) -> None:
        self.tok = Tokenizer()
        self.norm = Normalizer(fold_taa=True)
        self.n_docs, self.df = document_frequencies()
        self.title_weight, self.lead_tokens, self.lead_weight = (title_weight, lead_tokens,
                                                                lead_weight)
        self.max_terms = max_terms
        self._term = BoundedMemo(self._stem_term)  # stem → its clustering term
        self._idf = BoundedMemo(self._term_idf)  # term → its idf
        from datasketch import MinHash  # a well-kept MinHash (Broder 1997), numpy inside

        self._minhash = MinHash(num_perm=NUM_PERM, seed=19)

    def term(self, analysis) -> str | None:  # noqa: ANN001 - rasd.text.tokenize.Analysis
        """The clustering term of one word form: its normalized stem, or None for short
        words and numbers (they say little about which happening an article reports)."""
        return self._term(analysis.stem)

    def _stem_term(self, stem_text: str) -> str | None:
        stem = self.norm.text(stem_text)
        return stem if len(stem) >= 2 and not stem.isdigit() else None

    def idf(self, term: str) -> float:
        return self._idf(term)

    def _term_idf(self, term: str) -> float:
        n = self.n_docs
        return math.log((n + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def terms(self, title: str, body: str) -> dict[str, float]:
        counts: dict[str, float] = {}
        for text, weight, lead in ((title, self.title_weight, 0), (body, 1.0, self.lead_tokens)):
            table = self.tok(text)
            for i, a in enumerate(table.analyses):
                t = self.term(a)
                if t is not None:
                    w = weight * (self.lead_weight if i < lead else 1.0)
                    counts[t] = counts.get(t, 0.0) + w
        vec = {t: (1.0 + math.log(c)) * self.idf(t) for t, c in counts.items() if c > 0}
        if len(vec) > self.max_terms:
            vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[: self.max_terms])
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def minhash(self, body: str) -> np.ndarray:
        words = self.norm.text(body).split()
        shingles = {" ".join(words[i:i + SHINGLE]).encode("utf-8")
                    for i in range(max(1, len(words) - SHINGLE + 1))}
        m = self._minhash.copy()
        m.clear()
        m.update_batch(list(shingles))
        return m.hashvalues.copy()

    def __call__(self, id: str, text: str, title: str | None = None, outlet: str | None = None,
                 published: str | None = None) -> ArticleFeatures:
        title = (title or "").strip()
        body = text
        if title and body.startswith(title):  # rasd's JSONL reader puts the title first
            body = body[len(title):]
        if not title:  # a plain text's first line is its title
            first, _, rest = text.strip().partition("\n")
            title, body = (first, rest) if rest else ("", text)
        return ArticleFeatures(id=id, day=(published or "")[:10], time=published or "",
                               title=title, outlet=outlet or "",
                               terms=self.terms(title, body), minhash=self.minhash(body))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the shingle Jaccard similarity of two articles."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_record(f: ArticleFeatures) -> dict:
    """A JSON-ready form of the features (weights to 5 decimals, the MinHash as integers)."""
    return {"id": f.id, "day": f.day, "time": f.time, "title": f.title, "outlet": f.outlet,
            "terms": {t: round(v, 5) for t, v in f.terms.items()},
            "minhash": [int(x) for x in f.minhash]}


def from_record(r: dict) -> ArticleFeatures:
    return ArticleFeatures(id=r["id"], day=r.get("day") or "", time=r.get("time") or "",
                           title=r.get("title") or "", outlet=r.get("outlet") or "",
                           terms=r["terms"], minhash=np.array(r["minhash"], dtype=np.uint64))


_local_featurizer: Featurizer | None = None


def features_of(doc) -> ArticleFeatures:  # noqa: ANN001 - a rasd.document.Document
    """The features of a document, with one Featurizer per process (batch workers)."""
    global _local_featurizer
    if _local_featurizer is None:
        _local_featurizer = Featurizer()
    return _local_featurizer(doc.id, doc.text, title=doc.title, outlet=doc.outlet,
                             published=doc.published)
