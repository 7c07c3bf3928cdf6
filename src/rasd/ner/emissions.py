"""State scores of the NER CRFs for a whole document, built from arrays, not feature strings.

The CRFs are trained on feature *strings* (:mod:`rasd.ner.features`: a word's own features,
its neighbours', the sentence's stem bigrams and edges, multi-word gazetteer matches, and for
the second pass the first pass's labels). Tagging needs only their summed weights, and most of
those sums repeat: a word form's own and neighbour contributions are summed once and kept in a
table row per form (its feature ids found from its values by :class:`FeatureIds`, not from
strings); a stem bigram can only score if the model knows it, so bigrams are found
with one sorted-array search over the document's stem pairs; sentence edges and the second
pass's features are a few fixed weight rows picked by position and label. Only multi-word
gazetteer matches are still looked up as strings (they are rare).

``tests/test_ner_emissions.py`` checks the result against the plain sum of each token's feature
strings' weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from rasd.memo import BoundedMemo
from rasd.ner import kernels
from rasd.ner.crf import CrfModel
from rasd.ner.features import (
    FORM_LIMIT,
    KINDS,
    WINDOW,
    FeatureExtractor,
    WordInfo,
    label_kind,
    window_kinds,
)
from rasd.ner.labels import to_bio


class _StemKey(NamedTuple):
    """The fields of a WordInfo its stem's ids depend on (the key of their memo), with the
    WordInfo properties derived from them."""

    stem: str
    stem_len: int
    shape: str
    clusters: tuple[int, ...] | None
    gz: tuple[str, ...]
    affixed = WordInfo.affixed
    c256 = WordInfo.c256
    c1024 = WordInfo.c1024
    g = WordInfo.g


# A bigram (a, b) as seen from a and from b; both prefixes have the same length.
_LEFT, _RIGHT = "s|s+1=", "s-1|s="


class _Bigrams:
    """Every stem pair either model has a bigram weight for, with those weights."""

    def __init__(self, models: Sequence[CrfModel]) -> None:
        # (model, side, pair, attribute row) for every bigram attribute of either model
        found: list[tuple[int, int, tuple[str, str], int]] = []
        sides = {_LEFT: 0, _RIGHT: 1}
        for k, m in enumerate(models):
            for attr, aid in m.index.items():
                side = sides.get(attr[:len(_LEFT)])
                if side is None:
                    continue
                value = attr[len(_LEFT):]
                if value.count("|") == 1:
                    a, _, b = value.partition("|")
                    found.append((k, side, (a, b), aid))
                else:  # a stem holds a "|" itself: every split prints as this string,
                    # so registering all of them is exact
                    found.extend((k, side, (value[:i], value[i + 1:]), aid)
                                 for i, c in enumerate(value) if c == "|")
        stems = sorted({s for _, _, pair, _ in found for s in pair})
        self.stem_id = {s: i for i, s in enumerate(stems)}
        self.base = max(len(stems), 1)
        sid = self.stem_id
        key = np.array([sid[a] * self.base + sid[b] for _, _, (a, b), _ in found],
                       dtype=np.int64)
        self.keys = np.unique(key)
        row = np.searchsorted(self.keys, key)
        model = np.array([k for k, _, _, _ in found], dtype=np.int64)
        side = np.array([s for _, s, _, _ in found], dtype=np.int64)
        attr = np.array([a for _, _, _, a in found], dtype=np.int64)
        self.left: list[np.ndarray] = []  # per model: weights of "s|s+1=a|b", on a
        self.right: list[np.ndarray] = []  # per model: weights of "s-1|s=a|b", on b
        for k, m in enumerate(models):
            tables = np.zeros((2, len(self.keys), len(m.labels)))
            sel = model == k
            tables[side[sel], row[sel]] = m.W[attr[sel]]
            self.left.append(tables[0])
            self.right.append(tables[1])

    def find(self, sid: np.ndarray, same: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Tokens ``i`` whose pair (i, i+1) is known (``same[i]``: i+1 is in i's sentence), and
        the pairs' rows."""
        if len(sid) < 2 or not len(self.keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        a, b = sid[:-1], sid[1:]
        ok = same & (a >= 0) & (b >= 0)
        key = a * self.base + b
        row = np.searchsorted(self.keys, key).clip(max=len(self.keys) - 1)
        hit = np.flatnonzero(ok & (self.keys[row] == key))
        return hit, row[hit]


class FeatureIds:
    """A word form's feature ids, one list per group (own, as seen from -1, +1, -2, +2), from
    its :class:`WordInfo` values: the ids of exactly the strings ``WordInfo.own()``,
    ``near()`` and ``far()`` would build, in their order, without building them.

    Each known feature string ``template=value`` is filed under its template (the text before
    the first "="), so a form's ids are a few dict lookups of values it already holds (whose
    hashes Python keeps); strings no model knows get ``unknown``.
    """

    def __init__(self, feature: dict[str, int]) -> None:
        """``feature``: every known feature string → its id, 0 … len - 1; ``unknown`` (for a
        string not there) is the next id."""
        self.unknown = unknown = len(feature)
        by: dict[str, dict[str, int]] = {}
        const: dict[str, int] = {}
        for f, i in feature.items():
            t, eq, v = f.partition("=")
            if eq:
                by.setdefault(t, {})[v] = i
            else:
                const[f] = i

        def table(t: str) -> dict[str, int]:
            return by.get(t, {})

        def joint(*templates: str) -> dict[str, tuple[int, ...]]:
            """value → the ids of every template carrying it: one lookup for all of them"""
            return _joint(unknown, *(table(t) for t in templates))

        self.w = joint("w", "-1w", "+1w")
        self.s = joint("s", "-1s", "+1s", "-2s", "+2s")
        self.pre = joint("pre", "-1pre", "+1pre")
        self.shape = joint("shape", "-1shape", "+1shape")
        self.c256 = joint("-1c256", "+1c256", "-2c256", "+2c256")
        self.c1024 = joint("-1c1024", "+1c1024")
        self.g_near = joint("-1g", "+1g", "-2g", "+2g")
        self.suf, self.len, self.g = table("suf"), table("len"), table("g")
        self.ends = [(table(f"p{n}"), table(f"x{n}"), n) for n in (1, 2, 3, 4)]
        self.word_ends = [(table(f"wp{n}"), table(f"wx{n}"), n) for n in (2, 3)]
        levels = [int(t[1:]) for t in by if t[:1] == "c" and t[1:].isdecimal()]
        self.cluster = [table(f"c{i}") for i in range(max(levels, default=-1) + 1)]
        self.bias, self.det = const.get("bias", unknown), const.get("det", unknown)
        self.oov = table("c").get("oov", unknown)
        self._stems = BoundedMemo(self._stem_part, 200_000)  # _StemKey → its ids

    def __call__(self, inf: WordInfo) -> tuple[list[int], list[int], list[int], list[int],
                                               list[int]]:
        u = self.unknown
        # a form's stem recurs with other clitics: its part is shared
        st = self._stems(_StemKey(inf.stem, inf.stem_len, inf.shape, inf.clusters, inf.gz))
        s, shape, length, ends, tail, c256, c1024, gn = st
        word = inf.w
        w = self.w.get(word) or (u, u, u)
        pre = self.pre.get(inf.pre) or (u, u, u)
        own = [self.bias, w[0], s[0], pre[0], self.suf.get(inf.suf, u), shape[0], length]
        if inf.has_det:
            own.append(self.det)
        own += ends
        if inf.affixed:
            for p, x, n in self.word_ends:
                if len(word) > n:
                    own.append(p.get(word[:n], u))
                    own.append(x.get(word[-n:], u))
        own += tail
        # _NEAR: w s c256 c1024 g pre shape; _FAR: s c256 g
        return (own,
                [w[1], s[1], c256[0], c1024[0], gn[0], pre[1], shape[1]],
                [w[2], s[2], c256[1], c1024[1], gn[1], pre[2], shape[2]],
                [s[3], c256[2], gn[2]],
                [s[4], c256[3], gn[3]])

    def _stem_part(self, inf: _StemKey) -> tuple:
        """The ids that depend on the stem alone (its text, shape, clusters, gazetteer lists):
        (s ids, shape ids, len id, stem-end ids, cluster and gazetteer ids, c256 ids, c1024
        ids, neighbours' gazetteer ids)."""
        u = self.unknown
        stem, stem_len = inf.stem, inf.stem_len
        ends: list[int] = []
        if inf.affixed:
            for p, x, n in self.ends:
                if stem_len > n:
                    ends.append(p.get(stem[:n], u))
                    ends.append(x.get(stem[-n:], u))
        cl = inf.clusters
        if cl is not None:
            tables = self.cluster
            tail = [tables[i].get(str(c), u) if i < len(tables) else u
                    for i, c in enumerate(cl)]
        else:
            tail = [self.oov]
        tail += [self.g.get(x, u) for x in inf.gz]
        return (self.s.get(stem) or (u,) * 5, self.shape.get(inf.shape) or (u,) * 3,
                self.len.get(str(min(stem_len, 9)), u), ends, tail,
                self.c256.get(inf.c256) or (u,) * 4, self.c1024.get(inf.c1024) or (u,) * 2,
                self.g_near.get(inf.g) or (u,) * 4)


def _joint(unknown: int, *tables: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Every value any of ``tables`` holds → its id in each of them (``unknown`` where a table
    lacks it)."""
    return {v: tuple(t.get(v, unknown) for t in tables) for v in set().union(*tables)}


class SecondPassScores:
    """The weights :func:`rasd.ner.features.consistency`'s features carry in a CRF, added
    without strings.

    For each first-pass label (an index into ``first_labels``, BILOU) the rows of the model's
    weights for ``p1=``, ``p1-1=`` and ``p1+1=`` of its IOB2 form, and the rows for ``dct=`` and
    ``dc=`` of each kind; per document, the window counts pick which rows to add.
    """

    def __init__(self, model: CrfModel, first_labels: list[str]) -> None:
        bio = to_bio(first_labels)

        def rows(prefix: str, names: Sequence[str]) -> np.ndarray:
            return model.W[[model.index.get(prefix + n, model.unknown) for n in names]]

        self.here, self.prev, self.next = (rows(p, bio) for p in ("p1=", "p1-1=", "p1+1="))
        self.dct = rows("dct=", KINDS[:-1])
        self.dc = rows("dc=", KINDS)
        self.kind = np.array([label_kind(b) for b in bio], dtype=np.int64)

    def __call__(self, lens: np.ndarray, pos: np.ndarray, left: np.ndarray, stems: list[str],
                 first: np.ndarray, window: int = WINDOW) -> np.ndarray:
        """(tokens, labels) scores for sentences of ``lens`` tokens whose tokens stand at
        ``pos`` in them with ``left`` tokens after, have these ``stems`` and first-pass label
        indices ``first``."""
        C = self.here[first]
        C[1:] += self.prev[first[:-1]] * (pos[1:] >= 1)[:, None]
        C[:-1] += self.next[first[1:]] * (left[:-1] >= 1)[:, None]
        counts = window_kinds(stems, lens, self.kind[first], window)
        seen = counts > 0
        C += seen[:, :-1] @ self.dct
        some = seen.any(axis=1)
        C[some] += self.dc[counts[some].argmax(axis=1)]
        return C


class Emissions:
    """Scores ``(tokens, labels)`` of the final CRF for a document's sentences, after the
    first pass when there is one; build once per tagger, call per document."""

    def __init__(self, fx: FeatureExtractor, model: CrfModel, first: CrfModel | None) -> None:
        self.fx = fx
        self.models = [model] if first is None else [first, model]
        if any(m.labels != model.labels for m in self.models):
            raise ValueError("both NER passes must share one label list")
        self.L = len(model.labels)
        self.bigrams = _Bigrams(self.models)
        self.second = SecondPassScores(model, first.labels) if first is not None else None

        def row(m: CrfModel, f: str) -> np.ndarray:
            return m.W[m.index.get(f, m.unknown)]

        self.edges = [{f: row(m, f) for f in ("BOS", "-2BOS", "EOS", "+2EOS")}
                      for m in self.models]
        # Every feature string either model knows → one id (a string neither knows: the next
        # id, whose weight rows are zero).
        feature: dict[str, int] = {}
        for m in self.models:
            for a in m.index:
                feature.setdefault(a, len(feature))
        # Per id, both models' weight rows side by side (the zero row for an id a model lacks):
        # one gather covers both.
        self._weights = np.zeros((len(feature) + 1, len(self.models) * self.L))
        for k, m in enumerate(self.models):
            own = np.fromiter((feature[a] for a in m.index), dtype=np.int64, count=len(m.index))
            self._weights[own, k * self.L:(k + 1) * self.L] = m.W[
                np.fromiter(m.index.values(), dtype=np.int64, count=len(m.index))]
        self.feature_ids = FeatureIds(feature)
        # Per cached word form (WordInfo.row): its five summed vectors per model and its
        # bigram stem id; ``filled`` says which rows are computed.
        self._generation = -1
        self._alloc(1024)

    def _alloc(self, size: int) -> None:
        self.vecs = [np.zeros((size, 5, self.L), dtype=np.float32) for _ in self.models]
        self.sid = np.full(size, -1, dtype=np.int64)
        self.filled = np.zeros(size, dtype=bool)

    def start(self) -> None:
        """Call between documents: lets the feature cache start over once it is full."""
        if self.fx.trim(FORM_LIMIT) or self._generation != self.fx.generation:
            self._generation = self.fx.generation
            self._alloc(1024)

    def __call__(self, sentences: Sequence[Sequence[WordInfo]]) -> tuple[np.ndarray, np.ndarray]:
        """(scores, sentence starts): rows ``starts[s]:starts[s+1]`` are sentence ``s``."""
        starts = np.zeros(len(sentences) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([len(s) for s in sentences])
        N = int(starts[-1])
        if not N:
            return np.zeros((0, self.L)), starts
        infos = [inf for sent in sentences for inf in sent]
        rows = np.fromiter((inf.row for inf in infos), dtype=np.int64, count=N)
        self._fill(infos, rows)
        lens = np.diff(starts)
        pos = np.arange(N) - np.repeat(starts[:-1], lens)  # index within the sentence
        left = np.repeat(starts[1:], lens) - 1 - np.arange(N)  # tokens after it in it
        pairs = self.bigrams.find(self.sid[rows], left[:-1] >= 1)
        gaz = self._gazetteer(sentences, starts)
        E = self._scores(0, rows, pos, left, pairs, gaz)
        if self.second is not None:  # the second pass: the final model plus what the first said
            first = self.models[0].decode(E, starts)
            E = (self._scores(1, rows, pos, left, pairs, gaz)
                 + self.second(lens, pos, left, [inf.stem for inf in infos], first))
        return E, starts

    def _scores(self, k: int, rows: np.ndarray, pos: np.ndarray, left: np.ndarray,
                pairs: tuple[np.ndarray, np.ndarray], gaz: tuple[np.ndarray, list[str]]
                ) -> np.ndarray:
        """Scores of model ``k`` (0: the first pass when there are two) without the second
        pass's features."""
        m = self.models[k]
        V = self.vecs[k][rows]
        E = V[:, 0].astype(np.float64)
        E[1:] += V[:-1, 1] * (pos[1:] >= 1)[:, None]
        E[:-1] += V[1:, 2] * (left[:-1] >= 1)[:, None]
        E[2:] += V[:-2, 3] * (pos[2:] >= 2)[:, None]
        E[:-2] += V[2:, 4] * (left[:-2] >= 2)[:, None]
        edges = self.edges[k]
        E[pos == 0] += edges["BOS"]
        E[pos == 1] += edges["-2BOS"]
        E[left == 0] += edges["EOS"]
        E[left == 1] += edges["+2EOS"]
        at, row = pairs
        E[at] += self.bigrams.left[k][row]
        E[at + 1] += self.bigrams.right[k][row]
        tok, feats = gaz
        if len(tok):
            np.add.at(E, tok, m.W[m.ids(feats)])
        return E

    def _fill(self, infos: list[WordInfo], rows: np.ndarray) -> None:
        """Compute the table rows of word forms not seen before (one gather-and-sum each)."""
        if rows.max() >= len(self.filled):
            self._grow(int(rows.max()) + 1)
        if self.filled[rows].all():
            return
        new: dict[int, WordInfo] = {}
        for inf in infos:
            if not self.filled[inf.row]:
                new.setdefault(inf.row, inf)
        idx = np.fromiter(new, dtype=np.int64, count=len(new))
        todo = list(new.values())
        # Each form's five feature groups (own, near -1/+1, far -2/+2), flattened: every
        # feature's id is found once for both models, then each model gathers and sums its rows.
        flat: list[int] = []
        starts: list[int] = []
        ids_of = self.feature_ids
        for inf in todo:
            for group in ids_of(inf):  # never empty: "bias" and every neighbour field
                starts.append(len(flat))
                flat += group
        sums = kernels.segment_sums(self._weights, np.array(flat, dtype=np.int64),
                                    np.array(starts, dtype=np.int64))
        sums = sums.reshape(len(todo), 5, len(self.models), self.L)
        for k in range(len(self.models)):
            self.vecs[k][idx] = sums[:, :, k]
        stem_id = self.bigrams.stem_id
        self.sid[idx] = [stem_id.get(inf.stem, -1) for inf in todo]
        self.filled[idx] = True

    def _grow(self, need: int) -> None:
        # Doubling, but not far past the form limit the table starts over at (a full table is
        # FORM_LIMIT x 2 models x 5 x 17 float32 = 200 MB; doubling would make it 350 MB).
        size = max(need, min(2 * len(self.filled), FORM_LIMIT + 20_000))
        old = self.vecs, self.sid, self.filled
        self._alloc(size)
        n = len(old[2])
        for k in range(len(self.models)):
            self.vecs[k][:n] = old[0][k]
        self.sid[:n] = old[1]
        self.filled[:n] = old[2]

    def _gazetteer(self, sentences: Sequence[Sequence[WordInfo]], starts: np.ndarray
                   ) -> tuple[np.ndarray, list[str]]:
        """Multi-word gazetteer features as (token index in the document, feature) pairs."""
        tok: list[int] = []
        feats: list[str] = []
        for s, sent in enumerate(sentences):
            for i, f in self.fx.gazetteer_features(sent):
                tok.append(int(starts[s]) + i)
                feats.append(f)
        return np.array(tok, dtype=np.int64), feats
