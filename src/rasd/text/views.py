"""Light views of tokens for lexicon matching: the token without its clitics.

Claims, events and linking all look words up by their normalized form with and without the
conjunction (وقال → قال) or all clitics (بالرجمة → رجمة); this is the one place that derives
those forms from the tokenizer's segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasd.document import Token
from rasd.text.normalize import norm

PUNCT = frozenset("،,:;؛.!?؟«»\"“”()[]-–—/")


@dataclass(slots=True)
class TokenView:
    start: int
    end: int
    norm: str  # the whole token, normalized
    bare: str  # without the conjunction و/ف
    core: str  # without conjunction, preposition and article: stem (+ pronoun)
    has_prep: bool
    has_det: bool
    is_punct: bool
    has_pron: bool = False
    text: str = ""  # the surface form (quotes keep their direction here, not in norm)

    @property
    def definite(self) -> bool:
        return self.has_det


def view(t: Token) -> TokenView:
    return TokenView(t.start, t.end, *form_fields(t.text, t.norm,
                                                  [(g.text, g.kind) for g in t.segments]))


def form_fields(text: str, text_norm: str, segs: list[tuple[str, str]]) -> tuple[Any, ...]:
    """A view's offset-free fields (norm … text) from a token's text, its normalized form and
    its segments as (text, kind). They depend on the word form alone, so each tokenizer
    :class:`~rasd.text.tokenize.Analysis` computes them once and carries them
    (``view_fields``)."""
    kinds = [k for _, k in segs]
    no_conj = [s for s, k in segs if k != "conj"]
    bare = norm("".join(no_conj)) if len(no_conj) < len(kinds) else text_norm
    core_segs = [s for s, k in segs if k in ("stem", "pron")]
    core = norm("".join(core_segs)) if core_segs else text_norm
    return (text_norm, bare, core, "prep" in kinds, "det" in kinds,
            all(c in PUNCT for c in text), "pron" in kinds, text)


def views(tokens) -> list[TokenView]:
    return [view(t) for t in tokens]


def doc_views(doc) -> list[TokenView]:
    """Views of all the document's tokens, computed once per token table and cached on it."""
    cached = getattr(doc, "_views", None)
    if cached is not None and cached[0] is doc.tokens:
        return cached[1]
    analyses = getattr(doc.tokens, "analyses", None)
    if analyses is not None:  # a TokenTable: no Token objects, each form carries its fields
        vs = [TokenView(s, s + len(a.form), *a.view_fields)
              for s, a in zip(doc.tokens.starts, analyses, strict=True)]
    else:
        vs = [view(t) for t in doc.tokens]
    doc._views = (doc.tokens, vs)
    return vs


def views_in(doc, start: int, end: int) -> list[TokenView]:
    """The cached views of the tokens inside ``[start, end)``."""
    vs = doc_views(doc)
    lo, hi = doc.token_range(start, end)
    return [v for v in vs[lo:hi] if v.end <= end]
