"""Plain text → cleaned text → :class:`Document`; every input kind ends here.

Cleaning touches layout only — line endings, trailing spaces, runs of blank lines, control
characters — and never a letter, because every later stage keeps offsets into
``Document.text``. Matching-level folding (alef forms, tatweel, bidi marks) is the
normalizer's job, in a view with a map back to these offsets.
"""

from __future__ import annotations

import re
from typing import Any

from rasd.document import Document
from rasd.ingest.debris import remove_debris
from rasd.ingest.detect import check_arabic, decode
from rasd.ingest.errors import InputError

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0/C1 controls and DEL except tab and newline; format characters (bidi marks, ZWNJ) stay.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BLANK_RUNS = re.compile(r"\n{3,}")
MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 200


def clean_text(text: str) -> str:
    """Layout-only cleanup: ``\\n`` line ends, no trailing spaces, at most one blank line in a
    row, no control characters or leading BOM, no blank lines at either end. Letters, marks
    and format characters (bidi marks, ZWNJ) are never changed."""
    # Each pass is skipped when there is nothing for it to do: a 20 MB text takes ~0.2 s.
    if "\r" in text or any(ch in text for ch in "\x0b\x0c\x85\u2028\u2029"):
        text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text).removeprefix("\ufeff")  # a BOM left inside a JSON string
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def one_line(text: str | None) -> str | None:
    """A metadata value (title, outlet) as a single clean line, None when empty."""
    if text is None:
        return None
    text = " ".join(_CONTROLS.sub("", text).split())
    return text or None


def leading_title(text: str) -> str | None:
    """The first line when it is short and followed by a blank line: the article's title.

    A first line ending in a single full stop is a sentence (a lead paragraph), not a title.
    """
    first, sep, rest = text.partition("\n\n")
    first = first.strip()
    if not sep or not rest.strip() or "\n" in first:
        return None
    return first if is_title_sized(first) else None


def is_title_sized(line: str) -> bool:
    """Short, with letters, and not ending in a single full stop (that is a sentence)."""
    line = line.strip()
    return (0 < len(line) <= MAX_TITLE_CHARS and len(line.split()) <= MAX_TITLE_WORDS
            and not (line.endswith(".") and not line.endswith(".."))
            and any(ch.isalpha() for ch in line))


def with_title(body: str, title: str | None) -> str:
    """``title``, a blank line, then ``body`` (whose own copy of the title line is not repeated).

    HTML and JSONL give the title apart from the text; putting it on the first line gives
    every input the shape of the plain-text articles (headline, blank line, body), so the
    structure stage finds the headline the same way for all of them.
    """
    if not title:
        return body
    body = body.lstrip()
    first, _, rest = body.partition("\n")
    if " ".join(first.split()) == title:
        body = rest.lstrip("\n")
    return f"{title}\n\n{body}"


def document_from_text(text: str, **meta: Any) -> Document:
    """A :class:`Document` from text: cleaned, scraper debris removed, checked to be Arabic.

    ``meta`` are Document fields (``source``, ``title``, ``url``, ``published``, ...). Without
    a ``title``, a short first line followed by a blank line becomes the title; it stays in
    the text, where the structure stage marks it as the headline. Raises :class:`InputError`
    (named by ``source``) for empty or non-Arabic text.
    """
    name = meta.get("source") or "<text>"
    text = clean_text(text)
    if not text:
        raise InputError(name, "empty input")
    text = remove_debris(text)
    if not text:
        raise InputError(name, "no article text, only share buttons and link lists")
    check_arabic(text, name)
    meta = {k: v for k, v in meta.items() if v is not None}
    for key in ("title", "outlet"):
        if key in meta:
            meta[key] = one_line(meta[key])
    if not meta.get("title"):
        meta["title"] = leading_title(text)
    meta.setdefault("language", "ar")
    return Document(text=text, **meta)


def read_plain(data: bytes, name: str) -> Document:
    """One plain-text article from raw bytes (any supported encoding)."""
    if not data.strip():
        raise InputError(name, "empty input")
    return document_from_text(decode(data, name), source=name)
