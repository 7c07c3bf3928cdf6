"""Sentence splitting for Arabic news text.

A sentence ends at ``.``, ``!``, ``?``, ``؟``, ``…`` (with any closing quotes or brackets
that follow) when whitespace and more text come next, and always at a line break. Two or
more periods (``من الرجمة.. ألمانيا``) join the parts of a headline and end nothing. No end
inside numbers (3.5, ٣٫٥), after abbreviations (single letters such as د., and the list in
``resources/sentences/abbreviations.txt``), or inside a short quotation. Commas (، ,) and
the Arabic semicolon (؛) join clauses and never end a sentence here.
"""

from __future__ import annotations

import re
from functools import cache

from rasd.document import Sentence
from rasd.resources import read_lines

_END = re.compile(r"(?:[!?؟]+[.!?؟…]*|(?<!\.)\.(?!\.)|…)[\"'»”’)\]}]*(?=\s)|\n")
_PREV_WORD = re.compile(r"(\S+?)[.!?؟…]+[\"'»”’)\]}]*$")
_OPEN_QUOTES = "«“"
_CLOSE_QUOTES = "»”"


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(read_lines("sentences/abbreviations.txt"))


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of ``text[start:end]`` as spans of ``text`` (whitespace trimmed)."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    cur = start
    for m in _END.finditer(text, start, end):
        cut = m.end()
        if m.group() != "\n":
            if m.group()[0] == "." and _is_abbreviation(text, cur, m.start()):
                continue
            if _inside_open_quote(text, cur, m.start()):
                continue
        _add(text, cur, cut, out)
        cur = cut
    _add(text, cur, end, out)
    return out


def _is_abbreviation(text: str, lo: int, dot: int) -> bool:
    """Is the period at ``dot`` part of an abbreviation (د. / U.S.) rather than an end?"""
    j = dot
    while j > lo and not text[j - 1].isspace():
        j -= 1
    word = text[j:dot].lstrip("(\"'«“")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True
    return word in _abbreviations() or (len(word) <= 5 and "." in word
                                          and word.replace(".", "").isalpha())


def _inside_open_quote(text: str, lo: int, pos: int) -> bool:
    """A quotation opened in this sentence and not yet closed, closing soon: do not split."""
    seg = text[lo:pos]
    opened = sum(seg.count(q) for q in _OPEN_QUOTES)
    closed = sum(seg.count(q) for q in _CLOSE_QUOTES)
    if opened <= closed:
        return False
    nl = text.find("\n", pos)
    limit = len(text) if nl < 0 else nl
    close = min((i for i in (text.find(q, pos, limit) for q in _CLOSE_QUOTES) if i >= 0),
                default=-1)
    return 0 <= close - pos <= 400


def strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` without the whitespace at its edges (offsets stay in ``text``)."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _add(text: str, a: int, b: int, out: list[Sentence]) -> None:
    a, b = strip_span(text, a, b)
    if a < b:
        out.append(Sentence(a, b))
