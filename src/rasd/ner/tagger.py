"""The NER stage: tag a Document's tokens with the shipped CRF and fill ``doc.mentions``.

Two CRF passes: a fast first pass labels every sentence, then the shipped model tags again
with, as extra features, those labels and the ones the first pass gave the same word in
nearby sentences (a name tagged once helps tag it again).

Mentions follow the project's offset rule (``doc.text[m.start:m.end] == m.text``) and Arabic
word structure: a name glued to a conjunction, preposition or future prefix starts after it
(بحفتر → حفتر), the article stays when it is part of the name (الرجمة), and a pronoun suffix on
the last word is left out. The model's four classes become rasd types: PER and ORG as they are,
MISC dropped, LOC → GPE unless its head word names a natural feature or area (→ LOC) or a
facility (→ FAC), or the whole name is a world region (→ LOC); see docs/ner.md.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np

from rasd.document import Document, Mention, Token
from rasd.ner.crf import CrfModel
from rasd.ner.emissions import Emissions
from rasd.ner.features import FeatureExtractor, WordInfo, analysis_key, token_key
from rasd.ner.labels import chunks, to_bio
from rasd.ner.mentions import MentionMaker
from rasd.text.units import tagging_units

DEFAULT_MODEL = Path(__file__).resolve().parent / "model" / "ner.npz"
FIRST_PASS_FILE = "ner1.npz"


class NerTagger(MentionMaker):
    """CRF tagger; build once with :meth:`load` (the model is read once), call per document."""

    _shared: dict[Path, NerTagger] = {}

    def __init__(self, model: Path, features: FeatureExtractor | None = None) -> None:
        if not model.exists():
            raise FileNotFoundError(f"NER model not found: {model} (run `rasd train ner`)")
        self.model_path = model
        self.model = CrfModel.load(model)
        self.fx = features or FeatureExtractor.from_model_dir(model.parent)
        # Two passes when the first-pass model is there (see features.consistency).
        first = model.parent / FIRST_PASS_FILE
        self.first: CrfModel | None = CrfModel.load(first) if first.exists() else None
        self.emissions = Emissions(self.fx, self.model, self.first)
        # One tagger serves a process (load()); threads that share it take turns where word
        # forms get their cache entries and table rows.
        self._lock = threading.Lock()
        self._bio = to_bio(self.model.labels)  # label index → IOB2 label
        self._outside = self.model.labels.index("O")
        MentionMaker.__init__(self, model.parent / "common_words.txt")

    @classmethod
    def load(cls, path: Path | str | None = None) -> NerTagger:
        """The tagger for ``path`` (default: the shipped model), loaded once per process."""
        p = Path(path).resolve() if path else DEFAULT_MODEL
        if p.is_dir():
            p = p / DEFAULT_MODEL.name
        hit = cls._shared.get(p)
        if hit is None:
            hit = cls._shared[p] = cls(p)
        return hit

    # -- sequences -------------------------------------------------------------------------
    def tag_tokens(self, sentences: Sequence[Sequence[Token | str]]) -> list[list[str]]:
        """IOB2 labels (PER/LOC/ORG/MISC) for each sentence of tokens or word strings.

        The sentences are taken as consecutive text: the second pass looks at the first-pass
        labels of the same word up to ``WINDOW`` sentences away.
        """
        with self._lock:
            self.emissions.start()
            E, starts = self.emissions([self.fx.sentence_infos(toks) for toks in sentences])
        path = self.model.decode(E, starts)
        bio = self._bio
        return [[bio[k] for k in path[a:b]] for a, b in pairwise(starts)]

    # -- documents -------------------------------------------------------------------------
    def __call__(self, doc: Document) -> None:
        """Fill ``doc.mentions`` from ``doc.tokens`` (ids m1, m2, … in text order).

        Works on token indices: Token objects (with their segments) are built only for word
        forms the feature cache has not seen and for the tokens of a mention.
        """
        tokens = doc.tokens
        starts = getattr(tokens, "starts", None)
        analyses = getattr(tokens, "analyses", None)
        if starts is not None and analyses is not None:
            forms = [a.form for a in analyses]
            keys = [analysis_key(a) for a in analyses]  # a form as segmented here
        else:
            starts = [t.start for t in tokens]
            forms = [t.text for t in tokens]
            keys = [token_key(t) for t in tokens]
            analyses = None
        units = tagging_units(doc, starts, forms)
        cached = self.fx.cached
        with self._lock:  # the feature cache and the weight table grow as forms are met
            self.emissions.start()
            if analyses is not None:  # a form not seen before: from its shared analysis
                info_of = self.fx.info_of
                infos = [[cached(keys[k]) or info_of(analyses[k]) for k in unit]
                         for unit in units]
            else:
                info = self.fx.info
                infos = [[cached(keys[k]) or info(tokens[k]) for k in unit] for unit in units]
            tagged = self._tag_units(infos)
        found: list[tuple[Mention, list[Token], list[int]]] = []
        for unit, (labels, probs) in zip(units, tagged, strict=True):
            if labels is None:
                continue  # nothing but O
            for typ, a, b in chunks(labels):
                # only the edge tokens are built: the mention's boundaries are theirs
                edges = [tokens[unit[a]]] + ([tokens[unit[b - 1]]] if b - a > 1 else [])
                mention = self._mention(doc, edges, typ, probs[a:b])
                if mention is not None:
                    found.append((mention, edges, unit[a:b]))
        mentions = [m for m, _, _ in found] + self._propagate(doc, tokens, analyses, starts,
                                                              keys, found)
        mentions.sort(key=lambda m: m.start)
        for i, m in enumerate(mentions, 1):
            m.id = f"m{i}"
        doc.mentions = mentions

    def _tag_units(self, infos: list[list[WordInfo]]
                   ) -> list[tuple[list[str], list[float]] | tuple[None, None]]:
        """IOB2 labels per unit and, for tokens inside entities, their marginal probability;
        ``(None, None)`` for a unit with no entity (most units: no labels built for them)."""
        E, starts = self.emissions(infos)
        path = self.model.decode(E, starts)
        named = path != self._outside
        bounds = starts.tolist()
        before = np.concatenate([[0], np.cumsum(named)])  # named tokens before each row
        want = before[starts[1:]] > before[starts[:-1]]  # the units with a named token
        if not want.any():
            return [(None, None)] * len(want)
        P = self.model.posteriors(E, starts, want)
        bio = self._bio
        labels_all = [bio[k] for k in path.tolist()]
        named_l = named.tolist()
        out: list[tuple[list[str], list[float]] | tuple[None, None]] = []
        for s, a, b in zip(want.tolist(), bounds[:-1], bounds[1:], strict=True):
            if not s:
                out.append((None, None))
                continue
            probs = P[np.arange(a, b), path[a:b]].tolist()  # of each token's label
            out.append((labels_all[a:b], [p if named_l[t] else 1.0
                                          for t, p in enumerate(probs, a)]))
        return out
