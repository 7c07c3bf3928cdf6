"""Offset-preserving Arabic normalization.

The normalized view is for *matching* (lexicons, gazetteers, search); the original text is
never changed. :func:`normalize` returns the normalized string together with a map from each
normalized character back to the original index, so a match found in the view becomes an
exact ``[start, end)`` span of the original.

What is folded (each choice is a flag of :class:`Normalizer`):
alef/hamza-on-alef variants → ا; ى → ي (so لدى → لدي); optionally ة → ه; Persian/Urdu
letter variants (ک ی ہ) → Arabic; Arabic-Indic and Persian digits → ASCII; presentation forms
via NFKC; curly and guillemet quotes → ``"`` / ``'``; NBSP and other spaces → space;
deleted: tatweel, harakat and Quranic marks, zero-width and bidi control characters, BOM.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from rasd.memo import BoundedMemo
from rasd.text.codepoints import code_points, from_code_points, translation_list
from rasd.text.marks import HARAKAT, QURANIC_MARKS, QURANIC_SYMBOLS, TATWEEL, class_chars

# Characters removed from the view.
_DIACRITICS = class_chars(HARAKAT) + [
    c for c in class_chars(QURANIC_MARKS) if c not in QURANIC_SYMBOLS]
_CONTROLS = ["\u00ad", "\u061c", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060",
             "\ufeff"] + [chr(c) for c in range(0x202A, 0x202F)] + [
    chr(c) for c in range(0x2066, 0x206A)]
_TATWEEL = [TATWEEL]

_ALEF = {c: "ا" for c in "أإآٱٲٳ"}
_LETTERS = {"ى": "ي", "ک": "ك", "ی": "ي", "ې": "ي", "ہ": "ه", "ە": "ه", "ۀ": "ه", "ڪ": "ك",
            "ٹ": "ت", "ٸ": "ي"}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i)
                                                           for i in range(10)}
_PUNCT = {"٫": ".", "٬": ",", "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
          "″": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‹": "'", "›": "'"}
_SPACES = {c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                          "\u2009\u200a\u202f\u205f\u3000"}


class Normalized:
    """A normalized view of ``original`` with a map back to original offsets.

    The map is built on the first :meth:`to_original` call: most views are only searched, and
    a text whose length does not change under normalization needs no map at all.
    """

    __slots__ = ("original", "text", "_normalizer", "_map")

    def __init__(self, original: str, text: str, normalizer: Normalizer | None) -> None:
        self.original = original
        self.text = text
        self._normalizer = normalizer  # None: the view is char-for-char (identity map)
        self._map: tuple[int, ...] | None = None

    @property
    def _starts(self) -> tuple[int, ...] | None:
        """Original index of each view character (None for the identity map)."""
        if self._normalizer is not None and self._map is None:
            self._map = self._normalizer._starts(self.original)
        return self._map

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span ``[start, end)`` to the original span that produced it."""
        starts = self._starts
        if starts is None:
            return start, end
        if start >= end:
            pos = starts[start] if start < len(starts) else len(self.original)
            return pos, pos
        o_start = starts[start]
        o_end = starts[end] if end < len(starts) else len(self.original)
        # A deleted char (diacritic, tatweel) between the last view char and the next one
        # belongs to the last letter: keep it inside the span.
        last = starts[end - 1]
        if o_end <= last:
            o_end = last + 1
        return o_start, o_end


