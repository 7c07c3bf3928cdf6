"""Token → CRF features, computed once per word form and reused.

Arabic glues conjunctions, prepositions and the article to names (وبطرابلس), so the features
that carry the word itself look at the clitic *stem* from the tokenizer, with the clitics as
separate features; stem prefixes/suffixes (1–4 letters) catch nisba and plural endings and
foreign-name shapes; gazetteer lists (countries, cities, titles, head words…) and word clusters
learned from unlabeled news generalise to names never seen in training.

Speed: everything that depends only on the word form (the values its own features and the
versions of them its neighbours see are made of) is cached per surface string; the tagger sums
their weights per form without building the strings (rasd.ner.emissions), and only the
multi-word gazetteer matches and two bigram features are per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rasd.document import PREFIX_KINDS, Token
from rasd.memo import BoundedMemo
from rasd.ner import clusters as clusters_mod
from rasd.ner import kernels
from rasd.ner.clusters import NEAR
from rasd.ner.gazetteer import Gazetteer
from rasd.text.normalize import norm
from rasd.text.tokenize import Analysis, Tokenizer

# Context windows: which of a neighbour's features it contributes, by offset.
_NEAR = ("w", "s", "c256", "c1024", "g", "pre", "shape")
_FAR = ("s", "c256", "g")
# (feature prefix, field) for the neighbours' features, as seen from -1/+1 and -2/+2
_NEAR_PREFIXES = tuple(tuple((f"{d}{n}=", n) for n in _NEAR) for d in ("-1", "+1"))
_FAR_PREFIXES = tuple(tuple((f"{d}{n}=", n) for n in _FAR) for d in ("-2", "+2"))


def analysis_key(a: Analysis) -> str:
    """The feature cache's key for a form as segmented: the form itself when it is one piece,
    else the form and its cut points. The tokenizer segments one form two ways by context
    (فان: ف + ان "then that", or the name Van), so a cache keyed by the form alone made an
    article's analysis depend on the articles tagged before it."""
    if len(a.pieces) == 1:
        return a.form
    return a.form + "\x00" + " ".join(f"{x}{k}" for x, _, k in a.pieces)


#: Word forms the feature memo holds before it starts over (between documents: a form's row
#: in the tagger's weight table must stay valid while its document is tagged).
FORM_LIMIT = 300_000
_CUT = re.compile(r"(\d+)([^\d ]+)")  # one "{start}{kind}" of a key's cut points


