"""Roles from titles: المبعوث الأممي غسان سلامة → {"title": "المبعوث الأممي", "of": <UN>}.

A title phrase stands right before a person's name (or right after it, set off by a comma):
it begins with a title head word from ``resources/arabic/titles.tsv`` and runs over the words
between it and the name — nisba adjectives, genitive nouns, لدى/في + a place, the name of a
body. ``of`` is the entity of the first organization, nisba or country inside the phrase.
"""

from __future__ import annotations

from functools import cache

from rasd.document import Document, Entity, Role
from rasd.text.arabic import shared_list, words
from rasd.text.normalize import norm
from rasd.text.views import views_in

MAX_TITLE_WORDS = 8
_BREAK = frozenset("،,.:؛;!?؟«»\"()")
_BREAK_WORDS = words(tag="title_break")


@cache
def title_heads() -> frozenset[str]:
    return frozenset(norm(w) for w in shared_list("titles", "link"))


def is_title_head(v) -> bool:
    """Does the word (a TokenView) begin a title: المبعوث، وزير، الرئيس …?"""
    heads = title_heads()
    return v.bare in heads or v.core in heads or v.bare.removeprefix("ال") in heads


def attach_roles(doc: Document, entities: list[Entity]) -> None:
    by_id = {e.id: e for e in entities}
    mentions = sorted(doc.mentions, key=lambda m: m.start)
    for m in mentions:
        ent = by_id.get(m.entity or "")
        if ent is None or ent.type != "PER" or m.type != "PER":
            continue
        toks = views_in(doc, max(0, m.start - 200), m.start)
        start = None
        for k in range(len(toks) - 1, max(-1, len(toks) - 1 - MAX_TITLE_WORDS), -1):
            v = toks[k]
            if v.is_punct or any(c in _BREAK for c in v.text):
                break
            if v.bare in _BREAK_WORDS:
                break
            if is_title_head(v):
                start = k
        if start is None:
            continue
        first = doc.tokens_in(toks[start].start, toks[start].end)[0]
        a = next((g.start for g in first.segments if g.kind not in ("conj", "prep")),
                 first.start)
        b = toks[-1].end
        if b <= a:
            continue
        title = doc.text[a:b]
        of = _of(doc, a, b, m.entity)
        role = Role(title=title, of=of, mention=m.id)
        if all(r.title != title for r in ent.roles):
            ent.roles.append(role)


def _of(doc: Document, a: int, b: int, self_id: str | None) -> str | None:
    inside = [x for x in doc.index("mentions").within(a, b) if x.entity
              and x.entity != self_id]
    order = {"ORG": 0, "GPE": 1, "LOC": 2, "FAC": 3, "PER": 4}
    inside.sort(key=lambda x: (order.get(x.type, 9), x.start))
    return inside[0].entity if inside else None
