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

import re
import threading
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np

from rasd.document import PREFIX_KINDS, Document, Mention, Token
from rasd.eval.chunks import chunks
from rasd.ner.crf import CrfModel
from rasd.ner.emissions import Emissions
from rasd.ner.features import FeatureExtractor, WordInfo
from rasd.ner.labels import to_bio
from rasd.resources import read_lines
from rasd.text.normalize import norm
from rasd.text.tokenize import Analysis

DEFAULT_MODEL = Path(__file__).resolve().parent / "model" / "ner.npz"
FIRST_PASS_FILE = "ner1.npz"
MAX_TOKENS = 120  # longer sentences are tagged in chunks (split at punctuation if possible)
OUTPUT_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "GPE"}
_BREAK = re.compile(r"[.!?؟;؛،,:]")
_NEWLINE = re.compile("\n")


def _word_set(*names: str) -> frozenset[str]:
    out = set()
    for name in names:
        for line in read_lines(f"gazetteer/{name}", missing_ok=True):
            w = norm(line.split("\t")[0].strip())
            out.add(w)
            if w.startswith("ال") and len(w) > 4:
                out.add(w[2:])
    return frozenset(out)


class NerTagger:
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
        self.loc_heads = _word_set("loc_heads.txt")
        self.fac_heads = _word_set("fac_heads.txt")
        self.regions = _word_set("regions.txt")
        self.given = _word_set("given_names.txt", "person_titles.txt")
        common = model.parent / "common_words.txt"
        self._keys: dict[str, str] = {}  # word form → propagation key
        self.common = frozenset(
            w for w in (common.read_text(encoding="utf-8").split("\n") if common.exists() else [])
            if w and not w.startswith("#"))

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
        else:
            starts = [t.start for t in tokens]
            forms = [t.text for t in tokens]
            analyses = None
        units = self._units(doc, starts, forms)
        cached = self.fx.cached
        with self._lock:  # the feature cache and the weight table grow as forms are met
            self.emissions.start()
            if analyses is not None:  # a form not seen before: from its shared analysis
                info_of = self.fx.info_of
                infos = [[cached(forms[k]) or info_of(analyses[k]) for k in unit]
                         for unit in units]
            else:
                info = self.fx.info
                infos = [[cached(forms[k]) or info(tokens[k]) for k in unit] for unit in units]
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
                                                              forms, found)
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

    def _propagate(self, doc: Document, tokens: Sequence[Token],
                   analyses: Sequence[Analysis] | None, starts: list[int], forms: list[str],
                   found: list[tuple[Mention, list[Token], list[int]]]) -> list[Mention]:
        """Later bare mentions of a name the CRF found once in the document.

        A news story names a person in full once (خليفة حفتر) and then by surname alone, often
        with a clitic (وحفتر، قوات حفتر) where the sentence alone gives the CRF little to go on.
        The surname of a multi-word PER mention, and a one-word PER/GPE/LOC mention, are looked
        for in the rest of the document; words that are usually not names in the training
        data (``common_words.txt``: لصالح must not become صالح) and given names are skipped.
        """
        names: dict[str, Mention] = {}
        for m, edges, span in found:  # edges: the first and the last token of the span
            if m.type == "PER" and len(span) >= 2:
                key = self._key(edges[-1])
            elif len(span) == 1 and m.type in ("PER", "GPE", "LOC"):
                key = self._key(edges[0])
            else:
                continue
            if len(key) >= 3 and key not in self.common and key not in self.given:
                names.setdefault(key, m)
        if not names:
            return []
        covered = {starts[k] for _, _, span in found for k in span}
        keys = self._keys  # word form → its name key, for every form met so far
        if len(keys) > 300_000:
            keys.clear()
        for k, form in enumerate(forms):
            if form not in keys:  # _key of the token, from its analysis when there is one
                keys[form] = (norm(analyses[k].stem) if analyses is not None
                              else self._key(tokens[k]))
        out = []
        for k in [k for k, form in enumerate(forms) if keys[form] in names]:
            if starts[k] in covered:
                continue
            src = names[keys[forms[k]]]
            m = self._mention(doc, [tokens[k]], "PER" if src.type == "PER" else "LOC", [src.score])
            if m is not None:
                m.type = src.type
                out.append(m)
        return out

    @staticmethod
    def _key(tok: Token) -> str:
        return norm(tok.stem.text)

    def _units(self, doc: Document, starts: list[int], forms: list[str]) -> list[list[int]]:
        """Token index runs to tag: sentences (whole text if none), cut at line breaks and
        length."""
        if not starts:
            return []
        sents = sorted((s.start, s.end) for s in doc.sentences) or [(0, len(doc.text))]
        n = len(starts)
        st = np.asarray(starts, dtype=np.int64)
        en = st + np.fromiter(map(len, forms), dtype=np.int64, count=n)
        s_starts = np.array([a for a, _ in sents], dtype=np.int64)
        s_ends = np.array([b for _, b in sents], dtype=np.int64)
        k = np.searchsorted(s_starts, st, side="right") - 1  # the sentence a token starts in
        sid = np.where((k >= 0) & (en <= s_ends[np.maximum(k, 0)]), k, -1 - k)  # gaps: own id
        # a line break between two tokens: more newlines before this start than before the
        # previous token's end
        nl = np.array([m.start() for m in _NEWLINE.finditer(doc.text)], dtype=np.int64)
        cut = np.flatnonzero((sid[1:] != sid[:-1]) | (np.searchsorted(nl, st[1:])
                                                      > np.searchsorted(nl, en[:-1]))) + 1
        out: list[list[int]] = []
        for a, b in pairwise([0, *cut.tolist(), n]):
            out.extend(_split_long(list(range(a, b)), forms))
        return out

    def _mention(self, doc: Document, toks: list[Token], typ: str,
                 probs: list[float]) -> Mention | None:
        out_type = OUTPUT_TYPES.get(typ)
        if out_type is None:  # MISC
            return None
        first, last = toks[0], toks[-1]
        start = first.start
        for seg in first.segments:
            if seg.kind in PREFIX_KINDS:
                start = seg.end
            else:
                break
        end = last.end
        if last.segments and last.segments[-1].kind == "pron" and last.segments[-1].start > start:
            end = last.segments[-1].start
        if end <= start:
            return None
        text = doc.text[start:end]
        if typ == "LOC":
            out_type = self._location_type(text, first)
        score = round(sum(probs) / len(probs), 3)
        return Mention(id="", start=start, end=end, text=text, type=out_type, score=score)

    def _location_type(self, text: str, first: Token) -> str:
        whole = norm(text)
        if whole in self.regions or (whole.startswith("ال") and whole[2:] in self.regions):
            return "LOC"
        head = norm(first.stem.text)
        if head in self.fac_heads:
            return "FAC"
        if head in self.loc_heads:
            return "LOC"
        return "GPE"


def _split_long(unit: list[int], forms: list[str], limit: int = MAX_TOKENS) -> list[list[int]]:
    """Cut a long token run into pieces of at most ``limit``, after punctuation when possible."""
    out = []
    while len(unit) > limit:
        cut = 0
        for i in range(limit - 1, limit // 2, -1):
            if _BREAK.fullmatch(forms[unit[i]]):
                cut = i + 1
                break
        cut = cut or limit
        out.append(unit[:cut])
        unit = unit[cut:]
    if unit:
        out.append(unit)
    return out
