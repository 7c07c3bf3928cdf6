"""The times stage: ``doc.times`` from ``doc.text`` and ``doc.published``.

What is found and how values resolve: :mod:`rasd.time.parser`.
"""

from __future__ import annotations

from rasd.document import Document, Time
from rasd.text.normalize import normalize
from rasd.time.parser import Parser
from rasd.time.resolve import parse_published


def find_times(text: str, published: str | None) -> list[Time]:
    """Time expressions of ``text`` in text order, ids t1, t2 …; values per the module doc."""
    view = normalize(text)
    parser = Parser(view.text, parse_published(published))
    out: list[Time] = []
    for vs, ve, value in parser.parse():
        start, end = view.to_original(vs, ve)
        out.append(Time(f"t{len(out) + 1}", start, end, text[start:end], value))
    return out


class TimeStage:
    """Pipeline stage: fills ``doc.times`` from ``doc.text`` and ``doc.published``."""

    def __call__(self, doc: Document) -> None:
        doc.times = find_times(doc.text, doc.published)
