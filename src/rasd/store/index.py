"""Search forms: the words FTS5 indexes and the words a query looks for.

FTS5 sees only normalized, space-separated words, so Arabic-aware matching is decided here,
once, for both sides. Each token of a text is indexed under its normalized form (alef/hamza,
ى/ي, ة/ه, no diacritics or tatweel, lower-case Latin), under that form without its conjunction
and preposition clitics, with the article but no attached pronoun, and as the bare stem:
وبالمدينة → وبالمدينه، المدينه، مدينه. A query word is looked up by its clitic-free form, so
طرابلس finds بطرابلس and وطرابلس, and مدينة finds المدينة, while المدينة stays specific.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from threading import Lock

from rasd.document import PREFIX_KINDS
from rasd.memo import BoundedMemo
from rasd.text.normalize import norm, normalize
from rasd.text.tokenize import Analysis, Tokenizer

_WORDY = re.compile(r"\w")
# A stem before a pronoun is spelled bound (حكومت+ه, لقائ+هم); index its free spelling too.
_BOUND_ENDINGS = {"ت": "ه", "ئ": "ء", "ؤ": "ء"}
_tokenizer: Tokenizer | None = None
_tokenizer_lock = Lock()


def tokenizer() -> Tokenizer:
    """The shared tokenizer (its lexicon loads once per process)."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                _tokenizer = Tokenizer()
    return _tokenizer


def _n(text: str) -> str:
    return norm(text).lower()


def _forms(a: Analysis) -> tuple[str, ...]:
    """Forms of one analysed word: the query form first, then every other index form."""
    full = _n(a.form)
    if not _WORDY.search(full):
        return ()
    if not a.arabic or len(a.pieces) == 1:
        return (full,)
    pieces = a.pieces
    first = next((i for i, p in enumerate(pieces) if p[2] not in PREFIX_KINDS), 0)
    stem_i = next((i for i, p in enumerate(pieces) if p[2] == "stem"), first)
    bare_start = pieces[first][0]
    out = [_n(a.form[bare_start:]), full]  # no conj/prep (المدينه, حكومته), as written
    out.append(_n(a.form[bare_start:pieces[stem_i][1]]))  # article + stem
    stem = _n(a.form[pieces[stem_i][0]:pieces[stem_i][1]])
    out.append(stem)
    if stem_i + 1 < len(pieces) and stem[-1:] in _BOUND_ENDINGS:  # حكومته → حكومه
        out.append(stem[:-1] + _BOUND_ENDINGS[stem[-1]])
    seen: list[str] = []
    for f in out:
        if len(f) >= 2 and f not in seen:
            seen.append(f)
    return tuple(seen) or (full,)


# Memoized _forms (a corpus repeats its word forms), keyed by the Analysis (its form and its
# segments): a form the tokenizer cuts two ways by context (a name kept whole before its next
# word) gets the forms of each cut, not those of whichever cut was indexed first.
forms_of = BoundedMemo(_forms, 200_000)


def analyses(text: str, table: object | None = None) -> Sequence[Analysis]:
    """Per-token analyses of ``text``: from an existing TokenTable when it has them."""
    got = getattr(table, "analyses", None)
    if got is not None and len(got) and getattr(got[0], "form", None) is not None:
        return got
    return tokenizer()(text).analyses


def index_text(text: str, table: object | None = None) -> str:
    """The words FTS5 indexes for ``text`` (every form of every token)."""
    return " ".join(f for a in analyses(text, table) for f in forms_of(a))


def index_texts(parts: Iterable[str | None]) -> str:
    """:func:`index_text` of several short strings (names, a cue, a claim's content)."""
    return " ".join(index_text(p) for p in parts if p)


def query_terms(query: str) -> list[tuple[str, bool]]:
    """``(form, prefix)`` per query word: its clitic-free form; ``prefix`` for a final ``*``."""
    terms: list[tuple[str, bool]] = []
    table = tokenizer()(query)
    for i, a in enumerate(table.analyses):
        forms = forms_of(a)
        if not forms:
            continue
        form = forms[0]
        end = table.starts[i] + len(a.form)
        prefix = query[end:end + 1] == "*"
        if (form, prefix) not in terms:
            terms.append((form, prefix))
    return terms


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression (all words required), or None when the query has no words."""
    terms = query_terms(query)
    if not terms:
        return None
    return " ".join('"' + f.replace('"', '""') + '"' + ("*" if p else "") for f, p in terms)


def index_span(table: object, start: int, end: int, text: str) -> str:
    """:func:`index_text` of ``text[start:end]``, reusing the document's tokens when it has
    them (claims and event sentences are spans of an analysed document)."""
    starts = getattr(table, "starts", None)
    got = getattr(table, "analyses", None)
    if starts is None or got is None:
        return index_text(text[start:end])
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end, lo)
    return " ".join(f for a in got[lo:hi] for f in forms_of(a))


def _bound_pattern(form: str) -> str:
    """A regex for ``form`` also as written before a pronoun (حكومه in بحكومته)."""
    last = form[-1:]
    bound = sorted(b for b, free in _BOUND_ENDINGS.items() if free == last)
    if bound and len(form) > 2:
        return re.escape(form[:-1]) + "[" + last + "".join(bound) + "]"
    return re.escape(form)


def matching_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Original-text spans of the words that a query word matches (for snippets/highlights).

    Only words whose normalized form contains a query form are analysed, so a long article
    costs one normalization pass and a regular-expression scan, not a full tokenization.
    """
    terms = query_terms(query)
    if not terms:
        return []
    view = normalize(text)
    lowered = view.text.lower()
    cands = re.compile(r"\w*(?:" + "|".join(_bound_pattern(t) for t, _ in terms) + r")\w*")
    tok = tokenizer()
    spans = []
    for m in cands.finditer(lowered):
        start, end = view.to_original(m.start(), m.end())
        table = tok(text[start:end])
        for off, a in zip(table.starts, table.analyses, strict=True):
            forms = forms_of(a)
            if any(f == t or (p and f.startswith(t)) for f in forms for t, p in terms):
                spans.append((start + off, start + off + len(a.form)))
    return spans
