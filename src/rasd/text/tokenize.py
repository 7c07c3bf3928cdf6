"""Tokens with Arabic clitic segments, every piece with exact offsets.

Tokenization is one regular expression over the original text (Arabic words keep their inner
diacritics and tatweel; numbers keep their separators; every other non-space character is a
token). Segmentation splits a token into conjunction (و ف), preposition (ب ل ك), future (س),
article (ال), stem, and attached pronoun suffixes, deciding with a word-frequency lexicon
(`resources/segmenter/vocab.tsv`, built by ``rasd train vocab``) so that letters belonging to a
word stay with it: وزير, بريطانيا, وليد stay whole because their remainders are not words,
while بحفتر → ب + حفتر and لقائهم → لقاء + هم split. Decisions are cached per word form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasd.document import Segment, Token
from rasd.memo import BoundedMemo
from rasd.resources import read_lines, read_tsv
from rasd.text.codepoints import translation_list
from rasd.text.marks import WORD_MARKS
from rasd.text.normalize import Normalizer
from rasd.text.views import form_fields

_AR_LETTER = "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06ff" \
             "\ufb50-\ufdff\ufe70-\ufefc"
_AR_MARK = WORD_MARKS
# Invisible format characters (LRM/RLM, the Arabic letter mark, word joiner, soft hyphen,
# bidi embeddings and isolates) inside a word stay part of it (the matching view deletes
# them): one RLM in every word must not split every word in two.
_AR_INVISIBLE = "\u200e\u200f\u061c\u2060\u00ad\u202a-\u202e\u2066-\u2069"
TOKEN_RE = re.compile(
    rf"(?P<ar>[{_AR_LETTER}](?:[{_AR_LETTER}{_AR_MARK}]|[{_AR_INVISIBLE}]+"
    rf"(?=[{_AR_LETTER}{_AR_MARK}]))*)"
    r"|(?P<num>\d+(?:[.,٫٬]\d+)*%?)"
    r"|(?P<lat>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
    r"|(?P<sym>[^\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff])"
)
# A token is an Arabic word (TOKEN_RE's ``ar``) exactly when it starts with an Arabic letter:
# that alternative is tried first, so the form alone says which group matched it.
_AR_START = re.compile(f"[{_AR_LETTER}]")

# Pronoun suffixes, longest first.
# No bare ي and no ني: in news a final (ن)ي is the nisba ending (أممي، ليبي، اللبناني، هاني)
# far more often than "my"/"me". No كن: يمكن، تمكن، أماكن, never "your" (feminine plural).
SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "ها", "نا", "ه", "ك")
# First and second person are rare in news: these need a stem more frequent than the whole
# word (هناك is not هنا + ك, سولانا not سولا + نا; نفسك is نفس + ك).
RARE_SUFFIXES = frozenset(("كما", "كم", "نا", "ك"))
# Prefixes that may be split off a word when neither it nor its rest is in the lexicon. Only و:
# unknown words starting with ب ل ف are mostly names (برازيليا, لوثر, فينوجرادوف).
UNKNOWN_OK = "و"
_LOOKUP_FOLD = translation_list(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"}))
IMPERFECT = "يتنا"
MIN_STEM = 2


@dataclass(frozen=True, slots=True)
class Piece:
    """A segment relative to the token's normalized view: [start, end) and kind."""

    start: int
    end: int
    kind: str


