"""Paragraphs, headline and sub-headings of a plain text (no markup needed).

A paragraph is a non-empty line. The headline is the first paragraph when it is short and has
no final punctuation. A sub-heading is a later short line without final punctuation that is
followed by a body paragraph — the shape scraped news pages leave behind. Sections run from
one heading to the next; text before the first sub-heading forms the first section, headed by
the headline when there is one.
"""

from __future__ import annotations

import re

from rasd.document import Heading, Paragraph, Section
from rasd.text.sentences import strip_span

MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 120
_FINAL_PUNCT = ".!?؟:…،,؛;"
_LINE = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    for m in _LINE.finditer(text):
        a, b = strip_span(text, *m.span())
        if a < b:
            out.append(Paragraph(a, b))
    return out


def looks_like_heading(line: str) -> bool:
    words = line.split()
    return (0 < len(words) <= MAX_HEADING_WORDS and len(line) <= MAX_HEADING_CHARS
            and line[-1] not in _FINAL_PUNCT and line.strip("\"'«»“”()[]").strip() != ""
            and any(ch.isalpha() for ch in line))


def sections(text: str, paras: list[Paragraph]) -> list[Section]:
    """Sections with their headings; the headline heads the first one."""
    if not paras:
        return []
    heads: list[int] = []
    for i, p in enumerate(paras):
        line = text[p.start:p.end]
        if not looks_like_heading(line):
            continue
        if i == 0:
            heads.append(i)
            continue
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        # A heading stands before a body paragraph, never after another heading.
        if nxt and not looks_like_heading(text[nxt.start:nxt.end]) and (i - 1) not in heads:
            heads.append(i)
    out: list[Section] = []
    starts = heads if heads and heads[0] == 0 else [0, *heads]
    for k, i in enumerate(starts):
        last = (starts[k + 1] - 1) if k + 1 < len(starts) else len(paras) - 1
        h = None
        if i in heads:
            p = paras[i]
            h = Heading(p.start, p.end, text[p.start:p.end])
        out.append(Section(paras[i].start, paras[last].end, h))
    return out
