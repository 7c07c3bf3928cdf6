"""Feature rows for the learned claim and event decisions, the same at training and run time.

Every row starts with encoder vectors (``doc.encoding.vectors``: a token's first-piece state
from the fine-tuned encoder) and adds small indicator blocks that carry what the rules know:
the rule stage's own decision on the same token or pair, lexicon membership, clitics,
prepositions before a mention, distance and order, entity types, negation and future
markers, and a hashed stem (so frequent trigger and cue words can be remembered).
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rasd.document import Document, Mention
from rasd.spans import SpanIndex, layer_index
from rasd.text.arabic import forms, words
from rasd.text.normalize import norm
from rasd.text.views import TokenView, doc_views

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
          "ASSAULT")
EVENT_CLASSES = ("O", *PLOVER)
STATUSES = ("asserted", "reported", "expected", "hypothetical", "denied")
ROLES = ("none", "actor", "target", "location")
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC")
# Frozen with the trained weights (features are computed with exactly these lists; PREPS's order
# is the one-hot index): the learn_* tags of resources/arabic/function_words.tsv.
PREPS = tuple(dict.fromkeys(norm(w) for w in forms(tag="learn_prep")))
NEGATIONS = words(tag="learn_negation")
FUTURE = words(tag="learn_future")
CONDITIONAL = words(tag="learn_conditional")
COMPLEMENTIZERS = words(tag="learn_comp")
HASH = 512
DIST_BUCKETS = (0, 1, 2, 4, 7, 12, 20)


def _hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) % HASH


def _bucket(d: int) -> int:
    return bisect_right(DIST_BUCKETS, d) - 1


def _onehot(i: int, n: int) -> np.ndarray:
    v = np.zeros(n, dtype=np.float32)
    if 0 <= i < n:
        v[i] = 1.0
    return v


@dataclass
class DocFeatures:
    """Per-document tables the row builders read."""

    doc: Document
    views: list[TokenView]
    starts: np.ndarray
    ends: np.ndarray
    sent: np.ndarray          # sentence index of each token (-1 outside sentences)
    vec: np.ndarray           # [n_tokens, H]
    rule_event: dict[int, tuple[str, object]]   # token → (type, rule Event)
    rule_cue: dict[int, object]                 # token → rule Claim
    content_of: np.ndarray    # token → index of the rule claim whose content holds it, or -1
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)  # derived, per document

    @property
    def norms(self) -> list[str]:
        """The tokens' matching forms, once per document (every feature row reads them)."""
        hit = self._cache.get("norms")
        if hit is None:
            hit = self._cache["norms"] = [v.norm for v in self.views]
        return hit

    @classmethod
    def build(cls, doc: Document) -> DocFeatures:
        views = doc_views(doc)
        starts = np.array([v.start for v in views], dtype=np.int64)
        ends = np.array([v.end for v in views], dtype=np.int64)
        sent = np.full(len(views), -1, dtype=np.int64)
        for si, s in enumerate(doc.sentences):
            a, b = np.searchsorted(starts, [s.start, s.end])
            sent[a:b] = si
        enc = doc.encoding
        if enc is None:
            raise ValueError("the learned stages need the encoder stage's vectors")
        f = cls(doc, views, starts, ends, sent, enc.vectors, {}, {},
                np.full(len(views), -1, dtype=np.int64))
        for ev in doc.events:
            k = f.token_at(ev.trigger.start)
            if k >= 0:
                f.rule_event.setdefault(k, (ev.type, ev))
        for ci, c in enumerate(doc.claims):
            k = f.token_at(c.cue.start)
            if k >= 0:
                f.rule_cue.setdefault(k, c)
            if c.content:
                a, b = np.searchsorted(starts, [c.content.start, c.content.end])
                f.content_of[a:b] = np.where(f.content_of[a:b] < 0, ci, f.content_of[a:b])
        return f

    def token_at(self, pos: int) -> int:
        """Index of the token containing character ``pos`` (-1 if none)."""
        k = int(np.searchsorted(self.starts, pos, side="right")) - 1
        return k if k >= 0 and pos < self.ends[k] else -1

    def mention_index(self, mentions: list[Mention]) -> SpanIndex:
        """A :class:`SpanIndex` of ``mentions``, kept while the same list is passed."""
        return layer_index(self._cache, "mentions", mentions)

    def mention_tokens(self, m: Mention) -> tuple[int, int]:
        a = int(np.searchsorted(self.starts, m.start, side="right")) - 1
        b = int(np.searchsorted(self.starts, m.end - 1, side="right")) - 1
        return max(a, 0), max(b, 0)

    # -- token rows ---------------------------------------------------------------------
    def _flags(self, k: int, lexicon_words: frozenset[str]) -> tuple:
        """The 14 indicator features of token ``k`` (its clitics, the words around it, the
        rules' decisions), shared by :meth:`token_row` and :meth:`token_rows`."""
        v, norms = self.views[k], self.norms
        prev = norms[max(0, k - 3):k]
        nxt = norms[k + 1:k + 3]
        return (
            v.has_det, v.has_prep, v.has_pron, v.is_punct,
            v.norm != v.bare,  # conjunction
            v.core[:1] in "يتنا" and not v.has_det,  # imperfect-looking verb
            any(p in NEGATIONS for p in prev[-2:]),
            any(p in FUTURE for p in prev + nxt) or v.norm.startswith("س"),
            any(p in CONDITIONAL for p in prev),
            any(p in COMPLEMENTIZERS for p in nxt),
            k in self.rule_cue,
            self.content_of[k] >= 0,
            v.bare in lexicon_words or v.core in lexicon_words,
            self.sent[k] == 0,  # the headline
        )

    def token_row(self, k: int, lexicon_words: frozenset[str] = frozenset()) -> np.ndarray:
        v = self.views[k]
        rule = self.rule_event.get(k)
        return np.concatenate([
            self.vec[k], np.array(self._flags(k, lexicon_words), dtype=np.float32),
            _onehot(EVENT_CLASSES.index(rule[0]) if rule else 0, len(EVENT_CLASSES)),
            _onehot(_hash(v.core), HASH)])

    def token_rows(self, lexicon_words: frozenset[str] = frozenset()) -> np.ndarray:
        """Every :meth:`token_row` of the document as one matrix, built in place (the same
        numbers; one small array per token cost the learned stages most of their time)."""
        n, H = len(self.views), self.vec.shape[1]
        E = len(EVENT_CLASSES)
        X = np.zeros((n, H + 14 + E + HASH), dtype=np.float32)
        if not n:
            return X
        X[:, :H] = self.vec[:n]
        flags = X[:, H:H + 14]
        for k, v in enumerate(self.views):
            flags[k] = self._flags(k, lexicon_words)
            rule = self.rule_event.get(k)
            X[k, H + 14 + (EVENT_CLASSES.index(rule[0]) if rule else 0)] = 1.0
            X[k, H + 14 + E + _hash(v.core)] = 1.0
        return X

    # -- pair rows ----------------------------------------------------------------------
    def pair_row(self, k: int, m: Mention, extra: np.ndarray) -> np.ndarray:
        """A (trigger or cue token ``k``, mention) pair; ``extra``: the caller's block (the
        mention's rank on its side of ``k``, the rule's decision for the pair, …)."""
        a, b = self.mention_tokens(m)
        before = b < k
        dist = (k - b) if before else (a - k)
        p = _prep_before(self, a)
        same = self.sent[a] == self.sent[k]
        inter = range(b + 1, k) if before else range(k + 1, a)
        punct_between = any(self.views[j].is_punct for j in inter)
        comp_between = any(self.views[j].norm in COMPLEMENTIZERS for j in inter)
        flags = np.array([before, same, self.sent[a] == self.sent[k] - 1, punct_between,
                          comp_between, self.views[a].has_prep,
                          self.content_of[a] >= 0 and self.content_of[a] == self.content_of[k]],
                         dtype=np.float32)
        return np.concatenate([
            self.vec[k], (self.vec[a] + self.vec[b]) / 2, flags,
            _onehot(_bucket(max(dist, 0)), len(DIST_BUCKETS)),
            _onehot(ENTITY_TYPES.index(m.type) if m.type in ENTITY_TYPES else -1,
                    len(ENTITY_TYPES)),
            _onehot(PREPS.index(p) if p in PREPS else len(PREPS), len(PREPS) + 1),
            extra])