class Segmenter:
    """Clitic segmenter over the normalized (taa-preserving) view of one word.

    Decisions come from the word-frequency lexicon. A clitic is split off when the rest of the
    word (a stem in its free spelling: حكومت → حكومة) is known at least ``ratio`` times as
    often as the whole form; ``prep_ratio`` for ب ل ك, ``rare_ratio`` for first and second
    person suffixes (هناك stays whole). Never when the whole form is itself a noun: it takes
    the article (الواحد, الفكرة, الملك) at least ``noun_share`` times as often as it stands
    alone, unless the rest is ``noun_override`` times more frequent than that (والي → و +
    الي). Never off a word of ``keep`` or such a word + pronoun (وزير, لكنه → لكن + ه). A word
    whose rest is unknown too loses only a leading و. Measured against NewsFANE's clitic-split
    text by ``rasd eval segmentation`` (docs/evaluation.md).
    """

    def __init__(self, vocab: dict[str, int] | None = None, keep: Iterable[str] = (),
                 ratio: float = 0.02, prep_ratio: float = 0.5, rare_ratio: float = 1.0,
                 noun_share: float = 0.05, noun_override: float = 50.0) -> None:
        # The segmentation view keeps hamza-alef and alef maqsura: the article is written ال
        # with a bare alef (ألمانيا is not أل + مانيا) and ى is never a suffix.
        self.norm = Normalizer(fold_taa=False, fold_alef=False, fold_yaa=False)
        self.vocab = vocab or {}
        self.keep = {self.norm.text(w).translate(_LOOKUP_FOLD) for w in keep}
        self.ratio = ratio
        self.prep_ratio = prep_ratio
        self.rare_ratio = rare_ratio
        self.noun_share = noun_share
        self.noun_override = noun_override
        self._pieces = BoundedMemo(self._segment, 500_000)  # view → pieces

    @classmethod
    def default(cls) -> Segmenter:
        vocab = {w: int(c) for w, c in read_tsv("segmenter/vocab.tsv", missing_ok=True)}
        return cls(vocab, read_lines("segmenter/keep.txt"))

    def count(self, word: str) -> int:
        return self.vocab.get(word.translate(_LOOKUP_FOLD), 0)

    def kept(self, word: str) -> bool:
        return word.translate(_LOOKUP_FOLD) in self.keep

    def kept_base(self, word: str) -> bool:
        """A kept word, alone or with a pronoun suffix (لكنه, كلها: never ل + كنه)."""
        if self.kept(word):
            return True
        return any(word.endswith(s) and len(word) - len(s) >= MIN_STEM
                   and self.kept(word[: -len(s)]) for s in SUFFIXES)

    def is_noun(self, whole: str, rest: str) -> bool:
        """Does ``whole`` take the article often enough to be a word of its own?"""
        al = self.count("ال" + whole)
        if (al > 0 and al >= self.noun_share * self.count(whole)
                and self.count(rest) < self.noun_override * al):
            return True
        # Indefinite accusative: واحدا is a noun when واحد is (not وانا: وان is not الوان).
        return whole[-1] == "ا" and len(rest) > MIN_STEM and self.is_noun(whole[:-1], rest[:-1])

    def _stem_ok(self, whole: str, stem: str, ratio: float) -> bool:
        """May ``whole`` be read as clitics + ``stem``? Lexicon first, shape rules for unknowns."""
        if len(stem) < MIN_STEM or self.kept_base(whole):
            return False
        cw, cs = self.count(whole), self.count(stem)
        if not cs and (k := self._suffix_len(stem)):
            # وتغريمه, بتغلبه: decide on the forms without the pronoun (وتغريم, تغريم).
            return any(self._stem_ok(wv, sv, ratio) for wv, sv in
                       zip(_stem_variants(whole[:-k]), _stem_variants(stem[:-k]), strict=False))
        if cs:
            return cs >= ratio * cw and not self.is_noun(whole, stem)
        # Stem unknown: split only an unknown word, only a common clitic, only a word-sized rest.
        return cw == 0 and len(stem) >= 3 and whole[0] in UNKNOWN_OK

    @staticmethod
    def _suffix_len(word: str) -> int:
        """Length of the pronoun suffix ``word`` ends with (0 if none or the rest is short)."""
        return next((len(s) for s in SUFFIXES
                     if word.endswith(s) and len(word) - len(s) >= MIN_STEM + 1), 0)

    def pieces(self, view: str) -> tuple[Piece, ...]:
        """Segment a normalized word; returns pieces covering ``view`` exactly (memoized)."""
        return self._pieces(view)

    def _segment(self, w: str) -> tuple[Piece, ...]:
        n = len(w)
        if n < 3 or self.kept(w):
            return (Piece(0, n, "stem"),)
        pre: list[Piece] = []
        i = 0
        # Conjunction و/ف.
        if self._conj_ok(w):
            pre.append(Piece(0, 1, "conj"))
            i = 1
        rest = w[i:]
        # Preposition ب/ل/ك or future س.
        if self.kept_base(rest):
            pass
        elif rest[:2] == "لل" and len(rest) >= 4 and self._article_ok(rest, "ا" + rest[1:]):
            pre += [Piece(i, i + 1, "prep"), Piece(i + 1, i + 2, "det")]  # ل + (ا)ل: للاتحاد
            i += 2
        elif (rest[:1] in "بلك" and rest[1:3] == "ال" and len(rest) >= 5
              and self._article_ok(rest, rest[1:])):
            pre += [Piece(i, i + 1, "prep"), Piece(i + 1, i + 3, "det")]
            i += 3
        elif rest[:2] == "ال" and len(rest) >= 4:
            pre.append(Piece(i, i + 2, "det"))
            i += 2
        elif (rest[:1] in "بلك" and len(rest) - 1 >= MIN_STEM
              and self._prefix_ok(rest, 1, self.prep_ratio) and not self._conj_ok(rest[1:])):
            # A preposition never precedes a conjunction: كوفي is not ك + و + في.
            pre.append(Piece(i, i + 1, "prep"))
            i += 1
        elif (rest[:1] == "س" and len(rest) >= 4 and rest[1] in IMPERFECT
              and self._prefix_ok(rest, 1, self.ratio)):
            pre.append(Piece(i, i + 1, "fut"))
            i += 1
        stem_end = n
        suffix: Piece | None = None
        if not any(p.kind == "det" for p in pre):
            stem_end, suffix = self._suffix(w, i)
        return (*pre, Piece(i, stem_end, "stem"), *((suffix,) if suffix else ()))

    def _article_ok(self, word: str, rest: str) -> bool:
        """Preposition + article (بالقاهرة): the rest is known, or both are unknown and the
        preposition is ب/ل (كاليفورنيا, كالديرون stay whole)."""
        cw, cr = self.count(word), self.count(rest)
        if cr:
            return cr >= self.ratio * cw
        return cw == 0 and word[0] in "بل"

    def _conj_ok(self, word: str) -> bool:
        return (word[0] in "وف" and len(word) - 1 >= MIN_STEM
                and self._prefix_ok(word, 1, self.ratio))

    def _prefix_ok(self, word: str, k: int, ratio: float) -> bool:
        rest = word[k:]
        if self._stem_ok(word, rest, ratio):
            return True
        # وبحفتر-like: the remainder itself starts with a clitic whose stem is known.
        return any(rest[:j] in ("ب", "ل", "ك", "ال", "بال", "لل", "س")
                   and self.count(rest[j:]) > 0 and self.count(word) == 0 for j in (1, 2, 3))

    def _suffix(self, w: str, i: int) -> tuple[int, Piece | None]:
        base = w[i:]
        if self.kept(base):
            return len(w), None
        cb = self.count(base)
        for suf in SUFFIXES:
            if not base.endswith(suf) or len(base) - len(suf) < MIN_STEM:
                continue
            ratio = self.rare_ratio if suf in RARE_SUFFIXES else self.ratio
            for variant in _stem_variants(base[: -len(suf)]):
                cs = self.count(variant) or (not cb and self.count("ال" + variant))
                if cs and cs >= ratio * cb and not self.is_noun(base, variant):
                    j = len(w) - len(suf)
                    return j, Piece(j, len(w), "pron")
        return len(w), None