def token_key(tok: Token) -> str:
    """:func:`analysis_key` of a built token."""
    segs = tok.segments
    if not segs or len(segs) == 1:
        return tok.text
    return tok.text + "\x00" + " ".join(f"{g.start - tok.start}{g.kind}" for g in segs)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the feature extractor knows about one word form: the values its features are
    made of. The feature *strings* (what the CRF is trained on) are :meth:`own`, :meth:`near`
    and :meth:`far`; the tagger adds their weights from these values without building them
    (rasd.ner.emissions.FeatureIds)."""

    w: str  # the whole word, normalized, lower case
    stem: str  # the clitic stem, normalized, lower case (also the bigram and window key)
    stem_len: int  # characters of the normalized stem before lower-casing
    pre: str  # clitic prefixes joined by "+" ("-": none), "+det" when the article is there
    suf: str  # "pron" or "-"
    has_det: bool
    shape: str  # of the stem's surface text: ar, num, lat, Lat, LAT, punct, empty
    clusters: tuple[int, ...] | None  # the stem's word-cluster path prefixes (None: unknown)
    gz: tuple[str, ...]  # gazetteer lists holding the word as a one-word entry
    key: str  # gazetteer key: normalized, clitic prefixes removed, article kept
    # Which cached form this is (0, 1, … in caching order): its row in the tagger's table of
    # summed weights (rasd.ner.emissions).
    row: int = field(default=-1, compare=False)

    @property
    def affixed(self) -> bool:
        """Stem prefixes/suffixes and word ends are features of letters only."""
        return self.shape in ("ar", "lat", "Lat", "LAT")

    @property
    def c256(self) -> str:
        return str(self.clusters[NEAR[0]]) if self.clusters is not None else "oov"

    @property
    def c1024(self) -> str:
        return str(self.clusters[NEAR[1]]) if self.clusters is not None else "oov"

    @property
    def g(self) -> str:
        return "|".join(self.gz) or "-"

    def own(self) -> tuple[str, ...]:
        """The word's own features."""
        stem, word = self.stem, self.w
        own = ["bias", f"w={word}", f"s={stem}", f"pre={self.pre}", f"suf={self.suf}",
               f"shape={self.shape}", f"len={min(self.stem_len, 9)}"]
        if self.has_det:
            own.append("det")
        if self.affixed:
            for n in (1, 2, 3, 4):
                if self.stem_len > n:
                    own.append(f"p{n}={stem[:n]}")
                    own.append(f"x{n}={stem[-n:]}")
            # Whole-word ends too: clitic letters plus the stem's edge (وال…, …ية).
            for n in (2, 3):
                if len(word) > n:
                    own.append(f"wp{n}={word[:n]}")
                    own.append(f"wx{n}={word[-n:]}")
        if self.clusters is not None:
            own += [f"c{i}={c}" for i, c in enumerate(self.clusters)]
        else:
            own.append("c=oov")
        own += [f"g={g}" for g in self.gz]
        return tuple(own)

    def near(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The features its neighbours at -1 and +1 see ("-1w=…", "+1s=…")."""
        values = self.values()
        return tuple(tuple(p + values[n] for p, n in side) for side in _NEAR_PREFIXES)

    def far(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The features its neighbours at -2 and +2 see."""
        values = self.values()
        return tuple(tuple(p + values[n] for p, n in side) for side in _FAR_PREFIXES)

    def values(self) -> dict[str, str]:
        """The values the neighbours' features carry, by field name (_NEAR, _FAR)."""
        return {"w": self.w, "s": self.stem, "c256": self.c256, "c1024": self.c1024,
                "g": self.g, "pre": self.pre, "shape": self.shape}


def _feature_strings(inf: WordInfo) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...],
                                             tuple[tuple[str, ...], ...]]:
    return inf.own(), inf.near(), inf.far()


# A word form's feature strings (own, near, far), built once per distinct form (training
# corpora repeat their words; tagging never asks for them).
feature_strings = BoundedMemo(_feature_strings, 300_000)


def _shape(text: str) -> str:
    if not text:
        return "empty"
    c = text[0]
    if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff":
        return "ar"
    if c.isdigit():
        return "num"
    if c.isalpha():
        if text.isupper():
            return "LAT"
        return "Lat" if c.isupper() else "lat"
    return "punct"