class Normalizer:
    """Builds the translation table once; :meth:`__call__` is then two C-level passes."""

    def __init__(self, fold_taa: bool = True, fold_digits: bool = True, fold_quotes: bool = True,
                 fold_alef: bool = True, fold_yaa: bool = True) -> None:
        table: dict[int, str] = {}
        for c in _DIACRITICS + _CONTROLS + _TATWEEL:
            table[ord(c)] = ""
        if fold_alef:
            table.update({ord(k): v for k, v in _ALEF.items()})
        letters = dict(_LETTERS)
        if not fold_yaa:
            letters.pop("ى")
        table.update({ord(k): v for k, v in letters.items()})
        if fold_taa:
            table[ord("ة")] = "ه"
        if fold_digits:
            table.update({ord(k): v for k, v in _DIGITS.items()})
        if fold_quotes:
            table.update({ord(k): v for k, v in _PUNCT.items()})
        table.update({ord(k): v for k, v in _SPACES.items()})
        # Presentation forms (FB50–FDFF, FE70–FEFF): NFKC, then the same folds.
        for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
            ch = chr(cp)
            if not unicodedata.name(ch, ""):
                continue
            decomposed = unicodedata.normalize("NFKC", ch)
            if decomposed != ch:
                folded = "".join(table.get(ord(x), x) for x in decomposed)
                # Isolated harakat decompose to "space + mark": they are marks, not spaces.
                table[cp] = folded if folded.strip() else ""
        self.table = table
        self._words = translation_list(table)  # for str.translate of words and phrases
        changing = sorted(cp for cp, v in table.items() if len(v) != 1)
        self._length_changing = re.compile(
            "[" + "".join(re.escape(chr(cp)) for cp in changing) + "]")
        # The same table as an array over the BMP (every key is in it), for long texts:
        # str.translate looks each character up in a dict (380 µs for a 2,800-character
        # article); a gather over code points is a tenth of that.
        lut = np.arange(0x10000, dtype=np.uint32)
        for cp, v in table.items():
            lut[cp] = ord(v) if len(v) == 1 else _EXPAND if v else _DELETE
        self._lut = lut

    def __call__(self, text: str) -> Normalized:
        fast = self._translate(text)
        if fast is not None:
            view, same_length = fast
            return Normalized(text, view, None if same_length else self)
        view = text.translate(self._words)
        if len(view) == len(text) and not self._length_changing.search(text):
            return Normalized(text, view, None)
        return Normalized(text, view, self)

    def _translate(self, text: str) -> tuple[str, bool] | None:
        """(view, no character was deleted or expanded) of a long text, computed over code
        point arrays; None where ``str.translate`` must do it (short text, a character outside
        the BMP, or a presentation ligature that expands)."""
        if len(text) < _ARRAY_MIN_CHARS:
            return None
        cps = code_points(text)
        if cps.max() > 0xFFFF:
            return None
        out = self._lut[cps]  # a lone surrogate is no key: kept, as str.translate keeps it
        odd = out >= _EXPAND
        if not odd.any():
            return from_code_points(out), True
        if (out == _EXPAND).any():
            return None
        return from_code_points(out[~odd]), False

    def _starts(self, text: str) -> tuple[int, ...]:
        table = self.table
        starts: list[int] = []
        prev = 0
        for m in self._length_changing.finditer(text):
            i = m.start()
            starts.extend(range(prev, i))
            starts.extend([i] * len(table[ord(text[i])]))
            prev = i + 1
        starts.extend(range(prev, len(text)))
        return tuple(starts)

    def text(self, text: str) -> str:
        """Only the view, for when no offsets are needed (lexicon keys, search queries)."""
        fast = self._translate(text)
        return fast[0] if fast is not None else text.translate(self._words)


# Markers in Normalizer._lut for a character that is deleted or becomes several.
_DELETE, _EXPAND = 0xFFFF_FFFF, 0xFFFF_FFFE
_ARRAY_MIN_CHARS = 200


@lru_cache(maxsize=4)
def get_normalizer(fold_taa: bool = True) -> Normalizer:
    return Normalizer(fold_taa=fold_taa)


def normalize(text: str, fold_taa: bool = True) -> Normalized:
    """Normalized view of ``text`` with its offset map (see module docstring)."""
    return get_normalizer(fold_taa)(text)


def norm(text: str, fold_taa: bool = True) -> str:
    """Normalized string only: the key under which lexicons and gazetteers are matched.

    Memoized for words and short phrases: the stages ask for the same few thousand keys
    again and again, and a dict hit is a tenth of a ``str.translate`` over Arabic letters."""
    if len(text) > _MEMO_MAX_CHARS:
        return get_normalizer(fold_taa).text(text)
    return (_NORMS if fold_taa else _NORMS_KEEP_TAA)(text)


_MEMO_MAX_CHARS = 48
_NORMS = BoundedMemo(lambda text: get_normalizer(True).text(text))
_NORMS_KEEP_TAA = BoundedMemo(lambda text: get_normalizer(False).text(text))