def _prep_before(f: DocFeatures, a: int) -> str | None:
    """The preposition that introduces the mention starting at token ``a``: a clitic ب/ل on
    the token itself, or the word before it."""
    v = f.views[a]
    if v.has_prep:
        seg = next((g for g in f.doc.tokens[a].segments if g.kind == "prep"), None)
        if seg is not None:
            return norm(seg.text)
    if a > 0:
        w = f.views[a - 1]
        if w.bare in PREPS:
            return w.bare
    return None


def candidate_mentions(f: DocFeatures, k: int, mentions: list[Mention],
                       window: int = 25) -> list[Mention]:
    """Mentions in the token's sentence and the one before it, within ``window`` tokens
    (looked up by bisection: a scan of every mention per token made long inputs quadratic)."""
    s = f.sent[k]
    lo_tok, hi_tok = max(0, k - window - 1), min(len(f.views) - 1, k + window + 1)
    index = f.mention_index(mentions)
    out = []
    for m in index.overlapping(int(f.starts[lo_tok]), int(f.ends[hi_tok])):
        a, b = f.mention_tokens(m)
        if f.sent[a] not in (s, s - 1) or abs((a if a > k else b) - k) > window:
            continue
        if a <= k <= b:
            continue  # the trigger inside the mention itself
        out.append(m)
    return out