class FeatureExtractor:
    """Builds CRF feature lists for sentences of :class:`Token` (or plain word strings)."""

    def __init__(self, gazetteer: Gazetteer | None = None,
                 clusters: dict[str, tuple[int, ...]] | None = None,
                 tokenizer: Tokenizer | None = None) -> None:
        self.gaz = gazetteer if gazetteer is not None else Gazetteer.load()
        self.clusters = clusters if clusters is not None else {}
        self._tokenizer = tokenizer
        # analysis_key → WordInfo; emptied only by trim(), between documents.
        self._cache = BoundedMemo(self._keyed_info, FORM_LIMIT, between_units=True)
        # The cached info of a word form, or None: a dict lookup without a Python call, for
        # the tagger's loop over every token (the cache is emptied in place, never replaced).
        self.cached = self._cache.get
        self.generation = 0  # bumped each time the cache starts over (rows are reused)
        self._word_tokens = BoundedMemo(self._token_for_word, 300_000)

    @classmethod
    def from_model_dir(cls, model_dir: Path) -> FeatureExtractor:
        return cls(Gazetteer.load(), clusters_mod.load(model_dir / "clusters.tsv"))

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer()
        return self._tokenizer

    # -- per word form ---------------------------------------------------------------------
    def token_for_word(self, word: str) -> Token:
        """A whitespace word of a CoNLL corpus as one rasd token (its main sub-token)."""
        return self._word_tokens(word)

    def _token_for_word(self, word: str) -> Token:
        toks = self.tokenizer(word) or [Token(0, len(word), word, norm(word))]
        return next((t for t in toks if t.text[:1].isalnum()), toks[0])

    def info(self, tok: Token) -> WordInfo:
        return self._cache(token_key(tok))

    def info_of(self, a: Analysis) -> WordInfo:
        """:meth:`info` of every token of a tokenizer analysis' form, with no Token built
        (the tagger meets most new forms this way)."""
        return self._cache(analysis_key(a))

    def _keyed_info(self, key: str) -> WordInfo:
        """The info of the form a key names: its text, its cut points and their kinds (a
        one-piece form is its own stem); its row is the memo's next one."""
        form, _, cuts = key.partition("\x00")
        parts = [(int(m[1]), m[2]) for m in _CUT.finditer(cuts)] or [(0, "stem")]
        ends = [x for x, _ in parts[1:]] + [len(form)]
        stem = next((form[x:y] for (x, k), y in zip(parts, ends, strict=True) if k == "stem"),
                    form)
        return self._info(form, [k for _, k in parts], stem, len(self._cache))

    def trim(self, limit: int | None = None) -> bool:
        """Forget every cached word form once there are ``limit`` of them (the memo's own
        limit, FORM_LIMIT, by default); call between documents (a form's row must stay valid
        while its document is tagged)."""
        if len(self._cache) < (self._cache.limit if limit is None else limit):
            return False
        self._cache.clear()
        self.generation += 1
        return True

    def _info(self, text: str, kinds: list[str], stem_text: str, row: int) -> WordInfo:
        """A form's feature values from its text, its segments' kinds and its stem's text."""
        stem = norm(stem_text)
        stem_l = stem.lower()
        has_det = "det" in kinds
        key = ("ال" if has_det else "") + stem
        gz = self.gaz.word_hits(key)
        if stem_l != key:
            gz += [g for g in self.gaz.word_hits(stem_l) if g not in gz]
        return WordInfo(
            norm(text).lower(), stem_l, len(stem),
            ("+".join(k for k in kinds if k in PREFIX_KINDS) or "-") + ("+det" if has_det else ""),
            "pron" if "pron" in kinds else "-", has_det, _shape(stem_text),
            self.clusters.get(stem_l), tuple(gz), key, row)

    # -- per sentence ----------------------------------------------------------------------
    def sentence(self, toks: Sequence[Token | str]) -> list[list[str]]:
        """Feature lists, one per token, for one sentence."""
        infos, extras = self.sentence_parts(toks)
        parts = [feature_strings(inf) for inf in infos]  # (own, near, far) of each token
        n = len(infos)
        out: list[list[str]] = []
        for i, (own, _, _) in enumerate(parts):
            feats = list(own)
            if i > 0:
                feats += parts[i - 1][1][0]
                if i > 1:
                    feats += parts[i - 2][2][0]
            if i + 1 < n:
                feats += parts[i + 1][1][1]
                if i + 2 < n:
                    feats += parts[i + 2][2][1]
            feats += extras[i]
            out.append(feats)
        return out

    def sentence_parts(self, toks: Sequence[Token | str]) -> tuple[list[WordInfo], list[list[str]]]:
        """Per-word-form infos and, per token, the features that depend on the sentence.

        A token's features are its own, its neighbours' ``near``/``far`` ones and these extras
        (sentence edges, stem bigrams, multi-word gazetteer matches). These strings are what
        the CRF is trained on; the tagger adds the same weights from arrays (ner/emissions.py).
        """
        return self.parts_of(self.sentence_infos(toks))

    def sentence_infos(self, toks: Sequence[Token | str]) -> list[WordInfo]:
        return [self.info(t if isinstance(t, Token) else self.token_for_word(t)) for t in toks]

    def parts_of(self, infos: list[WordInfo]) -> tuple[list[WordInfo], list[list[str]]]:
        """:meth:`sentence_parts` for a sentence whose word infos are known."""
        n = len(infos)
        extras: list[list[str]] = [[] for _ in range(n)]
        for i, f in self.gazetteer_features(infos):
            extras[i].append(f)
        for i, inf in enumerate(infos):
            ex = extras[i]
            if i > 0:
                ex.append(f"s-1|s={infos[i - 1].stem}|{inf.stem}")
                if i == 1:
                    ex.append("-2BOS")
            else:
                ex.append("BOS")
            if i + 1 < n:
                ex.append(f"s|s+1={inf.stem}|{infos[i + 1].stem}")
                if i + 2 == n:
                    ex.append("+2EOS")
            else:
                ex.append("EOS")
        return infos, extras

    def gazetteer_features(self, infos: Sequence[WordInfo]) -> list[tuple[int, str]]:
        """Multi-word gazetteer matches in a sentence as (token index, feature) pairs."""
        out: list[tuple[int, str]] = []
        if self.gaz.maxlen > 1:
            for a, b, name in self.gaz.spans([i.key for i in infos]):
                out.append((a, f"gm={name}:B"))
                out.extend((j, f"gm={name}:I") for j in range(a + 1, b))
        return out