def _stem_variants(stem: str) -> tuple[str, ...]:
    """Spellings a stem takes without its suffix: حكومت → حكومة, لقائ → لقاء."""
    last = stem[-1]
    if last == "ت":
        return (stem[:-1] + "ة", stem)
    if last in "ئؤ":
        return (stem[:-1] + "ء", stem)
    if last == "ا" and len(stem) >= 3:  # عصاها → عصا ; قضاياهم
        return (stem, stem[:-1] + "ى")
    if last == "و" and len(stem) >= 3:  # شاركوه → شاركوا
        return (stem, stem + "ا")
    return (stem,)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What rasd knows about one word form: its matching view and its segments.

    Computed once per distinct form and shared by every token of that form (a lexeme, in
    spaCy's terms); ``pieces`` are ``(start, end, kind)`` relative to the form. What follows
    from those the lexeme carries, derived once when it is built (rasd.memo's rule): ``stem``
    and ``view_fields``.
    """

    form: str
    norm: str
    pieces: tuple[tuple[int, int, str], ...]
    arabic: bool
    #: The text of the piece that carries the word (never a clitic): ``Token.stem``'s text
    #: for every token of this form, without building the Token.
    stem: str = field(init=False, repr=False, compare=False)
    #: The offset-free fields of the :class:`~rasd.text.views.TokenView` of every token of
    #: this form (``norm`` … ``text``): views are built from these, one tuple per form.
    view_fields: tuple[Any, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        form = self.form
        stem = next((form[x:y] for x, y, kind in self.pieces if kind == "stem"), form)
        object.__setattr__(self, "stem", stem)
        object.__setattr__(self, "view_fields", form_fields(
            form, self.norm, [(form[x:y], kind) for x, y, kind in self.pieces]))


class TokenTable(Sequence[Token]):
    """The tokens of one text, stored as offsets + shared analyses; Token objects on demand.

    Tokenizing builds two parallel lists instead of one object per token and per segment, which
    keeps tokenization fast; stages that need per-type work (features, lookups) use
    ``analyses`` directly, everyone else iterates Tokens as with a list.
    """

    __slots__ = ("starts", "analyses")

    def __init__(self, starts: list[int], analyses: list[Analysis]) -> None:
        self.starts = starts
        self.analyses = analyses

    def __len__(self) -> int:
        return len(self.starts)

    def _token(self, i: int) -> Token:
        start, a = self.starts[i], self.analyses[i]
        form = a.form
        segs = [Segment(start + x, start + y, form[x:y], kind) for x, y, kind in a.pieces]
        return Token(start, start + len(form), form, a.norm, segs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._token(k) for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._token(i)

    def __iter__(self) -> Iterator[Token]:
        return (self._token(k) for k in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    def __repr__(self) -> str:
        return f"TokenTable({len(self)} tokens)"


class Tokenizer:
    """Finds tokens and segments them. Build once (it loads the lexicon), call per text."""

    CACHE_LIMIT = 300_000  # word forms whose Analysis is kept (a few thousand articles' worth)

    def __init__(self, segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter or Segmenter.default()
        self.norm = Normalizer(fold_taa=True)
        self._seg_norm = self.segmenter.norm
        self._lexemes = BoundedMemo(self._lexeme, self.CACHE_LIMIT)  # form → its Analysis
        # word → next words before which it is a name kept whole (بان كي مون, not ب+ان).
        self._keep_before: dict[str, set[str]] = {}
        self._whole = BoundedMemo(_unsplit, 10_000)  # those words' unsplit analyses
        for line in read_lines("segmenter/keep_before.tsv", missing_ok=True):
            word, _, nxt = line.partition("\t")
            if nxt.strip():
                self._keep_before.setdefault(self.norm.text(word.strip()), set()).add(
                    self.norm.text(nxt.strip()))

    def spans(self, text: str) -> list[tuple[int, int, str | None]]:
        """``(start, end, kind)`` for each token: the cheap pass (no segmentation)."""
        return [(m.start(), m.end(), m.lastgroup) for m in TOKEN_RE.finditer(text)]

    def __call__(self, text: str) -> TokenTable:
        matches = list(TOKEN_RE.finditer(text))
        lexeme = self._lexemes  # first sight of a form: analyse it once
        analyses = [lexeme(m.group()) for m in matches]
        keep = self._keep_before
        for i in range(len(analyses) - 1):
            nxt = keep.get(analyses[i].norm)
            if nxt is not None and analyses[i + 1].norm in nxt and len(analyses[i].pieces) > 1:
                analyses[i] = self._whole(analyses[i])
        return TokenTable([m.start() for m in matches], analyses)

    def _lexeme(self, form: str) -> Analysis:
        return self.analyse(form, _AR_START.match(form) is not None)

    def analyse(self, surface: str, arabic: bool) -> Analysis:
        view = self.norm.text(surface)
        if not arabic:
            return Analysis(surface, view, ((0, len(surface), "stem"),), False)
        seg_view = self._seg_norm(surface)
        pieces = self.segmenter.pieces(seg_view.text)
        rel = []
        for p in pieces:
            a, b = seg_view.to_original(p.start, p.end)
            rel.append((a, b, p.kind))
        # Marks between pieces (a shadda after a clitic) stay with the piece before them.
        fixed = []
        for k, (a, b, kind) in enumerate(rel):
            nb = rel[k + 1][0] if k + 1 < len(rel) else len(surface)
            fixed.append((a if k else 0, max(b, nb), kind))
        return Analysis(surface, view, tuple(fixed), True)


def _unsplit(a: Analysis) -> Analysis:
    """``a`` kept whole: one stem piece."""
    return Analysis(a.form, a.norm, ((0, len(a.form), "stem"),), a.arabic)


_default: Tokenizer | None = None


def tokenize(text: str) -> TokenTable:
    """Tokenize with the shared default tokenizer (lexicon loaded on first use)."""
    global _default
    if _default is None:
        _default = Tokenizer()
    return _default(text)