# -- second pass: document consistency -------------------------------------------------------
WINDOW = 15  # sentences either side whose first-pass labels a word's features summarise
KINDS = ("PER", "LOC", "ORG", "MISC", "O")


def stems(fx: FeatureExtractor, toks: Sequence[Token | str]) -> list[str]:
    return [fx.info(t if isinstance(t, Token) else fx.token_for_word(t)).stem for t in toks]


def add_consistency(feats: list[list[list[str]]], stem_seqs: list[list[str]],
                    first: list[list[str]], window: int = WINDOW) -> list[list[list[str]]]:
    """``feats`` with the second-pass features of :func:`consistency` added to each token."""
    extra = consistency(stem_seqs, first, window)
    return [[x + e for x, e in zip(fs, es, strict=True)]
            for fs, es in zip(feats, extra, strict=True)]


def consistency(stem_seqs: list[list[str]], first: list[list[str]],
                window: int = WINDOW) -> list[list[list[str]]]:
    """Second-pass features: what the first pass said here and about the same word nearby.

    A name is often tagged in one sentence (with a title or a full name around it) and missed
    in another; the second CRF sees, for each word, the first-pass label of it and its
    neighbours, and the labels the first pass gave the same stem elsewhere within ``window``
    sentences (3-fold CV on train: +1.3 F1). ``first`` holds IOB2 labels. These strings are
    what the CRF is trained on; at tagging time ``emissions.SecondPassScores`` adds their
    weights straight from the same counts.
    """
    flat = [s for st in stem_seqs for s in st]
    kinds = [label_kind(lab) for labs in first for lab in labs]
    counts = window_kinds(flat, [len(st) for st in stem_seqs], kinds, window)
    out: list[list[list[str]]] = []
    k = 0
    for labs in first:
        sent = []
        for t, lab in enumerate(labs):
            f = ["p1=" + lab]
            if t > 0:
                f.append("p1-1=" + labs[t - 1])
            if t + 1 < len(labs):
                f.append("p1+1=" + labs[t + 1])
            row = counts[k]
            if row.any():
                f += ["dct=" + KINDS[j] for j in range(len(KINDS) - 1) if row[j] > 0]
                f.append("dc=" + KINDS[int(row.argmax())])  # ties: an entity type before O
            sent.append(f)
            k += 1
        out.append(sent)
    return out


_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}


def label_kind(label: str) -> int:
    """Index in :data:`KINDS` of an IOB2 label's type (``B-PER`` → PER, ``O`` → O)."""
    return _KIND_INDEX[label[2:] if label != "O" else "O"]


def window_kinds(stems: list[str], lens: Sequence[int] | np.ndarray, kinds: Sequence[int],
                 window: int) -> np.ndarray:
    """(tokens, kinds): how often the first pass gave each kind to the same stem in other
    tokens at most ``window`` sentences away; zero for one-letter stems (too ambiguous)."""
    ids: dict[str, int] = {}
    stem_ids = np.array([ids.setdefault(s, len(ids)) for s in stems], dtype=np.int64)
    sent = np.repeat(np.arange(len(lens), dtype=np.int64), lens)
    counts = kernels.window_counts(stem_ids, sent, np.asarray(kinds, dtype=np.int64),
                                   window, len(KINDS))
    counts[[len(s) <= 1 for s in stems]] = 0
    return counts
